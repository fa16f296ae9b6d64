//! `musubi match`: the matching engine from the command line, and its outputs.

use super::args::{MatchArgs, MatchFormat};
use super::output::table_width;
use super::progress_bar::ProgressBar;
use crate::consent::{Date, Verdict};
use crate::export::{self, ExportError, ExportFormat, ExportOptions, ExportSummary};
use crate::i18n::{fill, text, Key, Lang};
use crate::matching::{AdHocNeed, MatchItem, MatchOptions, MatchReport, Matcher, Subject};
use crate::outreach::{self, Entry, Ledger};
use crate::records::Records;
use crate::terminal_text::one_line;
use crate::width::truncate_to_width;
use crate::workspace::Workspace;
use anyhow::bail;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use time::OffsetDateTime;

fn split_list(list: &Option<String>) -> Vec<String> {
    list.as_deref()
        .unwrap_or("")
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// The subject the arguments name (`None` for `--all-needs`).
fn subject(args: &MatchArgs) -> Option<Subject> {
    if let Some(id) = &args.need {
        return Some(Subject::Need(id.clone()));
    }
    if let Some(id) = &args.proposal {
        return Some(Subject::Proposal(id.clone()));
    }
    if let Some(id) = &args.org {
        return Some(Subject::Organization(id.clone()));
    }
    if let Some(id) = &args.researcher {
        return Some(Subject::Researcher(id.clone()));
    }
    args.text.as_ref().map(|text| {
        Subject::AdHoc(AdHocNeed {
            text: text.clone(),
            diseases: split_list(&args.diseases),
            modalities: split_list(&args.modalities),
            min_cases: args.min_cases,
            requester: args.requester.clone(),
            commercial: match (args.commercial, args.non_commercial) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            },
        })
    })
}

/// True for `-o -`: standard output.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Refuses argument combinations that cannot work, before any data is opened.
pub fn check_args(args: &MatchArgs) -> anyhow::Result<()> {
    let to_stdout = args.output.as_deref().is_none_or(is_stdout);
    if args.format == MatchFormat::Xlsx && to_stdout {
        bail!("--format xlsx writes a workbook: add --output FILE.xlsx (not `-`)")
    }
    if args.log.is_some() && args.format == MatchFormat::Table && args.output.is_none() {
        bail!("--log records the rows of an export: add --format csv|json|md|xlsx or --output FILE")
    }
    Ok(())
}

/// The outreach log as `musubi match` uses it: where it is (`None`: no log can be found,
/// e.g. no home directory for the sample data's log), and who records.
#[derive(Debug, Clone)]
pub struct OutreachLog {
    pub path: Option<std::path::PathBuf>,
    pub user: String,
}

/// Reads the log's word on every item; leaves out recently contacted pairs when asked.
fn apply_log(
    reports: &mut [MatchReport],
    args: &MatchArgs,
    log: &OutreachLog,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let ledger = read_ledger(log)?;
    let left_out = apply_ledger(reports, ledger.as_ref(), args, outreach::clock::now());
    note_contacted_left_out(left_out, args, log, out)
}

/// The outreach log, read once for every report of a run (`None`: there is no log).
fn read_ledger(log: &OutreachLog) -> anyhow::Result<Option<Ledger>> {
    log.path
        .as_deref()
        .map(super::outreach_cmd::read_log)
        .transpose()
}

/// The log's word on every item of `reports`; with `--exclude-contacted`, leaves out the
/// pairs contacted within `--within` days of `now`, and returns how many.
fn apply_ledger(
    reports: &mut [MatchReport],
    ledger: Option<&Ledger>,
    args: &MatchArgs,
    now: OffsetDateTime,
) -> usize {
    let Some(ledger) = ledger else {
        return 0;
    };
    let mut left_out = 0;
    for report in reports.iter_mut() {
        if args.exclude_contacted {
            left_out += outreach::matches::exclude_contacted(report, ledger, now, args.within);
        }
        outreach::matches::annotate(report, ledger);
    }
    left_out
}

/// Says under the table how many recently contacted matches were left out.
fn note_contacted_left_out(
    left_out: usize,
    args: &MatchArgs,
    log: &OutreachLog,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if let Some(path) = &log.path {
        if args.exclude_contacted && left_out > 0 && args.format == MatchFormat::Table {
            writeln!(
                out,
                "Left out {left_out} match(es) contacted within {} days (outreach log {}).",
                args.within,
                path.display()
            )?;
        }
    }
    Ok(())
}

