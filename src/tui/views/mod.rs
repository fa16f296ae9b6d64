//! Drawing: one file per view; `draw` only reads the state.

pub mod adhoc;
pub mod detail;
pub mod export;
pub mod filters;
pub mod gaps;
pub mod help;
pub mod loading;
pub mod matches;
pub mod preview;
pub mod saved_searches;
pub mod search;
pub mod status;

use super::app::{App, LoadState, Overlay, Screen};
use super::keys::Context;
use super::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, BorderType, Borders, Clear};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

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
        Some(Overlay::Export(dialog)) => {
            let hints = app.keymap.hint_line(Context::Export);
            export::draw(frame, area, dialog, hints, theme)
        }
        Some(Overlay::AdHoc(form)) => {
            let hints = app.keymap.hint_line(Context::AdHoc);
            adhoc::draw(frame, area, form, hints, theme)
        }
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
    clear_by_width(frame.buffer_mut(), area);
    frame.render_widget(Clear, area);
    let b = block(title.to_string(), true, theme);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    inner
}

/// Clears what a popup over `area` would otherwise leave half-covered: a double-width
/// character just left of the area reaches into its first column (over the border), so it
/// goes too. (Inside the area, `Clear` resets every cell; one straddling the right edge starts
/// inside and is reset with them.)
pub fn clear_by_width(buffer: &mut Buffer, area: Rect) {
    let area = area.intersection(buffer.area);
    if area.is_empty() || area.x == buffer.area.x {
        return;
    }
    for y in area.top()..area.bottom() {
        let cell = &mut buffer[(area.x - 1, y)];
        if cell.symbol().width() > 1 {
            cell.set_symbol(" ");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;

    #[test]
    fn a_popup_clears_a_wide_character_reaching_over_its_border() {
        let mut terminal = Terminal::new(TestBackend::new(12, 3)).expect("terminal");
        terminal
            .draw(|frame| {
                // い occupies columns 2 and 3; the popup starts at column 3.
                frame.render_widget(ratatui::text::Line::from("あいうえお"), frame.area());
                popup(frame, Rect::new(3, 0, 6, 3), "", &Theme::colorless());
            })
            .expect("draw");
        let buffer = terminal.backend().buffer();
        assert_eq!(
            buffer[(2, 0)].symbol(),
            " ",
            "い is gone, not half under the border"
        );
        assert_eq!(buffer[(3, 0)].symbol(), "┏");
        assert_eq!(
            buffer[(0, 0)].symbol(),
            "あ",
            "what is wholly outside stays"
        );
    }
}
