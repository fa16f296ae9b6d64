//! The filter panel: its rows (facet values with counts) and its update.

use super::*;

/// One row of the filter panel: a facet heading (`value` None) or a value with its count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterRow {
    pub facet: Facet,
    pub value: Option<String>,
    pub count: usize,
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

impl App {
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
}

/// Applies an action to the filter panel.
pub(super) fn update_filters(app: &mut App, action: Action) {
    match action {
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
    }
}
