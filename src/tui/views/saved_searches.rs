//! The saved searches: the prompt that names the current search, and the list of saved
//! searches with what is new in each since the last look.

use super::super::app::App;
use super::super::cycle::WatchRow;
use super::super::layout;
use super::super::saved_searches::SavedSearches;
use super::super::strings;
use super::super::theme::Theme;
use super::super::widgets::text_input::{self, TextInput};
use super::{block, popup, status};
use crate::width::truncate_to_width;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// Draws the overlay.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, state: &SavedSearches, theme: &Theme) {
    match state {
        SavedSearches::Naming { name, query, error } => {
            draw_naming(frame, area, name, query, error.as_deref(), theme)
        }
        SavedSearches::List {
            rows,
            error,
            selected,
            ..
        } => {
            frame.render_widget(Clear, area);
            let areas = layout::full_view(area);
            let b = block(strings::SAVED_TITLE, true, theme);
            let inner = b.inner(areas.list);
            frame.render_widget(b, areas.list);
            let message = match (error, rows) {
                (Some(e), _) => Some(Span::styled(e.clone(), theme.warning)),
                (None, None) => Some(Span::styled(strings::SAVED_LOADING, theme.muted)),
                (None, Some(r)) if r.is_empty() => {
                    Some(Span::styled(strings::SAVED_NONE, theme.muted))
                }
                _ => None,
            };
            match (message, rows) {
                (Some(text), _) => {
                    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner)
                }
                (None, Some(rows)) => draw_rows(frame, inner, rows, *selected, theme),
                (None, None) => {}
            }
            let chosen = rows.as_ref().and_then(|r| r.get(*selected));
            draw_new_hits(frame, areas.detail, chosen, theme);
            status::draw(frame, areas.status, app, theme, None);
        }
    }
}

/// `2026-11-27T10:05:00+09:00` → `2026-11-27 10:05`.
fn short_time(at: &str) -> String {
    at.chars()
        .take(16)
        .map(|c| if c == 'T' { ' ' } else { c })
        .collect()
}

fn draw_rows(frame: &mut Frame, area: Rect, rows: &[WatchRow], selected: usize, theme: &Theme) {
    let width = area.width as usize;
    let height = area.height as usize;
    let offset = (selected + 1).saturating_sub(height);
    let lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, row)| {
            let base = if i == selected {
                theme.selection
            } else {
                Style::new()
            };
            let text = strings::saved_row(
                &row.name,
                &row.query,
                row.new.len(),
                &short_time(&row.since),
            );
            let text = truncate_to_width(&text, width);
            let pad = if i == selected {
                width.saturating_sub(text.width())
            } else {
                0
            };
            let style = if row.new.is_empty() {
                base
            } else {
                theme.accent.patch(base)
            };
            Line::from(vec![
                Span::styled(text, style),
                Span::styled(" ".repeat(pad), base),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

fn draw_new_hits(frame: &mut Frame, area: Rect, row: Option<&WatchRow>, theme: &Theme) {
    let title = match row {
        Some(r) => format!(" {} {} ", strings::NEW_SINCE, short_time(&r.since)),
        None => strings::DETAIL_TITLE.to_string(),
    };
    let b = block(title, false, theme);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let Some(row) = row else {
        return;
    };
    let width = inner.width as usize;
    let id_width = crate::width::id_column(row.new.iter().map(|(id, _)| id.as_str()));
    let lines: Vec<Line> = row
        .new
        .iter()
        .map(|(id, title)| {
            let id = truncate_to_width(id, id_width);
            let pad = " ".repeat(id_width.saturating_sub(id.width()));
            let room = width.saturating_sub(id_width + 1);
            Line::from(vec![
                Span::styled(format!("{id}{pad} "), theme.muted),
                Span::raw(truncate_to_width(title, room)),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_naming(
    frame: &mut Frame,
    area: Rect,
    name: &TextInput,
    query: &str,
    error: Option<&str>,
    theme: &Theme,
) {
    let rect = layout::centered(area, 60, 8);
    let inner = popup(frame, rect, strings::SAVE_TITLE, theme);
    if inner.height == 0 {
        return;
    }
    let width = inner.width as usize;
    let query = if query.trim().is_empty() {
        "(all)"
    } else {
        query
    };
    let line = |y: u16| Rect {
        y: inner.y + y,
        height: 1,
        ..inner
    };
    let rows = inner.height;
    frame.render_widget(
        Line::from(Span::styled(
            truncate_to_width(&format!("{}: {query}", strings::SEARCH_TITLE.trim()), width),
            theme.muted,
        )),
        line(0),
    );
    if rows > 2 {
        let label = format!("{}: ", strings::SAVE_NAME);
        frame.render_widget(
            Line::from(Span::styled(label.clone(), theme.title)),
            line(2),
        );
        let input = Rect {
            x: inner.x + label.width() as u16,
            width: inner.width.saturating_sub(label.width() as u16),
            ..line(2)
        };
        text_input::render(frame, input, name, true, "", Style::new(), theme.muted);
    }
    if let (Some(e), true) = (error, rows > 4) {
        frame.render_widget(
            Paragraph::new(Span::styled(e.to_string(), theme.warning)).wrap(Wrap { trim: false }),
            Rect {
                height: rows.saturating_sub(5).max(1),
                ..line(3)
            },
        );
    }
    if rows > 5 {
        frame.render_widget(
            Line::from(Span::styled(strings::SAVE_KEYS, theme.muted)),
            line(rows - 1),
        );
    }
}
