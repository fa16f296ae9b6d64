//! Resolution of real-world strings: exact synonym, then qualifiers set aside, then the head
//! term, then one typo. Ambiguous strings yield every concept they name.

use super::data::{Compiled, ConceptKind, Term};
use super::key::term_key;
use super::{MatchMethod, Resolution, Vocabulary};
use crate::text::{is_cjk, normalize};
use std::sync::OnceLock;

/// Confidence of each method for an unambiguous match.
const EXACT: f32 = 1.0;
const QUALIFIED: f32 = 0.9;
/// Histology with a site: surer than a head term, less sure than a name.
const COMPOSED: f32 = 0.75;
const HEAD_BASE: f32 = 0.45;
const HEAD_SPAN: f32 = 0.35;
const TYPO: f32 = 0.6;

/// Latin words that qualify a disease name without changing which disease it is.
const QUALIFIER_WORDS: &[&str] = &[
    "stage",
    "grade",
    "advanced",
    "recurrent",
    "relapsed",
    "relapse",
    "refractory",
    "metastatic",
    "metastasis",
    "metastases",
    "hereditary",
    "familial",
    "sporadic",
    "inherited",
    "germline",
    "somatic",
    "primary",
    "early",
    "late",
    "locally",
    "unresectable",
    "resectable",
    "inoperable",
    "operable",
    "newly",
    "diagnosed",
    "de",
    "novo",
    "high",
    "low",
    "risk",
    "intermediate",
    "adult",
    "adults",
    "elderly",
    "young",
    "onset",
    "pediatric",
    "childhood",
    "juvenile",
    "infantile",
    "congenital",
    "patients",
    "patient",
    "cases",
    "case",
    "cohort",
    "samples",
    "sample",
    "tissue",
    "tissues",
    "subtype",
    "subtypes",
    "type",
    "form",
    "mutated",
    "mutant",
    "mutation",
    "mutations",
    "positive",
    "negative",
    "amplified",
    "rearranged",
    "fusion",
    "wild",
    "wildtype",
    "invasive",
    "persistent",
    "progressive",
    "aggressive",
    "indolent",
    "phase",
    "suspected",
    "possible",
    "probable",
    "confirmed",
    "untreated",
    "treated",
    "previously",
    "naive",
    "resistant",
    "sensitive",
    "m",
    "the",
    "a",
    "an",
    "and",
    "or",
    "other",
    "nos",
    "unspecified",
    "clinical",
    "data",
];

/// Japanese qualifiers (written as they are typed; compared after normalisation).
const QUALIFIERS_JA: &[&str] = &[
    "切除不能",
    "局所進行",
    "遠隔転移",
    "治療抵抗性",
    "進行期",
    "進行性",
    "進行",
    "再発",
    "難治性",
    "難治",
    "転移性",
    "転移",
    "早期",
    "末期",
    "初発",
    "未治療",
    "既治療",
    "遺伝性",
    "家族性",
    "散発性",
    "孤発性",
    "若年性",
    "若年",
    "成人",
    "高齢者",
    "小児期",
    "小児",
    "乳児",
    "患者",
    "症例",
    "の疑い",
    "疑い",
    "合併",
    "ステージ",
    "変異陽性",
    "変異",
    "陽性",
    "陰性",
    "高リスク",
    "低リスク",
    "原発性",
    "原発",
    "浸潤性",
    "期",
    "など",
    "等",
    "ほか",
    "関連",
];

/// A candidate match before confidences are shared out.
struct Hit<'a> {
    term: &'a Term,
    method: MatchMethod,
    confidence: f32,
    note: String,
}

/// The terms whose key is exactly `key`.
pub(super) fn lookup<'a>(data: &'a Compiled, key: &str) -> &'a [Term] {
    let start = data.terms.partition_point(|t| t.key.as_str() < key);
    let end = start + data.terms[start..].partition_point(|t| t.key == key);
    &data.terms[start..end]
}

