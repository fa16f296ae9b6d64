//! The bilingual analyzer: one token stream for Japanese and English text alike.
//!
//! Text is first normalised by [`crate::text::normalize`]; then Latin runs become lower-cased,
//! stemmed words, and runs of kanji/kana become overlapping character bigrams (a run of one
//! character stays a unigram). A change of script always breaks a token (`BRCA1変異` →
//! `brca1`, `変異`). A second analyzer emits single CJK characters, so one-character queries
//! (`肺`, `癌`) still find something.

use crate::text::{normalize, script_of, Script};
use rust_stemmers::{Algorithm, Stemmer};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Name under which [`BilingualTokenizer`] is registered on every index.
pub const BILINGUAL: &str = "musubi_bilingual";
/// Name under which [`UnigramTokenizer`] is registered on every index.
pub const CJK_UNIGRAM: &str = "musubi_cjk_unigram";

/// What one analysed unit of text is: a word, or a run of CJK characters as its bigrams.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unit {
    /// A stemmed Latin word (or number).
    Word(String),
    /// The bigrams of one CJK run, in order (a one-character run gives one unigram).
    CjkRun(Vec<String>),
}

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// Stems one lower-case Latin word; words with digits (`brca1`, `c34`) are kept whole.
pub fn stem_word(word: &str) -> String {
    if word.chars().any(|c| c.is_ascii_digit()) || word.chars().count() < 4 {
        return word.to_string();
    }
    // The same few thousand words recur in every record: stem each once per thread.
    thread_local! {
        static STEMS: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
    }
    STEMS.with(|stems| {
        let mut stems = stems.borrow_mut();
        if let Some(stem) = stems.get(word) {
            return stem.clone();
        }
        let stem = stemmer().stem(word).into_owned();
        if stems.len() >= STEM_CACHE_WORDS {
            stems.clear();
        }
        stems.insert(word.to_string(), stem.clone());
        stem
    })
}

/// Words whose stems one thread keeps (a bound, so that odd data cannot grow it without end).
const STEM_CACHE_WORDS: usize = 50_000;

/// Splits normalised text into words and CJK runs.
pub fn units(text: &str) -> Vec<Unit> {
    let normalized = normalize(text);
    let mut units = Vec::new();
    let mut current = String::new();
    let mut current_script = Script::Other;
    let mut flush = |run: &mut String, script: Script| {
        if run.is_empty() {
            return;
        }
        match script {
            Script::Latin => units.push(Unit::Word(stem_word(run))),
            Script::Cjk => {
                let chars: Vec<char> = run.chars().collect();
                let grams = if chars.len() == 1 {
                    vec![run.clone()]
                } else {
                    chars.windows(2).map(|w| w.iter().collect()).collect()
                };
                units.push(Unit::CjkRun(grams));
            }
            Script::Other => {}
        }
        run.clear();
    };
    for c in normalized.chars() {
        let script = script_of(c);
        if script != current_script {
            flush(&mut current, current_script);
            current_script = script;
        }
        if script != Script::Other {
            current.push(c);
        }
    }
    flush(&mut current, current_script);
    units
}

/// Tokens of a text as the index sees them, positions in order.
pub fn tokens(text: &str) -> Vec<String> {
    units(text)
        .into_iter()
        .flat_map(|u| match u {
            Unit::Word(w) => vec![w],
            Unit::CjkRun(grams) => grams,
        })
        .collect()
}

/// The CJK characters of a text, one token each (after normalisation).
pub fn cjk_unigrams(text: &str) -> Vec<String> {
    normalize(text)
        .chars()
        .filter(|c| script_of(*c) == Script::Cjk)
        .map(String::from)
        .collect()
}

/// A token stream over precomputed tokens.
pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl VecTokenStream {
    fn new(texts: Vec<String>) -> Self {
        let tokens = texts
            .into_iter()
            .enumerate()
            .map(|(position, text)| Token {
                offset_from: 0,
                offset_to: 0,
                position,
                text,
                position_length: 1,
            })
            .collect();
        VecTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self
            .next
            .saturating_sub(1)
            .min(self.tokens.len().saturating_sub(1))]
    }

    fn token_mut(&mut self) -> &mut Token {
        let at = self
            .next
            .saturating_sub(1)
            .min(self.tokens.len().saturating_sub(1));
        &mut self.tokens[at]
    }
}

/// Words and CJK bigrams (see the module docs).
#[derive(Clone, Default)]
pub struct BilingualTokenizer;

impl Tokenizer for BilingualTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream::new(tokens(text))
    }
}

/// Single CJK characters, for one-character queries.
#[derive(Clone, Default)]
pub struct UnigramTokenizer;

impl Tokenizer for UnigramTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream::new(cjk_unigrams(text))
    }
}

/// Registers both analyzers on an index; needed after every open.
pub fn register(index: &tantivy::Index) {
    index.tokenizers().register(BILINGUAL, BilingualTokenizer);
    index.tokenizers().register(CJK_UNIGRAM, UnigramTokenizer);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_change_breaks_tokens() {
        assert_eq!(tokens("BRCA1変異"), vec!["brca1", "変異"]);
    }

    #[test]
    fn japanese_becomes_bigrams() {
        assert_eq!(tokens("小児がん"), vec!["小児", "児が", "がん"]);
    }

    #[test]
    fn single_character_run_is_a_unigram() {
        assert_eq!(tokens("肺"), vec!["肺"]);
    }

    #[test]
    fn english_words_are_stemmed_and_respelled() {
        assert_eq!(tokens("Paediatric tumours"), tokens("pediatric tumor"));
        assert_eq!(tokens("RNA-seq"), vec!["rna", "seq"]);
    }

    #[test]
    fn cancer_written_three_ways_gives_the_same_tokens() {
        assert_eq!(tokens("肺癌"), tokens("肺がん"));
        assert_eq!(tokens("肺ガン"), tokens("肺がん"));
    }

    #[test]
    fn unigrams_keep_only_cjk() {
        assert_eq!(cjk_unigrams("肺 cancer がん"), vec!["肺", "が", "ん"]);
    }

    #[test]
    fn token_stream_yields_positions_in_order() {
        let mut tokenizer = BilingualTokenizer;
        let mut stream = tokenizer.token_stream("AML 白血病");
        let mut seen = Vec::new();
        while stream.advance() {
            seen.push((stream.token().position, stream.token().text.clone()));
        }
        assert_eq!(
            seen,
            vec![(0, "aml".into()), (1, "白血".into()), (2, "血病".into())]
        );
    }
}
