//! The disease, modality, exit-strategy and clinical-item vocabulary: concepts with Japanese
//! and English names, a hierarchy, and the resolver that maps what people type onto concepts.
//! Search expansion, matching and consent rules all go through [`Vocabulary`].
//!
//! The built-in vocabulary is generated under `index/` (`cargo run --bin vocab-build`) and
//! compiled into the binary by `build.rs`; [`Vocabulary::builtin`] decodes it once.

mod audit;
mod compose;
pub mod data;
pub mod generate;
mod icd10;
pub mod key;
mod mentions;
mod resolve;
mod user;

pub use audit::{audit_disease_strings, UnresolvedTerm};
pub use data::{Concept, ConceptKind};
pub use user::VocabError;

use crate::memo::Memo;
use data::Compiled;
use serde::Serialize;
use std::sync::OnceLock;

/// How a string was matched to a concept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchMethod {
    /// The whole string is a name or synonym of the concept.
    Exact,
    /// A name or synonym once qualifiers (stage, "advanced", "(…)", "with …") are set aside.
    Qualified,
    /// The longest name found inside the string (its head term).
    Head,
    /// A name one typing error away.
    Typo,
    /// A histology word with a site ("serous adenocarcinoma of ovary" → ovarian cancer).
    Composed,
}

impl std::fmt::Display for MatchMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MatchMethod::Exact => "exact synonym",
            MatchMethod::Qualified => "qualifiers set aside",
            MatchMethod::Head => "head term",
            MatchMethod::Typo => "one typo away",
            MatchMethod::Composed => "histology with a site",
        })
    }
}

/// One concept a string resolves to, with how and how surely.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resolution {
    /// Concept id.
    pub concept: String,
    /// How it matched.
    pub method: MatchMethod,
    /// How sure the match is, 0 to 1 (shared between the concepts of an ambiguous string).
    pub confidence: f32,
    /// The name or synonym that matched.
    pub matched: String,
    /// A sentence saying why.
    pub evidence: String,
}

/// A concept named inside free text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mention {
    /// Concept id.
    pub concept: String,
    /// The text of the name found.
    pub matched: String,
    /// 1 for an unambiguous name, less when the name belongs to several concepts.
    pub confidence: f32,
}

/// The vocabulary: concepts, hierarchy, matching keys.
#[derive(Debug)]
pub struct Vocabulary {
    data: Compiled,
    mentions: OnceLock<mentions::MentionIndex>,
    /// Strings resolved before: a catalog repeats the same disease, modality and expertise
    /// values thousands of times, and a value that names nothing costs a scan of every name.
    resolved: Memo<ResolveKey, Vec<Resolution>>,
}

/// A string to resolve, with the one kind asked for (`None`: any).
type ResolveKey = (Option<ConceptKind>, String);

/// Resolved strings a vocabulary remembers (a bound, so that odd data cannot grow it without
/// end; when full it starts over).
const RESOLVED_CACHE: usize = 100_000;

/// The compiled built-in vocabulary (see `build.rs`).
static BUILTIN_BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/vocabulary.bin"));

impl Vocabulary {
    fn from_compiled(data: Compiled) -> Vocabulary {
        Vocabulary {
            data,
            mentions: OnceLock::new(),
            resolved: Memo::new(RESOLVED_CACHE),
        }
    }

