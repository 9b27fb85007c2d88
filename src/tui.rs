//! The full-screen follow-along display for `start` on a terminal.
//!
//! - [`app`]: the model, and how keys change it (one pure decision per key).
//! - [`view`]: `impl Widget for &App`: digits, phase, gauge, form, boxes.
//! - [`form`]: the set form.
//! - [`digits`]: big block digits.
//! - [`home`]: the home screen: presets, recent sessions, the program week.
//!
//! The loop wakes only when something visible changes or is due: the next cue, the
//! next whole second of the countdown, a frame of the moving gauge (about 30 a second,
//! only during eccentric and concentric phases), or input. While paused nothing wakes it
//! but input.

pub mod app;
pub mod digits;
pub mod form;
pub mod home;
pub mod view;

use std::sync::mpsc::Receiver;

use app::{Action, App, Overlay, Summary};
use form::{Answers, Form, Verdict};

use crate::clock::Clock;
use crate::load::Load;
use crate::log::{LoadRecord, Record, SetRecord, Store};
use crate::plain::{Ending, Input, Report, Sound, Trace};
use crate::plan::{CueKind, Plan};
use crate::session::{Command, Event, Session, SetOutcome, SetStatus};
use crate::span::Span;

/// The summary was read: the display closes.
struct Leave;

/// The gauge's frame interval while it moves.
const FRAME: Span = Span::from_millis(33);

/// What a run of the display needs besides the plan, the clock and the sound.
pub struct Options<'a> {
    pub speed: f64,
    pub log: Option<&'a Store>,
    pub trace: Option<&'a std::path::Path>,
    pub color: bool,
    /// "last time" per exercise.
    pub last_time: std::collections::HashMap<String, String>,
    /// The load last logged for each exercise, for the form's default.
    pub last_load: std::collections::HashMap<String, Load>,
    /// Why there is no sound, if there is none.
    pub sound_note: Option<String>,
    /// Ring the terminal bell at phase starts when nothing sounds.
    pub bell: bool,
}

/// The state of one run: the session, the model, and where sets go.
struct Run<'a, C: Clock> {
    clock: &'a C,
    session: Session,
    app: App,
    sound: Sound<'a>,
    trace: Trace,
    log: Option<&'a Store>,
    /// Appends on a thread of its own: the disk never holds up the display.
    writer: Option<crate::log::Writer>,
    start: Span,
    log_failures: u32,
    /// Records the log could not take, for stderr after the display closes.
    unlogged: Vec<String>,
    last_load: std::collections::HashMap<String, Load>,
    bell: bool,
    /// Whether a set that stops on quit is logged.
    keep_stopped: bool,
}

impl<C: Clock> Run<'_, C> {
    fn handle(&mut self, events: Vec<Event>) {
        for event in events {
            match event {
                Event::Cue { cue, due } => {
                    let issued = self.clock.now();
                    if matches!(
                        cue.kind,
                        CueKind::Down | CueKind::Up | CueKind::Hold | CueKind::Beat
                    ) {
                        self.app.message = None;
                    }
                    self.sound.cue(self.session.plan(), &cue);
                    if self.bell && self.sound.is_silent() && crate::plain::is_phase_start(cue.kind)
                    {
                        use std::io::Write as _;
                        let mut out = std::io::stdout();
                        let _ = out.write_all(b"\x07").and_then(|()| out.flush());
                    }
                    self.trace.write(&cue, due, issued);
                }
                Event::SetEnded(outcome) => self.set_ended(outcome),
                Event::Finished => {}
            }
        }
    }

    fn set_ended(&mut self, outcome: SetOutcome) {
        if self.log.is_none() {
            return;
        }
        // A form still open when the next set ends is logged as it stands.
        self.commit_form();
        match outcome.status {
            SetStatus::Done => {
                let load = self.default_load(outcome.block);
                self.app.form = Some(Form::new(outcome, load));
            }
            SetStatus::Stopped if self.keep_stopped => {
                let record = SetRecord::new(self.session.plan(), &outcome, self.clock, self.start);
                self.append(record);
            }
            SetStatus::Stopped => {}
        }
    }

    /// The load the form offers: the last one logged for the exercise (this session,
    /// then the log), else the plan's.
    fn default_load(&self, block: usize) -> Option<Load> {
        let exercise = &self.session.plan().blocks[block].exercise;
        let logged = self
            .app
            .logged
            .iter()
            .rev()
            .find(|r| &r.exercise == exercise)
            .and_then(|r| r.load.as_ref())
            .and_then(LoadRecord::to_load);
        logged
            .or_else(|| self.last_load.get(exercise).copied())
            .or(self.session.plan().blocks[block].load)
    }

    /// Logs the open form with what it holds (its defaults where a value is not valid).
    fn commit_form(&mut self) {
        let Some(mut form) = self.app.form.take() else {
            return;
        };
        let enter = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Enter);
        let answers = if let Verdict::Log(answers) = form.key(enter) {
            answers
        } else {
            // A value that does not parse gives way to the defaults, not to nothing.
            let load = self.default_load(form.outcome.block);
            let Verdict::Log(answers) = Form::new(form.outcome.clone(), load).key(enter) else {
                return;
            };
            answers
        };
        self.log_answers(&form.outcome, answers);
    }

    fn log_answers(&mut self, outcome: &SetOutcome, answers: Answers) {
        let mut record = SetRecord::new(self.session.plan(), outcome, self.clock, self.start);
        record.done_reps = answers.done_reps.or(record.done_reps);
        if let Some(load) = answers.load {
            record.load = Some(LoadRecord::from(load));
        }
        record.pain = answers.pain;
        record.rpe = answers.rpe;
        record.note = answers.note;
        self.app.message = Some(format!("set {} logged", outcome.set));
        self.append(record);
    }

    fn append(&mut self, record: SetRecord) {
        if let Some(writer) = &self.writer {
            writer.write(Record::Set(record.clone()));
            self.app.logged.push(record);
        }
    }

    fn command(&mut self, command: Command) {
        let now = self.clock.now();
        let events = self.sound.apply(&mut self.session, command, now);
        self.handle(events);
    }

    /// What one input does; `Ok(Some(ending))` stops the session, `Err(Leave)` leaves
    /// the summary.
    fn input(&mut self, input: Input) -> Result<Option<Ending>, Leave> {
        let stop = match input {
            Input::Key(key) => match self.app.key(key) {
                Action::Nothing | Action::Form(Verdict::Open) => None,
                Action::Command(command) => {
                    self.command(command);
                    None
                }
                Action::Mute => {
                    if let Some(live) = self.sound.live() {
                        self.app.muted = live.toggle_mute();
                    } else {
                        self.app.message = Some("no sound to mute".to_owned());
                    }
                    None
                }
                Action::Quit(keep) => {
                    self.keep_stopped = keep;
                    Some(Ending::Quit)
                }
                Action::Form(Verdict::Log(answers)) => {
                    if let Some(form) = self.app.form.take() {
                        self.log_answers(&form.outcome, answers);
                    }
                    None
                }
                Action::Form(Verdict::Skip) => {
                    if let Some(form) = self.app.form.take() {
                        self.app.message = Some(format!("set {} not logged", form.outcome.set));
                    }
                    None
                }
                Action::Leave => return Err(Leave),
            },
            Input::AudioLost => {
                if let Sound::Live(live) = &mut self.sound {
                    live.close();
                }
                self.app.sound = Some(
                    "audio: the output device was lost; continuing with visual cues".to_owned(),
                );
                None
            }
            Input::Interrupt => Some(Ending::Interrupted),
            Input::Terminate => Some(Ending::Terminated),
            Input::HangUp => Some(Ending::HungUp),
            Input::Resize | Input::Command(_) | Input::Help | Input::Quit | Input::Mute => None,
        };
        Ok(stop)
    }

    /// When the screen next changes without input, as a clock reading.
    fn next_frame(&self, now: Span) -> Option<Span> {
        let status = &self.app.status;
        if status.paused || status.segment.is_none() {
            return None;
        }
        let step = if view::moving(&self.app) {
            FRAME
        } else {
            // The countdown shows whole seconds rounded up; the clock whole seconds down.
            let to_digit = Span::from_micros(match status.left.as_micros() % 1_000_000 {
                0 => 1_000_000,
                r => r,
            });
            let to_clock = Span::from_micros(1_000_000 - status.position.as_micros() % 1_000_000);
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                clippy::cast_precision_loss
            )]
            let wall = Span::from_micros(
                (to_digit.min(to_clock).as_micros() as f64 / status.speed).ceil() as u64,
            );
            wall.max(Span::from_millis(1))
        };
        Some(now + step)
    }
}

