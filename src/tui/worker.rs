//! The app's work off the UI thread: searches, matches, exports and the outreach cycle's
//! requests run on one worker thread, so a frame is never held up by them; a search that a
//! newer query has overtaken is skipped, or given up part-way. A request that panics fails
//! with the message instead of taking the thread down, and quitting waits for the files
//! still to be written (exports, the outreach log, saved searches), not for searches.

use super::action::Action;
use super::app::Request;
use super::engine::Engine;
use crate::consent::Date;
use crate::i18n::Lang;
use std::ops::Deref;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;

/// One request, with what it is carried out for.
struct Job {
    request: Request,
    today: Date,
    lang: Lang,
    /// For a search: its number (see [`Worker::latest_search`]).
    search: u64,
}

/// Runs requests in the order they were given, one at a time, on its own thread; what came of
/// each goes to `done` (nothing for a search overtaken by a newer one). The thread ends when
/// the worker is dropped; [`Worker::finish`] first lets it write what it was asked to.
pub struct Worker {
    jobs: Sender<Job>,
    /// The number of the latest search handed over; an older search is stale.
    latest_search: Arc<AtomicU64>,
    /// Requests that write a file (an export, the outreach log, saved searches) handed over
    /// and not yet carried out.
    writes_left: Arc<AtomicUsize>,
    /// Set when the app quits: from then on only writes are carried out.
    closing: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

/// True for a request that writes a file: one the app must not quit in the middle of.
fn writes(request: &Request) -> bool {
    use super::cycle::CycleRequest as Cycle;
    match request {
        Request::Export { .. } | Request::LogContacted { .. } => true,
        Request::Cycle(cycle) => matches!(
            cycle,
            Cycle::SaveWatch { .. } | Cycle::OpenWatch { .. } | Cycle::RemoveWatch { .. }
        ),
        Request::Search(_) | Request::Match(_) => false,
    }
}

impl Worker {
    /// Starts the thread, which owns the engine; `done` receives each result as an action.
    pub fn start(
        engine: impl Deref<Target = Engine> + Send + 'static,
        done: impl Fn(Action) + Send + 'static,
    ) -> Worker {
        Worker::start_with(
            move |request, today, lang, stale| engine.carry_out(request, today, lang, stale),
            done,
        )
    }

    /// A worker that carries requests out with `carry_out` (the engine's, or a test's).
    fn start_with(
        carry_out: impl Fn(Request, Date, Lang, &dyn Fn() -> bool) -> Option<Action> + Send + 'static,
        done: impl Fn(Action) + Send + 'static,
    ) -> Worker {
        let (jobs, queue) = mpsc::channel();
        let worker_state = WorkerState {
            latest: Arc::new(AtomicU64::new(0)),
            writes_left: Arc::new(AtomicUsize::new(0)),
            closing: Arc::new(AtomicBool::new(false)),
        };
        let state = worker_state.clone();
        let thread = std::thread::spawn(move || work(&carry_out, &queue, &state, &done));
        Worker {
            jobs,
            latest_search: worker_state.latest,
            writes_left: worker_state.writes_left,
            closing: worker_state.closing,
            thread,
        }
    }

    /// Ends the worker as the app quits: searches and matches still waiting are dropped, and
    /// when a file is being written or waits to be, this returns once all are written.
    pub fn finish(self) {
        self.closing.store(true, Ordering::SeqCst);
        let Worker {
            jobs,
            writes_left,
            thread,
            ..
        } = self;
        // The thread ends once it has taken every job sent.
        drop(jobs);
        if writes_left.load(Ordering::SeqCst) > 0 {
            let _ = thread.join();
        }
    }

