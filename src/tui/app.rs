//! The app's state and `update`, which applies one action to it. No I/O and no drawing here:
//! work that needs the index, the matcher or the disk is asked for through `pending` requests
//! that the runtime carries out, and their results come back as actions.

use super::action::{Action, Edit, ExportOutcome, Found, SearchOutcome};
use super::cycle::CycleRequest;
use super::cycle_update;
use super::data::Data;
use super::gaps_screen::{self, GapsState};
use super::keys::Context;
use super::layout;
use super::outreach_filter::MatchCycle;
use super::saved_searches::{self, SavedSearches};
use super::strings;
use super::widgets::tab_bar;
use super::widgets::text_input::TextInput;
use crate::consent::Date;
use crate::export::ExportFormat;
use crate::facets::{self, passes, Facet};
use crate::i18n::Lang;
use crate::matching::{AdHocNeed, MatchItem, MatchReport, MatchSubject, SubjectKind};
use crate::model::{Kind, Record};
use crate::workspace::Progress;
use ratatui::layout::Rect;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

/// Section names of a match report, in display order.
pub const SECTIONS: [&str; 3] = ["Datasets", "Partners", "Proposals"];

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

/// One row of the filter panel: a facet heading (`value` None) or a value with its count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterRow {
    pub facet: Facet,
    pub value: Option<String>,
    pub count: usize,
}

/// The match list of one subject.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchesState {
    pub target: MatchTarget,
    /// What the list is for, shown while matching.
    pub label: String,
    /// None while the matcher runs.
    pub report: Option<MatchReport>,
    pub error: Option<String>,
    pub show_blocked: bool,
    pub cursor: ListCursor,
    /// Marked items, as (section, id).
    pub marks: BTreeSet<(usize, String)>,
    /// A blocked item whose marking was asked about: `Space` on it again marks it.
    pub confirm_mark: Option<(usize, String)>,
    /// The outreach filters and "new" marks.
    pub cycle: MatchCycle,
}

impl MatchesState {
    /// The items shown, as (section, item), in display order.
    pub fn visible(&self) -> Vec<(usize, &MatchItem)> {
        let Some(report) = &self.report else {
            return Vec::new();
        };
        let sections = [&report.datasets, &report.partners, &report.proposals];
        sections
            .iter()
            .enumerate()
            .flat_map(|(s, items)| items.iter().map(move |i| (s, i)))
            .filter(|(_, i)| self.show_blocked || !i.is_blocked())
            .filter(|(_, i)| self.cycle.keeps(i))
            .collect()
    }

    /// The selected item.
    pub fn selected(&self) -> Option<(usize, &MatchItem)> {
        self.visible().get(self.cursor.selected).copied()
    }

    /// The rows drawn: a heading before each section's first visible item, then its items.
    pub fn rows(&self) -> Vec<MatchRow> {
        let mut rows = Vec::new();
        let mut last = None;
        for (i, (section, _)) in self.visible().iter().enumerate() {
            if last != Some(*section) {
                rows.push(MatchRow::Heading(*section));
                last = Some(*section);
            }
            rows.push(MatchRow::Item(i));
        }
        rows
    }

    /// Moves the selection by `delta` items; `height` rows are visible.
    pub fn step(&mut self, delta: isize, height: usize) {
        let len = self.visible().len();
        if len == 0 {
            self.cursor = ListCursor::default();
            return;
        }
        self.cursor.selected =
            (self.cursor.selected as isize + delta).clamp(0, len as isize - 1) as usize;
        self.fit(height);
    }

    /// Keeps the selected item (and its section heading when possible) within `height` rows;
    /// the cursor's offset counts rows, headings included.
    pub fn fit(&mut self, height: usize) {
        let height = height.max(1);
        let rows = self.rows();
        let len = self.visible().len();
        if len == 0 {
            self.cursor = ListCursor::default();
            return;
        }
        self.cursor.selected = self.cursor.selected.min(len - 1);
        let row = rows
            .iter()
            .position(|r| *r == MatchRow::Item(self.cursor.selected))
            .unwrap_or(0);
        let top = if row > 0 && matches!(rows[row - 1], MatchRow::Heading(_)) {
            row - 1
        } else {
            row
        };
        if top < self.cursor.offset {
            self.cursor.offset = top;
        } else if row >= self.cursor.offset + height {
            self.cursor.offset = row + 1 - height;
        }
        self.cursor.offset = self.cursor.offset.min(rows.len().saturating_sub(height));
    }
}

/// A row of the match list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchRow {
    /// The heading of a section (index into [`SECTIONS`]).
    Heading(usize),
    /// A visible item (index into [`MatchesState::visible`]).
    Item(usize),
}

/// Which field of the export dialog has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportField {
    Format,
    Name,
    /// The question whether blocked datasets go into the export (only when the list has any).
    Blocked,
}

/// The export dialog.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportDialog {
    pub format: ExportFormat,
    pub name: TextInput,
    /// The default name without extension; the extension follows the format until the name
    /// is edited.
    pub stem: String,
    pub name_edited: bool,
    pub dir: PathBuf,
    pub field: ExportField,
    pub reports: Vec<MatchReport>,
    pub rows: usize,
    /// Datasets in the list that the consent rules block or leave for review.
    pub blocked_rows: usize,
    /// The answer to "include them?": no until the coordinator says yes.
    pub include_blocked: bool,
    /// Set when the file exists: the next Enter overwrites.
    pub confirm_overwrite: bool,
}

/// The export formats, in the order Tab cycles them.
pub const FORMATS: [ExportFormat; 4] = [
    ExportFormat::Csv,
    ExportFormat::Markdown,
    ExportFormat::Json,
    ExportFormat::Xlsx,
];

