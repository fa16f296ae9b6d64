//! Evaluating a dataset's data-use codes against one need: blocked (with reasons) or allowed
//! with conditions.

use super::code::{parse_code, DataUseCode};
use super::date::Date;
use super::hierarchy::DiseaseHierarchy;
use super::owner::{owner_phrase, ConsentSubject, OwnerStanding};
use crate::model::{Catalog, Dataset};

/// The outcome of the consent rules for one dataset and one need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsentVerdict {
    /// Why the dataset may not be offered, one rule per entry; "for review: …" where the
    /// data-use committee must decide. Empty: allowed.
    pub blocked: Vec<String>,
    /// Conditions to show with the match, in words a coordinator can paste into an email.
    pub conditions: Vec<String>,
}

impl ConsentVerdict {
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
/// [`custodian_label`]); `None` falls back to `dataset.custodian` as written.
pub fn evaluate_with_custodian(
    dataset: &Dataset,
    subject: &ConsentSubject,
    hierarchy: &dyn DiseaseHierarchy,
    today: Date,
    custodian_label: Option<&str>,
) -> ConsentVerdict {
    let codes = codes_of(dataset);
    let mut verdict = ConsentVerdict::default();
    if codes.is_empty() {
        verdict
            .blocked
            .push("for review: consent not recorded (the dataset has no data-use codes)".into());
        return verdict;
    }
    verdict
        .blocked
        .extend(primary_rule(&codes, subject, hierarchy));
    let custodian = custodian_label.map(str::to_string).or_else(|| {
        dataset
            .custodian
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(String::from)
    });
    for code in &codes {
        apply_code(code, subject, today, custodian.as_deref(), &mut verdict);
    }
    verdict
}

/// The custodian's display name: the name of the organisation or researcher whose id
/// `dataset.custodian` holds, else the custodian text as written; `None` when absent.
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
                .map(|r| r.name.clone())
        });
    Some(name.unwrap_or_else(|| custodian.to_string()))
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

const COMMITTEE: &str = "the data-use committee must decide";

/// Reasons from the primary codes: POA, no primary code, or the DS rule (the narrowest).
fn primary_rule(
    codes: &[DataUseCode],
    subject: &ConsentSubject,
    hierarchy: &dyn DiseaseHierarchy,
) -> Vec<String> {
    if codes.contains(&DataUseCode::PopulationAncestry) {
        return vec![format!(
            "for review: POA: population origins or ancestry research only; musubi cannot tell an ancestry study from a disease study, so {COMMITTEE}"
        )];
    }
    if !codes.iter().any(DataUseCode::is_primary) {
        return vec![
            "for review: consent not recorded (no primary data-use code such as GRU, HMB or DS)"
                .into(),
        ];
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
        return vec![];
    }
    disease_specific_rule(&terms, subject, hierarchy)
}

/// `DS:` codes: every disease of the need must be a DS disease or under one of them.
fn disease_specific_rule(
    terms: &[&str],
    subject: &ConsentSubject,
    hierarchy: &dyn DiseaseHierarchy,
) -> Vec<String> {
    let mut allowed = Vec::new();
    let mut unknown = Vec::new();
    for term in terms {
        let concepts = hierarchy.resolve_disease(term);
        if concepts.is_empty() {
            unknown.push(format!(
                "for review: DS:{term}: the vocabulary does not know the disease \"{term}\", so {COMMITTEE}"
            ));
        }
        allowed.extend(concepts);
    }
    if !unknown.is_empty() {
        return unknown;
    }
    let scope = terms.join(" or ");
    if subject.disease_concepts.is_empty() {
        return vec![format!(
            "DS: use limited to {scope} (and diseases under it), and this need names no disease"
        )];
    }
    let outside: Vec<String> = subject
        .disease_concepts
        .iter()
        .filter(|need| {
            !allowed
                .iter()
                .any(|ds| hierarchy.is_same_or_under(need, ds))
        })
        .map(|need| hierarchy.disease_label(need))
        .collect();
    match outside.len() {
        0 => vec![],
        1 => vec![format!(
            "DS: use limited to {scope} (and diseases under it), and the need's disease {} is outside it",
            outside[0]
        )],
        _ => vec![format!(
            "DS: use limited to {scope} (and diseases under it), and the need's diseases {} are outside it",
            outside.join(", ")
        )],
    }
}

