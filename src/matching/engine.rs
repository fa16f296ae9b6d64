//! The matching engine: for a subject (a need, proposal, organisation, researcher or an ad-hoc
//! need), the datasets that can serve it, the partners to bring in and the proposals it could
//! join — ranked, explained, and never against a dataset's consent.

use super::candidates::{Candidate, Candidates};
use super::phrases;
use super::profile::{self, Lang, Profile};
use super::reach::{DiseasePostings, Section};
use super::relations::{DiseaseFit, DiseaseLink, Relations, SubjectDiseases, Wanted};
use super::report::{MatchItem, MatchReport, MatchSubject, SubjectKind};
use super::similarity::SubjectWords;
use super::weights;
use crate::consent::{self, ConsentSubject, Date, OwnerStanding};
use crate::model::{Catalog, Forum, Kind, ProposalStatus};
use crate::records::{IdIndexed, Records};
use crate::vocab::Vocabulary;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicUsize, Ordering};

/// An ad-hoc need typed by the coordinator (not a record).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AdHocNeed {
    pub text: String,
    pub diseases: Vec<String>,
    pub modalities: Vec<String>,
    pub min_cases: Option<u64>,
    /// Who asks: an organisation or researcher id. The need is then judged as one owned by
    /// the requester (industry forum: commercial unless stated otherwise; `NPU` by its forum).
    pub requester: Option<String>,
    /// Commercial status as the coordinator stated it; `None`, with no requester, counts as
    /// commercial (commercial use not ruled out).
    pub commercial: Option<bool>,
}

/// What to match.
#[derive(Debug, Clone, PartialEq)]
pub enum Subject {
    Need(String),
    Proposal(String),
    Organization(String),
    Researcher(String),
    AdHoc(AdHocNeed),
}

/// How many results, whether blocked datasets are listed (with the rule that blocks them),
/// and the language of reasons and conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchOptions {
    pub limit: usize,
    pub include_blocked: bool,
    /// `None`: reasons in the subject's own language, consent reasons in English.
    pub lang: Option<Lang>,
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions {
            limit: weights::DEFAULT_LIMIT,
            include_blocked: false,
            lang: None,
        }
    }
}

/// Errors of matching.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum MatchError {
    #[error("no {kind} with id \"{id}\"{}", closest_hint(.closest))]
    UnknownId {
        kind: Kind,
        id: String,
        closest: Vec<String>,
    },
    #[error("an ad-hoc need needs some text, diseases or modalities")]
    EmptyAdHoc,
    #[error("no organisation or researcher with id \"{id}\" to name as the requester{}", closest_hint(.closest))]
    UnknownRequester { id: String, closest: Vec<String> },
}

fn closest_hint(closest: &[String]) -> String {
    if closest.is_empty() {
        String::new()
    } else {
        format!("; closest: {}", closest.join(", "))
    }
}

/// A subject found among one matcher's records (see [`Matcher::find_subject`]), with how
/// many items to list and whether blocked datasets are listed.
pub struct FoundSubject {
    resolved: Resolved,
    limit: usize,
    include_blocked: bool,
}

impl FoundSubject {
    /// The subject as a report names it.
    pub fn subject(&self) -> &MatchSubject {
        &self.resolved.subject
    }

    /// The diseases the subject names or mentions (vocabulary concept ids, in the order
    /// first met).
    pub fn diseases(&self) -> &[String] {
        &self.resolved.profile.diseases
    }
}

/// Everything about the subject the sections need.
struct Resolved {
    subject: MatchSubject,
    profile: Profile,
    lang: Lang,
    consent: ConsentSubject,
    /// The language consent reasons are written in (`None`: English, as before `--lang`).
    consent_lang: Lang,
    min_cases: Option<u64>,
    /// Records not to suggest: the subject itself, its owner, its partners.
    exclude: Vec<String>,
}

/// Ranks matches for subjects over one catalog.
pub struct Matcher<'a> {
    records: &'a dyn Records,
    vocab: &'a Vocabulary,
    today: Date,
    candidates: Cow<'a, Candidates>,
    relations: Relations<'a>,
    /// The candidates under each disease, when many subjects are matched: each then looks
    /// only at the candidates its diseases reach (see [`Reach`]).
    postings: Option<DiseasePostings>,
}

/// Needs matched by one task of [`Matcher::run_all_needs_by_window`].
const NEEDS_PER_TASK: usize = 64;

/// Needs whose reports [`Matcher::run_all_needs_by_window`] hands on together: enough tasks
/// for every core, and the reports of a thousand needs held at most (about a hundred
/// megabytes with the default limit).
const NEEDS_PER_WINDOW: usize = 1024;

impl<'a> Matcher<'a> {
    /// Reads every candidate through the vocabulary once; `today` decides expired dates.
    pub fn new(catalog: &'a Catalog, vocab: &'a Vocabulary, today: Date) -> Self {
        Matcher {
            candidates: Cow::Owned(Candidates::read(catalog, vocab)),
            relations: Relations::new(vocab),
            records: catalog,
            vocab,
            today,
            postings: None,
        }
    }

    /// A matcher over candidates read earlier from the same records and vocabulary. The
    /// records may be a [`Catalog`], or a snapshot read as its records are asked for: a match
    /// reads whole records only for its subject and what it lists.
    pub fn with_candidates(
        records: &'a dyn Records,
        vocab: &'a Vocabulary,
        today: Date,
        candidates: &'a Candidates,
    ) -> Self {
        Matcher {
            candidates: Cow::Borrowed(candidates),
            relations: Relations::new(vocab),
            records,
            vocab,
            today,
            postings: None,
        }
    }

    /// This matcher, keeping the candidates under each disease so that every subject looks
    /// only at the candidates its diseases reach. Reading every candidate's diseases once is
    /// worth it for many subjects (every need, the gap report), not for one.
    pub fn for_many_subjects(mut self) -> Self {
        let postings = crate::trace::phase("candidates by disease", || {
            DiseasePostings::new(self.candidates.as_ref(), self.records)
        });
        self.postings = Some(postings);
        self
    }

    /// The ranked datasets, partners and proposals for one subject.
    pub fn run(
        &self,
        subject: &Subject,
        options: &MatchOptions,
    ) -> Result<MatchReport, MatchError> {
        let resolved = self.resolve_in(subject, options)?;
        let limit = options.limit.max(1);
        let prepared = Prepared::new(&self.relations, self.candidates.as_ref(), &resolved);
        Ok(MatchReport {
            datasets: self.datasets_for(&resolved, &prepared, options.include_blocked, limit, true),
            partners: self.partners_for(&resolved, &prepared, limit, true),
            proposals: self.proposals_for(&resolved, &prepared, limit),
            subject: resolved.subject,
        })
    }

    /// The subject found among these records, to be matched against the candidates of any
    /// matcher over the same vocabulary and day: some of these records, or some of them as
    /// they once were (what news asks of the few candidates that changed).
    pub fn find_subject(
        &self,
        subject: &Subject,
        options: &MatchOptions,
    ) -> Result<FoundSubject, MatchError> {
        Ok(FoundSubject {
            resolved: self.resolve_in(subject, options)?,
            limit: options.limit.max(1),
            include_blocked: options.include_blocked,
        })
    }

    /// The ranked datasets of these records for a subject found by any matcher, as
    /// [`Matcher::run`] lists them (with reasons when `explain`). Each candidate is scored
    /// on its own: with a limit no list reaches, one that two matchers hold is listed alike
    /// by both, in the same order among the candidates they have in common.
    pub fn datasets_of(&self, found: &FoundSubject, explain: bool) -> Vec<MatchItem> {
        let s = &found.resolved;
        let prepared = Prepared::new(&self.relations, self.candidates.as_ref(), s);
        self.datasets_for(s, &prepared, found.include_blocked, found.limit, explain)
    }

    /// The ranked partners of these records for a subject found by any matcher, as
    /// [`Matcher::run`] lists them (see [`Matcher::datasets_of`]).
    pub fn partners_of(&self, found: &FoundSubject, explain: bool) -> Vec<MatchItem> {
        let s = &found.resolved;
        let prepared = Prepared::new(&self.relations, self.candidates.as_ref(), s);
        self.partners_for(s, &prepared, found.limit, explain)
    }

