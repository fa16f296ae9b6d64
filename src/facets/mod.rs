//! Facets of records (area, disease group, modality, forum, sector, proposal status, data-use
//! codes): each record's values, filtering by `facet=value` pairs and counting values over a
//! set of records. The app's filter panel and `musubi search --filter/--facets` both use it.

use crate::consent::{parse_code, DataUseCode};
use crate::memo::Memo;
use crate::model::{Catalog, Forum, Kind, Record};
use crate::vocab::{ConceptKind, Vocabulary};
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub mod filtered;

/// A facet of the records, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Facet {
    Area,
    DiseaseGroup,
    Modality,
    Forum,
    Sector,
    Status,
    DataUse,
}

impl Facet {
    /// Every facet, in display order.
    pub const ALL: [Facet; 7] = [
        Facet::Area,
        Facet::DiseaseGroup,
        Facet::Modality,
        Facet::Forum,
        Facet::Sector,
        Facet::Status,
        Facet::DataUse,
    ];

    /// The name typed on the command line and used as a JSON key (`disease-group`).
    pub fn name(self) -> &'static str {
        match self {
            Facet::Area => "area",
            Facet::DiseaseGroup => "disease-group",
            Facet::Modality => "modality",
            Facet::Forum => "forum",
            Facet::Sector => "sector",
            Facet::Status => "status",
            Facet::DataUse => "data-use",
        }
    }

    /// The heading shown to people (`Disease group`).
    pub fn title(self) -> &'static str {
        match self {
            Facet::Area => "Area",
            Facet::DiseaseGroup => "Disease group",
            Facet::Modality => "Modality",
            Facet::Forum => "Forum",
            Facet::Sector => "Sector",
            Facet::Status => "Proposal status",
            Facet::DataUse => "Data use",
        }
    }

    /// The facet of a typed name, case-insensitively; `_` and `-` are the same
    /// (`Disease_Group` is `disease-group`).
    pub fn parse(name: &str) -> Option<Facet> {
        let name = name.trim().to_ascii_lowercase().replace('_', "-");
        Facet::ALL.into_iter().find(|f| f.name() == name)
    }

    /// True when records of this kind can have values of the facet.
    pub fn applies_to(self, kind: Kind) -> bool {
        use Kind::*;
        match self {
            Facet::Area => kind != Organization,
            Facet::DiseaseGroup => kind != Organization,
            Facet::Modality => matches!(kind, Dataset | Proposal | Need),
            Facet::Forum => kind != Dataset,
            Facet::Sector => kind == Organization,
            Facet::Status => kind == Proposal,
            Facet::DataUse => kind == Dataset,
        }
    }
}

/// A record's facet values, each pair once.
pub type FacetValues = Vec<(Facet, String)>;

/// Active filters: records pass when, for every facet named, they have one of its values
/// (AND across facets, OR within one).
pub type Filters = BTreeSet<(Facet, String)>;

/// Reads records' facet values; holds what a record's values depend on beyond the record
/// itself (the forum of a proposal's proposer or a need's owner).
pub struct FacetReader<'a> {
    vocabulary: &'a Vocabulary,
    forums: HashMap<&'a str, Forum>,
    /// [`disease_groups`] and [`modality_label`] of the strings read so far.
    groups: Memo<String, Vec<String>>,
    modalities: Memo<String, String>,
}

/// Disease and modality strings a reader remembers.
const REMEMBERED: usize = 100_000;

