//! The line-by-line front end: one line per cue as it happens, for scripts, logs and
//! screen readers. The driver ([`crate::run`]) runs the session; this only says it.
//!
//! Ticks count down the seconds left, as the display does. When a person is at the
//! keyboard, the end of a set asks for pain on one line while the rest runs on (Enter
//! logs it, with or without a score); from a script every set is logged at once.

use std::io::Write;
use std::path::PathBuf;

use crate::input::{Action, Input, keys_help};
use crate::plan::{Cue, CueKind, Plan, PlannedWork, Segment, SegmentKind};
use crate::preset::Side;
use crate::run::{Answers, Ending, Flow, FrontEnd, Notice, Report, SetEntry};
use crate::session::{Command, Session, SetOutcome, SetStatus};
use crate::span::Span;

/// Lines on `out`.
pub struct Lines<W: Write> {
    out: W,
    /// The line ending: `"\r\n"` while the terminal is in raw mode.
    newline: &'static str,
    /// Where sets are logged, or why they are not.
    log: Result<PathBuf, String>,
    /// Whether a person is at the keys: then the header lists them and a set's end
    /// asks for pain.
    keys: bool,
    /// A set waiting for its pain score, and what has been typed.
    asking: Option<(SetEntry, String)>,
}

impl<W: Write> Lines<W> {
    #[must_use]
    pub fn new(out: W, newline: &'static str, log: Result<PathBuf, String>) -> Lines<W> {
        Lines {
            out,
            newline,
            log,
            keys: false,
            asking: None,
        }
    }

    /// With a person at the keys: list them, and ask for pain after each set.
    #[must_use]
    pub fn with_keys(mut self) -> Lines<W> {
        self.keys = true;
        self
    }

    /// The question for the set waiting for its score, as typed so far.
    fn prompt(&mut self) {
        if let Some((entry, typed)) = &self.asking {
            let _ = write!(
                self.out,
                "pain 0-10 for set {} (Enter logs it): {typed}",
                entry.outcome.set
            );
            let _ = self.out.flush();
        }
    }

    /// Ends the question's line, if one is open, so a line can be printed.
    fn break_prompt(&mut self) {
        if self.asking.is_some() {
            let _ = write!(self.out, "{}", self.newline);
        }
    }

    /// A key while a pain score is asked: `None` when it is not the question's.
    fn answer(&mut self, code: crossterm::event::KeyCode, at: Span) -> Option<Flow> {
        use crossterm::event::KeyCode;
        let (_, typed) = self.asking.as_mut()?;
        match code {
            KeyCode::Char(c) if c.is_ascii_digit() && typed.len() < 2 => {
                typed.push(c);
                let _ = write!(self.out, "{c}");
                let _ = self.out.flush();
                Some(Flow::Go)
            }
            KeyCode::Backspace if !typed.is_empty() => {
                typed.pop();
                let _ = write!(self.out, "\x08 \x08");
                let _ = self.out.flush();
                Some(Flow::Go)
            }
            KeyCode::Enter => {
                let pain = match typed.parse::<u8>() {
                    Ok(p) if p <= 10 => Some(p),
                    Ok(_) => {
                        self.break_prompt();
                        self.asking.as_mut()?.1.clear();
                        self.line(at, "pain      is 0 to 10: type it again");
                        return Some(Flow::Go);
                    }
                    Err(_) => None,
                };
                let (mut entry, _) = self.asking.take()?;
                let _ = write!(self.out, "{}", self.newline);
                entry.answers.pain = pain;
                Some(Flow::Log(entry))
            }
            _ => None,
        }
    }

    /// The set waiting for its score, logged as it stands.
    fn take_asked(&mut self) -> Option<SetEntry> {
        let (mut entry, typed) = self.asking.take()?;
        let _ = write!(self.out, "{}", self.newline);
        entry.answers.pain = typed.parse::<u8>().ok().filter(|&p| p <= 10);
        Some(entry)
    }

    /// Gives back the output (for tests that read it).
    #[cfg(test)]
    pub fn into_inner(self) -> W {
        self.out
    }