    /// The first of the datasets at `positions`, in that order, that fits a subject found
    /// by any matcher and that `accept` takes, written as [`Matcher::datasets_of`] writes it
    /// without reasons (any item it lists is this one): whether some dataset serves the
    /// subject, without listing every one that fits. Positions past the datasets are passed
    /// over.
    pub fn first_dataset_of(
        &self,
        found: &FoundSubject,
        positions: &[u32],
        accept: impl Fn(&MatchItem) -> bool,
    ) -> Option<MatchItem> {
        let resolved = &found.resolved;
        let prepared = Prepared::new(&self.relations, self.candidates.as_ref(), resolved);
        let count = self.records.count(Kind::Dataset);
        positions
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| i < count)
            .filter_map(|i| self.dataset_fit(resolved, &prepared, i, &mut Scoring::Exact))
            .filter_map(|ranked| {
                self.dataset_item(resolved, ranked, Scoring::Exact, found.include_blocked)
            })
            .find(|item| accept(item))
    }

    /// The subject resolved, in the language the options ask for.
    fn resolve_in(
        &self,
        subject: &Subject,
        options: &MatchOptions,
    ) -> Result<Resolved, MatchError> {
        let mut resolved = self.resolve(subject)?;
        if let Some(lang) = options.lang {
            resolved.lang = lang;
            resolved.consent_lang = lang;
        }
        resolved.subject.lang = resolved.lang;
        resolved.subject.commercial_basis = resolved.consent.commercial.basis_in(resolved.lang);
        Ok(resolved)
    }

    /// Every need at once, in file order.
    pub fn run_all_needs(&self, options: &MatchOptions) -> Vec<MatchReport> {
        self.run_all_needs_reporting(options, &|_, _| {})
    }

    /// Every need at once, in file order, on every core; `progress` is told how many needs of
    /// how many are done as the work goes on.
    pub fn run_all_needs_reporting(
        &self,
        options: &MatchOptions,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Vec<MatchReport> {
        let mut all = Vec::new();
        let kept: Result<(), std::convert::Infallible> =
            self.run_all_needs_by_window(options, progress, &mut |window| {
                all.extend(window);
                Ok(())
            });
        match kept {
            Ok(()) => all,
            Err(never) => match never {},
        }
    }

    /// Every need, in file order, handed to `each` a window of reports at a time as they are
    /// done, so that only one window is held at once (`--all-needs` over a million records).
    /// The needs of a window are matched on every core; `progress` is told how many needs of
    /// how many are done. Stops at the first error `each` returns.
    pub fn run_all_needs_by_window<E>(
        &self,
        options: &MatchOptions,
        progress: &(dyn Fn(usize, usize) + Sync),
        each: &mut dyn FnMut(Vec<MatchReport>) -> Result<(), E>,
    ) -> Result<(), E> {
        self.run_all_needs_in_windows_of(NEEDS_PER_WINDOW, options, progress, each)
    }

    /// [`Matcher::run_all_needs_by_window`] with windows of `size` needs.
    fn run_all_needs_in_windows_of<E>(
        &self,
        size: usize,
        options: &MatchOptions,
        progress: &(dyn Fn(usize, usize) + Sync),
        each: &mut dyn FnMut(Vec<MatchReport>) -> Result<(), E>,
    ) -> Result<(), E> {
        // Each need looks up its own record, its owner and the consent rules' parties by id:
        // through an index of the ids, not a scan of them per need.
        let indexed = IdIndexed::new(self.records);
        let matcher = Matcher {
            records: &indexed,
            vocab: self.vocab,
            today: self.today,
            candidates: Cow::Borrowed(self.candidates.as_ref()),
            relations: Relations::new(self.vocab),
            postings: None,
        }
        .for_many_subjects();
        let total = self.records.count(Kind::Need);
        let done = AtomicUsize::new(0);
        let needs: Vec<usize> = (0..total).collect();
        for window in needs.chunks(size.max(1)) {
            // One matcher for every task: the rows of concept relations are shared.
            let reports: Vec<Vec<MatchReport>> = window
                .par_chunks(NEEDS_PER_TASK)
                .map(|needs| {
                    let reports = needs
                        .iter()
                        .filter_map(|&at| {
                            let id = matcher.records.id(Kind::Need, at).to_string();
                            matcher.run(&Subject::Need(id), options).ok()
                        })
                        .collect();
                    progress(
                        done.fetch_add(needs.len(), Ordering::Relaxed) + needs.len(),
                        total,
                    );
                    reports
                })
                .collect();
            each(reports.into_iter().flatten().collect())?;
        }
        Ok(())
    }

    fn unknown(&self, kind: Kind, id: &str) -> MatchError {
        let ids = self.records.ids(kind);
        MatchError::UnknownId {
            kind,
            id: id.to_string(),
            closest: closest_ids(id, &ids),
        }
    }

    /// Disease concepts for the consent rules: the `diseases` field read strictly (an unknown
    /// term stays as written, so no `DS:` code can match it), else every disease the text
    /// names, however unsure the reading (each must fall under a `DS:` term: fail closed).
    fn consent_diseases(&self, diseases: &[String], texts: &[Option<&str>]) -> Vec<String> {
        if diseases.iter().any(|d| !d.trim().is_empty()) {
            consent::resolve_need_diseases(diseases, self.vocab)
        } else {
            let text: Vec<&str> = texts.iter().flatten().copied().collect();
            profile::disease_mentions(self.vocab, &text.join("\n"))
        }
    }

    fn resolve(&self, subject: &Subject) -> Result<Resolved, MatchError> {
        let c = self.records;
        match subject {
            Subject::Need(id) => {
                let need = position_by_id(c, Kind::Need, id)
                    .and_then(|i| c.need(i))
                    .ok_or_else(|| self.unknown(Kind::Need, id))?;
                let consent_subject = ConsentSubject::for_need(need, c, Vec::new());
                let forum = standing_forum(&consent_subject.owner);
                let profile = profile::of_need(need, self.vocab, forum);
                let consent = ConsentSubject {
                    disease_concepts: self.consent_diseases(
                        &need.diseases,
                        &[need.title.as_deref(), Some(&need.text)],
                    ),
                    ..consent_subject
                };
                let title = crate::model::Record::Need(need.clone()).title();
                let mut exclude = vec![need.id.clone()];
                exclude.extend(need.owner.clone());
                let (requester_id, requester_name) = self.requester(need.owner.as_deref());
                Ok(Resolved {
                    subject: MatchSubject {
                        requester_id,
                        requester_name,
                        ..MatchSubject::new(
                            Some(need.id.clone()),
                            SubjectKind::Need,
                            title.clone(),
                            consent.commercial.value,
                        )
                    },
                    lang: Lang::of(&format!("{title}{}", need.text)),
                    profile,
                    consent,
                    consent_lang: Lang::En,
                    min_cases: need.min_cases,
                    exclude,
                })
            }
            Subject::Proposal(id) => {
                let (i, p) = position_by_id(c, Kind::Proposal, id)
                    .and_then(|i| Some((i, c.proposal(i)?)))
                    .ok_or_else(|| self.unknown(Kind::Proposal, id))?;
                let profile = self.candidates.profile(Kind::Proposal, i, self.vocab);
                let diseases = self.consent_diseases(
                    &p.diseases,
                    &[Some(&p.title), p.title_en.as_deref(), p.summary.as_deref()],
                );
                let consent = ConsentSubject::for_owner(Some(&p.id), None, c, diseases);
                let mut exclude = vec![p.id.clone()];
                exclude.extend(p.proposer.clone());
                exclude.extend(p.partners.iter().cloned());
                let (requester_id, requester_name) = self.requester(p.proposer.as_deref());
                Ok(Resolved {
                    subject: MatchSubject {
                        title_en: p.title_en.clone(),
                        requester_id,
                        requester_name,
                        ..MatchSubject::new(
                            Some(p.id.clone()),
                            SubjectKind::Proposal,
                            p.title.clone(),
                            consent.commercial.value,
                        )
                    },
                    lang: Lang::of(&p.title),
                    profile,
                    consent,
                    consent_lang: Lang::En,
                    min_cases: p.target_cases,
                    exclude,
                })
            }
            Subject::Organization(id) => {
                let (i, o) = position_by_id(c, Kind::Organization, id)
                    .and_then(|i| Some((i, c.organization(i)?)))
                    .ok_or_else(|| self.unknown(Kind::Organization, id))?;
                let profile = self.candidates.profile(Kind::Organization, i, self.vocab);
                let consent =
                    ConsentSubject::for_owner(Some(&o.id), None, c, profile.diseases.clone());
                Ok(Resolved {
                    subject: MatchSubject {
                        title_en: o.name_en.clone(),
                        requester_id: Some(o.id.clone()),
                        requester_name: Some(o.name.clone()),
                        ..MatchSubject::new(
                            Some(o.id.clone()),
                            SubjectKind::Organization,
                            o.name.clone(),
                            consent.commercial.value,
                        )
                    },
                    lang: Lang::of(&format!("{}{}", o.name, o.interests.join(""))),
                    profile,
                    consent,
                    consent_lang: Lang::En,
                    min_cases: None,
                    exclude: vec![o.id.clone()],
                })
            }
            Subject::Researcher(id) => {
                let (i, r) = position_by_id(c, Kind::Researcher, id)
                    .and_then(|i| Some((i, c.researcher(i)?)))
                    .ok_or_else(|| self.unknown(Kind::Researcher, id))?;
                let profile = self.candidates.profile(Kind::Researcher, i, self.vocab);
                let diseases = self.consent_diseases(&r.diseases, &[r.summary.as_deref()]);
                let consent = ConsentSubject::for_owner(Some(&r.id), None, c, diseases);
                Ok(Resolved {
                    subject: MatchSubject {
                        title_en: r.name_en.clone(),
                        requester_id: Some(r.id.clone()),
                        requester_name: Some(r.name.clone()),
                        ..MatchSubject::new(
                            Some(r.id.clone()),
                            SubjectKind::Researcher,
                            r.name.clone(),
                            consent.commercial.value,
                        )
                    },
                    lang: Lang::of(&format!(
                        "{}{}",
                        r.diseases.join(""),
                        r.summary.as_deref().unwrap_or("")
                    )),
                    profile,
                    consent,
                    consent_lang: Lang::En,
                    min_cases: None,
                    exclude: vec![r.id.clone()],
                })
            }
            Subject::AdHoc(need) => {
                if need.text.trim().is_empty()
                    && need.diseases.is_empty()
                    && need.modalities.is_empty()
                {
                    return Err(MatchError::EmptyAdHoc);
                }
                let profile =
                    profile::of_text(&need.text, &need.diseases, &need.modalities, self.vocab);
                let diseases = self.consent_diseases(&need.diseases, &[Some(&need.text)]);
                let requester = match need.requester.as_deref().map(str::trim) {
                    Some(id) if !id.is_empty() => Some(self.find_requester(id)?),
                    _ => None,
                };
                let consent = ConsentSubject::ad_hoc_for(
                    requester.as_ref().map(|(id, _)| id.as_str()),
                    need.commercial,
                    c,
                    diseases,
                );
                let title = if need.text.trim().is_empty() {
                    need.diseases
                        .iter()
                        .chain(&need.modalities)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                } else {
                    need.text.chars().take(60).collect()
                };
                let (requester_id, requester_name) = match requester {
                    Some((id, name)) => (Some(id), Some(name)),
                    None => (None, None),
                };
                let mut exclude = Vec::new();
                exclude.extend(requester_id.clone());
                Ok(Resolved {
                    subject: MatchSubject {
                        requester_id,
                        requester_name,
                        ..MatchSubject::new(
                            None,
                            SubjectKind::AdHoc,
                            title.clone(),
                            consent.commercial.value,
                        )
                    },
                    lang: Lang::of(&format!("{title}{}", need.diseases.join(""))),
                    profile,
                    consent,
                    consent_lang: Lang::En,
                    min_cases: need.min_cases,
                    exclude,
                })
            }
        }
    }

    /// The id and name of the record a need's owner (or a proposal's proposer) names; the id
    /// alone when it names no record.
    fn requester(&self, owner: Option<&str>) -> (Option<String>, Option<String>) {
        let Some(id) = owner.map(str::trim).filter(|o| !o.is_empty()) else {
            return (None, None);
        };
        let c = self.records;
        let found = |kind| c.position(kind, id);
        let name = found(Kind::Organization)
            .and_then(|at| self.party_name(Kind::Organization, at))
            .or_else(|| {
                found(Kind::Researcher).and_then(|at| self.party_name(Kind::Researcher, at))
            })
            .or_else(|| {
                found(Kind::Proposal)
                    .and_then(|at| c.proposal(at))
                    .map(|p| p.title.as_str())
            })
            .map(str::to_string);
        (Some(id.to_string()), name)
    }

    /// The name of organisation or researcher `at`.
    fn party_name(&self, kind: Kind, at: usize) -> Option<&str> {
        match kind {
            Kind::Organization => self.records.organization(at).map(|o| o.name.as_str()),
            Kind::Researcher => self.records.researcher(at).map(|r| r.name.as_str()),
            _ => None,
        }
    }

    /// The organisation or researcher an ad-hoc request names as its requester: its id as the
    /// catalog spells it (an id in another case is accepted when only one record has it) and
    /// its name.
    fn find_requester(&self, id: &str) -> Result<(String, String), MatchError> {
        let c = self.records;
        // Organisations first, then researchers; names are read only for the one found (or,
        // when none is, to offer ids of parties so named).
        let parties: Vec<(Kind, usize)> = [Kind::Organization, Kind::Researcher]
            .into_iter()
            .flat_map(|kind| (0..c.count(kind)).map(move |at| (kind, at)))
            .collect();
        let found = |(kind, at): (Kind, usize)| {
            let name = self.party_name(kind, at).unwrap_or_default();
            (c.id(kind, at).to_string(), name.to_string())
        };
        if let Some(&party) = parties.iter().find(|&&(k, at)| c.id(k, at) == id) {
            return Ok(found(party));
        }
        let folded: Vec<(Kind, usize)> = parties
            .iter()
            .copied()
            .filter(|&(k, at)| c.id(k, at).eq_ignore_ascii_case(id))
            .collect();
        if let [party] = folded.as_slice() {
            return Ok(found(*party));
        }
        let ids: Vec<&str> = parties.iter().map(|&(k, at)| c.id(k, at)).collect();
        let mut closest = closest_ids(id, &ids);
        // A name typed instead of an id: offer the ids of records so named.
        for &(kind, at) in &parties {
            if closest.len() >= 3 {
                break;
            }
            let name = self.party_name(kind, at).unwrap_or_default();
            if !name.is_empty() && name.contains(id.trim()) {
                closest.push(c.id(kind, at).to_string());
            }
        }
        Err(MatchError::UnknownRequester {
            id: id.to_string(),
            closest,
        })
    }

    /// Which candidates of `section` can fit the subject, when postings are kept and the
    /// subject names diseases: a dataset or proposal that names no disease related to the
    /// subject's has a fit of zero, which rules it out ([`Matcher::gated_disease`]); a partner
    /// without one can still fit on modalities, but scores no more than
    /// [`partner_most_without_disease`].
    fn reach(&self, section: Section, s: &Resolved, p: &Prepared) -> Reach {
        let Some(postings) = self.postings.as_ref() else {
            return Reach::Every;
        };
        if s.profile.diseases.is_empty() {
            return Reach::Every;
        }
        let reached = postings.reached(section, |disease| p.diseases.reach(disease));
        match section {
            Section::Partners => Reach::First(reached, partner_most_without_disease()),
            Section::Datasets | Section::Proposals => Reach::Only(reached),
        }
    }

    /// The datasets for the subject: every dataset scored on every core, then the best
    /// written out with their reasons and consent verdicts.
    fn datasets_for(
        &self,
        s: &Resolved,
        p: &Prepared,
        include_blocked: bool,
        limit: usize,
        explain: bool,
    ) -> Vec<MatchItem> {
        let records = self.records;
        best(
            records.count(Kind::Dataset),
            self.reach(Section::Datasets, s, p),
            explain,
            |i, scoring| self.dataset_fit(s, p, i, scoring),
            |i| records.id(Kind::Dataset, i),
            limit,
            |ranked, reasons| self.dataset_item(s, ranked, reasons, include_blocked),
        )
    }

    /// The item of a dataset that fits, with its consent verdict; `None` when it is blocked
    /// and blocked ones are not asked for.
    fn dataset_item(
        &self,
        s: &Resolved,
        ranked: Ranked,
        reasons: Scoring,
        include_blocked: bool,
    ) -> Option<MatchItem> {
        let d = self.records.dataset(ranked.at)?;
        let verdict = consent::evaluate_in(
            d,
            &s.consent,
            self.vocab,
            self.today,
            self.candidates.custodian(ranked.at),
            s.consent_lang,
        );
        if verdict.is_blocked() && !include_blocked {
            return None;
        }
        Some(MatchItem {
            conditions: verdict.conditions.clone(),
            blocked: verdict.blocked_summary(),
            title_en: d
                .extra
                .get("title_en")
                .and_then(|v| v.as_str())
                .map(String::from),
            verdict: Some(verdict.verdict()),
            rule: Some(verdict.rule()).filter(|r| !r.is_empty()),
            data_use: d
                .data_use
                .iter()
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect(),
            condition_codes: verdict.condition_codes.clone(),
            ..ranked.item(
                d.id.clone(),
                Kind::Dataset,
                d.title.clone(),
                reasons,
                s.lang,
            )
        })
    }

    /// How dataset `i` fits the subject, before consent; `None` when it does not.
    fn dataset_fit(
        &self,
        s: &Resolved,
        p: &Prepared,
        i: usize,
        scoring: &mut Scoring,
    ) -> Option<Ranked> {
        use weights::dataset as w;
        let candidate = self.candidates.table(Kind::Dataset).get(i);
        let mut parts = Score::default();
        let related_field_only =
            self.gated_disease(s, p, candidate.diseases(), w::DISEASE, &mut parts, scoring)?;
        if !p.modalities.is_empty() {
            let has = p.modalities.count_covered(&[candidate.modalities()]);
            parts.add(w::MODALITY, has as f64 / p.modalities.len() as f64);
            scoring.push(|| {
                let has = p.modalities.covered(&[candidate.modalities()]);
                let lacks: Vec<&String> = s
                    .profile
                    .modalities
                    .iter()
                    .filter(|m| !has.contains(m))
                    .collect();
                phrases::modalities(self.vocab, &has, &lacks, s.lang)
            });
        }
        if let Some(needed) = s.min_cases.filter(|n| *n > 0) {
            let cases = self.records.cases(i);
            parts.add(w::CASES, (cases as f64 / needed as f64).min(1.0));
            scoring.push(|| phrases::cases(cases, needed, s.lang));
        }
        if !p.clinical.is_empty() {
            let has = p.clinical.count_covered(&[candidate.clinical()]);
            parts.add(w::CLINICAL, has as f64 / p.clinical.len() as f64);
            if has > 0 {
                scoring.push(|| {
                    let has = p.clinical.covered(&[candidate.clinical()]);
                    phrases::clinical(self.vocab, &has, s.lang)
                });
            }
        }
        let text = scoring.text(|| text_score(p, &candidate));
        parts.add(w::TEXT, text);
        if text >= 0.5 {
            scoring.push(|| phrases::similar_text(s.lang));
        }
        let score = parts.total();
        if score < weights::MIN_SCORE
            || (s.profile.diseases.is_empty() && s.profile.modalities.is_empty() && text == 0.0)
        {
            return None;
        }
        Some(Ranked {
            at: i,
            score,
            related_field_only,
        })
    }

    /// How the candidate's diseases meet the subject's, with a reason per link.
    fn disease_part(
        &self,
        s: &Resolved,
        p: &Prepared,
        diseases: &[u32],
        scoring: &mut Scoring,
    ) -> DiseaseFit {
        let mut links = scoring.links();
        let fit = p.diseases.fit(self.vocab, diseases, links.as_mut());
        for link in links.iter().flatten() {
            scoring.push(|| phrases::disease(self.vocab, link, s.lang));
        }
        fit
    }

    /// The disease part of a dataset or proposal score, gating the rest (see
    /// [`weights::DISEASE_GATE_EXPONENT`]): `None` when the subject names diseases and the
    /// candidate meets none of them, else whether it meets them only through a shared group.
    fn gated_disease(
        &self,
        s: &Resolved,
        p: &Prepared,
        diseases: &[u32],
        weight: f64,
        parts: &mut Score,
        scoring: &mut Scoring,
    ) -> Option<bool> {
        if s.profile.diseases.is_empty() {
            return Some(false);
        }
        let fit = self.disease_part(s, p, diseases, scoring);
        if fit.score == 0.0 {
            return None;
        }
        parts.add(weight, fit.score);
        parts.gate(fit.score);
        Some(fit.siblings_only)
    }

    /// Partner `at` and its candidate profile: the researchers come first (positions from 0),
    /// then the organisations. Its names are read only when it is listed.
    fn partner(&self, at: usize) -> Option<(Partner, Candidate<'_>)> {
        let researchers = self.records.count(Kind::Researcher);
        let (kind, i) = match at.checked_sub(researchers) {
            None => (Kind::Researcher, at),
            Some(i) => (Kind::Organization, i),
        };
        if i >= self.records.count(kind) {
            return None;
        }
        let candidate = self.candidates.table(kind).get(i);
        let partner = Partner {
            kind,
            at: i,
            // The candidate's forum is the record's (`profile::of_researcher`, `of_organization`).
            forum: candidate.forum(),
        };
        Some((partner, candidate))
    }

    /// The partners for the subject: industry to academia and back, and researchers whose
    /// skills complement an academic subject's.
    fn partners_for(
        &self,
        s: &Resolved,
        p: &Prepared,
        limit: usize,
        explain: bool,
    ) -> Vec<MatchItem> {
        best(
            self.records.count(Kind::Researcher) + self.records.count(Kind::Organization),
            self.reach(Section::Partners, s, p),
            explain,
            |at, scoring| self.partner_fit(s, p, at, scoring),
            |at| {
                self.partner(at)
                    .map_or("", |(partner, _)| self.partner_id(&partner))
            },
            limit,
            |ranked, reasons| {
                let (partner, _) = self.partner(ranked.at)?;
                let (title, title_en) = match partner.kind {
                    Kind::Researcher => {
                        let r = self.records.researcher(partner.at)?;
                        (r.name.clone(), r.name_en.clone())
                    }
                    _ => {
                        let o = self.records.organization(partner.at)?;
                        (o.name.clone(), o.name_en.clone())
                    }
                };
                Some(MatchItem {
                    title_en,
                    ..ranked.item(
                        self.partner_id(&partner).to_string(),
                        partner.kind,
                        title,
                        reasons,
                        s.lang,
                    )
                })
            },
        )
    }

    /// The id of a partner.
    fn partner_id(&self, partner: &Partner) -> &str {
        self.records.id(partner.kind, partner.at)
    }

    /// The sector of organisation partner `at` (researchers have none).
    fn partner_sector(&self, partner: &Partner) -> Option<&str> {
        match partner.kind {
            Kind::Organization => self
                .records
                .organization(partner.at)
                .and_then(|o| o.sector.as_deref()),
            _ => None,
        }
    }

    /// How partner `at` fits the subject; `None` when it does not.
    fn partner_fit(
        &self,
        s: &Resolved,
        p: &Prepared,
        at: usize,
        scoring: &mut Scoring,
    ) -> Option<Ranked> {
        use weights::partner as w;
        let (partner, candidate) = self.partner(at)?;
        // Industry looks for academia; academia for industry, and for researchers whose
        // skills complement its own.
        let complementary = match (s.profile.forum, partner.forum) {
            (Some(Forum::Industry), Some(Forum::Industry)) => return None,
            (Some(Forum::Academia), Some(Forum::Academia) | None) => {
                if partner.kind == Kind::Organization {
                    return None;
                }
                true
            }
            _ => false,
        };
        let mut parts = Score::default();
        let disease = self.disease_part(s, p, candidate.diseases(), scoring);
        if !s.profile.diseases.is_empty() {
            parts.add(w::DISEASE, disease.score);
        }
        let offered = [
            candidate.modalities(),
            candidate.strategies(),
            candidate.clinical(),
        ];
        let matched = p.wanted.count_covered(&offered);
        // Most candidates end here, before their words are compared.
        if disease.score == 0.0 && matched == 0 {
            return None;
        }
        // The subject, its owner and its partners are never suggested. A bound may leave
        // them in (it may be above what a candidate gets): the ids are compared only for the
        // few scored exactly.
        if !scoring.is_bound() && s.exclude.iter().any(|e| e == self.partner_id(&partner)) {
            return None;
        }
        let mut fit = if p.wanted.is_empty() {
            0.0
        } else {
            matched as f64 / p.wanted.len() as f64
        };
        if matched > 0 {
            scoring.push(|| phrases::fits(self.vocab, &p.wanted.covered(&offered), s.lang));
        }
        if complementary {
            // The skills it has that the subject lacks.
            let brings = || {
                candidate
                    .skills()
                    .iter()
                    .map(|&k| self.candidates.skill(k))
                    .filter(|k| !s.profile.skills.iter().any(|mine| mine == k))
            };
            if brings().next().is_none() || disease.score == 0.0 {
                return None;
            }
            fit = fit.max(0.5);
            scoring.push(|| {
                let brings: Vec<String> = brings().take(3).map(str::to_string).collect();
                phrases::complements(&brings, s.lang)
            });
        }
        if !p.wanted.is_empty() || complementary {
            parts.add(w::FIT, fit);
        }
        parts.add(w::TEXT, scoring.text(|| text_score(p, &candidate)));
        let score = parts.total();
        if score < weights::MIN_SCORE {
            return None;
        }
        if let Some(f) = partner.forum {
            scoring.push(|| phrases::forum(f.as_str(), self.partner_sector(&partner), s.lang));
        }
        Some(Ranked {
            at,
            score,
            related_field_only: disease.siblings_only,
        })
    }

    /// The proposals the subject could join.
    fn proposals_for(&self, s: &Resolved, p: &Prepared, limit: usize) -> Vec<MatchItem> {
        let records = self.records;
        best(
            records.count(Kind::Proposal),
            self.reach(Section::Proposals, s, p),
            true,
            |i, scoring| self.proposal_fit(s, p, i, scoring),
            |i| records.id(Kind::Proposal, i),
            limit,
            |ranked, reasons| {
                let proposal = records.proposal(ranked.at)?;
                Some(MatchItem {
                    title_en: proposal.title_en.clone(),
                    ..ranked.item(
                        proposal.id.clone(),
                        Kind::Proposal,
                        proposal.title.clone(),
                        reasons,
                        s.lang,
                    )
                })
            },
        )
    }

    /// How proposal `i` fits the subject; `None` when it does not.
    fn proposal_fit(
        &self,
        s: &Resolved,
        p: &Prepared,
        i: usize,
        scoring: &mut Scoring,
    ) -> Option<Ranked> {
        use weights::proposal as w;
        let proposal = self.records.proposal_facts(i)?;
        let id = self.records.id(Kind::Proposal, i);
        let candidate = self.candidates.table(Kind::Proposal).get(i);
        if s.exclude.iter().any(|e| e == id) || proposal.status == Some(ProposalStatus::Closed) {
            return None;
        }
        let seeks_subject = match s.profile.forum {
            Some(f) if proposal.seeks_anyone() => {
                if !proposal.seeks(f) {
                    return None;
                }
                1.0
            }
            _ => 0.5,
        };
        let mut parts = Score::default();
        let related_field_only =
            self.gated_disease(s, p, candidate.diseases(), w::DISEASE, &mut parts, scoring)?;
        if !p.strategies.is_empty() {
            let shared = p.strategies.count_covered(&[candidate.strategies()]);
            parts.add(w::STRATEGY, shared as f64 / p.strategies.len() as f64);
            if shared > 0 {
                scoring.push(|| {
                    let shared = p.strategies.covered(&[candidate.strategies()]);
                    phrases::strategies(self.vocab, &shared, s.lang)
                });
            }
        }
        parts.add(w::SEEKING, seeks_subject);
        if seeks_subject == 1.0 {
            if let Some(f) = s.profile.forum {
                scoring.push(|| phrases::seeks(f.as_str(), s.lang));
            }
        }
        let text = scoring.text(|| text_score(p, &candidate));
        parts.add(w::TEXT, text);
        if s.profile.diseases.is_empty() && text == 0.0 {
            return None;
        }
        let score = parts.total();
        if score < weights::MIN_SCORE {
            return None;
        }
        if let Some(status) = proposal.status {
            scoring.push(|| phrases::status(status, s.lang));
        }
        Some(Ranked {
            at: i,
            score,
            related_field_only,
        })
    }
}

