//! The catalog snapshot an index generation keeps beside its index: every record, so that a
//! command which needs them need not read and check the data files again. Binary chunks
//! (see [`crate::chunked`]) that decode on every core when read whole ([`read`]), or one at a
//! time as their records are asked for ([`SnapshotRecords`]: a match reads a handful of
//! records, not a million), or a batch at a time for reading every record once
//! ([`RecordBatches`]). An index build writes it as the records are read ([`Spool`]), then
//! makes the index, the match candidates and the history from it a batch at a time. A
//! snapshot of another format or a damaged one reads as `None`, and the caller reads the data
//! files instead.
//!
//! Layout: the format tag; the facts (every record's id, each dataset's cases, each
//! proposal's status and forums sought: what a match reads of every candidate), as one
//! length-prefixed postcard value; then one section per kind.

mod pieces;
mod spool;

pub use pieces::{DecodedChunk, Piece};
pub use spool::Spool;

use crate::chunked::{decode_chunk, read_section, write_section_in, ChunkAt, SectionMap};
use crate::model::{Catalog, Dataset, Kind, Need, Organization, Proposal, Record, Researcher};
use crate::records::{Damaged, ProposalFacts, RecordBatches, Records};
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::io::{self, Write};
use std::ops::{Deref, Range};
use std::sync::OnceLock;

/// Changes whenever the snapshot's layout or a record's fields do.
const FORMAT: &[u8; 8] = b"mscat002";

/// Records per chunk: small enough that reading one record decodes few others.
const RECORDS_PER_CHUNK: usize = 512;

/// Chunks decoded together (on every core) into one batch of [`RecordBatches`]: 16,384
/// records, the batch the match candidates are profiled in.
const CHUNKS_PER_BATCH: usize = 32;

/// The sections in the order they are written.
const SECTIONS: [Kind; 5] = [
    Kind::Dataset,
    Kind::Researcher,
    Kind::Organization,
    Kind::Proposal,
    Kind::Need,
];

/// The ids of one kind in one buffer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Ids {
    /// Where each id ends in `text`.
    ends: Vec<u64>,
    text: String,
}

impl Ids {
    fn of<'s>(ids: impl Iterator<Item = &'s str>) -> Ids {
        let mut out = Ids::default();
        for id in ids {
            out.push(id);
        }
        out
    }

    fn push(&mut self, id: &str) {
        self.text.push_str(id);
        self.ends.push(self.text.len() as u64);
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get(&self, at: usize) -> &str {
        let start = match at {
            0 => 0,
            _ => self.ends.get(at - 1).copied().unwrap_or(0),
        };
        let end = self.ends.get(at).copied().unwrap_or(start);
        self.text.get(start as usize..end as usize).unwrap_or("")
    }

    /// True when the ends rise within the text, each on a character boundary.
    fn is_sound(&self) -> bool {
        let mut last = 0u64;
        self.ends.iter().all(|&end| {
            let sound = end >= last
                && (end as usize) <= self.text.len()
                && self.text.is_char_boundary(end as usize);
            last = end;
            sound
        })
    }
}

/// What a match reads of every record, stored ahead of the records.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Facts {
    /// Per section, in [`SECTIONS`] order.
    ids: Vec<Ids>,
    cases: Vec<u64>,
    proposals: Vec<ProposalFacts>,
}

impl Facts {
    fn of(catalog: &Catalog) -> Facts {
        let records: &dyn Records = catalog;
        Facts {
            ids: SECTIONS
                .iter()
                .map(|&kind| Ids::of((0..records.count(kind)).map(|at| records.id(kind, at))))
                .collect(),
            cases: catalog.datasets.iter().map(|d| d.cases).collect(),
            proposals: catalog.proposals.iter().map(ProposalFacts::of).collect(),
        }
    }

    /// True when there are facts for every record of sections holding `totals` records (in
    /// [`SECTIONS`] order).
    fn fit(&self, totals: &[usize]) -> bool {
        self.ids.iter().map(Ids::len).eq(totals.iter().copied())
            && totals.first() == Some(&self.cases.len())
            && totals.get(3) == Some(&self.proposals.len())
    }
}

