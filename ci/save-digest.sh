#!/usr/bin/env bash
# Records one per-platform image digest as an empty file named after it (what ci/merge-manifest.sh reads).
#   DIGEST=sha256:... bash ci/save-digest.sh DIR
set -euo pipefail
dir=${1:?usage: DIGEST=sha256:... save-digest.sh DIR}
digest=${DIGEST:?DIGEST is not set}
[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || { echo "not an image digest: '$digest'" >&2; exit 1; }
mkdir -p "$dir"
: >"$dir/${digest#sha256:}"
echo "recorded $digest"
