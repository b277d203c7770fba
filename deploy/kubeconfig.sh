#!/usr/bin/env bash
# Cluster credentials for a deploy job (docs/deployment/README.md, "Cluster access").
#
#   deploy/kubeconfig.sh            writes $RUNNER_TEMP/kubeconfig and exports KUBECONFIG to later steps ($GITHUB_ENV)
#   deploy/kubeconfig.sh --token    (called by kubectl) prints an ExecCredential with a fresh GitHub OIDC token
#
# Preferred: GitHub OIDC, no stored secret. Set the environment variables K8S_SERVER (API server URL),
# K8S_CA_DATA (base64 CA bundle) and optionally K8S_OIDC_AUDIENCE (default: the server URL); the cluster trusts
# the issuer https://token.actions.githubusercontent.com (a JWT authenticator) and binds RBAC to the token's
# subject, e.g. repo:OWNER/REPO:environment:production. The job needs `permissions: id-token: write`. kubectl runs
# this script for every token it needs (an exec credential plugin), so the short-lived OIDC tokens never expire
# during a long rollout. Managed clusters (EKS, GKE, AKS) use their own login action instead (same idea).
# Fallback: KUBECONFIG_B64 (base64 kubeconfig, an environment secret), used when K8S_SERVER is unset.
set -euo pipefail

if [[ "${1:-}" == --token ]]; then
  audience=${K8S_OIDC_AUDIENCE:-$K8S_SERVER}
  : "${ACTIONS_ID_TOKEN_REQUEST_URL:?no OIDC token endpoint: the job needs permissions id-token: write}"
  token=$(curl -fsS --max-time 20 -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" \
    --get --data-urlencode "audience=$audience" "$ACTIONS_ID_TOKEN_REQUEST_URL" | jq -r .value)
  [[ -n "$token" && "$token" != null ]] || { echo "kubeconfig: no OIDC token" >&2; exit 1; }
  # GitHub's tokens live about 5 minutes: ask kubectl to come back after 4.
  expiry=$(date -u -d '+4 minutes' +%Y-%m-%dT%H:%M:%SZ)
  jq -n --arg t "$token" --arg e "$expiry" \
    '{apiVersion: "client.authentication.k8s.io/v1", kind: "ExecCredential", status: {token: $t, expirationTimestamp: $e}}'
  exit 0
fi

out="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/kubeconfig"
umask 077
if [[ -n "${K8S_SERVER:-}" ]]; then
  : "${K8S_CA_DATA:?K8S_CA_DATA (base64 CA bundle of the API server) is required with K8S_SERVER}"
  script=$(cd "$(dirname "$0")" && pwd)/kubeconfig.sh
  cat >"$out" <<YAML
apiVersion: v1
kind: Config
clusters:
  - name: target
    cluster:
      server: $K8S_SERVER
      certificate-authority-data: $K8S_CA_DATA
users:
  - name: github-oidc
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1
        command: bash
        args: ["$script", "--token"]
        interactiveMode: Never
        provideClusterInfo: false
contexts:
  - name: target
    context: {cluster: target, user: github-oidc}
current-context: target
YAML
  echo "kubeconfig: GitHub OIDC for $K8S_SERVER"
elif [[ -n "${KUBECONFIG_B64:-}" ]]; then
  base64 -d <<<"$KUBECONFIG_B64" >"$out"
  echo "kubeconfig: from the KUBECONFIG_B64 secret (fallback)"
else
  echo "kubeconfig: set K8S_SERVER + K8S_CA_DATA (OIDC) or the KUBECONFIG_B64 secret" >&2
  exit 1
fi
if [[ -n "${GITHUB_ENV:-}" ]]; then echo "KUBECONFIG=$out" >>"$GITHUB_ENV"; fi
