//! The outreach log: who was contacted about what, and where each request stands.
//!
//! `outreach.jsonl` lives in the data directory, so the coordinators who share the data share
//! the log too (for the bundled sample data it lives in the platform's data directory). The
//! line format is a contract other tools may read: see `docs/outreach.md`.

pub mod clock;
pub mod ledger;
pub mod log;
pub mod matches;
pub mod status;

pub use ledger::{Ledger, Mark, PairHistory, Standing};
pub use log::{append, read, BadLine, Entry, LogContents, LogError};
pub use status::Status;

use crate::config::{Paths, Settings};
use crate::load::DataSource;
use std::path::{Path, PathBuf};

/// The log's file name inside a data directory (the loader leaves it alone).
pub const LOG_FILE: &str = "outreach.jsonl";

/// Where the log is: `explicit` (`--log FILE`), else the settings' `outreach_log`, else
/// `outreach.jsonl` in the data directory, else (bundled sample data) in the platform's data
/// directory. `None` only for the bundled data on a machine without a home directory.
pub fn log_path(
    explicit: Option<&Path>,
    settings: &Settings,
    source: &DataSource,
    paths: Option<&Paths>,
) -> Option<PathBuf> {
    if let Some(path) = explicit.or(settings.outreach_log.as_deref()) {
        return Some(path.to_path_buf());
    }
    match source {
        DataSource::Dir(dir) => Some(dir.join(LOG_FILE)),
        DataSource::Bundled => paths.map(|p| p.data_dir.join(LOG_FILE)),
    }
}

/// Who is recording: the settings' `user`, else the login name (`USER`, `LOGNAME`,
/// `USERNAME`), else `unknown`.
pub fn current_user(settings: &Settings) -> String {
    settings
        .user
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(String::from)
        .or_else(|| {
            ["USER", "LOGNAME", "USERNAME"].iter().find_map(|var| {
                std::env::var(var)
                    .ok()
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
            })
        })
        .unwrap_or_else(|| "unknown".to_string())
}

/// Prefix of a subject that is an ad-hoc need, not a record (`adhoc:pancreas-pharma`).
pub const AD_HOC_PREFIX: &str = "adhoc:";

/// `adhoc:<slug>`: the log's subject for an ad-hoc request, from its words.
pub fn ad_hoc_subject(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
        if slug.chars().count() >= 40 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    format!(
        "{}{}",
        AD_HOC_PREFIX,
        if slug.is_empty() { "request" } else { slug }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_follows_the_data_unless_told_otherwise() {
        let settings = Settings::default();
        let dir = DataSource::Dir(PathBuf::from("/srv/data"));
        assert_eq!(
            log_path(None, &settings, &dir, None),
            Some(PathBuf::from("/srv/data/outreach.jsonl"))
        );
        let paths = Paths {
            settings_file: PathBuf::from("/c/config.toml"),
            index_root: PathBuf::from("/d/indexes"),
            default_export_dir: PathBuf::from("/e"),
            data_dir: PathBuf::from("/d"),
        };
        assert_eq!(
            log_path(None, &settings, &DataSource::Bundled, Some(&paths)),
            Some(PathBuf::from("/d/outreach.jsonl"))
        );
        let set = Settings {
            outreach_log: Some(PathBuf::from("/team/log.jsonl")),
            ..Settings::default()
        };
        assert_eq!(
            log_path(None, &set, &dir, None),
            Some(PathBuf::from("/team/log.jsonl"))
        );
        assert_eq!(
            log_path(Some(Path::new("x.jsonl")), &set, &dir, None),
            Some(PathBuf::from("x.jsonl"))
        );
    }

    #[test]
    fn the_user_setting_names_the_recorder() {
        let settings = Settings {
            user: Some(" 佐藤 ".into()),
            ..Settings::default()
        };
        assert_eq!(current_user(&settings), "佐藤");
        assert!(!current_user(&Settings::default()).is_empty());
    }
}
