//! A rebuild that kept what unchanged data files gave records the history by its changes
//! alone (one small entry per build), and the history read back is the one recording every
//! record gives: the same records, fingerprints, builds, removals and dataset states.

mod common;

use common::Rows;
use musubi::config::Settings;
use musubi::history::{BuildEntry, History, HISTORY_BUILDS_DIR};
use musubi::model::Kind;
use musubi::workspace::{OpenOptions, Workspace};
use serde_json::Value;
use std::fs;
use std::path::Path;

const ROWS_PER_FILE: usize = 150;

/// Writes the rows as data files, leaving nothing of an earlier stage behind.
fn write_data(data: &Path, rows: &Rows, extra: &[(&str, String)]) {
    common::write_rows(data, rows, ROWS_PER_FILE, extra);
}

/// Opens (building) the data with its own index store; `from_scratch` keeps nothing of the
/// last build, so the history records every record.
fn build(data: &Path, index: &Path, from_scratch: bool) {
    let options = OpenOptions {
        data: Some(data.to_path_buf()),
        index: Some(index.to_path_buf()),
        force_rebuild: false,
        from_scratch,
    };
    let workspace =
        Workspace::open(&options, &Settings::default(), &|_| {}).expect("the data builds");
    assert!(workspace.rebuilt);
    assert!(
        !workspace
            .warnings
            .iter()
            .any(|w| w.contains("record history")),
        "{:?}",
        workspace.warnings
    );
}

/// Sets need `at`'s text, writes the data again and builds it into `index`.
fn edit_need_and_build(data: &Path, index: &Path, rows: &mut Rows, at: usize, text: &str) {
    let needs = rows.get_mut(&Kind::Need).expect("needs");
    needs[at].insert("text".into(), Value::from(text));
    write_data(data, rows, &[]);
    build(data, index, false);
}

