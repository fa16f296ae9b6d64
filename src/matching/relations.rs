//! How the diseases of two sides relate in the vocabulary, and how much each relation is worth.

use super::weights::disease_relation as w;
use crate::vocab::Vocabulary;
use std::collections::HashMap;
use std::sync::RwLock;

/// Answers about pairs of concept ids, by the first and then the second: looked up by `&str`
/// without building a key.
type PairMemo<T> = RwLock<HashMap<String, HashMap<String, T>>>;

/// The vocabulary's answers about pairs of concepts, remembered: one match asks the same few
/// questions (is this dataset's disease under the need's?) for thousands of candidates. Shared
/// by the threads of one match.
pub struct Relations<'v> {
    vocab: &'v Vocabulary,
    related: PairMemo<Option<(Relation, f64)>>,
    under: PairMemo<bool>,
}

/// The remembered answer for (a, b), else `work()`, remembered from now on.
fn remembered<T: Clone>(memo: &PairMemo<T>, a: &str, b: &str, work: impl FnOnce() -> T) -> T {
    if let Ok(known) = memo.read() {
        if let Some(answer) = known.get(a).and_then(|row| row.get(b)) {
            return answer.clone();
        }
    }
    let answer = work();
    if let Ok(mut known) = memo.write() {
        known
            .entry(a.to_string())
            .or_default()
            .insert(b.to_string(), answer.clone());
    }
    answer
}

impl<'v> Relations<'v> {
    /// An empty memory over a vocabulary.
    pub fn new(vocab: &'v Vocabulary) -> Self {
        Relations {
            vocab,
            related: RwLock::new(HashMap::new()),
            under: RwLock::new(HashMap::new()),
        }
    }

    /// [`relate`], remembered.
    pub fn relate(&self, subject: &str, candidate: &str) -> Option<(Relation, f64)> {
        remembered(&self.related, subject, candidate, || {
            relate(self.vocab, subject, candidate)
        })
    }

    /// Whether one concept is the other or lies above or below it, remembered.
    pub fn same_line(&self, a: &str, b: &str) -> bool {
        remembered(&self.under, a, b, || {
            self.vocab.is_same_or_under(a, b) || self.vocab.is_same_or_under(b, a)
        })
    }
}

/// How a candidate's disease relates to a subject's.
#[derive(Debug, Clone, PartialEq)]
pub enum Relation {
    Same,
    /// The candidate's disease lies this many steps under the subject's.
    Narrower(usize),
    /// The candidate's disease lies this many steps above the subject's.
    Broader(usize),
    /// The candidate's disease is a root of the vocabulary above the subject's.
    Root,
    /// Both share this parent.
    Sibling(String),
}

/// The best relation of one subject disease to any of a candidate's diseases.
#[derive(Debug, Clone, PartialEq)]
pub struct DiseaseLink {
    pub subject: String,
    pub candidate: String,
    pub relation: Relation,
    pub score: f64,
}

/// Groups that cut across organs (paediatric, rare, hereditary…): two diseases under one of
/// them have little in common beyond it, so they are not counted as siblings.
const CROSS_CUTTING_GROUPS: &[&str] = &[
    "pediatric_cancer",
    "aya_cancer",
    "rare_cancer",
    "refractory_cancer",
    "hereditary_cancer",
    "pan_cancer",
    "solid_tumor",
    "metastatic_cancer",
    "carcinoma_in_situ",
    "monogenic_disease",
    "multifactorial_disease",
    "undiagnosed_disease",
    "nanbyo",
    "shoman",
];

/// True for a group whose members share something that matters for a match.
fn is_meaningful_parent(vocab: &Vocabulary, id: &str) -> bool {
    !is_root(vocab, id)
        && !CROSS_CUTTING_GROUPS.contains(&id)
        && !id.starts_with("shoman_group:")
        && !id.starts_with("nanbyo_group:")
}

fn is_root(vocab: &Vocabulary, id: &str) -> bool {
    vocab.concept(id).is_some_and(|c| c.parents.is_empty())
}