/// Runs `plan` in the full-screen display until it ends and the summary is read, or `q`,
/// Ctrl-C or SIGTERM.
///
/// # Errors
/// When the trace file cannot be created or the terminal cannot be drawn on.
pub fn run<'a, C: Clock>(
    clock: &'a C,
    plan: Plan,
    options: Options<'a>,
    sound: Sound<'a>,
    inbox: &Receiver<Input>,
    terminal: &mut ratatui::DefaultTerminal,
) -> std::io::Result<(Report, Summary, Vec<String>)> {
    let start = clock.now();
    let session = Session::new(plan.clone(), start, options.speed);
    let status = session.status(start);
    let mut run = Run {
        clock,
        session,
        app: App {
            plan,
            status,
            color: options.color,
            muted: false,
            sound: options.sound_note,
            message: None,
            overlay: Overlay::None,
            form: None,
            last_time: options.last_time,
            logged: Vec::new(),
            summary: None,
        },
        sound,
        trace: Trace::create(options.trace, start)?,
        log: options.log,
        writer: match options.log {
            Some(store) => Some(crate::log::Writer::start(store.clone())?),
            None => None,
        },
        start,
        log_failures: 0,
        unlogged: Vec::new(),
        last_load: options.last_load,
        bell: options.bell,
        keep_stopped: true,
    };
    let ending = loop {
        let now = clock.now();
        let events = run.session.advance(now);
        run.handle(events);
        run.app.status = run.session.status(now);
        if run.session.is_finished() && run.app.summary.is_none() && run.app.form.is_none() {
            run.app.summary = Some(run.app.summarise(now - start, true));
        }
        terminal.draw(|frame| frame.render_widget(&run.app, frame.area()))?;
        let due = if run.session.is_finished() {
            None
        } else {
            run.session.next_due()
        };
        let deadline = match (due, run.next_frame(now)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let Some(input) = clock.wait(deadline, inbox) else {
            continue;
        };
        let stop = match run.input(input) {
            Ok(stop) => stop,
            Err(Leave) => break Ending::Completed,
        };
        if let Some(ending) = stop {
            run.command(Command::Stop);
            run.commit_form();
            break ending;
        }
    };
    if let Some(writer) = run.writer.take() {
        for (record, e) in writer.finish() {
            // Never lose a set: it is printed once the screen is given back.
            run.log_failures += 1;
            run.unlogged.push(format!(
                "reptempo: {}; the record was: {}",
                crate::error_chain(&e),
                record.to_line()
            ));
        }
    }
    let now = clock.now();
    let summary = run
        .app
        .summary
        .clone()
        .unwrap_or_else(|| run.app.summarise(now - start, false));
    Ok((
        Report {
            ending,
            log_failures: run.log_failures,
        },
        summary,
        run.unlogged,
    ))
}
