//! The matching engine: for a subject (a need, proposal, organisation, researcher or an ad-hoc
//! need), the datasets that can serve it, the partners to bring in and the proposals it could
//! join — ranked, explained, and never against a dataset's consent.

use super::phrases;
use super::profile::{self, Lang, Profile};
use super::relations::{covered, disease_fit, DiseaseLink, Relation, Relations};
use super::report::{MatchItem, MatchReport, MatchSubject, SubjectKind};
use super::weights;
use crate::chunked::{self, SectionWriter};
use crate::consent::{self, ConsentSubject, Date, OwnerStanding};
use crate::model::{Catalog, Forum, Kind, ProposalStatus};
use crate::vocab::Vocabulary;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;
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
    catalog: &'a Catalog,
    vocab: &'a Vocabulary,
    today: Date,
    candidates: Cow<'a, Candidates>,
    relations: Relations<'a>,
}

/// Every record of a catalog read through the vocabulary once, as match candidates. Building it
/// is most of the cost of a [`Matcher`]; a front end that matches many subjects over one catalog
/// keeps one and passes it to [`Matcher::with_candidates`].
#[derive(Debug, Clone)]
pub struct Candidates {
    datasets: Vec<Profile>,
    researchers: Vec<Profile>,
    organizations: Vec<Profile>,
    proposals: Vec<Profile>,
    /// Each dataset's custodian as the consent reasons name it, looked up once (a scan of
    /// every organisation per dataset made one match quadratic in the catalog's size).
    custodians: Vec<Option<String>>,
}

/// Needs matched by one task of [`Matcher::run_all_needs_reporting`].
const NEEDS_PER_TASK: usize = 64;

/// Changes whenever what [`Candidates`] store does, so that a stored copy of another shape
/// is never read as this one.
const STORED_FORMAT: &[u8; 8] = b"mscand04";

impl Candidates {
    /// Reads every record of the catalog as a candidate and writes them for
    /// [`Candidates::load`], a chunk at a time: the index build stores them beside the index
    /// (so that a match need not read every record through the vocabulary again) without
    /// holding them all in memory.
    pub fn write(
        catalog: &Catalog,
        vocab: &Vocabulary,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        out.write_all(STORED_FORMAT)?;
        let owners = consent::OwnerDirectory::new(catalog);
        // The order `load` reads them in.
        for kind in [
            Kind::Dataset,
            Kind::Researcher,
            Kind::Organization,
            Kind::Proposal,
        ] {
            let mut section = SectionWriter::start(&mut *out, catalog.count(kind))?;
            let mut failed: Option<std::io::Error> = None;
            each_profile(catalog, vocab, &owners, kind, &mut |profiles| {
                if failed.is_none() {
                    failed = section.chunk(&profiles).err();
                }
            });
            if let Some(e) = failed {
                return Err(e);
            }
            section.finish()?;
        }
        chunked::write_section(out, &custodian_labels(catalog))
    }

    /// Reads candidates written by [`Candidates::write`], decoding on every core; `None` when
    /// the bytes are of another format or damaged. See [`Candidates::fits`] before use.
    pub fn load(bytes: &[u8]) -> Option<Candidates> {
        let mut rest = bytes.strip_prefix(STORED_FORMAT.as_slice())?;
        let candidates = Candidates {
            datasets: chunked::read_section(&mut rest)?,
            researchers: chunked::read_section(&mut rest)?,
            organizations: chunked::read_section(&mut rest)?,
            proposals: chunked::read_section(&mut rest)?,
            custodians: chunked::read_section(&mut rest)?,
        };
        rest.is_empty().then_some(candidates)
    }

    /// True when there is a candidate for every record of the catalog (stored candidates of
    /// another catalog never are used for this one).
    pub fn fits(&self, catalog: &Catalog) -> bool {
        self.datasets.len() == catalog.datasets.len()
            && self.custodians.len() == catalog.datasets.len()
            && self.researchers.len() == catalog.researchers.len()
            && self.organizations.len() == catalog.organizations.len()
            && self.proposals.len() == catalog.proposals.len()
    }

