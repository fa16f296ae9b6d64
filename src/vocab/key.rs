//! Matching keys: the one form of a term that the vocabulary stores and compares, so that
//! "Non-Small-Cell", "non small cell", "ＮＳＣＬＣ", "クローン病" and "Crohn's" meet their synonyms.
//!
//! Shared with `build.rs` (through `#[path]`), so the compiled-in table and the run-time lookups
//! are computed by the same code.

use crate::text::{is_cjk, normalize};

/// The matching key of a term or of a query: [`normalize`] (NFKC, case, kana, `癌`, spellings),
/// then possessives dropped (`crohn's` → `crohn`), punctuation turned into spaces, the Japanese
/// middle dot removed, Roman numerals after `type`/before `型` and `ii`–`x` written as digits,
/// spaces next to Japanese removed and runs of spaces collapsed.
pub fn term_key(text: &str) -> String {
    let normalized = normalize(text);
    let mut spaced = String::with_capacity(normalized.len());
    let mut chars = normalized.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' || c == '’' {
            // "crohn's" → "crohn", "alzheimer's" → "alzheimer"
            if chars.peek() == Some(&'s') {
                chars.next();
            }
            continue;
        }
        if c == '・' || c == '･' {
            continue;
        }
        if c.is_alphanumeric() || is_cjk(c) || c == '+' {
            spaced.push(c);
        } else {
            spaced.push(' ');
        }
    }
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let mut out = String::with_capacity(spaced.len());
    let mut previous: Option<&str> = None;
    for (i, word) in words.iter().enumerate() {
        let next = words.get(i + 1).copied();
        let word = roman_to_digit(word, previous, next);
        if let Some(last) = out.chars().last() {
            let first = word.chars().next().unwrap_or(' ');
            if !(is_cjk(last) || is_cjk(first)) {
                out.push(' ');
            }
        }
        out.push_str(word);
        previous = Some(word);
    }
    out
}

/// Number words written without their space, and the spaced form they mean.
const SPLIT_NUMBERS: &[(&str, &str)] = &[
    ("type1", "type 1"),
    ("type2", "type 2"),
    ("type3", "type 3"),
    ("type4", "type 4"),
    ("grade1", "grade 1"),
    ("grade2", "grade 2"),
    ("grade3", "grade 3"),
    ("stage1", "stage 1"),
    ("stage2", "stage 2"),
    ("stage3", "stage 3"),
    ("stage4", "stage 4"),
];

/// Writes a Roman numeral word as digits where it is a type or stage number.
fn roman_to_digit<'a>(word: &'a str, previous: Option<&str>, next: Option<&str>) -> &'a str {
    const ROMAN: &[(&str, &str)] = &[
        ("ii", "2"),
        ("iii", "3"),
        ("iv", "4"),
        ("vi", "6"),
        ("vii", "7"),
        ("viii", "8"),
        ("ix", "9"),
    ];
    if let Some((_, digit)) = ROMAN.iter().find(|(roman, _)| *roman == word) {
        return digit;
    }
    let numbered = matches!(previous, Some("type" | "grade" | "stage" | "class"))
        || next.is_some_and(|n| n.starts_with('型'));
    // "type1" → "type 1" (written without the space in some sources).
    if let Some((_, split)) = SPLIT_NUMBERS.iter().find(|(w, _)| *w == word) {
        return split;
    }
    match word {
        "i" if numbered => "1",
        "v" if numbered => "5",
        "x" if numbered => "10",
        // "I型" arrives glued to its kanji: "i型" → "1型".
        w if w.starts_with("i型") => "1型",
        w => w,
    }
}

/// True for a term that reads as an upper-case abbreviation (`AML`, `NSCLC`, `HER2`, `MS`):
/// such terms are only recognised inside free text when written in capitals, so that "all" and
/// "ms" in a sentence are not taken for leukaemia or sclerosis.
pub fn is_abbreviation(term: &str) -> bool {
    let upper = term.chars().filter(|c| c.is_ascii_uppercase()).count();
    let lower = term.chars().filter(|c| c.is_ascii_lowercase()).count();
    term.len() <= 8
        && upper >= 2
        && lower <= 1
        && term.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_and_case_disappear() {
        assert_eq!(
            term_key("Non-Small-Cell Lung Carcinoma"),
            "non small cell lung carcinoma"
        );
        assert_eq!(term_key("ＮＳＣＬＣ"), "nsclc");
        assert_eq!(term_key("  AML,  FLT3-mutated "), "aml flt3 mutated");
    }

    #[test]
    fn possessives_and_middle_dots_go() {
        assert_eq!(term_key("Crohn's disease"), "crohn disease");
        assert_eq!(
            term_key("ウェルドニッヒ・ホフマン病"),
            "うぇるどにっひほふまん病"
        );
    }

    #[test]
    fn spaces_next_to_japanese_go() {
        assert_eq!(term_key("脊髄性筋萎縮症 I 型"), "脊髄性筋萎縮症1型");
        assert_eq!(term_key("肺 癌"), "肺がん");
        assert_eq!(term_key("BRCA1 変異"), "brca1変異");
    }

    #[test]
    fn roman_numerals_become_digits() {
        assert_eq!(term_key("SMA type I"), "sma type 1");
        assert_eq!(term_key("stage IV"), "stage 4");
        assert_eq!(term_key("type II diabetes"), "type 2 diabetes");
        assert_eq!(term_key("SMA type1"), "sma type 1");
    }

    #[test]
    fn abbreviations_are_recognised() {
        assert!(is_abbreviation("AML"));
        assert!(is_abbreviation("HER2"));
        assert!(is_abbreviation("NMOSD"));
        assert!(!is_abbreviation("Fabry"));
        assert!(!is_abbreviation("lung cancer"));
        assert!(!is_abbreviation("A"));
    }
}
