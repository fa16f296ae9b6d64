//! The merge of `[keys]` over the key table, and each problem it reports.

use super::*;
use crate::config::Settings;
use crate::tui::keys::Binding;

fn settings_keys(text: &str) -> KeysTable {
    Settings::parse(Path::new("config.toml"), text)
        .expect("settings parse")
        .keys
}

fn merged(text: &str) -> Result<Keymap, KeymapError> {
    Keymap::from_settings(&settings_keys(text), Path::new("config.toml"))
}

fn problems(text: &str) -> Vec<Problem> {
    match merged(text) {
        Ok(_) => panic!("accepted: {text}"),
        Err(e) => e.problems,
    }
}

fn press(text: &str) -> KeyEvent {
    let key = key_text::parse(text).expect("key");
    KeyEvent::new(key.0, key.1)
}

fn name_of(map: &Keymap, context: Context, key: &str) -> Option<&'static str> {
    map.action_for(context, &press(key)).and_then(|a| a.name())
}

#[test]
fn the_table_as_shipped_has_one_entry_per_action_and_context_and_no_conflict() {
    let map = Keymap::default();
    for context in CONTEXTS {
        let entries = map.entries(context);
        for (j, b) in entries.iter().enumerate() {
            for a in &entries[..j] {
                assert_ne!(a.name, b.name, "{context:?}: {} twice", a.name);
                for key in &b.keys {
                    assert!(!a.keys.contains(key), "{context:?}: {key:?} twice");
                }
            }
        }
        // An entry without a help line of its own follows the one it is shown with.
        if let Some(first) = entries.first() {
            assert!(first.listed, "{context:?}");
        }
    }
    let bindable = BINDINGS
        .iter()
        .filter(|b: &&Binding| b.action.name().is_some());
    assert_eq!(bindable.count(), BINDINGS.len(), "every binding has a name");
    assert!(merged("").is_ok());
}

#[test]
fn an_entry_for_one_context_replaces_the_keys_there_only() {
    let map = merged("[keys.list]\nmove_down = \"n\"\n").expect("valid");
    assert_eq!(name_of(&map, Context::List, "n"), Some("move_down"));
    assert_eq!(name_of(&map, Context::List, "j"), None);
    assert_eq!(name_of(&map, Context::List, "down"), None);
    assert_eq!(name_of(&map, Context::Matches, "j"), Some("move_down"));
    assert_eq!(name_of(&map, Context::Matches, "n"), Some("new_only"));
    let down = map
        .entries(Context::List)
        .iter()
        .find(|e| e.name == "move_down")
        .expect("move_down in the list");
    assert!(down.from_settings);
    assert_eq!(down.label, "n");
    assert_eq!(down.default_label, "↓/j");
    assert!(map
        .status_hints(Context::List)
        .iter()
        .any(|h| (h.label, h.help) == ("n", "down")));
}

#[test]
fn a_top_entry_applies_everywhere_but_leaves_characters_to_text_boxes() {
    let map = merged("[keys]\nmove_down = [\"j\", \"down\", \"ctrl-d\"]\n").expect("valid");
    for context in [
        Context::List,
        Context::Matches,
        Context::Detail,
        Context::Help,
    ] {
        assert_eq!(
            name_of(&map, context, "ctrl-d"),
            Some("move_down"),
            "{context:?}"
        );
        assert_eq!(
            name_of(&map, context, "j"),
            Some("move_down"),
            "{context:?}"
        );
    }
    // The ad-hoc form types: `j` stays a character there, the named keys apply.
    assert_eq!(name_of(&map, Context::AdHoc, "ctrl-d"), Some("move_down"));
    assert!(matches!(
        map.action_for(Context::AdHoc, &press("j")),
        Some(Action::Insert('j'))
    ));
    // Only characters for a text box: its keys stay as shipped.
    let only_char = merged("[keys]\nmove_down = \"j\"\n").expect("valid");
    assert_eq!(
        name_of(&only_char, Context::AdHoc, "down"),
        Some("move_down")
    );
    let entry = &only_char.entries(Context::AdHoc);
    assert!(entry.iter().all(|e| !e.from_settings));
}

#[test]
fn a_context_entry_wins_over_the_top_one() {
    let text = "[keys]\nexport = \"ctrl-x\"\n[keys.matches]\nexport = \"x\"\n";
    let map = merged(text).expect("valid");
    assert_eq!(name_of(&map, Context::Matches, "x"), Some("export"));
    assert_eq!(name_of(&map, Context::Matches, "ctrl-x"), None);
    assert_eq!(name_of(&map, Context::List, "ctrl-x"), Some("export"));
    assert_eq!(name_of(&map, Context::List, "e"), None);
}

#[test]
fn labels_shown_with_a_partner_are_made_anew() {
    let map = merged("[keys.search_box]\ncursor_right = \"ctrl-f\"\n").expect("valid");
    let left = map
        .entries(Context::SearchBox)
        .iter()
        .find(|e| e.name == "cursor_left")
        .expect("cursor_left");
    assert_eq!(left.label, "←/Ctrl-F");
    assert!(map
        .help_lines(Context::SearchBox)
        .contains(&HelpLine::Key("←/Ctrl-F".into(), "move the cursor")));
    // Untouched contexts keep the table's label.
    let find = map.entries(Context::FilterFind);
    assert!(find.iter().any(|e| e.label == "←/→"));
}

