//! The builds recorded since `history.json` was last written, one file each in
//! `history-builds/` beside it (`000000000012.json` for build 12), each written atomically:
//! a rebuild that kept what unchanged files gave writes what changed, not the whole history.
//!
//! Rewriting `history.json` gives it a new journal name and leaves one entry of its own build
//! with no changes (a marker: the files that build read, for the next build to compare with),
//! then removes the older ones. Every entry names the `history.json` it follows (journal name
//! and builds), and only entries naming the one there is are applied. An entry is only ever
//! added after the newest one, and only when that one follows the `history.json` there is and
//! read the files the build's last generation did: otherwise the build is recorded whole.

use super::{HistoryError, SeenRecord, HISTORY_FILE};
use crate::load::FileRecords;
use serde::{Deserialize, Serialize};
use sha2::Digest;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The directory, beside `history.json`, of the builds recorded after it.
pub const HISTORY_BUILDS_DIR: &str = "history-builds";

/// Past this many entries, the next build rewrites `history.json`.
const MAX_ENTRIES: usize = 64;

/// Past a quarter of `history.json`'s size in entries, the next build rewrites it.
const MAX_SHARE: u64 = 4;

/// One build as its changes: the records read from files that changed, and the ids the build
/// before had that this one has not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuildEntry {
    /// The build's number.
    pub build: u64,
    /// The `history.json` it follows (see [`base_name`]).
    pub base: String,
    /// When it ran (RFC 3339).
    pub at: String,
    /// The data files it read.
    pub files: Vec<FileRecords>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seen: Vec<SeenRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gone: Vec<String>,
}

fn builds_dir(root: &Path) -> PathBuf {
    root.join(HISTORY_BUILDS_DIR)
}

