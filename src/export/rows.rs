//! Outreach rows: one per match item, with the contact details the privacy rule allows.

use crate::matching::{MatchItem, MatchReport};
use crate::model::{Catalog, Dataset, Kind, Need, Organization, Proposal, Researcher};
use std::collections::HashMap;

/// The note every export carries about contact details.
pub const PRIVACY_NOTE: &str = "Contact details are personal data. Only people and organisations \
who agreed to be contacted (contact_ok) are listed with contact details; the others are listed \
without them and marked \"details withheld\".";

/// Why a row has, or lacks, contact details.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactStatus {
    /// The person or organisation agreed to be contacted: details shown.
    Consented,
    /// A contact exists but has not agreed: details withheld.
    Withheld,
    /// No person or organisation record to contact.
    NotOnFile,
}

impl ContactStatus {
    /// The per-row note (the CSV's `contact_note` column).
    pub fn note(self) -> &'static str {
        match self {
            ContactStatus::Consented => "agreed to be contacted",
            ContactStatus::Withheld => "no consent to contact: details withheld",
            ContactStatus::NotOnFile => "no contact on file",
        }
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
    pub name: String,
    pub organisation: String,
    pub contact_name: String,
    pub email: String,
    pub score: f64,
    pub reasons: Vec<String>,
    pub conditions: Vec<String>,
    pub contact: ContactStatus,
    pub blocked: Option<String>,
}

impl OutreachRow {
    /// True when the row shows a contact name or an email.
    pub fn has_contact_details(&self) -> bool {
        !self.contact_name.is_empty() || !self.email.is_empty()
    }
}

/// The rows of all reports, in report, section and rank order.
pub fn outreach_rows(reports: &[MatchReport], catalog: &Catalog) -> Vec<OutreachRow> {
    let records = Records::of(catalog);
    let mut rows = Vec::new();
    for report in reports {
        let subject = report.subject.display_name();
        for (section, items) in report.sections() {
            for (i, item) in items.iter().enumerate() {
                rows.push(row(&subject, section, i + 1, item, &records));
            }
        }
    }
    rows
}

/// The catalog's records by id, looked up once per export (a scan per row made an
/// `--all-needs` export quadratic in the catalog's size).
struct Records<'c> {
    researchers: HashMap<&'c str, &'c Researcher>,
    organizations: HashMap<&'c str, &'c Organization>,
    datasets: HashMap<&'c str, &'c Dataset>,
    proposals: HashMap<&'c str, &'c Proposal>,
    needs: HashMap<&'c str, &'c Need>,
}

impl<'c> Records<'c> {
    fn of(catalog: &'c Catalog) -> Self {
        Records {
            researchers: catalog
                .researchers
                .iter()
                .map(|r| (r.id.as_str(), r))
                .collect(),
            organizations: catalog
                .organizations
                .iter()
                .map(|o| (o.id.as_str(), o))
                .collect(),
            datasets: catalog
                .datasets
                .iter()
                .map(|d| (d.id.as_str(), d))
                .collect(),
            proposals: catalog
                .proposals
                .iter()
                .map(|p| (p.id.as_str(), p))
                .collect(),
            needs: catalog.needs.iter().map(|n| (n.id.as_str(), n)).collect(),
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
    records: &Records,
) -> OutreachRow {
    let (name, organisation, party) = describe(item, records);
    let (contact, contact_name, email) = match party {
        None => (ContactStatus::NotOnFile, String::new(), String::new()),
        Some(p) if !p.consent => (ContactStatus::Withheld, String::new(), String::new()),
        Some(p) => (ContactStatus::Consented, p.contact_name, p.email),
    };
    OutreachRow {
        subject: subject.to_string(),
        section,
        rank,
        match_id: item.id.clone(),
        kind: item.kind,
        name,
        organisation,
        contact_name,
        email,
        score: item.score,
        reasons: item.reasons.clone(),
        conditions: item.conditions.clone(),
        contact,
        blocked: item.blocked.clone(),
    }
}

/// The item's display name, its organisation, and whom to contact.
fn describe(item: &MatchItem, records: &Records) -> (String, String, Option<Party>) {
    match item.kind {
        Kind::Researcher | Kind::Organization => match party(&item.id, records) {
            Some((name, p)) => (name, p.organisation.clone(), Some(p)),
            None => (item.title.clone(), String::new(), None),
        },
        Kind::Dataset => {
            let custodian = records
                .datasets
                .get(item.id.as_str())
                .and_then(|d| d.custodian.as_deref())
                .map(str::trim)
                .filter(|c| !c.is_empty());
            match custodian.and_then(|c| party(c, records)) {
                Some((_, p)) => (item.title.clone(), p.organisation.clone(), Some(p)),
                // Not a record: the custodian as written.
                None => (
                    item.title.clone(),
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
                Some((_, p)) => (item.title.clone(), p.organisation.clone(), Some(p)),
                None => (item.title.clone(), String::new(), None),
            }
        }
    }
}

/// The researcher or organisation with this id: its display name and contact.
fn party(id: &str, records: &Records) -> Option<(String, Party)> {
    if let Some(r) = records.researchers.get(id) {
        let name = match r.name_en.as_deref().filter(|n| !n.trim().is_empty()) {
            Some(en) => format!("{} ({en})", r.name),
            None => r.name.clone(),
        };
        let organisation = r
            .affiliation
            .clone()
            .or_else(|| r.affiliation_en.clone())
            .unwrap_or_default();
        let p = Party {
            organisation,
            contact_name: name.clone(),
            email: r.email.clone().unwrap_or_default(),
            consent: r.contact_ok,
        };
        return Some((name, p));
    }
    let o = records.organizations.get(id)?;
    let p = Party {
        organisation: o.name.clone(),
        contact_name: o.contact_name.clone().unwrap_or_default(),
        email: o.email.clone().unwrap_or_default(),
        consent: o.contact_ok,
    };
    Some((o.name.clone(), p))
}
