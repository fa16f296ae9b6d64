//! Outreach lists that are safe to send (issue 10), end to end on the bundled sample data:
//! ad-hoc requests fail closed on consent, blocked datasets stay out of exports (and never
//! carry a custodian's contact), and one export speaks one language.

mod common;

use common::Home;
use musubi::i18n::{fragments, text, Lang, ALL_KEYS};
use musubi::text::is_cjk;
use serde_json::Value;

fn run(home: &Home, args: &[&str]) -> String {
    let output = home
        .musubi()
        .args(args)
        .assert()
        .success()
        .get_output()
        .clone();
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

fn json(home: &Home, args: &[&str]) -> Value {
    serde_json::from_str(&run(home, args)).expect("JSON output")
}

/// The phone request of the issue: pancreatic cancer tumour genomes for target discovery.
const REQUEST: [&str; 5] = [
    "match",
    "--text",
    "pancreatic cancer tumour genomes for target discovery",
    "--diseases",
    "膵がん",
];

fn with(extra: &[&'static str]) -> Vec<&'static str> {
    let mut args = REQUEST.to_vec();
    args.extend_from_slice(extra);
    args
}

fn dataset<'a>(report: &'a Value, id: &str) -> Option<&'a Value> {
    report["datasets"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["id"] == id))
}

#[test]
fn an_unstated_ad_hoc_request_is_commercial_and_never_offered_an_ncu_dataset() {
    let home = Home::new();
    let report = json(&home, &with(&["--format", "json", "--lang", "en"]));
    assert_eq!(report["subject"]["commercial"], true);
    assert_eq!(report["subject"]["requester_id"], Value::Null);
    assert!(
        dataset(&report, "DS-C02").is_none(),
        "DS-C02 (NCU) offered to a commercial request"
    );
    let first = &report["datasets"][0];
    assert_eq!(first["verdict"], "allowed", "{first}");
    // Asked for, it is listed with the reason.
    let shown = json(
        &home,
        &with(&["--format", "json", "--lang", "en", "--include-blocked"]),
    );
    let c02 = dataset(&shown, "DS-C02").expect("listed with --include-blocked");
    assert_eq!(c02["verdict"], "blocked");
    assert_eq!(c02["rule"], "NCU");
    assert!(
        c02["blocked"]
            .as_str()
            .unwrap_or_default()
            .contains("commercial use not ruled out (state --non-commercial or --requester)"),
        "{c02}"
    );
    // The table names the requester and how commercial status was decided.
    let table = run(&home, &with(&["--lang", "en"]));
    assert!(
        table.starts_with("Matches for pancreatic cancer tumour genomes for target discovery [ad-hoc request; requester: none; commercial: commercial use not ruled out"),
        "{table}"
    );
}

#[test]
fn a_stated_non_commercial_request_may_use_ncu_and_an_industry_requester_may_not() {
    let home = Home::new();
    let stated = json(
        &home,
        &with(&["--non-commercial", "--format", "json", "--lang", "en"]),
    );
    assert_eq!(stated["subject"]["commercial"], false);
    assert!(
        dataset(&stated, "DS-C02").is_some(),
        "NCU allowed when stated"
    );
    let industry = json(
        &home,
        &with(&[
            "--requester",
            "ORG-IND-03",
            "--format",
            "json",
            "--lang",
            "en",
        ]),
    );
    assert_eq!(industry["subject"]["requester_id"], "ORG-IND-03");
    assert_eq!(industry["subject"]["commercial"], true);
    assert!(industry["subject"]["commercial_basis"]
        .as_str()
        .unwrap_or_default()
        .contains("industry forum"));
    assert!(dataset(&industry, "DS-C02").is_none());
}

#[test]
fn an_unknown_requester_is_refused_naming_the_closest_ids() {
    let home = Home::new();
    let output = home
        .musubi()
        .args(with(&["--requester", "ORG-IND-3"]))
        .assert()
        .code(1)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("ORG-IND-3") && err.contains("closest: ORG-IND-03"),
        "{err}"
    );
    // --commercial and --non-commercial do not combine.
    home.musubi()
        .args(with(&["--commercial", "--non-commercial"]))
        .assert()
        .code(2);
}

