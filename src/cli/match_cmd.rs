//! `musubi match`: the matching engine from the command line, and its outputs.

use super::args::{MatchArgs, MatchFormat};
use super::output::table_width;
use crate::consent::Date;
use crate::export::{self, ExportFormat};
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
            commercial: args.commercial,
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

/// Runs the command.
pub fn run(ws: &Workspace, args: &MatchArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    check_args(args)?;
    let matcher = Matcher::new(&ws.catalog, &ws.vocabulary, Date::today());
    let options = MatchOptions {
        limit: args.limit as usize,
        include_blocked: args.include_blocked,
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
    // `-o -` is the same as no --output: standard output.
    let output = args.output.as_deref().filter(|p| !is_stdout(p));
    match (output, format) {
        (Some(path), format) => {
            let format = format
                .or_else(|| ExportFormat::from_path(path))
                .unwrap_or(ExportFormat::Csv);
            let summary = if listed {
                export::export_report_list(&reports, &ws.catalog, format, path)?
            } else {
                export::export_reports(&reports, &ws.catalog, format, path)?
            };
            writeln!(
                out,
                "Wrote {} ({} row(s); contact details withheld for {} without consent to contact).",
                summary.path.display(),
                summary.rows,
                summary.withheld_contacts
            )?;
            for note in &summary.notes {
                eprintln!("musubi: warning: {}", crate::terminal_text::one_line(note));
            }
        }
        (None, Some(format)) => {
            let bytes = if listed {
                export::render_report_list(&reports, &ws.catalog, format)?
            } else {
                export::render_reports(&reports, &ws.catalog, format)?
            };
            out.write_all(&bytes)?;
        }
        (None, None) => {
            for report in &reports {
                print_report(report, table_width() as usize, out)?;
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
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out, "{title}")?;
    if items.is_empty() {
        writeln!(out, "  (none)")?;
    }
    let id_width = items
        .iter()
        .map(|i| one_line(&i.id).len())
        .max()
        .unwrap_or(0);
    for (rank, item) in items.iter().enumerate() {
        let fixed = 2 + 3 + id_width + 2 + 2 + 5 + 1 + 8;
        let name = truncate_to_width(&one_line(&item.title), width.saturating_sub(fixed).max(10));
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
            writeln!(
                out,
                "{indent}✗ BLOCKED: {}",
                truncate_to_width(&one_line(blocked), width.saturating_sub(20))
            )?;
        }
    }
    Ok(())
}

/// One report as ranked sections for a terminal.
pub fn print_report(
    report: &MatchReport,
    width: usize,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let s = &report.subject;
    writeln!(
        out,
        "Matches for {} [{}{}]",
        one_line(&s.display_name()),
        s.kind.as_str(),
        if s.commercial {
            ", commercial"
        } else {
            ", non-commercial"
        }
    )?;
    print_section("Datasets", &report.datasets, width, out)?;
    print_section("Partners", &report.partners, width, out)?;
    print_section("Proposals", &report.proposals, width, out)?;
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
