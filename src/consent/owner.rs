//! Who owns a need, and whether the need is commercial: the inputs of `NCU` and `NPU`.

use super::hierarchy::DiseaseHierarchy;
use crate::i18n::{fill, text, Key, Lang};
use crate::model::{Forum, Kind, Need, Proposal};
use crate::records::{Damaged, RecordBatches, Records};
use std::collections::HashMap;

/// Where a need's owner stands, as the `NCU`/`NPU` rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnerStanding {
    /// The owner (or the proposal's proposer) is in the industry forum.
    Industry,
    /// The owner (or the proposal's proposer) is in the academia forum.
    Academia,
    /// The owner is known but has no forum recorded.
    NoForum,
    /// The owner id points to no researcher or organisation (the id as written).
    UnknownOwner(String),
    /// The need (or its proposal) names no owner.
    NoOwner,
    /// A need typed by the coordinator, not a record: it has no owner.
    AdHoc,
}

/// How reasons name the owner: its id, or the id reached through proposals ("ORG-IND-03
/// (proposer of PRP-01)"), or a proposal that has no proposer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerPath {
    /// The record the path ends at.
    pub id: String,
    /// The proposals followed to reach it, innermost first.
    pub via: Vec<String>,
    /// The path ends at a proposal with no proposer.
    pub proposal_without_proposer: bool,
}

impl OwnerPath {
    fn plain(id: &str) -> OwnerPath {
        OwnerPath {
            id: id.to_string(),
            via: Vec::new(),
            proposal_without_proposer: false,
        }
    }

    /// The label in one language.
    pub fn render(&self, lang: Lang) -> String {
        let label = if self.via.is_empty() {
            self.id.clone()
        } else {
            let via: Vec<String> = self.via.to_vec();
            fill(
                Key::ProposerOf,
                lang,
                &[
                    ("id", &self.id),
                    ("proposal", &via.join(text(Key::ProposerOfSeparator, lang))),
                ],
            )
        };
        if self.proposal_without_proposer {
            fill(Key::ProposalLabel, lang, &[("label", &label)])
        } else {
            label
        }
    }
}

/// Why a need counts as commercial or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommercialCause {
    /// The need says so itself (its `commercial` field), or the coordinator said so for an
    /// ad-hoc request.
    Marked { by_coordinator: bool },
    /// Derived from where the owner (or requester) stands.
    Owner {
        standing: OwnerStanding,
        path: Option<OwnerPath>,
    },
    /// An ad-hoc request with neither a requester nor a stated status: commercial, because
    /// commercial use is not ruled out.
    NotRuledOut,
}

/// Whether a need is commercial, and why (`why` starts with "commercial: " or
/// "non-commercial: "; [`Commercial::basis_in`] gives the reason in either language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commercial {
    pub value: bool,
    pub why: String,
    pub cause: CommercialCause,
}

impl Commercial {
    /// The explanation without its "commercial: " prefix, for use inside a longer sentence.
    pub fn basis(&self) -> &str {
        self.why
            .split_once(": ")
            .map(|(_, rest)| rest)
            .unwrap_or(&self.why)
    }

    /// The explanation in one language, e.g. "owner ORG-IND-03 is in the industry forum".
    pub fn basis_in(&self, lang: Lang) -> String {
        match &self.cause {
            CommercialCause::Marked { by_coordinator } => {
                let key = match (by_coordinator, self.value) {
                    (true, true) => Key::MarkedCommercialByCoordinator,
                    (true, false) => Key::MarkedNonCommercialByCoordinator,
                    (false, true) => Key::NeedMarkedCommercial,
                    (false, false) => Key::NeedMarkedNonCommercial,
                };
                text(key, lang).to_string()
            }
            CommercialCause::Owner { standing, path } => {
                let phrase = owner_phrase_in(standing, path.as_ref(), lang);
                match standing {
                    OwnerStanding::Industry | OwnerStanding::Academia => phrase,
                    _ => fill(Key::FailClosed, lang, &[("x", &phrase)]),
                }
            }
            CommercialCause::NotRuledOut => text(Key::CommercialNotRuledOut, lang).to_string(),
        }
    }

