//! The tab bar of the five kinds with their counts; also tells which tab a column falls on.

use super::super::strings;
use super::super::theme::Theme;
use crate::model::Kind;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

/// The labels of the tabs, in order, with counts.
pub fn labels(counts: &[usize; 5]) -> Vec<String> {
    Kind::ALL
        .iter()
        .zip(counts)
        .map(|(k, n)| strings::tab_label(k.plural_title(), *n))
        .collect()
}

/// The tab bar line; the current kind is shown selected.
pub fn line(counts: &[usize; 5], current: Kind, theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    for (kind, label) in Kind::ALL.iter().zip(labels(counts)) {
        let style = if *kind == current {
            theme.selection
        } else {
            theme.accent
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw("│"));
    }
    Line::from(spans)
}

/// The kind whose tab covers `column` (counted from the bar's left edge).
pub fn kind_at(counts: &[usize; 5], column: u16) -> Option<Kind> {
    let mut x = 0usize;
    for (kind, label) in Kind::ALL.iter().zip(labels(counts)) {
        let w = label.width();
        if (column as usize) >= x && (column as usize) < x + w {
            return Some(*kind);
        }
        x += w + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_map_to_tabs() {
        let counts = [38, 43, 29, 17, 33];
        // " Datasets 38 " is 13 columns, then a separator.
        assert_eq!(kind_at(&counts, 0), Some(Kind::Dataset));
        assert_eq!(kind_at(&counts, 12), Some(Kind::Dataset));
        assert_eq!(kind_at(&counts, 13), None);
        assert_eq!(kind_at(&counts, 14), Some(Kind::Researcher));
        assert_eq!(kind_at(&counts, 200), None);
    }
}
