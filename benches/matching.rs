//! Matching latency: one need against 10k and 100k catalogs (and 1M with
//! `MUSUBI_BENCH_MILLION=1`), every need of a 1k catalog, and the candidate profiles
//! `Matcher::new` reads once per catalog.

mod support;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use musubi::consent::Date;
use musubi::matching::{MatchOptions, Matcher, Subject};
use musubi::synthetic;
use musubi::vocab::Vocabulary;
use std::hint::black_box;
use std::time::Duration;
use support::{million_requested, SEED};

fn today() -> Date {
    Date::new(2026, 4, 1).expect("valid date")
}

fn one_need(c: &mut Criterion) {
    let vocab = Vocabulary::builtin();
    let options = MatchOptions::default();
    let mut group = c.benchmark_group("match_one_need");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    let mut totals = vec![10_000usize, 100_000];
    if million_requested() {
        totals.push(1_000_000);
    }
    for total in totals {
        let catalog = synthetic::catalog(total, SEED);
        let matcher = Matcher::new(&catalog, vocab, today());
        let subject = Subject::Need(catalog.needs[catalog.needs.len() / 2].id.clone());
        let report = matcher.run(&subject, &options).expect("match");
        assert!(!report.datasets.is_empty(), "no dataset matched at {total}");
        group.bench_with_input(BenchmarkId::from_parameter(total), &subject, |b, s| {
            b.iter(|| matcher.run(black_box(s), &options).expect("match"))
        });
    }
    group.finish();
}

fn matcher_new(c: &mut Criterion) {
    let vocab = Vocabulary::builtin();
    let mut group = c.benchmark_group("matcher_new");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    for total in [10_000usize, 100_000] {
        let catalog = synthetic::catalog(total, SEED);
        group.bench_with_input(BenchmarkId::from_parameter(total), &catalog, |b, cat| {
            b.iter(|| Matcher::new(black_box(cat), vocab, today()))
        });
    }
    group.finish();
}

fn all_needs(c: &mut Criterion) {
    let vocab = Vocabulary::builtin();
    let options = MatchOptions::default();
    let catalog = synthetic::catalog(1_000, SEED);
    let matcher = Matcher::new(&catalog, vocab, today());
    assert_eq!(matcher.run_all_needs(&options).len(), catalog.needs.len());
    let mut group = c.benchmark_group("match_all_needs");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("1000", |b| b.iter(|| matcher.run_all_needs(&options)));
    group.finish();
}

criterion_group!(benches, one_need, matcher_new, all_needs);
criterion_main!(benches);
