use super::*;
use crate::events::{EventDraft, StudyEvent};
use crate::learn::LearnStage;
use crate::progress::Progress;
use crate::scheduler::Scheduler;

const T0: i64 = 1_750_000_000_000;
const HOUR: i64 = 3_600_000;

/// Builds events with ids in order of creation.
#[derive(Default)]
struct Log(Vec<StudyEvent>);

impl Log {
    fn push(&mut self, learner: &str, at_ms: i64, card: u32, mode: Mode, body: EventBody) {
        let id = format!("e{}", self.0.len());
        self.0.push(
            EventDraft {
                at_ms,
                card,
                mode,
                body,
            }
            .into_event(id, learner, "abc"),
        );
    }
    fn review(&mut self, l: &str, at: i64, card: u32, rating: Rating) {
        self.push(
            l,
            at,
            card,
            Mode::Spaced,
            EventBody::Review {
                rating,
                state_after: None,
            },
        );
    }
    fn answer(&mut self, l: &str, at: i64, card: u32, mode: Mode, right: bool, resp: Option<&str>) {
        self.answer_q(l, at, card, mode, QuestionKind::MultipleChoice, right, resp);
    }
    #[allow(clippy::too_many_arguments)]
    fn answer_q(
        &mut self,
        l: &str,
        at: i64,
        card: u32,
        mode: Mode,
        question: QuestionKind,
        right: bool,
        resp: Option<&str>,
    ) {
        self.push(
            l,
            at,
            card,
            mode,
            EventBody::Answer {
                question,
                score: if right { 1.0 } else { 0.0 },
                correct: right,
                overridden: false,
                response: resp.map(String::from),
                rating: None,
                state_after: None,
            },
        );
    }
    fn learn(
        &mut self,
        l: &str,
        at: i64,
        card: u32,
        stage: LearnStage,
        right: bool,
        resp: Option<&str>,
    ) {
        self.push(
            l,
            at,
            card,
            Mode::Learn,
            EventBody::LearnAnswer {
                round: 1,
                stage_before: stage,
                stage_after: if right {
                    stage.next()
                } else {
                    stage.previous()
                },
                correct: right,
                overridden: false,
                response: resp.map(String::from),
            },
        );
    }
}

#[test]
fn the_grid_shows_each_learners_mastery_on_the_cards_anyone_studied() {
    let mut log = Log::default();
    log.learn(
        "ada",
        T0,
        2,
        LearnStage::MultipleChoice,
        true,
        Some("answer"),
    );
    log.review("ada", T0 + 10, 5, Rating::Good);
    log.review("bob", T0 + 20, 5, Rating::Again);
    log.review("bob", T0 + 30, 5, Rating::Easy);
    log.push(
        "bob",
        T0 + 40,
        5,
        Mode::Spaced,
        EventBody::Undo { of_at_ms: T0 + 30 },
    );
    let now = T0 + DAY_MS;
    let deck: Vec<u32> = (1..=6).collect();
    let g = recall_grid(&log.0, &["bob", "ada", "cy"], &deck, now);
    assert_eq!(
        g.cards,
        [2, 5],
        "only studied cards are columns, in deck order"
    );
    assert_eq!(
        g.rows
            .iter()
            .map(|r| r.learner.as_str())
            .collect::<Vec<_>>(),
        ["bob", "ada", "cy"]
    );
    assert_eq!(g.rows[0].cells[0], None, "bob never saw card 2");
    assert!(
        g.rows[2].cells.iter().all(Option::is_none),
        "cy has no events"
    );
    // Every cell is the learner's own card mastery (the undone Easy is not in bob's).
    for (row, learner) in g.rows.iter().zip(["bob", "ada"]) {
        let mine: Vec<StudyEvent> = log
            .0
            .iter()
            .filter(|e| e.learner == learner)
            .cloned()
            .collect();
        let p = replay(&mine);
        for (cell, &card) in row.cells.iter().zip(&g.cards) {
            let m = card_mastery(&p, card, now);
            match cell {
                Some(c) => {
                    assert_eq!(c.mastery, m.value);
                    assert_eq!(c.level, level_name(m.level));
                }
                None => assert_eq!(m.level, MasteryLevel::New),
            }
        }
    }
    let bob5 = g.rows[0].cells[1].as_ref().expect("bob reviewed card 5");
    assert_eq!(bob5.level, "learning", "his last kept rating is Again");
    assert!(bob5.recall_now.is_some_and(|r| r > 0.0 && r <= 1.0));
    assert_eq!(
        g.rows[1].cells[0].as_ref().expect("ada").recall_now,
        None,
        "Learn only"
    );
    assert_eq!(
        recall_grid(&[], &["x"], &deck, now).cards,
        Vec::<u32>::new()
    );
}

