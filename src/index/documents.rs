//! Turns records into index documents, expanding their disease and other words through the
//! vocabulary so that a search for a broad term finds records named by a narrow one.

use super::schema::Fields;
use crate::load::unchanged::UnchangedRecords;
use crate::model::{Kind, Record};
use crate::records::{Damaged, RecordBatches, Records};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::rc::Rc;
use tantivy::TantivyDocument;

/// What the index needs from the vocabulary. Implemented by [`crate::vocab::Vocabulary`];
/// tests may use a small double.
pub trait ConceptLookup: Send + Sync {
    /// Concepts a structured field value names ("膵がん", "WGS", "drug_discovery").
    fn field_concepts(&self, value: &str) -> Vec<String>;
    /// Disease concepts a `diseases` value names, read as a disease even when it also names
    /// other things ("whole genome sequencing of gastric cancer").
    fn disease_concepts(&self, value: &str) -> Vec<String> {
        self.field_concepts(value)
    }
    /// Concepts named inside free text.
    fn text_concepts(&self, text: &str) -> Vec<String>;
    /// Broader concepts, transitively.
    fn ancestors(&self, concept: &str) -> Vec<String>;
    /// Every name of a concept, in both languages.
    fn terms(&self, concept: &str) -> Vec<String>;
    /// Concepts a search query names, with how sure the resolution is (0..=1).
    fn query_concepts(&self, query: &str) -> Vec<(String, f32)>;
    /// Changes whenever the vocabulary does, so indexes are rebuilt.
    fn fingerprint(&self) -> u64;
}

/// The strings of one record, sorted into the index's fields.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct RecordText {
    pub titles: Vec<String>,
    /// The `diseases` values (also among the keywords).
    pub diseases: Vec<String>,
    pub keywords: Vec<String>,
    pub related: Vec<String>,
    pub body: Vec<String>,
}

fn push_opt(into: &mut Vec<String>, value: &Option<String>) {
    if let Some(v) = value {
        if !v.trim().is_empty() {
            into.push(v.clone());
        }
    }
}

/// Display names by id of the records others point at (`custodian`, `proposer`, `partners`,
/// `owner`), built once per index build.
#[derive(Clone)]
pub struct Names(HashMap<String, String>);

impl Names {
    /// Collects the names (both languages) of every record that a record points at: only
    /// those are ever asked for, and at a million records a name for every record would cost
    /// over 100 MB.
    pub fn of(records: &dyn RecordBatches) -> Result<Names, Damaged> {
        let mut referenced: HashSet<String> = HashSet::new();
        records.datasets(&mut |batch| {
            referenced.extend(batch.iter().filter_map(|d| d.custodian.clone()));
        })?;
        records.proposals(&mut |batch| {
            for p in batch {
                referenced.extend(p.proposer.iter().chain(&p.partners).cloned());
            }
        })?;
        records.needs(&mut |batch| {
            referenced.extend(batch.iter().filter_map(|n| n.owner.clone()));
        })?;
        let mut names = HashMap::with_capacity(referenced.len());
        let mut add = |id: &str, record: &dyn Fn() -> Record| {
            if referenced.contains(id) {
                names.insert(id.to_string(), name_of(&record()));
            }
        };
        records.datasets(&mut |batch| {
            for d in batch {
                add(&d.id, &|| Record::Dataset(d.clone()));
            }
        })?;
        records.researchers(&mut |batch| {
            for r in batch {
                add(&r.id, &|| Record::Researcher(r.clone()));
            }
        })?;
        records.organizations(&mut |batch| {
            for o in batch {
                add(&o.id, &|| Record::Organization(o.clone()));
            }
        })?;
        records.proposals(&mut |batch| {
            for p in batch {
                add(&p.id, &|| Record::Proposal(p.clone()));
            }
        })?;
        records.needs(&mut |batch| {
            for n in batch {
                add(&n.id, &|| Record::Need(n.clone()));
            }
        })?;
        Ok(Names(names))
    }

    /// [`Names::of`] told from what is known already: `pointed_at`, every id a record points
    /// at (as the load read them), and `earlier`, the names a build before gave, which still
    /// hold for the records of files unchanged since (`unchanged`). Only the records pointed
    /// at that are not in an unchanged file, or were not named before, are decoded; `None`
    /// when one does not.
    pub fn of_known(
        records: &dyn Records,
        pointed_at: &HashSet<&str>,
        earlier: &Names,
        unchanged: &UnchangedRecords,
    ) -> Option<Names> {
        let mut names = HashMap::with_capacity(pointed_at.len());
        for kind in Kind::ALL {
            for at in 0..records.count(kind) {
                let id = records.id(kind, at);
                if !pointed_at.contains(id) {
                    continue;
                }
                let name = match (unchanged.earlier_position(kind, at), earlier.0.get(id)) {
                    (Some(_), Some(name)) => name.clone(),
                    _ => name_of(&records.record(kind, at)?),
                };
                names.insert(id.to_string(), name);
            }
        }
        Some(Names(names))
    }

