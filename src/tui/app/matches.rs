//! The match list of one subject: its state and its update.

use super::*;

/// Section names of a match report, in display order.
pub const SECTIONS: [&str; 3] = ["Datasets", "Partners", "Proposals"];

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

    /// The ids of the visible items among the session's marks, in display order.
    pub fn marked(&self, marks: &BTreeSet<String>) -> Vec<String> {
        self.visible()
            .iter()
            .filter(|(_, i)| marks.contains(&i.id))
            .map(|(_, i)| i.id.clone())
            .collect()
    }

    /// The selected item.
    pub fn selected(&self) -> Option<(usize, &MatchItem)> {
        self.visible().get(self.cursor.selected).copied()
    }

    /// The selected item's section and id, to select it again with [`MatchesState::reselect`]
    /// once the rows shown change.
    pub fn selection_key(&self) -> Option<(usize, String)> {
        self.selected().map(|(s, i)| (s, i.id.clone()))
    }

    /// Selects the item `kept` named if it is still shown, else the first.
    pub fn reselect(&mut self, kept: Option<(usize, String)>) {
        let position = kept.and_then(|(section, id)| {
            self.visible()
                .iter()
                .position(|(s, i)| *s == section && i.id == id)
        });
        self.cursor.selected = position.unwrap_or(0);
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

impl App {
    /// Opens the match list of `target` over the current view (Esc comes back to it).
    pub(crate) fn open_matches(&mut self, target: MatchTarget, label: String) {
        self.push_view();
        self.matches = Some(MatchesState {
            target: target.clone(),
            label,
            report: None,
            error: None,
            show_blocked: false,
            cursor: ListCursor::default(),
            confirm_mark: None,
            cycle: MatchCycle::default(),
        });
        self.screen = Screen::Matches;
        self.focus = Focus::List;
        self.detail = DetailState::default();
        self.pending.push(Request::Match(target));
        cycle_update::request_news(self);
    }

    pub(super) fn match_record(&mut self, record: Option<Record>) {
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
}

pub(super) fn update_matches(app: &mut App, action: Action) {
    if app.focus == Focus::Detail {
        return update_detail(app, action);
    }
    let height = app.list_height().max(1) as isize;
    match action {
        Action::Back => {
            let gaps = cycle_update::gaps_to_return_to(app);
            app.pop_view();
            if let Some(gaps) = gaps {
                app.overlay = Some(Overlay::Gaps(gaps));
            }
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
                let keep = m.selection_key();
                m.show_blocked = !m.show_blocked;
                m.reselect(keep);
                if !m.show_blocked {
                    // Hidden rows are not exported: their marks go.
                    let hidden: Vec<String> = m
                        .report
                        .iter()
                        .flat_map(|r| r.datasets.iter().chain(&r.partners).chain(&r.proposals))
                        .filter(|i| i.is_blocked())
                        .map(|i| i.id.clone())
                        .collect();
                    app.marks.retain(|id| !hidden.contains(id));
                }
                m.fit(h);
            }
        }
        Action::ToggleMark => {
            let mut question = None;
            let marks = &mut app.marks;
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
                    if marks.remove(&key.1) {
                        // Unmarked.
                    } else if blocked && asked.as_ref() != Some(&key) {
                        // A blocked dataset: say so, and mark only when asked again.
                        question = Some(strings::mark_blocked_question(
                            &key.1,
                            why.as_deref().unwrap_or_default(),
                        ));
                        m.confirm_mark = Some(key);
                    } else {
                        marks.insert(key.1);
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
                let marked = m.marked(&app.marks);
                let candidates: Vec<String> = if marked.is_empty() {
                    m.selected()
                        .map(|(_, i)| i.id.clone())
                        .into_iter()
                        .collect()
                } else {
                    marked
                };
                (!candidates.is_empty()).then_some(Request::LogContacted { report, candidates })
            });
            match request {
                Some(r) => app.pending.push(r),
                None => app.say(strings::NO_SELECTION, true),
            }
        }
        Action::AdHoc => app.open_adhoc(),
        _ => {}
    }
}
