//! The config file: a person's defaults for `start` (volume, voice, bell, colour), the
//! lead-in of every plan, and extra keys, set once instead of on every command line.
//!
//! `$XDG_CONFIG_HOME/reptempo/config.toml` on Linux (the platform's config directory
//! elsewhere). No file means the built-in defaults; a file that is wrong in any way is an
//! error naming `FILE:LINE:COL`, never silently ignored, because a default that did not
//! apply (a muted session, no lead-in to get under the bar) is found out mid-set. Flags
//! override the file; which wins is decided in one place, [`crate::cli`]'s second stage.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::input::{Action, Bindings};
use crate::preset::Diagnostic;
use crate::span::Span;

/// The config file's name in the config directory; `check` reads a file of this name as
/// a config file, not a preset.
pub const FILE_NAME: &str = "config.toml";

/// The largest config file read: a few lines are expected, and anything much larger is a
/// wrong path.
const MAX_FILE_BYTES: u64 = 64 << 10;

/// A person's defaults; `None` (and no keys) where the file says nothing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    pub volume: Option<u8>,
    pub voice: Option<bool>,
    pub bell: Option<bool>,
    pub colour: Option<bool>,
    pub lead_in: Option<Span>,
    pub keys: Bindings,
}

/// Why the config file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the config file {}", shown(path))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "cannot read the config file {}: it is not a regular file",
        shown(path)
    )]
    NotAFile { path: PathBuf },
    #[error(
        "cannot read the config file {}: it is larger than {} KiB, the most a config file may be",
        shown(path),
        MAX_FILE_BYTES >> 10
    )]
    TooLarge { path: PathBuf },
    /// One or more problems, each printed as `FILE:LINE:COL: message`.
    #[error("{}", render(path, diagnostics))]
    Invalid {
        path: PathBuf,
        diagnostics: Vec<Diagnostic>,
    },
}

fn shown(path: &Path) -> String {
    crate::text::escape_cell(&path.display().to_string()).into_owned()
}

fn render(path: &Path, diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| format!("{}:{d}", shown(path)))
        .collect::<Vec<_>>()
        .join("\n")
}

// ---- the file format, as serde reads it ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    volume: Option<Spanned<i64>>,
    voice: Option<bool>,
    bell: Option<bool>,
    #[serde(alias = "color")]
    colour: Option<bool>,
    lead_in: Option<Span>,
    #[serde(default)]
    keys: RawKeys,
}

/// `action = ["key", ...]` for each action of [`Action::NAMED`].
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKeys {
    #[serde(default)]
    pause: Vec<Spanned<String>>,
    #[serde(default)]
    skip: Vec<Spanned<String>>,
    #[serde(default)]
    back: Vec<Spanned<String>>,
    #[serde(default)]
    restart: Vec<Spanned<String>>,
    #[serde(default)]
    faster: Vec<Spanned<String>>,
    #[serde(default)]
    slower: Vec<Spanned<String>>,
    #[serde(default)]
    mute: Vec<Spanned<String>>,
    #[serde(default)]
    help: Vec<Spanned<String>>,
    #[serde(default)]
    quit: Vec<Spanned<String>>,
}

