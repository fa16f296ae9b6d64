//! A pre-filled data-use application (利活用申請の下書き) for one dataset and one need or
//! proposal, in Markdown or Word: refused, naming the rule, when the consent rules block the
//! dataset.

mod code_words;
mod document;
mod docx;
mod markdown;

pub use document::{Block, DraftDocument, Section};
pub use docx::docx;
pub use markdown::markdown;

use crate::consent::{custodian_label, parse_code, Date};
use crate::i18n::{say, Key, Lang};
use crate::matching::{closest_ids, MatchError, MatchOptions, Matcher, Subject};
use crate::model::Catalog;
use crate::vocab::Vocabulary;
use code_words::code_words;

/// Why no draft was written.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DraftError {
    #[error("a draft is for a need or a proposal: no need or proposal with id \"{id}\"{}", hint(.closest))]
    UnknownSubject { id: String, closest: Vec<String> },
    #[error("no dataset with id \"{id}\"{}", hint(.closest))]
    UnknownDataset { id: String, closest: Vec<String> },
    #[error("{dataset} is blocked for {subject}: {rule}; no application can be drafted")]
    Blocked {
        subject: String,
        dataset: String,
        rule: String,
    },
    #[error("{dataset} does not match {subject} (no shared disease, modality or topic)")]
    NotAMatch { subject: String, dataset: String },
    #[error(transparent)]
    Match(#[from] MatchError),
}

fn hint(closest: &[String]) -> String {
    if closest.is_empty() {
        String::new()
    } else {
        format!("; closest: {}", closest.join(", "))
    }
}

/// Who asks, as the draft names them.
struct Requester {
    id: String,
    name: String,
    forum: Option<&'static str>,
    /// Only for those who agreed to be contacted.
    contact: Option<String>,
}

