//! Where musubi keeps things (the platform's directories) and the user's settings file.

use directories::ProjectDirs;
use serde::{Deserialize, Serialize};
use std::fs;
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
    pub colors: Colors,
    /// The name written as `by` in the outreach log (default: the login name).
    pub user: Option<String>,
    /// The outreach log to use instead of `outreach.jsonl` in the data directory.
    pub outreach_log: Option<PathBuf>,
}

impl Settings {
    /// Reads the settings file; a missing file gives the defaults.
    pub fn load(path: &Path) -> Result<Settings, ConfigError> {
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
            Err(source) => {
                return Err(ConfigError::Read {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        Settings::parse(path, &text)
    }

    /// Parses settings text; errors name the file and line.
    pub fn parse(path: &Path, text: &str) -> Result<Settings, ConfigError> {
        toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
                .unwrap_or(1);
            ConfigError::Parse {
                path: path.to_path_buf(),
                line,
                message: e.message().to_string(),
            }
        })
    }

    /// True when the TUI should draw without colour (settings or `NO_COLOR`).
    pub fn colorless(&self) -> bool {
        self.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
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
        assert_eq!(s.colors.accent, "green");
        assert_eq!(s.colors.highlight, "yellow");
    }

    #[test]
    fn unknown_setting_is_an_error_with_its_line() {
        let err =
            Settings::parse(Path::new("config.toml"), "no_color = true\ncolour = 1\n").unwrap_err();
        assert!(err.to_string().starts_with("config.toml:2:"), "{err}");
    }
}
