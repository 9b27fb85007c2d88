//! The coach through the binary: `next --json` on a fixture log keeps its contract,
//! `next` without a preset advises on the latest one, and `check` reports a bad rule at
//! its file, line and column.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::{Value, json};

fn set(date: &str, exercise: &str, set: u32, extra: &Value) -> String {
    let start = format!("{date}T18:00:00+01:00");
    let mut v = json!({
        "kind": "set", "v": 1, "start": start, "end": start, "preset": "hsr",
        "exercise": exercise, "side": "both", "set": set, "sets": 4, "planned_reps": 12,
        "done_reps": 12, "hold_s": null, "tempo": "3-0-3-0", "tut_s": 72.0,
        "load": {"value": 100.0, "unit": "kg"}, "pain": 2, "rpe": 6.0, "note": null,
        "status": "done", "session": start, "week": 2, "target": "12RM",
    });
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    v.to_string()
}

fn session(date: &str, exercise: &str, extra: &Value) -> Vec<String> {
    (1..=4).map(|n| set(date, exercise, n, extra)).collect()
}

fn write_log(dir: &Path, lines: &[Vec<String>]) -> PathBuf {
    let path = dir.join("sets.jsonl");
    std::fs::write(&path, lines.concat().join("\n") + "\n").unwrap();
    path
}

fn reptempo(log: &Path) -> Command {
    let mut cmd = Command::cargo_bin("reptempo").unwrap();
    cmd.env("XDG_CONFIG_HOME", "/nonexistent")
        .env("REPTEMPO_LOG", log);
    cmd
}

