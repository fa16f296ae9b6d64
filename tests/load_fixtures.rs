//! The loader against the fixture directories under tests/fixtures/load (each with an
//! EXPECTED.md that states the right answers checked here).

use musubi::load::summary::{validate_report, ValidateReport};
use musubi::load::{load, DataSource, Diagnostic, LoadFailure, Loaded};
use musubi::model::{Access, Area, Forum, Kind, ProposalStatus};
use serde_json::json;
use std::path::PathBuf;

fn source(name: &str) -> DataSource {
    DataSource::Dir(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/load")
            .join(name),
    )
}

fn loaded(name: &str) -> Loaded {
    match load(&source(name)) {
        Ok(loaded) => loaded,
        Err(failure) => panic!("{name} should load, got:\n{failure}"),
    }
}

fn failure(name: &str) -> LoadFailure {
    match load(&source(name)) {
        Ok(loaded) => panic!(
            "{name} should fail, loaded {} records",
            loaded.catalog.len()
        ),
        Err(failure) => failure,
    }
}

fn lines(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics.iter().map(ToString::to_string).collect()
}

#[test]
fn good_directory_loads_every_format() {
    let l = loaded("good");
    assert!(l.warnings.is_empty(), "{:?}", lines(&l.warnings));
    let c = &l.catalog;
    assert_eq!(c.len(), 11);

    let ids: Vec<&str> = c.datasets.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["ds-panc-wgs", "ds-nb-rna", "ds-aml-meth", "ds-sarc"]);
    let panc = &c.datasets[0];
    assert_eq!(panc.cases, 820);
    assert_eq!(panc.fiscal_year.as_deref(), Some("2023"));
    assert_eq!(panc.clinical, ["treatment", "outcome"]);
    assert_eq!(panc.access, Some(Access::Controlled));
    assert_eq!(panc.data_use, ["HMB", "NCU", "IRB"]);
    assert_eq!(
        panc.extra.get("portal_url"),
        Some(&json!("https://example.org/ds-panc-wgs"))
    );
    let nb = &c.datasets[1];
    assert_eq!((nb.area, nb.cases), (Area::RareDisease, 140));
    assert_eq!(nb.data_use, ["DS:神経芽腫", "COL"]);
    let aml = &c.datasets[2];
    assert_eq!(aml.area, Area::Cancer);
    assert_eq!(aml.diseases, ["AML", "急性骨髄性白血病"]);
    assert_eq!(aml.cases, 1200);
    assert_eq!(aml.modalities, ["methylation", "WGS"]);
    assert_eq!(aml.fiscal_year.as_deref(), Some("FY2024"));
    assert_eq!(aml.extra.get("batch"), Some(&json!("b7")));
    let sarc = &c.datasets[3];
    assert_eq!(sarc.title, "小児肉腫, WGS");
    assert!(sarc.diseases.is_empty() && sarc.fiscal_year.is_none() && sarc.extra.is_empty());
    assert_eq!(sarc.data_use, ["HMB", "NPU"]);

    let tanaka = &c.researchers[0];
    assert_eq!(tanaka.id, "r-tanaka");
    assert!(tanaka.contact_ok);
    assert_eq!(tanaka.diseases, ["膵がん", "胆道がん"]);
    assert_eq!(tanaka.extra.get("orcid"), Some(&json!("0000-0001")));
    let suzuki = &c.researchers[1];
    assert_eq!(suzuki.forum, Some(Forum::Industry));
    assert_eq!(suzuki.areas, [Area::RareDisease]);
    assert!(suzuki.contact_ok);

    let pharma = &c.organizations[0];
    assert_eq!(pharma.forum, Forum::Industry);
    assert!(!pharma.contact_ok);
    assert_eq!(pharma.offers, ["compounds", "funding"]);
    assert_eq!(pharma.interests, ["膵がん", "biomarker"]);
    assert!(c.organizations[1].contact_ok);
    assert_eq!(
        c.organizations[1].extra.get("member_since"),
        Some(&json!(2022))
    );

    let pr = &c.proposals[0];
    assert_eq!(pr.partners, ["org-univ", "org-pharma"]);
    assert_eq!(pr.status, Some(ProposalStatus::UnderReview));
    assert_eq!(pr.target_cases, Some(500));
    assert_eq!(pr.seeking, [Forum::Industry]);
    assert_eq!(pr.exit_strategy, ["early_detection", "liquid_biopsy"]);

    assert_eq!(c.needs[0].min_cases, Some(100));
    assert_eq!(c.needs[0].commercial, None);
    assert_eq!(c.needs[0].modalities, ["RNA-seq"]);
    assert_eq!(c.needs[1].commercial, Some(false));

    let at = |id: &str| l.locations.get(id).map(String::as_str);
    assert_eq!(at("ds-panc-wgs"), Some("datasets.json:2"));
    assert_eq!(at("ds-nb-rna"), Some("datasets.json:17"));
    assert_eq!(at("ds-aml-meth"), Some("datasets_2024.csv:2"));
    assert_eq!(at("ds-sarc"), Some("datasets_2024.csv:3"));
    assert_eq!(at("org-univ"), Some("organizations.toml:12"));
    assert_eq!(at("r-suzuki"), Some("researchers.jsonl:3"));
    assert_eq!(at("pr-panc"), Some("proposals.csv:2"));
    assert_eq!(l.locations.len(), 11);
}

