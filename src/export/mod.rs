//! Outreach exports of match reports: CSV (mail merge, opens in Excel), a Markdown memo, JSON
//! and XLSX, written atomically; contact details only for those who agreed to be contacted.

mod atomic;
mod csv_out;
mod json_out;
mod markdown;
mod rows;
pub mod sheet;
mod xlsx_out;

pub use atomic::{write_atomically, write_atomically_with};
pub use rows::{outreach_rows, ContactStatus, OutreachRow, PRIVACY_NOTE};

use crate::consent::Date;
use crate::matching::MatchReport;
use crate::model::Catalog;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The file formats of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// UTF-8 with BOM, mail-merge columns.
    Csv,
    /// A memo for a meeting.
    Markdown,
    Json,
    Xlsx,
}

impl ExportFormat {
    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Markdown => "md",
            ExportFormat::Json => "json",
            ExportFormat::Xlsx => "xlsx",
        }
    }

    /// The format a file name's extension implies, if any.
    pub fn from_path(path: &Path) -> Option<ExportFormat> {
        path.extension()?.to_str()?.parse().ok()
    }
}

impl FromStr for ExportFormat {
    type Err = ExportError;
    /// Accepts `csv`, `md`, `markdown`, `json`, `xlsx` in any case.
    fn from_str(s: &str) -> Result<Self, ExportError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(ExportFormat::Csv),
            "md" | "markdown" => Ok(ExportFormat::Markdown),
            "json" => Ok(ExportFormat::Json),
            "xlsx" => Ok(ExportFormat::Xlsx),
            _ => Err(ExportError::UnknownFormat(s.to_string())),
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSummary {
    pub path: PathBuf,
    /// Match items written (all sections of all reports).
    pub rows: usize,
    /// Rows whose contact exists but did not agree to be contacted.
    pub withheld_contacts: usize,
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("unknown export format \"{0}\" (use csv, md, json or xlsx)")]
    UnknownFormat(String),
    #[error("could not write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("could not build the CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("could not build the JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("could not build the XLSX: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

/// Renders the reports and writes them to `path` atomically; the file is owner-only when it
/// holds contact details.
pub fn export_reports(
    reports: &[MatchReport],
    catalog: &Catalog,
    format: ExportFormat,
    path: &Path,
) -> Result<ExportSummary, ExportError> {
    export_reports_dated(reports, catalog, format, path, Date::today())
}

/// Like [`export_reports`], dated `date` instead of today (Japan time).
pub fn export_reports_dated(
    reports: &[MatchReport],
    catalog: &Catalog,
    format: ExportFormat,
    path: &Path,
    date: Date,
) -> Result<ExportSummary, ExportError> {
    write_rows(reports, catalog, format, path, date, false)
}

/// Like [`export_reports`], but JSON always lists the reports under `reports`, even when there
/// is only one (`musubi match --all-needs`: scripts expect the same shape whatever the count).
pub fn export_report_list(
    reports: &[MatchReport],
    catalog: &Catalog,
    format: ExportFormat,
    path: &Path,
) -> Result<ExportSummary, ExportError> {
    write_rows(reports, catalog, format, path, Date::today(), true)
}

fn write_rows(
    reports: &[MatchReport],
    catalog: &Catalog,
    format: ExportFormat,
    path: &Path,
    date: Date,
    always_list: bool,
) -> Result<ExportSummary, ExportError> {
    let rows = outreach_rows(reports, catalog);
    let bytes = render_rows(reports, &rows, format, date, always_list)?;
    let private = rows.iter().any(OutreachRow::has_contact_details);
    write_atomically(path, &bytes, private).map_err(|source| ExportError::Write {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(ExportSummary {
        path: path.to_path_buf(),
        rows: rows.len(),
        withheld_contacts: rows
            .iter()
            .filter(|r| r.contact == ContactStatus::Withheld)
            .count(),
    })
}

/// The bytes [`export_reports`] would write, e.g. for stdout; dated today (Japan time).
pub fn render_reports(
    reports: &[MatchReport],
    catalog: &Catalog,
    format: ExportFormat,
) -> Result<Vec<u8>, ExportError> {
    render_reports_dated(reports, catalog, format, Date::today())
}

/// Like [`render_reports`], dated `date` (the Markdown heading, JSON `generated`, XLSX "About").
pub fn render_reports_dated(
    reports: &[MatchReport],
    catalog: &Catalog,
    format: ExportFormat,
    date: Date,
) -> Result<Vec<u8>, ExportError> {
    let rows = outreach_rows(reports, catalog);
    render_rows(reports, &rows, format, date, false)
}

/// Like [`render_reports`], but JSON always lists the reports under `reports`.
pub fn render_report_list(
    reports: &[MatchReport],
    catalog: &Catalog,
    format: ExportFormat,
) -> Result<Vec<u8>, ExportError> {
    let rows = outreach_rows(reports, catalog);
    render_rows(reports, &rows, format, Date::today(), true)
}

fn render_rows(
    reports: &[MatchReport],
    rows: &[OutreachRow],
    format: ExportFormat,
    date: Date,
    always_list: bool,
) -> Result<Vec<u8>, ExportError> {
    match format {
        ExportFormat::Csv => csv_out::render(rows),
        ExportFormat::Markdown => Ok(markdown::render(reports, rows, date).into_bytes()),
        ExportFormat::Json => json_out::render(reports, rows, date, always_list),
        ExportFormat::Xlsx => xlsx_out::render(reports, rows, date),
    }
}

/// The mail-merge columns shared by CSV and XLSX.
pub const COLUMNS: [&str; 12] = [
    "subject",
    "match_id",
    "kind",
    "name",
    "organisation",
    "contact_name",
    "email",
    "score",
    "reasons",
    "conditions",
    "contact_note",
    "blocked",
];

/// A row's cells in [`COLUMNS`] order (score as text with three decimals).
fn cells(row: &OutreachRow) -> [String; 12] {
    [
        row.subject.clone(),
        row.match_id.clone(),
        row.kind.as_str().to_string(),
        row.name.clone(),
        row.organisation.clone(),
        row.contact_name.clone(),
        row.email.clone(),
        format!("{:.3}", row.score),
        row.reasons.join("; "),
        row.conditions.join("; "),
        row.contact.note().to_string(),
        row.blocked.clone().unwrap_or_default(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_from_names_and_paths() {
        assert_eq!("CSV".parse::<ExportFormat>().ok(), Some(ExportFormat::Csv));
        assert_eq!(
            "markdown".parse::<ExportFormat>().ok(),
            Some(ExportFormat::Markdown)
        );
        assert_eq!(
            "md".parse::<ExportFormat>().ok(),
            Some(ExportFormat::Markdown)
        );
        assert_eq!(
            " xlsx ".parse::<ExportFormat>().ok(),
            Some(ExportFormat::Xlsx)
        );
        assert!(matches!(
            "pdf".parse::<ExportFormat>(),
            Err(ExportError::UnknownFormat(f)) if f == "pdf"
        ));
        assert_eq!(ExportFormat::Markdown.extension(), "md");
        assert_eq!(
            ExportFormat::from_path(Path::new("out/memo.md")),
            Some(ExportFormat::Markdown)
        );
        assert_eq!(ExportFormat::from_path(Path::new("memo")), None);
    }
}
