#!/usr/bin/env bash
# The local counterpart of build.yml's publish steps, on this machine:
#  1. the image from the repository's Dockerfile (deploy/podman-proof.sh --build-only: the same podman build)
#  2. a private OCI registry (Debian's docker-registry) on a free loopback port, started for this check
#  3. push by digest, recorded and merged into a manifest list by build.yml's own scripts (ci/save-digest.sh,
#     ci/merge-manifest.sh with podman), tagged like the metadata action would (sha-<commit>)
#  4. SBOMs: the image's (syft, CycloneDX) and the service's (ci/service-sbom.sh, from the Maven build)
#  5. cosign with a key pair made for this run (build.yml signs keyless with GitHub's OIDC token, which does
#     not exist here): sign the digest, attach the SBOM as a signed attestation, verify both
#  6. negative controls: an unsigned image, and the signed one against another key, must fail verification
# Usage: bash ci/supply-chain-proof.sh   (needs target/ from ./mvnw verify for the service SBOM; builds otherwise)
# Ends with "supply-chain: N passed, N failed".
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
t0=$(date +%s)
env_script=$(bash ci/install-tools.sh --env)
eval "$env_script"
# shellcheck disable=SC1091
source ci/tools.env
export CONTAINERS_CONF="$root/deploy/podman/containers.conf"
command -v docker-registry >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry >/dev/null
}

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*" >&2; }
step() { echo "== $* (+$(($(date +%s) - t0)) s)"; }

work=$(mktemp -d /tmp/employee-mgmt-supply-chain.XXXXXX)
image=localhost/employee-mgmt/employee-api:supply-chain-$$
unsigned_image=localhost/employee-mgmt/unsigned:supply-chain-$$
registry_pid=''
cleanup() {
  local rc=$?
  set +e
  [[ -n "$registry_pid" ]] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null
  podman rmi -f "$image" "$unsigned_image" >/dev/null 2>&1
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT

# ---- 1. the image ----
step "image from ./Dockerfile (podman)"
bash deploy/podman-proof.sh --build-only "$image" >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; exit 1; }
ok "built $image from ./Dockerfile ($(grep -o 'offline ([0-9]* s)' "$work/build.log" || true))"

# ---- 2. a registry on a free loopback port ----
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$work/registry.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $work/registry
http:
  addr: 127.0.0.1:$port
EOF
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
deadline=$(($(date +%s) + 30))
until [[ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/" || true)" == 200 ]]; do
  if ! kill -0 "$registry_pid" 2>/dev/null || (($(date +%s) >= deadline)); then
    echo "registry on 127.0.0.1:$port not up within 30 s:" >&2
    tail -20 "$work/registry.log" >&2
    exit 1
  fi
  sleep 0.2
done
ok "OCI registry (docker-registry $(docker-registry --version | awk '{print $3}')) on 127.0.0.1:$port"
repo="127.0.0.1:$port/employee-mgmt/employee-api"
export PODMAN_TLS=false

# ---- 3. push by digest, merge with build.yml's scripts ----
step "push by digest"
podman push -q --tls-verify=false --digestfile "$work/platform.digest" "$image" "docker://$repo:build-$$" >/dev/null
DIGEST=$(cat "$work/platform.digest") bash ci/save-digest.sh "$work/digests" >/dev/null
revision=$(git rev-parse HEAD)
IMAGE="$repo" TAGS="$repo:sha-$revision" GITHUB_OUTPUT="$work/merge.out" bash ci/merge-manifest.sh "$work/digests" \
  >"$work/merge.log" 2>&1 || { tail -20 "$work/merge.log" >&2; bad "ci/merge-manifest.sh failed"; exit 1; }
