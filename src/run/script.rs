//! `--script`: commands at given times after the start, as if keys were pressed then,
//! so tests drive a session without a terminal.

use crate::input::Input;
use crate::session::Command;
use crate::span::Span;

/// One scripted step: a command for the session, or an input for the front end.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scripted {
    Command(Command),
    /// A key for the front end: in-process tests press keys at exact times this way.
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "only tests press keys by script")
    )]
    Input(Input),
}

/// A `--script` for tests: `1.5s:pause,2.5s:resume,4s:skip`, times after the start.
///
/// # Errors
/// A sentence naming the part that is not `TIME:COMMAND`.
pub fn parse_script(text: &str) -> Result<Vec<(Span, Scripted)>, String> {
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
        script.push((at, Scripted::Command(command)));
    }
    script.sort_by_key(|(at, _)| *at);
    Ok(script)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_name_times_and_commands() {
        assert_eq!(
            parse_script("3s:resume, 2.1s:pause"),
            Ok(vec![
                (Span::from_millis(2100), Scripted::Command(Command::Pause)),
                (Span::from_secs(3), Scripted::Command(Command::Resume))
            ])
        );
        assert!(parse_script("2s").is_err());
        assert!(parse_script("2s:jump").is_err());
        assert!(parse_script("x:pause").is_err());
    }
}
