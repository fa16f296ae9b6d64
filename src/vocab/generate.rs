//! Generates the vocabulary from its sources: the curated layer (`index/curated/*.toml`), the
//! official Japanese ICD-10 labels and NANDO (指定難病, 小児慢性特定疾病 and their groups).
//! Used by `cargo run --bin vocab-build`; the result is `index/generated/vocabulary.toml`.

use super::data::{compile, Concept, ConceptKind, GeneratedFile};
use super::key::term_key;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// A failure while reading or merging the sources.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// A source file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A source file could not be parsed.
    #[error("{path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// The merged vocabulary is inconsistent (unknown parents, cycles, unknown patch targets).
    #[error("inconsistent vocabulary:\n{0}")]
    Inconsistent(String),
}

/// A curated concept: a concept plus the generated entries it takes over.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct CuratedConcept {
    #[serde(flatten)]
    concept: Concept,
    /// Generated ids (`nanbyo:113`, `shoman_group:1`) merged into this concept.
    absorbs: Vec<String>,
}

/// Changes to a generated concept.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct Patch {
    id: String,
    name_ja: Option<String>,
    name_en: Option<String>,
    synonyms_ja: Vec<String>,
    synonyms_en: Vec<String>,
    parents: Vec<String>,
}

/// One curated file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct CuratedFile {
    /// Kind of every concept of the file unless a concept says otherwise.
    kind: Option<ConceptKind>,
    concept: Vec<CuratedConcept>,
    patch: Vec<Patch>,
}

