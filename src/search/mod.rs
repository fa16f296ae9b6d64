//! Query → ranked hits over the index: words and CJK runs of the query, expanded through the
//! vocabulary, with one-typo tolerance for Latin words.

mod seeking_union;

use crate::index::analyzer::{cjk_unigrams, units, Unit};
use crate::index::schema::{weights, Fields};
use crate::index::{ConceptLookup, SearchIndex};
use crate::model::{Kind, Record};
use serde::Serialize;
use std::collections::HashSet;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

/// Latin words at least this long tolerate one typo.
const TYPO_MIN_CHARS: usize = 5;

/// What to search for.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    pub kind: Option<Kind>,
    pub limit: usize,
}

/// How the hits relate to the query's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchMode {
    /// Every word of the query matched (directly or through the vocabulary).
    AllWords,
    /// No record had every word; these have some of them.
    SomeWords,
}

/// One search result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    pub score: f32,
    /// The record meets every word of the query (hits that meet only some come after all
    /// those that meet every word).
    pub matched_all: bool,
    /// The record as indexed, as JSON: parsed only when asked for ([`Hit::record`]), so that
    /// thousands of hits per keystroke cost no parsing.
    #[serde(skip)]
    pub record_json: Option<String>,
}

impl Hit {
    /// The record as indexed (all its fields).
    pub fn record(&self) -> Option<Record> {
        self.record_json
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok())
    }
}

/// The ranked hits of one request, read from their stored documents.
pub type SearchResults = Ranked<Hit>;

/// Errors while searching.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search failed: {0}")]
    Index(#[from] tantivy::TantivyError),
}

fn boxed(q: impl Query + 'static, boost: f32) -> Box<dyn Query> {
    if (boost - 1.0).abs() < f32::EPSILON {
        Box::new(q)
    } else {
        Box::new(BoostQuery::new(Box::new(q), boost))
    }
}

fn any_of(clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        clauses.into_iter().map(|c| (Occur::Should, c)).collect(),
    ))
}

/// A query being built, with what decides how its unions are read.
struct Part {
    query: Box<dyn Query>,
    /// It looks for a phrase (a CJK run of several bigrams): whether a record matches is
    /// known only from the positions of its terms, which costs too much to read ahead.
    phrase: bool,
}

impl Part {
    fn plain(query: Box<dyn Query>) -> Part {
        Part {
            query,
            phrase: false,
        }
    }
}

/// Where a part stands, which decides how a union in it may be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Alone or beside one other part of an intersection: a union here may follow the
    /// intersection's seeks ([`seeking_union`]), whatever its cost, since two scores add up
    /// to the same in either order.
    MaySeek,
    /// Among three or more parts of an intersection, which adds their scores in the order of
    /// their costs: a union here is tantivy's own, so that costs (and so scores, to the last
    /// bit) stay as they were.
    Weighed,
}

impl Place {
    /// The place of each of `n` parts that must all match.
    fn of_all(n: usize, outer: Place) -> Place {
        if n >= 3 {
            Place::Weighed
        } else {
            outer
        }
    }
}

/// Documents matching any of `parts`; one that looks for a phrase follows seeks where it may.
fn union(parts: Vec<Part>, place: Place) -> Part {
    let phrase = parts.iter().any(|p| p.phrase);
    let clauses = parts.into_iter().map(|p| p.query).collect();
    let query: Box<dyn Query> = if phrase && place == Place::MaySeek {
        Box::new(seeking_union::SeekingUnion::new(clauses))
    } else {
        any_of(clauses)
    };
    Part { query, phrase }
}

/// Documents matching every one of `parts`.
fn intersection(parts: Vec<Part>) -> Part {
    let phrase = parts.iter().any(|p| p.phrase);
    Part {
        query: Box::new(BooleanQuery::new(
            parts.into_iter().map(|p| (Occur::Must, p.query)).collect(),
        )),
        phrase,
    }
}

