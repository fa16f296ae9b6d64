//! Opening a data directory for work: its records, its vocabulary, and an up-to-date index,
//! rebuilt (aside, then swapped in) when the files, the vocabulary or the program changed.

use crate::config::{ConfigError, Paths, Settings};
use crate::index::store::{IndexMeta, IndexStore, Locked, StoreError};
use crate::index::{IndexError, SearchIndex};
use crate::load::unchanged::UnchangedRecords;
use crate::load::{DataSource, Diagnostic, EarlierLoad, LoadFailure};
use crate::matching::{Candidates, Earlier};
use crate::model::{Catalog, Kind};
use crate::records::{RecordBatches, Records};
use crate::snapshot::SnapshotRecords;
use crate::vocab::{VocabError, Vocabulary};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Name of the user vocabulary file inside a data directory.
pub const USER_VOCABULARY: &str = "vocabulary.toml";
/// The catalog snapshot kept beside each index generation.
const CATALOG_SNAPSHOT: &str = "catalog.bin";
/// Every record read as a match candidate, kept beside each index generation.
const MATCH_CANDIDATES: &str = "candidates.bin";
/// The names the documents gave the records they point at, for the next build to compare.
const DOCUMENT_NAMES: &str = "names.bin";
/// What the load read of each data file besides its records (see [`EarlierLoad`]).
const LOAD_FACTS: &str = "load.bin";

/// How to open a workspace (the command line's `--data` and `--index`).
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    pub data: Option<PathBuf>,
    pub index: Option<PathBuf>,
    /// Rebuild even when the index is up to date (`musubi index`).
    pub force_rebuild: bool,
    /// Index every record again, keeping nothing of the last build (`musubi index --full`).
    pub from_scratch: bool,
}

/// Steps reported while opening, for progress indicators.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    Checking,
    /// Another musubi is building this index; this one waits for it, then uses its work.
    Waiting,
    Loading,
    Indexing {
        records: usize,
    },
    Ready,
}

/// A data directory opened for work.
pub struct Workspace {
    pub source: DataSource,
    pub vocabulary: Arc<Vocabulary>,
    /// The records, read from the generation's snapshot on first use ([`Workspace::catalog`]):
    /// a search answers from the index alone and never pays for reading every record.
    catalog: OnceLock<Catalog>,
    /// The snapshot's records read in place, each chunk when first asked for
    /// ([`Workspace::records`]); `None` inside when the snapshot cannot be read so.
    in_place: OnceLock<Option<SnapshotRecords>>,
    /// The records as match candidates, read on first use ([`Workspace::candidates`]).
    candidates: OnceLock<Candidates>,
    pub index: SearchIndex,
    pub meta: IndexMeta,
    /// The generation directory in use.
    pub index_dir: PathBuf,
    /// True when this open (re)built the index.
    pub rebuilt: bool,
    /// Warnings from loading the data (kept from the build when the index was reused).
    pub warnings: Vec<String>,
}

/// Errors while opening a workspace.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("{}", .0)]
    Load(LoadFailure),
    #[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
    Vocabulary(Vec<VocabError>),
    #[error("{path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error("catalog snapshot {path}: damaged, or written by another version of musubi")]
    Snapshot { path: PathBuf },
}

impl From<LoadFailure> for WorkspaceError {
    fn from(f: LoadFailure) -> Self {
        WorkspaceError::Load(f)
    }
}

/// The data source the options and settings point at: `--data`, else the settings' data
/// directory, else the bundled sample data.
pub fn data_source(options: &OpenOptions, settings: &Settings) -> DataSource {
    match options.data.as_ref().or(settings.data_dir.as_ref()) {
        Some(dir) => DataSource::Dir(dir.clone()),
        None => DataSource::Bundled,
    }
}

/// The built-in vocabulary, decoded once and shared.
pub fn builtin_vocabulary() -> Arc<Vocabulary> {
    static SHARED: OnceLock<Arc<Vocabulary>> = OnceLock::new();
    Arc::clone(SHARED.get_or_init(|| Arc::new(Vocabulary::decode_builtin())))
}

