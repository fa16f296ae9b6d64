//! Where an index lives on disk, and how a new one replaces the old without ever leaving a
//! half-built index in use.
//!
//! Layout of a store directory:
//! - `gen-<stamp>/`: one complete build (tantivy files, `musubi-meta.json`, the catalog snapshot);
//! - `CURRENT`: the name of the generation in use, replaced atomically (`crate::atomic_file`);
//! - `building-<pid>-<stamp>/`: a build in progress; renamed to `gen-…` only once complete;
//! - `LOCK`: held (an advisory file lock) by the one process that builds and swaps.
//!
//! A failed or interrupted build leaves `CURRENT` pointing at the previous generation. Only the
//! holder of `LOCK` builds, swaps and removes: two builders never delete each other's work, and
//! whatever a build left behind (after `kill -9`) is removed by the next holder, whatever its
//! age, since no other build can be running.

use crate::atomic_file::write_atomically;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

const CURRENT: &str = "CURRENT";
const LOCK: &str = "LOCK";
const META: &str = "musubi-meta.json";

/// What a generation was built from, to tell whether it is still up to date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexMeta {
    /// Hash of the data files, the vocabulary, the schema and the program version.
    pub fingerprint: String,
    /// Where the data came from (a directory, or the bundled sample data).
    pub source: String,
    /// Records per kind (`dataset` → 30).
    pub counts: BTreeMap<String, usize>,
    /// Seconds since the Unix epoch when the build finished.
    pub built_at: u64,
    /// How long the build took, in milliseconds (reading the data files included: since
    /// round 9 of issue 12 they are read into the catalog snapshot as part of the build).
    pub build_ms: u64,
    /// The musubi version that built it.
    pub musubi_version: String,
    /// Warnings from loading the data it was built from.
    #[serde(default)]
    pub warnings: Vec<String>,
    /// Hash of what every document depends on but the data files: the program version,
    /// the schema and the vocabulary. A build may keep segments of a generation with the
    /// same one (empty: an older build, never kept from).
    #[serde(default)]
    pub base: String,
    /// The index's segments by data file (see [`crate::index::segments`]).
    #[serde(default)]
    pub segments: Vec<crate::index::segments::FileSegments>,
    /// Records whose documents this build kept from the one before (their files unchanged).
    #[serde(default)]
    pub kept_records: usize,
    /// Records this build's load took over from the one before, without parsing their
    /// files (unchanged): see [`crate::load::load_into_reusing`].
    #[serde(default)]
    pub taken_over_records: usize,
    /// The size in bytes of the match candidates file as written: a later build shares the
    /// file only while it still has this size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidates_bytes: Option<u64>,
    /// The data files read, in the order read (a later build finds the records of the
    /// unchanged ones in this one's files by it).
    #[serde(default)]
    pub files: Vec<crate::load::FileRecords>,
}

/// Errors of the index store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("index directory {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error(
        "index directory {}: this is a file, not a directory (give --index a directory; it is created when missing)",
        path.display()
    )]
    NotADirectory { path: PathBuf },
    #[error("index metadata {path}: {source}")]
    Meta {
        path: PathBuf,
        source: serde_json::Error,
    },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn stamp() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

/// Proof that this process holds a store's build lock: only a holder builds and swaps
/// generations and removes old ones (see [`IndexStore::locked`]).
pub struct Locked<'a> {
    store: &'a IndexStore,
}

/// A directory holding the generations of one data directory's index.
#[derive(Debug, Clone)]
pub struct IndexStore {
    root: PathBuf,
}

impl IndexStore {
    /// A store at this directory (created when first built).
    pub fn at(root: impl Into<PathBuf>) -> IndexStore {
        IndexStore { root: root.into() }
    }

    /// The store's directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The generation in use and its metadata, if there is a complete one.
    pub fn current(&self) -> Option<(PathBuf, IndexMeta)> {
        let name = fs::read_to_string(self.root.join(CURRENT)).ok()?;
        let name = name.trim();
        if !name.starts_with("gen-") || name.contains(['/', '\\']) {
            return None;
        }
        let dir = self.root.join(name);
        let meta = fs::read(dir.join(META)).ok()?;
        let meta = serde_json::from_slice(&meta).ok()?;
        Some((dir, meta))
    }

