#!/usr/bin/env bash
# N-1 migration check: during a blue-green switch the previous release runs against the database the new release
# has migrated (expand/contract, docs/operations/database-migrations.md). This builds the previous release and runs
# the project's smoke test against it, on a running local stack (ops/stack up) whose database the current version
# has already migrated. A migration that breaks the previous version fails here.
#
# Which release is "previous" (first match):
#   1. the newest v* tag reachable from HEAD that does not point at HEAD;
#   2. otherwise the merge-base of HEAD and main (origin/main when there is no local main);
#   3. when that is HEAD itself (CI on main), HEAD's first parent - main before its newest merge.
# When the previous release's src/ and pom.xml trees are identical to HEAD's, its jar would be the current one
# byte for byte in behaviour: the current jar is used and the check says so. Otherwise the previous release is built
# once in a git worktree under target/n-minus-1/ (the Maven cache is reused, tests skipped, bounded by
# N1_BUILD_TIMEOUT seconds, default 420) and its jar is kept there for the next run. N1_FORCE_BUILD=1 builds even
# when the trees are equal. N1_MUTATION=0 skips the self-test (a schema change the previous release cannot survive
# must turn the smoke test red).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
t0=$(date +%s)
say() { printf '[n-1 +%3ds] %s\n' "$(($(date +%s) - t0))" "$*"; }

head=$(git rev-parse HEAD)
prev="" rule=""
if tag=$(git describe --tags --abbrev=0 --match 'v*' --exclude "$(git tag --points-at HEAD 'v*' | head -n 1 || true)" HEAD 2>/dev/null) &&
  [[ "$(git rev-parse "$tag^{commit}")" != "$head" ]]; then
  prev=$(git rev-parse "$tag^{commit}") rule="last version tag $tag"
else
  main_ref=main
  git rev-parse -q --verify main >/dev/null || main_ref=origin/main
  if base=$(git merge-base HEAD "$main_ref" 2>/dev/null) && [[ "$base" != "$head" ]]; then
    prev=$base rule="merge-base of HEAD and $main_ref"
  elif git rev-parse -q --verify HEAD^1 >/dev/null; then
    prev=$(git rev-parse HEAD^1) rule="first parent of HEAD (HEAD is on $main_ref)"
  fi
fi
[[ -n "$prev" ]] || { say "FAIL: no previous release found (no v* tag, no main, no parent)"; exit 1; }
say "previous release: ${prev:0:12} ($rule)"

# The service jar of a directory (target/employee-api-<version>.jar, not the -plain one).
service_jar() {
  local j
  for j in "$1"/target/employee-api-*.jar; do
    [[ -f "$j" && "$j" != *-plain.jar ]] && { echo "$j"; return 0; }
  done
  return 1
}
current_jar=$(service_jar "$root" || true)
[[ -n "$current_jar" ]] || { say "FAIL: no target/employee-api-*.jar - run ./mvnw -B -q -DskipTests package first"; exit 1; }
if [[ "${N1_FORCE_BUILD:-0}" != 1 && "$(git rev-parse "$prev:src")" == "$(git rev-parse HEAD:src)" &&
  "$(git rev-parse "$prev:pom.xml")" == "$(git rev-parse HEAD:pom.xml)" ]]; then
  jar=$current_jar
  say "src/ and pom.xml of ${prev:0:12} equal HEAD's (tree $(git rev-parse --short HEAD:src)): the previous release is this jar"
else
  dir="$root/target/n-minus-1"
  jar="$dir/${prev:0:12}.jar"
  if [[ ! -f "$jar" ]]; then
    wt="$dir/src-${prev:0:12}"
    mkdir -p "$dir"
    git worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
    git worktree add --detach "$wt" "$prev" >/dev/null
    say "building ${prev:0:12} in $wt"
    if ! (cd "$wt" && timeout "${N1_BUILD_TIMEOUT:-420}" ./mvnw -B -q -DskipTests -Dspotless.check.skip=true package \
      >"$dir/build-${prev:0:12}.log" 2>&1); then
      tail -n 30 "$dir/build-${prev:0:12}.log"
      git worktree remove --force "$wt"
      say "FAIL: the previous release did not build"
      exit 1
    fi
    cp "$(service_jar "$wt")" "$jar"
    git worktree remove --force "$wt"
  fi
  say "previous release jar: $jar"
fi

[[ -f target/stack/env ]] || { say "FAIL: no local stack (ops/stack up)"; exit 1; }
# shellcheck source=/dev/null
. target/stack/env
migrated=$(runuser -u postgres -- /usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p "$STACK_PG_PORT" -U postgres \
  -d employee_mgmt -qAtc "SELECT count(*) || ' migrations, newest V' || max(version) FROM flyway_schema_history WHERE success")
say "database migrated by the current version: $migrated"
# The previous release's instance: its own, or - when its jar is the current one - an instance the stack already runs
# from that jar against this database (starting the same code again would prove nothing more).
if [[ "$jar" == "$current_jar" && -n "${STACK_INSTANCES:-}" ]]; then
  instance=${STACK_INSTANCES%% *}
  say "using the running instance $instance (same jar)"
  started=false
else
  instance=previous
  ops/stack instance start previous --jar "$jar"
  started=true
fi
# shellcheck source=/dev/null
. target/stack/env
key=$(tr '[:lower:]-' '[:upper:]_' <<<"$instance")
url_var="STACK_INSTANCE_${key}_URL" metrics_var="STACK_INSTANCE_${key}_METRICS_URL"
url=${!url_var} metrics=${!metrics_var}
status=0
SMOKE_USERNAME=$STACK_ADMIN_USERNAME SMOKE_PASSWORD=$STACK_ADMIN_PASSWORD SMOKE_METRICS_URL=$metrics \
  sh deploy/smoke-test.sh "$url" || status=1
if ((status == 0)) && [[ "${N1_MUTATION:-1}" == 1 ]]; then
  # Self-test: a contract step the previous release cannot survive (the employees table renamed, as a careless
  # migration would) must turn the same smoke test red; the table is renamed back right after.
  sql() { runuser -u postgres -- /usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p "$STACK_PG_PORT" -U postgres -d employee_mgmt -qc "$1"; }
  sql 'ALTER TABLE employees RENAME TO employees_renamed_by_n1_mutation'
  if SMOKE_USERNAME=$STACK_ADMIN_USERNAME SMOKE_PASSWORD=$STACK_ADMIN_PASSWORD \
    sh deploy/smoke-test.sh "$url" >/dev/null 2>"$root/target/n-minus-1-mutation.err"; then
    say "FAIL (mutation): the smoke test stayed green with a schema the previous release cannot read"
    status=1
  else
    say "mutation: with a breaking schema change the check fails as it must ($(cat "$root/target/n-minus-1-mutation.err"))"
  fi
  sql 'ALTER TABLE employees_renamed_by_n1_mutation RENAME TO employees'
fi
if $started; then ops/stack instance stop previous --no-prestop; fi
if ((status == 0)); then
  say "PASSED: the previous release (${prev:0:12}) works against the database the current version migrated"
else
  say "FAILED: the previous release does not work against the current schema"
fi
exit $status
