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
    // The cheap range test first: `is_alphanumeric` looks CJK characters up in tables.
    if is_cjk(c) {
        Script::Cjk
    } else if c.is_alphanumeric() {
        Script::Latin
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
    // Length and first letter rule out nearly every entry before the strings are compared.
    let first = word.as_bytes().first();
    SPELLING_VARIANTS
        .iter()
        .find(|(from, _)| {
            from.len() == word.len() && from.as_bytes().first() == first && *from == word
        })
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
        return respell_words(input.to_ascii_lowercase());
    }
    if is_nfkc_quick(input.chars()) == IsNormalized::Yes {
        return fold(input.chars(), input.len());
    }
    fold(input.nfkc(), input.len())
}

/// `text` in NFKC: borrowed when it is so already (ASCII, and most Japanese text), which
/// skips decomposing and recomposing it.
pub fn nfkc(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_ascii() || is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.nfkc().collect())
    }
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
        if c.is_ascii() {
            folded.push(c.to_ascii_lowercase());
        } else if no_case(c) {
            folded.push(c);
        } else {
            folded.extend(c.to_lowercase());
        }
    }
    respell_words(folded)
}

/// True for characters of the kana and CJK blocks, none of which has a lower case: they skip
/// the lower-case tables (a test checks every one of them).
fn no_case(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{9FFF}')
}

/// Applies [`canonical_spelling`] to every Latin word of already-folded text; text with no
/// word to respell comes back as it is, uncopied.
fn respell_words(text: String) -> String {
    let bytes = text.as_bytes();
    let mut respelled: Option<String> = None;
    // Bytes of `text` before this are in `respelled` already.
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        if !bytes[at].is_ascii_alphabetic() {
            at += 1;
            continue;
        }
        // ASCII letters are never part of a multi-byte character: these are char boundaries.
        let start = at;
        while at < bytes.len() && bytes[at].is_ascii_alphabetic() {
            at += 1;
        }
        let word = &text[start..at];
        let canonical = canonical_spelling(word);
        if canonical != word {
            let out = respelled.get_or_insert_with(|| String::with_capacity(text.len()));
            out.push_str(&text[copied..start]);
            out.push_str(canonical);
            copied = at;
        }
    }
    match respelled {
        Some(mut out) => {
            out.push_str(&text[copied..]);
            out
        }
        None => text,
    }
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
            assert_eq!(nfkc(text), text.nfkc().collect::<String>(), "{text:?}");
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

    #[test]
    fn kana_and_cjk_characters_have_no_lower_case() {
        for c in ('\u{3000}'..='\u{9FFF}').filter(|c| no_case(*c)) {
            assert!(c.to_lowercase().eq([c]), "{c:?}");
        }
    }

    #[test]
    fn words_are_respelled_wherever_they_stand() {
        assert_eq!(
            normalize("Tumour/tumours, 小児leukaemia centre"),
            "tumor/tumors, 小児leukemia center"
        );
        assert_eq!(normalize("tumourous detours"), "tumourous detours");
    }

    #[test]
    fn every_spelling_variant_is_found() {
        for (from, to) in SPELLING_VARIANTS {
            assert_eq!(canonical_spelling(from), *to);
            assert_eq!(normalize(&format!("({from})")), format!("({to})"));
        }
    }

    #[test]
    fn scripts_of_cjk_and_other_characters() {
        assert_eq!(script_of('ー'), Script::Cjk);
        assert_eq!(script_of('々'), Script::Cjk);
        assert_eq!(script_of('・'), Script::Other);
        assert_eq!(script_of('é'), Script::Latin);
        assert_eq!(script_of('한'), Script::Latin);
        assert_eq!(script_of('、'), Script::Other);
    }
}
