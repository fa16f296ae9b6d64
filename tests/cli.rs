//! The `musubi` command end to end, on the bundled sample data and the loader fixtures.
//!
//! Every test runs the binary with `HOME`, `XDG_DATA_HOME` and `XDG_CONFIG_HOME` pointing into
//! its own temporary directory, so no test reads or writes the real home directory.

mod common;

use assert_cmd::Command;
use common::Home;
use musubi::load::{load, DataSource};
use predicates::prelude::*;
use serde_json::Value;
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

fn stdout_of(cmd: &mut Command) -> String {
    let output = cmd.assert().success().get_output().clone();
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

fn json_of(cmd: &mut Command) -> Value {
    let text = stdout_of(cmd);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

fn ids(hits: &Value) -> Vec<String> {
    hits.as_array()
        .expect("an array")
        .iter()
        .map(|h| h["id"].as_str().expect("string id").to_string())
        .collect()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/load")
        .join(name)
}

// ---- search ----

#[test]
fn japanese_query_finds_the_english_titled_paediatric_datasets() {
    let home = Home::new();
    let out = stdout_of(
        home.musubi()
            .args(["search", "小児がん", "--kind", "dataset"]),
    );
    for id in ["DS-C06", "DS-C07", "DS-C08", "DS-C09"] {
        assert!(out.contains(id), "{id} missing from:\n{out}");
    }
    assert!(!out.contains("researcher"), "kind filter ignored:\n{out}");
}

#[test]
fn search_json_is_an_array_of_hits_with_id_kind_title_score() {
    let home = Home::new();
    let hits = json_of(home.musubi().args([
        "search",
        "小児がん",
        "--kind",
        "dataset",
        "--format",
        "json",
    ]));
    let array = hits.as_array().expect("an array");
    assert!(array.len() >= 4, "{hits:#}");
    for hit in array {
        assert!(hit["id"].is_string(), "{hit}");
        assert_eq!(hit["kind"], "dataset", "{hit}");
        assert!(
            !hit["title"].as_str().unwrap_or_default().is_empty(),
            "{hit}"
        );
        assert!(hit["score"].as_f64().is_some_and(|s| s > 0.0), "{hit}");
    }
}

#[test]
fn english_query_finds_japanese_titled_datasets() {
    let home = Home::new();
    let hits = json_of(home.musubi().args([
        "search",
        "pancreatic",
        "--kind",
        "dataset",
        "--format",
        "json",
    ]));
    let japanese: Vec<&Value> = hits
        .as_array()
        .expect("an array")
        .iter()
        .filter(|h| h["title"].as_str().unwrap_or_default().contains("膵がん"))
        .collect();
    assert!(!japanese.is_empty(), "no 膵がん dataset in {hits:#}");
    assert!(ids(&hits).contains(&"DS-C01".to_string()), "{hits:#}");
}

#[test]
fn mixed_query_finds_the_aml_dataset() {
    let home = Home::new();
    let hits = json_of(home.musubi().args([
        "search", "AML", "RNA-seq", "--kind", "dataset", "--format", "json",
    ]));
    assert_eq!(ids(&hits).first().map(String::as_str), Some("DS-C10"));
}

#[test]
fn a_one_typo_query_still_finds_neuroblastoma() {
    let home = Home::new();
    let hits = json_of(home.musubi().args([
        "search",
        "neuroblastma",
        "--kind",
        "dataset",
        "--format",
        "json",
    ]));
    assert!(ids(&hits).contains(&"DS-C07".to_string()), "{hits:#}");
}

#[test]
fn limit_caps_the_number_of_hits() {
    let home = Home::new();
    let hits = json_of(
        home.musubi()
            .args(["search", "がん", "--limit", "2", "--format", "json"]),
    );
    assert_eq!(ids(&hits).len(), 2, "{hits:#}");
}

// ---- index and its reuse ----

#[test]
fn index_prints_the_counts_per_kind() {
    let home = Home::new();
    let out = stdout_of(home.musubi().arg("index"));
    for (label, count) in [
        ("Datasets", 38),
        ("Researchers", 43),
        ("Organizations", 29),
        ("Proposals", 17),
        ("Needs", 33),
        ("Total", 160),
    ] {
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("no {label} line in:\n{out}"));
        assert_eq!(
            line.split_whitespace().last(),
            Some(count.to_string().as_str()),
            "{line}"
        );
    }
    assert!(out.contains(home.path().to_str().expect("UTF-8 temp path")));
}

#[test]
fn a_second_search_reuses_the_index() {
    let home = Home::new();
    home.musubi()
        .args(["search", "WGS"])
        .assert()
        .success()
        .stderr(predicate::str::contains("indexing"));
    home.musubi()
        .args(["search", "WGS"])
        .assert()
        .success()
        .stderr(predicate::str::contains("indexing").not());
}

#[test]
fn changing_a_data_file_rebuilds_the_index() {
    let home = Home::new();
    let data = home.copy_of_sample_data();
    let data_arg = data.to_str().expect("UTF-8 path");
    home.musubi()
        .args(["--data", data_arg, "search", "WGS"])
        .assert()
        .success()
        .stderr(predicate::str::contains("indexing 160 records"));
    home.musubi()
        .args(["--data", data_arg, "search", "WGS"])
        .assert()
        .success()
        .stderr(predicate::str::contains("indexing").not());
    let needs = data.join("needs.jsonl");
    let mut text = fs::read_to_string(&needs).expect("read needs");
    text.push_str(
        r#"{"id": "N99", "owner": "R001", "text": "Kawasaki zebrafish phenotyping", "diseases": ["川崎病"]}"#,
    );
    text.push('\n');
    fs::write(&needs, text).expect("write needs");
    let hits = home
        .musubi()
        .args([
            "--data",
            data_arg,
            "search",
            "zebrafish",
            "--format",
            "json",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("indexing 161 records"))
        .get_output()
        .stdout
        .clone();
    let hits: Value = serde_json::from_slice(&hits).expect("JSON");
    assert_eq!(ids(&hits), ["N99"]);
}

#[test]
fn index_again_says_what_it_kept_and_full_keeps_nothing() {
    let home = Home::new();
    let data = home.copy_of_sample_data();
    let index = home.path().join("index");
    let run = |extra: &[&str]| -> String {
        let mut args = vec![
            "--data".to_string(),
            data.to_string_lossy().into_owned(),
            "--index".to_string(),
            index.to_string_lossy().into_owned(),
            "index".to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        stdout_of(home.musubi().args(args))
    };
    let first = run(&[]);
    assert!(!first.contains("Kept the index"), "{first}");
    let again = run(&[]);
    assert!(
        again.contains("Kept the index of 160 records whose files did not change; indexed 0."),
        "{again}"
    );
    let full = run(&["--full"]);
    assert!(!full.contains("Kept the index"), "{full}");
    assert!(full.contains("Total"), "{full}");
}

#[test]
fn a_failed_rebuild_names_the_line_and_keeps_the_previous_index() {
    let home = Home::new();
    let data = home.copy_of_sample_data();
    let index = home.path().join("index");
    let args = |extra: &[&str]| -> Vec<String> {
        let mut v = vec![
            "--data".to_string(),
            data.to_string_lossy().into_owned(),
            "--index".to_string(),
            index.to_string_lossy().into_owned(),
        ];
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    home.musubi().args(args(&["index"])).assert().success();
    let current = fs::read_to_string(index.join("CURRENT")).expect("CURRENT pointer");
    let generation = index.join(current.trim());
    assert!(generation.is_dir());

    let datasets = data.join("datasets.jsonl");
    let good = fs::read(&datasets).expect("read datasets");
    let modified = fs::metadata(&datasets)
        .and_then(|m| m.modified())
        .expect("mtime");
    let lines = good.iter().filter(|b| **b == b'\n').count();
    let mut bad = good.clone();
    bad.extend_from_slice(br#"{"id": "DS-BAD", "title": "x", "area": "cancer", "cases": "many"}"#);
    bad.push(b'\n');
    fs::write(&datasets, &bad).expect("write bad datasets");
    home.musubi()
        .args(args(&["index"]))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "datasets.jsonl:{}",
            lines + 1
        )))
        .stderr(predicate::str::contains("cases"));
    // A search still answers, from the last good index, and says why.
    home.musubi()
        .args(args(&["search", "WGS"]))
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "datasets.jsonl:{}: cases",
            lines + 1
        )))
        .stderr(predicate::str::contains("musubi validate"));
    assert_eq!(
        fs::read_to_string(index.join("CURRENT")).expect("CURRENT pointer"),
        current,
        "the failed build moved the pointer"
    );
    assert!(
        generation.is_dir(),
        "the failed build removed the old index"
    );

    // The file as it was (same bytes, same time): the old generation is used as it stands.
    fs::write(&datasets, &good).expect("restore datasets");
    fs::File::options()
        .write(true)
        .open(&datasets)
        .and_then(|f| f.set_modified(modified))
        .expect("restore mtime");
    home.musubi()
        .args(args(&["search", "膵がん", "--format", "json"]))
        .assert()
        .success()
        .stderr(predicate::str::contains("indexing").not())
        .stdout(predicate::str::contains("DS-C01"));
}

