//! The outreach cycle in the app, driven through `update` and the engine over the sample data:
//! the outreach filter and the "new" marks of the match list, the Gaps view's way into a
//! need's matches, and saving and reopening searches.

use super::action::Action;
use super::app::{update, App, MatchTarget, Overlay, Screen};
use super::cycle::{perform, CycleOutcome, CycleRequest, NewsMarks};
use super::engine::Engine;
use super::keymap::Keymap;
use super::keys::Context;

fn action_for(context: Context, event: &crossterm::event::KeyEvent) -> Option<Action> {
    Keymap::default().action_for(context, event)
}
use super::outreach_filter::OutreachFilter;
use super::saved_searches::SavedSearches;
use super::screen_tests::matches_app;
use super::strings;
use super::test_support::{drive, loaded_app, today, type_text};
use crate::config::Settings;
use crate::history::History;
use crate::matching::Subject;
use crate::outreach::{clock, Entry, Ledger, Status};
use crate::watch::Watches;
use crate::workspace::{OpenOptions, Workspace};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn visible_ids(app: &App) -> Vec<String> {
    app.matches
        .as_ref()
        .map(|m| m.visible().iter().map(|(_, i)| i.id.clone()).collect())
        .unwrap_or_default()
}

fn entry(subject: &str, candidate: &str, status: Status) -> Entry {
    Entry {
        at: clock::parse_moment("2026-11-20T10:00:00+09:00").expect("moment"),
        by: "tester".into(),
        subject: subject.into(),
        candidate: candidate.into(),
        status,
        note: String::new(),
    }
}

/// N01's matches with the log's word on them: DS-C01 contacted for N01, DS-C03 in a meeting
/// for N01, DS-C16 contacted for another need.
fn annotated_n01() -> App {
    let mut app = matches_app(100, 30, "N01");
    let mut report = app
        .matches
        .as_ref()
        .and_then(|m| m.report.clone())
        .expect("matched");
    let ledger = Ledger::new(vec![
        entry("N01", "DS-C01", Status::Contacted),
        entry("N01", "DS-C03", Status::Contacted),
        entry("N01", "DS-C03", Status::Meeting),
        entry("N02", "DS-C16", Status::Contacted),
    ]);
    crate::outreach::matches::annotate(&mut report, &ledger);
    let target = app
        .matches
        .as_ref()
        .map(|m| m.target.clone())
        .expect("a match list");
    update(&mut app, Action::MatchDone(target, Ok(report)));
    app
}

#[test]
fn the_outreach_filter_cycles_and_keeps_only_pairs_at_that_stage() {
    let mut app = annotated_n01();
    let all = visible_ids(&app);
    for id in ["DS-C01", "DS-C03", "DS-C16"] {
        assert!(all.contains(&id.to_string()), "{id} in {all:?}");
    }
    drive(&mut app, [Action::OutreachFilter]);
    let not_contacted = visible_ids(&app);
    assert_eq!(
        app.matches.as_ref().map(|m| m.cycle.filter),
        Some(OutreachFilter::NotContacted)
    );
    for id in ["DS-C01", "DS-C03", "DS-C16"] {
        assert!(
            !not_contacted.contains(&id.to_string()),
            "{id}: no double contact"
        );
    }
    assert_eq!(not_contacted.len() + 3, all.len());
    drive(&mut app, [Action::OutreachFilter]);
    assert_eq!(visible_ids(&app), ["DS-C01"]);
    drive(&mut app, [Action::OutreachFilter]);
    assert_eq!(visible_ids(&app), ["DS-C03"]);
    // What is exported is what is shown.
    let reports = app.export_reports();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].datasets.len(), 1);
    assert_eq!(reports[0].datasets[0].id, "DS-C03");
    drive(&mut app, [Action::OutreachFilter, Action::OutreachFilter]);
    assert_eq!(visible_ids(&app), all, "back to all");
}

