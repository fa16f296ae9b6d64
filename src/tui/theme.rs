//! Colours of the app from the settings, or none at all (`no_color`, `NO_COLOR`).

use crate::config::{Colors, Settings};
use ratatui::style::{Color, Modifier, Style};

/// The styles the views draw with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    pub accent: Style,
    pub highlight: Style,
    pub muted: Style,
    pub warning: Style,
    pub selection: Style,
    pub title: Style,
    pub link: Style,
    pub mark: Style,
}

impl Theme {
    /// The theme the settings ask for; without colour when they (or `NO_COLOR`) say so.
    pub fn from_settings(settings: &Settings) -> Theme {
        if settings.colorless() {
            Theme::colorless()
        } else {
            Theme::from_colors(&settings.colors)
        }
    }

    /// Colours by name (unknown names fall back to the defaults).
    pub fn from_colors(colors: &Colors) -> Theme {
        let defaults = Colors::default();
        let pick = |name: &str, default: &str| {
            parse_color(name)
                .or_else(|| parse_color(default))
                .unwrap_or(Color::Reset)
        };
        let accent = pick(&colors.accent, &defaults.accent);
        let highlight = pick(&colors.highlight, &defaults.highlight);
        let muted = pick(&colors.muted, &defaults.muted);
        let warning = pick(&colors.warning, &defaults.warning);
        let selection = pick(&colors.selection, &defaults.selection);
        Theme {
            accent: Style::new().fg(accent),
            highlight: Style::new().fg(highlight).add_modifier(Modifier::BOLD),
            muted: Style::new().fg(muted),
            warning: Style::new().fg(warning),
            selection: Style::new().bg(selection).fg(Color::White),
            title: Style::new().fg(accent).add_modifier(Modifier::BOLD),
            link: Style::new().fg(accent).add_modifier(Modifier::UNDERLINED),
            mark: Style::new().fg(highlight).add_modifier(Modifier::BOLD),
        }
    }

    /// Only bold, underline and reverse video.
    pub fn colorless() -> Theme {
        Theme {
            accent: Style::new(),
            highlight: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            muted: Style::new(),
            warning: Style::new().add_modifier(Modifier::BOLD),
            selection: Style::new().add_modifier(Modifier::REVERSED),
            title: Style::new().add_modifier(Modifier::BOLD),
            link: Style::new().add_modifier(Modifier::UNDERLINED),
            mark: Style::new().add_modifier(Modifier::BOLD),
        }
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme::from_colors(&Colors::default())
    }
}

/// True for a colour name [`parse_color`] can draw (the settings file is checked with it).
pub fn is_colour(name: &str) -> bool {
    parse_color(name).is_some()
}

/// Parses `cyan`, `light-red`, `dark_gray`, `LightBlue`, `#rrggbb` or an index `0`–`255`.
pub fn parse_color(name: &str) -> Option<Color> {
    let name = name.trim();
    if let Some(hex) = name.strip_prefix('#') {
        if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            let v = u32::from_str_radix(hex, 16).ok()?;
            return Some(Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8));
        }
        return None;
    }
    if let Ok(index) = name.parse::<u8>() {
        return Some(Color::Indexed(index));
    }
    let key: String = name
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .flat_map(char::to_lowercase)
        .collect();
    Some(match key.as_str() {
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "darkgray" | "darkgrey" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        "reset" | "default" => Color::Reset,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_names_and_hex_parse() {
        assert_eq!(parse_color("cyan"), Some(Color::Cyan));
        assert_eq!(parse_color("light-red"), Some(Color::LightRed));
        assert_eq!(parse_color("Dark_Gray"), Some(Color::DarkGray));
        assert_eq!(parse_color("#ff8000"), Some(Color::Rgb(255, 128, 0)));
        assert_eq!(parse_color("#ff80"), None);
        assert_eq!(parse_color("208"), Some(Color::Indexed(208)));
        assert_eq!(parse_color("mauve"), None);
    }

    #[test]
    fn unknown_colour_falls_back_to_default() {
        let colors = Colors {
            accent: "mauve".into(),
            ..Colors::default()
        };
        assert_eq!(Theme::from_colors(&colors).accent.fg, Some(Color::Cyan));
    }

    #[test]
    fn colorless_theme_has_no_colours() {
        let t = Theme::colorless();
        assert_eq!(t.selection.bg, None);
        assert_eq!(t.accent.fg, None);
    }
}
