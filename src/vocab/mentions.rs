//! Finding concepts named inside free text (need descriptions, titles) with Aho-Corasick over
//! every matching key, built on first use so that loading the vocabulary stays cheap.

use super::data::Compiled;
use super::key::term_key;
use super::Mention;
use crate::text::is_cjk;
use aho_corasick::{AhoCorasick, MatchKind};
use unicode_normalization::UnicodeNormalization;

/// The automata: one over lower-case keys, one over upper-case abbreviations as written.
#[derive(Debug)]
pub(super) struct MentionIndex {
    keys: Option<AhoCorasick>,
    /// For each pattern of `keys`: the range of `Compiled::terms` with that key.
    key_terms: Vec<(usize, usize)>,
    abbreviations: Option<AhoCorasick>,
    /// For each pattern of `abbreviations`: the term indices written that way.
    abbreviation_terms: Vec<Vec<usize>>,
}

impl MentionIndex {
    pub(super) fn build(data: &Compiled) -> MentionIndex {
        let mut patterns: Vec<&str> = Vec::new();
        let mut key_terms = Vec::new();
        let mut i = 0;
        while i < data.terms.len() {
            let key = &data.terms[i].key;
            let mut j = i;
            while j < data.terms.len() && data.terms[j].key == *key {
                j += 1;
            }
            let long_enough = if key.chars().any(is_cjk) {
                key.chars().count() >= 2
            } else {
                key.len() >= 4
            };
            let ordinary = data.terms[i..j]
                .iter()
                .any(|t| !t.abbreviation && named_in_free_text(data, t.concept));
            if long_enough && ordinary {
                patterns.push(key);
                key_terms.push((i, j));
            }
            i = j;
        }
        let keys = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .ok();
        let mut abbreviation_patterns: Vec<String> = Vec::new();
        let mut abbreviation_terms: Vec<Vec<usize>> = Vec::new();
        for (ti, term) in data.terms.iter().enumerate() {
            if !term.abbreviation || !named_in_free_text(data, term.concept) {
                continue;
            }
            let written: String = data.concepts[term.concept as usize]
                .term_text(term.which)
                .trim()
                .nfkc()
                .collect();
            match abbreviation_patterns.iter().position(|p| *p == written) {
                Some(at) => abbreviation_terms[at].push(ti),
                None => {
                    abbreviation_patterns.push(written);
                    abbreviation_terms.push(vec![ti]);
                }
            }
        }
        let abbreviations = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&abbreviation_patterns)
            .ok();
        MentionIndex {
            keys,
            key_terms,
            abbreviations,
            abbreviation_terms,
        }
    }

    pub(super) fn find(&self, data: &Compiled, text: &str) -> Vec<Mention> {
        let mut found: Vec<(usize, Vec<usize>)> = Vec::new();
        let key = term_key(text);
        if let Some(ac) = &self.keys {
            for m in ac.find_iter(&key) {
                if on_word_boundary(&key, m.start(), m.end()) {
                    let (a, b) = self.key_terms[m.pattern().as_usize()];
                    found.push((m.start(), (a..b).collect()));
                }
            }
        }
        if let Some(ac) = &self.abbreviations {
            let written = crate::text::nfkc(text);
            let written: &str = &written;
            for m in ac.find_iter(written) {
                if on_word_boundary(written, m.start(), m.end()) {
                    // Positions of the two scans differ; order abbreviations by their place
                    // in the written text scaled to the key's length.
                    let at = m.start() * key.len() / written.len().max(1);
                    found.push((at, self.abbreviation_terms[m.pattern().as_usize()].clone()));
                }
            }
        }
        found.sort_by_key(|(at, _)| *at);
        let mut out: Vec<Mention> = Vec::new();
        for (_, terms) in found {
            let mut concepts: Vec<u32> = terms.iter().map(|&t| data.terms[t].concept).collect();
            concepts.sort_unstable();
            concepts.dedup();
            let confidence = 1.0 / concepts.len() as f32;
            for &t in &terms {
                let term = &data.terms[t];
                let concept = &data.concepts[term.concept as usize];
                if out.iter().any(|m| m.concept == concept.id) {
                    continue;
                }
                out.push(Mention {
                    concept: concept.id.clone(),
                    matched: concept.term_text(term.which).to_string(),
                    confidence: (confidence * 100.0).round() / 100.0,
                });
            }
        }
        out
    }
}

/// False for the ICD-10 subcategories of their own (`icd10:C25.0`): their official labels
/// ("膵頭部" after its category, "Other specified carcinomas of liver") are what a catalogue's
/// disease field holds, not what free text says, and leaving their ten thousand concepts out
/// keeps the automaton small. Free text still finds their categories and everyday names.
fn named_in_free_text(data: &Compiled, concept: u32) -> bool {
    let id = &data.concepts[concept as usize].id;
    !(id.starts_with("icd10:") && id.contains('.'))
}

/// Latin matches must not start or end inside a word; Japanese ones may sit anywhere.
fn on_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let first = text[start..end].chars().next();
    let last = text[start..end].chars().next_back();
    let latin = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() && !is_cjk(c));
    !((latin(first) && latin(before)) || (latin(last) && latin(after)))
}
