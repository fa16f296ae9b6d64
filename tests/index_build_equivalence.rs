//! An index build's shortcuts (analysed texts cached per field, the vocabulary's answers
//! remembered per build) must not change the index: a generated catalog indexed the fast way
//! and the plain way (every text analysed afresh, every document made straight from the
//! vocabulary) gives the same terms, the same tokens and the same search results.

mod common;

use common::{indexed_fields, terms_of};
use musubi::index::analyzer::{
    cjk_unigrams, tokens, BilingualTokenizer, UnigramTokenizer, BILINGUAL, CJK_UNIGRAM,
};
use musubi::index::documents::{record_text, Names};
use musubi::index::{ConceptLookup, Fields, SearchIndex};
use musubi::model::{Catalog, Record};
use musubi::search::{search, SearchRequest};
use musubi::vocab::Vocabulary;
use std::collections::{BTreeSet, HashMap};
use tantivy::schema::{Field, Value};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{Index, ReloadPolicy, TantivyDocument};

const RECORDS: usize = 2_000;
const SEED: u64 = 12;

/// Tokens at positions 0, 1, 2, …, as the index's analyzers give them.
fn positioned(texts: Vec<String>) -> Vec<Token> {
    texts
        .into_iter()
        .enumerate()
        .map(|(position, text)| Token {
            offset_from: 0,
            offset_to: 0,
            position,
            text,
            position_length: 1,
        })
        .collect()
}

/// An analyzer that works every text out afresh: the plain way.
#[derive(Clone)]
struct Plain(fn(&str) -> Vec<String>);

struct PlainStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for PlainStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

impl Tokenizer for Plain {
    type TokenStream<'a> = PlainStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PlainStream {
        PlainStream {
            tokens: positioned((self.0)(text)),
            next: 0,
        }
    }
}

/// The document of one record made straight from the vocabulary, nothing remembered.
fn plain_document(
    record: &Record,
    names: &Names,
    fields: &Fields,
    lookup: &dyn ConceptLookup,
) -> TantivyDocument {
    let text = record_text(record, names);
    let mut direct = BTreeSet::new();
    for value in &text.diseases {
        direct.extend(lookup.disease_concepts(value));
    }
    for value in text.keywords.iter().filter(|k| !text.diseases.contains(k)) {
        direct.extend(lookup.field_concepts(value));
    }
    for title in &text.titles {
        direct.extend(lookup.text_concepts(title));
    }
    if direct.is_empty() {
        for body in &text.body {
            direct.extend(lookup.text_concepts(body));
        }
    }
    let ancestors: BTreeSet<String> = direct
        .iter()
        .flat_map(|c| lookup.ancestors(c))
        .filter(|a| !direct.contains(a))
        .collect();
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.id, record.id());
    doc.add_text(fields.id_text, record.id());
    doc.add_text(fields.kind, record.kind().as_str());
    for title in &text.titles {
        doc.add_text(fields.title, title);
        doc.add_text(fields.unigrams, title);
    }
    for k in &text.keywords {
        doc.add_text(fields.keywords, k);
        doc.add_text(fields.unigrams, k);
    }
    for r in &text.related {
        doc.add_text(fields.related, r);
    }
    for b in &text.body {
        doc.add_text(fields.body, b);
        doc.add_text(fields.unigrams, b);
    }
    for c in &direct {
        doc.add_text(fields.concepts, c);
        doc.add_text(fields.concept_terms, lookup.terms(c).join(" / "));
    }
    for c in &ancestors {
        doc.add_text(fields.concepts, c);
        doc.add_text(fields.ancestor_terms, lookup.terms(c).join(" / "));
    }
    let json = serde_json::to_string(record).expect("a record serialises");
    doc.add_text(fields.record, json);
    doc
}

fn plain_documents(catalog: &Catalog, fields: &Fields) -> Vec<TantivyDocument> {
    let names = Names::of(catalog).expect("a catalog in memory");
    catalog
        .records()
        .map(|r| plain_document(&r, &names, fields, Vocabulary::builtin()))
        .collect()
}

/// The catalog indexed the plain way, in memory.
fn plain_index(catalog: &Catalog) -> SearchIndex {
    let fields = Fields::new();
    let index = Index::create_in_ram(fields.schema.clone());
    index.tokenizers().register(BILINGUAL, Plain(tokens));
    index
        .tokenizers()
        .register(CJK_UNIGRAM, Plain(cjk_unigrams));
    let mut writer: tantivy::IndexWriter = index
        .writer_with_num_threads(1, 64 * 1024 * 1024)
        .expect("writer");
    for doc in plain_documents(catalog, &fields) {
        writer.add_document(doc).expect("add");
    }
    writer.commit().expect("commit");
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .expect("reader");
    SearchIndex {
        index,
        reader,
        fields,
    }
}

