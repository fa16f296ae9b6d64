//! `musubi validate`'s data-use and owner warnings over a loaded fixture directory.

use musubi::load::summary::validate_report;
use musubi::load::DataSource;
use std::path::PathBuf;

#[test]
fn data_use_and_owner_warnings_are_located() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/load/data-use");
    let report = validate_report(&DataSource::Dir(dir));
    assert!(report.is_ok(), "{:?}", report.errors);
    let warnings: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "datasets.csv:2: data_use: consent not recorded: this dataset will never be offered",
            "datasets.csv:3: data_use: several primary codes (GRU, DS): the narrowest, DS, applies",
            "datasets.csv:4: data_use: unknown code \"NCUU\" (did you mean NCU?): the dataset is blocked for review",
            "datasets.csv:5: data_use: consent not recorded: this dataset will never be offered",
            "needs.toml:1: owner: no owner: treated as industry: never offered NPU datasets, and counted as commercial (no NCU datasets)",
            "needs.toml:5: owner: researcher \"r-1\" has no forum: treated as industry: never offered NPU datasets",
            "needs.toml:12: owner: no record has the id \"org-x\"",
        ]
    );
}

#[test]
fn checking_the_data_keeps_nothing_and_fails_as_loading_it_does() {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/load");
    let good = DataSource::Dir(fixtures.join("data-use"));
    assert!(musubi::load::check(&good).is_ok());
    let bad = DataSource::Dir(fixtures.join("duplicate-id"));
    let checked = musubi::load::check(&bad).expect_err("a duplicate id");
    let loaded = musubi::load::load_catalog(&bad).expect_err("a duplicate id");
    assert!(!checked.diagnostics.is_empty());
    assert_eq!(checked.to_string(), loaded.to_string());
    assert!(checked.to_string().contains("duplicate id"), "{checked}");
}
