//! Vocabulary tests with known answers: a fixture of messy strings, hierarchy questions,
//! ambiguity, mentions in free text and the user layer.

use super::*;

const FIXTURE: &str = include_str!("fixtures/messy_strings.tsv");

fn v() -> &'static Vocabulary {
    Vocabulary::builtin()
}

fn best(text: &str) -> Option<String> {
    v().resolve(text).first().map(|r| r.concept.clone())
}

#[test]
fn fixture_of_messy_strings_resolves_at_least_90_percent() {
    let cases: Vec<(&str, &str)> = FIXTURE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .collect();
    assert!(cases.len() >= 60, "fixture too small: {}", cases.len());
    let misses: Vec<String> = cases
        .iter()
        .filter(|(text, want)| best(text).as_deref() != Some(*want))
        .map(|(text, want)| format!("{text} → {:?} (want {want})", v().resolve(text).first()))
        .collect();
    let rate = 1.0 - misses.len() as f64 / cases.len() as f64;
    println!("resolution rate {:.1}% of {}", rate * 100.0, cases.len());
    for miss in &misses {
        println!("miss: {miss}");
    }
    assert!(
        rate >= 0.9,
        "rate {rate:.3}, misses:\n{}",
        misses.join("\n")
    );
}

#[test]
fn every_fixture_concept_exists() {
    for line in FIXTURE.lines().filter(|l| !l.starts_with('#')) {
        if let Some((_, want)) = line.split_once('\t') {
            assert!(v().concept(want).is_some(), "unknown concept {want}");
        }
    }
}

#[test]
fn hierarchy_questions_have_known_answers() {
    let under = |a: &str, b: &str| v().is_same_or_under(a, b);
    assert!(under("aml", "hematologic_cancer"));
    assert!(under("lung_adenocarcinoma", "lung_cancer"));
    assert!(under("dmd", "muscular_dystrophy"));
    assert!(under("neuroblastoma", "pediatric_cancer"));
    assert!(under("pediatric_cancer", "cancer"));
    assert!(under("endometrial_cancer", "gyn_cancer"));
    assert!(under("gyn_cancer", "cancer"));
    assert!(under("aml", "leukemia"));
    assert!(under("leukemia", "hematologic_cancer"));
    assert!(under("crohn_disease", "ibd"));
    assert!(under("als", "rare_disease"));
    assert!(under("als", "nanbyo"));
    assert!(!under("lung_cancer", "lung_adenocarcinoma"));
    assert!(!under("aml", "gyn_cancer"));
    assert!(!under("crohn_disease", "cancer"));
    assert_eq!(v().steps_up("aml", "aml"), Some(0));
    assert_eq!(v().steps_up("nsclc", "lung_cancer"), Some(1));
    assert_eq!(v().steps_up("lung_cancer", "nsclc"), None);
}

#[test]
fn hierarchy_through_resolved_strings() {
    let under = |a: &str, b: &str| {
        let a = best(a).unwrap_or_default();
        let b = best(b).unwrap_or_default();
        v().is_same_or_under(&a, &b)
    };
    assert!(under("AML", "血液がん"));
    assert!(under("肺腺がん", "肺がん"));
    assert!(under("Duchenne", "筋ジストロフィー"));
    assert!(under("神経芽腫", "小児がん"));
    assert!(under("neuroblastoma", "paediatric cancer"));
    assert!(under("小児がん", "がん"));
    assert!(under("子宮体がん", "婦人科がん"));
    assert!(under("endometrial cancer", "婦人科がん"));
    assert!(under("急性骨髄性白血病", "白血病"));
    assert!(under("AML", "leukaemia"));
    assert!(under("クローン病", "炎症性腸疾患"));
    assert!(under("Crohn's disease", "炎症性腸疾患"));
}

#[test]
fn ancestors_are_nearest_first_without_repeats() {
    let a = v().ancestors("aml");
    assert!(a.contains(&"leukemia") && a.contains(&"cancer"));
    let pos = |id: &str| a.iter().position(|x| *x == id).unwrap_or(usize::MAX);
    assert!(pos("leukemia") < pos("hematologic_cancer"));
    assert!(pos("hematologic_cancer") < pos("cancer"));
    let mut sorted = a.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), a.len());
    assert!(!a.contains(&"aml"));
}

#[test]
fn paths_to_root_end_at_a_root() {
    let paths = v().paths_to_root("neuroblastoma");
    assert!(!paths.is_empty());
    assert!(paths
        .iter()
        .any(|p| p.iter().any(|c| c.id == "pediatric_cancer")
            && p.last().is_some_and(|c| c.id == "cancer")));
    for p in &paths {
        assert_eq!(p[0].id, "neuroblastoma");
        assert!(p.last().is_some_and(|c| c.parents.is_empty()));
    }
}

