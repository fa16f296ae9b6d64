//! Shared words between two texts, as the index's analyzer sees them (so Japanese bigrams and
//! stemmed English words both count), scored by cosine similarity.

use crate::index::analyzer::tokens;

/// Tokens too common in this domain to say anything about fit. A `match` rather than a
/// search of a list: every token of every candidate is asked about.
fn is_stop(token: &str) -> bool {
    matches!(
        token,
        "and"
            | "the"
            | "of"
            | "for"
            | "with"
            | "in"
            | "on"
            | "to"
            | "a"
            | "an"
            | "or"
            | "by"
            | "from"
            | "data"
            | "cohort"
            | "studi"
            | "patient"
            | "case"
            | "use"
            | "research"
            | "のデ"
            | "デー"
            | "ータ"
            | "データ"
            | "する"
            | "して"
            | "ため"
            | "こと"
            | "による"
            | "解析"
    )
}

/// Word counts of a text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WordBag {
    /// (token, count), sorted by token, each token once: compared by one merge.
    counts: Vec<(String, f64)>,
    norm: f64,
}

/// The entries two lists sorted by key have in common, with the product of their values, in
/// key order (the order the dot product is summed in, whichever form the words take).
fn common<K: Ord>(
    mine: impl Iterator<Item = (K, f64)>,
    theirs: impl Iterator<Item = (K, f64)>,
) -> impl Iterator<Item = (K, f64)> {
    let (mut mine, mut theirs) = (mine.peekable(), theirs.peekable());
    std::iter::from_fn(move || loop {
        let ((a, _), (b, _)) = (mine.peek()?, theirs.peek()?);
        match a.cmp(b) {
            std::cmp::Ordering::Less => {
                mine.next();
            }
            std::cmp::Ordering::Greater => {
                theirs.next();
            }
            std::cmp::Ordering::Equal => {
                let (key, c) = mine.next()?;
                let (_, d) = theirs.next()?;
                return Some((key, c * d));
            }
        }
    })
}

/// Cosine similarity in [0, 1] from a dot product and two norms.
fn cosine_of(dot: impl FnOnce() -> f64, norm: f64, other_norm: f64) -> f64 {
    if norm == 0.0 || other_norm == 0.0 {
        return 0.0;
    }
    (dot() / (norm * other_norm)).clamp(0.0, 1.0)
}

impl WordBag {
    /// Counts the analysed tokens of several texts together.
    pub fn of(texts: &[&str]) -> WordBag {
        // The fast hash: the bag is sorted by token below, so the order of the map is never
        // seen (SipHash was 5 % of profiling every candidate).
        let mut by_token: foldhash::HashMap<String, f64> = foldhash::HashMap::default();
        for text in texts {
            for token in tokens(text) {
                if !is_stop(&token) {
                    *by_token.entry(token).or_insert(0.0) += 1.0;
                }
            }
        }
        let mut counts: Vec<(String, f64)> = by_token.into_iter().collect();
        counts.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let norm = counts.iter().map(|(_, c)| c * c).sum::<f64>().sqrt();
        WordBag { counts, norm }
    }

    /// A bag from (token, count) pairs sorted by token, each once, and their norm, as
    /// [`WordBag::counts`] and [`WordBag::norm`] gave them; `None` when not sorted.
    pub(crate) fn from_sorted(counts: Vec<(String, f64)>, norm: f64) -> Option<WordBag> {
        counts
            .windows(2)
            .all(|pair| pair[0].0 < pair[1].0)
            .then_some(WordBag { counts, norm })
    }

    /// (token, count), sorted by token.
    pub(crate) fn counts(&self) -> &[(String, f64)] {
        &self.counts
    }

    /// The Euclidean norm of the counts.
    pub(crate) fn norm(&self) -> f64 {
        self.norm
    }

