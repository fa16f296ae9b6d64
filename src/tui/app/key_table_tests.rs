//! The key table decides: in every context, each key it lists changes the app there, and no
//! other key does anything.

use super::*;
use crate::tui::keymap::{Entry, HelpLine, Keymap};
use crate::tui::keys::{self, Key};
use crate::tui::test_support::{drive, loaded_app, today, type_text};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The app's state without the (shared, unchanging) data, to compare before and after a key.
fn fingerprint(app: &App) -> String {
    let mut plain = app.clone();
    plain.data = None;
    format!("{plain:?}")
}

/// An app with the keyboard in `context`, set up so that every key listed there has work to
/// do: cursors in the middle of lists, a query typed, a filter on, text with the cursor inside.
fn app_in(context: Context) -> App {
    use Action as A;
    let mut app = loaded_app(80, 24);
    match context {
        Context::Loading => {
            app = App::new(Rect::new(0, 0, 80, 24), PathBuf::from("/tmp"), today());
        }
        Context::List | Context::SearchBox => {
            type_text(&mut app, "がん");
            drive(&mut app, [A::Enter, A::Down, A::Down, A::Down]);
            if context == Context::SearchBox {
                drive(&mut app, [A::FocusSearch, A::Edit(Edit::Left)]);
            }
        }
        Context::Detail => {
            let index = need_with_links(&mut app);
            drive(&mut app, (0..index).map(|_| A::Down));
            drive(&mut app, [A::Enter, A::Down, A::PageDown]);
        }
        Context::Filters | Context::FilterFind => {
            // The second facet (disease groups: many values), one on, the cursor mid-list.
            drive(&mut app, [A::Enter, A::ToggleFilters, A::NextField]);
            drive(
                &mut app,
                [A::Down, A::ToggleMark, A::Down, A::Down, A::Down],
            );
            if context == Context::FilterFind {
                drive(&mut app, [A::FocusSearch]);
                type_text(&mut app, "がん");
                drive(&mut app, [A::Edit(Edit::Left)]);
            }
        }
        Context::Matches | Context::MatchDetail => {
            open_need_matches(&mut app, "N01");
            // The middle of the partners, between datasets and proposals.
            let partner = app
                .matches
                .as_ref()
                .and_then(|m| m.visible().iter().position(|(s, _)| *s == 1))
                .expect("partners listed");
            drive(&mut app, (0..partner + 1).map(|_| A::Down));
            if context == Context::MatchDetail {
                // A match with three references or more, its second one chosen.
                let data = app.data.clone().expect("loaded");
                let index = app
                    .matches
                    .as_ref()
                    .and_then(|m| {
                        m.visible().iter().position(|(_, i)| {
                            data.record(&i.id).is_some_and(|r| data.links(r).len() >= 3)
                        })
                    })
                    .expect("a match with three references");
                drive(&mut app, [A::Top]);
                drive(&mut app, (0..index).map(|_| A::Down));
                drive(&mut app, [A::Enter, A::Down, A::PageDown]);
            }
        }
        Context::Export => {
            drive(&mut app, [A::Enter, A::Export, A::Edit(Edit::Left)]);
        }
        Context::AdHoc => {
            drive(&mut app, [A::Enter, A::AdHoc]);
            drive(&mut app, (0..ADHOC_REQUESTER).map(|_| A::NextField));
            type_text(&mut app, "ORG");
            drive(&mut app, [A::Edit(Edit::Left)]);
        }
        Context::Help => {
            drive(
                &mut app,
                [A::Enter, A::ToggleHelp, A::Down, A::Down, A::Down],
            );
        }
        Context::Gaps => {
            drive(&mut app, [A::Enter, A::Gaps, A::Down, A::Down]);
        }
        Context::SaveSearch | Context::SavedSearches => {
            app.saved_searches_file = Some(saved_searches_file());
            if context == Context::SavedSearches {
                for name in ["first", "second", "third"] {
                    drive(&mut app, [A::SaveSearch]);
                    type_text(&mut app, name);
                    drive(&mut app, [A::Enter]);
                }
                drive(&mut app, [A::SavedSearches, A::Down]);
            } else {
                type_text(&mut app, "がん");
                drive(&mut app, [A::SaveSearch]);
                type_text(&mut app, "cancer");
                drive(&mut app, [A::Edit(Edit::Left)]);
            }
        }
    }
    app.message = None;
    assert_eq!(app.context(), context, "set-up of {context:?}");
    app
}

