//! Live sound through the headless audio rig (`../shared/rig`: a null sink of the sound server,
//! a recorder and an onset meter). Where the rig is not running (no `PULSE_SERVER`, or
//! no rig scripts), each test says it skipped and passes: `.ci/run` starts the rig when
//! it can.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The rig is one device: its tests take turns.
static RIG: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn rig() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/rig");
    if std::env::var_os("PULSE_SERVER").is_none() || !dir.join("record").exists() {
        // Written to the stream itself: the test harness would swallow eprintln!.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: the audio rig is not running (start it with: eval \"$(../shared/rig/start)\")"
        );
        return None;
    }
    Some(dir)
}

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("reptempo")
}

/// Plays `start ARGS --plain --no-log --no-bell` live while the rig records; returns
/// the recording.
fn record_live(rig: &Path, args: &[&str], dir: &Path) -> PathBuf {
    let wav = dir.join("rec.wav");
    let recorder = Command::new(rig.join("record"))
        .arg(&wav)
        .stdout(Stdio::null())
        .status();
    assert!(recorder.unwrap().success());
    let run = Command::new(bin())
        .arg("start")
        .args(args)
        .args(["--plain", "--no-log", "--no-bell"])
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    Command::new(rig.join("record"))
        .arg("--stop")
        .stdout(Stdio::null())
        .status()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    wav
}

/// Plays `args` live while recording; returns the onset meter's comparison with the plan.
fn play_and_measure(rig: &Path, args: &[&str], dir: &Path) -> Value {
    let speed_at = args.iter().position(|a| *a == "--speed");
    let speed: f64 = speed_at.map_or(1.0, |i| args[i + 1].parse().unwrap());
    let plan_args: Vec<&str> = args
        .iter()
        .enumerate()
        .filter(|(i, _)| speed_at.is_none_or(|s| *i != s && *i != s + 1))
        .map(|(_, a)| *a)
        .collect();
    let show = Command::new(bin())
        .args(["show", "--json"])
        .args(&plan_args)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&show.stdout).unwrap();
    let plan: Vec<String> = doc["cues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| format!("{:.6}", c["offset_s"].as_f64().unwrap() / speed))
        .collect();
    let plan_file = dir.join("plan.txt");
    std::fs::write(&plan_file, plan.join("\n") + "\n").unwrap();
    let wav = record_live(rig, args, dir);
    let onsets = Command::new(rig.join("onsets"))
        .arg(&wav)
        .args(["--compare"])
        .arg(&plan_file)
        .args(["--by-order", "--json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&onsets.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&onsets.stderr)));
    report["compare"].clone()
}

#[test]
#[allow(
    clippy::cast_possible_truncation,
    reason = "sample numbers of a short recording"
)]
fn live_cues_land_on_their_planned_samples() {
    let _turn = RIG
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some(rig) = rig() else { return };
    let dir = tempfile::tempdir().unwrap();
    // Pogo: beats 0.4 s apart, all the same sound, at speed 2.
    let report = play_and_measure(
        &rig,
        &[
            "pogo",
            "--sets",
            "2",
            "--duration",
            "6s",
            "--rest",
            "4s",
            "--speed",
            "2",
        ],
        dir.path(),
    );
    let cues = report["cues"].as_array().unwrap();
    assert_eq!(report["stats"]["matched"], report["stats"]["cues"]);
    // Beats only (the same sound, so the meter finds each at the same point in it):
    // every one on its planned sample, relative to the first.
    let rate = 48_000.0;
    let first = &cues[0];
    for c in cues.iter().filter(|c| c["peak_dbfs"] == first["peak_dbfs"]) {
        let planned = ((c["plan_s"].as_f64().unwrap() * rate).round()
            - (first["plan_s"].as_f64().unwrap() * rate).round()) as i64;
        let played = c["sample"].as_i64().unwrap() - first["sample"].as_i64().unwrap();
        assert_eq!(
            played,
            planned,
            "cue {} is {} samples off",
            c["cue"],
            played - planned
        );
    }
    assert!(report["stats"]["max_abs_error_ms"].as_f64().unwrap() < 1.0);
}