impl<'a> FacetReader<'a> {
    /// A reader over one catalog and its vocabulary.
    pub fn new(catalog: &'a Catalog, vocabulary: &'a Vocabulary) -> FacetReader<'a> {
        // Researchers first, so that an organisation's forum wins as in `Catalog::forum_of`.
        let mut forums: HashMap<&str, Forum> = catalog
            .researchers
            .iter()
            .filter_map(|r| r.forum.map(|f| (r.id.as_str(), f)))
            .collect();
        forums.extend(
            catalog
                .organizations
                .iter()
                .map(|o| (o.id.as_str(), o.forum)),
        );
        FacetReader {
            vocabulary,
            forums,
            groups: Memo::new(REMEMBERED),
            modalities: Memo::new(REMEMBERED),
        }
    }

    fn forum_of(&self, id: &str) -> Option<Forum> {
        self.forums.get(id).copied()
    }

    /// The record's facet values.
    pub fn values(&self, record: &Record) -> FacetValues {
        let vocabulary = self.vocabulary;
        let mut out: FacetValues = Vec::new();
        let mut add = |facet: Facet, value: String| {
            if !value.is_empty() && !out.iter().any(|(f, v)| *f == facet && *v == value) {
                out.push((facet, value));
            }
        };
        for disease in record.diseases() {
            let groups = self
                .groups
                .get_or(disease.clone(), || disease_groups(vocabulary, disease));
            for group in groups {
                add(Facet::DiseaseGroup, group);
            }
        }
        let modalities: &[String] = match record {
            Record::Dataset(d) => &d.modalities,
            Record::Proposal(p) => &p.modalities,
            Record::Need(n) => &n.modalities,
            _ => &[],
        };
        for m in modalities {
            let label = self
                .modalities
                .get_or(m.clone(), || modality_label(vocabulary, m));
            add(Facet::Modality, label);
        }
        match record {
            Record::Dataset(d) => {
                add(Facet::Area, d.area.as_str().to_string());
                for code in &d.data_use {
                    add(Facet::DataUse, data_use_value(code));
                }
            }
            Record::Researcher(r) => {
                for a in &r.areas {
                    add(Facet::Area, a.as_str().to_string());
                }
                if let Some(f) = r.forum {
                    add(Facet::Forum, f.as_str().to_string());
                }
            }
            Record::Organization(o) => {
                add(Facet::Forum, o.forum.as_str().to_string());
                if let Some(s) = &o.sector {
                    add(Facet::Sector, s.trim().to_string());
                }
            }
            Record::Proposal(p) => {
                if let Some(a) = p.area {
                    add(Facet::Area, a.as_str().to_string());
                }
                if let Some(s) = p.status {
                    add(Facet::Status, s.as_str().to_string());
                }
                if let Some(f) = p.proposer.as_deref().and_then(|id| self.forum_of(id)) {
                    add(Facet::Forum, f.as_str().to_string());
                }
            }
            Record::Need(n) => {
                if let Some(a) = n.area {
                    add(Facet::Area, a.as_str().to_string());
                }
                if let Some(f) = n.owner.as_deref().and_then(|id| self.forum_of(id)) {
                    add(Facet::Forum, f.as_str().to_string());
                }
            }
        }
        out
    }

    /// The value of `facet` that a typed value means: one of `known` compared
    /// case-insensitively, else (for disease groups and modalities) the label the vocabulary
    /// reads the typed words as, when it is one of `known`.
    pub fn resolve_value(&self, facet: Facet, typed: &str, known: &[String]) -> Option<String> {
        let typed = typed.trim();
        if let Some(v) = known.iter().find(|v| v.as_str() == typed) {
            return Some(v.clone());
        }
        let folded: Vec<&String> = known
            .iter()
            .filter(|v| v.to_lowercase() == typed.to_lowercase())
            .collect();
        if let [v] = folded.as_slice() {
            return Some((*v).clone());
        }
        let read: Vec<String> = match facet {
            Facet::Modality => vec![modality_label(self.vocabulary, typed)],
            Facet::DiseaseGroup => self
                .vocabulary
                .resolve_kind(typed, ConceptKind::Disease)
                .iter()
                .map(|r| self.vocabulary.label(&r.concept, true))
                .collect(),
            Facet::DataUse => vec![data_use_value(typed)],
            _ => Vec::new(),
        };
        read.into_iter().find(|r| known.contains(r))
    }
}

/// True when a record with these facet values passes the filters: within a facet any active
/// value, across facets all. `except` leaves one facet out (for its own counts).
pub fn passes(values: &[(Facet, String)], active: &Filters, except: Option<Facet>) -> bool {
    let mut facets: Vec<Facet> = active.iter().map(|(f, _)| *f).collect();
    facets.dedup();
    facets
        .into_iter()
        .filter(|f| Some(*f) != except)
        .all(|facet| {
            values
                .iter()
                .any(|(f, v)| *f == facet && active.contains(&(facet, v.clone())))
        })
}

/// The counts of one facet's values, most frequent first (ties by value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCount {
    pub facet: Facet,
    pub values: Vec<(String, usize)>,
}

/// Counts each facet's values over a set of records (given by their facet values). A facet's
/// own counts have the other facets' filters applied but not its own, so every value of a
/// filtered facet stays in view with the count it would add; active values are listed even
/// when no record has them. Facets without values are left out.
pub fn count<'v>(
    records: impl IntoIterator<Item = &'v [(Facet, String)]>,
    active: &Filters,
) -> Vec<FacetCount> {
    let mut counts: BTreeMap<(Facet, String), usize> = BTreeMap::new();
    for values in records {
        for (facet, value) in values {
            if passes(values, active, Some(*facet)) {
                *counts.entry((*facet, value.clone())).or_default() += 1;
            }
        }
    }
    for key in active {
        counts.entry(key.clone()).or_default();
    }
    let mut out = Vec::new();
    for facet in Facet::ALL {
        let mut values: Vec<(String, usize)> = counts
            .iter()
            .filter(|((f, _), _)| *f == facet)
            .map(|((_, v), n)| (v.clone(), *n))
            .collect();
        if values.is_empty() {
            continue;
        }
        // Most frequent first; ties by name, so lists do not jump around.
        values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out.push(FacetCount { facet, values });
    }
    out
}

