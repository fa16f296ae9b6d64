//! Index build and search latency on synthetic catalogs (10k, 100k; 1M on request).
//!
//! `cargo bench --bench search` runs the 10k/100k benchmarks. The one-million-record run is
//! heavy (minutes, a few GiB of RAM) and runs only with `MUSUBI_BENCH_MILLION=1`:
//! `MUSUBI_BENCH_MILLION=1 cargo bench --bench search -- million`.

mod support;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use musubi::index::SearchIndex;
use musubi::model::{Catalog, Kind};
use musubi::search::{search, SearchRequest};
use musubi::synthetic;
use musubi::vocab::Vocabulary;
use std::hint::black_box;
use std::time::{Duration, Instant};
use support::{million_requested, SEED};

/// The queries users type, by what they exercise.
const QUERIES: &[(&str, &str)] = &[
    ("japanese", "小児がん"),
    ("english", "pancreatic cancer"),
    ("mixed", "AML RNA-seq"),
    ("typo", "neuroblastma"),
    ("one_char", "肺"),
];

fn build_on_disk(catalog: &Catalog, vocab: &Vocabulary) -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = SearchIndex::build_in_dir(dir.path(), catalog, vocab).expect("build index");
    (dir, index)
}

fn request(query: &str, kind: Option<Kind>) -> SearchRequest {
    SearchRequest {
        query: query.to_string(),
        kind,
        limit: 20,
    }
}

fn index_build(c: &mut Criterion) {
    let vocab = Vocabulary::builtin();
    let mut group = c.benchmark_group("index_build");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    for total in [10_000usize, 100_000] {
        let catalog = synthetic::catalog(total, SEED);
        group.throughput(Throughput::Elements(catalog.len() as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(total),
            &catalog,
            |b, catalog| b.iter_with_large_drop(|| build_on_disk(catalog, vocab)),
        );
    }
    group.finish();
}

/// Search latency of every query, unfiltered and with `--kind dataset`.
fn bench_queries(c: &mut Criterion, group_name: &str, index: &SearchIndex, vocab: &Vocabulary) {
    let mut group = c.benchmark_group(group_name);
    group.measurement_time(Duration::from_secs(4));
    for (name, query) in QUERIES {
        for (suffix, kind) in [("", None), ("/dataset", Some(Kind::Dataset))] {
            let req = request(query, kind);
            let hits = search(index, vocab, &req).expect("search").hits.len();
            assert!(hits > 0, "{query}{suffix}: no hit on the synthetic index");
            group.bench_function(format!("{name}{suffix}"), |b| {
                b.iter(|| search(index, vocab, black_box(&req)).expect("search"))
            });
        }
    }
    group.finish();
}

fn search_100k(c: &mut Criterion) {
    let vocab = Vocabulary::builtin();
    let catalog = synthetic::catalog(100_000, SEED);
    let (_dir, index) = build_on_disk(&catalog, vocab);
    drop(catalog);
    bench_queries(c, "search_100k", &index, vocab);
}

/// One million records: the build is timed once (printed), then search latency is measured.
fn million(c: &mut Criterion) {
    if !million_requested() {
        eprintln!("million: skipped (set MUSUBI_BENCH_MILLION=1 to run it)");
        return;
    }
    let vocab = Vocabulary::builtin();
    let started = Instant::now();
    let catalog = synthetic::catalog(1_000_000, SEED);
    let generated = started.elapsed();
    let started = Instant::now();
    let (dir, index) = build_on_disk(&catalog, vocab);
    let built = started.elapsed();
    let bytes = dir_size(dir.path());
    eprintln!(
        "million: {} records generated in {:.1} s; index built in {:.1} s ({:.0} records/s), \
         {:.0} MiB on disk",
        catalog.len(),
        generated.as_secs_f64(),
        built.as_secs_f64(),
        catalog.len() as f64 / built.as_secs_f64(),
        bytes as f64 / (1024.0 * 1024.0)
    );
    drop(catalog);
    let started = Instant::now();
    let reopened = SearchIndex::open(dir.path()).expect("open index");
    eprintln!(
        "million: index opened in {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    drop(index);
    bench_queries(c, "million_search", &reopened, vocab);
}

fn dir_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

criterion_group!(benches, index_build, search_100k, million);
criterion_main!(benches);
