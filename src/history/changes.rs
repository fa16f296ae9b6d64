//! What a rebuild changed, told from the files that changed alone: a file whose bytes are
//! the same as at the last build gave the same records, so their history stays as it is.

use super::{fingerprint, DatasetFacts, Fingerprint};
use crate::load::unchanged::UnchangedRecords;
use crate::load::FileRecords;
use crate::model::{Kind, Record};
use crate::records::{Damaged, Records};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Past one record in this many read from changed files, a build is recorded whole.
const MAX_SHARE: usize = 8;

/// One record a build read from a file that changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeenRecord {
    pub id: String,
    pub kind: Kind,
    pub fingerprint: Fingerprint,
    /// Datasets only: what news is made of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset: Option<DatasetFacts>,
}

impl SeenRecord {
    fn of(record: &Record) -> SeenRecord {
        let (fingerprint, dataset) = match record {
            Record::Dataset(d) => (fingerprint(d), Some(DatasetFacts::of(d))),
            Record::Researcher(r) => (fingerprint(r), None),
            Record::Organization(o) => (fingerprint(o), None),
            Record::Proposal(p) => (fingerprint(p), None),
            Record::Need(n) => (fingerprint(n), None),
        };
        SeenRecord {
            id: record.id().to_string(),
            kind: record.kind(),
            fingerprint,
            dataset,
        }
    }
}

/// A rebuild's changes against the build before it, which read `earlier_files`.
#[derive(Debug, Clone, PartialEq)]
pub struct Changes {
    pub earlier_files: Vec<FileRecords>,
    /// The records not read from an unchanged file, in position order kind by kind.
    pub seen: Vec<SeenRecord>,
    /// Ids the build before had that this one has not.
    pub gone: Vec<String>,
}

impl Changes {
    /// The changes from `earlier` (the last build's records, read from `earlier_files`) to
    /// `now`, where `unchanged` tells the records of unchanged files apart. Only the other
    /// records are decoded (and kept decoded by `now`); `None` when they are more than an
    /// eighth of all: recording every record costs about the same then.
    pub fn between(
        now: &dyn Records,
        earlier: &dyn Records,
        earlier_files: &[FileRecords],
        unchanged: &UnchangedRecords,
    ) -> Result<Option<Changes>, Damaged> {
        let changed: Vec<(Kind, usize)> = Kind::ALL
            .iter()
            .flat_map(|&kind| (0..now.count(kind)).map(move |at| (kind, at)))
            .filter(|&(kind, at)| unchanged.earlier_position(kind, at).is_none())
            .collect();
        let total: usize = Kind::ALL.iter().map(|&kind| now.count(kind)).sum();
        if changed.len() > total / MAX_SHARE {
            return Ok(None);
        }
        let mut seen = Vec::with_capacity(changed.len());
        for (kind, at) in changed {
            let record = now.record(kind, at).ok_or(Damaged)?;
            seen.push(SeenRecord::of(&record));
        }
        let seen_ids: HashSet<&str> = seen.iter().map(|s| s.id.as_str()).collect();
        let mut gone = Vec::new();
        for kind in Kind::ALL {
            let mut kept = vec![false; earlier.count(kind)];
            for (first, records) in unchanged.earlier_runs(kind) {
                for slot in kept.iter_mut().skip(first).take(records) {
                    *slot = true;
                }
            }
            for (at, _) in kept.iter().enumerate().filter(|(_, kept)| !**kept) {
                let id = earlier.id(kind, at);
                if !seen_ids.contains(id) {
                    gone.push(id.to_string());
                }
            }
        }
        Ok(Some(Changes {
            earlier_files: earlier_files.to_vec(),
            seen,
            gone,
        }))
    }
}