#[test]
fn ambiguous_strings_return_every_concept_with_evidence() {
    let clone = v().resolve("クローン");
    let ids: Vec<&str> = clone.iter().map(|r| r.concept.as_str()).collect();
    assert!(
        ids.contains(&"crohn_disease") && ids.contains(&"modality:clonal_evolution"),
        "{ids:?}"
    );
    assert!(clone
        .iter()
        .all(|r| r.confidence < 1.0 && r.evidence.contains("ambiguous")));
    let ms = v().resolve("MS");
    let ids: Vec<&str> = ms.iter().map(|r| r.concept.as_str()).collect();
    assert!(
        ids.contains(&"multiple_sclerosis") && ids.contains(&"mitral_stenosis"),
        "{ids:?}"
    );
}

#[test]
fn resolutions_say_how_they_matched() {
    let r = v().resolve("NSCLC");
    assert_eq!(r[0].method, MatchMethod::Exact);
    assert_eq!(r[0].confidence, 1.0);
    let r = v().resolve("AML, FLT3-mutated");
    assert_eq!(r[0].method, MatchMethod::Qualified);
    assert!(r[0].confidence < 1.0 && r[0].confidence > 0.7);
    let r = v().resolve("glioblastomma");
    assert_eq!(r[0].method, MatchMethod::Typo);
    assert!(r[0].evidence.contains("glioblastomma"));
    assert!(v().resolve("zzzz qqqq").is_empty());
    assert!(v().resolve("").is_empty());
}

#[test]
fn head_term_is_found_inside_longer_strings() {
    let r = v().resolve("Japanese cohort of gastric cancer survivors");
    assert!(r.iter().any(|r| r.concept == "gastric_cancer"), "{r:?}");
    assert!(r.iter().all(|r| r.method == MatchMethod::Head));
}

#[test]
fn resolve_kind_keeps_one_kind() {
    let r = v().resolve_kind("クローン", ConceptKind::Disease);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].concept, "crohn_disease");
    let r = v().resolve_kind("RNA", ConceptKind::Modality);
    assert_eq!(r[0].concept, "modality:rna_seq");
}

#[test]
fn mentions_find_concepts_in_free_text() {
    let m = v().mentions("Looking for pancreatic cancer WGS with 膵がん follow-up");
    let ids: Vec<&str> = m.iter().map(|m| m.concept.as_str()).collect();
    assert!(ids.contains(&"pancreatic_cancer"), "{ids:?}");
    assert!(ids.contains(&"modality:wgs"), "{ids:?}");
    assert!(ids.contains(&"modality:follow_up"), "{ids:?}");
    assert_eq!(ids.iter().filter(|i| **i == "pancreatic_cancer").count(), 1);
}

#[test]
fn mentions_need_capitals_for_abbreviations_and_word_boundaries() {
    let m = v().mentions("we want all of the data, in ms units");
    assert!(
        m.iter()
            .all(|m| m.concept != "all" && m.concept != "multiple_sclerosis"),
        "{m:?}"
    );
    let m = v().mentions("Need ALL and AML samples");
    let ids: Vec<&str> = m.iter().map(|m| m.concept.as_str()).collect();
    assert!(ids.contains(&"all") && ids.contains(&"aml"), "{ids:?}");
    let m = v().mentions("unhealthy");
    assert!(m.is_empty(), "{m:?}");
}

#[test]
fn terms_and_labels() {
    assert_eq!(v().label("lung_cancer", true), "肺がん");
    assert_eq!(v().label("lung_cancer", false), "lung cancer");
    assert_eq!(v().label("no_such", true), "no_such");
    let t = v().terms("nsclc");
    assert!(t.contains(&"NSCLC") && t.contains(&"非小細胞肺がん"));
    assert!(v().children("lung_cancer").contains(&"nsclc"));
}

#[test]
fn coverage_of_sources() {
    let concepts: Vec<&Concept> = v().concepts().collect();
    assert!(concepts.len() > 2000);
    for code in ["C00", "C34", "C45", "C92", "C97", "D00", "D09"] {
        assert!(
            concepts.iter().any(|c| c.icd10.iter().any(|x| x == code)),
            "{code}"
        );
    }
    assert!(
        concepts
            .iter()
            .filter(|c| c.nando.iter().any(|n| n.starts_with("nanbyo:")))
            .count()
            > 600
    );
    assert!(
        concepts
            .iter()
            .filter(|c| c.nando.iter().any(|n| n.starts_with("shoman:")))
            .count()
            > 600
    );
    assert!(v().concept("nanbyo_group:2").is_some());
}