#[test]
fn self_ratings_that_disagree_with_the_grader_are_found_as_defined() {
    let mut log = Log::default();
    // Card 1: Easy, then wrong in Test an hour later -> overconfident.
    log.review("ada", T0, 1, Rating::Easy);
    log.answer("ada", T0 + HOUR, 1, Mode::Test, false, Some("d1"));
    // Card 2: right in Learn, then Again two hours later -> underconfident.
    log.learn("ada", T0, 2, LearnStage::TrueFalse, true, Some("true"));
    log.review("ada", T0 + 2 * HOUR, 2, Rating::Again);
    // Card 3: Good, a wrong answer two days later is outside the window: not compared.
    log.review("ada", T0, 3, Rating::Good);
    log.answer("ada", T0 + 2 * DAY_MS, 3, Mode::Test, false, None);
    // Card 4: Hard agrees with a wrong answer; Good with the nearer right answer agrees even
    // though a wrong one is also in the window.
    log.review("ada", T0, 4, Rating::Hard);
    log.answer("ada", T0 + HOUR, 4, Mode::Test, false, None);
    log.review("ada", T0 + 10 * HOUR, 4, Rating::Good);
    log.answer("ada", T0 + 12 * HOUR, 4, Mode::Call, true, None);
    // Card 5: a tie (wrong 1 h before, right 1 h after) goes to the later: agrees.
    log.answer("ada", T0 - HOUR, 5, Mode::Test, false, None);
    log.review("ada", T0, 5, Rating::Good);
    log.learn("ada", T0 + HOUR, 5, LearnStage::TrueFalse, true, None);
    // Card 6: a wrong Test answer overridden ("I was right") is right: Again disagrees.
    log.answer("bob", T0, 6, Mode::Test, false, None);
    log.push(
        "bob",
        T0 + 5,
        6,
        Mode::Test,
        EventBody::Override { of_at_ms: T0 },
    );
    log.review("bob", T0 + HOUR, 6, Rating::Again);
    // Quizzes are not graded evidence; an undone Easy is no rating; a call's review sent by an
    // older client next to its answer is no self-rating.
    log.answer("bob", T0, 1, Mode::Quiz, false, None);
    log.review("bob", T0 + 60, 1, Rating::Easy);
    log.review("bob", T0 + 120, 2, Rating::Easy);
    log.push(
        "bob",
        T0 + 130,
        2,
        Mode::Spaced,
        EventBody::Undo { of_at_ms: T0 + 120 },
    );
    log.answer("bob", T0 + 140, 2, Mode::Test, false, None);
    log.review("cy", T0, 3, Rating::Easy);
    log.answer("cy", T0, 3, Mode::Call, false, Some("no idea"));

    let checks = rating_disagreements(&log.0);
    let get = |l: &str, c: u32| checks.iter().find(|x| x.learner == l && x.card == c);
    let c1 = get("ada", 1).expect("compared");
    assert_eq!(
        (c1.compared, c1.overconfident, c1.underconfident),
        (1, 1, 0)
    );
    let pair = c1.latest.as_ref().expect("pair");
    assert_eq!(
        (
            pair.review_at_ms,
            pair.rating,
            pair.graded_at_ms,
            pair.graded_mode,
            pair.graded_right
        ),
        (T0, Rating::Easy, T0 + HOUR, Mode::Test, false)
    );
    assert_eq!(pair.disagreement, Disagreement::Overconfident);
    let c2 = get("ada", 2).expect("compared");
    assert_eq!(
        (c2.compared, c2.overconfident, c2.underconfident),
        (1, 0, 1)
    );
    assert_eq!(c2.latest.as_ref().map(|p| p.graded_mode), Some(Mode::Learn));
    assert!(get("ada", 3).is_none(), "out of the window");
    let c4 = get("ada", 4).expect("compared");
    assert_eq!((c4.compared, c4.disagreements()), (2, 0));
    let c5 = get("ada", 5).expect("compared");
    assert_eq!((c5.compared, c5.disagreements()), (1, 0));
    let c6 = get("bob", 6).expect("compared");
    assert_eq!((c6.compared, c6.underconfident), (1, 1));
    assert!(get("bob", 1).is_none(), "a quiz is not graded evidence");
    assert!(get("bob", 2).is_none(), "an undone rating is not compared");
    assert!(
        get("cy", 3).is_none(),
        "a call's own review is not a self-rating"
    );
    // Most disagreements first.
    assert!(checks
        .windows(2)
        .all(|w| w[0].disagreements() >= w[1].disagreements()));
    assert_eq!(checks.iter().filter(|c| c.disagreements() > 0).count(), 3);
}

