//! Ids that records point at (`owner`, `proposer`, `partners`) and that no fitting record has:
//! reported as warnings, since the record itself is still usable.

use super::diagnostic::Diagnostic;
use super::records::ReadRecord;
use crate::model::{Kind, Record};

/// Kinds a need's owner may be.
const OWNERS: &[Kind] = &[Kind::Researcher, Kind::Organization, Kind::Proposal];
/// Kinds a proposal's proposer and partners may be.
const PEOPLE: &[Kind] = &[Kind::Researcher, Kind::Organization];

/// One id a record points at, with where it was written; checked once every id is known.
#[derive(Debug)]
pub struct Reference {
    /// The file's number in the load's list of files.
    file: u32,
    line: usize,
    field: &'static str,
    id: String,
    allowed: &'static [Kind],
}

impl Reference {
    /// The reference as kept beside a snapshot, for a later load that takes its file over.
    pub fn stored(&self) -> StoredReference {
        StoredReference {
            line: self.line,
            field: self.field.to_string(),
            id: self.id.clone(),
        }
    }

    /// A stored reference of file number `file`; `None` for a field no record points with.
    pub fn restored(stored: &StoredReference, file: u32) -> Option<Reference> {
        let (field, allowed) = match stored.field.as_str() {
            "owner" => ("owner", OWNERS),
            "proposer" => ("proposer", PEOPLE),
            "partners" => ("partners", PEOPLE),
            _ => return None,
        };
        Some(Reference {
            file,
            line: stored.line,
            field,
            id: stored.id.clone(),
            allowed,
        })
    }
}

/// A [`Reference`] as kept beside a snapshot: where, which field, which id.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StoredReference {
    pub line: usize,
    pub field: String,
    pub id: String,
}

/// The ids `read` points at; `line` is the record's own line, for fields without one.
pub fn of(read: &ReadRecord, file: u32, line: usize) -> Vec<Reference> {
    let refs: Vec<(&'static str, &str, &'static [Kind])> = match &read.record {
        Record::Need(n) => n
            .owner
            .iter()
            .map(|o| ("owner", o.as_str(), OWNERS))
            .collect(),
        Record::Proposal(p) => p
            .proposer
            .iter()
            .map(|o| ("proposer", o.as_str(), PEOPLE))
            .chain(p.partners.iter().map(|o| ("partners", o.as_str(), PEOPLE)))
            .collect(),
        _ => Vec::new(),
    };
    refs.into_iter()
        .map(|(field, id, allowed)| Reference {
            file,
            line: read.field_lines.get(field).copied().unwrap_or(line),
            field,
            id: id.to_string(),
            allowed,
        })
        .collect()
}

/// Warnings for every reference to an id that is missing (`kind_of` gives `None`) or of the
/// wrong kind, in the order the references were read; `file_name` names a file by number.
pub fn check<'f>(
    references: &[Reference],
    kind_of: impl Fn(&str) -> Option<Kind>,
    file_name: impl Fn(u32) -> &'f str,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for reference in references {
        let id = reference.id.as_str();
        let message = match kind_of(id) {
            None => format!("no record has the id {id:?}"),
            Some(kind) if !reference.allowed.contains(&kind) => {
                let names: Vec<&str> = reference.allowed.iter().map(|k| k.as_str()).collect();
                let (last, rest) = names.split_last().map_or(("", &[][..]), |(l, r)| (*l, r));
                let listed = if rest.is_empty() {
                    last.to_string()
                } else {
                    format!("{} or {last}", rest.join(", "))
                };
                format!("{id:?} is a {kind}, not a {listed}")
            }
            Some(_) => continue,
        };
        out.push(Diagnostic::warning(
            file_name(reference.file),
            Some(reference.line),
            Some(reference.field),
            message,
        ));
    }
    out
}
