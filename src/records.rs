//! Records by kind and position, wherever they are kept: all in memory (a [`Catalog`]), or
//! in a catalog snapshot decoded a chunk at a time as they are asked for
//! ([`crate::snapshot::SnapshotRecords`]). A match reads whole records only for its subject,
//! the subject's owner and what it lists; what it reads of every candidate (ids, a dataset's
//! cases, a proposal's status and the forums it seeks) comes without decoding records. What
//! is made from every record (the index, the match candidates, the history) reads them through
//! [`RecordBatches`], a batch at a time.

use crate::model::ProposalStatus;
use crate::model::{
    Catalog, Dataset, Forum, Kind, Need, Organization, Proposal, Record, Researcher,
};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::ops::Range;

/// What scoring reads of a proposal, without the record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalFacts {
    pub status: Option<ProposalStatus>,
    seeks_academia: bool,
    seeks_industry: bool,
}

impl ProposalFacts {
    /// The facts of one proposal.
    pub fn of(proposal: &Proposal) -> ProposalFacts {
        ProposalFacts {
            status: proposal.status,
            seeks_academia: proposal.seeking.contains(&Forum::Academia),
            seeks_industry: proposal.seeking.contains(&Forum::Industry),
        }
    }

    /// True when the proposal names the forums it seeks.
    pub fn seeks_anyone(&self) -> bool {
        self.seeks_academia || self.seeks_industry
    }

    /// True when the proposal seeks this forum.
    pub fn seeks(&self, forum: Forum) -> bool {
        match forum {
            Forum::Academia => self.seeks_academia,
            Forum::Industry => self.seeks_industry,
        }
    }
}

/// Records by kind and position (positions as in [`Catalog`]: file order within a kind).
pub trait Records: Sync {
    /// How many records of this kind.
    fn count(&self, kind: Kind) -> usize;
    /// The id of record `at` of this kind ("" past the end).
    fn id(&self, kind: Kind, at: usize) -> &str;
    /// The cases of dataset `at` (0 past the end).
    fn cases(&self, at: usize) -> u64;
    /// What scoring reads of proposal `at`.
    fn proposal_facts(&self, at: usize) -> Option<ProposalFacts>;
    fn dataset(&self, at: usize) -> Option<&Dataset>;
    fn researcher(&self, at: usize) -> Option<&Researcher>;
    fn organization(&self, at: usize) -> Option<&Organization>;
    fn proposal(&self, at: usize) -> Option<&Proposal>;
    fn need(&self, at: usize) -> Option<&Need>;

    /// The position of the first record of this kind with exactly this id: a scan of the ids,
    /// unless the records keep an index of them ([`IdIndexed`]).
    fn position(&self, kind: Kind, id: &str) -> Option<usize> {
        (0..self.count(kind)).find(|&at| self.id(kind, at) == id)
    }
}

impl dyn Records + '_ {
    /// A copy of record `at` of this kind.
    pub fn record(&self, kind: Kind, at: usize) -> Option<Record> {
        Some(match kind {
            Kind::Dataset => Record::Dataset(self.dataset(at)?.clone()),
            Kind::Researcher => Record::Researcher(self.researcher(at)?.clone()),
            Kind::Organization => Record::Organization(self.organization(at)?.clone()),
            Kind::Proposal => Record::Proposal(self.proposal(at)?.clone()),
            Kind::Need => Record::Need(self.need(at)?.clone()),
        })
    }

    /// Every id of one kind, in order.
    pub fn ids(&self, kind: Kind) -> Vec<&str> {
        (0..self.count(kind)).map(|at| self.id(kind, at)).collect()
    }
}

impl Records for Catalog {
    fn count(&self, kind: Kind) -> usize {
        Catalog::count(self, kind)
    }

    fn id(&self, kind: Kind, at: usize) -> &str {
        let id = match kind {
            Kind::Dataset => self.datasets.get(at).map(|r| &r.id),
            Kind::Researcher => self.researchers.get(at).map(|r| &r.id),
            Kind::Organization => self.organizations.get(at).map(|r| &r.id),
            Kind::Proposal => self.proposals.get(at).map(|r| &r.id),
            Kind::Need => self.needs.get(at).map(|r| &r.id),
        };
        id.map_or("", String::as_str)
    }

    fn cases(&self, at: usize) -> u64 {
        self.datasets.get(at).map_or(0, |d| d.cases)
    }

