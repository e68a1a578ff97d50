//! Checkpoints shipped with the site: trained weights of the digit models, so a demo shows
//! something good at once and "Train from scratch" is a choice, not a wait.
//!
//! One file format for every model (`assets/checkpoints/<kind>.gtck`), written by
//! `cargo run --release -p gentutor-models --example train_digits -- <kind> --seed S --steps N`
//! from a [`Recipe`] in [`recipes::RECIPES`], so any checkpoint is reproducible from the command
//! and the seed and step count its header states.
//!
//! ```text
//! offset 0  magic "GTCK"                                          4 bytes
//!        4  format version, u16 LE (= FORMAT_VERSION)             2
//!        6  kind: length u8, then ASCII (e.g. "digits-gan")       1 + k
//!           model version, u16 LE (the payload's own layout)       2
//!           seed, u64 LE                                           8
//!           training steps, u64 LE                                 8
//!           metrics: count u8, then per metric                     1 + ...
//!             name length u8, name (ASCII), value f64 LE
//!           payload: length u32 LE, then the bytes                 4 + p
//!           FNV-1a 64 of every byte before it, u64 LE              8
//! ```
//! The payload is the model's own encoding ([`Checkpointed::payload`], postcard of its weights);
//! a model that changes its layout bumps its [`Checkpointed::VERSION`] and may keep reading old
//! versions. Readers refuse a newer format version, a different kind, a bad checksum or trailing
//! bytes, and every error names what was wrong (the page shows it and offers training from
//! scratch). The golden test (`tests/golden_checkpoint.rs`) keeps a frozen file readable.

pub mod models;
pub mod recipes;

pub use recipes::{Recipe, RECIPES};

/// The file's first four bytes.
pub const MAGIC: &[u8; 4] = b"GTCK";
/// The container layout written today; readers accept this and older ones.
pub const FORMAT_VERSION: u16 = 1;
/// Where the site serves the checkpoints (same site only), `<dir>/<kind>.gtck`.
pub const ASSET_DIR: &str = "/assets/checkpoints";

/// The URL path of `kind`'s shipped checkpoint.
pub fn asset_path(kind: &str) -> String {
    format!("{ASSET_DIR}/{kind}.gtck")
}

/// Everything that can go wrong reading a checkpoint. Messages say what was wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CheckpointError {
    #[error("not a checkpoint (the file does not start with GTCK)")]
    Magic,
    #[error(
        "checkpoint format {0} is newer than this site reads ({FORMAT_VERSION}); reload the page"
    )]
    NewerFormat(u16),
    #[error("the checkpoint ends early, at byte {0}")]
    Truncated(usize),
    #[error("the checkpoint is damaged (checksum mismatch)")]
    Checksum,
    #[error("{0} stray bytes after the checkpoint")]
    Trailing(usize),
    #[error("a checkpoint of `{found}` where `{expected}` was expected")]
    Kind { expected: String, found: String },
    #[error("`{kind}` checkpoint version {version} is not readable by this site")]
    ModelVersion { kind: String, version: u16 },
    #[error("the checkpoint's weights could not be read: {0}")]
    Payload(String),
    #[error("a name in the checkpoint is longer than 255 bytes or not ASCII: {0}")]
    Name(String),
}

/// A decoded checkpoint: the header's facts and the model's payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Checkpoint {
    /// Which model ([`Checkpointed::KIND`]).
    pub kind: String,
    /// The payload's layout version ([`Checkpointed::VERSION`]).
    pub model_version: u16,
    /// The seed the training command used.
    pub seed: u64,
    /// Training steps taken.
    pub steps: u64,
    /// Measured facts worth showing (held-out accuracy, ELBO, digits covered...), in order.
    pub metrics: Vec<(String, f64)>,
    /// The model's own bytes.
    pub payload: Vec<u8>,
}

/// A model that can be saved in a [`Checkpoint`].
pub trait Checkpointed: Sized {
    /// The kind written in the header and the file name (`assets/checkpoints/<KIND>.gtck`).
    const KIND: &'static str;
    /// The payload layout written today.
    const VERSION: u16;
    /// The weights, encoded.
    fn payload(&self) -> Vec<u8>;
    /// Reads a payload of layout `version` (refuse versions it cannot read).
    fn from_payload(version: u16, bytes: &[u8]) -> Result<Self, CheckpointError>;
}