    /// "commercial" or "non-commercial" in one language.
    pub fn word(&self, lang: Lang) -> &'static str {
        text(
            if self.value {
                Key::Commercial
            } else {
                Key::NonCommercial
            },
            lang,
        )
    }
}

/// What the consent rules need to know about the need being matched.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsentSubject {
    pub owner: OwnerStanding,
    /// How reasons name the owner: its id, or "ORG-IND-03 (proposer of PRP-01)" (English).
    pub owner_label: Option<String>,
    /// The same, in a form either language can name.
    pub owner_path: Option<OwnerPath>,
    pub commercial: Commercial,
    /// The need's disease concepts (its `diseases`, or those found in its title and text),
    /// as concept ids of the vocabulary. Empty: the need names no disease.
    pub disease_concepts: Vec<String>,
}

impl ConsentSubject {
    /// The subject for a need record: owner followed through the catalog, commercial derived.
    pub fn for_need(need: &Need, records: &dyn Records, disease_concepts: Vec<String>) -> Self {
        Self::for_owner(
            need.owner.as_deref(),
            need.commercial,
            records,
            disease_concepts,
        )
    }

    /// The subject for anything owned by the record with `owner_id` (a researcher, an
    /// organisation, or a proposal, followed to its proposer): e.g. a proposal matched to
    /// datasets is owned by its own id.
    pub fn for_owner(
        owner_id: Option<&str>,
        commercial: Option<bool>,
        records: &dyn Records,
        disease_concepts: Vec<String>,
    ) -> Self {
        Self::owned(owner_id, commercial, false, records, disease_concepts)
    }

    fn owned(
        owner_id: Option<&str>,
        commercial: Option<bool>,
        by_coordinator: bool,
        records: &dyn Records,
        disease_concepts: Vec<String>,
    ) -> Self {
        let (owner, path) = resolve_owner(owner_id, records);
        let commercial = derive(commercial, &owner, path.as_ref(), by_coordinator);
        ConsentSubject {
            owner_label: path.as_ref().map(|p| p.render(Lang::En)),
            owner_path: path,
            owner,
            commercial,
            disease_concepts,
        }
    }

    /// The subject for an ad-hoc need typed by the coordinator with no requester named;
    /// `commercial` is what the coordinator stated (`None`: not stated, which counts as
    /// commercial because commercial use is not ruled out).
    pub fn ad_hoc(commercial: Option<bool>, disease_concepts: Vec<String>) -> Self {
        let owner = OwnerStanding::AdHoc;
        ConsentSubject {
            commercial: derive(commercial, &owner, None, true),
            owner,
            owner_label: None,
            owner_path: None,
            disease_concepts,
        }
    }

    /// The subject for an ad-hoc need asked for by `requester` (an organisation or researcher
    /// id, when given), judged exactly as a need owned by the requester; a stated commercial
    /// status decides for `NCU` as a need's `commercial` field does.
    pub fn ad_hoc_for(
        requester: Option<&str>,
        commercial: Option<bool>,
        records: &dyn Records,
        disease_concepts: Vec<String>,
    ) -> Self {
        match requester.map(str::trim).filter(|r| !r.is_empty()) {
            Some(id) => Self::owned(Some(id), commercial, true, records, disease_concepts),
            None => Self::ad_hoc(commercial, disease_concepts),
        }
    }
}

/// Concept ids for a need's `diseases` field; a term the vocabulary does not know is kept as
/// written, so that a `DS:` code can never match it (fail closed). When the field is empty the
/// caller supplies the concepts found in the need's title and text instead.
pub fn resolve_need_diseases(diseases: &[String], hierarchy: &dyn DiseaseHierarchy) -> Vec<String> {
    let mut concepts: Vec<String> = Vec::new();
    for term in diseases.iter().map(|d| d.trim()).filter(|d| !d.is_empty()) {
        let mut resolved = hierarchy.resolve_disease(term);
        if resolved.is_empty() {
            resolved.push(term.to_string());
        }
        for concept in resolved {
            if !concepts.contains(&concept) {
                concepts.push(concept);
            }
        }
    }
    concepts
}

/// Where the owner with this id stands. A proposal owner is followed to its proposer.
pub fn owner_standing(owner_id: Option<&str>, records: &dyn Records) -> OwnerStanding {
    resolve_owner(owner_id, records).0
}

