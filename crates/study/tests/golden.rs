//! Golden saved progress: a learner's progress document, as this version writes it, must be
//! read by every later version with nothing lost. `golden/progress_v2.json` was exported once
//! (with `GENTUTOR_BLESS=1 cargo test -p gentutor-study --test golden`, which writes the file
//! only if it is missing) from the session below; it is never rewritten. When the format
//! changes, add `progress_v<N>.json` next to it and keep this test reading the old one.
//! If a rename of the API breaks compilation here, adapt the call, never the file.

use gentutor_study::learn::LearnStage;
use gentutor_study::progress::{Progress, PROGRESS_VERSION};
use gentutor_study::questions::QuestionKind;
use gentutor_study::scheduler::{Phase, Rating, Scheduler, DAY_MS};
use serde_json::Value;
use std::path::PathBuf;

/// 2025-06-15 12:00 UTC, when the frozen session started.
const T0: i64 = 1_750_000_000_000;

/// A session touching every part of the document: reviews (one lapse), Learn answers (one
/// overridden), Test and quiz answers, stars, a Matching time and non-default settings.
fn session() -> Progress {
    let mut p = Progress::fresh();
    let s = Scheduler::new(0.9);
    p.record_review(3, Rating::Good, &s, T0);
    p.record_review(3, Rating::Easy, &s, T0 + DAY_MS);
    p.record_review(3, Rating::Again, &s, T0 + 30 * DAY_MS);
    p.record_review(5, Rating::Easy, &s, T0 + 60_000);
    p.record_learn_answer(3, 1, true, T0 + 1_000);
    p.record_learn_answer(3, 2, false, T0 + 2_000);
    p.override_last_learn_answer(3);
    p.record_learn_answer(7, 2, true, T0 + 3_000);
    p.record_test_result(5, QuestionKind::Typed, 0.75, false, true, T0 + 4_000);
    p.record_test_result(7, QuestionKind::Matching, 1.0, true, false, T0 + 5_000);
    p.record_quiz_answer(7, QuestionKind::TrueFalse, true, false, T0 + 6_000);
    p.toggle_star(3);
    p.toggle_star(12);
    p.record_matching_time(41_250);
    p.learn_round = 2;
    p.settings.desired_retention = 0.85;
    p.settings.new_cards_per_session = 15;
    p.settings.learn_round_size = 5;
    p
}

/// The frozen document's text (written first if blessing and missing).
fn golden_text() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/progress_v2.json");
    if std::env::var_os("GENTUTOR_BLESS").is_some_and(|v| v == "1") && !path.exists() {
        std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir golden");
        let text = session().export().expect("export");
        std::fs::write(&path, text + "\n").expect("write the golden file");
    }
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} is missing ({e}); it is a frozen file from an older version, restore it from git",
            path.display()
        )
    })
}

#[test]
fn progress_saved_by_v2_loads_with_every_value() {
    let text = golden_text();
    let out = Progress::load(Some(&text), T0 + 10 * DAY_MS);
    assert_eq!(out.quarantine, None, "{:?}", out.notice);
    assert_eq!(out.migrated_from, (PROGRESS_VERSION > 2).then_some(2));
    let p = out.progress;
    assert_eq!(p.version, PROGRESS_VERSION);
    assert_eq!(p.cards.keys().copied().collect::<Vec<_>>(), [3, 5, 7, 12]);

    // Card 3: reviewed Good, Easy, then Again a month later (a lapse); Learn right then wrong
    // (overridden); starred.
    let c3 = &p.cards[&3];
    let f = c3.fsrs.as_ref().expect("card 3 has a memory state");
    assert_eq!((f.reps, f.lapses), (3, 1));
    assert_eq!(f.phase, Phase::Relearning);
    assert_eq!(f.last_review_ms, T0 + 30 * DAY_MS);
    assert_eq!(f.elapsed_days, 29);
    // The memory state as saved (exact: JSON numbers read back to the same f64).
    assert_eq!(f.stability, 2.8032659548452785);
    assert_eq!(f.difficulty, 6.285122554297165);
    assert_eq!(f.due_ms, 1_752_592_300_000);
    let log: Vec<_> = c3
        .review_log
        .iter()
        .map(|e| (e.rating, e.phase_before, e.reviewed_ms))
        .collect();
    assert_eq!(
        log,
        [
            (Rating::Good, Phase::New, T0),
            (Rating::Easy, Phase::Learning, T0 + DAY_MS),
            (Rating::Again, Phase::Review, T0 + 30 * DAY_MS)
        ]
    );
    assert_eq!(c3.learn_log.len(), 2);
    assert!(c3.learn_log[1].overridden && c3.learn_log[1].correct);
    assert_eq!(c3.learn_log[1].stage_before, LearnStage::TrueFalse);
    assert_eq!(c3.learn_stage, LearnStage::Typed);
    assert_eq!(c3.learn_last_correct_round, Some(2));
    assert!(c3.starred);

    // Card 5: one Easy review; a Typed Test answer the learner overrode.
    let c5 = &p.cards[&5];
    assert_eq!(c5.review_log.len(), 1);
    assert_eq!(c5.review_log[0].rating, Rating::Easy);
    assert_eq!(c5.test_results.len(), 1);
    let t = &c5.test_results[0];
    assert_eq!(
        (t.kind, t.score, t.correct, t.overridden),
        (QuestionKind::Typed, 0.75, false, true)
    );
    assert!(!c5.starred);

    // Card 7: Learn, Test and quiz answers; card 12: only a star.
    let c7 = &p.cards[&7];
    assert_eq!(c7.learn_stage, LearnStage::TrueFalse);
    assert_eq!(c7.test_results[0].kind, QuestionKind::Matching);
    assert_eq!(c7.quiz_results.len(), 1);
    assert_eq!(c7.quiz_results[0].kind, QuestionKind::TrueFalse);
    assert_eq!(c7.quiz_results[0].at_ms, T0 + 6_000);
    assert!(p.cards[&12].starred && p.cards[&12].fsrs.is_none());

    assert_eq!(p.matching_best_ms, Some(41_250));
    assert_eq!(p.learn_round, 2);
    assert_eq!(p.settings.desired_retention, 0.85);
    assert_eq!(p.settings.new_cards_per_session, 15);
    assert_eq!(p.settings.learn_round_size, 5);

    // An exported file of v2 imports to the same progress.
    assert_eq!(Progress::import(&text).expect("imports"), p);
}

