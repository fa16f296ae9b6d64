//! The records of a snapshot at a range of positions, as a new snapshot copies them: the
//! chunks wholly inside the range as their bytes (never decoded), the records of the chunks
//! at its ends decoded. A rebuild copies the records of data files whose bytes did not change
//! this way instead of parsing the files again.

use super::{LazySection, SnapshotRecords};
use crate::chunked::decode_chunk;
use crate::model::{Kind, Record};
use crate::records::{Damaged, Records};
use serde::de::DeserializeOwned;
use std::ops::Range;

/// A piece of the records at a range, in position order.
#[derive(Debug)]
pub enum Piece<'s> {
    /// A whole chunk: `count` records from position `first`, as encoded.
    Chunk {
        first: usize,
        count: usize,
        bytes: &'s [u8],
    },
    /// Records of a chunk the range holds part of.
    Records(Vec<Record>),
}

/// The records of one chunk, decoded for a copy (see [`SnapshotRecords::pieces`]).
#[derive(Debug)]
pub struct DecodedChunk {
    kind: Kind,
    chunk: usize,
    records: Vec<Record>,
}

impl SnapshotRecords {
    /// The records of `kind` at `range` as pieces (see the module's doc); `Err` when the range
    /// is past the end or a chunk at its ends does not decode. The chunks copied whole are
    /// not checked here: they are decoded when read. `decoded` keeps the last chunk decoded
    /// for the next call (small files share chunks).
    pub fn pieces(
        &self,
        kind: Kind,
        range: Range<usize>,
        decoded: &mut Option<DecodedChunk>,
    ) -> Result<Vec<Piece<'_>>, Damaged> {
        if range.start > range.end || range.end > self.count(kind) {
            return Err(Damaged);
        }
        if range.is_empty() {
            return Ok(Vec::new());
        }
        match kind {
            Kind::Dataset => self.pieces_of(kind, &self.datasets, range, Record::Dataset, decoded),
            Kind::Researcher => {
                self.pieces_of(kind, &self.researchers, range, Record::Researcher, decoded)
            }
            Kind::Organization => self.pieces_of(
                kind,
                &self.organizations,
                range,
                Record::Organization,
                decoded,
            ),
            Kind::Proposal => {
                self.pieces_of(kind, &self.proposals, range, Record::Proposal, decoded)
            }
            Kind::Need => self.pieces_of(kind, &self.needs, range, Record::Need, decoded),
        }
    }

    fn pieces_of<T: DeserializeOwned>(
        &self,
        kind: Kind,
        section: &LazySection<T>,
        range: Range<usize>,
        record: fn(T) -> Record,
        decoded: &mut Option<DecodedChunk>,
    ) -> Result<Vec<Piece<'_>>, Damaged> {
        let mut pieces = Vec::new();
        let chunks = &section.map.chunks;
        let first_chunk = chunks.partition_point(|c| c.first + c.count <= range.start);
        for (number, chunk) in chunks
            .iter()
            .enumerate()
            .skip(first_chunk)
            .take_while(|(_, c)| c.first < range.end)
        {
            let bytes = self.bytes.get(chunk.start..chunk.end).ok_or(Damaged)?;
            let end = chunk.first + chunk.count;
            if range.start <= chunk.first && end <= range.end {
                pieces.push(Piece::Chunk {
                    first: chunk.first,
                    count: chunk.count,
                    bytes,
                });
            } else {
                let known = decoded
                    .as_ref()
                    .is_some_and(|d| d.kind == kind && d.chunk == number);
                if !known {
                    let items: Vec<T> = decode_chunk(bytes, chunk.count).ok_or(Damaged)?;
                    *decoded = Some(DecodedChunk {
                        kind,
                        chunk: number,
                        records: items.into_iter().map(record).collect(),
                    });
                }
                let from = range.start.saturating_sub(chunk.first);
                let to = range.end.min(end) - chunk.first;
                let records = decoded.as_ref().map_or(&[][..], |d| &d.records[..]);
                pieces.push(Piece::Records(
                    records.get(from..to).ok_or(Damaged)?.to_vec(),
                ));
            }
        }
        Ok(pieces)
    }

    /// Lets go of the memory of the bytes a copy read through (see [`super::SnapshotBytes`]).
    pub fn release_pieces(&self, pieces: &[Piece<'_>]) {
        for piece in pieces {
            if let Piece::Chunk { bytes, .. } = piece {
                let start = bytes.as_ptr() as usize - self.bytes.as_ptr() as usize;
                self.bytes.release(start..start + bytes.len());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_hold_the_records_of_the_range_in_order() {
        let catalog = crate::synthetic::catalog(6_000, 3);
        let mut bytes = Vec::new();
        super::super::write(&catalog, &mut bytes).expect("written");
        let snapshot =
            SnapshotRecords::open(Box::new(bytes), Box::new(|| None)).expect("a snapshot");
        let total = catalog.datasets.len();
        assert!(total > 3 * super::super::RECORDS_PER_CHUNK, "{total}");
        // One chunk decoded kept from range to range, as a spool keeps it from file to file.
        let mut decoded = None;
        for range in [
            0..total,
            5..1_200,
            512..1_024,
            100..101,
            101..140,
            700..700,
            1_000..total,
        ] {
            let pieces = snapshot
                .pieces(Kind::Dataset, range.clone(), &mut decoded)
                .expect("pieces");
            let mut records = Vec::new();
            for piece in pieces {
                match piece {
                    Piece::Chunk {
                        first,
                        count,
                        bytes,
                    } => {
                        assert_eq!(first, range.start + records.len());
                        let items: Vec<crate::model::Dataset> =
                            decode_chunk(bytes, count).expect("a whole chunk");
                        records.extend(items);
                    }
                    Piece::Records(partial) => {
                        for record in partial {
                            match record {
                                Record::Dataset(d) => records.push(d),
                                other => panic!("not a dataset: {}", other.id()),
                            }
                        }
                    }
                }
            }
            assert!(records == catalog.datasets[range.clone()], "{range:?}");
        }
        assert!(snapshot
            .pieces(Kind::Dataset, 0..total + 1, &mut decoded)
            .is_err());
    }
}
