#!/usr/bin/env bash
# Builds the core to wasm into www/pkg/ (cargo, then wasm-bindgen, then wasm-opt, with the
# settings in wasm-pack.toml), so www/ is a complete readable site, then makes the build output
# dist/ from it: www/ with its .js and .css minified (scripts/build-dist.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
setting() { python3 scripts/wasm_settings.py "$1"; }
target=$(setting target); out_dir=$(setting out_dir); out_name=$(setting out_name)
read -r -a opt_args <<< "$(setting wasm_opt_args)"

cargo build --release --target wasm32-unknown-unknown --lib
mkdir -p "$out_dir"
wasm-bindgen --target "$target" --no-typescript --keep-debug --out-dir "$out_dir" --out-name "$out_name" \
  target/wasm32-unknown-unknown/release/usnlab.wasm
# The glue's JSDoc blocks (the Rust doc comments of src/wasm.rs, and @param/@returns) are for
# editors, not browsers: dropped from the download (0.75 KB gzipped); docs/wasm-api.md documents
# the API. The module must still parse.
glue="$out_dir/$out_name.js"
node -e 'const fs = require("fs"); const f = process.argv[1];
  fs.writeFileSync(f, fs.readFileSync(f, "utf8").replace(/^[ \t]*\/\*\*[\s\S]*?\*\/\n/gm, ""));' "$glue"
node --input-type=module --check < "$glue"
wasm="$out_dir/${out_name}_bg.wasm"
# The names (--keep-debug) let this step find js-sys's dead closure shims; wasm-opt drops them.
node scripts/drop-dead-closures.mjs "$wasm" "$glue"
node_modules/.bin/wasm-opt "${opt_args[@]}" "$wasm" -o "$wasm.opt"
mv "$wasm.opt" "$wasm"
echo "built $wasm: $(wc -c < "$wasm") bytes, $(gzip -9c "$wasm" | wc -c) gzipped"
# The wasm in two parts: what a first visit into a lesson runs, and the rest (docs/building.md).
node scripts/split-wasm.mjs "$out_dir" "${opt_args[@]}"
bash scripts/build-dist.sh
