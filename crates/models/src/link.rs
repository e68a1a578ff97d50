//! The one settings-link codec: every demo's `to_hash` / `from_hash` is [`Settings`]' own.
//!
//! A config lists its link fields once, in link order, in [`Settings::fields`]; the same list
//! writes the link (`k=8&sp=2&...`) and reads it back. Reading: a leading `#` is allowed, keys
//! come in any order (the last of a repeated key wins), missing keys keep their default, unknown
//! keys are ignored (the page shares its hash with other demos), and numbers are clamped by the
//! config afterwards. Rejected with [`ModelError::BadHash`]: a piece without `=`, an unreadable
//! value of a known key, or no known key at all. The strings written are a promise: shared
//! links of earlier versions must still read (`tests/golden_links.rs`).

use crate::datasets2d::{Dataset2d, BUILTIN_NAMES, MAX_CUSTOM_POINTS};
use crate::error::ModelError;
use crate::ranges::LinkField;

/// One value in a link.
pub trait LinkValue {
    /// The value as written in a link; `None` leaves the key out.
    fn write(&self) -> Option<String>;
    /// Sets the value from a piece of a link.
    fn read(&mut self, field: &LinkField) -> Result<(), String>;
}

/// Something that visits a config's link fields (a writer or a reader).
pub trait LinkVisitor {
    fn field(&mut self, key: &'static str, value: &mut dyn LinkValue) -> Result<(), String>;
}

/// Settings with a shareable link. `to_hash` / `from_hash` are the codec itself (provided:
/// a demo only lists its fields), so every demo's link is written and read by the same code.
pub trait Settings: Default + Clone {
    /// What the settings are called in "no ... settings found".
    const WHAT: &'static str;
    /// Visits every link field once, in link order.
    fn fields(&mut self, v: &mut dyn LinkVisitor) -> Result<(), String>;
    /// After reading: checks a field alone cannot make, then clamping into range.
    fn finish(self) -> Result<Self, String>;

    /// Encodes the settings as `key=value&...` (no leading `#`).
    fn to_hash(&self) -> String {
        struct Writer(Vec<String>);
        impl LinkVisitor for Writer {
            fn field(
                &mut self,
                key: &'static str,
                value: &mut dyn LinkValue,
            ) -> Result<(), String> {
                if let Some(v) = value.write() {
                    self.0.push(format!("{key}={v}"));
                }
                Ok(())
            }
        }
        let mut w = Writer(Vec::new());
        // Writing cannot fail; `fields` needs `&mut` only because the same list also reads.
        let _ = self.clone().fields(&mut w);
        w.0.join("&")
    }

    /// Decodes [`Settings::to_hash`] output (see the module documentation for what is
    /// accepted).
    fn from_hash(s: &str) -> Result<Self, ModelError> {
        struct Reader<'a> {
            pieces: Vec<LinkField<'a>>,
            known: usize,
        }
        impl LinkVisitor for Reader<'_> {
            fn field(
                &mut self,
                key: &'static str,
                value: &mut dyn LinkValue,
            ) -> Result<(), String> {
                if let Some(f) = self.pieces.iter().rev().find(|f| f.key == key) {
                    self.known += 1;
                    value.read(f)?;
                }
                Ok(())
            }
        }
        let pieces = LinkField::parse_all(s)
            .collect::<Result<Vec<_>, _>>()
            .map_err(ModelError::BadHash)?;
        let mut r = Reader { pieces, known: 0 };
        let mut settings = Self::default();
        settings.fields(&mut r).map_err(ModelError::BadHash)?;
        if r.known == 0 {
            return Err(ModelError::BadHash(format!(
                "no {} settings found",
                Self::WHAT
            )));
        }
        settings.finish().map_err(ModelError::BadHash)
    }
}

/// A choice among names (activations, losses, ...), written as its name.
pub trait LinkName: Copy + 'static {
    /// Every value, in menu order.
    const CHOICES: &'static [Self];
    fn link_name(self) -> &'static str;
}

/// [`LinkName`] for types whose `name()` is already their word in a link:
/// `link_names!(Kind => &Kind::ALL, Other => &[Other::A, Other::B]);`
macro_rules! link_names {
    ($($t:ty => $choices:expr),+ $(,)?) => {$(
        impl $crate::link::LinkName for $t {
            const CHOICES: &'static [Self] = $choices;
            fn link_name(self) -> &'static str {
                self.name()
            }
        }
    )+};
}
pub(crate) use link_names;

