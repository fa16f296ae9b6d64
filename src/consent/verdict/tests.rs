//! Every rule of the "Data-use codes" section, one or more tests each.

use super::*;
use crate::consent::owner::{derive_commercial, OwnerStanding};
use crate::consent::test_support::{catalog, dataset, TinyHierarchy};
use crate::i18n::Lang;
use crate::model::Need;

fn today() -> Date {
    Date {
        year: 2025,
        month: 6,
        day: 1,
    }
}

fn need_subject(
    owner: Option<&str>,
    commercial: Option<bool>,
    diseases: &[&str],
) -> ConsentSubject {
    let need = Need {
        id: "N-1".into(),
        owner: owner.map(String::from),
        text: "x".into(),
        commercial,
        ..Need::default()
    };
    let concepts = diseases.iter().map(|d| d.to_string()).collect();
    ConsentSubject::for_need(&need, &catalog(), concepts)
}

/// An academic, non-commercial need on pancreatic cancer.
fn academic() -> ConsentSubject {
    need_subject(Some("ORG-ACA-01"), None, &["C:pancreas"])
}

fn industry() -> ConsentSubject {
    need_subject(Some("ORG-IND-03"), None, &["C:pancreas"])
}

fn run(codes: &[&str], subject: &ConsentSubject) -> ConsentVerdict {
    evaluate(&dataset(codes), subject, &TinyHierarchy, today())
}

#[test]
fn broad_primary_codes_allow_any_need() {
    for code in ["GRU", "NRES", "HMB"] {
        let v = run(&[code], &industry());
        assert!(!v.is_blocked(), "{code}: {:?}", v.blocked);
        assert!(v.conditions.is_empty());
    }
}

#[test]
fn ncu_blocks_a_commercial_need_naming_why() {
    let v = run(&["HMB", "NCU"], &industry());
    assert_eq!(
        v.blocked,
        vec!["NCU: non-commercial use only, and this need is commercial (owner ORG-IND-03 is in the industry forum)"]
    );
    assert_eq!(v.blocked_summary().as_deref(), Some(v.blocked[0].as_str()));
}

#[test]
fn ncu_allows_an_academic_need() {
    assert!(!run(&["HMB", "NCU"], &academic()).is_blocked());
}

#[test]
fn ncu_allows_an_industry_need_explicitly_marked_non_commercial() {
    let s = need_subject(Some("ORG-IND-03"), Some(false), &["C:pancreas"]);
    assert!(!run(&["HMB", "NCU"], &s).is_blocked());
}

#[test]
fn ncu_blocks_an_academic_need_marked_commercial() {
    let s = need_subject(Some("ORG-ACA-01"), Some(true), &["C:pancreas"]);
    let v = run(&["HMB", "NCU"], &s);
    assert_eq!(
        v.blocked,
        vec!["NCU: non-commercial use only, and this need is commercial (the need is marked commercial)"]
    );
}

#[test]
fn npu_blocks_an_industry_owner_whatever_the_commercial_field_says() {
    let s = need_subject(Some("ORG-IND-03"), Some(false), &["C:pancreas"]);
    let v = run(&["HMB", "NPU"], &s);
    assert_eq!(
        v.blocked,
        vec![
            "NPU: not-for-profit organisations only, and owner ORG-IND-03 is in the industry forum"
        ]
    );
    assert!(!run(&["HMB", "NPU"], &academic()).is_blocked());
}

#[test]
fn npu_blocks_unknown_missing_and_forumless_owners() {
    let v = run(
        &["HMB", "NPU"],
        &need_subject(Some("X-404"), Some(false), &["C:pancreas"]),
    );
    assert_eq!(
        v.blocked,
        vec!["NPU: not-for-profit organisations only, and owner id X-404 matches no record (fail closed)"]
    );
    let v = run(
        &["HMB", "NPU"],
        &need_subject(None, Some(false), &["C:pancreas"]),
    );
    assert_eq!(
        v.blocked,
        vec!["NPU: not-for-profit organisations only, and the need has no owner (fail closed)"]
    );
    let v = run(
        &["HMB", "NPU"],
        &need_subject(Some("R-NOFORUM"), Some(false), &["C:pancreas"]),
    );
    assert_eq!(
        v.blocked,
        vec!["NPU: not-for-profit organisations only, and owner R-NOFORUM has no forum recorded (fail closed)"]
    );
}

