//! `musubi search` output beyond the table of hits: the CSV of hits and the facet counts.

use crate::export::csv_out::{defuse_formula, BOM};
use crate::facets::FacetCount;
use crate::search::Hit;
use crate::terminal_text::one_line;
use serde_json::{json, Map, Value};
use std::io::Write;

/// The columns of `search --format csv`.
pub const COLUMNS: [&str; 5] = ["id", "kind", "title", "title_en", "score"];

/// Writes the hits as CSV: UTF-8 with a BOM and CRLF line ends like the match CSV, text cells
/// that a spreadsheet would run as formulas defused.
pub fn write(hits: &[Hit], out: &mut dyn Write) -> anyhow::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(BOM.to_vec());
    writer.write_record(COLUMNS)?;
    for hit in hits {
        let title_en = hit
            .record()
            .as_ref()
            .and_then(|r| r.title_en().map(str::to_string))
            .unwrap_or_default();
        writer.write_record([
            defuse_formula(&hit.id),
            hit.kind.as_str().to_string(),
            defuse_formula(&hit.title),
            defuse_formula(&title_en),
            format!("{:.3}", hit.score),
        ])?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| anyhow::anyhow!("CSV: {}", e.error()))?;
    out.write_all(&bytes)?;
    Ok(())
}

/// The facet counts as JSON: `{"area": [{"value": "cancer", "count": 8}, …], …}`.
pub fn facets_json(counts: &[FacetCount]) -> Value {
    let mut map = Map::new();
    for c in counts {
        let values: Vec<Value> = c
            .values
            .iter()
            .map(|(value, count)| json!({ "value": value, "count": count }))
            .collect();
        map.insert(c.facet.name().to_string(), Value::Array(values));
    }
    Value::Object(map)
}

/// The facet counts under the table: one line per facet, values most frequent first.
pub fn write_facets_table(counts: &[FacetCount], out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(out)?;
    if counts.is_empty() {
        writeln!(out, "Facets: none among the matches.")?;
        return Ok(());
    }
    writeln!(
        out,
        "Facets over all matches (--filter FACET=VALUE narrows; a facet's own filter is not applied to its counts):"
    )?;
    let width = counts
        .iter()
        .map(|c| c.facet.name().len())
        .max()
        .unwrap_or(0);
    for c in counts {
        let values: Vec<String> = c
            .values
            .iter()
            .map(|(value, count)| format!("{} {count}", one_line(value)))
            .collect();
        writeln!(out, "  {:<width$}  {}", c.facet.name(), values.join(", "))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facets::Facet;
    use crate::model::Kind;

    fn hit(id: &str, title: &str) -> Hit {
        Hit {
            id: id.into(),
            kind: Kind::Dataset,
            title: title.into(),
            score: 1.5,
            matched_all: true,
            record_json: None,
        }
    }

    #[test]
    fn csv_has_a_bom_crlf_and_defused_formulas() {
        let mut out = Vec::new();
        write(
            &[hit("DS-1", "=HYPERLINK(\"x\")"), hit("DS-2", "膵がん")],
            &mut out,
        )
        .expect("csv");
        assert!(out.starts_with(BOM));
        let text = String::from_utf8(out[BOM.len()..].to_vec()).expect("utf-8");
        assert_eq!(
            text,
            "id,kind,title,title_en,score\r\nDS-1,dataset,\"'=HYPERLINK(\"\"x\"\")\",,1.500\r\nDS-2,dataset,膵がん,,1.500\r\n"
        );
    }

    #[test]
    fn facets_print_as_named_lists() {
        let counts = vec![FacetCount {
            facet: Facet::DataUse,
            values: vec![("HMB".into(), 3), ("NCU".into(), 1)],
        }];
        assert_eq!(
            facets_json(&counts),
            json!({"data-use": [{"value": "HMB", "count": 3}, {"value": "NCU", "count": 1}]})
        );
        let mut out = Vec::new();
        write_facets_table(&counts, &mut out).expect("table");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.ends_with("  data-use  HMB 3, NCU 1\n"), "{text}");
    }
}
