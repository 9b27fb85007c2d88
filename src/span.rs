//! Session time in whole microseconds: durations from presets and offsets on the plan.
//!
//! Every offset on a plan is computed from whole microseconds so that it is exact when
//! printed (`show --json` gives six decimals) and never drifts through float sums; a
//! 60-minute session's last cue is as exact as its first.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A length of session time, or an offset from the session start, in microseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span(u64);

/// The longest duration a preset or flag may name: a day. Longer values are typing
/// mistakes, and the bound keeps every sum of spans far from overflow.
pub const MAX: Span = Span::from_secs(24 * 3600);

/// Why a duration could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpanError {
    #[error("duration {0:?} is empty")]
    Empty(String),
    #[error(
        "duration {0:?} is not a duration: use seconds (45, 45s, 1.5s), minutes (2m) or both (2m30s)"
    )]
    Syntax(String),
    #[error("duration {0:?} is negative")]
    Negative(String),
    #[error("duration {0:?} is longer than a day")]
    TooLong(String),
    #[error("duration {0:?} is finer than a microsecond")]
    TooFine(String),
}

impl Span {
    pub const ZERO: Span = Span(0);

    #[must_use]
    pub const fn from_micros(us: u64) -> Span {
        Span(us)
    }

    #[must_use]
    pub const fn from_millis(ms: u64) -> Span {
        Span(ms * 1_000)
    }

    #[must_use]
    pub const fn from_secs(s: u64) -> Span {
        Span(s * 1_000_000)
    }

    #[must_use]
    pub const fn as_micros(self) -> u64 {
        self.0
    }

    /// Seconds as a float, for display and JSON; exact for any span under 285 years.
    #[must_use]
    #[allow(clippy::cast_precision_loss)] // exact below 2^53 µs
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1e6
    }

    #[must_use]
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `self - other`, or zero when `other` is later.
    #[must_use]
    pub const fn saturating_sub(self, other: Span) -> Span {
        Span(self.0.saturating_sub(other.0))
    }

    /// This span repeated `n` times, computed by one multiplication (saturating: sums
    /// of spans are checked against [`MAX`], never wrapped).
    #[must_use]
    pub const fn times(self, n: u64) -> Span {
        Span(self.0.saturating_mul(n))
    }

    /// Parses the notations a preset or flag may use: `45`, `45s`, `1.5s`, `2m`, `2m30s`,
    /// `1h`, `1h30m`, with or without spaces between the parts (`45 s`, `2 min 30 s`).
    ///
    /// # Errors
    /// A [`SpanError`] naming the text when it is empty, malformed, negative, finer
    /// than a microsecond or longer than a day.
    pub fn parse(text: &str) -> Result<Span, SpanError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(SpanError::Empty(text.to_owned()));
        }
        if t.starts_with('-') {
            return Err(SpanError::Negative(text.to_owned()));
        }
        let mut total: u128 = 0;
        let mut rest = t;
        let mut last_unit = u8::MAX;
        while !rest.is_empty() {
            let num_len = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(rest.len());
            let (num, after) = rest.split_at(num_len);
            if num.is_empty() {
                return Err(SpanError::Syntax(text.to_owned()));
            }
            // "45 s" and "2 min 30 s" are how people write durations in prose.
            let after = after.trim_start();
            let unit_len = after
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(after.len());
            let (unit, after) = after.split_at(unit_len);
            let after = after.trim_start();
            // A bare number is seconds, and only on its own or as the last part ("2m30").
            let (rank, scale) = match unit {
                "h" => (3, 3_600_000_000u128),
                "m" | "min" => (2, 60_000_000),
                "s" | "sec" | "" => (1, 1_000_000),
                "ms" => (0, 1_000),
                _ => return Err(SpanError::Syntax(text.to_owned())),
            };
            // Units must go from large to small, each at most once: "30s2m" is a typo.
            if rank >= last_unit || (unit.is_empty() && !after.is_empty()) {
                return Err(SpanError::Syntax(text.to_owned()));
            }
            last_unit = rank;
            if num.matches('.').count() > 1 || num == "." {
                return Err(SpanError::Syntax(text.to_owned()));
            }
            if num.split('.').next().is_some_and(|int| int.len() > 12) {
                return Err(SpanError::TooLong(text.to_owned()));
            }
            total += parse_scaled(num, scale).ok_or_else(|| SpanError::TooFine(text.to_owned()))?;
            if total > u128::from(MAX.0) {
                return Err(SpanError::TooLong(text.to_owned()));
            }
            rest = after;
        }
        Ok(Span(u64::try_from(total).expect("bounded by MAX above")))
    }
}