// ---- validate ----

#[test]
fn validate_accepts_the_sample_data() {
    let home = Home::new();
    home.musubi()
        .arg("validate")
        .assert()
        .success()
        .stdout(predicate::str::contains("0 error(s)"));
}

#[test]
fn validate_names_file_line_and_field_of_an_error() {
    let home = Home::new();
    home.musubi()
        .args(["validate", "--data"])
        .arg(fixture("missing-required"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("needs.toml:5: text: missing"))
        .stdout(predicate::str::contains("no records read; 1 error(s)"));
    home.musubi()
        .args(["validate", "--data"])
        .arg(fixture("bad-number"))
        .assert()
        .failure()
        .stdout(predicate::str::contains("datasets.json:3: cases"));
}

#[test]
fn validate_of_a_missing_directory_fails() {
    let home = Home::new();
    home.musubi()
        .args(["validate", "--data"])
        .arg(home.path().join("no-such-dir"))
        .assert()
        .failure()
        .stdout(predicate::str::contains("no-such-dir"));
}

// ---- match ----

fn items<'a>(report: &'a Value, section: &str) -> &'a Vec<Value> {
    report[section]
        .as_array()
        .unwrap_or_else(|| panic!("{section} is not an array: {report:#}"))
}

#[test]
fn match_json_has_subject_sections_and_explained_items() {
    let home = Home::new();
    let report = json_of(
        home.musubi()
            .args(["match", "--need", "N01", "--format", "json"]),
    );
    assert_eq!(report["subject"]["id"], "N01");
    for section in ["datasets", "partners", "proposals"] {
        for item in items(&report, section) {
            assert!(item["id"].is_string(), "{item}");
            assert!(item["kind"].is_string(), "{item}");
            assert!(item["title"].is_string(), "{item}");
            let score = item["score"].as_f64().expect("numeric score");
            assert!((0.0..=1.0).contains(&score), "{item}");
            let reasons = item["reasons"].as_array().expect("reasons array");
            assert!(reasons.iter().all(Value::is_string), "{item}");
            assert!(item["conditions"].is_array(), "{item}");
        }
    }
    let datasets = ids(&report["datasets"]);
    assert_eq!(datasets.first().map(String::as_str), Some("DS-C01"));
    assert!(
        !datasets.contains(&"DS-C02".to_string()),
        "NCU not honoured"
    );
    assert!(!items(&report, "partners").is_empty());
}

