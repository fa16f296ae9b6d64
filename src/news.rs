//! What is new for each need and proposal: candidates that appeared or changed (new record,
//! consent verdict changed, cases grew, new modality) since a moment or since the latest build,
//! read from the record history of the index store (see [`crate::history`]).

use crate::consent::Date;
use crate::history::{DatasetState, History, RecordHistory};
use crate::matching::{MatchItem, MatchOptions, Matcher, Subject};
use crate::model::{Catalog, Kind};
use crate::outreach::clock;
use crate::vocab::Vocabulary;
use serde::Serialize;
use std::collections::HashMap;
use time::OffsetDateTime;

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
    pub vocab: &'a Vocabulary,
    pub history: &'a History,
    pub today: Date,
}

fn after(at: &str, since: OffsetDateTime) -> bool {
    clock::parse_moment(at).is_ok_and(|t| t > since)
}

impl NewsSource<'_> {
    /// True when the record appeared after `since` (records of the first recorded build
    /// were there before history began, so they are never new).
    fn is_new(&self, record: &RecordHistory, since: Since) -> bool {
        record.first_build > 1
            && match since {
                Since::LatestBuild => record.first_build == self.history.builds,
                Since::Moment(t) => after(&record.first_seen, t),
            }
    }

    /// The dataset's state in effect at `since`, if it differs from the latest.
    fn old_state<'h>(&self, record: &'h RecordHistory, since: Since) -> Option<&'h DatasetState> {
        let old = match since {
            Since::LatestBuild => record
                .states
                .iter()
                .rev()
                .find(|s| s.build < self.history.builds),
            // Before history began, the dataset was as the first build saw it.
            Since::Moment(t) => record
                .states
                .iter()
                .rev()
                .find(|s| !after(&s.at, t))
                .or_else(|| record.states.first().filter(|_| record.first_build == 1)),
        }?;
        (Some(old) != record.states.last()).then_some(old)
    }

    /// The catalog as it was at `since` for the datasets that changed.
    fn catalog_then(&self, since: Since) -> Catalog {
        let mut then = self.catalog.clone();
        for d in &mut then.datasets {
            let Some(old) = self
                .history
                .records
                .get(&d.id)
                .and_then(|r| self.old_state(r, since))
            else {
                continue;
            };
            d.data_use = old.data_use.clone();
            d.cases = old.cases;
            d.modalities = old.modalities.clone();
            d.diseases = old.diseases.clone();
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
    fn may_have_news(&self, since: Since, latest: Option<OffsetDateTime>) -> bool {
        match since {
            Since::LatestBuild => self
                .history
                .records
                .values()
                .any(|r| self.is_new(r, since) || self.old_state(r, since).is_some()),
            Since::Moment(t) => latest.is_some_and(|latest| latest > t),
        }
    }

    /// The news of each subject (needs and proposals), each from its own moment. A subject
    /// from a moment after which nothing changed is left out (it has no news), unmatched.
    pub fn news(&self, subjects: &[(Subject, Since)]) -> Vec<SubjectNews> {
        let latest = subjects
            .iter()
            .any(|(_, since)| matches!(since, Since::Moment(_)))
            .then(|| self.latest_change())
            .flatten();
        let mut live: Vec<Since> = Vec::new();
        let mut dead: Vec<Since> = Vec::new();
        for (_, since) in subjects {
            if !live.contains(since) && !dead.contains(since) {
                if self.may_have_news(*since, latest) {
                    live.push(*since);
                } else {
                    dead.push(*since);
                }
            }
        }
        if live.is_empty() {
            return Vec::new();
        }
        let now = Matcher::new(self.catalog, self.vocab, self.today);
        let thens: Vec<(Since, Catalog)> = live
            .iter()
            .map(|since| (*since, self.catalog_then(*since)))
            .collect();
        let options = MatchOptions {
            limit: self.catalog.len().max(1),
            include_blocked: true,
            ..MatchOptions::default()
        };
        // One matcher per moment: reading every candidate is most of a match's cost.
        let matchers: Vec<(Since, Matcher)> = thens
            .iter()
            .map(|(since, catalog)| (*since, Matcher::new(catalog, self.vocab, self.today)))
            .collect();
        let mut out = Vec::new();
        for (subject, since) in subjects {
            // A subject from a moment nothing changed after has no matcher: it has no news.
            let Some((_, then)) = matchers.iter().find(|(s, _)| s == since) else {
                continue;
            };
            let (Ok(report), Ok(before)) =
                (now.run(subject, &options), then.run(subject, &options))
            else {
                continue;
            };
            let verdicts_then: HashMap<&str, String> = before
                .datasets
                .iter()
                .map(|i| (i.id.as_str(), verdict(i)))
                .collect();
            let mut items = Vec::new();
            for item in report.datasets.iter().chain(&report.partners) {
                let Some(record) = self.history.records.get(&item.id) else {
                    continue;
                };
                let mut changes = Vec::new();
                if self.is_new(record, *since) {
                    changes.push(Change::New);
                } else if let Some(old) = self.old_state(record, *since) {
                    let to = verdict(item);
                    if let Some(from) = verdicts_then.get(item.id.as_str()) {
                        if *from != to {
                            changes.push(Change::Consent {
                                from: from.clone(),
                                to,
                            });
                        }
                    }
                    if let Some(d) = self.catalog.datasets.iter().find(|d| d.id == item.id) {
                        if d.cases > old.cases {
                            changes.push(Change::CasesGrew {
                                from: old.cases,
                                to: d.cases,
                            });
                        }
                        let added: Vec<String> = d
                            .modalities
                            .iter()
                            .filter(|m| !old.modalities.contains(m))
                            .cloned()
                            .collect();
                        if !added.is_empty() {
                            changes.push(Change::NewModality { added });
                        }
                    }
                }
                if !changes.is_empty() {
                    items.push(NewsItem {
                        candidate: item.id.clone(),
                        kind: item.kind,
                        title: item.title.clone(),
                        changed: record.last_changed.to_string(),
                        changes,
                    });
                }
            }
            out.push(SubjectNews {
                subject: report.subject.id.clone().unwrap_or_default(),
                kind: report.subject.kind.as_str(),
                title: report.subject.title.clone(),
                since: match since {
                    Since::LatestBuild => "the latest build".to_string(),
                    Since::Moment(t) => clock::format(*t),
                },
                items,
            });
        }
        out
    }
}

/// `allowed`, or the rule that blocks.
fn verdict(item: &MatchItem) -> String {
    match &item.blocked {
        Some(rule) => format!("blocked ({rule})"),
        None => "allowed".to_string(),
    }
}
