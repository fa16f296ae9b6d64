//! Data-use checks that `musubi validate` warns about: consent codes that are absent, unknown,
//! misspelt or contradictory, and needs whose owner has no known forum.
//!
//! Codes are parsed only as far as these warnings need (the consent rules parse them for real):
//! case-insensitive, surrounding spaces ignored, `DS:`/`GS:`/`MOR:`/`TS:` carrying a value.

use super::diagnostic::Diagnostic;
use crate::model::{Catalog, Dataset, Forum, Need};
use std::collections::HashMap;

/// Codes that stand alone.
const PLAIN_CODES: [&str; 17] = [
    "GRU", "NRES", "HMB", "POA", "NCU", "NPU", "NPUNCU", "US", "PS", "IS", "COL", "IRB", "PUB",
    "RTN", "NMDS", "GSO", "NCTRL",
];
/// Codes that carry a value after a colon, and what the value is.
const VALUE_CODES: [(&str, &str); 4] = [
    ("DS", "a disease"),
    ("GS", "a country"),
    ("MOR", "a date"),
    ("TS", "a date"),
];

/// The primary (kind-of-research) codes, for "several primary codes".
const PRIMARY: [&str; 5] = ["GRU", "NRES", "HMB", "DS", "POA"];

/// Warnings about every dataset's `data_use` and every need's owner. `locations` maps record
/// ids to `"file:line"` as `Loaded::locations` does; records not in it are named by id alone.
pub fn check(catalog: &Catalog, locations: &HashMap<String, String>) -> Vec<Diagnostic> {
    let place = |id: &str| -> (String, Option<usize>) {
        match locations.get(id).and_then(|l| l.rsplit_once(':')) {
            Some((file, line)) => (file.to_string(), line.parse().ok()),
            None => (format!("record {id:?}"), None),
        }
    };
    let mut out = Vec::new();
    for dataset in &catalog.datasets {
        let (file, line) = place(&dataset.id);
        for message in data_use_warnings(dataset) {
            out.push(Diagnostic::warning(&file, line, Some("data_use"), message));
        }
    }
    let owners = Owners::new(catalog);
    for need in &catalog.needs {
        if let Some(message) = owner_warning(&owners, need) {
            let (file, line) = place(&need.id);
            out.push(Diagnostic::warning(file, line, Some("owner"), message));
        }
    }
    out
}

/// What a written code is, as far as the warnings need.
#[derive(Debug, PartialEq, Eq)]
enum Code {
    /// A known code, by its upper-case name (`DS`, `NCU`).
    Known(String),
    /// A code that takes a value, written without one.
    MissingValue(&'static str, &'static str),
    /// A code that takes no value, written with one.
    UnexpectedValue(String),
    Unknown,
}

fn classify(code: &str) -> Code {
    let (head, value) = match code.split_once(':') {
        Some((h, v)) => (h.trim().to_uppercase(), Some(v.trim())),
        None => (code.trim().to_uppercase(), None),
    };
    if let Some((name, what)) = VALUE_CODES.iter().find(|(n, _)| *n == head) {
        return match value {
            Some(v) if !v.is_empty() => Code::Known(head),
            _ => Code::MissingValue(name, what),
        };
    }
    if PLAIN_CODES.contains(&head.as_str()) {
        return match value {
            None => Code::Known(head),
            Some(_) => Code::UnexpectedValue(head),
        };
    }
    Code::Unknown
}

/// The known code closest to a misspelt one, if it is close enough to be a slip.
fn suggestion(code: &str) -> Option<&'static str> {
    let head = code.split(':').next().unwrap_or(code).trim().to_uppercase();
    let names = PLAIN_CODES
        .iter()
        .copied()
        .chain(VALUE_CODES.iter().map(|(n, _)| *n));
    names
        .map(|n| (strsim::osa_distance(&head, n), n))
        .filter(|(d, n)| *d == 1 || (*d == 2 && n.len() >= 5))
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

