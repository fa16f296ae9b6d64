//! The app's state: screens, focus, cursors, the session's marks and the requests for the
//! runtime; the helpers every view's update shares.

use super::*;
use crate::tui::listing::Rows;

/// The two screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Search,
    Matches,
}

/// Where the keyboard is on a screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    SearchBox,
    Detail,
    Filters,
    /// The find line of the filter panel.
    FilterFind,
}

/// Opening the data.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadState {
    Loading { step: Progress, frame: usize },
    Failed(String),
    Ready,
}

/// A selection in a list with its scroll offset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListCursor {
    pub selected: usize,
    pub offset: usize,
}

impl ListCursor {
    /// Moves by `delta` within `len` items and keeps the selection within `height` rows.
    pub fn step(&mut self, delta: isize, len: usize, height: usize) {
        if len == 0 {
            *self = ListCursor::default();
            return;
        }
        let target = self.selected as isize + delta;
        self.selected = target.clamp(0, len as isize - 1) as usize;
        self.fit(len, height);
    }

    /// Keeps the selection within bounds and visible.
    pub fn fit(&mut self, len: usize, height: usize) {
        let height = height.max(1);
        if len == 0 {
            *self = ListCursor::default();
            return;
        }
        self.selected = self.selected.min(len - 1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height));
    }
}

/// What to match: a record, or a need typed by the coordinator.
#[derive(Debug, Clone, PartialEq)]
pub enum MatchTarget {
    Record { id: String, kind: Kind },
    AdHoc(AdHocNeed),
}

/// Work for the runtime.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    Search(String),
    Match(MatchTarget),
    Export {
        reports: Vec<MatchReport>,
        format: ExportFormat,
        path: PathBuf,
        overwrite: bool,
        /// Write blocked and for-review datasets too (verdict and rule only, no contacts).
        include_blocked: bool,
    },
    /// Append `contacted` for these candidates of the report's subject to the outreach log.
    LogContacted {
        report: MatchReport,
        candidates: Vec<String>,
    },
    /// Work of the outreach cycle (gaps, news, saved searches).
    Cycle(CycleRequest),
}

/// A dialog or overlay over the screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Export(ExportDialog),
    AdHoc(AdHocForm),
    Gaps(GapsState),
    SavedSearches(SavedSearches),
}

/// A line for the status bar until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// What the detail pane shows and where its keyboard is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DetailState {
    /// Records reached by following references (the last is shown); empty = the selection.
    pub stack: Vec<String>,
    /// The selected reference.
    pub link: usize,
    pub scroll: u16,
}

/// A view as it was when another replaced it: screen, keyboard, details and match list. The
/// search's query, tabs and cursors stay as they were meanwhile, and marks belong to the session.
#[derive(Debug, Clone)]
pub struct SavedView {
    pub screen: Screen,
    pub focus: Focus,
    pub detail: DetailState,
    pub matches: Option<MatchesState>,
}

/// The whole state of the app.
#[derive(Debug, Clone)]
pub struct App {
    pub load: LoadState,
    /// What is shown while loading, once the index is open (until the data is loaded).
    pub preview: Option<Arc<super::super::preview::Preview>>,
    /// The text typed ahead while loading, as shown in the preview's search box.
    pub typed_ahead: super::super::preview::TypedAhead,
    /// Working out the facet values failed: the filters stay without values.
    pub facets_failed: bool,
    pub data: Option<Arc<Data>>,
    pub size: Rect,
    pub screen: Screen,
    pub focus: Focus,
    pub overlay: Option<Overlay>,
    pub help: bool,
    pub help_scroll: usize,
    /// The context the help was opened in (listed first).
    pub help_context: Context,
    pub kind: Kind,
    pub query: TextInput,
    pub outcome: SearchOutcome,
    /// Results per kind after the filters, in `Kind::ALL` order.
    pub lists: [Rows; 5],
    pub cursors: [ListCursor; 5],
    /// Marked records on the search screen, by id.
    pub marks: BTreeSet<String>,
    pub active_filters: BTreeSet<(Facet, String)>,
    pub filter_rows: Vec<FilterRow>,
    pub filter_cursor: ListCursor,
    /// The facet the filter panel shows.
    pub filter_facet: Facet,
    /// Narrows the facet's values (typed after `/` in the panel).
    pub filter_find: TextInput,
    pub detail: DetailState,
    pub matches: Option<MatchesState>,
    /// The views a match list replaced, the latest last: Esc goes back to exactly them.
    pub back: Vec<SavedView>,
    /// The ad-hoc form as last left (sent or cancelled): `a` reopens it so.
    pub last_adhoc: Option<AdHocForm>,
    /// `q` was pressed with marks: the next `q` quits, any other key stays.
    pub confirm_quit: bool,
    /// The session of the last run, put in place once the data is loaded.
    pub restore: Option<super::super::session::Session>,
    pub message: Option<Message>,
    pub export_dir: PathBuf,
    /// Where saved searches are kept (`None`: no config directory).
    pub saved_searches_file: Option<PathBuf>,
    pub today: Date,
    /// The language of match reasons and exports (the `lang` setting).
    pub lang: Lang,
    pub pending: Vec<Request>,
    pub quit: bool,
    /// The keymap in effect (the key table with the settings' `[keys]` over it).
    pub keymap: Arc<Keymap>,
}