    /// Each token both bags have, with the product of its counts, in token order.
    fn both<'a>(&'a self, other: &'a WordBag) -> impl Iterator<Item = (&'a String, f64)> + 'a {
        let pairs = |bag: &'a WordBag| bag.counts.iter().map(|(token, c)| (token, *c));
        common(pairs(self), pairs(other))
    }

    /// Cosine similarity in [0, 1].
    pub fn cosine(&self, other: &WordBag) -> f64 {
        cosine_of(
            || self.both(other).map(|(_, product)| product).sum(),
            self.norm,
            other.norm,
        )
    }

    /// Tokens both bags have, most frequent first (for "shared words: …" reasons).
    pub fn shared(&self, other: &WordBag, n: usize) -> Vec<String> {
        let mut both: Vec<(&String, f64)> = self.both(other).collect();
        both.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        both.into_iter().take(n).map(|(t, _)| t.clone()).collect()
    }
}

/// A subject's words as positions in the match candidates' dictionary, for comparing with
/// every candidate without comparing strings. Words the dictionary lacks meet no candidate
/// but still count in the norm.
#[derive(Debug, Clone, Default)]
pub(crate) struct SubjectWords {
    /// (position, count), ascending: the dictionary is sorted, so this is token order.
    counts: Vec<(u32, f64)>,
    norm: f64,
}

impl SubjectWords {
    /// The bag's words found by `position` (a lookup in a sorted dictionary).
    pub(crate) fn new(bag: &WordBag, position: impl Fn(&str) -> Option<u32>) -> SubjectWords {
        SubjectWords {
            counts: bag
                .counts
                .iter()
                .filter_map(|(token, c)| Some((position(token)?, *c)))
                .collect(),
            norm: bag.norm,
        }
    }

    /// The cosine similarity with a candidate's words (positions ascending, their counts and
    /// norm): the very number [`WordBag::cosine`] gives for the two bags, summed in the same
    /// order.
    pub(crate) fn cosine(&self, positions: &[u32], counts: &[u32], norm: f64) -> f64 {
        let theirs = positions
            .iter()
            .zip(counts)
            .map(|(position, count)| (*position, f64::from(*count)));
        cosine_of(
            || {
                common(self.counts.iter().copied(), theirs)
                    .map(|(_, product)| product)
                    .sum()
            },
            self.norm,
            norm,
        )
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
    fn a_bag_rebuilds_from_its_counts_only_when_they_are_sorted() {
        let bag = WordBag::of(&["pancreatic cancer organoid 膵がん"]);
        let back = WordBag::from_sorted(bag.counts().to_vec(), bag.norm());
        assert_eq!(back.as_ref(), Some(&bag));
        let mut shuffled = bag.counts().to_vec();
        shuffled.reverse();
        assert_eq!(WordBag::from_sorted(shuffled, bag.norm()), None);
    }

    #[test]
    fn positions_give_the_same_cosine_as_the_words() {
        let texts = [
            "pancreatic cancer organoids from pancreatic tissue",
            "膵がんの早期発見のための血漿",
            "cancer cancer organoid blood 膵がん",
            "",
        ];
        let bags: Vec<WordBag> = texts.iter().map(|t| WordBag::of(&[t])).collect();
        // The dictionary of the candidates: every word of the last three texts, sorted.
        let mut dictionary: Vec<&str> = bags[1..]
            .iter()
            .flat_map(|b| b.counts().iter().map(|(t, _)| t.as_str()))
            .collect();
        dictionary.sort_unstable();
        dictionary.dedup();
        let position = |token: &str| dictionary.binary_search(&token).ok().map(|p| p as u32);
        for subject in &bags {
            let words = SubjectWords::new(subject, position);
            for candidate in &bags[1..] {
                let positions: Vec<u32> = candidate
                    .counts()
                    .iter()
                    .filter_map(|(t, _)| position(t))
                    .collect();
                let counts: Vec<u32> = candidate.counts().iter().map(|(_, c)| *c as u32).collect();
                let interned = words.cosine(&positions, &counts, candidate.norm());
                assert_eq!(interned.to_bits(), subject.cosine(candidate).to_bits());
            }
        }
        assert!(SubjectWords::new(&bags[0], position).cosine(&[], &[], 0.0) == 0.0);
    }

    #[test]
    fn japanese_bigrams_overlap() {
        let a = WordBag::of(&["膵がんの早期発見"]);
        let b = WordBag::of(&["早期発見のための膵がん血漿"]);
        assert!(a.cosine(&b) > 0.3);
    }
}
