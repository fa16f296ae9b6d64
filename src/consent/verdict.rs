//! Evaluating a dataset's data-use codes against one need: blocked (with reasons) or allowed
//! with conditions.

use super::code::{parse_code, DataUseCode};
use super::date::Date;
use super::hierarchy::DiseaseHierarchy;
use super::owner::{owner_phrase_in, ConsentSubject, OwnerStanding};
use crate::i18n::{fill, text, Key, Lang};
use crate::model::{Catalog, Dataset};
use serde::{Deserialize, Serialize};

/// What the consent rules decided for one dataset, in one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// May be offered (with its conditions).
    Allowed,
    /// A rule forbids it for this need.
    Blocked,
    /// Only the data-use committee can decide: not offered until it has.
    Review,
}

impl Verdict {
    /// `allowed`, `blocked` or `review` (the `verdict` column of exports).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allowed => "allowed",
            Verdict::Blocked => "blocked",
            Verdict::Review => "review",
        }
    }

    /// The verdict in words, in one language.
    pub fn label(self, lang: Lang) -> &'static str {
        let key = match self {
            Verdict::Allowed => Key::VerdictAllowed,
            Verdict::Blocked => Key::VerdictBlocked,
            Verdict::Review => Key::VerdictReview,
        };
        text(key, lang)
    }
}

/// The outcome of the consent rules for one dataset and one need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsentVerdict {
    /// Why the dataset may not be offered, one rule per entry; "for review: …" where the
    /// data-use committee must decide. Empty: allowed.
    pub blocked: Vec<String>,
    /// Conditions to show with the match, in words a coordinator can paste into an email.
    pub conditions: Vec<String>,
    /// The data-use code behind each entry of `blocked`, same order ("NCU", "DS:膵がん";
    /// "none" when no consent is recorded).
    pub blocked_rules: Vec<String>,
    /// Whether each entry of `blocked` is for the data-use committee to decide.
    pub blocked_for_review: Vec<bool>,
    /// The code of each entry of `conditions`, same order ("IRB", "MOR:2026-04-01").
    pub condition_codes: Vec<String>,
    /// The primary code that allows the dataset ("HMB", "DS:膵がん"), when it is allowed.
    pub allowed_by: Option<String>,
}

impl ConsentVerdict {
    /// Allowed, blocked (a rule forbids it), or for review (only the committee's decisions
    /// stand in the way).
    pub fn verdict(&self) -> Verdict {
        if self.blocked.is_empty() {
            Verdict::Allowed
        } else if self.blocked_for_review.iter().all(|r| *r) {
            Verdict::Review
        } else {
            Verdict::Blocked
        }
    }

    /// The data-use code(s) that decided: the blocking rules, else the primary code.
    pub fn rule(&self) -> String {
        if self.blocked_rules.is_empty() {
            self.allowed_by.clone().unwrap_or_default()
        } else {
            let mut rules: Vec<&str> = Vec::new();
            for r in &self.blocked_rules {
                if !rules.contains(&r.as_str()) {
                    rules.push(r);
                }
            }
            rules.join("; ")
        }
    }

    fn block(&mut self, rule: &str, review: bool, reason: String) {
        if !self.blocked.contains(&reason) {
            self.blocked.push(reason);
            self.blocked_rules.push(rule.to_string());
            self.blocked_for_review.push(review);
        }
    }

    fn condition(&mut self, code: String, words: String) {
        if !self.conditions.contains(&words) {
            self.conditions.push(words);
            self.condition_codes.push(code);
        }
    }

    /// True when at least one rule blocks the dataset.
    pub fn is_blocked(&self) -> bool {
        !self.blocked.is_empty()
    }

    /// All blocking reasons in one line (`None` when allowed), e.g. for `MatchItem::blocked`.
    pub fn blocked_summary(&self) -> Option<String> {
        self.is_blocked().then(|| self.blocked.join("; "))
    }
}

/// Evaluates the dataset's `data_use` for this need; `COL` names the custodian as written in
/// the dataset (an id stays an id). Use [`evaluate_with_custodian`] to name it by its name.
pub fn evaluate(
    dataset: &Dataset,
    subject: &ConsentSubject,
    hierarchy: &dyn DiseaseHierarchy,
    today: Date,
) -> ConsentVerdict {
    evaluate_with_custodian(dataset, subject, hierarchy, today, None)
}

/// Like [`evaluate`], with the custodian's display name for the `COL` condition (see
/// [`custodian_label`]); `None` falls back to `dataset.custodian` as written. Reasons and
/// conditions are in English; [`evaluate_in`] writes them in either language.
pub fn evaluate_with_custodian(
    dataset: &Dataset,
    subject: &ConsentSubject,
    hierarchy: &dyn DiseaseHierarchy,
    today: Date,
    custodian_label: Option<&str>,
) -> ConsentVerdict {
    evaluate_in(
        dataset,
        subject,
        hierarchy,
        today,
        custodian_label,
        Lang::En,
    )
}

