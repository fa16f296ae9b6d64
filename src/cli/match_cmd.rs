//! `musubi match`: the matching engine from the command line, and its outputs.

use super::args::{MatchArgs, MatchFormat};
use super::output::table_width;
use crate::consent::{Date, Verdict};
use crate::export::{self, ExportFormat, ExportOptions};
use crate::i18n::{fill, text, Key, Lang};
use crate::matching::{AdHocNeed, MatchItem, MatchOptions, MatchReport, Matcher, Subject};
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
    Ok(())
}

/// Runs the command; `lang` is the settings' language, which `--lang` overrides.
pub fn run(
    ws: &Workspace,
    args: &MatchArgs,
    lang: Lang,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    check_args(args)?;
    let lang = args.lang.map(Lang::from).unwrap_or(lang);
    let matcher = Matcher::new(&ws.catalog, &ws.vocabulary, Date::today());
    // Blocked datasets are always matched, so that outputs can say how many were left out;
    // they are shown or written only with --include-blocked.
    let options = MatchOptions {
        limit: args.limit as usize,
        include_blocked: true,
        lang: Some(lang),
    };
    let (reports, listed) = match subject(args) {
        Some(subject) => (vec![matcher.run(&subject, &options)?], false),
        None => (matcher.run_all_needs(&options), true),
    };
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
            let summary = export::export(&reports, &ws.catalog, &export_options(format), path)?;
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
        }
        (None, Some(format)) => {
            let bytes = export::render(&reports, &ws.catalog, &export_options(format))?;
            out.write_all(&bytes)?;
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