/// The built-in vocabulary, with the data directory's `vocabulary.toml` merged over it.
pub fn vocabulary_for(source: &DataSource) -> Result<Arc<Vocabulary>, WorkspaceError> {
    let DataSource::Dir(dir) = source else {
        return Ok(builtin_vocabulary());
    };
    let path = dir.join(USER_VOCABULARY);
    match crate::files::read_text_capped(&path, crate::files::VOCABULARY_LIMIT) {
        Ok(text) => Vocabulary::with_user_vocabulary(USER_VOCABULARY, &text)
            .map(Arc::new)
            .map_err(WorkspaceError::Vocabulary),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(builtin_vocabulary()),
        Err(source) => Err(WorkspaceError::Read { path, source }),
    }
}

/// The index store for a data source: `--index DIR` itself, else one directory per data
/// directory under the platform's data directory.
pub fn store_for(options: &OpenOptions, source: &DataSource) -> Result<IndexStore, WorkspaceError> {
    if let Some(dir) = &options.index {
        return Ok(IndexStore::at(dir));
    }
    let paths = Paths::discover()?;
    Ok(IndexStore::at(paths.index_root.join(source_key(source))))
}

/// A short, stable name for a data source's index directory.
pub fn source_key(source: &DataSource) -> String {
    match source {
        DataSource::Bundled => "sample-data".to_string(),
        DataSource::Dir(dir) => {
            let canonical = dir.canonicalize().unwrap_or_else(|_| dir.clone());
            let digest = Sha256::digest(canonical.to_string_lossy().as_bytes());
            let name = canonical
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let safe: String = name
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .take(24)
                .collect();
            format!("{safe}-{}", crate::hex::encode(&digest[..8]))
        }
    }
}

/// Fingerprint of what every document depends on but the data: the program (its version and
/// its very file), the schema and the vocabulary. A build keeps segments, records and names
/// only of a generation with the same one.
pub fn base_fingerprint(vocabulary: &Vocabulary) -> String {
    let mut hasher = Sha256::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(program_digest().as_bytes());
    hasher.update(crate::index::schema::SCHEMA_VERSION.to_le_bytes());
    hasher.update(vocabulary.fingerprint().to_le_bytes());
    crate::hex::encode(&hasher.finalize())
}

/// SHA-256 of the running program's file, worked out once: a build keeps only what the very
/// same program made, since a development build may read or encode records otherwise
/// without a new version number. When the file cannot be read, a value no other run has
/// (nothing is kept).
fn program_digest() -> &'static str {
    static DIGEST: OnceLock<String> = OnceLock::new();
    DIGEST.get_or_init(|| {
        let read = std::env::current_exe().and_then(|path| {
            let mut file = std::fs::File::open(path)?;
            let mut hasher = Sha256::new();
            std::io::copy(&mut file, &mut hasher)?;
            Ok(crate::hex::encode(&hasher.finalize()))
        });
        read.unwrap_or_else(|_| {
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            format!("unread program {} {nanos}", std::process::id())
        })
    })
}

