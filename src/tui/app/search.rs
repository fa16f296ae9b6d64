//! The search screen's update: the search box and the result list.

use super::*;

pub(super) fn update_search(app: &mut App, action: Action) {
    match app.focus {
        Focus::SearchBox => match action {
            Action::Insert(c) => {
                app.query.insert(c);
                app.request_search();
            }
            Action::Edit(edit) if app.query.edit(edit) => app.request_search(),
            Action::Enter => {
                app.jump_to_hits();
                app.focus = Focus::List;
            }
            Action::Down | Action::Back => app.focus = Focus::List,
            Action::NextResult => app.move_list(1),
            Action::PrevResult => app.move_list(-1),
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
            Action::Enter => app.jump_to_hits(),
            Action::ToggleMark => {
                if let Some(id) = app.selected_id().map(str::to_string) {
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
            Action::AdHoc => app.open_adhoc(),
            _ => {}
        },
        Focus::Detail => update_detail(app, action),
        Focus::Filters => update_filters(app, action),
        Focus::FilterFind => update_filter_find(app, action),
    }
}

impl App {
    /// When the tab shown has no results: the tab of the best result shown on another tab,
    /// with its number of results.
    pub fn other_tab_with_hits(&self) -> Option<(Kind, usize)> {
        if !self.list().is_empty() {
            return None;
        }
        // The lists keep the search's order, best first: compare each tab's first result.
        self.lists
            .iter()
            .filter_map(|list| list.first().map(|f| (f, list.len())))
            .max_by(|(a, _), (b, _)| a.score.total_cmp(&b.score))
            .map(|(f, n)| (f.kind, n))
    }

    /// Shows the tab that has results when the one shown has none (typing `N01` on Datasets).
    pub(super) fn jump_to_hits(&mut self) {
        if let Some((kind, _)) = self.other_tab_with_hits() {
            self.set_kind(kind);
        }
    }
}
