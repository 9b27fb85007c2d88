//! The full-screen display as a person uses it, through tmux: it shows the phase and the
//! digits, space pauses (the screen stops), q asks and quits, and the terminal is back
//! to normal afterwards; without colour, down, up and paused look different from across
//! the room. Skips visibly where tmux is missing.

mod common;

use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

use common::tmux::Tmux;

#[test]
fn a_person_follows_pauses_and_quits_with_the_terminal_intact() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("sets.jsonl");
    let bin = assert_cmd::cargo::cargo_bin("reptempo");
    let command = format!(
        "env XDG_CONFIG_HOME=/nonexistent {} start tests/fixtures/small.toml --speed 2 --no-audio --log {}; echo EXIT=$?; sleep 30",
        bin.display(),
        log.display()
    );
    let Some(tmux) = Tmux::start("pause", &command) else {
        return;
    };
    let screen = tmux.wait_for("DOWN");
    assert!(
        screen.contains("small") && screen.contains("DOWN · rep 1/2 · set 1/2 · Squat"),
        "{screen}"
    );
    assert!(screen.contains("██"), "no big digits:\n{screen}");
    assert_eq!(tmux.flag("alternate_on"), "1");
    // Paused: the header says so and the screen stands still.
    tmux.keys(&["Space"]);
    let paused = tmux.wait_for("PAUSED");
    sleep(Duration::from_millis(1200));
    assert_eq!(tmux.screen(), paused, "the screen moved while paused");
    tmux.keys(&["Space"]);
    tmux.wait_for("UP");
    // q asks; Enter quits, logging the set in progress.
    tmux.keys(&["q"]);
    tmux.wait_for("quit?");
    tmux.keys(&["Enter"]);
    let after = tmux.wait_for("EXIT=0");
    assert!(after.contains("reptempo: small stopped:"), "{after}");
    assert_eq!(
        tmux.flag("alternate_on"),
        "0",
        "still on the alternate screen"
    );
    assert_eq!(tmux.flag("cursor_flag"), "1", "the cursor is hidden");
    let records = std::fs::read_to_string(&log).unwrap();
    assert_eq!(records.lines().count(), 1, "{records}");
    assert!(records.contains("\"status\":\"stopped\""), "{records}");
}

/// How many cells differ between two screens in the big area: the rows between the
/// band (rows 1-3 at 80 x 24) and the lines below it (rows 21-23).
fn differing_in_big_area(a: &str, b: &str) -> usize {
    a.lines()
        .zip(b.lines())
        .skip(4)
        .take(17)
        .map(|(x, y)| {
            let (x, y): (Vec<char>, Vec<char>) = (x.chars().collect(), y.chars().collect());
            (0..x.len().max(y.len()))
                .filter(|&i| x.get(i).unwrap_or(&' ') != y.get(i).unwrap_or(&' '))
                .count()
        })
        .sum()
}

#[test]
fn without_colour_down_up_and_paused_differ_in_the_big_area() {
    let bin = assert_cmd::cargo::cargo_bin("reptempo");
    // Phases of 4 s leave time to capture each.
    let command = format!(
        "env NO_COLOR=1 XDG_CONFIG_HOME=/nonexistent {} start tests/fixtures/small.toml --tempo 4-0-4-0 --no-audio --no-log; sleep 30",
        bin.display()
    );
    let Some(tmux) = Tmux::start("nocolour", &command) else {
        return;
    };
    let down = tmux.wait_for(" DOWN · rep 1/2");
    let up = tmux.wait_for(" UP · rep 1/2");
    let differ = differing_in_big_area(&down, &up);
    assert!(differ > 100, "{differ} cells differ:\n{down}\n{up}");
    // The band is in reverse video, and nothing is coloured.
    let styled = tmux.styled_screen();
    assert!(
        styled.contains("\x1b[7m") || styled.contains(";7m"),
        "no reverse video:\n{styled:?}"
    );
    for colour in 31..=36 {
        assert!(
            !styled.contains(&format!("\x1b[{colour}m")),
            "coloured:\n{styled:?}"
        );
    }
    tmux.keys(&["Space"]);
    let paused = tmux.wait_for("PAUSED");
    let differ = differing_in_big_area(&up, &paused);
    assert!(differ > 100, "{differ} cells differ:\n{up}\n{paused}");
    tmux.keys(&["q"]);
    tmux.wait_for("quit?");
    tmux.keys(&["Enter"]);
    tmux.wait_for("reptempo: small stopped");
}

