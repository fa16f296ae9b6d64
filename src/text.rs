//! Text normalisation shared by the vocabulary and the search analyzer, so that both see
//! `ＷＧＳ`/`WGS`, `ガン`/`がん`/`癌`, `leukaemia`/`leukemia` as the same thing.

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// The script class of a character, used to split text into runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Latin letters and digits (after NFKC): words.
    Latin,
    /// Kanji, hiragana, katakana (and the prolonged-sound mark): indexed as bigrams.
    Cjk,
    /// Everything else: separators.
    Other,
}

/// Classifies one (already normalised) character.
pub fn script_of(c: char) -> Script {
    if c.is_alphanumeric() && !is_cjk(c) {
        Script::Latin
    } else if is_cjk(c) {
        Script::Cjk
    } else {
        Script::Other
    }
}

/// True for kanji, hiragana, katakana and the marks that live inside Japanese words.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{309F}' // hiragana
        | '\u{30A0}'..='\u{30FF}' // katakana (incl. ー and ・ handled by callers)
        | '\u{31F0}'..='\u{31FF}' // katakana phonetic extensions
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}' // compatibility ideographs
        | '\u{3005}' // 々
    ) && c != '・'
}

/// Folds katakana to hiragana (ガン → がん), leaving everything else alone.
pub fn fold_kana(c: char) -> char {
    match c {
        '\u{30A1}'..='\u{30F6}' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        _ => c,
    }
}

/// British spellings (and a few common variants) mapped to the one form musubi indexes.
/// Applied to whole lower-case Latin words.
const SPELLING_VARIANTS: &[(&str, &str)] = &[
    ("paediatric", "pediatric"),
    ("paediatrics", "pediatrics"),
    ("leukaemia", "leukemia"),
    ("leukaemias", "leukemias"),
    ("leukaemic", "leukemic"),
    ("tumour", "tumor"),
    ("tumours", "tumors"),
    ("oesophageal", "esophageal"),
    ("oesophagus", "esophagus"),
    ("oestrogen", "estrogen"),
    ("haematological", "hematological"),
    ("haematologic", "hematologic"),
    ("haematology", "hematology"),
    ("haematopoietic", "hematopoietic"),
    ("haemophilia", "hemophilia"),
    ("haemoglobin", "hemoglobin"),
    ("haemolytic", "hemolytic"),
    ("haemorrhagic", "hemorrhagic"),
    ("anaemia", "anemia"),
    ("anaemias", "anemias"),
    ("gynaecological", "gynecological"),
    ("gynaecologic", "gynecologic"),
    ("gynaecology", "gynecology"),
    ("oncologic", "oncological"),
    ("ischaemic", "ischemic"),
    ("oedema", "edema"),
    ("foetal", "fetal"),
    ("coeliac", "celiac"),
    ("caesarean", "cesarean"),
    ("orthopaedic", "orthopedic"),
    ("dyslipidaemia", "dyslipidemia"),
    ("hyperlipidaemia", "hyperlipidemia"),
    ("glycaemic", "glycemic"),
    ("hypoglycaemia", "hypoglycemia"),
    ("septicaemia", "septicemia"),
    ("organisation", "organization"),
    ("organisations", "organizations"),
    ("characterisation", "characterization"),
    ("immunisation", "immunization"),
    ("randomised", "randomized"),
    ("behaviour", "behavior"),
    ("centre", "center"),
    ("centres", "centers"),
    ("programme", "program"),
    ("sulphate", "sulfate"),
    ("aetiology", "etiology"),
    ("diarrhoea", "diarrhea"),
    ("carcinomas", "carcinoma"),
    ("sarcomas", "sarcoma"),
    ("lymphomas", "lymphoma"),
];

/// Maps one lower-case Latin word to its indexed spelling (British → American and friends).
pub fn canonical_spelling(word: &str) -> &str {
    SPELLING_VARIANTS
        .iter()
        .find(|(from, _)| *from == word)
        .map(|(_, to)| *to)
        .unwrap_or(word)
}

/// Normalises text for matching: NFKC (full-width → half-width Latin, half-width kana → full),
/// lower case, katakana folded to hiragana, `癌`/`ガン` written as `がん`, the wave dash and
/// similar long-vowel look-alikes unified, and British spellings mapped per word.
///
/// The output keeps separators (spaces, punctuation) so callers can still split it into words.
pub fn normalize(input: &str) -> String {
    // ASCII is its own NFKC and folds to lower case alone; text already in NFKC (most
    // Japanese text) needs no decomposing and recomposing. Both skip only work that would
    // change nothing.
    if input.is_ascii() {
        return respell_words(&input.to_ascii_lowercase());
    }
    if is_nfkc_quick(input.chars()) == IsNormalized::Yes {
        return fold(input.chars(), input.len());
    }
    fold(input.nfkc(), input.len())
}

/// The folding of [`normalize`] over NFKC characters.
fn fold(chars: impl Iterator<Item = char>, len: usize) -> String {
    let mut folded = String::with_capacity(len);
    for c in chars {
        let c = match c {
            '癌' => {
                folded.push('が');
                'ん'
            }
            // Long-vowel look-alikes typed by Japanese IMEs.
            '〜' | '～' | '－' | 'ｰ' => 'ー',
            _ => fold_kana(c),
        };
        for l in c.to_lowercase() {
            folded.push(l);
        }
    }
    respell_words(&folded)
}

/// Applies [`canonical_spelling`] to every Latin word of already-folded text.
fn respell_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() {
            out.push_str(canonical_spelling(word));
            word.clear();
        }
    };
    for c in text.chars() {
        if c.is_ascii_alphabetic() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_paths_of_normalize_change_nothing() {
        for text in [
            "Pancreatic Cancer WGS, tumour/normal (UK colour)",
            "膵がん 全ゲノム解析コホート",
            "ｶﾞﾝ ゲノム",
            "ＷＧＳ　データ",
            "癌 と ガン",
            "cafe\u{301} e\u{301}tude",
            "ﬁbrosis ㌔ ①",
            "〜 ～ － ｰ",
            "",
        ] {
            assert_eq!(normalize(text), fold(text.nfkc(), text.len()), "{text:?}");
        }
    }

    #[test]
    fn full_width_latin_becomes_ascii_lower_case() {
        assert_eq!(normalize("ＷＧＳ"), "wgs");
    }

    #[test]
    fn cancer_spellings_meet() {
        assert_eq!(normalize("肺癌"), "肺がん");
        assert_eq!(normalize("肺ガン"), "肺がん");
        assert_eq!(normalize("肺ｶﾞﾝ"), "肺がん");
    }

    #[test]
    fn british_spellings_meet_american() {
        assert_eq!(normalize("Paediatric Leukaemia"), "pediatric leukemia");
        assert_eq!(normalize("oesophageal tumour"), "esophageal tumor");
    }

    #[test]
    fn katakana_folds_to_hiragana() {
        assert_eq!(normalize("クローン病"), "くろーん病");
    }

    #[test]
    fn scripts_split_latin_and_cjk() {
        assert_eq!(script_of('b'), Script::Latin);
        assert_eq!(script_of('1'), Script::Latin);
        assert_eq!(script_of('変'), Script::Cjk);
        assert_eq!(script_of('が'), Script::Cjk);
        assert_eq!(script_of('-'), Script::Other);
    }
}
