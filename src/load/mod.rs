//! Loading a data directory into a `Catalog`, with every problem located by file, line and field.
//!
//! All files are read and every error of the run is collected before deciding: a directory with
//! any error yields no catalog at all (never a partial one), only the full list of messages.

pub mod checks;
mod decode;
mod diagnostic;
mod fields;
mod formats;
pub mod naming;
mod records;
mod references;
mod source;
pub mod summary;

pub use diagnostic::{Diagnostic, LoadFailure, Severity};
pub use source::{DataSource, SourceFile};

use crate::model::{Catalog, Kind, Record};
use naming::FileRole;
use records::ReadRecord;
use std::collections::HashMap;

/// A successful load: the records, the warnings, and where each record was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub catalog: Catalog,
    pub warnings: Vec<Diagnostic>,
    /// Record id → `"datasets.json:3"`, the file and line the record starts on.
    pub locations: HashMap<String, String>,
}

/// A record with the place it was read from.
#[derive(Debug)]
struct Placed {
    file: String,
    line: usize,
    read: ReadRecord,
}

/// Loads every data file of `source`. Any error → `Err` with every error and warning found.
pub fn load(source: &DataSource) -> Result<Loaded, LoadFailure> {
    let files = source.files()?;
    let skipped = source.skipped_special_files();
    let mut loaded = match load_files(&files) {
        Ok(loaded) => loaded,
        Err(mut failure) => {
            failure.diagnostics.extend(skipped);
            diagnostic::sort_by_place(&mut failure.diagnostics);
            return Err(failure);
        }
    };
    loaded.warnings.extend(skipped);
    diagnostic::sort_by_place(&mut loaded.warnings);
    if loaded.catalog.is_empty() {
        loaded.warnings.push(Diagnostic::warning(
            source.describe(),
            None,
            None,
            "no records found",
        ));
    }
    Ok(loaded)
}

/// Loads records from files already in memory (as `DataSource::files` gives them).
pub fn load_files(files: &[SourceFile]) -> Result<Loaded, LoadFailure> {
    let mut diagnostics = Vec::new();
    let mut placed = Vec::new();
    for file in files {
        if source::is_ignored(&file.name) {
            continue;
        }
        let (kind, format) = match naming::classify(&file.name) {
            FileRole::Data(kind, format) => (kind, format),
            FileRole::Skipped(reason) => {
                diagnostics.push(Diagnostic::warning(&file.name, None, None, reason));
                continue;
            }
        };
        let text = match decode::decode(&file.name, &file.bytes, format, &mut diagnostics) {
            Ok(text) => text,
            Err(error) => {
                diagnostics.push(error);
                continue;
            }
        };
        for raw in formats::parse(&file.name, &text, format, kind, &mut diagnostics) {
            match records::read(&file.name, kind, &raw) {
                Ok(read) => placed.push(Placed {
                    file: file.name.clone(),
                    line: raw.line,
                    read,
                }),
                Err(errors) => diagnostics.extend(errors),
            }
        }
    }

    let mut locations: HashMap<String, String> = HashMap::new();
    let mut kinds: HashMap<String, Kind> = HashMap::new();
    let mut unique = Vec::with_capacity(placed.len());
    for p in placed {
        let id = p.read.record.id();
        if let Some(first) = locations.get(id) {
            diagnostics.push(Diagnostic::error(
                &p.file,
                Some(p.read.field_lines.get("id").copied().unwrap_or(p.line)),
                None,
                format!("duplicate id {id:?}: also in {first}"),
            ));
            continue;
        }
        locations.insert(id.to_string(), format!("{}:{}", p.file, p.line));
        kinds.insert(id.to_string(), p.read.record.kind());
        unique.push(p);
    }
    diagnostics.extend(references::check(&unique, &kinds));
    diagnostic::sort_by_place(&mut diagnostics);

    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(LoadFailure { diagnostics });
    }
    let mut catalog = Catalog::default();
    for p in unique {
        match p.read.record {
            Record::Dataset(r) => catalog.datasets.push(r),
            Record::Researcher(r) => catalog.researchers.push(r),
            Record::Organization(r) => catalog.organizations.push(r),
            Record::Proposal(r) => catalog.proposals.push(r),
            Record::Need(r) => catalog.needs.push(r),
        }
    }
    Ok(Loaded {
        catalog,
        warnings: diagnostics,
        locations,
    })
}
