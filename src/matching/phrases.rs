//! The sentences of match reasons, from the phrase table of [`crate::i18n`], short enough to
//! paste into an email.

use super::profile::Lang;
use super::relations::{DiseaseLink, Relation};
use crate::i18n::{fill, say, Key};
use crate::model::ProposalStatus;
use crate::vocab::Vocabulary;

fn label(vocab: &Vocabulary, id: &str, lang: Lang) -> String {
    vocab.label(id, lang == Lang::Ja)
}

fn list(vocab: &Vocabulary, ids: &[&String], lang: Lang) -> String {
    ids.iter()
        .map(|id| label(vocab, id, lang))
        .collect::<Vec<_>>()
        .join(lang.list_separator())
}

/// "same disease: 膵がん", "covers neuroblastoma, a kind of paediatric cancer", …
pub fn disease(vocab: &Vocabulary, link: &DiseaseLink, lang: Lang) -> String {
    let s = label(vocab, &link.subject, lang);
    let c = label(vocab, &link.candidate, lang);
    let args = [("s", s.as_str()), ("c", c.as_str())];
    match &link.relation {
        Relation::Same => fill(Key::SameDisease, lang, &args),
        Relation::Narrower(_) => fill(Key::NarrowerDisease, lang, &args),
        Relation::Broader(_) => fill(Key::BroaderDisease, lang, &args),
        Relation::Root => fill(Key::RootDisease, lang, &args),
        Relation::Sibling(parent) => {
            let p = label(vocab, parent, lang);
            fill(
                Key::SiblingDisease,
                lang,
                &[("s", &s), ("c", &c), ("p", &p)],
            )
        }
    }
}

/// "related field only": the label of a match whose only disease link is a shared group.
pub fn related_field_only(lang: Lang) -> String {
    say(Key::RelatedFieldOnly, lang)
}

/// "has WGS, RNA-seq; lacks proteomics".
pub fn modalities(vocab: &Vocabulary, has: &[&String], lacks: &[&String], lang: Lang) -> String {
    let (h, l) = (list(vocab, has, lang), list(vocab, lacks, lang));
    let args = [("has", h.as_str()), ("lacks", l.as_str())];
    match (has.is_empty(), lacks.is_empty()) {
        (false, true) => fill(Key::HasModalities, lang, &args),
        (true, _) => fill(Key::LacksModalities, lang, &args),
        (false, false) => fill(Key::HasAndLacksModalities, lang, &args),
    }
}

/// "820 cases ≥ 500 needed", "160 cases < 500 needed (32%)".
pub fn cases(cases: u64, needed: u64, lang: Lang) -> String {
    let percent = (u128::from(cases) * 100)
        .checked_div(u128::from(needed))
        .unwrap_or(100);
    let (c, n, p) = (cases.to_string(), needed.to_string(), percent.to_string());
    let args = [("cases", c.as_str()), ("needed", &n), ("percent", &p)];
    if cases >= needed {
        fill(Key::CasesEnough, lang, &args)
    } else {
        fill(Key::CasesShort, lang, &args)
    }
}

/// "clinical items: treatment, recurrence".
pub fn clinical(vocab: &Vocabulary, has: &[&String], lang: Lang) -> String {
    fill(
        Key::ClinicalItems,
        lang,
        &[("items", &list(vocab, has, lang))],
    )
}

/// "similar description".
pub fn similar_text(lang: Lang) -> String {
    say(Key::SimilarText, lang)
}

/// "expertise fits: RNA-seq, drug discovery".
pub fn fits(vocab: &Vocabulary, matched: &[&String], lang: Lang) -> String {
    fill(
        Key::ExpertiseFits,
        lang,
        &[("items", &list(vocab, matched, lang))],
    )
}

/// "brings single-cell RNA-seq, ELSI".
pub fn complements(skills: &[String], lang: Lang) -> String {
    fill(
        Key::Complements,
        lang,
        &[("items", &skills.join(lang.list_separator()))],
    )
}

/// "industry forum (pharma)".
pub fn forum(forum: &str, sector: Option<&str>, lang: Lang) -> String {
    let name = match forum {
        "industry" => say(Key::IndustryForum, lang),
        _ => say(Key::AcademiaForum, lang),
    };
    match sector {
        Some(s) => fill(
            Key::ForumWithSector,
            lang,
            &[("forum", &name), ("sector", s)],
        ),
        None => name,
    }
}

/// "shared exit strategy: drug discovery".
pub fn strategies(vocab: &Vocabulary, shared: &[&String], lang: Lang) -> String {
    fill(
        Key::SharedStrategy,
        lang,
        &[("items", &list(vocab, shared, lang))],
    )
}

/// "seeks industry partners".
pub fn seeks(forum: &str, lang: Lang) -> String {
    match forum {
        "industry" => say(Key::SeeksIndustry, lang),
        _ => say(Key::SeeksAcademia, lang),
    }
}

/// "status: active".
pub fn status(status: ProposalStatus, lang: Lang) -> String {
    let word = match status {
        ProposalStatus::Draft => Key::StatusDraft,
        ProposalStatus::Submitted => Key::StatusSubmitted,
        ProposalStatus::UnderReview => Key::StatusUnderReview,
        ProposalStatus::Approved => Key::StatusApproved,
        ProposalStatus::Active => Key::StatusActive,
        ProposalStatus::Closed => Key::StatusClosed,
    };
    fill(Key::ProposalStatus, lang, &[("status", &say(word, lang))])
}
