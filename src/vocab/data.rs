//! The vocabulary's data: concepts as written in `index/generated/vocabulary.toml`, and their
//! compiled form (concepts sorted by id, hierarchy as indices, a sorted table of matching keys)
//! that `build.rs` stores in the binary and the program loads with one postcard decode.
//!
//! Shared with `build.rs` (through `#[path]`): keep it free of anything but serde and `key`.

use super::key::{is_abbreviation, term_key};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What a concept names.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum ConceptKind {
    /// A disease or a group of diseases (`lung_cancer`, `nanbyo:2`, `pediatric_cancer`).
    #[default]
    Disease,
    /// A kind of data (`modality:wgs`).
    Modality,
    /// What a study's data is meant to deliver (`exit:drug_discovery`).
    ExitStrategy,
    /// An item of clinical information (`clinical:recurrence`).
    ClinicalItem,
}

/// One concept of the vocabulary, with its names in both languages and its anchors.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Concept {
    /// Stable readable id: `lung_cancer`, `nanbyo:2`, `shoman:9`, `icd10:C37`, `modality:wgs`.
    pub id: String,
    /// What the concept names.
    pub kind: ConceptKind,
    /// Japanese display name.
    pub name_ja: String,
    /// English display name.
    pub name_en: String,
    /// Other Japanese names (everyday names, official labels, abbreviations).
    pub synonyms_ja: Vec<String>,
    /// Other English names and abbreviations.
    pub synonyms_en: Vec<String>,
    /// Ids of the broader concepts (several allowed).
    pub parents: Vec<String>,
    /// ICD-10 codes (`C34`, `C92.0`).
    pub icd10: Vec<String>,
    /// NANDO source entries (`nanbyo:2` = 指定難病 entry 2, `shoman:9` = 小児慢性特定疾病 entry 9).
    pub nando: Vec<String>,
    /// MONDO ids (`MONDO:0004976`).
    pub mondo: Vec<String>,
}

impl Concept {
    /// The text of term number `which` (0 = Japanese name, 1 = English name, then the Japanese
    /// synonyms, then the English ones).
    pub fn term_text(&self, which: u32) -> &str {
        let which = which as usize;
        let ja = self.synonyms_ja.len();
        match which {
            0 => &self.name_ja,
            1 => &self.name_en,
            w if w - 2 < ja => &self.synonyms_ja[w - 2],
            w => self
                .synonyms_en
                .get(w - 2 - ja)
                .map(String::as_str)
                .unwrap_or(""),
        }
    }

    /// All names of the concept, in term-number order.
    pub fn all_terms(&self) -> impl Iterator<Item = &str> {
        [self.name_ja.as_str(), self.name_en.as_str()]
            .into_iter()
            .chain(self.synonyms_ja.iter().map(String::as_str))
            .chain(self.synonyms_en.iter().map(String::as_str))
    }
}

/// The layout of `index/generated/vocabulary.toml` (and of a user's `vocabulary.toml` concepts).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct GeneratedFile {
    /// Every concept, sorted by id.
    #[serde(rename = "concept", default)]
    pub concepts: Vec<Concept>,
}

/// One matching key of the compiled table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Term {
    /// The key ([`term_key`] of the term's text).
    pub key: String,
    /// Index of the concept in [`Compiled::concepts`].
    pub concept: u32,
    /// Which of the concept's names it is (see [`Concept::term_text`]).
    pub which: u32,
    /// Written as an upper-case abbreviation (recognised in free text only in capitals).
    pub abbreviation: bool,
}

/// The vocabulary in the form the program searches.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Compiled {
    /// Concepts sorted by id.
    pub concepts: Vec<Concept>,
    /// Parents of each concept, as indices into `concepts`.
    pub parents: Vec<Vec<u32>>,
    /// Children of each concept, as indices, sorted by id.
    pub children: Vec<Vec<u32>>,
    /// Matching keys sorted by key (then concept).
    pub terms: Vec<Term>,
    /// Stable hash of the concepts.
    pub fingerprint: u64,
}

