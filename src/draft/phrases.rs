//! Every word the draft application writes itself, in Japanese and in English, in one table.

use crate::consent::DataUseCode;

/// The language of a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ja,
    En,
}

/// (key, Japanese, English).
const PHRASES: &[(&str, &str, &str)] = &[
    (
        "title",
        "データ利活用申請（下書き）",
        "Data-use application (draft)",
    ),
    (
        "draft_note",
        "musubi が作成した下書きです。提出前に内容を確認してください。",
        "A draft prepared by musubi; check every part before submitting it.",
    ),
    ("requester", "申請者", "Requester"),
    ("contact", "連絡先", "Contact"),
    (
        "withheld",
        "（連絡の同意がないため記載しません）",
        "(withheld: no consent to be contacted)",
    ),
    (
        "no_owner",
        "（記録に申請者がありません）",
        "(no requester on record)",
    ),
    ("forum", "フォーラム", "Forum"),
    ("purpose", "利用目的", "Purpose"),
    ("subject", "対象", "Subject"),
    ("dataset", "申請するデータセット", "Dataset applied for"),
    ("custodian", "データ管理者", "Custodian"),
    ("access", "アクセス区分", "Access"),
    ("fiscal_year", "年度", "Fiscal year"),
    ("cases_held", "症例数", "Cases held"),
    ("modalities_held", "データ種別", "Modalities held"),
    (
        "data_use",
        "データ利用条件（同意の範囲）と申請者の対応",
        "Data-use conditions (consent) and what the applicant must do",
    ),
    ("code", "コード", "Code"),
    ("meaning", "意味", "Meaning"),
    ("action", "申請者の対応", "What the applicant must do"),
    ("asked", "申請内容", "What is asked for"),
    ("cases_asked", "必要症例数", "Cases needed"),
    ("modalities_asked", "必要なデータ種別", "Modalities needed"),
    ("not_stated", "記載なし", "not stated"),
    ("reasons", "マッチングの根拠", "Why this dataset fits"),
    (
        "conditions",
        "条件（musubi による判定）",
        "Conditions (as musubi reads them)",
    ),
    ("commercial", "商用利用", "Commercial use"),
    ("yes", "あり", "yes"),
    ("no", "なし", "no"),
];

/// The phrase for `key` in `lang` (the key itself if the table lacks it).
pub fn t(key: &str, lang: Lang) -> &str {
    PHRASES
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, ja, en)| if lang == Lang::Ja { *ja } else { *en })
        .unwrap_or(key)
}

