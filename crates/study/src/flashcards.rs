//! Flashcards mode: a deck view with a filter, optional seeded shuffle, stars, a position
//! counter ("3/37") and a flip state.
//!
//! Navigation stops at the ends: `next` on the last card ends the pass and shows a summary
//! ([`FlashcardDeck::summary`]) instead of silently wrapping to card 1; `previous` from the
//! summary goes back to the last card, and [`FlashcardDeck::restart`] starts a new pass. Moving
//! always shows the front. A filter that matches nothing (no starred cards yet) gives an empty
//! deck that the UI explains, not an error. Unstarring a card under the `Starred` filter keeps it
//! in view until the filter is applied again, so the card does not vanish under the learner's
//! finger.

use super::progress::Progress;
use super::rng::SplitMix64;
use super::StudyError;
use gentutor_content::cards::Card;

/// Which cards the deck shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum DeckFilter {
    #[default]
    All,
    /// Cards carrying this tag.
    Tag(String),
    /// Cards of this lesson slug (`gan-objective`).
    Lesson(String),
    /// Starred cards.
    Starred,
}

impl DeckFilter {
    /// Whether `card` passes the filter.
    pub fn admits(&self, card: &Card, progress: &Progress) -> bool {
        match self {
            DeckFilter::All => true,
            DeckFilter::Tag(t) => card.tags.contains(t),
            DeckFilter::Lesson(s) => card.lesson_slug() == s,
            DeckFilter::Starred => progress.is_starred(card.id),
        }
    }

    /// The ids of the `cards` that pass, in content order (Review and Matching use this to
    /// study one lesson or tag).
    pub fn ids(&self, cards: &[Card], progress: &Progress) -> Vec<u32> {
        cards
            .iter()
            .filter(|c| self.admits(c, progress))
            .map(|c| c.id)
            .collect()
    }
}

/// The Flashcards deck state.
#[derive(Debug, Clone, PartialEq)]
pub struct FlashcardDeck {
    /// All card ids in content order.
    all: Vec<u32>,
    view: Vec<u32>,
    pos: usize,
    flipped: bool,
    filter: DeckFilter,
    shuffle_seed: Option<u64>,
    /// The pass through the deck is over (the summary shows).
    finished: bool,
    /// Cards turned over in this pass.
    turned: std::collections::BTreeSet<u32>,
}

/// The end-of-deck summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeckSummary {
    /// Cards in the deck.
    pub cards: usize,
    /// Cards turned over to their answer in this pass.
    pub turned: usize,
    /// Cards of the deck that are starred.
    pub starred: usize,
}

impl FlashcardDeck {
    /// All `cards`, in their order, unshuffled, front side up.
    pub fn new(cards: &[Card]) -> Self {
        let all: Vec<u32> = cards.iter().map(|c| c.id).collect();
        Self {
            view: all.clone(),
            all,
            pos: 0,
            flipped: false,
            filter: DeckFilter::All,
            shuffle_seed: None,
            finished: false,
            turned: std::collections::BTreeSet::new(),
        }
    }

    fn matching(&self, cards: &[Card], progress: &Progress, filter: &DeckFilter) -> Vec<u32> {
        self.all
            .iter()
            .copied()
            .filter(|id| {
                cards
                    .iter()
                    .find(|c| c.id == *id)
                    .is_some_and(|c| filter.admits(c, progress))
            })
            .collect()
    }

    /// Applies `filter` (the deck may come out empty: see [`FlashcardDeck::is_empty`]). The
    /// current card stays current if it is still in view; otherwise the view starts at its
    /// first card. A new filter starts a new pass.
    pub fn set_filter(&mut self, cards: &[Card], progress: &Progress, filter: DeckFilter) {
        let view = self.matching(cards, progress, &filter);
        let keep = self.current();
        self.view = view;
        self.filter = filter;
        if let Some(seed) = self.shuffle_seed {
            SplitMix64::new(seed).shuffle(&mut self.view);
        }
        self.pos = keep
            .and_then(|id| self.view.iter().position(|&v| v == id))
            .unwrap_or(0);
        self.flipped = false;
        self.finished = false;
        self.turned.clear();
    }

    /// True when no card matches the filter.
    pub fn is_empty(&self) -> bool {
        self.view.is_empty()
    }

    /// What the learner should be told about an empty deck.
    pub fn empty_message(&self) -> String {
        match &self.filter {
            DeckFilter::Starred => "No starred cards yet. Star the cards you find hard (the ☆ Star button) and they will be here.".to_string(),
            f => StudyError::NoCards {
                what: match f {
                    DeckFilter::Tag(t) => format!("the tag \"{t}\""),
                    DeckFilter::Lesson(l) => format!("the lesson \"{l}\""),
                    _ => "this deck".to_string(),
                },
            }
            .to_string(),
        }
    }

