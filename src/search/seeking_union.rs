//! A union of queries that follows an intersection's seeks instead of reading ahead.
//!
//! tantivy scores a `BooleanQuery` of `Should` clauses with a buffered union: whenever it runs
//! out, it reads every clause over the next 4,096 documents and scores each one found there.
//! That is the fastest way to go through every document of the union, and the slowest way to
//! answer an intersection that only asks about a few of them: "膵がん 全ゲノム" intersects the
//! few records that name pancreatic cancer with the union of 全ゲノム's phrase in seven fields,
//! and the buffered union checked the phrase's positions in every record that has its
//! characters (most of a million) to answer a few thousand seeks. [`SeekingUnion`] moves each
//! clause only as far as it is asked.
//!
//! It finds the same documents with the same scores: a document's score is the sum of the
//! scores of the clauses that match it, added in clause order from zero, as tantivy's
//! `SumCombiner` adds them. Its cost is the sum of its clauses' costs, as the buffered union's,
//! but the buffered union drops the clauses it has read to their end, so the two can report
//! different costs near the end of a segment. An intersection of three or more scorers adds
//! their scores in the order of their costs, so a union under one is left to tantivy's
//! `BooleanQuery` (see `search::Shape`).

use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term, TERMINATED};

/// Documents matching any of `clauses`, scored as the sum of the clauses that match.
#[derive(Debug)]
pub struct SeekingUnion {
    clauses: Vec<Box<dyn Query>>,
}

impl SeekingUnion {
    /// The union of `clauses`.
    pub fn new(clauses: Vec<Box<dyn Query>>) -> SeekingUnion {
        SeekingUnion { clauses }
    }
}

impl Clone for SeekingUnion {
    fn clone(&self) -> Self {
        SeekingUnion {
            clauses: self.clauses.iter().map(|c| c.box_clone()).collect(),
        }
    }
}

impl Query for SeekingUnion {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .clauses
            .iter()
            .map(|clause| clause.weight(enable_scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(SeekingUnionWeight { weights }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for clause in &self.clauses {
            clause.query_terms(visitor);
        }
    }
}

struct SeekingUnionWeight {
    weights: Vec<Box<dyn Weight>>,
}

impl Weight for SeekingUnionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorers = Vec::with_capacity(self.weights.len());
        for weight in &self.weights {
            let scorer = weight.scorer(reader, boost)?;
            if scorer.doc() != TERMINATED {
                scorers.push(scorer);
            }
        }
        Ok(match scorers.len() {
            0 => Box::new(EmptyScorer),
            // As tantivy's union of one clause: the clause itself.
            1 => scorers.remove(0),
            _ => Box::new(SeekingUnionScorer::new(scorers, reader.num_docs())),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document #{doc} does not match"
            )));
        }
        let mut explanation = Explanation::new("sum of the clauses that match", scorer.score());
        for weight in &self.weights {
            if let Ok(detail) = weight.explain(reader, doc) {
                explanation.add_detail(detail);
            }
        }
        Ok(explanation)
    }
}

/// How far ahead the union reads its clauses while it is advanced, as tantivy's buffered union.
const WINDOW: u32 = 4096;

/// The scorer of [`SeekingUnion`]. Advanced one document at a time (alone, or inside another
/// union), it reads every clause over the next [`WINDOW`] documents at once, as tantivy's
/// buffered union does; sought past that window (in an intersection, which seeks even the
/// part it leads, to the document after its own), it moves each clause only to the document
/// sought, and reads ahead again when next advanced.
struct SeekingUnionScorer {
    scorers: Vec<Box<dyn Scorer>>,
    doc: DocId,
    num_docs: u32,
    /// Whether `doc` came from the window read ahead (the clauses are all past it) or is the
    /// least document the clauses stand on.
    read_ahead: bool,
    /// The first document of the window read ahead.
    window_start: DocId,
    /// Which documents of the window matched, a bit each (empty until first read ahead: a
    /// union that is only sought never needs it).
    found: Vec<u64>,
    /// The score of each document of the window that matched.
    scores: Vec<Score>,
}

impl SeekingUnionScorer {
    fn new(scorers: Vec<Box<dyn Scorer>>, num_docs: u32) -> SeekingUnionScorer {
        let mut union = SeekingUnionScorer {
            scorers,
            doc: TERMINATED,
            num_docs,
            read_ahead: false,
            window_start: 0,
            found: Vec::new(),
            scores: Vec::new(),
        };
        union.doc = union.least_doc();
        union
    }

