//! Exports read back: CSV with the csv crate, XLSX with calamine, JSON with serde_json,
//! Markdown as text; atomic writes and owner-only files.

use musubi::consent::{Date, Verdict};
use musubi::export::{self, ExportFormat, ExportOptions, ExportSummary, COLUMNS, PRIVACY_NOTE};
use musubi::i18n::Lang;
use musubi::matching::{MatchItem, MatchReport, MatchSubject, SubjectKind};
use musubi::model::{Area, Catalog, Dataset, Forum, Kind, Organization, Proposal, Researcher};
use std::fs;

const DAY: Date = Date {
    year: 2025,
    month: 6,
    day: 1,
};

/// English, dated [`DAY`], blocked datasets included (with their verdict, without contacts).
fn options(format: ExportFormat) -> ExportOptions {
    ExportOptions {
        include_blocked: true,
        date: DAY,
        ..ExportOptions::new(format, Lang::En)
    }
}

fn render_reports_dated(
    reports: &[MatchReport],
    catalog: &Catalog,
    format: ExportFormat,
    _day: Date,
) -> Result<Vec<u8>, export::ExportError> {
    export::render(reports, catalog, &options(format))
}

fn export_reports_dated(
    reports: &[MatchReport],
    catalog: &Catalog,
    format: ExportFormat,
    path: &std::path::Path,
    _day: Date,
) -> Result<ExportSummary, export::ExportError> {
    export::export(reports, catalog, &options(format), path)
}

/// The custodian of the blocked DS-9: agreed to be contacted, so only the blocked-row rule
/// keeps its e-mail out of an export.
const BLOCKED_CUSTODIAN_EMAIL: &str = "custodian@example.org";

fn org(id: &str, name: &str, contact: &str, email: &str, ok: bool) -> Organization {
    Organization {
        id: id.into(),
        name: name.into(),
        name_en: None,
        forum: Forum::Industry,
        sector: None,
        interests: vec![],
        offers: vec![],
        summary: None,
        contact_name: Some(contact.into()),
        email: Some(email.into()),
        contact_ok: ok,
        extra: Default::default(),
    }
}

/// Who may be contacted: R-OK and ORG-OK yes; R-NO and ORG-NO (custodian of DS-1) no.
fn catalog() -> Catalog {
    Catalog {
        researchers: vec![
            Researcher {
                id: "R-OK".into(),
                name: "山田 花子".into(),
                name_en: Some("Hanako Yamada".into()),
                affiliation: Some("湾岸医科大学".into()),
                email: Some("yamada@example.jp".into()),
                contact_ok: true,
                ..Researcher::default()
            },
            Researcher {
                id: "R-NO".into(),
                name: "佐藤 一郎".into(),
                affiliation: Some("北都大学".into()),
                email: Some("sato@example.jp".into()),
                contact_ok: false,
                ..Researcher::default()
            },
        ],
        organizations: vec![
            org(
                "ORG-OK",
                "創薬テック株式会社",
                "鈴木 次郎",
                "suzuki@example.co.jp",
                true,
            ),
            org(
                "ORG-NO",
                "国立ゲノム研究所",
                "高橋 三郎",
                "takahashi@example.go.jp",
                false,
            ),
            org(
                "ORG-CUST",
                "膵臓研究財団",
                "伊藤 四郎",
                BLOCKED_CUSTODIAN_EMAIL,
                true,
            ),
        ],
        datasets: vec![
            Dataset {
                id: "DS-9".into(),
                title: "膵がん RNA".into(),
                area: Area::Cancer,
                diseases: vec!["膵がん".into()],
                cases: 120,
                modalities: vec!["RNA-seq".into()],
                clinical: vec![],
                custodian: Some("ORG-CUST".into()),
                fiscal_year: None,
                access: None,
                data_use: vec!["HMB".into(), "NCU".into()],
                summary: None,
                extra: Default::default(),
            },
            Dataset {
                id: "DS-1".into(),
                title: "小児がん 全ゲノム".into(),
                area: Area::Cancer,
                diseases: vec!["小児がん".into()],
                cases: 300,
                modalities: vec!["WGS".into()],
                clinical: vec![],
                custodian: Some("ORG-NO".into()),
                fiscal_year: None,
                access: None,
                data_use: vec!["HMB".into()],
                summary: None,
                extra: Default::default(),
            },
        ],
        proposals: vec![Proposal {
            id: "PRP-1".into(),
            title: "神経芽腫の早期診断".into(),
            proposer: Some("R-OK".into()),
            ..Proposal::default()
        }],
        needs: vec![],
    }
}