fn requester(catalog: &Catalog, id: &str) -> Option<Requester> {
    // A need owned by a proposal is asked for by the proposal's proposer.
    if let Some(p) = catalog.proposals.iter().find(|p| p.id == id) {
        return requester(catalog, p.proposer.as_deref().filter(|p| *p != id)?);
    }
    if let Some(o) = catalog.organizations.iter().find(|o| o.id == id) {
        let contact = o.contact_ok.then(|| {
            [o.contact_name.clone(), o.email.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ")
        });
        return Some(Requester {
            id: o.id.clone(),
            name: o.name.clone(),
            forum: Some(o.forum.as_str()),
            contact: contact.filter(|c| !c.trim().is_empty()),
        });
    }
    catalog.researchers.iter().find(|r| r.id == id).map(|r| {
        let affiliation = r
            .affiliation
            .as_deref()
            .map(|a| format!(" ({a})"))
            .unwrap_or_default();
        Requester {
            id: r.id.clone(),
            name: format!("{}{affiliation}", r.name),
            forum: r.forum.map(|f| f.as_str()),
            contact: r.email.clone().filter(|_| r.contact_ok),
        }
    })
}

/// The parts of a subject a draft uses.
struct Asked {
    subject: Subject,
    id: String,
    title: String,
    purpose: String,
    owner: Option<String>,
    cases: Option<u64>,
    modalities: Vec<String>,
}

fn asked(catalog: &Catalog, id: &str) -> Result<Asked, DraftError> {
    if let Some(n) = catalog.needs.iter().find(|n| n.id == id) {
        return Ok(Asked {
            subject: Subject::Need(n.id.clone()),
            id: n.id.clone(),
            title: crate::model::Record::Need(n.clone()).title(),
            purpose: n.text.clone(),
            owner: n.owner.clone(),
            cases: n.min_cases,
            modalities: n.modalities.clone(),
        });
    }
    if let Some(p) = catalog.proposals.iter().find(|p| p.id == id) {
        return Ok(Asked {
            subject: Subject::Proposal(p.id.clone()),
            id: p.id.clone(),
            title: p.title.clone(),
            purpose: p.summary.clone().unwrap_or_else(|| p.title.clone()),
            owner: p.proposer.clone(),
            cases: p.target_cases,
            modalities: p.modalities.clone(),
        });
    }
    let ids: Vec<&str> = catalog
        .needs
        .iter()
        .map(|n| n.id.as_str())
        .chain(catalog.proposals.iter().map(|p| p.id.as_str()))
        .collect();
    Err(DraftError::UnknownSubject {
        id: id.to_string(),
        closest: closest_ids(id, &ids),
    })
}

/// The draft for `dataset_id` and the need or proposal `subject_id`, in `lang`; render it with
/// [`markdown`] or [`docx`].
pub fn draft(
    catalog: &Catalog,
    vocab: &Vocabulary,
    today: Date,
    subject_id: &str,
    dataset_id: &str,
    lang: Lang,
) -> Result<DraftDocument, DraftError> {
    let asked = asked(catalog, subject_id)?;
    let dataset = catalog
        .datasets
        .iter()
        .find(|d| d.id == dataset_id)
        .ok_or_else(|| {
            let ids: Vec<&str> = catalog.datasets.iter().map(|d| d.id.as_str()).collect();
            DraftError::UnknownDataset {
                id: dataset_id.to_string(),
                closest: closest_ids(dataset_id, &ids),
            }
        })?;
    let matcher = Matcher::new(catalog, vocab, today);
    let options = MatchOptions {
        limit: catalog.datasets.len().max(1),
        include_blocked: true,
        ..MatchOptions::default()
    };
    let report = matcher.run(&asked.subject, &options)?;
    let item = report
        .datasets
        .iter()
        .find(|i| i.id == dataset.id)
        .ok_or_else(|| DraftError::NotAMatch {
            subject: asked.id.clone(),
            dataset: dataset.id.clone(),
        })?;
    if let Some(rule) = &item.blocked {
        return Err(DraftError::Blocked {
            subject: asked.id.clone(),
            dataset: dataset.id.clone(),
            rule: rule.clone(),
        });
    }
    let l = |key| say(key, lang);
    let labelled = |key, value: &str| format!("{}: {value}", l(key));
    let mut holds_contact = false;

    let mut requester_lines = Vec::new();
    match asked.owner.as_deref().and_then(|id| requester(catalog, id)) {
        Some(r) => {
            requester_lines.push(format!("{} ({})", r.name, r.id));
            if let Some(forum) = r.forum {
                requester_lines.push(labelled(Key::DraftForum, forum));
            }
            holds_contact = r.contact.is_some();
            let contact = r.contact.unwrap_or_else(|| l(Key::DraftWithheld));
            requester_lines.push(labelled(Key::DraftContact, &contact));
        }
        None => requester_lines.push(l(Key::DraftNoOwner)),
    }
    let commercial = l(if report.subject.commercial {
        Key::DraftYes
    } else {
        Key::DraftNo
    });
    requester_lines.push(labelled(Key::DraftCommercial, &commercial));

    let purpose = vec![
        Block::Bullets(vec![labelled(
            Key::DraftSubject,
            &format!("{} ({})", asked.title, asked.id),
        )]),
        Block::Quote(asked.purpose.lines().map(str::to_string).collect()),
    ];

    let mut held = vec![format!("{} ({})", dataset.title, dataset.id)];
    if let Some(custodian) = custodian_label(dataset, catalog) {
        held.push(labelled(Key::DraftCustodian, &custodian));
    }
    if let Some(access) = dataset.access {
        held.push(labelled(Key::DraftAccess, access.as_str()));
    }
    if let Some(year) = &dataset.fiscal_year {
        held.push(labelled(Key::DraftFiscalYear, year));
    }
    held.push(labelled(Key::DraftCasesHeld, &dataset.cases.to_string()));
    held.push(labelled(
        Key::DraftModalitiesHeld,
        &dataset.modalities.join(", "),
    ));

    let codes = Block::CodeTable {
        header: [l(Key::DraftCode), l(Key::DraftMeaning), l(Key::DraftAction)],
        rows: dataset
            .data_use
            .iter()
            .map(|raw| {
                let (meaning, action) = code_words(&parse_code(raw), lang);
                [raw.trim().to_string(), meaning, action]
            })
            .collect(),
    };

    let not_stated = l(Key::DraftNotStated);
    let cases = asked
        .cases
        .map_or_else(|| not_stated.clone(), |c| c.to_string());
    let modalities = if asked.modalities.is_empty() {
        not_stated
    } else {
        asked.modalities.join(", ")
    };
    let wanted = vec![
        labelled(Key::DraftCasesAsked, &cases),
        labelled(Key::DraftModalitiesAsked, &modalities),
    ];

    let mut reasons = vec![Block::Bullets(item.reasons.clone())];
    if !item.conditions.is_empty() {
        reasons.push(Block::Subheading(l(Key::DraftConditions)));
        reasons.push(Block::Bullets(item.conditions.clone()));
    }

    let section = |key, blocks| Section {
        heading: l(key),
        blocks,
    };
    Ok(DraftDocument {
        title: l(Key::DraftTitle),
        note: l(Key::DraftNote),
        date: today.to_string(),
        holds_contact,
        sections: vec![
            section(Key::DraftRequester, vec![Block::Bullets(requester_lines)]),
            section(Key::DraftPurpose, purpose),
            section(Key::DraftDataset, vec![Block::Bullets(held)]),
            section(Key::DraftDataUse, vec![codes]),
            section(Key::DraftAsked, vec![Block::Bullets(wanted)]),
            section(Key::DraftReasons, reasons),
        ],
    })
}
