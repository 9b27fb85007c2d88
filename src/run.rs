//! The one session driver: it owns the clock, the session, the sound, the trace, the
//! log writer and the script, and drives the session to its end through a
//! [`FrontEnd`] (the plain lines or the full-screen display), which only decides what
//! is shown and what a key or a set's end means there.
//!
//! The loop waits on the clock until the earliest of: the session's next due time
//! (from the plan's absolute offsets), the front end's next frame, and the next
//! scripted command; or until a key or a signal arrives. Nothing adds up sleeps.
//! Every set is logged here, and every log failure is reported here.

pub mod script;
pub mod sound;
pub mod trace;

use std::sync::mpsc::{Receiver, Sender};

use crate::clock::Clock;
use crate::input::Input;
use crate::load::Load;
use crate::log::{Record, SetRecord, Store, WriteEvent};
use crate::plan::Cue;
use crate::session::{Command, Event, Session, SetOutcome};
use crate::span::Span;
pub use script::{Scripted, parse_script};
pub use sound::Sound;
use trace::Trace;

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

    /// The word for it in a closing line.
    #[must_use]
    pub const fn word(self) -> &'static str {
        match self {
            Ending::Completed => "session complete",
            Ending::Quit => "quit",
            Ending::Interrupted => "interrupted",
            Ending::Terminated => "terminated",
            Ending::HungUp => "hung up",
        }
    }
}

/// How a run went.
#[derive(Debug)]
pub struct Report {
    pub ending: Ending,
    /// Set records on disk.
    pub logged: u32,
    /// Of those, the ones that count as training (not run mostly at another speed).
    pub trained: u32,
    /// Set records not on disk (refused, or left when the wait for the log was given
    /// up): the caller prints them, so none is lost.
    pub unlogged: Vec<Record>,
    /// Where they were meant to go.
    pub log: Option<std::path::PathBuf>,
    /// Whether the trace stopped part-way.
    pub trace_failed: bool,
}

impl Report {
    /// The ending's exit code, or 1 when a clean ending lost records to stderr or
    /// could not write its trace.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self.ending.exit_code() {
            0 if !self.unlogged.is_empty() || self.trace_failed => 1,
            code => code,
        }
    }

    /// The records not on disk, for stderr: "2 sets NOT written to FILE:" and one
    /// JSON line each; `None` when every set was written.
    #[must_use]
    pub fn unlogged_text(&self) -> Option<String> {
        let path = self.log.as_deref()?;
        crate::log::store::not_written_report(path, &self.unlogged)
    }
}

/// What a person adds to a set before it is logged; `None` keeps what the session
/// measured (reps) or what the plan says (load).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Answers {
    pub done_reps: Option<u32>,
    pub load: Option<Load>,
    pub pain: Option<u8>,
    pub rpe: Option<f64>,
    pub note: Option<String>,
}

/// A set to log: what the session measured and what the person said.
#[derive(Clone, Debug, PartialEq)]
pub struct SetEntry {
    pub outcome: SetOutcome,
    pub answers: Answers,
}

/// What an input asks of the run.
#[derive(Clone, Debug, PartialEq)]
pub enum Flow {
    Go,
    Command(Command),
    Mute,
    Log(SetEntry),
    /// Stop the session; `keep_set` logs the set in progress as stopped.
    Stop {
        ending: Ending,
        keep_set: bool,
    },
    /// The end was seen: close the run.
    Leave,
}

/// What the driver did or saw, for the front end to show.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    /// A command took effect.
    Command(Command),
    /// Sound was muted (`true`) or unmuted.
    Muted(bool),
    NoSoundToMute,
    /// The sound device went away; the bell stands in.
    AudioLost,
    /// A set record is on disk.
    Logged(Box<SetRecord>),
    /// The log refused a set record: what was wrong, and the record.
    LogFailed(String, Box<Record>),
    /// Another program has held the log's lock for a second.
    LogWaiting(std::path::PathBuf),
}