/// A researcher or organisation as a partner candidate.
struct Partner {
    kind: Kind,
    /// Its position among the records of its kind.
    at: usize,
    forum: Option<Forum>,
}

/// The subject's concepts and words as the candidates store theirs, each with its row of
/// answers, ready to be compared with every candidate.
struct Prepared<'s, 'v> {
    diseases: SubjectDiseases<'s, 'v>,
    modalities: Wanted<'s, 'v>,
    strategies: Wanted<'s, 'v>,
    clinical: Wanted<'s, 'v>,
    /// Modalities, strategies and clinical items together: what a partner may offer.
    wanted: Wanted<'s, 'v>,
    words: SubjectWords,
}

impl<'s, 'v> Prepared<'s, 'v> {
    fn new(relations: &Relations<'v>, candidates: &Candidates, s: &'s Resolved) -> Self {
        let profile = &s.profile;
        Prepared {
            diseases: SubjectDiseases::new(relations, &profile.diseases),
            modalities: Wanted::new(relations, &profile.modalities),
            strategies: Wanted::new(relations, &profile.strategies),
            clinical: Wanted::new(relations, &profile.clinical),
            wanted: Wanted::new(
                relations,
                profile
                    .modalities
                    .iter()
                    .chain(&profile.strategies)
                    .chain(&profile.clinical),
            ),
            words: candidates.subject_words(&profile.words),
        }
    }
}

