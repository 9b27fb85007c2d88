//! Weekly summaries of the log, and the pain-monitoring model as a traffic light.
//!
//! The model (Silbernagel KG, et al. Am J Sports Med 2007;35:897-906): pain during
//! exercise may reach 5 on a 0-10 scale; pain after exercise must have settled by the
//! next morning; morning pain and stiffness must not increase from week to week.
//!
//! Both read sets through [`super::history::training_sets`]: previews never count.

pub mod model;
pub mod text;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::history::training_sets;
use super::record::{PainRecord, Record, SetRecord};
use super::store::Entry;

/// The model's source, shown with every verdict.
pub const SOURCE: &str =
    "pain-monitoring model: Silbernagel KG, et al. Am J Sports Med 2007;35:897-906";

/// One ISO week of training.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[allow(
    clippy::struct_field_names,
    reason = "the JSON field names are a contract"
)]
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

/// `YYYY-MM-DD` of an RFC 3339 time, in its own offset (the person's local day).
fn local_date(time: &str) -> Option<jiff::civil::Date> {
    time.get(..10)?.parse().ok()
}

/// `2026-W45`: the ISO week of an RFC 3339 time's local day.
#[must_use]
pub fn iso_week(time: &str) -> Option<String> {
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

/// The training sets of `entries` that pass `keep`, and the morning pain scores.
fn split<'a>(
    entries: &'a [Entry],
    keep: &dyn Fn(&SetRecord) -> bool,
) -> (Vec<&'a SetRecord>, Vec<&'a PainRecord>) {
    let sets = training_sets(entries).filter(|r| keep(r)).collect();
    let pains = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Record(Record::Pain(p)) => Some(p),
            _ => None,
        })
        .collect();
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

/// The weeks of `weeks` (oldest first, as [`weekly`] gives them) among the last `n` ISO
/// weeks counted back from `today`'s week, whatever the newest record: a log idle for a
/// month shows nothing for `--weeks 2`.
#[must_use]
pub fn within_weeks(mut weeks: Vec<Week>, n: u32, today: jiff::civil::Date) -> Vec<Week> {
    let monday = |year: i16, week: i8| {
        jiff::civil::ISOWeekDate::new(year, week, jiff::civil::Weekday::Monday)
            .ok()
            .map(jiff::civil::ISOWeekDate::date)
    };
    let now = today.iso_week_date();
    let first = monday(now.year(), now.week()).and_then(|m| {
        m.checked_sub(jiff::Span::new().weeks(i64::from(n.saturating_sub(1))))
            .ok()
    });
    weeks.retain(|w| {
        let start = w
            .week
            .split_once("-W")
            .and_then(|(y, k)| monday(y.parse().ok()?, k.parse().ok()?));
        matches!((start, first), (Some(s), Some(f)) if s >= f && s <= today)
    });
    weeks
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

/// The days a verdict reads, ending today.
pub const WINDOW_DAYS: i32 = 7;

/// What every verdict must carry about its evidence (EVIDENCE.md, rules 1-4).
pub const CAVEAT: &str = "one RCT (n=38) in Achilles tendinopathy, with no difference \
between the loading and the rest group; the 5/10 limit and the next-morning and \
week-on-week rules are quoted from secondary sources; reducing the load when morning \
pain rises follows Beyer 2015's programme as a clinical reference reproduces it, not the \
model's own text; use for other tendons is extrapolation";

/// Where a pain score came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ScoreKind {
    /// Pain during a set.
    Set,
    /// Next-morning pain (`reptempo pain`).
    Morning,
}

/// The record a verdict rests on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Deciding {
    pub kind: ScoreKind,
    /// `YYYY-MM-DD`, the person's local day.
    pub date: String,
    pub exercise: Option<String>,
    pub set: Option<u32>,
    pub score: u8,
}

impl Deciding {
    /// "during Squat set 3 on 2026-11-20", "on the morning of 2026-11-21".
    fn describe(&self) -> String {
        match (self.kind, &self.exercise, self.set) {
            (ScoreKind::Set, Some(e), Some(s)) => format!("during {e} set {s} on {}", self.date),
            _ => format!("on the morning of {}", self.date),
        }
    }
}

