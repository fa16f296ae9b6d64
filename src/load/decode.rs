//! Bytes of a data file → text: UTF-8 with or without a BOM; Shift_JIS accepted for CSV only.
//!
//! Coordinators' Excel exports of CSV are often Shift_JIS (CP932), so a CSV file that is not
//! UTF-8 but decodes cleanly as Shift_JIS is read that way, with a warning. JSON, JSONL and TOML
//! must be UTF-8 (their specifications say so, and tools that write them do).

use super::diagnostic::Diagnostic;
use super::naming::Format;
use std::borrow::Cow;

/// The text of a file, or the error that names why it has none. Warnings go to `warnings`.
pub fn decode<'a>(
    name: &str,
    bytes: &'a [u8],
    format: Format,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Cow<'a, str>, Diagnostic> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::error(
            name,
            None,
            None,
            "UTF-16 text: save the file as UTF-8",
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Cow::Borrowed(text)),
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            if format == Format::Csv {
                let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
                if !had_errors {
                    warnings.push(Diagnostic::warning(
                        name,
                        None,
                        None,
                        "read as Shift_JIS (not UTF-8): save the file as UTF-8 to be sure",
                    ));
                    return Ok(Cow::Owned(text.into_owned()));
                }
                return Err(Diagnostic::error(
                    name,
                    Some(line),
                    None,
                    "neither UTF-8 nor Shift_JIS text: save the file as UTF-8",
                ));
            }
            Err(Diagnostic::error(
                name,
                Some(line),
                None,
                "not UTF-8 text: save the file as UTF-8",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_dropped() {
        let mut w = Vec::new();
        let text = decode("a.csv", b"\xEF\xBB\xBFid\n", Format::Csv, &mut w);
        assert_eq!(text.as_deref(), Ok("id\n"));
        assert!(w.is_empty());
    }

    #[test]
    fn shift_jis_csv_is_read_with_a_warning() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("id,title\nds-1,膵がん\n");
        let mut w = Vec::new();
        let text = decode("datasets.csv", &bytes, Format::Csv, &mut w);
        assert_eq!(text.as_deref(), Ok("id,title\nds-1,膵がん\n"));
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn non_utf8_json_is_an_error_with_its_line() {
        let mut w = Vec::new();
        let err = decode(
            "datasets.json",
            b"[\n{\"id\": \"\xFF\"}]",
            Format::Json,
            &mut w,
        );
        assert_eq!(
            err.map_err(|d| d.to_string()),
            Err("datasets.json:2: not UTF-8 text: save the file as UTF-8".to_string())
        );
    }

    #[test]
    fn utf16_is_named() {
        let mut w = Vec::new();
        let err = decode("a.csv", b"\xFF\xFEi\0d\0", Format::Csv, &mut w);
        assert_eq!(
            err.map_err(|d| d.message),
            Err("UTF-16 text: save the file as UTF-8".to_string())
        );
    }
}