/// The active filters that apply to records of `kind`: a filter on a facet the kind does not
/// have (data use on proposals) leaves that kind's records alone.
pub fn active_for(kind: Kind, active: &Filters) -> Filters {
    active
        .iter()
        .filter(|(facet, _)| facet.applies_to(kind))
        .cloned()
        .collect()
}

/// [`count`] for the records of one kind (a tab of the app): only the facets that apply to
/// the kind, with only the filters that apply to it.
pub fn count_for_kind<'v>(
    kind: Kind,
    records: impl IntoIterator<Item = &'v [(Facet, String)]>,
    active: &Filters,
) -> Vec<FacetCount> {
    let active = active_for(kind, active);
    count(records, &active)
        .into_iter()
        .filter(|c| c.facet.applies_to(kind))
        .collect()
}

/// All values of each facet over a set of records, sorted.
pub fn all_values<'v>(
    records: impl IntoIterator<Item = &'v [(Facet, String)]>,
) -> BTreeMap<Facet, Vec<String>> {
    let mut all: BTreeMap<Facet, BTreeSet<String>> = BTreeMap::new();
    for values in records {
        for (facet, value) in values {
            all.entry(*facet).or_default().insert(value.clone());
        }
    }
    all.into_iter()
        .map(|(f, v)| (f, v.into_iter().collect()))
        .collect()
}

/// How many levels below the hierarchy's groups a disease group may lie to be offered as a
/// facet: 1 gives the broad groups (がん → 血液がん, 小児がん), 2 the next level (固形がん →
/// 消化器がん, 婦人科がん; 指定難病 → 神経・筋疾患).
const GROUP_DEPTH: usize = 2;

/// The disease groups (concepts one or two levels below a root of the hierarchy) a disease
/// string falls under, as Japanese labels.
pub fn disease_groups(vocabulary: &Vocabulary, disease: &str) -> Vec<String> {
    let mut groups = Vec::new();
    for resolution in vocabulary.resolve_kind(disease, ConceptKind::Disease) {
        let mut candidates = vec![resolution.concept.clone()];
        candidates.extend(
            vocabulary
                .ancestors(&resolution.concept)
                .into_iter()
                .map(str::to_string),
        );
        for id in candidates {
            let depth = vocabulary
                .ancestors(&id)
                .into_iter()
                .filter(|a| vocabulary.ancestors(a).is_empty())
                .filter_map(|root| vocabulary.steps_up(&id, root))
                .min();
            if matches!(depth, Some(d) if (1..=GROUP_DEPTH).contains(&d)) {
                let label = vocabulary.label(&id, true);
                if !groups.contains(&label) {
                    groups.push(label);
                }
            }
        }
    }
    groups
}

/// The label of a modality string: the vocabulary's English name, else the string itself.
pub fn modality_label(vocabulary: &Vocabulary, modality: &str) -> String {
    vocabulary
        .resolve_kind(modality, ConceptKind::Modality)
        .first()
        .map(|r| vocabulary.label(&r.concept, false))
        .unwrap_or_else(|| modality.trim().to_string())
}

