//! Data-use codes: parsing the strings of a dataset's `data_use` into `DataUseCode`s.

use std::fmt;
use unicode_normalization::UnicodeNormalization;

/// One data-use code (after GA4GH DUO), as `data-format.md` lists them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DataUseCode {
    /// `GRU`: general research use.
    GeneralResearch,
    /// `NRES`: no restriction.
    NoRestriction,
    /// `HMB`: health, medical or biomedical research.
    HealthMedical,
    /// `DS:<disease>`: that disease and those under it only (the term as written).
    DiseaseSpecific(String),
    /// `POA`: population origins or ancestry research only.
    PopulationAncestry,
    /// `NCU`: non-commercial use only.
    NonCommercial,
    /// `NPU`: not-for-profit organisations only.
    NotForProfit,
    /// `NPUNCU`: both `NPU` and `NCU`.
    NotForProfitNonCommercial,
    /// `US`: use limited to a named user.
    UserSpecific,
    /// `PS`: use limited to a named project.
    ProjectSpecific,
    /// `IS`: use limited to a named institution.
    InstitutionSpecific,
    /// `COL`: collaboration with the custodian required.
    Collaboration,
    /// `IRB`: ethics approval required.
    EthicsApproval,
    /// `PUB`: results must be published.
    PublicationRequired,
    /// `GS:<country>`: use limited to that country.
    GeographicRestriction(String),
    /// `MOR:<date>`: no publication before that date (the date as written).
    PublicationMoratorium(String),
    /// `RTN`: derived data must be returned.
    ReturnDerivedData,
    /// `TS:<date>`: use allowed until that date (the date as written).
    TimeLimit(String),
    /// `NMDS`: no methods development.
    NoMethodsDevelopment,
    /// `GSO`: genetic studies only.
    GeneticStudiesOnly,
    /// `NCTRL`: not to be used as a control set.
    NotControlSet,
    /// Anything else, as written (trimmed): blocks for review.
    Unknown(String),
}

/// What part a code plays in the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeClass {
    /// Says what kind of research is allowed (`GRU`, `NRES`, `HMB`, `DS`, `POA`).
    Primary,
    /// Blocks some needs (`NCU`, `NPU`, `NPUNCU`, `US`, `PS`, `IS`).
    Modifier,
    /// Shown with the match, never hides it (`TS` blocks once its date is past).
    Condition,
    /// Not a code musubi knows.
    Unknown,
}

/// Parses one entry of `data_use`: case and surrounding spaces do not matter, and full-width
/// forms (`ＮＣＵ`, `DS：膵がん`) read as their ASCII forms. A code that needs an argument
/// (`DS`, `GS`, `MOR`, `TS`) but has none, or a known code given an argument it does not take,
/// is `Unknown`.
pub fn parse_code(raw: &str) -> DataUseCode {
    let text: String = raw.nfkc().collect();
    let text = text.trim();
    let unknown = || DataUseCode::Unknown(text.to_string());
    let (name, arg) = match text.split_once(':') {
        Some((name, arg)) => (name.trim().to_ascii_uppercase(), Some(arg.trim())),
        None => (text.to_ascii_uppercase(), None),
    };
    let with_arg = |make: fn(String) -> DataUseCode| match arg {
        Some(a) if !a.is_empty() => make(a.to_string()),
        _ => unknown(),
    };
    let bare = |code: DataUseCode| if arg.is_none() { code } else { unknown() };
    match name.as_str() {
        "GRU" => bare(DataUseCode::GeneralResearch),
        "NRES" => bare(DataUseCode::NoRestriction),
        "HMB" => bare(DataUseCode::HealthMedical),
        "DS" => with_arg(DataUseCode::DiseaseSpecific),
        "POA" => bare(DataUseCode::PopulationAncestry),
        "NCU" => bare(DataUseCode::NonCommercial),
        "NPU" => bare(DataUseCode::NotForProfit),
        "NPUNCU" => bare(DataUseCode::NotForProfitNonCommercial),
        "US" => bare(DataUseCode::UserSpecific),
        "PS" => bare(DataUseCode::ProjectSpecific),
        "IS" => bare(DataUseCode::InstitutionSpecific),
        "COL" => bare(DataUseCode::Collaboration),
        "IRB" => bare(DataUseCode::EthicsApproval),
        "PUB" => bare(DataUseCode::PublicationRequired),
        "GS" => with_arg(DataUseCode::GeographicRestriction),
        "MOR" => with_arg(DataUseCode::PublicationMoratorium),
        "RTN" => bare(DataUseCode::ReturnDerivedData),
        "TS" => with_arg(DataUseCode::TimeLimit),
        "NMDS" => bare(DataUseCode::NoMethodsDevelopment),
        "GSO" => bare(DataUseCode::GeneticStudiesOnly),
        "NCTRL" => bare(DataUseCode::NotControlSet),
        _ => unknown(),
    }
}

