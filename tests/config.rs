//! The config file through the binary, with `$XDG_CONFIG_HOME` in a temporary directory:
//! its defaults take effect, flags override them, a broken file is an error with its
//! place (for `check` and for `start`), and an extra key drives a session. The bell is
//! seen through `script` (a terminal that records what it gets), colour and keys through
//! tmux; each skips visibly where its tool is missing.

mod common;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

use tempfile::TempDir;

use common::tmux::Tmux;

/// A config home holding `reptempo/config.toml` with `text`.
fn config_home(text: &str) -> (TempDir, PathBuf) {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("reptempo");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("config.toml");
    std::fs::write(&file, text).unwrap();
    (home, file)
}

/// The binary with `home` as its config home.
fn reptempo(home: &Path) -> assert_cmd::Command {
    let mut cmd = common::reptempo();
    cmd.env("XDG_CONFIG_HOME", home);
    cmd
}

fn lead_in_shown(home: &Path, args: &[&str]) -> serde_json::Value {
    let out = reptempo(home)
        .args(["show", "--json", "tests/fixtures/small.toml"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["lead_in_s"].clone()
}

#[test]
fn the_config_files_lead_in_applies_and_a_flag_overrides_it() {
    let (home, _) = config_home("lead_in = \"7s\"\n");
    // The fixture's own lead-in is 2 s.
    assert_eq!(lead_in_shown(Path::new("/nonexistent"), &[]), 2.0);
    assert_eq!(lead_in_shown(home.path(), &[]), 7.0);
    assert_eq!(lead_in_shown(home.path(), &["--lead-in", "3s"]), 3.0);
    // And the session runs it: 7 s of lead-in, then 10 s of sets and rest.
    let out = reptempo(home.path())
        .args([
            "start",
            "tests/fixtures/small.toml",
            "--plain",
            "--clock",
            "fake",
        ])
        .args(["--no-log", "--no-advice"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{stdout}");
    let first = stdout.lines().next().unwrap();
    assert!(first.ends_with("small · 0:17"), "{first}");
}

/// The output of `reptempo ARGS` on a terminal that `script` records.
fn on_a_terminal(home: &Path, args: &str) -> Option<String> {
    if Command::new("script").arg("--version").output().is_err() {
        let _ = writeln!(std::io::stderr(), "SKIPPED: script is not installed");
        return None;
    }
    let out = Command::new("script")
        .args([
            "-qec",
            &format!("{} {args}", env!("CARGO_BIN_EXE_reptempo")),
            "/dev/null",
        ])
        .env("XDG_CONFIG_HOME", home)
        .env("REPTEMPO_LOG", "/nonexistent/sets.jsonl")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

#[test]
fn the_config_file_turns_the_bell_off_and_bell_turns_it_back_on() {
    let session = "start tests/fixtures/small.toml --plain --clock fake --no-log --no-advice";
    let (quiet, _) = config_home("bell = false\n");
    let (default, _) = config_home("# nothing\n");
    let Some(rings) = on_a_terminal(default.path(), session) else {
        return;
    };
    let bells = |text: &str| text.matches('\u{7}').count();
    assert!(
        bells(&rings) > 0,
        "no bell on a terminal by default: {rings:?}"
    );
    let silent = on_a_terminal(quiet.path(), session).unwrap();
    assert_eq!(bells(&silent), 0, "{silent:?}");
    assert!(silent.contains("set 2/2"), "{silent:?}");
    let flag = on_a_terminal(quiet.path(), &format!("{session} --bell")).unwrap();
    assert_eq!(bells(&flag), bells(&rings), "{flag:?}");
}

#[test]
fn check_names_the_file_line_and_column_of_a_bad_config() {
    let (home, file) = config_home("volume = 60\ncolr = false\n");
    let out = reptempo(home.path())
        .args(["check"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let expected = format!("{}:2:1: unknown field `colr`", file.display());
    assert!(stderr.starts_with(&expected), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    // Without a file, `check` reads the config file in use.
    let out = reptempo(home.path()).arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .starts_with(&expected)
    );
}

#[test]
fn check_says_what_a_good_config_sets_and_when_there_is_none() {
    let (home, file) = config_home("volume = 60\nbell = false\n[keys]\npause = [\"F5\"]\n");
    let out = reptempo(home.path()).arg("check").output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!(
            "{}: ok (config: volume 60, bell off, keys F5 pause)\n",
            file.display()
        )
    );
    // A preset and a config file in one run: each is read as what it is.
    reptempo(home.path())
        .args(["check", "tests/fixtures/small.toml"])
        .arg(&file)
        .assert()
        .success();
    let empty = tempfile::tempdir().unwrap();
    let out = reptempo(empty.path()).arg("check").output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("no config file at "), "{stdout}");
    assert!(stdout.contains("the built-in defaults apply"), "{stdout}");
}

#[test]
fn start_with_a_broken_config_exits_2_naming_the_place() {
    let (home, file) = config_home("volume = 60\n\n[keys]\npause = [\"F5\", \"n\"]\n");
    let out = reptempo(home.path())
        .args([
            "start",
            "tests/fixtures/small.toml",
            "--plain",
            "--clock",
            "fake",
        ])
        .arg("--no-log")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "the session ran");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr,
        format!(
            "{}:4:16: [keys] pause: n already means skip (a built-in key); extra keys add to \
             the built-in ones\n",
            file.display()
        )
    );
    // Every command that builds a plan reads the lead-in, so `show` says so too.
    reptempo(home.path())
        .args(["show", "tests/fixtures/small.toml"])
        .assert()
        .code(2);
}

#[test]
fn a_wrong_type_in_the_config_is_one_sentence_with_its_place() {
    let (home, file) = config_home("voice = \"yes\"\n");
    let out = reptempo(home.path())
        .args([
            "start",
            "tests/fixtures/small.toml",
            "--plain",
            "--clock",
            "fake",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with(&format!("{}:1:9: ", file.display())),
        "{stderr}"
    );
    assert!(stderr.contains("expected true or false"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

/// A command line for tmux: the binary with `home` as its config home.
fn in_tmux(home: &Path, args: &str) -> String {
    format!(
        "env XDG_CONFIG_HOME={} REPTEMPO_LOG=/nonexistent/sets.jsonl {} {args}; sleep 30",
        home.display(),
        env!("CARGO_BIN_EXE_reptempo")
    )
}

/// Whether a captured screen sets a foreground or background colour.
fn has_colour(styled: &str) -> bool {
    styled.split('\u{1b}').any(|sgr| {
        sgr.strip_prefix('[')
            .and_then(|s| s.split_once('m'))
            .is_some_and(|(codes, _)| {
                codes.split(';').any(|c| {
                    c.len() == 2
                        && (c.starts_with('3') || c.starts_with('4'))
                        && c != "39"
                        && c != "49"
                })
            })
    })
}

#[test]
fn the_config_file_turns_colour_off_and_colour_turns_it_back_on() {
    let (home, _) = config_home("colour = false\n");
    let session = "start tests/fixtures/small.toml --no-audio --no-log --lead-in 20s";
    let Some(plain) = Tmux::start("grey", &in_tmux(home.path(), session)) else {
        return;
    };
    plain.wait_for_joined("set 1/2");
    let grey = plain.styled_screen();
    assert!(!has_colour(&grey), "{grey}");
    let coloured = Tmux::start(
        "colour",
        &in_tmux(home.path(), &format!("{session} --colour")),
    )
    .unwrap();
    coloured.wait_for_joined("set 1/2");
    let styled = coloured.styled_screen();
    assert!(has_colour(&styled), "{styled}");
}

#[test]
fn an_extra_key_from_the_config_file_pauses_a_session_and_is_listed() {
    let (home, _) = config_home("[keys]\npause = [\"F5\"]\nquit = [\"F8\"]\n");
    let session = "start tests/fixtures/small.toml --plain --no-audio --no-log --lead-in 20s";
    let Some(tmux) = Tmux::start("keys", &in_tmux(home.path(), session)) else {
        return;
    };
    let header = tmux.wait_for_joined("start ");
    assert!(header.contains("extra keys: F5 pause, F8 quit"), "{header}");
    tmux.run(&["send-keys", "F5"]);
    tmux.wait_for_joined("paused");
    tmux.run(&["send-keys", "F8"]);
    let ended = tmux.wait_for_joined("end ");
    assert!(ended.contains("quit"), "{ended}");
}

#[test]
fn the_displays_help_lists_the_config_files_extra_keys() {
    let (home, _) = config_home("[keys]\npause = [\"F5\"]\n");
    let session = "start tests/fixtures/small.toml --no-audio --no-log --lead-in 20s";
    let Some(tmux) = Tmux::start("help", &in_tmux(home.path(), session)) else {
        return;
    };
    tmux.wait_for_joined("set 1/2");
    tmux.run(&["send-keys", "?"]);
    let help = tmux.wait_for_joined("(config file)");
    assert!(
        help.lines().any(|l| l.contains("F5  pause (config file)")),
        "{help}"
    );
    // The extra key works in the display too: the help box closes on a key, then F5
    // pauses.
    tmux.run(&["send-keys", "Escape"]);
    let started = Instant::now();
    while tmux.joined_screen().contains("(config file)") {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "help stays open"
        );
        sleep(Duration::from_millis(50));
    }
    tmux.run(&["send-keys", "F5"]);
    tmux.wait_for_joined("PAUSED");
}

#[test]
fn the_readmes_example_config_is_valid() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let section = readme.split("## Config file").nth(1).unwrap();
    let example = section
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap();
    let (home, file) = config_home(example);
    let out = reptempo(home.path())
        .arg("check")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!(
            "{}: ok (config: volume 60, voice on, bell off, colour on, lead-in 10s, keys F5 \
             pause, F6 skip, Shift-n skip)\n",
            file.display()
        )
    );
}
