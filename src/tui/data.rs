//! The loaded records as the app reads them: every record by id, the references between them
//! (both ways), each record's facet values for the filter panel, and every record as the
//! empty query lists it.

use super::action::Found;
use super::haystack::Haystack;
use super::listing::{self, FacetIndex, Tabs};
use crate::facets::{self, Facet, FacetReader};
use crate::model::{Catalog, Kind, Record};
use crate::vocab::Vocabulary;
use foldhash::HashMap as SeededHashMap;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

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
    /// Each record's id, shared with the rows that list it.
    ids: Vec<Arc<str>>,
    by_id: SeededHashMap<Arc<str>, u32>,
    /// Positions of the records whose id another record has too (usually none).
    sharing_ids: Vec<u32>,
    /// Each record's id, title and English title side by side, for the fuzzy scan.
    haystack: Haystack,
    /// The facet values as numbers, for the lists and the filter panel: worked out when first
    /// asked for (the app asks on a thread of its own once the data is open).
    facet_index: OnceLock<FacetIndex>,
    /// Every reference between records as (referred to, referring, relation), in the
    /// referring records' order within each record referred to.
    referrers: Vec<(u32, u32, &'static str)>,
    /// Every record as the empty query lists it, worked out when first asked for.
    listed: OnceLock<(Arc<[Found]>, Tabs)>,
}

impl Data {
    /// Indexes a catalog for the app, its facet values included.
    pub fn new(
        catalog: Catalog,
        vocabulary: Arc<Vocabulary>,
        source: String,
        warnings: usize,
    ) -> Data {
        let data = Data::without_facets(catalog, vocabulary, source, warnings);
        data.facet_index();
        data
    }

    /// Indexes a catalog for the app, leaving its facet values to the first
    /// [`Data::facet_index`] (the filter panel and filtered lists wait for them; the rest of
    /// the app does not).
    pub fn without_facets(
        catalog: Catalog,
        vocabulary: Arc<Vocabulary>,
        source: String,
        warnings: usize,
    ) -> Data {
        let records = crate::trace::phase("view: every record", || every_record(&catalog));
        let (ids, by_id, sharing_ids) = crate::trace::phase("view: ids", || {
            let ids: Vec<Arc<str>> = records.par_iter().map(|r| Arc::from(r.id())).collect();
            let mut by_id = SeededHashMap::default();
            by_id.reserve(records.len());
            let mut sharing_ids = Vec::new();
            // The last record of an id is the one found by it.
            for (id, i) in ids.iter().zip(0u32..) {
                if let Some(before) = by_id.insert(id.clone(), i) {
                    sharing_ids.extend([before, i]);
                }
            }
            sharing_ids.sort_unstable();
            sharing_ids.dedup();
            (ids, by_id, sharing_ids)
        });
        let haystack =
            crate::trace::phase("view: texts for the fuzzy scan", || Haystack::of(&records));
        let mut data = Data {
            catalog,
            vocabulary,
            source,
            warnings,
            records,
            ids,
            by_id,
            sharing_ids,
            haystack,
            facet_index: OnceLock::new(),
            referrers: Vec::new(),
            listed: OnceLock::new(),
        };
        data.referrers = crate::trace::phase("view: references", || data.every_reference());
        data
    }

