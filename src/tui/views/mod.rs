//! Drawing: one file per view; `draw` only reads the state.

pub mod adhoc;
pub mod detail;
pub mod export;
pub mod filters;
pub mod gaps;
pub mod help;
pub mod loading;
pub mod matches;
pub mod saved_searches;
pub mod search;
pub mod status;

use super::app::{App, LoadState, Overlay, Screen};
use super::theme::Theme;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, BorderType, Borders, Clear};
use ratatui::Frame;

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    let area = frame.area();
    if app.load != LoadState::Ready {
        loading::draw(frame, area, app, theme);
        return;
    }
    match app.screen {
        Screen::Search => search::draw(frame, area, app, theme),
        Screen::Matches => matches::draw(frame, area, app, theme),
    }
    match &app.overlay {
        Some(Overlay::Export(dialog)) => export::draw(frame, area, dialog, theme),
        Some(Overlay::AdHoc(form)) => adhoc::draw(frame, area, form, theme),
        Some(Overlay::Gaps(state)) => gaps::draw(frame, area, app, state, theme),
        Some(Overlay::SavedSearches(state)) => saved_searches::draw(frame, area, app, state, theme),
        None => {}
    }
    if app.help {
        help::draw(frame, area, app, theme);
    }
}

/// A bordered block with a title, accented when it has the keyboard.
pub fn block<'a>(
    title: impl Into<ratatui::text::Line<'a>>,
    focused: bool,
    theme: &Theme,
) -> Block<'a> {
    let block = Block::default().borders(Borders::ALL).title(title.into());
    if focused {
        block
            .border_type(BorderType::Thick)
            .border_style(theme.accent)
    } else {
        block.border_style(theme.muted)
    }
}

/// Clears an area for a popup and draws its frame; returns the inside.
pub fn popup(frame: &mut Frame, area: Rect, title: &str, theme: &Theme) -> Rect {
    frame.render_widget(Clear, area);
    let b = block(title.to_string(), true, theme);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    inner
}
