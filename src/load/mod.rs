//! Loading a data directory into a `Catalog`, with every problem located by file, line and field.
//!
//! All files are read and every error of the run is collected before deciding: a directory with
//! any error yields no catalog at all (never a partial one), only the full list of messages.

pub mod checks;
mod decode;
mod diagnostic;
mod fields;
mod formats;
pub mod naming;
mod records;
mod references;
mod source;
pub mod summary;
pub mod unchanged;

pub use diagnostic::{Diagnostic, LoadFailure, Severity};
pub use source::{DataSource, SourceFile};

use crate::model::{Catalog, Kind, Record};
use naming::FileRole;
use rayon::prelude::*;
use sha2::Digest;
use std::collections::HashMap;

/// A successful load: the records (a catalog, unless [`load_into`] kept them elsewhere), the
/// warnings, and where each record was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded<K = Catalog> {
    pub catalog: K,
    pub warnings: Vec<Diagnostic>,
    /// Record id → `"datasets.json:3"`, the file and line the record starts on.
    pub locations: HashMap<String, String>,
    /// The data files read, in the order read, with how many records each gave.
    pub files: Vec<FileRecords>,
    /// What each of `files` gave besides its records, in the same order.
    pub facts: Vec<FileFacts>,
    /// Records taken over from an earlier load (see [`load_into_reusing`]).
    pub taken_over: usize,
}

/// What a load read of one data file besides its records: its own messages and the ids its
/// records point at. Kept beside a snapshot, so that a later load can take over a file whose
/// bytes did not change without parsing it again (see [`load_into_reusing`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileFacts {
    pub diagnostics: Vec<Diagnostic>,
    pub references: Vec<references::StoredReference>,
    /// Every id the file's records point at (see [`Record::pointed_at`]), once each, sorted.
    pub pointed_at: Vec<String>,
}

/// What an earlier load read: its files in the order read, and each one's facts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EarlierLoad {
    pub files: Vec<FileRecords>,
    pub facts: Vec<FileFacts>,
}

/// Changes whenever what [`EarlierLoad::to_bytes`] writes does.
const EARLIER_LOAD_FORMAT: &[u8; 8] = b"msload01";

impl EarlierLoad {
    /// The load as bytes (see [`EarlierLoad::from_bytes`]).
    pub fn to_bytes(&self) -> Result<Vec<u8>, postcard::Error> {
        postcard::to_extend(self, EARLIER_LOAD_FORMAT.to_vec())
    }

    /// A load written by [`EarlierLoad::to_bytes`]; `None` when the bytes are not one, or
    /// its files and facts do not pair up.
    pub fn from_bytes(bytes: &[u8]) -> Option<EarlierLoad> {
        let bytes = bytes.strip_prefix(EARLIER_LOAD_FORMAT.as_slice())?;
        let earlier: EarlierLoad = postcard::from_bytes(bytes).ok()?;
        (earlier.files.len() == earlier.facts.len()).then_some(earlier)
    }

    /// Every id a record of the load points at.
    pub fn pointed_at(&self) -> std::collections::HashSet<&str> {
        self.facts
            .iter()
            .flat_map(|f| &f.pointed_at)
            .map(String::as_str)
            .collect()
    }
}

/// One data file as a load read it: an incremental index build keeps the documents of a file
/// whose bytes are the same as at the last build (see `index::segments`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileRecords {
    /// The file's name in the data directory.
    pub name: String,
    /// The kind of every record in it.
    pub kind: Kind,
    /// Records kept from it (those with an error are not).
    pub records: usize,
    /// SHA-256 of the file's bytes, in hex.
    pub digest: String,
}

/// Loads every data file of `source`, one file at a time. Any error → `Err` with every error
/// and warning found (or, when a file cannot be read, with the read errors alone).
pub fn load(source: &DataSource) -> Result<Loaded, LoadFailure> {
    finish_source(
        load_source(source, Catalog::default())?,
        source,
        Locations::Kept,
    )
}

/// Like [`load`], without the records' locations: an index build never names them, and at a
/// million records the map alone would cost over 100 MB.
pub fn load_catalog(source: &DataSource) -> Result<(Catalog, Vec<Diagnostic>), LoadFailure> {
    let loaded = load_into(source, Catalog::default())?;
    Ok((loaded.catalog, loaded.warnings))
}

/// Like [`load_catalog`], each record handed to `keep` as it is read (and checked) instead of
/// kept in a catalog: the index build writes them to the catalog snapshot at once. What
/// `keep` was given counts only when this returns `Ok`; the locations are not kept.
pub fn load_into<K: KeepRecords>(source: &DataSource, keep: K) -> Result<Loaded<K>, LoadFailure> {
    finish_source(load_source(source, keep)?, source, Locations::Dropped)
}