/// Whether a need is commercial (`data-format.md`): an explicit `commercial` field wins;
/// otherwise a need is commercial when its owner is in the industry forum or when the owner or
/// its forum is missing or unknown (fail closed); an ad-hoc need with neither a requester nor
/// a stated status is commercial too (commercial use not ruled out).
pub fn derive_commercial(explicit: Option<bool>, owner: &OwnerStanding) -> Commercial {
    derive(explicit, owner, None, false)
}

/// Proposals may be proposed by proposals; following stops after this many steps.
const MAX_PROPOSAL_HOPS: usize = 4;

/// What an owner id names, as owner resolution needs it.
enum Party<'c> {
    Organization(Forum),
    Researcher(Option<Forum>),
    Proposal {
        id: &'c str,
        proposer: Option<&'c str>,
    },
    Unknown,
}

impl<'c> Party<'c> {
    fn proposal(p: &'c Proposal) -> Party<'c> {
        Party::Proposal {
            id: &p.id,
            proposer: p.proposer.as_deref(),
        }
    }
}

/// The first organisation, else researcher, else proposal with this id, found by scanning
/// the ids.
fn party_in<'c>(records: &'c dyn Records, id: &str) -> Party<'c> {
    let found = |kind| records.position(kind, id);
    if let Some(o) = found(Kind::Organization).and_then(|at| records.organization(at)) {
        return Party::Organization(o.forum);
    }
    if let Some(r) = found(Kind::Researcher).and_then(|at| records.researcher(at)) {
        return Party::Researcher(r.forum);
    }
    match found(Kind::Proposal).and_then(|at| records.proposal(at)) {
        Some(p) => Party::proposal(p),
        None => Party::Unknown,
    }
}

/// Owner ids of a catalog looked up by hash instead of by scanning, for resolving the owners of
/// many records at once (each proposal's proposer, when reading match candidates). It answers
/// exactly as the scan does: the first record with an id wins, organisations before
/// researchers before proposals.
pub struct OwnerDirectory {
    organizations: HashMap<String, Forum>,
    researchers: HashMap<String, Option<Forum>>,
    /// Each proposal's proposer (a proposal may be proposed by a proposal).
    proposals: HashMap<String, Option<String>>,
}

impl OwnerDirectory {
    /// Indexes the organisations, researchers and proposals by id (what owner resolution
    /// reads of them: forums and proposers), a batch of records at a time.
    pub fn new(records: &dyn RecordBatches) -> Result<Self, Damaged> {
        let mut organizations = HashMap::with_capacity(records.count(Kind::Organization));
        records.organizations(&mut |batch| {
            for o in batch {
                organizations.entry(o.id.clone()).or_insert(o.forum);
            }
        })?;
        let mut researchers = HashMap::with_capacity(records.count(Kind::Researcher));
        records.researchers(&mut |batch| {
            for r in batch {
                researchers.entry(r.id.clone()).or_insert(r.forum);
            }
        })?;
        OwnerDirectory::with_forums(records, organizations, researchers)
    }

    /// [`OwnerDirectory::new`] with the forums of the organisations and researchers told
    /// already (by id); the proposals are read.
    pub fn with_forums(
        records: &dyn RecordBatches,
        organizations: HashMap<String, Forum>,
        researchers: HashMap<String, Option<Forum>>,
    ) -> Result<Self, Damaged> {
        let mut proposals = HashMap::with_capacity(records.count(Kind::Proposal));
        records.proposals(&mut |batch| {
            for p in batch {
                proposals
                    .entry(p.id.clone())
                    .or_insert_with(|| p.proposer.clone());
            }
        })?;
        Ok(OwnerDirectory {
            organizations,
            researchers,
            proposals,
        })
    }

    fn party<'s>(&'s self, id: &str) -> Party<'s> {
        if let Some(forum) = self.organizations.get(id) {
            return Party::Organization(*forum);
        }
        if let Some(forum) = self.researchers.get(id) {
            return Party::Researcher(*forum);
        }
        match self.proposals.get_key_value(id) {
            Some((id, proposer)) => Party::Proposal {
                id,
                proposer: proposer.as_deref(),
            },
            None => Party::Unknown,
        }
    }

    /// Where the owner with this id stands (as [`owner_standing`]).
    pub fn standing(&self, owner_id: Option<&str>) -> OwnerStanding {
        resolve_owner_by(owner_id, |id| self.party(id)).0
    }
}

