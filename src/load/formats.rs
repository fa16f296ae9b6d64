//! Text of a data file → raw records (field name, JSON value, line), one parser per format.
//!
//! Nothing here knows the fields of a kind: the records come out as name/value pairs with the
//! line each value sits on, and `records` turns them into typed records.

use super::diagnostic::Diagnostic;
use super::naming::Format;
use crate::model::Kind;
use serde_json::value::RawValue;
use serde_json::Value;

/// One field of a raw record as written in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct RawField {
    pub name: String,
    pub value: Value,
    /// The line the value starts on.
    pub line: usize,
}

/// One record as written in the file, before its fields are checked.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRecord {
    /// The line the record starts on (a CSV row's line; the header is line 1).
    pub line: usize,
    pub fields: Vec<RawField>,
}

/// Every record of `text`, as [`parse_each`] hands them out (for tests).
#[cfg(test)]
pub fn parse(
    name: &str,
    text: &str,
    format: Format,
    kind: Kind,
    out: &mut Vec<Diagnostic>,
) -> Vec<RawRecord> {
    let mut records = Vec::new();
    parse_each(name, text, format, kind, out, &mut |raw| records.push(raw));
    records
}

/// Parses `text` (the whole file) in `format` and hands each record to `each`; problems go to
/// `out`. A malformed file yields no records and one error at the line where it goes wrong.
/// JSON and JSON Lines records are handed out as soon as each is read, never all held at once
/// (a file of a million records would hold a million parsed values); a TOML or CSV file is
/// parsed whole first, since one malformed row means no record of the file counts.
pub fn parse_each(
    name: &str,
    text: &str,
    format: Format,
    kind: Kind,
    out: &mut Vec<Diagnostic>,
    each: &mut dyn FnMut(RawRecord),
) {
    if text.trim().is_empty() {
        out.push(Diagnostic::warning(
            name,
            None,
            None,
            "empty file: no records",
        ));
        return;
    }
    match format {
        Format::Json => parse_json(name, text, out, each),
        Format::JsonLines => parse_json_lines(name, text, out, each),
        Format::Toml => parse_toml(name, text, kind, out).into_iter().for_each(each),
        Format::Csv => parse_csv(name, text, out).into_iter().for_each(each),
    }
}

/// Byte offsets of line starts, to turn offsets into 1-based line numbers.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines(starts)
    }

    fn line_of(&self, offset: usize) -> usize {
        self.0.partition_point(|start| *start <= offset)
    }
}

/// Where `part` (a slice borrowed from `whole`) starts in `whole`.
fn offset_in(whole: &str, part: &str) -> usize {
    (part.as_ptr() as usize)
        .checked_sub(whole.as_ptr() as usize)
        .filter(|o| *o <= whole.len())
        .unwrap_or(0)
}

/// serde_json's message without its " at line L column C" tail, plus the column.
fn json_error(name: &str, line_offset: usize, e: &serde_json::Error) -> Diagnostic {
    let text = e.to_string();
    let message = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(m, _)| m);
    Diagnostic::error(
        name,
        Some(line_offset + e.line()),
        None,
        format!("malformed JSON: {message} (column {})", e.column()),
    )
}

fn json_type_name(raw: &str) -> &'static str {
    match raw.trim_start().chars().next() {
        Some('[') => "a list",
        Some('"') => "text",
        Some('t' | 'f') => "a boolean",
        Some('n') => "null",
        _ => "a number",
    }
}

fn parse_json(name: &str, text: &str, out: &mut Vec<Diagnostic>, each: &mut dyn FnMut(RawRecord)) {
    let lines = Lines::new(text);
    let start = text.len() - text.trim_start().len();
    if !text[start..].starts_with('[') {
        out.push(Diagnostic::error(
            name,
            Some(lines.line_of(start)),
            None,
            "expected a JSON array of records ([ { … }, … ])",
        ));
        return;
    }
    let items: Vec<&RawValue> = match serde_json::from_str(text) {
        Ok(items) => items,
        Err(e) => {
            out.push(json_error(name, 0, &e));
            return;
        }
    };
    for item in items {
        let raw = item.get();
        let line = lines.line_of(offset_in(text, raw));
        let Ok(FieldList(map)) = serde_json::from_str::<FieldList<&RawValue>>(raw) else {
            out.push(Diagnostic::error(
                name,
                Some(line),
                None,
                format!("expected a record ({{ … }}), got {}", json_type_name(raw)),
            ));
            continue;
        };
        let mut fields = Vec::new();
        for (key, value) in map {
            match serde_json::from_str::<Value>(value.get()) {
                Ok(v) => fields.push(RawField {
                    name: key,
                    value: v,
                    line: lines.line_of(offset_in(text, value.get())),
                }),
                Err(e) => out.push(json_error(name, 0, &e)),
            }
        }
        each(RawRecord { line, fields });
    }
}

