//! The end-of-call summary: what went well, what to review, when the next reviews are due.

use super::{How, Outcome};
use crate::scheduler::DAY_MS;

/// The summary, both as data (for the written list) and as one spoken paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// (card id, term) of the cards answered right (first time or after a hint).
    pub went_well: Vec<(u32, String)>,
    /// (card id, term) of the cards the tutor had to explain.
    pub to_review: Vec<(u32, String)>,
    /// (card id, term) of the skipped cards.
    pub skipped: Vec<(u32, String)>,
    /// The earliest next due time among the rated cards.
    pub next_due_ms: Option<i64>,
    /// When the call ended (Unix ms), to word `next_due_ms` relative to it.
    pub at_ms: i64,
    /// How long the call took (ms).
    pub duration_ms: i64,
    pub outcomes: Vec<Outcome>,
    /// The written summary, one line each.
    pub lines: Vec<String>,
    /// The spoken summary.
    pub spoken: String,
}

/// "in 10 minutes", "in 3 hours", "tomorrow", "in 4 days", "in 2 months".
pub fn when(due_ms: i64, now_ms: i64) -> String {
    let ms = due_ms.saturating_sub(now_ms);
    let minutes = (ms as f64 / 60_000.0).round() as i64;
    let hours = (ms as f64 / 3_600_000.0).round() as i64;
    let days = (ms as f64 / DAY_MS as f64).round() as i64;
    let plural = |n: i64, unit: &str| {
        if n == 1 {
            format!("in 1 {unit}")
        } else {
            format!("in {n} {unit}s")
        }
    };
    if minutes < 1 {
        "now".into()
    } else if minutes < 60 {
        plural(minutes, "minute")
    } else if hours < 24 {
        plural(hours, "hour")
    } else if days == 1 {
        "tomorrow".into()
    } else if days < 60 {
        plural(days, "day")
    } else {
        plural((days as f64 / 30.0).round() as i64, "month")
    }
}

fn list(items: &[(u32, String)]) -> String {
    let names: Vec<&str> = items.iter().map(|(_, t)| t.as_str()).collect();
    match names.len() {
        0 => String::new(),
        1 => names[0].to_string(),
        n => format!("{} and {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

impl Summary {
    /// Summarises `outcomes`; `terms` names each card.
    pub fn new(
        outcomes: &[Outcome],
        terms: &[(u32, String)],
        now_ms: i64,
        started_ms: i64,
    ) -> Self {
        let term = |id: u32| {
            terms
                .iter()
                .find(|(i, _)| *i == id)
                .map(|(_, t)| t.clone())
                .unwrap_or_else(|| format!("card {id}"))
        };
        let pick = |f: &dyn Fn(How) -> bool| -> Vec<(u32, String)> {
            outcomes
                .iter()
                .filter(|o| f(o.how))
                .map(|o| (o.card_id, term(o.card_id)))
                .collect()
        };
        let went_well = pick(&|h| h.went_well());
        let to_review = pick(&|h| h == How::Explained);
        let skipped = pick(&|h| h == How::Skipped);
        let next_due_ms = outcomes.iter().filter_map(|o| o.next_due_ms).min();
        let mut lines = Vec::new();
        let mut spoken = Vec::new();
        let rated = outcomes.iter().filter(|o| o.rating.is_some()).count();
        if outcomes.is_empty() {
            spoken.push("We didn't get to any cards this time.".to_string());
            lines.push("No cards answered.".to_string());
        } else {
            spoken.push(format!(
                "That's the end of the call. You answered {} of {} right.",
                went_well.len(),
                outcomes.len()
            ));
        }
        if !went_well.is_empty() {
            lines.push(format!("Went well: {}.", list(&went_well)));
            spoken.push(format!("Well done on {}.", list(&went_well)));
        }
        if !to_review.is_empty() {
            lines.push(format!("To review: {}.", list(&to_review)));
            spoken.push(format!(
                "Have another look at {}: the lesson links are on screen.",
                list(&to_review)
            ));
        }
        if !skipped.is_empty() {
            lines.push(format!("Skipped: {}.", list(&skipped)));
            spoken.push(format!("We skipped {}.", list(&skipped)));
        }
        if let Some(d) = next_due_ms {
            let w = when(d, now_ms);
            lines.push(format!(
                "{rated} card{} scheduled for spaced review; the next is due {w}.",
                if rated == 1 { "" } else { "s" }
            ));
            spoken.push(format!("Your next review is due {w}. Bye for now!"));
        } else {
            spoken.push("Bye for now!".to_string());
        }
        Self {
            went_well,
            to_review,
            skipped,
            next_due_ms,
            at_ms: now_ms,
            duration_ms: now_ms.saturating_sub(started_ms),
            outcomes: outcomes.to_vec(),
            lines,
            spoken: spoken.join(" "),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_times_read_naturally() {
        let t = 1_000_000_000;
        assert_eq!(when(t, t), "now");
        assert_eq!(when(t + 60_000, t), "in 1 minute");
        assert_eq!(when(t + 10 * 60_000, t), "in 10 minutes");
        assert_eq!(when(t + 3 * 3_600_000, t), "in 3 hours");
        assert_eq!(when(t + DAY_MS, t), "tomorrow");
        assert_eq!(when(t + 4 * DAY_MS, t), "in 4 days");
        assert_eq!(when(t + 90 * DAY_MS, t), "in 3 months");
    }
}
