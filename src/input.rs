//! What reaches a running screen from outside: key presses, resizes and signals, as one
//! message type on one channel, and the one key map both session front ends share.
//!
//! The key map says what a key means to a session; the full-screen display first gives
//! keys to whatever it has open on top (the set form, a box) and falls back to this map,
//! so a key means the same in both front ends. The config file may add keys to it
//! ([`Bindings`]); they are looked up here, after the built-in ones, never elsewhere.

use std::sync::OnceLock;

use crokey::KeyCombination;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::session::Command;

/// A message for the screen that is running.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// A key as it was pressed (Ctrl-C never arrives as a key: it is an interrupt).
    Key(KeyEvent),
    /// The terminal changed size.
    Resize,
    /// Ctrl-C or SIGINT.
    Interrupt,
    /// SIGTERM.
    Terminate,
    /// SIGHUP: the terminal went away.
    HangUp,
    /// The sound device stopped taking samples.
    AudioLost,
    /// Ctrl-Z or SIGTSTP: give the terminal back and stop until `fg`.
    Suspend,
    /// The log writer has news (a record written or refused, a wait for a lock).
    LogNews,
}

/// What a key asks of a session.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Action {
    Command(Command),
    Help,
    /// Stop the session (the display asks first).
    Quit,
    Mute,
}

impl Action {
    /// Every action a key can be bound to, by the name the config file uses.
    pub const NAMED: [(&'static str, Action); 9] = [
        ("pause", Action::Command(Command::TogglePause)),
        ("skip", Action::Command(Command::Skip)),
        ("back", Action::Command(Command::Back)),
        ("restart", Action::Command(Command::RestartSet)),
        ("faster", Action::Command(Command::Faster)),
        ("slower", Action::Command(Command::Slower)),
        ("mute", Action::Mute),
        ("help", Action::Help),
        ("quit", Action::Quit),
    ];

    /// The name the config file uses for this action.
    #[must_use]
    pub fn name(self) -> &'static str {
        Action::NAMED
            .iter()
            .find(|(_, a)| *a == self)
            .map_or("?", |(name, _)| name)
    }
}

/// The session's key map: the built-in keys, then the extra keys of the config file
/// that this process runs with (see [`use_bindings`]).
#[must_use]
pub fn action(key: KeyEvent) -> Option<Action> {
    ACTIVE.get_or_init(Bindings::default).action(key)
}

/// The extra keys the whole process uses, set once at start-up from the config file.
/// Both front ends and the set form ask [`action`]; a process-wide value spares each of
/// them carrying the bindings to the one place that reads them.
static ACTIVE: OnceLock<Bindings> = OnceLock::new();

/// Makes `bindings` the extra keys of [`action`] for the rest of the process. The first
/// call wins: a process reads one config file, so later calls bring the same keys.
pub fn use_bindings(bindings: Bindings) {
    let _ = ACTIVE.set(bindings);
}

/// Extra keys for the actions of the built-in map: a foot pedal that sends F5 can pause.
/// A key may not be taken twice, nor take over a built-in key, so the built-in keys and
/// the `?` help always hold.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bindings {
    extra: Vec<(KeyCombination, Action)>,
}

