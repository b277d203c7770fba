#!/usr/bin/env bash
# The project-specific checks of the container image and the Kubernetes manifests, for .ci/run:
#   bash deploy/ci-check.sh                 everything, including the podman build-and-run proof
#   bash deploy/ci-check.sh --skip-podman   everything else
# Schemas, container security, Dockerfile lint, shellcheck and yamllint are the standard tools' job
# (ci/lint-infra.sh: kubeconform, checkov, hadolint, ...); what stays here is what only this project can say:
# every overlay against the issue's per-environment settings, overlays differing from prod only where allowed,
# references that resolve, NetworkPolicy flows, scrape config, the manifests against the running service and the
# image built and run as the manifests run it.
# Installs what it needs (Debian: podman & co. in podman-proof.sh; npm: deploy/validate into its own
# node_modules). Needs kubectl (with kustomize) on PATH, PostgreSQL 15 and redis-server binaries (Debian).
# Ends with "ci-check: N passed, N failed"; exit 1 if any step failed.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
skip_podman=false
[[ "${1:-}" == "--skip-podman" ]] && skip_podman=true

passed=0
failed=0
failures=()
t0=$(date +%s)
step() { # name command... : runs one step, records its outcome and time
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

# ---- tools ----
apt_missing=()
command -v redis-server >/dev/null || apt_missing+=(redis-server)
[[ -x /usr/lib/postgresql/15/bin/initdb ]] || apt_missing+=(postgresql-15)
if ((${#apt_missing[@]})); then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_missing[@]}" >/dev/null
fi
command -v kubectl >/dev/null || { echo "kubectl (with kustomize) is required on PATH" >&2; exit 1; }
v=deploy/validate
if [[ ! -f $v/node_modules/.package-lock.json || $v/package-lock.json -nt $v/node_modules/.package-lock.json ]]; then
  (cd $v && npm ci --no-audit --no-fund --loglevel=error) || { echo "npm ci failed" >&2; exit 1; }
fi

out=$(mktemp -d /tmp/employee-mgmt-ci-check.XXXXXX)
trap 'rm -rf "$out"' EXIT

mapfile -t envs < <(find k8s/overlays -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort)
render() {
  local e
  for e in "${envs[@]}"; do
    kubectl kustomize "k8s/overlays/$e" >"$out/$e.yaml" || return 1
    echo "k8s/overlays/$e: $(grep -c '^kind:' "$out/$e.yaml") objects"
  done
  kubectl kustomize k8s/cluster >"$out/cluster.yaml" || return 1
  echo "k8s/cluster: $(grep -c '^kind:' "$out/cluster.yaml") objects"
}
policy_all() {
  local e rc=0
  for e in "${envs[@]}"; do
    node $v/policy.mjs --env "$e" --render "$out/$e.yaml" --cluster "$out/cluster.yaml" \
      --secrets "$out/secrets.yaml" --app-config src/main/resources/application.yml || rc=1
  done
  return $rc
}
overlay_diff() {
  local others=() e
  for e in "${envs[@]}"; do [[ $e == prod ]] || others+=("$out/$e.yaml"); done
  node $v/overlay-diff.mjs "$out/prod.yaml" "${others[@]}"
}

step "monitoring/kustomization.yaml lists every monitoring file" node $v/monitoring-check.mjs monitoring
step "proof 1: kubectl kustomize renders every overlay (${envs[*]}) and k8s/cluster" render
# Example webhook URLs (never contacted) so the dry run also makes the optional-input Secret alertmanager-webhooks.
step "secrets as deploy/create-secrets.sh makes them (dry run)" \
  env SLACK_CRITICAL_WEBHOOK_URL=https://hooks.example.invalid/critical \
  SLACK_WARNING_WEBHOOK_URL=https://hooks.example.invalid/warning \
  bash -c "deploy/create-secrets.sh prod --dry-run > '$out/secrets.yaml'"
step "proof 3: policy checks per overlay" policy_all
step "overlays differ from prod only where environments must" overlay_diff
step "Dockerfile: project rules and consistency with the manifests" \
  node $v/dockerfile-check.mjs Dockerfile .dockerignore "$out/prod.yaml"
step "the checks catch broken manifests (mutation self-test)" \
  node $v/selftest.mjs --render "$out/prod.yaml" --cluster "$out/cluster.yaml" --secrets "$out/secrets.yaml" \
  --app-config src/main/resources/application.yml --dockerfile Dockerfile --dockerignore .dockerignore
step "proof 4: manifests against the running service" deploy/consistency-check.sh
if $skip_podman; then
  echo "==== podman build-and-run proof skipped (--skip-podman)"
else
  step "proof 5: podman build of the Dockerfile and a read-only, UID 1000 run" deploy/podman-proof.sh
fi

echo
for f in "${failures[@]}"; do echo "failed: $f"; done
echo "ci-check took $(($(date +%s) - t0)) s"
echo "ci-check: $passed passed, $failed failed"
[[ $failed == 0 ]]
