//! What is new for each need and proposal: candidates that appeared or changed (new record,
//! consent verdict changed, cases grew, new modality) since a moment or since the latest build,
//! read from the record history of the index store (see [`crate::history`]).

use crate::consent::Date;
use crate::history::{DatasetState, History, RecordHistory};
use crate::matching::{Candidates, MatchItem, MatchOptions, Matcher, Subject};
use crate::model::{Catalog, Dataset, Kind, Organization, Researcher};
use crate::outreach::clock;
use crate::records::{IdIndexed, Records};
use crate::vocab::Vocabulary;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use time::OffsetDateTime;

/// Subjects whose news [`NewsSource::news_by_window`] hands over together: work enough for
/// both cores, and only their news held (every subject's at 1M was 2.8 GB).
const SUBJECTS_PER_WINDOW: usize = 2048;

/// From when news counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Since {
    /// Changes recorded after this moment.
    Moment(OffsetDateTime),
    /// Changes recorded by the latest build (what it found new against the one before).
    LatestBuild,
}

/// One thing that is new about a candidate.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// The record appeared.
    New,
    /// The consent verdict for this subject changed (`allowed`, or the blocking rule).
    Consent { from: String, to: String },
    /// More cases than before.
    CasesGrew { from: u64, to: u64 },
    /// Modalities the dataset did not have before.
    NewModality { added: Vec<String> },
}

impl Change {
    /// The change in words.
    pub fn describe(&self) -> String {
        match self {
            Change::New => "new record".to_string(),
            Change::Consent { from, to } => format!("consent verdict changed: {from} → {to}"),
            Change::CasesGrew { from, to } => format!("cases grew: {from} → {to}"),
            Change::NewModality { added } => format!("new modality: {}", added.join(", ")),
        }
    }
}

/// A candidate with what is new about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewsItem {
    pub candidate: String,
    pub kind: Kind,
    pub title: String,
    /// When the candidate last changed (RFC 3339).
    pub changed: String,
    pub changes: Vec<Change>,
}

/// The news of one need or proposal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubjectNews {
    pub subject: String,
    /// `need` or `proposal`.
    pub kind: &'static str,
    pub title: String,
    /// From when, in words (`2026-04-01T00:00:00+09:00`, `the latest build`).
    pub since: String,
    pub items: Vec<NewsItem>,
}

/// Everything news needs to compare then and now.
pub struct NewsSource<'a> {
    pub catalog: &'a Catalog,
    /// The catalog's records read as match candidates (a proposal's profile is its row).
    pub candidates: &'a Candidates,
    pub vocab: &'a Vocabulary,
    pub history: &'a History,
    pub today: Date,
}

/// True when `at` was read and is after `since`.
fn after(at: Option<OffsetDateTime>, since: OffsetDateTime) -> bool {
    at.is_some_and(|t| t > since)
}

