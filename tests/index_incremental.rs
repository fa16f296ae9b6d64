//! A build after some data files changed indexes only their records (and those pointing at a
//! record whose name changed), and gives the index a build from scratch gives: the same terms
//! with the same document counts, the same tokens, the same search results and scores.

mod common;

use common::{indexed_fields, terms_of, Rows};
use musubi::index::segments::{build, Built, Previous};
use musubi::index::SearchIndex;
use musubi::load::{load_files, SourceFile};
use musubi::model::Kind;
use musubi::search::{search, SearchRequest};
use musubi::vocab::Vocabulary;
use serde_json::{Map, Value};
use std::path::Path;

const RECORDS: usize = 3_000;
/// Rows per data file, and records per group of small files: about three files a segment.
const ROWS_PER_FILE: usize = 200;
const GROUP_RECORDS: usize = 500;

fn rows() -> Rows {
    common::generated_rows(RECORDS, 21)
}

/// Each kind's rows as JSON-lines files of [`ROWS_PER_FILE`] rows.
fn files_of(rows: &Rows) -> Vec<SourceFile> {
    common::files_of(rows, ROWS_PER_FILE)
}

/// Loads `files` and indexes them into `dir`, keeping what it can of `previous`.
fn index(files: &[SourceFile], dir: &Path, previous: Option<(&Path, &Built)>) -> Built {
    let loaded = load_files(files).expect("the data loads");
    std::fs::create_dir_all(dir).expect("index directory");
    let previous = previous.map(|(dir, built)| Previous {
        dir,
        segments: &built.segments,
        names: musubi::index::documents::Names::from_bytes(
            &built.names.to_bytes().expect("names as bytes"),
        )
        .expect("names read back"),
    });
    build(
        dir,
        &loaded.catalog,
        Vocabulary::builtin(),
        &loaded.files,
        previous,
        None,
        GROUP_RECORDS,
    )
    .expect("index built")
}

/// Asserts the two indexes hold the same terms, tokens and search results for `queries`;
/// the number of hits found.
fn assert_same_index(kept: &SearchIndex, scratch: &SearchIndex, queries: &[&str]) -> usize {
    for index in [kept, scratch] {
        for segment in index.reader.searcher().segment_readers() {
            // Counts BM25 reads would still hold a deleted document's terms.
            assert_eq!(segment.num_deleted_docs(), 0, "no document is ever deleted");
        }
    }
    assert_eq!(kept.len(), scratch.len(), "documents");
    for (name, field) in indexed_fields(&scratch.fields) {
        let (kept_terms, kept_tokens) = terms_of(kept, field);
        let (scratch_terms, scratch_tokens) = terms_of(scratch, field);
        assert_eq!(kept_tokens, scratch_tokens, "{name}: token count");
        assert!(kept_terms == scratch_terms, "{name}: terms differ");
    }
    let mut found = 0;
    for query in queries {
        let request = SearchRequest {
            query: query.to_string(),
            kind: None,
            limit: RECORDS * 2,
        };
        let results = |index: &SearchIndex| {
            let results = search(index, Vocabulary::builtin(), &request).expect("search");
            // Records with equal scores may come in either order (segments differ).
            let mut hits: Vec<(String, u32, bool)> = results
                .hits
                .iter()
                .map(|h| (h.id.clone(), h.score.to_bits(), h.matched_all))
                .collect();
            hits.sort();
            (hits, results.total, results.mode)
        };
        let (kept_results, scratch_results) = (results(kept), results(scratch));
        found += scratch_results.0.len();
        assert_eq!(kept_results, scratch_results, "{query}");
    }
    found
}

fn text(row: &Map<String, Value>, field: &str) -> String {
    common::row_text(row, field)
}

