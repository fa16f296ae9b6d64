//! `musubi outreach add|list`: recording and reviewing the outreach log.

use super::args::GlobalArgs;
use super::outreach_args::{LogFormat, OutreachCommand};
use super::plain::plain;
use crate::consent::Date;
use crate::matching::closest_ids;
use crate::model::Catalog;
use crate::outreach::{self, clock, Entry, Ledger, PairHistory};
use crate::width::truncate_to_width;
use anyhow::{bail, Context};
use comfy_table::Cell;
use serde_json::json;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub use crate::outreach::AD_HOC_PREFIX;

/// The log the command line and the settings point at.
pub fn log_location(global: &GlobalArgs, explicit: Option<&Path>) -> anyhow::Result<PathBuf> {
    let (paths, settings) = super::settings()?;
    let source = crate::workspace::data_source(&super::open_options(global, false), &settings);
    outreach::log_path(explicit, &settings, &source, paths.as_ref()).context(
        "no home directory for the sample data's outreach log: pass --log FILE or set outreach_log",
    )
}

/// Reads the log, telling stderr about each line it had to skip.
pub fn read_log(path: &Path) -> anyhow::Result<Ledger> {
    let contents = outreach::read(path)?;
    for bad in &contents.bad_lines {
        eprintln!("musubi: warning: {}", plain(&bad.to_string()));
    }
    Ok(Ledger::new(contents.entries))
}