fn kind_ok(data: &Compiled, term: &Term, kind: Option<ConceptKind>) -> bool {
    kind.is_none_or(|k| data.concepts[term.concept as usize].kind == k)
}

pub(super) fn resolve(
    vocab: &Vocabulary,
    text: &str,
    kind: Option<ConceptKind>,
) -> Vec<Resolution> {
    let data = vocab.data();
    let key = term_key(text);
    if key.is_empty() {
        return Vec::new();
    }
    let exact: Vec<Hit> = lookup(data, &key)
        .iter()
        .filter(|t| kind_ok(data, t, kind))
        .map(|term| Hit {
            term,
            method: MatchMethod::Exact,
            confidence: EXACT,
            note: String::new(),
        })
        .collect();
    if !exact.is_empty() {
        return finish(data, text, exact);
    }
    let narrower = narrower_site(vocab, text, kind);
    if !narrower.is_empty() {
        return finish(data, text, narrower);
    }
    let fronted = bracket_fronted_key(text);
    let light = light_key(text);
    let residual = residual_key(text);
    let qualified = qualified_key(text);
    for q in [
        fronted.as_deref(),
        light.as_deref(),
        residual.as_deref(),
        qualified.as_deref(),
    ]
    .into_iter()
    .flatten()
    {
        if q == key {
            continue;
        }
        let hits: Vec<Hit> = lookup(data, q)
            .iter()
            .filter(|t| kind_ok(data, t, kind))
            .map(|term| Hit {
                term,
                method: MatchMethod::Qualified,
                confidence: QUALIFIED,
                note: format!(" (read as \"{q}\")"),
            })
            .collect();
        if !hits.is_empty() {
            return finish(data, text, hits);
        }
    }
    let base = qualified
        .clone()
        .filter(|q| !q.is_empty())
        .unwrap_or(key.clone());
    let mut heads = head_hits(data, &base, kind);
    // Setting qualifiers aside may have dropped the disease itself ("Japanese patients with
    // hepatocellular carcinoma"): then look for the head term in the whole string.
    if heads.is_empty() && base != key {
        heads = head_hits(data, &key, kind);
    }
    if kind.is_none_or(|k| k == ConceptKind::Disease) {
        if let Some(composed) = composed_hits(vocab, text, &heads) {
            return composed;
        }
    }
    let strong_head = heads.iter().any(|h| h.confidence >= TYPO);
    if strong_head {
        return finish(data, text, heads);
    }
    // A head term covering little of the string ("panceratic cancer" → cancer) gives way to
    // a name one typo away from the whole string; both are reported, the typo first.
    let mut typos = typo_hits(data, &key, kind);
    if typos.is_empty() && base != key {
        typos = typo_hits(data, &base, kind);
    }
    let mut out = finish(data, text, typos);
    for head in finish(data, text, heads) {
        if !out.iter().any(|r| r.concept == head.concept) {
            out.push(head);
        }
    }
    out
}

/// "A：B" as the official Japanese table writes a subcategory after its category: B is the
/// narrower site or disease, taken when it is a name of its own that lies under A's reading
/// (or A names nothing). "脊髄性筋萎縮症及び関連症候群：運動ニューロン疾患" → G12.2.
fn narrower_site<'a>(vocab: &'a Vocabulary, text: &str, kind: Option<ConceptKind>) -> Vec<Hit<'a>> {
    let data = vocab.data();
    let normalized = normalize(text);
    let Some((broad, narrow)) = normalized.split_once(':') else {
        return Vec::new();
    };
    let (broad_key, narrow_key) = (term_key(broad), term_key(narrow));
    if broad_key.is_empty() || narrow_key.is_empty() {
        return Vec::new();
    }
    let broad_concepts: Vec<&str> = lookup(data, &broad_key)
        .iter()
        .map(|t| data.concepts[t.concept as usize].id.as_str())
        .collect();
    lookup(data, &narrow_key)
        .iter()
        .filter(|t| kind_ok(data, t, kind))
        .filter(|t| {
            let id = &data.concepts[t.concept as usize].id;
            broad_concepts.is_empty()
                || broad_concepts.iter().any(|b| vocab.is_same_or_under(id, b))
        })
        .map(|term| Hit {
            term,
            method: MatchMethod::Qualified,
            confidence: QUALIFIED,
            note: format!(
                " (read \"{}\" as the narrower part of \"{}\")",
                narrow.trim(),
                broad.trim()
            ),
        })
        .collect()
}

