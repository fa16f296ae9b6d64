//! `update` on its own: keys, marks, tabs, references, filters, dialogs.

use super::*;
use crate::tui::listing::natural_key;
use crate::tui::test_support::{drive, loaded_app, type_text};

#[test]
fn japanese_input_moves_by_character_and_searches() {
    let mut app = loaded_app(80, 24);
    assert_eq!(app.context(), Context::SearchBox);
    type_text(&mut app, "膵がん");
    assert_eq!(app.query.cursor(), 3);
    drive(&mut app, [Action::Edit(Edit::Left), Action::Insert('臓')]);
    assert_eq!(app.query.text(), "膵が臓ん");
    drive(&mut app, [Action::Edit(Edit::Backspace)]);
    assert_eq!(app.query.text(), "膵がん");
    assert_eq!(app.outcome.query, "膵がん");
    assert!(app.list_ids().contains(&"DS-C01"));
    assert!(app.list().len() < 38);
}

#[test]
fn a_stale_search_result_is_ignored() {
    let mut app = loaded_app(80, 24);
    type_text(&mut app, "肺");
    let before = app.lists.clone();
    update(
        &mut app,
        Action::SearchDone(SearchOutcome {
            query: "old".into(),
            ..Default::default()
        }),
    );
    assert_eq!(app.lists, before);
}

#[test]
fn tabs_wrap_both_ways() {
    let mut app = loaded_app(80, 24);
    drive(&mut app, [Action::Enter, Action::PrevKind]);
    assert_eq!(app.kind, Kind::Need);
    drive(&mut app, [Action::NextKind, Action::NextKind]);
    assert_eq!(app.kind, Kind::Researcher);
    assert_eq!(app.counts()[1], 43);
}

#[test]
fn space_marks_and_moves_down() {
    let mut app = loaded_app(80, 24);
    drive(
        &mut app,
        [Action::Enter, Action::ToggleMark, Action::ToggleMark],
    );
    assert_eq!(app.marks.len(), 2);
    assert!(app.marks.contains("DS-C01") && app.marks.contains("DS-C02"));
    drive(&mut app, [Action::Up, Action::ToggleMark]);
    assert!(!app.marks.contains("DS-C02"));
    let reports = app.export_reports();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].datasets.len(), 1);
}

#[test]
fn references_are_followed_and_esc_comes_back() {
    let mut app = loaded_app(80, 24);
    drive(&mut app, [Action::Enter, Action::Enter]);
    assert_eq!(app.context(), Context::Detail);
    assert_eq!(
        app.detail_record().map(|r| r.id().to_string()),
        Some("DS-C01".into())
    );
    drive(&mut app, [Action::Enter]);
    assert_eq!(
        app.detail_record().map(|r| r.id().to_string()),
        Some("ORG-ACA-03".into())
    );
    assert_eq!(app.detail.stack.len(), 1);
    drive(&mut app, [Action::Back]);
    assert_eq!(
        app.detail_record().map(|r| r.id().to_string()),
        Some("DS-C01".into())
    );
    drive(&mut app, [Action::Back]);
    assert_eq!(app.context(), Context::List);
}

#[test]
fn filters_narrow_the_lists_and_clear() {
    let mut app = loaded_app(80, 24);
    drive(&mut app, [Action::Enter, Action::ToggleFilters]);
    let before = app.counts();
    assert_eq!(app.filter_facet, Facet::Area);
    let rare = app
        .filter_rows
        .iter()
        .position(|r| r.value == "rare_disease")
        .expect("area facet");
    let count = app.filter_rows[rare].count;
    app.filter_cursor.selected = rare;
    drive(&mut app, [Action::ToggleMark]);
    assert_eq!(app.counts()[0], 18, "rare-disease datasets");
    assert_eq!(count, 18, "the panel counts the tab shown");
    // Organisations have no area: the filter leaves their tab alone.
    assert_eq!(app.counts()[2], before[2]);
    assert!(app.counts()[1] < before[1]);
    drive(&mut app, [Action::ClearFilters]);
    assert_eq!(app.counts(), before);
}

