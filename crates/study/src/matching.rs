//! Matching mode: boards of up to 6 term/definition pairs, shuffled; the learner picks a
//! term and a definition by index. A wrong pair is reported (the UI flashes it) and counted;
//! a board's time runs from when it is first shown ([`MatchingGame::start_clock`], which the UI
//! calls once the board is painted) or first touched, whichever comes first, to its last match
//! (injected `now_ms`), so time spent loading or in a hidden tab is not counted. Only full
//! boards of [`BOARD_PAIRS`] pairs compete for the best time, so small decks cannot set an
//! unbeatable record.

use super::progress::Progress;
use super::rng::SplitMix64;
use super::StudyError;
use gentutor_content::cards::Card;

/// Pairs per board.
pub const BOARD_PAIRS: usize = 6;

/// Which column a tile is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Term,
    Definition,
}

/// One tile on the board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tile {
    pub card_id: u32,
    pub text: String,
    pub matched: bool,
}

/// A finished board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoardResult {
    pub elapsed_ms: u64,
    pub mistakes: u32,
    /// This was a full board and beat the saved best time.
    pub new_best: bool,
    /// The board had [`BOARD_PAIRS`] pairs (only those count for the best time).
    pub full_board: bool,
}

/// What a click did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelectOutcome {
    /// The tile is now selected (waiting for the other side).
    Selected { side: Side, index: usize },
    /// The selected tile was clicked again and is no longer selected.
    Deselected,
    /// A right pair; `finished` is set when it was the last pair.
    Matched {
        term: usize,
        definition: usize,
        finished: Option<BoardResult>,
    },
    /// A wrong pair, to flash; both are unselected.
    Wrong { term: usize, definition: usize },
    /// Out of range, already matched, or the board is finished.
    Ignored,
}

/// A Matching game over a set of cards.
#[derive(Debug, Clone)]
pub struct MatchingGame {
    order: Vec<u32>,
    next: usize,
    rng: SplitMix64,
    texts: Vec<(u32, String, String)>,
    /// Term tiles, shuffled.
    pub terms: Vec<Tile>,
    /// Definition tiles, shuffled independently.
    pub definitions: Vec<Tile>,
    selected: Option<(Side, usize)>,
    /// When the clock started (`None`: the board has not been shown or touched yet).
    started_ms: Option<i64>,
    mistakes: u32,
    finished: Option<BoardResult>,
}

impl MatchingGame {
    /// A game over `ids` (ids missing from `cards` or with an empty term/definition are
    /// skipped; at least two cards are needed). Deals the first board, its clock not started.
    pub fn new(cards: &[Card], ids: &[u32], seed: u64) -> Result<Self, StudyError> {
        let mut texts: Vec<(u32, String, String)> = Vec::new();
        for id in ids {
            if texts.iter().any(|t| t.0 == *id) {
                continue;
            }
            if let Some(c) = cards.iter().find(|c| c.id == *id) {
                if !c.term.trim().is_empty() && !c.definition.trim().is_empty() {
                    texts.push((c.id, c.term.clone(), c.definition.clone()));
                }
            }
        }
        if texts.len() < 2 {
            return Err(StudyError::NoCards {
                what: "a Matching game (at least two cards are needed)".into(),
            });
        }
        let mut game = Self {
            order: texts.iter().map(|t| t.0).collect(),
            next: usize::MAX,
            rng: SplitMix64::new(seed),
            texts,
            terms: Vec::new(),
            definitions: Vec::new(),
            selected: None,
            started_ms: None,
            mistakes: 0,
            finished: None,
        };
        game.next_board();
        Ok(game)
    }

    /// Deals the next board (clock not started): the next cards of a shuffled pass over the
    /// deck, reshuffling when fewer than a full board remain.
    pub fn next_board(&mut self) {
        let size = BOARD_PAIRS.min(self.order.len());
        if self.next.saturating_add(size) > self.order.len() {
            self.rng.shuffle(&mut self.order);
            self.next = 0;
        }
        let ids: Vec<u32> = self.order[self.next..self.next + size].to_vec();
        self.next += size;
        let tile = |id: u32, pick: fn(&(u32, String, String)) -> String| Tile {
            card_id: id,
            text: self
                .texts
                .iter()
                .find(|t| t.0 == id)
                .map(pick)
                .unwrap_or_default(),
            matched: false,
        };
        let mut terms: Vec<Tile> = ids.iter().map(|&id| tile(id, |t| t.1.clone())).collect();
        let mut defs: Vec<Tile> = ids.iter().map(|&id| tile(id, |t| t.2.clone())).collect();
        self.rng.shuffle(&mut terms);
        self.rng.shuffle(&mut defs);
        self.terms = terms;
        self.definitions = defs;
        self.selected = None;
        self.started_ms = None;
        self.mistakes = 0;
        self.finished = None;
    }

