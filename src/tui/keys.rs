//! The key table: every binding in one place, per context; events, the status line and the
//! help overlay all read it.

use super::action::{Action, Edit};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where the keyboard is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Loading,
    List,
    SearchBox,
    Detail,
    Filters,
    Matches,
    Export,
    AdHoc,
    /// The Gaps view.
    Gaps,
    /// The list of saved searches.
    SavedSearches,
    /// Naming the current search to save it.
    SaveSearch,
    Help,
}

impl Context {
    /// The heading of the context in the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Context::Loading => "Opening",
            Context::List => "Result list",
            Context::SearchBox => "Search box",
            Context::Detail => "Details",
            Context::Filters => "Filters",
            Context::Matches => "Matches",
            Context::Export => "Export dialog",
            Context::AdHoc => "Ad-hoc need",
            Context::Gaps => "Gaps",
            Context::SavedSearches => "Saved searches",
            Context::SaveSearch => "Save search",
            Context::Help => "Help",
        }
    }
}

/// One key (modifiers other than Ctrl and Alt are ignored for characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key(pub KeyCode, pub KeyModifiers);

const fn key(code: KeyCode) -> Key {
    Key(code, KeyModifiers::NONE)
}

const fn ch(c: char) -> Key {
    Key(KeyCode::Char(c), KeyModifiers::NONE)
}

