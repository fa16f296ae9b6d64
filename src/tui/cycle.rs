//! The outreach cycle in the app: requests for the gap report, for what is new for a match
//! subject and for saved searches, carried out by the runtime through the same library code as
//! `musubi gaps`, `musubi news` and `musubi watch`; and what comes back.

use super::engine::Engine;
use crate::consent::Date;
use crate::gaps::{gap_report, GapReport};
use crate::history::History;
use crate::matching::Subject;
use crate::model::Kind;
use crate::news::{NewsSource, Since};
use crate::outreach::{self, clock, Ledger};
use crate::search::{search, SearchRequest};
use crate::watch::{Watch, Watches};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Hits looked at per saved search (as `musubi watch`): enough that a new record is never cut
/// off.
const HITS_PER_LOOK: usize = 10_000;

/// Work of the outreach cycle for the runtime.
#[derive(Debug, Clone, PartialEq)]
pub enum CycleRequest {
    /// The gap report of the catalog.
    Gaps,
    /// The candidates new or changed for a need or proposal since its last logged outreach.
    News { subject: Subject, id: String },
    /// The saved searches in `file`, each with its hits new since the last look.
    Watches { file: PathBuf },
    /// Save `query` (all kinds) as `name`; its current hits count as seen.
    SaveWatch {
        file: PathBuf,
        name: String,
        query: String,
    },
    /// Look at a saved search: its new hits are marked seen.
    OpenWatch { file: PathBuf, name: String },
    /// Forget a saved search; the list comes back without it.
    RemoveWatch { file: PathBuf, name: String },
}

/// A saved search as the list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchRow {
    pub name: String,
    pub query: String,
    pub kind: Option<Kind>,
    /// The last look (or the saving), RFC 3339.
    pub since: String,
    /// Hits not seen before, as (id, title), in search order.
    pub new: Vec<(String, String)>,
}

/// What is new for one subject.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewsMarks {
    /// The subject's id.
    pub subject: String,
    /// From when, in words.
    pub since: String,
    /// Candidate id → its changes in words.
    pub changes: BTreeMap<String, String>,
}

/// The outcome of a [`CycleRequest`].
#[derive(Debug, Clone, PartialEq)]
pub enum CycleOutcome {
    Gaps(Result<GapReport, String>),
    News(Result<NewsMarks, String>),
    Watches(Result<Vec<WatchRow>, String>),
    /// The name saved and its hits now.
    Saved(Result<(String, usize), String>),
    /// The search looked at (its new hits now seen).
    Opened(Result<WatchRow, String>),
}

/// What the cycle needs beside the engine: the record history of the index store and the data
/// source's key (saved searches remember what they saw per source).
#[derive(Debug, Clone, Default)]
pub struct CycleContext {
    /// The record history: given, or read from `history_root` the first time news is asked
    /// for (it holds every record of every build, too much to read before the first frame).
    pub history: OnceLock<Option<History>>,
    /// The index store whose history this is.
    pub history_root: Option<PathBuf>,
    pub source_key: String,
}

impl CycleContext {
    /// The record history, read now if need be; `None` when there is none to read.
    pub fn history(&self) -> Option<&History> {
        self.history
            .get_or_init(|| {
                let root = self.history_root.as_deref()?;
                crate::trace::phase("read record history", || History::load_whole(root).ok())
            })
            .as_ref()
    }
}

/// Carries out one request.
pub fn perform(engine: &Engine, request: CycleRequest, today: Date) -> CycleOutcome {
    let data = &engine.data;
    match request {
        CycleRequest::Gaps => {
            let candidates = engine.candidates();
            CycleOutcome::Gaps(Ok(gap_report(
                &data.catalog,
                candidates,
                &data.vocabulary,
                today,
            )))
        }
        CycleRequest::News { subject, id } => {
            CycleOutcome::News(news(engine, &subject, &id, today))
        }
        CycleRequest::Watches { file } => CycleOutcome::Watches(watch_rows(engine, &file)),
        CycleRequest::SaveWatch { file, name, query } => {
            CycleOutcome::Saved(save_watch(engine, &file, &name, &query))
        }
        CycleRequest::OpenWatch { file, name } => {
            CycleOutcome::Opened(open_watch(engine, &file, &name))
        }
        CycleRequest::RemoveWatch { file, name } => CycleOutcome::Watches(
            remove_watch(&file, &name).and_then(|()| watch_rows(engine, &file)),
        ),
    }
}

