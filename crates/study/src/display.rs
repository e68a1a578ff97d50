//! What the study UI shows, computed without a browser: which pre-rendered HTML face goes with a
//! question's text, interval and time labels, key-point names, percentages.
//!
//! Questions carry the card's Markdown text (see [`Question`]); the browser must only show the
//! HTML + MathML rendered at build time ([`CardHtml`]), so these helpers map each text back to
//! its rendered face. Text with no rendered face (Matching terms and definitions, which are plain
//! text) is HTML-escaped.

use super::grading::Grade;
use super::learn::{LearnFeedback, LearnStage};
use super::questions::{Checked, Question, QuestionKind};
use super::scheduler::DAY_MS;
use gentutor_content::cards::Card;
use gentutor_content::compiled::CardHtml;

/// Escapes `text` for use as HTML.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The rendered face of one of `card`'s answer texts (its back or a distractor); other text is
/// escaped.
pub fn answer_html(card: &Card, html: &CardHtml, text: &str) -> String {
    if text == card.back {
        return html.back.clone();
    }
    if !card.answer.trim().is_empty() && text == card.answer {
        return html.answer.clone();
    }
    card.distractors
        .iter()
        .position(|d| d == text)
        .and_then(|i| html.distractors.get(i))
        .cloned()
        .unwrap_or_else(|| escape_html(text))
}

/// The rendered true (`is_true`) or false statement of the card.
pub fn statement_html(html: &CardHtml, is_true: bool) -> String {
    if is_true {
        html.true_statement.clone()
    } else {
        html.false_statement.clone()
    }
}

/// The question's prompt as HTML: the card's front for multiple choice and typed questions,
/// the statement for true/false, the (plain-text) definition for matching.
pub fn prompt_html(question: &Question, html: &CardHtml) -> String {
    match question {
        Question::MultipleChoice { .. } | Question::Typed { .. } => html.front.clone(),
        Question::TrueFalse { is_true, .. } => statement_html(html, *is_true),
        Question::Matching { definition, .. } => format!("<p>{}</p>", escape_html(definition)),
    }
}

/// The options of a choice question as HTML, in display order (empty for other kinds).
pub fn options_html(question: &Question, card: &Card, html: &CardHtml) -> Vec<String> {
    match question {
        Question::MultipleChoice { options, .. } => {
            options.iter().map(|o| answer_html(card, html, o)).collect()
        }
        Question::Matching { terms, .. } => terms.iter().map(|t| escape_html(t)).collect(),
        _ => Vec::new(),
    }
}

/// The right answer as HTML, for feedback and the Test report.
pub fn right_answer_html(question: &Question, html: &CardHtml) -> String {
    match question {
        Question::MultipleChoice { .. } | Question::Typed { .. } => html.back.clone(),
        Question::TrueFalse { is_true: true, .. } => "<p>True.</p>".to_string(),
        Question::TrueFalse { is_true: false, .. } => {
            format!(
                "<p>False. The true statement is:</p>{}",
                html.true_statement
            )
        }
        Question::Matching { terms, correct, .. } => terms
            .get(*correct)
            .map(|t| format!("<p>{}</p>", escape_html(t)))
            .unwrap_or_default(),
    }
}

/// Human name of a question kind.
pub fn kind_label(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::MultipleChoice => "Multiple choice",
        QuestionKind::TrueFalse => "True / false",
        QuestionKind::Typed => "Typed answer",
        QuestionKind::Matching => "Matching",
    }
}

/// A Learn stage in words ("true/false", never the saved name "TrueFalse").
pub fn stage_label(stage: LearnStage) -> &'static str {
    match stage {
        LearnStage::MultipleChoice => "multiple choice",
        LearnStage::TrueFalse => "true/false",
        LearnStage::Typed => "typed answer",
        LearnStage::Learned => "learned",
    }
}