fn parse_json_lines(
    name: &str,
    text: &str,
    out: &mut Vec<Diagnostic>,
    each: &mut dyn FnMut(RawRecord),
) {
    for (index, line_text) in text.lines().enumerate() {
        let line = index + 1;
        if line_text.trim().is_empty() {
            continue;
        }
        if let Ok(FieldList(fields)) = serde_json::from_str::<FieldList<Value>>(line_text) {
            each(RawRecord {
                line,
                fields: fields
                    .into_iter()
                    .map(|(name, value)| RawField { name, value, line })
                    .collect(),
            });
            continue;
        }
        match serde_json::from_str::<Value>(line_text) {
            Ok(_) => out.push(Diagnostic::error(
                name,
                Some(line),
                None,
                format!(
                    "expected a record ({{ … }}), got {}",
                    json_type_name(line_text)
                ),
            )),
            Err(e) => out.push(json_error(name, index, &e)),
        }
    }
}

/// An object's fields in file order with repeated names kept (serde's maps keep only the last
/// one silently, and a repeated `data_use` must not vanish unnoticed).
struct FieldList<V>(Vec<(String, V)>);

impl<'de, V: serde::Deserialize<'de>> serde::Deserialize<'de> for FieldList<V> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Fields<V>(std::marker::PhantomData<V>);
        impl<'de, V: serde::Deserialize<'de>> serde::de::Visitor<'de> for Fields<V> {
            type Value = FieldList<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a record")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut fields = Vec::new();
                while let Some(entry) = map.next_entry::<String, V>()? {
                    fields.push(entry);
                }
                Ok(FieldList(fields))
            }
        }
        deserializer.deserialize_map(Fields(std::marker::PhantomData))
    }
}

/// TOML's own names for the kind's tables: the plural (and `organisations` for organisations).
fn toml_table_names(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Organization => &["organizations", "organisations"],
        Kind::Dataset => &["datasets"],
        Kind::Researcher => &["researchers"],
        Kind::Proposal => &["proposals"],
        Kind::Need => &["needs"],
    }
}

fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

fn parse_toml(name: &str, text: &str, kind: Kind, out: &mut Vec<Diagnostic>) -> Vec<RawRecord> {
    let lines = Lines::new(text);
    // Values come from `toml::Table`; the spanned parse only tells where each one sits.
    let (table, spans) = match (
        toml::from_str::<toml::Table>(text),
        toml::de::DeTable::parse(text),
    ) {
        (Ok(table), Ok(spans)) => (table, spans.into_inner()),
        (Err(e), _) => {
            let line = e.span().map(|s| lines.line_of(s.start));
            let message = e.message().trim().to_string();
            out.push(Diagnostic::error(
                name,
                line,
                None,
                format!("malformed TOML: {message}"),
            ));
            return Vec::new();
        }
        (_, Err(e)) => {
            let line = e.span().map(|s| lines.line_of(s.start));
            let message = e.message().trim().to_string();
            out.push(Diagnostic::error(
                name,
                line,
                None,
                format!("malformed TOML: {message}"),
            ));
            return Vec::new();
        }
    };
    let span_of = |key: &str| spans.iter().find(|(k, _)| k.get_ref().as_ref() == key);
    let names = toml_table_names(kind);
    let mut records = Vec::new();
    let mut found = false;
    for (key, value) in table {
        let entry = span_of(&key);
        let key_line = entry.map_or(1, |(k, _)| lines.line_of(k.span().start));
        if !names.contains(&key.as_str()) {
            out.push(Diagnostic::warning(
                name,
                Some(key_line),
                Some(&key),
                format!(
                    "ignored: only [[{}]] tables are read from this file",
                    names[0]
                ),
            ));
            continue;
        }
        found = true;
        let toml::Value::Array(items) = value else {
            out.push(Diagnostic::error(
                name,
                Some(key_line),
                Some(&key),
                format!("expected [[{key}]] tables"),
            ));
            continue;
        };
        let item_spans = entry.and_then(|(_, v)| v.get_ref().as_array());
        for (index, item) in items.into_iter().enumerate() {
            let spanned = item_spans.and_then(|a| a.get(index));
            let line = spanned.map_or(key_line, |s| lines.line_of(s.span().start));
            let toml::Value::Table(fields) = item else {
                out.push(Diagnostic::error(
                    name,
                    Some(line),
                    Some(&key),
                    format!("expected [[{key}]] tables, got {}", item.type_str()),
                ));
                continue;
            };
            let field_spans = spanned.and_then(|s| s.get_ref().as_table());
            let fields = fields
                .into_iter()
                .map(|(field, value)| {
                    let field_line = field_spans
                        .and_then(|t| t.iter().find(|(k, _)| k.get_ref().as_ref() == field))
                        .map_or(line, |(_, v)| lines.line_of(v.span().start));
                    RawField {
                        name: field,
                        value: toml_to_json(value),
                        line: field_line,
                    }
                })
                .collect();
            records.push(RawRecord { line, fields });
        }
    }
    if !found {
        out.push(Diagnostic::warning(
            name,
            None,
            None,
            format!("no [[{}]] tables: no records", names[0]),
        ));
    }
    records
}