impl NewsSource<'_> {
    /// True when the record appeared after `since` (records of the first recorded build
    /// were there before history began, so they are never new).
    fn is_new(&self, record: &Timeline, since: Since) -> bool {
        record.history.first_build > 1
            && match since {
                Since::LatestBuild => record.history.first_build == self.history.builds,
                Since::Moment(t) => after(record.first_seen, t),
            }
    }

    /// The dataset's state in effect at `since`, if it differs from the latest.
    fn old_state<'h>(&self, record: &Timeline<'h>, since: Since) -> Option<&'h DatasetState> {
        let states = &record.history.states;
        let old = match since {
            Since::LatestBuild => states.iter().rev().find(|s| s.build < self.history.builds),
            // Before history began, the dataset was as the first build saw it.
            Since::Moment(t) => (states.iter().zip(&record.states_at).rev())
                .find(|(_, at)| !after(**at, t))
                .map(|(state, _)| state)
                .or_else(|| states.first().filter(|_| record.history.first_build == 1)),
        }?;
        (Some(old) != states.last()).then_some(old)
    }

    /// True when the record may be news from `since`: it appeared, or (a dataset) its state
    /// then differs from its latest.
    fn may_be_news(&self, timelines: &Timelines, id: &str, since: Since) -> bool {
        timelines
            .get(id)
            .is_some_and(|r| self.is_new(r, since) || self.old_state(r, since).is_some())
    }

    /// The candidates that may be news from `since`, in catalog order: the datasets (with
    /// the researchers and organisations their custodians name, so that consent names a
    /// custodian as it does over every record), and the researchers and organisations. A
    /// candidate is scored on its own, so these list the very items, in the same order,
    /// that every record lists for them. Only the records that can be news from some moment
    /// are asked about (`changeable`).
    fn changed_since(&self, changeable: &Changeable, since: Since) -> Changed {
        let catalog = self.catalog;
        let may_be_news = |id: &str| self.may_be_news(&changeable.timelines, id, since);
        let datasets: Vec<Dataset> = (changeable.datasets.iter())
            .filter_map(|&i| catalog.datasets.get(i))
            .filter(|d| may_be_news(&d.id))
            .cloned()
            .collect();
        let custodians: HashSet<&str> = datasets
            .iter()
            .filter_map(|d| d.custodian.as_deref().map(str::trim))
            .collect();
        // Positions in catalog order, each once (a custodian id may name several records).
        let named = |by_id: &HashMap<&str, Vec<usize>>| -> Vec<usize> {
            let mut at: Vec<usize> = (custodians.iter())
                .filter_map(|id| by_id.get(id))
                .flatten()
                .copied()
                .collect();
            at.sort_unstable();
            at.dedup();
            at
        };
        let researchers = |at: &[usize], keep: &dyn Fn(&str) -> bool| -> Vec<Researcher> {
            (at.iter().filter_map(|&i| catalog.researchers.get(i)))
                .filter(|r| keep(&r.id))
                .cloned()
                .collect()
        };
        let organizations = |at: &[usize], keep: &dyn Fn(&str) -> bool| -> Vec<Organization> {
            (at.iter().filter_map(|&i| catalog.organizations.get(i)))
                .filter(|o| keep(&o.id))
                .cloned()
                .collect()
        };
        let any = |_: &str| true;
        Changed {
            datasets: Catalog {
                researchers: researchers(&named(&changeable.custodian_researchers), &any),
                organizations: organizations(&named(&changeable.custodian_organizations), &any),
                datasets,
                ..Catalog::default()
            },
            partners: Catalog {
                researchers: researchers(&changeable.researchers, &may_be_news),
                organizations: organizations(&changeable.organizations, &may_be_news),
                ..Catalog::default()
            },
        }
    }

    /// The changed datasets (see [`Self::changed_since`]) as they were at `since`: each
    /// whose state differed then, in that state.
    fn as_it_was(&self, timelines: &Timelines, changed: &Catalog, since: Since) -> Catalog {
        let mut then = changed.clone();
        for d in &mut then.datasets {
            let Some(old) = timelines.get(&d.id).and_then(|r| self.old_state(r, since)) else {
                continue;
            };
            set_back(d, old);
        }
        then
    }

    /// The latest moment any record appeared (after the first build) or any dataset's state
    /// was recorded: nothing is news from a moment at or after it.
    fn latest_change(&self) -> Option<OffsetDateTime> {
        self.history
            .records
            .values()
            .flat_map(|r| {
                let appeared = (r.first_build > 1).then_some(&r.first_seen);
                appeared.into_iter().chain(r.states.iter().map(|s| &s.at))
            })
            .filter_map(|at| clock::parse_moment(at).ok())
            .max()
    }

    /// False when no record can be news from `since` (none appeared, no dataset's state
    /// changed): its subjects need not be matched. `latest` is [`Self::latest_change`].
    fn may_have_news(
        &self,
        timelines: &Timelines,
        since: Since,
        latest: Option<OffsetDateTime>,
    ) -> bool {
        match since {
            Since::LatestBuild => (timelines.by_id.values())
                .any(|r| self.is_new(r, since) || self.old_state(r, since).is_some()),
            Since::Moment(t) => latest.is_some_and(|latest| latest > t),
        }
    }

    /// The news of each subject (needs and proposals), each from its own moment. A subject
    /// from a moment after which nothing changed is left out (it has no news), unmatched.
    /// Each subject is matched only against the candidates that may be news from its moment,
    /// as they are and as they were then, on every core.
    pub fn news(&self, subjects: &[(Subject, Since)]) -> Vec<SubjectNews> {
        let mut all = Vec::new();
        let kept: Result<(), std::convert::Infallible> =
            self.news_by_window(subjects, &mut |window| {
                all.extend(window);
                Ok(())
            });
        match kept {
            Ok(()) => all,
            Err(never) => match never {},
        }
    }

    /// [`NewsSource::news`] handed to `each` a window of subjects at a time, in their order,
    /// so that only one window's news is held at once (every subject at a million records).
    /// Stops at the first error `each` returns.
    pub fn news_by_window<E>(
        &self,
        subjects: &[(Subject, Since)],
        each: &mut dyn FnMut(Vec<SubjectNews>) -> Result<(), E>,
    ) -> Result<(), E> {
        let latest = subjects
            .iter()
            .any(|(_, since)| matches!(since, Since::Moment(_)))
            .then(|| self.latest_change())
            .flatten();
        let timelines = Timelines::of(self.history);
        // Each distinct moment asked once (a subject's moment is often its last logged
        // outreach: as many moments as subjects), those after which something changed kept.
        let mut asked: HashMap<SinceKey, bool> = HashMap::new();
        for (_, since) in subjects {
            if let Entry::Vacant(entry) = asked.entry(SinceKey::of(*since)) {
                entry.insert(self.may_have_news(&timelines, *since, latest));
            }
        }
        let live = |since: Since| asked.get(&SinceKey::of(since)).copied() == Some(true);
        // Moments alike share their candidates and matchers: one set for each span between
        // two instants at which a changeable record appeared or changed (about one per build),
        // not one per subject. Whether a moment has news is still asked of each (above).
        let instants = timelines.change_instants();
        let mut groups: HashSet<Alike> = HashSet::new();
        let alike: Vec<(Alike, Since)> = (subjects.iter())
            .map(|(_, since)| (Alike::of(*since, &instants), *since))
            .filter(|(group, since)| live(*since) && groups.insert(*group))
            .collect();
        if alike.is_empty() {
            return Ok(());
        }
        let changeable = Changeable::of(self.catalog, timelines);
        let many = subjects.len() > 1;
        // Many subjects are found by id through an index of the ids, not a scan per subject.
        let indexed = many.then(|| IdIndexed::new(self.catalog));
        let records: &dyn Records = match &indexed {
            Some(indexed) => indexed,
            None => self.catalog,
        };
        let subjects_found =
            Matcher::with_candidates(records, self.vocab, self.today, self.candidates);
        let changed: Vec<(Alike, Changed, Catalog)> = alike
            .iter()
            .map(|(group, since)| {
                let now = self.changed_since(&changeable, *since);
                let then = self.as_it_was(&changeable.timelines, &now.datasets, *since);
                (*group, now, then)
            })
            .collect();
        let matcher = |catalog| {
            let matcher = Matcher::new(catalog, self.vocab, self.today);
            if many {
                matcher.for_many_subjects()
            } else {
                matcher
            }
        };
        // The matchers of each moment, over the candidates that changed since.
        let moments: HashMap<Alike, Moment> = changed
            .iter()
            .map(|(group, now, then)| {
                let moment = Moment {
                    datasets: matcher(&now.datasets),
                    partners: matcher(&now.partners),
                    datasets_then: matcher(then),
                    changed_datasets: (now.datasets.datasets.iter().rev())
                        .map(|d| (d.id.as_str(), d))
                        .collect(),
                };
                (*group, moment)
            })
            .collect();
        let options = MatchOptions {
            limit: self.catalog.len().max(1),
            include_blocked: true,
            ..MatchOptions::default()
        };
        for window in subjects.chunks(SUBJECTS_PER_WINDOW) {
            let news = window
                .par_iter()
                .filter_map(|(subject, since)| {
                    // A subject from a moment nothing changed after has no news.
                    if !live(*since) {
                        return None;
                    }
                    let moment = moments.get(&Alike::of(*since, &instants))?;
                    let timelines = &changeable.timelines;
                    let asked = (subject, *since);
                    self.subject_news(&subjects_found, timelines, asked, moment, &options)
                })
                .collect();
            each(news)?;
        }
        Ok(())
    }

    /// The news of one subject asked from `since`, matched against the candidates of its
    /// `moment` (shared by the moments alike, see [`Alike`]); `None` when the subject is not
    /// found.
    fn subject_news(
        &self,
        subjects_found: &Matcher,
        timelines: &Timelines,
        (subject, since): (&Subject, Since),
        moment: &Moment,
        options: &MatchOptions,
    ) -> Option<SubjectNews> {
        let found = subjects_found.find_subject(subject, options).ok()?;
        let datasets = moment.datasets.datasets_of(&found, false);
        let partners = moment.partners.partners_of(&found, false);
        let before = moment.datasets_then.datasets_of(&found, false);
        let verdicts_then: HashMap<&str, String> =
            before.iter().map(|i| (i.id.as_str(), verdict(i))).collect();
        let items = (datasets.iter().chain(&partners))
            .filter_map(|item| {
                let then = verdicts_then.get(item.id.as_str());
                let now = moment.changed_datasets.get(item.id.as_str()).copied();
                self.item_news(timelines, item, since, then, now)
            })
            .collect();
        let subject = found.subject();
        Some(SubjectNews {
            subject: subject.id.clone().unwrap_or_default(),
            kind: subject.kind.as_str(),
            title: subject.title.clone(),
            since: since_words(since),
            items,
        })
    }

    /// What is new about one listed candidate since `since`, given its consent verdict for
    /// the subject then (when it was listed then) and, for a dataset, the dataset now; `None`
    /// when nothing is.
    fn item_news(
        &self,
        timelines: &Timelines,
        item: &MatchItem,
        since: Since,
        verdict_then: Option<&String>,
        dataset_now: Option<&Dataset>,
    ) -> Option<NewsItem> {
        // A record that can be news from no moment has nothing new.
        let record = timelines.get(&item.id)?;
        let mut changes = Vec::new();
        if self.is_new(record, since) {
            changes.push(Change::New);
        } else if let Some(old) = self.old_state(record, since) {
            let to = verdict(item);
            if let Some(from) = verdict_then.filter(|from| **from != to) {
                changes.push(Change::Consent {
                    from: from.clone(),
                    to,
                });
            }
            if let Some(d) = dataset_now {
                if d.cases > old.cases {
                    changes.push(Change::CasesGrew {
                        from: old.cases,
                        to: d.cases,
                    });
                }
                let added: Vec<String> = (d.modalities.iter())
                    .filter(|m| !old.modalities.contains(m))
                    .cloned()
                    .collect();
                if !added.is_empty() {
                    changes.push(Change::NewModality { added });
                }
            }
        }
        (!changes.is_empty()).then(|| NewsItem {
            candidate: item.id.clone(),
            kind: item.kind,
            title: item.title.clone(),
            changed: record.history.last_changed.to_string(),
            changes,
        })
    }
}