pub(super) fn kind_index(kind: Kind) -> usize {
    crate::tui::listing::tab_of(kind)
}

impl App {
    /// A new app, opening its data; `size` is the terminal's.
    pub fn new(size: Rect, export_dir: PathBuf, today: Date) -> App {
        App {
            load: LoadState::Loading {
                step: Progress::Checking,
                frame: 0,
            },
            preview: None,
            typed_ahead: Default::default(),
            facets_failed: false,
            data: None,
            size,
            screen: Screen::Search,
            focus: Focus::SearchBox,
            overlay: None,
            help: false,
            help_scroll: 0,
            help_context: Context::List,
            kind: Kind::Dataset,
            query: TextInput::default(),
            outcome: SearchOutcome::default(),
            lists: Default::default(),
            cursors: [ListCursor::default(); 5],
            marks: BTreeSet::new(),
            active_filters: BTreeSet::new(),
            filter_rows: Vec::new(),
            filter_cursor: ListCursor::default(),
            filter_facet: Facet::Area,
            filter_find: TextInput::default(),
            detail: DetailState::default(),
            matches: None,
            message: None,
            export_dir,
            saved_searches_file: None,
            today,
            lang: Lang::default(),
            pending: Vec::new(),
            quit: false,
            back: Vec::new(),
            last_adhoc: None,
            confirm_quit: false,
            restore: None,
            keymap: Arc::new(Keymap::default()),
        }
    }

    /// Where the keyboard is, for the key table.
    pub fn context(&self) -> Context {
        if self.help {
            return Context::Help;
        }
        match &self.overlay {
            Some(Overlay::Export(_)) => return Context::Export,
            Some(Overlay::AdHoc(_)) => return Context::AdHoc,
            Some(Overlay::Gaps(_)) => return Context::Gaps,
            Some(Overlay::SavedSearches(s)) => return s.context(),
            None => {}
        }
        if self.load != LoadState::Ready {
            return Context::Loading;
        }
        match (self.screen, self.focus) {
            (Screen::Matches, Focus::Detail) => Context::MatchDetail,
            (Screen::Matches, _) => Context::Matches,
            (Screen::Search, Focus::List) => Context::List,
            (Screen::Search, Focus::SearchBox) => Context::SearchBox,
            (Screen::Search, Focus::Detail) => Context::Detail,
            (Screen::Search, Focus::Filters) => Context::Filters,
            (Screen::Search, Focus::FilterFind) => Context::FilterFind,
        }
    }

    /// The results of the current kind.
    pub fn list(&self) -> &Rows {
        &self.lists[kind_index(self.kind)]
    }

    /// The cursor of the current kind.
    pub fn cursor(&self) -> ListCursor {
        self.cursors[kind_index(self.kind)]
    }

    /// Counts per kind for the tab bar.
    pub fn counts(&self) -> [usize; 5] {
        [0, 1, 2, 3, 4].map(|i| self.lists[i].len())
    }

    /// The selected result on the search screen.
    pub fn selected(&self) -> Option<&Found> {
        self.list().get(self.cursor().selected)
    }

