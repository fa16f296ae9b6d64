//! Outreach rows: one per match item, with the contact details the privacy rule allows.

use crate::consent::custodian_label;
use crate::matching::{MatchItem, MatchReport};
use crate::model::{Catalog, Kind};

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
    let mut rows = Vec::new();
    for report in reports {
        let subject = report.subject.display_name();
        for (section, items) in report.sections() {
            for (i, item) in items.iter().enumerate() {
                rows.push(row(&subject, section, i + 1, item, catalog));
            }
        }
    }
    rows
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
    catalog: &Catalog,
) -> OutreachRow {
    let (name, organisation, party) = describe(item, catalog);
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
fn describe(item: &MatchItem, catalog: &Catalog) -> (String, String, Option<Party>) {
    match item.kind {
        Kind::Researcher | Kind::Organization => match party(&item.id, catalog) {
            Some((name, p)) => (name, p.organisation.clone(), Some(p)),
            None => (item.title.clone(), String::new(), None),
        },
        Kind::Dataset => {
            let dataset = catalog.datasets.iter().find(|d| d.id == item.id);
            let custodian = dataset.and_then(|d| d.custodian.as_deref()).map(str::trim);
            match custodian.and_then(|c| party(c, catalog)) {
                Some((_, p)) => (item.title.clone(), p.organisation.clone(), Some(p)),
                None => {
                    let label = dataset.and_then(|d| custodian_label(d, catalog));
                    (item.title.clone(), label.unwrap_or_default(), None)
                }
            }
        }
        Kind::Proposal | Kind::Need => {
            let owner = match item.kind {
                Kind::Proposal => catalog
                    .proposals
                    .iter()
                    .find(|p| p.id == item.id)
                    .and_then(|p| p.proposer.clone()),
                _ => catalog
                    .needs
                    .iter()
                    .find(|n| n.id == item.id)
                    .and_then(|n| n.owner.clone()),
            };
            match owner
                .as_deref()
                .map(str::trim)
                .and_then(|o| party(o, catalog))
            {
                Some((_, p)) => (item.title.clone(), p.organisation.clone(), Some(p)),
                None => (item.title.clone(), String::new(), None),
            }
        }
    }
}

/// The researcher or organisation with this id: its display name and contact.
fn party(id: &str, catalog: &Catalog) -> Option<(String, Party)> {
    if let Some(r) = catalog.researchers.iter().find(|r| r.id == id) {
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
    let o = catalog.organizations.iter().find(|o| o.id == id)?;
    let p = Party {
        organisation: o.name.clone(),
        contact_name: o.contact_name.clone().unwrap_or_default(),
        email: o.email.clone().unwrap_or_default(),
        consent: o.contact_ok,
    };
    Some((o.name.clone(), p))
}
