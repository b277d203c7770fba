#!/usr/bin/env bash
# Monitoring proof (issue 4): promtool/amtool checks and rule unit tests, then the end-to-end run of the service,
# Prometheus, exporters, Alertmanager and a webhook receiver, including a database fault under traffic.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash monitoring/test/ci-check.sh
