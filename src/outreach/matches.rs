//! The log beside match results: "no double contact". Front ends call these to add the
//! `outreach` field (JSON), the `outreach_status`, `last_contacted` and `last_contacted_by`
//! columns (CSV/XLSX), and to leave out pairs contacted recently (`--exclude-contacted`).

use super::clock;
use super::ledger::{Ledger, Standing};
use crate::matching::{MatchItem, MatchReport, OutreachNote};
use time::OffsetDateTime;

/// How far back `--exclude-contacted` looks unless told (`--within DAYS`).
pub const DEFAULT_WITHIN_DAYS: u32 = 90;

/// The column names, in order, that [`columns`] fills.
pub const COLUMNS: [&str; 3] = ["outreach_status", "last_contacted", "last_contacted_by"];

/// The log's key for a report's subject: its id (`None` for an unnamed ad-hoc need).
pub fn subject_key(report: &MatchReport) -> Option<&str> {
    report.subject.id.as_deref()
}

/// What the log says about one item of a report.
pub fn standing_of(ledger: &Ledger, report: &MatchReport, item: &MatchItem) -> Standing {
    ledger.standing(subject_key(report), &item.id)
}

/// The three columns of [`COLUMNS`]: the pair's latest status (else the candidate's latest with
/// another subject, naming it), the Japan date of the candidate's latest contact with any
/// subject, and who made it. Empty strings when nothing is logged.
pub fn columns(standing: &Standing) -> [String; 3] {
    let status = match (&standing.pair, &standing.candidate) {
        (Some(pair), _) => pair.status.to_string(),
        (None, Some(other)) => format!("{} ({})", other.status, other.subject),
        (None, None) => String::new(),
    };
    let (date, by) = match &standing.last_contacted {
        Some(mark) => (
            clock::parse_moment(&mark.at)
                .map(|at| clock::japan_date(at).to_string())
                .unwrap_or_else(|_| mark.at.clone()),
            mark.by.clone(),
        ),
        None => (String::new(), String::new()),
    };
    [status, date, by]
}

/// The `outreach` field of a JSON item: `pair`, `candidate` and `last_contacted`, each a mark
/// (`status`, `at`, `by`, `subject`) or null.
pub fn json(standing: &Standing) -> serde_json::Value {
    serde_json::to_value(standing).unwrap_or(serde_json::Value::Null)
}

/// Puts the log's word on every item of the report that the log mentions (the item's
/// `outreach`, which JSON shows and CSV/XLSX turn into the [`COLUMNS`]).
pub fn annotate(report: &mut MatchReport, ledger: &Ledger) {
    let subject = report.subject.id.clone();
    for section in [
        &mut report.datasets,
        &mut report.partners,
        &mut report.proposals,
    ] {
        for item in section.iter_mut() {
            let standing = ledger.standing(subject.as_deref(), &item.id);
            if standing.pair.is_none() && standing.candidate.is_none() {
                continue;
            }
            let [status, last_contacted, last_contacted_by] = columns(&standing);
            item.outreach = Some(OutreachNote {
                status,
                last_contacted,
                last_contacted_by,
                log: json(&standing),
            });
        }
    }
}

/// Leaves out of every section the items whose pair was contacted within `days` days before
/// `now`; returns how many were left out.
pub fn exclude_contacted(
    report: &mut MatchReport,
    ledger: &Ledger,
    now: OffsetDateTime,
    days: u32,
) -> usize {
    let subject = report.subject.id.clone();
    let mut left_out = 0;
    for section in [
        &mut report.datasets,
        &mut report.partners,
        &mut report.proposals,
    ] {
        let before = section.len();
        section.retain(|item| {
            !ledger
                .standing(subject.as_deref(), &item.id)
                .pair_contacted_within(now, days)
        });
        left_out += before - section.len();
    }
    left_out
}