#[test]
fn npu_follows_a_proposal_to_its_proposer() {
    let v = run(
        &["HMB", "NPU"],
        &need_subject(Some("PRP-IND"), Some(false), &["C:pancreas"]),
    );
    assert_eq!(
        v.blocked,
        vec!["NPU: not-for-profit organisations only, and owner ORG-IND-03 (proposer of PRP-IND) is in the industry forum"]
    );
    assert!(!run(
        &["HMB", "NPU"],
        &need_subject(Some("PRP-ACA"), None, &["C:pancreas"])
    )
    .is_blocked());
}

#[test]
fn npu_and_ncu_block_an_ad_hoc_need_with_no_requester_and_say_so() {
    let s = ConsentSubject::ad_hoc(None, vec!["C:pancreas".into()]);
    let v = run(&["HMB", "NPU"], &s);
    assert_eq!(
        v.blocked,
        vec!["NPU: not-for-profit organisations only, and no requester is named (fail closed)"]
    );
    assert_eq!(v.blocked_rules, vec!["NPU"]);
    assert_eq!(v.verdict(), Verdict::Blocked);
    // Stated neither way: commercial use is not ruled out, so NCU blocks too.
    assert_eq!(
        run(&["HMB", "NCU"], &s).blocked,
        vec!["NCU: non-commercial use only, and this need is commercial (commercial use not ruled out (state --non-commercial or --requester))"]
    );
    let marked = ConsentSubject::ad_hoc(Some(true), vec!["C:pancreas".into()]);
    assert_eq!(
        run(&["HMB", "NCU"], &marked).blocked,
        vec!["NCU: non-commercial use only, and this need is commercial (marked commercial by the coordinator)"]
    );
    let stated = ConsentSubject::ad_hoc(Some(false), vec!["C:pancreas".into()]);
    assert!(!run(&["HMB", "NCU"], &stated).is_blocked());
}

#[test]
fn verdicts_name_the_rule_and_tell_review_from_blocked() {
    let v = run(&["HMB", "IRB"], &industry());
    assert_eq!(v.verdict(), Verdict::Allowed);
    assert_eq!(v.rule(), "HMB");
    assert_eq!(v.condition_codes, vec!["IRB"]);
    let v = run(&["DS:膵がん", "US"], &industry());
    assert_eq!(v.verdict(), Verdict::Review);
    assert_eq!(v.rule(), "US");
    let v = run(&["HMB", "NCU", "US"], &industry());
    assert_eq!(
        v.verdict(),
        Verdict::Blocked,
        "a hard rule outweighs review"
    );
    assert_eq!(v.rule(), "NCU; US");
    assert_eq!(run(&[], &industry()).rule(), "none");
    let v = run(&["DS:膵がん"], &industry());
    assert_eq!(
        (v.verdict(), v.rule()),
        (Verdict::Allowed, "DS:膵がん".into())
    );
}

#[test]
fn reasons_and_conditions_exist_in_japanese() {
    let v = evaluate_in(
        &dataset(&["HMB", "NCU", "IRB", "MOR:2030-01-01"]),
        &industry(),
        &TinyHierarchy,
        today(),
        None,
        Lang::Ja,
    );
    assert_eq!(
        v.blocked,
        vec!["NCU: 非営利の利用に限られ、このニーズは商用（依頼元 ORG-IND-03は産業フォーラムの会員）"]
    );
    assert_eq!(
        v.conditions,
        vec![
            "倫理審査の承認が必要（IRB）",
            "2030-01-01まで公表不可（MOR）"
        ]
    );
}

