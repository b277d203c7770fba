#!/usr/bin/env bash
# Container proof: builds the repository's Dockerfile with podman and runs the image the way the manifests run it.
#  1. Base images (no container registry here): a Debian bookworm minbase root filesystem made with debootstrap
#     (tarball cached in $EMPLOYEE_MGMT_CACHE, default /var/cache/employee-mgmt), plus the Temurin JDK 25 of this
#     machine ("JDK 25") or a jlink'ed runtime of it ("JRE 25"). Built only when absent from podman's storage.
#  2. podman build of ./Dockerfile with those images substituted through BUILD_IMAGE / RUNTIME_IMAGE, offline
#     (--network=none) against the host's Maven repository mounted at /m2 (MAVEN_ARGS=-o, MAVEN_USER_HOME=/m2).
#  3. Checks on the image (user, OCI labels, layers); the memory limit as the container and the JVM in it see it
#     (cgroup limit = 512 MiB, the JVM's own "Memory Limit" and its max heap = 60 % of it, asserted from inside a
#     container started with the Deployment's --memory 512m, never assumed); then a run with --read-only
#     --user 1000:1000 --cap-drop ALL --security-opt no-new-privileges, a tmpfs /tmp, against a PostgreSQL started
#     here: probes answer 200, an API call answers, the root filesystem is not writable, the process is UID 1000.
# Ports: free ones from the kernel (host network, loopback only). Container and image tag are unique per run,
# base images are built under a lock, so parallel runs on one machine do not collide. Every wait is bounded and
# prints the container's state and log when it runs out.
# --build-only IMAGE: steps 1 and 2 only, leaving the image as IMAGE (ci/supply-chain-proof.sh signs it).
set -euo pipefail
build_only=''
[[ "${1:-}" == "--build-only" ]] && build_only=${2:?usage: podman-proof.sh [--build-only IMAGE]}

