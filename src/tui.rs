//! The full-screen follow-along display for `start` on a terminal.
//!
//! - [`app`]: the model, and how keys change it (one pure decision per key).
//! - [`view`]: `impl Widget for &App`: digits, phase, gauge, form, boxes.
//! - [`form`]: the set form.
//! - [`digits`]: big block digits.
//! - [`home`]: the home screen: presets, recent sessions, the program week.
//!
//! The loop wakes only when something visible changes or is due: the next cue, the
//! next whole second of the countdown, the next row the gauge or a hold's box moves to,
//! the next beat of a cadence, or input. While paused nothing wakes it but input.

pub mod app;
pub mod digits;
pub mod form;
pub mod home;
pub mod view;

use std::collections::HashMap;

use app::{Action, App, Overlay, Summary};
use crossterm::event::{KeyCode, KeyEvent};
use form::{Form, Verdict};
use ratatui::Terminal;
use ratatui::backend::Backend;

use crate::input::Input;
use crate::load::Load;
use crate::log::history::ExerciseSide;
use crate::plan::{Cue, Plan};
use crate::preset::Side;
use crate::run::{Answers, Ending, Flow, FrontEnd, Notice, Report, SetEntry};
use crate::session::{Session, SetOutcome, SetStatus};
use crate::span::Span;

/// What the display needs to know besides the session.
pub struct Options {
    pub color: bool,
    /// Whether sets are logged (else no form opens).
    pub logging: bool,
    /// "last time" per exercise and side.
    pub last_time: HashMap<ExerciseSide, String>,
    /// The real load last logged for each exercise and side, for the form's default.
    pub last_load: HashMap<ExerciseSide, Load>,
    /// The coach's advice for each exercise and side: its words, and the load it
    /// advises (the form's default before the last load logged).
    pub advice: HashMap<ExerciseSide, (String, Option<Load>)>,
    /// Why there is no sound, if there is none.
    pub sound_note: Option<String>,
    /// Why sets are not logged, when that is worth saying (a preview).
    pub log_note: Option<String>,
    /// Said where the keys are until the first set starts: the week the log chose, and
    /// why.
    pub notice: Option<String>,
}

/// The full-screen front end: the model, and the terminal it is drawn on.
pub struct Display<'t, B: Backend> {
    terminal: &'t mut Terminal<B>,
    app: App,
    logging: bool,
    last_load: HashMap<ExerciseSide, Load>,
    /// The loads the coach advises for today.
    advised: HashMap<ExerciseSide, Load>,
    /// The loads typed in this session's forms, whether or not on disk yet.
    entered: HashMap<ExerciseSide, Load>,
    /// Whether a set that stops on quit is logged.
    keep_stopped: bool,
}