    /// The active filter.
    pub fn filter(&self) -> &DeckFilter {
        &self.filter
    }

    /// Shuffles the view with `seed` (and keeps shuffling with it after filter changes);
    /// starts at the first card.
    pub fn shuffle(&mut self, seed: u64) {
        self.shuffle_seed = Some(seed);
        self.view
            .sort_by_key(|id| self.all.iter().position(|a| a == id));
        SplitMix64::new(seed).shuffle(&mut self.view);
        self.pos = 0;
        self.flipped = false;
        self.finished = false;
        self.turned.clear();
    }

    /// Back to content order; the current card stays current.
    pub fn unshuffle(&mut self) {
        let keep = self.current();
        self.shuffle_seed = None;
        self.view
            .sort_by_key(|id| self.all.iter().position(|a| a == id));
        self.pos = keep
            .and_then(|id| self.view.iter().position(|&v| v == id))
            .unwrap_or(0);
    }

    /// Whether the view is shuffled.
    pub fn is_shuffled(&self) -> bool {
        self.shuffle_seed.is_some()
    }

    /// The card id shown; `None` for an empty deck or once the pass is finished.
    pub fn current(&self) -> Option<u32> {
        if self.finished {
            return None;
        }
        self.view.get(self.pos).copied()
    }

    /// The card ids in view, in order.
    pub fn view(&self) -> &[u32] {
        &self.view
    }

    /// 1-based position and deck size, `(0, 0)` for an empty deck (the last card's position
    /// once finished).
    pub fn position(&self) -> (usize, usize) {
        if self.view.is_empty() {
            (0, 0)
        } else {
            (self.pos + 1, self.view.len())
        }
    }

    /// The position counter, e.g. "3/37".
    pub fn counter(&self) -> String {
        let (i, n) = self.position();
        format!("{i}/{n}")
    }

    /// Next card, front side up; after the last card the pass is finished (the summary).
    pub fn next(&mut self) {
        if self.view.is_empty() || self.finished {
            return;
        }
        if self.pos + 1 < self.view.len() {
            self.pos += 1;
        } else {
            self.finished = true;
        }
        self.flipped = false;
    }

    /// Previous card, front side up; from the summary, back to the last card; on the first
    /// card, nothing.
    pub fn previous(&mut self) {
        if self.finished {
            self.finished = false;
        } else if self.pos > 0 {
            self.pos -= 1;
        }
        self.flipped = false;
    }

    /// True once `next` went past the last card.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// The summary of this pass, once finished.
    pub fn summary(&self, progress: &Progress) -> Option<DeckSummary> {
        self.finished.then(|| DeckSummary {
            cards: self.view.len(),
            turned: self.turned.len(),
            starred: self
                .view
                .iter()
                .filter(|id| progress.is_starred(**id))
                .count(),
        })
    }

    /// A new pass from the first card (same filter and order).
    pub fn restart(&mut self) {
        self.pos = 0;
        self.flipped = false;
        self.finished = false;
        self.turned.clear();
    }

    /// Jumps to `card_id` if it is in view.
    pub fn go_to(&mut self, card_id: u32) -> bool {
        match self.view.iter().position(|&v| v == card_id) {
            Some(p) => {
                self.pos = p;
                self.flipped = false;
                true
            }
            None => false,
        }
    }

    /// Turns the card over (nothing once the pass is finished).
    pub fn flip(&mut self) {
        let Some(id) = self.current() else {
            return;
        };
        self.flipped = !self.flipped;
        if self.flipped {
            self.turned.insert(id);
        }
    }

    /// True when the back is showing.
    pub fn is_flipped(&self) -> bool {
        self.flipped
    }

