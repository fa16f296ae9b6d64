//! What the app shows while it reads every record: each tab's count and the first rows of the
//! tab it opens on, in the list's order. They come from the index's catalog snapshot read in
//! place (the ids it holds, and the few records shown), so the data is on the screen long
//! before the whole catalog is read and the lists and searches are ready.

use super::listing::natural_cmp;
use crate::model::Kind;
use crate::records::Records;
use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers};

/// Rows kept: more than any terminal shows.
pub const PREVIEW_ROWS: usize = 200;

/// The first screen's data while the records are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// Records of each kind, in `Kind::ALL` order.
    pub counts: [usize; 5],
    /// The tab shown.
    pub kind: Kind,
    /// Its first rows as the empty query lists them: (id, title).
    pub rows: Vec<(String, String)>,
}

impl Preview {
    /// The counts of `records` and the first `rows` of `kind` in the natural order of ids
    /// (equal ones in file order), as the app's list of every record has them.
    pub fn of(records: &dyn Records, kind: Kind, rows: usize) -> Preview {
        let counts = Kind::ALL.map(|k| records.count(k));
        let mut first: Vec<usize> = (0..records.count(kind)).collect();
        let order = |a: &usize, b: &usize| {
            natural_cmp(records.id(kind, *a), records.id(kind, *b)).then(a.cmp(b))
        };
        // Only the first rows are put in order: the rest is never shown from here.
        if rows > 0 && first.len() > rows {
            first.select_nth_unstable_by(rows - 1, order);
        }
        first.truncate(rows);
        first.sort_unstable_by(order);
        let rows = first
            .into_iter()
            .map(|at| {
                let title = records
                    .record(kind, at)
                    .map(|r| r.title())
                    .unwrap_or_default();
                (records.id(kind, at).to_string(), title)
            })
            .collect();
        Preview { counts, kind, rows }
    }
}

/// The text keys typed ahead spell, to show in the search box until they are acted on:
/// characters (shifted or not) and pastes added, Backspace taking the last one back; other
/// keys and control characters are left out.
pub fn typed_text(events: &[Event]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => match key.code {
                KeyCode::Char(c)
                    if (key.modifiers - KeyModifiers::SHIFT).is_empty() && !c.is_control() =>
                {
                    text.push(c)
                }
                KeyCode::Backspace => {
                    text.pop();
                }
                _ => {}
            },
            Event::Paste(pasted) => text.extend(pasted.chars().filter(|c| !c.is_control())),
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::listing;

    #[test]
    fn the_first_rows_are_those_the_full_list_starts_with() {
        let mut catalog = crate::synthetic::catalog(5_000, 3);
        // Out of order, with ids equal but for case: the list's order, ties by file order.
        catalog.datasets.reverse();
        let twin = catalog.datasets[10].id.to_lowercase();
        catalog.datasets[3].id = twin.clone();
        catalog.datasets[700].id = twin.to_uppercase();
        let records: Vec<crate::model::Record> = catalog.records().collect();
        let ids: Vec<std::sync::Arc<str>> = records.iter().map(|r| r.id().into()).collect();
        let (found, tabs) = listing::every_record(&records, &ids);
        for kind in [Kind::Dataset, Kind::Need, Kind::Organization] {
            let preview = Preview::of(&catalog, kind, 40);
            let expected: Vec<(String, String)> = tabs[listing::tab_of(kind)]
                .iter()
                .take(40)
                .map(|&i| {
                    let r = &records[found[i as usize].record as usize];
                    (r.id().to_string(), r.title())
                })
                .collect();
            assert_eq!(preview.rows, expected, "{kind:?}");
            assert_eq!(preview.kind, kind);
        }
        let preview = Preview::of(&catalog, Kind::Researcher, 0);
        assert!(preview.rows.is_empty());
        assert_eq!(preview.counts, Kind::ALL.map(|k| catalog.count(k)));
        let all = Preview::of(&catalog, Kind::Proposal, usize::MAX);
        assert_eq!(all.rows.len(), catalog.proposals.len());
    }

    #[test]
    fn typed_text_is_what_the_keys_spell() {
        use crossterm::event::KeyEvent;
        let key = |code, modifiers| Event::Key(KeyEvent::new(code, modifiers));
        let events = [
            key(KeyCode::Char('p'), KeyModifiers::NONE),
            key(KeyCode::Char('A'), KeyModifiers::SHIFT),
            key(KeyCode::Char('x'), KeyModifiers::NONE),
            key(KeyCode::Backspace, KeyModifiers::NONE),
            key(KeyCode::Char('c'), KeyModifiers::CONTROL),
            key(KeyCode::Down, KeyModifiers::NONE),
            Event::Paste("膵\u{1b}[2Jがん".to_string()),
            Event::FocusGained,
        ];
        assert_eq!(typed_text(&events), "pA膵[2Jがん");
        assert_eq!(typed_text(&[]), "");
    }
}