/// Runs `musubi outreach …`.
pub fn run(
    global: &GlobalArgs,
    command: OutreachCommand,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    match command {
        OutreachCommand::Add {
            subject,
            candidate,
            status,
            note,
            date,
            log,
        } => {
            let at = match &date {
                Some(d) => clock::parse_moment(d)?,
                None => clock::now(),
            };
            let path = log_location(global, log.as_deref())?;
            let ws = super::open_workspace(global, false)?;
            check_subject(ws.catalog()?, &subject)?;
            check_candidate(ws.catalog()?, &candidate)?;
            let (_, settings) = super::settings()?;
            let entry = Entry {
                at,
                by: outreach::current_user(&settings),
                subject: subject.trim().to_string(),
                candidate: candidate.trim().to_string(),
                status,
                note: note.unwrap_or_default(),
            };
            outreach::append(&path, std::slice::from_ref(&entry))?;
            writeln!(
                out,
                "Logged {} → {}: {} ({}, {}) in {}",
                plain(&entry.subject),
                plain(&entry.candidate),
                entry.status,
                entry.at_text(),
                plain(&entry.by),
                plain(&path.display().to_string())
            )?;
            Ok(ExitCode::SUCCESS)
        }
        OutreachCommand::List {
            subject,
            candidate,
            status,
            since,
            format,
            log,
        } => {
            let since = since.as_deref().map(clock::parse_moment).transpose()?;
            let path = log_location(global, log.as_deref())?;
            let ledger = read_log(&path)?;
            let ws = super::open_workspace(global, false)?;
            let titles = titles(ws.catalog()?);
            let pairs: Vec<PairHistory> = ledger
                .pairs()
                .into_iter()
                .filter(|p| subject.as_deref().is_none_or(|s| p.subject == s))
                .filter(|p| candidate.as_deref().is_none_or(|c| p.candidate == c))
                .filter(|p| status.is_none_or(|s| p.latest().status == s))
                .filter(|p| since.is_none_or(|t| p.latest().at >= t))
                .collect();
            print_pairs(&pairs, &titles, format, out)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Every record's headline by id.
pub fn titles(catalog: &Catalog) -> HashMap<&str, String> {
    let mut titles = HashMap::new();
    for d in &catalog.datasets {
        titles.insert(d.id.as_str(), d.title.clone());
    }
    for r in &catalog.researchers {
        titles.insert(r.id.as_str(), r.name.clone());
    }
    for o in &catalog.organizations {
        titles.insert(o.id.as_str(), o.name.clone());
    }
    for p in &catalog.proposals {
        titles.insert(p.id.as_str(), p.title.clone());
    }
    for n in &catalog.needs {
        titles.insert(n.id.as_str(), crate::model::Record::Need(n.clone()).title());
    }
    titles
}

/// A subject must be a need, proposal, organisation or researcher, or an `adhoc:` name.
pub fn check_subject(catalog: &Catalog, id: &str) -> anyhow::Result<()> {
    let id = id.trim();
    if let Some(slug) = id.strip_prefix(AD_HOC_PREFIX) {
        if slug.trim().is_empty() || slug.chars().any(char::is_control) {
            bail!("an ad-hoc subject is `adhoc:` and a name without control characters, e.g. adhoc:pancreas-pharma");
        }
        return Ok(());
    }
    let ids: Vec<&str> = catalog
        .needs
        .iter()
        .map(|r| r.id.as_str())
        .chain(catalog.proposals.iter().map(|r| r.id.as_str()))
        .chain(catalog.organizations.iter().map(|r| r.id.as_str()))
        .chain(catalog.researchers.iter().map(|r| r.id.as_str()))
        .collect();
    known(
        id,
        &ids,
        "need, proposal, organisation or researcher (or adhoc:<name>)",
    )
}

/// A candidate must be a dataset, organisation or researcher.
pub fn check_candidate(catalog: &Catalog, id: &str) -> anyhow::Result<()> {
    let ids: Vec<&str> = catalog
        .datasets
        .iter()
        .map(|r| r.id.as_str())
        .chain(catalog.organizations.iter().map(|r| r.id.as_str()))
        .chain(catalog.researchers.iter().map(|r| r.id.as_str()))
        .collect();
    known(id.trim(), &ids, "dataset, organisation or researcher")
}

fn known(id: &str, ids: &[&str], what: &str) -> anyhow::Result<()> {
    if ids.contains(&id) {
        return Ok(());
    }
    let closest = closest_ids(id, ids);
    if closest.is_empty() {
        bail!("no {what} with id \"{}\"", plain(id))
    }
    bail!(
        "no {what} with id \"{}\"; closest: {}",
        plain(id),
        closest.join(", ")
    )
}

fn history_json(p: &PairHistory) -> serde_json::Value {
    let history: Vec<serde_json::Value> = p
        .entries
        .iter()
        .map(|e| json!({"at": e.at_text(), "by": e.by, "status": e.status, "note": e.note}))
        .collect();
    json!(history)
}

fn print_pairs(
    pairs: &[PairHistory],
    titles: &HashMap<&str, String>,
    format: LogFormat,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let title = |id: &str| titles.get(id).cloned();
    match format {
        LogFormat::Json => {
            let items: Vec<serde_json::Value> = pairs
                .iter()
                .map(|p| {
                    let last = p.latest();
                    json!({
                        "subject": p.subject,
                        "subject_title": title(p.subject),
                        "candidate": p.candidate,
                        "candidate_title": title(p.candidate),
                        "status": last.status,
                        "at": last.at_text(),
                        "by": last.by,
                        "note": last.note,
                        "history": history_json(p),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &items)?;
            writeln!(out)?;
        }
        LogFormat::Csv => {
            let mut sheet = crate::export::sheet::Sheet::new(
                "Outreach",
                &[
                    "subject",
                    "subject_title",
                    "candidate",
                    "candidate_title",
                    "status",
                    "at",
                    "by",
                    "note",
                    "entries",
                ],
            );
            for p in pairs {
                let last = p.latest();
                sheet.push(vec![
                    p.subject.to_string(),
                    title(p.subject).unwrap_or_default(),
                    p.candidate.to_string(),
                    title(p.candidate).unwrap_or_default(),
                    last.status.to_string(),
                    last.at_text(),
                    last.by.clone(),
                    last.note.clone(),
                    p.entries.len().to_string(),
                ]);
            }
            out.write_all(&sheet.to_csv()?)?;
        }
        LogFormat::Table => {
            if pairs.is_empty() {
                writeln!(out, "No outreach logged that fits.")?;
                return Ok(());
            }
            let width = super::output::table_width();
            let mut table = super::output::table(
                &["subject", "candidate", "status", "date", "by", "note"],
                width,
            );
            let note_width = super::output::remaining_width(width, &[10, 28, 9, 10, 10]);
            for p in pairs {
                let last = p.latest();
                let candidate = match title(p.candidate) {
                    Some(t) => format!("{} {}", p.candidate, t),
                    None => p.candidate.to_string(),
                };
                table.add_row(vec![
                    Cell::new(plain(p.subject)),
                    Cell::new(truncate_to_width(&plain(&candidate), 28)),
                    Cell::new(last.status.as_str()),
                    Cell::new(clock::japan_date(last.at).to_string()),
                    Cell::new(plain(&last.by)),
                    Cell::new(truncate_to_width(&plain(&last.note), note_width)),
                ]);
            }
            writeln!(out, "{table}")?;
            let contacted = pairs
                .iter()
                .filter(|p| p.entries.iter().any(|e| e.status.is_contact()))
                .count();
            writeln!(
                out,
                "{} pair(s), {contacted} contacted; today {} (Japan)",
                pairs.len(),
                Date::today()
            )?;
        }
    }
    Ok(())
}

/// Warnings `musubi validate` prints for the outreach log: each line it cannot read.
pub fn log_warnings(global: &GlobalArgs) -> Vec<String> {
    let Ok(path) = log_location(global, None) else {
        return Vec::new();
    };
    match outreach::read(&path) {
        Ok(contents) => contents
            .bad_lines
            .iter()
            .map(|b| plain(&b.to_string()))
            .collect(),
        Err(e) => vec![plain(&e.to_string())],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Need;
    use crate::outreach::Status;

    fn catalog() -> Catalog {
        Catalog {
            needs: vec![Need {
                id: "N01".into(),
                text: "x".into(),
                ..Need::default()
            }],
            ..Catalog::default()
        }
    }

    #[test]
    fn subjects_are_records_or_ad_hoc_names() {
        let c = catalog();
        assert!(check_subject(&c, "N01").is_ok());
        assert!(check_subject(&c, "adhoc:pancreas-pharma").is_ok());
        assert!(check_subject(&c, "adhoc:").is_err());
        let err = check_subject(&c, "n01").map_err(|e| e.to_string()).err();
        assert_eq!(
            err.as_deref(),
            Some("no need, proposal, organisation or researcher (or adhoc:<name>) with id \"n01\"; closest: N01")
        );
        assert!(check_candidate(&c, "N01").is_err());
    }

    #[test]
    fn statuses_are_typed() {
        assert_eq!("approved".parse::<Status>(), Ok(Status::Approved));
    }
}