    fn proposal_facts(&self, at: usize) -> Option<ProposalFacts> {
        self.proposals.get(at).map(ProposalFacts::of)
    }

    fn dataset(&self, at: usize) -> Option<&Dataset> {
        self.datasets.get(at)
    }

    fn researcher(&self, at: usize) -> Option<&Researcher> {
        self.researchers.get(at)
    }

    fn organization(&self, at: usize) -> Option<&Organization> {
        self.organizations.get(at)
    }

    fn proposal(&self, at: usize) -> Option<&Proposal> {
        self.proposals.get(at)
    }

    fn need(&self, at: usize) -> Option<&Need> {
        self.needs.get(at)
    }
}

/// Records with an index of their ids, for work that looks up ids for every record of a kind
/// (`--all-needs`: each need's own record, its owner's, the consent rules' parties), where a
/// scan per look-up would be quadratic. Building it costs about as much as a few hundred
/// scans, so a single match scans instead.
pub struct IdIndexed<'r> {
    records: &'r dyn Records,
    /// By kind (as [`KINDS`]): each id's first position.
    positions: Vec<HashMap<&'r str, usize>>,
    /// Each dataset's cases, read once: a match of every need asks for them per candidate,
    /// and a catalog keeps them in records spread over memory.
    cases: Vec<u64>,
}

/// The kinds in the order [`IdIndexed`] keeps them.
const KINDS: [Kind; 5] = [
    Kind::Dataset,
    Kind::Researcher,
    Kind::Organization,
    Kind::Proposal,
    Kind::Need,
];

impl<'r> IdIndexed<'r> {
    /// Indexes the ids of every kind, on every core.
    pub fn new(records: &'r dyn Records) -> IdIndexed<'r> {
        let positions = KINDS
            .par_iter()
            .map(|&kind| {
                let mut first: HashMap<&'r str, usize> =
                    HashMap::with_capacity(records.count(kind));
                for at in 0..records.count(kind) {
                    first.entry(records.id(kind, at)).or_insert(at);
                }
                first
            })
            .collect();
        let cases = (0..records.count(Kind::Dataset))
            .map(|at| records.cases(at))
            .collect();
        IdIndexed {
            records,
            positions,
            cases,
        }
    }
}

impl Records for IdIndexed<'_> {
    fn count(&self, kind: Kind) -> usize {
        self.records.count(kind)
    }
    fn id(&self, kind: Kind, at: usize) -> &str {
        self.records.id(kind, at)
    }
    fn cases(&self, at: usize) -> u64 {
        self.cases.get(at).copied().unwrap_or(0)
    }
    fn proposal_facts(&self, at: usize) -> Option<ProposalFacts> {
        self.records.proposal_facts(at)
    }
    fn dataset(&self, at: usize) -> Option<&Dataset> {
        self.records.dataset(at)
    }
    fn researcher(&self, at: usize) -> Option<&Researcher> {
        self.records.researcher(at)
    }
    fn organization(&self, at: usize) -> Option<&Organization> {
        self.records.organization(at)
    }
    fn proposal(&self, at: usize) -> Option<&Proposal> {
        self.records.proposal(at)
    }
    fn need(&self, at: usize) -> Option<&Need> {
        self.records.need(at)
    }
    fn position(&self, kind: Kind, id: &str) -> Option<usize> {
        let at = KINDS.iter().position(|&k| k == kind)?;
        self.positions.get(at)?.get(id).copied()
    }
}

/// A snapshot's batch of records did not decode (damaged after it was written).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the catalog snapshot is damaged: a batch of its records does not decode")]
pub struct Damaged;

/// Every record of each kind, a batch at a time in position order: a catalog hands over each
/// kind whole, a snapshot decodes a batch, hands it over and drops it. What is made from every
/// record (the index, the match candidates, the history) is made this way, so that a build
/// never holds a million records at once.
pub trait RecordBatches: Records {
    fn datasets(&self, each: &mut dyn FnMut(&[Dataset])) -> Result<(), Damaged>;
    fn researchers(&self, each: &mut dyn FnMut(&[Researcher])) -> Result<(), Damaged>;
    fn organizations(&self, each: &mut dyn FnMut(&[Organization])) -> Result<(), Damaged>;
    fn proposals(&self, each: &mut dyn FnMut(&[Proposal])) -> Result<(), Damaged>;
    fn needs(&self, each: &mut dyn FnMut(&[Need])) -> Result<(), Damaged>;

