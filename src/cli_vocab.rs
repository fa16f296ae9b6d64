//! `musubi vocab resolve` and `musubi vocab show`: the vocabulary's answers printed as an
//! 80-column table or as JSON. Plain functions; the CLI wires them to its sub-commands.

use crate::vocab::{Concept, Vocabulary};
use anyhow::bail;
use std::io::Write;
use unicode_width::UnicodeWidthStr;

/// Width of the table output.
const WIDTH: usize = 80;

/// Cuts `text` to at most `width` terminal columns, marking a cut with `…`.
fn fit(text: &str, width: usize) -> String {
    crate::width::truncate_to_width(text, width)
}

/// Writes `label: value` lines wrapped to [`WIDTH`] columns, indenting continuation lines.
fn field(out: &mut dyn Write, label: &str, items: &[String]) -> std::io::Result<()> {
    joined(out, label, items, ", ")
}

/// Like [`field`] with another separator (` → ` for paths).
fn joined(out: &mut dyn Write, label: &str, items: &[String], sep: &str) -> std::io::Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    let indent = label.width() + 2;
    let mut line = format!("{label}: ");
    let mut used = indent;
    for (i, item) in items.iter().enumerate() {
        let piece = if i + 1 < items.len() {
            format!("{item}{sep}")
        } else {
            item.clone()
        };
        let piece = fit(&piece, WIDTH - indent);
        if used + piece.width() > WIDTH && used > indent {
            writeln!(out, "{}", line.trim_end())?;
            line = " ".repeat(indent);
            used = indent;
        }
        used += piece.width();
        line.push_str(&piece);
    }
    writeln!(out, "{}", line.trim_end())
}

fn anchors(c: &Concept) -> Vec<String> {
    let mut a: Vec<String> = c.icd10.iter().map(|x| format!("ICD-10 {x}")).collect();
    a.extend(c.nando.iter().map(|x| format!("NANDO {x}")));
    a.extend(c.mondo.iter().cloned());
    a
}

fn path_labels(vocab: &Vocabulary, path: &[&Concept], japanese: bool) -> Vec<String> {
    path.iter().map(|c| vocab.label(&c.id, japanese)).collect()
}

/// Prints what `text` resolves to: concepts, how they matched, their paths to the root in
/// both languages and their anchors; `json` for machine-readable output.
pub fn print_resolve(
    vocab: &Vocabulary,
    text: &str,
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let found = vocab.resolve(text);
    if json {
        let items: Vec<serde_json::Value> = found
            .iter()
            .map(|r| {
                let c = vocab.concept(&r.concept);
                let paths: Vec<Vec<&str>> = vocab
                    .paths_to_root(&r.concept)
                    .iter()
                    .map(|p| p.iter().map(|c| c.id.as_str()).collect())
                    .collect();
                serde_json::json!({
                    "resolution": r,
                    "name_ja": c.map(|c| c.name_ja.as_str()),
                    "name_en": c.map(|c| c.name_en.as_str()),
                    "kind": c.map(|c| c.kind),
                    "paths_to_root": paths,
                    "icd10": c.map(|c| &c.icd10),
                    "nando": c.map(|c| &c.nando),
                    "mondo": c.map(|c| &c.mondo),
                })
            })
            .collect();
        let doc = serde_json::json!({ "text": text, "resolutions": items });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        return Ok(());
    }
    if found.is_empty() {
        writeln!(
            out,
            "{}",
            fit(&format!("\"{text}\": no concept found"), WIDTH)
        )?;
        let closest = vocab.closest(text, 5);
        field(out, "closest", &closest)?;
        return Ok(());
    }
    if found.len() > 1 && found[0].confidence == found[1].confidence {
        writeln!(
            out,
            "{}",
            fit(
                &format!("\"{text}\" is ambiguous: {} concepts", found.len()),
                WIDTH
            )
        )?;
    }
    for r in &found {
        let Some(c) = vocab.concept(&r.concept) else {
            continue;
        };
        writeln!(out, "{}", "─".repeat(WIDTH))?;
        let head = format!(
            "{}  {} / {}",
            c.id,
            vocab.label(&c.id, true),
            vocab.label(&c.id, false)
        );
        writeln!(out, "{}", fit(&head, WIDTH))?;
        let how = format!(
            "{} \"{}\", confidence {:.2}",
            r.method, r.matched, r.confidence
        );
        field(out, "match", &[how])?;
        for path in vocab.paths_to_root(&c.id).iter().take(3) {
            joined(out, "path", &path_labels(vocab, path, true), " → ")?;
            joined(out, "    ", &path_labels(vocab, path, false), " → ")?;
        }
        field(out, "anchors", &anchors(c))?;
    }
    Ok(())
}

/// Prints one concept: names, kind, synonyms, parents, children, anchors. An unknown id is an
/// error naming the closest ids.
pub fn print_show(vocab: &Vocabulary, id: &str, out: &mut dyn Write) -> anyhow::Result<()> {
    let Some(c) = vocab.concept(id) else {
        let closest = vocab.closest(id, 5);
        bail!("unknown concept \"{id}\"; closest: {}", closest.join(", "));
    };
    writeln!(out, "{}", fit(&format!("{}  ({:?})", c.id, c.kind), WIDTH))?;
    field(out, "ja", std::slice::from_ref(&c.name_ja))?;
    field(out, "en", std::slice::from_ref(&c.name_en))?;
    field(out, "synonyms (ja)", &c.synonyms_ja)?;
    field(out, "synonyms (en)", &c.synonyms_en)?;
    let named = |ids: Vec<&str>| -> Vec<String> {
        ids.into_iter()
            .map(|p| format!("{p} ({})", vocab.label(p, true)))
            .collect()
    };
    field(
        out,
        "parents",
        &named(c.parents.iter().map(String::as_str).collect()),
    )?;
    field(out, "children", &named(vocab.children(id)))?;
    field(out, "anchors", &anchors(c))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(f: impl Fn(&mut Vec<u8>) -> anyhow::Result<()>) -> String {
        let mut buf = Vec::new();
        f(&mut buf).ok();
        String::from_utf8(buf).unwrap_or_default()
    }

    #[test]
    fn resolve_table_fits_80_columns_and_shows_both_languages() {
        let v = Vocabulary::builtin();
        let text = render(|b| print_resolve(v, "急性骨髄性白血病", false, b));
        assert!(text.contains("aml"), "{text}");
        assert!(text.contains("血液がん"), "{text}");
        assert!(text.contains("hematologic cancer"), "{text}");
        for line in text.lines() {
            assert!(line.width() <= WIDTH, "too wide: {line}");
        }
    }

    #[test]
    fn resolve_json_carries_method_and_paths() {
        let v = Vocabulary::builtin();
        let text = render(|b| print_resolve(v, "DLBCL (relapsed)", true, b));
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(doc["resolutions"][0]["resolution"]["concept"], "dlbcl");
        assert_eq!(doc["resolutions"][0]["resolution"]["method"], "qualified");
        assert!(doc["resolutions"][0]["paths_to_root"][0].is_array());
    }

    #[test]
    fn show_lists_children_and_unknown_ids_name_the_closest() {
        let v = Vocabulary::builtin();
        let text = render(|b| print_show(v, "lung_cancer", b));
        assert!(text.contains("nsclc"), "{text}");
        for line in text.lines() {
            assert!(line.width() <= WIDTH, "too wide: {line}");
        }
        let mut buf = Vec::new();
        let err = print_show(v, "lung_cancr", &mut buf)
            .err()
            .map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("lung_cancer")));
    }
}
