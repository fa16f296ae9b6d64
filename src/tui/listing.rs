//! A search outcome as the app lists it. The worker splits the records found by tab
//! ([`Tabs`]: positions in the outcome's found records; every record in the natural order of
//! ids when there is no query, worked out once per opened data); the UI thread then only
//! narrows them by the active filters and counts the filter panel's values, over facet values
//! numbered once when the data is opened ([`FacetIndex`]). A keystroke compares numbers, not
//! strings, and copies no rows: each tab's [`Rows`] share the outcome's found records.

use super::action::Found;
use crate::facets::{Facet, FacetValues, Filters};
use crate::model::{Kind, Record};
use foldhash::{HashMap as SeededHashMap, HashSet as SeededHashSet};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

/// Each tab's rows (positions in the found records), in `Kind::ALL` order, in the order
/// listed: the search's order, or the natural order of ids when listing without a query.
pub type Tabs = [Arc<[u32]>; 5];

/// The position of a kind's tab in [`Tabs`] and the app's lists.
pub fn tab_of(kind: Kind) -> usize {
    Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

/// The found records split by tab, each in the order found.
pub fn split(found: &[Found]) -> Tabs {
    let mut tabs: [Vec<u32>; 5] = Default::default();
    for (i, f) in found.iter().enumerate() {
        if let Ok(i) = u32::try_from(i) {
            tabs[tab_of(f.kind)].push(i);
        }
    }
    tabs.map(Arc::from)
}

/// Every record as the empty query lists it: the found records in the records' order (score
/// 0), and each tab's ids in natural order (`N2` before `N10`; equal keys in records' order).
/// `ids` are the records' ids, shared with the rows.
pub fn every_record(records: &[Record], ids: &[Arc<str>]) -> (Arc<[Found]>, Tabs) {
    let found: Vec<Found> = records
        .iter()
        .zip(0u32..)
        .map(|(r, record)| Found {
            kind: r.kind(),
            score: 0.0,
            matched_all: true,
            record,
        })
        .collect();
    let mut tabs: [Vec<u32>; 5] = Default::default();
    for (f, i) in found.iter().zip(0u32..) {
        tabs[tab_of(f.kind)].push(i);
    }
    tabs.par_iter_mut().for_each(|tab| {
        // Stable, like the sort of each list it replaces; ids in order already (the common
        // case) cost one comparison each.
        tab.sort_by(|&a, &b| natural_cmp(&ids[a as usize], &ids[b as usize]));
    });
    (found.into(), tabs.map(Arc::from))
}

/// A key that orders ids naturally: runs of digits compare as numbers (`N2` < `N10`),
/// letters case-insensitively. The plain definition of the order [`natural_cmp`] gives (and
/// is tested against); the app itself compares with `natural_cmp`.
#[cfg(test)]
pub fn natural_key(id: &str) -> Vec<(String, u64)> {
    let mut key = Vec::new();
    let mut text = String::new();
    let mut digits = String::new();
    for c in id.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            if !digits.is_empty() {
                key.push((
                    std::mem::take(&mut text),
                    digits.parse().unwrap_or(u64::MAX),
                ));
                digits.clear();
            }
            text.extend(c.to_lowercase());
        }
    }
    key.push((text, digits.parse().unwrap_or(0)));
    key
}

/// `natural_key(a).cmp(&natural_key(b))`, without building either key: the ids are walked
/// a run of text and a run of digits at a time.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut a, mut b) = (NaturalRuns::new(a), NaturalRuns::new(b));
    loop {
        match (a.next(), b.next()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some((text_a, n_a)), Some((text_b, n_b))) => {
                let texts = if text_a.is_ascii() && text_b.is_ascii() {
                    text_a
                        .bytes()
                        .map(|c| c.to_ascii_lowercase())
                        .cmp(text_b.bytes().map(|c| c.to_ascii_lowercase()))
                } else {
                    text_a
                        .chars()
                        .flat_map(char::to_lowercase)
                        .cmp(text_b.chars().flat_map(char::to_lowercase))
                };
                let order = texts.then(n_a.cmp(&n_b));
                if order.is_ne() {
                    return order;
                }
            }
        }
    }
}

/// The elements of [`natural_key`] as slices of the id: each run of text (as written) with
/// the number of the run of ASCII digits after it; a run that does not fit a `u64` is
/// `u64::MAX` inside the id and 0 at its end, as `natural_key` reads them.
struct NaturalRuns<'a> {
    rest: &'a str,
    done: bool,
}

