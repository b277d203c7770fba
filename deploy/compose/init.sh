#!/usr/bin/env bash
# Creates the compose stack's secrets under deploy/compose/secrets/ (ignored by git): database, replication, Redis,
# first-administrator and Grafana passwords, the JWT signing key pair (EC P-256, ES256), and the Slack webhook URL
# files Alertmanager reads. Existing files are kept, so running it again changes nothing.
#   bash deploy/compose/init.sh [--slack-critical URL] [--slack-warning URL]
set -euo pipefail
dir="$(cd "$(dirname "$0")" && pwd)/secrets"
critical="http://127.0.0.1:9/slack-webhook-not-configured"
warning="$critical"
while (($#)); do
  case $1 in
    --slack-critical) critical=$2; shift 2 ;;
    --slack-warning) warning=$2; shift 2 ;;
    *) echo "usage: $0 [--slack-critical URL] [--slack-warning URL]" >&2; exit 2 ;;
  esac
done
umask 077
mkdir -p "$dir/alertmanager"
random() { head -c 24 /dev/urandom | base64 | tr -d '/+=' | head -c 32; }
keep_or_write() { # FILE VALUE: writes VALUE unless FILE exists
  [[ -s $1 ]] || printf '%s' "$2" >"$1"
}
for name in postgres-password replication-password redis-password grafana-admin-password; do
  keep_or_write "$dir/$name" "$(random)"
done
keep_or_write "$dir/admin-password" "$(random)"
if [[ ! -s $dir/jwt-private-key.pem ]]; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/jwt-private-key.pem"
  openssl pkey -in "$dir/jwt-private-key.pem" -pubout -out "$dir/jwt-public-key.pem"
fi
keep_or_write "$dir/alertmanager/slack-critical-webhook-url" "$critical"
keep_or_write "$dir/alertmanager/slack-warning-webhook-url" "$warning"
# Compose bind-mounts secret files with their host permissions and the containers run as other users (postgres
# 999, the service 1000, Grafana 472): they must be able to read them. For a workstation stack, not for production.
find "$dir" -type d -exec chmod 755 {} +
find "$dir" -type f -exec chmod 644 {} +
echo "secrets in $dir; the first administrator is 'admin' with the password in $dir/admin-password"
