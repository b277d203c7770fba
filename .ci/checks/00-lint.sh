#!/usr/bin/env bash
# Static checks that need no running service: every shell script passes shellcheck, every YAML file yamllint.
set -euo pipefail
cd "$(dirname "$0")/../.."

missing=()
command -v shellcheck >/dev/null || missing+=(shellcheck)
command -v yamllint >/dev/null || missing+=(yamllint)
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi

mapfile -t scripts < <(git ls-files '*.sh' mvnw .ci/run)
shellcheck "${scripts[@]}"
echo "shellcheck: ${#scripts[@]} scripts clean"

mapfile -t yaml < <(git ls-files '*.yml' '*.yaml')
yamllint --strict -c .yamllint.yaml "${yaml[@]}"
echo "yamllint: ${#yaml[@]} files clean"