#[test]
fn fingerprint_is_stable_and_changes_with_the_user_layer() {
    assert_eq!(
        v().fingerprint(),
        Vocabulary::decode_builtin().fingerprint()
    );
    let user = Vocabulary::with_user_vocabulary(
        "vocabulary.toml",
        "[[concept]]\nid = \"lung_cancer\"\nsynonyms_ja = [\"はいのがん\"]\n",
    );
    assert!(user.is_ok_and(|u| u.fingerprint() != v().fingerprint()));
}

#[test]
fn user_vocabulary_adds_synonyms_and_concepts() {
    let text = r#"
[[concept]]
id = "lung_cancer"
synonyms_ja = ["肺の悪いやつ"]

[[concept]]
id = "kras_cohort"
name_ja = "KRAS変異膵がんコホート"
name_en = "KRAS-mutant pancreatic cohort"
parents = ["pancreatic_cancer"]
"#;
    let u = Vocabulary::with_user_vocabulary("vocabulary.toml", text);
    let u = match u {
        Ok(u) => u,
        Err(e) => panic!("{e:?}"),
    };
    assert_eq!(u.resolve("肺の悪いやつ")[0].concept, "lung_cancer");
    assert_eq!(
        u.resolve("KRAS-mutant pancreatic cohort")[0].concept,
        "kras_cohort"
    );
    assert!(u.is_same_or_under("kras_cohort", "gi_cancer"));
    assert!(u.concept("aml").is_some());
}

#[test]
fn user_vocabulary_errors_are_located() {
    let text = "[[concept]]\nid = \"x\"\nname_ja = \"エックス\"\n\n[[concept]]\nid = \"y\"\nname_en = \"why\"\nparents = [\n  \"cancer\",\n  \"foo\",\n]\n";
    let errors = Vocabulary::with_user_vocabulary("vocabulary.toml", text)
        .err()
        .unwrap_or_default();
    let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert!(
        shown
            .iter()
            .any(|s| s.starts_with("vocabulary.toml:10: parents: unknown concept \"foo\"")),
        "{shown:?}"
    );
    let errors = Vocabulary::with_user_vocabulary("v.toml", "[[concept]]\nid = \"z\"\n")
        .err()
        .unwrap_or_default();
    assert!(errors
        .iter()
        .any(|e| e.line == Some(1) && e.field.as_deref() == Some("name_ja")));
    let errors = Vocabulary::with_user_vocabulary("v.toml", "[[concept]]\nid = \"z\"\nnmae = 3\n")
        .err()
        .unwrap_or_default();
    assert!(errors.iter().any(|e| e.line == Some(3)), "{errors:?}");
    let cyc = "[[concept]]\nid = \"cancer\"\nparents = [\"lung_cancer\"]\n";
    let errors = Vocabulary::with_user_vocabulary("v.toml", cyc)
        .err()
        .unwrap_or_default();
    assert!(
        errors.iter().any(|e| e.message.contains("own ancestor")),
        "{errors:?}"
    );
}

#[test]
fn audit_reports_unresolved_and_weak_strings() {
    let strings = vec![
        ("datasets.json:1".to_string(), "肺がん"),
        ("datasets.json:2".to_string(), "xyzzy plugh"),
        ("datasets.json:3".to_string(), "glioblastomma"),
    ];
    let report = audit_disease_strings(v(), strings);
    assert_eq!(report.len(), 2, "{report:?}");
    assert_eq!(report[0].location, "datasets.json:2");
    assert!(report[0].weak.is_none() && report[0].closest.len() == 3);
    assert_eq!(
        report[1].weak.as_ref().map(|w| w.concept.as_str()),
        Some("glioblastoma")
    );
}

#[test]
fn every_nando_entry_is_anchored_somewhere() {
    let anchored: std::collections::BTreeSet<&str> = v()
        .concepts()
        .flat_map(|c| c.nando.iter().map(String::as_str))
        .collect();
    // Spot checks across both tables, including sub-types and entries merged into curated ones.
    for id in [
        "nanbyo:1",
        "nanbyo:2",
        "nanbyo:3-1",
        "nanbyo:113-1-1",
        "nanbyo:96",
        "shoman:1",
        "shoman:27",
        "shoman:662",
        "shoman:717",
    ] {
        assert!(anchored.contains(id), "{id} not anchored");
    }
    assert!(anchored.iter().filter(|a| a.starts_with("nanbyo:")).count() >= 1000);
    assert!(anchored.iter().filter(|a| a.starts_with("shoman:")).count() >= 1000);
}

#[test]
fn adult_cancers_do_not_inherit_childhood_groups() {
    assert!(!v().is_same_or_under("cml", "pediatric_cancer"));
    assert!(!v().is_same_or_under("hodgkin_lymphoma", "pediatric_cancer"));
    assert!(!v().is_same_or_under("mds", "pediatric_cancer"));
    assert!(v().is_same_or_under("shoman:1", "pediatric_cancer"));
    assert!(v().is_same_or_under("shoman:1", "leukemia"));
}