digest=$(sed -n 's/^digest=//p' "$work/merge.out")
ref="$repo@$digest"
if [[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] &&
  curl -sf -m 10 -H 'Accept: application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json' \
    "http://127.0.0.1:$port/v2/employee-mgmt/employee-api/manifests/sha-$revision" | jq -e '.manifests | length >= 1' >/dev/null; then
  ok "manifest list $digest tagged sha-${revision:0:12}... (ci/save-digest.sh + ci/merge-manifest.sh)"
else
  bad "ci/merge-manifest.sh did not produce a tagged manifest list (digest '$digest')"
  exit 1
fi

# ---- 4. SBOMs ----
step "SBOMs"
SYFT_REGISTRY_INSECURE_USE_HTTP=true SYFT_CHECK_FOR_APP_UPDATE=false \
  syft scan -q "registry:$repo@$(cat "$work/platform.digest")" -o "cyclonedx-json=$work/image.cdx.json"
jars=$(jq '[.components[] | select(.purl // "" | startswith("pkg:maven/"))] | length' "$work/image.cdx.json")
debs=$(jq '[.components[] | select(.purl // "" | startswith("pkg:deb/"))] | length' "$work/image.cdx.json")
spring=$(jq -r '[.components[] | select(.name == "spring-core") | .version] | first // empty' "$work/image.cdx.json")
if [[ "$jars" -gt 50 && "$debs" -gt 20 && -n "$spring" ]]; then
  ok "image SBOM (syft $SYFT_VERSION, CycloneDX): $jars Maven components (spring-core $spring), $debs Debian packages"
else
  bad "image SBOM lacks the expected components (maven $jars, deb $debs, spring-core '${spring}')"
fi
if [[ -d target/classes ]]; then sbom_args=(--no-build); else sbom_args=(); fi
if ! grep -q '<artifactId>cyclonedx-maven-plugin</artifactId>' pom.xml; then
  echo "skip service SBOM: pom.xml does not bind cyclonedx-maven-plugin (yet)"
elif bash ci/service-sbom.sh "${sbom_args[@]}" "$work/service.cdx.json" >"$work/service-sbom.log" 2>&1; then
  ok "service SBOM (ci/service-sbom.sh): $(tail -1 "$work/service-sbom.log")"
else
  bad "ci/service-sbom.sh: $(tail -3 "$work/service-sbom.log")"
fi

# ---- 5. sign, attest, verify ----
step "cosign $COSIGN_VERSION key pair: sign, attest, verify"
cd "$work"
COSIGN_PASSWORD=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
export COSIGN_PASSWORD
cosign generate-key-pair >/dev/null 2>&1
# No transparency log or timestamp authority here: a signing config without them (keyless signing in build.yml
# uses Sigstore's public instances).
cosign signing-config create --out "$work/signing-config.json" >/dev/null 2>&1
cosign_quiet() { "$@" >"$work/cosign.out" 2>&1; }
sign_opts=(--key cosign.key --signing-config "$work/signing-config.json" --allow-insecure-registry --yes)
verify_opts=(--insecure-ignore-tlog=true --offline=true --allow-insecure-registry)
if cosign_quiet cosign sign "${sign_opts[@]}" "$ref"; then ok "signed $ref"; else bad "cosign sign: $(tail -3 cosign.out)"; fi
if cosign_quiet cosign verify --key cosign.pub "${verify_opts[@]}" "$ref" &&
  grep -q "\"docker-manifest-digest\":\"$digest\"" cosign.out; then
  ok "cosign verify with the public key: signature valid for $digest"
else
  bad "cosign verify of the signed image: $(tail -3 cosign.out)"
fi
if cosign_quiet cosign attest "${sign_opts[@]}" --type cyclonedx --predicate "$work/image.cdx.json" "$ref" &&
  cosign_quiet cosign verify-attestation --key cosign.pub --type cyclonedx "${verify_opts[@]}" "$ref"; then
  ok "SBOM attached as a signed CycloneDX attestation and verified"
else
  bad "cosign attest/verify-attestation: $(tail -3 cosign.out)"
fi

# ---- 6. negative controls ----
step "negative controls"
printf 'FROM %s\nLABEL org.opencontainers.image.description="unsigned copy"\n' "$image" >"$work/Unsigned.Containerfile"
podman build -q --network=none -f "$work/Unsigned.Containerfile" -t "$unsigned_image" "$work" >/dev/null
podman push -q --tls-verify=false --digestfile "$work/unsigned.digest" "$unsigned_image" "docker://$repo:unsigned-$$" >/dev/null
if cosign_quiet cosign verify --key cosign.pub "${verify_opts[@]}" "$repo@$(cat "$work/unsigned.digest")"; then
  bad "an unsigned image passed cosign verify"
else
  ok "an unsigned image fails cosign verify ($(grep -m1 -o 'no signatures found\|no matching signatures' cosign.out || tail -1 cosign.out))"
fi
mkdir -p "$work/other" && (cd "$work/other" && cosign generate-key-pair >/dev/null 2>&1)
if cosign_quiet cosign verify --key "$work/other/cosign.pub" "${verify_opts[@]}" "$ref"; then
  bad "the signed image passed verification against another key"
else
  ok "the signed image fails verification against another key"
fi

echo "supply-chain took $(($(date +%s) - t0)) s"
echo "supply-chain: $passed passed, $failed failed"
[[ "$failed" == 0 ]]
