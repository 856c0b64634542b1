#!/usr/bin/env bash
# Installs what the build (and, with `test`, the tests) need, pinned, skipping what is there.
#   scripts/setup.sh build   the wasm target, wasm-bindgen-cli, npm packages (binaryen)
#   scripts/setup.sh test    all of that, plus Debian's Chromium and ChromeDriver
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
want=${1:-build}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

# The CLI must match the wasm-bindgen pinned in Cargo.toml exactly.
version=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' Cargo.toml)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$version" ]; then
  # Without --locked: with it the install fails on this kind of machine.
  cargo install wasm-bindgen-cli --version "$version"
fi

# npm ci when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

if [ "$want" = test ] && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; }; then
  apt-get update
  apt-get install -y chromium chromium-driver
fi