    /// The ids of the rows listed on the search screen, in order (for tests).
    #[cfg(test)]
    pub fn list_ids(&self) -> Vec<&str> {
        let Some(data) = self.data.as_ref() else {
            return Vec::new();
        };
        self.list().iter().map(|f| data.id_of(f)).collect()
    }

    /// The id of the selected result on the search screen.
    pub fn selected_id(&self) -> Option<&str> {
        let found = self.selected()?;
        Some(self.data.as_ref()?.id_of(found))
    }

    /// The record the detail pane shows.
    pub fn detail_record(&self) -> Option<&Record> {
        let data = self.data.as_ref()?;
        if let Some(id) = self.detail.stack.last() {
            return data.record(id);
        }
        match self.screen {
            Screen::Search => self.selected().and_then(|f| data.record_of(f)),
            Screen::Matches => None,
        }
    }

    pub(super) fn list_height(&self) -> usize {
        match self.screen {
            Screen::Search => layout::inner(layout::search(self.size).list).height as usize,
            Screen::Matches => layout::inner(layout::matches(self.size).list).height as usize,
        }
    }

    pub(super) fn side_height(&self) -> usize {
        layout::inner(layout::search(self.size).side).height as usize
    }

    pub(crate) fn say(&mut self, text: impl Into<String>, error: bool) {
        self.message = Some(Message {
            text: text.into(),
            error,
        });
    }

    pub(crate) fn request_search(&mut self) {
        self.pending.retain(|r| !matches!(r, Request::Search(_)));
        self.pending
            .push(Request::Search(self.query.text().to_string()));
        self.detail = DetailState::default();
    }

    pub(super) fn move_list(&mut self, delta: isize) {
        let height = self.list_height();
        match self.screen {
            Screen::Search => {
                let len = self.list().len();
                let i = kind_index(self.kind);
                let before = self.cursors[i].selected;
                self.cursors[i].step(delta, len, height);
                if self.cursors[i].selected != before {
                    self.detail = DetailState::default();
                }
            }
            Screen::Matches => {
                if let Some(m) = &mut self.matches {
                    m.step(delta, height);
                }
            }
        }
    }

    pub(super) fn links_len(&self) -> usize {
        match (&self.data, self.detail_record()) {
            (Some(data), Some(record)) => data.links(record).len(),
            _ => 0,
        }
    }

    pub(super) fn switch_kind(&mut self, forward: bool) {
        let i = kind_index(self.kind);
        let next = if forward { (i + 1) % 5 } else { (i + 4) % 5 };
        self.set_kind(Kind::ALL[next]);
    }

    /// Shows another tab; the filter panel recounts for it.
    pub(super) fn set_kind(&mut self, kind: Kind) {
        self.kind = kind;
        self.detail = DetailState::default();
        self.filter_find.edit(Edit::Clear);
        self.filter_cursor = ListCursor::default();
        self.refresh_filter_rows();
    }

    /// Keeps the current view to come back to.
    pub(super) fn push_view(&mut self) {
        self.back.push(SavedView {
            screen: self.screen,
            focus: self.focus,
            detail: self.detail.clone(),
            matches: self.matches.clone(),
        });
    }

    /// Goes back to the view the current one replaced (the search list when none).
    pub(super) fn pop_view(&mut self) {
        let view = self.back.pop().unwrap_or(SavedView {
            screen: Screen::Search,
            focus: Focus::List,
            detail: DetailState::default(),
            matches: None,
        });
        self.screen = view.screen;
        self.focus = view.focus;
        self.detail = view.detail;
        self.matches = view.matches;
        let h = self.list_height();
        if let Some(m) = &mut self.matches {
            m.fit(h);
        }
    }

    /// How many views Esc can go back through.
    pub fn depth(&self) -> usize {
        self.back.len()
    }

    pub(super) fn on_resize(&mut self, width: u16, height: u16) {
        self.size = Rect::new(0, 0, width, height);
        let h = self.list_height();
        for (i, c) in self.cursors.iter_mut().enumerate() {
            c.fit(self.lists[i].len(), h);
        }
        if let Some(m) = &mut self.matches {
            m.fit(h);
        }
        let side = self.filter_height();
        self.filter_cursor.fit(self.filter_rows.len(), side);
    }
}
