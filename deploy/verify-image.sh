#!/usr/bin/env bash
# Resolves a release version to its image digest and verifies it before anything is deployed (deploy-prod.yml).
#
#   deploy/verify-image.sh VERSION        e.g. v1.4.0 (the tag whose build.yml run pushed the image)
# Checks, each fatal: the tag resolves to one digest; the digest carries a cosign keyless signature made by this
# repository's build.yml for a v* tag (GitHub's OIDC issuer); its build-provenance attestation verifies with
# `gh attestation verify`, signed by the same workflow. Writes image= and digest= to $GITHUB_OUTPUT.
# Environment: GITHUB_REPOSITORY (owner/name), GH_TOKEN (registry and attestation API), IMAGE (default
# ghcr.io/<owner>/employee-api, the name build.yml pushes), GITHUB_ACTOR.
set -euo pipefail
version=${1:?usage: deploy/verify-image.sh VERSION}
[[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+([-.][0-9A-Za-z.-]+)?$ ]] || { echo "verify-image: '$version' is no v* release version" >&2; exit 2; }
repo=${GITHUB_REPOSITORY:?GITHUB_REPOSITORY (owner/name) is required}
owner=${repo%%/*}
IMAGE=${IMAGE:-ghcr.io/${owner,,}/employee-api}
tag=${version#v} # the metadata action's semver tag ({{version}})

digest=$(skopeo inspect --creds "${GITHUB_ACTOR:-token}:${GH_TOKEN:?GH_TOKEN is required}" "docker://$IMAGE:$tag" | jq -r .Digest)
[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || { echo "verify-image: $IMAGE:$tag did not resolve to a digest" >&2; exit 1; }
echo "verify-image: $IMAGE:$tag = $digest"

workflow="https://github.com/$repo/.github/workflows/build.yml"
cosign verify "$IMAGE@$digest" \
  --certificate-oidc-issuer https://token.actions.githubusercontent.com \
  --certificate-identity-regexp "^${workflow//./\\.}@refs/tags/v" >/dev/null
echo "verify-image: cosign signature by $workflow on a v* tag: verified"

gh attestation verify "oci://$IMAGE@$digest" --repo "$repo" --signer-workflow "$repo/.github/workflows/build.yml" >/dev/null
echo "verify-image: build provenance attestation: verified"

if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  printf 'image=%s\ndigest=%s\n' "$IMAGE" "$digest" >>"$GITHUB_OUTPUT"
fi
if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
  printf '### Release %s\n\n%s@%s: signature and provenance verified\n\n' "$version" "$IMAGE" "$digest" >>"$GITHUB_STEP_SUMMARY"
fi
