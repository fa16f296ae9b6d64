//! A rebuild takes over the records of data files whose bytes did not change from the last
//! build's snapshot instead of parsing them again, and stores what a build from scratch
//! stores: the same records, warnings, match candidates and names. Errors are told as a load
//! from scratch tells them, lines and all.

mod common;

use common::Rows;
use musubi::config::Settings;
use musubi::model::{Catalog, Kind};
use musubi::workspace::{OpenOptions, Workspace, WorkspaceError};
use serde_json::Value;
use std::fs;
use std::path::Path;

/// Rows per file: more than a snapshot chunk (512 records), so that files fill chunks whole.
const ROWS_PER_FILE: usize = 700;

fn write_data(data: &Path, rows: &Rows, extra: &[(&str, String)]) {
    common::write_rows(data, rows, ROWS_PER_FILE, extra);
}

fn open(data: &Path, index: &Path, from_scratch: bool) -> Result<Workspace, WorkspaceError> {
    let options = OpenOptions {
        data: Some(data.to_path_buf()),
        index: Some(index.to_path_buf()),
        force_rebuild: false,
        from_scratch,
    };
    Workspace::open(&options, &Settings::default(), &|_| {})
}

fn snapshot_of(workspace: &Workspace) -> Catalog {
    let bytes = fs::read(workspace.index_dir.join("catalog.bin")).expect("snapshot read");
    musubi::snapshot::read(&bytes).expect("a whole snapshot")
}

fn row_id(row: &serde_json::Map<String, Value>) -> String {
    common::row_text(row, "id")
}

#[test]
fn a_rebuild_taking_files_over_stores_what_a_build_from_scratch_stores() {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let data = tmp.path().join("data");
    let kept = tmp.path().join("kept");
    let full = tmp.path().join("full");
    let mut rows = common::generated_rows(8_000, 9);
    // Warnings in files that will not change: an owner no record has, an empty file.
    let needs = rows.get_mut(&Kind::Need).expect("needs");
    needs[4].insert("owner".into(), Value::from("NOBODY-1"));
    let empty = [("needs-empty.jsonl", String::new())];
    write_data(&data, &rows, &empty);
    let first = open(&data, &kept, false).expect("first build");
    assert_eq!(first.meta.taken_over_records, 0);
    assert!(first.meta.warnings.len() >= 2, "{:?}", first.meta.warnings);
    drop(first);

    // A dataset edited in a file between unchanged ones, and a file of three datasets added
    // after the first (read second: every later dataset moves three places).
    let datasets = rows.get_mut(&Kind::Dataset).expect("datasets");
    assert!(datasets.len() > 3 * ROWS_PER_FILE);
    datasets[ROWS_PER_FILE + 10].insert("title".into(), Value::from("edited 膵がん cohort"));
    let mut added_rows = String::new();
    for (n, row) in datasets.iter().take(3).enumerate() {
        let mut row = row.clone();
        row.insert("id".into(), Value::from(format!("DS-ADDED-{n}")));
        added_rows.push_str(&format!("{}\n", Value::Object(row)));
    }
    let added = [
        ("needs-empty.jsonl", String::new()),
        ("datasets-00a.jsonl", added_rows),
    ];
    write_data(&data, &rows, &added);
    let rebuilt = open(&data, &kept, false).expect("rebuild");
    let scratch = open(&data, &full, true).expect("build from scratch");
    let total: usize = scratch.meta.counts.values().sum();
    let read_again = ROWS_PER_FILE + 3;
    assert_eq!(rebuilt.meta.taken_over_records, total - read_again);
    assert_eq!(scratch.meta.taken_over_records, 0);

    let records = snapshot_of(&rebuilt);
    assert!(
        records == snapshot_of(&scratch),
        "the same records in order"
    );
    assert_eq!(records.len(), total);
    assert_eq!(rebuilt.meta.warnings, scratch.meta.warnings);
    assert!(rebuilt.meta.warnings.iter().any(|w| w.contains("NOBODY-1")));
    assert!(rebuilt
        .meta
        .warnings
        .iter()
        .any(|w| w.contains("needs-empty.jsonl")));
    assert_eq!(rebuilt.meta.files, scratch.meta.files);
    assert_eq!(rebuilt.meta.counts, scratch.meta.counts);
    for file in ["candidates.bin", "names.bin", "load.bin"] {
        assert!(
            fs::read(rebuilt.index_dir.join(file)).expect("read")
                == fs::read(scratch.index_dir.join(file)).expect("read"),
            "{file} differs"
        );
    }
    // Whole chunks were copied as they were: a snapshot laid out otherwise than from scratch.
    assert!(
        fs::read(rebuilt.index_dir.join("catalog.bin")).expect("read")
            != fs::read(scratch.index_dir.join("catalog.bin")).expect("read")
    );
    drop(rebuilt);

    // Taken over again from a snapshot that was itself taken over.
    let datasets = rows.get_mut(&Kind::Dataset).expect("datasets");
    datasets[3].insert("cases".into(), Value::from(77));
    write_data(&data, &rows, &added);
    let again = open(&data, &kept, false).expect("rebuild again");
    let scratch = open(&data, &full, true).expect("build from scratch");
    assert!(again.meta.taken_over_records > 0);
    assert!(snapshot_of(&again) == snapshot_of(&scratch));
    assert_eq!(again.meta.warnings, scratch.meta.warnings);
    let hits = |workspace: &Workspace| {
        let request = musubi::search::SearchRequest {
            query: "膵がん cohort".into(),
            kind: None,
            limit: 20,
        };
        let found =
            musubi::search::search(&workspace.index, workspace.vocabulary.as_ref(), &request)
                .expect("search");
        // Tied hits may come in either order (segments differ).
        let mut hits: Vec<(String, String)> = found
            .hits
            .iter()
            .map(|h| (h.id.clone(), format!("{:.4}", h.score)))
            .collect();
        hits.sort();
        (found.total, hits)
    };
    assert_eq!(hits(&again), hits(&scratch));
}

