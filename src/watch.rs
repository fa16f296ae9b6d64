//! Saved searches ("watches"): a named query whose hits are remembered, so that the next look
//! shows only what is new. Kept in `watches.json` in the config directory, written atomically.

use crate::model::Kind;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The file name inside the config directory.
pub const WATCH_FILE: &str = "watches.json";

/// The file of saved searches: [`WATCH_FILE`] beside the settings file.
pub fn watch_file(paths: &crate::config::Paths) -> PathBuf {
    paths
        .settings_file
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
        .join(WATCH_FILE)
}

/// One saved search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Watch {
    pub query: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    /// When it was saved (RFC 3339).
    pub created: String,
    /// When its hits were last looked at (RFC 3339), if ever after saving.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_look: Option<String>,
    /// Ids already seen, per data source (its index key), so each data directory has its own.
    #[serde(default)]
    pub seen: BTreeMap<String, BTreeSet<String>>,
}

/// Every saved search, by name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Watches {
    pub watches: BTreeMap<String, Watch>,
}

/// Errors of the saved searches.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not a file of saved searches: {source}", path.display())]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("a saved search named \"{0}\" exists; `musubi watch rm {0}` first")]
    Exists(String),
    #[error("no saved search named \"{name}\"{}", hint(.closest))]
    Unknown { name: String, closest: Vec<String> },
    #[error("a saved search needs a name without control characters")]
    BadName,
}

fn hint(closest: &[String]) -> String {
    if closest.is_empty() {
        String::new()
    } else {
        format!("; closest: {}", closest.join(", "))
    }
}

impl Watches {
    /// Reads the file; a missing file has no saved searches.
    pub fn load(path: &Path) -> Result<Watches, WatchError> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|source| WatchError::Parse {
                path: path.to_path_buf(),
                source,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Watches::default()),
            Err(source) => Err(WatchError::Io {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    /// Writes the file atomically (creating its directory).
    pub fn save(&self, path: &Path) -> Result<(), WatchError> {
        let io = |source| WatchError::Io {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let mut bytes = serde_json::to_vec_pretty(self).map_err(|source| WatchError::Parse {
            path: path.to_path_buf(),
            source,
        })?;
        bytes.push(b'\n');
        crate::atomic_file::write_atomically(path, &bytes, true).map_err(io)
    }

    /// Saves a new search; `hits` (of data source `source`) count as seen.
    pub fn add(
        &mut self,
        name: &str,
        watch: Watch,
        source: &str,
        hits: impl IntoIterator<Item = String>,
    ) -> Result<(), WatchError> {
        let name = name.trim();
        if name.is_empty() || name.chars().any(char::is_control) {
            return Err(WatchError::BadName);
        }
        if self.watches.contains_key(name) {
            return Err(WatchError::Exists(name.to_string()));
        }
        let mut watch = watch;
        watch
            .seen
            .insert(source.to_string(), hits.into_iter().collect());
        self.watches.insert(name.to_string(), watch);
        Ok(())
    }

    /// Forgets a saved search.
    pub fn remove(&mut self, name: &str) -> Result<Watch, WatchError> {
        self.watches.remove(name).ok_or_else(|| self.unknown(name))
    }

    /// The saved search of that name.
    pub fn get(&self, name: &str) -> Result<&Watch, WatchError> {
        self.watches.get(name).ok_or_else(|| self.unknown(name))
    }

    fn unknown(&self, name: &str) -> WatchError {
        let names: Vec<&str> = self.watches.keys().map(String::as_str).collect();
        WatchError::Unknown {
            name: name.to_string(),
            closest: crate::matching::closest_ids(name, &names),
        }
    }

    /// Of `hits` (in their order), those the search had not seen in `source`; they are marked
    /// seen and the look's time `now` is kept.
    pub fn look(&mut self, name: &str, source: &str, hits: &[String], now: &str) -> Vec<String> {
        let Some(watch) = self.watches.get_mut(name) else {
            return Vec::new();
        };
        let seen = watch.seen.entry(source.to_string()).or_default();
        let new: Vec<String> = hits
            .iter()
            .filter(|h| !seen.contains(*h))
            .cloned()
            .collect();
        seen.extend(new.iter().cloned());
        watch.last_look = Some(now.to_string());
        new
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watch() -> Watch {
        Watch {
            query: "膵がん".into(),
            kind: Some(Kind::Dataset),
            created: "2026-04-01T09:00:00+09:00".into(),
            last_look: None,
            seen: BTreeMap::new(),
        }
    }

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_look_shows_only_hits_not_seen_before_in_that_source() {
        let mut w = Watches::default();
        assert!(w.add("panc", watch(), "src-a", ids(&["DS-1"])).is_ok());
        assert_eq!(
            w.look("panc", "src-a", &ids(&["DS-1", "DS-2"]), "t1"),
            ids(&["DS-2"])
        );
        assert!(w
            .look("panc", "src-a", &ids(&["DS-1", "DS-2"]), "t2")
            .is_empty());
        assert_eq!(
            w.look("panc", "src-b", &ids(&["DS-1"]), "t3"),
            ids(&["DS-1"])
        );
        assert_eq!(
            w.get("panc").ok().and_then(|x| x.last_look.clone()),
            Some("t3".into())
        );
    }

    #[test]
    fn names_are_unique_and_unknown_names_suggest_the_closest() {
        let mut w = Watches::default();
        assert!(w.add("pancreas", watch(), "s", Vec::new()).is_ok());
        assert!(matches!(
            w.add("pancreas", watch(), "s", Vec::new()),
            Err(WatchError::Exists(_))
        ));
        assert!(matches!(
            w.add(" ", watch(), "s", Vec::new()),
            Err(WatchError::BadName)
        ));
        let err = w.remove("pancreaz").err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("no saved search named \"pancreaz\"; closest: pancreas")
        );
        assert!(w.remove("pancreas").is_ok());
    }

    #[test]
    fn saved_searches_survive_a_round_trip_through_the_file() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = tmp.path().join("musubi/watches.json");
        let mut w = Watches::default();
        assert!(w.add("panc", watch(), "s", ids(&["DS-1"])).is_ok());
        assert!(w.save(&path).is_ok());
        let back = Watches::load(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, w);
        std::fs::write(&path, "{").unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            Watches::load(&path),
            Err(WatchError::Parse { .. })
        ));
    }
}
