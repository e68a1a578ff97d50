//! The layers Cargo must keep: the pages module (what a student downloads to open Learn, Test,
//! Matching, Flashcards, Call or the class pages) has no models, plots, networks or ndarray,
//! and the first-load app depends on neither lazily loaded module. Read from `cargo tree` for
//! the browser target, so a new dependency that breaks a layer fails here, not in a size report.

use std::process::Command;

/// The packages in `package`'s normal (non-dev, non-build) dependency tree for wasm32.
fn wasm_tree(package: &str) -> Vec<String> {
    let out = Command::new(env!("CARGO"))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .args([
            "tree",
            "--offline",
            "-p",
            package,
            "-e",
            "normal",
            "--target",
            "wasm32-unknown-unknown",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo tree -p {package} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    assert!(
        tree.iter().any(|p| p == package),
        "cargo tree -p {package} did not list the package itself: {tree:?}"
    );
    tree
}

fn offenders(tree: &[String], banned: &[&str]) -> Vec<String> {
    let mut found: Vec<String> = tree
        .iter()
        .filter(|p| banned.contains(&p.as_str()))
        .cloned()
        .collect();
    found.sort();
    found.dedup();
    found
}

/// What only the demos module may carry.
const HEAVY: [&str; 8] = [
    "gentutor-models",
    "gentutor-plot",
    "gentutor-nn",
    "gentutor-kernels",
    "gentutor-demos",
    "ndarray",
    "plotters",
    "plotters-canvas",
];

#[test]
fn the_pages_module_has_no_models_plots_or_ndarray() {
    let tree = wasm_tree("gentutor-pages");
    assert_eq!(
        offenders(&tree, &HEAVY),
        Vec::<String>::new(),
        "gentutor-pages must stay light: a student opening Learn would download these"
    );
    // What it does need, so the check is not vacuous.
    for needed in [
        "gentutor-study",
        "gentutor-content",
        "gentutor-web",
        "leptos",
    ] {
        assert!(
            tree.iter().any(|p| p == needed),
            "{needed} missing: {tree:?}"
        );
    }
}

#[test]
fn the_first_load_app_depends_on_neither_lazy_module() {
    let tree = wasm_tree("gentutor");
    let mut banned = HEAVY.to_vec();
    banned.push("gentutor-pages");
    assert_eq!(offenders(&tree, &banned), Vec::<String>::new());
}

#[test]
fn the_demos_module_is_where_the_models_are() {
    // The same query finds heavy crates where they belong (guards against a filter that
    // never matches anything).
    let tree = wasm_tree("gentutor-demos");
    let found = offenders(&tree, &HEAVY);
    for heavy in ["gentutor-models", "gentutor-plot", "ndarray", "plotters"] {
        assert!(
            found.iter().any(|p| p == heavy),
            "{heavy} not in demos: {found:?}"
        );
    }
}
