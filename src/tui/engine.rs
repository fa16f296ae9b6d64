//! The runtime's services: carries out the requests `update` leaves in `App::pending` —
//! searching, matching, exporting — through the same library code as the CLI, and feeds the
//! results back as actions.

use super::action::{Action, ExportOutcome, SearchOutcome};
use super::app::{update, App, MatchTarget, Request};
use super::cycle::CycleContext;
use super::data::Data;
use super::finder;
use crate::consent::Date;
use crate::export::{self, ExportOptions};
use crate::history::History;
use crate::i18n::Lang;
use crate::index::doc_ids::DocIds;
use crate::index::SearchIndex;
use crate::matching::{Candidates, MatchOptions, MatchReport, Matcher, Subject};
use crate::model::Kind;
use crate::outreach;
use crate::workspace::{read_candidates, Workspace, WorkspaceError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// Items per section of a match list.
const MATCH_LIMIT: usize = 50;

/// The opened data and its index.
pub struct Engine {
    pub data: Arc<Data>,
    /// The outreach log (`None`: none can be found) and who records in it.
    log: Option<PathBuf>,
    user: String,
    index: SearchIndex,
    /// The catalog read as match candidates (those the build stored), on the first match
    /// request and kept after.
    candidates: OnceLock<Candidates>,
    /// The index generation, where the build stored the match candidates.
    index_dir: PathBuf,
    /// What the outreach cycle's requests need beside the data (see [`super::cycle`]).
    cycle: CycleContext,
    /// What the last search's fuzzy scan left for the next keystroke's.
    narrowing: Mutex<finder::Narrowing>,
    /// Each indexed document's record, read on a thread of its own once the data is open;
    /// searches read hits from the stored documents until it is there (the same hits).
    doc_ids: Arc<OnceLock<Option<DocIds>>>,
}

impl Engine {
    /// Takes over an opened workspace, with no outreach log, its facet values worked out.
    pub fn new(workspace: Workspace) -> Result<Engine, WorkspaceError> {
        let engine = Engine::with_log(workspace, None, String::new())?;
        engine.data.facet_index();
        Ok(engine)
    }

    /// Takes over an opened workspace (reading its records), reading and writing the outreach
    /// log at `log`. The facet values are left to the first [`Data::facet_index`]: the app
    /// works them out on a thread of its own while the list is shown and searched.
    pub fn with_log(
        mut workspace: Workspace,
        log: Option<PathBuf>,
        user: String,
    ) -> Result<Engine, WorkspaceError> {
        let catalog = workspace.take_catalog()?;
        let source = workspace.source.describe();
        let cycle = CycleContext {
            source_key: crate::workspace::source_key(&workspace.source),
            ..CycleContext::default()
        };
        let data = crate::trace::phase("the app's view of the records", || {
            Data::without_facets(
                catalog,
                workspace.vocabulary,
                source,
                workspace.warnings.len(),
            )
        });
        let data = Arc::new(data);
        let doc_ids = Arc::new(OnceLock::new());
        let (cell, records) = (doc_ids.clone(), data.clone());
        let (searcher, fields) = (
            workspace.index.reader.searcher(),
            workspace.index.fields.clone(),
        );
        std::thread::spawn(move || {
            let read = crate::trace::phase("the index's ids", || {
                DocIds::read(searcher, &fields, |id| records.position(id))
            });
            let _ = cell.set(read.ok());
        });
        Ok(Engine {
            data,
            log,
            user,
            index: workspace.index,
            candidates: OnceLock::new(),
            index_dir: workspace.index_dir,
            cycle,
            narrowing: Mutex::default(),
            doc_ids,
        })
    }

    /// With the record history of the index store (for the "new" marks).
    pub fn with_history(mut self, history: History) -> Engine {
        self.cycle.history = OnceLock::from(Some(history));
        self
    }

    /// With the record history of the index store at `root`, read when first needed.
    pub fn with_history_at(mut self, root: PathBuf) -> Engine {
        self.cycle.history_root = Some(root);
        self
    }

    /// The outreach cycle's context.
    pub fn cycle(&self) -> &CycleContext {
        &self.cycle
    }

    /// The search index.
    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// The outreach log, if one can be found.
    pub fn log_path(&self) -> Option<&Path> {
        self.log.as_deref()
    }

    /// Searches all kinds.
    pub fn search(&self, query: &str) -> SearchOutcome {
        finder::find(&self.data, &self.index, query)
    }

    /// The catalog read as match candidates: those the build stored, read on the first ask
    /// and kept.
    pub fn candidates(&self) -> &Candidates {
        self.candidates.get_or_init(|| {
            read_candidates(
                &self.index_dir,
                &self.data.catalog,
                self.data.vocabulary.as_ref(),
            )
        })
    }

    /// Runs the matcher for a target, blocked items included (the view hides them), reasons in
    /// `lang`.
    pub fn run_match(
        &self,
        target: &MatchTarget,
        today: Date,
        lang: Lang,
    ) -> Result<MatchReport, String> {
        let subject = match target {
            MatchTarget::Record { id, kind } => match kind {
                Kind::Need => Subject::Need(id.clone()),
                Kind::Proposal => Subject::Proposal(id.clone()),
                Kind::Organization => Subject::Organization(id.clone()),
                Kind::Researcher => Subject::Researcher(id.clone()),
                Kind::Dataset => return Err(super::strings::NO_MATCH_SUBJECT.to_string()),
            },
            MatchTarget::AdHoc(input) => Subject::AdHoc(input.clone()),
        };
        let catalog = &self.data.catalog;
        let vocabulary = self.data.vocabulary.as_ref();
        let matcher = Matcher::with_candidates(catalog, vocabulary, today, self.candidates());
        let mut report = matcher
            .run(
                &subject,
                &MatchOptions {
                    limit: MATCH_LIMIT,
                    include_blocked: true,
                    lang: Some(lang),
                },
            )
            .map_err(|e| e.to_string())?;
        self.annotate(&mut report)?;
        Ok(report)
    }

    /// Puts the outreach log's word on every item (nothing when there is no log).
    fn annotate(&self, report: &mut MatchReport) -> Result<(), String> {
        let Some(path) = &self.log else {
            return Ok(());
        };
        let contents = outreach::read(path).map_err(|e| e.to_string())?;
        outreach::matches::annotate(report, &outreach::Ledger::new(contents.entries));
        Ok(())
    }

    /// Logs the candidates as contacted for the report's subject, in one append, and gives the
    /// report back with the log's new word.
    pub fn log_contacted(
        &self,
        mut report: MatchReport,
        candidates: &[String],
    ) -> Result<(MatchReport, usize), String> {
        let Some(path) = &self.log else {
            return Err(super::strings::NO_OUTREACH_LOG.to_string());
        };
        let subject = report
            .subject
            .id
            .clone()
            .unwrap_or_else(|| outreach::ad_hoc_subject(&report.subject.title));
        let at = outreach::clock::now();
        let entries: Vec<outreach::Entry> = candidates
            .iter()
            .map(|candidate| outreach::Entry {
                at,
                by: self.user.clone(),
                subject: subject.clone(),
                candidate: candidate.clone(),
                status: outreach::Status::Contacted,
                note: String::new(),
            })
            .collect();
        outreach::append(path, &entries).map_err(|e| e.to_string())?;
        self.annotate(&mut report)?;
        Ok((report, entries.len()))
    }

    /// Writes an export, unless the file exists and overwriting was not confirmed. Blocked
    /// datasets are left out unless `include_blocked`.
    pub fn export(
        &self,
        reports: &[MatchReport],
        options: &ExportOptions,
        path: &Path,
        overwrite: bool,
    ) -> ExportOutcome {
        if path.exists() && !overwrite {
            return ExportOutcome::Exists(path.to_path_buf());
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if let Err(e) = std::fs::create_dir_all(dir) {
                return ExportOutcome::Failed(format!("could not create {}: {e}", dir.display()));
            }
        }
        match export::export(reports, &self.data.catalog, options, path) {
            Ok(summary) => ExportOutcome::Written(summary),
            Err(e) => ExportOutcome::Failed(e.to_string()),
        }
    }

    /// Carries out every pending request of the app, here and now (only the latest search:
    /// typing faster than searching skips the queries in between), and applies the results.
    /// The app's event loop hands them to a [`super::worker::Worker`] instead; tests use this.
    pub fn perform(&self, app: &mut App) {
        while !app.pending.is_empty() {
            let requests = std::mem::take(&mut app.pending);
            let last_search = requests
                .iter()
                .rposition(|r| matches!(r, Request::Search(_)));
            for (i, request) in requests.into_iter().enumerate() {
                if matches!(request, Request::Search(_)) && Some(i) != last_search {
                    continue;
                }
                if let Some(action) = self.carry_out(request, app.today, app.lang, &|| false) {
                    update(app, action);
                }
            }
        }
    }

    /// Carries out one request and says what came of it; `None` when it was a search that
    /// `stale` says a newer query has made pointless (it is asked as the search goes on).
    pub fn carry_out(
        &self,
        request: Request,
        today: Date,
        lang: Lang,
        stale: &dyn Fn() -> bool,
    ) -> Option<Action> {
        Some(match request {
            Request::Search(query) => {
                let mut narrowing = self
                    .narrowing
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let ids = self.doc_ids.get().and_then(Option::as_ref);
                let found =
                    finder::find_with(&self.data, &self.index, ids, &query, stale, &mut narrowing);
                Action::SearchDone(found?)
            }
            Request::Match(target) => {
                let result = self.run_match(&target, today, lang);
                Action::MatchDone(target, result)
            }
            Request::Export {
                reports,
                format,
                path,
                overwrite,
                include_blocked,
            } => {
                let options = ExportOptions {
                    include_blocked,
                    ..ExportOptions::new(format, lang)
                };
                Action::ExportDone(self.export(&reports, &options, &path, overwrite))
            }
            Request::LogContacted { report, candidates } => {
                Action::Logged(self.log_contacted(report, &candidates))
            }
            Request::Cycle(request) => Action::Cycle(super::cycle::perform(self, request, today)),
        })
    }
}
