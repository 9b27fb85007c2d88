//! Sound through the binary: `render` puts every cue's first sample at
//! `round(offset_s * rate)` of `show --json`, with digital silence between cues; a
//! 60-minute render streams; FLAC decodes to the WAV's samples; without a device a
//! session still runs.

mod common;
use common::reptempo;

use std::path::Path;

use serde_json::Value;

fn cue_offsets(args: &[&str]) -> Vec<f64> {
    let out = reptempo()
        .args(["show", "--json"])
        .args(args)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["cues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["offset_s"].as_f64().unwrap())
        .collect()
}

fn read_wav(path: &Path) -> (hound::WavSpec, Vec<i16>) {
    let reader = hound::WavReader::open(path).unwrap();
    let spec = reader.spec();
    (
        spec,
        reader.into_samples::<i16>().map(Result::unwrap).collect(),
    )
}

/// Sample indices where sound starts after at least 1 ms of digital silence.
fn onsets(samples: &[i16], rate: usize) -> Vec<usize> {
    let quiet = rate / 1000;
    (0..samples.len())
        .filter(|&i| samples[i] != 0 && samples[i.saturating_sub(quiet)..i].iter().all(|&x| x == 0))
        .collect()
}

#[test]
fn render_places_every_cue_at_its_exact_sample() {
    let dir = tempfile::tempdir().unwrap();
    for (args, rate) in [
        (
            vec!["pogo", "--sets", "1", "--duration", "5s", "--lead-in", "3s"],
            48_000usize,
        ),
        (
            vec!["cadence", "--duration", "20s", "--cadence", "173"],
            44_100,
        ),
        (vec!["tests/fixtures/small.toml"], 48_000),
    ] {
        let wav = dir.path().join("out.wav");
        let out = reptempo()
            .arg("render")
            .args(&args)
            .arg("-o")
            .arg(&wav)
            .args(["--rate", &rate.to_string()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let (spec, samples) = read_wav(&wav);
        assert_eq!(
            (
                spec.channels,
                spec.sample_rate as usize,
                spec.bits_per_sample
            ),
            (1, rate, 16)
        );
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let expected: Vec<usize> = cue_offsets(&args)
            .iter()
            .map(|o| (o * rate as f64).round() as usize)
            .collect();
        assert_eq!(onsets(&samples, rate), expected, "{args:?} at {rate} Hz");
        // Silence before the first cue is digital silence.
        assert!(samples[..expected[0]].iter().all(|&x| x == 0));
    }
}

#[test]
fn a_failed_render_leaves_nothing_under_the_target_name() {
    reptempo()
        .args(["render", "pogo", "-o", "/nonexistent/dir/out.wav"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "cannot write /nonexistent/dir/out.wav",
        ));
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("keep.wav");
    std::fs::write(&target, b"old").unwrap();
    // A bad value fails before anything is written.
    reptempo()
        .args(["render", "pogo", "--rate", "0", "-o"])
        .arg(&target)
        .assert()
        .code(2);
    assert_eq!(std::fs::read(&target).unwrap(), b"old");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "a temporary file was left"
    );
}

#[test]
fn a_sixty_minute_render_streams_in_bounded_memory() {
    // An hour at 48 kHz is 691 MB of f32 samples; under a 200 MB address-space limit
    // the render can only succeed by streaming.
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("hour.wav");
    let bin = assert_cmd::cargo::cargo_bin("reptempo");
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 200000 && exec \"$0\" render cadence --duration 60m --lead-in 0 -o \"$1\"")
        .arg(&bin)
        .arg(&wav)
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let reader = hound::WavReader::open(&wav).unwrap();
    // 60 min, then the last sound's ring.
    assert!(reader.duration() >= 3600 * 48_000);
}

#[test]
fn without_a_sound_device_the_session_runs_with_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    let out = reptempo()
        .args([
            "start",
            "tests/fixtures/small.toml",
            "--speed",
            "50",
            "--no-log",
        ])
        .env_remove("PULSE_SERVER")
        .env("ALSA_CONFIG_PATH", dir.path().join("none.conf"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr
            .lines()
            .filter(|l| l.starts_with("audio: no output device ("))
            .count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.lines().all(|l| l.starts_with("audio: ")),
        "noise on stderr: {stderr}"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("done      session complete"), "{stdout}");
}

fn read_flac(path: &Path) -> (claxon::metadata::StreamInfo, Vec<i16>) {
    let mut reader = claxon::FlacReader::open(path).unwrap();
    let info = reader.streaminfo();
    let samples = reader
        .samples()
        .map(|s| i16::try_from(s.unwrap()).unwrap())
        .collect();
    (info, samples)
}

fn render_to(args: &[&str], out: &Path, extra: &[&str]) {
    let run = reptempo()
        .arg("render")
        .args(args)
        .arg("-o")
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn flac_decodes_to_exactly_the_wav_samples() {
    let dir = tempfile::tempdir().unwrap();
    // Spoken counts, tones and a second's silence in a minute and a half of session.
    let plan = ["tests/fixtures/small.toml", "--voice", "--lead-in", "1s"];
    for rate in ["48000", "44100"] {
        let (wav, flac) = (dir.path().join("a.wav"), dir.path().join("a.flac"));
        render_to(&plan, &wav, &["--rate", rate]);
        render_to(&plan, &flac, &["--rate", rate]);
        let (spec, expected) = read_wav(&wav);
        let (info, samples) = read_flac(&flac);
        assert_eq!(
            (info.sample_rate, info.channels, info.bits_per_sample),
            (spec.sample_rate, 1, 16)
        );
        assert_eq!(info.samples, Some(expected.len() as u64));
        assert!(expected.iter().any(|&s| s != 0), "a silent render");
        assert!(
            samples == expected,
            "FLAC at {rate} Hz differs from the WAV"
        );
    }
}

#[test]
fn format_overrides_the_extension_and_an_unknown_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("session.audio");
    reptempo()
        .args(["render", "pogo", "-o"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("use .wav or .flac"));
    assert!(!out.exists());
    render_to(&["pogo", "--sets", "1"], &out, &["--format", "flac"]);
    assert_eq!(&std::fs::read(&out).unwrap()[..4], b"fLaC");
    let named_flac = dir.path().join("really.FLAC");
    render_to(&["pogo", "--sets", "1"], &named_flac, &["--format", "wav"]);
    assert_eq!(&std::fs::read(&named_flac).unwrap()[..4], b"RIFF");
    reptempo()
        .args(["render", "pogo", "--format", "mp3", "-o"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--format: \"mp3\" is not a format",
        ));
}

#[test]
fn a_failed_flac_render_leaves_nothing_under_the_target_name() {
    reptempo()
        .args(["render", "pogo", "-o", "/nonexistent/dir/out.flac"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "cannot write /nonexistent/dir/out.flac",
        ));
    // A full disk part-way: a file-size limit of a megabyte or two (with its signal
    // ignored, so the write fails instead of killing the process) stops an hour's
    // FLAC (about 17 MB) part-way through.
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("keep.flac");
    std::fs::write(&target, b"old").unwrap();
    let bin = assert_cmd::cargo::cargo_bin("reptempo");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(
            "trap '' XFSZ && ulimit -f 2048 && exec \"$0\" render cadence --duration 60m -o \"$1\"",
        )
        .arg(&bin)
        .arg(&target)
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot write"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read(&target).unwrap(), b"old");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "a temporary file was left"
    );
}

#[test]
fn a_sixty_minute_flac_render_streams_in_bounded_memory() {
    // The encoded hour is about 17 MB; the samples would be 345 MB as 16-bit and
    // 691 MB as f32. Under a 200 MB address-space limit (threads' stacks included)
    // the render can only succeed by streaming.
    let dir = tempfile::tempdir().unwrap();
    let flac = dir.path().join("hour.flac");
    let bin = assert_cmd::cargo::cargo_bin("reptempo");
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 200000 && exec \"$0\" render cadence --duration 60m --lead-in 0 -o \"$1\"")
        .arg(&bin)
        .arg(&flac)
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let reader = claxon::FlacReader::open(&flac).unwrap();
    assert!(reader.streaminfo().samples.unwrap() >= 3600 * 48_000);
    assert!(std::fs::metadata(&flac).unwrap().len() < 20_000_000);
}

