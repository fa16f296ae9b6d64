//! Opening a data directory: the index is reused while nothing changed, rebuilt when a file
//! changes, and a directory with errors never replaces a working index.

mod common;

use musubi::config::Settings;
use musubi::workspace::{OpenOptions, Workspace, WorkspaceError};
use std::fs;
use std::path::Path;

fn copy_fixture(to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(common::fixture_dir()).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

fn open(data: &Path, index: &Path) -> Result<Workspace, WorkspaceError> {
    let options = OpenOptions {
        data: Some(data.to_path_buf()),
        index: Some(index.to_path_buf()),
        force_rebuild: false,
        from_scratch: false,
    };
    Workspace::open(&options, &Settings::default(), &|_| {})
}

#[test]
fn index_is_reused_rebuilt_on_change_and_kept_on_error() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let index = tmp.path().join("index");
    copy_fixture(&data);

    let first = open(&data, &index).unwrap();
    assert!(first.rebuilt);
    assert_eq!(first.catalog().expect("records read").datasets.len(), 11);
    let first_dir = first.index_dir.clone();
    drop(first);

    let again = open(&data, &index).unwrap();
    assert!(!again.rebuilt, "nothing changed: the index is reused");
    assert_eq!(again.index_dir, first_dir);
    assert_eq!(
        again.catalog().expect("records read").datasets.len(),
        11,
        "catalog snapshot read back"
    );
    drop(again);

    let extra = "{\"id\": \"DS-NEW\", \"title\": \"新しい データ\", \"area\": \"cancer\", \"cases\": 10, \"data_use\": [\"GRU\"]}\n";
    let mut jsonl = fs::read_to_string(data.join("datasets.jsonl")).unwrap();
    jsonl.push_str(extra);
    fs::write(data.join("datasets.jsonl"), &jsonl).unwrap();
    let changed = open(&data, &index).unwrap();
    assert!(changed.rebuilt, "a changed file rebuilds the index");
    assert_eq!(changed.catalog().expect("records read").datasets.len(), 12);
    let good_dir = changed.index_dir.clone();
    drop(changed);

    fs::write(
        data.join("datasets_broken.json"),
        "[{\"id\": \"DS-X\", \"title\": \"x\", \"area\": \"cancer\", \"cases\": \"many\"}]",
    )
    .unwrap();
    let err = match open(&data, &index) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a broken file must not load"),
    };
    assert!(err.contains("datasets_broken.json:1: cases"), "{err}");
    assert!(good_dir.exists(), "the previous index is still there");

    fs::remove_file(data.join("datasets_broken.json")).unwrap();
    let restored = open(&data, &index).unwrap();
    assert!(!restored.rebuilt, "back to the indexed state: reused");
    assert_eq!(restored.index_dir, good_dir);
}

#[cfg(unix)]
#[test]
fn the_catalog_snapshot_is_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_fixture(&data);
    let ws = open(&data, &tmp.path().join("index")).unwrap();
    let mode = fs::metadata(ws.index_dir.join("catalog.bin"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn a_record_with_deeply_nested_unknown_fields_is_indexed_once_and_reused() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let index = tmp.path().join("index");
    copy_fixture(&data);
    let deep = format!(
        "{{\"id\": \"DS-DEEP\", \"title\": \"deep\", \"area\": \"cancer\", \"cases\": 1, \"data_use\": [\"GRU\"], \"notes\": {}1{}}}\n",
        "[".repeat(60),
        "]".repeat(60)
    );
    let mut jsonl = fs::read_to_string(data.join("datasets.jsonl")).unwrap();
    jsonl.push_str(&deep);
    fs::write(data.join("datasets.jsonl"), jsonl).unwrap();
    assert!(open(&data, &index).unwrap().rebuilt);
    let again = open(&data, &index).unwrap();
    assert!(
        !again.rebuilt,
        "the snapshot reads back: the index is reused"
    );
    assert_eq!(again.catalog().expect("records read").datasets.len(), 12);
}

#[test]
fn builders_in_threads_of_one_process_share_the_index() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let index = tmp.path().join("index");
    copy_fixture(&data);
    let opened: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..3)
            .map(|_| s.spawn(|| open(&data, &index).map(|w| w.index_dir)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let dirs: Vec<_> = opened.into_iter().map(|r| r.unwrap()).collect();
    assert!(
        dirs.iter().all(|d| d == &dirs[0]),
        "one build, used by all: {dirs:?}"
    );
    assert!(dirs[0].is_dir());
}

#[test]
fn a_second_builder_says_it_waits_then_builds() {
    use musubi::index::store::{IndexStore, StoreError};
    use musubi::workspace::Progress;
    use std::sync::mpsc;
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let index = tmp.path().join("index");
    copy_fixture(&data);
    let (held, lock_taken) = mpsc::channel();
    let (release, released) = mpsc::channel::<()>();
    let (said, waiting) = mpsc::channel();
    std::thread::scope(|s| {
        let store = IndexStore::at(&index);
        s.spawn(move || {
            store.locked(&|| {}, |_| -> Result<(), StoreError> {
                held.send(()).unwrap();
                released.recv().unwrap();
                Ok(())
            })
        });
        lock_taken.recv().unwrap();
        let builder = s.spawn(|| {
            let options = OpenOptions {
                data: Some(data.clone()),
                index: Some(index.clone()),
                force_rebuild: false,
                from_scratch: false,
            };
            let progress = move |p: Progress| {
                if p == Progress::Waiting {
                    let _ = said.send(());
                }
            };
            Workspace::open(&options, &Settings::default(), &progress).map(|w| w.rebuilt)
        });
        // Blocks until the builder reports that it waits for the lock held above.
        waiting.recv().unwrap();
        release.send(()).unwrap();
        assert!(
            builder.join().unwrap().unwrap(),
            "it built once the lock was free"
        );
    });
}

#[test]
fn records_are_read_only_when_asked_for_and_a_damaged_snapshot_falls_back_to_the_files() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let index = tmp.path().join("index");
    copy_fixture(&data);
    let built = open(&data, &index).unwrap();
    let snapshot = built.index_dir.join("catalog.bin");
    drop(built);
    fs::write(&snapshot, b"{ not a catalog").unwrap();

    let reopened = open(&data, &index).unwrap();
    assert!(!reopened.rebuilt, "opening does not read the records");
    let hits = musubi::search::search(
        &reopened.index,
        reopened.vocabulary.as_ref(),
        &musubi::search::SearchRequest {
            query: "膵がん".into(),
            kind: None,
            limit: 10,
        },
    )
    .unwrap();
    assert!(
        !hits.hits.is_empty(),
        "a search answers from the index alone"
    );
    let records = reopened
        .records()
        .expect("read from the data files instead");
    assert_eq!(records.count(musubi::model::Kind::Dataset), 11);
    let catalog = reopened
        .catalog()
        .expect("read from the data files instead");
    assert_eq!(catalog.datasets.len(), 11);
}

