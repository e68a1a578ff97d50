//! `gentutor-xtask post-build`: run by Trunk's `post_build` hook (see `Trunk.toml`), after Trunk
//! has built the app's own WASM module into the staging directory. It adds what keeps the first
//! load small:
//!
//! 1. the two lazily loaded modules, the demos (`gentutor-demos`: models, plots, `/bench`) and
//!    the pages (`gentutor-pages`: class, Call, study modes): `cargo build` of both for wasm32,
//!    then `wasm-bindgen --target web` and (release) `wasm-opt -Oz`, written as
//!    `<module>-<hash>.js` + `_bg.wasm`;
//! 2. the compiled lessons from `build.rs`, copied as `content-<hash>.bin`;
//! 3. into `index.html`: `<meta name="gentutor-demos">` and `<meta name="gentutor-pages">` with
//!    the modules' URLs and a `<link rel="preload">` for the content, so it downloads alongside
//!    the app's WASM.
//!
//! Tools come from `PATH` (installed by `scripts/ensure-tools.sh`), never from the network.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

type Result<T> = std::result::Result<T, String>;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("post-build") => post_build(),
        _ => Err("usage: gentutor-xtask post-build   (run by Trunk's post_build hook)".into()),
    };
    if let Err(e) = result {
        eprintln!("gentutor-xtask: {e}");
        std::process::exit(1);
    }
}

fn env(name: &str) -> Result<String> {
    std::env::var(name).map_err(|_| format!("{name} is not set: run this through `trunk build`"))
}

/// The lazily loaded modules. Each name is the cargo package, its bin, the file-name prefix and
/// the `<meta name>` that holds its URL in `index.html`.
const MODULES: [&str; 2] = ["gentutor-demos", "gentutor-pages"];

fn post_build() -> Result<()> {
    let staging = PathBuf::from(env("TRUNK_STAGING_DIR")?);
    let release = env("TRUNK_PROFILE")? == "release";
    let public_url = std::env::var("TRUNK_PUBLIC_URL").unwrap_or_else(|_| "/".into());
    let source = PathBuf::from(env("TRUNK_SOURCE_DIR")?);

    let built = cargo_build_modules(&source, release)?;
    let content_hash = read(&built.out_dir.join("content.hash"))?;
    let content_name = format!("content-{}.bin", content_hash.trim());
    copy(
        &built.out_dir.join("content.bin"),
        &staging.join(&content_name),
    )?;

    let mut urls = Vec::new();
    for (module, wasm) in MODULES.iter().zip(&built.wasm) {
        let name = bindgen_module(module, wasm, &staging, release)?;
        urls.push((*module, format!("{public_url}{name}.js")));
        eprintln!("gentutor-xtask: added {name}.js");
    }

    let index = staging.join("index.html");
    let html = read(&index)?;
    let html = inject_head(&html, &urls, &format!("{public_url}{content_name}"))?;
    std::fs::write(&index, html).map_err(|e| format!("{}: {e}", index.display()))?;
    eprintln!("gentutor-xtask: added {content_name}");
    Ok(())
}

/// Runs wasm-bindgen (and, for release, wasm-opt -Oz) on `module`'s `wasm` and copies the
/// result into `staging` as `<module>-<hash>.js` + `_bg.wasm`. Returns that file stem.
fn bindgen_module(module: &str, wasm: &Path, staging: &Path, release: bool) -> Result<String> {
    let bytes = std::fs::read(wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
    let name = format!("{module}-{:016x}", fnv1a64(&bytes));
    let work = wasm
        .parent()
        .ok_or_else(|| format!("no parent directory for {}", wasm.display()))?
        .join(format!("{module}-bindgen"));
    let _ = std::fs::remove_dir_all(&work);
    run(Command::new("wasm-bindgen")
        .args(["--target", "web", "--no-typescript", "--out-dir"])
        .arg(&work)
        .args(["--out-name", &name])
        .arg(wasm))?;
    let bg = work.join(format!("{name}_bg.wasm"));
    if release {
        let opt = work.join("opt.wasm");
        run(Command::new("wasm-opt")
            .arg("-Oz")
            .arg("--output")
            .arg(&opt)
            .arg(&bg))?;
        std::fs::rename(&opt, &bg).map_err(|e| e.to_string())?;
    }
    copy(&bg, &staging.join(format!("{name}_bg.wasm")))?;
    copy(
        &work.join(format!("{name}.js")),
        &staging.join(format!("{name}.js")),
    )?;
    copy_dir(&work.join("snippets"), &staging.join("snippets"))?;
    Ok(name)
}

struct Built {
    /// One `.wasm` per entry of [`MODULES`], in that order.
    wasm: Vec<PathBuf>,
    out_dir: PathBuf,
}

fn cargo_build_modules(source: &Path, release: bool) -> Result<Built> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    // The app's package too (already built by Trunk, so fresh): its build script's OUT_DIR
    // holds the compiled content. The modules' packages do not depend on the app.
    cmd.current_dir(source)
        .args(["build", "--target", "wasm32-unknown-unknown"]);
    for module in MODULES {
        cmd.args(["-p", module]);
    }
    cmd.args([
        "-p",
        "gentutor",
        "--bins",
        "--message-format=json-render-diagnostics",
    ]);
    if release {
        cmd.arg("--release");
    }
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cargo: {e}"))?;
    if !out.status.success() {
        return Err("building the lazily loaded modules failed (see the errors above)".into());
    }
    parse_cargo_messages(&String::from_utf8_lossy(&out.stdout))
}

