//! Text from data files made safe for a terminal: control characters (C0, DEL, C1), lone
//! carriage returns, escape sequences and bidirectional overrides are shown as visible escapes
//! (`\u{1b}[2J`, `\r`, `\u{202e}`) instead of being interpreted.
//!
//! Every human-readable line the CLI prints goes through [`TerminalWriter`]; cells of aligned
//! tables go through [`one_line`] first so that widths are measured on what is printed.
//! Machine formats (JSON, CSV) are written exactly and never pass through here.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

/// True for characters a terminal may interpret or that reorder the text around them.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() // C0, DEL and C1 (U+0080–U+009F)
        || matches!(c,
            '\u{061C}' // Arabic letter mark
            | '\u{200E}' | '\u{200F}' // left-to-right / right-to-left marks
            | '\u{202A}'..='\u{202E}' // embeddings and overrides
            | '\u{2066}'..='\u{2069}' // isolates
            | '\u{2028}' | '\u{2029}' // line and paragraph separators
        )
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        _ => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

fn escape(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    let needs = |c: char| is_unsafe(c) && !(keep_newlines && c == '\n');
    if !text.chars().any(needs) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` as one safe line: every unsafe character, newlines included, visibly escaped.
pub fn one_line(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// `text` made safe, keeping its line breaks (`\n`) as they are.
pub fn lines(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

/// A writer that passes text on with every unsafe character but `\n` visibly escaped (see
/// [`lines`]). Bytes that are not UTF-8 are shown as `\x{..}`; a character split across two
/// writes is kept until its last byte arrives.
pub struct TerminalWriter<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> TerminalWriter<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> TerminalWriter<W> {
        TerminalWriter {
            inner,
            pending: Vec::new(),
        }
    }

    /// Escapes and writes what is pending; `at_end`: an unfinished character is written too.
    fn drain(&mut self, at_end: bool) -> io::Result<()> {
        let mut text = String::new();
        let mut rest: &[u8] = &self.pending;
        loop {
            match std::str::from_utf8(rest) {
                Ok(valid) => {
                    text.push_str(&lines(valid));
                    rest = &[];
                    break;
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    // `valid_up_to` bytes are UTF-8 by definition.
                    text.push_str(&lines(std::str::from_utf8(valid).unwrap_or_default()));
                    let bad = match e.error_len() {
                        Some(n) => n,
                        None if at_end => after.len(),
                        None => {
                            rest = after;
                            break;
                        }
                    };
                    for b in &after[..bad] {
                        let _ = write!(text, "\\x{{{b:02x}}}");
                    }
                    rest = &after[bad..];
                }
            }
        }
        let keep = rest.to_vec();
        self.pending = keep;
        self.inner.write_all(text.as_bytes())
    }
}

impl<W: Write> Write for TerminalWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        self.drain(false)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.drain(true)?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for TerminalWriter<W> {
    fn drop(&mut self) {
        if !self.pending.is_empty() {
            let _ = self.drain(true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str =
        "a\u{1b}[2Jb\u{1b}]52;c;aGk=\u{7}c\u{1b}]8;;http://x\u{1b}\\d\u{9b}31me\rf\u{202e}g\u{7f}";

    fn has_unsafe(text: &str) -> bool {
        text.chars().any(|c| is_unsafe(c) && c != '\n')
    }

    #[test]
    fn escapes_are_shown_not_interpreted() {
        let safe = one_line(HOSTILE);
        assert!(!has_unsafe(&safe), "{safe:?}");
        assert_eq!(
            safe,
            "a\\u{1b}[2Jb\\u{1b}]52;c;aGk=\\u{7}c\\u{1b}]8;;http://x\\u{1b}\\d\\u{9b}31me\\rf\\u{202e}g\\u{7f}"
        );
    }

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        let text = "小児固形腫瘍 WGS — 100 cases";
        assert!(matches!(one_line(text), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn one_line_escapes_newlines_and_lines_keeps_them() {
        assert_eq!(one_line("a\nb\tc"), "a\\nb\\tc");
        assert_eq!(lines("a\nb\r\n"), "a\nb\\r\n");
    }

    #[test]
    fn the_writer_escapes_across_split_writes() {
        let mut out = Vec::new();
        {
            let mut w = TerminalWriter::new(&mut out);
            let bytes = format!("ok 癌\n{HOSTILE}\n").into_bytes();
            // One byte at a time: characters arrive split.
            for b in &bytes {
                w.write_all(std::slice::from_ref(b)).unwrap();
            }
            w.flush().unwrap();
        }
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("ok 癌\n"), "{text}");
        assert!(!has_unsafe(&text), "{text:?}");
        assert!(text.ends_with("g\\u{7f}\n"), "{text}");
    }

    #[test]
    fn the_writer_shows_bytes_that_are_not_utf8() {
        let mut out = Vec::new();
        {
            let mut w = TerminalWriter::new(&mut out);
            w.write_all(b"a\xff\xc3").unwrap();
        }
        assert_eq!(String::from_utf8(out).unwrap(), "a\\x{ff}\\x{c3}");
    }
}