#[test]
fn records_read_in_place_are_the_data_files_records() {
    use musubi::model::Kind;
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let index = tmp.path().join("index");
    copy_fixture(&data);
    drop(open(&data, &index).unwrap());
    let reopened = open(&data, &index).unwrap();
    assert!(!reopened.rebuilt);
    let records = reopened.records().expect("the snapshot read in place");
    let loaded = musubi::load::load(&reopened.source).unwrap().catalog;
    let expected: &dyn musubi::records::Records = &loaded;
    for kind in Kind::ALL {
        assert_eq!(records.count(kind), expected.count(kind), "{kind:?}");
        for at in 0..expected.count(kind) {
            assert_eq!(records.id(kind, at), expected.id(kind, at));
        }
    }
    for at in 0..loaded.datasets.len() {
        assert_eq!(records.dataset(at), expected.dataset(at));
    }
    for at in 0..loaded.needs.len() {
        assert_eq!(records.need(at), expected.need(at));
    }
}

#[test]
fn stored_match_candidates_give_the_same_matches_and_a_damaged_file_is_read_again() {
    use musubi::consent::Date;
    use musubi::matching::{MatchOptions, Matcher, Subject};
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let index = tmp.path().join("index");
    copy_fixture(&data);
    let dir = open(&data, &index).unwrap().index_dir.clone();
    assert!(
        dir.join("candidates.bin").is_file(),
        "the build stores them"
    );
    let today = Date::new(2026, 11, 27).unwrap();
    let options = MatchOptions {
        include_blocked: true,
        ..MatchOptions::default()
    };
    let reports = |ws: &Workspace| {
        let catalog = ws.catalog().unwrap();
        let stored =
            Matcher::with_candidates(catalog, &ws.vocabulary, today, ws.candidates().unwrap());
        let fresh = Matcher::new(catalog, &ws.vocabulary, today);
        assert!(!catalog.needs.is_empty());
        for need in &catalog.needs {
            let subject = Subject::Need(need.id.clone());
            assert_eq!(
                stored.run(&subject, &options).unwrap(),
                fresh.run(&subject, &options).unwrap(),
                "{}",
                need.id
            );
        }
    };
    let reopened = open(&data, &index).unwrap();
    assert!(!reopened.rebuilt);
    reports(&reopened);
    drop(reopened);
    fs::write(dir.join("candidates.bin"), b"mscand02 damaged").unwrap();
    reports(&open(&data, &index).unwrap());
}