/// `num` (digits with at most one '.', checked by the caller) times `scale`, when the
/// product is a whole number of microseconds.
fn parse_scaled(num: &str, scale: u128) -> Option<u128> {
    let (int, frac) = num.split_once('.').unwrap_or((num, ""));
    let int: u128 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut value = int * scale;
    let mut place = scale;
    for digit in frac.bytes() {
        let d = u128::from(digit - b'0');
        if place < 10 {
            // Past the last microsecond digit: only zeros may follow.
            if d != 0 {
                return None;
            }
            continue;
        }
        place /= 10;
        value += d * place;
    }
    Some(value)
}

impl FromStr for Span {
    type Err = SpanError;
    fn from_str(s: &str) -> Result<Span, SpanError> {
        Span::parse(s)
    }
}

impl std::ops::Add for Span {
    type Output = Span;
    /// Saturating, so that an absurd preset is caught by a length check, not wrapped.
    fn add(self, rhs: Span) -> Span {
        Span(self.0.saturating_add(rhs.0))
    }
}

impl std::ops::AddAssign for Span {
    fn add_assign(&mut self, rhs: Span) {
        *self = *self + rhs;
    }
}

impl std::ops::Sub for Span {
    type Output = Span;
    fn sub(self, rhs: Span) -> Span {
        Span(self.0 - rhs.0)
    }
}

impl std::iter::Sum for Span {
    fn sum<I: Iterator<Item = Span>>(iter: I) -> Span {
        iter.fold(Span::ZERO, |a, b| a + b)
    }
}

/// The preset notation: `45s`, `2m`, `2m30s`, `1.5s`, `1h2m`; round-trips through
/// [`Span::parse`].
impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let us = self.0;
        if us == 0 {
            return f.write_str("0s");
        }
        let hours = us / 3_600_000_000;
        let minutes = us / 60_000_000 % 60;
        let sub_minute = us % 60_000_000;
        if hours > 0 {
            write!(f, "{hours}h")?;
        }
        if minutes > 0 {
            write!(f, "{minutes}m")?;
        }
        if sub_minute > 0 {
            write!(f, "{}s", Span(sub_minute).decimal_secs())?;
        }
        Ok(())
    }
}

impl Span {
    /// Plain decimal seconds with no trailing zeros: `3`, `2.5`, `0.000001`.
    #[must_use]
    pub fn decimal_secs(self) -> String {
        let (secs, frac) = (self.0 / 1_000_000, self.0 % 1_000_000);
        if frac == 0 {
            secs.to_string()
        } else {
            let digits = format!("{frac:06}");
            format!("{secs}.{}", digits.trim_end_matches('0'))
        }
    }

    /// A clock face for tables: `0:45`, `2:30`, `1:02:05` (whole seconds, rounded down).
    #[must_use]
    pub fn clock(self) -> String {
        let secs = self.0 / 1_000_000;
        let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
        if h > 0 {
            format!("{h}:{m:02}:{s:02}")
        } else {
            format!("{m}:{s:02}")
        }
    }
}

