//! A progress bar on standard error for long runs (`match` over every need), drawn only when
//! standard error is a terminal: when the percentage changes, else at most four times a
//! second, with the time taken and, once it can be told, about how long is left; cleared
//! when done.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Cells of the bar.
const WIDTH: usize = 30;

/// The least time between two drawings of the same percentage.
const REDRAW_EVERY: Duration = Duration::from_millis(250);

/// Draws "label [█████░░░░░] 45 % 112,500 / 250,000 · 3 min 10 s, about 4 min left" on
/// standard error as work goes on.
pub struct ProgressBar {
    label: &'static str,
    shown: bool,
    started: Instant,
    last_percent: AtomicUsize,
    /// When the bar was last drawn, in milliseconds after `started`.
    last_drawn_ms: AtomicU64,
}

impl ProgressBar {
    /// A bar that draws only when standard error is a terminal.
    pub fn on_terminal(label: &'static str) -> ProgressBar {
        ProgressBar {
            shown: std::io::stderr().is_terminal(),
            ..ProgressBar::hidden_with(label)
        }
    }

    /// A bar that never draws.
    pub fn hidden() -> ProgressBar {
        ProgressBar::hidden_with("")
    }

    fn hidden_with(label: &'static str) -> ProgressBar {
        ProgressBar {
            label,
            shown: false,
            started: Instant::now(),
            last_percent: AtomicUsize::new(usize::MAX),
            last_drawn_ms: AtomicU64::new(0),
        }
    }

    /// Tells the bar that `done` of `total` are done.
    pub fn update(&self, done: usize, total: usize) {
        if !self.shown || total == 0 {
            return;
        }
        let percent = done.min(total) * 100 / total;
        let elapsed = self.started.elapsed();
        let now_ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
        let same_percent = self.last_percent.swap(percent, Ordering::Relaxed) == percent;
        let drawn_ms = self.last_drawn_ms.load(Ordering::Relaxed);
        if same_percent && now_ms.saturating_sub(drawn_ms) < REDRAW_EVERY.as_millis() as u64 {
            return;
        }
        self.last_drawn_ms.store(now_ms, Ordering::Relaxed);
        let columns = crossterm::terminal::size().map_or(80, |(columns, _)| usize::from(columns));
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r\x1b[2K{}",
            fitted(self.label, done, total, elapsed, columns)
        );
        let _ = err.flush();
    }

    /// Clears the bar's line.
    pub fn finish(&self) {
        if self.shown && self.last_percent.load(Ordering::Relaxed) != usize::MAX {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }
}

/// The bar's line as wide as the terminal allows: the times before the bar's full width,
/// the bar narrower or the times left out when they do not fit, cut to the width at worst (a
/// line that wraps would not be redrawn in place).
fn fitted(label: &str, done: usize, total: usize, elapsed: Duration, columns: usize) -> String {
    let times = times(done, total, elapsed);
    let fits = |line: &str| unicode_width::UnicodeWidthStr::width(line) < columns;
    let tries = [
        (WIDTH, true),
        (WIDTH / 3, true),
        (WIDTH, false),
        (WIDTH / 3, false),
    ];
    for (cells, with_times) in tries {
        let bar = render(label, done, total, cells);
        let line = if with_times {
            format!("{bar} · {times}")
        } else {
            bar
        };
        if fits(&line) {
            return line;
        }
    }
    crate::width::truncate_to_width(
        &render(label, done, total, WIDTH / 3),
        columns.saturating_sub(1),
    )
}

/// The time taken, and about how long is left at the pace so far (once a second has passed
/// and some work is done).
fn times(done: usize, total: usize, elapsed: Duration) -> String {
    let taken = duration(elapsed);
    let done = done.min(total);
    if done == 0 || elapsed < Duration::from_secs(1) {
        return taken;
    }
    let left = elapsed.mul_f64((total - done) as f64 / done as f64);
    format!("{taken}, about {} left", duration(left))
}

/// "12 s", "4 min 05 s", "2 h 31 min".
fn duration(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min {:02} s", s / 60, s % 60),
        _ => format!("{} h {:02} min", s / 3600, s % 3600 / 60),
    }
}

/// One line of the bar, `cells` wide.
fn render(label: &str, done: usize, total: usize, cells: usize) -> String {
    let done = done.min(total);
    let filled = (done * cells).checked_div(total).unwrap_or(cells);
    let percent = (done * 100).checked_div(total).unwrap_or(100);
    format!(
        "{label} [{}{}] {percent:>3} % {} / {}",
        "█".repeat(filled),
        "░".repeat(cells - filled),
        grouped(done),
        grouped(total)
    )
}

/// 250000 → "250,000".
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_fills_with_the_work() {
        assert_eq!(
            render("needs", 0, 250_000, WIDTH),
            format!("needs [{}]   0 % 0 / 250,000", "░".repeat(WIDTH))
        );
        let half = render("needs", 125_000, 250_000, WIDTH);
        assert!(half.contains(&"█".repeat(WIDTH / 2)), "{half}");
        assert!(half.ends_with(" 50 % 125,000 / 250,000"), "{half}");
        assert!(render("needs", 7, 7, WIDTH).contains(&"█".repeat(WIDTH)));
        assert_eq!(grouped(1_000_000), "1,000,000");
        assert_eq!(grouped(999), "999");
    }

    #[test]
    fn the_times_say_what_was_taken_and_about_what_is_left() {
        assert_eq!(duration(Duration::from_secs(12)), "12 s");
        assert_eq!(duration(Duration::from_secs(245)), "4 min 05 s");
        assert_eq!(duration(Duration::from_secs(9_060)), "2 h 31 min");
        // A quarter done in 10 minutes: about 30 minutes left.
        assert_eq!(
            times(62_500, 250_000, Duration::from_secs(600)),
            "10 min 00 s, about 30 min 00 s left"
        );
        // Nothing done yet, or too soon to tell: no guess.
        assert_eq!(times(0, 250_000, Duration::from_secs(90)), "1 min 30 s");
        assert_eq!(times(10, 250_000, Duration::from_millis(500)), "0 s");
    }

    #[test]
    fn the_line_never_wraps() {
        let elapsed = Duration::from_secs(600);
        let wide = fitted("musubi: matching needs", 62_500, 250_000, elapsed, 140);
        assert!(
            wide.ends_with("25 % 62,500 / 250,000 · 10 min 00 s, about 30 min 00 s left"),
            "{wide}"
        );
        assert!(
            wide.contains(&"░".repeat(WIDTH * 3 / 4)),
            "the full bar: {wide}"
        );
        let narrower = fitted("musubi: matching needs", 62_500, 250_000, elapsed, 100);
        assert!(narrower.ends_with("about 30 min 00 s left"), "{narrower}");
        let narrow = fitted("musubi: matching needs", 62_500, 250_000, elapsed, 81);
        assert!(narrow.ends_with("25 % 62,500 / 250,000"), "{narrow}");
        for columns in [10, 40, 80, 100, 140] {
            let line = fitted("musubi: matching needs", 62_500, 250_000, elapsed, columns);
            assert!(
                unicode_width::UnicodeWidthStr::width(line.as_str()) < columns,
                "{columns}: {line}"
            );
        }
    }
}
