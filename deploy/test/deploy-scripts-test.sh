#!/usr/bin/env bash
# Tests of deploy/deploy.sh and deploy/rollback.sh without a cluster: rendering by digest for every environment,
# argument checks, the prod phase-following loop (a release that becomes stable, one the controller aborts) and
# the prod rollback (abort + the previous revision's template written back) against deploy/test/fake-kubectl,
# and the documented --dry-run output of the rollback script.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
FAKE_DIR=$(mktemp -d /tmp/deploy-scripts-test.XXXXXX)
export FAKE_DIR
trap 'rm -rf "$FAKE_DIR"' EXIT
export KUBECTL="$root/deploy/test/fake-kubectl" DEPLOY_POLL=0 DEPLOY_TIMEOUT=20
failures=0
ok() { echo "  ok   $*"; }
bad() { echo "  FAIL $*"; failures=$((failures + 1)); }
digest="sha256:$(printf '%064d' 7)"

for e in dev staging prod; do
  if out=$(deploy/deploy.sh "$e" "$digest" --render-only) &&
    [[ $(grep -c "image: ghcr.io/employee-mgmt/employee-api@$digest" "target/deploy/$e/manifest.yaml") == 1 ]] &&
    ! grep -q 'image: ghcr.io/employee-mgmt/employee-api:' "target/deploy/$e/manifest.yaml"; then
    ok "$e renders with the image pinned to the digest (${out##*with })"
  else
    bad "$e render by digest"
  fi
done
for arg in "sha256:abc" "1.0.0" ""; do
  if deploy/deploy.sh prod "$arg" --render-only >/dev/null 2>&1; then bad "deploy accepted digest '$arg'"; else ok "deploy refuses digest '$arg'"; fi
done

# prod release that becomes stable: pre-promotion, switch, post-promotion, Healthy.
: >"$FAKE_DIR/calls"
cat >"$FAKE_DIR/phases" <<'P'
2|1|Healthy||old1|old1|old1|
2|2|Progressing||new2|old1|old1|waiting for analysis to complete
2|2|Progressing||new2|old1|new2|waiting for analysis to complete
2|2|Healthy||new2|new2|new2|
P
if deploy/deploy.sh prod "$digest" >"$FAKE_DIR/out" 2>&1 && grep -q 'released: new2 is stable and active' "$FAKE_DIR/out" &&
  grep -q "apply -n employee-mgmt-prod -f $root/target/deploy/prod/manifest.yaml" "$FAKE_DIR/calls"; then
  ok "prod deploy follows the Rollout to Healthy and exits 0"
else
  bad "prod deploy success path"; cat "$FAKE_DIR/out"
fi
# prod release that the controller aborts (failed analysis).
cat >"$FAKE_DIR/phases" <<'P'
3|3|Progressing||new3|new2|new3|waiting for analysis to complete
3|3|Degraded|true|new3|new2|new2|RolloutAborted: metric "error-ratio" assessed Failed
P
if deploy/deploy.sh prod "$digest" >"$FAKE_DIR/out" 2>&1; then
  bad "prod deploy exited 0 on an aborted release"
elif grep -q 'ABORTED by the controller' "$FAKE_DIR/out"; then
  ok "prod deploy exits 1 when the controller aborts the release"
else
  bad "prod deploy abort path"; cat "$FAKE_DIR/out"
fi
# prod release stuck: timeout.
printf '4|4|Paused||new4|new3|new3|BlueGreenPause\n' >"$FAKE_DIR/phases"
if DEPLOY_TIMEOUT=1 DEPLOY_POLL=1 deploy/deploy.sh prod "$digest" >"$FAKE_DIR/out" 2>&1; then
  bad "prod deploy exited 0 while Paused"
else
  if grep -q 'timeout after 1s' "$FAKE_DIR/out"; then ok "prod deploy times out (bounded) on a stuck release"; else bad "timeout message"; fi
fi

# prod rollback without the plugin: abort, then revision 2's template (hash label removed) back into the Rollout.
: >"$FAKE_DIR/calls"
echo uid-1 >"$FAKE_DIR/uid"
rs() { # NAME REVISION HASH IMAGE OWNER_UID
  printf '{"metadata":{"name":"%s","annotations":{"rollout.argoproj.io/revision":"%s"},"ownerReferences":[{"uid":"%s","controller":true}]},' "$1" "$2" "$5"
  printf '"spec":{"template":{"metadata":{"labels":{"app.kubernetes.io/name":"employee-api","rollouts-pod-template-hash":"%s"}},"spec":{"containers":[{"name":"employee-api","image":"%s"}]}}}}' "$3" "$4"
}
printf '{"items":[%s,%s,%s,%s]}' "$(rs a 1 h1 img:v1 uid-1)" "$(rs b 3 h3 img:v3 uid-1)" "$(rs c 2 h2 img:v2 uid-1)" \
  "$(rs d 9 h9 img:other uid-2)" >"$FAKE_DIR/rs.json"
printf '5|5|Healthy||h2|h2|h2|\n' >"$FAKE_DIR/phases"
if deploy/rollback.sh prod >"$FAKE_DIR/out" 2>&1 &&
  grep -q 'patch rollout employee-api --subresource=status --type=merge -p {"status":{"abort":true}}' "$FAKE_DIR/calls" &&
  grep 'type=json' "$FAKE_DIR/calls" | grep -q '"image":"img:v2"' &&
  ! grep 'type=json' "$FAKE_DIR/calls" | grep -q 'rollouts-pod-template-hash'; then
  ok "prod rollback aborts, then writes back the previous revision's template (img:v2, hash label removed)"
else
  bad "prod rollback"; cat "$FAKE_DIR/out" "$FAKE_DIR/calls"
fi
: >"$FAKE_DIR/calls"
if deploy/rollback.sh prod --to-revision 1 >/dev/null 2>&1 && grep 'type=json' "$FAKE_DIR/calls" | grep -q '"image":"img:v1"'; then
  ok "prod rollback --to-revision 1 restores img:v1"
else
  bad "prod rollback --to-revision"
fi
if deploy/rollback.sh prod --to-revision 7 >/dev/null 2>&1; then bad "rollback to a missing revision exited 0"; else ok "rollback to a missing revision fails clearly"; fi
if deploy/rollback.sh prod --to-revision 9 >/dev/null 2>&1; then bad "rollback used another Rollout's ReplicaSet"; else ok "rollback ignores ReplicaSets of other owners"; fi

# --dry-run: prints the commands, runs nothing that changes the cluster.
: >"$FAKE_DIR/calls"
out=$(deploy/rollback.sh staging --to-revision 4 --dry-run)
expected="+ $KUBECTL -n employee-mgmt-staging rollout undo deployment/employee-api --to-revision=4
+ $KUBECTL -n employee-mgmt-staging rollout status deployment/employee-api --timeout=300s"
if [[ "$out" == "$expected" && ! -s "$FAKE_DIR/calls" ]]; then
  ok "staging --dry-run prints undo + status and calls nothing"
else
  bad "staging dry-run"
  echo "$out"
fi
out=$(deploy/rollback.sh prod --dry-run)
if grep -q '^+ .* patch rollout employee-api --subresource=status --type=merge' <<<"$out" &&
  grep -q '^+ .*"path":"/spec/template"' <<<"$out" && ! grep -q ' patch ' "$FAKE_DIR/calls"; then
  ok "prod --dry-run prints abort + undo + wait and changes nothing"
else
  bad "prod dry-run"; echo "$out"
fi
echo "deploy scripts test: $failures failed"
exit $((failures > 0))
