//! Hostile shapes of data files that once took quadratic time: one CSV row of 200,000 columns
//! and one JSON record of 100,000 keys (the repeated-field check compared every pair; each
//! now loads in well under a second). See docs/robustness.md.

use criterion::{criterion_group, criterion_main, Criterion};
use musubi::load::{load_files, SourceFile};
use std::hint::black_box;
use std::time::Duration;

/// A datasets CSV with one record and `extra` unknown columns after the required ones.
fn wide_csv(extra: usize) -> SourceFile {
    let mut header = String::from("id,title,area,cases,data_use");
    let mut row = String::from("DS-WIDE,wide,cancer,1,GRU");
    for i in 0..extra {
        header.push_str(&format!(",x{i}"));
        row.push_str(",1");
    }
    SourceFile::from_bytes("datasets.csv", format!("{header}\n{row}\n"))
}

/// A datasets JSON Lines file with one record of `extra` unknown keys.
fn wide_json(extra: usize) -> SourceFile {
    let mut record = String::from(
        r#"{"id": "DS-WIDE", "title": "wide", "area": "cancer", "cases": 1, "data_use": ["GRU"]"#,
    );
    for i in 0..extra {
        record.push_str(&format!(r#", "x{i}": 1"#));
    }
    record.push_str("}\n");
    SourceFile::from_bytes("datasets.jsonl", record)
}

fn wide_records(c: &mut Criterion) {
    let mut group = c.benchmark_group("wide_record");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    for (name, file) in [
        ("csv_200k_columns", wide_csv(200_000)),
        ("json_100k_keys", wide_json(100_000)),
    ] {
        let files = [file];
        let loaded = load_files(&files).expect("a wide record loads");
        assert_eq!(loaded.catalog.datasets.len(), 1, "{name}");
        group.bench_function(name, |b| {
            b.iter_with_large_drop(|| load_files(black_box(&files)).expect("load"))
        });
    }
    group.finish();
}

criterion_group!(benches, wide_records);
criterion_main!(benches);
