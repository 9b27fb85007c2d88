//! Weekly summaries of the log, and the pain-monitoring model as a traffic light.
//!
//! The model (Silbernagel KG, et al. Am J Sports Med 2007;35:897-906): pain during
//! exercise may reach 5 on a 0-10 scale; pain after exercise must have settled by the
//! next morning; morning pain and stiffness must not increase from week to week.
//!
//! Both read sets through [`super::history::training_sets`]: previews never count.

pub mod model;
pub mod text;

use std::collections::hash_map::Entry as Entry_;
use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::history::training_sets;
use super::record::{AdviceRecord, PainRecord, Record, SetRecord};
use super::store::{Entry, Line, LogError, Store, Warning};
use super::view::SetView;

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

fn load_kg(value: Option<f64>, unit: &str) -> Option<f64> {
    let value = value?;
    match unit {
        "kg" => Some(value),
        "lb" => Some(value * 0.453_592_37),
        _ => None,
    }
}

#[cfg(test)]
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
#[cfg(test)]
type Acc<'a> = (
    Week,
    std::collections::BTreeSet<&'a str>,
    Vec<f64>,
    Vec<f64>,
);

/// Week by week, oldest first, from records in memory: the simple path, which
/// [`summarise`] must match to the byte (the tests compare them).
#[cfg(test)]
#[must_use]
pub fn weekly(entries: &[Entry], keep: &dyn Fn(&SetRecord) -> bool) -> Vec<Week> {
    use std::collections::BTreeMap;
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
        if let Some(kg) = r.load.as_ref().and_then(|l| load_kg(l.value, &l.unit)) {
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

/// The weeks of `weeks` (oldest first, as [`summarise`] gives them) among the last `n` ISO
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
#[derive(Clone, Debug)]
#[allow(clippy::struct_field_names, reason = "a pain score's score")]
struct Score<'a> {
    at: jiff::Timestamp,
    kind: ScoreKind,
    /// The person's local day.
    date: jiff::civil::Date,
    exercise: Option<&'a str>,
    set: Option<u32>,
    score: u8,
    /// The session of a set's score.
    session: Option<&'a str>,
}

impl Score<'_> {
    fn deciding(&self) -> Deciding {
        Deciding {
            kind: self.kind,
            date: self.date.to_string(),
            exercise: self.exercise.map(str::to_owned),
            set: self.set,
            score: self.score,
        }
    }
}

/// The scored sets of one session, for a morning's baseline.
#[derive(Clone, Copy, Debug, PartialEq)]
struct SessionScores {
    /// Its earliest scored set.
    start: jiff::Timestamp,
    /// The day of its first scored set in the log.
    date: jiff::civil::Date,
    /// Its highest score.
    top: u8,
}

impl SessionScores {
    fn new(at: jiff::Timestamp, date: jiff::civil::Date, score: u8) -> SessionScores {
        SessionScores {
            start: at,
            date,
            top: score,
        }
    }

    /// Adds a later score of the same session.
    fn add(&mut self, later: SessionScores) {
        self.start = self.start.min(later.start);
        self.top = self.top.max(later.top);
    }
}

/// A set's score: it has one, and its start is a time with a day.
fn set_score<'a>(
    start: &str,
    exercise: &'a str,
    set: u32,
    pain: Option<u8>,
    session: &'a str,
) -> Option<Score<'a>> {
    Some(Score {
        at: start.parse().ok()?,
        kind: ScoreKind::Set,
        date: local_date(start)?,
        exercise: Some(exercise),
        set: Some(set),
        score: pain?,
        session: Some(session),
    })
}

fn morning_score(at: &str, pain: u8) -> Option<Score<'static>> {
    Some(Score {
        at: at.parse().ok()?,
        kind: ScoreKind::Morning,
        date: local_date(at)?,
        exercise: None,
        set: None,
        score: pain,
        session: None,
    })
}

/// The highest score of `scores`, the latest of equals.
fn worst<'s, 'a: 's>(scores: impl Iterator<Item = &'s Score<'a>>) -> Option<&'s Score<'a>> {
    scores.fold(None, |best: Option<&Score>, s| match best {
        Some(b) if b.score > s.score => Some(b),
        _ => Some(s),
    })
}

/// What a verdict reads: scored sets in log order (at least those of the last
/// [`RECENT_DAYS`] days), every session's scores, and every morning score in log order.
struct Evidence<'a> {
    sets: Vec<Score<'a>>,
    sessions: HashMap<&'a str, SessionScores>,
    mornings: Vec<Score<'a>>,
}

