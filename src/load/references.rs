//! Ids that records point at (`owner`, `proposer`, `partners`) and that no fitting record has:
//! reported as warnings, since the record itself is still usable.

use super::diagnostic::Diagnostic;
use super::Placed;
use crate::model::{Kind, Record};
use std::collections::HashMap;

/// Warnings for every reference to an id that is missing or of the wrong kind.
pub fn check(records: &[Placed], kinds: &HashMap<String, Kind>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for placed in records {
        let refs: Vec<(&str, &str, &[Kind])> = match &placed.read.record {
            Record::Need(n) => n
                .owner
                .iter()
                .map(|o| {
                    (
                        "owner",
                        o.as_str(),
                        &[Kind::Researcher, Kind::Organization, Kind::Proposal][..],
                    )
                })
                .collect(),
            Record::Proposal(p) => p
                .proposer
                .iter()
                .map(|o| {
                    (
                        "proposer",
                        o.as_str(),
                        &[Kind::Researcher, Kind::Organization][..],
                    )
                })
                .chain(p.partners.iter().map(|o| {
                    (
                        "partners",
                        o.as_str(),
                        &[Kind::Researcher, Kind::Organization][..],
                    )
                }))
                .collect(),
            _ => Vec::new(),
        };
        for (field, id, allowed) in refs {
            let message = match kinds.get(id) {
                None => format!("no record has the id {id:?}"),
                Some(kind) if !allowed.contains(kind) => {
                    let names: Vec<&str> = allowed.iter().map(|k| k.as_str()).collect();
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
            let line = placed
                .read
                .field_lines
                .get(field)
                .copied()
                .unwrap_or(placed.line);
            out.push(Diagnostic::warning(
                &placed.file,
                Some(line),
                Some(field),
                message,
            ));
        }
    }
    out
}
