//! all-MiniLM-L6-v2 with candle: BERT, mean pooling over the tokens, L2 normalisation (the
//! model's sentence-transformers modules: Transformer, Pooling(mean), Normalize).

use crate::wordpiece::WordPiece;
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use std::collections::HashMap;
use std::path::Path;

/// How the weights are stored before use: as shipped (f32), or rounded the way a smaller
/// download would store them (f16; int8 with one scale per row), then computed in f32. This
/// measures what a smaller download would cost in grading quality, not its speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weights {
    F32,
    F16,
    Int8,
}

impl Weights {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "f32" => Some(Self::F32),
            "f16" => Some(Self::F16),
            "int8" => Some(Self::Int8),
            _ => None,
        }
    }
}

pub struct Embedder {
    model: BertModel,
    tok: WordPiece,
    dev: Device,
    /// sentence-transformers' `max_seq_length` for this model.
    max_len: usize,
    /// Bytes the weights take in this storage (what the browser would download, unzipped).
    pub weight_bytes: usize,
}

pub type Res<T> = Result<T, Box<dyn std::error::Error>>;

impl Embedder {
    pub fn load(dir: &Path, weights: Weights) -> Res<Self> {
        let dev = Device::Cpu;
        let config: Config =
            serde_json::from_str(&std::fs::read_to_string(dir.join("config.json"))?)?;
        let tok =
            WordPiece::from_tokenizer_json(&std::fs::read_to_string(dir.join("tokenizer.json"))?)?;
        let bytes = std::fs::read(dir.join("model.safetensors"))?;
        let mut tensors = candle_core::safetensors::load_buffer(&bytes, &dev)?;
        let mut weight_bytes = 0usize;
        for t in tensors.values_mut() {
            let n = t.elem_count();
            if t.dtype() != DType::F32 {
                continue; // `embeddings.position_ids` (int64): not a weight, not shipped
            }
            let stored = match weights {
                Weights::F32 => {
                    weight_bytes += 4 * n;
                    t.clone()
                }
                Weights::F16 => {
                    weight_bytes += 2 * n;
                    t.to_dtype(DType::F16)?.to_dtype(DType::F32)?
                }
                // Matrices (embeddings, linear layers) as int8 with an f32 scale per row; the
                // vectors (biases, layer norms) stay f32: they are 0.1% of the weights.
                Weights::Int8 if t.rank() == 2 => {
                    let (rows, _) = t.dims2()?;
                    weight_bytes += n + 4 * rows;
                    quantize_rows(t)?
                }
                Weights::Int8 => {
                    weight_bytes += 4 * n;
                    t.clone()
                }
            };
            *t = stored;
        }
        let vb = VarBuilder::from_tensors(tensors, DType::F32, &dev);
        let model = BertModel::load(vb, &config)?;
        Ok(Self {
            model,
            tok,
            dev,
            max_len: 256,
            weight_bytes,
        })
    }

    pub fn token_ids(&self, text: &str) -> Vec<u32> {
        self.tok.encode(text, self.max_len)
    }

    /// The unit-length sentence embedding of `text` (384 numbers).
    pub fn embed(&self, text: &str) -> Res<Vec<f32>> {
        let ids = self.token_ids(text);
        let input = Tensor::new(ids.as_slice(), &self.dev)?.unsqueeze(0)?;
        let types = input.zeros_like()?;
        // One text, no padding: every token is attended and pooled (as sentence-transformers
        // does with its attention mask of ones).
        let hidden = self.model.forward(&input, &types, None)?;
        let mean = hidden.mean(1)?.squeeze(0)?.to_vec1::<f32>()?;
        Ok(normalise(mean))
    }
}

fn normalise(mut v: Vec<f32>) -> Vec<f32> {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    v.iter_mut().for_each(|x| *x /= n);
    v
}

/// Symmetric int8 per row: scale = max |w| / 127, w ~ round(w / scale) * scale.
fn quantize_rows(t: &Tensor) -> candle_core::Result<Tensor> {
    let scale = (t.abs()?.max_keepdim(1)? / 127.0)?.clamp(1e-12, f64::MAX)?;
    let q = t.broadcast_div(&scale)?.round()?.clamp(-127.0, 127.0)?;
    q.broadcast_mul(&scale)
}

/// Cosine of two unit vectors.
pub fn cos(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Embeds each distinct text once.
pub struct Cache<'a> {
    pub model: &'a Embedder,
    pub map: HashMap<String, Vec<f32>>,
}

impl<'a> Cache<'a> {
    pub fn new(model: &'a Embedder) -> Self {
        Self {
            model,
            map: HashMap::new(),
        }
    }

    pub fn get(&mut self, text: &str) -> Res<&[f32]> {
        if !self.map.contains_key(text) {
            let v = self.model.embed(text)?;
            self.map.insert(text.to_string(), v);
        }
        Ok(self.map[text].as_slice())
    }
}
