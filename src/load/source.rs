//! Where data files come from: a directory on disk or the sample data compiled into the program.

use super::diagnostic::{Diagnostic, LoadFailure};
use include_dir::{include_dir, Dir};
use std::borrow::Cow;
use std::path::PathBuf;
use std::time::SystemTime;

/// The sample data shipped inside the binary.
static SAMPLE_DATA: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/sample-data");

/// A data directory to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataSource {
    /// A directory on disk.
    Dir(PathBuf),
    /// The sample data compiled into the program (`sample-data/`).
    Bundled,
}

/// One file of a data directory, read into memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the data directory; used in every message about the file.
    pub name: String,
    pub bytes: Cow<'static, [u8]>,
    /// Size in bytes.
    pub len: u64,
    /// Last modification time, when the file system tells it (never for bundled data).
    pub modified: Option<SystemTime>,
    /// Where a file on disk is: `name` is for messages, and a name that is not UTF-8 is only
    /// a lossy copy of the real one.
    path: Option<PathBuf>,
}

impl SourceFile {
    /// A file held in memory (for tests and for callers that read files themselves).
    pub fn from_bytes(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        let bytes: Vec<u8> = bytes.into();
        SourceFile {
            name: name.into(),
            len: bytes.len() as u64,
            bytes: Cow::Owned(bytes),
            modified: None,
            path: None,
        }
    }
}

impl DataSource {
    /// The files of the directory, sorted by name. Subdirectories, hidden files and files that
    /// are not data (`vocabulary.toml`, `musubi.toml`, `*.md`) are left out. A missing or
    /// unreadable directory or file is an error naming it.
    pub fn files(&self) -> Result<Vec<SourceFile>, LoadFailure> {
        self.scan(true)
    }

    /// Like [`DataSource::files`], but for a directory on disk only the names, sizes and
    /// modification times are read (`bytes` is empty): enough to tell whether anything changed.
    /// Bundled files keep their contents, which cost nothing to reach.
    pub fn stamps(&self) -> Result<Vec<SourceFile>, LoadFailure> {
        self.scan(false)
    }

    fn scan(&self, read_contents: bool) -> Result<Vec<SourceFile>, LoadFailure> {
        let mut files = match self {
            DataSource::Dir(dir) => read_dir(dir, read_contents)?,
            DataSource::Bundled => SAMPLE_DATA
                .files()
                .filter_map(|f| {
                    let name = f.path().to_string_lossy().into_owned();
                    (!is_ignored(&name)).then(|| SourceFile {
                        name,
                        len: f.contents().len() as u64,
                        bytes: Cow::Borrowed(f.contents()),
                        modified: None,
                        path: None,
                    })
                })
                .collect(),
        };
        files.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(files)
    }

    /// The contents of one file [`DataSource::stamps`] listed (bundled files already hold
    /// theirs), read only now, so that a load holds one file at a time.
    pub fn contents(&self, file: &SourceFile) -> Result<Cow<'static, [u8]>, Diagnostic> {
        match self {
            DataSource::Dir(dir) => {
                let path = file.path.clone().unwrap_or_else(|| dir.join(&file.name));
                crate::files::read_capped(&path, crate::files::DATA_FILE_LIMIT)
                    .map(Cow::Owned)
                    .map_err(|e| {
                        Diagnostic::error(&file.name, None, None, format!("cannot read: {e}"))
                    })
            }
            DataSource::Bundled => Ok(file.bytes.clone()),
        }
    }

    /// The SHA-256 of one file [`DataSource::stamps`] listed, in hex, read a block at a time
    /// (what a load compares with an earlier load's before reading the file whole); `None`
    /// when it cannot be read (reading it whole then tells why).
    pub fn digest(&self, file: &SourceFile) -> Option<String> {
        let digest = match self {
            DataSource::Dir(dir) => {
                let path = file.path.clone().unwrap_or_else(|| dir.join(&file.name));
                crate::files::sha256_capped(&path, crate::files::DATA_FILE_LIMIT).ok()?
            }
            DataSource::Bundled => {
                use sha2::Digest;
                sha2::Sha256::digest(&file.bytes).into()
            }
        };
        Some(crate::hex::encode(&digest))
    }

    /// Entries of the directory that are neither regular files nor directories (named pipes,
    /// devices, sockets), named in warnings: they are skipped, never opened.
    pub fn skipped_special_files(&self) -> Vec<Diagnostic> {
        let DataSource::Dir(dir) = self else {
            return Vec::new();
        };
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut skipped: Vec<Diagnostic> = entries
            .flatten()
            .filter_map(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                let meta = std::fs::metadata(entry.path()).ok()?;
                (!is_ignored(&name) && !meta.is_file() && !meta.is_dir()).then(|| {
                    Diagnostic::warning(
                        &name,
                        None,
                        None,
                        format!(
                            "skipped: {}, not a regular file",
                            crate::files::kind_of(&meta)
                        ),
                    )
                })
            })
            .collect();
        skipped.sort_by(|a, b| a.file.cmp(&b.file));
        skipped
    }

    /// How to name the source to a user: the directory's path, or `bundled sample data`.
    pub fn describe(&self) -> String {
        match self {
            DataSource::Dir(dir) => dir.display().to_string(),
            DataSource::Bundled => "bundled sample data".to_string(),
        }
    }
}

