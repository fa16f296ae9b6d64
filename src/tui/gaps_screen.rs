//! The Gaps view's state and update: the needs and proposals no allowed dataset serves well
//! (the content of `musubi gaps`), grouped by disease; Enter opens a need's matches.

use super::action::Action;
use super::app::{App, MatchTarget, Overlay};
use super::layout;
use crate::gaps::{Gap, GapReport};
use crate::model::Kind;

/// A row of the Gaps view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GapRow {
    /// The heading of a disease (index into the report's diseases).
    Disease(usize),
    /// A need or proposal: (disease, gap within it, index among all gaps).
    Gap(usize, usize, usize),
}

/// The Gaps view.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GapsState {
    /// None while the report is built.
    pub report: Option<GapReport>,
    pub error: Option<String>,
    /// The selected gap, counted over all diseases.
    pub selected: usize,
}

impl GapsState {
    /// The rows drawn: each disease's heading, then its gaps.
    pub fn rows(&self) -> Vec<GapRow> {
        let mut rows = Vec::new();
        let mut n = 0;
        for (d, group) in self
            .report
            .iter()
            .flat_map(|r| r.diseases.iter().enumerate())
        {
            rows.push(GapRow::Disease(d));
            for g in 0..group.gaps.len() {
                rows.push(GapRow::Gap(d, g, n));
                n += 1;
            }
        }
        rows
    }

    /// Every gap, in display order.
    pub fn gaps(&self) -> Vec<&Gap> {
        self.report
            .iter()
            .flat_map(|r| r.diseases.iter().flat_map(|d| d.gaps.iter()))
            .collect()
    }

    /// The selected gap.
    pub fn selected_gap(&self) -> Option<&Gap> {
        self.gaps().get(self.selected).copied()
    }

    /// The row of the selected gap.
    pub fn selected_row(&self) -> usize {
        self.rows()
            .iter()
            .position(|r| matches!(r, GapRow::Gap(_, _, n) if *n == self.selected))
            .unwrap_or(0)
    }

    fn step(&mut self, delta: isize) {
        let len = self.gaps().len();
        self.selected = if len == 0 {
            0
        } else {
            (self.selected as isize)
                .saturating_add(delta)
                .clamp(0, len as isize - 1) as usize
        };
    }
}

/// Rows of gaps visible at once, for paging.
pub fn page(app: &App) -> usize {
    layout::inner(layout::full_view(app.size).list)
        .height
        .max(1) as usize
}

/// Applies a key to the Gaps view (the overlay was taken out of `app`; it goes back unless
/// the view closes).
pub fn update(app: &mut App, mut state: GapsState, action: Action) {
    let page = page(app) as isize;
    match action {
        Action::Back => return,
        Action::Up => state.step(-1),
        Action::Down => state.step(1),
        Action::PageUp => state.step(-page),
        Action::PageDown => state.step(page),
        Action::Top => state.step(isize::MIN / 2),
        Action::Bottom => state.step(isize::MAX / 2),
        Action::Enter => {
            if let Some(gap) = state.selected_gap() {
                let kind = if gap.kind == "proposal" {
                    Kind::Proposal
                } else {
                    Kind::Need
                };
                let target = MatchTarget::Record {
                    id: gap.subject.clone(),
                    kind,
                };
                let label = format!("{} {}", gap.subject, gap.title);
                app.open_matches(target, label);
                if let Some(m) = &mut app.matches {
                    m.cycle.back_to_gaps = Some(Box::new(state));
                }
                return;
            }
        }
        _ => {}
    }
    app.overlay = Some(Overlay::Gaps(state));
}
