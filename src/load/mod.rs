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
    let files = source.stamps()?;
    let mut loader = Loader::new(keep);
    let mut unreadable = Vec::new();
    for file in &files {
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
    diagnostics: Vec<Diagnostic>,
    seen: HashMap<String, Seen>,
    references: Vec<references::Reference>,
    kept: K,
}

impl<K: KeepRecords> Loader<K> {
    fn new(kept: K) -> Loader<K> {
        Loader {
            files: Vec::new(),
            read: Vec::new(),
            diagnostics: Vec::new(),
            seen: HashMap::new(),
            references: Vec::new(),
            kept,
        }
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
            digest: crate::hex::encode(&sha2::Sha256::digest(bytes)),
        });
        // The file's own problems go before those of its records, as when it was read whole.
        let before = self.diagnostics.len();
        let mut problems = Vec::new();
        formats::parse_each(name, &text, format, kind, &mut problems, &mut |raw| {
            self.record(number, name, kind, &raw)
        });
        self.diagnostics.splice(before..before, problems);
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
        })
    }
}
