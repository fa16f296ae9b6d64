//! Hostile data files and busy teams: nothing from the data reaches the terminal as a control
//! sequence, concurrent builders never break the index, special files neither hang nor fill
//! memory, and `--output` never replaces a device. See docs/robustness.md.
//!
//! Every test runs the binary with its own `HOME`, `XDG_DATA_HOME` and `XDG_CONFIG_HOME`.

mod common;

use assert_cmd::Command;
use common::Home;
use std::fs;
use std::path::{Path, PathBuf};

impl Home {
    /// A copy of the fixture catalog, for tests that add or break files.
    fn data(&self) -> PathBuf {
        let target = self.path().join("catalog");
        fs::create_dir_all(&target).expect("create data dir");
        for entry in fs::read_dir(common::fixture_dir()).expect("fixture dir") {
            let entry = entry.expect("dir entry");
            fs::copy(entry.path(), target.join(entry.file_name())).expect("copy fixture");
        }
        target
    }

    /// `musubi --data DATA ARGS…`, run to its end.
    fn run_on(&self, data: &Path, args: &[&str]) -> Run {
        run(self.musubi().arg("--data").arg(data).args(args))
    }

    /// `musubi` as a plain process with this home, to be started and signalled by hand.
    fn process(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("musubi"));
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .env("XDG_DATA_HOME", self.path().join("data"))
            .env("XDG_CONFIG_HOME", self.path().join("config"));
        cmd
    }

    fn config_dir(&self) -> PathBuf {
        let dir = self.path().join("config").join("musubi");
        fs::create_dir_all(&dir).expect("config dir");
        dir
    }
}

/// stdout and stderr of a run, and whether it succeeded.
struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Asserts the run failed with `text` in its message.
    fn fails_saying(&self, text: &str) {
        assert!(!self.ok, "should fail:\n{}", self.stdout);
        assert!(self.stderr.contains(text), "{}", self.stderr);
    }
}

fn run(cmd: &mut Command) -> Run {
    let output = cmd.output().expect("musubi runs");
    Run {
        ok: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo").arg(path).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo {}", path.display());
}

/// Characters a terminal interprets (or that reorder text) and that the data below holds.
const FORBIDDEN: [char; 6] = ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}', '\r', '\u{8}'];

fn assert_clean(what: &str, text: &str) {
    let found: Vec<char> = text.chars().filter(|c| FORBIDDEN.contains(c)).collect();
    assert!(
        found.is_empty(),
        "{what}: {found:?} reached the terminal:\n{text}"
    );
}

/// A data directory whose records, file names and vocabulary carry escape sequences.
fn hostile_data(home: &Home) -> PathBuf {
    let data = home.data();
    let evil = r#"{"id": "DS-EVIL", "title": "Evil\u001b[2J title\u202egnp.exe\u009b31m\r", "area": "cancer", "diseases": ["膵がん", "\u001b]8;;http://x.example\u001b\\link\u0008"], "cases": 900, "modalities": ["WGS"], "data_use": ["DS:\u001b]52;c;aGk=\u0007forged"]}"#;
    let mut jsonl = fs::read_to_string(data.join("datasets.jsonl")).expect("datasets");
    jsonl.push_str(evil);
    jsonl.push('\n');
    fs::write(data.join("datasets.jsonl"), jsonl).expect("write datasets");
    // A file name with an escape sequence in it: skipped as not data, and named.
    fs::write(data.join("notes\u{1b}[31m.txt"), "x").expect("odd file name");
    fs::write(
        data.join("vocabulary.toml"),
        "[[concept]]\nid = \"evil_disease\"\nname_en = \"Evil\\u001b[2J disease\\u202e\"\nsynonyms_en = [\"evilsyndrome\"]\n",
    )
    .expect("vocabulary");
    data
}