/// The model's verdict on the window, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    pub light: Light,
    /// One sentence naming the deciding record and the action.
    pub reason: String,
    pub source: &'static str,
    pub caveat: &'static str,
    pub deciding: Deciding,
}

/// One score, with when it was taken for ordering.
struct Score<'a> {
    at: jiff::Timestamp,
    deciding: Deciding,
    /// The session of a set's score.
    session: Option<&'a str>,
}

fn set_score(r: &SetRecord) -> Option<Score<'_>> {
    Some(Score {
        at: r.start.parse().ok()?,
        deciding: Deciding {
            kind: ScoreKind::Set,
            date: local_date(&r.start)?.to_string(),
            exercise: Some(r.exercise.clone()),
            set: Some(r.set),
            score: r.pain?,
        },
        session: Some(r.session.as_deref().unwrap_or(&r.start)),
    })
}

fn morning_score(p: &PainRecord) -> Option<Score<'_>> {
    Some(Score {
        at: p.at.parse().ok()?,
        deciding: Deciding {
            kind: ScoreKind::Morning,
            date: local_date(&p.at)?.to_string(),
            exercise: None,
            set: None,
            score: p.pain,
        },
        session: None,
    })
}

/// The highest score of `scores`, the latest of equals.
fn worst<'s, 'a: 's>(scores: impl Iterator<Item = &'s Score<'a>>) -> Option<&'s Score<'a>> {
    scores.fold(None, |best: Option<&Score>, s| match best {
        Some(b) if b.deciding.score > s.deciding.score => Some(b),
        _ => Some(s),
    })
}

/// The pain-monitoring model's verdict on every pain score of the [`WINDOW_DAYS`] days
/// ending `today`, from sets that pass `keep` and from morning scores. Sessions without
/// scores are ignored; `None` when the window holds no score.
///
/// The signals, looked for in this order; the light each gives is [`model::light`]'s,
/// and the most severe decides (of equals, the first):
/// 1. A set scored above 5/10 (the highest, the latest of equals): red.
/// 2. A morning scored above 5/10: pain after exercise has not settled: red.
/// 3. The window's mean morning score above the mean of the seven days before
///    ([`model::morning_trend`]; any rise counts: the model gives no threshold, so this
///    is a product choice): red.
/// 4. A morning scored above its baseline: the latest morning score in the two days
///    before the scored session of the two days before it, else the highest score
///    during that session: amber.
/// 5. None of them: green, naming the highest score.
#[must_use]
pub fn verdict(
    entries: &[Entry],
    keep: &dyn Fn(&SetRecord) -> bool,
    today: jiff::civil::Date,
) -> Option<Verdict> {
    use model::Signal;
    let (sets, pains) = split(entries, keep);
    let days_before = |d: i32| today.checked_sub(jiff::Span::new().days(d)).ok();
    let from = days_before(WINDOW_DAYS - 1)?;
    let in_days = |s: &Score, a: jiff::civil::Date, b: jiff::civil::Date| {
        s.deciding
            .date
            .parse::<jiff::civil::Date>()
            .is_ok_and(|d| d >= a && d <= b)
    };
    let all_sets: Vec<Score> = sets.iter().filter_map(|r| set_score(r)).collect();
    let all_mornings: Vec<Score> = pains.iter().filter_map(|p| morning_score(p)).collect();
    let set_scores: Vec<&Score> = all_sets
        .iter()
        .filter(|s| in_days(s, from, today))
        .collect();
    let mornings: Vec<&Score> = all_mornings
        .iter()
        .filter(|s| in_days(s, from, today))
        .collect();
    let mut found: Vec<(Signal, (&Deciding, String))> = Vec::new();
    if let Some(s) = worst(set_scores.iter().copied()).filter(|s| s.deciding.score > 5) {
        let d = &s.deciding;
        let clause = format!(
            "pain {}/10 {} is above the 5/10 the model allows",
            d.score,
            d.describe()
        );
        found.push((Signal::PainDuring, (d, clause)));
    }
    if let Some(m) = worst(mornings.iter().copied()).filter(|s| s.deciding.score > 5) {
        let d = &m.deciding;
        let clause = format!(
            "morning pain {}/10 {} is above 5/10: pain after exercise has not settled",
            d.score,
            d.describe()
        );
        found.push((Signal::MorningNotSettled, (d, clause)));
    }
    let dated: Vec<(jiff::civil::Date, u8)> = all_mornings
        .iter()
        .filter_map(|s| Some((s.deciding.date.parse().ok()?, s.deciding.score)))
        .collect();
    let trend = model::morning_trend(&dated, today);
    if let (Some((a, b)), Some(m)) = (
        trend.filter(|&t| model::rising(t)),
        worst(mornings.iter().copied()),
    ) {
        let clause = format!(
            "morning pain averaged {a:.1}/10 in the last {WINDOW_DAYS} days, up from {b:.1}/10 the {WINDOW_DAYS} days before (highest {}/10 {}); it should not rise week on week (any rise counts: a product choice)",
            m.deciding.score,
            m.deciding.describe()
        );
        found.push((Signal::MorningRising, (&m.deciding, clause)));
    }
    if let Some((m, (_, what))) = mornings.iter().rev().find_map(|m| {
        baseline(m, &all_sets, &all_mornings)
            .filter(|(b, _)| m.deciding.score > *b)
            .map(|b| (m, b))
    }) {
        let d = &m.deciding;
        let clause = format!(
            "morning pain {}/10 {} is above {what}: pain after exercise should settle by the next morning",
            d.score,
            d.describe()
        );
        found.push((Signal::MorningAboveBaseline, (d, clause)));
    }
    let make = |light, deciding: &Deciding, clause: &str| Verdict {
        light,
        reason: format!("{clause}: {}", model::action(light)),
        source: SOURCE,
        caveat: CAVEAT,
        deciding: deciding.clone(),
    };
    if let Some((light, (d, clause))) = model::decide(found) {
        return Some(make(light, d, &clause));
    }
    let top = worst(set_scores.iter().chain(mornings.iter()).copied())?;
    let clause = format!(
        "the highest pain, {}/10 {}, is within the 5/10 the model allows, and morning pain is not rising",
        top.deciding.score,
        top.deciding.describe()
    );
    Some(make(Light::Green, &top.deciding, &clause))
}