/// A candidate that fits, before its item is written.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    /// Its position among the candidates of its section.
    at: usize,
    score: f64,
    related_field_only: bool,
}

impl Ranked {
    /// How many list keys there are: [`Ranked::list_key`] is below this.
    const KEYS: u16 = 2 * 1001;

    /// The candidate's place by what lists are ordered by first, as a number: lower comes
    /// first. A match on the disease itself before a related-field-only one, then by score
    /// (scores are rounded to thousandths, so equal keys are equal scores).
    fn list_key(&self) -> u16 {
        let thousandths = (self.score.clamp(0.0, 1.0) * 1000.0).round() as u16;
        u16::from(self.related_field_only) * 1001 + (1000 - thousandths)
    }

    /// The item listed for this candidate, with its reasons as shown.
    fn item(
        self,
        id: String,
        kind: Kind,
        title: String,
        reasons: Scoring,
        lang: Lang,
    ) -> MatchItem {
        MatchItem {
            related_field_only: self.related_field_only,
            ..MatchItem::new(
                id,
                kind,
                title,
                self.score,
                reasons.finish(self.related_field_only, lang),
            )
        }
    }
}

/// How far one scoring of a candidate goes: an upper bound of its score (its words not
/// compared, taken as the best they could be), its exact score, or its exact score with the
/// reasons written (only for the candidates listed).
enum Scoring {
    UpperBound,
    Exact,
    Explained(Vec<String>),
}

