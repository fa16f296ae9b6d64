//! The index kept as segments of whole data files, so that a build after some files changed
//! indexes only theirs: a segment whose files have the same bytes as at the last build, and
//! whose records point at no one renamed since, is linked from the last generation as it is.
//!
//! Search scores stay those of a build from scratch: no document is ever deleted (a segment
//! is kept whole or left behind whole), so every count BM25 reads (documents, their terms,
//! their tokens) is a sum over live documents only. Only the order of equal scores may
//! differ, as it already did between two builds from scratch on several threads.

use super::documents::{pointed_at, Documents, Names};
use super::{analyzer, threads, Fields, IndexError, SearchIndex, WRITER_MEMORY};
use crate::load::unchanged::{run_at, runs_of};
use crate::load::FileRecords;
use crate::model::Kind;
use crate::records::RecordBatches;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use tantivy::index::SegmentId;
use tantivy::indexer::NoMergePolicy;
use tantivy::{Index, IndexWriter};

/// Small files share a segment until it holds this many records (fewer segments to search;
/// a change to one of them indexes the others again, which costs little at this size).
pub const GROUP_RECORDS: usize = 10_000;

/// Some segments of the index and the data files whose records they hold, all of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSegments {
    /// tantivy's segment ids, as [`SegmentId::uuid_string`] writes them.
    pub segments: Vec<String>,
    /// The files as they were read for the build that indexed them.
    pub files: Vec<FileRecords>,
}

/// What the last build left that this one may keep.
pub struct Previous<'p> {
    /// Its generation directory.
    pub dir: &'p Path,
    /// Its segments by file.
    pub segments: &'p [FileSegments],
    /// The names its documents gave the records they point at.
    pub names: Names,
}

/// What [`build`] made.
pub struct Built {
    pub index: SearchIndex,
    /// Every segment, by file: the kept ones first.
    pub segments: Vec<FileSegments>,
    /// The names the documents gave the records they point at (for the next build).
    pub names: Names,
    /// Records indexed now.
    pub indexed: usize,
    /// Records whose documents were kept from the last build.
    pub kept: usize,
}

/// Indexes `records`, read from `files` (in the order the load read them), into the empty
/// directory `dir`, keeping what it can of `previous`; files smaller than `group_records`
/// share segments (the index build gives [`GROUP_RECORDS`]).
pub fn build(
    dir: &Path,
    records: &dyn RecordBatches,
    lookup: &dyn super::ConceptLookup,
    files: &[FileRecords],
    previous: Option<Previous<'_>>,
    names: Option<Names>,
    group_records: usize,
) -> Result<Built, IndexError> {
    let names = match names {
        Some(names) => names,
        None => Names::of(records)?,
    };
    if let Some(previous) = &previous {
        // Whatever goes wrong while keeping (a damaged last generation, a file that cannot
        // be linked), the build starts again from nothing: keeping only ever saves time.
        let there = entries(dir)?;
        let keeping = build_keeping(dir, records, lookup, files, previous, &names, group_records);
        match keeping {
            Ok(Some(built)) => return Ok(built),
            Ok(None) => {}
            Err(e) => {
                crate::trace::note(&format!("index: nothing kept ({e})"));
                for name in entries(dir)?.difference(&there) {
                    let path = dir.join(name);
                    let removed = if path.is_dir() {
                        std::fs::remove_dir_all(&path)
                    } else {
                        std::fs::remove_file(&path)
                    };
                    removed.map_err(io_error)?;
                }
            }
        }
    }
    let index = Index::create_in_dir(dir, Fields::new().schema)?;
    index_rest(
        index,
        records,
        lookup,
        files,
        Vec::new(),
        names,
        group_records,
    )
}

/// Builds keeping what `previous` left that is still right; `None` when nothing is.
fn build_keeping(
    dir: &Path,
    records: &dyn RecordBatches,
    lookup: &dyn super::ConceptLookup,
    files: &[FileRecords],
    previous: &Previous<'_>,
    names: &Names,
    group_records: usize,
) -> Result<Option<Built>, IndexError> {
    let kept = kept_segments(previous, files, names, records)?;
    if kept.is_empty() {
        return Ok(None);
    }
    let index = link_segments(previous.dir, dir, &kept)?;
    let built = index_rest(
        index,
        records,
        lookup,
        files,
        kept,
        names.clone(),
        group_records,
    )?;
    Ok(Some(built))
}

