//! The saved searches' state and update: a prompt that saves the current search under a name,
//! and a list (with each search's hits new since the last look) that reopens one. Kept in the
//! config directory by [`crate::watch`], shared with `musubi watch`.

use super::action::{Action, Edit};
use super::app::{App, Overlay, Request};
use super::cycle::{CycleRequest, WatchRow};
use super::keys::Context;
use super::layout;
use super::strings;
use super::widgets::text_input::TextInput;
use std::path::PathBuf;

/// The saved-searches overlay: naming the current search, or the list.
#[derive(Debug, Clone, PartialEq)]
pub enum SavedSearches {
    /// Naming the current search before saving it.
    Naming {
        name: TextInput,
        query: String,
        error: Option<String>,
    },
    /// The saved searches (`None` while they are read).
    List {
        rows: Option<Vec<WatchRow>>,
        error: Option<String>,
        selected: usize,
        /// A search whose forgetting was asked about: `d` on it again forgets it.
        confirm_forget: Option<String>,
    },
}

impl SavedSearches {
    /// Where the keyboard is.
    pub fn context(&self) -> Context {
        match self {
            SavedSearches::Naming { .. } => Context::SaveSearch,
            SavedSearches::List { .. } => Context::SavedSearches,
        }
    }

    /// The list, empty until read.
    pub fn list() -> SavedSearches {
        SavedSearches::List {
            rows: None,
            error: None,
            selected: 0,
            confirm_forget: None,
        }
    }
}

/// The file of saved searches, or why there is none.
fn file(app: &App) -> Result<PathBuf, &'static str> {
    app.saved_searches_file
        .clone()
        .ok_or(strings::SAVED_NO_FILE)
}

/// Opens the prompt that names the current search.
pub fn start_saving(app: &mut App) {
    app.overlay = Some(Overlay::SavedSearches(SavedSearches::Naming {
        name: TextInput::default(),
        query: app.query.text().to_string(),
        error: None,
    }));
}

/// Opens the list and asks for the saved searches.
pub fn start_listing(app: &mut App) {
    match file(app) {
        Ok(file) => {
            app.overlay = Some(Overlay::SavedSearches(SavedSearches::list()));
            app.pending
                .push(Request::Cycle(CycleRequest::Watches { file }));
        }
        Err(why) => {
            app.overlay = Some(Overlay::SavedSearches(SavedSearches::List {
                rows: Some(Vec::new()),
                error: Some(why.to_string()),
                selected: 0,
                confirm_forget: None,
            }));
        }
    }
}

/// Applies a key (the overlay was taken out of `app`; it goes back unless it closes).
pub fn update(app: &mut App, mut state: SavedSearches, action: Action) {
    match &mut state {
        SavedSearches::Naming { name, query, error } => match action {
            Action::Back => return,
            Action::Insert(c) => {
                name.insert(c);
            }
            Action::Space => name.insert(' '),
            Action::Paste(text) => name.insert_str(&text),
            Action::Edit(edit) => {
                name.edit(edit);
            }
            Action::Enter => {
                let typed = name.text().trim().to_string();
                if typed.is_empty() {
                    *error = Some(strings::SAVE_NEEDS_NAME.to_string());
                } else {
                    match file(app) {
                        Ok(file) => app.pending.push(Request::Cycle(CycleRequest::SaveWatch {
                            file,
                            name: typed,
                            query: query.clone(),
                        })),
                        Err(why) => *error = Some(why.to_string()),
                    }
                }
            }
            _ => {}
        },
        SavedSearches::List {
            rows,
            selected,
            confirm_forget,
            ..
        } => {
            let asked = confirm_forget.take();
            let len = rows.as_ref().map_or(0, Vec::len);
            let page = layout::inner(layout::full_view(app.size).list)
                .height
                .max(1) as isize;
            let step = |selected: &mut usize, delta: isize| {
                *selected = if len == 0 {
                    0
                } else {
                    (*selected as isize)
                        .saturating_add(delta)
                        .clamp(0, len as isize - 1) as usize
                };
            };
            match action {
                Action::Back => return,
                Action::Up => step(selected, -1),
                Action::Down => step(selected, 1),
                Action::PageUp => step(selected, -page),
                Action::PageDown => step(selected, page),
                Action::Top => step(selected, isize::MIN / 2),
                Action::Bottom => step(selected, isize::MAX / 2),
                Action::Enter => {
                    let chosen = rows.as_ref().and_then(|r| r.get(*selected));
                    if let (Some(row), Ok(file)) = (chosen, file(app)) {
                        app.pending.push(Request::Cycle(CycleRequest::OpenWatch {
                            file,
                            name: row.name.clone(),
                        }));
                    }
                }
                Action::Forget => {
                    let chosen = rows.as_ref().and_then(|r| r.get(*selected));
                    match (chosen, file(app)) {
                        (Some(row), Ok(file)) if asked.as_ref() == Some(&row.name) => {
                            app.pending.push(Request::Cycle(CycleRequest::RemoveWatch {
                                file,
                                name: row.name.clone(),
                            }));
                        }
                        (Some(row), Ok(_)) => {
                            app.say(strings::forget_question(&row.name), true);
                            *confirm_forget = Some(row.name.clone());
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
    }
    app.overlay = Some(Overlay::SavedSearches(state));
}

/// Puts the opened search in the search box and says what is new in it.
pub fn opened(app: &mut App, row: WatchRow) {
    app.overlay = None;
    app.query = TextInput::new(&row.query);
    app.query.edit(Edit::End);
    app.request_search();
    let new: Vec<String> = row.new.iter().map(|(id, _)| id.clone()).collect();
    app.say(strings::opened_saved(&row.name, &new, &row.since), false);
}