/// Like [`evaluate_with_custodian`], with reasons and conditions in `lang`.
pub fn evaluate_in(
    dataset: &Dataset,
    subject: &ConsentSubject,
    hierarchy: &dyn DiseaseHierarchy,
    today: Date,
    custodian_label: Option<&str>,
    lang: Lang,
) -> ConsentVerdict {
    let codes = codes_of(dataset);
    let mut verdict = ConsentVerdict::default();
    if codes.is_empty() {
        verdict.block("none", true, for_review(text(Key::NoCodes, lang), lang));
        return verdict;
    }
    primary_rule(&codes, subject, hierarchy, lang, &mut verdict);
    let custodian = custodian_label.map(str::to_string).or_else(|| {
        dataset
            .custodian
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(String::from)
    });
    for code in &codes {
        apply_code(
            code,
            subject,
            today,
            custodian.as_deref(),
            lang,
            &mut verdict,
        );
    }
    if !verdict.is_blocked() {
        verdict.allowed_by = allowing_code(&codes);
    }
    verdict
}

/// The primary code that applies to an allowed dataset: the DS terms, else HMB, GRU or NRES.
fn allowing_code(codes: &[DataUseCode]) -> Option<String> {
    let ds: Vec<String> = codes
        .iter()
        .filter(|c| matches!(c, DataUseCode::DiseaseSpecific(_)))
        .map(|c| c.to_string())
        .collect();
    if !ds.is_empty() {
        return Some(ds.join("; "));
    }
    let primaries: Vec<&DataUseCode> = codes.iter().filter(|c| c.is_primary()).collect();
    (!primaries.is_empty()).then(|| narrowest(&primaries).to_string())
}

fn for_review(reason: &str, lang: Lang) -> String {
    fill(Key::ForReview, lang, &[("reason", reason)])
}

fn committee(key: Key, lang: Lang, args: &[(&str, &str)]) -> String {
    let mut all = args.to_vec();
    let c = text(Key::Committee, lang);
    all.push(("committee", c));
    for_review(&fill(key, lang, &all), lang)
}

/// The custodian's display name: the name of the organisation whose id `dataset.custodian`
/// holds, a researcher's affiliation and id (see [`researcher_custodian_label`]), else the
/// custodian text as written; `None` when absent.
pub fn custodian_label(dataset: &Dataset, catalog: &Catalog) -> Option<String> {
    let custodian = dataset
        .custodian
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())?;
    let name = catalog
        .organizations
        .iter()
        .find(|o| o.id == custodian)
        .map(|o| o.name.clone())
        .or_else(|| {
            catalog
                .researchers
                .iter()
                .find(|r| r.id == custodian)
                .map(researcher_custodian_label)
        });
    Some(name.unwrap_or_else(|| custodian.to_string()))
}

/// How a condition names a researcher who holds a dataset: their affiliation, else their id —
/// never their personal name, which may reach exports of people who did not agree to be
/// contacted (and, for blocked datasets, exports that must carry no custodian contact).
pub fn researcher_custodian_label(r: &crate::model::Researcher) -> String {
    [r.affiliation.as_deref(), r.affiliation_en.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|a| !a.is_empty())
        .map(|a| format!("{a} ({})", r.id))
        .unwrap_or_else(|| r.id.clone())
}

/// Warnings for `musubi validate` about one dataset's codes: no consent recorded, several
/// primary codes, unknown codes, malformed dates, empty entries. The caller names the dataset.
pub fn audit_codes(dataset: &Dataset) -> Vec<String> {
    let mut warnings = Vec::new();
    if dataset.data_use.iter().any(|c| c.trim().is_empty()) {
        warnings.push("an empty entry in data_use is ignored".to_string());
    }
    let codes = codes_of(dataset);
    if codes.is_empty() {
        warnings.push(
            "no consent recorded: data_use is empty, so the dataset is never offered (blocked for review)"
                .to_string(),
        );
        return warnings;
    }
    let primaries: Vec<&DataUseCode> = codes.iter().filter(|c| c.is_primary()).collect();
    if primaries.is_empty() {
        warnings.push(
            "no primary data-use code (GRU, NRES, HMB, DS:<disease> or POA): consent not recorded, so the dataset is never offered (blocked for review)"
                .to_string(),
        );
    }
    let mut kinds: Vec<&str> = primaries.iter().map(|c| c.name()).collect();
    kinds.dedup();
    kinds.sort_unstable();
    kinds.dedup();
    if kinds.len() > 1 {
        let listed: Vec<String> = primaries.iter().map(|c| c.to_string()).collect();
        let applies = if kinds.contains(&"POA") {
            "POA blocks the dataset for review".to_string()
        } else {
            format!("the narrowest applies ({})", narrowest(&primaries))
        };
        warnings.push(format!(
            "several primary data-use codes ({}): {applies}",
            listed.join(", ")
        ));
    }
    for code in &codes {
        match code {
            DataUseCode::Unknown(raw) => warnings.push(format!(
                "unknown data-use code \"{raw}\": the dataset is blocked for review"
            )),
            DataUseCode::PublicationMoratorium(d) | DataUseCode::TimeLimit(d)
                if Date::parse(d).is_err() =>
            {
                warnings.push(format!(
                    "{code}: \"{d}\" is not a date (YYYY-MM-DD): the dataset is blocked for review"
                ))
            }
            _ => {}
        }
    }
    warnings
}

