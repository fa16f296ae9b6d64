//! `musubi search --filter/--facets/--format csv` and the CLI fixes of issue 15: facet counts
//! checked against the sample data read independently, CSV output, ids in any case, and the
//! option combinations refused as usage errors.

mod common;

use assert_cmd::Command;
use common::Home;
use musubi::load::{load, DataSource};
use musubi::model::{Catalog, Dataset};
use predicates::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;

/// A query that finds datasets of both areas in the sample data.
const QUERY: &str = "WGS";

fn sample() -> Catalog {
    match load(&DataSource::Bundled) {
        Ok(loaded) => loaded.catalog,
        Err(failure) => panic!("sample data does not load:\n{failure}"),
    }
}

fn json_of(cmd: &mut Command) -> Value {
    let out = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out).expect("stdout is JSON")
}

fn ids(hits: &Value) -> Vec<String> {
    hits.as_array()
        .expect("hits are an array")
        .iter()
        .map(|h| h["id"].as_str().expect("id").to_string())
        .collect()
}

/// The datasets of the sample data with these ids.
fn datasets<'c>(catalog: &'c Catalog, ids: &[String]) -> Vec<&'c Dataset> {
    ids.iter()
        .map(|id| {
            catalog
                .datasets
                .iter()
                .find(|d| &d.id == id)
                .unwrap_or_else(|| panic!("{id} is not a sample dataset"))
        })
        .collect()
}

/// A facet's counts from `--facets` JSON as value → count.
fn facet(facets: &Value, name: &str) -> BTreeMap<String, u64> {
    facets[name]
        .as_array()
        .unwrap_or_else(|| panic!("no facet {name}: {facets:#}"))
        .iter()
        .map(|v| {
            (
                v["value"].as_str().expect("value").to_string(),
                v["count"].as_u64().expect("count"),
            )
        })
        .collect()
}

fn has_code(d: &Dataset, code: &str) -> bool {
    d.data_use
        .iter()
        .any(|c| c.trim().eq_ignore_ascii_case(code))
}

#[test]
fn facet_counts_match_the_sample_data() {
    let home = Home::new();
    let search = |extra: &[&str]| {
        let mut cmd = home.musubi();
        cmd.args(["search", QUERY, "--kind", "dataset", "--limit", "1000"])
            .args(["--format", "json"])
            .args(extra);
        json_of(&mut cmd)
    };
    let plain = search(&[]);
    let faceted = search(&["--facets"]);
    let hit_ids = ids(&plain);
    assert!(hit_ids.len() >= 5, "{hit_ids:?}");
    assert_eq!(ids(&faceted["hits"]), hit_ids, "the same hits, in order");

    let catalog = sample();
    let found = datasets(&catalog, &hit_ids);
    let mut areas: BTreeMap<String, u64> = BTreeMap::new();
    for d in &found {
        *areas.entry(d.area.as_str().to_string()).or_default() += 1;
    }
    assert!(areas.len() == 2, "both areas among the hits: {areas:?}");
    let facets = &faceted["facets"];
    assert_eq!(facet(facets, "area"), areas);
    let data_use = facet(facets, "data-use");
    for code in ["HMB", "IRB", "NCU"] {
        let expected = found.iter().filter(|d| has_code(d, code)).count() as u64;
        assert!(expected > 0, "{code} is among the hits");
        assert_eq!(data_use.get(code), Some(&expected), "{code}: {data_use:?}");
    }
    assert!(
        facets.get("status").is_none() && facets.get("sector").is_none(),
        "facets datasets do not have are left out: {facets:#}"
    );
}

#[test]
fn filters_and_across_facets_and_or_within_one() {
    let home = Home::new();
    let search = |extra: &[&str]| {
        let mut cmd = home.musubi();
        cmd.args(["search", QUERY, "--kind", "dataset", "--limit", "1000"])
            .args(["--format", "json"])
            .args(extra);
        ids(&json_of(&mut cmd))
    };
    let catalog = sample();
    let all = search(&[]);
    let found = datasets(&catalog, &all);
    let expect = |keep: &dyn Fn(&Dataset) -> bool| -> Vec<String> {
        found
            .iter()
            .filter(|d| keep(d))
            .map(|d| d.id.clone())
            .collect()
    };

    // Values in any case; the order of the hits is kept.
    let cancer = search(&["--filter", "area=CANCER"]);
    assert_eq!(cancer, expect(&|d| d.area.as_str() == "cancer"));
    assert!(!cancer.is_empty() && cancer.len() < all.len());

    // Two values of one facet: either.
    let either = search(&["--filter", "data-use=hmb", "--filter", "data-use=NCU"]);
    assert_eq!(
        either,
        expect(&|d| has_code(d, "HMB") || has_code(d, "NCU"))
    );

    // Two facets: both.
    let both = search(&["--filter", "area=cancer", "--filter", "data-use=NCU"]);
    assert_eq!(
        both,
        expect(&|d| d.area.as_str() == "cancer" && has_code(d, "NCU"))
    );
    assert!(!both.is_empty() && both.len() < cancer.len());
}

#[test]
fn a_filtered_facet_keeps_its_other_values_counted() {
    let home = Home::new();
    let v = json_of(home.musubi().args([
        "search",
        QUERY,
        "--kind",
        "dataset",
        "--limit",
        "1000",
        "--format",
        "json",
        "--facets",
        "--filter",
        "area=rare_disease",
    ]));
    let catalog = sample();
    let hits = datasets(&catalog, &ids(&v["hits"]));
    assert!(hits.iter().all(|d| d.area.as_str() == "rare_disease"));
    let areas = facet(&v["facets"], "area");
    assert_eq!(areas.get("rare_disease"), Some(&(hits.len() as u64)));
    assert!(areas.get("cancer").is_some_and(|n| *n > 0), "{areas:?}");
    // Other facets are counted over the filtered hits.
    let hmb = hits.iter().filter(|d| has_code(d, "HMB")).count() as u64;
    assert_eq!(facet(&v["facets"], "data-use").get("HMB"), Some(&hmb));
}

