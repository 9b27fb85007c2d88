//! Weekly summaries of the log, and the pain-monitoring model as a traffic light.
//!
//! The model (Silbernagel KG, et al. Am J Sports Med 2007;35:897-906): pain during
//! exercise may reach 5 on a 0-10 scale; pain after exercise must have settled by the
//! next morning; morning pain and stiffness must not increase from week to week.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::record::{PainRecord, Record, SetRecord};
use super::store::Entry;

/// The model's source, shown with every verdict.
pub const SOURCE: &str =
    "pain-monitoring model: Silbernagel KG, et al. Am J Sports Med 2007;35:897-906";

/// One ISO week of training.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Week {
    /// `2026-W45`.
    pub week: String,
    pub sessions: usize,
    pub sets: usize,
    pub reps: u64,
    /// Reps x load, in kg (lb converted), for sets with a load in kg or lb.
    pub volume_kg: f64,
    pub tut_s: f64,
    pub top_load_kg: Option<f64>,
    /// Mean pain during exercise, over sets that recorded one.
    pub pain: Option<f64>,
    /// Mean next-morning pain.
    pub morning_pain: Option<f64>,
}

/// The traffic light.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Light {
    /// Go on, or progress the load.
    Green,
    /// Hold the load.
    Amber,
    /// Reduce the load.
    Red,
}

/// The latest verdict of the model, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    pub light: Light,
    pub reason: String,
    pub source: &'static str,
}

/// `YYYY-MM-DD` of an RFC 3339 time, in its own offset (the person's local day).
fn local_date(time: &str) -> Option<jiff::civil::Date> {
    time.get(..10)?.parse().ok()
}

fn iso_week(time: &str) -> Option<String> {
    let w = local_date(time)?.iso_week_date();
    Some(format!("{}-W{:02}", w.year(), w.week()))
}

fn load_kg(r: &SetRecord) -> Option<f64> {
    let load = r.load.as_ref()?;
    let value = load.value?;
    match load.unit.as_str() {
        "kg" => Some(value),
        "lb" => Some(value * 0.453_592_37),
        _ => None,
    }
}

fn mean(values: &[f64]) -> Option<f64> {
    #[allow(clippy::cast_precision_loss, reason = "a count of log lines")]
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// The sets and morning pain of `entries` that pass `keep`.
fn split<'a>(
    entries: &'a [Entry],
    keep: &dyn Fn(&SetRecord) -> bool,
) -> (Vec<&'a SetRecord>, Vec<&'a PainRecord>) {
    let mut sets = Vec::new();
    let mut pains = Vec::new();
    for e in entries {
        match e {
            Entry::Record(Record::Set(r)) if keep(r) => sets.push(r),
            Entry::Record(Record::Pain(p)) => pains.push(p),
            _ => {}
        }
    }
    (sets, pains)
}

/// Per week while summing: the sums, the sessions seen, pain during exercise, mornings.
type Acc<'a> = (Week, BTreeSet<&'a str>, Vec<f64>, Vec<f64>);

/// Week by week, oldest first.
#[must_use]
pub fn weekly(entries: &[Entry], keep: &dyn Fn(&SetRecord) -> bool) -> Vec<Week> {
    let (sets, pains) = split(entries, keep);
    let mut weeks: BTreeMap<String, Acc> = BTreeMap::new();
    // Many records share a day: its ISO week is worked out once.
    let mut week_of_day: std::collections::HashMap<&str, Option<String>> =
        std::collections::HashMap::new();
    for r in sets {
        let day = r.start.get(..10).unwrap_or_default();
        let key = week_of_day.entry(day).or_insert_with(|| iso_week(&r.start));
        let Some(key) = key.clone() else {
            continue;
        };
        let (w, sessions, pain, _) = weeks.entry(key.clone()).or_default();
        w.week = key;
        sessions.insert(r.session.as_deref().unwrap_or(&r.start));
        w.sets += 1;
        let reps = u64::from(r.done_reps.unwrap_or(0));
        w.reps += reps;
        if let Some(kg) = load_kg(r) {
            #[allow(clippy::cast_precision_loss, reason = "reps in a week")]
            let volume = reps as f64 * kg;
            w.volume_kg += volume;
            w.top_load_kg = Some(w.top_load_kg.map_or(kg, |t| t.max(kg)));
        }
        w.tut_s += r.tut_s;
        if let Some(p) = r.pain {
            pain.push(f64::from(p));
        }
    }
    for p in pains {
        let Some(key) = iso_week(&p.at) else { continue };
        let (w, _, _, morning) = weeks.entry(key.clone()).or_default();
        w.week = key;
        morning.push(f64::from(p.pain));
    }
    weeks
        .into_values()
        .map(|(mut w, sessions, pain, morning)| {
            w.sessions = sessions.len();
            w.pain = mean(&pain);
            w.morning_pain = mean(&morning);
            w
        })
        .collect()
}