fn item(id: &str, kind: Kind, title: &str, score: f64) -> MatchItem {
    MatchItem::new(
        id.into(),
        kind,
        title.into(),
        score,
        vec![format!("disease: 小児がん ({id})"), "modality: WGS".into()],
    )
}

fn reports() -> Vec<MatchReport> {
    let mut ds = item("DS-1", Kind::Dataset, "小児がん 全ゲノム", 0.91);
    ds.conditions = vec!["requires ethics approval (IRB)".into()];
    ds.condition_codes = vec!["IRB".into()];
    ds.verdict = Some(Verdict::Allowed);
    ds.rule = Some("HMB".into());
    ds.data_use = vec!["HMB".into()];
    let mut blocked = item("DS-9", Kind::Dataset, "膵がん RNA", 0.40);
    blocked.blocked = Some("NCU: non-commercial use only".into());
    blocked.verdict = Some(Verdict::Blocked);
    blocked.rule = Some("NCU".into());
    blocked.data_use = vec!["HMB".into(), "NCU".into()];
    vec![MatchReport {
        subject: MatchSubject {
            requester_id: Some("ORG-OK".into()),
            requester_name: Some("創薬テック株式会社".into()),
            commercial_basis: "owner ORG-OK is in the industry forum".into(),
            lang: Lang::En,
            ..MatchSubject::new(
                Some("N-1".into()),
                SubjectKind::Need,
                "小児がんのRNAデータ".into(),
                true,
            )
        },
        datasets: vec![ds, blocked],
        partners: vec![
            item("R-OK", Kind::Researcher, "山田 花子", 0.8),
            item("R-NO", Kind::Researcher, "佐藤 一郎", 0.7),
            item("ORG-OK", Kind::Organization, "創薬テック株式会社", 0.6),
        ],
        proposals: vec![item("PRP-1", Kind::Proposal, "神経芽腫の早期診断", 0.5)],
    }]
}

type Row = std::collections::HashMap<String, String>;

fn csv_rows(bytes: &[u8]) -> (Vec<String>, Vec<Row>) {
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "CSV must start with a BOM"
    );
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect();
    (header, rows)
}

fn by_id<'a>(rows: &'a [Row], id: &str) -> &'a Row {
    rows.iter().find(|r| r["match_id"] == id).unwrap()
}

#[test]
fn csv_round_trips_with_bom_japanese_and_withheld_contacts() {
    let bytes = render_reports_dated(&reports(), &catalog(), ExportFormat::Csv, DAY).unwrap();
    let (header, rows) = csv_rows(&bytes);
    assert_eq!(header, COLUMNS);
    assert_eq!(
        &header[..10],
        [
            "subject",
            "match_id",
            "kind",
            "name",
            "organisation",
            "contact_name",
            "email",
            "score",
            "reasons",
            "conditions"
        ]
    );
    assert_eq!(rows.len(), 6);

    let ok = by_id(&rows, "R-OK");
    assert_eq!(ok["subject"], "小児がんのRNAデータ (N-1)");
    assert_eq!(ok["name"], "山田 花子");
    assert_eq!(ok["name_en"], "Hanako Yamada");
    assert_eq!(ok["requester_id"], "ORG-OK");
    assert_eq!(ok["requester_name"], "創薬テック株式会社");
    assert_eq!(ok["organisation"], "湾岸医科大学");
    assert_eq!(ok["email"], "yamada@example.jp");
    assert_eq!(ok["kind"], "researcher");
    assert_eq!(ok["score"], "0.800");
    assert_eq!(ok["reasons"], "disease: 小児がん (R-OK); modality: WGS");
    assert_eq!(ok["contact_note"], "agreed to be contacted");

    let no = by_id(&rows, "R-NO");
    assert_eq!(no["name"], "佐藤 一郎");
    assert_eq!(no["email"], "");
    assert_eq!(no["contact_name"], "");
    assert_eq!(
        no["contact_note"],
        "no consent to contact: details withheld"
    );

    // A dataset's contact is its custodian: here an organisation without consent.
    let ds = by_id(&rows, "DS-1");
    assert_eq!(ds["organisation"], "国立ゲノム研究所");
    assert_eq!(ds["email"], "");
    assert_eq!(
        ds["contact_note"],
        "no consent to contact: details withheld"
    );
    assert_eq!(ds["conditions"], "requires ethics approval (IRB)");
    assert_eq!(ds["condition_irb"], "requires ethics approval (IRB)");
    assert_eq!(ds["condition_col"], "");
    assert_eq!(ds["blocked"], "");
    assert_eq!(ds["verdict"], "allowed");
    assert_eq!(ds["rule"], "HMB");
    assert_eq!(ds["data_use"], "HMB");
    assert_eq!(ds["cases"], "300");
    assert_eq!(ds["modalities"], "WGS");
    assert_eq!(ds["related_field_only"], "false");

    let org = by_id(&rows, "ORG-OK");
    assert_eq!(org["contact_name"], "鈴木 次郎");
    assert_eq!(org["email"], "suzuki@example.co.jp");

    // A proposal's contact is its proposer.
    let prp = by_id(&rows, "PRP-1");
    assert_eq!(prp["email"], "yamada@example.jp");
    assert_eq!(prp["organisation"], "湾岸医科大学");

    // Blocked, asked for: verdict and rule, and no custodian contact at all.
    let gone = by_id(&rows, "DS-9");
    assert_eq!(
        gone["contact_note"],
        "dataset not offered: custodian contact left out"
    );
    assert_eq!(gone["blocked"], "NCU: non-commercial use only");
    assert_eq!(gone["verdict"], "blocked");
    assert_eq!(gone["rule"], "NCU");
    assert_eq!(gone["contact_name"], "");
    assert_eq!(gone["email"], "");

    let text = String::from_utf8(bytes).unwrap();
    assert!(!text.contains("sato@example.jp"));
    assert!(!text.contains("takahashi@example.go.jp"));
    assert!(!text.contains("高橋 三郎"));
    assert!(!text.contains(BLOCKED_CUSTODIAN_EMAIL));
    assert!(!text.contains("伊藤 四郎"));
}