    /// The name of the record with this id, or the value itself when it is not an id.
    pub fn of_reference(&self, id: &str) -> String {
        self.0.get(id).cloned().unwrap_or_else(|| id.to_string())
    }

    /// The ids whose name differs between `self` and `earlier`, or that only one of them
    /// names: the documents of the records pointing at them changed.
    pub fn changed_since(&self, earlier: &Names) -> HashSet<String> {
        let differs = |a: &Names, b: &Names| -> Vec<String> {
            a.0.iter()
                .filter(|(id, name)| b.0.get(*id) != Some(*name))
                .map(|(id, _)| id.clone())
                .collect()
        };
        let mut changed: HashSet<String> = differs(self, earlier).into_iter().collect();
        changed.extend(differs(earlier, self));
        changed
    }

    /// The names as bytes, sorted by id (see [`Names::from_bytes`]).
    pub fn to_bytes(&self) -> Result<Vec<u8>, postcard::Error> {
        let mut sorted: Vec<(&String, &String)> = self.0.iter().collect();
        sorted.sort_unstable();
        postcard::to_stdvec(&sorted)
    }

    /// Names written by [`Names::to_bytes`]; `None` when the bytes are not such.
    pub fn from_bytes(bytes: &[u8]) -> Option<Names> {
        let pairs: Vec<(String, String)> = postcard::from_bytes(bytes).ok()?;
        Some(Names(pairs.into_iter().collect()))
    }
}

/// The name a document gives a record it points at: its title in both languages.
fn name_of(record: &Record) -> String {
    match record.title_en() {
        Some(en) => format!("{} {}", record.title(), en),
        None => record.title(),
    }
}

/// The ids `record` points at whose names go into its document (`custodian`, `proposer`,
/// `partners`, `owner`), as [`record_text`] looks them up.
pub fn pointed_at(record: &Record) -> Vec<&str> {
    record.pointed_at()
}

/// Sorts a record's strings into fields.
pub fn record_text(record: &Record, names: &Names) -> RecordText {
    let mut t = RecordText {
        titles: vec![record.title()],
        ..RecordText::default()
    };
    if let Some(en) = record.title_en() {
        t.titles.push(en.to_string());
    }
    t.diseases = record.diseases().to_vec();
    match record {
        Record::Dataset(d) => {
            t.keywords.extend(d.diseases.iter().cloned());
            t.keywords.extend(d.modalities.iter().cloned());
            t.keywords.extend(d.clinical.iter().cloned());
            push_opt(&mut t.body, &d.summary);
        }
        Record::Researcher(r) => {
            t.keywords.extend(r.diseases.iter().cloned());
            t.keywords.extend(r.expertise.iter().cloned());
            push_opt(&mut t.related, &r.affiliation);
            push_opt(&mut t.related, &r.affiliation_en);
            push_opt(&mut t.related, &r.role);
            push_opt(&mut t.body, &r.summary);
        }
        Record::Organization(o) => {
            t.keywords.extend(o.interests.iter().cloned());
            t.keywords.extend(o.offers.iter().cloned());
            push_opt(&mut t.related, &o.sector);
            push_opt(&mut t.body, &o.summary);
        }
        Record::Proposal(p) => {
            t.keywords.extend(p.diseases.iter().cloned());
            t.keywords.extend(p.exit_strategy.iter().cloned());
            t.keywords.extend(p.modalities.iter().cloned());
            push_opt(&mut t.body, &p.summary);
        }
        Record::Need(n) => {
            t.keywords.extend(n.diseases.iter().cloned());
            t.keywords.extend(n.modalities.iter().cloned());
            t.body.push(n.text.clone());
        }
    }
    // Researchers and organisations point at no one: their `related` strings are their own.
    t.related.extend(
        pointed_at(record)
            .into_iter()
            .map(|id| names.of_reference(id)),
    );
    for value in record.extra().values() {
        if let Some(s) = value.as_str() {
            t.body.push(s.to_string());
        }
    }
    t
}

/// A concept id, shared between the records that name it.
type Concept = Rc<str>;

/// What the vocabulary says about one concept, for the index.
struct ConceptText {
    /// Broader concepts, as [`ConceptLookup::ancestors`] gives them.
    ancestors: Rc<[Concept]>,
    /// Every name of the concept, joined by ` / `.
    terms: Box<str>,
}

/// Field values whose concepts one [`Documents`] remembers (a bound, so that odd data with a
/// new value in every record cannot grow it without end).
const REMEMBERED_VALUES: usize = 100_000;

/// Builds the index documents of one catalog. The same few thousand field values and concepts
/// recur in record after record, so what the vocabulary says about each (its concepts, their
/// ancestors, their names) is worked out once per build instead of once per record.
pub struct Documents<'a> {
    names: Names,
    fields: &'a Fields,
    lookup: &'a dyn ConceptLookup,
    disease_values: HashMap<String, Rc<[Concept]>>,
    field_values: HashMap<String, Rc<[Concept]>>,
    concepts: HashMap<Concept, ConceptText>,
}

