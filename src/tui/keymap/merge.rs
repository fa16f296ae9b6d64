//! The settings' `[keys]` merged over the key table, and every way it can be wrong.
//!
//! `action = keys` at the top of `[keys]` sets the action's keys in every context where it
//! works, leaving out plain characters in text boxes (they type there); `[keys.CONTEXT]` sets
//! them in one context and wins over the top. An action not named keeps its keys.

use super::{key_text, Keymap};
use crate::config::KeysTable;
use crate::tui::keys::{types_text, Context, Key, CONTEXTS};
use crossterm::event::{KeyCode, KeyModifiers};
use std::path::{Path, PathBuf};

/// One thing wrong in the `[keys]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The table it is in (`keys`, `keys.matches`).
    pub table: String,
    /// The entry: an action, or (for a table) a context's name.
    pub entry: String,
    /// The line of the settings file.
    pub line: Option<usize>,
    pub kind: ProblemKind,
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    UnknownAction {
        suggestion: Option<&'static str>,
    },
    UnknownContext {
        suggestion: Option<&'static str>,
    },
    /// A context's name given keys directly instead of a table of actions.
    ContextNeedsTable,
    /// The action does nothing in the context of the table.
    NotInContext {
        context: &'static str,
        works_in: Vec<&'static str>,
    },
    /// Neither a key nor a list of keys.
    NotKeys,
    BadKey {
        key: String,
        why: String,
    },
    /// An empty list: the action would be out of reach.
    NoKey,
    /// A plain character in a context where characters type text.
    TypesText {
        key: String,
        context: &'static str,
    },
    /// After merging, the key does two things in one context (or in each of several).
    Conflict {
        key: String,
        contexts: Vec<&'static str>,
        other: &'static str,
    },
}

impl std::fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let maybe = |s: &Option<&str>| {
            s.map(|s| format!(" (did you mean {s}?)"))
                .unwrap_or_default()
        };
        match self {
            ProblemKind::UnknownAction { suggestion } => write!(
                f,
                "unknown action{}; `musubi config --keys` lists the actions of each context",
                maybe(suggestion)
            ),
            ProblemKind::UnknownContext { suggestion } => write!(
                f,
                "unknown context{}; contexts: {}",
                maybe(suggestion),
                CONTEXTS.map(Context::name).join(", ")
            ),
            ProblemKind::ContextNeedsTable => write!(
                f,
                "a context takes a table of actions: [keys.CONTEXT] with action = \"key\" lines"
            ),
            ProblemKind::NotInContext { context, works_in } => write!(
                f,
                "the action does nothing in {context}; it works in {}",
                works_in.join(", ")
            ),
            ProblemKind::NotKeys => {
                write!(f, "expected a key (\"j\") or a list of keys ([\"j\", \"down\"])")
            }
            ProblemKind::BadKey { key, why } => write!(f, "key \"{key}\": {why}"),
            ProblemKind::NoKey => write!(
                f,
                "no key given: the action would be out of reach; give at least one key"
            ),
            ProblemKind::TypesText { key, context } => write!(
                f,
                "key \"{key}\": a plain character types text in {context}; use ctrl-…, alt-… or a named key there"
            ),
            ProblemKind::Conflict {
                key,
                contexts,
                other,
            } => write!(
                f,
                "key \"{key}\" is also bound to {other} in {}; give one of them another key",
                contexts.join(", ")
            ),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}] {}: {}", self.table, self.entry, self.kind)
    }
}

/// Everything wrong with the `[keys]` table of a settings file, one problem a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapError {
    pub path: PathBuf,
    pub problems: Vec<Problem>,
}