#[test]
fn blocked_datasets_are_left_out_unless_asked_and_never_carry_a_contact() {
    for format in [
        ExportFormat::Csv,
        ExportFormat::Markdown,
        ExportFormat::Json,
        ExportFormat::Xlsx,
    ] {
        for include_blocked in [false, true] {
            let opts = ExportOptions {
                include_blocked,
                ..options(format)
            };
            let bytes = export::render(&reports(), &catalog(), &opts).unwrap();
            let text = if format == ExportFormat::Xlsx {
                xlsx_text(&bytes)
            } else {
                String::from_utf8(bytes).unwrap()
            };
            assert!(
                !text.contains(BLOCKED_CUSTODIAN_EMAIL) && !text.contains("伊藤 四郎"),
                "{format:?} include_blocked={include_blocked}: a blocked row's contact was written"
            );
            assert_eq!(
                text.contains("DS-9"),
                include_blocked,
                "{format:?} include_blocked={include_blocked}"
            );
            if !include_blocked {
                assert!(
                    text.contains("1 dataset(s) blocked or for review")
                        || format == ExportFormat::Csv,
                    "{format:?} says what was left out"
                );
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.csv");
    let summary = export::export(
        &reports(),
        &catalog(),
        &ExportOptions {
            include_blocked: false,
            ..options(ExportFormat::Csv)
        },
        &path,
    )
    .unwrap();
    assert_eq!((summary.rows, summary.left_out), (5, 1));
}

/// Every string of every sheet of a workbook, and its sheet XML (to check frozen panes and
/// filters).
fn xlsx_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut all = String::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        let mut text = String::new();
        if file.read_to_string(&mut text).is_ok() {
            all.push_str(&text);
        }
    }
    all
}

#[test]
fn xlsx_opens_with_calamine() {
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    let bytes = render_reports_dated(&reports(), &catalog(), ExportFormat::Xlsx, DAY).unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), vec!["Matches", "Privacy", "About"]);
    let range = book.worksheet_range("Matches").unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(header, COLUMNS);
    assert_eq!(rows.len(), 7);
    let col = |name: &str| COLUMNS.iter().position(|c| *c == name).unwrap();
    let ds = rows
        .iter()
        .find(|r| r[col("match_id")] == Data::String("DS-1".into()))
        .unwrap();
    assert_eq!(ds[col("cases")], Data::Float(300.0));
    assert_eq!(ds[col("verdict")], Data::String("allowed".into()));
    let ok = rows
        .iter()
        .find(|r| r[col("match_id")] == Data::String("R-OK".into()))
        .unwrap();
    assert_eq!(ok[col("name")], Data::String("山田 花子".into()));
    assert_eq!(ok[col("name_en")], Data::String("Hanako Yamada".into()));
    assert_eq!(ok[col("email")], Data::String("yamada@example.jp".into()));
    assert_eq!(ok[col("score")], Data::Float(0.8));
    let no = rows
        .iter()
        .find(|r| r[col("match_id")] == Data::String("R-NO".into()))
        .unwrap();
    assert!(
        matches!(&no[col("email")], Data::Empty) || no[col("email")] == Data::String(String::new())
    );
    assert_eq!(
        no[col("contact_note")],
        Data::String("no consent to contact: details withheld".into())
    );
    let sheet_cells = |book: &mut Xlsx<_>, name: &str| -> Vec<String> {
        book.worksheet_range(name)
            .unwrap()
            .rows()
            .flat_map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>())
            .collect()
    };
    let privacy = sheet_cells(&mut book, "Privacy");
    assert_eq!(privacy.first(), Some(&PRIVACY_NOTE.to_string()));
    let about = sheet_cells(&mut book, "About");
    assert!(about.contains(&"2025-06-01".to_string()));
    assert!(about.iter().any(|c| c.starts_with("小児がんのRNAデータ (N-1) [need; requester: 創薬テック株式会社 (ORG-OK); commercial: owner ORG-OK")));
}

