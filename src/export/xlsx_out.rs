//! XLSX export: a "Matches" sheet with the mail-merge columns and an "About" sheet with the
//! privacy note, the date and the subjects.

use super::rows::{OutreachRow, PRIVACY_NOTE};
use super::{cells, ExportError, COLUMNS};
use crate::consent::Date;
use crate::matching::MatchReport;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

/// Excel's limit on the length of a cell's text.
const MAX_CELL_CHARS: usize = 32_767;

/// The workbook bytes.
pub(super) fn render(
    reports: &[MatchReport],
    rows: &[OutreachRow],
    date: Date,
) -> Result<Vec<u8>, ExportError> {
    let mut workbook = Workbook::new();
    // A fixed creation date keeps the bytes the same for the same input and day.
    let created = u16::try_from(date.year)
        .ok()
        .and_then(|year| ExcelDateTime::from_ymd(year, date.month, date.day).ok());
    if let Some(dt) = created {
        workbook.set_properties(&DocProperties::new().set_creation_datetime(&dt));
    }
    let bold = Format::new().set_bold();
    let score_format = Format::new().set_num_format("0.000");

    let sheet = workbook.add_worksheet();
    sheet.set_name("Matches")?;
    for (col, title) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, &bold)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let r = (i + 1) as u32;
        for (col, text) in cells(row).iter().enumerate() {
            if COLUMNS[col] == "score" {
                sheet.write_number_with_format(r, col as u16, row.score, &score_format)?;
            } else {
                sheet.write_string(r, col as u16, clip(text))?;
            }
        }
    }
    let widths = [
        30.0, 14.0, 12.0, 30.0, 24.0, 20.0, 28.0, 8.0, 50.0, 50.0, 34.0, 40.0,
    ];
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows.len() as u32, (COLUMNS.len() - 1) as u16)?;

    let about = workbook.add_worksheet();
    about.set_name("About")?;
    about.write_string_with_format(0, 0, "Privacy", &bold)?;
    about.write_string(0, 1, PRIVACY_NOTE)?;
    about.write_string_with_format(1, 0, "Date", &bold)?;
    about.write_string(1, 1, date.to_string())?;
    for (i, report) in reports.iter().enumerate() {
        let r = (i + 2) as u32;
        about.write_string_with_format(r, 0, "Subject", &bold)?;
        about.write_string(r, 1, clip(&report.subject.display_name()))?;
    }
    about.set_column_width(0, 12.0)?;
    about.set_column_width(1, 100.0)?;
    Ok(workbook.save_to_buffer()?)
}

/// Text cut to what one cell can hold.
fn clip(text: &str) -> String {
    if text.chars().count() <= MAX_CELL_CHARS {
        text.to_string()
    } else {
        text.chars().take(MAX_CELL_CHARS).collect()
    }
}
