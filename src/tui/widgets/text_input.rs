//! A one-line text box: the cursor moves by character, widths are terminal columns (full-width
//! characters take two), and the view scrolls so the cursor stays visible.

use super::super::action::Edit;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::Frame;
use unicode_width::UnicodeWidthChar;

/// The text of a box and its cursor (a character index, 0 = before the first character).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    cursor: usize,
}

impl TextInput {
    /// A box holding `text`, cursor at the end.
    pub fn new(text: &str) -> TextInput {
        TextInput {
            text: text.to_string(),
            cursor: text.chars().count(),
        }
    }

    /// The text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The cursor, in characters from the start.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    fn byte_at(&self, char_index: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_index)
            .map(|(b, _)| b)
            .unwrap_or(self.text.len())
    }

    fn len(&self) -> usize {
        self.text.chars().count()
    }

    /// Inserts text at the cursor (newlines and tabs become spaces: the box is one line).
    pub fn insert_str(&mut self, text: &str) {
        for c in text.chars() {
            self.insert(c);
        }
    }

    /// Inserts one character at the cursor.
    pub fn insert(&mut self, c: char) {
        let c = if c == '\n' || c == '\r' || c == '\t' {
            ' '
        } else {
            c
        };
        if c.is_control() {
            return;
        }
        let at = self.byte_at(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    /// Applies an edit; true when the text changed.
    pub fn edit(&mut self, edit: Edit) -> bool {
        match edit {
            Edit::Left => {
                self.cursor = self.cursor.saturating_sub(1);
                false
            }
            Edit::Right => {
                self.cursor = (self.cursor + 1).min(self.len());
                false
            }
            Edit::Home => {
                self.cursor = 0;
                false
            }
            Edit::End => {
                self.cursor = self.len();
                false
            }
            Edit::Backspace => {
                if self.cursor == 0 {
                    return false;
                }
                let from = self.byte_at(self.cursor - 1);
                let to = self.byte_at(self.cursor);
                self.text.replace_range(from..to, "");
                self.cursor -= 1;
                true
            }
            Edit::Delete => {
                if self.cursor >= self.len() {
                    return false;
                }
                let from = self.byte_at(self.cursor);
                let to = self.byte_at(self.cursor + 1);
                self.text.replace_range(from..to, "");
                true
            }
            Edit::DeleteWord => {
                let chars: Vec<char> = self.text.chars().collect();
                let mut start = self.cursor;
                while start > 0 && chars[start - 1].is_whitespace() {
                    start -= 1;
                }
                while start > 0 && !chars[start - 1].is_whitespace() {
                    start -= 1;
                }
                if start == self.cursor {
                    return false;
                }
                let from = self.byte_at(start);
                let to = self.byte_at(self.cursor);
                self.text.replace_range(from..to, "");
                self.cursor = start;
                true
            }
            Edit::Clear => {
                let changed = !self.text.is_empty();
                self.text.clear();
                self.cursor = 0;
                changed
            }
        }
    }

    /// Columns from the start of the text to the cursor.
    pub fn cursor_column(&self) -> usize {
        self.text
            .chars()
            .take(self.cursor)
            .map(|c| c.width().unwrap_or(0))
            .sum()
    }

    /// The part of the text to show in `width` columns so that the cursor is visible, and the
    /// cursor's column within it. Never cuts a full-width character.
    pub fn visible(&self, width: usize) -> (String, usize) {
        let width = width.max(1);
        let chars: Vec<char> = self.text.chars().collect();
        // Scroll so that the cursor (plus one column for it) fits.
        let mut start = 0;
        let col_of = |from: usize, to: usize| -> usize {
            chars[from..to].iter().map(|c| c.width().unwrap_or(0)).sum()
        };
        while start < self.cursor && col_of(start, self.cursor) + 1 > width {
            start += 1;
        }
        let mut shown = String::new();
        let mut used = 0;
        for c in &chars[start..] {
            let w = c.width().unwrap_or(0);
            if used + w > width {
                break;
            }
            shown.push(*c);
            used += w;
        }
        (shown, col_of(start, self.cursor))
    }
}

/// Draws a box's text (or the placeholder when empty) and, when focused, places the cursor.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    input: &TextInput,
    focused: bool,
    placeholder: &str,
    text_style: Style,
    placeholder_style: Style,
) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let (shown, column) = input.visible(area.width as usize);
    let line = if input.text().is_empty() && !focused {
        Line::from(Span::styled(
            crate::width::truncate_to_width(placeholder, area.width as usize),
            placeholder_style,
        ))
    } else {
        Line::from(Span::styled(shown, text_style))
    };
    frame.render_widget(line, area);
    if focused {
        let x = area.x + (column as u16).min(area.width.saturating_sub(1));
        frame.set_cursor_position(Position::new(x, area.y));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_text_edits_by_character() {
        let mut input = TextInput::default();
        input.insert_str("膵がん");
        assert_eq!(input.cursor(), 3);
        assert_eq!(input.cursor_column(), 6);
        input.edit(Edit::Left);
        input.insert('臓');
        assert_eq!(input.text(), "膵が臓ん");
        assert!(input.edit(Edit::Backspace));
        assert_eq!(input.text(), "膵がん");
        input.edit(Edit::Home);
        assert!(input.edit(Edit::Delete));
        assert_eq!(input.text(), "がん");
        assert_eq!(input.cursor(), 0);
        assert!(!input.edit(Edit::Backspace));
    }

    #[test]
    fn words_are_deleted_back_to_a_space() {
        let mut input = TextInput::new("小児がん RNA-seq");
        assert!(input.edit(Edit::DeleteWord));
        assert_eq!(input.text(), "小児がん ");
        assert!(input.edit(Edit::DeleteWord));
        assert_eq!(input.text(), "");
    }

    #[test]
    fn pasted_newlines_become_spaces() {
        let mut input = TextInput::default();
        input.insert_str("肺がん\nWGS\t");
        assert_eq!(input.text(), "肺がん WGS ");
    }

    #[test]
    fn long_text_scrolls_to_keep_the_cursor_visible() {
        let input = TextInput::new("急性骨髄性白血病の全ゲノム");
        let (shown, column) = input.visible(10);
        // 13 full-width characters: the last four (8 columns) fit with the cursor after them.
        assert_eq!(shown, "全ゲノム");
        assert_eq!(column, 8);
        let mut start = input.clone();
        start.edit(Edit::Home);
        let (shown, column) = start.visible(10);
        assert_eq!(shown, "急性骨髄性");
        assert_eq!(column, 0);
    }
}
