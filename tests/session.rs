//! `start` through the binary: the plain runner's lines and timing, the set log, signals,
//! and appends from two processes at once.

mod common;
use common::{read_log, reptempo};

use std::io::{BufRead, BufReader};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// "00:01.234  down ..." -> (1.234 s, "down ...")
fn parse_line(line: &str) -> (f64, &str) {
    let (stamp, rest) = line.split_once("  ").unwrap();
    let (min, sec) = stamp.split_once(':').unwrap();
    (
        min.parse::<f64>().unwrap() * 60.0 + sec.parse::<f64>().unwrap(),
        rest.trim_start(),
    )
}

/// The timing test does not share the machine with the thousand-process test.
static HEAVY: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn plain_runner_prints_each_cue_on_time_at_speed_50_and_logs_the_sets() {
    let _alone = HEAVY
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("sets.jsonl");
    let trace = dir.path().join("trace.jsonl");
    let out = reptempo()
        .args([
            "start",
            "tests/fixtures/small.toml",
            "--no-audio",
            "--plain",
            "--speed",
            "50",
            "--log",
        ])
        .arg(&log)
        .arg("--trace")
        .arg(&trace)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<(f64, &str)> = stdout.lines().map(parse_line).collect();
    // Plan: lead-in 0-2 s (countdown at 1 s), set 1 at 2 s: down 2, up 3, down 4, up 5,
    // set done 6, rest 6-8 (countdown at 7), set 2: down 8, up 9, down 10, up 11, done 12.
    let expected: [(f64, &str); 13] = [
        (1.0, "1         set 1/2 starts  Squat"),
        (2.0, "down      rep 1/2  set 1/2  Squat"),
        (3.0, "up        rep 1/2  set 1/2  Squat"),
        (4.0, "down      rep 2/2  set 1/2  Squat"),
        (5.0, "up        rep 2/2  set 1/2  Squat"),
        (
            6.0,
            "set done  set 1/2  Squat  rest 0:02, next: set 2/2 Squat",
        ),
        (7.0, "1         set 2/2 starts  Squat"),
        (8.0, "down      rep 1/2  set 2/2  Squat"),
        (9.0, "up        rep 1/2  set 2/2  Squat"),
        (10.0, "down      rep 2/2  set 2/2  Squat"),
        (11.0, "up        rep 2/2  set 2/2  Squat"),
        (12.0, "done      session complete"),
        (
            12.0,
            "end       session complete; 2 set records written to ",
        ),
    ];
    assert!(
        lines[0].1.starts_with("start     small · 0:12 · speed 50x"),
        "{stdout}"
    );
    assert_eq!(lines.len(), expected.len() + 1, "{stdout}");
    for ((at, text), (plan_s, want)) in lines[1..].iter().zip(expected) {
        assert!(text.starts_with(want), "{text:?} is not {want:?}");
        // At speed 50 a plan second is 20 ms. The timing itself is measured by the
        // benchmark, not here: this allows 150 ms for a busy machine (the order of the
        // lines is checked exactly above). The closing line waits for the log to be on
        // disk, which takes what the disk takes.
        if !text.starts_with("end ") {
            assert!(
                (at - plan_s / 50.0).abs() < 0.150,
                "{text:?} at {at} s, plan {plan_s} s"
            );
        }
    }
    let records = read_log(&log);
    assert_eq!(records.len(), 2);
    for (i, r) in records.iter().enumerate() {
        assert_eq!(r["kind"], "set");
        assert_eq!(r["v"], 1);
        assert_eq!(r["preset"], "small");
        assert_eq!(r["set"], i + 1);
        assert_eq!(
            (r["planned_reps"].as_u64(), r["done_reps"].as_u64()),
            (Some(2), Some(2))
        );
        // At speed 50 a 1 s phase was 20 ms.
        assert_eq!(r["tempo"], "0.02-0-0.02-0");
        assert!((r["tut_s"].as_f64().unwrap() - 0.08).abs() < 1e-9, "{r}");
        assert_eq!(r["speed"], 50.0);
        assert_eq!(r["load"], serde_json::json!({"value": 40.0, "unit": "kg"}));
        assert_eq!(r["status"], "done");
        for key in [
            "start", "end", "exercise", "side", "sets", "hold_s", "pain", "rpe", "note",
        ] {
            assert!(r.get(key).is_some(), "record lacks {key}");
        }
    }
    let trace: Vec<Value> = read_log(&trace);
    assert_eq!(trace.len(), 12);
    for t in &trace {
        let late = t["issued_s"].as_f64().unwrap() - t["due_s"].as_f64().unwrap();
        assert!((0.0..0.150).contains(&late), "{t}");
        assert!(
            (t["due_s"].as_f64().unwrap() - t["offset_s"].as_f64().unwrap() / 50.0).abs() < 1e-5
        );
    }
}

