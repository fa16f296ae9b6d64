//! Record types: the five kinds of record musubi reads from a data directory.
//!
//! Field names follow `data-format.md` exactly; anything a file carries beyond them is kept in
//! `extra` for display. List fields are always `Vec`s (a missing list is empty).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Values of fields a record carries that musubi does not know; shown, never interpreted.
pub type ExtraFields = BTreeMap<String, serde_json::Value>;

/// Unknown fields as a map in JSON and other text formats, and as JSON text in binary ones
/// (postcard cannot carry a free-form JSON value).
mod extra_fields {
    use super::ExtraFields;
    use serde::de::Error as _;
    use serde::ser::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(extra: &ExtraFields, out: S) -> Result<S::Ok, S::Error> {
        if out.is_human_readable() {
            extra.serialize(out)
        } else if extra.is_empty() {
            out.serialize_str("")
        } else {
            out.serialize_str(&serde_json::to_string(extra).map_err(S::Error::custom)?)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(input: D) -> Result<ExtraFields, D::Error> {
        if input.is_human_readable() {
            return ExtraFields::deserialize(input);
        }
        let text = String::deserialize(input)?;
        if text.is_empty() {
            Ok(ExtraFields::new())
        } else {
            serde_json::from_str(&text).map_err(D::Error::custom)
        }
    }
}

/// The five kinds of record, in the order the app shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Dataset,
    Researcher,
    Organization,
    Proposal,
    Need,
}

impl Kind {
    /// Every kind, in display order.
    pub const ALL: [Kind; 5] = [
        Kind::Dataset,
        Kind::Researcher,
        Kind::Organization,
        Kind::Proposal,
        Kind::Need,
    ];

    /// The singular name used in commands and JSON (`dataset`, `researcher`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Dataset => "dataset",
            Kind::Researcher => "researcher",
            Kind::Organization => "organization",
            Kind::Proposal => "proposal",
            Kind::Need => "need",
        }
    }

    /// The plural that starts the names of data files of this kind (`datasets.json`).
    pub fn file_prefix(self) -> &'static str {
        match self {
            Kind::Dataset => "datasets",
            Kind::Researcher => "researchers",
            Kind::Organization => "organizations",
            Kind::Proposal => "proposals",
            Kind::Need => "needs",
        }
    }

    /// A heading for lists and tabs (`Datasets`).
    pub fn plural_title(self) -> &'static str {
        match self {
            Kind::Dataset => "Datasets",
            Kind::Researcher => "Researchers",
            Kind::Organization => "Organizations",
            Kind::Proposal => "Proposals",
            Kind::Need => "Needs",
        }
    }

    /// Parses a singular or plural kind name, case-insensitively.
    pub fn parse(s: &str) -> Option<Kind> {
        let s = s.trim().to_ascii_lowercase();
        Kind::ALL.into_iter().find(|k| {
            s == k.as_str()
                || s == k.file_prefix()
                || (s == "organisation") && *k == Kind::Organization
        })
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which side of the consortium a person or organisation belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Forum {
    Academia,
    Industry,
}

impl Forum {
    /// `academia` or `industry`.
    pub fn as_str(self) -> &'static str {
        match self {
            Forum::Academia => "academia",
            Forum::Industry => "industry",
        }
    }
}

/// The programme's two scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    Cancer,
    RareDisease,
}

impl Area {
    /// `cancer` or `rare_disease`.
    pub fn as_str(self) -> &'static str {
        match self {
            Area::Cancer => "cancer",
            Area::RareDisease => "rare_disease",
        }
    }
}

/// Where a strategic-cohort proposal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalStatus {
    Draft,
    Submitted,
    UnderReview,
    Approved,
    Active,
    Closed,
}

impl ProposalStatus {
    /// The snake-case name used in data files.
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalStatus::Draft => "draft",
            ProposalStatus::Submitted => "submitted",
            ProposalStatus::UnderReview => "under_review",
            ProposalStatus::Approved => "approved",
            ProposalStatus::Active => "active",
            ProposalStatus::Closed => "closed",
        }
    }
}

/// How open a dataset is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    Open,
    Registered,
    Controlled,
}

impl Access {
    /// `open`, `registered` or `controlled`.
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Open => "open",
            Access::Registered => "registered",
            Access::Controlled => "controlled",
        }
    }
}

/// A researcher profile (研究者).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Researcher {
    pub id: String,
    pub name: String,
    pub name_en: Option<String>,
    pub affiliation: Option<String>,
    pub affiliation_en: Option<String>,
    pub role: Option<String>,
    pub forum: Option<Forum>,
    pub areas: Vec<Area>,
    pub diseases: Vec<String>,
    pub expertise: Vec<String>,
    pub summary: Option<String>,
    pub email: Option<String>,
    pub contact_ok: bool,
    #[serde(with = "extra_fields")]
    pub extra: ExtraFields,
}

