//! End to end: the app in a real terminal (tmux). Types a Japanese and an English query, opens
//! a need's match list, marks two entries, exports them as CSV, quits; checks the screen and
//! the exported file.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// How long to wait for the screen to show something.
const DEADLINE: Duration = Duration::from_secs(20);

/// A tmux server on its own socket, killed when dropped (also when the test fails).
struct Tmux {
    socket: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "musubi"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    fn text(&self, text: &str) {
        self.run(&["send-keys", "-t", "musubi", "-l", text]);
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "musubi"])
    }

    /// Starts the app in a detached session of `width`×`height`.
    fn start(&self, launcher: &Path, width: u16, height: u16) {
        self.run(&[
            "new-session",
            "-d",
            "-s",
            "musubi",
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
            &launcher.display().to_string(),
        ]);
    }

    /// Waits until the app has quit.
    fn wait_quit(&self) {
        let start = Instant::now();
        while self
            .run(&["list-panes", "-t", "musubi", "-F", "#{pane_dead}"])
            .trim()
            == "0"
        {
            assert!(start.elapsed() < DEADLINE, "the app did not quit");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Polls the screen until `check` accepts it; panics with the last screen at the deadline.
    fn wait_for(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if check(&screen) {
                return screen;
            }
            if start.elapsed() > DEADLINE {
                panic!("timed out waiting for {what}; screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

fn tmux_installed() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn wait_for_file(path: &Path) -> String {
    let start = Instant::now();
    loop {
        if let Ok(bytes) = std::fs::read(path) {
            if !bytes.is_empty() {
                return String::from_utf8(bytes).expect("UTF-8 CSV");
            }
        }
        assert!(
            start.elapsed() < DEADLINE,
            "no export at {}",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Writes the settings (exports into `exports`) and a script that starts the app with its
/// home, config and data directories under `home`.
fn write_launcher(home: &Path, exports: &Path) -> PathBuf {
    write_launcher_then(home, exports, None)
}

/// [`write_launcher`]; with `then`, the script runs the app as a child (instead of becoming
/// it), writes the app's pid to `home/app.pid`, and runs `then` in the same terminal once the
/// app has ended.
fn write_launcher_then(home: &Path, exports: &Path, then: Option<&str>) -> PathBuf {
    let config = home.join("config");
    let data = home.join("data");
    std::fs::create_dir_all(config.join("musubi")).expect("config dir");
    std::fs::write(
        config.join("musubi").join("config.toml"),
        format!("export_dir = {:?}\n", exports.display().to_string()),
    )
    .expect("settings file");
    let script = home.join("run.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nexport HOME='{}' XDG_CONFIG_HOME='{}' XDG_DATA_HOME='{}' LANG=C.UTF-8 TERM=xterm-256color\nunset NO_COLOR\n{}'{}'\n{}\n",
            home.display(),
            config.display(),
            data.display(),
            if then.is_some() {
                // A shell that writes its own pid, then becomes the app.
                format!(
                    "sh -c 'echo $$ > \"{}\"; exec \"$0\"' ",
                    home.join("app.pid").display()
                )
            } else {
                "exec ".to_string()
            },
            env!("CARGO_BIN_EXE_musubi"),
            then.unwrap_or_default(),
        ),
    )
    .expect("launcher");
    Command::new("chmod")
        .arg("+x")
        .arg(&script)
        .status()
        .expect("chmod");
    script
}

/// The id of the need whose details are shown ("need · N01").
fn selected_need(screen: &str) -> Option<String> {
    let at = screen.find("need · ")?;
    let id: String = screen[at + "need · ".len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    (!id.is_empty()).then_some(id)
}

#[test]
fn search_match_mark_export_quit() {
    if !tmux_installed() {
        println!("tmux is not installed: end-to-end TUI test skipped");
        return;
    }
    let home = tempfile::tempdir().expect("temporary home");
    let exports = home.path().join("exports");
    let tmux = Tmux {
        socket: format!("musubi-e2e-{}", std::process::id()),
    };
    let launcher = write_launcher(home.path(), &exports);
    tmux.start(&launcher, 100, 30);
    tmux.wait_for("the search screen", |s| {
        s.contains("Datasets 38") && s.contains("DS-C01")
    });

    // A Japanese query: the neuroblastoma dataset has only English text, found through the
    // vocabulary.
    tmux.text("小児がん");
    // Every expectation is part of the wait: a capture can catch a frame half drawn.
    tmux.wait_for("Japanese results", |s| {
        s.contains("小児がん")
            && ["DS-C06", "DS-C07", "DS-C08", "DS-C09"]
                .iter()
                .all(|id| s.contains(id))
    });

    // An English query replaces it.
    tmux.keys(&["C-u"]);
    tmux.text("pancreatic");
    tmux.wait_for("English results", |s| {
        s.contains("pancreatic") && s.contains("DS-C02")
    });

    // To the Needs tab, then down the list until the details show the pancreatic-cancer need
    // N01, then its matches.
    tmux.keys(&["Enter"]);
    for _ in 0..4 {
        tmux.keys(&["Tab"]);
    }
    tmux.wait_for("the needs tab", |s| {
        s.contains("Needs 1/") && s.contains("need · N")
    });
    let mut shown = selected_need(&tmux.screen());
    for _ in 0..20 {
        if shown.as_deref() == Some("N01") {
            break;
        }
        tmux.keys(&["j"]);
        let before = shown.clone();
        let screen = tmux.wait_for("the next need", |s| {
            selected_need(s).is_some() && selected_need(s) != before
        });
        shown = selected_need(&screen);
    }
    assert_eq!(
        shown.as_deref(),
        Some("N01"),
        "N01 is among the needs found"
    );
    tmux.keys(&["m"]);
    tmux.wait_for("the match list", |s| {
        s.contains("Matches: ")
            && s.contains("(N01)")
            && s.contains("Datasets (")
            && s.contains("Reasons")
    });

    // Mark two, export as CSV with the default name, quit.
    tmux.keys(&["Space"]);
    tmux.keys(&["Space"]);
    tmux.wait_for("two marks", |s| s.contains("2 marked"));
    tmux.keys(&["e"]);
    tmux.wait_for("the export dialog", |s| {
        s.contains("musubi-matches-N01-") && s.contains("2 row(s)")
    });
    tmux.keys(&["Enter"]);
    tmux.wait_for("the confirmation", |s| {
        s.contains("Exported 2 row(s) to") && s.contains("exports")
    });

    let file = std::fs::read_dir(&exports)
        .expect("export dir created")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "csv"))
        .expect("a CSV was written");
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    assert!(
        name.starts_with("musubi-matches-N01-") && name.ends_with(".csv"),
        "{name}"
    );
    let csv = wait_for_file(&file);
    assert!(csv.starts_with('\u{feff}'), "CSV starts with a BOM");
    let lines: Vec<&str> = csv.trim_end().lines().collect();
    assert_eq!(lines.len(), 3, "a header and two rows:\n{csv}");
    assert!(lines[0].contains("match_id"));
    assert!(lines[1].contains("膵がん"), "Japanese intact: {}", lines[1]);

    // With marks, q asks first; a second q quits.
    tmux.keys(&["q"]);
    tmux.wait_for("the question before quitting", |s| {
        s.contains("q again quits")
    });
    tmux.keys(&["q"]);
    tmux.wait_quit();
}

/// The way back and the session: a need's matches, marks, a partner's matches, Esc back to the
/// first list with its marks, the filter panel scrolled with its cursor in view, an export of
/// the marks, and a restart that brings back the query and the marks.
#[test]
fn back_stack_filters_export_and_a_restart_that_restores() {
    if !tmux_installed() {
        println!("tmux is not installed: end-to-end TUI test skipped");
        return;
    }
    let home = tempfile::tempdir().expect("temporary home");
    let exports = home.path().join("exports");
    let tmux = Tmux {
        socket: format!("musubi-e2e-back-{}", std::process::id()),
    };
    let launcher = write_launcher(home.path(), &exports);
    tmux.start(&launcher, 120, 36);
    tmux.wait_for("the search screen", |s| s.contains("DS-C01"));

    // N01 is no dataset: the empty Datasets tab points at Needs, and Enter goes there.
    tmux.text("N01");
    tmux.wait_for("the pointer to the needs", |s| {
        s.contains("Enter shows them")
    });
    tmux.keys(&["Enter"]);
    tmux.wait_for("N01 on the needs tab", |s| s.contains("need · N01"));
    tmux.keys(&["m"]);
    tmux.wait_for("N01's matches", |s| {
        s.contains("Matches: ") && s.contains("(N01)") && s.contains("Reasons")
    });
    tmux.keys(&["Space"]);
    tmux.keys(&["Space"]);
    tmux.wait_for("two marks", |s| s.contains("2 marked"));

    // The first partner (Tab: next section), its details, its own matches.
    tmux.keys(&["Tab"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("the partner's details", |s| {
        s.contains("follow the reference")
    });
    tmux.keys(&["m"]);
    tmux.wait_for("the partner's matches", |s| {
        s.contains("Matches: ") && !s.contains("(N01)") && s.contains("2 marked")
    });

    // Esc twice: the partner's details, then N01's matches with both marks.
    tmux.keys(&["Escape"]);
    tmux.wait_for("the details again", |s| s.contains("follow the reference"));
    tmux.keys(&["Escape"]);
    tmux.wait_for("N01's matches again", |s| {
        s.contains("(N01)") && s.contains("2 marked") && s.contains("●")
    });

    // Back to the list; Esc clears the query; the disease groups of the needs, scrolled well
    // past the panel's height: the value toggled is on screen.
    tmux.keys(&["Escape"]);
    tmux.wait_for("the search list", |s| s.contains("need · N01"));
    tmux.keys(&["Escape"]);
    tmux.wait_for("all needs", |s| {
        s.contains("Needs 1/33") || s.contains("/33 ")
    });
    tmux.keys(&["f"]);
    tmux.wait_for("the filter panel", |s| s.contains("◀ Area"));
    tmux.keys(&["Right"]);
    tmux.wait_for("the disease groups", |s| s.contains("◀ Disease group"));
    for _ in 0..30 {
        tmux.keys(&["j"]);
    }
    tmux.keys(&["Space"]);
    tmux.wait_for("the toggled value on screen", |s| {
        s.contains("[x]") && s.contains("1 on")
    });

    tmux.keys(&["c"]);
    tmux.wait_for("the filters cleared", |s| !s.contains("[x]"));

    // Export from the search screen: the two marks.
    // Each Escape is seen before the next key is sent: Escape and a key arriving together
    // read as Alt and that key, as in any terminal.
    tmux.keys(&["Escape"]);
    tmux.wait_for("the filter panel closed", |s| {
        !s.contains("◀ Disease group")
    });
    tmux.keys(&["e"]);
    tmux.wait_for("the export dialog", |s| s.contains("2 row(s)"));
    tmux.keys(&["Enter"]);
    tmux.wait_for("the export written", |s| s.contains("Exported 2 row(s)"));

    // A query to come back to, then quit (asked, because of the marks).
    tmux.keys(&["/"]);
    tmux.text("膵がん");
    tmux.wait_for("the query", |s| {
        s.contains("膵がん") && s.contains("Needs 1/4")
    });
    tmux.keys(&["Escape"]);
    tmux.wait_for("the list focused", |s| s.contains("┏ Needs"));
    tmux.keys(&["q"]);
    tmux.wait_for("the question", |s| s.contains("q again quits"));
    tmux.keys(&["q"]);
    tmux.wait_quit();

    // The next start restores query, tab and marks.
    tmux.start(&launcher, 120, 36);
    tmux.wait_for("the restored session", |s| {
        s.contains("膵がん") && s.contains("2 marked") && s.contains("Needs 1/4")
    });
    tmux.keys(&["C-c"]);
    tmux.wait_quit();
}

#[test]
fn gaps_view_and_saved_searches_through_real_keys() {
    if !tmux_installed() {
        println!("tmux is not installed: end-to-end TUI test skipped");
        return;
    }
    let home = tempfile::tempdir().expect("temporary home");
    let tmux = Tmux {
        socket: format!("musubi-e2e-cycle-{}", std::process::id()),
    };
    let launcher = write_launcher(home.path(), &home.path().join("exports"));
    tmux.start(&launcher, 100, 30);
    tmux.wait_for("the search screen", |s| {
        s.contains("Datasets 38") && s.contains("DS-C01")
    });

    // Ctrl-G: the gap report; Enter: the first need's matches.
    tmux.keys(&["C-g"]);
    tmux.wait_for("the Gaps view", |s| {
        s.contains("Gaps: 12 of 50") && s.contains("all blocked") && s.contains("Enter its matches")
    });
    tmux.keys(&["Enter"]);
    tmux.wait_for("the match list of N27", |s| {
        s.contains("Matches: ") && s.contains("(N27)") && s.contains("Datasets (")
    });
    // The outreach filter shows in the title.
    tmux.keys(&["s"]);
    tmux.wait_for("the outreach filter", |s| {
        s.contains("outreach: not contacted")
    });
    // Esc: back to the Gaps view; Esc again: the search.
    tmux.keys(&["Escape"]);
    tmux.wait_for("the Gaps view again", |s| s.contains("Gaps: 12 of 50"));
    tmux.keys(&["Escape"]);
    tmux.wait_for("the search screen", |s| {
        !s.contains("Gaps: 12 of 50") && s.contains("Datasets 38")
    });

    // Ctrl-S saves the query under a name; Ctrl-O lists it. The view Esc came back to may
    // have the search box focused: Esc leaves it (or, in the list, clears nothing), then `/`.
    tmux.keys(&["Escape"]);
    tmux.wait_for("the list focused", |s| s.contains("┏ Datasets"));
    tmux.keys(&["/"]);
    tmux.text("膵がん");
    tmux.wait_for("results", |s| s.contains("膵がん") && s.contains("DS-C01"));
    tmux.keys(&["C-s"]);
    tmux.wait_for("the name prompt", |s| s.contains("Save this search"));
    tmux.text("pancreas");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the confirmation", |s| s.contains("Saved \"pancreas\""));
    let file = home.path().join("config/musubi/watches.json");
    let saved = std::fs::read_to_string(&file).expect("saved searches written");
    assert!(
        saved.contains("\"pancreas\"") && saved.contains("膵がん"),
        "{saved}"
    );
    // Cleared, then the list (Ctrl-O works in the box too; an Esc right before another key
    // would read as Alt).
    tmux.keys(&["C-u"]);
    tmux.wait_for("an empty query", |s| s.contains("Datasets 1/38"));
    tmux.keys(&["C-o"]);
    tmux.wait_for("the saved searches", |s| {
        s.contains("Saved searches") && s.contains("pancreas  \"膵がん\"  0 new since")
    });
    tmux.keys(&["Enter"]);
    tmux.wait_for("the search again", |s| {
        s.contains("\"pancreas\": nothing new since") && s.contains("DS-C01")
    });
    // The keyboard is still in the search box: Esc leaves it, then q quits.
    tmux.keys(&["Escape"]);
    tmux.wait_for("the list focused", |s| s.contains("┏ Datasets"));
    tmux.keys(&["q"]);
    tmux.wait_quit();
}

#[test]
fn a_keymap_from_the_settings_drives_the_app_and_its_help() {
    if !tmux_installed() {
        println!("tmux is not installed: end-to-end TUI test skipped");
        return;
    }
    let home = tempfile::tempdir().expect("temporary home");
    let tmux = Tmux {
        socket: format!("musubi-e2e-keys-{}", std::process::id()),
    };
    let launcher = write_launcher(home.path(), &home.path().join("exports"));
    let settings = home.path().join("config/musubi/config.toml");
    let mut text = std::fs::read_to_string(&settings).expect("settings written");
    text.push_str("[keys.list]\nmove_down = \"n\"\n");
    std::fs::write(&settings, text).expect("settings with keys");
    // Wide enough for the status line to keep its hint of moving down.
    tmux.start(&launcher, 140, 30);
    tmux.wait_for("the search screen", |s| {
        s.contains("Datasets 38") && s.contains("DS-C01")
    });
    tmux.keys(&["Escape"]);
    tmux.wait_for("the list focused, its hint the new key", |s| {
        s.contains("┏ Datasets") && s.contains("n down")
    });
    tmux.keys(&["n"]);
    tmux.wait_for("the second dataset", |s| s.contains("Datasets 2/38"));
    // `j` no longer moves: after it, `?` opens the help, which lists `n`.
    tmux.keys(&["j", "?"]);
    tmux.wait_for("the help with the key in effect", |s| {
        s.contains("Keys") && s.lines().any(|l| l.contains(" n ") && l.contains("down"))
    });
    tmux.keys(&["Escape"]);
    let screen = tmux.wait_for("the help closed", |s| !s.contains("(here)"));
    assert!(screen.contains("Datasets 2/38"), "{screen}");
    tmux.keys(&["q"]);
    tmux.wait_quit();
}

#[test]
fn without_a_terminal_the_app_points_at_the_subcommands() {
    let home = tempfile::tempdir().expect("temporary home");
    let out = Command::new(env!("CARGO_BIN_EXE_musubi"))
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .stdin(std::process::Stdio::null())
        .output()
        .expect("musubi runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("musubi search"), "{stderr}");
    assert!(stderr.contains("musubi match"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_kill_puts_the_terminal_back_before_the_app_ends() {
    if !tmux_installed() {
        println!("tmux is not installed: signal test skipped");
        return;
    }
    let home = tempfile::tempdir().expect("temporary home");
    let tmux = Tmux {
        socket: format!("musubi-signal-{}", std::process::id()),
    };
    // After the app: its exit status, and whether the terminal is still raw (no canonical
    // input, no echo), then a pause so that the pane stays to be read.
    let then = "echo \"app ended: $?\"\n\
                if stty -a | grep -q -e -icanon -e '-echo '; then echo 'terminal: raw'; else echo 'terminal: restored'; fi\n\
                sleep 60";
    let launcher = write_launcher_then(home.path(), &home.path().join("exports"), Some(then));
    tmux.start(&launcher, 100, 30);
    tmux.wait_for("the search screen", |s| {
        s.contains("Datasets 38") && s.contains("DS-C01")
    });
    // Written before the app started, which has drawn its screen since.
    let pid = std::fs::read_to_string(home.path().join("app.pid")).expect("the app's pid");
    let pid = pid.trim();
    let killed = Command::new("kill")
        .args(["-TERM", pid])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let screen = tmux.wait_for("the shell after the app", |s| s.contains("terminal: "));
    assert!(screen.contains("app ended: 143"), "{screen}");
    assert!(screen.contains("terminal: restored"), "{screen}");
    // Back on the shell's own screen: the app's frame was on the alternate one.
    assert!(!screen.contains("Datasets 38"), "{screen}");
}