    /// Starts the board's clock at `now_ms` (the board is now visible); later calls change
    /// nothing.
    pub fn start_clock(&mut self, now_ms: i64) {
        self.started_ms.get_or_insert(now_ms);
    }

    /// Whether the clock is running or has run.
    pub fn clock_started(&self) -> bool {
        self.started_ms.is_some()
    }

    /// The currently selected tile.
    pub fn selected(&self) -> Option<(Side, usize)> {
        self.selected
    }

    /// Wrong pairs so far on this board.
    pub fn mistakes(&self) -> u32 {
        self.mistakes
    }

    /// Milliseconds since the clock started (0 before; frozen once finished).
    pub fn elapsed_ms(&self, now_ms: i64) -> u64 {
        match (self.finished, self.started_ms) {
            (Some(r), _) => r.elapsed_ms,
            (None, Some(start)) => u64::try_from(now_ms.saturating_sub(start)).unwrap_or(0),
            (None, None) => 0,
        }
    }

    /// The result once every pair is matched.
    pub fn finished(&self) -> Option<BoardResult> {
        self.finished
    }

    /// Clicks tile `index` on `side` at `now_ms`. A finished full board's time is offered to
    /// `progress` as a best time.
    pub fn select(
        &mut self,
        side: Side,
        index: usize,
        now_ms: i64,
        progress: &mut Progress,
    ) -> SelectOutcome {
        if self.finished.is_some() {
            return SelectOutcome::Ignored;
        }
        let tiles = match side {
            Side::Term => &self.terms,
            Side::Definition => &self.definitions,
        };
        if tiles.get(index).is_none_or(|t| t.matched) {
            return SelectOutcome::Ignored;
        }
        // A pick proves the board is visible, even if the UI never called start_clock.
        self.start_clock(now_ms);
        let (term, definition) = match self.selected {
            None => {
                self.selected = Some((side, index));
                return SelectOutcome::Selected { side, index };
            }
            Some(sel) if sel == (side, index) => {
                self.selected = None;
                return SelectOutcome::Deselected;
            }
            Some((s, _)) if s == side => {
                self.selected = Some((side, index));
                return SelectOutcome::Selected { side, index };
            }
            Some((Side::Term, t)) => (t, index),
            Some((Side::Definition, d)) => (index, d),
        };
        self.selected = None;
        let (Some(t), Some(d)) = (self.terms.get(term), self.definitions.get(definition)) else {
            return SelectOutcome::Ignored;
        };
        if t.card_id != d.card_id {
            self.mistakes = self.mistakes.saturating_add(1);
            return SelectOutcome::Wrong { term, definition };
        }
        if let Some(t) = self.terms.get_mut(term) {
            t.matched = true;
        }
        if let Some(d) = self.definitions.get_mut(definition) {
            d.matched = true;
        }
        let finished = if self.terms.iter().all(|t| t.matched) {
            let elapsed_ms = self.elapsed_ms(now_ms);
            let full_board = self.terms.len() == BOARD_PAIRS;
            let new_best = full_board && progress.record_matching_time(elapsed_ms);
            let r = BoardResult {
                elapsed_ms,
                mistakes: self.mistakes,
                new_best,
                full_board,
            };
            self.finished = Some(r);
            Some(r)
        } else {
            None
        };
        SelectOutcome::Matched {
            term,
            definition,
            finished,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_cards::deck;

    fn def_index(g: &MatchingGame, card_id: u32) -> usize {
        g.definitions
            .iter()
            .position(|d| d.card_id == card_id)
            .unwrap_or(usize::MAX)
    }

    /// Solves the board perfectly, one pair per second from `t0`; returns the last outcome.
    fn solve(g: &mut MatchingGame, p: &mut Progress, t0: i64) -> SelectOutcome {
        let mut last = SelectOutcome::Ignored;
        for i in 0..g.terms.len() {
            let id = g.terms[i].card_id;
            let d = def_index(g, id);
            let now = t0 + 1000 * (i as i64 + 1);
            assert_eq!(
                g.select(Side::Term, i, now, p),
                SelectOutcome::Selected {
                    side: Side::Term,
                    index: i
                }
            );
            last = g.select(Side::Definition, d, now, p);
        }
        last
    }

    #[test]
    fn board_has_six_shuffled_pairs() {
        let cards = deck(10);
        let ids: Vec<u32> = (1..=10).collect();
        let g = MatchingGame::new(&cards, &ids, 3).expect("game");
        assert_eq!(g.terms.len(), BOARD_PAIRS);
        assert_eq!(g.definitions.len(), BOARD_PAIRS);
        let mut t: Vec<u32> = g.terms.iter().map(|x| x.card_id).collect();
        let d: Vec<u32> = g.definitions.iter().map(|x| x.card_id).collect();
        assert_ne!(t, d, "columns shuffled independently");
        t.sort_unstable();
        let mut d2 = d.clone();
        d2.sort_unstable();
        assert_eq!(t, d2, "same cards in both columns");
        for tile in &g.terms {
            assert_eq!(tile.text, format!("Term {}", tile.card_id));
        }
    }

    #[test]
    fn wrong_pair_is_reported_and_counted() {
        let cards = deck(6);
        let ids: Vec<u32> = (1..=6).collect();
        let mut p = Progress::fresh();
        let mut g = MatchingGame::new(&cards, &ids, 1).expect("game");
        let id0 = g.terms[0].card_id;
        let wrong_d = g
            .definitions
            .iter()
            .position(|d| d.card_id != id0)
            .unwrap_or(0);
        g.select(Side::Definition, wrong_d, 10, &mut p);
        assert_eq!(
            g.select(Side::Term, 0, 20, &mut p),
            SelectOutcome::Wrong {
                term: 0,
                definition: wrong_d
            }
        );
        assert_eq!(g.mistakes(), 1);
        assert_eq!(g.selected(), None);
        // Re-clicking a selected tile deselects; same-side click moves the selection.
        g.select(Side::Term, 0, 30, &mut p);
        assert_eq!(
            g.select(Side::Term, 0, 30, &mut p),
            SelectOutcome::Deselected
        );
        g.select(Side::Term, 0, 30, &mut p);
        assert_eq!(
            g.select(Side::Term, 1, 30, &mut p),
            SelectOutcome::Selected {
                side: Side::Term,
                index: 1
            }
        );
        assert_eq!(g.select(Side::Term, 99, 30, &mut p), SelectOutcome::Ignored);
    }

    #[test]
    fn completion_time_and_best_time() {
        let cards = deck(12);
        let ids: Vec<u32> = (1..=12).collect();
        let mut p = Progress::fresh();
        let mut g = MatchingGame::new(&cards, &ids, 7).expect("game");
        g.start_clock(5_000);
        let SelectOutcome::Matched {
            finished: Some(r), ..
        } = solve(&mut g, &mut p, 5_000)
        else {
            panic!("board should be finished");
        };
        assert_eq!(r.elapsed_ms, 6_000);
        assert!(r.new_best && r.full_board);
        assert_eq!(p.matching_best_ms, Some(6_000));
        assert_eq!(
            g.select(Side::Term, 0, 9_000, &mut p),
            SelectOutcome::Ignored
        );
        assert_eq!(g.elapsed_ms(99_000), 6_000, "timer frozen");
        // Second board: the other six cards, slower (one mistake adds no time here, but 2 s wait).
        let first: Vec<u32> = g.terms.iter().map(|t| t.card_id).collect();
        g.next_board();
        g.start_clock(20_000);
        assert!(g.terms.iter().all(|t| !first.contains(&t.card_id)));
        let SelectOutcome::Matched {
            finished: Some(r2), ..
        } = solve(&mut g, &mut p, 22_000)
        else {
            panic!("finished");
        };
        assert_eq!(r2.elapsed_ms, 8_000);
        assert!(!r2.new_best);
        assert_eq!(p.matching_best_ms, Some(6_000));
    }

    #[test]
    fn the_clock_starts_when_the_board_is_shown_not_when_it_is_dealt() {
        let cards = deck(12);
        let ids: Vec<u32> = (1..=12).collect();
        let mut p = Progress::fresh();
        // Dealt while the page was still loading: no time passes until it is shown.
        let mut g = MatchingGame::new(&cards, &ids, 7).expect("game");
        assert!(!g.clock_started());
        assert_eq!(g.elapsed_ms(1_000_000), 0);
        g.start_clock(10_000);
        g.start_clock(12_000);
        assert_eq!(g.elapsed_ms(13_000), 3_000, "the first start counts");
        let SelectOutcome::Matched {
            finished: Some(r), ..
        } = solve(&mut g, &mut p, 10_000)
        else {
            panic!("finished");
        };
        assert_eq!(r.elapsed_ms, 6_000);
        // The next board waits for its own start; a first pick also starts it.
        g.next_board();
        assert_eq!(g.elapsed_ms(50_000), 0);
        g.select(Side::Term, 0, 60_000, &mut p);
        assert_eq!(g.elapsed_ms(61_500), 1_500);
    }

    #[test]
    fn small_decks_play_but_do_not_set_records_and_tiny_ones_error() {
        let cards = deck(3);
        let mut p = Progress::fresh();
        let mut g = MatchingGame::new(&cards, &[1, 2, 3], 0).expect("game");
        assert_eq!(g.terms.len(), 3);
        let SelectOutcome::Matched {
            finished: Some(r), ..
        } = solve(&mut g, &mut p, 0)
        else {
            panic!("finished");
        };
        assert!(!r.full_board && !r.new_best);
        assert_eq!(p.matching_best_ms, None);
        assert!(MatchingGame::new(&cards, &[1], 0).is_err());
    }
}
