//! The match list's outreach side: a filter on where each pair stands in the outreach log, the
//! "new" marks (candidates that appeared or changed since the subject's last outreach, as
//! `musubi news` finds them) and a "new only" filter.

use super::cycle::NewsMarks;
use super::gaps_screen::GapsState;
use crate::matching::MatchItem;
use crate::outreach::Status;

/// Which items the match list keeps, by the outreach log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutreachFilter {
    /// Every item.
    #[default]
    All,
    /// Nobody has contacted the candidate yet, for this subject or any other (no double
    /// contact).
    NotContacted,
    /// This pair's latest status is `contacted`: written to, no answer yet.
    Contacted,
    /// This pair is under way: `replied`, `meeting` or `applied`.
    InTalks,
    /// This pair is settled: `approved`, `declined` or `closed`.
    Settled,
}

impl OutreachFilter {
    /// The order the key cycles through.
    pub const ORDER: [OutreachFilter; 5] = [
        OutreachFilter::All,
        OutreachFilter::NotContacted,
        OutreachFilter::Contacted,
        OutreachFilter::InTalks,
        OutreachFilter::Settled,
    ];

    /// The next filter of [`Self::ORDER`].
    pub fn next(self) -> OutreachFilter {
        let i = Self::ORDER.iter().position(|f| *f == self).unwrap_or(0);
        Self::ORDER[(i + 1) % Self::ORDER.len()]
    }

    /// The filter in a few words.
    pub fn label(self) -> &'static str {
        match self {
            OutreachFilter::All => "all",
            OutreachFilter::NotContacted => "not contacted",
            OutreachFilter::Contacted => "contacted",
            OutreachFilter::InTalks => "in talks",
            OutreachFilter::Settled => "settled",
        }
    }

    /// True when the filter keeps `item`.
    pub fn keeps(self, item: &MatchItem) -> bool {
        let pair = pair_status(item);
        match self {
            OutreachFilter::All => true,
            OutreachFilter::NotContacted => item
                .outreach
                .as_ref()
                .is_none_or(|note| note.last_contacted.is_empty()),
            OutreachFilter::Contacted => pair == Some(Status::Contacted),
            OutreachFilter::InTalks => matches!(
                pair,
                Some(Status::Replied | Status::Meeting | Status::Applied)
            ),
            OutreachFilter::Settled => matches!(
                pair,
                Some(Status::Approved | Status::Declined | Status::Closed)
            ),
        }
    }
}

/// The latest status of the item's pair (this subject and this candidate), from the log's
/// word on the item.
pub fn pair_status(item: &MatchItem) -> Option<Status> {
    item.outreach
        .as_ref()?
        .log
        .get("pair")?
        .get("status")?
        .as_str()?
        .parse()
        .ok()
}

/// The outreach side of one match list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MatchCycle {
    pub filter: OutreachFilter,
    /// Keep only the candidates marked new.
    pub new_only: bool,
    /// What is new for the subject (`None` until known, and for subjects news does not cover).
    pub news: Option<NewsMarks>,
    /// The Gaps view this list was opened from: `Esc` goes back to it, selection kept.
    pub back_to_gaps: Option<Box<GapsState>>,
}

impl MatchCycle {
    /// True when both filters keep `item`.
    pub fn keeps(&self, item: &MatchItem) -> bool {
        self.filter.keeps(item) && (!self.new_only || self.change_of(&item.id).is_some())
    }

    /// What is new about a candidate, in words, if anything.
    pub fn change_of(&self, id: &str) -> Option<&str> {
        self.news
            .as_ref()
            .and_then(|n| n.changes.get(id))
            .map(String::as_str)
    }

    /// The filters in force, for the list's header and the status line (`None`: no filter).
    pub fn describe(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.filter != OutreachFilter::All {
            parts.push(format!("outreach: {}", self.filter.label()));
        }
        if self.new_only {
            parts.push("new only".to_string());
        }
        (!parts.is_empty()).then(|| parts.join(" · "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::OutreachNote;
    use crate::model::Kind;
    use serde_json::json;

    fn item(id: &str, pair: Option<&str>, last_contacted: &str) -> MatchItem {
        let mut item = MatchItem::new(id.into(), Kind::Dataset, id.into(), 1.0, Vec::new());
        if pair.is_some() || !last_contacted.is_empty() {
            item.outreach = Some(OutreachNote {
                status: pair.unwrap_or_default().into(),
                last_contacted: last_contacted.into(),
                last_contacted_by: "tester".into(),
                log: json!({ "pair": pair.map(|s| json!({ "status": s })) }),
            });
        }
        item
    }

    #[test]
    fn each_filter_keeps_the_pairs_at_its_stage() {
        let fresh = item("A", None, "");
        let listed = item("B", Some("listed"), "");
        let contacted = item("C", Some("contacted"), "2026-11-01");
        let elsewhere = item("D", None, "2026-11-02");
        let meeting = item("E", Some("meeting"), "2026-11-03");
        let declined = item("F", Some("declined"), "2026-11-04");
        let all = [&fresh, &listed, &contacted, &elsewhere, &meeting, &declined];
        let kept = |f: OutreachFilter| -> Vec<&str> {
            all.iter()
                .filter(|i| f.keeps(i))
                .map(|i| i.id.as_str())
                .collect()
        };
        assert_eq!(kept(OutreachFilter::All).len(), 6);
        assert_eq!(kept(OutreachFilter::NotContacted), ["A", "B"]);
        assert_eq!(kept(OutreachFilter::Contacted), ["C"]);
        assert_eq!(kept(OutreachFilter::InTalks), ["E"]);
        assert_eq!(kept(OutreachFilter::Settled), ["F"]);
    }

    #[test]
    fn the_key_cycles_through_every_filter_and_back() {
        let mut f = OutreachFilter::All;
        let mut seen = vec![f];
        for _ in 0..OutreachFilter::ORDER.len() {
            f = f.next();
            seen.push(f);
        }
        assert_eq!(seen.first(), seen.last());
        assert_eq!(&seen[..5], &OutreachFilter::ORDER);
    }

    #[test]
    fn new_only_keeps_the_candidates_news_names() {
        let mut cycle = MatchCycle::default();
        assert_eq!(cycle.describe(), None);
        cycle.news = Some(NewsMarks {
            subject: "N01".into(),
            since: "the latest index build".into(),
            changes: [("A".to_string(), "new record".to_string())].into(),
        });
        cycle.new_only = true;
        cycle.filter = OutreachFilter::NotContacted;
        assert!(cycle.keeps(&item("A", None, "")));
        assert!(!cycle.keeps(&item("B", None, "")));
        assert!(!cycle.keeps(&item("A", Some("contacted"), "2026-11-01")));
        assert_eq!(
            cycle.describe().as_deref(),
            Some("outreach: not contacted · new only")
        );
    }
}