#[test]
fn a_build_made_a_batch_at_a_time_stores_what_the_whole_catalog_gives() {
    use musubi::history::History;
    use musubi::index::SearchIndex;
    use musubi::matching::Candidates;
    use musubi::search::{search, SearchRequest};
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let index = tmp.path().join("index");
    fs::create_dir_all(&data).unwrap();
    // Over a snapshot chunk (512 records) of every kind but needs' and proposals'.
    let generated = musubi::synthetic::catalog(3_000, 21);
    musubi::synthetic::write_files(&data, &musubi::synthetic::jsonl_files(&generated)).unwrap();
    let built = open(&data, &index).unwrap();
    assert!(built.rebuilt);
    let catalog = musubi::load::load(&built.source).unwrap().catalog;
    assert_eq!(catalog.len(), 3_000);
    let vocabulary = &built.vocabulary;

    let mut snapshot = Vec::new();
    musubi::snapshot::write(&catalog, &mut snapshot).unwrap();
    assert!(fs::read(built.index_dir.join("catalog.bin")).unwrap() == snapshot);
    let mut candidates = Vec::new();
    Candidates::write(&catalog, vocabulary, &mut candidates).unwrap();
    assert!(fs::read(built.index_dir.join("candidates.bin")).unwrap() == candidates);

    let stored = History::load(&index).unwrap();
    let moment = stored.latest.clone().expect("the build is recorded");
    let mut expected = History::default();
    expected.record_build(&catalog, &moment).unwrap();
    assert!(
        stored.journal.is_some(),
        "named for the builds recorded after it"
    );
    expected.journal = stored.journal.clone();
    assert_eq!(stored, expected);

    let in_memory = SearchIndex::build_in_ram(&catalog, vocabulary.as_ref()).unwrap();
    for query in [
        "pancreatic cancer",
        "膵がん",
        "小児がん RNA-seq",
        "Researcher 12",
    ] {
        let request = SearchRequest {
            query: query.into(),
            kind: None,
            limit: 3_000,
        };
        // Tied hits may come in either order (the indexing threads' segments differ).
        let hits = |index: &SearchIndex| {
            let mut hits: Vec<(String, String)> = search(index, vocabulary.as_ref(), &request)
                .unwrap()
                .hits
                .iter()
                .map(|h| (h.id.clone(), format!("{:.4}", h.score)))
                .collect();
            hits.sort();
            hits
        };
        let found = hits(&built.index);
        assert!(!found.is_empty(), "{query}");
        assert_eq!(found, hits(&in_memory), "{query}");
    }
}

#[test]
fn a_rebuild_keeps_the_index_of_unchanged_files_unless_asked_for_a_full_one() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let index = tmp.path().join("index");
    copy_fixture(&data);
    let first = open(&data, &index).unwrap();
    assert_eq!(first.meta.kept_records, 0);
    let total: usize = first.meta.counts.values().sum();
    drop(first);
    let rebuild = |from_scratch| {
        let options = OpenOptions {
            data: Some(data.clone()),
            index: Some(index.clone()),
            force_rebuild: true,
            from_scratch,
        };
        Workspace::open(&options, &Settings::default(), &|_| {}).unwrap()
    };
    let kept = rebuild(false);
    assert!(kept.rebuilt);
    assert_eq!(kept.meta.kept_records, total, "nothing changed: all kept");
    assert_eq!(kept.index.len() as usize, total);
    drop(kept);
    let full = rebuild(true);
    assert_eq!(full.meta.kept_records, 0, "--full keeps nothing");
    assert_eq!(full.index.len() as usize, total);
}

#[test]
fn a_rebuild_after_a_file_changed_stores_what_a_full_build_stores() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let kept = tmp.path().join("kept");
    let full = tmp.path().join("full");
    copy_fixture(&data);
    drop(open(&data, &kept).unwrap());
    let mut jsonl = fs::read_to_string(data.join("datasets.jsonl")).unwrap();
    jsonl.push_str("{\"id\": \"DS-NEW\", \"title\": \"膵がん 新しい データ\", \"area\": \"cancer\", \"cases\": 10, \"data_use\": [\"GRU\"]}\n");
    fs::write(data.join("datasets.jsonl"), &jsonl).unwrap();
    let rebuilt = open(&data, &kept).unwrap();
    assert!(rebuilt.rebuilt);
    let options = OpenOptions {
        data: Some(data.clone()),
        index: Some(full.clone()),
        force_rebuild: true,
        from_scratch: true,
    };
    let scratch = Workspace::open(&options, &Settings::default(), &|_| {}).unwrap();
    for file in ["candidates.bin", "catalog.bin", "names.bin"] {
        assert!(
            fs::read(rebuilt.index_dir.join(file)).unwrap()
                == fs::read(scratch.index_dir.join(file)).unwrap(),
            "{file} differs"
        );
    }
    assert_eq!(rebuilt.meta.files, scratch.meta.files);
}

#[test]
fn a_last_build_without_its_names_is_not_kept_from() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let index = tmp.path().join("index");
    copy_fixture(&data);
    let first = open(&data, &index).unwrap();
    let total: usize = first.meta.counts.values().sum();
    fs::remove_file(first.index_dir.join("names.bin")).unwrap();
    drop(first);
    let options = OpenOptions {
        data: Some(data.clone()),
        index: Some(index.clone()),
        force_rebuild: true,
        from_scratch: false,
    };
    let again = Workspace::open(&options, &Settings::default(), &|_| {}).unwrap();
    assert_eq!(
        again.meta.kept_records, 0,
        "its documents' names are unknown"
    );
    assert_eq!(again.index.len() as usize, total);
    assert!(again.index_dir.join("names.bin").is_file());
}