#[test]
fn xlsx_header_stays_frozen_with_a_filter_and_widths_that_fit_japanese() {
    let bytes = render_reports_dated(&reports(), &catalog(), ExportFormat::Xlsx, DAY).unwrap();
    let xml = xlsx_text(&bytes);
    assert!(
        xml.contains(
            r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
        ),
        "frozen header row"
    );
    // The last column's letters: A..Z, then AA, AB…
    let last = COLUMNS.len() - 1;
    let letters = if last < 26 {
        ((b'A' + last as u8) as char).to_string()
    } else {
        format!(
            "{}{}",
            (b'A' + (last / 26 - 1) as u8) as char,
            (b'A' + (last % 26) as u8) as char
        )
    };
    assert!(
        xml.contains(&format!(r#"<autoFilter ref="A1:{letters}7"/>"#)),
        "autofilter over every column"
    );
    // The subject column holds 「小児がんのRNAデータ (N-1)」: 25 display columns (its 17
    // characters would give a column too narrow), plus a margin of 2.
    assert!(
        xml.contains(r#"<col min="1" max="1" width="27.7109375" customWidth="1"/>"#),
        "subject column width"
    );
}

#[test]
fn json_parses_back_with_privacy_and_contacts() {
    let bytes = render_reports_dated(&reports(), &catalog(), ExportFormat::Json, DAY).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v["privacy"], PRIVACY_NOTE);
    assert_eq!(v["generated"], "2025-06-01");
    assert_eq!(v["lang"], "en");
    assert_eq!(v["left_out"], 0);
    // One report: its fields sit at the top, beside the privacy note.
    let report = &v;
    assert_eq!(report["subject"]["kind"], "need");
    assert_eq!(report["datasets"][0]["id"], "DS-1");
    assert!(report["datasets"][0].get("blocked").is_none());
    assert_eq!(
        report["datasets"][1]["blocked"],
        "NCU: non-commercial use only"
    );
    let partners = report["partners"].as_array().unwrap();
    assert_eq!(partners[0]["contact"]["email"], "yamada@example.jp");
    assert_eq!(partners[1]["contact"]["email"], serde_json::Value::Null);
    assert_eq!(
        partners[1]["contact"]["note"],
        "no consent to contact: details withheld"
    );
    assert_eq!(
        report["proposals"][0]["contact"]["email"],
        "yamada@example.jp"
    );
    // Without the added `contact`, each report is still a MatchReport.
    let mut plain = report.clone();
    let top = plain.as_object_mut().unwrap();
    for key in ["privacy", "generated", "lang", "left_out"] {
        top.remove(key);
    }
    for section in ["datasets", "partners", "proposals"] {
        for it in plain[section].as_array_mut().unwrap() {
            it.as_object_mut().unwrap().remove("contact");
        }
    }
    let back: MatchReport = serde_json::from_value(plain).unwrap();
    assert_eq!(back, reports()[0]);
}

#[test]
fn several_reports_in_json_are_listed_under_reports() {
    let two = [reports(), reports()].concat();
    let bytes = render_reports_dated(&two, &catalog(), ExportFormat::Json, DAY).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v["privacy"], PRIVACY_NOTE);
    assert_eq!(v["reports"].as_array().unwrap().len(), 2);
    assert_eq!(v["reports"][1]["datasets"][0]["id"], "DS-1");
}

#[test]
fn markdown_memo_has_heading_privacy_tables_and_contacts() {
    let bytes = render_reports_dated(&reports(), &catalog(), ExportFormat::Markdown, DAY).unwrap();
    let md = String::from_utf8(bytes).unwrap();
    assert!(
        md.starts_with("# Matches: 小児がんのRNAデータ (N-1)\n"),
        "{md}"
    );
    assert!(md.contains("Date: 2025-06-01"));
    assert!(md.contains(&format!("> Privacy: {PRIVACY_NOTE}")));
    assert!(md
        .contains("### Datasets\n\n| Rank | ID | Name | Score | Reasons | Conditions | Verdict |"));
    assert!(md.contains("| blocked: NCU: non-commercial use only |"));
    assert!(md.contains("| 1 | DS-1 | 小児がん 全ゲノム | 0.91 | disease: 小児がん (DS-1); modality: WGS | requires ethics approval (IRB) | allowed |"));
    assert!(md.contains("### Partners\n\n| Rank | ID | Name | Score | Reasons | Conditions |\n"));
    assert!(md.contains("| 2 | R-NO | 佐藤 一郎 | 0.70 |"));
    // English asked: the English name where the record has one.
    assert!(
        md.contains(
            "- **Hanako Yamada** (R-OK, researcher) — 湾岸医科大学: 山田 花子 <yamada@example.jp>"
        ),
        "{md}"
    );
    assert!(md.contains(
        "- **佐藤 一郎** (R-NO, researcher) — 北都大学: no consent to contact: details withheld"
    ));
    assert!(!md.contains("sato@example.jp"));
}

#[test]
fn export_writes_atomically_and_owner_only_with_contacts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("matches.csv");
    let summary =
        export_reports_dated(&reports(), &catalog(), ExportFormat::Csv, &path, DAY).unwrap();
    assert_eq!(summary.rows, 6);
    assert_eq!(summary.withheld_contacts, 2);
    assert_eq!(summary.left_out, 0);
    assert_eq!(summary.path, path);
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("matches.csv")]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // The file holds exactly what render gives.
    let rendered = render_reports_dated(&reports(), &catalog(), ExportFormat::Csv, DAY).unwrap();
    assert_eq!(fs::read(&path).unwrap(), rendered);
}