/// A forum member (フォーラム会員): a company or an academic body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    pub id: String,
    pub name: String,
    pub name_en: Option<String>,
    pub forum: Forum,
    pub sector: Option<String>,
    pub interests: Vec<String>,
    pub offers: Vec<String>,
    pub summary: Option<String>,
    pub contact_name: Option<String>,
    pub email: Option<String>,
    pub contact_ok: bool,
    #[serde(with = "extra_fields")]
    pub extra: ExtraFields,
}

/// A strategic-cohort proposal (戦略コホート提案).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Proposal {
    pub id: String,
    pub title: String,
    pub title_en: Option<String>,
    pub proposer: Option<String>,
    pub partners: Vec<String>,
    pub area: Option<Area>,
    pub diseases: Vec<String>,
    pub exit_strategy: Vec<String>,
    pub status: Option<ProposalStatus>,
    pub target_cases: Option<u64>,
    pub modalities: Vec<String>,
    pub seeking: Vec<Forum>,
    pub summary: Option<String>,
    #[serde(with = "extra_fields")]
    pub extra: ExtraFields,
}

/// A dataset the platform holds (metadata only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    pub id: String,
    pub title: String,
    pub area: Area,
    pub diseases: Vec<String>,
    pub cases: u64,
    pub modalities: Vec<String>,
    pub clinical: Vec<String>,
    pub custodian: Option<String>,
    pub fiscal_year: Option<String>,
    pub access: Option<Access>,
    /// Data-use codes as written in the file (parsed by the consent rules, not here).
    pub data_use: Vec<String>,
    pub summary: Option<String>,
    #[serde(with = "extra_fields")]
    pub extra: ExtraFields,
}

/// A stated research need (ニーズ).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Need {
    pub id: String,
    pub owner: Option<String>,
    pub title: Option<String>,
    pub text: String,
    pub area: Option<Area>,
    pub diseases: Vec<String>,
    pub modalities: Vec<String>,
    pub min_cases: Option<u64>,
    /// As written; `None` means "derive from the owner" (see the consent rules).
    pub commercial: Option<bool>,
    #[serde(with = "extra_fields")]
    pub extra: ExtraFields,
}

/// Any one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Record {
    Dataset(Dataset),
    Researcher(Researcher),
    Organization(Organization),
    Proposal(Proposal),
    Need(Need),
}

impl Record {
    /// The ids the record points at (`custodian`, `proposer`, `partners`, `owner`), as
    /// written: the index puts their names into its document.
    pub fn pointed_at(&self) -> Vec<&str> {
        match self {
            Record::Dataset(d) => d.custodian.iter().map(String::as_str).collect(),
            Record::Proposal(p) => p
                .proposer
                .iter()
                .chain(&p.partners)
                .map(String::as_str)
                .collect(),
            Record::Need(n) => n.owner.iter().map(String::as_str).collect(),
            Record::Researcher(_) | Record::Organization(_) => Vec::new(),
        }
    }

    /// The record's kind.
    pub fn kind(&self) -> Kind {
        match self {
            Record::Dataset(_) => Kind::Dataset,
            Record::Researcher(_) => Kind::Researcher,
            Record::Organization(_) => Kind::Organization,
            Record::Proposal(_) => Kind::Proposal,
            Record::Need(_) => Kind::Need,
        }
    }

    /// The record's id.
    pub fn id(&self) -> &str {
        match self {
            Record::Dataset(r) => &r.id,
            Record::Researcher(r) => &r.id,
            Record::Organization(r) => &r.id,
            Record::Proposal(r) => &r.id,
            Record::Need(r) => &r.id,
        }
    }

    /// The headline: title for datasets, proposals and needs (a need without a title shows the
    /// start of its text), name for people and organisations.
    pub fn title(&self) -> String {
        match self {
            Record::Dataset(r) => r.title.clone(),
            Record::Researcher(r) => r.name.clone(),
            Record::Organization(r) => r.name.clone(),
            Record::Proposal(r) => r.title.clone(),
            Record::Need(r) => match &r.title {
                Some(t) if !t.trim().is_empty() => t.clone(),
                _ => r.text.chars().take(60).collect(),
            },
        }
    }

