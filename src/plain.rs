//! The line-by-line runner: one line per cue as it happens, for scripts, logs and
//! screen readers. The loop waits on the clock until the next due time, computed from
//! the session's absolute offsets, or until a key or a signal arrives.

use std::io::Write;
use std::path::PathBuf;
use std::sync::mpsc::Receiver;

use crate::audio::output::{Live, NaivePlayer};
use crate::audio::sounds::sound_for;
use crate::clock::Clock;
use crate::log::{Record, SetRecord, Store};
use crate::plan::{Cue, CueKind, Plan, PlannedWork, Segment, SegmentKind};
use crate::preset::Side;
use crate::session::{Command, Event, Session, SetStatus};
use crate::span::Span;

/// What reaches the loop from the keyboard and from signals.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Input {
    Command(Command),
    Help,
    /// `q`: stop, keeping the set in progress.
    Quit,
    /// Ctrl-C or SIGINT.
    Interrupt,
    /// SIGTERM.
    Terminate,
    /// SIGHUP: the terminal went away.
    HangUp,
    /// `m`: mute or unmute the sound.
    Mute,
    /// The sound device stopped taking samples.
    AudioLost,
    /// A key as it was pressed, for the full-screen display, which reads text too.
    Key(crossterm::event::KeyEvent),
    /// The terminal changed size.
    Resize,
}

/// Where the cues sound.
pub enum Sound<'a> {
    /// Nowhere: visual cues and the terminal bell.
    Silent,
    /// A live stream, which is also the session's clock.
    Live(&'a mut Live),
    /// The benchmark's baseline: each cue's sound started by its own call.
    Naive(&'a NaivePlayer),
}

impl Sound<'_> {
    /// The live stream, while it plays.
    pub(crate) fn live(&mut self) -> Option<&mut Live> {
        match self {
            Sound::Live(live) if !live.is_lost() => Some(live),
            _ => None,
        }
    }

    /// Whether nothing sounds: no stream, or a lost one (then the bell stands in).
    pub(crate) fn is_silent(&self) -> bool {
        match self {
            Sound::Silent => true,
            Sound::Live(live) => live.is_lost(),
            Sound::Naive(_) => false,
        }
    }

    /// What a due cue asks of the sound: only the naive baseline plays it now; the
    /// live track has it placed already.
    pub(crate) fn cue(&self, plan: &Plan, cue: &Cue) {
        if let Sound::Naive(player) = self {
            player.play(sound_for(plan, cue, false));
        }
    }

    /// Applies `command` to the session: with live sound, at the clock reading of the
    /// next sample to render, moving the sound's anchor with the session's.
    pub(crate) fn apply(
        &mut self,
        session: &mut Session,
        command: Command,
        now: Span,
    ) -> Vec<Event> {
        match self.live() {
            Some(live) => live.at_next_sample(|at| {
                let events = session.command(command, at);
                let (pos, speed, still) = session.anchor();
                (events, pos, speed, still)
            }),
            None => session.command(command, now),
        }
    }

    /// How long the last sound still needs to play out, if anything sounds.
    pub(crate) fn ring_out(&mut self) -> Option<Span> {
        match self {
            Sound::Naive(_) => Some(Span::from_secs(1)),
            sound => sound.live().map(|live| live.ring_out()),
        }
    }
}

/// The `--trace` file: one JSON line per cue, times relative to the session start.
pub(crate) struct Trace {
    file: Option<std::io::LineWriter<std::fs::File>>,
    start: Span,
}

impl Trace {
    /// Creates the file, if one is asked for.
    pub(crate) fn create(path: Option<&std::path::Path>, start: Span) -> std::io::Result<Trace> {
        let file = match path {
            Some(path) => Some(std::io::LineWriter::new(std::fs::File::create(path)?)),
            None => None,
        };
        Ok(Trace { file, start })
    }

    pub(crate) fn write(&mut self, cue: &Cue, due: Span, issued: Span) {
        let Some(file) = self.file.as_mut() else {
            return;
        };
        let rel = |t: Span| t.saturating_sub(self.start).as_secs_f64();
        let line = serde_json::json!({
            "offset_s": cue.offset.as_secs_f64(),
            "due_s": rel(due),
            "issued_s": rel(issued),
            "kind": cue.kind.name(),
        });
        if writeln!(file, "{line}").is_err() {
            self.file = None;
            eprintln!("reptempo: cannot write the trace; tracing stopped");
        }
    }
}

/// How a session ended, which decides the exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    Completed,
    Quit,
    Interrupted,
    Terminated,
    HungUp,
}

