//! Search as you type: the index (with the vocabulary) first, then fuzzy matches of ids, names
//! and titles that the index did not find (prefixes, half-typed words).

use super::action::{Found, SearchOutcome};
use super::data::Data;
use super::fuzzy_score::Scorer;
use super::haystack;
use super::listing;
use super::one_char;
use crate::index::doc_ids::DocIds;
use crate::index::SearchIndex;
use crate::model::Kind;
use crate::search::{search_with, MatchMode, ReadHit, SearchRequest, StoredHits};
use rayon::prelude::*;
use std::collections::HashSet;
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

/// Records that held the last scanned query's characters in order, each with the narrowest
/// window of its texts known to hold them: a query that goes on from it (the next keystroke)
/// can only match among them, and only where that window is narrow enough (see
/// [`Narrowing::reading_limit`]), so only those are read again.
#[derive(Debug, Default)]
pub struct Narrowing {
    query: Vec<char>,
    /// (position in [`Data::records`], the narrowest window: exact for records read for
    /// `query`, a lower bound for those carried over unread).
    records: Vec<(u32, u32)>,
}

impl Narrowing {
    /// How many characters `wanted` adds to the last query, when it goes on from it.
    fn added(&self, wanted: &[char]) -> Option<usize> {
        (!self.query.is_empty() && wanted.starts_with(&self.query))
            .then(|| wanted.len() - self.query.len())
    }