fn parse_csv(name: &str, text: &str, out: &mut Vec<Diagnostic>) -> Vec<RawRecord> {
    let lines = Lines::new(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_string()).collect(),
        Err(e) => {
            out.push(csv_error(name, text, &lines, &e));
            return Vec::new();
        }
    };
    let mut seen = std::collections::HashSet::new();
    for header in headers.iter().filter(|h| !h.is_empty()) {
        if !seen.insert(header.to_lowercase()) {
            out.push(Diagnostic::error(
                name,
                Some(1),
                Some(header),
                "this column appears twice in the header",
            ));
        }
    }
    let mut records = Vec::new();
    for row in reader.records() {
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                out.push(csv_error(name, text, &lines, &e));
                return Vec::new();
            }
        };
        let line = row.position().map_or(0, |p| csv_line(text, &lines, p));
        let cells: Vec<&str> = row.iter().map(str::trim).collect();
        // Spreadsheets often export trailing rows of empty cells (`,,,`): not records.
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        let beyond_header = cells.iter().skip(headers.len()).any(|c| !c.is_empty());
        if cells.len() < headers.len() || beyond_header {
            out.push(Diagnostic::error(
                name,
                Some(line),
                None,
                format!(
                    "this row has {} cells but the header has {}",
                    cells.len(),
                    headers.len()
                ),
            ));
            continue;
        }
        let fields = headers
            .iter()
            .zip(&cells)
            .enumerate()
            .filter(|(_, (_, cell))| !cell.is_empty())
            .map(|(column, (header, cell))| RawField {
                name: if header.is_empty() {
                    format!("column {}", column + 1)
                } else {
                    header.clone()
                },
                value: Value::String((*cell).to_string()),
                line,
            })
            .collect();
        records.push(RawRecord { line, fields });
    }
    records
}

/// The line a CSV record starts on. The csv crate's own count (and byte offset) lags behind in
/// CRLF files, where a record's position points at the `\n` ending the previous line; skipping
/// line-end bytes finds the record's real start (a record never starts with one).
fn csv_line(text: &str, lines: &Lines, position: &csv::Position) -> usize {
    let start = usize::try_from(position.byte())
        .unwrap_or(0)
        .min(text.len());
    let skipped = text[start..]
        .bytes()
        .take_while(|b| *b == b'\r' || *b == b'\n')
        .count();
    lines.line_of(start + skipped)
}

