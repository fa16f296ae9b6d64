//! Where a query shows in a title: fuzzy positions (compact runs only) or the query's words,
//! as character positions; and a line with those characters highlighted.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

/// A fuzzy match counts only when its characters lie within this many times the query's length:
/// scattered letters across a long title are noise, not a match.
const COMPACT_SPAN: usize = 2;

/// The score and character positions of a compact fuzzy match of `query` in `text`.
pub fn fuzzy(matcher: &SkimMatcherV2, text: &str, query: &str) -> Option<(i64, Vec<usize>)> {
    let query = query.trim();
    if query.is_empty() || query.contains(char::is_whitespace) {
        return None;
    }
    let (score, positions) = matcher.fuzzy_indices(text, query)?;
    let first = *positions.first()?;
    let last = *positions.last()?;
    let span = last - first + 1;
    (span <= query.chars().count() * COMPACT_SPAN).then_some((score, positions))
}

/// Character positions of `text` to highlight for `query`: the fuzzy match, else every
/// case-insensitive occurrence of each word of the query.
pub fn positions(text: &str, query: &str) -> Vec<usize> {
    let matcher = SkimMatcherV2::default().ignore_case();
    if let Some((_, p)) = fuzzy(&matcher, text, query) {
        return p;
    }
    let lower: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    if lower.len() != text.chars().count() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for word in query.split_whitespace() {
        let w: Vec<char> = word.chars().flat_map(char::to_lowercase).collect();
        if w.is_empty() || w.len() > lower.len() {
            continue;
        }
        for start in 0..=lower.len() - w.len() {
            if lower[start..start + w.len()] == w[..] {
                out.extend(start..start + w.len());
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// `text` cut to `width` columns (never mid-character, `…` when cut), with the characters at
/// `marked` positions in `hit` style.
pub fn spans(text: &str, width: usize, marked: &[usize], base: Style, hit: Style) -> Line<'static> {
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    let limit = if total > width {
        width.saturating_sub(1)
    } else {
        width
    };
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut current = String::new();
    let mut current_hit = false;
    let mut used = 0;
    for (i, c) in text.chars().enumerate() {
        let w = c.width().unwrap_or(0);
        if used + w > limit {
            break;
        }
        used += w;
        let is_hit = marked.binary_search(&i).is_ok();
        if is_hit != current_hit && !current.is_empty() {
            let style = if current_hit { hit } else { base };
            spans.push(Span::styled(std::mem::take(&mut current), style));
        }
        current_hit = is_hit;
        current.push(c);
    }
    if !current.is_empty() {
        spans.push(Span::styled(current, if current_hit { hit } else { base }));
    }
    if total > width && width > 0 {
        spans.push(Span::styled("…", base));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_fuzzy_matches_only() {
        let m = SkimMatcherV2::default().ignore_case();
        assert!(fuzzy(&m, "Pancreatic cancer cfDNA", "panc").is_some());
        assert!(fuzzy(&m, "膵がん 全ゲノム", "膵がん").is_some());
        // p…a…n…c scattered over a long title is not a match.
        assert!(fuzzy(&m, "Pediatric leukemia: an RNA cohort", "panc").is_none());
    }

    #[test]
    fn words_are_found_case_insensitively() {
        assert_eq!(positions("BRCA1変異 乳がん WGS", "wgs"), vec![12, 13, 14]);
        assert_eq!(positions("肺がん WGS", "肺がん"), vec![0, 1, 2]);
        assert!(positions("肺がん", "").is_empty());
    }

    #[test]
    fn cut_lines_never_split_characters() {
        let line = spans(
            "小児固形腫瘍コホート",
            7,
            &[0, 1],
            Style::new(),
            Style::new(),
        );
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "小児固…");
        assert_eq!(line.spans.len(), 3);
    }
}
