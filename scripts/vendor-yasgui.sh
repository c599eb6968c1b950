#!/usr/bin/env bash
# Refresh the vendored YASGUI (the SPARQL query editor of /sparql) from the npm registry.
#
#   scripts/vendor-yasgui.sh            # the version pinned in musenor/oai_server/static/vendor/yasgui/VERSION
#   scripts/vendor-yasgui.sh 4.7.0      # another version; then run tests/test_browser.py
#
# Takes the built files of @zazuko/yasgui (the maintained fork of @triply/yasgui) from `npm pack`, never
# from a CDN: the page must work offline. Source maps are left out (the page never asks for them).
set -euo pipefail
cd "$(dirname "$0")/.."
target=musenor/oai_server/static/vendor/yasgui
version=${1:-$(cat "$target/VERSION")}
package="@zazuko/yasgui@$version"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$package" >/dev/null)
tar -xzf "$work"/zazuko-yasgui-"$version".tgz -C "$work"
built="$work/package/build"
for file in yasgui.min.js yasgui.min.css; do
  test -s "$built/$file" || { echo "$package has no build/$file" >&2; exit 1; }
done

licence=$(node -p "require('$work/package/package.json').license")
if [ "$licence" != "MIT" ]; then
  echo "$package is licensed '$licence', not MIT: check it may be vendored, then update $target/LICENSE" >&2
  exit 1
fi

mkdir -p "$target"
# The bundle ends by naming its source map; the map is not vendored, so the line goes too.
sed '/^\/\/# sourceMappingURL=/d' "$built/yasgui.min.js" > "$target/yasgui.min.js"
sed '/^\/\*# sourceMappingURL=/d' "$built/yasgui.min.css" > "$target/yasgui.min.css"
cp "$work/package/package.json" "$target/package.json"
echo "$version" > "$target/VERSION"
echo "vendored $package into $target ($(wc -c < "$target/yasgui.min.js") bytes of script)"