/// Every cue's planned sample, from `show --json`.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)]
fn planned_samples(args: &[&str], rate: usize) -> Vec<usize> {
    cue_offsets(args)
        .iter()
        .map(|o| (o * rate as f64).round() as usize)
        .collect()
}

/// With `--voice`, every cue still starts at its planned sample after silence (the
/// words give way around it), and the words are there: sound where the tones-only
/// render is silent, inside the lead-in, the switch and the rest (the announcements),
/// and nowhere within 1 ms before a cue.
#[test]
fn spoken_guidance_leaves_every_cue_at_its_planned_sample() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["tests/fixtures/sided.toml"];
    let rate = 48_000;
    let (tones, voiced) = (dir.path().join("tones.wav"), dir.path().join("voice.wav"));
    render_to(&args, &tones, &[]);
    render_to(&args, &voiced, &["--voice"]);
    let (_, tones) = read_wav(&tones);
    let (_, voiced) = read_wav(&voiced);
    let planned = planned_samples(&args, rate);
    assert_eq!(onsets(&tones, rate), planned);
    let voiced_onsets = onsets(&voiced, rate);
    for &cue in &planned {
        assert!(
            voiced_onsets.contains(&cue),
            "no onset at the cue sample {cue} with --voice"
        );
    }
    // Speech where the tones-only render is silent, in each waiting stretch: the
    // lead-in (0-8 s: the name, "set one of two", "left"), the first switch (18-24 s,
    // after "switch sides"), and the rest after set 1 (34-54 s: its length, what next,
    // then before set 2).
    let spoken = |from: f64, to: f64| {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let (a, b) = ((from * 48_000.0) as usize, (to * 48_000.0) as usize);
        (a..b).filter(|&i| tones[i] == 0 && voiced[i] != 0).count()
    };
    for (from, to, at_least) in [
        (0.0, 5.0, 48_000),
        (18.0, 21.0, 10_000),
        (34.0, 51.0, 96_000),
    ] {
        let n = spoken(from, to);
        assert!(n >= at_least, "{n} samples of speech in {from}-{to} s");
    }
}