impl Serialize for Span {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

/// A preset may write a duration as a string (`"2m30s"`) or a bare number of seconds.
impl<'de> Deserialize<'de> for Span {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Span, D::Error> {
        struct SpanVisitor;
        impl Visitor<'_> for SpanVisitor {
            type Value = Span;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a duration such as 45, \"45s\", \"2m\" or \"2m30s\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Span, E> {
                Span::parse(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Span, E> {
                Span::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Span, E> {
                Span::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Span, E> {
                // Checked before formatting: 1e300 would print 301 digits.
                if v < 0.0 {
                    return Err(E::custom(SpanError::Negative(format!("{v}"))));
                }
                if !v.is_finite() || v > MAX.as_secs_f64() {
                    return Err(E::custom(SpanError::TooLong(format!("{v:e}"))));
                }
                Span::parse(&v.to_string()).map_err(E::custom)
            }
        }
        d.deserialize_any(SpanVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_every_documented_notation() {
        assert_eq!(Span::parse("45"), Ok(Span::from_secs(45)));
        assert_eq!(Span::parse("45s"), Ok(Span::from_secs(45)));
        assert_eq!(Span::parse("2m"), Ok(Span::from_secs(120)));
        assert_eq!(Span::parse("2m30s"), Ok(Span::from_secs(150)));
        assert_eq!(Span::parse("2m30"), Ok(Span::from_secs(150)));
        assert_eq!(Span::parse("1.5s"), Ok(Span::from_millis(1500)));
        assert_eq!(Span::parse("1.5"), Ok(Span::from_millis(1500)));
        assert_eq!(Span::parse("0.25m"), Ok(Span::from_secs(15)));
        assert_eq!(Span::parse("1h2m3s"), Ok(Span::from_secs(3723)));
        assert_eq!(Span::parse("250ms"), Ok(Span::from_millis(250)));
        assert_eq!(Span::parse("0"), Ok(Span::ZERO));
        assert_eq!(Span::parse("0.000001s"), Ok(Span::from_micros(1)));
    }

    #[test]
    fn accepts_spaces_before_a_unit_and_between_parts() {
        assert_eq!(Span::parse("45 s"), Ok(Span::from_secs(45)));
        assert_eq!(Span::parse("45 sec"), Ok(Span::from_secs(45)));
        assert_eq!(Span::parse("2 min"), Ok(Span::from_secs(120)));
        assert_eq!(Span::parse("2 m 30 s"), Ok(Span::from_secs(150)));
        assert_eq!(Span::parse("2m 30"), Ok(Span::from_secs(150)));
        assert_eq!(Span::parse(" 1.5  s "), Ok(Span::from_millis(1500)));
        for bad in ["4 5", "45 s 30", "2 m m", "- 5s"] {
            assert!(Span::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn rejects_malformed_durations() {
        for bad in [
            "", "s", "-5", "5x", "30s2m", "2m2m", "1.2.3s", "m30", "45 s s", "1e3",
        ] {
            assert!(Span::parse(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(matches!(Span::parse("-5s"), Err(SpanError::Negative(_))));
        assert!(matches!(Span::parse("25h"), Err(SpanError::TooLong(_))));
        assert!(matches!(
            Span::parse("0.0000001s"),
            Err(SpanError::TooFine(_))
        ));
        assert!(matches!(
            Span::parse("1.00000001s"),
            Err(SpanError::TooFine(_))
        ));
        assert!(matches!(
            Span::parse("1.00001ms"),
            Err(SpanError::TooFine(_))
        ));
        assert_eq!(Span::parse("1.0000010s"), Ok(Span::from_micros(1_000_001)));
    }

    #[test]
    fn display_round_trips() {
        for text in ["45s", "2m", "2m30s", "1.5s", "1h2m3s", "0.000001s", "0s"] {
            let span = Span::parse(text).unwrap();
            assert_eq!(span.to_string(), text);
            assert_eq!(Span::parse(&span.to_string()), Ok(span));
        }
    }

    #[test]
    fn clock_face() {
        assert_eq!(Span::from_secs(45).clock(), "0:45");
        assert_eq!(Span::from_secs(150).clock(), "2:30");
        assert_eq!(Span::from_secs(3725).clock(), "1:02:05");
    }

    proptest::proptest! {
        #[test]
        fn any_span_round_trips(us in 0u64..=MAX.as_micros()) {
            let span = Span::from_micros(us);
            proptest::prop_assert_eq!(Span::parse(&span.to_string()), Ok(span));
        }

        /// Any text, huge numbers and odd spacing included: a span within a day or an
        /// error, never a panic.
        #[test]
        fn any_text_is_a_bounded_span_or_an_error(
            text in "\\PC{0,20}|[0-9]{1,40}(\\.[0-9]{0,40})? *(h|m|min|s|sec|ms)?( *[0-9]{1,3} *s)?"
        ) {
            if let Ok(span) = Span::parse(&text) {
                proptest::prop_assert!(span <= MAX, "{text:?} gave {span}");
            }
        }
    }
}
