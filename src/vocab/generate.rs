//! Generates the vocabulary from its sources: the curated layer (`index/curated/*.toml`), the
//! ICD-10 tree (official Japanese labels, WHO 2019 English titles) and NANDO (指定難病,
//! 小児慢性特定疾病 and their groups).
//! Used by `cargo run --bin vocab-build`; the result is `index/generated/vocabulary.toml`.

use super::data::{compile, Concept, ConceptKind, GeneratedFile};
use super::icd10;
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
    /// Synonyms a source gives wrongly (compared without regard to case), removed.
    drop_synonyms: Vec<String>,
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

/// The curated parent of an ICD-10 neoplasm category (`index/curated/icd10_neoplasms.toml`).
#[derive(Debug, Clone, Deserialize)]
struct IcdCategory {
    code: String,
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
        // `icd10_*.toml` describe the ICD-10 layer, not concepts.
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| !n.starts_with("icd10_"))
        })
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
    let who_path = index_dir.join("sources/icd10-en/icd10_who_2019_en.tsv");
    let chapters_blocks: icd10::ChaptersBlocks =
        toml_file(&curated_dir.join("icd10_chapters_blocks.toml"))?;
    let icd_tree =
        icd10::tree(&read(&who_path)?, &icd_labels, &chapters_blocks).map_err(|message| {
            GenerateError::Parse {
                path: who_path.clone(),
                message,
            }
        })?;
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
    merge(curated, patches, generated, &icd_tree, &icd_file.category)
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
            // An entry mapped to several MONDO ids gets the union of their synonyms, some of
            // them for other diseases (a loose mapping gave juvenile dermatomyositis the
            // synonym "diabetes"): keep those only when they share a word with the name.
            let name_words = content_words(&entry.name_en);
            c.synonyms_en.extend(
                m.exact_synonyms_en
                    .iter()
                    .filter(|s| m.mondo.len() <= 1 || !content_words(s).is_disjoint(&name_words))
                    .cloned(),
            );
        }
        out.push(c);
    }
    out
}

/// The distinctive lower-case words of an English name (generic words left out).
fn content_words(text: &str) -> BTreeSet<String> {
    const GENERIC: &[&str] = &[
        "disease",
        "syndrome",
        "type",
        "the",
        "and",
        "with",
        "disorder",
        "deficiency",
        "cancer",
        "carcinoma",
        "tumor",
        "tumour",
        "malignant",
        "neoplasm",
        "congenital",
        "hereditary",
        "familial",
        "chronic",
        "acute",
        "primary",
        "form",
        "autosomal",
        "dominant",
        "recessive",
    ];
    term_key(text)
        .split(' ')
        .filter(|w| w.len() >= 4 && !GENERIC.contains(w))
        .map(str::to_string)
        .collect()
}

/// Adds `term` to the concept's synonyms unless one of its names already has that key.
pub(super) fn add_synonym(c: &mut Concept, term: &str, japanese: bool) {
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

pub(super) fn push_unique(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|x| x == item) {
        list.push(item.to_string());
    }
}

