//! JSON export: the match reports (contract shape) with a `contact` object per item, a
//! top-level `privacy` note and the `generated` date. One report is one object (its `subject`,
//! `datasets`, `partners`, `proposals` at the top, as `musubi match --format json` promises);
//! several are listed under `reports`.

use super::rows::{ContactStatus, OutreachRow, PRIVACY_NOTE};
use super::ExportError;
use crate::consent::Date;
use crate::matching::MatchReport;
use serde_json::{json, Map, Value};

/// The JSON bytes, pretty-printed.
pub(super) fn render(
    reports: &[MatchReport],
    rows: &[OutreachRow],
    date: Date,
    always_list: bool,
) -> Result<Vec<u8>, ExportError> {
    let mut row_iter = rows.iter();
    let mut out_reports = Vec::with_capacity(reports.len());
    for report in reports {
        let mut value = serde_json::to_value(report)?;
        for (section, _) in report.sections() {
            let key = section.to_ascii_lowercase();
            let Some(Value::Array(items)) = value.get_mut(&key) else {
                continue;
            };
            for item in items.iter_mut() {
                // Rows were built in the same report, section and rank order.
                if let (Value::Object(obj), Some(row)) = (item, row_iter.next()) {
                    obj.insert("contact".into(), contact(row));
                }
            }
        }
        out_reports.push(value);
    }
    let mut top = Map::new();
    top.insert("privacy".into(), Value::String(PRIVACY_NOTE.into()));
    top.insert("generated".into(), Value::String(date.to_string()));
    match <[Value; 1]>::try_from(out_reports) {
        Ok([Value::Object(single)]) if !always_list => top.extend(single),
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

fn contact(row: &OutreachRow) -> Value {
    let shown =
        |s: &str| (row.contact == ContactStatus::Consented && !s.is_empty()).then(|| s.to_string());
    json!({
        "organisation": (!row.organisation.is_empty()).then(|| row.organisation.clone()),
        "contact_name": shown(&row.contact_name),
        "email": shown(&row.email),
        "note": row.contact.note(),
    })
}