/// One word or CJK run of the query, looked for in every searched field.
fn unit_query(unit: &Unit, fields: &Fields, place: Place) -> Part {
    let mut per_field: Vec<Part> = Vec::new();
    for (field, weight) in fields.searched() {
        match unit {
            Unit::Word(word) => {
                let term = Term::from_field_text(field, word);
                per_field.push(Part::plain(boxed(
                    TermQuery::new(term.clone(), IndexRecordOption::WithFreqs),
                    weight,
                )));
                if word.chars().count() >= TYPO_MIN_CHARS
                    && !word.chars().any(|c| c.is_ascii_digit())
                {
                    per_field.push(Part::plain(boxed(
                        FuzzyTermQuery::new(term, 1, true),
                        weight * weights::TYPO,
                    )));
                }
            }
            Unit::CjkRun(grams) if grams.len() == 1 => {
                let term = Term::from_field_text(field, &grams[0]);
                per_field.push(Part::plain(boxed(
                    TermQuery::new(term, IndexRecordOption::WithFreqs),
                    weight,
                )));
            }
            Unit::CjkRun(grams) => {
                let terms = grams
                    .iter()
                    .map(|g| Term::from_field_text(field, g))
                    .collect();
                per_field.push(Part {
                    query: boxed(PhraseQuery::new(terms), weight),
                    phrase: true,
                });
            }
        }
    }
    // A single CJK character is rarely a bigram of its own: look for it character by character.
    if let Unit::CjkRun(grams) = unit {
        if grams.len() == 1 && grams[0].chars().count() == 1 {
            let term = Term::from_field_text(fields.unigrams, &grams[0]);
            per_field.push(Part::plain(boxed(
                TermQuery::new(term, IndexRecordOption::WithFreqs),
                weights::UNIGRAMS,
            )));
        }
    }
    union(per_field, place)
}

/// The units worth searching for: a lone prolonged-sound mark (ー) says nothing, and a single
/// Latin letter only counts when it is all there is; repeated units count once.
fn meaningful_units(all: Vec<Unit>) -> Vec<Unit> {
    let says_something = |u: &Unit| match u {
        Unit::CjkRun(grams) => !grams.iter().all(|g| g.chars().all(|c| c == 'ー')),
        Unit::Word(_) => true,
    };
    let mut kept: Vec<Unit> = Vec::new();
    for unit in all.iter().filter(|u| says_something(u)) {
        if !kept.contains(unit) {
            kept.push(unit.clone());
        }
    }
    if kept.len() > 1 {
        kept.retain(|u| !matches!(u, Unit::Word(w) if w.chars().count() == 1));
    }
    kept
}

/// Records filed under these concepts (directly or below them).
fn concept_query(concepts: &[(String, f32)], fields: &Fields) -> Option<Box<dyn Query>> {
    if concepts.is_empty() {
        return None;
    }
    Some(any_of(
        concepts
            .iter()
            .map(|(id, confidence)| {
                boxed(
                    TermQuery::new(
                        Term::from_field_text(fields.concepts, id),
                        IndexRecordOption::Basic,
                    ),
                    weights::CONCEPT_ID * confidence.clamp(0.1, 1.0),
                )
            })
            .collect(),
    ))
}

/// One whitespace-separated chunk of the query: its words must all match, or the chunk must
/// name a concept the record is filed under.
fn chunk_query(
    chunk: &str,
    fields: &Fields,
    lookup: &dyn ConceptLookup,
    place: Place,
) -> Option<Part> {
    let chunk_units = meaningful_units(units(chunk));
    if chunk_units.is_empty() {
        return None;
    }
    let unit_place = Place::of_all(chunk_units.len(), place);
    let text = intersection(
        chunk_units
            .iter()
            .map(|u| unit_query(u, fields, unit_place))
            .collect(),
    );
    match concept_query(&lookup.query_concepts(chunk), fields) {
        Some(concepts) => Some(union(vec![text, Part::plain(concepts)], place)),
        None => Some(text),
    }
}

/// Builds the query for a request; `require_all` ANDs the chunks, otherwise they are ORed.
/// `place` is [`Place::MaySeek`] but in tests, which build the query tantivy's unions alone
/// make with [`Place::Weighed`].
fn build_query(
    request: &SearchRequest,
    fields: &Fields,
    lookup: &dyn ConceptLookup,
    require_all: bool,
    place: Place,
) -> Option<Box<dyn Query>> {
    let mut chunks: Vec<&str> = Vec::new();
    for chunk in request.query.split_whitespace() {
        if !chunks.contains(&chunk) {
            chunks.push(chunk);
        }
    }
    let chunk_place = if require_all {
        Place::of_all(chunks.len(), place)
    } else {
        place
    };
    let mut clauses: Vec<Part> = chunks
        .iter()
        .filter_map(|c| chunk_query(c, fields, lookup, chunk_place))
        .collect();
    if clauses.is_empty() {
        // Only punctuation, or nothing: maybe single CJK characters survive as unigrams.
        let mut grams = cjk_unigrams(&request.query);
        grams.retain(|g| g != "ー");
        if grams.is_empty() {
            return None;
        }
        clauses = grams
            .iter()
            .map(|g| {
                Part::plain(boxed(
                    TermQuery::new(
                        Term::from_field_text(fields.unigrams, g),
                        IndexRecordOption::WithFreqs,
                    ),
                    1.0,
                ))
            })
            .collect();
    }
    let mut words = if require_all {
        intersection(clauses)
    } else {
        union(clauses, place)
    };
    // Several words that together name one concept ("pancreatic cancer", "acute myeloid
    // leukemia") also find what is filed under that concept.
    if chunks.len() > 1 {
        if let Some(whole) = concept_query(&whole_query_concepts(request, &chunks, lookup), fields)
        {
            words = union(vec![words, Part::plain(whole)], place);
        }
    }
    let mut top: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, words.query)];
    if let Some(kind) = request.kind {
        top.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(fields.kind, kind.as_str()),
                IndexRecordOption::Basic,
            )),
        ));
    }
    Some(Box::new(BooleanQuery::new(top)))
}