/// Writes every record: the facts, then kind by kind.
pub fn write(catalog: &Catalog, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(FORMAT)?;
    let facts = postcard::to_stdvec(&Facts::of(catalog)).map_err(io::Error::other)?;
    out.write_all(&(facts.len() as u64).to_le_bytes())?;
    out.write_all(&facts)?;
    write_section_in(out, &catalog.datasets, RECORDS_PER_CHUNK)?;
    write_section_in(out, &catalog.researchers, RECORDS_PER_CHUNK)?;
    write_section_in(out, &catalog.organizations, RECORDS_PER_CHUNK)?;
    write_section_in(out, &catalog.proposals, RECORDS_PER_CHUNK)?;
    write_section_in(out, &catalog.needs, RECORDS_PER_CHUNK)
}

/// The facts after the format tag, and where the sections start.
fn read_facts(bytes: &[u8]) -> Option<(Facts, usize)> {
    let rest = bytes.strip_prefix(FORMAT.as_slice())?;
    let (length, rest) = rest.split_first_chunk::<8>()?;
    let length = usize::try_from(u64::from_le_bytes(*length)).ok()?;
    let encoded = rest.get(..length)?;
    let facts: Facts = postcard::from_bytes(encoded).ok()?;
    let sound = facts.ids.len() == SECTIONS.len() && facts.ids.iter().all(Ids::is_sound);
    sound.then_some((facts, FORMAT.len() + 8 + length))
}

/// Reads what [`write`] wrote; `None` unless the bytes are exactly one snapshot of this format.
pub fn read(bytes: &[u8]) -> Option<Catalog> {
    let (facts, start) = read_facts(bytes)?;
    let mut rest = &bytes[start..];
    let catalog = Catalog {
        datasets: read_section(&mut rest)?,
        researchers: read_section(&mut rest)?,
        organizations: read_section(&mut rest)?,
        proposals: read_section(&mut rest)?,
        needs: read_section(&mut rest)?,
    };
    let totals = SECTIONS.map(|kind| catalog.count(kind));
    (rest.is_empty() && facts.fit(&totals)).then_some(catalog)
}

/// One section's records, each chunk decoded the first time one of its records is asked for.
struct LazySection<T> {
    map: SectionMap,
    decoded: Vec<OnceLock<Option<Vec<T>>>>,
}

impl<T: DeserializeOwned> LazySection<T> {
    fn new(map: SectionMap) -> LazySection<T> {
        let decoded = map.chunks.iter().map(|_| OnceLock::new()).collect();
        LazySection { map, decoded }
    }

    /// Record `at`; `None` past the end or when its chunk does not decode.
    fn get(&self, bytes: &[u8], at: usize) -> Option<&T> {
        let c = self.map.chunk_of(at)?;
        let chunk = self.map.chunks[c];
        let items = self.decoded[c]
            .get_or_init(|| decode_chunk(bytes.get(chunk.start..chunk.end)?, chunk.count))
            .as_ref()?;
        items.get(at - chunk.first)
    }
}

/// The bytes of a snapshot, and a way to let go of the memory of a range read through.
pub trait SnapshotBytes: Deref<Target = [u8]> + Send + Sync {
    /// Called once a batch of [`RecordBatches`] was handed over: its bytes will not be read
    /// again soon. Nothing by default.
    fn release(&self, _range: Range<usize>) {}

    /// The little-endian number in the 8 bytes at `at`.
    fn u64_at(&self, at: usize) -> Option<u64> {
        crate::chunked::u64_in(self, at)
    }
}

impl SnapshotBytes for Vec<u8> {}

impl SnapshotBytes for crate::mapped::FileBytes {
    fn release(&self, range: Range<usize>) {
        crate::mapped::FileBytes::release(self, range);
    }

    fn u64_at(&self, at: usize) -> Option<u64> {
        crate::mapped::FileBytes::u64_at(self, at)
    }
}

/// Where the records come from when a chunk of the snapshot does not decode.
pub type Fallback = Box<dyn Fn() -> Option<Catalog> + Send + Sync>;

