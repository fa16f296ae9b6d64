//! The help overlay's update: scrolling within the key table and closing.

use super::*;

impl App {
    /// Opens the help at the context the keyboard is in now.
    pub(super) fn open_help(&mut self) {
        self.help_context = self.context();
        self.help = true;
        self.help_scroll = 0;
    }

    /// The furthest the help can scroll on this screen.
    pub fn help_max_scroll(&self) -> usize {
        let rows = super::super::views::help::rect(self.size)
            .height
            .saturating_sub(2) as usize;
        self.keymap
            .help_lines(self.help_context)
            .len()
            .saturating_sub(rows)
    }
}

pub(super) fn update_help(app: &mut App, action: Action) {
    let max = app.help_max_scroll();
    let page = (app.size.height as usize).saturating_sub(6).max(1);
    let scroll = app.help_scroll;
    match action {
        Action::Back | Action::ToggleHelp => app.help = false,
        Action::Down => app.help_scroll = (scroll + 1).min(max),
        Action::PageDown => app.help_scroll = (scroll + page).min(max),
        Action::Up => app.help_scroll = scroll.saturating_sub(1),
        Action::PageUp => app.help_scroll = scroll.saturating_sub(page),
        Action::Top => app.help_scroll = 0,
        Action::Bottom => app.help_scroll = max,
        _ => {}
    }
}
