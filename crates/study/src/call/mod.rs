//! The spoken tutor ("Call"): a pure state machine that quizzes, listens, hints and explains.
//!
//! The browser (or a test) feeds it [`Input`]s and performs the [`Effect`]s it returns: speak
//! a text (always with a caption), listen (biased towards some phrases), record an outcome,
//! show something, end with a summary. Nothing here speaks, listens, reads a clock or draws
//! randomness from the OS: time comes in with every input, randomness from the seed.
//!
//! One card goes: ask -> listen -> grade with [`crate::grading`] -> if not right, a hint drawn
//! from one missed key point, phrased as a leading question -> listen -> if still not right,
//! explain the short answer and link the lesson section -> next card. The FSRS rating follows
//! from how it went ([`How::rating`]): right first time is Good (Easy when every key point was
//! there), right after a hint is Hard, explained is Again. A skipped card is not rated.
//!
//! Speech recognisers mishear short words, and "not" flips a statement's meaning, so a spoken
//! answer whose grade would change if a negation were dropped or added is read back for the
//! learner to confirm instead of being marked wrong.

mod select;
mod summary;
mod words;

#[cfg(test)]
mod tests;

pub use select::choose_cards;
pub use summary::Summary;
pub use words::{hint_for, negation_decides, parse_command, plain_text};

use crate::events::clean_response;
use crate::grading::{grade_answer, Grade, Verdict, PASS_FRACTION};
use crate::progress::Progress;
use crate::rng::SplitMix64;
use crate::scheduler::{CallGrade, CardState, Rating, ReviewLogEntry, Scheduler};
use crate::StudyError;
use gentutor_content::cards::Card;
use gentutor_content::compiled::CardSpeech;
use serde::{Deserialize, Serialize};

/// The most cards one call asks by default.
pub const DEFAULT_CALL_LENGTH: usize = 5;
/// Below this recogniser confidence a wrong-sounding answer is read back before it is graded.
pub const LOW_CONFIDENCE: f32 = 0.35;
/// Speech rate bounds and the factor of one "slower".
pub const MIN_RATE: f32 = 0.5;
pub const SLOWER_FACTOR: f32 = 0.8;

/// A card with its spoken forms (from the compiled content; empty forms fall back to the
/// written text with the maths markers removed).
#[derive(Debug, Clone, PartialEq)]
pub struct CallCard {
    pub card: Card,
    pub speech: CardSpeech,
}

impl CallCard {
    /// Pairs a card with its spoken forms.
    pub fn new(card: Card, speech: CardSpeech) -> Self {
        Self { card, speech }
    }

    /// The question as spoken.
    pub fn spoken_front(&self) -> String {
        non_empty(&self.speech.front).unwrap_or_else(|| plain_text(&self.card.front))
    }

    /// The one-line answer as spoken.
    pub fn spoken_answer(&self) -> String {
        non_empty(&self.speech.answer).unwrap_or_else(|| plain_text(self.card.mc_answer()))
    }

    /// Key point `i` as spoken.
    pub fn spoken_point(&self, i: usize) -> String {
        self.speech
            .key_points
            .get(i)
            .and_then(|s| non_empty(s))
            .or_else(|| self.card.key_points.get(i).map(|k| plain_text(&k.point)))
            .unwrap_or_default()
    }
}

fn non_empty(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.trim().to_string())
}

/// Which cards a call asks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CallOptions {
    /// Only the cards of this lesson slug (a call started from a lesson).
    pub lesson: Option<String>,
    /// At most this many cards (0 means [`DEFAULT_CALL_LENGTH`]).
    pub max_cards: usize,
}

/// What the learner did, as the browser saw it.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// The learner pressed Start.
    Started,
    /// The recogniser's final transcript, with its confidence in [0, 1].
    Heard { text: String, confidence: f32 },
    /// An answer typed in the text box.
    Typed(String),
    /// Listening timed out with nothing heard.
    Silence,
    /// Everything the tutor was saying has been spoken (or cancelled).
    SpeechEnded,
    /// A button or key (the same commands also work by voice).
    Command(Command),
}

/// The learner's requests, by key, button or voice ("repeat", "skip", "I don't know",
/// "slower", "stop").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Command {
    Repeat,
    Skip,
    DontKnow,
    Slower,
    /// End the call now (the summary still comes).
    Stop,
}

