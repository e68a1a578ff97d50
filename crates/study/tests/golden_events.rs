//! Golden study events: the wire format is a promise. The server stores each payload as text
//! and answers `/api/me/events` with it; clients of every age keep sending their own shape.
//! - `golden/events_v1.jsonl`: events as clients wrote them before answers carried responses,
//!   call answers their rating and undo existed (written by hand from that version's serde
//!   types, one per kind, including the spaced review + call answer pair older Call pages
//!   sent for one outcome). Never rewritten.
//! - `golden/events_v2.jsonl`: events of the current shape (a Learn answer and a Test answer
//!   with responses, a call answer with rating and memory state, an undo), written once with
//!   `GENTUTOR_BLESS=1 cargo test -p gentutor-study --test golden_events` (only if missing),
//!   then frozen. When the shape changes again, add `events_v3.jsonl` and keep reading both.

use gentutor_study::events::{self, EventBody, EventDraft, Mode, StudyEvent};
use gentutor_study::learn::LearnStage;
use gentutor_study::questions::QuestionKind;
use gentutor_study::scheduler::{CardState, Phase, Rating};
use std::path::PathBuf;

const T0: i64 = 1_750_000_000_000;

fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

fn lines(name: &str) -> Vec<String> {
    std::fs::read_to_string(path(name))
        .unwrap_or_else(|e| panic!("{name} is missing ({e}); restore the frozen file from git"))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(String::from)
        .collect()
}

fn parse(line: &str) -> StudyEvent {
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"))
}

/// The v2 events, as this version makes them.
fn v2_events() -> Vec<StudyEvent> {
    let state = CardState {
        due_ms: T0 + 4 * 86_400_000,
        stability: 3.1262,
        difficulty: 5.3,
        elapsed_days: 0,
        scheduled_days: 4,
        reps: 1,
        lapses: 0,
        phase: Phase::Review,
        last_review_ms: T0 + 3000,
    };
    let drafts = [
        (
            "v2-learn",
            EventDraft {
                at_ms: T0,
                card: 3,
                mode: Mode::Learn,
                body: EventBody::LearnAnswer {
                    round: 2,
                    stage_before: LearnStage::Typed,
                    stage_after: LearnStage::TrueFalse,
                    correct: false,
                    overridden: false,
                    response: Some("the generator fools D".into()),
                },
            },
        ),
        (
            "v2-test",
            EventDraft {
                at_ms: T0 + 1000,
                card: 7,
                mode: Mode::Test,
                body: EventBody::Answer {
                    question: QuestionKind::MultipleChoice,
                    score: 0.0,
                    correct: false,
                    overridden: false,
                    response: Some("d2".into()),
                    rating: None,
                    state_after: None,
                },
            },
        ),
        (
            "v2-review",
            EventDraft {
                at_ms: T0 + 2000,
                card: 5,
                mode: Mode::Spaced,
                body: EventBody::Review {
                    rating: Rating::Easy,
                    state_after: None,
                },
            },
        ),
        (
            "v2-call",
            EventDraft {
                at_ms: T0 + 3000,
                card: 2,
                mode: Mode::Call,
                body: EventBody::Answer {
                    question: QuestionKind::Typed,
                    score: 0.75,
                    correct: true,
                    overridden: false,
                    response: Some("it learns to fool the discriminator".into()),
                    rating: Some(Rating::Good),
                    state_after: Some(state),
                },
            },
        ),
        (
            "v2-undo",
            EventDraft {
                at_ms: T0 + 4000,
                card: 5,
                mode: Mode::Spaced,
                body: EventBody::Undo {
                    of_at_ms: T0 + 2000,
                },
            },
        ),
    ];
    drafts
        .into_iter()
        .map(|(id, d)| d.into_event(id.into(), "l_ada", "00c0ffee00c0ffee"))
        .collect()
}

fn v2_lines() -> Vec<String> {
    let p = path("events_v2.jsonl");
    if std::env::var_os("GENTUTOR_BLESS").is_some_and(|v| v == "1") && !p.exists() {
        let text: Vec<String> = v2_events()
            .iter()
            .map(|e| serde_json::to_string(e).expect("serializes"))
            .collect();
        std::fs::write(&p, text.join("\n") + "\n").expect("write the golden file");
    }
    lines("events_v2.jsonl")
}

#[test]
fn events_of_older_clients_still_parse_validate_and_round_trip() {
    let old = lines("events_v1.jsonl");
    assert_eq!(old.len(), 10);
    let events: Vec<StudyEvent> = old.iter().map(|l| parse(l)).collect();
    for (line, e) in old.iter().zip(&events) {
        // Nothing new appears when an old event is written back (the server re-serialises).
        assert_eq!(&serde_json::to_string(e).expect("serializes"), line);
        e.validate(|c| c <= 100, T0)
            .expect("an old event stays valid");
    }
    let body = |id: &str| &events.iter().find(|e| e.id == id).expect(id).body;
    assert!(matches!(
        body("v1-learn"),
        EventBody::LearnAnswer {
            response: None,
            correct: true,
            ..
        }
    ));
    assert!(matches!(
        body("v1-test"),
        EventBody::Answer {
            response: None,
            rating: None,
            state_after: None,
            ..
        }
    ));
    match body("v1-review") {
        EventBody::Review {
            rating: Rating::Good,
            state_after: Some(s),
        } => assert_eq!((s.reps, s.phase), (1, Phase::Learning)),
        other => panic!("{other:?}"),
    }
    // The old Call page's pair (spaced review + call answer without rating) counts once, as a
    // call, and still feeds FSRS once.
    let s = events::summarize(&events, &(1..=10).collect::<Vec<_>>(), T0 + 10_000);
    assert_eq!((s.call.answers, s.call.correct), (1, 1));
    assert_eq!((s.spaced.answers, s.spaced_cards), (2, 2));
    assert_eq!(
        (s.test.answers, s.test.correct),
        (1, 1),
        "the override counts"
    );
    let p = events::replay(&events);
    assert_eq!(p.cards[&2].review_log.len(), 1);
    assert!(p.cards[&2].review_log[0].call.is_some());
}

#[test]
fn events_of_this_version_are_frozen_and_read_back_exactly() {
    let frozen = v2_lines();
    let want = v2_events();
    assert_eq!(frozen.len(), want.len());
    for (line, e) in frozen.iter().zip(&want) {
        assert_eq!(&parse(line), e, "the frozen line reads as the event");
        assert_eq!(&serde_json::to_string(e).expect("serializes"), line);
        e.validate(|c| c <= 100, T0 + 10_000).expect("valid");
    }
    // The undo takes the Easy back; the call is one review with the sent memory state.
    let p = events::replay(&want);
    assert!(p.cards.get(&5).is_none_or(|c| c.review_log.is_empty()));
    assert_eq!(p.cards[&2].fsrs.as_ref().map(|s| s.stability), Some(3.1262));
    assert_eq!(
        p.cards[&3].learn_log[0].response.as_deref(),
        Some("the generator fools D")
    );
    assert_eq!(p.cards[&7].test_results[0].response.as_deref(), Some("d2"));
    // And a replayed progress sends the same events again (history on joining).
    let again = events::events_from_diff(&Default::default(), &p, T0 + 10_000);
    let call = again.iter().find(|d| d.mode == Mode::Call).expect("call");
    assert_eq!(call.body, want[3].body);
}
