//! For tests: the bundled sample data opened once (index in a temporary directory), and apps
//! driven through `update` and the engine as the event loop would.

use super::action::Action;
use super::app::{update, App};
use super::engine::Engine;
use crate::config::Settings;
use crate::consent::Date;
use crate::workspace::{OpenOptions, Workspace};
use ratatui::layout::Rect;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The sample data's engine, built once per test binary.
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<(tempfile::TempDir, Engine)> = OnceLock::new();
    let (_, engine) = ENGINE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temporary directory");
        let options = OpenOptions {
            data: None,
            index: Some(dir.path().join("index")),
            force_rebuild: false,
            from_scratch: false,
        };
        let workspace =
            Workspace::open(&options, &Settings::default(), &|_| {}).expect("sample data opens");
        (dir, Engine::new(workspace).expect("sample records read"))
    });
    engine
}

/// The day the tests pretend it is.
pub fn today() -> Date {
    Date::new(2026, 11, 26).expect("valid date")
}

/// An app of `width`×`height` over the sample data, loaded and searched (empty query).
pub fn loaded_app(width: u16, height: u16) -> App {
    let mut app = App::new(
        Rect::new(0, 0, width, height),
        PathBuf::from("/tmp/musubi-exports"),
        today(),
    );
    drive(&mut app, [Action::Loaded(engine().data.clone())]);
    app
}

/// Applies actions one by one, carrying out the requests as the event loop does.
pub fn drive(app: &mut App, actions: impl IntoIterator<Item = Action>) {
    for action in actions {
        update(app, action);
        engine().perform(app);
    }
}

/// Types text into whatever box has the keyboard.
pub fn type_text(app: &mut App, text: &str) {
    drive(app, text.chars().map(Action::Insert));
}