#[test]
fn marks_stay_with_the_session_but_act_only_on_shown_rows() {
    let mut app = annotated_n01();
    // The first row is DS-C01 (contacted): mark it, then show only those not contacted.
    drive(&mut app, [Action::ToggleMark]);
    assert!(app.marks.contains("DS-C01"));
    drive(&mut app, [Action::OutreachFilter]);
    assert!(app.marks.contains("DS-C01"), "marks belong to the session");
    let shown = app.matches.as_ref().map(|m| m.marked(&app.marks));
    assert_eq!(shown, Some(Vec::new()), "no shown row is marked");
}

#[test]
fn new_marks_come_from_news_and_new_only_keeps_them() {
    let mut app = annotated_n01();
    let all = visible_ids(&app);
    let news = NewsMarks {
        subject: "N01".into(),
        since: "the latest index build".into(),
        changes: [("DS-C03".to_string(), "cases grew: 100 → 160".to_string())].into(),
    };
    update(
        &mut app,
        Action::Cycle(CycleOutcome::News(Ok(news.clone()))),
    );
    // News of another subject (a list opened earlier) is not this list's.
    update(
        &mut app,
        Action::Cycle(CycleOutcome::News(Ok(NewsMarks {
            subject: "N02".into(),
            ..news
        }))),
    );
    assert_eq!(
        app.matches
            .as_ref()
            .and_then(|m| m.cycle.news.as_ref())
            .map(|n| n.subject.as_str()),
        Some("N01")
    );
    assert_eq!(visible_ids(&app), all, "marks do not filter by themselves");
    drive(&mut app, [Action::NewOnly]);
    assert_eq!(visible_ids(&app), ["DS-C03"]);
    let text = super::screen_tests::screen(&app);
    assert!(text.contains("[new only]"), "header: {text}");
    assert!(text.contains("↺ + "), "row mark: {text}");
    assert!(
        text.contains("New since the latest index build: cases grew: 100 → 160"),
        "{text}"
    );
    drive(&mut app, [Action::OutreachFilter]);
    assert!(visible_ids(&app).is_empty(), "DS-C03 was contacted");
    let text = super::screen_tests::screen(&app);
    assert!(
        text.contains("[outreach: not contacted · new only]"),
        "{text}"
    );
}

#[test]
fn news_marks_the_candidates_added_by_the_latest_build() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let options = OpenOptions {
        data: None,
        index: Some(dir.path().join("index")),
        force_rebuild: false,
        from_scratch: false,
    };
    let workspace = Workspace::open(&options, &Settings::default(), &|_| {}).expect("sample data");
    let catalog = workspace.catalog().expect("records").clone();
    let mut before = catalog.clone();
    before.datasets.retain(|d| d.id != "DS-C07");
    let mut history = History::default();
    history
        .record_build(&before, "2026-11-01T09:00:00+09:00")
        .expect("a catalog in memory");
    history
        .record_build(&catalog, "2026-11-20T09:00:00+09:00")
        .expect("a catalog in memory");
    let engine = Engine::new(workspace)
        .expect("sample records read")
        .with_history(history);
    let outcome = perform(
        &engine,
        CycleRequest::News {
            subject: Subject::Need("N04".into()),
            id: "N04".into(),
        },
        today(),
    );
    let CycleOutcome::News(Ok(marks)) = outcome else {
        panic!("news: {outcome:?}");
    };
    assert_eq!(marks.since, "the latest index build");
    assert_eq!(
        marks.changes.get("DS-C07").map(String::as_str),
        Some("new record")
    );
    assert_eq!(marks.changes.len(), 1, "{:?}", marks.changes);
}

