//! Clicks and the wheel.

use super::*;

pub(super) fn click(app: &mut App, column: u16, row: u16) {
    let counts = app.counts();
    match app.screen {
        Screen::Search => {
            let areas = layout::search(app.size);
            if layout::contains(areas.tabs, column, row) {
                if let Some(kind) = tab_bar::kind_at(&counts, column - areas.tabs.x) {
                    app.set_kind(kind);
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
                if !matches!(app.focus, Focus::Filters | Focus::FilterFind) {
                    app.focus = Focus::Detail;
                } else {
                    let inner = layout::inner(areas.side);
                    // The panel's first rows are its heading and find line.
                    if row >= inner.y + FILTER_HEADER_ROWS {
                        let index = app.filter_cursor.offset
                            + (row - inner.y - FILTER_HEADER_ROWS) as usize;
                        if index < app.filter_rows.len() {
                            app.focus = Focus::Filters;
                            app.filter_cursor.selected = index;
                            app.toggle_filter();
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

pub(super) fn scroll(app: &mut App, column: u16, row: u16, down: bool) {
    let delta = if down { 3 } else { -3 };
    match app.screen {
        Screen::Search => {
            let areas = layout::search(app.size);
            if layout::contains(areas.side, column, row) {
                if matches!(app.focus, Focus::Filters | Focus::FilterFind) {
                    let h = app.filter_height();
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