#[test]
fn csv_exports_leave_blocked_rows_out_unless_asked_and_never_write_their_contacts() {
    let home = Home::new();
    let out = home.path().join("out.csv");
    let out_arg = out.to_str().unwrap();
    let said = run(
        &home,
        &[
            "match", "--need", "N01", "--format", "csv", "--output", out_arg, "--lang", "en",
        ],
    );
    assert!(said.contains("Left out 3 dataset(s)"), "{said}");
    let without = std::fs::read_to_string(&out).unwrap();
    assert!(!without.contains("DS-C02"));
    run(
        &home,
        &[
            "match",
            "--need",
            "N01",
            "--format",
            "csv",
            "--output",
            out_arg,
            "--lang",
            "en",
            "--include-blocked",
        ],
    );
    let with_blocked = std::fs::read_to_string(&out).unwrap();
    let mut reader =
        csv::Reader::from_reader(with_blocked.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let c02 = rows
        .iter()
        .find(|r| &r[col("match_id")] == "DS-C02")
        .expect("DS-C02 with --include-blocked");
    assert_eq!(&c02[col("verdict")], "blocked");
    assert_eq!(&c02[col("rule")], "NCU");
    assert_eq!(&c02[col("email")], "");
    assert_eq!(&c02[col("contact_name")], "");
    assert_eq!(
        &c02[col("contact_note")],
        "dataset not offered: custodian contact left out"
    );
    let allowed = rows
        .iter()
        .find(|r| &r[col("match_id")] == "DS-C01")
        .expect("DS-C01");
    assert_eq!(&allowed[col("verdict")], "allowed");
    assert_eq!(&allowed[col("requester_id")], "ORG-IND-01");
    assert_eq!(&allowed[col("cases")], "1250");
}

/// The fixed words of every phrase of one language that are long enough to be unmistakable.
fn phrases_of(lang: Lang) -> Vec<&'static str> {
    let mut out = Vec::new();
    for key in ALL_KEYS {
        for fragment in fragments(text(*key, lang)) {
            let long_enough = match lang {
                Lang::En => fragment.split_whitespace().count() >= 2 && fragment.len() >= 8,
                Lang::Ja => fragment.chars().filter(|c| is_cjk(*c)).count() >= 3,
            };
            if long_enough {
                out.push(fragment);
            }
        }
    }
    out
}

#[test]
fn an_english_export_holds_no_japanese_phrase_and_a_japanese_one_no_english_phrase() {
    let home = Home::new();
    for format in ["md", "csv", "json"] {
        for (lang, other) in [("en", Lang::Ja), ("ja", Lang::En)] {
            let output = run(
                &home,
                &[
                    "match",
                    "--need",
                    "N01",
                    "--include-blocked",
                    "--format",
                    format,
                    "--lang",
                    lang,
                ],
            );
            for phrase in phrases_of(other) {
                assert!(
                    !output.contains(phrase),
                    "{format} --lang {lang} holds \"{phrase}\""
                );
            }
        }
    }
    // The memo in English: every line musubi writes itself is free of Japanese; what remains
    // Japanese are record titles and names as written.
    let md = run(
        &home,
        &["match", "--need", "N02", "--format", "md", "--lang", "en"],
    );
    for heading in md
        .lines()
        .filter(|l| l.starts_with("### ") || l.starts_with("> "))
    {
        assert!(!heading.chars().any(is_cjk), "{heading}");
    }
    // The table output follows the setting too.
    let config = home.path().join("config/musubi");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "lang = \"en\"\n").unwrap();
    let table = run(&home, &["match", "--need", "N01"]);
    assert!(
        table.contains("Datasets") && !table.contains("データセット"),
        "{table}"
    );
}
