# USN Lab. The two commands: `make serve` and `make test`. Each installs what it needs first.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(HOME)/.cargo/bin:$(PATH)
PORT ?= 8000

.PHONY: serve build test test-core test-wasm test-e2e bench size setup setup-test clean

## serve: build the lab and serve www/ at a local URL
serve: build
	@port=$$(python3 scripts/free_port.py $(PORT)); \
	echo; echo "USN Lab: http://127.0.0.1:$$port/"; echo "(Ctrl-C stops it)"; echo; \
	exec python3 -m http.server "$$port" --bind 127.0.0.1 --directory www

## build: leave a ready static site in www/ (copy the folder to any host, any sub-path)
build: setup
	bash scripts/build-web.sh

## test: every test — the core, the wasm binding in headless Chromium, the page end to end
test: setup-test test-core test-wasm build test-e2e

test-core:
	cargo test

test-wasm:
	CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test wasm

test-e2e:
	npx playwright test

## bench: criterion benchmarks of the core, and the first visit's download size and timing
bench: build
	cargo bench --bench replication -- --warm-up-time 1 --measurement-time 2
	node scripts/size.mjs

size: build
	node scripts/size.mjs

setup:
	bash scripts/setup.sh build

setup-test:
	bash scripts/setup.sh test

clean:
	cargo clean
	rm -rf www/pkg node_modules test-results playwright-report