#[test]
fn escape_sequences_from_data_never_reach_the_terminal() {
    let home = Home::new();
    let data = hostile_data(&home);
    let index = home.path().join("index");
    let with = |args: &[&str]| {
        let mut cmd = home.musubi();
        cmd.arg("--data").arg(&data).arg("--index").arg(&index);
        cmd.args(args);
        run(&mut cmd)
    };
    let cases: [&[&str]; 6] = [
        &["search", "evil"],
        &[
            "match",
            "--text",
            "膵がん WGS",
            "--diseases",
            "膵がん",
            "--include-blocked",
            "--lang",
            "en",
        ],
        &[
            "match",
            "--text",
            "膵がん WGS",
            "--diseases",
            "膵がん",
            "--include-blocked",
            "--format",
            "md",
        ],
        &["validate"],
        &["vocab", "resolve", "evilsyndrome"],
        &["vocab", "show", "evil_disease"],
    ];
    for args in cases {
        let out = with(args);
        let what = args.join(" ");
        assert_clean(&what, &out.stdout);
        assert_clean(&what, &out.stderr);
        assert!(
            out.stdout.contains("\\u{1b}"),
            "{what}: the escape is shown, visibly:\n{}{}",
            out.stdout,
            out.stderr
        );
    }
    // The blocked reason quotes the DS: term from the data, escaped.
    let matched = with(cases[1]);
    assert!(matched.stdout.contains("DS-EVIL"), "{}", matched.stdout);
    assert!(
        matched
            .stdout
            .contains("✗ for review: DS:\\u{1b}]52;c;aGk=\\u{7}forged"),
        "{}",
        matched.stdout
    );
    // validate names the odd file, escaped.
    let checked = with(&["validate"]);
    assert!(
        checked.stdout.contains("notes\\u{1b}[31m.txt"),
        "{}",
        checked.stdout
    );

    // JSON stays exact: the same title, byte for byte, once parsed.
    let json = with(&["search", "evil", "--format", "json"]);
    assert!(json.ok, "{}", json.stderr);
    let hits: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let title = hits[0]["title"].as_str().unwrap_or_default();
    assert!(
        title.contains("\u{1b}[2J") && title.contains('\u{202e}'),
        "{title:?}"
    );
}

