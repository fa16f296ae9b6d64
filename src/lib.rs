//! musubi: the matching-support tool of a genome-medicine consortium.
//!
//! The core (loading, vocabulary, index, search, matching, consent, export) lives here and knows
//! nothing about terminals; `src/main.rs` (the CLI) and `tui` are front ends over it.

pub mod atomic_file;
pub mod chunked;
pub mod cli;
pub mod cli_vocab;
pub mod config;
pub mod consent;
pub mod draft;
pub mod export;
pub mod facets;
pub mod files;
pub mod gaps;
pub mod hex;
pub mod history;
pub mod i18n;
pub mod index;
pub mod load;
pub mod mapped;
pub mod matching;
pub mod memo;
pub mod model;
pub mod news;
pub mod outreach;
pub mod records;
pub mod search;
pub mod snapshot;
pub mod synthetic;
pub mod terminal_text;
pub mod termination;
#[cfg(test)]
mod test_random;
pub mod text;
pub mod trace;
pub mod tui;
pub mod vocab;
pub mod watch;
pub mod width;
pub mod workspace;
