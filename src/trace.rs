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
        "musubi trace: {name}: {:.1} ms{}",
        started.elapsed().as_secs_f64() * 1000.0,
        memory_so_far()
    );
    out
}

/// When tracing, prints `line` (a figure a phase found).
pub fn note(line: &str) {
    if enabled() {
        eprintln!("musubi trace: {line}");
    }
}

/// The process's resident memory now and at its peak, where the system says (Linux).
fn memory_so_far() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.trim().strip_suffix("kB"))
            .and_then(|kb| kb.trim().parse::<u64>().ok())
            .map(|kb| kb / 1024)
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(now), Some(peak)) => format!(" (resident {now} MiB, peak {peak} MiB)"),
        _ => String::new(),
    }
}