impl<'t, B: Backend> Display<'t, B>
where
    B::Error: std::error::Error + Send + Sync + 'static,
{
    #[must_use]
    pub fn new(terminal: &'t mut Terminal<B>, plan: Plan, options: Options) -> Display<'t, B> {
        let status = Session::new(plan.clone(), Span::ZERO, 1.0).status(Span::ZERO);
        Display {
            terminal,
            app: App {
                plan,
                status,
                color: options.color,
                muted: false,
                sound: options.sound_note,
                message: options.notice,
                overlay: Overlay::None,
                form: None,
                last_time: options.last_time,
                advice: options
                    .advice
                    .iter()
                    .map(|(k, (words, _))| (k.clone(), words.clone()))
                    .collect(),
                logged: Vec::new(),
                summary: None,
                log_note: options.log_note,
                area: ratatui::layout::Rect::default(),
            },
            logging: options.logging,
            last_load: options.last_load,
            advised: options
                .advice
                .into_iter()
                .filter_map(|(k, (_, load))| Some((k, load?)))
                .collect(),
            entered: HashMap::new(),
            keep_stopped: true,
        }
    }

    /// What the end screen showed (or would have): for the scrollback.
    #[must_use]
    pub fn summary(&self) -> Option<&Summary> {
        self.app.summary.as_ref()
    }

    /// The load the form offers: the one typed for the exercise and side earlier in this
    /// session, else the coach's advised load, else the last real load logged, else the
    /// plan's when it is a real load. Never a prescription such as 15RM: that is the
    /// target, not what was lifted.
    fn default_load(&self, block: usize, side: Side) -> Option<Load> {
        let key = (
            self.app.plan.blocks[block].exercise.clone(),
            side.name().to_owned(),
        );
        self.entered
            .get(&key)
            .or_else(|| self.advised.get(&key))
            .or_else(|| self.last_load.get(&key))
            .copied()
            .or(self.app.plan.blocks[block].load)
            .filter(|l| !l.unit.is_prescription())
    }

    /// A set from the form, its load kept as the one this exercise was lifted with.
    fn entry_of_form(&mut self, outcome: SetOutcome, answers: Answers) -> SetEntry {
        if let Some(load) = answers.load.filter(|l| !l.unit.is_prescription()) {
            let key = (
                self.app.plan.blocks[outcome.block].exercise.clone(),
                outcome.side.name().to_owned(),
            );
            self.entered.insert(key, load);
        }
        SetEntry { outcome, answers }
    }

    /// The open form as a set to log, with what it holds (its defaults where a value is
    /// not valid).
    fn commit_form(&mut self) -> Option<SetEntry> {
        let mut form = self.app.form.take()?;
        let enter = KeyEvent::from(KeyCode::Enter);
        let answers = if let Verdict::Log(answers) = form.key(enter) {
            answers
        } else {
            // A value that does not parse gives way to the defaults, not to nothing.
            let load = self.default_load(form.outcome.block, form.outcome.side);
            let Verdict::Log(answers) = Form::new(form.outcome.clone(), load).key(enter) else {
                return None;
            };
            answers
        };
        Some(self.entry_of_form(form.outcome, answers))
    }

    /// When the screen next changes without input, as a clock reading: when the view
    /// says it next changes, at the session's speed, rounded up so that the position
    /// has reached it then. A change that falls on a cue (the seconds on a tick, a
    /// cadence's flip on its beat) is drawn in the cue's frame: the session issues a
    /// cue once the position reaches it, whichever wake-up gets there first.
    fn next_frame(&self, now: Span) -> Option<Span> {
        let target = view::next_change(&self.app)?;
        let ahead = target.saturating_sub(self.app.status.position);
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss,
            reason = "spans are below 2^53 us and speed is positive"
        )]
        let wall =
            Span::from_micros((ahead.as_micros() as f64 / self.app.status.speed).ceil() as u64);
        Some(now + wall.max(Span::from_micros(1)))
    }
}

