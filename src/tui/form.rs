//! The form after each set: reps done, load, pain, RPE, note. One Enter accepts the
//! defaults; digits type straight into the field in focus, replacing its default; Tab
//! moves on; Esc leaves the set out of the log.

use crossterm::event::{KeyCode, KeyEvent};

use crate::load::Load;
use crate::run::Answers;
use crate::session::SetOutcome;

/// The fields, in Tab order.
pub const FIELDS: [&str; 5] = ["reps", "load", "pain 0-10", "RPE", "note"];

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
        Form {
            outcome,
            values: [reps, load, String::new(), String::new(), String::new()],
            typed: [false; 5],
            focus: 0,
            problem: None,
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
            KeyCode::Tab | KeyCode::Down => self.focus = (self.focus + 1) % FIELDS.len(),
            KeyCode::BackTab | KeyCode::Up => {
                self.focus = (self.focus + FIELDS.len() - 1) % FIELDS.len();
            }
            KeyCode::Backspace => {
                self.typed[self.focus] = true;
                self.values[self.focus].pop();
            }
            KeyCode::Char(c) => {
                if !(self.takes_text() || c.is_ascii_digit() || c == '.') {
                    return Verdict::Open;
                }
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
            started: Span::ZERO,
            ended: Span::from_secs(48),
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
        press(&mut form, KeyCode::Char('x')); // not a digit: ignored in a number field
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