/// A problem found while compiling concepts.
#[derive(Debug, Clone, PartialEq)]
pub struct CompileProblem {
    /// The concept it is about.
    pub concept: String,
    /// The field it is about.
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

/// Compiles concepts: sorts them, resolves parents to indices (every parent must exist, no
/// concept may be its own ancestor), builds the children lists and the sorted key table.
pub fn compile(mut concepts: Vec<Concept>) -> Result<Compiled, Vec<CompileProblem>> {
    concepts.sort_by(|a, b| a.id.cmp(&b.id));
    let mut problems = Vec::new();
    for pair in concepts.windows(2) {
        if pair[0].id == pair[1].id {
            problems.push(CompileProblem {
                concept: pair[1].id.clone(),
                field: "id",
                message: format!("duplicate concept \"{}\"", pair[1].id),
            });
        }
    }
    let index_of = |id: &str| {
        concepts
            .binary_search_by(|c| c.id.as_str().cmp(id))
            .ok()
            .map(|i| i as u32)
    };
    let mut parents = Vec::with_capacity(concepts.len());
    for concept in &concepts {
        let mut own = Vec::new();
        for parent in &concept.parents {
            match index_of(parent) {
                Some(i) if !own.contains(&i) => own.push(i),
                Some(_) => {}
                None => problems.push(CompileProblem {
                    concept: concept.id.clone(),
                    field: "parents",
                    message: format!("unknown concept \"{parent}\""),
                }),
            }
        }
        parents.push(own);
    }
    for (i, concept) in concepts.iter().enumerate() {
        if reaches(&parents, i as u32, i as u32) {
            problems.push(CompileProblem {
                concept: concept.id.clone(),
                field: "parents",
                message: format!("\"{}\" is its own ancestor", concept.id),
            });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut children = vec![Vec::new(); concepts.len()];
    for (child, own) in parents.iter().enumerate() {
        for &parent in own {
            children[parent as usize].push(child as u32);
        }
    }
    let mut terms = Vec::new();
    for (ci, concept) in concepts.iter().enumerate() {
        let mut seen = BTreeSet::new();
        for (which, text) in concept.all_terms().enumerate() {
            let key = term_key(text);
            if key.is_empty() || !seen.insert(key.clone()) {
                continue;
            }
            terms.push(Term {
                key,
                concept: ci as u32,
                which: which as u32,
                abbreviation: is_abbreviation(text.trim()),
            });
        }
    }
    terms.sort_by(|a, b| a.key.cmp(&b.key).then(a.concept.cmp(&b.concept)));
    let fingerprint = fingerprint_of(&concepts);
    Ok(Compiled {
        concepts,
        parents,
        children,
        terms,
        fingerprint,
    })
}

/// True when `target` is a proper ancestor of `from` (cycle check).
fn reaches(parents: &[Vec<u32>], from: u32, target: u32) -> bool {
    let mut stack: Vec<u32> = parents[from as usize].clone();
    let mut seen = BTreeSet::new();
    while let Some(next) = stack.pop() {
        if next == target {
            return true;
        }
        if seen.insert(next) {
            stack.extend(parents[next as usize].iter().copied());
        }
    }
    false
}

/// FNV-1a 64 over every field of every concept: stable across runs, builds and platforms.
pub fn fingerprint_of(concepts: &[Concept]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes.iter().chain([0xffu8].iter()) {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for c in concepts {
        feed(c.id.as_bytes());
        feed(&[c.kind as u8]);
        for list in [
            &c.synonyms_ja,
            &c.synonyms_en,
            &c.parents,
            &c.icd10,
            &c.nando,
            &c.mondo,
        ] {
            feed(&[0xfe]);
            for item in list {
                feed(item.as_bytes());
            }
        }
        feed(c.name_ja.as_bytes());
        feed(c.name_en.as_bytes());
    }
    hash
}

/// Counts of keys shared by several concepts (ambiguous keys), for the build report.
pub fn ambiguous_keys(compiled: &Compiled) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for pair in compiled.terms.windows(2) {
        if pair[0].key == pair[1].key {
            let entry = out.entry(pair[0].key.clone()).or_default();
            for t in pair {
                let id = compiled.concepts[t.concept as usize].id.clone();
                if !entry.contains(&id) {
                    entry.push(id);
                }
            }
        }
    }
    out
}
