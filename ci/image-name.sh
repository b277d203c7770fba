#!/usr/bin/env bash
# Step outputs for build.yml: name = the image name in GitHub Container Registry (lower-case, as the registry
# requires), pair = PLATFORM with "/" replaced (for cache scopes and artifact names).
#   GITHUB_REPOSITORY_OWNER=Acme PLATFORM=linux/arm64 bash ci/image-name.sh   -> name=ghcr.io/acme/employee-api, pair=linux-arm64
set -euo pipefail
owner=${GITHUB_REPOSITORY_OWNER:?GITHUB_REPOSITORY_OWNER is not set}
platform=${PLATFORM:-}
out=${GITHUB_OUTPUT:-/dev/stdout}
{
  echo "name=ghcr.io/${owner,,}/employee-api"
  echo "pair=${platform//\//-}"
} >>"$out"