impl DataUseCode {
    /// The code's name without its argument (`DS`, `NCU`, …); for an unknown code, the text as
    /// written.
    pub fn name(&self) -> &str {
        match self {
            DataUseCode::GeneralResearch => "GRU",
            DataUseCode::NoRestriction => "NRES",
            DataUseCode::HealthMedical => "HMB",
            DataUseCode::DiseaseSpecific(_) => "DS",
            DataUseCode::PopulationAncestry => "POA",
            DataUseCode::NonCommercial => "NCU",
            DataUseCode::NotForProfit => "NPU",
            DataUseCode::NotForProfitNonCommercial => "NPUNCU",
            DataUseCode::UserSpecific => "US",
            DataUseCode::ProjectSpecific => "PS",
            DataUseCode::InstitutionSpecific => "IS",
            DataUseCode::Collaboration => "COL",
            DataUseCode::EthicsApproval => "IRB",
            DataUseCode::PublicationRequired => "PUB",
            DataUseCode::GeographicRestriction(_) => "GS",
            DataUseCode::PublicationMoratorium(_) => "MOR",
            DataUseCode::ReturnDerivedData => "RTN",
            DataUseCode::TimeLimit(_) => "TS",
            DataUseCode::NoMethodsDevelopment => "NMDS",
            DataUseCode::GeneticStudiesOnly => "GSO",
            DataUseCode::NotControlSet => "NCTRL",
            DataUseCode::Unknown(raw) => raw,
        }
    }

    /// The part the code plays in the rules.
    pub fn class(&self) -> CodeClass {
        use DataUseCode::*;
        match self {
            GeneralResearch | NoRestriction | HealthMedical | DiseaseSpecific(_)
            | PopulationAncestry => CodeClass::Primary,
            NonCommercial
            | NotForProfit
            | NotForProfitNonCommercial
            | UserSpecific
            | ProjectSpecific
            | InstitutionSpecific => CodeClass::Modifier,
            Collaboration
            | EthicsApproval
            | PublicationRequired
            | GeographicRestriction(_)
            | PublicationMoratorium(_)
            | ReturnDerivedData
            | TimeLimit(_)
            | NoMethodsDevelopment
            | GeneticStudiesOnly
            | NotControlSet => CodeClass::Condition,
            Unknown(_) => CodeClass::Unknown,
        }
    }

    /// True for `GRU`, `NRES`, `HMB`, `DS:` and `POA`.
    pub fn is_primary(&self) -> bool {
        self.class() == CodeClass::Primary
    }
}

impl fmt::Display for DataUseCode {
    /// The canonical spelling: `NCU`, `DS:膵がん`, `MOR:2027-03-31`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataUseCode::DiseaseSpecific(a)
            | DataUseCode::GeographicRestriction(a)
            | DataUseCode::PublicationMoratorium(a)
            | DataUseCode::TimeLimit(a) => write!(f, "{}:{}", self.name(), a),
            other => f.write_str(other.name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_ignore_case_and_spaces() {
        assert_eq!(parse_code(" ncu "), DataUseCode::NonCommercial);
        assert_eq!(parse_code("Hmb"), DataUseCode::HealthMedical);
        assert_eq!(
            parse_code(" DS: 膵がん "),
            DataUseCode::DiseaseSpecific("膵がん".into())
        );
        assert_eq!(
            parse_code("ds:pancreatic cancer"),
            DataUseCode::DiseaseSpecific("pancreatic cancer".into())
        );
        assert_eq!(
            parse_code("mor:2027-03-31"),
            DataUseCode::PublicationMoratorium("2027-03-31".into())
        );
        assert_eq!(
            parse_code("gs: JP"),
            DataUseCode::GeographicRestriction("JP".into())
        );
    }

    #[test]
    fn full_width_forms_read_as_ascii() {
        assert_eq!(parse_code("ＮＣＵ"), DataUseCode::NonCommercial);
        assert_eq!(
            parse_code("DS：膵がん"),
            DataUseCode::DiseaseSpecific("膵がん".into())
        );
    }

    #[test]
    fn misspelt_or_malformed_codes_are_unknown_as_written() {
        assert_eq!(parse_code(" HBM "), DataUseCode::Unknown("HBM".into()));
        assert_eq!(parse_code("DS:"), DataUseCode::Unknown("DS:".into()));
        assert_eq!(parse_code("TS"), DataUseCode::Unknown("TS".into()));
        assert_eq!(
            parse_code("NCU:yes"),
            DataUseCode::Unknown("NCU:yes".into())
        );
        assert_eq!(parse_code(""), DataUseCode::Unknown("".into()));
    }

    #[test]
    fn classes_and_display() {
        assert!(parse_code("POA").is_primary());
        assert_eq!(parse_code("NPUNCU").class(), CodeClass::Modifier);
        assert_eq!(parse_code("TS:2027-01-01").class(), CodeClass::Condition);
        assert_eq!(parse_code("x").class(), CodeClass::Unknown);
        assert_eq!(parse_code(" ds : 膵がん").to_string(), "DS:膵がん");
        assert_eq!(parse_code("nctrl").to_string(), "NCTRL");
    }
}