/// The days back from today within which a verdict may read a set itself: the window,
/// the 48 hours before a morning in it, and the day a time zone can shift a date, with
/// room to spare. Older sets are read only through their session's [`SessionScores`].
const RECENT_DAYS: i32 = 2 * WINDOW_DAYS;

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
    let (sets, pains) = split(entries, keep);
    let sets: Vec<Score> = sets
        .iter()
        .filter_map(|r| {
            let session = r.session.as_deref().unwrap_or(&r.start);
            set_score(&r.start, &r.exercise, r.set, r.pain, session)
        })
        .collect();
    let mut sessions: HashMap<&str, SessionScores> = HashMap::new();
    for s in &sets {
        let scores = SessionScores::new(s.at, s.date, s.score);
        sessions
            .entry(s.session.unwrap_or_default())
            .and_modify(|e| e.add(scores))
            .or_insert(scores);
    }
    let mornings = pains
        .iter()
        .filter_map(|p| morning_score(&p.at, p.pain))
        .collect();
    judge(
        &Evidence {
            sets,
            sessions,
            mornings,
        },
        today,
    )
}

/// [`verdict`] on what was gathered.
fn judge(evidence: &Evidence, today: jiff::civil::Date) -> Option<Verdict> {
    use model::Signal;
    let days_before = |d: i32| today.checked_sub(jiff::Span::new().days(d)).ok();
    let from = days_before(WINDOW_DAYS - 1)?;
    let in_days =
        |s: &Score, a: jiff::civil::Date, b: jiff::civil::Date| s.date >= a && s.date <= b;
    let set_scores: Vec<&Score> = evidence
        .sets
        .iter()
        .filter(|s| in_days(s, from, today))
        .collect();
    let mornings: Vec<&Score> = evidence
        .mornings
        .iter()
        .filter(|s| in_days(s, from, today))
        .collect();
    let mut found: Vec<(Signal, (&Score, String))> = Vec::new();
    if let Some(s) = worst(set_scores.iter().copied()).filter(|s| s.score > 5) {
        let clause = format!(
            "pain {}/10 {} is above the 5/10 the model allows",
            s.score,
            s.deciding().describe()
        );
        found.push((Signal::PainDuring, (s, clause)));
    }
    if let Some(m) = worst(mornings.iter().copied()).filter(|s| s.score > 5) {
        let clause = format!(
            "morning pain {}/10 {} is above 5/10: pain after exercise has not settled",
            m.score,
            m.deciding().describe()
        );
        found.push((Signal::MorningNotSettled, (m, clause)));
    }
    let dated: Vec<(jiff::civil::Date, u8)> = evidence
        .mornings
        .iter()
        .map(|s| (s.date, s.score))
        .collect();
    let trend = model::morning_trend(&dated, today);
    if let (Some((a, b)), Some(m)) = (
        trend.filter(|&t| model::rising(t)),
        worst(mornings.iter().copied()),
    ) {
        let clause = format!(
            "morning pain averaged {a:.1}/10 in the last {WINDOW_DAYS} days, up from {b:.1}/10 the {WINDOW_DAYS} days before (highest {}/10 {}); it should not rise week on week (any rise counts: a product choice)",
            m.score,
            m.deciding().describe()
        );
        found.push((Signal::MorningRising, (m, clause)));
    }
    if let Some((m, what)) = mornings.iter().rev().find_map(|m| {
        baseline(m, evidence)
            .filter(|(b, _)| m.score > *b)
            .map(|(_, what)| (*m, what))
    }) {
        let clause = format!(
            "morning pain {}/10 {} is above {what}: pain after exercise should settle by the next morning",
            m.score,
            m.deciding().describe()
        );
        found.push((Signal::MorningAboveBaseline, (m, clause)));
    }
    let make = |light, score: &Score, clause: &str| Verdict {
        light,
        reason: format!("{clause}: {}", model::action(light)),
        source: SOURCE,
        caveat: CAVEAT,
        deciding: score.deciding(),
    };
    if let Some((light, (score, clause))) = model::decide(found) {
        return Some(make(light, score, &clause));
    }
    let top = worst(set_scores.iter().chain(mornings.iter()).copied())?;
    let clause = format!(
        "the highest pain, {}/10 {}, is within the 5/10 the model allows, and morning pain is not rising",
        top.score,
        top.deciding().describe()
    );
    Some(make(Light::Green, top, &clause))
}

