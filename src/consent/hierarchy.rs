//! The disease hierarchy the consent rules need, as a trait the vocabulary implements.

/// The disease hierarchy consent needs (implemented by the vocabulary; by a small test double in
/// the tests).
pub trait DiseaseHierarchy {
    /// Concept id for a DS term such as "小児がん" or "pancreatic cancer"; `None` when the
    /// vocabulary does not know it.
    fn resolve_disease(&self, term: &str) -> Option<String>;
    /// True when `concept` is `ancestor` or lies under it.
    fn is_same_or_under(&self, concept: &str, ancestor: &str) -> bool;
    /// Display name of a concept in the data's language where possible.
    fn disease_label(&self, concept: &str) -> String;
}