#[test]
fn enter_in_the_gaps_view_opens_that_subjects_matches() {
    let mut app = loaded_app(80, 24);
    drive(&mut app, [Action::Enter, Action::Gaps]);
    assert_eq!(app.context(), Context::Gaps);
    let (id, count) = match &app.overlay {
        Some(Overlay::Gaps(g)) => (
            g.gaps().get(1).map(|gap| gap.subject.clone()),
            g.gaps().len(),
        ),
        other => panic!("gaps view: {other:?}"),
    };
    assert_eq!(count, 12);
    drive(&mut app, [Action::Down, Action::Enter]);
    assert!(app.overlay.is_none());
    assert_eq!(app.screen, Screen::Matches);
    let target = app.matches.as_ref().map(|m| m.target.clone());
    assert!(
        matches!(&target, Some(MatchTarget::Record { id: got, .. }) if Some(got) == id.as_ref()),
        "{target:?} for {id:?}"
    );
    assert!(app.matches.as_ref().is_some_and(|m| m.report.is_some()));
    // Esc goes back to the Gaps view, the same row selected; Esc again to the search screen.
    drive(&mut app, [Action::Back]);
    assert!(
        matches!(&app.overlay, Some(Overlay::Gaps(g)) if g.selected == 1 && g.report.is_some()),
        "{:?}",
        app.overlay
    );
    drive(&mut app, [Action::Back]);
    assert!(app.overlay.is_none());
    assert_eq!(app.screen, Screen::Search);
    // Esc in the Gaps view itself closes it.
    drive(&mut app, [Action::Gaps, Action::Back]);
    assert!(app.overlay.is_none());
    assert_eq!(app.screen, Screen::Search);
}

#[test]
fn a_search_is_saved_under_a_name_and_reopened_with_what_is_new() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("musubi/watches.json");
    let mut app = loaded_app(80, 24);
    app.saved_searches_file = Some(file.clone());
    type_text(&mut app, "膵がん");
    drive(&mut app, [Action::SaveSearch, Action::Enter]);
    assert!(
        matches!(&app.overlay, Some(Overlay::SavedSearches(SavedSearches::Naming { error: Some(e), .. })) if e == strings::SAVE_NEEDS_NAME),
        "{:?}",
        app.overlay
    );
    assert_eq!(app.context(), Context::SaveSearch);
    type_text(&mut app, "pancreas q");
    drive(&mut app, [Action::Enter]);
    assert!(app.overlay.is_none(), "{:?}", app.overlay);
    let said = app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(said.starts_with("Saved \"pancreas q\" ("), "{said}");
    let saved = Watches::load(&file).expect("file written");
    let watch = saved.get("pancreas q").expect("saved");
    assert_eq!(watch.query, "膵がん");
    assert!(watch
        .seen
        .get("sample-data")
        .is_some_and(|s| s.contains("DS-C01")));

    // The same name again is refused in the prompt.
    drive(&mut app, [Action::SaveSearch]);
    type_text(&mut app, "pancreas q");
    drive(&mut app, [Action::Enter]);
    assert!(
        matches!(&app.overlay, Some(Overlay::SavedSearches(SavedSearches::Naming { error: Some(e), .. })) if e.contains("exists")),
        "{:?}",
        app.overlay
    );
    drive(&mut app, [Action::Back]);

    // Reopened from the list: the query comes back, nothing is new since saving.
    drive(&mut app, [Action::Edit(super::action::Edit::Clear)]);
    assert_eq!(app.query.text(), "");
    drive(&mut app, [Action::SavedSearches]);
    assert_eq!(app.context(), Context::SavedSearches);
    drive(&mut app, [Action::Enter]);
    assert!(app.overlay.is_none());
    assert_eq!(app.query.text(), "膵がん");
    assert_eq!(app.outcome.query, "膵がん");
    let said = app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(said.contains("nothing new since"), "{said}");
    let looked = Watches::load(&file).expect("file");
    assert!(looked
        .get("pancreas q")
        .is_ok_and(|w| w.last_look.is_some()));
}

#[test]
fn without_a_config_directory_the_list_says_so() {
    let mut app = loaded_app(80, 24);
    app.saved_searches_file = None;
    drive(&mut app, [Action::Enter, Action::SavedSearches]);
    assert!(matches!(
        &app.overlay,
        Some(Overlay::SavedSearches(SavedSearches::List { error: Some(e), .. })) if e == strings::SAVED_NO_FILE
    ));
}