/// A dataset set back to a state it had (what news compares).
fn set_back(d: &mut Dataset, old: &DatasetState) {
    d.data_use = old.data_use.clone();
    d.cases = old.cases;
    d.modalities = old.modalities.clone();
    d.diseases = old.diseases.clone();
}

/// From when, in words.
fn since_words(since: Since) -> String {
    match since {
        Since::LatestBuild => "the latest build".to_string(),
        Since::Moment(t) => clock::format(t),
    }
}

/// A moment news asks about, as a key: moments are told apart by the instant (as `Since`'s
/// equality tells them), whatever their offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum SinceKey {
    Moment(i128),
    LatestBuild,
}

impl SinceKey {
    fn of(since: Since) -> SinceKey {
        match since {
            Since::Moment(t) => SinceKey::Moment(t.unix_timestamp_nanos()),
            Since::LatestBuild => SinceKey::LatestBuild,
        }
    }
}

/// Moments from which the same records are news, in the same states: told apart by how
/// many of the instants at which news can change ([`Timelines::change_instants`]) are at
/// or before them (a record is news from a moment by comparing it with these only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Alike {
    Moment(usize),
    LatestBuild,
}

impl Alike {
    fn of(since: Since, instants: &[OffsetDateTime]) -> Alike {
        match since {
            Since::Moment(t) => Alike::Moment(instants.partition_point(|at| *at <= t)),
            Since::LatestBuild => Alike::LatestBuild,
        }
    }
}