/// A way to show a session: lines, or the full-screen display.
pub trait FrontEnd {
    /// The session is about to start.
    fn begin(&mut self, session: &Session);
    /// A cue is due; `at` is the time since the session started.
    fn cue(&mut self, session: &Session, cue: &Cue, at: Span);
    /// Rings the terminal bell (nothing else sounds).
    fn bell(&mut self);
    /// A set ended: the sets to log now. The display opens its form instead, and
    /// returns a form still open from the set before.
    fn set_ended(&mut self, session: &Session, outcome: SetOutcome, at: Span) -> Vec<SetEntry>;
    /// What a key (or a resize) means here.
    fn input(&mut self, session: &Session, input: Input, at: Span) -> Flow;
    /// Something happened that the person should see.
    fn notice(&mut self, session: &Session, notice: Notice, at: Span);
    /// When the screen next changes without input, as a clock reading.
    fn wake(&self, session: &Session, now: Span) -> Option<Span>;
    /// Shows the session at clock reading `now`, `at` after its start.
    ///
    /// # Errors
    /// When the terminal cannot be drawn on.
    fn draw(&mut self, session: &Session, now: Span, at: Span) -> std::io::Result<()>;
    /// The session is at its end: whether the run closes now (the display first shows
    /// its summary until a key is pressed; the lines wait for a question's answer).
    fn reached_end(&mut self) -> bool;
    /// The session is stopping early: sets still waiting to be logged.
    fn stopping(&mut self) -> Vec<SetEntry>;
    /// Ctrl-Z: gives the terminal back and stops until continued, then redraws.
    fn suspend(&mut self);
    /// The run is over.
    fn close(&mut self, report: &Report, at: Span);
}

/// What a run needs besides the plan, the clock, the sound and the front end.
#[derive(Debug, Default)]
pub struct Options {
    pub speed: f64,
    /// Ring the terminal bell at phase starts when nothing sounds.
    pub bell: bool,
    pub log: Option<Store>,
    pub trace: Option<std::path::PathBuf>,
    /// Commands (or keys) to apply at given times after the start, as if keys were
    /// pressed then (for tests that drive a session without a terminal).
    pub script: Vec<(Span, Scripted)>,
    /// A sender to the run's inbox: the log writer's news wakes the run through it
    /// (without one, news is seen at the next wake-up).
    pub wake: Option<Sender<Input>>,
    /// Wait for cues at real-time priority where permitted ([`crate::priority`]).
    pub realtime: bool,
}

/// The state of one run.
struct Driver<'a> {
    clock: &'a dyn Clock,
    session: Session,
    sound: Sound,
    trace: Trace,
    writer: Option<crate::log::Writer>,
    /// What the writer has done, as it happens.
    news: Receiver<WriteEvent>,
    logged: u32,
    trained: u32,
    bell: bool,
    start: Span,
    front: &'a mut dyn FrontEnd,
}

