//! The draft application in Markdown (pastes into a mail or a word processor).

use super::document::{Block, DraftDocument};
use std::fmt::Write as _;

/// `doc` in Markdown.
pub fn markdown(doc: &DraftDocument) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# {}\n\n_{}_ ({})\n", doc.title, doc.note, doc.date);
    for section in &doc.sections {
        let _ = writeln!(md, "## {}\n", section.heading);
        for block in &section.blocks {
            match block {
                Block::Bullets(items) => {
                    for item in items {
                        let _ = writeln!(md, "- {item}");
                    }
                }
                Block::Quote(lines) => {
                    for line in lines {
                        let _ = writeln!(md, "> {line}");
                    }
                }
                Block::Subheading(text) => {
                    let _ = writeln!(md, "### {text}");
                }
                Block::CodeTable { header, rows } => {
                    let _ = writeln!(
                        md,
                        "| {} | {} | {} |\n|---|---|---|",
                        cell(&header[0]),
                        cell(&header[1]),
                        cell(&header[2])
                    );
                    for [code, meaning, action] in rows {
                        let _ = writeln!(
                            md,
                            "| `{}` | {} | {} |",
                            cell(code),
                            cell(meaning),
                            cell(action)
                        );
                    }
                }
            }
            md.push('\n');
        }
    }
    md
}

/// A table cell's text: a `|` would end the cell, a line break the row.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::document::Section;

    #[test]
    fn sections_become_headings_lists_quotes_and_a_table() {
        let doc = DraftDocument {
            title: "T".into(),
            note: "n".into(),
            date: "2026-11-27".into(),
            holds_contact: false,
            sections: vec![Section {
                heading: "H".into(),
                blocks: vec![
                    Block::Bullets(vec!["a".into()]),
                    Block::Quote(vec!["q1".into(), "q2".into()]),
                    Block::Subheading("S".into()),
                    Block::CodeTable {
                        header: ["C".into(), "M".into(), "A".into()],
                        rows: vec![["DS:a|b".into(), "m\nx".into(), "do".into()]],
                    },
                ],
            }],
        };
        assert_eq!(
            markdown(&doc),
            "# T\n\n_n_ (2026-11-27)\n\n## H\n\n- a\n\n> q1\n> q2\n\n### S\n\n\
             | C | M | A |\n|---|---|---|\n| `DS:a\\|b` | m x | do |\n\n"
        );
    }
}
