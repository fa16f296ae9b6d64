//! The disease hierarchy the consent rules need, as a trait the vocabulary implements.

/// The disease hierarchy consent needs (implemented by the vocabulary; by a small test double in
/// the tests).
pub trait DiseaseHierarchy {
    /// Concept ids for a DS term such as "小児がん" or "pancreatic cancer": usually one; several
    /// when the same disease stands in several source lists (the scope is then all of them);
    /// empty when the vocabulary does not know the term or cannot read it as one disease.
    fn resolve_disease(&self, term: &str) -> Vec<String>;
    /// True when `concept` is `ancestor` or lies under it.
    fn is_same_or_under(&self, concept: &str, ancestor: &str) -> bool;
    /// Display name of a concept in the data's language where possible.
    fn disease_label(&self, concept: &str) -> String;
    /// Display name of a concept in one language (default: [`Self::disease_label`]).
    fn disease_label_in(&self, concept: &str, lang: crate::i18n::Lang) -> String {
        let _ = lang;
        self.disease_label(concept)
    }
}