/// What the browser must do, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Speak `text` and show `caption` (the same words, for the eyes).
    Say { text: String, caption: String },
    /// Start listening; `phrases` are words the recogniser should expect (key terms, commands).
    Listen { phrases: Vec<String> },
    /// Speak more slowly from now on (rate multiplier of the voice, in [MIN_RATE, 1]).
    SetRate(f32),
    /// Save this outcome (see [`Outcome::record`]).
    Record(Outcome),
    /// Update the screen.
    Show(Screen),
    /// The call is over.
    End(Summary),
}

/// What the screen shows besides the captions.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    /// Card `number` of `total` (1-based): show its question.
    Question {
        card_id: u32,
        number: usize,
        total: usize,
    },
    /// What the tutor understood the learner to say.
    Heard { text: String },
    /// A hint (a leading question) for the current card.
    Hint { card_id: u32, text: String },
    /// The tutor asks whether it heard right (a negation would change the grade).
    Confirm { card_id: u32, heard: String },
    /// How the last answer was graded: its key points (found ones quote the learner's words)
    /// and the wrong option it stated, if any (see [`crate::display::misconception_note`]).
    Graded {
        card_id: u32,
        lines: Vec<crate::display::KeyPointLine>,
        misconception: Option<String>,
    },
    /// The answer explained, with the lesson section to read (`slug#anchor`).
    Explanation { card_id: u32, lesson: String },
    /// The card is done.
    Done { card_id: u32, how: How },
}

/// How a card went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum How {
    /// Right at the first answer, with every key point.
    FirstTryFull,
    /// Right at the first answer.
    FirstTry,
    /// Right after a hint.
    AfterHint,
    /// Not right after the hint (or "I don't know" twice): the tutor explained.
    Explained,
    /// Skipped: not rated.
    Skipped,
}

impl How {
    /// The FSRS rating this outcome earns (`None` for a skip).
    pub fn rating(self) -> Option<Rating> {
        match self {
            How::FirstTryFull => Some(Rating::Easy),
            How::FirstTry => Some(Rating::Good),
            How::AfterHint => Some(Rating::Hard),
            How::Explained => Some(Rating::Again),
            How::Skipped => None,
        }
    }

    /// Whether this counts as "went well" in the summary.
    pub fn went_well(self) -> bool {
        matches!(self, How::FirstTryFull | How::FirstTry | How::AfterHint)
    }
}

/// One card's result, to be saved and shown in the summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub card_id: u32,
    pub how: How,
    /// The FSRS rating ([`How::rating`]).
    pub rating: Option<Rating>,
    /// Fraction of key points the learner's answers covered, in [0, 1].
    pub score: f64,
    /// What the learner said or typed, in order (commands excluded).
    pub answers: Vec<String>,
    /// When the card was finished (Unix ms).
    pub at_ms: i64,
    /// When the card is next due after this review (None for a skip).
    pub next_due_ms: Option<i64>,
}

impl Outcome {
    /// Saves the outcome through the progress API: an FSRS review with [`Outcome::rating`] at
    /// [`Outcome::at_ms`], marked as the call's ([`CallGrade`]: score, went well, last words).
    /// Returns the review log entry (None for a skip, which changes nothing).
    ///
    /// This is the only record of a call: the class sync turns the marked review into one
    /// event of mode "call" that also carries the rating and memory state, so the Call column
    /// counts it and FSRS sees it once (`events::events_from_diff`).
    pub fn record(&self, progress: &mut Progress, scheduler: &Scheduler) -> Option<ReviewLogEntry> {
        let rating = self.rating?;
        progress.record_review(self.card_id, rating, scheduler, self.at_ms);
        let last = progress.card_mut(self.card_id).review_log.last_mut()?;
        last.call = Some(CallGrade {
            score: if self.score.is_finite() {
                self.score.clamp(0.0, 1.0)
            } else {
                0.0
            },
            correct: self.how.went_well(),
            response: self.response(),
        });
        Some(last.clone())
    }

    /// The learner's last words on the card (commands excluded), cleaned for an event.
    pub fn response(&self) -> Option<String> {
        self.answers.iter().rev().find_map(|a| clean_response(a))
    }
}