/// Fields renamed by a later format: (old path, new path), `*` standing for any card id.
/// Empty while the format is v2. A rename must come with a migration and a line here.
const RENAMED: &[(&str, &str)] = &[];

/// Every leaf of `v` as (path, value); card ids become `*` only in the rename lookup.
fn leaves(v: &Value, path: String, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, x) in m {
                leaves(x, format!("{path}/{k}"), out);
            }
        }
        Value::Array(a) if !a.is_empty() => {
            for (i, x) in a.iter().enumerate() {
                leaves(x, format!("{path}/{i}"), out);
            }
        }
        _ => out.push((path, v.clone())),
    }
}

fn renamed(path: &str) -> String {
    for (old, new) in RENAMED {
        let pattern: Vec<&str> = old.split('/').collect();
        let parts: Vec<&str> = path.split('/').collect();
        if parts.len() >= pattern.len()
            && pattern.iter().zip(&parts).all(|(p, q)| *p == "*" || p == q)
        {
            let mut new_parts: Vec<String> = new.split('/').map(String::from).collect();
            for (i, p) in pattern.iter().enumerate() {
                if *p == "*" {
                    new_parts[i] = parts[i].to_string();
                }
            }
            new_parts.extend(parts[pattern.len()..].iter().map(|s| s.to_string()));
            return new_parts.join("/");
        }
    }
    path.to_string()
}

#[test]
fn no_field_of_the_v2_document_is_dropped_or_changed() {
    let text = golden_text();
    let golden: Value = serde_json::from_str(&text).expect("the golden file is JSON");
    let p = Progress::load(Some(&text), T0).progress;
    let again: Value = serde_json::from_str(&p.to_json().expect("serialise")).expect("JSON");
    let (mut old, mut now) = (Vec::new(), Vec::new());
    leaves(&golden, String::new(), &mut old);
    leaves(&again, String::new(), &mut now);
    let now: std::collections::BTreeMap<String, Value> = now.into_iter().collect();
    // Every value the learner saved is still written back, at its (possibly renamed) place:
    // a field a later version stops reading would silently vanish on the next save.
    for (path, value) in old {
        if path == "/version" {
            continue;
        }
        let path = renamed(&path);
        assert_eq!(
            now.get(&path),
            Some(&value),
            "saved field {path} is lost or changed when v{PROGRESS_VERSION} reads and writes back a v2 document"
        );
    }
}

/// The detector above does catch a dropped field (so the test is not vacuous).
#[test]
fn a_dropped_field_is_detected() {
    let text = golden_text();
    let golden: Value = serde_json::from_str(&text).expect("JSON");
    let mut damaged = golden.clone();
    damaged["cards"]["3"]
        .as_object_mut()
        .expect("card 3")
        .remove("starred");
    let (mut old, mut now) = (Vec::new(), Vec::new());
    leaves(&golden, String::new(), &mut old);
    leaves(&damaged, String::new(), &mut now);
    let now: std::collections::BTreeMap<String, Value> = now.into_iter().collect();
    let missing: Vec<_> = old
        .iter()
        .filter(|(p, v)| now.get(p) != Some(v))
        .map(|(p, _)| p.as_str())
        .collect();
    assert_eq!(missing, ["/cards/3/starred"]);
}
