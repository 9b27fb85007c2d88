//! What reaches a running screen from outside: key presses, resizes and signals, as one
//! message type on one channel, and the one key map both session front ends share.
//!
//! The key map says what a key means to a session; the full-screen display first gives
//! keys to whatever it has open on top (the set form, a box) and falls back to this map,
//! so a key means the same in both front ends.

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

/// The session's key map: one pure match on the key. Presenter clickers and foot pedals
/// send PageDown/PageUp or Right/Left for next and previous and `b` or `.` for "blank
/// the screen": next skips, previous goes back, blank pauses, so a clicker in one hand
/// drives a session.
#[must_use]
pub fn action(key: KeyEvent) -> Option<Action> {
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

/// The keys in one line, for the plain runner's header and `?`.
pub const KEYS_HELP: &str = "keys: space (or b, .) pause/resume, n (→, PgDn) skip, p (←, PgUp) back, r restart set, + faster, - slower, m mute, q quit";

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
}