/// The news of one subject, from its last logged outreach (else the latest build).
fn news(engine: &Engine, subject: &Subject, id: &str, today: Date) -> Result<NewsMarks, String> {
    // With one build or none, nothing can have appeared or changed: skip the two matches.
    let Some(history) = engine.cycle().history().filter(|h| h.builds > 1) else {
        return Ok(NewsMarks {
            subject: id.to_string(),
            ..NewsMarks::default()
        });
    };
    let ledger = match engine.log_path() {
        Some(path) => Ledger::new(outreach::read(path).map_err(|e| e.to_string())?.entries),
        None => Ledger::default(),
    };
    let since = match ledger.last_for_subject(id) {
        Some(entry) => Since::Moment(entry.at),
        None => Since::LatestBuild,
    };
    let source = NewsSource {
        catalog: &engine.data.catalog,
        candidates: engine.candidates(),
        vocab: &engine.data.vocabulary,
        history,
        today,
    };
    let found = source.news(&[(subject.clone(), since)]);
    let mut marks = NewsMarks {
        subject: id.to_string(),
        since: match since {
            Since::LatestBuild => "the latest index build".to_string(),
            Since::Moment(t) => format!("the last outreach, {}", clock::japan_date(t)),
        },
        changes: BTreeMap::new(),
    };
    for item in found.into_iter().flat_map(|n| n.items) {
        let words: Vec<String> = item.changes.iter().map(|c| c.describe()).collect();
        marks.changes.insert(item.candidate, words.join("; "));
    }
    Ok(marks)
}

/// The hits of a saved search, as (id, title).
fn hits(engine: &Engine, watch: &Watch) -> Result<Vec<(String, String)>, String> {
    let request = SearchRequest {
        query: watch.query.clone(),
        kind: watch.kind,
        limit: HITS_PER_LOOK,
    };
    let mut found = search(engine.index(), engine.data.vocabulary.as_ref(), &request)
        .map_err(|e| e.to_string())?
        .hits;
    // Search order, with ties broken by id so the list reads the same every time.
    found.sort_by(|a, b| {
        b.matched_all
            .cmp(&a.matched_all)
            .then(b.score.total_cmp(&a.score))
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(found.into_iter().map(|h| (h.id, h.title)).collect())
}

fn row(name: &str, watch: &Watch, new: Vec<(String, String)>) -> WatchRow {
    WatchRow {
        name: name.to_string(),
        query: watch.query.clone(),
        kind: watch.kind,
        since: watch
            .last_look
            .clone()
            .unwrap_or_else(|| watch.created.clone()),
        new,
    }
}

fn watch_rows(engine: &Engine, file: &Path) -> Result<Vec<WatchRow>, String> {
    let watches = Watches::load(file).map_err(|e| e.to_string())?;
    let source = &engine.cycle().source_key;
    let mut rows = Vec::new();
    for (name, watch) in &watches.watches {
        let seen = watch.seen.get(source);
        let new = hits(engine, watch)?
            .into_iter()
            .filter(|(id, _)| !seen.is_some_and(|s| s.contains(id)))
            .collect();
        rows.push(row(name, watch, new));
    }
    Ok(rows)
}

fn save_watch(
    engine: &Engine,
    file: &Path,
    name: &str,
    query: &str,
) -> Result<(String, usize), String> {
    let mut watches = Watches::load(file).map_err(|e| e.to_string())?;
    let watch = Watch {
        query: query.trim().to_string(),
        kind: None,
        created: clock::format(clock::now()),
        last_look: None,
        seen: Default::default(),
    };
    let found = hits(engine, &watch)?;
    let count = found.len();
    watches
        .add(
            name,
            watch,
            &engine.cycle().source_key,
            found.into_iter().map(|(id, _)| id),
        )
        .map_err(|e| e.to_string())?;
    watches.save(file).map_err(|e| e.to_string())?;
    Ok((name.trim().to_string(), count))
}

fn remove_watch(file: &Path, name: &str) -> Result<(), String> {
    let mut watches = Watches::load(file).map_err(|e| e.to_string())?;
    watches.remove(name).map_err(|e| e.to_string())?;
    watches.save(file).map_err(|e| e.to_string())
}

fn open_watch(engine: &Engine, file: &Path, name: &str) -> Result<WatchRow, String> {
    let mut watches = Watches::load(file).map_err(|e| e.to_string())?;
    let watch = watches.get(name).map_err(|e| e.to_string())?.clone();
    let found = hits(engine, &watch)?;
    let ids: Vec<String> = found.iter().map(|(id, _)| id.clone()).collect();
    let new = watches.look(
        name,
        &engine.cycle().source_key,
        &ids,
        &clock::format(clock::now()),
    );
    watches.save(file).map_err(|e| e.to_string())?;
    let new_hits = found
        .into_iter()
        .filter(|(id, _)| new.contains(id))
        .collect();
    Ok(row(name, &watch, new_hits))
}