/// The records of a snapshot, read in place: the facts at once, each chunk of records when
/// one of its records is first asked for. Should a chunk not decode (a snapshot damaged after
/// it was opened), the records are read whole from where the fallback finds them (the data
/// files, which hold the same records while the index is current).
pub struct SnapshotRecords {
    bytes: Box<dyn SnapshotBytes>,
    facts: Facts,
    datasets: LazySection<Dataset>,
    researchers: LazySection<Researcher>,
    organizations: LazySection<Organization>,
    proposals: LazySection<Proposal>,
    needs: LazySection<Need>,
    fallback: Fallback,
    read_whole: OnceLock<Option<Catalog>>,
}

impl SnapshotRecords {
    /// Opens a snapshot without decoding its records; `None` unless the bytes hold one whole
    /// snapshot of this format whose sections agree with its facts.
    pub fn open(bytes: Box<dyn SnapshotBytes>, fallback: Fallback) -> Option<SnapshotRecords> {
        let (facts, mut at) = read_facts(&bytes)?;
        // The facts are decoded: their pages may go.
        bytes.release(0..at);
        let mut maps = Vec::with_capacity(SECTIONS.len());
        for _ in SECTIONS {
            let u64_at = |at| bytes.u64_at(at);
            maps.push(SectionMap::find_in(bytes.len(), &u64_at, &mut at)?);
        }
        let totals: Vec<usize> = maps.iter().map(|m| m.total).collect();
        if at != bytes.len() || !facts.fit(&totals) {
            return None;
        }
        let mut maps = maps.into_iter();
        let mut next = || {
            maps.next().unwrap_or(SectionMap {
                total: 0,
                chunks: Vec::new(),
            })
        };
        Some(SnapshotRecords {
            datasets: LazySection::new(next()),
            researchers: LazySection::new(next()),
            organizations: LazySection::new(next()),
            proposals: LazySection::new(next()),
            needs: LazySection::new(next()),
            bytes,
            facts,
            fallback,
            read_whole: OnceLock::new(),
        })
    }

    fn section_ids(&self, kind: Kind) -> Option<&Ids> {
        let at = SECTIONS.iter().position(|k| *k == kind)?;
        self.facts.ids.get(at)
    }

    /// Record `at` of a section, from the snapshot or, should its chunk not decode, from the
    /// records read whole.
    fn record<'s, T: DeserializeOwned>(
        &'s self,
        kind: Kind,
        section: &'s LazySection<T>,
        whole: impl Fn(&'s Catalog) -> &'s [T],
        at: usize,
    ) -> Option<&'s T> {
        if at >= self.count(kind) {
            return None;
        }
        section.get(&self.bytes, at).or_else(|| {
            let catalog = self.read_whole.get_or_init(|| (self.fallback)()).as_ref()?;
            whole(catalog).get(at)
        })
    }
}

/// Told each batch of chunks decoded, with their records.
type BatchOfChunks<'e, T> = dyn FnMut(&[ChunkAt], Vec<Vec<T>>) + 'e;

impl SnapshotRecords {
    /// Decodes `chunks` (of one section, in order) a batch at a time, each batch on every
    /// core, hands each over with its chunks and drops it: reading every record holds one
    /// batch at a time.
    fn decoded_batches<T: DeserializeOwned + Send>(
        &self,
        chunks: &[ChunkAt],
        each: &mut BatchOfChunks<'_, T>,
    ) -> Result<(), Damaged> {
        for group in chunks.chunks(CHUNKS_PER_BATCH) {
            let decoded: Vec<Vec<T>> = group
                .par_iter()
                .map(|c| decode_chunk(self.bytes.get(c.start..c.end)?, c.count))
                .collect::<Option<_>>()
                .ok_or(Damaged)?;
            each(group, decoded);
            for chunk in group {
                self.bytes.release(chunk.start..chunk.end);
            }
        }
        Ok(())
    }

    /// Hands over a section's records a batch at a time (see [`Self::decoded_batches`]).
    fn batches<T: DeserializeOwned + Send>(
        &self,
        section: &LazySection<T>,
        each: &mut dyn FnMut(&[T]),
    ) -> Result<(), Damaged> {
        self.decoded_batches(&section.map.chunks, &mut |_, decoded: Vec<Vec<T>>| {
            let batch: Vec<T> = decoded.into_iter().flatten().collect();
            each(&batch);
        })
    }

