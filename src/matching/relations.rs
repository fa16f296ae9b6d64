//! How the diseases of two sides relate in the vocabulary, and how much each relation is worth.

use super::weights::disease_relation as w;
use crate::vocab::Vocabulary;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

/// Answers about pairs of concept ids, by the first and then the second: looked up by `&str`
/// without building a key.
type PairMemo<T> = RwLock<HashMap<String, HashMap<String, T>>>;

/// The vocabulary's answers about pairs of concepts, remembered: one match asks the same few
/// questions (is this dataset's disease under the need's?) for thousands of candidates. Shared
/// by the threads of one match, and by the matches of one matcher.
pub struct Relations<'v> {
    vocab: &'v Vocabulary,
    related: PairMemo<Option<(Relation, f64)>>,
    /// Per subject disease: its relation to every concept, by vocabulary position.
    related_rows: RowMemo<'v, Option<(Relation, f64)>>,
    /// Per concept: whether every other concept is on its line (the same, above or below).
    line_rows: RowMemo<'v, bool>,
}

type RowMemo<'v, T> = RwLock<HashMap<String, Arc<Row<'v, T>>>>;

/// One concept's answers against every concept of the vocabulary, by position: each worked
/// out the first time it is asked for, then shared.
pub struct Row<'v, T> {
    vocab: &'v Vocabulary,
    concept: String,
    answer: fn(&Vocabulary, &str, &str) -> T,
    cells: Vec<OnceLock<T>>,
}

impl<T> Row<'_, T> {
    /// The answer for the concept at `position`; `None` for a position past the vocabulary.
    pub fn at(&self, position: u32) -> Option<&T> {
        let cell = self.cells.get(position as usize)?;
        if let Some(known) = cell.get() {
            return Some(known);
        }
        let other = self.vocab.concept_at(position as usize)?;
        Some(cell.get_or_init(|| (self.answer)(self.vocab, &self.concept, &other.id)))
    }
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

/// The remembered row of `concept`, else a new one, remembered from now on.
fn row<'v, T>(
    memo: &RowMemo<'v, T>,
    vocab: &'v Vocabulary,
    concept: &str,
    answer: fn(&Vocabulary, &str, &str) -> T,
) -> Arc<Row<'v, T>> {
    if let Ok(known) = memo.read() {
        if let Some(row) = known.get(concept) {
            return Arc::clone(row);
        }
    }
    let fresh = Arc::new(Row {
        vocab,
        concept: concept.to_string(),
        answer,
        cells: (0..vocab.len()).map(|_| OnceLock::new()).collect(),
    });
    match memo.write() {
        Ok(mut known) => {
            // Bounded, so that subjects naming thousands of different concepts (every need of
            // an odd catalog) cannot grow it without end; when full it starts over, and the
            // rows still in use stay alive with their matches.
            if known.len() >= ROWS_REMEMBERED && !known.contains_key(concept) {
                known.clear();
            }
            Arc::clone(known.entry(concept.to_string()).or_insert(fresh))
        }
        Err(_) => fresh,
    }
}

/// Rows a [`Relations`] keeps of each kind: a row holds an answer per vocabulary concept (under
/// a megabyte), and a match asks for one per subject concept.
const ROWS_REMEMBERED: usize = 64;

/// Whether one concept is the other or lies above or below it.
fn on_one_line(vocab: &Vocabulary, a: &str, b: &str) -> bool {
    vocab.is_same_or_under(a, b) || vocab.is_same_or_under(b, a)
}

impl<'v> Relations<'v> {
    /// An empty memory over a vocabulary.
    pub fn new(vocab: &'v Vocabulary) -> Self {
        Relations {
            vocab,
            related: RwLock::new(HashMap::new()),
            related_rows: RwLock::new(HashMap::new()),
            line_rows: RwLock::new(HashMap::new()),
        }
    }

    /// [`relate`], remembered.
    pub fn relate(&self, subject: &str, candidate: &str) -> Option<(Relation, f64)> {
        remembered(&self.related, subject, candidate, || {
            relate(self.vocab, subject, candidate)
        })
    }