/// What the tutor is doing, for the visible state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    /// Not started yet.
    Idle,
    Speaking,
    Listening,
    /// An answer came in and is being handled (the browser shows this while a recogniser
    /// finishes; the machine itself answers at once).
    Thinking,
    Ended,
}

/// Where the current card is.
#[derive(Debug, Clone, PartialEq)]
enum Stage {
    /// Waiting for the first answer.
    First,
    /// A hint was given; waiting for the second answer.
    Second,
}

/// A spoken answer read back for confirmation.
#[derive(Debug, Clone, PartialEq)]
struct Pending {
    text: String,
}

/// The spoken tutor. See the module docs.
#[derive(Debug, Clone)]
pub struct Call {
    cards: Vec<CallCard>,
    /// Saved FSRS state of each asked card (same order as `cards`), to tell when it is next due.
    states: Vec<CardState>,
    scheduler: Scheduler,
    index: usize,
    stage: Stage,
    /// Key points found so far on the current card (answers accumulate: the second answer may
    /// add only what the hint asked about).
    found: Vec<usize>,
    answers: Vec<String>,
    /// Silences in a row on the current prompt.
    silences: u8,
    pending: Option<Pending>,
    /// The last thing asked (question, hint or confirmation), for "repeat".
    last_prompt: String,
    /// The learner asked for a repeat or a slower voice on this card (no Easy then).
    helped: bool,
    rate: f32,
    activity: Activity,
    /// Listen once the current speech ends.
    listen_after_speech: bool,
    outcomes: Vec<Outcome>,
    rng: SplitMix64,
    started_ms: i64,
}

impl Call {
    /// A call over `deck`: the cards are chosen with [`choose_cards`] (due first, then the
    /// weakest by mastery; or the lesson's cards), and `progress` supplies their schedule.
    pub fn new(
        deck: &[CallCard],
        progress: &Progress,
        options: &CallOptions,
        now_ms: i64,
        seed: u64,
    ) -> Result<Self, StudyError> {
        let mut rng = SplitMix64::new(seed);
        let chosen = choose_cards(deck, progress, options, now_ms, &mut rng);
        if chosen.is_empty() {
            return Err(StudyError::NoCards {
                what: match &options.lesson {
                    Some(l) => format!("lesson `{l}`"),
                    None => "this call".to_string(),
                },
            });
        }
        let cards: Vec<CallCard> = chosen.into_iter().cloned().collect();
        let states = cards
            .iter()
            .map(|c| {
                progress
                    .cards
                    .get(&c.card.id)
                    .and_then(|p| p.fsrs.clone())
                    .unwrap_or_default()
            })
            .collect();
        Ok(Self {
            cards,
            states,
            scheduler: Scheduler::new(progress.settings.desired_retention),
            index: 0,
            stage: Stage::First,
            found: Vec::new(),
            answers: Vec::new(),
            silences: 0,
            pending: None,
            last_prompt: String::new(),
            helped: false,
            rate: 1.0,
            activity: Activity::Idle,
            listen_after_speech: false,
            outcomes: Vec::new(),
            rng,
            started_ms: now_ms,
        })
    }

    /// The cards this call asks, in order.
    pub fn card_ids(&self) -> Vec<u32> {
        self.cards.iter().map(|c| c.card.id).collect()
    }

    /// The card being asked, if the call is under way.
    pub fn current_card(&self) -> Option<&Card> {
        (self.activity != Activity::Ended && self.activity != Activity::Idle)
            .then(|| self.cards.get(self.index).map(|c| &c.card))
            .flatten()
    }

    /// What the tutor is doing now.
    pub fn activity(&self) -> Activity {
        self.activity
    }

    /// The current speech rate multiplier.
    pub fn rate(&self) -> f32 {
        self.rate
    }

    /// The outcomes so far.
    pub fn outcomes(&self) -> &[Outcome] {
        &self.outcomes
    }