    /// Reads every record of the catalog (in catalog order).
    pub fn read(catalog: &Catalog, vocab: &Vocabulary) -> Candidates {
        let owners = consent::OwnerDirectory::new(catalog);
        let of_kind = |kind: Kind| {
            let mut profiles = Vec::with_capacity(catalog.count(kind));
            each_profile(catalog, vocab, &owners, kind, &mut |chunk| {
                profiles.extend(chunk)
            });
            profiles
        };
        Candidates {
            datasets: of_kind(Kind::Dataset),
            researchers: of_kind(Kind::Researcher),
            organizations: of_kind(Kind::Organization),
            proposals: of_kind(Kind::Proposal),
            custodians: custodian_labels(catalog),
        }
    }
}

/// Records profiled at once on every core before they are handed on.
const PROFILE_CHUNK: usize = 16_384;

/// Profiles every record of one kind (needs: none), in catalog order: a chunk at a time, each
/// chunk on every core (a profile depends on its record alone), handing each chunk to `sink`.
fn each_profile(
    catalog: &Catalog,
    vocab: &Vocabulary,
    owners: &consent::OwnerDirectory,
    kind: Kind,
    sink: &mut dyn FnMut(Vec<Profile>),
) {
    fn chunked<T: Sync>(
        records: &[T],
        profile: impl Fn(&T) -> Profile + Sync,
        sink: &mut dyn FnMut(Vec<Profile>),
    ) {
        for chunk in records.chunks(PROFILE_CHUNK) {
            sink(chunk.par_iter().map(&profile).collect());
        }
    }
    match kind {
        Kind::Dataset => chunked(&catalog.datasets, |d| profile::of_dataset(d, vocab), sink),
        Kind::Researcher => chunked(
            &catalog.researchers,
            |r| profile::of_researcher(r, vocab),
            sink,
        ),
        Kind::Organization => chunked(
            &catalog.organizations,
            |o| profile::of_organization(o, vocab),
            sink,
        ),
        Kind::Proposal => chunked(
            &catalog.proposals,
            |p| {
                let owner = owners.standing(p.proposer.as_deref());
                profile::of_proposal(p, vocab, standing_forum(&owner))
            },
            sink,
        ),
        Kind::Need => {}
    }
}

/// [`consent::custodian_label`] of every dataset, through one id → name map.
fn custodian_labels(catalog: &Catalog) -> Vec<Option<String>> {
    let mut names: HashMap<&str, &str> = HashMap::new();
    // Researchers first so that an organisation with the same id wins, as in `custodian_label`.
    let researcher_labels: Vec<String> = catalog
        .researchers
        .iter()
        .map(consent::researcher_custodian_label)
        .collect();
    for (r, label) in catalog.researchers.iter().zip(&researcher_labels) {
        names.insert(r.id.as_str(), label.as_str());
    }
    for o in &catalog.organizations {
        names.insert(o.id.as_str(), o.name.as_str());
    }
    catalog
        .datasets
        .iter()
        .map(|d| {
            let custodian = d
                .custodian
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())?;
            Some(
                names
                    .get(custodian)
                    .copied()
                    .unwrap_or(custodian)
                    .to_string(),
            )
        })
        .collect()
}

impl<'a> Matcher<'a> {
    /// Reads every candidate through the vocabulary once; `today` decides expired dates.
    pub fn new(catalog: &'a Catalog, vocab: &'a Vocabulary, today: Date) -> Self {
        Matcher {
            candidates: Cow::Owned(Candidates::read(catalog, vocab)),
            relations: Relations::new(vocab),
            catalog,
            vocab,
            today,
        }
    }

    /// A matcher over candidates read earlier from the same catalog and vocabulary.
    pub fn with_candidates(
        catalog: &'a Catalog,
        vocab: &'a Vocabulary,
        today: Date,
        candidates: &'a Candidates,
    ) -> Self {
        Matcher {
            candidates: Cow::Borrowed(candidates),
            relations: Relations::new(vocab),
            catalog,
            vocab,
            today,
        }
    }

