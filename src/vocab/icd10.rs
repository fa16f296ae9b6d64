//! The ICD-10 layer of the generated vocabulary: every chapter, block, category and subcategory
//! (WHO ICD-10 2019 English titles, official Japanese labels, Japanese chapter and block titles
//! of the curated layer) placed in the ICD-10 tree and joined to the concepts that already exist.
//!
//! A code becomes a concept of its own (`icd10:C22.7`, `icd10:Q90-Q99`, `icd10:chapter:XVII`)
//! unless a concept already stands for it: a curated concept that lists the code, or a concept
//! with the code's very name. "Other …" and "… unspecified" codes never merge into a curated
//! concept, so that their labels cannot become synonyms of a broader or narrower disease.

use super::data::Concept;
use super::generate::{add_synonym, push_unique};
use super::key::term_key;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Where a code sits in the ICD-10 tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Level {
    Chapter,
    Block,
    Category,
    Subcategory,
}

/// One node of the ICD-10 tree with its titles.
#[derive(Debug, Clone)]
pub(super) struct IcdNode {
    /// `chapter:XVII`, `Q90-Q99`, `Q90`, `Q90.0`.
    pub code: String,
    pub level: Level,
    /// The code of the parent node (none for chapters).
    pub parent: Option<String>,
    /// WHO English title (may be empty for codes only the Japanese table has).
    pub title_en: String,
    /// Official Japanese label (chapters and blocks: the curated title).
    pub label_ja: String,
    /// Everyday names of chapters (curated).
    pub synonyms_ja: Vec<String>,
    pub synonyms_en: Vec<String>,
}

/// Japanese titles of chapters and blocks (`index/curated/icd10_chapters_blocks.toml`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(super) struct ChaptersBlocks {
    chapter: Vec<CuratedChapter>,
    blocks: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct CuratedChapter {
    code: String,
    name_ja: String,
    synonyms_ja: Vec<String>,
    synonyms_en: Vec<String>,
}

/// The ICD-10 tree in order (parents before children): the WHO table, then the codes only the
/// Japanese table has (finer Japanese codes such as `S02.00`, codes WHO moved such as `A90`).
pub(super) fn tree(
    who_tsv: &str,
    labels_ja: &BTreeMap<String, String>,
    curated: &ChaptersBlocks,
) -> Result<Vec<IcdNode>, String> {
    let chapters: HashMap<&str, &CuratedChapter> = curated
        .chapter
        .iter()
        .map(|c| (c.code.as_str(), c))
        .collect();
    let mut nodes = Vec::new();
    let mut known: BTreeSet<String> = BTreeSet::new();
    for (n, line) in who_tsv.lines().enumerate().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [code, kind, parent, title] = cols[..] else {
            return Err(format!("line {}: expected 4 columns", n + 1));
        };
        let level = match kind {
            "chapter" => Level::Chapter,
            "block" => Level::Block,
            "category" => Level::Category,
            "subcategory" => Level::Subcategory,
            other => return Err(format!("line {}: unknown kind \"{other}\"", n + 1)),
        };
        let mut node = IcdNode {
            code: code.to_string(),
            level,
            parent: (!parent.is_empty()).then(|| parent.to_string()),
            title_en: title.to_string(),
            label_ja: String::new(),
            synonyms_ja: Vec::new(),
            synonyms_en: Vec::new(),
        };
        match level {
            Level::Chapter => {
                let numeral = code.trim_start_matches("chapter:");
                if let Some(c) = chapters.get(numeral) {
                    node.label_ja = c.name_ja.clone();
                    node.synonyms_ja = c.synonyms_ja.clone();
                    node.synonyms_en = c.synonyms_en.clone();
                }
            }
            Level::Block => node.label_ja = curated.blocks.get(code).cloned().unwrap_or_default(),
            _ => node.label_ja = labels_ja.get(code).cloned().unwrap_or_default(),
        }
        known.insert(node.code.clone());
        nodes.push(node);
    }
    let blocks: Vec<(String, String, String)> = nodes
        .iter()
        .filter(|n| n.level == Level::Block)
        .filter_map(|n| {
            let (a, b) = n.code.split_once('-')?;
            Some((a.to_string(), b.to_string(), n.code.clone()))
        })
        .collect();
    for (code, label) in labels_ja {
        if known.contains(code) {
            continue;
        }
        let (level, parent) = match code.split_once('.') {
            Some((category, sub)) => {
                let finer = &code[..code.len() - 1];
                let parent = if sub.len() > 1 && known.contains(finer) {
                    finer.to_string()
                } else {
                    category.to_string()
                };
                (
                    Level::Subcategory,
                    Some(parent).filter(|p| known.contains(p)),
                )
            }
            // The narrowest block whose range holds the category (blocks nest).
            // The narrowest block whose range holds the category (blocks nest), else the next
            // block of the same letter (WHO moved A90 and A91 into A97 of A92–A99).
            None => (
                Level::Category,
                blocks
                    .iter()
                    .filter(|(a, b, _)| a.as_str() <= code.as_str() && code.as_str() <= b.as_str())
                    .min_by_key(|(a, b, _)| range_width(a, b))
                    .or_else(|| {
                        blocks
                            .iter()
                            .filter(|(a, _, _)| {
                                a.as_str() > code.as_str() && a.get(..1) == code.get(..1)
                            })
                            .min_by(|x, y| x.0.cmp(&y.0))
                    })
                    .map(|(_, _, block)| block.clone()),
            ),
        };
        let Some(parent) = parent else { continue };
        known.insert(code.clone());
        nodes.push(IcdNode {
            code: code.clone(),
            level,
            parent: Some(parent),
            title_en: String::new(),
            label_ja: label.clone(),
            synonyms_ja: Vec::new(),
            synonyms_en: Vec::new(),
        });
    }
    Ok(nodes)
}