    /// The least document the clauses stand on.
    fn least_doc(&self) -> DocId {
        self.scorers
            .iter()
            .map(|s| s.doc())
            .min()
            .unwrap_or(TERMINATED)
    }

    /// Reads every clause over the window from the least document they stand on, and stands
    /// on its first document.
    fn read_window(&mut self) -> DocId {
        let start = self.least_doc();
        if start == TERMINATED {
            self.read_ahead = false;
            self.doc = TERMINATED;
            return TERMINATED;
        }
        if self.scores.is_empty() {
            self.found = vec![0; (WINDOW / 64) as usize];
            self.scores = vec![0.0; WINDOW as usize];
        } else {
            self.found.fill(0);
            self.scores.fill(0.0);
        }
        let end = start.saturating_add(WINDOW);
        for scorer in &mut self.scorers {
            let mut doc = scorer.doc();
            while doc < end {
                let delta = (doc - start) as usize;
                self.found[delta / 64] |= 1 << (delta % 64);
                // Added in clause order, from zero, as tantivy's `SumCombiner` adds them.
                self.scores[delta] += scorer.score();
                doc = scorer.advance();
            }
        }
        self.scorers.retain(|s| s.doc() != TERMINATED);
        self.read_ahead = true;
        self.window_start = start;
        self.doc = start;
        start
    }

    /// The first document of the window at or after `delta`, if any.
    fn found_from(&self, delta: u32) -> Option<DocId> {
        let mut bucket = (delta / 64) as usize;
        let mut bits = self.found.get(bucket)? & (u64::MAX << (delta % 64));
        loop {
            if bits != 0 {
                return Some(self.window_start + bucket as u32 * 64 + bits.trailing_zeros());
            }
            bucket += 1;
            bits = *self.found.get(bucket)?;
        }
    }

    /// The clauses not yet read to their end.
    fn live(&self) -> impl Iterator<Item = &Box<dyn Scorer>> {
        self.scorers.iter().filter(|s| s.doc() != TERMINATED)
    }
}

impl DocSet for SeekingUnionScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        if self.read_ahead {
            if let Some(doc) = self.found_from(self.doc - self.window_start + 1) {
                self.doc = doc;
                return doc;
            }
        } else {
            let current = self.doc;
            for scorer in &mut self.scorers {
                if scorer.doc() == current {
                    scorer.advance();
                }
            }
        }
        self.read_window()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        if self.read_ahead && target - self.window_start < WINDOW {
            if let Some(doc) = self.found_from(target - self.window_start) {
                self.doc = doc;
                return doc;
            }
            // Every clause is past the window, so past `target`.
            return self.read_window();
        }
        for scorer in &mut self.scorers {
            if scorer.doc() < target {
                scorer.seek(target);
            }
        }
        self.read_ahead = false;
        self.doc = self.least_doc();
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        estimate_union(self.live().map(DocSet::size_hint), self.num_docs)
    }

    fn cost(&self) -> u64 {
        self.live().map(DocSet::cost).sum()
    }
}

impl Scorer for SeekingUnionScorer {
    fn score(&mut self) -> Score {
        if self.read_ahead {
            return self.scores[(self.doc - self.window_start) as usize];
        }
        let current = self.doc;
        // Added in clause order, from zero, as tantivy's `SumCombiner` adds them.
        let mut score: Score = 0.0;
        for scorer in &mut self.scorers {
            if scorer.doc() == current {
                score += scorer.score();
            }
        }
        score
    }
}