/// Like [`load_into`], taking over from `earlier` each file whose name, kind and bytes are
/// the same as when it was read: its records are copied by `keep` (see
/// [`KeepRecords::keep_earlier`]) and its messages and references taken as they were, without
/// parsing it. On `Err`, read the data again with [`load_into`]: a message about a record of
/// a file taken over does not name its line.
pub fn load_into_reusing<K: KeepRecords>(
    source: &DataSource,
    keep: K,
    earlier: &EarlierLoad,
) -> Result<Loaded<K>, LoadFailure> {
    let mut loader = Loader::new(keep);
    loader.take_over_from(earlier);
    finish_source(read_files(source, loader)?, source, Locations::Dropped)
}

/// Checks the data files as [`load_catalog`] does, keeping no record: `Err` with every
/// problem found when the data has an error.
pub fn check(source: &DataSource) -> Result<(), LoadFailure> {
    /// Keeps nothing but whether anything came.
    struct Nothing(bool);
    impl KeepRecords for Nothing {
        fn keep(&mut self, _: Record) {
            self.0 = true;
        }
        fn kept_none(&self) -> bool {
            !self.0
        }
    }
    load_into(source, Nothing(false)).map(|_| ())
}

/// Where a load puts the records it reads, in the order read.
pub trait KeepRecords {
    fn keep(&mut self, record: Record);
    /// True when nothing was kept.
    fn kept_none(&self) -> bool;
    /// Keeps the records at `range` of `kind` of the earlier load this keeper was made with,
    /// handing each one's id to `ids`, in order; `false` (nothing kept) when it cannot, and
    /// the file is read. None by default.
    fn keep_earlier(
        &mut self,
        _kind: Kind,
        _range: std::ops::Range<usize>,
        _ids: &mut dyn FnMut(&str),
    ) -> bool {
        false
    }
}

impl KeepRecords for Catalog {
    fn keep(&mut self, record: Record) {
        match record {
            Record::Dataset(r) => self.datasets.push(r),
            Record::Researcher(r) => self.researchers.push(r),
            Record::Organization(r) => self.organizations.push(r),
            Record::Proposal(r) => self.proposals.push(r),
            Record::Need(r) => self.needs.push(r),
        }
    }

    fn kept_none(&self) -> bool {
        self.is_empty()
    }
}

/// Whether a load hands back where each record was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Locations {
    Kept,
    Dropped,
}

/// Reads the source's files one at a time: a file's bytes are dropped before the next is read.
/// A file that cannot be read fails the load with the read errors alone (every such file
/// named): the other files' messages, such as owners missing because their file was not
/// read, would only bury the cause.
fn load_source<K: KeepRecords>(source: &DataSource, keep: K) -> Result<Loader<K>, LoadFailure> {
    read_files(source, Loader::new(keep))
}

/// [`load_source`] with a loader made already.
fn read_files<K: KeepRecords>(
    source: &DataSource,
    mut loader: Loader<K>,
) -> Result<Loader<K>, LoadFailure> {
    let files = source.stamps()?;
    // Files an earlier load read are told unchanged by their digest (on every core) before
    // any is read whole: one taken over is never read whole.
    let compared: Vec<bool> = files
        .iter()
        .map(|file| data_kind(&file.name).is_some() && loader.earlier.contains_key(&file.name))
        .collect();
    let digests: Vec<Option<String>> = files
        .par_iter()
        .zip(compared)
        .map(|(file, compared)| compared.then(|| source.digest(file)).flatten())
        .collect();
    let mut unreadable = Vec::new();
    for (file, digest) in files.iter().zip(digests) {
        let taken_over = digest.is_some_and(|digest| {
            unreadable.is_empty()
                && data_kind(&file.name)
                    .is_some_and(|kind| loader.take_over(&file.name, kind, &digest))
        });
        if taken_over {
            continue;
        }
        match source.contents(file) {
            Ok(bytes) if unreadable.is_empty() => loader.file(&file.name, &bytes),
            Ok(_) => {}
            Err(error) => unreadable.push(error),
        }
    }
    if !unreadable.is_empty() {
        diagnostic::sort_by_place(&mut unreadable);
        return Err(LoadFailure {
            diagnostics: unreadable,
        });
    }
    loader.diagnostics.extend(source.skipped_special_files());
    Ok(loader)
}

