//! Searches in process, on records indexed earlier (`benches/compare.sh N` leaves them in
//! `DIR/data` and `DIR/musubi-index`):
//!
//! ```text
//! cargo run --release --example searches -- DIR [ROUNDS] [RESULTS_FILE|-] [QUERY...]
//! ```
//!
//! Opens the index as `musubi search` does, then runs the queries of `benches/search.rs` (with
//! and without `--kind dataset`, limit 20), or the QUERYs given, ROUNDS times (default 20). Prints, for each query,
//! the median and the slowest time of the rounds after the first, and over all queries the
//! 99th percentile. With RESULTS_FILE, writes every query's hits (id, score), total and mode,
//! so that two builds can be compared for the same results (`cmp`). See docs/performance.md.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use musubi::model::Kind;
use musubi::search::{search, SearchRequest};
use musubi::workspace::{OpenOptions, Workspace};
use std::error::Error;
use std::fmt::Write as _;
use std::time::Instant;

/// The queries users type, by what they exercise (as in `benches/search.rs`), and a few more
/// a coordinator types.
const QUERIES: &[&str] = &[
    "小児がん",
    "pancreatic cancer",
    "AML RNA-seq",
    "neuroblastma",
    "肺",
    "膵がん 全ゲノム",
    "rare disease WGS",
    "希少疾患",
    "lung",
    "p",
];

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .ok_or("usage: searches DIR [ROUNDS] [RESULTS_FILE]")?;
    let rounds: usize = args.next().map_or(Ok(20), |r| r.parse())?;
    let results_file = args.next().filter(|f| f != "-");
    let asked: Vec<String> = args.collect();
    let queries: Vec<&str> = if asked.is_empty() {
        QUERIES.to_vec()
    } else {
        asked.iter().map(String::as_str).collect()
    };

    let options = OpenOptions {
        data: Some(format!("{dir}/data").into()),
        index: Some(format!("{dir}/musubi-index").into()),
        force_rebuild: false,
        from_scratch: false,
    };
    let started = Instant::now();
    let workspace = Workspace::open(&options, &Default::default(), &|_| {})?;
    println!("opened: {:.0} ms", ms(started));

    let mut results = String::new();
    let mut every: Vec<f64> = Vec::new();
    for query in &queries {
        for kind in [None, Some(Kind::Dataset)] {
            let request = SearchRequest {
                query: query.to_string(),
                kind,
                limit: 20,
            };
            let mut times: Vec<f64> = Vec::new();
            for round in 0..rounds {
                let started = Instant::now();
                let found = search(&workspace.index, workspace.vocabulary.as_ref(), &request)?;
                let took = ms(started);
                if round == 0 {
                    writeln!(
                        results,
                        "{query} {kind:?}: total {} mode {:?}",
                        found.total, found.mode
                    )?;
                    for hit in &found.hits {
                        writeln!(results, "  {} {} {}", hit.id, hit.score, hit.matched_all)?;
                    }
                } else {
                    times.push(took);
                }
            }
            times.sort_by(f64::total_cmp);
            if let (Some(median), Some(slowest)) = (times.get(times.len() / 2), times.last()) {
                println!(
                    "{query:>20} {kind:>13?}: median {median:6.1} ms, slowest {slowest:6.1} ms"
                );
            }
            every.extend(times);
        }
    }
    every.sort_by(f64::total_cmp);
    if !every.is_empty() {
        let at = |p: f64| every[((every.len() - 1) as f64 * p).round() as usize];
        println!(
            "all queries: p50 {:.1} ms, p99 {:.1} ms, slowest {:.1} ms ({} searches)",
            at(0.5),
            at(0.99),
            at(1.0),
            every.len()
        );
    }
    if let Some(path) = results_file {
        std::fs::write(path, results)?;
    }
    Ok(())
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}
