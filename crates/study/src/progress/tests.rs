//! Load, migrate, sanitise, merge and record, on small documents.

use super::*;

const T0: i64 = 1_750_000_000_000;

fn sample() -> Progress {
    let sched = Scheduler::default();
    let mut p = Progress::fresh();
    p.record_review(3, Rating::Good, &sched, T0);
    p.record_review(3, Rating::Good, &sched, T0 + 600_000);
    p.record_learn_answer(3, 1, true, T0);
    p.record_test_result(5, QuestionKind::Typed, 0.5, false, false, T0);
    p.record_quiz_answer(5, QuestionKind::MultipleChoice, true, false, T0 + 1);
    p.toggle_star(7);
    p.record_matching_time(40_000);
    p.learn_round = 1;
    p
}

#[test]
fn round_trip_through_json() {
    let p = sample();
    let json = p.to_json().expect("serialisable");
    let out = Progress::load(Some(&json), T0);
    assert_eq!(out.progress, p);
    assert!(out.notice.is_none() && out.quarantine.is_none());
    let exported = p.export().expect("serialisable");
    assert_eq!(Progress::import(&exported), Ok(p));
}

#[test]
fn missing_or_blank_gives_fresh_without_notice() {
    for raw in [None, Some(""), Some("  \n")] {
        let out = Progress::load(raw, T0);
        assert_eq!(out.progress, Progress::fresh());
        assert!(out.notice.is_none() && out.quarantine.is_none());
    }
}

const V1_FIXTURE: &str = r#"{
      "version": 1,
      "cards": {
        "3": {"learn_stage": 2, "test_results": [
          {"at_ms": 1700000000000, "kind": "Typed", "score": 1.0, "correct": true}]},
        "9": {"fsrs": {"due_ms": 1700000600000, "stability": 2.3, "difficulty": 5.1,
              "elapsed_days": 0, "scheduled_days": 0, "reps": 1, "lapses": 0,
              "phase": "Learning", "last_review_ms": 1700000000000},
              "review_log": [{"rating": "Good", "reviewed_ms": 1700000000000,
              "phase_before": "New", "elapsed_days": 0, "scheduled_days": 0,
              "due_ms": 1700000600000}]}
      },
      "starred": [3, 12],
      "matching_best_ms": 31000
    }"#;

#[test]
fn v1_migrates_to_v2() {
    let out = Progress::load(Some(V1_FIXTURE), T0);
    assert!(out.quarantine.is_none(), "{:?}", out.notice);
    assert_eq!(out.migrated_from, Some(1));
    let p = out.progress;
    assert_eq!(p.version, 2);
    assert!(p.is_starred(3) && p.is_starred(12) && !p.is_starred(9));
    assert_eq!(p.learn_stage(3), LearnStage::Typed);
    assert_eq!(p.cards[&3].test_results.len(), 1);
    assert_eq!(p.cards[&9].review_log.len(), 1);
    assert_eq!(p.cards[&9].fsrs.as_ref().map(|s| s.reps), Some(1));
    assert_eq!(p.matching_best_ms, Some(31_000));
    assert_eq!(p.settings, Settings::default());
    // Saved back, it is a v2 document.
    let again = Progress::load(Some(&p.to_json().unwrap_or_default()), T0);
    assert_eq!(again.migrated_from, None);
    assert_eq!(again.progress, p);
}

