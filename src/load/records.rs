//! Raw records → typed records of each kind, following the field list of data-format.md.

use super::diagnostic::Diagnostic;
use super::fields::Fields;
use super::formats::RawRecord;
use crate::model::{
    Access, Area, Dataset, Forum, Kind, Need, Organization, Proposal, ProposalStatus, Record,
    Researcher,
};
use std::collections::HashMap;

const FORUMS: [(&str, Forum); 2] = [("academia", Forum::Academia), ("industry", Forum::Industry)];
const AREAS: [(&str, Area); 2] = [
    ("cancer", Area::Cancer),
    ("rare_disease", Area::RareDisease),
];
const ACCESS: [(&str, Access); 3] = [
    ("open", Access::Open),
    ("registered", Access::Registered),
    ("controlled", Access::Controlled),
];
const STATUSES: [(&str, ProposalStatus); 6] = [
    ("draft", ProposalStatus::Draft),
    ("submitted", ProposalStatus::Submitted),
    ("under_review", ProposalStatus::UnderReview),
    ("approved", ProposalStatus::Approved),
    ("active", ProposalStatus::Active),
    ("closed", ProposalStatus::Closed),
];

/// A record read from a file, with the line of each field that was present.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadRecord {
    pub record: Record,
    pub field_lines: HashMap<String, usize>,
}

/// Reads one raw record of `kind`; `Err` carries every field error of the record.
pub fn read(file: &str, kind: Kind, raw: &RawRecord) -> Result<ReadRecord, Vec<Diagnostic>> {
    let mut f = Fields::new(file, raw);
    let record = match kind {
        Kind::Researcher => Record::Researcher(Researcher {
            id: f.required_text("id"),
            name: f.required_text("name"),
            name_en: f.text("name_en"),
            affiliation: f.text("affiliation"),
            affiliation_en: f.text("affiliation_en"),
            role: f.text("role"),
            forum: f.choice("forum", &FORUMS),
            areas: f.choice_list("areas", &AREAS),
            diseases: f.list("diseases"),
            expertise: f.list("expertise"),
            summary: f.text("summary"),
            email: f.text("email"),
            contact_ok: f.boolean("contact_ok").unwrap_or(false),
            extra: Default::default(),
        }),
        Kind::Organization => {
            let id = f.required_text("id");
            let name = f.required_text("name");
            let name_en = f.text("name_en");
            let forum = f.required_choice("forum", &FORUMS);
            Record::Organization(Organization {
                id,
                name,
                name_en,
                forum: forum.unwrap_or(Forum::Industry),
                sector: f.text("sector"),
                interests: f.list("interests"),
                offers: f.list("offers"),
                summary: f.text("summary"),
                contact_name: f.text("contact_name"),
                email: f.text("email"),
                contact_ok: f.boolean("contact_ok").unwrap_or(false),
                extra: Default::default(),
            })
        }
        Kind::Proposal => Record::Proposal(Proposal {
            id: f.required_text("id"),
            title: f.required_text("title"),
            title_en: f.text("title_en"),
            proposer: f.text("proposer"),
            partners: f.list("partners"),
            area: f.choice("area", &AREAS),
            diseases: f.list("diseases"),
            exit_strategy: f.list("exit_strategy"),
            status: f.choice("status", &STATUSES),
            target_cases: f.whole("target_cases"),
            modalities: f.list("modalities"),
            seeking: f.choice_list("seeking", &FORUMS),
            summary: f.text("summary"),
            extra: Default::default(),
        }),
        Kind::Dataset => {
            let id = f.required_text("id");
            let title = f.required_text("title");
            let area = f.required_choice("area", &AREAS);
            let diseases = f.list("diseases");
            let cases = f.required_whole("cases");
            Record::Dataset(Dataset {
                id,
                title,
                area: area.unwrap_or(Area::Cancer),
                diseases,
                cases,
                modalities: f.list("modalities"),
                clinical: f.list("clinical"),
                custodian: f.text("custodian"),
                fiscal_year: f.text("fiscal_year"),
                access: f.choice("access", &ACCESS),
                data_use: f.list("data_use"),
                summary: f.text("summary"),
                extra: Default::default(),
            })
        }
        Kind::Need => {
            let id = f.required_text("id");
            let owner = f.text("owner");
            let title = f.text("title");
            let text = f.required_text("text");
            Record::Need(Need {
                id,
                owner,
                title,
                text,
                area: f.choice("area", &AREAS),
                diseases: f.list("diseases"),
                modalities: f.list("modalities"),
                min_cases: f.whole("min_cases"),
                commercial: f.boolean("commercial"),
                extra: Default::default(),
            })
        }
    };
    let (extra, problems, field_lines) = f.finish();
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(ReadRecord {
        record: with_extra(record, extra),
        field_lines,
    })
}

