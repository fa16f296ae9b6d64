//! The keymap in effect: the key table (`keys::BINDINGS`) with the settings file's `[keys]`
//! merged over it. The update loop, the status line, the help overlay and `musubi config
//! --keys` all read this one value.

pub mod key_text;
mod merge;

pub use merge::{KeymapError, Problem, ProblemKind};

use super::action::Action;
use super::keys::{same_key, types_text, Context, Key, BINDINGS, CONTEXTS};
use crate::config::KeysTable;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;

/// What one action does in one context, and the keys that do it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub keys: Vec<Key>,
    /// How the keys are shown (`↓/j`): the table's label, or one made from the keys the
    /// settings gave.
    pub label: String,
    /// The table's label, whatever the settings changed (the status line drops general
    /// hints by it when space is short).
    pub default_label: &'static str,
    /// What the keys do, in a few words.
    pub help: &'static str,
    /// Has a line of its own in the help overlay (else it is shown with the entry before it,
    /// as `→` is with `←/→`).
    pub listed: bool,
    pub action: Action,
    /// The action's name in the settings file.
    pub name: &'static str,
    /// Shown in the status line.
    pub in_status: bool,
    /// The keys come from the settings file.
    pub from_settings: bool,
}

/// The keymap: per context, its entries in the table's order.
#[derive(Clone)]
pub struct Keymap {
    contexts: Vec<Vec<Entry>>,
}

impl std::fmt::Debug for Keymap {
    // Kept short: the app's state is compared through its Debug text in tests.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let changed = self
            .contexts
            .iter()
            .flatten()
            .filter(|e| e.from_settings)
            .count();
        write!(f, "Keymap({changed} entries from the settings)")
    }
}

impl Default for Keymap {
    /// The key table as shipped.
    fn default() -> Self {
        let mut contexts: Vec<Vec<Entry>> = vec![Vec::new(); CONTEXTS.len()];
        for binding in BINDINGS {
            let Some(name) = binding.action.name() else {
                continue;
            };
            for context in binding.contexts {
                let entries = &mut contexts[*context as usize];
                let help = match (binding.help, entries.last()) {
                    ("", Some(before)) => before.help,
                    (help, _) => help,
                };
                entries.push(Entry {
                    keys: binding.keys.to_vec(),
                    label: binding.label.to_string(),
                    default_label: binding.label,
                    help,
                    listed: !binding.help.is_empty(),
                    action: binding.action.clone(),
                    name,
                    in_status: binding.in_status,
                    from_settings: false,
                });
            }
        }
        Keymap { contexts }
    }
}

/// A status-line hint: the keys as shown and what they do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint<'a> {
    pub label: &'a str,
    pub help: &'a str,
    /// The table's label (see [`Entry::default_label`]).
    pub default_label: &'static str,
}

/// One line of the help overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    Heading(Context),
    Key(String, &'static str),
    /// Typing text, in the contexts with a text box.
    Typing,
    /// The keys that quit at once from anywhere (Ctrl-C).
    QuitNow(String),
    /// What the mouse does.
    Mouse,
}

impl Keymap {
    /// The key table with the settings' `[keys]` merged over it; every problem found, each
    /// naming `path`, its line, the `[keys…]` table, the action and the key.
    pub fn from_settings(keys: &KeysTable, path: &Path) -> Result<Keymap, KeymapError> {
        merge::merge(Keymap::default(), keys, path)
    }

    /// The entries of a context, in the table's order.
    pub fn entries(&self, context: Context) -> &[Entry] {
        &self.contexts[context as usize]
    }

    fn entries_mut(&mut self, context: Context) -> &mut Vec<Entry> {
        &mut self.contexts[context as usize]
    }

    /// The action of a key in a context: from the keymap, else, in text boxes, the character
    /// typed.
    pub fn action_for(&self, context: Context, event: &KeyEvent) -> Option<Action> {
        let bound = self
            .entries(context)
            .iter()
            .find(|e| e.keys.iter().any(|k| same_key(k, event)));
        if let Some(entry) = bound {
            return Some(entry.action.clone());
        }
        if types_text(context) {
            if let KeyCode::Char(c) = event.code {
                let plain = !event
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
                if plain {
                    return Some(Action::Insert(c));
                }
            }
        }
        None
    }

    /// The hints of a context's status line.
    pub fn status_hints(&self, context: Context) -> Vec<Hint<'_>> {
        self.entries(context)
            .iter()
            .filter(|e| e.in_status)
            .map(|e| Hint {
                label: &e.label,
                help: e.help,
                default_label: e.default_label,
            })
            .collect()
    }

    /// The status hints of a context on one line (`Tab next field · Enter export`), for
    /// dialogs that show their keys inside.
    pub fn hint_line(&self, context: Context) -> String {
        self.status_hints(context)
            .iter()
            .map(|h| format!("{} {}", h.label, h.help))
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// How the keys that quit at once are shown (said once, at the end of the help).
    fn quit_now_label(&self) -> String {
        self.entries(Context::List)
            .iter()
            .find(|e| matches!(e.action, Action::QuitNow))
            .map_or_else(String::new, |e| e.label.clone())
    }

    /// The help overlay's lines: the context it was opened in first, then the others.
    pub fn help_lines(&self, first: Context) -> Vec<HelpLine> {
        let quit_now = self.quit_now_label();
        let order = std::iter::once(first).chain(
            CONTEXTS
                .iter()
                .copied()
                .filter(|c| *c != first && !matches!(c, Context::Help | Context::Loading)),
        );
        let mut out = Vec::new();
        for context in order {
            out.push(HelpLine::Heading(context));
            if types_text(context) {
                out.push(HelpLine::Typing);
            }
            out.extend(
                self.entries(context)
                    .iter()
                    .filter(|e| {
                        e.listed && !(matches!(e.action, Action::QuitNow) && e.label == quit_now)
                    })
                    .map(|e| HelpLine::Key(e.label.clone(), e.help)),
            );
        }
        out.push(HelpLine::QuitNow(quit_now));
        out.push(HelpLine::Mouse);
        out
    }
}

#[cfg(test)]
mod tests;