/// The names of the entries of `dir`.
fn entries(dir: &Path) -> Result<HashSet<std::ffi::OsString>, IndexError> {
    std::fs::read_dir(dir)
        .and_then(|entries| entries.map(|e| e.map(|e| e.file_name())).collect())
        .map_err(io_error)
}

/// An I/O error as an index error.
fn io_error(e: std::io::Error) -> IndexError {
    IndexError::Tantivy(tantivy::TantivyError::from(e))
}

/// Indexes into `index` the records of every file the `kept` segments do not hold.
fn index_rest(
    index: Index,
    records: &dyn RecordBatches,
    lookup: &dyn super::ConceptLookup,
    files: &[FileRecords],
    kept: Vec<FileSegments>,
    names: Names,
    group_records: usize,
) -> Result<Built, IndexError> {
    let fields = Fields::new();
    let walk = walk_order(files);
    analyzer::register(&index);
    let kept_files: HashSet<&str> = kept
        .iter()
        .flat_map(|s| s.files.iter().map(|f| f.name.as_str()))
        .collect();
    let groups = groups(
        group_records,
        walk.iter()
            .map(|&i| &files[i])
            .filter(|f| f.records > 0 && !kept_files.contains(f.name.as_str())),
    );
    let mut documents = Documents::with_names(names, &fields, lookup);
    let mut segments = kept.clone();
    segments.extend(index_groups(
        &index,
        records,
        files,
        &groups,
        &mut documents,
    )?);
    let indexed = groups.iter().flatten().map(|f| f.records).sum();
    let kept_records = kept.iter().flat_map(|s| &s.files).map(|f| f.records).sum();
    let names = documents.into_names();
    Ok(Built {
        index: SearchIndex::from_index(index)?,
        segments,
        names,
        indexed,
        kept: kept_records,
    })
}

/// The files' places in the order records are walked: kind by kind, each kind's files in
/// the order the load read them.
fn walk_order(files: &[FileRecords]) -> Vec<usize> {
    Kind::ALL
        .iter()
        .flat_map(|&kind| (0..files.len()).filter(move |&i| files[i].kind == kind))
        .collect()
}

/// The files in `files` (walk order) as groups of segments: a file with `group_records`
/// records or more alone, smaller ones together until a group holds that many.
fn groups<'f>(
    group_records: usize,
    files: impl Iterator<Item = &'f FileRecords>,
) -> Vec<Vec<&'f FileRecords>> {
    let mut groups: Vec<Vec<&FileRecords>> = Vec::new();
    let mut open: Vec<&FileRecords> = Vec::new();
    let mut open_records = 0;
    for file in files {
        if file.records >= group_records {
            // The open group is closed first: each group's files follow one another in the
            // walk, so that a group is written by one writer, start to end.
            if !open.is_empty() {
                groups.push(std::mem::take(&mut open));
                open_records = 0;
            }
            groups.push(vec![file]);
            continue;
        }
        open.push(file);
        open_records += file.records;
        if open_records >= group_records {
            groups.push(std::mem::take(&mut open));
            open_records = 0;
        }
    }
    if !open.is_empty() {
        groups.push(open);
    }
    groups
}

/// The last build's segments this one keeps: every file of the segment read again with the
/// same bytes (and so the same records), and none of its records pointing at an id whose
/// name changed.
fn kept_segments(
    previous: &Previous<'_>,
    files: &[FileRecords],
    names: &Names,
    records: &dyn RecordBatches,
) -> Result<Vec<FileSegments>, IndexError> {
    // Files are told apart by name: two of one name (names not UTF-8, read lossily) keep
    // nothing.
    let now: HashMap<&str, &FileRecords> = files.iter().map(|f| (f.name.as_str(), f)).collect();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut twice = now.len() != files.len();
    for file in previous.segments.iter().flat_map(|s| &s.files) {
        twice |= !seen.insert(file.name.as_str());
    }
    if twice {
        return Ok(Vec::new());
    }
    let unchanged = |segment: &&FileSegments| {
        !segment.segments.is_empty()
            && segment
                .files
                .iter()
                .all(|f| now.get(f.name.as_str()) == Some(&f))
    };
    let mut kept: Vec<FileSegments> = previous
        .segments
        .iter()
        .filter(unchanged)
        .cloned()
        .collect();
    let renamed = names.changed_since(&previous.names);
    if !renamed.is_empty() && !kept.is_empty() {
        let pointing = files_pointing_at(&renamed, records, files)?;
        kept.retain(|s| !s.files.iter().any(|f| pointing.contains(&f.name)));
    }
    Ok(kept)
}

