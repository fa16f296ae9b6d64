//! Who owns a need, and whether the need is commercial: the inputs of `NCU` and `NPU`.

use super::hierarchy::DiseaseHierarchy;
use crate::model::{Catalog, Forum, Need};

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

/// Whether a need is commercial, and why (`why` starts with "commercial: " or
/// "non-commercial: ").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commercial {
    pub value: bool,
    pub why: String,
}

impl Commercial {
    /// The explanation without its "commercial: " prefix, for use inside a longer sentence.
    pub fn basis(&self) -> &str {
        self.why
            .split_once(": ")
            .map(|(_, rest)| rest)
            .unwrap_or(&self.why)
    }
}

/// What the consent rules need to know about the need being matched.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsentSubject {
    pub owner: OwnerStanding,
    /// How reasons name the owner: its id, or "ORG-IND-03 (proposer of PRP-01)".
    pub owner_label: Option<String>,
    pub commercial: Commercial,
    /// The need's disease concepts (its `diseases`, or those found in its title and text),
    /// as concept ids of the vocabulary. Empty: the need names no disease.
    pub disease_concepts: Vec<String>,
}

impl ConsentSubject {
    /// The subject for a need record: owner followed through the catalog, commercial derived.
    pub fn for_need(need: &Need, catalog: &Catalog, disease_concepts: Vec<String>) -> Self {
        Self::for_owner(
            need.owner.as_deref(),
            need.commercial,
            catalog,
            disease_concepts,
        )
    }

    /// The subject for anything owned by the record with `owner_id` (a researcher, an
    /// organisation, or a proposal, followed to its proposer): e.g. a proposal matched to
    /// datasets is owned by its own id.
    pub fn for_owner(
        owner_id: Option<&str>,
        commercial: Option<bool>,
        catalog: &Catalog,
        disease_concepts: Vec<String>,
    ) -> Self {
        let (owner, owner_label) = resolve_owner(owner_id, catalog);
        let commercial = derive(commercial, &owner, owner_label.as_deref());
        ConsentSubject {
            owner,
            owner_label,
            commercial,
            disease_concepts,
        }
    }

    /// The subject for an ad-hoc need typed by the coordinator; `commercial` is what the
    /// coordinator marked (`None`: unmarked, which means non-commercial).
    pub fn ad_hoc(commercial: Option<bool>, disease_concepts: Vec<String>) -> Self {
        let owner = OwnerStanding::AdHoc;
        ConsentSubject {
            commercial: derive(commercial, &owner, None),
            owner,
            owner_label: None,
            disease_concepts,
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
pub fn owner_standing(owner_id: Option<&str>, catalog: &Catalog) -> OwnerStanding {
    resolve_owner(owner_id, catalog).0
}

/// Whether a need is commercial (`data-format.md`): an explicit `commercial` field wins;
/// otherwise a need is commercial when its owner is in the industry forum or when the owner or
/// its forum is missing or unknown (fail closed); an unmarked ad-hoc need is non-commercial.
pub fn derive_commercial(explicit: Option<bool>, owner: &OwnerStanding) -> Commercial {
    derive(explicit, owner, None)
}

/// Proposals may be proposed by proposals; following stops after this many steps.
const MAX_PROPOSAL_HOPS: usize = 4;

/// The owner's standing and how to name it in reasons.
pub(crate) fn resolve_owner(
    owner_id: Option<&str>,
    catalog: &Catalog,
) -> (OwnerStanding, Option<String>) {
    let Some(first) = owner_id.map(str::trim).filter(|s| !s.is_empty()) else {
        return (OwnerStanding::NoOwner, None);
    };
    let mut id = first.to_string();
    let mut via: Vec<String> = Vec::new();
    for _ in 0..=MAX_PROPOSAL_HOPS {
        let label = if via.is_empty() {
            id.clone()
        } else {
            format!("{id} (proposer of {})", via.join(", proposer of "))
        };
        if let Some(o) = catalog.organizations.iter().find(|o| o.id == id) {
            return (forum_standing(Some(o.forum)), Some(label));
        }
        if let Some(r) = catalog.researchers.iter().find(|r| r.id == id) {
            return (forum_standing(r.forum), Some(label));
        }
        let Some(p) = catalog.proposals.iter().find(|p| p.id == id) else {
            return (OwnerStanding::UnknownOwner(id), Some(label));
        };
        match p
            .proposer
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(next) if !via.contains(&next.to_string()) && next != p.id => {
                via.insert(0, p.id.clone());
                id = next.to_string();
            }
            Some(next) => return (OwnerStanding::UnknownOwner(next.to_string()), Some(label)),
            None => return (OwnerStanding::NoOwner, Some(format!("proposal {label}"))),
        }
    }
    (OwnerStanding::UnknownOwner(id.clone()), Some(id))
}

fn forum_standing(forum: Option<Forum>) -> OwnerStanding {
    match forum {
        Some(Forum::Industry) => OwnerStanding::Industry,
        Some(Forum::Academia) => OwnerStanding::Academia,
        None => OwnerStanding::NoForum,
    }
}

/// A phrase saying where the owner stands, e.g. "owner ORG-IND-03 is in the industry forum".
pub(crate) fn owner_phrase(owner: &OwnerStanding, label: Option<&str>) -> String {
    let who = label.map(|l| format!("owner {l}"));
    let who = who.as_deref().unwrap_or("the owner");
    match owner {
        OwnerStanding::Industry => format!("{who} is in the industry forum"),
        OwnerStanding::Academia => format!("{who} is in the academia forum"),
        OwnerStanding::NoForum => format!("{who} has no forum recorded"),
        OwnerStanding::UnknownOwner(id) => match label {
            Some(l) if l != id => format!("owner {l} matches no record"),
            _ => format!("owner id {id} matches no record"),
        },
        OwnerStanding::NoOwner => match label {
            Some(l) => format!("{l} has no proposer recorded"),
            None => "the need has no owner".to_string(),
        },
        OwnerStanding::AdHoc => "an ad-hoc need has no owner".to_string(),
    }
}

fn derive(explicit: Option<bool>, owner: &OwnerStanding, label: Option<&str>) -> Commercial {
    let (value, basis) = match (explicit, owner) {
        (Some(true), OwnerStanding::AdHoc) => (true, "marked commercial by the coordinator".into()),
        (Some(false), OwnerStanding::AdHoc) => {
            (false, "marked non-commercial by the coordinator".into())
        }
        (Some(true), _) => (true, "the need is marked commercial".into()),
        (Some(false), _) => (false, "the need is marked non-commercial".into()),
        (None, OwnerStanding::AdHoc) => (false, "ad-hoc need not marked commercial".into()),
        (None, OwnerStanding::Academia) => (false, owner_phrase(owner, label)),
        (None, OwnerStanding::Industry) => (true, owner_phrase(owner, label)),
        (None, _) => (
            true,
            format!("{} (fail closed)", owner_phrase(owner, label)),
        ),
    };
    let word = if value {
        "commercial"
    } else {
        "non-commercial"
    };
    Commercial {
        value,
        why: format!("{word}: {basis}"),
    }
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
        assert_eq!(
            s.commercial,
            Commercial {
                value: true,
                why: "commercial: owner ORG-IND-03 is in the industry forum".into()
            }
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
    fn ad_hoc_unmarked_is_non_commercial() {
        let s = ConsentSubject::ad_hoc(None, vec![]);
        assert_eq!(s.owner, OwnerStanding::AdHoc);
        assert!(!s.commercial.value);
        assert!(ConsentSubject::ad_hoc(Some(true), vec![]).commercial.value);
    }
}
