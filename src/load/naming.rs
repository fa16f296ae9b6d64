//! Which kind of record a file carries and in which format, from its name alone.

use crate::model::Kind;

/// The formats a data file may be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An array of records.
    Json,
    /// One record per line.
    JsonLines,
    /// An array of tables named after the kind (`[[datasets]]`).
    Toml,
    /// A header row of field names, one record per row.
    Csv,
}

/// What the loader does with a file, judged by its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileRole {
    /// Records of `kind`, written in `format`.
    Data(Kind, Format),
    /// Not a data file; the reason is reported as a warning.
    Skipped(String),
}

/// Name prefixes and the kind they announce. `organisations` is accepted beside `organizations`.
const PREFIXES: [(&str, Kind); 6] = [
    ("researchers", Kind::Researcher),
    ("organizations", Kind::Organization),
    ("organisations", Kind::Organization),
    ("proposals", Kind::Proposal),
    ("datasets", Kind::Dataset),
    ("needs", Kind::Need),
];

/// Classifies a file by its name (case-insensitive): `researchers_2025.csv` holds researchers
/// in CSV.
pub fn classify(name: &str) -> FileRole {
    let lower = name.to_lowercase();
    let kind = PREFIXES
        .iter()
        .find(|(prefix, _)| lower.starts_with(prefix))
        .map(|(_, kind)| *kind);
    let extension = lower.rsplit_once('.').map(|(_, ext)| ext);
    let format = match extension {
        Some("json") => Some(Format::Json),
        Some("jsonl") => Some(Format::JsonLines),
        Some("toml") => Some(Format::Toml),
        Some("csv") => Some(Format::Csv),
        _ => None,
    };
    match (kind, format) {
        (Some(kind), Some(format)) => FileRole::Data(kind, format),
        (Some(_), None) => FileRole::Skipped(match extension {
            Some(ext) => {
                format!("skipped: .{ext} is not a data format (use .json, .jsonl, .toml or .csv)")
            }
            None => "skipped: no extension (use .json, .jsonl, .toml or .csv)".to_string(),
        }),
        (None, _) => FileRole::Skipped("skipped: not a data file of any kind".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_formats_by_name() {
        assert_eq!(
            classify("datasets.json"),
            FileRole::Data(Kind::Dataset, Format::Json)
        );
        assert_eq!(
            classify("Researchers_2025.CSV"),
            FileRole::Data(Kind::Researcher, Format::Csv)
        );
        assert_eq!(
            classify("organisations.toml"),
            FileRole::Data(Kind::Organization, Format::Toml)
        );
        assert_eq!(
            classify("organizations.jsonl"),
            FileRole::Data(Kind::Organization, Format::JsonLines)
        );
        assert_eq!(
            classify("proposals-fy2024.csv"),
            FileRole::Data(Kind::Proposal, Format::Csv)
        );
        assert_eq!(
            classify("needs.json"),
            FileRole::Data(Kind::Need, Format::Json)
        );
    }

    #[test]
    fn other_files_are_skipped_with_a_reason() {
        assert_eq!(
            classify("notes.txt"),
            FileRole::Skipped("skipped: not a data file of any kind".into())
        );
        assert_eq!(
            classify("datasets.xlsx"),
            FileRole::Skipped(
                "skipped: .xlsx is not a data format (use .json, .jsonl, .toml or .csv)".into()
            )
        );
        assert_eq!(
            classify("datasets"),
            FileRole::Skipped("skipped: no extension (use .json, .jsonl, .toml or .csv)".into())
        );
    }
}
