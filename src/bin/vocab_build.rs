//! `cargo run --bin vocab-build [INDEX_DIR]`: regenerates `index/generated/vocabulary.toml` from
//! the curated layer and the reference sources under `index/` (see `index/README.md`).

use anyhow::Context;
use musubi::vocab::generate::{generate, render, summarize};
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let index_dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("index"));
    let concepts = generate(&index_dir)?;
    let text = render(&concepts)?;
    let out = index_dir.join("generated/vocabulary.toml");
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(&out, text).with_context(|| format!("writing {}", out.display()))?;
    let s = summarize(&concepts);
    println!("wrote {}", out.display());
    for (kind, n) in &s.concepts {
        println!("  {kind:<14} {n:>6} concepts");
    }
    println!("  Japanese names and synonyms: {}", s.terms_ja);
    println!("  English names and synonyms:  {}", s.terms_en);
    println!(
        "  anchored: ICD-10 {}, NANDO {}, MONDO {}",
        s.with_icd10, s.with_nando, s.with_mondo
    );
    println!("  keys shared by several concepts: {}", s.ambiguous_keys);
    Ok(())
}
