//! The status line: the keys that work right now, and messages.

use super::super::app::App;
use super::super::keymap::Hint;
use super::super::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// Draws the status line: a message when there is one, else the key hints that fit, with the
/// marked count on the right.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, right: Option<String>) {
    if area.height == 0 {
        return;
    }
    let width = area.width as usize;
    if let Some(message) = &app.message {
        let style = if message.error {
            theme.warning
        } else {
            theme.highlight
        };
        let text = crate::width::truncate_to_width(&message.text, width);
        frame.render_widget(Line::from(Span::styled(text, style)), area);
        return;
    }
    let right = right.unwrap_or_default();
    let room = width.saturating_sub(right.width() + 1);
    let hint_width = |h: &Hint| h.label.width() + h.help.width() + 3;
    let mut hints = app.keymap.status_hints(app.context());
    // When not every hint fits, the general moves go first (the help overlay lists them), so
    // the keys of this view and the help key itself stay.
    for general in ["↓/j", "Esc", "/", "Tab", "Enter", "Enter/↓"] {
        if hints.iter().map(hint_width).sum::<usize>() <= room {
            break;
        }
        hints.retain(|h| h.default_label != general);
    }
    let mut spans = Vec::new();
    let mut used = 0;
    for hint in &hints {
        let w = hint_width(hint);
        if used + w > room {
            break;
        }
        spans.push(Span::styled(hint.label.to_string(), theme.title));
        spans.push(Span::raw(format!(" {}  ", hint.help)));
        used += w;
    }
    let pad = width.saturating_sub(used + right.width());
    spans.push(Span::raw(" ".repeat(pad)));
    spans.push(Span::styled(right, theme.mark));
    frame.render_widget(Line::from(spans), area);
}