#[test]
fn facet_counts_follow_the_tab_and_query_and_data_use_only_on_datasets() {
    let mut app = loaded_app(80, 24);
    type_text(&mut app, "がん");
    drive(&mut app, [Action::Enter]);
    while app.kind != Kind::Proposal {
        drive(&mut app, [Action::NextKind]);
    }
    drive(&mut app, [Action::ToggleFilters]);
    for _ in 0..8 {
        if app.filter_facet == Facet::Area {
            break;
        }
        drive(&mut app, [Action::NextField]);
    }
    let cancer = app
        .filter_rows
        .iter()
        .find(|r| r.value == "cancer")
        .map(|r| r.count)
        .expect("cancer among the proposals");
    let data = app.data.clone().expect("loaded");
    let expected = app
        .list()
        .iter()
        .filter(|f| {
            data.facets_of(data.id_of(f))
                .contains(&(Facet::Area, "cancer".to_string()))
        })
        .count();
    assert_eq!(cancer, expected);
    assert!(cancer <= app.list().len());
    let mut seen = vec![app.filter_facet];
    for _ in 0..8 {
        drive(&mut app, [Action::NextField]);
        seen.push(app.filter_facet);
    }
    assert!(seen.contains(&Facet::Status));
    assert!(!seen.contains(&Facet::DataUse), "no data use on proposals");
}

#[test]
fn slash_in_the_filters_narrows_the_values() {
    let mut app = loaded_app(80, 24);
    drive(
        &mut app,
        [Action::Enter, Action::ToggleFilters, Action::NextField],
    );
    assert_eq!(app.filter_facet, Facet::DiseaseGroup);
    let all = app.filter_rows.len();
    drive(&mut app, [Action::FocusSearch]);
    assert_eq!(app.context(), Context::FilterFind);
    type_text(&mut app, "肺");
    assert!(!app.filter_rows.is_empty() && app.filter_rows.len() < all);
    assert!(app.filter_rows.iter().all(|r| r.value.contains('肺')));
    drive(&mut app, [Action::Enter, Action::ToggleMark]);
    assert_eq!(app.context(), Context::Filters);
    assert_eq!(app.active_filters.len(), 1);
    drive(&mut app, [Action::FocusSearch, Action::Back]);
    assert_eq!(app.filter_rows.len(), all);
}

#[test]
fn the_filter_cursor_stays_in_view_while_scrolling() {
    let mut app = loaded_app(80, 24);
    drive(
        &mut app,
        [Action::Enter, Action::ToggleFilters, Action::NextField],
    );
    let h = app.filter_height();
    assert!(app.filter_rows.len() > h + 5, "a long facet");
    for _ in 0..h + 5 {
        drive(&mut app, [Action::Down]);
        let c = app.filter_cursor;
        assert!(c.selected >= c.offset && c.selected < c.offset + h, "{c:?}");
    }
}

#[test]
fn datasets_have_no_match_list() {
    let mut app = loaded_app(80, 24);
    drive(&mut app, [Action::Enter, Action::Matches]);
    assert_eq!(app.screen, Screen::Search);
    assert!(app.message.as_ref().is_some_and(|m| m.error));
}

fn n03_matches() -> App {
    need_matches("N03")
}

/// The match list of a need, opened with `m` on the Needs tab.
fn need_matches(need: &str) -> App {
    let mut app = loaded_app(80, 24);
    drive(&mut app, [Action::Enter, Action::PrevKind]);
    let index = app
        .list_ids()
        .iter()
        .position(|id| *id == need)
        .expect("need listed");
    drive(&mut app, (0..index).map(|_| Action::Down));
    drive(&mut app, [Action::Matches]);
    app
}

#[test]
fn blocked_matches_toggle_and_marks_export_only_the_marked() {
    // N01 is commercial (its owner is in the industry forum): NCU datasets are blocked.
    let mut app = need_matches("N01");
    let m = app.matches.as_ref().expect("matches open");
    let hidden = m.visible().len();
    assert!(m.visible().iter().all(|(_, i)| i.blocked.is_none()));
    drive(&mut app, [Action::ToggleBlocked]);
    let shown = app.matches.as_ref().map(|m| m.visible().len()).unwrap_or(0);
    assert!(shown > hidden);
    drive(
        &mut app,
        [
            Action::ToggleBlocked,
            Action::ToggleMark,
            Action::ToggleMark,
        ],
    );
    let reports = app.export_reports();
    assert_eq!(reports.iter().map(MatchReport::len).sum::<usize>(), 2);
    assert_eq!(reports[0].subject.id.as_deref(), Some("N01"));
}

#[test]
fn export_dialog_names_follow_the_format_until_edited() {
    let mut app = n03_matches();
    drive(&mut app, [Action::Export]);
    let name = |app: &App| match &app.overlay {
        Some(Overlay::Export(d)) => d.name.text().to_string(),
        _ => String::new(),
    };
    assert_eq!(name(&app), "musubi-matches-N03-2026-11-26.csv");
    drive(&mut app, [Action::NextField, Action::Insert(' ')]);
    assert_eq!(name(&app), "musubi-matches-N03-2026-11-26.md");
    drive(&mut app, [Action::NextField, Action::Edit(Edit::Clear)]);
    type_text(&mut app, "会議メモ.xlsx");
    drive(&mut app, [Action::PrevField, Action::Insert(' ')]);
    assert_eq!(name(&app), "会議メモ.xlsx");
    drive(&mut app, [Action::Back]);
    assert!(app.overlay.is_none());
}

