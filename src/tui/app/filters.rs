//! The filter panel: one facet at a time (←/→ switch), its values for the tab and query shown
//! with their counts (computed by `crate::facets`), narrowed by `/`, toggled with Space.

use super::*;
use crate::tui::listing::{tab_of, Rows};

/// Rows of the filter panel above its values: the facet's heading and the find line. The
/// cursor's arithmetic and the drawing both use it, so the selection is always in view.
pub const FILTER_HEADER_ROWS: u16 = 2;

/// One value of the facet shown, with the number of results it would leave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterRow {
    pub facet: Facet,
    pub value: String,
    pub count: usize,
}

/// The facets the filter panel offers on a tab.
pub fn panel_facets(kind: Kind) -> Vec<Facet> {
    Facet::ALL
        .into_iter()
        .filter(|f| f.applies_to(kind))
        .collect()
}

/// The values of `facet` among the results of `kind` (counted with the other facets' filters
/// applied), plus any active value, narrowed to those holding `find` (case-insensitive).
pub fn filter_rows(
    data: &Data,
    outcome: &SearchOutcome,
    kind: Kind,
    facet: Facet,
    active: &BTreeSet<(Facet, String)>,
    find: &str,
) -> Vec<FilterRow> {
    if !facet.applies_to(kind) {
        return Vec::new();
    }
    let Some(index) = data.facets_ready() else {
        return Vec::new();
    };
    let active = facets::active_for(kind, active);
    let tab = &outcome.tabs[tab_of(kind)];
    let find = find.trim().to_lowercase();
    index
        .count(&outcome.found, tab, facet, &active)
        .into_iter()
        .filter(|(value, _)| find.is_empty() || value.to_lowercase().contains(&find))
        .map(|(value, count)| FilterRow {
            facet,
            value,
            count,
        })
        .collect()
}

impl App {
    /// True while the opened data's facet values are still being worked out.
    pub fn facets_pending(&self) -> bool {
        !self.facets_failed
            && self
                .data
                .as_ref()
                .is_some_and(|d| d.facets_ready().is_none())
    }

    /// Applies the filters to the latest search outcome (split by tab on the worker) and
    /// recounts the filter panel. No row is copied: each tab's list shares the outcome's.
    pub fn refresh_lists(&mut self) {
        let Some(data) = self.data.clone() else {
            return;
        };
        let outcome = &self.outcome;
        self.lists = Kind::ALL.map(|kind| {
            let tab = &outcome.tabs[tab_of(kind)];
            let active = facets::active_for(kind, &self.active_filters);
            // Until the facet values are worked out, a tab with filters on shows nothing
            // rather than rows the filters might not pass (the status line says why).
            let shown = match data.facets_ready() {
                Some(index) => index.narrow(&outcome.found, tab, &index.compile(&active)),
                None if active.is_empty() => tab.clone(),
                None => Arc::from(Vec::new()),
            };
            Rows::new(outcome.found.clone(), shown)
        });
        let height = self.list_height();
        for (i, cursor) in self.cursors.iter_mut().enumerate() {
            cursor.fit(self.lists[i].len(), height);
        }
        self.refresh_filter_rows();
    }

    /// Recounts the filter panel for the tab, facet and narrowing shown.
    pub(super) fn refresh_filter_rows(&mut self) {
        let Some(data) = self.data.clone() else {
            return;
        };
        let offered = panel_facets(self.kind);
        if !offered.contains(&self.filter_facet) {
            self.filter_facet = offered.first().copied().unwrap_or(Facet::Area);
        }
        self.filter_rows = filter_rows(
            &data,
            &self.outcome,
            self.kind,
            self.filter_facet,
            &self.active_filters,
            self.filter_find.text(),
        );
        let h = self.filter_height();
        self.filter_cursor.fit(self.filter_rows.len(), h);
    }

    /// Rows for values in the filter panel.
    pub fn filter_height(&self) -> usize {
        self.side_height()
            .saturating_sub(FILTER_HEADER_ROWS as usize)
            .max(1)
    }

    fn switch_facet(&mut self, forward: bool) {
        let offered = panel_facets(self.kind);
        let n = offered.len();
        if n == 0 {
            return;
        }
        let i = offered
            .iter()
            .position(|f| *f == self.filter_facet)
            .unwrap_or(0);
        self.filter_facet = offered[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }];
        self.filter_find.edit(Edit::Clear);
        self.filter_cursor = ListCursor::default();
        self.refresh_filter_rows();
    }

    /// Toggles the selected value.
    pub(super) fn toggle_filter(&mut self) {
        if let Some(row) = self.filter_rows.get(self.filter_cursor.selected).cloned() {
            let key = (row.facet, row.value);
            if !self.active_filters.remove(&key) {
                self.active_filters.insert(key);
            }
            self.refresh_lists();
        }
    }
}

/// Applies an action to the filter panel.
pub(super) fn update_filters(app: &mut App, action: Action) {
    match action {
        Action::FocusSearch => app.focus = Focus::FilterFind,
        Action::Back | Action::ToggleFilters => app.focus = Focus::List,
        Action::NextField => app.switch_facet(true),
        Action::PrevField => app.switch_facet(false),
        Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom => {
            let h = app.filter_height() as isize;
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
        Action::ToggleMark | Action::Enter => app.toggle_filter(),
        Action::ClearFilters => {
            app.active_filters.clear();
            app.refresh_lists();
        }
        _ => {}
    }
}

/// Applies an action to the find line of the filter panel (after `/`).
pub(super) fn update_filter_find(app: &mut App, action: Action) {
    let typed = match action {
        Action::Insert(c) => {
            app.filter_find.insert(c);
            true
        }
        Action::Paste(text) => {
            app.filter_find.insert_str(&text);
            true
        }
        Action::Edit(edit) => app.filter_find.edit(edit),
        Action::Enter => {
            app.focus = Focus::Filters;
            false
        }
        Action::Back => {
            app.focus = Focus::Filters;
            app.filter_find.edit(Edit::Clear)
        }
        _ => false,
    };
    if typed {
        app.filter_cursor = ListCursor::default();
        app.refresh_filter_rows();
    }
}