/// FNV-1a 64: small, dependency-free, enough to catch a damaged or truncated download.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn push_name(out: &mut Vec<u8>, name: &str) -> Result<(), CheckpointError> {
    if name.len() > 255 || !name.is_ascii() {
        return Err(CheckpointError::Name(name.chars().take(40).collect()));
    }
    out.push(name.len() as u8);
    out.extend_from_slice(name.as_bytes());
    Ok(())
}

/// Reads fields in order, naming the offset where the bytes ran out.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], CheckpointError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or(CheckpointError::Truncated(self.bytes.len()))?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], CheckpointError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
    fn name(&mut self) -> Result<String, CheckpointError> {
        let n = self.array::<1>()?[0] as usize;
        let s = self.take(n)?;
        if !s.is_ascii() {
            return Err(CheckpointError::Name(String::from_utf8_lossy(s).into()));
        }
        Ok(String::from_utf8_lossy(s).into_owned())
    }
}

impl Checkpoint {
    /// A checkpoint of `model` trained from `seed` for `steps` steps.
    pub fn of<M: Checkpointed>(
        model: &M,
        seed: u64,
        steps: u64,
        metrics: Vec<(String, f64)>,
    ) -> Checkpoint {
        Checkpoint {
            kind: M::KIND.to_string(),
            model_version: M::VERSION,
            seed,
            steps,
            metrics,
            payload: model.payload(),
        }
    }

    /// The file's bytes (see the module documentation).
    pub fn encode(&self) -> Result<Vec<u8>, CheckpointError> {
        let mut out = Vec::with_capacity(self.payload.len() + 64);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        push_name(&mut out, &self.kind)?;
        out.extend_from_slice(&self.model_version.to_le_bytes());
        out.extend_from_slice(&self.seed.to_le_bytes());
        out.extend_from_slice(&self.steps.to_le_bytes());
        let n = self.metrics.len().min(255);
        out.push(n as u8);
        for (name, v) in &self.metrics[..n] {
            push_name(&mut out, name)?;
            out.extend_from_slice(&v.to_le_bytes());
        }
        let len = u32::try_from(self.payload.len())
            .map_err(|_| CheckpointError::Payload("larger than 4 GB".into()))?;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&self.payload);
        let sum = fnv1a64(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        Ok(out)
    }

    /// Reads [`Checkpoint::encode`]'s bytes, checking the magic, format version and checksum.
    pub fn decode(bytes: &[u8]) -> Result<Checkpoint, CheckpointError> {
        let mut r = Reader { bytes, pos: 0 };
        if r.take(4).map_err(|_| CheckpointError::Magic)? != MAGIC {
            return Err(CheckpointError::Magic);
        }
        let format = u16::from_le_bytes(r.array()?);
        if format > FORMAT_VERSION || format == 0 {
            return Err(CheckpointError::NewerFormat(format));
        }
        let kind = r.name()?;
        let model_version = u16::from_le_bytes(r.array()?);
        let seed = u64::from_le_bytes(r.array()?);
        let steps = u64::from_le_bytes(r.array()?);
        let n = r.array::<1>()?[0];
        let mut metrics = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let name = r.name()?;
            metrics.push((name, f64::from_le_bytes(r.array()?)));
        }
        let len = u32::from_le_bytes(r.array()?) as usize;
        let payload = r.take(len)?.to_vec();
        let body_end = r.pos;
        let sum = u64::from_le_bytes(r.array()?);
        if sum != fnv1a64(&bytes[..body_end]) {
            return Err(CheckpointError::Checksum);
        }
        if r.pos != bytes.len() {
            return Err(CheckpointError::Trailing(bytes.len() - r.pos));
        }
        Ok(Checkpoint {
            kind,
            model_version,
            seed,
            steps,
            metrics,
            payload,
        })
    }

    /// The model in this checkpoint, if it is a `M`.
    pub fn model<M: Checkpointed>(&self) -> Result<M, CheckpointError> {
        if self.kind != M::KIND {
            return Err(CheckpointError::Kind {
                expected: M::KIND.into(),
                found: self.kind.clone(),
            });
        }
        M::from_payload(self.model_version, &self.payload)
    }

    /// Decodes `bytes` and reads the model `M` from them.
    pub fn load<M: Checkpointed>(bytes: &[u8]) -> Result<(Checkpoint, M), CheckpointError> {
        let c = Checkpoint::decode(bytes)?;
        let m = c.model::<M>()?;
        Ok((c, m))
    }

    /// The metric called `name`, if the checkpoint states it.
    pub fn metric(&self, name: &str) -> Option<f64> {
        self.metrics.iter().find(|(n, _)| n == name).map(|m| m.1)
    }
}

