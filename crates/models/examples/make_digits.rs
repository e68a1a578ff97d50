//! Writes `assets/data/digits-8x8.bin` from scikit-learn's copy of the UCI digits.
//!
//! ```sh
//! pip download --no-deps scikit-learn -d /tmp/skl
//! unzip -o /tmp/skl/scikit_learn-*.whl 'sklearn/datasets/data/digits.csv.gz' -d /tmp/skl
//! zcat /tmp/skl/sklearn/datasets/data/digits.csv.gz \
//!   | cargo run -p gentutor-models --example make_digits > assets/data/digits-8x8.bin
//! ```
//! The CSV comes on stdin (decompressed with `zcat`, so the crate needs no gzip decoder); the
//! compact form (5 bits per pixel, see `gentutor_models::digits`) goes to stdout.

use gentutor_models::digits::Digits;
use std::io::{Read, Write};

fn main() {
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("cannot read the CSV from stdin: {e}");
        std::process::exit(1);
    }
    let bytes = match Digits::from_csv(&text).and_then(|d| {
        eprintln!("{} images, per digit {:?}", d.len(), d.label_counts());
        d.encode()
    }) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = std::io::stdout().write_all(&bytes) {
        eprintln!("cannot write: {e}");
        std::process::exit(1);
    }
    eprintln!("wrote {} bytes", bytes.len());
}
