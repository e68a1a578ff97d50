//! Whole calls against a scripted fake browser: it "speaks" instantly (answering every
//! speech with `SpeechEnded`), answers each `Listen` with the next scripted input, and records
//! every outcome through the progress API, as the real page does.

use super::*;
use crate::scheduler::{Phase, DAY_MS};
use crate::test_cards::card;
use gentutor_content::cards::KeyPoint;

const T0: i64 = 1_750_000_000_000;

fn kp(point: &str, synonyms: &[&str]) -> KeyPoint {
    KeyPoint {
        point: point.into(),
        synonyms: synonyms.iter().map(|s| s.to_string()).collect(),
    }
}

/// Card 1: three key points about the GAN loop; card 2: a negated key point; card 3: plain.
fn deck() -> Vec<CallCard> {
    let mut c1 = card(1, &["gan"], "gan-objective#training-loop");
    c1.front = "How is a GAN trained?".into();
    c1.term = "GAN training loop".into();
    c1.answer = "Alternate discriminator and generator updates with fresh noise.".into();
    c1.key_points = vec![
        kp(
            "discriminator is updated k steps",
            &["several discriminator steps"],
        ),
        kp("generator is updated once", &["one generator step"]),
        kp("fresh noise is sampled", &["resample noise"]),
    ];
    let mut c2 = card(2, &["diffusion"], "diffusion-forward#two-chains");
    c2.front = "Is the forward process learned?".into();
    c2.term = "Forward process".into();
    c2.key_points = vec![
        kp("forward process has no parameters", &[]),
        kp("it does not need training", &[]),
        kp("it adds gaussian noise", &[]),
    ];
    let mut c3 = card(3, &["gan"], "gan-objective#intuition");
    c3.term = "Card three".into();
    [c1, c2, c3]
        .into_iter()
        .map(|c| {
            let speech = CardSpeech {
                front: plain_text(&c.front),
                answer: plain_text(&c.answer),
                key_points: c.key_points.iter().map(|k| k.point.clone()).collect(),
            };
            CallCard::new(c, speech)
        })
        .collect()
}

/// A fake browser playing a script of learner inputs.
struct Fake {
    call: Call,
    progress: Progress,
    script: std::collections::VecDeque<Input>,
    /// Every effect, in order.
    log: Vec<Effect>,
    now: i64,
}

impl Fake {
    fn new(cards: &[CallCard], progress: Progress, options: CallOptions) -> Self {
        let call = Call::new(cards, &progress, &options, T0, 7).expect("cards to ask");
        Self {
            call,
            progress,
            script: Default::default(),
            log: Vec::new(),
            now: T0,
        }
    }

    /// Runs the call: Start, then each `Listen` takes the next scripted input (the fake
    /// stops when the script runs out or the call ends).
    fn run(&mut self, script: Vec<Input>) -> &mut Self {
        self.script.extend(script);
        let mut queue = vec![Input::Started];
        while let Some(input) = queue.pop() {
            self.now += 5_000;
            let fx = self.call.on(input, self.now);
            let mut spoke = false;
            for e in &fx {
                match e {
                    Effect::Say { .. } => spoke = true,
                    Effect::Record(o) => {
                        let s = Scheduler::new(self.progress.settings.desired_retention);
                        o.record(&mut self.progress, &s);
                    }
                    Effect::Listen { .. } => {
                        if let Some(next) = self.script.pop_front() {
                            queue.push(next);
                        }
                    }
                    _ => {}
                }
            }
            self.log.extend(fx);
            if spoke && queue.is_empty() {
                queue.push(Input::SpeechEnded);
            }
        }
        self
    }

    fn said(&self) -> Vec<String> {
        self.log
            .iter()
            .filter_map(|e| match e {
                Effect::Say { text, caption } => {
                    assert_eq!(text, caption, "captions carry what is said");
                    Some(text.clone())
                }
                _ => None,
            })
            .collect()
    }

    fn outcomes(&self) -> Vec<Outcome> {
        self.log
            .iter()
            .filter_map(|e| match e {
                Effect::Record(o) => Some(o.clone()),
                _ => None,
            })
            .collect()
    }

    fn summary(&self) -> Summary {
        self.log
            .iter()
            .find_map(|e| match e {
                Effect::End(s) => Some(s.clone()),
                _ => None,
            })
            .expect("the call ended with a summary")
    }