    /// Handles one input at `now_ms` and returns what to do, in order.
    pub fn on(&mut self, input: Input, now_ms: i64) -> Vec<Effect> {
        if self.activity == Activity::Ended {
            return Vec::new();
        }
        if self.activity == Activity::Idle {
            // Only Start begins a call; anything else before it is ignored.
            return match input {
                Input::Started => self.start(),
                _ => Vec::new(),
            };
        }
        match input {
            Input::Started => Vec::new(),
            Input::SpeechEnded => {
                if self.listen_after_speech && self.activity == Activity::Speaking {
                    self.listen_after_speech = false;
                    self.activity = Activity::Listening;
                    vec![Effect::Listen {
                        phrases: self.phrases(),
                    }]
                } else {
                    Vec::new()
                }
            }
            Input::Command(c) => self.command(c, now_ms),
            Input::Silence => self.silence(now_ms),
            Input::Typed(text) => self.answer(text, None, now_ms),
            Input::Heard { text, confidence } => self.answer(text, Some(confidence), now_ms),
        }
    }

    fn start(&mut self) -> Vec<Effect> {
        let n = self.cards.len();
        let greeting = format!(
            "Hi! Let's go through {} together. Answer out loud or type; say \"repeat\", \"skip\", \"I don't know\" or \"slower\" at any time.",
            if n == 1 {
                "one card".to_string()
            } else {
                format!("{n} cards")
            }
        );
        let mut fx = vec![say(&greeting)];
        fx.extend(self.ask_current());
        fx
    }

    /// Shows and asks the current card's question, then listens when the speech ends.
    fn ask_current(&mut self) -> Vec<Effect> {
        let c = &self.cards[self.index];
        let q = c.spoken_front();
        let number = self.index + 1;
        let fx = vec![
            Effect::Show(Screen::Question {
                card_id: c.card.id,
                number,
                total: self.cards.len(),
            }),
            say(&if number == 1 {
                format!("First question. {q}")
            } else if number == self.cards.len() {
                format!("Last question. {q}")
            } else {
                format!("Question {number}. {q}")
            }),
        ];
        self.last_prompt = q;
        self.speak_then_listen(fx)
    }

    fn speak_then_listen(&mut self, fx: Vec<Effect>) -> Vec<Effect> {
        self.activity = Activity::Speaking;
        self.listen_after_speech = true;
        fx
    }

    /// Words for the recogniser to expect: the card's key terms and the commands.
    fn phrases(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        if self.pending.is_some() {
            out.extend(["yes", "no"].map(String::from));
        }
        if let Some(c) = self.cards.get(self.index) {
            out.push(plain_text(&c.card.term));
            for i in 0..c.card.key_points.len() {
                out.push(c.spoken_point(i));
            }
        }
        out.extend(["repeat", "skip", "I don't know", "slower"].map(String::from));
        out.retain(|p| !p.trim().is_empty());
        out.dedup();
        out
    }

    fn command(&mut self, c: Command, now_ms: i64) -> Vec<Effect> {
        match c {
            Command::Repeat => {
                self.helped = true;
                self.silences = 0;
                let p = self.last_prompt.clone();
                let fx = vec![say(&p)];
                self.speak_then_listen(fx)
            }
            Command::Slower => {
                self.helped = true;
                self.rate = (self.rate * SLOWER_FACTOR).max(MIN_RATE);
                let p = self.last_prompt.clone();
                let fx = vec![Effect::SetRate(self.rate), say(&p)];
                self.speak_then_listen(fx)
            }
            Command::Skip => {
                self.pending = None;
                let mut fx = vec![say("Okay, let's skip that one.")];
                fx.extend(self.finish_card(How::Skipped, now_ms));
                fx
            }
            Command::DontKnow => {
                self.pending = None;
                self.answers.push(String::new());
                self.miss(now_ms, "That's fine.")
            }
            Command::Stop => {
                self.pending = None;
                let mut fx = vec![say("Okay, let's stop here.")];
                fx.extend(self.end(now_ms));
                fx
            }
        }
    }

    fn silence(&mut self, now_ms: i64) -> Vec<Effect> {
        self.silences += 1;
        if self.pending.is_some() && self.silences >= 2 {
            // No reply to "did I hear you right?": take the answer as heard.
            let p = self.pending.take().map(|p| p.text).unwrap_or_default();
            self.silences = 0;
            return self.grade(p, now_ms);
        }
        if self.silences >= 2 {
            // Two silences in a row: treat it like "I don't know" (a hint, or the answer).
            self.silences = 0;
            self.answers.push(String::new());
            return self.miss(now_ms, "Let's work through it together.");
        }
        let fx = vec![say(
            "Take your time. Say \"repeat\" to hear it again, or \"I don't know\" for a hint.",
        )];
        self.speak_then_listen(fx)
    }

