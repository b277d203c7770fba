#!/usr/bin/env bash
# The Docker users' stack (compose.yaml): valid Compose, the same sources as Kubernetes and monitoring/, and its
# replication and secret wiring exercised with real processes (deploy/compose/check.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash deploy/compose/check.sh