impl Scoring {
    /// Somewhere to put disease links, when they are to be written.
    fn links(&self) -> Option<Vec<DiseaseLink>> {
        match self {
            Scoring::Explained(_) => Some(Vec::new()),
            _ => None,
        }
    }

    fn push(&mut self, reason: impl FnOnce() -> String) {
        if let Scoring::Explained(list) = self {
            list.push(reason());
        }
    }

    /// True for an upper bound.
    fn is_bound(&self) -> bool {
        matches!(self, Scoring::UpperBound)
    }

    /// The text part of a score: `words()` when scoring exactly; for an upper bound, the most
    /// it can be (1), without comparing any words. A score only grows with its text part, and
    /// no fit is ruled out by a text part above zero, so the bound is never below the score.
    fn text(&self, words: impl FnOnce() -> f64) -> f64 {
        match self {
            Scoring::UpperBound => 1.0,
            _ => words(),
        }
    }

    /// The reasons as shown: a weak match says so first, and no reason is given twice.
    fn finish(self, related_field_only: bool, lang: Lang) -> Vec<String> {
        let reasons = match self {
            Scoring::Explained(list) => list,
            _ => Vec::new(),
        };
        finish_reasons(reasons, related_field_only, lang)
    }
}

/// The list key a partner that meets none of the subject's diseases (when it names some)
/// cannot come before: its disease part is zero, its fit and words at most 1 each, and a
/// partner that meets no disease is never related-field-only (see [`Matcher::partner_fit`]).
fn partner_most_without_disease() -> u16 {
    use weights::partner as w;
    let mut most = Score::default();
    most.add(w::DISEASE, 0.0);
    most.add(w::FIT, 1.0);
    most.add(w::TEXT, 1.0);
    Ranked {
        at: 0,
        score: most.total(),
        related_field_only: false,
    }
    .list_key()
}

/// Which candidates [`best`] gives bounds to. Whichever it is, the list is the same: the
/// others are left out only when they could not be in it.
enum Reach {
    /// Every candidate.
    Every,
    /// Only these positions (ascending): no other candidate fits.
    Only(Vec<u32>),
    /// These positions (ascending) first. Every other candidate's key is at or after the
    /// given one, so they are given bounds only when the list is not full before it.
    First(Vec<u32>, u16),
}

/// Candidates scored exactly together at least, when the next bound holds fewer: enough to
/// keep both cores busy, few enough to stop soon after the list is full.
const EXACT_BATCH: usize = 512;

