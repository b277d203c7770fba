#!/usr/bin/env bash
# Deploys one image digest to one environment (the workflows call this; a person can run it with a kubeconfig).
#
#   deploy/deploy.sh ENV DIGEST [--render-only]
#     ENV      dev | staging | prod
#     DIGEST   sha256:<64 hex> - the digest build.yml pushed (never a tag)
#   --render-only   render target/deploy/ENV/manifest.yaml with the digest and stop (no cluster needed)
# Environment: IMAGE (default ghcr.io/employee-mgmt/employee-api), KUBECTL (default kubectl),
#   DEPLOY_TIMEOUT seconds (default 900), DEPLOY_POLL seconds (default 10), GITHUB_STEP_SUMMARY (timings table).
#
# dev/staging: kubectl apply, then `rollout status` of the Deployment (rolling update, maxUnavailable 0).
# prod: kubectl apply updates the Rollout; the script then follows its phases until the new version is stable
#   (pre-promotion analysis -> switch -> 5-minute post-promotion analysis) or the controller aborts it. Exit 0 =
#   the new version is stable; exit 1 = it failed (aborted/degraded/timeout: traffic is on the previous version;
#   run deploy/rollback.sh prod so the bad template is not retried).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
env_name=${1:-}
digest=${2:-}
mode=${3:-apply}
IMAGE=${IMAGE:-ghcr.io/employee-mgmt/employee-api}
KUBECTL=${KUBECTL:-kubectl}
timeout=${DEPLOY_TIMEOUT:-900}
poll=${DEPLOY_POLL:-10}

usage() {
  sed -n '2,9p' "$0" >&2
  exit 2
}
case "$env_name" in dev | staging | prod) ;; *) usage ;; esac
[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || { echo "deploy: DIGEST must be sha256:<64 hex>, got '$digest'" >&2; exit 2; }
case "$mode" in apply | --render-only) ;; *) usage ;; esac
ns="employee-mgmt-$env_name"
t0=$(date +%s)
summary() {
  if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then printf '%s\n' "$@" >>"$GITHUB_STEP_SUMMARY"; fi
}
say() { printf '[deploy %s +%3ds] %s\n' "$env_name" "$(($(date +%s) - t0))" "$*"; }

# Render: a throw-away overlay on top of the environment's overlay that pins the image to the digest, so the
# repository is never edited by a deploy and the rendered manifest is exactly what gets applied.
work="$root/target/deploy/$env_name"
mkdir -p "$work"
cat >"$work/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../../k8s/overlays/$env_name
images:
  - name: $IMAGE
    digest: $digest
YAML
kubectl kustomize "$work" >"$work/manifest.yaml"
images=$(grep -E "^\s+image: ${IMAGE}[@:]" "$work/manifest.yaml" | sort -u | sed 's/^ *image: //')
if [[ "$images" != "$IMAGE@$digest" ]]; then
  echo "deploy: rendered employee-api image is '$images', expected $IMAGE@$digest" >&2
  exit 1
fi
say "rendered $work/manifest.yaml ($(grep -c '^kind:' "$work/manifest.yaml") objects) with $IMAGE@$digest"
[[ "$mode" == --render-only ]] && exit 0

summary "### Deploy to $env_name" "" "| step | seconds after start |" "|---|---|"
"$KUBECTL" apply -n "$ns" -f "$work/manifest.yaml"
say "applied"
summary "| applied | $(($(date +%s) - t0)) |"

if [[ "$env_name" != prod ]]; then
  if "$KUBECTL" -n "$ns" rollout status deployment/employee-api --timeout="${timeout}s"; then
    say "rolling update complete"
    summary "| rolling update complete | $(($(date +%s) - t0)) |"
    exit 0
  fi
  say "rolling update did not complete within ${timeout}s"
  summary "| rolling update FAILED | $(($(date +%s) - t0)) |"
  exit 1
fi

# prod: follow the Rollout. Status fields: phase (Progressing|Paused|Healthy|Degraded), abort, message,
# currentPodHash (the new version) and stableRS (the version the active Service must end on).
jsonpath='{.metadata.generation}|{.status.observedGeneration}|{.status.phase}|{.status.abort}|{.status.currentPodHash}|{.status.stableRS}|{.status.blueGreen.activeSelector}|{.status.message}'
deadline=$((t0 + timeout))
last=""
while true; do
  IFS='|' read -r gen observed phase aborted current stable active message < <(
    # (jsonpath output has no final newline: the echo gives read a complete line)
    "$KUBECTL" -n "$ns" get rollout employee-api -o jsonpath="$jsonpath" 2>/dev/null || printf '|||||||no answer from the API server'
    echo)
  state="phase=$phase current=$current stable=$stable active=$active${message:+ ($message)}"
  if [[ "$state" != "$last" ]]; then
    say "$state"
    summary "| $phase${message:+: $message} (active $active) | $(($(date +%s) - t0)) |"
    last=$state
  fi
  if [[ "$gen" == "$observed" && -n "$gen" ]]; then
    if [[ "$aborted" == true || "$phase" == Degraded ]]; then
      say "the release was ABORTED by the controller: traffic is on the previous version ($stable)"
      exit 1
    fi
    if [[ "$phase" == Healthy && -n "$current" && "$current" == "$stable" && "$active" == "$current" ]]; then
      say "released: $current is stable and active"
      exit 0
    fi
  fi
  if (($(date +%s) >= deadline)); then
    say "timeout after ${timeout}s (last: $state)"
    exit 1
  fi
  sleep "$poll"
done