/// The verdict line of the feedback box.
pub fn verdict(checked: &Checked) -> &'static str {
    match (&checked.grade, checked.correct) {
        (Some(g), true) if g.overridden => "Counted as right (your override).",
        (_, true) => "Right.",
        (Some(g), false) if g.score > 0.0 => "Partly right: not enough key points.",
        _ => "Not right.",
    }
}

/// The line under Learn's feedback: where the card moved and whether it comes back.
pub fn learn_note(fb: &LearnFeedback) -> String {
    let (before, after) = (stage_label(fb.stage_before), stage_label(fb.stage_after));
    let moved = if fb.stage_after == LearnStage::Learned && fb.stage_before != fb.stage_after {
        format!("Learned: {before} → {after}.")
    } else if fb.stage_after > fb.stage_before {
        format!("Next time as {after} ({before} → {after}).")
    } else if fb.stage_after < fb.stage_before {
        format!("Back to {after} ({before} → {after}).")
    } else if fb.checked.correct {
        format!("Stays at {after}: a card moves up once per round.")
    } else {
        format!("Stays at {after}.")
    };
    let again = if fb.again_this_round {
        " You will see this card again later in this round."
    } else if fb.first_next_round {
        " This card will open the next round."
    } else {
        ""
    };
    format!("{moved}{again}")
}

/// The key points of `card` named by `grade`: `(found, missed)` point texts.
pub fn key_points(card: &Card, grade: &Grade) -> (Vec<String>, Vec<String>) {
    let name = |i: &usize| card.key_points.get(*i).map(|k| k.point.clone());
    (
        grade.found.iter().filter_map(name).collect(),
        grade.missed.iter().filter_map(name).collect(),
    )
}

/// How the answer fared on one key point, for the typed-answer feedback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyPointStatus {
    /// Found; `quote` is the learner's own words that made it.
    Found { quote: String },
    /// All its words are there, but stated the wrong way round (roles swapped, negated).
    Contradicted,
    /// Not found, and a correct answer needs it (the card's own answer makes it).
    Missing,
    /// Not found, but only worth extra credit.
    Optional,
}

/// One key point with its status, in the order the feedback lists them: what the learner
/// got, what they stated the wrong way round, what is missing, then the optional extras.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPointLine {
    pub point: String,
    pub status: KeyPointStatus,
}

impl KeyPointLine {
    /// The line as the learner reads it.
    pub fn text(&self) -> String {
        match &self.status {
            KeyPointStatus::Found { quote } if !quote.is_empty() => {
                format!("{}: you wrote \u{201c}{quote}\u{201d}", self.point)
            }
            KeyPointStatus::Found { .. } => self.point.clone(),
            KeyPointStatus::Contradicted => format!("Stated the wrong way round: {}", self.point),
            KeyPointStatus::Missing => format!("Missing: {}", self.point),
            KeyPointStatus::Optional => format!("Also worth saying: {}", self.point),
        }
    }
}

/// What the answer said that one of the card's wrong options says (see
/// [`Grade::misconception`]), as the learner reads it; `None` when it said none.
pub fn misconception_note(grade: &Grade) -> Option<String> {
    // The option's own text may carry maths markup (`$D(G(z)) \to 0$`): read as plain words.
    let m = crate::call::plain_text(grade.misconception.as_deref()?);
    (!m.is_empty()).then(|| format!("That is a common mistake: \u{201c}{m}\u{201d} is not right."))
}