/// The facet value of a data-use code: arguments kept for `DS:` (the disease matters), dropped
/// for dates and countries (`MOR`, `TS`, `GS`).
pub fn data_use_value(raw: &str) -> String {
    match parse_code(raw) {
        code @ DataUseCode::DiseaseSpecific(_) => code.to_string(),
        code => code.name().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Area, Dataset, Organization, Proposal, ProposalStatus};

    fn catalog() -> Catalog {
        let mut catalog = Catalog::default();
        catalog.datasets.push(Dataset {
            id: "DS-1".into(),
            title: "急性骨髄性白血病 WGS".into(),
            area: Area::Cancer,
            diseases: vec!["AML".into()],
            cases: 10,
            modalities: vec!["WGS".into()],
            clinical: vec![],
            custodian: None,
            fiscal_year: None,
            access: None,
            data_use: vec!["hmb".into(), "DS:白血病".into(), "MOR:2027-01-01".into()],
            summary: None,
            extra: Default::default(),
        });
        catalog.organizations.push(Organization {
            id: "O-1".into(),
            name: "製薬".into(),
            forum: Forum::Industry,
            name_en: None,
            sector: Some("pharma".into()),
            interests: vec![],
            offers: vec![],
            summary: None,
            contact_name: None,
            email: None,
            contact_ok: false,
            extra: Default::default(),
        });
        catalog.proposals.push(Proposal {
            id: "P-1".into(),
            title: "x".into(),
            proposer: Some("O-1".into()),
            status: Some(ProposalStatus::Active),
            ..Default::default()
        });
        catalog
    }

    fn values_of(catalog: &Catalog, id: &str, facet: Facet) -> Vec<String> {
        let vocabulary = Vocabulary::decode_builtin();
        let reader = FacetReader::new(catalog, &vocabulary);
        let record = catalog.find(id).expect("record");
        reader
            .values(&record)
            .into_iter()
            .filter(|(f, _)| *f == facet)
            .map(|(_, v)| v)
            .collect()
    }

    #[test]
    fn data_use_values_are_canonical() {
        let c = catalog();
        assert_eq!(
            values_of(&c, "DS-1", Facet::DataUse),
            ["HMB", "DS:白血病", "MOR"]
        );
    }

    #[test]
    fn aml_falls_in_the_blood_cancer_group() {
        let c = catalog();
        let groups = values_of(&c, "DS-1", Facet::DiseaseGroup);
        assert!(groups.contains(&"血液がん".to_string()), "{groups:?}");
    }

    #[test]
    fn a_proposal_takes_its_proposers_forum() {
        let c = catalog();
        assert_eq!(values_of(&c, "P-1", Facet::Forum), ["industry"]);
        assert_eq!(values_of(&c, "P-1", Facet::Status), ["active"]);
    }

    #[test]
    fn facet_names_parse_in_any_case_and_separator() {
        assert_eq!(Facet::parse("Disease_Group"), Some(Facet::DiseaseGroup));
        assert_eq!(Facet::parse("data-use"), Some(Facet::DataUse));
        assert_eq!(Facet::parse("colour"), None);
        for facet in Facet::ALL {
            assert_eq!(Facet::parse(facet.name()), Some(facet));
        }
    }

    #[test]
    fn filters_and_across_facets_or_within_one() {
        let a: FacetValues = vec![
            (Facet::Area, "cancer".into()),
            (Facet::Modality, "WGS".into()),
        ];
        let b: FacetValues = vec![(Facet::Area, "rare_disease".into())];
        let active: Filters = [
            (Facet::Area, "cancer".to_string()),
            (Facet::Area, "rare_disease".to_string()),
        ]
        .into();
        assert!(passes(&a, &active, None) && passes(&b, &active, None));
        let mut both = active.clone();
        both.insert((Facet::Modality, "WGS".into()));
        assert!(passes(&a, &both, None));
        assert!(!passes(&b, &both, None));
        // A facet's own filter is left out of its counts: b still counts for rare_disease.
        let counts = count([a.as_slice(), b.as_slice()], &both);
        let area = counts
            .iter()
            .find(|c| c.facet == Facet::Area)
            .expect("area");
        assert_eq!(
            area.values,
            [("cancer".to_string(), 1), ("rare_disease".to_string(), 0)]
        );
    }

    #[test]
    fn typed_values_resolve_case_insensitively_and_through_the_vocabulary() {
        let c = catalog();
        let vocabulary = Vocabulary::decode_builtin();
        let reader = FacetReader::new(&c, &vocabulary);
        let known = vec!["RNA-seq".to_string(), "whole-genome sequencing".to_string()];
        assert_eq!(
            reader.resolve_value(Facet::Modality, "rna-SEQ", &known),
            Some("RNA-seq".into())
        );
        assert_eq!(
            reader.resolve_value(Facet::Modality, "WGS", &known),
            Some("whole-genome sequencing".into())
        );
        assert_eq!(reader.resolve_value(Facet::Modality, "ChIP", &known), None);
        let codes = vec!["HMB".to_string()];
        assert_eq!(
            reader.resolve_value(Facet::DataUse, "hmb", &codes),
            Some("HMB".into())
        );
    }

    #[test]
    fn counts_for_a_kind_leave_out_facets_and_filters_it_does_not_have() {
        let dataset: Vec<(Facet, String)> = vec![
            (Facet::Area, "cancer".into()),
            (Facet::DataUse, "HMB".into()),
        ];
        let proposal: Vec<(Facet, String)> = vec![
            (Facet::Area, "cancer".into()),
            (Facet::Status, "active".into()),
        ];
        let active: Filters = [(Facet::DataUse, "HMB".to_string())].into();
        // The data-use filter does not apply to proposals: the proposal still counts.
        let counts = count_for_kind(Kind::Proposal, [proposal.as_slice()], &active);
        let facets: Vec<Facet> = counts.iter().map(|c| c.facet).collect();
        assert_eq!(facets, [Facet::Area, Facet::Status]);
        assert_eq!(counts[0].values, [("cancer".to_string(), 1)]);
        let counts = count_for_kind(Kind::Dataset, [dataset.as_slice()], &active);
        assert!(counts.iter().any(|c| c.facet == Facet::DataUse));
        assert!(active_for(Kind::Proposal, &active).is_empty());
        assert_eq!(active_for(Kind::Dataset, &active), active);
    }
}