impl<'a> NaturalRuns<'a> {
    fn new(id: &'a str) -> NaturalRuns<'a> {
        NaturalRuns {
            rest: id,
            done: false,
        }
    }
}

impl<'a> Iterator for NaturalRuns<'a> {
    type Item = (&'a str, u64);

    fn next(&mut self) -> Option<(&'a str, u64)> {
        if self.done {
            return None;
        }
        let text_end = self
            .rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(self.rest.len());
        let (text, after) = self.rest.split_at(text_end);
        let digits_end = after
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len());
        let (digits, rest) = after.split_at(digits_end);
        self.rest = rest;
        let last = rest.is_empty();
        self.done = last;
        let overflow = if last { 0 } else { u64::MAX };
        let number = if digits.is_empty() {
            0
        } else {
            digits.parse().unwrap_or(overflow)
        };
        Some((text, number))
    }
}

/// The rows of one tab: positions in a search's found records, which they share.
#[derive(Clone, Default)]
pub struct Rows {
    found: Arc<[Found]>,
    shown: Arc<[u32]>,
}

impl Rows {
    /// The rows at `shown` (positions in `found`, in the order listed).
    pub fn new(found: Arc<[Found]>, shown: Arc<[u32]>) -> Rows {
        Rows { found, shown }
    }

    pub fn len(&self) -> usize {
        self.shown.len()
    }

    pub fn is_empty(&self) -> bool {
        self.shown.is_empty()
    }

    /// The `i`th row.
    pub fn get(&self, i: usize) -> Option<&Found> {
        self.shown
            .get(i)
            .and_then(|&at| self.found.get(at as usize))
    }

    pub fn first(&self) -> Option<&Found> {
        self.get(0)
    }

    /// The rows in the order listed.
    pub fn iter(&self) -> impl Iterator<Item = &Found> + Clone + '_ {
        self.shown
            .iter()
            .filter_map(|&at| self.found.get(at as usize))
    }
}

impl PartialEq for Rows {
    fn eq(&self, other: &Rows) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl std::fmt::Debug for Rows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// One bit per facet.
fn bit(facet: Facet) -> u8 {
    1 << (facet as u8)
}

/// Every facet value of the data numbered, in (facet, value) order, and each record's values
/// as those numbers.
#[derive(Debug, Default)]
pub struct FacetIndex {
    values: Vec<(Facet, String)>,
    /// Record `r`'s numbers are `numbers[starts[r]..starts[r + 1]]`.
    starts: Vec<usize>,
    numbers: Vec<u32>,
}

impl FacetIndex {
    /// Numbers the values of every record (`facets[r]`: record `r`'s values).
    pub fn new(facets: &[FacetValues]) -> FacetIndex {
        let distinct: SeededHashSet<(Facet, &str)> = facets
            .par_iter()
            .fold(SeededHashSet::default, |mut seen, values| {
                seen.extend(values.iter().map(|(f, v)| (*f, v.as_str())));
                seen
            })
            .reduce(SeededHashSet::default, |mut a, b| {
                a.extend(b);
                a
            });
        let mut values: Vec<(Facet, &str)> = distinct.into_iter().collect();
        values.sort_unstable();
        let number: SeededHashMap<(Facet, &str), u32> =
            values.iter().copied().zip(0u32..).collect();
        let per_record: Vec<Vec<u32>> = facets
            .par_iter()
            .map(|values| {
                values
                    .iter()
                    .filter_map(|(f, v)| number.get(&(*f, v.as_str())).copied())
                    .collect()
            })
            .collect();
        let mut starts = Vec::with_capacity(facets.len() + 1);
        let mut numbers = Vec::new();
        starts.push(0);
        for record in per_record {
            numbers.extend(record);
            starts.push(numbers.len());
        }
        FacetIndex {
            values: values
                .into_iter()
                .map(|(f, v)| (f, v.to_string()))
                .collect(),
            starts,
            numbers,
        }
    }

    /// Record `record`'s values, in the order they were numbered from.
    pub fn values_of(&self, record: u32) -> Vec<(Facet, String)> {
        self.of(record)
            .iter()
            .filter_map(|&n| self.values.get(n as usize).cloned())
            .collect()
    }

    /// All values of each facet, sorted.
    pub fn all_values(&self) -> BTreeMap<Facet, Vec<String>> {
        let mut all: BTreeMap<Facet, Vec<String>> = BTreeMap::new();
        for (facet, value) in &self.values {
            all.entry(*facet).or_default().push(value.clone());
        }
        all
    }