/// The owner's standing and how to name it in reasons.
pub(crate) fn resolve_owner(
    owner_id: Option<&str>,
    records: &dyn Records,
) -> (OwnerStanding, Option<OwnerPath>) {
    resolve_owner_by(owner_id, |id| party_in(records, id))
}

/// [`resolve_owner`] over any way of finding what an id names.
fn resolve_owner_by<'c>(
    owner_id: Option<&str>,
    party: impl Fn(&str) -> Party<'c>,
) -> (OwnerStanding, Option<OwnerPath>) {
    let Some(first) = owner_id.map(str::trim).filter(|s| !s.is_empty()) else {
        return (OwnerStanding::NoOwner, None);
    };
    let mut path = OwnerPath::plain(first);
    for _ in 0..=MAX_PROPOSAL_HOPS {
        let id = path.id.clone();
        let (proposal, proposer) = match party(&id) {
            Party::Organization(forum) => return (forum_standing(Some(forum)), Some(path)),
            Party::Researcher(forum) => return (forum_standing(forum), Some(path)),
            Party::Unknown => return (OwnerStanding::UnknownOwner(id), Some(path)),
            Party::Proposal { id, proposer } => (id, proposer),
        };
        match proposer.map(str::trim).filter(|s| !s.is_empty()) {
            Some(next) if !path.via.iter().any(|v| v == next) && next != proposal => {
                path.via.insert(0, proposal.to_string());
                path.id = next.to_string();
            }
            Some(next) => return (OwnerStanding::UnknownOwner(next.to_string()), Some(path)),
            None => {
                path.proposal_without_proposer = true;
                return (OwnerStanding::NoOwner, Some(path));
            }
        }
    }
    let id = path.id.clone();
    (
        OwnerStanding::UnknownOwner(id.clone()),
        Some(OwnerPath::plain(&id)),
    )
}

fn forum_standing(forum: Option<Forum>) -> OwnerStanding {
    match forum {
        Some(Forum::Industry) => OwnerStanding::Industry,
        Some(Forum::Academia) => OwnerStanding::Academia,
        None => OwnerStanding::NoForum,
    }
}

/// A phrase saying where the owner stands, e.g. "owner ORG-IND-03 is in the industry forum".
pub(crate) fn owner_phrase_in(
    owner: &OwnerStanding,
    path: Option<&OwnerPath>,
    lang: Lang,
) -> String {
    let label = path.map(|p| p.render(lang));
    let who = match &label {
        Some(l) => fill(Key::OwnerNamed, lang, &[("label", l)]),
        None => text(Key::OwnerUnnamed, lang).to_string(),
    };
    match owner {
        OwnerStanding::Industry => fill(Key::InIndustryForum, lang, &[("who", &who)]),
        OwnerStanding::Academia => fill(Key::InAcademiaForum, lang, &[("who", &who)]),
        OwnerStanding::NoForum => fill(Key::NoForumRecorded, lang, &[("who", &who)]),
        OwnerStanding::UnknownOwner(id) => match &label {
            Some(l) if l != id => fill(Key::OwnerMatchesNoRecord, lang, &[("label", l)]),
            _ => fill(Key::OwnerIdMatchesNoRecord, lang, &[("id", id)]),
        },
        OwnerStanding::NoOwner => match &label {
            Some(l) => fill(Key::NoProposerRecorded, lang, &[("label", l)]),
            None => text(Key::NeedHasNoOwner, lang).to_string(),
        },
        OwnerStanding::AdHoc => text(Key::NoRequesterNamed, lang).to_string(),
    }
}