/// The concepts the whole query names, without those broader than a concept one of its words
/// names: "小児がん RNA-seq" read as がん must not let every cancer record meet "小児がん".
fn whole_query_concepts(
    request: &SearchRequest,
    chunks: &[&str],
    lookup: &dyn ConceptLookup,
) -> Vec<(String, f32)> {
    let mut broader: Vec<String> = Vec::new();
    for chunk in chunks {
        for (concept, _) in lookup.query_concepts(chunk) {
            broader.extend(lookup.ancestors(&concept));
        }
    }
    lookup
        .query_concepts(&request.query)
        .into_iter()
        .filter(|(c, _)| !broader.contains(c))
        .collect()
}

/// Concepts the query names, best first, for display.
pub fn query_concepts(query: &str, lookup: &dyn ConceptLookup) -> Vec<String> {
    let chunks: Vec<&str> = query.split_whitespace().collect();
    let whole = SearchRequest {
        query: query.to_string(),
        kind: None,
        limit: 1,
    };
    let mut found: Vec<String> = whole_query_concepts(&whole, &chunks, lookup)
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    for chunk in chunks {
        for (c, _) in lookup.query_concepts(chunk) {
            if !found.contains(&c) {
                found.push(c);
            }
        }
    }
    found
}

fn hit_from(doc: &TantivyDocument, fields: &Fields, score: f32) -> Option<Hit> {
    let text = |f| {
        doc.get_first(f)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let id = text(fields.id)?;
    let kind = Kind::parse(&text(fields.kind)?)?;
    // The first stored title is the record's own headline (`Record::title`).
    let title = text(fields.title).unwrap_or_default();
    Some(Hit {
        id,
        kind,
        title,
        score,
        matched_all: true,
        record_json: text(fields.record),
    })
}

/// How a search reads its hits from the index: each document found becomes a hit told apart
/// from the others by its key (the record's id), or none. [`search`] reads the stored
/// document; the app reads ids it mapped once (`index::doc_ids`), and the store only for
/// documents it did not map.
pub trait ReadHit {
    type Hit;
    type Key: Eq + std::hash::Hash;
    /// The hit of the document at `address`, found with `score`; `matched_all` says whether it
    /// meets every word of the query.
    fn read(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        score: f32,
        matched_all: bool,
    ) -> tantivy::Result<Option<(Self::Key, Self::Hit)>>;
}

/// Hits read from their stored documents.
pub struct StoredHits<'a>(pub &'a Fields);

impl ReadHit for StoredHits<'_> {
    type Hit = Hit;
    type Key = String;

    fn read(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        score: f32,
        matched_all: bool,
    ) -> tantivy::Result<Option<(String, Hit)>> {
        let doc: TantivyDocument = searcher.doc(address)?;
        Ok(hit_from(&doc, self.0, score).map(|hit| (hit.id.clone(), Hit { matched_all, ..hit })))
    }
}

/// Runs a search: the records that meet every word first, then (up to the limit) those that
/// meet only some, marked `matched_all: false`.
pub fn search(
    index: &SearchIndex,
    lookup: &dyn ConceptLookup,
    request: &SearchRequest,
) -> Result<SearchResults, SearchError> {
    let searcher = index.reader.searcher();
    search_with(
        &searcher,
        &index.fields,
        lookup,
        request,
        &StoredHits(&index.fields),
    )
}

/// The ranked hits of one request, as a [`ReadHit`] reads them.
#[derive(Debug, Clone)]
pub struct Ranked<H> {
    pub hits: Vec<H>,
    /// How many records matched in all (beyond the limit).
    pub total: usize,
    pub mode: MatchMode,
    /// Concepts the query was read as, for "searching also for …" hints.
    pub concepts: Vec<String>,
}

