//! Match results: the types the matching engine fills and the front ends and exports read.
//!
//! The JSON of a [`MatchReport`] is a contract: one object with `subject` and the arrays
//! `datasets`, `partners`, `proposals`; each item has `id`, `kind`, `title`, `score`, `reasons`,
//! `conditions`, and `blocked` only when the item is blocked.

use crate::consent::Verdict;
use crate::i18n::{fill, text, Key, Lang};
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

    /// The kind in words, in one language ("need", "ad-hoc request").
    pub fn label(self, lang: Lang) -> &'static str {
        let key = match self {
            SubjectKind::Need => Key::KindNeed,
            SubjectKind::Proposal => Key::KindProposal,
            SubjectKind::Organization => Key::KindOrganization,
            SubjectKind::Researcher => Key::KindResearcher,
            SubjectKind::AdHoc => Key::KindAdHoc,
        };
        text(key, lang)
    }
}

/// The record (or ad-hoc need) the matches are for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchSubject {
    /// The record's id; `None` for an ad-hoc need.
    pub id: Option<String>,
    pub kind: SubjectKind,
    pub title: String,
    /// The English title, where the record has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_en: Option<String>,
    /// Whether the subject counts as commercial for the consent rules.
    pub commercial: bool,
    /// How the commercial status was decided, in the report's language ("owner ORG-IND-03 is
    /// in the industry forum", "commercial use not ruled out …").
    #[serde(default)]
    pub commercial_basis: String,
    /// Who asks: an ad-hoc request's requester, a need's owner, a proposal's proposer, or the
    /// organisation or researcher itself.
    #[serde(default)]
    pub requester_id: Option<String>,
    /// The requester's name, when the requester is a record.
    #[serde(default)]
    pub requester_name: Option<String>,
    /// The language of the reasons and conditions (`ja` or `en`).
    #[serde(default)]
    pub lang: Lang,
}

impl MatchSubject {
    /// A subject with no requester, its basis left empty, in Japanese.
    pub fn new(id: Option<String>, kind: SubjectKind, title: String, commercial: bool) -> Self {
        MatchSubject {
            id,
            kind,
            title,
            title_en: None,
            commercial,
            commercial_basis: String::new(),
            requester_id: None,
            requester_name: None,
            lang: Lang::Ja,
        }
    }

    /// "title (id)", or the title alone when there is no id.
    pub fn display_name(&self) -> String {
        match &self.id {
            Some(id) => format!("{} ({id})", self.title),
            None => self.title.clone(),
        }
    }

    /// The title in `lang`: the English title when English is asked and there is one.
    pub fn title_in(&self, lang: Lang) -> &str {
        title_in(&self.title, self.title_en.as_deref(), lang)
    }

    /// "膵がん創薬 (N01) [need; requester: ORG-IND-03 蒼海製薬; commercial: owner … is in the
    /// industry forum]": the subject line every output starts with.
    pub fn line(&self, lang: Lang) -> String {
        let name = match &self.id {
            Some(id) => format!("{} ({id})", self.title_in(lang)),
            None => self.title_in(lang).to_string(),
        };
        let requester = match (&self.requester_id, &self.requester_name) {
            (Some(id), Some(n)) if n != id => format!("{n} ({id})"),
            (Some(id), _) => id.clone(),
            (None, _) => text(Key::RequesterNone, lang).to_string(),
        };
        if self.commercial_basis.is_empty() {
            // Not a consent subject (e.g. exported search results): name and kind only.
            return fill(
                Key::SubjectLineShort,
                lang,
                &[("name", &name), ("kind", self.kind.label(lang))],
            );
        }
        let commercial = text(
            if self.commercial {
                Key::Commercial
            } else {
                Key::NonCommercial
            },
            lang,
        );
        fill(
            Key::SubjectLine,
            lang,
            &[
                ("name", &name),
                ("kind", self.kind.label(lang)),
                ("requester", &requester),
                ("commercial", commercial),
                ("basis", &self.commercial_basis),
            ],
        )
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
    /// The English title, where the record has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_en: Option<String>,
    /// Datasets: what the consent rules decided (`allowed`, `blocked`, `review`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    /// Datasets: the data-use code that decided ("HMB", "NCU", "DS:膵がん").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// Datasets: the data-use codes as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_use: Vec<String>,
    /// Datasets: the code of each condition, same order as `conditions`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub condition_codes: Vec<String>,
    /// The only disease link is a shared broad group: a weak match ("related field only"),
    /// ranked below every match on the disease itself.
    #[serde(default, skip_serializing_if = "is_false")]
    pub related_field_only: bool,
    /// What the outreach log says about this candidate, when a front end read the log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outreach: Option<OutreachNote>,
}

/// The outreach log's word on a match: the latest status of this pair (else of the candidate
/// with another subject), the candidate's last contact with any subject and who made it, and
/// the marks behind them (`log`: `pair`, `candidate`, `last_contacted`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct OutreachNote {
    pub status: String,
    pub last_contacted: String,
    pub last_contacted_by: String,
    #[serde(default)]
    pub log: serde_json::Value,
}