    fn screens(&self) -> Vec<Screen> {
        self.log
            .iter()
            .filter_map(|e| match e {
                Effect::Show(s) => Some(s.clone()),
                _ => None,
            })
            .collect()
    }
}

fn typed(s: &str) -> Input {
    Input::Typed(s.into())
}

fn heard(s: &str) -> Input {
    Input::Heard {
        text: s.into(),
        confidence: 0.9,
    }
}

/// One card only: card 1 (a lesson call on gan-objective picks 1 and 3; max 1 keeps card 1
/// when it is the weakest).
fn only(id: u32) -> (Vec<CallCard>, CallOptions) {
    let cards: Vec<CallCard> = deck().into_iter().filter(|c| c.card.id == id).collect();
    (
        cards,
        CallOptions {
            lesson: None,
            max_cards: 1,
        },
    )
}

#[test]
fn right_first_time_is_easy_recorded_and_summarised() {
    let (cards, opts) = only(1);
    let mut f = Fake::new(&cards, Progress::fresh(), opts);
    f.run(vec![heard(
        "Several discriminator steps, then the generator is updated once, with fresh noise sampled.",
    )]);
    let o = f.outcomes();
    assert_eq!(o.len(), 1);
    assert_eq!(o[0].how, How::FirstTryFull);
    assert_eq!(o[0].rating, Some(Rating::Easy));
    assert_eq!(o[0].score, 1.0);
    // Recorded through the progress API: one FSRS review, rated Easy, due in days.
    let p = &f.progress.cards[&1];
    assert_eq!(p.review_log.len(), 1);
    assert_eq!(p.review_log[0].rating, Rating::Easy);
    let due = p.fsrs.as_ref().expect("scheduled").due_ms;
    assert!(due > f.now + DAY_MS, "Easy schedules days ahead");
    assert_eq!(
        o[0].next_due_ms,
        Some(due),
        "the call knows the same due date"
    );
    let said = f.said();
    assert!(said[0].starts_with("Hi!"), "{said:?}");
    assert!(said.iter().any(|s| s.contains("How is a GAN trained?")));
    let s = f.summary();
    assert_eq!(s.went_well, vec![(1, "GAN training loop".to_string())]);
    assert!(s.to_review.is_empty());
    assert!(
        s.spoken.contains("Well done on GAN training loop"),
        "{}",
        s.spoken
    );
    assert!(
        s.lines.iter().any(|l| l.contains("next is due in")),
        "{:?}",
        s.lines
    );
    assert_eq!(f.call.activity(), Activity::Ended);
}

#[test]
fn right_after_a_hint_is_hard_and_the_hint_does_not_give_the_point_away() {
    let (cards, opts) = only(1);
    let mut f = Fake::new(&cards, Progress::fresh(), opts);
    // First answer has one point of three; the second adds what the hint asked about.
    f.run(vec![
        typed("you do several discriminator steps"),
        typed("the generator is updated once and fresh noise is sampled"),
    ]);
    let hint = f
        .screens()
        .into_iter()
        .find_map(|s| match s {
            Screen::Hint { text, .. } => Some(text),
            _ => None,
        })
        .expect("a hint was shown");
    // The hint leads to the first missed point (the generator's update) without earning it.
    assert!(hint.starts_with("generator is"), "{hint}");
    assert!(hint.ends_with("what?"), "{hint}");
    let g = grade_answer(&cards[0].card, &hint);
    assert!(!g.found.contains(&1), "hint {hint:?} gives the point away");
    assert!(
        f.said()
            .iter()
            .any(|s| s.contains("You have 1 of the 3 points")),
        "{:?}",
        f.said()
    );
    let o = f.outcomes();
    assert_eq!(o[0].how, How::AfterHint);
    assert_eq!(o[0].rating, Some(Rating::Hard));
    // The points of both answers count together.
    assert_eq!(o[0].score, 1.0);
    assert_eq!(f.progress.cards[&1].review_log[0].rating, Rating::Hard);
}

