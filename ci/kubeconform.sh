#!/usr/bin/env bash
# kubeconform as the gates use it: strict (unknown fields are errors), against the Kubernetes API version and
# the CRD schemas of ci/install-tools.sh; a kind without a schema is an error, never skipped.
#   bash ci/kubeconform.sh FILE...     (tools on PATH and CI_TOOLS_DIR set, as ci/lint-infra.sh does)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck disable=SC1091
source "$root/ci/tools.env"
tools=${CI_TOOLS_DIR:-$root/.tools}
exec kubeconform -strict -summary -kubernetes-version "$KUBERNETES_SCHEMA_VERSION" \
  -schema-location "$tools/schemas/kubernetes/{{.NormalizedKubernetesVersion}}-standalone{{.StrictSuffix}}/{{.ResourceKind}}{{.KindSuffix}}.json" \
  -schema-location "$tools/schemas/crds/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json" \
  "$@"
