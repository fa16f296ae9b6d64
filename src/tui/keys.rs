//! The key table as shipped: every binding in one place, per context. The keymap in effect
//! (`keymap::Keymap`, the settings' `[keys]` merged over this) is what events, the status
//! line and the help overlay read.

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
    /// The find line of the filter panel (after `/`).
    FilterFind,
    Matches,
    /// The details of a match, over the match list.
    MatchDetail,
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
            Context::FilterFind => "Finding a filter value",
            Context::Matches => "Matches",
            Context::MatchDetail => "Details of a match",
            Context::Export => "Export dialog",
            Context::AdHoc => "Ad-hoc need",
            Context::Gaps => "Gaps",
            Context::SavedSearches => "Saved searches",
            Context::SaveSearch => "Save search",
            Context::Help => "Help",
        }
    }

    /// The context's name in the settings file (`[keys.search_box]`) and in `musubi config
    /// --keys`.
    pub fn name(self) -> &'static str {
        match self {
            Context::Loading => "loading",
            Context::List => "list",
            Context::SearchBox => "search_box",
            Context::Detail => "detail",
            Context::Filters => "filters",
            Context::FilterFind => "filter_find",
            Context::Matches => "matches",
            Context::MatchDetail => "match_detail",
            Context::Export => "export",
            Context::AdHoc => "ad_hoc",
            Context::Gaps => "gaps",
            Context::SavedSearches => "saved_searches",
            Context::SaveSearch => "save_search",
            Context::Help => "help",
        }
    }

    /// The context of a name in the settings file.
    pub fn from_name(name: &str) -> Option<Context> {
        CONTEXTS.into_iter().find(|c| c.name() == name)
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

/// Every context, in the order the help overlay lists them (after the current one).
pub const CONTEXTS: [Context; 14] = [
    C::List,
    C::SearchBox,
    C::Detail,
    C::Filters,
    C::FilterFind,
    C::Matches,
    C::MatchDetail,
    C::Export,
    C::AdHoc,
    C::Gaps,
    C::SavedSearches,
    C::SaveSearch,
    C::Help,
    C::Loading,
];

const ALL: &[Context] = &CONTEXTS;
const SCROLLS: &[Context] = &[
    C::List,
    C::Filters,
    C::Matches,
    C::Help,
    C::Gaps,
    C::SavedSearches,
];
const DETAILS: &[Context] = &[C::Detail, C::MatchDetail];
const TEXT: &[Context] = &[
    C::SearchBox,
    C::FilterFind,
    C::Export,
    C::AdHoc,
    C::SaveSearch,
];
/// The search screen, where the outreach cycle's views open from.
const SEARCH_SCREEN: &[Context] = &[C::List, C::SearchBox, C::Detail, C::Filters];
const FORMS: &[Context] = &[C::Export, C::AdHoc];
const KINDS: &[Context] = &[C::List, C::SearchBox, C::Detail];

/// Shorthand for a table row.
const fn bind(
    keys: &'static [Key],
    label: &'static str,
    help: &'static str,
    action: Action,
    contexts: &'static [Context],
    in_status: bool,
) -> Binding {
    Binding {
        keys,
        label,
        help,
        action,
        contexts,
        in_status,
    }
}

const ENTER: Key = key(KeyCode::Enter);
const ESC: Key = key(KeyCode::Esc);
const TAB: Key = key(KeyCode::Tab);
const BACK_TAB: Key = Key(KeyCode::BackTab, KeyModifiers::NONE);

/// Every binding: what each key does in each context. `update` acts on the action; the
/// status line and the help overlay show the label and words.
#[rustfmt::skip]
pub static BINDINGS: &[Binding] = &[
    bind(&[ctrl('c')], "Ctrl-C", "quit at once", Action::QuitNow, ALL, false),
    // Enter.
    bind(&[ENTER], "Enter", "details", Action::Enter, &[C::List, C::Matches], true),
    bind(&[ENTER], "Enter", "follow the reference", Action::Enter, DETAILS, true),
    bind(&[ENTER, key(KeyCode::Down)], "Enter/↓", "to the list", Action::Enter, &[C::SearchBox], true),
    bind(&[ENTER, ch(' ')], "Space/Enter", "toggle the filter", Action::ToggleMark, &[C::Filters], true),
    bind(&[ENTER], "Enter", "export", Action::Enter, &[C::Export], true),
    bind(&[ENTER], "Enter", "match", Action::Enter, &[C::AdHoc], true),
    bind(&[ENTER], "Enter", "keep the narrowing", Action::Enter, &[C::FilterFind], true),
    bind(&[ENTER], "Enter", "its matches", Action::Enter, &[C::Gaps], true),
    bind(&[ENTER], "Enter", "search again", Action::Enter, &[C::SavedSearches], true),
    bind(&[ENTER], "Enter", "save", Action::Enter, &[C::SaveSearch], true),
    // Leaving, going back.
    bind(&[ESC], "Esc", "clear the query", Action::Back, &[C::List], false),
    bind(&[ESC], "Esc", "leave the box", Action::Back, &[C::SearchBox], true),
    bind(&[ESC], "Esc", "back", Action::Back, &[C::Detail, C::MatchDetail, C::Matches], true),
    bind(&[ESC, ch('f')], "Esc/f", "close", Action::Back, &[C::Filters], true),
    bind(&[ESC], "Esc", "clear the narrowing", Action::Back, &[C::FilterFind], true),
    bind(&[ESC, ch('q'), ch('?')], "Esc/q/?", "close", Action::Back, &[C::Help], true),
    bind(&[ESC], "Esc", "cancel", Action::Back, FORMS, true),
    bind(&[ESC], "Esc", "back", Action::Back, &[C::Gaps, C::SavedSearches], true),
    bind(&[ESC], "Esc", "cancel", Action::Back, &[C::SaveSearch], true),
    // Moving.
    bind(&[ch('/')], "/", "search", Action::FocusSearch, &[C::List, C::Detail], true),
    bind(&[ch('/')], "/", "find a value", Action::FocusSearch, &[C::Filters], true),
    bind(&[key(KeyCode::Right), ch('l')], "→/l", "next facet", Action::NextField, &[C::Filters], true),
    bind(&[key(KeyCode::Left), ch('h')], "←/h", "previous facet", Action::PrevField, &[C::Filters], false),
    bind(&[ctrl('n'), ctrl('j')], "Ctrl-N/J", "next result", Action::NextResult, &[C::SearchBox], true),
    bind(&[ctrl('p'), ctrl('k')], "Ctrl-P/K", "previous result", Action::PrevResult, &[C::SearchBox], false),
    bind(&[TAB], "Tab", "next kind", Action::NextKind, KINDS, true),
    bind(&[BACK_TAB], "S-Tab", "previous kind", Action::PrevKind, KINDS, false),
    bind(&[TAB], "Tab", "next field", Action::NextField, FORMS, true),
    bind(&[BACK_TAB], "S-Tab", "previous field", Action::PrevField, FORMS, false),
    bind(&[TAB], "Tab", "next section", Action::NextField, &[C::Matches], false),
    bind(&[BACK_TAB], "S-Tab", "previous section", Action::PrevField, &[C::Matches], false),
    bind(&[key(KeyCode::Up), ch('k')], "↑/k", "up", Action::Up, SCROLLS, false),
    bind(&[key(KeyCode::Down), ch('j')], "↓/j", "down", Action::Down, SCROLLS, true),
    bind(&[key(KeyCode::PageUp)], "PgUp", "page up", Action::PageUp, SCROLLS, false),
    bind(&[key(KeyCode::PageDown)], "PgDn", "page down", Action::PageDown, SCROLLS, false),
    bind(&[key(KeyCode::Home), ch('g')], "Home/g", "first", Action::Top, SCROLLS, false),
    bind(&[key(KeyCode::End), ch('G')], "End/G", "last", Action::Bottom, SCROLLS, false),
    bind(&[key(KeyCode::Up), ch('k')], "↑/k", "previous reference", Action::Up, DETAILS, false),
    bind(&[key(KeyCode::Down), ch('j')], "↓/j", "next reference", Action::Down, DETAILS, true),
    bind(&[key(KeyCode::PageUp)], "PgUp", "scroll up", Action::PageUp, DETAILS, false),
    bind(&[key(KeyCode::PageDown)], "PgDn", "scroll down", Action::PageDown, DETAILS, false),
    bind(&[key(KeyCode::Home), ch('g')], "Home/g", "back to the top", Action::Top, DETAILS, false),
    bind(&[key(KeyCode::Up)], "↑/↓", "requester", Action::Up, &[C::AdHoc], true),
    bind(&[key(KeyCode::Down)], "↓", "", Action::Down, &[C::AdHoc], false),
    // Doing.
    bind(&[ch('m')], "m", "matches", Action::Matches, &[C::List, C::Detail, C::MatchDetail], true),
    bind(&[ch('a')], "a", "ad-hoc need", Action::AdHoc, &[C::List, C::Matches], false),
    bind(&[ch('f')], "f", "filters", Action::ToggleFilters, &[C::List, C::Detail], true),
    bind(&[ch('c')], "c", "clear filters", Action::ClearFilters, &[C::Filters], true),
    bind(&[ch(' ')], "Space", "mark", Action::ToggleMark, &[C::List, C::Detail, C::Matches], true),
    bind(&[ch('b')], "b", "show/hide blocked", Action::ToggleBlocked, &[C::Matches], true),
    bind(&[ch('o')], "o", "log as contacted (outreach log)", Action::LogContacted, &[C::Matches], false),
    bind(&[ch('s')], "s", "outreach filter: all, not contacted, contacted, in talks, settled", Action::OutreachFilter, &[C::Matches], false),
    bind(&[ch('n')], "n", "only what is new since the last outreach", Action::NewOnly, &[C::Matches], false),
    bind(&[ctrl('g')], "Ctrl-G", "gaps: needs no dataset serves", Action::Gaps, SEARCH_SCREEN, false),
    bind(&[ctrl('s')], "Ctrl-S", "save this search", Action::SaveSearch, SEARCH_SCREEN, false),
    bind(&[ctrl('o')], "Ctrl-O", "saved searches (what is new)", Action::SavedSearches, SEARCH_SCREEN, false),
    bind(&[ch('d'), key(KeyCode::Delete)], "d", "forget this saved search", Action::Forget, &[C::SavedSearches], true),
    bind(&[ch('e')], "e", "export", Action::Export, &[C::List, C::Detail, C::MatchDetail, C::Matches], true),
    bind(&[ch(' ')], "Space", "next choice (commercial)", Action::Space, &[C::AdHoc], false),
    bind(&[ch('?')], "?", "help", Action::ToggleHelp, &[C::List, C::Detail, C::MatchDetail, C::Filters, C::Matches], true),
    bind(&[ch('q')], "q", "quit", Action::Quit, &[C::Loading, C::List, C::Detail, C::MatchDetail, C::Filters, C::Matches, C::Gaps, C::SavedSearches], true),
    // Editing text.
    bind(&[key(KeyCode::Left)], "←/→", "move the cursor", Action::Edit(Edit::Left), &[C::SearchBox, C::FilterFind], false),
    bind(&[key(KeyCode::Right)], "→", "", Action::Edit(Edit::Right), &[C::SearchBox, C::FilterFind], false),
    bind(&[key(KeyCode::Left)], "←/→", "format / cursor", Action::Edit(Edit::Left), &[C::Export], true),
    bind(&[key(KeyCode::Right)], "→", "", Action::Edit(Edit::Right), &[C::Export], false),
    bind(&[key(KeyCode::Left)], "←/→", "commercial", Action::Edit(Edit::Left), &[C::AdHoc], true),
    bind(&[key(KeyCode::Right)], "→", "", Action::Edit(Edit::Right), &[C::AdHoc], false),
    bind(&[key(KeyCode::Home), ctrl('a')], "Home/Ctrl-A", "start of the text", Action::Edit(Edit::Home), TEXT, false),
    bind(&[key(KeyCode::End), ctrl('e')], "End/Ctrl-E", "end of the text", Action::Edit(Edit::End), TEXT, false),
    bind(&[key(KeyCode::Backspace)], "Bksp", "delete before the cursor", Action::Edit(Edit::Backspace), TEXT, false),
    bind(&[key(KeyCode::Delete)], "Del", "delete at the cursor", Action::Edit(Edit::Delete), TEXT, false),
    bind(&[ctrl('w')], "Ctrl-W", "delete a word", Action::Edit(Edit::DeleteWord), TEXT, false),
    bind(&[ctrl('u')], "Ctrl-U", "clear the text", Action::Edit(Edit::Clear), TEXT, false),
];

/// True in contexts where plain characters are typed as text.
pub fn types_text(context: Context) -> bool {
    TEXT.contains(&context)
}

/// True when `event` is the key `pattern` (Shift is ignored: it is part of the character).
pub fn same_key(pattern: &Key, event: &KeyEvent) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::Keymap;

    fn action_for(context: Context, event: &KeyEvent) -> Option<Action> {
        Keymap::default().action_for(context, event)
    }

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
            Some(Action::QuitNow)
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
            assert!(!Keymap::default().status_hints(c).is_empty(), "{c:?}");
        }
        assert!(Keymap::default()
            .status_hints(Context::List)
            .iter()
            .any(|h| (h.label, h.help) == ("?", "help")));
    }
}
