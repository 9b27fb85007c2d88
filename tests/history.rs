//! `log` and `stats` through the binary on fixture logs: filters, CSV quoting, JSON round
//! trip, ISO weeks in the person's own time zone, the traffic light, damaged lines, and
//! the program week that follows the log.

mod common;

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn set(start: &str, session: &str, exercise: &str, pain: Option<u8>, note: Option<&str>) -> String {
    serde_json::json!({
        "kind": "set", "v": 1, "start": start, "end": start, "preset": "hsr", "exercise": exercise,
        "side": "both", "set": 1, "sets": 4, "planned_reps": 6, "done_reps": 6, "hold_s": null,
        "tempo": "3-0-3-0", "tut_s": 36.0, "load": {"value": 80.0, "unit": "kg"}, "pain": pain,
        "rpe": null, "note": note, "status": "done", "session": session,
    })
    .to_string()
}

fn morning(at: &str, pain: u8) -> String {
    serde_json::json!({"kind": "pain", "v": 1, "at": at, "pain": pain, "note": null}).to_string()
}

fn write_log(dir: &Path, lines: &[String], tail: &str) -> std::path::PathBuf {
    let path = dir.join("sets.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n" + tail).unwrap();
    path
}

fn reptempo(log: &Path) -> Command {
    common::reptempo_logging_to(log)
}

fn fixture(dir: &Path) -> std::path::PathBuf {
    write_log(
        dir,
        &[
            // Sunday night at +02:00: still ISO week 44 where the person is.
            set(
                "2026-11-01T23:30:00.000+02:00",
                "a",
                "Bilateral squat",
                Some(2),
                None,
            ),
            set(
                "2026-11-03T18:00:00.000+01:00",
                "b",
                "Bilateral squat",
                Some(3),
                Some("felt, \"heavy\"\nbut fine"),
            ),
            set(
                "2026-11-03T18:10:00.000+01:00",
                "b",
                "Leg press",
                None,
                None,
            ),
            morning("2026-11-04T07:00:00.000+01:00", 1),
        ],
        "",
    )
}

