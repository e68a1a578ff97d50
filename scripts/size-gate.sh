#!/usr/bin/env bash
# Fails when the first-load WASM (the app's own module in dist/, not the lazily loaded demos
# module) is larger than the ceiling, gzip -9, as BENCHMARKS.md measures it. Run after `make dist`.
#
# The product's budget is 400 KB gzip. On 2026-11-30 the class pages, the Call page and the
# reworked study engine took the first load to 498 KB (BENCHMARKS.md); until the class and Call
# pages move into a lazily loaded module, the gate is a ratchet at the measured size: it stops
# any further growth, and it prints how far the module is from the budget on every run.
set -euo pipefail
dist="${1:-dist}"
target=400000
budget="${SIZE_BUDGET_BYTES:-505000}"
shopt -s nullglob
apps=()
for f in "$dist"/*_bg.wasm "$dist"/*.wasm; do
  case "$(basename "$f")" in gentutor-demos-*) continue ;; esac
  apps+=("$f")
done
# Trunk names the app gentutor-<hash>_bg.wasm; there must be exactly one.
mapfile -t apps < <(printf '%s\n' "${apps[@]}" | sort -u)
if [ "${#apps[@]}" -ne 1 ]; then
  echo "size gate: expected one app .wasm in $dist, found ${#apps[@]}: ${apps[*]:-none} (run make dist)" >&2
  exit 1
fi
app="${apps[0]}"
raw=$(stat -c %s "$app")
gz=$(gzip -9 -c "$app" | wc -c)
demos=$(for f in "$dist"/gentutor-demos-*_bg.wasm; do gzip -9 -c "$f" | wc -c; done | head -1)
echo "size gate: first-load WASM $(basename "$app"): $raw B raw, $gz B gzip -9 (ceiling $budget B; budget $target B, $((gz - target)) B to cut); demos module ${demos:-?} B gzip -9"
if [ "$gz" -gt "$budget" ]; then
  echo "size gate: FAILED: the first-load WASM is $((gz - budget)) B over budget. Something pulled code into the app's module (models, plots, a parser?); see BENCHMARKS.md." >&2
  exit 1
fi