fn csv_error(name: &str, text: &str, lines: &Lines, e: &csv::Error) -> Diagnostic {
    let line = e.position().map(|p| csv_line(text, lines, p));
    Diagnostic::error(name, line, None, format!("malformed CSV: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(format: Format, kind: Kind, text: &str) -> (Vec<RawRecord>, Vec<String>) {
        let mut out = Vec::new();
        let records = parse("f", text, format, kind, &mut out);
        (records, out.iter().map(ToString::to_string).collect())
    }

    fn field<'a>(r: &'a RawRecord, name: &str) -> Option<&'a RawField> {
        r.fields.iter().find(|f| f.name == name)
    }

    #[test]
    fn json_records_and_field_lines() {
        let text = "[\n  {\"id\": \"a\",\n   \"cases\":\n     12},\n  {\"id\": \"b\"}\n]\n";
        let (records, problems) = run(Format::Json, Kind::Dataset, text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].line, 2);
        assert_eq!(field(&records[0], "cases").map(|f| f.line), Some(4));
        assert_eq!(
            field(&records[0], "cases").map(|f| &f.value),
            Some(&Value::from(12))
        );
        assert_eq!(records[1].line, 5);
    }

    #[test]
    fn malformed_json_names_its_line() {
        let (records, problems) = run(
            Format::Json,
            Kind::Dataset,
            "[\n {\"id\": \"a\"}\n {\"id\": \"b\"}\n]",
        );
        assert!(records.is_empty());
        assert_eq!(
            problems,
            ["f:3: malformed JSON: expected `,` or `]` (column 2)"]
        );
    }

    #[test]
    fn json_must_be_an_array_of_objects() {
        let (_, problems) = run(Format::Json, Kind::Dataset, "\n{\"id\": 1}");
        assert_eq!(
            problems,
            ["f:2: expected a JSON array of records ([ { … }, … ])"]
        );
        let (records, problems) = run(Format::Json, Kind::Dataset, "[{\"id\": 1},\n 3]");
        assert_eq!(records.len(), 1);
        assert_eq!(problems, ["f:2: expected a record ({ … }), got a number"]);
    }

    #[test]
    fn json_lines_skip_blank_lines() {
        let (records, problems) = run(
            Format::JsonLines,
            Kind::Need,
            "{\"id\":\"a\"}\n\n{\"id\":\"b\"}\n{bad\n",
        );
        assert_eq!(records.iter().map(|r| r.line).collect::<Vec<_>>(), [1, 3]);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("f:4: malformed JSON: "),
            "{problems:?}"
        );
    }

    #[test]
    fn toml_tables_and_lines() {
        let text = "# comment\n[[datasets]]\nid = \"a\"\ncases = 3\n\n[[datasets]]\nid = \"b\"\n\n[other]\nx = 1\n";
        let (records, problems) = run(Format::Toml, Kind::Dataset, text);
        assert_eq!(records.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 6]);
        assert_eq!(field(&records[0], "cases").map(|f| f.line), Some(4));
        assert_eq!(
            problems,
            ["f:9: other: ignored: only [[datasets]] tables are read from this file"]
        );
    }

    #[test]
    fn malformed_toml_names_its_line() {
        let (records, problems) = run(
            Format::Toml,
            Kind::Dataset,
            "[[datasets]]\nid = \"a\nx = 1\n",
        );
        assert!(records.is_empty());
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("f:2: malformed TOML: "),
            "{problems:?}"
        );
    }

    #[test]
    fn csv_rows_lines_and_empty_cells() {
        let text = "id,title,note\nds-1,\"two\nlines\",\nds-2,x,kept\n";
        let (records, problems) = run(Format::Csv, Kind::Dataset, text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(records.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 4]);
        assert!(field(&records[0], "note").is_none());
        assert_eq!(
            field(&records[1], "note").map(|f| &f.value),
            Some(&Value::from("kept"))
        );
    }

    #[test]
    fn csv_row_with_wrong_cell_count() {
        let (records, problems) = run(Format::Csv, Kind::Dataset, "id,title\na,b,c\nd,e,\n");
        assert_eq!(records.len(), 1);
        assert_eq!(problems, ["f:2: this row has 3 cells but the header has 2"]);
    }

    #[test]
    fn csv_crlf_and_empty_rows() {
        let (records, problems) = run(
            Format::Csv,
            Kind::Dataset,
            "id,title\r\nds-1,a\r\n,\r\n\r\nds-2,b\r\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(records.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 5]);
        assert_eq!(
            field(&records[1], "title").map(|f| &f.value),
            Some(&Value::from("b"))
        );
    }

    #[test]
    fn json_lines_with_crlf() {
        let (records, problems) = run(
            Format::JsonLines,
            Kind::Need,
            "{\"id\":\"a\"}\r\n{\"id\":\"b\"}\r\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(records.len(), 2);
    }

    #[test]
    fn empty_file_is_a_warning() {
        let (records, problems) = run(Format::Json, Kind::Dataset, "  \n");
        assert!(records.is_empty());
        assert_eq!(problems, ["f: empty file: no records"]);
    }
}