#[test]
fn a_wrong_option_the_learner_says_is_named_before_the_hint() {
    let mut cards: Vec<CallCard> = deck().into_iter().filter(|c| c.card.id == 1).collect();
    let mut card = cards[0].card.clone();
    card.distractors = vec!["The generator is trained to convergence first, then frozen.".into()];
    let speech = CardSpeech {
        front: plain_text(&card.front),
        answer: plain_text(&card.answer),
        key_points: card.key_points.iter().map(|k| k.point.clone()).collect(),
    };
    cards[0] = CallCard::new(card, speech);
    let opts = CallOptions {
        lesson: None,
        max_cards: 1,
    };
    let mut f = Fake::new(&cards, Progress::fresh(), opts);
    f.run(vec![
        typed("the generator is trained to convergence first, and fresh noise is sampled"),
        typed("several discriminator steps, the generator is updated once"),
    ]);
    // The screen shows the grade: the point found in the learner's words, the wrong option.
    let graded: Vec<_> = f
        .screens()
        .into_iter()
        .filter_map(|s| match s {
            Screen::Graded {
                lines,
                misconception,
                ..
            } => Some((lines, misconception)),
            _ => None,
        })
        .collect();
    assert_eq!(graded.len(), 2, "one grade per answer");
    let (lines, misconception) = &graded[0];
    assert!(
        misconception
            .as_deref()
            .is_some_and(|m| m.contains("The generator is trained to convergence first")),
        "{misconception:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.text()
                == "fresh noise is sampled: you wrote \u{201c}fresh noise sampled\u{201d}"),
        "{lines:?}"
    );
    assert_eq!(graded[1].1, None);
    let said = f.said();
    assert!(
        said.iter().any(|s| s.starts_with(
            "Careful: \"The generator is trained to convergence first\" is a common mistake. "
        ) && s.contains("Here's a hint")),
        "{said:?}"
    );
}

#[test]
fn wrong_twice_is_explained_with_the_lesson_link_and_rated_again() {
    let (cards, opts) = only(1);
    let mut f = Fake::new(&cards, Progress::fresh(), opts);
    f.run(vec![typed("gradient descent"), typed("backpropagation")]);
    let o = f.outcomes();
    assert_eq!(o[0].how, How::Explained);
    assert_eq!(o[0].rating, Some(Rating::Again));
    assert_eq!(o[0].answers, vec!["gradient descent", "backpropagation"]);
    assert!(f.screens().contains(&Screen::Explanation {
        card_id: 1,
        lesson: "gan-objective#training-loop".into()
    }));
    let said = f.said();
    assert!(
        said.iter().any(
            |s| s.contains("Alternate discriminator and generator updates")
                && s.contains("training loop")
        ),
        "{said:?}"
    );
    assert_eq!(f.progress.cards[&1].review_log[0].rating, Rating::Again);
    let s = f.summary();
    assert_eq!(s.to_review, vec![(1, "GAN training loop".to_string())]);
    assert!(s.spoken.contains("Have another look at GAN training loop"));
}

#[test]
fn skip_moves_on_without_rating() {
    let cards = deck();
    let opts = CallOptions {
        lesson: None,
        max_cards: 2,
    };
    let mut f = Fake::new(&cards, Progress::fresh(), opts);
    let order = f.call.card_ids();
    let second = order[1];
    let right = |id: u32| match id {
        1 => "several discriminator steps, generator updated once, fresh noise sampled",
        2 => "forward process has no parameters, it does not need training, adds gaussian noise",
        _ => "keyword3",
    };
    f.run(vec![heard("skip"), typed(right(second))]);
    let o = f.outcomes();
    assert_eq!(o.len(), 2);
    assert_eq!(
        (o[0].card_id, o[0].how, o[0].rating),
        (order[0], How::Skipped, None)
    );
    assert!(
        !f.progress.cards.contains_key(&order[0]),
        "a skip records no review"
    );
    assert_eq!(o[1].card_id, second);
    assert!(o[1].how.went_well(), "{:?}", o[1]);
    assert_eq!(f.summary().skipped.len(), 1);
    // The second question was asked after the skip.
    let questions: Vec<u32> = f
        .screens()
        .iter()
        .filter_map(|s| match s {
            Screen::Question { card_id, .. } => Some(*card_id),
            _ => None,
        })
        .collect();
    assert_eq!(questions, order);
}

