//! The user's vocabulary layer (`vocabulary.toml` in the data directory): extra synonyms for
//! built-in concepts and new concepts, merged over the built-in vocabulary, with errors located
//! by file, line and field.

use super::data::{compile, Compiled, Concept, ConceptKind};
use super::Vocabulary;
use serde::Deserialize;

/// A problem in a user vocabulary file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.located())]
pub struct VocabError {
    /// File name as given (`vocabulary.toml`).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The field it is about, when known.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl VocabError {
    fn located(&self) -> String {
        let mut s = self.file.clone();
        if let Some(line) = self.line {
            s.push_str(&format!(":{line}"));
        }
        s.push_str(": ");
        if let Some(field) = &self.field {
            s.push_str(&format!("{field}: "));
        }
        s.push_str(&self.message);
        s
    }
}

/// One `[[concept]]` of the user file: a new concept, or additions to a built-in one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct UserConcept {
    id: String,
    kind: Option<ConceptKind>,
    name_ja: Option<String>,
    name_en: Option<String>,
    synonyms_ja: Vec<String>,
    synonyms_en: Vec<String>,
    parents: Vec<String>,
    icd10: Vec<String>,
    nando: Vec<String>,
    mondo: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct UserFile {
    concept: Vec<UserConcept>,
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Line numbers of each `[[concept]]` header.
fn block_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("[[concept]]"))
        .map(|(i, _)| i + 1)
        .collect()
}

/// Line of the first line of block `block` (starting at `start`) that contains `needle`.
fn find_line(text: &str, start: usize, end: usize, needle: &str) -> Option<usize> {
    text.lines()
        .enumerate()
        .skip(start.saturating_sub(1))
        .take(end.saturating_sub(start))
        .find(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
}

pub(super) fn merge(
    base: &Vocabulary,
    file: &str,
    text: &str,
) -> Result<Compiled, Vec<VocabError>> {
    let error = |line: Option<usize>, field: Option<&str>, message: String| VocabError {
        file: file.to_string(),
        line,
        field: field.map(str::to_string),
        message,
    };
    let parsed: UserFile = toml::from_str(text).map_err(|e| {
        vec![error(
            e.span().map(|s| line_of(text, s.start)),
            None,
            e.message().trim().to_string(),
        )]
    })?;
    let starts = block_lines(text);
    let total_lines = text.lines().count() + 1;
    let mut concepts: Vec<Concept> = base.concepts().cloned().collect();
    let mut errors = Vec::new();
    let mut new_ids: Vec<String> = Vec::new();
    for (n, uc) in parsed.concept.iter().enumerate() {
        let start = starts.get(n).copied().unwrap_or(1);
        let end = starts.get(n + 1).copied().unwrap_or(total_lines);
        let at = |needle: &str| find_line(text, start, end, needle).or(Some(start));
        let id = uc.id.trim();
        if id.is_empty() {
            errors.push(error(Some(start), Some("id"), "missing concept id".into()));
            continue;
        }
        if new_ids.iter().any(|x| x == id) {
            errors.push(error(
                at("id"),
                Some("id"),
                format!("concept \"{id}\" defined twice"),
            ));
            continue;
        }
        for parent in &uc.parents {
            let known = base.concept(parent).is_some()
                || parsed.concept.iter().any(|c| c.id.trim() == parent);
            if !known {
                let mut e = error(
                    at(&format!("\"{parent}\"")),
                    Some("parents"),
                    format!("unknown concept \"{parent}\""),
                );
                let closest = base.closest(parent, 3);
                if !closest.is_empty() {
                    e.message
                        .push_str(&format!(" (closest: {})", closest.join(", ")));
                }
                errors.push(e);
            }
        }
        for (field, synonyms) in [
            ("synonyms_ja", &uc.synonyms_ja),
            ("synonyms_en", &uc.synonyms_en),
        ] {
            if synonyms.iter().any(|s| s.trim().is_empty()) {
                errors.push(error(
                    at(field),
                    Some(field),
                    "an empty synonym matches nothing: remove it".into(),
                ));
            }
        }
        new_ids.push(id.to_string());
        let position = concepts.binary_search_by(|c| c.id.as_str().cmp(id));
        let concept = match position {
            Ok(i) => &mut concepts[i],
            Err(_) => {
                let named = [&uc.name_ja, &uc.name_en]
                    .iter()
                    .any(|n| n.as_deref().is_some_and(|n| !n.trim().is_empty()));
                if !named {
                    errors.push(error(
                        Some(start),
                        Some("name_ja"),
                        format!("new concept \"{id}\" needs name_ja or name_en"),
                    ));
                    continue;
                }
                concepts.push(Concept {
                    id: id.to_string(),
                    ..Concept::default()
                });
                concepts.sort_by(|a, b| a.id.cmp(&b.id));
                let Ok(i) = concepts.binary_search_by(|c| c.id.as_str().cmp(id)) else {
                    continue;
                };
                &mut concepts[i]
            }
        };
        if let Some(kind) = uc.kind {
            concept.kind = kind;
        }
        if let Some(name) = uc.name_ja.as_ref().filter(|n| !n.trim().is_empty()) {
            let old = std::mem::replace(&mut concept.name_ja, name.trim().to_string());
            if !old.is_empty() {
                concept.synonyms_ja.push(old);
            }
        }
        if let Some(name) = uc.name_en.as_ref().filter(|n| !n.trim().is_empty()) {
            let old = std::mem::replace(&mut concept.name_en, name.trim().to_string());
            if !old.is_empty() {
                concept.synonyms_en.push(old);
            }
        }
        for (list, extra) in [
            (&mut concept.synonyms_ja, &uc.synonyms_ja),
            (&mut concept.synonyms_en, &uc.synonyms_en),
            (&mut concept.parents, &uc.parents),
            (&mut concept.icd10, &uc.icd10),
            (&mut concept.nando, &uc.nando),
            (&mut concept.mondo, &uc.mondo),
        ] {
            for item in extra {
                let item = item.trim();
                if !item.is_empty() && !list.iter().any(|x| x == item) {
                    list.push(item.to_string());
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    compile(concepts).map_err(|problems| {
        problems
            .into_iter()
            .map(|p| {
                let n = parsed.concept.iter().position(|c| c.id.trim() == p.concept);
                let line = n.and_then(|n| starts.get(n).copied());
                error(line, Some(p.field), p.message)
            })
            .collect()
    })
}
