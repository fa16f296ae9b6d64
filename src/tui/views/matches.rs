//! The matches view: ranked datasets, partners and proposals with score bars; the selected
//! item's reasons, conditions and blocking rule below.

use super::super::app::{App, Focus, MatchRow, MatchesState, SECTIONS};
use super::super::layout;
use super::super::strings;
use super::super::theme::Theme;
use super::super::widgets::{score_bar, tab_bar};
use super::{block, detail, status};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use std::collections::BTreeSet;
use unicode_width::UnicodeWidthStr;

/// Width of the score bars.
const BAR: usize = 10;

/// Draws the matches screen.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let areas = layout::matches(area);
    frame.render_widget(tab_bar::line(&app.counts(), app.kind, theme), areas.tabs);
    let Some(m) = &app.matches else {
        return;
    };
    draw_list(
        frame,
        areas.list,
        m,
        &app.marks,
        app.focus == Focus::List,
        theme,
    );
    draw_item(frame, areas.detail, m, theme);
    let right = [
        m.cycle.describe(),
        (!app.marks.is_empty()).then(|| strings::marked(app.marks.len())),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>();
    let right = (!right.is_empty()).then(|| right.join(" · "));
    status::draw(frame, areas.status, app, theme, right);
    if app.focus == Focus::Detail {
        detail::draw_popup(frame, area, app, theme);
    }
}

fn title(m: &MatchesState) -> String {
    let subject = m
        .report
        .as_ref()
        .map(|r| r.subject.display_name())
        .unwrap_or_else(|| m.label.clone());
    let commercial = match &m.report {
        Some(r) if r.subject.commercial => " · commercial",
        _ => "",
    };
    let filters = m
        .cycle
        .describe()
        .map(|f| format!(" [{f}]"))
        .unwrap_or_default();
    format!(
        "{}{subject}{commercial}{filters} ",
        strings::MATCHES_TITLE.trim_end().to_string() + ": "
    )
}

fn draw_list(
    frame: &mut Frame,
    area: Rect,
    m: &MatchesState,
    marks: &BTreeSet<String>,
    focused: bool,
    theme: &Theme,
) {
    let blocked = m
        .report
        .as_ref()
        .map(|r| {
            r.datasets
                .iter()
                .chain(&r.partners)
                .chain(&r.proposals)
                .filter(|i| i.blocked.is_some())
                .count()
        })
        .unwrap_or(0);
    let mut b = block(
        crate::width::truncate_to_width(&title(m), (area.width as usize).saturating_sub(4)),
        focused,
        theme,
    );
    if blocked > 0 {
        let hint = if m.show_blocked {
            strings::BLOCKED_SHOWN
        } else {
            strings::BLOCKED_HIDDEN
        };
        b = b.title_bottom(
            Line::from(Span::styled(format!(" {blocked} {hint} "), theme.warning)).right_aligned(),
        );
    }
    let inner = b.inner(area);
    frame.render_widget(b, area);
    if let Some(error) = &m.error {
        frame.render_widget(
            Paragraph::new(Span::styled(error.clone(), theme.warning)).wrap(Wrap { trim: false }),
            inner,
        );
        return;
    }
    if m.report.is_none() {
        frame.render_widget(
            Paragraph::new(Span::styled(strings::MATCHING, theme.muted)),
            inner,
        );
        return;
    }
    let visible = m.visible();
    if visible.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(strings::NO_MATCHES, theme.muted)),
            inner,
        );
        return;
    }
    let width = inner.width as usize;
    let id_width = crate::width::id_column(visible.iter().map(|(_, i)| i.id.as_str()));
    let mut lines = Vec::new();
    for row in m
        .rows()
        .into_iter()
        .skip(m.cursor.offset)
        .take(inner.height as usize)
    {
        match row {
            MatchRow::Heading(s) => {
                let count = visible.iter().filter(|(section, _)| *section == s).count();
                lines.push(Line::from(Span::styled(
                    format!("{} ({count})", SECTIONS[s]),
                    theme.title,
                )));
            }
            MatchRow::Item(i) => {
                let (_, item) = visible[i];
                let selected = i == m.cursor.selected;
                let marked = marks.contains(&item.id);
                let base = if selected {
                    theme.selection
                } else {
                    Style::new()
                };
                let mark = if marked { "● " } else { "  " };
                let bar = score_bar::labelled(item.score, BAR);
                let id = crate::width::truncate_to_width(&item.id, id_width);
                let id_pad = id_width.saturating_sub(id.width());
                // ⊘ not offered (consent); ≈ related field only (a weak link); ↺ in the
                // outreach log; + new or changed since the subject's last outreach.
                let mut flag = String::new();
                if item.is_blocked() {
                    flag.push_str("⊘ ");
                } else if item.related_field_only {
                    flag.push_str("≈ ");
                }
                if item.outreach.is_some() {
                    flag.push_str("↺ ");
                }
                if m.cycle.change_of(&item.id).is_some() {
                    flag.push_str("+ ");
                }
                let room = width.saturating_sub(2 + bar.width() + 1 + id_width + 1 + flag.width());
                let name = crate::width::truncate_to_width(&item.title, room);
                let pad = if selected {
                    room.saturating_sub(name.width())
                } else {
                    0
                };
                let bar_style = if item.blocked.is_some() {
                    theme.warning
                } else {
                    theme.accent
                };
                lines.push(Line::from(vec![
                    Span::styled(mark, if marked { theme.mark.patch(base) } else { base }),
                    Span::styled(bar, bar_style.patch(base)),
                    Span::styled(
                        format!(" {id}{} ", " ".repeat(id_pad)),
                        theme.muted.patch(base),
                    ),
                    Span::styled(flag.clone(), theme.warning.patch(base)),
                    Span::styled(name, base),
                    Span::styled(" ".repeat(pad), base),
                ]));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_item(frame: &mut Frame, area: Rect, m: &MatchesState, theme: &Theme) {
    let b = block(strings::DETAIL_TITLE, false, theme);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let Some((_, item)) = m.selected() else {
        return;
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(item.title.clone(), theme.title),
        Span::styled(
            format!("  {} · {}", item.kind.as_str(), item.id),
            theme.muted,
        ),
    ])];
    if let Some(why) = &item.blocked {
        let rule = item.rule.as_deref().unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(format!("{} ({rule}): ", strings::BLOCKED), theme.warning),
            Span::styled(why.clone(), theme.warning),
        ]));
    } else if let Some(rule) = item.rule.as_deref() {
        lines.push(Line::from(Span::styled(
            format!("{}: {rule}", strings::ALLOWED_BY),
            theme.muted,
        )));
    }
    if let Some(note) = &item.outreach {
        let mut text = format!("{}: {}", strings::OUTREACH, note.status);
        if !note.last_contacted.is_empty() {
            text.push_str(&format!(
                " · last contacted {} by {}",
                note.last_contacted, note.last_contacted_by
            ));
        }
        lines.push(Line::from(Span::styled(text, theme.accent)));
    }
    if let (Some(change), Some(news)) = (m.cycle.change_of(&item.id), &m.cycle.news) {
        lines.push(Line::from(Span::styled(
            format!("{} {}: {change}", strings::NEW_SINCE, news.since),
            theme.highlight,
        )));
    }
    for (heading, entries) in [
        (strings::REASONS, &item.reasons),
        (strings::CONDITIONS, &item.conditions),
    ] {
        if entries.is_empty() {
            continue;
        }
        lines.push(Line::from(Span::styled(heading, theme.accent)));
        for e in entries {
            lines.push(Line::from(format!(" • {e}")));
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
