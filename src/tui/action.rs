//! Everything that can happen to the app: keys and clicks turned into intents, and the results
//! of work done outside `update` (loading, searching, matching, exporting).

use super::app::MatchTarget;
use super::data::Data;
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
    Loaded(Arc<Data>),
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

/// One record found for a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub id: String,
    pub kind: Kind,
    /// Higher is better; 0 when listing without a query.
    pub score: f32,
    /// The record holds every word of the query (false for hits on some words and fuzzy ones).
    pub matched_all: bool,
}

/// The records found for one query, all kinds, best first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchOutcome {
    pub query: String,
    pub found: Vec<Found>,
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