/// A record's history with its moments read (the history keeps them as text).
struct Timeline<'h> {
    history: &'h RecordHistory,
    /// When it appeared; `None` when unreadable (then it is new from no moment).
    first_seen: Option<OffsetDateTime>,
    /// When each state was recorded, in the order of `history.states`.
    states_at: Vec<Option<OffsetDateTime>>,
}

impl<'h> Timeline<'h> {
    fn of(history: &'h RecordHistory) -> Timeline<'h> {
        let read = |at: &str| clock::parse_moment(at).ok();
        Timeline {
            history,
            first_seen: read(&history.first_seen),
            states_at: history.states.iter().map(|s| read(&s.at)).collect(),
        }
    }
}

/// The records that can be news from some moment, by id: those that appeared after the
/// first build, and the datasets with more than one state. Any other record is new from no
/// moment, and its state then is its state now.
struct Timelines<'h> {
    by_id: HashMap<&'h str, Timeline<'h>>,
}

impl<'h> Timelines<'h> {
    fn of(history: &'h History) -> Timelines<'h> {
        let by_id = (history.records.iter())
            .filter(|(_, r)| r.first_build > 1 || r.states.len() > 1)
            .map(|(id, r)| (id.as_str(), Timeline::of(r)))
            .collect();
        Timelines { by_id }
    }

    fn get(&self, id: &str) -> Option<&Timeline<'h>> {
        self.by_id.get(id)
    }

    /// When these records appeared and their states were recorded, sorted, each once: what
    /// is news from a moment changes only where a moment passes one of them.
    fn change_instants(&self) -> Vec<OffsetDateTime> {
        let mut instants: Vec<OffsetDateTime> = (self.by_id.values())
            .flat_map(|r| r.states_at.iter().chain([&r.first_seen]))
            .flatten()
            .copied()
            .collect();
        instants.sort_unstable();
        instants.dedup();
        instants
    }

    /// Every record's, those that can be news from no moment too (for tests that compare).
    #[cfg(test)]
    fn every(history: &'h History) -> Timelines<'h> {
        let by_id = (history.records.iter())
            .map(|(id, r)| (id.as_str(), Timeline::of(r)))
            .collect();
        Timelines { by_id }
    }
}

/// Where in the catalog the records that can be news are, found once for every moment news
/// is asked from: each moment then reads only these, not every record.
struct Changeable<'c> {
    timelines: Timelines<'c>,
    /// Positions in the catalog's lists, in order.
    datasets: Vec<usize>,
    researchers: Vec<usize>,
    organizations: Vec<usize>,
    /// The researchers and organisations that changeable datasets name as custodians, by id.
    custodian_researchers: HashMap<&'c str, Vec<usize>>,
    custodian_organizations: HashMap<&'c str, Vec<usize>>,
}

impl<'c> Changeable<'c> {
    fn of(catalog: &'c Catalog, timelines: Timelines<'c>) -> Changeable<'c> {
        fn positions<'r>(
            ids: impl Iterator<Item = &'r str>,
            keep: impl Fn(&str) -> bool,
        ) -> Vec<usize> {
            ids.enumerate()
                .filter(|(_, id)| keep(id))
                .map(|(i, _)| i)
                .collect()
        }
        fn by_id<'r>(
            ids: impl Iterator<Item = &'r str>,
            named: &HashSet<&str>,
        ) -> HashMap<&'r str, Vec<usize>> {
            let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
            for (i, id) in ids.enumerate().filter(|(_, id)| named.contains(id)) {
                by_id.entry(id).or_default().push(i);
            }
            by_id
        }
        let can_be_news = |id: &str| timelines.get(id).is_some();
        let dataset_ids = || catalog.datasets.iter().map(|d| d.id.as_str());
        let researcher_ids = || catalog.researchers.iter().map(|r| r.id.as_str());
        let organization_ids = || catalog.organizations.iter().map(|o| o.id.as_str());
        let datasets = positions(dataset_ids(), can_be_news);
        let named: HashSet<&str> = (datasets.iter())
            .filter_map(|&i| catalog.datasets.get(i)?.custodian.as_deref())
            .map(str::trim)
            .collect();
        Changeable {
            datasets,
            researchers: positions(researcher_ids(), can_be_news),
            organizations: positions(organization_ids(), can_be_news),
            custodian_researchers: by_id(researcher_ids(), &named),
            custodian_organizations: by_id(organization_ids(), &named),
            timelines,
        }
    }
}

