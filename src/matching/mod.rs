pub mod report;
pub use report::*;
