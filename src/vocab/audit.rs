//! Auditing the disease strings of the data: which resolve to nothing, or only weakly, and
//! which concepts are closest (for `musubi validate`).

use super::{ConceptKind, Resolution, Vocabulary};

/// Below this confidence a resolution is reported as weak.
const WEAK_BELOW: f32 = 0.75;

/// A disease string of the data that the vocabulary does not resolve well.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UnresolvedTerm {
    /// Where it was found (`datasets.json:3`).
    pub location: String,
    /// The string.
    pub text: String,
    /// The best (weak) resolution, when there is one.
    pub weak: Option<Resolution>,
    /// The closest concept ids.
    pub closest: Vec<String>,
}

/// Every string that resolves to no disease concept or only weakly (head term, typo, or an
/// ambiguous name), with the closest concepts.
pub fn audit_disease_strings<'a>(
    vocab: &Vocabulary,
    strings: impl IntoIterator<Item = (String, &'a str)>,
) -> Vec<UnresolvedTerm> {
    let mut out = Vec::new();
    for (location, text) in strings {
        if text.trim().is_empty() {
            continue;
        }
        let found = vocab.resolve_kind(text, ConceptKind::Disease);
        match found.first() {
            Some(best) if best.confidence >= WEAK_BELOW => {}
            Some(best) => out.push(UnresolvedTerm {
                location,
                text: text.to_string(),
                weak: Some(best.clone()),
                closest: found.iter().map(|r| r.concept.clone()).take(3).collect(),
            }),
            None => out.push(UnresolvedTerm {
                location,
                text: text.to_string(),
                weak: None,
                closest: vocab.closest(text, 3),
            }),
        }
    }
    out
}
