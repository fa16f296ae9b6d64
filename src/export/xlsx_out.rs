//! XLSX export: a matches sheet with the mail-merge columns (header frozen, autofilter on,
//! columns as wide as their Japanese or English text), the privacy note on its own sheet, and
//! an "about" sheet with the date and the subjects. Sheet names follow the export's language.

use super::rows::OutreachRows;
use super::{cells, notes, ExportError, ExportOptions, COLUMNS};
use crate::i18n::{text, Key};
use crate::matching::MatchReport;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook};
use unicode_width::UnicodeWidthStr;

/// Excel's limit on the length of a cell's text.
const MAX_CELL_CHARS: usize = 32_767;

/// Column widths, in Excel's character units (one per half-width column of text).
const MIN_WIDTH: f64 = 6.0;
const MAX_WIDTH: f64 = 60.0;

/// The workbook bytes.
pub(super) fn render(
    reports: &[MatchReport],
    rows: &OutreachRows,
    options: &ExportOptions,
) -> Result<Vec<u8>, ExportError> {
    let lang = options.lang;
    let date = options.date;
    let mut workbook = Workbook::new();
    // A fixed creation date keeps the bytes the same for the same input and day.
    let created = u16::try_from(date.year)
        .ok()
        .and_then(|year| ExcelDateTime::from_ymd(year, date.month, date.day).ok());
    if let Some(dt) = created {
        workbook.set_properties(&DocProperties::new().set_creation_datetime(&dt));
    }
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let score_format = Format::new().set_num_format("0.000");

    let sheet = workbook.add_worksheet();
    sheet.set_name(text(Key::SheetMatches, lang))?;
    let mut widths: Vec<usize> = COLUMNS.iter().map(|c| c.width()).collect();
    for (col, title) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, &bold)?;
    }
    for (i, row) in rows.rows.iter().enumerate() {
        let r = (i + 1) as u32;
        for (col, cell) in cells(row, lang).iter().enumerate() {
            match COLUMNS[col] {
                "score" => {
                    sheet.write_number_with_format(r, col as u16, row.score, &score_format)?;
                }
                "cases" if row.cases.is_some() => {
                    let cases = row.cases.unwrap_or_default() as f64;
                    sheet.write_number(r, col as u16, cases)?;
                }
                _ => {
                    let cell = clip(cell);
                    widths[col] = widths[col].max(cell.width());
                    sheet.write_string_with_format(r, col as u16, cell, &wrap)?;
                }
            }
        }
    }
    for (col, width) in widths.iter().enumerate() {
        let width = (*width as f64 + 2.0).clamp(MIN_WIDTH, MAX_WIDTH);
        sheet.set_column_width(col as u16, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows.rows.len() as u32, (COLUMNS.len() - 1) as u16)?;

    let privacy = workbook.add_worksheet();
    privacy.set_name(text(Key::SheetPrivacy, lang))?;
    for (i, note) in notes(rows, options).iter().enumerate() {
        privacy.write_string_with_format(i as u32, 0, note, &wrap)?;
    }
    privacy.set_column_width(0, 100.0)?;

    let about = workbook.add_worksheet();
    about.set_name(text(Key::SheetAbout, lang))?;
    about.write_string_with_format(0, 0, text(Key::MemoDate, lang), &bold)?;
    about.write_string(0, 1, date.to_string())?;
    for (i, report) in reports.iter().enumerate() {
        let r = (i + 1) as u32;
        about.write_string_with_format(r, 0, text(Key::HeaderSubject, lang), &bold)?;
        about.write_string(r, 1, clip(&report.subject.line(lang)))?;
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
