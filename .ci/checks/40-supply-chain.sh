#!/usr/bin/env bash
# Supply-chain proof (issue 8): the image from the Dockerfile pushed to a local OCI registry by digest, merged
# into a manifest list by build.yml's own scripts, its SBOM, a cosign key-pair signature and SBOM attestation
# verified, and an unsigned image (and a wrong key) rejected.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash ci/supply-chain-proof.sh
