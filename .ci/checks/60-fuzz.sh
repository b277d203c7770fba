#!/usr/bin/env bash
# Bounded OpenAPI fuzzing (issue 11): schemathesis against every operation of the running service with a real
# token (positive and negative data; server errors, status code, content type and response schema conformance),
# then the raw-HTTP cases it does not generate. ops/fuzz/run.sh starts the service on free ports with a throw-away
# embedded database and stops it by PID. Budget: about 2 minutes (1 min of fuzzing, some 5,000 cases); zero failures.
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$(date +%s)
command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3 python3-venv; }
python3 -c 'import venv' 2>/dev/null || apt-get install -y -qq python3-venv
timeout 600 bash ops/fuzz/run.sh
echo "60-fuzz: passed in $(( $(date +%s) - start )) s"