/// The English title when English is asked and there is one, else the title as written.
fn title_in<'a>(title: &'a str, title_en: Option<&'a str>, lang: Lang) -> &'a str {
    match (title_en, lang) {
        (Some(en), Lang::En) if !en.trim().is_empty() => en,
        _ => title,
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl MatchItem {
    /// An item with reasons and nothing else: no verdict, conditions or English title.
    pub fn new(id: String, kind: Kind, title: String, score: f64, reasons: Vec<String>) -> Self {
        MatchItem {
            id,
            kind,
            title,
            score,
            reasons,
            conditions: Vec::new(),
            blocked: None,
            title_en: None,
            verdict: None,
            rule: None,
            data_use: Vec::new(),
            condition_codes: Vec::new(),
            related_field_only: false,
            outreach: None,
        }
    }

    /// The title in `lang`: the English title when English is asked and there is one.
    pub fn title_in(&self, lang: Lang) -> &str {
        title_in(&self.title, self.title_en.as_deref(), lang)
    }

    /// True for a dataset the consent rules block or leave for review.
    pub fn is_blocked(&self) -> bool {
        self.blocked.is_some() || matches!(self.verdict, Some(Verdict::Blocked | Verdict::Review))
    }
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
    /// The three sections with their headings in one language, in display order.
    pub fn sections_in(&self, lang: Lang) -> [(&'static str, &[MatchItem]); 3] {
        [
            (text(Key::SectionDatasets, lang), self.datasets.as_slice()),
            (text(Key::SectionPartners, lang), self.partners.as_slice()),
            (text(Key::SectionProposals, lang), self.proposals.as_slice()),
        ]
    }

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
            subject: MatchSubject::new(None, SubjectKind::AdHoc, "小児がん RNA".into(), false),
            datasets: vec![
                MatchItem {
                    conditions: vec!["requires ethics approval (IRB)".into()],
                    ..MatchItem::new(
                        "DS-1".into(),
                        Kind::Dataset,
                        "神経芽腫 WGS".into(),
                        0.75,
                        vec!["disease: 神経芽腫 is a 小児がん".into()],
                    )
                },
                MatchItem {
                    blocked: Some("NCU: non-commercial use only".into()),
                    verdict: Some(Verdict::Blocked),
                    rule: Some("NCU".into()),
                    data_use: vec!["HMB".into(), "NCU".into()],
                    ..MatchItem::new("DS-2".into(), Kind::Dataset, "x".into(), 0.5, vec![])
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
                "subject": {"id": null, "kind": "ad_hoc", "title": "小児がん RNA", "commercial": false,
                            "commercial_basis": "", "requester_id": null, "requester_name": null,
                            "lang": "ja"},
                "datasets": [
                    {"id": "DS-1", "kind": "dataset", "title": "神経芽腫 WGS", "score": 0.75,
                     "reasons": ["disease: 神経芽腫 is a 小児がん"],
                     "conditions": ["requires ethics approval (IRB)"]},
                    {"id": "DS-2", "kind": "dataset", "title": "x", "score": 0.5,
                     "reasons": [], "conditions": [], "blocked": "NCU: non-commercial use only",
                     "verdict": "blocked", "rule": "NCU", "data_use": ["HMB", "NCU"]}
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
