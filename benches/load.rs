//! Reading data files at scale (100k records as JSONL and as CSV through `load_files`), opening
//! a workspace whose index is up to date, and rendering outreach exports of 1000 match items.

mod support;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use musubi::config::Settings;
use musubi::consent::Date;
use musubi::export::{self, ExportFormat, ExportOptions};
use musubi::i18n::Lang;
use musubi::load::load_files;
use musubi::matching::{MatchOptions, MatchReport, Matcher};
use musubi::synthetic;
use musubi::vocab::Vocabulary;
use musubi::workspace::{OpenOptions, Workspace};
use std::hint::black_box;
use std::time::Duration;
use support::SEED;

fn loading(c: &mut Criterion) {
    let catalog = synthetic::catalog(100_000, SEED);
    let mut group = c.benchmark_group("load_100k");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(catalog.len() as u64));
    for (name, files) in [
        ("jsonl", support::jsonl_files(&catalog)),
        ("csv", support::csv_files(&catalog)),
    ] {
        let loaded = load_files(&files).expect("synthetic files load");
        assert_eq!(loaded.catalog.len(), catalog.len(), "{name}");
        group.bench_function(name, |b| {
            b.iter_with_large_drop(|| load_files(black_box(&files)).expect("load"))
        });
    }
    group.finish();
}

/// `Workspace::open` on a 100k data directory whose index is current: fingerprint the files,
/// read the catalog snapshot, open the index — what every CLI command pays before its work.
fn workspace_open(c: &mut Criterion) {
    let catalog = synthetic::catalog(100_000, SEED);
    let data = tempfile::tempdir().expect("temp dir");
    let index = tempfile::tempdir().expect("temp dir");
    support::write_dir(data.path(), &support::jsonl_files(&catalog));
    drop(catalog);
    let options = OpenOptions {
        data: Some(data.path().to_path_buf()),
        index: Some(index.path().to_path_buf()),
        force_rebuild: false,
        from_scratch: false,
    };
    let settings = Settings::default();
    let first = Workspace::open(&options, &settings, &|_| {}).expect("first open builds");
    assert!(first.rebuilt);
    drop(first);
    let mut group = c.benchmark_group("workspace_open_100k");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("up_to_date", |b| {
        b.iter_with_large_drop(|| {
            let ws = Workspace::open(&options, &settings, &|_| {}).expect("open");
            assert!(!ws.rebuilt);
            ws
        })
    });
    group.finish();
}

/// Reports of a 1k catalog cut to exactly `items` match items.
fn reports_of(items: usize) -> (musubi::model::Catalog, Vec<MatchReport>) {
    let catalog = synthetic::catalog(1_000, SEED);
    let today = Date::new(2026, 4, 1).expect("valid date");
    let all = Matcher::new(&catalog, Vocabulary::builtin(), today).run_all_needs(&MatchOptions {
        limit: 10,
        include_blocked: true,
        ..MatchOptions::default()
    });
    let mut left = items;
    let mut reports = Vec::new();
    for mut report in all {
        if left == 0 {
            break;
        }
        for list in [
            &mut report.datasets,
            &mut report.partners,
            &mut report.proposals,
        ] {
            list.truncate(left);
            left -= list.len();
        }
        reports.push(report);
    }
    assert_eq!(left, 0, "not enough match items for the export bench");
    (catalog, reports)
}

fn export(c: &mut Criterion) {
    let (catalog, reports) = reports_of(1_000);
    let date = Date::new(2026, 4, 1).expect("valid date");
    let mut group = c.benchmark_group("export_1000_items");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    for (name, format) in [
        ("csv", ExportFormat::Csv),
        ("xlsx", ExportFormat::Xlsx),
        ("md", ExportFormat::Markdown),
        ("json", ExportFormat::Json),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let options = ExportOptions {
                    include_blocked: true,
                    date,
                    ..ExportOptions::new(format, Lang::Ja)
                };
                export::render(black_box(&reports), &catalog, &options).expect("render")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, loading, workspace_open, export);
criterion_main!(benches);
