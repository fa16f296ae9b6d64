//! What a subject or a candidate says about itself, read through the vocabulary: its diseases,
//! modalities, exit strategies and clinical items as concepts, its words, its forum.

use super::similarity::WordBag;
use crate::model::{Dataset, Forum, Need, Organization, Proposal, Researcher};
use crate::vocab::{ConceptKind, Vocabulary};

/// Resolutions weaker than this do not make a concept part of a profile.
const MIN_CONFIDENCE: f32 = 0.5;

/// The language reasons are written in (see [`crate::i18n`]).
pub use crate::i18n::Lang;

/// One side of a match, as concepts and words.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub diseases: Vec<String>,
    pub modalities: Vec<String>,
    pub strategies: Vec<String>,
    pub clinical: Vec<String>,
    /// Free words of expertise, offers or interests that name no concept ("ELSI support").
    pub skills: Vec<String>,
    pub words: WordBag,
    pub forum: Option<Forum>,
}

fn push_unique(into: &mut Vec<String>, id: String) {
    if !into.contains(&id) {
        into.push(id);
    }
}

/// Disease concepts of `diseases` values, read as diseases even when a value also names other
/// things ("whole genome sequencing of gastric cancer").
fn add_diseases(profile: &mut Profile, vocab: &Vocabulary, values: &[String]) {
    for value in values {
        for r in vocab.resolve_kind(value, ConceptKind::Disease) {
            if r.confidence >= MIN_CONFIDENCE {
                push_unique(&mut profile.diseases, r.concept);
            }
        }
    }
}

/// Sorts concepts resolved from structured values into the profile by kind; values that name
/// no concept are kept as skills.
fn add_values<'s>(
    profile: &mut Profile,
    vocab: &Vocabulary,
    values: impl IntoIterator<Item = &'s String>,
) {
    for value in values {
        let resolutions: Vec<_> = vocab
            .resolve(value)
            .into_iter()
            .filter(|r| r.confidence >= MIN_CONFIDENCE)
            .collect();
        if resolutions.is_empty() {
            push_unique(&mut profile.skills, value.trim().to_string());
        }
        for r in resolutions {
            add_concept(profile, vocab, r.concept);
        }
    }
}

fn add_concept(profile: &mut Profile, vocab: &Vocabulary, id: String) {
    let Some(kind) = vocab.concept(&id).map(|c| c.kind) else {
        return;
    };
    let list = match kind {
        ConceptKind::Disease => &mut profile.diseases,
        ConceptKind::Modality => &mut profile.modalities,
        ConceptKind::ExitStrategy => &mut profile.strategies,
        ConceptKind::ClinicalItem => &mut profile.clinical,
    };
    push_unique(list, id);
}

/// Every disease named in free text, the most specific only, whatever the confidence (for the
/// consent rules, which must see every disease a need may be about).
pub fn disease_mentions(vocab: &Vocabulary, text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for m in vocab.mentions(text) {
        let is_disease = vocab
            .concept(&m.concept)
            .is_some_and(|c| c.kind == ConceptKind::Disease);
        if is_disease {
            push_unique(&mut found, m.concept);
        }
    }
    most_specific(vocab, found)
}

/// Concepts named in free text, added for the kinds the structured fields left empty.
fn add_mentions(profile: &mut Profile, vocab: &Vocabulary, text: &str) {
    let mut found = Profile::default();
    for m in vocab.mentions(text) {
        if m.confidence >= MIN_CONFIDENCE {
            add_concept(&mut found, vocab, m.concept);
        }
    }
    // "neuroblastoma tumour" names neuroblastoma, not also every tumour.
    found.diseases = most_specific(vocab, found.diseases);
    for (mine, theirs) in [
        (&mut profile.diseases, found.diseases),
        (&mut profile.modalities, found.modalities),
        (&mut profile.strategies, found.strategies),
        (&mut profile.clinical, found.clinical),
    ] {
        if mine.is_empty() {
            *mine = theirs;
        }
    }
}

