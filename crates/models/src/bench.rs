//! Generic steps-per-second timing for any model demo, with the clock injected (`Instant` natively,
//! `performance.now()` in the browser), so core code never reads the system time.

/// The digit models' suite, shared by the native example and `/bench`.
pub mod suite;

/// Result of [`bench_steps`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BenchReport {
    /// Timed steps.
    pub steps: usize,
    /// Wall time of the timed steps in milliseconds.
    pub elapsed_ms: f64,
    /// steps * 1000 / elapsed_ms (infinite if the clock did not advance).
    pub steps_per_sec: f64,
}

/// Runs `warmup` untimed steps, then times `steps` steps. `step(n)` runs `n` training steps of
/// any model (errors such as divergence are passed through); `now()` returns milliseconds.
pub fn bench_steps<E>(
    mut step: impl FnMut(usize) -> Result<(), E>,
    warmup: usize,
    steps: usize,
    mut now: impl FnMut() -> f64,
) -> Result<BenchReport, E> {
    step(warmup)?;
    let t0 = now();
    step(steps)?;
    let elapsed_ms = now() - t0;
    let steps_per_sec = if elapsed_ms > 0.0 {
        steps as f64 * 1000.0 / elapsed_ms
    } else {
        f64::INFINITY
    };
    Ok(BenchReport {
        steps,
        elapsed_ms,
        steps_per_sec,
    })
}

/// Trains in chunks of `chunk` steps until `budget_ms` of the frame is used (at least one chunk),
/// so training shares each animation frame with drawing instead of taking a fixed step count.
/// Returns the steps run. `now()` returns milliseconds.
pub fn train_within_budget<E>(
    mut step: impl FnMut(usize) -> Result<(), E>,
    chunk: usize,
    budget_ms: f64,
    mut now: impl FnMut() -> f64,
) -> Result<usize, E> {
    let chunk = chunk.max(1);
    let t0 = now();
    let mut done = 0;
    loop {
        step(chunk)?;
        done += chunk;
        if now() - t0 >= budget_ms {
            return Ok(done);
        }
    }
}

/// Frame timing from the timestamps of consecutive animation frames, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrameStats {
    pub frames: usize,
    /// Mean interval between frames.
    pub mean_ms: f64,
    /// 95th percentile of the intervals (nearest rank).
    pub p95_ms: f64,
    /// 1000 / mean interval.
    pub fps: f64,
}

impl FrameStats {
    /// `None` for fewer than two timestamps.
    pub fn from_timestamps(ts: &[f64]) -> Option<FrameStats> {
        if ts.len() < 2 {
            return None;
        }
        let mut d: Vec<f64> = ts.windows(2).map(|w| w[1] - w[0]).collect();
        let mean = d.iter().sum::<f64>() / d.len() as f64;
        d.sort_by(f64::total_cmp);
        let rank = ((0.95 * d.len() as f64).ceil() as usize).clamp(1, d.len());
        Some(FrameStats {
            frames: d.len(),
            mean_ms: mean,
            p95_ms: d[rank - 1],
            fps: if mean > 0.0 {
                1000.0 / mean
            } else {
                f64::INFINITY
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uses_injected_clock_and_counts_steps() {
        let mut done = 0usize;
        let mut t = 0.0;
        // The fake clock advances 250 ms per call: one call before and one after the timed run.
        let r = bench_steps(
            |n| -> Result<(), String> {
                done += n;
                Ok(())
            },
            3,
            100,
            || {
                t += 250.0;
                t
            },
        );
        assert_eq!(done, 103);
        let r = r.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.elapsed_ms, 250.0);
        assert_eq!(r.steps_per_sec, 400.0);
        let frozen = bench_steps(|_| -> Result<(), String> { Ok(()) }, 0, 5, || 1.0);
        assert_eq!(frozen.map(|r| r.steps_per_sec), Ok(f64::INFINITY));
        let failing = bench_steps(|_| Err("diverged"), 1, 5, || 0.0);
        assert_eq!(failing, Err("diverged"));
    }

    #[test]
    fn budget_training_stops_once_the_budget_is_used() {
        let t = std::cell::Cell::new(0.0);
        let mut done = 0;
        // Each chunk of 4 steps takes 3 ms on the fake clock; the budget is 8 ms: 3 chunks.
        let n = train_within_budget(
            |k| -> Result<(), String> {
                done += k;
                t.set(t.get() + 3.0);
                Ok(())
            },
            4,
            8.0,
            || t.get(),
        );
        assert_eq!(n, Ok(12));
        assert_eq!(done, 12);
        // A zero budget still trains one chunk; a chunk of 0 counts as 1.
        assert_eq!(
            train_within_budget(|_| -> Result<(), String> { Ok(()) }, 0, 0.0, || 5.0),
            Ok(1)
        );
        assert_eq!(
            train_within_budget(|_| Err("nan"), 2, 8.0, || 0.0),
            Err("nan")
        );
    }

    #[test]
    fn frame_stats_from_timestamps() {
        let ts = [0.0, 16.0, 32.0, 48.0, 64.0, 114.0];
        let s = FrameStats::from_timestamps(&ts).unwrap();
        assert_eq!(s.frames, 5);
        assert_eq!(s.mean_ms, 114.0 / 5.0);
        assert_eq!(s.p95_ms, 50.0);
        assert!((s.fps - 1000.0 / 22.8).abs() < 1e-9);
        assert_eq!(FrameStats::from_timestamps(&[1.0]), None);
    }
}