    /// Every reference between records (see [`Data::referrers`]).
    fn every_reference(&self) -> Vec<(u32, u32, &'static str)> {
        let mut references: Vec<(u32, u32, &'static str)> = self
            .records
            .par_iter()
            .enumerate()
            .flat_map_iter(|(from, record)| {
                let from = u32::try_from(from).unwrap_or(u32::MAX);
                self.forward_links(record)
                    .into_iter()
                    .filter_map(move |link| {
                        let to = self.position(&link.id)?;
                        Some((to, from, reverse_relation(link.relation, record.kind())))
                    })
            })
            .collect();
        // Stable: each record's referrers stay in the records' order.
        references.par_sort_by_key(|&(to, _, _)| to);
        references
    }

    /// Every record, kinds in display order, each kind in file order.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// The record with this id.
    pub fn record(&self, id: &str) -> Option<&Record> {
        self.by_id
            .get(id)
            .and_then(|&i| self.records.get(i as usize))
    }

    /// The id of the record at `at` in [`Data::records`], shared.
    pub fn id_at(&self, at: u32) -> Option<&Arc<str>> {
        self.ids.get(at as usize)
    }

    /// The id of a record found in this data (empty for a position it does not have).
    pub fn id_of(&self, found: &Found) -> &str {
        self.id_at(found.record).map_or("", |id| id)
    }

    /// The record found, by its position in this data.
    pub fn record_of(&self, found: &Found) -> Option<&Record> {
        self.records.get(found.record as usize)
    }

    /// The position of the record with this id in [`Data::records`].
    pub fn position(&self, id: &str) -> Option<u32> {
        self.by_id.get(id).copied()
    }

    /// Positions of the records whose id another record has too, in order.
    pub fn sharing_ids(&self) -> &[u32] {
        &self.sharing_ids
    }

    /// Each record's id, title and English title, side by side for the fuzzy scan.
    pub fn haystack(&self) -> &Haystack {
        &self.haystack
    }

    /// Every record's facet values as numbers, worked out on the first call (a call made
    /// while another thread works them out waits for it).
    pub fn facet_index(&self) -> &FacetIndex {
        self.facet_index.get_or_init(|| {
            crate::trace::phase("view: facet values", || {
                let reader = FacetReader::new(&self.catalog, &self.vocabulary);
                let values: Vec<facets::FacetValues> =
                    self.records.par_iter().map(|r| reader.values(r)).collect();
                FacetIndex::new(&values)
            })
        })
    }

    /// Every record's facet values as numbers, if they have been worked out.
    pub fn facets_ready(&self) -> Option<&FacetIndex> {
        self.facet_index.get()
    }

    /// Every record as the empty query lists it (see [`listing::every_record`]); worked out
    /// on the first call and shared after.
    pub fn listed(&self) -> (Arc<[Found]>, Tabs) {
        self.listed
            .get_or_init(|| {
                crate::trace::phase("view: every record listed", || {
                    listing::every_record(&self.records, &self.ids)
                })
            })
            .clone()
    }

    /// The record's facet values, in the order [`FacetReader::values`] gives them.
    pub fn facets_of(&self, id: &str) -> Vec<(Facet, String)> {
        self.position(id)
            .map(|at| self.facet_index().values_of(at))
            .unwrap_or_default()
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
        if let Some(at) = self.position(record.id()) {
            let from = self.referrers.partition_point(|&(to, _, _)| to < at);
            let back = self.referrers[from..]
                .iter()
                .take_while(|&&(to, _, _)| to == at);
            links.extend(back.filter_map(|&(_, by, relation)| {
                Some(Link {
                    relation,
                    id: self.records.get(by as usize)?.id().to_string(),
                })
            }));
        }
        links
    }

    /// All values of each facet over the whole catalog, sorted.
    pub fn facet_values(&self) -> BTreeMap<Facet, Vec<String>> {
        self.facet_index().all_values()
    }
}

/// Every record of the catalog as [`Catalog::records`] gives them, copied on every core.
fn every_record(catalog: &Catalog) -> Vec<Record> {
    let mut records = Vec::with_capacity(catalog.len());
    records.par_extend(catalog.datasets.par_iter().cloned().map(Record::Dataset));
    records.par_extend(
        catalog
            .researchers
            .par_iter()
            .cloned()
            .map(Record::Researcher),
    );
    records.par_extend(
        catalog
            .organizations
            .par_iter()
            .cloned()
            .map(Record::Organization),
    );
    records.par_extend(catalog.proposals.par_iter().cloned().map(Record::Proposal));
    records.par_extend(catalog.needs.par_iter().cloned().map(Record::Need));
    records
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
    fn records_are_in_the_catalog_order_with_their_facets() {
        let catalog = crate::synthetic::catalog(3_000, 2);
        let vocabulary = Arc::new(Vocabulary::decode_builtin());
        let expected: Vec<Record> = catalog.records().collect();
        let reader_catalog = catalog.clone();
        let reader = FacetReader::new(&reader_catalog, &vocabulary);
        let data = Data::new(catalog, vocabulary.clone(), "test".into(), 0);
        assert_eq!(data.records(), expected.as_slice());
        for record in expected.iter().step_by(97) {
            assert_eq!(data.record(record.id()), Some(record));
            assert_eq!(data.facets_of(record.id()), reader.values(record));
        }
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
}
