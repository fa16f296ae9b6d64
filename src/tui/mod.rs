//! The full-screen app (`musubi` without a subcommand): search as you type over all kinds,
//! filters, details with followable references, match lists, marks and exports — all through
//! the same library code as the CLI.
//!
//! Elm-like: `event` turns terminal events into `Action`s, `app::update` applies them to the
//! state (no I/O), the `engine` carries out the requests `update` leaves (search, match,
//! export), and `views::draw` draws the state.

pub mod action;
pub mod app;
pub mod background;
pub mod cycle;
pub mod cycle_update;
pub mod data;
pub mod engine;
pub mod event;
pub mod finder;
pub mod fuzzy_score;
pub mod gaps_screen;
pub mod haystack;
pub mod keymap;
pub mod keys;
pub mod layout;
pub mod listing;
pub mod one_char;
pub mod outreach_filter;
pub mod preview;
pub mod saved_searches;
pub mod session;
pub mod strings;
pub mod terminal;
pub mod theme;
pub mod views;
pub mod widgets;
pub mod worker;

use crate::config::Settings;
use crate::consent::Date;
use crate::model::Kind;
use crate::workspace::{OpenOptions, Progress, Workspace};
use action::Action;
use app::{update, App};
use engine::Engine;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Duration;
use theme::Theme;
use worker::Worker;

/// How often the loading indicator moves.
const TICK: Duration = Duration::from_millis(120);

/// What the event loop receives.
enum Incoming {
    Terminal(crossterm::event::Event),
    Progress(Progress),
    Preview(Box<preview::Preview>),
    Loaded(Box<Engine>),
    Failed(String),
    /// What came of a request the worker carried out.
    Done(Box<Action>),
    /// The terminal can no longer be read.
    InputClosed,
}

/// How the app is started: where its data and index are (the front end's `--data`/`--index`).
#[derive(Debug, Clone, Default)]
pub struct Launch {
    pub open: OpenOptions,
    /// Start without the last session (query, tab, filters, marks).
    pub fresh: bool,
}

/// Runs the app until the user quits; exit code 2 without a terminal. Settings come from the
/// settings file of the platform's config directory.
pub fn run_app(launch: Launch) -> ExitCode {
    // The settings are checked first, so a broken settings file or keymap is reported with
    // the terminal untouched, with or without one.
    let (paths, settings) = match Settings::discover(&theme::is_colour) {
        Ok(found) => found,
        Err(e) => {
            eprintln!("musubi: {}", crate::terminal_text::lines(&e.to_string()));
            return ExitCode::from(1);
        }
    };
    let keymap = match &paths {
        Some(p) => keymap::Keymap::from_settings(&settings.keys, &p.settings_file),
        None => Ok(keymap::Keymap::default()),
    };
    let keymap = match keymap {
        Ok(keymap) => std::sync::Arc::new(keymap),
        Err(e) => {
            eprintln!(
                "musubi: the keymap of the settings file is not valid; the app did not start:\n{}",
                crate::terminal_text::lines(&e.to_string())
            );
            return ExitCode::from(1);
        }
    };
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        eprintln!("{}", strings::NO_TTY);
        return ExitCode::from(2);
    }
    let theme = Theme::from_settings(&settings);
    let lang = settings.lang();
    let export_dir = paths
        .as_ref()
        .map(|p| settings.export_dir(p))
        .or_else(|| settings.export_dir.clone())
        .unwrap_or_else(|| PathBuf::from("."));
    let options = launch.open;
    let session_file = paths.as_ref().map(|p| session::path(&p.data_dir));
    let restore = if launch.fresh {
        None
    } else {
        session_file.as_deref().and_then(session::Session::load)
    };
    // The preview shows the tab the app opens on, and no rows when a query or filters are
    // restored (their results come once the records are read).
    let preview_kind = restore
        .as_ref()
        .and_then(session::Session::kind)
        .unwrap_or(Kind::Dataset);
    let preview_rows = match &restore {
        Some(session) if !session.lists_every_record() => 0,
        _ => preview::PREVIEW_ROWS,
    };
    let (sender, receiver) = mpsc::channel();
    let loader = sender.clone();
    let done_sender = sender.clone();
    let log_paths = paths.clone();
    std::thread::spawn(move || {
        let progress = |p: Progress| {
            let _ = loader.send(Incoming::Progress(p));
        };
        // A panic here must not leave the app waiting forever: it becomes a load failure,
        // shown on the screen like any other (the panic hook leaves the terminal to the UI
        // thread).
        let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            Workspace::open(&options, &settings, &progress).and_then(|workspace| {
                let log = crate::outreach::log_path(
                    None,
                    &settings,
                    &workspace.source,
                    log_paths.as_ref(),
                );
                // The record history behind the "new" marks (read when first needed); without it
                // nothing is marked new.
                let store = crate::workspace::store_for(&options, &workspace.source).ok();
                let shown = crate::trace::phase("preview", || {
                    workspace
                        .records()
                        .ok()
                        .map(|records| preview::Preview::of(records, preview_kind, preview_rows))
                });
                if let Some(shown) = shown {
                    let _ = loader.send(Incoming::Preview(Box::new(shown)));
                }
                let engine =
                    Engine::with_log(workspace, log, crate::outreach::current_user(&settings))?;
                Ok(match store {
                    Some(store) => engine.with_history_at(store.root().to_path_buf()),
                    None => engine,
                })
            })
        }));
        let message = match opened {
            Ok(Ok(engine)) => Incoming::Loaded(Box::new(engine)),
            Ok(Err(e)) => Incoming::Failed(e.to_string()),
            Err(panic) => Incoming::Failed(format!(
                "internal error while opening the data: {}",
                panic_text(panic.as_ref())
            )),
        };
        let _ = loader.send(message);
    });
    let mut terminal = match terminal::init() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("musubi: could not set up the terminal: {e}");
            return ExitCode::from(1);
        }
    };
    std::thread::spawn(move || {
        while let Ok(event) = crossterm::event::read() {
            if sender.send(Incoming::Terminal(event)).is_err() {
                return;
            }
        }
        let _ = sender.send(Incoming::InputClosed);
    });
    let size = terminal.size().unwrap_or_default();
    let mut app = App::new(
        ratatui::layout::Rect::new(0, 0, size.width, size.height),
        export_dir,
        Date::today(),
    );
    app.lang = lang;
    app.keymap = keymap;
    app.saved_searches_file = paths.as_ref().map(crate::watch::watch_file);
    app.restore = restore;
    let mut worker: Option<Worker> = None;
    let result = event_loop(
        &mut terminal,
        &mut app,
        &theme,
        &receiver,
        &done_sender,
        &mut worker,
    );
    // What the worker was asked to write (an export, the outreach log, saved searches), the
    // last key's requests included, is written before the app ends.
    if let Some(worker) = worker {
        worker.submit(std::mem::take(&mut app.pending), app.today, app.lang);
        worker.finish();
    }
    terminal::restore();
    // The session is kept only once the data was there to act on.
    if let (Some(file), app::LoadState::Ready) = (&session_file, &app.load) {
        if let Err(e) = session::Session::of(&app).save(file) {
            eprintln!(
                "musubi: could not keep the session in {}: {e}",
                crate::terminal_text::one_line(&file.display().to_string())
            );
        }
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("musubi: {}", crate::terminal_text::lines(&e.to_string()));
            ExitCode::from(1)
        }
    }
}

