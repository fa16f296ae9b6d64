//! The help overlay's update.

use super::*;

pub(super) fn update_help(app: &mut App, action: Action) {
    match action {
        Action::Back | Action::ToggleHelp | Action::Enter => app.help = false,
        Action::Down | Action::PageDown => {
            app.help_scroll += if matches!(action, Action::Down) {
                1
            } else {
                10
            }
        }
        Action::Up => app.help_scroll = app.help_scroll.saturating_sub(1),
        Action::PageUp => app.help_scroll = app.help_scroll.saturating_sub(10),
        Action::Top => app.help_scroll = 0,
        _ => {}
    }
}
