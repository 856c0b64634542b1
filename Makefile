# USN Lab. The two commands: `make serve` and `make test`. Each installs what it needs first
# (scripts/setup.sh: pinned, and skips what is there). docs/building.md explains the pipeline.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(HOME)/.cargo/bin:$(PATH)
PORT ?= 8000

.PHONY: serve build test test-core test-wasm test-e2e fuzz bench size profile setup setup-test clean

## serve: build the lab and serve the build output dist/ on 127.0.0.1 (PORT, default 8000, or the
## next free one)
serve: build
	@port=$$(python3 scripts/free_port.py $(PORT)); \
	echo; echo "USN Lab: http://127.0.0.1:$$port/"; echo "(Ctrl-C stops it)"; echo; \
	exec python3 -m http.server "$$port" --bind 127.0.0.1 --directory dist

## build: the wasm and its glue into www/pkg/ (wasm-opt'ed; the settings are in wasm-pack.toml), so
## www/ is the complete readable site, then the ready static site dist/: www/ with every .js and
## .css minified by esbuild (scripts/build-dist.sh). A host serves dist/.
build: setup
	bash scripts/build-web.sh

## test: every test, in order, stopping at the first failure: the core, the wasm binding in
## headless Chromium, the web build, the page end to end (Playwright)
test: setup-test
	$(MAKE) --no-print-directory test-core
	$(MAKE) --no-print-directory test-wasm
	$(MAKE) --no-print-directory build
	$(MAKE) --no-print-directory test-e2e

## test-core also checks that the benchmarks and examples (`make bench`) still compile
test-core:
	cargo test
	cargo check --benches --examples

## fuzz: the hostile-JSON fuzz generator and the property tests for longer (FUZZ_SECS each, default
## 300), new seeds each run; `make test` runs them time-boxed (a few seconds, up to 30 s). A failure
## prints its USNLAB_SEED, which replays it.
FUZZ_SECS ?= 300
## With a nightly toolchain and cargo-fuzz installed, it then runs the libFuzzer targets in fuzz/
## (FUZZ_SECS each; the built-in scenarios seed the scenario target's corpus).
fuzz:
	USNLAB_FUZZ_SECS=$(FUZZ_SECS) USNLAB_PROPTEST_SECS=$(FUZZ_SECS) USNLAB_CASES=3000 \
	  cargo test --test fuzz --test properties -- --nocapture
	@if cargo +nightly fuzz --version >/dev/null 2>&1; then \
	  mkdir -p fuzz/corpus/scenario fuzz/corpus/command; \
	  cargo +nightly fuzz run scenario fuzz/corpus/scenario www/scenarios -- -max_total_time=$(FUZZ_SECS); \
	  cargo +nightly fuzz run command fuzz/corpus/command -- -max_total_time=$(FUZZ_SECS); \
	else echo "make fuzz: no nightly toolchain with cargo-fuzz here, so the libFuzzer targets in fuzz/ were skipped"; fi

# Only tests/wasm.rs runs in the browser: the other test targets use native-only crates.
test-wasm: setup-test
	CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test wasm

# Playwright exits non-zero on a failure, and also when it finds no test at all.
test-e2e: setup-test
	node_modules/.bin/playwright test

## bench: the figures of docs/performance.md (several minutes): criterion benchmarks of the core;
## native frame bytes, throughput and memory of stepping against running (examples/figures.rs);
## the first visit's size and round trips; key press to frame, the longest main-thread task and
## wasm throughput in headless Chromium (scripts/bench-page.mjs)
bench: build setup-test
	cargo bench --bench replication -- --warm-up-time 1 --measurement-time 2
	cargo run -q --release --example figures
	node scripts/size.mjs
	node scripts/bench-page.mjs

## size: the first visit's download size, round trips and timing only
size: build
	node scripts/size.mjs

## profile: where the wasm's bytes go, by part of the core and by kind (twiggy, installed pinned
## on first use; docs/performance.md)
profile: setup
	bash scripts/wasm-profile.sh

setup:
	bash scripts/setup.sh build

setup-test:
	bash scripts/setup.sh test

clean:
	cargo clean
	rm -rf www/pkg dist node_modules test-results playwright-report
