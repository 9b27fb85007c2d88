//! The command line through the binary: listings, `show`, `check` diagnostics with exact
//! positions, user presets, and bad values.

mod common;
use common::reptempo;

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

#[test]
fn presets_lists_the_eight_built_in_presets_with_their_sources() {
    let out = reptempo().arg("presets").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 8, "{text}");
    for (id, source, total) in [
        ("hsr", "Kongsgaard 2009", "51:05"),
        ("hsr-achilles", "Beyer 2015", "38:35"),
        ("isometric", "Rio 2015", "11:50"),
        ("alfredson", "Alfredson 1998", "20:35"),
        ("decline-squat", "Purdam 2004", "9:50"),
        ("calf-stretch", "Nørregaard 2007", "9:05"),
        ("pogo", "convention (no trial dose)", "3:05"),
        ("cadence", "Heiderscheit 2011", "10:05"),
    ] {
        let line = lines
            .iter()
            .find(|l| l.split_whitespace().next() == Some(id))
            .unwrap_or_else(|| panic!("{id} missing:\n{text}"));
        assert!(line.contains(source) && line.contains(total), "{line}");
    }
}

#[test]
fn show_hsr_week_10_is_four_sets_of_six_at_3030() {
    let out = reptempo()
        .args(["show", "hsr", "--week", "10"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for exercise in ["Bilateral squat", "Hack squat", "Leg press"] {
        let row = text.lines().find(|l| l.contains(exercise)).unwrap();
        let cells: Vec<&str> = row
            .split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        assert_eq!(
            cells[2..8],
            ["4", "6 reps", "3-0-3-0", "both", "3:00", "6RM"],
            "{row}"
        );
    }
    assert!(text.contains("week 10 of 12"), "{text}");
    assert!(text.contains("> weeks 9-12  4 x 6"), "{text}");
    assert!(text.contains("total 40:17"), "{text}");
    assert!(text.contains("time under tension 7:12"), "{text}");
}

#[test]
fn show_json_lists_every_cue_at_its_exact_offset() {
    let out = reptempo()
        .args([
            "show",
            "isometric",
            "--json",
            "--sets",
            "2",
            "--hold",
            "5s",
            "--rest",
            "4s",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cues: Vec<(f64, &str)> = doc["cues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["offset_s"].as_f64().unwrap(), c["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        cues,
        [
            (2.0, "countdown"),
            (3.0, "countdown"),
            (4.0, "countdown"),
            (5.0, "hold"),
            (6.0, "tick"),
            (7.0, "countdown"),
            (8.0, "countdown"),
            (9.0, "countdown"),
            (10.0, "set_done"),
            (11.0, "countdown"),
            (12.0, "countdown"),
            (13.0, "countdown"),
            (14.0, "hold"),
            (15.0, "tick"),
            (16.0, "countdown"),
            (17.0, "countdown"),
            (18.0, "countdown"),
            (19.0, "session_done"),
        ]
    );
    assert_eq!(doc["total_s"], 19.0);
    assert_eq!(doc["tut_s"], 10.0);
    for key in ["preset", "name", "source", "week", "blocks", "cues"] {
        assert!(doc.get(key).is_some(), "missing {key}");
    }
    let block = &doc["blocks"][0];
    for key in [
        "exercise",
        "kind",
        "sets",
        "reps",
        "tempo",
        "hold_s",
        "cadence_bpm",
        "duration_s",
        "rest_s",
        "sides",
        "load",
        "tut_s",
    ] {
        assert!(block.get(key).is_some(), "block is missing {key}");
    }
    for key in ["offset_s", "kind", "block", "set", "rep", "side"] {
        assert!(doc["cues"][0].get(key).is_some(), "cue is missing {key}");
    }
}

#[test]
fn a_sixty_minute_plans_last_cue_is_exact_to_the_microsecond() {
    let out = reptempo()
        .args([
            "show",
            "cadence",
            "--json",
            "--duration",
            "60m",
            "--cadence",
            "173",
            "--lead-in",
            "0",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    // Beat 10379 of 173 a minute: 10379 * 60 / 173 s = 3599.65317919... s.
    assert!(
        text.contains("\"offset_s\": 3599.653179,"),
        "last beat not exact"
    );
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cues = doc["cues"].as_array().unwrap();
    assert_eq!(cues.len(), 173 * 60 + 1);
    assert_eq!(cues.last().unwrap()["offset_s"], 3600.0);
}

/// (fixture, expected line:col, part of the message)
const BAD_PRESETS: [(&str, &str, &str); 10] = [
    ("syntax.toml", "10:11", "invalid basic string"),
    (
        "unknown-key.toml",
        "10:1",
        "unknown field `rset`, expected one of `exercise`",
    ),
    ("wrong-type.toml", "7:8", "expected a whole number"),
    ("zero-duration.toml", "7:8", "hold must be longer than 0 s"),
    (
        "negative-duration.toml",
        "7:8",
        "duration \"-45s\" is negative",
    ),
    ("zero-sets.toml", "9:8", "sets must be from 1 to 100, not 0"),
    (
        "tempo-phases.toml",
        "8:9",
        "tempo \"3-0-3\": expected 4 phases, found 3",
    ),
    (
        "week-gap.toml",
        "18:9",
        "week table has a gap: week 3 is in no row",
    ),
    (
        "week-overlap.toml",
        "18:9",
        "week table overlaps: weeks 3-6 repeats week 3",
    ),
    (
        "two-kinds.toml",
        "5:1",
        "must have exactly one of: reps (with tempo), hold, cadence",
    ),
];

#[test]
fn check_points_at_the_line_and_column_of_each_error() {
    for (file, position, message) in BAD_PRESETS {
        let path = format!("tests/fixtures/{file}");
        let out = reptempo().args(["check", &path]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{file}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        let expected = format!("{path}:{position}: ");
        assert_eq!(stderr.lines().count(), 1, "{file}: {stderr}");
        assert!(
            stderr.starts_with(&expected) && stderr.contains(message),
            "{file}: {stderr}"
        );
        assert!(!stderr.contains("panicked"));
    }
}

#[test]
fn show_of_a_broken_file_fails_with_the_same_position() {
    reptempo()
        .args(["show", "tests/fixtures/tempo-phases.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "tests/fixtures/tempo-phases.toml:8:9: tempo",
        ));
}

#[test]
fn check_accepts_every_built_in_preset_file() {
    let files: Vec<String> = std::fs::read_dir("presets")
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    assert_eq!(files.len(), 8);
    let out = reptempo().arg("check").args(&files).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout)
            .unwrap()
            .matches(": ok (")
            .count(),
        8
    );
}

#[test]
fn check_reports_a_missing_file_and_still_checks_the_others() {
    reptempo()
        .args(["check", "presets/hsr.toml", "no/such/file.toml"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("presets/hsr.toml: ok"))
        .stderr(predicate::str::contains(
            "cannot read preset file no/such/file.toml",
        ));
}

#[test]
fn check_builds_every_week_of_a_program() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.toml");
    let text = std::fs::read_to_string("presets/hsr.toml")
        .unwrap()
        .replacen("sets = 4\nreps = 12", "sets = 100\nreps = 1000", 1);
    std::fs::write(
        &path,
        text.replace("tempo = \"3-0-3-0\"", "tempo = \"60-60-60-60\""),
    )
    .unwrap();
    let out = reptempo().arg("check").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(":1:1: week 2: the session would last"),
        "{stderr}"
    );
}

#[test]
fn show_json_keeps_the_preset_sides_and_names_the_chosen_side() {
    let out = reptempo()
        .args(["show", "alfredson", "--json", "--side", "left"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let block = &doc["blocks"][0];
    assert_eq!(
        (block["sides"].as_str(), block["side"].as_str()),
        (Some("each"), Some("left"))
    );
    assert_eq!(block["duration_s"], 75.0);
    let both = reptempo()
        .args(["show", "alfredson", "--json"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&both.stdout).unwrap();
    // A set on each side: 75 s left, 5 s to change legs, 75 s right.
    assert_eq!(doc["blocks"][0]["duration_s"], 155.0);
    assert_eq!(doc["blocks"][0]["side_work_s"], 75.0);
    assert_eq!(doc["blocks"][0]["side"], serde_json::Value::Null);
}

#[test]
fn fails_when_week_is_outside_the_program() {
    reptempo()
        .args(["show", "hsr", "--week", "13"])
        .assert()
        .code(2)
        .stderr("reptempo: --week 13 is outside the program: \"hsr\" has weeks 1-12\n");
}

#[test]
fn fails_when_tempo_has_three_phases() {
    reptempo()
        .args(["show", "hsr", "--tempo", "3-0-3"])
        .assert()
        .code(2)
        .stderr("reptempo: --tempo: tempo \"3-0-3\": expected 4 phases, found 3\n");
}

#[test]
fn fails_when_a_flag_does_not_apply_to_the_preset() {
    reptempo()
        .args(["show", "isometric", "--reps", "10"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--reps applies to reps blocks"));
}

#[test]
fn an_unknown_preset_suggests_the_closest_one() {
    reptempo()
        .args(["show", "hrs"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown preset \"hrs\" (did you mean \"hsr\"?)",
        ));
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    reptempo()
        .args(["show", "hsr", "--wek", "2"])
        .assert()
        .code(2);
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn a_user_preset_overrides_the_built_in_one_and_a_broken_one_hides_nothing() {
    let config = tempfile::tempdir().unwrap();
    let dir = config.path().join("reptempo/presets");
    let own = std::fs::read_to_string("presets/isometric.toml")
        .unwrap()
        .replace("hold = \"45s\"", "hold = \"30s\"");
    write(&dir, "my-isometric.toml", &own);
    write(&dir, "broken.toml", "id = \"broken\"\nname = 3\n");
    // Valid as a file, but a session of more than a day.
    let too_long = std::fs::read_to_string("presets/pogo.toml")
        .unwrap()
        .replace("id = \"pogo\"", "id = \"long\"")
        .replace("stage = 3", "stage = 3\nlead_in = \"24h\"");
    write(&dir, "long.toml", &too_long);
    let out = Command::cargo_bin("reptempo")
        .unwrap()
        .env("XDG_CONFIG_HOME", config.path())
        .arg("presets")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stdout.lines().count(), 8, "{stdout}");
    let line = stdout
        .lines()
        .find(|l| l.starts_with("isometric "))
        .unwrap();
    assert!(
        line.contains("[user: ") && line.contains("my-isometric.toml"),
        "{line}"
    );
    // 5 + 5 x 30 + 4 x 120 s
    assert!(line.contains("10:35"), "{line}");
    assert!(stderr.contains("broken.toml:2:8: "), "{stderr}");
    assert!(
        stderr.contains("long.toml: the session would last"),
        "{stderr}"
    );
    assert!(!stdout.contains("long "), "{stdout}");
    let shown = Command::cargo_bin("reptempo")
        .unwrap()
        .env("XDG_CONFIG_HOME", config.path())
        .args(["show", "isometric", "--json"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(doc["blocks"][0]["hold_s"], 30.0);
}

#[test]
fn completions_are_printed_for_bash() {
    reptempo()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("_reptempo()"));
}

#[test]
fn output_into_a_closed_pipe_is_not_an_error() {
    // `show hsr | head -1`: the reader goes away; no panic, no error message.
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "{} show hsr --json | head -c 1 >/dev/null",
            assert_cmd::cargo::cargo_bin("reptempo").display()
        ))
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}
