//! The history of records across index builds: per record a content fingerprint with the time
//! it was first seen and last changed, and for datasets the states that news is made of
//! (consent codes, cases, modalities, diseases). Carried from generation to generation in
//! `history.json` at the root of the index store.
//!
//! A rebuild that kept what unchanged data files gave records only what changed, as one small
//! file per build beside it (see [`journal`]); a build from scratch, a large change, a build
//! the history missed, or a journal grown past 64 entries or a quarter of `history.json`,
//! rewrites `history.json` whole (atomically). Reading the history reads both.
//!
//! Builds are recorded under the index store's build lock, one at a time.

mod changes;
mod journal;

pub use changes::{Changes, SeenRecord};
pub use journal::{BuildEntry, HISTORY_BUILDS_DIR};

use crate::load::FileRecords;
use crate::model::{Dataset, Kind};
use crate::records::{Damaged, RecordBatches};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The file name at the root of an index store.
pub const HISTORY_FILE: &str = "history.json";

/// How many past states of one dataset are kept.
const MAX_STATES: usize = 32;

/// A moment as RFC 3339 text. One build dates every record it touches with the same moment,
/// so the text is shared, not copied per record (a million records would hold three copies
/// each); it reads and writes as a plain string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moment(Arc<str>);

thread_local! {
    /// The moments already read while a history is being read (see [`History::load`]).
    static MOMENTS_READ: RefCell<Option<HashSet<Arc<str>>>> = const { RefCell::new(None) };
}

impl Moment {
    /// The moment `text`, sharing the text of an equal moment read before in the same
    /// [`History::load`].
    fn shared(text: &str) -> Moment {
        MOMENTS_READ.with(|read| match read.borrow_mut().as_mut() {
            Some(read) => match read.get(text) {
                Some(known) => Moment(Arc::clone(known)),
                None => {
                    let new: Arc<str> = Arc::from(text);
                    read.insert(Arc::clone(&new));
                    Moment(new)
                }
            },
            None => Moment(Arc::from(text)),
        })
    }

    /// The moment's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Moment {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Moment {
    fn from(text: &str) -> Moment {
        Moment(Arc::from(text))
    }
}

impl Serialize for Moment {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Moment {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Moment, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(Moment::shared(&text))
    }
}

/// Shares equal moments while it lives (on this thread), and forgets them when dropped, even
/// when reading fails.
struct SharingMoments;

impl SharingMoments {
    fn start() -> SharingMoments {
        MOMENTS_READ.with(|read| *read.borrow_mut() = Some(HashSet::new()));
        SharingMoments
    }
}

impl Drop for SharingMoments {
    fn drop(&mut self) {
        MOMENTS_READ.with(|read| *read.borrow_mut() = None);
    }
}

/// SHA-256 of a record's content; reads and writes as 64 lower-case hex digits. Anything else
/// where one is expected reads as no fingerprint (all zeros), so the record counts as changed
/// at the next build rather than the history being unreadable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fingerprint([u8; 32]);

impl Fingerprint {
    /// The fingerprint in hex.
    pub fn hex(&self) -> String {
        crate::hex::encode(&self.0)
    }

    fn from_hex(text: &str) -> Option<Fingerprint> {
        crate::hex::decode(text).map(Fingerprint)
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.hex())
    }
}

impl<'de> Deserialize<'de> for Fingerprint {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Fingerprint, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(Fingerprint::from_hex(&text).unwrap_or_default())
    }
}

/// What of a dataset news is about, as one build read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetFacts {
    pub data_use: Vec<String>,
    pub cases: u64,
    pub modalities: Vec<String>,
    pub diseases: Vec<String>,
}

impl DatasetFacts {
    /// The facts of `d`.
    pub fn of(d: &Dataset) -> DatasetFacts {
        DatasetFacts {
            data_use: d.data_use.clone(),
            cases: d.cases,
            modalities: d.modalities.clone(),
            diseases: d.diseases.clone(),
        }
    }
}

/// What of a dataset news is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetState {
    /// The build that first saw this state.
    pub build: u64,
    /// When that build ran (RFC 3339).
    pub at: Moment,
    pub data_use: Vec<String>,
    pub cases: u64,
    pub modalities: Vec<String>,
    pub diseases: Vec<String>,
}

