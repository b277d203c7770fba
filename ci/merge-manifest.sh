#!/usr/bin/env bash
# Merges the per-platform images (pushed by digest, one empty file per digest in DIGEST_DIR, see save-digest.sh)
# into one multi-platform manifest list, tags it with every tag in TAGS (one per line) or in the metadata action's
# DOCKER_METADATA_OUTPUT_JSON, and writes "digest=sha256:..." of the list to $GITHUB_OUTPUT (stdout if unset).
#   IMAGE=REGISTRY/OWNER/employee-api bash ci/merge-manifest.sh DIGEST_DIR
# Engine: docker buildx imagetools on GitHub's runners; podman manifest where there is no docker (.ci/run).
set -euo pipefail
dir=${1:?usage: IMAGE=... merge-manifest.sh DIGEST_DIR}
image=${IMAGE:?IMAGE is not set}
if [[ -n "${TAGS:-}" ]]; then
  mapfile -t tags <<<"$TAGS"
else
  mapfile -t tags < <(jq -r '.tags[]' <<<"${DOCKER_METADATA_OUTPUT_JSON:?neither TAGS nor DOCKER_METADATA_OUTPUT_JSON is set}")
fi
((${#tags[@]})) || { echo "no tags to apply" >&2; exit 1; }
sources=()
for f in "$dir"/*; do
  d=${f##*/}
  [[ "$d" =~ ^[0-9a-f]{64}$ ]] || { echo "not a digest file: $f" >&2; exit 1; }
  sources+=("$image@sha256:$d")
done
((${#sources[@]})) || { echo "no digests in $dir" >&2; exit 1; }
echo "merging ${sources[*]} as ${tags[*]}"

if docker buildx version >/dev/null 2>&1; then
  args=()
  for t in "${tags[@]}"; do args+=(-t "$t"); done
  docker buildx imagetools create "${args[@]}" "${sources[@]}"
  digest=$(docker buildx imagetools inspect "${tags[0]}" --format '{{json .Manifest}}' | jq -r .digest)
else
  list="merge-manifest-$$"
  podman manifest rm "$list" >/dev/null 2>&1 || true
  podman manifest create "$list" >/dev/null
  trap 'podman manifest rm "$list" >/dev/null 2>&1 || true' EXIT
  for s in "${sources[@]}"; do podman manifest add ${PODMAN_TLS:+--tls-verify="$PODMAN_TLS"} "$list" "docker://$s" >/dev/null; done
  for t in "${tags[@]}"; do
    podman manifest push ${PODMAN_TLS:+--tls-verify="$PODMAN_TLS"} --all --digestfile "$dir.pushed" "$list" "docker://$t" >/dev/null
  done
  digest=$(cat "$dir.pushed")
  rm -f "$dir.pushed"
fi
[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || { echo "could not read the manifest list's digest (got '$digest')" >&2; exit 1; }
echo "digest=$digest" >>"${GITHUB_OUTPUT:-/dev/stdout}"