impl Ending {
    /// 0 for the end or `q`, 130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP (128 + the
    /// signal).
    #[must_use]
    pub const fn exit_code(self) -> u8 {
        match self {
            Ending::Completed | Ending::Quit => 0,
            Ending::Interrupted => 130,
            Ending::Terminated => 143,
            Ending::HungUp => 129,
        }
    }
}

/// How a run went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Report {
    pub ending: Ending,
    /// Set records the log could not take (each was printed to stderr instead).
    pub log_failures: u32,
}

impl Report {
    /// The ending's exit code, or 1 when a clean ending lost records to stderr.
    #[must_use]
    pub fn exit_code(self) -> u8 {
        match self.ending.exit_code() {
            0 if self.log_failures > 0 => 1,
            code => code,
        }
    }
}

/// What a run needs besides the plan and the clock.
#[derive(Debug)]
pub struct Options {
    pub speed: f64,
    /// Ring the terminal bell at phase starts.
    pub bell: bool,
    pub log: Option<Store>,
    pub trace: Option<PathBuf>,
    /// The line ending: `"\r\n"` while the terminal is in raw mode.
    pub newline: &'static str,
    /// Commands to apply at given times after the start, as if keys were pressed then
    /// (for tests that drive a session without a terminal).
    pub script: Vec<(Span, Command)>,
}

/// A `--script` for tests: `1.5s:pause,2.5s:resume,4s:skip`, times after the start.
///
/// # Errors
/// A sentence naming the part that is not `TIME:COMMAND`.
pub fn parse_script(text: &str) -> Result<Vec<(Span, Command)>, String> {
    let mut script = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (time, name) = part
            .split_once(':')
            .ok_or_else(|| format!("{part:?} is not TIME:COMMAND"))?;
        let at = Span::parse(time).map_err(|e| e.to_string())?;
        let command = match name.trim() {
            "pause" => Command::Pause,
            "resume" => Command::Resume,
            "skip" => Command::Skip,
            "back" => Command::Back,
            "restart" => Command::RestartSet,
            "faster" => Command::Faster,
            "slower" => Command::Slower,
            "stop" => Command::Stop,
            other => return Err(format!("{other:?} is not a command")),
        };
        script.push((at, command));
    }
    script.sort_by_key(|(at, _)| *at);
    Ok(script)
}

/// The key map of the plain runner and the TUI: one pure match on the key.
#[must_use]
pub fn key_input(code: char, ctrl: bool) -> Option<Input> {
    match (ctrl, code) {
        (true, 'c') => Some(Input::Interrupt),
        (false, ' ') => Some(Input::Command(Command::TogglePause)),
        (false, 'n') => Some(Input::Command(Command::Skip)),
        (false, 'b') => Some(Input::Command(Command::Back)),
        (false, 'r') => Some(Input::Command(Command::RestartSet)),
        (false, '+' | '=') => Some(Input::Command(Command::Faster)),
        (false, '-' | '_') => Some(Input::Command(Command::Slower)),
        (false, 'q') => Some(Input::Quit),
        (false, 'm') => Some(Input::Mute),
        (false, '?' | 'h') => Some(Input::Help),
        _ => None,
    }
}

const KEYS_HELP: &str =
    "keys: space pause/resume, n skip, b back, r restart set, + faster, - slower, m mute, q quit";

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