    /// [`relate`] of `subject` to every concept, by position.
    pub fn relate_row(&self, subject: &str) -> Arc<RelateRow<'v>> {
        row(&self.related_rows, self.vocab, subject, relate)
    }

    /// Whether `concept` and each concept, by position, are on one line (the same, or one above
    /// the other).
    pub fn line_row(&self, concept: &str) -> Arc<Row<'v, bool>> {
        row(&self.line_rows, self.vocab, concept, on_one_line)
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

/// For each of `subject_len` subject diseases, its best link among the candidate's diseases
/// (the last of equal scores, as `max_by` gives), handed to `found`; and the fit: the mean of
/// the best scores (a subject disease with no link counts zero).
fn best_links<'c, C, R>(
    subject_len: usize,
    candidate: &'c [C],
    relate: impl Fn(usize, &'c C) -> Option<(R, f64)>,
    mut found: impl FnMut(usize, &'c C, R, f64),
) -> f64 {
    if subject_len == 0 {
        return 0.0;
    }
    let mut total = 0.0;
    for s in 0..subject_len {
        let best = candidate
            .iter()
            .filter_map(|c| relate(s, c).map(|(relation, score)| (c, relation, score)))
            .max_by(|a, b| a.2.total_cmp(&b.2));
        if let Some((c, relation, score)) = best {
            total += score;
            found(s, c, relation, score);
        }
    }
    total / subject_len as f64
}

/// For each subject disease, its best link to the candidate's diseases; and the fit: the mean
/// of the best scores (a subject disease with no link counts zero).
pub fn disease_fit(
    relations: &Relations,
    subject: &[String],
    candidate: &[String],
) -> (f64, Vec<DiseaseLink>) {
    let mut links = Vec::new();
    let fit = best_links(
        subject.len(),
        candidate,
        |s, c| relations.relate(&subject[s], c),
        |s, c, relation, score| {
            links.push(DiseaseLink {
                subject: subject[s].clone(),
                candidate: c.clone(),
                relation,
                score,
            })
        },
    );
    (fit, links)
}

/// How a candidate's diseases (by vocabulary position) meet the subject's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DiseaseFit {
    /// The mean of each subject disease's best link score.
    pub score: f64,
    /// Every link goes through a shared group only (see [`Relation::Sibling`]); false without links.
    pub siblings_only: bool,
}

/// A concept's [`relate`] answers against every concept.
type RelateRow<'v> = Row<'v, Option<(Relation, f64)>>;

/// A subject's diseases, each with its row of relations, for scoring many candidates.
pub struct SubjectDiseases<'s, 'v> {
    rows: Vec<(&'s String, Arc<RelateRow<'v>>)>,
}

impl<'s, 'v> SubjectDiseases<'s, 'v> {
    /// The rows of `diseases` from the relations' memory.
    pub fn new(relations: &Relations<'v>, diseases: &'s [String]) -> Self {
        SubjectDiseases {
            rows: diseases
                .iter()
                .map(|d| (d, relations.relate_row(d)))
                .collect(),
        }
    }

    /// Whether the disease at `position` relates to one of the subject's: a candidate that
    /// names none such has a fit of zero.
    pub fn reach(&self, position: u32) -> bool {
        self.rows
            .iter()
            .any(|(_, row)| row.at(position).is_some_and(Option::is_some))
    }

    /// [`disease_fit`] of a candidate's diseases given by position; the links are pushed to
    /// `links` when asked for.
    pub fn fit(
        &self,
        vocab: &Vocabulary,
        candidate: &[u32],
        mut links: Option<&mut Vec<DiseaseLink>>,
    ) -> DiseaseFit {
        let (mut any, mut siblings_only) = (false, true);
        let score = best_links(
            self.rows.len(),
            candidate,
            |s, &c| {
                let (relation, score) = self.rows[s].1.at(c)?.as_ref()?;
                Some((relation, *score))
            },
            |s, &c, relation, score| {
                any = true;
                siblings_only &= matches!(relation, Relation::Sibling(_));
                if let Some(links) = links.as_deref_mut() {
                    links.push(DiseaseLink {
                        subject: self.rows[s].0.clone(),
                        candidate: vocab
                            .concept_at(c as usize)
                            .map(|concept| concept.id.clone())
                            .unwrap_or_default(),
                        relation: relation.clone(),
                        score,
                    });
                }
            },
        );
        DiseaseFit {
            score,
            siblings_only: any && siblings_only,
        }
    }
}

