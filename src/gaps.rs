//! The gap report: every need and proposal that no allowed dataset serves well, with why, grouped
//! by disease so the consortium sees which cohorts to plan (戦略的コホート).

use crate::consent::Date;
use crate::matching::relations::{disease_fit, DiseaseLink, Relation, Relations};
use crate::matching::{Candidates, MatchItem, MatchOptions, Matcher, Subject};
use crate::model::{Catalog, Kind};
use crate::records::IdIndexed;
use crate::vocab::Vocabulary;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// A dataset the consent rules block for the subject, and the rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockedDataset {
    pub dataset: String,
    pub rule: String,
}

/// Why a subject has no good dataset.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum GapReason {
    /// No dataset on the subject's disease at all (nor a related one that may be offered).
    NoDataset,
    /// Datasets on the disease exist, but the consent rules block every one.
    AllBlocked { blocked: Vec<BlockedDataset> },
    /// The best allowed dataset on the disease has fewer cases than needed.
    TooFewCases {
        dataset: String,
        cases: u64,
        needed: u64,
    },
    /// The only allowed datasets share no more than a broad group with the subject's disease.
    RelatedFieldOnly { dataset: String, via: Vec<String> },
}

impl GapReason {
    /// A short name of the category (`no_dataset`, `all_blocked`, …).
    pub fn category(&self) -> &'static str {
        match self {
            GapReason::NoDataset => "no_dataset",
            GapReason::AllBlocked { .. } => "all_blocked",
            GapReason::TooFewCases { .. } => "too_few_cases",
            GapReason::RelatedFieldOnly { .. } => "related_field_only",
        }
    }

    /// The reason in words.
    pub fn explain(&self) -> String {
        match self {
            GapReason::NoDataset => "no dataset on this disease".to_string(),
            GapReason::AllBlocked { blocked } => {
                let rules: Vec<String> = blocked
                    .iter()
                    .map(|b| format!("{} ({})", b.dataset, b.rule))
                    .collect();
                format!(
                    "every dataset on this disease is blocked: {}",
                    rules.join("; ")
                )
            }
            GapReason::TooFewCases {
                dataset,
                cases,
                needed,
            } => format!("too few cases: the best, {dataset}, has {cases} of {needed} needed"),
            GapReason::RelatedFieldOnly { dataset, via } => format!(
                "related field only: the best, {dataset}, shares only {} with it",
                via.join(", ")
            ),
        }
    }
}

/// One need or proposal without a good dataset.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    pub subject: String,
    /// `need` or `proposal`.
    pub kind: &'static str,
    pub title: String,
    /// Cases asked for (`min_cases`, `target_cases`), if said.
    pub cases_needed: Option<u64>,
    #[serde(flatten)]
    pub reason: GapReason,
}

/// The gaps of one disease (the first disease each subject names).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiseaseGaps {
    /// The concept id; `None` for subjects that name no disease the vocabulary knows.
    pub disease: Option<String>,
    /// Its Japanese and English names.
    pub label: String,
    /// Subjects here, by category.
    pub counts: BTreeMap<&'static str, usize>,
    /// Cases asked for by all subjects here together.
    pub cases_needed: u64,
    pub gaps: Vec<Gap>,
}

/// Every gap of a catalog.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapReport {
    /// Needs and proposals looked at.
    pub subjects: usize,
    /// Of which without a good dataset.
    pub gaps: usize,
    /// Totals per category.
    pub counts: BTreeMap<&'static str, usize>,
    /// By disease, most gaps first.
    pub diseases: Vec<DiseaseGaps>,
}

/// The matches of one subject, sorted into what the gap report needs.
struct Sorted<'i> {
    /// Allowed, linked to the subject's disease itself (or above or below it).
    on_disease: Vec<&'i MatchItem>,
    /// Blocked, on the disease itself.
    blocked: Vec<&'i MatchItem>,
    /// Allowed, linked only through a shared broad group, with the groups.
    related: Vec<(&'i MatchItem, Vec<String>)>,
}

/// What the matches of one need or proposal say.
enum Looked {
    /// It could not be matched.
    NotMatched,
    /// It has a good dataset.
    Served,
    /// Its gap, under its first disease.
    Gap(Option<String>, Gap),
}

