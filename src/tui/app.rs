//! The full-screen display's model: what it shows, and how keys change it. State
//! changes here, outside rendering; the view only reads it.

use std::collections::HashMap;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;

use super::form::{Form, Verdict};
use crate::input;
use crate::log::SetRecord;
use crate::plan::{Plan, PlannedWork};
use crate::session::{Command, Status};
use crate::span::Span;

/// A box over the screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help,
    /// `q` was pressed: Enter quits keeping the set in progress, `n` quits without it.
    Quit,
}

/// What the end of the session shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub sets: usize,
    pub reps: u32,
    pub tut: Span,
    pub top_load: Option<String>,
    pub time: Span,
    pub completed: bool,
    /// Why nothing was logged, if so.
    pub not_logged: Option<String>,
}

/// What the display shows.
#[derive(Clone, Debug)]
pub struct App {
    pub plan: Plan,
    pub status: Status,
    pub color: bool,
    pub muted: bool,
    /// Whether sound plays (else the notice says why not).
    pub sound: Option<String>,
    /// A one-line notice ("set 2 not logged").
    pub message: Option<String>,
    pub overlay: Overlay,
    pub form: Option<Form>,
    /// "last time" text for each exercise and side, from the log before this session.
    pub last_time: HashMap<crate::log::history::ExerciseSide, String>,
    /// What the coach advises for each exercise and side today ("advised: +5% ...").
    pub advice: HashMap<crate::log::history::ExerciseSide, String>,
    pub logged: Vec<SetRecord>,
    pub summary: Option<Summary>,
    /// Why sets are not logged, when they are not ("preview at 10x: not logged").
    pub log_note: Option<String>,
    /// The screen size last drawn: when the screen next changes depends on how big
    /// the gauge and the hold's box are.
    pub area: Rect,
}

/// What a key asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Nothing,
    Command(Command),
    Mute,
    /// Quit; `true` keeps the set in progress.
    Quit(bool),
    Form(Verdict),
    /// The summary was read: leave.
    Leave,
}

impl App {
    /// One pure decision per key press.
    pub fn key(&mut self, key: KeyEvent) -> Action {
        if self.summary.is_some() && self.form.is_none() {
            return Action::Leave;
        }
        match self.overlay {
            Overlay::Help => {
                self.overlay = Overlay::None;
                return Action::Nothing;
            }
            Overlay::Quit => {
                self.overlay = Overlay::None;
                return match key.code {
                    KeyCode::Enter => Action::Quit(true),
                    KeyCode::Char('n') => Action::Quit(false),
                    _ => Action::Nothing,
                };
            }
            Overlay::None => {}
        }
        if let Some(form) = self.form.as_mut() {
            // In a number field, a session key (space pauses, n skips the rest...) is
            // the session's: the rest goes on while the form is open. Every other key is
            // the form's, which types it or says why it cannot.
            let session_key = match key.code {
                KeyCode::Char(c) => {
                    !(form.takes_text() || c.is_ascii_digit() || c == '.')
                        && crate::input::action(key).is_some()
                }
                KeyCode::Left | KeyCode::Right => true,
                _ => false,
            };
            if !session_key {
                return Action::Form(form.key(key));
            }
        }
        // The session's key map, with the boxes this display puts over it.
        match crate::input::action(key) {
            Some(input::Action::Command(command)) => Action::Command(command),
            Some(input::Action::Mute) => Action::Mute,
            Some(input::Action::Help) => {
                self.overlay = Overlay::Help;
                Action::Nothing
            }
            Some(input::Action::Quit) => {
                self.overlay = Overlay::Quit;
                Action::Nothing
            }
            None => Action::Nothing,
        }
    }

    /// The summary of what was logged, for the end screen and the scrollback.
    #[must_use]
    pub fn summarise(&self, time: Span, completed: bool) -> Summary {
        let reps = self.logged.iter().filter_map(|r| r.done_reps).sum();
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "seconds"
        )]
        let tut = Span::from_micros(
            (self.logged.iter().map(|r| r.tut_s).sum::<f64>() * 1e6).round() as u64,
        );
        let top_load = self
            .logged
            .iter()
            .filter_map(|r| r.load.as_ref())
            .filter(|l| l.unit == "kg" || l.unit == "lb")
            .max_by(|a, b| {
                a.value
                    .partial_cmp(&b.value)
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
            .map(ToString::to_string);
        Summary {
            sets: self.logged.len(),
            reps,
            tut,
            top_load,
            time,
            completed,
            not_logged: self.log_note.clone(),
        }
    }
}