/// One record's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordHistory {
    pub kind: Kind,
    /// SHA-256 of the record's content.
    pub fingerprint: Fingerprint,
    pub first_seen: Moment,
    pub first_build: u64,
    pub last_changed: Moment,
    pub last_build: u64,
    /// When the record left the data (and `None` while it is there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed: Option<Moment>,
    /// Datasets only: their states, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub states: Vec<DatasetState>,
}

/// How `history.json` is read (see [`History::load`] and [`History::load_whole`]).
#[derive(Debug, Clone, Copy)]
enum Reading {
    Buffered,
    Whole,
}

/// Every record's history in one data source's index store.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// Names this `history.json` (written anew each time it is rewritten whole): the builds
    /// recorded after it are those whose entries name it (see [`journal`]). First, so that a
    /// build can read it without reading the rest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal: Option<String>,
    /// Builds recorded so far (the first is number 1).
    pub builds: u64,
    /// When the first recorded build ran: records seen then may be older than that.
    pub started: Option<String>,
    /// When the latest build ran.
    pub latest: Option<String>,
    pub records: BTreeMap<String, RecordHistory>,
}

/// Errors reading or writing the history.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not a record history: {source}", path.display())]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error(transparent)]
    Snapshot(#[from] Damaged),
}

/// SHA-256 of a record's JSON.
fn fingerprint<T: Serialize>(record: &T) -> Fingerprint {
    let bytes = serde_json::to_vec(record).unwrap_or_default();
    Fingerprint(Sha256::digest(&bytes).into())
}

fn state_of(facts: DatasetFacts, build: u64, at: &Moment) -> DatasetState {
    DatasetState {
        build,
        at: at.clone(),
        data_use: facts.data_use,
        cases: facts.cases,
        modalities: facts.modalities,
        diseases: facts.diseases,
    }
}

impl History {
    /// The history of an index store (`root/history.json` and the builds recorded after it);
    /// none yet is an empty history.
    /// `history.json` is read through a buffer, a little at a time (a build reads it so:
    /// the file's bytes held whole would set the build's peak memory).
    pub fn load(root: &Path) -> Result<History, HistoryError> {
        History::load_reading(root, Reading::Buffered)
    }

    /// [`History::load`], with `history.json` read whole before it is parsed: faster (1.6 s
    /// where a buffered read took 2.3 s at a million records), holding the file's bytes
    /// (~290 MB there) while it is parsed. For what reads the history only (news, the app),
    /// whose records take far more memory than the file.
    pub fn load_whole(root: &Path) -> Result<History, HistoryError> {
        History::load_reading(root, Reading::Whole)
    }

    fn load_reading(root: &Path, reading: Reading) -> Result<History, HistoryError> {
        // A build rewriting `history.json` removes the entries it took in: read again when one
        // listed went before it was read.
        match History::load_once(root, reading) {
            Err(HistoryError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                History::load_once(root, reading)
            }
            read => read,
        }
    }

    fn load_once(root: &Path, reading: Reading) -> Result<History, HistoryError> {
        let entries = journal::entries(root)?;
        let mut history = History::load_base(root, reading)?;
        // Only the entries that follow this very history.json: not those left by one it
        // replaced (rewritten by a build, restored from a backup, removed).
        let Some(base) = history.journal_base() else {
            return Ok(history);
        };
        for (build, path) in entries {
            if build > history.builds {
                let entry = journal::read_entry(&path)?;
                if entry.base == base {
                    history.apply(&entry);
                }
            }
        }
        Ok(history)
    }

    /// What the entries recorded after this history (as written) name it by: its journal
    /// name and number of builds; `None` when it has no journal name.
    fn journal_base(&self) -> Option<String> {
        let name = self.journal.as_deref()?;
        Some(journal::base_name(name, self.builds))
    }

