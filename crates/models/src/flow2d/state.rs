//! The flow's whole training state as bytes, so the demo can hand a run to a Web Worker and take
//! it back without losing a step. A format: a page of one version may meet bytes of another, so
//! the layout is versioned (the first byte) and frozen in `tests/golden_worker.rs`.
//!
//! Layout version 1: the byte 1, then postcard of [`Saved`] (field order is the format). The
//! per-step buffers (workspace, MLP caches, gradients) are not state: every step rewrites them.

use super::*;

/// The first byte of [`Flow2d::to_bytes`].
const STATE_VERSION: u8 = 1;

/// What a run is made of (layout version 1).
#[derive(Deserialize)]
struct Saved {
    config: Config,
    /// Coupling k's MLP and its Adam state (the kept coordinate is k mod 2).
    couplings: Vec<(Mlp, Adam)>,
    actnorm: Mlp,
    an_opt: Adam,
    data_rng: Rng,
    view_rng: Rng,
    eval_batch: Array2<f32>,
    history: History,
    step: u64,
    /// Step and message of a divergence.
    diverged: Option<(u64, String)>,
}

/// [`Saved`] by reference: the worker sends this after every tick, so nothing is cloned (same
/// field order: same bytes).
#[derive(Serialize)]
struct SavedRef<'a> {
    config: &'a Config,
    couplings: Vec<(&'a Mlp, &'a Adam)>,
    actnorm: &'a Mlp,
    an_opt: &'a Adam,
    data_rng: &'a Rng,
    view_rng: &'a Rng,
    eval_batch: &'a Array2<f32>,
    history: &'a History,
    step: u64,
    diverged: Option<(u64, String)>,
}

impl Flow2d {
    /// The whole training state (weights, Adam's moments, random streams, evaluation batch,
    /// curve, step, divergence): a version byte, then postcard bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let saved = SavedRef {
            config: &self.config,
            couplings: self.couplings.iter().map(|c| (&c.mlp, &c.opt)).collect(),
            actnorm: &self.actnorm,
            an_opt: &self.an_opt,
            data_rng: &self.data_rng,
            view_rng: &self.view_rng,
            eval_batch: &self.eval_batch,
            history: &self.history,
            step: self.step,
            diverged: self.diverged.as_ref().map(|e| match e {
                ModelError::Diverged {
                    model: Model::Flow,
                    step,
                    what,
                } => (*step, what.clone()),
                other => (self.step, other.to_string()),
            }),
        };
        let mut out = vec![STATE_VERSION];
        out.extend(postcard::to_allocvec(&saved).unwrap_or_default());
        out
    }

    /// Inverse of [`Flow2d::to_bytes`]. Bytes that are not a valid run (another version, bad
    /// settings, networks or buffers whose shapes do not match the settings) are refused, never
    /// trusted: the page and the worker decode what the other side posted.
    pub fn from_bytes(bytes: &[u8]) -> Result<Flow2d, ModelError> {
        let bad = |why: &str| ModelError::BadState(why.to_string());
        let rest = match bytes.split_first() {
            Some((&STATE_VERSION, rest)) => rest,
            Some((v, _)) => return Err(bad(&format!("unknown flow state version {v}"))),
            None => return Err(bad("no flow state")),
        };
        let s: Saved = postcard::from_bytes(rest).map_err(|e| bad(&e.to_string()))?;
        s.config.validate()?;
        let h = s.config.hidden;
        let sizes = [1, h, h, 2];
        let coupling_ok = |m: &Mlp| {
            m.hidden_act == Activation::Tanh
                && m.out_act == Activation::Identity
                && m.layers.len() + 1 == sizes.len()
                && m.layers
                    .iter()
                    .zip(sizes.windows(2))
                    .all(|(l, w)| l.w.dim() == (w[0], w[1]) && l.b.len() == w[1])
        };
        let blocks = if s.config.actnorm { s.config.layers } else { 0 };
        let shapes_ok = s.couplings.len() == s.config.layers
            && s.couplings.iter().all(|(m, _)| coupling_ok(m))
            && s.actnorm.layers.len() == blocks
            && s.actnorm
                .layers
                .iter()
                .all(|l| l.w.dim() == (1, 2) && l.b.len() == 2)
            && s.eval_batch.dim() == (EVAL_SAMPLES, 2);
        if !shapes_ok {
            return Err(bad("the flow's networks do not match its settings"));
        }
        let diverged = s.diverged.map(|(step, what)| ModelError::Diverged {
            model: Model::Flow,
            step,
            what,
        });
        let couplings = s
            .couplings
            .into_iter()
            .enumerate()
            .map(|(k, (mlp, opt))| Coupling {
                keep: k % 2,
                grads: Grads::zeros_like(&mlp),
                mlp,
                opt,
                cache: Cache::default(),
            })
            .collect();
        let an_grads = Grads::zeros_like(&s.actnorm);
        Ok(Flow2d {
            config: s.config,
            couplings,
            actnorm: s.actnorm,
            an_opt: s.an_opt,
            an_grads,
            data_rng: s.data_rng,
            view_rng: s.view_rng,
            eval_batch: s.eval_batch,
            work: Workspace::default(),
            history: s.history,
            step: s.step,
            diverged,
        })
    }
}