/// The data-use warnings of one dataset, as messages.
pub fn data_use_warnings(dataset: &Dataset) -> Vec<String> {
    let codes: Vec<&str> = dataset
        .data_use
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    if codes.is_empty() {
        return vec!["consent not recorded: this dataset will never be offered".to_string()];
    }
    let mut out = Vec::new();
    let mut primaries: Vec<String> = Vec::new();
    for code in &codes {
        match classify(code) {
            Code::Known(name) => {
                if PRIMARY.contains(&name.as_str()) && !primaries.contains(&name) {
                    primaries.push(name);
                }
            }
            Code::MissingValue(name, what) => out.push(format!(
                "{code:?} needs {what} ({name}:<…>): the dataset is blocked for review"
            )),
            Code::UnexpectedValue(name) => out.push(format!(
                "{code:?}: {name} takes no value: the dataset is blocked for review"
            )),
            Code::Unknown => out.push(match suggestion(code) {
                Some(s) => format!(
                    "unknown code {code:?} (did you mean {s}?): the dataset is blocked for review"
                ),
                None => format!("unknown code {code:?}: the dataset is blocked for review"),
            }),
        }
    }
    match primaries.len() {
        0 => out.push(
            "no primary code (GRU, NRES, HMB, DS:<disease> or POA): consent not recorded, \
             the dataset is blocked for review"
                .to_string(),
        ),
        1 => {}
        _ => {
            let listed = primaries.join(", ");
            let outcome = if primaries.iter().any(|p| p == "POA") {
                "POA blocks the dataset for review".to_string()
            } else {
                let narrowest = ["DS", "HMB", "GRU", "NRES"]
                    .into_iter()
                    .find(|n| primaries.iter().any(|p| p == n))
                    .unwrap_or("DS");
                format!("the narrowest, {narrowest}, applies")
            };
            out.push(format!("several primary codes ({listed}): {outcome}"));
        }
    }
    out
}

/// What the owner checks need to know of a record that may own a need.
enum Owner<'a> {
    Researcher(Option<Forum>),
    Organization,
    Proposal(Option<&'a str>),
}

/// Researchers, organisations and proposals by id (looked up once per need).
struct Owners<'a>(HashMap<&'a str, Owner<'a>>);

impl<'a> Owners<'a> {
    fn new(catalog: &'a Catalog) -> Self {
        let mut map = HashMap::new();
        for p in &catalog.proposals {
            map.insert(p.id.as_str(), Owner::Proposal(p.proposer.as_deref()));
        }
        for o in &catalog.organizations {
            map.insert(o.id.as_str(), Owner::Organization);
        }
        for r in &catalog.researchers {
            map.insert(r.id.as_str(), Owner::Researcher(r.forum));
        }
        Owners(map)
    }
}

