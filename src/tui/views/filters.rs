//! The filter panel: one facet of the tab shown, its values with counts (← → switch facets,
//! `/` narrows the values, Space toggles).

use super::super::app::{panel_facets, App, Focus, FILTER_HEADER_ROWS};
use super::super::strings;
use super::super::theme::Theme;
use super::super::widgets::text_input;
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
    if inner.height < FILTER_HEADER_ROWS + 1 {
        return;
    }
    let width = inner.width as usize;
    // The facet's heading: which of the tab's facets this is, and how many values are on.
    let offered = panel_facets(app.kind);
    let position = offered
        .iter()
        .position(|f| *f == app.filter_facet)
        .map(|i| i + 1)
        .unwrap_or(0);
    let on = app
        .active_filters
        .iter()
        .filter(|(f, _)| *f == app.filter_facet)
        .count();
    let heading = strings::facet_heading(
        strings::facet_title(app.filter_facet),
        position,
        offered.len(),
        on,
    );
    frame.render_widget(
        Line::from(Span::styled(
            crate::width::truncate_to_width(&heading, width),
            theme.title,
        )),
        Rect { height: 1, ..inner },
    );
    // The find line: what narrows the values, or how to narrow them.
    let find_area = Rect {
        y: inner.y + 1,
        height: 1,
        ..inner
    };
    let finding = app.focus == Focus::FilterFind;
    if finding || !app.filter_find.text().is_empty() {
        frame.render_widget(Span::styled("/", theme.accent), find_area);
        let field = Rect {
            x: find_area.x + 1,
            width: find_area.width.saturating_sub(1),
            ..find_area
        };
        text_input::render(
            frame,
            field,
            &app.filter_find,
            finding,
            "",
            Style::new(),
            theme.muted,
        );
    } else {
        frame.render_widget(
            Span::styled(
                crate::width::truncate_to_width(strings::FILTERS_HINT, width),
                theme.muted,
            ),
            find_area,
        );
    }
    let values = Rect {
        y: inner.y + FILTER_HEADER_ROWS,
        height: inner.height - FILTER_HEADER_ROWS,
        ..inner
    };
    if app.filter_rows.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(
                if app.facets_pending() {
                    strings::COUNTING_FILTER_VALUES
                } else {
                    strings::NO_FILTER_VALUES
                },
                theme.muted,
            )),
            values,
        );
        return;
    }
    let mut lines = Vec::new();
    for (i, row) in app
        .filter_rows
        .iter()
        .enumerate()
        .skip(app.filter_cursor.offset)
        .take(values.height as usize)
    {
        let selected = i == app.filter_cursor.selected;
        let base = if selected {
            theme.selection
        } else {
            Style::new()
        };
        let on = app.active_filters.contains(&(row.facet, row.value.clone()));
        let check = if on { "[x] " } else { "[ ] " };
        let count = format!(" {}", row.count);
        let room = width.saturating_sub(check.width() + count.width());
        let name = crate::width::truncate_to_width(&row.value, room);
        let pad = room.saturating_sub(name.width());
        lines.push(Line::from(vec![
            Span::styled(check, if on { theme.mark.patch(base) } else { base }),
            Span::styled(name, base),
            Span::styled(" ".repeat(pad), base),
            Span::styled(count, theme.muted.patch(base)),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), values);
}