#[test]
fn a_browser_session_yields_the_same_disagreements_as_its_events() {
    // The browser path: progress changes -> events_from_diff -> the server's events.
    let s = Scheduler::default();
    let mut p = Progress::fresh();
    let mut events = Vec::new();
    let mut step = |p: &mut Progress, t: i64, f: &dyn Fn(&mut Progress)| {
        let before = p.clone();
        f(p);
        let n = events.len();
        for (i, d) in crate::events::events_from_diff(&before, p, t)
            .into_iter()
            .enumerate()
        {
            events.push(d.into_event(format!("b{}", n + i), "ada", "abc"));
        }
    };
    step(&mut p, T0, &|p| {
        p.record_review(3, Rating::Easy, &s, T0);
    });
    step(&mut p, T0 + HOUR, &|p| {
        p.record_test_result(3, QuestionKind::Typed, 0.2, false, false, T0 + HOUR)
    });
    let checks = rating_disagreements(&events);
    assert_eq!(checks.len(), 1);
    assert_eq!(checks[0].overconfident, 1);
}

#[test]
fn the_most_confused_answers_per_card_are_grouped_and_counted() {
    let mut log = Log::default();
    // Card 1 (multiple choice): d2 picked wrongly by two learners, three times; d1 once.
    log.answer("ada", T0, 1, Mode::Test, false, Some("d2"));
    log.answer("ada", T0 + 1, 1, Mode::Test, false, Some("d2"));
    log.answer("bob", T0 + 2, 1, Mode::Test, false, Some("d2"));
    log.answer("bob", T0 + 3, 1, Mode::Test, false, Some("d1"));
    log.answer("bob", T0 + 4, 1, Mode::Test, true, Some("answer"));
    log.learn(
        "cy",
        T0 + 5,
        1,
        LearnStage::MultipleChoice,
        false,
        Some("d1"),
    );
    // Card 2 (typed, in Test, Learn and a call): spelling variants group together.
    log.answer_q(
        "ada",
        T0,
        2,
        Mode::Test,
        QuestionKind::Typed,
        false,
        Some("The generator."),
    );
    log.learn(
        "bob",
        T0 + 1,
        2,
        LearnStage::Typed,
        false,
        Some("the  Generator"),
    );
    log.answer_q(
        "cy",
        T0 + 2,
        2,
        Mode::Call,
        QuestionKind::Typed,
        false,
        Some("a discriminator"),
    );
    // Not counted: right answers, overridden wrong ones, answers without a response.
    log.answer_q(
        "cy",
        T0 + 3,
        2,
        Mode::Test,
        QuestionKind::Typed,
        false,
        Some("noise"),
    );
    log.push(
        "cy",
        T0 + 4,
        2,
        Mode::Test,
        EventBody::Override { of_at_ms: T0 + 3 },
    );
    log.answer("cy", T0 + 5, 3, Mode::Test, false, None);
    // Card 4: true/false.
    log.answer_q(
        "ada",
        T0,
        4,
        Mode::Quiz,
        QuestionKind::TrueFalse,
        false,
        Some("true"),
    );

    let c = confusions(&log.0, 2);
    assert_eq!(
        c.iter().map(|x| x.card).collect::<Vec<_>>(),
        [1, 2, 4],
        "most confused first"
    );
    assert_eq!(c[0].wrong, 5);
    assert_eq!(
        c[0].top,
        [
            ConfusedAnswer {
                question: QuestionKind::MultipleChoice,
                response: "d2".into(),
                count: 3,
                learners: 2
            },
            ConfusedAnswer {
                question: QuestionKind::MultipleChoice,
                response: "d1".into(),
                count: 2,
                learners: 2
            },
        ]
    );
    assert_eq!(c[1].wrong, 3);
    assert_eq!(
        c[1].top[0].response, "The generator.",
        "shown as first given"
    );
    assert_eq!((c[1].top[0].count, c[1].top[0].learners), (2, 2));
    assert_eq!(c[1].top[1].response, "a discriminator");
    assert_eq!(c[2].top[0].question, QuestionKind::TrueFalse);
    assert_eq!(confusions(&log.0, 1)[0].top.len(), 1);
}

