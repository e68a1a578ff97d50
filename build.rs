//! Compiles `content/` at build time: parses lessons, SUMMARY, cards and corrections, renders all
//! Markdown and LaTeX to HTML + MathML, and writes the result as JSON for `include_str!`. The browser
//! then only deserializes; no parser ships in the WASM. Content problems become build warnings here;
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
    let out =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("content.bin");
    std::fs::write(out, bytes).expect("write compiled content");
}