#[test]
fn npuncu_applies_both_rules() {
    let v = run(&["HMB", "NPUNCU"], &industry());
    assert_eq!(
        v.blocked,
        vec![
            "NPUNCU: not-for-profit organisations only, and owner ORG-IND-03 is in the industry forum",
            "NPUNCU: non-commercial use only, and this need is commercial (owner ORG-IND-03 is in the industry forum)",
        ]
    );
    // Academic owner but marked commercial: only the NCU half blocks.
    let s = need_subject(Some("R-ACA-01"), Some(true), &["C:pancreas"]);
    assert_eq!(run(&["HMB", "NPUNCU"], &s).blocked.len(), 1);
    assert!(!run(&["HMB", "NPUNCU"], &academic()).is_blocked());
}

#[test]
fn ds_allows_a_need_on_a_narrower_disease() {
    let s = need_subject(Some("ORG-ACA-01"), None, &["C:pdac"]);
    assert!(!run(&["DS:膵がん"], &s).is_blocked());
    let s = need_subject(Some("ORG-ACA-01"), None, &["C:neuroblastoma"]);
    assert!(!run(&["DS:小児がん"], &s).is_blocked());
}

#[test]
fn ds_blocks_a_need_on_another_disease() {
    let s = need_subject(Some("ORG-ACA-01"), None, &["C:lung"]);
    assert_eq!(
        run(&["DS:膵がん"], &s).blocked,
        vec!["DS: use limited to 膵がん (and diseases under it), and the need's disease 肺がん is outside it"]
    );
    // A broader need disease is not under the DS disease either.
    let s = need_subject(Some("ORG-ACA-01"), None, &["C:cancer"]);
    assert!(run(&["DS:膵がん"], &s).is_blocked());
}

#[test]
fn ds_blocks_when_one_of_two_need_diseases_is_outside() {
    let s = need_subject(Some("ORG-ACA-01"), None, &["C:pdac", "C:lung"]);
    let v = run(&["DS:膵がん"], &s);
    assert_eq!(
        v.blocked,
        vec!["DS: use limited to 膵がん (and diseases under it), and the need's disease 肺がん is outside it"]
    );
}

#[test]
fn ds_blocks_a_need_without_disease() {
    let s = need_subject(Some("ORG-ACA-01"), None, &[]);
    assert_eq!(
        run(&["DS:膵がん"], &s).blocked,
        vec!["DS: use limited to 膵がん (and diseases under it), and this need names no disease"]
    );
    // Without DS, a need without disease is fine.
    assert!(!run(&["HMB"], &s).is_blocked());
}

#[test]
fn ds_term_unknown_to_the_vocabulary_blocks_for_review() {
    let v = run(&["DS:謎の病気", "DS:膵がん"], &academic());
    assert_eq!(
        v.blocked,
        vec!["for review: DS:謎の病気: the vocabulary does not know the disease \"謎の病気\", so the data-use committee must decide"]
    );
}

#[test]
fn several_ds_codes_allow_any_of_them() {
    let s = need_subject(Some("ORG-ACA-01"), None, &["C:pdac", "C:lung"]);
    assert!(!run(&["DS:膵がん", "DS:肺がん"], &s).is_blocked());
    let s = need_subject(Some("ORG-ACA-01"), None, &["C:neuroblastoma", "C:lung"]);
    assert_eq!(
        run(&["DS:膵がん", "DS:肺がん"], &s).blocked,
        vec!["DS: use limited to 膵がん or 肺がん (and diseases under it), and the need's disease 神経芽腫 is outside it"]
    );
}

#[test]
fn narrowest_primary_applies() {
    let lung = need_subject(Some("ORG-ACA-01"), None, &["C:lung"]);
    // HMB alone would allow; DS beside it is narrower and blocks.
    assert!(!run(&["HMB"], &lung).is_blocked());
    assert!(run(&["HMB", "DS:膵がん"], &lung).is_blocked());
    assert!(run(&["GRU", "HMB", "DS:膵がん"], &lung).is_blocked());
    assert!(!run(&["GRU", "HMB", "DS:膵がん"], &academic()).is_blocked());
}

#[test]
fn poa_blocks_for_review_even_beside_hmb() {
    let v = run(&["HMB", "POA"], &academic());
    assert_eq!(v.blocked.len(), 1);
    assert!(
        v.blocked[0].starts_with("for review: POA: population origins or ancestry research only")
    );
    assert!(v.blocked[0].contains("data-use committee"));
}

