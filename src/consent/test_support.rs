//! Test doubles: a tiny disease hierarchy and a hand-built catalog.

use super::DiseaseHierarchy;
use crate::model::{Area, Catalog, Dataset, Forum, Organization, Proposal, Researcher};

/// Concepts: cancer > pancreatic cancer > pancreatic ductal adenocarcinoma; cancer > lung cancer;
/// cancer > pediatric cancer > neuroblastoma.
pub struct TinyHierarchy;

const TERMS: &[(&str, &str)] = &[
    ("がん", "C:cancer"),
    ("cancer", "C:cancer"),
    ("膵がん", "C:pancreas"),
    ("pancreatic cancer", "C:pancreas"),
    ("膵管腺がん", "C:pdac"),
    ("肺がん", "C:lung"),
    ("小児がん", "C:pediatric"),
    ("pediatric cancer", "C:pediatric"),
    ("神経芽腫", "C:neuroblastoma"),
];

const PARENT: &[(&str, &str)] = &[
    ("C:pancreas", "C:cancer"),
    ("C:pdac", "C:pancreas"),
    ("C:lung", "C:cancer"),
    ("C:pediatric", "C:cancer"),
    ("C:neuroblastoma", "C:pediatric"),
];

impl DiseaseHierarchy for TinyHierarchy {
    fn resolve_disease(&self, term: &str) -> Vec<String> {
        let t = term.trim().to_lowercase();
        TERMS
            .iter()
            .filter(|(k, _)| *k == t)
            .map(|(_, c)| c.to_string())
            .collect()
    }
    fn is_same_or_under(&self, concept: &str, ancestor: &str) -> bool {
        let mut c = concept;
        loop {
            if c == ancestor {
                return true;
            }
            match PARENT.iter().find(|(child, _)| *child == c) {
                Some((_, p)) => c = p,
                None => return false,
            }
        }
    }
    fn disease_label(&self, concept: &str) -> String {
        TERMS
            .iter()
            .find(|(_, c)| *c == concept)
            .map(|(k, _)| k.to_string())
            .unwrap_or_else(|| concept.to_string())
    }
}

pub fn org(id: &str, name: &str, forum: Forum) -> Organization {
    Organization {
        id: id.into(),
        name: name.into(),
        name_en: None,
        forum,
        sector: None,
        interests: vec![],
        offers: vec![],
        summary: None,
        contact_name: None,
        email: None,
        contact_ok: false,
        extra: Default::default(),
    }
}

pub fn proposal(id: &str, proposer: Option<&str>) -> Proposal {
    Proposal {
        id: id.into(),
        title: format!("proposal {id}"),
        proposer: proposer.map(String::from),
        ..Proposal::default()
    }
}

/// Owners of every standing.
pub fn catalog() -> Catalog {
    Catalog {
        organizations: vec![
            org("ORG-IND-03", "創薬テック株式会社", Forum::Industry),
            org("ORG-ACA-01", "湾岸医科大学", Forum::Academia),
        ],
        researchers: vec![
            Researcher {
                id: "R-ACA-01".into(),
                name: "山田 花子".into(),
                forum: Some(Forum::Academia),
                ..Researcher::default()
            },
            Researcher {
                id: "R-NOFORUM".into(),
                name: "佐藤 一郎".into(),
                forum: None,
                ..Researcher::default()
            },
        ],
        proposals: vec![
            proposal("PRP-IND", Some("ORG-IND-03")),
            proposal("PRP-ACA", Some("R-ACA-01")),
            proposal("PRP-NONE", None),
            proposal("PRP-GHOST", Some("ORG-GHOST")),
            proposal("PRP-LOOP-A", Some("PRP-LOOP-B")),
            proposal("PRP-LOOP-B", Some("PRP-LOOP-A")),
        ],
        ..Catalog::default()
    }
}

/// A cancer dataset with these data-use codes, custodian 湾岸医科大学's id.
pub fn dataset(codes: &[&str]) -> Dataset {
    Dataset {
        id: "DS-001".into(),
        title: "膵がん WGS".into(),
        area: Area::Cancer,
        diseases: vec!["膵がん".into()],
        cases: 120,
        modalities: vec!["WGS".into()],
        clinical: vec![],
        custodian: Some("ORG-ACA-01".into()),
        fiscal_year: None,
        access: None,
        data_use: codes.iter().map(|c| c.to_string()).collect(),
        summary: None,
        extra: Default::default(),
    }
}
