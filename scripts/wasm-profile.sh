#!/usr/bin/env bash
# Where the wasm's bytes go (`make profile`; docs/performance.md, "Where the bytes go now"): the
# core built as `make build` builds it, but with v0 symbol names (they keep generic parameters,
# so each monomorphized copy says whose it is), then wasm-bindgen with the names kept, then
# twiggy's list of every function, grouped by scripts/wasm_profile.py. Sizes are before
# wasm-opt, which shrinks the code by about a tenth; the gzipped figure is build-web.sh's.
# twiggy is a measuring tool only, so `make setup` does not install it: this does, pinned.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
if ! twiggy --version 2>/dev/null | grep -q '0.7.0'; then
  cargo install twiggy --version 0.7.0
fi
target=target/profile
RUSTFLAGS="-C symbol-mangling-version=v0" CARGO_TARGET_DIR="$target" \
  cargo build --release --target wasm32-unknown-unknown --lib
out="$target/bindgen"
rm -rf "$out"
wasm-bindgen --target web --no-typescript --keep-debug --out-dir "$out" \
  "$target/wasm32-unknown-unknown/release/usnlab.wasm"
twiggy top -n 1000000 -f csv "$out/usnlab_bg.wasm" > "$out/top.csv"
python3 scripts/wasm_profile.py "$out/top.csv"
