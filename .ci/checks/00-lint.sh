#!/usr/bin/env bash
# Static gates with the field's standard tools at the versions pinned in ci/tools.env: shellcheck, yamllint,
# hadolint, actionlint + GitHub's workflow validator, kubeconform (strict, with CRD schemas) on every rendered
# overlay, checkov, promtool; then the mutation self-test proving each gate rejects a broken input.
# The same script is code-quality.yml's "Infrastructure linters" job.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash ci/lint-infra.sh
