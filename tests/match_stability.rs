//! Speed work must leave every match unchanged (issue 12): the match lists of a generated
//! catalog, recorded before the speed work, compared whole (ids, order, scores, verdicts,
//! rules, reasons and conditions).

use musubi::consent::Date;
use musubi::matching::{MatchOptions, MatchReport, Matcher, Subject};
use musubi::workspace::builtin_vocabulary;
use std::fmt::Write;

/// Every item of a report on one line each.
fn lines(report: &MatchReport, out: &mut String) {
    let _ = writeln!(out, "# {}", report.subject.id.as_deref().unwrap_or("-"));
    for (section, items) in [
        ("dataset", &report.datasets),
        ("partner", &report.partners),
        ("proposal", &report.proposals),
    ] {
        for item in items {
            let _ = writeln!(
                out,
                "{section} {} {:.6} {:?} {} | {} | {}",
                item.id,
                item.score,
                item.verdict,
                item.rule.as_deref().unwrap_or("-"),
                item.reasons.join(" / "),
                item.conditions.join(" / "),
            );
        }
    }
}

#[test]
fn match_lists_of_a_generated_catalog_are_unchanged() {
    let catalog = musubi::synthetic::catalog(3000, 42);
    let vocabulary = builtin_vocabulary();
    let today = Date::new(2026, 11, 27).expect("a date");
    let matcher = Matcher::new(&catalog, &vocabulary, today);
    let options = MatchOptions {
        limit: 8,
        include_blocked: true,
        ..MatchOptions::default()
    };
    let mut subjects: Vec<Subject> = Vec::new();
    subjects.extend(
        catalog
            .needs
            .iter()
            .step_by(25)
            .map(|n| Subject::Need(n.id.clone())),
    );
    subjects.extend(
        catalog
            .proposals
            .iter()
            .step_by(15)
            .map(|p| Subject::Proposal(p.id.clone())),
    );
    subjects.extend(
        catalog
            .organizations
            .iter()
            .step_by(15)
            .map(|o| Subject::Organization(o.id.clone())),
    );
    subjects.extend(
        catalog
            .researchers
            .iter()
            .step_by(90)
            .map(|r| Subject::Researcher(r.id.clone())),
    );
    assert!(subjects.len() > 50, "{} subjects", subjects.len());
    let mut text = String::new();
    for subject in &subjects {
        let report = matcher.run(subject, &options).expect("a known subject");
        lines(&report, &mut text);
    }
    assert!(
        text.contains("Some(Blocked)"),
        "blocked datasets are compared too"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn every_need_at_once_on_every_core_equals_one_need_at_a_time() {
    let catalog = musubi::synthetic::catalog(1000, 9);
    let vocabulary = builtin_vocabulary();
    let today = Date::new(2026, 11, 27).expect("a date");
    let matcher = Matcher::new(&catalog, &vocabulary, today);
    let options = MatchOptions {
        limit: 5,
        include_blocked: true,
        ..MatchOptions::default()
    };
    let seen = std::sync::Mutex::new(Vec::new());
    let all = matcher.run_all_needs_reporting(&options, &|done, total| {
        seen.lock().expect("progress").push((done, total));
    });
    assert_eq!(all.len(), catalog.needs.len());
    for (report, need) in all.iter().zip(&catalog.needs) {
        let one = matcher
            .run(&Subject::Need(need.id.clone()), &options)
            .expect("a need");
        assert_eq!(report, &one, "{}", need.id);
    }
    let seen = seen.into_inner().expect("progress");
    assert!(seen.contains(&(catalog.needs.len(), catalog.needs.len())));
}

#[test]
fn records_read_in_place_from_a_snapshot_give_the_same_matches_errors_and_exports() {
    use musubi::export::{render, ExportFormat, ExportOptions};
    use musubi::i18n::Lang;
    use musubi::matching::{AdHocNeed, Candidates};
    use musubi::snapshot::SnapshotRecords;

    let catalog = musubi::synthetic::catalog(3000, 42);
    let vocabulary = builtin_vocabulary();
    let today = Date::new(2026, 11, 27).expect("a date");
    let mut bytes = Vec::new();
    musubi::snapshot::write(&catalog, &mut bytes).expect("written to memory");
    let in_place = SnapshotRecords::open(Box::new(bytes), Box::new(|| None)).expect("a snapshot");
    let candidates = Candidates::read(&catalog, &vocabulary);
    let whole = Matcher::with_candidates(&catalog, &vocabulary, today, &candidates);
    let lazy = Matcher::with_candidates(&in_place, &vocabulary, today, &candidates);
    let options = MatchOptions {
        limit: 8,
        include_blocked: true,
        ..MatchOptions::default()
    };
    let org = catalog.organizations[3].id.clone();
    let named = catalog.researchers[4]
        .name
        .chars()
        .take(3)
        .collect::<String>();
    let ad_hoc = |requester: &str| {
        Subject::AdHoc(AdHocNeed {
            text: "膵がん whole genome sequencing for drug discovery".into(),
            requester: Some(requester.to_string()),
            min_cases: Some(200),
            ..AdHocNeed::default()
        })
    };
    let mut subjects: Vec<Subject> = Vec::new();
    subjects.extend(
        catalog
            .needs
            .iter()
            .step_by(40)
            .map(|n| Subject::Need(n.id.clone())),
    );
    subjects.extend(
        catalog
            .proposals
            .iter()
            .step_by(20)
            .map(|p| Subject::Proposal(p.id.clone())),
    );
    subjects.extend(
        catalog
            .organizations
            .iter()
            .step_by(20)
            .map(|o| Subject::Organization(o.id.clone())),
    );
    subjects.extend(
        catalog
            .researchers
            .iter()
            .step_by(120)
            .map(|r| Subject::Researcher(r.id.clone())),
    );
    subjects.extend([
        ad_hoc(&org),
        ad_hoc(&org.to_lowercase()),
        ad_hoc(&named),
        ad_hoc("nobody"),
        Subject::Need("no-such-need".into()),
        Subject::Need(catalog.needs[7].id.to_lowercase()),
    ]);
    let mut reports = Vec::new();
    for subject in &subjects {
        let expected = whole.run(subject, &options);
        assert_eq!(lazy.run(subject, &options), expected, "{subject:?}");
        reports.extend(expected.ok());
    }
    assert!(reports.len() > 40, "{} reports", reports.len());
    for format in [
        ExportFormat::Csv,
        ExportFormat::Json,
        ExportFormat::Markdown,
    ] {
        let export = ExportOptions {
            include_blocked: true,
            ..ExportOptions::new(format, Lang::En)
        };
        let expected = render(&reports, &catalog, &export).expect("rendered");
        let got = render(&reports, &in_place, &export).expect("rendered");
        assert_eq!(got, expected, "{format:?}");
    }
}