/// Concepts a subject wants (modalities, strategies, clinical items), each with its row, for
/// finding which of them a candidate covers.
pub struct Wanted<'s, 'v> {
    rows: Vec<(&'s String, Arc<Row<'v, bool>>)>,
}

impl<'s, 'v> Wanted<'s, 'v> {
    /// The rows of `concepts` from the relations' memory.
    pub fn new(relations: &Relations<'v>, concepts: impl IntoIterator<Item = &'s String>) -> Self {
        Wanted {
            rows: concepts
                .into_iter()
                .map(|c| (c, relations.line_row(c)))
                .collect(),
        }
    }

    /// How many concepts are wanted.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when nothing is wanted.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The wanted concepts the offered ones (by position) cover: the same concept, or one
    /// above or below it.
    pub fn covered(&self, offered: &[&[u32]]) -> Vec<&'s String> {
        self.rows
            .iter()
            .filter(|(_, row)| covers(row, offered))
            .map(|(concept, _)| *concept)
            .collect()
    }

    /// How many wanted concepts the offered ones cover: `covered(offered).len()`, without
    /// listing them (every candidate is asked; only the listed ones are explained).
    pub fn count_covered(&self, offered: &[&[u32]]) -> usize {
        self.rows
            .iter()
            .filter(|(_, row)| covers(row, offered))
            .count()
    }
}

/// Whether any offered concept (by position) is on the line of the row's concept.
fn covers(row: &Row<bool>, offered: &[&[u32]]) -> bool {
    offered
        .iter()
        .flat_map(|list| list.iter())
        .any(|&o| row.at(o).copied().unwrap_or(false))
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
        let position = |id: &str| v.position(id).expect("a concept") as u32;
        for _ in 0..2 {
            assert_eq!(relations.relate(&a, &b), relate(v, &a, &b));
            let row = relations.relate_row(&a);
            assert_eq!(row.at(position(&b)).cloned(), Some(relate(v, &a, &b)));
            assert_eq!(relations.line_row(&a).at(position(&b)), Some(&true));
            assert_eq!(relations.line_row(&b).at(position(&a)), Some(&true));
        }
        let als = relations.line_row(&id(v, "ALS"));
        assert_eq!(als.at(position(&id(v, "膵がん"))), Some(&false));
        assert_eq!(als.at(u32::MAX), None);
    }

    #[test]
    fn rows_kept_are_bounded_and_answer_as_fresh_ones() {
        let v = Vocabulary::builtin();
        let relations = Relations::new(v);
        let target = id(v, "neuroblastoma");
        let at = v.position(&target).expect("a concept") as u32;
        let subjects: Vec<&str> = v
            .concepts()
            .filter(|c| c.kind == crate::vocab::ConceptKind::Disease)
            .map(|c| c.id.as_str())
            .take(ROWS_REMEMBERED * 2 + 3)
            .collect();
        assert_eq!(subjects.len(), ROWS_REMEMBERED * 2 + 3);
        for subject in &subjects {
            let row = relations.relate_row(subject);
            assert_eq!(row.at(at).cloned(), Some(relate(v, subject, &target)));
            let line = relations.line_row(subject).at(at).copied();
            assert_eq!(line, Some(on_one_line(v, subject, &target)));
        }
        let related = relations.related_rows.read().map_or(0, |m| m.len());
        let lines = relations.line_rows.read().map_or(0, |m| m.len());
        assert!(related > 0 && related <= ROWS_REMEMBERED, "{related}");
        assert!(lines > 0 && lines <= ROWS_REMEMBERED, "{lines}");
    }

    #[test]
    fn unrelated_diseases_do_not_link() {
        let v = Vocabulary::builtin();
        assert_eq!(relate(v, &id(v, "ALS"), &id(v, "膵がん")), None);
    }
}
