#!/usr/bin/env bash
# The service's CycloneDX SBOM (cyclonedx-maven-plugin, bound to the Maven build) copied to OUT.
#   bash ci/service-sbom.sh OUT.json            builds the jar first (tests skipped; they run in test.yml)
#   bash ci/service-sbom.sh --no-build OUT.json  uses the SBOM of the last build in target/
set -euo pipefail
cd "$(dirname "$0")/.."
build=true
[[ "${1:-}" == "--no-build" ]] && { build=false; shift; }
out=${1:?usage: service-sbom.sh [--no-build] OUT.json}
if $build; then
  ./mvnw -B -q -DskipTests -Dspotless.check.skip=true package
fi
sbom=$(find target -maxdepth 4 \( -name '*.cdx.json' -o -name 'bom.json' \) -newer pom.xml -print 2>/dev/null | head -1)
[[ -n "$sbom" ]] || { echo "no CycloneDX SBOM under target/ (is cyclonedx-maven-plugin bound to the build?)" >&2; exit 1; }
jq -e '.bomFormat == "CycloneDX" and (.components | length) > 0' "$sbom" >/dev/null ||
  { echo "$sbom is not a CycloneDX SBOM with components" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
cp "$sbom" "$out"
echo "SBOM $sbom -> $out ($(jq '.components | length' "$out") components)"