    fn line(&mut self, at: Span, text: &str) {
        self.break_prompt();
        // A closed stdout must not stop the session: the log and the audio go on. Text
        // from a file (an exercise, a path) reaches the terminal only made visible.
        let text = crate::text::escape_cell(text);
        let _ = write!(self.out, "{}  {text}{}", timestamp(at), self.newline);
        let _ = self.out.flush();
        self.prompt();
    }
}

impl<W: Write> FrontEnd for Lines<W> {
    fn begin(&mut self, session: &Session) {
        let header = header_line(session.plan(), session.speed(), self.log.is_ok(), self.keys);
        self.line(Span::ZERO, &header);
    }

    fn cue(&mut self, session: &Session, cue: &Cue, at: Span) {
        let text = cue_text(session.plan(), cue);
        self.line(at, &text);
    }

    fn bell(&mut self) {
        let _ = write!(self.out, "\x07");
    }

    fn set_ended(&mut self, _: &Session, outcome: SetOutcome, at: Span) -> Vec<SetEntry> {
        if outcome.status == SetStatus::Stopped {
            let reps = outcome
                .done_reps
                .map(|r| format!("{r} reps, "))
                .unwrap_or_default();
            let text = format!(
                "stopped   set {} ended early: {reps}{} of work",
                outcome.set,
                outcome.work_spent.clock()
            );
            self.line(at, &text);
        }
        // A question still open when the next set ends is answered as it stands.
        let mut entries: Vec<SetEntry> = self.take_asked().into_iter().collect();
        let entry = SetEntry {
            outcome,
            answers: Answers::default(),
        };
        if self.keys && self.log.is_ok() && entry.outcome.status == SetStatus::Done {
            self.asking = Some((entry, String::new()));
            self.prompt();
        } else {
            entries.push(entry);
        }
        entries
    }

    fn input(&mut self, _: &Session, input: Input, at: Span) -> Flow {
        let Input::Key(key) = input else {
            return Flow::Go;
        };
        if let Some(flow) = self.answer(key.code, at) {
            return flow;
        }
        match crate::input::action(key) {
            Some(Action::Command(command)) => Flow::Command(command),
            Some(Action::Help) => {
                self.line(at, &keys_help());
                Flow::Go
            }
            Some(Action::Quit) => Flow::Stop {
                ending: Ending::Quit,
                keep_set: true,
            },
            Some(Action::Mute) => Flow::Mute,
            None => Flow::Go,
        }
    }

    fn notice(&mut self, session: &Session, notice: Notice, at: Span) {
        let text = match notice {
            Notice::Command(command) => command_text(command, session),
            Notice::Muted(true) => "muted     (m to unmute)".to_owned(),
            Notice::Muted(false) => "unmuted".to_owned(),
            Notice::NoSoundToMute => "no sound to mute".to_owned(),
            Notice::AudioLost => {
                "audio: the output device was lost; continuing with visual cues and the bell"
                    .to_owned()
            }
            Notice::Logged(record) => match record.pain {
                Some(pain) if self.keys => format!("logged    set {}, pain {pain}", record.set),
                _ => return,
            },
            Notice::LogFailed(error, record) => {
                let set = match record.as_ref() {
                    crate::log::Record::Set(r) => format!("set {} ", r.set),
                    _ => String::new(),
                };
                format!("warning   {set}NOT logged: {error} (the record goes to stderr)")
            }
            Notice::LogWaiting(path) => format!(
                "log       waiting for another program to release {}",
                path.display()
            ),
        };
        self.line(at, &text);
    }

    fn wake(&self, _: &Session, _: Span) -> Option<Span> {
        None
    }

    fn draw(&mut self, _: &Session, _: Span, _: Span) -> std::io::Result<()> {
        Ok(())
    }

    /// The run closes at the end, once the last set's question is answered.
    fn reached_end(&mut self) -> bool {
        self.asking.is_none()
    }

    fn suspend(&mut self) {
        crate::terminal::suspend();
    }

    fn stopping(&mut self) -> Vec<SetEntry> {
        self.take_asked().into_iter().collect()
    }

