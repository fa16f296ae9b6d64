//! The Gaps view: per disease, the needs and proposals whose best allowed dataset is missing or
//! weak, each with why (the content of `musubi gaps`); the selected one's reason in full below.

use super::super::app::App;
use super::super::gaps_screen::{GapRow, GapsState};
use super::super::layout;
use super::super::strings;
use super::super::theme::Theme;
use super::{block, status};
use crate::gaps::GapReport;
use crate::width::truncate_to_width;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// The width of the category column (the longest, "related field only").
const WHY_WIDTH: usize = 18;

/// A category of gap in words (`all_blocked` → `all blocked`).
fn category_words(category: &str) -> String {
    category.replace('_', " ")
}

/// Draws the view over the whole screen.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, state: &GapsState, theme: &Theme) {
    frame.render_widget(Clear, area);
    let areas = layout::full_view(area);
    let title = match &state.report {
        Some(r) => strings::gaps_title(r.gaps, r.subjects),
        None => strings::GAPS_TITLE.to_string(),
    };
    let b = block(
        truncate_to_width(&title, (area.width as usize).saturating_sub(4)),
        true,
        theme,
    );
    let inner = b.inner(areas.list);
    frame.render_widget(b, areas.list);
    let waiting = match (&state.error, &state.report) {
        (Some(e), _) => Some(Span::styled(e.clone(), theme.warning)),
        (None, None) => Some(Span::styled(strings::GAPS_COMPUTING, theme.muted)),
        (None, Some(r)) if r.diseases.is_empty() => {
            Some(Span::styled(strings::GAPS_NONE, theme.muted))
        }
        _ => None,
    };
    if let Some(text) = waiting {
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
    } else if let Some(report) = &state.report {
        draw_rows(frame, inner, state, report, theme);
    }
    draw_selected(frame, areas.detail, state, theme);
    status::draw(frame, areas.status, app, theme, None);
}

fn draw_rows(frame: &mut Frame, area: Rect, state: &GapsState, report: &GapReport, theme: &Theme) {
    let width = area.width as usize;
    let height = area.height as usize;
    let rows = state.rows();
    let selected_row = state.selected_row();
    // The selected row stays in sight, its disease heading too when there is room.
    let offset = (selected_row + 1).saturating_sub(height);
    let id_width = crate::width::id_column(
        report
            .diseases
            .iter()
            .flat_map(|d| d.gaps.iter().map(|g| g.subject.as_str())),
    );
    let mut lines = Vec::new();
    for row in rows.iter().skip(offset).take(height) {
        match *row {
            GapRow::Disease(d) => {
                let group = &report.diseases[d];
                let label = if group.label.trim().is_empty() {
                    strings::GAPS_NO_DISEASE
                } else {
                    group.label.as_str()
                };
                let counts: Vec<String> = group
                    .counts
                    .iter()
                    .map(|(category, n)| format!("{} {n}", category_words(category)))
                    .collect();
                let text = strings::gaps_heading(
                    label,
                    group.gaps.len(),
                    &counts.join(", "),
                    group.cases_needed,
                );
                lines.push(Line::from(Span::styled(
                    truncate_to_width(&text, width),
                    theme.title,
                )));
            }
            GapRow::Gap(d, g, n) => {
                let gap = &report.diseases[d].gaps[g];
                let selected = n == state.selected;
                let base = if selected {
                    theme.selection
                } else {
                    Style::new()
                };
                let id = truncate_to_width(&gap.subject, id_width);
                let id = format!("  {id}{} ", " ".repeat(id_width.saturating_sub(id.width())));
                let why = category_words(gap.reason.category());
                let why = format!(
                    "{why}{} ",
                    " ".repeat(WHY_WIDTH.saturating_sub(why.width()))
                );
                let room = width.saturating_sub(id.width() + why.width());
                let title = truncate_to_width(&gap.title, room);
                let pad = if selected {
                    room.saturating_sub(title.width())
                } else {
                    0
                };
                lines.push(Line::from(vec![
                    Span::styled(id, theme.muted.patch(base)),
                    Span::styled(why, theme.warning.patch(base)),
                    Span::styled(title, base),
                    Span::styled(" ".repeat(pad), base),
                ]));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn draw_selected(frame: &mut Frame, area: Rect, state: &GapsState, theme: &Theme) {
    let b = block(strings::DETAIL_TITLE, false, theme);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let Some(gap) = state.selected_gap() else {
        return;
    };
    let mut head = vec![
        Span::styled(gap.title.clone(), theme.title),
        Span::styled(format!("  {} · {}", gap.kind, gap.subject), theme.muted),
    ];
    if let Some(cases) = gap.cases_needed {
        head.push(Span::styled(format!(" · {cases} cases"), theme.muted));
    }
    let lines = vec![
        Line::from(head),
        Line::from(Span::styled(gap.reason.explain(), theme.warning)),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