#[test]
fn include_blocked_lists_the_blocked_dataset_with_its_rule() {
    let home = Home::new();
    let report = json_of(home.musubi().args([
        "match",
        "--need",
        "N01",
        "--include-blocked",
        "--format",
        "json",
    ]));
    let c02 = items(&report, "datasets")
        .iter()
        .find(|i| i["id"] == "DS-C02")
        .unwrap_or_else(|| panic!("DS-C02 not listed: {report:#}"));
    assert!(
        c02["blocked"].as_str().unwrap_or_default().contains("NCU"),
        "{c02}"
    );
}

#[test]
fn an_unknown_id_fails_with_the_closest_ids() {
    let home = Home::new();
    home.musubi()
        .args(["match", "--need", "N0l"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("closest: N01"));
}

#[test]
fn an_ad_hoc_need_finds_paediatric_datasets() {
    let home = Home::new();
    let report = json_of(home.musubi().args([
        "match",
        "--text",
        "pediatric cancer RNA",
        "--diseases",
        "小児がん",
        "--min-cases",
        "100",
        "--format",
        "json",
    ]));
    assert_eq!(report["subject"]["kind"], "ad_hoc");
    let datasets = ids(&report["datasets"]);
    assert!(
        datasets.iter().any(|id| id == "DS-C06" || id == "DS-C07"),
        "{datasets:?}"
    );
}

#[test]
fn all_needs_csv_is_a_bom_mail_merge_file_without_withheld_emails() {
    let home = Home::new();
    let path = home.path().join("x.csv");
    home.musubi()
        .args(["match", "--all-needs", "--format", "csv", "--output"])
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains("Wrote"));
    let bytes = fs::read(&path).expect("CSV written");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    for column in [
        "subject", "match_id", "kind", "name", "email", "score", "reasons",
    ] {
        assert!(header.contains(&column.to_string()), "{header:?}");
    }
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (id_col, email_col) = (column("match_id"), column("email"));

    let catalog = load(&DataSource::Bundled).expect("sample data").catalog;
    let no_contact: HashSet<&str> = catalog
        .researchers
        .iter()
        .filter(|r| !r.contact_ok)
        .map(|r| r.id.as_str())
        .chain(
            catalog
                .organizations
                .iter()
                .filter(|o| !o.contact_ok)
                .map(|o| o.id.as_str()),
        )
        .collect();
    let mut rows = 0;
    let mut withheld = 0;
    for record in reader.records() {
        let record = record.expect("CSV row");
        rows += 1;
        if no_contact.contains(&record[id_col]) {
            withheld += 1;
            assert_eq!(&record[email_col], "", "email of {}", &record[id_col]);
        }
    }
    assert!(rows > 33, "{rows} rows");
    assert!(withheld > 0, "no row of a person without consent to check");
}