#[test]
fn responses_pairs_and_cells_read_as_words() {
    use QuestionKind::*;
    assert_eq!(
        read_response(MultipleChoice, "d2"),
        ResponseText::Distractor(1)
    );
    assert_eq!(
        read_response(MultipleChoice, "answer"),
        ResponseText::RightOption
    );
    assert_eq!(
        read_response(MultipleChoice, "d0"),
        ResponseText::Typed("d0".into())
    );
    assert_eq!(
        read_response(TrueFalse, "true"),
        ResponseText::TrueToFalseStatement
    );
    assert_eq!(
        read_response(TrueFalse, "false"),
        ResponseText::FalseToTrueStatement
    );
    assert_eq!(
        read_response(Matching, "Mode collapse"),
        ResponseText::Term("Mode collapse".into())
    );
    assert_eq!(
        read_response(Typed, "noise"),
        ResponseText::Typed("noise".into())
    );
    let pair = |graded_at_ms: i64, rating, graded_mode, graded_right, disagreement| RatingPair {
        review_at_ms: T0,
        rating,
        graded_at_ms,
        graded_mode,
        graded_right,
        disagreement,
    };
    assert_eq!(
        pair(
            T0 + HOUR,
            Rating::Easy,
            Mode::Test,
            false,
            Disagreement::Overconfident
        )
        .describe(),
        "rated Easy in review, then answered wrong in Test 1 h later"
    );
    assert_eq!(
        pair(
            T0 - 5 * 60_000,
            Rating::Again,
            Mode::Learn,
            true,
            Disagreement::Underconfident
        )
        .describe(),
        "answered right in Learn, then rated Again in review 5 min later"
    );
    assert_eq!(
        pair(
            T0,
            Rating::Good,
            Mode::Call,
            false,
            Disagreement::Overconfident
        )
        .describe(),
        "rated Good in review, then answered wrong in a Call less than a minute later"
    );
    let cell = RecallCell {
        mastery: 0.724,
        level: "familiar".into(),
        recall_now: Some(0.876),
    };
    assert_eq!(cell.percent(), "72%");
    assert_eq!(cell.describe(), "mastery 72%, familiar; recall now 88%");
    let cell = RecallCell {
        recall_now: None,
        ..cell
    };
    assert_eq!(cell.describe(), "mastery 72%, familiar");
}
