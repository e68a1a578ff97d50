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
//!    the modules' URLs, a `<link rel="preload">` for the content, so it downloads alongside
//!    the app's WASM, and `<meta name="gentutor-sw">` with the service worker's URL;
//! 4. `sw.js`, the service worker (last, once every other file is final): the precache list of
//!    every file of the build and a cache version derived from their contents
//!    (see [`precache_list`], [`service_worker`] and `sw_body.js`).
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
    let content_hash = content_hash.trim();
    check_app_content(&staging, content_hash)?;
    let content_name = format!("content-{content_hash}.bin");
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
    let html = inject_head(
        &html,
        &urls,
        &format!("{public_url}{content_name}"),
        &format!("{public_url}{SERVICE_WORKER}"),
    )?;
    std::fs::write(&index, html).map_err(|e| format!("{}: {e}", index.display()))?;
    eprintln!("gentutor-xtask: added {content_name}");

    let files = precache_list(&staging)?;
    let sw = staging.join(SERVICE_WORKER);
    std::fs::write(&sw, service_worker(&public_url, &files))
        .map_err(|e| format!("{}: {e}", sw.display()))?;
    eprintln!(
        "gentutor-xtask: added {SERVICE_WORKER} ({} files precached)",
        files.len()
    );
    Ok(())
}

/// Fails unless the app's WASM (built by Trunk before this hook) was compiled with the same
/// lessons as the `content.bin` about to be copied: an edit under `content/` while the build
/// runs rebuilds the content here but not Trunk's copy of the app, and the app would then ask
/// for a `content-<hash>.bin` the build does not have (and precache a broken build).
fn check_app_content(staging: &Path, content_hash: &str) -> Result<()> {
    let entries = std::fs::read_dir(staging).map_err(|e| format!("{}: {e}", staging.display()))?;
    let mut apps = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_app = name.starts_with("gentutor-")
            && name.ends_with("_bg.wasm")
            && !MODULES.iter().any(|m| name.starts_with(&format!("{m}-")));
        if !is_app {
            continue;
        }
        apps += 1;
        let wasm = std::fs::read(entry.path()).map_err(|e| format!("{name}: {e}"))?;
        if !contains(&wasm, content_hash.as_bytes()) {
            return Err(format!(
                "{name} was built with other lessons than content-{content_hash}.bin \
                 (content/ changed during the build): build again"
            ));
        }
    }
    // No app module at all (Trunk renamed its output?) would pass the check unseen.
    if apps == 0 {
        return Err(format!(
            "no gentutor-*_bg.wasm app module in {}: cannot check it was built with \
             content-{content_hash}.bin",
            staging.display()
        ));
    }
    Ok(())
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// The service worker's file name, at the root of the build (its scope is the whole site).
const SERVICE_WORKER: &str = "sw.js";

/// One file of the build: its path relative to the build's root (`/`-separated) and the
/// FNV-1a hash of its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
struct BuiltFile {
    path: String,
    hash: u64,
}

