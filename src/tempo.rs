//! Rep tempo in the strength-training notation: eccentric, bottom pause, concentric, top
//! pause, in seconds (`3-0-3-0`, `3030`, `31X0`, `3/1/3/0`, `2.5-0-2.5-0`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::span::Span;

/// One of the four phases of a rep, in the notation's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Eccentric,
    BottomPause,
    Concentric,
    TopPause,
}

impl Phase {
    /// The notation's order: eccentric first.
    pub const ALL: [Phase; 4] = [
        Phase::Eccentric,
        Phase::BottomPause,
        Phase::Concentric,
        Phase::TopPause,
    ];

    /// The word a person follows: down, pause, up, pause.
    #[must_use]
    pub const fn word(self) -> &'static str {
        match self {
            Phase::Eccentric => "down",
            Phase::Concentric => "up",
            Phase::BottomPause | Phase::TopPause => "pause",
        }
    }
}

/// How long one phase lasts as written: seconds, or `X` for explosive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhaseLen {
    Secs(Span),
    /// As fast as possible; its length for timing comes from the preset's `explosive`.
    Explosive,
}

impl PhaseLen {
    /// The phase's length, `explosive` standing in for `X`.
    #[must_use]
    pub fn resolve(self, explosive: Span) -> Span {
        match self {
            PhaseLen::Secs(s) => s,
            PhaseLen::Explosive => explosive,
        }
    }
}

/// A four-phase tempo, eccentric - bottom pause - concentric - top pause.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tempo([PhaseLen; 4]);

/// Why a tempo could not be read; the message quotes the tempo and names the phase.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TempoError {
    #[error("tempo {0:?}: expected 4 phases, found {1}")]
    PhaseCount(String, usize),
    #[error("tempo {text:?}: phase {index} ({name}) {part:?} is not a number of seconds or X")]
    BadPhase {
        text: String,
        index: usize,
        name: &'static str,
        part: String,
    },
    #[error("tempo {0:?}: mixes separators; use one of '-' and '/'")]
    MixedSeparators(String),
    #[error("tempo {0:?}: every phase is 0, so a rep would take no time")]
    NoTime(String),
    #[error("tempo {text:?}: phase {index} ({name}) is {part} s; a phase is 0 or from 0.1 to 60 s")]
    OutOfRange {
        text: String,
        index: usize,
        name: &'static str,
        part: String,
    },
}

impl Tempo {
    #[must_use]
    pub const fn new(phases: [PhaseLen; 4]) -> Tempo {
        Tempo(phases)
    }

    /// The written length of `phase`.
    #[must_use]
    pub fn get(&self, phase: Phase) -> PhaseLen {
        self.0[phase as usize]
    }

    /// The length of `phase` with `X` resolved to `explosive`.
    #[must_use]
    pub fn seconds(&self, phase: Phase, explosive: Span) -> Span {
        self.get(phase).resolve(explosive)
    }

    /// The tempo as performed at `speed` (2 = twice as fast), to the millisecond; an
    /// explosive phase stays `X`.
    #[must_use]
    pub fn at_speed(self, speed: f64) -> Tempo {
        Tempo(self.0.map(|phase| match phase {
            PhaseLen::Secs(s) => {
                #[allow(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    clippy::cast_precision_loss,
                    reason = "a phase is at most 60 s; speed is 0.25 to 100"
                )]
                let ms = (s.as_micros() as f64 / 1000.0 / speed).round() as u64;
                PhaseLen::Secs(Span::from_millis(ms))
            }
            PhaseLen::Explosive => PhaseLen::Explosive,
        }))
    }

    /// The time of one rep.
    #[must_use]
    pub fn rep(&self, explosive: Span) -> Span {
        Phase::ALL.iter().map(|&p| self.seconds(p, explosive)).sum()
    }
}

fn phase_name(index: usize) -> &'static str {
    ["eccentric", "bottom pause", "concentric", "top pause"][index]
}

impl FromStr for Tempo {
    type Err = TempoError;

    fn from_str(text: &str) -> Result<Tempo, TempoError> {
        let t = text.trim();
        let has_dash = t.contains('-');
        let has_slash = t.contains('/');
        if has_dash && has_slash {
            return Err(TempoError::MixedSeparators(text.to_owned()));
        }
        let parts: Vec<&str> = if has_dash {
            t.split('-').map(str::trim).collect()
        } else if has_slash {
            t.split('/').map(str::trim).collect()
        } else if t.contains('.') {
            // "2.5" with no separator would be ambiguous with the one-digit form.
            vec![t]
        } else {
            // The compact form: one character a phase, "3030", "31X0".
            t.char_indices()
                .map(|(i, c)| &t[i..i + c.len_utf8()])
                .collect()
        };
        if parts.len() != 4 {
            let found = if t.is_empty() { 0 } else { parts.len() };
            return Err(TempoError::PhaseCount(text.to_owned(), found));
        }
        let mut phases = [PhaseLen::Explosive; 4];
        for (index, part) in parts.iter().enumerate() {
            let phase = parse_phase(part).ok_or_else(|| TempoError::BadPhase {
                text: text.to_owned(),
                index: index + 1,
                name: phase_name(index),
                part: (*part).to_owned(),
            })?;
            if let PhaseLen::Secs(s) = phase
                && !s.is_zero()
                && !(SHORTEST..=LONGEST).contains(&s)
            {
                return Err(TempoError::OutOfRange {
                    text: text.to_owned(),
                    index: index + 1,
                    name: phase_name(index),
                    part: (*part).to_owned(),
                });
            }
            phases[index] = phase;
        }
        if phases.iter().all(|p| *p == PhaseLen::Secs(Span::ZERO)) {
            return Err(TempoError::NoTime(text.to_owned()));
        }
        Ok(Tempo(phases))
    }
}