root=$(cd "$(dirname "$0")/.." && pwd)
cache=${EMPLOYEE_MGMT_CACHE:-/var/cache/employee-mgmt}
jdk=${JDK_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
export CONTAINERS_CONF="$root/deploy/podman/containers.conf"
PG_BIN=/usr/lib/postgresql/15/bin
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
API_PORT=$(free_port) MGMT_PORT=$(free_port) PG_PORT=$(free_port)
MEMORY_LIMIT_MIB=512
base_img=localhost/employee-mgmt-base/bookworm:minbase
jdk_img=localhost/employee-mgmt-base/jdk:25
jre_img=localhost/employee-mgmt-base/jre:25
app_img=${build_only:-localhost/employee-mgmt/employee-api:proof-$$}
ctr=employee-mgmt-podman-proof-$$

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
  [[ -n "$build_only" ]] || podman rmi "$app_img" >/dev/null 2>&1 || true
  [[ -f "$work/pg/data/postmaster.pid" ]] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/pg/data" stop -m immediate >/dev/null 2>&1
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT

# ---- 1. base images (one builder at a time per machine) ----
mkdir -p "$cache"
exec 9>"$cache/base-images.lock"
flock -w 900 9 || { echo "waited 900 s for $cache/base-images.lock" >&2; exit 1; }
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

flock -u 9

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
if [[ -n "$build_only" ]]; then
  echo "podman-proof: built $app_img; $passed passed, $failed failed"
  exit 0
fi

# ---- 3. image checks ----
user=$(podman image inspect --format '{{.Config.User}}' "$app_img")
assert "image runs as 1000:1000 (USER $user)" [ "$user" = "1000:1000" ]
labels=$(podman image inspect --format '{{json .Config.Labels}}' "$app_img")
for l in title description version revision created; do
  assert "OCI label org.opencontainers.image.$l" grep -q "\"org.opencontainers.image.$l\":\"[^\"]" <<<"$labels"
done
# Spring Boot's layers as separate image layers, in the Dockerfile's order: dependencies (large, rarely changing)
# first, the application classes (small, changing on every commit) last; then the AOT cache trained on them.
mapfile -t copies < <(podman history --no-trunc --format '{{.CreatedBy}}|{{.Size}}' "$app_img" |
  awk -F'|' '/COPY dir:.* in \.\/ / {print $2}' | tac)
echo "     app layers (dependencies, snapshot-dependencies, application): ${copies[*]}"
assert "3 Spring Boot layers copied separately" [ "${#copies[@]}" = 3 ]
assert "dependencies layer is the big one (${copies[0]:-?})" grep -qE '^[0-9.]+ ?MB$' <<<"${copies[0]:-}"
# Small: kilobytes, or a few megabytes (the console's templates and static files ship in it too), never tens.
assert "application layer is small (${copies[2]:-?}, under 10 MB)" grep -qE '^([0-9.]+ ?k?B|[0-9](\.[0-9]+)? ?MB)$' <<<"${copies[2]:-}"
aot_layer=$(podman history --no-trunc --format '{{.CreatedBy}}|{{.Size}}' "$app_img" | awk -F'|' '/AOTCacheOutput=app.aot/ {print $2}')
assert "AOT cache layer after the application layer (${aot_layer:-missing})" grep -qE '^[0-9.]+ ?MB$' <<<"${aot_layer:-}"
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

# ---- the memory limit, as the kernel and the JVM inside the container see it ----
# A container started with --memory must get that limit in its cgroup, and the JVM must size its heap from it
# (the ENTRYPOINT's -XX:MaxRAMPercentage=60). Both are read from inside a container, never assumed.
limit_bytes=$((MEMORY_LIMIT_MIB * 1048576))
mapfile -t entrypoint < <(podman image inspect --format '{{range .Config.Entrypoint}}{{println .}}{{end}}' "$app_img" | sed '/^$/d')
jvm_flags=()
# Flags and @argument files (jvm.options, the flags the AOT cache was trained with), up to -jar.
for a in "${entrypoint[@]:1}"; do [[ "$a" == -* || "$a" == @* ]] && jvm_flags+=("$a"); done
# shellcheck disable=SC2016 # $f and $@ are expanded by the shell inside the container
view=$(timeout 60 podman run --rm --memory "${MEMORY_LIMIT_MIB}m" --user 1000:1000 --read-only --tmpfs /tmp --entrypoint sh \
  "$app_img" -c 'for f in /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory/memory.limit_in_bytes; do
      [ -r "$f" ] && echo "cgroup-limit $(cat "$f")" && break; done
    exec java "$@" -XshowSettings:system -XX:+PrintFlagsFinal -version' sh "${jvm_flags[@]}" 2>&1) ||
  { echo "$view" | tail -20 >&2; bad "could not start a JVM in a container with --memory ${MEMORY_LIMIT_MIB}m"; }
cgroup_limit=$(awk '$1 == "cgroup-limit" {print $2}' <<<"$view")
jvm_limit=$(sed -n 's/^ *Memory Limit: *//p' <<<"$view" | head -1)
jvm_heap=$(awk '$2 == "MaxHeapSize" {print $4}' <<<"$view")
jvm_serial=$(awk '$2 == "UseSerialGC" {print $4}' <<<"$view")
jvm_coh=$(awk '$2 == "UseCompactObjectHeaders" {print $4}' <<<"$view")
echo "     inside --memory ${MEMORY_LIMIT_MIB}m: cgroup limit ${cgroup_limit:-?} B; JVM: Memory Limit ${jvm_limit:-?}, MaxHeapSize ${jvm_heap:-?} B (flags ${jvm_flags[*]})"
assert "the container's cgroup memory limit is ${MEMORY_LIMIT_MIB} MiB (got ${cgroup_limit:-nothing})" [ "${cgroup_limit:-0}" = "$limit_bytes" ]
assert "the JVM in the container sees the ${MEMORY_LIMIT_MIB} MiB limit (Memory Limit: ${jvm_limit:-not reported})" \
  grep -qE "^${MEMORY_LIMIT_MIB}(\.0+)?M$" <<<"${jvm_limit:-}"
assert "the JVM's max heap $((${jvm_heap:-0} / 1048576)) MiB is 55-62 % of the limit" \
  between "${jvm_heap:-0}" $((limit_bytes * 55 / 100)) $((limit_bytes * 62 / 100))
assert "the JVM in the container runs the serial collector the AOT cache was trained with (UseSerialGC ${jvm_serial:-?})" \
  [ "${jvm_serial:-}" = true ]
assert "the JVM in the container uses compact object headers, as the AOT training did (UseCompactObjectHeaders ${jvm_coh:-?})" \
  [ "${jvm_coh:-}" = true ]

# ---- run: read-only root, UID 1000, no capabilities, the Deployment's memory limit ----
state() { podman inspect --format 'status={{.State.Status}} exit={{.State.ExitCode}} oom-killed={{.State.OOMKilled}} error={{.State.Error}}' "$ctr" 2>&1; }
running() { [[ "$(podman inspect --format '{{.State.Running}}' "$ctr" 2>/dev/null)" == true ]]; }
diagnose() { # why: prints the container's state, its log and the machine's load, then fails the proof
  echo "FAIL $1" >&2
  echo "     container: $(state); load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  podman logs "$ctr" 2>&1 | tail -30 >&2
  failed=$((failed + 1))
  echo "podman-proof: $passed passed, $failed failed ($(($(date +%s) - t0)) s)"
  exit 1
}
# JAVA_TOOL_OPTIONS=-XX:AOTMode=on: the JVM refuses to start unless it can map the image's AOT cache, so a cache
# that no longer matches the image's JVM or class path fails the proof instead of silently starting slowly.
step "podman run --read-only --user 1000:1000 --cap-drop ALL --memory ${MEMORY_LIMIT_MIB}m (API :$API_PORT, management :$MGMT_PORT)"
run_start=$(date +%s.%N)
podman run -d --name "$ctr" --network host \
  --read-only --user 1000:1000 --cap-drop ALL --security-opt no-new-privileges \
  --tmpfs /tmp:rw,size=256m,mode=1777 --memory "${MEMORY_LIMIT_MIB}m" \
  -e PORT="$API_PORT" -e MANAGEMENT_PORT="$MGMT_PORT" -e JAVA_TOOL_OPTIONS=-XX:AOTMode=on \
  -e SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/employee_mgmt" \
  -e SPRING_DATASOURCE_USERNAME=employee_api -e SPRING_DATASOURCE_PASSWORD=unused-with-trust-auth \
  "$app_img" >/dev/null
configured=$(podman inspect --format '{{.HostConfig.Memory}}' "$ctr")
assert "podman applied the memory limit to the service container (HostConfig.Memory $configured)" [ "$configured" = "$limit_bytes" ]
# Startup gets what the kubelet would give it: the Deployment's startupProbe budget (5 s x 60), ending early if
# the container exits.
startup_budget=300
deadline=$(($(date +%s) + startup_budget))
code=000
while (($(date +%s) < deadline)); do
  code=$(curl -s -o /dev/null -m 3 -w '%{http_code}' "http://127.0.0.1:$API_PORT/api/v1/health/startup" || true)
  [[ "$code" == 200 ]] && break
  running || diagnose "the container exited during startup"
  sleep 1
done
[[ "$code" == 200 ]] || diagnose "startup probe still $code after ${startup_budget} s"
ok "container started in $(awk -v a="$run_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s (podman run -> startup probe 200, empty database, load $(cut -d' ' -f1 /proc/loadavg))"
in_limit=$(podman exec "$ctr" sh -c 'cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes') ||
  diagnose "podman exec failed"
assert "the running service's cgroup limit is ${MEMORY_LIMIT_MIB} MiB (read inside: $in_limit)" [ "$in_limit" = "$limit_bytes" ]
# GET with a bounded retry: the first OpenAPI document is generated on demand and can take seconds when busy.
get() { # port path outfile -> HTTP status, retried for up to 60 s while the container runs
  local c=000 end=$(($(date +%s) + 60))
  while (($(date +%s) < end)); do
    c=$(curl -s -o "$3" -m 20 -w '%{http_code}' "http://127.0.0.1:$1$2" || true)
    [[ "$c" == 200 ]] && break
    running || break
    sleep 1
  done
  echo "$c"
}
for p in /api/v1/health/startup /api/v1/health/ready /api/v1/health/live /api/v1/health; do
  c=$(get "$API_PORT" "$p" /dev/null)
  assert "GET :$API_PORT$p -> 200 (got $c)" [ "$c" = 200 ]
done
c=$(get "$API_PORT" /api/v1/openapi.json "$work/openapi.json")
assert "API call GET /api/v1/openapi.json -> 200 with an OpenAPI document (got $c)" grep -q '"openapi"' "$work/openapi.json"
c=$(get "$MGMT_PORT" /metrics "$work/metrics.txt")
assert "management :$MGMT_PORT/metrics serves http_server_requests (got $c)" grep -q '^http_server_requests_seconds_count' "$work/metrics.txt"
# The running service's heap, as it exports it: the same 60 % of the limit.
heap_max=$(awk '/^jvm_memory_max_bytes\{/ && /area="heap"/ && $NF > 0 {s += $NF} END {printf "%d", s}' "$work/metrics.txt")
assert "service heap max $((heap_max / 1048576)) MiB = 55-62 % of the ${MEMORY_LIMIT_MIB} MiB limit" \
  between "$heap_max" $((limit_bytes * 55 / 100)) $((limit_bytes * 62 / 100))
running || diagnose "the container is no longer running"
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
