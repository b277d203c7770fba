#!/usr/bin/env bash
# The workflow gate: actionlint (native, with shellcheck on every run: block), then GitHub's own validator
# (@actions/languageservice + @actions/workflow-parser) and the project's conventions (ci/validate-workflows.mjs).
#   bash ci/lint-workflows.sh [WORKFLOW...]     default: every file in .github/workflows/
# Needs the tools of ci/install-tools.sh on PATH (ci/lint-infra.sh puts them there). Exit 1 on any finding.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if (($#)); then files=("$@"); else files=("$root"/.github/workflows/*); fi
rc=0
actionlint -shellcheck="$(command -v shellcheck)" "${files[@]}" || rc=1
node --import "$root/ci/json-import-hook.mjs" "$root/ci/validate-workflows.mjs" "${files[@]}" || rc=1
((rc == 0)) && echo "workflows: ${#files[@]} files, actionlint $(actionlint -version | head -1) and GitHub's validator clean"
exit "$rc"
