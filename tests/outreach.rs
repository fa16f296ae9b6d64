//! The outreach cycle end to end: the log (`musubi outreach`), validate's view of it, and the
//! commands built on it. Every test has its own home (`HOME`, `XDG_*`), never the real one.

mod common;

use assert_cmd::Command;
use musubi::outreach::{self, clock, Entry, Status};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

/// A private home for one test (the shared one), recording as `tester`.
struct Home(common::Home);

impl Home {
    fn new() -> Home {
        Home(common::Home::new())
    }

    fn path(&self) -> &Path {
        self.0.path()
    }

    fn musubi(&self) -> Command {
        let mut cmd = self.0.musubi();
        cmd.env("USER", "tester");
        cmd
    }

    fn copy_of_sample_data(&self) -> PathBuf {
        self.0.copy_of_sample_data()
    }

    fn settings(&self, text: &str) {
        let dir = self.path().join("config/musubi");
        fs::create_dir_all(&dir).expect("config dir");
        fs::write(dir.join("config.toml"), text).expect("settings");
    }

    /// The sample data's log (in the platform data directory).
    fn sample_log(&self) -> PathBuf {
        self.path().join("data/musubi/outreach.jsonl")
    }
}

fn stdout_of(cmd: &mut Command) -> String {
    let output = cmd.assert().success().get_output().clone();
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

fn json_of(cmd: &mut Command) -> Value {
    let text = stdout_of(cmd);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

fn stderr_of_failure(cmd: &mut Command) -> String {
    let output = cmd.assert().failure().get_output().clone();
    String::from_utf8(output.stderr).expect("UTF-8 errors")
}

fn entry(subject: &str, candidate: &str, status: Status, note: &str) -> Entry {
    Entry {
        at: clock::parse_moment("2026-04-01T09:00:00+09:00").expect("moment"),
        by: "sato".into(),
        subject: subject.into(),
        candidate: candidate.into(),
        status,
        note: note.into(),
    }
}

#[test]
fn add_then_list_shows_the_latest_status_with_its_history() {
    let home = Home::new();
    for (status, date) in [("listed", "2026-03-01"), ("contacted", "2026-03-05")] {
        home.musubi()
            .args([
                "outreach",
                "add",
                "--subject",
                "N01",
                "--candidate",
                "DS-C01",
            ])
            .args(["--status", status, "--date", date, "--note", "電話"])
            .assert()
            .success();
    }
    home.musubi()
        .args(["outreach", "add", "--subject", "adhoc:pharma-call"])
        .args(["--candidate", "DS-C02", "--status", "replied"])
        .assert()
        .success();
    let lines = fs::read_to_string(home.sample_log()).expect("the log exists");
    assert_eq!(lines.lines().count(), 3);
    assert!(
        lines.lines().all(|l| l.contains("\"by\":\"tester\"")),
        "{lines}"
    );
    assert!(
        lines.contains("\"at\":\"2026-03-05T00:00:00+09:00\""),
        "{lines}"
    );

    let list = json_of(home.musubi().args(["outreach", "list", "--format", "json"]));
    let list = list.as_array().expect("array");
    assert_eq!(list.len(), 2);
    let n01 = &list[0];
    assert_eq!(n01["subject"], "N01");
    assert_eq!(
        n01["candidate_title"],
        "膵がん 全ゲノム・RNA統合解析コホート"
    );
    assert_eq!(n01["status"], "contacted");
    let history: Vec<&str> = n01["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|h| h["status"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(history, ["listed", "contacted"]);

    let only = json_of(home.musubi().args([
        "outreach", "list", "--status", "replied", "--format", "json",
    ]));
    assert_eq!(only.as_array().map(Vec::len), Some(1));
    assert_eq!(only[0]["subject"], "adhoc:pharma-call");
    let since = json_of(home.musubi().args([
        "outreach",
        "list",
        "--subject",
        "N01",
        "--since",
        "2026-03-06",
        "--format",
        "json",
    ]));
    assert_eq!(since.as_array().map(Vec::len), Some(0));

    let csv = stdout_of(home.musubi().args(["outreach", "list", "--format", "csv"]));
    assert!(
        csv.starts_with("\u{feff}subject,subject_title,candidate"),
        "{csv}"
    );
    assert!(csv.contains("N01,膵がん創薬標的探索,DS-C01,"), "{csv}");
    let table = stdout_of(home.musubi().args(["outreach", "list"]));
    assert!(table.contains("2 pair(s), 2 contacted"), "{table}");
}

#[test]
fn unknown_ids_are_refused_with_the_closest_ones() {
    let home = Home::new();
    let err = stderr_of_failure(home.musubi().args([
        "outreach",
        "add",
        "--subject",
        "N01",
        "--candidate",
        "DS-C1",
        "--status",
        "listed",
    ]));
    assert!(
        err.contains("no dataset, organisation or researcher with id \"DS-C1\""),
        "{err}"
    );
    assert!(err.contains("closest: DS-C01"), "{err}");
    let err = stderr_of_failure(home.musubi().args([
        "outreach",
        "add",
        "--subject",
        "N01",
        "--candidate",
        "DS-C01",
        "--status",
        "phoned",
    ]));
    assert!(err.contains("\"phoned\" is not a status"), "{err}");
    assert!(!home.sample_log().exists());
}

#[test]
fn a_note_cannot_put_escape_sequences_on_the_terminal() {
    let home = Home::new();
    home.musubi()
        .args([
            "outreach",
            "add",
            "--subject",
            "N01",
            "--candidate",
            "DS-C01",
        ])
        .args([
            "--status",
            "contacted",
            "--note",
            "ok\u{1b}[2J\u{1b}]0;pwned\u{7}",
        ])
        .assert()
        .success();
    let table = stdout_of(home.musubi().args(["outreach", "list"]));
    assert!(
        !table.contains('\u{1b}') && !table.contains('\u{7}'),
        "{table:?}"
    );
}

#[test]
fn the_log_lives_in_the_data_directory_and_is_not_data() {
    let home = Home::new();
    let data = home.copy_of_sample_data();
    home.musubi()
        .args(["--data"])
        .arg(&data)
        .args([
            "outreach",
            "add",
            "--subject",
            "N01",
            "--candidate",
            "DS-C01",
        ])
        .args(["--status", "listed"])
        .assert()
        .success();
    assert!(data.join("outreach.jsonl").exists());
    // The loader leaves the log alone: the data still validates without a new warning.
    let out = stdout_of(home.musubi().args(["--data"]).arg(&data).arg("validate"));
    assert!(!out.contains("outreach.jsonl"), "{out}");
}

#[test]
fn a_malformed_line_in_the_middle_is_reported_and_skipped() {
    let home = Home::new();
    let log = home.path().join("team-log.jsonl");
    let text = format!(
        "{}{{\"at\": \"yesterday\", \"by\": \"ito\"}}\n{}",
        entry("N01", "DS-C01", Status::Contacted, "").to_line(),
        entry("N02", "DS-C02", Status::Replied, "").to_line(),
    );
    fs::write(&log, text).expect("log");
    let output = home
        .musubi()
        .args(["outreach", "list", "--format", "json", "--log"])
        .arg(&log)
        .assert()
        .success()
        .get_output()
        .clone();
    let list: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(list.as_array().map(Vec::len), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("{}:2: not an outreach entry", log.display())),
        "{stderr}"
    );
    home.settings(&format!("outreach_log = \"{}\"\n", log.display()));
    let out = stdout_of(home.musubi().arg("validate"));
    assert!(
        out.contains(&format!(
            "warning: {}:2: not an outreach entry",
            log.display()
        )),
        "{out}"
    );
}

/// Set in the child processes of [`two_processes_appending_at_once_lose_no_line`].
const CHILD_LOG: &str = "MUSUBI_TEST_APPEND_LOG";
const CHILD_TAG: &str = "MUSUBI_TEST_APPEND_TAG";
const LINES_PER_PROCESS: usize = 1000;

#[test]
fn two_processes_appending_at_once_lose_no_line() {
    if let (Ok(log), Ok(tag)) = (std::env::var(CHILD_LOG), std::env::var(CHILD_TAG)) {
        // The child: append one line at a time, as separate `outreach add` runs would.
        for i in 0..LINES_PER_PROCESS {
            let e = entry("N01", "DS-C01", Status::Listed, &format!("{tag}-{i}"));
            outreach::append(Path::new(&log), &[e]).expect("append");
        }
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let log = tmp.path().join("outreach.jsonl");
    let exe = std::env::current_exe().expect("test binary");
    let children: Vec<_> = ["A", "B"]
        .iter()
        .map(|tag| {
            std::process::Command::new(&exe)
                .args(["two_processes_appending_at_once_lose_no_line", "--exact"])
                .env(CHILD_LOG, &log)
                .env(CHILD_TAG, tag)
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("spawn child")
        })
        .collect();
    for mut child in children {
        assert!(child.wait().expect("child ends").success());
    }
    let contents = outreach::read(&log).expect("read");
    assert!(contents.bad_lines.is_empty(), "{:?}", contents.bad_lines);
    assert_eq!(contents.entries.len(), 2 * LINES_PER_PROCESS);
    for tag in ["A", "B"] {
        let notes: Vec<String> = contents
            .entries
            .iter()
            .filter(|e| e.note.starts_with(&format!("{tag}-")))
            .map(|e| e.note.clone())
            .collect();
        let expected: Vec<String> = (0..LINES_PER_PROCESS)
            .map(|i| format!("{tag}-{i}"))
            .collect();
        assert_eq!(notes, expected, "process {tag}'s lines, in its order");
    }
}

#[test]
fn two_binaries_adding_at_once_both_land() {
    let home = Home::new();
    let log = home.path().join("shared.jsonl");
    // Build the index once so both runs only read it.
    home.musubi().arg("index").assert().success();
    let spawn = |status: &str| {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("musubi"));
        cmd.env_clear()
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .args([
                "outreach",
                "add",
                "--subject",
                "N01",
                "--candidate",
                "DS-C01",
            ])
            .args(["--status", status, "--log"])
            .arg(&log)
            .stdout(std::process::Stdio::null());
        cmd.spawn().expect("spawn musubi")
    };
    let mut runs = Vec::new();
    for _ in 0..10 {
        runs.push(spawn("contacted"));
        runs.push(spawn("replied"));
    }
    for mut run in runs {
        assert!(run.wait().expect("run ends").success());
    }
    let contents = outreach::read(&log).expect("read");
    assert!(contents.bad_lines.is_empty());
    assert_eq!(contents.entries.len(), 20);
    assert!(contents.entries.iter().all(|e| e.by == "unknown"));
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/outreach")
}

#[test]
fn gaps_exercise_every_category_with_its_reason() {
    let home = Home::new();
    let report = json_of(
        home.musubi()
            .arg("--data")
            .arg(fixture())
            .args(["gaps", "--format", "json"]),
    );
    assert_eq!(report["subjects"], 5);
    assert_eq!(report["gaps"], 4);
    let mut found = std::collections::BTreeMap::new();
    for group in report["diseases"].as_array().expect("groups") {
        for gap in group["gaps"].as_array().expect("gaps") {
            found.insert(
                gap["subject"].as_str().unwrap_or("").to_string(),
                gap.clone(),
            );
        }
    }
    assert!(!found.contains_key("N-OK"), "{report}");
    assert_eq!(found["N-NONE"]["why"], "no_dataset");
    assert_eq!(found["N-BLOCKED"]["why"], "all_blocked");
    assert_eq!(found["N-BLOCKED"]["blocked"][0]["dataset"], "DS-CRC-NCU");
    assert!(
        found["N-BLOCKED"]["blocked"][0]["rule"]
            .as_str()
            .is_some_and(|r| r.starts_with("NCU")),
        "{report}"
    );
    assert_eq!(found["N-FEW"]["why"], "too_few_cases");
    assert_eq!(found["N-FEW"]["cases"], 200);
    assert_eq!(found["N-FEW"]["needed"], 1000);
    assert_eq!(found["N-RELATED"]["why"], "related_field_only");
    assert_eq!(found["N-RELATED"]["dataset"], "DS-PANC");
    assert_eq!(report["counts"]["no_dataset"], 1);
    assert_eq!(report["counts"]["related_field_only"], 1);
}

#[test]
fn gaps_are_grouped_and_summed_in_every_format() {
    let home = Home::new();
    let table = stdout_of(home.musubi().arg("--data").arg(fixture()).arg("gaps"));
    assert!(
        table.contains(
            "肺がん / lung cancer — 1 subject(s), 1000 case(s) asked for: 1 too few cases"
        ),
        "{table}"
    );
    assert!(
        table.contains("4 of 5 need(s) and proposal(s) lack a good dataset, over 4 disease(s)"),
        "{table}"
    );
    let csv = stdout_of(
        home.musubi()
            .arg("--data")
            .arg(fixture())
            .args(["gaps", "--format", "csv"]),
    );
    assert!(
        csv.starts_with("\u{feff}disease,disease_label,subject,kind,title"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 5, "{csv}");
    let md = stdout_of(
        home.musubi()
            .arg("--data")
            .arg(fixture())
            .args(["gaps", "--format", "md"]),
    );
    assert!(md.contains("## 胆道がん / biliary tract cancer"), "{md}");
    let err = stderr_of_failure(home.musubi().args(["gaps", "--format", "xlsx"]));
    assert!(err.contains("--output"), "{err}");
    let xlsx = home.path().join("gaps.xlsx");
    home.musubi()
        .arg("--data")
        .arg(fixture())
        .args(["gaps", "--format", "xlsx", "--output"])
        .arg(&xlsx)
        .assert()
        .success();
    assert!(fs::read(&xlsx).expect("workbook").starts_with(b"PK"));
}

#[test]
fn the_sample_data_has_blocked_and_short_needs() {
    let home = Home::new();
    let report = json_of(home.musubi().args(["gaps", "--format", "json"]));
    assert!(
        report["counts"]["all_blocked"].as_u64() > Some(0),
        "{report}"
    );
    assert!(
        report["counts"]["too_few_cases"].as_u64() > Some(0),
        "{report}"
    );
}

/// A writable copy of the outreach fixture.
fn copy_of_fixture(home: &Home) -> PathBuf {
    let target = home.path().join("fixture-copy");
    fs::create_dir_all(&target).expect("create data dir");
    for entry in fs::read_dir(fixture()).expect("read fixture") {
        let entry = entry.expect("dir entry");
        fs::copy(entry.path(), target.join(entry.file_name())).expect("copy fixture file");
    }
    target
}

fn append_line(path: &Path, line: &str) {
    use std::io::Write as _;
    let mut file = fs::OpenOptions::new()
        .append(true)
        .open(path)
        .expect("open for append");
    writeln!(file, "{line}").expect("append");
}

#[test]
fn a_saved_search_shows_only_what_is_new_since_the_last_look() {
    let home = Home::new();
    let data = copy_of_fixture(&home);
    let musubi = || {
        let mut cmd = home.musubi();
        cmd.arg("--data").arg(&data);
        cmd
    };
    let saved = stdout_of(musubi().args(["watch", "add", "panc", "膵がん", "--kind", "dataset"]));
    assert!(saved.contains("Saved \"panc\" (1 hit(s) now"), "{saved}");
    assert!(home.path().join("config/musubi/watches.json").exists());
    let first = json_of(musubi().args(["watch", "panc", "--format", "json"]));
    assert_eq!(first[0]["new"].as_array().map(Vec::len), Some(0), "{first}");
    append_line(
        &data.join("datasets.jsonl"),
        r#"{"id": "DS-PANC2", "title": "膵がん RNA-seq", "area": "cancer", "diseases": ["膵がん"], "cases": 50, "modalities": ["RNA-seq"], "data_use": ["GRU"]}"#,
    );
    let second = json_of(musubi().args(["watch", "--format", "json"]));
    assert_eq!(second[0]["new"][0]["id"], "DS-PANC2", "{second}");
    let third = stdout_of(musubi().args(["watch", "panc"]));
    assert!(
        third.contains("panc \"膵がん\" [dataset]: 0 new since"),
        "{third}"
    );
    let err = stderr_of_failure(musubi().args(["watch", "add", "panc", "肺がん"]));
    assert!(
        err.contains("a saved search named \"panc\" exists"),
        "{err}"
    );
    let err = stderr_of_failure(musubi().args(["watch", "rm", "panx"]));
    assert!(err.contains("closest: panc"), "{err}");
    musubi().args(["watch", "rm", "panc"]).assert().success();
    let none = stdout_of(musubi().arg("watch"));
    assert!(none.starts_with("No saved search"), "{none}");
}

fn changes_of(news: &Value, subject: &str, candidate: &str) -> Vec<Value> {
    news.as_array()
        .expect("array")
        .iter()
        .filter(|n| n["subject"] == subject)
        .flat_map(|n| n["items"].as_array().cloned().unwrap_or_default())
        .filter(|i| i["candidate"] == candidate)
        .flat_map(|i| i["changes"].as_array().cloned().unwrap_or_default())
        .collect()
}

#[test]
fn news_across_two_builds_shows_consent_cases_modalities_and_new_records() {
    let home = Home::new();
    let data = copy_of_fixture(&home);
    let index = home.path().join("index");
    let musubi = || {
        let mut cmd = home.musubi();
        cmd.arg("--data").arg(&data).arg("--index").arg(&index);
        cmd
    };
    musubi().arg("index").assert().success();
    let first = json_of(musubi().args(["news", "--format", "json"]));
    assert_eq!(
        first,
        serde_json::json!([]),
        "nothing is new in the first build"
    );

    let datasets = data.join("datasets.jsonl");
    let text = fs::read_to_string(&datasets).expect("datasets");
    let text = text
        .replace(r#""data_use": ["HMB", "NCU"]"#, r#""data_use": ["HMB"]"#)
        .replace(
            r#""cases": 200, "modalities": ["WGS"]"#,
            r#""cases": 600, "modalities": ["WGS", "RNA-seq"]"#,
        );
    fs::write(&datasets, text).expect("change datasets");
    append_line(
        &datasets,
        r#"{"id": "DS-ALS", "title": "ALS WGS", "area": "rare_disease", "diseases": ["ALS"], "cases": 300, "modalities": ["WGS"], "data_use": ["GRU"]}"#,
    );
    musubi().arg("index").assert().success();
    assert!(index.join("history.json").exists());

    let news = json_of(musubi().args(["news", "--format", "json"]));
    let consent = changes_of(&news, "N-BLOCKED", "DS-CRC-NCU");
    assert_eq!(consent.len(), 1, "{news}");
    assert_eq!(consent[0]["change"], "consent");
    assert!(
        consent[0]["from"]
            .as_str()
            .is_some_and(|f| f.starts_with("blocked (NCU")),
        "{news}"
    );
    assert_eq!(consent[0]["to"], "allowed");
    let lung = changes_of(&news, "N-FEW", "DS-LUNG");
    assert_eq!(
        lung[0],
        serde_json::json!({"change": "cases_grew", "from": 200, "to": 600})
    );
    assert_eq!(
        lung[1],
        serde_json::json!({"change": "new_modality", "added": ["RNA-seq"]})
    );
    assert_eq!(changes_of(&news, "N-NONE", "DS-ALS")[0]["change"], "new");
    assert!(
        changes_of(&news, "N-OK", "DS-PANC").is_empty(),
        "unchanged: {news}"
    );

    // A date before history began: the same changes, against the first build.
    let since = json_of(musubi().args(["news", "--since", "2000-01-01", "--format", "json"]));
    assert_eq!(changes_of(&since, "N-FEW", "DS-LUNG").len(), 2, "{since}");
    // Since the subject's last logged outreach (here dated after both builds): nothing.
    musubi()
        .args([
            "outreach",
            "add",
            "--subject",
            "N-FEW",
            "--candidate",
            "DS-LUNG",
        ])
        .args(["--status", "contacted", "--date", "2099-01-01"])
        .assert()
        .success();
    let after = json_of(musubi().args(["news", "--subject", "N-FEW", "--format", "json"]));
    assert_eq!(after, serde_json::json!([]), "{after}");
    let table = stdout_of(musubi().args(["news", "--subject", "N-BLOCKED"]));
    assert!(
        table.contains("consent verdict changed: blocked"),
        "{table}"
    );
    let err = stderr_of_failure(musubi().args(["news", "--subject", "N-BLOCKD"]));
    assert!(err.contains("closest: N-BLOCKED"), "{err}");
}

#[test]
fn a_draft_application_is_prefilled_in_the_language_asked() {
    let home = Home::new();
    let ja = stdout_of(
        home.musubi()
            .args(["draft", "--subject", "N01", "--dataset", "DS-C01"]),
    );
    assert!(ja.starts_with("# データ利活用申請（下書き）"), "{ja}");
    assert!(ja.contains("- 蒼海製薬株式会社 (ORG-IND-01)"), "{ja}");
    assert!(
        ja.contains("c.shimizu@sokai-pharma.example.com"),
        "contact_ok: {ja}"
    );
    assert!(
        ja.contains("| `IRB` | 倫理審査の承認が必要 | 倫理審査委員会の承認書を添付する |"),
        "{ja}"
    );
    assert!(ja.contains("- 必要症例数: 500"), "{ja}");
    assert!(
        ja.contains("> 膵がん（膵管腺がん）の新規創薬標的を探索したい。"),
        "purpose: {ja}"
    );

    let out = home.path().join("draft-en.md");
    home.musubi()
        .args([
            "draft",
            "--subject",
            "N01",
            "--dataset",
            "DS-C03",
            "--lang",
            "en",
            "--output",
        ])
        .arg(&out)
        .assert()
        .success();
    let en = fs::read_to_string(&out).expect("draft written");
    for heading in [
        "# Data-use application (draft)",
        "## Requester",
        "## Dataset applied for",
        "| `DS:pancreatic cancer` | research on pancreatic cancer (and the diseases under it) only | show that the diseases studied fall under pancreatic cancer |",
        "- Cases held: 160",
    ] {
        assert!(en.contains(heading), "{heading}: {en}");
    }
    for japanese in ["申請者", "データ管理者", "症例数"] {
        assert!(
            !en.contains(japanese),
            "{japanese} in the English draft: {en}"
        );
    }
    assert!(!home.sample_log().exists(), "no log unless asked");
}

/// The text of `word/document.xml` inside a `.docx` file.
fn word_document_xml(path: &Path) -> String {
    use std::io::Read;
    let bytes = fs::read(path).expect("docx written");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip container");
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .expect("word/document.xml")
        .read_to_string(&mut xml)
        .expect("UTF-8 XML");
    xml
}

#[test]
fn a_draft_is_also_a_word_document_with_the_same_content_in_either_language() {
    let home = Home::new();
    let ja_path = home.path().join("申請.docx");
    let wrote = stdout_of(
        home.musubi()
            .args(["draft", "--subject", "N01", "--dataset", "DS-C01"])
            .args(["--format", "docx", "--output"])
            .arg(&ja_path),
    );
    assert!(wrote.starts_with("Wrote "), "{wrote}");
    let ja = word_document_xml(&ja_path);
    for text in [
        "データ利活用申請（下書き）",
        "申請者",
        "蒼海製薬株式会社 (ORG-IND-01)",
        "c.shimizu@sokai-pharma.example.com",
        "膵がん（膵管腺がん）の新規創薬標的を探索したい。",
        "データ利用条件（同意の範囲）と申請者の対応",
        "倫理審査委員会の承認書を添付する",
        "必要症例数: 500",
    ] {
        assert!(ja.contains(text), "{text} not in the Word draft");
    }
    assert!(
        ja.contains("<w:tbl>"),
        "the data-use conditions are a table"
    );
    assert!(ja.contains("w:val=\"Heading1\""), "sections are headings");

    let en_path = home.path().join("application.docx");
    home.musubi()
        .args([
            "draft",
            "--subject",
            "N01",
            "--dataset",
            "DS-C03",
            "--lang",
            "en",
        ])
        .args(["--format", "docx", "--output"])
        .arg(&en_path)
        .assert()
        .success();
    let en = word_document_xml(&en_path);
    for text in [
        "Data-use application (draft)",
        "Dataset applied for",
        "research on pancreatic cancer (and the diseases under it) only",
        "Cases held: 160",
    ] {
        assert!(en.contains(text), "{text} not in the English Word draft");
    }
    for japanese in ["申請者", "データ管理者", "症例数"] {
        assert!(
            !en.contains(japanese),
            "{japanese} in the English Word draft"
        );
    }

    let blocked = home.path().join("blocked.docx");
    let err = stderr_of_failure(
        home.musubi()
            .args(["draft", "--subject", "N01", "--dataset", "DS-C02"])
            .args(["--format", "docx", "--output"])
            .arg(&blocked),
    );
    assert!(err.contains("DS-C02 is blocked for N01: NCU"), "{err}");
    assert!(!blocked.exists(), "no file for a refused draft");
    let err = stderr_of_failure(home.musubi().args([
        "draft",
        "--subject",
        "N01",
        "--dataset",
        "DS-C01",
        "--format",
        "docx",
    ]));
    assert!(err.contains("--output FILE"), "{err}");
    let leftovers: Vec<_> = fs::read_dir(home.path())
        .expect("home")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn a_draft_withholds_the_contact_of_those_who_did_not_agree() {
    let home = Home::new();
    let md = stdout_of(
        home.musubi()
            .args(["draft", "--subject", "N29", "--dataset", "DS-R08"]),
    );
    assert!(md.contains("ORG-IND-08"), "{md}");
    assert!(
        md.contains("連絡先: （連絡の同意がないため記載しません）"),
        "{md}"
    );
    assert!(!md.contains("generepair.example.com"), "{md}");
}

#[test]
fn a_blocked_dataset_gets_no_draft_and_logging_happens_only_when_asked() {
    let home = Home::new();
    let err = stderr_of_failure(home.musubi().args([
        "draft",
        "--subject",
        "N01",
        "--dataset",
        "DS-C02",
        "--log",
    ]));
    assert!(
        err.contains("DS-C02 is blocked for N01: NCU: non-commercial use only"),
        "{err}"
    );
    assert!(!home.sample_log().exists());
    let err =
        stderr_of_failure(
            home.musubi()
                .args(["draft", "--subject", "N01", "--dataset", "DS-C1"]),
        );
    assert!(err.contains("closest: DS-C01"), "{err}");
    home.musubi()
        .args(["draft", "--subject", "N01", "--dataset", "DS-C01", "--log"])
        .assert()
        .success();
    let log = outreach::read(&home.sample_log()).expect("log");
    assert_eq!(log.entries.len(), 1);
    assert_eq!(log.entries[0].status, Status::Applied);
    assert_eq!(log.entries[0].candidate, "DS-C01");
}

#[test]
fn match_outputs_show_the_log_leave_out_recent_contacts_and_log_what_they_export() {
    let home = Home::new();
    stdout_of(home.musubi().args([
        "outreach",
        "add",
        "--subject",
        "N01",
        "--candidate",
        "DS-C01",
        "--status",
        "contacted",
    ]));
    // JSON: the pair's status, when and by whom.
    let report = json_of(
        home.musubi()
            .args(["match", "--need", "N01", "--format", "json"]),
    );
    let c01 = report["datasets"]
        .as_array()
        .and_then(|d| d.iter().find(|i| i["id"] == "DS-C01"))
        .expect("DS-C01 matched")
        .clone();
    assert_eq!(c01["outreach"]["status"], "contacted");
    assert_eq!(c01["outreach"]["last_contacted_by"], "tester");
    assert_eq!(c01["outreach"]["log"]["pair"]["subject"], "N01");
    // A pair never logged has no `outreach` field.
    let c03 = report["datasets"]
        .as_array()
        .and_then(|d| d.iter().find(|i| i["id"] == "DS-C03"))
        .expect("DS-C03 matched");
    assert!(c03.get("outreach").is_none(), "{c03}");
    // --exclude-contacted leaves the pair out; --within 0 keeps it.
    let table = stdout_of(
        home.musubi()
            .args(["match", "--need", "N01", "--exclude-contacted"]),
    );
    assert!(!table.contains("DS-C01"), "{table}");
    let kept = json_of(home.musubi().args([
        "match",
        "--need",
        "N01",
        "--exclude-contacted",
        "--within",
        "0",
        "--format",
        "json",
    ]));
    assert!(kept["datasets"]
        .as_array()
        .is_some_and(|d| d.iter().any(|i| i["id"] == "DS-C01")));
    // An export with --log: one `listed` line per written row, and the CSV columns.
    let out = home.path().join("list.csv");
    stdout_of(home.musubi().args([
        "match",
        "--need",
        "N01",
        "--format",
        "csv",
        "--log",
        "--output",
        out.to_str().expect("UTF-8 path"),
    ]));
    let csv = fs::read_to_string(&out).expect("export written");
    let rows = csv.lines().count() - 1;
    let header = csv.lines().next().unwrap_or_default();
    assert!(
        header.ends_with("outreach_status,last_contacted,last_contacted_by"),
        "{header}"
    );
    assert!(
        csv.contains("DS-C01") && csv.contains(",contacted,"),
        "{csv}"
    );
    let contents = outreach::read(&home.sample_log()).expect("log reads");
    let listed = contents
        .entries
        .iter()
        .filter(|e| e.status == Status::Listed && e.subject == "N01")
        .count();
    assert_eq!(listed, rows);
    assert!(contents.bad_lines.is_empty());
    // --log without an export is refused.
    stderr_of_failure(home.musubi().args(["match", "--need", "N01", "--log"]));
}