#[test]
fn a_device_that_disappears_leaves_the_session_running_with_a_notice() {
    let _turn = RIG
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some(rig) = rig() else { return };
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("sets.jsonl");
    let mut child = Command::new(bin())
        .args([
            "start",
            "isometric",
            "--plain",
            "--speed",
            "10",
            "--no-bell",
            "--log",
        ])
        .arg(&log)
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let started = Instant::now();
    while !lines.next().unwrap().unwrap().contains("hold      45 s") {
        assert!(started.elapsed() < Duration::from_secs(20));
    }
    let modules = Command::new("pactl")
        .args(["list", "short", "modules"])
        .output()
        .unwrap();
    let index = String::from_utf8(modules.stdout)
        .unwrap()
        .lines()
        .find(|l| l.contains("sink_name=rig "))
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .expect("the rig's sink module");
    Command::new("pactl")
        .args(["unload-module", &index])
        .status()
        .unwrap();
    let mut notice = false;
    let mut set_done_after = false;
    for line in lines.by_ref() {
        let line = line.unwrap();
        notice |= line.contains(
            "audio: the output device was lost; continuing with visual cues and the bell",
        );
        if notice && line.contains("set done  set 1/5") {
            set_done_after = true;
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the session stalled"
        );
    }
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    // Put the rig's sink back for whoever comes next.
    Command::new(rig.join("start"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(notice, "no notice");
    assert!(set_done_after, "the session did not go on after the loss");
    assert_eq!(status.code(), Some(143));
    assert!(std::fs::read_to_string(&log).unwrap().lines().count() >= 1);
}

#[test]
fn live_cues_stay_on_their_samples_across_pause_resume_and_a_speed_change() {
    let _turn = RIG
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some(rig) = rig() else { return };
    let dir = tempfile::tempdir().unwrap();
    // Beats every 0.4 s (19,200 samples); paused from 2.1 s to 3 s; 1.25x from 5.05 s
    // (a beat every 0.32 s: 15,360 samples).
    let args = ["pogo", "--sets", "1", "--duration", "8s", "--lead-in", "1s"];
    let script = ["--script", "2.1s:pause,3s:resume,5.05s:faster"];
    let wav = record_live(&rig, &[&args[..], &script[..]].concat(), dir.path());
    let samples = onset_samples(&rig, &wav);
    // 20 beats and the session-done sound: nothing lost or doubled.
    assert_eq!(samples.len(), 21, "{samples:?}");
    let gaps: Vec<i64> = samples.windows(2).map(|w| w[1] - w[0]).collect();
    let at_speed_1 = gaps.iter().filter(|&&g| g == 19_200).count();
    let at_speed_125 = gaps.iter().filter(|&&g| g == 15_360).count();
    // Every gap inside a stretch is exact to the sample; only the gap across the pause,
    // the one across the speed change and the one to the (different) last sound are not.
    assert_eq!(at_speed_1 + at_speed_125, gaps.len() - 3, "{gaps:?}");
    assert!(at_speed_1 >= 6 && at_speed_125 >= 9, "{gaps:?}");
}

/// The sample of every onset the rig finds in the recording `wav`.
fn onset_samples(rig: &Path, wav: &Path) -> Vec<i64> {
    let onsets = Command::new(rig.join("onsets"))
        .arg(wav)
        .arg("--json")
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&onsets.stdout).unwrap();
    report["onsets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["sample"].as_i64().unwrap())
        .collect()
}

/// Whether the sound server has a stream of reptempo's playing (open and not corked).
fn playing() -> bool {
    let Ok(out) = Command::new("pactl").args(["list", "sink-inputs"]).output() else {
        return false;
    };
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines().any(|line| line.trim() == "Corked: no")
}

#[test]
fn the_stream_sleeps_while_paused_and_the_cues_after_it_stay_on_their_samples() {
    let _turn = RIG
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some(rig) = rig() else { return };
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("rec.wav");
    let recorder = Command::new(rig.join("record"))
        .arg(&wav)
        .stdout(Stdio::null())
        .status();
    assert!(recorder.unwrap().success());
    // Beats every 0.4 s (19,200 samples) from 1 s; paused from 2.1 s to 3.3 s.
    let mut child = Command::new(bin())
        .args(["start", "pogo", "--sets", "1", "--duration", "6s"])
        .args(["--lead-in", "1s", "--script", "2.1s:pause,3.3s:resume"])
        .args(["--plain", "--no-log", "--no-bell"])
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // What the server says of the stream, every 50 ms, until the run ends.
    let mut states = Vec::new();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        assert!(started.elapsed() < Duration::from_secs(30), "the run hung");
        let state = playing();
        if states.last() != Some(&state) {
            states.push(state);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let run = child.wait_with_output().unwrap();
    Command::new(rig.join("record"))
        .arg("--stop")
        .stdout(Stdio::null())
        .status()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    // Playing, no stream while paused, playing again (and closed once the last sound
    // has rung out, before the run ends).
    let from_start = states
        .iter()
        .skip_while(|&&s| !s)
        .copied()
        .collect::<Vec<_>>();
    assert!(
        from_start.starts_with(&[true, false, true]),
        "playing states seen: {states:?}"
    );
    let samples = onset_samples(&rig, &wav);
    // 15 beats and the session-done sound: nothing lost or doubled by the sleep.
    assert_eq!(samples.len(), 16, "{samples:?}");
    let gaps: Vec<i64> = samples.windows(2).map(|w| w[1] - w[0]).collect();
    // Beats at 1, 1.4, 1.8 s, then the pause: the gap across it is the third.
    let (before, across, after) = (&gaps[..2], gaps[2], &gaps[3..gaps.len() - 1]);
    // Every gap on either side is exact to the sample; in particular the first cue
    // after the resume is one beat before the second, as planned.
    assert!(before.iter().all(|&g| g == 19_200), "{gaps:?}");
    assert!(after.iter().all(|&g| g == 19_200), "{gaps:?}");
    // The gap across is a beat and the pause (1.2 s). A command takes effect as far
    // ahead of what is heard whether or not the stream slept (to within a device
    // period), so what is added is the time the new stream takes to open and the
    // sound server's 10 ms blocks: at most a quarter of a second. (A clock that
    // assumed one fixed device delay read the new stream's first buffers, asked for
    // together, as already playing, and the pause came out 54,000-55,000 samples.)
    let paused = across - 19_200;
    assert!(
        (57_600 - 2_400..57_600 + 12_000).contains(&paused),
        "the pause moved the cues by {paused} samples: {gaps:?}"
    );
}
