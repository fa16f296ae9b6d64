//! Every weight of the matching scores, in one place (docs/matching.md explains them).

/// Dataset score: how much each component counts when it applies.
pub mod dataset {
    /// Disease fit through the vocabulary.
    pub const DISEASE: f64 = 0.45;
    /// Share of the needed modalities the dataset has.
    pub const MODALITY: f64 = 0.25;
    /// Cases held against cases needed.
    pub const CASES: f64 = 0.15;
    /// Share of the clinical items (treatment, recurrence, …) asked for that the dataset has.
    pub const CLINICAL: f64 = 0.05;
    /// Shared words between the subject's text and the dataset's.
    pub const TEXT: f64 = 0.10;
}

/// Partner score (researchers and organisations).
pub mod partner {
    /// Diseases in common.
    pub const DISEASE: f64 = 0.50;
    /// Expertise, offers or interests that meet the subject's modalities and strategies.
    pub const FIT: f64 = 0.30;
    /// Shared words between the subject's text and the partner's profile.
    pub const TEXT: f64 = 0.20;
}

/// Proposal score (cohorts the subject could join).
pub mod proposal {
    pub const DISEASE: f64 = 0.50;
    /// Exit strategies in common.
    pub const STRATEGY: f64 = 0.20;
    /// The proposal seeks the subject's forum.
    pub const SEEKING: f64 = 0.20;
    pub const TEXT: f64 = 0.10;
}

/// How well one disease serves another, by their relation in the vocabulary.
pub mod disease_relation {
    /// The same concept.
    pub const SAME: f64 = 1.0;
    /// The candidate's disease lies under the subject's (neuroblastoma for 小児がん): it serves
    /// part of what is asked. Lose this much per extra step down.
    pub const NARROWER: f64 = 0.9;
    pub const NARROWER_STEP: f64 = 0.05;
    pub const NARROWER_FLOOR: f64 = 0.7;
    /// The candidate's disease is broader (leukaemia for AML): it may hold some cases.
    /// Lose this much per extra step up.
    pub const BROADER: f64 = 0.6;
    pub const BROADER_STEP: f64 = 0.1;
    pub const BROADER_FLOOR: f64 = 0.3;
    /// The candidate's disease is a root of the vocabulary (all cancers, all 難病).
    pub const ROOT: f64 = 0.1;
    /// Both diseases share a parent (two gynaecological cancers).
    pub const SIBLING: f64 = 0.25;
}

/// When the subject names diseases, dataset and proposal scores are multiplied by the disease
/// fit raised to this power (√ by default), so that modalities and size cannot lift a record on
/// a merely related disease (0.25 → ×0.5) above one on the disease asked for (1.0 → ×1).
pub const DISEASE_GATE_EXPONENT: f64 = 0.5;

/// Shared words count fully from this cosine similarity up (scaled linearly below it).
pub const TEXT_SATURATION: f64 = 0.5;

/// Results scoring below this are not listed.
pub const MIN_SCORE: f64 = 0.15;

/// Default number of results per section.
pub const DEFAULT_LIMIT: usize = 10;
