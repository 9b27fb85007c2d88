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

// ---- decisions as data: advice records in the log ----

/// Today on the local clock, as the binary reads it.
fn today() -> jiff::civil::Date {
    jiff::ZonedDateTime::now().date()
}

fn days_ago(n: i64) -> String {
    (today() - jiff::Span::new().days(n)).to_string()
}

fn morning(date: &str, pain: u8) -> String {
    json!({"kind": "pain", "v": 1, "at": format!("{date}T07:00:00+01:00"), "pain": pain, "note": null})
        .to_string()
}

fn run_ok(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn kinds(log: &Path) -> Vec<String> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

fn small_session(log: &Path, extra: &[&str]) -> std::process::Output {
    run_ok(
        reptempo(log)
            .args([
                "start",
                "tests/fixtures/small.toml",
                "--plain",
                "--no-audio",
                "--clock",
                "fake",
            ])
            .args(extra),
    )
}

#[test]
fn a_session_that_logged_training_appends_its_advice_and_a_preview_or_no_log_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("sets.jsonl");
    let out = small_session(&log, &[]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("small next:"), "{stdout}");
    assert_eq!(kinds(&log), ["set", "set", "advice"]);
    let lines: Vec<Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let advice = &lines[2];
    assert_eq!(
        (
            &advice["v"],
            &advice["from"],
            &advice["preset"],
            &advice["exercise"],
            &advice["side"],
            &advice["decision"],
        ),
        (
            &json!(1),
            &json!("session"),
            &json!("small"),
            &json!("Squat"),
            &json!("both"),
            &json!("hold")
        )
    );
    assert_eq!(advice["load"], json!({"value": 40.0, "unit": "kg"}));
    assert_eq!(advice["rule"], "no rule applied");
    assert!(advice["reason"].as_str().unwrap().contains("keep 40kg"));
    for key in ["at", "week", "change", "stage", "source"] {
        assert!(advice.get(key).is_some(), "{key} missing from {advice}");
    }
    // The log holds exactly what it held plus the advice: nothing rewritten.
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&log).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);

    // A preview logged on purpose writes its sets, marked, and no advice.
    let preview = dir.path().join("preview.jsonl");
    small_session(
        &preview,
        &["--speed", "10", "--log", preview.to_str().unwrap()],
    );
    assert_eq!(kinds(&preview), ["set", "set"]);
    // --no-log writes nothing at all; --no-advice writes the sets only.
    let none = dir.path().join("none.jsonl");
    small_session(&none, &["--no-log"]);
    assert!(!none.exists());
    let quiet = dir.path().join("quiet.jsonl");
    small_session(&quiet, &["--no-advice"]);
    assert_eq!(kinds(&quiet), ["set", "set"]);
    // A session stopped in its lead-in did nothing to advise on: the coach says
    // nothing, though the log holds earlier training to advise from.
    let out = small_session(&log, &["--lead-in", "5s", "--script", "1s:stop"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains("small next:"), "{stdout}");
    assert_eq!(kinds(&log), ["set", "set", "advice"]);
    // A session started at 1x whose every set ran faster wrote previews, not training:
    // no advice either, though the log holds training to advise from.
    let out = small_session(&log, &["--script", "0s:faster"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains("small next:"), "{stdout}");
    assert_eq!(kinds(&log), ["set", "set", "advice", "set", "set"]);
}

#[test]
fn next_record_appends_each_decision_as_advice() {
    let dir = tempfile::tempdir().unwrap();
    let log = write_log(
        dir.path(),
        &[
            session("2026-11-20", "Bilateral squat", &json!({"pain": 1})),
            session("2026-11-20", "Hack squat", &json!({"pain": 1, "rpe": 9.0})),
        ],
    );
    let printed = next_json(&log, &["hsr", "--record"]);
    let lines: Vec<Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .skip(8)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    for (record, decision) in lines.iter().zip(printed["exercises"].as_array().unwrap()) {
        assert_eq!(record["kind"], "advice");
        assert_eq!(record["from"], "next");
        assert_eq!(record["week"], printed["week"]);
        for key in [
            "exercise", "side", "decision", "change", "load", "stage", "reason", "rule", "source",
        ] {
            assert_eq!(record[key], decision[key], "{key}");
        }
    }
    assert_eq!(lines[0]["decision"], "progress");
    assert_eq!(lines[1]["decision"], "hold");
}

/// A log of two weeks of HSR training with morning scores, and `advice` lines that
/// say everything the sets do not: other loads, other exercises, other weeks.
fn counted_log(dir: &Path, with_advice: bool) -> PathBuf {
    let mut lines = vec![
        session(&days_ago(9), "Bilateral squat", &json!({"week": 1})),
        session(&days_ago(2), "Bilateral squat", &json!({"pain": 3})),
        session(&days_ago(2), "Hack squat", &json!({"pain": 1})),
        vec![morning(&days_ago(8), 2), morning(&days_ago(1), 2)],
    ];
    if with_advice {
        let advice = |date: &str, exercise: &str, decision: &str| {
            json!({
                "kind": "advice", "v": 1, "at": format!("{date}T19:00:00+01:00"),
                "from": "session", "preset": "hsr", "week": 5, "exercise": exercise,
                "side": "both", "decision": decision, "change": "+5%",
                "load": {"value": 999.0, "unit": "kg"}, "stage": null,
                "reason": "pain 9/10", "rule": "r", "source": "s",
            })
            .to_string()
        };
        lines.push(vec![
            advice(&days_ago(9), "Bilateral squat", "progress"),
            advice(&days_ago(2), "Leg press", "regress"),
            advice(&days_ago(1), "Hack squat", "stage"),
        ]);
    }
    let path = dir.join(if with_advice {
        "with.jsonl"
    } else {
        "without.jsonl"
    });
    std::fs::write(&path, lines.concat().join("\n") + "\n").unwrap();
    path
}

fn output(log: &Path, args: &[&str]) -> String {
    String::from_utf8(run_ok(reptempo(log).env("NO_COLOR", "1").args(args)).stdout).unwrap()
}

#[test]
fn advice_records_change_no_sum_no_week_no_light_and_no_decision() {
    let dir = tempfile::tempdir().unwrap();
    let without = counted_log(dir.path(), false);
    let with = counted_log(dir.path(), true);
    let today = today().to_string();
    let stats =
        |log: &Path| -> Value { serde_json::from_str(&output(log, &["stats", "--json"])).unwrap() };
    let (a, b) = (stats(&without), stats(&with));
    assert_eq!(a["weeks"], b["weeks"]);
    assert_eq!(a["verdict"], b["verdict"]);
    assert_eq!(a["decisions"], json!([]));
    assert_eq!(b["decisions"].as_array().unwrap().len(), 3);
    for args in [
        vec!["next", "hsr", "--json", "--today", &today],
        vec!["show", "hsr", "--json"],
    ] {
        assert_eq!(output(&without, &args), output(&with, &args), "{args:?}");
    }
    // The advice says 999 kg and week 5: neither is what the sets say.
    let next: Value = serde_json::from_str(&output(
        &with,
        &["next", "hsr", "--json", "--today", &today],
    ))
    .unwrap();
    assert_eq!(next["week"], 2);
    assert_eq!(next["exercises"].as_array().unwrap().len(), 2);
    assert_eq!(
        next["exercises"][0]["load"],
        json!({"value": 105.0, "unit": "kg"})
    );
}

#[test]
fn stats_lists_the_decisions_and_log_shows_them_as_advice_but_csv_leaves_them_out() {
    let dir = tempfile::tempdir().unwrap();
    let with = counted_log(dir.path(), true);
    let text = output(&with, &["stats"]);
    let (_, listed) = text
        .split_once("\ndecisions recorded (what was advised, not what was done)\n")
        .unwrap_or_else(|| panic!("{text}"));
    let rows: Vec<&str> = listed.lines().collect();
    assert!(rows[0].starts_with("week"), "{listed}");
    assert_eq!(rows.len(), 4, "{listed}");
    assert!(
        rows[1].contains(&days_ago(9))
            && rows[1].contains("after session")
            && rows[1].contains("Bilateral squat")
            && rows[1].contains("progress")
            && rows[1].contains("+5%"),
        "{listed}"
    );
    assert!(
        rows[3].contains("Hack squat") && rows[3].contains("stage"),
        "{listed}"
    );
    // --exercise narrows the decisions as it narrows the sets.
    let narrowed = output(&with, &["stats", "--exercise", "leg"]);
    let (_, listed) = narrowed.split_once("decisions recorded").unwrap();
    assert_eq!(listed.lines().count(), 3, "{narrowed}");
    assert!(
        listed.contains("Leg press") && !listed.contains("squat"),
        "{narrowed}"
    );

    let table = output(&with, &["log"]);
    assert_eq!(
        table.lines().filter(|l| l.contains("advice: ")).count(),
        3,
        "{table}"
    );
    assert!(table.contains("advice: regress +5% (r)"), "{table}");
    let out = run_ok(reptempo(&with).args(["log", "--csv"]));
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(!csv.contains("advice"), "{csv}");
    assert_eq!(csv.lines().count(), 1 + 12 + 2, "{csv}");
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("3 advice records are not in the CSV"),
    );
}

