//! Shared helpers of the integration tests: the fixture catalog, loaded and indexed in memory.

#![allow(dead_code)]

use assert_cmd::cargo::cargo_bin_cmd;
use assert_cmd::Command;
use musubi::index::SearchIndex;
use musubi::load::{load, DataSource};
use musubi::model::Catalog;
use musubi::vocab::Vocabulary;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tempfile::TempDir;

/// A private home for one test: `musubi` run with it never reads or writes the real home.
pub struct Home {
    dir: TempDir,
}

impl Home {
    pub fn new() -> Home {
        Home {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `musubi` with this home and no settings or colours from the caller's environment; a
    /// run that hangs (a named pipe opened for reading) fails after a minute.
    pub fn musubi(&self) -> Command {
        let mut cmd = cargo_bin_cmd!("musubi");
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .env("XDG_DATA_HOME", self.path().join("data"))
            .env("XDG_CONFIG_HOME", self.path().join("config"))
            .env("NO_COLOR", "1")
            .timeout(Duration::from_secs(60));
        cmd
    }

    /// A copy of the bundled sample data in this home, for tests that change files.
    pub fn copy_of_sample_data(&self) -> PathBuf {
        let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-data");
        let target = self.path().join("sample-copy");
        std::fs::create_dir_all(&target).expect("create data dir");
        for entry in std::fs::read_dir(&source).expect("read sample-data") {
            let entry = entry.expect("dir entry");
            std::fs::copy(entry.path(), target.join(entry.file_name())).expect("copy sample file");
        }
        target
    }
}

/// The fixture directory with its right answers in `EXPECTED.md`.
pub fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog")
}

/// The fixture catalog (it must load without errors).
pub fn catalog() -> Catalog {
    match load(&DataSource::Dir(fixture_dir())) {
        Ok(loaded) => loaded.catalog,
        Err(failure) => panic!("fixture does not load:\n{failure}"),
    }
}

/// The built-in vocabulary.
pub fn vocab() -> &'static Vocabulary {
    Vocabulary::builtin()
}

/// The fixture indexed in memory.
pub fn index() -> SearchIndex {
    SearchIndex::build_in_ram(&catalog(), vocab()).expect("fixture indexes")
}

/// Every indexed field of the schema, by name.
pub fn indexed_fields(
    fields: &musubi::index::Fields,
) -> Vec<(&'static str, tantivy::schema::Field)> {
    vec![
        ("id", fields.id),
        ("kind", fields.kind),
        ("title", fields.title),
        ("id_text", fields.id_text),
        ("keywords", fields.keywords),
        ("concept_terms", fields.concept_terms),
        ("ancestor_terms", fields.ancestor_terms),
        ("concepts", fields.concepts),
        ("related", fields.related),
        ("body", fields.body),
        ("unigrams", fields.unigrams),
    ]
}

/// Every term of a field with the number of documents holding it, and the field's token
/// count: what BM25 reads.
pub fn terms_of(
    index: &SearchIndex,
    field: tantivy::schema::Field,
) -> (std::collections::BTreeMap<Vec<u8>, u32>, u64) {
    let searcher = index.reader.searcher();
    let mut terms = std::collections::BTreeMap::new();
    let mut tokens = 0;
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field).expect("inverted index");
        tokens += inverted.total_num_tokens();
        let mut stream = inverted.terms().stream().expect("term stream");
        while stream.advance() {
            *terms.entry(stream.key().to_vec()).or_insert(0) += stream.value().doc_freq;
        }
    }
    (terms, tokens)
}

/// Generated rows of every kind, as data files hold them.
pub type Rows = std::collections::BTreeMap<
    musubi::model::Kind,
    Vec<serde_json::Map<String, serde_json::Value>>,
>;

/// The rows of `musubi::synthetic::catalog(records, seed)`, by kind.
pub fn generated_rows(records: usize, seed: u64) -> Rows {
    let catalog = musubi::synthetic::catalog(records, seed);
    musubi::model::Kind::ALL
        .iter()
        .map(|&kind| (kind, musubi::synthetic::rows(&catalog, kind)))
        .collect()
}

/// Each kind's rows as JSON-lines files of `rows_per_file` rows (`needs-03.jsonl`).
pub fn files_of(rows: &Rows, rows_per_file: usize) -> Vec<musubi::load::SourceFile> {
    let mut files = Vec::new();
    for (kind, rows) in rows {
        for (n, chunk) in rows.chunks(rows_per_file).enumerate() {
            let text: String = chunk
                .iter()
                .map(|row| format!("{}\n", serde_json::Value::Object(row.clone())))
                .collect();
            let name = format!("{}-{n:02}.jsonl", kind.file_prefix());
            files.push(musubi::load::SourceFile::from_bytes(name, text));
        }
    }
    files
}

/// Writes the rows as `rows_per_file`-row data files into `data`, and the `extra` files as
/// given, leaving nothing of what `data` held before.
pub fn write_rows(data: &Path, rows: &Rows, rows_per_file: usize, extra: &[(&str, String)]) {
    if data.exists() {
        std::fs::remove_dir_all(data).expect("data removed");
    }
    std::fs::create_dir_all(data).expect("data directory");
    let files = files_of(rows, rows_per_file);
    musubi::synthetic::write_files(data, &files).expect("data written");
    for (name, text) in extra {
        std::fs::write(data.join(name), text).expect("extra file written");
    }
}

/// A row's text field (`""` when it has none).
pub fn row_text(row: &serde_json::Map<String, serde_json::Value>, field: &str) -> String {
    row.get(field)
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_string()
}