impl ExportDialog {
    /// The rows the export will write, after leaving out blocked datasets unless included.
    pub fn rows_written(&self) -> usize {
        if self.include_blocked {
            self.rows
        } else {
            self.rows - self.blocked_rows.min(self.rows)
        }
    }

    /// The fields Tab moves through, in order.
    pub fn fields(&self) -> &'static [ExportField] {
        if self.blocked_rows > 0 {
            &[ExportField::Name, ExportField::Format, ExportField::Blocked]
        } else {
            &[ExportField::Name, ExportField::Format]
        }
    }

    /// The path the export will be written to.
    pub fn path(&self) -> PathBuf {
        let name = self.name.text().trim();
        let path = PathBuf::from(name);
        if path.is_absolute() {
            path
        } else {
            self.dir.join(path)
        }
    }
}

/// The ad-hoc need form.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AdHocForm {
    pub text: TextInput,
    pub diseases: TextInput,
    pub modalities: TextInput,
    pub min_cases: TextInput,
    /// Who asks: an organisation or researcher, typed by name or id.
    pub requester: TextInput,
    /// Organisations and researchers whose name or id fits what is typed, as (id, name).
    pub suggestions: Vec<(String, String)>,
    /// The highlighted suggestion.
    pub suggestion: usize,
    /// Commercial use as stated: not stated (`None`), commercial, non-commercial.
    pub commercial: Option<bool>,
    /// See [`ADHOC_FIELD_NAMES`].
    pub field: usize,
    pub error: Option<&'static str>,
}

/// The fields of the ad-hoc form, in Tab order.
pub const ADHOC_FIELD_NAMES: [&str; 6] = [
    "text",
    "diseases",
    "modalities",
    "min_cases",
    "requester",
    "commercial",
];

/// Number of fields of the ad-hoc form.
pub const ADHOC_FIELDS: usize = ADHOC_FIELD_NAMES.len();
/// The requester field.
pub const ADHOC_REQUESTER: usize = 4;
/// The commercial choice.
pub const ADHOC_COMMERCIAL: usize = 5;

/// Suggestions shown under the requester field.
const MAX_SUGGESTIONS: usize = 4;

impl AdHocForm {
    fn input(&mut self) -> Option<&mut TextInput> {
        match self.field {
            0 => Some(&mut self.text),
            1 => Some(&mut self.diseases),
            2 => Some(&mut self.modalities),
            3 => Some(&mut self.min_cases),
            ADHOC_REQUESTER => Some(&mut self.requester),
            _ => None,
        }
    }

    /// The next commercial choice: not stated → commercial → non-commercial → not stated.
    fn cycle_commercial(&mut self, back: bool) {
        const ORDER: [Option<bool>; 3] = [None, Some(true), Some(false)];
        let i = ORDER
            .iter()
            .position(|c| *c == self.commercial)
            .unwrap_or(0);
        self.commercial = ORDER[if back { (i + 2) % 3 } else { (i + 1) % 3 }];
    }

    /// Recomputes the requester suggestions from the catalog.
    fn suggest(&mut self, data: Option<&Data>) {
        self.suggestions = match data {
            Some(data) => requester_suggestions(data, self.requester.text(), MAX_SUGGESTIONS),
            None => Vec::new(),
        };
        self.suggestion = 0;
    }
}

/// Organisations and researchers whose id or name holds `typed` (case-insensitive): an exact
/// id first, then ids starting with it, then names and ids holding it.
pub fn requester_suggestions(data: &Data, typed: &str, limit: usize) -> Vec<(String, String)> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Vec::new();
    }
    let wanted = typed.to_lowercase();
    let parties = data
        .catalog
        .organizations
        .iter()
        .map(|o| (&o.id, &o.name, o.name_en.as_deref()))
        .chain(
            data.catalog
                .researchers
                .iter()
                .map(|r| (&r.id, &r.name, r.name_en.as_deref())),
        );
    let mut scored: Vec<(u8, String, String)> = parties
        .filter_map(|(id, name, en)| {
            let lid = id.to_lowercase();
            let rank = if lid == wanted {
                0
            } else if lid.starts_with(&wanted) {
                1
            } else if name.to_lowercase().contains(&wanted)
                || en.is_some_and(|e| e.to_lowercase().contains(&wanted))
            {
                2
            } else if lid.contains(&wanted) {
                3
            } else {
                return None;
            };
            Some((rank, id.clone(), name.clone()))
        })
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(limit)
        .map(|(_, id, name)| (id, name))
        .collect()
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

/// The whole state of the app.
#[derive(Debug, Clone)]
pub struct App {
    pub load: LoadState,
    pub data: Option<Arc<Data>>,
    pub size: Rect,
    pub screen: Screen,
    pub focus: Focus,
    pub overlay: Option<Overlay>,
    pub help: bool,
    pub help_scroll: usize,
    pub kind: Kind,
    pub query: TextInput,
    pub outcome: SearchOutcome,
    /// Results per kind after the filters, in `Kind::ALL` order.
    pub lists: [Vec<Found>; 5],
    pub cursors: [ListCursor; 5],
    /// Marked records on the search screen, by id.
    pub marks: BTreeSet<String>,
    pub active_filters: BTreeSet<(Facet, String)>,
    pub filter_rows: Vec<FilterRow>,
    pub filter_cursor: ListCursor,
    pub detail: DetailState,
    pub matches: Option<MatchesState>,
    pub message: Option<Message>,
    pub export_dir: PathBuf,
    /// Where saved searches are kept (`None`: no config directory).
    pub saved_searches_file: Option<PathBuf>,
    pub today: Date,
    /// The language of match reasons and exports (the `lang` setting).
    pub lang: Lang,
    pub pending: Vec<Request>,
    pub quit: bool,
}