#[test]
fn good_directory_validates_clean() {
    let report = validate_report(&source("good"));
    assert_eq!(
        report,
        ValidateReport {
            errors: vec![],
            warnings: vec![],
            counts: vec![
                (Kind::Dataset, 4),
                (Kind::Researcher, 2),
                (Kind::Organization, 2),
                (Kind::Proposal, 1),
                (Kind::Need, 2),
            ],
        }
    );
}

#[test]
fn bad_number() {
    assert_eq!(
        failure("bad-number").to_string(),
        "datasets.json:3: cases: expected a whole number"
    );
}

#[test]
fn bad_enum() {
    assert_eq!(
        failure("bad-enum").to_string(),
        "researchers.csv:3: forum: expected academia or industry, got \"indsutry\""
    );
}

#[test]
fn missing_required_field() {
    assert_eq!(
        failure("missing-required").to_string(),
        "needs.toml:5: text: missing (required)"
    );
}

#[test]
fn duplicate_ids_name_both_places() {
    assert_eq!(
        lines(&failure("duplicate-id").diagnostics),
        [
            "datasets_extra.csv:2: duplicate id \"ds-1\": also in datasets.json:2",
            "researchers.jsonl:1: duplicate id \"ds-2\": also in datasets_extra.csv:3",
        ]
    );
}

#[test]
fn malformed_json_names_its_line() {
    assert_eq!(
        failure("malformed-json").to_string(),
        "datasets.json:4: malformed JSON: expected `,` or `]` (column 3)"
    );
}

#[test]
fn malformed_toml_names_its_line() {
    let message = failure("malformed-toml").to_string();
    assert!(
        message.starts_with("organizations.toml:3: malformed TOML: "),
        "{message}"
    );
    assert!(!message.contains('\n'), "{message}");
}

#[test]
fn dangling_references_are_warnings() {
    let l = loaded("dangling-reference");
    assert_eq!(l.catalog.len(), 3);
    assert_eq!(
        lines(&l.warnings),
        [
            "needs.json:3: owner: no record has the id \"org-9\"",
            "proposals.toml:4: proposer: \"need-1\" is a need, not a researcher or organization",
            "proposals.toml:5: partners: no record has the id \"org-missing\"",
        ]
    );
}

