//! A catalog snapshot written as the records are read, without ever holding them: each record
//! is encoded into its kind's open chunk as it comes, each full chunk goes to a spool file of
//! its kind (an unnamed temporary file beside the snapshot, gone when closed, even after
//! `kill -9`), and [`Spool::finish`] puts the format tag, the facts and the
//! spooled sections together. The bytes are exactly those [`super::write`] writes for the
//! same records in the same order.

use super::{
    DecodedChunk, Facts, Ids, Piece, SnapshotRecords, FORMAT, RECORDS_PER_CHUNK, SECTIONS,
};
use crate::chunked::write_chunk;
use crate::load::KeepRecords;
use crate::model::{Kind, Record};
use crate::records::{ProposalFacts, Records};
use serde::Serialize;
use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::Path;

/// One kind's spooled chunks.
struct Section {
    file: BufWriter<File>,
    /// The records of the open chunk, encoded one after another.
    open: Vec<u8>,
    in_open: usize,
    total: usize,
}

impl Section {
    fn create(dir: &Path) -> io::Result<Section> {
        // Owner-only, like the snapshot.
        let file = tempfile::tempfile_in(dir)?;
        Ok(Section {
            file: BufWriter::with_capacity(1 << 20, file),
            open: Vec::new(),
            in_open: 0,
            total: 0,
        })
    }

    fn add<T: Serialize>(&mut self, record: &T) -> io::Result<()> {
        self.open = postcard::to_extend(record, std::mem::take(&mut self.open))
            .map_err(io::Error::other)?;
        self.in_open += 1;
        self.total += 1;
        if self.in_open == RECORDS_PER_CHUNK {
            self.close_chunk()?;
        }
        Ok(())
    }

    /// Adds a whole chunk as encoded, after the open one (closed short).
    fn add_chunk(&mut self, count: usize, bytes: &[u8]) -> io::Result<()> {
        self.close_chunk()?;
        write_chunk(&mut self.file, count, bytes)?;
        self.total += count;
        Ok(())
    }

    fn close_chunk(&mut self) -> io::Result<()> {
        if self.in_open > 0 {
            write_chunk(&mut self.file, self.in_open, &self.open)?;
            self.open.clear();
            self.in_open = 0;
        }
        Ok(())
    }

    /// Writes the section (its total, then its chunks) to the end of `out`: file to file, so
    /// that the kernel copies the bytes (`copy_file_range` on Linux) without reading them
    /// into this process.
    fn copy_to(&mut self, out: &mut File) -> io::Result<()> {
        self.close_chunk()?;
        self.file.flush()?;
        out.write_all(&(self.total as u64).to_le_bytes())?;
        let spooled = self.file.get_mut();
        spooled.seek(SeekFrom::Start(0))?;
        io::copy(spooled, out)?;
        Ok(())
    }
}

/// A snapshot being written as records are kept (see the module's doc).
pub struct Spool {
    /// In [`SECTIONS`] order.
    sections: Vec<Section>,
    facts: Facts,
    /// Records handed over, spooled or not.
    kept: usize,
    /// The first error writing a spool file: kept until [`Spool::finish`] reports it.
    failed: Option<io::Error>,
    /// An earlier snapshot whose records may be copied (see [`Spool::reusing`]).
    earlier: Option<SnapshotRecords>,
    /// Its chunk decoded last (the next file taken over may start in it).
    decoded: Option<DecodedChunk>,
}

impl Spool {
    /// Starts a snapshot whose spool files go in `dir`.
    pub fn create(dir: &Path) -> io::Result<Spool> {
        let sections = SECTIONS
            .iter()
            .map(|_| Section::create(dir))
            .collect::<io::Result<Vec<_>>>()?;
        Ok(Spool {
            sections,
            facts: Facts {
                ids: SECTIONS.iter().map(|_| Ids::default()).collect(),
                cases: Vec::new(),
                proposals: Vec::new(),
            },
            kept: 0,
            failed: None,
            earlier: None,
            decoded: None,
        })
    }

    /// Starts a snapshot that copies the records of `earlier` a load takes over (see
    /// [`KeepRecords::keep_earlier`]): the chunks they fill whole as they are, so that the
    /// records need not be read or encoded again. The chunks at a run's ends are written
    /// short, so the bytes differ from a snapshot written from scratch, not the records.
    pub fn reusing(dir: &Path, earlier: SnapshotRecords) -> io::Result<Spool> {
        let mut spool = Spool::create(dir)?;
        spool.earlier = Some(earlier);
        Ok(spool)
    }

    /// How many records were kept.
    pub fn len(&self) -> usize {
        self.sections.iter().map(|s| s.total).sum()
    }

