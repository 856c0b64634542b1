#!/usr/bin/env bash
# Installs what the build (and, with `test`, the tests) need, pinned, and skips what is there.
# Safe to run again and again: a second run installs nothing and takes about a second.
#   scripts/setup.sh build   the wasm target, wasm-bindgen-cli, the npm packages (binaryen's wasm-opt, esbuild)
#   scripts/setup.sh test    all of that, plus Debian's Chromium and ChromeDriver
# Nothing here downloads a browser of its own: the browser tests use Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
want=${1:-build}
case "$want" in build|test) ;; *) echo "usage: $0 build|test" >&2; exit 2 ;; esac
say() { echo "setup: $*"; }

# 1. Rust's wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli (wasm-bindgen, wasm-bindgen-test-runner): its version must equal the
#    wasm-bindgen that Cargo.toml pins with "=". Without --locked: with it the install fails here.
version=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' Cargo.toml | head -n 1)
[ -n "$version" ] || { echo "setup: Cargo.toml must pin wasm-bindgen with \"=x.y.z\"" >&2; exit 1; }
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
runner=$(wasm-bindgen-test-runner --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$version" ] || [ "$runner" != "$version" ]; then
  say "installing wasm-bindgen-cli $version (have: ${have:-none}); about 2.5 minutes"
  cargo install wasm-bindgen-cli --version "$version" --force
fi

# 3. The npm packages, exactly as package-lock.json pins them (binaryen, esbuild, Playwright, axe-core):
#    `npm ci` when node_modules is missing or was installed from another package-lock.json.
stamp=node_modules/.usnlab-lock.sha256
lock=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock" ] || [ ! -x node_modules/.bin/wasm-opt ] ||
   [ ! -x node_modules/.bin/esbuild ]; then
  say "npm ci"
  npm ci --no-audit --no-fund
  echo "$lock" > "$stamp"
fi

# 4. For the tests: Debian's Chromium and ChromeDriver (apt-get update once, only when needed).
if [ "$want" = test ] && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; }; then
  say "installing Debian's chromium and chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y chromium chromium-driver
fi
exit 0
