//! The app's search as you type, in process, on records indexed earlier (`benches/compare.sh N`
//! leaves them in `DIR/data` and `DIR/musubi-index`):
//!
//! ```text
//! cargo run --release --example keystrokes -- DIR [QUERY] [ROUNDS] [RESULTS_FILE]
//! ```
//!
//! Opens the data as the app does, then types QUERY (default `pancreatic`) a character at a
//! time, ROUNDS times (default 5), each round from an empty box, and prints each key's time and
//! the number of records listed, then each key's median. With RESULTS_FILE, writes every
//! record the first round listed for each key (id, score, position, in order), so that two
//! builds can be compared for the same results (`cmp`). See docs/performance.md.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use musubi::index::doc_ids::DocIds;
use musubi::tui::data::Data;
use musubi::tui::finder::{self, Narrowing};
use musubi::workspace::{OpenOptions, Workspace};
use std::error::Error;
use std::fmt::Write as _;
use std::time::Instant;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .ok_or("usage: keystrokes DIR [QUERY] [ROUNDS] [RESULTS_FILE]")?;
    let query = args.next().unwrap_or_else(|| "pancreatic".to_string());
    let rounds: usize = args.next().map_or(Ok(5), |r| r.parse())?;
    let results_file = args.next();

    let options = OpenOptions {
        data: Some(format!("{dir}/data").into()),
        index: Some(format!("{dir}/musubi-index").into()),
        force_rebuild: false,
        from_scratch: false,
    };
    let started = Instant::now();
    let mut workspace = Workspace::open(&options, &Default::default(), &|_| {})?;
    let catalog = workspace.take_catalog()?;
    let data = Data::without_facets(catalog, workspace.vocabulary.clone(), dir.clone(), 0);
    println!("opened: {:.0} ms", ms(started));
    let started = Instant::now();
    let index = &workspace.index;
    let ids = DocIds::read(index.reader.searcher(), &index.fields, |id| {
        data.position(id)
    })?;
    println!("the index's ids: {:.0} ms", ms(started));

    let keys: Vec<String> = (1..=query.chars().count())
        .map(|n| query.chars().take(n).collect())
        .collect();
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); keys.len()];
    let mut results = String::new();
    for round in 0..rounds {
        let mut narrowing = Narrowing::default();
        let mut line = format!("round {round}:");
        for (key, times) in keys.iter().zip(&mut times) {
            let started = Instant::now();
            let outcome =
                finder::find_with(&data, index, Some(&ids), key, &|| false, &mut narrowing)
                    .ok_or("a search that is never stale gave up")?;
            let took = ms(started);
            times.push(took);
            write!(line, " {key} {took:.0} ms ({})", outcome.found.len())?;
            if round == 0 {
                for found in outcome.found.iter() {
                    writeln!(
                        results,
                        "{key}\t{}\t{}\t{}",
                        data.id_of(found),
                        found.score,
                        found.record
                    )?;
                }
            }
        }
        println!("{line}");
    }
    let mut line = String::from("median:");
    for (key, times) in keys.iter().zip(&mut times) {
        times.sort_by(f64::total_cmp);
        if let Some(median) = times.get(times.len() / 2) {
            write!(line, " {key} {median:.0} ms")?;
        }
    }
    println!("{line}");
    if let Some(file) = results_file {
        std::fs::write(file, results)?;
    }
    Ok(())
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}