/// Drops concepts that lie above another concept of the list.
fn most_specific(vocab: &Vocabulary, concepts: Vec<String>) -> Vec<String> {
    concepts
        .iter()
        .filter(|c| {
            !concepts
                .iter()
                .any(|other| other != *c && vocab.is_same_or_under(other, c))
        })
        .cloned()
        .collect()
}

fn text_of(parts: &[Option<&str>]) -> String {
    parts
        .iter()
        .flatten()
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
}

/// A need: its fields, then what its title and text name.
pub fn of_need(need: &Need, vocab: &Vocabulary, owner_forum: Option<Forum>) -> Profile {
    let mut p = Profile {
        forum: owner_forum,
        ..Profile::default()
    };
    add_diseases(&mut p, vocab, &need.diseases);
    add_values(&mut p, vocab, &need.modalities);
    let text = text_of(&[need.title.as_deref(), Some(&need.text)]);
    add_mentions(&mut p, vocab, &text);
    p.words = WordBag::of(&[text.as_str()]);
    p
}

/// A proposal: diseases, strategies and modalities needed.
pub fn of_proposal(
    proposal: &Proposal,
    vocab: &Vocabulary,
    proposer_forum: Option<Forum>,
) -> Profile {
    let mut p = Profile {
        forum: proposer_forum,
        ..Profile::default()
    };
    add_diseases(&mut p, vocab, &proposal.diseases);
    add_values(
        &mut p,
        vocab,
        proposal.exit_strategy.iter().chain(&proposal.modalities),
    );
    let text = text_of(&[
        Some(&proposal.title),
        proposal.title_en.as_deref(),
        proposal.summary.as_deref(),
    ]);
    add_mentions(&mut p, vocab, &text);
    p.words = WordBag::of(&[text.as_str()]);
    p
}

/// An organisation: its interests and offers.
pub fn of_organization(org: &Organization, vocab: &Vocabulary) -> Profile {
    let mut p = Profile {
        forum: Some(org.forum),
        ..Profile::default()
    };
    add_values(&mut p, vocab, org.interests.iter().chain(&org.offers));
    let summary = org.summary.as_deref().unwrap_or("");
    add_mentions(&mut p, vocab, summary);
    let listed = org.interests.join(" ") + " " + &org.offers.join(" ");
    p.words = WordBag::of(&[summary, &listed]);
    p
}

/// A researcher: diseases and expertise.
pub fn of_researcher(r: &Researcher, vocab: &Vocabulary) -> Profile {
    let mut p = Profile {
        forum: r.forum,
        ..Profile::default()
    };
    add_diseases(&mut p, vocab, &r.diseases);
    add_values(&mut p, vocab, &r.expertise);
    let summary = r.summary.as_deref().unwrap_or("");
    add_mentions(&mut p, vocab, summary);
    let listed = r.diseases.join(" ") + " " + &r.expertise.join(" ");
    p.words = WordBag::of(&[summary, &listed]);
    p
}

/// A dataset: what it holds.
pub fn of_dataset(d: &Dataset, vocab: &Vocabulary) -> Profile {
    let mut p = Profile::default();
    add_diseases(&mut p, vocab, &d.diseases);
    add_values(&mut p, vocab, d.modalities.iter().chain(&d.clinical));
    let text = text_of(&[Some(&d.title), d.summary.as_deref()]);
    add_mentions(&mut p, vocab, &text);
    let listed = d.diseases.join(" ") + " " + &d.modalities.join(" ");
    p.words = WordBag::of(&[text.as_str(), &listed]);
    p
}

/// An ad-hoc need typed by the coordinator.
pub fn of_text(
    text: &str,
    diseases: &[String],
    modalities: &[String],
    vocab: &Vocabulary,
) -> Profile {
    let mut p = Profile::default();
    add_diseases(&mut p, vocab, diseases);
    add_values(&mut p, vocab, modalities);
    add_mentions(&mut p, vocab, text);
    p.words = WordBag::of(&[text]);
    p
}