impl std::fmt::Display for KeymapError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = self.path.display();
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            match problem.line {
                Some(line) => write!(f, "{path}:{line}: {problem}")?,
                None => write!(f, "{path}: {problem}")?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for KeymapError {}

/// Where a setting was written.
#[derive(Debug, Clone)]
struct Origin {
    table: String,
    entry: String,
    line: Option<usize>,
}

impl Origin {
    fn problem(&self, kind: ProblemKind) -> Problem {
        Problem {
            table: self.table.clone(),
            entry: self.entry.clone(),
            line: self.line,
            kind,
        }
    }
}

/// Keys the settings give an action.
struct Setting {
    action: &'static str,
    keys: Vec<Key>,
    origin: Origin,
}

/// `keys` merged over `map` (the table as shipped), or every problem found.
pub(super) fn merge(mut map: Keymap, keys: &KeysTable, path: &Path) -> Result<Keymap, KeymapError> {
    let mut problems = Vec::new();
    let mut everywhere: Vec<Setting> = Vec::new();
    let mut local: Vec<(Context, Setting)> = Vec::new();
    for (name, value) in &keys.table {
        let dotted = format!("keys.{name}");
        let Some(inner) = value.as_table() else {
            let origin = Origin {
                table: "keys".into(),
                entry: name.clone(),
                line: keys.line(&dotted),
            };
            match action_named(&map, name) {
                Some(action) => {
                    if let Some(keys) = read_keys(value, &origin, &mut problems) {
                        everywhere.push(Setting {
                            action,
                            keys,
                            origin,
                        });
                    }
                }
                None if Context::from_name(name).is_some() => {
                    problems.push(origin.problem(ProblemKind::ContextNeedsTable))
                }
                None => problems.push(origin.problem(ProblemKind::UnknownAction {
                    suggestion: closest(name, action_names(&map)),
                })),
            }
            continue;
        };
        let Some(context) = Context::from_name(name) else {
            let origin = Origin {
                table: "keys".into(),
                entry: name.clone(),
                line: keys.line(&dotted),
            };
            let kind = if action_named(&map, name).is_some() {
                ProblemKind::NotKeys
            } else {
                ProblemKind::UnknownContext {
                    suggestion: closest(name, CONTEXTS.iter().map(|c| c.name())),
                }
            };
            problems.push(origin.problem(kind));
            continue;
        };
        for (entry, value) in inner {
            let origin = Origin {
                table: dotted.clone(),
                entry: entry.clone(),
                line: keys.line(&format!("{dotted}.{entry}")),
            };
            let Some(action) = action_named(&map, entry) else {
                problems.push(origin.problem(ProblemKind::UnknownAction {
                    suggestion: closest(entry, action_names(&map)),
                }));
                continue;
            };
            if !map.entries(context).iter().any(|e| e.name == action) {
                let works_in = CONTEXTS
                    .into_iter()
                    .filter(|c| map.entries(*c).iter().any(|e| e.name == action))
                    .map(Context::name)
                    .collect();
                problems.push(origin.problem(ProblemKind::NotInContext {
                    context: context.name(),
                    works_in,
                }));
                continue;
            }
            let Some(keys) = read_keys(value, &origin, &mut problems) else {
                continue;
            };
            if types_text(context) {
                for key in keys.iter().filter(|k| is_plain(k)) {
                    problems.push(origin.problem(ProblemKind::TypesText {
                        key: key_text::written(key),
                        context: context.name(),
                    }));
                }
            }
            local.push((
                context,
                Setting {
                    action,
                    keys,
                    origin,
                },
            ));
        }
    }
    for context in CONTEXTS {
        apply(&mut map, context, &everywhere, &local, &mut problems);
    }
    if problems.is_empty() {
        Ok(map)
    } else {
        problems.sort_by_key(|p| p.line.unwrap_or(usize::MAX));
        Err(KeymapError {
            path: path.to_path_buf(),
            problems,
        })
    }
}

/// The settings applied to one context: keys set, conflicts found, labels made anew.
fn apply(
    map: &mut Keymap,
    context: Context,
    everywhere: &[Setting],
    local: &[(Context, Setting)],
    problems: &mut Vec<Problem>,
) {
    let entries = map.entries_mut(context);
    let mut origins: Vec<Option<&Origin>> = vec![None; entries.len()];
    for (entry, origin) in entries.iter_mut().zip(origins.iter_mut()) {
        let mine = local
            .iter()
            .find(|(c, s)| *c == context && s.action == entry.name)
            .map(|(_, s)| (s, s.keys.clone()));
        let set = mine.or_else(|| {
            let s = everywhere.iter().find(|s| s.action == entry.name)?;
            // In a text box plain characters type: the other keys apply, else the defaults.
            let keys: Vec<Key> = s
                .keys
                .iter()
                .filter(|k| !(types_text(context) && is_plain(k)))
                .copied()
                .collect();
            (!keys.is_empty()).then_some((s, keys))
        });
        if let Some((setting, keys)) = set {
            entry.keys = keys;
            entry.from_settings = true;
            *origin = Some(&setting.origin);
        }
    }
    for j in 0..entries.len() {
        for i in 0..j {
            let (a, b) = (&entries[i], &entries[j]);
            let (origin, other) = match (origins[i], origins[j]) {
                (_, Some(o)) => (o, a.name),
                (Some(o), None) => (o, b.name),
                (None, None) => continue,
            };
            for key in b.keys.iter().filter(|k| a.keys.contains(k)) {
                add_conflict(problems, origin, key_text::written(key), context, other);
            }
        }
    }
    for entry in entries.iter_mut().filter(|e| e.from_settings) {
        entry.label = key_text::shown_all(&entry.keys);
    }
    // An entry shown with the one before it (`←/→`) is shown again with it when either changed.
    for j in 1..entries.len() {
        if !entries[j].listed && (entries[j].from_settings || entries[j - 1].from_settings) {
            let label = format!(
                "{}/{}",
                key_text::shown_all(&entries[j - 1].keys),
                key_text::shown_all(&entries[j].keys)
            );
            entries[j - 1].label = label;
        }
    }
}

/// Reports a conflict, or adds the context to the same conflict of the same line found in
/// another context (a top line conflicts wherever both actions work).
fn add_conflict(
    problems: &mut Vec<Problem>,
    origin: &Origin,
    key: String,
    context: Context,
    other: &'static str,
) {
    let same = problems.iter_mut().find_map(|p| match &mut p.kind {
        ProblemKind::Conflict {
            key: k,
            contexts,
            other: o,
        } if p.table == origin.table && p.entry == origin.entry && *k == key && *o == other => {
            Some(contexts)
        }
        _ => None,
    });
    match same {
        Some(contexts) => contexts.push(context.name()),
        None => problems.push(origin.problem(ProblemKind::Conflict {
            key,
            contexts: vec![context.name()],
            other,
        })),
    }
}

/// Reads `"key"` or `["key", …]`; problems for what cannot be read (then `None`).
fn read_keys(
    value: &toml::Value,
    origin: &Origin,
    problems: &mut Vec<Problem>,
) -> Option<Vec<Key>> {
    let texts: Option<Vec<&str>> = match value {
        toml::Value::String(s) => Some(vec![s.as_str()]),
        toml::Value::Array(items) => items.iter().map(toml::Value::as_str).collect(),
        _ => None,
    };
    let Some(texts) = texts else {
        problems.push(origin.problem(ProblemKind::NotKeys));
        return None;
    };
    if texts.is_empty() {
        problems.push(origin.problem(ProblemKind::NoKey));
        return None;
    }
    let mut keys = Vec::new();
    let mut readable = true;
    for text in texts {
        match key_text::parse(text) {
            Ok(key) if keys.contains(&key) => {}
            Ok(key) => keys.push(key),
            Err(why) => {
                readable = false;
                problems.push(origin.problem(ProblemKind::BadKey {
                    key: text.to_string(),
                    why,
                }));
            }
        }
    }
    readable.then_some(keys)
}

/// A character typed without Ctrl or Alt.
fn is_plain(key: &Key) -> bool {
    matches!(key.0, KeyCode::Char(_))
        && !key.1.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// The action of that name, in any context.
fn action_named(map: &Keymap, name: &str) -> Option<&'static str> {
    action_names(map).find(|n| *n == name)
}

fn action_names(map: &Keymap) -> impl Iterator<Item = &'static str> + '_ {
    map.contexts.iter().flatten().map(|e| e.name)
}

/// The name closest to a misspelt one, if one is close.
fn closest(name: &str, candidates: impl Iterator<Item = &'static str>) -> Option<&'static str> {
    candidates
        .map(|c| (strsim::levenshtein(name, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}