/// English name and parent of an ICD-10 neoplasm category (`index/curated/icd10_neoplasms.toml`).
#[derive(Debug, Clone, Deserialize)]
struct IcdCategory {
    code: String,
    name_en: String,
    parent: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct IcdFile {
    category: Vec<IcdCategory>,
}

#[derive(Debug, Clone, Deserialize)]
struct NandoEntry {
    id: String,
    name_ja: String,
    name_en: String,
    #[serde(default)]
    synonyms_ja: Vec<String>,
    #[serde(default)]
    synonyms_en: Vec<String>,
    class_id: String,
    #[serde(default)]
    obsolete: bool,
}

#[derive(Debug, Clone, Deserialize)]
struct NandoClass {
    id: String,
    name_ja: String,
    name_en: String,
    #[serde(default)]
    parent: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct NandoMondo {
    id: String,
    #[serde(default)]
    mondo: Vec<String>,
    #[serde(default)]
    icd10: Vec<String>,
    #[serde(default)]
    exact_synonyms_en: Vec<String>,
}

/// Figures about a generated vocabulary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Concepts per kind.
    pub concepts: BTreeMap<String, usize>,
    /// Japanese names and synonyms.
    pub terms_ja: usize,
    /// English names and synonyms.
    pub terms_en: usize,
    /// Concepts with at least one ICD-10 code.
    pub with_icd10: usize,
    /// Concepts with at least one NANDO entry.
    pub with_nando: usize,
    /// Concepts with at least one MONDO id.
    pub with_mondo: usize,
    /// Keys shared by several concepts.
    pub ambiguous_keys: usize,
}

fn read(path: &Path) -> Result<String, GenerateError> {
    std::fs::read_to_string(path).map_err(|source| GenerateError::Read {
        path: path.to_path_buf(),
        source,
    })
}

fn json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, GenerateError> {
    serde_json::from_str(&read(path)?).map_err(|e| GenerateError::Parse {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

fn toml_file<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, GenerateError> {
    toml::from_str(&read(path)?).map_err(|e| GenerateError::Parse {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Reads every source under `index_dir` and returns the merged concepts, sorted by id.
pub fn generate(index_dir: &Path) -> Result<Vec<Concept>, GenerateError> {
    let curated_dir = index_dir.join("curated");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&curated_dir)
        .map_err(|source| GenerateError::Read {
            path: curated_dir.clone(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .filter(|p| p.file_name().is_some_and(|n| n != "icd10_neoplasms.toml"))
        .collect();
    names.sort();
    let mut curated = Vec::new();
    let mut patches = Vec::new();
    for path in &names {
        let file: CuratedFile = toml_file(path)?;
        for mut c in file.concept {
            if let Some(kind) = file.kind {
                c.concept.kind = kind;
            }
            curated.push(c);
        }
        patches.extend(file.patch);
    }
    let icd_labels: BTreeMap<String, String> =
        json(&index_dir.join("sources/icd10/icd10_jp_mapping.json"))?;
    let icd_file: IcdFile = toml_file(&curated_dir.join("icd10_neoplasms.toml"))?;
    let nando_dir = index_dir.join("sources/nando");
    let mut generated = Vec::new();
    for (table, group_prefix, root) in [
        ("nanbyo", "nanbyo_group", "nanbyo"),
        ("shoman", "shoman_group", "shoman"),
    ] {
        let classes: Vec<NandoClass> = json(&nando_dir.join(format!("{table}_class.json")))?;
        let entries: Vec<NandoEntry> = json(&nando_dir.join(format!("{table}.json")))?;
        let mondo: Vec<NandoMondo> = json(&nando_dir.join(format!("{table}_mondo.json")))?;
        generated.extend(nando_concepts(
            table,
            group_prefix,
            root,
            &classes,
            &entries,
            &mondo,
        ));
    }
    merge(curated, patches, generated, &icd_labels, &icd_file.category)
}

/// Concepts for one NANDO table: its groups and its entries (sub-types under their disease).
fn nando_concepts(
    table: &str,
    group_prefix: &str,
    root: &str,
    classes: &[NandoClass],
    entries: &[NandoEntry],
    mondo: &[NandoMondo],
) -> Vec<Concept> {
    let mut out = Vec::new();
    for class in classes {
        let parent = class
            .parent
            .as_ref()
            .and_then(|p| classes.iter().find(|c| &c.name_ja == p))
            .map(|c| format!("{group_prefix}:{}", c.id))
            .unwrap_or_else(|| root.to_string());
        out.push(Concept {
            id: format!("{group_prefix}:{}", class.id),
            name_ja: class.name_ja.clone(),
            name_en: class.name_en.clone(),
            parents: vec![parent],
            ..Concept::default()
        });
    }
    let by_id: HashMap<&str, &NandoMondo> = mondo.iter().map(|m| (m.id.as_str(), m)).collect();
    let ids: BTreeSet<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    for entry in entries.iter().filter(|e| !e.obsolete) {
        let parent = match entry.id.rsplit_once('-') {
            Some((base, _)) if ids.contains(base) => format!("{table}:{base}"),
            _ => format!("{group_prefix}:{}", entry.class_id),
        };
        let mut c = Concept {
            id: format!("{table}:{}", entry.id),
            name_ja: entry.name_ja.trim().to_string(),
            name_en: entry.name_en.trim().to_string(),
            synonyms_ja: entry.synonyms_ja.clone(),
            synonyms_en: entry.synonyms_en.clone(),
            parents: vec![parent],
            nando: vec![format!("{table}:{}", entry.id)],
            ..Concept::default()
        };
        if let Some(m) = by_id.get(entry.id.as_str()) {
            c.mondo = m.mondo.clone();
            c.icd10 = m.icd10.clone();
            c.synonyms_en.extend(m.exact_synonyms_en.iter().cloned());
        }
        out.push(c);
    }
    out
}

/// Official label without its bracketed alternatives, plus the everyday `悪性腫瘍` form.
fn label_variants(label: &str) -> Vec<String> {
    let label = label.split('，').next().unwrap_or(label);
    let mut plain = String::new();
    let mut depth = 0;
    for c in label.chars() {
        match c {
            '＜' | '［' => depth += 1,
            '＞' | '］' => depth -= 1,
            c if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let mut out = vec![plain.clone()];
    if label.contains("悪性新生物＜腫瘍＞") {
        out.push(plain.replace("悪性新生物", "悪性腫瘍"));
    }
    out
}

/// A neoplasm code of ICD-10 chapter II that the vocabulary covers (C00–C97, D00–D09).
fn is_covered_neoplasm(code: &str) -> bool {
    code.starts_with('C') || (code.starts_with('D') && code.get(1..3).is_some_and(|n| n < "10"))
}

/// Adds `term` to the concept's synonyms unless one of its names already has that key.
fn add_synonym(c: &mut Concept, term: &str, japanese: bool) {
    let key = term_key(term);
    if key.is_empty() || c.all_terms().any(|t| term_key(t) == key) {
        return;
    }
    if japanese {
        c.synonyms_ja.push(term.to_string());
    } else {
        c.synonyms_en.push(term.to_string());
    }
}

fn push_unique(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|x| x == item) {
        list.push(item.to_string());
    }
}

/// Merges curated concepts over the generated ones and attaches the ICD-10 layer.
fn merge(
    curated: Vec<CuratedConcept>,
    patches: Vec<Patch>,
    generated: Vec<Concept>,
    icd_labels: &BTreeMap<String, String>,
    icd_categories: &[IcdCategory],
) -> Result<Vec<Concept>, GenerateError> {
    let mut problems = Vec::new();
    let mut concepts: Vec<Concept> = Vec::new();
    let mut position: HashMap<String, usize> = HashMap::new();
    // Curated concepts first; they keep their readable ids.
    let mut curated_keys: HashMap<String, usize> = HashMap::new();
    let mut explicit: HashMap<String, usize> = HashMap::new();
    for c in curated {
        let at = concepts.len();
        if position.insert(c.concept.id.clone(), at).is_some() {
            problems.push(format!("{}: duplicate curated concept", c.concept.id));
        }
        if c.concept.kind == ConceptKind::Disease {
            for term in [&c.concept.name_ja, &c.concept.name_en]
                .into_iter()
                .chain(c.concept.synonyms_ja.iter())
            {
                curated_keys.entry(term_key(term)).or_insert(at);
            }
        }
        for a in &c.absorbs {
            explicit.insert(a.clone(), at);
        }
        concepts.push(c.concept);
    }
    // Generated entries: absorbed by a curated concept (explicitly, or by the same Japanese or
    // English name), merged with an earlier entry of the same Japanese name, or added.
    let mut alias: HashMap<String, String> = HashMap::new();
    let mut generated_names: HashMap<String, usize> = HashMap::new();
    for g in generated {
        let is_group = g.id.contains("_group:");
        let target = explicit.get(&g.id).copied().or_else(|| {
            if is_group {
                return None;
            }
            curated_keys
                .get(&term_key(&g.name_ja))
                .or_else(|| curated_keys.get(&term_key(&g.name_en)))
                .or_else(|| generated_names.get(&term_key(&g.name_ja)))
                .copied()
        });
        match target {
            Some(at) => {
                let into = &mut concepts[at];
                alias.insert(g.id.clone(), into.id.clone());
                add_synonym(into, &g.name_ja, true);
                add_synonym(into, &g.name_en, false);
                for s in &g.synonyms_ja {
                    add_synonym(into, s, true);
                }
                for s in &g.synonyms_en {
                    add_synonym(into, s, false);
                }
                for p in &g.parents {
                    push_unique(&mut into.parents, p);
                }
                for (list, from) in [
                    (&mut into.icd10, &g.icd10),
                    (&mut into.nando, &g.nando),
                    (&mut into.mondo, &g.mondo),
                ] {
                    for x in from {
                        push_unique(list, x);
                    }
                }
            }
            None => {
                let at = concepts.len();
                if !is_group {
                    generated_names.entry(term_key(&g.name_ja)).or_insert(at);
                }
                position.insert(g.id.clone(), at);
                concepts.push(g);
            }
        }
    }
    // ICD-10 neoplasm categories: labels onto the curated concept that names the code, or a
    // concept of their own.
    for cat in icd_categories {
        let Some(label) = icd_labels.get(&cat.code) else {
            problems.push(format!(
                "icd10_neoplasms.toml: unknown ICD-10 code {}",
                cat.code
            ));
            continue;
        };
        let variants = label_variants(label);
        match concepts.iter().position(|c| c.icd10.contains(&cat.code)) {
            Some(at) => {
                for v in &variants {
                    add_synonym(&mut concepts[at], v, true);
                }
            }
            None => {
                let id = format!("icd10:{}", cat.code);
                position.insert(id.clone(), concepts.len());
                let mut c = Concept {
                    id,
                    name_ja: variants[0].clone(),
                    name_en: cat.name_en.clone(),
                    parents: vec![cat.parent.clone()],
                    icd10: vec![cat.code.clone()],
                    ..Concept::default()
                };
                for v in &variants[1..] {
                    add_synonym(&mut c, v, true);
                }
                concepts.push(c);
            }
        }
    }
    // Labels of finer neoplasm codes that exactly one concept names.
    let mut owners: HashMap<String, usize> = HashMap::new();
    for c in &concepts {
        for code in &c.icd10 {
            *owners.entry(code.clone()).or_default() += 1;
        }
    }
    for c in concepts.iter_mut() {
        let codes: Vec<String> = c.icd10.clone();
        for code in codes {
            if code.len() < 5 || !is_covered_neoplasm(&code) || owners.get(&code) != Some(&1) {
                continue;
            }
            if let Some(label) = icd_labels.get(&code) {
                let names_disease = ["がん", "癌", "腫", "白血病", "症候群", "血症", "疾患"]
                    .iter()
                    .any(|w| label.contains(w));
                if !names_disease
                    || ["その他", "詳細不明", "部位不明", "明示"]
                        .iter()
                        .any(|w| label.contains(w))
                {
                    continue;
                }
                for v in label_variants(label) {
                    add_synonym(c, &v, true);
                }
            }
        }
    }
    for patch in patches {
        let id = alias.get(&patch.id).cloned().unwrap_or(patch.id.clone());
        let Some(&at) = position.get(&id) else {
            problems.push(format!("patch: unknown concept \"{}\"", patch.id));
            continue;
        };
        let c = &mut concepts[at];
        if let Some(name) = patch.name_ja {
            let old = std::mem::replace(&mut c.name_ja, name);
            add_synonym(c, &old, true);
        }
        if let Some(name) = patch.name_en {
            let old = std::mem::replace(&mut c.name_en, name);
            add_synonym(c, &old, false);
        }
        for s in &patch.synonyms_ja {
            add_synonym(c, s, true);
        }
        for s in &patch.synonyms_en {
            add_synonym(c, s, false);
        }
        for p in &patch.parents {
            push_unique(&mut c.parents, p);
        }
    }
    // Parents through aliases; no concept its own parent; synonyms without repeats.
    for c in concepts.iter_mut() {
        let mut parents = Vec::new();
        for p in &c.parents {
            let p = alias.get(p).cloned().unwrap_or(p.clone());
            if p != c.id && !parents.contains(&p) {
                parents.push(p);
            }
        }
        c.parents = parents;
        let mut seen: BTreeSet<String> = [term_key(&c.name_ja), term_key(&c.name_en)].into();
        c.synonyms_ja.retain(|s| seen.insert(term_key(s)));
        c.synonyms_en.retain(|s| seen.insert(term_key(s)));
    }
    if !problems.is_empty() {
        return Err(GenerateError::Inconsistent(problems.join("\n")));
    }
    concepts.sort_by(|a, b| a.id.cmp(&b.id));
    if let Err(problems) = compile(concepts.clone()) {
        let lines: Vec<String> = problems
            .iter()
            .map(|p| format!("{}: {}: {}", p.concept, p.field, p.message))
            .collect();
        return Err(GenerateError::Inconsistent(lines.join("\n")));
    }
    Ok(concepts)
}

/// Figures about a set of concepts (for the build report and `index/README.md`).
pub fn summarize(concepts: &[Concept]) -> Summary {
    let mut s = Summary::default();
    for c in concepts {
        let kind = format!("{:?}", c.kind);
        *s.concepts.entry(kind).or_default() += 1;
        s.terms_ja += 1 + c.synonyms_ja.len();
        s.terms_en += 1 + c.synonyms_en.len();
        s.with_icd10 += usize::from(!c.icd10.is_empty());
        s.with_nando += usize::from(!c.nando.is_empty());
        s.with_mondo += usize::from(!c.mondo.is_empty());
    }
    if let Ok(compiled) = compile(concepts.to_vec()) {
        s.ambiguous_keys = super::data::ambiguous_keys(&compiled).len();
    }
    s
}

/// The text of `index/generated/vocabulary.toml`: a header with the credits, then the concepts.
pub fn render(concepts: &[Concept]) -> Result<String, GenerateError> {
    let file = GeneratedFile {
        concepts: concepts.to_vec(),
    };
    let body = toml::to_string(&file).map_err(|e| GenerateError::Parse {
        path: PathBuf::from("index/generated/vocabulary.toml"),
        message: e.to_string(),
    })?;
    Ok(format!(
        "# GENERATED by `cargo run --bin vocab-build` from index/curated/ and index/sources/.\n\
         # Do not edit: change the curated layer and rebuild (see index/README.md).\n\
         # ICD-10 Japanese labels: dbcls/humandbs, Apache-2.0 (index/sources/icd10/LICENSE).\n\
         # NANDO, Database Center for Life Science (DBCLS), CC-BY 4.0.\n\n{body}"
    ))
}