/// The items listed from `count` candidates, in the order of a stable sort of every candidate
/// that fits (see [`InListOrder`]), each written out with its reasons until `limit` may be
/// offered.
///
/// Comparing words is most of the work, so every candidate is first given an upper bound of
/// its score without comparing them, on every core. Candidates are then scored exactly in the
/// order of their bounds, a batch at a time: a scored candidate is listed once it comes before
/// the best bound still unscored, since every unscored one scores at most its bound. The
/// list is the one scoring every candidate exactly would give; most are never compared.
///
/// `reach` may spare the bounds too: the candidates it leaves out cannot fit at all, or come
/// no earlier than a key, and are given bounds only once the list reaches that key.
///
/// Without `explain`, the items are written without reasons (but a related-field-only
/// match's warning).
///
/// An item `write` leaves out (a blocked dataset not asked for) takes no place; blocked ones
/// asked for ride along among the offered without counting, so the offered part is the same
/// list either way.
fn best<'c>(
    count: usize,
    reach: Reach,
    explain: bool,
    fit: impl Fn(usize, &mut Scoring) -> Option<Ranked> + Sync,
    id_of: impl Fn(usize) -> &'c str,
    limit: usize,
    mut write: impl FnMut(Ranked, Scoring) -> Option<MatchItem>,
) -> Vec<MatchItem> {
    let bound = |i: usize| fit(i, &mut Scoring::UpperBound);
    let (mut bounds, mut others_from) = match &reach {
        Reach::Every => (Bounds::new(Among::Every(count), bound), None),
        Reach::Only(reached) => (Bounds::new(Among::These(reached), bound), None),
        Reach::First(reached, from) => (Bounds::new(Among::These(reached), bound), Some(*from)),
    };
    // Keys below this have been scored exactly.
    let mut scored_below = 0;
    let mut scored: BinaryHeap<InListOrder> = BinaryHeap::new();
    let mut items = Vec::new();
    let mut offered = 0;
    while offered < limit {
        let mut best_unscored = bounds.first_from(scored_below);
        let next = scored.peek().map(|top| top.ranked.list_key());
        if let Some(from) = others_from {
            let first_left = match (best_unscored, next) {
                (Some(unscored), Some(scored)) => Some(unscored.min(scored)),
                (unscored, scored) => unscored.or(scored),
            };
            if first_left.is_none_or(|key| key >= from) {
                // The list needs candidates from where the others may come: every candidate
                // gets its bound. Those of the reached already scored are below
                // `scored_below`, which is at most `from`: no other one is passed over.
                bounds = Bounds::new(Among::Every(count), bound);
                others_from = None;
                best_unscored = bounds.first_from(scored_below);
            }
        }
        if next.is_some_and(|key| best_unscored.is_none_or(|bound| key < bound)) {
            let Some(InListOrder { ranked, .. }) = scored.pop() else {
                break;
            };
            let mut explained = if explain {
                Scoring::Explained(Vec::new())
            } else {
                Scoring::Exact
            };
            let Some(fitted) = fit(ranked.at, &mut explained) else {
                continue;
            };
            if let Some(item) = write(fitted, explained) {
                if !item.is_blocked() {
                    offered += 1;
                }
                items.push(item);
            }
            continue;
        }
        if best_unscored.is_none() {
            break;
        }
        // Every candidate of the best bound left (one of them may tie a scored one), and
        // those of the next bounds up to a batch.
        let end = bounds
            .end_of_batch(scored_below, EXACT_BATCH)
            .min(others_from.unwrap_or(Ranked::KEYS));
        let fitting: Vec<Ranked> = bounds
            .between(scored_below, end)
            .par_iter()
            .filter_map(|&at| fit(at as usize, &mut Scoring::Exact))
            .collect();
        scored_below = end;
        scored.extend(fitting.into_iter().map(|ranked| InListOrder {
            id: id_of(ranked.at),
            ranked,
        }));
    }
    items
}

/// Every candidate's upper bound as a list key (see [`Ranked::list_key`]), and the candidates
/// in key order.
struct Bounds {
    /// By key: where its candidates start in `in_key_order` (and one past the last key).
    starts: Vec<usize>,
    /// Positions of the candidates that have a bound, by key, ascending within a key.
    in_key_order: Vec<u32>,
}

impl Bounds {
    /// The bounds of the candidates `among`, worked out on every core, then put in key order
    /// (a counting sort: one pass, whatever the number of batches scored later).
    fn new(among: Among, bound: impl Fn(usize) -> Option<Ranked> + Sync) -> Bounds {
        const NO_FIT: u16 = u16::MAX;
        let keys: Vec<u16> = (0..among.len())
            .into_par_iter()
            .map(|j| bound(among.at(j)).map_or(NO_FIT, |b| b.list_key()))
            .collect();
        let mut starts = vec![0usize; usize::from(Ranked::KEYS) + 1];
        for &key in keys.iter().filter(|&&key| key < Ranked::KEYS) {
            starts[usize::from(key) + 1] += 1;
        }
        for key in 1..starts.len() {
            starts[key] += starts[key - 1];
        }
        let mut next = starts.clone();
        let mut in_key_order = vec![0u32; starts[starts.len() - 1]];
        for (j, &key) in keys.iter().enumerate() {
            if let Some(slot) = next
                .get_mut(usize::from(key))
                .filter(|_| key < Ranked::KEYS)
            {
                in_key_order[*slot] = among.at(j) as u32;
                *slot += 1;
            }
        }
        Bounds {
            starts,
            in_key_order,
        }
    }

    /// How many candidates have `key`.
    fn count(&self, key: u16) -> usize {
        let key = usize::from(key);
        self.starts[key + 1] - self.starts[key]
    }

    /// The first key from `from` on that some candidate has.
    fn first_from(&self, from: u16) -> Option<u16> {
        (from..Ranked::KEYS).find(|&key| self.count(key) > 0)
    }

    /// The key after a batch starting at key `from`: it takes every candidate of the first
    /// key held, and of the keys after it until at least `batch` are taken.
    fn end_of_batch(&self, from: u16, batch: usize) -> u16 {
        let mut taken = 0;
        for key in from..Ranked::KEYS {
            taken += self.count(key);
            if taken >= batch.max(1) {
                return key + 1;
            }
        }
        Ranked::KEYS
    }

    /// The candidates whose keys are in `from..end`, by position within each key.
    fn between(&self, from: u16, end: u16) -> &[u32] {
        &self.in_key_order[self.starts[usize::from(from)]..self.starts[usize::from(end)]]
    }
}

/// The candidates [`Bounds`] are worked out for.
#[derive(Clone, Copy)]
enum Among<'r> {
    /// Positions `0..count`.
    Every(usize),
    /// These positions, ascending.
    These(&'r [u32]),
}

impl Among<'_> {
    fn len(&self) -> usize {
        match self {
            Among::Every(count) => *count,
            Among::These(positions) => positions.len(),
        }
    }

    /// The `j`th position.
    fn at(&self, j: usize) -> usize {
        match self {
            Among::Every(_) => j,
            Among::These(positions) => positions[j] as usize,
        }
    }
}

/// A candidate placed as lists are shown: a match on the disease itself above a
/// related-field-only one, then by score, then by id, then (as a stable sort leaves them) in
/// catalog order. "Greater" is earlier in the list, so a max-heap gives the first first.
struct InListOrder<'c> {
    id: &'c str,
    ranked: Ranked,
}

impl InListOrder<'_> {
    /// The order of the list: `Less` when `self` comes first.
    fn list_order(&self, other: &Self) -> std::cmp::Ordering {
        let (a, b) = (&self.ranked, &other.ranked);
        a.related_field_only
            .cmp(&b.related_field_only)
            .then_with(|| b.score.total_cmp(&a.score))
            .then_with(|| self.id.cmp(other.id))
            .then_with(|| a.at.cmp(&b.at))
    }
}

impl Ord for InListOrder<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other.list_order(self)
    }
}

impl PartialOrd for InListOrder<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for InListOrder<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for InListOrder<'_> {}

/// The reasons as shown: a weak match says so first, and no reason is given twice.
fn finish_reasons(reasons: Vec<String>, related_field_only: bool, lang: Lang) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(reasons.len() + 1);
    if related_field_only {
        out.push(phrases::related_field_only(lang));
    }
    for r in reasons {
        if !out.contains(&r) {
            out.push(r);
        }
    }
    out
}

/// A weighted mean over the components that apply, times the disease gate.
struct Score {
    sum: f64,
    weight: f64,
    gate: f64,
}

impl Default for Score {
    fn default() -> Self {
        Score {
            sum: 0.0,
            weight: 0.0,
            gate: 1.0,
        }
    }
}

