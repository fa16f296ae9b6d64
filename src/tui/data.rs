//! The loaded records as the app reads them: every record by id, the references between them
//! (both ways) and each record's facet values for the filter panel.

use crate::consent::{parse_code, DataUseCode};
use crate::model::{Catalog, Kind, Record};
use crate::vocab::{ConceptKind, Vocabulary};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// The facets of the filter panel, in display order.
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
}

/// A reference from one record to another, by the field (or reverse relation) that makes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// What the link is (`Proposer`, `Partner`, `Needs owned`, …).
    pub relation: &'static str,
    /// The record linked to.
    pub id: String,
}

/// Records, references and facets of one opened data directory.
#[derive(Debug)]
pub struct Data {
    pub catalog: Catalog,
    pub vocabulary: Arc<Vocabulary>,
    /// Where the data came from (`bundled sample data`, a directory).
    pub source: String,
    /// Warnings from loading (`musubi validate` lists them).
    pub warnings: usize,
    records: Vec<Record>,
    by_id: HashMap<String, usize>,
    facets: Vec<Vec<(Facet, String)>>,
    referrers: HashMap<String, Vec<Link>>,
}

impl Data {
    /// Indexes a catalog for the app.
    pub fn new(
        catalog: Catalog,
        vocabulary: Arc<Vocabulary>,
        source: String,
        warnings: usize,
    ) -> Data {
        let records: Vec<Record> = catalog.records().collect();
        let by_id = records
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id().to_string(), i))
            .collect();
        let facets = records
            .iter()
            .map(|r| facet_values(r, &catalog, &vocabulary))
            .collect();
        let mut data = Data {
            catalog,
            vocabulary,
            source,
            warnings,
            records,
            by_id,
            facets,
            referrers: HashMap::new(),
        };
        let mut referrers: HashMap<String, Vec<Link>> = HashMap::new();
        for record in &data.records {
            for link in data.forward_links(record) {
                referrers.entry(link.id).or_default().push(Link {
                    relation: reverse_relation(link.relation, record.kind()),
                    id: record.id().to_string(),
                });
            }
        }
        data.referrers = referrers;
        data
    }

    /// Every record, kinds in display order, each kind in file order.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// The record with this id.
    pub fn record(&self, id: &str) -> Option<&Record> {
        self.by_id.get(id).map(|&i| &self.records[i])
    }

    /// The record's facet values.
    pub fn facets_of(&self, id: &str) -> &[(Facet, String)] {
        self.by_id
            .get(id)
            .map(|&i| self.facets[i].as_slice())
            .unwrap_or(&[])
    }

    /// A record's display name with its id: `title (id)`; the id alone when unknown.
    pub fn name_of(&self, id: &str) -> String {
        match self.record(id) {
            Some(r) => format!("{} ({id})", r.title()),
            None => id.to_string(),
        }
    }

    /// References the record makes (proposer, partners, owner, custodian) to known records.
    pub fn forward_links(&self, record: &Record) -> Vec<Link> {
        let mut links = Vec::new();
        let mut push = |relation: &'static str, id: &str| {
            let id = id.trim();
            if self.by_id.contains_key(id) {
                links.push(Link {
                    relation,
                    id: id.to_string(),
                });
            }
        };
        match record {
            Record::Proposal(p) => {
                if let Some(id) = &p.proposer {
                    push("Proposer", id);
                }
                for id in &p.partners {
                    push("Partner", id);
                }
            }
            Record::Need(n) => {
                if let Some(id) = &n.owner {
                    push("Owner", id);
                }
            }
            Record::Dataset(d) => {
                if let Some(id) = &d.custodian {
                    push("Custodian", id);
                }
            }
            Record::Researcher(_) | Record::Organization(_) => {}
        }
        links
    }

    /// Every link of a record: its references, then the records referring to it.
    pub fn links(&self, record: &Record) -> Vec<Link> {
        let mut links = self.forward_links(record);
        if let Some(back) = self.referrers.get(record.id()) {
            links.extend(back.iter().cloned());
        }
        links
    }

    /// All values of each facet over the whole catalog, sorted.
    pub fn facet_values(&self) -> BTreeMap<Facet, Vec<String>> {
        let mut all: BTreeMap<Facet, BTreeSet<String>> = BTreeMap::new();
        for values in &self.facets {
            for (facet, value) in values {
                all.entry(*facet).or_default().insert(value.clone());
            }
        }
        all.into_iter()
            .map(|(f, v)| (f, v.into_iter().collect()))
            .collect()
    }
}