    /// The widest window of the last query in which a record can still match `added`
    /// characters more compactly: a compact match of the longer query spans at most twice
    /// its length, and leaving out its last `added` characters narrows it by at least
    /// `added`.
    fn reading_limit(&self, added: usize) -> usize {
        2 * self.query.len() + added
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
            let record = h.record.filter(|&at| data.id_at(at).is_some())?;
            Some(Found {
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
    let mut fuzzy = fuzzy_matches(data, trimmed, &found, stale, narrowing)?;
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

/// True when the ASCII `wanted` occurs in `text` in order, each character in either case (the
/// matcher's comparison), by byte search: no byte of a character outside ASCII is an ASCII
/// byte. Most texts fail here, far more cheaply than in the scorer.
fn ascii_in_order(text: &[u8], wanted: &[u8]) -> bool {
    let mut rest = text;
    for w in wanted {
        match memchr::memchr2(w.to_ascii_lowercase(), w.to_ascii_uppercase(), rest) {
            Some(at) => rest = rest.get(at + 1..).unwrap_or(&[]),
            None => return false,
        }
    }
    true
}

/// What a record's texts hold of the query: the narrowest window holding its characters in
/// order (`None`: no text holds them) and the best compact score (for several characters,
/// worked out only when `scored`).
fn read_texts(
    texts: [&str; haystack::TEXTS],
    wanted: &[char],
    ascii: Option<&[u8]>,
    scored: bool,
) -> (Option<usize>, Option<i64>) {
    let mut window: Option<usize> = None;
    let mut best: Option<i64> = None;
    for text in texts {
        let read = match (wanted, ascii) {
            // One character (the first keystroke, which nearly every record holds): scored
            // in one pass (the matcher's scores, see `one_char`).
            ([_], Some(&[b])) => one_char::score_ascii(text.as_bytes(), b).map(|s| (1, Some(s))),
            ([c], _) => one_char::score(text, *c).map(|s| (1, Some(s))),
            (_, Some(bytes)) if !ascii_in_order(text.as_bytes(), bytes) => None,
            _ => SCORER.with_borrow_mut(|scorer| {
                scorer
                    .read(text, wanted, scored)
                    .map(|r| (r.window, r.score))
            }),
        };
        if let Some((w, score)) = read {
            window = Some(window.map_or(w, |least| least.min(w)));
            best = best.max(score);
        }
    }
    (window, best)
}

thread_local! {
    /// The scorer's buffers, one set per thread of the scan.
    static SCORER: std::cell::RefCell<Scorer> = std::cell::RefCell::default();
}

/// Records whose id, name or title matches the query fuzzily (compact matches only), scored
/// below every index hit and in record order, leaving out those `found` by the index; `None`
/// once `stale` says so (`narrowing` then left as it was). Reads only the records `narrowing`
/// leaves, on every core.
fn fuzzy_matches(
    data: &Data,
    query: &str,
    found: &[Found],
    stale: &dyn Fn() -> bool,
    narrowing: &mut Narrowing,
) -> Option<Vec<Found>> {
    // A query of several words never matches fuzzily (see `highlight::fuzzy`): no scan.
    if query.contains(char::is_whitespace) {
        return Some(Vec::new());
    }
    let wanted: Vec<char> = query.chars().collect();
    let ascii: Option<Vec<u8>> = wanted
        .iter()
        .map(|&c| u8::try_from(c).ok().filter(u8::is_ascii))
        .collect();
    let mask = haystack::ascii_mask(query.bytes());
    let seen = found_already(data, found);
    let haystack = data.haystack();
    // Every record (window 0: read), or those the last query left.
    let added = narrowing.added(&wanted);
    let limit = added.map_or(usize::MAX, |added| narrowing.reading_limit(added));
    // Taken whole, so that a scan cut short by a panic leaves no narrowing (the next query
    // reads every record) rather than the last query with no records; put back when stale.
    let last_query = std::mem::take(&mut narrowing.query);
    let previous = added.map(|_| std::mem::take(&mut narrowing.records));
    let added = u32::try_from(added.unwrap_or(0)).unwrap_or(u32::MAX);
    let count = previous.as_ref().map_or(data.records().len(), Vec::len);
    let entry = |k: usize| match &previous {
        Some(records) => records.get(k).copied(),
        None => Some((u32::try_from(k).ok()?, 0)),
    };
    let mut kept = Vec::new();
    let mut matches = Vec::new();
    for start in (0..count).step_by(STALE_CHECK_EVERY) {
        if stale() {
            narrowing.query = last_query;
            if let Some(records) = previous {
                narrowing.records = records;
            }
            return None;
        }
        let read: Vec<Option<(u32, u32, Option<Found>)>> = (start
            ..count.min(start + STALE_CHECK_EVERY))
            .into_par_iter()
            .map(|k| {
                let (i, window) = entry(k)?;
                if window as usize > limit {
                    // Not read: its window for the longer query is at least this much wider.
                    return Some((i, window.saturating_add(added), None));
                }
                if !haystack.may_hold(i, mask) {
                    return None;
                }
                // Records the index found are read for the next keystroke only.
                let unseen = !seen.get(i as usize).copied().unwrap_or(true);
                let (window, best) =
                    read_texts(haystack.texts(i)?, &wanted, ascii.as_deref(), unseen);
                let window = u32::try_from(window?).unwrap_or(u32::MAX);
                let found = match best {
                    Some(best) if unseen => Some(Found {
                        kind: haystack.kind(i)?,
                        // Index scores are positive and usually above 0.1: keep fuzzy ones
                        // beneath.
                        score: (best as f32 / 10_000.0).min(0.099),
                        matched_all: false,
                        record: i,
                    }),
                    _ => None,
                };
                Some((i, window, found))
            })
            .collect();
        for (i, window, found) in read.into_iter().flatten() {
            kept.push((i, window));
            matches.extend(found);
        }
    }
    *narrowing = Narrowing {
        query: wanted,
        records: kept,
    };
    Some(matches)
}

/// Which records (by position) the index found: those `found` lists, and any record sharing
/// an id with one of them (the fuzzy scan leaves out every record of an id found).
fn found_already(data: &Data, found: &[Found]) -> Vec<bool> {
    let mut seen = vec![false; data.records().len()];
    for f in found {
        if let Some(mark) = seen.get_mut(f.record as usize) {
            *mark = true;
        }
    }
    let sharing = data.sharing_ids();
    if !sharing.is_empty() {
        let ids: HashSet<&str> = found.iter().map(|f| data.id_of(f)).collect();
        for &i in sharing {
            if data.id_at(i).is_some_and(|id| ids.contains(id.as_ref())) {
                if let Some(mark) = seen.get_mut(i as usize) {
                    *mark = true;
                }
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::widgets::highlight;
    use crate::workspace::builtin_vocabulary;
    use fuzzy_matcher::skim::SkimMatcherV2;

    /// The scan as it was before the in-order check: every record asked of the matcher (a new
    /// one for each text: one kept reads values earlier texts left in its matrix).
    fn every_record_asked(data: &Data, query: &str) -> Vec<(String, f32)> {
        data.records()
            .iter()
            .filter_map(|r| {
                let title = r.title();
                let best = [Some(r.id()), Some(title.as_str()), r.title_en()]
                    .into_iter()
                    .flatten()
                    .filter_map(|text| {
                        let matcher = SkimMatcherV2::default().ignore_case();
                        highlight::fuzzy(&matcher, text, query).map(|(s, _)| s)
                    })
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
            let found: Vec<(String, f32)> =
                fuzzy_matches(&data, query, &[], &|| false, &mut Narrowing::default())
                    .into_iter()
                    .flatten()
                    .map(|f| (data.id_of(&f).to_string(), f.score))
                    .collect();
            assert_eq!(found, every_record_asked(&data, query), "{query}");
        }
        assert!(
            fuzzy_matches(&data, "Synth", &[], &|| false, &mut Narrowing::default())
                .is_some_and(|found| !found.is_empty())
        );
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
        // Stale once the scan has begun (after the index search's two questions): put back.
        let asked = std::cell::Cell::new(0);
        let stale_in_scan = || {
            asked.set(asked.get() + 1);
            asked.get() > 2
        };
        assert!(find_unless(&data, &index, "R00", &stale_in_scan, &mut narrowing).is_none());
        assert!(asked.get() > 2, "the scan asked");
        assert_eq!((narrowing.query.len(), narrowing.records.len()), (2, kept));
    }

    #[test]
    fn narrowing_keeps_what_only_a_longer_query_matches_compactly() {
        let mut catalog = crate::synthetic::catalog(2_000, 17);
        let crafted = [
            // "pan" and "panc" are spread too wide to match; "pancr" is not.
            "pxxxxxancreas",
            "p_a_n_c_r_e_a_s",
            "PaNcReAs",
            "ppaannccrr",
            "xxsss 000 lll",
            "膵xxxxがん",
        ];
        for (dataset, title) in catalog.datasets.iter_mut().zip(crafted) {
            dataset.title = title.to_string();
        }
        let spread = catalog.datasets[0].id.clone();
        let data = Data::new(catalog, builtin_vocabulary(), "test".into(), 0);
        let index = SearchIndex::build_in_ram(&data.catalog, data.vocabulary.as_ref())
            .expect("index built");
        let lists = |query: &str, found: &SearchOutcome| {
            found.found.iter().any(|f| data.id_of(f) == spread) && !query.is_empty()
        };
        // Typed a key at a time, keys skipped (a stale search never finished), and anew.
        let typings: [&[&str]; 6] = [
            &["p", "pa", "pan", "panc", "pancr", "pancre"],
            &["p", "pancr"],
            &["pan", "pancreas"],
            &["s", "ss", "sss", "0", "00", "000", "l", "ll"],
            &["膵", "膵が", "膵がん"],
            &["x", "xp", "p", "pa"],
        ];
        let mut listed_spread = Vec::new();
        for typed in typings {
            let mut narrowing = Narrowing::default();
            for &query in typed {
                let narrowed = find_unless(&data, &index, query, &|| false, &mut narrowing)
                    .expect("never stale");
                assert_eq!(
                    narrowed,
                    find(&data, &index, query),
                    "{query} after {typed:?}"
                );
                if lists(query, &narrowed) {
                    listed_spread.push(query);
                }
            }
        }
        assert!(listed_spread.contains(&"pancr"), "{listed_spread:?}");
        assert!(!listed_spread.contains(&"pan"), "{listed_spread:?}");
        assert!(!listed_spread.contains(&"panc"), "{listed_spread:?}");
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
}
