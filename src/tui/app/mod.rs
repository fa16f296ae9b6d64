//! The app's state and `update`, which applies one action to it. No I/O and no drawing here:
//! work that needs the index, the matcher or the disk is asked for through `pending` requests
//! that the runtime carries out, and their results come back as actions.

use super::action::{Action, Edit, ExportOutcome, Found, SearchOutcome};
use super::cycle::CycleRequest;
use super::cycle_update;
use super::data::Data;
use super::gaps_screen::{self, GapsState};
use super::keymap::Keymap;
use super::keys::Context;
use super::layout;
use super::outreach_filter::MatchCycle;
use super::saved_searches::{self, SavedSearches};
use super::strings;
use super::widgets::tab_bar;
use super::widgets::text_input::TextInput;
use crate::consent::Date;
use crate::export::ExportFormat;
use crate::facets::{self, Facet};
use crate::i18n::Lang;
use crate::matching::{AdHocNeed, MatchItem, MatchReport, MatchSubject, SubjectKind};
use crate::model::{Kind, Record};
use crate::workspace::Progress;
use ratatui::layout::Rect;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

mod adhoc;
mod detail;
mod export;
mod filters;
mod help;
mod matches;
mod mouse;
mod search;
mod state;

pub use adhoc::*;
pub use export::*;
pub use filters::*;
pub use matches::*;
pub use state::*;

use detail::update_detail;
use help::update_help;
use mouse::{click, scroll};
use search::update_search;

/// Applies one action.
pub fn update(app: &mut App, action: Action) {
    match action {
        Action::Tick => {
            if let LoadState::Loading { frame, .. } = &mut app.load {
                *frame = frame.wrapping_add(1);
            }
            return;
        }
        Action::Progress(step) => {
            if let LoadState::Loading { step: s, .. } = &mut app.load {
                *s = step;
            }
            return;
        }
        Action::Preview(preview) => {
            if matches!(app.load, LoadState::Loading { .. }) {
                app.preview = Some(preview);
            }
            return;
        }
        Action::Loaded(data) => {
            app.load = LoadState::Ready;
            app.preview = None;
            app.typed_ahead = Default::default();
            app.data = Some(data);
            if let Some(session) = app.restore.take() {
                session.apply(app);
            }
            app.request_search();
            return;
        }
        Action::FacetsReady => {
            app.refresh_lists();
            return;
        }
        Action::FacetsFailed(error) => {
            app.facets_failed = true;
            app.say(strings::facets_failed(&error), true);
            app.refresh_lists();
            return;
        }
        Action::LoadFailed(error) => {
            app.load = LoadState::Failed(error);
            return;
        }
        Action::SearchDone(outcome) => {
            // A newer query is on its way: this one is stale.
            if outcome.query == app.query.text() {
                app.outcome = outcome;
                app.refresh_lists();
            }
            return;
        }
        Action::MatchDone(target, result) => {
            // The list was left (or another opened) while this one was worked out: stale.
            if let Some(m) = app.matches.as_mut().filter(|m| m.target == target) {
                match result {
                    Ok(report) => {
                        m.report = Some(report);
                        m.error = None;
                    }
                    Err(e) => m.error = Some(e),
                }
                m.cursor = ListCursor::default();
            }
            return;
        }
        Action::ExportDone(outcome) => {
            match outcome {
                ExportOutcome::Written(summary) => {
                    // The dialog closes, unless the user has moved on while it was written.
                    if matches!(app.overlay, Some(Overlay::Export(_))) {
                        app.overlay = None;
                    }
                    let mut text =
                        strings::exported(summary.rows, &summary.path, summary.withheld_contacts);
                    if summary.left_out > 0 {
                        text.push_str(&strings::left_out_blocked(
                            summary.left_out,
                            summary.left_out_for_review,
                        ));
                    }
                    app.say(text, summary.left_out > 0);
                }
                ExportOutcome::Exists(_) => {
                    if let Some(Overlay::Export(d)) = &mut app.overlay {
                        d.confirm_overwrite = true;
                    }
                }
                ExportOutcome::Failed(e) => app.say(e, true),
            }
            return;
        }
        Action::Logged(result) => {
            match result {
                Ok((report, n)) => {
                    if let Some(m) = &mut app.matches {
                        m.report = Some(report);
                    }
                    app.say(strings::logged_contacted(n), false);
                    cycle_update::after_logged(app);
                }
                Err(e) => app.say(e, true),
            }
            return;
        }
        Action::Resize { width, height } => {
            app.on_resize(width, height);
            return;
        }
        Action::Cycle(outcome) => {
            cycle_update::apply(app, outcome);
            return;
        }
        _ => {}
    }
    app.message = None;
    let confirming = std::mem::take(&mut app.confirm_quit);
    match action {
        Action::QuitNow => {
            app.quit = true;
            return;
        }
        Action::Quit if app.marks.is_empty() || confirming || app.load != LoadState::Ready => {
            app.quit = true;
            return;
        }
        Action::Quit => {
            app.confirm_quit = true;
            app.say(strings::quit_with_marks(app.marks.len()), true);
            return;
        }
        _ => {}
    }
    if app.help {
        update_help(app, action);
        return;
    }
    match app.overlay.take() {
        Some(Overlay::Export(dialog)) => return update_export(app, dialog, action),
        Some(Overlay::AdHoc(form)) => return update_adhoc(app, form, action),
        Some(Overlay::Gaps(state)) => return gaps_screen::update(app, state, action),
        Some(Overlay::SavedSearches(state)) => return saved_searches::update(app, state, action),
        None => {}
    }
    if app.load != LoadState::Ready {
        return;
    }
    match action {
        Action::ToggleHelp => app.open_help(),
        Action::Click { column, row } => click(app, column, row),
        Action::Scroll { column, row, down } => scroll(app, column, row, down),
        Action::Paste(text) if app.focus == Focus::FilterFind => {
            filters::update_filter_find(app, Action::Paste(text))
        }
        Action::Paste(text) => {
            if app.screen == Screen::Search {
                app.focus = Focus::SearchBox;
                app.query.insert_str(&text);
                app.request_search();
            }
        }
        Action::Gaps | Action::SaveSearch | Action::SavedSearches
            if app.screen == Screen::Search =>
        {
            cycle_update::on_search_key(app, action)
        }
        Action::OutreachFilter | Action::NewOnly if app.screen == Screen::Matches => {
            cycle_update::on_matches_key(app, action)
        }
        action => match app.screen {
            Screen::Search => update_search(app, action),
            Screen::Matches => update_matches(app, action),
        },
    }
}

#[cfg(test)]
mod key_table_tests;
#[cfg(test)]
mod listing_tests;
#[cfg(test)]
mod stack_tests;
#[cfg(test)]
mod tests;
