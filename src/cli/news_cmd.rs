//! `musubi news`: per need and proposal, the candidates that appeared or changed.

use super::args::GlobalArgs;
use super::outreach_args::{LogFormat, NewsArgs};
use super::plain::plain;
use crate::consent::Date;
use crate::export::sheet::Sheet;
use crate::history::History;
use crate::matching::{closest_ids, Subject};
use crate::news::{NewsSource, Since, SubjectNews};
use crate::outreach::{clock, Ledger};
use crate::width::truncate_to_width;
use crate::workspace;
use anyhow::bail;
use std::io::Write;
use std::process::ExitCode;

/// Runs the command.
pub fn run(global: &GlobalArgs, args: &NewsArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let since = args.since.as_deref().map(clock::parse_moment).transpose()?;
    let ws = super::open_workspace(global, false)?;
    let store = workspace::store_for(&super::open_options(global, false), &ws.source)?;
    let history = crate::trace::phase("read record history", || History::load(store.root()))?;
    let ledger = match since {
        Some(_) => Ledger::default(),
        None => super::outreach_cmd::log_location(global, args.log.as_deref())
            .and_then(|path| super::outreach_cmd::read_log(&path))?,
    };
    let catalog = ws.catalog()?;
    let mut ids: Vec<(Subject, &str)> = catalog
        .needs
        .iter()
        .map(|n| (Subject::Need(n.id.clone()), n.id.as_str()))
        .chain(
            catalog
                .proposals
                .iter()
                .map(|p| (Subject::Proposal(p.id.clone()), p.id.as_str())),
        )
        .collect();
    if let Some(wanted) = &args.subject {
        let all: Vec<&str> = ids.iter().map(|(_, id)| *id).collect();
        if !all.contains(&wanted.as_str()) {
            let closest = closest_ids(wanted, &all);
            bail!(
                "no need or proposal with id \"{}\"{}",
                plain(wanted),
                if closest.is_empty() {
                    String::new()
                } else {
                    format!("; closest: {}", closest.join(", "))
                }
            );
        }
        ids.retain(|(_, id)| id == wanted);
    }
    let subjects: Vec<(Subject, Since)> = ids
        .into_iter()
        .map(|(subject, id)| {
            let from = match since {
                Some(t) => Since::Moment(t),
                None => match ledger.last_for_subject(id) {
                    Some(entry) => Since::Moment(entry.at),
                    None => Since::LatestBuild,
                },
            };
            (subject, from)
        })
        .collect();
    let source = NewsSource {
        catalog,
        candidates: ws.candidates()?,
        vocab: &ws.vocabulary,
        history: &history,
        today: Date::today(),
    };
    let news: Vec<SubjectNews> = source
        .news(&subjects)
        .into_iter()
        .filter(|n| !n.items.is_empty())
        .collect();
    match args.format {
        LogFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &news)?;
            writeln!(out)?;
        }
        LogFormat::Csv => out.write_all(&sheet(&news).to_csv()?)?,
        LogFormat::Table => {
            let width = super::output::table_width() as usize;
            for n in &news {
                let head = format!("{} [{}] {} (since {})", n.subject, n.kind, n.title, n.since);
                writeln!(out, "{}", truncate_to_width(&plain(&head), width))?;
                for item in &n.items {
                    let changes: Vec<String> = item.changes.iter().map(|c| c.describe()).collect();
                    let line = format!(
                        "  {} {} — {}",
                        item.candidate,
                        item.title,
                        changes.join("; ")
                    );
                    writeln!(out, "{}", truncate_to_width(&plain(&line), width))?;
                }
            }
            let items: usize = news.iter().map(|n| n.items.len()).sum();
            writeln!(
                out,
                "{items} new or changed candidate(s) for {} need(s) and proposal(s); history of {} build(s) since {}",
                news.len(),
                history.builds,
                history.started.as_deref().unwrap_or("now")
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn sheet(news: &[SubjectNews]) -> Sheet {
    let mut sheet = Sheet::new(
        "News",
        &[
            "subject",
            "subject_title",
            "since",
            "candidate",
            "kind",
            "title",
            "changed",
            "changes",
        ],
    );
    for n in news {
        for item in &n.items {
            let changes: Vec<String> = item.changes.iter().map(|c| c.describe()).collect();
            sheet.push(vec![
                n.subject.clone(),
                n.title.clone(),
                n.since.clone(),
                item.candidate.clone(),
                item.kind.as_str().to_string(),
                item.title.clone(),
                item.changed.clone(),
                changes.join("; "),
            ]);
        }
    }
    sheet
}