    /// [`RecordBatches::each_record_in`] for one section: only the chunks the ranges reach
    /// are decoded.
    fn records_in<T: DeserializeOwned + Send>(
        &self,
        section: &LazySection<T>,
        ranges: &[Range<usize>],
        record: fn(T) -> Record,
        each: &mut dyn FnMut(usize, Record),
    ) -> Result<(), Damaged> {
        let reached: Vec<ChunkAt> = section
            .map
            .chunks
            .iter()
            .filter(|c| crate::records::reaches(ranges, &(c.first..c.first + c.count)))
            .copied()
            .collect();
        self.decoded_batches(&reached, &mut |group, decoded: Vec<Vec<T>>| {
            for (chunk, items) in group.iter().zip(decoded) {
                for (at, item) in (chunk.first..).zip(items) {
                    if crate::records::in_ranges(ranges, at) {
                        each(at, record(item));
                    }
                }
            }
        })
    }
}

impl RecordBatches for SnapshotRecords {
    fn datasets(&self, each: &mut dyn FnMut(&[Dataset])) -> Result<(), Damaged> {
        self.batches(&self.datasets, each)
    }

    fn researchers(&self, each: &mut dyn FnMut(&[Researcher])) -> Result<(), Damaged> {
        self.batches(&self.researchers, each)
    }

    fn organizations(&self, each: &mut dyn FnMut(&[Organization])) -> Result<(), Damaged> {
        self.batches(&self.organizations, each)
    }

    fn proposals(&self, each: &mut dyn FnMut(&[Proposal])) -> Result<(), Damaged> {
        self.batches(&self.proposals, each)
    }

    fn needs(&self, each: &mut dyn FnMut(&[Need])) -> Result<(), Damaged> {
        self.batches(&self.needs, each)
    }

    fn each_record_in(
        &self,
        kind: Kind,
        ranges: &[Range<usize>],
        each: &mut dyn FnMut(usize, Record),
    ) -> Result<(), Damaged> {
        match kind {
            Kind::Dataset => self.records_in(&self.datasets, ranges, Record::Dataset, each),
            Kind::Researcher => {
                self.records_in(&self.researchers, ranges, Record::Researcher, each)
            }
            Kind::Organization => {
                self.records_in(&self.organizations, ranges, Record::Organization, each)
            }
            Kind::Proposal => self.records_in(&self.proposals, ranges, Record::Proposal, each),
            Kind::Need => self.records_in(&self.needs, ranges, Record::Need, each),
        }
    }
}

impl Records for SnapshotRecords {
    fn count(&self, kind: Kind) -> usize {
        self.section_ids(kind).map_or(0, Ids::len)
    }

    fn id(&self, kind: Kind, at: usize) -> &str {
        self.section_ids(kind).map_or("", |ids| ids.get(at))
    }

    fn cases(&self, at: usize) -> u64 {
        self.facts.cases.get(at).copied().unwrap_or(0)
    }

    fn proposal_facts(&self, at: usize) -> Option<ProposalFacts> {
        self.facts.proposals.get(at).copied()
    }

    fn dataset(&self, at: usize) -> Option<&Dataset> {
        self.record(Kind::Dataset, &self.datasets, |c| &c.datasets, at)
    }

    fn researcher(&self, at: usize) -> Option<&Researcher> {
        self.record(Kind::Researcher, &self.researchers, |c| &c.researchers, at)
    }

    fn organization(&self, at: usize) -> Option<&Organization> {
        self.record(
            Kind::Organization,
            &self.organizations,
            |c| &c.organizations,
            at,
        )
    }

    fn proposal(&self, at: usize) -> Option<&Proposal> {
        self.record(Kind::Proposal, &self.proposals, |c| &c.proposals, at)
    }