/// The history without its moments (each build runs at its own time) and journal name (each
/// whole rewrite draws one): what is compared.
fn without_moments(history: &History) -> Value {
    fn blank(value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (key, value) in map.iter_mut() {
                    match key.as_str() {
                        "at" | "first_seen" | "last_changed" | "started" | "latest" | "journal" => {
                            *value = Value::Null
                        }
                        "removed" => *value = Value::Bool(true),
                        _ => blank(value),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(blank),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(history).expect("history as JSON");
    blank(&mut value);
    value
}

/// The newest entry of a store's recorded builds.
fn newest_entry(index: &Path) -> BuildEntry {
    let dir = index.join(HISTORY_BUILDS_DIR);
    let mut names: Vec<_> = fs::read_dir(&dir)
        .expect("entries")
        .map(|e| e.expect("entry").path())
        .collect();
    names.sort();
    let newest = names.last().expect("an entry");
    serde_json::from_slice(&fs::read(newest).expect("entry read")).expect("entry parses")
}

fn row_id(row: &serde_json::Map<String, Value>) -> String {
    common::row_text(row, "id")
}

#[test]
fn a_history_recorded_by_changes_is_the_one_recorded_whole() {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let data = tmp.path().join("data");
    let kept = tmp.path().join("kept");
    let whole = tmp.path().join("whole");
    let mut rows = common::generated_rows(4_000, 33);
    let mut stages: Vec<(Rows, Vec<(&str, String)>)> = vec![(rows.clone(), Vec::new())];

    // A need edited and a dataset's data-use changed (a new state), each in its own file.
    let needs = rows.get_mut(&Kind::Need).expect("needs");
    needs[3].insert("text".into(), Value::from("edited: 膵がん whole genome"));
    let datasets = rows.get_mut(&Kind::Dataset).expect("datasets");
    let dataset_id = row_id(&datasets[ROWS_PER_FILE * 2 + 5]);
    datasets[ROWS_PER_FILE * 2 + 5].insert("data_use".into(), Value::from(vec!["HMB"]));
    stages.push((rows.clone(), Vec::new()));

    // A researcher removed; a need moved, as it was, to a new file with a new need (both
    // from the last file of their kind, so that the files before stay as they were).
    let researchers = rows.get_mut(&Kind::Researcher).expect("researchers");
    let researcher_at = researchers.len() - 3;
    let researcher = researchers.remove(researcher_at);
    let needs = rows.get_mut(&Kind::Need).expect("needs");
    let moved = needs.remove(needs.len() - 2);
    let mut fresh = moved.clone();
    fresh.insert("id".into(), Value::from("N-FRESH-1"));
    let extra = format!(
        "{}\n{}\n",
        Value::Object(moved.clone()),
        Value::Object(fresh)
    );
    stages.push((rows.clone(), vec![("needs-zz.jsonl", extra)]));

    // The new file removed (its two needs gone), the researcher back.
    let researchers = rows.get_mut(&Kind::Researcher).expect("researchers");
    researchers.insert(researcher_at, researcher.clone());
    stages.push((rows.clone(), Vec::new()));

    for (stage, (rows, extra)) in stages.iter().enumerate() {
        write_data(&data, rows, extra);
        build(&data, &kept, false);
        build(&data, &whole, true);
        let by_changes = History::load(&kept).expect("history read");
        let recorded_whole = History::load(&whole).expect("history read");
        assert_eq!(
            without_moments(&by_changes),
            without_moments(&recorded_whole),
            "stage {stage}"
        );
        let entry = newest_entry(&kept);
        assert_eq!(entry.build, stage as u64 + 1);
        match stage {
            0 => assert!(entry.seen.is_empty() && entry.gone.is_empty(), "a marker"),
            1 => {
                // Two files changed: their records, and nothing else, read again.
                assert_eq!(entry.seen.len(), 2 * ROWS_PER_FILE);
                assert!(entry.gone.is_empty());
                let states = &by_changes.records[&dataset_id].states;
                assert_eq!(states.len(), 2, "a new state");
                assert_eq!(states[1].data_use, ["HMB"]);
            }
            2 => {
                assert_eq!(entry.gone, [row_id(&researcher)]);
                assert!(entry.seen.iter().any(|s| s.id == "N-FRESH-1"));
                let moved = &by_changes.records[&row_id(&moved)];
                assert_eq!(moved.last_build, 1, "moved as it was: unchanged");
                assert!(moved.removed.is_none());
            }
            _ => {
                let mut gone = entry.gone.clone();
                gone.sort();
                assert_eq!(gone, ["N-FRESH-1".to_string(), row_id(&moved)]);
                let back = &by_changes.records[&row_id(&researcher)];
                assert!(back.removed.is_none());
                assert_eq!(back.last_build, 4, "back after it was removed");
            }
        }
    }
    // The store that rebuilt from scratch wrote history.json every time: one marker left.
    let markers = fs::read_dir(whole.join(HISTORY_BUILDS_DIR))
        .expect("entries")
        .count();
    assert_eq!(markers, 1);
}

#[test]
fn a_build_the_history_missed_makes_the_next_one_recorded_whole() {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let data = tmp.path().join("data");
    let index = tmp.path().join("index");
    let mut rows = common::generated_rows(2_000, 5);
    write_data(&data, &rows, &[]);
    build(&data, &index, false);
    edit_need_and_build(&data, &index, &mut rows, 0, "first edit");
    let entry = newest_entry(&index);
    assert_eq!(entry.build, 2);
    assert_eq!(entry.seen.len(), ROWS_PER_FILE, "recorded by its changes");
    // The entry of build 2 lost: the history's newest build read other files than the
    // generation in use did.
    fs::remove_file(index.join(HISTORY_BUILDS_DIR).join("000000000002.json"))
        .expect("entry removed");
    edit_need_and_build(&data, &index, &mut rows, 1, "second edit");
    let entry = newest_entry(&index);
    assert_eq!(
        entry.build, 2,
        "recorded whole: history.json holds builds 1 and 3"
    );
    assert!(entry.seen.is_empty(), "a marker");
    let history = History::load(&index).expect("history read");
    assert_eq!(history.builds, 2);
    let first = row_id(&rows[&Kind::Need][0]);
    let second = row_id(&rows[&Kind::Need][1]);
    assert_eq!(history.records[&first].last_build, 2, "the missed edit");
    assert_eq!(history.records[&second].last_build, 2);
}

/// `history.json` removed (a user starting the news afresh), `history-builds/` left as it
/// was: the next build starts a history of its own, every record first seen at build 1.
#[test]
fn a_removed_history_json_starts_afresh_whatever_entries_are_left() {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let data = tmp.path().join("data");
    let index = tmp.path().join("index");
    let mut rows = common::generated_rows(2_000, 5);
    write_data(&data, &rows, &[]);
    build(&data, &index, false);
    edit_need_and_build(&data, &index, &mut rows, 0, "first edit");
    fs::remove_file(index.join("history.json")).expect("history.json removed");
    edit_need_and_build(&data, &index, &mut rows, 1, "second edit");
    let history = History::load(&index).expect("history read");
    let not_first: Vec<(&String, u64)> = history
        .records
        .iter()
        .filter(|(_, r)| r.first_build != 1)
        .map(|(id, r)| (id, r.first_build))
        .take(3)
        .collect();
    assert!(
        not_first.is_empty(),
        "builds {} started {:?}: records not of the first build: {not_first:?}",
        history.builds,
        history.started
    );
}

/// A `history.json` rewritten by something that knows nothing of `history-builds/` (an
/// older musubi, a backup restored): the entries left from before it are not applied.
#[test]
fn entries_older_than_a_history_json_rewritten_elsewhere_are_not_applied() {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let data = tmp.path().join("data");
    let index = tmp.path().join("index");
    let mut rows = common::generated_rows(2_000, 5);
    write_data(&data, &rows, &[]);
    build(&data, &index, false);
    let after_first = fs::read(index.join("history.json")).expect("history.json");
    for text in ["edit A", "edit B"] {
        edit_need_and_build(&data, &index, &mut rows, 0, text);
    }
    // The older musubi's build of the data edited once more.
    rows.get_mut(&Kind::Need).expect("needs")[0].insert("text".into(), Value::from("edit C"));
    write_data(&data, &rows, &[]);
    let (catalog, _) =
        musubi::load::load_catalog(&musubi::load::DataSource::Dir(data.clone())).expect("loads");
    let mut old: History = serde_json::from_slice(&after_first).expect("history");
    old.record_build(&catalog, "2026-11-29T00:00:00Z")
        .expect("recorded");
    old.save(&index).expect("saved");
    let read = History::load(&index).expect("history read");
    let id = row_id(&rows[&Kind::Need][0]);
    assert_eq!(read.builds, old.builds);
    assert_eq!(read.records[&id], old.records[&id]);
}
