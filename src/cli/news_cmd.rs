//! `musubi news`: per need and proposal, the candidates that appeared or changed.

use super::args::GlobalArgs;
use super::outreach_args::{LogFormat, NewsArgs};
use super::plain::plain;
use crate::consent::Date;
use crate::export::sheet::CsvRows;
use crate::history::History;
use crate::matching::{closest_ids, Subject};
use crate::news::{NewsSource, Since, SubjectNews};
use crate::outreach::{clock, Ledger};
use crate::width::truncate_to_width;
use crate::workspace;
use anyhow::bail;
use serde::ser::{SerializeSeq, Serializer};
use std::io::Write;
use std::process::ExitCode;

/// Runs the command.
pub fn run(global: &GlobalArgs, args: &NewsArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let since = args.since.as_deref().map(clock::parse_moment).transpose()?;
    let ws = super::open_workspace(global, false)?;
    let store = workspace::store_for(&super::open_options(global, false), &ws.source)?;
    let history = crate::trace::phase("read record history", || History::load_whole(store.root()))?;
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
    // Written a window of subjects at a time: at a million records, every subject's news
    // held at once was gigabytes.
    let each_news = |each: &mut dyn FnMut(&SubjectNews) -> anyhow::Result<()>| {
        source.news_by_window(&subjects, &mut |window| {
            window
                .iter()
                .filter(|n| !n.items.is_empty())
                .try_for_each(&mut *each)
        })
    };
    match args.format {
        LogFormat::Json => {
            let mut json = serde_json::Serializer::pretty(&mut *out);
            let mut list = json.serialize_seq(None)?;
            each_news(&mut |n| Ok(list.serialize_element(n)?))?;
            SerializeSeq::end(list)?;
            writeln!(out)?;
        }
        LogFormat::Csv => {
            let mut csv = CsvRows::start(&mut *out, &COLUMNS)?;
            each_news(&mut |n| {
                for row in rows(n) {
                    csv.row(&row)?;
                }
                Ok(())
            })?;
            csv.finish()?;
        }
        LogFormat::Table => {
            let width = super::output::table_width() as usize;
            let (mut subjects_with_news, mut items) = (0, 0);
            each_news(&mut |n| {
                subjects_with_news += 1;
                items += n.items.len();
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
                Ok(())
            })?;
            writeln!(
                out,
                "{items} new or changed candidate(s) for {subjects_with_news} need(s) and proposal(s); history of {} build(s) since {}",
                history.builds,
                history.started.as_deref().unwrap_or("now")
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The columns of the CSV.
const COLUMNS: [&str; 8] = [
    "subject",
    "subject_title",
    "since",
    "candidate",
    "kind",
    "title",
    "changed",
    "changes",
];

/// The CSV rows of one subject's news: one per candidate.
fn rows(n: &SubjectNews) -> impl Iterator<Item = Vec<String>> + '_ {
    n.items.iter().map(move |item| {
        let changes: Vec<String> = item.changes.iter().map(|c| c.describe()).collect();
        vec![
            n.subject.clone(),
            n.title.clone(),
            n.since.clone(),
            item.candidate.clone(),
            item.kind.as_str().to_string(),
            item.title.clone(),
            item.changed.clone(),
            changes.join("; "),
        ]
    })
}