#[test]
fn empty_data_use_or_no_primary_code_means_consent_not_recorded() {
    let v = run(&[], &academic());
    assert_eq!(
        v.blocked,
        vec!["for review: consent not recorded (the dataset has no data-use codes)"]
    );
    let v = run(&["  ", ""], &academic());
    assert!(v.blocked[0].contains("consent not recorded"));
    let v = run(&["IRB", "COL"], &academic());
    assert_eq!(
        v.blocked,
        vec!["for review: consent not recorded (no primary data-use code such as GRU, HMB or DS)"]
    );
}

#[test]
fn unknown_code_blocks_for_review_naming_it() {
    let v = run(&["HBM"], &academic());
    assert!(v.blocked.contains(
        &"for review: unknown data-use code \"HBM\", so the data-use committee must decide"
            .to_string()
    ));
    let v = run(&["HMB", " hbm "], &academic());
    assert_eq!(
        v.blocked,
        vec!["for review: unknown data-use code \"hbm\", so the data-use committee must decide"]
    );
}

#[test]
fn user_project_institution_specific_block_for_review() {
    for (code, what) in [("US", "user"), ("PS", "project"), ("IS", "institution")] {
        let v = run(&["HMB", code], &academic());
        assert_eq!(
            v.blocked,
            vec![format!(
                "for review: {code}: use is limited to a named {what}, so the data-use committee must decide"
            )]
        );
    }
}

#[test]
fn time_limit_past_blocks_future_is_a_condition() {
    let v = run(&["HMB", "TS:2024-03-31"], &academic());
    assert_eq!(v.blocked, vec!["TS: the use period ended on 2024-03-31"]);
    let v = run(&["HMB", "TS:2027-03-31"], &academic());
    assert!(!v.is_blocked());
    assert_eq!(v.conditions, vec!["use allowed until 2027-03-31 (TS)"]);
    // The last day of the period still allows use.
    assert!(!run(&["HMB", "TS:2025-06-01"], &academic()).is_blocked());
}

#[test]
fn moratorium_future_and_expired() {
    let v = run(&["HMB", "MOR:2027-03-31"], &academic());
    assert!(!v.is_blocked());
    assert_eq!(
        v.conditions,
        vec!["publication embargo until 2027-03-31 (MOR)"]
    );
    let v = run(&["HMB", "MOR:2024-03-31"], &academic());
    assert!(!v.is_blocked());
    assert_eq!(
        v.conditions,
        vec!["publication embargo ended 2024-03-31 (MOR, expired)"]
    );
}

#[test]
fn malformed_dates_block_for_review() {
    let v = run(&["HMB", "MOR:someday"], &academic());
    assert_eq!(
        v.blocked,
        vec!["for review: MOR:someday: \"someday\" is not a date (YYYY-MM-DD), so the data-use committee must decide"]
    );
    assert!(run(&["HMB", "TS:2025-02-30"], &academic()).is_blocked());
}

#[test]
fn conditions_are_pasteable_sentences() {
    let codes = [
        "HMB",
        "COL",
        "IRB",
        "PUB",
        "GS:日本",
        "RTN",
        "NMDS",
        "GSO",
        "NCTRL",
    ];
    let ds = dataset(&codes);
    let v = evaluate_with_custodian(
        &ds,
        &academic(),
        &TinyHierarchy,
        today(),
        Some("湾岸医科大学"),
    );
    assert!(!v.is_blocked());
    assert_eq!(
        v.conditions,
        vec![
            "requires collaboration with 湾岸医科大学 (COL)",
            "requires ethics approval (IRB)",
            "results must be published (PUB)",
            "use limited to 日本 (GS)",
            "derived data must be returned to the custodian (RTN)",
            "not to be used for methods development (NMDS)",
            "genetic studies only (GSO)",
            "not to be used as a control set (NCTRL)",
        ]
    );
}

