//! Reading typed fields out of a raw record: text, whole numbers, booleans, choices and lists,
//! with one located error per bad field and every unknown field kept.

use super::diagnostic::Diagnostic;
use super::formats::RawRecord;
use crate::model::ExtraFields;
use serde_json::Value;
use std::collections::HashMap;

/// The fields of one raw record, taken one by one; what is never taken ends up in `extra`.
pub struct Fields<'a> {
    file: &'a str,
    record: &'a RawRecord,
    taken: Vec<bool>,
    problems: Vec<Diagnostic>,
    lines: HashMap<String, usize>,
}

/// How a value looks, for messages (`got "indsutry"`, `got a list`).
fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => format!("{s:?}"),
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "a table".to_string(),
        other => other.to_string(),
    }
}

/// `a or b`, `a, b or c`.
fn alternatives(names: &[&str]) -> String {
    match names.split_last() {
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Lower case, trimmed, with spaces and hyphens read as underscores (`Rare disease` →
/// `rare_disease`).
fn choice_key(s: &str) -> String {
    s.trim().to_lowercase().replace([' ', '-'], "_")
}

/// A whole number written as text: `820`, ` 820 `, `1,200`.
fn whole_from_text(s: &str) -> Option<u64> {
    let s = s.trim();
    if let Ok(n) = s.parse::<u64>() {
        return Some(n);
    }
    let groups: Vec<&str> = s.split(',').collect();
    let grouped = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    if grouped {
        groups.concat().parse().ok()
    } else {
        None
    }
}

impl<'a> Fields<'a> {
    /// Starts reading `record` of `file`.
    pub fn new(file: &'a str, record: &'a RawRecord) -> Self {
        let mut fields = Fields {
            file,
            record,
            taken: vec![false; record.fields.len()],
            problems: Vec::new(),
            lines: HashMap::new(),
        };
        fields.check_repeated_names();
        fields
    }

    /// A field given twice (`data_use` and `DATA_USE`, or the same key twice) is an error:
    /// which one counts would be a guess, and a lost `NCU` would offer data against consent.
    fn check_repeated_names(&mut self) {
        let record = self.record;
        // First field of each name (ASCII case folded): linear in the number of fields, so a
        // row of 200,000 columns is checked as fast as it is read.
        let mut first: HashMap<String, usize> = HashMap::with_capacity(record.fields.len());
        for (i, field) in record.fields.iter().enumerate() {
            let name = field.name.trim();
            let earlier = *first.entry(name.to_ascii_lowercase()).or_insert(i);
            if earlier != i {
                let earlier = &record.fields[earlier];
                self.error(
                    field.line,
                    name,
                    format!(
                        "given twice (also as \"{}\" on line {})",
                        earlier.name.trim(),
                        earlier.line
                    ),
                );
            }
        }
    }

    /// Takes the first field whose name is `name` (ignoring case and surrounding spaces).
    /// Null and blank text count as absent.
    fn take(&mut self, name: &str) -> Option<(&'a Value, usize)> {
        let record = self.record;
        let index = record
            .fields
            .iter()
            .enumerate()
            .position(|(i, f)| !self.taken[i] && f.name.trim().eq_ignore_ascii_case(name))?;
        self.taken[index] = true;
        let field = &record.fields[index];
        self.lines.insert(name.to_string(), field.line);
        match &field.value {
            Value::Null => None,
            Value::String(s) if s.trim().is_empty() => None,
            value => Some((value, field.line)),
        }
    }

    fn error(&mut self, line: usize, name: &str, message: String) {
        self.problems.push(Diagnostic::error(
            self.file,
            Some(line),
            Some(name),
            message,
        ));
    }

    fn missing(&mut self, name: &str) {
        let line = self.record.line;
        self.error(line, name, "missing (required)".to_string());
    }

    /// Optional text; numbers are read as their digits (`fiscal_year = 2024`).
    pub fn text(&mut self, name: &str) -> Option<String> {
        let (value, line) = self.take(name)?;
        match value {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            other => {
                self.error(line, name, format!("expected text, got {}", shown(other)));
                None
            }
        }
    }

    /// Required text; an error when absent or blank.
    pub fn required_text(&mut self, name: &str) -> String {
        let before = self.problems.len();
        let text = self.text(name);
        if text.is_none() && self.problems.len() == before {
            self.missing(name);
        }
        text.unwrap_or_default()
    }

    /// An optional whole number (`820`, `"820"`, `"1,200"`).
    pub fn whole(&mut self, name: &str) -> Option<u64> {
        let (value, line) = self.take(name)?;
        let number = match value {
            Value::Number(n) => n.as_u64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 9.0e15)
                    .map(|f| f as u64)
            }),
            Value::String(s) => whole_from_text(s),
            _ => None,
        };
        if number.is_none() {
            self.error(line, name, "expected a whole number".to_string());
        }
        number
    }

    /// A required whole number.
    pub fn required_whole(&mut self, name: &str) -> u64 {
        let before = self.problems.len();
        let number = self.whole(name);
        if number.is_none() && self.problems.len() == before {
            self.missing(name);
        }
        number.unwrap_or_default()
    }

    /// An optional boolean: true/false, yes/no, 1/0 (any case; also as text).
    pub fn boolean(&mut self, name: &str) -> Option<bool> {
        let (value, line) = self.take(name)?;
        let parsed = match value {
            Value::Bool(b) => Some(*b),
            Value::Number(n) => match n.as_u64() {
                Some(1) => Some(true),
                Some(0) => Some(false),
                _ => None,
            },
            Value::String(s) => match s.trim().to_lowercase().as_str() {
                "true" | "yes" | "1" => Some(true),
                "false" | "no" | "0" => Some(false),
                _ => None,
            },
            _ => None,
        };
        if parsed.is_none() {
            self.error(
                line,
                name,
                format!("expected true/false, yes/no or 1/0, got {}", shown(value)),
            );
        }
        parsed
    }

    fn pick<T: Copy>(
        &mut self,
        line: usize,
        name: &str,
        value: &Value,
        options: &[(&str, T)],
    ) -> Option<T> {
        let found = match value {
            Value::String(s) => {
                let key = choice_key(s);
                options.iter().find(|(n, _)| *n == key).map(|(_, t)| *t)
            }
            _ => None,
        };
        if found.is_none() {
            let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
            self.error(
                line,
                name,
                format!("expected {}, got {}", alternatives(&names), shown(value)),
            );
        }
        found
    }

    /// One of a fixed set of names (`forum`: academia or industry), ignoring case.
    pub fn choice<T: Copy>(&mut self, name: &str, options: &[(&str, T)]) -> Option<T> {
        let (value, line) = self.take(name)?;
        self.pick(line, name, value, options)
    }

    /// A required choice.
    pub fn required_choice<T: Copy>(&mut self, name: &str, options: &[(&str, T)]) -> Option<T> {
        let before = self.problems.len();
        let found = self.choice(name, options);
        if found.is_none() && self.problems.len() == before {
            self.missing(name);
        }
        found
    }

    /// The items of a list field with the line they sit on: an array, or text split on `;`;
    /// items trimmed, empty ones dropped.
    fn items(&mut self, name: &str) -> (Vec<Value>, usize) {
        let Some((value, line)) = self.take(name) else {
            return (Vec::new(), self.record.line);
        };
        let items = match value {
            Value::String(s) => s
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_string()))
                .collect(),
            Value::Array(items) => items
                .iter()
                .filter(|v| !v.is_null())
                .map(|v| match v {
                    Value::String(s) => Value::String(s.trim().to_string()),
                    other => other.clone(),
                })
                .filter(|v| v.as_str() != Some(""))
                .collect(),
            other => vec![other.clone()],
        };
        (items, line)
    }

    /// A list of text (`diseases`, `modalities`…).
    pub fn list(&mut self, name: &str) -> Vec<String> {
        let (items, line) = self.items(name);
        let mut out = Vec::new();
        for item in items {
            match item {
                Value::String(s) => out.push(s),
                Value::Number(n) => out.push(n.to_string()),
                other => self.error(
                    line,
                    name,
                    format!("expected a list of text, got {} in it", shown(&other)),
                ),
            }
        }
        out
    }

    /// A list of choices (`areas`: cancer; rare_disease).
    pub fn choice_list<T: Copy>(&mut self, name: &str, options: &[(&str, T)]) -> Vec<T> {
        let (items, line) = self.items(name);
        items
            .iter()
            .filter_map(|item| self.pick(line, name, item, options))
            .collect()
    }

    /// Ends reading: the unknown fields (for `extra`), the errors found, and the line of every
    /// field read.
    ///
    /// An unknown field nested deeper than [`MAX_NESTING`] is an error: the catalog snapshot
    /// kept beside the index could not be read back, and the index would be rebuilt every run.
    pub fn finish(mut self) -> (ExtraFields, Vec<Diagnostic>, HashMap<String, usize>) {
        let record = self.record;
        let mut extra = ExtraFields::new();
        for (field, taken) in record.fields.iter().zip(&self.taken) {
            if *taken {
                continue;
            }
            let depth = nesting(&field.value);
            if depth > MAX_NESTING {
                self.problems.push(Diagnostic::error(
                    self.file,
                    Some(field.line),
                    Some(field.name.trim()),
                    format!(
                        "nested {depth} levels deep; musubi keeps unknown fields nested at most {MAX_NESTING} levels"
                    ),
                ));
                continue;
            }
            extra.insert(field.name.clone(), field.value.clone());
        }
        (extra, self.problems, self.lines)
    }
}