#[test]
fn a_preview_at_speed_10_is_not_logged_as_training() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("sets.jsonl");
    let out = reptempo()
        .args([
            "start",
            "isometric",
            "--plain",
            "--no-audio",
            "--speed",
            "10",
            "--clock",
            "fake",
        ])
        .env("REPTEMPO_LOG", &log)
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let first = stdout.lines().next().unwrap();
    assert!(first.contains("speed 10x · preview: not logged"), "{first}");
    assert!(
        stdout
            .lines()
            .last()
            .unwrap()
            .ends_with("end       session complete; preview at 10x: not logged"),
        "{stdout}"
    );
    assert!(!log.exists(), "a preview wrote to the log");
}

#[test]
fn a_hold_sped_up_part_way_records_the_time_actually_held() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("sets.jsonl");
    // Set 1's 45 s hold runs from 5 s; `+` 20 s into it: the other 25 s take 20 s at
    // 1.25x, so 40 s were held, the set ended at 45 s, and the session is stopped there.
    let out = reptempo()
        .args([
            "start",
            "isometric",
            "--plain",
            "--no-audio",
            "--clock",
            "fake",
        ])
        .args(["--script", "25s:faster,45.5s:stop", "--log"])
        .arg(&log)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records = read_log(&log);
    assert_eq!(
        records[0]["end"], "2026-01-05T08:00:45.000+00:00",
        "{records:?}"
    );
    assert_eq!(records[0]["hold_s"], 40.0, "{records:?}");
    assert_eq!(records[0]["tut_s"], 40.0, "{records:?}");
    assert_eq!(records[0]["speed"], 1.25, "{records:?}");
}

#[test]
fn isometric_at_speed_10_on_the_fake_clock_logs_five_holds_with_exact_times() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("sets.jsonl");
    let out = reptempo()
        .args([
            "start",
            "isometric",
            "--plain",
            "--no-audio",
            "--speed",
            "10",
            "--clock",
            "fake",
            "--log",
        ])
        .arg(&log)
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.contains("  hold      45 s"))
            .count(),
        5
    );
    let records = read_log(&log);
    assert_eq!(records.len(), 5);
    // The fake clock starts at 2026-01-05T08:00:00Z; at speed 10 set 1 runs 0.5-5 s.
    assert_eq!(records[0]["start"], "2026-01-05T08:00:00.500+00:00");
    assert_eq!(records[0]["end"], "2026-01-05T08:00:05.000+00:00");
    // Set 5 starts after 4 holds and 4 rests: (5 + 4 x 45 + 4 x 120) / 10 = 66.5 s.
    assert_eq!(records[4]["start"], "2026-01-05T08:01:06.500+00:00");
    // A preview logged on purpose says its speed and holds what was performed: 4.5 s
    // holds, 4.5 s under tension.
    assert!(
        records.iter().all(|r| r["hold_s"] == 4.5
            && r["tut_s"] == 4.5
            && r["speed"] == 10.0
            && r["status"] == "done"),
        "{records:?}"
    );
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&log).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn sigterm_during_a_set_records_it_as_stopped_and_exits_143() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("sets.jsonl");
    let mut child = Process::new(assert_cmd::cargo::cargo_bin("reptempo"))
        .args([
            "start",
            "isometric",
            "--plain",
            "--no-audio",
            "--speed",
            "10",
            "--no-bell",
            "--log",
        ])
        .arg(&log)
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let started = Instant::now();
    // Wait until 2 s into the first hold (tick 20 at speed 10), then terminate.
    loop {
        let line = lines.next().unwrap().unwrap();
        if line.contains("tick      20  set 1/5") {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "no tick 20");
    }
    Process::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(143));
    assert!(
        rest.iter()
            .any(|l| l.contains("end       terminated; 1 set records written")),
        "{rest:?}"
    );
    let records = read_log(&log);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["status"], "stopped");
    // About 2 s were held at speed 10: 20 s of the plan.
    let held = records[0]["hold_s"].as_f64().unwrap();
    assert!((2.0..3.0).contains(&held), "held {held} s");
    assert_eq!(records[0]["planned_hold_s"], 45.0);
}