impl<B: Backend> FrontEnd for Display<'_, B>
where
    B::Error: std::error::Error + Send + Sync + 'static,
{
    fn begin(&mut self, _: &Session) {}

    fn cue(&mut self, _: &Session, cue: &Cue, _: Span) {
        if cue.kind.starts_work() {
            self.app.message = None;
        }
    }

    fn bell(&mut self) {
        use std::io::Write as _;
        let mut out = std::io::stdout();
        let _ = out.write_all(b"\x07").and_then(|()| out.flush());
    }

    fn set_ended(&mut self, _: &Session, outcome: SetOutcome, _: Span) -> Vec<SetEntry> {
        if !self.logging {
            return Vec::new();
        }
        // A form still open when the next set ends is logged as it stands.
        let mut entries: Vec<SetEntry> = self.commit_form().into_iter().collect();
        match outcome.status {
            SetStatus::Done => {
                let load = self.default_load(outcome.block, outcome.side);
                self.app.form = Some(Form::new(outcome, load));
            }
            SetStatus::Stopped if self.keep_stopped => {
                // The load of a stopped set is the one this exercise was last lifted
                // with, as the form would offer it.
                let load = self.default_load(outcome.block, outcome.side);
                entries.push(SetEntry {
                    outcome,
                    answers: Answers {
                        load,
                        ..Answers::default()
                    },
                });
            }
            SetStatus::Stopped => {}
        }
        entries
    }

    fn input(&mut self, _: &Session, input: Input, _: Span) -> Flow {
        let Input::Key(key) = input else {
            return Flow::Go;
        };
        match self.app.key(key) {
            Action::Nothing | Action::Form(Verdict::Open) => Flow::Go,
            Action::Command(command) => Flow::Command(command),
            Action::Mute => Flow::Mute,
            Action::Quit(keep) => {
                self.keep_stopped = keep;
                Flow::Stop {
                    ending: Ending::Quit,
                    keep_set: keep,
                }
            }
            Action::Form(Verdict::Log(answers)) => match self.app.form.take() {
                Some(form) => Flow::Log(self.entry_of_form(form.outcome, answers)),
                None => Flow::Go,
            },
            Action::Form(Verdict::Skip) => {
                if let Some(form) = self.app.form.take() {
                    self.app.message = Some(format!("set {} not logged", form.outcome.set));
                }
                Flow::Go
            }
            Action::Leave => Flow::Leave,
        }
    }

    fn notice(&mut self, _: &Session, notice: Notice, _: Span) {
        match notice {
            Notice::Command(_) => {}
            Notice::Muted(muted) => self.app.muted = muted,
            Notice::NoSoundToMute => self.app.message = Some("no sound to mute".to_owned()),
            Notice::AudioLost => {
                self.app.sound = Some(
                    "audio: the output device was lost; continuing with visual cues".to_owned(),
                );
            }
            Notice::Logged(record) => {
                self.app.message = Some(format!("set {} logged", record.set));
                self.app.logged.push(*record);
            }
            Notice::LogFailed(error, record) => {
                let set = match record.as_ref() {
                    crate::log::Record::Set(r) => format!("set {} ", r.set),
                    _ => String::new(),
                };
                self.app.message = Some(format!("{set}NOT logged: {error}"));
                self.app.log_note = Some("LOG FAILING: sets go to stderr".to_owned());
            }
            Notice::LogWaiting(path) => {
                self.app.message = Some(format!(
                    "waiting for another program to release {}",
                    path.display()
                ));
            }
        }
    }

    fn wake(&self, _: &Session, now: Span) -> Option<Span> {
        self.next_frame(now)
    }

    fn draw(&mut self, session: &Session, now: Span, at: Span) -> std::io::Result<()> {
        self.app.status = session.status(now);
        if session.is_finished() && self.app.form.is_none() {
            // Counted again on each frame: a set's record may reach the disk after the
            // end screen first showed.
            let time = self.app.summary.as_ref().map_or(at, |s| s.time);
            self.app.summary = Some(self.app.summarise(time, true));
        }
        let app = &self.app;
        let frame = self
            .terminal
            .draw(|frame| frame.render_widget(app, frame.area()))
            .map_err(std::io::Error::other)?;
        self.app.area = frame.area;
        Ok(())
    }

    fn reached_end(&mut self) -> bool {
        false
    }

    fn suspend(&mut self) {
        crate::terminal::suspend();
        let _ = crate::terminal::redraw_all(self.terminal);
    }

    fn stopping(&mut self) -> Vec<SetEntry> {
        self.commit_form().into_iter().collect()
    }

    fn close(&mut self, report: &Report, at: Span) {
        let (time, completed) = self
            .app
            .summary
            .as_ref()
            .map_or((at, false), |s| (s.time, s.completed));
        self.app.summary = Some(self.app.summarise(time, completed));
        if !report.unlogged.is_empty() {
            self.app.log_note = Some(format!(
                "{} sets NOT written: they are on stderr",
                report.unlogged.len()
            ));
        }
    }
}

