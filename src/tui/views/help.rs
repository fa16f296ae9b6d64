//! The help overlay: the key table, the context it was opened in first.

use super::super::app::App;
use super::super::keymap::{HelpLine, Keymap};
use super::super::keys;
use super::super::layout;
use super::super::strings;
use super::super::theme::Theme;
use super::popup;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The help text, every context's keys, `first` at the top.
pub fn lines(keymap: &Keymap, first: keys::Context, theme: &Theme) -> Vec<Line<'static>> {
    keymap
        .help_lines(first)
        .into_iter()
        .map(|line| match line {
            HelpLine::Heading(context) => {
                let title = if context == first {
                    format!("{} {}", context.title(), strings::HELP_HERE)
                } else {
                    context.title().to_string()
                };
                Line::from(Span::styled(title, theme.title))
            }
            HelpLine::Key(key, help) => Line::from(vec![
                Span::styled(format!("  {key:<12}"), theme.accent),
                Span::raw(help),
            ]),
            HelpLine::Typing => Line::from(vec![
                Span::styled(format!("  {:<12}", strings::HELP_CHARACTERS), theme.accent),
                Span::raw(strings::HELP_TYPED),
            ]),
            HelpLine::QuitNow(keys) => Line::from(vec![
                Span::styled(format!("  {keys:<12}"), theme.accent),
                Span::raw(strings::HELP_CTRL_C),
            ]),
            HelpLine::Mouse => Line::from(Span::styled(strings::HELP_MOUSE, theme.muted)),
        })
        .collect()
}

/// The overlay's rectangle on a screen of `area`.
pub fn rect(area: Rect) -> Rect {
    layout::centered(area, 64, area.height.saturating_sub(2))
}

/// Draws the overlay.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let inner = popup(frame, rect(area), strings::HELP_TITLE, theme);
    let all = lines(&app.keymap, app.help_context, theme);
    let max_scroll = all.len().saturating_sub(inner.height as usize);
    let scroll = app.help_scroll.min(max_scroll);
    frame.render_widget(Paragraph::new(all).scroll((scroll as u16, 0)), inner);
}
