//! The content lint over everything in `content/`: front matter, SUMMARY links, every formula,
//! every embed, internal links, and all 37 cards. Reads the files from disk (IO at the edge).

use gentutor::content::lint::lint;
use std::path::Path;

fn read_all(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("read content dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            read_all(&p, root, out);
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("md" | "toml")) {
            let rel = p
                .strip_prefix(root)
                .expect("under root")
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read_to_string(&p).expect("read content file")));
        }
    }
}

/// Every content file, as (path relative to `content/`, text).
fn content_files() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut files = Vec::new();
    read_all(&root, &root, &mut files);
    files
}

/// The lint's messages for these files.
fn lint_messages(files: &[(String, String)]) -> Vec<String> {
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    lint(&refs).iter().map(|e| e.to_string()).collect()
}

#[test]
fn all_content_is_valid() {
    let files = content_files();
    assert!(files.len() > 20, "content/ should hold lessons and cards");
    let list = lint_messages(&files);
    assert!(
        list.is_empty(),
        "{} content problem(s):\n{}",
        list.len(),
        list.join("\n")
    );
}

#[test]
fn the_lint_fails_on_broken_content() {
    // Guards the guard: a copy of real content with one formula broken must be reported.
    let mut files = content_files();
    let lesson = files
        .iter_mut()
        .find(|(p, _)| p == "lessons/gan-objective.md")
        .expect("the GAN lesson exists");
    lesson
        .1
        .push_str("\n\nBroken: $\\notacommand{x}$ and [a link](nowhere.md#x).\n");
    let msgs = lint_messages(&files);
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("lessons/gan-objective.md:") && m.contains("notacommand")),
        "{msgs:?}"
    );
    assert!(msgs.iter().any(|m| m.contains("nowhere.md#x")), "{msgs:?}");
}

#[test]
fn the_lint_refuses_a_multiple_choice_answer_guessable_by_length() {
    let mut files = content_files();
    let cards = files
        .iter_mut()
        .find(|(p, _)| p == "cards/gan-objective.toml")
        .expect("the GAN cards exist");
    // The first card's one-line answer becomes as long as a full back.
    let line = cards
        .1
        .lines()
        .find(|l| l.starts_with("answer = "))
        .expect("cards have an `answer`")
        .to_string();
    let long = format!(
        "answer = \"{}\"",
        "The discriminator and the generator play a game. ".repeat(12)
    );
    cards.1 = cards.1.replacen(&line, &long, 1);
    let msgs = lint_messages(&files);
    assert!(
        msgs.iter().any(|m| m.contains("picked by length")),
        "{msgs:?}"
    );
}

/// Every content file with its text lowercased, for the wording rules below.
fn lowercase_content() -> Vec<(String, String)> {
    content_files()
        .into_iter()
        .map(|(path, text)| (path, text.to_lowercase()))
        .collect()
}

#[test]
fn the_discriminator_maximises_minus_the_cross_entropy() {
    // V is the negative binary cross-entropy of a real-vs-fake classifier: the discriminator
    // maximises V, i.e. minimises the cross-entropy (Goodfellow et al. 2014, Eq. 1). A card once
    // had it maximise the cross-entropy itself. Quotes of the seed deck (`deck_said`) are exempt.
    const WRONG: &[&str] = &[
        "maximises the cross-entropy",
        "maximizes the cross-entropy",
        "maximising the cross-entropy",
        "maximizing the cross-entropy",
        "maximises the binary cross-entropy",
        "maximizes the binary cross-entropy",
        "maximising the binary cross-entropy",
        "maximizing the binary cross-entropy",
    ];
    let mut problems = Vec::new();
    for (path, text) in lowercase_content() {
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("deck_said") {
                continue;
            }
            let says_wrong = WRONG.iter().any(|w| line.contains(w));
            let maximises_it = line.contains("cross-entropy")
                && (line.contains("maximises it") || line.contains("maximizes it"))
                && !line.contains("negative");
            if says_wrong || maximises_it {
                problems.push(format!("{path}:{}: {line}", n + 1));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the discriminator maximises V, minus the cross-entropy:\n{}",
        problems.join("\n")
    );
}

#[test]
fn key_point_synonyms_are_not_weaker_than_their_point() {
    // A synonym earns the whole key point, so it must imply it. A smooth bijection is not a
    // diffeomorphism: x -> x^3 has an inverse that is not differentiable at 0.
    const TOO_WEAK: &[(&str, &[&str])] = &[(
        "diffeomorphism",
        &["\"bijection\"", "\"bijective\"", "\"invertible map\""],
    )];
    let mut problems = Vec::new();
    for (path, text) in lowercase_content() {
        if !path.starts_with("cards/") {
            continue;
        }
        for (n, line) in text.lines().enumerate() {
            if !(line.contains("point =") && line.contains("synonyms")) {
                continue;
            }
            for &(concept, weak) in TOO_WEAK {
                if !line.contains(concept) {
                    continue;
                }
                for &w in weak {
                    if line.contains(w) {
                        problems.push(format!("{path}:{}: {w} offered for {concept}", n + 1));
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "key-point synonyms weaker than the point:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_hinge_loss_is_never_called_proper() {
    // The hinge loss is minimised by sign(p* - q), the Bayes decision, so it is not a proper
    // scoring rule and recovers neither D* nor the density ratio (Nguyen, Wainwright & Jordan
    // 2009). Any sentence of a lesson or card that names both must say "not".
    let mut problems = Vec::new();
    for (path, text) in lowercase_content() {
        if path.starts_with("corrections/") {
            continue;
        }
        for sentence in text.split(['.', '!', '?']) {
            if sentence.contains("hinge")
                && sentence.contains("proper")
                && !sentence.contains("not ")
            {
                problems.push(format!("{path}: {}", sentence.trim()));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the hinge loss is not a proper scoring rule:\n{}",
        problems.join("\n\n")
    );
}
