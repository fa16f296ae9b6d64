//! Where musubi keeps things (the platform's directories) and the user's settings file.

use directories::ProjectDirs;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Name of the settings file inside the config directory.
pub const SETTINGS_FILE: &str = "config.toml";

/// The directories musubi uses on this machine.
#[derive(Debug, Clone, PartialEq)]
pub struct Paths {
    /// The settings file (`~/.config/musubi/config.toml` on Linux).
    pub settings_file: PathBuf,
    /// Where indexes live, one sub-directory per data directory.
    pub index_root: PathBuf,
    /// Where exports go unless the settings say otherwise.
    pub default_export_dir: PathBuf,
    /// The platform's data directory (the sample data's outreach log lives here).
    pub data_dir: PathBuf,
}

/// Errors reading settings.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "no home directory found: set HOME (or XDG_DATA_HOME and XDG_CONFIG_HOME), or pass --index"
    )]
    NoHome,
    #[error("{path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Parse {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

impl Paths {
    /// The platform's directories for musubi (XDG on Linux).
    pub fn discover() -> Result<Paths, ConfigError> {
        let dirs = ProjectDirs::from("org", "musubi", "musubi").ok_or(ConfigError::NoHome)?;
        let export = directories::UserDirs::new()
            .and_then(|u| u.document_dir().map(|d| d.join("musubi-exports")))
            .unwrap_or_else(|| dirs.data_dir().join("exports"));
        Ok(Paths {
            settings_file: dirs.config_dir().join(SETTINGS_FILE),
            index_root: dirs.data_dir().join("indexes"),
            default_export_dir: export,
            data_dir: dirs.data_dir().to_path_buf(),
        })
    }
}

/// Colours of the TUI, as names (`cyan`, `light-red`) or `#rrggbb`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Colors {
    pub accent: String,
    pub highlight: String,
    pub muted: String,
    pub warning: String,
    pub selection: String,
}

impl Default for Colors {
    fn default() -> Self {
        Colors {
            accent: "cyan".into(),
            highlight: "yellow".into(),
            muted: "dark-gray".into(),
            warning: "light-red".into(),
            selection: "blue".into(),
        }
    }
}

impl Colors {
    /// Every colour `is_colour` accepts, else an error on the line that sets the first one
    /// it refuses.
    fn check(
        &self,
        path: &Path,
        text: &str,
        is_colour: &dyn Fn(&str) -> bool,
    ) -> Result<(), ConfigError> {
        let named = [
            ("accent", &self.accent),
            ("highlight", &self.highlight),
            ("muted", &self.muted),
            ("warning", &self.warning),
            ("selection", &self.selection),
        ];
        let Some((key, value)) = named.into_iter().find(|(_, v)| !is_colour(v)) else {
            return Ok(());
        };
        let line = text
            .lines()
            .position(|l| l.contains(key) && l.contains(value.as_str()))
            .map_or(1, |i| i + 1);
        Err(ConfigError::Parse {
            path: path.to_path_buf(),
            line,
            message: format!(
                "colors.{key}: \"{value}\" is not a colour (use a name such as cyan or light-red, #rrggbb, or 0-255)"
            ),
        })
    }
}

/// The settings file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Data directory used when `--data` is not given (else the bundled sample data).
    pub data_dir: Option<PathBuf>,
    /// Where exports are proposed to go.
    pub export_dir: Option<PathBuf>,
    /// Turns colour off (also done by the `NO_COLOR` environment variable).
    pub no_color: bool,
    /// Language of match reports and exports (`ja` or `en`; default `ja`).
    pub lang: Option<crate::i18n::Lang>,
    pub colors: Colors,
    /// The name written as `by` in the outreach log (default: the login name).
    pub user: Option<String>,
    /// The outreach log to use instead of `outreach.jsonl` in the data directory.
    pub outreach_log: Option<PathBuf>,
    /// The user's key bindings (`[keys]`), checked and merged by the app.
    pub keys: KeysTable,
}

/// The `[keys]` table as written: `action = keys` entries for every context and
/// `[keys.CONTEXT]` tables for one. The app's key table reads it (`tui::keymap`); here it is
/// only kept, with the line each entry was written on, for located errors.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct KeysTable {
    /// The entries, as TOML values.
    pub table: toml::Table,
    /// Line of each entry by its dotted name (`keys.matches.export`).
    #[serde(skip)]
    lines: BTreeMap<String, usize>,
}

impl KeysTable {
    /// The line `keys.CONTEXT.ACTION` (or `keys.ACTION`, `keys.CONTEXT`) was written on.
    pub fn line(&self, dotted: &str) -> Option<usize> {
        self.lines.get(dotted).copied()
    }

    /// Records where each entry under `keys` sits in `text` (the text `self` was read from).
    fn locate(&mut self, text: &str) {
        let Ok(document) = toml::de::DeTable::parse(text) else {
            return;
        };
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let Some(keys) = document.get_ref().get("keys") else {
            return;
        };
        let toml::de::DeValue::Table(keys) = keys.get_ref() else {
            return;
        };
        for (name, value) in keys {
            let dotted = format!("keys.{}", name.get_ref());
            self.lines
                .insert(dotted.clone(), line_of(name.span().start));
            if let toml::de::DeValue::Table(inner) = value.get_ref() {
                for (action, _) in inner {
                    self.lines.insert(
                        format!("{dotted}.{}", action.get_ref()),
                        line_of(action.span().start),
                    );
                }
            }
        }
    }
}

