//! A data-use code in words for the draft: what it means, and what the applicant must do about
//! it (the phrases live in the one table, [`crate::i18n`]).

use crate::consent::DataUseCode;
use crate::i18n::{fill, say, Key, Lang};

/// What `code` means, and what the applicant must do about it, in `lang`.
pub fn code_words(code: &DataUseCode, lang: Lang) -> (String, String) {
    use DataUseCode as C;
    let pair = |meaning: Key, action: Key| (say(meaning, lang), say(action, lang));
    let with = |meaning: Key, action: Key, name: &str, value: &str| {
        (
            fill(meaning, lang, &[(name, value)]),
            fill(action, lang, &[(name, value)]),
        )
    };
    match code {
        C::GeneralResearch | C::NoRestriction => pair(Key::CodeAnyUse, Key::DoNothingMore),
        C::HealthMedical => pair(Key::CodeHealthMedical, Key::DoStateMedical),
        C::DiseaseSpecific(d) => with(Key::CodeDisease, Key::DoShowDisease, "d", d),
        C::PopulationAncestry => pair(Key::CodeAncestry, Key::DoAskCommitteeDecide),
        C::NonCommercial => pair(Key::CodeNonCommercial, Key::DoDeclareNonCommercial),
        C::NotForProfit => pair(Key::CodeNotForProfit, Key::DoShowNotForProfit),
        C::NotForProfitNonCommercial => pair(
            Key::CodeNotForProfitNonCommercial,
            Key::DoShowNotForProfitNonCommercial,
        ),
        C::UserSpecific | C::ProjectSpecific | C::InstitutionSpecific => {
            pair(Key::CodeNamedOnly, Key::DoAskCommitteeDecide)
        }
        C::Collaboration => pair(Key::CodeCollaboration, Key::DoPlanCollaboration),
        C::EthicsApproval => pair(Key::CodeEthics, Key::DoAttachEthics),
        C::PublicationRequired => pair(Key::CodePublish, Key::DoDescribePublication),
        C::GeographicRestriction(country) => {
            with(Key::CodeCountry, Key::DoKeepInCountry, "country", country)
        }
        C::PublicationMoratorium(date) => with(Key::CodeEmbargo, Key::DoPublishAfter, "date", date),
        C::ReturnDerivedData => pair(Key::CodeReturn, Key::DoDescribeReturn),
        C::TimeLimit(date) => with(Key::CodeUntil, Key::DoFinishBy, "date", date),
        C::NoMethodsDevelopment => pair(Key::CodeNoMethods, Key::DoDeclareNoMethods),
        C::GeneticStudiesOnly => pair(Key::CodeGeneticOnly, Key::DoStateGenetic),
        C::NotControlSet => pair(Key::CodeNotControl, Key::DoDeclareNotControl),
        C::Unknown(raw) => with(Key::CodeUnknownWords, Key::DoAskCommittee, "raw", raw),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent::parse_code;

    fn has_japanese(s: &str) -> bool {
        s.chars().any(crate::text::is_cjk)
    }

    #[test]
    fn every_code_is_explained_in_both_languages() {
        for raw in [
            "GRU",
            "NRES",
            "HMB",
            "DS:x",
            "POA",
            "NCU",
            "NPU",
            "NPUNCU",
            "US",
            "PS",
            "IS",
            "COL",
            "IRB",
            "PUB",
            "GS:JP",
            "MOR:2027-01-01",
            "RTN",
            "TS:2027-01-01",
            "NMDS",
            "GSO",
            "NCTRL",
            "XYZ",
        ] {
            let code = parse_code(raw);
            let (m_ja, a_ja) = code_words(&code, Lang::Ja);
            let (m_en, a_en) = code_words(&code, Lang::En);
            assert!(has_japanese(&m_ja) && has_japanese(&a_ja), "{raw}");
            assert!(!has_japanese(&m_en) && !has_japanese(&a_en), "{raw}");
            assert!(
                !m_en.contains('{') && !a_ja.contains('{'),
                "{raw}: unfilled"
            );
        }
        let (meaning, action) = code_words(&parse_code("GS:Japan"), Lang::En);
        assert_eq!(meaning, "use limited to Japan");
        assert_eq!(action, "declare that the data stays in Japan");
    }
}
