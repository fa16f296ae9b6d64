//! A search narrowed by facet filters, with the facets of its matches counted: what
//! `musubi search --filter … --facets` shows.

use super::{count, passes, Facet, FacetCount, FacetReader, FacetValues, Filters};
use crate::index::SearchIndex;
use crate::model::{Catalog, Kind};
use crate::search::{search, SearchError, SearchRequest, SearchResults};
use crate::vocab::Vocabulary;

/// The hits of a faceted search and the facet counts of all its matches.
#[derive(Debug, Clone)]
pub struct FacetedResults {
    /// The hits that pass the filters, at most the request's limit; `total` counts every match
    /// that passes them.
    pub results: SearchResults,
    /// Each facet's values over every match of the query (a facet's own filter left out, the
    /// others applied), most frequent first.
    pub counts: Vec<FacetCount>,
    /// The filters as applied, values spelled as the data spells them.
    pub filters: Filters,
}

/// Why a faceted search could not run.
#[derive(Debug, thiserror::Error)]
pub enum FacetError {
    #[error("--filter {facet}={value}: no record has this {facet}; values: {known}", facet = .facet.name(), known = list(.known))]
    UnknownValue {
        facet: Facet,
        value: String,
        known: Vec<String>,
    },
    #[error("--filter {facet}=…: {kind} records have no {facet}; their facets: {facets}", facet = .facet.name(), kind = .kind.as_str(), facets = facet_names(*.kind))]
    NotForKind { facet: Facet, kind: Kind },
    #[error(transparent)]
    Search(#[from] SearchError),
}

/// At most this many known values are named in an error.
const NAMED_VALUES: usize = 30;

fn list(values: &[String]) -> String {
    let mut text = values
        .iter()
        .take(NAMED_VALUES)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if values.len() > NAMED_VALUES {
        text.push_str(&format!(", … ({} in all)", values.len()));
    }
    if text.is_empty() {
        text.push_str("none");
    }
    text
}

/// The names of the facets of a kind, comma-separated.
pub fn facet_names(kind: Kind) -> String {
    Facet::ALL
        .into_iter()
        .filter(|f| f.applies_to(kind))
        .map(Facet::name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs the search over every match, keeps the hits whose facet values pass `typed` (values
/// matched case-insensitively, or as the vocabulary reads them), counts the facets, and cuts
/// the hits to the request's limit.
pub fn search_with_facets(
    index: &SearchIndex,
    catalog: &Catalog,
    vocabulary: &Vocabulary,
    request: &SearchRequest,
    typed: &[(Facet, String)],
) -> Result<FacetedResults, FacetError> {
    if let Some(kind) = request.kind {
        if let Some((facet, _)) = typed.iter().find(|(f, _)| !f.applies_to(kind)) {
            return Err(FacetError::NotForKind {
                facet: *facet,
                kind,
            });
        }
    }
    let every = SearchRequest {
        limit: catalog.len().max(request.limit).max(1),
        ..request.clone()
    };
    let mut results = search(index, vocabulary, &every)?;
    let reader = FacetReader::new(catalog, vocabulary);
    let values: Vec<FacetValues> = results
        .hits
        .iter()
        .map(|hit| {
            hit.record()
                .or_else(|| catalog.find(&hit.id))
                .map(|r| reader.values(&r))
                .unwrap_or_default()
        })
        .collect();
    let filters = resolve_filters(&reader, catalog, &values, typed)?;
    let counts = count(values.iter().map(Vec::as_slice), &filters);
    let mut kept = Vec::new();
    for (hit, values) in results.hits.into_iter().zip(&values) {
        if passes(values, &filters, None) {
            kept.push(hit);
        }
    }
    if !filters.is_empty() {
        results.total = kept.len();
    }
    kept.truncate(request.limit);
    results.hits = kept;
    Ok(FacetedResults {
        results,
        counts,
        filters,
    })
}

/// Each typed filter as the data spells its value: looked up among the hits' values first,
/// then among the whole catalog's, so a value no hit has still filters (to nothing).
fn resolve_filters(
    reader: &FacetReader,
    catalog: &Catalog,
    hit_values: &[FacetValues],
    typed: &[(Facet, String)],
) -> Result<Filters, FacetError> {
    let mut filters = Filters::new();
    if typed.is_empty() {
        return Ok(filters);
    }
    let among_hits = super::all_values(hit_values.iter().map(Vec::as_slice));
    let mut in_catalog = None;
    for (facet, value) in typed {
        let hit_known = among_hits.get(facet).cloned().unwrap_or_default();
        if let Some(found) = reader.resolve_value(*facet, value, &hit_known) {
            filters.insert((*facet, found));
            continue;
        }
        let all = in_catalog.get_or_insert_with(|| {
            let values: Vec<FacetValues> = catalog.records().map(|r| reader.values(&r)).collect();
            super::all_values(values.iter().map(Vec::as_slice))
        });
        let known = all.get(facet).cloned().unwrap_or_default();
        match reader.resolve_value(*facet, value, &known) {
            Some(found) => {
                filters.insert((*facet, found));
            }
            None => {
                return Err(FacetError::UnknownValue {
                    facet: *facet,
                    value: value.clone(),
                    known,
                })
            }
        }
    }
    Ok(filters)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facet_names_of_a_kind_are_those_that_apply() {
        assert_eq!(
            facet_names(Kind::Dataset),
            "area, disease-group, modality, data-use"
        );
        assert_eq!(facet_names(Kind::Organization), "forum, sector");
    }

    #[test]
    fn long_value_lists_are_cut_in_errors() {
        let many: Vec<String> = (0..40).map(|i| format!("v{i}")).collect();
        let text = list(&many);
        assert!(text.ends_with(", … (40 in all)"), "{text}");
        assert_eq!(list(&[]), "none");
    }
}