    /// The ranked datasets, partners and proposals for one subject.
    pub fn run(
        &self,
        subject: &Subject,
        options: &MatchOptions,
    ) -> Result<MatchReport, MatchError> {
        let mut resolved = self.resolve(subject)?;
        if let Some(lang) = options.lang {
            resolved.lang = lang;
            resolved.consent_lang = lang;
        }
        resolved.subject.lang = resolved.lang;
        resolved.subject.commercial_basis = resolved.consent.commercial.basis_in(resolved.lang);
        let limit = options.limit.max(1);
        let mut datasets = self.datasets_for(&resolved, options.include_blocked);
        let mut partners = self.partners_for(&resolved);
        let mut proposals = self.proposals_for(&resolved);
        for list in [&mut datasets, &mut partners, &mut proposals] {
            // A match on the disease itself always ranks above a related-field-only one.
            list.sort_by(|a, b| {
                a.related_field_only
                    .cmp(&b.related_field_only)
                    .then_with(|| b.score.total_cmp(&a.score))
                    .then_with(|| a.id.cmp(&b.id))
            });
            cut_to_limit(list, limit);
        }
        Ok(MatchReport {
            subject: resolved.subject,
            datasets,
            partners,
            proposals,
        })
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
        let total = self.catalog.needs.len();
        let done = AtomicUsize::new(0);
        let (catalog, vocab, today) = (self.catalog, self.vocab, self.today);
        let candidates: &Candidates = &self.candidates;
        let chunks: Vec<Vec<MatchReport>> = catalog
            .needs
            .par_chunks(NEEDS_PER_TASK)
            .map(|needs| {
                // A matcher per task: its memory of concept relations is not shared.
                let matcher = Matcher::with_candidates(catalog, vocab, today, candidates);
                let reports = needs
                    .iter()
                    .filter_map(|n| matcher.run(&Subject::Need(n.id.clone()), options).ok())
                    .collect();
                progress(
                    done.fetch_add(needs.len(), Ordering::Relaxed) + needs.len(),
                    total,
                );
                reports
            })
            .collect();
        chunks.into_iter().flatten().collect()
    }