/// tantivy's estimate of how many documents a union of sets of these sizes holds
/// (`query::size_hint::estimate_union`, private to tantivy), so that a [`SeekingUnion`] is
/// weighed as a buffered union is.
fn estimate_union(sizes: impl Iterator<Item = u32>, max_docs: u32) -> u32 {
    let co_loc_factor = 0.8;
    let mut not_in_any_set_prob = 1.0;
    for size in sizes {
        let prob_in_set = (size as f64 / max_docs as f64) * co_loc_factor;
        not_in_any_set_prob *= 1.0 - prob_in_set;
    }
    let union_estimate = (max_docs as f64 * (1.0 - not_in_any_set_prob)).round();
    union_estimate.min(max_docs as f64) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_random::Lcg;

    /// A clause with known documents and scores.
    struct Listed {
        docs: Vec<(DocId, Score)>,
        at: usize,
    }

    impl Listed {
        fn doc_at(&self, at: usize) -> DocId {
            self.docs.get(at).map_or(TERMINATED, |d| d.0)
        }
    }

    impl DocSet for Listed {
        fn advance(&mut self) -> DocId {
            self.at += 1;
            self.doc()
        }
        fn doc(&self) -> DocId {
            self.doc_at(self.at)
        }
        fn size_hint(&self) -> u32 {
            self.docs.len() as u32
        }
    }

    impl Scorer for Listed {
        fn score(&mut self) -> Score {
            self.docs[self.at].1
        }
    }

    /// Documents with their scores, in document order.
    type Scored = Vec<(DocId, Score)>;

    /// Every clause's documents and scores, and what the union must give: each document once,
    /// with the sum of the scores of the clauses that have it, added in clause order from zero.
    fn case(random: &mut Lcg) -> (Vec<Scored>, Scored) {
        let span = 1 + random.below(20_000) as u32;
        let clauses: Vec<Scored> = (0..1 + random.below(8))
            .map(|_| {
                // Dense, sparse and empty clauses, with scores that do not add up exactly.
                let every = 1 + random.below(600) as u32;
                let mut docs = Vec::new();
                for doc in 0..span {
                    if random.below(every as u64) == 0 {
                        docs.push((doc, 0.1 + random.below(1000) as Score / 7.0));
                    }
                }
                docs
            })
            .collect();
        let mut expected: Scored = Vec::new();
        for doc in 0..span {
            let mut score: Score = 0.0;
            let mut found = false;
            for clause in &clauses {
                if let Ok(at) = clause.binary_search_by_key(&doc, |d| d.0) {
                    score += clause[at].1;
                    found = true;
                }
            }
            if found {
                expected.push((doc, score));
            }
        }
        (clauses, expected)
    }

    fn union_of(clauses: &[Scored]) -> SeekingUnionScorer {
        let scorers: Vec<Box<dyn Scorer>> = clauses
            .iter()
            .filter(|docs| !docs.is_empty())
            .map(|docs| {
                Box::new(Listed {
                    docs: docs.clone(),
                    at: 0,
                }) as Box<dyn Scorer>
            })
            .collect();
        SeekingUnionScorer::new(scorers, 20_000)
    }

    #[test]
    fn advancing_gives_every_document_once_with_the_sum_in_clause_order() {
        let mut random = Lcg(3);
        for _ in 0..200 {
            let (clauses, expected) = case(&mut random);
            let mut union = union_of(&clauses);
            let mut got = Vec::new();
            while union.doc() != TERMINATED {
                got.push((union.doc(), union.score()));
                union.advance();
            }
            assert_eq!(got.len(), expected.len());
            for (g, e) in got.iter().zip(&expected) {
                assert_eq!(g.0, e.0);
                assert_eq!(g.1.to_bits(), e.1.to_bits(), "document {}", g.0);
            }
        }
    }

    #[test]
    fn seeks_and_advances_mixed_land_where_the_union_says() {
        let mut random = Lcg(11);
        for _ in 0..300 {
            let (clauses, expected) = case(&mut random);
            let mut union = union_of(&clauses);
            // Short and long seeks (within the window read ahead and past it), seeks to where
            // the union already is, and advances, in random order.
            let mut at = 0usize; // index in `expected` of the union's document
            loop {
                let want = expected.get(at).map_or(TERMINATED, |e| e.0);
                assert_eq!(union.doc(), want);
                if want == TERMINATED {
                    break;
                }
                assert_eq!(union.score().to_bits(), expected[at].1.to_bits());
                match random.below(4) {
                    0 => {
                        union.advance();
                        at += 1;
                    }
                    1 => {
                        assert_eq!(union.seek(want), want, "a seek to where it is stays");
                    }
                    _ => {
                        let jump = if random.below(2) == 0 { 64 } else { 9_000 };
                        let target = want + 1 + random.below(jump) as u32;
                        union.seek(target);
                        at = expected.partition_point(|e| e.0 < target);
                    }
                }
            }
            assert_eq!(union.advance(), TERMINATED);
        }
    }

    #[test]
    fn cost_and_size_are_the_clauses_not_yet_read_to_their_end() {
        let clauses = vec![
            (0..100).map(|d| (d * 3, 1.0)).collect::<Vec<_>>(),
            vec![(5, 1.0)],
        ];
        let mut union = union_of(&clauses);
        assert_eq!(union.cost(), 101);
        assert_eq!(
            union.size_hint(),
            estimate_union([100, 1].into_iter(), 20_000)
        );
        union.seek(6);
        assert_eq!(union.cost(), 100, "the second clause has ended");
    }
}
