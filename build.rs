//! Compiles `content/` at build time: parses lessons, SUMMARY, cards and corrections, renders all
//! Markdown and LaTeX to HTML + MathML, and writes the result as postcard bytes (`OUT_DIR/content.bin`). The
//! browser fetches and deserializes them; no parser ships in the WASM. Content problems become build warnings here;
//! the content lint test (`tests/content.rs`) fails on them with file, line and column.

use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    println!("cargo:rerun-if-changed={}", dir.display());
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("md" | "toml")
        ) {
            println!("cargo:rerun-if-changed={}", path.display());
            out.push(path);
        }
    }
}

/// FNV-1a, 64 bit: stable across Rust versions (unlike `DefaultHasher`), enough to name a file.
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn main() {
    let root =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let content = root.join("content");
    let mut paths = Vec::new();
    collect(&content, &mut paths);
    paths.sort();
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&content)
                .expect("under content/")
                .to_string_lossy()
                .replace('\\', "/");
            let text =
                std::fs::read_to_string(p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()));
            (rel, text)
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let (lib, mut errors) = gentutor_content::Library::from_files(&refs);
    let (compiled, render_errors) = gentutor_content::compiled::compile(&lib);
    errors.extend(render_errors);
    for e in &errors {
        println!("cargo:warning=content: {e}");
    }
    let bytes = postcard::to_allocvec(&compiled).expect("compiled content serializes");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    // The browser fetches the content as `/content-<hash>.bin` (copied into the build by
    // `gentutor-xtask post-build`): the hash changes with the content, so caches never serve a
    // stale copy, and the app knows the name at compile time.
    let hash = fnv1a64(&bytes);
    std::fs::write(out_dir.join("content.bin"), &bytes).expect("write compiled content");
    std::fs::write(out_dir.join("content.hash"), format!("{hash:016x}")).expect("write hash");
    println!("cargo:rustc-env=GENTUTOR_CONTENT_HASH={hash:016x}");
}