impl Driver<'_> {
    fn since_start(&self) -> Span {
        self.clock.now().saturating_sub(self.start)
    }

    fn handle(&mut self, events: Vec<Event>) {
        for event in events {
            match event {
                Event::Cue { cue, due } => {
                    let issued = self.clock.now();
                    if self.bell && self.sound.is_silent() && cue.kind.starts_phase() {
                        self.front.bell();
                    }
                    self.sound.cue(self.session.plan(), &cue);
                    let at = issued.saturating_sub(self.start);
                    self.front.cue(&self.session, &cue, at);
                    self.trace.write(&cue, due, issued);
                }
                Event::SetEnded(outcome) => {
                    let at = self.since_start();
                    let entries = self.front.set_ended(&self.session, outcome, at);
                    for entry in entries {
                        self.log(entry);
                    }
                }
                Event::Finished => {}
            }
        }
    }

    /// The one place a set becomes a record and goes to the log. Its time under
    /// tension, hold and bout are the clock time spent on them, each stretch at the
    /// speed it was run at ([`SetOutcome::tut_spent`]). At a speed other than 1 the
    /// record says so and holds the tempo as performed. The speed is the one most
    /// of the set ran at, not the one when its form is answered: a `+` pressed in the
    /// rest changes the next set, not the one just done.
    fn log(&mut self, entry: SetEntry) {
        let Some(writer) = &self.writer else {
            return;
        };
        let SetEntry { outcome, answers } = entry;
        let speed = outcome.speed;
        let mut record =
            SetRecord::new(self.session.plan(), &outcome, self.clock, self.start).with_speed(speed);
        if record.speed.is_some()
            && let crate::plan::PlannedWork::Reps { tempo, .. } =
                self.session.plan().blocks[outcome.block].work
        {
            record.tempo = Some(tempo.at_speed(speed).to_string());
        }
        record.done_reps = answers.done_reps.or(record.done_reps);
        if let Some(load) = answers.load {
            record.set_load(load);
        }
        record.pain = answers.pain;
        record.rpe = answers.rpe;
        record.note = answers.note;
        writer.write(Record::Set(record));
    }

    /// Tells the front end what the log writer did; "logged" only once on disk.
    fn drain_news(&mut self) {
        while let Ok(event) = self.news.try_recv() {
            let at = self.since_start();
            let notice = match event {
                WriteEvent::Written {
                    record: Record::Set(record),
                } => {
                    self.logged += 1;
                    self.trained += u32::from(record.is_training());
                    Notice::Logged(Box::new(record))
                }
                WriteEvent::Written { .. } => continue,
                WriteEvent::Failed { record, error } => {
                    Notice::LogFailed(crate::error_chain(&error), Box::new(record))
                }
                WriteEvent::Waiting { path } => Notice::LogWaiting(path),
            };
            self.front.notice(&self.session, notice, at);
        }
    }

    fn command(&mut self, command: Command) {
        let now = self.clock.now();
        let events = self.sound.apply(&mut self.session, command, now);
        self.handle(events);
    }

    /// Lets the last sound play out before the stream closes (a key ends it early).
    fn ring_out(&mut self, inbox: &Receiver<Input>) {
        if let Some(ring) = self.sound.ring_out() {
            let _ = self.clock.wait(Some(self.clock.now() + ring), inbox);
        }
    }

    /// What an input from outside asks of the run.
    fn on_input(&mut self, input: Input, at: Span) -> Flow {
        match input {
            Input::Interrupt => stop_on(Ending::Interrupted),
            Input::Terminate => stop_on(Ending::Terminated),
            Input::HangUp => stop_on(Ending::HungUp),
            Input::Suspend => {
                // The session waits while the process is stopped; a person resumes it.
                if !self.session.is_paused() && !self.session.is_finished() {
                    self.flow(Flow::Command(Command::Pause));
                }
                self.sound.suspend(true);
                self.front.suspend();
                self.sound.suspend(false);
                Flow::Go
            }
            Input::LogNews => Flow::Go,
            Input::AudioLost => {
                self.sound.lose();
                self.front.notice(&self.session, Notice::AudioLost, at);
                Flow::Go
            }
            Input::Key(_) | Input::Resize => self.front.input(&self.session, input, at),
        }
    }

    /// What the run does with one flow; `Some` ends the loop.
    fn flow(&mut self, flow: Flow) -> Option<Ending> {
        let at = self.since_start();
        match flow {
            Flow::Go => None,
            Flow::Command(command) => {
                self.command(command);
                self.front
                    .notice(&self.session, Notice::Command(command), at);
                None
            }
            Flow::Mute => {
                let notice = match self.sound.live() {
                    Some(live) => Notice::Muted(live.toggle_mute()),
                    None => Notice::NoSoundToMute,
                };
                self.front.notice(&self.session, notice, at);
                None
            }
            Flow::Log(entry) => {
                self.log(entry);
                None
            }
            Flow::Stop { ending, keep_set } => {
                self.stop(keep_set);
                Some(ending)
            }
            Flow::Leave => Some(Ending::Completed),
        }
    }

    /// Stops the session early; the set in progress is logged as stopped if kept.
    fn stop(&mut self, keep_set: bool) {
        let now = self.clock.now();
        let events = self.sound.apply(&mut self.session, Command::Stop, now);
        let events = events
            .into_iter()
            .filter(|e| keep_set || !matches!(e, Event::SetEnded(_)))
            .collect();
        self.handle(events);
        for entry in self.front.stopping() {
            self.log(entry);
        }
    }
}

