//! Every phrase musubi writes itself into match reports and exports, in Japanese and English, in
//! one table: an output asked for in one language never mixes in the other (`--lang ja|en`, the
//! `lang` setting).
//!
//! A phrase is a template with `{name}` placeholders filled by [`fill`]. The table is built by
//! one macro, so a key cannot exist without both languages; the tests check that the two
//! versions of every phrase have the same placeholders and are each in their own script.

use crate::text::is_cjk;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The language of an output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Japanese (the default: the consortium works in Japanese).
    #[default]
    Ja,
    En,
}

impl Lang {
    /// Japanese when the text has any kanji or kana.
    pub fn of(text: &str) -> Lang {
        if text.chars().any(is_cjk) {
            Lang::Ja
        } else {
            Lang::En
        }
    }

    /// `ja` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// The separator of a list of names: `・` or `, `.
    pub fn list_separator(self) -> &'static str {
        match self {
            Lang::Ja => "・",
            Lang::En => ", ",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = String;
    /// Accepts `ja` and `en` (any case, `japanese`/`english` too).
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ja" | "jp" | "japanese" => Ok(Lang::Ja),
            "en" | "english" => Ok(Lang::En),
            other => Err(format!("unknown language \"{other}\" (use ja or en)")),
        }
    }
}

macro_rules! phrases {
    ($($key:ident => $ja:literal, $en:literal;)*) => {
        /// A phrase of the table.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Key { $($key),* }

        /// Every key, for the completeness tests.
        pub const ALL_KEYS: &[Key] = &[$(Key::$key),*];

        /// The template of a phrase in one language.
        pub fn text(key: Key, lang: Lang) -> &'static str {
            match (key, lang) {
                $((Key::$key, Lang::Ja) => $ja, (Key::$key, Lang::En) => $en,)*
            }
        }
    };
}