/// Modifiers, conditions and unknown codes (primary codes are handled by `primary_rule`).
fn apply_code(
    code: &DataUseCode,
    subject: &ConsentSubject,
    today: Date,
    custodian: Option<&str>,
    verdict: &mut ConsentVerdict,
) {
    let mut block = |reason: String| {
        if !verdict.blocked.contains(&reason) {
            verdict.blocked.push(reason);
        }
    };
    let mut condition = None;
    match code {
        DataUseCode::NonCommercial => {
            if let Some(r) = non_commercial_reason("NCU", subject) {
                block(r)
            }
        }
        DataUseCode::NotForProfit => {
            if let Some(r) = not_for_profit_reason("NPU", subject) {
                block(r)
            }
        }
        DataUseCode::NotForProfitNonCommercial => {
            if let Some(r) = not_for_profit_reason("NPUNCU", subject) {
                block(r)
            }
            if let Some(r) = non_commercial_reason("NPUNCU", subject) {
                block(r)
            }
        }
        DataUseCode::UserSpecific => block(limited("US", "user")),
        DataUseCode::ProjectSpecific => block(limited("PS", "project")),
        DataUseCode::InstitutionSpecific => block(limited("IS", "institution")),
        DataUseCode::Unknown(raw) => block(format!(
            "for review: unknown data-use code \"{raw}\", so {COMMITTEE}"
        )),
        DataUseCode::TimeLimit(text) => match Date::parse(text) {
            Ok(until) if until < today => block(format!("TS: the use period ended on {until}")),
            Ok(until) => condition = Some(format!("use allowed until {until} (TS)")),
            Err(_) => block(bad_date(code, text)),
        },
        DataUseCode::PublicationMoratorium(text) => match Date::parse(text) {
            Ok(date) if date < today => {
                condition = Some(format!("publication embargo ended {date} (MOR, expired)"))
            }
            Ok(date) => condition = Some(format!("publication embargo until {date} (MOR)")),
            Err(_) => block(bad_date(code, text)),
        },
        DataUseCode::Collaboration => condition = Some(match custodian {
            Some(c) => format!("requires collaboration with {c} (COL)"),
            None => {
                "requires collaboration with the dataset's custodian (COL; no custodian recorded)"
                    .into()
            }
        }),
        DataUseCode::EthicsApproval => condition = Some("requires ethics approval (IRB)".into()),
        DataUseCode::PublicationRequired => {
            condition = Some("results must be published (PUB)".into())
        }
        DataUseCode::GeographicRestriction(country) => {
            condition = Some(format!("use limited to {country} (GS)"))
        }
        DataUseCode::ReturnDerivedData => {
            condition = Some("derived data must be returned to the custodian (RTN)".into())
        }
        DataUseCode::NoMethodsDevelopment => {
            condition = Some("not to be used for methods development (NMDS)".into())
        }
        DataUseCode::GeneticStudiesOnly => condition = Some("genetic studies only (GSO)".into()),
        DataUseCode::NotControlSet => {
            condition = Some("not to be used as a control set (NCTRL)".into())
        }
        DataUseCode::GeneralResearch
        | DataUseCode::NoRestriction
        | DataUseCode::HealthMedical
        | DataUseCode::DiseaseSpecific(_)
        | DataUseCode::PopulationAncestry => {}
    }
    if let Some(c) = condition {
        if !verdict.conditions.contains(&c) {
            verdict.conditions.push(c);
        }
    }
}

fn limited(code: &str, what: &str) -> String {
    format!("for review: {code}: use is limited to a named {what}, so {COMMITTEE}")
}

fn bad_date(code: &DataUseCode, text: &str) -> String {
    format!("for review: {code}: \"{text}\" is not a date (YYYY-MM-DD), so {COMMITTEE}")
}

fn non_commercial_reason(code: &str, subject: &ConsentSubject) -> Option<String> {
    subject.commercial.value.then(|| {
        format!(
            "{code}: non-commercial use only, and this need is commercial ({})",
            subject.commercial.basis()
        )
    })
}

fn not_for_profit_reason(code: &str, subject: &ConsentSubject) -> Option<String> {
    let why = match &subject.owner {
        OwnerStanding::Academia => return None,
        OwnerStanding::Industry => owner_phrase(&subject.owner, subject.owner_label.as_deref()),
        OwnerStanding::AdHoc => "an ad-hoc need has no owner organisation".to_string(),
        other => format!(
            "{} (fail closed)",
            owner_phrase(other, subject.owner_label.as_deref())
        ),
    };
    Some(format!(
        "{code}: not-for-profit organisations only, and {why}"
    ))
}

#[cfg(test)]
mod tests;