fn kind_index(kind: Kind) -> usize {
    Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

impl App {
    /// A new app, opening its data; `size` is the terminal's.
    pub fn new(size: Rect, export_dir: PathBuf, today: Date) -> App {
        App {
            load: LoadState::Loading {
                step: Progress::Checking,
                frame: 0,
            },
            data: None,
            size,
            screen: Screen::Search,
            focus: Focus::SearchBox,
            overlay: None,
            help: false,
            help_scroll: 0,
            kind: Kind::Dataset,
            query: TextInput::default(),
            outcome: SearchOutcome::default(),
            lists: Default::default(),
            cursors: [ListCursor::default(); 5],
            marks: BTreeSet::new(),
            active_filters: BTreeSet::new(),
            filter_rows: Vec::new(),
            filter_cursor: ListCursor::default(),
            detail: DetailState::default(),
            matches: None,
            message: None,
            export_dir,
            saved_searches_file: None,
            today,
            lang: Lang::default(),
            pending: Vec::new(),
            quit: false,
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
            (Screen::Matches, Focus::Detail) => Context::Detail,
            (Screen::Matches, _) => Context::Matches,
            (Screen::Search, Focus::List) => Context::List,
            (Screen::Search, Focus::SearchBox) => Context::SearchBox,
            (Screen::Search, Focus::Detail) => Context::Detail,
            (Screen::Search, Focus::Filters) => Context::Filters,
        }
    }

    /// The results of the current kind.
    pub fn list(&self) -> &[Found] {
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

    /// The record the detail pane shows.
    pub fn detail_record(&self) -> Option<&Record> {
        let data = self.data.as_ref()?;
        if let Some(id) = self.detail.stack.last() {
            return data.record(id);
        }
        match self.screen {
            Screen::Search => self.selected().and_then(|f| data.record(&f.id)),
            Screen::Matches => None,
        }
    }

    fn list_height(&self) -> usize {
        match self.screen {
            Screen::Search => layout::inner(layout::search(self.size).list).height as usize,
            Screen::Matches => layout::inner(layout::matches(self.size).list).height as usize,
        }
    }

    fn side_height(&self) -> usize {
        layout::inner(layout::search(self.size).side).height as usize
    }

    pub(crate) fn say(&mut self, text: impl Into<String>, error: bool) {
        self.message = Some(Message {
            text: text.into(),
            error,
        });
    }

    /// Applies the filters to the latest search outcome and recounts the filter panel.
    pub fn refresh_lists(&mut self) {
        let Some(data) = self.data.clone() else {
            return;
        };
        let mut lists: [Vec<Found>; 5] = Default::default();
        for found in &self.outcome.found {
            if passes(data.facets_of(&found.id), &self.active_filters, None) {
                lists[kind_index(found.kind)].push(found.clone());
            }
        }
        self.lists = lists;
        let height = self.list_height();
        for (i, cursor) in self.cursors.iter_mut().enumerate() {
            cursor.fit(self.lists[i].len(), height);
        }
        self.filter_rows = filter_rows(&data, &self.outcome.found, &self.active_filters);
        let side = self.side_height();
        self.filter_cursor.fit(self.filter_rows.len(), side);
    }

    pub(crate) fn request_search(&mut self) {
        self.pending.retain(|r| !matches!(r, Request::Search(_)));
        self.pending
            .push(Request::Search(self.query.text().to_string()));
        self.detail = DetailState::default();
    }

    fn move_list(&mut self, delta: isize) {
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

    fn links_len(&self) -> usize {
        match (&self.data, self.detail_record()) {
            (Some(data), Some(record)) => data.links(record).len(),
            _ => 0,
        }
    }

    fn switch_kind(&mut self, forward: bool) {
        let i = kind_index(self.kind);
        let next = if forward { (i + 1) % 5 } else { (i + 4) % 5 };
        self.kind = Kind::ALL[next];
        self.detail = DetailState::default();
    }

    pub(crate) fn open_matches(&mut self, target: MatchTarget, label: String) {
        self.matches = Some(MatchesState {
            target: target.clone(),
            label,
            report: None,
            error: None,
            show_blocked: false,
            cursor: ListCursor::default(),
            marks: BTreeSet::new(),
            confirm_mark: None,
            cycle: MatchCycle::default(),
        });
        self.screen = Screen::Matches;
        self.focus = Focus::List;
        self.detail = DetailState::default();
        self.pending.push(Request::Match(target));
        cycle_update::request_news(self);
    }

    fn match_record(&mut self, record: Option<Record>) {
        let Some(record) = record else {
            self.say(strings::NO_SELECTION, true);
            return;
        };
        if record.kind() == Kind::Dataset {
            self.say(strings::NO_MATCH_SUBJECT, true);
            return;
        }
        let label = format!("{} ({})", record.title(), record.id());
        self.open_matches(
            MatchTarget::Record {
                id: record.id().to_string(),
                kind: record.kind(),
            },
            label,
        );
    }

    /// The reports the export dialog would write now: marked matches, else the whole visible
    /// match list; on the search screen, marked records, else the current kind's results.
    pub fn export_reports(&self) -> Vec<MatchReport> {
        match self.screen {
            Screen::Matches => {
                let Some(m) = &self.matches else {
                    return Vec::new();
                };
                let Some(report) = &m.report else {
                    return Vec::new();
                };
                let keep = |s: usize, items: &[MatchItem]| -> Vec<MatchItem> {
                    items
                        .iter()
                        .filter(|i| m.show_blocked || !i.is_blocked())
                        .filter(|i| m.cycle.keeps(i))
                        .filter(|i| m.marks.is_empty() || m.marks.contains(&(s, i.id.clone())))
                        .cloned()
                        .collect()
                };
                let out = MatchReport {
                    subject: report.subject.clone(),
                    datasets: keep(0, &report.datasets),
                    partners: keep(1, &report.partners),
                    proposals: keep(2, &report.proposals),
                };
                if out.is_empty() {
                    Vec::new()
                } else {
                    vec![out]
                }
            }
            Screen::Search => {
                let Some(data) = &self.data else {
                    return Vec::new();
                };
                let ids: Vec<String> = if self.marks.is_empty() {
                    self.list().iter().map(|f| f.id.clone()).collect()
                } else {
                    self.marks.iter().cloned().collect()
                };
                let scores: Vec<(String, f32)> = self
                    .outcome
                    .found
                    .iter()
                    .map(|f| (f.id.clone(), f.score))
                    .collect();
                let report = search_report(data, self.query.text(), &ids, &scores);
                if report.is_empty() {
                    Vec::new()
                } else {
                    vec![report]
                }
            }
        }
    }

    fn open_export(&mut self) {
        let reports = self.export_reports();
        if reports.is_empty() {
            self.say(strings::EXPORT_NOTHING, true);
            return;
        }
        let stem = match (self.screen, reports.first()) {
            (Screen::Matches, Some(r)) => format!(
                "musubi-matches-{}-{}",
                safe_name(r.subject.id.as_deref().unwrap_or("adhoc")),
                self.today
            ),
            _ => format!("musubi-search-{}", self.today),
        };
        let format = ExportFormat::Csv;
        let rows = reports.iter().map(MatchReport::len).sum();
        let blocked_rows = reports
            .iter()
            .flat_map(|r| &r.datasets)
            .filter(|i| i.is_blocked())
            .count();
        self.overlay = Some(Overlay::Export(ExportDialog {
            format,
            name: TextInput::new(&format!("{stem}.{}", format.extension())),
            stem,
            name_edited: false,
            dir: self.export_dir.clone(),
            field: ExportField::Name,
            reports,
            rows,
            blocked_rows,
            include_blocked: false,
            confirm_overwrite: false,
        }));
    }

    fn on_resize(&mut self, width: u16, height: u16) {
        self.size = Rect::new(0, 0, width, height);
        let h = self.list_height();
        for (i, c) in self.cursors.iter_mut().enumerate() {
            c.fit(self.lists[i].len(), h);
        }
        if let Some(m) = &mut self.matches {
            m.fit(h);
        }
        let side = self.side_height();
        self.filter_cursor.fit(self.filter_rows.len(), side);
    }
}

/// The filter panel's rows: each facet with the values found among the results (counted with
/// the other facets' filters applied), plus any active value.
pub fn filter_rows(
    data: &Data,
    found: &[Found],
    active: &BTreeSet<(Facet, String)>,
) -> Vec<FilterRow> {
    let counts = facets::count(found.iter().map(|f| data.facets_of(&f.id)), active);
    let mut rows = Vec::new();
    for facets::FacetCount { facet, values } in counts {
        rows.push(FilterRow {
            facet,
            value: None,
            count: 0,
        });
        rows.extend(values.into_iter().map(|(value, count)| FilterRow {
            facet,
            value: Some(value),
            count,
        }));
    }
    rows
}

/// A report of search results for export: datasets under datasets, researchers and
/// organisations under partners, proposals and needs under proposals; scores relative to the
/// best hit (1 when listing without a query).
pub fn search_report(
    data: &Data,
    query: &str,
    ids: &[String],
    scores: &[(String, f32)],
) -> MatchReport {
    let best = scores.iter().map(|(_, s)| *s).fold(0.0f32, f32::max);
    let mut report = MatchReport {
        subject: MatchSubject::new(
            None,
            SubjectKind::AdHoc,
            strings::search_export_title(query),
            false,
        ),
        datasets: Vec::new(),
        partners: Vec::new(),
        proposals: Vec::new(),
    };
    for id in ids {
        let Some(record) = data.record(id) else {
            continue;
        };
        let score = scores
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, s)| if best > 0.0 { (*s / best) as f64 } else { 1.0 })
            .unwrap_or(1.0);
        let item = MatchItem {
            title_en: record.title_en().map(String::from),
            ..MatchItem::new(
                id.clone(),
                record.kind(),
                record.title(),
                (score * 1000.0).round() / 1000.0,
                Vec::new(),
            )
        };
        match record.kind() {
            Kind::Dataset => report.datasets.push(item),
            Kind::Researcher | Kind::Organization => report.partners.push(item),
            Kind::Proposal | Kind::Need => report.proposals.push(item),
        }
    }
    report
}

/// A string safe in a file name (letters, digits, `-`, `_`).
fn safe_name(text: &str) -> String {
    let s: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if s.is_empty() {
        "export".into()
    } else {
        s
    }
}

fn split_list(text: &str) -> Vec<String> {
    text.split([',', '、', ';', '，'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Applies one action.
pub fn update(app: &mut App, action: Action) {
    match action {
        Action::Tick => {
            if let LoadState::Loading { frame, .. } = &mut app.load {
                *frame = frame.wrapping_add(1);
            }
            return;
        }
        Action::Progress(step) => {
            if let LoadState::Loading { step: s, .. } = &mut app.load {
                *s = step;
            }
            return;
        }
        Action::Loaded(data) => {
            app.load = LoadState::Ready;
            app.data = Some(data);
            app.request_search();
            return;
        }
        Action::LoadFailed(error) => {
            app.load = LoadState::Failed(error);
            return;
        }
        Action::SearchDone(outcome) => {
            // A newer query is on its way: this one is stale.
            if outcome.query == app.query.text() {
                app.outcome = outcome;
                app.refresh_lists();
            }
            return;
        }
        Action::MatchDone(result) => {
            if let Some(m) = &mut app.matches {
                match result {
                    Ok(report) => {
                        m.report = Some(report);
                        m.error = None;
                    }
                    Err(e) => m.error = Some(e),
                }
                m.cursor = ListCursor::default();
            }
            return;
        }
        Action::ExportDone(outcome) => {
            match outcome {
                ExportOutcome::Written(summary) => {
                    app.overlay = None;
                    let mut text =
                        strings::exported(summary.rows, &summary.path, summary.withheld_contacts);
                    if summary.left_out > 0 {
                        text.push_str(&strings::left_out_blocked(
                            summary.left_out,
                            summary.left_out_for_review,
                        ));
                    }
                    app.say(text, summary.left_out > 0);
                }
                ExportOutcome::Exists(_) => {
                    if let Some(Overlay::Export(d)) = &mut app.overlay {
                        d.confirm_overwrite = true;
                    }
                }
                ExportOutcome::Failed(e) => app.say(e, true),
            }
            return;
        }
        Action::Logged(result) => {
            match result {
                Ok((report, n)) => {
                    if let Some(m) = &mut app.matches {
                        m.report = Some(report);
                    }
                    app.say(strings::logged_contacted(n), false);
                    cycle_update::after_logged(app);
                }
                Err(e) => app.say(e, true),
            }
            return;
        }
        Action::Resize { width, height } => {
            app.on_resize(width, height);
            return;
        }
        Action::Cycle(outcome) => {
            cycle_update::apply(app, outcome);
            return;
        }
        _ => {}
    }
    app.message = None;
    if matches!(action, Action::Quit) {
        app.quit = true;
        return;
    }
    if app.help {
        update_help(app, action);
        return;
    }
    match app.overlay.take() {
        Some(Overlay::Export(dialog)) => return update_export(app, dialog, action),
        Some(Overlay::AdHoc(form)) => return update_adhoc(app, form, action),
        Some(Overlay::Gaps(state)) => return gaps_screen::update(app, state, action),
        Some(Overlay::SavedSearches(state)) => return saved_searches::update(app, state, action),
        None => {}
    }
    if app.load != LoadState::Ready {
        return;
    }
    match action {
        Action::ToggleHelp => {
            app.help = true;
            app.help_scroll = 0;
        }
        Action::Click { column, row } => click(app, column, row),
        Action::Scroll { column, row, down } => scroll(app, column, row, down),
        Action::Paste(text) => {
            if app.screen == Screen::Search {
                app.focus = Focus::SearchBox;
                app.query.insert_str(&text);
                app.request_search();
            }
        }
        Action::Gaps | Action::SaveSearch | Action::SavedSearches
            if app.screen == Screen::Search =>
        {
            cycle_update::on_search_key(app, action)
        }
        Action::OutreachFilter | Action::NewOnly if app.screen == Screen::Matches => {
            cycle_update::on_matches_key(app, action)
        }
        action => match app.screen {
            Screen::Search => update_search(app, action),
            Screen::Matches => update_matches(app, action),
        },
    }
}

fn update_help(app: &mut App, action: Action) {
    match action {
        Action::Back | Action::ToggleHelp | Action::Enter => app.help = false,
        Action::Down | Action::PageDown => {
            app.help_scroll += if matches!(action, Action::Down) {
                1
            } else {
                10
            }
        }
        Action::Up => app.help_scroll = app.help_scroll.saturating_sub(1),
        Action::PageUp => app.help_scroll = app.help_scroll.saturating_sub(10),
        Action::Top => app.help_scroll = 0,
        _ => {}
    }
}

fn update_search(app: &mut App, action: Action) {
    match app.focus {
        Focus::SearchBox => match action {
            Action::Insert(c) => {
                app.query.insert(c);
                app.request_search();
            }
            Action::Edit(edit) if app.query.edit(edit) => app.request_search(),
            Action::Enter | Action::Down | Action::Back => app.focus = Focus::List,
            Action::NextKind => app.switch_kind(true),
            Action::PrevKind => app.switch_kind(false),
            _ => {}
        },
        Focus::List => match action {
            Action::FocusSearch => app.focus = Focus::SearchBox,
            Action::Back if !app.query.text().is_empty() => {
                app.query.edit(Edit::Clear);
                app.request_search();
            }
            Action::NextKind => app.switch_kind(true),
            Action::PrevKind => app.switch_kind(false),
            Action::Up => app.move_list(-1),
            Action::Down => app.move_list(1),
            Action::PageUp => app.move_list(-(app.list_height().max(1) as isize)),
            Action::PageDown => app.move_list(app.list_height().max(1) as isize),
            Action::Top => app.move_list(isize::MIN / 2),
            Action::Bottom => app.move_list(isize::MAX / 2),
            Action::Enter if app.selected().is_some() => {
                app.focus = Focus::Detail;
                app.detail = DetailState::default();
            }
            Action::ToggleMark => {
                if let Some(id) = app.selected().map(|f| f.id.clone()) {
                    if !app.marks.remove(&id) {
                        app.marks.insert(id);
                    }
                    app.move_list(1);
                }
            }
            Action::Matches => {
                let record = app.detail_record().cloned();
                app.match_record(record);
            }
            Action::ToggleFilters => app.focus = Focus::Filters,
            Action::Export => app.open_export(),
            Action::AdHoc => app.overlay = Some(Overlay::AdHoc(AdHocForm::default())),
            _ => {}
        },
        Focus::Detail => update_detail(app, action),
        Focus::Filters => match action {
            Action::FocusSearch => app.focus = Focus::SearchBox,
            Action::Back | Action::ToggleFilters => app.focus = Focus::List,
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => {
                let h = app.side_height().max(1) as isize;
                let delta = match action {
                    Action::Up => -1,
                    Action::Down => 1,
                    Action::PageUp => -h,
                    Action::PageDown => h,
                    Action::Top => isize::MIN / 2,
                    _ => isize::MAX / 2,
                };
                let len = app.filter_rows.len();
                app.filter_cursor.step(delta, len, h as usize);
            }
            Action::ToggleMark | Action::Enter => {
                if let Some(FilterRow {
                    facet,
                    value: Some(value),
                    ..
                }) = app.filter_rows.get(app.filter_cursor.selected).cloned()
                {
                    let key = (facet, value);
                    if !app.active_filters.remove(&key) {
                        app.active_filters.insert(key);
                    }
                    app.refresh_lists();
                }
            }
            Action::ClearFilters => {
                app.active_filters.clear();
                app.refresh_lists();
            }
            _ => {}
        },
    }
}

fn update_detail(app: &mut App, action: Action) {
    match action {
        Action::FocusSearch if app.screen == Screen::Search => app.focus = Focus::SearchBox,
        Action::Back => {
            if app.detail.stack.pop().is_some() {
                app.detail.link = 0;
                app.detail.scroll = 0;
                if app.screen == Screen::Matches && app.detail.stack.is_empty() {
                    app.focus = Focus::List;
                }
            } else {
                app.focus = Focus::List;
            }
        }
        Action::Up => app.detail.link = app.detail.link.saturating_sub(1),
        Action::Down => {
            let n = app.links_len();
            if n > 0 {
                app.detail.link = (app.detail.link + 1).min(n - 1);
            }
        }
        Action::PageDown => app.detail.scroll = app.detail.scroll.saturating_add(5),
        Action::PageUp => app.detail.scroll = app.detail.scroll.saturating_sub(5),
        Action::Top => app.detail.scroll = 0,
        Action::Enter => {
            let target = match (&app.data, app.detail_record()) {
                (Some(data), Some(record)) => data
                    .links(record)
                    .get(app.detail.link)
                    .map(|l| l.id.clone()),
                _ => None,
            };
            if let Some(id) = target {
                app.detail.stack.push(id);
                app.detail.link = 0;
                app.detail.scroll = 0;
            }
        }
        Action::Matches => {
            let record = app.detail_record().cloned();
            app.match_record(record);
        }
        Action::NextKind if app.screen == Screen::Search => app.switch_kind(true),
        Action::PrevKind if app.screen == Screen::Search => app.switch_kind(false),
        Action::ToggleFilters if app.screen == Screen::Search => app.focus = Focus::Filters,
        Action::ToggleMark if app.screen == Screen::Search => {
            if let Some(id) = app.detail_record().map(|r| r.id().to_string()) {
                if !app.marks.remove(&id) {
                    app.marks.insert(id);
                }
            }
        }
        Action::Export => app.open_export(),
        _ => {}
    }
}

fn update_matches(app: &mut App, action: Action) {
    if app.focus == Focus::Detail {
        return update_detail(app, action);
    }
    let height = app.list_height().max(1) as isize;
    match action {
        Action::Back => {
            app.screen = Screen::Search;
            app.focus = Focus::List;
            app.detail = DetailState::default();
            cycle_update::back_from_matches(app);
        }
        Action::Up => app.move_list(-1),
        Action::Down => app.move_list(1),
        Action::PageUp => app.move_list(-height),
        Action::PageDown => app.move_list(height),
        Action::Top => app.move_list(isize::MIN / 2),
        Action::Bottom => app.move_list(isize::MAX / 2),
        Action::NextField | Action::PrevField => {
            let h = app.list_height();
            if let Some(m) = &mut app.matches {
                let visible: Vec<usize> = m.visible().iter().map(|(s, _)| *s).collect();
                let current = visible.get(m.cursor.selected).copied().unwrap_or(0);
                let target = if matches!(action, Action::NextField) {
                    visible.iter().position(|s| *s > current)
                } else {
                    let start = visible.iter().position(|s| *s == current).unwrap_or(0);
                    visible[..start]
                        .last()
                        .and_then(|prev| visible.iter().position(|s| s == prev))
                };
                if let Some(t) = target {
                    m.cursor.selected = t;
                    m.fit(h);
                }
            }
        }
        Action::ToggleBlocked => {
            let h = app.list_height();
            if let Some(m) = &mut app.matches {
                let keep = m.selected().map(|(s, i)| (s, i.id.clone()));
                m.show_blocked = !m.show_blocked;
                let visible: Vec<(usize, String)> = m
                    .visible()
                    .iter()
                    .map(|(s, i)| (*s, i.id.clone()))
                    .collect();
                m.cursor.selected = keep
                    .and_then(|k| visible.iter().position(|v| *v == k))
                    .unwrap_or(0);
                if !m.show_blocked {
                    m.marks.retain(|k| visible.contains(k));
                }
                m.fit(h);
            }
        }
        Action::ToggleMark => {
            let mut question = None;
            if let Some(m) = &mut app.matches {
                let selected = m.selected().map(|(s, item)| {
                    (
                        (s, item.id.clone()),
                        item.is_blocked(),
                        item.blocked.clone(),
                    )
                });
                if let Some((key, blocked, why)) = selected {
                    let asked = m.confirm_mark.take();
                    if m.marks.remove(&key) {
                        // Unmarked.
                    } else if blocked && asked.as_ref() != Some(&key) {
                        // A blocked dataset: say so, and mark only when asked again.
                        question = Some(strings::mark_blocked_question(
                            &key.1,
                            why.as_deref().unwrap_or_default(),
                        ));
                        m.confirm_mark = Some(key);
                    } else {
                        m.marks.insert(key);
                    }
                }
            }
            match question {
                Some(q) => app.say(q, true),
                None => app.move_list(1),
            }
        }
        Action::Enter => {
            if let Some(id) = app
                .matches
                .as_ref()
                .and_then(|m| m.selected())
                .map(|(_, i)| i.id.clone())
            {
                app.detail = DetailState {
                    stack: vec![id],
                    link: 0,
                    scroll: 0,
                };
                app.focus = Focus::Detail;
            }
        }
        Action::Export => app.open_export(),
        Action::LogContacted => {
            let request = app.matches.as_ref().and_then(|m| {
                let report = m.report.clone()?;
                let candidates: Vec<String> = if m.marks.is_empty() {
                    m.selected()
                        .map(|(_, i)| i.id.clone())
                        .into_iter()
                        .collect()
                } else {
                    m.marks.iter().map(|(_, id)| id.clone()).collect()
                };
                (!candidates.is_empty()).then_some(Request::LogContacted { report, candidates })
            });
            match request {
                Some(r) => app.pending.push(r),
                None => app.say(strings::NO_SELECTION, true),
            }
        }
        Action::AdHoc => {
            let mut form = AdHocForm::default();
            if let Some(MatchTarget::AdHoc(input)) = app.matches.as_ref().map(|m| &m.target) {
                form.text = TextInput::new(&input.text);
                form.diseases = TextInput::new(&input.diseases.join(", "));
                form.modalities = TextInput::new(&input.modalities.join(", "));
                form.min_cases =
                    TextInput::new(&input.min_cases.map(|n| n.to_string()).unwrap_or_default());
                form.requester = TextInput::new(input.requester.as_deref().unwrap_or_default());
                form.commercial = input.commercial;
            }
            app.overlay = Some(Overlay::AdHoc(form));
        }
        _ => {}
    }
}

fn update_export(app: &mut App, mut dialog: ExportDialog, action: Action) {
    match action {
        Action::Back => return,
        Action::NextField | Action::PrevField => {
            let fields = dialog.fields();
            let i = fields.iter().position(|f| *f == dialog.field).unwrap_or(0);
            let n = fields.len();
            let next = if matches!(action, Action::NextField) {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            dialog.field = fields[next];
        }
        Action::Insert(' ' | 'y' | 'n')
        | Action::Space
        | Action::Edit(Edit::Right | Edit::Left)
            if dialog.field == ExportField::Blocked =>
        {
            dialog.include_blocked = match action {
                Action::Insert('y') => true,
                Action::Insert('n') => false,
                _ => !dialog.include_blocked,
            };
        }
        Action::Insert(' ') | Action::Edit(Edit::Right) | Action::Edit(Edit::Left)
            if dialog.field == ExportField::Format =>
        {
            let i = FORMATS
                .iter()
                .position(|f| *f == dialog.format)
                .unwrap_or(0);
            let next = if matches!(action, Action::Edit(Edit::Left)) {
                (i + 3) % 4
            } else {
                (i + 1) % 4
            };
            dialog.format = FORMATS[next];
            if !dialog.name_edited {
                dialog.name =
                    TextInput::new(&format!("{}.{}", dialog.stem, dialog.format.extension()));
            }
            dialog.confirm_overwrite = false;
        }
        Action::Insert(c) if dialog.field == ExportField::Name => {
            dialog.name.insert(c);
            dialog.name_edited = true;
            dialog.confirm_overwrite = false;
        }
        Action::Paste(text) if dialog.field == ExportField::Name => {
            dialog.name.insert_str(&text);
            dialog.name_edited = true;
            dialog.confirm_overwrite = false;
        }
        Action::Edit(edit) if dialog.field == ExportField::Name && dialog.name.edit(edit) => {
            dialog.name_edited = true;
            dialog.confirm_overwrite = false;
        }
        Action::Enter => {
            if dialog.name.text().trim().is_empty() {
                dialog.field = ExportField::Name;
            } else {
                // A name typed with another known extension picks that format.
                let path = dialog.path();
                let format = ExportFormat::from_path(&path).unwrap_or(dialog.format);
                dialog.format = format;
                app.pending.push(Request::Export {
                    reports: dialog.reports.clone(),
                    format,
                    path,
                    overwrite: dialog.confirm_overwrite,
                    include_blocked: dialog.include_blocked,
                });
            }
        }
        _ => {}
    }
    app.overlay = Some(Overlay::Export(dialog));
}

fn update_adhoc(app: &mut App, mut form: AdHocForm, action: Action) {
    form.error = None;
    let on_requester = form.field == ADHOC_REQUESTER;
    let mut typed = false;
    match action {
        Action::Back => return,
        Action::NextField | Action::PrevField => {
            if on_requester {
                accept_suggestion(&mut form);
            }
            form.field = if matches!(action, Action::NextField) {
                (form.field + 1) % ADHOC_FIELDS
            } else {
                (form.field + ADHOC_FIELDS - 1) % ADHOC_FIELDS
            };
        }
        Action::Down if on_requester && !form.suggestions.is_empty() => {
            form.suggestion = (form.suggestion + 1) % form.suggestions.len();
        }
        Action::Up if on_requester && !form.suggestions.is_empty() => {
            let n = form.suggestions.len();
            form.suggestion = (form.suggestion + n - 1) % n;
        }
        Action::Space => match form.input() {
            Some(input) => {
                input.insert(' ');
                typed = true;
            }
            None => form.cycle_commercial(false),
        },
        Action::Insert(c) => {
            if let Some(input) = form.input() {
                input.insert(c);
                typed = true;
            } else {
                match c {
                    'y' | 'c' => form.commercial = Some(true),
                    'n' => form.commercial = Some(false),
                    '-' | '?' => form.commercial = None,
                    _ => {}
                }
            }
        }
        Action::Edit(edit) => {
            if let Some(input) = form.input() {
                typed = input.edit(edit);
            } else if matches!(edit, Edit::Left | Edit::Right) {
                form.cycle_commercial(edit == Edit::Left);
            }
        }
        Action::Paste(text) => {
            if let Some(input) = form.input() {
                input.insert_str(&text);
                typed = true;
            }
        }
        Action::Enter => {
            if on_requester {
                accept_suggestion(&mut form);
            }
            if let Some(input) = submit_adhoc(app, &mut form) {
                let label = if input.text.is_empty() {
                    input.diseases.join(", ")
                } else {
                    input.text.clone()
                };
                app.open_matches(MatchTarget::AdHoc(input), label);
                return;
            }
        }
        _ => {}
    }
    if typed && form.field == ADHOC_REQUESTER {
        form.suggest(app.data.as_deref());
    }
    app.overlay = Some(Overlay::AdHoc(form));
}

/// Puts the highlighted suggestion's id in the requester field, unless what is typed is an id
/// already.
fn accept_suggestion(form: &mut AdHocForm) {
    let typed = form.requester.text().trim().to_string();
    if typed.is_empty() || form.suggestions.iter().any(|(id, _)| *id == typed) {
        form.suggestions.clear();
        return;
    }
    if let Some((id, _)) = form.suggestions.get(form.suggestion) {
        form.requester = TextInput::new(id);
    }
    form.suggestions.clear();
}

/// The ad-hoc need the form describes, or `None` with the form's error set.
fn submit_adhoc(app: &App, form: &mut AdHocForm) -> Option<AdHocNeed> {
    let text = form.text.text().trim().to_string();
    let diseases = split_list(form.diseases.text());
    if text.is_empty() && diseases.is_empty() {
        form.error = Some(strings::ADHOC_NEEDS_TEXT);
        form.field = 0;
        return None;
    }
    let cases = form.min_cases.text().trim();
    let Ok(min_cases) = (if cases.is_empty() {
        Ok(None)
    } else {
        cases.parse::<u64>().map(Some)
    }) else {
        form.error = Some(strings::ADHOC_BAD_CASES);
        form.field = 3;
        return None;
    };
    let typed = form.requester.text().trim().to_string();
    let requester = if typed.is_empty() {
        None
    } else {
        let known = app.data.as_deref().map(|d| {
            requester_suggestions(d, &typed, usize::MAX)
                .into_iter()
                .any(|(id, _)| id.eq_ignore_ascii_case(&typed))
        });
        if known == Some(false) {
            form.error = Some(strings::ADHOC_UNKNOWN_REQUESTER);
            form.field = ADHOC_REQUESTER;
            form.suggest(app.data.as_deref());
            return None;
        }
        Some(typed)
    };
    Some(AdHocNeed {
        text,
        diseases,
        modalities: split_list(form.modalities.text()),
        min_cases,
        requester,
        commercial: form.commercial,
    })
}

fn click(app: &mut App, column: u16, row: u16) {
    let counts = app.counts();
    match app.screen {
        Screen::Search => {
            let areas = layout::search(app.size);
            if layout::contains(areas.tabs, column, row) {
                if let Some(kind) = tab_bar::kind_at(&counts, column - areas.tabs.x) {
                    app.kind = kind;
                    app.detail = DetailState::default();
                }
            } else if layout::contains(areas.search, column, row) {
                app.focus = Focus::SearchBox;
            } else if layout::contains(layout::inner(areas.list), column, row) {
                let inner = layout::inner(areas.list);
                let index = app.cursor().offset + (row - inner.y) as usize;
                if index < app.list().len() {
                    let i = kind_index(app.kind);
                    if app.cursors[i].selected != index {
                        app.detail = DetailState::default();
                    }
                    app.cursors[i].selected = index;
                    app.focus = Focus::List;
                }
            } else if layout::contains(areas.side, column, row) {
                if app.focus != Focus::Filters {
                    app.focus = Focus::Detail;
                } else {
                    let inner = layout::inner(areas.side);
                    if row > inner.y {
                        // The panel's first row is its hint line.
                        let index = app.filter_cursor.offset + (row - inner.y - 1) as usize;
                        if index < app.filter_rows.len() {
                            app.filter_cursor.selected = index;
                            update_search(app, Action::ToggleMark);
                        }
                    }
                }
            }
        }
        Screen::Matches => {
            let areas = layout::matches(app.size);
            let inner = layout::inner(areas.list);
            if layout::contains(inner, column, row) {
                if let Some(m) = &mut app.matches {
                    let rows = m.rows();
                    let index = m.cursor.offset + (row - inner.y) as usize;
                    if let Some(MatchRow::Item(target)) = rows.get(index) {
                        m.cursor.selected = *target;
                    }
                }
            }
        }
    }
}

fn scroll(app: &mut App, column: u16, row: u16, down: bool) {
    let delta = if down { 3 } else { -3 };
    match app.screen {
        Screen::Search => {
            let areas = layout::search(app.size);
            if layout::contains(areas.side, column, row) {
                if app.focus == Focus::Filters {
                    let h = app.side_height();
                    let len = app.filter_rows.len();
                    app.filter_cursor.step(delta, len, h);
                } else if down {
                    app.detail.scroll = app.detail.scroll.saturating_add(3);
                } else {
                    app.detail.scroll = app.detail.scroll.saturating_sub(3);
                }
            } else {
                app.move_list(delta);
            }
        }
        Screen::Matches => app.move_list(delta),
    }
}

#[cfg(test)]
mod tests;