/// Builds the gap report of every need and proposal of the catalog, whose records
/// `candidates` are (those the index build stored, or read from the catalog).
pub fn gap_report(
    catalog: &Catalog,
    candidates: &Candidates,
    vocab: &Vocabulary,
    today: Date,
) -> GapReport {
    report(catalog, candidates, vocab, today, true)
}

/// The gap report; with `ask_first`, each subject is first asked whether one dataset serves
/// it (allowed, on its disease, with the cases it needs), and only a subject that none serves
/// has every dataset that fits it listed. Either way the report is the same: one such dataset
/// is all it takes for no gap.
fn report(
    catalog: &Catalog,
    candidates: &Candidates,
    vocab: &Vocabulary,
    today: Date,
    ask_first: bool,
) -> GapReport {
    // Every need and proposal looks at the datasets its diseases reach, on every core. Each
    // is found by id (with its owner and the consent rules' parties) through an index of the
    // ids: a scan of them per subject was two thirds of the report's time at 200,000 records.
    let indexed = IdIndexed::new(catalog);
    let matcher = Matcher::with_candidates(&indexed, vocab, today, candidates).for_many_subjects();
    let relations = Relations::new(vocab);
    // Each dataset's diseases as its profile has them, from its stored row: reading every
    // dataset's text through the vocabulary again, and each subject's twice more, was two
    // thirds of the report's time at 200,000 records.
    let dataset_diseases: HashMap<&str, Vec<String>> = (catalog.datasets.iter().enumerate())
        .map(|(at, d)| {
            (
                d.id.as_str(),
                candidates.diseases_of(Kind::Dataset, at, vocab),
            )
        })
        .collect();
    let cases: HashMap<&str, u64> = catalog
        .datasets
        .iter()
        .map(|d| (d.id.as_str(), d.cases))
        .collect();
    let options = MatchOptions {
        limit: catalog.datasets.len().max(1),
        include_blocked: true,
        ..MatchOptions::default()
    };
    // The datasets by cases, most first (a stable sort): those a subject may be served by are
    // a first part of them.
    let mut by_cases: Vec<u32> = (0..catalog.datasets.len() as u32).collect();
    let cases_at = |i: u32| catalog.datasets.get(i as usize).map_or(0, |d| d.cases);
    by_cases.sort_by_key(|&i| std::cmp::Reverse(cases_at(i)));
    let cases_of = |item: &MatchItem| cases.get(item.id.as_str()).copied().unwrap_or(0);
    // The subject at `at`: the needs, then the proposals.
    let subject = |at: usize| match catalog.needs.get(at) {
        Some(n) => Some((
            Subject::Need(n.id.clone()),
            "need",
            crate::model::Record::Need(n.clone()).title(),
            n.min_cases,
        )),
        None => catalog.proposals.get(at - catalog.needs.len()).map(|p| {
            (
                Subject::Proposal(p.id.clone()),
                "proposal",
                p.title.clone(),
                p.target_cases,
            )
        }),
    };
    // Per subject, in catalog order.
    let found: Vec<Looked> = (0..catalog.needs.len() + catalog.proposals.len())
        .into_par_iter()
        .map(|at| {
            let Some((subject, kind, title, needed)) = subject(at) else {
                return Looked::NotMatched;
            };
            // Found once, with its profile, for both questions below.
            let Ok(found) = matcher.find_subject(&subject, &options) else {
                return Looked::NotMatched;
            };
            let diseases = found.diseases();
            if ask_first {
                let enough = match needed {
                    Some(n) => by_cases.partition_point(|&i| cases_at(i) >= n),
                    None => by_cases.len(),
                };
                let serves = |item: &MatchItem| {
                    item.blocked.is_none()
                        && needed.is_none_or(|n| cases_of(item) >= n)
                        && on_disease(item, diseases, &dataset_diseases, &relations).0
                };
                if matcher
                    .first_dataset_of(&found, &by_cases[..enough], serves)
                    .is_some()
                {
                    return Looked::Served;
                }
            }
            let datasets = matcher.datasets_of(&found, false);
            let sorted = sort_matches(&datasets, diseases, &dataset_diseases, &relations, vocab);
            let (Some(reason), Subject::Need(id) | Subject::Proposal(id)) =
                (reason(&sorted, needed, &cases), subject)
            else {
                return Looked::Served;
            };
            let gap = Gap {
                subject: id,
                kind,
                title,
                cases_needed: needed,
                reason,
            };
            Looked::Gap(diseases.first().cloned(), gap)
        })
        .collect();
    let mut groups: BTreeMap<Option<String>, Vec<Gap>> = BTreeMap::new();
    let mut looked_at = 0;
    for looked in found {
        match looked {
            Looked::NotMatched => continue,
            Looked::Served => {}
            Looked::Gap(disease, gap) => groups.entry(disease).or_default().push(gap),
        }
        looked_at += 1;
    }
    let mut counts = BTreeMap::new();
    let mut diseases: Vec<DiseaseGaps> = groups
        .into_iter()
        .map(|(disease, gaps)| {
            let mut group_counts = BTreeMap::new();
            for g in &gaps {
                *group_counts.entry(g.reason.category()).or_insert(0) += 1;
                *counts.entry(g.reason.category()).or_insert(0) += 1;
            }
            DiseaseGaps {
                label: match &disease {
                    Some(id) => both_names(vocab, id),
                    None => "(no disease named)".to_string(),
                },
                disease,
                counts: group_counts,
                cases_needed: gaps.iter().filter_map(|g| g.cases_needed).sum(),
                gaps,
            }
        })
        .collect();
    diseases.sort_by(|a, b| {
        b.gaps
            .len()
            .cmp(&a.gaps.len())
            .then_with(|| a.label.cmp(&b.label))
    });
    GapReport {
        subjects: looked_at,
        gaps: diseases.iter().map(|d| d.gaps.len()).sum(),
        counts,
        diseases,
    }
}