#[test]
fn an_export_to_an_existing_file_asks_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = n03_matches();
    app.export_dir = dir.path().to_path_buf();
    drive(
        &mut app,
        [Action::ToggleMark, Action::Export, Action::Enter],
    );
    assert!(app
        .message
        .as_ref()
        .is_some_and(|m| m.text.starts_with("Exported 1 row(s)")));
    let path = dir.path().join("musubi-matches-N03-2026-11-26.csv");
    let first = std::fs::read(&path).expect("written");
    drive(
        &mut app,
        [Action::ToggleMark, Action::Export, Action::Enter],
    );
    assert!(matches!(&app.overlay, Some(Overlay::Export(d)) if d.confirm_overwrite));
    drive(&mut app, [Action::Enter]);
    assert!(app.overlay.is_none());
    assert_ne!(std::fs::read(&path).expect("rewritten"), first);
}

#[test]
fn adhoc_need_is_checked_then_matched() {
    let mut app = loaded_app(80, 24);
    drive(&mut app, [Action::Enter, Action::AdHoc, Action::Enter]);
    assert!(
        matches!(&app.overlay, Some(Overlay::AdHoc(f)) if f.error == Some(strings::ADHOC_NEEDS_TEXT))
    );
    type_text(&mut app, "膵がん 早期発見");
    drive(
        &mut app,
        [Action::NextField, Action::NextField, Action::NextField],
    );
    type_text(&mut app, "many");
    drive(&mut app, [Action::Enter]);
    assert!(
        matches!(&app.overlay, Some(Overlay::AdHoc(f)) if f.error == Some(strings::ADHOC_BAD_CASES))
    );
    drive(&mut app, [Action::Edit(Edit::Clear)]);
    type_text(&mut app, "100");
    // Requester, then the commercial choice: not stated → commercial.
    drive(
        &mut app,
        [
            Action::NextField,
            Action::NextField,
            Action::Space,
            Action::Enter,
        ],
    );
    assert_eq!(app.screen, Screen::Matches);
    let m = app.matches.as_ref().expect("matches");
    match &m.target {
        MatchTarget::AdHoc(input) => {
            assert_eq!(input.min_cases, Some(100));
            assert_eq!(input.commercial, Some(true));
            assert_eq!(input.requester, None);
        }
        other => panic!("{other:?}"),
    }
    let report = m.report.as_ref().expect("matched");
    assert!(report.subject.commercial);
    assert!(!report.datasets.is_empty());
}

fn adhoc_form(app: &App) -> Option<&AdHocForm> {
    match &app.overlay {
        Some(Overlay::AdHoc(f)) => Some(f),
        _ => None,
    }
}

#[test]
fn adhoc_requester_completes_by_name_and_decides_consent() {
    let mut app = loaded_app(80, 24);
    drive(&mut app, [Action::Enter, Action::AdHoc]);
    type_text(&mut app, "pancreatic cancer tumour genomes");
    drive(&mut app, [Action::NextField]);
    type_text(&mut app, "膵がん");
    drive(&mut app, (0..3).map(|_| Action::NextField));
    assert_eq!(adhoc_form(&app).map(|f| f.field), Some(ADHOC_REQUESTER));
    // The industry-forum company, by a part of its name.
    type_text(&mut app, "蒼海");
    let suggestions = adhoc_form(&app)
        .map(|f| f.suggestions.clone())
        .unwrap_or_default();
    assert_eq!(
        suggestions.first().map(|(id, _)| id.as_str()),
        Some("ORG-IND-01"),
        "{suggestions:?}"
    );
    // The commercial choice starts at "not stated".
    assert_eq!(adhoc_form(&app).map(|f| f.commercial), Some(None));
    drive(&mut app, [Action::Enter]);
    let m = app.matches.as_ref().expect("matches");
    let MatchTarget::AdHoc(input) = &m.target else {
        panic!("ad-hoc target")
    };
    assert_eq!(input.requester.as_deref(), Some("ORG-IND-01"));
    let report = m.report.as_ref().expect("matched");
    assert_eq!(report.subject.requester_id.as_deref(), Some("ORG-IND-01"));
    assert!(report.subject.commercial);
    let c02 = report
        .datasets
        .iter()
        .find(|d| d.id == "DS-C02")
        .expect("listed (hidden in the view)");
    assert!(c02.is_blocked());
    assert!(m.visible().iter().all(|(_, i)| i.id != "DS-C02"));
}