#[test]
fn the_index_has_the_same_terms_and_search_results_as_a_plain_build() {
    let catalog = musubi::synthetic::catalog(RECORDS, SEED);
    let built = SearchIndex::build_in_ram(&catalog, Vocabulary::builtin()).expect("index");
    let plain = plain_index(&catalog);
    assert_eq!(built.len(), plain.len());

    for (name, field) in indexed_fields(&built.fields) {
        let (built_terms, built_tokens) = terms_of(&built, field);
        let (plain_terms, plain_tokens) = terms_of(&plain, field);
        assert!(!plain_terms.is_empty(), "{name}: nothing indexed");
        assert_eq!(built_tokens, plain_tokens, "{name}: token count");
        assert!(built_terms == plain_terms, "{name}: terms differ");
    }

    let queries = [
        "pancreatic cancer",
        "膵がん",
        "小児がん RNA-seq",
        "肺",
        "がん",
        "白血病",
        "leukaemia",
        "tumour",
        "neuroblastoma",
        "神経芽腫",
        "ALS",
        "Duchenne muscular dystrophy",
        "AML WGS",
        "methylation cohort",
        "全ゲノム解析",
        "biomarker 予後",
        "treatment response",
        "follow-up",
        "希少 バイオバンク",
        "青葉大学",
        "Researcher 12",
        "北辰株式会社",
        "neuroblastma",
        "BRCA1変異",
        "DS0000042",
    ];
    let mut found = 0;
    for query in queries {
        let request = SearchRequest {
            query: query.into(),
            kind: None,
            limit: RECORDS,
        };
        let results = |index: &SearchIndex| {
            let results = search(index, Vocabulary::builtin(), &request).expect("search");
            // Records with equal scores may come in either order (segments differ).
            let mut hits: Vec<(String, u32, bool)> = results
                .hits
                .iter()
                .map(|h| (h.id.clone(), h.score.to_bits(), h.matched_all))
                .collect();
            hits.sort();
            (hits, results.total, results.mode, results.concepts)
        };
        let (built_results, plain_results) = (results(&built), results(&plain));
        found += plain_results.0.len();
        assert_eq!(built_results, plain_results, "{query}");
    }
    assert!(found > 1_000, "the queries should find records: {found}");
}

#[test]
fn cached_analyzers_give_the_tokens_of_plain_analysis_for_every_text() {
    let catalog = musubi::synthetic::catalog(RECORDS, SEED);
    let fields = Fields::new();
    let unigrams = fields.unigrams;
    // As tantivy does: one analyzer per field, fed that field's texts record after record
    // (twice, so that every repeated text is also served from the cache).
    let mut bilingual: HashMap<Field, BilingualTokenizer> = HashMap::new();
    let mut unigram = UnigramTokenizer::default();
    let documents = plain_documents(&catalog, &fields);
    let mut texts = 0;
    let mut distinct = BTreeSet::new();
    for _ in 0..2 {
        for doc in &documents {
            for (field, value) in doc.field_values() {
                let Some(text) = value.as_str() else { continue };
                let entry = built_field(&fields, field);
                let (mut stream, plain): (Box<dyn TokenStream>, _) = if field == unigrams {
                    (
                        Box::new(unigram.token_stream(text)),
                        positioned(cjk_unigrams(text)),
                    )
                } else if entry {
                    (
                        Box::new(bilingual.entry(field).or_default().token_stream(text)),
                        positioned(tokens(text)),
                    )
                } else {
                    continue;
                };
                let mut seen = Vec::new();
                while stream.advance() {
                    seen.push(stream.token().clone());
                }
                assert_eq!(seen, plain, "{text:?}");
                texts += 1;
                distinct.insert((field, text.to_string()));
            }
        }
    }
    // Texts do repeat (else the cache was never tested).
    assert!(distinct.len() * 4 < texts, "{} of {texts}", distinct.len());
}

/// True for the fields the bilingual analyzer indexes.
fn built_field(fields: &Fields, field: Field) -> bool {
    [
        fields.title,
        fields.id_text,
        fields.keywords,
        fields.concept_terms,
        fields.ancestor_terms,
        fields.related,
        fields.body,
    ]
    .contains(&field)
}
