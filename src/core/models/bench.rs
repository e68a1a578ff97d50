//! Generic steps-per-second timing for any model demo, with the clock injected (`Instant` natively,
//! `performance.now()` in the browser), so core code never reads the system time.

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
}