#[test]
fn export_without_consented_contacts_is_not_private() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("memo.md");
    let mut only_withheld = reports();
    only_withheld[0].partners.retain(|i| i.id == "R-NO");
    only_withheld[0].proposals.clear();
    let summary = export_reports_dated(
        &only_withheld,
        &catalog(),
        ExportFormat::Markdown,
        &path,
        DAY,
    )
    .unwrap();
    assert_eq!(summary.rows, 3);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
    }
}

#[test]
fn export_into_a_missing_directory_fails_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nope").join("matches.xlsx");
    let err = export_reports_dated(&reports(), &catalog(), ExportFormat::Xlsx, &path, DAY);
    assert!(err.is_err());
    assert!(err.unwrap_err().to_string().contains("could not write"));
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn several_reports_each_get_their_own_section_and_rows() {
    let mut two = reports();
    let mut second = two[0].clone();
    second.subject.id = None;
    second.subject.kind = SubjectKind::AdHoc;
    second.subject.title = "膵がん 創薬".into();
    second.subject.commercial = false;
    second.subject.requester_id = None;
    second.subject.requester_name = None;
    second.subject.commercial_basis = "marked non-commercial by the coordinator".into();
    second.datasets.truncate(1);
    second.partners.clear();
    second.proposals.clear();
    two.push(second);
    let md = String::from_utf8(
        render_reports_dated(&two, &catalog(), ExportFormat::Markdown, DAY).unwrap(),
    )
    .unwrap();
    assert!(md.starts_with("# Matches: 小児がんのRNAデータ (N-1) / 膵がん 創薬\n"));
    assert!(md.contains("## 膵がん 創薬 [ad-hoc request; requester: none; non-commercial: marked non-commercial by the coordinator]\n\n### Datasets\n\n| Rank | ID | Name | Score | Reasons | Conditions |\n|---:|---|---|---:|---|---|\n| 1 | DS-1 |"), "{md}");
    assert_eq!(md.matches("## Contacts").count(), 1);
    assert_eq!(md.matches("### Partners\n\nNone.").count(), 1);
    let (_, rows) =
        csv_rows(&render_reports_dated(&two, &catalog(), ExportFormat::Csv, DAY).unwrap());
    assert_eq!(rows.len(), 7);
    assert_eq!(rows[6]["subject"], "膵がん 創薬");
}