#[test]
fn xlsx_without_output_fails_clearly() {
    let home = Home::new();
    home.musubi()
        .args(["match", "--need", "N01", "--format", "xlsx"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--output"));
}

#[test]
fn xlsx_with_output_writes_a_workbook() {
    let home = Home::new();
    let path = home.path().join("n01.xlsx");
    home.musubi()
        .args(["match", "--need", "N01", "--output"])
        .arg(&path)
        .assert()
        .success();
    let bytes = fs::read(&path).expect("workbook written");
    assert!(bytes.starts_with(b"PK"), "not a zip container");
}

#[test]
fn md_prints_a_memo() {
    let home = Home::new();
    home.musubi()
        .args(["match", "--need", "N01", "--format", "md", "--lang", "en"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("# Matches"))
        .stdout(predicate::str::contains("### Datasets"))
        .stdout(predicate::str::contains("DS-C01"));
}

// ---- vocab, config, no subcommand ----

#[test]
fn vocab_resolve_reads_lung_cancer() {
    let home = Home::new();
    let v = json_of(
        home.musubi()
            .args(["vocab", "resolve", "肺がん", "--format", "json"]),
    );
    let first = &v["resolutions"][0];
    assert_eq!(first["resolution"]["concept"], "lung_cancer");
    assert_eq!(first["resolution"]["method"], "exact");
    assert_eq!(first["name_en"], "lung cancer");
    assert_eq!(first["paths_to_root"][0][0], "lung_cancer");
}

#[test]
fn vocab_resolve_shows_both_senses_of_an_ambiguous_word() {
    let home = Home::new();
    let v = json_of(
        home.musubi()
            .args(["vocab", "resolve", "クローン", "--format", "json"]),
    );
    let concepts: Vec<&str> = v["resolutions"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|r| r["resolution"]["concept"].as_str())
        .collect();
    assert!(concepts.contains(&"crohn_disease"), "{concepts:?}");
    assert!(concepts.len() >= 2, "{concepts:?}");
}

#[test]
fn vocab_show_of_an_unknown_id_names_the_closest() {
    let home = Home::new();
    home.musubi()
        .args(["vocab", "show", "lung_cancr"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("lung_cancer"));
}

#[test]
fn vocab_show_gives_names_in_both_languages() {
    let home = Home::new();
    home.musubi()
        .args(["vocab", "show", "lung_cancer"])
        .assert()
        .success()
        .stdout(predicate::str::contains("肺がん"))
        .stdout(predicate::str::contains("lung cancer"));
}

#[test]
fn config_prints_paths_under_the_private_home() {
    let home = Home::new();
    let out = stdout_of(home.musubi().arg("config"));
    let config = home.path().join("config").join("musubi");
    let data = home.path().join("data").join("musubi");
    assert!(out.contains(config.to_str().expect("UTF-8")), "{out}");
    assert!(out.contains(data.to_str().expect("UTF-8")), "{out}");
    assert!(out.contains("bundled sample data"), "{out}");
}

/// Writes `text` as the settings file of `home`.
fn write_settings(home: &Home, text: &str) -> PathBuf {
    let dir = home.path().join("config").join("musubi");
    fs::create_dir_all(&dir).expect("config dir");
    let file = dir.join("config.toml");
    fs::write(&file, text).expect("settings file");
    file
}

#[test]
fn config_keys_prints_the_keymap_in_effect_marking_the_settings() {
    let home = Home::new();
    let plain = stdout_of(home.musubi().args(["config", "--keys"]));
    assert!(plain.contains("\nlist (Result list)\n"), "{plain}");
    assert!(!plain.lines().any(|l| l.starts_with('*')), "{plain}");
    assert!(stdout_of(home.musubi().arg("config")).contains("keys:           as shipped"));

    write_settings(
        &home,
        "[keys]\nexport = \"x\"\n[keys.list]\nmove_down = [\"n\", \"down\"]\n",
    );
    let text = stdout_of(home.musubi().args(["config", "--keys"]));
    let list = text
        .split("\n\n")
        .find(|s| s.starts_with("list (Result list)"))
        .expect("the list's section");
    let row = |action: &str| {
        list.lines()
            .find(|l| l.split_whitespace().any(|w| w == action))
            .unwrap_or_else(|| panic!("{action} in {list}"))
            .to_string()
    };
    let down = row("move_down");
    assert!(
        down.starts_with("* n, down ") && down.ends_with(" down"),
        "{down}"
    );
    assert!(row("export").starts_with("* x "), "{list}");
    assert!(row("move_up").starts_with("  up, k "), "{list}");
    assert!(stdout_of(home.musubi().arg("config")).contains("keys:           changed by [keys]"));

    let json = stdout_of(home.musubi().args(["config", "--keys", "--format", "json"]));
    let rows: Vec<Value> = serde_json::from_str(&json).expect("a JSON array");
    let find = |context: &str, action: &str| {
        rows.iter()
            .find(|r| r["context"] == context && r["action"] == action)
            .unwrap_or_else(|| panic!("{context}/{action}"))
            .clone()
    };
    let down = find("list", "move_down");
    assert_eq!(down["keys"], serde_json::json!(["n", "down"]));
    assert_eq!(down["help"], "down");
    assert_eq!(down["from_config"], true);
    let matches_down = find("matches", "move_down");
    assert_eq!(matches_down["keys"], serde_json::json!(["down", "j"]));
    assert_eq!(matches_down["from_config"], false);
    assert_eq!(find("matches", "export")["keys"], serde_json::json!(["x"]));
    assert_eq!(
        find("search_box", "next_result")["keys"],
        serde_json::json!(["ctrl-n", "ctrl-j"])
    );
    assert!(rows.iter().all(|r| r.as_object().is_some_and(|o| {
        ["context", "action", "keys", "help", "from_config"]
            .iter()
            .all(|f| o.contains_key(*f))
    })));
}

#[test]
fn a_bad_keymap_is_refused_by_config_keys_and_by_the_app_naming_each_problem() {
    let home = Home::new();
    let file = write_settings(
        &home,
        "no_color = true\n[keys]\nmove_dwn = \"n\"\n[keys.matches]\nexport = \"b\"\n[keys.search_box]\nnext_result = \"n\"\n",
    );
    let path = file.display().to_string();
    let expected = [
        format!("{path}:3: [keys] move_dwn: unknown action (did you mean move_down?)"),
        format!("{path}:5: [keys.matches] export: key \"b\" is also bound to toggle_blocked in matches"),
        format!("{path}:7: [keys.search_box] next_result: key \"n\": a plain character types text in search_box"),
    ];
    let output = home
        .musubi()
        .args(["config", "--keys"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    for line in &expected {
        assert!(stderr.contains(line.as_str()), "{line}\nin\n{stderr}");
    }
    // The app refuses to start, before it looks for a terminal.
    let output = home.musubi().assert().code(1).get_output().clone();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("the app did not start"), "{stderr}");
    for line in &expected {
        assert!(stderr.contains(line.as_str()), "{line}\nin\n{stderr}");
    }
    assert!(!stderr.contains("needs a terminal"), "{stderr}");
    assert!(output.stdout.is_empty());
    // `musubi config` still prints the paths, and says where to look.
    assert!(stdout_of(home.musubi().arg("config")).contains("[keys] has problems"));
    home.musubi()
        .args(["config", "--format", "json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--keys"));
}

#[test]
fn no_subcommand_without_a_terminal_exits_2_and_points_at_the_subcommands() {
    let home = Home::new();
    home.musubi()
        .assert()
        .code(2)
        .stderr(predicate::str::contains("musubi search"))
        .stderr(predicate::str::contains("musubi match"));
}

#[test]
fn fresh_is_for_the_app_and_refused_with_a_subcommand() {
    let home = Home::new();
    home.musubi()
        .args(["--fresh", "search", "膵がん"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--fresh applies to the app"));
    // Without a subcommand it is accepted (and, without a terminal, the usual pointer follows).
    home.musubi()
        .arg("--fresh")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("musubi search"));
}

#[test]
fn all_needs_json_lists_reports_even_for_a_single_need() {
    let home = Home::new();
    let data = home.path().join("one-need");
    fs::create_dir_all(&data).expect("data dir");
    fs::write(
        data.join("datasets.jsonl"),
        "{\"id\": \"D1\", \"title\": \"膵がん WGS\", \"area\": \"cancer\", \"diseases\": [\"膵がん\"], \"cases\": 100, \"data_use\": [\"GRU\"]}\n",
    )
    .expect("datasets");
    fs::write(
        data.join("needs.jsonl"),
        "{\"id\": \"N1\", \"text\": \"膵がんのデータ\", \"diseases\": [\"膵がん\"], \"commercial\": false}\n",
    )
    .expect("needs");
    let v = json_of(home.musubi().args([
        "--data",
        data.to_str().expect("UTF-8"),
        "match",
        "--all-needs",
        "--format",
        "json",
    ]));
    let reports = v["reports"].as_array().expect("reports listed");
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0]["subject"]["id"], "N1");
    assert_eq!(reports[0]["datasets"][0]["id"], "D1");
    assert!(v.get("subject").is_none(), "no bare report at the top");
}

#[test]
fn all_needs_csv_into_a_pipe_closed_early_ends_quietly() {
    use std::io::Read;
    let home = Home::new();
    // The sample data's CSV of every need (~150 KB) is more than a pipe holds, so the run
    // is still writing when the reader goes away.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_musubi"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .args(["match", "--all-needs", "--format", "csv"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("musubi runs");
    let mut stdout = child.stdout.take().expect("its output");
    let mut bom = [0u8; 3];
    stdout.read_exact(&mut bom).expect("the start of the CSV");
    assert_eq!(&bom, b"\xEF\xBB\xBF");
    drop(stdout);
    let done = child.wait_with_output().expect("musubi ends");
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert!(done.status.success(), "{:?}: {stderr}", done.status);
    assert!(!stderr.contains("could not"), "{stderr}");
}

#[test]
fn all_needs_as_a_table_records_nothing_in_the_log() {
    let home = Home::new();
    let log = home.path().join("outreach-log.jsonl");
    let out = stdout_of(home.musubi().args([
        "match",
        "--all-needs",
        "--log",
        log.to_str().expect("UTF-8"),
        "-o",
        "-",
    ]));
    assert!(out.contains("N01"), "the tables are printed");
    assert!(
        !log.exists(),
        "the table is not an export: nothing is listed"
    );
}