/// Postcard encoding for payloads (deterministic; the bytes are the weights in order).
pub fn to_postcard<T: serde::Serialize>(v: &T) -> Vec<u8> {
    postcard::to_allocvec(v).unwrap_or_default()
}

/// Reads a postcard payload of the only version `expected`, refusing others and trailing bytes.
pub fn from_postcard<T: serde::de::DeserializeOwned>(
    kind: &str,
    expected: u16,
    version: u16,
    bytes: &[u8],
) -> Result<T, CheckpointError> {
    if version != expected {
        return Err(CheckpointError::ModelVersion {
            kind: kind.into(),
            version,
        });
    }
    let (v, rest) = postcard::take_from_bytes::<T>(bytes)
        .map_err(|e| CheckpointError::Payload(e.to_string()))?;
    if !rest.is_empty() {
        return Err(CheckpointError::Payload(format!(
            "{} stray bytes after the weights",
            rest.len()
        )));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Toy(Vec<f32>);
    impl Checkpointed for Toy {
        const KIND: &'static str = "toy";
        const VERSION: u16 = 3;
        fn payload(&self) -> Vec<u8> {
            to_postcard(&self.0)
        }
        fn from_payload(version: u16, bytes: &[u8]) -> Result<Self, CheckpointError> {
            from_postcard("toy", 3, version, bytes).map(Toy)
        }
    }

    fn sample() -> Vec<u8> {
        let c = Checkpoint::of(
            &Toy(vec![1.5, -2.0, 3.25]),
            42,
            1000,
            vec![("accuracy".into(), 0.96), ("digits".into(), 10.0)],
        );
        c.encode().expect("encodes")
    }

    #[test]
    fn round_trips_with_its_header() {
        let bytes = sample();
        assert_eq!(&bytes[..4], MAGIC);
        let (c, toy) = Checkpoint::load::<Toy>(&bytes).expect("loads");
        assert_eq!(toy, Toy(vec![1.5, -2.0, 3.25]));
        assert_eq!((c.kind.as_str(), c.model_version), ("toy", 3));
        assert_eq!((c.seed, c.steps), (42, 1000));
        assert_eq!(c.metric("accuracy"), Some(0.96));
        assert_eq!(c.metric("digits"), Some(10.0));
        assert_eq!(c.metric("nope"), None);
        assert_eq!(c.encode().expect("encodes"), bytes, "encode(decode(b)) = b");
    }

    #[test]
    fn refuses_damage_and_names_it() {
        let bytes = sample();
        // Every truncation is an error, never a panic.
        for n in 0..bytes.len() {
            assert!(
                Checkpoint::decode(&bytes[..n]).is_err(),
                "prefix {n} accepted"
            );
        }
        // Every single flipped bit is caught (by the checksum, or earlier).
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x10;
            assert!(Checkpoint::decode(&b).is_err(), "flip at {i} accepted");
        }
        let mut long = bytes.clone();
        long.push(0);
        assert!(matches!(
            Checkpoint::decode(&long),
            Err(CheckpointError::Checksum | CheckpointError::Trailing(_))
        ));
        assert_eq!(
            Checkpoint::decode(b"PK\x03\x04rest"),
            Err(CheckpointError::Magic)
        );
        let mut newer = bytes.clone();
        newer[4] = 2;
        assert_eq!(
            Checkpoint::decode(&newer),
            Err(CheckpointError::NewerFormat(2))
        );
    }

    #[test]
    fn refuses_another_kind_and_an_unknown_model_version() {
        let mut c = Checkpoint::decode(&sample()).expect("decodes");
        c.kind = "vae".into();
        assert!(matches!(
            c.model::<Toy>(),
            Err(CheckpointError::Kind { .. })
        ));
        c.kind = "toy".into();
        c.model_version = 4;
        assert!(matches!(
            c.model::<Toy>(),
            Err(CheckpointError::ModelVersion { version: 4, .. })
        ));
        c.model_version = 3;
        c.payload.push(7);
        assert!(matches!(c.model::<Toy>(), Err(CheckpointError::Payload(_))));
        assert_eq!(asset_path("toy"), "/assets/checkpoints/toy.gtck");
        assert!(Checkpoint {
            kind: "é".into(),
            ..c
        }
        .encode()
        .is_err());
    }
}