    /// The closing line: how it ended and where the sets went.
    fn close(&mut self, report: &Report, at: Span) {
        let logged = match &self.log {
            Ok(path) => format!(
                "{} set records written to {}",
                report.logged,
                path.display()
            ),
            Err(why) => why.clone(),
        };
        self.line(at, &format!("end       {}; {logged}", report.ending.word()));
        if !report.unlogged.is_empty() {
            let text = format!(
                "warning   {} set records NOT written (they are on stderr)",
                report.unlogged.len()
            );
            self.line(at, &text);
        }
    }
}

/// `mm:ss.mmm` (or `h:mm:ss.mmm`) of a clock reading.
#[must_use]
pub fn timestamp(at: Span) -> String {
    let ms = at.as_micros() / 1000;
    let (h, m, s, ms) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}.{ms:03}")
    } else {
        format!("{m:02}:{s:02}.{ms:03}")
    }
}

/// The segment of the plan that contains `offset` (the one starting there, if any).
fn segment_at(plan: &Plan, offset: Span) -> Option<&Segment> {
    let upto = plan.segments.partition_point(|s| s.start <= offset);
    plan.segments[..upto]
        .iter()
        .rev()
        .find(|s| s.end > s.start && s.start <= offset && offset < s.end)
}

fn side_suffix(side: Side) -> String {
    if side == Side::Both {
        String::new()
    } else {
        format!(", {}", side.name())
    }
}

/// What a cue says, after its timestamp.
#[must_use]
pub fn cue_text(plan: &Plan, cue: &Cue) -> String {
    let block = &plan.blocks[cue.block];
    let set = format!("set {}/{}", cue.set, block.sets);
    let what = format!("{}{}", block.exercise, side_suffix(cue.side));
    let rep = match (cue.rep, &block.work) {
        (Some(r), PlannedWork::Reps { reps, .. }) => format!("rep {r}/{reps}  "),
        _ => String::new(),
    };
    let word = match cue.kind {
        CueKind::Down => "down",
        CueKind::Up => "up",
        CueKind::Hold => "hold",
        CueKind::Pause => "pause",
        CueKind::Tick => "tick",
        CueKind::Countdown(3) => "3",
        CueKind::Countdown(2) => "2",
        CueKind::Countdown(_) => "1",
        CueKind::Beat => "beat",
        CueKind::Switch => "switch",
        CueKind::SetDone => "set done",
        CueKind::SessionDone => "done",
    };
    let detail = match cue.kind {
        CueKind::Up
            if matches!(
                block.work,
                PlannedWork::Reps {
                    eccentric_only: true,
                    ..
                }
            ) =>
        {
            format!("{rep}{set}  {what}  up on the other leg")
        }
        CueKind::Down | CueKind::Up | CueKind::Pause | CueKind::Beat => {
            format!("{rep}{set}  {what}")
        }
        CueKind::Hold => {
            let len = match block.work {
                PlannedWork::Hold(len) => format!("{} s  ", len.decimal_secs()),
                _ => String::new(),
            };
            format!("{len}{set}  {what}")
        }
        CueKind::Tick => {
            // The seconds left, rounded up, as the display counts them.
            let left = segment_at(plan, cue.offset).map_or(Span::ZERO, |s| s.end - cue.offset);
            format!("{}  {rep}{set}", left.as_micros().div_ceil(1_000_000))
        }
        CueKind::Countdown(_) => match segment_at(plan, cue.offset).map(|s| s.kind) {
            Some(SegmentKind::Hold) => format!("hold ends  {set}  {what}"),
            _ => format!("{set} starts  {what}"),
        },
        CueKind::Switch => format!("{set}  {}: other side next", block.exercise),
        CueKind::SetDone => {
            // The rest gets this one line: how long, and what comes after it.
            let rest = plan
                .segments
                .iter()
                .find(|s| s.start >= cue.offset && s.end > s.start)
                .filter(|s| s.kind == SegmentKind::Rest)
                .map(|s| format!("rest {}, ", (s.end - s.start).clock()))
                .unwrap_or_default();
            let next = plan
                .segments
                .iter()
                .find(|s| s.start > cue.offset && !matches!(s.kind, SegmentKind::Rest))
                .map(|s| {
                    let b = &plan.blocks[s.block];
                    format!(
                        "  {rest}next: set {}/{} {}{}",
                        s.set,
                        b.sets,
                        b.exercise,
                        side_suffix(s.side)
                    )
                })
                .unwrap_or_default();
            format!("{set}  {what}{next}")
        }
        CueKind::SessionDone => "session complete".to_owned(),
    };
    format!("{word:<9} {detail}")
}