fn reverse_relation(relation: &str, from: Kind) -> &'static str {
    match (relation, from) {
        ("Proposer", _) => "Proposes",
        ("Partner", _) => "Partner in",
        ("Owner", _) => "Need",
        ("Custodian", _) => "Holds dataset",
        _ => "Referred by",
    }
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
fn modality_label(vocabulary: &Vocabulary, modality: &str) -> String {
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

fn facet_values(
    record: &Record,
    catalog: &Catalog,
    vocabulary: &Vocabulary,
) -> Vec<(Facet, String)> {
    let mut out: Vec<(Facet, String)> = Vec::new();
    let mut add = |facet: Facet, value: String| {
        if !value.is_empty() && !out.iter().any(|(f, v)| *f == facet && *v == value) {
            out.push((facet, value));
        }
    };
    for disease in record.diseases() {
        for group in disease_groups(vocabulary, disease) {
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
        add(Facet::Modality, modality_label(vocabulary, m));
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
            if let Some(f) = p.proposer.as_deref().and_then(|id| catalog.forum_of(id)) {
                add(Facet::Forum, f.as_str().to_string());
            }
        }
        Record::Need(n) => {
            if let Some(a) = n.area {
                add(Facet::Area, a.as_str().to_string());
            }
            if let Some(f) = n.owner.as_deref().and_then(|id| catalog.forum_of(id)) {
                add(Facet::Forum, f.as_str().to_string());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Area, Dataset, Need};

    fn tiny() -> Data {
        let mut catalog = Catalog::default();
        catalog.datasets.push(Dataset {
            id: "DS-1".into(),
            title: "急性骨髄性白血病 WGS".into(),
            area: Area::Cancer,
            diseases: vec!["AML".into()],
            cases: 10,
            modalities: vec!["WGS".into()],
            clinical: vec![],
            custodian: Some("N-1".into()),
            fiscal_year: None,
            access: None,
            data_use: vec!["hmb".into(), "DS:白血病".into(), "MOR:2027-01-01".into()],
            summary: None,
            extra: Default::default(),
        });
        catalog.needs.push(Need {
            id: "N-1".into(),
            text: "x".into(),
            ..Default::default()
        });
        Data::new(
            catalog,
            Arc::new(Vocabulary::decode_builtin()),
            "test".into(),
            0,
        )
    }

    #[test]
    fn references_are_followed_both_ways() {
        let data = tiny();
        let ds = data.record("DS-1").cloned().map(|r| data.links(&r));
        assert_eq!(
            ds,
            Some(vec![Link {
                relation: "Custodian",
                id: "N-1".into()
            }])
        );
        let need = data.record("N-1").cloned().map(|r| data.links(&r));
        assert_eq!(
            need,
            Some(vec![Link {
                relation: "Holds dataset",
                id: "DS-1".into()
            }])
        );
    }

    #[test]
    fn data_use_facets_are_canonical() {
        let data = tiny();
        let values: Vec<&str> = data
            .facets_of("DS-1")
            .iter()
            .filter(|(f, _)| *f == Facet::DataUse)
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(values, ["HMB", "DS:白血病", "MOR"]);
    }

    #[test]
    fn aml_falls_in_the_blood_cancer_group() {
        let data = tiny();
        let groups: Vec<&str> = data
            .facets_of("DS-1")
            .iter()
            .filter(|(f, _)| *f == Facet::DiseaseGroup)
            .map(|(_, v)| v.as_str())
            .collect();
        assert!(groups.contains(&"血液がん"), "{groups:?}");
    }
}
