//! Shared helpers of the integration tests: the fixture catalog, loaded and indexed in memory.

#![allow(dead_code)]

use musubi::index::SearchIndex;
use musubi::load::{load, DataSource};
use musubi::model::Catalog;
use musubi::vocab::Vocabulary;
use std::path::PathBuf;

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