#[test]
fn repeat_says_the_question_or_the_hint_again_and_costs_easy() {
    let (cards, opts) = only(1);
    let mut f = Fake::new(&cards, Progress::fresh(), opts.clone());
    f.run(vec![
        heard("repeat"),
        typed("several discriminator steps, generator updated once, fresh noise sampled"),
    ]);
    let asked = f
        .said()
        .iter()
        .filter(|s| s.contains("How is a GAN trained?"))
        .count();
    assert_eq!(asked, 2, "{:?}", f.said());
    let o = f.outcomes();
    assert_eq!(
        o[0].how,
        How::FirstTry,
        "a repeated question is Good, not Easy"
    );
    assert_eq!(o[0].rating, Some(Rating::Good));

    // After a hint, "repeat" repeats the hint; a sentence containing "repeat" is an answer.
    let mut g = Fake::new(&cards, Progress::fresh(), opts);
    g.run(vec![
        heard("could you repeat that"),
        Input::Command(Command::Repeat),
        typed("several discriminator steps, generator updated once, fresh noise sampled"),
    ]);
    let hint = g
        .screens()
        .into_iter()
        .find_map(|s| match s {
            Screen::Hint { text, .. } => Some(text),
            _ => None,
        })
        .expect("the sentence was graded and earned a hint");
    assert_eq!(g.said().iter().filter(|s| s.contains(&hint)).count(), 2);
    assert_eq!(g.outcomes()[0].how, How::AfterHint);
}

#[test]
fn silence_nudges_once_then_hints_then_explains() {
    let (cards, opts) = only(1);
    let mut f = Fake::new(&cards, Progress::fresh(), opts);
    f.run(vec![
        Input::Silence,
        Input::Silence,
        Input::Silence,
        Input::Silence,
    ]);
    let said = f.said();
    assert!(
        said.iter().any(|s| s.starts_with("Take your time")),
        "{said:?}"
    );
    assert!(f.screens().iter().any(|s| matches!(s, Screen::Hint { .. })));
    let o = f.outcomes();
    assert_eq!(o[0].how, How::Explained);
    assert_eq!(o[0].rating, Some(Rating::Again));
}

#[test]
fn a_misheard_not_is_confirmed_rather_than_marked_wrong() {
    let (cards, opts) = only(2);
    // The recogniser dropped "not": "it does need training" contradicts the key point only
    // through the negation, so the tutor asks.
    let mut f = Fake::new(&cards, Progress::fresh(), opts.clone());
    f.run(vec![heard(
        "the forward process has no parameters, it does need training and adds gaussian noise",
    )]);
    assert!(
        f.screens()
            .iter()
            .any(|s| matches!(s, Screen::Confirm { card_id: 2, .. })),
        "{:?}",
        f.screens()
    );
    assert!(
        f.outcomes().is_empty(),
        "nothing is marked before the learner confirms"
    );
    assert!(!f.screens().iter().any(|s| matches!(s, Screen::Hint { .. })));
    let said = f.said();
    assert!(
        said.last().is_some_and(|s| s.contains("without a \"not\"")),
        "{said:?}"
    );

    // "No" -> say it again -> the corrected answer counts as a first try.
    let mut g = Fake::new(&cards, Progress::fresh(), opts.clone());
    g.run(vec![
        heard("the forward process has no parameters, it does need training and adds gaussian noise"),
        heard("no"),
        heard("the forward process has no parameters, it does not need training and adds gaussian noise"),
    ]);
    let o = g.outcomes();
    assert_eq!(o.len(), 1);
    assert_eq!(o[0].how, How::FirstTryFull, "{o:?}");

    // "Yes" keeps the answer as heard: then it is graded (2 of 3 points: a hint).
    let mut h = Fake::new(&cards, Progress::fresh(), opts.clone());
    h.run(vec![
        heard(
            "the forward process has no parameters, it does need training and adds gaussian noise",
        ),
        heard("yes"),
    ]);
    assert!(h.screens().iter().any(|s| matches!(s, Screen::Hint { .. })));

    // An extra "not" the learner may not have said is read back too.
    let mut k = Fake::new(&cards, Progress::fresh(), opts.clone());
    k.run(vec![heard("it does not add gaussian noise")]);
    assert!(k
        .said()
        .last()
        .is_some_and(|s| s.contains("The word \"not\" changes the meaning")));

    // Typed answers are not misheard: no confirmation.
    let mut t = Fake::new(&cards, Progress::fresh(), opts);
    t.run(vec![typed(
        "the forward process has no parameters, it does need training and adds gaussian noise",
    )]);
    assert!(!t
        .screens()
        .iter()
        .any(|s| matches!(s, Screen::Confirm { .. })));
    assert!(t.screens().iter().any(|s| matches!(s, Screen::Hint { .. })));
}