/// The residual forms of the official table read as their parent: 「その他の」「詳細不明の」 in
/// front and "other (specified)" / "unspecified" dropped ("その他の肝臓の肉腫" → "肝臓の肉腫").
fn residual_key(text: &str) -> Option<String> {
    let light = light_text(text);
    let mut rest = light.trim();
    for prefix in ["その他の明示された", "その他の", "詳細不明の", "部位不明の"]
    {
        if let Some(r) = rest.strip_prefix(prefix) {
            rest = r;
        }
    }
    let key = term_key(rest);
    let words: Vec<&str> = key
        .split(' ')
        .filter(|w| !matches!(*w, "other" | "specified" | "unspecified"))
        .collect();
    let key = words.join(" ");
    (!key.is_empty() && key != term_key(text)).then_some(key)
}

/// Histology with a site ([`super::compose`]), unless a head term says as much or more: the
/// composed concept itself or one under it, or a lymphoma named as such ("gastric MALT
/// lymphoma" stays a lymphoma).
fn composed_hits(vocab: &Vocabulary, text: &str, heads: &[Hit]) -> Option<Vec<Resolution>> {
    let data = vocab.data();
    let composed = super::compose::compose(vocab, text);
    if composed.is_empty() {
        return None;
    }
    let head_ids: Vec<&str> = heads
        .iter()
        .map(|h| data.concepts[h.term.concept as usize].id.as_str())
        .collect();
    let head_is_finer = head_ids.iter().any(|h| {
        composed
            .iter()
            .any(|c| vocab.is_same_or_under(h, &c.concept))
    });
    let head_is_lymphoma = composed
        .iter()
        .any(|c| c.morphology.contains("lymphoma") || c.morphology.contains("リンパ腫"))
        && head_ids
            .iter()
            .any(|h| vocab.is_same_or_under(h, "hematologic_cancer"));
    if head_is_finer || head_is_lymphoma {
        return None;
    }
    let n = composed.len() as f32;
    let mut out: Vec<Resolution> = composed
        .into_iter()
        .filter_map(|c| {
            let concept = vocab.concept(&c.concept)?;
            let label = if concept.name_en.is_empty() {
                &concept.name_ja
            } else {
                &concept.name_en
            };
            Some(Resolution {
                concept: c.concept.clone(),
                method: MatchMethod::Composed,
                confidence: ((COMPOSED / n) * 100.0).round() / 100.0,
                matched: label.clone(),
                evidence: format!(
                    "\"{text}\" matched \"{label}\" by {} (site \"{}\" + histology \"{}\"){}",
                    MatchMethod::Composed,
                    c.site_word,
                    c.morphology,
                    if n > 1.0 {
                        format!("; ambiguous: the string names {n} sites")
                    } else {
                        String::new()
                    }
                ),
            })
        })
        .collect();
    out.sort_by(|a, b| a.concept.cmp(&b.concept));
    (!out.is_empty()).then_some(out)
}