/// Every file under `root` (recursively, sorted by path) except the service worker itself:
/// what the app can need offline, hashed names or not (fonts, checkpoints, data, index.html).
fn precache_list(root: &Path) -> Result<Vec<BuiltFile>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<BuiltFile>) -> Result<()> {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
            if path.is_dir() {
                walk(root, &path, out)?;
                continue;
            }
            let rel = path
                .strip_prefix(root)
                .map_err(|e| e.to_string())?
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            if rel == SERVICE_WORKER {
                continue;
            }
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            out.push(BuiltFile {
                path: rel,
                hash: fnv1a64(&bytes),
            });
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(root, root, &mut files)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The cache version: a hash of every file's path and content hash, so that any change to
/// any file of the build (a new hash, a file added or removed) gives a new version.
fn cache_version(files: &[BuiltFile]) -> String {
    let mut listed = Vec::new();
    for f in files {
        listed.extend_from_slice(f.path.as_bytes());
        listed.push(0);
        listed.extend_from_slice(&f.hash.to_le_bytes());
    }
    format!("{:016x}", fnv1a64(&listed))
}

/// `sw.js`: the version, the scope (`public_url`) and the precache list, then the worker's
/// code (`sw_body.js`). Paths are JSON strings, so any file name stays valid JavaScript.
fn service_worker(public_url: &str, files: &[BuiltFile]) -> String {
    let urls: Vec<String> = files
        .iter()
        .map(|f| format!("{public_url}{}", f.path))
        .collect();
    let list = serde_json::to_string_pretty(&urls).unwrap_or_else(|_| "[]".into());
    format!(
        "// gentutor's service worker, written by `gentutor-xtask post-build` (crates/xtask).\n\
         const VERSION = {};\nconst SCOPE = {};\nconst PRECACHE = {list};\n\n{}",
        serde_json::Value::from(cache_version(files)),
        serde_json::Value::from(public_url),
        include_str!("sw_body.js")
    )
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

/// Adds each module's URL (`<meta name="gentutor-demos" content="...">`, ...), the service
/// worker's (`<meta name="gentutor-sw">`) and a preload of the content right before `</head>`.
fn inject_head(
    html: &str,
    modules: &[(&str, String)],
    content_url: &str,
    sw_url: &str,
) -> Result<String> {
    let mut tags = String::new();
    for (meta, url) in modules {
        tags.push_str(&format!("<meta name=\"{meta}\" content=\"{url}\">\n    "));
    }
    tags.push_str(&format!(
        "<meta name=\"gentutor-sw\" content=\"{sw_url}\">\n    "
    ));
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
        let out = inject_head(html, &modules, "/content-cd.bin", "/sw.js").unwrap();
        let head_end = out.find("</head>").unwrap();
        let demos = out
            .find("name=\"gentutor-demos\" content=\"/gentutor-demos-ab.js\"")
            .unwrap();
        let pages = out
            .find("name=\"gentutor-pages\" content=\"/gentutor-pages-ef.js\"")
            .unwrap();
        let preload = out.find("href=\"/content-cd.bin\" as=\"fetch\"").unwrap();
        let sw = out
            .find("<meta name=\"gentutor-sw\" content=\"/sw.js\">")
            .unwrap();
        assert!(demos < head_end && pages < head_end && preload < head_end && sw < head_end);
        assert!(out.ends_with("</head><body></body></html>"));
        assert!(inject_head("<html></html>", &modules, "b", "/sw.js").is_err());
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

    /// A throwaway build directory with `files` (path, bytes).
    fn build_dir(name: &str, files: &[(&str, &[u8])]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-sw-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, bytes) in files {
            let p = dir.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
        dir
    }

    /// The shape of a build: hashed modules, content, CSS, nested assets, snippets.
    const BUILD: [(&str, &[u8]); 9] = [
        ("index.html", b"<html></html>"),
        ("gentutor-ab.js", b"js"),
        ("gentutor-ab_bg.wasm", b"\0asm app"),
        ("gentutor-pages-cd_bg.wasm", b"\0asm pages"),
        ("content-ef.bin", b"lessons"),
        ("main-01.css", b"body{}"),
        ("assets/checkpoints/vae.gtck", b"GTCK"),
        ("assets/fonts/latinmodern-math.woff2", b"font"),
        ("snippets/gentutor-12/inline0.js", b"export {}"),
    ];

    #[test]
    fn precache_lists_every_file_of_the_build_but_the_worker() {
        let mut files = BUILD.to_vec();
        files.push(("sw.js", b"old worker"));
        let dir = build_dir("list", &files);
        let listed = precache_list(&dir).unwrap();
        let mut expected: Vec<&str> = BUILD.iter().map(|(p, _)| *p).collect();
        expected.sort_unstable();
        let paths: Vec<&str> = listed.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, expected);
        assert_eq!(
            listed
                .iter()
                .find(|f| f.path == "main-01.css")
                .unwrap()
                .hash,
            fnv1a64(b"body{}")
        );

        // Every file is in the worker's list, at its URL under the public URL.
        let sw = service_worker("/", &listed);
        for (path, _) in BUILD {
            assert!(sw.contains(&format!("\"/{path}\"")), "{path} not in sw.js");
        }
        assert!(!sw.contains("\"/sw.js\""));
        assert!(sw.contains(&format!("const VERSION = \"{}\";", cache_version(&listed))));
        assert!(sw.contains("const SCOPE = \"/\";"));
        assert!(sw.contains("addEventListener('fetch'"));
        let under = service_worker("/tutor/", &listed);
        assert!(under.contains("\"/tutor/content-ef.bin\""));
        assert!(under.contains("const SCOPE = \"/tutor/\";"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn cache_version_changes_with_any_file() {
        let dir = build_dir("version", &BUILD);
        let before = cache_version(&precache_list(&dir).unwrap());
        // Same build again: same version (the browser keeps its cache).
        assert_eq!(before, cache_version(&precache_list(&dir).unwrap()));
        // One unhashed file's bytes change (a retrained checkpoint): a new version.
        std::fs::write(dir.join("assets/checkpoints/vae.gtck"), b"GTCK v2").unwrap();
        let changed = cache_version(&precache_list(&dir).unwrap());
        assert_ne!(changed, before);
        // A hashed module renamed (new hash, same bytes): a new version.
        std::fs::rename(
            dir.join("gentutor-pages-cd_bg.wasm"),
            dir.join("gentutor-pages-ce_bg.wasm"),
        )
        .unwrap();
        let renamed = cache_version(&precache_list(&dir).unwrap());
        assert_ne!(renamed, changed);
        // A file added: a new version.
        std::fs::write(dir.join("assets/new.bin"), b"x").unwrap();
        assert_ne!(cache_version(&precache_list(&dir).unwrap()), renamed);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_app_must_be_built_with_the_copied_content() {
        let app = b"\0asm ... /content- ... 0123456789abcdef ...".as_slice();
        let dir = build_dir(
            "content",
            &[
                ("gentutor-aa_bg.wasm", app),
                ("gentutor-pages-bb_bg.wasm", b"\0asm"),
                ("index.html", b"<html></html>"),
            ],
        );
        assert!(check_app_content(&dir, "0123456789abcdef").is_ok());
        let err = check_app_content(&dir, "fedcba9876543210").unwrap_err();
        assert!(err.contains("gentutor-aa_bg.wasm"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
        // A build with no app module is not a pass.
        let none = build_dir(
            "content-none",
            &[
                ("gentutor-pages-bb_bg.wasm", b"\0asm"),
                ("index.html", b"<html></html>"),
            ],
        );
        let err = check_app_content(&none, "0123456789abcdef").unwrap_err();
        assert!(err.contains("no gentutor-"), "{err}");
        let _ = std::fs::remove_dir_all(&none);
    }

    #[test]
    fn file_hash_matches_the_build_script() {
        // FNV-1a test vectors.
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
