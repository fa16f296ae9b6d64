//! Shared output helpers of the subcommands: terminal tables that fit 80 columns.

use comfy_table::{presets, Cell, CellAlignment, ContentArrangement, Table};

/// Width tables are fitted to: the terminal's, or 80 columns when not on a terminal.
pub fn table_width() -> u16 {
    crossterm::terminal::size()
        .ok()
        .map(|(w, _)| w)
        .filter(|w| *w >= 40)
        .unwrap_or(80)
}

/// A table with a header row, fitted to `width` columns (full-width characters count two).
pub fn table(header: &[&str], width: u16) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_HORIZONTAL_ONLY)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width)
        .set_header(header.iter().map(|h| Cell::new(h)));
    t
}

/// A right-aligned number cell.
pub fn number(text: impl ToString) -> Cell {
    Cell::new(text.to_string()).set_alignment(CellAlignment::Right)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn japanese_rows_fit_eighty_columns_and_align() {
        let mut t = table(&["id", "title", "score"], 80);
        t.add_row(vec![
            Cell::new("DS-C01"),
            Cell::new("小児固形腫瘍 全ゲノム解析コホート（神経芽腫・肝芽腫・腎芽腫・横紋筋肉腫を含む多施設共同研究）"),
            number("0.91"),
        ]);
        t.add_row(vec![Cell::new("DS-C02"), Cell::new("Pediatric medulloblastoma WGS"), number("0.50")]);
        let text = t.to_string();
        let widths: Vec<usize> = text.lines().map(UnicodeWidthStr::width).collect();
        assert!(widths.iter().all(|w| *w <= 80), "{text}");
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "rows differ in width:\n{text}");
    }
}