/// The grade's key points as feedback lines (see [`KeyPointLine`]).
pub fn key_point_lines(card: &Card, grade: &Grade) -> Vec<KeyPointLine> {
    let point = |i: usize| card.key_points.get(i).map(|k| k.point.clone());
    let mut lines: Vec<KeyPointLine> = grade
        .found
        .iter()
        .enumerate()
        .filter_map(|(n, &i)| {
            Some(KeyPointLine {
                point: point(i)?,
                status: KeyPointStatus::Found {
                    quote: grade.quotes.get(n).cloned().unwrap_or_default(),
                },
            })
        })
        .collect();
    let missed = |pred: &dyn Fn(usize) -> bool, status: KeyPointStatus| {
        grade
            .missed
            .iter()
            .copied()
            .filter(|&i| pred(i))
            .filter_map(|i| {
                Some(KeyPointLine {
                    point: point(i)?,
                    status: status.clone(),
                })
            })
            .collect::<Vec<_>>()
    };
    // A grade saved before `core` existed has none: every missed point then counts as needed.
    let needed = |i: usize| grade.core.is_empty() || grade.core.contains(&i);
    lines.extend(missed(
        &|i| grade.contradicted.contains(&i),
        KeyPointStatus::Contradicted,
    ));
    lines.extend(missed(
        &|i| !grade.contradicted.contains(&i) && needed(i),
        KeyPointStatus::Missing,
    ));
    lines.extend(missed(
        &|i| !grade.contradicted.contains(&i) && !needed(i),
        KeyPointStatus::Optional,
    ));
    lines
}

/// A due time as an interval from `now_ms` for a rating button: "1m", "10m", "3h", "4d",
/// "2.5mo", "1.2y" ("now" when already due).
pub fn interval_label(due_ms: i64, now_ms: i64) -> String {
    let ms = due_ms.saturating_sub(now_ms);
    if ms < 60_000 {
        return if ms <= 0 { "now".into() } else { "<1m".into() };
    }
    let minutes = ms as f64 / 60_000.0;
    let days = ms as f64 / DAY_MS as f64;
    if minutes < 60.0 {
        format!("{}m", minutes.round() as i64)
    } else if minutes < 24.0 * 60.0 {
        format!("{}h", (minutes / 60.0).round() as i64)
    } else if days < 30.0 {
        format!("{}d", days.round() as i64)
    } else if days < 365.0 {
        format!("{:.1}mo", days / 30.0)
    } else {
        format!("{:.1}y", days / 365.0)
    }
}

/// A stopwatch time: "12.3 s", or "1:05.2" past a minute.
pub fn stopwatch(ms: u64) -> String {
    let tenths = ms / 100;
    let (m, s, t) = (tenths / 600, (tenths / 10) % 60, tenths % 10);
    if m == 0 {
        format!("{s}.{t} s")
    } else {
        format!("{m}:{s:02}.{t}")
    }
}

/// A fraction in [0, 1] as a whole percentage ("73%"); non-finite values show as "0%".
pub fn percent(x: f64) -> String {
    let x = if x.is_finite() {
        x.clamp(0.0, 1.0)
    } else {
        0.0
    };
    format!("{}%", (x * 100.0).round() as i64)
}