/// Renames a concept (keeping the old names as synonyms) and adds synonyms and parents.
fn apply_patch(c: &mut Concept, patch: &Patch) {
    if let Some(name) = &patch.name_ja {
        let old = std::mem::replace(&mut c.name_ja, name.clone());
        add_synonym(c, &old, true);
    }
    if let Some(name) = &patch.name_en {
        let old = std::mem::replace(&mut c.name_en, name.clone());
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
    let dropped = |s: &String| {
        patch
            .drop_synonyms
            .iter()
            .any(|d| d.eq_ignore_ascii_case(s))
    };
    c.synonyms_ja.retain(|s| !dropped(s));
    c.synonyms_en.retain(|s| !dropped(s));
}

/// Merges curated concepts over the generated ones and attaches the ICD-10 layer.
fn merge(
    curated: Vec<CuratedConcept>,
    patches: Vec<Patch>,
    generated: Vec<Concept>,
    icd_tree: &[icd10::IcdNode],
    icd_categories: &[IcdCategory],
) -> Result<Vec<Concept>, GenerateError> {
    let mut problems = Vec::new();
    let mut concepts: Vec<Concept> = Vec::new();
    let mut position: HashMap<String, usize> = HashMap::new();
    // Patches aimed at generated ids apply before merging, so that a renamed group no longer
    // collides with a curated name.
    let generated_ids: BTreeSet<String> = generated.iter().map(|g| g.id.clone()).collect();
    let (early, late): (Vec<Patch>, Vec<Patch>) = patches
        .into_iter()
        .partition(|p| generated_ids.contains(&p.id));
    let mut generated = generated;
    for patch in &early {
        if let Some(g) = generated.iter_mut().find(|g| g.id == patch.id) {
            apply_patch(g, patch);
        }
    }
    // Curated concepts first; they keep their readable ids. `curated_names` decides which
    // generated entries a curated concept takes over; `curated_terms` says which concepts own
    // a curated term (a source synonym equal to another concept's curated term is dropped).
    let mut curated_names: HashMap<String, usize> = HashMap::new();
    let mut curated_terms: HashMap<String, BTreeSet<usize>> = HashMap::new();
    let mut explicit: HashMap<String, usize> = HashMap::new();
    let mut curated_codes: HashMap<String, Vec<usize>> = HashMap::new();
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
                curated_names.entry(term_key(term)).or_insert(at);
            }
        }
        for term in c.concept.all_terms() {
            curated_terms.entry(term_key(term)).or_default().insert(at);
        }
        for a in &c.absorbs {
            explicit.insert(a.clone(), at);
        }
        for code in &c.concept.icd10 {
            curated_codes.entry(code.clone()).or_default().push(at);
        }
        concepts.push(c.concept);
    }
    let curated_count = concepts.len();
    let by_name = |g: &Concept| -> Option<usize> {
        explicit.get(&g.id).copied().or_else(|| {
            curated_names
                .get(&term_key(&g.name_ja))
                .or_else(|| curated_names.get(&term_key(&g.name_en)))
                .copied()
        })
    };
    // MONDO ids of the entries each curated concept takes over by name: another entry with
    // one of those ids is the same disease from the other table (e.g. a 指定難病 sub-type and
    // a 小児慢性特定疾病 entry) and is taken over too.
    let mut curated_mondo: HashMap<String, usize> = HashMap::new();
    for g in generated.iter().filter(|g| !g.id.contains("_group:")) {
        if let Some(at) = by_name(g) {
            for m in &g.mondo {
                curated_mondo.entry(m.clone()).or_insert(at);
            }
        }
    }
    // Generated entries: taken over by a curated concept, merged with an earlier entry or
    // group of the same Japanese name, or added.
    let mut alias: HashMap<String, String> = HashMap::new();
    let mut generated_names: HashMap<String, usize> = HashMap::new();
    for g in generated {
        let is_group = g.id.contains("_group:");
        let by_mondo = || {
            (!is_group)
                .then(|| g.mondo.iter().find_map(|m| curated_mondo.get(m).copied()))
                .flatten()
        };
        let target = by_name(&g)
            .or_else(by_mondo)
            .or_else(|| generated_names.get(&term_key(&g.name_ja)).copied());
        match target {
            Some(at) => {
                let owners_ok = |term: &str| {
                    curated_terms
                        .get(&term_key(term))
                        .is_none_or(|owners| owners.contains(&at) || at >= curated_count)
                };
                let into = &mut concepts[at];
                alias.insert(g.id.clone(), into.id.clone());
                for (term, japanese) in [(&g.name_ja, true), (&g.name_en, false)]
                    .into_iter()
                    .chain(g.synonyms_ja.iter().map(|s| (s, true)))
                    .chain(g.synonyms_en.iter().map(|s| (s, false)))
                {
                    if owners_ok(term) {
                        add_synonym(into, term, japanese);
                    }
                }
                // A curated concept keeps its own place: it does not inherit the groups of
                // the 小児慢性特定疾病 entries it takes over (CML is not a childhood cancer
                // because a childhood form of it is listed there).
                if !(g.id.starts_with("shoman") && at < curated_count) {
                    for p in &g.parents {
                        push_unique(&mut into.parents, p);
                    }
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
                generated_names.entry(term_key(&g.name_ja)).or_insert(at);
                position.insert(g.id.clone(), at);
                concepts.push(g);
            }
        }
    }
    // Source synonyms of generated concepts that are another concept's curated term go: the
    // curated layer decides what "NF1" or "Pompe disease" means.
    for c in concepts.iter_mut().skip(curated_count) {
        let keep = |t: &String| !curated_terms.contains_key(&term_key(t));
        c.synonyms_ja.retain(keep);
        c.synonyms_en.retain(keep);
    }
    // The ICD-10 tree: every chapter, block, category and subcategory, merged into the concept
    // that stands for it or a concept of its own, with the NANDO entries joined under it.
    let known: BTreeSet<&str> = icd_tree.iter().map(|n| n.code.as_str()).collect();
    for cat in icd_categories {
        if !known.contains(cat.code.as_str()) {
            problems.push(format!(
                "icd10_neoplasms.toml: unknown ICD-10 code {}",
                cat.code
            ));
        }
    }
    let neoplasm_parents: HashMap<String, String> = icd_categories
        .iter()
        .map(|c| (c.code.clone(), c.parent.clone()))
        .collect();
    icd10::attach(
        &mut concepts,
        &mut position,
        icd_tree,
        &icd10::Existing {
            curated_count,
            curated_codes: &curated_codes,
            neoplasm_parents: &neoplasm_parents,
        },
    );
    for patch in late {
        let id = alias.get(&patch.id).cloned().unwrap_or(patch.id.clone());
        let Some(&at) = position.get(&id) else {
            problems.push(format!("patch: unknown concept \"{}\"", patch.id));
            continue;
        };
        apply_patch(&mut concepts[at], &patch);
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
    break_cycles(&mut concepts);
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

/// Drops every parent link that would make a concept its own ancestor (taking over entries
/// from both tables can close a loop: a sub-type taken over by a curated concept whose
/// generated parent sits under that same concept).
fn break_cycles(concepts: &mut [Concept]) {
    let index: HashMap<String, usize> = concepts
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.clone(), i))
        .collect();
    for i in 0..concepts.len() {
        let parents = concepts[i].parents.clone();
        let mut kept = Vec::new();
        for p in parents {
            let Some(&pi) = index.get(&p) else {
                kept.push(p);
                continue;
            };
            // Does `i` lie above `pi`?
            let mut stack = vec![pi];
            let mut seen = BTreeSet::new();
            let mut loops = false;
            while let Some(n) = stack.pop() {
                if n == i {
                    loops = true;
                    break;
                }
                if seen.insert(n) {
                    stack.extend(
                        concepts[n]
                            .parents
                            .iter()
                            .filter_map(|q| index.get(q).copied()),
                    );
                }
            }
            if !loops {
                kept.push(p);
            }
        }
        concepts[i].parents = kept;
    }
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
         # ICD-10 English titles, chapters and blocks: WHO ICD-10, 2019 version (index/sources/icd10-en/).\n\
         # NANDO, Database Center for Life Science (DBCLS), CC-BY 4.0.\n\n{body}"
    ))
}
