//! CSV for mail merge: UTF-8 with a BOM so Excel reads Japanese correctly, CRLF line ends.

use super::{cells, ExportError, OutreachRow, COLUMNS};
use crate::i18n::Lang;
use std::io::Write;

pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The CSV bytes: BOM, header of [`COLUMNS`], one row per match item.
pub(super) fn render(rows: &[OutreachRow], lang: Lang) -> Result<Vec<u8>, ExportError> {
    let mut bytes = Vec::new();
    write_header(&mut bytes)?;
    write_rows(&mut bytes, rows, lang)?;
    Ok(bytes)
}

/// The BOM and the header of [`COLUMNS`].
pub(super) fn write_header(out: &mut dyn Write) -> Result<(), ExportError> {
    out.write_all(BOM)?;
    let mut writer = writer(out);
    writer.write_record(COLUMNS).map_err(csv_error)?;
    writer.flush()?;
    Ok(())
}

/// A CSV error as an export error: a failed write stays an I/O error (a closed pipe must be
/// told as one: the csv crate's error does not give its cause on).
fn csv_error(error: csv::Error) -> ExportError {
    if !error.is_io_error() {
        return ExportError::Csv(error);
    }
    match error.into_kind() {
        csv::ErrorKind::Io(io) => ExportError::Io(io),
        other => ExportError::Io(std::io::Error::other(format!("{other:?}"))),
    }
}

/// One line per row, after the header (rows written in turns make the same bytes as all at
/// once: a line depends on its row only).
pub(super) fn write_rows(
    out: &mut dyn Write,
    rows: &[OutreachRow],
    lang: Lang,
) -> Result<(), ExportError> {
    let mut writer = writer(out);
    for row in rows {
        let mut record = cells(row, lang);
        for (i, cell) in record.iter_mut().enumerate() {
            if COLUMNS[i] != "score" && COLUMNS[i] != "cases" {
                *cell = defuse_formula(cell);
            }
        }
        writer.write_record(&record).map_err(csv_error)?;
    }
    writer.flush()?;
    Ok(())
}

fn writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out)
}

/// Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a
/// leading apostrophe, so a record's text can never execute when the CSV is opened.
pub(crate) fn defuse_formula(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_plain_text_kept() {
        assert_eq!(defuse_formula("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse_formula("膵がん"), "膵がん");
        assert_eq!(defuse_formula(""), "");
    }
}