/// Shares confidence between the concepts of one key, dedupes, sorts, writes the evidence.
fn finish(data: &Compiled, text: &str, hits: Vec<Hit>) -> Vec<Resolution> {
    let mut concepts: Vec<u32> = hits.iter().map(|h| h.term.concept).collect();
    concepts.sort_unstable();
    concepts.dedup();
    let n = concepts.len();
    let mut out: Vec<Resolution> = Vec::new();
    for hit in hits {
        let concept = &data.concepts[hit.term.concept as usize];
        if out.iter().any(|r| r.concept == concept.id) {
            continue;
        }
        let matched = concept.term_text(hit.term.which).to_string();
        let shared = if n > 1 {
            hit.confidence / n as f32
        } else {
            hit.confidence
        };
        let ambiguity = if n > 1 {
            format!("; ambiguous: the string names {n} concepts")
        } else {
            String::new()
        };
        let label = if concept.name_en.is_empty() {
            &concept.name_ja
        } else {
            &concept.name_en
        };
        out.push(Resolution {
            concept: concept.id.clone(),
            method: hit.method,
            confidence: (shared * 100.0).round() / 100.0,
            evidence: format!(
                "\"{text}\" matched \"{matched}\" ({label}) by {}{}{ambiguity}",
                hit.method, hit.note
            ),
            matched,
        });
    }
    out.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then_with(|| a.concept.cmp(&b.concept))
    });
    out
}

/// The matching key of `text` with its qualifiers set aside: bracketed parts, what follows a
/// comma or "with …", stage and grade, words such as "advanced" or 進行, gene names and subtype
/// numbers; "carcinoma of the lung" read as "lung carcinoma". `None` when nothing is left.
pub(super) fn qualified_key(text: &str) -> Option<String> {
    strip_words(&light_text(text))
}

/// The matching key with only bracketed parts and what follows a comma or "with …" removed.
/// A bracketed qualifier read as a prefix: "乳癌（トリプルネガティブ）" → "トリプルネガティブ 乳癌",
/// "breast cancer (triple negative)" → "triple negative breast cancer". Only for one bracket
/// group at the end of the string.
fn bracket_fronted_key(text: &str) -> Option<String> {
    let normalized = normalize(text);
    let trimmed = normalized.trim_end();
    let close = trimmed.chars().last()?;
    let open = match close {
        ')' => '(',
        '）' => '（',
        ']' => '[',
        _ => return None,
    };
    let start = trimmed.rfind(open)?;
    let outer = trimmed[..start].trim();
    let inner = trimmed[start + open.len_utf8()..trimmed.len() - close.len_utf8()].trim();
    if outer.is_empty() || inner.is_empty() || outer.contains(open) || inner.contains(open) {
        return None;
    }
    let key = term_key(&format!("{inner} {outer}"));
    (!key.is_empty()).then_some(key)
}

fn light_key(text: &str) -> Option<String> {
    let key = term_key(&light_text(text));
    (!key.is_empty()).then_some(key)
}

/// Normalised text without bracketed parts and without what follows a comma or "with …".
fn light_text(text: &str) -> String {
    let normalized = normalize(text);
    let mut kept = String::with_capacity(normalized.len());
    let mut depth = 0usize;
    for c in normalized.chars() {
        match c {
            '(' | '[' | '<' | '（' | '［' | '【' | '「' | '＜' => depth += 1,
            ')' | ']' | '>' | '）' | '］' | '】' | '」' | '＞' => {
                depth = depth.saturating_sub(1)
            }
            c if depth == 0 => kept.push(c),
            _ => {}
        }
    }
    let mut cut = kept.as_str();
    for sep in [
        ",",
        "、",
        ";",
        "；",
        ":",
        "：",
        " - ",
        "／",
        " with ",
        " without ",
        " harboring ",
        " harbouring ",
        " carrying ",
        " due to ",
        " associated ",
        "-associated ",
        "-related ",
        " related to ",
        " in ",
        " after ",
        " treated ",
    ] {
        if let Some((before, _)) = cut.split_once(sep) {
            if !before.trim().is_empty() {
                cut = before;
            }
        }
    }
    cut.to_string()
}

