//! Matching: subjects to the datasets, partners and proposals that fit them, with reasons.
//! Independent of any front end; every weight lives in [`weights`].

mod candidates;
mod engine;
mod phrases;
pub mod profile;
mod reach;
pub mod relations;
pub mod report;
pub mod similarity;
pub mod weights;

pub use candidates::{Candidates, Earlier, STORED_KINDS};
pub use engine::{
    closest_ids, AdHocNeed, FoundSubject, MatchError, MatchOptions, Matcher, Subject,
};
pub use report::*;
