//! Search as you type: the index (with the vocabulary) first, then fuzzy matches of ids, names
//! and titles that the index did not find (prefixes, half-typed words).

use super::action::{Found, SearchOutcome};
use super::data::Data;
use super::listing;
use super::one_char;
use super::widgets::highlight;
use crate::index::doc_ids::DocIds;
use crate::index::SearchIndex;
use crate::model::Kind;
use crate::search::{search_with, MatchMode, ReadHit, SearchRequest, StoredHits};
use fuzzy_matcher::skim::SkimMatcherV2;
use rayon::prelude::*;
use std::collections::HashSet;
use std::sync::Arc;
use tantivy::{DocAddress, Searcher};

/// At most this many index hits per query: enough for any screen, cheap on large catalogs.
const MAX_HITS: usize = 5_000;

/// Records the fuzzy scan reads between two questions to `stale`.
const STALE_CHECK_EVERY: usize = 4_096;

/// Finds the records for a query, all kinds, best first; every record when the query is empty.
pub fn find(data: &Data, index: &SearchIndex, query: &str) -> SearchOutcome {
    find_unless(data, index, query, &|| false, &mut Narrowing::default()).unwrap_or_else(|| {
        SearchOutcome {
            query: query.to_string(),
            ..SearchOutcome::default()
        }
    })
}

/// Records that held the last scanned query's characters in order: a query that goes on from
/// it (the next keystroke) can only match among them, so only they are read again.
#[derive(Debug, Default)]
pub struct Narrowing {
    query: Vec<char>,
    records: Vec<u32>,
}

impl Narrowing {
    /// The records (positions in [`Data::records`]) worth reading for `wanted`.
    fn pool(&self, wanted: &[char], total: usize) -> Vec<u32> {
        if !self.query.is_empty() && wanted.starts_with(&self.query) {
            self.records.clone()
        } else {
            (0..total).filter_map(|i| u32::try_from(i).ok()).collect()
        }
    }
}

/// [`find`], given up (`None`) as soon as `stale` says its result is no longer wanted (a newer
/// query was typed): asked before and after the index search and as the fuzzy scan goes on.
/// `narrowing` is what the last query left (see [`Narrowing`]), and is updated.
pub fn find_unless(
    data: &Data,
    index: &SearchIndex,
    query: &str,
    stale: &dyn Fn() -> bool,
    narrowing: &mut Narrowing,
) -> Option<SearchOutcome> {
    find_with(data, index, None, query, stale, narrowing)
}

/// [`find_unless`], the index's hits turned into records through `ids` (read once, see
/// [`DocIds`]) rather than by opening each hit's stored document: the same outcome, cheaper.
pub fn find_with(
    data: &Data,
    index: &SearchIndex,
    ids: Option<&DocIds>,
    query: &str,
    stale: &dyn Fn() -> bool,
    narrowing: &mut Narrowing,
) -> Option<SearchOutcome> {
    if stale() {
        return None;
    }
    let trimmed = query.trim();
    if trimmed.is_empty() {
        let (found, tabs) = data.listed();
        return Some(SearchOutcome {
            query: query.to_string(),
            found,
            tabs,
            concepts: Vec::new(),
            some_words: false,
        });
    }
    let request = SearchRequest {
        query: trimmed.to_string(),
        kind: None,
        limit: data.records().len().clamp(1, MAX_HITS),
    };
    let mut found = Vec::new();
    let mut concepts = Vec::new();
    let mut some_words = false;
    let searcher = ids.map_or_else(|| index.reader.searcher(), |ids| ids.searcher().clone());
    let reader = RecordHits {
        data,
        ids,
        stored: StoredHits(&index.fields),
    };
    let results = search_with(
        &searcher,
        &index.fields,
        data.vocabulary.as_ref(),
        &request,
        &reader,
    );
    if let Ok(results) = results {
        // Hits that meet only some words follow those that meet all: say so.
        some_words = (results.mode == MatchMode::SomeWords && !results.hits.is_empty())
            || results.hits.iter().any(|h| !h.matched_all);
        concepts = results
            .concepts
            .iter()
            .take(3)
            .map(|c| data.vocabulary.label(c, true))
            .collect();
        // Hits on records the data does not have are left out.
        found.extend(results.hits.into_iter().filter_map(|h| {
            let record = h.record?;
            Some(Found {
                id: data.id_at(record)?.clone(),
                kind: h.kind,
                score: h.score,
                matched_all: h.matched_all,
                record,
            })
        }));
    }
    if stale() {
        return None;
    }
    let seen: HashSet<Arc<str>> = found.iter().map(|f| f.id.clone()).collect();
    let mut fuzzy = fuzzy_matches(data, trimmed, &seen, stale, narrowing)?;
    fuzzy.sort_by(|a, b| b.score.total_cmp(&a.score));
    found.extend(fuzzy);
    let tabs = listing::split(&found);
    Some(SearchOutcome {
        query: query.to_string(),
        found: found.into(),
        tabs,
        concepts,
        some_words,
    })
}