/// Without espeak-ng on `PATH`, a name that has no recording is announced as
/// "exercise one", with one notice on stderr that says why, and the render succeeds.
#[test]
fn without_espeak_ng_a_user_exercise_is_exercise_one_with_one_notice() {
    let dir = tempfile::tempdir().unwrap();
    let preset = dir.path().join("nordic.toml");
    std::fs::write(
        &preset,
        "id = \"nordic\"\nname = \"N\"\ndescription = \"d\"\nsource = \"S\"\nlead_in = \"8s\"\n\
         [[block]]\nexercise = \"Nordic curl\"\nreps = 2\ntempo = \"2-0-2-0\"\nsets = 1\n",
    )
    .unwrap();
    let empty = dir.path().join("bin");
    std::fs::create_dir(&empty).unwrap();
    let out = reptempo()
        .env("PATH", &empty)
        .arg("render")
        .arg(&preset)
        .arg("-o")
        .arg(dir.path().join("n.wav"))
        .arg("--voice")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.matches("voice:").count(), 1, "{stderr}");
    assert!(
        stderr.contains("espeak-ng is not installed") && stderr.contains("\"exercise one\""),
        "{stderr}"
    );
    assert!(
        !stderr.contains('\u{1b}'),
        "the name is escaped: {stderr:?}"
    );
    // A built-in exercise needs no synthesiser: no notice.
    let out = reptempo()
        .env("PATH", &empty)
        .args(["render", "tests/fixtures/sided.toml", "--voice", "-o"])
        .arg(dir.path().join("s.wav"))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("voice:"));
}

/// With espeak-ng installed, a user preset's exercise is spoken by it: no notice, and
/// the lead-in has speech before its countdown. Says SKIPPED without espeak-ng.
#[test]
fn with_espeak_ng_a_user_exercise_is_spoken_without_a_notice() {
    let installed = std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join("espeak-ng").is_file()));
    if !installed {
        eprintln!("SKIPPED: espeak-ng is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let preset = dir.path().join("nordic.toml");
    std::fs::write(
        &preset,
        "id = \"nordic\"\nname = \"N\"\ndescription = \"d\"\nsource = \"S\"\nlead_in = \"8s\"\n\
         [[block]]\nexercise = \"Nordic curl\"\nreps = 2\ntempo = \"2-0-2-0\"\nsets = 1\n",
    )
    .unwrap();
    let wav = dir.path().join("n.wav");
    let out = reptempo()
        .arg("render")
        .arg(&preset)
        .arg("-o")
        .arg(&wav)
        .arg("--voice")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("voice:"));
    let (_, samples) = read_wav(&wav);
    // "Nordic curl, last set" before the countdown at 5 s: over half a second of sound.
    let speech = samples[..5 * 48_000].iter().filter(|&&x| x != 0).count();
    assert!(speech > 24_000, "{speech} samples of speech in the lead-in");
}
