#!/usr/bin/env bash
# Installs (idempotently, Debian packages only) what the monitoring checks need. Skips apt entirely when every
# package is already installed.
set -euo pipefail

PACKAGES=(prometheus prometheus-alertmanager prometheus-node-exporter prometheus-postgres-exporter
  prometheus-redis-exporter postgresql-15 redis-server python3 python3-yaml jq curl shellcheck yamllint)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian's packages would start these as services on a systemd machine; here nothing runs until the checks start it.
for tool in prometheus promtool prometheus-alertmanager amtool prometheus-postgres-exporter \
  prometheus-redis-exporter prometheus-node-exporter redis-server jq shellcheck yamllint; do
  command -v "$tool" >/dev/null || { echo "missing after install: $tool" >&2; exit 1; }
done
