//! Flashcards mode: a deck view with a filter, optional seeded shuffle, stars, a position
//! counter ("3/37") and a flip state.
//!
//! Navigation wraps: `next` on the last card goes to the first and `previous` on the first
//! goes to the last (a deck is a loop; the counter shows where you are). Moving always shows
//! the front. Unstarring a card under the `Starred` filter keeps it in view until the filter
//! is applied again, so the card does not vanish under the learner's finger.

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

    /// Applies `filter`. If no card matches, the deck is left unchanged and an error says so.
    /// The current card stays current if it is still in view; otherwise the view starts at
    /// its first card.
    pub fn set_filter(
        &mut self,
        cards: &[Card],
        progress: &Progress,
        filter: DeckFilter,
    ) -> Result<(), StudyError> {
        let view = self.matching(cards, progress, &filter);
        if view.is_empty() {
            let what = match &filter {
                DeckFilter::All => "this deck".to_string(),
                DeckFilter::Tag(t) => format!("the tag \"{t}\""),
                DeckFilter::Lesson(l) => format!("the lesson \"{l}\""),
                DeckFilter::Starred => "the starred filter (star some cards first)".to_string(),
            };
            return Err(StudyError::NoCards { what });
        }
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
        Ok(())
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

    /// The card id shown, if the deck is not empty.
    pub fn current(&self) -> Option<u32> {
        self.view.get(self.pos).copied()
    }

    /// The card ids in view, in order.
    pub fn view(&self) -> &[u32] {
        &self.view
    }

    /// 1-based position and deck size, `(0, 0)` for an empty deck.
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

    /// Next card, wrapping from the last to the first; front side up.
    pub fn next(&mut self) {
        if !self.view.is_empty() {
            self.pos = (self.pos + 1) % self.view.len();
        }
        self.flipped = false;
    }

    /// Previous card, wrapping from the first to the last; front side up.
    pub fn previous(&mut self) {
        if !self.view.is_empty() {
            self.pos = (self.pos + self.view.len() - 1) % self.view.len();
        }
        self.flipped = false;
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

    /// Turns the card over.
    pub fn flip(&mut self) {
        self.flipped = !self.flipped;
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
    fn counter_navigation_wraps_and_flip_resets() {
        let cards = deck(37);
        let mut d = FlashcardDeck::new(&cards);
        assert_eq!(d.counter(), "1/37");
        d.next();
        d.next();
        assert_eq!(d.counter(), "3/37");
        assert_eq!(d.current(), Some(3));
        d.flip();
        assert!(d.is_flipped());
        d.previous();
        assert!(!d.is_flipped());
        d.previous();
        d.previous();
        assert_eq!(d.counter(), "37/37", "previous wraps to the last");
        d.next();
        assert_eq!(d.current(), Some(1), "next wraps to the first");
        assert!(d.go_to(20));
        assert_eq!(d.counter(), "20/37");
        assert!(!d.go_to(99));
    }

    #[test]
    fn filters_by_tag_lesson_and_star() {
        let cards = deck(10);
        let mut p = Progress::fresh();
        let mut d = FlashcardDeck::new(&cards);
        d.go_to(5);
        d.set_filter(&cards, &p, DeckFilter::Tag("gan".into()))
            .expect("cards");
        assert_eq!(d.view(), &[1, 3, 5, 7, 9]);
        assert_eq!(d.counter(), "3/5", "current card kept");
        d.set_filter(&cards, &p, DeckFilter::Lesson("diffusion-forward".into()))
            .expect("cards");
        assert_eq!(d.view(), &[2, 4, 6, 8, 10]);
        assert_eq!(d.counter(), "1/5");
        let err = d.set_filter(&cards, &p, DeckFilter::Starred).unwrap_err();
        assert!(err.to_string().contains("star"), "{err}");
        assert_eq!(
            d.view(),
            &[2, 4, 6, 8, 10],
            "unchanged after an empty filter"
        );
        d.next();
        assert_eq!(d.toggle_star(&mut p), Some(true));
        p.toggle_star(9);
        d.set_filter(&cards, &p, DeckFilter::Starred)
            .expect("cards");
        assert_eq!(d.view(), &[4, 9]);
        assert!(d
            .set_filter(&cards, &p, DeckFilter::Tag("vae".into()))
            .is_err());
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
        a.set_filter(&cards, &p, DeckFilter::Tag("gan".into()))
            .expect("cards");
        assert!(a.is_shuffled());
        assert_eq!(a.view().len(), 19);
        assert_ne!(a.view(), &(1..=37).step_by(2).collect::<Vec<u32>>()[..]);
        a.go_to(7);
        a.unshuffle();
        assert_eq!(a.current(), Some(7));
        assert_eq!(a.view()[..3], [1, 3, 5]);
    }
}
