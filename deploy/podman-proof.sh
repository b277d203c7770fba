#!/usr/bin/env bash
# Container proof: builds the repository's Dockerfile with podman and runs the image the way the manifests run it.
#  1. Base images (no container registry here): a Debian bookworm minbase root filesystem made with debootstrap
#     (tarball cached in $EMPLOYEE_MGMT_CACHE, default /var/cache/employee-mgmt), plus the Temurin JDK 25 of this
#     machine ("JDK 25") or a jlink'ed runtime of it ("JRE 25"). Built only when absent from podman's storage.
#  2. podman build of ./Dockerfile with those images substituted through BUILD_IMAGE / RUNTIME_IMAGE, offline
#     (--network=none) against the host's Maven repository mounted at /m2 (MAVEN_ARGS=-o, MAVEN_USER_HOME=/m2).
#  3. Checks on the image (user, OCI labels, layers), then a run with --read-only --user 1000:1000 --cap-drop ALL
#     --security-opt no-new-privileges, a tmpfs /tmp, against a PostgreSQL started here on 127.0.0.1:25432:
#     probes answer 200, an API call answers, the root filesystem is not writable, the process is UID 1000.
# Ports: API 18080, management 19091, PostgreSQL 25432 (host network, loopback only).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache=${EMPLOYEE_MGMT_CACHE:-/var/cache/employee-mgmt}
jdk=${JDK_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
export CONTAINERS_CONF="$root/deploy/podman/containers.conf"
PG_BIN=/usr/lib/postgresql/15/bin
API_PORT=18080 MGMT_PORT=19091 PG_PORT=25432
base_img=localhost/employee-mgmt-base/bookworm:minbase
jdk_img=localhost/employee-mgmt-base/jdk:25
jre_img=localhost/employee-mgmt-base/jre:25
app_img=localhost/employee-mgmt/employee-api:proof
ctr=employee-mgmt-podman-proof

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*" >&2; }
between() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; } # value low high
assert() { # message command...
  local msg=$1
  shift
  if "$@"; then ok "$msg"; else bad "$msg"; fi
}
t0=$(date +%s)
step() { echo "== $* (+$(($(date +%s) - t0)) s)"; }