#[test]
fn col_names_the_custodian_by_name_or_as_written() {
    let ds = dataset(&["HMB", "COL"]);
    let label = custodian_label(&ds, &catalog());
    assert_eq!(label.as_deref(), Some("湾岸医科大学"));
    let v = evaluate(&ds, &academic(), &TinyHierarchy, today());
    assert_eq!(
        v.conditions,
        vec!["requires collaboration with ORG-ACA-01 (COL)"]
    );
    let mut plain = dataset(&["HMB", "COL"]);
    plain.custodian = Some("国立がん研究センター".into());
    assert_eq!(
        custodian_label(&plain, &catalog()).as_deref(),
        Some("国立がん研究センター")
    );
    // A researcher who holds data is named by affiliation, else id: never by personal name.
    plain.custodian = Some("R-ACA-01".into());
    assert_eq!(
        custodian_label(&plain, &catalog()).as_deref(),
        Some("R-ACA-01")
    );
    let affiliated = crate::model::Researcher {
        id: "R-9".into(),
        name: "鈴木 一".into(),
        affiliation: Some(" 北辰大学 ".into()),
        ..crate::model::Researcher::default()
    };
    assert_eq!(researcher_custodian_label(&affiliated), "北辰大学 (R-9)");
    plain.custodian = None;
    let v = evaluate(&plain, &academic(), &TinyHierarchy, today());
    assert_eq!(
        v.conditions,
        vec!["requires collaboration with the dataset's custodian (COL; no custodian recorded)"]
    );
}

#[test]
fn codes_are_read_without_regard_to_case_or_spaces() {
    let v = run(&[" hmb ", " ncu "], &industry());
    assert!(v.blocked[0].starts_with("NCU:"));
    let s = need_subject(Some("ORG-ACA-01"), None, &["C:pdac"]);
    assert!(!run(&[" DS: 膵がん "], &s).is_blocked());
    assert!(!run(&["ds:Pancreatic Cancer"], &s).is_blocked());
    assert_eq!(run(&["hmb", " mor : 2027-03-31 "], &s).conditions.len(), 1);
}

#[test]
fn several_blocks_are_all_reported() {
    let v = run(
        &["DS:膵がん", "NCU", "US", "XYZ"],
        &need_subject(Some("ORG-IND-03"), None, &["C:lung"]),
    );
    assert_eq!(v.blocked.len(), 4, "{:?}", v.blocked);
    assert!(v.blocked[0].starts_with("DS:"));
}

#[test]
fn derive_commercial_without_a_label_speaks_of_the_owner() {
    let c = derive_commercial(None, &OwnerStanding::Industry);
    assert_eq!(c.why, "commercial: the owner is in the industry forum");
    let c = derive_commercial(None, &OwnerStanding::UnknownOwner("Q".into()));
    assert_eq!(
        c.why,
        "commercial: owner id Q matches no record (fail closed)"
    );
}

#[test]
fn audit_warns_about_primary_codes_unknown_codes_and_missing_consent() {
    let w = audit_codes(&dataset(&["HMB", "DS:膵がん"]));
    assert_eq!(
        w,
        vec!["several primary data-use codes (HMB, DS:膵がん): the narrowest applies (DS)"]
    );
    assert!(audit_codes(&dataset(&["DS:膵がん", "DS:肺がん", "NCU"])).is_empty());
    let w = audit_codes(&dataset(&["HMB", "HBM"]));
    assert_eq!(
        w,
        vec!["unknown data-use code \"HBM\": the dataset is blocked for review"]
    );
    let w = audit_codes(&dataset(&[]));
    assert_eq!(w.len(), 1);
    assert!(w[0].starts_with("no consent recorded"));
    let w = audit_codes(&dataset(&["NCU"]));
    assert!(w[0].starts_with("no primary data-use code"));
    let w = audit_codes(&dataset(&["GRU", "TS:soon"]));
    assert_eq!(
        w,
        vec!["TS:soon: \"soon\" is not a date (YYYY-MM-DD): the dataset is blocked for review"]
    );
    let w = audit_codes(&dataset(&["HMB", "POA"]));
    assert_eq!(
        w,
        vec!["several primary data-use codes (HMB, POA): POA blocks the dataset for review"]
    );
}