impl<'a> Documents<'a> {
    /// A builder for the documents of `records`.
    pub fn new(
        records: &dyn RecordBatches,
        fields: &'a Fields,
        lookup: &'a dyn ConceptLookup,
    ) -> Result<Self, Damaged> {
        Ok(Documents::with_names(Names::of(records)?, fields, lookup))
    }

    /// A builder for documents whose references `names` names (see [`Names::of`]).
    pub fn with_names(names: Names, fields: &'a Fields, lookup: &'a dyn ConceptLookup) -> Self {
        Documents {
            names,
            fields,
            lookup,
            disease_values: HashMap::new(),
            field_values: HashMap::new(),
            concepts: HashMap::new(),
        }
    }

    /// The names the documents' references were given.
    pub fn into_names(self) -> Names {
        self.names
    }

    /// The concepts of a value, remembered in `memo`.
    fn value_concepts(
        memo: &mut HashMap<String, Rc<[Concept]>>,
        value: &str,
        resolve: impl FnOnce(&str) -> Vec<String>,
    ) -> Rc<[Concept]> {
        if let Some(found) = memo.get(value) {
            return Rc::clone(found);
        }
        let found: Rc<[Concept]> = resolve(value).into_iter().map(Concept::from).collect();
        if memo.len() >= REMEMBERED_VALUES {
            memo.clear();
        }
        memo.insert(value.to_string(), Rc::clone(&found));
        found
    }

    /// What the vocabulary says about `concept`, worked out on first use.
    fn concept(&mut self, concept: &Concept) -> &ConceptText {
        let lookup = self.lookup;
        self.concepts
            .entry(Rc::clone(concept))
            .or_insert_with(|| ConceptText {
                ancestors: lookup
                    .ancestors(concept)
                    .into_iter()
                    .map(Concept::from)
                    .collect(),
                terms: lookup.terms(concept).join(" / ").into(),
            })
    }

    /// The concepts a record names directly, then their ancestors (not repeating direct
    /// ones).
    fn record_concepts(&mut self, text: &RecordText) -> (BTreeSet<Concept>, BTreeSet<Concept>) {
        let lookup = self.lookup;
        let mut direct: BTreeSet<Concept> = BTreeSet::new();
        for value in &text.diseases {
            let found = Self::value_concepts(&mut self.disease_values, value, |v| {
                lookup.disease_concepts(v)
            });
            direct.extend(found.iter().cloned());
        }
        for value in text.keywords.iter().filter(|k| !text.diseases.contains(k)) {
            let found =
                Self::value_concepts(&mut self.field_values, value, |v| lookup.field_concepts(v));
            direct.extend(found.iter().cloned());
        }
        for title in &text.titles {
            direct.extend(lookup.text_concepts(title).into_iter().map(Concept::from));
        }
        if direct.is_empty() {
            for body in &text.body {
                direct.extend(lookup.text_concepts(body).into_iter().map(Concept::from));
            }
        }
        let mut ancestors = BTreeSet::new();
        for c in &direct {
            let above = Rc::clone(&self.concept(c).ancestors);
            ancestors.extend(above.iter().filter(|a| !direct.contains(*a)).cloned());
        }
        (direct, ancestors)
    }

    /// Builds the index document of one record.
    pub fn document(&mut self, record: &Record) -> Result<TantivyDocument, serde_json::Error> {
        let fields = self.fields;
        let text = record_text(record, &self.names);
        let (direct, ancestors) = self.record_concepts(&text);
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
        for (concepts, terms_field) in [
            (&direct, fields.concept_terms),
            (&ancestors, fields.ancestor_terms),
        ] {
            for c in concepts {
                doc.add_text(fields.concepts, c);
                doc.add_text(terms_field, &self.concept(c).terms);
            }
        }
        doc.add_text(fields.record, serde_json::to_string(record)?);
        Ok(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_kept_for_the_records_others_point_at_only() {
        let catalog = crate::synthetic::catalog(2_000, 7);
        let names = Names::of(&catalog).expect("a catalog in memory");
        let pointed_at: HashSet<&str> = catalog
            .datasets
            .iter()
            .filter_map(|d| d.custodian.as_deref())
            .chain(catalog.needs.iter().filter_map(|n| n.owner.as_deref()))
            .collect();
        assert!(!pointed_at.is_empty());
        assert!(names.0.len() < catalog.len());
        for record in catalog.records() {
            let id = record.id();
            let full = match record.title_en() {
                Some(en) => format!("{} {}", record.title(), en),
                None => record.title(),
            };
            if pointed_at.contains(id) {
                assert_eq!(names.of_reference(id), full, "{id}");
            }
            if !names.0.contains_key(id) {
                assert_eq!(names.of_reference(id), id);
            }
        }
    }
}