    /// The built-in vocabulary, decoded on first use and shared afterwards.
    pub fn builtin() -> &'static Vocabulary {
        static BUILTIN: OnceLock<Vocabulary> = OnceLock::new();
        BUILTIN.get_or_init(Vocabulary::decode_builtin)
    }

    /// Decodes the compiled-in data (what [`Vocabulary::builtin`] does once; public for the
    /// start-up benchmark). A build whose data does not decode yields an empty vocabulary.
    pub fn decode_builtin() -> Vocabulary {
        Vocabulary::from_compiled(postcard::from_bytes(BUILTIN_BYTES).unwrap_or_default())
    }

    /// The built-in vocabulary with a user layer (`vocabulary.toml` of the data directory)
    /// merged over it; `file_name` is used in the error locations.
    pub fn with_user_vocabulary(
        file_name: &str,
        toml_text: &str,
    ) -> Result<Vocabulary, Vec<VocabError>> {
        user::merge(Vocabulary::builtin(), file_name, toml_text).map(Vocabulary::from_compiled)
    }

    /// Where the concept with this id stands among [`Vocabulary::concepts`] (match candidates
    /// store concepts as these positions).
    pub fn position(&self, id: &str) -> Option<usize> {
        self.data
            .concepts
            .binary_search_by(|c| c.id.as_str().cmp(id))
            .ok()
    }

    /// The concept at a [`Vocabulary::position`].
    pub fn concept_at(&self, position: usize) -> Option<&Concept> {
        self.data.concepts.get(position)
    }

    /// The concept with this id.
    pub fn concept(&self, id: &str) -> Option<&Concept> {
        self.position(id).map(|i| &self.data.concepts[i])
    }

    /// Every concept, sorted by id.
    pub fn concepts(&self) -> impl Iterator<Item = &Concept> {
        self.data.concepts.iter()
    }

    /// Number of concepts.
    pub fn len(&self) -> usize {
        self.data.concepts.len()
    }

    /// True for an empty vocabulary.
    pub fn is_empty(&self) -> bool {
        self.data.concepts.is_empty()
    }

    /// Resolves a string to concepts, best first; several when the string is ambiguous, none
    /// when nothing matches.
    pub fn resolve(&self, text: &str) -> Vec<Resolution> {
        self.resolve_remembered(text, None)
    }

    /// Like [`Vocabulary::resolve`], keeping only concepts of one kind.
    pub fn resolve_kind(&self, text: &str, kind: ConceptKind) -> Vec<Resolution> {
        self.resolve_remembered(text, Some(kind))
    }

    /// [`resolve::resolve`], each string worked out once.
    fn resolve_remembered(&self, text: &str, kind: Option<ConceptKind>) -> Vec<Resolution> {
        self.resolved.get_or((kind, text.to_string()), || {
            resolve::resolve(self, text, kind)
        })
    }

    /// Builds the automaton [`Vocabulary::mentions`] finds names with, if not built yet (tens
    /// of milliseconds for the built-in vocabulary): done ahead, beside other work, it is not
    /// waited for when the first text is read.
    pub fn prepare_mentions(&self) {
        self.mentions
            .get_or_init(|| mentions::MentionIndex::build(&self.data));
    }

    /// Concepts named in free text, in order of appearance (longest names win; Latin names
    /// only on word boundaries; upper-case abbreviations only when written in capitals).
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        self.mentions
            .get_or_init(|| mentions::MentionIndex::build(&self.data))
            .find(&self.data, text)
    }

    /// All broader concepts, nearest first, without repeats.
    pub fn ancestors(&self, id: &str) -> Vec<&str> {
        let Some(start) = self.position(id) else {
            return Vec::new();
        };
        let mut out: Vec<usize> = Vec::new();
        let mut frontier = vec![start];
        while !frontier.is_empty() {
            let mut next = Vec::new();
            for i in frontier {
                for &p in &self.data.parents[i] {
                    let p = p as usize;
                    if p != start && !out.contains(&p) {
                        out.push(p);
                        next.push(p);
                    }
                }
            }
            frontier = next;
        }
        out.into_iter()
            .map(|i| self.data.concepts[i].id.as_str())
            .collect()
    }

    /// The direct narrower concepts.
    pub fn children(&self, id: &str) -> Vec<&str> {
        self.position(id)
            .map(|i| {
                self.data.children[i]
                    .iter()
                    .map(|&c| self.data.concepts[c as usize].id.as_str())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// True when `id` is `ancestor` or lies under it.
    pub fn is_same_or_under(&self, id: &str, ancestor: &str) -> bool {
        self.steps_up(id, ancestor).is_some()
    }

    /// How many levels `ancestor` is above `id` (0 = same, 1 = parent…), by the shortest path.
    pub fn steps_up(&self, id: &str, ancestor: &str) -> Option<usize> {
        let start = self.position(id)?;
        let target = self.position(ancestor)?;
        // Ancestor sets are small: a list of those seen is cheaper than a flag per concept
        // (allocating one per call dominated matching, which asks this per candidate pair).
        let mut seen: Vec<usize> = Vec::new();
        let mut frontier = vec![start];
        let mut steps = 0;
        while !frontier.is_empty() {
            if frontier.contains(&target) {
                return Some(steps);
            }
            let mut next = Vec::new();
            for i in frontier {
                for &p in &self.data.parents[i] {
                    let p = p as usize;
                    if !seen.contains(&p) {
                        seen.push(p);
                        next.push(p);
                    }
                }
            }
            frontier = next;
            steps += 1;
        }
        None
    }

    /// Every path from the concept up to a root (the concept first), at most 32 paths.
    pub fn paths_to_root(&self, id: &str) -> Vec<Vec<&Concept>> {
        const MAX_PATHS: usize = 32;
        let Some(start) = self.position(id) else {
            return Vec::new();
        };
        let mut done = Vec::new();
        let mut open = vec![vec![start]];
        while let Some(path) = open.pop() {
            let last = path[path.len() - 1];
            let parents: Vec<usize> = self.data.parents[last]
                .iter()
                .map(|&p| p as usize)
                .filter(|p| !path.contains(p))
                .collect();
            if parents.is_empty() {
                done.push(path);
                if done.len() >= MAX_PATHS {
                    break;
                }
                continue;
            }
            for p in parents.into_iter().rev() {
                let mut longer = path.clone();
                longer.push(p);
                open.push(longer);
            }
        }
        done.sort_by_key(|p| p.len());
        done.into_iter()
            .map(|p| p.into_iter().map(|i| &self.data.concepts[i]).collect())
            .collect()
    }

    /// The names and synonyms of a concept (Japanese name, English name, then synonyms).
    pub fn terms(&self, id: &str) -> Vec<&str> {
        self.concept(id)
            .map(|c| c.all_terms().filter(|t| !t.is_empty()).collect())
            .unwrap_or_default()
    }

    /// The display name in Japanese or English, falling back to the other name, then the id.
    pub fn label(&self, id: &str, japanese: bool) -> String {
        let Some(c) = self.concept(id) else {
            return id.to_string();
        };
        let (first, second) = if japanese {
            (&c.name_ja, &c.name_en)
        } else {
            (&c.name_en, &c.name_ja)
        };
        [first, second]
            .into_iter()
            .find(|n| !n.is_empty())
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    /// Stable hash of the contents (changes whenever a concept, name or link changes).
    pub fn fingerprint(&self) -> u64 {
        self.data.fingerprint
    }

    /// Concept ids closest in spelling to `text` (ids, names and synonyms compared), best first.
    pub fn closest(&self, text: &str, n: usize) -> Vec<String> {
        resolve::closest(self, text, n)
    }

    pub(crate) fn data(&self) -> &Compiled {
        &self.data
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod steps_up_tests {
    use super::Vocabulary;

    /// `steps_up` agrees with the parents and ancestors of every built-in concept.
    #[test]
    fn steps_up_follows_the_hierarchy() {
        let vocab = Vocabulary::builtin();
        let mut checked = 0;
        for concept in vocab.concepts() {
            let id = concept.id.as_str();
            assert_eq!(vocab.steps_up(id, id), Some(0), "{id}");
            for parent in &concept.parents {
                assert_eq!(vocab.steps_up(id, parent), Some(1), "{id} → {parent}");
                assert_eq!(
                    vocab.steps_up(parent, id),
                    None,
                    "{parent} is not under {id}"
                );
                checked += 1;
            }
            for ancestor in vocab.ancestors(id) {
                assert!(
                    vocab.steps_up(id, ancestor).is_some_and(|n| n >= 1),
                    "{id} → {ancestor}"
                );
            }
        }
        assert!(checked > 100, "only {checked} parent links");
        assert_eq!(vocab.steps_up("lung_cancer", "no_such_concept"), None);
    }
}