fn side_suffix(side: Side) -> &'static str {
    match side {
        Side::Both => "",
        Side::Left => ", left",
        Side::Right => ", right",
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
            let into = segment_at(plan, cue.offset).map_or(Span::ZERO, |s| cue.offset - s.start);
            format!("{}  {rep}{set}", into.as_micros() / 1_000_000)
        }
        CueKind::Countdown(_) => match segment_at(plan, cue.offset).map(|s| s.kind) {
            Some(SegmentKind::Hold) => format!("hold ends  {set}  {what}"),
            _ => format!("{set} starts  {what}"),
        },
        CueKind::Switch => format!("{set}  {}: other side next", block.exercise),
        CueKind::SetDone => {
            let next = plan
                .segments
                .iter()
                .find(|s| s.start > cue.offset && !matches!(s.kind, SegmentKind::Rest))
                .map(|s| {
                    let b = &plan.blocks[s.block];
                    format!(
                        "  next: set {}/{} {}{}",
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

/// Whether a cue starts a phase (and rings the bell).
pub(crate) fn is_phase_start(kind: CueKind) -> bool {
    matches!(
        kind,
        CueKind::Down | CueKind::Up | CueKind::Hold | CueKind::Pause
    )
}

/// Writes one line per cue and the set records, until the session ends.
struct Runner<'a, C: Clock, W: Write> {
    clock: &'a C,
    out: W,
    options: &'a Options,
    sound: Sound<'a>,
    trace: Trace,
    session_start: Span,
    logged: u32,
    log_failures: u32,
    writer: Option<crate::log::Writer>,
}

impl<C: Clock, W: Write> Runner<'_, C, W> {
    fn line(&mut self, at: Span, text: &str) {
        // A closed stdout must not stop the session: the log and the audio go on.
        let _ = write!(
            self.out,
            "{}  {text}{}",
            timestamp(at),
            self.options.newline
        );
        let _ = self.out.flush();
    }

    fn handle(&mut self, session: &Session, events: Vec<Event>) {
        for event in events {
            match event {
                Event::Cue { cue, due } => {
                    let issued = self.clock.now();
                    if self.options.bell && self.sound.is_silent() && is_phase_start(cue.kind) {
                        let _ = write!(self.out, "\x07");
                    }
                    self.sound.cue(session.plan(), &cue);
                    let text = cue_text(session.plan(), &cue);
                    self.line(issued.saturating_sub(self.session_start), &text);
                    self.trace.write(&cue, due, issued);
                }
                Event::SetEnded(outcome) => {
                    if outcome.status == SetStatus::Stopped {
                        let reps = outcome
                            .done_reps
                            .map(|r| format!("{r} reps, "))
                            .unwrap_or_default();
                        let at = self.clock.now().saturating_sub(self.session_start);
                        self.line(
                            at,
                            &format!(
                                "stopped   set {} ended early: {reps}{} of work",
                                outcome.set,
                                outcome.done_work.clock()
                            ),
                        );
                    }
                    let record =
                        SetRecord::new(session.plan(), &outcome, self.clock, self.session_start);
                    self.log(Record::Set(record));
                }
                Event::Finished => {}
            }
        }
    }

    fn command(&mut self, session: &mut Session, command: Command, now: Span) {
        let events = self.sound.apply(session, command, now);
        self.handle(session, events);
    }

    /// Lets the last sound play out before the stream closes (a key ends it early).
    fn ring_out(&mut self, inbox: &Receiver<Input>) {
        if let Some(ring) = self.sound.ring_out() {
            let _ = self.clock.wait(Some(self.clock.now() + ring), inbox);
        }
    }

    /// Waits for the log, then the closing line: how it ended and where the sets went.
    fn summary(&mut self, ending: Ending) {
        if let Some(writer) = self.writer.take() {
            for (record, e) in writer.finish() {
                // Never lose a set: if the log cannot take it, the user gets it here.
                self.log_failures += 1;
                self.logged -= 1;
                eprintln!(
                    "reptempo: {}; the record was: {}",
                    crate::error_chain(&e),
                    record.to_line()
                );
            }
        }
        let at = self.clock.now().saturating_sub(self.session_start);
        let logged = match &self.options.log {
            Some(store) => format!(
                "{} set records written to {}",
                self.logged,
                store.path().display()
            ),
            None => "not logged (--no-log)".to_owned(),
        };
        let how = match ending {
            Ending::Completed => "session complete",
            Ending::Quit => "quit",
            Ending::Interrupted => "interrupted",
            Ending::Terminated => "terminated",
            Ending::HungUp => "hung up",
        };
        self.line(at, &format!("end       {how}; {logged}"));
        if self.log_failures > 0 {
            let text = format!(
                "warning   {} set records could not be logged (see above)",
                self.log_failures
            );
            self.line(at, &text);
        }
    }

    fn log(&mut self, record: Record) {
        if let Some(writer) = &self.writer {
            writer.write(record);
            self.logged += 1;
        }
    }
}

/// Runs `plan` on `clock` until it ends, a key stops it, or a signal arrives; with a
/// live `sound`, commands re-anchor the sound and the session at the same sample.
///
/// # Errors
/// When the trace file cannot be created.
pub fn run<'a, C: Clock>(
    clock: &'a C,
    plan: Plan,
    options: &'a Options,
    sound: Sound<'a>,
    inbox: &Receiver<Input>,
    out: impl Write,
) -> std::io::Result<Report> {
    let session_start = clock.now();
    let trace = Trace::create(options.trace.as_deref(), session_start)?;
    let mut runner = Runner {
        clock,
        out,
        options,
        sound,
        trace,
        session_start,
        logged: 0,
        log_failures: 0,
        writer: match &options.log {
            Some(store) => Some(crate::log::Writer::start(store.clone())?),
            None => None,
        },
    };
    let header = header_line(&plan, options.speed);
    runner.line(Span::ZERO, &header);
    let mut session = Session::new(plan, session_start, options.speed);
    let mut script_at = 0;
    let ending = loop {
        let events = session.advance(clock.now());
        runner.handle(&session, events);
        if session.is_finished() {
            runner.ring_out(inbox);
            break Ending::Completed;
        }
        let scripted = options
            .script
            .get(script_at)
            .map(|(at, _)| session_start + *at);
        let due = match (session.next_due(), scripted) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let mut input = clock.wait(due, inbox);
        let now = clock.now();
        if input.is_none() && scripted.is_some_and(|t| now >= t) {
            input = Some(Input::Command(options.script[script_at].1));
            script_at += 1;
        }
        let at = now.saturating_sub(session_start);
        let ending = match input {
            // Paused, and nothing can wake us any more.
            None if due.is_none() => Some(Ending::Quit),
            Some(Input::Command(command)) => {
                runner.command(&mut session, command, now);
                let text = command_text(command, &session);
                runner.line(at, &text);
                None
            }
            Some(Input::Help) => {
                runner.line(at, KEYS_HELP);
                None
            }
            Some(Input::Mute) => {
                let text = match runner.sound.live() {
                    Some(live) if live.toggle_mute() => "muted     (m to unmute)",
                    Some(_) => "unmuted",
                    None => "no sound to mute",
                };
                runner.line(at, text);
                None
            }
            Some(Input::AudioLost) => {
                if let Sound::Live(live) = &mut runner.sound {
                    live.close();
                }
                runner.line(
                    at,
                    "audio: the output device was lost; continuing with visual cues and the bell",
                );
                None
            }
            None | Some(Input::Key(_) | Input::Resize) => None,
            Some(Input::Quit) => Some(Ending::Quit),
            Some(Input::Interrupt) => Some(Ending::Interrupted),
            Some(Input::Terminate) => Some(Ending::Terminated),
            Some(Input::HangUp) => Some(Ending::HungUp),
        };
        if let Some(ending) = ending {
            runner.command(&mut session, Command::Stop, clock.now());
            break ending;
        }
    };
    runner.summary(ending);
    Ok(Report {
        ending,
        log_failures: runner.log_failures,
    })
}

/// The first line: the preset, its week, its length, the speed and the keys.
fn header_line(plan: &Plan, speed: f64) -> String {
    let speed = if (speed - 1.0).abs() < f64::EPSILON {
        String::new()
    } else {
        format!("speed {speed}x · ")
    };
    format!(
        "start     {}{} · {} · {speed}{KEYS_HELP}",
        plan.preset,
        plan.week
            .map(|w| format!(" week {} of {}", w.number, w.of))
            .unwrap_or_default(),
        plan.total().clock(),
    )
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
            bell: false,
            log: None,
            trace: None,
            newline: "\n",
            script: Vec::new(),
        };
        let mut out = Vec::new();
        let report = run(&clock, plan(), &options, Sound::Silent, &rx, &mut out).unwrap();
        assert_eq!(report.ending, Ending::Completed);
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(
            lines,
            [
                "00:01.000  1         set 1/2 starts  Hold, left",
                "00:02.000  hold      3 s  set 1/2  Hold, left",
                "00:03.000  2         hold ends  set 1/2  Hold, left",
                "00:04.000  1         hold ends  set 1/2  Hold, left",
                "00:05.000  set done  set 1/2  Hold, left  next: set 2/2 Hold, right",
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
    fn keys_map_to_commands() {
        assert_eq!(
            key_input(' ', false),
            Some(Input::Command(Command::TogglePause))
        );
        assert_eq!(key_input('n', false), Some(Input::Command(Command::Skip)));
        assert_eq!(key_input('c', true), Some(Input::Interrupt));
        assert_eq!(key_input('q', false), Some(Input::Quit));
        assert_eq!(key_input('x', false), None);
    }

    #[test]
    fn scripts_name_times_and_commands() {
        assert_eq!(
            parse_script("3s:resume, 2.1s:pause"),
            Ok(vec![
                (Span::from_millis(2100), Command::Pause),
                (Span::from_secs(3), Command::Resume)
            ])
        );
        assert!(parse_script("2s").is_err());
        assert!(parse_script("2s:jump").is_err());
        assert!(parse_script("x:pause").is_err());
    }

    #[test]
    fn timestamps() {
        assert_eq!(timestamp(Span::from_millis(12_000)), "00:12.000");
        assert_eq!(timestamp(Span::from_millis(3_723_004)), "1:02:03.004");
    }
}