/// Sets aside qualifier words (stage, "advanced", 進行, gene names, subtype numbers).
fn strip_words(text: &str) -> Option<String> {
    let key = term_key(text);
    let words: Vec<&str> = key.split(' ').collect();
    // "carcinoma of the lung" → "lung carcinoma"
    let words: Vec<String> = match words.iter().position(|w| *w == "of") {
        Some(at) if at > 0 && at + 1 < words.len() => {
            let tail: Vec<&str> = words[at + 1..]
                .iter()
                .copied()
                .filter(|w| *w != "the")
                .collect();
            tail.iter()
                .chain(words[..at].iter())
                .map(|w| w.to_string())
                .collect()
        }
        _ => words.iter().map(|w| w.to_string()).collect(),
    };
    let mut out: Vec<String> = Vec::new();
    for word in &words {
        let cleaned = strip_japanese_qualifiers(word);
        let latin_only = !cleaned.chars().any(is_cjk);
        if latin_only {
            let w = cleaned.as_str();
            let has_digit = w.chars().any(|c| c.is_ascii_digit());
            let roman = [
                "i", "ii", "iii", "iv", "v", "iia", "iib", "iiia", "iiib", "iiic", "iva", "ivb",
            ];
            if w.is_empty()
                || QUALIFIER_WORDS.contains(&w)
                || (has_digit && w.len() <= 8)
                || w.chars().count() == 1
                || roman.contains(&w)
            {
                continue;
            }
        }
        if !cleaned.is_empty() {
            out.push(cleaned);
        }
    }
    let joined = out.join(" ");
    let result = term_key(&joined);
    (!result.is_empty()).then_some(result)
}

/// Removes Japanese qualifiers and Latin/digit runs glued to Japanese (`egfr変異陽性肺腺がん`).
fn strip_japanese_qualifiers(word: &str) -> String {
    if !word.chars().any(is_cjk) {
        return word.to_string();
    }
    static KEYS: OnceLock<Vec<String>> = OnceLock::new();
    let keys = KEYS.get_or_init(|| QUALIFIERS_JA.iter().map(|q| term_key(q)).collect());
    let mut s = word.to_string();
    for q in keys {
        let stripped = s.replace(q.as_str(), "");
        if stripped.chars().any(is_cjk) {
            s = stripped;
        }
    }
    let without_latin: String = s.chars().filter(|c| !c.is_ascii_alphanumeric()).collect();
    if without_latin.chars().count() >= 2 {
        without_latin
    } else {
        s
    }
}

/// The longest names found inside `key` (on word boundaries for Latin text).
fn head_hits<'a>(data: &'a Compiled, key: &str, kind: Option<ConceptKind>) -> Vec<Hit<'a>> {
    const MAX_CHARS: usize = 160;
    let chars: Vec<(usize, char)> = key.char_indices().take(MAX_CHARS).collect();
    let n = chars.len();
    let byte_at = |i: usize| {
        if i < n {
            chars[i].0
        } else {
            key.len()
                .min(chars.last().map_or(0, |c| c.0 + c.1.len_utf8()))
        }
    };
    let boundary = |i: usize| {
        i == 0
            || i == n
            || chars[i - 1].1 == ' '
            || chars[i].1 == ' '
            || is_cjk(chars[i - 1].1)
            || is_cjk(chars[i].1)
    };
    let total = n.max(1) as f32;
    for len in (2..n).rev() {
        let mut hits = Vec::new();
        // Spans ending at the end first: in both languages the head comes last.
        for start in (0..=n - len).rev() {
            let end = start + len;
            if !boundary(start) || !boundary(end) {
                continue;
            }
            let span = &key[byte_at(start)..byte_at(end)];
            if span.starts_with(' ') || span.ends_with(' ') {
                continue;
            }
            let cjk = span.chars().any(is_cjk);
            for term in lookup(data, span) {
                if !kind_ok(data, term, kind) || (!cjk && len < 3 && !term.abbreviation) {
                    continue;
                }
                hits.push(Hit {
                    term,
                    method: MatchMethod::Head,
                    confidence: HEAD_BASE + HEAD_SPAN * (len as f32 / total),
                    note: format!(" (found \"{span}\" inside \"{key}\")"),
                });
            }
            if !hits.is_empty() && end == n {
                return hits;
            }
        }
        if !hits.is_empty() {
            return hits;
        }
    }
    Vec::new()
}