impl Settings {
    /// The platform's directories and the settings file found there, colours checked by
    /// `is_colour`; without a home directory, no paths and the defaults.
    pub fn discover(
        is_colour: &dyn Fn(&str) -> bool,
    ) -> Result<(Option<Paths>, Settings), ConfigError> {
        match Paths::discover() {
            Ok(paths) => {
                let settings = Settings::load_checked(&paths.settings_file, is_colour)?;
                Ok((Some(paths), settings))
            }
            Err(_) => Ok((None, Settings::default())),
        }
    }

    /// Reads the settings file; a missing file gives the defaults.
    pub fn load(path: &Path) -> Result<Settings, ConfigError> {
        Settings::load_checked(path, &|_| true)
    }

    /// Like [`Settings::load`], with every colour checked by `is_colour` (the front end knows
    /// which names it can draw); a colour it refuses is an error naming file, line and key.
    pub fn load_checked(
        path: &Path,
        is_colour: &dyn Fn(&str) -> bool,
    ) -> Result<Settings, ConfigError> {
        let text = match crate::files::read_text_capped(path, crate::files::SETTINGS_LIMIT) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
            Err(source) => {
                return Err(ConfigError::Read {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        let settings = Settings::parse(path, &text)?;
        settings.colors.check(path, &text, is_colour)?;
        Ok(settings)
    }

    /// Parses settings text; errors name the file and line.
    pub fn parse(path: &Path, text: &str) -> Result<Settings, ConfigError> {
        let mut settings: Settings = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
                .unwrap_or(1);
            ConfigError::Parse {
                path: path.to_path_buf(),
                line,
                message: e.message().to_string(),
            }
        })?;
        settings.keys.locate(text);
        Ok(settings)
    }

    /// True when the TUI should draw without colour (settings or `NO_COLOR`).
    pub fn colorless(&self) -> bool {
        self.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
    }

    /// The language of reports and exports: the setting, else Japanese.
    pub fn lang(&self) -> crate::i18n::Lang {
        self.lang.unwrap_or_default()
    }

    /// The export directory in use.
    pub fn export_dir(&self, paths: &Paths) -> PathBuf {
        self.export_dir
            .clone()
            .unwrap_or_else(|| paths.default_export_dir.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn missing_settings_file_gives_defaults() {
        let tmp = tempfile::tempdir().unwrap();
        let s = Settings::load(&tmp.path().join("none.toml")).unwrap();
        assert_eq!(s, Settings::default());
    }

    #[test]
    fn settings_parse_with_colours() {
        let s = Settings::parse(
            Path::new("config.toml"),
            "data_dir = \"/srv/musubi\"\nno_color = true\n[colors]\naccent = \"green\"\n",
        )
        .unwrap();
        assert_eq!(s.data_dir.as_deref(), Some(Path::new("/srv/musubi")));
        assert!(s.no_color);
        assert_eq!(s.lang(), crate::i18n::Lang::Ja);
        assert_eq!(s.colors.accent, "green");
        let en = Settings::parse(Path::new("config.toml"), "lang = \"en\"\n").unwrap();
        assert_eq!(en.lang(), crate::i18n::Lang::En);
        assert!(Settings::parse(Path::new("config.toml"), "lang = \"fr\"\n").is_err());
        assert_eq!(s.colors.highlight, "yellow");
    }

    #[test]
    fn a_colour_the_front_end_refuses_is_an_error_with_its_line() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("config.toml");
        fs::write(&path, "no_color = false\n[colors]\naccent = \"#zzzzzz\"\n").unwrap();
        let err = Settings::load_checked(&path, &|c| !c.starts_with("#z")).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("config.toml:3: colors.accent: \"#zzzzzz\""),
            "{text}"
        );
        assert!(
            Settings::load(&path).is_ok(),
            "unchecked load accepts any text"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_settings_file_is_refused_without_opening_it() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("config.toml");
        let made = std::process::Command::new("mkfifo").arg(&path).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        // Opening a FIFO for reading would block until a writer comes: this returns at once.
        let err = Settings::load(&path).unwrap_err().to_string();
        assert!(
            err.contains("named pipe (FIFO), not a regular file"),
            "{err}"
        );
    }

    #[test]
    fn the_keys_table_is_kept_with_the_line_of_each_entry() {
        let text = "no_color = true\n[keys]\nmove_down = [\"j\", \"n\"]\n\n[keys.matches]\nexport = \"x\"\n";
        let s = Settings::parse(Path::new("config.toml"), text).unwrap();
        assert!(s.keys.table.contains_key("move_down"));
        assert_eq!(s.keys.line("keys.move_down"), Some(3));
        assert_eq!(s.keys.line("keys.matches"), Some(5));
        assert_eq!(s.keys.line("keys.matches.export"), Some(6));
        assert_eq!(s.keys.line("keys.list"), None);
        assert_eq!(Settings::default().keys.table.len(), 0);
    }

    #[test]
    fn unknown_setting_is_an_error_with_its_line() {
        let err =
            Settings::parse(Path::new("config.toml"), "no_color = true\ncolour = 1\n").unwrap_err();
        assert!(err.to_string().starts_with("config.toml:2:"), "{err}");
    }
}
