//! The export dialog: format, file name (default in the export folder), what will be written.

use super::super::app::{ExportDialog, ExportField, FORMATS};
use super::super::layout;
use super::super::strings;
use super::super::theme::Theme;
use super::super::widgets::text_input;
use super::popup;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

/// Draws the dialog over the screen.
pub fn draw(frame: &mut Frame, area: Rect, dialog: &ExportDialog, hints: String, theme: &Theme) {
    let extra = u16::from(dialog.blocked_rows > 0);
    let rect = layout::centered(area, 72, 11 + extra);
    let inner = popup(frame, rect, strings::EXPORT_TITLE, theme);
    if inner.height < 4 {
        return;
    }
    let subjects: Vec<String> = dialog
        .reports
        .iter()
        .map(|r| r.subject.display_name())
        .collect();
    let mut formats = vec![Span::styled(
        format!("{:<8}", strings::EXPORT_FORMAT),
        theme.accent,
    )];
    for f in FORMATS {
        let style = if f == dialog.format {
            if dialog.field == ExportField::Format {
                theme.selection
            } else {
                theme.title
            }
        } else {
            theme.muted
        };
        formats.push(Span::styled(format!(" {} ", f.extension()), style));
    }
    let lines = vec![
        Line::from(Span::raw(crate::width::truncate_to_width(
            &format!("{} row(s): {}", dialog.rows_written(), subjects.join(", ")),
            inner.width as usize,
        ))),
        Line::from(formats),
        Line::from(vec![
            Span::styled(format!("{:<8}", strings::EXPORT_DIR), theme.accent),
            Span::styled(
                crate::width::truncate_to_width(
                    &dialog.dir.display().to_string(),
                    (inner.width as usize).saturating_sub(8),
                ),
                theme.muted,
            ),
        ]),
        Line::from(Span::styled(
            format!("{:<8}", strings::EXPORT_FILE),
            theme.accent,
        )),
    ];
    frame.render_widget(Paragraph::new(lines), Rect { height: 4, ..inner });
    let name_area = Rect {
        x: inner.x + 8,
        y: inner.y + 3,
        width: inner.width.saturating_sub(8),
        height: 1,
    };
    text_input::render(
        frame,
        name_area,
        &dialog.name,
        dialog.field == ExportField::Name,
        "",
        if dialog.field == ExportField::Name {
            theme.highlight
        } else {
            Style::new()
        },
        theme.muted,
    );
    let mut tail = vec![Line::from(Span::styled(
        crate::width::truncate_to_width(
            &format!("→ {}", dialog.path().display()),
            inner.width as usize,
        ),
        theme.muted,
    ))];
    if dialog.blocked_rows > 0 {
        let style = if dialog.field == ExportField::Blocked {
            theme.selection
        } else {
            theme.warning
        };
        tail.push(Line::from(Span::styled(
            crate::width::truncate_to_width(
                &strings::export_blocked_question(dialog.blocked_rows, dialog.include_blocked),
                inner.width as usize,
            ),
            style,
        )));
    }
    if dialog.confirm_overwrite {
        tail.push(Line::from(Span::styled(
            strings::EXPORT_OVERWRITE,
            theme.warning,
        )));
    }
    tail.push(Line::from(Span::styled(hints, theme.muted)));
    let rest = Rect {
        y: inner.y + 5,
        height: inner.height.saturating_sub(5),
        ..inner
    };
    frame.render_widget(Paragraph::new(tail).wrap(Wrap { trim: false }), rest);
}
