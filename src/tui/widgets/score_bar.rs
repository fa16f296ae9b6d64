//! A score between 0 and 1 drawn as a bar of eighth blocks with its value.

/// The bar of `width` cells for `score` (clamped to 0..=1), e.g. `██████▍░░░`.
pub fn bar(score: f64, width: usize) -> String {
    const EIGHTHS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let score = if score.is_finite() {
        score.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let total = (score * width as f64 * 8.0).round() as usize;
    let full = total / 8;
    let rest = total % 8;
    let mut out = String::new();
    for _ in 0..full.min(width) {
        out.push('█');
    }
    if full < width {
        if rest > 0 {
            out.push(EIGHTHS[rest]);
        } else {
            out.push('░');
        }
        for _ in full + 1..width {
            out.push('░');
        }
    }
    out
}

/// The bar followed by the score with two decimals: `████░░░░ 0.50`.
pub fn labelled(score: f64, width: usize) -> String {
    format!(
        "{} {:.2}",
        bar(score, width),
        if score.is_finite() { score } else { 0.0 }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_fill_in_eighths() {
        assert_eq!(bar(1.0, 4), "████");
        assert_eq!(bar(0.0, 4), "░░░░");
        assert_eq!(bar(0.5, 4), "██░░");
        assert_eq!(bar(0.53, 4), "██▏░");
        assert_eq!(bar(7.0, 3), "███");
        assert_eq!(bar(f64::NAN, 2), "░░");
        assert_eq!(labelled(0.825, 4), "███▎ 0.82");
    }
}
