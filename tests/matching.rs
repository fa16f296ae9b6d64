//! Matching on a fixture with known right answers (tests/fixtures/catalog/EXPECTED.md): ranking,
//! every consent rule, commercial derivation, cross-language matches, partners both ways.

mod common;

use musubi::consent::Date;
use musubi::matching::{
    AdHocNeed, MatchError, MatchItem, MatchOptions, MatchReport, Matcher, Subject,
};
use musubi::model::Kind;

const TODAY: Date = Date {
    year: 2026,
    month: 11,
    day: 26,
};

fn run(subject: Subject, include_blocked: bool) -> MatchReport {
    let catalog = common::catalog();
    let matcher = Matcher::new(&catalog, common::vocab(), TODAY);
    let options = MatchOptions {
        limit: 20,
        include_blocked,
        ..MatchOptions::default()
    };
    matcher.run(&subject, &options).expect("subject exists")
}

fn need(id: &str, include_blocked: bool) -> MatchReport {
    run(Subject::Need(id.into()), include_blocked)
}

fn find<'a>(items: &'a [MatchItem], id: &str) -> Option<&'a MatchItem> {
    items.iter().find(|i| i.id == id)
}

fn ids(items: &[MatchItem]) -> Vec<&str> {
    items.iter().map(|i| i.id.as_str()).collect()
}

#[test]
fn best_dataset_ranks_first_with_reasons() {
    let report = need("N-IND-PANC", false);
    let top = &report.datasets[0];
    assert_eq!(top.id, "DS-PANC-1");
    assert!(top.score > 0.8 && top.score <= 1.0, "{}", top.score);
    let reasons = top.reasons.join(" | ");
    assert!(reasons.contains("膵がん"), "{reasons}");
    assert!(reasons.contains("800症例 ≥ 必要数500"), "{reasons}");
}

#[test]
fn scores_are_between_zero_and_one_and_sorted() {
    for id in ["N-IND-PANC", "N-ACA-PANC", "N-PED-BROAD", "N-ALS"] {
        let report = need(id, true);
        for list in [&report.datasets, &report.partners, &report.proposals] {
            assert!(list.iter().all(|i| (0.0..=1.0).contains(&i.score)));
            assert!(list.windows(2).all(|w| w[0].score >= w[1].score), "{id}");
        }
    }
}

#[test]
fn ncu_blocks_a_commercial_need_and_says_why_when_shown() {
    let hidden = need("N-IND-PANC", false);
    assert!(find(&hidden.datasets, "DS-PANC-NCU").is_none());
    let shown = need("N-IND-PANC", true);
    let item = find(&shown.datasets, "DS-PANC-NCU").expect("listed on request");
    assert!(
        item.blocked.as_deref().unwrap_or("").contains("NCU"),
        "{item:?}"
    );
}

#[test]
fn npu_blocks_an_industry_owner_even_when_not_commercial() {
    let report = need("N-IND-NONCOMMERCIAL", true);
    assert!(!report.subject.commercial);
    let npu = find(&report.datasets, "DS-PANC-NPU").expect("listed");
    assert!(
        npu.blocked.as_deref().unwrap_or("").contains("NPU"),
        "{npu:?}"
    );
    let ncu = find(&report.datasets, "DS-PANC-NCU").expect("listed");
    assert_eq!(ncu.blocked, None, "explicit commercial = false lifts NCU");
}

#[test]
fn academic_need_gets_ncu_and_npu_datasets() {
    let report = need("N-ACA-PANC", false);
    assert!(!report.subject.commercial);
    for id in ["DS-PANC-1", "DS-PANC-NCU", "DS-PANC-NPU"] {
        assert!(
            find(&report.datasets, id).is_some(),
            "{id} in {:?}",
            ids(&report.datasets)
        );
    }
}

