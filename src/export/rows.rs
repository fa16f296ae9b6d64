//! Outreach rows: one per match item, with the contact details the privacy rule allows. Datasets
//! the consent rules block or leave for review are left out unless asked for, and then never
//! carry a custodian's contact.

use crate::consent::Verdict;
use crate::i18n::{text, Key, Lang};
use crate::matching::{MatchItem, MatchReport};
use crate::model::{Dataset, Kind, Need, Organization, Proposal, Researcher};
use crate::records::Records;
use std::collections::{HashMap, HashSet};

/// The note every export carries about contact details (English; see [`privacy_note`]).
pub const PRIVACY_NOTE: &str = "Contact details are personal data. Only people and organisations \
who agreed to be contacted (contact_ok) are listed with contact details; the others are listed \
without them and marked \"details withheld\".";

/// The privacy note in one language.
pub fn privacy_note(lang: Lang) -> &'static str {
    match lang {
        Lang::En => PRIVACY_NOTE,
        Lang::Ja => text(Key::PrivacyNote, lang),
    }
}

/// The data-use conditions that get a column of their own in CSV and XLSX, in column order.
pub const CONDITION_CODES: [&str; 10] = [
    "COL", "IRB", "PUB", "GS", "MOR", "RTN", "TS", "NMDS", "GSO", "NCTRL",
];

/// Why a row has, or lacks, contact details.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactStatus {
    /// The person or organisation agreed to be contacted: details shown.
    Consented,
    /// A contact exists but has not agreed: details withheld.
    Withheld,
    /// No person or organisation record to contact.
    NotOnFile,
    /// A dataset the consent rules do not offer: its custodian's contact is never written.
    NotOffered,
}

impl ContactStatus {
    /// The per-row note (the CSV's `contact_note` column), in English.
    pub fn note(self) -> &'static str {
        self.note_in(Lang::En)
    }

    /// The per-row note in one language.
    pub fn note_in(self, lang: Lang) -> &'static str {
        let key = match self {
            ContactStatus::Consented => Key::ContactConsented,
            ContactStatus::Withheld => Key::ContactWithheld,
            ContactStatus::NotOnFile => Key::ContactNotOnFile,
            ContactStatus::NotOffered => Key::ContactNotOffered,
        };
        text(key, lang)
    }
}

/// One match item ready for outreach.
#[derive(Debug, Clone, PartialEq)]
pub struct OutreachRow {
    /// The subject the item matched, "title (id)".
    pub subject: String,
    /// `Datasets`, `Partners` or `Proposals`.
    pub section: &'static str,
    /// 1-based position within its section.
    pub rank: usize,
    pub match_id: String,
    pub kind: Kind,
    /// The name or title as written (never with a romanised name added).
    pub name: String,
    /// The English name or title, where the record has one.
    pub name_en: String,
    pub organisation: String,
    pub contact_name: String,
    pub email: String,
    pub score: f64,
    pub reasons: Vec<String>,
    pub conditions: Vec<String>,
    /// Each condition's code, same order as `conditions`.
    pub condition_codes: Vec<String>,
    pub contact: ContactStatus,
    pub blocked: Option<String>,
    /// Datasets: the consent verdict.
    pub verdict: Option<Verdict>,
    /// Datasets: the data-use code that decided.
    pub rule: String,
    /// Datasets: the codes as written.
    pub data_use: Vec<String>,
    /// Datasets: the number of cases.
    pub cases: Option<u64>,
    /// Datasets: the modalities as written.
    pub modalities: Vec<String>,
    pub requester_id: String,
    pub requester_name: String,
    /// The only disease link is a shared broad group.
    pub related_field_only: bool,
    /// The outreach log's latest status of the pair (or of the candidate elsewhere), the
    /// candidate's last contact date and who made it; empty when the log says nothing.
    pub outreach: [String; 3],
}

impl OutreachRow {
    /// True when the row shows a contact name or an email.
    pub fn has_contact_details(&self) -> bool {
        !self.contact_name.is_empty() || !self.email.is_empty()
    }