/// The lesson link for a card's `slug#anchor`: `/lesson/slug#anchor`.
pub fn lesson_href(lesson: &str) -> String {
    format!("/lesson/{lesson}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::grade_answer;
    use crate::questions::build_question;
    use crate::rng::SplitMix64;
    use crate::test_cards::{card, deck};

    fn html_of(c: &Card) -> CardHtml {
        CardHtml {
            front: format!("<p>F{}</p>", c.id),
            back: format!("<p>B{}</p>", c.id),
            answer: format!("<p>A{}</p>", c.id),
            true_statement: format!("<p>T{}</p>", c.id),
            false_statement: format!("<p>X{}</p>", c.id),
            distractors: (0..c.distractors.len())
                .map(|i| format!("<p>D{}-{i}</p>", c.id))
                .collect(),
        }
    }

    #[test]
    fn multiple_choice_options_map_to_their_rendered_faces() {
        let cards = deck(6);
        let c = &cards[2];
        let h = html_of(c);
        let mut rng = SplitMix64::new(4);
        let q = build_question(c, QuestionKind::MultipleChoice, &cards, &mut rng);
        let Question::MultipleChoice {
            options, correct, ..
        } = &q
        else {
            panic!("not multiple choice: {q:?}");
        };
        let faces = options_html(&q, c, &h);
        assert_eq!(faces.len(), options.len());
        // The option is the one-line answer; the feedback shows the full back.
        assert_eq!(faces[*correct], h.answer);
        for (i, face) in faces.iter().enumerate() {
            if i != *correct {
                assert!(h.distractors.contains(face), "{face} is a distractor face");
            }
        }
        assert_eq!(right_answer_html(&q, &h), h.back);
        assert_eq!(prompt_html(&q, &h), h.front);
    }

    #[test]
    fn true_false_prompt_is_the_asked_statement() {
        let c = card(3, &["gan"], "gan-objective#intuition");
        let h = html_of(&c);
        for is_true in [true, false] {
            let q = Question::TrueFalse {
                card_id: 3,
                statement: String::new(),
                is_true,
            };
            let want = if is_true {
                &h.true_statement
            } else {
                &h.false_statement
            };
            assert_eq!(&prompt_html(&q, &h), want);
            let right = right_answer_html(&q, &h);
            assert_eq!(right.contains(&h.true_statement), !is_true, "{right}");
        }
    }

    #[test]
    fn unknown_text_and_matching_terms_are_escaped() {
        let c = card(1, &[], "x#y");
        let h = html_of(&c);
        assert_eq!(
            answer_html(&c, &h, "<b>a & b</b>"),
            "&lt;b&gt;a &amp; b&lt;/b&gt;"
        );
        let q = Question::Matching {
            card_id: 1,
            definition: "p < q".into(),
            terms: vec!["A\"".into(), "B".into()],
            correct: 1,
        };
        assert_eq!(prompt_html(&q, &h), "<p>p &lt; q</p>");
        assert_eq!(options_html(&q, &c, &h), vec!["A&quot;", "B"]);
        assert_eq!(right_answer_html(&q, &h), "<p>B</p>");
    }

    #[test]
    fn key_points_split_into_found_and_missed() {
        let mut c = card(1, &[], "x#y");
        c.key_points.push(gentutor_content::cards::KeyPoint {
            point: "other".into(),
            synonyms: vec![],
        });
        let g = grade_answer(&c, "keyword1 is here");
        let (found, missed) = key_points(&c, &g);
        assert_eq!(found, vec!["keyword1"]);
        assert_eq!(missed, vec!["other"]);
    }

    #[test]
    fn misconception_note_quotes_the_wrong_option() {
        let mut c = card(1, &[], "x#y");
        c.key_points = vec![
            gentutor_content::cards::KeyPoint {
                point: "generator uses fresh noise".into(),
                synonyms: vec![],
            },
            gentutor_content::cards::KeyPoint {
                point: "k discriminator steps".into(),
                synonyms: vec![],
            },
        ];
        c.distractors =
            vec!["The discriminator is trained to convergence once, then frozen.".into()];
        let g = grade_answer(
            &c,
            "the discriminator is trained to convergence once; the generator uses fresh noise",
        );
        assert_eq!(
            misconception_note(&g).as_deref(),
            Some("That is a common mistake: \u{201c}The discriminator is trained to convergence once\u{201d} is not right.")
        );
        let ok = grade_answer(&c, "k discriminator steps, the generator uses fresh noise");
        assert_eq!(misconception_note(&ok), None);
    }

    #[test]
    fn key_point_lines_name_what_is_missing_and_what_is_reversed() {
        use gentutor_content::cards::KeyPoint;
        let mut c = card(1, &[], "x#y");
        c.key_points = vec![
            KeyPoint {
                point: "discriminator maximises V".into(),
                synonyms: vec![],
            },
            KeyPoint {
                point: "generator minimises V".into(),
                synonyms: vec![],
            },
            KeyPoint {
                point: "optimum at D = 1/2".into(),
                synonyms: vec![],
            },
        ];
        c.answer = "The discriminator maximises V and the generator minimises V.".into();
        let g = grade_answer(&c, "G maximizes V, and D minimizes it");
        let lines = key_point_lines(&c, &g);
        let texts: Vec<String> = lines.iter().map(KeyPointLine::text).collect();
        assert_eq!(
            texts,
            vec![
                "Stated the wrong way round: discriminator maximises V",
                "Stated the wrong way round: generator minimises V",
                "Also worth saying: optimum at D = 1/2",
            ],
            "{g:?}"
        );
        let g = grade_answer(&c, "D maximizes V");
        let lines = key_point_lines(&c, &g);
        assert_eq!(
            lines[0].status,
            KeyPointStatus::Found {
                quote: "discriminator maximizes".into()
            }
        );
        assert_eq!(
            lines[0].text(),
            "discriminator maximises V: you wrote \u{201c}discriminator maximizes\u{201d}"
        );
        assert_eq!(lines[1].status, KeyPointStatus::Missing);
    }

    #[test]
    fn learn_feedback_words_follow_an_override_and_use_no_internal_names() {
        use crate::learn::LearnSession;
        use crate::progress::Progress;
        use crate::questions::Answer;
        let cards = deck(3);
        let mut p = Progress::fresh();
        for id in 1..=3 {
            // Every card at the typed stage.
            p.record_learn_answer(id, 0, true, 0);
            p.record_learn_answer(id, 1, true, 0);
        }
        p.learn_round = 1;
        let mut s = LearnSession::new(&cards, &[1, 2, 3], 5).expect("cards");
        s.start_round(&mut p);
        let q = s.next_question(&cards, &p).expect("question");
        assert_eq!(q.kind(), QuestionKind::Typed);
        // Half the key points: partly right, so it comes back this round.
        let fb = s
            .answer(&cards, &mut p, &Answer::Text("nothing useful".into()), 10)
            .expect("open");
        assert!(!fb.checked.correct);
        let before = format!("{} {}", verdict(&fb.checked), learn_note(&fb));
        assert!(before.contains("again later in this round"), "{before}");
        assert!(before.contains("Back to true/false"), "{before}");
        let fb = s.override_last(&mut p).expect("overridden");
        let after = format!("{} {}", verdict(&fb.checked), learn_note(&fb));
        assert!(after.starts_with("Counted as right"), "{after}");
        assert!(
            after.contains("Learned: typed answer → learned."),
            "{after}"
        );
        assert!(
            !after.contains("again") && !after.contains("Partly"),
            "{after}"
        );
        for stage in [
            LearnStage::MultipleChoice,
            LearnStage::TrueFalse,
            LearnStage::Typed,
            LearnStage::Learned,
        ] {
            assert!(!stage_label(stage).contains(stage.name()) || stage == LearnStage::Learned);
        }
        assert!(!before.contains("TrueFalse") && !after.contains("MultipleChoice"));
    }

    #[test]
    fn labels_for_intervals_times_and_percentages() {
        let now = 1_000_000;
        assert_eq!(interval_label(now - 5, now), "now");
        assert_eq!(interval_label(now + 30_000, now), "<1m");
        assert_eq!(interval_label(now + 600_000, now), "10m");
        assert_eq!(interval_label(now + 3 * 3_600_000, now), "3h");
        assert_eq!(interval_label(now + 4 * DAY_MS, now), "4d");
        assert_eq!(interval_label(now + 75 * DAY_MS, now), "2.5mo");
        assert_eq!(interval_label(now + 730 * DAY_MS, now), "2.0y");
        assert_eq!(stopwatch(12_345), "12.3 s");
        assert_eq!(stopwatch(65_200), "1:05.2");
        assert_eq!(percent(0.734), "73%");
        assert_eq!(percent(f64::NAN), "0%");
        assert_eq!(percent(2.0), "100%");
        assert_eq!(lesson_href("gan#a"), "/lesson/gan#a");
        assert_eq!(kind_label(QuestionKind::Typed), "Typed answer");
    }
}