    fn unknown(&self, kind: Kind, id: &str) -> MatchError {
        let ids: Vec<&str> = match kind {
            Kind::Need => self.catalog.needs.iter().map(|r| r.id.as_str()).collect(),
            Kind::Proposal => self
                .catalog
                .proposals
                .iter()
                .map(|r| r.id.as_str())
                .collect(),
            Kind::Organization => self
                .catalog
                .organizations
                .iter()
                .map(|r| r.id.as_str())
                .collect(),
            Kind::Researcher => self
                .catalog
                .researchers
                .iter()
                .map(|r| r.id.as_str())
                .collect(),
            Kind::Dataset => self
                .catalog
                .datasets
                .iter()
                .map(|r| r.id.as_str())
                .collect(),
        };
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
        let c = self.catalog;
        match subject {
            Subject::Need(id) => {
                let need = position_by_id(&c.needs, id, |n| &n.id)
                    .map(|i| &c.needs[i])
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
                let i = position_by_id(&c.proposals, id, |p| &p.id)
                    .ok_or_else(|| self.unknown(Kind::Proposal, id))?;
                let p = &c.proposals[i];
                let profile = self.candidates.proposals[i].clone();
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
                let i = position_by_id(&c.organizations, id, |o| &o.id)
                    .ok_or_else(|| self.unknown(Kind::Organization, id))?;
                let o = &c.organizations[i];
                let profile = self.candidates.organizations[i].clone();
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
                let i = position_by_id(&c.researchers, id, |r| &r.id)
                    .ok_or_else(|| self.unknown(Kind::Researcher, id))?;
                let r = &c.researchers[i];
                let profile = self.candidates.researchers[i].clone();
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
        let c = self.catalog;
        let name = c
            .organizations
            .iter()
            .find(|o| o.id == id)
            .map(|o| o.name.clone())
            .or_else(|| {
                c.researchers
                    .iter()
                    .find(|r| r.id == id)
                    .map(|r| r.name.clone())
            })
            .or_else(|| {
                c.proposals
                    .iter()
                    .find(|p| p.id == id)
                    .map(|p| p.title.clone())
            });
        (Some(id.to_string()), name)
    }

    /// The organisation or researcher an ad-hoc request names as its requester: its id as the
    /// catalog spells it (an id in another case is accepted when only one record has it) and
    /// its name.
    fn find_requester(&self, id: &str) -> Result<(String, String), MatchError> {
        let c = self.catalog;
        let parties: Vec<(&str, &str)> = c
            .organizations
            .iter()
            .map(|o| (o.id.as_str(), o.name.as_str()))
            .chain(
                c.researchers
                    .iter()
                    .map(|r| (r.id.as_str(), r.name.as_str())),
            )
            .collect();
        if let Some((found, name)) = parties.iter().find(|(p, _)| *p == id) {
            return Ok((found.to_string(), name.to_string()));
        }
        let folded: Vec<&(&str, &str)> = parties
            .iter()
            .filter(|(p, _)| p.eq_ignore_ascii_case(id))
            .collect();
        if let [(found, name)] = folded.as_slice() {
            return Ok((found.to_string(), name.to_string()));
        }
        let ids: Vec<&str> = parties.iter().map(|(p, _)| *p).collect();
        let mut closest = closest_ids(id, &ids);
        // A name typed instead of an id: offer the ids of records so named.
        for (p, name) in &parties {
            if closest.len() < 3 && !name.is_empty() && name.contains(id.trim()) {
                closest.push(p.to_string());
            }
        }
        Err(MatchError::UnknownRequester {
            id: id.to_string(),
            closest,
        })
    }

    fn datasets_for(&self, s: &Resolved, include_blocked: bool) -> Vec<MatchItem> {
        use weights::dataset as w;
        // On every core, in catalog order as before (the parallel iterator keeps it).
        let datasets = self.catalog.datasets.par_iter();
        let candidates = self.candidates.datasets.par_iter();
        let custodians = self.candidates.custodians.par_iter();
        datasets
            .zip(candidates)
            .zip(custodians)
            .filter_map(|((d, candidate), custodian)| {
                let mut parts = Score::default();
                let mut reasons = Vec::new();
                let mut links = Vec::new();
                if !s.profile.diseases.is_empty() {
                    let (fit, found) =
                        disease_fit(&self.relations, &s.profile.diseases, &candidate.diseases);
                    if fit == 0.0 {
                        return None;
                    }
                    parts.add(w::DISEASE, fit);
                    parts.gate(fit);
                    links = found;
                    reasons.extend(
                        links
                            .iter()
                            .map(|l| phrases::disease(self.vocab, l, s.lang)),
                    );
                }
                if !s.profile.modalities.is_empty() {
                    let has = covered(
                        &self.relations,
                        &s.profile.modalities,
                        &candidate.modalities,
                    );
                    let lacks: Vec<&String> = s
                        .profile
                        .modalities
                        .iter()
                        .filter(|m| !has.contains(m))
                        .collect();
                    parts.add(
                        w::MODALITY,
                        has.len() as f64 / s.profile.modalities.len() as f64,
                    );
                    reasons.push(phrases::modalities(self.vocab, &has, &lacks, s.lang));
                }
                if let Some(needed) = s.min_cases.filter(|n| *n > 0) {
                    parts.add(w::CASES, (d.cases as f64 / needed as f64).min(1.0));
                    reasons.push(phrases::cases(d.cases, needed, s.lang));
                }
                if !s.profile.clinical.is_empty() {
                    let has = covered(&self.relations, &s.profile.clinical, &candidate.clinical);
                    parts.add(
                        w::CLINICAL,
                        has.len() as f64 / s.profile.clinical.len() as f64,
                    );
                    if !has.is_empty() {
                        reasons.push(phrases::clinical(self.vocab, &has, s.lang));
                    }
                }
                let text = text_score(&s.profile, candidate);
                parts.add(w::TEXT, text);
                if text >= 0.5 {
                    reasons.push(phrases::similar_text(s.lang));
                }
                let score = parts.total();
                if score < weights::MIN_SCORE
                    || (s.profile.diseases.is_empty()
                        && s.profile.modalities.is_empty()
                        && text == 0.0)
                {
                    return None;
                }
                let verdict = consent::evaluate_in(
                    d,
                    &s.consent,
                    self.vocab,
                    self.today,
                    custodian.as_deref(),
                    s.consent_lang,
                );
                if verdict.is_blocked() && !include_blocked {
                    return None;
                }
                let related_field_only = related_field_only(&s.profile.diseases, &links);
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
                    related_field_only,
                    ..MatchItem::new(
                        d.id.clone(),
                        Kind::Dataset,
                        d.title.clone(),
                        score,
                        finish_reasons(reasons, related_field_only, s.lang),
                    )
                })
            })
            .collect()
    }