#[test]
fn rising_morning_pain_makes_the_light_red_and_the_coach_regress_alike() {
    let dir = tempfile::tempdir().unwrap();
    // Every set done at RPE 6 and pain 1 would progress; morning pain rose from 1/10
    // last week to 3/10 this week, each morning within 5/10.
    let log = write_log(
        dir.path(),
        &[
            session(&days_ago(9), "Bilateral squat", &json!({"pain": 1})),
            session(&days_ago(2), "Bilateral squat", &json!({"pain": 1})),
            vec![morning(&days_ago(8), 1), morning(&days_ago(1), 3)],
        ],
    );
    let stats: Value = serde_json::from_str(&output(&log, &["stats", "--json"])).unwrap();
    let verdict = &stats["verdict"];
    assert_eq!(verdict["light"], "red", "{verdict}");
    let reason = verdict["reason"].as_str().unwrap();
    assert!(
        reason.contains("up from 1.0/10") && reason.ends_with("reduce the load"),
        "{reason}"
    );
    let next: Value = serde_json::from_str(&output(
        &log,
        &["next", "hsr", "--json", "--today", &today().to_string()],
    ))
    .unwrap();
    let squat = &next["exercises"][0];
    assert_eq!(
        (&squat["decision"], &squat["change"], &squat["rule"]),
        (
            &json!("regress"),
            &json!("-10%"),
            &json!("morning pain rising week on week")
        ),
        "{squat}"
    );
}