impl Score {
    fn add(&mut self, weight: f64, value: f64) {
        self.sum += weight * value.clamp(0.0, 1.0);
        self.weight += weight;
    }

    /// Scales the result by the disease fit (see [`weights::DISEASE_GATE_EXPONENT`]).
    fn gate(&mut self, disease_fit: f64) {
        self.gate = disease_fit
            .clamp(0.0, 1.0)
            .powf(weights::DISEASE_GATE_EXPONENT);
    }

    fn total(&self) -> f64 {
        if self.weight == 0.0 {
            0.0
        } else {
            ((self.sum / self.weight * self.gate) * 1000.0).round() / 1000.0
        }
    }
}

/// Shared words, saturating at [`weights::TEXT_SATURATION`].
fn text_score(subject: &Prepared, candidate: &Candidate) -> f64 {
    (candidate.cosine(&subject.words) / weights::TEXT_SATURATION).min(1.0)
}

pub(super) fn standing_forum(standing: &OwnerStanding) -> Option<Forum> {
    match standing {
        OwnerStanding::Industry => Some(Forum::Industry),
        OwnerStanding::Academia => Some(Forum::Academia),
        _ => None,
    }
}

/// Up to three ids closest in spelling to `id`.
pub fn closest_ids(id: &str, ids: &[&str]) -> Vec<String> {
    let wanted = id.to_lowercase();
    let mut scored: Vec<(f64, &str)> = ids
        .iter()
        .map(|candidate| {
            (
                strsim::jaro_winkler(&wanted, &candidate.to_lowercase()),
                *candidate,
            )
        })
        .filter(|(s, _)| *s > 0.7)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.to_string())
        .collect()
}

