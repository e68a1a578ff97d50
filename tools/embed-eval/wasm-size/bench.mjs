// Times all-MiniLM-L6-v2 under V8 (node; Chromium runs the same engine) from the wasm-bindgen
// output, and checks its vectors against the native ones in check.json. Build (from the repo):
//   cd tools/embed-eval/wasm-size
//   CARGO_TARGET_DIR=/work/embed-target RUSTFLAGS='--cfg getrandom_backend="wasm_js" -C target-feature=+simd128' \
//     cargo build --release --target wasm32-unknown-unknown
//   wasm-bindgen --target nodejs --out-dir /work/embed/pkg /work/embed-target/wasm32-unknown-unknown/release/embed_wasm_size.wasm
//   wasm-opt -Oz --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
//     /work/embed/pkg/embed_wasm_size_bg.wasm -o /work/embed/pkg/embed_wasm_size_bg.wasm
//   node bench.mjs /work/embed/pkg /work/embed/model
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
const [pkg, dir] = process.argv.slice(2);
const { Model } = createRequire(import.meta.url)(`${pkg}/embed_wasm_size.js`);
const t0 = performance.now();
const model = new Model(readFileSync(`${dir}/config.json`), readFileSync(`${dir}/model.safetensors`));
console.log(`load: ${(performance.now() - t0).toFixed(0)} ms`);
const check = JSON.parse(readFileSync(`${dir}/check.json`, "utf8"));
let worst = 1;
for (const v of check.vectors) {
  const w = model.embed(Uint32Array.from(v.ids));
  worst = Math.min(worst, w.reduce((s, x, i) => s + x * v.vector[i], 0));
}
console.log(`cosine to the native vectors: min ${worst.toFixed(6)}`);
// The train answers, as the grader would see them one press at a time.
const ids = check.tokens.filter((t) => t.split === "train").map((t) => Uint32Array.from(t.ids));
model.embed(ids[0]); // warm-up
const t1 = performance.now();
let tokens = 0;
for (const x of ids) {
  model.embed(x);
  tokens += x.length;
}
const per = (performance.now() - t1) / ids.length;
console.log(`embed: ${per.toFixed(1)} ms per answer (${ids.length} train answers, ${(tokens / ids.length).toFixed(1)} tokens on average)`);
