//! The help overlay: the key table, by context, the current one first.

use super::super::app::App;
use super::super::keys::{self, Context};
use super::super::layout;
use super::super::strings;
use super::super::theme::Theme;
use super::popup;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

const CONTEXTS: [Context; 10] = [
    Context::List,
    Context::SearchBox,
    Context::Detail,
    Context::Filters,
    Context::Matches,
    Context::Export,
    Context::AdHoc,
    Context::Gaps,
    Context::SavedSearches,
    Context::SaveSearch,
];

/// The help text, every context's keys.
pub fn lines(theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for context in CONTEXTS {
        out.push(Line::from(Span::styled(context.title(), theme.title)));
        for (key, help) in keys::help_rows(context) {
            out.push(Line::from(vec![
                Span::styled(format!("  {key:<10}"), theme.accent),
                Span::raw(help),
            ]));
        }
    }
    out.push(Line::from(vec![
        Span::styled("  Ctrl-C    ", theme.accent),
        Span::raw("quit at once (anywhere)"),
    ]));
    out.push(Line::from(Span::styled(
        "Mouse: click tabs, rows and panes; wheel scrolls.",
        theme.muted,
    )));
    out
}

/// Draws the overlay.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let rect = layout::centered(area, 64, area.height.saturating_sub(2));
    let inner = popup(frame, rect, strings::HELP_TITLE, theme);
    let all = lines(theme);
    let max_scroll = all.len().saturating_sub(inner.height as usize);
    let scroll = app.help_scroll.min(max_scroll);
    frame.render_widget(Paragraph::new(all).scroll((scroll as u16, 0)), inner);
}