fn with_extra(mut record: Record, extra: crate::model::ExtraFields) -> Record {
    match &mut record {
        Record::Dataset(r) => r.extra = extra,
        Record::Researcher(r) => r.extra = extra,
        Record::Organization(r) => r.extra = extra,
        Record::Proposal(r) => r.extra = extra,
        Record::Need(r) => r.extra = extra,
    }
    record
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::formats::RawField;
    use serde_json::{json, Value};

    fn raw(fields: Value) -> RawRecord {
        let fields = fields
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| RawField {
                        name: k.clone(),
                        value: v.clone(),
                        line: 3,
                    })
                    .collect()
            })
            .unwrap_or_default();
        RawRecord { line: 2, fields }
    }

    fn errors(r: Result<ReadRecord, Vec<Diagnostic>>) -> Vec<String> {
        r.err()
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn dataset_with_every_field() {
        let r = raw(json!({
            "id": "ds-1", "title": "膵がん WGS", "area": "cancer", "diseases": "膵がん; 胆道がん",
            "cases": "820", "modalities": ["WGS", "RNA-seq"], "clinical": "outcome",
            "custodian": "NCC", "fiscal_year": 2023, "access": "Controlled",
            "data_use": "HMB; NCU", "summary": "s", "portal": "https://x"
        }));
        let read = read("d.json", Kind::Dataset, &r);
        let Ok(ReadRecord {
            record: Record::Dataset(d),
            ..
        }) = read
        else {
            panic!("not a dataset: {read:?}")
        };
        assert_eq!(d.diseases, ["膵がん", "胆道がん"]);
        assert_eq!(d.cases, 820);
        assert_eq!(d.fiscal_year.as_deref(), Some("2023"));
        assert_eq!(d.access, Some(Access::Controlled));
        assert_eq!(d.data_use, ["HMB", "NCU"]);
        assert_eq!(d.extra.get("portal"), Some(&json!("https://x")));
    }

    #[test]
    fn every_field_error_of_a_record_is_reported() {
        let r = raw(json!({"title": "t", "area": "cancr", "cases": "many"}));
        assert_eq!(
            errors(read("d.json", Kind::Dataset, &r)),
            [
                "d.json:2: id: missing (required)",
                "d.json:3: area: expected cancer or rare_disease, got \"cancr\"",
                "d.json:3: cases: expected a whole number",
            ]
        );
    }

    #[test]
    fn organization_needs_a_forum() {
        let r = raw(json!({"id": "o", "name": "n"}));
        assert_eq!(
            errors(read("o.csv", Kind::Organization, &r)),
            ["o.csv:2: forum: missing (required)"]
        );
    }

    #[test]
    fn need_commercial_absent_stays_absent() {
        let r = raw(json!({"id": "n", "text": "t", "owner": "org-1"}));
        let Ok(ReadRecord {
            record: Record::Need(n),
            field_lines,
        }) = read("n.toml", Kind::Need, &r)
        else {
            panic!("not a need")
        };
        assert_eq!(n.commercial, None);
        assert_eq!(n.owner.as_deref(), Some("org-1"));
        assert_eq!(field_lines.get("owner"), Some(&3));
    }

    #[test]
    fn researcher_booleans_and_areas() {
        let r = raw(
            json!({"id": "r", "name": "n", "contact_ok": "no", "areas": "cancer;rare disease", "seeking": 1}),
        );
        let Ok(ReadRecord {
            record: Record::Researcher(p),
            ..
        }) = read("r.csv", Kind::Researcher, &r)
        else {
            panic!("not a researcher")
        };
        assert!(!p.contact_ok);
        assert_eq!(p.areas, [Area::Cancer, Area::RareDisease]);
        assert_eq!(p.extra.get("seeking"), Some(&json!(1)));
    }
}