/// The relation of `candidate` to `subject`, if they are related closely enough to count.
pub fn relate(vocab: &Vocabulary, subject: &str, candidate: &str) -> Option<(Relation, f64)> {
    if subject == candidate {
        return Some((Relation::Same, w::SAME));
    }
    if let Some(steps) = vocab.steps_up(candidate, subject) {
        let score = (w::NARROWER - w::NARROWER_STEP * (steps.saturating_sub(1)) as f64)
            .max(w::NARROWER_FLOOR);
        return Some((Relation::Narrower(steps), score));
    }
    if let Some(steps) = vocab.steps_up(subject, candidate) {
        if is_root(vocab, candidate) {
            return Some((Relation::Root, w::ROOT));
        }
        let score =
            (w::BROADER - w::BROADER_STEP * (steps.saturating_sub(1)) as f64).max(w::BROADER_FLOOR);
        return Some((Relation::Broader(steps), score));
    }
    let subject_parents = vocab.concept(subject).map(|c| c.parents.clone())?;
    let candidate_parents = &vocab.concept(candidate)?.parents;
    subject_parents
        .into_iter()
        .find(|p| candidate_parents.contains(p) && is_meaningful_parent(vocab, p))
        .map(|p| (Relation::Sibling(p), w::SIBLING))
}

/// For each subject disease, its best link to the candidate's diseases; and the fit: the mean
/// of the best scores (a subject disease with no link counts zero).
pub fn disease_fit(
    relations: &Relations,
    subject: &[String],
    candidate: &[String],
) -> (f64, Vec<DiseaseLink>) {
    if subject.is_empty() {
        return (0.0, Vec::new());
    }
    let mut links = Vec::new();
    let mut total = 0.0;
    for s in subject {
        let best = candidate
            .iter()
            .filter_map(|c| {
                relations
                    .relate(s, c)
                    .map(|(relation, score)| (c, relation, score))
            })
            .max_by(|a, b| a.2.total_cmp(&b.2));
        if let Some((c, relation, score)) = best {
            total += score;
            links.push(DiseaseLink {
                subject: s.clone(),
                candidate: c.clone(),
                relation,
                score,
            });
        }
    }
    (total / subject.len() as f64, links)
}

/// Concepts of `wanted` that `offered` covers: the same concept, or one above or below it.
pub fn covered<'a>(
    relations: &Relations,
    wanted: &'a [String],
    offered: &[String],
) -> Vec<&'a String> {
    wanted
        .iter()
        .filter(|w| offered.iter().any(|o| relations.same_line(o, w)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(v: &Vocabulary, text: &str) -> String {
        v.resolve(text)
            .first()
            .map(|r| r.concept.clone())
            .unwrap_or_else(|| panic!("{text} resolves"))
    }

    #[test]
    fn narrower_dataset_disease_serves_a_broad_need() {
        let v = Vocabulary::builtin();
        let (relation, score) = relate(v, &id(v, "小児がん"), &id(v, "neuroblastoma")).unwrap();
        assert!(matches!(relation, Relation::Narrower(_)));
        assert!(score >= w::NARROWER_FLOOR);
    }

    #[test]
    fn broader_dataset_disease_counts_less_than_the_same() {
        let v = Vocabulary::builtin();
        let (relation, score) = relate(v, &id(v, "AML"), &id(v, "白血病")).unwrap();
        assert!(matches!(relation, Relation::Broader(_)), "{relation:?}");
        assert!((w::BROADER_FLOOR..w::SAME).contains(&score));
    }

    #[test]
    fn organ_groups_make_siblings_but_cross_cutting_groups_do_not() {
        let v = Vocabulary::builtin();
        let sibling = relate(v, &id(v, "膵がん"), &id(v, "胆道がん"));
        assert!(
            matches!(sibling, Some((Relation::Sibling(_), _))),
            "{sibling:?}"
        );
        assert_eq!(
            relate(v, &id(v, "neuroblastoma"), &id(v, "骨髄異形成症候群")),
            None
        );
    }

    #[test]
    fn remembered_answers_equal_fresh_ones() {
        let v = Vocabulary::builtin();
        let relations = Relations::new(v);
        let (a, b) = (id(v, "小児がん"), id(v, "neuroblastoma"));
        for _ in 0..2 {
            assert_eq!(relations.relate(&a, &b), relate(v, &a, &b));
            assert!(relations.same_line(&a, &b) && relations.same_line(&b, &a));
        }
        assert!(!relations.same_line(&id(v, "ALS"), &id(v, "膵がん")));
    }

    #[test]
    fn unrelated_diseases_do_not_link() {
        let v = Vocabulary::builtin();
        assert_eq!(relate(v, &id(v, "ALS"), &id(v, "膵がん")), None);
    }
}
