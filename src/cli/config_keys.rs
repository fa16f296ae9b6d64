//! `musubi config --keys`: the keymap in effect, per context: keys, action, what it does, and
//! which keys the settings file set.

use crate::config::Settings;
use crate::tui::keymap::{key_text, Keymap};
use crate::tui::keys::CONTEXTS;
use serde_json::json;
use std::io::Write;
use std::path::Path;
use unicode_width::UnicodeWidthStr;

/// The keymap of `settings` (read from `path`), or its problems, each naming file, line, table,
/// action and key.
pub fn keymap(settings: &Settings, path: &Path) -> anyhow::Result<Keymap> {
    Ok(Keymap::from_settings(&settings.keys, path)?)
}

/// One row of the printed map.
struct Row {
    context: &'static str,
    action: &'static str,
    keys: Vec<String>,
    help: &'static str,
    from_config: bool,
}

fn rows(keymap: &Keymap) -> Vec<Row> {
    CONTEXTS
        .into_iter()
        .flat_map(|context| {
            keymap.entries(context).iter().map(move |e| Row {
                context: context.name(),
                action: e.name,
                keys: e.keys.iter().map(key_text::written).collect(),
                help: e.help,
                from_config: e.from_settings,
            })
        })
        .collect()
}

/// Prints the keymap: a table per context (`*` marks keys from the settings file), or one
/// JSON array of `{context, action, keys, help, from_config}`.
pub fn print(keymap: &Keymap, path: &Path, json: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    let rows = rows(keymap);
    if json {
        let items: Vec<_> = rows
            .iter()
            .map(|r| {
                json!({
                    "context": r.context,
                    "action": r.action,
                    "keys": r.keys,
                    "help": r.help,
                    "from_config": r.from_config,
                })
            })
            .collect();
        // Written as text, so a closed pipe is an I/O error the binary recognises.
        writeln!(out, "{}", serde_json::to_string_pretty(&items)?)?;
        return Ok(());
    }
    let keys_width = rows
        .iter()
        .map(|r| r.keys.join(", ").width())
        .max()
        .unwrap_or(0)
        .min(28);
    let action_width = rows.iter().map(|r| r.action.len()).max().unwrap_or(0);
    writeln!(
        out,
        "Keymap in effect (* = set in {}; write keys as shown here)",
        path.display()
    )?;
    for context in CONTEXTS {
        writeln!(out, "\n{} ({})", context.name(), context.title())?;
        for row in rows.iter().filter(|r| r.context == context.name()) {
            let keys = row.keys.join(", ");
            let pad = keys_width.saturating_sub(keys.width());
            writeln!(
                out,
                "{} {keys}{}  {:<action_width$}  {}",
                if row.from_config { "*" } else { " " },
                " ".repeat(pad),
                row.action,
                row.help
            )?;
        }
    }
    Ok(())
}
