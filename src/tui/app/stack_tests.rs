//! The view stack and the session: Esc comes back to exactly the view a match list replaced,
//! marks survive view changes, `q` with marks asks, the ad-hoc form keeps its values.

use super::*;
use crate::tui::test_support::{drive, loaded_app, type_text};

/// An ad-hoc match list for pancreatic cancer, typed into the form.
fn adhoc_matches() -> App {
    let mut app = loaded_app(80, 24);
    drive(&mut app, [Action::Enter, Action::AdHoc]);
    type_text(&mut app, "膵がん");
    drive(&mut app, [Action::Enter]);
    assert_eq!(app.context(), Context::Matches);
    assert!(app.matches.as_ref().is_some_and(|m| m.report.is_some()));
    app
}

fn selected_match(app: &App) -> Option<String> {
    app.matches
        .as_ref()
        .and_then(|m| m.selected())
        .map(|(_, i)| i.id.clone())
}

#[test]
fn esc_comes_back_to_the_first_matches_with_cursor_and_marks() {
    let mut app = adhoc_matches();
    drive(
        &mut app,
        [Action::ToggleMark, Action::ToggleMark, Action::ToggleMark],
    );
    assert_eq!(app.marks.len(), 3);
    // To the first partner, its details, and its own matches.
    let partner = app
        .matches
        .as_ref()
        .and_then(|m| m.visible().iter().position(|(s, _)| *s == 1))
        .expect("partners");
    drive(&mut app, [Action::Top]);
    drive(&mut app, (0..partner).map(|_| Action::Down));
    let first_cursor = app.matches.as_ref().map(|m| m.cursor);
    let partner_id = selected_match(&app).expect("a partner");
    drive(&mut app, [Action::Enter, Action::Matches]);
    assert_eq!(app.context(), Context::Matches);
    assert_eq!(app.depth(), 2);
    let subject = app
        .matches
        .as_ref()
        .and_then(|m| m.report.as_ref())
        .and_then(|r| r.subject.id.clone());
    assert_eq!(subject.as_deref(), Some(partner_id.as_str()));
    // Marks belong to the session: still three, and a fourth is added here.
    drive(&mut app, [Action::ToggleMark]);
    assert_eq!(app.marks.len(), 4);
    // Esc: the partner's details over the first list, then the first list itself.
    drive(&mut app, [Action::Back]);
    assert_eq!(app.context(), Context::MatchDetail);
    assert_eq!(
        app.detail_record().map(|r| r.id().to_string()),
        Some(partner_id.clone())
    );
    drive(&mut app, [Action::Back]);
    assert_eq!(app.context(), Context::Matches);
    assert!(matches!(
        app.matches.as_ref().map(|m| &m.target),
        Some(MatchTarget::AdHoc(_))
    ));
    assert_eq!(app.matches.as_ref().map(|m| m.cursor), first_cursor);
    assert_eq!(selected_match(&app), Some(partner_id));
    assert_eq!(app.marks.len(), 4);
    // And once more: the search list as it was.
    drive(&mut app, [Action::Back]);
    assert_eq!(app.context(), Context::List);
    assert_eq!(app.depth(), 0);
}

#[test]
fn esc_from_matches_opened_in_the_list_keeps_query_tab_and_cursor() {
    let mut app = loaded_app(80, 24);
    type_text(&mut app, "膵");
    drive(&mut app, [Action::Enter, Action::PrevKind, Action::Down]);
    let before = (app.query.text().to_string(), app.kind, app.cursor());
    drive(&mut app, [Action::Matches]);
    assert_eq!(app.context(), Context::Matches);
    drive(&mut app, [Action::Back]);
    assert_eq!(app.context(), Context::List);
    assert_eq!(
        (app.query.text().to_string(), app.kind, app.cursor()),
        before
    );
}

#[test]
fn q_with_marks_asks_and_a_second_q_quits() {
    let mut app = loaded_app(80, 24);
    drive(&mut app, [Action::Enter, Action::ToggleMark, Action::Quit]);
    assert!(!app.quit);
    assert!(app
        .message
        .as_ref()
        .is_some_and(|m| m.text.contains("1 marked")));
    // Any other key stays.
    drive(&mut app, [Action::Down, Action::Quit]);
    assert!(!app.quit);
    drive(&mut app, [Action::Quit]);
    assert!(app.quit);
    // Ctrl-C never asks.
    let mut app = loaded_app(80, 24);
    drive(
        &mut app,
        [Action::Enter, Action::ToggleMark, Action::QuitNow],
    );
    assert!(app.quit);
}

#[test]
fn the_adhoc_form_reopens_with_its_last_values() {
    let mut app = adhoc_matches();
    drive(&mut app, [Action::Back, Action::AdHoc]);
    let Some(Overlay::AdHoc(form)) = &app.overlay else {
        panic!("form open");
    };
    assert_eq!(form.text.text(), "膵がん");
    // Cancelled with more typed: kept too.
    drive(&mut app, [Action::NextField]);
    type_text(&mut app, "膵臓");
    drive(&mut app, [Action::Back, Action::AdHoc]);
    let Some(Overlay::AdHoc(form)) = &app.overlay else {
        panic!("form open");
    };
    assert_eq!(form.diseases.text(), "膵臓");
    assert_eq!(form.field, 0);
}
