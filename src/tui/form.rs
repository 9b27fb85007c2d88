//! The form after each set: reps done, load, pain, RPE, note. One Enter logs what is
//! shown; digits type straight into the field in focus, replacing its default; Tab
//! moves on; Esc leaves the set out of the log. Focus starts where a person types
//! most: reps for a reps set, pain for a hold or a cadence bout (which have no reps).
//! No key is dropped silently: a letter in a number field says what the field takes.

use crossterm::event::{KeyCode, KeyEvent};

use crate::load::Load;
use crate::run::Answers;
use crate::session::SetOutcome;

/// The fields, in Tab order.
pub const FIELDS: [&str; 5] = ["reps", "load", "pain 0-10", "RPE", "note"];
const REPS: usize = 0;
const PAIN: usize = 2;

/// A set waiting to be logged, with what the person typed.
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    pub outcome: SetOutcome,
    /// Text of each field, and whether it was typed into (else it is the default).
    pub values: [String; 5],
    pub typed: [bool; 5],
    pub focus: usize,
    /// Why the last Enter was refused.
    pub problem: Option<String>,
}

/// What the person decided.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    Open,
    Log(Answers),
    Skip,
}

impl Form {
    /// A form for `outcome` with its defaults: the reps done, and `load`.
    #[must_use]
    pub fn new(outcome: SetOutcome, load: Option<Load>) -> Form {
        let reps = outcome.done_reps.map(|r| r.to_string()).unwrap_or_default();
        let load = load.map(|l| l.to_string()).unwrap_or_default();
        let focus = if outcome.done_reps.is_some() {
            REPS
        } else {
            PAIN
        };
        Form {
            outcome,
            values: [reps, load, String::new(), String::new(), String::new()],
            typed: [false; 5],
            focus,
            problem: None,
        }
    }

    /// Whether field `i` is shown: reps only for sets that count them.
    #[must_use]
    pub fn shows(&self, i: usize) -> bool {
        i != REPS || self.outcome.done_reps.is_some()
    }

    /// Moves the focus `by` fields on (or back), over the fields shown.
    fn move_focus(&mut self, forward: bool) {
        let n = FIELDS.len();
        loop {
            self.focus = if forward {
                (self.focus + 1) % n
            } else {
                (self.focus + n - 1) % n
            };
            if self.shows(self.focus) {
                break;
            }
        }
    }

    /// The line under the fields: the problem with the last key, or how to go on.
    #[must_use]
    pub fn help(&self) -> String {
        if let Some(problem) = &self.problem {
            return problem.clone();
        }
        if self.takes_text() {
            format!(
                "typing the {}: Tab next field · Enter logs it · Esc: do not log this set",
                FIELDS[self.focus]
            )
        } else {
            "Enter logs it · Tab next field · Esc: do not log this set".to_owned()
        }
    }

    /// Whether the field in focus takes text (load, note), not just a number.
    #[must_use]
    pub fn takes_text(&self) -> bool {
        self.focus == 1 || self.focus == 4
    }

    /// Handles one key.
    pub fn key(&mut self, key: KeyEvent) -> Verdict {
        match key.code {
            KeyCode::Enter => match self.answers() {
                Ok(answers) => return Verdict::Log(answers),
                Err(problem) => self.problem = Some(problem),
            },
            KeyCode::Esc => return Verdict::Skip,
            KeyCode::Tab | KeyCode::Down => {
                self.problem = None;
                self.move_focus(true);
            }
            KeyCode::BackTab | KeyCode::Up => {
                self.problem = None;
                self.move_focus(false);
            }
            KeyCode::Backspace => {
                self.problem = None;
                self.typed[self.focus] = true;
                self.values[self.focus].pop();
            }
            KeyCode::Char(c) => {
                if !(self.takes_text() || c.is_ascii_digit() || c == '.') {
                    self.problem = Some(format!(
                        "{} takes a number: {c:?} was not typed (Tab: next field)",
                        FIELDS[self.focus]
                    ));
                    return Verdict::Open;
                }
                self.problem = None;
                if !self.typed[self.focus] {
                    self.values[self.focus].clear();
                    self.typed[self.focus] = true;
                }
                if self.values[self.focus].chars().count() < 200 {
                    self.values[self.focus].push(c);
                }
            }
            _ => {}
        }
        Verdict::Open
    }