# ---- tools ----
missing=()
for tool in podman:podman buildah:buildah runc:runc debootstrap:debootstrap; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool##*:}")
done
if ((${#missing[@]})); then
  step "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

work=$(mktemp -d /tmp/employee-mgmt-podman.XXXXXX)
chmod 755 "$work"
cleanup() {
  local rc=$?
  set +e
  podman rm -f "$ctr" >/dev/null 2>&1 || true
  [[ -f "$work/pg/data/postmaster.pid" ]] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/pg/data" stop -m immediate >/dev/null 2>&1
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT

# ---- 1. base images ----
if ! podman image exists "$base_img"; then
  mkdir -p "$cache"
  if [[ ! -s "$cache/bookworm-minbase.tar" ]]; then
    # The Debian mirror this machine's apt already uses.
    mirror=$(cat /etc/apt/sources.list.d/* /etc/apt/sources.list 2>/dev/null |
      awk '/^(URIs:|deb) / {print $2}' | grep -v -- '-security' | head -1 || true)
    [[ -n "$mirror" ]] || { echo "no Debian mirror found in /etc/apt sources" >&2; exit 1; }
    step "debootstrap bookworm minbase from $mirror"
    debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
      { tail -20 "$work/debootstrap.log" >&2; exit 1; }
    rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
    tar -C "$work/rootfs" -cf "$cache/bookworm-minbase.tar.partial" .
    mv "$cache/bookworm-minbase.tar.partial" "$cache/bookworm-minbase.tar"
    rm -rf "$work/rootfs"
  fi
  step "importing $base_img"
  podman import -q --change 'CMD ["/bin/bash"]' "$cache/bookworm-minbase.tar" "$base_img" >/dev/null
fi
if ! podman image exists "$jdk_img"; then
  step "building $jdk_img from $jdk"
  podman build -q --network=none -f "$root/deploy/podman/java-base.Containerfile" --build-arg "BASE=$base_img" \
    -t "$jdk_img" "$jdk" >/dev/null
fi
if ! podman image exists "$jre_img"; then
  step "building $jre_img (jlink of $jdk without development tools)"
  mods=$("$jdk/bin/java" --list-modules | sed 's/@.*//' |
    grep -vE '^(jdk\.(compiler|javadoc|jdeps|jlink|jshell|jpackage|editpad|jconsole|hotspot\.agent|jstatd|jartool|jdi)|jdk\.internal\.(ed|le|opt|md)|jdk\.incubator\..*)$' |
    paste -sd,)
  "$jdk/bin/jlink" --add-modules "$mods" --strip-debug --no-man-pages --no-header-files --output "$work/jre"
  podman build -q --network=none -f "$root/deploy/podman/java-base.Containerfile" --build-arg "BASE=$base_img" \
    -t "$jre_img" "$work/jre" >/dev/null
  rm -rf "$work/jre"
fi

# ---- 2. the image, from the repository's Dockerfile ----
step "podman build of ./Dockerfile (offline, host Maven repository mounted)"
[[ -x "${HOME:-/root}/.m2/wrapper/dists/apache-maven-$(sed -n 's/^maven\.version=//p' "$root/.mvn/wrapper/maven-wrapper.properties")/apache-maven-$(sed -n 's/^maven\.version=//p' "$root/.mvn/wrapper/maven-wrapper.properties")/bin/mvn" ]] ||
  (cd "$root" && ./mvnw -v >/dev/null) # installs the wrapper's Maven into ~/.m2 if this machine has not yet
build_start=$(date +%s)
podman build --network=none --layers \
  --volume "${HOME:-/root}/.m2:/m2" \
  --build-arg "BUILD_IMAGE=$jdk_img" --build-arg "RUNTIME_IMAGE=$jre_img" \
  --build-arg MAVEN_ARGS=-o --build-arg MAVEN_USER_HOME=/m2 \
  --build-arg "REVISION=$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)" \
  --build-arg "CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  -t "$app_img" "$root" >"$work/build.log" 2>&1 || { tail -40 "$work/build.log" >&2; bad "podman build"; exit 1; }
ok "podman build of ./Dockerfile with local JDK 25 / JRE 25 bases, offline ($(($(date +%s) - build_start)) s)"

# ---- 3. image checks ----
user=$(podman image inspect --format '{{.Config.User}}' "$app_img")
assert "image runs as 1000:1000 (USER $user)" [ "$user" = "1000:1000" ]
labels=$(podman image inspect --format '{{json .Config.Labels}}' "$app_img")
for l in title description version revision created; do
  assert "OCI label org.opencontainers.image.$l" grep -q "\"org.opencontainers.image.$l\":\"[^\"]" <<<"$labels"
done
# Spring Boot's layers as separate image layers, in the Dockerfile's order: dependencies (large, rarely changing)
# first, the application classes (small, changing on every commit) last.
mapfile -t copies < <(podman history --no-trunc --format '{{.CreatedBy}}|{{.Size}}' "$app_img" |
  awk -F'|' '/COPY dir:.* in \.\/ / {print $2}' | tac)
echo "     app layers (dependencies, loader, snapshot-dependencies, application): ${copies[*]}"
assert "4 Spring Boot layers copied separately" [ "${#copies[@]}" = 4 ]
assert "dependencies layer is the big one (${copies[0]:-?})" grep -qE '^[0-9.]+ ?MB$' <<<"${copies[0]:-}"
assert "application layer is small (${copies[3]:-?})" grep -qE '^[0-9.]+ ?k?B$' <<<"${copies[3]:-}"
assert "no JDK tools in the runtime image (javac absent)" \
  bash -c "! podman run --rm --entrypoint sh '$app_img' -c 'command -v javac' >/dev/null"

# ---- PostgreSQL for the run ----
step "PostgreSQL 15 on 127.0.0.1:$PG_PORT"
mkdir -p "$work/pg"
chown postgres: "$work/pg"
runuser -u postgres -- "$PG_BIN/initdb" -D "$work/pg/data" -U employee_api --auth=trust -E UTF8 >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w \
  -o "-p $PG_PORT -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U employee_api -d postgres -qc 'CREATE DATABASE employee_mgmt'

# ---- run: read-only root, UID 1000, no capabilities, the Deployment's memory limit ----
step "podman run --read-only --user 1000:1000 --cap-drop ALL --memory 512m"
podman run -d --name "$ctr" --network host \
  --read-only --user 1000:1000 --cap-drop ALL --security-opt no-new-privileges \
  --tmpfs /tmp:rw,size=256m,mode=1777 --memory 512m \
  -e PORT=$API_PORT -e MANAGEMENT_PORT=$MGMT_PORT \
  -e SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/employee_mgmt" \
  -e SPRING_DATASOURCE_USERNAME=employee_api -e SPRING_DATASOURCE_PASSWORD=unused-with-trust-auth \
  "$app_img" >/dev/null
code=000
for _ in $(seq 180); do
  code=$(curl -s -o /dev/null -m 3 -w '%{http_code}' "http://127.0.0.1:$API_PORT/api/v1/health/startup" || true)
  [[ "$code" == 200 ]] && break
  [[ "$(podman inspect --format '{{.State.Running}}' "$ctr")" == true ]] || break
  sleep 1
done
if [[ "$code" != 200 ]]; then
  podman logs "$ctr" 2>&1 | tail -30 >&2
  bad "container did not start (startup probe $code)"
  echo "podman-proof: $passed passed, $failed failed"
  exit 1
fi
ok "container started in $(($(date +%s) - t0)) s since the beginning of the proof"
for p in /api/v1/health/startup /api/v1/health/ready /api/v1/health/live /api/v1/health; do
  c=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "http://127.0.0.1:$API_PORT$p" || true)
  assert "GET :$API_PORT$p -> 200 (got $c)" [ "$c" = 200 ]
done
c=$(curl -s -o "$work/openapi.json" -m 10 -w '%{http_code}' "http://127.0.0.1:$API_PORT/api/v1/openapi.json" || true)
assert "API call GET /api/v1/openapi.json -> 200 with an OpenAPI document (got $c)" grep -q '"openapi"' "$work/openapi.json"
assert "management :$MGMT_PORT/metrics serves http_server_requests" \
  bash -c "curl -s -m 5 http://127.0.0.1:$MGMT_PORT/metrics | grep -q '^http_server_requests_seconds_count'"
# The JVM sizes its heap from the container limit (the Deployment's 512Mi): MaxRAMPercentage=60 -> ~307 MiB.
heap_max=$(curl -s -m 5 "http://127.0.0.1:$MGMT_PORT/metrics" |
  awk '/^jvm_memory_max_bytes\{/ && /area="heap"/ && $NF > 0 {s += $NF} END {printf "%d", s}')
assert "heap max $((heap_max / 1048576)) MiB = 55-62 % of the 512 MiB memory limit" \
  between "$heap_max" $((512 * 1048576 * 55 / 100)) $((512 * 1048576 * 62 / 100))
assert "process runs as UID 1000" [ "$(podman exec "$ctr" id -u)" = 1000 ]
assert "root filesystem is read-only" bash -c "! podman exec '$ctr' sh -c 'touch /app/x' 2>/dev/null"
assert "/tmp is writable (JVM tmpdir)" podman exec "$ctr" sh -c 'touch /tmp/x'
caps=$(podman exec "$ctr" sh -c 'grep CapEff /proc/self/status' | awk '{print $2}')
assert "no effective capabilities (CapEff $caps)" [ "$((16#$caps))" = 0 ]
podman stop -t 30 "$ctr" >/dev/null
exit_code=$(podman inspect --format '{{.State.ExitCode}}' "$ctr")
assert "SIGTERM: graceful shutdown, exit code $exit_code (143 = terminated by SIGTERM after shutdown hooks)" \
  bash -c "[ '$exit_code' = 0 ] || [ '$exit_code' = 143 ]"
assert "graceful shutdown logged" bash -c "podman logs '$ctr' 2>&1 | grep -q 'Graceful shutdown complete'"

echo "podman-proof: $passed passed, $failed failed ($(($(date +%s) - t0)) s)"
[[ "$failed" == 0 ]]
