//! Which records of a load a file whose bytes did not change gave, and where the same
//! records were in an earlier load: what a rebuild may take over from the last build.

use super::FileRecords;
use crate::model::Kind;
use std::collections::HashMap;

/// Where each file's records are among its kind's: `(first position, records, file)` for
/// each file of `kind` (its place in `files`), in position order.
pub fn runs_of(files: &[FileRecords], kind: Kind) -> Vec<(usize, usize, usize)> {
    let mut position = 0;
    let mut runs = Vec::new();
    for (i, file) in files.iter().enumerate().filter(|(_, f)| f.kind == kind) {
        runs.push((position, file.records, i));
        position += file.records;
    }
    runs
}

/// The run holding position `at`, of runs `(first position, records, what)` in position
/// order: `(first position, what)`.
fn run_holding(runs: &[(usize, usize, usize)], at: usize) -> Option<(usize, usize)> {
    let after = runs.partition_point(|(first, _, _)| *first <= at);
    let (first, records, what) = *runs.get(after.checked_sub(1)?)?;
    (at < first + records).then_some((first, what))
}

/// What the run holding position `at` is for (its third value: a file, a group).
pub fn run_at(runs: &[(usize, usize, usize)], at: usize) -> Option<usize> {
    run_holding(runs, at).map(|(_, what)| what)
}

/// For each kind, the runs of records read from files unchanged since an earlier load.
#[derive(Debug, Default)]
pub struct UnchangedRecords {
    /// By kind (as in `Kind::ALL`): `(first position now, records, first position then)`.
    runs: [Vec<(usize, usize, usize)>; 5],
}

impl UnchangedRecords {
    /// Compares two loads' files (each in the order its load read them): a file with the
    /// same name, kind, digest and number of records gave the same records, in order. Files
    /// are told apart by name: two of one name (read lossily) make nothing unchanged.
    pub fn between(earlier: &[FileRecords], now: &[FileRecords]) -> UnchangedRecords {
        let distinct = |files: &[FileRecords]| {
            let names: std::collections::HashSet<&str> =
                files.iter().map(|f| f.name.as_str()).collect();
            names.len() == files.len()
        };
        if !distinct(earlier) || !distinct(now) {
            return UnchangedRecords::default();
        }
        let mut runs: [Vec<(usize, usize, usize)>; 5] = Default::default();
        for (slot, &kind) in Kind::ALL.iter().enumerate() {
            let then: HashMap<&str, (usize, &FileRecords)> = runs_of(earlier, kind)
                .into_iter()
                .map(|(start, _, i)| (earlier[i].name.as_str(), (start, &earlier[i])))
                .collect();
            for (position, records, i) in runs_of(now, kind) {
                let file = &now[i];
                if let Some((start, same)) = then.get(file.name.as_str()) {
                    if *same == file && records > 0 {
                        runs[slot].push((position, records, *start));
                    }
                }
            }
        }
        UnchangedRecords { runs }
    }

    /// Where record `at` of `kind` was in the earlier load, when its file is unchanged.
    pub fn earlier_position(&self, kind: Kind, at: usize) -> Option<usize> {
        let slot = Kind::ALL.iter().position(|k| *k == kind)?;
        let (first, then) = run_holding(&self.runs[slot], at)?;
        Some(then + (at - first))
    }

    /// Where the runs of unchanged records of `kind` were in the earlier load: `(first
    /// position then, records)`.
    pub fn earlier_runs(&self, kind: Kind) -> impl Iterator<Item = (usize, usize)> + '_ {
        let slot = Kind::ALL.iter().position(|k| *k == kind);
        slot.into_iter()
            .flat_map(|slot| self.runs[slot].iter())
            .map(|&(_, records, then)| (then, records))
    }

    /// True when the `count` records of `kind` are all of unchanged files, each where it was
    /// in the earlier load (which had no other record of `kind`: `earlier_count`).
    pub fn all_in_place(&self, kind: Kind, count: usize, earlier_count: usize) -> bool {
        let Some(slot) = Kind::ALL.iter().position(|k| *k == kind) else {
            return false;
        };
        let runs = &self.runs[slot];
        count == earlier_count
            && runs.iter().all(|&(now, _, then)| now == then)
            && runs.iter().map(|&(_, records, _)| records).sum::<usize>() == count
    }

    /// Records of unchanged files.
    pub fn len(&self) -> usize {
        self.runs
            .iter()
            .flatten()
            .map(|(_, records, _)| records)
            .sum()
    }

    /// True when no file is unchanged.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, kind: Kind, records: usize, digest: &str) -> FileRecords {
        FileRecords {
            name: name.into(),
            kind,
            records,
            digest: digest.into(),
        }
    }

    #[test]
    fn records_of_unchanged_files_are_found_where_they_were() {
        let earlier = [
            file("datasets-a", Kind::Dataset, 3, "1"),
            file("datasets-b", Kind::Dataset, 2, "2"),
            file("needs", Kind::Need, 4, "3"),
            file("datasets-c", Kind::Dataset, 5, "4"),
        ];
        let now = [
            // New, before the others: every later position moves.
            file("datasets-0", Kind::Dataset, 1, "9"),
            file("datasets-a", Kind::Dataset, 3, "1"),
            // Changed.
            file("datasets-b", Kind::Dataset, 2, "changed"),
            file("datasets-c", Kind::Dataset, 5, "4"),
            file("needs", Kind::Need, 4, "3"),
        ];
        let unchanged = UnchangedRecords::between(&earlier, &now);
        let positions: Vec<Option<usize>> = (0..11)
            .map(|at| unchanged.earlier_position(Kind::Dataset, at))
            .collect();
        assert_eq!(
            positions,
            [
                None,
                Some(0),
                Some(1),
                Some(2),
                None,
                None,
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                Some(9)
            ]
        );
        assert_eq!(unchanged.earlier_position(Kind::Need, 3), Some(3));
        assert_eq!(unchanged.earlier_position(Kind::Need, 4), None);
        assert_eq!(unchanged.earlier_position(Kind::Proposal, 0), None);
        assert_eq!(unchanged.len(), 12);
        let then: Vec<(usize, usize)> = unchanged.earlier_runs(Kind::Dataset).collect();
        assert_eq!(then, [(0, 3), (5, 5)]);
        assert_eq!(
            unchanged.earlier_runs(Kind::Need).collect::<Vec<_>>(),
            [(0, 4)]
        );
        assert!(unchanged.all_in_place(Kind::Need, 4, 4));
        assert!(
            !unchanged.all_in_place(Kind::Need, 4, 5),
            "a record gone after them"
        );
        assert!(!unchanged.all_in_place(Kind::Dataset, 11, 10));
        assert!(unchanged.all_in_place(Kind::Proposal, 0, 0));
        // Both files unchanged, in the other order: every record moved.
        let swapped = [earlier[1].clone(), earlier[0].clone()];
        let moved = UnchangedRecords::between(&earlier[..2], &swapped);
        assert_eq!(moved.len(), 5);
        assert!(!moved.all_in_place(Kind::Dataset, 5, 5));
        let same = UnchangedRecords::between(&earlier, &earlier);
        assert!(same.all_in_place(Kind::Dataset, 10, 10));
        let twice = [now[1].clone(), now[1].clone()];
        assert!(UnchangedRecords::between(&earlier, &twice).is_empty());
    }
}
