#!/usr/bin/env bash
# The benchmark harness (ops/bench) at small scale against a service and PostgreSQL it starts itself on free
# ports: proves the harness runs, asserts no timing. Installs what it uses. About 2 minutes on a quiet machine,
# 5 at load 23 (most of it the JVM start); bounded at 8.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v pgbench >/dev/null || missing+=(postgresql-contrib)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi

start=$(date +%s)
timeout 480 bash ops/bench/smoke.sh target/bench-smoke
echo "50-bench-smoke: passed in $(($(date +%s) - start)) s"