/// An index hit as the app reads it: the record's position (`None`: an id the data does not
/// have), kind, score and whether it meets every word.
struct RecordHit {
    record: Option<u32>,
    kind: Kind,
    score: f32,
    matched_all: bool,
}

/// What tells hits apart: the record, or the id of one the data does not have.
#[derive(PartialEq, Eq, Hash)]
enum HitKey {
    Record(u32),
    Unknown(String),
}

/// Reads hits through [`DocIds`] when given, from the stored document otherwise (and for any
/// document it did not map): the same hits either way.
struct RecordHits<'a> {
    data: &'a Data,
    ids: Option<&'a DocIds>,
    stored: StoredHits<'a>,
}

impl ReadHit for RecordHits<'_> {
    type Hit = RecordHit;
    type Key = HitKey;

    fn read(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        score: f32,
        matched_all: bool,
    ) -> tantivy::Result<Option<(HitKey, RecordHit)>> {
        if let Some((record, kind)) = self.ids.and_then(|ids| ids.get(address)) {
            let hit = RecordHit {
                record: Some(record),
                kind,
                score,
                matched_all,
            };
            return Ok(Some((HitKey::Record(record), hit)));
        }
        let Some((id, hit)) = self.stored.read(searcher, address, score, matched_all)? else {
            return Ok(None);
        };
        let record = self.data.position(&id);
        let key = record.map_or(HitKey::Unknown(id), HitKey::Record);
        let hit = RecordHit {
            record,
            kind: hit.kind,
            score,
            matched_all,
        };
        Ok(Some((key, hit)))
    }
}

/// True when `wanted` occurs in `text` in order, each character compared as written or lower
/// cased: at least as lenient as the fuzzy matcher's case-insensitive comparison, so a text
/// it rejects could never match fuzzily.
fn has_in_order(text: &str, wanted: &[char]) -> bool {
    if let Some(held) = ascii_in_order(text.as_bytes(), wanted) {
        return held;
    }
    let mut wanted = wanted.iter().peekable();
    for c in text.chars() {
        let Some(&&w) = wanted.peek() else {
            return true;
        };
        if same_folded(c, w) {
            wanted.next();
        }
    }
    wanted.peek().is_none()
}

/// [`has_in_order`] by byte search when every wanted character is ASCII other than `k`
/// (which the Kelvin sign matches too): no byte of a character outside ASCII is an ASCII
/// byte, so only ASCII characters can match them. `None` when that does not hold.
fn ascii_in_order(text: &[u8], wanted: &[char]) -> Option<bool> {
    if !wanted
        .iter()
        .all(|w| w.is_ascii() && !w.eq_ignore_ascii_case(&'k'))
    {
        return None;
    }
    let mut rest = text;
    for w in wanted {
        let (lower, upper) = (w.to_ascii_lowercase() as u8, w.to_ascii_uppercase() as u8);
        match memchr::memchr2(lower, upper, rest) {
            Some(at) => rest = rest.get(at + 1..).unwrap_or(&[]),
            None => return Some(false),
        }
    }
    Some(true)
}

/// The only character outside ASCII whose lower case is one ASCII character (`k`); a test
/// checks this against every character.
const KELVIN_SIGN: char = '\u{212A}';

