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

/// The keys typed ahead while the records are read, as the preview's search box shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypedAhead {
    /// Keys (and pastes) kept.
    pub keys: usize,
    /// The text they spell, when they only type text: characters (shifted or not) and pastes
    /// added, Backspace taking the last one back, control characters left out. `None` when
    /// some other key was kept (a move, Enter, a shortcut): what those do shows once the
    /// records are read.
    pub text: Option<String>,
}

impl TypedAhead {
    /// What `events` (the keys kept, in order) show.
    pub fn of(events: &[Event]) -> TypedAhead {
        let mut text = Some(String::new());
        let mut keys = 0;
        for event in events {
            match event {
                Event::Key(key) if key.kind != KeyEventKind::Release => {
                    keys += 1;
                    match key.code {
                        KeyCode::Char(c)
                            if (key.modifiers - KeyModifiers::SHIFT).is_empty()
                                && !c.is_control() =>
                        {
                            if let Some(text) = &mut text {
                                text.push(c);
                            }
                        }
                        KeyCode::Backspace if key.modifiers.is_empty() => {
                            if let Some(text) = &mut text {
                                text.pop();
                            }
                        }
                        _ => text = None,
                    }
                }
                Event::Paste(pasted) => {
                    keys += 1;
                    if let Some(text) = &mut text {
                        text.extend(pasted.chars().filter(|c| !c.is_control()));
                    }
                }
                _ => {}
            }
        }
        TypedAhead { keys, text }
    }
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
        // The smallest id, so the ties fall among the rows compared.
        let twin = catalog
            .datasets
            .last()
            .map(|d| d.id.to_lowercase())
            .unwrap_or_default();
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
            if kind == Kind::Dataset {
                let ties: Vec<&str> = expected
                    .iter()
                    .map(|(id, _)| id.as_str())
                    .filter(|id| id.eq_ignore_ascii_case(&twin))
                    .collect();
                assert_eq!(ties.len(), 3, "the three equal ids are among the rows");
            }
            assert_eq!(preview.kind, kind);
        }
        let preview = Preview::of(&catalog, Kind::Researcher, 0);
        assert!(preview.rows.is_empty());
        assert_eq!(preview.counts, Kind::ALL.map(|k| catalog.count(k)));
        let all = Preview::of(&catalog, Kind::Proposal, usize::MAX);
        assert_eq!(all.rows.len(), catalog.proposals.len());
    }

    #[test]
    fn typed_ahead_text_is_what_the_keys_spell_or_none_after_other_keys() {
        use crossterm::event::KeyEvent;
        let key = |code, modifiers| Event::Key(KeyEvent::new(code, modifiers));
        let typing = [
            key(KeyCode::Char('p'), KeyModifiers::NONE),
            key(KeyCode::Char('A'), KeyModifiers::SHIFT),
            key(KeyCode::Char('x'), KeyModifiers::NONE),
            key(KeyCode::Backspace, KeyModifiers::NONE),
            Event::Paste("膵\u{1b}[2Jがん".to_string()),
            Event::FocusGained,
        ];
        let shown = TypedAhead::of(&typing);
        assert_eq!(shown.text.as_deref(), Some("pA膵[2Jがん"));
        assert_eq!(shown.keys, 5);
        for other in [
            key(KeyCode::Char('u'), KeyModifiers::CONTROL),
            key(KeyCode::Down, KeyModifiers::NONE),
            key(KeyCode::Enter, KeyModifiers::NONE),
        ] {
            let mut events = typing.to_vec();
            events.insert(1, other);
            let shown = TypedAhead::of(&events);
            assert_eq!(shown.text, None);
            assert_eq!(shown.keys, 6);
        }
        assert_eq!(
            TypedAhead::of(&[]),
            TypedAhead {
                keys: 0,
                text: Some(String::new())
            }
        );
    }
}
