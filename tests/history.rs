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

/// One session of two exercises (the second on the left side, in pounds, stopped
/// early), a preview at twice the speed, and a morning score.
fn app_fixture(dir: &Path) -> std::path::PathBuf {
    let session = "2026-11-03T17:58:30.000+01:00";
    let mut first = serde_json::from_str::<Value>(&set(
        "2026-11-03T18:00:00.000+01:00",
        session,
        "Bilateral squat",
        Some(2),
        None,
    ))
    .unwrap();
    first["end"] = "2026-11-03T18:00:40.000+01:00".into();
    first["week"] = 3.into();
    first["rpe"] = 7.5.into();
    let mut second = first.clone();
    second["start"] = "2026-11-03T18:02:10.000+01:00".into();
    second["end"] = "2026-11-03T18:02:50.000+01:00".into();
    second["set"] = 2.into();
    second["pain"] = Value::Null;
    second["rpe"] = Value::Null;
    let mut hold = first.clone();
    hold["start"] = "2026-11-03T18:05:00.000+01:00".into();
    hold["end"] = "2026-11-03T19:05:00.000+01:00".into();
    hold["exercise"] = "=Split squat".into();
    hold["side"] = "left".into();
    hold["planned_reps"] = Value::Null;
    hold["done_reps"] = Value::Null;
    hold["tempo"] = Value::Null;
    hold["hold_s"] = 29.6.into();
    hold["tut_s"] = 29.6.into();
    hold["load"] = serde_json::json!({"value": 135.0, "unit": "lb"});
    hold["target"] = "70%MVC".into();
    hold["status"] = "stopped".into();
    hold["note"] = "+wobbly, \"knee\"".into();
    let mut preview = first.clone();
    preview["speed"] = 2.0.into();
    preview["session"] = "2026-11-04T10:00:00.000+01:00".into();
    write_log(
        dir,
        &[
            first.to_string(),
            second.to_string(),
            hold.to_string(),
            preview.to_string(),
            morning("2026-11-04T07:00:00.000+01:00", 1),
        ],
        "",
    )
}

#[test]
fn csv_profile_strong_writes_strongs_columns() {
    let dir = tempfile::tempdir().unwrap();
    let log = app_fixture(dir.path());
    let out = reptempo(&log)
        .args(["log", "--csv-profile", "strong"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    // The session ran 17:58:30 to 19:05:00: 66.5 minutes, written as Strong does.
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,\
         Notes,Workout Notes,RPE\n\
         2026-11-03 17:58:30,hsr,1h 7m,Bilateral squat,1,80,6,0,0,\
         tempo 3-0-3-0; pain 2/10,week 3,7.5\n\
         2026-11-03 17:58:30,hsr,1h 7m,Bilateral squat,2,80,6,0,0,tempo 3-0-3-0,week 3,\n\
         2026-11-03 17:58:30,hsr,1h 7m,'=Split squat,1,61.235,0,0,30,\
         \"left side; target 70%MVC; pain 2/10; stopped early; +wobbly, \"\"knee\"\"\",\
         week 3,7.5\n"
    );
}

#[test]
fn csv_profile_hevy_writes_hevys_columns() {
    let dir = tempfile::tempdir().unwrap();
    let log = app_fixture(dir.path());
    let out = reptempo(&log)
        .args(["log", "--csv-profile", "hevy", "--exercise", "split"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    // Only the hold is asked for: the start is still the session's own. A cell
    // that starts like a formula gets a quote; a note after our own words cannot start
    // one.
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,\
         set_index,set_type,weight_kg,reps,distance_km,duration_seconds,rpe\n\
         hsr,\"3 Nov 2026, 17:58\",\"3 Nov 2026, 19:05\",week 3,'=Split squat,,\
         \"left side; target 70%MVC; pain 2/10; stopped early; +wobbly, \"\"knee\"\"\",\
         0,normal,61.235,,,30,7.5\n"
    );
    let all = reptempo(&log)
        .args(["log", "--csv-profile", "HEVY"])
        .output()
        .unwrap();
    let text = String::from_utf8(all.stdout).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 4, "{text}");
    assert!(
        rows[1].starts_with("hsr,\"3 Nov 2026, 17:58\",\"3 Nov 2026, 19:05\",week 3,Bilateral squat,,tempo 3-0-3-0; pain 2/10,0,normal,80,6,,,7.5"),
        "{text}"
    );
    assert!(rows[2].contains(",1,normal,80,6,,,"), "{text}");
}

#[test]
fn a_csv_profile_that_is_not_one_is_refused_and_the_csv_gains_columns_at_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let log = app_fixture(dir.path());
    reptempo(&log)
        .args(["log", "--csv-profile", "fitbod"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--csv-profile: \"fitbod\" is not a profile: use strong or hevy",
        ));
    let out = reptempo(&log).args(["log", "--csv"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "kind,start,end,preset,exercise,side,set,sets,planned_reps,done_reps,hold_s,tempo,\
         tut_s,load_value,load_unit,pain,rpe,note,status,session,week,target"
    );
    let hold = lines.nth(2).unwrap();
    assert!(
        hold.ends_with(",stopped,2026-11-03T17:58:30.000+01:00,3,70%MVC"),
        "{hold}"
    );
    assert!(text.lines().last().unwrap().starts_with("pain,"), "{text}");
    assert_eq!(text.lines().last().unwrap().matches(',').count(), 21);
}
