//! Exports written a window of reports at a time (`musubi match --all-needs`), so that a run
//! over every need holds one window of reports, not all of them.
//!
//! CSV rows go straight out. JSON reports, and the Markdown memo's sections, wait in an
//! unnamed temporary file (owner-only, gone when closed, even after `kill -9`) until what heads
//! the document is known (the totals; the memo's subjects and notes); the memo keeps its
//! contact list (each record once) until the end. XLSX (one workbook, built in memory by its
//! writer) keeps every report and is written at the end. Whatever the format, the bytes are the
//! ones [`super::render`] gives for all the reports at once.

use super::destination::write_export_with;
use super::rows::{outreach_rows, ContactStatus, OutreachRow, OutreachRows};
use super::{
    csv_out, json_out, markdown, notes_of, render_rows, ExportError, ExportFormat, ExportOptions,
    ExportSummary,
};
use crate::matching::MatchReport;
use crate::records::Records;
use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::Path;

/// What an export written by window holds, counted as it is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Match items written.
    pub rows: usize,
    /// Rows whose contact exists but did not agree to be contacted.
    pub withheld_contacts: usize,
    /// Blocked and for-review datasets left out (not asked for).
    pub left_out: usize,
    /// How many of those were for review.
    pub left_out_for_review: usize,
    /// Some row carries contact details.
    pub private: bool,
}

impl Totals {
    /// Counts the rows of one window (or of every report).
    pub(crate) fn add(&mut self, rows: &OutreachRows) {
        self.rows += rows.rows.len();
        self.withheld_contacts += rows
            .rows
            .iter()
            .filter(|r| r.contact == ContactStatus::Withheld)
            .count();
        self.left_out += rows.left_out;
        self.left_out_for_review += rows.left_out_for_review;
        self.private |= rows.rows.iter().any(OutreachRow::has_contact_details);
    }
}

/// Hands windows of reports to an export: called once with somewhere to put each window.
pub type Windows<'p> = dyn FnOnce(&mut dyn FnMut(&[MatchReport]) -> Result<(), ExportError>) -> Result<(), ExportError>
    + 'p;

/// Writes the reports `windows` hands over to `path` (atomically, as [`super::export`] does:
/// a failure leaves the old file as it was); the file is owner-only when it holds contact
/// details.
pub fn export_by_window(
    records: &dyn Records,
    options: &ExportOptions,
    path: &Path,
    windows: Box<Windows<'_>>,
) -> Result<ExportSummary, ExportError> {
    let mut totals = Totals::default();
    let notes = write_export_with(path, |out| {
        totals = render_by_window(out, records, options, windows)?;
        Ok::<bool, ExportError>(totals.private)
    })
    .map_err(|error| match error {
        ExportError::Io(source) => ExportError::Write {
            path: path.to_path_buf(),
            source,
        },
        other => other,
    })?;
    Ok(ExportSummary::of(path, &totals, notes))
}

/// Writes the reports `windows` hands over to `out` (e.g. standard output).
pub fn render_by_window(
    out: &mut dyn Write,
    records: &dyn Records,
    options: &ExportOptions,
    windows: Box<Windows<'_>>,
) -> Result<Totals, ExportError> {
    let mut totals = Totals::default();
    match options.format {
        ExportFormat::Csv => {
            csv_out::write_header(out)?;
            windows(&mut |reports| {
                let rows = outreach_rows(reports, records, options.include_blocked);
                totals.add(&rows);
                csv_out::write_rows(out, &rows.rows, options.lang)
            })?;
        }
        ExportFormat::Json if options.always_list => {
            let mut spool = BufWriter::new(tempfile::tempfile()?);
            let mut written = 0usize;
            windows(&mut |reports| {
                let rows = outreach_rows(reports, records, options.include_blocked);
                totals.add(&rows);
                for value in json_out::report_values(reports, &rows, options)? {
                    if written > 0 {
                        spool.write_all(b",\n")?;
                    }
                    write_indented(&mut spool, &serde_json::to_vec_pretty(&value)?)?;
                    written += 1;
                }
                Ok(())
            })?;
            let head = serde_json::to_vec_pretty(&json_out::head(totals.left_out, options))?;
            // The head's closing brace makes way for the reports (serde_json's pretty layout).
            let head = head.strip_suffix(b"\n}").unwrap_or(&head);
            out.write_all(head)?;
            out.write_all(b",\n  \"reports\": [")?;
            if written > 0 {
                out.write_all(b"\n")?;
                copy_spool(spool, out)?;
                out.write_all(b"\n  ")?;
            }
            out.write_all(b"]\n}\n")?;
        }
        ExportFormat::Markdown => {
            let mut spool = BufWriter::new(tempfile::tempfile()?);
            let mut subjects = markdown::Subjects::default();
            let mut contacts = markdown::Contacts::default();
            let mut blocked_listed = false;
            windows(&mut |reports| {
                let rows = outreach_rows(reports, records, options.include_blocked);
                totals.add(&rows);
                blocked_listed |= rows.rows.iter().any(|r| r.blocked.is_some());
                subjects.add(reports, options.lang);
                let mut sections = String::new();
                markdown::sections(&mut sections, reports, &rows.rows, options);
                spool.write_all(sections.as_bytes())?;
                contacts.add(&rows.rows, options.lang);
                Ok(())
            })?;
            let notes = notes_of(totals.left_out, blocked_listed, options);
            out.write_all(markdown::head(&subjects, &notes, options).as_bytes())?;
            copy_spool(spool, out)?;
            out.write_all(contacts.finish(options.lang).as_bytes())?;
        }
        _ => {
            let mut all: Vec<MatchReport> = Vec::new();
            windows(&mut |reports| {
                all.extend_from_slice(reports);
                Ok(())
            })?;
            let rows = outreach_rows(&all, records, options.include_blocked);
            totals.add(&rows);
            out.write_all(&render_rows(&all, &rows, options)?)?;
        }
    }
    Ok(totals)
}