    fn partners_for(&self, s: &Resolved) -> Vec<MatchItem> {
        use weights::partner as w;
        let subject_forum = s.profile.forum;
        let wanted: Vec<String> = s
            .profile
            .modalities
            .iter()
            .chain(&s.profile.strategies)
            .chain(&s.profile.clinical)
            .cloned()
            .collect();
        // On every core, in catalog order as before (the parallel iterator keeps it).
        let researchers = self
            .catalog
            .researchers
            .par_iter()
            .zip(self.candidates.researchers.par_iter())
            .map(|(r, p)| {
                (
                    r.id.as_str(),
                    Kind::Researcher,
                    &r.name,
                    &r.name_en,
                    r.forum,
                    None::<&str>,
                    p,
                )
            });
        let organizations = self
            .catalog
            .organizations
            .par_iter()
            .zip(self.candidates.organizations.par_iter())
            .map(|(o, p)| {
                (
                    o.id.as_str(),
                    Kind::Organization,
                    &o.name,
                    &o.name_en,
                    Some(o.forum),
                    o.sector.as_deref(),
                    p,
                )
            });
        researchers
            .chain(organizations)
            .filter_map(|(id, kind, title, title_en, forum, sector, candidate)| {
                if s.exclude.iter().any(|e| e == id) {
                    return None;
                }
                // Industry looks for academia; academia for industry, and for researchers whose
                // skills complement its own.
                let complementary = match (subject_forum, forum) {
                    (Some(Forum::Industry), Some(Forum::Industry)) => return None,
                    (Some(Forum::Academia), Some(Forum::Academia) | None) => {
                        if kind == Kind::Organization {
                            return None;
                        }
                        true
                    }
                    _ => false,
                };
                let mut parts = Score::default();
                let mut reasons = Vec::new();
                let (disease, links) =
                    disease_fit(&self.relations, &s.profile.diseases, &candidate.diseases);
                if !s.profile.diseases.is_empty() {
                    parts.add(w::DISEASE, disease);
                    reasons.extend(
                        links
                            .iter()
                            .map(|l| phrases::disease(self.vocab, l, s.lang)),
                    );
                }
                let offered: Vec<String> = candidate
                    .modalities
                    .iter()
                    .chain(&candidate.strategies)
                    .chain(&candidate.clinical)
                    .cloned()
                    .collect();
                let matched = covered(&self.relations, &wanted, &offered);
                let mut fit = if wanted.is_empty() {
                    0.0
                } else {
                    matched.len() as f64 / wanted.len() as f64
                };
                if !matched.is_empty() {
                    reasons.push(phrases::fits(self.vocab, &matched, s.lang));
                }
                if complementary {
                    let brings: Vec<String> = candidate
                        .skills
                        .iter()
                        .filter(|k| !s.profile.skills.contains(k))
                        .take(3)
                        .cloned()
                        .collect();
                    if brings.is_empty() || disease == 0.0 {
                        return None;
                    }
                    fit = fit.max(0.5);
                    reasons.push(phrases::complements(&brings, s.lang));
                }
                if !wanted.is_empty() || complementary {
                    parts.add(w::FIT, fit);
                }
                parts.add(w::TEXT, text_score(&s.profile, candidate));
                if disease == 0.0 && matched.is_empty() {
                    return None;
                }
                let score = parts.total();
                if score < weights::MIN_SCORE {
                    return None;
                }
                if let Some(f) = forum {
                    reasons.push(phrases::forum(f.as_str(), sector, s.lang));
                }
                let related_field_only = related_field_only(&s.profile.diseases, &links);
                Some(MatchItem {
                    title_en: title_en.clone(),
                    related_field_only,
                    ..MatchItem::new(
                        id.to_string(),
                        kind,
                        title.clone(),
                        score,
                        finish_reasons(reasons, related_field_only, s.lang),
                    )
                })
            })
            .collect()
    }