/// Deepest nesting of lists and tables an unknown field may have. The catalog snapshot adds a
/// few levels above it and must stay under serde_json's limit of 128 to read back.
pub const MAX_NESTING: usize = 64;

/// Levels of lists and tables in `value` (0 for text, numbers, booleans and null). Values come
/// from parsers that stop at 128 levels, so the recursion is bounded.
fn nesting(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(nesting).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(nesting).max().unwrap_or(0),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::formats::RawField;

    fn record(fields: &[(&str, Value)]) -> RawRecord {
        RawRecord {
            line: 7,
            fields: fields
                .iter()
                .map(|(n, v)| RawField {
                    name: n.to_string(),
                    value: v.clone(),
                    line: 8,
                })
                .collect(),
        }
    }

    fn messages(problems: &[Diagnostic]) -> Vec<String> {
        problems.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn whole_numbers() {
        let r = record(&[
            ("a", Value::from(820)),
            ("b", Value::from("820")),
            ("c", Value::from("1,200")),
            ("d", Value::from("many")),
            ("e", Value::from(-3)),
            ("f", Value::from(12.0)),
        ]);
        let mut f = Fields::new("x.csv", &r);
        assert_eq!(f.whole("a"), Some(820));
        assert_eq!(f.whole("b"), Some(820));
        assert_eq!(f.whole("c"), Some(1200));
        assert_eq!(f.whole("d"), None);
        assert_eq!(f.whole("e"), None);
        assert_eq!(f.whole("f"), Some(12));
        assert_eq!(f.required_whole("g"), 0);
        let (_, problems, _) = f.finish();
        assert_eq!(
            messages(&problems),
            [
                "x.csv:8: d: expected a whole number",
                "x.csv:8: e: expected a whole number",
                "x.csv:7: g: missing (required)"
            ]
        );
    }

    #[test]
    fn booleans() {
        let r = record(&[
            ("a", Value::from("Yes")),
            ("b", Value::from("0")),
            ("c", Value::from(true)),
            ("d", Value::from(1)),
            ("e", Value::from("maybe")),
        ]);
        let mut f = Fields::new("x", &r);
        assert_eq!(f.boolean("a"), Some(true));
        assert_eq!(f.boolean("b"), Some(false));
        assert_eq!(f.boolean("c"), Some(true));
        assert_eq!(f.boolean("d"), Some(true));
        assert_eq!(f.boolean("e"), None);
        assert_eq!(f.boolean("absent"), None);
        let (_, problems, _) = f.finish();
        assert_eq!(
            messages(&problems),
            ["x:8: e: expected true/false, yes/no or 1/0, got \"maybe\""]
        );
    }

    #[test]
    fn choices_and_lists() {
        let r = record(&[
            ("forum", Value::from("indsutry")),
            ("area", Value::from(" Rare disease ")),
            ("areas", Value::from("cancer; ;rare_disease;")),
            ("diseases", serde_json::json!([" 膵がん ", "", 3])),
            ("modalities", Value::from("WGS")),
        ]);
        let mut f = Fields::new("x", &r);
        let forum = [("academia", 1), ("industry", 2)];
        let area = [("cancer", 1), ("rare_disease", 2)];
        assert_eq!(f.choice("forum", &forum), None);
        assert_eq!(f.choice("area", &area), Some(2));
        assert_eq!(f.choice_list("areas", &area), [1, 2]);
        assert_eq!(f.list("diseases"), ["膵がん", "3"]);
        assert_eq!(f.list("modalities"), ["WGS"]);
        assert_eq!(f.list("absent"), Vec::<String>::new());
        let (_, problems, _) = f.finish();
        assert_eq!(
            messages(&problems),
            ["x:8: forum: expected academia or industry, got \"indsutry\""]
        );
    }

    #[test]
    fn unknown_fields_are_kept_and_names_ignore_case() {
        let r = record(&[
            ("ID", Value::from("a")),
            ("note", Value::from("hi")),
            ("title", Value::from("  ")),
        ]);
        let mut f = Fields::new("x", &r);
        assert_eq!(f.required_text("id"), "a");
        assert_eq!(f.required_text("title"), "");
        let (extra, problems, lines) = f.finish();
        assert_eq!(extra.get("note"), Some(&Value::from("hi")));
        assert_eq!(extra.len(), 1);
        assert_eq!(messages(&problems), ["x:7: title: missing (required)"]);
        assert_eq!(lines.get("id"), Some(&8));
    }

    #[test]
    fn alternatives_read_naturally() {
        assert_eq!(alternatives(&["a"]), "a");
        assert_eq!(alternatives(&["a", "b"]), "a or b");
        assert_eq!(alternatives(&["a", "b", "c"]), "a, b or c");
    }
}