#[test]
fn quitting_at_once_is_said_once_with_its_keys() {
    let map = merged("[keys]\nquit_now = \"ctrl-q\"\n").expect("valid");
    let lines = map.help_lines(Context::List);
    assert_eq!(
        lines
            .iter()
            .filter(|l| matches!(l, HelpLine::QuitNow(_)))
            .count(),
        1
    );
    assert!(lines.contains(&HelpLine::QuitNow("Ctrl-Q".into())));
    assert!(!lines
        .iter()
        .any(|l| matches!(l, HelpLine::Key(k, _) if k == "Ctrl-Q")));
    assert_eq!(
        name_of(&map, Context::SearchBox, "ctrl-q"),
        Some("quit_now")
    );
    assert_eq!(name_of(&map, Context::SearchBox, "ctrl-c"), None);
}

#[test]
fn an_unknown_action_is_named_with_a_suggestion() {
    let found = problems("[keys]\nmove_dwn = \"n\"\n");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].entry, "move_dwn");
    assert_eq!(found[0].line, Some(2));
    assert_eq!(
        found[0].kind,
        ProblemKind::UnknownAction {
            suggestion: Some("move_down")
        }
    );
    let in_context = problems("[keys.matches]\nfrobnicate = \"n\"\n");
    assert_eq!(in_context[0].table, "keys.matches");
    assert_eq!(
        in_context[0].kind,
        ProblemKind::UnknownAction { suggestion: None }
    );
}

#[test]
fn an_unknown_context_and_a_context_without_a_table_are_named() {
    let found = problems("[keys.matchs]\nexport = \"x\"\n");
    assert_eq!(
        found[0].kind,
        ProblemKind::UnknownContext {
            suggestion: Some("matches")
        }
    );
    assert_eq!(found[0].line, Some(1));
    let flat = problems("[keys]\nlist = \"j\"\n");
    assert_eq!(flat[0].kind, ProblemKind::ContextNeedsTable);
}

#[test]
fn an_action_that_does_nothing_in_the_context_is_refused() {
    let found = problems("[keys.search_box]\nopen_matches = \"ctrl-m\"\n");
    let ProblemKind::NotInContext { context, works_in } = &found[0].kind else {
        panic!("{found:?}");
    };
    assert_eq!(*context, "search_box");
    assert!(works_in.contains(&"list") && works_in.contains(&"detail"));
}

#[test]
fn keys_that_cannot_be_read_are_each_named() {
    let found = problems("[keys]\nmove_down = [\"ctl-n\", \"j\", \"shift-x\"]\nmove_up = 3\n");
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(matches!(&found[0].kind, ProblemKind::BadKey { key, .. } if key == "ctl-n"));
    assert!(matches!(&found[1].kind, ProblemKind::BadKey { key, .. } if key == "shift-x"));
    assert_eq!(found[2].kind, ProblemKind::NotKeys);
    assert_eq!(found[2].line, Some(3));
}

#[test]
fn an_action_left_without_a_key_is_refused() {
    assert_eq!(problems("[keys]\nquit = []\n")[0].kind, ProblemKind::NoKey);
    assert_eq!(
        problems("[keys.list]\nmove_down = []\n")[0].kind,
        ProblemKind::NoKey
    );
}

#[test]
fn a_plain_character_in_a_text_box_is_refused() {
    let found = problems("[keys.search_box]\nnext_result = [\"ctrl-n\", \"n\"]\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].kind,
        ProblemKind::TypesText {
            key: "n".into(),
            context: "search_box"
        }
    );
    assert!(merged("[keys.search_box]\nnext_result = [\"ctrl-n\", \"down\"]\n").is_err());
    assert!(merged("[keys.search_box]\nnext_result = [\"ctrl-n\", \"alt-n\"]\n").is_ok());
}

#[test]
fn a_key_doing_two_things_in_a_context_is_a_conflict() {
    let found = problems("[keys.list]\nmove_down = \"m\"\n");
    assert_eq!(
        found[0].kind,
        ProblemKind::Conflict {
            key: "m".into(),
            contexts: vec!["list"],
            other: "open_matches"
        }
    );
    // A top entry conflicts where the other action lives: `n` is new_only in matches.
    let top = problems("[keys]\nmove_down = \"n\"\n");
    assert_eq!(top.len(), 1, "{top:?}");
    assert_eq!(top[0].table, "keys");
    assert!(matches!(
        &top[0].kind,
        ProblemKind::Conflict { contexts, other: "new_only", .. } if contexts == &["matches"]
    ));
    // Two top lines meet wherever both actions work: one problem names those contexts.
    let both = problems("[keys]\nmove_down = \"x\"\nexport = \"x\"\n");
    assert_eq!(both.len(), 1, "{both:?}");
    assert_eq!((both[0].entry.as_str(), both[0].line), ("export", Some(3)));
    assert_eq!(
        both[0].to_string(),
        "[keys] export: key \"x\" is also bound to move_down in list, detail, matches, match_detail; give one of them another key"
    );
    // Moving the other action away resolves it.
    assert!(merged("[keys]\nmove_down = \"n\"\n[keys.matches]\nnew_only = \"N\"\n").is_ok());
}

#[test]
fn the_error_names_the_file_line_table_action_and_key() {
    let err = merged("no_color = true\n[keys.matches]\nexport = \"b\"\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "config.toml:3: [keys.matches] export: key \"b\" is also bound to toggle_blocked in matches; give one of them another key"
    );
    let two = merged("[keys]\nmove_up = \"??\"\nfoo = \"x\"\n").unwrap_err();
    assert_eq!(two.to_string().lines().count(), 2, "one line a problem");
}
