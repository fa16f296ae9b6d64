//! Plain tables (a header and rows of text) as CSV, Markdown or XLSX: the outputs of the
//! outreach log, the gap report and the news, which are lists rather than match reports.

use super::ExportError;
use rust_xlsxwriter::{Format, Workbook};
use std::io::Write;

/// A header and rows of text, all rows as long as the header.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    /// The worksheet's name in XLSX (at most 31 characters).
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Sheet {
    /// An empty sheet with these columns.
    pub fn new(name: &str, header: &[&str]) -> Sheet {
        Sheet {
            name: name.to_string(),
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row, padded or cut to the header's length.
    pub fn push(&mut self, mut row: Vec<String>) {
        row.resize(self.header.len(), String::new());
        self.rows.push(row);
    }

    /// CSV for spreadsheets: UTF-8 with a BOM, CRLF, formulas defused.
    pub fn to_csv(&self) -> Result<Vec<u8>, ExportError> {
        let header: Vec<&str> = self.header.iter().map(String::as_str).collect();
        let mut csv = CsvRows::start(Vec::new(), &header)?;
        for row in &self.rows {
            csv.row(row)?;
        }
        csv.finish()
    }

    /// A Markdown table (pipes and line breaks in cells escaped).
    pub fn to_markdown(&self) -> String {
        let cell = |c: &str| without_controls(&c.replace('|', "\\|").replace(['\n', '\r'], " "));
        let mut out = format!(
            "| {} |\n|{}\n",
            self.header.join(" | "),
            "---|".repeat(self.header.len())
        );
        for row in &self.rows {
            let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        out
    }

    /// A workbook of one sheet, header bold and frozen, with a filter over the columns.
    pub fn to_xlsx(&self) -> Result<Vec<u8>, ExportError> {
        let mut workbook = Workbook::new();
        let bold = Format::new().set_bold();
        let sheet = workbook.add_worksheet();
        let name: String = self.name.chars().take(31).collect();
        sheet.set_name(if name.is_empty() { "Sheet1" } else { &name })?;
        for (col, title) in self.header.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, title, &bold)?;
            sheet.set_column_width(col as u16, 18.0)?;
        }
        for (i, row) in self.rows.iter().enumerate() {
            for (col, text) in row.iter().enumerate() {
                let clipped: String = text.chars().take(32_767).collect();
                sheet.write_string((i + 1) as u32, col as u16, clipped)?;
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        if !self.header.is_empty() {
            sheet.autofilter(0, 0, self.rows.len() as u32, (self.header.len() - 1) as u16)?;
        }
        Ok(workbook.save_to_buffer()?)
    }
}

/// A sheet's CSV written a row at a time, as [`Sheet::to_csv`] writes it whole (the same
/// bytes): for a list too long to hold, such as every subject's news at a million records.
pub struct CsvRows<W: Write> {
    writer: csv::Writer<W>,
    columns: usize,
}

impl<W: Write> CsvRows<W> {
    /// Writes the byte-order mark and the header.
    pub fn start(mut out: W, header: &[&str]) -> Result<CsvRows<W>, ExportError> {
        out.write_all(b"\xEF\xBB\xBF")?;
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        writer.write_record(header)?;
        Ok(CsvRows {
            writer,
            columns: header.len(),
        })
    }

    /// Writes a row, padded or cut to the header's length.
    pub fn row(&mut self, row: &[String]) -> Result<(), ExportError> {
        let cells = row
            .iter()
            .map(|c| super::csv_out::defuse_formula(&without_controls(c)))
            .chain(std::iter::repeat(String::new()))
            .take(self.columns);
        Ok(self.writer.write_record(cells)?)
    }

    /// The output, every row written to it.
    pub fn finish(self) -> Result<W, ExportError> {
        self.writer
            .into_inner()
            .map_err(|e| ExportError::Csv(e.into_error().into()))
    }
}

/// Text without control characters other than tab and line breaks: these files are often
/// printed to a terminal, where an escape sequence from a record or a note must never arrive.
fn without_controls(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet() -> Sheet {
        let mut s = Sheet::new("Gaps", &["id", "why"]);
        s.push(vec!["N01".into(), "=cmd|x".into()]);
        s.push(vec!["N02".into()]);
        s.push(vec!["N03".into(), "a\u{1b}[2Jb".into()]);
        s
    }

    #[test]
    fn csv_has_a_bom_and_defused_formulas() {
        let bytes = sheet().to_csv().unwrap_or_default();
        let text = String::from_utf8(bytes).unwrap_or_default();
        assert!(text.starts_with("\u{feff}id,why\r\n"), "{text}");
        assert!(text.contains("N01,'=cmd|x\r\n"), "{text}");
        assert!(text.contains("N02,\r\n"), "{text}");
        assert!(text.contains("N03,a[2Jb\r\n"), "{text}");
    }

    #[test]
    fn markdown_escapes_pipes() {
        let md = sheet().to_markdown();
        assert!(md.starts_with("| id | why |\n|---|---|\n"), "{md}");
        assert!(md.contains("| N01 | =cmd\\|x |"), "{md}");
        assert!(!md.contains('\u{1b}'), "{md}");
    }

    #[test]
    fn xlsx_is_a_zip() {
        let bytes = sheet().to_xlsx().unwrap_or_default();
        assert!(bytes.starts_with(b"PK"));
    }
}
