//! Multi-word precision and ICD-10 codes as queries, on the bundled sample data through the CLI:
//! records meeting every word first, then those meeting some (`matched_all`, a separator row).

use assert_cmd::cargo::cargo_bin_cmd;
use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

fn musubi(home: &TempDir) -> Command {
    let mut cmd = cargo_bin_cmd!("musubi");
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("NO_COLOR", "1");
    cmd
}

fn search_json(home: &TempDir, args: &[&str]) -> Vec<Value> {
    let out = musubi(home)
        .arg("search")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("musubi runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Vec<Value>>(&out.stdout).expect("JSON list")
}

fn ids(items: &[Value]) -> Vec<&str> {
    items.iter().filter_map(|i| i["id"].as_str()).collect()
}

#[test]
fn pediatric_rna_seq_finds_pediatric_or_rna_seq_datasets_only_the_right_three_first() {
    let home = TempDir::new().unwrap();
    let items = search_json(&home, &["小児がん RNA-seq", "--kind", "dataset"]);
    let all: Vec<&str> = items
        .iter()
        .filter(|i| i["matched_all"] == Value::Bool(true))
        .filter_map(|i| i["id"].as_str())
        .collect();
    let mut first = all.clone();
    first.sort_unstable();
    assert_eq!(
        first,
        vec!["DS-C06", "DS-C08", "DS-C09"],
        "{:?}",
        ids(&items)
    );
    assert_eq!(&ids(&items)[..3], &all[..], "all-words hits come first");
    // Everything after meets one word: a childhood cancer, or RNA-seq data.
    let others: Vec<&str> = ids(&items)[3..].to_vec();
    assert!(
        others.contains(&"DS-C07"),
        "neuroblastoma is a childhood cancer: {others:?}"
    );
    for id in &others {
        // No adult cancer dataset without RNA-seq data (the broad がん does not count).
        assert!(
            ![
                "DS-C02", "DS-C05", "DS-C12", "DS-C13", "DS-C14", "DS-C17", "DS-C18", "DS-C19",
                "DS-C20"
            ]
            .contains(id),
            "{id} meets neither word: {others:?}"
        );
    }
    assert!(items[3..]
        .iter()
        .all(|i| i["matched_all"] == Value::Bool(false)));
}

#[test]
fn table_marks_where_some_words_only_begins() {
    let home = TempDir::new().unwrap();
    let out = musubi(&home)
        .args(["search", "小児がん RNA-seq", "--kind", "dataset"])
        .output()
        .expect("musubi runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    let sep = lines
        .iter()
        .position(|l| l.contains("some words only"))
        .unwrap_or_else(|| panic!("no separator:\n{text}"));
    // Three all-words rows under the header and its rule, then the separator.
    assert_eq!(sep, 5, "{text}");
}

#[test]
fn icd10_codes_are_queries() {
    let home = TempDir::new().unwrap();
    let by_code = search_json(&home, &["C25", "--kind", "dataset"]);
    let by_name = search_json(&home, &["膵がん", "--kind", "dataset"]);
    // The code finds what the name finds through the vocabulary (the name also matches text).
    let (a, b) = (ids(&by_code), ids(&by_name));
    assert!(
        a.contains(&"DS-C01") && a.contains(&"DS-C02") && a.contains(&"DS-C03"),
        "{a:?}"
    );
    assert!(a.iter().all(|id| b.contains(id)), "{a:?} ⊄ {b:?}");
    let chapter = search_json(&home, &["先天異常", "--kind", "dataset"]);
    let lung = search_json(&home, &["C34", "--kind", "dataset"]);
    assert!(ids(&lung).contains(&"DS-C04"), "{:?}", ids(&lung));
    assert!(chapter
        .iter()
        .all(|i| i["matched_all"] == Value::Bool(true)));
}

#[test]
fn a_dataset_filed_under_a_subcategory_code_is_found_by_its_category() {
    let home = TempDir::new().unwrap();
    let data = home.path().join("catalog");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("datasets.jsonl"),
        concat!(
            r#"{"id":"DS-X1","title":"Upper lobe tumour cohort","area":"cancer","diseases":["C34.1"],"cases":40,"modalities":["WGS"],"data_use":["GRU"]}"#,
            "\n",
            r#"{"id":"DS-X2","title":"Gastric cohort","area":"cancer","diseases":["C16"],"cases":40,"modalities":["WGS"],"data_use":["GRU"]}"#,
            "\n"
        ),
    )
    .unwrap();
    let data = data.to_str().unwrap();
    for query in ["肺がん", "lung cancer", "C34", "C34.1"] {
        let items = search_json(&home, &["--data", data, query]);
        assert_eq!(ids(&items).first(), Some(&"DS-X1"), "{query}");
        // The gastric dataset meets at most the word "cancer", never the whole query.
        assert!(
            items
                .iter()
                .all(|i| i["id"] != "DS-X2" || i["matched_all"] == Value::Bool(false)),
            "{query}: {items:?}"
        );
    }
}