impl Summary {
    /// One line for the normal screen after the terminal is restored.
    #[must_use]
    pub fn line(&self, preset: &str) -> String {
        let load = self
            .top_load
            .as_ref()
            .map(|l| format!(", top load {l}"))
            .unwrap_or_default();
        let reps = if self.reps > 0 {
            format!(", {} reps", self.reps)
        } else {
            String::new()
        };
        let how = if self.completed {
            "complete"
        } else {
            "stopped"
        };
        if let Some(note) = &self.not_logged {
            return format!("reptempo: {preset} {how}: {note}, {}", self.time.clock());
        }
        let plural = if self.sets == 1 { "" } else { "s" };
        format!(
            "reptempo: {preset} {how}: {} set{plural} logged{reps}, {} under tension{load}, {}",
            self.sets,
            self.tut.clock(),
            self.time.clock()
        )
    }
}

/// The reps planned for the block of `status`, if it counts reps.
#[must_use]
pub fn planned_reps(plan: &Plan, block: usize) -> Option<u32> {
    match plan.blocks.get(block)?.work {
        PlannedWork::Reps { reps, .. } => Some(reps),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crossterm::event::{KeyEvent, KeyModifiers};

    use super::*;
    use crate::plan::Overrides;
    use crate::preset::{Preset, Side};
    use crate::session::{Session, SetOutcome, SetStatus};
    use crate::tui::form::Form;

    fn app() -> App {
        let text = "id = \"t\"\nname = \"T\"\ndescription = \"d\"\nsource = \"S\"\n[[block]]\nexercise = \"Squat\"\nreps = 2\ntempo = \"1-0-1-0\"\nsets = 2\nrest = \"30s\"\n";
        let plan = Plan::build(
            &Preset::parse(text, Path::new("t.toml")).unwrap(),
            &Overrides::default(),
        )
        .unwrap();
        let status = Session::new(plan.clone(), Span::ZERO, 1.0).status(Span::ZERO);
        App {
            plan,
            status,
            color: false,
            muted: false,
            sound: None,
            message: None,
            overlay: Overlay::None,
            form: None,
            last_time: HashMap::new(),
            advice: HashMap::new(),
            logged: Vec::new(),
            summary: None,
            log_note: None,
            area: Rect::default(),
        }
    }

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn keys_map_to_session_commands() {
        let mut a = app();
        assert_eq!(a.key(key(' ')), Action::Command(Command::TogglePause));
        assert_eq!(a.key(key('n')), Action::Command(Command::Skip));
        assert_eq!(a.key(key('p')), Action::Command(Command::Back));
        assert_eq!(a.key(key('r')), Action::Command(Command::RestartSet));
        assert_eq!(a.key(key('+')), Action::Command(Command::Faster));
        assert_eq!(a.key(key('-')), Action::Command(Command::Slower));
        assert_eq!(a.key(key('m')), Action::Mute);
        assert_eq!(a.key(key('x')), Action::Nothing);
    }

    #[test]
    fn quit_asks_first_and_help_closes_on_any_key() {
        let mut a = app();
        assert_eq!(a.key(key('q')), Action::Nothing);
        assert_eq!(a.overlay, Overlay::Quit);
        assert_eq!(a.key(KeyEvent::from(KeyCode::Enter)), Action::Quit(true));
        a.key(key('q'));
        assert_eq!(a.key(key('n')), Action::Quit(false));
        a.key(key('q'));
        assert_eq!(a.key(key('z')), Action::Nothing);
        assert_eq!(a.overlay, Overlay::None);
        a.key(key('?'));
        assert_eq!(a.overlay, Overlay::Help);
        assert_eq!(a.key(key('n')), Action::Nothing);
        assert_eq!(a.overlay, Overlay::None);
    }

    #[test]
    fn with_the_form_open_digits_type_and_other_keys_drive_the_session() {
        let mut a = app();
        a.form = Some(Form::new(
            SetOutcome {
                block: 0,
                set: 1,
                side: Side::Both,
                status: SetStatus::Done,
                done_reps: Some(2),
                done_work: Span::from_secs(4),
                tut: Span::from_secs(4),
                work_spent: Span::from_secs(4),
                tut_spent: Span::from_secs(4),
                started: Span::ZERO,
                ended: Span::from_secs(4),
                speed: 1.0,
            },
            None,
        ));
        assert!(matches!(a.key(key('1')), Action::Form(_)));
        assert_eq!(a.form.as_ref().unwrap().values[0], "1");
        assert_eq!(a.key(key(' ')), Action::Command(Command::TogglePause));
        assert_eq!(a.key(key('n')), Action::Command(Command::Skip));
        // In the note field letters are text.
        for _ in 0..4 {
            a.key(KeyEvent::from(KeyCode::Tab));
        }
        assert!(matches!(a.key(key('n')), Action::Form(_)));
        assert_eq!(a.form.as_ref().unwrap().values[4], "n");
    }
}