phrases! {
    // Match reasons.
    SameDisease => "疾患が一致: {s}", "same disease: {s}";
    NarrowerDisease => "{c}（{s}に含まれる）を対象", "covers {c}, a kind of {s}";
    BroaderDisease => "{s}を含む{c}を対象", "covers {c}, which includes {s}";
    RootDisease => "{c}全般を対象（{s}に限らない）", "covers {c} in general, not {s} specifically";
    SiblingDisease => "{c}と{s}はともに{p}", "{c} and {s} are both {p}";
    RelatedFieldOnly => "関連分野のみ", "related field only";
    HasModalities => "{has}あり", "has {has}";
    LacksModalities => "{lacks}なし", "lacks {lacks}";
    HasAndLacksModalities => "{has}あり、{lacks}なし", "has {has}; lacks {lacks}";
    CasesEnough => "{cases}症例 ≥ 必要数{needed}", "{cases} cases ≥ {needed} needed";
    CasesShort => "{cases}症例 < 必要数{needed}（{percent}%）", "{cases} cases < {needed} needed ({percent}%)";
    ClinicalItems => "臨床情報: {items}", "clinical items: {items}";
    SimilarText => "記述の内容が近い", "similar description";
    ExpertiseFits => "専門・提供が適合: {items}", "expertise or offers fit: {items}";
    Complements => "補完する専門性: {items}", "brings complementary skills: {items}";
    IndustryForum => "産業フォーラム", "industry forum";
    AcademiaForum => "アカデミアフォーラム", "academia forum";
    ForumWithSector => "{forum}（{sector}）", "{forum} ({sector})";
    SharedStrategy => "出口戦略が共通: {items}", "shared exit strategy: {items}";
    SeeksIndustry => "産業界の参加を募集", "seeks industry partners";
    SeeksAcademia => "アカデミアの参加を募集", "seeks academia partners";
    ProposalStatus => "ステータス: {status}", "status: {status}";
    StatusDraft => "下書き", "draft";
    StatusSubmitted => "提出済み", "submitted";
    StatusUnderReview => "審査中", "under review";
    StatusApproved => "承認済み", "approved";
    StatusActive => "実施中", "active";
    StatusClosed => "終了", "closed";

    // Consent: why a dataset is not offered.
    ForReview => "要審査: {reason}", "for review: {reason}";
    Committee => "利活用審査委員会の判断が必要", "the data-use committee must decide";
    NoCodes => "同意が記録されていない（データ利用コードがない）", "consent not recorded (the dataset has no data-use codes)";
    NoPrimaryCode => "同意が記録されていない（GRU・HMB・DS などの主コードがない）", "consent not recorded (no primary data-use code such as GRU, HMB or DS)";
    PopulationAncestry => "POA: 集団の起源・祖先の研究に限る。祖先研究と疾患研究を区別できないため、{committee}", "POA: population origins or ancestry research only; musubi cannot tell an ancestry study from a disease study, so {committee}";
    DsUnknownTerm => "DS:{term}: 語彙にない疾患「{term}」のため、{committee}", "DS:{term}: the vocabulary does not know the disease \"{term}\", so {committee}";
    DsScopeOr => "または", "or";
    DsNoDisease => "DS: 利用は{scope}（とその下位の疾患）に限られ、このニーズは疾患を挙げていない", "DS: use limited to {scope} (and diseases under it), and this need names no disease";
    DsOutsideOne => "DS: 利用は{scope}（とその下位の疾患）に限られ、ニーズの疾患 {d} は対象外", "DS: use limited to {scope} (and diseases under it), and the need's disease {d} is outside it";
    DsOutsideMany => "DS: 利用は{scope}（とその下位の疾患）に限られ、ニーズの疾患 {d} は対象外", "DS: use limited to {scope} (and diseases under it), and the need's diseases {d} are outside it";
    LimitedUser => "{code}: 利用は特定の利用者に限られるため、{committee}", "{code}: use is limited to a named user, so {committee}";
    LimitedProject => "{code}: 利用は特定のプロジェクトに限られるため、{committee}", "{code}: use is limited to a named project, so {committee}";
    LimitedInstitution => "{code}: 利用は特定の機関に限られるため、{committee}", "{code}: use is limited to a named institution, so {committee}";
    UnknownCode => "不明なデータ利用コード「{raw}」のため、{committee}", "unknown data-use code \"{raw}\", so {committee}";
    BadDate => "{code}: 「{text}」は日付（YYYY-MM-DD）ではないため、{committee}", "{code}: \"{text}\" is not a date (YYYY-MM-DD), so {committee}";
    UsePeriodEnded => "TS: 利用期間は{date}に終了", "TS: the use period ended on {date}";
    NonCommercialOnly => "{code}: 非営利の利用に限られ、このニーズは商用（{basis}）", "{code}: non-commercial use only, and this need is commercial ({basis})";
    NotForProfitOnly => "{code}: 非営利団体に限られ、{why}", "{code}: not-for-profit organisations only, and {why}";

    // Consent: conditions shown with a match.
    CondUseUntil => "{date}まで利用可（TS）", "use allowed until {date} (TS)";
    CondEmbargoEnded => "公表猶予は{date}に終了（MOR、期限切れ）", "publication embargo ended {date} (MOR, expired)";
    CondEmbargo => "{date}まで公表不可（MOR）", "publication embargo until {date} (MOR)";
    CondCollaboration => "{custodian}との共同研究が必要（COL）", "requires collaboration with {custodian} (COL)";
    CondCollaborationNoCustodian => "データの管理者との共同研究が必要（COL、管理者の記録なし）", "requires collaboration with the dataset's custodian (COL; no custodian recorded)";
    CondEthics => "倫理審査の承認が必要（IRB）", "requires ethics approval (IRB)";
    CondPublish => "成果の公表が必要（PUB）", "results must be published (PUB)";
    CondCountry => "利用は{country}に限る（GS）", "use limited to {country} (GS)";
    CondReturn => "派生データを管理者に返却（RTN）", "derived data must be returned to the custodian (RTN)";
    CondNoMethods => "手法開発には使わない（NMDS）", "not to be used for methods development (NMDS)";
    CondGeneticOnly => "遺伝学的研究に限る（GSO）", "genetic studies only (GSO)";
    CondNotControl => "対照群には使わない（NCTRL）", "not to be used as a control set (NCTRL)";

    // Who asks, and whether it is commercial.
    OwnerNamed => "依頼元 {label}", "owner {label}";
    OwnerUnnamed => "依頼元", "the owner";
    ProposerOf => "{id}（{proposal}の提案者）", "{id} (proposer of {proposal})";
    ProposerOfSeparator => "の提案者、", ", proposer of ";
    ProposalLabel => "提案 {label}", "proposal {label}";
    InIndustryForum => "{who}は産業フォーラムの会員", "{who} is in the industry forum";
    InAcademiaForum => "{who}はアカデミアフォーラムの会員", "{who} is in the academia forum";
    NoForumRecorded => "{who}のフォーラムが記録されていない", "{who} has no forum recorded";
    OwnerMatchesNoRecord => "依頼元 {label} に該当する記録がない", "owner {label} matches no record";
    OwnerIdMatchesNoRecord => "依頼元のID {id} に該当する記録がない", "owner id {id} matches no record";
    NoProposerRecorded => "{label}に提案者が記録されていない", "{label} has no proposer recorded";
    NeedHasNoOwner => "ニーズに依頼元がない", "the need has no owner";
    FailClosed => "{x}（安全側に判断）", "{x} (fail closed)";
    MarkedCommercialByCoordinator => "コーディネーターが商用と指定", "marked commercial by the coordinator";
    MarkedNonCommercialByCoordinator => "コーディネーターが非商用と指定", "marked non-commercial by the coordinator";
    NeedMarkedCommercial => "ニーズに商用と記載", "the need is marked commercial";
    NeedMarkedNonCommercial => "ニーズに非商用と記載", "the need is marked non-commercial";
    CommercialNotRuledOut => "商用利用の可能性を否定できない（--non-commercial か --requester を指定）", "commercial use not ruled out (state --non-commercial or --requester)";
    NoRequesterNamed => "依頼者が指定されていない（安全側に判断）", "no requester is named (fail closed)";
    Commercial => "商用", "commercial";
    NonCommercial => "非商用", "non-commercial";

    // Subjects and sections.
    KindNeed => "ニーズ", "need";
    KindProposal => "提案", "proposal";
    KindOrganization => "組織", "organisation";
    KindResearcher => "研究者", "researcher";
    KindAdHoc => "臨時の依頼", "ad-hoc request";
    KindDataset => "データセット", "dataset";
    SubjectLine => "{name}［{kind}／依頼者: {requester}／{commercial}: {basis}］", "{name} [{kind}; requester: {requester}; {commercial}: {basis}]";
    SubjectLineShort => "{name}［{kind}］", "{name} [{kind}]";
    MatchesFor => "マッチ結果: {subject}", "Matches for {subject}";
    RequesterNone => "指定なし", "none";
    SectionDatasets => "データセット", "Datasets";
    SectionPartners => "連携候補", "Partners";
    SectionProposals => "参加できる提案", "Proposals";
    NoneInList => "（なし）", "(none)";
    NoneSentence => "なし。", "None.";

    // Verdicts.
    VerdictAllowed => "提供可", "allowed";
    VerdictBlocked => "提供不可", "blocked";
    VerdictReview => "要審査", "for review";

    // Exports.
    PrivacyNote => "連絡先は個人情報です。連絡に同意した人と組織（contact_ok）だけを連絡先付きで載せ、それ以外は連絡先を載せずに「連絡先非開示」と記しています。", "Contact details are personal data. Only people and organisations who agreed to be contacted (contact_ok) are listed with contact details; the others are listed without them and marked \"details withheld\".";
    BlockedLeftOut => "利用条件で提供できない、または審査が必要なデータセット {n} 件を除外（--include-blocked で判定と規則を表示）。", "{n} dataset(s) blocked or for review under their data-use conditions left out (--include-blocked lists them with the verdict and rule).";
    BlockedListedNote => "提供不可・要審査のデータセットは判定と規則だけを載せ、管理者の連絡先は載せていません。", "Blocked and for-review datasets are listed with their verdict and rule only, never with a custodian's contact details.";
    ContactConsented => "連絡に同意済み", "agreed to be contacted";
    ContactWithheld => "連絡の同意なし: 連絡先非開示", "no consent to contact: details withheld";
    ContactNotOnFile => "連絡先の記録なし", "no contact on file";
    ContactNoDetails => "連絡に同意済み、連絡先の記録なし", "agreed to be contacted, no details on file";
    ContactNotOffered => "提供対象外のデータセット: 管理者の連絡先は載せない", "dataset not offered: custodian contact left out";
    MemoTitle => "マッチ結果: {subjects}", "Matches: {subjects}";
    MemoNoSubject => "（対象なし）", "(no subject)";
    MemoDate => "作成日", "Date";
    MemoPrivacy => "個人情報", "Privacy";
    MemoConsent => "利用条件", "Data use";
    MemoContacts => "連絡先", "Contacts";
    HeaderRank => "順位", "Rank";
    HeaderName => "名称", "Name";
    HeaderScore => "スコア", "Score";
    HeaderReasons => "理由", "Reasons";
    HeaderConditions => "条件", "Conditions";
    HeaderVerdict => "判定", "Verdict";
    HeaderSubject => "対象", "Subject";
    SheetMatches => "マッチ", "Matches";
    SheetPrivacy => "個人情報", "Privacy";
    SheetAbout => "概要", "About";

    // The data-use application draft (利活用申請の下書き).
    DraftTitle => "データ利活用申請（下書き）", "Data-use application (draft)";
    DraftNote => "musubi が作成した下書きです。提出前に内容を確認してください。", "A draft prepared by musubi; check every part before submitting it.";
    DraftRequester => "申請者", "Requester";
    DraftContact => "連絡先", "Contact";
    DraftWithheld => "（連絡の同意がないため記載しません）", "(withheld: no consent to be contacted)";
    DraftNoOwner => "（記録に申請者がありません）", "(no requester on record)";
    DraftForum => "フォーラム", "Forum";
    DraftPurpose => "利用目的", "Purpose";
    DraftSubject => "対象", "Subject";
    DraftDataset => "申請するデータセット", "Dataset applied for";
    DraftCustodian => "データ管理者", "Custodian";
    DraftAccess => "アクセス区分", "Access";
    DraftFiscalYear => "年度", "Fiscal year";
    DraftCasesHeld => "症例数", "Cases held";
    DraftModalitiesHeld => "データ種別", "Modalities held";
    DraftDataUse => "データ利用条件（同意の範囲）と申請者の対応", "Data-use conditions (consent) and what the applicant must do";
    DraftCode => "コード", "Code";
    DraftMeaning => "意味", "Meaning";
    DraftAction => "申請者の対応", "What the applicant must do";
    DraftAsked => "申請内容", "What is asked for";
    DraftCasesAsked => "必要症例数", "Cases needed";
    DraftModalitiesAsked => "必要なデータ種別", "Modalities needed";
    DraftNotStated => "記載なし", "not stated";
    DraftReasons => "マッチングの根拠", "Why this dataset fits";
    DraftConditions => "条件（musubi による判定）", "Conditions (as musubi reads them)";
    DraftCommercial => "商用利用", "Commercial use";
    DraftYes => "あり", "yes";
    DraftNo => "なし", "no";

    // A data-use code in words for the draft: what it means, and what the applicant must do.
    CodeAnyUse => "研究目的を問わず利用可", "any research use";
    DoNothingMore => "特になし", "nothing beyond the usual terms";
    CodeHealthMedical => "健康・医学・生物医学研究に限る", "health, medical or biomedical research only";
    DoStateMedical => "利用目的が医学研究であることを記載する", "state that the purpose is medical research";
    CodeDisease => "{d}（およびその下位疾患）の研究に限る", "research on {d} (and the diseases under it) only";
    DoShowDisease => "対象疾患が{d}に含まれることを示す", "show that the diseases studied fall under {d}";
    CodeAncestry => "集団の起源・祖先研究に限る", "population origins or ancestry research only";
    DoAskCommitteeDecide => "データ利用委員会の判断を仰ぐ", "ask the data-use committee to decide";
    CodeNonCommercial => "非営利目的に限る", "non-commercial use only";
    DoDeclareNonCommercial => "商用目的でないことを誓約する", "declare that the use is not commercial";
    CodeNotForProfit => "非営利組織に限る", "not-for-profit organisations only";
    DoShowNotForProfit => "申請者が非営利組織であることを示す", "show that the requester is a not-for-profit organisation";
    CodeNotForProfitNonCommercial => "非営利組織・非営利目的に限る", "not-for-profit organisations and non-commercial use only";
    DoShowNotForProfitNonCommercial => "非営利組織であり商用目的でないことを示す", "show a not-for-profit requester and declare non-commercial use";
    CodeNamedOnly => "特定の利用者・課題・機関に限る", "limited to a named user, project or institution";
    CodeCollaboration => "データ管理者との共同研究が必要", "collaboration with the custodian required";
    DoPlanCollaboration => "データ管理者を共同研究者として計画に加える", "plan the study with the custodian as a collaborator";
    CodeEthics => "倫理審査の承認が必要", "ethics approval required";
    DoAttachEthics => "倫理審査委員会の承認書を添付する", "attach the ethics committee's approval";
    CodePublish => "成果の公表が必要", "results must be published";
    DoDescribePublication => "成果の公表計画を記載する", "describe how the results will be published";
    CodeCountry => "利用は{country}国内に限る", "use limited to {country}";
    DoKeepInCountry => "データを{country}国外に持ち出さないことを誓約する", "declare that the data stays in {country}";
    CodeEmbargo => "{date}まで成果の公表不可", "no publication before {date}";
    DoPublishAfter => "{date}以降に公表する計画とする", "plan publication after {date}";
    CodeReturn => "派生データの返却が必要", "derived data must be returned";
    DoDescribeReturn => "派生データの返却方法を記載する", "describe how derived data will be returned";
    CodeUntil => "{date}まで利用可", "use allowed until {date}";
    DoFinishBy => "{date}までに利用を終える計画とする", "plan to finish using the data by {date}";
    CodeNoMethods => "手法開発への利用不可", "no methods development";
    DoDeclareNoMethods => "手法開発に用いないことを誓約する", "declare that no methods will be developed on it";
    CodeGeneticOnly => "遺伝学的研究に限る", "genetic studies only";
    DoStateGenetic => "遺伝学的研究であることを記載する", "state that the study is genetic";
    CodeNotControl => "対照群としての利用不可", "not to be used as a control set";
    DoDeclareNotControl => "対照群として用いないことを誓約する", "declare that it will not serve as a control set";
    CodeUnknownWords => "不明なコード「{raw}」", "unknown code \"{raw}\"";
    DoAskCommittee => "データ利用委員会に確認する", "ask the data-use committee";
}

