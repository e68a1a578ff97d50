#!/usr/bin/env bash
# Fails when the first-load WASM (the app's own module in dist/, not the lazily loaded module of
# demos and pages) is larger than the product's budget of 400 KB gzip -9, as BENCHMARKS.md
# measures it. Run after `make dist`. `SIZE_BUDGET_BYTES` overrides the budget (experiments only).
set -euo pipefail
dist="${1:-dist}"
budget="${SIZE_BUDGET_BYTES:-400000}"
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
echo "size gate: first-load WASM $(basename "$app"): $raw B raw, $gz B gzip -9 (budget $budget B, $((budget - gz)) B left); lazily loaded module ${demos:-?} B gzip -9"
if [ "$gz" -gt "$budget" ]; then
  echo "size gate: FAILED: the first-load WASM is $((gz - budget)) B over budget. Something pulled code into the app's module (models, plots, a parser, a page that belongs in the lazily loaded module?); see BENCHMARKS.md." >&2
  exit 1
fi
