//! The Markdown memo for a meeting: subjects, date, privacy note, a table per section, contacts.

use super::rows::{ContactStatus, OutreachRow, PRIVACY_NOTE};
use crate::consent::Date;
use crate::matching::MatchReport;
use std::fmt::Write;

/// The memo text.
pub(super) fn render(reports: &[MatchReport], rows: &[OutreachRow], date: Date) -> String {
    let mut out = String::new();
    let subjects: Vec<String> = reports.iter().map(|r| r.subject.display_name()).collect();
    let heading = if subjects.is_empty() {
        "(no subject)".to_string()
    } else {
        subjects.join(" / ")
    };
    let _ = writeln!(out, "# Matches: {}\n", one_line(&heading));
    let _ = writeln!(out, "Date: {date}\n");
    let _ = writeln!(out, "> Privacy: {PRIVACY_NOTE}\n");
    // Rows come in report, section and rank order: take each section's rows in turn.
    let mut rest = rows;
    for report in reports {
        let subject = report.subject.display_name();
        let commercial = if report.subject.commercial {
            "commercial"
        } else {
            "non-commercial"
        };
        let _ = writeln!(
            out,
            "## {} ({}, {commercial})\n",
            one_line(&subject),
            report.subject.kind.as_str()
        );
        for (section, items) in report.sections() {
            let _ = writeln!(out, "### {section}\n");
            let (section_rows, after) = rest.split_at(items.len().min(rest.len()));
            rest = after;
            if section_rows.is_empty() {
                let _ = writeln!(out, "None.\n");
                continue;
            }
            table(&mut out, section_rows);
        }
    }
    contacts(&mut out, rows);
    out
}

fn table(out: &mut String, rows: &[OutreachRow]) {
    let any_blocked = rows.iter().any(|r| r.blocked.is_some());
    let _ = write!(out, "| Rank | ID | Name | Score | Reasons | Conditions |");
    let _ = write!(out, "{}", if any_blocked { " Blocked |\n" } else { "\n" });
    let _ = write!(out, "|---:|---|---|---:|---|---|");
    let _ = write!(out, "{}", if any_blocked { "---|\n" } else { "\n" });
    for r in rows {
        let _ = write!(
            out,
            "| {} | {} | {} | {:.2} | {} | {} |",
            r.rank,
            cell(&r.match_id),
            cell(&r.name),
            r.score,
            cell(&r.reasons.join("; ")),
            cell(&r.conditions.join("; ")),
        );
        if any_blocked {
            let _ = write!(out, " {} |", cell(r.blocked.as_deref().unwrap_or("")));
        }
        out.push('\n');
    }
    out.push('\n');
}

fn contacts(out: &mut String, rows: &[OutreachRow]) {
    let _ = writeln!(out, "## Contacts\n");
    let mut seen: Vec<&str> = Vec::new();
    for r in rows {
        if seen.contains(&r.match_id.as_str()) {
            continue;
        }
        seen.push(&r.match_id);
        let mut line = format!("- **{}** ({}, {})", one_line(&r.name), r.match_id, r.kind);
        if !r.organisation.is_empty() {
            let _ = write!(line, " — {}", one_line(&r.organisation));
        }
        match r.contact {
            ContactStatus::Consented if r.has_contact_details() => {
                let mut who = one_line(&r.contact_name);
                if !r.email.is_empty() {
                    if !who.is_empty() {
                        who.push(' ');
                    }
                    let _ = write!(who, "<{}>", one_line(&r.email));
                }
                let _ = write!(line, ": {who}");
            }
            ContactStatus::Consented => {
                line.push_str(": agreed to be contacted, no details on file")
            }
            other => {
                let _ = write!(line, ": {}", other.note());
            }
        }
        let _ = writeln!(out, "{line}");
    }
    if seen.is_empty() {
        let _ = writeln!(out, "None.");
    }
}

/// Text made safe for one table cell.
fn cell(text: &str) -> String {
    one_line(text).replace('|', "\\|")
}

/// Line breaks folded to spaces.
fn one_line(text: &str) -> String {
    text.split(['\n', '\r'])
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_stay_on_one_line_and_keep_pipes_literal() {
        assert_eq!(cell("a|b\nc"), "a\\|b c");
        assert_eq!(one_line("膵がん\r\nWGS"), "膵がん WGS");
    }
}
