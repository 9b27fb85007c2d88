//! The load of a set: `80kg`, `175lb`, `bodyweight`, `70%1RM`, `70%MVC`, `15RM`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What a load's number counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    Kg,
    Lb,
    /// The person's own weight; carries no number.
    Bodyweight,
    /// Percent of the one-repetition maximum.
    PercentOneRm,
    /// Percent of the maximal voluntary contraction (isometric work).
    PercentMvc,
    /// The heaviest load that can be lifted this many times ("15RM").
    RepMax,
}

impl Unit {
    /// The unit as written after the number, and as stored in the log.
    #[must_use]
    pub const fn symbol(self) -> &'static str {
        match self {
            Unit::Kg => "kg",
            Unit::Lb => "lb",
            Unit::Bodyweight => "bodyweight",
            Unit::PercentOneRm => "%1RM",
            Unit::PercentMvc => "%MVC",
            Unit::RepMax => "RM",
        }
    }

    /// Whether the unit prescribes a load (a repetition maximum, a percentage of a
    /// maximum) rather than measuring one: "6RM" says how hard, not how much was lifted,
    /// so the log keeps it apart from the load.
    #[must_use]
    pub const fn is_prescription(self) -> bool {
        matches!(self, Unit::PercentOneRm | Unit::PercentMvc | Unit::RepMax)
    }
}

/// A load with its unit. `value` is `None` only for [`Unit::Bodyweight`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Load {
    pub value: Option<f64>,
    pub unit: Unit,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    #[error("load {0:?} is not a load: use 80kg, 175lb, bodyweight, 70%1RM, 70%MVC or 15RM")]
    Syntax(String),
    #[error("load {0:?} must be more than 0")]
    NotPositive(String),
    #[error("load {0:?} is over 100 percent")]
    OverHundred(String),
    #[error("load {0:?}: a repetition maximum is a whole number of reps from 1 to 100")]
    RepMax(String),
}

impl FromStr for Load {
    type Err = LoadError;

    fn from_str(text: &str) -> Result<Load, LoadError> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("bodyweight") || t.eq_ignore_ascii_case("bw") {
            return Ok(Load {
                value: None,
                unit: Unit::Bodyweight,
            });
        }
        let split = t
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(|| LoadError::Syntax(text.to_owned()))?;
        let (number, unit) = t.split_at(split);
        let unit = match unit.trim().to_ascii_lowercase().as_str() {
            "kg" => Unit::Kg,
            "lb" | "lbs" => Unit::Lb,
            "%1rm" => Unit::PercentOneRm,
            "%mvc" => Unit::PercentMvc,
            "rm" => Unit::RepMax,
            _ => return Err(LoadError::Syntax(text.to_owned())),
        };
        let value: f64 = number
            .parse()
            .map_err(|_| LoadError::Syntax(text.to_owned()))?;
        if value <= 0.0 {
            return Err(LoadError::NotPositive(text.to_owned()));
        }
        match unit {
            Unit::PercentOneRm | Unit::PercentMvc if value > 100.0 => {
                return Err(LoadError::OverHundred(text.to_owned()));
            }
            Unit::RepMax if value.fract() != 0.0 || value > 100.0 => {
                return Err(LoadError::RepMax(text.to_owned()));
            }
            _ => {}
        }
        Ok(Load {
            value: Some(value),
            unit,
        })
    }
}

impl fmt::Display for Load {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.value {
            Some(v) => write!(f, "{v}{}", self.unit.symbol()),
            None => f.write_str(self.unit.symbol()),
        }
    }
}

/// In presets a load is written as one string; the log's `{"value","unit"}` object is
/// built by the log module.
impl Serialize for Load {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Load {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Load, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(value: f64, unit: Unit) -> Load {
        Load {
            value: Some(value),
            unit,
        }
    }

    #[test]
    fn reads_every_documented_form() {
        assert_eq!("80kg".parse(), Ok(load(80.0, Unit::Kg)));
        assert_eq!("82.5 kg".parse(), Ok(load(82.5, Unit::Kg)));
        assert_eq!("175lb".parse(), Ok(load(175.0, Unit::Lb)));
        assert_eq!("70%1RM".parse(), Ok(load(70.0, Unit::PercentOneRm)));
        assert_eq!("70%MVC".parse(), Ok(load(70.0, Unit::PercentMvc)));
        assert_eq!("15RM".parse(), Ok(load(15.0, Unit::RepMax)));
        assert_eq!(
            "bodyweight".parse(),
            Ok(Load {
                value: None,
                unit: Unit::Bodyweight
            })
        );
    }

    #[test]
    fn rejects_what_is_not_a_load() {
        for bad in [
            "kg", "80", "80 stone", "0kg", "-5kg", "120%1RM", "8.5RM", "1.2.3kg", "",
        ] {
            assert!(bad.parse::<Load>().is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn prescriptions_are_told_apart_from_loads() {
        for text in ["70%1RM", "70%MVC", "6RM"] {
            assert!(
                text.parse::<Load>().unwrap().unit.is_prescription(),
                "{text}"
            );
        }
        for text in ["80kg", "175lb", "bodyweight"] {
            assert!(
                !text.parse::<Load>().unwrap().unit.is_prescription(),
                "{text}"
            );
        }
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "80kg",
            "82.5kg",
            "175lb",
            "bodyweight",
            "70%1RM",
            "70%MVC",
            "15RM",
        ] {
            let parsed: Load = text.parse().unwrap();
            assert_eq!(parsed.to_string(), text);
        }
    }
}