    /// [`Record::title`] without copying it when the record has one to lend.
    pub fn title_text(&self) -> std::borrow::Cow<'_, str> {
        use std::borrow::Cow;
        match self {
            Record::Dataset(r) => Cow::Borrowed(&r.title),
            Record::Researcher(r) => Cow::Borrowed(&r.name),
            Record::Organization(r) => Cow::Borrowed(&r.name),
            Record::Proposal(r) => Cow::Borrowed(&r.title),
            Record::Need(r) => match &r.title {
                Some(t) if !t.trim().is_empty() => Cow::Borrowed(t),
                // The first 60 characters, as `title` makes them, lent.
                _ => Cow::Borrowed(match r.text.char_indices().nth(60) {
                    Some((end, _)) => r.text.get(..end).unwrap_or(&r.text),
                    None => &r.text,
                }),
            },
        }
    }

    /// The English headline where the record has one (`name_en`, `title_en`).
    pub fn title_en(&self) -> Option<&str> {
        match self {
            Record::Researcher(r) => r.name_en.as_deref(),
            Record::Organization(r) => r.name_en.as_deref(),
            Record::Proposal(r) => r.title_en.as_deref(),
            _ => None,
        }
    }

    /// Disease strings as written in the record (for organisations, none: their interests are
    /// free words that the vocabulary may or may not resolve).
    pub fn diseases(&self) -> &[String] {
        match self {
            Record::Dataset(r) => &r.diseases,
            Record::Researcher(r) => &r.diseases,
            Record::Organization(_) => &[],
            Record::Proposal(r) => &r.diseases,
            Record::Need(r) => &r.diseases,
        }
    }

    /// Unknown fields kept from the file.
    pub fn extra(&self) -> &ExtraFields {
        match self {
            Record::Dataset(r) => &r.extra,
            Record::Researcher(r) => &r.extra,
            Record::Organization(r) => &r.extra,
            Record::Proposal(r) => &r.extra,
            Record::Need(r) => &r.extra,
        }
    }
}

/// Everything loaded from one data directory, by kind, in file order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    pub datasets: Vec<Dataset>,
    pub researchers: Vec<Researcher>,
    pub organizations: Vec<Organization>,
    pub proposals: Vec<Proposal>,
    pub needs: Vec<Need>,
}

impl Catalog {
    /// Number of records of one kind.
    pub fn count(&self, kind: Kind) -> usize {
        match kind {
            Kind::Dataset => self.datasets.len(),
            Kind::Researcher => self.researchers.len(),
            Kind::Organization => self.organizations.len(),
            Kind::Proposal => self.proposals.len(),
            Kind::Need => self.needs.len(),
        }
    }

    /// Total number of records.
    pub fn len(&self) -> usize {
        Kind::ALL.iter().map(|k| self.count(*k)).sum()
    }

    /// True when no record was loaded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every record as a `Record`, kinds in display order.
    pub fn records(&self) -> impl Iterator<Item = Record> + '_ {
        self.datasets
            .iter()
            .cloned()
            .map(Record::Dataset)
            .chain(self.researchers.iter().cloned().map(Record::Researcher))
            .chain(self.organizations.iter().cloned().map(Record::Organization))
            .chain(self.proposals.iter().cloned().map(Record::Proposal))
            .chain(self.needs.iter().cloned().map(Record::Need))
    }

    /// Finds a record by id in any kind.
    pub fn find(&self, id: &str) -> Option<Record> {
        fn pick<T: Clone>(v: &[T], id: &str, get: fn(&T) -> &str) -> Option<T> {
            v.iter().find(|r| get(r) == id).cloned()
        }
        pick(&self.datasets, id, |r| &r.id)
            .map(Record::Dataset)
            .or_else(|| pick(&self.researchers, id, |r| &r.id).map(Record::Researcher))
            .or_else(|| pick(&self.organizations, id, |r| &r.id).map(Record::Organization))
            .or_else(|| pick(&self.proposals, id, |r| &r.id).map(Record::Proposal))
            .or_else(|| pick(&self.needs, id, |r| &r.id).map(Record::Need))
    }

    /// The forum of the researcher or organisation with this id, if it is one and has a forum.
    pub fn forum_of(&self, id: &str) -> Option<Forum> {
        if let Some(o) = self.organizations.iter().find(|o| o.id == id) {
            return Some(o.forum);
        }
        self.researchers
            .iter()
            .find(|r| r.id == id)
            .and_then(|r| r.forum)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lent_title_is_the_title() {
        let need = |title: Option<&str>, text: &str| {
            Record::Need(Need {
                id: "N1".into(),
                title: title.map(str::to_string),
                text: text.into(),
                ..Default::default()
            })
        };
        let long = "膵がんの全ゲノム解析データを探しています。".repeat(5);
        for record in [
            need(None, &long),
            need(None, "short"),
            need(None, ""),
            need(Some("  "), &long),
            need(Some("A title"), &long),
            need(None, &"x".repeat(60)),
        ] {
            assert_eq!(record.title_text(), record.title(), "{record:?}");
        }
    }
}
