//! A deterministic generator of plausible records, for benchmarks and scale tests: it scales
//! from a handful to a million records and needs no files.

use crate::load::SourceFile;
use crate::model::{
    Access, Area, Catalog, Dataset, Forum, Kind, Need, Organization, Proposal, Researcher,
};
use serde::Serialize;
use serde_json::{Map, Value};

/// Disease words the generator draws from (both languages, as coordinators write them).
const DISEASES: &[&str] = &[
    "肺腺がん",
    "NSCLC",
    "膵がん",
    "pancreatic cancer",
    "AML",
    "急性骨髄性白血病",
    "神経芽腫",
    "neuroblastoma",
    "子宮体がん",
    "endometrial cancer",
    "大腸がん",
    "colorectal cancer",
    "胃がん",
    "DLBCL",
    "medulloblastoma",
    "Ewing sarcoma",
    "ALS",
    "筋萎縮性側索硬化症",
    "デュシェンヌ型筋ジストロフィー",
    "Duchenne muscular dystrophy",
    "クローン病",
    "潰瘍性大腸炎",
    "mitochondrial disease",
    "未診断疾患",
    "乳がん",
    "HBOC",
    "肝細胞がん",
    "glioblastoma",
];
const MODALITIES: &[&str] = &[
    "WGS",
    "WES",
    "RNA-seq",
    "scRNA-seq",
    "methylation",
    "proteomics",
    "clinical",
    "imaging",
    "pathology",
    "follow-up",
];
const EXPERTISE: &[&str] = &[
    "immunotherapy",
    "single-cell RNA-seq",
    "ELSI",
    "AI imaging",
    "bioinformatics",
    "clinical trials",
    "liquid biopsy",
    "ゲノム解析",
    "病理診断",
    "創薬",
];
const WORDS: &[&str] = &[
    "cohort",
    "genome",
    "tumour",
    "normal",
    "follow-up",
    "treatment response",
    "biomarker",
    "全ゲノム解析",
    "再発",
    "予後",
    "治療効果",
    "多施設共同",
    "臨床情報",
    "バイオバンク",
    "希少",
];
const EXITS: &[&str] = &[
    "drug_discovery",
    "immunotherapy",
    "biomarker",
    "early_detection",
    "liquid_biopsy",
    "prevention",
    "diagnosis",
    "mechanism",
];
const DATA_USE: &[&[&str]] = &[
    &["GRU"],
    &["HMB"],
    &["HMB", "NCU"],
    &["HMB", "NPU"],
    &["DS:小児がん"],
    &["HMB", "COL"],
    &["GRU", "IRB", "PUB"],
];