/// Appends one `listed` line per exported row to the log (`--log`), in one write.
fn log_listed(
    reports: &[MatchReport],
    args: &MatchArgs,
    log: &OutreachLog,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let Some(path) = listing_log(args, log)? else {
        return Ok(());
    };
    let entries = listed_entries(reports, args, log, outreach::clock::now());
    append_listed(&path, &entries, args, out)
}

/// The log `--log` records in (`None` without `--log`); an error when `--log` names no file and
/// the settings name no log.
fn listing_log(args: &MatchArgs, log: &OutreachLog) -> anyhow::Result<Option<PathBuf>> {
    let Some(explicit) = &args.log else {
        return Ok(None);
    };
    match explicit.clone().or_else(|| log.path.clone()) {
        Some(path) => Ok(Some(path)),
        None => bail!("no outreach log to record in: pass --log FILE or set outreach_log"),
    }
}

/// One `listed` entry per row an export of `reports` writes, dated `at`.
fn listed_entries(
    reports: &[MatchReport],
    args: &MatchArgs,
    log: &OutreachLog,
    at: OffsetDateTime,
) -> Vec<Entry> {
    // Only what the export wrote: blocked datasets count only when they were included.
    let exported: Vec<MatchReport> = reports
        .iter()
        .map(|r| {
            let keep = |items: &[MatchItem]| -> Vec<MatchItem> {
                export::exported_items(items, args.include_blocked)
                    .into_iter()
                    .cloned()
                    .collect()
            };
            MatchReport {
                subject: r.subject.clone(),
                datasets: keep(&r.datasets),
                partners: keep(&r.partners),
                proposals: keep(&r.proposals),
            }
        })
        .collect();
    let ad_hoc = args.text.as_deref().map(outreach::ad_hoc_subject);
    outreach::matches::listed_entries(&exported, ad_hoc.as_deref(), &log.user, at, "")
}

/// Appends the entries to the log in one write, and says so.
fn append_listed(
    path: &Path,
    entries: &[Entry],
    args: &MatchArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    outreach::append(path, entries)?;
    // Machine formats on stdout stay clean: the note goes to stderr there.
    let note = format!(
        "Logged {} row(s) as listed in {}.",
        entries.len(),
        path.display()
    );
    if args.output.as_deref().is_none_or(is_stdout) {
        eprintln!("musubi: {note}");
    } else {
        writeln!(out, "{note}")?;
    }
    Ok(())
}

