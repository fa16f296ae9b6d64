//! The tantivy schema for all five kinds, built in one place; fields are looked up once.

use super::analyzer::{BILINGUAL, CJK_UNIGRAM};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, STORED, STRING,
};

/// Bumped whenever the schema, the analyzers or a file stored beside the index (catalog
/// snapshot, match candidates) change shape, so old indexes are rebuilt once instead of being
/// read the slow way. 2: match candidates as columns of numbers (`mscand05`). 3: a catalog
/// snapshot whose records can be read one chunk at a time (`mscat002`).
pub const SCHEMA_VERSION: u32 = 3;

/// Every field of the index, with its weight in relevance ranking where it is searched.
#[derive(Debug, Clone)]
pub struct Fields {
    pub schema: Schema,
    /// Record id, exact (stored).
    pub id: Field,
    /// `dataset`, `researcher`, … (exact, stored).
    pub kind: Field,
    /// Title or name, in every language the record has (analysed, stored).
    pub title: Field,
    /// The record's id, analysed, so `DS-C01` or `c01` can be typed.
    pub id_text: Field,
    /// Disease, expertise, interest, modality and strategy strings as written.
    pub keywords: Field,
    /// Names of the vocabulary concepts the record names directly (both languages).
    pub concept_terms: Field,
    /// Names of the broader concepts above them (小児がん above medulloblastoma).
    pub ancestor_terms: Field,
    /// Concept ids, direct and ancestors (exact).
    pub concepts: Field,
    /// Affiliations, custodians, owners, proposers and other related names.
    pub related: Field,
    /// Summaries, need texts and unknown text fields.
    pub body: Field,
    /// Every text above as single CJK characters, for one-character queries.
    pub unigrams: Field,
    /// The record as JSON, to show hits without reading the data files again.
    pub record: Field,
}

/// Relevance weights of the searched fields: titles and names weigh more than summaries.
pub mod weights {
    pub const TITLE: f32 = 3.0;
    pub const ID: f32 = 2.0;
    pub const KEYWORDS: f32 = 2.0;
    pub const CONCEPT_TERMS: f32 = 1.8;
    pub const CONCEPT_ID: f32 = 2.5;
    pub const ANCESTOR_TERMS: f32 = 0.8;
    pub const RELATED: f32 = 1.0;
    pub const BODY: f32 = 1.0;
    pub const UNIGRAMS: f32 = 0.5;
    /// A one-typo match of a word counts this much of an exact one.
    pub const TYPO: f32 = 0.6;
}

fn analysed(tokenizer: &str, stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(tokenizer)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored {
        options.set_stored()
    } else {
        options
    }
}

impl Fields {
    /// Builds the schema.
    pub fn new() -> Fields {
        let mut builder = Schema::builder();
        let id = builder.add_text_field("id", STRING | STORED);
        let kind = builder.add_text_field("kind", STRING | STORED);
        let title = builder.add_text_field("title", analysed(BILINGUAL, true));
        let id_text = builder.add_text_field("id_text", analysed(BILINGUAL, false));
        let keywords = builder.add_text_field("keywords", analysed(BILINGUAL, false));
        let concept_terms = builder.add_text_field("concept_terms", analysed(BILINGUAL, false));
        let ancestor_terms = builder.add_text_field("ancestor_terms", analysed(BILINGUAL, false));
        let concepts = builder.add_text_field("concepts", STRING);
        let related = builder.add_text_field("related", analysed(BILINGUAL, false));
        let body = builder.add_text_field("body", analysed(BILINGUAL, false));
        let unigrams = builder.add_text_field("unigrams", analysed(CJK_UNIGRAM, false));
        let record = builder.add_text_field("record", STORED);
        Fields {
            schema: builder.build(),
            id,
            kind,
            title,
            id_text,
            keywords,
            concept_terms,
            ancestor_terms,
            concepts,
            related,
            body,
            unigrams,
            record,
        }
    }

    /// Looks the fields up in the schema of an index opened from disk.
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let get = |name: &str| schema.get_field(name);
        Ok(Fields {
            schema: schema.clone(),
            id: get("id")?,
            kind: get("kind")?,
            title: get("title")?,
            id_text: get("id_text")?,
            keywords: get("keywords")?,
            concept_terms: get("concept_terms")?,
            ancestor_terms: get("ancestor_terms")?,
            concepts: get("concepts")?,
            related: get("related")?,
            body: get("body")?,
            unigrams: get("unigrams")?,
            record: get("record")?,
        })
    }

    /// The analysed fields a query word is looked for in, with their weights.
    pub fn searched(&self) -> [(Field, f32); 7] {
        [
            (self.title, weights::TITLE),
            (self.id_text, weights::ID),
            (self.keywords, weights::KEYWORDS),
            (self.concept_terms, weights::CONCEPT_TERMS),
            (self.ancestor_terms, weights::ANCESTOR_TERMS),
            (self.related, weights::RELATED),
            (self.body, weights::BODY),
        ]
    }
}

impl Default for Fields {
    fn default() -> Self {
        Fields::new()
    }
}