/// The bytes of a generation's match candidates.
fn candidates_of(workspace: &Workspace) -> Vec<u8> {
    fs::read(workspace.index_dir.join("candidates.bin")).expect("candidates read")
}

/// The file system's number of a generation's file: the same for a file shared by a link.
#[cfg(unix)]
fn inode(workspace: &Workspace, file: &str) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(workspace.index_dir.join(file))
        .expect("a generation's file")
        .ino()
}

#[cfg(unix)]
#[test]
fn candidates_are_shared_with_the_last_build_only_while_none_of_their_records_changed() {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let data = tmp.path().join("data");
    let (kept, full) = (tmp.path().join("kept"), tmp.path().join("full"));
    let mut rows = common::generated_rows(4_000, 12);
    write_data(&data, &rows, &[]);
    let first = open(&data, &kept, false).expect("first build");
    let shared = inode(&first, "candidates.bin");
    drop(first);

    // Needs are never candidates: a need edited and a file of needs added.
    let needs = rows.get_mut(&Kind::Need).expect("needs");
    needs[2].insert("title".into(), Value::from("edited 膵がん need"));
    let new_need =
        format!("{}\n", Value::Object(needs[0].clone())).replace(&row_id(&needs[0]), "N-ADDED-1");
    let extra = [("needs-zz.jsonl", new_need)];
    write_data(&data, &rows, &extra);
    let rebuilt = open(&data, &kept, false).expect("rebuild");
    let scratch = open(&data, &full, true).expect("build from scratch");
    assert_eq!(inode(&rebuilt, "candidates.bin"), shared);
    assert!(candidates_of(&rebuilt) == candidates_of(&scratch));
    // Cut short since it was written: written again, not shared.
    let candidates = rebuilt.index_dir.join("candidates.bin");
    let length = fs::metadata(&candidates).expect("candidates").len();
    fs::OpenOptions::new()
        .write(true)
        .open(&candidates)
        .and_then(|file| file.set_len(length / 2))
        .expect("cut short");
    drop(rebuilt);
    let needs = rows.get_mut(&Kind::Need).expect("needs");
    needs[3].insert("title".into(), Value::from("another edited need"));
    write_data(&data, &rows, &extra);
    let mended = open(&data, &kept, false).expect("rebuild after the damage");
    let scratch = open(&data, &full, true).expect("build from scratch");
    assert_ne!(inode(&mended, "candidates.bin"), shared);
    let shared = inode(&mended, "candidates.bin");
    assert!(candidates_of(&mended) == candidates_of(&scratch));
    drop(mended);

    // The last file of researchers gone: every other candidate is where it was, yet fewer.
    let researchers = rows.get_mut(&Kind::Researcher).expect("researchers");
    let kept_researchers = researchers.len() / ROWS_PER_FILE * ROWS_PER_FILE;
    assert!(kept_researchers > 0 && kept_researchers < researchers.len());
    researchers.truncate(kept_researchers);
    write_data(&data, &rows, &extra);
    let fewer = open(&data, &kept, false).expect("rebuild without the file");
    let scratch = open(&data, &full, true).expect("build from scratch");
    assert_ne!(inode(&fewer, "candidates.bin"), shared);
    assert!(candidates_of(&fewer) == candidates_of(&scratch));
}

