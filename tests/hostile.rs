//! Hostile input through the binary: control characters in presets and log notes never
//! reach the terminal raw, CSV cells cannot become formulas, special files and huge
//! files are refused at once, and bad or negative flag values get one sentence.

mod common;
use common::reptempo;

use std::path::Path;
use std::process::{Command as Process, Output, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;

const ESC: u8 = 0x1b;

/// Runs the binary with `args`, killing it after `limit`; the output and how long it
/// took. A run that had to be killed fails the test instead of hanging it.
fn run_within(args: &[&str], limit: Duration) -> (Output, Duration) {
    let started = Instant::now();
    let mut child = Process::new(assert_cmd::cargo::cargo_bin("reptempo"))
        .args(args)
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .env("REPTEMPO_LOG", "/nonexistent/sets.jsonl")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Ten times the limit before giving up, so that a slow machine fails the timing
    // assertion with a figure rather than a kill.
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit * 10 {
            child.kill().unwrap();
            panic!("reptempo {args:?} still ran after {:?}", limit * 10);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let elapsed = started.elapsed();
    (child.wait_with_output().unwrap(), elapsed)
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn check_points_at_the_escape_in_a_name() {
    let out = reptempo()
        .args(["check", "tests/fixtures/evil.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr_of(&out),
        "tests/fixtures/evil.toml:2:9: name contains a control character (ESC, U+001B)\n"
    );
    assert!(!out.stderr.contains(&ESC) && !out.stdout.contains(&ESC));
}

#[test]
fn no_escape_byte_reaches_stdout_from_presets_or_show() {
    let config = tempfile::tempdir().unwrap();
    let dir = config.path().join("reptempo/presets");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy("tests/fixtures/evil.toml", dir.join("evil.toml")).unwrap();
    // A good preset in a file whose name says "red text" to a terminal.
    let own = std::fs::read_to_string("tests/fixtures/small.toml").unwrap();
    std::fs::write(dir.join("own\x1b[31m.toml"), own).unwrap();
    let presets = Command::cargo_bin("reptempo")
        .unwrap()
        .env("XDG_CONFIG_HOME", config.path())
        .arg("presets")
        .output()
        .unwrap();
    assert!(presets.status.success());
    let stdout = String::from_utf8(presets.stdout.clone()).unwrap();
    assert!(!presets.stdout.contains(&ESC), "{stdout:?}");
    assert!(!presets.stderr.contains(&ESC), "{:?}", stderr_of(&presets));
    assert!(stdout.contains("own^[[31m.toml]"), "{stdout}");
    assert!(!stdout.contains("evil"), "{stdout}");
    assert!(
        stderr_of(&presets).contains("evil.toml:2:9: name contains a control character"),
        "{}",
        stderr_of(&presets)
    );
    for args in [["show", "tests/fixtures/evil.toml"], ["show", "evil"]] {
        let shown = Command::cargo_bin("reptempo")
            .unwrap()
            .env("XDG_CONFIG_HOME", config.path())
            .args(args)
            .output()
            .unwrap();
        assert_eq!(shown.status.code(), Some(2), "{args:?}");
        assert!(!shown.stdout.contains(&ESC) && !shown.stderr.contains(&ESC));
    }
}

/// A set record as a person might have edited it into the log.
fn set_line(exercise: &str, note: &str) -> String {
    serde_json::json!({
        "v": 1, "kind": "set",
        "start": "2026-11-02T10:00:00+01:00", "end": "2026-11-02T10:00:30+01:00",
        "preset": "hsr", "exercise": exercise, "side": "both", "set": 1, "sets": 4,
        "planned_reps": 8, "done_reps": 8, "hold_s": null, "tempo": "3-0-3-0",
        "tut_s": 48.0, "load": {"value": 80.0, "unit": "kg"}, "pain": 2, "rpe": null,
        "note": note, "status": "done"
    })
    .to_string()
}

fn log_file(dir: &Path, lines: &[String]) -> String {
    let path = dir.join("sets.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path.display().to_string()
}

#[test]
fn an_osc_52_note_in_the_log_is_shown_not_obeyed() {
    let dir = tempfile::tempdir().unwrap();
    // OSC 52 asks the terminal to put "pwned" on the clipboard.
    let line = r#"{"v":1,"kind":"pain","at":"2026-11-03T07:00:00+01:00","pain":1,"note":"stiff \u001b]52;c;cHduZWQ=\u0007 ok"}"#;
    let log = log_file(
        dir.path(),
        &[set_line("Squat\u{1b}[2J", "two\nlines"), line.to_owned()],
    );
    let out = reptempo().args(["log", "--log", &log]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(
        !out.stdout.contains(&ESC) && !out.stdout.contains(&0x07),
        "{text:?}"
    );
    assert!(text.contains("stiff ^[]52;c;cHduZWQ=^G ok"), "{text}");
    assert!(text.contains("Squat^[[2J"), "{text}");
    // A header and one line a record: the note's line break does not make a row.
    assert_eq!(text.lines().count(), 3, "{text}");
    // JSON stays exact.
    let json = reptempo()
        .args(["log", "--log", &log, "--json"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc[1]["note"], "stiff \u{1b}]52;c;cHduZWQ=\u{7} ok");
}

#[test]
fn csv_text_cells_that_look_like_formulas_get_a_quote() {
    let dir = tempfile::tempdir().unwrap();
    let log = log_file(
        dir.path(),
        &[
            set_line("=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0"),
            set_line("-2+3", "@SUM(A1:A2)"),
            set_line("\tTabbed", "\rReturn"),
            set_line("Squat = fine", "a-b"),
        ],
    );
    let out = reptempo()
        .args(["log", "--log", &log, "--csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let head = "kind,start,end,preset,exercise,side,set,sets,planned_reps,done_reps,hold_s,tempo,tut_s,load_value,load_unit,pain,rpe,note,status,session,week,target\n";
    let row = |exercise: &str, note: &str| {
        format!(
            "set,2026-11-02T10:00:00+01:00,2026-11-02T10:00:30+01:00,hsr,{exercise},both,1,4,8,8,,3-0-3-0,48,80,kg,2,,{note},done,,,\n"
        )
    };
    let expected = [
        head.to_owned(),
        row(
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
            "'+cmd|' /C calc'!A0",
        ),
        row("'-2+3", "'@SUM(A1:A2)"),
        // The quote, then the CR shown as the table shows it.
        row("'\tTabbed", "'^MReturn"),
        row("Squat = fine", "a-b"),
    ]
    .concat();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
}

#[test]
fn check_refuses_a_fifo_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.toml");
    let made = Process::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let fifo = fifo.display().to_string();
    let (out, took) = run_within(&["check", &fifo], Duration::from_secs(1));
    assert_eq!(out.status.code(), Some(2));
    assert!(took < Duration::from_secs(1), "took {took:?}");
    assert_eq!(
        stderr_of(&out),
        format!("cannot read preset file {fifo}: it is a FIFO (named pipe), not a regular file\n")
    );
    // The same FIFO as the log.
    let (out, took) = run_within(&["log", "--log", &fifo], Duration::from_secs(1));
    assert_eq!(out.status.code(), Some(2));
    assert!(took < Duration::from_secs(1), "took {took:?}");
    assert_eq!(
        stderr_of(&out),
        format!("reptempo: the log {fifo} is not a regular file\n")
    );
    // And as the log of a session: refused before the first cue, as bad input.
    let (out, took) = run_within(
        &["start", "hsr", "--plain", "--no-audio", "--log", &fifo],
        Duration::from_secs(5),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert!(out.stdout.is_empty());
    assert!(
        stderr_of(&out).contains(&format!("the log {fifo} is not a regular file")),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn check_refuses_a_device_and_a_directory_at_once() {
    for (path, kind) in [
        ("/dev/zero", "a character device"),
        ("tests", "a directory"),
    ] {
        let (out, took) = run_within(&["check", path], Duration::from_secs(1));
        assert_eq!(out.status.code(), Some(2), "{path}");
        assert!(took < Duration::from_secs(1), "{path} took {took:?}");
        assert_eq!(
            stderr_of(&out),
            format!("cannot read preset file {path}: it is {kind}, not a regular file\n")
        );
    }
}

#[test]
fn a_preset_file_over_one_mebibyte_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let small = std::fs::read_to_string("tests/fixtures/small.toml").unwrap();
    let padded = |total: usize| {
        let comment_line = format!("#{}\n", "x".repeat(99));
        let mut text = small.clone();
        while text.len() + comment_line.len() <= total {
            text.push_str(&comment_line);
        }
        text.push_str(&"\n".repeat(total - text.len()));
        text
    };
    let at_limit = dir.path().join("at-limit.toml");
    std::fs::write(&at_limit, padded(1 << 20)).unwrap();
    let over = dir.path().join("over.toml");
    std::fs::write(&over, padded((1 << 20) + 1)).unwrap();
    reptempo().arg("check").arg(&at_limit).assert().success();
    let out = reptempo().arg("check").arg(&over).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr_of(&out),
        format!(
            "cannot read preset file {}: it is larger than 1 MiB, the most a preset file may be\n",
            over.display()
        )
    );
}

#[test]
fn invalid_utf8_is_reported_at_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.toml");
    let mut bytes = std::fs::read("tests/fixtures/small.toml").unwrap();
    // "Squat" becomes "Squ\xe2t": line 8, column 16 (`exercise = "Squ` is 15 characters).
    let at = bytes.windows(5).position(|w| w == b"Squat").unwrap() + 3;
    bytes[at] = 0xe2;
    std::fs::write(&path, bytes).unwrap();
    let out = reptempo().arg("check").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr_of(&out),
        format!(
            "{}:8:16: the file is not UTF-8 text (byte 0xE2)\n",
            path.display()
        )
    );
}

#[test]
fn check_reports_three_independent_mistakes_in_line_order() {
    let out = reptempo()
        .args(["check", "tests/fixtures/three-mistakes.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = stderr_of(&out);
    let lines: Vec<&str> = stderr.lines().collect();
    let file = "tests/fixtures/three-mistakes.toml";
    assert_eq!(lines.len(), 3, "{stderr}");
    assert_eq!(
        lines[0],
        format!("{file}:2:15: name contains a control character (BEL, U+0007)")
    );
    assert!(
        lines[1].starts_with(&format!("{file}:6:1: unknown field `colour`")),
        "{stderr}"
    );
    assert_eq!(
        lines[2],
        format!("{file}:10:8: sets must be from 1 to 100, not 0")
    );
}

#[test]
fn a_tiny_speed_is_refused_before_the_session_starts() {
    for speed in ["1e-14", "0.1", "101", "NaN"] {
        let (out, _) = run_within(
            &[
                "start",
                "tests/fixtures/small.toml",
                "--speed",
                speed,
                "--plain",
                "--no-audio",
                "--no-log",
            ],
            Duration::from_secs(2),
        );
        assert_eq!(out.status.code(), Some(2), "{speed}");
        assert_eq!(
            stderr_of(&out),
            format!("reptempo: --speed: {speed:?} is not a speed: use a number from 0.25 to 100\n")
        );
        assert!(out.stdout.is_empty(), "{speed}");
    }
    reptempo()
        .args([
            "render",
            "tests/fixtures/small.toml",
            "-o",
            "/nonexistent/x.wav",
            "--speed",
            "1e-14",
        ])
        .assert()
        .code(2)
        .stderr("reptempo: --speed: \"1e-14\" is not a speed: use a number from 0.25 to 100\n");
}

#[test]
fn each_negative_or_malformed_value_gets_one_line_naming_its_flag() {
    let small = "tests/fixtures/small.toml";
    let cases: [(&[&str], &str); 23] = [
        (&["show", small, "--rest", "-1s"], "--rest"),
        (&["show", small, "--week", "-1"], "--week"),
        (&["show", small, "--sets", "-3"], "--sets"),
        (&["show", small, "--reps", "-2"], "--reps"),
        (&["show", small, "--load", "-5kg"], "--load"),
        (&["show", small, "--lead-in", "-5s"], "--lead-in"),
        (&["show", small, "--tempo", "-3-0-3-0"], "--tempo"),
        (&["show", "isometric", "--hold", "-45s"], "--hold"),
        (&["show", "cadence", "--duration", "-1m"], "--duration"),
        (&["show", "cadence", "--cadence", "-5"], "--cadence"),
        (&["show", small, "--side", "-left"], "--side"),
        (&["show", small, "--sets", "1e3"], "--sets"),
        (
            &["start", small, "--speed", "-2", "--plain", "--no-log"],
            "--speed",
        ),
        (
            &["start", small, "--volume", "-3", "--plain", "--no-log"],
            "--volume",
        ),
        (
            &["start", small, "--volume", "7e1", "--plain", "--no-log"],
            "--volume",
        ),
        (
            &["render", small, "-o", "x.wav", "--rate", "-48000"],
            "--rate",
        ),
        (
            &["render", small, "-o", "x.wav", "--volume", "-1"],
            "--volume",
        ),
        (&["stats", "--weeks", "-4"], "--weeks"),
        (&["log", "--since", "-3d"], "--since"),
        (&["log", "--until", "-1w"], "--until"),
        (&["pain", "-1", "--log", "/nonexistent/sets.jsonl"], "pain"),
        (&["next", "--today", "-1"], "--today"),
        (&["report", "--today", "-1"], "--today"),
    ];
    for (args, flag) in cases {
        let (out, _) = run_within(args, Duration::from_secs(2));
        let stderr = stderr_of(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.starts_with(&format!("reptempo: {flag}: ")),
            "{args:?}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn durations_may_have_a_space_before_the_unit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spaced.toml");
    let text = std::fs::read_to_string("tests/fixtures/small.toml")
        .unwrap()
        .replace("lead_in = \"2s\"", "lead_in = \"2 s\"")
        .replace("rest = \"2s\"", "rest = \"1 min 30 s\"")
        .replace(
            "description = \"A short session for tests: 2 sets of 2 reps at 1-0-1-0, 2 s rest.\"\n",
            "",
        );
    std::fs::write(&path, text).unwrap();
    reptempo().arg("check").arg(&path).assert().success();
    let out = reptempo()
        .arg("show")
        .arg(&path)
        .args(["--json", "--lead-in", "45 s"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["lead_in_s"], 45.0);
    assert_eq!(doc["blocks"][0]["rest_s"], 90.0);
    assert_eq!(doc["description"], "");
}

fn days_ago(n: i64) -> jiff::civil::Date {
    jiff::ZonedDateTime::now().date() - jiff::Span::new().days(n)
}

/// `set_line`, `n` days ago at 10:00 UTC, with a pain score the light reads.
fn recent_set_line(n: i64, exercise: &str, side: &str, note: &str, pain: u8) -> String {
    let mut v: serde_json::Value = serde_json::from_str(&set_line(exercise, note)).unwrap();
    let day = days_ago(n);
    v["pain"] = pain.into();
    v["start"] = format!("{day}T10:00:00+00:00").into();
    v["end"] = format!("{day}T10:00:30+00:00").into();
    v["side"] = side.into();
    v.to_string()
}

#[test]
fn no_escape_byte_reaches_stdout_from_csv_stats_or_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let osc = "\u{1b}]52;c;cHduZWQ=\u{7}";
    let log = log_file(
        dir.path(),
        &[
            // The highest pain, so that the light's reason names this exercise.
            recent_set_line(3, &format!("Squat{osc}"), &format!("both{osc}"), "ok", 4),
            recent_set_line(1, "Squat", "both", &format!("=note{osc}\u{9b}2J"), 2),
        ],
    );
    let shown = "Squat^[]52;c;cHduZWQ=^G";
    // Markdown also escapes the brackets.
    let shown_md = r"Squat^\[\]52;c;cHduZWQ=^G";
    let runs: [(&[&str], &str); 6] = [
        (&["log", "--csv"], shown),
        (&["log", "--csv-profile", "strong"], shown),
        (&["log", "--csv-profile", "hevy"], shown),
        (&["stats"], shown),
        (
            &["report", "--format", "md", "--name", "Anna\u{1b}[2J"],
            shown_md,
        ),
        (
            &["report", "--format", "html", "--name", "Anna\u{1b}[2J"],
            shown,
        ),
    ];
    for (args, shown) in runs {
        let out = reptempo()
            .args(args)
            .args(["--log", &log])
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr_of(&out));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            !text.contains(['\u{1b}', '\u{7}', '\u{9b}']),
            "{args:?}: {text:?}"
        );
        assert!(text.contains(shown), "{args:?}: {text}");
    }
    // The note's formula guard and its escape together.
    let csv = reptempo()
        .args(["log", "--csv", "--log", &log])
        .output()
        .unwrap();
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(csv.contains(",'=note^[]52;c;cHduZWQ=^G\\u{9b}2J,"), "{csv}");
}

#[test]
fn an_unknown_tz_is_said_once_and_future_and_old_records_are_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let mut future: serde_json::Value = serde_json::from_str(&set_line("Squat", "")).unwrap();
    future["start"] = "9999-01-04T10:00:00+00:00".into();
    future["end"] = "9999-01-04T10:00:30+00:00".into();
    let log = log_file(
        dir.path(),
        &[
            recent_set_line(70, "Squat", "both", "", 2),
            recent_set_line(2, "Squat", "both", "", 2),
            future.to_string(),
        ],
    );
    let week = |n: i64| {
        let d = days_ago(n).iso_week_date();
        format!("{}-W{:02}", d.year(), d.week())
    };
    let out = reptempo()
        .env("TZ", "Mars/Olympus")
        .args(["stats", "--weeks", "4", "--log", &log])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(
        stderr_of(&out),
        format!(
            "reptempo: the time zone TZ=\"Mars/Olympus\" is not known; times are in UTC\n\
             reptempo: {log}:3: skipped: start 9999-01-04T10:00:00+00:00 is in the future\n"
        )
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(&week(2)), "{text}");
    assert!(!text.contains(&week(70)), "{text}");
    assert!(!text.contains("9999"), "{text}");
    // The same log and a known zone: nothing said about the zone.
    let out = reptempo()
        .env("TZ", "Europe/Copenhagen")
        .args(["stats", "--weeks", "4", "--log", &log])
        .output()
        .unwrap();
    assert!(
        !stderr_of(&out).contains("time zone"),
        "{}",
        stderr_of(&out)
    );
}

/// Writes `text` to the test's stderr past the harness's capture, so a skip is seen.
fn say_skipped(text: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "SKIPPED {text}");
}

/// Unmounts a test's file system however the test ends.
struct Unmount<'a>(&'a Path);

impl Drop for Unmount<'_> {
    fn drop(&mut self) {
        let _ = Process::new("umount").arg(self.0).status();
    }
}

#[test]
fn a_full_file_system_leaves_only_whole_lines_and_the_sets_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let mounted = Process::new("mount")
        .args(["-t", "tmpfs", "-o", "size=16k", "tmpfs"])
        .arg(dir.path())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        say_skipped("a_full_file_system_leaves_only_whole_lines: cannot mount a small tmpfs");
        return;
    }
    let _unmount = Unmount(dir.path());
    let log = dir.path().join("sets.jsonl").display().to_string();
    // Morning scores until the disk is full: the last append fails part-way.
    let mut failed = None;
    for _ in 0..1000 {
        let out = reptempo()
            .args(["pain", "3", "--note", "after the long walk", "--log", &log])
            .output()
            .unwrap();
        if !out.status.success() {
            failed = Some(out);
            break;
        }
    }
    let failed = failed.expect("the 16 KiB file system never filled");
    assert_eq!(failed.status.code(), Some(1));
    let stderr = stderr_of(&failed);
    assert!(
        stderr.starts_with(&format!(
            "morning pain NOT written to {log}:\n{{\"kind\":\"pain\","
        )),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("No space left on device (os error 28)\n"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 3, "{stderr}");
    let bytes = std::fs::read(&log).unwrap();
    assert!(bytes.ends_with(b"\n"));
    let line = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
    assert_eq!(bytes.len() % line, 0, "a fragment was left");
    // A session on the full disk: no set reaches the file, both are on stderr.
    let out = reptempo()
        .args([
            "start",
            "tests/fixtures/small.toml",
            "--plain",
            "--no-audio",
        ])
        .args(["--clock", "fake", "--log", &log])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let stderr = stderr_of(&out);
    assert!(
        stderr.starts_with(&format!("2 sets NOT written to {log}:\n")),
        "{stderr}"
    );
    assert_eq!(stderr.matches("\"kind\":\"set\"").count(), 2, "{stderr}");
    assert_eq!(std::fs::read(&log).unwrap(), bytes);
    let read = reptempo().args(["log", "--log", &log]).output().unwrap();
    assert!(read.status.success());
    assert!(read.stderr.is_empty(), "{}", stderr_of(&read));
}
