//! Terminal events turned into actions through the key table.

use super::action::Action;
use super::app::App;
use super::keymap::Keymap;
use super::keys::Context;
use crossterm::event::{Event, KeyEventKind, MouseButton, MouseEventKind};

/// The action of a terminal event in the app's current context, if any.
pub fn to_action(app: &App, event: Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            app.keymap.action_for(app.context(), &key)
        }
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Resize(width, height) => Some(Action::Resize { width, height }),
        Event::Mouse(mouse) => match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
                column: mouse.column,
                row: mouse.row,
            }),
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => Some(Action::Scroll {
                column: mouse.column,
                row: mouse.row,
                down: mouse.kind == MouseEventKind::ScrollDown,
            }),
            _ => None,
        },
        _ => None,
    }
}

/// While the index is being built: true for a key to keep for later (typing ahead) rather than
/// act on now. The keys that quit at once (Ctrl-C) always act; so do those of quitting (`q`)
/// unless they are part of text already being typed ahead.
pub fn is_type_ahead(keymap: &Keymap, event: &Event, typing: bool) -> bool {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            match keymap.action_for(Context::Loading, key) {
                Some(Action::QuitNow) => false,
                Some(Action::Quit) => typing,
                _ => true,
            }
        }
        Event::Paste(_) => true,
        _ => false,
    }
}

#[cfg(test)]
mod type_ahead_tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn key(code: KeyCode, modifiers: KeyModifiers) -> Event {
        Event::Key(KeyEvent::new(code, modifiers))
    }

    #[test]
    fn letters_are_kept_but_ctrl_c_and_a_lone_q_act_at_once() {
        let keymap = Keymap::default();
        assert!(is_type_ahead(
            &keymap,
            &key(KeyCode::Char('/'), KeyModifiers::NONE),
            false
        ));
        assert!(!is_type_ahead(
            &keymap,
            &key(KeyCode::Char('c'), KeyModifiers::CONTROL),
            true
        ));
        assert!(!is_type_ahead(
            &keymap,
            &key(KeyCode::Char('q'), KeyModifiers::NONE),
            false
        ));
        assert!(is_type_ahead(
            &keymap,
            &key(KeyCode::Char('q'), KeyModifiers::NONE),
            true
        ));
        assert!(is_type_ahead(
            &keymap,
            &Event::Paste("膵がん".into()),
            false
        ));
    }
}