/// What morning `m` is compared with, and how to say it: the morning score in the two
/// days before the scored session of the two days before `m`, else that session's
/// highest score.
fn baseline(m: &Score, evidence: &Evidence) -> Option<(u8, String)> {
    let window = jiff::SignedDuration::from_hours(48);
    let session = evidence
        .sets
        .iter()
        .filter(|s| s.at < m.at && m.at.duration_since(s.at) <= window)
        .max_by_key(|s| s.at)?
        .session?;
    let scored = evidence.sessions.get(session)?;
    let (start, date) = (scored.start, scored.date);
    if let Some(before) = evidence
        .mornings
        .iter()
        .filter(|p| p.at < start && start.duration_since(p.at) <= window)
        .max_by_key(|p| p.at)
    {
        let b = before.score;
        return Some((
            b,
            format!("the {b}/10 of the morning before the session of {date}"),
        ));
    }
    let top = scored.top;
    Some((top, format!("the {top}/10 during the session of {date}")))
}

/// One week of one piece of the log, while [`summarise`] reads.
#[derive(Debug, Default)]
struct WeekPart {
    sets: usize,
    reps: u64,
    /// Sums over this piece, in log order from 0, as one pass down the log adds them.
    volume_kg: f64,
    tut_s: f64,
    /// Each set's volume (when it has a load in kg or lb) and time under tension, in
    /// log order: a week that began in an earlier piece adds them to its sums one by
    /// one, so the sums are those of one pass down the log, to the last bit.
    terms: Vec<(Option<f64>, f64)>,
    top_load_kg: Option<f64>,
    /// Pain scores are whole numbers: their sums are exact in any order.
    pain_sum: u64,
    pains: usize,
    morning_sum: u64,
    mornings: usize,
    sessions: HashSet<Box<str>>,
}

impl WeekPart {
    /// Adds `later`, the same week in a later piece of the log.
    fn merge(&mut self, later: WeekPart) {
        self.sets += later.sets;
        self.reps += later.reps;
        for (volume, tut) in later.terms {
            if let Some(v) = volume {
                self.volume_kg += v;
            }
            self.tut_s += tut;
        }
        if let Some(kg) = later.top_load_kg {
            self.top_load_kg = Some(self.top_load_kg.map_or(kg, |t| t.max(kg)));
        }
        self.pain_sum += later.pain_sum;
        self.pains += later.pains;
        self.morning_sum += later.morning_sum;
        self.mornings += later.mornings;
        self.sessions.extend(later.sessions);
    }
}

/// An ISO week as an integer key: year and week.
type WeekKey = (i16, i8);

fn week_key(time: &str) -> Option<WeekKey> {
    let w = local_date(time)?.iso_week_date();
    Some((w.year(), w.week()))
}

/// A scored set of the last [`RECENT_DAYS`] days, kept for the verdict.
#[derive(Debug)]
struct RecentSet {
    at: jiff::Timestamp,
    date: jiff::civil::Date,
    exercise: Box<str>,
    set: u32,
    score: u8,
    session: Box<str>,
}

/// What one piece of the log adds to the summary.
#[derive(Debug, Default)]
pub struct Part {
    weeks: HashMap<WeekKey, WeekPart>,
    /// The day text of the last set and its week: sets of a day come together.
    last_day: Option<(Box<str>, Option<WeekKey>)>,
    sessions: HashMap<Box<str>, SessionScores>,
    recent: Vec<RecentSet>,
    mornings: Vec<(jiff::Timestamp, jiff::civil::Date, u8)>,
    /// The coach's decisions, in log order: listed, never summed.
    advice: Vec<AdviceRecord>,
}

impl Part {
    fn week_of_set(&mut self, start: &str) -> Option<WeekKey> {
        let day = start.get(..10).unwrap_or_default();
        match &self.last_day {
            Some((d, key)) if **d == *day => *key,
            _ => {
                let key = week_key(start);
                self.last_day = Some((day.into(), key));
                key
            }
        }
    }