/// The kind of records `name` holds, when it is a data file not ignored.
fn data_kind(name: &str) -> Option<Kind> {
    match naming::classify(name) {
        FileRole::Data(kind, _) if !source::is_ignored(name) => Some(kind),
        _ => None,
    }
}

/// The loader's catalog and warnings, with one more warning last when there are no records.
fn finish_source<K: KeepRecords>(
    loader: Loader<K>,
    source: &DataSource,
    locations: Locations,
) -> Result<Loaded<K>, LoadFailure> {
    let mut loaded = loader.finish(locations)?;
    if loaded.catalog.kept_none() {
        loaded.warnings.push(Diagnostic::warning(
            source.describe(),
            None,
            None,
            "no records found",
        ));
    }
    Ok(loaded)
}

/// Loads records from files already in memory (as `DataSource::files` gives them).
pub fn load_files(files: &[SourceFile]) -> Result<Loaded, LoadFailure> {
    let mut loader = Loader::new(Catalog::default());
    for file in files {
        loader.file(&file.name, &file.bytes);
    }
    loader.finish(Locations::Kept)
}

/// Where the first record with an id was read.
#[derive(Debug, Clone, Copy)]
struct Seen {
    kind: Kind,
    /// The file's number in [`Loader::files`].
    file: u32,
    line: usize,
}

/// A load under way: records are checked and kept as they are read, and what later checks
/// need (each id's kind and place, the ids records point at) is kept in small form.
struct Loader<K> {
    /// Names of the data files read, by number.
    files: Vec<String>,
    /// The same files, with their kinds, digests and records kept.
    read: Vec<FileRecords>,
    /// What each of them gave besides records.
    facts: Vec<FileFacts>,
    diagnostics: Vec<Diagnostic>,
    seen: HashMap<String, Seen>,
    references: Vec<references::Reference>,
    kept: K,
    /// Files an earlier load read, by name: where their records were among their kind's,
    /// and what it read of them.
    earlier: HashMap<String, (std::ops::Range<usize>, FileRecords, FileFacts)>,
    /// Records taken over so far.
    taken_over: usize,
    /// The ids the records of the file being read point at.
    pointing: std::collections::BTreeSet<String>,
}

impl<K: KeepRecords> Loader<K> {
    fn new(kept: K) -> Loader<K> {
        Loader {
            files: Vec::new(),
            read: Vec::new(),
            facts: Vec::new(),
            diagnostics: Vec::new(),
            seen: HashMap::new(),
            references: Vec::new(),
            kept,
            earlier: HashMap::new(),
            taken_over: 0,
            pointing: std::collections::BTreeSet::new(),
        }
    }

    /// Makes the files of `earlier` candidates for taking over (see [`load_into_reusing`]).
    fn take_over_from(&mut self, earlier: &EarlierLoad) {
        for kind in Kind::ALL {
            for (first, records, i) in unchanged::runs_of(&earlier.files, kind) {
                if let (Some(file), Some(facts)) = (earlier.files.get(i), earlier.facts.get(i)) {
                    let taken = (first..first + records, file.clone(), facts.clone());
                    self.earlier.insert(file.name.clone(), taken);
                }
            }
        }
        // Files read under one name (lossily) are told apart by nothing: none is taken over.
        if self.earlier.len() != earlier.files.len() {
            self.earlier.clear();
        }
    }

    /// Takes over the earlier load's file of this name when its kind and bytes are the same;
    /// `false` when it is not taken over (and is to be read).
    fn take_over(&mut self, name: &str, kind: Kind, digest: &str) -> bool {
        let Some((range, file, facts)) = self.earlier.remove(name) else {
            return false;
        };
        if file.kind != kind || file.digest != digest {
            return false;
        }
        // Not sized by the earlier load's count: a damaged one could ask for any amount.
        let mut ids = Vec::new();
        if !self
            .kept
            .keep_earlier(kind, range, &mut |id| ids.push(id.to_string()))
        {
            return false;
        }
        let number = u32::try_from(self.files.len()).unwrap_or(u32::MAX);
        self.files.push(name.to_string());
        self.diagnostics.extend(facts.diagnostics.iter().cloned());
        for id in ids {
            let seen = Seen {
                kind,
                file: number,
                line: 0,
            };
            match self.seen.entry(id) {
                std::collections::hash_map::Entry::Vacant(free) => {
                    free.insert(seen);
                }
                std::collections::hash_map::Entry::Occupied(taken) => {
                    // Told without a line: the caller reads the data again to say where.
                    let message = format!("duplicate id {:?}", taken.key());
                    self.diagnostics
                        .push(Diagnostic::error(name, None, Some("id"), message));
                }
            }
        }
        self.references.extend(
            facts
                .references
                .iter()
                .filter_map(|r| references::Reference::restored(r, number)),
        );
        self.taken_over += file.records;
        self.read.push(file);
        self.facts.push(facts);
        true
    }