#[test]
fn after_a_set_one_enter_logs_it() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("sets.jsonl");
    let bin = assert_cmd::cargo::cargo_bin("reptempo");
    let command = format!(
        "env XDG_CONFIG_HOME=/nonexistent {} start tests/fixtures/small.toml --speed 4 --no-audio --log {}; echo EXIT=$?; sleep 30",
        bin.display(),
        log.display()
    );
    let Some(tmux) = Tmux::start("form", &command) else {
        return;
    };
    let form = tmux.wait_for("log set 1/2");
    assert!(
        form.contains("reps [2]") && form.contains("load [40kg]"),
        "{form}"
    );
    tmux.keys(&["Enter"]);
    tmux.wait_for("set 1 logged");
    let records = std::fs::read_to_string(&log).unwrap();
    assert!(
        records.contains("\"done_reps\":2") && records.contains("\"status\":\"done\""),
        "{records}"
    );
}

#[test]
fn ctrl_z_and_sigtstp_give_the_terminal_back_and_fg_brings_back_a_display_whose_keys_work() {
    let bin = assert_cmd::cargo::cargo_bin("reptempo");
    let Some(tmux) = Tmux::start("suspend", "bash --norc --noprofile") else {
        return;
    };
    // A lead-in no other test uses names this process for pkill.
    let command = format!(
        "env XDG_CONFIG_HOME=/nonexistent {} start tests/fixtures/small.toml --no-audio --no-log --lead-in 7s",
        bin.display()
    );
    tmux.keys(&[&command, "Enter"]);
    tmux.wait_for("set 1/2");
    assert_eq!(tmux.flag("alternate_on"), "1");
    for stop in ["Ctrl-Z", "SIGTSTP"] {
        if stop == "Ctrl-Z" {
            tmux.keys(&["C-z"]);
        } else {
            let killed = Command::new("pkill")
                .args(["-TSTP", "-f", "lead-in 7s"])
                .status()
                .unwrap();
            assert!(killed.success(), "no process to stop");
        }
        tmux.wait_for("Stopped");
        assert_eq!(
            tmux.flag("alternate_on"),
            "0",
            "{stop}: screen not given back"
        );
        tmux.keys(&["clear; fg", "Enter"]);
        // Back, redrawn, and paused (time did not run on while stopped).
        tmux.wait_for("PAUSED");
        assert_eq!(tmux.flag("alternate_on"), "1", "{stop}: display not back");
        // Keys work: space resumes.
        tmux.keys(&["Space"]);
        let started = Instant::now();
        while tmux.screen().contains("PAUSED") {
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "{stop}: space did nothing after fg:\n{}",
                tmux.screen()
            );
            sleep(Duration::from_millis(50));
        }
    }
    tmux.keys(&["q"]);
    tmux.wait_for("quit?");
    tmux.keys(&["Enter"]);
    tmux.wait_for("reptempo: small stopped");
    assert_eq!(tmux.flag("alternate_on"), "0");
}

#[test]
fn the_home_screen_starts_the_week_and_side_picked_and_q_comes_back_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("sets.jsonl");
    let bin = assert_cmd::cargo::cargo_bin("reptempo");
    let command = format!(
        "env XDG_CONFIG_HOME=/nonexistent REPTEMPO_LOG={} {}; echo EXIT=$?; sleep 30",
        log.display(),
        bin.display()
    );
    let Some(tmux) = Tmux::start("home", &command) else {
        return;
    };
    let screen = tmux.wait_for("pick a session");
    assert!(
        screen.contains("week 1 of 12") && screen.contains("51:05"),
        "{screen}"
    );
    // w: week 2 is 4 x 12, and its session is shorter.
    tmux.keys(&["w"]);
    let screen = tmux.wait_for("week 2 of 12 (chosen with w) · 47:29");
    assert!(screen.contains("Bilateral squat  4 x 12"), "{screen}");
    // The side, on a sided preset, reaches the session.
    tmux.keys(&["Down", "Down", "Down", "s"]);
    tmux.wait_for("side: left only");
    tmux.keys(&["Enter"]);
    let session = tmux.wait_for("GET READY");
    assert!(session.contains("left"), "{session}");
    tmux.keys(&["q"]);
    tmux.wait_for("quit?");
    tmux.keys(&["n"]);
    let back = tmux.wait_for("pick a session");
    assert!(back.contains("side: left only"), "{back}");
    tmux.keys(&["q"]);
    tmux.wait_for("EXIT=0");
}
