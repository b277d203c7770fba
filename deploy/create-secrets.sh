#!/usr/bin/env bash
# Creates the Secrets the manifests reference, in namespace employee-mgmt-<env>. Nothing secret lives in the repo:
# values come from the environment variables below or are generated here (random passwords, a fresh RSA key pair
# for JWT signing). Existing Secrets are never overwritten (rotation: docs/deployment/secrets.md).
#
#   deploy/create-secrets.sh dev|staging|prod              create the missing Secrets with kubectl
#   deploy/create-secrets.sh dev|staging|prod --dry-run    print the Secret manifests instead (no cluster needed)
#
# Optional inputs: POSTGRES_USERNAME (default employee_api), POSTGRES_PASSWORD, REDIS_PASSWORD,
# JWT_PRIVATE_KEY_FILE + JWT_PUBLIC_KEY_FILE (PEM), ADMIN_PASSWORD (employee-api admin), GRAFANA_ADMIN_USER (default admin), GRAFANA_ADMIN_PASSWORD,
# SLACK_CRITICAL_WEBHOOK_URL + SLACK_WARNING_WEBHOOK_URL (Slack incoming webhooks of the two Alertmanager
# receivers; Alertmanager does not start until Secret alertmanager-webhooks exists).
set -euo pipefail

usage() { echo "usage: $0 dev|staging|prod [--dry-run]" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
env_name=$1
case "$env_name" in dev | staging | prod) ;; *) usage ;; esac
dry_run=false
[[ "${2:-}" == "--dry-run" ]] && dry_run=true
namespace="employee-mgmt-$env_name"

if ! $dry_run && ! kubectl get namespace "$namespace" >/dev/null 2>&1; then
  echo "namespace $namespace not found: apply the overlay first (kubectl apply --server-side -k k8s/overlays/$env_name)" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
umask 077

random_password() { openssl rand -base64 36 | tr -d '/+=\n' | cut -c1-32; }

# Emits one Secret (dry run) or creates it unless it exists.
emit() {
  local name=$1
  shift
  if $dry_run; then
    echo "---"
    kubectl create secret generic "$name" --namespace "$namespace" "$@" --dry-run=client -o yaml |
      sed "/^  creationTimestamp: null$/d"
  elif kubectl get secret "$name" --namespace "$namespace" >/dev/null 2>&1; then
    echo "secret/$name exists in $namespace: left unchanged" >&2
  else
    kubectl create secret generic "$name" --namespace "$namespace" "$@"
  fi
}

# basic-auth: CloudNativePG (prod) takes its database owner from this Secret and requires that type; the
# StatefulSet (dev, staging) reads the same two keys.
emit postgres-credentials --type=kubernetes.io/basic-auth \
  --from-literal=username="${POSTGRES_USERNAME:-employee_api}" \
  --from-literal=password="${POSTGRES_PASSWORD:-$(random_password)}"

emit redis-credentials --from-literal=password="${REDIS_PASSWORD:-$(random_password)}"

if [[ -n "${JWT_PRIVATE_KEY_FILE:-}" || -n "${JWT_PUBLIC_KEY_FILE:-}" ]]; then
  cp "${JWT_PRIVATE_KEY_FILE:?JWT_PUBLIC_KEY_FILE needs JWT_PRIVATE_KEY_FILE}" "$work/private-key.pem"
  cp "${JWT_PUBLIC_KEY_FILE:?JWT_PRIVATE_KEY_FILE needs JWT_PUBLIC_KEY_FILE}" "$work/public-key.pem"
else
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$work/private-key.pem" 2>/dev/null
  openssl pkey -in "$work/private-key.pem" -pubout -out "$work/public-key.pem"
fi
emit employee-api-jwt \
  --from-file=private-key.pem="$work/private-key.pem" \
  --from-file=public-key.pem="$work/public-key.pem"

# The first administrator of employee-api (used only while no user holds ADMIN).
emit employee-api-admin --from-literal=password="${ADMIN_PASSWORD:-$(random_password)}"

emit grafana-admin \
  --from-literal=admin-user="${GRAFANA_ADMIN_USER:-admin}" \
  --from-literal=admin-password="${GRAFANA_ADMIN_PASSWORD:-$(random_password)}"

if [[ -n "${SLACK_CRITICAL_WEBHOOK_URL:-}" && -n "${SLACK_WARNING_WEBHOOK_URL:-}" ]]; then
  emit alertmanager-webhooks \
    --from-literal=slack-critical-webhook-url="$SLACK_CRITICAL_WEBHOOK_URL" \
    --from-literal=slack-warning-webhook-url="$SLACK_WARNING_WEBHOOK_URL"
else
  echo "alertmanager-webhooks not created: set SLACK_CRITICAL_WEBHOOK_URL and SLACK_WARNING_WEBHOOK_URL" \
    "(Alertmanager waits for it)" >&2
fi