/// The dataset's codes, blank entries skipped.
fn codes_of(dataset: &Dataset) -> Vec<DataUseCode> {
    dataset
        .data_use
        .iter()
        .filter(|c| !c.trim().is_empty())
        .map(|c| parse_code(c))
        .collect()
}

fn narrowest(primaries: &[&DataUseCode]) -> &'static str {
    if primaries
        .iter()
        .any(|c| matches!(c, DataUseCode::DiseaseSpecific(_)))
    {
        "DS"
    } else if primaries.contains(&&DataUseCode::HealthMedical) {
        "HMB"
    } else if primaries.contains(&&DataUseCode::GeneralResearch) {
        "GRU"
    } else {
        "NRES"
    }
}

/// Blocks from the primary codes: POA, no primary code, or the DS rule (the narrowest).
fn primary_rule(
    codes: &[DataUseCode],
    subject: &ConsentSubject,
    hierarchy: &dyn DiseaseHierarchy,
    lang: Lang,
    verdict: &mut ConsentVerdict,
) {
    if codes.contains(&DataUseCode::PopulationAncestry) {
        verdict.block("POA", true, committee(Key::PopulationAncestry, lang, &[]));
        return;
    }
    if !codes.iter().any(DataUseCode::is_primary) {
        verdict.block(
            "none",
            true,
            for_review(text(Key::NoPrimaryCode, lang), lang),
        );
        return;
    }
    let terms: Vec<&str> = codes
        .iter()
        .filter_map(|c| match c {
            DataUseCode::DiseaseSpecific(t) => Some(t.as_str()),
            _ => None,
        })
        .collect();
    if terms.is_empty() {
        // HMB (any need of this consortium), GRU or NRES (any need).
        return;
    }
    disease_specific_rule(&terms, subject, hierarchy, lang, verdict)
}

/// `DS:` codes: every disease of the need must be a DS disease or under one of them.
fn disease_specific_rule(
    terms: &[&str],
    subject: &ConsentSubject,
    hierarchy: &dyn DiseaseHierarchy,
    lang: Lang,
    verdict: &mut ConsentVerdict,
) {
    let mut allowed = Vec::new();
    let mut unknown = false;
    for term in terms {
        let concepts = hierarchy.resolve_disease(term);
        if concepts.is_empty() {
            unknown = true;
            verdict.block(
                &format!("DS:{term}"),
                true,
                committee(Key::DsUnknownTerm, lang, &[("term", term)]),
            );
        }
        allowed.extend(concepts);
    }
    if unknown {
        return;
    }
    let rule = terms
        .iter()
        .map(|t| format!("DS:{t}"))
        .collect::<Vec<_>>()
        .join("; ");
    let scope = terms.join(&format!(" {} ", text(Key::DsScopeOr, lang)));
    if subject.disease_concepts.is_empty() {
        verdict.block(
            &rule,
            false,
            fill(Key::DsNoDisease, lang, &[("scope", &scope)]),
        );
        return;
    }
    let outside: Vec<String> = subject
        .disease_concepts
        .iter()
        .filter(|need| {
            !allowed
                .iter()
                .any(|ds| hierarchy.is_same_or_under(need, ds))
        })
        .map(|need| hierarchy.disease_label_in(need, lang))
        .collect();
    let key = match outside.len() {
        0 => return,
        1 => Key::DsOutsideOne,
        _ => Key::DsOutsideMany,
    };
    let listed = outside.join(lang.list_separator());
    verdict.block(
        &rule,
        false,
        fill(key, lang, &[("scope", &scope), ("d", &listed)]),
    );
}

