//! What the grader would run in the browser: weights from bytes (safetensors), the BERT forward
//! pass, mean pooling and L2 normalisation. The tokenizer (../src/wordpiece.rs) is a few KB and
//! not included: bench.mjs feeds token ids computed natively. `getrandom` is named only to pick
//! its browser backend for candle's `rand`.

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Model {
    bert: BertModel,
}

fn js(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

#[wasm_bindgen]
impl Model {
    /// `config`: config.json; `weights`: model.safetensors.
    #[wasm_bindgen(constructor)]
    pub fn new(config: &[u8], weights: &[u8]) -> Result<Model, JsError> {
        let config: Config = serde_json::from_slice(config).map_err(js)?;
        let vb =
            VarBuilder::from_slice_safetensors(weights, DType::F32, &Device::Cpu).map_err(js)?;
        Ok(Model {
            bert: BertModel::load(vb, &config).map_err(js)?,
        })
    }

    /// The unit-length embedding of one tokenised text (`[CLS] ... [SEP]`).
    pub fn embed(&self, ids: &[u32]) -> Result<Vec<f32>, JsError> {
        let input = Tensor::new(ids, &Device::Cpu)
            .map_err(js)?
            .unsqueeze(0)
            .map_err(js)?;
        let types = input.zeros_like().map_err(js)?;
        let h = self.bert.forward(&input, &types, None).map_err(js)?;
        let mut v = h
            .mean(1)
            .and_then(|m| m.squeeze(0))
            .and_then(|m| m.to_vec1::<f32>())
            .map_err(js)?;
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
        v.iter_mut().for_each(|x| *x /= n);
        Ok(v)
    }
}
