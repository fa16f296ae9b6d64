//! Shared words between two texts, as the index's analyzer sees them (so Japanese bigrams and
//! stemmed English words both count), scored by cosine similarity.

use crate::index::analyzer::tokens;
use std::collections::HashMap;

/// Tokens too common in this domain to say anything about fit.
const STOP: &[&str] = &[
    "and",
    "the",
    "of",
    "for",
    "with",
    "in",
    "on",
    "to",
    "a",
    "an",
    "or",
    "by",
    "from",
    "data",
    "cohort",
    "studi",
    "patient",
    "case",
    "use",
    "research",
    "のデ",
    "デー",
    "ータ",
    "データ",
    "する",
    "して",
    "ため",
    "こと",
    "による",
    "解析",
];

/// Word counts of a text.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "UncheckedWordBag")]
pub struct WordBag {
    /// (token, count), sorted by token, each token once: read back from the stored match
    /// candidates without hashing, and compared by one merge.
    counts: Vec<(String, f64)>,
    norm: f64,
}

/// A word bag as read from a file, before its tokens are checked to be sorted and unique (the
/// merge in [`WordBag::cosine`] relies on it).
#[derive(serde::Deserialize)]
struct UncheckedWordBag {
    counts: Vec<(String, f64)>,
    norm: f64,
}

impl TryFrom<UncheckedWordBag> for WordBag {
    type Error = &'static str;

    fn try_from(bag: UncheckedWordBag) -> Result<WordBag, Self::Error> {
        if bag.counts.windows(2).all(|pair| pair[0].0 < pair[1].0) {
            Ok(WordBag {
                counts: bag.counts,
                norm: bag.norm,
            })
        } else {
            Err("the words of a stored word bag are not sorted")
        }
    }
}

impl WordBag {
    /// Counts the analysed tokens of several texts together.
    pub fn of(texts: &[&str]) -> WordBag {
        let mut by_token: HashMap<String, f64> = HashMap::new();
        for text in texts {
            for token in tokens(text) {
                if !STOP.contains(&token.as_str()) {
                    *by_token.entry(token).or_insert(0.0) += 1.0;
                }
            }
        }
        let mut counts: Vec<(String, f64)> = by_token.into_iter().collect();
        counts.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let norm = counts.iter().map(|(_, c)| c * c).sum::<f64>().sqrt();
        WordBag { counts, norm }
    }

    /// Each token both bags have, with the product of its counts, in token order.
    fn both<'a>(&'a self, other: &'a WordBag) -> impl Iterator<Item = (&'a String, f64)> + 'a {
        let (mut mine, mut theirs) = (
            self.counts.iter().peekable(),
            other.counts.iter().peekable(),
        );
        std::iter::from_fn(move || loop {
            let ((a, c), (b, d)) = (mine.peek()?, theirs.peek()?);
            match a.cmp(b) {
                std::cmp::Ordering::Less => {
                    mine.next();
                }
                std::cmp::Ordering::Greater => {
                    theirs.next();
                }
                std::cmp::Ordering::Equal => {
                    let found = (a, c * d);
                    mine.next();
                    theirs.next();
                    return Some(found);
                }
            }
        })
    }

    /// Cosine similarity in [0, 1].
    pub fn cosine(&self, other: &WordBag) -> f64 {
        if self.norm == 0.0 || other.norm == 0.0 {
            return 0.0;
        }
        let dot: f64 = self.both(other).map(|(_, product)| product).sum();
        (dot / (self.norm * other.norm)).clamp(0.0, 1.0)
    }

    /// Tokens both bags have, most frequent first (for "shared words: …" reasons).
    pub fn shared(&self, other: &WordBag, n: usize) -> Vec<String> {
        let mut both: Vec<(&String, f64)> = self.both(other).collect();
        both.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        both.into_iter().take(n).map(|(t, _)| t.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_texts_are_fully_similar() {
        let a = WordBag::of(&["pancreatic cancer organoids"]);
        assert!((a.cosine(&a) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn unrelated_texts_are_not_similar() {
        let a = WordBag::of(&["pancreatic cancer organoids"]);
        let b = WordBag::of(&["筋ジストロフィー 歩行"]);
        assert_eq!(a.cosine(&b), 0.0);
    }

    #[test]
    fn cosine_is_the_dot_product_over_the_norms_whatever_the_order() {
        let a = WordBag::of(&["cancer cancer pancreatic organoid"]);
        let b = WordBag::of(&["organoid cancer blood"]);
        // cancer 2·1 + organoid 1·1 over √(4+1+1)·√3.
        let expected = 3.0 / (6f64.sqrt() * 3f64.sqrt());
        assert!((a.cosine(&b) - expected).abs() < 1e-12);
        assert_eq!(a.cosine(&b), b.cosine(&a));
        assert_eq!(a.shared(&b, 5), ["cancer", "organoid"]);
    }

    #[test]
    fn a_stored_bag_reads_back_only_when_its_words_are_sorted() {
        let bag = WordBag::of(&["pancreatic cancer organoid 膵がん"]);
        let bytes = postcard::to_allocvec(&bag).expect("encoded");
        let back: WordBag = postcard::from_bytes(&bytes).expect("decoded");
        assert_eq!(back.counts, bag.counts);
        let mut shuffled = bag.clone();
        shuffled.counts.reverse();
        let bytes = postcard::to_allocvec(&shuffled).expect("encoded");
        assert!(postcard::from_bytes::<WordBag>(&bytes).is_err());
    }

    #[test]
    fn japanese_bigrams_overlap() {
        let a = WordBag::of(&["膵がんの早期発見"]);
        let b = WordBag::of(&["早期発見のための膵がん血漿"]);
        assert!(a.cosine(&b) > 0.3);
    }
}
