#!/usr/bin/env bash
# Container and Kubernetes proof (issue 5): render, schema and policy checks of every overlay, the manifests
# against the running service, and a podman build-and-run of the Dockerfile.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash deploy/ci-check.sh