fn next_json(log: &Path, args: &[&str]) -> Value {
    let out = reptempo(log)
        .arg("next")
        .args(args)
        .args(["--json", "--today", "2026-11-21"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn next_hsr_json_gives_each_exercise_its_decision_rule_and_source() {
    let dir = tempfile::tempdir().unwrap();
    let log = write_log(
        dir.path(),
        &[
            session("2026-11-20", "Bilateral squat", &json!({})),
            session("2026-11-20", "Hack squat", &json!({"pain": 6})),
            session(
                "2026-11-20",
                "Leg press",
                &json!({"rpe": 9.0, "load": {"value": 150.0, "unit": "kg"}}),
            ),
            // A preview never counts, however painful.
            session(
                "2026-11-20",
                "Leg press",
                &json!({"speed": 10.0, "pain": 9}),
            ),
        ],
    );
    let doc = next_json(&log, &["hsr"]);
    assert_eq!(doc["preset"], "hsr");
    assert_eq!(doc["week"], 2);
    let exercises = doc["exercises"].as_array().unwrap();
    let names: Vec<&str> = exercises
        .iter()
        .map(|e| e["exercise"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Bilateral squat", "Hack squat", "Leg press"]);
    for e in exercises {
        let keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
        for key in [
            "exercise", "side", "decision", "change", "load", "stage", "reason", "rule", "source",
            "caveat",
        ] {
            assert!(keys.contains(&key), "{key} missing from {e}");
        }
        assert_eq!(e["side"], "both");
        assert!(e["source"].as_str().unwrap().contains("doi:10."), "{e}");
        assert!(!e["caveat"].as_str().unwrap().is_empty(), "{e}");
    }
    // Hack squat hurt above 5/10: it regresses by its rule, and the red light holds the
    // other exercises back from the progression their own sets would earn.
    let hack = &exercises[1];
    assert_eq!(
        (&hack["decision"], &hack["change"], &hack["rule"]),
        (
            &json!("regress"),
            &json!("-10%"),
            &json!("pain during exercise above 5/10")
        )
    );
    assert_eq!(hack["load"], json!({"value": 90.0, "unit": "kg"}));
    assert_eq!(hack["stage"], Value::Null);
    let squat = &exercises[0];
    assert_eq!(squat["decision"], "regress");
    assert_eq!(squat["rule"], "pain-monitoring model (run-time limit)");
    assert!(
        squat["reason"]
            .as_str()
            .unwrap()
            .contains("pain 6/10 during Hack squat set"),
        "{squat}"
    );
    // RPE 9 earns nothing; holding is not an increase, so it stands.
    let press = &exercises[2];
    assert_eq!(press["decision"], "hold");
    assert_eq!(press["change"], Value::Null);
    assert_eq!(press["load"], json!({"value": 150.0, "unit": "kg"}));
    assert_eq!(press["rule"], "otherwise: keep everything as it is");
}

#[test]
fn next_without_pain_progresses_and_without_a_preset_reads_the_latest() {
    let dir = tempfile::tempdir().unwrap();
    let log = write_log(
        dir.path(),
        &[session(
            "2026-11-20",
            "Bilateral squat",
            &json!({"pain": 1, "rpe": 6.0}),
        )],
    );
    let doc = next_json(&log, &[]);
    assert_eq!(doc["preset"], "hsr");
    let squat = &doc["exercises"][0];
    assert_eq!(
        (&squat["decision"], &squat["change"], &squat["load"]),
        (
            &json!("progress"),
            &json!("+5%"),
            &json!({"value": 105.0, "unit": "kg"})
        )
    );
    assert!(
        squat["caveat"]
            .as_str()
            .unwrap()
            .starts_with("extrapolation"),
        "{squat}"
    );
    let text = reptempo(&log)
        .args(["next", "--today", "2026-11-21"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.starts_with("hsr next: week 2\n"), "{text}");
    assert!(
        text.contains("\nBilateral squat: PROGRESS +5% -> 105 kg\n"),
        "{text}"
    );
    assert!(
        text.contains("  rule: every set reached its target reps"),
        "{text}"
    );
}

#[test]
fn next_on_an_empty_log_says_there_is_nothing_to_advise() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("none.jsonl");
    let doc = next_json(&log, &[]);
    assert_eq!(doc, json!({"preset": null, "week": null, "exercises": []}));
    let doc = next_json(&log, &["isometric"]);
    assert_eq!(doc["exercises"], json!([]));
}

#[test]
fn check_reports_a_bad_rule_at_its_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(
        &path,
        "id = \"bad\"\nname = \"Bad\"\nsource = \"S 2020\"\n\n[[block]]\nexercise = \"Squat\"\n\
         reps = 8\ntempo = \"3-0-3-0\"\nsets = 3\n\n[[rule]]\nname = \"more\"\nsource = \"me\"\n\
         when = { all_sets_done = true, rpe_at_most = 7 }\nthen = { load = \"+2.5kg\" }\n\n\
         [[rule]]\nname = \"typo\"\nsource = \"me\"\nwhen = { pain_during_above = 5 }\n\
         then = { load = \"10%\" }\n",
    )
    .unwrap();
    let out = Command::cargo_bin("reptempo")
        .unwrap()
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .arg("check")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    let shown = path.display().to_string();
    assert_eq!(lines.len(), 4, "{stderr}");
    for (line, at) in lines.iter().zip(["15:8", "15:8", "15:8", "21:17"]) {
        assert!(line.starts_with(&format!("{shown}:{at}: ")), "{line}");
    }
    assert!(
        lines[0].ends_with(
            "rule 1 (\"more\") increases but could apply with pain during a set above 5/10: put a rule with only `when = { pain_during_above = 5 }` and an action that does not increase before it, or add `pain_during_at_most = 5` to its `when`"
        ),
        "{stderr}"
    );
    assert!(
        lines[3].contains("load change \"10%\" is not a change"),
        "{stderr}"
    );
}

#[test]
fn the_built_in_presets_pass_check_with_their_rules() {
    let files: Vec<PathBuf> = std::fs::read_dir("presets")
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let out = Command::cargo_bin("reptempo")
        .unwrap()
        .arg("check")
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