/// Why a key cannot be bound.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BindError {
    #[error(
        "{key:?} is not a key name (use a letter, F1-F24, PageUp, PageDown, Left, Right, Up, Down, Home, End, Enter, Tab, Space, ...; ctrl-, alt-, shift- may come before it)"
    )]
    Unknown { key: String },
    #[error(
        "{key:?} is several keys at once; bind one key (a terminal cannot tell them from one after the other)"
    )]
    Chord { key: String },
    #[error("{key} belongs to the terminal (Ctrl-C stops, Ctrl-Z suspends) and cannot be bound")]
    Terminal { key: String },
    #[error("{key} already means {action} (a built-in key); extra keys add to the built-in ones")]
    BuiltIn { key: String, action: &'static str },
    #[error("{key} is already bound to {action}")]
    Taken { key: String, action: &'static str },
}

impl Bindings {
    /// Adds `key` (a name such as `F5`, `PageDown`, `x`, `ctrl-p`) for `action`.
    ///
    /// # Errors
    /// [`BindError`] when the name is not a key, names several keys, is Ctrl-C or Ctrl-Z,
    /// or is a key the map already has.
    pub fn bind(&mut self, name: &str, action: Action) -> Result<(), BindError> {
        let key = crokey::parse(name.trim())
            .map_err(|_| BindError::Unknown {
                key: name.to_owned(),
            })?
            .normalized();
        let crokey::OneToThree::One(code) = key.codes else {
            return Err(BindError::Chord {
                key: name.to_owned(),
            });
        };
        let shown = key.to_string();
        if key.modifiers.contains(KeyModifiers::CONTROL) && matches!(code, KeyCode::Char('c' | 'z'))
        {
            return Err(BindError::Terminal { key: shown });
        }
        if let Some(action) = builtin(KeyEvent::new(code, key.modifiers)) {
            return Err(BindError::BuiltIn {
                key: shown,
                action: action.name(),
            });
        }
        if let Some((_, action)) = self.extra.iter().find(|(k, _)| *k == key) {
            return Err(BindError::Taken {
                key: shown,
                action: action.name(),
            });
        }
        self.extra.push((key, action));
        Ok(())
    }

    /// What `key` asks of a session: a built-in key, else an extra one.
    #[must_use]
    pub fn action(&self, key: KeyEvent) -> Option<Action> {
        builtin(key).or_else(|| {
            let pressed = KeyCombination::from(key);
            self.extra
                .iter()
                .find(|(k, _)| *k == pressed)
                .map(|(_, action)| *action)
        })
    }

    /// The extra keys as `(key, action)`, in the order they were bound.
    #[must_use]
    pub fn extra(&self) -> Vec<(String, &'static str)> {
        self.extra
            .iter()
            .map(|(key, action)| (key.to_string(), action.name()))
            .collect()
    }

    /// The extra keys in one line, `F5 pause, F6 skip`; empty when there are none.
    #[must_use]
    pub fn summary(&self) -> String {
        self.extra()
            .iter()
            .map(|(key, action)| format!("{key} {action}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The built-in key map: one pure match on the key. Presenter clickers and foot pedals
/// send PageDown/PageUp or Right/Left for next and previous and `b` or `.` for "blank
/// the screen": next skips, previous goes back, blank pauses, so a clicker in one hand
/// drives a session.
fn builtin(key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) || key.modifiers.contains(KeyModifiers::ALT) {
        return None;
    }
    Some(match key.code {
        KeyCode::Char(' ' | 'b' | '.') => Action::Command(Command::TogglePause),
        KeyCode::Char('n') | KeyCode::Right | KeyCode::PageDown => Action::Command(Command::Skip),
        KeyCode::Char('p') | KeyCode::Left | KeyCode::PageUp => Action::Command(Command::Back),
        KeyCode::Char('r') => Action::Command(Command::RestartSet),
        KeyCode::Char('+' | '=') => Action::Command(Command::Faster),
        KeyCode::Char('-' | '_') => Action::Command(Command::Slower),
        KeyCode::Char('q') | KeyCode::Esc => Action::Quit,
        KeyCode::Char('m') => Action::Mute,
        KeyCode::Char('?' | 'h') => Action::Help,
        _ => return None,
    })
}

/// The built-in keys in one line.
pub const KEYS_HELP: &str = "keys: space (or b, .) pause/resume, n (→, PgDn) skip, p (←, PgUp) back, r restart set, + faster, - slower, m mute, q quit";

/// The keys in one line, for the plain runner's header and `?`: the built-in ones and
/// the config file's extra ones.
#[must_use]
pub fn keys_help() -> String {
    let extra = ACTIVE.get_or_init(Bindings::default).summary();
    if extra.is_empty() {
        KEYS_HELP.to_owned()
    } else {
        format!("{KEYS_HELP}; extra keys: {extra}")
    }
}

/// The config file's extra keys as `(key, action)`, for the display's help box.
#[must_use]
pub fn extra_keys() -> Vec<(String, &'static str)> {
    ACTIVE.get_or_init(Bindings::default).extra()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn keys_map_to_session_actions() {
        assert_eq!(
            action(key(' ')),
            Some(Action::Command(Command::TogglePause))
        );
        assert_eq!(action(key('n')), Some(Action::Command(Command::Skip)));
        assert_eq!(
            action(KeyEvent::from(KeyCode::Right)),
            Some(Action::Command(Command::Skip))
        );
        assert_eq!(
            action(KeyEvent::from(KeyCode::Left)),
            Some(Action::Command(Command::Back))
        );
        assert_eq!(action(key('p')), Some(Action::Command(Command::Back)));
        // A clicker: next, previous, and its blank-screen key.
        assert_eq!(
            action(KeyEvent::from(KeyCode::PageDown)),
            Some(Action::Command(Command::Skip))
        );
        assert_eq!(
            action(KeyEvent::from(KeyCode::PageUp)),
            Some(Action::Command(Command::Back))
        );
        assert_eq!(
            action(key('b')),
            Some(Action::Command(Command::TogglePause))
        );
        assert_eq!(
            action(key('.')),
            Some(Action::Command(Command::TogglePause))
        );
        assert_eq!(action(key('r')), Some(Action::Command(Command::RestartSet)));
        assert_eq!(action(key('+')), Some(Action::Command(Command::Faster)));
        assert_eq!(action(key('-')), Some(Action::Command(Command::Slower)));
        assert_eq!(action(key('q')), Some(Action::Quit));
        assert_eq!(action(KeyEvent::from(KeyCode::Esc)), Some(Action::Quit));
        assert_eq!(action(key('m')), Some(Action::Mute));
        assert_eq!(action(key('?')), Some(Action::Help));
        assert_eq!(action(key('x')), None);
        assert_eq!(
            action(KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL)),
            None
        );
    }

    #[test]
    fn extra_keys_drive_the_same_actions() {
        let mut keys = Bindings::default();
        keys.bind("F5", Action::Command(Command::TogglePause))
            .unwrap();
        keys.bind("x", Action::Command(Command::Skip)).unwrap();
        keys.bind("ctrl-p", Action::Mute).unwrap();
        assert_eq!(
            keys.action(KeyEvent::from(KeyCode::F(5))),
            Some(Action::Command(Command::TogglePause))
        );
        assert_eq!(keys.action(key('x')), Some(Action::Command(Command::Skip)));
        assert_eq!(
            keys.action(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL)),
            Some(Action::Mute)
        );
        // The built-in keys are still there, and an unbound key is still nothing.
        assert_eq!(keys.action(key('n')), Some(Action::Command(Command::Skip)));
        assert_eq!(keys.action(KeyEvent::from(KeyCode::F(6))), None);
        assert_eq!(
            Bindings::default().action(KeyEvent::from(KeyCode::F(5))),
            None
        );
        assert_eq!(keys.summary(), "F5 pause, x skip, Ctrl-p mute");
    }

    #[test]
    fn a_key_is_bound_once_and_never_over_a_built_in_one() {
        let mut keys = Bindings::default();
        keys.bind("f5", Action::Quit).unwrap();
        assert_eq!(
            keys.bind("F5", Action::Help),
            Err(BindError::Taken {
                key: "F5".to_owned(),
                action: "quit"
            })
        );
        assert_eq!(
            keys.bind("PageDown", Action::Help),
            Err(BindError::BuiltIn {
                key: "PageDown".to_owned(),
                action: "skip"
            })
        );
        assert!(matches!(
            keys.bind("ctrl-c", Action::Help),
            Err(BindError::Terminal { .. })
        ));
        assert!(matches!(
            keys.bind("pedal", Action::Help),
            Err(BindError::Unknown { .. })
        ));
        assert!(matches!(
            keys.bind("a-b", Action::Help),
            Err(BindError::Chord { .. })
        ));
    }

    #[test]
    fn every_action_has_a_name() {
        for (name, action) in Action::NAMED {
            assert_eq!(action.name(), name);
        }
    }
}