#[test]
fn log_filters_and_writes_csv_that_a_spreadsheet_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let log = fixture(dir.path());
    let out = reptempo(&log).args(["log", "--csv"]).output().unwrap();
    assert!(out.status.success());
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "kind");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4);
    let note = headers.iter().position(|h| h == "note").unwrap();
    assert_eq!(&rows[1][note], "felt, \"heavy\"\nbut fine");
    let only = reptempo(&log)
        .args(["log", "--csv", "--exercise", "press"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(only.stdout).unwrap().lines().count(), 2);
    let since = reptempo(&log)
        .args(["log", "--jsonl", "--since", "2026-11-03"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(since.stdout).unwrap().lines().count(), 3);
    let table = String::from_utf8(reptempo(&log).arg("log").output().unwrap().stdout).unwrap();
    assert!(table.lines().next().unwrap().starts_with("date"), "{table}");
    assert!(table.contains("morning pain"), "{table}");
}

#[test]
fn log_json_round_trips_the_records() {
    let dir = tempfile::tempdir().unwrap();
    let log = fixture(dir.path());
    let out = reptempo(&log).args(["log", "--json"]).output().unwrap();
    let array: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let original: Vec<Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(array.len(), original.len());
    for (a, b) in array.iter().zip(&original) {
        for (key, value) in b.as_object().unwrap() {
            assert_eq!(&a[key], value, "{key}");
        }
    }
}

#[test]
fn stats_sums_by_iso_week_in_the_local_day() {
    let dir = tempfile::tempdir().unwrap();
    let log = fixture(dir.path());
    let out = reptempo(&log).args(["stats", "--json"]).output().unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let weeks = doc["weeks"].as_array().unwrap();
    assert_eq!(weeks.len(), 2);
    assert_eq!(
        (weeks[0]["week"].as_str(), weeks[0]["sets"].as_u64()),
        (Some("2026-W44"), Some(1))
    );
    assert_eq!(
        (weeks[1]["week"].as_str(), weeks[1]["sets"].as_u64()),
        (Some("2026-W45"), Some(2))
    );
    assert_eq!(weeks[1]["volume_kg"], 960.0);
    assert_eq!(weeks[1]["morning_pain"], 1.0);
    let text = String::from_utf8(reptempo(&log).arg("stats").output().unwrap().stdout).unwrap();
    assert!(text.contains("2026-W45") && text.contains('█'), "{text}");
    // The fixture's scores are older than the light's seven days.
    assert!(text.contains("no pain scores in the last 7 days"), "{text}");
}

#[test]
fn the_traffic_light_turns_amber_and_red() {
    // The light reads the last seven days: the records are dated from today.
    let today: jiff::civil::Date = jiff::ZonedDateTime::now().date();
    let yesterday = today - jiff::Span::new().days(1);
    let dir = tempfile::tempdir().unwrap();
    let amber = write_log(
        dir.path(),
        &[
            set(
                &format!("{yesterday}T18:00:00.000+00:00"),
                "b",
                "Squat",
                Some(2),
                None,
            ),
            morning(&format!("{today}T00:01:00.000+00:00"), 4),
        ],
        "",
    );
    let out = String::from_utf8(reptempo(&amber).arg("stats").output().unwrap().stdout).unwrap();
    assert!(out.contains("● AMBER: morning pain 4/10"), "{out}");
    let red = write_log(
        dir.path(),
        &[set(
            &format!("{yesterday}T18:00:00.000+00:00"),
            "b",
            "Squat",
            Some(7),
            None,
        )],
        "",
    );
    let out = String::from_utf8(reptempo(&red).arg("stats").output().unwrap().stdout).unwrap();
    assert!(
        out.contains(&format!(
            "● RED: pain 7/10 during Squat set 1 on {yesterday}"
        )),
        "{out}"
    );
}

#[test]
fn damaged_lines_are_named_once_and_the_file_is_not_touched() {
    let dir = tempfile::tempdir().unwrap();
    let newer = r#"{"v":2,"kind":"set","future":true}"#;
    let log = write_log(
        dir.path(),
        &[
            set("2026-11-03T18:00:00.000+01:00", "b", "Squat", Some(2), None),
            String::new(),
            "this is not json".to_owned(),
            newer.to_owned(),
            set("2026-11-05T18:00:00.000+01:00", "c", "Squat", Some(2), None),
        ],
        "{\"kind\":\"set\",\"v\":1,\"start\":\"2026-11-0",
    );
    let before = std::fs::read(&log).unwrap();
    let out = reptempo(&log).args(["log", "--jsonl"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 2);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("sets.jsonl:3: skipped: not JSON"),
        "{stderr}"
    );
    assert!(
        stderr.contains("sets.jsonl:6: skipped an incomplete last line"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 lines of a newer format are not shown"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 3, "{stderr}");
    assert_eq!(std::fs::read(&log).unwrap(), before);
    let missing = reptempo(&dir.path().join("none.jsonl"))
        .arg("stats")
        .output()
        .unwrap();
    assert!(missing.status.success());
}

#[test]
fn show_without_week_follows_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("none.jsonl");
    let week = |log: &Path| {
        let out = reptempo(log)
            .args(["show", "hsr", "--json"])
            .output()
            .unwrap();
        serde_json::from_slice::<Value>(&out.stdout).unwrap()["week"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(week(&empty), 1);
    // Eight whole sessions (3 exercises x 4 sets each) from 20 days ago, three a week
    // as hsr asks: weeks 1 and 2 are done, week 3 has two.
    let today: jiff::civil::Date = jiff::ZonedDateTime::now().date();
    let lines: Vec<String> = (0..8)
        .flat_map(|i| {
            let day = today - jiff::Span::new().days(20 - i64::from(i) * 2);
            ["Bilateral squat", "Hack squat", "Leg press"]
                .into_iter()
                .flat_map(move |exercise| {
                    (1..=4).map(move |n| {
                        let mut v: Value = serde_json::from_str(&set(
                            &format!("{day}T18:00:00.000+00:00"),
                            &format!("s{i}"),
                            exercise,
                            Some(2),
                            None,
                        ))
                        .unwrap();
                        v["set"] = n.into();
                        v.to_string()
                    })
                })
        })
        .collect();
    let log = write_log(dir.path(), &lines, "");
    assert_eq!(week(&log), 3);
    let text = String::from_utf8(
        reptempo(&log)
            .args(["show", "hsr"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        text.contains("week 3 of 12 (from the log: week 3: 2 of 3 sessions complete"),
        "{text}"
    );
}
