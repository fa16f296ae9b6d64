//! The ad-hoc need form: free text, optional diseases, modalities, minimum cases, the requester
//! (completed over organisations and researchers), and the commercial choice.

use super::super::app::{AdHocForm, ADHOC_COMMERCIAL, ADHOC_REQUESTER};
use super::super::layout;
use super::super::strings;
use super::super::theme::Theme;
use super::super::widgets::text_input::{self, TextInput};
use super::popup;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Draws the form over the screen.
pub fn draw(frame: &mut Frame, area: Rect, form: &AdHocForm, hints: String, theme: &Theme) {
    let rect = layout::centered(area, 76, 19);
    let inner = popup(frame, rect, strings::ADHOC_TITLE, theme);
    let label_w = 30u16.min(inner.width / 2);
    let inputs: [(&str, &TextInput); 5] = [
        (strings::ADHOC_TEXT, &form.text),
        (strings::ADHOC_DISEASES, &form.diseases),
        (strings::ADHOC_MODALITIES, &form.modalities),
        (strings::ADHOC_MIN_CASES, &form.min_cases),
        (strings::ADHOC_REQUESTER, &form.requester),
    ];
    for (i, (label, input)) in inputs.iter().enumerate() {
        let y = inner.y + (i as u16) * 2;
        if y >= inner.y + inner.height {
            return;
        }
        let focused = form.field == i;
        let style = if focused { theme.title } else { theme.accent };
        frame.render_widget(
            Line::from(Span::styled(*label, style)),
            Rect {
                x: inner.x,
                y,
                width: label_w,
                height: 1,
            },
        );
        let field = Rect {
            x: inner.x + label_w,
            y,
            width: inner.width.saturating_sub(label_w),
            height: 1,
        };
        let text_style = if focused {
            theme.highlight
        } else {
            Style::new()
        };
        text_input::render(frame, field, input, focused, "…", text_style, theme.muted);
    }
    // Suggestions for the requester, under its field.
    if form.field == ADHOC_REQUESTER {
        for (i, (id, name)) in form.suggestions.iter().enumerate() {
            let y = inner.y + 9 + i as u16;
            if y >= inner.y + inner.height {
                break;
            }
            let style = if i == form.suggestion {
                theme.selection
            } else {
                theme.muted
            };
            let text = crate::width::truncate_to_width(
                &format!("{id}  {name}"),
                inner.width.saturating_sub(label_w) as usize,
            );
            frame.render_widget(
                Line::from(Span::styled(text, style)),
                Rect {
                    x: inner.x + label_w,
                    y,
                    width: inner.width.saturating_sub(label_w),
                    height: 1,
                },
            );
        }
    }
    let y = inner.y + 13;
    if y + 3 > inner.y + inner.height {
        return;
    }
    let focused = form.field == ADHOC_COMMERCIAL;
    let mut spans = vec![Span::styled(
        format!("{:<30}", strings::ADHOC_COMMERCIAL),
        if focused { theme.title } else { theme.accent },
    )];
    for (value, label) in strings::ADHOC_COMMERCIAL_CHOICES {
        let chosen = form.commercial == value;
        let style = match (chosen, focused) {
            (true, true) => theme.selection,
            (true, false) => theme.title,
            _ => theme.muted,
        };
        let text = if chosen {
            format!("[{label}]")
        } else {
            format!(" {label} ")
        };
        spans.push(Span::styled(text, style));
    }
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(spans),
            Line::from(Span::styled(strings::ADHOC_COMMERCIAL_HINT, theme.muted)),
        ]),
        Rect {
            x: inner.x,
            y,
            width: inner.width,
            height: 2,
        },
    );
    let mut tail = Vec::new();
    if let Some(error) = form.error {
        tail.push(Line::from(Span::styled(error, theme.warning)));
    }
    tail.push(Line::from(Span::styled(hints, theme.muted)));
    frame.render_widget(
        Paragraph::new(tail),
        Rect {
            x: inner.x,
            y: y + 2,
            width: inner.width,
            height: inner.height.saturating_sub(y + 2 - inner.y),
        },
    );
}
