//! The filter panel: facets with their values and counts, toggled with Space.

use super::super::app::App;
use super::super::strings;
use super::super::theme::Theme;
use super::block;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// Draws the panel in the side area.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let b = block(strings::FILTERS_TITLE, true, theme);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    if inner.height == 0 {
        return;
    }
    let mut lines = vec![Line::from(Span::styled(strings::FILTERS_HINT, theme.muted))];
    let width = inner.width as usize;
    let rows = inner.height.saturating_sub(1) as usize;
    for (i, row) in app
        .filter_rows
        .iter()
        .enumerate()
        .skip(app.filter_cursor.offset)
        .take(rows)
    {
        let selected = i == app.filter_cursor.selected;
        let base = if selected {
            theme.selection
        } else {
            Style::new()
        };
        let line = match &row.value {
            None => Line::from(Span::styled(
                strings::facet_title(row.facet).to_string(),
                theme.title.patch(base),
            )),
            Some(value) => {
                let on = app.active_filters.contains(&(row.facet, value.clone()));
                let check = if on { "[x] " } else { "[ ] " };
                let count = format!(" {}", row.count);
                let room = width.saturating_sub(2 + check.width() + count.width());
                let name = crate::width::truncate_to_width(value, room);
                let pad = room.saturating_sub(name.width());
                Line::from(vec![
                    Span::styled(
                        format!("  {check}"),
                        if on { theme.mark.patch(base) } else { base },
                    ),
                    Span::styled(name, base),
                    Span::styled(" ".repeat(pad), base),
                    Span::styled(count, theme.muted.patch(base)),
                ])
            }
        };
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