#[test]
fn two_processes_appending_500_records_each_leave_1000_whole_lines() {
    let _alone = HEAVY
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("sets.jsonl");
    let bin = assert_cmd::cargo::cargo_bin("reptempo");
    let script = "for i in $(seq 500); do \"$0\" pain \"$1\" --note \"writer $1, record $i\" --log \"$2\" >/dev/null || exit 1; done";
    let writers: Vec<std::process::Child> = ["3", "7"]
        .iter()
        .map(|pain| {
            Process::new("sh")
                .args(["-c", script])
                .arg(&bin)
                .arg(pain)
                .arg(&log)
                .spawn()
                .unwrap()
        })
        .collect();
    for mut w in writers {
        assert!(w.wait().unwrap().success());
    }
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.ends_with('\n'));
    let records: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 1000);
    for pain in [3, 7] {
        let notes: Vec<&str> = records
            .iter()
            .filter(|r| r["pain"] == pain)
            .map(|r| r["note"].as_str().unwrap())
            .collect();
        let expected: Vec<String> = (1..=500)
            .map(|i| format!("writer {pain}, record {i}"))
            .collect();
        assert_eq!(
            notes, expected,
            "writer {pain}'s records are missing or out of order"
        );
    }
}

#[test]
fn pain_rejects_a_score_above_ten() {
    reptempo()
        .args(["pain", "11", "--log", "/nonexistent/x.jsonl"])
        .assert()
        .code(2);
}

#[test]
fn an_unwritable_log_stops_start_before_the_first_cue() {
    let out = reptempo()
        .args([
            "start",
            "tests/fixtures/small.toml",
            "--plain",
            "--clock",
            "fake",
            "--log",
            "/proc/nope/sets.jsonl",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "the session started");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("/proc/nope/sets.jsonl") && stderr.contains("--no-log"),
        "{stderr}"
    );
}

/// `small` at speed 4 logging to a file whose lock another program takes once the
/// session has started; once the log says it is waiting, each of `signals` is sent
/// (100 ms apart). Gives the run's output, with the lines seen up to the wait, and the log.
fn with_the_log_held_then(
    signals: &[&str],
) -> (std::process::Output, Vec<String>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("sets.jsonl");
    let mut child = Process::new(assert_cmd::cargo::cargo_bin("reptempo"))
        .args([
            "start",
            "tests/fixtures/small.toml",
            "--plain",
            "--no-audio",
            "--speed",
            "4",
            "--log",
        ])
        .arg(&log)
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let header = lines.next().unwrap().unwrap();
    assert!(header.contains("start     small"), "{header}");
    // Another program takes the log's lock once the session has started.
    let mut holder = Process::new("flock")
        .arg(&log)
        .args(["-c", "sleep 30"])
        .spawn()
        .unwrap();
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        seen.push(line.clone());
        if line.contains("waiting for another program to release") {
            break;
        }
    }
    assert!(
        seen.iter().any(|l| l.contains("set done  set 1/2")),
        "{seen:?}"
    );
    let pid = child.id().to_string();
    for signal in signals {
        Process::new("kill")
            .args([*signal, pid.as_str()])
            .status()
            .unwrap();
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().unwrap();
    let _ = holder.kill();
    let _ = holder.wait();
    (out, seen, dir)
}