#[test]
fn a_build_after_files_changed_indexes_only_theirs_and_equals_a_build_from_scratch() {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let mut rows = rows();
    let first = index(&files_of(&rows), &tmp.path().join("first"), None);
    assert_eq!(first.kept, 0);
    let total = first.indexed;
    assert!(total >= RECORDS, "{total}");

    // Nothing changed: every segment is kept, nothing indexed.
    let same = index(
        &files_of(&rows),
        &tmp.path().join("same"),
        Some((&tmp.path().join("first"), &first)),
    );
    assert_eq!((same.kept, same.indexed), (total, 0));
    assert_eq!(same.segments, first.segments);

    // One need's text is edited: only the segment of its file (and the files sharing it) is
    // indexed again.
    let mut edited_rows = rows.clone();
    let needs = edited_rows.get_mut(&Kind::Need).expect("needs");
    needs[7].insert("text".into(), Value::from("膵がん 全ゲノム 追記 tumour"));
    let edited_id = text(&needs[7], "id");
    let one_edit = index(
        &files_of(&edited_rows),
        &tmp.path().join("one-edit"),
        Some((&tmp.path().join("first"), &first)),
    );
    let one_edit_scratch = index(
        &files_of(&edited_rows),
        &tmp.path().join("one-edit-scratch"),
        None,
    );
    let group = first
        .segments
        .iter()
        .find(|s| s.files.iter().any(|f| f.name == "needs-00.jsonl"))
        .expect("the first needs file's segment");
    let group_records: usize = group.files.iter().map(|f| f.records).sum();
    assert_eq!(
        (one_edit.kept, one_edit.indexed),
        (total - group_records, group_records)
    );
    assert_same_index(
        &one_edit.index,
        &one_edit_scratch.index,
        &["膵がん 全ゲノム", "tumour", "追記", edited_id.as_str()],
    );

    // An organisation a proposal points at is renamed; a need's text is edited; the last
    // researchers' file is removed (the needs and proposals naming them now show the ids);
    // a needs file is added.
    let proposals = &rows[&Kind::Proposal];
    let partner = proposals
        .iter()
        .find_map(|p| {
            p.get("partners")
                .and_then(Value::as_array)
                .and_then(|ids| ids.first())
                .and_then(Value::as_str)
                .filter(|id| id.starts_with("ORG"))
                .map(str::to_string)
        })
        .expect("a proposal with an organisation as partner");
    let organisations = rows.get_mut(&Kind::Organization).expect("organisations");
    let renamed = organisations
        .iter_mut()
        .find(|o| text(o, "id") == partner)
        .expect("the partner's record");
    renamed.insert("name".into(), Value::from("改名後ゲノム株式会社"));
    renamed.insert("name_en".into(), Value::from("Renamed Genomics"));
    let needs = rows.get_mut(&Kind::Need).expect("needs");
    let edited = text(&needs[ROWS_PER_FILE + 3], "id");
    needs[ROWS_PER_FILE + 3].insert("text".into(), Value::from("膵がん 全ゲノム 追記 tumour"));
    let researchers = rows.get_mut(&Kind::Researcher).expect("researchers");
    let keep = (researchers.len() - 1) / ROWS_PER_FILE * ROWS_PER_FILE;
    let removed = text(&researchers[keep], "id");
    researchers.truncate(keep);
    let mut files = files_of(&rows);
    files.push(SourceFile::from_bytes(
        "needs-new.jsonl",
        "{\"id\":\"N-NEW-1\",\"title\":\"追加の需要\",\"text\":\"Renamed Genomics と 膵がん の共同研究\",\"owner\":\"P0000001\"}\n",
    ));

    let changed = index(
        &files,
        &tmp.path().join("changed"),
        Some((&tmp.path().join("first"), &first)),
    );
    let scratch = index(&files, &tmp.path().join("scratch"), None);
    assert!(changed.kept > 0, "unchanged files keep their segments");
    assert!(changed.indexed > 0 && changed.indexed < scratch.indexed);
    assert_eq!(changed.kept + changed.indexed, scratch.indexed);
    let queries = [
        "Renamed Genomics",
        "改名後ゲノム株式会社",
        "膵がん 全ゲノム",
        "pancreatic cancer",
        "小児がん RNA-seq",
        "tumour",
        "希少 バイオバンク",
        "北辰株式会社",
        "Researcher 12",
        edited.as_str(),
        removed.as_str(),
        "N-NEW-1",
        "追加の需要",
    ];
    let found = assert_same_index(&changed.index, &scratch.index, &queries);
    assert!(found > 1_000, "the queries should find records: {found}");
    // The records pointing at the renamed partner were indexed again: its new name finds
    // more than its own record.
    let request = SearchRequest {
        query: "Renamed Genomics".into(),
        kind: Some(Kind::Proposal),
        limit: 50,
    };
    let hits = search(&changed.index, Vocabulary::builtin(), &request).expect("search");
    assert!(
        hits.hits.iter().any(|h| h.id.starts_with('P')),
        "a proposal naming the renamed partner is found by its new name"
    );
}