    /// The words of the condition with this code (`COL`, `MOR`…), empty when there is none.
    pub fn condition(&self, code: &str) -> String {
        self.condition_codes
            .iter()
            .zip(&self.conditions)
            .filter(|(c, _)| code_name(c) == code)
            .map(|(_, words)| words.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// `MOR:2026-01-01` → `MOR`.
fn code_name(code: &str) -> String {
    code.split(':')
        .next()
        .unwrap_or(code)
        .trim()
        .to_ascii_uppercase()
}

/// The rows of an export and what was left out of it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OutreachRows {
    pub rows: Vec<OutreachRow>,
    /// Blocked and for-review datasets left out (not asked for).
    pub left_out: usize,
    /// How many of those were for review (the rest were blocked by a rule).
    pub left_out_for_review: usize,
}

/// The rows of all reports, in report, section and rank order. Blocked and for-review datasets
/// are left out unless `include_blocked`; when included, they carry no custodian contact.
pub fn outreach_rows(
    reports: &[MatchReport],
    records: &dyn Records,
    include_blocked: bool,
) -> OutreachRows {
    let records = ById::of(records, reports);
    let mut out = OutreachRows::default();
    for report in reports {
        let subject = report.subject.display_name();
        for (section, items) in report.sections() {
            let mut rank = 0;
            for item in items {
                if item.is_blocked() && !include_blocked {
                    out.left_out += 1;
                    if item.verdict == Some(Verdict::Review) {
                        out.left_out_for_review += 1;
                    }
                    continue;
                }
                rank += 1;
                let mut r = row(&subject, section, rank, item, &records);
                r.requester_id = report.subject.requester_id.clone().unwrap_or_default();
                r.requester_name = report.subject.requester_name.clone().unwrap_or_default();
                out.rows.push(r);
            }
        }
    }
    out
}

/// The items of a report that an export writes, section by section (same filter as
/// [`outreach_rows`]).
pub fn exported_items(items: &[MatchItem], include_blocked: bool) -> Vec<&MatchItem> {
    items
        .iter()
        .filter(|i| include_blocked || !i.is_blocked())
        .collect()
}

/// The records an export names, by id: each item, and the parties whose contact details an
/// item carries (a dataset's custodian, a proposal's proposer, a need's owner). Found in one
/// pass over each kind's ids (a scan per row made an `--all-needs` export quadratic in the
/// catalog's size); when several records share an id, the last is kept.
struct ById<'c> {
    researchers: HashMap<&'c str, &'c Researcher>,
    organizations: HashMap<&'c str, &'c Organization>,
    datasets: HashMap<&'c str, &'c Dataset>,
    proposals: HashMap<&'c str, &'c Proposal>,
    needs: HashMap<&'c str, &'c Need>,
}

/// The records of one kind whose ids are wanted, the last of each id.
fn wanted<'c, T: 'c>(
    records: &'c dyn Records,
    kind: Kind,
    wanted: &HashSet<&str>,
    get: impl Fn(usize) -> Option<&'c T>,
) -> HashMap<&'c str, &'c T> {
    let mut found = HashMap::new();
    if wanted.is_empty() {
        return found;
    }
    for at in 0..records.count(kind) {
        let id = records.id(kind, at);
        if wanted.contains(id) {
            if let Some(record) = get(at) {
                found.insert(id, record);
            }
        }
    }
    found
}

impl<'c> ById<'c> {
    fn of(records: &'c dyn Records, reports: &[MatchReport]) -> Self {
        let items = || {
            reports
                .iter()
                .flat_map(|r| r.sections())
                .flat_map(|(_, items)| items.iter())
        };
        let of_kind = |kind: Kind| -> HashSet<&str> {
            items()
                .filter(|i| i.kind == kind)
                .map(|i| i.id.as_str())
                .collect()
        };
        let datasets = wanted(records, Kind::Dataset, &of_kind(Kind::Dataset), |at| {
            records.dataset(at)
        });
        let proposals = wanted(records, Kind::Proposal, &of_kind(Kind::Proposal), |at| {
            records.proposal(at)
        });
        let needs = wanted(records, Kind::Need, &of_kind(Kind::Need), |at| {
            records.need(at)
        });
        let mut parties: HashSet<&str> = items()
            .filter(|i| matches!(i.kind, Kind::Researcher | Kind::Organization))
            .map(|i| i.id.as_str())
            .collect();
        let named = datasets
            .values()
            .filter_map(|d| d.custodian.as_deref())
            .chain(proposals.values().filter_map(|p| p.proposer.as_deref()))
            .chain(needs.values().filter_map(|n| n.owner.as_deref()));
        parties.extend(named.map(str::trim));
        ById {
            researchers: wanted(records, Kind::Researcher, &parties, |at| {
                records.researcher(at)
            }),
            organizations: wanted(records, Kind::Organization, &parties, |at| {
                records.organization(at)
            }),
            datasets,
            proposals,
            needs,
        }
    }
}

/// Someone who could be contacted about a match.
struct Party {
    organisation: String,
    contact_name: String,
    email: String,
    consent: bool,
}

fn row(
    subject: &str,
    section: &'static str,
    rank: usize,
    item: &MatchItem,
    records: &ById,
) -> OutreachRow {
    let (name, name_en, organisation, party) = describe(item, records);
    let (contact, contact_name, email) = match party {
        _ if item.is_blocked() => (ContactStatus::NotOffered, String::new(), String::new()),
        None => (ContactStatus::NotOnFile, String::new(), String::new()),
        Some(p) if !p.consent => (ContactStatus::Withheld, String::new(), String::new()),
        Some(p) => (ContactStatus::Consented, p.contact_name, p.email),
    };
    let dataset = (item.kind == Kind::Dataset)
        .then(|| records.datasets.get(item.id.as_str()))
        .flatten();
    OutreachRow {
        subject: subject.to_string(),
        section,
        rank,
        match_id: item.id.clone(),
        kind: item.kind,
        name,
        name_en,
        organisation,
        contact_name,
        email,
        score: item.score,
        reasons: item.reasons.clone(),
        conditions: item.conditions.clone(),
        condition_codes: item.condition_codes.clone(),
        contact,
        blocked: item.blocked.clone(),
        verdict: item.verdict,
        rule: item.rule.clone().unwrap_or_default(),
        data_use: item.data_use.clone(),
        cases: dataset.map(|d| d.cases),
        modalities: dataset.map(|d| d.modalities.clone()).unwrap_or_default(),
        requester_id: String::new(),
        requester_name: String::new(),
        related_field_only: item.related_field_only,
        outreach: item
            .outreach
            .as_ref()
            .map(|o| {
                [
                    o.status.clone(),
                    o.last_contacted.clone(),
                    o.last_contacted_by.clone(),
                ]
            })
            .unwrap_or_default(),
    }
}

/// The item's display name, its English name, its organisation, and whom to contact.
fn describe(item: &MatchItem, records: &ById) -> (String, String, String, Option<Party>) {
    let name_en = item.title_en.clone().unwrap_or_default();
    match item.kind {
        Kind::Researcher | Kind::Organization => match party(&item.id, records) {
            Some((name, en, p)) => (name, en, p.organisation.clone(), Some(p)),
            None => (item.title.clone(), name_en, String::new(), None),
        },
        Kind::Dataset => {
            let custodian = records
                .datasets
                .get(item.id.as_str())
                .and_then(|d| d.custodian.as_deref())
                .map(str::trim)
                .filter(|c| !c.is_empty());
            match custodian.and_then(|c| party(c, records)) {
                Some((_, _, p)) => (item.title.clone(), name_en, p.organisation.clone(), Some(p)),
                // Not a record: the custodian as written.
                None => (
                    item.title.clone(),
                    name_en,
                    custodian.unwrap_or_default().to_string(),
                    None,
                ),
            }
        }
        Kind::Proposal | Kind::Need => {
            let owner = match item.kind {
                Kind::Proposal => records
                    .proposals
                    .get(item.id.as_str())
                    .and_then(|p| p.proposer.clone()),
                _ => records
                    .needs
                    .get(item.id.as_str())
                    .and_then(|n| n.owner.clone()),
            };
            match owner
                .as_deref()
                .map(str::trim)
                .and_then(|o| party(o, records))
            {
                Some((_, _, p)) => (item.title.clone(), name_en, p.organisation.clone(), Some(p)),
                None => (item.title.clone(), name_en, String::new(), None),
            }
        }
    }
}

/// The researcher or organisation with this id: its name, English name and contact.
fn party(id: &str, records: &ById) -> Option<(String, String, Party)> {
    if let Some(r) = records.researchers.get(id) {
        let name_en = r
            .name_en
            .as_deref()
            .map(str::trim)
            .unwrap_or_default()
            .to_string();
        let organisation = r
            .affiliation
            .clone()
            .or_else(|| r.affiliation_en.clone())
            .unwrap_or_default();
        let p = Party {
            organisation,
            contact_name: r.name.clone(),
            email: r.email.clone().unwrap_or_default(),
            consent: r.contact_ok,
        };
        return Some((r.name.clone(), name_en, p));
    }
    let o = records.organizations.get(id)?;
    let p = Party {
        organisation: o.name.clone(),
        contact_name: o.contact_name.clone().unwrap_or_default(),
        email: o.email.clone().unwrap_or_default(),
        consent: o.contact_ok,
    };
    let name_en = o.name_en.clone().unwrap_or_default();
    Some((o.name.clone(), name_en, p))
}
