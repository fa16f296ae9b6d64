//! The sentences of match reasons, in Japanese or English after the subject's own language,
//! short enough to paste into an email.

use super::profile::Lang;
use super::relations::{DiseaseLink, Relation};
use crate::vocab::Vocabulary;

fn label(vocab: &Vocabulary, id: &str, lang: Lang) -> String {
    vocab.label(id, lang == Lang::Ja)
}

fn list(vocab: &Vocabulary, ids: &[&String], lang: Lang) -> String {
    let sep = if lang == Lang::Ja { "・" } else { ", " };
    ids.iter()
        .map(|id| label(vocab, id, lang))
        .collect::<Vec<_>>()
        .join(sep)
}

/// "same disease: 膵がん", "covers neuroblastoma, a kind of paediatric cancer", …
pub fn disease(vocab: &Vocabulary, link: &DiseaseLink, lang: Lang) -> String {
    let s = label(vocab, &link.subject, lang);
    let c = label(vocab, &link.candidate, lang);
    match (&link.relation, lang) {
        (Relation::Same, Lang::Ja) => format!("疾患が一致: {s}"),
        (Relation::Same, Lang::En) => format!("same disease: {s}"),
        (Relation::Narrower(_), Lang::Ja) => format!("{c}（{s}に含まれる）を対象"),
        (Relation::Narrower(_), Lang::En) => format!("covers {c}, a kind of {s}"),
        (Relation::Broader(_), Lang::Ja) => format!("{s}を含む{c}を対象"),
        (Relation::Broader(_), Lang::En) => format!("covers {c}, which includes {s}"),
        (Relation::Root, Lang::Ja) => format!("{c}全般を対象（{s}に限らない）"),
        (Relation::Root, Lang::En) => format!("covers {c} in general, not {s} specifically"),
        (Relation::Sibling(parent), Lang::Ja) => {
            format!("{c}と{s}はともに{}", label(vocab, parent, lang))
        }
        (Relation::Sibling(parent), Lang::En) => {
            format!("{c} and {s} are both {}", label(vocab, parent, lang))
        }
    }
}

/// "has WGS, RNA-seq; lacks proteomics".
pub fn modalities(vocab: &Vocabulary, has: &[&String], lacks: &[&String], lang: Lang) -> String {
    match (has.is_empty(), lacks.is_empty(), lang) {
        (false, true, Lang::Ja) => format!("{}あり", list(vocab, has, lang)),
        (false, true, Lang::En) => format!("has {}", list(vocab, has, lang)),
        (true, _, Lang::Ja) => format!("{}なし", list(vocab, lacks, lang)),
        (true, _, Lang::En) => format!("lacks {}", list(vocab, lacks, lang)),
        (false, false, Lang::Ja) => format!(
            "{}あり、{}なし",
            list(vocab, has, lang),
            list(vocab, lacks, lang)
        ),
        (false, false, Lang::En) => format!(
            "has {}; lacks {}",
            list(vocab, has, lang),
            list(vocab, lacks, lang)
        ),
    }
}

/// "820 cases ≥ 500 needed", "160 cases < 500 needed (32%)".
pub fn cases(cases: u64, needed: u64, lang: Lang) -> String {
    let percent = (u128::from(cases) * 100)
        .checked_div(u128::from(needed))
        .unwrap_or(100);
    match (cases >= needed, lang) {
        (true, Lang::Ja) => format!("{cases}症例 ≥ 必要数{needed}"),
        (true, Lang::En) => format!("{cases} cases ≥ {needed} needed"),
        (false, Lang::Ja) => format!("{cases}症例 < 必要数{needed}（{percent}%）"),
        (false, Lang::En) => format!("{cases} cases < {needed} needed ({percent}%)"),
    }
}

/// "clinical items: treatment, recurrence".
pub fn clinical(vocab: &Vocabulary, has: &[&String], lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("臨床情報: {}", list(vocab, has, lang)),
        Lang::En => format!("clinical items: {}", list(vocab, has, lang)),
    }
}

/// "similar description".
pub fn similar_text(lang: Lang) -> String {
    match lang {
        Lang::Ja => "記述の内容が近い".into(),
        Lang::En => "similar description".into(),
    }
}

/// "expertise fits: RNA-seq, drug discovery".
pub fn fits(vocab: &Vocabulary, matched: &[&String], lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("専門・提供が適合: {}", list(vocab, matched, lang)),
        Lang::En => format!("expertise or offers fit: {}", list(vocab, matched, lang)),
    }
}

/// "brings single-cell RNA-seq, ELSI".
pub fn complements(skills: &[String], lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("補完する専門性: {}", skills.join("・")),
        Lang::En => format!("brings complementary skills: {}", skills.join(", ")),
    }
}

/// "industry forum (pharma)".
pub fn forum(forum: &str, sector: Option<&str>, lang: Lang) -> String {
    let name = match (forum, lang) {
        ("industry", Lang::Ja) => "産業フォーラム",
        ("academia", Lang::Ja) => "アカデミアフォーラム",
        ("industry", _) => "industry forum",
        _ => "academia forum",
    };
    match (sector, lang) {
        (Some(s), Lang::Ja) => format!("{name}（{s}）"),
        (Some(s), Lang::En) => format!("{name} ({s})"),
        (None, _) => name.to_string(),
    }
}

/// "shared exit strategy: drug discovery".
pub fn strategies(vocab: &Vocabulary, shared: &[&String], lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("出口戦略が共通: {}", list(vocab, shared, lang)),
        Lang::En => format!("shared exit strategy: {}", list(vocab, shared, lang)),
    }
}

/// "seeks industry partners".
pub fn seeks(forum: &str, lang: Lang) -> String {
    match (forum, lang) {
        ("industry", Lang::Ja) => "産業界の参加を募集".into(),
        ("academia", Lang::Ja) => "アカデミアの参加を募集".into(),
        (f, _) => format!("seeks {f} partners"),
    }
}

/// "status: active".
pub fn status(status: &str, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("ステータス: {status}"),
        Lang::En => format!("status: {status}"),
    }
}