/// A small deterministic pseudo-random sequence (xorshift), so runs are repeatable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
    fn some(&mut self, from: &[&str], most: usize) -> Vec<String> {
        let n = 1 + self.below(most);
        let mut out: Vec<String> = Vec::with_capacity(n);
        for _ in 0..n {
            let s = self.pick(from).to_string();
            if !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }
    fn sentence(&mut self, words: usize) -> String {
        (0..words)
            .map(|_| self.pick(WORDS))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Generates about `total` records, spread over the kinds like a real directory
/// (researchers 30 %, organisations 5 %, proposals 5 %, datasets 35 %, needs 25 %).
pub fn catalog(total: usize, seed: u64) -> Catalog {
    let mut rng = Rng(seed.max(1));
    let share = |percent: usize| (total * percent).div_ceil(100);
    let organizations: Vec<Organization> = (0..share(5))
        .map(|i| Organization {
            id: format!("ORG{i:07}"),
            name: format!(
                "{}株式会社 {i}",
                rng.pick(&["北辰", "湾岸", "青葉", "紫苑", "白樺"])
            ),
            name_en: Some(format!("Synthetic Org {i}")),
            forum: if i % 2 == 0 {
                Forum::Industry
            } else {
                Forum::Academia
            },
            sector: Some(
                rng.pick(&["pharma", "diagnostics", "biotech", "it_ai", "university"])
                    .into(),
            ),
            interests: rng.some(DISEASES, 3),
            offers: rng.some(EXPERTISE, 2),
            summary: Some(rng.sentence(12)),
            contact_name: Some(format!("担当 {i}")),
            email: Some(format!("org{i}@example.com")),
            contact_ok: i % 3 != 0,
            extra: Default::default(),
        })
        .collect();
    let org_count = organizations.len().max(1);
    let researchers = (0..share(30))
        .map(|i| Researcher {
            id: format!("R{i:07}"),
            name: format!("研究者 {i}"),
            name_en: Some(format!("Researcher {i}")),
            affiliation: Some(format!("{}大学", rng.pick(&["湾岸医科", "北辰", "青葉"]))),
            forum: Some(if i % 7 == 0 {
                Forum::Industry
            } else {
                Forum::Academia
            }),
            areas: vec![if i % 2 == 0 {
                Area::Cancer
            } else {
                Area::RareDisease
            }],
            diseases: rng.some(DISEASES, 3),
            expertise: rng.some(EXPERTISE, 3),
            summary: Some(rng.sentence(20)),
            email: Some(format!("r{i}@example.org")),
            contact_ok: i % 4 != 0,
            ..Researcher::default()
        })
        .collect::<Vec<_>>();
    let researcher_count = researchers.len().max(1);
    let proposals = (0..share(5))
        .map(|i| Proposal {
            id: format!("P{i:07}"),
            title: format!(
                "{} {}コホート",
                rng.pick(DISEASES),
                rng.pick(&["全ゲノム", "マルチオミックス"])
            ),
            title_en: Some(format!("Synthetic cohort {i}")),
            proposer: Some(format!("R{:07}", rng.below(researcher_count))),
            partners: vec![format!("ORG{:07}", rng.below(org_count))],
            diseases: rng.some(DISEASES, 2),
            exit_strategy: rng.some(EXITS, 2),
            target_cases: Some(100 + rng.below(2000) as u64),
            modalities: rng.some(MODALITIES, 3),
            seeking: vec![Forum::Industry],
            summary: Some(rng.sentence(25)),
            ..Proposal::default()
        })
        .collect();
    let datasets = (0..share(35))
        .map(|i| Dataset {
            id: format!("DS{i:07}"),
            title: format!("{} {} cohort {i}", rng.pick(DISEASES), rng.pick(MODALITIES)),
            area: if i % 2 == 0 {
                Area::Cancer
            } else {
                Area::RareDisease
            },
            diseases: rng.some(DISEASES, 2),
            cases: 40 + rng.below(3000) as u64,
            modalities: rng.some(MODALITIES, 4),
            clinical: vec!["treatment".into(), "outcome".into()],
            custodian: Some(format!("ORG{:07}", rng.below(org_count))),
            fiscal_year: Some(format!("{}", 2022 + rng.below(4))),
            access: Some(Access::Controlled),
            data_use: DATA_USE[rng.below(DATA_USE.len())]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            summary: Some(rng.sentence(30)),
            extra: Default::default(),
        })
        .collect();
    let needs = (0..share(25))
        .map(|i| Need {
            id: format!("N{i:07}"),
            owner: Some(format!("ORG{:07}", rng.below(org_count))),
            title: Some(format!(
                "{} の {} データ",
                rng.pick(DISEASES),
                rng.pick(MODALITIES)
            )),
            text: rng.sentence(25),
            diseases: rng.some(DISEASES, 2),
            modalities: rng.some(MODALITIES, 2),
            min_cases: Some(50 + rng.below(1000) as u64),
            ..Need::default()
        })
        .collect();
    Catalog {
        datasets,
        researchers,
        organizations,
        proposals,
        needs,
    }
}

/// A record as a JSON object of the data-format fields only: no `extra`, no nulls.
fn fields<T: Serialize>(record: &T) -> Map<String, Value> {
    let Ok(Value::Object(mut map)) = serde_json::to_value(record) else {
        return Map::new();
    };
    map.remove("extra");
    map.retain(|_, v| !v.is_null());
    map
}

/// Every record of one kind as field maps.
pub fn rows(catalog: &Catalog, kind: Kind) -> Vec<Map<String, Value>> {
    match kind {
        Kind::Dataset => catalog.datasets.iter().map(fields).collect(),
        Kind::Researcher => catalog.researchers.iter().map(fields).collect(),
        Kind::Organization => catalog.organizations.iter().map(fields).collect(),
        Kind::Proposal => catalog.proposals.iter().map(fields).collect(),
        Kind::Need => catalog.needs.iter().map(fields).collect(),
    }
}

/// The catalog as one `<kind>s.jsonl` file per kind, in memory.
pub fn jsonl_files(catalog: &Catalog) -> Vec<SourceFile> {
    Kind::ALL
        .iter()
        .map(|&kind| {
            let mut text = String::new();
            for row in rows(catalog, kind) {
                text.push_str(&Value::Object(row).to_string());
                text.push('\n');
            }
            SourceFile::from_bytes(format!("{}.jsonl", kind.file_prefix()), text)
        })
        .collect()
}

/// The same records for the peers of `benches/compare.sh`: one JSON document per line with
/// `title` and `body` for tantivy-cli, and one title per line for `fzf --filter`.
pub struct PeerFiles {
    pub tantivy_documents: String,
    pub titles: String,
}

/// The catalog as the peers take it: the title (or name), and a body of every other text the
/// record holds (English names and titles included).
pub fn peer_files(catalog: &Catalog) -> PeerFiles {
    let mut out = PeerFiles {
        tantivy_documents: String::new(),
        titles: String::new(),
    };
    for kind in Kind::ALL {
        for row in rows(catalog, kind) {
            let mut title = String::new();
            let mut body: Vec<String> = Vec::new();
            for (key, value) in &row {
                let words = match value {
                    Value::String(s) => s.clone(),
                    Value::Array(items) => items
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(" "),
                    _ => continue,
                };
                match key.as_str() {
                    "title" | "name" => title = words.replace(['\n', '\r'], " "),
                    "id" | "email" => {}
                    _ => body.push(words),
                }
            }
            let doc = serde_json::json!({ "title": title, "body": body.join(" ") });
            out.tantivy_documents.push_str(&doc.to_string());
            out.tantivy_documents.push('\n');
            out.titles.push_str(&title);
            out.titles.push('\n');
        }
    }
    out
}

/// Writes `files` into `dir` (a data directory for `Workspace::open`).
pub fn write_files(dir: &std::path::Path, files: &[SourceFile]) -> std::io::Result<()> {
    for file in files {
        std::fs::write(dir.join(&file.name), &file.bytes)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_about_the_requested_number_deterministically() {
        let a = catalog(1000, 7);
        assert!((1000..1010).contains(&a.len()), "{}", a.len());
        assert_eq!(a, catalog(1000, 7));
        assert_ne!(
            a.datasets[0].diseases,
            catalog(1000, 8).datasets[0].diseases
        );
    }

    #[test]
    fn ids_are_unique() {
        let c = catalog(2000, 1);
        let mut ids: Vec<String> = c.records().map(|r| r.id().to_string()).collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }
}
