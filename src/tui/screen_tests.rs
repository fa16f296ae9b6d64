//! Snapshot tests of every screen through ratatui's `TestBackend`, on the sample data, at
//! 80×24 and larger, Japanese text included.

use super::action::Action;
use super::app::{App, LoadState};
use super::test_support::{drive, loaded_app, type_text};
use super::theme::Theme;
use super::views;
use crate::model::Kind;
use crate::workspace::Progress;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::Terminal;

/// The screen as text, one line per row; the blank cell after a full-width character is
/// dropped so Japanese reads as typed.
pub fn screen(app: &App) -> String {
    let backend = TestBackend::new(app.size.width, app.size.height);
    let mut terminal = Terminal::new(backend).expect("test terminal");
    terminal
        .draw(|f| views::draw(f, app, &Theme::colorless()))
        .expect("draw");
    let buffer = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut skip = 0;
        for x in 0..buffer.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            out.push_str(symbol);
            skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
        }
        out.push('\n');
    }
    out
}

fn rows_fit(text: &str, width: usize) {
    for line in text.lines() {
        assert!(
            unicode_width::UnicodeWidthStr::width(line) <= width,
            "row wider than the screen: {line}"
        );
    }
}

#[test]
fn loading_screen() {
    let mut app = App::new(
        Rect::new(0, 0, 80, 24),
        "/tmp".into(),
        super::test_support::today(),
    );
    super::app::update(
        &mut app,
        Action::Progress(Progress::Indexing { records: 160 }),
    );
    let text = screen(&app);
    assert!(text.contains("Indexing 160 records…"));
    insta::assert_snapshot!(text);
}

#[test]
fn load_failure_screen() {
    let mut app = App::new(
        Rect::new(0, 0, 80, 24),
        "/tmp".into(),
        super::test_support::today(),
    );
    super::app::update(
        &mut app,
        Action::LoadFailed("data/needs.toml:3: `text` is required".into()),
    );
    assert!(matches!(app.load, LoadState::Failed(_)));
    let text = screen(&app);
    assert!(text.contains("needs.toml:3"));
    insta::assert_snapshot!(text);
}

#[test]
fn search_list_with_detail_80x24() {
    let app = loaded_app(80, 24);
    let text = screen(&app);
    rows_fit(&text, 80);
    assert!(text.contains("Datasets 38"));
    assert!(text.contains("DS-C01"));
    insta::assert_snapshot!(text);
}

