#!/usr/bin/env bash
# Refresh the vendored Leaflet (the map of the place pages) from the npm registry.
#
#   scripts/vendor-leaflet.sh           # the version pinned in musenor/oai_server/static/vendor/leaflet/VERSION
#   scripts/vendor-leaflet.sh 1.9.5     # another version; then run tests/test_browser_catalogue.py
#
# Takes the built files of `leaflet` from `npm pack`, never from a CDN: pages load only the hub's own files
# (the map tiles alone come from the tile server musenor.toml names, [pages] map_tiles). Source maps are
# left out (the page never asks for them).
set -euo pipefail
cd "$(dirname "$0")/.."
target=musenor/oai_server/static/vendor/leaflet
version=${1:-$(cat "$target/VERSION")}
package="leaflet@$version"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$package" >/dev/null)
tar -xzf "$work"/leaflet-"$version".tgz -C "$work"
built="$work/package/dist"
for file in leaflet.js leaflet.css images/marker-icon.png images/marker-icon-2x.png images/marker-shadow.png; do
  test -s "$built/$file" || { echo "$package has no dist/$file" >&2; exit 1; }
done

licence=$(node -p "require('$work/package/package.json').license")
if [ "$licence" != "BSD-2-Clause" ]; then
  echo "$package is licensed '$licence', not BSD-2-Clause: check it may be vendored, then update this script" >&2
  exit 1
fi

rm -rf "$target" && mkdir -p "$target/images"
sed '/^\/\/# sourceMappingURL=/d' "$built/leaflet.js" > "$target/leaflet.js"
cp "$built/leaflet.css" "$target/leaflet.css"
cp "$built"/images/marker-icon.png "$built"/images/marker-icon-2x.png "$built"/images/marker-shadow.png \
   "$target/images/"
cp "$work/package/LICENSE" "$target/LICENSE"
echo "$version" > "$target/VERSION"
echo "vendored $package into $target ($(wc -c < "$target/leaflet.js") bytes of script)"