    /// Adds a training set that passed the filter; `recent` is the first day whose
    /// sets the verdict reads.
    fn add_set(&mut self, r: &SetView, recent: jiff::civil::Date) {
        let session = r.session_key();
        if let Some(key) = self.week_of_set(&r.start) {
            let w = self.weeks.entry(key).or_default();
            if !w.sessions.contains(session) {
                w.sessions.insert(session.into());
            }
            w.sets += 1;
            let reps = u64::from(r.done_reps.unwrap_or(0));
            w.reps += reps;
            let kg = r.load.as_ref().and_then(|l| load_kg(l.value, &l.unit));
            #[allow(clippy::cast_precision_loss, reason = "reps in a week")]
            let volume = kg.map(|kg| reps as f64 * kg);
            if let (Some(kg), Some(v)) = (kg, volume) {
                w.volume_kg += v;
                w.top_load_kg = Some(w.top_load_kg.map_or(kg, |t| t.max(kg)));
            }
            w.tut_s += r.tut_s;
            w.terms.push((volume, r.tut_s));
            if let Some(p) = r.pain {
                w.pain_sum += u64::from(p);
                w.pains += 1;
            }
        }
        let Some(score) = set_score(&r.start, &r.exercise, r.set, r.pain, session) else {
            return;
        };
        let scores = SessionScores::new(score.at, score.date, score.score);
        if let Some(s) = self.sessions.get_mut(session) {
            s.add(scores);
        } else {
            self.sessions.insert(session.into(), scores);
        }
        if score.date >= recent {
            self.recent.push(RecentSet {
                at: score.at,
                date: score.date,
                exercise: r.exercise.as_ref().into(),
                set: r.set,
                score: score.score,
                session: session.into(),
            });
        }
    }

    fn add_morning(&mut self, at: &str, pain: u8) {
        if let Some(key) = week_key(at) {
            let w = self.weeks.entry(key).or_default();
            w.morning_sum += u64::from(pain);
            w.mornings += 1;
        }
        if let Some(m) = morning_score(at, pain) {
            self.mornings.push((m.at, m.date, m.score));
        }
    }
}

/// What [`summarise`] gives: the weeks, oldest first, the verdict, and the warnings.
pub type Summary = (Vec<Week>, Option<Verdict>, Vec<AdviceRecord>, Vec<Warning>);

/// The weekly sums and the verdict, as the simple path (`weekly`, kept in the tests) and
/// [`verdict`] give them from records in memory, read
/// straight from the log: each piece of the file is summed on the thread that parses
/// it, with nothing kept of a line but what the sums need, and the pieces' sums are
/// joined in log order. Returns the warnings of [`Store::read`] too.
///
/// # Errors
/// As [`Store::read`].
pub fn summarise(
    store: &Store,
    keep: &(dyn Fn(&SetView) -> bool + Sync),
    today: jiff::civil::Date,
    now: jiff::Timestamp,
) -> Result<Summary, LogError> {
    summarise_in(store, None, keep, today, now)
}

