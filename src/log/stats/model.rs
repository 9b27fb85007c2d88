//! The pain-monitoring model's answers, in one place: which signal gives which light,
//! what each light asks for, and what "morning pain rising week on week" means. The
//! `stats` pain light ([`super::verdict`]) and the coach (its `morning_pain_rising`
//! condition, and its run-time limit, which reads that light) both ask here, so the two
//! cannot disagree on the same pain.
//!
//! The model: Silbernagel KG, Thomeé R, Eriksson BI, Karlsson J. 2007, Am J Sports Med
//! 35(6):897-906, doi:10.1177/0363546506298279. Pain during exercise may reach 5/10;
//! pain after it should have settled by the next morning; morning pain and stiffness
//! must not rise from week to week. Its wording is reached only through secondary
//! sources [S], and what to do when a limit is broken is not in any primary text
//! reached [X]: see EVIDENCE.md rules 1-4.

use super::Light;

/// A signal the model watches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    /// A set scored above 5/10.
    PainDuring,
    /// A morning scored above 5/10: pain after exercise has not settled.
    MorningNotSettled,
    /// The mean morning score of the last 7 days above that of the 7 days before.
    MorningRising,
    /// A morning above its baseline (the morning before the session, else the
    /// session's own pain), within 5/10.
    MorningAboveBaseline,
}

/// The light the model gives a signal.
///
/// Rising morning pain is red (reduce), not amber (hold): EVIDENCE.md rule 4 reads the
/// week-on-week rule as "regress and do not advance", and the one source reached with
/// an action for pain rising after training, Beyer 2015's programme as a clinical
/// reference reproduces it [T], says to go back to a lighter load. A morning above its
/// baseline but within 5/10 is amber: rule 3 allows "hold or reduce", and pain after
/// exercise may reach 5/10, so the milder of the two.
#[must_use]
pub const fn light(signal: Signal) -> Light {
    match signal {
        Signal::PainDuring | Signal::MorningNotSettled | Signal::MorningRising => Light::Red,
        Signal::MorningAboveBaseline => Light::Amber,
    }
}

/// What a light asks for, as the verdict's sentence ends.
#[must_use]
pub const fn action(light: Light) -> &'static str {
    match light {
        Light::Red => "reduce the load",
        Light::Amber => "hold the load",
        Light::Green => "go on, or progress",
    }
}

const fn severity(light: Light) -> u8 {
    match light {
        Light::Green => 0,
        Light::Amber => 1,
        Light::Red => 2,
    }
}

/// The verdict on the signals found, listed in the order they are to be named: the
/// most severe light, and of equals the first found. `None` when none was found.
pub fn decide<T>(found: impl IntoIterator<Item = (Signal, T)>) -> Option<(Light, T)> {
    found
        .into_iter()
        .map(|(signal, what)| (light(signal), what))
        .fold(None, |best, (l, what)| match best {
            Some((b, _)) if severity(b) >= severity(l) => best,
            _ => Some((l, what)),
        })
}

/// The days of each of the two windows morning pain is compared over.
pub const TREND_DAYS: i64 = 7;

/// The mean morning score of the [`TREND_DAYS`] days ending `today` and of the
/// [`TREND_DAYS`] before them, when both have a score; the scores are given by the
/// person's local day.
#[must_use]
pub fn morning_trend(
    mornings: &[(jiff::civil::Date, u8)],
    today: jiff::civil::Date,
) -> Option<(f64, f64)> {
    let back = |d: i64| today.checked_sub(jiff::Span::new().days(d)).ok();
    let (from, before_from, earlier) = (
        back(TREND_DAYS - 1)?,
        back(TREND_DAYS)?,
        back(2 * TREND_DAYS - 1)?,
    );
    let mean = |a: jiff::civil::Date, b: jiff::civil::Date| {
        let (sum, n) = mornings
            .iter()
            .filter(|&&(d, _)| d >= a && d <= b)
            .fold((0.0, 0u32), |(s, n), &(_, p)| (s + f64::from(p), n + 1));
        (n > 0).then(|| sum / f64::from(n))
    };
    Some((mean(from, today)?, mean(earlier, before_from)?))
}

/// Whether a trend (this week's mean, last week's) is a rise. The model gives no
/// threshold, so any rise counts: a product choice.
#[must_use]
pub fn rising((now, before): (f64, f64)) -> bool {
    now > before
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_severe_signal_decides_and_the_first_of_equals() {
        assert_eq!(
            decide([
                (Signal::MorningAboveBaseline, "baseline"),
                (Signal::MorningRising, "rising"),
                (Signal::PainDuring, "set"),
            ]),
            Some((Light::Red, "rising"))
        );
        assert_eq!(
            decide([(Signal::MorningAboveBaseline, 1)]),
            Some((Light::Amber, 1))
        );
        assert_eq!(decide::<()>([]), None);
    }

    #[test]
    fn rising_morning_pain_reduces_the_load() {
        assert_eq!(light(Signal::MorningRising), Light::Red);
        assert_eq!(action(light(Signal::MorningRising)), "reduce the load");
    }

    #[test]
    fn the_trend_compares_two_weeks_ending_today() {
        let d = |s: &str| s.parse::<jiff::civil::Date>().unwrap();
        let scores = [
            (d("2026-10-27"), 1),
            (d("2026-11-03"), 2),
            (d("2026-11-04"), 4),
        ];
        assert_eq!(morning_trend(&scores, d("2026-11-04")), Some((3.0, 1.0)));
        // The week before 2026-11-10 starts on 10-28: 10-27 falls out.
        assert_eq!(morning_trend(&scores, d("2026-11-10")), Some((4.0, 2.0)));
        assert_eq!(morning_trend(&scores, d("2026-11-16")), None);
        assert!(rising((3.0, 1.0)) && !rising((1.0, 1.0)));
    }
}