    /// Creates the store's directory (and its parents) when missing; a file in its place is
    /// an error saying so.
    fn create_root(&self) -> Result<(), StoreError> {
        match fs::metadata(&self.root) {
            Ok(meta) if meta.is_dir() => Ok(()),
            Ok(_) => Err(StoreError::NotADirectory {
                path: self.root.clone(),
            }),
            Err(_) => fs::create_dir_all(&self.root).map_err(io_err(&self.root)),
        }
    }

    /// Runs `work` holding the store's build lock, waiting for it when another process (or
    /// thread) holds it; `on_wait` is called once before waiting. Leftovers of interrupted
    /// builds are removed first.
    pub fn locked<T, E: From<StoreError>>(
        &self,
        on_wait: &dyn Fn(),
        work: impl FnOnce(&Locked) -> Result<T, E>,
    ) -> Result<T, E> {
        self.create_root()?;
        let path = self.root.join(LOCK);
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(io_err(&path))?;
        let mut lock = fd_lock::RwLock::new(file);
        // A free lock taken here is released at once and taken again below: harmless.
        let busy = matches!(lock.try_write(), Err(e) if e.kind() == io::ErrorKind::WouldBlock);
        if busy {
            on_wait();
        }
        let _guard = lock.write().map_err(io_err(&path))?;
        let locked = Locked { store: self };
        locked.remove_leftovers();
        work(&locked)
    }

    /// Builds and installs a generation under the build lock (see [`Locked::install`]).
    pub fn install<E: From<StoreError>>(
        &self,
        build: impl FnOnce(&Path) -> Result<IndexMeta, E>,
    ) -> Result<PathBuf, E> {
        self.locked(&|| {}, |locked| locked.install(build))
    }
}