#[test]
fn adhoc_unknown_requester_is_refused_in_the_form() {
    let mut app = loaded_app(80, 24);
    drive(&mut app, [Action::Enter, Action::AdHoc]);
    type_text(&mut app, "膵がん");
    drive(&mut app, (0..4).map(|_| Action::NextField));
    type_text(&mut app, "nobody at all");
    drive(&mut app, [Action::Enter]);
    let form = adhoc_form(&app).expect("form stays open");
    assert_eq!(form.error, Some(strings::ADHOC_UNKNOWN_REQUESTER));
    assert_eq!(form.field, ADHOC_REQUESTER);
    assert_eq!(app.screen, Screen::Search);
}

#[test]
fn marking_a_blocked_dataset_asks_and_exporting_leaves_it_out_unless_included() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = need_matches("N01");
    app.export_dir = dir.path().to_path_buf();
    drive(&mut app, [Action::ToggleBlocked]);
    let blocked_at = app
        .matches
        .as_ref()
        .and_then(|m| m.visible().iter().position(|(_, i)| i.is_blocked()))
        .expect("a blocked dataset shown");
    drive(&mut app, (0..blocked_at).map(|_| Action::Down));
    drive(&mut app, [Action::ToggleMark]);
    assert!(app.marks.is_empty(), "not marked before the answer");
    assert!(app
        .message
        .as_ref()
        .is_some_and(|msg| msg.error && msg.text.contains("is not offered")));
    drive(&mut app, [Action::ToggleMark]);
    assert_eq!(app.marks.len(), 1);
    // Mark an allowed one too (the first row), then export.
    drive(&mut app, [Action::Top, Action::ToggleMark, Action::Export]);
    let dialog = match &app.overlay {
        Some(Overlay::Export(d)) => d.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!((dialog.rows, dialog.blocked_rows), (2, 1));
    assert!(!dialog.include_blocked, "the question starts at leave out");
    assert_eq!(dialog.rows_written(), 1);
    drive(&mut app, [Action::Enter]);
    let said = app.message.clone().expect("a message");
    assert!(said.text.contains("left out 1 dataset(s)"), "{}", said.text);
    let path = dir.path().join("musubi-matches-N01-2026-11-26.csv");
    let csv = std::fs::read_to_string(&path).expect("written");
    assert_eq!(csv.lines().count(), 2, "header and the allowed row: {csv}");
    // Included on request: verdict and rule, no custodian contact.
    drive(&mut app, [Action::Export]);
    drive(&mut app, [Action::NextField, Action::NextField]);
    assert!(matches!(&app.overlay, Some(Overlay::Export(d)) if d.field == ExportField::Blocked));
    drive(
        &mut app,
        [Action::Insert('y'), Action::Enter, Action::Enter],
    );
    let csv = std::fs::read_to_string(&path).expect("rewritten");
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(csv.contains(",blocked,"), "{csv}");
}

#[test]
fn clicks_pick_tabs_and_rows() {
    let mut app = loaded_app(100, 30);
    // " Datasets 38 │ Researchers 43 │": column 16 is on the second tab.
    drive(&mut app, [Action::Click { column: 16, row: 0 }]);
    assert_eq!(app.kind, Kind::Researcher);
    let list = layout::inner(layout::search(app.size).list);
    drive(
        &mut app,
        [Action::Click {
            column: list.x + 2,
            row: list.y + 3,
        }],
    );
    assert_eq!(app.cursor().selected, 3);
    assert_eq!(app.context(), Context::List);
    drive(
        &mut app,
        [Action::Scroll {
            column: list.x,
            row: list.y,
            down: true,
        }],
    );
    assert_eq!(app.cursor().selected, 6);
}

#[test]
fn page_keys_keep_the_selection_visible() {
    let mut app = loaded_app(80, 24);
    drive(
        &mut app,
        [Action::Enter, Action::PageDown, Action::PageDown],
    );
    let height = layout::inner(layout::search(app.size).list).height as usize;
    let c = app.cursor();
    assert_eq!(c.selected, 2 * height);
    assert!(c.selected >= c.offset && c.selected < c.offset + height);
    drive(&mut app, [Action::Bottom]);
    assert_eq!(app.cursor().selected, 37);
    drive(&mut app, [Action::Top]);
    assert_eq!(app.cursor(), ListCursor::default());
}