#[test]
fn proposal_status_and_forum_facets_count_proposals() {
    let home = Home::new();
    let v = json_of(home.musubi().args([
        "search", "がん", "--kind", "proposal", "--limit", "1000", "--format", "json", "--facets",
    ]));
    let catalog = sample();
    let mut statuses: BTreeMap<String, u64> = BTreeMap::new();
    for id in ids(&v["hits"]) {
        let p = catalog
            .proposals
            .iter()
            .find(|p| p.id == id)
            .expect("a sample proposal");
        if let Some(s) = p.status {
            *statuses.entry(s.as_str().to_string()).or_default() += 1;
        }
    }
    assert!(!statuses.is_empty());
    assert_eq!(facet(&v["facets"], "status"), statuses);
    assert!(v["facets"].get("data-use").is_none(), "{:#}", v["facets"]);
}

#[test]
fn the_table_ends_with_the_facet_counts() {
    let home = Home::new();
    home.musubi()
        .args(["search", QUERY, "--kind", "dataset", "--facets"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Facets over all matches"))
        .stdout(
            predicate::str::is_match(r"(?m)^  area +(cancer|rare_disease) \d+, ").expect("regex"),
        );
}

#[test]
fn unknown_facets_and_values_are_named() {
    let home = Home::new();
    home.musubi()
        .args(["search", "がん", "--filter", "colour=red"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown facet \"colour\""))
        .stderr(predicate::str::contains(
            "area, disease-group, modality, forum, sector, status, data-use",
        ));
    home.musubi()
        .args(["search", "がん", "--filter", "area"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("FACET=VALUE"));
    home.musubi()
        .args(["search", "がん", "--filter", "area=oncology"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--filter area=oncology"))
        .stderr(predicate::str::contains("cancer, rare_disease"));
    home.musubi()
        .args([
            "search",
            "がん",
            "--kind",
            "dataset",
            "--filter",
            "status=active",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot be used with --kind dataset",
        ))
        .stderr(predicate::str::contains(
            "area, disease-group, modality, data-use",
        ));
}

#[test]
fn csv_has_a_bom_the_columns_and_the_json_hits() {
    let home = Home::new();
    let args = ["search", QUERY, "--limit", "1000"];
    let hits = ids(&json_of(
        home.musubi().args(args).args(["--format", "json"]),
    ));
    let out = home
        .musubi()
        .args(args)
        .args(["--format", "csv"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let body = out
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .expect("UTF-8 BOM first");
    let mut reader = csv::Reader::from_reader(body);
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header, ["id", "kind", "title", "title_en", "score"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let csv_ids: Vec<String> = rows.iter().map(|r| r[0].to_string()).collect();
    assert_eq!(csv_ids, hits);
    assert!(rows.iter().all(|r| r[4].parse::<f64>().is_ok()));
    assert!(rows.iter().any(|r| !r[3].is_empty()), "some English titles");
}

#[test]
fn facets_do_not_combine_with_csv() {
    Home::new()
        .musubi()
        .args(["search", "がん", "--facets", "--format", "csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--facets cannot be used with --format csv",
        ));
}

#[test]
fn ids_are_matched_in_any_case_when_unambiguous() {
    let home = Home::new();
    let v = json_of(
        home.musubi()
            .args(["match", "--need", "n01", "--format", "json"]),
    );
    assert_eq!(v["subject"]["id"], "N01");
    home.musubi()
        .args(["match", "--need", "n99"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("n99"));
}

#[test]
fn options_that_do_not_combine_are_usage_errors() {
    let home = Home::new();
    for extra in [
        &["--diseases", "膵がん"][..],
        &["--modalities", "WGS"],
        &["--min-cases", "10"],
        &["--requester", "ORG-IND-01"],
        &["--non-commercial"],
    ] {
        home.musubi()
            .args(["match", "--need", "N01"])
            .args(extra)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "{} can only be used with --text",
                extra[0]
            )));
    }
    home.musubi()
        .args(["match", "--need", "N01", "--format", "xlsx"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--output"));
}

#[test]
fn the_no_terminal_message_suggests_a_command_that_works() {
    let home = Home::new();
    let out = home.musubi().assert().failure().get_output().stderr.clone();
    let text = String::from_utf8_lossy(&out);
    let suggested = text
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("musubi match"))
        .unwrap_or_else(|| panic!("no match command suggested: {text}"));
    let args: Vec<&str> = suggested.split_whitespace().skip(1).collect();
    home.musubi().args(&args).assert().success();
}

#[test]
fn a_write_error_names_the_destination_once_and_no_temporary_file() {
    let home = Home::new();
    let target = home.path().join("no-such-dir").join("out.csv");
    let out = home
        .musubi()
        .args(["match", "--need", "N01", "--format", "csv", "--output"])
        .arg(&target)
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    let text = String::from_utf8_lossy(&out);
    assert_eq!(
        text.matches(&*target.display().to_string()).count(),
        1,
        "{text}"
    );
    assert!(
        !text.contains(".musubi-") && !text.contains("at path"),
        "{text}"
    );
    assert_eq!(text.matches("No such file").count(), 1, "{text}");
}