/// The two sets of `small` on stderr, not written to `dir`'s log: set 1 waited for the
/// lock; set 2 was stopped by the signal.
fn assert_both_sets_on_stderr(out: &std::process::Output, dir: &tempfile::TempDir) {
    let log = dir.path().join("sets.jsonl");
    let stderr = String::from_utf8(out.stderr.clone()).unwrap();
    assert!(
        stderr.contains(&format!("2 sets NOT written to {}:", log.display())),
        "{stderr}"
    );
    let records: Vec<Value> = stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 2, "{stderr}");
    assert_eq!(
        (&records[0]["set"], &records[0]["status"]),
        (&Value::from(1), &Value::from("done"))
    );
    assert_eq!(
        (&records[1]["set"], &records[1]["status"]),
        (&Value::from(2), &Value::from("stopped"))
    );
    assert!(std::fs::read_to_string(&log).unwrap_or_default().is_empty());
}

#[test]
fn a_second_ctrl_c_while_another_program_holds_the_log_prints_every_set_not_written() {
    let (out, _, dir) = with_the_log_held_then(&["-INT", "-INT"]);
    assert_eq!(out.status.code(), Some(130));
    assert_both_sets_on_stderr(&out, &dir);
}

#[test]
fn sigterm_ends_the_wait_for_a_held_lock_and_prints_every_set_not_written() {
    let (out, seen, dir) = with_the_log_held_then(&["-TERM"]);
    // The wait was said about a second after set 1 ended (at 1.5 s, speed 4), naming
    // the file.
    let waiting = seen.last().unwrap();
    assert!(
        waiting.contains(&format!(
            "waiting for another program to release {}",
            dir.path().join("sets.jsonl").display()
        )),
        "{waiting}"
    );
    let (at, _) = parse_line(waiting);
    assert!((2.4..3.5).contains(&at), "{waiting}");
    assert_eq!(out.status.code(), Some(143));
    assert_both_sets_on_stderr(&out, &dir);
}

#[test]
fn a_trace_that_cannot_be_written_exits_1() {
    let out = reptempo()
        .args([
            "start",
            "tests/fixtures/small.toml",
            "--plain",
            "--clock",
            "fake",
            "--no-log",
            "--trace",
            "/dev/full",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("cannot write the trace"), "{stderr}");
}

#[test]
fn a_log_write_that_fails_mid_session_is_said_at_once_and_every_record_goes_to_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("sets.jsonl");
    // The log opens and locks, but no byte fits in it: a file-size limit of 0 (its signal
    // ignored, so the append fails instead of killing the process). The output goes to
    // pipes, which the limit does not touch.
    let out = Process::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ && ulimit -f 0 && exec \"$0\" start tests/fixtures/small.toml --plain --no-audio --no-bell --speed 4 --log \"$1\"")
        .arg(assert_cmd::cargo::cargo_bin("reptempo"))
        .arg(&log)
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    // Set 1's failure is said in its rest, before set 2 starts, and nothing says "logged".
    let failed = lines
        .iter()
        .position(|l| l.contains("warning   set 1 NOT logged: cannot write to the log"))
        .unwrap_or_else(|| panic!("{stdout}"));
    let set2 = lines
        .iter()
        .position(|l| l.contains("set 2/2 starts"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(failed < set2, "{stdout}");
    assert!(!stdout.contains(" logged "), "{stdout}");
    assert!(
        stdout.contains("end       session complete; 0 set records written to"),
        "{stdout}"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(&format!("2 sets NOT written to {}:", log.display())),
        "{stderr}"
    );
    let records: Vec<Value> = stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        records.iter().map(|r| r["set"].clone()).collect::<Vec<_>>(),
        [1, 2]
    );
    assert!(records.iter().all(|r| r["status"] == "done"));
    assert!(std::fs::read_to_string(&log).unwrap().is_empty());
}
