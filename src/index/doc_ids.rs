//! Each indexed document's record, read once from the `id` and `kind` terms of the index: no
//! stored document is opened. A search that turns thousands of hits into records (the app's,
//! at every keystroke) then decompresses no part of the document store.

use super::schema::Fields;
use crate::model::Kind;
use tantivy::postings::BlockSegmentPostings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, Searcher, SegmentReader};

/// A document with no value of the field, or with more than one.
const NONE: u32 = u32::MAX;
const SEVERAL: u32 = u32::MAX - 1;

/// Each document's record number and kind, per segment of one searcher.
pub struct DocIds {
    searcher: Searcher,
    /// `records[segment][doc]`: the number the id was given, [`NONE`] or [`SEVERAL`].
    records: Vec<Vec<u32>>,
    /// `kinds[segment][doc]`: the kind's place in `Kind::ALL`, [`NONE`] or [`SEVERAL`].
    kinds: Vec<Vec<u32>>,
}

impl DocIds {
    /// Reads the ids and kinds of every document `searcher` sees; `number` gives an id its
    /// record number (`None`: a record it does not know, left unmapped).
    pub fn read(
        searcher: Searcher,
        fields: &Fields,
        number: impl Fn(&str) -> Option<u32>,
    ) -> tantivy::Result<DocIds> {
        let mut records = Vec::new();
        let mut kinds = Vec::new();
        for segment in searcher.segment_readers() {
            records.push(each_doc(segment, fields.id, |id| {
                number(id).filter(|n| *n < SEVERAL)
            })?);
            kinds.push(each_doc(segment, fields.kind, |kind| {
                let kind = Kind::parse(kind)?;
                Kind::ALL
                    .iter()
                    .position(|k| *k == kind)
                    .and_then(|i| u32::try_from(i).ok())
            })?);
        }
        Ok(DocIds {
            searcher,
            records,
            kinds,
        })
    }

    /// The searcher the documents were read from: addresses are its addresses.
    pub fn searcher(&self) -> &Searcher {
        &self.searcher
    }

    /// The record number and kind of the document at `address`; `None` when it has no id or
    /// kind, more than one, or an id not given a number.
    pub fn get(&self, address: DocAddress) -> Option<(u32, Kind)> {
        let segment = address.segment_ord as usize;
        let doc = address.doc_id as usize;
        let record = *self.records.get(segment)?.get(doc)?;
        let kind = *self.kinds.get(segment)?.get(doc)?;
        if record >= SEVERAL {
            return None;
        }
        Some((record, *Kind::ALL.get(usize::try_from(kind).ok()?)?))
    }
}

/// For every document of `segment`: `value` of its one term of `field`, [`NONE`] when it has
/// none (or `value` gives none), [`SEVERAL`] when it has more than one.
fn each_doc(
    segment: &SegmentReader,
    field: Field,
    value: impl Fn(&str) -> Option<u32>,
) -> tantivy::Result<Vec<u32>> {
    let mut out = vec![NONE; segment.max_doc() as usize];
    // Documents seen with a term, whatever `value` made of it.
    let mut seen = vec![false; out.len()];
    let inverted = segment.inverted_index(field)?;
    let mut terms = inverted.terms().stream()?;
    // One postings reader for every term (one per term costs more than the term's postings).
    // It keeps the first term's options, which is right for these untokenised (`STRING`)
    // fields: documents only, no frequencies or positions.
    let mut block: Option<BlockSegmentPostings> = None;
    while terms.advance() {
        let text = std::str::from_utf8(terms.key()).ok();
        let number = text.and_then(&value).unwrap_or(NONE);
        let info = terms.value();
        let postings = match &mut block {
            Some(postings) => {
                inverted.reset_block_postings_from_terminfo(info, postings)?;
                postings
            }
            None => block.insert(
                inverted.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?,
            ),
        };
        loop {
            let docs = postings.docs();
            if docs.is_empty() {
                break;
            }
            for &doc in docs {
                let d = doc as usize;
                if let (Some(slot), Some(seen)) = (out.get_mut(d), seen.get_mut(d)) {
                    *slot = if *seen { SEVERAL } else { number };
                    *seen = true;
                }
            }
            postings.advance();
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::SearchIndex;
    use crate::workspace::builtin_vocabulary;

    #[test]
    fn every_document_is_mapped_to_its_record() {
        let catalog = crate::synthetic::catalog(1_500, 4);
        let records: Vec<crate::model::Record> = catalog.records().collect();
        let vocabulary = builtin_vocabulary();
        let index = SearchIndex::build_in_ram(&catalog, vocabulary.as_ref()).expect("index");
        let position = |id: &str| {
            records
                .iter()
                .position(|r| r.id() == id)
                .and_then(|i| u32::try_from(i).ok())
        };
        let searcher = index.reader.searcher();
        let ids = DocIds::read(searcher.clone(), &index.fields, position).expect("read");
        let mut mapped = 0;
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            for doc in 0..segment.max_doc() {
                let address = DocAddress::new(ord as u32, doc);
                let stored: tantivy::TantivyDocument = searcher.doc(address).expect("stored");
                let text = |f| {
                    use tantivy::schema::Value;
                    stored
                        .get_first(f)
                        .and_then(|v| v.as_str())
                        .map(str::to_string)
                };
                let (record, kind) = ids.get(address).expect("mapped");
                let record = &records[record as usize];
                assert_eq!(Some(record.id().to_string()), text(index.fields.id));
                assert_eq!(Some(kind.as_str().to_string()), text(index.fields.kind));
                assert_eq!(record.kind(), kind);
                mapped += 1;
            }
        }
        assert_eq!(mapped, records.len());
        // Ids the caller does not number are left to the stored documents.
        let none = DocIds::read(searcher, &index.fields, |_| None).expect("read");
        assert_eq!(none.get(DocAddress::new(0, 0)), None);
    }
}
