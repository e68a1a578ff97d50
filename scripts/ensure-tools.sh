#!/usr/bin/env bash
# Installs every tool the build and the tests need, skipping what is already at the right version.
# Tools go to a folder OUTSIDE the clone ($GENTUTOR_TOOLS, default ~/.cache/gentutor-tools) so a
# fresh clone (CI) reuses them: the first run on a new machine takes ~15 minutes, later runs ~1 s.
# Trunk never downloads anything: Trunk.toml pins the versions installed here.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${GENTUTOR_TOOLS:-$HOME/.cache/gentutor-tools}"
TRUNK_VERSION="0.21.14"          # 0.22 needs rustc >= 1.96.1
BINARYEN_VERSION="132"           # Debian 12's binaryen 108 miscompiles current wasm-bindgen output
WBG_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$root/Cargo.lock")"
export PATH="$TOOLS/bin:$TOOLS/binaryen/node_modules/.bin:$PATH"
# Building the tools themselves: no LTO, many codegen units (9 instead of 14 minutes on 2 cores).
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16

say() { printf '[tools] %s\n' "$*" >&2; }

# Keep the three pins in agreement, or trunk would try (and fail) to download.
grep -q "wasm_bindgen = \"$WBG_VERSION\"" "$root/Trunk.toml" || {
  say "Trunk.toml must pin wasm_bindgen = \"$WBG_VERSION\" (the version in Cargo.lock)"; exit 1; }
grep -q "wasm_opt = \"version_$BINARYEN_VERSION\"" "$root/Trunk.toml" || {
  say "Trunk.toml must pin wasm_opt = \"version_$BINARYEN_VERSION\""; exit 1; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

mkdir -p "$TOOLS/bin"
if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 9 minutes once)"
  cargo install --locked --force --root "$TOOLS" trunk --version "$TRUNK_VERSION"
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WBG_VERSION" ]; then
  say "installing wasm-bindgen-cli $WBG_VERSION (about 4 minutes once)"
  # Not --locked: its packaged lockfile pins a webpki-roots version missing from the registry.
  cargo install --force --root "$TOOLS" wasm-bindgen-cli --version "$WBG_VERSION"
fi
if ! wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
  say "installing wasm-opt (npm binaryen@$BINARYEN_VERSION.0.0)"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS/binaryen" "binaryen@$BINARYEN_VERSION.0.0"
fi
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing chromium and chromium-driver from Debian"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver
fi
# Trunk's release build runs cargo offline; fetch every crate first.
(cd "$root" && cargo fetch --locked -q)
say "ok: $(trunk --version), $(wasm-bindgen --version), wasm-opt $(wasm-opt --version | awk '{print $3}'), $(chromium --version 2>/dev/null | head -1)"