#[cfg(unix)]
#[test]
fn a_proposer_edited_in_place_writes_the_candidates_again() {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let data = tmp.path().join("data");
    let (kept, full) = (tmp.path().join("kept"), tmp.path().join("full"));
    let mut rows = common::generated_rows(4_000, 12);
    let proposer = common::row_text(&rows[&Kind::Proposal][0], "proposer");
    assert!(!proposer.is_empty());
    // The proposer is a dataset's custodian too: its label and the proposal's forum change.
    let datasets = rows.get_mut(&Kind::Dataset).expect("datasets");
    datasets[1].insert("custodian".into(), Value::from(proposer.clone()));
    write_data(&data, &rows, &[]);
    let first = open(&data, &kept, false).expect("first build");
    let shared = inode(&first, "candidates.bin");
    let first_bytes = candidates_of(&first);
    drop(first);

    let researcher = rows
        .get_mut(&Kind::Researcher)
        .expect("researchers")
        .iter_mut()
        .find(|r| row_id(r) == proposer)
        .expect("the proposer is a researcher");
    let forum = match researcher.get("forum").and_then(Value::as_str) {
        Some("industry") => "academia",
        _ => "industry",
    };
    researcher.insert("forum".into(), Value::from(forum));
    researcher.insert("affiliation".into(), Value::from("新しい大学"));
    write_data(&data, &rows, &[]);
    let rebuilt = open(&data, &kept, false).expect("rebuild");
    let scratch = open(&data, &full, true).expect("build from scratch");
    assert_ne!(inode(&rebuilt, "candidates.bin"), shared);
    let rebuilt_bytes = candidates_of(&rebuilt);
    assert!(
        rebuilt_bytes != first_bytes,
        "the edit changed the candidates"
    );
    assert!(rebuilt_bytes == candidates_of(&scratch));
}

#[test]
fn an_error_beside_files_taken_over_names_its_lines_as_from_scratch() {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let data = tmp.path().join("data");
    let index = tmp.path().join("index");
    let rows = common::generated_rows(3_000, 4);
    write_data(&data, &rows, &[]);
    drop(open(&data, &index, false).expect("first build"));
    // A new file repeating the id of a record in an unchanged file.
    let twin = &rows[&Kind::Dataset][ROWS_PER_FILE - 1];
    let text = format!("{}\n", Value::Object(twin.clone()));
    write_data(&data, &rows, &[("datasets-zz.jsonl", text)]);
    let failure = match open(&data, &index, false) {
        Err(WorkspaceError::Load(failure)) => failure,
        Err(other) => panic!("not a load failure: {other}"),
        Ok(_) => panic!("a duplicate id loads"),
    };
    let source = musubi::load::DataSource::Dir(data.clone());
    let from_scratch = musubi::load::check(&source).expect_err("the duplicate is an error");
    assert_eq!(failure.diagnostics, from_scratch.diagnostics);
    let message = failure.diagnostics[0].to_string();
    let id = row_id(twin);
    assert!(
        message.starts_with("datasets-zz.jsonl:1:")
            && message.contains(&id)
            && message.contains(&format!("datasets-00.jsonl:{ROWS_PER_FILE}")),
        "{message}"
    );
}
