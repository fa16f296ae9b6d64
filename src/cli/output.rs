//! Shared output helpers of the subcommands: terminal tables that fit 80 columns.

use comfy_table::{Cell, CellAlignment, ContentArrangement, Table};

/// No borders, one rule under the header: easy to read and to copy into a mail.
const HEADER_RULE_ONLY: &str = "     ──            ";

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
    t.load_preset(HEADER_RULE_ONLY)
        .set_content_arrangement(ContentArrangement::DynamicFullWidth)
        .set_width(width)
        .set_header(header.iter().map(Cell::new));
    t
}

/// Columns left for one flexible column once the others (given by their widest content) and
/// the padding are counted.
pub fn remaining_width(width: u16, other_columns: &[usize]) -> usize {
    // Two columns of padding per column, one between columns, one at each edge.
    let padding = 3 * (other_columns.len() + 1) + 1;
    (width as usize)
        .saturating_sub(other_columns.iter().sum::<usize>() + padding)
        .max(10)
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
        t.add_row(vec![
            Cell::new("DS-C02"),
            Cell::new("Pediatric medulloblastoma WGS"),
            number("0.50"),
        ]);
        let text = t.to_string();
        let widths: Vec<usize> = text.lines().map(UnicodeWidthStr::width).collect();
        assert!(widths.iter().all(|w| *w <= 80), "{text}");
        assert!(
            widths.windows(2).all(|w| w[0] == w[1]),
            "rows differ in width:\n{text}"
        );
    }
}
