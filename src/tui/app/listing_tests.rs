//! The lists and the filter panel as worked out now (split on the worker, facet values as
//! numbers, rows shared) against the way they were worked out before (each found record
//! copied, filtered through its facet strings, sorted by natural key, counted with
//! `facets::count_for_kind`), over a generated catalog: every tab, every facet, with and
//! without a query and filters.

use super::*;
use crate::facets::passes;
use crate::index::SearchIndex;
use crate::tui::finder;
use crate::tui::listing::natural_key;
use crate::workspace::builtin_vocabulary;
use std::path::PathBuf;

/// The lists as `refresh_lists` made them before.
fn lists_before(data: &Data, outcome: &SearchOutcome, active: &facets::Filters) -> [Vec<Found>; 5] {
    let mut lists: [Vec<Found>; 5] = Default::default();
    let per_kind = Kind::ALL.map(|k| facets::active_for(k, active));
    for found in outcome.found.iter() {
        let i = kind_index(found.kind);
        if passes(&data.facets_of(data.id_of(found)), &per_kind[i], None) {
            lists[i].push(*found);
        }
    }
    if outcome.query.trim().is_empty() {
        for list in &mut lists {
            list.sort_by_cached_key(|f| natural_key(data.id_of(f)));
        }
    }
    lists
}

/// The filter panel's rows as `filter_rows` made them before.
fn rows_before(
    data: &Data,
    outcome: &SearchOutcome,
    kind: Kind,
    facet: Facet,
    active: &facets::Filters,
    find: &str,
) -> Vec<FilterRow> {
    let records: Vec<Vec<(Facet, String)>> = outcome
        .found
        .iter()
        .filter(|f| f.kind == kind)
        .map(|f| data.facets_of(data.id_of(f)))
        .collect();
    let find = find.trim().to_lowercase();
    facets::count_for_kind(kind, records.iter().map(Vec::as_slice), active)
        .into_iter()
        .filter(|c| c.facet == facet)
        .flat_map(|c| c.values)
        .filter(|(value, _)| find.is_empty() || value.to_lowercase().contains(&find))
        .map(|(value, count)| FilterRow {
            facet,
            value,
            count,
        })
        .collect()
}

/// Filter sets to try: none, one value, two of one facet, two facets, a facet the kinds do
/// not all have, and a value no record has.
fn filter_sets(data: &Data) -> Vec<facets::Filters> {
    let values = data.facet_values();
    let value = |facet: Facet, i: usize| -> (Facet, String) {
        let v = values.get(&facet).and_then(|v| v.get(i)).cloned();
        (facet, v.unwrap_or_default())
    };
    vec![
        BTreeSet::new(),
        [value(Facet::Area, 0)].into(),
        [value(Facet::Area, 0), value(Facet::Area, 1)].into(),
        [value(Facet::Area, 1), value(Facet::Modality, 0)].into(),
        [value(Facet::DataUse, 0), value(Facet::DiseaseGroup, 2)].into(),
        [
            value(Facet::Forum, 0),
            (Facet::Status, "no such status".into()),
        ]
        .into(),
    ]
}

#[test]
fn lists_and_facet_counts_are_what_they_were() {
    let catalog = crate::synthetic::catalog(3_000, 7);
    let data = Arc::new(Data::new(catalog, builtin_vocabulary(), "test".into(), 0));
    let index =
        SearchIndex::build_in_ram(&data.catalog, data.vocabulary.as_ref()).expect("index built");
    let mut app = App::new(
        Rect::new(0, 0, 120, 40),
        PathBuf::from("/tmp"),
        Date::today(),
    );
    app.data = Some(data.clone());
    app.load = LoadState::Ready;
    let queries = [
        "", " ", "p", "pa", "pan", "panc", "pancrea", "膵", "膵が", "R0", "R00", "DS0001", "xyzq",
    ];
    let mut compared = 0;
    // Cases where the filters left some rows but not all: the filtering was tried.
    let mut narrowed = 0;
    for query in queries {
        let outcome = finder::find(&data, &index, query);
        for active in filter_sets(&data) {
            app.outcome = outcome.clone();
            app.active_filters = active.clone();
            app.refresh_lists();
            let before = lists_before(&data, &outcome, &active);
            for (now, before) in app.lists.iter().zip(&before) {
                assert_eq!(now.len(), before.len(), "{query:?} {active:?}");
                assert!(now.iter().eq(before.iter()), "{query:?} {active:?}");
                compared += before.len();
            }
            let shown: usize = before.iter().map(Vec::len).sum();
            if shown > 0 && shown < outcome.found.len() {
                narrowed += 1;
            }
            for kind in Kind::ALL {
                for facet in Facet::ALL {
                    for find in ["", "c", "がん"] {
                        let now = filter_rows(&data, &outcome, kind, facet, &active, find);
                        let was = rows_before(&data, &outcome, kind, facet, &active, find);
                        assert_eq!(now, was, "{query:?} {kind:?} {facet:?} {active:?} {find:?}");
                    }
                }
            }
        }
    }
    assert!(
        compared > 3_000,
        "the lists were not all empty ({compared} rows)"
    );
    assert!(
        narrowed > 20,
        "the filters narrowed the lists ({narrowed} times)"
    );
}

#[test]
fn the_panel_and_tabs_follow_the_lists_through_update() {
    // Through `update`, as the app does: the panel's rows are those of the tab and facet shown.
    let catalog = crate::synthetic::catalog(2_000, 3);
    let data = Arc::new(Data::new(catalog, builtin_vocabulary(), "test".into(), 0));
    let index =
        SearchIndex::build_in_ram(&data.catalog, data.vocabulary.as_ref()).expect("index built");
    let mut app = App::new(
        Rect::new(0, 0, 120, 40),
        PathBuf::from("/tmp"),
        Date::today(),
    );
    update(&mut app, Action::Loaded(data.clone()));
    update(
        &mut app,
        Action::SearchDone(finder::find(&data, &index, "")),
    );
    for active in filter_sets(&data) {
        app.active_filters = active.clone();
        app.refresh_lists();
        for kind in Kind::ALL {
            app.set_kind(kind);
            let was = rows_before(&data, &app.outcome, kind, app.filter_facet, &active, "");
            assert_eq!(app.filter_rows, was, "{kind:?} {active:?}");
        }
        let before = lists_before(&data, &app.outcome, &active);
        assert_eq!(app.counts(), before.each_ref().map(Vec::len));
    }
}
