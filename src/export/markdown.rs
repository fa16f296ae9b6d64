//! The Markdown memo for a meeting: subjects, date, notes, a table per section, contacts; every
//! word musubi writes itself in the export's language.

use super::rows::{exported_items, ContactStatus, OutreachRow, OutreachRows};
use super::{notes, ExportOptions};
use crate::consent::Verdict;
use crate::i18n::{fill, text, Key, Lang};
use crate::matching::MatchReport;
use std::collections::HashSet;
use std::fmt::Write;

/// The memo text.
pub(super) fn render(
    reports: &[MatchReport],
    rows: &OutreachRows,
    options: &ExportOptions,
) -> String {
    let mut subjects = Subjects::default();
    subjects.add(reports, options.lang);
    let mut out = head(&subjects, &notes(rows, options), options);
    sections(&mut out, reports, &rows.rows, options);
    let mut contacts = Contacts::default();
    contacts.add(&rows.rows, options.lang);
    out.push_str(&contacts.finish(options.lang));
    out
}

/// The subjects the memo's title names, gathered report by report.
#[derive(Default)]
pub(super) struct Subjects {
    joined: String,
    count: usize,
}

impl Subjects {
    /// Adds the subjects of `reports`.
    pub(super) fn add(&mut self, reports: &[MatchReport], lang: Lang) {
        for r in reports {
            if self.count > 0 {
                self.joined.push_str(" / ");
            }
            self.count += 1;
            match &r.subject.id {
                Some(id) => {
                    let _ = write!(self.joined, "{} ({id})", r.subject.title_in(lang));
                }
                None => self.joined.push_str(r.subject.title_in(lang)),
            }
        }
    }
}

/// The memo's title, date and notes.
pub(super) fn head(subjects: &Subjects, notes: &[String], options: &ExportOptions) -> String {
    let lang = options.lang;
    let mut out = String::new();
    let heading = if subjects.count == 0 {
        text(Key::MemoNoSubject, lang)
    } else {
        &subjects.joined
    };
    let _ = writeln!(
        out,
        "# {}\n",
        one_line(&fill(Key::MemoTitle, lang, &[("subjects", heading)]))
    );
    let _ = writeln!(out, "{}: {}\n", text(Key::MemoDate, lang), options.date);
    for (i, note) in notes.iter().enumerate() {
        let label = if i == 0 {
            text(Key::MemoPrivacy, lang)
        } else {
            text(Key::MemoConsent, lang)
        };
        let _ = writeln!(out, "> {label}: {note}\n");
    }
    out
}

/// Each report's heading and a table per section, of `rows` (the reports' rows, in report,
/// section and rank order).
pub(super) fn sections(
    out: &mut String,
    reports: &[MatchReport],
    rows: &[OutreachRow],
    options: &ExportOptions,
) {
    let lang = options.lang;
    // Rows come in report, section and rank order: take each section's rows in turn.
    let mut rest = rows;
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
            table(out, section_rows, lang);
        }
    }
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

/// The memo's closing list of contacts: each record once, where it first appears, gathered
/// a window of rows at a time.
#[derive(Default)]
pub(super) struct Contacts {
    /// The records listed so far (a set: a memo of every need has many rows).
    seen: HashSet<String>,
    /// Their lines.
    lines: String,
}

impl Contacts {
    /// Adds the records of `rows` not listed yet.
    pub(super) fn add(&mut self, rows: &[OutreachRow], lang: Lang) {
        for r in rows {
            if self.seen.contains(&r.match_id) {
                continue;
            }
            self.seen.insert(r.match_id.clone());
            let _ = writeln!(self.lines, "{}", contact_line(r, lang));
        }
    }

    /// The list's heading and lines.
    pub(super) fn finish(self, lang: Lang) -> String {
        let mut out = format!("## {}\n\n", text(Key::MemoContacts, lang));
        if self.seen.is_empty() {
            let _ = writeln!(out, "{}", text(Key::NoneSentence, lang));
        } else {
            out.push_str(&self.lines);
        }
        out
    }
}

/// One record of the contact list, with its contact details when it agreed to be contacted.
fn contact_line(r: &OutreachRow, lang: Lang) -> String {
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
    line
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
