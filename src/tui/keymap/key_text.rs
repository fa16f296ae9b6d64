//! Keys as written in the settings file (`j`, `ctrl-n`, `pgdown`) and as shown on the screen
//! (`j`, `Ctrl-N`, `PgDn`).

use crate::tui::keys::Key;
use crossterm::event::{KeyCode, KeyModifiers};

/// The named keys: what is written in the settings file (first name is the one printed back),
/// and the key.
const NAMES: &[(&[&str], KeyCode)] = &[
    (&["enter", "return"], KeyCode::Enter),
    (&["esc", "escape"], KeyCode::Esc),
    (&["tab"], KeyCode::Tab),
    (&["backtab"], KeyCode::BackTab),
    (&["up"], KeyCode::Up),
    (&["down"], KeyCode::Down),
    (&["left"], KeyCode::Left),
    (&["right"], KeyCode::Right),
    (&["pgup", "pageup"], KeyCode::PageUp),
    (&["pgdown", "pagedown", "pgdn"], KeyCode::PageDown),
    (&["home"], KeyCode::Home),
    (&["end"], KeyCode::End),
    (&["space"], KeyCode::Char(' ')),
    (&["backspace", "bksp"], KeyCode::Backspace),
    (&["delete", "del"], KeyCode::Delete),
    (&["insert", "ins"], KeyCode::Insert),
];

/// What a settings file may write, for error messages.
pub const SYNTAX: &str = "a single character, ctrl-x, alt-x, or a name: enter, esc, tab, backtab, \
up, down, left, right, pgup, pgdown, home, end, space, backspace, delete, insert, f1-f12";

/// Reads a key as written in the settings file: a character as typed (`j`, `G`, `?`), names
/// in any case (`Enter`, `pgdown`, `F5`), `ctrl-`/`alt-` before either, and `shift-tab`.
pub fn parse(text: &str) -> Result<Key, String> {
    let mut rest = text;
    let mut modifiers = KeyModifiers::NONE;
    let mut shift = false;
    loop {
        let lower = rest.to_ascii_lowercase();
        let prefix = ["ctrl-", "alt-", "shift-"]
            .into_iter()
            .find(|p| lower.starts_with(p) && rest.len() > p.len());
        match prefix {
            Some("ctrl-") => modifiers |= KeyModifiers::CONTROL,
            Some("alt-") => modifiers |= KeyModifiers::ALT,
            Some(_) => shift = true,
            None => break,
        }
        rest = rest.get(prefix.map_or(0, str::len)..).unwrap_or_default();
    }
    let mut chars = rest.chars();
    let code = match (chars.next(), chars.next()) {
        (None, _) => return Err("no key given".into()),
        (Some(c), None) if crate::terminal_text::is_unsafe(c) => {
            return Err(format!("write the key by its name; {SYNTAX}"))
        }
        (Some(c), None) if modifiers.contains(KeyModifiers::CONTROL) => {
            // Terminals send these as other keys: such a binding would never fire.
            let arrives_as = match c.to_ascii_lowercase() {
                'm' => Some("enter"),
                'i' => Some("tab"),
                'h' => Some("backspace"),
                '[' => Some("esc"),
                _ => None,
            };
            if let Some(other) = arrives_as {
                return Err(format!(
                    "terminals send ctrl-{c} as {other}: bind {other} instead, or another key"
                ));
            }
            KeyCode::Char(c.to_ascii_lowercase())
        }
        (Some(c), None) => KeyCode::Char(c),
        _ => named(rest).ok_or_else(|| format!("unknown key name \"{rest}\"; use {SYNTAX}"))?,
    };
    if shift {
        return match code {
            KeyCode::Tab | KeyCode::BackTab => Ok(Key(KeyCode::BackTab, modifiers)),
            KeyCode::Char(c) => Err(format!(
                "write the character itself (\"{}\", not shift-{c})",
                c.to_uppercase()
            )),
            _ => Err(
                "shift- only goes with tab (shift-tab); the app does not tell shifted keys apart"
                    .into(),
            ),
        };
    }
    Ok(Key(code, modifiers))
}

/// A named key (`pgdown`, `F5`), any case.
fn named(name: &str) -> Option<KeyCode> {
    let lower = name.to_ascii_lowercase();
    if let Some(code) = NAMES
        .iter()
        .find(|(names, _)| names.contains(&lower.as_str()))
        .map(|(_, code)| *code)
    {
        return Some(code);
    }
    let n: u8 = lower.strip_prefix('f')?.parse().ok()?;
    (1..=12).contains(&n).then_some(KeyCode::F(n))
}

/// A key as the settings file writes it (`ctrl-n`, `pgdown`, `space`): what `musubi config
/// --keys` prints, and what [`parse`] reads back.
pub fn written(key: &Key) -> String {
    let name = match key.0 {
        KeyCode::Char(c) if c != ' ' => c.to_string(),
        KeyCode::F(n) => format!("f{n}"),
        code => NAMES.iter().find(|(_, c)| *c == code).map_or_else(
            || format!("{code:?}").to_lowercase(),
            |(names, _)| names[0].to_string(),
        ),
    };
    format!("{}{name}", prefixes(key.1, "ctrl-", "alt-"))
}