    /// `root/history.json` alone.
    fn load_base(root: &Path, reading: Reading) -> Result<History, HistoryError> {
        let path = root.join(HISTORY_FILE);
        let parsed = match reading {
            Reading::Buffered => std::fs::File::open(&path).map(|file| {
                let _sharing = SharingMoments::start();
                serde_json::from_reader(std::io::BufReader::with_capacity(1 << 16, file))
            }),
            Reading::Whole => std::fs::read(&path).map(|bytes| {
                let _sharing = SharingMoments::start();
                serde_json::from_slice(&bytes)
            }),
        };
        match parsed {
            Ok(Ok(history)) => Ok(history),
            Ok(Err(source)) if source.is_io() => Err(HistoryError::Io {
                path,
                source: source.into(),
            }),
            Ok(Err(source)) => Err(HistoryError::Parse { path, source }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(History::default()),
            Err(source) => Err(HistoryError::Io { path, source }),
        }
    }

    /// Writes `root/history.json` atomically, streamed to the file (at a million records the
    /// JSON would be a few hundred megabytes in memory).
    pub fn save(&self, root: &Path) -> Result<(), HistoryError> {
        let path = root.join(HISTORY_FILE);
        crate::atomic_file::write_atomically_with(&path, true, |file| {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
            serde_json::to_writer(&mut out, self)?;
            out.flush()
        })
        .map_err(|source| HistoryError::Io { path, source })
    }

    /// Records one build of `records` at `at` (RFC 3339): new records, changed ones, removed
    /// ones. Returns the build's number; `Err` when a batch of a snapshot does not decode
    /// (the history is then half updated: not to be saved).
    pub fn record_build(&mut self, records: &dyn RecordBatches, at: &str) -> Result<u64, Damaged> {
        let build = self.start_build(at);
        let at = Moment::from(at);
        records.datasets(&mut |batch| {
            for d in batch {
                let facts = Some(DatasetFacts::of(d));
                self.note(&d.id, Kind::Dataset, fingerprint(d), facts, build, &at);
            }
        })?;
        records.researchers(&mut |batch| {
            for r in batch {
                self.note(&r.id, Kind::Researcher, fingerprint(r), None, build, &at);
            }
        })?;
        records.organizations(&mut |batch| {
            for o in batch {
                self.note(&o.id, Kind::Organization, fingerprint(o), None, build, &at);
            }
        })?;
        records.proposals(&mut |batch| {
            for p in batch {
                self.note(&p.id, Kind::Proposal, fingerprint(p), None, build, &at);
            }
        })?;
        records.needs(&mut |batch| {
            for n in batch {
                self.note(&n.id, Kind::Need, fingerprint(n), None, build, &at);
            }
        })?;
        let present: HashSet<&str> = Kind::ALL
            .iter()
            .flat_map(|&kind| (0..records.count(kind)).map(move |at| records.id(kind, at)))
            .collect();
        for (id, record) in self.records.iter_mut() {
            if !present.contains(id.as_str()) && record.removed.is_none() {
                record.removed = Some(at.clone());
            }
        }
        Ok(build)
    }

    /// Takes in one build recorded by its changes alone: the same as [`History::record_build`]
    /// of that build's records when this history's last build read the files the build's
    /// last one did.
    pub fn apply(&mut self, entry: &BuildEntry) {
        self.builds = entry.build.saturating_sub(1).max(self.builds);
        let build = self.start_build(&entry.at);
        let at = Moment::from(entry.at.as_str());
        for seen in &entry.seen {
            let facts = seen.dataset.clone();
            self.note(&seen.id, seen.kind, seen.fingerprint, facts, build, &at);
        }
        for id in &entry.gone {
            if let Some(record) = self.records.get_mut(id) {
                if record.removed.is_none() {
                    record.removed = Some(at.clone());
                }
            }
        }
    }

    /// Counts one more build at `at`: its number.
    fn start_build(&mut self, at: &str) -> u64 {
        self.builds += 1;
        self.started.get_or_insert_with(|| at.to_string());
        self.latest = Some(at.to_string());
        self.builds
    }

    /// Notes that build `build` read record `id` with this fingerprint (and, for a dataset,
    /// these facts): new, changed, back after it was removed, or as it was.
    fn note(
        &mut self,
        id: &str,
        kind: Kind,
        fp: Fingerprint,
        dataset: Option<DatasetFacts>,
        build: u64,
        at: &Moment,
    ) {
        let entry = match self.records.get_mut(id) {
            Some(entry) => entry,
            None => self
                .records
                .entry(id.to_string())
                .or_insert_with(|| RecordHistory {
                    kind,
                    fingerprint: Fingerprint::default(),
                    first_seen: at.clone(),
                    first_build: build,
                    last_changed: at.clone(),
                    last_build: build,
                    removed: None,
                    states: Vec::new(),
                }),
        };
        if entry.removed.take().is_some() || entry.fingerprint != fp || entry.kind != kind {
            entry.fingerprint = fp;
            entry.kind = kind;
            entry.last_changed = at.clone();
            entry.last_build = build;
        }
        if let Some(facts) = dataset {
            let same = entry.states.last().is_some_and(|s| {
                s.data_use == facts.data_use
                    && s.cases == facts.cases
                    && s.modalities == facts.modalities
                    && s.diseases == facts.diseases
            });
            if !same {
                entry.states.push(state_of(facts, build, at));
                if entry.states.len() > MAX_STATES {
                    entry.states.remove(0);
                }
            }
        }
    }
}

/// How a build was recorded in the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// By its changes alone: this many records read again, this many gone.
    Changes { seen: usize, gone: usize },
    /// Every record, `history.json` rewritten.
    Whole,
}

