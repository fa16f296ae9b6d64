//! The ICD-10 layer and the catalogue forms of disease names, on strings written in the style of
//! real catalogues (researchers' English, the official Japanese table), with known answers.

use musubi::consent::DiseaseHierarchy;
use musubi::vocab::{MatchMethod, Resolution, Vocabulary};

fn v() -> &'static Vocabulary {
    Vocabulary::builtin()
}

fn best(text: &str) -> Resolution {
    v().resolve(text)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("{text}: resolves to nothing"))
}

fn resolves_under(text: &str, ancestor: &str) {
    let r = best(text);
    assert!(
        v().is_same_or_under(&r.concept, ancestor),
        "{text}: {} is not under {ancestor} ({})",
        r.concept,
        r.evidence
    );
}

fn code_of(text: &str) -> Vec<String> {
    v().concept(&best(text).concept)
        .map(|c| c.icd10.clone())
        .unwrap_or_default()
}

#[test]
fn chapters_and_blocks_are_the_groups_people_type() {
    assert_eq!(best("先天異常").concept, "icd10:chapter:XVII");
    assert_eq!(best("congenital anomalies").concept, "icd10:chapter:XVII");
    assert_eq!(best("神経系の疾患").concept, "icd10:chapter:VI");
    assert_eq!(
        best("Diseases of the circulatory system").concept,
        "icd10:chapter:IX"
    );
    // Q90–Q99 is the curated chromosomal-abnormality group, under chapter XVII.
    assert_eq!(best("Q90-Q99").concept, "chromosomal_abnormality");
    assert!(v().is_same_or_under("chromosomal_abnormality", "icd10:chapter:XVII"));
    let chapters = v()
        .concepts()
        .filter(|c| c.icd10.iter().any(|x| x.starts_with("chapter:")))
        .count();
    assert_eq!(chapters, 22);
}

#[test]
fn every_code_of_both_tables_is_anchored() {
    let anchored: std::collections::BTreeSet<&str> = v()
        .concepts()
        .flat_map(|c| c.icd10.iter().map(String::as_str))
        .collect();
    for code in [
        "A00", "C25", "C25.0", "D02.2", "G12.2", "Q91.3", "S02.00", "Z99.9", "U07.1",
    ] {
        assert!(anchored.contains(code), "{code}");
    }
    // 22 chapters, 274 blocks, and the categories and subcategories of both tables.
    assert!(anchored.len() > 13_000, "{}", anchored.len());
}

#[test]
fn existing_concepts_stand_for_their_codes() {
    assert_eq!(best("C25").concept, "pancreatic_cancer");
    assert_eq!(best("膵の悪性新生物＜腫瘍＞").concept, "pancreatic_cancer");
    assert_eq!(
        best("Malignant neoplasm of pancreas").concept,
        "pancreatic_cancer"
    );
    resolves_under("C25.0", "pancreatic_cancer");
    resolves_under("c34.1", "lung_cancer");
    resolves_under("Q91.3", "chromosomal_abnormality");
}

#[test]
fn childhood_list_concepts_join_their_icd10_parents() {
    resolves_under("膵芽腫", "pancreatic_cancer");
    resolves_under("pancreatoblastoma", "pancreatic_cancer");
    resolves_under("18トリソミー症候群", "chromosomal_abnormality");
    resolves_under("18トリソミー症候群", "icd10:chapter:XVII");
    // Broad roots stay roots: がん is still "all cancers" for matching and facets.
    assert!(v().concept("cancer").is_some_and(|c| c.parents.is_empty()));
}

#[test]
fn official_label_forms_read_as_their_code() {
    assert_eq!(code_of("その他の明示された肝の癌（腫）"), vec!["C22.7"]);
    resolves_under("その他の明示された肝の癌（腫）", "liver_cancer");
    assert_eq!(code_of("その他の肝の肉腫"), vec!["C22.4"]);
    resolves_under("その他の肝の肉腫", "liver_cancer");
    assert_eq!(
        code_of("中耳及び呼吸器系の上皮内癌：気管支及び肺"),
        vec!["D02.2"]
    );
    resolves_under("中耳及び呼吸器系の上皮内癌：気管支及び肺", "lung_cancer");
    assert_eq!(
        code_of("脊髄性筋萎縮症及び関連症候群：運動ニューロン疾患"),
        vec!["G12.2"]
    );
    // ＜＞ alternatives, （）optional parts, 「，詳細不明」 read as the parent.
    assert_eq!(best("膵の悪性新生物").concept, "pancreatic_cancer");
    assert_eq!(
        best("ダウン＜Down＞症候群").concept,
        best("Down syndrome").concept
    );
    assert_eq!(best("肝細胞癌，詳細不明").concept, "hcc");
    resolves_under("その他の明示された肝臓の癌", "liver_cancer");
}

#[test]
fn other_and_unspecified_labels_never_widen_a_broad_concept() {
    for broad in [
        "cancer",
        "rare_disease",
        "nanbyo",
        "pediatric_cancer",
        "solid_tumor",
    ] {
        let c = v().concept(broad).expect(broad);
        for term in c.all_terms() {
            assert!(
                !term.contains("その他") && !term.contains("詳細不明"),
                "{broad}: {term}"
            );
            let lower = term.to_lowercase();
            assert!(
                !lower.starts_with("other ") && !lower.contains("unspecified"),
                "{broad}: {term}"
            );
        }
    }
}

#[test]
fn histology_with_a_site_is_composed_in_both_languages() {
    for (text, site) in [
        ("pancreatic ductal cancer", "pancreatic_cancer"),
        ("serous adenocarcinoma of ovary", "ovarian_cancer"),
        ("uterine endometrioid adenocarcinoma", "uterine_cancer"),
        ("卵巣明細胞腺癌", "ovarian_cancer"),
        ("子宮体部類内膜腺癌", "endometrial_cancer"),
        ("膵管内乳頭粘液性腺癌", "pancreatic_cancer"),
        ("Gastric signet ring cell carcinoma", "gastric_cancer"),
    ] {
        let r = best(text);
        assert_eq!(r.concept, site, "{text}: {}", r.evidence);
        assert_eq!(r.method, MatchMethod::Composed, "{text}");
        assert!(
            r.confidence < 1.0 && r.confidence >= 0.5,
            "{text}: {}",
            r.confidence
        );
        assert!(r.evidence.contains("histology"), "{}", r.evidence);
    }
    // The finer concept named "<histology> of <site>" wins over the site's cancer.
    let r = best("hepatic angiosarcoma");
    assert_eq!(r.concept, "icd10:C22.3", "{}", r.evidence);
    resolves_under("hepatic angiosarcoma", "liver_cancer");
    // A lymphoma named as such stays a lymphoma.
    assert!(!v().is_same_or_under(&best("gastric MALT lymphoma").concept, "gastric_cancer"));
    // An exact name is surer than any composition.
    assert_eq!(best("肝芽腫").method, MatchMethod::Exact);
}

#[test]
fn consent_terms_read_codes_exactly_and_never_composed() {
    let c25 = v().resolve_disease("C25");
    assert_eq!(c25, vec!["pancreatic_cancer".to_string()]);
    assert!(v().is_same_or_under(&v().resolve_disease("C25.1")[0], "pancreatic_cancer"));
    // A composed or label-form reading never becomes a consent scope: fail closed.
    assert!(v()
        .resolve_disease("serous adenocarcinoma of ovary")
        .is_empty());
    assert!(v().resolve_disease("その他の明示された肝臓の癌").is_empty());
    // Still ambiguous, still blocked for review.
    assert!(v().resolve_disease("MS").is_empty());
}
