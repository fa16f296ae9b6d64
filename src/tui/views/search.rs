//! The search screen: tab bar, search box, result list, and the detail pane or filter panel.

use super::super::app::{App, Focus};
use super::super::layout;
use super::super::strings;
use super::super::theme::Theme;
use super::super::widgets::{highlight, score_bar, tab_bar, text_input};
use super::{block, detail, filters, status};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// Width of the score bar of a result row.
const SCORE_BAR: usize = 4;

/// Draws the search screen.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let areas = layout::search(area);
    frame.render_widget(tab_bar::line(&app.counts(), app.kind, theme), areas.tabs);
    draw_search_box(frame, areas.search, app, theme);
    draw_list(frame, areas.list, app, theme);
    if matches!(app.focus, Focus::Filters | Focus::FilterFind) {
        filters::draw(frame, areas.side, app, theme);
    } else {
        detail::draw_pane(frame, areas.side, app, theme);
    }
    let mut right = (!app.marks.is_empty()).then(|| strings::marked(app.marks.len()));
    let filtering =
        !app.active_filters.is_empty() || matches!(app.focus, Focus::Filters | Focus::FilterFind);
    if filtering && app.facets_pending() {
        right = Some(strings::COUNTING_FILTER_VALUES.to_string());
    }
    status::draw(frame, areas.status, app, theme, right);
}

fn draw_search_box(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let focused = app.focus == Focus::SearchBox;
    let mut hint = Vec::new();
    if !app.active_filters.is_empty() {
        hint.push(strings::filters_on(app.active_filters.len()));
    }
    if app.outcome.some_words {
        hint.push(strings::SOME_WORDS.to_string());
    }
    // Concepts the query was read as, less the query itself ("also: 小児がん" for 小児がん).
    let typed = app.query.text().trim().to_lowercase();
    let also: Vec<&str> = app
        .outcome
        .concepts
        .iter()
        .map(String::as_str)
        .filter(|c| c.trim().to_lowercase() != typed)
        .collect();
    if !also.is_empty() {
        hint.push(format!("{}{}", strings::ALSO_SEARCHING, also.join(", ")));
    }
    let mut b = block(strings::SEARCH_TITLE, focused, theme);
    if !hint.is_empty() {
        let text = crate::width::truncate_to_width(
            &format!(" {} ", hint.join(" · ")),
            (area.width as usize).saturating_sub(12),
        );
        b = b.title_top(Line::from(Span::styled(text, theme.muted)).right_aligned());
    }
    let inner = b.inner(area);
    frame.render_widget(b, area);
    text_input::render(
        frame,
        inner,
        &app.query,
        focused,
        strings::SEARCH_PLACEHOLDER,
        ratatui::style::Style::new(),
        theme.muted,
    );
}

fn draw_list(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let focused = app.focus == Focus::List;
    let cursor = app.cursor();
    let list = app.list();
    let title = format!(
        " {} {}/{} ",
        app.kind.plural_title(),
        if list.is_empty() {
            0
        } else {
            cursor.selected + 1
        },
        list.len()
    );
    let b = block(title, focused, theme);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let Some(data) = &app.data else {
        return;
    };
    if list.is_empty() {
        let text = match app.other_tab_with_hits() {
            Some((kind, n)) => {
                strings::hits_elsewhere(app.kind.plural_title(), kind.plural_title(), n)
            }
            None => strings::NO_RESULTS.to_string(),
        };
        frame.render_widget(
            Paragraph::new(Span::styled(text, theme.muted))
                .wrap(ratatui::widgets::Wrap { trim: true }),
            inner,
        );
        return;
    }
    // With a query: how good each hit is against the best, and whether it holds every word.
    let querying = !app.outcome.query.trim().is_empty();
    let best = list.iter().map(|f| f.score).fold(0.0f32, f32::max);
    let id_width = crate::width::id_column(
        list.iter()
            .skip(cursor.offset)
            .take(inner.height as usize)
            .map(|f| data.id_of(f)),
    );
    let query = app.query.text();
    let mut lines = Vec::new();
    for (i, found) in list
        .iter()
        .enumerate()
        .skip(cursor.offset)
        .take(inner.height as usize)
    {
        let selected = i == cursor.selected;
        let found_id = data.id_of(found);
        let marked = app.marks.contains(found_id);
        let base = if selected {
            theme.selection
        } else {
            ratatui::style::Style::new()
        };
        let title = data.record_of(found).map(|r| r.title()).unwrap_or_default();
        let mark = if marked { "● " } else { "  " };
        let id = crate::width::truncate_to_width(found_id, id_width);
        let id_pad = id_width.saturating_sub(id.width());
        let score = if querying {
            let all = if found.matched_all { "✓" } else { " " };
            let relative = if best > 0.0 {
                (found.score / best) as f64
            } else {
                0.0
            };
            format!("{all}{} ", score_bar::bar(relative, SCORE_BAR))
        } else {
            String::new()
        };
        let room = (inner.width as usize).saturating_sub(2 + id_width + 1 + score.width());
        let positions = highlight::positions(&title, query);
        let mut spans = vec![
            Span::styled(mark, if marked { theme.mark.patch(base) } else { base }),
            Span::styled(
                format!("{id}{} ", " ".repeat(id_pad)),
                theme.muted.patch(base),
            ),
            Span::styled(score, theme.accent.patch(base)),
        ];
        let text = highlight::spans(&title, room, &positions, base, theme.highlight.patch(base));
        let text_width = text.width();
        spans.extend(text.spans);
        if selected {
            spans.push(Span::styled(
                " ".repeat(room.saturating_sub(text_width)),
                base,
            ));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
