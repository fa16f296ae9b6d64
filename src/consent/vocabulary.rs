//! The vocabulary as the consent rules see it: [`DiseaseHierarchy`] for [`Vocabulary`].

use super::DiseaseHierarchy;
use crate::vocab::{ConceptKind, MatchMethod, Vocabulary};

use crate::text::normalize;

impl DiseaseHierarchy for Vocabulary {
    /// Only an exact reading counts: a reading with qualifiers set aside would widen the consent
    /// ("DS:小児急性骨髄性白血病" read as all AML). Several readings count
    /// only when they are one disease listed twice (same Japanese or English name, e.g. a
    /// curated concept and a NANDO group); a truly ambiguous term ("MS") blocks for review.
    fn resolve_disease(&self, term: &str) -> Vec<String> {
        let sure: Vec<String> = self
            .resolve_kind(term, ConceptKind::Disease)
            .into_iter()
            .filter(|r| r.method == MatchMethod::Exact)
            .map(|r| r.concept)
            .collect();
        if sure.len() <= 1 {
            return sure;
        }
        let names = |id: &str| {
            self.concept(id)
                .map(|c| [normalize(&c.name_ja), normalize(&c.name_en)])
                .unwrap_or_default()
        };
        let first = names(&sure[0]);
        let one_disease = sure[1..].iter().all(|id| {
            let other = names(id);
            (!first[0].is_empty() && first[0] == other[0])
                || (!first[1].is_empty() && first[1] == other[1])
        });
        if one_disease {
            sure
        } else {
            Vec::new()
        }
    }

    fn is_same_or_under(&self, concept: &str, ancestor: &str) -> bool {
        Vocabulary::is_same_or_under(self, concept, ancestor)
    }

    fn disease_label(&self, concept: &str) -> String {
        self.label(concept, true)
    }

    fn disease_label_in(&self, concept: &str, lang: crate::i18n::Lang) -> String {
        self.label(concept, lang == crate::i18n::Lang::Ja)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ds_terms_resolve_through_the_builtin_vocabulary() {
        let v = Vocabulary::builtin();
        let pediatric = v.resolve_disease("小児がん");
        let neuroblastoma = v.resolve_disease("neuroblastoma");
        assert_eq!((pediatric.len(), neuroblastoma.len()), (1, 1));
        assert!(DiseaseHierarchy::is_same_or_under(
            v,
            &neuroblastoma[0],
            &pediatric[0]
        ));
        assert!(v.resolve_disease("no such disease at all").is_empty());
    }

    #[test]
    fn a_ds_term_is_never_widened_by_setting_qualifiers_aside() {
        let v = Vocabulary::builtin();
        assert!(v.resolve_disease("小児急性骨髄性白血病の再発例").is_empty());
    }

    #[test]
    fn a_truly_ambiguous_ds_term_is_not_a_scope() {
        // "MS": multiple sclerosis or mitral stenosis.
        let v = Vocabulary::builtin();
        assert!(v.resolve("MS").len() >= 2);
        assert!(v.resolve_disease("MS").is_empty());
    }
}