/// A saved-search file of its own for each test's app (the directory lives as long as the
/// test process).
fn saved_searches_file() -> PathBuf {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let dir = DIR.get_or_init(|| tempfile::tempdir().expect("temporary directory"));
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    dir.path().join(format!("watches-{n}.json"))
}

/// Selects a record with at least three references (on whichever tab has one), the list
/// focused; gives its position.
fn need_with_links(app: &mut App) -> usize {
    drive(app, [Action::Enter]);
    let data = app.data.clone().expect("loaded");
    for _ in Kind::ALL {
        let found = app
            .list()
            .iter()
            .position(|f| data.record_of(f).is_some_and(|r| data.links(r).len() >= 3));
        if let Some(index) = found {
            return index;
        }
        drive(app, [Action::NextKind]);
    }
    panic!("no record with three references");
}

fn open_need_matches(app: &mut App, need: &str) {
    drive(app, [Action::Enter, Action::PrevKind]);
    let index = app
        .list_ids()
        .iter()
        .position(|id| *id == need)
        .expect("need listed");
    drive(app, (0..index).map(|_| Action::Down));
    drive(app, [Action::Matches]);
}

fn event(key: &Key) -> KeyEvent {
    KeyEvent::new(key.0, key.1)
}

/// Every key a terminal may send that the tests try: printable ASCII and a kanji, alone and
/// with Ctrl and Alt, and the named keys.
fn every_key() -> Vec<KeyEvent> {
    let mut out = Vec::new();
    let chars = (' '..='~').chain(['膵']);
    for c in chars {
        for m in [KeyModifiers::NONE, KeyModifiers::CONTROL, KeyModifiers::ALT] {
            out.push(KeyEvent::new(KeyCode::Char(c), m));
        }
    }
    let named = [
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::Insert,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::F(1),
        KeyCode::F(5),
        KeyCode::F(12),
    ];
    out.extend(named.map(|c| KeyEvent::new(c, KeyModifiers::NONE)));
    out
}

/// In `context` of an app using `keymap`: every key the keymap lists changes the state, and
/// no other key does (but characters typed into a text box).
fn assert_keys_decide(keymap: &Arc<Keymap>, context: Context) {
    let mut base = app_in(context);
    base.keymap = keymap.clone();
    let before = fingerprint(&base);
    let listed: &[Entry] = keymap.entries(context);
    for entry in listed {
        for key in &entry.keys {
            let action = keymap
                .action_for(context, &event(key))
                .unwrap_or_else(|| panic!("{context:?}: {} has no action", entry.label));
            let mut app = base.clone();
            update(&mut app, action);
            assert!(
                fingerprint(&app) != before,
                "{context:?}: {} ({}) changes nothing",
                entry.label,
                entry.help
            );
        }
    }
    for key in every_key() {
        let in_table = listed
            .iter()
            .any(|e| e.keys.iter().any(|k| keys::same_key(k, &key)));
        let typed = keys::types_text(context)
            && matches!(key.code, KeyCode::Char(_))
            && key.modifiers == KeyModifiers::NONE;
        let mut app = base.clone();
        if let Some(action) = keymap.action_for(context, &key) {
            update(&mut app, action);
        }
        let changed = fingerprint(&app) != before;
        if typed {
            assert!(changed, "{context:?}: typing {key:?} changes nothing");
        } else if !in_table {
            assert!(!changed, "{context:?}: {key:?} is not listed but acts");
        }
    }
}