/// Modifiers, conditions and unknown codes (primary codes are handled by `primary_rule`).
fn apply_code(
    code: &DataUseCode,
    subject: &ConsentSubject,
    today: Date,
    custodian: Option<&str>,
    lang: Lang,
    verdict: &mut ConsentVerdict,
) {
    let name = code.to_string();
    let condition = |key: Key, args: &[(&str, &str)], verdict: &mut ConsentVerdict| {
        verdict.condition(name.clone(), fill(key, lang, args))
    };
    match code {
        DataUseCode::NonCommercial => {
            if let Some(r) = non_commercial_reason("NCU", subject, lang) {
                verdict.block("NCU", false, r)
            }
        }
        DataUseCode::NotForProfit => {
            if let Some(r) = not_for_profit_reason("NPU", subject, lang) {
                verdict.block("NPU", false, r)
            }
        }
        DataUseCode::NotForProfitNonCommercial => {
            if let Some(r) = not_for_profit_reason("NPUNCU", subject, lang) {
                verdict.block("NPUNCU", false, r)
            }
            if let Some(r) = non_commercial_reason("NPUNCU", subject, lang) {
                verdict.block("NPUNCU", false, r)
            }
        }
        DataUseCode::UserSpecific => verdict.block(
            "US",
            true,
            committee(Key::LimitedUser, lang, &[("code", "US")]),
        ),
        DataUseCode::ProjectSpecific => verdict.block(
            "PS",
            true,
            committee(Key::LimitedProject, lang, &[("code", "PS")]),
        ),
        DataUseCode::InstitutionSpecific => verdict.block(
            "IS",
            true,
            committee(Key::LimitedInstitution, lang, &[("code", "IS")]),
        ),
        DataUseCode::Unknown(raw) => verdict.block(
            raw,
            true,
            committee(Key::UnknownCode, lang, &[("raw", raw)]),
        ),
        DataUseCode::TimeLimit(date) => match Date::parse(date) {
            Ok(until) if until < today => verdict.block(
                &name,
                false,
                fill(Key::UsePeriodEnded, lang, &[("date", &until.to_string())]),
            ),
            Ok(until) => condition(Key::CondUseUntil, &[("date", &until.to_string())], verdict),
            Err(_) => verdict.block(&name, true, bad_date(code, date, lang)),
        },
        DataUseCode::PublicationMoratorium(date) => match Date::parse(date) {
            Ok(d) if d < today => {
                condition(Key::CondEmbargoEnded, &[("date", &d.to_string())], verdict)
            }
            Ok(d) => condition(Key::CondEmbargo, &[("date", &d.to_string())], verdict),
            Err(_) => verdict.block(&name, true, bad_date(code, date, lang)),
        },
        DataUseCode::Collaboration => match custodian {
            Some(c) => condition(Key::CondCollaboration, &[("custodian", c)], verdict),
            None => condition(Key::CondCollaborationNoCustodian, &[], verdict),
        },
        DataUseCode::EthicsApproval => condition(Key::CondEthics, &[], verdict),
        DataUseCode::PublicationRequired => condition(Key::CondPublish, &[], verdict),
        DataUseCode::GeographicRestriction(country) => {
            condition(Key::CondCountry, &[("country", country)], verdict)
        }
        DataUseCode::ReturnDerivedData => condition(Key::CondReturn, &[], verdict),
        DataUseCode::NoMethodsDevelopment => condition(Key::CondNoMethods, &[], verdict),
        DataUseCode::GeneticStudiesOnly => condition(Key::CondGeneticOnly, &[], verdict),
        DataUseCode::NotControlSet => condition(Key::CondNotControl, &[], verdict),
        DataUseCode::GeneralResearch
        | DataUseCode::NoRestriction
        | DataUseCode::HealthMedical
        | DataUseCode::DiseaseSpecific(_)
        | DataUseCode::PopulationAncestry => {}
    }
}

fn bad_date(code: &DataUseCode, date: &str, lang: Lang) -> String {
    committee(
        Key::BadDate,
        lang,
        &[("code", &code.to_string()), ("text", date)],
    )
}

fn non_commercial_reason(code: &str, subject: &ConsentSubject, lang: Lang) -> Option<String> {
    subject.commercial.value.then(|| {
        fill(
            Key::NonCommercialOnly,
            lang,
            &[
                ("code", code),
                ("basis", &subject.commercial.basis_in(lang)),
            ],
        )
    })
}

fn not_for_profit_reason(code: &str, subject: &ConsentSubject, lang: Lang) -> Option<String> {
    let path = subject.owner_path.as_ref();
    let why = match &subject.owner {
        OwnerStanding::Academia => return None,
        OwnerStanding::Industry | OwnerStanding::AdHoc => {
            owner_phrase_in(&subject.owner, path, lang)
        }
        other => fill(
            Key::FailClosed,
            lang,
            &[("x", &owner_phrase_in(other, path, lang))],
        ),
    };
    Some(fill(
        Key::NotForProfitOnly,
        lang,
        &[("code", code), ("why", &why)],
    ))
}

#[cfg(test)]
mod tests;