#[test]
fn low_confidence_wrong_answers_are_read_back() {
    let (cards, opts) = only(1);
    let mut f = Fake::new(&cards, Progress::fresh(), opts);
    f.run(vec![Input::Heard {
        text: "discriminator steps".into(),
        confidence: 0.1,
    }]);
    assert!(f
        .said()
        .last()
        .is_some_and(|s| s.contains("not sure I heard you right")));
}

#[test]
fn voice_commands_dont_know_and_slower() {
    let (cards, opts) = only(1);
    let mut f = Fake::new(&cards, Progress::fresh(), opts);
    f.run(vec![
        heard("Slower, please"),
        heard("I don't know"),
        heard("no idea"),
    ]);
    assert!(f.log.contains(&Effect::SetRate(SLOWER_FACTOR)));
    assert!((f.call.rate() - SLOWER_FACTOR).abs() < 1e-6);
    assert!(f.screens().iter().any(|s| matches!(s, Screen::Hint { .. })));
    assert_eq!(f.outcomes()[0].how, How::Explained);
    assert_eq!(parse_command("I DON'T KNOW."), Some(Command::DontKnow));
    assert_eq!(parse_command("say that again"), Some(Command::Repeat));
    assert_eq!(parse_command("end the call"), Some(Command::Stop));
    assert_eq!(parse_command("the next step samples noise"), None);
}

#[test]
fn stop_ends_with_a_summary_of_what_was_done() {
    let cards = deck();
    let mut f = Fake::new(&cards, Progress::fresh(), CallOptions::default());
    let first = f.call.card_ids()[0];
    f.run(vec![Input::Command(Command::Stop)]);
    assert!(f.outcomes().is_empty());
    let s = f.summary();
    assert!(s.spoken.contains("didn't get to any cards"), "{}", s.spoken);
    assert_eq!(f.call.activity(), Activity::Ended);
    assert!(
        f.call.on(typed("anything"), T0).is_empty(),
        "nothing after the end"
    );
    assert!(f.screens().contains(&Screen::Question {
        card_id: first,
        number: 1,
        total: 3
    }));
}

#[test]
fn listening_starts_after_speech_and_answers_may_interrupt() {
    let (cards, opts) = only(1);
    let mut call = Call::new(&cards, &Progress::fresh(), &opts, T0, 1).expect("call");
    assert!(
        call.on(typed("too early"), T0).is_empty(),
        "nothing before Start"
    );
    let fx = call.on(Input::Started, T0);
    assert!(!fx.iter().any(|e| matches!(e, Effect::Listen { .. })));
    assert_eq!(call.activity(), Activity::Speaking);
    let fx = call.on(Input::SpeechEnded, T0);
    match &fx[..] {
        [Effect::Listen { phrases }] => {
            assert!(
                phrases.iter().any(|p| p == "GAN training loop"),
                "{phrases:?}"
            );
            assert!(phrases.iter().any(|p| p == "skip"));
        }
        other => panic!("expected Listen, got {other:?}"),
    }
    assert_eq!(call.activity(), Activity::Listening);
    // A second SpeechEnded (nothing was said) does nothing.
    assert!(call.on(Input::SpeechEnded, T0).is_empty());
    // Interrupt: the learner answers while the tutor repeats the question.
    call.on(Input::Command(Command::Repeat), T0);
    assert_eq!(call.activity(), Activity::Speaking);
    let fx = call.on(
        typed("several discriminator steps, generator updated once, fresh noise sampled"),
        T0 + 1000,
    );
    assert!(fx.iter().any(|e| matches!(e, Effect::End(_))), "{fx:?}");
}