/// `膵がん / pancreatic cancer`, or one name when both are the same.
fn both_names(vocab: &Vocabulary, id: &str) -> String {
    let (ja, en) = (vocab.label(id, true), vocab.label(id, false));
    if ja == en {
        ja
    } else {
        format!("{ja} / {en}")
    }
}

/// Whether a listed dataset is on the subject's disease itself (or above or below it; any
/// dataset when the subject names none), with its links to the subject's diseases.
fn on_disease(
    item: &MatchItem,
    subject_diseases: &[String],
    dataset_diseases: &HashMap<&str, Vec<String>>,
    relations: &Relations,
) -> (bool, Vec<DiseaseLink>) {
    let offered = dataset_diseases
        .get(item.id.as_str())
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let (_, links) = disease_fit(relations, subject_diseases, offered);
    let direct = subject_diseases.is_empty()
        || links.iter().any(|l| {
            matches!(
                l.relation,
                Relation::Same | Relation::Narrower(_) | Relation::Broader(_)
            )
        });
    (direct, links)
}

fn sort_matches<'i>(
    items: &'i [MatchItem],
    subject_diseases: &[String],
    dataset_diseases: &HashMap<&str, Vec<String>>,
    relations: &Relations,
    vocab: &Vocabulary,
) -> Sorted<'i> {
    let mut sorted = Sorted {
        on_disease: Vec::new(),
        blocked: Vec::new(),
        related: Vec::new(),
    };
    for item in items {
        let (direct, links) = on_disease(item, subject_diseases, dataset_diseases, relations);
        match (direct, item.blocked.is_some()) {
            (true, false) => sorted.on_disease.push(item),
            (true, true) => sorted.blocked.push(item),
            (false, false) => {
                let mut via: Vec<String> = links
                    .iter()
                    .filter_map(|l| match &l.relation {
                        Relation::Sibling(group) => Some(both_names(vocab, group)),
                        Relation::Root => Some(both_names(vocab, &l.candidate)),
                        _ => None,
                    })
                    .collect();
                via.dedup();
                sorted.related.push((item, via));
            }
            // A blocked dataset of a related field is neither a gap's cause nor a remedy.
            (false, true) => {}
        }
    }
    sorted
}

