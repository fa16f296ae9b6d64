//! What the app keeps between runs: the last query, tab, filters and marks, in
//! `app-state.json` in the platform's data directory (written atomically at quit; `--fresh`
//! starts without it).

use super::app::App;
use crate::facets::Facet;
use crate::model::Kind;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The file's name in the data directory.
pub const FILE: &str = "app-state.json";

/// The session as saved.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Session {
    #[serde(default)]
    pub query: String,
    /// The tab, as a kind's name (`dataset`).
    #[serde(default)]
    pub tab: String,
    /// Active filters as (facet name, value).
    #[serde(default)]
    pub filters: Vec<(String, String)>,
    /// Marked record ids.
    #[serde(default)]
    pub marks: Vec<String>,
}

/// Where the session is kept for a data directory of `paths`.
pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE)
}

impl Session {
    /// The session of an app now.
    pub fn of(app: &App) -> Session {
        Session {
            query: app.query.text().to_string(),
            tab: app.kind.as_str().to_string(),
            filters: app
                .active_filters
                .iter()
                .map(|(f, v)| (f.name().to_string(), v.clone()))
                .collect(),
            marks: app.marks.iter().cloned().collect(),
        }
    }

    /// Reads a saved session; a missing or unreadable file is no session (the app starts
    /// fresh rather than refusing to start).
    pub fn load(path: &Path) -> Option<Session> {
        let text = crate::files::read_text_capped(path, crate::files::SETTINGS_LIMIT).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Writes the session atomically, readable by its owner only (marks name people).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        crate::atomic_file::write_atomically(path, &json, true)
    }

    /// The tab the session opens on, when it names one.
    pub fn kind(&self) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == self.tab)
    }

    /// True when the session lists its tab as the empty query does: no query, no filter.
    pub fn lists_every_record(&self) -> bool {
        self.query.trim().is_empty() && !self.filters.iter().any(|(f, _)| Facet::parse(f).is_some())
    }

    /// Puts the session into a freshly loaded app: tab, filters, marks of records that still
    /// exist, and the query (the caller asks for the search).
    pub fn apply(self, app: &mut App) {
        if let Some(kind) = self.kind() {
            app.kind = kind;
        }
        app.active_filters = self
            .filters
            .into_iter()
            .filter_map(|(f, v)| Facet::parse(&f).map(|f| (f, v)))
            .collect();
        let known = |id: &String| app.data.as_ref().is_some_and(|d| d.record(id).is_some());
        app.marks = self.marks.into_iter().filter(known).collect();
        app.query = super::widgets::text_input::TextInput::new(&self.query);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::action::Action;
    use crate::tui::app::App;
    use crate::tui::test_support::{drive, loaded_app, type_text};
    use ratatui::layout::Rect;

    #[test]
    fn a_session_round_trips_through_its_file_and_comes_back() {
        let mut app = loaded_app(80, 24);
        type_text(&mut app, "膵がん");
        drive(
            &mut app,
            [Action::Enter, Action::ToggleMark, Action::NextKind],
        );
        app.active_filters
            .insert((Facet::Area, "cancer".to_string()));
        app.marks.insert("NO-SUCH-ID".into());
        let dir = tempfile::tempdir().expect("temp dir");
        let file = path(dir.path());
        Session::of(&app).save(&file).expect("saved");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).expect("file").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let saved = Session::load(&file).expect("read back");
        let mut next = App::new(Rect::new(0, 0, 80, 24), "/tmp".into(), app.today);
        next.restore = Some(saved);
        let data = app.data.clone().expect("loaded");
        drive(&mut next, [Action::Loaded(data)]);
        assert_eq!(next.query.text(), "膵がん");
        assert_eq!(next.kind, app.kind);
        assert_eq!(next.active_filters, app.active_filters);
        let marks: Vec<&String> = next.marks.iter().collect();
        assert_eq!(
            marks.len(),
            1,
            "marks of records that still exist: {marks:?}"
        );
        assert_eq!(next.outcome.query, "膵がん", "the query is searched again");
    }

    #[test]
    fn a_garbled_file_is_no_session() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = path(dir.path());
        std::fs::write(&file, "{not json").expect("written");
        assert_eq!(Session::load(&file), None);
        assert_eq!(Session::load(&dir.path().join("missing.json")), None);
    }
}
