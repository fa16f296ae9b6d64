//! The vocabulary as the consent rules see it: [`DiseaseHierarchy`] for [`Vocabulary`].

use super::DiseaseHierarchy;
use crate::vocab::{ConceptKind, MatchMethod, Vocabulary};

/// A `DS:` term must name a disease this surely; a weaker reading blocks for review.
const DS_TERM_CONFIDENCE: f32 = 0.8;

impl DiseaseHierarchy for Vocabulary {
    fn resolve_disease(&self, term: &str) -> Option<String> {
        let resolutions = self.resolve_kind(term, ConceptKind::Disease);
        // An ambiguous term (several senses) is not a safe consent scope: fail closed.
        let sure: Vec<_> = resolutions
            .iter()
            .filter(|r| {
                r.confidence >= DS_TERM_CONFIDENCE
                    && matches!(r.method, MatchMethod::Exact | MatchMethod::Qualified)
            })
            .collect();
        match sure.as_slice() {
            [only] => Some(only.concept.clone()),
            _ => None,
        }
    }

    fn is_same_or_under(&self, concept: &str, ancestor: &str) -> bool {
        Vocabulary::is_same_or_under(self, concept, ancestor)
    }

    fn disease_label(&self, concept: &str) -> String {
        self.label(concept, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ds_terms_resolve_through_the_builtin_vocabulary() {
        let v = Vocabulary::builtin();
        let pediatric = v.resolve_disease("小児がん").expect("小児がん is known");
        let neuroblastoma = v.resolve_disease("neuroblastoma").expect("known");
        assert!(DiseaseHierarchy::is_same_or_under(
            v,
            &neuroblastoma,
            &pediatric
        ));
        assert_eq!(v.resolve_disease("no such disease at all"), None);
    }
}