/// What morning `m` is compared with, and how to say it: the morning score in the two
/// days before the scored session of the two days before `m`, else that session's
/// highest score.
fn baseline(m: &Score, sets: &[Score], mornings: &[Score]) -> Option<(u8, String)> {
    let window = jiff::SignedDuration::from_hours(48);
    let session = sets
        .iter()
        .filter(|s| s.at < m.at && m.at.duration_since(s.at) <= window)
        .max_by_key(|s| s.at)?
        .session;
    let scored: Vec<&Score> = sets.iter().filter(|s| s.session == session).collect();
    let start = scored.iter().map(|s| s.at).min()?;
    let date = &scored.first()?.deciding.date;
    if let Some(before) = mornings
        .iter()
        .filter(|p| p.at < start && start.duration_since(p.at) <= window)
        .max_by_key(|p| p.at)
    {
        let b = before.deciding.score;
        return Some((
            b,
            format!("the {b}/10 of the morning before the session of {date}"),
        ));
    }
    let top = scored.iter().map(|s| s.deciding.score).max()?;
    Some((top, format!("the {top}/10 during the session of {date}")))
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

    fn day(s: &str) -> jiff::civil::Date {
        s.parse().unwrap()
    }

    fn light(lines: &[String], today: &str) -> Option<Verdict> {
        verdict(&entries(lines), &|_| true, day(today))
    }

    #[test]
    fn a_painful_set_decides_even_when_a_later_session_has_no_score() {
        let v = light(
            &[
                set("2026-11-20T18:00:00+01:00", "a", Some(6)),
                set("2026-11-20T18:05:00+01:00", "a", Some(3)),
                set("2026-11-23T18:00:00+01:00", "b", None),
            ],
            "2026-11-24",
        )
        .unwrap();
        assert_eq!(v.light, Light::Red);
        assert_eq!(
            v.reason,
            "pain 6/10 during Squat set 1 on 2026-11-20 is above the 5/10 the model allows: reduce the load"
        );
        assert_eq!(
            v.deciding,
            Deciding {
                kind: ScoreKind::Set,
                date: "2026-11-20".to_owned(),
                exercise: Some("Squat".to_owned()),
                set: Some(1),
                score: 6
            }
        );
        assert!(v.source.contains("Silbernagel") && v.caveat.contains("Achilles"));
        let json = serde_json::to_value(&v).unwrap();
        assert_eq!(json["deciding"]["kind"], "set");
        assert_eq!(json["light"], "red");
    }

    #[test]
    fn the_window_is_the_last_seven_days_ending_today() {
        let lines = [set("2026-11-20T18:00:00+01:00", "a", Some(6))];
        assert_eq!(light(&lines, "2026-11-26").unwrap().light, Light::Red);
        assert_eq!(light(&lines, "2026-11-27"), None);
        // Previews never count.
        let preview = set("2026-11-20T18:00:00+01:00", "a", Some(8))
            .replace("\"status\"", "\"speed\":10.0,\"status\"");
        assert_eq!(light(&[preview], "2026-11-21"), None);
    }

    #[test]
    fn the_traffic_light_in_each_colour() {
        let green = light(
            &[
                set("2026-11-02T08:00:00+01:00", "a", Some(3)),
                morning("2026-11-03T07:00:00+01:00", 1),
            ],
            "2026-11-04",
        )
        .unwrap();
        assert_eq!(green.light, Light::Green);
        assert!(
            green
                .reason
                .starts_with("the highest pain, 3/10 during Squat set 1 on 2026-11-02,")
        );
        let red = light(&[morning("2026-11-03T07:00:00+01:00", 7)], "2026-11-04").unwrap();
        assert_eq!(red.light, Light::Red);
        assert_eq!(red.deciding.kind, ScoreKind::Morning);
        // Above the session's own pain, with no morning before it.
        let amber = light(
            &[
                set("2026-11-02T08:00:00+01:00", "a", Some(2)),
                morning("2026-11-03T07:00:00+01:00", 4),
            ],
            "2026-11-04",
        )
        .unwrap();
        assert_eq!(amber.light, Light::Amber);
        assert!(amber.reason.starts_with("morning pain 4/10 on the morning of 2026-11-03 is above the 2/10 during the session of 2026-11-02"), "{}", amber.reason);
        // Above the morning before the session, though below the session's pain.
        let amber = light(
            &[
                morning("2026-11-02T07:00:00+01:00", 1),
                set("2026-11-02T08:00:00+01:00", "a", Some(4)),
                morning("2026-11-03T07:00:00+01:00", 3),
            ],
            "2026-11-04",
        )
        .unwrap();
        assert!(
            amber
                .reason
                .contains("above the 1/10 of the morning before the session of 2026-11-02"),
            "{}",
            amber.reason
        );
        let rising = light(
            &[
                morning("2026-10-27T07:00:00+01:00", 1),
                morning("2026-11-03T07:00:00+01:00", 2),
            ],
            "2026-11-04",
        )
        .unwrap();
        // Rising week on week reduces, as the coach's rule does (model::light).
        assert_eq!(rising.light, Light::Red);
        assert!(
            rising.reason.contains("up from 1.0/10")
                && rising.reason.ends_with(": reduce the load"),
            "{}",
            rising.reason
        );
        assert_eq!(
            light(&[set("2026-11-02T08:00:00+01:00", "a", None)], "2026-11-04"),
            None
        );
    }

    #[test]
    fn weeks_count_back_from_today_not_from_the_newest_record() {
        let e = entries(&[
            set("2026-10-05T08:00:00+01:00", "a", None),
            set("2026-11-16T08:00:00+01:00", "b", None),
            set("2026-11-23T08:00:00+01:00", "c", None),
        ]);
        let weeks = weekly(&e, &|_| true);
        let names = |w: Vec<Week>| w.into_iter().map(|w| w.week).collect::<Vec<_>>();
        // Today is in 2026-W49: two weeks back are W48 and W49.
        assert_eq!(
            names(within_weeks(weeks.clone(), 2, day("2026-12-01"))),
            ["2026-W48"]
        );
        assert_eq!(
            names(within_weeks(weeks.clone(), 3, day("2026-12-01"))),
            ["2026-W47", "2026-W48"]
        );
        assert!(within_weeks(weeks, 2, day("2027-01-01")).is_empty());
    }
}
