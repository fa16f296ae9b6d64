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
pub struct WordBag {
    counts: HashMap<String, f64>,
    norm: f64,
}

impl WordBag {
    /// Counts the analysed tokens of several texts together.
    pub fn of(texts: &[&str]) -> WordBag {
        let mut counts: HashMap<String, f64> = HashMap::new();
        for text in texts {
            for token in tokens(text) {
                if !STOP.contains(&token.as_str()) {
                    *counts.entry(token).or_insert(0.0) += 1.0;
                }
            }
        }
        let norm = counts.values().map(|c| c * c).sum::<f64>().sqrt();
        WordBag { counts, norm }
    }

    /// Cosine similarity in [0, 1].
    pub fn cosine(&self, other: &WordBag) -> f64 {
        if self.norm == 0.0 || other.norm == 0.0 {
            return 0.0;
        }
        let (small, large) = if self.counts.len() <= other.counts.len() {
            (self, other)
        } else {
            (other, self)
        };
        let dot: f64 = small
            .counts
            .iter()
            .filter_map(|(t, c)| large.counts.get(t).map(|d| c * d))
            .sum();
        (dot / (self.norm * other.norm)).clamp(0.0, 1.0)
    }

    /// Tokens both bags have, most frequent first (for "shared words: …" reasons).
    pub fn shared(&self, other: &WordBag, n: usize) -> Vec<String> {
        let mut both: Vec<(&String, f64)> = self
            .counts
            .iter()
            .filter_map(|(t, c)| other.counts.get(t).map(|d| (t, c * d)))
            .collect();
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
    fn japanese_bigrams_overlap() {
        let a = WordBag::of(&["膵がんの早期発見"]);
        let b = WordBag::of(&["早期発見のための膵がん血漿"]);
        assert!(a.cosine(&b) > 0.3);
    }
}
