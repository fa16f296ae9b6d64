//! The search index: schema, analyzers, building from a catalog, and where it lives on disk.

pub mod analyzer;
pub mod doc_ids;
pub mod documents;
pub mod schema;
pub mod segments;
pub mod store;
pub mod vocab_lookup;

pub use documents::ConceptLookup;
pub use schema::Fields;

use crate::records::{Damaged, RecordBatches};
use std::path::Path;
use tantivy::{Index, IndexReader, ReloadPolicy};

/// Memory the index writer may use while building.
pub(crate) const WRITER_MEMORY: usize = 64 * 1024 * 1024;

/// An open index, ready to search.
pub struct SearchIndex {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
}

/// Errors while building or opening an index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("index: cannot store record {id}: {source}")]
    Record {
        id: String,
        source: serde_json::Error,
    },
    #[error("index: {0}")]
    Snapshot(#[from] Damaged),
}

impl SearchIndex {
    fn from_index(mut index: Index) -> Result<SearchIndex, IndexError> {
        analyzer::register(&index);
        // A search reads each segment on a core of its own: the same hits, merged in
        // segment order whichever finishes first (docs/performance.md, round 11).
        // Should no thread be had (a limit on processes), one search runs on the caller's.
        let threads = threads();
        if threads > 1 && index.set_multithread_executor(threads).is_err() {
            index.set_executor(tantivy::Executor::single_thread());
        }
        let fields = Fields::from_schema(&index.schema())?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
        })
    }

    /// Opens an index built earlier in `dir`.
    pub fn open(dir: &Path) -> Result<SearchIndex, IndexError> {
        SearchIndex::from_index(Index::open_in_dir(dir)?)
    }

    /// Builds an index of every record in memory (tests, and small ad-hoc sets).
    pub fn build_in_ram(
        records: &dyn RecordBatches,
        lookup: &dyn ConceptLookup,
    ) -> Result<SearchIndex, IndexError> {
        let fields = Fields::new();
        let index = Index::create_in_ram(fields.schema.clone());
        fill(&index, &fields, records, lookup)?;
        SearchIndex::from_index(index)
    }

    /// Builds an index of every record into an empty directory.
    pub fn build_in_dir(
        dir: &Path,
        records: &dyn RecordBatches,
        lookup: &dyn ConceptLookup,
    ) -> Result<SearchIndex, IndexError> {
        let fields = Fields::new();
        let index = Index::create_in_dir(dir, fields.schema.clone())?;
        fill(&index, &fields, records, lookup)?;
        SearchIndex::from_index(index)
    }

    /// Number of indexed records.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// How many threads the index uses, to build it and for each search: every core, up to four.
pub(crate) fn threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get().min(4))
        .unwrap_or(1)
}

fn fill(
    index: &Index,
    fields: &Fields,
    records: &dyn RecordBatches,
    lookup: &dyn ConceptLookup,
) -> Result<(), IndexError> {
    analyzer::register(index);
    let threads = threads();
    let mut writer: tantivy::IndexWriter =
        index.writer_with_num_threads(threads, WRITER_MEMORY * threads)?;
    let mut documents = documents::Documents::new(records, fields, lookup)?;
    // The first error stops the build; the records after it are passed over, and it is the
    // error told even should a later batch not decode.
    let mut failed: Option<IndexError> = None;
    let walked = records.each_record(&mut |record| {
        if failed.is_some() {
            return;
        }
        let added = documents
            .document(&record)
            .map_err(|source| IndexError::Record {
                id: record.id().to_string(),
                source,
            })
            .and_then(|doc| writer.add_document(doc).map_err(IndexError::from));
        if let Err(e) = added {
            failed = Some(e);
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    walked?;
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(())
}
