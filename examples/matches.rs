//! Matches in process, on records indexed earlier (`benches/compare.sh N` leaves them in
//! `DIR/data` and `DIR/musubi-index`):
//!
//! ```text
//! cargo run --release --example matches -- DIR [SUBJECTS] [ROUNDS] [REPORTS_FILE]
//! ```
//!
//! Opens the index as `musubi match --need` does (the snapshot read in place, the stored
//! candidates), then matches SUBJECTS needs spread evenly over the catalog (default 8), ROUNDS
//! times (default 5), with the command's options (limit 10, blocked datasets matched). Prints
//! each match's time, then the median and the slowest of each round after the first (the first
//! works out the rows of concept relations the later ones share, as the app's matcher does).
//! With REPORTS_FILE, writes every report of the first round as JSON, so that two builds can
//! be compared for the same results (`cmp`). See docs/performance.md.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use musubi::consent::Date;
use musubi::matching::{MatchOptions, Matcher, Subject};
use musubi::model::Kind;
use musubi::workspace::{OpenOptions, Workspace};
use std::error::Error;
use std::time::Instant;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .ok_or("usage: matches DIR [SUBJECTS] [ROUNDS] [REPORTS_FILE]")?;
    let subjects: usize = args.next().map_or(Ok(8), |n| n.parse())?;
    let rounds: usize = args.next().map_or(Ok(5), |r| r.parse())?;
    let reports_file = args.next();

    let options = OpenOptions {
        data: Some(format!("{dir}/data").into()),
        index: Some(format!("{dir}/musubi-index").into()),
        force_rebuild: false,
        from_scratch: false,
    };
    let started = Instant::now();
    let workspace = Workspace::open(&options, &Default::default(), &|_| {})?;
    let candidates = workspace.candidates()?;
    let records = workspace.records()?;
    println!("opened: {:.0} ms", ms(started));

    // A fixed day, so that two builds judge expiry alike whenever they run.
    let today = Date::new(2026, 4, 1).ok_or("date")?;
    let matcher = Matcher::with_candidates(records, &workspace.vocabulary, today, candidates);
    let match_options = MatchOptions {
        limit: 10,
        include_blocked: true,
        lang: None,
    };
    let needs = records.count(Kind::Need);
    let picked: Vec<Subject> = (0..subjects.min(needs))
        .map(|n| Subject::Need(records.id(Kind::Need, n * needs / subjects).to_string()))
        .collect();
    let mut reports = Vec::new();
    let mut later: Vec<f64> = Vec::new();
    for round in 0..rounds {
        let mut line = format!("round {round}:");
        for subject in &picked {
            let started = Instant::now();
            let report = matcher.run(subject, &match_options)?;
            let took = ms(started);
            line.push_str(&format!(" {took:.0}"));
            if round > 0 {
                later.push(took);
            }
            if round == 0 {
                reports.push(report);
            }
        }
        println!("{line} ms");
    }
    later.sort_by(f64::total_cmp);
    if let (Some(median), Some(slowest)) = (later.get(later.len() / 2), later.last()) {
        println!(
            "after the first round: median {median:.1} ms, slowest {slowest:.1} ms ({} matches)",
            later.len()
        );
    }
    if let Some(path) = reports_file {
        std::fs::write(&path, serde_json::to_vec_pretty(&reports)?)?;
        println!("reports: {path}");
    }
    Ok(())
}

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}