/// The first line: the preset, its week, its length, the speed and (when a person is at
/// the keys) the keys; a preview that is not logged says so.
fn header_line(plan: &Plan, speed: f64, logged: bool, keys: bool) -> String {
    let week = plan
        .week
        .map(|w| format!(" week {} of {}", w.number, w.of))
        .unwrap_or_default();
    let mut parts = vec![format!("{}{week}", plan.preset), plan.total().clock()];
    if (speed - 1.0).abs() >= f64::EPSILON {
        parts.push(format!("speed {speed}x"));
        if !logged {
            parts.push("preview: not logged".to_owned());
        }
    }
    if keys {
        parts.push(keys_help());
    }
    format!("start     {}", parts.join(" · "))
}

/// The line that acknowledges a command.
fn command_text(command: Command, session: &Session) -> String {
    match command {
        Command::TogglePause | Command::Pause | Command::Resume if session.is_paused() => {
            "paused    (space to resume)".to_owned()
        }
        Command::TogglePause | Command::Pause | Command::Resume => "resumed".to_owned(),
        Command::Skip => "skip".to_owned(),
        Command::Back => "back".to_owned(),
        Command::RestartSet => "restart   set".to_owned(),
        Command::Faster | Command::Slower => format!("speed     {:.2}x", session.speed()),
        Command::Stop => "stop".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::clock::Fake;
    use crate::plan::Overrides;
    use crate::preset::Preset;
    use crate::run::{Options, Sound};

    fn plan() -> Plan {
        let text = "id = \"t\"\nname = \"T\"\ndescription = \"d\"\nsource = \"S\"\nlead_in = \"2s\"\n[[block]]\nexercise = \"Hold\"\nhold = \"3s\"\nsets = 2\nrest = \"2s\"\nsides = \"alternate\"\n";
        Plan::build(
            &Preset::parse(text, Path::new("t.toml")).unwrap(),
            &Overrides::default(),
        )
        .unwrap()
    }

    #[test]
    fn prints_one_line_per_cue_with_its_time() {
        let clock = Fake::new();
        let (_tx, rx) = std::sync::mpsc::channel();
        let options = Options {
            speed: 1.0,
            ..Options::default()
        };
        let mut lines = Lines::new(Vec::new(), "\n", Err("not logged (--no-log)".to_owned()));
        let report =
            crate::run::run(&clock, plan(), options, Sound::Silent, &rx, &mut lines).unwrap();
        assert_eq!(report.ending, Ending::Completed);
        let text = String::from_utf8(lines.into_inner()).unwrap();
        let lines: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(
            lines,
            [
                "00:01.000  1         set 1/2 starts  Hold, left",
                "00:02.000  hold      3 s  set 1/2  Hold, left",
                "00:03.000  2         hold ends  set 1/2  Hold, left",
                "00:04.000  1         hold ends  set 1/2  Hold, left",
                "00:05.000  set done  set 1/2  Hold, left  rest 0:02, next: set 2/2 Hold, right",
                "00:06.000  1         set 2/2 starts  Hold, right",
                "00:07.000  hold      3 s  set 2/2  Hold, right",
                "00:08.000  2         hold ends  set 2/2  Hold, right",
                "00:09.000  1         hold ends  set 2/2  Hold, right",
                "00:10.000  done      session complete",
                "00:10.000  end       session complete; not logged (--no-log)",
            ]
        );
    }

    #[test]
    fn keys_and_commands_drive_the_session_and_every_set_is_logged() {
        use crossterm::event::{KeyCode, KeyEvent};

        use crate::run::Scripted;
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("sets.jsonl");
        let (_tx, rx) = std::sync::mpsc::channel();
        let key = |c| Scripted::Input(Input::Key(KeyEvent::from(KeyCode::Char(c))));
        let s = Span::from_secs;
        let options = Options {
            speed: 1.0,
            log: Some(crate::log::Store::at(log.clone())),
            script: vec![
                // Hold 1 is 2-5 s: paused 2 s at 3 s, so it ends at 7 s.
                (s(3), key(' ')),
                (s(5), Scripted::Command(Command::Resume)),
                // The rest (7-9 s) skipped at 7.5 s, so hold 2 starts then; q 1 s in.
                (Span::from_millis(7500), key('n')),
                (Span::from_millis(8500), key('q')),
            ],
            ..Options::default()
        };
        let mut lines = Lines::new(Vec::new(), "\n", Ok(log.clone()));
        let report = crate::run::run(
            &Fake::new(),
            plan(),
            options,
            Sound::Silent,
            &rx,
            &mut lines,
        )
        .unwrap();
        assert_eq!(report.ending, Ending::Quit);
        assert_eq!(report.logged, 2);
        let text = String::from_utf8(lines.into_inner()).unwrap();
        assert!(
            text.contains("00:03.000  paused    (space to resume)"),
            "{text}"
        );
        assert!(text.contains("00:05.000  resumed"), "{text}");
        assert!(text.contains("00:07.500  skip"), "{text}");
        assert!(
            text.contains("end       quit; 2 set records written to"),
            "{text}"
        );
        let records: Vec<serde_json::Value> = std::fs::read_to_string(&log)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let held: Vec<f64> = records
            .iter()
            .map(|r| r["hold_s"].as_f64().unwrap())
            .collect();
        assert_eq!(held, [3.0, 1.0]);
        assert_eq!(records[0]["end"], "2026-01-05T08:00:07.000+00:00");
        assert_eq!(records[1]["side"], "right");
        assert_eq!(records[1]["status"], "stopped");
    }

    #[test]
    fn at_the_keys_a_set_end_asks_for_pain_on_one_line_while_the_rest_runs() {
        use crossterm::event::{KeyCode, KeyEvent};

        use crate::run::Scripted;
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("sets.jsonl");
        let (_tx, rx) = std::sync::mpsc::channel();
        let key = |code| Scripted::Input(Input::Key(KeyEvent::from(code)));
        let ms = Span::from_millis;
        let options = Options {
            speed: 1.0,
            log: Some(crate::log::Store::at(log.clone())),
            script: vec![
                // Set 1 ends at 5 s: 3, Enter during the rest.
                (ms(5200), key(KeyCode::Char('3'))),
                (ms(5400), key(KeyCode::Enter)),
                // Set 2 ends at 10 s, the end: the run waits for its answer.
                (ms(10_000), key(KeyCode::Char('7'))),
                (ms(12_000), key(KeyCode::Enter)),
            ],
            ..Options::default()
        };
        let mut lines = Lines::new(Vec::new(), "\n", Ok(log.clone())).with_keys();
        let report = crate::run::run(
            &Fake::new(),
            plan(),
            options,
            Sound::Silent,
            &rx,
            &mut lines,
        )
        .unwrap();
        assert_eq!(report.logged, 2);
        let text = String::from_utf8(lines.into_inner()).unwrap();
        assert!(
            text.starts_with("00:00.000  start     t · 0:10 · keys: "),
            "{text}"
        );
        // The question stays on its line; "logged" comes once the record is on disk
        // (which the fake clock does not wait for).
        assert!(
            text.contains("rest 0:02, next: set 2/2 Hold, right\npain 0-10 for set 1 (Enter logs it): 3\n00:06.000"),
            "{text}"
        );
        assert!(text.contains("  logged    set 1, pain 3\n"), "{text}");
        assert!(text.contains("  logged    set 2, pain 7\n"), "{text}");
        let pains: Vec<serde_json::Value> = std::fs::read_to_string(&log)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["pain"].clone())
            .collect();
        assert_eq!(pains, [serde_json::json!(3), serde_json::json!(7)]);
    }

    /// The clock reading `ms` on the fake clock (which starts 2026-01-05 08:00 UTC) as
    /// a record writes it.
    fn on_fake_clock(ms: u64) -> String {
        format!(
            "2026-01-05T08:{:02}:{:02}.{:03}+00:00",
            ms / 60_000,
            ms / 1000 % 60,
            ms % 1000
        )
    }

    /// Runs `plan` at the keys on the fake clock with `script`, logging to a file; gives
    /// the report, the lines printed and the records written.
    fn run_at_the_keys(
        plan: Plan,
        script: Vec<(Span, crate::run::Scripted)>,
    ) -> (Report, String, Vec<serde_json::Value>) {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("sets.jsonl");
        let (_tx, rx) = std::sync::mpsc::channel();
        let options = Options {
            speed: 1.0,
            log: Some(crate::log::Store::at(log.clone())),
            script,
            ..Options::default()
        };
        let mut lines = Lines::new(Vec::new(), "\n", Ok(log.clone())).with_keys();
        let report =
            crate::run::run(&Fake::new(), plan, options, Sound::Silent, &rx, &mut lines).unwrap();
        let text = String::from_utf8(lines.into_inner()).unwrap();
        let records = std::fs::read_to_string(&log)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        (report, text, records)
    }

    fn key(code: crossterm::event::KeyCode) -> crate::run::Scripted {
        crate::run::Scripted::Input(Input::Key(crossterm::event::KeyEvent::from(code)))
    }

    fn typed(at: Span, text: &str) -> Vec<(Span, crate::run::Scripted)> {
        text.chars()
            .map(|c| (at, key(crossterm::event::KeyCode::Char(c))))
            .collect()
    }

    #[test]
    fn a_whole_isometric_session_asks_at_every_set_end_and_logs_each_set_exactly() {
        use crossterm::event::KeyCode;
        let (catalog, _) = crate::preset::Catalog::load(None);
        let (preset, _) = catalog.resolve("isometric").unwrap();
        let plan = Plan::build(&preset, &Overrides::default()).unwrap();
        // Holds of 45 s after a 5 s lead-in, 2 min apart: set k holds from
        // 5 + 165 (k - 1) s.
        let s = Span::from_secs;
        let mut script = vec![(s(51), key(KeyCode::Enter))];
        script.extend(typed(s(216), "3"));
        script.push((s(217), key(KeyCode::Enter)));
        // 12 is no score: asked again, then 7.
        script.extend(typed(s(381), "12"));
        script.push((s(382), key(KeyCode::Enter)));
        script.extend(typed(s(383), "7"));
        script.push((s(384), key(KeyCode::Enter)));
        // Set 4 (500-545 s) paused for 10 s, so it ends at 555 s.
        script.push((s(525), key(KeyCode::Char(' '))));
        script.push((s(535), key(KeyCode::Char(' '))));
        script.push((s(556), key(KeyCode::Enter)));
        // Set 5 (675-720 s after the pause) skipped 25 s in; its question still holds
        // the run open at the end.
        script.push((s(700), key(KeyCode::Char('n'))));
        script.extend(typed(s(701), "2"));
        script.push((s(702), key(KeyCode::Enter)));
        let (report, text, records) = run_at_the_keys(plan, script);
        assert_eq!(report.ending, Ending::Completed);
        assert_eq!(report.logged, 5);
        assert!(report.unlogged.is_empty());
        for set in 1..=5 {
            assert!(
                text.contains(&format!("pain 0-10 for set {set} (Enter logs it): ")),
                "{text}"
            );
        }
        assert!(
            text.contains("  pain      is 0 to 10: type it again\n"),
            "{text}"
        );
        assert!(text.contains("08:45.000  paused"), "{text}");
        assert!(text.contains("08:55.000  resumed"), "{text}");
        assert!(text.contains("11:40.000  skip"), "{text}");
        assert!(
            text.contains("11:42.000  end       session complete; 5 set records written to"),
            "{text}"
        );
        let expected: Vec<serde_json::Value> = [
            (1, 5_000, 50_000, 45.0, None),
            (2, 170_000, 215_000, 45.0, Some(3)),
            (3, 335_000, 380_000, 45.0, Some(7)),
            (4, 500_000, 555_000, 45.0, None),
            (5, 675_000, 700_000, 25.0, Some(2)),
        ]
        .into_iter()
        .map(
            |(set, start, end, held, pain): (u32, u64, u64, f64, Option<u8>)| {
                serde_json::json!({
                    "kind": "set", "v": 1,
                    "start": on_fake_clock(start), "end": on_fake_clock(end),
                    "preset": "isometric", "exercise": "Leg extension, isometric hold",
                    "side": "both", "set": set, "sets": 5,
                    "planned_reps": null, "done_reps": null, "hold_s": held, "tempo": null,
                    "tut_s": held, "load": null, "pain": pain, "rpe": null, "note": null,
                    "status": "done", "session": on_fake_clock(0), "week": null,
                    "planned_hold_s": 45.0, "cadence_bpm": null, "duration_s": null,
                    "target": "70%MVC",
                })
            },
        )
        .collect();
        assert_eq!(records, expected);
    }

    #[test]
    fn a_reps_session_goes_back_and_quit_keeps_the_set_in_progress_exactly() {
        use crossterm::event::KeyCode;
        let text = "id = \"t\"\nname = \"T\"\ndescription = \"d\"\nsource = \"S\"\nlead_in = \"2s\"\n[[block]]\nexercise = \"Squat\"\nreps = 3\ntempo = \"2-0-2-0\"\nsets = 2\nrest = \"10s\"\nload = \"60kg\"\n";
        let plan = Plan::build(
            &Preset::parse(text, Path::new("t.toml")).unwrap(),
            &Overrides::default(),
        )
        .unwrap();
        let ms = Span::from_millis;
        // Set 1 (2-14 s): back at 5.5 s, 1.5 s into rep 1's up, replays those 1.5 s, so
        // the set ends at 15.5 s; pain 4. Set 2 starts after the 10 s rest, at 25.5 s;
        // q 5 s in (one rep and 1 s of the next) quits, keeping the set as stopped.
        let mut script = vec![(ms(5500), key(KeyCode::Char('p')))];
        script.extend(typed(ms(16_000), "4"));
        script.push((ms(16_500), key(KeyCode::Enter)));
        script.push((ms(30_500), key(KeyCode::Char('q'))));
        let (report, text, records) = run_at_the_keys(plan, script);
        assert_eq!(report.ending, Ending::Quit);
        assert_eq!(report.logged, 2);
        assert!(text.contains("00:05.500  back"), "{text}");
        assert!(
            text.contains("00:30.500  stopped   set 2 ended early: 1 reps, 0:05 of work"),
            "{text}"
        );
        assert!(
            text.contains("00:30.500  end       quit; 2 set records written to"),
            "{text}"
        );
        let record = |set: u32, start, end, reps, tut: f64, pain: Option<u8>, status| {
            serde_json::json!({
                "kind": "set", "v": 1,
                "start": on_fake_clock(start), "end": on_fake_clock(end),
                "preset": "t", "exercise": "Squat", "side": "both", "set": set, "sets": 2,
                "planned_reps": 3, "done_reps": reps, "hold_s": null, "tempo": "2-0-2-0",
                "tut_s": tut, "load": {"value": 60.0, "unit": "kg"}, "pain": pain,
                "rpe": null, "note": null, "status": status, "session": on_fake_clock(0),
                "week": null, "planned_hold_s": null, "cadence_bpm": null,
                "duration_s": null,
            })
        };
        assert_eq!(
            records,
            [
                record(1, 2_000, 15_500, 3, 12.0, Some(4), "done"),
                record(2, 25_500, 30_500, 1, 5.0, None, "stopped"),
            ]
        );
    }

    #[test]
    fn timestamps() {
        assert_eq!(timestamp(Span::from_millis(12_000)), "00:12.000");
        assert_eq!(timestamp(Span::from_millis(3_723_004)), "1:02:03.004");
    }
}
