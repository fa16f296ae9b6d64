//! Text from data files and the log made safe for a terminal: no control character (and so no
//! escape sequence) and no bidirectional override reaches the screen.
//!
//! A local helper until the shared sanitiser of the terminal output lands; it has one job and
//! one function so it can be swapped for that one.

/// `text` with line breaks and tabs as spaces, other control characters (C0, DEL, C1) as `�`,
/// and bidirectional controls removed.
pub fn plain(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_never_survive() {
        assert_eq!(plain("ok\u{1b}[2J\tnext\nline"), "ok\u{FFFD}[2J next line");
        assert_eq!(plain("a\u{9b}b\u{7f}"), "a\u{FFFD}b\u{FFFD}");
        assert_eq!(plain("\u{202E}gpj.exe"), "gpj.exe");
        assert_eq!(plain("膵がん WGS"), "膵がん WGS");
    }
}
