//! Records and advice a physio can trust, through the binary: values that cannot be
//! true are skipped naming the line and the field, previews never count, the pain light
//! names the score that decides it, and the programme week follows the sessions done.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::{Value, json};

fn today() -> jiff::civil::Date {
    jiff::ZonedDateTime::now().date()
}

fn days_ago(n: i64) -> jiff::civil::Date {
    today() - jiff::Span::new().days(n)
}

/// A set line as reptempo writes it, on `day` at 18:00 UTC; `extra` replaces fields.
fn set(day: jiff::civil::Date, exercise: &str, n: u32, extra: &Value) -> String {
    let start = format!("{day}T18:00:00.000+00:00");
    let mut v = json!({
        "kind": "set", "v": 1, "start": start, "end": start, "preset": "hsr",
        "exercise": exercise, "side": "both", "set": n, "sets": 4, "planned_reps": 8,
        "done_reps": 8, "hold_s": null, "tempo": "3-0-3-0", "tut_s": 48.0,
        "load": {"value": 80.0, "unit": "kg"}, "pain": null, "rpe": null, "note": null,
        "status": "done", "session": start,
    });
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    v.to_string()
}

fn write_log(dir: &Path, lines: &[String]) -> PathBuf {
    let path = dir.join("sets.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

fn reptempo(log: &Path) -> Command {
    let mut cmd = common::reptempo_logging_to(log);
    cmd.env("NO_COLOR", "1");
    cmd
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn each_value_that_cannot_be_true_is_skipped_naming_its_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let day = days_ago(1);
    let tomorrow = days_ago(-1);
    let log = write_log(
        dir.path(),
        &[
            set(day, "Squat", 1, &json!({})),
            set(day, "Squat", 2, &json!({"pain": 200})),
            set(day, "Squat", 3, &json!({"rpe": 11})),
            set(
                day,
                "Squat",
                4,
                &json!({"load": {"value": 1e308, "unit": "kg"}}),
            ),
            set(day, "Squat", 1, &json!({"sets": 0})),
            set(day, "Squat", 5, &json!({})),
            set(tomorrow, "Squat", 1, &json!({})),
            set(day, "Squat", 1, &json!({"start": "last Tuesday"})),
        ],
    );
    let out = reptempo(&log).args(["log", "--jsonl"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 1);
    let stderr = String::from_utf8(out.stderr).unwrap();
    let file = log.display();
    for expected in [
        format!("{file}:2: skipped: pain 200 is not 0-10"),
        format!("{file}:3: skipped: rpe 11 is not 0-10"),
        format!("{file}:4: skipped: load 1e308 is not 0-10000 kg"),
        format!("{file}:5: skipped: sets 0 is not 1 or more"),
        format!("{file}:6: skipped: set 5 is not 1-4 (sets 4)"),
        format!("{file}:7: skipped: start {tomorrow}T18:00:00.000+00:00 is in the future"),
        format!("{file}:8: skipped: start \"last Tuesday\" is not an RFC 3339 time"),
    ] {
        assert!(stderr.contains(&expected), "{expected}\nin\n{stderr}");
    }
    assert_eq!(stderr.lines().count(), 7, "{stderr}");
    // A damaged load never reaches the sums.
    let stats = stdout(reptempo(&log).arg("stats"));
    assert!(
        stats.contains("640kg") && !stats.contains("0000000000"),
        "{stats}"
    );
}

#[test]
fn a_painful_set_turns_the_light_red_though_a_later_session_has_no_score() {
    let dir = tempfile::tempdir().unwrap();
    let painful = days_ago(3);
    let log = write_log(
        dir.path(),
        &[
            set(painful, "Squat", 1, &json!({"pain": 2})),
            set(painful, "Squat", 3, &json!({"pain": 6})),
            set(days_ago(1), "Squat", 1, &json!({})),
            set(days_ago(1), "Squat", 2, &json!({})),
        ],
    );
    let text = stdout(reptempo(&log).arg("stats"));
    assert!(
        text.contains(&format!(
            "● RED: pain 6/10 during Squat set 3 on {painful} is above the 5/10 the model allows: reduce the load"
        )),
        "{text}"
    );
    assert!(text.contains("Achilles"), "the caveat is shown: {text}");
    let doc: Value =
        serde_json::from_str(&stdout(reptempo(&log).args(["stats", "--json"]))).unwrap();
    let v = &doc["verdict"];
    assert_eq!(v["light"], "red");
    assert!(v["source"].as_str().unwrap().contains("Silbernagel"));
    assert!(v["caveat"].as_str().unwrap().contains("RCT"));
    assert_eq!(
        v["deciding"],
        json!({"kind": "set", "date": painful.to_string(), "exercise": "Squat", "set": 3, "score": 6})
    );
}

#[test]
fn a_preview_does_not_count_in_stats_but_is_listed() {
    let dir = tempfile::tempdir().unwrap();
    let log = write_log(
        dir.path(),
        &[
            set(days_ago(2), "Squat", 1, &json!({"pain": 2})),
            set(days_ago(1), "Squat", 1, &json!({"speed": 10.0, "pain": 9})),
        ],
    );
    let doc: Value =
        serde_json::from_str(&stdout(reptempo(&log).args(["stats", "--json"]))).unwrap();
    let sets: u64 = doc["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["sets"].as_u64().unwrap())
        .sum();
    assert_eq!(sets, 1);
    assert_eq!(doc["verdict"]["light"], "green");
    let listed = stdout(reptempo(&log).args(["log", "--jsonl"]));
    assert_eq!(listed.lines().count(), 2);
}

/// Six weeks of HSR, three whole sessions (3 exercises x 4 sets) each, with a calendar
/// week missed after week 3; the last session was `last_ago` days ago.
fn six_hsr_weeks_with_a_missed_week(last_ago: i64) -> Vec<String> {
    let mut offsets: Vec<i64> = (0..6)
        .flat_map(|w: i64| {
            let calendar = if w >= 3 { w + 1 } else { w };
            (0..3).map(move |s: i64| calendar * 7 + s * 2)
        })
        .collect();
    let last = *offsets.last().unwrap();
    for o in &mut offsets {
        *o = last - *o + last_ago;
    }
    offsets
        .iter()
        .flat_map(|&ago| {
            ["Bilateral squat", "Hack squat", "Leg press"]
                .into_iter()
                .flat_map(move |e| (1..=4).map(move |n| set(days_ago(ago), e, n, &json!({}))))
        })
        .collect()
}

#[test]
fn show_puts_six_completed_weeks_and_a_missed_week_in_week_7() {
    let dir = tempfile::tempdir().unwrap();
    let log = write_log(dir.path(), &six_hsr_weeks_with_a_missed_week(2));
    let text = stdout(reptempo(&log).args(["show", "hsr"]));
    assert!(
        text.contains("week 7 of 12 (from the log: week 6 done (3 of 3 sessions complete"),
        "{text}"
    );
    let doc: Value =
        serde_json::from_str(&stdout(reptempo(&log).args(["show", "hsr", "--json"]))).unwrap();
    assert_eq!(doc["week"], 7);
}

#[test]
fn start_says_the_week_the_log_chose_and_after_a_break_suggests_repeating_the_last() {
    let dir = tempfile::tempdir().unwrap();
    let log = write_log(dir.path(), &six_hsr_weeks_with_a_missed_week(20));
    let before = std::fs::read(&log).unwrap();
    // A preview: it reads the log for the week and writes nothing to it.
    let out = reptempo(&log)
        .args([
            "start",
            "hsr",
            "--plain",
            "--no-audio",
            "--clock",
            "fake",
            "--speed",
            "100",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    let said: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("week 7 of 12"))
        .collect();
    assert_eq!(said.len(), 1, "{stderr}");
    assert!(
        said[0].starts_with(
            "reptempo: hsr week 7 of 12 (from the log: week 6 done (3 of 3 sessions complete"
        ) && said[0].contains("last hsr session 20 days ago: consider repeating week 6 (--week 6)"),
        "{stderr}"
    );
    let first = String::from_utf8(out.stdout).unwrap();
    assert!(
        first.starts_with("00:00.000  start     hsr week 7 of 12"),
        "{first}"
    );
    assert_eq!(std::fs::read(&log).unwrap(), before);
    // --week decides, and then nothing is said about the log's week.
    let out = reptempo(&log)
        .args([
            "start",
            "hsr",
            "--week",
            "6",
            "--plain",
            "--no-audio",
            "--clock",
            "fake",
            "--speed",
            "100",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8(out.stderr).unwrap().is_empty());
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("00:00.000  start     hsr week 6 of 12")
    );
    // The display, 80 columns across the room, has one line for it: the short form,
    // whole, until the first set.
    let command = format!(
        "env XDG_CONFIG_HOME=/nonexistent NO_COLOR=1 {} start hsr --no-audio --speed 2 --lead-in 60s --log {}; sleep 30",
        assert_cmd::cargo::cargo_bin("reptempo").display(),
        log.display()
    );
    let Some(tmux) = common::tmux::Tmux::start("week", &command) else {
        return;
    };
    let screen = tmux.wait_for("repeat week 6?");
    assert!(
        screen.contains(
            "hsr week 7 of 12 · 20 days since the last session: repeat week 6? (--week 6)"
        ),
        "{screen}"
    );
}

#[test]
fn a_log_that_is_not_a_regular_file_is_refused_at_once() {
    let out = reptempo(Path::new("/dev/zero"))
        .arg("stats")
        .timeout(std::time::Duration::from_secs(10))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "reptempo: the log /dev/zero is not a regular file\n"
    );
}

#[test]
fn a_hand_made_bad_advice_line_is_skipped_naming_its_line_and_never_listed() {
    let dir = tempfile::tempdir().unwrap();
    let day = days_ago(1);
    let advice = |extra: &Value| {
        let mut v = json!({
            "kind": "advice", "v": 1, "at": format!("{day}T19:00:00.000+00:00"),
            "from": "session", "preset": "hsr", "week": null, "exercise": "Squat",
            "side": "both", "decision": "hold", "change": null,
            "load": {"value": 80.0, "unit": "kg"}, "stage": null,
            "reason": "all sets done", "rule": "otherwise", "source": "ours",
        });
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        v.to_string()
    };
    let log = write_log(
        dir.path(),
        &[
            set(day, "Squat", 1, &json!({})),
            advice(&json!({})),
            advice(&json!({"decision": "triple it", "exercise": "Bad one"})),
            advice(&json!({"load": {"value": 1e308, "unit": "kg"}, "exercise": "Bad two"})),
        ],
    );
    let out = reptempo(&log).arg("stats").output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    let file = log.display();
    assert_eq!(
        stderr,
        format!(
            "reptempo: {file}:3: skipped: decision \"triple it\" is not one of progress, hold, regress, stage\n\
             reptempo: {file}:4: skipped: load 1e308 is not 0-10000 kg\n"
        )
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let (_, listed) = text.split_once("decisions recorded").unwrap();
    assert!(
        listed.contains("Squat") && !listed.contains("Bad"),
        "{listed}"
    );
    assert_eq!(listed.lines().count(), 3, "{listed}");
}