/// Finds each module's `.wasm` and the `OUT_DIR` holding `content.bin` in cargo's JSON messages.
fn parse_cargo_messages(stdout: &str) -> Result<Built> {
    let mut wasm: [Option<PathBuf>; MODULES.len()] = Default::default();
    let mut out_dir = None;
    for line in stdout.lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        match msg["reason"].as_str() {
            Some("compiler-artifact") => {
                let Some(i) = MODULES.iter().position(|m| msg["target"]["name"] == *m) else {
                    continue;
                };
                wasm[i] = msg["filenames"]
                    .as_array()
                    .and_then(|f| {
                        f.iter()
                            .filter_map(|f| f.as_str())
                            .find(|f| f.ends_with(".wasm"))
                    })
                    .map(PathBuf::from);
            }
            Some("build-script-executed") => {
                if let Some(dir) = msg["out_dir"].as_str().map(PathBuf::from) {
                    if dir.join("content.hash").is_file() {
                        out_dir = Some(dir);
                    }
                }
            }
            _ => {}
        }
    }
    let wasm = MODULES
        .iter()
        .zip(wasm)
        .map(|(m, w)| w.ok_or_else(|| format!("cargo reported no {m} .wasm")))
        .collect::<Result<Vec<_>>>()?;
    Ok(Built {
        wasm,
        out_dir: out_dir.ok_or("cargo reported no build script output with content.bin")?,
    })
}

/// Adds each module's URL (`<meta name="gentutor-demos" content="...">`, ...) and a preload
/// of the content right before `</head>`.
fn inject_head(html: &str, modules: &[(&str, String)], content_url: &str) -> Result<String> {
    let mut tags = String::new();
    for (meta, url) in modules {
        tags.push_str(&format!("<meta name=\"{meta}\" content=\"{url}\">\n    "));
    }
    tags.push_str(&format!(
        "<link rel=\"preload\" href=\"{content_url}\" as=\"fetch\" type=\"application/octet-stream\" crossorigin=\"anonymous\">\n  "
    ));
    let at = html
        .find("</head>")
        .ok_or("index.html has no </head> to add the modules and content links to")?;
    Ok(format!("{}{tags}{}", &html[..at], &html[at..]))
}

/// FNV-1a, 64 bit: the same stable file-name hash as `build.rs`.
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn run(cmd: &mut Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    let status = cmd
        .status()
        .map_err(|e| format!("{shown}: {e} (is it installed? run scripts/ensure-tools.sh)"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed: {status}"))
    }
}

fn read(p: &Path) -> Result<String> {
    std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("copy {} -> {}: {e}", from.display(), to.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(from) else {
        return Ok(()); // no snippets
    };
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let dest = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &dest)?;
        } else {
            copy(&path, &dest)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_gets_the_modules_metas_and_the_content_preload() {
        let html = "<html><head><title>x</title></head><body></body></html>";
        let modules = [
            ("gentutor-demos", "/gentutor-demos-ab.js".to_string()),
            ("gentutor-pages", "/gentutor-pages-ef.js".to_string()),
        ];
        let out = inject_head(html, &modules, "/content-cd.bin").unwrap();
        let head_end = out.find("</head>").unwrap();
        let demos = out
            .find("name=\"gentutor-demos\" content=\"/gentutor-demos-ab.js\"")
            .unwrap();
        let pages = out
            .find("name=\"gentutor-pages\" content=\"/gentutor-pages-ef.js\"")
            .unwrap();
        let preload = out.find("href=\"/content-cd.bin\" as=\"fetch\"").unwrap();
        assert!(demos < head_end && pages < head_end && preload < head_end);
        assert!(out.ends_with("</head><body></body></html>"));
        assert!(inject_head("<html></html>", &modules, "b").is_err());
    }

    #[test]
    fn cargo_messages_give_the_wasm_and_the_content_out_dir() {
        let dir = std::env::temp_dir().join(format!("xtask-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("content.hash"), "0123").unwrap();
        let other = std::env::temp_dir().join("xtask-test-no-content");
        let lines = [
            r#"{"reason":"compiler-artifact","target":{"name":"gentutor"},"filenames":["/t/gentutor.wasm"]}"#.to_string(),
            format!(r#"{{"reason":"build-script-executed","out_dir":"{}"}}"#, other.display()),
            format!(r#"{{"reason":"build-script-executed","out_dir":"{}"}}"#, dir.display()),
            r#"{"reason":"compiler-artifact","target":{"name":"gentutor-pages"},"filenames":["/t/gentutor-pages.wasm"]}"#.to_string(),
            r#"{"reason":"compiler-artifact","target":{"name":"gentutor-demos"},"filenames":["/t/gentutor-demos.wasm"]}"#.to_string(),
            "not json".to_string(),
        ];
        let built = parse_cargo_messages(&lines.join("\n")).unwrap();
        assert_eq!(
            built.wasm,
            [
                PathBuf::from("/t/gentutor-demos.wasm"),
                PathBuf::from("/t/gentutor-pages.wasm")
            ]
        );
        assert_eq!(built.out_dir, dir);
        // Without the content, or without either module, the build fails.
        assert!(parse_cargo_messages(&lines[..3].join("\n")).is_err());
        assert!(parse_cargo_messages(&lines[..4].join("\n")).is_err());
        let no_pages = [&lines[..3], &lines[4..]].concat();
        assert!(parse_cargo_messages(&no_pages.join("\n")).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn file_hash_matches_the_build_script() {
        // FNV-1a test vectors.
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