impl RawKeys {
    /// Each action's keys, in the order of [`Action::NAMED`].
    fn by_action(self) -> [(&'static str, Vec<Spanned<String>>); 9] {
        [
            ("pause", self.pause),
            ("skip", self.skip),
            ("back", self.back),
            ("restart", self.restart),
            ("faster", self.faster),
            ("slower", self.slower),
            ("mute", self.mute),
            ("help", self.help),
            ("quit", self.quit),
        ]
    }
}

impl Config {
    /// Reads and validates a config file's text; `path` names it in diagnostics.
    ///
    /// # Errors
    /// [`ConfigError::Invalid`]: the first problem serde finds (a syntax error, an
    /// unknown key, a wrong type), else every value that is out of range or a key that
    /// cannot be bound, each at its line and column.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let at = |span: std::ops::Range<usize>, message: &str| {
            let (line, col) = crate::preset::position(text, span.start);
            Diagnostic {
                line,
                col,
                // A key or value may hold control characters: they are shown, not sent.
                message: crate::text::escape(&crate::preset::plain_words(message))
                    .replace("struct RawConfig", "a table")
                    .replace("struct RawKeys", "a table"),
            }
        };
        let invalid = |diagnostics| ConfigError::Invalid {
            path: path.to_owned(),
            diagnostics,
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e: toml::de::Error| {
            invalid(vec![at(e.span().unwrap_or(0..0), e.message())])
        })?;
        let mut found = Vec::new();
        let volume = raw.volume.and_then(|v| {
            let volume = u8::try_from(*v.get_ref()).ok().filter(|v| *v <= 100);
            if volume.is_none() {
                found.push(at(
                    v.span(),
                    &format!("volume {} is not from 0 to 100", v.get_ref()),
                ));
            }
            volume
        });
        let mut keys = Bindings::default();
        for (name, names) in raw.keys.by_action() {
            let action = Action::NAMED
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, a)| *a)
                .expect("every raw key table entry is a named action");
            for key in names {
                if let Err(e) = keys.bind(key.get_ref(), action) {
                    found.push(at(key.span(), &format!("[keys] {name}: {e}")));
                }
            }
        }
        if !found.is_empty() {
            found.sort_by_key(|d| (d.line, d.col));
            return Err(invalid(found));
        }
        Ok(Config {
            volume,
            voice: raw.voice,
            bell: raw.bell,
            colour: raw.colour,
            lead_in: raw.lead_in,
            keys,
        })
    }

    /// Reads a config file from disk.
    ///
    /// # Errors
    /// [`ConfigError`] when it cannot be read, is not a regular file, is too large or is
    /// not valid (see [`Config::parse`]).
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        use crate::small_file::Unreadable;
        let text = crate::small_file::read(path, MAX_FILE_BYTES).map_err(|e| match e {
            Unreadable::Io(source) => ConfigError::Read {
                path: path.to_owned(),
                source,
            },
            Unreadable::NotAFile(_) => ConfigError::NotAFile {
                path: path.to_owned(),
            },
            Unreadable::TooLarge => ConfigError::TooLarge {
                path: path.to_owned(),
            },
            Unreadable::NotUtf8 { line, col, byte } => ConfigError::Invalid {
                path: path.to_owned(),
                diagnostics: vec![Diagnostic {
                    line,
                    col,
                    message: Unreadable::not_utf8_message(byte),
                }],
            },
        })?;
        Config::parse(&text, path)
    }

    /// The config file this process uses, `None` when the platform has no config
    /// directory (no home).
    #[must_use]
    pub fn active_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "reptempo").map(|d| d.config_dir().join(FILE_NAME))
    }

    /// The active config: the built-in defaults when there is no file.
    ///
    /// # Errors
    /// As [`Config::load`], except that a missing file is no error.
    pub fn load_active() -> Result<Config, ConfigError> {
        let Some(path) = Config::active_path() else {
            return Ok(Config::default());
        };
        match Config::load(&path) {
            Err(ConfigError::Read { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                Ok(Config::default())
            }
            other => other,
        }
    }

    /// Whether `path` is checked as a config file: by its name, `config.toml`.
    #[must_use]
    pub fn is_config_path(path: &Path) -> bool {
        path.file_name().is_some_and(|n| n == FILE_NAME)
    }
}