/// A phrase with its `{name}` placeholders filled in (unknown placeholders stay as written).
pub fn fill(key: Key, lang: Lang, args: &[(&str, &str)]) -> String {
    let template = text(key, lang);
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                match args.iter().find(|(k, _)| *k == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A phrase without placeholders.
pub fn say(key: Key, lang: Lang) -> String {
    text(key, lang).to_string()
}

/// The placeholders of a template, in order.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        names.push(&after[..end]);
        rest = &after[end + 1..];
    }
    names
}

/// The fixed words of a template (the text between placeholders), for tests that check an
/// output holds no phrase of the other language.
pub fn fragments(template: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = template;
    loop {
        match rest.find('{') {
            Some(start) => {
                parts.push(&rest[..start]);
                match rest[start..].find('}') {
                    Some(end) => rest = &rest[start + end + 1..],
                    None => break,
                }
            }
            None => {
                parts.push(rest);
                break;
            }
        }
    }
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kanji, kana, or Japanese punctuation and full-width forms (（）、。「」).
    fn japanese(c: char) -> bool {
        is_cjk(c) || matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}' | '・')
    }

    #[test]
    fn every_phrase_has_both_languages_with_the_same_placeholders() {
        for key in ALL_KEYS {
            let (ja, en) = (text(*key, Lang::Ja), text(*key, Lang::En));
            assert!(!ja.trim().is_empty() && !en.trim().is_empty(), "{key:?}");
            let mut a = placeholders(ja);
            let mut b = placeholders(en);
            a.sort_unstable();
            a.dedup();
            b.sort_unstable();
            b.dedup();
            assert_eq!(a, b, "{key:?}: placeholders differ");
        }
    }

    #[test]
    fn japanese_phrases_are_japanese_and_english_ones_hold_no_japanese() {
        for key in ALL_KEYS {
            let ja = text(*key, Lang::Ja);
            let en = text(*key, Lang::En);
            let ja_words: String = fragments(ja).concat();
            assert!(
                ja_words.chars().any(japanese),
                "{key:?}: the Japanese phrase has no Japanese: {ja}"
            );
            assert!(
                !en.chars().any(japanese),
                "{key:?}: the English phrase holds Japanese: {en}"
            );
        }
    }

    #[test]
    fn fill_replaces_named_placeholders_only() {
        assert_eq!(
            fill(
                Key::CasesShort,
                Lang::En,
                &[("cases", "160"), ("needed", "500"), ("percent", "32")]
            ),
            "160 cases < 500 needed (32%)"
        );
        assert_eq!(
            fill(Key::SameDisease, Lang::Ja, &[("s", "膵がん")]),
            "疾患が一致: 膵がん"
        );
        assert_eq!(fill(Key::SameDisease, Lang::En, &[]), "same disease: {s}");
        assert_eq!(fragments("a {x} b {y}"), vec!["a", "b"]);
    }

    #[test]
    fn languages_parse_and_print() {
        assert_eq!("EN".parse::<Lang>(), Ok(Lang::En));
        assert_eq!("ja".parse::<Lang>(), Ok(Lang::Ja));
        assert!("fr".parse::<Lang>().is_err());
        assert_eq!(Lang::default(), Lang::Ja);
        assert_eq!(Lang::of("pancreatic 膵"), Lang::Ja);
        assert_eq!(Lang::En.to_string(), "en");
    }
}