    /// Reads one data file's records (a file that is not data gets a warning saying why).
    fn file(&mut self, name: &str, bytes: &[u8]) {
        if source::is_ignored(name) {
            return;
        }
        let (kind, format) = match naming::classify(name) {
            FileRole::Data(kind, format) => (kind, format),
            FileRole::Skipped(reason) => {
                self.diagnostics
                    .push(Diagnostic::warning(name, None, None, reason));
                return;
            }
        };
        let digest = crate::hex::encode(&sha2::Sha256::digest(bytes));
        if self.take_over(name, kind, &digest) {
            return;
        }
        let (first_diagnostic, first_reference) = (self.diagnostics.len(), self.references.len());
        let text = match decode::decode(name, bytes, format, &mut self.diagnostics) {
            Ok(text) => text,
            Err(error) => {
                self.diagnostics.push(error);
                return;
            }
        };
        let number = u32::try_from(self.files.len()).unwrap_or(u32::MAX);
        self.files.push(name.to_string());
        self.read.push(FileRecords {
            name: name.to_string(),
            kind,
            records: 0,
            digest,
        });
        // The file's own problems go before those of its records, as when it was read whole.
        let before = self.diagnostics.len();
        let mut problems = Vec::new();
        formats::parse_each(name, &text, format, kind, &mut problems, &mut |raw| {
            self.record(number, name, kind, &raw)
        });
        self.diagnostics.splice(before..before, problems);
        self.facts.push(FileFacts {
            diagnostics: self.diagnostics[first_diagnostic..].to_vec(),
            references: self.references[first_reference..]
                .iter()
                .map(references::Reference::stored)
                .collect(),
            pointed_at: std::mem::take(&mut self.pointing).into_iter().collect(),
        });
    }

    /// Checks one raw record and keeps it unless its id was seen before.
    fn record(&mut self, file: u32, name: &str, kind: Kind, raw: &formats::RawRecord) {
        let read = match records::read(name, kind, raw) {
            Ok(read) => read,
            Err(errors) => {
                self.diagnostics.extend(errors);
                return;
            }
        };
        let id = read.record.id();
        if let Some(first) = self.seen.get(id) {
            let message = format!("duplicate id {id:?}: also in {}", self.place(first));
            let line = read.field_lines.get("id").copied().unwrap_or(raw.line);
            self.diagnostics
                .push(Diagnostic::error(name, Some(line), None, message));
            return;
        }
        let seen = Seen {
            kind: read.record.kind(),
            file,
            line: raw.line,
        };
        self.seen.insert(id.to_string(), seen);
        self.references
            .extend(references::of(&read, file, raw.line));
        if let Some(counted) = self.read.get_mut(file as usize) {
            counted.records += 1;
        }
        for id in read.record.pointed_at() {
            if !self.pointing.contains(id) {
                self.pointing.insert(id.to_string());
            }
        }
        self.kept.keep(read.record);
    }

    /// `"datasets.json:3"`: where a record was read.
    fn place(&self, seen: &Seen) -> String {
        let file = self
            .files
            .get(seen.file as usize)
            .map_or("", String::as_str);
        format!("{file}:{}", seen.line)
    }

    fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Record id → `"datasets.json:3"`.
    fn locations(&self) -> HashMap<String, String> {
        self.seen
            .iter()
            .map(|(id, seen)| (id.clone(), self.place(seen)))
            .collect()
    }

    /// The catalog and warnings (and the locations, when kept), once the ids records point
    /// at are checked; `Err` with every problem found when any is an error.
    fn finish(mut self, locations: Locations) -> Result<Loaded<K>, LoadFailure> {
        let seen = &self.seen;
        let files = &self.files;
        let warnings = references::check(
            &self.references,
            |id| seen.get(id).map(|s| s.kind),
            |file| files.get(file as usize).map_or("", String::as_str),
        );
        self.diagnostics.extend(warnings);
        diagnostic::sort_by_place(&mut self.diagnostics);
        if self.has_errors() {
            return Err(LoadFailure {
                diagnostics: self.diagnostics,
            });
        }
        let locations = match locations {
            Locations::Kept => self.locations(),
            Locations::Dropped => HashMap::new(),
        };
        Ok(Loaded {
            catalog: self.kept,
            warnings: self.diagnostics,
            locations,
            files: self.read,
            facts: self.facts,
            taken_over: self.taken_over,
        })
    }
}