/// Why a need's owner leaves its forum unknown (so it counts as industry), if it does.
/// Owners that no record has are reported by the loader, not here.
fn owner_warning(owners: &Owners, need: &Need) -> Option<String> {
    let consequence = if need.commercial.is_none() {
        "treated as industry: never offered NPU datasets, and counted as commercial (no NCU datasets)"
    } else {
        "treated as industry: never offered NPU datasets"
    };
    let Some(owner) = need.owner.as_deref() else {
        return Some(format!("no owner: {consequence}"));
    };
    match owners.0.get(owner) {
        Some(Owner::Researcher(None)) => {
            Some(format!("researcher {owner:?} has no forum: {consequence}"))
        }
        Some(Owner::Proposal(None)) => {
            Some(format!("proposal {owner:?} has no proposer: {consequence}"))
        }
        Some(Owner::Proposal(Some(proposer))) => match owners.0.get(proposer) {
            Some(Owner::Organization | Owner::Researcher(Some(_))) => None,
            Some(Owner::Researcher(None)) => Some(format!(
                "proposal {owner:?}: its proposer {proposer:?} has no forum: {consequence}"
            )),
            _ => Some(format!(
                "proposal {owner:?}: its proposer {proposer:?} is not a known researcher or organization: {consequence}"
            )),
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Area, Organization, Proposal, Researcher};

    fn dataset(codes: &[&str]) -> Dataset {
        Dataset {
            id: "ds-1".into(),
            title: "t".into(),
            area: Area::Cancer,
            diseases: vec![],
            cases: 1,
            modalities: vec![],
            clinical: vec![],
            custodian: None,
            fiscal_year: None,
            access: None,
            data_use: codes.iter().map(|c| c.to_string()).collect(),
            summary: None,
            extra: Default::default(),
        }
    }

    #[test]
    fn good_codes_give_no_warning() {
        assert!(data_use_warnings(&dataset(&["HMB", " ncu ", "IRB", "MOR:2026-04-01"])).is_empty());
        assert!(data_use_warnings(&dataset(&[
            " DS: 膵がん ",
            "ds:胆道がん",
            "GS:JP",
            "TS:2030-01-01"
        ]))
        .is_empty());
        assert!(data_use_warnings(&dataset(&[
            "GRU", "NPUNCU", "COL", "PUB", "RTN", "NMDS", "GSO", "NCTRL"
        ]))
        .is_empty());
    }

    #[test]
    fn absent_consent() {
        assert_eq!(
            data_use_warnings(&dataset(&[])),
            ["consent not recorded: this dataset will never be offered"]
        );
        assert_eq!(data_use_warnings(&dataset(&[" "])).len(), 1);
    }

    #[test]
    fn several_primary_codes() {
        assert_eq!(
            data_use_warnings(&dataset(&["GRU", "DS:膵がん", "HMB"])),
            ["several primary codes (GRU, DS, HMB): the narrowest, DS, applies"]
        );
        assert_eq!(
            data_use_warnings(&dataset(&["HMB", "POA"])),
            ["several primary codes (HMB, POA): POA blocks the dataset for review"]
        );
    }

    #[test]
    fn unknown_and_misspelt_codes() {
        assert_eq!(
            data_use_warnings(&dataset(&["HMB", "NCUU", "FOO"])),
            [
                "unknown code \"NCUU\" (did you mean NCU?): the dataset is blocked for review",
                "unknown code \"FOO\": the dataset is blocked for review",
            ]
        );
        assert_eq!(
            data_use_warnings(&dataset(&["HBM"])),
            [
                "unknown code \"HBM\" (did you mean HMB?): the dataset is blocked for review",
                "no primary code (GRU, NRES, HMB, DS:<disease> or POA): consent not recorded, the dataset is blocked for review",
            ]
        );
        assert_eq!(
            data_use_warnings(&dataset(&["DS:", "GRU"])),
            ["\"DS:\" needs a disease (DS:<…>): the dataset is blocked for review"]
        );
        assert_eq!(
            data_use_warnings(&dataset(&["GRU:x"])),
            [
                "\"GRU:x\": GRU takes no value: the dataset is blocked for review",
                "no primary code (GRU, NRES, HMB, DS:<disease> or POA): consent not recorded, the dataset is blocked for review",
            ]
        );
    }

    fn need(owner: Option<&str>, commercial: Option<bool>) -> Need {
        Need {
            id: "n-1".into(),
            owner: owner.map(str::to_string),
            text: "t".into(),
            commercial,
            ..Default::default()
        }
    }

    #[test]
    fn needs_whose_owner_has_no_forum() {
        let catalog = Catalog {
            researchers: vec![
                Researcher {
                    id: "r-1".into(),
                    name: "a".into(),
                    ..Default::default()
                },
                Researcher {
                    id: "r-2".into(),
                    name: "b".into(),
                    forum: Some(Forum::Academia),
                    ..Default::default()
                },
            ],
            organizations: vec![Organization {
                id: "o-1".into(),
                name: "o".into(),
                name_en: None,
                forum: Forum::Industry,
                sector: None,
                interests: vec![],
                offers: vec![],
                summary: None,
                contact_name: None,
                email: None,
                contact_ok: false,
                extra: Default::default(),
            }],
            proposals: vec![
                Proposal {
                    id: "p-1".into(),
                    title: "p".into(),
                    proposer: Some("r-2".into()),
                    ..Default::default()
                },
                Proposal {
                    id: "p-2".into(),
                    title: "p".into(),
                    ..Default::default()
                },
                Proposal {
                    id: "p-3".into(),
                    title: "p".into(),
                    proposer: Some("r-1".into()),
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        let owners = Owners::new(&catalog);
        let w = |owner, commercial| owner_warning(&owners, &need(owner, commercial));
        assert_eq!(w(Some("o-1"), None), None);
        assert_eq!(w(Some("r-2"), None), None);
        assert_eq!(w(Some("p-1"), None), None);
        assert_eq!(
            w(Some("nobody"), None),
            None,
            "unknown owners are the loader's warning"
        );
        assert_eq!(
            w(None, Some(false)).as_deref(),
            Some("no owner: treated as industry: never offered NPU datasets")
        );
        assert_eq!(
            w(Some("r-1"), None).as_deref(),
            Some("researcher \"r-1\" has no forum: treated as industry: never offered NPU datasets, and counted as commercial (no NCU datasets)")
        );
        assert_eq!(
            w(Some("p-2"), Some(true)).as_deref(),
            Some(
                "proposal \"p-2\" has no proposer: treated as industry: never offered NPU datasets"
            )
        );
        assert_eq!(
            w(Some("p-3"), Some(true)).as_deref(),
            Some("proposal \"p-3\": its proposer \"r-1\" has no forum: treated as industry: never offered NPU datasets")
        );
    }

    #[test]
    fn check_locates_warnings() {
        let catalog = Catalog {
            datasets: vec![dataset(&[])],
            needs: vec![need(None, Some(true))],
            ..Default::default()
        };
        let locations = HashMap::from([("ds-1".to_string(), "datasets.json:3".to_string())]);
        let messages: Vec<String> = check(&catalog, &locations)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            messages,
            [
                "datasets.json:3: data_use: consent not recorded: this dataset will never be offered",
                "record \"n-1\": owner: no owner: treated as industry: never offered NPU datasets",
            ]
        );
    }
}
