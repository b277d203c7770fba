#!/usr/bin/env bash
# The infrastructure linters, with the tool versions pinned in ci/tools.env (installed by ci/install-tools.sh):
#   bash ci/lint-infra.sh              every gate below, then the mutation self-test (ci/selftest-gates.py)
#   bash ci/lint-infra.sh --no-selftest
# Gates (each must report zero findings; suppressions carry their reason where they are made):
#   ShellCheck   every shell script in git (+ mvnw, .ci/run)
#   yamllint     every YAML file in git (.yamllint.yaml)
#   hadolint     Dockerfile and deploy/podman/*.Containerfile (.hadolint.yaml)
#   workflows    every .github/workflows/* file: actionlint (runs shellcheck on run: blocks), then GitHub's own
#                validator + the project's workflow conventions (ci/validate-workflows.mjs)
#   kubeconform  every rendered overlay (k8s/overlays/*), k8s/cluster and the Secrets deploy/create-secrets.sh
#                makes, strict, Kubernetes schemas + CRD schemas; a kind without a schema is an error
#   checkov      rendered overlays, Dockerfile and workflows (ci/checkov.yaml)
#   promtool     Prometheus rule files (the unit tests and more run in monitoring/test/ci-check.sh)
# Ends with "lint-infra: N passed, N failed"; exit 1 if any gate failed.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
selftest=true
[[ "${1:-}" == "--no-selftest" ]] && selftest=false
t0=$(date +%s)
env_script=$(bash ci/install-tools.sh --env --lint) || { echo "lint-infra: tool installation failed" >&2; exit 1; }
eval "$env_script"
# shellcheck disable=SC1091
source ci/tools.env

passed=0
failed=0
failures=()
step() { # name command...
  local name=$1 start rc
  shift
  start=$(date +%s)
  echo "==== $name"
  "$@"
  rc=$?
  if [[ $rc == 0 ]]; then
    passed=$((passed + 1))
    echo "---- ok   $name ($(($(date +%s) - start)) s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "---- FAIL $name (exit $rc, $(($(date +%s) - start)) s)"
  fi
}

out=$(mktemp -d /tmp/employee-mgmt-lint.XXXXXX)
trap 'rm -rf "$out"' EXIT

# Everything a gate reads is rendered once into $out.
render_all() {
  local d name
  mkdir -p "$out/k8s"
  for d in k8s/overlays/*/ k8s/cluster/; do
    name=$(basename "$d")
    [[ "$d" == k8s/cluster/ ]] && name=cluster
    kubectl kustomize "$d" >"$out/k8s/$name.yaml" || { echo "kustomize failed for $d" >&2; return 1; }
    echo "$d: $(grep -c '^kind:' "$out/k8s/$name.yaml") objects"
  done
  SLACK_CRITICAL_WEBHOOK_URL=https://hooks.example.invalid/critical \
    SLACK_WARNING_WEBHOOK_URL=https://hooks.example.invalid/warning \
    bash deploy/create-secrets.sh prod --dry-run >"$out/secrets.yaml"
}

shellcheck_all() {
  local scripts
  mapfile -t scripts < <(git ls-files '*.sh' mvnw .ci/run)
  shellcheck "${scripts[@]}" && echo "shellcheck $(shellcheck --version | sed -n 's/^version: //p'): ${#scripts[@]} scripts clean"
}
yamllint_all() {
  local files
  mapfile -t files < <(git ls-files '*.yml' '*.yaml')
  yamllint --strict -c .yamllint.yaml "${files[@]}" && echo "yamllint $YAMLLINT_VERSION: ${#files[@]} files clean"
}
hadolint_all() {
  local files
  mapfile -t files < <(git ls-files Dockerfile '*.Containerfile' '*/Dockerfile')
  hadolint --config .hadolint.yaml "${files[@]}" && echo "hadolint $(hadolint --version | grep -o '[0-9][0-9.]*' | head -1): ${files[*]} clean"
}
workflows_all() { bash ci/lint-workflows.sh .github/workflows/*; }
kubeconform_k8s() { bash ci/kubeconform.sh "$out"/k8s/*.yaml "$out/secrets.yaml"; }
checkov_all() {
  local rc=0
  checkov --config-file ci/checkov.yaml --framework kubernetes -d "$out/k8s" || rc=1
  checkov --config-file ci/checkov.yaml --framework dockerfile -f Dockerfile || rc=1
  # checkov skips, without a word, a workflow that its own bundled schema rejects. That schema predates the
  # attestations and artifact-metadata permissions (actionlint and GitHub's validator check those), so checkov
  # reads copies without those two lines, and the script below makes sure it reads every one.
  mkdir -p "$out/gha/.github/workflows"
  local f
  for f in .github/workflows/*; do
    grep -vE '^\s+(attestations|artifact-metadata): write\b' "$f" >"$out/gha/.github/workflows/${f##*/}"
  done
  checkov --config-file ci/checkov.yaml --framework github_actions -d "$out/gha" || rc=1
  "$CI_TOOLS_DIR/venv/bin/python" - "$out"/gha/.github/workflows/* <<'PY' || rc=1
import sys, yaml
from jsonschema import validate, ValidationError
from checkov.common.parsers.yaml.loader import SafeLineLoaderGhaSchema
from checkov.common.util.type_forcers import force_dict
from checkov.github_actions.schemas import gha_workflow
bad = 0
for f in sys.argv[1:]:
    try:
        with open(f, encoding="utf-8") as fh:
            validate(force_dict(yaml.load(fh, Loader=SafeLineLoaderGhaSchema)), gha_workflow)
    except ValidationError as e:
        bad += 1
        print(f"{f}: checkov would not scan this workflow: {e.message[:200]} at {list(e.path)}")
print(f"checkov reads {len(sys.argv) - 1 - bad} of {len(sys.argv) - 1} workflows")
sys.exit(1 if bad else 0)
PY
  return $rc
}
promtool_rules() { promtool check rules monitoring/prometheus/rules/*.yml; }

step "render every overlay, k8s/cluster and the Secrets (dry run)" render_all
step "shellcheck" shellcheck_all
step "yamllint" yamllint_all
step "hadolint" hadolint_all
step "workflows: actionlint + GitHub's validator + conventions" workflows_all
step "kubeconform (strict, Kubernetes $KUBERNETES_SCHEMA_VERSION + CRD schemas)" kubeconform_k8s
step "checkov (manifests, Dockerfile, workflows)" checkov_all
step "promtool check rules" promtool_rules
if $selftest; then
  step "the gates catch broken inputs (mutation self-test)" "$CI_TOOLS_DIR/venv/bin/python" ci/selftest-gates.py "$out"
fi

echo
for f in "${failures[@]}"; do echo "failed: $f"; done
echo "lint-infra took $(($(date +%s) - t0)) s"
echo "lint-infra: $passed passed, $failed failed"
[[ $failed == 0 ]]