#[test]
fn japanese_query_80x24() {
    let mut app = loaded_app(80, 24);
    type_text(&mut app, "小児がん");
    let text = screen(&app);
    rows_fit(&text, 80);
    assert!(text.contains("小児がん"));
    // Neuroblastoma has only an English title: reached through the vocabulary.
    assert!(text.contains("DS-C07"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn english_query_with_need_detail_120x36() {
    let mut app = loaded_app(120, 36);
    type_text(&mut app, "pancreatic");
    drive(&mut app, [Action::Enter]);
    while app.kind != Kind::Need {
        drive(&mut app, [Action::NextKind]);
    }
    drive(&mut app, [Action::Enter]);
    let text = screen(&app);
    rows_fit(&text, 120);
    assert!(text.contains("References"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn filters_panel_80x24() {
    let mut app = loaded_app(80, 24);
    drive(&mut app, [Action::Enter, Action::ToggleFilters]);
    let text = screen(&app);
    assert!(text.contains("Filters"));
    assert!(text.contains("Area"));
    insta::assert_snapshot!(text);
}

#[test]
fn the_filter_panel_stays_while_narrowing_its_values() {
    let mut app = loaded_app(80, 24);
    drive(
        &mut app,
        [
            Action::Enter,
            Action::ToggleFilters,
            Action::NextField,
            Action::FocusSearch,
        ],
    );
    type_text(&mut app, "肺");
    let text = screen(&app);
    assert!(text.contains("◀ Disease group"), "{text}");
    assert!(text.contains("/肺"), "{text}");
    let first = &app.filter_rows[0].value;
    assert!(text.contains(first.as_str()), "{first} listed:\n{text}");
}

#[test]
fn the_selected_filter_value_is_on_screen_after_scrolling() {
    let mut app = loaded_app(80, 24);
    drive(
        &mut app,
        [Action::Enter, Action::ToggleFilters, Action::NextField],
    );
    let steps = app.filter_height() + 3;
    drive(&mut app, (0..steps).map(|_| Action::Down));
    let value = app.filter_rows[app.filter_cursor.selected].value.clone();
    let text = screen(&app);
    // The last row of the panel (above its bottom border and the status line) is the selection.
    let rows: Vec<&str> = text.lines().collect();
    let last_panel_row = rows[rows.len() - 3];
    let shown = crate::width::truncate_to_width(&value, 10);
    assert!(
        last_panel_row.contains(shown.trim_end_matches('…')),
        "{value} not on the panel's last row:\n{text}"
    );
}

/// The match list of a need, opened with `m` from the Needs tab.
pub fn matches_app(width: u16, height: u16, need: &str) -> App {
    let mut app = loaded_app(width, height);
    drive(&mut app, [Action::Enter]);
    while app.kind != Kind::Need {
        drive(&mut app, [Action::NextKind]);
    }
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
fn matches_view_80x24() {
    let app = matches_app(80, 24, "N01");
    let text = screen(&app);
    rows_fit(&text, 80);
    assert!(text.contains("Matches: "));
    assert!(text.contains("Datasets ("));
    assert!(text.contains("blocked hidden"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn matches_view_with_blocked_shown_120x36() {
    let mut app = matches_app(120, 36, "N01");
    drive(&mut app, [Action::ToggleBlocked]);
    while app
        .matches
        .as_ref()
        .and_then(|m| m.selected())
        .is_some_and(|(_, i)| i.blocked.is_none())
    {
        let before = app.matches.as_ref().map(|m| m.cursor.selected);
        drive(&mut app, [Action::Down]);
        if app.matches.as_ref().map(|m| m.cursor.selected) == before {
            break;
        }
    }
    let text = screen(&app);
    assert!(text.contains("blocked shown"));
    assert!(text.contains("Blocked (NCU): "), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn export_dialog_80x24() {
    let mut app = matches_app(80, 24, "N03");
    drive(
        &mut app,
        [Action::ToggleMark, Action::ToggleMark, Action::Export],
    );
    let text = screen(&app);
    assert!(text.contains("musubi-matches-N03-2026-11-26.csv"), "{text}");
    assert!(text.contains("2 row(s)"));
    insta::assert_snapshot!(text);
}

#[test]
fn adhoc_form_80x24() {
    let mut app = matches_app(80, 24, "N03");
    drive(&mut app, [Action::AdHoc]);
    type_text(&mut app, "膵がんの早期発見 cfDNA");
    drive(&mut app, [Action::NextField]);
    type_text(&mut app, "膵がん");
    let text = screen(&app);
    assert!(text.contains("膵がんの早期発見 cfDNA"));
    insta::assert_snapshot!(text);
}

#[test]
fn help_overlay_80x24() {
    let mut app = loaded_app(80, 24);
    drive(&mut app, [Action::Enter, Action::ToggleHelp]);
    let text = screen(&app);
    assert!(text.contains("Keys"));
    assert!(text.contains("matches"));
    insta::assert_snapshot!(text);
}

#[test]
fn resizing_to_a_tiny_screen_draws_without_panicking() {
    let mut app = loaded_app(120, 36);
    for (w, h) in [(80, 24), (20, 5), (1, 1), (100, 30)] {
        drive(
            &mut app,
            [Action::Resize {
                width: w,
                height: h,
            }],
        );
        let text = screen(&app);
        rows_fit(&text, w as usize);
    }
}

/// The app with the Gaps view open over the sample data.
fn gaps_app(width: u16, height: u16) -> App {
    let mut app = loaded_app(width, height);
    drive(&mut app, [Action::Enter, Action::Gaps]);
    app
}

#[test]
fn gaps_view_80x24() {
    let app = gaps_app(80, 24);
    let text = screen(&app);
    rows_fit(&text, 80);
    assert!(text.contains("Gaps: "), "{text}");
    assert!(
        text.contains("needs and proposals without a good dataset"),
        "{text}"
    );
    assert!(text.contains("Enter its matches"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn gaps_view_140x45() {
    let mut app = gaps_app(140, 45);
    drive(&mut app, [Action::Down, Action::Down]);
    let text = screen(&app);
    rows_fit(&text, 140);
    for category in ["all blocked", "too few cases"] {
        assert!(text.contains(category), "{category}: {text}");
    }
    insta::assert_snapshot!(text);
}

/// The app with the saved-search list open, over a file of two saved searches: one whose
/// hits were all seen, one saved over an empty catalog (every hit new).
fn saved_searches_app(width: u16, height: u16, dir: &std::path::Path) -> App {
    use crate::search::{search, SearchRequest};
    use crate::watch::{Watch, Watches};
    let engine = super::test_support::engine();
    let watch = |query: &str, created: &str| Watch {
        query: query.into(),
        kind: None,
        created: created.into(),
        last_look: None,
        seen: Default::default(),
    };
    let hits = |query: &str| -> Vec<String> {
        let request = SearchRequest {
            query: query.into(),
            kind: None,
            limit: 10_000,
        };
        search(engine.index(), engine.data.vocabulary.as_ref(), &request)
            .expect("search")
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect()
    };
    let mut watches = Watches::default();
    watches
        .add(
            "膵がん",
            watch("膵がん", "2026-11-01T09:00:00+09:00"),
            "sample-data",
            hits("膵がん"),
        )
        .expect("first");
    watches
        .add(
            "neuroblastoma",
            watch("neuroblastoma", "2026-10-15T14:30:00+09:00"),
            "sample-data",
            Vec::new(),
        )
        .expect("second");
    let file = dir.join("watches.json");
    watches.save(&file).expect("saved");
    let mut app = loaded_app(width, height);
    app.saved_searches_file = Some(file);
    drive(&mut app, [Action::SavedSearches]);
    app
}

#[test]
fn saved_search_list_80x24() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let app = saved_searches_app(80, 24, dir.path());
    let text = screen(&app);
    rows_fit(&text, 80);
    assert!(text.contains("Saved searches"), "{text}");
    assert!(
        text.contains("膵がん  \"膵がん\"  0 new since 2026-11-01 09:00"),
        "{text}"
    );
    assert!(text.contains("Enter search again"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn saved_search_list_140x45() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let app = saved_searches_app(140, 45, dir.path());
    let text = screen(&app);
    rows_fit(&text, 140);
    assert!(text.contains("new since 2026-10-15 14:30"), "{text}");
    assert!(text.contains("DS-C07"), "the new hits are listed: {text}");
    insta::assert_snapshot!(text);
}

/// Cells where a double-width character runs into a vertical border drawn right after it (the
/// terminal would draw the character over the border).
fn broken_borders(app: &App) -> Vec<(u16, u16)> {
    let backend = TestBackend::new(app.size.width, app.size.height);
    let mut terminal = Terminal::new(backend).expect("test terminal");
    terminal
        .draw(|f| views::draw(f, app, &Theme::colorless()))
        .expect("draw");
    let buffer = terminal.backend().buffer().clone();
    let mut broken = Vec::new();
    for y in 0..buffer.area.height {
        for x in 1..buffer.area.width {
            let border = matches!(buffer[(x, y)].symbol(), "│" | "┃" | "┏" | "┗" | "┓" | "┛");
            let wide = unicode_width::UnicodeWidthStr::width(buffer[(x - 1, y)].symbol()) > 1;
            if border && wide {
                broken.push((x, y));
            }
        }
    }
    broken
}

/// Japanese results under every overlay, at both sizes: borders whole, rows within the
/// screen, and a snapshot of each.
#[test]
fn overlays_over_japanese_text_keep_their_borders() {
    for (width, height) in [(80u16, 24u16), (140, 45)] {
        let base = || {
            let mut app = loaded_app(width, height);
            type_text(&mut app, "がん");
            drive(&mut app, [Action::Enter]);
            app
        };
        let mut help = base();
        drive(&mut help, [Action::ToggleHelp]);
        let mut export = base();
        drive(&mut export, [Action::Export]);
        let mut adhoc = base();
        drive(&mut adhoc, [Action::AdHoc]);
        type_text(&mut adhoc, "小児がんの全ゲノム");
        let mut detail = matches_app(width, height, "N01");
        drive(&mut detail, [Action::Enter]);
        for (name, app) in [
            ("help", help),
            ("export", export),
            ("adhoc", adhoc),
            ("match_detail", detail),
        ] {
            let text = screen(&app);
            rows_fit(&text, width as usize);
            assert_eq!(
                broken_borders(&app),
                [],
                "{name} at {width}x{height}:\n{text}"
            );
            insta::assert_snapshot!(format!("overlay_{name}_{width}x{height}"), text);
        }
    }
}

#[test]
fn filters_wait_for_the_facet_values_and_say_so() {
    let sample = &super::test_support::engine().data;
    let data = std::sync::Arc::new(super::data::Data::without_facets(
        sample.catalog.clone(),
        sample.vocabulary.clone(),
        sample.source.clone(),
        0,
    ));
    let mut app = App::new(
        Rect::new(0, 0, 100, 30),
        std::path::PathBuf::from("/tmp/musubi-exports"),
        super::test_support::today(),
    );
    drive(&mut app, [Action::Loaded(data.clone())]);
    let every = app.counts();
    assert_eq!(every[0], 38, "every dataset listed without facet values");
    drive(&mut app, [Action::Enter, Action::ToggleFilters]);
    assert!(app.filter_rows.is_empty());
    assert!(screen(&app).contains("Counting filter values…"));
    // A filter on (restored from a session) lists nothing it might not pass until then.
    app.active_filters
        .insert((crate::facets::Facet::Area, "rare_disease".to_string()));
    app.refresh_lists();
    assert_eq!(app.counts()[0], 0);
    assert_eq!(app.counts()[2], every[2], "no area on organisations");
    // Should working them out fail, the app says so and stops saying it is counting.
    let mut failed = app.clone();
    drive(
        &mut failed,
        [Action::FacetsFailed("internal error: x".into())],
    );
    assert!(!failed.facets_pending());
    let text = screen(&failed);
    assert!(text.contains("The filter values could not be worked out"));
    assert!(!text.contains("Counting filter values…"));
    assert_eq!(
        failed.counts()[0],
        0,
        "still nothing the filter might not pass"
    );
    data.facet_index();
    drive(&mut app, [Action::FacetsReady]);
    assert_eq!(app.counts()[0], 18, "rare-disease datasets");
    assert!(app.filter_rows.iter().any(|r| r.value == "rare_disease"));
    assert!(!screen(&app).contains("Counting filter values…"));
}

#[test]
fn preview_while_the_records_are_read_80x24() {
    let sample = &super::test_support::engine().data;
    let mut app = App::new(
        Rect::new(0, 0, 80, 24),
        "/tmp".into(),
        super::test_support::today(),
    );
    let preview = super::preview::Preview::of(&sample.catalog, Kind::Dataset, 200);
    drive(&mut app, [Action::Preview(std::sync::Arc::new(preview))]);
    let text = screen(&app);
    rows_fit(&text, 80);
    // The same counts and first rows as the loaded list's.
    let loaded = screen(&loaded_app(80, 24));
    assert_eq!(text.lines().next(), loaded.lines().next(), "the tab bar");
    for id in ["DS-C01", "DS-C02", "DS-C03"] {
        let row = |s: &str| {
            s.lines()
                .find(|l| l.contains(id))
                .map(|l| l.split('│').nth(1).map(|cell| cell.trim().to_string()))
        };
        assert!(row(&text).is_some(), "{id} in the preview");
        assert_eq!(row(&text), row(&loaded), "{id}'s row");
    }
    assert!(text.contains("Reading 160 records…"));
    assert!(text.contains("what you type now is kept"));
    insta::assert_snapshot!(text);
    // Keys typed meanwhile show in the box; a restored query says its results come later.
    app.typed_ahead = super::preview::TypedAhead {
        keys: 2,
        text: Some("膵が".into()),
    };
    assert!(screen(&app).contains("┃膵が"));
    app.typed_ahead.text = None;
    assert!(screen(&app).contains("2 key(s) kept"));
    app.typed_ahead = Default::default();
    // A restored query (or filters): no rows, since the preview was made without them.
    app.restore = Some(super::session::Session {
        query: "肺がん".into(),
        ..Default::default()
    });
    let without_rows = super::preview::Preview::of(&sample.catalog, Kind::Dataset, 0);
    drive(
        &mut app,
        [Action::Preview(std::sync::Arc::new(without_rows))],
    );
    let text = screen(&app);
    assert!(text.contains("┃肺がん") && text.contains("The last session's search"));
    assert!(text.contains("Datasets 0/38"));
    assert!(!text.contains("DS-C01"));
    // Keys typed ahead start a new query: the restored one is no longer shown.
    app.typed_ahead = super::preview::TypedAhead {
        keys: 1,
        text: Some("x".into()),
    };
    assert!(!screen(&app).contains("肺がん"));
    // Once loaded, the app's own screen replaces it.
    drive(&mut app, [Action::Loaded(sample.clone())]);
    assert!(app.preview.is_none());
    assert!(!screen(&app).contains("Reading 160 records…"));
}