/// A key as the status line and the help show it (`Ctrl-N`, `↓`, `PgDn`).
pub fn shown(key: &Key) -> String {
    let name = match key.0 {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) if key.1.contains(KeyModifiers::CONTROL) => c.to_uppercase().to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::BackTab => "S-Tab".into(),
        KeyCode::Backspace => "Bksp".into(),
        KeyCode::Delete => "Del".into(),
        KeyCode::Insert => "Ins".into(),
        KeyCode::F(n) => format!("F{n}"),
        code => format!("{code:?}"),
    };
    format!("{}{name}", prefixes(key.1, "Ctrl-", "Alt-"))
}

/// Several keys for the screen, `/` between them (`↓/j`).
pub fn shown_all(keys: &[Key]) -> String {
    keys.iter().map(shown).collect::<Vec<_>>().join("/")
}

fn prefixes(modifiers: KeyModifiers, ctrl: &str, alt: &str) -> String {
    let mut out = String::new();
    if modifiers.contains(KeyModifiers::CONTROL) {
        out.push_str(ctrl);
    }
    if modifiers.contains(KeyModifiers::ALT) {
        out.push_str(alt);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> Key {
        Key(code, modifiers)
    }

    #[test]
    fn characters_stay_as_typed_and_names_are_read_in_any_case() {
        assert_eq!(parse("j"), Ok(key(KeyCode::Char('j'), KeyModifiers::NONE)));
        assert_eq!(parse("G"), Ok(key(KeyCode::Char('G'), KeyModifiers::NONE)));
        assert_eq!(
            parse("膵"),
            Ok(key(KeyCode::Char('膵'), KeyModifiers::NONE))
        );
        assert_eq!(parse("-"), Ok(key(KeyCode::Char('-'), KeyModifiers::NONE)));
        assert_eq!(parse("Enter"), Ok(key(KeyCode::Enter, KeyModifiers::NONE)));
        assert_eq!(
            parse("PGDOWN"),
            Ok(key(KeyCode::PageDown, KeyModifiers::NONE))
        );
        assert_eq!(
            parse("pgdn"),
            Ok(key(KeyCode::PageDown, KeyModifiers::NONE))
        );
        assert_eq!(
            parse("space"),
            Ok(key(KeyCode::Char(' '), KeyModifiers::NONE))
        );
        assert_eq!(parse("F12"), Ok(key(KeyCode::F(12), KeyModifiers::NONE)));
        assert_eq!(
            parse("backtab"),
            Ok(key(KeyCode::BackTab, KeyModifiers::NONE))
        );
        assert_eq!(
            parse("shift-tab"),
            Ok(key(KeyCode::BackTab, KeyModifiers::NONE))
        );
    }

    #[test]
    fn modifiers_go_before_the_key() {
        assert_eq!(
            parse("ctrl-n"),
            Ok(key(KeyCode::Char('n'), KeyModifiers::CONTROL))
        );
        assert_eq!(
            parse("Ctrl-N"),
            Ok(key(KeyCode::Char('n'), KeyModifiers::CONTROL))
        );
        assert_eq!(
            parse("alt-J"),
            Ok(key(KeyCode::Char('J'), KeyModifiers::ALT))
        );
        assert_eq!(
            parse("ctrl--"),
            Ok(key(KeyCode::Char('-'), KeyModifiers::CONTROL))
        );
        assert_eq!(
            parse("ctrl-alt-down"),
            Ok(key(
                KeyCode::Down,
                KeyModifiers::CONTROL | KeyModifiers::ALT
            ))
        );
    }

    #[test]
    fn what_cannot_be_read_says_why() {
        assert!(parse("").unwrap_err().contains("no key"));
        assert!(parse("ctl-x")
            .unwrap_err()
            .contains("unknown key name \"ctl-x\""));
        assert!(parse("f13").unwrap_err().contains("unknown key name"));
        assert!(parse("shift-j").unwrap_err().contains("\"J\", not shift-j"));
        assert!(parse("shift-up")
            .unwrap_err()
            .contains("only goes with tab"));
        assert!(parse("\t").unwrap_err().contains("by its name"));
        assert!(parse("\u{202e}").is_err(), "a character that reorders text");
        for (key, arrives_as) in [
            ("ctrl-m", "enter"),
            ("Ctrl-I", "tab"),
            ("ctrl-h", "backspace"),
            ("ctrl-[", "esc"),
        ] {
            assert!(
                parse(key)
                    .unwrap_err()
                    .contains(&format!("as {arrives_as}")),
                "{key}"
            );
        }
        assert!(
            parse("ctrl-j").is_ok(),
            "ctrl-j arrives as itself (it moves the results)"
        );
    }

    #[test]
    fn written_keys_read_back_and_show_as_the_screen_does() {
        for text in [
            "j", "G", "ctrl-n", "alt-x", "pgdown", "space", "f5", "backtab", "enter",
        ] {
            let key = parse(text).unwrap();
            assert_eq!(written(&key), text);
            assert_eq!(parse(&written(&key)), Ok(key));
        }
        assert_eq!(shown(&parse("ctrl-n").unwrap()), "Ctrl-N");
        assert_eq!(shown(&parse("space").unwrap()), "Space");
        assert_eq!(
            shown_all(&[parse("down").unwrap(), parse("j").unwrap()]),
            "↓/j"
        );
    }
}