/// Fingerprint of everything an index depends on: the program, the schema, the vocabulary and
/// each data file's name, size and modification time (contents, for the bundled data).
pub fn fingerprint(source: &DataSource, vocabulary: &Vocabulary) -> Result<String, WorkspaceError> {
    let mut hasher = Sha256::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(crate::index::schema::SCHEMA_VERSION.to_le_bytes());
    hasher.update(vocabulary.fingerprint().to_le_bytes());
    for file in source.stamps()? {
        hasher.update(file.name.as_bytes());
        hasher.update(file.len.to_le_bytes());
        match (&source, file.modified) {
            (DataSource::Dir(_), Some(modified)) => {
                let nanos = modified
                    .duration_since(UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or(0);
                hasher.update(nanos.to_le_bytes());
            }
            _ => hasher.update(&file.bytes),
        }
    }
    Ok(crate::hex::encode(&hasher.finalize()))
}

fn diagnostics_text(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics.iter().map(|d| d.to_string()).collect()
}

/// Loads the data files into the catalog snapshot at `path` (owner-only: it holds every
/// contact detail, consented or not), spooling in `dir` as the records are read; the
/// warnings and the files read, when the data loads.
fn load_into_snapshot(
    source: &DataSource,
    dir: &Path,
    path: &Path,
    earlier: Option<(SnapshotRecords, EarlierLoad)>,
) -> Result<(Vec<Diagnostic>, EarlierLoad, usize), WorkspaceError> {
    let io_error = |source| WorkspaceError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut taken_over = None;
    if let Some((records, earlier)) = earlier {
        let spool = crate::snapshot::Spool::reusing(dir, records).map_err(io_error)?;
        // On an error, read again without taking over: then every message names its line.
        taken_over = crate::load::load_into_reusing(source, spool, &earlier).ok();
    }
    let loaded = match taken_over {
        Some(loaded) => loaded,
        None => {
            let spool = crate::snapshot::Spool::create(dir).map_err(io_error)?;
            crate::load::load_into(source, spool)?
        }
    };
    loaded.catalog.finish(path).map_err(io_error)?;
    let facts = EarlierLoad {
        files: loaded.files,
        facts: loaded.facts,
    };
    write_private(&dir.join(LOAD_FACTS), facts.to_bytes())?;
    crate::trace::note(&format!(
        "load: {} records taken over from unchanged files",
        loaded.taken_over
    ));
    Ok((loaded.warnings, facts, loaded.taken_over))
}

/// True when a build from `source` may keep what the generation `meta` describes made: it
/// was made from a data directory (bundled data only changes with the program) by this very
/// program with this vocabulary (`base`), and lists the files it read.
fn may_keep_from(source: &DataSource, base: &str, meta: &IndexMeta) -> bool {
    matches!(source, DataSource::Dir(_)) && meta.base == base && !meta.files.is_empty()
}

/// What a load may take over of the generation in `dir` (described by `meta`): its records
/// and what it read of each file, when it was built by this program with this vocabulary from
/// a data directory.
fn earlier_load(
    source: &DataSource,
    base: &str,
    dir: &Path,
    meta: &IndexMeta,
) -> Option<(SnapshotRecords, EarlierLoad)> {
    if !may_keep_from(source, base, meta) {
        return None;
    }
    let bytes = std::fs::read(dir.join(LOAD_FACTS)).ok()?;
    let earlier = EarlierLoad::from_bytes(&bytes).filter(|e| e.files == meta.files)?;
    let records = open_built_snapshot(&dir.join(CATALOG_SNAPSHOT)).ok()?;
    Some((records, earlier))
}

/// Writes a generation's file of `bytes` (as they were encoded) atomically and owner-only,
/// like the snapshot: what the load read of each file may quote the data, names are records'.
fn write_private(
    path: &Path,
    bytes: Result<Vec<u8>, postcard::Error>,
) -> Result<(), WorkspaceError> {
    let error = |source| WorkspaceError::Read {
        path: path.to_path_buf(),
        source,
    };
    let bytes = bytes.map_err(|e| error(std::io::Error::other(e)))?;
    crate::export::write_atomically_with(path, true, |file| file.write_all(&bytes)).map_err(error)
}

/// What a build may keep of the generation in `dir`: its segments by file and the names its
/// documents gave, when it was built by this program with this vocabulary from a data
/// directory (bundled data only changes with the program).
fn previous_build<'p>(
    source: &DataSource,
    base: &str,
    dir: &'p Path,
    meta: &'p IndexMeta,
) -> Option<crate::index::segments::Previous<'p>> {
    if !matches!(source, DataSource::Dir(_)) || meta.base != base || meta.segments.is_empty() {
        return None;
    }
    let bytes = std::fs::read(dir.join(DOCUMENT_NAMES)).ok()?;
    Some(crate::index::segments::Previous {
        dir,
        segments: &meta.segments,
        names: crate::index::documents::Names::from_bytes(&bytes)?,
    })
}

