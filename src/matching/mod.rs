//! Matching: subjects to the datasets, partners and proposals that fit them, with reasons.
//! Independent of any front end; every weight lives in [`weights`].

mod engine;
mod phrases;
pub mod profile;
pub mod relations;
pub mod report;
pub mod similarity;
pub mod weights;

pub use engine::{closest_ids, AdHocNeed, Candidates, MatchError, MatchOptions, Matcher, Subject};
pub use report::*;