    /// Stars/unstars the current card in `progress`; returns the new state.
    pub fn toggle_star(&self, progress: &mut Progress) -> Option<bool> {
        self.current().map(|id| progress.toggle_star(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_cards::deck;

    #[test]
    fn counter_navigation_stops_at_the_ends_and_flip_resets() {
        let cards = deck(37);
        let mut d = FlashcardDeck::new(&cards);
        assert_eq!(d.counter(), "1/37");
        d.previous();
        assert_eq!(d.counter(), "1/37", "no wrap backwards");
        d.next();
        d.next();
        assert_eq!(d.counter(), "3/37");
        assert_eq!(d.current(), Some(3));
        d.flip();
        assert!(d.is_flipped());
        d.previous();
        assert!(!d.is_flipped());
        assert!(d.go_to(20));
        assert_eq!(d.counter(), "20/37");
        assert!(!d.go_to(99));
    }

    #[test]
    fn the_last_card_leads_to_a_summary_not_back_to_card_one() {
        let cards = deck(37);
        let mut p = Progress::fresh();
        p.toggle_star(5);
        p.toggle_star(36);
        let mut d = FlashcardDeck::new(&cards);
        assert_eq!(d.summary(&p), None);
        for i in 0..37 {
            if i % 2 == 0 {
                d.flip();
                d.flip();
                d.flip();
            }
            d.next();
        }
        assert!(d.is_finished());
        assert_eq!(d.current(), None, "not card 1 again");
        assert_eq!(
            d.summary(&p),
            Some(DeckSummary {
                cards: 37,
                turned: 19,
                starred: 2
            })
        );
        d.next();
        assert!(d.is_finished(), "next on the summary stays there");
        d.flip();
        assert!(!d.is_flipped());
        d.previous();
        assert_eq!(d.current(), Some(37), "back to the last card");
        d.next();
        d.restart();
        assert_eq!((d.current(), d.counter().as_str()), (Some(1), "1/37"));
        assert_eq!(d.summary(&p), None);
    }

    #[test]
    fn filters_by_tag_lesson_and_star() {
        let cards = deck(10);
        let mut p = Progress::fresh();
        let mut d = FlashcardDeck::new(&cards);
        d.go_to(5);
        d.set_filter(&cards, &p, DeckFilter::Tag("gan".into()));
        assert_eq!(d.view(), &[1, 3, 5, 7, 9]);
        assert_eq!(d.counter(), "3/5", "current card kept");
        d.set_filter(&cards, &p, DeckFilter::Lesson("diffusion-forward".into()));
        assert_eq!(d.view(), &[2, 4, 6, 8, 10]);
        assert_eq!(d.counter(), "1/5");
        d.next();
        assert_eq!(d.toggle_star(&mut p), Some(true));
        p.toggle_star(9);
        d.set_filter(&cards, &p, DeckFilter::Starred);
        assert_eq!(d.view(), &[4, 9]);
        d.set_filter(&cards, &p, DeckFilter::Tag("vae".into()));
        assert!(d.is_empty());
        assert!(d.empty_message().contains("vae"));
    }

    #[test]
    fn starred_with_nothing_starred_is_an_empty_deck_with_its_own_message() {
        let cards = deck(37);
        let p = Progress::fresh();
        let mut d = FlashcardDeck::new(&cards);
        d.set_filter(&cards, &p, DeckFilter::Starred);
        assert!(d.is_empty());
        assert_eq!(d.filter(), &DeckFilter::Starred, "the choice is kept");
        assert_eq!((d.current(), d.counter().as_str()), (None, "0/0"));
        assert!(
            d.empty_message().starts_with("No starred cards yet"),
            "{}",
            d.empty_message()
        );
        d.next();
        d.flip();
        assert!(!d.is_finished() && !d.is_flipped());
        d.set_filter(&cards, &p, DeckFilter::All);
        assert_eq!(d.counter(), "1/37");
    }

    #[test]
    fn a_filter_lists_the_ids_of_a_lesson_or_tag_in_content_order() {
        let cards = deck(6);
        let mut p = Progress::fresh();
        assert_eq!(DeckFilter::All.ids(&cards, &p), vec![1, 2, 3, 4, 5, 6]);
        assert_eq!(DeckFilter::Tag("gan".into()).ids(&cards, &p), vec![1, 3, 5]);
        let diffusion = DeckFilter::Lesson("diffusion-forward".into());
        assert_eq!(diffusion.ids(&cards, &p), vec![2, 4, 6]);
        assert!(DeckFilter::Starred.ids(&cards, &p).is_empty());
        p.toggle_star(4);
        assert_eq!(DeckFilter::Starred.ids(&cards, &p), vec![4]);
    }

    #[test]
    fn seeded_shuffle_is_reproducible_and_survives_filtering() {
        let cards = deck(37);
        let p = Progress::fresh();
        let mut a = FlashcardDeck::new(&cards);
        let mut b = FlashcardDeck::new(&cards);
        a.shuffle(42);
        b.shuffle(42);
        assert_eq!(a.view(), b.view());
        assert_ne!(a.view(), FlashcardDeck::new(&cards).view());
        let mut sorted = a.view().to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, (1..=37).collect::<Vec<u32>>());
        a.set_filter(&cards, &p, DeckFilter::Tag("gan".into()));
        assert!(a.is_shuffled());
        assert_eq!(a.view().len(), 19);
        assert_ne!(a.view(), &(1..=37).step_by(2).collect::<Vec<u32>>()[..]);
        a.go_to(7);
        a.unshuffle();
        assert_eq!(a.current(), Some(7));
        assert_eq!(a.view()[..3], [1, 3, 5]);
    }
}