    /// True when no record was kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn add(&mut self, record: &Record) -> io::Result<()> {
        let kind = record.kind();
        let at = SECTIONS.iter().position(|k| *k == kind).unwrap_or(0);
        if let Some(ids) = self.facts.ids.get_mut(at) {
            ids.push(record.id());
        }
        let section = &mut self.sections[at];
        match record {
            Record::Dataset(d) => {
                self.facts.cases.push(d.cases);
                section.add(d)
            }
            Record::Researcher(r) => section.add(r),
            Record::Organization(o) => section.add(o),
            Record::Proposal(p) => {
                self.facts.proposals.push(ProposalFacts::of(p));
                section.add(p)
            }
            Record::Need(n) => section.add(n),
        }
    }

    /// Writes the whole snapshot to `path` (owner-only: it holds every contact detail), or
    /// the first error met while spooling.
    pub fn finish(mut self, path: &Path) -> io::Result<()> {
        if let Some(failed) = self.failed.take() {
            return Err(failed);
        }
        let facts = postcard::to_stdvec(&self.facts).map_err(io::Error::other)?;
        let sections = &mut self.sections;
        crate::export::write_atomically_with(path, true, |file| {
            let mut out = BufWriter::with_capacity(1 << 20, &mut *file);
            out.write_all(FORMAT)?;
            out.write_all(&(facts.len() as u64).to_le_bytes())?;
            out.write_all(&facts)?;
            out.flush()?;
            drop(out);
            for section in sections.iter_mut() {
                section.copy_to(file)?;
            }
            Ok(())
        })
    }
}

impl KeepRecords for Spool {
    fn keep(&mut self, record: Record) {
        self.kept += 1;
        if self.failed.is_none() {
            if let Err(e) = self.add(&record) {
                self.failed = Some(e);
            }
        }
    }

    fn kept_none(&self) -> bool {
        self.kept == 0
    }

    fn keep_earlier(&mut self, kind: Kind, range: Range<usize>, ids: &mut dyn FnMut(&str)) -> bool {
        let Some(earlier) = self.earlier.take() else {
            return false;
        };
        let copied = match earlier.pieces(kind, range.clone(), &mut self.decoded) {
            Ok(pieces) => {
                for at in range.clone() {
                    ids(earlier.id(kind, at));
                }
                self.kept += range.len();
                if self.failed.is_none() {
                    if let Err(e) = self.copy(&earlier, kind, &pieces) {
                        self.failed = Some(e);
                    }
                }
                earlier.release_pieces(&pieces);
                true
            }
            Err(_) => false,
        };
        self.earlier = Some(earlier);
        copied
    }
}

impl Spool {
    /// Adds the pieces of `earlier`'s records of `kind`, with their facts.
    fn copy(
        &mut self,
        earlier: &SnapshotRecords,
        kind: Kind,
        pieces: &[Piece<'_>],
    ) -> io::Result<()> {
        let at = SECTIONS.iter().position(|k| *k == kind).unwrap_or(0);
        for piece in pieces {
            match piece {
                Piece::Records(records) => {
                    for record in records {
                        self.add(record)?;
                    }
                }
                Piece::Chunk {
                    first,
                    count,
                    bytes,
                } => {
                    for position in *first..first + count {
                        if let Some(ids) = self.facts.ids.get_mut(at) {
                            ids.push(earlier.id(kind, position));
                        }
                        match kind {
                            Kind::Dataset => self.facts.cases.push(earlier.cases(position)),
                            Kind::Proposal => self.facts.proposals.push(
                                earlier
                                    .proposal_facts(position)
                                    .ok_or_else(|| io::Error::other("a proposal without facts"))?,
                            ),
                            _ => {}
                        }
                    }
                    self.sections[at].add_chunk(*count, bytes)?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Catalog;

    /// Keeps a catalog's records interleaved across kinds, as data files may hold them.
    fn spooled(catalog: &Catalog, dir: &Path) -> Vec<u8> {
        let mut spool = Spool::create(dir).expect("spool files");
        let mut all: Vec<Vec<Record>> = vec![
            catalog
                .datasets
                .iter()
                .cloned()
                .map(Record::Dataset)
                .collect(),
            catalog
                .researchers
                .iter()
                .cloned()
                .map(Record::Researcher)
                .collect(),
            catalog
                .organizations
                .iter()
                .cloned()
                .map(Record::Organization)
                .collect(),
            catalog
                .proposals
                .iter()
                .cloned()
                .map(Record::Proposal)
                .collect(),
            catalog.needs.iter().cloned().map(Record::Need).collect(),
        ];
        for list in &mut all {
            list.reverse();
        }
        while all.iter().any(|l| !l.is_empty()) {
            for list in &mut all {
                if let Some(record) = list.pop() {
                    spool.keep(record);
                }
            }
        }
        assert_eq!(spool.len(), catalog.len());
        let path = dir.join("catalog.bin");
        spool.finish(&path).expect("written");
        std::fs::read(&path).expect("read back")
    }

    #[test]
    fn a_spooled_snapshot_is_byte_for_byte_the_one_written_whole() {
        let dir = tempfile::tempdir().expect("temp dir");
        // Over a chunk of every kind, and a partial chunk at the end of each.
        let catalog = crate::synthetic::catalog(RECORDS_PER_CHUNK * 9 + 13, 5);
        let mut whole = Vec::new();
        super::super::write(&catalog, &mut whole).expect("written to memory");
        assert_eq!(spooled(&catalog, dir.path()), whole);
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("listed")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["catalog.bin"], "no spool file is left");
    }

    #[test]
    fn an_empty_spool_is_an_empty_snapshot() {
        let dir = tempfile::tempdir().expect("temp dir");
        let catalog = Catalog::default();
        let mut whole = Vec::new();
        super::super::write(&catalog, &mut whole).expect("written to memory");
        assert_eq!(spooled(&catalog, dir.path()), whole);
        assert_eq!(super::super::read(&whole), Some(catalog));
    }
}