/// What the file sets, for `check`: `volume 60, bell off, keys F5 pause`.
impl fmt::Display for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let on = |b: bool| if b { "on" } else { "off" };
        let mut parts = Vec::new();
        if let Some(v) = self.volume {
            parts.push(format!("volume {v}"));
        }
        if let Some(v) = self.voice {
            parts.push(format!("voice {}", on(v)));
        }
        if let Some(v) = self.bell {
            parts.push(format!("bell {}", on(v)));
        }
        if let Some(v) = self.colour {
            parts.push(format!("colour {}", on(v)));
        }
        if let Some(v) = self.lead_in {
            parts.push(format!("lead-in {v}"));
        }
        let keys = self.keys.summary();
        if !keys.is_empty() {
            parts.push(format!("keys {keys}"));
        }
        if parts.is_empty() {
            f.write_str("nothing set")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Command;
    use crossterm::event::{KeyCode, KeyEvent};

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("config.toml"))
    }

    fn error(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn every_key_is_read() {
        let config = parse(
            r#"
volume = 60
voice = true
bell = false
colour = false
lead_in = "10s"

[keys]
pause = ["F5"]
skip = ["F6", "shift-n"]
back = ["F7"]
restart = ["F8"]
faster = ["F9"]
slower = ["F10"]
mute = ["F11"]
help = ["F12"]
quit = ["ctrl-q"]
"#,
        )
        .unwrap();
        assert_eq!(config.volume, Some(60));
        assert_eq!(config.voice, Some(true));
        assert_eq!(config.bell, Some(false));
        assert_eq!(config.colour, Some(false));
        assert_eq!(config.lead_in, Some(Span::from_secs(10)));
        assert_eq!(
            config.keys.action(KeyEvent::from(KeyCode::F(5))),
            Some(Action::Command(Command::TogglePause))
        );
        // A shifted letter is the capital the terminal sends.
        assert_eq!(
            config.keys.action(KeyEvent::new(
                KeyCode::Char('N'),
                crossterm::event::KeyModifiers::SHIFT
            )),
            Some(Action::Command(Command::Skip))
        );
        let bound: Vec<&str> = config.keys.extra().iter().map(|(_, a)| *a).collect();
        assert_eq!(
            bound,
            [
                "pause", "skip", "skip", "back", "restart", "faster", "slower", "mute", "help",
                "quit"
            ]
        );
        assert_eq!(
            config.to_string(),
            "volume 60, voice on, bell off, colour off, lead-in 10s, keys F5 pause, F6 skip, \
             Shift-n skip, F7 back, F8 restart, F9 faster, F10 slower, F11 mute, F12 help, \
             Ctrl-q quit"
        );
    }

    #[test]
    fn an_empty_file_sets_nothing() {
        assert_eq!(parse("").unwrap(), Config::default());
        assert_eq!(
            parse("# just a comment\n").unwrap().to_string(),
            "nothing set"
        );
        // The American spelling is the same key.
        assert_eq!(parse("color = true").unwrap().colour, Some(true));
    }

    #[test]
    fn an_unknown_key_is_an_error_at_its_place() {
        let message = error("volume = 60\ncolr = false\n");
        assert!(
            message.starts_with("config.toml:2:1: unknown field `colr`"),
            "{message}"
        );
        let message = error("[keys]\npause = [\"F5\"]\npedal = [\"F6\"]\n");
        assert!(
            message.starts_with("config.toml:3:1: unknown field `pedal`"),
            "{message}"
        );
    }

    #[test]
    fn a_wrong_type_is_an_error_at_its_value() {
        let message = error("volume = 60\nbell = \"yes\"\n");
        assert!(message.starts_with("config.toml:2:8: "), "{message}");
        assert!(message.contains("expected true or false"), "{message}");
        let message = error("[keys]\npause = \"F5\"\n");
        assert!(message.starts_with("config.toml:2:9: "), "{message}");
        assert!(message.contains("expected an array"), "{message}");
        let message = error("lead_in = \"soon\"\n");
        assert!(message.starts_with("config.toml:1:11: "), "{message}");
    }

    #[test]
    fn values_out_of_range_and_bad_keys_are_each_named() {
        let message = error("volume = 150\n[keys]\npause = [\"F5\", \"pedal\"]\nquit = [\"n\"]\n");
        let lines: Vec<&str> = message.lines().collect();
        assert_eq!(lines.len(), 3, "{message}");
        assert_eq!(
            lines[0],
            "config.toml:1:10: volume 150 is not from 0 to 100"
        );
        assert!(
            lines[1].starts_with(r#"config.toml:3:16: [keys] pause: "pedal" is not a key name"#),
            "{message}"
        );
        assert_eq!(
            lines[2],
            "config.toml:4:9: [keys] quit: n already means skip (a built-in key); extra keys \
             add to the built-in ones"
        );
        assert!(
            error("[keys]\npause = [\"F5\"]\nskip = [\"F5\"]\n")
                .contains("3:9: [keys] skip: F5 is already bound to pause")
        );
    }

    #[test]
    fn control_characters_in_the_file_are_shown_not_sent() {
        let message = error("\"col\u{1b}[31m\" = 1\n");
        assert!(!message.contains('\u{1b}'), "{message:?}");
    }

    #[test]
    fn a_file_that_is_not_utf8_is_named_at_its_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, b"volume = 60\nbell = \xff\n").unwrap();
        let message = Config::load(&path).unwrap_err().to_string();
        assert!(
            message.ends_with(":2:8: the file is not UTF-8 text (byte 0xFF)"),
            "{message}"
        );
        assert!(matches!(
            Config::load(dir.path()),
            Err(ConfigError::NotAFile { .. })
        ));
    }
}