/// After a build that read `files`: records it in the store's history, by `changes` alone
/// when they are given and fit (the history's last build read the files they were told
/// against, and the builds recorded since `history.json` was written are not too many),
/// otherwise every record of `records`, rewriting `history.json`.
pub fn record_build(
    root: &Path,
    records: &dyn RecordBatches,
    files: &[FileRecords],
    changes: Option<Changes>,
) -> Result<Recorded, HistoryError> {
    let at = crate::outreach::clock::format(crate::outreach::clock::now());
    if let Some(changes) = changes {
        if let Some((build, base)) = journal::next_build(root, &changes.earlier_files)? {
            let recorded = Recorded::Changes {
                seen: changes.seen.len(),
                gone: changes.gone.len(),
            };
            journal::write_entry(
                root,
                &BuildEntry {
                    build,
                    base,
                    at,
                    files: files.to_vec(),
                    seen: changes.seen,
                    gone: changes.gone,
                },
            )?;
            return Ok(recorded);
        }
    }
    let mut history = History::load(root)?;
    history.record_build(records, &at)?;
    history.journal = Some(journal::new_name(history.builds));
    history.save(root)?;
    let base = history.journal_base().unwrap_or_default();
    journal::restart(root, history.builds, &base, &at, files)?;
    Ok(Recorded::Whole)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Area;
    use crate::model::Catalog;

    fn dataset(id: &str, data_use: &[&str], cases: u64) -> Dataset {
        Dataset {
            id: id.into(),
            title: id.into(),
            area: Area::Cancer,
            diseases: vec!["膵がん".into()],
            cases,
            modalities: vec!["WGS".into()],
            clinical: Vec::new(),
            custodian: None,
            fiscal_year: None,
            access: None,
            data_use: data_use.iter().map(|s| s.to_string()).collect(),
            summary: None,
            extra: Default::default(),
        }
    }

    #[test]
    fn fingerprints_are_the_hex_of_the_records_sha256() {
        let record = dataset("D1", &["HMB"], 100);
        let json = serde_json::to_vec(&record).unwrap_or_default();
        let spelled: String = Sha256::digest(&json)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(fingerprint(&record).hex(), spelled);
        assert_eq!(spelled.len(), 64);
        assert_eq!(Fingerprint::from_hex(&spelled), Some(fingerprint(&record)));
        for odd in ["", "abc", &spelled.to_uppercase(), &format!("{spelled}0")] {
            assert_eq!(Fingerprint::from_hex(odd), None, "{odd}");
        }
        let read: Fingerprint = serde_json::from_str("\"not hex\"").unwrap_or(fingerprint(&record));
        assert_eq!(read, Fingerprint::default());
    }

    #[test]
    fn a_read_history_shares_equal_moments() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let catalog = Catalog {
            datasets: vec![dataset("D1", &["HMB"], 100), dataset("D2", &["GRU"], 5)],
            ..Catalog::default()
        };
        let mut history = History::default();
        history
            .record_build(&catalog, "2026-11-28T10:00:00Z")
            .expect("a catalog in memory");
        history.save(dir.path())?;
        let read = History::load(dir.path())?;
        let d1 = &read.records["D1"];
        let d2 = &read.records["D2"];
        assert_eq!(d1.first_seen.as_str(), "2026-11-28T10:00:00Z");
        assert!(Arc::ptr_eq(&d1.first_seen.0, &d2.last_changed.0));
        assert!(Arc::ptr_eq(&d1.first_seen.0, &d2.states[0].at.0));
        // Outside a read, moments are not remembered.
        assert!(MOMENTS_READ.with(|read| read.borrow().is_none()));
        Ok(())
    }

    #[test]
    fn saved_history_reads_back_whole() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let mut history = History::default();
        let catalog = Catalog {
            datasets: vec![dataset("D1", &["HMB"], 100), dataset("D2", &["GRU"], 5)],
            ..Catalog::default()
        };
        history
            .record_build(&catalog, "2026-11-28T10:00:00Z")
            .expect("a catalog in memory");
        history.save(dir.path())?;
        assert_eq!(History::load(dir.path())?, history);
        // Read whole, it is the same history, its moments shared alike.
        let whole = History::load_whole(dir.path())?;
        assert_eq!(whole, history);
        let (d1, d2) = (&whole.records["D1"], &whole.records["D2"]);
        assert!(Arc::ptr_eq(&d1.first_seen.0, &d2.last_changed.0));
        // Damaged, both reads say so alike; missing, both are empty.
        std::fs::write(
            dir.path().join(HISTORY_FILE),
            "{\"builds\": 1, \"records\": {",
        )?;
        for read in [History::load(dir.path()), History::load_whole(dir.path())] {
            assert!(matches!(read, Err(HistoryError::Parse { .. })), "{read:?}");
        }
        std::fs::remove_file(dir.path().join(HISTORY_FILE))?;
        assert_eq!(History::load_whole(dir.path())?, History::default());
        Ok(())
    }

    #[test]
    fn builds_carry_first_seen_and_date_changes() {
        let mut history = History::default();
        let mut catalog = Catalog {
            datasets: vec![
                dataset("D1", &["HMB", "NCU"], 100),
                dataset("D2", &["GRU"], 50),
            ],
            ..Catalog::default()
        };
        assert_eq!(history.record_build(&catalog, "t1"), Ok(1));
        assert_eq!(history.record_build(&catalog, "t2"), Ok(2));
        let d1 = &history.records["D1"];
        assert_eq!(
            (d1.first_seen.as_str(), d1.last_changed.as_str()),
            ("t1", "t1")
        );
        assert_eq!(d1.states.len(), 1);

        catalog.datasets[0].data_use = vec!["HMB".into()];
        catalog.datasets.remove(1);
        catalog.datasets.push(dataset("D3", &["GRU"], 10));
        history
            .record_build(&catalog, "t3")
            .expect("a catalog in memory");
        let d1 = &history.records["D1"];
        assert_eq!(
            (d1.first_seen.as_str(), d1.last_changed.as_str()),
            ("t1", "t3")
        );
        assert_eq!(d1.last_build, 3);
        assert_eq!(d1.states.len(), 2);
        assert_eq!(d1.states[0].data_use, ["HMB", "NCU"]);
        assert_eq!(history.records["D2"].removed.as_deref(), Some("t3"));
        assert_eq!(history.records["D3"].first_build, 3);
        assert_eq!(history.started.as_deref(), Some("t1"));
    }

    #[test]
    fn the_history_file_round_trips() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let catalog = Catalog {
            datasets: vec![dataset("D1", &["GRU"], 1)],
            ..Catalog::default()
        };
        assert!(record_build(tmp.path(), &catalog, &[], None).is_ok());
        assert!(record_build(tmp.path(), &catalog, &[], None).is_ok());
        let back = History::load(tmp.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.builds, 2);
        assert_eq!(back.records["D1"].first_build, 1);
    }
}
