//! The detail pane's update: references followed and come back from, scrolling.

use super::*;

pub(super) fn update_detail(app: &mut App, action: Action) {
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
