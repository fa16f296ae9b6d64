//! Vocabulary benchmarks: start-up cost of the compiled-in vocabulary and the time to resolve
//! one string (exact hit, qualified string, typo) and to find mentions in a sentence.

use criterion::{criterion_group, criterion_main, Criterion};
use musubi::vocab::Vocabulary;
use std::hint::black_box;

fn vocab(c: &mut Criterion) {
    c.bench_function("load builtin", |b| {
        b.iter(|| black_box(Vocabulary::decode_builtin()))
    });
    let v = Vocabulary::builtin();
    c.bench_function("resolve exact", |b| {
        b.iter(|| v.resolve(black_box("肺がん")))
    });
    c.bench_function("resolve qualified", |b| {
        b.iter(|| v.resolve(black_box("stage IV non-small-cell lung carcinoma")))
    });
    c.bench_function("resolve typo", |b| {
        b.iter(|| v.resolve(black_box("glioblastomma")))
    });
    c.bench_function("load builtin + first mentions (automaton build)", |b| {
        b.iter(|| black_box(Vocabulary::decode_builtin().mentions("膵がん")))
    });
    // Build the mention automaton outside the measurement.
    v.mentions("warm up");
    c.bench_function("mentions in a sentence", |b| {
        b.iter(|| {
            v.mentions(black_box(
                "Looking for pancreatic cancer WGS with 膵がん follow-up",
            ))
        })
    });
}

criterion_group!(benches, vocab);
criterion_main!(benches);
