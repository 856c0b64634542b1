#!/usr/bin/env bash
# Makes the build output, dist/, from www/ (after scripts/build-web.sh has put the wasm and its
# glue in www/pkg/): a copy of www/ in which every .js (the page's modules, the worker, the glue
# pkg/usnlab.js, usn-lab.js) and every .css is minified by esbuild, file by file: no bundling,
# ES modules stay ES modules with their imports, exports, import.meta.url and import() as they
# were, so relative URLs resolve as in www/. html, json, svg and wasm are copied as they are.
# www/ stays the readable source (and still works served directly); dist/ is what a host serves.
# Well under a second; `make build` runs it last, and Playwright's server runs it before it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
src=www
out=dist
[ -f "$src/pkg/usnlab.js" ] && [ -f "$src/pkg/usnlab_bg.wasm" ] ||
  { echo "build-dist: $src/pkg/ is missing: run \`make build\` first" >&2; exit 1; }

# Built beside dist/ and moved into place, so a half-made dist/ is never served.
tmp=$(mktemp -d "$out.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cp -R "$src/." "$tmp/"
mapfile -t files < <(find "$src" -type f \( -name '*.js' -o -name '*.css' \) | sort)
# --charset=utf8 keeps the page's typography (… → ▶ ·) as UTF-8 instead of \u escapes (module
# scripts are always read as UTF-8; the CSS is as before). No --format: esbuild then keeps each
# file's module format. No --target: nothing is rewritten for older browsers.
node_modules/.bin/esbuild "${files[@]}" --minify --charset=utf8 --outbase="$src" --outdir="$tmp" \
  --allow-overwrite --log-level=warning
rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
chmod 755 "$out"
before=$(cat "${files[@]}" | wc -c)
after=$(cd "$out" && cat "${files[@]#"$src/"}" | wc -c)
echo "built $out/: $src/ with its ${#files[@]} .js and .css files minified ($before -> $after bytes)"