/// The files holding a record that points at one of `ids`.
fn files_pointing_at(
    ids: &HashSet<String>,
    records: &dyn RecordBatches,
    files: &[FileRecords],
) -> Result<HashSet<String>, IndexError> {
    let mut pointing = HashSet::new();
    // Only these kinds point at records (see `pointed_at`).
    for kind in [Kind::Dataset, Kind::Proposal, Kind::Need] {
        let runs = runs_of(files, kind);
        records.each_record_of(kind, &mut |at, record| {
            if pointed_at(&record).iter().any(|id| ids.contains(*id)) {
                if let Some(file) = run_at(&runs, at) {
                    pointing.insert(files[file].name.clone());
                }
            }
        })?;
    }
    Ok(pointing)
}

/// Links every file of the `kept` segments from `from` into `to`, writes `to`'s `meta.json`
/// (`from`'s, with the other segments left out) and opens the index there, each segment
/// read once to tell that its files are all there.
fn link_segments(from: &Path, to: &Path, kept: &[FileSegments]) -> Result<Index, IndexError> {
    let ids: HashSet<&str> = kept
        .iter()
        .flat_map(|s| s.segments.iter().map(String::as_str))
        .collect();
    let io = io_error;
    let text = std::fs::read(from.join("meta.json")).map_err(io)?;
    let mut meta: serde_json::Value =
        serde_json::from_slice(&text).map_err(|e| io(std::io::Error::other(e)))?;
    let listed = meta
        .get_mut("segments")
        .and_then(serde_json::Value::as_array_mut)
        .ok_or_else(|| io(std::io::Error::other("meta.json lists no segments")))?;
    listed.retain(|segment| {
        segment
            .get("segment_id")
            .and_then(serde_json::Value::as_str)
            .is_some_and(|id| ids.contains(id.replace('-', "").as_str()))
    });
    if listed.len() != ids.len() {
        return Err(io(std::io::Error::other(
            "a segment to keep is not in the last index",
        )));
    }
    for entry in std::fs::read_dir(from).map_err(io)? {
        let name = entry.map_err(io)?.file_name();
        let Some(text) = name.to_str() else { continue };
        let Some((id, _)) = text.split_once('.') else {
            continue;
        };
        if ids.contains(id) {
            let (source, target) = (from.join(&name), to.join(&name));
            // A segment's files are never written again: the link shares them as they are.
            if std::fs::hard_link(&source, &target).is_err() {
                std::fs::copy(&source, &target).map_err(io)?;
            }
        }
    }
    let json = serde_json::to_vec_pretty(&meta).map_err(|e| io(std::io::Error::other(e)))?;
    std::fs::write(to.join("meta.json"), json).map_err(io)?;
    let index = Index::open_in_dir(to)?;
    analyzer::register(&index);
    let searcher = index.reader()?.searcher();
    if searcher.segment_readers().len() != ids.len() {
        return Err(io(std::io::Error::other("a kept segment did not open")));
    }
    Ok(index)
}

