//! Searching with [`Place::MaySeek`] (unions that follow seeks) and segments read on every
//! core finds what tantivy's own unions found on one thread: the same hits in the same order,
//! with the same scores to the last bit, the same totals and the same mode.

use super::*;
use crate::synthetic;
use crate::vocab::Vocabulary;
use tantivy::Executor;

/// Japanese, English and mixed queries; phrases (CJK runs of several bigrams) alone, beside
/// one other chunk and among three or more; words with typos; ids; a query no record meets in
/// full (the some-words pass) and one of single characters.
const QUERIES: &[&str] = &[
    "小児がん",
    "膵がん 全ゲノム",
    "膵がん WGS",
    "全ゲノム解析",
    "希少疾患",
    "希少 難病 全ゲノム",
    "臨床情報 治療効果 予後 再発",
    "神経芽腫 RNA-seq",
    "急性骨髄性白血病",
    "pancreatic cancer",
    "rare disease WGS",
    "neuroblastma",
    "AML RNA-seq",
    "tumour normal",
    "glioblastoma 膠芽腫 メチル化",
    "多施設共同 コホート biobank",
    "肺",
    "がん",
    "DS0000001",
    "膵がん zzzzqqq",
    "・肺・",
];

fn results(
    searcher: &Searcher,
    index: &SearchIndex,
    vocabulary: &Vocabulary,
    request: &SearchRequest,
    place: Place,
) -> (Vec<(String, u32, bool)>, usize, MatchMode) {
    let found = search_placed(
        searcher,
        &index.fields,
        vocabulary,
        request,
        &StoredHits(&index.fields),
        place,
    )
    .expect("search");
    let hits = found
        .hits
        .iter()
        .map(|h| (h.id.clone(), h.score.to_bits(), h.matched_all))
        .collect();
    (hits, found.total, found.mode)
}

#[test]
fn seeking_unions_on_every_core_find_what_tantivy_unions_on_one_thread_found() {
    let vocabulary = Vocabulary::builtin();
    let catalog = synthetic::catalog(3_000, 42);
    let index = SearchIndex::build_in_ram(&catalog, vocabulary).expect("index");
    let seeking = index.reader.searcher();

    let mut one_thread = index.index.clone();
    one_thread.set_executor(Executor::single_thread());
    let plain = one_thread.reader().expect("reader").searcher();

    let mut compared = 0;
    let mut phrases_seen = 0;
    for query in QUERIES {
        for kind in [None, Some(Kind::Dataset), Some(Kind::Researcher)] {
            for limit in [5, 50, 5_000] {
                let request = SearchRequest {
                    query: query.to_string(),
                    kind,
                    limit,
                };
                let new = results(&seeking, &index, vocabulary, &request, Place::MaySeek);
                let old = results(&plain, &index, vocabulary, &request, Place::Weighed);
                assert_eq!(new, old, "{query} {kind:?} limit {limit}");
                compared += 1;
                if query.contains("ゲノム") && !new.0.is_empty() {
                    phrases_seen += 1;
                }
            }
        }
    }
    assert_eq!(compared, QUERIES.len() * 9);
    assert!(
        phrases_seen > 0,
        "the catalog has records with phrases to find"
    );
}