    /// The records of `kind` at the positions of `ranges` (ascending, apart), with their
    /// positions, as [`Record`]s, in position order. Here every record of the kind is walked
    /// and those in the ranges copied; a snapshot decodes only the chunks the ranges reach.
    fn each_record_in(
        &self,
        kind: Kind,
        ranges: &[Range<usize>],
        each: &mut dyn FnMut(usize, Record),
    ) -> Result<(), Damaged> {
        let mut at = 0;
        let mut pick = |record: &dyn Fn() -> Record| {
            if in_ranges(ranges, at) {
                each(at, record());
            }
            at += 1;
        };
        match kind {
            Kind::Dataset => self.datasets(&mut |batch| {
                for r in batch {
                    pick(&|| Record::Dataset(r.clone()));
                }
            }),
            Kind::Researcher => self.researchers(&mut |batch| {
                for r in batch {
                    pick(&|| Record::Researcher(r.clone()));
                }
            }),
            Kind::Organization => self.organizations(&mut |batch| {
                for r in batch {
                    pick(&|| Record::Organization(r.clone()));
                }
            }),
            Kind::Proposal => self.proposals(&mut |batch| {
                for r in batch {
                    pick(&|| Record::Proposal(r.clone()));
                }
            }),
            Kind::Need => self.needs(&mut |batch| {
                for r in batch {
                    pick(&|| Record::Need(r.clone()));
                }
            }),
        }
    }
}

impl dyn RecordBatches + '_ {
    /// Every record as a [`Record`] (a copy), kind by kind as [`Catalog::records`] gives them.
    pub fn each_record(&self, each: &mut dyn FnMut(Record)) -> Result<(), Damaged> {
        for kind in Kind::ALL {
            self.each_record_of(kind, &mut |_, record| each(record))?;
        }
        Ok(())
    }

    /// Every record of `kind`, with its position, as a [`Record`] (a copy), in position order.
    pub fn each_record_of(
        &self,
        kind: Kind,
        each: &mut dyn FnMut(usize, Record),
    ) -> Result<(), Damaged> {
        let every = 0..self.count(kind);
        self.each_record_in(kind, std::slice::from_ref(&every), each)
    }
}

/// True when position `at` is in one of `ranges` (ascending, apart).
pub fn in_ranges(ranges: &[Range<usize>], at: usize) -> bool {
    let after = ranges.partition_point(|r| r.end <= at);
    ranges.get(after).is_some_and(|r| r.start <= at)
}

/// True when one of `ranges` (ascending, apart) holds a position of `span`.
pub fn reaches(ranges: &[Range<usize>], span: &Range<usize>) -> bool {
    let after = ranges.partition_point(|r| r.end <= span.start);
    ranges
        .get(after..)
        .unwrap_or_default()
        .iter()
        .take_while(|r| r.start < span.end)
        .any(|r| !r.is_empty() && !span.is_empty())
}

impl RecordBatches for Catalog {
    fn datasets(&self, each: &mut dyn FnMut(&[Dataset])) -> Result<(), Damaged> {
        each(&self.datasets);
        Ok(())
    }

    fn researchers(&self, each: &mut dyn FnMut(&[Researcher])) -> Result<(), Damaged> {
        each(&self.researchers);
        Ok(())
    }

    fn organizations(&self, each: &mut dyn FnMut(&[Organization])) -> Result<(), Damaged> {
        each(&self.organizations);
        Ok(())
    }

    fn proposals(&self, each: &mut dyn FnMut(&[Proposal])) -> Result<(), Damaged> {
        each(&self.proposals);
        Ok(())
    }

