//! The bilingual analyzer: one token stream for Japanese and English text alike.
//!
//! Text is first normalised by [`crate::text::normalize`]; then Latin runs become lower-cased,
//! stemmed words, and runs of kanji/kana become overlapping character bigrams (a run of one
//! character stays a unigram). A change of script always breaks a token (`BRCA1変異` →
//! `brca1`, `変異`). A second analyzer emits single CJK characters, so one-character queries
//! (`肺`, `癌`) still find something.

use crate::text::{normalize, script_of, Script};
use rust_stemmers::{Algorithm, Stemmer};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, DefaultHasher, Hash, Hasher};
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

/// Tokens at positions 0, 1, 2, … (the analyzers give no byte offsets).
fn positioned(texts: Vec<String>) -> Vec<Token> {
    texts
        .into_iter()
        .enumerate()
        .map(|(position, text)| Token {
            offset_from: 0,
            offset_to: 0,
            position,
            text,
            position_length: 1,
        })
        .collect()
}

/// A token stream over precomputed tokens, either its own or borrowed from a [`TokenCache`].
pub struct VecTokenStream<'a> {
    tokens: Cow<'a, [Token]>,
    next: usize,
}

impl<'a> VecTokenStream<'a> {
    fn new(tokens: Cow<'a, [Token]>) -> Self {
        VecTokenStream { tokens, next: 0 }
    }

    fn at(&self) -> usize {
        self.next
            .saturating_sub(1)
            .min(self.tokens.len().saturating_sub(1))
    }
}

impl TokenStream for VecTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.at()]
    }

    fn token_mut(&mut self) -> &mut Token {
        // Copies a borrowed list first, so a filter cannot change what the cache holds.
        let at = self.at();
        &mut self.tokens.to_mut()[at]
    }
}

/// Distinct texts a [`TokenCache`] remembers having seen once (about 16 bytes each).
const SEEN_TEXTS: usize = 200_000;
/// Bytes of texts and tokens one [`TokenCache`] may hold.
const CACHED_BYTES: usize = 8 * 1024 * 1024;
/// Longer texts are never cached: they are summaries, seldom repeated.
const CACHED_TEXT_LEN: usize = 4096;

/// The tokens of one cached text, with the text to tell hash collisions apart.
struct CachedTokens {
    text: Box<str>,
    tokens: Box<[Token]>,
}

impl CachedTokens {
    fn bytes(&self) -> usize {
        self.text.len()
            + self
                .tokens
                .iter()
                .map(|t| std::mem::size_of::<Token>() + t.text.capacity())
                .sum::<usize>()
    }
}

/// Analysed texts of one analyzer instance, for the texts that recur: an index build analyses
/// the same few thousand concept names (and keyword values) in record after record.
///
/// tantivy clones an analyzer per field and per segment it writes, so each cache sees one
/// field's texts on one indexing thread. A text is cached the second time it is seen; a text
/// seen once costs one hash. Both the seen set and the cached tokens are bounded, and simply
/// start over when full. A hit hands out the very tokens the analysis gave the first time.
#[derive(Default)]
pub struct TokenCache {
    seen: HashSet<u64, BuildHasherDefault<PrehashedKey>>,
    cached: HashMap<u64, CachedTokens, BuildHasherDefault<PrehashedKey>>,
    bytes: usize,
}

impl TokenCache {
    /// The tokens of `text`, from the cache or from `analyse`.
    fn tokens<'a>(&'a mut self, text: &str, analyse: fn(&str) -> Vec<String>) -> Cow<'a, [Token]> {
        if text.len() > CACHED_TEXT_LEN {
            return Cow::Owned(positioned(analyse(text)));
        }
        let key = text_hash(text);
        let hit = self.cached.get(&key).map(|c| &*c.text == text);
        match hit {
            Some(true) => {
                return Cow::Borrowed(self.cached.get(&key).map_or(&[], |c| &c.tokens));
            }
            // Another text with the same hash holds the place: analyse this one every time.
            Some(false) => return Cow::Owned(positioned(analyse(text))),
            None => {}
        }
        let tokens = positioned(analyse(text));
        if self.seen.len() >= SEEN_TEXTS {
            self.seen.clear();
        }
        if self.seen.insert(key) {
            return Cow::Owned(tokens);
        }
        let entry = CachedTokens {
            text: text.into(),
            tokens: tokens.into_boxed_slice(),
        };
        let bytes = entry.bytes();
        if self.bytes + bytes > CACHED_BYTES {
            self.cached.clear();
            self.bytes = 0;
        }
        self.bytes += bytes;
        Cow::Borrowed(&self.cached.entry(key).or_insert(entry).tokens)
    }
}

