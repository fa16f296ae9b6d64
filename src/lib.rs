//! musubi: the matching-support tool of a genome-medicine consortium.
//!
//! The core (loading, vocabulary, index, search, matching, consent, export) lives here and knows
//! nothing about terminals; `src/main.rs` (the CLI) and `tui` are front ends over it.

pub mod cli_vocab;
pub mod model;
pub mod text;
pub mod vocab;