    fn answers(&self) -> Result<Answers, String> {
        let text = |i: usize| Some(self.values[i].trim()).filter(|t| !t.is_empty());
        let done_reps = match text(0) {
            Some(t) => Some(
                t.parse::<u32>()
                    .ok()
                    .filter(|&r| r <= 1000)
                    .ok_or("reps: a whole number")?,
            ),
            None => self.outcome.done_reps.map(|_| 0),
        };
        let load = text(1)
            .map(str::parse::<Load>)
            .transpose()
            .map_err(|e| e.to_string())?;
        let pain = match text(2) {
            Some(t) => Some(
                t.parse::<u8>()
                    .ok()
                    .filter(|&p| p <= 10)
                    .ok_or("pain: 0 to 10")?,
            ),
            None => None,
        };
        let rpe = match text(3) {
            Some(t) => Some(
                t.parse::<f64>()
                    .ok()
                    .filter(|r| (1.0..=10.0).contains(r))
                    .ok_or("RPE: 1 to 10")?,
            ),
            None => None,
        };
        Ok(Answers {
            done_reps: if self.outcome.done_reps.is_some() {
                done_reps
            } else {
                None
            },
            load,
            pain,
            rpe,
            note: text(4).map(str::to_owned),
        })
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyModifiers;

    use super::*;
    use crate::preset::Side;
    use crate::session::SetStatus;
    use crate::span::Span;

    fn outcome() -> SetOutcome {
        SetOutcome {
            block: 0,
            set: 1,
            side: Side::Both,
            status: SetStatus::Done,
            done_reps: Some(8),
            done_work: Span::from_secs(48),
            tut: Span::from_secs(48),
            work_spent: Span::from_secs(48),
            tut_spent: Span::from_secs(48),
            started: Span::ZERO,
            ended: Span::from_secs(48),
            speed: 1.0,
        }
    }

    fn press(form: &mut Form, code: KeyCode) -> Verdict {
        form.key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn one_enter_accepts_the_defaults() {
        let mut form = Form::new(outcome(), Some("80kg".parse().unwrap()));
        let Verdict::Log(a) = press(&mut form, KeyCode::Enter) else {
            panic!()
        };
        assert_eq!(a.done_reps, Some(8));
        assert_eq!(a.load, Some("80kg".parse().unwrap()));
        assert_eq!((a.pain, a.rpe, a.note), (None, None, None));
    }

    #[test]
    fn digits_replace_the_default_and_tab_moves_on() {
        let mut form = Form::new(outcome(), None);
        press(&mut form, KeyCode::Char('6'));
        press(&mut form, KeyCode::Tab);
        for c in "82.5kg".chars() {
            press(&mut form, KeyCode::Char(c));
        }
        press(&mut form, KeyCode::Tab);
        press(&mut form, KeyCode::Char('x')); // not a digit: said, not typed
        assert_eq!(
            form.help(),
            "pain 0-10 takes a number: 'x' was not typed (Tab: next field)"
        );
        press(&mut form, KeyCode::Char('3'));
        press(&mut form, KeyCode::Tab);
        press(&mut form, KeyCode::Tab);
        for c in "knee ok".chars() {
            press(&mut form, KeyCode::Char(c));
        }
        let Verdict::Log(a) = press(&mut form, KeyCode::Enter) else {
            panic!()
        };
        assert_eq!(a.done_reps, Some(6));
        assert_eq!(a.load, Some("82.5kg".parse().unwrap()));
        assert_eq!(a.pain, Some(3));
        assert_eq!(a.note.as_deref(), Some("knee ok"));
    }

    #[test]
    fn a_hold_form_starts_on_pain_and_skips_the_reps_field() {
        let hold = SetOutcome {
            done_reps: None,
            ..outcome()
        };
        let mut form = Form::new(hold, Some("70%MVC".parse().unwrap()));
        assert_eq!(FIELDS[form.focus], "pain 0-10");
        press(&mut form, KeyCode::Char('3'));
        let Verdict::Log(a) = press(&mut form, KeyCode::Enter) else {
            panic!()
        };
        assert_eq!(a.pain, Some(3));
        assert_eq!(a.done_reps, None);
        // Tab goes round the shown fields only: pain, RPE, note, load, pain.
        let mut form = Form::new(
            SetOutcome {
                done_reps: None,
                ..outcome()
            },
            None,
        );
        let mut seen = Vec::new();
        for _ in 0..4 {
            press(&mut form, KeyCode::Tab);
            seen.push(FIELDS[form.focus]);
        }
        assert_eq!(seen, ["RPE", "note", "load", "pain 0-10"]);
        press(&mut form, KeyCode::Tab);
        press(&mut form, KeyCode::Tab);
        assert!(form.help().starts_with("typing the note: Tab next field"));
    }

    #[test]
    fn a_bad_value_keeps_the_form_open_and_esc_skips() {
        let mut form = Form::new(outcome(), None);
        press(&mut form, KeyCode::Tab);
        press(&mut form, KeyCode::Tab);
        press(&mut form, KeyCode::Char('1'));
        press(&mut form, KeyCode::Char('1'));
        assert_eq!(press(&mut form, KeyCode::Enter), Verdict::Open);
        assert_eq!(form.problem.as_deref(), Some("pain: 0 to 10"));
        assert_eq!(press(&mut form, KeyCode::Esc), Verdict::Skip);
    }
}