    /// Hands over every request in order (results come back through `done`). Of the
    /// searches among them only the last is carried out: the others are stale already.
    pub fn submit(&self, requests: Vec<Request>, today: Date, lang: Lang) {
        let searches = requests
            .iter()
            .filter(|r| matches!(r, Request::Search(_)))
            .count() as u64;
        // Numbered all at once, before any is sent, so the worker never starts one of them
        // that the same batch overtakes.
        let mut number = self.latest_search.fetch_add(searches, Ordering::SeqCst);
        for request in requests {
            let search = if matches!(request, Request::Search(_)) {
                number += 1;
                number
            } else {
                0
            };
            if writes(&request) {
                self.writes_left.fetch_add(1, Ordering::SeqCst);
            }
            // A send fails only once the thread has ended, and then there is no one to tell.
            let _ = self.jobs.send(Job {
                request,
                today,
                lang,
                search,
            });
        }
    }
}

/// What the worker thread shares with its [`Worker`].
#[derive(Clone)]
struct WorkerState {
    latest: Arc<AtomicU64>,
    writes_left: Arc<AtomicUsize>,
    closing: Arc<AtomicBool>,
}

/// How the worker carries out a request: the engine's [`Engine::carry_out`], or a test's.
type CarryOut = dyn Fn(Request, Date, Lang, &dyn Fn() -> bool) -> Option<Action>;

/// The worker thread: each job in turn until the worker is dropped.
fn work(carry_out: &CarryOut, queue: &Receiver<Job>, state: &WorkerState, done: &dyn Fn(Action)) {
    while let Ok(job) = queue.recv() {
        let write = writes(&job.request);
        if !write && state.closing.load(Ordering::SeqCst) {
            continue;
        }
        let is_search = matches!(job.request, Request::Search(_));
        let stale = || is_search && job.search != state.latest.load(Ordering::SeqCst);
        if stale() {
            continue;
        }
        // Named only for `MUSUBI_TRACE=1`: no string is made per request otherwise.
        let name = if !crate::trace::enabled() {
            String::new()
        } else {
            match &job.request {
                Request::Search(query) => format!("search {query:?}"),
                Request::Match(_) => "match".to_string(),
                Request::Export { .. } => "export".to_string(),
                Request::LogContacted { .. } => "log contacted".to_string(),
                Request::Cycle(_) => "outreach cycle".to_string(),
            }
        };
        let if_it_panics = failure(&job.request);
        // A bug must not take the worker down with it (the app would wait for ever): the
        // request fails, with the panic's message, and the next one is carried out.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            crate::trace::phase(&name, || {
                carry_out(job.request, job.today, job.lang, &stale)
            })
        }));
        let action = match result {
            Ok(action) => action,
            Err(panic) => if_it_panics.map(|fail| {
                fail(format!(
                    "internal error: {}",
                    super::panic_text(panic.as_ref())
                ))
            }),
        };
        if let Some(action) = action {
            done(action);
        }
        if write {
            state.writes_left.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// How a request reports a failure (none for a search: the last results stay).
type Failure = Box<dyn FnOnce(String) -> Action>;

/// How `request` reports that it failed.
fn failure(request: &Request) -> Option<Failure> {
    use super::action::ExportOutcome;
    use super::cycle::{CycleOutcome as Out, CycleRequest as Cycle};
    Some(match request {
        Request::Search(_) => return None,
        Request::Match(target) => {
            let target = target.clone();
            Box::new(move |e| Action::MatchDone(target, Err(e)))
        }
        Request::Export { .. } => Box::new(|e| Action::ExportDone(ExportOutcome::Failed(e))),
        Request::LogContacted { .. } => Box::new(|e| Action::Logged(Err(e))),
        Request::Cycle(cycle) => {
            let outcome: fn(String) -> Out = match cycle {
                Cycle::Gaps => |e| Out::Gaps(Err(e)),
                Cycle::News { .. } => |e| Out::News(Err(e)),
                Cycle::Watches { .. } | Cycle::RemoveWatch { .. } => |e| Out::Watches(Err(e)),
                Cycle::SaveWatch { .. } => |e| Out::Saved(Err(e)),
                Cycle::OpenWatch { .. } => |e| Out::Opened(Err(e)),
            };
            Box::new(move |e| Action::Cycle(outcome(e)))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;
    use crate::tui::app::MatchTarget;
    use crate::tui::test_support::{engine, today};
    use std::time::Duration;

    /// N01's match list.
    fn n01() -> MatchTarget {
        MatchTarget::Record {
            id: "N01".into(),
            kind: Kind::Need,
        }
    }

    /// A `done` that sends each result to the returned receiver.
    fn collecting() -> (impl Fn(Action) + Send + 'static, Receiver<Action>) {
        let (sender, results) = mpsc::channel();
        (
            move |action| {
                let _ = sender.send(action);
            },
            results,
        )
    }

    /// Waits for the next result (a hung worker fails the test instead of hanging it).
    fn next(results: &Receiver<Action>) -> Action {
        results
            .recv_timeout(Duration::from_secs(60))
            .expect("the worker answers")
    }

    #[test]
    fn results_come_back_in_the_order_asked_and_overtaken_searches_are_skipped() {
        let (done, results) = collecting();
        let engine = engine();
        let data = engine.data.clone();
        let worker = Worker::start(engine, done);
        let target = n01();
        worker.submit(
            vec![
                Request::Match(target.clone()),
                Request::Search("膵".into()),
                Request::Search("膵がん".into()),
            ],
            today(),
            Lang::Ja,
        );
        match next(&results) {
            Action::MatchDone(for_target, Ok(report)) => {
                assert_eq!(for_target, target);
                assert!(!report.datasets.is_empty());
            }
            other => panic!("expected N01's matches, got {other:?}"),
        }
        // The first search was overtaken in the same batch: only the second answers.
        match next(&results) {
            Action::SearchDone(outcome) => {
                assert_eq!(outcome.query, "膵がん");
                assert!(outcome.found.iter().any(|f| data.id_of(f) == "DS-C03"));
            }
            other => panic!("expected the search for 膵がん, got {other:?}"),
        }
        worker.submit(
            vec![Request::Search("pancreatic".into())],
            today(),
            Lang::En,
        );
        match next(&results) {
            Action::SearchDone(outcome) => assert_eq!(outcome.query, "pancreatic"),
            other => panic!("expected the search for pancreatic, got {other:?}"),
        }
        assert!(results.try_recv().is_err(), "nothing else came back");
    }

    #[test]
    fn a_request_that_panics_fails_with_the_message_and_the_worker_goes_on() {
        let (done, results) = collecting();
        let worker = Worker::start_with(
            |request, _, _, _| match request {
                Request::Match(_) => panic!("boom"),
                Request::Search(query) => {
                    Some(Action::SearchDone(crate::tui::action::SearchOutcome {
                        query,
                        ..Default::default()
                    }))
                }
                _ => None,
            },
            done,
        );
        let target = n01();
        worker.submit(
            vec![
                Request::Match(target.clone()),
                Request::Search("after".into()),
            ],
            today(),
            Lang::En,
        );
        match next(&results) {
            Action::MatchDone(for_target, Err(e)) => {
                assert_eq!(for_target, target);
                assert_eq!(e, "internal error: boom");
            }
            other => panic!("expected the match to fail, got {other:?}"),
        }
        match next(&results) {
            Action::SearchDone(outcome) => assert_eq!(outcome.query, "after"),
            other => panic!("expected the search after it, got {other:?}"),
        }
    }

    #[test]
    fn quitting_waits_for_the_writes_handed_over_and_drops_the_reads() {
        use crate::tui::cycle::CycleRequest;
        use std::sync::Mutex;
        let carried: Arc<Mutex<Vec<String>>> = Arc::default();
        let (open_gate, gate) = mpsc::channel::<()>();
        let gate = Mutex::new(gate);
        let log = carried.clone();
        let worker = Worker::start_with(
            move |request, _, _, _| {
                let name = match request {
                    Request::Cycle(CycleRequest::SaveWatch { name, .. }) => {
                        // Held until the test has begun to quit.
                        let _ = gate.lock().map(|g| g.recv());
                        format!("save {name}")
                    }
                    Request::Cycle(CycleRequest::RemoveWatch { name, .. }) => {
                        format!("remove {name}")
                    }
                    Request::Match(_) => "match".to_string(),
                    Request::Search(query) => format!("search {query}"),
                    _ => "other".to_string(),
                };
                if let Ok(mut log) = log.lock() {
                    log.push(name);
                }
                None
            },
            |_| {},
        );
        let file = std::path::PathBuf::from("watches.json");
        worker.submit(
            vec![
                Request::Cycle(CycleRequest::SaveWatch {
                    file: file.clone(),
                    name: "a".into(),
                    query: "膵がん".into(),
                }),
                Request::Match(n01()),
                Request::Search("AML".into()),
                Request::Cycle(CycleRequest::RemoveWatch {
                    file,
                    name: "b".into(),
                }),
            ],
            today(),
            Lang::En,
        );
        let closing = worker.closing.clone();
        let quitting = std::thread::spawn(move || worker.finish());
        while !closing.load(Ordering::SeqCst) {
            std::thread::yield_now();
        }
        open_gate.send(()).expect("the worker waits at the gate");
        quitting.join().expect("finish returns");
        let carried = carried.lock().map(|c| c.clone()).unwrap_or_default();
        assert_eq!(carried, ["save a", "remove b"]);
    }
}