/// The position of the record with this id: spelled exactly, else in another case when only
/// one record has it (`n01` finds `N01`).
fn position_by_id(records: &dyn Records, kind: Kind, id: &str) -> Option<usize> {
    let id = id.trim();
    if let Some(i) = records.position(kind, id) {
        return Some(i);
    }
    let mut folded =
        (0..records.count(kind)).filter(|&at| records.id(kind, at).eq_ignore_ascii_case(id));
    match (folded.next(), folded.next()) {
        (Some(i), None) => Some(i),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An item for a ranked candidate, its id labelled with its position (`A#3`), blocked by
    /// `NCU` where `blocked` says so.
    pub(super) fn labelled_item(
        ids: &[impl AsRef<str>],
        blocked: &[bool],
        ranked: Ranked,
    ) -> MatchItem {
        let mut item = MatchItem::new(
            format!("{}#{}", ids[ranked.at].as_ref(), ranked.at),
            Kind::Dataset,
            String::new(),
            ranked.score,
            Vec::new(),
        );
        item.blocked = blocked[ranked.at].then(|| "NCU".to_string());
        item
    }

    #[test]
    fn ids_match_in_another_case_only_when_unambiguous() {
        let mut catalog = Catalog::default();
        for id in ["N01", "N02", "ab", "AB"] {
            catalog.needs.push(crate::model::Need {
                id: id.into(),
                ..Default::default()
            });
        }
        let find = |id: &str| position_by_id(&catalog, Kind::Need, id);
        assert_eq!(find("N02"), Some(1));
        assert_eq!(find("n01"), Some(0));
        assert_eq!(find("AB"), Some(3));
        assert_eq!(find("Ab"), None);
        assert_eq!(find("N03"), None);
    }

    #[test]
    fn listed_items_come_as_a_stable_sort_leaves_them_and_blocked_ones_do_not_count() {
        // Ties of score and id (a researcher and an organisation may share an id), and a
        // related-field-only candidate with the best score.
        let ids = ["B", "A", "C", "A", "B", "D", "A", "E"];
        let scores = [0.5, 0.5, 0.9, 0.5, 0.7, 0.5, 0.9, 0.6];
        let related = [false, false, true, false, false, false, false, false];
        let blocked = [false, true, false, false, false, false, false, false];
        let fit = |i: usize, _: &mut Scoring| {
            Some(Ranked {
                at: i,
                score: scores[i],
                related_field_only: related[i],
            })
        };
        let write = |ranked: Ranked, _: Scoring| Some(labelled_item(&ids, &blocked, ranked));
        let listed: Vec<String> = best(ids.len(), Reach::Every, true, fit, |i| ids[i], 4, write)
            .into_iter()
            .map(|item| item.id)
            .collect();
        let mut sorted: Vec<usize> = (0..ids.len()).collect();
        sorted.sort_by(|&a, &b| {
            related[a]
                .cmp(&related[b])
                .then_with(|| scores[b].total_cmp(&scores[a]))
                .then_with(|| ids[a].cmp(ids[b]))
        });
        // Four offered, and the blocked one among them rides along.
        let expected: Vec<String> = sorted[..5]
            .iter()
            .map(|&i| format!("{}#{i}", ids[i]))
            .collect();
        assert_eq!(listed, expected);
        assert_eq!(listed, ["A#6", "B#4", "E#7", "A#1", "A#3"]);
    }
}

#[cfg(test)]
mod scale_tests {
    use super::*;
    use crate::test_random::Lcg;

    /// How one section's candidate fits a subject.
    type Fit<'a> = dyn Fn(usize, &mut Scoring) -> Option<Ranked> + 'a;

    #[test]
    fn pruned_lists_equal_a_stable_sort_of_every_exact_score() {
        let mut random = Lcg(7);
        for case in 0..200 {
            let count = 1 + random.below(3000) as usize;
            // Few distinct scores, so that ties of score (and of id) are common.
            let levels = 1 + random.below(40);
            let exact: Vec<Option<Ranked>> = (0..count)
                .map(|at| {
                    (random.below(5) > 0).then(|| Ranked {
                        at,
                        score: (random.below(levels) as f64 * 25.0).min(1000.0) / 1000.0,
                        related_field_only: random.below(6) == 0,
                    })
                })
                .collect();
            // Bounds at or above the exact scores, and some that do not fit exactly at all.
            let bound: Vec<Option<Ranked>> = exact
                .iter()
                .enumerate()
                .map(|(at, fit)| match fit {
                    Some(fit) => Some(Ranked {
                        score: (fit.score + random.below(4) as f64 * 0.1).min(1.0),
                        ..*fit
                    }),
                    None => (random.below(2) == 0).then(|| Ranked {
                        at,
                        score: random.below(1001) as f64 / 1000.0,
                        related_field_only: random.below(2) == 0,
                    }),
                })
                .collect();
            let ids: Vec<String> = (0..count)
                .map(|_| format!("X{}", random.below(count as u64 / 2 + 1)))
                .collect();
            let blocked: Vec<bool> = (0..count).map(|_| random.below(4) == 0).collect();
            let limit = 1 + random.below(30) as usize;
            let fit = |at: usize, scoring: &mut Scoring| match scoring {
                Scoring::UpperBound => bound[at],
                _ => exact[at],
            };
            let write = |ranked: Ranked, _: Scoring| {
                Some(super::tests::labelled_item(&ids, &blocked, ranked))
            };
            // Reached: all, or leaving out some that do not fit, or leaving out some whose
            // bounds are at or after a key (most of them, or a few: the list may or may not
            // fill before it).
            let key = |r: &Option<Ranked>| r.map_or(u16::MAX, |r| r.list_key());
            let from = random.below(u64::from(Ranked::KEYS) + 1) as u16;
            let (mut fitless, mut after) = (Vec::new(), Vec::new());
            let leave_out = random.below(3);
            for at in 0..count as u32 {
                let leave = random.below(3) <= leave_out;
                if !(leave && exact[at as usize].is_none()) {
                    fitless.push(at);
                }
                if !(leave && key(&bound[at as usize]) >= from) {
                    after.push(at);
                }
            }
            let lists: Vec<Vec<String>> = [
                Reach::Every,
                Reach::Only(fitless),
                Reach::First(after, from),
            ]
            .into_iter()
            .map(|reach| {
                best(count, reach, true, fit, |at| ids[at].as_str(), limit, write)
                    .into_iter()
                    .map(|item| item.id)
                    .collect()
            })
            .collect();

            let mut sorted: Vec<Ranked> = exact.iter().flatten().copied().collect();
            sorted.sort_by(|a, b| {
                a.related_field_only
                    .cmp(&b.related_field_only)
                    .then_with(|| b.score.total_cmp(&a.score))
                    .then_with(|| ids[a.at].cmp(&ids[b.at]))
            });
            let mut expected = Vec::new();
            let mut offered = 0;
            for ranked in sorted {
                if offered == limit {
                    break;
                }
                if !blocked[ranked.at] {
                    offered += 1;
                }
                expected.push(format!("{}#{}", ids[ranked.at], ranked.at));
            }
            for (listed, reach) in lists.iter().zip(["every", "only", "first"]) {
                assert_eq!(
                    listed, &expected,
                    "case {case}, {reach}: {count} candidates, limit {limit}, from {from}"
                );
            }
        }
    }

    #[test]
    fn needs_matched_by_window_come_in_file_order_and_equal_one_at_a_time() {
        let catalog = crate::synthetic::catalog(400, 42);
        let matcher = Matcher::new(
            &catalog,
            Vocabulary::builtin(),
            Date::new(2026, 11, 27).expect("a date"),
        );
        let options = MatchOptions::default();
        let one_at_a_time: Vec<MatchReport> = catalog
            .needs
            .iter()
            .map(|n| {
                matcher
                    .run(&Subject::Need(n.id.clone()), &options)
                    .expect("a need")
            })
            .collect();
        assert!(one_at_a_time.len() > 64, "{} needs", one_at_a_time.len());
        for size in [1, 7, 64, 1024] {
            let mut windows = Vec::new();
            let done = std::sync::Mutex::new(Vec::new());
            let handed: Result<(), ()> = matcher.run_all_needs_in_windows_of(
                size,
                &options,
                &|n, total| done.lock().expect("not poisoned").push((n, total)),
                &mut |window| {
                    windows.push(window.len());
                    assert!(window.len() <= size);
                    Ok(())
                },
            );
            assert_eq!(handed, Ok(()));
            assert_eq!(windows.iter().sum::<usize>(), one_at_a_time.len());
            let done = done.into_inner().expect("not poisoned");
            assert_eq!(
                done.iter().map(|&(n, _)| n).max(),
                Some(one_at_a_time.len())
            );
        }
        let mut all = Vec::new();
        let stopped =
            matcher.run_all_needs_in_windows_of(10, &options, &|_, _| {}, &mut |window| {
                all.extend(window);
                if all.len() >= 30 {
                    Err("enough")
                } else {
                    Ok(())
                }
            });
        assert_eq!(stopped, Err("enough"));
        assert_eq!(all.len(), 30, "no window after the error");
        assert_eq!(all, one_at_a_time[..30]);
        assert_eq!(matcher.run_all_needs(&options), one_at_a_time);
    }

    /// Needs, proposals, organisations, researchers and ad-hoc needs of a generated catalog.
    fn subjects_of(records: &dyn Records) -> Vec<Subject> {
        let mut subjects: Vec<Subject> = Vec::new();
        let ids = |kind| records.ids(kind).into_iter().map(str::to_string);
        subjects.extend(ids(Kind::Need).step_by(40).map(Subject::Need));
        subjects.extend(ids(Kind::Proposal).step_by(30).map(Subject::Proposal));
        subjects.extend(
            ids(Kind::Organization)
                .step_by(30)
                .map(Subject::Organization),
        );
        subjects.extend(ids(Kind::Researcher).step_by(150).map(Subject::Researcher));
        subjects.push(Subject::AdHoc(AdHocNeed {
            text: "WGS of pancreatic cancer 膵がん organoids".into(),
            ..AdHocNeed::default()
        }));
        subjects.push(Subject::AdHoc(AdHocNeed {
            text: "long-read sequencing".into(),
            ..AdHocNeed::default()
        }));
        subjects
    }

    #[test]
    fn matches_through_disease_postings_equal_matches_over_every_candidate() {
        let catalog = crate::synthetic::catalog(3000, 42);
        let vocab = Vocabulary::builtin();
        let today = Date::new(2026, 11, 27).expect("a date");
        let every = Matcher::new(&catalog, vocab, today);
        let reached = Matcher::new(&catalog, vocab, today).for_many_subjects();
        let subjects = subjects_of(&catalog);
        let partners = catalog.researchers.len() + catalog.organizations.len();
        let (mut fewer, mut beyond) = (0, 0);
        for subject in &subjects {
            let resolved = reached.resolve(subject).expect("a known subject");
            let p = Prepared::new(&reached.relations, reached.candidates.as_ref(), &resolved);
            let counts = [
                (Section::Datasets, catalog.datasets.len()),
                (Section::Partners, partners),
                (Section::Proposals, catalog.proposals.len()),
            ];
            let mut reached_partners: Vec<&str> = Vec::new();
            for (section, count) in counts {
                match reached.reach(section, &resolved, &p) {
                    Reach::Only(these) | Reach::First(these, _) if these.len() * 2 < count => {
                        fewer += 1;
                        if section == Section::Partners {
                            reached_partners = these
                                .iter()
                                .filter_map(|&at| reached.partner(at as usize))
                                .map(|(partner, _)| reached.partner_id(&partner))
                                .collect();
                        }
                    }
                    _ => {}
                }
            }
            // A partner list holding one the postings did not reach: the others were needed.
            let long = MatchOptions {
                limit: 60,
                ..MatchOptions::default()
            };
            let listed = every.run(subject, &long).expect("a known subject").partners;
            if !reached_partners.is_empty()
                && listed
                    .iter()
                    .any(|item| !reached_partners.contains(&item.id.as_str()))
            {
                beyond += 1;
            }
            for limit in [1, 3, 10, 60] {
                for include_blocked in [false, true] {
                    let options = MatchOptions {
                        limit,
                        include_blocked,
                        lang: None,
                    };
                    assert_eq!(
                        reached.run(subject, &options),
                        every.run(subject, &options),
                        "{subject:?}, limit {limit}"
                    );
                }
            }
            // Every dataset that fits, as the gap report asks.
            let all = MatchOptions {
                limit: catalog.datasets.len(),
                include_blocked: true,
                lang: None,
            };
            let found = reached
                .find_subject(subject, &all)
                .expect("a known subject");
            let mut datasets = reached.datasets_of(&found, false);
            let mut listed = every.run(subject, &all).expect("a known subject").datasets;
            for item in datasets.iter_mut() {
                // No reason but a weak match's warning.
                assert!(item.reasons.len() <= usize::from(item.related_field_only));
                item.reasons.clear();
            }
            listed.iter_mut().for_each(|item| item.reasons.clear());
            assert_eq!(datasets, listed, "{subject:?}");
        }
        // The postings leave candidates out (or the test would prove nothing), and some
        // partner lists need the candidates outside them.
        assert!(fewer > 20, "{fewer} sections with fewer candidates");
        assert!(beyond > 0, "no partner list beyond the postings");
    }

    #[test]
    fn upper_bounds_are_never_below_exact_scores_nor_rule_out_a_fit() {
        let catalog = crate::synthetic::catalog(3000, 42);
        let vocab = Vocabulary::builtin();
        let matcher = Matcher::new(&catalog, vocab, Date::new(2026, 11, 27).expect("a date"));
        let subjects = subjects_of(&catalog);
        let (mut fits, mut above) = (0, 0);
        for subject in &subjects {
            let resolved = matcher.resolve(subject).expect("a known subject");
            let p = Prepared::new(&matcher.relations, matcher.candidates.as_ref(), &resolved);
            let s = &resolved;
            let sections: [(usize, &Fit); 3] = [
                (catalog.datasets.len(), &|i, scoring| {
                    matcher.dataset_fit(s, &p, i, scoring)
                }),
                (
                    catalog.researchers.len() + catalog.organizations.len(),
                    &|i, scoring| matcher.partner_fit(s, &p, i, scoring),
                ),
                (catalog.proposals.len(), &|i, scoring| {
                    matcher.proposal_fit(s, &p, i, scoring)
                }),
            ];
            for (count, fit) in sections {
                for i in 0..count {
                    let exact = fit(i, &mut Scoring::Exact);
                    let bound = fit(i, &mut Scoring::UpperBound);
                    let Some(exact) = exact else { continue };
                    let bound = bound.unwrap_or_else(|| {
                        panic!("{subject:?}: candidate {i} fits but has no bound")
                    });
                    fits += 1;
                    assert_eq!(bound.related_field_only, exact.related_field_only);
                    assert!(bound.score >= exact.score, "{subject:?}: candidate {i}");
                    assert!(bound.list_key() <= exact.list_key());
                    if bound.score > exact.score {
                        above += 1;
                    }
                }
            }
        }
        assert!(fits > 10_000, "{fits} fits");
        // Bounds above the score are the ones whose words would not lift them to the best:
        // the case that must never change a list.
        assert!(
            above * 10 > fits,
            "{above} of {fits} bounds above the score"
        );
    }
}