    fn answer(&mut self, text: String, confidence: Option<f32>, now_ms: i64) -> Vec<Effect> {
        let text = text.trim().to_string();
        if text.is_empty() {
            return self.silence(now_ms);
        }
        self.activity = Activity::Thinking;
        self.listen_after_speech = false;
        if self.pending.is_some() {
            match words::yes_no(&text) {
                Some(true) => {
                    let p = self.pending.take().map(|p| p.text).unwrap_or_default();
                    return self.grade(p, now_ms);
                }
                Some(false) => {
                    self.pending = None;
                    let fx = vec![say("Okay. Please say your answer again.")];
                    return self.speak_then_listen(fx);
                }
                // Anything else is a new answer to the same question.
                None => self.pending = None,
            }
        }
        if let Some(c) = parse_command(&text) {
            return self.command(c, now_ms);
        }
        self.silences = 0;
        let card = &self.cards[self.index].card;
        let mut fx = vec![Effect::Show(Screen::Heard { text: text.clone() })];
        if let Some(conf) = confidence {
            let g = grade_answer(card, &text);
            let right = self.covers_enough(&g);
            let negation = negation_decides(card, &text);
            if !right && (negation.is_some() || conf < LOW_CONFIDENCE) {
                let card_id = card.id;
                let question = match negation {
                    Some(true) => format!(
                        "I heard: \"{text}\". The word \"not\" changes the meaning, so let me check: is that what you meant? Say yes, or say your answer again."
                    ),
                    Some(false) => format!(
                        "I heard: \"{text}\", without a \"not\". Is that what you meant? Say yes, or say your answer again."
                    ),
                    None => format!(
                        "I'm not sure I heard you right. Did you say: \"{text}\"? Say yes, or say your answer again."
                    ),
                };
                self.pending = Some(Pending { text: text.clone() });
                self.last_prompt = question.clone();
                fx.push(Effect::Show(Screen::Confirm {
                    card_id,
                    heard: text,
                }));
                fx.push(say(&question));
                return self.speak_then_listen(fx);
            }
        }
        fx.extend(self.grade(text, now_ms));
        fx
    }

    /// True when the key points found so far plus those in `g` reach the pass mark.
    fn covers_enough(&self, g: &Grade) -> bool {
        let total = self.cards[self.index].card.key_points.len();
        if g.verdict == Verdict::Correct {
            return true;
        }
        if total == 0 {
            return false;
        }
        let mut all = self.found.clone();
        all.extend(g.found.iter().copied());
        all.sort_unstable();
        all.dedup();
        all.len() as f64 / total as f64 >= PASS_FRACTION - 1e-12
    }

    /// Grades an answer (already confirmed if it needed to be) and moves on.
    fn grade(&mut self, text: String, now_ms: i64) -> Vec<Effect> {
        let c = self.cards[self.index].clone();
        let g = grade_answer(&c.card, &text);
        let right = self.covers_enough(&g);
        self.found.extend(g.found.iter().copied());
        self.found.sort_unstable();
        self.found.dedup();
        self.answers.push(text);
        let graded = Effect::Show(Screen::Graded {
            card_id: c.card.id,
            lines: crate::display::key_point_lines(&c.card, &g),
            misconception: crate::display::misconception_note(&g),
        });
        if !right {
            // Name a wrong option the learner stated, so the hint or the answer corrects it.
            let lead = g
                .misconception
                .as_deref()
                .map(|m| format!("Careful: \"{}\" is a common mistake.", plain_text(m)))
                .unwrap_or_default();
            let mut fx = vec![graded];
            fx.extend(self.miss(now_ms, &lead));
            return fx;
        }
        let total = c.card.key_points.len();
        let all = self.found.len() == total;
        let how = match self.stage {
            Stage::First if all && !self.helped => How::FirstTryFull,
            Stage::First => How::FirstTry,
            Stage::Second => How::AfterHint,
        };
        let praise = match how {
            How::AfterHint => "Yes, that's it.",
            _ => ["Right!", "Exactly.", "That's right."][self.rng.below(3)],
        };
        let missed: Vec<usize> = (0..total).filter(|i| !self.found.contains(i)).collect();
        let text = if missed.is_empty() {
            praise.to_string()
        } else {
            let extra: Vec<String> = missed.iter().map(|&i| c.spoken_point(i)).collect();
            format!("{praise} To make it complete, add: {}.", extra.join("; "))
        };
        let mut fx = vec![graded, say(&text)];
        fx.extend(self.finish_card(how, now_ms));
        fx
    }

