//! The first screen while every record is read: the search screen's frame with each tab's
//! count and the first rows of the tab the app opens on (see [`crate::tui::preview`]), the
//! records being read where the details go, and a word that typing is kept.

use super::super::app::App;
use super::super::layout;
use super::super::preview::Preview;
use super::super::strings;
use super::super::theme::Theme;
use super::super::widgets::tab_bar;
use super::block;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// Draws the preview, with the spinner's character `tick`.
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    preview: &Preview,
    tick: char,
    theme: &Theme,
) {
    let areas = layout::search(area);
    frame.render_widget(
        tab_bar::line(&preview.counts, preview.kind, theme),
        areas.tabs,
    );
    // Keys typed ahead start a new query: the restored one shows only while none are.
    let restored = app
        .restore
        .as_ref()
        .map(|s| s.query.trim())
        .filter(|q| !q.is_empty() && app.typed_ahead.keys == 0);
    let search = block(strings::SEARCH_TITLE, true, theme);
    let inner = search.inner(areas.search);
    frame.render_widget(search, areas.search);
    let typed = match (&app.typed_ahead.text, restored) {
        _ if app.typed_ahead.keys == 0 => match restored {
            Some(query) => Span::raw(query.to_string()),
            None => Span::styled(strings::PREVIEW_TYPE_AHEAD, theme.muted),
        },
        (Some(text), _) => Span::raw(text.clone()),
        (None, _) => Span::styled(strings::keys_kept(app.typed_ahead.keys), theme.muted),
    };
    frame.render_widget(Paragraph::new(Line::from(typed)), inner);
    draw_rows(frame, areas.list, preview, theme);
    let side = block(strings::DETAIL_TITLE, false, theme);
    let inner = side.inner(areas.side);
    frame.render_widget(side, areas.side);
    let lines = vec![Line::from(vec![
        Span::styled(format!("{tick} "), theme.accent),
        Span::raw(strings::reading_records(preview.counts.iter().sum())),
    ])];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
    let status =
        crate::width::truncate_to_width(strings::PREVIEW_STATUS, areas.status.width as usize);
    frame.render_widget(Line::from(Span::styled(status, theme.muted)), areas.status);
}

/// The tab's first rows (the first one selected, as the list will have it), or, when the
/// preview has none for a tab that has records (a query or filters restored), that the
/// results come once the records are read.
fn draw_rows(frame: &mut Frame, area: Rect, preview: &Preview, theme: &Theme) {
    let count = preview.counts[super::super::listing::tab_of(preview.kind)];
    let waiting = preview.rows.is_empty() && count > 0;
    let title = format!(
        " {} {}/{count} ",
        preview.kind.plural_title(),
        usize::from(!preview.rows.is_empty())
    );
    let b = block(title, false, theme);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    if waiting {
        frame.render_widget(
            Paragraph::new(Span::styled(strings::PREVIEW_SEARCHING, theme.muted))
                .wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let shown = preview.rows.iter().take(inner.height as usize);
    let id_width = crate::width::id_column(shown.clone().map(|(id, _)| id.as_str()));
    let lines: Vec<Line> = shown
        .enumerate()
        .map(|(i, (id, title))| {
            let base = if i == 0 {
                theme.selection
            } else {
                ratatui::style::Style::new()
            };
            let id = crate::width::truncate_to_width(id, id_width);
            let pad = " ".repeat(id_width.saturating_sub(id.width()));
            let room = (inner.width as usize).saturating_sub(2 + id_width + 1);
            let title = crate::width::truncate_to_width(title, room);
            let fill = " ".repeat(room.saturating_sub(title.width()));
            Line::from(vec![
                Span::styled("  ", base),
                Span::styled(format!("{id}{pad} "), theme.muted.patch(base)),
                Span::styled(format!("{title}{fill}"), base),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