/// Names within one edit (insertion, deletion, substitution or swap of neighbours) of `key`.
fn typo_hits<'a>(data: &'a Compiled, key: &str, kind: Option<ConceptKind>) -> Vec<Hit<'a>> {
    let chars: Vec<char> = key.chars().collect();
    let cjk = chars.iter().any(|c| is_cjk(*c));
    if chars.len() < if cjk { 4 } else { 5 } {
        return Vec::new();
    }
    let mut hits = Vec::new();
    let mut buffer: Vec<char> = Vec::with_capacity(64);
    for term in &data.terms {
        let len = term.key.len();
        if len + 4 < key.len() || len > key.len() + 4 || !kind_ok(data, term, kind) {
            continue;
        }
        buffer.clear();
        buffer.extend(term.key.chars());
        if buffer.len() < 4 || buffer.len().abs_diff(chars.len()) > 1 {
            continue;
        }
        if within_one_edit(&chars, &buffer) {
            hits.push(Hit {
                term,
                method: MatchMethod::Typo,
                confidence: TYPO,
                note: format!(" (read \"{key}\" as \"{}\")", term.key),
            });
        }
    }
    hits
}

/// True when `a` and `b` differ by at most one edit (adjacent swaps count as one).
pub(super) fn within_one_edit(a: &[char], b: &[char]) -> bool {
    if a == b {
        return true;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match ra.len() as isize - rb.len() as isize {
        0 => {
            ra[1..] == rb[1..]
                || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        1 => ra[1..] == *rb,
        -1 => *ra == rb[1..],
        _ => false,
    }
}

/// Concept ids whose id, names or synonyms are closest in spelling to `text`.
pub(super) fn closest(vocab: &Vocabulary, text: &str, n: usize) -> Vec<String> {
    let data = vocab.data();
    let key = term_key(text);
    let raw = text.trim().to_lowercase();
    let mut scored: Vec<(f64, u32)> = Vec::new();
    for term in &data.terms {
        let score = strsim::jaro_winkler(&key, &term.key);
        scored.push((score, term.concept));
    }
    for (i, c) in data.concepts.iter().enumerate() {
        scored.push((strsim::jaro_winkler(&raw, &c.id), i as u32));
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out: Vec<String> = Vec::new();
    for (_, ci) in scored {
        let id = &data.concepts[ci as usize].id;
        if !out.contains(id) {
            out.push(id.clone());
            if out.len() == n {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_is_recognised() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert!(within_one_edit(&c("leukemia"), &c("leukemai")));
        assert!(within_one_edit(&c("glioma"), &c("gliomaa")));
        assert!(within_one_edit(&c("glioma"), &c("gloma")));
        assert!(within_one_edit(&c("glioma"), &c("glioba")));
        assert!(!within_one_edit(&c("glioma"), &c("gliobla")));
    }

    #[test]
    fn qualifiers_are_set_aside() {
        assert_eq!(qualified_key("AML, FLT3-mutated").as_deref(), Some("aml"));
        assert_eq!(
            qualified_key("stage IV non-small-cell lung carcinoma").as_deref(),
            Some("non small cell lung carcinoma")
        );
        assert_eq!(qualified_key("DLBCL (relapsed)").as_deref(), Some("dlbcl"));
        assert_eq!(
            qualified_key("carcinoma of the lung").as_deref(),
            Some("lung carcinoma")
        );
        assert_eq!(qualified_key("再発膵がん").as_deref(), Some("膵がん"));
        assert_eq!(
            qualified_key("EGFR変異陽性肺腺がん").as_deref(),
            Some("肺腺がん")
        );
    }
}