    /// A wrong or empty answer (or "I don't know"): the first time a hint, then the answer.
    fn miss(&mut self, now_ms: i64, lead: &str) -> Vec<Effect> {
        let c = self.cards[self.index].clone();
        self.silences = 0;
        match self.stage {
            Stage::First => {
                self.stage = Stage::Second;
                let total = c.card.key_points.len();
                let missed: Vec<usize> = (0..total).filter(|i| !self.found.contains(i)).collect();
                // The first missed point: key points are ordered from the core idea outwards.
                let Some(&point) = missed.first() else {
                    return self.explain(now_ms, lead);
                };
                let hint = hint_for(&c, point);
                let so_far = if self.found.is_empty() {
                    String::new()
                } else {
                    format!("You have {} of the {} points. ", self.found.len(), total)
                };
                let not_quite = if lead.is_empty() { "Not quite." } else { lead };
                let text = format!("{not_quite} {so_far}Here's a hint: {hint}");
                self.last_prompt = hint.clone();
                let fx = vec![
                    Effect::Show(Screen::Hint {
                        card_id: c.card.id,
                        text: hint,
                    }),
                    say(&text),
                ];
                self.speak_then_listen(fx)
            }
            Stage::Second => self.explain(now_ms, lead),
        }
    }

    fn explain(&mut self, now_ms: i64, lead: &str) -> Vec<Effect> {
        let c = self.cards[self.index].clone();
        let lead = if lead.is_empty() {
            "Not quite, so here's the answer."
        } else {
            lead
        };
        let section = c
            .card
            .lesson_anchor()
            .map(|a| a.replace('-', " "))
            .unwrap_or_else(|| c.card.lesson_slug().replace('-', " "));
        let text = format!(
            "{lead} {} The lesson section \"{section}\" explains it; the link is on screen.",
            c.spoken_answer()
        );
        let mut fx = vec![
            Effect::Show(Screen::Explanation {
                card_id: c.card.id,
                lesson: c.card.lesson.clone(),
            }),
            say(&text),
        ];
        fx.extend(self.finish_card(How::Explained, now_ms));
        fx
    }

    /// Records the card, then asks the next one or ends the call.
    fn finish_card(&mut self, how: How, now_ms: i64) -> Vec<Effect> {
        let c = &self.cards[self.index];
        let total = c.card.key_points.len();
        let score = if how == How::Skipped {
            0.0
        } else if total == 0 {
            1.0
        } else {
            self.found.len() as f64 / total as f64
        };
        let rating = how.rating();
        let next_due_ms = rating.map(|r| {
            self.scheduler
                .review(&self.states[self.index], r, now_ms)
                .0
                .due_ms
        });
        let outcome = Outcome {
            card_id: c.card.id,
            how,
            rating,
            score,
            answers: std::mem::take(&mut self.answers),
            at_ms: now_ms,
            next_due_ms,
        };
        self.outcomes.push(outcome.clone());
        let mut fx = vec![
            Effect::Record(outcome),
            Effect::Show(Screen::Done {
                card_id: c.card.id,
                how,
            }),
        ];
        self.index += 1;
        self.stage = Stage::First;
        self.found.clear();
        self.silences = 0;
        self.pending = None;
        self.helped = false;
        if self.index < self.cards.len() {
            fx.extend(self.ask_current());
        } else {
            fx.extend(self.end(now_ms));
        }
        fx
    }

    fn end(&mut self, now_ms: i64) -> Vec<Effect> {
        let terms: Vec<(u32, String)> = self
            .cards
            .iter()
            .map(|c| (c.card.id, plain_text(&c.card.term)))
            .collect();
        let s = Summary::new(&self.outcomes, &terms, now_ms, self.started_ms);
        self.activity = Activity::Ended;
        self.listen_after_speech = false;
        vec![
            Effect::Say {
                text: s.spoken.clone(),
                caption: s.spoken.clone(),
            },
            Effect::End(s),
        ]
    }
}

fn say(text: &str) -> Effect {
    Effect::Say {
        text: text.to_string(),
        caption: text.to_string(),
    }
}
