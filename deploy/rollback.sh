#!/usr/bin/env bash
# Rolls employee-api back in one environment (docs/deployment/rollback.md).
#
#   deploy/rollback.sh ENV [--to-revision N] [--dry-run]
# dev/staging: kubectl rollout undo deployment/employee-api [--to-revision=N], then rollout status.
# prod: abort the release in flight (the active Service goes back to the stable pods at once), then undo the
#   template to the previous (or given) revision, so the controller does not retry the bad version, then wait
#   until that revision is Healthy. Uses `kubectl argo rollouts abort|undo|status` when the plugin is installed;
#   otherwise the same API calls through plain kubectl (abort = status patch {"status":{"abort":true}}; undo =
#   the chosen revision's ReplicaSet template written back to spec.template), which is what the plugin does.
# --dry-run prints every command instead of running it (read-only commands still run when a cluster answers).
# Environment: KUBECTL (default kubectl), ROLLBACK_TIMEOUT seconds (default 300).
set -euo pipefail

env_name=${1:-}
shift || true
to_revision=""
dry_run=false
while (($#)); do
  case "$1" in
    --to-revision) to_revision=${2:-}; shift 2 ;;
    --to-revision=*) to_revision=${1#*=}; shift ;;
    --dry-run) dry_run=true; shift ;;
    *) echo "rollback: unknown argument $1" >&2; exit 2 ;;
  esac
done
case "$env_name" in dev | staging | prod) ;; *) sed -n '2,12p' "$0" >&2; exit 2 ;; esac
[[ -z "$to_revision" || "$to_revision" =~ ^[1-9][0-9]*$ ]] || { echo "rollback: --to-revision needs a number" >&2; exit 2; }
KUBECTL=${KUBECTL:-kubectl}
timeout=${ROLLBACK_TIMEOUT:-300}
ns="employee-mgmt-$env_name"

run() {
  if $dry_run; then
    printf '+ %s\n' "$*"
  else
    echo "+ $*" >&2
    "$@"
  fi
}

if [[ "$env_name" != prod ]]; then
  run "$KUBECTL" -n "$ns" rollout undo deployment/employee-api ${to_revision:+--to-revision="$to_revision"}
  run "$KUBECTL" -n "$ns" rollout status deployment/employee-api --timeout="${timeout}s"
  exit 0
fi

if "$KUBECTL" argo rollouts version >/dev/null 2>&1; then
  run "$KUBECTL" argo rollouts abort employee-api -n "$ns"
  run "$KUBECTL" argo rollouts undo employee-api -n "$ns" ${to_revision:+--to-revision="$to_revision"}
  run "$KUBECTL" argo rollouts status employee-api -n "$ns" --timeout "${timeout}s"
  exit 0
fi

# Without the plugin: the same API calls.
run "$KUBECTL" -n "$ns" patch rollout employee-api --subresource=status --type=merge -p '{"status":{"abort":true}}'
if $dry_run && ! "$KUBECTL" -n "$ns" get rollout employee-api >/dev/null 2>&1; then
  # No cluster to read the ReplicaSets from: show the command with a placeholder template.
  printf '+ %s\n' "$KUBECTL -n $ns patch rollout employee-api --type=json -p [{\"op\":\"replace\",\"path\":\"/spec/template\",\"value\":<template of revision ${to_revision:-previous}>}]"
else
  # The ReplicaSets this Rollout owns, newest revision first.
  uid=$("$KUBECTL" -n "$ns" get rollout employee-api -o jsonpath='{.metadata.uid}')
  rs_json=$("$KUBECTL" -n "$ns" get replicasets -l app.kubernetes.io/name=employee-api -o json)
  template=$(jq -c --arg uid "$uid" --arg rev "$to_revision" '
      [.items[] | select(any(.metadata.ownerReferences[]?; .uid == $uid and .controller == true))
                | {rev: (.metadata.annotations["rollout.argoproj.io/revision"] // "0" | tonumber), t: .spec.template}]
      | sort_by(-.rev)
      | (if $rev == "" then .[1] else (map(select(.rev == ($rev | tonumber))) | .[0]) end)
      | .t // empty | del(.metadata.labels["rollouts-pod-template-hash"])' <<<"$rs_json")
  [[ -n "$template" ]] || { echo "rollback: revision ${to_revision:-previous} not found among the Rollout's ReplicaSets" >&2; exit 1; }
  run "$KUBECTL" -n "$ns" patch rollout employee-api --type=json \
    -p "[{\"op\":\"replace\",\"path\":\"/spec/template\",\"value\":$template}]"
fi
# Wait until the restored revision is Healthy (the deploy script's loop, with the rollback's timeout).
if $dry_run; then
  printf '+ %s\n' "wait until rollout/employee-api is Healthy with stableRS == currentPodHash (timeout ${timeout}s)"
  exit 0
fi
deadline=$(($(date +%s) + timeout))
while (($(date +%s) < deadline)); do
  state=$("$KUBECTL" -n "$ns" get rollout employee-api -o jsonpath='{.status.phase}|{.status.currentPodHash}|{.status.stableRS}')
  IFS='|' read -r phase current stable <<<"$state"
  echo "rollback: phase=$phase current=$current stable=$stable"
  if [[ "$phase" == Healthy && "$current" == "$stable" ]]; then exit 0; fi
  sleep 5
done
echo "rollback: not Healthy within ${timeout}s" >&2
exit 1