#[test]
fn english_need_finds_japanese_dataset_and_back() {
    let english = need("N-ACA-PANC", false);
    assert!(find(&english.datasets, "DS-PANC-1").is_some());
    let japanese = need("N-PED-BROAD", false);
    assert!(
        find(&japanese.datasets, "DS-NB").is_some(),
        "{:?}",
        ids(&japanese.datasets)
    );
}

#[test]
fn ds_allows_a_narrower_disease_and_shows_collaboration_condition() {
    let report = need("N-PED", false);
    let nb = find(&report.datasets, "DS-NB").expect("DS:小児がん covers neuroblastoma");
    assert!(
        nb.conditions
            .iter()
            .any(|c| c.contains("湾岸医科大学") && c.contains("COL")),
        "{nb:?}"
    );
}

#[test]
fn broad_need_is_served_by_narrower_datasets() {
    let report = need("N-PED-BROAD", false);
    let found = ids(&report.datasets);
    assert!(
        found.contains(&"DS-NB") && found.contains(&"DS-MB"),
        "{found:?}"
    );
}

#[test]
fn ds_follows_the_vocabulary_hierarchy_for_rare_diseases() {
    let report = need("N-DMD", false);
    assert_eq!(
        report.datasets.first().map(|d| d.id.as_str()),
        Some("DS-DMD")
    );
}

#[test]
fn ds_blocks_when_one_need_disease_falls_outside() {
    let report = need("N-DS-MISMATCH", true);
    let nb = find(&report.datasets, "DS-NB").expect("listed on request");
    assert!(nb.blocked.as_deref().unwrap_or("").contains("DS"), "{nb:?}");
    assert!(find(&need("N-DS-MISMATCH", false).datasets, "DS-NB").is_none());
}

#[test]
fn diseases_named_only_in_the_text_count() {
    let report = need("N-TEXT-ONLY", false);
    assert!(
        find(&report.datasets, "DS-NB").is_some(),
        "{:?}",
        ids(&report.datasets)
    );
}

#[test]
fn conditions_never_hide_a_match() {
    let report = need("N-ALS", false);
    let als = find(&report.datasets, "DS-ALS").expect("offered");
    let conditions = als.conditions.join(" | ");
    assert!(
        conditions.contains("IRB") && conditions.contains("2099-01-01"),
        "{conditions}"
    );
}

#[test]
fn need_owned_by_a_proposal_follows_its_proposer() {
    assert!(!need("N-PROP", false).subject.commercial);
}

#[test]
fn need_without_owner_is_commercial_and_blocked_from_ncu() {
    let report = need("N-NOOWNER", true);
    assert!(report.subject.commercial);
    let ncu = find(&report.datasets, "DS-PANC-NCU").expect("listed");
    assert!(ncu.blocked.is_some());
}

#[test]
fn dataset_without_consent_is_never_offered() {
    let report = run(
        Subject::AdHoc(AdHocNeed {
            text: "胃がん".into(),
            diseases: vec!["胃がん".into()],
            ..AdHocNeed::default()
        }),
        true,
    );
    let item = find(&report.datasets, "DS-GASTRIC-NOCONSENT").expect("listed on request");
    assert!(item
        .blocked
        .as_deref()
        .unwrap_or("")
        .contains("consent not recorded"));
    let hidden = run(
        Subject::AdHoc(AdHocNeed {
            text: "胃がん".into(),
            ..AdHocNeed::default()
        }),
        false,
    );
    assert!(find(&hidden.datasets, "DS-GASTRIC-NOCONSENT").is_none());
}

fn pancreatic_request(requester: Option<&str>, commercial: Option<bool>) -> MatchReport {
    run(
        Subject::AdHoc(AdHocNeed {
            text: "膵がん RNA".into(),
            diseases: vec!["膵がん".into()],
            modalities: vec!["RNA-seq".into()],
            requester: requester.map(String::from),
            commercial,
            ..AdHocNeed::default()
        }),
        true,
    )
}

