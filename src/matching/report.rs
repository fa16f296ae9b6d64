//! Match results: the types the matching engine fills and the front ends and exports read.
//!
//! The JSON of a [`MatchReport`] is a contract: one object with `subject` and the arrays
//! `datasets`, `partners`, `proposals`; each item has `id`, `kind`, `title`, `score`, `reasons`,
//! `conditions`, and `blocked` only when the item is blocked.

use crate::model::Kind;
use serde::{Deserialize, Serialize};

/// What is being matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Need,
    Proposal,
    Organization,
    Researcher,
    /// A need typed by the coordinator, not a record.
    AdHoc,
}

impl SubjectKind {
    /// The snake-case name used in JSON (`need`, `ad_hoc`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Need => "need",
            SubjectKind::Proposal => "proposal",
            SubjectKind::Organization => "organization",
            SubjectKind::Researcher => "researcher",
            SubjectKind::AdHoc => "ad_hoc",
        }
    }
}

/// The record (or ad-hoc need) the matches are for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchSubject {
    /// The record's id; `None` for an ad-hoc need.
    pub id: Option<String>,
    pub kind: SubjectKind,
    pub title: String,
    /// Whether the subject counts as commercial for the consent rules.
    pub commercial: bool,
}

impl MatchSubject {
    /// "title (id)", or the title alone when there is no id.
    pub fn display_name(&self) -> String {
        match &self.id {
            Some(id) => format!("{} ({id})", self.title),
            None => self.title.clone(),
        }
    }
}

/// One suggested match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchItem {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    /// Between 0 and 1, higher is better.
    pub score: f64,
    /// Why it matches, one short sentence each.
    pub reasons: Vec<String>,
    /// Conditions to honour (data-use conditions for datasets), pasteable.
    pub conditions: Vec<String>,
    /// Why it may not be offered (consent rules); present only for blocked items, which are
    /// listed only on request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<String>,
}

/// All matches for one subject, by section, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchReport {
    pub subject: MatchSubject,
    pub datasets: Vec<MatchItem>,
    /// Researchers and organisations.
    pub partners: Vec<MatchItem>,
    pub proposals: Vec<MatchItem>,
}

impl MatchReport {
    /// The three sections with their headings, in display order.
    pub fn sections(&self) -> [(&'static str, &[MatchItem]); 3] {
        [
            ("Datasets", self.datasets.as_slice()),
            ("Partners", self.partners.as_slice()),
            ("Proposals", self.proposals.as_slice()),
        ]
    }

    /// Number of items in all sections.
    pub fn len(&self) -> usize {
        self.datasets.len() + self.partners.len() + self.proposals.len()
    }

    /// True when no section has an item.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn report() -> MatchReport {
        MatchReport {
            subject: MatchSubject {
                id: None,
                kind: SubjectKind::AdHoc,
                title: "小児がん RNA".into(),
                commercial: false,
            },
            datasets: vec![
                MatchItem {
                    id: "DS-1".into(),
                    kind: Kind::Dataset,
                    title: "神経芽腫 WGS".into(),
                    score: 0.75,
                    reasons: vec!["disease: 神経芽腫 is a 小児がん".into()],
                    conditions: vec!["requires ethics approval (IRB)".into()],
                    blocked: None,
                },
                MatchItem {
                    id: "DS-2".into(),
                    kind: Kind::Dataset,
                    title: "x".into(),
                    score: 0.5,
                    reasons: vec![],
                    conditions: vec![],
                    blocked: Some("NCU: non-commercial use only".into()),
                },
            ],
            partners: vec![],
            proposals: vec![],
        }
    }

    #[test]
    fn json_shape_is_the_contract() {
        let value = serde_json::to_value(report()).unwrap_or_default();
        assert_eq!(
            value,
            json!({
                "subject": {"id": null, "kind": "ad_hoc", "title": "小児がん RNA", "commercial": false},
                "datasets": [
                    {"id": "DS-1", "kind": "dataset", "title": "神経芽腫 WGS", "score": 0.75,
                     "reasons": ["disease: 神経芽腫 is a 小児がん"],
                     "conditions": ["requires ethics approval (IRB)"]},
                    {"id": "DS-2", "kind": "dataset", "title": "x", "score": 0.5,
                     "reasons": [], "conditions": [], "blocked": "NCU: non-commercial use only"}
                ],
                "partners": [],
                "proposals": []
            })
        );
    }

    #[test]
    fn json_round_trips() {
        let text = serde_json::to_string(&report()).unwrap_or_default();
        let back: Result<MatchReport, _> = serde_json::from_str(&text);
        assert_eq!(back.ok(), Some(report()));
        assert_eq!(report().len(), 2);
        assert_eq!(report().subject.display_name(), "小児がん RNA");
    }
}