#[test]
fn match_candidates_taken_over_from_unchanged_files_equal_those_read_afresh() {
    use musubi::load::unchanged::UnchangedRecords;
    use musubi::matching::{Candidates, Earlier};

    let mut rows = rows();
    let before = load_files(&files_of(&rows)).expect("the data loads");
    let earlier = Candidates::read_batches(&before.catalog, Vocabulary::builtin()).expect("read");

    // A researcher who proposes changes forum (the proposals' files are unchanged, their
    // candidates' forum is not); a dataset's file is edited; a proposals' file is added
    // before the others.
    let proposer = text(&rows[&Kind::Proposal][0], "proposer");
    let researcher = rows
        .get_mut(&Kind::Researcher)
        .expect("researchers")
        .iter_mut()
        .find(|r| text(r, "id") == proposer)
        .expect("the proposer's record");
    let forum = if text(researcher, "forum") == "industry" {
        "academia"
    } else {
        "industry"
    };
    researcher.insert("forum".into(), Value::from(forum));
    let datasets = rows.get_mut(&Kind::Dataset).expect("datasets");
    datasets[ROWS_PER_FILE + 1].insert("diseases".into(), serde_json::json!(["膵がん"]));
    datasets[ROWS_PER_FILE + 1].insert("summary".into(), Value::from("new words 新しい"));
    let mut files = files_of(&rows);
    files.insert(
        0,
        SourceFile::from_bytes(
            "proposals-000.jsonl",
            "{\"id\":\"P-NEW\",\"title\":\"新しい提案\",\"proposer\":\"ORG0000001\",\"diseases\":[\"ALS\"]}\n",
        ),
    );
    let now = load_files(&files).expect("the data loads");
    let unchanged = UnchangedRecords::between(&before.files, &now.files);
    let total: usize = now.files.iter().map(|f| f.records).sum();
    assert!(unchanged.len() > total / 2 && unchanged.len() < total);
    let position = |kind, at| unchanged.earlier_position(kind, at);
    let taken_over = Candidates::read_reusing(
        &now.catalog,
        Vocabulary::builtin(),
        Some(&Earlier {
            candidates: &earlier,
            position: &position,
        }),
    )
    .expect("read");
    let afresh = Candidates::read_batches(&now.catalog, Vocabulary::builtin()).expect("read");
    assert!(taken_over == afresh, "candidates differ");
    assert!(earlier != afresh, "the change changed the candidates");

    // Rows are taken over: candidates made earlier from a record that differs (its file
    // said to be unchanged) pass the difference on.
    let mut tampered = before.catalog.clone();
    tampered.datasets[0].diseases = vec!["筋萎縮性側索硬化症".into()];
    tampered.datasets[0].summary = Some("tampered 改変".into());
    let tampered = Candidates::read_batches(&tampered, Vocabulary::builtin()).expect("read");
    let from_tampered = Candidates::read_reusing(
        &now.catalog,
        Vocabulary::builtin(),
        Some(&Earlier {
            candidates: &tampered,
            position: &position,
        }),
    )
    .expect("read");
    assert!(from_tampered != afresh, "no row was taken over");
}

/// The first `count` rows of `kind` from `rows`, as one JSON-lines file named `name`.
fn file_of(name: &str, rows: &[Map<String, Value>]) -> SourceFile {
    let text: String = rows
        .iter()
        .map(|row| format!("{}\n", Value::Object(row.clone())))
        .collect();
    SourceFile::from_bytes(name, text)
}

#[test]
fn a_large_file_between_small_ones_keeps_every_group_whole_in_one_segment() {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let rows = rows();
    let datasets = &rows[&Kind::Dataset];
    let needs = &rows[&Kind::Need];
    let files = [
        file_of("datasets-a.jsonl", &datasets[..100]),
        file_of("datasets-b.jsonl", &datasets[100..700]),
        file_of("needs-a.jsonl", &needs[..100]),
        file_of("needs-b.jsonl", &needs[100..200]),
    ];
    let first = index(&files, &tmp.path().join("first"), None);
    let listed: Vec<&str> = first
        .segments
        .iter()
        .flat_map(|s| s.files.iter().map(|f| f.name.as_str()))
        .collect();
    let mut distinct = listed.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(
        listed.len(),
        distinct.len(),
        "a file listed twice: {listed:?}"
    );
    assert_eq!(listed.len(), 4);
    assert!(first.segments.iter().all(|s| s.segments.len() == 1));
    let again = index(
        &files,
        &tmp.path().join("again"),
        Some((&tmp.path().join("first"), &first)),
    );
    assert_eq!((again.kept, again.indexed), (900, 0));
}

#[test]
fn files_of_one_name_keep_nothing() {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let rows = rows();
    let datasets = &rows[&Kind::Dataset];
    let one = [file_of("datasets-x.jsonl", &datasets[..100])];
    let first = index(&one, &tmp.path().join("first"), None);
    // Two files read under one name (as two names that are not UTF-8 may be).
    let two = [
        file_of("datasets-x.jsonl", &datasets[..100]),
        file_of("datasets-x.jsonl", &datasets[100..150]),
    ];
    let again = index(
        &two,
        &tmp.path().join("again"),
        Some((&tmp.path().join("first"), &first)),
    );
    assert_eq!((again.kept, again.indexed), (0, 150));
    assert_eq!(again.index.len(), 150);
}

#[test]
fn a_damaged_last_index_is_not_kept_from() {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let rows = rows();
    let files = files_of(&rows);
    let first_dir = tmp.path().join("first");
    let first = index(&files, &first_dir, None);
    let segment = &first.segments[0].segments[0];
    std::fs::remove_file(first_dir.join(format!("{segment}.idx"))).expect("a segment file");
    let again = index(
        &files,
        &tmp.path().join("again"),
        Some((&first_dir, &first)),
    );
    assert_eq!(again.kept, 0, "nothing kept from a damaged index");
    assert_eq!(again.index.len() as usize, again.indexed);
    let scratch = index(&files, &tmp.path().join("scratch"), None);
    assert_same_index(&again.index, &scratch.index, &["膵がん 全ゲノム", "tumour"]);
}