/// Runs the command; `lang` is the settings' language, which `--lang` overrides.
pub fn run(
    ws: &Workspace,
    args: &MatchArgs,
    lang: Lang,
    log: &OutreachLog,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    check_args(args)?;
    let lang = args.lang.map(Lang::from).unwrap_or(lang);
    // Candidates first: they and the records are read side by side.
    let candidates = ws.candidates()?;
    let Some(subject) = subject(args) else {
        return run_all_needs(ws, candidates, args, lang, log, out);
    };
    // One subject reads a few records (its own, its owner's, what it lists) from the snapshot
    // in place.
    let records = ws.records()?;
    let matcher = Matcher::with_candidates(records, &ws.vocabulary, Date::today(), candidates);
    let options = match_options(args, lang);
    let mut reports = vec![crate::trace::phase("match", || {
        matcher.run(&subject, &options)
    })?];
    apply_log(&mut reports, args, log, out)?;
    let export_options = |format| export_options(args, format, lang, false);
    // `-o -` is the same as no --output: standard output.
    let output = args.output.as_deref().filter(|p| !is_stdout(p));
    match (output, export_format(args)) {
        (Some(path), format) => {
            let format = format
                .or_else(|| ExportFormat::from_path(path))
                .unwrap_or(ExportFormat::Csv);
            let summary = export::export(&reports, records, &export_options(format), path)?;
            tell_written(&summary, out)?;
            log_listed(&reports, args, log, out)?;
        }
        (None, Some(format)) => {
            let bytes = export::render(&reports, records, &export_options(format))?;
            out.write_all(&bytes)?;
            log_listed(&reports, args, log, out)?;
        }
        (None, None) => {
            for report in &reports {
                print_report(
                    report,
                    table_width() as usize,
                    lang,
                    args.include_blocked,
                    out,
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `--all-needs`: every need matched a window at a time, each window's reports written out
/// (or printed) as soon as they are done, so that memory holds one window of reports however
/// many needs there are. The outputs are the same as if every report were kept until the end.
fn run_all_needs(
    ws: &Workspace,
    candidates: &crate::matching::Candidates,
    args: &MatchArgs,
    lang: Lang,
    log: &OutreachLog,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    // Every need reads most records: they are decoded at once, on every core.
    let records: &dyn Records = ws.catalog()?;
    let matcher = Matcher::with_candidates(records, &ws.vocabulary, Date::today(), candidates);
    let options = match_options(args, lang);
    let ledger = read_ledger(log)?;
    let output = args.output.as_deref().filter(|p| !is_stdout(p));
    let format = match (output, export_format(args)) {
        (Some(path), format) => format
            .or_else(|| ExportFormat::from_path(path))
            .or(Some(ExportFormat::Csv)),
        (None, format) => format,
    };
    // `--log` records the rows of an export; the table is not one.
    let listing = match format {
        Some(_) => listing_log(args, log)?,
        None => None,
    };
    let now = outreach::clock::now();
    let mut contacted_left_out = 0;
    let mut listed: Vec<Entry> = Vec::new();
    // The log's word on each window, and the rows it lists, before the window is written.
    let mut prepare = |window: &mut [MatchReport]| {
        contacted_left_out += apply_ledger(window, ledger.as_ref(), args, now);
        if listing.is_some() {
            listed.extend(listed_entries(window, args, log, now));
        }
    };
    // Whatever goes to standard output goes as it comes: on a terminal, a bar would cut
    // into it.
    let bar = if output.is_none() && std::io::stdout().is_terminal() {
        ProgressBar::hidden()
    } else {
        ProgressBar::on_terminal("musubi: matching needs")
    };
    let progress = |done, total| bar.update(done, total);
    let mut windows = |sink: &mut dyn FnMut(&[MatchReport]) -> Result<(), ExportError>| {
        crate::trace::phase("match all needs", || {
            matcher.run_all_needs_by_window(&options, &progress, &mut |mut window| {
                prepare(&mut window);
                sink(&window)
            })
        })
    };
    match (output, format) {
        (Some(path), Some(format)) => {
            let export_options = export_options(args, format, lang, true);
            let summary =
                export::export_by_window(records, &export_options, path, Box::new(windows));
            bar.finish();
            let summary = summary?;
            note_contacted_left_out(contacted_left_out, args, log, out)?;
            tell_written(&summary, out)?;
        }
        (None, Some(format)) => {
            let export_options = export_options(args, format, lang, true);
            let written =
                export::render_by_window(out, records, &export_options, Box::new(windows));
            bar.finish();
            written?;
        }
        (_, None) => {
            let width = table_width() as usize;
            let printed = windows(&mut |reports| {
                for report in reports {
                    print_report(report, width, lang, args.include_blocked, out)?;
                }
                Ok(())
            });
            bar.finish();
            printed?;
            // Known only once every need is matched: under the tables, not above them.
            note_contacted_left_out(contacted_left_out, args, log, out)?;
        }
    }
    if let Some(path) = listing {
        // Listed once the export is written, as for one subject.
        let at = outreach::clock::now();
        for entry in &mut listed {
            entry.at = at;
        }
        append_listed(&path, &listed, args, out)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// What `musubi match` asks of the matcher. Blocked datasets are always matched, so that
/// outputs can say how many were left out; they are shown or written only with
/// `--include-blocked`.
fn match_options(args: &MatchArgs, lang: Lang) -> MatchOptions {
    MatchOptions {
        limit: args.limit as usize,
        include_blocked: true,
        lang: Some(lang),
    }
}

/// The export format `--format` names (`None`: the table).
fn export_format(args: &MatchArgs) -> Option<ExportFormat> {
    match args.format {
        MatchFormat::Table => None,
        MatchFormat::Json => Some(ExportFormat::Json),
        MatchFormat::Csv => Some(ExportFormat::Csv),
        MatchFormat::Md => Some(ExportFormat::Markdown),
        MatchFormat::Xlsx => Some(ExportFormat::Xlsx),
    }
}

/// How an export of `musubi match` is written; `listed`: the reports go under `reports` in
/// JSON even when there is one (`--all-needs`).
fn export_options(
    args: &MatchArgs,
    format: ExportFormat,
    lang: Lang,
    listed: bool,
) -> ExportOptions {
    ExportOptions {
        include_blocked: args.include_blocked,
        always_list: listed,
        ..ExportOptions::new(format, lang)
    }
}

/// Says what an export wrote, what it left out, and anything about the file to know.
fn tell_written(summary: &ExportSummary, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(
        out,
        "Wrote {} ({} row(s); contact details withheld for {} without consent to contact).",
        summary.path.display(),
        summary.rows,
        summary.withheld_contacts
    )?;
    if summary.left_out > 0 {
        writeln!(
            out,
            "Left out {} dataset(s) the data-use rules block ({} for review by the data-use committee); --include-blocked lists them with the rule, without custodian contacts.",
            summary.left_out, summary.left_out_for_review
        )?;
    }
    for note in &summary.notes {
        eprintln!("musubi: warning: {}", crate::terminal_text::one_line(note));
    }
    Ok(())
}

/// A bar of eight cells for a score in [0, 1].
pub fn score_bar(score: f64) -> String {
    const EIGHTHS: [&str; 9] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"];
    let eighths = (score.clamp(0.0, 1.0) * 64.0).round() as usize;
    let mut bar = "█".repeat(eighths / 8);
    bar.push_str(EIGHTHS[eighths % 8]);
    format!("{bar:<8}")
}

fn print_section(
    title: &str,
    items: &[MatchItem],
    width: usize,
    lang: Lang,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out, "{title}")?;
    if items.is_empty() {
        writeln!(out, "  {}", text(Key::NoneInList, lang))?;
    }
    let id_width = items
        .iter()
        .map(|i| one_line(&i.id).len())
        .max()
        .unwrap_or(0);
    for (rank, item) in items.iter().enumerate() {
        let fixed = 2 + 3 + id_width + 2 + 2 + 5 + 1 + 8;
        let name = truncate_to_width(
            &one_line(item.title_in(lang)),
            width.saturating_sub(fixed).max(10),
        );
        let pad = width
            .saturating_sub(fixed)
            .max(10)
            .saturating_sub(unicode_width::UnicodeWidthStr::width(name.as_str()));
        writeln!(
            out,
            "  {:>2} {:<id_width$}  {name}{}  {:.2} {}",
            rank + 1,
            one_line(&item.id),
            " ".repeat(pad),
            item.score,
            score_bar(item.score)
        )?;
        let indent = "       ";
        for reason in &item.reasons {
            writeln!(
                out,
                "{indent}· {}",
                truncate_to_width(&one_line(reason), width.saturating_sub(9))
            )?;
        }
        for condition in &item.conditions {
            writeln!(
                out,
                "{indent}! {}",
                truncate_to_width(&one_line(condition), width.saturating_sub(9))
            )?;
        }
        if let Some(note) = &item.outreach {
            let mut line = format!("{indent}↺ {}", note.status);
            if !note.last_contacted.is_empty() {
                line.push_str(&format!(
                    " · last contacted {} by {}",
                    note.last_contacted, note.last_contacted_by
                ));
            }
            writeln!(
                out,
                "{}",
                truncate_to_width(&one_line(&line), width.saturating_sub(2))
            )?;
        }
        if let Some(blocked) = &item.blocked {
            // A for-review reason says so itself; a blocking one gets the verdict first.
            let label = match item.verdict {
                Some(Verdict::Blocked) => format!("{}: ", Verdict::Blocked.label(lang)),
                _ => String::new(),
            };
            writeln!(
                out,
                "{indent}✗ {label}{}",
                truncate_to_width(&one_line(blocked), width.saturating_sub(12 + label.len()))
            )?;
        }
    }
    Ok(())
}

/// One report as ranked sections for a terminal.
pub fn print_report(
    report: &MatchReport,
    width: usize,
    lang: Lang,
    include_blocked: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let subject = report.subject.line(lang);
    writeln!(
        out,
        "{}",
        one_line(&fill(Key::MatchesFor, lang, &[("subject", &subject)]))
    )?;
    let mut left_out = 0;
    for (title, items) in report.sections_in(lang) {
        let shown: Vec<MatchItem> = items
            .iter()
            .filter(|i| {
                let keep = include_blocked || !i.is_blocked();
                left_out += usize::from(!keep);
                keep
            })
            .cloned()
            .collect();
        print_section(title, &shown, width, lang, out)?;
    }
    if let Some(note) = export::left_out_note(left_out, lang) {
        writeln!(out, "{note}")?;
    }
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_bar_has_eight_cells() {
        assert_eq!(score_bar(1.0), "████████");
        assert_eq!(score_bar(0.0), "        ");
        assert_eq!(score_bar(0.5), "████    ");
    }
}