/// "a, b or c".
pub fn either(names: &[&str]) -> String {
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.to_string(),
        None => String::new(),
    }
}

/// A name held as a `&'static str` out of a fixed list (a family of distributions...).
pub struct OneOf<'a> {
    pub value: &'a mut &'static str,
    pub choices: &'static [&'static str],
}

impl LinkValue for OneOf<'_> {
    fn write(&self) -> Option<String> {
        Some(self.value.to_string())
    }
    fn read(&mut self, f: &LinkField) -> Result<(), String> {
        *self.value = self
            .choices
            .iter()
            .find(|c| **c == f.val)
            .ok_or_else(|| f.bad(&either(self.choices)))?;
        Ok(())
    }
}

impl<T: LinkName> LinkValue for T {
    fn write(&self) -> Option<String> {
        Some(self.link_name().to_string())
    }
    fn read(&mut self, f: &LinkField) -> Result<(), String> {
        *self = T::CHOICES
            .iter()
            .copied()
            .find(|c| c.link_name() == f.val)
            .ok_or_else(|| {
                let names: Vec<&str> = T::CHOICES.iter().map(|c| c.link_name()).collect();
                f.bad(&either(&names))
            })?;
        Ok(())
    }
}

impl LinkValue for usize {
    fn write(&self) -> Option<String> {
        Some(self.to_string())
    }
    /// "3.0" and huge values are accepted (clamped later), as links of every version were.
    fn read(&mut self, f: &LinkField) -> Result<(), String> {
        *self = f.uint(1e9)? as usize;
        Ok(())
    }
}

impl LinkValue for u64 {
    fn write(&self) -> Option<String> {
        Some(self.to_string())
    }
    /// Exact (a seed): no rounding, no saturation.
    fn read(&mut self, f: &LinkField) -> Result<(), String> {
        *self = f.val.parse().map_err(|_| f.bad("a whole number"))?;
        Ok(())
    }
}

impl LinkValue for f32 {
    fn write(&self) -> Option<String> {
        Some(self.to_string())
    }
    fn read(&mut self, f: &LinkField) -> Result<(), String> {
        *self = f.float()? as f32;
        Ok(())
    }
}

impl LinkValue for f64 {
    fn write(&self) -> Option<String> {
        Some(self.to_string())
    }
    fn read(&mut self, f: &LinkField) -> Result<(), String> {
        *self = f.float()?;
        Ok(())
    }
}

impl LinkValue for bool {
    /// Written as 0/1; on/off and true/false are read too.
    fn write(&self) -> Option<String> {
        Some(u8::from(*self).to_string())
    }
    fn read(&mut self, f: &LinkField) -> Result<(), String> {
        *self = match f.val {
            "1" | "true" | "on" => true,
            "0" | "false" | "off" => false,
            _ => return Err(f.bad("0 or 1")),
        };
        Ok(())
    }
}

/// A data set in a link: its name. With `custom_points`, `custom` starts a drawn set whose
/// points come in [`DrawnPoints`]; without, `custom` (a drawing too big for a link) keeps the
/// default data set.
pub struct DatasetLink<'a> {
    pub dataset: &'a mut Dataset2d,
    pub custom_points: bool,
}

impl LinkValue for DatasetLink<'_> {
    fn write(&self) -> Option<String> {
        Some(self.dataset.name().to_string())
    }
    fn read(&mut self, f: &LinkField) -> Result<(), String> {
        if f.val == "custom" {
            if self.custom_points && !matches!(self.dataset, Dataset2d::Custom(_)) {
                *self.dataset = Dataset2d::Custom(Vec::new());
            }
            return Ok(());
        }
        let mut names = BUILTIN_NAMES.to_vec();
        if self.custom_points {
            names.push("custom");
        }
        *self.dataset = Dataset2d::from_name(f.val).map_err(|_| f.bad(&either(&names)))?;
        Ok(())
    }
}