#[test]
fn ad_hoc_request_stated_neither_way_is_commercial_and_blocked_from_ncu_and_npu() {
    let report = pancreatic_request(None, None);
    assert!(report.subject.commercial);
    assert_eq!(report.subject.requester_id, None);
    let ncu = find(&report.datasets, "DS-PANC-NCU").expect("listed");
    let why = ncu.blocked.as_deref().unwrap_or_default();
    assert!(
        why.contains("commercial use not ruled out (state --non-commercial or --requester)"),
        "{why}"
    );
    let npu = find(&report.datasets, "DS-PANC-NPU").expect("listed");
    assert!(
        npu.blocked
            .as_deref()
            .unwrap_or_default()
            .contains("no requester is named"),
        "{npu:?}"
    );
    // Hidden by default: the first dataset offered is never a blocked one.
    let offered = run(
        Subject::AdHoc(AdHocNeed {
            text: "膵がん RNA".into(),
            diseases: vec!["膵がん".into()],
            ..AdHocNeed::default()
        }),
        false,
    );
    assert!(offered.datasets.iter().all(|d| d.blocked.is_none()));
    assert!(find(&offered.datasets, "DS-PANC-NCU").is_none());
}

#[test]
fn ad_hoc_request_from_an_industry_requester_is_blocked_from_ncu_and_npu() {
    let report = pancreatic_request(Some("ORG-IND-1"), None);
    assert!(report.subject.commercial);
    assert_eq!(report.subject.requester_id.as_deref(), Some("ORG-IND-1"));
    assert!(report.subject.commercial_basis.contains("ORG-IND-1"));
    for id in ["DS-PANC-NCU", "DS-PANC-NPU"] {
        let item = find(&report.datasets, id).expect("listed");
        assert!(item.blocked.is_some(), "{item:?}");
    }
    assert_eq!(
        find(&report.datasets, "DS-PANC-1").and_then(|d| d.blocked.clone()),
        None
    );
    // Stated non-commercial: NCU lifts, NPU still sees the industry forum.
    let stated = pancreatic_request(Some("ORG-IND-1"), Some(false));
    assert!(!stated.subject.commercial);
    let ncu = find(&stated.datasets, "DS-PANC-NCU").expect("listed");
    assert_eq!(ncu.blocked, None);
    let npu = find(&stated.datasets, "DS-PANC-NPU").expect("listed");
    assert!(npu.blocked.is_some());
}

#[test]
fn ad_hoc_request_stated_non_commercial_may_use_ncu() {
    let report = pancreatic_request(None, Some(false));
    assert!(!report.subject.commercial);
    let ncu = find(&report.datasets, "DS-PANC-NCU").expect("listed");
    assert_eq!(ncu.blocked, None, "stated non-commercial lifts NCU");
    // No requester: NPU still blocks (the requester's forum is unknown).
    assert!(find(&report.datasets, "DS-PANC-NPU")
        .and_then(|d| d.blocked.clone())
        .is_some());
}

#[test]
fn ad_hoc_request_from_an_academic_requester_may_use_npu_and_ncu() {
    let report = pancreatic_request(Some("R-ACA-1"), None);
    assert!(!report.subject.commercial);
    assert_eq!(report.subject.requester_id.as_deref(), Some("R-ACA-1"));
    for id in ["DS-PANC-NCU", "DS-PANC-NPU"] {
        let item = find(&report.datasets, id).expect("listed");
        assert_eq!(item.blocked, None, "{id}");
    }
}

