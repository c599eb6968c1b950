#!/usr/bin/env bash
# Refresh the front-end libraries the hub serves itself (no CDN: pages load only the hub's own files) and
# axe-core, which the browser tests inject. Each comes from npm at the version pinned below, with its
# licence; VERSIONS records what is vendored. Run from anywhere: musenor/oai_server/static/vendor/refresh.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tests_vendor="$here/../../../tests/vendor"
OPENSEADRAGON=6.1.1
AXE_CORE=4.14.1

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
unpack() {  # unpack NAME VERSION -> $work/NAME/package
  mkdir -p "$work/$1"
  (cd "$work/$1" && npm pack --silent "$1@$2" >/dev/null && tar xzf ./*.tgz)
}

unpack openseadragon "$OPENSEADRAGON"
rm -rf "$here/openseadragon" && mkdir -p "$here/openseadragon"
cp "$work/openseadragon/package/build/openseadragon/openseadragon.min.js" "$here/openseadragon/"
cp -r "$work/openseadragon/package/build/openseadragon/images" "$here/openseadragon/images"
cp "$work/openseadragon/package/LICENSE.txt" "$here/openseadragon/LICENSE.txt"

unpack axe-core "$AXE_CORE"
rm -rf "$tests_vendor/axe-core" && mkdir -p "$tests_vendor/axe-core"
cp "$work/axe-core/package/axe.min.js" "$work/axe-core/package/LICENSE" "$tests_vendor/axe-core/"

cat > "$here/VERSIONS" <<VERSIONS
openseadragon $OPENSEADRAGON BSD-3-Clause https://www.npmjs.com/package/openseadragon
VERSIONS
echo "axe-core $AXE_CORE MPL-2.0 https://www.npmjs.com/package/axe-core" > "$tests_vendor/axe-core/VERSION"
echo "vendored: openseadragon $OPENSEADRAGON (static), axe-core $AXE_CORE (tests)"