/// Files that live beside data files but are not data: skipped without a word.
pub(crate) fn is_ignored(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with('.')
        || lower == "vocabulary.toml"
        || lower == "musubi.toml"
        || lower == crate::outreach::LOG_FILE
        || lower.ends_with(".md")
}

fn read_dir(dir: &std::path::Path, read_contents: bool) -> Result<Vec<SourceFile>, LoadFailure> {
    let shown = dir.display().to_string();
    let fail = |what: &str, e: std::io::Error| LoadFailure {
        diagnostics: vec![Diagnostic::error(
            &shown,
            None,
            None,
            format!("{what}: {e}"),
        )],
    };
    let entries = std::fs::read_dir(dir).map_err(|e| fail("cannot read the data directory", e))?;
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| fail("cannot read the data directory", e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_ignored(&name) {
            continue;
        }
        let path = entry.path();
        // `metadata` follows symbolic links, so a link to a file counts as a file.
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                problems.push(Diagnostic::error(
                    &name,
                    None,
                    None,
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        if !meta.is_file() {
            continue;
        }
        let contents = if read_contents {
            crate::files::read_capped(&path, crate::files::DATA_FILE_LIMIT)
        } else {
            Ok(Vec::new())
        };
        match contents {
            Ok(bytes) => files.push(SourceFile {
                name,
                len: meta.len(),
                bytes: Cow::Owned(bytes),
                modified: meta.modified().ok(),
                path: Some(path),
            }),
            Err(e) => problems.push(Diagnostic::error(
                &name,
                None,
                None,
                format!("cannot read: {e}"),
            )),
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        problems.sort_by(|a, b| a.file.cmp(&b.file));
        Err(LoadFailure {
            diagnostics: problems,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignored_files() {
        assert!(is_ignored("README.md"));
        assert!(is_ignored(".DS_Store"));
        assert!(is_ignored("vocabulary.toml"));
        assert!(is_ignored("musubi.toml"));
        assert!(is_ignored("outreach.jsonl"));
        assert!(!is_ignored("datasets.toml"));
        assert!(!is_ignored("notes.txt"));
    }

    #[test]
    fn missing_directory_is_an_error_naming_it() {
        let dir = tempfile::tempdir().map(|d| d.path().join("nowhere"));
        let Ok(dir) = dir else {
            panic!("no temporary directory")
        };
        let failure = DataSource::Dir(dir.clone()).files().err();
        let message = failure.map(|f| f.to_string()).unwrap_or_default();
        assert!(
            message.starts_with(&format!(
                "{}: cannot read the data directory: ",
                dir.display()
            )),
            "{message}"
        );
    }

    #[test]
    fn directory_files_are_sorted_and_filtered() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        std::fs::write(dir.path().join("needs.json"), "[]")?;
        std::fs::write(dir.path().join("datasets.csv"), "id\n")?;
        std::fs::write(dir.path().join(".hidden.json"), "[]")?;
        std::fs::write(dir.path().join("README.md"), "# x")?;
        std::fs::create_dir(dir.path().join("datasets_old"))?;
        let files = DataSource::Dir(dir.path().to_path_buf())
            .files()
            .map_err(std::io::Error::other)?;
        let names: Vec<_> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["datasets.csv", "needs.json"]);
        assert_eq!(files[0].len, 3);
        assert!(files[0].modified.is_some());
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn a_file_whose_name_is_not_utf8_is_read() -> Result<(), Box<dyn std::error::Error>> {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir()?;
        // "datasets_日本.json" as a Windows zip may spell it (Shift_JIS bytes).
        let name = std::ffi::OsStr::from_bytes(b"datasets_\x93\xfa\x96\x7b.json");
        std::fs::write(
            dir.path().join(name),
            r#"[{"id": "D1", "title": "t", "area": "cancer", "cases": 1}]"#,
        )?;
        let loaded = crate::load::load(&DataSource::Dir(dir.path().to_path_buf()))?;
        assert_eq!(loaded.catalog.datasets.len(), 1);
        let location = loaded.locations.get("D1").cloned().unwrap_or_default();
        assert!(location.starts_with("datasets_"), "{location}");
        Ok(())
    }

    #[test]
    fn describe_names_the_source() {
        assert_eq!(DataSource::Bundled.describe(), "bundled sample data");
        assert_eq!(
            DataSource::Dir(PathBuf::from("/data/x")).describe(),
            "/data/x"
        );
    }
}
