//! A progress bar on standard error for long runs (`match` over every need), drawn only when
//! standard error is a terminal, at most once per percent, and cleared when done.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Cells of the bar.
const WIDTH: usize = 30;

/// Draws "label [█████░░░░░] 45 % 112,500 / 250,000" on standard error as work goes on.
pub struct ProgressBar {
    label: &'static str,
    shown: bool,
    last_percent: AtomicUsize,
}

impl ProgressBar {
    /// A bar that draws only when standard error is a terminal.
    pub fn on_terminal(label: &'static str) -> ProgressBar {
        ProgressBar {
            label,
            shown: std::io::stderr().is_terminal(),
            last_percent: AtomicUsize::new(usize::MAX),
        }
    }

    /// A bar that never draws.
    pub fn hidden() -> ProgressBar {
        ProgressBar {
            label: "",
            shown: false,
            last_percent: AtomicUsize::new(usize::MAX),
        }
    }

    /// Tells the bar that `done` of `total` are done.
    pub fn update(&self, done: usize, total: usize) {
        if !self.shown || total == 0 {
            return;
        }
        let percent = done.min(total) * 100 / total;
        if self.last_percent.swap(percent, Ordering::Relaxed) == percent {
            return;
        }
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r{}", render(self.label, done, total));
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

/// One line of the bar.
fn render(label: &str, done: usize, total: usize) -> String {
    let done = done.min(total);
    let filled = (done * WIDTH).checked_div(total).unwrap_or(WIDTH);
    let percent = (done * 100).checked_div(total).unwrap_or(100);
    format!(
        "{label} [{}{}] {percent:>3} % {} / {}",
        "█".repeat(filled),
        "░".repeat(WIDTH - filled),
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
            render("needs", 0, 250_000),
            format!("needs [{}]   0 % 0 / 250,000", "░".repeat(WIDTH))
        );
        let half = render("needs", 125_000, 250_000);
        assert!(half.contains(&"█".repeat(WIDTH / 2)), "{half}");
        assert!(half.ends_with(" 50 % 125,000 / 250,000"), "{half}");
        assert!(render("needs", 7, 7).contains(&"█".repeat(WIDTH)));
        assert_eq!(grouped(1_000_000), "1,000,000");
        assert_eq!(grouped(999), "999");
    }
}
