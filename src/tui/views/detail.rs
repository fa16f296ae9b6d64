//! The detail pane: every field of a record, its references (followable) and unknown fields.

use super::super::app::{App, Focus};
use super::super::data::Data;
use super::super::layout;
use super::super::strings;
use super::super::theme::Theme;
use super::{block, popup};
use crate::model::Record;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

/// The detail pane of the search screen.
pub fn draw_pane(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let focused = app.focus == Focus::Detail;
    let title = match app.detail.stack.len() {
        0 => strings::DETAIL_TITLE.to_string(),
        n => format!("{}← Esc ({n}) ", strings::DETAIL_TITLE),
    };
    let b = block(title, focused, theme);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    draw_record(frame, inner, app, focused, theme);
}

/// The record popup of the matches screen.
pub fn draw_popup(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let rect = layout::centered(
        area,
        area.width.saturating_sub(6).max(40),
        area.height.saturating_sub(4),
    );
    let inner = popup(frame, rect, strings::DETAIL_TITLE, theme);
    draw_record(frame, inner, app, true, theme);
}

fn draw_record(frame: &mut Frame, inner: Rect, app: &App, focused: bool, theme: &Theme) {
    let (Some(data), Some(record)) = (&app.data, app.detail_record()) else {
        frame.render_widget(
            Paragraph::new(Span::styled(strings::NO_SELECTION, theme.muted)),
            inner,
        );
        return;
    };
    let selected = focused.then_some(app.detail.link);
    let lines = lines(
        data,
        record,
        selected,
        app.marks.contains(record.id()),
        theme,
    );
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((app.detail.scroll, 0)),
        inner,
    );
}

fn join(values: &[String]) -> String {
    values.join(", ")
}

