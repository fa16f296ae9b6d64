//! The fuzzy matcher's score for a query of one character, worked out in one pass over the
//! text. The first keystroke of a query reads nearly every record, and the matcher fills a
//! score matrix (allocating as it goes) for each; with one character the best alignment is
//! simply its best single position, so that is what is computed here. A test compares it
//! with the matcher on every character of generated and hand-picked texts.

use super::fuzzy_score::{in_place_bonus, match_score, FIRST_CHAR_MULTIPLIER, GAP_EXTENSION};

/// The score of `wanted` matched at `c` (character `at` of the text, after `prev`): the
/// matrix's best cell there, since skipping to it (one gap step) beats any run when nothing
/// was matched before.
fn matched_at(prev: char, c: char, at: usize, wanted: char) -> i32 {
    let mut bonus = in_place_bonus(prev, c);
    if at == 0 {
        bonus *= FIRST_CHAR_MULTIPLIER;
    }
    GAP_EXTENSION + bonus + match_score(c, wanted)
}

/// The score `SkimMatcherV2::default().ignore_case()` gives `wanted` (one character) in
/// `text`; `None` when the text does not hold it (ASCII letters compared in either case).
pub fn score(text: &str, wanted: char) -> Option<i64> {
    let mut best: Option<i32> = None;
    let mut prev = '\0';
    for (j, c) in text.chars().enumerate() {
        if c.eq_ignore_ascii_case(&wanted) {
            best = best.max(Some(matched_at(prev, c, j, wanted)));
        }
        prev = c;
    }
    best.map(i64::from)
}

/// [`score`] for an ASCII character, from the bytes: no byte of a character outside ASCII is
/// an ASCII byte, so only ASCII characters can match (found by byte search), and the character
/// before a match is outside ASCII (a lower-case letter to the matcher) exactly when the byte
/// before is.
pub fn score_ascii(text: &[u8], wanted: u8) -> Option<i64> {
    let mut best: Option<i32> = None;
    let (lower, upper) = (wanted.to_ascii_lowercase(), wanted.to_ascii_uppercase());
    for j in memchr::memchr2_iter(lower, upper, text) {
        let prev = match j.checked_sub(1).and_then(|before| text.get(before)) {
            None => '\0',
            Some(&b) if b.is_ascii() => char::from(b),
            Some(_) => 'a',
        };
        let c = char::from(text.get(j).copied().unwrap_or(wanted));
        best = best.max(Some(matched_at(prev, c, j, char::from(wanted))));
    }
    best.map(i64::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::widgets::highlight;
    use fuzzy_matcher::skim::SkimMatcherV2;

    #[test]
    fn one_pass_scores_are_the_matchers() {
        let matcher = SkimMatcherV2::default().ignore_case();
        let catalog = crate::synthetic::catalog(2_000, 9);
        let mut texts: Vec<String> = catalog
            .records()
            .flat_map(|r| {
                [
                    Some(r.id().to_string()),
                    Some(r.title()),
                    r.title_en().map(str::to_string),
                ]
            })
            .flatten()
            .collect();
        texts.extend(
            [
                "",
                "p",
                "P",
                "pP",
                "Pp",
                "aPple",
                "camelCase",
                "snake_case-x",
                "a.b:c",
                "x(y)z",
                "[p]",
                "{P}",
                "p/q\\r|s",
                "1P2p",
                "ÄpÖ",
                "膵がん pancreatic",
                "\u{212A}elvin",
                "ｐ全角",
                "~p^p`p",
                "  p  ",
                "\tp",
                "éPé",
                "A1b2C3",
            ]
            .map(str::to_string),
        );
        let mut wanted: Vec<char> = ('!'..='~').collect();
        wanted.extend([
            '膵', 'が', 'ん', '全', 'ゲ', 'é', 'Ä', '\u{212A}', 'ｐ', '\t',
        ]);
        let mut matched = 0;
        for c in wanted {
            let query = c.to_string();
            for text in &texts {
                let expected = if c.is_whitespace() {
                    matcher.fuzzy(text, &query, true).map(|(s, _)| s)
                } else {
                    highlight::fuzzy(&matcher, text, &query).map(|(s, _)| s)
                };
                assert_eq!(score(text, c), expected, "{c:?} in {text:?}");
                if let Some(b) = u8::try_from(c).ok().filter(u8::is_ascii) {
                    assert_eq!(
                        score_ascii(text.as_bytes(), b),
                        expected,
                        "{c:?} in {text:?}"
                    );
                }
                matched += usize::from(expected.is_some());
            }
        }
        assert!(
            matched > 10_000,
            "most texts hold some character ({matched})"
        );
    }
}
