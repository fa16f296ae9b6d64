//! Located messages about a data directory: what is wrong (or doubtful), in which file, line and field.

use std::fmt;

/// Whether a message stops the load (`Error`) or is only reported (`Warning`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Severity {
    Error,
    Warning,
}

/// One message about the data, located as precisely as the file allows.
///
/// Displays as `datasets.json:3: cases: expected a whole number`; missing parts are left out
/// (`notes.txt: skipped: not a data file of any kind`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file's path relative to the data directory (or the directory itself).
    pub file: String,
    /// 1-based line, when the message is about one place in the file.
    pub line: Option<usize>,
    /// The field the message is about, when it is about one.
    pub field: Option<String>,
    pub message: String,
}

impl Diagnostic {
    /// An error at `file` (and `line`, `field` when given).
    pub fn error(
        file: impl Into<String>,
        line: Option<usize>,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line,
            field: field.map(str::to_string),
            message: message.into(),
        }
    }

    /// A warning at `file` (and `line`, `field` when given).
    pub fn warning(
        file: impl Into<String>,
        line: Option<usize>,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, line, field, message)
        }
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A load that found errors: every error and warning of the run, in file order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", render(.diagnostics))]
pub struct LoadFailure {
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadFailure {
    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    /// The warnings only.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| !d.is_error())
    }
}

fn render(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(Diagnostic::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Orders messages by file, then line (file-wide messages first), keeping discovery order otherwise.
pub(crate) fn sort_by_place(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_leaves_out_missing_parts() {
        let full = Diagnostic::error(
            "datasets.json",
            Some(3),
            Some("cases"),
            "expected a whole number",
        );
        assert_eq!(
            full.to_string(),
            "datasets.json:3: cases: expected a whole number"
        );
        let bare = Diagnostic::warning(
            "notes.txt",
            None,
            None,
            "skipped: not a data file of any kind",
        );
        assert_eq!(
            bare.to_string(),
            "notes.txt: skipped: not a data file of any kind"
        );
        let no_field = Diagnostic::error("a.json", Some(1), None, "x");
        assert_eq!(no_field.to_string(), "a.json:1: x");
    }

    #[test]
    fn failure_renders_one_message_per_line() {
        let failure = LoadFailure {
            diagnostics: vec![
                Diagnostic::error("a.csv", Some(2), Some("id"), "missing (required)"),
                Diagnostic::warning("b.txt", None, None, "skipped"),
            ],
        };
        assert_eq!(
            failure.to_string(),
            "a.csv:2: id: missing (required)\nb.txt: skipped"
        );
        assert_eq!(failure.errors().count(), 1);
        assert_eq!(failure.warnings().count(), 1);
    }
}