#[test]
fn due_cards_come_first_then_the_weakest_or_the_lessons_cards() {
    let cards = deck();
    let s = Scheduler::default();
    let mut p = Progress::fresh();
    // Card 3 reviewed long ago (due), card 1 reviewed just now (not due, strong).
    p.record_review(3, Rating::Good, &s, T0 - 30 * DAY_MS);
    p.record_review(1, Rating::Easy, &s, T0);
    let call = Call::new(&cards, &p, &CallOptions::default(), T0, 3).expect("call");
    assert_eq!(call.card_ids(), vec![3, 2, 1]);
    assert_ne!(p.cards[&3].fsrs.as_ref().map(|s| s.phase), Some(Phase::New));
    let lesson = CallOptions {
        lesson: Some("diffusion-forward".into()),
        max_cards: 0,
    };
    let call = Call::new(&cards, &p, &lesson, T0, 3).expect("call");
    assert_eq!(call.card_ids(), vec![2]);
    let none = CallOptions {
        lesson: Some("no-such-lesson".into()),
        max_cards: 0,
    };
    assert!(matches!(
        Call::new(&cards, &p, &none, T0, 3),
        Err(StudyError::NoCards { .. })
    ));
    let two = CallOptions {
        lesson: None,
        max_cards: 2,
    };
    assert_eq!(
        Call::new(&cards, &p, &two, T0, 3).expect("call").card_ids(),
        vec![3, 2]
    );
}

#[test]
fn negation_check_only_fires_when_a_negation_decides() {
    let cards = deck();
    let c2 = &cards[1].card;
    assert_eq!(negation_decides(c2, "it does need training"), Some(false));
    assert_eq!(
        negation_decides(c2, "it does not add gaussian noise"),
        Some(true)
    );
    assert_eq!(negation_decides(c2, "it does not need training"), None);
    assert_eq!(negation_decides(c2, "something unrelated"), None);
}

#[test]
fn plain_text_drops_markdown_and_maths_markers() {
    assert_eq!(
        plain_text(r"Predict $\epsilon$ **not** $x_0$"),
        "Predict epsilon not x 0"
    );
    assert_eq!(plain_text(r"$\mathbb{E}[x]$"), "E[x]");
}

/// Every hint for every key point of every real card leaves the point unearned.
#[test]
fn hints_over_the_real_deck_never_give_the_point_away() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/cards");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("content/cards") {
        let path = entry.expect("entry").path();
        let src = std::fs::read_to_string(&path).expect("read");
        let cards = gentutor_content::cards::parse_cards("x", &src).expect("cards parse");
        for c in cards {
            let cc = CallCard::new(c.clone(), CardSpeech::default());
            for i in 0..c.key_points.len() {
                let hint = hint_for(&cc, i);
                assert!(
                    !grade_answer(&c, &hint).found.contains(&i),
                    "card {} point {i}: hint {hint:?} earns {:?}",
                    c.id,
                    c.key_points[i].point
                );
                assert!(hint.ends_with('?'), "{hint}");
                n += 1;
            }
        }
    }
    assert!(n > 100, "{n} key points checked");
}

#[test]
fn outcomes_become_one_valid_call_event_each() {
    let (cards, opts) = only(1);
    let mut f = Fake::new(&cards, Progress::fresh(), opts);
    f.run(vec![
        typed("gradient descent"),
        typed("the discriminator is updated k steps"),
    ]);
    let o = &f.outcomes()[0];
    // The store's diff of the recorded outcome is what the class receives.
    let drafts = crate::events::events_from_diff(&Progress::fresh(), &f.progress, f.now);
    assert_eq!(drafts.len(), 1, "{drafts:#?}");
    let draft = drafts.into_iter().next().expect("one");
    assert_eq!(draft.mode, crate::events::Mode::Call);
    assert_eq!(draft.at_ms, o.at_ms);
    let e = draft.into_event("ev-1".into(), "l_1", "00c0ffee00c0ffee");
    e.validate(|id| id == 1, f.now).expect("valid event");
    match &e.body {
        crate::events::EventBody::Answer {
            correct,
            response,
            rating,
            state_after,
            ..
        } => {
            assert!(!correct, "explained counts as wrong");
            assert_eq!(*rating, Some(Rating::Again));
            assert_eq!(state_after, &f.progress.cards[&1].fsrs);
            assert_eq!(
                response.as_deref(),
                Some("the discriminator is updated k steps")
            );
        }
        other => panic!("{other:?}"),
    }
    let skipped = Outcome {
        how: How::Skipped,
        rating: None,
        ..o.clone()
    };
    let mut p = Progress::fresh();
    assert!(skipped.record(&mut p, &Scheduler::default()).is_none());
    assert!(crate::events::events_from_diff(&Progress::fresh(), &p, f.now).is_empty());
}