    /// The numbers of record `record`'s values.
    pub fn of(&self, record: u32) -> &[u32] {
        let r = record as usize;
        match (self.starts.get(r), self.starts.get(r + 1)) {
            (Some(&from), Some(&to)) => self.numbers.get(from..to).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The number of a value, if any record has it.
    fn number(&self, facet: Facet, value: &str) -> Option<usize> {
        self.values
            .binary_search_by(|(f, v)| (*f, v.as_str()).cmp(&(facet, value)))
            .ok()
    }

    /// The numbers of one facet's values.
    fn range(&self, facet: Facet) -> Range<usize> {
        self.values.partition_point(|(f, _)| *f < facet)
            ..self.values.partition_point(|(f, _)| *f <= facet)
    }

    /// The filters as numbers.
    pub fn compile(&self, active: &Filters) -> Compiled {
        let mut compiled = Compiled {
            required: 0,
            meets: vec![0; self.values.len()],
        };
        for (facet, value) in active {
            compiled.required |= bit(*facet);
            if let Some(n) = self.number(*facet, value) {
                compiled.meets[n] |= bit(*facet);
            }
        }
        compiled
    }

    /// The rows of `tab` (positions in `found`) that pass `filters`, in order.
    pub fn narrow(&self, found: &[Found], tab: &Arc<[u32]>, filters: &Compiled) -> Arc<[u32]> {
        if filters.required == 0 {
            return tab.clone();
        }
        tab.iter()
            .copied()
            .filter(|&at| {
                found
                    .get(at as usize)
                    .is_some_and(|f| filters.passes(self.of(f.record), None))
            })
            .collect()
    }

    /// The values of `facet` among the rows of `tab` with their counts, each counted with the
    /// other facets' filters of `active` applied but not its own, plus every active value of
    /// the facet (0 when no row has it); most frequent first, ties by value: the same as
    /// [`crate::facets::count`] over those rows.
    pub fn count(
        &self,
        found: &[Found],
        tab: &[u32],
        facet: Facet,
        active: &Filters,
    ) -> Vec<(String, usize)> {
        let filters = self.compile(active);
        let range = self.range(facet);
        let mut counts = vec![0usize; range.len()];
        for f in tab.iter().filter_map(|&at| found.get(at as usize)) {
            let numbers = self.of(f.record);
            if !filters.passes(numbers, Some(facet)) {
                continue;
            }
            for &n in numbers {
                if let Some(count) = (n as usize)
                    .checked_sub(range.start)
                    .and_then(|i| counts.get_mut(i))
                {
                    *count += 1;
                }
            }
        }
        let mut out: Vec<(String, usize)> = counts
            .iter()
            .zip(self.values.get(range).unwrap_or(&[]))
            .filter(|(n, _)| **n > 0)
            .map(|(n, (_, value))| (value.clone(), *n))
            .collect();
        for (f, value) in active {
            if *f == facet && !out.iter().any(|(v, _)| v == value) {
                out.push((value.clone(), 0));
            }
        }
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }
}

/// Active filters as numbers: which facets must be met, and which facet each value meets.
#[derive(Debug, Clone)]
pub struct Compiled {
    required: u8,
    meets: Vec<u8>,
}

impl Compiled {
    /// True when no filter is active.
    pub fn is_empty(&self) -> bool {
        self.required == 0
    }

    /// True when a record with these value numbers passes: within a facet any active value,
    /// across facets all; `except` leaves one facet out (for its own counts).
    pub fn passes(&self, numbers: &[u32], except: Option<Facet>) -> bool {
        let required = self.required & !except.map_or(0, bit);
        if required == 0 {
            return true;
        }
        let met = numbers
            .iter()
            .filter_map(|&n| self.meets.get(n as usize))
            .fold(0, |met, m| met | m);
        required & !met == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_cmp_orders_as_natural_keys_do() {
        let mut ids: Vec<String> = [
            "",
            "N2",
            "N10",
            "n10",
            "N010",
            "N1a",
            "N1A",
            "N1",
            "12",
            "012",
            "DS-C02",
            "DS-R01",
            "ds-r01",
            "a1b2c3",
            "a1b2c",
            "a1b",
            "Äb1",
            "äb1",
            "ÄB01",
            "膵1",
            "膵01x",
            "\u{212A}1",
            "k1",
            "N99999999999999999999",
            "N99999999999999999999x",
            "N18446744073709551615x",
            "N18446744073709551616",
            "x-",
            "x-1-",
            "İ1",
            "i̇1",
        ]
        .map(str::to_string)
        .to_vec();
        ids.extend(
            crate::synthetic::catalog(600, 4)
                .records()
                .map(|r| r.id().to_string()),
        );
        for a in &ids {
            for b in &ids {
                assert_eq!(
                    natural_cmp(a, b),
                    natural_key(a).cmp(&natural_key(b)),
                    "{a:?} against {b:?}"
                );
            }
        }
    }
}