/// The message of a caught panic.
pub(crate) fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// Runs the app until it quits; the worker is started once the data is there.
fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    theme: &Theme,
    receiver: &mpsc::Receiver<Incoming>,
    sender: &mpsc::Sender<Incoming>,
    worker: &mut Option<Worker>,
) -> std::io::Result<()> {
    let mut dirty = true;
    // Keys typed while the index is still being built are kept and replayed once it is ready,
    // so a coordinator can start typing a query at once.
    let mut typed_ahead: Vec<crossterm::event::Event> = Vec::new();
    loop {
        if dirty {
            terminal.draw(|frame| views::draw(frame, app, theme))?;
            dirty = false;
        }
        let loading = matches!(app.load, app::LoadState::Loading { .. });
        let first = if loading {
            match receiver.recv_timeout(TICK) {
                Ok(m) => Some(m),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
            }
        } else {
            match receiver.recv() {
                Ok(m) => Some(m),
                Err(_) => return Ok(()),
            }
        };
        let Some(first) = first else {
            update(app, Action::Tick);
            dirty = true;
            continue;
        };
        // Everything already queued is applied before the next draw and search, so fast typing
        // costs one search, not one per key.
        let mut batch = vec![first];
        batch.extend(receiver.try_iter());
        for message in batch {
            let still_loading = matches!(app.load, app::LoadState::Loading { .. });
            let action = match message {
                Incoming::Terminal(event)
                    if still_loading
                        && event::is_type_ahead(&app.keymap, &event, !typed_ahead.is_empty()) =>
                {
                    typed_ahead.push(event);
                    app.typed_ahead = preview::TypedAhead::of(&typed_ahead);
                    None
                }
                Incoming::Terminal(event) => event::to_action(app, event),
                Incoming::Progress(p) => Some(Action::Progress(p)),
                Incoming::Preview(p) => Some(Action::Preview(std::sync::Arc::from(p))),
                Incoming::Loaded(e) => {
                    let data = e.data.clone();
                    // Typing ahead starts a new query rather than adding to the last one.
                    if !typed_ahead.is_empty() {
                        if let Some(session) = &mut app.restore {
                            session.query.clear();
                        }
                    }
                    let done = sender.clone();
                    *worker = Some(Worker::start(e, move |action| {
                        let _ = done.send(Incoming::Done(Box::new(action)));
                    }));
                    // Every record's facet values, for the filters, on a thread of their
                    // own: the list and searches do not wait for them.
                    // A bug there fails the filters, with its message, not the app.
                    let (facets_of, facets_done) = (data.clone(), sender.clone());
                    std::thread::spawn(move || {
                        let worked_out = std::panic::catch_unwind(|| {
                            background::run_low_priority(|| {
                                facets_of.facet_index();
                            })
                        });
                        let done = match worked_out {
                            Ok(()) => Action::FacetsReady,
                            Err(panic) => Action::FacetsFailed(format!(
                                "internal error: {}",
                                panic_text(panic.as_ref())
                            )),
                        };
                        let _ = facets_done.send(Incoming::Done(Box::new(done)));
                    });
                    update(app, Action::Loaded(data));
                    for event in typed_ahead.drain(..) {
                        if let Some(action) = event::to_action(app, event) {
                            update(app, action);
                        }
                    }
                    dirty = true;
                    None
                }
                Incoming::Failed(e) => Some(Action::LoadFailed(e)),
                Incoming::Done(action) => Some(*action),
                Incoming::InputClosed => return Ok(()),
            };
            if let Some(action) = action {
                update(app, action);
                dirty = true;
            }
            if app.quit {
                return Ok(());
            }
        }
        // The work the actions asked for goes to the worker; its results come back as
        // messages, so the next frame is drawn without waiting for them.
        if let Some(worker) = worker {
            if !app.pending.is_empty() {
                worker.submit(std::mem::take(&mut app.pending), app.today, app.lang);
            }
        }
    }
}

#[cfg(test)]
mod cycle_tests;
#[cfg(test)]
mod screen_tests;
#[cfg(test)]
mod test_support;