#[test]
fn unknown_files_are_skipped_with_a_warning() {
    let l = loaded("unknown-file");
    assert_eq!(l.catalog.datasets.len(), 1);
    assert_eq!(
        lines(&l.warnings),
        [
            "datasets_2024.xlsx: skipped: .xlsx is not a data format (use .json, .jsonl, .toml or .csv)",
            "notes.txt: skipped: not a data file of any kind",
        ]
    );
}

#[test]
fn non_utf8_files_are_errors() {
    assert_eq!(
        lines(&failure("non-utf8").diagnostics),
        [
            "datasets.json:2: not UTF-8 text: save the file as UTF-8",
            "researchers.csv:2: neither UTF-8 nor Shift_JIS text: save the file as UTF-8",
        ]
    );
}

#[test]
fn shift_jis_csv_is_read_with_a_warning() {
    let l = loaded("shift-jis");
    let r = &l.catalog.researchers[0];
    assert_eq!(
        (r.name.as_str(), r.affiliation.as_deref()),
        ("山田 太郎", Some("東京大学"))
    );
    assert_eq!(
        lines(&l.warnings),
        ["researchers.csv: read as Shift_JIS (not UTF-8): save the file as UTF-8 to be sure"]
    );
}

#[test]
fn every_problem_of_the_run_is_reported_together() {
    let f = failure("many-errors");
    assert_eq!(
        lines(&f.diagnostics),
        [
            "datasets.csv:3: id: missing (required)",
            "datasets.csv:3: cases: expected a whole number",
            "datasets.csv:3: access: expected open, registered or controlled, got \"secret\"",
            "needs.json:1: owner: no record has the id \"ghost\"",
            "organizations.jsonl:1: contact_ok: expected true/false, yes/no or 1/0, got \"maybe\"",
            "todo.txt: skipped: not a data file of any kind",
        ]
    );
    assert_eq!(f.errors().count(), 4);
    assert_eq!(f.warnings().count(), 2);

    let report = validate_report(&source("many-errors"));
    assert_eq!(report.errors.len(), 4);
    assert_eq!(report.warnings.len(), 2);
    assert!(report.counts.is_empty() && !report.is_ok());
}

#[test]
fn missing_directory_is_reported_by_validate() {
    let report = validate_report(&source("no-such-directory"));
    assert_eq!(report.errors.len(), 1);
    assert!(report.errors[0].file.ends_with("no-such-directory"));
    assert!(report.errors[0]
        .message
        .starts_with("cannot read the data directory: "));
}

#[test]
fn bundled_sample_data_loads() {
    let files = DataSource::Bundled.files();
    let Ok(files) = files else {
        panic!("bundled files: {files:?}")
    };
    assert!(files.iter().all(|f| !f.name.ends_with(".md")));
    if let Err(failure) = load(&DataSource::Bundled) {
        panic!("bundled sample data must load:\n{failure}");
    }
}

#[test]
fn a_field_given_twice_is_an_error_in_every_format() {
    use musubi::load::{load_files, SourceFile};
    let cases = [
        (
            "datasets.json",
            "[\n{\"id\": \"D1\", \"title\": \"t\", \"area\": \"cancer\", \"cases\": 1,\n \"DATA_USE\": [\"GRU\"],\n \"data_use\": [\"GRU\", \"NCU\"]}\n]\n",
        ),
        (
            "datasets.jsonl",
            "{\"id\": \"D1\", \"title\": \"t\", \"area\": \"cancer\", \"cases\": 1, \"data_use\": [\"GRU\", \"NCU\"], \"data_use\": [\"GRU\"]}\n",
        ),
    ];
    for (name, text) in cases {
        let failure = load_files(&[SourceFile::from_bytes(name, text)])
            .err()
            .unwrap_or_else(|| panic!("{name}: a repeated field must not load"));
        let message = failure.to_string();
        assert!(
            message.contains("data_use: given twice") || message.contains("DATA_USE: given twice"),
            "{name}: {message}"
        );
    }
}
