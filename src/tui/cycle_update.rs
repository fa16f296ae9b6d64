//! How the outreach cycle changes the app: the keys that open the Gaps view and the saved
//! searches from the search screen, the match list's outreach filters, the request for what is
//! new when a match list opens, and the outcomes coming back from the runtime.

use super::action::Action;
use super::app::{App, MatchTarget, Overlay, Request};
use super::cycle::{CycleOutcome, CycleRequest};
use super::gaps_screen::GapsState;
use super::layout;
use super::saved_searches::{self, SavedSearches};
use super::strings;
use crate::matching::Subject;
use crate::model::Kind;

/// A key of the outreach cycle on the search screen: the Gaps view, saving the current search,
/// the saved searches.
pub fn on_search_key(app: &mut App, action: Action) {
    match action {
        Action::Gaps => {
            app.overlay = Some(Overlay::Gaps(GapsState::default()));
            app.pending.push(Request::Cycle(CycleRequest::Gaps));
        }
        Action::SaveSearch => saved_searches::start_saving(app),
        Action::SavedSearches => saved_searches::start_listing(app),
        _ => {}
    }
}

/// A key of the match list's outreach filters: the next status filter, or "new only".
pub fn on_matches_key(app: &mut App, action: Action) {
    let height = layout::inner(layout::matches(app.size).list).height as usize;
    let Some(m) = &mut app.matches else {
        return;
    };
    let keep = m.selection_key();
    match action {
        Action::OutreachFilter => m.cycle.filter = m.cycle.filter.next(),
        Action::NewOnly => m.cycle.new_only = !m.cycle.new_only,
        _ => return,
    }
    m.reselect(keep);
    // Marks belong to the session and stay; exports and the log act on the shown rows only.
    m.fit(height);
}

/// The Gaps view a match list was opened from, to show again when `Esc` leaves the list.
pub fn gaps_to_return_to(app: &mut App) -> Option<GapsState> {
    app.matches
        .as_mut()
        .and_then(|m| m.cycle.back_to_gaps.take())
        .map(|gaps| *gaps)
}

/// Keeps the match list's selection on a shown row after the rows the filters keep changed.
fn refit(app: &mut App) {
    let height = layout::inner(layout::matches(app.size).list).height as usize;
    if let Some(m) = &mut app.matches {
        m.fit(height);
    }
}

/// After `o` logged matches: rows may have left the outreach filter, and the subject's last
/// outreach moved, so what counts as new is asked again.
pub fn after_logged(app: &mut App) {
    refit(app);
    request_news(app);
}

/// Asks what is new for the match list's subject (needs and proposals, as `musubi news`).
pub fn request_news(app: &mut App) {
    let Some(m) = &app.matches else {
        return;
    };
    let subject = match &m.target {
        MatchTarget::Record {
            id,
            kind: Kind::Need,
        } => Subject::Need(id.clone()),
        MatchTarget::Record {
            id,
            kind: Kind::Proposal,
        } => Subject::Proposal(id.clone()),
        _ => return,
    };
    let id = match &subject {
        Subject::Need(id) | Subject::Proposal(id) => id.clone(),
        _ => return,
    };
    app.pending
        .push(Request::Cycle(CycleRequest::News { subject, id }));
}

/// Applies an outcome of the runtime.
pub fn apply(app: &mut App, outcome: CycleOutcome) {
    match outcome {
        CycleOutcome::Gaps(result) => {
            if let Some(Overlay::Gaps(state)) = &mut app.overlay {
                match result {
                    Ok(report) => state.report = Some(report),
                    Err(e) => state.error = Some(e),
                }
            }
        }
        CycleOutcome::News(result) => match result {
            Ok(news) => {
                if let Some(m) = &mut app.matches {
                    if matches!(&m.target, MatchTarget::Record { id, .. } if *id == news.subject) {
                        m.cycle.news = Some(news);
                    }
                }
                refit(app);
            }
            Err(e) => app.say(e, true),
        },
        CycleOutcome::Watches(result) => {
            if let Some(Overlay::SavedSearches(SavedSearches::List {
                rows,
                error,
                selected,
                ..
            })) = &mut app.overlay
            {
                match result {
                    Ok(found) => {
                        *selected = (*selected).min(found.len().saturating_sub(1));
                        *rows = Some(found);
                    }
                    Err(e) => {
                        *rows = Some(Vec::new());
                        *error = Some(e);
                    }
                }
            }
        }
        CycleOutcome::Saved(result) => match result {
            Ok((name, hits)) => {
                // The naming dialog closes, unless the user has moved on while it was saved.
                if matches!(
                    app.overlay,
                    Some(Overlay::SavedSearches(SavedSearches::Naming { .. }))
                ) {
                    app.overlay = None;
                }
                app.say(strings::saved(&name, hits), false);
            }
            Err(e) => {
                if let Some(Overlay::SavedSearches(SavedSearches::Naming { error, .. })) =
                    &mut app.overlay
                {
                    *error = Some(e);
                } else {
                    app.say(e, true);
                }
            }
        },
        CycleOutcome::Opened(result) => match result {
            // Run only while the list it was opened from is still shown (results come back
            // from the worker: the user may have gone on to something else).
            Ok(row) => {
                if matches!(
                    app.overlay,
                    Some(Overlay::SavedSearches(SavedSearches::List { .. }))
                ) {
                    saved_searches::opened(app, row);
                }
            }
            Err(e) => app.say(e, true),
        },
    }
}
