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