/// Indexes the records of each group's files, group by group, with one writer: each group is
/// committed on its own, and its segments merged into one while the next group is indexed, so
/// that a segment holds whole files and a group has one segment. Only the kinds with files to
/// index are walked, and only those files' records copied.
fn index_groups(
    index: &Index,
    records: &dyn RecordBatches,
    files: &[FileRecords],
    groups: &[Vec<&FileRecords>],
    documents: &mut Documents<'_>,
) -> Result<Vec<FileSegments>, IndexError> {
    let group_of: HashMap<&str, usize> = groups
        .iter()
        .enumerate()
        .flat_map(|(g, files)| files.iter().map(move |f| (f.name.as_str(), g)))
        .collect();
    let mut groups_made = GroupsMade::new(index, groups)?;
    let mut failed: Option<IndexError> = None;
    for kind in Kind::ALL {
        // This kind's runs of records to index, with their groups.
        let runs: Vec<(usize, usize, usize)> = runs_of(files, kind)
            .into_iter()
            .filter_map(|(first, count, file)| {
                let group = group_of.get(files[file].name.as_str())?;
                Some((first, count, *group))
            })
            .collect();
        if runs.is_empty() {
            continue;
        }
        let ranges: Vec<std::ops::Range<usize>> = runs
            .iter()
            .map(|&(first, count, _)| first..first + count)
            .collect();
        let walked = records.each_record_in(kind, &ranges, &mut |at, record| {
            let Some(group) = run_at(&runs, at) else {
                return;
            };
            if failed.is_some() {
                return;
            }
            let added = groups_made.enter(group).and_then(|writer| {
                let doc = documents
                    .document(&record)
                    .map_err(|source| IndexError::Record {
                        id: record.id().to_string(),
                        source,
                    })?;
                writer.add_document(doc)?;
                Ok(())
            });
            if let Err(e) = added {
                failed = Some(e);
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
        walked?;
    }
    groups_made.finish()
}

/// Documents a merged segment holds at most, unless one written segment is larger: a large
/// file's documents are spread over a few segments of about this size, which a search reads
/// on separate cores (one segment of a third of a million documents made a search at 1M 15 %
/// slower than segments of this size).
pub const SEGMENT_DOCS: u32 = 150_000;

/// The groups indexed so far, through one writer that merges nothing by itself.
struct GroupsMade<'i, 'f> {
    index: &'i Index,
    groups: &'i [Vec<&'f FileRecords>],
    writer: IndexWriter,
    /// The group being indexed.
    open: Option<usize>,
    /// Every segment accounted for: kept ones, and those of the groups done.
    known: HashSet<SegmentId>,
    /// The last group committed: its segments kept as written, and merges under way.
    merging: Option<(usize, Vec<SegmentId>, Vec<Merge>)>,
    made: Vec<FileSegments>,
}

/// A merge under way.
type Merge = tantivy::FutureResult<Option<tantivy::index::SegmentMeta>>;

/// The segments written for one group (ids and documents, in order) in runs to merge into
/// one each: as few runs as [`SEGMENT_DOCS`] allows, of about equal documents.
fn merge_runs(written: &[(SegmentId, u32)]) -> Vec<Vec<SegmentId>> {
    let total: u64 = written.iter().map(|(_, docs)| u64::from(*docs)).sum();
    let runs = total.div_ceil(u64::from(SEGMENT_DOCS)).max(1);
    let per_run = total.div_ceil(runs);
    let mut out: Vec<Vec<SegmentId>> = Vec::new();
    let mut open: Vec<SegmentId> = Vec::new();
    let mut docs = 0u64;
    for (id, count) in written {
        open.push(*id);
        docs += u64::from(*count);
        if docs >= per_run {
            out.push(std::mem::take(&mut open));
            docs = 0;
        }
    }
    if !open.is_empty() {
        out.push(open);
    }
    out
}

impl<'i, 'f> GroupsMade<'i, 'f> {
    fn new(index: &'i Index, groups: &'i [Vec<&'f FileRecords>]) -> Result<Self, IndexError> {
        let threads = threads();
        let writer: IndexWriter =
            index.writer_with_num_threads(threads, WRITER_MEMORY * threads)?;
        writer.set_merge_policy(Box::new(NoMergePolicy));
        Ok(GroupsMade {
            index,
            groups,
            writer,
            open: None,
            known: index.searchable_segment_ids()?.into_iter().collect(),
            merging: None,
            made: Vec::with_capacity(groups.len()),
        })
    }

    /// The writer, for a document of `group`: a group entered closes the one before.
    fn enter(&mut self, group: usize) -> Result<&mut IndexWriter, IndexError> {
        if self.open != Some(group) {
            self.close()?;
            self.open = Some(group);
        }
        Ok(&mut self.writer)
    }

    /// Commits the open group, and starts merging its segments (see [`merge_runs`]) once the
    /// group before has been merged (it was while the open group was indexed).
    fn close(&mut self) -> Result<(), IndexError> {
        let Some(group) = self.open.take() else {
            return Ok(());
        };
        self.wait_for_merges()?;
        self.writer.commit()?;
        let written: Vec<(SegmentId, u32)> = self
            .index
            .searchable_segment_metas()?
            .into_iter()
            .filter(|meta| !self.known.contains(&meta.id()))
            .map(|meta| (meta.id(), meta.max_doc()))
            .collect();
        self.known.extend(written.iter().map(|(id, _)| *id));
        let mut single = Vec::new();
        let mut merges = Vec::new();
        for run in merge_runs(&written) {
            match run.as_slice() {
                [one] => single.push(*one),
                _ => merges.push(self.writer.merge(&run)),
            }
        }
        self.merging = Some((group, single, merges));
        Ok(())
    }

    /// Waits for the merges under way, and records their group's segments.
    fn wait_for_merges(&mut self) -> Result<(), IndexError> {
        if let Some((group, mut segments, merges)) = self.merging.take() {
            for merge in merges {
                let merged = merge.wait()?.map(|meta| meta.id());
                self.known.extend(merged);
                segments.extend(merged);
            }
            self.made.push(FileSegments {
                segments: segments.iter().map(SegmentId::uuid_string).collect(),
                files: self.groups[group].iter().map(|&f| f.clone()).collect(),
            });
        }
        Ok(())
    }

    /// Closes the last group and waits for every merge.
    fn finish(mut self) -> Result<Vec<FileSegments>, IndexError> {
        self.close()?;
        self.wait_for_merges()?;
        self.writer.wait_merging_threads()?;
        Ok(self.made)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, kind: Kind, records: usize) -> FileRecords {
        FileRecords {
            name: name.into(),
            kind,
            records,
            digest: String::new(),
        }
    }

    #[test]
    fn large_files_get_segments_of_their_own_and_small_ones_share() {
        let files = [
            file("a", Kind::Dataset, 5),
            file("b", Kind::Dataset, 30),
            file("c", Kind::Need, 4),
            file("d", Kind::Need, 6),
            file("e", Kind::Need, 1),
        ];
        let names = |groups: Vec<Vec<&FileRecords>>| -> Vec<Vec<String>> {
            groups
                .into_iter()
                .map(|g| g.into_iter().map(|f| f.name.clone()).collect())
                .collect()
        };
        let grouped = names(groups(10, files.iter()));
        assert_eq!(grouped, [vec!["a"], vec!["b"], vec!["c", "d"], vec!["e"]]);
        // In walk order, each group's files one after the other.
        assert_eq!(grouped.concat(), ["a", "b", "c", "d", "e"]);
    }

    #[test]
    fn a_group_s_segments_are_merged_into_runs_of_about_equal_size() {
        let ids: Vec<SegmentId> = (0..8).map(|_| SegmentId::generate_random()).collect();
        let sizes = |docs: &[u32]| -> Vec<usize> {
            let written: Vec<(SegmentId, u32)> =
                ids.iter().copied().zip(docs.iter().copied()).collect();
            merge_runs(&written).iter().map(Vec::len).collect()
        };
        assert_eq!(sizes(&[20_000, 20_000, 5_000]), [3], "small: one segment");
        assert_eq!(
            sizes(&[60_000; 8]),
            [2, 2, 2, 2],
            "480,000 documents: 4 runs of 120,000"
        );
        assert_eq!(
            sizes(&[200_000, 10_000]),
            [1, 1],
            "a large written segment stays"
        );
    }

    #[test]
    fn each_position_is_found_in_its_file_kind_by_kind() {
        let files = [
            file("needs", Kind::Need, 2),
            file("datasets-1", Kind::Dataset, 1),
            file("empty", Kind::Dataset, 0),
            file("datasets-2", Kind::Dataset, 2),
        ];
        let named = |kind, count| -> Vec<Option<&str>> {
            let runs = runs_of(&files, kind);
            (0..count)
                .map(|at| run_at(&runs, at).map(|f| files[f].name.as_str()))
                .collect()
        };
        assert_eq!(
            named(Kind::Dataset, 4),
            [
                Some("datasets-1"),
                Some("datasets-2"),
                Some("datasets-2"),
                None
            ]
        );
        assert_eq!(named(Kind::Need, 3), [Some("needs"), Some("needs"), None]);
        assert_eq!(
            walk_order(&files),
            [1, 2, 3, 0],
            "datasets first, then needs"
        );
    }
}