const fn ctrl(c: char) -> Key {
    Key(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// A binding: keys, what they do, where, and how they are shown.
#[derive(Debug, Clone)]
pub struct Binding {
    pub keys: &'static [Key],
    /// How the keys are written (`↑/k`).
    pub label: &'static str,
    /// What they do, in a few words.
    pub help: &'static str,
    pub action: Action,
    pub contexts: &'static [Context],
    /// Shown in the status line (else only in the help overlay).
    pub in_status: bool,
}

use Context as C;

const BROWSE: &[Context] = &[C::List, C::Detail, C::Matches];
const TEXT: &[Context] = &[C::SearchBox, C::Export, C::AdHoc, C::SaveSearch];
const MOVING: &[Context] = &[
    C::List,
    C::Detail,
    C::Filters,
    C::Matches,
    C::Help,
    C::Gaps,
    C::SavedSearches,
];
/// The search screen, where the outreach cycle's views open from.
const SEARCH_SCREEN: &[Context] = &[C::List, C::SearchBox, C::Detail, C::Filters];

/// Every binding.
pub static BINDINGS: &[Binding] = &[
    Binding {
        keys: &[ctrl('c')],
        label: "Ctrl-C",
        help: "quit at once",
        action: Action::Quit,
        contexts: &[
            C::Loading,
            C::List,
            C::SearchBox,
            C::Detail,
            C::Filters,
            C::Matches,
            C::Export,
            C::AdHoc,
            C::Gaps,
            C::SavedSearches,
            C::SaveSearch,
            C::Help,
        ],
        in_status: false,
    },
    Binding {
        keys: &[ch('/')],
        label: "/",
        help: "search",
        action: Action::FocusSearch,
        contexts: &[C::List, C::Detail, C::Filters],
        in_status: true,
    },
    Binding {
        keys: &[key(KeyCode::Enter)],
        label: "Enter",
        help: "details",
        action: Action::Enter,
        contexts: &[C::List],
        in_status: true,
    },
    Binding {
        keys: &[key(KeyCode::Enter)],
        label: "Enter",
        help: "follow reference",
        action: Action::Enter,
        contexts: &[C::Detail],
        in_status: true,
    },
    Binding {
        keys: &[key(KeyCode::Enter)],
        label: "Enter",
        help: "details",
        action: Action::Enter,
        contexts: &[C::Matches],
        in_status: true,
    },
    Binding {
        keys: &[key(KeyCode::Enter), key(KeyCode::Down)],
        label: "Enter/↓",
        help: "to the list",
        action: Action::Enter,
        contexts: &[C::SearchBox],
        in_status: true,
    },
    Binding {
        keys: &[key(KeyCode::Enter)],
        label: "Enter",
        help: "confirm",
        action: Action::Enter,
        contexts: &[C::Export, C::AdHoc],
        in_status: true,
    },
    Binding {
        keys: &[key(KeyCode::Esc)],
        label: "Esc",
        help: "leave the box",
        action: Action::Back,
        contexts: &[C::SearchBox],
        in_status: true,
    },
    Binding {
        keys: &[key(KeyCode::Esc)],
        label: "Esc",
        help: "back",
        action: Action::Back,
        contexts: &[C::Detail, C::Matches, C::Filters, C::Help],
        in_status: true,
    },
    Binding {
        keys: &[key(KeyCode::Esc)],
        label: "Esc",
        help: "cancel",
        action: Action::Back,
        contexts: &[C::Export, C::AdHoc, C::SaveSearch],
        in_status: true,
    },
    Binding {
        keys: &[key(KeyCode::Esc)],
        label: "Esc",
        help: "back",
        action: Action::Back,
        contexts: &[C::Gaps, C::SavedSearches],
        in_status: true,
    },
    Binding {
        keys: &[key(KeyCode::Enter)],
        label: "Enter",
        help: "its matches",
        action: Action::Enter,
        contexts: &[C::Gaps],
        in_status: true,
    },
    Binding {
        keys: &[key(KeyCode::Enter)],
        label: "Enter",
        help: "search again",
        action: Action::Enter,
        contexts: &[C::SavedSearches],
        in_status: true,
    },
    Binding {
        keys: &[key(KeyCode::Enter)],
        label: "Enter",
        help: "save",
        action: Action::Enter,
        contexts: &[C::SaveSearch],
        in_status: true,
    },
    Binding {
        keys: &[ch('d'), key(KeyCode::Delete)],
        label: "d",
        help: "forget this saved search",
        action: Action::Forget,
        contexts: &[C::SavedSearches],
        in_status: true,
    },
    Binding {
        keys: &[ctrl('g')],
        label: "^G",
        help: "gaps: needs no dataset serves",
        action: Action::Gaps,
        contexts: SEARCH_SCREEN,
        in_status: false,
    },
    Binding {
        keys: &[ctrl('s')],
        label: "^S",
        help: "save this search",
        action: Action::SaveSearch,
        contexts: SEARCH_SCREEN,
        in_status: false,
    },
    Binding {
        keys: &[ctrl('o')],
        label: "^O",
        help: "saved searches (what is new)",
        action: Action::SavedSearches,
        contexts: SEARCH_SCREEN,
        in_status: false,
    },
    Binding {
        keys: &[ch('s')],
        label: "s",
        help: "outreach filter: all, not contacted, contacted, in talks, settled",
        action: Action::OutreachFilter,
        contexts: &[C::Matches],
        in_status: false,
    },
    Binding {
        keys: &[ch('n')],
        label: "n",
        help: "only what is new since the last outreach",
        action: Action::NewOnly,
        contexts: &[C::Matches],
        in_status: false,
    },
    Binding {
        keys: &[key(KeyCode::Tab)],
        label: "Tab",
        help: "next kind",
        action: Action::NextKind,
        contexts: &[C::List, C::SearchBox, C::Detail],
        in_status: true,
    },
    Binding {
        keys: &[Key(KeyCode::BackTab, KeyModifiers::NONE)],
        label: "S-Tab",
        help: "previous kind",
        action: Action::PrevKind,
        contexts: &[C::List, C::SearchBox, C::Detail],
        in_status: false,
    },
    Binding {
        keys: &[key(KeyCode::Tab)],
        label: "Tab",
        help: "next field",
        action: Action::NextField,
        contexts: &[C::Export, C::AdHoc],
        in_status: true,
    },
    Binding {
        keys: &[Key(KeyCode::BackTab, KeyModifiers::NONE)],
        label: "S-Tab",
        help: "previous field",
        action: Action::PrevField,
        contexts: &[C::Export, C::AdHoc],
        in_status: false,
    },
    Binding {
        keys: &[key(KeyCode::Tab)],
        label: "Tab",
        help: "next section",
        action: Action::NextField,
        contexts: &[C::Matches],
        in_status: false,
    },
    Binding {
        keys: &[Key(KeyCode::BackTab, KeyModifiers::NONE)],
        label: "S-Tab",
        help: "previous section",
        action: Action::PrevField,
        contexts: &[C::Matches],
        in_status: false,
    },
    Binding {
        keys: &[key(KeyCode::Up), ch('k')],
        label: "↑/k",
        help: "up",
        action: Action::Up,
        contexts: MOVING,
        in_status: false,
    },
    Binding {
        keys: &[key(KeyCode::Down), ch('j')],
        label: "↓/j",
        help: "down",
        action: Action::Down,
        contexts: MOVING,
        in_status: true,
    },
    Binding {
        keys: &[key(KeyCode::PageUp)],
        label: "PgUp",
        help: "page up",
        action: Action::PageUp,
        contexts: MOVING,
        in_status: false,
    },
    Binding {
        keys: &[key(KeyCode::PageDown)],
        label: "PgDn",
        help: "page down",
        action: Action::PageDown,
        contexts: MOVING,
        in_status: false,
    },
    Binding {
        keys: &[key(KeyCode::Home), ch('g')],
        label: "Home/g",
        help: "first",
        action: Action::Top,
        contexts: MOVING,
        in_status: false,
    },
    Binding {
        keys: &[key(KeyCode::End), ch('G')],
        label: "End/G",
        help: "last",
        action: Action::Bottom,
        contexts: MOVING,
        in_status: false,
    },
    Binding {
        keys: &[ch('m')],
        label: "m",
        help: "matches",
        action: Action::Matches,
        contexts: &[C::List, C::Detail],
        in_status: true,
    },
    Binding {
        keys: &[ch('a')],
        label: "a",
        help: "ad-hoc need",
        action: Action::AdHoc,
        contexts: &[C::List, C::Matches],
        in_status: false,
    },
    Binding {
        keys: &[ch('f')],
        label: "f",
        help: "filters",
        action: Action::ToggleFilters,
        contexts: &[C::List, C::Detail, C::Filters],
        in_status: true,
    },
    Binding {
        keys: &[ch(' ')],
        label: "Space",
        help: "toggle filter",
        action: Action::ToggleMark,
        contexts: &[C::Filters],
        in_status: true,
    },
    Binding {
        keys: &[key(KeyCode::Enter)],
        label: "Enter",
        help: "toggle filter",
        action: Action::ToggleMark,
        contexts: &[C::Filters],
        in_status: false,
    },
    Binding {
        keys: &[ch('c')],
        label: "c",
        help: "clear filters",
        action: Action::ClearFilters,
        contexts: &[C::Filters],
        in_status: true,
    },
    Binding {
        keys: &[ch(' ')],
        label: "Space",
        help: "mark",
        action: Action::ToggleMark,
        contexts: BROWSE,
        in_status: true,
    },
    Binding {
        keys: &[ch('b')],
        label: "b",
        help: "show/hide blocked",
        action: Action::ToggleBlocked,
        contexts: &[C::Matches],
        in_status: true,
    },
    Binding {
        keys: &[ch('o')],
        label: "o",
        help: "log as contacted (outreach log)",
        action: Action::LogContacted,
        contexts: &[C::Matches],
        in_status: false,
    },
    Binding {
        keys: &[ch('e')],
        label: "e",
        help: "export",
        action: Action::Export,
        contexts: BROWSE,
        in_status: true,
    },
    Binding {
        keys: &[ch(' ')],
        label: "Space",
        help: "toggle commercial",
        action: Action::Space,
        contexts: &[C::AdHoc],
        in_status: false,
    },
    Binding {
        keys: &[ch('?')],
        label: "?",
        help: "help",
        action: Action::ToggleHelp,
        contexts: &[C::List, C::Detail, C::Filters, C::Matches, C::Help],
        in_status: true,
    },
    Binding {
        keys: &[ch('q')],
        label: "q",
        help: "quit",
        action: Action::Quit,
        contexts: &[
            C::Loading,
            C::List,
            C::Detail,
            C::Filters,
            C::Matches,
            C::Gaps,
            C::SavedSearches,
        ],
        in_status: true,
    },
    Binding {
        keys: &[ch('q')],
        label: "q",
        help: "close",
        action: Action::Back,
        contexts: &[C::Help],
        in_status: false,
    },
    Binding {
        keys: &[key(KeyCode::Left)],
        label: "←/→",
        help: "move the cursor",
        action: Action::Edit(Edit::Left),
        contexts: TEXT,
        in_status: false,
    },
    Binding {
        keys: &[key(KeyCode::Right)],
        label: "→",
        help: "",
        action: Action::Edit(Edit::Right),
        contexts: TEXT,
        in_status: false,
    },
    Binding {
        keys: &[key(KeyCode::Home), ctrl('a')],
        label: "Home/End",
        help: "start or end of the text",
        action: Action::Edit(Edit::Home),
        contexts: TEXT,
        in_status: false,
    },
    Binding {
        keys: &[key(KeyCode::End), ctrl('e')],
        label: "End",
        help: "",
        action: Action::Edit(Edit::End),
        contexts: TEXT,
        in_status: false,
    },
    Binding {
        keys: &[key(KeyCode::Backspace)],
        label: "Bksp/Del",
        help: "delete a character",
        action: Action::Edit(Edit::Backspace),
        contexts: TEXT,
        in_status: false,
    },
    Binding {
        keys: &[key(KeyCode::Delete)],
        label: "Del",
        help: "",
        action: Action::Edit(Edit::Delete),
        contexts: TEXT,
        in_status: false,
    },
    Binding {
        keys: &[ctrl('w')],
        label: "Ctrl-W",
        help: "delete a word",
        action: Action::Edit(Edit::DeleteWord),
        contexts: TEXT,
        in_status: false,
    },
    Binding {
        keys: &[ctrl('u')],
        label: "Ctrl-U",
        help: "clear the box",
        action: Action::Edit(Edit::Clear),
        contexts: TEXT,
        in_status: false,
    },
];

fn same_key(pattern: &Key, event: &KeyEvent) -> bool {
    let relevant = KeyModifiers::CONTROL | KeyModifiers::ALT;
    let code_matches = match (pattern.0, event.code) {
        (KeyCode::Char(a), KeyCode::Char(b)) => {
            if pattern.1.contains(KeyModifiers::CONTROL) {
                a.eq_ignore_ascii_case(&b)
            } else {
                a == b
            }
        }
        (a, b) => a == b,
    };
    code_matches && (event.modifiers & relevant) == (pattern.1 & relevant)
}

/// The action of a key in a context: from the table, else, in text boxes, the character typed.
pub fn action_for(context: Context, event: &KeyEvent) -> Option<Action> {
    let in_text = TEXT.contains(&context);
    for binding in BINDINGS {
        if !binding.contexts.contains(&context) {
            continue;
        }
        // In text boxes, plain characters are text, not commands (Space toggles only on a toggle).
        if binding.keys.iter().any(|k| same_key(k, event)) {
            return Some(binding.action.clone());
        }
    }
    if in_text {
        if let KeyCode::Char(c) = event.code {
            let plain = !event
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
            if plain {
                return Some(Action::Insert(c));
            }
        }
    }
    None
}

/// The bindings shown in the status line of a context, as (keys, help).
pub fn status_hints(context: Context) -> Vec<(&'static str, &'static str)> {
    BINDINGS
        .iter()
        .filter(|b| b.in_status && b.contexts.contains(&context))
        .map(|b| (b.label, b.help))
        .collect()
}

/// The bindings of a context for the help overlay (those with a description).
pub fn help_rows(context: Context) -> Vec<(&'static str, &'static str)> {
    BINDINGS
        .iter()
        .filter(|b| !b.help.is_empty() && b.contexts.contains(&context) && b.label != "Ctrl-C")
        .map(|b| (b.label, b.help))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn letters_are_commands_in_lists_and_text_in_boxes() {
        let j = press(KeyCode::Char('j'), KeyModifiers::NONE);
        assert!(matches!(action_for(Context::List, &j), Some(Action::Down)));
        assert!(matches!(
            action_for(Context::SearchBox, &j),
            Some(Action::Insert('j'))
        ));
        let kanji = press(KeyCode::Char('膵'), KeyModifiers::NONE);
        assert!(matches!(
            action_for(Context::SearchBox, &kanji),
            Some(Action::Insert('膵'))
        ));
        assert!(action_for(Context::List, &kanji).is_none());
    }

    #[test]
    fn shifted_characters_and_back_tab_match() {
        let question = press(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert!(matches!(
            action_for(Context::List, &question),
            Some(Action::ToggleHelp)
        ));
        let back_tab = press(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert!(matches!(
            action_for(Context::List, &back_tab),
            Some(Action::PrevKind)
        ));
        let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert!(matches!(
            action_for(Context::SearchBox, &ctrl_c),
            Some(Action::Quit)
        ));
    }

    #[test]
    fn space_types_in_the_search_box_and_marks_in_lists() {
        let space = press(KeyCode::Char(' '), KeyModifiers::NONE);
        assert!(matches!(
            action_for(Context::SearchBox, &space),
            Some(Action::Insert(' '))
        ));
        assert!(matches!(
            action_for(Context::List, &space),
            Some(Action::ToggleMark)
        ));
        assert!(matches!(
            action_for(Context::AdHoc, &space),
            Some(Action::Space)
        ));
    }

    #[test]
    fn every_context_has_status_hints() {
        for c in [
            Context::List,
            Context::SearchBox,
            Context::Matches,
            Context::Filters,
            Context::Export,
        ] {
            assert!(!status_hints(c).is_empty(), "{c:?}");
        }
        assert!(status_hints(Context::List).contains(&("?", "help")));
    }
}
