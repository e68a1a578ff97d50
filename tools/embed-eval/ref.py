# Independent reference: HF `tokenizers` for the ids, a numpy BERT forward for the vectors.
# Usage: python ref.py <model dir>   (after `embed-eval <model dir> check`; needs numpy, safetensors, tokenizers: pip install into a venv)
import json, sys, numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer
d = sys.argv[1]
chk = json.load(open(f"{d}/check.json"))
tok = Tokenizer.from_file(f"{d}/tokenizer.json")
tok.no_truncation(); tok.no_padding()
tok.enable_truncation(256)
mism = {}
tot = {}
for t in chk["tokens"]:
    ids = tok.encode(t["text"]).ids
    tot[t["split"]] = tot.get(t["split"], 0) + 1
    if ids != t["ids"]:
        mism[t["split"]] = mism.get(t["split"], 0) + 1
        if t["split"] in ("cards", "train"):
            print("MISMATCH", t["split"], repr(t["text"][:120]))
print("tokenizer mismatches:", {k: f"{mism.get(k,0)}/{v}" for k, v in tot.items()})
W = load_file(f"{d}/model.safetensors")
def ln(x, p):
    m = x.mean(-1, keepdims=True); v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + 1e-12) * W[p + ".weight"] + W[p + ".bias"]
def lin(x, p): return x @ W[p + ".weight"].T + W[p + ".bias"]
from math import erf, sqrt
verf = np.vectorize(erf)
def gelu(x): return 0.5 * x * (1 + verf(x / sqrt(2)))
def embed(ids):
    ids = np.array(ids); n = len(ids)
    x = W["embeddings.word_embeddings.weight"][ids] + W["embeddings.position_embeddings.weight"][:n] + W["embeddings.token_type_embeddings.weight"][0]
    x = ln(x, "embeddings.LayerNorm")
    for l in range(6):
        p = f"encoder.layer.{l}."
        q = lin(x, p + "attention.self.query").reshape(n, 12, 32).transpose(1, 0, 2)
        k = lin(x, p + "attention.self.key").reshape(n, 12, 32).transpose(1, 0, 2)
        v = lin(x, p + "attention.self.value").reshape(n, 12, 32).transpose(1, 0, 2)
        s = q @ k.transpose(0, 2, 1) / np.sqrt(32); s = np.exp(s - s.max(-1, keepdims=True)); s /= s.sum(-1, keepdims=True)
        a = (s @ v).transpose(1, 0, 2).reshape(n, 384)
        x = ln(lin(a, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
        h = gelu(lin(x, p + "intermediate.dense"))
        x = ln(lin(h, p + "output.dense") + x, p + "output.LayerNorm")
    m = x.mean(0); return m / np.linalg.norm(m)
for v in chk["vectors"]:
    ids = tok.encode(v["text"]).ids
    r = embed(ids); c = np.array(v["vector"])
    print(f"ids equal {ids == v['ids']}  max |diff| {np.abs(r - c).max():.2e}  cos {r @ c:.6f}  {v['text'][:50]!r}")