/// How many categories a block range spans (for choosing the narrowest block).
fn range_width(a: &str, b: &str) -> u32 {
    let num = |s: &str| -> u32 {
        let mut chars = s.chars();
        let letter = chars.next().map_or(0, |c| c as u32);
        letter * 100 + chars.as_str().parse::<u32>().unwrap_or(0)
    };
    num(b).saturating_sub(num(a))
}

/// The concept id of an ICD-10 node of its own.
pub(super) fn concept_id(code: &str) -> String {
    format!("icd10:{code}")
}

/// What people type for the code: `C25`, `C25.0`, `Q90-Q99`, `chapter XVII`.
pub(super) fn code_term(code: &str) -> String {
    match code.strip_prefix("chapter:") {
        Some(numeral) => format!("ICD-10 chapter {numeral}"),
        None => code.to_string(),
    }
}

/// Japanese and English words that make a label name a disease on its own ("運動ニューロン疾患"),
/// unlike a site fragment ("膵頭部", "Head of pancreas") that only means something after its
/// category.
const DISEASE_WORDS_JA: &[&str] = &[
    "癌",
    "がん",
    "腫",
    "症",
    "病",
    "炎",
    "疾患",
    "障害",
    "感染",
    "白血",
    "異常",
    "奇形",
    "欠損",
    "損傷",
    "骨折",
    "中毒",
    "熱",
    "麻痺",
    "不全",
    "閉塞",
    "狭窄",
    "出血",
    "梗塞",
    "ヘルニア",
];
const DISEASE_WORDS_EN: &[&str] = &[
    "carcinoma",
    "sarcoma",
    "blastoma",
    "lymphoma",
    "leukaemia",
    "leukemia",
    "melanoma",
    "myeloma",
    "disease",
    "syndrome",
    "neoplasm",
    "tumour",
    "tumor",
    "cancer",
    "itis",
    "osis",
    "aemia",
    "emia",
    "pathy",
    "disorder",
    "infection",
    "fever",
    "palsy",
    "atrophy",
    "dystrophy",
    "failure",
    "malformation",
    "deficiency",
    "poisoning",
];

fn names_a_disease_ja(label: &str) -> bool {
    DISEASE_WORDS_JA.iter().any(|w| label.contains(w))
}