/// What a data-use code means, and what the applicant must do about it.
pub fn code_words(code: &DataUseCode, lang: Lang) -> (String, String) {
    use DataUseCode as C;
    let ja = lang == Lang::Ja;
    let pick = |j: &str, e: &str| if ja { j.to_string() } else { e.to_string() };
    match code {
        C::GeneralResearch | C::NoRestriction => (
            pick("研究目的を問わず利用可", "any research use"),
            pick("特になし", "nothing beyond the usual terms"),
        ),
        C::HealthMedical => (
            pick(
                "健康・医学・生物医学研究に限る",
                "health, medical or biomedical research only",
            ),
            pick(
                "利用目的が医学研究であることを記載する",
                "state that the purpose is medical research",
            ),
        ),
        C::DiseaseSpecific(d) => (
            if ja {
                format!("{d}（およびその下位疾患）の研究に限る")
            } else {
                format!("research on {d} (and the diseases under it) only")
            },
            if ja {
                format!("対象疾患が{d}に含まれることを示す")
            } else {
                format!("show that the diseases studied fall under {d}")
            },
        ),
        C::PopulationAncestry => (
            pick(
                "集団の起源・祖先研究に限る",
                "population origins or ancestry research only",
            ),
            pick(
                "データ利用委員会の判断を仰ぐ",
                "ask the data-use committee to decide",
            ),
        ),
        C::NonCommercial => (
            pick("非営利目的に限る", "non-commercial use only"),
            pick(
                "商用目的でないことを誓約する",
                "declare that the use is not commercial",
            ),
        ),
        C::NotForProfit => (
            pick("非営利組織に限る", "not-for-profit organisations only"),
            pick(
                "申請者が非営利組織であることを示す",
                "show that the requester is a not-for-profit organisation",
            ),
        ),
        C::NotForProfitNonCommercial => (
            pick(
                "非営利組織・非営利目的に限る",
                "not-for-profit organisations and non-commercial use only",
            ),
            pick(
                "非営利組織であり商用目的でないことを示す",
                "show a not-for-profit requester and declare non-commercial use",
            ),
        ),
        C::UserSpecific | C::ProjectSpecific | C::InstitutionSpecific => (
            pick(
                "特定の利用者・課題・機関に限る",
                "limited to a named user, project or institution",
            ),
            pick(
                "データ利用委員会の判断を仰ぐ",
                "ask the data-use committee to decide",
            ),
        ),
        C::Collaboration => (
            pick(
                "データ管理者との共同研究が必要",
                "collaboration with the custodian required",
            ),
            pick(
                "データ管理者を共同研究者として計画に加える",
                "plan the study with the custodian as a collaborator",
            ),
        ),
        C::EthicsApproval => (
            pick("倫理審査の承認が必要", "ethics approval required"),
            pick(
                "倫理審査委員会の承認書を添付する",
                "attach the ethics committee's approval",
            ),
        ),
        C::PublicationRequired => (
            pick("成果の公表が必要", "results must be published"),
            pick(
                "成果の公表計画を記載する",
                "describe how the results will be published",
            ),
        ),
        C::GeographicRestriction(country) => (
            if ja {
                format!("利用は{country}国内に限る")
            } else {
                format!("use limited to {country}")
            },
            if ja {
                format!("データを{country}国外に持ち出さないことを誓約する")
            } else {
                format!("declare that the data stays in {country}")
            },
        ),
        C::PublicationMoratorium(date) => (
            if ja {
                format!("{date}まで成果の公表不可")
            } else {
                format!("no publication before {date}")
            },
            if ja {
                format!("{date}以降に公表する計画とする")
            } else {
                format!("plan publication after {date}")
            },
        ),
        C::ReturnDerivedData => (
            pick("派生データの返却が必要", "derived data must be returned"),
            pick(
                "派生データの返却方法を記載する",
                "describe how derived data will be returned",
            ),
        ),
        C::TimeLimit(date) => (
            if ja {
                format!("{date}まで利用可")
            } else {
                format!("use allowed until {date}")
            },
            if ja {
                format!("{date}までに利用を終える計画とする")
            } else {
                format!("plan to finish using the data by {date}")
            },
        ),
        C::NoMethodsDevelopment => (
            pick("手法開発への利用不可", "no methods development"),
            pick(
                "手法開発に用いないことを誓約する",
                "declare that no methods will be developed on it",
            ),
        ),
        C::GeneticStudiesOnly => (
            pick("遺伝学的研究に限る", "genetic studies only"),
            pick(
                "遺伝学的研究であることを記載する",
                "state that the study is genetic",
            ),
        ),
        C::NotControlSet => (
            pick("対照群としての利用不可", "not to be used as a control set"),
            pick(
                "対照群として用いないことを誓約する",
                "declare that it will not serve as a control set",
            ),
        ),
        C::Unknown(raw) => (
            if ja {
                format!("不明なコード「{raw}」")
            } else {
                format!("unknown code \"{raw}\"")
            },
            pick("データ利用委員会に確認する", "ask the data-use committee"),
        ),
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
    fn every_phrase_exists_in_both_languages_and_only_in_its_own() {
        for (key, ja, en) in PHRASES {
            assert!(!ja.is_empty() && !en.is_empty(), "{key}");
            assert!(has_japanese(ja), "{key}: {ja}");
            assert!(!has_japanese(en), "{key}: {en}");
        }
        let mut keys: Vec<&str> = PHRASES.iter().map(|p| p.0).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), PHRASES.len(), "a key appears twice");
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
        }
    }
}
