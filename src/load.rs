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

/// A change to a load, as a coach rule writes it: `+2.5kg`, `-5lb`, `+5%`, `-10%`. The
/// sign is required, so a rule always says which way it goes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LoadStep {
    /// A relative change, in percent of the load: `-10%` of 80 kg is 72 kg, and of
    /// 70%MVC is 63%MVC (relative, never percentage points).
    Percent(f64),
    /// An amount in kg or lb, converted when the load is in the other unit.
    By(f64, Unit),
}

/// The largest step a rule may take: half the load, or 100 kg (220 lb).
const MAX_PERCENT_STEP: f64 = 50.0;
const MAX_KG_STEP: f64 = 100.0;
const KG_PER_LB: f64 = 0.453_592_37;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadStepError {
    #[error(
        "load change {0:?} is not a change: use a sign and an amount, e.g. +2.5kg, -5lb, +5%, -10%"
    )]
    Syntax(String),
    #[error("load change {0:?} must be more than 0 and at most 50% or 100 kg (220 lb)")]
    Size(String),
}

impl LoadStep {
    /// Whether the step makes the load heavier.
    #[must_use]
    pub fn increases(self) -> bool {
        match self {
            LoadStep::Percent(p) | LoadStep::By(p, _) => p > 0.0,
        }
    }

    /// `load` changed by this step, rounded to 0.01 (no float noise in what is shown);
    /// `None` for bodyweight or a repetition maximum, which a step cannot change, and
    /// for an amount in kg or lb applied to a percentage. Never below 0.
    #[must_use]
    pub fn apply(self, load: Load) -> Option<Load> {
        let value = load.value?;
        let next = match (self, load.unit) {
            (_, Unit::Bodyweight | Unit::RepMax) => return None,
            (LoadStep::Percent(p), _) => value * (1.0 + p / 100.0),
            (LoadStep::By(by, from), to @ (Unit::Kg | Unit::Lb)) => {
                let factor = match (from, to) {
                    (Unit::Kg, Unit::Lb) => 1.0 / KG_PER_LB,
                    (Unit::Lb, Unit::Kg) => KG_PER_LB,
                    _ => 1.0,
                };
                value + by * factor
            }
            (LoadStep::By(..), _) => return None,
        };
        let mut next = ((next * 100.0).round() / 100.0).max(0.0);
        if load.unit == Unit::PercentOneRm || load.unit == Unit::PercentMvc {
            next = next.min(100.0);
        }
        Some(Load {
            value: Some(next),
            unit: load.unit,
        })
    }
}

impl FromStr for LoadStep {
    type Err = LoadStepError;

    fn from_str(text: &str) -> Result<LoadStep, LoadStepError> {
        let syntax = || LoadStepError::Syntax(text.to_owned());
        let t = text.trim();
        let sign = match t.chars().next() {
            Some('+') => 1.0,
            Some('-') => -1.0,
            _ => return Err(syntax()),
        };
        let rest = t[1..].trim_start();
        let split = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(syntax)?;
        let (number, unit) = rest.split_at(split);
        let size: f64 = number.parse().map_err(|_| syntax())?;
        let (step, in_kg) = match unit.trim().to_ascii_lowercase().as_str() {
            "%" => (LoadStep::Percent(sign * size), None),
            "kg" => (LoadStep::By(sign * size, Unit::Kg), Some(size)),
            "lb" | "lbs" => (LoadStep::By(sign * size, Unit::Lb), Some(size * KG_PER_LB)),
            _ => return Err(syntax()),
        };
        let too_big = match in_kg {
            Some(kg) => kg > MAX_KG_STEP + 1e-9,
            None => size > MAX_PERCENT_STEP,
        };
        if size <= 0.0 || too_big {
            return Err(LoadStepError::Size(text.to_owned()));
        }
        Ok(step)
    }
}

impl fmt::Display for LoadStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            LoadStep::Percent(p) => write!(f, "{p:+}%"),
            LoadStep::By(by, unit) => write!(f, "{by:+}{}", unit.symbol()),
        }
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

    #[test]
    fn load_steps_read_and_apply() {
        let step = |t: &str| t.parse::<LoadStep>().unwrap();
        assert_eq!(step("+2.5kg"), LoadStep::By(2.5, Unit::Kg));
        assert_eq!(step("-10%"), LoadStep::Percent(-10.0));
        assert_eq!(step("+5 lb"), LoadStep::By(5.0, Unit::Lb));
        for (text, shown) in [("+2.5kg", "+2.5kg"), ("-10%", "-10%"), ("+5lb", "+5lb")] {
            assert_eq!(step(text).to_string(), shown);
        }
        for bad in ["2.5kg", "+kg", "+0%", "-60%", "+101kg", "+5 stone", "", "+"] {
            assert!(bad.parse::<LoadStep>().is_err(), "{bad:?} was accepted");
        }
        let at = |l: &str, s: &str| step(s).apply(l.parse().unwrap()).map(|l| l.to_string());
        assert_eq!(at("80kg", "-10%").as_deref(), Some("72kg"));
        assert_eq!(at("80kg", "+2.5kg").as_deref(), Some("82.5kg"));
        assert_eq!(at("100lb", "+2.5kg").as_deref(), Some("105.51lb"));
        assert_eq!(at("70%MVC", "-10%").as_deref(), Some("63%MVC"));
        assert_eq!(at("2kg", "-5kg").as_deref(), Some("0kg"));
        assert_eq!(at("bodyweight", "+5%"), None);
        assert_eq!(at("6RM", "+5%"), None);
        assert_eq!(at("70%1RM", "+2.5kg"), None);
        assert!(step("+1%").increases() && !step("-1kg").increases());
    }
}