/// [`summarise`], reading pieces of `chunk` bytes when given (tests cut small pieces).
fn summarise_in(
    store: &Store,
    chunk: Option<usize>,
    keep: &(dyn Fn(&SetView) -> bool + Sync),
    today: jiff::civil::Date,
    now: jiff::Timestamp,
) -> Result<Summary, LogError> {
    let recent = today
        .checked_sub(jiff::Span::new().days(RECENT_DAYS))
        .unwrap_or(jiff::civil::Date::MIN);
    let visit = |part: &mut Part, line: Line| match line {
        Line::Set(r) if r.is_training() && keep(&r) => part.add_set(&r, recent),
        Line::Pain(p) => part.add_morning(&p.at, p.pain),
        Line::Other(Record::Advice(a)) => part.advice.push(a.clone()),
        // Previews, sets filtered out, other kinds of record, newer lines.
        _ => {}
    };
    let (parts, warnings) = match chunk {
        Some(chunk) => store.scan_in(chunk, now, &Part::default, &visit)?,
        None => store.scan(now, &Part::default, &visit)?,
    };
    let mut weeks: HashMap<WeekKey, WeekPart> = HashMap::new();
    let mut sessions: HashMap<&str, SessionScores> = HashMap::new();
    let mut sets = Vec::new();
    let mut mornings = Vec::new();
    let mut advice = Vec::new();
    // Borrowed below: the pieces are taken apart in two steps.
    let mut kept = Vec::with_capacity(parts.len());
    for part in parts {
        for (key, w) in part.weeks {
            match weeks.entry(key) {
                Entry_::Occupied(mut e) => e.get_mut().merge(w),
                Entry_::Vacant(e) => {
                    e.insert(w);
                }
            }
        }
        mornings.extend(part.mornings.into_iter().map(|(at, date, score)| Score {
            at,
            kind: ScoreKind::Morning,
            date,
            exercise: None,
            set: None,
            score,
            session: None,
        }));
        advice.extend(part.advice);
        kept.push((part.sessions, part.recent));
    }
    for (part_sessions, recent) in &kept {
        for (key, s) in part_sessions {
            sessions.entry(key).and_modify(|e| e.add(*s)).or_insert(*s);
        }
        sets.extend(recent.iter().map(|r| Score {
            at: r.at,
            kind: ScoreKind::Set,
            date: r.date,
            exercise: Some(&r.exercise),
            set: Some(r.set),
            score: r.score,
            session: Some(&r.session),
        }));
    }
    let verdict = judge(
        &Evidence {
            sets,
            sessions,
            mornings,
        },
        today,
    );
    let mut weeks: Vec<Week> = weeks
        .into_iter()
        .map(|((year, week), w)| {
            #[allow(clippy::cast_precision_loss, reason = "a count of log lines")]
            let mean = |sum: u64, n: usize| (n > 0).then(|| sum as f64 / n as f64);
            Week {
                week: format!("{year}-W{week:02}"),
                sessions: w.sessions.len(),
                sets: w.sets,
                reps: w.reps,
                volume_kg: w.volume_kg,
                tut_s: w.tut_s,
                top_load_kg: w.top_load_kg,
                pain: mean(w.pain_sum, w.pains),
                morning_pain: mean(w.morning_sum, w.mornings),
            }
        })
        .collect();
    // In the order of the names, as `weekly` keeps them.
    weeks.sort_unstable_by(|a, b| a.week.cmp(&b.week));
    Ok((weeks, verdict, advice, warnings))
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

    /// A log line of every sort the reader meets, from a kind and two numbers.
    fn odd_line(kind: u8, a: u32, b: u32) -> String {
        let day = day("2026-06-01") + jiff::Span::new().days(i64::from(a % 190));
        let start = format!("{day}T{:02}:{:02}:00.000+01:00", b % 24, a % 60);
        let session = format!("{day}T17:00:00.000+01:00");
        let exercise = ["Bilateral squat", "Leg press", "Calf raise"][(a % 3) as usize];
        let side = ["both", "left", "right"][((a / 3) % 3) as usize];
        let preset = ["hsr", "iso", "alfredson"][(b % 3) as usize];
        let pain = if b.is_multiple_of(4) {
            serde_json::Value::Null
        } else {
            (b % 11).into()
        };
        let mut v = serde_json::json!({
            "kind": "set", "v": 1, "start": start, "end": start, "preset": preset,
            "exercise": exercise, "side": side, "set": 1 + b % 4, "sets": 4,
            "planned_reps": 6, "done_reps": a % 9, "hold_s": null, "tempo": "3-0-3-0",
            // Times and loads that are not exact in binary: sums depend on their order.
            "tut_s": 30.0 + f64::from(b % 7) * 0.123_457,
            "load": {"value": f64::from(a % 200) / 2.0 + f64::from(b % 3) * 0.1, "unit": "kg"},
            "pain": pain, "rpe": null, "note": null, "status": if b.is_multiple_of(5) { "stopped" } else { "done" },
            "session": session,
        });
        match kind {
            5 => v["speed"] = 10.0.into(),
            6 => {
                return serde_json::json!({"kind": "pain", "v": 1, "at": start, "pain": b % 11,
                    "note": if a.is_multiple_of(2) { "stiff, \"a bit\"".into() } else { serde_json::Value::Null }})
                .to_string();
            }
            7 => return "not json {".to_owned(),
            8 => v["start"] = "2027-03-01T08:00:00.000+01:00".into(),
            9 => {
                v["load"] = serde_json::json!({"value": 135.5, "unit": "lb"});
                v["note"] = "=SUM(A1), \"heavy\"\n\tüber".into();
                v["exercise"] = "Split squat \u{e9}".into();
            }
            10 => v["v"] = 2.into(),
            11 => {
                return format!(r#"{{"kind":"advice","v":1,"at":"{start}","rule":"r"}}"#);
            }
            12 => v["load"] = serde_json::json!({"value": 6, "unit": "RM"}),
            13 => return "   ".to_owned(),
            14 => {
                v.as_object_mut().unwrap().remove("session");
            }
            15 => v["pain"] = 200.into(),
            16 => v["week"] = (a % 12).into(),
            _ => {}
        }
        v.to_string()
    }

    /// `stats` and `log --csv` as the simple path gives them: every record read into
    /// memory, then summed or written.
    fn by_records(
        store: &Store,
        filter: &crate::log::export::Filter,
        today: jiff::civil::Date,
        now: jiff::Timestamp,
    ) -> (String, String, Vec<u8>, Vec<String>) {
        let (entries, warnings) = store.read_at(now).unwrap();
        let keep = |r: &SetRecord| filter.keeps(r);
        let weeks = weekly(&entries, &keep);
        let verdict = verdict(&entries, &keep, today);
        let (records, newer) = crate::log::export::select(&entries, filter);
        let csv = crate::log::export::csv(&records).unwrap().into_bytes();
        let mut warnings: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        warnings.push(format!("newer {newer}"));
        (
            text::weeks(&weeks, verdict.as_ref(), false),
            serde_json::json!({ "weeks": weeks, "verdict": verdict }).to_string(),
            csv,
            warnings,
        )
    }

    /// The same through [`summarise`] and [`crate::log::export::csv_from`].
    fn direct(
        store: &Store,
        chunk: usize,
        filter: &crate::log::export::Filter,
        today: jiff::civil::Date,
        now: jiff::Timestamp,
    ) -> (String, String, Vec<u8>, Vec<String>) {
        let keep = |r: &SetView| filter.keeps_view(r);
        let (weeks, verdict, _, warnings) =
            summarise_in(store, Some(chunk), &keep, today, now).unwrap();
        let (csv, newer, _, csv_warnings) =
            crate::log::export::csv_from_in(store, Some(chunk), filter, now).unwrap();
        assert_eq!(warnings, csv_warnings);
        let mut warnings: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        warnings.push(format!("newer {newer}"));
        (
            text::weeks(&weeks, verdict.as_ref(), false),
            serde_json::json!({ "weeks": weeks, "verdict": verdict }).to_string(),
            csv,
            warnings,
        )
    }

    fn odd_log(lines: &[(u8, u32, u32)], torn: bool) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sets.jsonl");
        let mut text: String = lines
            .iter()
            .map(|&(k, a, b)| odd_line(k, a, b) + "\n")
            .collect();
        if torn {
            text.push_str(r#"{"kind":"set","v":1,"start":"2026-"#);
        }
        std::fs::write(&path, text).unwrap();
        (dir, Store::at(path))
    }

    fn filters() -> [crate::log::export::Filter; 3] {
        use crate::log::export::Filter;
        [
            Filter::default(),
            Filter {
                exercise: Some("SQUAT".to_owned()),
                ..Filter::default()
            },
            Filter {
                since: Some(day("2026-09-01")),
                preset: Some("hsr".to_owned()),
                ..Filter::default()
            },
        ]
    }

    #[test]
    fn reading_straight_from_the_file_gives_what_reading_every_record_gives() {
        // Every kind of line, many times, in pieces from smaller than a line to larger
        // than the file: the same text, JSON, CSV and warnings to the byte.
        let lines: Vec<(u8, u32, u32)> = (0..3000u32)
            .map(|i| {
                (
                    (i * 7 % 19) as u8,
                    i.wrapping_mul(2_654_435_761) % 1000,
                    i % 97,
                )
            })
            .collect();
        let now = "2026-12-01T12:00:00Z".parse().unwrap();
        let today = day("2026-12-01");
        for torn in [false, true] {
            let (_dir, store) = odd_log(&lines, torn);
            for filter in filters() {
                let expected = by_records(&store, &filter, today, now);
                assert!(expected.0.contains("2026-W2"), "{}", expected.0);
                assert!(expected.3.len() > 100, "the odd lines are warned about");
                for chunk in [40, 1000, 64 * 1024, 1 << 24] {
                    assert!(
                        direct(&store, chunk, &filter, today, now) == expected,
                        "pieces of {chunk} bytes, {filter:?}, torn {torn}"
                    );
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        #[test]
        fn any_log_reads_the_same_both_ways(
            lines in proptest::collection::vec((0u8..19, 0u32..1000, 0u32..1000), 0..120),
            torn in proptest::bool::ANY,
            chunk in 1usize..3000,
            which in 0usize..3,
            today in 150i64..200,
        ) {
            let today = day("2026-06-01") + jiff::Span::new().days(today);
            let now: jiff::Timestamp = format!("{today}T12:00:00Z").parse().unwrap();
            let (_dir, store) = odd_log(&lines, torn);
            let filter = &filters()[which];
            proptest::prop_assert_eq!(
                direct(&store, chunk, filter, today, now),
                by_records(&store, filter, today, now)
            );
        }
    }
}