/// The points of a drawn data set, `x,y;x,y;...` with 2 decimals, at most `max_written`
/// (evenly subsampled). Written only for a drawn set; read into one (see [`DatasetLink`]).
pub struct DrawnPoints<'a> {
    pub dataset: &'a mut Dataset2d,
    pub max_written: usize,
}

impl LinkValue for DrawnPoints<'_> {
    fn write(&self) -> Option<String> {
        let Dataset2d::Custom(pts) = &*self.dataset else {
            return None;
        };
        let stride = pts.len().div_ceil(self.max_written.max(1)).max(1);
        let enc: Vec<String> = pts
            .iter()
            .step_by(stride)
            .map(|p| format!("{:.2},{:.2}", p[0], p[1]))
            .collect();
        Some(enc.join(";"))
    }
    fn read(&mut self, f: &LinkField) -> Result<(), String> {
        let mut v = Vec::new();
        for p in f.val.split(';').filter(|p| !p.is_empty()) {
            let (x, y) = p.split_once(',').ok_or_else(|| f.bad("x,y;x,y;..."))?;
            let x: f32 = x.parse().map_err(|_| f.bad("x,y;x,y;..."))?;
            let y: f32 = y.parse().map_err(|_| f.bad("x,y;x,y;..."))?;
            if !(x.is_finite() && y.is_finite()) {
                return Err(f.bad("finite coordinates"));
            }
            if v.len() >= MAX_CUSTOM_POINTS {
                return Err(f.bad("fewer drawn points"));
            }
            v.push([x, y]);
        }
        if let Dataset2d::Custom(pts) = self.dataset {
            *pts = v;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Shape {
        Round,
        Square,
    }
    impl LinkName for Shape {
        const CHOICES: &'static [Self] = &[Shape::Round, Shape::Square];
        fn link_name(self) -> &'static str {
            match self {
                Shape::Round => "round",
                Shape::Square => "square",
            }
        }
    }

    #[derive(Debug, Clone, PartialEq)]
    struct Toy {
        n: usize,
        x: f32,
        on: bool,
        shape: Shape,
        seed: u64,
    }
    impl Default for Toy {
        fn default() -> Self {
            Toy {
                n: 3,
                x: 0.5,
                on: false,
                shape: Shape::Round,
                seed: 1,
            }
        }
    }
    impl Settings for Toy {
        const WHAT: &'static str = "toy";
        fn fields(&mut self, v: &mut dyn LinkVisitor) -> Result<(), String> {
            v.field("n", &mut self.n)?;
            v.field("x", &mut self.x)?;
            v.field("on", &mut self.on)?;
            v.field("shape", &mut self.shape)?;
            v.field("seed", &mut self.seed)
        }
        fn finish(mut self) -> Result<Self, String> {
            self.n = self.n.min(10);
            Ok(self)
        }
    }

    #[test]
    fn one_field_list_writes_and_reads() {
        let t = Toy {
            n: 7,
            x: 0.25,
            on: true,
            shape: Shape::Square,
            seed: 42,
        };
        let h = t.to_hash();
        assert_eq!(h, "n=7&x=0.25&on=1&shape=square&seed=42");
        assert_eq!(Toy::from_hash(&h), Ok(t.clone()));
        assert_eq!(Toy::from_hash(&format!("#{h}&other=9")), Ok(t));
        // Any order, last repeat wins, missing keys keep defaults, clamping in `finish`.
        let r = Toy::from_hash("seed=5&n=2&n=99.0").expect("reads");
        assert_eq!((r.n, r.seed, r.x), (10, 5, 0.5));
    }

    #[test]
    fn explains_what_it_cannot_read() {
        let err = |s: &str| match Toy::from_hash(s) {
            Err(ModelError::BadHash(m)) => m,
            other => panic!("expected BadHash, got {other:?}"),
        };
        assert_eq!(err("shape=oval"), "`shape=oval`: expected round or square");
        assert_eq!(err("on=maybe"), "`on=maybe`: expected 0 or 1");
        assert_eq!(err("seed=1.5"), "`seed=1.5`: expected a whole number");
        assert_eq!(err("other=1"), "no toy settings found");
        assert_eq!(err("n=1&oops"), "`oops` is not of the form key=value");
        assert_eq!(either(&["a"]), "a");
        assert_eq!(either(&["a", "b", "c"]), "a, b or c");
    }
}
