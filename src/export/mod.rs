//! Outreach exports of match reports: CSV (mail merge, opens in Excel), a Markdown memo, JSON
//! and XLSX, written atomically; contact details only for those who agreed to be contacted.

pub(crate) mod csv_out;
mod destination;
mod json_out;
mod markdown;
mod rows;
pub mod sheet;
mod stream;
mod xlsx_out;

// The writer moved to `crate::atomic_file` (the index store uses it too); kept here for callers
// that name it through `export`.
pub use crate::atomic_file::{remove_dead_temporaries, write_atomically, write_atomically_with};
pub use destination::write_export;
pub use rows::{
    exported_items, outreach_rows, privacy_note, ContactStatus, OutreachRow, OutreachRows,
    CONDITION_CODES, PRIVACY_NOTE,
};
pub use stream::{export_by_window, render_by_window, Totals, Windows};

use crate::consent::Date;
use crate::i18n::{fill, text, Key, Lang};
use crate::matching::MatchReport;
use crate::records::Records;
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
    /// Blocked and for-review datasets left out (not asked for).
    pub left_out: usize,
    /// How many of those were for review.
    pub left_out_for_review: usize,
    /// Things the user should know about the written file (readable by others, hard links).
    pub notes: Vec<String>,
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
    /// Writing failed where no path is known (standard output); [`export_by_window`] names
    /// its file instead.
    #[error("could not write the export: {0}")]
    Io(#[from] std::io::Error),
}

/// How to write an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportOptions {
    pub format: ExportFormat,
    /// The language of every word musubi writes itself (headings, notes, verdicts). Reasons and
    /// conditions come from the reports, which the matcher wrote in the language asked for.
    pub lang: Lang,
    /// Also write datasets the consent rules block or leave for review, with their verdict and
    /// rule and never with a custodian contact (default: left out, and counted).
    pub include_blocked: bool,
    /// The date the export carries (Markdown heading, JSON `generated`, XLSX "About").
    pub date: Date,
    /// JSON lists the reports under `reports` even when there is only one (`--all-needs`).
    pub always_list: bool,
}

impl ExportOptions {
    /// Blocked datasets left out, dated today (Japan time), one report as one JSON object.
    pub fn new(format: ExportFormat, lang: Lang) -> Self {
        ExportOptions {
            format,
            lang,
            include_blocked: false,
            date: Date::today(),
            always_list: false,
        }
    }
}

/// Renders the reports and writes them to `path` atomically; the file is owner-only when it
/// holds contact details.
pub fn export(
    reports: &[MatchReport],
    records: &dyn Records,
    options: &ExportOptions,
    path: &Path,
) -> Result<ExportSummary, ExportError> {
    let rows = outreach_rows(reports, records, options.include_blocked);
    let bytes = render_rows(reports, &rows, options)?;
    let mut totals = Totals::default();
    totals.add(&rows);
    let notes =
        write_export(path, &bytes, totals.private).map_err(|source| ExportError::Write {
            path: path.to_path_buf(),
            source,
        })?;
    Ok(ExportSummary::of(path, &totals, notes))
}

impl ExportSummary {
    /// What an export to `path` with these totals wrote.
    pub(crate) fn of(path: &Path, totals: &Totals, notes: Vec<String>) -> ExportSummary {
        ExportSummary {
            path: path.to_path_buf(),
            rows: totals.rows,
            withheld_contacts: totals.withheld_contacts,
            left_out: totals.left_out,
            left_out_for_review: totals.left_out_for_review,
            notes,
        }
    }
}

/// The bytes [`export`] would write, e.g. for stdout.
pub fn render(
    reports: &[MatchReport],
    records: &dyn Records,
    options: &ExportOptions,
) -> Result<Vec<u8>, ExportError> {
    let rows = outreach_rows(reports, records, options.include_blocked);
    render_rows(reports, &rows, options)
}

/// The sentence an export carries when blocked datasets were left out (`None` when none were).
pub fn left_out_note(left_out: usize, lang: Lang) -> Option<String> {
    (left_out > 0).then(|| fill(Key::BlockedLeftOut, lang, &[("n", &left_out.to_string())]))
}

/// The notes every export carries: privacy, then what was left out or how blocked rows appear.
pub(crate) fn notes(rows: &OutreachRows, options: &ExportOptions) -> Vec<String> {
    notes_of(
        rows.left_out,
        rows.rows.iter().any(|r| r.blocked.is_some()),
        options,
    )
}

/// [`notes`], from how many datasets were left out and whether a blocked one is listed.
pub(crate) fn notes_of(
    left_out: usize,
    blocked_listed: bool,
    options: &ExportOptions,
) -> Vec<String> {
    let mut notes = vec![privacy_note(options.lang).to_string()];
    notes.extend(left_out_note(left_out, options.lang));
    if options.include_blocked && blocked_listed {
        notes.push(text(Key::BlockedListedNote, options.lang).to_string());
    }
    notes
}

fn render_rows(
    reports: &[MatchReport],
    rows: &OutreachRows,
    options: &ExportOptions,
) -> Result<Vec<u8>, ExportError> {
    match options.format {
        ExportFormat::Csv => csv_out::render(&rows.rows, options.lang),
        ExportFormat::Markdown => Ok(markdown::render(reports, rows, options).into_bytes()),
        ExportFormat::Json => json_out::render(reports, rows, options),
        ExportFormat::Xlsx => xlsx_out::render(reports, rows, options),
    }
}

/// The mail-merge columns shared by CSV and XLSX. Column names are identifiers that
/// mail-merge templates and scripts rely on: they stay in English whatever the language of the
/// cells, and columns are only ever added.
pub const COLUMNS: [&str; 34] = [
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
    "verdict",
    "rule",
    "data_use",
    "cases",
    "modalities",
    "requester_id",
    "requester_name",
    "name_en",
    "related_field_only",
    "condition_col",
    "condition_irb",
    "condition_pub",
    "condition_gs",
    "condition_mor",
    "condition_rtn",
    "condition_ts",
    "condition_nmds",
    "condition_gso",
    "condition_nctrl",
    "outreach_status",
    "last_contacted",
    "last_contacted_by",
];

/// A row's cells in [`COLUMNS`] order (score as text with three decimals).
fn cells(row: &OutreachRow, lang: Lang) -> Vec<String> {
    let mut cells = vec![
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
        row.contact.note_in(lang).to_string(),
        row.blocked.clone().unwrap_or_default(),
        row.verdict
            .map(|v| v.as_str())
            .unwrap_or_default()
            .to_string(),
        row.rule.clone(),
        row.data_use.join("; "),
        row.cases.map(|c| c.to_string()).unwrap_or_default(),
        row.modalities.join("; "),
        row.requester_id.clone(),
        row.requester_name.clone(),
        row.name_en.clone(),
        row.related_field_only.to_string(),
    ];
    cells.extend(CONDITION_CODES.iter().map(|code| row.condition(code)));
    cells.extend(row.outreach.iter().cloned());
    cells
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