/// One `listed` line for every item of the reports (an export's `--log`), to append in one go
/// with [`super::append`]. Items of an unnamed ad-hoc subject are logged under `ad_hoc`
/// (`adhoc:<name>`), or left out when it is `None`.
pub fn listed_entries(
    reports: &[MatchReport],
    ad_hoc: Option<&str>,
    by: &str,
    at: OffsetDateTime,
    note: &str,
) -> Vec<super::Entry> {
    let mut entries = Vec::new();
    for report in reports {
        let Some(subject) = subject_key(report).or(ad_hoc) else {
            continue;
        };
        for (_, items) in report.sections() {
            for item in items {
                entries.push(super::Entry {
                    at,
                    by: by.to_string(),
                    subject: subject.to_string(),
                    candidate: item.id.clone(),
                    status: super::Status::Listed,
                    note: note.to_string(),
                });
            }
        }
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::{MatchSubject, SubjectKind};
    use crate::model::Kind;
    use crate::outreach::{Entry, Status};

    fn entry(at: &str, subject: &str, candidate: &str, status: Status) -> Entry {
        Entry {
            at: clock::parse_moment(at).unwrap_or_else(|e| panic!("{e}")),
            by: "ito".into(),
            subject: subject.into(),
            candidate: candidate.into(),
            status,
            note: String::new(),
        }
    }

    fn item(id: &str) -> MatchItem {
        MatchItem::new(id.into(), Kind::Dataset, id.into(), 0.5, Vec::new())
    }

    fn report() -> MatchReport {
        MatchReport {
            subject: MatchSubject::new(
                Some("N01".into()),
                SubjectKind::Need,
                "膵がん".into(),
                true,
            ),
            datasets: vec![item("DS-1"), item("DS-2"), item("DS-3")],
            partners: Vec::new(),
            proposals: Vec::new(),
        }
    }

    fn ledger() -> Ledger {
        Ledger::new(vec![
            entry("2026-01-10", "N01", "DS-1", Status::Contacted),
            entry("2026-03-20", "N01", "DS-2", Status::Replied),
            entry("2026-03-25", "N09", "DS-3", Status::Meeting),
            entry("2026-03-26", "N01", "DS-3", Status::Listed),
        ])
    }

    #[test]
    fn columns_show_the_pair_then_the_candidate_with_any_subject() {
        let ledger = ledger();
        let report = report();
        let cols = |i: usize| columns(&standing_of(&ledger, &report, &report.datasets[i]));
        assert_eq!(cols(0), ["contacted", "2026-01-10", "ito"]);
        assert_eq!(cols(2), ["listed", "2026-03-25", "ito"]);
        let fresh = columns(&ledger.standing(Some("N01"), "DS-9"));
        assert_eq!(fresh, ["", "", ""]);
        let other = columns(&ledger.standing(Some("N02"), "DS-3"));
        assert_eq!(other[0], "listed (N01)");
        let value = json(&standing_of(&ledger, &report, &report.datasets[1]));
        assert_eq!(value["pair"]["status"], "replied");
        assert_eq!(value["last_contacted"]["at"], "2026-03-20T00:00:00+09:00");
    }

    #[test]
    fn an_export_lists_every_row_once() {
        let now = clock::parse_moment("2026-04-01").unwrap_or_else(|e| panic!("{e}"));
        let entries = listed_entries(&[report()], None, "ito", now, "export");
        let pairs: Vec<(&str, &str)> = entries
            .iter()
            .map(|e| (e.subject.as_str(), e.candidate.as_str()))
            .collect();
        assert_eq!(pairs, [("N01", "DS-1"), ("N01", "DS-2"), ("N01", "DS-3")]);
        assert!(entries.iter().all(|e| e.status == Status::Listed));
        let mut ad_hoc = report();
        ad_hoc.subject.id = None;
        assert!(listed_entries(&[ad_hoc.clone()], None, "ito", now, "").is_empty());
        let named = listed_entries(&[ad_hoc], Some("adhoc:pharma"), "ito", now, "");
        assert_eq!(named[0].subject, "adhoc:pharma");
    }

    #[test]
    fn only_pairs_contacted_within_the_days_are_left_out() {
        let mut report = report();
        let now = clock::parse_moment("2026-04-01").unwrap_or_else(|e| panic!("{e}"));
        let left_out = exclude_contacted(&mut report, &ledger(), now, 30);
        assert_eq!(left_out, 1);
        let ids: Vec<&str> = report.datasets.iter().map(|i| i.id.as_str()).collect();
        // DS-1: contacted 81 days before; DS-3: only listed for this subject.
        assert_eq!(ids, ["DS-1", "DS-3"]);
        let mut all = self::report();
        assert_eq!(
            exclude_contacted(&mut all, &ledger(), now, DEFAULT_WITHIN_DAYS),
            2
        );
    }
}
