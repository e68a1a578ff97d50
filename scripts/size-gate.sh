#!/usr/bin/env bash
# Fails when a WASM module in dist/ is larger than its budget, in gzip -9 bytes as BENCHMARKS.md
# measures them. Run after `make dist`.
# - the first load (the app's own module): the product's budget, 400 KB;
# - the pages module (gentutor-pages-*: class pages, Call, Flashcards, Learn, Test, Matching),
#   which a student downloads to open a study mode: 380 KB (353 KB when it was split off), so
#   models and plots cannot creep back in.
# The demos module (models, plots, /bench) is reported, not gated.
# `SIZE_BUDGET_BYTES` / `PAGES_BUDGET_BYTES` override the budgets (experiments only).
set -euo pipefail
dist="${1:-dist}"
budget="${SIZE_BUDGET_BYTES:-400000}"
pages_budget="${PAGES_BUDGET_BYTES:-380000}"
shopt -s nullglob
apps=()
for f in "$dist"/*_bg.wasm "$dist"/*.wasm; do
  case "$(basename "$f")" in gentutor-demos-*|gentutor-pages-*) continue ;; esac
  apps+=("$f")
done
# Trunk names the app gentutor-<hash>_bg.wasm; there must be exactly one.
mapfile -t apps < <(printf '%s\n' "${apps[@]}" | sort -u)
if [ "${#apps[@]}" -ne 1 ]; then
  echo "size gate: expected one app .wasm in $dist, found ${#apps[@]}: ${apps[*]:-none} (run make dist)" >&2
  exit 1
fi
app="${apps[0]}"
pages=("$dist"/gentutor-pages-*_bg.wasm)
if [ "${#pages[@]}" -ne 1 ]; then
  echo "size gate: expected one gentutor-pages-*_bg.wasm in $dist, found ${#pages[@]} (run make dist)" >&2
  exit 1
fi
raw=$(stat -c %s "$app")
gz=$(gzip -9 -c "$app" | wc -c)
pages_raw=$(stat -c %s "${pages[0]}")
pages_gz=$(gzip -9 -c "${pages[0]}" | wc -c)
demos=$(for f in "$dist"/gentutor-demos-*_bg.wasm; do gzip -9 -c "$f" | wc -c; done | head -1)
echo "size gate: first-load WASM $(basename "$app"): $raw B raw, $gz B gzip -9 (budget $budget B, $((budget - gz)) B left)"
echo "size gate: pages module $(basename "${pages[0]}"): $pages_raw B raw, $pages_gz B gzip -9 (budget $pages_budget B, $((pages_budget - pages_gz)) B left)"
echo "size gate: demos module ${demos:-?} B gzip -9 (not gated)"
failed=0
if [ "$gz" -gt "$budget" ]; then
  echo "size gate: FAILED: the first-load WASM is $((gz - budget)) B over budget. Something pulled code into the app's module (models, plots, a parser, a page that belongs in the pages module?); see BENCHMARKS.md." >&2
  failed=1
fi
if [ "$pages_gz" -gt "$pages_budget" ]; then
  echo "size gate: FAILED: the pages module is $((pages_gz - pages_budget)) B over budget. Did it gain models, plots or ndarray (crates/pages/tests/layers.rs), or a page that belongs with the demos? See BENCHMARKS.md." >&2
  failed=1
fi
exit "$failed"