fn opt(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn num(value: Option<u64>) -> String {
    value.map(|n| n.to_string()).unwrap_or_default()
}

/// (label, value) of every known field of a record, empty values left out later.
pub fn fields(data: &Data, record: &Record) -> Vec<(&'static str, String)> {
    match record {
        Record::Dataset(d) => vec![
            ("Area", d.area.as_str().into()),
            ("Diseases", join(&d.diseases)),
            ("Cases", d.cases.to_string()),
            ("Modalities", join(&d.modalities)),
            ("Clinical", join(&d.clinical)),
            (
                "Custodian",
                // A known custodian is under References already.
                d.custodian
                    .as_deref()
                    .filter(|c| data.record(c).is_none())
                    .map(|c| data.name_of(c))
                    .unwrap_or_default(),
            ),
            ("Fiscal year", opt(&d.fiscal_year)),
            (
                "Access",
                d.access.map(|a| a.as_str().to_string()).unwrap_or_default(),
            ),
            (
                "Data use",
                d.data_use
                    .iter()
                    .map(|c| crate::consent::parse_code(c).to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            ("Summary", opt(&d.summary)),
        ],
        Record::Researcher(r) => vec![
            ("English name", opt(&r.name_en)),
            ("Affiliation", opt(&r.affiliation)),
            ("Affiliation (en)", opt(&r.affiliation_en)),
            ("Role", opt(&r.role)),
            (
                "Forum",
                r.forum.map(|f| f.as_str().to_string()).unwrap_or_default(),
            ),
            (
                "Areas",
                r.areas
                    .iter()
                    .map(|a| a.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            ("Diseases", join(&r.diseases)),
            ("Expertise", join(&r.expertise)),
            ("Summary", opt(&r.summary)),
            ("Email", consented(r.contact_ok, &r.email)),
            ("Contact OK", yes_no(r.contact_ok)),
        ],
        Record::Organization(o) => vec![
            ("English name", opt(&o.name_en)),
            ("Forum", o.forum.as_str().into()),
            ("Sector", opt(&o.sector)),
            ("Interests", join(&o.interests)),
            ("Offers", join(&o.offers)),
            ("Summary", opt(&o.summary)),
            ("Contact", consented(o.contact_ok, &o.contact_name)),
            ("Email", consented(o.contact_ok, &o.email)),
            ("Contact OK", yes_no(o.contact_ok)),
        ],
        Record::Proposal(p) => vec![
            ("English title", opt(&p.title_en)),
            (
                "Proposer",
                p.proposer
                    .as_deref()
                    .map(|c| data.name_of(c))
                    .unwrap_or_default(),
            ),
            (
                "Partners",
                p.partners
                    .iter()
                    .map(|c| data.name_of(c))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            (
                "Area",
                p.area.map(|a| a.as_str().to_string()).unwrap_or_default(),
            ),
            (
                "Status",
                p.status.map(|s| s.as_str().to_string()).unwrap_or_default(),
            ),
            ("Diseases", join(&p.diseases)),
            ("Exit strategy", join(&p.exit_strategy)),
            ("Target cases", num(p.target_cases)),
            ("Modalities", join(&p.modalities)),
            (
                "Seeking",
                p.seeking
                    .iter()
                    .map(|f| f.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            ("Summary", opt(&p.summary)),
        ],
        Record::Need(n) => vec![
            (
                "Owner",
                // A known owner is under References already: said once.
                n.owner
                    .as_deref()
                    .filter(|c| data.record(c).is_none())
                    .map(|c| data.name_of(c))
                    .unwrap_or_default(),
            ),
            ("Text", n.text.clone()),
            (
                "Area",
                n.area.map(|a| a.as_str().to_string()).unwrap_or_default(),
            ),
            ("Diseases", join(&n.diseases)),
            ("Modalities", join(&n.modalities)),
            ("Min cases", num(n.min_cases)),
            ("Commercial", commercial_in_words(data, n)),
        ],
    }
}

/// The commercial decision on a need and why, e.g. "commercial (owner ORG-IND-01 is in the
/// industry forum)": the same rule the matcher applies.
fn commercial_in_words(data: &Data, need: &crate::model::Need) -> String {
    let standing = crate::consent::owner_standing(need.owner.as_deref(), &data.catalog);
    let decided = crate::consent::derive_commercial(need.commercial, &standing);
    format!(
        "{} ({})",
        decided.word(crate::i18n::Lang::En),
        decided.basis_in(crate::i18n::Lang::En)
    )
}

fn yes_no(b: bool) -> String {
    if b {
        "yes".into()
    } else {
        "no".into()
    }
}

/// The lines of a record: heading, references, fields, unknown fields.
pub fn lines(
    data: &Data,
    record: &Record,
    selected_link: Option<usize>,
    marked: bool,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let mark = if marked { "● " } else { "" };
    out.push(Line::from(vec![
        Span::styled(mark.to_string(), theme.mark),
        Span::styled(record.title(), theme.title),
    ]));
    out.push(Line::from(Span::styled(
        format!("{} · {}", record.kind().as_str(), record.id()),
        theme.muted,
    )));
    let links = data.links(record);
    if !links.is_empty() {
        out.push(Line::from(Span::styled(strings::REFERENCES, theme.accent)));
        for (i, link) in links.iter().enumerate() {
            let style = if selected_link == Some(i) {
                theme.selection
            } else {
                theme.link
            };
            out.push(Line::from(vec![
                Span::raw(format!(" → {}: ", link.relation)),
                Span::styled(data.name_of(&link.id), style),
            ]));
        }
    }
    for (label, value) in fields(data, record) {
        if value.trim().is_empty() {
            continue;
        }
        out.push(Line::from(vec![
            Span::styled(format!("{label}: "), theme.accent),
            Span::raw(value),
        ]));
    }
    let extra = record.extra();
    if !extra.is_empty() {
        out.push(Line::from(Span::styled(strings::OTHER_FIELDS, theme.muted)));
        for (key, value) in extra {
            let text = match value {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            out.push(Line::from(vec![
                Span::styled(format!("{key}: "), theme.muted),
                Span::styled(text, Style::new()),
            ]));
        }
    }
    out
}

/// A contact detail, shown only with consent to be contacted (`contact_ok`).
fn consented(contact_ok: bool, value: &Option<String>) -> String {
    match value {
        Some(v) if !v.trim().is_empty() && !contact_ok => strings::CONTACT_WITHHELD.to_string(),
        _ => opt(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_details_show_only_with_consent() {
        let email = Some("k.mori@example.org".to_string());
        assert_eq!(consented(true, &email), "k.mori@example.org");
        assert_eq!(consented(false, &email), strings::CONTACT_WITHHELD);
        assert_eq!(consented(false, &None), opt(&None));
    }
}