/// Runs `plan` on `clock` through `front` until it ends, a key stops it, or a signal
/// arrives; with live `sound`, commands re-anchor the sound and the session at the same
/// sample.
///
/// # Errors
/// When the trace file cannot be created or the front end cannot draw.
pub fn run(
    clock: &dyn Clock,
    plan: crate::plan::Plan,
    options: Options,
    sound: Sound,
    inbox: &Receiver<Input>,
    front: &mut dyn FrontEnd,
) -> std::io::Result<Report> {
    let start = clock.now();
    let trace = Trace::create(options.trace.as_deref(), start)?;
    let (news_to, news) = std::sync::mpsc::channel();
    let log_path = options.log.as_ref().map(|s| s.path().to_owned());
    let writer = match options.log {
        Some(store) => {
            let wake = options.wake;
            Some(crate::log::Writer::spawn(store, move |event| {
                let _ = news_to.send(event);
                if let Some(wake) = &wake {
                    let _ = wake.send(Input::LogNews);
                }
            })?)
        }
        None => None,
    };
    let mut driver = Driver {
        clock,
        session: Session::new(plan, start, options.speed),
        sound,
        trace,
        writer,
        news,
        logged: 0,
        trained: 0,
        bell: options.bell,
        start,
        front,
    };
    // Raised after every helper thread of the run is started, so none inherits it.
    let _raised = options.realtime.then(crate::priority::raise).flatten();
    driver.front.begin(&driver.session);
    let mut script = options.script.into_iter().peekable();
    let ending = loop {
        let now = clock.now();
        let events = driver.session.advance(now);
        driver.handle(events);
        driver.drain_news();
        if driver.session.is_finished() && driver.front.reached_end() {
            driver.ring_out(inbox);
            break Ending::Completed;
        }
        driver
            .front
            .draw(&driver.session, now, now.saturating_sub(start))?;
        let scripted = script.peek().map(|(at, _)| start + *at);
        let deadline = [
            driver.session.next_due(),
            driver.front.wake(&driver.session, now),
            scripted,
        ]
        .into_iter()
        .flatten()
        .min();
        let input = clock.wait(deadline, inbox);
        // What was due before the input happened comes first: a key pressed as a set
        // ends meets the set's end.
        let events = driver.session.advance(clock.now());
        driver.handle(events);
        let at = driver.since_start();
        let flow = match input {
            None if scripted.is_some_and(|t| clock.now() >= t) => {
                match script.next().map(|(_, s)| s) {
                    Some(Scripted::Command(command)) => Flow::Command(command),
                    Some(Scripted::Input(input)) => driver.on_input(input, at),
                    None => Flow::Go,
                }
            }
            // Nothing can wake the run any more: no deadline and no one to send input.
            None if deadline.is_none() => stop_on(Ending::Quit),
            None => Flow::Go,
            Some(input) => driver.on_input(input, at),
        };
        if let Some(ending) = driver.flow(flow) {
            break ending;
        }
    };
    let unlogged = match driver.writer.take() {
        Some(writer) => finish_log(writer, ending, inbox),
        None => Vec::new(),
    };
    driver.drain_news();
    let report = Report {
        ending,
        logged: driver.logged,
        trained: driver.trained,
        unlogged,
        log: log_path,
        trace_failed: driver.trace.failed,
    };
    let at = driver.since_start();
    driver.front.close(&report, at);
    Ok(report)
}

/// Waits for the log to take the queued records and hands back those it did not. The
/// wait for another program's lock ends on Ctrl-C or SIGTERM; after a signal ended the
/// session it lasts a second at most (a free log takes a record in milliseconds).
fn finish_log(writer: crate::log::Writer, ending: Ending, inbox: &Receiver<Input>) -> Vec<Record> {
    let signalled = !matches!(ending, Ending::Completed | Ending::Quit);
    let since = std::time::Instant::now();
    writer.finish_unless(&|| {
        (signalled && since.elapsed() > std::time::Duration::from_secs(1))
            || matches!(
                inbox.try_recv(),
                Ok(Input::Interrupt | Input::Terminate | Input::HangUp)
            )
    })
}

/// A signal stops the session and keeps the set in progress.
fn stop_on(ending: Ending) -> Flow {
    Flow::Stop {
        ending,
        keep_set: true,
    }
}
