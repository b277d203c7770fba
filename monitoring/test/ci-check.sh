#!/usr/bin/env bash
# The monitoring checks, in the order .ci/run calls them: static checks of every file under monitoring/ (lint,
# promtool, amtool, rule tests with coverage and mutation, Kubernetes discovery, dashboards), then the end-to-end
# proof against the running service (e2e.sh). MONITORING_SKIP_E2E=1 runs the static part only.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MON="$REPO/monitoring"
PY=/usr/bin/python3
START=$(date +%s)
WORK=$(mktemp -d /tmp/monitoring-check.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
step() { printf '\n== [%3ds] %s\n' "$(($(date +%s) - START))" "$*"; }

step "tools"
bash "$MON/test/install-tools.sh"
promtool --version 2>&1 | head -1
prometheus-alertmanager --version 2>&1 | head -1

step "yamllint and shellcheck"
yamllint -s -d '{extends: default, rules: {indentation: {indent-sequences: whatever}, truthy: {check-keys: false},
  line-length: {max: 120}, document-start: disable}}' "$MON"
shellcheck "$MON"/test/*.sh
echo "ok"

step "Prometheus configuration, Kubernetes form"
# Debian's Prometheus is built without Kubernetes discovery: the kubernetes_sd_configs blocks are validated by
# prometheus_config.py (fields, roles, meta labels), then promtool checks the rest of the file with them swapped.
"$PY" "$MON/test/prometheus_config.py" kubernetes-check "$MON/prometheus/prometheus.yml" "$WORK/kubernetes.yml"
promtool check config --syntax-only "$WORK/kubernetes.yml"
# The checker must reject a misspelt meta label (it is a test too).
sed 's/__meta_kubernetes_pod_container_port_name/__meta_kubernetes_pod_container_portname/' \
  "$MON/prometheus/prometheus.yml" >"$WORK/misspelt.yml"
if "$PY" "$MON/test/prometheus_config.py" kubernetes-check "$WORK/misspelt.yml" "$WORK/out.yml" 2>/dev/null; then
  echo "prometheus_config.py accepted a misspelt meta label" >&2
  exit 1
fi

step "Prometheus configuration, local form (as the end-to-end check runs it)"
mkdir -p "$WORK/rules"
"$PY" "$MON/test/shorten_for.py" "$WORK/rules" "$MON"/prometheus/rules/*.yml
# Placeholder ports: the end-to-end run passes the free ports it was given.
LOCAL_PORT_MANAGEMENT=1 LOCAL_PORT_ALERTMANAGER=2 LOCAL_PORT_PG_EXPORTER=3 LOCAL_PORT_PG_REPLICA_EXPORTER=4 \
  LOCAL_PORT_REDIS_EXPORTER=5 LOCAL_PORT_NODE_EXPORTER=6 \
  "$PY" "$MON/test/prometheus_config.py" local "$MON/prometheus/prometheus.yml" "$WORK/local.yml" "$WORK/rules"
promtool check config "$WORK/local.yml"

step "rules: promtool check, unit tests, coverage and mutation"
promtool check rules "$MON"/prometheus/rules/*.yml
promtool test rules "$MON"/prometheus/tests/*.yml
"$PY" "$MON/test/rules_coverage.py" "$MON/prometheus/tests/alerts_test.yml" "$REPO"

step "Alertmanager configuration and routing"
sed -e "s#/etc/alertmanager/templates/#$MON/alertmanager/templates/#g" "$MON/alertmanager/alertmanager.yml" \
  >"$WORK/alertmanager.yml"
amtool check-config "$WORK/alertmanager.yml"
route() {
  local expected=$1
  shift
  local got
  got=$(amtool config routes test --config.file="$WORK/alertmanager.yml" "$@" 2>/dev/null)
  [[ $got == "$expected" ]] || { echo "route for $*: got '$got', expected '$expected'" >&2; exit 1; }
  echo "  $* -> $got"
}
while read -r alert severity; do
  route "$severity" alertname="$alert" severity="$severity" namespace=employee-mgmt-prod
done < <("$PY" -c 'import sys, yaml
for g in yaml.safe_load(open(sys.argv[1]))["groups"]:
    for r in g["rules"]:
        print(r["alert"], r["labels"]["severity"])' "$MON/prometheus/rules/alerts.yml")
route warning alertname=Unlabelled namespace=employee-mgmt-prod
amtool template render --template.glob="$MON/alertmanager/templates/*.tmpl" \
  --template.text='{{ template "employee_mgmt.title" . }}' >/dev/null

step "Grafana provisioning and dashboards"
"$PY" "$MON/test/dashboards.py" check "$MON/grafana/dashboards" "$MON/grafana/provisioning"

if [[ "${MONITORING_SKIP_E2E:-0}" == 1 ]]; then
  step "end-to-end skipped (MONITORING_SKIP_E2E=1)"
else
  step "end-to-end against the running service"
  bash "$MON/test/e2e.sh"
fi
step "monitoring checks passed"