    fn proposals_for(&self, s: &Resolved) -> Vec<MatchItem> {
        use weights::proposal as w;
        // On every core, in catalog order as before (the parallel iterator keeps it).
        let proposals = self.catalog.proposals.par_iter();
        let candidates = self.candidates.proposals.par_iter();
        proposals
            .zip(candidates)
            .filter_map(|(p, candidate)| {
                if s.exclude.contains(&p.id) || p.status == Some(ProposalStatus::Closed) {
                    return None;
                }
                let seeks_subject = match s.profile.forum {
                    Some(f) if !p.seeking.is_empty() => {
                        if !p.seeking.contains(&f) {
                            return None;
                        }
                        1.0
                    }
                    _ => 0.5,
                };
                let mut parts = Score::default();
                let mut reasons = Vec::new();
                let (disease, links) =
                    disease_fit(&self.relations, &s.profile.diseases, &candidate.diseases);
                if !s.profile.diseases.is_empty() {
                    if disease == 0.0 {
                        return None;
                    }
                    parts.add(w::DISEASE, disease);
                    parts.gate(disease);
                    reasons.extend(
                        links
                            .iter()
                            .map(|l| phrases::disease(self.vocab, l, s.lang)),
                    );
                }
                if !s.profile.strategies.is_empty() {
                    let shared = covered(
                        &self.relations,
                        &s.profile.strategies,
                        &candidate.strategies,
                    );
                    parts.add(
                        w::STRATEGY,
                        shared.len() as f64 / s.profile.strategies.len() as f64,
                    );
                    if !shared.is_empty() {
                        reasons.push(phrases::strategies(self.vocab, &shared, s.lang));
                    }
                }
                parts.add(w::SEEKING, seeks_subject);
                if seeks_subject == 1.0 {
                    if let Some(f) = s.profile.forum {
                        reasons.push(phrases::seeks(f.as_str(), s.lang));
                    }
                }
                let text = text_score(&s.profile, candidate);
                parts.add(w::TEXT, text);
                if s.profile.diseases.is_empty() && text == 0.0 {
                    return None;
                }
                let score = parts.total();
                if score < weights::MIN_SCORE {
                    return None;
                }
                if let Some(status) = p.status {
                    reasons.push(phrases::status(status, s.lang));
                }
                let related_field_only = related_field_only(&s.profile.diseases, &links);
                Some(MatchItem {
                    title_en: p.title_en.clone(),
                    related_field_only,
                    ..MatchItem::new(
                        p.id.clone(),
                        Kind::Proposal,
                        p.title.clone(),
                        score,
                        finish_reasons(reasons, related_field_only, s.lang),
                    )
                })
            })
            .collect()
    }
}

