//! The fuzzy matcher's score for a query of one character, worked out in one pass over the
//! text. The first keystroke of a query reads nearly every record, and the matcher fills a
//! score matrix (allocating as it goes) for each; with one character the best alignment is
//! simply its best single position, so that is what is computed here. A test compares it
//! with the matcher on every character of generated and hand-picked texts.

use fuzzy_matcher::skim::SkimScoreConfig;

/// What kind of character the matcher sees (as `fuzzy_matcher::skim` classes them).
#[derive(Clone, Copy, PartialEq, Eq)]
enum CharType {
    Empty,
    Upper,
    Lower,
    Number,
    HardSep,
    SoftSep,
}

fn char_type(c: char) -> CharType {
    match c {
        '\0' => CharType::Empty,
        ' ' | '/' | '\\' | '|' | '(' | ')' | '[' | ']' | '{' | '}' => CharType::HardSep,
        '!'..='\'' | '*'..='.' | ':'..='@' | '^'..='`' | '~' => CharType::SoftSep,
        '0'..='9' => CharType::Number,
        'A'..='Z' => CharType::Upper,
        _ => CharType::Lower,
    }
}

/// The bonus for matching `c` after `prev`: the head of a word, after a soft separator, the
/// hump of a camel-case word, or nothing.
fn in_place_bonus(config: &SkimScoreConfig, prev: char, c: char) -> i32 {
    use CharType::*;
    match (char_type(prev), char_type(c)) {
        (Empty, _) | (HardSep, _) => config.bonus_head,
        (SoftSep, _) => config.bonus_break,
        (Lower, Upper) | (Number, Upper) => config.bonus_camel,
        _ => 0,
    }
}

/// The score `SkimMatcherV2::default().ignore_case()` gives `wanted` (one character) in
/// `text`; `None` when the text does not hold it (ASCII letters compared in either case).
pub fn score(text: &str, wanted: char) -> Option<i64> {
    let config = SkimScoreConfig::default();
    let mut best: Option<i32> = None;
    let mut prev = '\0';
    for (j, c) in text.chars().enumerate() {
        if c.eq_ignore_ascii_case(&wanted) {
            let mut bonus = in_place_bonus(&config, prev, c);
            if j == 0 {
                bonus *= config.bonus_first_char_multiplier;
            }
            let case = if c == wanted {
                0
            } else {
                config.penalty_case_mismatch
            };
            let matched = (config.score_match + case).max(0);
            // The matrix's best cell: skipping to here (one gap step) beats any run, since
            // nothing was matched before.
            let here = config.gap_extension + bonus + matched;
            best = best.max(Some(here));
        }
        prev = c;
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
                matched += usize::from(expected.is_some());
            }
        }
        assert!(
            matched > 10_000,
            "most texts hold some character ({matched})"
        );
    }
}