fn names_a_disease_en(title: &str) -> bool {
    let lower = title.to_lowercase();
    DISEASE_WORDS_EN.iter().any(|w| lower.contains(w))
}

/// True for the labels of "other …" and "… unspecified" codes:
/// such a code is never merged into an existing concept (its labels would widen or narrow it).
pub(super) fn is_residual(node: &IcdNode) -> bool {
    let ja = ["その他", "詳細不明", "部位不明", "病型不明"];

    let lower = node.title_en.to_lowercase();
    ja.iter().any(|w| node.label_ja.contains(w))
        || lower
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .any(|w| w == "other" || w == "unspecified")
}

/// A label without its ＜＞ alternatives and ［］ notes, plus the everyday 悪性腫瘍 form of
/// 悪性新生物＜腫瘍＞ and the form with optional （） parts left out.
pub(super) fn label_variants(label: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut depth = 0usize;
    for c in label.chars() {
        match c {
            '＜' | '［' => depth += 1,
            '＞' | '］' => depth = depth.saturating_sub(1),
            c if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let plain = plain.trim().to_string();
    let mut out = vec![plain.clone()];
    if label.contains("悪性新生物＜腫瘍＞") {
        out.push(plain.replace("悪性新生物", "悪性腫瘍"));
    }
    let mut without = String::new();
    let mut depth = 0usize;
    for c in plain.chars() {
        match c {
            '（' => depth += 1,
            '）' => depth = depth.saturating_sub(1),
            c if depth == 0 => without.push(c),
            _ => {}
        }
    }
    if without != plain && without.chars().count() >= 2 {
        out.push(without);
    }
    out.retain(|v| !v.is_empty());
    out
}

/// The names a node goes by: Japanese (first is the display name) and English.
pub(super) fn node_names(node: &IcdNode, parent: Option<&IcdNode>) -> (Vec<String>, Vec<String>) {
    let mut ja = Vec::new();
    let label = node.label_ja.trim();
    if !label.is_empty() {
        // A subcategory label that is only a site ("膵頭部", "気管支及び肺") is written after its
        // category, as catalogues do: "中耳及び呼吸器系の上皮内癌：気管支及び肺".
        let plain = label_variants(label).into_iter().next().unwrap_or_default();
        let fragment = node.level == Level::Subcategory && !names_a_disease_ja(&plain);
        match parent {
            Some(p) if fragment && !p.label_ja.is_empty() => {
                for pv in label_variants(&p.label_ja) {
                    for v in label_variants(label) {
                        ja.push(format!("{pv}：{v}"));
                    }
                }
            }
            _ => ja.extend(label_variants(label)),
        }
    }
    ja.extend(node.synonyms_ja.iter().cloned());
    let mut en = Vec::new();
    let title = node.title_en.trim();
    if !title.is_empty() {
        en.push(title.to_string());
        // "Malignant neoplasm: Angiosarcoma of liver" also reads as "Angiosarcoma of liver".
        if let Some((_, rest)) = title.split_once(": ") {
            if names_a_disease_en(rest) {
                en.push(rest.to_string());
            }
        }
    }
    en.extend(node.synonyms_en.iter().cloned());
    (ja, en)
}

/// Concepts filed under ICD-10 codes that are not their own, and the code whose node they join
/// under: a finer code joins under its three-character category.
pub(super) fn category_of(code: &str) -> &str {
    code.split_once('.').map_or(code, |(c, _)| c)
}

/// Term keys of every name of every concept, with the concepts that hold them.
pub(super) fn key_owners(concepts: &[Concept]) -> HashMap<String, Vec<usize>> {
    let mut owners: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, c) in concepts.iter().enumerate() {
        for t in c.all_terms() {
            let k = term_key(t);
            if k.is_empty() {
                continue;
            }
            let list = owners.entry(k).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    owners
}

/// What [`attach`] needs to know about the concepts before the ICD-10 layer.
pub(super) struct Existing<'a> {
    /// Concepts `0..curated_count` are curated.
    pub curated_count: usize,
    /// Codes a curated concept lists in the curated layer itself (not those it took over).
    pub curated_codes: &'a HashMap<String, Vec<usize>>,
    /// Extra parents of neoplasm categories (`index/curated/icd10_neoplasms.toml`).
    pub neoplasm_parents: &'a HashMap<String, String>,
}

/// Places every node of the tree: merged into the concept that stands for its code, or a concept
/// of its own under its parent's; then joins the NANDO entries under the categories of the codes
/// MONDO gives them. Returns the concept standing for each code.
pub(super) fn attach(
    concepts: &mut Vec<Concept>,
    position: &mut HashMap<String, usize>,
    nodes: &[IcdNode],
    existing: &Existing,
) -> HashMap<String, usize> {
    let by_code: HashMap<&str, &IcdNode> = nodes.iter().map(|n| (n.code.as_str(), n)).collect();
    let mut holders = key_owners(concepts);
    let parent_of = |n: &IcdNode| n.parent.as_deref().and_then(|p| by_code.get(p).copied());
    // WHO and the Japanese table repeat some titles under several categories ("Dependence
    // syndrome" under F10–F19): such a title is written after its parent's.
    let mut display_count: HashMap<String, usize> = HashMap::new();
    for node in nodes {
        let (ja, en) = node_names(node, parent_of(node));
        let mut keys: Vec<String> = ja.iter().chain(en.iter()).map(|n| term_key(n)).collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            *display_count.entry(key).or_default() += 1;
        }
    }
    let mut node_of: HashMap<String, usize> = HashMap::new();
    for node in nodes {
        let parent_node = parent_of(node);
        let (mut ja, mut en) = node_names(node, parent_node);
        if let Some(p) = parent_node {
            let (pja, pen) = node_names(p, parent_of(p));
            for (names, parent_names, sep) in [(&mut ja, &pja, "："), (&mut en, &pen, ": ")] {
                let repeated = names
                    .first()
                    .is_some_and(|n| display_count.get(&term_key(n)).is_some_and(|&c| c > 1));
                if let (true, Some(pn)) = (repeated, parent_names.first()) {
                    names[0] = format!("{pn}{sep}{}", names[0]);
                    names.truncate(1);
                }
            }
        }
        // Alternative names several codes share ("Dependence syndrome") say nothing about one.
        for names in [&mut ja, &mut en] {
            let mut i = 1;
            while i < names.len() {
                if display_count
                    .get(&term_key(&names[i]))
                    .is_some_and(|&c| c > 1)
                {
                    names.remove(i);
                } else {
                    i += 1;
                }
            }
        }
        let residual = is_residual(node);
        let parent_at = node.parent.as_ref().and_then(|p| node_of.get(p)).copied();
        // A one-category block ("C50-C50") is its category.
        let single = match node.code.split_once('-') {
            Some((a, b)) if a == b => Some(a),
            _ => None,
        };
        let owners: &[usize] = existing
            .curated_codes
            .get(&node.code)
            .or_else(|| single.and_then(|a| existing.curated_codes.get(a)))
            .map_or(&[], Vec::as_slice);
        let named = |names: &[String]| -> Vec<usize> {
            let mut found: Vec<usize> = names
                .iter()
                .filter_map(|t| holders.get(&term_key(t)))
                .flatten()
                .copied()
                .filter(|&i| concepts[i].kind == super::data::ConceptKind::Disease)
                .collect();
            found.sort_unstable();
            found.dedup();
            found
        };
        let target = if residual {
            // "Other diseases caused by chlamydiae" (A74) under the block of the same title is
            // that block; a source entry of the very same name is that code. A curated concept
            // never takes an "other …" label.
            let generated_namesake = named(
                &[ja.first(), en.first()]
                    .into_iter()
                    .flatten()
                    .cloned()
                    .collect::<Vec<_>>(),
            )
            .into_iter()
            .find(|&i| i >= existing.curated_count);
            parent_at
                .filter(|&p| {
                    let pc = &concepts[p];
                    [&pc.name_ja, &pc.name_en]
                        .iter()
                        .zip([ja.first(), en.first()])
                        .any(|(a, b)| {
                            b.is_some_and(|b| !a.is_empty() && term_key(a) == term_key(b))
                        })
                })
                .or(generated_namesake)
        } else if owners.len() == 1 {
            Some(owners[0])
        } else if owners.is_empty() {
            // The official names (not the curated chapter synonyms) decide a merge by name;
            // of several concepts with the name, a curated one, else the broadest.
            let official = node_names(
                &IcdNode {
                    synonyms_ja: Vec::new(),
                    synonyms_en: Vec::new(),
                    ..node.clone()
                },
                parent_node,
            );
            let mut names = ja.iter().take(1).cloned().collect::<Vec<_>>();
            names.extend(official.0);
            names.extend(en.iter().take(1).cloned());
            names.extend(official.1);
            let found = named(&names);
            let ids: Vec<&str> = found.iter().map(|&i| concepts[i].id.as_str()).collect();
            found
                .iter()
                .copied()
                .find(|&i| i < existing.curated_count)
                .or_else(|| {
                    found.iter().copied().find(|&i| {
                        let own = concepts[i].id.as_str();
                        !concepts[i]
                            .parents
                            .iter()
                            .any(|p| p != own && ids.contains(&p.as_str()))
                    })
                })
        } else {
            None
        };
        let code_free = named(&[code_term(&node.code)]).is_empty();
        let at = match target {
            Some(at) => {
                let c = &mut concepts[at];
                push_unique(&mut c.icd10, &node.code);
                for (names, japanese) in [(&ja, true), (&en, false)] {
                    for name in names.iter() {
                        // A label another concept already has stays there (no new ambiguity).
                        let owned_elsewhere = holders
                            .get(&term_key(name))
                            .is_some_and(|o| o.iter().any(|&i| i != at));
                        if !owned_elsewhere {
                            add_synonym(c, name, japanese);
                        }
                    }
                }
                if code_free {
                    add_synonym(&mut concepts[at], &code_term(&node.code), false);
                }
                // A root of the vocabulary (がん, 難病) stays a root: matching and the facets
                // read roots as "all cancers", "all rare diseases".
                let root = concepts[at].parents.is_empty();
                if let Some(p) = parent_at.filter(|&p| p != at && !root) {
                    let pid = concepts[p].id.clone();
                    push_unique(&mut concepts[at].parents, &pid);
                }
                at
            }
            None => {
                let id = concept_id(&node.code);
                let mut c = Concept {
                    id: id.clone(),
                    name_ja: ja.first().cloned().unwrap_or_default(),
                    name_en: en.first().cloned().unwrap_or_default(),
                    icd10: vec![node.code.clone()],
                    ..Concept::default()
                };
                // Curated everyday names of chapters yield to a concept that has them already.
                for (names, japanese) in [(&ja, true), (&en, false)] {
                    for name in names.iter().skip(1) {
                        if named(std::slice::from_ref(name)).is_empty() {
                            add_synonym(&mut c, name, japanese);
                        }
                    }
                }
                if code_free {
                    add_synonym(&mut c, &code_term(&node.code), false);
                }
                if let Some(p) = parent_at {
                    c.parents.push(concepts[p].id.clone());
                }
                if let Some(extra) = existing.neoplasm_parents.get(&node.code) {
                    if position.contains_key(extra) {
                        push_unique(&mut c.parents, extra);
                    }
                }
                let at = concepts.len();
                // Several curated concepts listing one code sit under it.
                if !residual && owners.len() > 1 {
                    for &o in owners {
                        push_unique(&mut concepts[o].parents, &id);
                    }
                }
                position.insert(id, at);
                concepts.push(c);
                at
            }
        };
        for t in concepts[at].all_terms() {
            let list = holders.entry(term_key(t)).or_default();
            if !list.contains(&at) {
                list.push(at);
            }
        }
        node_of.insert(node.code.clone(), at);
    }
    // NANDO entries join under the categories of their codes (膵芽腫, C25.1 → 膵がん).
    for at in existing.curated_count..concepts.len() {
        let c = &concepts[at];
        let generated_entry = (c.id.starts_with("nanbyo:") || c.id.starts_with("shoman:"))
            && !c.id.contains("_group:");
        if !generated_entry {
            continue;
        }
        let mut parents = Vec::new();
        for code in &c.icd10 {
            let Some(&p) = node_of
                .get(category_of(code))
                .or_else(|| node_of.get(code.as_str()))
            else {
                continue;
            };
            if p != at {
                parents.push(concepts[p].id.clone());
            }
        }
        for p in parents {
            push_unique(&mut concepts[at].parents, &p);
        }
    }
    node_of
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(code: &str, level: Level, ja: &str, en: &str) -> IcdNode {
        IcdNode {
            code: code.into(),
            level,
            parent: None,
            title_en: en.into(),
            label_ja: ja.into(),
            synonyms_ja: vec![],
            synonyms_en: vec![],
        }
    }

    #[test]
    fn site_fragments_are_written_after_their_category() {
        let d02 = node(
            "D02",
            Level::Category,
            "中耳及び呼吸器系の上皮内癌",
            "Carcinoma in situ of middle ear and respiratory system",
        );
        let d022 = node(
            "D02.2",
            Level::Subcategory,
            "気管支及び肺",
            "Carcinoma in situ: Bronchus and lung",
        );
        let (ja, en) = node_names(&d022, Some(&d02));
        assert_eq!(ja, vec!["中耳及び呼吸器系の上皮内癌：気管支及び肺"]);
        assert_eq!(en, vec!["Carcinoma in situ: Bronchus and lung"]);
        let g122 = node(
            "G12.2",
            Level::Subcategory,
            "運動ニューロン疾患",
            "Motor neuron disease",
        );
        assert_eq!(node_names(&g122, Some(&d02)).0, vec!["運動ニューロン疾患"]);
    }

    #[test]
    fn label_forms_give_their_variants() {
        assert_eq!(
            label_variants("膵の悪性新生物＜腫瘍＞"),
            vec!["膵の悪性新生物", "膵の悪性腫瘍"]
        );
        assert_eq!(
            label_variants("その他の明示された肝の癌（腫）"),
            vec!["その他の明示された肝の癌（腫）", "その他の明示された肝の癌"]
        );
    }

    #[test]
    fn residual_codes_are_recognised() {
        let other = node(
            "C22.7",
            Level::Subcategory,
            "その他の明示された肝の癌（腫）",
            "",
        );
        let unspecified = node(
            "C25.9",
            Level::Subcategory,
            "",
            "Malignant neoplasm: Pancreas, unspecified",
        );
        let plain = node(
            "C25",
            Level::Category,
            "膵の悪性新生物＜腫瘍＞",
            "Malignant neoplasm of pancreas",
        );
        assert!(is_residual(&other) && is_residual(&unspecified));
        assert!(!is_residual(&plain));
    }

    #[test]
    fn finer_japanese_codes_and_moved_codes_find_a_parent() {
        let tsv = "code\tkind\tparent\ttitle\n\
                   chapter:I\tchapter\t\tCertain infectious and parasitic diseases\n\
                   A92-A99\tblock\tchapter:I\tArthropod-borne viral fevers\n\
                   A92\tcategory\tA92-A99\tOther mosquito-borne viral fevers\n\
                   A92.0\tsubcategory\tA92\tChikungunya virus disease\n";
        let labels: BTreeMap<String, String> = [
            ("A90", "デング熱"),
            ("A92.0", "チクングニヤウイルス病"),
            ("A92.01", "架空の細分類"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let nodes = tree(tsv, &labels, &ChaptersBlocks::default()).unwrap();
        let find = |c: &str| nodes.iter().find(|n| n.code == c).unwrap();
        assert_eq!(find("A90").parent.as_deref(), Some("A92-A99"));
        assert_eq!(find("A92.01").parent.as_deref(), Some("A92.0"));
        assert_eq!(find("A92.0").label_ja, "チクングニヤウイルス病");
    }
}
