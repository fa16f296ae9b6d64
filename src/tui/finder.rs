//! Search as you type: the index (with the vocabulary) first, then fuzzy matches of ids, names
//! and titles that the index did not find (prefixes, half-typed words).

use super::action::{Found, SearchOutcome};
use super::data::Data;
use super::widgets::highlight;
use crate::index::SearchIndex;
use crate::search::{search, MatchMode, SearchRequest};
use fuzzy_matcher::skim::SkimMatcherV2;
use std::collections::HashSet;

/// At most this many index hits per query: enough for any screen, cheap on large catalogs.
const MAX_HITS: usize = 5_000;

/// Records the fuzzy scan reads between two questions to `stale`.
const STALE_CHECK_EVERY: usize = 4_096;

/// Finds the records for a query, all kinds, best first; every record when the query is empty.
pub fn find(data: &Data, index: &SearchIndex, query: &str) -> SearchOutcome {
    find_unless(data, index, query, &|| false).unwrap_or_else(|| SearchOutcome {
        query: query.to_string(),
        ..SearchOutcome::default()
    })
}

/// [`find`], given up (`None`) as soon as `stale` says its result is no longer wanted (a newer
/// query was typed): asked before and after the index search and as the fuzzy scan goes on.
pub fn find_unless(
    data: &Data,
    index: &SearchIndex,
    query: &str,
    stale: &dyn Fn() -> bool,
) -> Option<SearchOutcome> {
    if stale() {
        return None;
    }
    let trimmed = query.trim();
    if trimmed.is_empty() {
        return Some(SearchOutcome {
            query: query.to_string(),
            found: data
                .records()
                .iter()
                .map(|r| Found {
                    id: r.id().to_string(),
                    kind: r.kind(),
                    score: 0.0,
                    matched_all: true,
                })
                .collect(),
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
    if let Ok(results) = search(index, data.vocabulary.as_ref(), &request) {
        // Hits that meet only some words follow those that meet all: say so.
        some_words = (results.mode == MatchMode::SomeWords && !results.hits.is_empty())
            || results.hits.iter().any(|h| !h.matched_all);
        concepts = results
            .concepts
            .iter()
            .take(3)
            .map(|c| data.vocabulary.label(c, true))
            .collect();
        found.extend(
            results
                .hits
                .into_iter()
                .filter(|h| data.record(&h.id).is_some())
                .map(|h| Found {
                    id: h.id,
                    kind: h.kind,
                    score: h.score,
                    matched_all: h.matched_all,
                }),
        );
    }
    if stale() {
        return None;
    }
    let seen: HashSet<String> = found.iter().map(|f| f.id.clone()).collect();
    let mut fuzzy = fuzzy_matches(data, trimmed, &seen, stale)?;
    fuzzy.sort_by(|a, b| b.score.total_cmp(&a.score));
    found.extend(fuzzy);
    Some(SearchOutcome {
        query: query.to_string(),
        found,
        concepts,
        some_words,
    })
}

/// True when `wanted` occurs in `text` in order, each character compared as written or lower
/// cased: at least as lenient as the fuzzy matcher's case-insensitive comparison, so a text
/// it rejects could never match fuzzily.
fn has_in_order(text: &str, wanted: &[char]) -> bool {
    let mut wanted = wanted.iter().peekable();
    for c in text.chars() {
        let Some(&&w) = wanted.peek() else {
            return true;
        };
        if c == w || c.to_lowercase().eq(w.to_lowercase()) {
            wanted.next();
        }
    }
    wanted.peek().is_none()
}

/// Records whose id, name or title matches the query fuzzily (compact matches only), scored
/// below every index hit; `None` once `stale` says so.
fn fuzzy_matches(
    data: &Data,
    query: &str,
    seen: &HashSet<String>,
    stale: &dyn Fn() -> bool,
) -> Option<Vec<Found>> {
    // A query of several words never matches fuzzily (see `highlight::fuzzy`): no scan.
    if query.contains(char::is_whitespace) {
        return Some(Vec::new());
    }
    let wanted: Vec<char> = query.chars().collect();
    let matcher = SkimMatcherV2::default().ignore_case();
    let mut found = Vec::new();
    for chunk in data.records().chunks(STALE_CHECK_EVERY) {
        if stale() {
            return None;
        }
        found.extend(
            chunk
                .iter()
                .filter(|r| !seen.contains(r.id()))
                .filter_map(|r| {
                    let title = r.title_text();
                    let best = [Some(r.id()), Some(title.as_ref()), r.title_en()]
                        .into_iter()
                        .flatten()
                        // The fuzzy matcher wants every query character in order; most records have
                        // not, and saying so is far cheaper than asking the matcher.
                        .filter(|text| has_in_order(text, &wanted))
                        .filter_map(|text| highlight::fuzzy(&matcher, text, query).map(|(s, _)| s))
                        .max()?;
                    Some(Found {
                        id: r.id().to_string(),
                        kind: r.kind(),
                        // Index scores are positive and usually above 0.1: keep fuzzy ones beneath.
                        score: (best as f32 / 10_000.0).min(0.099),
                        matched_all: false,
                    })
                }),
        );
    }
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
            let found: Vec<(String, f32)> = fuzzy_matches(&data, query, &HashSet::new(), &|| false)
                .into_iter()
                .flatten()
                .map(|f| (f.id, f.score))
                .collect();
            assert_eq!(found, every_record_asked(&data, query), "{query}");
        }
        assert!(fuzzy_matches(&data, "Synth", &HashSet::new(), &|| false)
            .is_some_and(|found| !found.is_empty()));
    }

    #[test]
    fn a_search_gives_up_once_it_is_stale_and_not_before() {
        // Two chunks of the fuzzy scan.
        let catalog = crate::synthetic::catalog(STALE_CHECK_EVERY + 1_000, 5);
        let data = Data::new(catalog, builtin_vocabulary(), "test".into(), 0);
        let index = SearchIndex::build_in_ram(&data.catalog, data.vocabulary.as_ref())
            .expect("index built");
        assert!(find_unless(&data, &index, "pancrea", &|| true).is_none());
        // Stale part-way through the fuzzy scan (after the index search's two questions).
        let asked = std::cell::Cell::new(0);
        let stale_later = || {
            asked.set(asked.get() + 1);
            asked.get() > 3
        };
        assert!(find_unless(&data, &index, "pancrea", &stale_later).is_none());
        assert!(asked.get() > 3, "the scan asked as it went");
        let kept = find_unless(&data, &index, "pancrea", &|| false).expect("never stale");
        assert_eq!(kept, find(&data, &index, "pancrea"));
        assert!(!kept.found.is_empty());
    }

    #[test]
    fn in_order_means_every_character_in_order_in_either_case() {
        assert!(has_in_order("Pancreatic cancer", &['p', 'C', 'r']));
        assert!(has_in_order("膵がん 全ゲノム", &['膵', 'ゲ']));
        assert!(!has_in_order("Pancreatic", &['c', 'p']));
        assert!(has_in_order("anything", &[]));
    }
}