fn text_hash(text: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// A hasher for keys that already are hashes: hashing them again would only cost time.
#[derive(Default)]
struct PrehashedKey(u64);

impl Hasher for PrehashedKey {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Words and CJK bigrams (see the module docs).
#[derive(Default)]
pub struct BilingualTokenizer {
    cache: TokenCache,
}

/// A clone starts with an empty cache (tantivy clones the registered analyzer for each field
/// of each segment it writes).
impl Clone for BilingualTokenizer {
    fn clone(&self) -> Self {
        BilingualTokenizer::default()
    }
}

impl Tokenizer for BilingualTokenizer {
    type TokenStream<'a> = VecTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream<'a> {
        VecTokenStream::new(self.cache.tokens(text, tokens))
    }
}

/// Single CJK characters, for one-character queries.
#[derive(Default)]
pub struct UnigramTokenizer {
    cache: TokenCache,
}

/// A clone starts with an empty cache, as for [`BilingualTokenizer`].
impl Clone for UnigramTokenizer {
    fn clone(&self) -> Self {
        UnigramTokenizer::default()
    }
}

impl Tokenizer for UnigramTokenizer {
    type TokenStream<'a> = VecTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream<'a> {
        VecTokenStream::new(self.cache.tokens(text, cjk_unigrams))
    }
}

/// Registers both analyzers on an index; needed after every open.
pub fn register(index: &tantivy::Index) {
    index
        .tokenizers()
        .register(BILINGUAL, BilingualTokenizer::default());
    index
        .tokenizers()
        .register(CJK_UNIGRAM, UnigramTokenizer::default());
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
        let mut tokenizer = BilingualTokenizer::default();
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

    fn is_cached(tokens: Cow<'_, [Token]>) -> bool {
        matches!(tokens, Cow::Borrowed(_))
    }

    #[test]
    fn a_text_is_cached_from_its_second_sighting_with_the_same_tokens() {
        let mut cache = TokenCache::default();
        let plain = positioned(tokens("膵がん pancreatic tumours"));
        let first = cache.tokens("膵がん pancreatic tumours", tokens);
        assert!(!is_cached(first.clone()));
        assert_eq!(&*first, &plain[..]);
        for _ in 0..2 {
            let again = cache.tokens("膵がん pancreatic tumours", tokens);
            assert!(is_cached(again.clone()));
            assert_eq!(&*again, &plain[..]);
        }
        assert!(!is_cached(cache.tokens("肺がん", tokens)));
    }

    #[test]
    fn long_texts_are_never_cached() {
        let mut cache = TokenCache::default();
        let long = "tumour ".repeat(CACHED_TEXT_LEN);
        for _ in 0..3 {
            assert!(!is_cached(cache.tokens(&long, tokens)));
        }
    }

    #[test]
    fn another_text_with_the_same_hash_is_analysed_afresh() {
        let mut cache = TokenCache::default();
        cache.cached.insert(
            text_hash("肺がん"),
            CachedTokens {
                text: "白血病".into(),
                tokens: positioned(tokens("白血病")).into_boxed_slice(),
            },
        );
        let found = cache.tokens("肺がん", tokens);
        assert!(!is_cached(found.clone()));
        assert_eq!(&*found, &positioned(tokens("肺がん"))[..]);
    }

    #[test]
    fn a_full_cache_starts_over() {
        let mut cache = TokenCache::default();
        for text in ["肺がん", "白血病", "肺がん", "白血病"] {
            cache.tokens(text, tokens);
        }
        assert_eq!(cache.cached.len(), 2);
        cache.bytes = CACHED_BYTES;
        for _ in 0..2 {
            cache.tokens("小児がん", tokens);
        }
        assert_eq!(cache.cached.len(), 1);
        assert!(cache.bytes > 0 && cache.bytes < CACHED_BYTES);
        cache.seen.extend(0..SEEN_TEXTS as u64);
        cache.tokens("膵がん", tokens);
        assert_eq!(cache.seen.len(), 1);
    }

    #[test]
    fn a_clone_starts_with_an_empty_cache() {
        let mut tokenizer = UnigramTokenizer::default();
        for _ in 0..2 {
            tokenizer.token_stream("肺がん");
        }
        assert_eq!(tokenizer.cache.cached.len(), 1);
        assert!(tokenizer.clone().cache.cached.is_empty());
    }
}