/// The candidates that may be news from one moment (see [`NewsSource::changed_since`]).
struct Changed {
    /// The datasets, with their custodians among the researchers and organisations.
    datasets: Catalog,
    /// The researchers and organisations.
    partners: Catalog,
}

/// The candidates that may be news from one moment, matched as they are and the datasets as
/// they were.
struct Moment<'c> {
    datasets: Matcher<'c>,
    partners: Matcher<'c>,
    datasets_then: Matcher<'c>,
    /// The changed datasets by id (the first of an id, as a scan would find it).
    changed_datasets: HashMap<&'c str, &'c Dataset>,
}

/// `allowed`, or the rule that blocks.
fn verdict(item: &MatchItem) -> String {
    match &item.blocked {
        Some(rule) => format!("blocked ({rule})"),
        None => "allowed".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic;

    const T1: &str = "2026-11-01T00:00:00Z";
    const T2: &str = "2026-11-10T00:00:00Z";
    const T3: &str = "2026-11-20T00:00:00Z";

    fn moment(at: &str) -> Since {
        Since::Moment(clock::parse_moment(at).expect("a moment"))
    }

    /// News as it was found before only the changed candidates were matched: every subject
    /// against every record, now and with every changed dataset as it was then.
    fn news_over_every_record(
        source: &NewsSource,
        subjects: &[(Subject, Since)],
    ) -> Vec<SubjectNews> {
        let options = MatchOptions {
            limit: source.catalog.len().max(1),
            include_blocked: true,
            ..MatchOptions::default()
        };
        let now = Matcher::new(source.catalog, source.vocab, source.today);
        // Every record's history, not only those that can be news.
        let timelines = Timelines::every(source.history);
        let mut thens: Vec<(Since, Catalog)> = Vec::new();
        for (_, since) in subjects {
            if thens.iter().all(|(s, _)| s != since) {
                let mut then = source.catalog.clone();
                for d in &mut then.datasets {
                    if let Some(old) =
                        (timelines.get(&d.id)).and_then(|r| source.old_state(r, *since))
                    {
                        set_back(d, old);
                    }
                }
                thens.push((*since, then));
            }
        }
        let thens: Vec<(Since, Matcher)> = (thens.iter())
            .map(|(since, then)| (*since, Matcher::new(then, source.vocab, source.today)))
            .collect();
        let mut out = Vec::new();
        for (subject, since) in subjects {
            if !source.may_have_news(&timelines, *since, source.latest_change()) {
                continue;
            }
            let Some((_, then)) = thens.iter().find(|(s, _)| s == since) else {
                continue;
            };
            let (Ok(report), Ok(before)) =
                (now.run(subject, &options), then.run(subject, &options))
            else {
                continue;
            };
            // Every record listed, each as the first dataset of its id (then: the last).
            let items = (report.datasets.iter().chain(&report.partners))
                .filter_map(|item| {
                    let then = before.datasets.iter().rev().find(|b| b.id == item.id);
                    let now = source.catalog.datasets.iter().find(|d| d.id == item.id);
                    source.item_news(&timelines, item, *since, then.map(verdict).as_ref(), now)
                })
                .collect();
            out.push(SubjectNews {
                subject: report.subject.id.clone().unwrap_or_default(),
                kind: report.subject.kind.as_str(),
                title: report.subject.title.clone(),
                since: since_words(*since),
                items,
            });
        }
        out
    }

    /// News over a catalog and its history, on 27 November 2026.
    fn source_of<'a>(
        catalog: &'a Catalog,
        candidates: &'a Candidates,
        history: &'a History,
    ) -> NewsSource<'a> {
        NewsSource {
            catalog,
            candidates,
            vocab: Vocabulary::builtin(),
            history,
            today: Date::new(2026, 11, 27).expect("a date"),
        }
    }

    /// Three builds of a generated catalog: records added in the second and third, datasets
    /// whose consent, cases, modalities and diseases change, custodians that are researchers,
    /// organisations and no one known, records removed.
    fn three_builds() -> (Catalog, History) {
        let full = synthetic::catalog(1_500, 11);
        let mut first = full.clone();
        first.datasets.truncate(full.datasets.len() - 30);
        first.researchers.truncate(full.researchers.len() - 12);
        first.organizations.truncate(full.organizations.len() - 4);
        for (i, d) in first.datasets.iter_mut().enumerate() {
            match i % 10 {
                3 => d.custodian = Some(format!(" R{:07} ", i % 400)),
                7 => d.custodian = Some("SOMEONE-UNKNOWN".into()),
                _ => {}
            }
        }
        let mut history = History::default();
        history.record_build(&first, T1).expect("in memory");
        let mut second = first.clone();
        second
            .datasets
            .extend_from_slice(&full.datasets[first.datasets.len()..]);
        second.researchers = full.researchers.clone();
        second.organizations = full.organizations.clone();
        for (i, d) in second.datasets.iter_mut().enumerate() {
            if i % 9 == 0 {
                d.data_use = if d.data_use.iter().any(|c| c == "NCU") {
                    vec!["GRU".into()]
                } else {
                    vec!["HMB".into(), "NCU".into()]
                };
            }
            if i % 11 == 0 {
                d.cases += 500;
            }
            if i % 13 == 0 {
                d.modalities.push("WGS".into());
            }
            if i % 17 == 0 {
                d.diseases.rotate_left(1);
                d.diseases.push("C25".into());
            }
        }
        second.datasets.remove(5);
        history.record_build(&second, T2).expect("in memory");
        let mut third = second.clone();
        for d in third.datasets.iter_mut().step_by(23) {
            d.data_use = vec!["GRU".into(), "IRB".into()];
            d.cases = d.cases.saturating_sub(10);
        }
        third.datasets.push(Dataset {
            id: "DS-LATE".into(),
            custodian: Some("R0000001".into()),
            ..full.datasets[1].clone()
        });
        history.record_build(&third, T3).expect("in memory");
        (third, history)
    }

    #[test]
    fn changed_candidates_are_listed_as_every_record_lists_them() {
        let (catalog, history) = three_builds();
        let vocab = Vocabulary::builtin();
        let candidates = Candidates::read(&catalog, vocab);
        let today = Date::new(2026, 11, 27).expect("a date");
        let source = NewsSource {
            catalog: &catalog,
            candidates: &candidates,
            vocab,
            history: &history,
            today,
        };
        let changeable = Changeable::of(&catalog, Timelines::of(&history));
        let changed = source.changed_since(&changeable, moment("2026-11-05T00:00:00Z"));
        let (datasets, partners) = (&changed.datasets, &changed.partners);
        assert!(datasets.datasets.len() > 20 && datasets.datasets.len() < catalog.datasets.len());
        assert!(!partners.researchers.is_empty() && !partners.organizations.is_empty());
        // Datasets whose custodians are researchers, so that `COL` names an affiliation.
        assert!(datasets.datasets.iter().any(|d| {
            let custodian = d.custodian.as_deref().map(str::trim);
            datasets
                .researchers
                .iter()
                .any(|r| Some(r.id.as_str()) == custodian)
        }));
        let every = Matcher::with_candidates(&catalog, vocab, today, &candidates);
        let (datasets_among, partners_among) = (
            Matcher::new(datasets, vocab, today),
            Matcher::new(partners, vocab, today),
        );
        let options = MatchOptions {
            limit: catalog.len(),
            include_blocked: true,
            ..MatchOptions::default()
        };
        let kept = |ids: &[&str], items: &[MatchItem]| -> Vec<MatchItem> {
            (items.iter())
                .filter(|i| ids.contains(&i.id.as_str()))
                .cloned()
                .collect()
        };
        let dataset_ids: Vec<&str> = datasets.datasets.iter().map(|d| d.id.as_str()).collect();
        let partner_ids: Vec<&str> = (partners.researchers.iter().map(|r| r.id.as_str()))
            .chain(partners.organizations.iter().map(|o| o.id.as_str()))
            .collect();
        let mut conditions = 0;
        for need in catalog.needs.iter().step_by(5) {
            let subject = Subject::Need(need.id.clone());
            let all = every.run(&subject, &options).expect("a need");
            let found = every.find_subject(&subject, &options).expect("a need");
            assert_eq!(found.subject(), &all.subject);
            let few = datasets_among.datasets_of(&found, true);
            assert_eq!(few, kept(&dataset_ids, &all.datasets));
            let few_partners = partners_among.partners_of(&found, true);
            assert_eq!(few_partners, kept(&partner_ids, &all.partners));
            conditions += few.iter().filter(|i| !i.conditions.is_empty()).count();
        }
        assert!(conditions > 0);
    }

    #[test]
    fn news_from_the_changed_candidates_equals_news_from_every_record() {
        let (catalog, history) = three_builds();
        let candidates = Candidates::read(&catalog, Vocabulary::builtin());
        let source = source_of(&catalog, &candidates, &history);
        let ids = (catalog.needs.iter().map(|n| Subject::Need(n.id.clone()))).chain(
            catalog
                .proposals
                .iter()
                .map(|p| Subject::Proposal(p.id.clone())),
        );
        let sinces = [
            Since::LatestBuild,
            moment("2026-11-05T00:00:00Z"),
            moment("2026-10-01T00:00:00Z"),
            moment("2026-11-15T00:00:00Z"),
            moment("2026-11-25T00:00:00Z"),
        ];
        let subjects: Vec<(Subject, Since)> = ids
            .enumerate()
            .map(|(i, subject)| (subject, sinces[i % sinces.len()]))
            .chain([(Subject::Need("NO-SUCH-NEED".into()), Since::LatestBuild)])
            .collect();
        let expected = news_over_every_record(&source, &subjects);
        let found = source.news(&subjects);
        assert_eq!(found, expected);
        // Not an empty agreement: every kind of change is there, from several moments.
        let changes: Vec<&Change> = found
            .iter()
            .flat_map(|n| &n.items)
            .flat_map(|i| &i.changes)
            .collect();
        assert!(changes.iter().any(|c| matches!(c, Change::New)));
        assert!(changes.iter().any(|c| matches!(c, Change::Consent { .. })));
        assert!(changes
            .iter()
            .any(|c| matches!(c, Change::CasesGrew { .. })));
        assert!(changes
            .iter()
            .any(|c| matches!(c, Change::NewModality { .. })));
        let partners = found
            .iter()
            .flat_map(|n| &n.items)
            .filter(|i| i.kind != Kind::Dataset);
        assert!(partners.count() > 0);
        let sinces_with_news: HashSet<&str> = (found.iter())
            .filter(|n| !n.items.is_empty())
            .map(|n| n.since.as_str())
            .collect();
        assert!(sinces_with_news.len() >= 3, "{sinces_with_news:?}");
        // One subject at a time (the app's way) finds what all at once find.
        for (subject, since) in subjects.iter().step_by(37) {
            let alone = source.news(&[(subject.clone(), *since)]);
            let id = match subject {
                Subject::Need(id) | Subject::Proposal(id) => id,
                _ => unreachable!("needs and proposals only"),
            };
            let together: Vec<&SubjectNews> = found.iter().filter(|n| &n.subject == id).collect();
            assert_eq!(alone.iter().collect::<Vec<_>>(), together, "{id}");
        }
    }

    #[test]
    fn news_from_a_moment_per_subject_equals_news_from_every_record() {
        // Each subject since its own last logged outreach: as many moments as subjects,
        // some on a build's very moment, one written with another offset, some before
        // history began and after the last build.
        let (catalog, history) = three_builds();
        let candidates = Candidates::read(&catalog, Vocabulary::builtin());
        let source = source_of(&catalog, &candidates, &history);
        let start = clock::parse_moment("2026-10-25T00:00:00Z").expect("a moment");
        let special = [
            moment(T1),
            moment(T2),
            moment("2026-11-10T09:00:00+09:00"),
            moment(T3),
            moment("2026-12-01T00:00:00Z"),
            Since::LatestBuild,
        ];
        let subjects: Vec<(Subject, Since)> = (catalog.needs.iter().step_by(6))
            .map(|n| Subject::Need(n.id.clone()))
            .chain((catalog.proposals.iter().step_by(2)).map(|p| Subject::Proposal(p.id.clone())))
            .enumerate()
            .map(|(i, subject)| {
                let since = match special.get(i % 20) {
                    Some(since) => *since,
                    None => Since::Moment(start + time::Duration::hours(13 * i as i64)),
                };
                (subject, since)
            })
            .collect();
        let distinct: HashSet<SinceKey> = subjects.iter().map(|(_, s)| SinceKey::of(*s)).collect();
        assert!(distinct.len() > 60, "{}", distinct.len());
        let expected = news_over_every_record(&source, &subjects);
        let found = source.news(&subjects);
        assert_eq!(found, expected);
        let with_news = found.iter().filter(|n| !n.items.is_empty()).count();
        assert!(
            with_news > 30 && found.len() < subjects.len(),
            "{with_news} of {}",
            found.len()
        );
    }

    /// Five builds: one written with another offset, one whose moment cannot be read, one a
    /// plain date, one a nanosecond past a round instant; custodians and a researcher id
    /// padded with spaces, a researcher id twice, a dataset id twice. With `late`, a record
    /// of the first build keeps one state, recorded after the last build by hand: the latest
    /// change is then no instant at which a changeable record changed.
    fn five_builds(late: bool) -> (Catalog, History) {
        let full = synthetic::catalog(900, 5);
        let builds = [
            "2026-11-01T00:00:00Z",
            "2026-11-10T09:00:00+09:00",
            "t3",
            "2026-11-15",
            "2026-11-20T00:00:00.000000001Z",
        ];
        let mut catalog = full.clone();
        catalog.datasets.truncate(full.datasets.len() - 25);
        catalog.researchers.truncate(full.researchers.len() - 10);
        let first_researchers = catalog.researchers.len();
        let mut twin = catalog.researchers[3].clone();
        twin.name = "Another with the same id".into();
        catalog.researchers.push(twin);
        catalog.researchers[7].id = format!(" {} ", catalog.researchers[7].id);
        let (r7, r3) = (
            catalog.researchers[7].id.trim().to_string(),
            catalog.researchers[3].id.clone(),
        );
        let org2 = catalog.organizations[2].id.clone();
        for (i, d) in catalog.datasets.iter_mut().enumerate() {
            match i % 8 {
                1 => d.custodian = Some(format!("  {r3}")),
                2 => d.custodian = Some(r7.clone()),
                4 => d.custodian = Some(format!("{org2} ")),
                5 => d.custodian = Some(format!("R{:07}", i % first_researchers)),
                _ => {}
            }
        }
        let twin = Dataset {
            cases: 1,
            ..catalog.datasets[9].clone()
        };
        catalog.datasets.push(twin);
        let mut history = History::default();
        history
            .record_build(&catalog, builds[0])
            .expect("in memory");
        for (b, at) in builds.iter().enumerate().skip(1) {
            let have = catalog.datasets.len() - 1;
            let upto = (have + 5).min(full.datasets.len());
            catalog
                .datasets
                .extend_from_slice(&full.datasets[have.min(upto)..upto]);
            if b == 2 {
                catalog
                    .researchers
                    .extend_from_slice(&full.researchers[first_researchers..]);
            }
            for (i, d) in catalog.datasets.iter_mut().enumerate() {
                if (i + b) % 7 == 0 {
                    d.cases += 100;
                }
                if (i * 3 + b) % 11 == 0 {
                    d.data_use = if d.data_use.iter().any(|c| c == "NCU") {
                        vec!["GRU".into()]
                    } else {
                        vec!["HMB".into(), "NCU".into()]
                    };
                }
                if (i + 2 * b) % 13 == 0 {
                    d.modalities.push(format!("M{b}"));
                }
                if (i + b) % 19 == 0 {
                    // Back to an earlier state, in value.
                    d.cases = d.cases.saturating_sub(100);
                }
            }
            history.record_build(&catalog, at).expect("in memory");
        }
        if late {
            let id = catalog.datasets[0].id.clone();
            let record = history.records.get_mut(&id).expect("recorded");
            record.states.truncate(1);
            record.first_build = 1;
            record.states[0].at = crate::history::Moment::from("2026-11-25T00:00:00Z");
        }
        (catalog, history)
    }

    #[test]
    fn news_is_exact_from_every_instant_and_a_nanosecond_either_side() {
        let plus9 = time::UtcOffset::from_hms(9, 0, 0).expect("an offset");
        let minus5 = time::UtcOffset::from_hms(-5, 0, 0).expect("an offset");
        let near = [
            time::Duration::ZERO,
            time::Duration::nanoseconds(-1),
            time::Duration::nanoseconds(1),
            time::Duration::seconds(-1),
            time::Duration::hours(1),
        ];
        for late in [false, true] {
            let (catalog, history) = five_builds(late);
            let candidates = Candidates::read(&catalog, Vocabulary::builtin());
            let source = source_of(&catalog, &candidates, &history);
            // Every instant in the history, each near moment in three offsets.
            let mut instants: Vec<OffsetDateTime> = (history.records.values())
                .flat_map(|r| {
                    [&r.first_seen]
                        .into_iter()
                        .chain(r.states.iter().map(|s| &s.at))
                })
                .filter_map(|at| clock::parse_moment(at).ok())
                .collect();
            instants.sort();
            instants.dedup();
            let mut sinces = vec![
                Since::LatestBuild,
                moment("2020-01-01T00:00:00Z"),
                moment("2030-01-01T00:00:00Z"),
            ];
            for t in instants {
                for d in near {
                    for offset in [time::UtcOffset::UTC, plus9, minus5] {
                        sinces.push(Since::Moment((t + d).to_offset(offset)));
                    }
                }
            }
            let ids: Vec<Subject> = (catalog.needs.iter().map(|n| Subject::Need(n.id.clone())))
                .chain((catalog.proposals.iter()).map(|p| Subject::Proposal(p.id.clone())))
                .collect();
            let subjects: Vec<(Subject, Since)> = (sinces.iter().enumerate())
                .flat_map(|(i, since)| (0..3).map(move |j| (i * 7 + j * 13, *since)))
                .map(|(k, since)| (ids[k % ids.len()].clone(), since))
                .collect();
            let expected = news_over_every_record(&source, &subjects);
            let found = source.news(&subjects);
            assert_eq!(found, expected, "late: {late}");
            assert!(found.iter().any(|n| !n.items.is_empty()), "late: {late}");
            for (subject, since) in subjects.iter().step_by(11) {
                let asked = [(subject.clone(), *since)];
                assert_eq!(source.news(&asked), news_over_every_record(&source, &asked));
            }
        }
    }

    #[test]
    fn a_build_that_only_adds_partners_parts_the_moments_before_and_after_it() {
        // Its moment is an instant at which news changes through the partners' first_seen
        // alone; the later moment is asked first.
        let full = synthetic::catalog(900, 5);
        let mut catalog = full.clone();
        catalog.researchers.truncate(full.researchers.len() - 15);
        catalog.organizations.truncate(full.organizations.len() - 5);
        let mut history = History::default();
        history.record_build(&catalog, T1).expect("in memory");
        for d in catalog.datasets.iter_mut().step_by(5) {
            d.cases += 100;
        }
        history
            .record_build(&catalog, "2026-11-05T00:00:00Z")
            .expect("in memory");
        catalog.researchers = full.researchers.clone();
        catalog.organizations = full.organizations.clone();
        history.record_build(&catalog, T2).expect("in memory");
        for d in catalog.datasets.iter_mut().step_by(3) {
            d.cases += 100;
        }
        history
            .record_build(&catalog, "2026-11-15T00:00:00Z")
            .expect("in memory");
        let candidates = Candidates::read(&catalog, Vocabulary::builtin());
        let source = source_of(&catalog, &candidates, &history);
        let subjects: Vec<(Subject, Since)> = [
            moment("2026-11-12T00:00:00Z"),
            moment("2026-11-07T00:00:00Z"),
        ]
        .iter()
        .flat_map(|since| {
            (catalog.needs.iter().map(|n| Subject::Need(n.id.clone())))
                .chain((catalog.proposals.iter()).map(|p| Subject::Proposal(p.id.clone())))
                .map(move |s| (s, *since))
        })
        .collect();
        let expected = news_over_every_record(&source, &subjects);
        let new_partners = (expected.iter().flat_map(|n| &n.items))
            .filter(|i| i.kind != Kind::Dataset && i.changes.contains(&Change::New))
            .count();
        assert!(new_partners > 0, "partners are new from the earlier moment");
        assert_eq!(source.news(&subjects), expected);
    }
}