fn derive(
    explicit: Option<bool>,
    owner: &OwnerStanding,
    path: Option<&OwnerPath>,
    by_coordinator: bool,
) -> Commercial {
    let (value, cause) = match (explicit, owner) {
        (Some(v), _) => (v, CommercialCause::Marked { by_coordinator }),
        (None, OwnerStanding::AdHoc) => (true, CommercialCause::NotRuledOut),
        (None, standing) => (
            *standing != OwnerStanding::Academia,
            CommercialCause::Owner {
                standing: standing.clone(),
                path: path.cloned(),
            },
        ),
    };
    let mut commercial = Commercial {
        value,
        why: String::new(),
        cause,
    };
    commercial.why = format!(
        "{}: {}",
        commercial.word(Lang::En),
        commercial.basis_in(Lang::En)
    );
    commercial
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent::test_support::catalog;

    fn need(owner: Option<&str>, commercial: Option<bool>) -> Need {
        Need {
            id: "N-1".into(),
            owner: owner.map(String::from),
            text: "x".into(),
            commercial,
            ..Need::default()
        }
    }

    #[test]
    fn explicit_commercial_field_wins() {
        let c = catalog();
        let s = ConsentSubject::for_need(&need(Some("ORG-IND-03"), Some(false)), &c, vec![]);
        assert!(!s.commercial.value);
        assert_eq!(
            s.commercial.why,
            "non-commercial: the need is marked non-commercial"
        );
        let s = ConsentSubject::for_need(&need(Some("ORG-ACA-01"), Some(true)), &c, vec![]);
        assert!(s.commercial.value);
    }

    #[test]
    fn industry_owner_is_commercial_and_academia_is_not() {
        let c = catalog();
        let s = ConsentSubject::for_need(&need(Some("ORG-IND-03"), None), &c, vec![]);
        assert_eq!(s.owner, OwnerStanding::Industry);
        assert!(s.commercial.value);
        assert_eq!(
            s.commercial.why,
            "commercial: owner ORG-IND-03 is in the industry forum"
        );
        assert_eq!(
            s.commercial.basis_in(Lang::Ja),
            "依頼元 ORG-IND-03は産業フォーラムの会員"
        );
        let s = ConsentSubject::for_need(&need(Some("R-ACA-01"), None), &c, vec![]);
        assert_eq!(s.owner, OwnerStanding::Academia);
        assert!(!s.commercial.value);
        assert_eq!(
            s.commercial.why,
            "non-commercial: owner R-ACA-01 is in the academia forum"
        );
    }

    #[test]
    fn proposal_owned_need_follows_the_proposer() {
        let c = catalog();
        let s = ConsentSubject::for_need(&need(Some("PRP-IND"), None), &c, vec![]);
        assert_eq!(s.owner, OwnerStanding::Industry);
        assert_eq!(
            s.owner_label.as_deref(),
            Some("ORG-IND-03 (proposer of PRP-IND)")
        );
        assert!(s.commercial.value);
        assert_eq!(owner_standing(Some("PRP-ACA"), &c), OwnerStanding::Academia);
        assert!(!derive_commercial(None, &OwnerStanding::Academia).value);
        // A proposal without a proposer has no owner; one naming a stranger has an unknown one.
        assert_eq!(owner_standing(Some("PRP-NONE"), &c), OwnerStanding::NoOwner);
        assert_eq!(
            owner_standing(Some("PRP-GHOST"), &c),
            OwnerStanding::UnknownOwner("ORG-GHOST".into())
        );
        // A loop of proposals proposing each other ends, unknown.
        assert!(matches!(
            owner_standing(Some("PRP-LOOP-A"), &c),
            OwnerStanding::UnknownOwner(_)
        ));
    }

    #[test]
    fn missing_unknown_or_forumless_owner_is_commercial() {
        let c = catalog();
        let s = ConsentSubject::for_need(&need(None, None), &c, vec![]);
        assert_eq!(s.owner, OwnerStanding::NoOwner);
        assert_eq!(
            s.commercial.why,
            "commercial: the need has no owner (fail closed)"
        );
        let s = ConsentSubject::for_need(&need(Some("  "), None), &c, vec![]);
        assert_eq!(s.owner, OwnerStanding::NoOwner);
        let s = ConsentSubject::for_need(&need(Some("X-404"), None), &c, vec![]);
        assert_eq!(s.owner, OwnerStanding::UnknownOwner("X-404".into()));
        assert_eq!(
            s.commercial.why,
            "commercial: owner id X-404 matches no record (fail closed)"
        );
        let s = ConsentSubject::for_need(&need(Some("R-NOFORUM"), None), &c, vec![]);
        assert_eq!(s.owner, OwnerStanding::NoForum);
        assert!(s.commercial.value);
        assert_eq!(
            s.commercial.basis(),
            "owner R-NOFORUM has no forum recorded (fail closed)"
        );
    }

    #[test]
    fn need_diseases_resolve_and_unknown_terms_stay_as_written() {
        use crate::consent::test_support::TinyHierarchy;
        let terms = vec![
            "膵がん".into(),
            "pancreatic cancer".into(),
            " 謎の病気 ".into(),
            "".into(),
        ];
        assert_eq!(
            resolve_need_diseases(&terms, &TinyHierarchy),
            vec!["C:pancreas".to_string(), "謎の病気".to_string()]
        );
    }

    #[test]
    fn a_proposal_subject_is_owned_by_its_proposer() {
        let s = ConsentSubject::for_owner(Some("PRP-ACA"), None, &catalog(), vec![]);
        assert_eq!(s.owner, OwnerStanding::Academia);
        assert!(!s.commercial.value);
    }

    #[test]
    fn ad_hoc_not_stated_is_commercial_because_not_ruled_out() {
        let s = ConsentSubject::ad_hoc(None, vec![]);
        assert_eq!(s.owner, OwnerStanding::AdHoc);
        assert!(s.commercial.value);
        assert_eq!(
            s.commercial.why,
            "commercial: commercial use not ruled out (state --non-commercial or --requester)"
        );
        let stated = ConsentSubject::ad_hoc(Some(false), vec![]);
        assert!(!stated.commercial.value);
        assert_eq!(
            stated.commercial.basis(),
            "marked non-commercial by the coordinator"
        );
    }

    #[test]
    fn ad_hoc_with_a_requester_follows_the_requester() {
        let c = catalog();
        let s = ConsentSubject::ad_hoc_for(Some("ORG-IND-03"), None, &c, vec![]);
        assert_eq!(s.owner, OwnerStanding::Industry);
        assert!(s.commercial.value);
        let s = ConsentSubject::ad_hoc_for(Some("ORG-IND-03"), Some(false), &c, vec![]);
        assert_eq!(s.owner, OwnerStanding::Industry, "NPU still sees industry");
        assert!(!s.commercial.value);
        assert_eq!(
            s.commercial.basis(),
            "marked non-commercial by the coordinator"
        );
        let s = ConsentSubject::ad_hoc_for(Some("R-ACA-01"), None, &c, vec![]);
        assert_eq!(s.owner, OwnerStanding::Academia);
        assert!(!s.commercial.value);
        let s = ConsentSubject::ad_hoc_for(Some("  "), None, &c, vec![]);
        assert_eq!(s.owner, OwnerStanding::AdHoc);
    }

    #[test]
    fn owner_paths_name_proposers_in_both_languages() {
        let (_, path) = resolve_owner(Some("PRP-IND"), &catalog());
        let path = path.expect("a path");
        assert_eq!(path.render(Lang::En), "ORG-IND-03 (proposer of PRP-IND)");
        assert_eq!(path.render(Lang::Ja), "ORG-IND-03（PRP-INDの提案者）");
    }

    #[test]
    fn the_owner_directory_answers_as_the_scan_does() {
        let mut c = catalog();
        // A researcher sharing an organisation's id: the organisation wins in both.
        let mut twin = c.researchers[0].clone();
        twin.id = c.organizations[0].id.clone();
        twin.forum = None;
        c.researchers.push(twin);
        let directory = OwnerDirectory::new(&c).expect("a catalog in memory");
        let mut ids: Vec<Option<String>> = vec![None, Some("  ".into()), Some("X-404".into())];
        ids.extend(c.organizations.iter().map(|o| Some(o.id.clone())));
        ids.extend(c.researchers.iter().map(|r| Some(r.id.clone())));
        ids.extend(c.proposals.iter().map(|p| Some(p.id.clone())));
        for id in &ids {
            assert_eq!(
                directory.standing(id.as_deref()),
                owner_standing(id.as_deref(), &c),
                "{id:?}"
            );
        }
        assert!(ids.len() > 8, "the test catalog has owners of each kind");
    }
}