fn entry_path(root: &Path, build: u64) -> PathBuf {
    builds_dir(root).join(format!("{build:012}.json"))
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> HistoryError + '_ {
    move |source| HistoryError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The entries there are, oldest first: (build, file). Other files (an atomic write's
/// temporary one) are not entries.
pub(super) fn entries(root: &Path) -> Result<Vec<(u64, PathBuf)>, HistoryError> {
    let dir = builds_dir(root);
    let listing = match std::fs::read_dir(&dir) {
        Ok(listing) => listing,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_error(&dir)(e)),
    };
    let mut found = Vec::new();
    for entry in listing {
        let entry = entry.map_err(io_error(&dir))?;
        let name = entry.file_name();
        let build = name
            .to_str()
            .and_then(|name| name.strip_suffix(".json"))
            .filter(|digits| digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|digits| digits.parse::<u64>().ok());
        if let Some(build) = build {
            found.push((build, entry.path()));
        }
    }
    found.sort_unstable();
    Ok(found)
}

/// Reads one entry.
pub(super) fn read_entry(path: &Path) -> Result<BuildEntry, HistoryError> {
    let bytes = std::fs::read(path).map_err(io_error(path))?;
    serde_json::from_slice(&bytes).map_err(|source| HistoryError::Parse {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes one entry (atomically).
pub(super) fn write_entry(root: &Path, entry: &BuildEntry) -> Result<(), HistoryError> {
    let dir = builds_dir(root);
    std::fs::create_dir_all(&dir).map_err(io_error(&dir))?;
    let path = entry_path(root, entry.build);
    crate::atomic_file::write_atomically_with(&path, true, |file| {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
        serde_json::to_writer(&mut out, entry)?;
        std::io::Write::flush(&mut out)
    })
    .map_err(io_error(&path))
}

/// A new journal name for a `history.json` of `builds` builds: unlike any other.
pub(super) fn new_name(builds: u64) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let seed = format!("{nanos}/{}/{builds}", std::process::id());
    let digest = sha2::Sha256::digest(seed.as_bytes());
    crate::hex::encode(&digest[..8])
}

/// How entries name the `history.json` they follow: its journal name and number of builds
/// (so that a history.json rewritten by a program that kept the name but not the entries is
/// not followed by them).
pub(super) fn base_name(journal: &str, builds: u64) -> String {
    format!("{journal}/{builds}")
}

/// After `history.json` (named `base`) was written for build `build`, which read `files`:
/// its marker, and the older entries (now part of `history.json`) removed.
pub(super) fn restart(
    root: &Path,
    build: u64,
    base: &str,
    at: &str,
    files: &[FileRecords],
) -> Result<(), HistoryError> {
    let older = entries(root)?;
    write_entry(
        root,
        &BuildEntry {
            build,
            base: base.to_string(),
            at: at.to_string(),
            files: files.to_vec(),
            seen: Vec::new(),
            gone: Vec::new(),
        },
    )?;
    for (number, path) in older {
        if number != build {
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io_error(&path)(e)),
            }
        }
    }
    Ok(())
}

/// The number the next build's entry takes and the `history.json` it follows, when it may be
/// recorded by its changes told against `earlier_files`: the newest entry follows the
/// `history.json` there is and read those files, and the entries are not too many. `None`:
/// record it whole.
pub(super) fn next_build(
    root: &Path,
    earlier_files: &[FileRecords],
) -> Result<Option<(u64, String)>, HistoryError> {
    let found = entries(root)?;
    let Some((newest, path)) = found.last() else {
        return Ok(None);
    };
    let Some((base, base_size)) = base_head(&root.join(HISTORY_FILE))? else {
        return Ok(None);
    };
    if found.len() > MAX_ENTRIES {
        return Ok(None);
    }
    let mut entries_size = 0;
    for (_, path) in &found {
        entries_size += std::fs::metadata(path).map_err(io_error(path))?.len();
    }
    if entries_size.saturating_mul(MAX_SHARE) > base_size {
        return Ok(None);
    }
    let entry = read_entry(path)?;
    let follows = entry.build == *newest && entry.base == base && entry.files == earlier_files;
    Ok(follows.then(|| (newest + 1, base)))
}

/// How entries name the `history.json` at `path` (see [`base_name`]), read from its first
/// bytes (`{"journal":"…","builds":12,`, as it is written), and its size; `None` when there
/// is none or it begins otherwise (written by something else: the next build rewrites it).
fn base_head(path: &Path) -> Result<Option<(String, u64)>, HistoryError> {
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(path)(e)),
    };
    let size = file.metadata().map_err(io_error(path))?.len();
    let mut head = [0u8; 96];
    let mut read = 0;
    while read < head.len() {
        match file.read(&mut head[read..]).map_err(io_error(path))? {
            0 => break,
            n => read += n,
        }
    }
    let parsed = (|| {
        let rest = head[..read].strip_prefix(b"{\"journal\":\"")?;
        let end = rest.iter().position(|b| *b == b'"')?;
        let journal = std::str::from_utf8(&rest[..end]).ok()?;
        let rest = rest[end..].strip_prefix(b"\",\"builds\":")?;
        let digits: Vec<u8> = rest
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .copied()
            .collect();
        let builds = std::str::from_utf8(&digits).ok()?.parse::<u64>().ok()?;
        Some(base_name(journal, builds))
    })();
    Ok(parsed.map(|base| (base, size)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    fn file(name: &str, digest: &str) -> FileRecords {
        FileRecords {
            name: name.into(),
            kind: Kind::Need,
            records: 1,
            digest: digest.into(),
        }
    }

    fn write_base(root: &Path, builds: u64, padding: usize) {
        let text = format!(
            "{{\"journal\":\"J\",\"builds\":{builds},\"pad\":\"{}\"}}",
            "x".repeat(padding)
        );
        std::fs::write(root.join(HISTORY_FILE), text).unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn the_next_build_follows_the_newest_entry_only_when_it_read_the_same_files() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = tmp.path();
        let files = [file("needs.json", "a")];
        // No history at all, then a history without entries: recorded whole.
        assert_eq!(next_build(root, &files).ok(), Some(None));
        write_base(root, 3, 10_000);
        assert_eq!(next_build(root, &files).ok(), Some(None));
        assert!(restart(root, 3, "J/3", "t3", &files).is_ok());
        assert_eq!(next_build(root, &files).ok(), Some(Some((4, "J/3".into()))));
        // Told against other files (a build the history missed): whole.
        assert_eq!(
            next_build(root, &[file("needs.json", "b")]).ok(),
            Some(None)
        );
        // A history.json the newest entry does not follow (its marker never written): whole.
        write_base(root, 5, 10_000);
        assert_eq!(next_build(root, &files).ok(), Some(None));
        // Restarting leaves the marker alone.
        assert!(restart(root, 5, "J/5", "t5", &files).is_ok());
        let left: Vec<u64> = entries(root)
            .unwrap_or_default()
            .into_iter()
            .map(|(b, _)| b)
            .collect();
        assert_eq!(left, [5]);
        assert_eq!(next_build(root, &files).ok(), Some(Some((6, "J/5".into()))));
        // A history.json not written by musubi: whole.
        std::fs::write(root.join(HISTORY_FILE), "{ \"builds\": 5 }").unwrap_or_default();
        assert_eq!(next_build(root, &files).ok(), Some(None));
        // Nor one rewritten with the same name by something that did not count on from it.
        write_base(root, 4, 10_000);
        assert_eq!(next_build(root, &files).ok(), Some(None));
    }

    #[test]
    fn entries_past_a_quarter_of_the_history_make_the_next_build_whole() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = tmp.path();
        let files = [file("needs.json", "a")];
        write_base(root, 1, 2_000);
        assert!(restart(root, 1, "J/1", "t1", &files).is_ok());
        let mut build = 1;
        while let Ok(Some((next, base))) = next_build(root, &files) {
            build = next;
            let entry = BuildEntry {
                build,
                base,
                at: format!("t{build}"),
                files: files.to_vec(),
                seen: Vec::new(),
                gone: vec!["N-0001".repeat(10)],
            };
            assert!(write_entry(root, &entry).is_ok());
            assert!(build < 100, "never whole");
        }
        let size: u64 = entries(root)
            .unwrap_or_default()
            .iter()
            .filter_map(|(_, p)| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum();
        assert!(size * MAX_SHARE > 2_000, "{size} after build {build}");
        assert!(build > 2, "{build}");
    }

    #[test]
    fn files_that_are_not_entries_are_left_out() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let dir = tmp.path().join(HISTORY_BUILDS_DIR);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        for name in [
            "000000000002.json",
            "000000000010.json",
            "12.json",
            ".000000000003.json.tmp",
            "0000000000x4.json",
        ] {
            std::fs::write(dir.join(name), "{}").unwrap_or_default();
        }
        let found: Vec<u64> = entries(tmp.path())
            .unwrap_or_default()
            .into_iter()
            .map(|(b, _)| b)
            .collect();
        assert_eq!(found, [2, 10]);
    }
}
