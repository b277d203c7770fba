#!/usr/bin/env bash
# What runs where: deploy/status.sh ENV
# dev/staging: the Deployment, its rollout history and pods. prod: the Rollout (phase, stable and new version,
# active/preview selectors), its ReplicaSets, the AnalysisRuns and the pods; the plugin's tree view when installed.
# Read-only. Environment: KUBECTL (default kubectl).
set -euo pipefail
env_name=${1:-}
case "$env_name" in dev | staging | prod) ;; *) sed -n '2,5p' "$0" >&2; exit 2 ;; esac
KUBECTL=${KUBECTL:-kubectl}
ns="employee-mgmt-$env_name"
sel=app.kubernetes.io/name=employee-api
if [[ "$env_name" != prod ]]; then
  "$KUBECTL" -n "$ns" get deployment employee-api -o wide
  "$KUBECTL" -n "$ns" rollout history deployment/employee-api
  "$KUBECTL" -n "$ns" get pods -l "$sel" -o wide
  exit 0
fi
if "$KUBECTL" argo rollouts version >/dev/null 2>&1; then
  "$KUBECTL" argo rollouts get rollout employee-api -n "$ns"
  exit 0
fi
"$KUBECTL" -n "$ns" get rollout employee-api -o jsonpath='phase: {.status.phase}{"\n"}message: {.status.message}{"\n"}stable: {.status.stableRS}{"\n"}new: {.status.currentPodHash}{"\n"}active selector: {.status.blueGreen.activeSelector}{"\n"}preview selector: {.status.blueGreen.previewSelector}{"\n"}aborted: {.status.abort}{"\n"}'
"$KUBECTL" -n "$ns" get replicasets -l "$sel" -L rollouts-pod-template-hash \
  -o custom-columns='NAME:.metadata.name,REVISION:.metadata.annotations.rollout\.argoproj\.io/revision,DESIRED:.spec.replicas,READY:.status.readyReplicas,IMAGE:.spec.template.spec.containers[0].image'
"$KUBECTL" -n "$ns" get analysisruns -o wide 2>/dev/null || true
"$KUBECTL" -n "$ns" get pods -l "$sel" -L rollouts-pod-template-hash -o wide