/// A file of an index generation, mapped (see [`crate::mapped`]).
fn generation_file(path: &Path) -> Result<crate::mapped::FileBytes, WorkspaceError> {
    crate::mapped::read_generation_file(path).map_err(|source| WorkspaceError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// The catalog snapshot a build has just written, its records read a batch at a time.
fn open_built_snapshot(path: &Path) -> Result<SnapshotRecords, WorkspaceError> {
    let bytes = generation_file(path)?;
    SnapshotRecords::open(Box::new(bytes), Box::new(|| None)).ok_or_else(|| {
        WorkspaceError::Snapshot {
            path: path.to_path_buf(),
        }
    })
}

/// The match candidates stored in the generation `dir`, when a build may take profiles over
/// from it (as [`previous_build`] for the index) and they read back.
fn earlier_candidates(
    source: &DataSource,
    base: &str,
    dir: &Path,
    meta: &IndexMeta,
    vocabulary: &Vocabulary,
) -> Option<Candidates> {
    if !may_keep_from(source, base, meta) {
        return None;
    }
    // Read from the files `meta` lists, record for record, or not at all.
    let made_from_them = |candidates: &Candidates| {
        Kind::ALL
            .iter()
            .all(|&kind| kind == Kind::Need || candidates.len_of(kind) == records_read(meta, kind))
    };
    stored_candidates(dir, vocabulary).filter(made_from_them)
}

/// What changed since the build in `dir` (described by `meta`), for the record history:
/// `None` when it cannot be told from the files alone (not a data directory, another program
/// or vocabulary, a last snapshot that does not open) or when much changed.
fn changes_since(
    source: &DataSource,
    base: &str,
    dir: &Path,
    meta: &IndexMeta,
    records: &SnapshotRecords,
    unchanged: &UnchangedRecords,
) -> Option<crate::history::Changes> {
    if !may_keep_from(source, base, meta) {
        return None;
    }
    let earlier = open_built_snapshot(&dir.join(CATALOG_SNAPSHOT)).ok()?;
    crate::history::Changes::between(records, &earlier, &meta.files, unchanged)
        .ok()
        .flatten()
}

/// How many records of `kind` the build `meta` describes read.
fn records_read(meta: &IndexMeta, kind: Kind) -> usize {
    meta.files
        .iter()
        .filter(|f| f.kind == kind)
        .map(|f| f.records)
        .sum()
}

/// Shares the match candidates of the generation `from` (described by `meta`) with the one
/// in `to` when every record they are made of is where it was, read from the same bytes:
/// they would be written again byte for byte (a need is never a candidate). `false` when
/// they are to be written (also when the file is no longer the size it was written).
fn share_candidates(
    from: &Path,
    to: &Path,
    meta: &IndexMeta,
    records: &dyn Records,
    unchanged: &UnchangedRecords,
) -> bool {
    let in_place = crate::matching::STORED_KINDS
        .iter()
        .all(|&kind| unchanged.all_in_place(kind, records.count(kind), records_read(meta, kind)));
    // A generation's files are never written again: the link shares them as they are. One
    // cut short since (or gone) is written again.
    let earlier = from.join(MATCH_CANDIDATES);
    let whole = std::fs::metadata(&earlier).is_ok_and(|m| Some(m.len()) == meta.candidates_bytes);
    in_place && whole && std::fs::hard_link(earlier, to.join(MATCH_CANDIDATES)).is_ok()
}

/// Reads every record as a match candidate and stores them (owner-only, like the snapshot),
/// taking over what `earlier` profiled.
fn write_candidates(
    path: &Path,
    records: &dyn RecordBatches,
    vocabulary: &Vocabulary,
    earlier: Option<&Earlier<'_>>,
) -> Result<(), WorkspaceError> {
    crate::export::write_atomically_with(path, true, |file| {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        Candidates::write_reusing(records, vocabulary, earlier, &mut out)?;
        out.flush()
    })
    .map_err(|source| WorkspaceError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// The match candidates the build stored in the generation `index_dir`, else (an index built
/// before they were stored, or a damaged file) every record of `catalog` read again.
pub fn read_candidates(index_dir: &Path, catalog: &Catalog, vocabulary: &Vocabulary) -> Candidates {
    stored_candidates(index_dir, vocabulary)
        .filter(|candidates| candidates.fits(catalog))
        .unwrap_or_else(|| profile_candidates(catalog, vocabulary))
}

/// Every record of `catalog` read as a match candidate now.
fn profile_candidates(catalog: &Catalog, vocabulary: &Vocabulary) -> Candidates {
    crate::trace::phase("read match candidates", || {
        Candidates::read(catalog, vocabulary)
    })
}

/// The candidates the build stored in `index_dir`, when they read (not yet checked against
/// a catalog: see [`Candidates::fits`]).
fn stored_candidates(index_dir: &Path, vocabulary: &Vocabulary) -> Option<Candidates> {
    crate::trace::phase("read stored match candidates", || {
        crate::mapped::read_generation_file(&index_dir.join(MATCH_CANDIDATES))
            .ok()
            .and_then(|bytes| Candidates::load(&bytes, vocabulary))
    })
}

/// Reads the catalog snapshot of a generation.
fn read_snapshot(path: &Path) -> Result<Catalog, WorkspaceError> {
    let bytes = generation_file(path)?;
    crate::snapshot::read(&bytes).ok_or_else(|| WorkspaceError::Snapshot {
        path: path.to_path_buf(),
    })
}

impl Workspace {
    /// Every record, read from the index generation's snapshot the first time it is asked for.
    pub fn catalog(&self) -> Result<&Catalog, WorkspaceError> {
        if let Some(catalog) = self.catalog.get() {
            return Ok(catalog);
        }
        let snapshot = self.index_dir.join(CATALOG_SNAPSHOT);
        let catalog =
            match crate::trace::phase("read catalog snapshot", || read_snapshot(&snapshot)) {
                Ok(catalog) => catalog,
                // The index is current, so the data files hold the same records: read them instead
                // (when they still load; else the snapshot's own error is the one to tell).
                Err(unreadable) => match crate::load::load_catalog(&self.source) {
                    Ok((catalog, _)) => catalog,
                    Err(_) => return Err(unreadable),
                },
            };
        Ok(self.catalog.get_or_init(|| catalog))
    }

    /// The records by kind and position: the catalog when it was read already, else the
    /// snapshot read in place (a match then decodes only the records it reads), else the
    /// catalog read whole.
    pub fn records(&self) -> Result<&dyn Records, WorkspaceError> {
        if let Some(catalog) = self.catalog.get() {
            return Ok(catalog);
        }
        let in_place = self.in_place.get_or_init(|| {
            crate::trace::phase("open catalog snapshot", || self.open_snapshot_in_place())
        });
        match in_place {
            Some(records) => Ok(records),
            None => Ok(self.catalog()?),
        }
    }

    /// The snapshot's records read in place; should a chunk not decode, every record is read
    /// from the data files (they hold the same records while the index is current).
    fn open_snapshot_in_place(&self) -> Option<SnapshotRecords> {
        let bytes =
            crate::mapped::read_generation_file(&self.index_dir.join(CATALOG_SNAPSHOT)).ok()?;
        let source = self.source.clone();
        SnapshotRecords::open(
            Box::new(bytes),
            Box::new(move || {
                crate::load::load_catalog(&source)
                    .ok()
                    .map(|(catalog, _)| catalog)
            }),
        )
    }

    /// Every record read as a match candidate: stored by the index build, else (an index
    /// built before they were stored, or a damaged file) read from the records now.
    pub fn candidates(&self) -> Result<&Candidates, WorkspaceError> {
        if let Some(candidates) = self.candidates.get() {
            return Ok(candidates);
        }
        // The records and the stored candidates are read side by side; beside the records
        // (much the shorter), the vocabulary's names are made ready for the subject's text.
        let (records, stored) = rayon::join(
            || {
                let records = self.records();
                self.vocabulary.prepare_mentions();
                records
            },
            || stored_candidates(&self.index_dir, &self.vocabulary),
        );
        let records = records?;
        let candidates = match stored.filter(|candidates| candidates.fits(records)) {
            Some(stored) => stored,
            None => profile_candidates(self.catalog()?, &self.vocabulary),
        };
        Ok(self.candidates.get_or_init(|| candidates))
    }

    /// The records, moved out for keeping elsewhere (the app's data); read first if need be.
    pub fn take_catalog(&mut self) -> Result<Catalog, WorkspaceError> {
        self.catalog()?;
        Ok(std::mem::take(&mut self.catalog)
            .into_inner()
            .unwrap_or_default())
    }

    /// Opens the data source, rebuilding its index when needed. `progress` is told each step.
    pub fn open(
        options: &OpenOptions,
        settings: &Settings,
        progress: &dyn Fn(Progress),
    ) -> Result<Workspace, WorkspaceError> {
        progress(Progress::Checking);
        let source = data_source(options, settings);
        let vocabulary = crate::trace::phase("vocabulary", || vocabulary_for(&source))?;
        let store = store_for(options, &source)?;
        let fingerprint = crate::trace::phase("fingerprint", || fingerprint(&source, &vocabulary))?;
        if !options.force_rebuild {
            if let Some(workspace) =
                Workspace::reuse_current(store.current(), &source, &vocabulary, &fingerprint)
            {
                progress(Progress::Ready);
                return Ok(workspace);
            }
        }
        let waited = std::cell::Cell::new(false);
        let on_wait = || {
            waited.set(true);
            progress(Progress::Waiting);
        };
        store.locked(&on_wait, |locked| {
            // Whoever held the lock may just have built this very index: use it.
            if !options.force_rebuild || waited.get() {
                if let Some(workspace) =
                    Workspace::reuse_current(locked.current(), &source, &vocabulary, &fingerprint)
                {
                    progress(Progress::Ready);
                    return Ok(workspace);
                }
            }
            let keep_from = (!options.from_scratch).then(|| locked.current()).flatten();
            Workspace::build(locked, source, vocabulary, fingerprint, keep_from, progress)
        })
    }

    /// Like [`Workspace::open`], but when the data has errors and an index was built before,
    /// that last good index is opened instead, with a one-line warning naming the first error
    /// (for searching: matching and exports must not answer from data that is not there).
    pub fn open_or_last_good(
        options: &OpenOptions,
        settings: &Settings,
        progress: &dyn Fn(Progress),
    ) -> Result<(Workspace, Option<String>), WorkspaceError> {
        let failure = match Workspace::open(options, settings, progress) {
            Ok(workspace) => return Ok((workspace, None)),
            Err(WorkspaceError::Load(failure)) => failure,
            Err(other) => return Err(other),
        };
        let source = data_source(options, settings);
        let last_good = vocabulary_for(&source).ok().and_then(|vocabulary| {
            let (dir, meta) = store_for(options, &source).ok()?.current()?;
            Workspace::reuse(&source, &vocabulary, &dir, &meta).ok()
        });
        let Some(workspace) = last_good else {
            return Err(WorkspaceError::Load(failure));
        };
        let first = failure
            .diagnostics
            .first()
            .map(|d| d.to_string())
            .unwrap_or_default();
        let more = failure.diagnostics.len().saturating_sub(1);
        let more = if more > 0 {
            format!(" (and {more} more)")
        } else {
            String::new()
        };
        let warning = format!(
            "the data has errors, so this answer comes from the last good index: {first}{more}; `musubi validate` lists them"
        );
        progress(Progress::Ready);
        Ok((workspace, Some(warning)))
    }

    /// The current generation, when it was built from what `fingerprint` describes and reads
    /// back whole.
    fn reuse_current(
        current: Option<(PathBuf, IndexMeta)>,
        source: &DataSource,
        vocabulary: &Arc<Vocabulary>,
        fingerprint: &str,
    ) -> Option<Workspace> {
        let (dir, meta) = current?;
        if meta.fingerprint != fingerprint {
            return None;
        }
        Workspace::reuse(source, vocabulary, &dir, &meta).ok()
    }

    /// Loads the data and installs a new generation (the caller holds the build lock). The
    /// records go to the catalog snapshot as they are read, and the index, the match
    /// candidates and the history are made from the snapshot a batch of records at a time:
    /// the records are never all in memory.
    /// The index keeps the segments of `keep_from` (the generation in use) whose data files
    /// are unchanged: see [`crate::index::segments`].
    fn build(
        locked: &Locked,
        source: DataSource,
        vocabulary: Arc<Vocabulary>,
        fingerprint: String,
        keep_from: Option<(PathBuf, IndexMeta)>,
        progress: &dyn Fn(Progress),
    ) -> Result<Workspace, WorkspaceError> {
        let base = base_fingerprint(&vocabulary);
        progress(Progress::Loading);
        let started = Instant::now();
        // The snapshot as the build read it, kept for the history (renaming the generation
        // leaves its mapping as it was).
        let mut built: Option<SnapshotRecords> = None;
        // What changed since `keep_from`, for the history (when it can be told).
        let mut history_changes: Option<crate::history::Changes> = None;
        let installed = locked.install(|dir| -> Result<IndexMeta, WorkspaceError> {
            let snapshot = dir.join(CATALOG_SNAPSHOT);
            let (warnings, load, taken_over) =
                crate::trace::phase("load data files into catalog snapshot", || {
                    let earlier = keep_from
                        .as_ref()
                        .and_then(|(dir, meta)| earlier_load(&source, &base, dir, meta));
                    load_into_snapshot(&source, dir, &snapshot, earlier)
                })?;
            let files = load.files.clone();
            // Where the records of files unchanged since `keep_from` were in it (what the
            // index's names, the candidates and the history take over; each asks first
            // whether it may keep from `keep_from` at all).
            let unchanged = keep_from
                .as_ref()
                .map_or_else(UnchangedRecords::default, |(_, meta)| {
                    UnchangedRecords::between(&meta.files, &files)
                });
            let records = open_built_snapshot(&snapshot)?;
            progress(Progress::Indexing {
                records: Kind::ALL.iter().map(|&k| records.count(k)).sum(),
            });
            let previous = keep_from
                .as_ref()
                .and_then(|(dir, meta)| previous_build(&source, &base, dir, meta));
            // The names of the records pointed at, from the last build's where files are
            // unchanged (otherwise the index reads every record for them).
            let names = match &previous {
                Some(previous) => crate::trace::phase("names of the records pointed at", || {
                    crate::index::documents::Names::of_known(
                        &records,
                        &load.pointed_at(),
                        &previous.names,
                        &unchanged,
                    )
                }),
                _ => None,
            };
            let index = crate::trace::phase("build index", || {
                crate::index::segments::build(
                    dir,
                    &records,
                    vocabulary.as_ref(),
                    &files,
                    previous,
                    names,
                    crate::index::segments::GROUP_RECORDS,
                )
            })?;
            crate::trace::note(&format!(
                "index: {} records indexed, {} kept from the last build",
                index.indexed, index.kept
            ));
            write_private(&dir.join(DOCUMENT_NAMES), index.names.to_bytes())?;
            let shared = keep_from.as_ref().is_some_and(|(from, meta)| {
                may_keep_from(&source, &base, meta)
                    && share_candidates(from, dir, meta, &records, &unchanged)
            });
            if shared {
                crate::trace::note(
                    "match candidates: the last build's (none of their records changed)",
                );
            }
            if !shared {
                crate::trace::phase("write match candidates", || {
                    let earlier = keep_from.as_ref().and_then(|(dir, meta)| {
                        earlier_candidates(&source, &base, dir, meta, &vocabulary)
                    });
                    let position = |kind, at| unchanged.earlier_position(kind, at);
                    let earlier = earlier.as_ref().map(|candidates| Earlier {
                        candidates,
                        position: &position,
                    });
                    crate::trace::note(&format!(
                        "match candidates: {} records profiled before",
                        if earlier.is_some() {
                            unchanged.len()
                        } else {
                            0
                        }
                    ));
                    write_candidates(
                        &dir.join(MATCH_CANDIDATES),
                        &records,
                        &vocabulary,
                        earlier.as_ref(),
                    )
                })?;
            }
            history_changes = keep_from.as_ref().and_then(|(dir, meta)| {
                crate::trace::phase("tell the record history's changes", || {
                    changes_since(&source, &base, dir, meta, &records, &unchanged)
                })
            });
            let counts = Kind::ALL
                .iter()
                .map(|&k| (k.as_str().to_string(), records.count(k)))
                .collect();
            built = Some(records);
            Ok(IndexMeta {
                fingerprint: fingerprint.clone(),
                source: source.describe(),
                counts,
                built_at: SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map(|d| d.as_secs())
                    .unwrap_or(0),
                build_ms: started.elapsed().as_millis() as u64,
                musubi_version: env!("CARGO_PKG_VERSION").to_string(),
                warnings: diagnostics_text(&warnings),
                base: base.clone(),
                segments: index.segments,
                kept_records: index.kept,
                taken_over_records: taken_over,
                candidates_bytes: std::fs::metadata(dir.join(MATCH_CANDIDATES))
                    .ok()
                    .map(|m| m.len()),
                files,
            })
        });
        let dir = match installed {
            Ok(dir) => dir,
            Err(load @ WorkspaceError::Load(_)) => return Err(load),
            // The data is read while the generation is written, so a disk that fails (a full
            // one) could hide errors in the data, and those are what `open_or_last_good`
            // falls back on: read the files again, keeping nothing, to tell them first.
            Err(other) => {
                crate::load::check(&source)?;
                return Err(other);
            }
        };
        let (_, meta) = locked.current().ok_or_else(|| WorkspaceError::Read {
            path: locked.root().to_path_buf(),
            source: std::io::Error::other("the new index did not become current"),
        })?;
        // Still under the build lock: one builder at a time carries the record history on.
        let mut warnings = meta.warnings.clone();
        let history = crate::trace::phase("record history", || match &built {
            Some(records) => {
                crate::history::record_build(locked.root(), records, &meta.files, history_changes)
                    .map_err(|e| e.to_string())
            }
            None => Err("the build's records were not kept".to_string()),
        });
        match history {
            Ok(crate::history::Recorded::Changes { seen, gone }) => crate::trace::note(&format!(
                "record history: {seen} records read from changed files, {gone} gone"
            )),
            Ok(crate::history::Recorded::Whole) => {
                crate::trace::note("record history: every record")
            }
            Err(e) => warnings.push(format!("record history not updated: {e}")),
        }
        let index = SearchIndex::open(&dir)?;
        progress(Progress::Ready);
        Ok(Workspace {
            source,
            vocabulary,
            catalog: OnceLock::new(),
            in_place: OnceLock::new(),
            candidates: OnceLock::new(),
            index,
            meta,
            index_dir: dir,
            rebuilt: true,
            warnings,
        })
    }

    fn reuse(
        source: &DataSource,
        vocabulary: &Arc<Vocabulary>,
        dir: &Path,
        meta: &IndexMeta,
    ) -> Result<Workspace, WorkspaceError> {
        // A generation without its snapshot is not reused (the records are read on demand).
        let snapshot = dir.join(CATALOG_SNAPSHOT);
        std::fs::metadata(&snapshot).map_err(|source| WorkspaceError::Read {
            path: snapshot.clone(),
            source,
        })?;
        let index = crate::trace::phase("open index", || SearchIndex::open(dir))?;
        Ok(Workspace {
            source: source.clone(),
            vocabulary: Arc::clone(vocabulary),
            catalog: OnceLock::new(),
            in_place: OnceLock::new(),
            candidates: OnceLock::new(),
            index,
            meta: meta.clone(),
            index_dir: dir.to_path_buf(),
            rebuilt: false,
            warnings: meta.warnings.clone(),
        })
    }
}
