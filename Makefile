# The two commands of README.md: `make serve` and `make test`. Both install what is missing first.
SHELL := /bin/bash
TOOLS ?= $(HOME)/.cache/gentutor-tools
export PATH := $(TOOLS)/bin:$(TOOLS)/binaryen/node_modules/.bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
PORT ?= 8080

.PHONY: tools serve dev dist test check test-native test-wasm test-e2e size-gate bench

tools:
	@GENTUTOR_TOOLS=$(TOOLS) scripts/ensure-tools.sh

## Build the app and serve it with the class server on http://127.0.0.1:$(PORT)/ (SQLite in gentutor-data/)
serve: dist
	CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_OPT_LEVEL=2 CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
		cargo run --release -p gentutor-server -- --addr 127.0.0.1:$(PORT) --dist dist

## Trunk's live-reloading dev server (the app only: class pages need `make serve`)
dev: tools
	trunk serve --release --offline --address 127.0.0.1 --port $(PORT)

## Release build into dist/
dist: tools
	trunk build --release --offline

## Every test: format, lints (native and wasm32), native tests, browser component tests, end-to-end.
test: tools check test-native test-wasm dist size-gate test-e2e

check:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p gentutor -p gentutor-demos -p gentutor-pages -p gentutor-web --lib --bins --tests --target wasm32-unknown-unknown -- -D warnings
	# The pages module on its own: built with the demos, cargo unifies their features and hides a
	# web-sys feature missing from crates/pages/Cargo.toml.
	cargo check -p gentutor-pages --target wasm32-unknown-unknown

## Every native crate's tests (the browser-only crates compile to nothing natively).
## The server's storage tests run on SQLite and on a throwaway PostgreSQL cluster (scripts/with-postgres.sh).
test-native:
	scripts/with-postgres.sh cargo test --workspace --exclude gentutor-e2e

test-wasm:
	cargo test -p gentutor --target wasm32-unknown-unknown --test components --test study_components
	cargo test -p gentutor-demos --target wasm32-unknown-unknown --test components --test controls --test digits_gan --test worker_parity
	cargo test -p gentutor-pages --target wasm32-unknown-unknown --test components

## The first-load WASM stays within 400 KB gzip and the pages module (study modes, class, Call) within
## its budget (scripts/size-gate.sh, BENCHMARKS.md); run after `make dist`.
size-gate:
	scripts/size-gate.sh dist

test-e2e:
	cargo test -p gentutor-e2e -- --test-threads=1

## Benchmarks: native figures (the browser ones come from the /bench page, see BENCHMARKS.md).
bench:
	cargo run --release -p gentutor-models --example bench_gan
	cargo run --release -p gentutor-models --example bench_flow
	cargo run --release -p gentutor-models --example bench_diffusion