/// Keeps the best `limit` items that may be offered, and the blocked ones ranked among them:
/// the offered part is the same list whether blocked items are asked for or not.
fn cut_to_limit(list: &mut Vec<MatchItem>, limit: usize) {
    let mut offered = 0;
    let end = list
        .iter()
        .position(|item| {
            if offered == limit {
                return true;
            }
            if !item.is_blocked() {
                offered += 1;
            }
            false
        })
        .unwrap_or(list.len());
    list.truncate(end);
}

/// True when the subject names diseases and the candidate meets them only through a shared
/// group (siblings), never on the disease itself or above or below it.
fn related_field_only(subject_diseases: &[String], links: &[DiseaseLink]) -> bool {
    !subject_diseases.is_empty()
        && !links.is_empty()
        && links
            .iter()
            .all(|l| matches!(l.relation, Relation::Sibling(_)))
}

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
fn text_score(subject: &Profile, candidate: &Profile) -> f64 {
    (subject.words.cosine(&candidate.words) / weights::TEXT_SATURATION).min(1.0)
}

fn standing_forum(standing: &OwnerStanding) -> Option<Forum> {
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
fn position_by_id<T>(records: &[T], id: &str, get: impl Fn(&T) -> &str) -> Option<usize> {
    let id = id.trim();
    if let Some(i) = records.iter().position(|r| get(r) == id) {
        return Some(i);
    }
    let mut folded = records
        .iter()
        .enumerate()
        .filter(|(_, r)| get(r).eq_ignore_ascii_case(id));
    match (folded.next(), folded.next()) {
        (Some((i, _)), None) => Some(i),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Area, Dataset, Organization, Researcher};

    #[test]
    fn ids_match_in_another_case_only_when_unambiguous() {
        let ids = ["N01", "N02", "ab", "AB"];
        let find = |id: &str| position_by_id(&ids, id, |s| *s);
        assert_eq!(find("N02"), Some(1));
        assert_eq!(find("n01"), Some(0));
        assert_eq!(find("AB"), Some(3));
        assert_eq!(find("Ab"), None);
        assert_eq!(find("N03"), None);
    }

    fn dataset(id: &str, custodian: Option<&str>) -> Dataset {
        Dataset {
            id: id.into(),
            title: id.into(),
            area: Area::Cancer,
            diseases: Vec::new(),
            cases: 1,
            modalities: Vec::new(),
            clinical: Vec::new(),
            custodian: custodian.map(String::from),
            fiscal_year: None,
            access: None,
            data_use: Vec::new(),
            summary: None,
            extra: Default::default(),
        }
    }

    #[test]
    fn custodian_labels_agree_with_the_consent_rules() {
        let catalog = Catalog {
            datasets: vec![
                dataset("D1", Some("ORG1")),
                dataset("D2", Some(" R1 ")),
                dataset("D3", Some("北辰大学病院 血液内科")),
                dataset("D4", Some("  ")),
                dataset("D5", None),
            ],
            organizations: vec![Organization {
                id: "ORG1".into(),
                name: "蒼海製薬".into(),
                name_en: None,
                forum: Forum::Industry,
                sector: None,
                interests: Vec::new(),
                offers: Vec::new(),
                summary: None,
                contact_name: None,
                email: None,
                contact_ok: false,
                extra: Default::default(),
            }],
            researchers: vec![Researcher {
                id: "R1".into(),
                name: "伊藤 亮".into(),
                ..Researcher::default()
            }],
            ..Catalog::default()
        };
        let labels = custodian_labels(&catalog);
        let expected: Vec<Option<String>> = catalog
            .datasets
            .iter()
            .map(|d| consent::custodian_label(d, &catalog))
            .collect();
        assert_eq!(labels, expected);
        assert_eq!(labels[0].as_deref(), Some("蒼海製薬"));
        // A researcher custodian is named by affiliation or id, never by personal name.
        assert_eq!(labels[1].as_deref(), Some("R1"));
        assert_eq!(labels[2].as_deref(), Some("北辰大学病院 血液内科"));
        assert_eq!(labels[3], None);
    }
}
