//! `musubi match`: the matching engine from the command line, and its outputs.

use super::args::{MatchArgs, MatchFormat};
use super::output::table_width;
use crate::consent::{Date, Verdict};
use crate::export::{self, ExportFormat, ExportOptions};
use crate::i18n::{fill, text, Key, Lang};
use crate::matching::{AdHocNeed, MatchItem, MatchOptions, MatchReport, Matcher, Subject};
use crate::outreach;
use crate::records::Records;
use crate::terminal_text::one_line;
use crate::width::truncate_to_width;
use crate::workspace::Workspace;
use anyhow::bail;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

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
    let Some(path) = &log.path else {
        return Ok(());
    };
    let ledger = super::outreach_cmd::read_log(path)?;
    let mut left_out = 0;
    for report in reports.iter_mut() {
        if args.exclude_contacted {
            left_out += outreach::matches::exclude_contacted(
                report,
                &ledger,
                outreach::clock::now(),
                args.within,
            );
        }
        outreach::matches::annotate(report, &ledger);
    }
    if args.exclude_contacted && left_out > 0 && args.format == MatchFormat::Table {
        writeln!(
            out,
            "Left out {left_out} match(es) contacted within {} days (outreach log {}).",
            args.within,
            path.display()
        )?;
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
    let Some(explicit) = &args.log else {
        return Ok(());
    };
    let Some(path) = explicit.clone().or_else(|| log.path.clone()) else {
        bail!("no outreach log to record in: pass --log FILE or set outreach_log")
    };
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
    let entries = outreach::matches::listed_entries(
        &exported,
        ad_hoc.as_deref(),
        &log.user,
        outreach::clock::now(),
        "",
    );
    outreach::append(&path, &entries)?;
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
    // One subject reads a few records (its own, its owner's, what it lists) from the snapshot
    // in place; every need reads them all, decoded at once on every core.
    let records: &dyn Records = match subject(args) {
        Some(_) => ws.records()?,
        None => ws.catalog()?,
    };
    let matcher = Matcher::with_candidates(records, &ws.vocabulary, Date::today(), candidates);
    // Blocked datasets are always matched, so that outputs can say how many were left out;
    // they are shown or written only with --include-blocked.
    let options = MatchOptions {
        limit: args.limit as usize,
        include_blocked: true,
        lang: Some(lang),
    };
    let (mut reports, listed) = match subject(args) {
        Some(subject) => (
            vec![crate::trace::phase("match", || {
                matcher.run(&subject, &options)
            })?],
            false,
        ),
        None => {
            let bar = super::progress_bar::ProgressBar::on_terminal("musubi: matching needs");
            let reports = crate::trace::phase("match all needs", || {
                matcher.run_all_needs_reporting(&options, &|done, total| bar.update(done, total))
            });
            bar.finish();
            (reports, true)
        }
    };
    apply_log(&mut reports, args, log, out)?;
    let format = match args.format {
        MatchFormat::Table => None,
        MatchFormat::Json => Some(ExportFormat::Json),
        MatchFormat::Csv => Some(ExportFormat::Csv),
        MatchFormat::Md => Some(ExportFormat::Markdown),
        MatchFormat::Xlsx => Some(ExportFormat::Xlsx),
    };
    let export_options = |format| ExportOptions {
        include_blocked: args.include_blocked,
        always_list: listed,
        ..ExportOptions::new(format, lang)
    };
    // `-o -` is the same as no --output: standard output.
    let output = args.output.as_deref().filter(|p| !is_stdout(p));
    match (output, format) {
        (Some(path), format) => {
            let format = format
                .or_else(|| ExportFormat::from_path(path))
                .unwrap_or(ExportFormat::Csv);
            let summary = export::export(&reports, records, &export_options(format), path)?;
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
