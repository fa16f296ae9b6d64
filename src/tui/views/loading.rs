//! The loading screen while the index is checked or (re)built, and the error when opening failed.

use super::super::app::{App, LoadState};
use super::super::layout;
use super::super::strings;
use super::super::theme::Theme;
use super::popup;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/// Draws the loading indicator or the failure.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    match &app.load {
        LoadState::Loading { frame: tick, .. } if app.preview.is_some() => {
            if let Some(preview) = &app.preview {
                let spinner = SPINNER[tick % SPINNER.len()];
                super::preview::draw(frame, area, app, preview, spinner, theme);
            }
        }
        LoadState::Loading { step, frame: tick } => {
            let rect = layout::centered(area, 48, 5);
            let inner = popup(frame, rect, strings::LOADING_TITLE, theme);
            let lines = vec![
                Line::from(Span::styled(strings::APP_NAME, theme.title)),
                Line::from(vec![
                    Span::styled(format!("{} ", SPINNER[tick % SPINNER.len()]), theme.accent),
                    Span::raw(strings::progress(step)),
                ]),
            ];
            frame.render_widget(Paragraph::new(lines).centered(), inner);
        }
        LoadState::Failed(error) => {
            let rect = layout::centered(
                area,
                area.width.saturating_sub(4),
                area.height.saturating_sub(4),
            );
            let inner = popup(frame, rect, strings::LOADING_TITLE, theme);
            let mut lines = vec![Line::from(Span::styled(
                strings::LOAD_FAILED,
                theme.warning,
            ))];
            lines.extend(error.lines().map(|l| Line::from(l.to_string())));
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                strings::LOAD_FAILED_HINT,
                theme.muted,
            )));
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        }
        LoadState::Ready => {}
    }
}
