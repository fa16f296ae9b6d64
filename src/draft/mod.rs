//! A pre-filled data-use application (利活用申請の下書き) for one dataset and one need or
//! proposal, in Markdown: refused, naming the rule, when the consent rules block the dataset.

mod phrases;

pub use phrases::Lang;

use crate::consent::{custodian_label, parse_code, Date};
use crate::matching::{closest_ids, MatchError, MatchOptions, Matcher, Subject};
use crate::model::Catalog;
use crate::vocab::Vocabulary;
use phrases::{code_words, t};
use std::fmt::Write as _;

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

/// The draft, in Markdown, for `dataset_id` and the need or proposal `subject_id`.
pub fn draft(
    catalog: &Catalog,
    vocab: &Vocabulary,
    today: Date,
    subject_id: &str,
    dataset_id: &str,
    lang: Lang,
) -> Result<String, DraftError> {
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
    let mut md = String::new();
    let l = |key| t(key, lang);
    let _ = writeln!(md, "# {}\n\n_{}_ ({today})\n", l("title"), l("draft_note"));

    let _ = writeln!(md, "## {}\n", l("requester"));
    match asked.owner.as_deref().and_then(|id| requester(catalog, id)) {
        Some(r) => {
            let _ = writeln!(md, "- {} ({})", r.name, r.id);
            if let Some(forum) = r.forum {
                let _ = writeln!(md, "- {}: {forum}", l("forum"));
            }
            let contact = r.contact.unwrap_or_else(|| l("withheld").to_string());
            let _ = writeln!(md, "- {}: {contact}", l("contact"));
        }
        None => {
            let _ = writeln!(md, "- {}", l("no_owner"));
        }
    }
    let commercial = if report.subject.commercial {
        l("yes")
    } else {
        l("no")
    };
    let _ = writeln!(md, "- {}: {commercial}\n", l("commercial"));

    let _ = writeln!(md, "## {}\n", l("purpose"));
    let _ = writeln!(md, "- {}: {} ({})\n", l("subject"), asked.title, asked.id);
    for line in asked.purpose.lines() {
        let _ = writeln!(md, "> {line}");
    }
    md.push('\n');

    let _ = writeln!(md, "## {}\n", l("dataset"));
    let _ = writeln!(md, "- {} ({})", dataset.title, dataset.id);
    if let Some(custodian) = custodian_label(dataset, catalog) {
        let _ = writeln!(md, "- {}: {custodian}", l("custodian"));
    }
    if let Some(access) = dataset.access {
        let _ = writeln!(md, "- {}: {}", l("access"), access.as_str());
    }
    if let Some(year) = &dataset.fiscal_year {
        let _ = writeln!(md, "- {}: {year}", l("fiscal_year"));
    }
    let _ = writeln!(md, "- {}: {}", l("cases_held"), dataset.cases);
    let _ = writeln!(
        md,
        "- {}: {}\n",
        l("modalities_held"),
        dataset.modalities.join(", ")
    );

    let _ = writeln!(md, "## {}\n", l("data_use"));
    let _ = writeln!(
        md,
        "| {} | {} | {} |\n|---|---|---|",
        l("code"),
        l("meaning"),
        l("action")
    );
    for raw in &dataset.data_use {
        let (meaning, action) = code_words(&parse_code(raw), lang);
        let _ = writeln!(
            md,
            "| `{}` | {meaning} | {action} |",
            raw.trim().replace('|', "\\|")
        );
    }
    md.push('\n');

    let _ = writeln!(md, "## {}\n", l("asked"));
    let cases = asked
        .cases
        .map(|c| c.to_string())
        .unwrap_or_else(|| l("not_stated").to_string());
    let _ = writeln!(md, "- {}: {cases}", l("cases_asked"));
    let modalities = if asked.modalities.is_empty() {
        l("not_stated").to_string()
    } else {
        asked.modalities.join(", ")
    };
    let _ = writeln!(md, "- {}: {modalities}\n", l("modalities_asked"));

    let _ = writeln!(md, "## {}\n", l("reasons"));
    for reason in &item.reasons {
        let _ = writeln!(md, "- {reason}");
    }
    if !item.conditions.is_empty() {
        let _ = writeln!(md, "\n### {}\n", l("conditions"));
        for condition in &item.conditions {
            let _ = writeln!(md, "- {condition}");
        }
    }
    Ok(md)
}