#[test]
fn two_builders_at_once_both_succeed_every_round() {
    let home = Home::new();
    let data = home.data();
    let index = home.path().join("index");
    for round in 0..20 {
        if round % 2 == 1 {
            // Changed data: the `search` below rebuilds too, racing the `index`.
            let mut text = fs::read_to_string(data.join("datasets.jsonl")).expect("read");
            text.push('\n');
            fs::write(data.join("datasets.jsonl"), text).expect("touch data");
        }
        let spawn = |args: &[&str]| {
            let mut cmd = home.process();
            cmd.arg("--data")
                .arg(&data)
                .arg("--index")
                .arg(&index)
                .args(args)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            cmd.spawn().expect("spawn musubi")
        };
        let second: &[&str] = if round % 2 == 1 {
            &["search", "膵がん"]
        } else {
            &["index"]
        };
        let a = spawn(&["index"]);
        let b = spawn(second);
        for (name, child) in [("index", a), (second[0], b)] {
            let out = child.wait_with_output().expect("wait");
            assert!(
                out.status.success(),
                "round {round}: {name} failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let current = fs::read_to_string(index.join("CURRENT")).expect("CURRENT");
        assert!(
            index.join(current.trim()).is_dir(),
            "round {round}: CURRENT names a generation that exists"
        );
        let names: Vec<String> = fs::read_dir(&index)
            .expect("index dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        let generations = names.iter().filter(|n| n.starts_with("gen-")).count();
        assert_eq!(
            generations, 1,
            "round {round}: one generation left: {names:?}"
        );
    }
}

#[test]
fn leftovers_of_killed_builds_are_removed_whatever_their_age() {
    let home = Home::new();
    let data = home.data();
    let index = home.path().join("index");
    fs::create_dir_all(index.join("building-4242-1")).expect("leftover build");
    fs::write(index.join("building-4242-1").join("x.idx"), "half").expect("half a file");
    fs::write(index.join("CURRENT.4242-1"), "gen-1").expect("leftover pointer");
    let out = run(home
        .musubi()
        .arg("--data")
        .arg(&data)
        .arg("--index")
        .arg(&index)
        .arg("index"));
    assert!(out.ok, "{}", out.stderr);
    assert!(!index.join("building-4242-1").exists());
    assert!(!index.join("CURRENT.4242-1").exists());
}

#[test]
fn a_fifo_settings_file_is_refused_not_waited_on() {
    let home = Home::new();
    mkfifo(&home.config_dir().join("config.toml"));
    let out = run(home.musubi().arg("config"));
    out.fails_saying("config.toml: a named pipe (FIFO), not a regular file");
}

#[test]
fn a_fifo_vocabulary_is_refused_and_a_fifo_data_file_is_named_as_skipped() {
    let home = Home::new();
    let data = home.data();
    mkfifo(&data.join("vocabulary.toml"));
    let out = home.run_on(&data, &["vocab", "show", "cancer"]);
    out.fails_saying("vocabulary.toml: a named pipe (FIFO)");

    fs::remove_file(data.join("vocabulary.toml")).expect("remove fifo");
    mkfifo(&data.join("needs_extra.json"));
    let out = home.run_on(&data, &["validate"]);
    assert!(out.ok, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(
            "warning: needs_extra.json: skipped: a named pipe (FIFO), not a regular file"
        ),
        "{}",
        out.stdout
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_vocabulary_linked_to_an_endless_device_is_refused() {
    let home = Home::new();
    let data = home.data();
    std::os::unix::fs::symlink("/dev/zero", data.join("vocabulary.toml")).expect("symlink");
    let out = home.run_on(&data, &["vocab", "show", "cancer"]);
    out.fails_saying("vocabulary.toml: a character device");
}

#[test]
fn a_device_as_output_is_written_not_replaced_and_dash_is_stdout() {
    let home = Home::new();
    let data = home.data();
    let base = |cmd: &mut Command| {
        cmd.arg("--data")
            .arg(&data)
            .args(["match", "--need", "N-IND-PANC"]);
    };
    let mut cmd = home.musubi();
    base(&mut cmd);
    let out = run(cmd.args(["--format", "csv", "--output", "/dev/null"]));
    assert!(out.ok, "{}", out.stderr);
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let meta = fs::metadata("/dev/null").expect("/dev/null");
        assert!(
            meta.file_type().is_char_device(),
            "/dev/null is still a device"
        );
    }

    let mut cmd = home.musubi();
    base(&mut cmd);
    let out = run(cmd.args(["--format", "json", "--output", "-"]));
    assert!(out.ok, "{}", out.stderr);
    let parsed: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON on stdout");
    assert!(parsed.get("datasets").is_some(), "{}", out.stdout);
    assert!(!home.path().join("-").exists() && !Path::new("-").exists());

    let mut cmd = home.musubi();
    base(&mut cmd);
    let out = run(cmd.args(["--format", "xlsx", "--output", "-"]));
    out.fails_saying("--format xlsx writes a workbook");
}

#[cfg(unix)]
#[test]
fn an_export_over_a_shared_file_keeps_its_mode_and_says_contacts_are_readable() {
    use std::os::unix::fs::PermissionsExt;
    let home = Home::new();
    let data = home.data();
    let target = home.path().join("out.csv");
    fs::write(&target, "old").expect("old export");
    fs::set_permissions(&target, fs::Permissions::from_mode(0o644)).expect("chmod");
    let dead_temp = home.path().join(".musubi-99999999-x.tmp");
    fs::write(&dead_temp, "contacts of a killed export").expect("leftover");
    let out = run(home
        .musubi()
        .arg("--data")
        .arg(&data)
        .args(["match", "--need", "N-IND-PANC", "--output"])
        .arg(&target));
    assert!(out.ok, "{}", out.stderr);
    let mode = fs::metadata(&target).expect("export").permissions().mode() & 0o777;
    assert_eq!(mode, 0o644);
    assert!(
        out.stderr.contains("readable by other users"),
        "{}",
        out.stderr
    );
    assert!(
        !dead_temp.exists(),
        "a killed export's temporary file is removed"
    );
}

#[test]
fn an_index_path_that_is_a_file_says_so_once() {
    let home = Home::new();
    let file = home.path().join("not-a-dir");
    fs::write(&file, "x").expect("file");
    let out = run(home
        .musubi()
        .arg("--index")
        .arg(&file)
        .args(["search", "がん"]));
    out.fails_saying("this is a file, not a directory");
    assert!(!out.stderr.contains("File exists"), "{}", out.stderr);
}

#[test]
fn errors_do_not_repeat_their_cause() {
    let home = Home::new();
    let data = home.data();
    let out = run(home
        .musubi()
        .arg("--data")
        .arg(&data)
        .arg("--index")
        .arg("/proc/version/x")
        .arg("index"));
    assert!(!out.ok);
    let line = out.stderr.lines().next().unwrap_or_default().to_string();
    let cause = line.rsplit(": ").next().unwrap_or_default();
    assert!(!cause.is_empty());
    assert_eq!(line.matches(cause).count(), 1, "{line}");
}

#[test]
fn search_answers_from_the_last_good_index_when_the_data_breaks() {
    let home = Home::new();
    let data = home.data();
    let index = home.path().join("index");
    let search = |home: &Home| {
        run(home
            .musubi()
            .arg("--data")
            .arg(&data)
            .arg("--index")
            .arg(&index)
            .args(["search", "膵がん", "--format", "json"]))
    };
    assert!(search(&home).ok);
    fs::write(
        data.join("datasets_broken.json"),
        "[{\"id\": \"DS-X\", \"title\": \"x\", \"area\": \"cancer\", \"cases\": \"many\"}]",
    )
    .expect("broken file");
    let out = search(&home);
    assert!(out.ok, "{}", out.stderr);
    assert!(out.stdout.contains("DS-PANC-1"), "{}", out.stdout);
    let warning: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(warning.len(), 1, "one line: {warning:?}");
    assert!(
        warning[0].contains("datasets_broken.json:1: cases"),
        "{}",
        warning[0]
    );
    assert!(warning[0].contains("musubi validate"), "{}", warning[0]);

    // Matching does not answer from data that is not there.
    let out = run(home
        .musubi()
        .arg("--data")
        .arg(&data)
        .arg("--index")
        .arg(&index)
        .args(["match", "--need", "N-IND-PANC"]));
    assert!(!out.ok);
}

#[test]
fn an_invalid_colour_and_an_empty_synonym_are_located_errors() {
    let home = Home::new();
    fs::write(
        home.config_dir().join("config.toml"),
        "no_color = false\n[colors]\naccent = \"#zzzzzz\"\n",
    )
    .expect("settings");
    let out = run(home.musubi().arg("config"));
    out.fails_saying("config.toml:3: colors.accent: \"#zzzzzz\" is not a colour");

    let home = Home::new();
    let data = home.data();
    fs::write(
        data.join("vocabulary.toml"),
        "[[concept]]\nid = \"cancer\"\nsynonyms_en = [\"tumour disease\", \"\"]\n",
    )
    .expect("vocabulary");
    let out = home.run_on(&data, &["vocab", "show", "cancer"]);
    out.fails_saying("vocabulary.toml:3: synonyms_en: an empty synonym");
}

#[test]
fn a_record_nested_too_deep_is_refused_with_its_place() {
    let home = Home::new();
    let data = home.data();
    let deep = format!(
        "{{\"id\": \"DS-DEEP\", \"title\": \"deep\", \"area\": \"cancer\", \"cases\": 1, \"data_use\": [\"GRU\"], \"notes\": {}{}}}\n",
        "[".repeat(120),
        "]".repeat(120)
    );
    let mut jsonl = fs::read_to_string(data.join("datasets.jsonl")).expect("datasets");
    let line = jsonl.lines().count() + 1;
    jsonl.push_str(&deep);
    fs::write(data.join("datasets.jsonl"), jsonl).expect("write");
    let out = home.run_on(&data, &["validate"]);
    assert!(!out.ok);
    assert!(
        out.stdout.contains(&format!(
            "datasets.jsonl:{line}: notes: nested 120 levels deep"
        )),
        "{}",
        out.stdout
    );
}

/// The temporary files of atomic writes in `dir` (`.musubi-<pid>-<random>.tmp`).
fn temporaries(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".musubi-") && n.ends_with(".tmp"))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(unix)]
#[test]
fn a_signal_stops_an_export_leaving_the_old_file_unless_it_was_ignored_at_start() {
    use std::os::unix::process::ExitStatusExt;
    use std::time::{Duration, Instant};
    let home = Home::new();
    // 5,000 needs: matching them all takes seconds, so the export can be stopped halfway.
    let data = home.path().join("many");
    fs::create_dir_all(&data).expect("data dir");
    let catalog = musubi::synthetic::catalog(20_000, 42);
    musubi::synthetic::write_files(&data, &musubi::synthetic::jsonl_files(&catalog))
        .expect("data files");
    let built = run(home.musubi().arg("--data").arg(&data).arg("index"));
    assert!(built.ok, "{}", built.stderr);
    let out = home.path().join("out");
    fs::create_dir_all(&out).expect("out dir");
    let export = out.join("all.csv");
    fs::write(&export, "the last export\n").expect("old export");

    // The export of every need's matches, started with SIGHUP ignored or not (as `nohup`
    // starts it), and sent `signal` once its temporary file is there.
    let export_then = |ignore_hangup: bool, signal: libc::c_int| {
        let mut command = home.process();
        command
            .arg("--data")
            .arg(&data)
            .args(["match", "--all-needs", "--format", "csv", "-o"])
            .arg(&export)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        {
            use std::os::unix::process::CommandExt;
            // SAFETY: between fork and exec, only signals' dispositions are set: SIGINT as a
            // terminal's foreground job has it (the test may run where it is ignored), SIGHUP
            // ignored or not.
            unsafe {
                command.pre_exec(move || {
                    libc::signal(libc::SIGINT, libc::SIG_DFL);
                    let hangup = if ignore_hangup {
                        libc::SIG_IGN
                    } else {
                        libc::SIG_DFL
                    };
                    libc::signal(libc::SIGHUP, hangup);
                    Ok(())
                });
            }
        }
        let mut child = command.spawn().expect("musubi starts");
        let deadline = Instant::now() + Duration::from_secs(60);
        while temporaries(&out).is_empty() {
            if let Some(status) = child.try_wait().expect("status") {
                panic!("the export ended ({status}) before it could be stopped");
            }
            assert!(Instant::now() < deadline, "no temporary file appeared");
            std::thread::sleep(Duration::from_millis(5));
        }
        // SAFETY: a signal to the child this test started and has not yet waited for.
        let sent = unsafe { libc::kill(child.id() as libc::pid_t, signal) };
        assert_eq!(sent, 0);
        child.wait().expect("musubi ends")
    };

    let status = export_then(false, libc::SIGINT);
    assert_eq!(status.signal(), Some(libc::SIGINT), "{status}");
    assert_eq!(temporaries(&out), Vec::<String>::new());
    assert_eq!(
        fs::read_to_string(&export).expect("old export"),
        "the last export\n"
    );

    // Started ignoring SIGHUP, it goes on ignoring it, and writes the whole export.
    let status = export_then(true, libc::SIGHUP);
    assert!(status.success(), "{status}");
    assert_eq!(temporaries(&out), Vec::<String>::new());
    let written = fs::read_to_string(&export).expect("new export");
    assert!(
        written.contains("N0000000"),
        "{}",
        &written[..200.min(written.len())]
    );
}
