//! The Markdown memo for a meeting: subjects, date, notes, a table per section, contacts; every
//! word musubi writes itself in the export's language.

use super::rows::{exported_items, ContactStatus, OutreachRow, OutreachRows};
use super::{notes, ExportOptions};
use crate::consent::Verdict;
use crate::i18n::{fill, text, Key, Lang};
use crate::matching::MatchReport;
use std::fmt::Write;

/// The memo text.
pub(super) fn render(
    reports: &[MatchReport],
    rows: &OutreachRows,
    options: &ExportOptions,
) -> String {
    let lang = options.lang;
    let mut out = String::new();
    let subjects: Vec<String> = reports
        .iter()
        .map(|r| match &r.subject.id {
            Some(id) => format!("{} ({id})", r.subject.title_in(lang)),
            None => r.subject.title_in(lang).to_string(),
        })
        .collect();
    let heading = if subjects.is_empty() {
        text(Key::MemoNoSubject, lang).to_string()
    } else {
        subjects.join(" / ")
    };
    let _ = writeln!(
        out,
        "# {}\n",
        one_line(&fill(Key::MemoTitle, lang, &[("subjects", &heading)]))
    );
    let _ = writeln!(out, "{}: {}\n", text(Key::MemoDate, lang), options.date);
    for (i, note) in notes(rows, options).iter().enumerate() {
        let label = if i == 0 {
            text(Key::MemoPrivacy, lang)
        } else {
            text(Key::MemoConsent, lang)
        };
        let _ = writeln!(out, "> {label}: {note}\n");
    }
    // Rows come in report, section and rank order: take each section's rows in turn.
    let mut rest = rows.rows.as_slice();
    for report in reports {
        let _ = writeln!(out, "## {}\n", one_line(&report.subject.line(lang)));
        for (section, items) in report.sections_in(lang) {
            let _ = writeln!(out, "### {section}\n");
            let count = exported_items(items, options.include_blocked).len();
            let (section_rows, after) = rest.split_at(count.min(rest.len()));
            rest = after;
            if section_rows.is_empty() {
                let _ = writeln!(out, "{}\n", text(Key::NoneSentence, lang));
                continue;
            }
            table(&mut out, section_rows, lang);
        }
    }
    contacts(&mut out, &rows.rows, lang);
    out
}

fn table(out: &mut String, rows: &[OutreachRow], lang: Lang) {
    let any_blocked = rows.iter().any(|r| r.blocked.is_some());
    let header = [
        text(Key::HeaderRank, lang),
        "ID",
        text(Key::HeaderName, lang),
        text(Key::HeaderScore, lang),
        text(Key::HeaderReasons, lang),
        text(Key::HeaderConditions, lang),
    ];
    let _ = write!(out, "| {} |", header.join(" | "));
    if any_blocked {
        let _ = write!(out, " {} |", text(Key::HeaderVerdict, lang));
    }
    out.push('\n');
    let _ = write!(out, "|---:|---|---|---:|---|---|");
    let _ = write!(out, "{}", if any_blocked { "---|\n" } else { "\n" });
    for r in rows {
        let name = if lang == Lang::En && !r.name_en.is_empty() {
            &r.name_en
        } else {
            &r.name
        };
        let _ = write!(
            out,
            "| {} | {} | {} | {:.2} | {} | {} |",
            r.rank,
            cell(&r.match_id),
            cell(name),
            r.score,
            cell(&r.reasons.join("; ")),
            cell(&r.conditions.join("; ")),
        );
        if any_blocked {
            let verdict = match (r.verdict, &r.blocked) {
                // A for-review reason says so itself.
                (Some(Verdict::Review), Some(why)) => why.clone(),
                (Some(v), Some(why)) => format!("{}: {why}", v.label(lang)),
                (Some(v), None) => v.label(lang).to_string(),
                (None, _) => String::new(),
            };
            let _ = write!(out, " {} |", cell(&verdict));
        }
        out.push('\n');
    }
    out.push('\n');
}

fn contacts(out: &mut String, rows: &[OutreachRow], lang: Lang) {
    let _ = writeln!(out, "## {}\n", text(Key::MemoContacts, lang));
    // Each record once, where it first appears (a set: a memo of every need has many rows).
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for r in rows {
        if !seen.insert(&r.match_id) {
            continue;
        }
        let name = if lang == Lang::En && !r.name_en.is_empty() {
            &r.name_en
        } else {
            &r.name
        };
        let kind = match r.kind {
            crate::model::Kind::Dataset => text(Key::KindDataset, lang),
            crate::model::Kind::Researcher => text(Key::KindResearcher, lang),
            crate::model::Kind::Organization => text(Key::KindOrganization, lang),
            crate::model::Kind::Proposal => text(Key::KindProposal, lang),
            crate::model::Kind::Need => text(Key::KindNeed, lang),
        };
        let mut line = format!("- **{}** ({}, {kind})", one_line(name), r.match_id);
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
                let _ = write!(line, ": {}", text(Key::ContactNoDetails, lang));
            }
            other => {
                let _ = write!(line, ": {}", other.note_in(lang));
            }
        }
        let _ = writeln!(out, "{line}");
    }
    if seen.is_empty() {
        let _ = writeln!(out, "{}", text(Key::NoneSentence, lang));
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
