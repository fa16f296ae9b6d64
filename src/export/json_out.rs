//! JSON export: the match reports (contract shape) with a `contact` object per item, a
//! top-level `privacy` note and the `generated` date. One report is one object (its `subject`,
//! `datasets`, `partners`, `proposals` at the top, as `musubi match --format json` promises);
//! several are listed under `reports`. Blocked and for-review datasets are left out unless
//! asked for (`left_out` counts them).

use super::rows::{ContactStatus, OutreachRow, OutreachRows};
use super::{left_out_note, privacy_note, ExportError, ExportOptions};
use crate::matching::MatchReport;
use serde_json::{json, Map, Value};

/// The JSON bytes, pretty-printed.
pub(super) fn render(
    reports: &[MatchReport],
    rows: &OutreachRows,
    options: &ExportOptions,
) -> Result<Vec<u8>, ExportError> {
    let out_reports = report_values(reports, rows, options)?;
    let mut top = head(rows.left_out, options);
    match <[Value; 1]>::try_from(out_reports) {
        Ok([Value::Object(single)]) if !options.always_list => top.extend(single),
        Ok([other]) => {
            top.insert("reports".into(), Value::Array(vec![other]));
        }
        Err(many) => {
            top.insert("reports".into(), Value::Array(many));
        }
    }
    let mut bytes = serde_json::to_vec_pretty(&Value::Object(top))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Each report as written: the items an export leaves out removed, a `contact` on the rest.
/// `rows` are the reports' rows, in the same report, section and rank order.
pub(super) fn report_values(
    reports: &[MatchReport],
    rows: &OutreachRows,
    options: &ExportOptions,
) -> Result<Vec<Value>, ExportError> {
    let mut row_iter = rows.rows.iter();
    let mut out_reports = Vec::with_capacity(reports.len());
    for report in reports {
        let mut value = serde_json::to_value(report)?;
        for (section, _) in report.sections() {
            let key = section.to_ascii_lowercase();
            let Some(Value::Array(items)) = value.get_mut(&key) else {
                continue;
            };
            if !options.include_blocked {
                items.retain(|item| !is_blocked(item));
            }
            for item in items.iter_mut() {
                // Rows were built in the same report, section and rank order.
                if let (Value::Object(obj), Some(row)) = (item, row_iter.next()) {
                    obj.insert("contact".into(), contact(row, options));
                }
            }
        }
        out_reports.push(value);
    }
    Ok(out_reports)
}

/// The keys before the reports: the privacy note, the date, the language and what was left
/// out.
pub(super) fn head(left_out: usize, options: &ExportOptions) -> Map<String, Value> {
    let lang = options.lang;
    let mut top = Map::new();
    top.insert("privacy".into(), Value::String(privacy_note(lang).into()));
    top.insert("generated".into(), Value::String(options.date.to_string()));
    top.insert("lang".into(), Value::String(lang.code().into()));
    top.insert("left_out".into(), json!(left_out));
    if let Some(note) = left_out_note(left_out, lang) {
        top.insert("left_out_note".into(), Value::String(note));
    }
    top
}

/// An item the consent rules block or leave for review (as serialised).
fn is_blocked(item: &Value) -> bool {
    item.get("blocked").is_some_and(|b| !b.is_null())
        || matches!(
            item.get("verdict").and_then(Value::as_str),
            Some("blocked" | "review")
        )
}

fn contact(row: &OutreachRow, options: &ExportOptions) -> Value {
    let shown =
        |s: &str| (row.contact == ContactStatus::Consented && !s.is_empty()).then(|| s.to_string());
    json!({
        "organisation": (!row.organisation.is_empty()).then(|| row.organisation.clone()),
        "contact_name": shown(&row.contact_name),
        "email": shown(&row.email),
        "note": row.contact.note_in(options.lang),
    })
}
