//! The log file itself: one JSON object a line, only ever appended to.
//!
//! Appends hold an advisory lock on the file and write each batch of lines with one `write`
//! on a file opened for appending (`O_APPEND`), so lines from two processes never interleave;
//! a batch starts on a new line when a crash left the last line without its newline, so a
//! torn line damages nothing after it. Reading skips and reports lines that are not entries.

use super::clock;
use super::status::Status;
use fs4::fs_std::FileExt;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// One line of the log: who recorded which status of which pair, when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// When it happened (RFC 3339 with offset).
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Who recorded it.
    pub by: String,
    /// A need, proposal, organisation or researcher id, or `adhoc:<slug>`.
    pub subject: String,
    /// A dataset, organisation or researcher id.
    pub candidate: String,
    pub status: Status,
    /// Free text; empty when none was given.
    #[serde(default)]
    pub note: String,
}

impl Entry {
    /// The entry as one line of the log, newline included.
    pub fn to_line(&self) -> String {
        let mut line = serde_json::to_string(self).unwrap_or_default();
        line.push('\n');
        line
    }

    /// The moment as written (RFC 3339).
    pub fn at_text(&self) -> String {
        clock::format(self.at)
    }
}

/// A line of the log that is not an entry: skipped, and reported with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    pub path: PathBuf,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for BadLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: not an outreach entry, skipped: {}",
            self.path.display(),
            self.line,
            self.message
        )
    }
}

/// Everything a log holds, in file order, and the lines that could not be read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogContents {
    pub entries: Vec<Entry>,
    pub bad_lines: Vec<BadLine>,
}

/// Errors reaching the log file.
#[derive(Debug, thiserror::Error)]
#[error("outreach log {}: {source}", path.display())]
pub struct LogError {
    pub path: PathBuf,
    pub source: io::Error,
}

/// Reads a log; a missing file is an empty log.
pub fn read(path: &Path) -> Result<LogContents, LogError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(LogContents::default()),
        Err(source) => {
            return Err(LogError {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    Ok(parse(path, &bytes))
}

/// Reads log text; `path` only names the file in reports.
pub fn parse(path: &Path, bytes: &[u8]) -> LogContents {
    let mut contents = LogContents::default();
    for (i, raw) in bytes.split(|b| *b == b'\n').enumerate() {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let bad = |message: String| BadLine {
            path: path.to_path_buf(),
            line: i + 1,
            message,
        };
        let text = match std::str::from_utf8(raw) {
            Ok(t) => t,
            Err(_) => {
                contents
                    .bad_lines
                    .push(bad("the line is not UTF-8".to_string()));
                continue;
            }
        };
        match serde_json::from_str::<Entry>(text) {
            Ok(entry) if entry.subject.trim().is_empty() => {
                contents.bad_lines.push(bad("subject is empty".into()))
            }
            Ok(entry) if entry.candidate.trim().is_empty() => {
                contents.bad_lines.push(bad("candidate is empty".into()))
            }
            Ok(entry) => contents.entries.push(entry),
            Err(e) => contents.bad_lines.push(bad(e.to_string())),
        }
    }
    contents
}

/// Appends entries to the log in one write, creating the file (and its directory) if needed.
pub fn append(path: &Path, entries: &[Entry]) -> Result<(), LogError> {
    if entries.is_empty() {
        return Ok(());
    }
    let fail = |source: io::Error| LogError {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let mut file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
        .map_err(fail)?;
    // Released when the file is closed at the end of this function.
    FileExt::lock_exclusive(&file).map_err(fail)?;
    let mut batch = String::new();
    if !ends_with_newline(&mut file).map_err(fail)? {
        batch.push('\n');
    }
    for entry in entries {
        batch.push_str(&entry.to_line());
    }
    file.write_all(batch.as_bytes()).map_err(fail)?;
    file.sync_data().map_err(fail)
}

/// True when the file is empty or its last byte is a newline.
fn ends_with_newline(file: &mut File) -> io::Result<bool> {
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(true);
    }
    file.seek(SeekFrom::Start(len - 1))?;
    let mut last = [0u8; 1];
    file.read_exact(&mut last)?;
    Ok(last[0] == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(subject: &str, status: Status) -> Entry {
        Entry {
            at: clock::parse_moment("2026-04-01T10:00:00+09:00").unwrap_or_else(|e| panic!("{e}")),
            by: "sato".into(),
            subject: subject.into(),
            candidate: "DS-C01".into(),
            status,
            note: "電話で依頼".into(),
        }
    }

    #[test]
    fn the_line_format_is_the_contract() {
        assert_eq!(
            entry("N01", Status::Contacted).to_line(),
            "{\"at\":\"2026-04-01T10:00:00+09:00\",\"by\":\"sato\",\"subject\":\"N01\",\"candidate\":\"DS-C01\",\"status\":\"contacted\",\"note\":\"電話で依頼\"}\n"
        );
    }

    #[test]
    fn appended_entries_read_back_in_order() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = tmp.path().join("sub/outreach.jsonl");
        append(&path, &[entry("N01", Status::Listed)]).unwrap_or_else(|e| panic!("{e}"));
        append(
            &path,
            &[
                entry("N02", Status::Contacted),
                entry("N03", Status::Replied),
            ],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let log = read(&path).unwrap_or_else(|e| panic!("{e}"));
        let subjects: Vec<&str> = log.entries.iter().map(|e| e.subject.as_str()).collect();
        assert_eq!(subjects, ["N01", "N02", "N03"]);
        assert!(log.bad_lines.is_empty());
    }

    #[test]
    fn a_torn_last_line_is_reported_and_the_next_append_starts_a_new_line() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = tmp.path().join("outreach.jsonl");
        let torn = entry("N01", Status::Listed).to_line();
        std::fs::write(&path, &torn[..torn.len() / 2]).unwrap_or_else(|e| panic!("{e}"));
        append(&path, &[entry("N02", Status::Contacted)]).unwrap_or_else(|e| panic!("{e}"));
        let log = read(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(log.entries.len(), 1);
        assert_eq!(log.entries[0].subject, "N02");
        assert_eq!(log.bad_lines.len(), 1);
        assert_eq!(log.bad_lines[0].line, 1);
    }

    #[test]
    fn a_malformed_line_in_the_middle_is_skipped_with_its_line_number() {
        let good = entry("N01", Status::Listed).to_line();
        let text = format!(
            "{good}{{\"at\":\"2026-04-01\",\"by\":\"x\"}}\n\n{}{}",
            good.replace("listed", "called"),
            entry("N02", Status::Replied).to_line()
        );
        let log = parse(Path::new("outreach.jsonl"), text.as_bytes());
        assert_eq!(log.entries.len(), 2);
        let lines: Vec<usize> = log.bad_lines.iter().map(|b| b.line).collect();
        assert_eq!(lines, [2, 4]);
        assert!(log.bad_lines[0]
            .to_string()
            .starts_with("outreach.jsonl:2: "));
    }

    #[test]
    fn a_missing_log_is_empty() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let log = read(&tmp.path().join("none.jsonl")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(log, LogContents::default());
    }
}