#[test]
fn help_opens_and_closes_and_q_quits() {
    let mut app = loaded_app(80, 24);
    drive(&mut app, [Action::Enter, Action::ToggleHelp]);
    assert_eq!(app.context(), Context::Help);
    drive(&mut app, [Action::Back]);
    assert_eq!(app.context(), Context::List);
    drive(&mut app, [Action::Quit]);
    assert!(app.quit);
}

#[test]
fn o_logs_the_selected_match_as_contacted_and_the_list_shows_it() {
    use crate::tui::engine::Engine;
    use crate::workspace::{OpenOptions, Workspace};
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("outreach.jsonl");
    let options = OpenOptions {
        data: None,
        index: Some(dir.path().join("index")),
        force_rebuild: false,
        from_scratch: false,
    };
    let workspace = Workspace::open(&options, &crate::config::Settings::default(), &|_| {})
        .expect("sample data opens");
    let engine = Engine::with_log(workspace, Some(log.clone()), "tester".into())
        .expect("sample records read");
    let mut app = need_matches("N01");
    // Without a log the key says so (the shared test engine has none).
    drive(&mut app, [Action::LogContacted]);
    assert!(app
        .message
        .as_ref()
        .is_some_and(|m| m.error && m.text == strings::NO_OUTREACH_LOG));
    let first = app
        .matches
        .as_ref()
        .and_then(|m| m.selected())
        .map(|(_, i)| i.id.clone())
        .expect("a match selected");
    update(&mut app, Action::LogContacted);
    engine.perform(&mut app);
    assert!(app
        .message
        .as_ref()
        .is_some_and(|m| m.text.starts_with("Logged 1 match(es)")));
    let note = app
        .matches
        .as_ref()
        .and_then(|m| m.selected())
        .and_then(|(_, i)| i.outreach.clone())
        .expect("the log's word on the match");
    assert_eq!(note.status, "contacted");
    assert_eq!(note.last_contacted_by, "tester");
    let logged = crate::outreach::read(&log).expect("log reads");
    assert_eq!(logged.entries.len(), 1);
    assert_eq!(logged.entries[0].subject, "N01");
    assert_eq!(logged.entries[0].candidate, first);
}

#[test]
fn without_a_query_ids_are_in_natural_order() {
    let mut app = loaded_app(80, 24);
    drive(&mut app, [Action::Enter, Action::PrevKind]);
    let ids: Vec<&str> = app.list_ids();
    assert_eq!(&ids[..3], ["N01", "N02", "N03"]);
    let n9 = ids.iter().position(|i| *i == "N09");
    let n17 = ids.iter().position(|i| *i == "N17");
    assert!(n9 < n17, "N09 before N17");
    assert!(natural_key("N2") < natural_key("N10"));
    assert!(natural_key("DS-C02") < natural_key("DS-R01"));
}

#[test]
fn an_empty_tab_points_at_the_tab_with_hits_and_enter_goes_there() {
    let mut app = loaded_app(80, 24);
    type_text(&mut app, "N01");
    assert_eq!(app.kind, Kind::Dataset);
    assert!(app.list().is_empty(), "no dataset is N01");
    assert_eq!(app.other_tab_with_hits().map(|(k, _)| k), Some(Kind::Need));
    drive(&mut app, [Action::Enter]);
    assert_eq!(app.kind, Kind::Need);
    assert_eq!(app.context(), Context::List);
    assert_eq!(app.selected_id(), Some("N01"));
}

#[test]
fn need_details_name_the_owner_once_and_say_the_commercial_decision() {
    let app = loaded_app(80, 24);
    let data = app.data.clone().expect("loaded");
    let need = data.record("N01").expect("N01");
    let fields = crate::tui::views::detail::fields(&data, need);
    let owner = fields.iter().find(|(k, _)| *k == "Owner").map(|(_, v)| v);
    assert_eq!(
        owner.map(String::as_str),
        Some(""),
        "shown under References"
    );
    assert!(data.links(need).iter().any(|l| l.id == "ORG-IND-01"));
    let commercial = fields
        .iter()
        .find(|(k, _)| *k == "Commercial")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    assert!(commercial.starts_with("commercial ("), "{commercial}");
    assert!(commercial.contains("industry forum"), "{commercial}");
}

#[test]
fn pasting_while_narrowing_the_filters_narrows_them() {
    let mut app = loaded_app(80, 24);
    drive(
        &mut app,
        [
            Action::Enter,
            Action::ToggleFilters,
            Action::NextField,
            Action::FocusSearch,
            Action::Paste("肺".into()),
        ],
    );
    assert_eq!(app.filter_find.text(), "肺");
    assert_eq!(app.query.text(), "");
    assert!(app.filter_rows.iter().all(|r| r.value.contains('肺')));
}
