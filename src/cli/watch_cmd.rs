//! `musubi watch`: saved searches and what is new in them since the last look.

use super::args::{GlobalArgs, ListFormat};
use super::outreach_args::{WatchAction, WatchArgs};
use super::plain::plain;
use crate::config::Paths;
use crate::model::Kind;
use crate::outreach::clock;
use crate::search::{search, Hit, SearchRequest};
use crate::watch::{Watch, Watches};
use crate::width::truncate_to_width;
use crate::workspace::{source_key, Workspace};
use anyhow::Context;
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Hits looked at per saved search: enough that a new record is never cut off.
const HITS_PER_LOOK: usize = 10_000;

fn watch_file() -> anyhow::Result<PathBuf> {
    let paths = Paths::discover().context("saved searches live in the config directory")?;
    Ok(crate::watch::watch_file(&paths))
}

fn hits(ws: &Workspace, watch: &Watch) -> anyhow::Result<Vec<Hit>> {
    let request = SearchRequest {
        query: watch.query.clone(),
        kind: watch.kind,
        limit: HITS_PER_LOOK,
    };
    Ok(search(&ws.index, ws.vocabulary.as_ref(), &request)?.hits)
}

/// Runs `musubi watch …`.
pub fn run(global: &GlobalArgs, args: WatchArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let path = watch_file()?;
    let mut watches = Watches::load(&path)?;
    match args.action {
        Some(WatchAction::Add { name, query, kind }) => {
            let ws = super::open_workspace(global, false)?;
            let watch = Watch {
                query: query.join(" "),
                kind: kind.map(Kind::from),
                created: clock::format(clock::now()),
                last_look: None,
                seen: Default::default(),
            };
            let found = hits(&ws, &watch)?;
            let count = found.len();
            watches.add(
                &name,
                watch,
                &source_key(&ws.source),
                found.into_iter().map(|h| h.id),
            )?;
            watches.save(&path)?;
            writeln!(
                out,
                "Saved \"{}\" ({count} hit(s) now; `musubi watch {}` shows what is new).",
                plain(name.trim()),
                plain(name.trim())
            )?;
        }
        Some(WatchAction::Rm { name }) => {
            watches.remove(&name)?;
            watches.save(&path)?;
            writeln!(out, "Removed \"{}\".", plain(&name))?;
        }
        None => {
            let names: Vec<String> = match &args.name {
                Some(name) => {
                    watches.get(name)?;
                    vec![name.clone()]
                }
                None => watches.watches.keys().cloned().collect(),
            };
            if names.is_empty() {
                writeln!(
                    out,
                    "No saved search; `musubi watch add NAME QUERY` saves one."
                )?;
                return Ok(ExitCode::SUCCESS);
            }
            let ws = super::open_workspace(global, false)?;
            let source = source_key(&ws.source);
            let now = clock::format(clock::now());
            let mut looks = Vec::new();
            for name in names {
                let watch = watches.get(&name)?.clone();
                let found = hits(&ws, &watch)?;
                let ids: Vec<String> = found.iter().map(|h| h.id.clone()).collect();
                let new = watches.look(&name, &source, &ids, &now);
                let new_hits: Vec<Hit> =
                    found.into_iter().filter(|h| new.contains(&h.id)).collect();
                looks.push((name, watch, new_hits));
            }
            watches.save(&path)?;
            print_looks(&looks, args.format, out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_looks(
    looks: &[(String, Watch, Vec<Hit>)],
    format: ListFormat,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match format {
        ListFormat::Json => {
            let items: Vec<serde_json::Value> = looks
                .iter()
                .map(|(name, watch, new)| {
                    json!({
                        "name": name,
                        "query": watch.query,
                        "kind": watch.kind,
                        "since": watch.last_look.as_deref().unwrap_or(&watch.created),
                        "new": new.iter().map(|h| json!({"id": h.id, "kind": h.kind, "title": h.title})).collect::<Vec<_>>(),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &items)?;
            writeln!(out)?;
        }
        ListFormat::Table => {
            let width = super::output::table_width() as usize;
            for (name, watch, new) in looks {
                let since = watch.last_look.as_deref().unwrap_or(&watch.created);
                writeln!(
                    out,
                    "{} \"{}\"{}: {} new since {}",
                    plain(name),
                    plain(&watch.query),
                    watch.kind.map(|k| format!(" [{k}]")).unwrap_or_default(),
                    new.len(),
                    since
                )?;
                for hit in new {
                    let line = format!("  {:<12} {:<13} {}", hit.id, hit.kind.as_str(), hit.title);
                    writeln!(out, "{}", truncate_to_width(&plain(&line), width))?;
                }
            }
        }
    }
    Ok(())
}