#[test]
fn unknown_requester_is_an_error_naming_the_closest_ids() {
    let catalog = common::catalog();
    let matcher = Matcher::new(&catalog, common::vocab(), TODAY);
    let err = matcher
        .run(
            &Subject::AdHoc(AdHocNeed {
                text: "膵がん".into(),
                requester: Some("ORG-IND-9".into()),
                ..AdHocNeed::default()
            }),
            &MatchOptions::default(),
        )
        .expect_err("unknown requester");
    let text = err.to_string();
    assert!(
        text.contains("ORG-IND-9") && text.contains("ORG-IND-1"),
        "{text}"
    );
    // An id in another case is accepted when it is the only one.
    let ok = matcher.run(
        &Subject::AdHoc(AdHocNeed {
            text: "膵がん".into(),
            requester: Some("org-ind-1".into()),
            ..AdHocNeed::default()
        }),
        &MatchOptions::default(),
    );
    assert_eq!(
        ok.ok().and_then(|r| r.subject.requester_id),
        Some("ORG-IND-1".to_string())
    );
}

#[test]
fn industry_subject_gets_academic_partners_only() {
    let report = run(Subject::Organization("ORG-IND-1".into()), false);
    let partners = ids(&report.partners);
    assert_eq!(partners.first(), Some(&"R-ACA-1"), "{partners:?}");
    assert!(!partners.contains(&"R-IND-1") && !partners.contains(&"ORG-IND-2"));
    assert!(report
        .partners
        .iter()
        .all(|p| p.kind == Kind::Researcher || p.kind == Kind::Organization));
}

#[test]
fn academic_subject_gets_companies_whose_interests_fit() {
    let report = run(Subject::Researcher("R-ACA-2".into()), false);
    let partners = ids(&report.partners);
    assert!(partners.contains(&"ORG-IND-2"), "{partners:?}");
    assert!(!partners.contains(&"R-ACA-2"), "never itself");
}

#[test]
fn proposals_to_join_fit_and_seek_the_subjects_forum() {
    let report = run(Subject::Organization("ORG-IND-1".into()), false);
    assert_eq!(ids(&report.proposals), vec!["P-1"]);
    let closed = run(Subject::Researcher("R-ACA-3".into()), false);
    assert!(
        find(&closed.proposals, "P-3").is_none(),
        "closed proposals are never suggested"
    );
}

#[test]
fn proposal_subject_gets_datasets_for_its_diseases() {
    let report = run(Subject::Proposal("P-2".into()), false);
    let found = ids(&report.datasets);
    assert!(
        found.contains(&"DS-NB") && found.contains(&"DS-MB"),
        "{found:?}"
    );
    assert!(
        !ids(&report.partners).contains(&"ORG-ACA-1"),
        "its proposer is not a new partner"
    );
}

#[test]
fn unknown_id_names_the_closest() {
    let catalog = common::catalog();
    let matcher = Matcher::new(&catalog, common::vocab(), TODAY);
    let err = matcher
        .run(&Subject::Need("N-PEDD".into()), &MatchOptions::default())
        .unwrap_err();
    match &err {
        MatchError::UnknownId { closest, .. } => assert!(closest.contains(&"N-PED".to_string())),
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("closest: N-PED"), "{err}");
}

#[test]
fn all_needs_gives_one_report_per_need() {
    let catalog = common::catalog();
    let matcher = Matcher::new(&catalog, common::vocab(), TODAY);
    let reports = matcher.run_all_needs(&MatchOptions::default());
    assert_eq!(reports.len(), catalog.needs.len());
}

#[test]
fn candidates_read_once_give_the_same_matches() {
    let catalog = common::catalog();
    let candidates = musubi::matching::Candidates::read(&catalog, common::vocab());
    let kept = Matcher::with_candidates(&catalog, common::vocab(), TODAY, &candidates);
    let fresh = Matcher::new(&catalog, common::vocab(), TODAY);
    let options = MatchOptions {
        limit: 20,
        include_blocked: true,
        ..MatchOptions::default()
    };
    for id in ["N-IND-PANC", "N-PED-BROAD", "N-ALS"] {
        let subject = Subject::Need(id.into());
        assert_eq!(
            kept.run(&subject, &options).unwrap(),
            fresh.run(&subject, &options).unwrap()
        );
    }
}