    fn needs(&self, each: &mut dyn FnMut(&[Need])) -> Result<(), Damaged> {
        each(&self.needs);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proposal_facts_say_what_the_record_says() {
        let mut p = Proposal::default();
        let none = ProposalFacts::of(&p);
        assert!(!none.seeks_anyone());
        assert_eq!(none.status, None);
        p.seeking = vec![Forum::Industry];
        p.status = Some(ProposalStatus::Closed);
        let facts = ProposalFacts::of(&p);
        assert!(facts.seeks_anyone() && facts.seeks(Forum::Industry));
        assert!(!facts.seeks(Forum::Academia));
        assert_eq!(facts.status, Some(ProposalStatus::Closed));
    }

    #[test]
    fn records_are_walked_in_catalog_order_and_only_the_wanted_ones_of_a_kind() {
        let catalog = crate::synthetic::catalog(400, 5);
        let batches: &dyn RecordBatches = &catalog;
        let mut walked = Vec::new();
        batches
            .each_record(&mut |r| walked.push(r))
            .expect("in memory");
        assert_eq!(walked, catalog.records().collect::<Vec<_>>());
        let ranges = [1..3, 5..6, 9..40];
        let mut picked = Vec::new();
        batches
            .each_record_in(Kind::Need, &ranges, &mut |at, r| {
                assert_eq!(catalog.needs[at].id, r.id());
                picked.push(at)
            })
            .expect("in memory");
        let expected: Vec<usize> = ranges.iter().cloned().flatten().collect();
        assert!(catalog.needs.len() > 40);
        assert_eq!(picked, expected);
        assert!(in_ranges(&ranges, 2) && in_ranges(&ranges, 9) && in_ranges(&ranges, 39));
        assert!(!in_ranges(&ranges, 0) && !in_ranges(&ranges, 3) && !in_ranges(&ranges, 40));
        assert!(reaches(&ranges, &(3..6)) && reaches(&ranges, &(39..100)));
        assert!(!reaches(&ranges, &(3..5)) && !reaches(&ranges, &(40..100)));
        assert!(!reaches(&ranges, &(6..9)) && !reaches(&[4..4, 12..12], &(0..9)));
        assert!(reaches(&[2..2, 3..5], &(0..4)) && !reaches(&ranges, &(2..2)));
        // Ranges that touch, and empty ones between them.
        let touching = [0..5, 5..5, 5..8, 8..8, 10..12];
        for at in 0..14 {
            let inside = at < 8 || (10..12).contains(&at);
            assert_eq!(in_ranges(&touching, at), inside, "{at}");
        }
        assert!(reaches(&touching, &(7..9)) && !reaches(&touching, &(8..10)));
        assert!(reaches(&touching, &(9..11)));
        assert!(!reaches(&[], &(0..3)) && !in_ranges(&[], 0));
        let mut picked = Vec::new();
        batches
            .each_record_in(Kind::Need, &touching, &mut |at, _| picked.push(at))
            .expect("in memory");
        assert_eq!(picked, (0..8).chain(10..12).collect::<Vec<_>>());
    }

    #[test]
    fn a_catalog_answers_by_position_and_finds_the_first_of_an_id() {
        let mut catalog = crate::synthetic::catalog(400, 5);
        let twin = catalog.datasets[3].id.clone();
        catalog.datasets[7].id = twin.clone();
        let records: &dyn Records = &catalog;
        assert_eq!(records.position(Kind::Dataset, &twin), Some(3));
        assert_eq!(records.position(Kind::Dataset, "no such id"), None);
        for kind in Kind::ALL {
            assert_eq!(records.count(kind), catalog.count(kind));
            assert_eq!(records.id(kind, records.count(kind)), "");
        }
        assert_eq!(records.cases(1), catalog.datasets[1].cases);
        assert!(records.dataset(catalog.datasets.len()).is_none());
    }

    #[test]
    fn an_id_index_finds_what_a_scan_finds() {
        let mut catalog = crate::synthetic::catalog(400, 5);
        let twin = catalog.researchers[2].id.clone();
        catalog.researchers[9].id = twin.clone();
        // An organisation with a researcher's id: each kind is looked up on its own.
        catalog.organizations[1].id = twin.clone();
        let scanned: &dyn Records = &catalog;
        let indexed = IdIndexed::new(scanned);
        for kind in Kind::ALL {
            assert_eq!(indexed.count(kind), scanned.count(kind));
            let mut asked: Vec<String> = (0..scanned.count(kind))
                .map(|at| scanned.id(kind, at).to_string())
                .collect();
            asked.extend([twin.clone(), "no such id".into(), String::new()]);
            for id in &asked {
                assert_eq!(
                    indexed.position(kind, id),
                    scanned.position(kind, id),
                    "{kind:?} {id}"
                );
            }
        }
        assert_eq!(indexed.position(Kind::Researcher, &twin), Some(2));
        assert_eq!(indexed.position(Kind::Organization, &twin), Some(1));
        // The cases it keeps are the records' own, and none past the last dataset.
        let datasets = scanned.count(Kind::Dataset);
        assert!(datasets > 0);
        for at in 0..=datasets {
            assert_eq!(indexed.cases(at), scanned.cases(at), "dataset {at}");
        }
    }
}