/// The model's verdict on the latest data, or `None` without any pain score.
#[must_use]
pub fn verdict(
    entries: &[Entry],
    keep: &dyn Fn(&SetRecord) -> bool,
    weeks: &[Week],
) -> Option<Verdict> {
    let (sets, pains) = split(entries, keep);
    let latest_session = sets.last().map(|r| r.session.clone());
    let session_pain = sets
        .iter()
        .filter(|r| r.session == latest_session.clone().flatten())
        .filter_map(|r| r.pain)
        .max();
    let mornings: Vec<&PainRecord> = pains.clone();
    let last_morning = mornings.last().map(|p| p.pain);
    let morning_weeks: Vec<f64> = weeks.iter().filter_map(|w| w.morning_pain).collect();
    let rising = morning_weeks.len() >= 2
        && morning_weeks[morning_weeks.len() - 1] > morning_weeks[morning_weeks.len() - 2];
    let make = |light, reason: String| {
        Some(Verdict {
            light,
            reason,
            source: SOURCE,
        })
    };
    if let Some(p) = session_pain.filter(|&p| p > 5) {
        return make(
            Light::Red,
            format!(
                "pain during the last session reached {p}/10; the model allows up to 5: reduce the load"
            ),
        );
    }
    if let Some(p) = last_morning.filter(|&p| p > 5) {
        return make(
            Light::Red,
            format!("morning pain {p}/10 has not settled: reduce the load"),
        );
    }
    if let (Some(m), Some(s)) = (last_morning, session_pain)
        && m > s
    {
        return make(
            Light::Amber,
            format!(
                "morning pain {m}/10 is above the {s}/10 during the last session: hold the load"
            ),
        );
    }
    if rising {
        return make(
            Light::Amber,
            "morning pain went up from last week: hold the load".to_owned(),
        );
    }
    match (session_pain, last_morning) {
        (None, None) => None,
        _ => make(
            Light::Green,
            "pain during exercise at most 5/10 and morning pain not rising: go on, or progress"
                .to_owned(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::store::parse_lines;

    fn set(start: &str, session: &str, pain: Option<u8>) -> String {
        let pain = pain.map_or("null".to_owned(), |p| p.to_string());
        format!(
            r#"{{"kind":"set","v":1,"start":"{start}","end":"{start}","preset":"hsr","exercise":"Squat","side":"both","set":1,"sets":4,"planned_reps":6,"done_reps":6,"hold_s":null,"tempo":"3-0-3-0","tut_s":36.0,"load":{{"value":100.0,"unit":"kg"}},"pain":{pain},"rpe":null,"note":null,"status":"done","session":"{session}"}}"#
        )
    }

    fn morning(at: &str, pain: u8) -> String {
        format!(r#"{{"kind":"pain","v":1,"at":"{at}","pain":{pain},"note":null}}"#)
    }

    fn entries(lines: &[String]) -> Vec<Entry> {
        parse_lines(
            std::path::Path::new("t"),
            (lines.join("\n") + "\n").as_bytes(),
            "2027-01-01T00:00:00Z".parse().unwrap(),
        )
        .0
    }

    #[test]
    fn weeks_follow_the_local_day_of_each_record() {
        // Sunday 23:30 at +02:00 is still Sunday where the person is: ISO week 44.
        let e = entries(&[
            set("2026-11-01T23:30:00.000+02:00", "a", Some(2)),
            set("2026-11-02T08:00:00.000+02:00", "b", Some(4)),
            set("2026-11-02T08:10:00.000+02:00", "b", None),
        ]);
        let weeks = weekly(&e, &|_| true);
        assert_eq!(weeks.len(), 2);
        assert_eq!(
            (weeks[0].week.as_str(), weeks[0].sessions, weeks[0].sets),
            ("2026-W44", 1, 1)
        );
        assert_eq!(
            (weeks[1].week.as_str(), weeks[1].sessions, weeks[1].sets),
            ("2026-W45", 1, 2)
        );
        assert_eq!(weeks[1].reps, 12);
        assert!((weeks[1].volume_kg - 1200.0).abs() < 1e-9);
        assert_eq!(weeks[1].pain, Some(4.0));
        assert_eq!(weeks[1].top_load_kg, Some(100.0));
    }

    #[test]
    fn the_traffic_light_in_each_colour() {
        let green = entries(&[
            set("2026-11-02T08:00:00+01:00", "a", Some(3)),
            morning("2026-11-03T07:00:00+01:00", 1),
        ]);
        assert_eq!(
            verdict(&green, &|_| true, &weekly(&green, &|_| true))
                .unwrap()
                .light,
            Light::Green
        );
        let red = entries(&[set("2026-11-02T08:00:00+01:00", "a", Some(6))]);
        assert_eq!(
            verdict(&red, &|_| true, &weekly(&red, &|_| true))
                .unwrap()
                .light,
            Light::Red
        );
        let amber = entries(&[
            set("2026-11-02T08:00:00+01:00", "a", Some(2)),
            morning("2026-11-03T07:00:00+01:00", 4),
        ]);
        let v = verdict(&amber, &|_| true, &weekly(&amber, &|_| true)).unwrap();
        assert_eq!(v.light, Light::Amber);
        assert!(v.source.contains("Silbernagel"));
        let rising = entries(&[
            morning("2026-11-03T07:00:00+01:00", 1),
            morning("2026-11-10T07:00:00+01:00", 2),
        ]);
        assert_eq!(
            verdict(&rising, &|_| true, &weekly(&rising, &|_| true))
                .unwrap()
                .light,
            Light::Amber
        );
        assert_eq!(
            verdict(
                &entries(&[set("2026-11-02T08:00:00+01:00", "a", None)]),
                &|_| true,
                &[]
            ),
            None
        );
    }
}
