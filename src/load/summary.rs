//! What `musubi validate` reports: errors, warnings (loader and data-use checks) and counts.

use super::diagnostic::Diagnostic;
use super::{checks, load, DataSource, Loaded};
use crate::model::{Catalog, Kind};

/// Number of records of each kind, in display order.
pub fn counts(catalog: &Catalog) -> Vec<(Kind, usize)> {
    Kind::ALL.iter().map(|k| (*k, catalog.count(*k))).collect()
}

/// The outcome of validating a data directory.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidateReport {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// Records per kind; empty when the directory did not load.
    pub counts: Vec<(Kind, usize)>,
}

impl ValidateReport {
    /// True when the directory loads without errors.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Loads `source` and runs the data-use checks; never fails (errors are part of the report).
pub fn validate_report(source: &DataSource) -> ValidateReport {
    validate_and_keep(source).0
}

/// Like [`validate_report`], also handing back what was loaded (when it loaded), so that
/// further checks need not read the files again.
pub fn validate_and_keep(source: &DataSource) -> (ValidateReport, Option<Loaded>) {
    match load(source) {
        Ok(loaded) => {
            let mut warnings = loaded.warnings.clone();
            warnings.extend(checks::check(&loaded.catalog, &loaded.locations));
            super::diagnostic::sort_by_place(&mut warnings);
            let report = ValidateReport {
                errors: Vec::new(),
                warnings,
                counts: counts(&loaded.catalog),
            };
            (report, Some(loaded))
        }
        Err(failure) => {
            let (errors, warnings) = failure
                .diagnostics
                .into_iter()
                .partition(Diagnostic::is_error);
            let report = ValidateReport {
                errors,
                warnings,
                counts: Vec::new(),
            };
            (report, None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_follow_display_order() {
        let c = counts(&Catalog::default());
        assert_eq!(c.iter().map(|(k, _)| *k).collect::<Vec<_>>(), Kind::ALL);
        assert!(c.iter().all(|(_, n)| *n == 0));
    }
}