    fn need(&self, at: usize) -> Option<&Need> {
        self.record(Kind::Need, &self.needs, |c| &c.needs, at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes_of(catalog: &Catalog) -> Vec<u8> {
        let mut bytes = Vec::new();
        write(catalog, &mut bytes).expect("written to memory");
        bytes
    }

    fn no_fallback() -> Fallback {
        Box::new(|| None)
    }

    #[test]
    fn a_catalog_reads_back_whole_unknown_fields_included() {
        let mut catalog = crate::synthetic::catalog(3_000, 7);
        catalog.datasets[0].extra.insert(
            "title_en".into(),
            serde_json::json!({"nested": [1, "二", null], "deep": {"x": true}}),
        );
        assert_eq!(read(&bytes_of(&catalog)), Some(catalog));
    }

    #[test]
    fn another_format_or_a_damaged_snapshot_reads_as_none() {
        let catalog = crate::synthetic::catalog(500, 3);
        let bytes = bytes_of(&catalog);
        assert_eq!(read(b"{\"datasets\": []}"), None);
        assert_eq!(read(&bytes[..bytes.len() / 2]), None);
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(read(&longer), None);
        assert!(SnapshotRecords::open(Box::new(longer), no_fallback()).is_none());
        assert!(
            SnapshotRecords::open(Box::new(bytes[..bytes.len() - 1].to_vec()), no_fallback())
                .is_none()
        );
    }

    #[test]
    fn records_read_in_place_are_the_catalogs_record_for_record() {
        let mut catalog = crate::synthetic::catalog(4_000, 11);
        catalog.proposals[2].seeking = vec![crate::model::Forum::Industry];
        catalog.proposals[2].status = Some(crate::model::ProposalStatus::Closed);
        catalog.researchers[5].id = "R-膵がん".into();
        let lazy = SnapshotRecords::open(Box::new(bytes_of(&catalog)), no_fallback())
            .expect("a whole snapshot");
        let whole: &dyn Records = &catalog;
        let lazy: &dyn Records = &lazy;
        // Read backwards and forwards, so chunks are decoded out of order.
        for kind in Kind::ALL {
            assert_eq!(lazy.count(kind), whole.count(kind), "{kind:?}");
            for at in (0..whole.count(kind)).rev().chain(0..whole.count(kind)) {
                assert_eq!(lazy.id(kind, at), whole.id(kind, at));
            }
            assert_eq!(lazy.id(kind, whole.count(kind)), "");
        }
        for at in 0..catalog.datasets.len() {
            assert_eq!(lazy.dataset(at), whole.dataset(at));
            assert_eq!(lazy.cases(at), whole.cases(at));
        }
        for at in 0..catalog.proposals.len() {
            assert_eq!(lazy.proposal(at), whole.proposal(at));
            assert_eq!(lazy.proposal_facts(at), whole.proposal_facts(at));
        }
        for at in (0..catalog.researchers.len()).rev() {
            assert_eq!(lazy.researcher(at), whole.researcher(at));
        }
        for at in 0..catalog.organizations.len() {
            assert_eq!(lazy.organization(at), whole.organization(at));
        }
        for at in 0..catalog.needs.len() {
            assert_eq!(lazy.need(at), whole.need(at));
        }
        assert!(lazy.need(catalog.needs.len()).is_none());
        assert_eq!(lazy.position(Kind::Researcher, "R-膵がん"), Some(5));
    }

    #[test]
    fn batches_hand_over_every_record_in_order_and_a_damaged_one_is_an_error() {
        // Over one batch of datasets (16,384 records), so they come in two.
        let catalog = crate::synthetic::catalog(50_000, 4);
        assert!(catalog.datasets.len() > RECORDS_PER_CHUNK * CHUNKS_PER_BATCH);
        let bytes = bytes_of(&catalog);
        let records = SnapshotRecords::open(Box::new(bytes.clone()), no_fallback())
            .expect("a whole snapshot");
        let batches: &dyn RecordBatches = &records;
        let mut sizes = Vec::new();
        let mut datasets = Vec::new();
        batches
            .datasets(&mut |batch| {
                sizes.push(batch.len());
                datasets.extend_from_slice(batch);
            })
            .expect("decodes");
        assert_eq!(datasets, catalog.datasets);
        assert_eq!(sizes[0], RECORDS_PER_CHUNK * CHUNKS_PER_BATCH);
        assert_eq!(sizes.len(), 2);
        let mut all = Vec::new();
        batches.each_record(&mut |r| all.push(r)).expect("decodes");
        assert!(all.into_iter().eq(catalog.records()));

        let (_, start) = read_facts(&bytes).expect("facts");
        let mut at = start;
        let map = SectionMap::find(&bytes, &mut at).expect("datasets");
        let mut damaged = bytes;
        let last = map.chunks[map.chunks.len() - 1];
        for b in &mut damaged[last.start..last.end] {
            *b = 0xff;
        }
        let records = SnapshotRecords::open(Box::new(damaged), no_fallback()).expect("whole");
        let mut handed = 0;
        let batches: &dyn RecordBatches = &records;
        assert_eq!(
            batches.datasets(&mut |batch| handed += batch.len()),
            Err(Damaged)
        );
        assert_eq!(handed, RECORDS_PER_CHUNK * CHUNKS_PER_BATCH);
    }

    #[test]
    fn records_at_ranges_are_those_a_catalog_gives_and_other_chunks_are_not_decoded() {
        let catalog = crate::synthetic::catalog(12_000, 6);
        let mut bytes = bytes_of(&catalog);
        let chunk = RECORDS_PER_CHUNK;
        // Within one chunk, across two, a whole one, the last record; empty ones between.
        let ranges = [
            3..9,
            9..9,
            chunk - 2..chunk + 5,
            3 * chunk..4 * chunk,
            catalog.datasets.len() - 1..catalog.datasets.len(),
        ];
        // Damage a chunk no range reaches: it is never decoded.
        let (_, start) = read_facts(&bytes).expect("facts");
        let mut at = start;
        let map = SectionMap::find(&bytes, &mut at).expect("datasets");
        let unread = map.chunks[5];
        assert!(!crate::records::reaches(
            &ranges,
            &(unread.first..unread.first + unread.count)
        ));
        for b in &mut bytes[unread.start..unread.end] {
            *b = 0xff;
        }
        let snapshot = SnapshotRecords::open(Box::new(bytes), no_fallback()).expect("whole");
        let walk = |records: &dyn RecordBatches, kind: Kind| {
            let mut walked = Vec::new();
            records
                .each_record_in(kind, &ranges, &mut |at, record| walked.push((at, record)))
                .map(|()| walked)
        };
        let from_snapshot = walk(&snapshot, Kind::Dataset).expect("the chunks reached decode");
        assert!(from_snapshot == walk(&catalog, Kind::Dataset).expect("in memory"));
        assert_eq!(from_snapshot.len(), 6 + 7 + chunk + 1);
        let needs = [0..2, 700..701];
        let mut walked = Vec::new();
        let records: &dyn RecordBatches = &snapshot;
        records
            .each_record_in(Kind::Need, &needs, &mut |at, r| {
                walked.push((at, r.id().to_string()))
            })
            .expect("decodes");
        let expected: Vec<(usize, String)> = [0, 1, 700]
            .into_iter()
            .map(|at| (at, catalog.needs[at].id.clone()))
            .collect();
        assert_eq!(walked, expected);
        assert_eq!(
            records.each_record_in(
                Kind::Dataset,
                &[0..1, unread.first..unread.first + 1],
                &mut |_, _| {}
            ),
            Err(Damaged)
        );
    }

    #[test]
    fn a_chunk_that_does_not_decode_is_read_from_the_fallback() {
        let catalog = crate::synthetic::catalog(3_000, 2);
        let mut bytes = bytes_of(&catalog);
        let (_, start) = read_facts(&bytes).expect("facts");
        let mut at = start;
        let map = SectionMap::find(&bytes, &mut at).expect("datasets");
        // Damage the second chunk of datasets: its bytes no longer decode as records.
        let chunk = map.chunks[1];
        for b in &mut bytes[chunk.start..chunk.end] {
            *b = 0xff;
        }
        let copy = catalog.clone();
        let lazy = SnapshotRecords::open(
            Box::new(bytes.clone()),
            Box::new(move || Some(copy.clone())),
        )
        .expect("the structure is whole");
        let first_of_second = chunk.first;
        assert_eq!(lazy.dataset(0), catalog.datasets.first());
        assert_eq!(
            lazy.dataset(first_of_second),
            catalog.datasets.get(first_of_second)
        );
        let without = SnapshotRecords::open(Box::new(bytes), no_fallback()).expect("whole");
        assert_eq!(without.dataset(first_of_second), None);
        assert_eq!(without.dataset(0), catalog.datasets.first());
    }
}
