//! The draft application as a Word document (`.docx`): the same title, sections, lists, quote
//! and data-use table as the Markdown draft, with real headings, bullets and a table.

use super::document::{Block, DraftDocument};
use docx_rs::{
    AbstractNumbering, Docx, IndentLevel, Level, LevelJc, LevelText, NumberFormat, Numbering,
    NumberingId, Paragraph, Run, RunFonts, SpecialIndentType, Start, Style, StyleType, Table,
    TableCell, TableRow,
};
use std::io::{self, Cursor};

/// The numbering (list definition) that draws bullets: docx-rs already defines a numbered list
/// with id 1, so the bullets take 2.
const BULLETS: usize = 2;

/// `doc` as the bytes of a `.docx` file.
pub fn docx(doc: &DraftDocument) -> io::Result<Vec<u8>> {
    let stamp = format!("{}T00:00:00Z", doc.date);
    let mut word = styled(Docx::new())
        .created_at(&stamp)
        .updated_at(&stamp)
        .add_abstract_numbering(
            AbstractNumbering::new(BULLETS).add_level(
                Level::new(
                    0,
                    Start::new(1),
                    NumberFormat::new("bullet"),
                    LevelText::new("•"),
                    LevelJc::new("left"),
                )
                .indent(
                    Some(720),
                    Some(SpecialIndentType::Hanging(360)),
                    None,
                    None,
                ),
            ),
        )
        .add_numbering(Numbering::new(BULLETS, BULLETS))
        .add_paragraph(text(&doc.title).style("Title"))
        .add_paragraph(
            Paragraph::new().add_run(
                Run::new()
                    .add_text(xml_safe(&format!("{} ({})", doc.note, doc.date)))
                    .italic(),
            ),
        );
    for section in &doc.sections {
        word = word.add_paragraph(text(&section.heading).style("Heading1"));
        for block in &section.blocks {
            word = match block {
                Block::Bullets(items) => items.iter().fold(word, |w, item| {
                    w.add_paragraph(
                        text(item).numbering(NumberingId::new(BULLETS), IndentLevel::new(0)),
                    )
                }),
                Block::Quote(lines) => lines.iter().fold(word, |w, line| {
                    w.add_paragraph(
                        Paragraph::new()
                            .add_run(Run::new().add_text(xml_safe(line)).italic())
                            .indent(Some(567), None, None, None),
                    )
                }),
                Block::Subheading(heading) => word.add_paragraph(text(heading).style("Heading2")),
                Block::CodeTable { header, rows } => {
                    let head = TableRow::new(header.iter().map(|h| bold_cell(h)).collect());
                    let body = rows
                        .iter()
                        .map(|row| TableRow::new(row.iter().map(|c| cell(c)).collect()));
                    word.add_table(Table::new(std::iter::once(head).chain(body).collect()))
                }
            };
        }
    }
    let mut bytes = Cursor::new(Vec::new());
    word.build()
        .pack(&mut bytes)
        .map_err(|e| io::Error::other(format!("could not build the Word document: {e}")))?;
    Ok(bytes.into_inner())
}

/// The document's own styles: a title and two heading levels (Word's outline sees them), with
/// a Japanese font for kanji and kana.
fn styled(word: Docx) -> Docx {
    word.default_fonts(RunFonts::new().east_asia("Yu Mincho"))
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .size(36)
                .bold(),
        )
        .add_style(
            Style::new("Heading1", StyleType::Paragraph)
                .name("Heading 1")
                .size(28)
                .bold()
                .outline_lvl(0),
        )
        .add_style(
            Style::new("Heading2", StyleType::Paragraph)
                .name("Heading 2")
                .size(24)
                .bold()
                .outline_lvl(1),
        )
}

fn text(s: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(xml_safe(s)))
}

/// XML 1.0 cannot hold control characters: a stray one in a data file must not make the
/// document unreadable.
fn xml_safe(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || *c == '\t')
        .collect()
}

fn cell(s: &str) -> TableCell {
    TableCell::new().add_paragraph(text(s))
}

fn bold_cell(s: &str) -> TableCell {
    TableCell::new()
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text(xml_safe(s)).bold()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::document::Section;
    use std::io::Read;

    fn part(bytes: &[u8], name: &str) -> String {
        let mut archive =
            zip::ZipArchive::new(Cursor::new(bytes.to_vec())).expect("a zip container");
        let mut xml = String::new();
        archive
            .by_name(name)
            .expect("the part exists")
            .read_to_string(&mut xml)
            .expect("UTF-8");
        xml
    }

    fn document_xml(bytes: Vec<u8>) -> String {
        part(&bytes, "word/document.xml")
    }

    #[test]
    fn bullets_are_a_bullet_list_of_their_own() {
        let doc = DraftDocument {
            title: "T".into(),
            note: "n".into(),
            date: "2026-11-27".into(),
            holds_contact: false,
            sections: vec![Section {
                heading: "H".into(),
                blocks: vec![Block::Bullets(vec!["a".into(), "b".into()])],
            }],
        };
        let bytes = docx(&doc).expect("builds");
        let document = part(&bytes, "word/document.xml");
        assert_eq!(
            document
                .matches(&format!("<w:numId w:val=\"{BULLETS}\""))
                .count(),
            2
        );
        let numbering = part(&bytes, "word/numbering.xml");
        let ours = format!("<w:abstractNum w:abstractNumId=\"{BULLETS}\"");
        assert_eq!(
            numbering.matches(&ours).count(),
            1,
            "one definition: {numbering}"
        );
        let definition = &numbering[numbering.find(&ours).unwrap_or(0)..];
        let definition = &definition[..definition.find("</w:abstractNum>").unwrap_or(0)];
        assert!(
            definition.contains("<w:numFmt w:val=\"bullet\""),
            "{definition}"
        );
        assert!(
            numbering.contains(&format!(
                "<w:num w:numId=\"{BULLETS}\"><w:abstractNumId w:val=\"{BULLETS}\""
            )),
            "{numbering}"
        );
    }

    #[test]
    fn markup_and_control_characters_in_the_data_cannot_break_the_document() {
        let doc = DraftDocument {
            title: "T".into(),
            note: "n".into(),
            date: "2026-11-27".into(),
            holds_contact: false,
            sections: vec![Section {
                heading: "H".into(),
                blocks: vec![
                    Block::Quote(vec!["a<b & c\u{1b}[31m".into()]),
                    Block::CodeTable {
                        header: ["C".into(), "M".into(), "A".into()],
                        rows: vec![["GS:JP".into(), "m".into(), "x".into()]],
                    },
                ],
            }],
        };
        let xml = document_xml(docx(&doc).expect("builds"));
        assert!(xml.contains("a&lt;b &amp; c[31m"), "{xml}");
        assert!(!xml.contains('\u{1b}'));
        assert_eq!(xml.matches("</w:tr>").count(), 2, "header and one row");
    }
}