/// [`search`] with `searcher`, each hit read by `reader`: the same hits in the same order,
/// however they are read.
pub fn search_with<R: ReadHit>(
    searcher: &Searcher,
    fields: &Fields,
    lookup: &dyn ConceptLookup,
    request: &SearchRequest,
    reader: &R,
) -> Result<Ranked<R::Hit>, SearchError> {
    search_placed(searcher, fields, lookup, request, reader, Place::MaySeek)
}

/// [`search_with`], its query built for `place`.
fn search_placed<R: ReadHit>(
    searcher: &Searcher,
    fields: &Fields,
    lookup: &dyn ConceptLookup,
    request: &SearchRequest,
    reader: &R,
    place: Place,
) -> Result<Ranked<R::Hit>, SearchError> {
    let concepts = query_concepts(&request.query, lookup);
    // Never more than there are records: a huge --limit must not become a huge allocation.
    let limit = request.limit.clamp(
        1,
        usize::try_from(searcher.num_docs())
            .unwrap_or(usize::MAX)
            .max(1),
    );
    let mut hits: Vec<R::Hit> = Vec::new();
    // What is already in `hits`: the some-words pass finds the all-words records again, and a
    // scan of `hits` per hit made thousands of hits cost millions of comparisons.
    let mut seen_docs: HashSet<DocAddress> = HashSet::new();
    let mut seen_keys: HashSet<R::Key> = HashSet::new();
    let mut all_words = 0;
    let mut total = 0;
    for require_all in [true, false] {
        let Some(query) = build_query(request, fields, lookup, require_all, place) else {
            break;
        };
        let (top, count) = searcher.search(
            &query,
            &(TopDocs::with_limit(limit).order_by_score(), Count),
        )?;
        if require_all {
            all_words = count;
        }
        // The some-words query also finds every all-words record.
        total = total.max(count);
        for (score, address) in top {
            if hits.len() >= limit {
                break;
            }
            if !seen_docs.insert(address) {
                continue;
            }
            if let Some((key, hit)) = reader.read(searcher, address, score, require_all)? {
                if seen_keys.insert(key) {
                    hits.push(hit);
                }
            }
        }
        if hits.len() >= limit {
            break;
        }
    }
    let mode = if all_words > 0 || hits.is_empty() {
        MatchMode::AllWords
    } else {
        MatchMode::SomeWords
    };
    Ok(Ranked {
        hits,
        total,
        mode,
        concepts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Area, Catalog, Dataset};

    /// A two-level vocabulary: 髄芽腫/medulloblastoma and 膵がん/pancreatic cancer, both under
    /// がん; 小児がん above medulloblastoma.
    struct TinyVocab;

    const CONCEPTS: &[(&str, &[&str], &[&str])] = &[
        (
            "medulloblastoma",
            &["髄芽腫", "medulloblastoma"],
            &["pediatric_cancer", "cancer"],
        ),
        (
            "pancreatic_cancer",
            &["膵がん", "pancreatic cancer"],
            &["cancer"],
        ),
        (
            "pediatric_cancer",
            &["小児がん", "pediatric cancer"],
            &["cancer"],
        ),
        ("cancer", &["がん", "cancer"], &[]),
    ];

    impl ConceptLookup for TinyVocab {
        fn field_concepts(&self, value: &str) -> Vec<String> {
            let v = crate::text::normalize(value);
            CONCEPTS
                .iter()
                .filter(|(_, terms, _)| terms.iter().any(|t| crate::text::normalize(t) == v))
                .map(|(id, _, _)| id.to_string())
                .collect()
        }
        fn text_concepts(&self, text: &str) -> Vec<String> {
            let v = crate::text::normalize(text);
            CONCEPTS
                .iter()
                .filter(|(_, terms, _)| {
                    terms.iter().any(|t| v.contains(&crate::text::normalize(t)))
                })
                .map(|(id, _, _)| id.to_string())
                .collect()
        }
        fn ancestors(&self, concept: &str) -> Vec<String> {
            CONCEPTS
                .iter()
                .find(|(id, _, _)| *id == concept)
                .map(|(_, _, up)| up.iter().map(|s| s.to_string()).collect())
                .unwrap_or_default()
        }
        fn terms(&self, concept: &str) -> Vec<String> {
            CONCEPTS
                .iter()
                .find(|(id, _, _)| *id == concept)
                .map(|(_, t, _)| t.iter().map(|s| s.to_string()).collect())
                .unwrap_or_default()
        }
        fn query_concepts(&self, query: &str) -> Vec<(String, f32)> {
            self.field_concepts(query)
                .into_iter()
                .map(|c| (c, 1.0))
                .collect()
        }
        fn fingerprint(&self) -> u64 {
            1
        }
    }

    fn dataset(id: &str, title: &str, diseases: &[&str], summary: &str) -> Dataset {
        Dataset {
            id: id.into(),
            title: title.into(),
            area: Area::Cancer,
            diseases: diseases.iter().map(|s| s.to_string()).collect(),
            cases: 100,
            modalities: vec!["WGS".into()],
            clinical: vec![],
            custodian: None,
            fiscal_year: None,
            access: None,
            data_use: vec!["GRU".into()],
            summary: Some(summary.into()),
            extra: Default::default(),
        }
    }

    fn index() -> SearchIndex {
        let catalog = Catalog {
            datasets: vec![
                dataset(
                    "D1",
                    "Pediatric medulloblastoma WGS cohort",
                    &["medulloblastoma"],
                    "Tumour/normal pairs.",
                ),
                dataset(
                    "D2",
                    "膵がん 全ゲノム解析コホート",
                    &["膵がん"],
                    "切除例と進行例。",
                ),
                dataset("D3", "クローン性造血の解析", &[], "clonal hematopoiesis"),
                dataset("D4", "クローン病 多施設コホート", &[], "炎症性腸疾患"),
                dataset("D5", "肺がん RNA-seq", &[], "lung adenocarcinoma"),
            ],
            ..Catalog::default()
        };
        SearchIndex::build_in_ram(&catalog, &TinyVocab).unwrap()
    }

    fn ids(index: &SearchIndex, query: &str) -> Vec<String> {
        let request = SearchRequest {
            query: query.into(),
            kind: None,
            limit: 10,
        };
        search(index, &TinyVocab, &request)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect()
    }

    #[test]
    fn broad_japanese_term_finds_english_titled_narrow_record() {
        assert_eq!(ids(&index(), "小児がん"), vec!["D1"]);
    }

    #[test]
    fn english_word_finds_japanese_record_through_concept_names() {
        assert_eq!(ids(&index(), "pancreatic"), vec!["D2"]);
    }

    #[test]
    fn one_typo_is_tolerated() {
        assert_eq!(ids(&index(), "medulloblastma"), vec!["D1"]);
    }

    #[test]
    fn crohn_query_does_not_match_clone_records() {
        assert_eq!(ids(&index(), "クローン病"), vec!["D4"]);
        let both = ids(&index(), "クローン");
        assert!(both.contains(&"D3".to_string()) && both.contains(&"D4".to_string()));
    }

    #[test]
    fn one_character_query_finds_records() {
        assert_eq!(ids(&index(), "肺"), vec!["D5"]);
    }

    #[test]
    fn all_words_are_required_when_some_record_has_them() {
        let index = index();
        let request = SearchRequest {
            query: "肺がん RNA".into(),
            kind: None,
            limit: 10,
        };
        let results = search(&index, &TinyVocab, &request).unwrap();
        assert_eq!(results.mode, MatchMode::AllWords);
        assert_eq!(results.hits.len(), 1);
        assert_eq!(results.hits[0].id, "D5");
    }

    #[test]
    fn falls_back_to_some_words_when_none_has_all() {
        let index = index();
        let request = SearchRequest {
            query: "medulloblastoma 膵がん".into(),
            kind: None,
            limit: 10,
        };
        let results = search(&index, &TinyVocab, &request).unwrap();
        assert_eq!(results.mode, MatchMode::SomeWords);
        assert_eq!(results.hits.len(), 2);
    }

    #[test]
    fn repeated_words_and_lone_marks_do_not_change_the_result() {
        let index = index();
        let score = |q: &str| {
            let request = SearchRequest {
                query: q.into(),
                kind: None,
                limit: 10,
            };
            search(&index, &TinyVocab, &request).unwrap().hits[0].score
        };
        assert_eq!(score("膵がん"), score("膵がん 膵がん 膵がん"));
        assert!(ids(&index, "ー").is_empty());
    }

    #[test]
    fn kind_filter_excludes_other_kinds() {
        let index = index();
        let request = SearchRequest {
            query: "がん".into(),
            kind: Some(Kind::Need),
            limit: 10,
        };
        assert!(search(&index, &TinyVocab, &request)
            .unwrap()
            .hits
            .is_empty());
    }
}

#[cfg(test)]
mod same_hits_tests;
