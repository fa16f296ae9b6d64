//! The log read as state: the latest status of each pair, and what a candidate has been
//! through with any subject — what "no double contact" needs to know about one match.

use super::log::Entry;
use super::status::Status;
use serde::Serialize;
use std::collections::BTreeMap;
use time::{Duration, OffsetDateTime};

/// The entries of a log in the order things happened (`at`; equal moments in file order).
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    entries: Vec<Entry>,
}

/// One (subject, candidate) pair and everything logged about it, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct PairHistory<'a> {
    pub subject: &'a str,
    pub candidate: &'a str,
    pub entries: Vec<&'a Entry>,
}

impl PairHistory<'_> {
    /// The pair's latest entry (a pair always has at least one).
    pub fn latest(&self) -> &Entry {
        self.entries[self.entries.len() - 1]
    }
}

/// One logged status, as a match output shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mark {
    pub status: Status,
    /// RFC 3339.
    pub at: String,
    pub by: String,
    pub subject: String,
}

impl From<&Entry> for Mark {
    fn from(e: &Entry) -> Mark {
        Mark {
            status: e.status,
            at: e.at_text(),
            by: e.by.clone(),
            subject: e.subject.clone(),
        }
    }
}

/// What the log says about one candidate of one subject's matches.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Standing {
    /// The latest status of this very pair.
    pub pair: Option<Mark>,
    /// The latest status of the candidate with any subject (may be this pair's).
    pub candidate: Option<Mark>,
    /// The latest contact of the candidate with any subject (`contacted` … `declined`).
    pub last_contacted: Option<Mark>,
    /// The latest contact within this very pair.
    #[serde(skip)]
    pub pair_last_contacted: Option<OffsetDateTime>,
}

impl Standing {
    /// True when this pair was contacted at most `days` days before `now` (and not after it).
    /// A window of 0 days holds nothing, even a contact logged in the same second (`--within 0`
    /// keeps every pair).
    pub fn pair_contacted_within(&self, now: OffsetDateTime, days: u32) -> bool {
        days > 0
            && self
                .pair_last_contacted
                .is_some_and(|at| at <= now && now - at <= Duration::days(i64::from(days)))
    }

    /// True when nothing about the candidate is logged.
    pub fn is_empty(&self) -> bool {
        self.candidate.is_none()
    }
}

impl Ledger {
    /// Orders the entries by time, keeping file order for equal moments.
    pub fn new(mut entries: Vec<Entry>) -> Ledger {
        entries.sort_by_key(|e| e.at);
        Ledger { entries }
    }

    /// Every entry, oldest first.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Every pair with its history, by subject then candidate.
    pub fn pairs(&self) -> Vec<PairHistory<'_>> {
        let mut pairs: BTreeMap<(&str, &str), Vec<&Entry>> = BTreeMap::new();
        for e in &self.entries {
            pairs
                .entry((e.subject.as_str(), e.candidate.as_str()))
                .or_default()
                .push(e);
        }
        pairs
            .into_iter()
            .map(|((subject, candidate), entries)| PairHistory {
                subject,
                candidate,
                entries,
            })
            .collect()
    }

    /// The latest entry about a subject (any candidate), if any: "since the last outreach".
    pub fn last_for_subject(&self, subject: &str) -> Option<&Entry> {
        self.entries.iter().rev().find(|e| e.subject == subject)
    }

    /// What the log says about `candidate` as a match for `subject` (`None`: an ad-hoc subject
    /// with no `adhoc:` name, so only the candidate's own history counts).
    pub fn standing(&self, subject: Option<&str>, candidate: &str) -> Standing {
        let mut standing = Standing::default();
        for e in self.entries.iter().filter(|e| e.candidate == candidate) {
            let same_pair = subject == Some(e.subject.as_str());
            standing.candidate = Some(Mark::from(e));
            if same_pair {
                standing.pair = Some(Mark::from(e));
            }
            if e.status.is_contact() {
                standing.last_contacted = Some(Mark::from(e));
                if same_pair {
                    standing.pair_last_contacted = Some(e.at);
                }
            }
        }
        standing
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outreach::clock::parse_moment;

    fn entry(at: &str, subject: &str, candidate: &str, status: Status) -> Entry {
        Entry {
            at: parse_moment(at).unwrap_or_else(|e| panic!("{e}")),
            by: format!("by-{subject}"),
            subject: subject.into(),
            candidate: candidate.into(),
            status,
            note: String::new(),
        }
    }

    fn ledger() -> Ledger {
        Ledger::new(vec![
            entry("2026-03-01", "N01", "DS-C01", Status::Listed),
            // Logged late, dated earlier: the order is the time it happened.
            entry("2026-04-10", "N01", "DS-C01", Status::Replied),
            entry("2026-04-02", "N01", "DS-C01", Status::Contacted),
            entry("2026-05-01", "N02", "DS-C01", Status::Listed),
            entry("2026-02-01", "N02", "DS-C02", Status::Contacted),
        ])
    }

    #[test]
    fn latest_status_per_pair_follows_the_time_not_the_file_order() {
        let ledger = ledger();
        let pairs = ledger.pairs();
        assert_eq!(pairs.len(), 3);
        assert_eq!(pairs[0].subject, "N01");
        assert_eq!(pairs[0].latest().status, Status::Replied);
        let history: Vec<Status> = pairs[0].entries.iter().map(|e| e.status).collect();
        assert_eq!(
            history,
            [Status::Listed, Status::Contacted, Status::Replied]
        );
    }

    #[test]
    fn standing_shows_the_pair_and_the_candidate_with_any_subject() {
        let standing = ledger().standing(Some("N02"), "DS-C01");
        assert_eq!(
            standing.pair.as_ref().map(|m| m.status),
            Some(Status::Listed)
        );
        let last = standing.last_contacted.as_ref();
        assert_eq!(last.map(|m| m.subject.as_str()), Some("N01"));
        assert_eq!(last.map(|m| m.by.as_str()), Some("by-N01"));
        assert_eq!(last.map(|m| m.status), Some(Status::Replied));
        assert_eq!(
            standing.candidate.map(|m| m.subject),
            Some("N02".to_string())
        );
        assert_eq!(standing.pair_last_contacted, None);
        assert!(ledger().standing(Some("N09"), "DS-C09").is_empty());
    }

    #[test]
    fn contacted_within_counts_days_back_from_now() {
        let standing = ledger().standing(Some("N01"), "DS-C01");
        let now = |t| parse_moment(t).unwrap_or_else(|e| panic!("{e}"));
        assert!(standing.pair_contacted_within(now("2026-07-09"), 90));
        assert!(!standing.pair_contacted_within(now("2026-07-10T00:00:01+09:00"), 90));
        // The very moment of the contact: within a day, never within 0 days.
        let at = standing.pair_last_contacted.expect("contacted");
        assert!(standing.pair_contacted_within(at, 1));
        assert!(!standing.pair_contacted_within(at, 0));
    }

    #[test]
    fn last_outreach_of_a_subject() {
        let ledger = ledger();
        let last = ledger.last_for_subject("N02").map(|e| e.candidate.as_str());
        assert_eq!(last, Some("DS-C01"));
        assert!(ledger.last_for_subject("N09").is_none());
    }
}