#[test]
fn corrupt_and_foreign_input_is_quarantined_not_wiped() {
    let full = sample().to_json().unwrap_or_default();
    let truncated = &full[..full.len() / 2];
    let cases: [(&str, &str); 6] = [
        (truncated, "corrupt"),
        ("not json at all", "corrupt"),
        (r#"{"foo":1}"#, "foreign"),
        ("[]", "foreign"),
        (r#""x""#, "foreign"),
        (r#"{"version":2,"cards":[1,2]}"#, "foreign"),
    ];
    for (raw, tag) in cases {
        let out = Progress::load(Some(raw), T0);
        assert_eq!(out.progress, Progress::fresh(), "{raw}");
        let q = out.quarantine.expect("quarantined");
        assert_eq!(q.raw, raw);
        assert_eq!(q.key_suffix, format!("backup-{tag}-{T0}"));
        assert_eq!(q.key(), format!("gentutor.progress.backup-{tag}-{T0}"));
        let notice = out.notice.expect("notice");
        assert!(
            notice.contains(&q.key()) && notice.contains("Nothing was deleted"),
            "{notice}"
        );
        assert!(Progress::import(raw).is_err());
    }
}

#[test]
fn future_version_is_kept_aside_not_downgraded() {
    let raw = r#"{"version":3,"cards":{},"new_field":true}"#;
    let out = Progress::load(Some(raw), T0);
    let q = out.quarantine.expect("kept aside");
    assert_eq!(q.raw, raw);
    assert!(q.key_suffix.starts_with("backup-future-"));
    assert!(out.notice.is_some_and(|n| n.contains("newer")));
    assert_eq!(
        Progress::import(raw),
        Err(StudyError::ImportFromFuture {
            found: 3,
            supported: 2
        })
    );
}

#[test]
fn nan_and_out_of_range_values_are_repaired_on_load() {
    let mut p = sample();
    if let Some(c) = p.cards.get_mut(&5) {
        c.test_results[0].score = f64::NAN;
    }
    p.settings.desired_retention = 5.0;
    p.cards.insert(0, CardProgress::default());
    let json = p.to_json().unwrap_or_default();
    let out = Progress::load(Some(&json), T0);
    assert!(out.quarantine.is_none(), "{:?}", out.notice);
    assert_eq!(out.progress.cards[&5].test_results[0].score, 0.0);
    assert!((out.progress.settings.desired_retention - 0.97).abs() < 1e-12);
    assert!(!out.progress.cards.contains_key(&0));
}

#[test]
fn import_merge_keeps_union_and_best() {
    let sched = Scheduler::default();
    let mut here = sample();
    let mut there = Progress::fresh();
    // Same first review as `here` (duplicate) plus a later one elsewhere.
    there.record_review(3, Rating::Good, &sched, T0);
    there.record_review(3, Rating::Good, &sched, T0 + 600_000);
    there.record_review(3, Rating::Easy, &sched, T0 + 2 * 86_400_000);
    there.record_learn_answer(3, 1, true, T0 + 5);
    there.record_learn_answer(3, 2, true, T0 + 6);
    there.toggle_star(4);
    there.record_matching_time(35_000);
    there.learn_round = 2;
    there.settings.learn_round_size = 3;
    let imported = Progress::import(&there.export().unwrap_or_default()).expect("valid");
    here.merge(&imported);

    let c3 = &here.cards[&3];
    let times: Vec<i64> = c3.review_log.iter().map(|e| e.reviewed_ms).collect();
    assert_eq!(times, vec![T0, T0 + 600_000, T0 + 2 * 86_400_000]);
    assert_eq!(
        c3.fsrs.as_ref().map(|s| s.last_review_ms),
        Some(T0 + 2 * 86_400_000)
    );
    assert_eq!(c3.learn_stage, LearnStage::Typed);
    assert_eq!(c3.learn_log.len(), 3);
    assert!(here.is_starred(4) && here.is_starred(7));
    assert_eq!(here.matching_best_ms, Some(35_000));
    assert_eq!(here.learn_round, 2);
    assert_eq!(here.settings.learn_round_size, 7, "local settings kept");
    assert_eq!(here.cards[&5].test_results.len(), 1);
}

#[test]
fn review_settings_are_clamped_saved_and_change_the_intervals() {
    let mut p = Progress::fresh();
    assert_eq!(p.set_new_cards_per_day(0), 1);
    assert_eq!(p.set_new_cards_per_day(500), 100);
    assert_eq!(p.set_new_cards_per_day(15), 15);
    assert_eq!(p.set_desired_retention(0.5), 0.70);
    assert_eq!(p.set_desired_retention(f64::NAN), 0.70);
    assert_eq!(p.set_desired_retention(0.95), 0.95);
    let back = Progress::load(Some(&p.to_json().unwrap_or_default()), T0).progress;
    assert_eq!(back.settings.new_cards_per_session, 15);
    assert_eq!(back.settings.desired_retention, 0.95);
    // A higher retention schedules the same card sooner.
    let easy = |r: f64| {
        Scheduler::new(r)
            .review(&CardState::default(), Rating::Easy, T0)
            .0
            .due_ms
    };
    assert!(easy(0.95) < easy(0.80));
    // Saved settings without these fields (older saves) get the defaults.
    let old = r#"{"version":2,"cards":{},"settings":{"learn_round_size":5}}"#;
    let s = Progress::load(Some(old), T0).progress.settings;
    assert_eq!(
        (
            s.new_cards_per_session,
            s.desired_retention,
            s.learn_round_size
        ),
        (10, 0.9, 5)
    );
}

#[test]
fn learn_stage_advances_once_per_round_and_override_undoes_a_miss() {
    let mut p = Progress::fresh();
    assert_eq!(p.record_learn_answer(1, 1, true, T0), LearnStage::TrueFalse);
    assert_eq!(p.record_learn_answer(1, 1, true, T0), LearnStage::TrueFalse);
    assert_eq!(p.record_learn_answer(1, 2, true, T0), LearnStage::Typed);
    assert_eq!(
        p.record_learn_answer(1, 3, false, T0),
        LearnStage::TrueFalse
    );
    assert_eq!(p.override_last_learn_answer(1), Some(LearnStage::Learned));
    assert_eq!(p.override_last_learn_answer(1), None, "already correct");
    assert!(p.cards[&1].learn_log.last().is_some_and(|r| r.overridden));
    assert_eq!(p.override_last_learn_answer(99), None);
    assert!(p.toggle_star(1));
    assert!(!p.toggle_star(1));
    assert!(p.record_matching_time(10));
    assert!(!p.record_matching_time(11));
}