/// The shortest phase that is not 0: shorter ones could not be followed, and their
/// cues would blur into one sound.
pub const SHORTEST: Span = Span::from_millis(100);
/// The longest phase: more is a hold, not a tempo.
pub const LONGEST: Span = Span::from_secs(60);

fn parse_phase(part: &str) -> Option<PhaseLen> {
    if part.eq_ignore_ascii_case("x") {
        return Some(PhaseLen::Explosive);
    }
    // Plain seconds only: a unit inside a tempo ("3s-0-3s-0") is not the notation.
    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    Span::parse(part).ok().map(PhaseLen::Secs)
}

/// Always the separated form, `3-0-3-0`, `2.5-0-2.5-0`, `3-1-X-0`.
impl fmt::Display for Tempo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, phase) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("-")?;
            }
            match phase {
                PhaseLen::Explosive => f.write_str("X")?,
                PhaseLen::Secs(s) => f.write_str(&s.decimal_secs())?,
            }
        }
        Ok(())
    }
}

impl Serialize for Tempo {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Tempo {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Tempo, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod speed_tests {
    use super::*;

    #[test]
    fn a_tempo_at_another_speed_is_what_was_performed() {
        let tempo: Tempo = "3-0-3-1".parse().unwrap();
        assert_eq!(tempo.at_speed(1.25).to_string(), "2.4-0-2.4-0.8");
        assert_eq!(tempo.at_speed(0.5).to_string(), "6-0-6-2");
        let explosive: Tempo = "3-1-X-0".parse().unwrap();
        assert_eq!(explosive.at_speed(2.0).to_string(), "1.5-0.5-X-0");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: u64) -> PhaseLen {
        PhaseLen::Secs(Span::from_secs(s))
    }

    #[test]
    fn reads_every_accepted_form() {
        let t3030 = Tempo([secs(3), secs(0), secs(3), secs(0)]);
        assert_eq!("3-0-3-0".parse(), Ok(t3030));
        assert_eq!("3030".parse(), Ok(t3030));
        assert_eq!("3/0/3/0".parse(), Ok(t3030));
        assert_eq!(" 3 - 0 - 3 - 0 ".parse(), Ok(t3030));
        assert_eq!(
            "31X0".parse(),
            Ok(Tempo([secs(3), secs(1), PhaseLen::Explosive, secs(0)]))
        );
        assert_eq!(
            "3/1/x/0".parse(),
            Ok(Tempo([secs(3), secs(1), PhaseLen::Explosive, secs(0)]))
        );
        let half = PhaseLen::Secs(Span::from_millis(2500));
        assert_eq!(
            "2.5-0-2.5-0".parse(),
            Ok(Tempo([half, secs(0), half, secs(0)]))
        );
        assert_eq!(
            "10-0-10-0".parse::<Tempo>().unwrap().rep(Span::ZERO),
            Span::from_secs(20)
        );
    }

    #[test]
    fn names_what_is_wrong() {
        let err = |t: &str| t.parse::<Tempo>().unwrap_err().to_string();
        assert_eq!(err("3-0-3"), r#"tempo "3-0-3": expected 4 phases, found 3"#);
        assert_eq!(err("30303"), r#"tempo "30303": expected 4 phases, found 5"#);
        assert_eq!(err(""), r#"tempo "": expected 4 phases, found 0"#);
        assert_eq!(
            err("3-a-3-0"),
            r#"tempo "3-a-3-0": phase 2 (bottom pause) "a" is not a number of seconds or X"#
        );
        assert_eq!(
            err("3-0-3/0"),
            r#"tempo "3-0-3/0": mixes separators; use one of '-' and '/'"#
        );
        assert_eq!(
            err("0000"),
            r#"tempo "0000": every phase is 0, so a rep would take no time"#
        );
        assert!("3s-0-3s-0".parse::<Tempo>().is_err());
        assert!("3--3-0".parse::<Tempo>().is_err());
        assert_eq!(
            err("90-0-3-0"),
            r#"tempo "90-0-3-0": phase 1 (eccentric) is 90 s; a phase is 0 or from 0.1 to 60 s"#
        );
        assert!("0.05-0-3-0".parse::<Tempo>().is_err());
        assert!("0.1-0-60-0".parse::<Tempo>().is_ok());
        assert!("-3-0-3-0".parse::<Tempo>().is_err());
    }

    #[test]
    fn explosive_takes_the_configured_length() {
        let t: Tempo = "31X0".parse().unwrap();
        assert_eq!(t.rep(Span::from_secs(1)), Span::from_secs(5));
        assert_eq!(t.rep(Span::from_millis(500)), Span::from_millis(4500));
    }

    proptest::proptest! {
        #[test]
        fn display_round_trips(
            ms in proptest::array::uniform4(proptest::option::of(
                proptest::prop_oneof![proptest::strategy::Just(0u64), 100u64..=60_000]
            )),
        ) {
            let phases = ms.map(|p| p.map_or(PhaseLen::Explosive, |ms| PhaseLen::Secs(Span::from_millis(ms))));
            proptest::prop_assume!(phases.iter().any(|p| *p != PhaseLen::Secs(Span::ZERO)));
            let tempo = Tempo(phases);
            proptest::prop_assert_eq!(tempo.to_string().parse::<Tempo>(), Ok(tempo));
        }
    }
}
