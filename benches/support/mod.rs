//! Shared by the benchmarks: synthetic catalogs written out as the data files users keep
//! (JSONL and CSV, one file per kind), and the bench's scale knobs.

#![allow(dead_code)] // each bench uses part of this module

use musubi::load::SourceFile;
use musubi::model::{Catalog, Kind};
#[allow(unused_imports)]
pub use musubi::synthetic::jsonl_files;
use serde_json::Value;

/// Seed of every synthetic catalog the benchmarks use (the figures in docs/ are for it).
pub const SEED: u64 = 42;

/// True when the one-million-record benchmarks were asked for (`MUSUBI_BENCH_MILLION=1`).
pub fn million_requested() -> bool {
    std::env::var("MUSUBI_BENCH_MILLION").is_ok_and(|v| v == "1")
}

/// A cell as the CSV contract writes it: lists joined with `;`.
fn cell(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(";"),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The catalog as one `<kind>s.csv` file per kind (header row, `;` lists), in memory.
pub fn csv_files(catalog: &Catalog) -> Vec<SourceFile> {
    Kind::ALL
        .iter()
        .map(|&kind| {
            let rows = musubi::synthetic::rows(catalog, kind);
            let mut header: Vec<String> = Vec::new();
            for row in &rows {
                for key in row.keys() {
                    if !header.contains(key) {
                        header.push(key.clone());
                    }
                }
            }
            let mut writer = csv::Writer::from_writer(Vec::new());
            let mut ok = writer.write_record(&header).is_ok();
            for row in &rows {
                let cells = header
                    .iter()
                    .map(|k| row.get(k).map(cell).unwrap_or_default());
                ok &= writer.write_record(cells).is_ok();
            }
            let bytes = writer.into_inner().unwrap_or_default();
            assert!(ok, "writing the synthetic CSV failed");
            SourceFile::from_bytes(format!("{}.csv", kind.file_prefix()), bytes)
        })
        .collect()
}

/// Writes the files into `dir` (a data directory for `Workspace::open`).
pub fn write_dir(dir: &std::path::Path, files: &[SourceFile]) {
    musubi::synthetic::write_files(dir, files).expect("write bench data file");
}