#[test]
fn the_cycle_keys_reach_their_views_and_letters_stay_text_in_the_name_box() {
    let press = |code, modifiers| KeyEvent::new(code, modifiers);
    let ctrl_g = press(KeyCode::Char('g'), KeyModifiers::CONTROL);
    assert!(matches!(
        action_for(Context::SearchBox, &ctrl_g),
        Some(Action::Gaps)
    ));
    assert!(matches!(
        action_for(Context::List, &ctrl_g),
        Some(Action::Gaps)
    ));
    let s = press(KeyCode::Char('s'), KeyModifiers::NONE);
    assert!(matches!(
        action_for(Context::Matches, &s),
        Some(Action::OutreachFilter)
    ));
    assert!(matches!(
        action_for(Context::SaveSearch, &s),
        Some(Action::Insert('s'))
    ));
    let n = press(KeyCode::Char('n'), KeyModifiers::NONE);
    assert!(matches!(
        action_for(Context::Matches, &n),
        Some(Action::NewOnly)
    ));
    let ctrl_o = press(KeyCode::Char('o'), KeyModifiers::CONTROL);
    assert!(matches!(
        action_for(Context::List, &ctrl_o),
        Some(Action::SavedSearches)
    ));
}

#[test]
fn news_arriving_under_new_only_keeps_the_selection_on_a_shown_row() {
    let mut app = annotated_n01();
    let marks = |ids: &[&str]| NewsMarks {
        subject: "N01".into(),
        since: "the latest index build".into(),
        changes: ids
            .iter()
            .map(|id| (id.to_string(), "new record".to_string()))
            .collect(),
    };
    update(
        &mut app,
        Action::Cycle(CycleOutcome::News(Ok(marks(&[
            "DS-C01", "DS-C03", "DS-C14",
        ])))),
    );
    drive(&mut app, [Action::NewOnly, Action::Bottom]);
    assert_eq!(visible_ids(&app).len(), 3);
    assert_eq!(app.matches.as_ref().map(|m| m.cursor.selected), Some(2));
    update(
        &mut app,
        Action::Cycle(CycleOutcome::News(Ok(marks(&["DS-C01"])))),
    );
    let selected = app
        .matches
        .as_ref()
        .and_then(|m| m.selected())
        .map(|(_, i)| i.id.clone());
    assert_eq!(selected.as_deref(), Some("DS-C01"));
}

#[test]
fn a_saved_search_is_forgotten_only_when_asked_twice() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("watches.json");
    let mut app = loaded_app(80, 24);
    app.saved_searches_file = Some(file.clone());
    for (query, name) in [("膵がん", "a-pancreas"), ("neuroblastoma", "b-nb")] {
        drive(&mut app, [Action::Edit(super::action::Edit::Clear)]);
        type_text(&mut app, query);
        drive(&mut app, [Action::SaveSearch]);
        type_text(&mut app, name);
        drive(&mut app, [Action::Enter]);
    }
    let names = |file: &std::path::Path| -> Vec<String> {
        Watches::load(file)
            .expect("file")
            .watches
            .keys()
            .cloned()
            .collect()
    };
    assert_eq!(names(&file), ["a-pancreas", "b-nb"]);
    drive(&mut app, [Action::SavedSearches, Action::Forget]);
    let said = app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(said.contains("\"a-pancreas\"? d again"), "{said}");
    // Moving on asks again for the other one; nothing is forgotten yet.
    drive(&mut app, [Action::Down, Action::Forget]);
    assert_eq!(names(&file), ["a-pancreas", "b-nb"]);
    drive(&mut app, [Action::Forget]);
    assert_eq!(names(&file), ["a-pancreas"]);
    let Some(Overlay::SavedSearches(SavedSearches::List { rows, selected, .. })) = &app.overlay
    else {
        panic!("the list stays open: {:?}", app.overlay);
    };
    let rows = rows.as_ref().expect("read again");
    assert_eq!(rows.len(), 1);
    assert_eq!(*selected, 0);
}
