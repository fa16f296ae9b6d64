//! `musubi gaps`: needs and proposals no allowed dataset serves well, grouped by disease.

use super::outreach_args::{GapsArgs, GapsFormat};
use super::plain::plain;
use crate::consent::Date;
use crate::export::sheet::Sheet;
use crate::gaps::{gap_report, DiseaseGaps, GapReason, GapReport};
use crate::width::truncate_to_width;
use crate::workspace::Workspace;
use anyhow::bail;
use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;

/// Refuses argument combinations that cannot work, before any data is opened.
pub fn check_args(args: &GapsArgs) -> anyhow::Result<()> {
    if args.format == GapsFormat::Xlsx && args.output.is_none() {
        bail!("--format xlsx writes a workbook: add --output FILE.xlsx")
    }
    Ok(())
}

/// Runs the command.
pub fn run(ws: &Workspace, args: &GapsArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let report = gap_report(
        ws.catalog()?,
        ws.candidates()?,
        &ws.vocabulary,
        Date::today(),
    );
    let bytes = match args.format {
        GapsFormat::Table => table(&report, super::output::table_width() as usize).into_bytes(),
        GapsFormat::Json => {
            let mut b = serde_json::to_vec_pretty(&report)?;
            b.push(b'\n');
            b
        }
        GapsFormat::Csv => sheet(&report).to_csv()?,
        GapsFormat::Md => markdown(&report).into_bytes(),
        GapsFormat::Xlsx => sheet(&report).to_xlsx()?,
    };
    match &args.output {
        Some(path) => {
            crate::atomic_file::write_atomically(path, &bytes, false)
                .map_err(|e| anyhow::anyhow!("could not write {}: {e}", path.display()))?;
            writeln!(
                out,
                "Wrote {} ({} gap(s) over {} disease(s)).",
                path.display(),
                report.gaps,
                report.diseases.len()
            )?;
        }
        None => out.write_all(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The best dataset a reason names, with its cases where the reason says them.
fn best(reason: &GapReason) -> (String, String) {
    match reason {
        GapReason::TooFewCases { dataset, cases, .. } => (dataset.clone(), cases.to_string()),
        GapReason::RelatedFieldOnly { dataset, .. } => (dataset.clone(), String::new()),
        _ => (String::new(), String::new()),
    }
}

/// One row per gap.
pub fn sheet(report: &GapReport) -> Sheet {
    let mut sheet = Sheet::new(
        "Gaps",
        &[
            "disease",
            "disease_label",
            "subject",
            "kind",
            "title",
            "cases_needed",
            "why",
            "detail",
            "best_dataset",
            "best_cases",
        ],
    );
    for group in &report.diseases {
        for gap in &group.gaps {
            let (dataset, cases) = best(&gap.reason);
            sheet.push(vec![
                group.disease.clone().unwrap_or_default(),
                group.label.clone(),
                gap.subject.clone(),
                gap.kind.to_string(),
                gap.title.clone(),
                gap.cases_needed.map(|n| n.to_string()).unwrap_or_default(),
                gap.reason.category().to_string(),
                gap.reason.explain(),
                dataset,
                cases,
            ]);
        }
    }
    sheet
}

fn group_summary(group: &DiseaseGaps) -> String {
    let counts: Vec<String> = group
        .counts
        .iter()
        .map(|(category, n)| format!("{n} {}", category.replace('_', " ")))
        .collect();
    let cases = if group.cases_needed > 0 {
        format!(", {} case(s) asked for", group.cases_needed)
    } else {
        String::new()
    };
    format!(
        "{} subject(s){cases}: {}",
        group.gaps.len(),
        counts.join(", ")
    )
}

fn totals(report: &GapReport) -> String {
    let counts: Vec<String> = report
        .counts
        .iter()
        .map(|(category, n)| format!("{n} {}", category.replace('_', " ")))
        .collect();
    format!(
        "{} of {} need(s) and proposal(s) lack a good dataset, over {} disease(s){}{}",
        report.gaps,
        report.subjects,
        report.diseases.len(),
        if counts.is_empty() { "" } else { ": " },
        counts.join(", ")
    )
}

/// For a terminal: a heading per disease, one line per subject with its reason under it.
pub fn table(report: &GapReport, width: usize) -> String {
    let mut out = String::new();
    for group in &report.diseases {
        let _ = writeln!(out, "{} — {}", plain(&group.label), group_summary(group));
        for gap in &group.gaps {
            let line = format!("  {} [{}] {}", gap.subject, gap.kind, gap.title);
            let _ = writeln!(out, "{}", truncate_to_width(&plain(&line), width));
            let why = format!("      {}", gap.reason.explain());
            let _ = writeln!(out, "{}", truncate_to_width(&plain(&why), width));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", totals(report));
    out
}

/// A memo: a section per disease with a table of its subjects.
pub fn markdown(report: &GapReport) -> String {
    let mut out = format!(
        "# Gaps: needs and proposals without a good dataset\n\n{}.\n",
        totals(report)
    );
    for group in &report.diseases {
        let _ = write!(out, "\n## {}\n\n{}.\n\n", group.label, group_summary(group));
        let mut sheet = Sheet::new("", &["subject", "kind", "title", "cases needed", "why"]);
        for gap in &group.gaps {
            sheet.push(vec![
                gap.subject.clone(),
                gap.kind.to_string(),
                gap.title.clone(),
                gap.cases_needed.map(|n| n.to_string()).unwrap_or_default(),
                gap.reason.explain(),
            ]);
        }
        out.push_str(&sheet.to_markdown());
    }
    out
}