/// `c` and `w` are the same character, or the same in lower case: ASCII pairs compared
/// directly (the common case, and the costly one when every record's title is read).
fn same_folded(c: char, w: char) -> bool {
    if c == w {
        return true;
    }
    match (c.is_ascii(), w.is_ascii()) {
        (true, true) => c.eq_ignore_ascii_case(&w),
        (false, true) => c == KELVIN_SIGN && w.eq_ignore_ascii_case(&'k'),
        (true, false) => w == KELVIN_SIGN && c.eq_ignore_ascii_case(&'k'),
        (false, false) => c.to_lowercase().eq(w.to_lowercase()),
    }
}

/// Records whose id, name or title matches the query fuzzily (compact matches only), scored
/// below every index hit; `None` once `stale` says so. Reads only the records `narrowing`
/// leaves, on every core.
fn fuzzy_matches(
    data: &Data,
    query: &str,
    seen: &HashSet<Arc<str>>,
    stale: &dyn Fn() -> bool,
    narrowing: &mut Narrowing,
) -> Option<Vec<Found>> {
    // A query of several words never matches fuzzily (see `highlight::fuzzy`): no scan.
    if query.contains(char::is_whitespace) {
        return Some(Vec::new());
    }
    let wanted: Vec<char> = query.chars().collect();
    // One character (the first keystroke, which nearly every record holds): scored in one
    // pass, not through the matcher's matrix (the same scores, see `one_char`).
    let one = match wanted.as_slice() {
        [c] => Some(*c),
        _ => None,
    };
    let records = data.records();
    let matcher = SkimMatcherV2::default().ignore_case();
    let mut in_order = Vec::new();
    let mut found = Vec::new();
    for chunk in narrowing
        .pool(&wanted, records.len())
        .chunks(STALE_CHECK_EVERY)
    {
        if stale() {
            return None;
        }
        let read: Vec<(u32, Option<Found>)> = chunk
            .par_iter()
            .filter_map(|&i| {
                let r = records.get(i as usize)?;
                let title = r.title_text();
                // The fuzzy matcher wants every query character in order; most records have
                // not, and saying so is far cheaper than asking the matcher.
                // (No list is made: most records have some text to check.)
                let texts = [Some(r.id()), Some(title.as_ref()), r.title_en()]
                    .map(|text| text.filter(|text| has_in_order(text, &wanted)));
                if texts.iter().all(Option::is_none) {
                    return None;
                }
                if seen.contains(r.id()) {
                    return Some((i, None));
                }
                let id = data.id_at(i)?;
                let best = texts
                    .into_iter()
                    .flatten()
                    .filter_map(|text| match one {
                        Some(c) => one_char::score(text, c),
                        None => highlight::fuzzy(&matcher, text, query).map(|(s, _)| s),
                    })
                    .max();
                Some((
                    i,
                    best.map(|best| Found {
                        id: id.clone(),
                        kind: r.kind(),
                        // Index scores are positive and usually above 0.1: keep fuzzy ones
                        // beneath.
                        score: (best as f32 / 10_000.0).min(0.099),
                        matched_all: false,
                        record: i,
                    }),
                ))
            })
            .collect();
        for (i, hit) in read {
            in_order.push(i);
            found.extend(hit);
        }
    }
    *narrowing = Narrowing {
        query: wanted,
        records: in_order,
    };
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::builtin_vocabulary;

    /// The scan as it was before the in-order check: every record asked of the matcher.
    fn every_record_asked(data: &Data, query: &str) -> Vec<(String, f32)> {
        let matcher = SkimMatcherV2::default().ignore_case();
        data.records()
            .iter()
            .filter_map(|r| {
                let title = r.title();
                let best = [Some(r.id()), Some(title.as_str()), r.title_en()]
                    .into_iter()
                    .flatten()
                    .filter_map(|text| highlight::fuzzy(&matcher, text, query).map(|(s, _)| s))
                    .max()?;
                Some((r.id().to_string(), (best as f32 / 10_000.0).min(0.099)))
            })
            .collect()
    }

    #[test]
    fn the_in_order_check_drops_no_fuzzy_match() {
        let catalog = crate::synthetic::catalog(3000, 5);
        let data = Data::new(catalog, builtin_vocabulary(), "test".into(), 0);
        for query in [
            "ds00001",
            "R000",
            "pancrea",
            "PANC",
            "neurblst",
            "膵が",
            "Synth",
            "北辰",
            "ORG0",
            "全ゲノム",
            "xyzq",
            "がん 全",
        ] {
            let found: Vec<(String, f32)> = fuzzy_matches(
                &data,
                query,
                &HashSet::new(),
                &|| false,
                &mut Narrowing::default(),
            )
            .into_iter()
            .flatten()
            .map(|f| (f.id.to_string(), f.score))
            .collect();
            assert_eq!(found, every_record_asked(&data, query), "{query}");
        }
        assert!(fuzzy_matches(
            &data,
            "Synth",
            &HashSet::new(),
            &|| false,
            &mut Narrowing::default()
        )
        .is_some_and(|found| !found.is_empty()));
    }

    #[test]
    fn a_search_gives_up_once_it_is_stale_and_not_before() {
        // Two chunks of the fuzzy scan.
        let catalog = crate::synthetic::catalog(STALE_CHECK_EVERY + 1_000, 5);
        let data = Data::new(catalog, builtin_vocabulary(), "test".into(), 0);
        let index = SearchIndex::build_in_ram(&data.catalog, data.vocabulary.as_ref())
            .expect("index built");
        assert!(find_unless(
            &data,
            &index,
            "pancrea",
            &|| true,
            &mut Narrowing::default()
        )
        .is_none());
        // Stale part-way through the fuzzy scan (after the index search's two questions).
        let asked = std::cell::Cell::new(0);
        let stale_later = || {
            asked.set(asked.get() + 1);
            asked.get() > 3
        };
        assert!(find_unless(
            &data,
            &index,
            "pancrea",
            &stale_later,
            &mut Narrowing::default()
        )
        .is_none());
        assert!(asked.get() > 3, "the scan asked as it went");
        let kept = find_unless(
            &data,
            &index,
            "pancrea",
            &|| false,
            &mut Narrowing::default(),
        )
        .expect("never stale");
        assert_eq!(kept, find(&data, &index, "pancrea"));
        assert!(!kept.found.is_empty());
    }

    #[test]
    fn folding_with_an_ascii_shortcut_agrees_with_lower_case_everywhere() {
        let every_char = (0..=0x10FFFFu32).filter_map(char::from_u32);
        for c in every_char {
            let lower: Vec<char> = c.to_lowercase().collect();
            if !c.is_ascii() && matches!(lower.as_slice(), [l] if l.is_ascii()) {
                assert_eq!(c, KELVIN_SIGN, "{c:?} lowers to ASCII too");
            }
        }
        for (c, w) in [
            ('K', KELVIN_SIGN),
            ('k', KELVIN_SIGN),
            ('A', 'a'),
            ('Ä', 'ä'),
            ('が', 'が'),
        ] {
            assert!(same_folded(c, w) && same_folded(w, c), "{c:?} {w:?}");
        }
        for (c, w) in [
            ('a', 'b'),
            ('K', 'L'),
            (KELVIN_SIGN, 'x'),
            ('が', 'か'),
            ('İ', 'i'),
        ] {
            assert!(!same_folded(c, w), "{c:?} {w:?}");
            assert_eq!(
                same_folded(c, w),
                c.to_lowercase().eq(w.to_lowercase()),
                "{c:?} {w:?}"
            );
        }
    }

    #[test]
    fn narrowing_from_the_last_query_finds_what_a_fresh_search_finds() {
        let catalog = crate::synthetic::catalog(3_000, 11);
        let data = Data::new(catalog, builtin_vocabulary(), "test".into(), 0);
        let index = SearchIndex::build_in_ram(&data.catalog, data.vocabulary.as_ref())
            .expect("index built");
        let mut narrowing = Narrowing::default();
        let typed = [
            "p", "pa", "pan", "panc", "pancrea", "pancreas", "pan", "膵", "膵が", "R0", "R00",
            "R000", "R0001", "x", "",
        ];
        for query in typed {
            let narrowed = find_unless(&data, &index, query, &|| false, &mut narrowing);
            assert_eq!(narrowed, Some(find(&data, &index, query)), "{query}");
        }
        // A stale scan leaves the narrowing as the last finished query left it.
        find_unless(&data, &index, "R0", &|| false, &mut narrowing);
        let kept = narrowing.records.len();
        assert!(find_unless(&data, &index, "R00", &|| true, &mut narrowing).is_none());
        assert_eq!((narrowing.query.len(), narrowing.records.len()), (2, kept));
    }

    #[test]
    fn hits_read_through_the_mapped_ids_are_those_read_from_the_store() {
        let catalog = crate::synthetic::catalog(3_000, 13);
        let data = Data::new(catalog, builtin_vocabulary(), "test".into(), 0);
        let index = SearchIndex::build_in_ram(&data.catalog, data.vocabulary.as_ref())
            .expect("index built");
        let ids = DocIds::read(index.reader.searcher(), &index.fields, |id| {
            data.position(id)
        })
        .expect("ids read");
        let mut hits = 0;
        for query in [
            "p",
            "pa",
            "pancrea",
            "pancreatic cancer",
            "膵",
            "膵がん",
            "全ゲノム",
            "AML RNA-seq",
            "neuroblastma",
            "R0001",
            "DS00012",
            "xyzq",
            "がん 全",
        ] {
            let fresh = find(&data, &index, query);
            let mapped = find_with(
                &data,
                &index,
                Some(&ids),
                query,
                &|| false,
                &mut Narrowing::default(),
            );
            assert_eq!(mapped.as_ref(), Some(&fresh), "{query}");
            // Only index hits meet every word (fuzzy ones never do).
            hits += fresh.found.iter().filter(|f| f.matched_all).count();
        }
        assert!(hits > 100, "the index found records ({hits})");
        // Ids the data does not have: every hit is left out, as from the store.
        let none = DocIds::read(index.reader.searcher(), &index.fields, |_| None).expect("read");
        let mapped = find_with(
            &data,
            &index,
            Some(&none),
            "膵がん",
            &|| false,
            &mut Narrowing::default(),
        );
        assert_eq!(mapped, Some(find(&data, &index, "膵がん")));
    }

    #[test]
    fn in_order_means_every_character_in_order_in_either_case() {
        assert!(has_in_order("Pancreatic cancer", &['p', 'C', 'r']));
        assert!(has_in_order("膵がん 全ゲノム", &['膵', 'ゲ']));
        assert!(!has_in_order("Pancreatic", &['c', 'p']));
        assert!(has_in_order("anything", &[]));
    }

    #[test]
    fn the_ascii_byte_search_agrees_with_the_character_comparison() {
        /// The character comparison alone.
        fn by_chars(text: &str, wanted: &[char]) -> bool {
            let mut wanted = wanted.iter().peekable();
            for c in text.chars() {
                match wanted.peek() {
                    Some(&&w) if same_folded(c, w) => {
                        wanted.next();
                    }
                    Some(_) => {}
                    None => break,
                }
            }
            wanted.peek().is_none()
        }
        let texts = [
            "Pancreatic cancer",
            "膵がん panc WGS",
            "ＰＡＮ全角 pan",
            "\u{212A}elvin Kelvin",
            "DS-00012 (R0001)",
            "",
            "aPpLe",
            "ÄäÖö pa",
        ];
        let queries = [
            "p", "pa", "PAN", "an", "-0", "(r", "pq", "s ", "e", "ap", "zz", "k",
        ];
        let mut shortcut = 0;
        for text in texts {
            for query in queries {
                let wanted: Vec<char> = query.chars().collect();
                let expected = by_chars(text, &wanted);
                assert_eq!(
                    has_in_order(text, &wanted),
                    expected,
                    "{query:?} in {text:?}"
                );
                if let Some(held) = ascii_in_order(text.as_bytes(), &wanted) {
                    assert_eq!(held, expected, "{query:?} in {text:?}");
                    shortcut += 1;
                }
            }
        }
        assert!(shortcut > 50, "the shortcut was taken ({shortcut})");
        assert_eq!(ascii_in_order(b"Kelvin", &['k']), None);
        assert_eq!(ascii_in_order("膵".as_bytes(), &['膵']), None);
    }
}
