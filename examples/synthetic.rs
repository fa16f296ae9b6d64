//! Writes a synthetic catalog of N records for `benches/compare.sh`:
//! `OUT/data/*.jsonl` (a musubi data directory), `OUT/tantivy.jsonl` (title + body per line,
//! for tantivy-cli) and `OUT/titles.txt` (one title per line, for `fzf --filter`).
//!
//! `cargo run --release --example synthetic -- N OUT`

use std::path::PathBuf;

/// Seed of the catalogs in docs/performance.md.
const SEED: u64 = 42;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(count), Some(out)) = (args.next(), args.next()) else {
        return Err("usage: synthetic N OUT_DIR".into());
    };
    let count: usize = count.parse()?;
    let out = PathBuf::from(out);
    let data = out.join("data");
    std::fs::create_dir_all(&data)?;
    let catalog = musubi::synthetic::catalog(count, SEED);
    musubi::synthetic::write_files(&data, &musubi::synthetic::jsonl_files(&catalog))?;
    let peers = musubi::synthetic::peer_files(&catalog);
    std::fs::write(out.join("tantivy.jsonl"), peers.tantivy_documents)?;
    std::fs::write(out.join("titles.txt"), peers.titles)?;
    println!("{} records in {}", catalog.len(), out.display());
    Ok(())
}
