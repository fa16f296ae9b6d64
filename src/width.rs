//! Terminal widths: full-width (Japanese) characters take two columns.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Cuts text to at most `width` terminal columns (full-width characters count two), ending
/// with `…` when cut; never splits a character.
pub fn truncate_to_width(text: &str, width: usize) -> String {
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// The widest an id column of a list gets; longer ids are cut short.
const ID_COLUMN_MAX: usize = 12;

/// The width of an id column showing `ids`: the widest of them, at most [`ID_COLUMN_MAX`].
pub fn id_column<'a>(ids: impl IntoIterator<Item = &'a str>) -> usize {
    ids.into_iter()
        .map(UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
        .min(ID_COLUMN_MAX)
}

#[cfg(test)]
mod tests {
    use super::truncate_to_width;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn short_text_is_kept() {
        assert_eq!(truncate_to_width("膵がん", 6), "膵がん");
    }

    #[test]
    fn full_width_text_is_cut_between_characters() {
        let cut = truncate_to_width("小児固形腫瘍コホート", 7);
        assert_eq!(cut, "小児固…");
        assert!(cut.width() <= 7);
    }
}
