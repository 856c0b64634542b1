#!/usr/bin/env bash
# Makes the build output, dist/, from www/ (after scripts/build-web.sh has put the wasm and its
# glue in www/pkg/). www/ stays the readable source (and still works served directly); dist/ is
# what a host serves. docs/building.md says why each step, with the bytes it saves:
# - the page's modules (www/js/) bundled by esbuild, minified: app.js and its imports, and each
#   lazy module (loaded with import() only when needed, so it stays out of a first visit), with
#   the code they share in chunks beside them in js/, so every import.meta.url resolves as in www/;
# - the worker bundled with the glue it imports: one file, one round trip;
# - every other .js (the glue itself, usn-lab.js) and the .css minified file by file;
# - index.html's module tags rewritten to name the bundles (scripts/lib/dist-html.mjs).
# html, json, svg and wasm are copied as they are. About a second; `make build` runs it last, and
# Playwright's server runs it before it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
src=www
out=dist
[ -f "$src/pkg/usnlab.js" ] && [ -f "$src/pkg/usnlab_bg.wasm" ] ||
  { echo "build-dist: $src/pkg/ is missing: run \`make build\` first" >&2; exit 1; }
# The modules js/ loads with import(): entry points, so each keeps its name and its exports
# (usn-lab.js imports js/share.js).
lazy=(lab.js list.js saved.js share.js classroom.js topology-sites.js panels/tools.js panels/goal.js panels/dialogs.js panels/progress.js)

# Built beside dist/ and moved into place, so a half-made dist/ is never served.
tmp=$(mktemp -d "$out.tmp.XXXXXX")
trap 'rm -rf "$tmp" "$tmp.json"' EXIT
cp -R "$src/." "$tmp/"
rm -r "$tmp/js"
esbuild() { node_modules/.bin/esbuild "$@" --minify --charset=utf8 --outbase="$src" --outdir="$tmp" --log-level=warning; }
# --charset=utf8 keeps the page's typography (… → ▶ ·) as UTF-8 instead of \u escapes (module
# scripts are always read as UTF-8; the CSS is as before). No --target: nothing is rewritten for
# older browsers. Never --mangle-props or --drop:console (the panic hook writes to the console).
esbuild "$src/js/app.js" "${lazy[@]/#/$src/js/}" --bundle --splitting --format=esm \
  --chunk-names='js/[name]-[hash]' --metafile="$tmp.json"
# A worker's imports cannot be preloaded, so it is one file (no --splitting).
esbuild "$src/js/worker.js" --bundle --format=esm
mapfile -t files < <(find "$src" -path "$src/js" -prune -o -type f \( -name '*.js' -o -name '*.css' \) -print | sort)
esbuild "${files[@]}" --allow-overwrite
node scripts/lib/dist-html.mjs "$tmp.json" "$src" "$tmp"
rm -rf "$out"
mv "$tmp" "$out"
rm -f "$tmp.json"
trap - EXIT
chmod 755 "$out"
before=$(find "$src" -type f \( -name '*.js' -o -name '*.css' \) -exec cat {} + | wc -c)
after=$(find "$out" -type f \( -name '*.js' -o -name '*.css' \) -exec cat {} + | wc -c)
echo "built $out/: $src/'s modules bundled, its .js and .css minified ($before -> $after bytes)"