#[test]
fn every_listed_key_does_something_and_no_other_key_does() {
    let keymap = Arc::new(Keymap::default());
    for context in keys::CONTEXTS {
        assert_keys_decide(&keymap, context);
    }
}

/// A keymap from settings text, as the app would start with.
fn keymap_of(text: &str) -> Arc<Keymap> {
    let settings =
        crate::config::Settings::parse(std::path::Path::new("config.toml"), text).expect("parses");
    let keymap = Keymap::from_settings(&settings.keys, std::path::Path::new("config.toml"));
    Arc::new(keymap.expect("a valid keymap"))
}

#[test]
fn a_keymap_from_the_settings_decides_just_the_same() {
    let keymap = keymap_of(
        "[keys]\nexport = \"x\"\nquit_now = [\"ctrl-c\", \"ctrl-q\"]\n\
         [keys.list]\nmove_down = \"n\"\n[keys.search_box]\nnext_result = [\"ctrl-n\", \"down\"]\nconfirm = \"enter\"\n\
         [keys.filters]\ntoggle_mark = \"t\"\n",
    );
    for context in [
        Context::List,
        Context::SearchBox,
        Context::Filters,
        Context::Matches,
        Context::Export,
    ] {
        assert_keys_decide(&keymap, context);
    }
    // `n` moves down the list now, and `j` no longer does.
    let mut app = app_in(Context::List);
    app.keymap = keymap.clone();
    let at = app.cursor().selected;
    let press = |app: &App, c: char| {
        app.keymap.action_for(
            app.context(),
            &KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
        )
    };
    let j = press(&app, 'j');
    assert!(j.is_none(), "j still bound: {j:?}");
    let n = press(&app, 'n').expect("n bound");
    drive(&mut app, [n]);
    assert_eq!(app.cursor().selected, at + 1);
    // The status line and the help say so.
    let hints = app.keymap.status_hints(Context::List);
    assert!(hints.iter().any(|h| (h.label, h.help) == ("n", "down")));
    assert!(hints.iter().any(|h| (h.label, h.help) == ("x", "export")));
    assert!(app
        .keymap
        .help_lines(Context::List)
        .contains(&HelpLine::QuitNow("Ctrl-C/Ctrl-Q".into())));
}

#[test]
fn status_hints_offer_only_what_the_context_lists() {
    // Details over a match list: no kind tabs, filters or marks there.
    let keymap = Keymap::default();
    let hints = keymap.status_hints(Context::MatchDetail);
    for hint in &hints {
        assert!(
            !["Tab", "f", "Space", "/"].contains(&hint.label),
            "{} offered",
            hint.label
        );
    }
    assert!(keymap.hint_line(Context::Export).contains("Tab next field"));
    assert!(keymap
        .status_hints(Context::SearchBox)
        .iter()
        .any(|h| (h.label, h.help) == ("Ctrl-N/J", "next result")));
}

#[test]
fn help_opens_at_the_current_context() {
    let mut app = open_matches_app();
    drive(&mut app, [Action::ToggleHelp]);
    assert_eq!(app.help_context, Context::Matches);
    assert_eq!(
        app.keymap.help_lines(app.help_context).first(),
        Some(&HelpLine::Heading(Context::Matches))
    );
    drive(&mut app, [Action::Bottom]);
    assert_eq!(app.help_scroll, app.help_max_scroll());
    assert!(app.help_max_scroll() > 0);
}

fn open_matches_app() -> App {
    let mut app = loaded_app(80, 24);
    open_need_matches(&mut app, "N01");
    app
}

#[test]
fn ctrl_n_and_ctrl_p_move_through_results_from_the_search_box() {
    let mut app = loaded_app(80, 24);
    type_text(&mut app, "がん");
    let next = KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL);
    let prev = KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL);
    for key in [next, next, prev] {
        let action = app.keymap.action_for(app.context(), &key).expect("bound");
        drive(&mut app, [action]);
    }
    assert_eq!(app.context(), Context::SearchBox);
    assert_eq!(app.cursor().selected, 1);
    assert_eq!(app.query.text(), "がん");
}