/// What a widget draws in a `width` x `height` area, as text: one line per row with
/// its trailing blanks trimmed, as the display and home screen tests read a screen.
#[cfg(test)]
fn rendered(widget: impl ratatui::widgets::Widget, width: u16, height: u16) -> String {
    let area = ratatui::layout::Rect::new(0, 0, width, height);
    let mut buf = ratatui::buffer::Buffer::empty(area);
    widget.render(area, &mut buf);
    (0..height)
        .map(|y| {
            let line: String = (0..width).map(|x| buf[(x, y)].symbol()).collect();
            line.trim_end().to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crossterm::event::{KeyCode, KeyEvent};
    use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
    use ratatui::buffer::Cell;
    use ratatui::layout::{Position, Size};
    use serde_json::Value;

    use super::*;
    use crate::clock::Fake;
    use crate::plan::{Overrides, SegmentKind};
    use crate::preset::Preset;
    use crate::run::{Options as RunOptions, Scripted, Sound};

    /// A test backend that keeps the text of every frame drawn.
    struct Recorder {
        screen: TestBackend,
        frames: Vec<String>,
    }

    impl Backend for Recorder {
        type Error = std::convert::Infallible;

        fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
        where
            I: Iterator<Item = (u16, u16, &'a Cell)>,
        {
            self.screen.draw(content)
        }
        fn hide_cursor(&mut self) -> Result<(), Self::Error> {
            self.screen.hide_cursor()
        }
        fn show_cursor(&mut self) -> Result<(), Self::Error> {
            self.screen.show_cursor()
        }
        fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
            self.screen.get_cursor_position()
        }
        fn set_cursor_position<P: Into<Position>>(&mut self, p: P) -> Result<(), Self::Error> {
            self.screen.set_cursor_position(p)
        }
        fn clear(&mut self) -> Result<(), Self::Error> {
            self.screen.clear()
        }
        fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
            self.screen.clear_region(clear_type)
        }
        fn size(&self) -> Result<Size, Self::Error> {
            self.screen.size()
        }
        fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
            self.screen.window_size()
        }
        fn flush(&mut self) -> Result<(), Self::Error> {
            self.frames.push(self.screen.to_string());
            self.screen.flush()
        }
    }

    fn key(code: KeyCode) -> Scripted {
        Scripted::Input(Input::Key(KeyEvent::from(code)))
    }

    fn typed(at: Span, text: &str) -> Vec<(Span, Scripted)> {
        text.chars().map(|c| (at, key(KeyCode::Char(c)))).collect()
    }

    /// The plan offsets at which each set (on each side) ends.
    fn set_ends(plan: &Plan) -> Vec<Span> {
        plan.segments
            .iter()
            .filter(|s| s.kind == SegmentKind::SetEnd)
            .map(|s| s.start)
            .collect()
    }

    fn builtin(id: &str) -> Plan {
        let (catalog, _) = crate::preset::Catalog::load(None);
        let (preset, _) = catalog.resolve(id).unwrap();
        Plan::build(&preset, &Overrides::default()).unwrap()
    }

    /// Runs `plan` in the display on the fake clock with `script`, logging to a file;
    /// gives the report, the frames drawn and the records written.
    fn run_display(
        plan: Plan,
        script: Vec<(Span, Scripted)>,
    ) -> (Report, Vec<String>, Vec<Value>, Option<Summary>) {
        run_advised(plan, script, HashMap::new())
    }

    fn run_advised(
        plan: Plan,
        script: Vec<(Span, Scripted)>,
        advice: HashMap<ExerciseSide, (String, Option<Load>)>,
    ) -> (Report, Vec<String>, Vec<Value>, Option<Summary>) {
        run_display_at(plan, script, 1.0, advice)
    }

    /// [`run_display`] at `speed`.
    fn run_display_at(
        plan: Plan,
        script: Vec<(Span, Scripted)>,
        speed: f64,
        advice: HashMap<ExerciseSide, (String, Option<Load>)>,
    ) -> (Report, Vec<String>, Vec<Value>, Option<Summary>) {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("sets.jsonl");
        let mut terminal = Terminal::new(Recorder {
            screen: TestBackend::new(80, 24),
            frames: Vec::new(),
        })
        .unwrap();
        let (_tx, rx) = std::sync::mpsc::channel();
        let options = Options {
            color: false,
            logging: true,
            last_time: HashMap::new(),
            last_load: HashMap::new(),
            advice,
            sound_note: None,
            log_note: None,
            notice: None,
        };
        let mut display = Display::new(&mut terminal, plan.clone(), options);
        let run_options = RunOptions {
            speed,
            log: Some(crate::log::Store::at(log.clone())),
            script,
            ..RunOptions::default()
        };
        let report = crate::run::run(
            &Fake::new(),
            plan,
            run_options,
            Sound::Silent,
            &rx,
            &mut display,
        )
        .unwrap();
        let summary = display.summary().cloned();
        let records = std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let frames = std::mem::take(&mut terminal.backend_mut().frames);
        (report, frames, records, summary)
    }

    fn field<'a>(records: &'a [Value], name: &str) -> Vec<&'a Value> {
        records.iter().map(|r| &r[name]).collect()
    }

    #[test]
    fn a_whole_isometric_session_with_the_form_at_every_set_end() {
        let plan = builtin("isometric");
        let ends = set_ends(&plan);
        assert_eq!(ends.len(), 5);
        let s = Span::from_secs;
        let pause = s(10);
        let mut script = vec![
            // Set 1: Enter takes the defaults.
            (ends[0] + s(1), key(KeyCode::Enter)),
        ];
        // Set 2: `3` Enter is pain 3 (a hold's form starts on pain).
        script.extend(typed(ends[1] + s(1), "3"));
        script.push((ends[1] + s(2), key(KeyCode::Enter)));
        // Set 3: Esc leaves it out of the log.
        script.push((ends[2] + s(1), key(KeyCode::Esc)));
        // Set 4: paused for 10 s in the middle of the hold.
        script.push((ends[3] - s(20), key(KeyCode::Char(' '))));
        script.push((ends[3] - s(20) + pause, key(KeyCode::Char(' '))));
        script.push((ends[3] + pause + s(1), key(KeyCode::Enter)));
        // Set 5: skipped 25 s into the hold, then Enter.
        script.push((ends[4] - s(20) + pause, key(KeyCode::Char('n'))));
        script.push((ends[4] - s(20) + pause + s(1), key(KeyCode::Enter)));
        // The summary: any key leaves.
        script.push((ends[4] + pause + s(5), key(KeyCode::Char('x'))));
        let (report, frames, records, summary) = run_display(plan, script);
        assert_eq!(report.ending, crate::run::Ending::Completed);
        assert_eq!(report.logged, 4);
        assert_eq!(
            field(&records, "set"),
            [
                &Value::from(1),
                &Value::from(2),
                &Value::from(4),
                &Value::from(5)
            ]
        );
        assert_eq!(
            field(&records, "pain"),
            [&Value::Null, &Value::from(3), &Value::Null, &Value::Null]
        );
        assert_eq!(
            field(&records, "hold_s"),
            [
                &Value::from(45.0),
                &Value::from(45.0),
                &Value::from(45.0),
                &Value::from(25.0)
            ]
        );
        assert_eq!(field(&records, "status"), [&Value::from("done"); 4]);
        // The fake clock starts 2026-01-05 08:00 UTC; set 1's hold is 5-50 s, set 4's
        // ends 10 s late (the pause).
        assert_eq!(records[0]["start"], "2026-01-05T08:00:05.000+00:00");
        assert_eq!(records[0]["end"], "2026-01-05T08:00:50.000+00:00");
        assert_eq!(records[2]["end"], "2026-01-05T08:09:15.000+00:00");
        // The form was on screen at each set end; PAUSED while paused; the summary last.
        assert!(frames.iter().any(|f| f.contains("pain")));
        assert!(
            frames
                .iter()
                .any(|f| f.contains("PAUSED") || f.contains("paused"))
        );
        assert!(
            frames.last().unwrap().contains("session complete"),
            "{}",
            frames.last().unwrap()
        );
        assert_eq!(summary.unwrap().sets, 4);
        // Each record whole.
        let at = |secs: u64| format!("2026-01-05T08:{:02}:{:02}.000+00:00", secs / 60, secs % 60);
        let expected: Vec<Value> = [
            (1, 5, 50, 45.0, None),
            (2, 170, 215, 45.0, Some(3)),
            (4, 500, 555, 45.0, None),
            (5, 675, 700, 25.0, None),
        ]
        .into_iter()
        .map(
            |(set, start, end, held, pain): (u32, u64, u64, f64, Option<u8>)| {
                serde_json::json!({
                    "kind": "set", "v": 1, "start": at(start), "end": at(end),
                    "preset": "isometric", "exercise": "Leg extension, isometric hold",
                    "side": "both", "set": set, "sets": 5,
                    "planned_reps": null, "done_reps": null, "hold_s": held, "tempo": null,
                    "tut_s": held, "load": null, "pain": pain, "rpe": null, "note": null,
                    "status": "done", "session": at(0), "week": null,
                    "planned_hold_s": 45.0, "cadence_bpm": null, "duration_s": null,
                    "target": "70%MVC",
                })
            },
        )
        .collect();
        assert_eq!(records, expected);
    }

    #[test]
    fn a_cadence_draws_one_frame_a_beat_and_a_second_at_any_speed() {
        let text = "id = \"c\"\nname = \"C\"\ndescription = \"d\"\nsource = \"S\"\nlead_in = \"2s\"\n[[block]]\nexercise = \"Running\"\ncadence = 170\nduration = \"10s\"\nsets = 1\n";
        let plan = Plan::build(
            &Preset::parse(text, Path::new("c.toml")).unwrap(),
            &Overrides::default(),
        )
        .unwrap();
        let beats = plan
            .cues
            .iter()
            .filter(|c| c.kind == crate::plan::CueKind::Beat)
            .count();
        assert_eq!(beats, 29);
        for speed in [1.0, 1.3, 0.8] {
            // After the end: Esc leaves the form, a key the summary.
            let end = Span::from_secs(20);
            let script = vec![
                (end, key(KeyCode::Esc)),
                (end + Span::from_secs(1), key(KeyCode::Char('x'))),
            ];
            let (_, frames, _, _) = run_display_at(plan.clone(), script, speed, HashMap::new());
            // A frame for each beat and for each second of the 12 s (on which two
            // beats fall), and a few for the start, the end and the keys. A frame for
            // a beat and another a microsecond later for its countdown would be ~70.
            assert!(
                (beats + 10..=beats + 12 + 6).contains(&frames.len()),
                "{} frames at speed {speed}",
                frames.len()
            );
        }
    }

    #[test]
    fn the_form_offers_the_advised_load_before_the_plans() {
        let plan = reps_plan();
        let ends = set_ends(&plan);
        let advice = HashMap::from([(
            ("Squat".to_owned(), "both".to_owned()),
            ("advised: progress +5%".to_owned(), "63kg".parse().ok()),
        )]);
        let s = Span::from_secs;
        let script = vec![
            (ends[0] + s(1), key(KeyCode::Enter)),
            // Set 2's form: Esc; then any key leaves the summary.
            (ends[1] + s(1), key(KeyCode::Esc)),
            (ends[1] + s(2), key(KeyCode::Char('x'))),
        ];
        let (_, _, records, _) = run_advised(plan, script, advice);
        assert_eq!(records[0]["load"]["value"], 63.0, "{records:?}");
    }

    fn reps_plan() -> Plan {
        reps_plan_of(2, "60kg")
    }

    /// Squats of 3 reps at 2-0-2-0 (12 s under tension), `sets` sets, 10 s rest, `load`.
    fn reps_plan_of(sets: u32, load: &str) -> Plan {
        let text = format!(
            "id = \"t\"\nname = \"T\"\ndescription = \"d\"\nsource = \"S\"\nlead_in = \"2s\"\n[[block]]\nexercise = \"Squat\"\nreps = 3\ntempo = \"2-0-2-0\"\nsets = {sets}\nrest = \"10s\"\nload = \"{load}\"\n"
        );
        Plan::build(
            &Preset::parse(&text, Path::new("t.toml")).unwrap(),
            &Overrides::default(),
        )
        .unwrap()
    }

    #[test]
    fn a_prescription_is_never_offered_as_a_load_and_a_stopped_set_keeps_the_load_entered() {
        let plan = reps_plan_of(3, "15RM");
        let ends = set_ends(&plan);
        let s = Span::from_secs;
        // Set 1: Enter takes the defaults; the plan's 15RM is the target, not a load.
        let mut script = vec![(ends[0] + s(1), key(KeyCode::Enter))];
        // Set 2: 80kg in the load field.
        script.push((ends[1] + s(1), key(KeyCode::Tab)));
        script.extend(typed(ends[1] + s(1), "80kg"));
        script.push((ends[1] + s(2), key(KeyCode::Enter)));
        // Set 3, 5 s in: q, then Enter keeps it as stopped.
        script.push((ends[1] + s(15), key(KeyCode::Char('q'))));
        script.push((ends[1] + s(15), key(KeyCode::Enter)));
        let (report, _, records, _) = run_display(plan, script);
        assert_eq!(report.ending, crate::run::Ending::Quit);
        assert_eq!(records.len(), 3, "{records:#?}");
        assert_eq!(field(&records, "target"), [&Value::from("15RM"); 3]);
        assert_eq!(records[0]["load"], Value::Null, "{records:#?}");
        assert_eq!(
            records[1]["load"],
            serde_json::json!({"value": 80.0, "unit": "kg"})
        );
        assert_eq!(records[2]["status"], "stopped");
        assert_eq!(
            records[2]["load"],
            serde_json::json!({"value": 80.0, "unit": "kg"})
        );
    }

    #[test]
    fn a_reps_session_logs_what_the_form_holds_and_quit_keeps_the_set_in_progress() {
        let plan = reps_plan();
        let ends = set_ends(&plan);
        let ms = Span::from_millis;
        // Set 1 (2-14 s): back at 5.5 s, 1.5 s into rep 1's up, replays those 1.5 s, so
        // the set ends at 15.5 s. Then the form: 2 reps, 80kg.
        let shift = ms(1500);
        let mut script = vec![(ms(5500), key(KeyCode::Char('p')))];
        let form = ends[0] + shift + ms(1000);
        script.extend(typed(form, "2"));
        script.push((form, key(KeyCode::Tab)));
        script.extend(typed(form, "80kg"));
        script.push((form + ms(1000), key(KeyCode::Enter)));
        // Set 2 starts after the 10 s rest; q then Enter 5 s in (one rep done): quit,
        // keeping the set.
        let set2 = ends[0] + shift + ms(10_000);
        script.push((set2 + ms(5000), key(KeyCode::Char('q'))));
        script.push((set2 + ms(5000), key(KeyCode::Enter)));
        let (report, frames, records, _) = run_display(plan, script);
        assert_eq!(report.ending, crate::run::Ending::Quit);
        assert_eq!(records.len(), 2, "{records:#?}");
        assert_eq!(records[0]["done_reps"], 2);
        assert_eq!(records[0]["load"]["value"], 80.0);
        assert_eq!(records[0]["status"], "done");
        assert_eq!(records[0]["start"], "2026-01-05T08:00:02.000+00:00");
        assert_eq!(records[0]["end"], "2026-01-05T08:00:15.500+00:00");
        assert_eq!(records[1]["status"], "stopped");
        assert_eq!(records[1]["done_reps"], 1);
        assert_eq!(records[1]["end"], "2026-01-05T08:00:30.500+00:00");
        // The form's load is offered again for the next set of the exercise.
        assert_eq!(records[1]["load"]["value"], 80.0);
        // The quit box was asked before quitting.
        assert!(frames.iter().any(|f| f.contains("quit")));
        // Each record whole: the form's reps and load, the measured time under tension
        // (all 12 s of set 1 despite the replay; one rep and 1 s of set 2).
        let record = |set: u32, start: &str, end: &str, reps: u32, tut: f64, status: &str| {
            serde_json::json!({
                "kind": "set", "v": 1,
                "start": format!("2026-01-05T08:00:{start}+00:00"),
                "end": format!("2026-01-05T08:00:{end}+00:00"),
                "preset": "t", "exercise": "Squat", "side": "both", "set": set, "sets": 2,
                "planned_reps": 3, "done_reps": reps, "hold_s": null, "tempo": "2-0-2-0",
                "tut_s": tut, "load": {"value": 80.0, "unit": "kg"}, "pain": null,
                "rpe": null, "note": null, "status": status,
                "session": "2026-01-05T08:00:00.000+00:00", "week": null,
                "planned_hold_s": null, "cadence_bpm": null, "duration_s": null,
            })
        };
        assert_eq!(
            records,
            [
                record(1, "02.000", "15.500", 2, 12.0, "done"),
                record(2, "25.500", "30.500", 1, 5.0, "stopped"),
            ]
        );
    }

    #[test]
    fn a_speed_change_in_the_rest_leaves_the_set_just_done_as_performed() {
        let plan = reps_plan();
        let ends = set_ends(&plan);
        let s = Span::from_secs;
        // Set 1 (3 reps at 2-0-2-0: 12 s under tension) is done at speed 1; in the rest,
        // with its form open on pain, `+` speeds the session up, then Enter logs set 1.
        let script = vec![
            (ends[0] + s(1), key(KeyCode::Char('+'))),
            (ends[0] + s(2), key(KeyCode::Enter)),
            // Set 2 ends sooner at 1.25x: Esc on its form, then any key leaves.
            (ends[1] + s(1), key(KeyCode::Esc)),
            (ends[1] + s(2), key(KeyCode::Char('x'))),
        ];
        let (_, _, records, _) = run_display(plan, script);
        assert_eq!(records.len(), 1, "{records:#?}");
        let r = &records[0];
        assert_eq!(r["set"], 1);
        assert_eq!(r["tut_s"], 12.0, "{r}");
        assert_eq!(r["tempo"], "2-0-2-0", "{r}");
        assert!(
            r.get("speed").is_none(),
            "a set done at speed 1 is training: {r}"
        );
    }
}