impl Locked<'_> {
    /// The store's directory.
    pub fn root(&self) -> &Path {
        &self.store.root
    }

    /// The generation in use (see [`IndexStore::current`]).
    pub fn current(&self) -> Option<(PathBuf, IndexMeta)> {
        self.store.current()
    }

    /// Builds a new generation with `build` (which fills the empty directory it is given and
    /// returns the metadata), then makes it current. If `build` fails, the directory is removed
    /// and the current generation stays as it was.
    pub fn install<E: From<StoreError>>(
        &self,
        build: impl FnOnce(&Path) -> Result<IndexMeta, E>,
    ) -> Result<PathBuf, E> {
        let root = &self.store.root;
        let stamp = stamp();
        let building = root.join(format!("building-{}-{stamp}", std::process::id()));
        fs::create_dir(&building).map_err(io_err(&building))?;
        // The index stores every record, contact details included: owner-only.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&building, fs::Permissions::from_mode(0o700))
                .map_err(io_err(&building))?;
        }
        let meta = match build(&building) {
            Ok(meta) => meta,
            Err(e) => {
                let _ = fs::remove_dir_all(&building);
                return Err(e);
            }
        };
        let finish = || -> Result<PathBuf, StoreError> {
            let meta_path = building.join(META);
            let json = serde_json::to_vec_pretty(&meta).map_err(|source| StoreError::Meta {
                path: meta_path.clone(),
                source,
            })?;
            write_atomically(&meta_path, &json, true).map_err(io_err(&meta_path))?;
            let name = format!("gen-{stamp}");
            let generation = root.join(&name);
            fs::rename(&building, &generation).map_err(io_err(&generation))?;
            // The pointer may only name a generation whose files are on disk.
            if let Ok(dir) = fs::File::open(root) {
                let _ = dir.sync_all();
            }
            let pointer = root.join(CURRENT);
            write_atomically(&pointer, name.as_bytes(), true).map_err(io_err(&pointer))?;
            Ok(generation)
        };
        match finish() {
            Ok(generation) => {
                self.remove_stale(&generation);
                Ok(generation)
            }
            Err(e) => {
                // Whichever name the unfinished generation has by now, it goes.
                let _ = fs::remove_dir_all(&building);
                let _ = fs::remove_dir_all(root.join(format!("gen-{stamp}")));
                Err(e.into())
            }
        }
    }

    /// Removes every generation but `keep` (best effort: another musubi may still be reading
    /// an old generation, which Unix allows; a reader that finds its generation gone opens the
    /// new one).
    fn remove_stale(&self, keep: &Path) {
        for (path, name) in self.entries() {
            if name.starts_with("gen-") && path != keep {
                let _ = fs::remove_dir_all(&path);
            }
        }
    }

    /// Removes what interrupted builds left: `building-*` directories and `CURRENT.*` pointer
    /// files (named so by earlier versions; the pointer's temporary is now the atomic writer's). Only the lock holder builds, so none of them belongs to a running build.
    fn remove_leftovers(&self) {
        for (path, name) in self.entries() {
            if name.starts_with("building-") {
                let _ = fs::remove_dir_all(&path);
            } else if name.starts_with(&format!("{CURRENT}.")) {
                let _ = fs::remove_file(&path);
            }
        }
    }

    fn entries(&self) -> Vec<(PathBuf, String)> {
        let Ok(entries) = fs::read_dir(&self.store.root) else {
            return Vec::new();
        };
        entries
            .flatten()
            .map(|e| (e.path(), e.file_name().to_string_lossy().into_owned()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(fingerprint: &str) -> IndexMeta {
        IndexMeta {
            fingerprint: fingerprint.into(),
            source: "test".into(),
            counts: BTreeMap::new(),
            built_at: 0,
            build_ms: 0,
            musubi_version: "0".into(),
            warnings: Vec::new(),
            base: String::new(),
            segments: Vec::new(),
            kept_records: 0,
            taken_over_records: 0,
            candidates_bytes: None,
            files: Vec::new(),
        }
    }

    #[test]
    fn a_successful_build_becomes_current() {
        let tmp = tempfile::tempdir().unwrap();
        let store = IndexStore::at(tmp.path().join("store"));
        assert!(store.current().is_none());
        let generation = store
            .install(|dir| -> Result<IndexMeta, StoreError> {
                fs::write(dir.join("payload"), "one").unwrap();
                Ok(meta("a"))
            })
            .unwrap();
        let (current, m) = store.current().unwrap();
        assert_eq!(current, generation);
        assert_eq!(m.fingerprint, "a");
        assert_eq!(fs::read_to_string(current.join("payload")).unwrap(), "one");
    }

    #[test]
    fn a_failed_build_keeps_the_previous_generation_and_leaves_nothing_behind() {
        let tmp = tempfile::tempdir().unwrap();
        let store = IndexStore::at(tmp.path());
        store
            .install(|_| -> Result<IndexMeta, StoreError> { Ok(meta("good")) })
            .unwrap();
        let failed = store.install(|dir| -> Result<IndexMeta, StoreError> {
            fs::write(dir.join("half"), "written").unwrap();
            Err(StoreError::Io {
                path: dir.to_path_buf(),
                source: io::Error::other("interrupted"),
            })
        });
        assert!(failed.is_err());
        assert_eq!(store.current().unwrap().1.fingerprint, "good");
        let leftovers: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("building-"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn a_new_generation_replaces_and_removes_the_old_one() {
        let tmp = tempfile::tempdir().unwrap();
        let store = IndexStore::at(tmp.path());
        let first = store
            .install(|_| -> Result<IndexMeta, StoreError> { Ok(meta("1")) })
            .unwrap();
        let second = store
            .install(|_| -> Result<IndexMeta, StoreError> { Ok(meta("2")) })
            .unwrap();
        assert_ne!(first, second);
        assert!(!first.exists());
        assert_eq!(store.current().unwrap().1.fingerprint, "2");
    }

    #[cfg(unix)]
    #[test]
    fn generations_are_readable_by_the_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let store = IndexStore::at(tmp.path());
        let generation = store
            .install(|_| -> Result<IndexMeta, StoreError> { Ok(meta("p")) })
            .unwrap();
        let mode = fs::metadata(&generation).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }

    #[test]
    fn a_garbled_pointer_is_treated_as_no_index() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join(CURRENT), "../../etc").unwrap();
        assert!(IndexStore::at(tmp.path()).current().is_none());
    }
}