fn reason(sorted: &Sorted, needed: Option<u64>, cases: &HashMap<&str, u64>) -> Option<GapReason> {
    let cases_of = |item: &MatchItem| cases.get(item.id.as_str()).copied().unwrap_or(0);
    if let Some(largest) = sorted.on_disease.iter().max_by_key(|i| cases_of(i)) {
        let have = cases_of(largest);
        return match needed {
            Some(needed) if have < needed => Some(GapReason::TooFewCases {
                dataset: largest.id.clone(),
                cases: have,
                needed,
            }),
            _ => None,
        };
    }
    if !sorted.blocked.is_empty() {
        return Some(GapReason::AllBlocked {
            blocked: sorted
                .blocked
                .iter()
                .map(|i| BlockedDataset {
                    dataset: i.id.clone(),
                    rule: i.blocked.clone().unwrap_or_default(),
                })
                .collect(),
        });
    }
    if let Some((best, via)) = sorted.related.first() {
        return Some(GapReason::RelatedFieldOnly {
            dataset: best.id.clone(),
            via: via.clone(),
        });
    }
    Some(GapReason::NoDataset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diseases_read_from_stored_rows_and_found_subjects_are_the_profiles() {
        use crate::matching::profile;
        let vocab = Vocabulary::builtin();
        let today = Date::new(2026, 11, 27).expect("a date");
        let mut catalog = crate::synthetic::catalog(2000, 7);
        // Diseases met only in the text, and a name no concept has.
        catalog.datasets[0].diseases = vec!["no such disease".into()];
        catalog.datasets[0].summary = Some("膵がん and acute myeloid leukaemia".into());
        catalog.needs[0].diseases.clear();
        catalog.needs[0].text = "肺腺がん の RNA-seq".into();
        let candidates = Candidates::read(&catalog, vocab);
        for (at, d) in catalog.datasets.iter().enumerate() {
            let stored = candidates.diseases_of(Kind::Dataset, at, vocab);
            assert_eq!(stored, profile::of_dataset(d, vocab).diseases, "{}", d.id);
        }
        assert!(candidates.diseases_of(Kind::Dataset, 0, vocab).len() >= 2);
        let matcher = Matcher::with_candidates(&catalog, vocab, today, &candidates);
        let options = MatchOptions::default();
        for n in catalog.needs.iter().step_by(7) {
            let found = matcher.find_subject(&Subject::Need(n.id.clone()), &options);
            let found = found.expect("a need");
            assert_eq!(found.diseases(), profile::of_need(n, vocab, None).diseases);
        }
        let first = matcher.find_subject(&Subject::Need(catalog.needs[0].id.clone()), &options);
        assert!(!first.expect("a need").diseases().is_empty());
        for p in catalog.proposals.iter().step_by(3) {
            let found = matcher.find_subject(&Subject::Proposal(p.id.clone()), &options);
            let found = found.expect("a proposal");
            assert_eq!(
                found.diseases(),
                profile::of_proposal(p, vocab, None).diseases
            );
        }
    }

    #[test]
    fn asking_first_for_one_dataset_that_serves_gives_the_same_report() {
        let vocab = Vocabulary::builtin();
        let today = Date::new(2026, 11, 27).expect("a date");
        let full = crate::synthetic::catalog(3000, 42);
        // Few datasets (many gaps), and ids held twice: the report reads a dataset's cases by
        // its id, which gives the last one's.
        let mut few = full.clone();
        few.datasets.truncate(40);
        for at in 0..10 {
            let mut twin = few.datasets[at].clone();
            twin.cases = 5;
            few.datasets.push(twin);
        }
        // Needs asking for more cases than most datasets hold.
        let mut demanding = full.clone();
        for (i, need) in demanding.needs.iter_mut().enumerate() {
            need.min_cases = need.min_cases.map(|n| n * (1 + i as u64 % 4));
        }
        // No dataset on pancreatic cancer: its needs have related fields only.
        let mut no_pancreas = full.clone();
        no_pancreas.datasets.retain(|d| {
            !d.diseases
                .iter()
                .any(|x| x.contains('膵') || x.contains("pancrea"))
        });
        let mut categories = BTreeMap::new();
        for catalog in [&full, &few, &demanding, &no_pancreas] {
            let candidates = Candidates::read(catalog, vocab);
            let asked_first = report(catalog, &candidates, vocab, today, true);
            assert_eq!(
                asked_first,
                report(catalog, &candidates, vocab, today, false)
            );
            assert_eq!(asked_first.subjects, 900);
            for (category, n) in asked_first.counts {
                *categories.entry(category).or_insert(0) += n;
            }
        }
        // The catalogs have gaps of every kind, and subjects without.
        assert_eq!(categories.len(), 4, "{categories:?}");
        assert!(
            categories.values().sum::<usize>() < 3 * 900,
            "{categories:?}"
        );
    }
}
