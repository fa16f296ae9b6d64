//! Phase timings on standard error when `MUSUBI_TRACE=1`, for finding where a command spends
//! its time (docs/performance.md). Off, it costs one environment lookup per process.

use std::sync::OnceLock;
use std::time::Instant;

/// True when `MUSUBI_TRACE=1` is set.
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("MUSUBI_TRACE").is_some_and(|v| v == "1"))
}

/// Runs `work` and, when tracing, prints how long the phase `name` took.
pub fn phase<T>(name: &str, work: impl FnOnce() -> T) -> T {
    if !enabled() {
        return work();
    }
    let started = Instant::now();
    let out = work();
    eprintln!(
        "musubi trace: {name}: {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    out
}
