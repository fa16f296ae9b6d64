//! `musubi draft`: a pre-filled data-use application for one dataset and one need or proposal.

use super::args::GlobalArgs;
use super::outreach_args::{DraftArgs, DraftLang};
use super::plain::plain;
use crate::consent::Date;
use crate::draft::{draft, Lang};
use crate::outreach::{self, clock, Entry, Status};
use std::io::Write;
use std::process::ExitCode;

/// Runs the command.
pub fn run(global: &GlobalArgs, args: &DraftArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let ws = super::open_workspace(global, false)?;
    let lang = match args.lang {
        DraftLang::Ja => Lang::Ja,
        DraftLang::En => Lang::En,
    };
    let text = draft(
        &ws.catalog,
        &ws.vocabulary,
        Date::today(),
        args.subject.trim(),
        args.dataset.trim(),
        lang,
    )?;
    match &args.output {
        Some(path) => {
            crate::atomic_file::write_atomically(path, text.as_bytes(), false)
                .map_err(|e| anyhow::anyhow!("could not write {}: {e}", path.display()))?;
            writeln!(out, "Wrote {}.", path.display())?;
        }
        None => {
            for line in text.lines() {
                writeln!(out, "{}", plain(line))?;
            }
        }
    }
    if let Some(explicit) = &args.log {
        let path = super::outreach_cmd::log_location(global, explicit.as_deref())?;
        let (_, settings) = super::settings()?;
        let entry = Entry {
            at: clock::now(),
            by: outreach::current_user(&settings),
            subject: args.subject.trim().to_string(),
            candidate: args.dataset.trim().to_string(),
            status: Status::Applied,
            note: "draft application written by musubi".to_string(),
        };
        outreach::append(&path, std::slice::from_ref(&entry))?;
        let message = format!(
            "Logged {} → {}: applied in {}",
            entry.subject,
            entry.candidate,
            path.display()
        );
        // On stderr when the draft itself went to stdout, so the draft stays clean to pipe.
        if args.output.is_some() {
            writeln!(out, "{}", plain(&message))?;
        } else {
            eprintln!("musubi: {}", plain(&message));
        }
    }
    Ok(ExitCode::SUCCESS)
}