/// Writes what was spooled to `out`, from its start.
fn copy_spool(spool: BufWriter<File>, out: &mut dyn Write) -> Result<(), ExportError> {
    let mut spool = spool.into_inner().map_err(|e| e.into_error())?;
    spool.seek(SeekFrom::Start(0))?;
    std::io::copy(&mut spool, out)?;
    Ok(())
}

/// A report's pretty JSON as an item of the top-level `reports` list: every line indented
/// two levels (a JSON string holds no raw line break, so lines are the layout's).
fn write_indented(out: &mut impl Write, pretty: &[u8]) -> std::io::Result<()> {
    for (i, line) in pretty.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
        }
        out.write_all(b"    ")?;
        out.write_all(line)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent::Date;
    use crate::i18n::Lang;
    use crate::matching::{MatchOptions, Matcher};
    use crate::vocab::Vocabulary;

    fn reports_of_every_need() -> (crate::model::Catalog, Vec<MatchReport>) {
        let catalog = crate::synthetic::catalog(200, 42);
        let today = Date::new(2026, 11, 27).expect("a date");
        let reports =
            Matcher::new(&catalog, Vocabulary::builtin(), today).run_all_needs(&MatchOptions {
                limit: 4,
                include_blocked: true,
                lang: None,
            });
        (catalog, reports)
    }

    /// Writes `reports` in windows of `size` (none when `size` is 0).
    fn by_window(
        reports: &[MatchReport],
        records: &dyn Records,
        options: &ExportOptions,
        size: usize,
    ) -> (Vec<u8>, Totals) {
        let mut bytes = Vec::new();
        let windows = |sink: &mut dyn FnMut(&[MatchReport]) -> Result<(), ExportError>| {
            if size > 0 {
                for window in reports.chunks(size) {
                    sink(window)?;
                }
            }
            Ok(())
        };
        let totals = render_by_window(&mut bytes, records, options, Box::new(windows))
            .expect("written to memory");
        (bytes, totals)
    }

    #[test]
    fn windows_of_any_size_write_the_bytes_of_all_reports_at_once() {
        let (catalog, reports) = reports_of_every_need();
        assert!(reports.len() > 40, "{} reports", reports.len());
        for format in [
            ExportFormat::Csv,
            ExportFormat::Json,
            ExportFormat::Markdown,
            ExportFormat::Xlsx,
        ] {
            for include_blocked in [false, true] {
                for lang in [Lang::En, Lang::Ja] {
                    let options = ExportOptions {
                        include_blocked,
                        always_list: true,
                        date: Date::new(2026, 11, 27).expect("a date"),
                        ..ExportOptions::new(format, lang)
                    };
                    let whole =
                        super::super::render(&reports, &catalog, &options).expect("rendered");
                    let rows = outreach_rows(&reports, &catalog, include_blocked);
                    let mut expected = Totals::default();
                    expected.add(&rows);
                    assert!(expected.rows > 0 && expected.private);
                    for size in [1, 3, 16, reports.len()] {
                        let (bytes, totals) = by_window(&reports, &catalog, &options, size);
                        assert!(
                            bytes == whole,
                            "{format:?}, blocked {include_blocked}, {lang:?}, windows of {size}"
                        );
                        assert_eq!(totals, expected);
                    }
                    let empty = super::super::render(&[], &catalog, &options).expect("rendered");
                    assert!(by_window(&reports, &catalog, &options, 0).0 == empty);
                }
            }
        }
    }

    #[test]
    fn an_export_by_window_replaces_its_file_whole_and_is_owner_only_with_contacts() {
        let (catalog, reports) = reports_of_every_need();
        let dir = tempfile::tempdir().expect("a directory");
        let path = dir.path().join("all.json");
        std::fs::write(&path, "old").expect("written");
        let options = ExportOptions {
            always_list: true,
            ..ExportOptions::new(ExportFormat::Json, Lang::En)
        };
        // A window that fails leaves the old file as it was, and no temporary file.
        let failing = |sink: &mut dyn FnMut(&[MatchReport]) -> Result<(), ExportError>| {
            sink(&reports[..5])?;
            Err(ExportError::Io(std::io::Error::other("interrupted")))
        };
        let failed = export_by_window(&catalog, &options, &path, Box::new(failing));
        assert!(
            matches!(failed, Err(ExportError::Write { .. })),
            "{failed:?}"
        );
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "old");
        assert_eq!(std::fs::read_dir(dir.path()).expect("listed").count(), 1);

        std::fs::remove_file(&path).expect("removed");
        let all = |sink: &mut dyn FnMut(&[MatchReport]) -> Result<(), ExportError>| {
            reports.chunks(7).try_for_each(&mut *sink)
        };
        let summary = export_by_window(&catalog, &options, &path, Box::new(all)).expect("written");
        let whole = super::super::render(&reports, &catalog, &options).expect("rendered");
        assert!(std::fs::read(&path).expect("read") == whole);
        assert!(summary.rows > 0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path)
                .expect("there")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "contact details: owner only");
        }
    }
}
