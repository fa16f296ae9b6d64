//! Everything that can happen to the app: keys and clicks turned into intents, and the results
//! of work done outside `update` (loading, searching, matching, exporting).

use super::app::MatchTarget;
use super::data::Data;
use super::listing::Tabs;
use crate::export::ExportSummary;
use crate::matching::MatchReport;
use crate::model::Kind;
use crate::workspace::Progress;
use std::path::PathBuf;
use std::sync::Arc;

/// An edit of a text box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Left,
    Right,
    Home,
    End,
    Backspace,
    Delete,
    /// Delete the word before the cursor.
    DeleteWord,
    /// Empty the box.
    Clear,
}

/// One thing that happened.
#[derive(Debug, Clone)]
pub enum Action {
    /// `q`: quit, asking first when records are marked.
    Quit,
    /// Ctrl-C: quit at once.
    QuitNow,
    ToggleHelp,
    FocusSearch,
    /// Esc: leave the box, close a pane, go back.
    Back,
    NextKind,
    /// Move through the results without leaving the search box (Ctrl-N / Ctrl-J).
    NextResult,
    PrevResult,
    PrevKind,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Enter: details, follow a reference, confirm a dialog.
    Enter,
    Matches,
    ToggleFilters,
    ClearFilters,
    ToggleMark,
    Export,
    ToggleBlocked,
    /// Log the selected (or marked) matches as contacted in the outreach log.
    LogContacted,
    /// The match list's next outreach-status filter.
    OutreachFilter,
    /// Only the matches new since the subject's last outreach, or all.
    NewOnly,
    /// The Gaps view.
    Gaps,
    /// Save the current search under a name.
    SaveSearch,
    /// The saved searches.
    SavedSearches,
    /// Forget the selected saved search (asked first).
    Forget,
    AdHoc,
    NextField,
    PrevField,
    /// Space in the ad-hoc form: toggle or type a space, depending on the field.
    Space,
    Edit(Edit),
    Insert(char),
    Paste(String),
    Click {
        column: u16,
        row: u16,
    },
    Scroll {
        column: u16,
        row: u16,
        down: bool,
    },
    Resize {
        width: u16,
        height: u16,
    },
    /// Time passed (animates the loading indicator).
    Tick,
    Progress(Progress),
    /// The first screen's data while every record is read (see [`super::preview`]).
    Preview(Arc<super::preview::Preview>),
    Loaded(Arc<Data>),
    /// Every record's facet values are worked out: the filters and their counts can be shown.
    FacetsReady,
    /// Working out the facet values failed (an internal error, with its message).
    FacetsFailed(String),
    LoadFailed(String),
    SearchDone(SearchOutcome),
    /// A match list for a target (ignored unless that target's list is the one shown).
    MatchDone(MatchTarget, Result<MatchReport, String>),
    ExportDone(ExportOutcome),
    /// The outreach log was written: the match list with the log's new word, or why not.
    Logged(Result<(MatchReport, usize), String>),
    /// Work of the outreach cycle done (gaps, news, saved searches).
    Cycle(super::cycle::CycleOutcome),
}

impl Action {
    /// The action's name in the `[keys]` table of the settings file and in `musubi config
    /// --keys`; `None` for what no key does (clicks, results of work).
    pub fn name(&self) -> Option<&'static str> {
        Some(match self {
            Action::Quit => "quit",
            Action::QuitNow => "quit_now",
            Action::ToggleHelp => "toggle_help",
            Action::FocusSearch => "focus_search",
            Action::Back => "back",
            Action::NextKind => "next_kind",
            Action::PrevKind => "prev_kind",
            Action::NextResult => "next_result",
            Action::PrevResult => "prev_result",
            Action::Up => "move_up",
            Action::Down => "move_down",
            Action::PageUp => "page_up",
            Action::PageDown => "page_down",
            Action::Top => "first",
            Action::Bottom => "last",
            Action::Enter => "confirm",
            Action::Matches => "open_matches",
            Action::ToggleFilters => "toggle_filters",
            Action::ClearFilters => "clear_filters",
            Action::ToggleMark => "toggle_mark",
            Action::Export => "export",
            Action::ToggleBlocked => "toggle_blocked",
            Action::LogContacted => "log_contacted",
            Action::OutreachFilter => "outreach_filter",
            Action::NewOnly => "new_only",
            Action::Gaps => "gaps",
            Action::SaveSearch => "save_search",
            Action::SavedSearches => "saved_searches",
            Action::Forget => "forget",
            Action::AdHoc => "ad_hoc",
            Action::NextField => "next_field",
            Action::PrevField => "prev_field",
            Action::Space => "next_choice",
            Action::Edit(Edit::Left) => "cursor_left",
            Action::Edit(Edit::Right) => "cursor_right",
            Action::Edit(Edit::Home) => "text_start",
            Action::Edit(Edit::End) => "text_end",
            Action::Edit(Edit::Backspace) => "delete_back",
            Action::Edit(Edit::Delete) => "delete_forward",
            Action::Edit(Edit::DeleteWord) => "delete_word",
            Action::Edit(Edit::Clear) => "clear_text",
            Action::Insert(_)
            | Action::Paste(_)
            | Action::Click { .. }
            | Action::Scroll { .. }
            | Action::Resize { .. }
            | Action::Tick
            | Action::Progress(_)
            | Action::Preview(_)
            | Action::Loaded(_)
            | Action::FacetsReady
            | Action::FacetsFailed(_)
            | Action::LoadFailed(_)
            | Action::SearchDone(_)
            | Action::MatchDone(..)
            | Action::ExportDone(_)
            | Action::Logged(_)
            | Action::Cycle(_) => return None,
        })
    }
}

/// One record found for a query: twelve bytes, so that a list of a million rows is cheap to
/// make, sort and drop. Its id and record are read from the data by position
/// ([`Data::id_of`](super::data::Data::id_of), [`Data::record_of`](super::data::Data::record_of)).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Found {
    pub kind: Kind,
    /// Higher is better; 0 when listing without a query.
    pub score: f32,
    /// The record holds every word of the query (false for hits on some words and fuzzy ones).
    pub matched_all: bool,
    /// Its position in [`Data::records`](super::data::Data::records).
    pub record: u32,
}

/// The records found for one query, all kinds, best first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchOutcome {
    pub query: String,
    pub found: Arc<[Found]>,
    /// `found` split by tab, in the order listed (see [`super::listing`]).
    pub tabs: Tabs,
    /// Concepts the query was read as (labels), for the "also:" hint.
    pub concepts: Vec<String>,
    /// True when no record had every word.
    pub some_words: bool,
}

/// How an export ended.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportOutcome {
    Written(ExportSummary),
    /// The file exists and overwriting was not confirmed.
    Exists(PathBuf),
    Failed(String),
}
