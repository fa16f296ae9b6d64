//! The app's work off the UI thread: searches, matches, exports and the outreach cycle's
//! requests run on one worker thread, so a frame is never held up by them; a search that a
//! newer query has overtaken is skipped, or given up part-way.

use super::action::Action;
use super::app::Request;
use super::engine::Engine;
use crate::consent::Date;
use crate::i18n::Lang;
use std::ops::Deref;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;

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
/// the worker is dropped.
pub struct Worker {
    jobs: Sender<Job>,
    /// The number of the latest search handed over; an older search is stale.
    latest_search: Arc<AtomicU64>,
}

impl Worker {
    /// Starts the thread, which owns the engine; `done` receives each result as an action.
    pub fn start(
        engine: impl Deref<Target = Engine> + Send + 'static,
        done: impl Fn(Action) + Send + 'static,
    ) -> Worker {
        let (jobs, queue) = mpsc::channel();
        let latest_search = Arc::new(AtomicU64::new(0));
        let latest = latest_search.clone();
        std::thread::spawn(move || work(&engine, &queue, &latest, &done));
        Worker {
            jobs,
            latest_search,
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

/// The worker thread: each job in turn until the worker is dropped.
fn work(engine: &Engine, queue: &Receiver<Job>, latest: &AtomicU64, done: &dyn Fn(Action)) {
    while let Ok(job) = queue.recv() {
        let is_search = matches!(job.request, Request::Search(_));
        let stale = || is_search && job.search != latest.load(Ordering::SeqCst);
        if stale() {
            continue;
        }
        let name = match &job.request {
            Request::Search(query) => format!("search {query:?}"),
            Request::Match(_) => "match".to_string(),
            Request::Export { .. } => "export".to_string(),
            Request::LogContacted { .. } => "log contacted".to_string(),
            Request::Cycle(_) => "outreach cycle".to_string(),
        };
        let result = crate::trace::phase(&name, || {
            engine.carry_out(job.request, job.today, job.lang, &stale)
        });
        if let Some(action) = result {
            done(action);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;
    use crate::tui::app::MatchTarget;
    use crate::tui::test_support::{engine, today};
    use std::time::Duration;

    /// Waits for the next result (a hung worker fails the test instead of hanging it).
    fn next(results: &Receiver<Action>) -> Action {
        results
            .recv_timeout(Duration::from_secs(60))
            .expect("the worker answers")
    }

    #[test]
    fn results_come_back_in_the_order_asked_and_overtaken_searches_are_skipped() {
        let (sender, results) = mpsc::channel();
        let worker = Worker::start(engine(), move |action| {
            let _ = sender.send(action);
        });
        let target = MatchTarget::Record {
            id: "N01".into(),
            kind: Kind::Need,
        };
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
                assert!(outcome.found.iter().any(|f| f.id == "DS-C03"));
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
}
