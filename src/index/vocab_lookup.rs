//! The vocabulary as the index sees it: [`ConceptLookup`] for [`Vocabulary`].

use super::ConceptLookup;
use crate::vocab::{ConceptKind, MatchMethod, Resolution, Vocabulary};

/// Resolutions weaker than this are not used to file a record under a concept.
const FIELD_CONFIDENCE: f32 = 0.5;
/// Query resolutions weaker than this do not expand a search.
const QUERY_CONFIDENCE: f32 = 0.3;

/// The resolutions of a string worth acting on: all of an ambiguous string's senses, but no
/// weak guesses.
fn confident(resolutions: Vec<Resolution>, floor: f32) -> impl Iterator<Item = Resolution> {
    resolutions.into_iter().filter(move |r| {
        r.confidence >= floor || (r.method == MatchMethod::Exact && r.confidence >= floor / 2.0)
    })
}

impl ConceptLookup for Vocabulary {
    fn field_concepts(&self, value: &str) -> Vec<String> {
        confident(self.resolve(value), FIELD_CONFIDENCE)
            .map(|r| r.concept)
            .collect()
    }

    fn disease_concepts(&self, value: &str) -> Vec<String> {
        confident(
            self.resolve_kind(value, ConceptKind::Disease),
            FIELD_CONFIDENCE,
        )
        .map(|r| r.concept)
        .collect()
    }

    fn text_concepts(&self, text: &str) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        for m in self.mentions(text) {
            if m.confidence >= FIELD_CONFIDENCE && !found.contains(&m.concept) {
                found.push(m.concept);
            }
        }
        found
    }

    fn ancestors(&self, concept: &str) -> Vec<String> {
        Vocabulary::ancestors(self, concept)
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    fn terms(&self, concept: &str) -> Vec<String> {
        Vocabulary::terms(self, concept)
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    fn query_concepts(&self, query: &str) -> Vec<(String, f32)> {
        confident(self.resolve(query), QUERY_CONFIDENCE)
            .map(|r| (r.concept, r.confidence))
            .collect()
    }

    fn fingerprint(&self) -> u64 {
        Vocabulary::fingerprint(self)
    }
}
