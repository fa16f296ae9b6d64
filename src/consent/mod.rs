//! Data-use (consent) rules: which datasets a need may be offered, and on what conditions.
//!
//! The rules are those of the "Data-use codes" section of `data-format.md`, after GA4GH DUO. They
//! fail closed: whenever musubi cannot be sure a use is allowed, the dataset is blocked and the
//! reason names the rule (and says "for review" when the data-use committee must decide).

mod code;
mod date;
mod hierarchy;
mod owner;
mod verdict;
mod vocabulary;

#[cfg(test)]
mod test_support;

pub use code::{parse_code, CodeClass, DataUseCode};
pub use date::{Date, DateError};
pub use hierarchy::DiseaseHierarchy;
pub use owner::{
    derive_commercial, owner_standing, resolve_need_diseases, Commercial, CommercialCause,
    ConsentSubject, OwnerDirectory, OwnerPath, OwnerStanding,
};
pub use verdict::{
    audit_codes, custodian_label, evaluate, evaluate_in, evaluate_with_custodian,
    researcher_custodian_label, ConsentVerdict, Verdict,
};
