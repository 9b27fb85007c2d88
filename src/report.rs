//! `report`: what the log says about a stretch of training, for the physio: the
//! programme and its dates, adherence week by week (sessions and sets planned against
//! done), pain during and the next morning with each week's verdict, load and time under
//! tension per exercise, notes, and the records.
//!
//! [`build`] gathers it as plain data; [`html`] and [`markdown`] only lay it out, and
//! [`chart`] draws its series as SVG. The report reads sets only through
//! [`crate::log::history::training_sets`] (validated records, previews left out), and a
//! week's verdict is [`crate::log::stats::verdict`] asked about the seven days of that
//! week: there is no second pain model here.
//!
//! [`handout`] is the patient's side: one printable page of a preset.

pub mod chart;
pub mod handout;
pub mod html;
pub mod markdown;

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;

use crate::log::export::Filter;
use crate::log::history::{planned_set_units, training_sets};
use crate::log::stats::{self, Light, Verdict};
use crate::log::{Entry, Record, SetRecord};
use crate::plan::{Overrides, Plan};
use crate::preset::Preset;

/// What the report covers and for whom.
#[derive(Clone, Debug)]
pub struct Options {
    /// The patient's name, shown in the heading.
    pub name: Option<String>,
    pub filter: Filter,
    /// The day the report is made: the last week's verdict reads no further.
    pub today: Date,
}

/// A preset that sets in the report were done with.
#[derive(Clone, Debug, PartialEq)]
pub struct Programme {
    pub id: String,
    /// `None` for a preset no longer in the catalogue: only its id is known.
    pub name: Option<String>,
    pub source: Option<String>,
    /// "3 sessions a week for 12 weeks".
    pub program: Option<String>,
    pub sessions_per_week: Option<u32>,
    pub first: Date,
    pub last: Date,
    pub sessions: usize,
}

/// One calendar (ISO) week.
#[derive(Clone, Debug, PartialEq)]
pub struct WeekLine {
    /// `2026-W45`.
    pub week: String,
    pub monday: Date,
    pub sessions: usize,
    /// The programmes' `sessions_per_week`, summed over those running that week; `None`
    /// when none of them says.
    pub sessions_planned: Option<u32>,
    /// Sets done (status `done`), one per set and side, as the programme counts them.
    pub sets_done: usize,
    pub sets_stopped: usize,
    /// Each planned session's set units, times `sessions_per_week`.
    pub sets_planned: Option<u32>,
    pub pain_max: Option<u8>,
    pub morning_max: Option<u8>,
    /// The pain-monitoring model on this week's seven days.
    pub verdict: Option<Verdict>,
}

/// One pain score on the chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PainPoint {
    pub date: Date,
    pub score: u8,
}

/// One session of one exercise (and side).
#[derive(Clone, Debug, PartialEq)]
pub struct ExercisePoint {
    pub date: Date,
    /// The heaviest real load, in kg (lb converted); none for bodyweight or a target.
    pub load_kg: Option<f64>,
    /// Time under tension of the session's sets of this exercise.
    pub tut_s: f64,
    pub sets: usize,
}

/// An exercise over time.
#[derive(Clone, Debug, PartialEq)]
pub struct ExerciseSeries {
    /// "Bilateral squat", or "Heel drop (left)" for one side.
    pub label: String,
    pub points: Vec<ExercisePoint>,
}

/// A note from a set or a morning score.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// `2026-11-02 18:00`.
    pub at: String,
    /// "Bilateral squat set 2" or "morning pain 3/10".
    pub about: String,
    pub text: String,
}

/// One line of the records table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub at: String,
    pub preset: String,
    pub exercise: String,
    pub side: String,
    pub set: String,
    pub work: String,
    pub load: String,
    pub pain: String,
    pub rpe: String,
    pub status: String,
}

/// Everything the report shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub name: Option<String>,
    pub made: Date,
    /// The first and last day covered: the filter's, else the records'.
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub programmes: Vec<Programme>,
    pub weeks: Vec<WeekLine>,
    /// The highest score during each session.
    pub pain_during: Vec<PainPoint>,
    pub pain_morning: Vec<PainPoint>,
    pub exercises: Vec<ExerciseSeries>,
    pub notes: Vec<Note>,
    /// The coach's decisions as recorded (advice records), in log order: what was
    /// advised, never what was done.
    pub decisions: Vec<Decision>,
    pub rows: Vec<Row>,
    /// Sets of previews (runs at a speed other than 1) in the range: left out.
    pub previews: usize,
}

/// One recorded decision of the coach.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub at: String,
    pub exercise: String,
    pub side: String,
    /// `progress`, `hold`, `regress` or `stage`, with its change.
    pub what: String,
    pub reason: String,
    pub rule: String,
    pub source: String,
}

/// The model's source and caveat, shown under the verdicts.
pub const VERDICT_SOURCE: &str = stats::SOURCE;
pub const VERDICT_CAVEAT: &str = stats::CAVEAT;

/// The highest score during exercise the model allows.
pub const PAIN_LIMIT: u8 = 5;

fn local_date(time: &str) -> Option<Date> {
    time.get(..10)?.parse().ok()
}

fn minute(time: &str) -> String {
    time.get(..16).unwrap_or(time).replace('T', " ")
}

fn monday_of(d: Date) -> Date {
    let w = d.iso_week_date();
    w.date()
        .checked_sub(jiff::Span::new().days(i64::from(w.weekday().to_monday_zero_offset())))
        .unwrap_or(d)
}

fn week_name(monday: Date) -> String {
    let w = monday.iso_week_date();
    format!("{}-W{:02}", w.year(), w.week())
}

/// The session a set belongs to: its start time, as the log and the programme rule
/// group them.
fn session_of(r: &SetRecord) -> &str {
    r.session.as_deref().unwrap_or(&r.start)
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

/// The set units of one session of `preset` in programme week `week`.
fn planned_units(preset: &Preset, week: u32) -> u32 {
    let overrides = Overrides {
        week: preset.program.is_some().then_some(week),
        ..Overrides::default()
    };
    Plan::build(preset, &overrides).map_or(0, |p| planned_set_units(&p))
}

/// The report on `entries` (as [`crate::log::Store::read`] gives them). `find` looks a
/// preset up by id; a preset it does not know is shown by id, with nothing planned.
#[must_use]
pub fn build(
    entries: &[Entry],
    find: &dyn Fn(&str) -> Option<Preset>,
    options: &Options,
) -> Report {
    let filter = &options.filter;
    let sets: Vec<&SetRecord> = training_sets(entries).filter(|r| filter.keeps(r)).collect();
    let previews = entries
        .iter()
        .filter(
            |e| matches!(e, Entry::Record(Record::Set(r)) if !r.is_training() && filter.keeps(r)),
        )
        .count();
    let mornings: Vec<&crate::log::PainRecord> = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Record(r @ Record::Pain(p)) if filter.keeps_record(r) => Some(p),
            _ => None,
        })
        .collect();

    let days: Vec<Date> = sets
        .iter()
        .filter_map(|r| local_date(&r.start))
        .chain(mornings.iter().filter_map(|p| local_date(&p.at)))
        .collect();
    let from = filter.since.or_else(|| days.iter().min().copied());
    // Weeks to come have nothing to report; the range ends today at the latest.
    let to = filter
        .until
        .map(|u| u.min(options.today))
        .or_else(|| days.iter().max().copied());

    let programmes = programmes(&sets, find);
    let weeks = match (from, to) {
        (Some(a), Some(b)) if a <= b => weeks(entries, &sets, &programmes, find, options, (a, b)),
        _ => Vec::new(),
    };

    let mut during: BTreeMap<&str, PainPoint> = BTreeMap::new();
    for r in &sets {
        if let (Some(score), Some(date)) = (r.pain, local_date(&r.start)) {
            let p = during
                .entry(session_of(r))
                .or_insert(PainPoint { date, score });
            p.score = p.score.max(score);
        }
    }
    let mut pain_during: Vec<PainPoint> = during.into_values().collect();
    pain_during.sort_by_key(|p| p.date);
    let pain_morning = mornings
        .iter()
        .filter_map(|p| {
            Some(PainPoint {
                date: local_date(&p.at)?,
                score: p.pain,
            })
        })
        .collect();

    let (notes, rows) = notes_and_rows(entries, filter);
    let decisions = crate::log::history::advice_given(entries)
        .filter(|a| filter.keeps_advice(a))
        .map(|a| Decision {
            at: minute(&a.at),
            exercise: a.exercise.clone(),
            side: a.side.clone(),
            what: match &a.change {
                Some(change) => format!("{} {change}", a.decision),
                None => a.decision.clone(),
            },
            reason: a.reason.clone(),
            rule: a.rule.clone(),
            source: a.source.clone(),
        })
        .collect();

    Report {
        name: options.name.clone(),
        made: options.today,
        from,
        to,
        programmes,
        weeks,
        pain_during,
        pain_morning,
        exercises: exercises(&sets),
        notes,
        decisions,
        rows,
        previews,
    }
}

/// The notes, and a row for every training set and morning score, in the log's order.
fn notes_and_rows(entries: &[Entry], filter: &Filter) -> (Vec<Note>, Vec<Row>) {
    let mut notes: Vec<Note> = Vec::new();
    let mut rows: Vec<Row> = Vec::new();
    for e in entries {
        let Entry::Record(record) = e else { continue };
        match record {
            Record::Set(r) if r.is_training() && filter.keeps(r) => {
                if let Some(text) = r.note.as_deref().filter(|t| !t.trim().is_empty()) {
                    notes.push(Note {
                        at: minute(&r.start),
                        about: format!("{} set {}", r.exercise, r.set),
                        text: text.to_owned(),
                    });
                }
                rows.push(set_row(r));
            }
            Record::Pain(p) if filter.keeps_record(record) => {
                if let Some(text) = p.note.as_deref().filter(|t| !t.trim().is_empty()) {
                    notes.push(Note {
                        at: minute(&p.at),
                        about: format!("morning pain {}/10", p.pain),
                        text: text.to_owned(),
                    });
                }
                rows.push(Row {
                    at: minute(&p.at),
                    preset: String::new(),
                    exercise: "morning pain".to_owned(),
                    side: String::new(),
                    set: String::new(),
                    work: String::new(),
                    load: String::new(),
                    pain: p.pain.to_string(),
                    rpe: String::new(),
                    status: String::new(),
                });
            }
            // The coach's decisions have their own section.
            Record::Set(_) | Record::Pain(_) | Record::Advice(_) => {}
        }
    }
    (notes, rows)
}

fn set_row(r: &SetRecord) -> Row {
    let work = match (r.done_reps, r.planned_reps, r.hold_s, r.duration_s) {
        (Some(d), Some(p), _, _) => format!("{d}/{p} reps"),
        (Some(d), None, _, _) => format!("{d} reps"),
        (_, _, Some(h), _) => format!("{h:.0} s hold"),
        (_, _, _, Some(s)) => format!("{s:.0} s"),
        _ => String::new(),
    };
    let load = match (&r.load, &r.target) {
        (Some(l), _) => l.to_string(),
        (None, Some(t)) => format!("target {t}"),
        (None, None) => String::new(),
    };
    Row {
        at: minute(&r.start),
        preset: r.preset.clone(),
        exercise: r.exercise.clone(),
        side: r.side.clone(),
        set: format!("{}/{}", r.set, r.sets),
        work,
        load,
        pain: r.pain.map(|p| p.to_string()).unwrap_or_default(),
        rpe: r.rpe.map(|p| p.to_string()).unwrap_or_default(),
        status: r.status.clone(),
    }
}

fn programmes(sets: &[&SetRecord], find: &dyn Fn(&str) -> Option<Preset>) -> Vec<Programme> {
    let mut seen: BTreeMap<&str, (Date, Date, BTreeSet<&str>)> = BTreeMap::new();
    for r in sets {
        let Some(d) = local_date(&r.start) else {
            continue;
        };
        let (first, last, sessions) = seen.entry(&r.preset).or_insert((d, d, BTreeSet::new()));
        *first = (*first).min(d);
        *last = (*last).max(d);
        sessions.insert(session_of(r));
    }
    let mut out: Vec<Programme> = seen
        .into_iter()
        .map(|(id, (first, last, sessions))| {
            let preset = find(id);
            Programme {
                id: id.to_owned(),
                name: preset.as_ref().map(|p| p.name.clone()),
                source: preset.as_ref().map(|p| p.source.clone()),
                program: preset.as_ref().and_then(crate::show::program_text),
                sessions_per_week: preset.as_ref().and_then(Preset::sessions_per_week),
                first,
                last,
                sessions: sessions.len(),
            }
        })
        .collect();
    out.sort_by_key(|p| p.first);
    out
}

fn weeks(
    entries: &[Entry],
    sets: &[&SetRecord],
    programmes: &[Programme],
    find: &dyn Fn(&str) -> Option<Preset>,
    options: &Options,
    (from, to): (Date, Date),
) -> Vec<WeekLine> {
    let presets: BTreeMap<&str, Preset> = programmes
        .iter()
        .filter_map(|p| Some((p.id.as_str(), find(&p.id)?)))
        .collect();
    // The programme week each preset is in, carried over weeks with nothing logged:
    // a missed week does not move the programme on.
    let mut programme_week: BTreeMap<&str, u32> = BTreeMap::new();
    let keep = |r: &SetRecord| options.filter.keeps(r);
    // Each record is dated once, and each week reads only its own: a long log costs
    // one pass, not one pass a week.
    let mut by_week: BTreeMap<Date, Vec<&SetRecord>> = BTreeMap::new();
    for r in sets {
        if let Some(d) = local_date(&r.start) {
            by_week.entry(monday_of(d)).or_default().push(r);
        }
    }
    let mut mornings: BTreeMap<Date, u8> = BTreeMap::new();
    let mut dated: Vec<(Date, &Entry)> = Vec::new();
    for e in entries {
        let Entry::Record(record) = e else { continue };
        let at = match record {
            Record::Set(r) => &r.start,
            Record::Pain(p) => &p.at,
            // Advice is never read back into a verdict.
            Record::Advice(_) => continue,
        };
        let Some(d) = local_date(at) else { continue };
        dated.push((d, e));
        if let Record::Pain(p) = record
            && options.filter.keeps_record(record)
        {
            let max = mornings.entry(monday_of(d)).or_default();
            *max = (*max).max(p.pain);
        }
    }
    dated.sort_by_key(|(d, _)| *d);
    let mut out = Vec::new();
    let mut monday = monday_of(from);
    while monday <= to {
        let sunday = monday
            .checked_add(jiff::Span::new().days(6))
            .unwrap_or(monday);
        let week_sets: Vec<&&SetRecord> = by_week.get(&monday).into_iter().flatten().collect();
        let mut sessions_planned = None;
        let mut sets_planned = None;
        for p in programmes {
            let running = monday_of(p.first) <= monday && monday <= p.last;
            let (Some(per_week), Some(preset), true) =
                (p.sessions_per_week, presets.get(p.id.as_str()), running)
            else {
                continue;
            };
            let logged = week_sets
                .iter()
                .filter(|r| r.preset == p.id)
                .filter_map(|r| r.week)
                .max();
            let week = logged
                .or_else(|| programme_week.get(p.id.as_str()).copied())
                .unwrap_or(1);
            programme_week.insert(&p.id, week);
            *sessions_planned.get_or_insert(0) += per_week;
            *sets_planned.get_or_insert(0) += per_week * planned_units(preset, week);
        }
        let sessions: BTreeSet<(&str, &str)> = week_sets
            .iter()
            .map(|r| (r.preset.as_str(), session_of(r)))
            .collect();
        let morning_max = mornings.get(&monday).copied();
        // The model reads the seven days ending on the week's Sunday, or today in the
        // current week: the same verdict `stats` gives on that day. It looks back at
        // most 14 days (its window, the seven days before, a baseline 48 h before a
        // session), so it is given the records of the last VERDICT_READS days only.
        let end = sunday.min(options.today);
        let window = recent(&dated, end);
        let verdict = stats::verdict(&window, &keep, end);
        out.push(WeekLine {
            week: week_name(monday),
            monday,
            sessions: sessions.len(),
            sessions_planned,
            sets_done: week_sets.iter().filter(|r| r.status == "done").count(),
            sets_stopped: week_sets.iter().filter(|r| r.status != "done").count(),
            sets_planned,
            pain_max: week_sets.iter().filter_map(|r| r.pain).max(),
            morning_max,
            verdict,
        });
        match monday.checked_add(jiff::Span::new().weeks(1)) {
            Ok(next) => monday = next,
            Err(_) => break,
        }
    }
    out
}

/// How far back a week's verdict is given records: more than the 14 days the model
/// reads, so that a session's baseline two days before its window is there.
const VERDICT_READS: i64 = 21;

/// The entries of `dated` (sorted by day) from [`VERDICT_READS`] days before `end` up to
/// `end`.
fn recent(dated: &[(Date, &Entry)], end: Date) -> Vec<Entry> {
    let start = end
        .checked_sub(jiff::Span::new().days(VERDICT_READS))
        .unwrap_or(end);
    let a = dated.partition_point(|(d, _)| *d < start);
    let b = dated.partition_point(|(d, _)| *d <= end);
    dated[a..b].iter().map(|(_, e)| (*e).clone()).collect()
}

fn exercises(sets: &[&SetRecord]) -> Vec<ExerciseSeries> {
    // Keyed by first appearance, so the order is the programme's.
    let mut order: Vec<(String, String)> = Vec::new();
    let mut by: BTreeMap<(String, String), BTreeMap<(Date, String), ExercisePoint>> =
        BTreeMap::new();
    for r in sets {
        let Some(date) = local_date(&r.start) else {
            continue;
        };
        let key = (r.exercise.clone(), r.side.clone());
        if !by.contains_key(&key) {
            order.push(key.clone());
        }
        let point = by
            .entry(key)
            .or_default()
            .entry((date, session_of(r).to_owned()))
            .or_insert(ExercisePoint {
                date,
                load_kg: None,
                tut_s: 0.0,
                sets: 0,
            });
        point.sets += 1;
        point.tut_s += r.tut_s;
        if let Some(kg) = load_kg(r) {
            point.load_kg = Some(point.load_kg.map_or(kg, |l| l.max(kg)));
        }
    }
    order
        .into_iter()
        .map(|key| {
            let points = by.remove(&key).unwrap_or_default().into_values().collect();
            let (exercise, side) = key;
            let label = if side == "both" {
                exercise
            } else {
                format!("{exercise} ({side})")
            };
            ExerciseSeries { label, points }
        })
        .collect()
}

/// The word for a light, so that a verdict never rests on colour alone.
#[must_use]
pub fn light_word(light: Light) -> &'static str {
    match light {
        Light::Green => "green",
        Light::Amber => "amber",
        Light::Red => "red",
    }
}

/// "12 of 12", or "12" when nothing was planned.
#[must_use]
pub fn of_planned(done: usize, planned: Option<u32>) -> String {
    match planned {
        Some(p) => format!("{done} of {p}"),
        None => done.to_string(),
    }
}

/// The whole range, for the heading: "2026-09-07 to 2026-11-29".
#[must_use]
pub fn range_text(report: &Report) -> String {
    match (report.from, report.to) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "nothing logged in this range".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::store::parse_lines;

    fn set(day: &str, preset: &str, set: u32, week: Option<u32>) -> String {
        let start = format!("{day}T18:00:00+01:00");
        let mut v = serde_json::json!({
            "kind": "set", "v": 1, "start": start, "end": start, "preset": preset,
            "exercise": "Squat", "side": "both", "set": set, "sets": 4, "planned_reps": 8,
            "done_reps": 8, "hold_s": null, "tempo": "3-0-3-0", "tut_s": 48.0,
            "load": {"value": 80.0, "unit": "kg"}, "pain": 2, "rpe": null, "note": null,
            "status": "done", "session": start,
        });
        if let Some(w) = week {
            v["week"] = w.into();
        }
        v.to_string()
    }

    fn report(lines: &[String], find: &dyn Fn(&str) -> Option<Preset>) -> Report {
        let text = lines.join("\n") + "\n";
        let now = "2026-12-01T00:00:00Z".parse().unwrap();
        let (entries, warnings) = parse_lines(std::path::Path::new("t"), text.as_bytes(), now);
        assert!(warnings.is_empty(), "{warnings:?}");
        let options = Options {
            name: None,
            filter: Filter::default(),
            today: "2026-11-30".parse().unwrap(),
        };
        build(&entries, find, &options)
    }

    #[test]
    fn a_preset_no_longer_known_is_shown_by_id_with_nothing_planned() {
        let r = report(&[set("2026-11-02", "gone", 1, None)], &|_| None);
        assert_eq!(r.programmes.len(), 1);
        assert_eq!(
            (r.programmes[0].id.as_str(), r.programmes[0].name.as_ref()),
            ("gone", None)
        );
        assert_eq!(r.weeks.len(), 1);
        assert_eq!(
            (r.weeks[0].sessions, r.weeks[0].sessions_planned),
            (1, None)
        );
        assert_eq!(
            of_planned(r.weeks[0].sets_done, r.weeks[0].sets_planned),
            "1"
        );
    }

    #[test]
    fn a_missed_week_plans_the_programme_week_reached_before_it() {
        let text = "id = \"t\"\nname = \"T\"\ndescription = \"d\"\nsource = \"S\"\n\
            [program]\nsessions_per_week = 2\nweeks = 3\n\
            [[block]]\nexercise = \"Squat\"\ntempo = \"3-0-3-0\"\nrest = \"1m\"\n\
            [[week]]\nweeks = 1\nsets = 2\nreps = 8\n\
            [[week]]\nweeks = \"2-3\"\nsets = 4\nreps = 8\n";
        let preset = Preset::parse(text, std::path::Path::new("t.toml")).unwrap();
        let find = |id: &str| (id == "t").then(|| preset.clone());
        // Week 1 in W45, nothing in W46, week 2 in W47: W46 still plans week 1's two
        // sessions of 2 sets; W47 plans week 2's two sessions of 4.
        let r = report(
            &[
                set("2026-11-02", "t", 1, Some(1)),
                set("2026-11-16", "t", 1, Some(2)),
            ],
            &find,
        );
        let weeks: Vec<(&str, usize, Option<u32>, Option<u32>)> = r
            .weeks
            .iter()
            .map(|w| {
                (
                    w.week.as_str(),
                    w.sessions,
                    w.sessions_planned,
                    w.sets_planned,
                )
            })
            .collect();
        assert_eq!(
            weeks,
            [
                ("2026-W45", 1, Some(2), Some(4)),
                ("2026-W46", 0, Some(2), Some(4)),
                ("2026-W47", 1, Some(2), Some(8)),
            ]
        );
    }

    #[test]
    fn each_weeks_verdict_is_the_one_stats_gives_on_its_sunday() {
        let text = include_str!("../tests/fixtures/report-log.jsonl");
        let now = "2026-12-01T00:00:00Z".parse().unwrap();
        let (entries, _) = parse_lines(std::path::Path::new("t"), text.as_bytes(), now);
        let options = Options {
            name: None,
            filter: Filter::default(),
            today: "2026-11-30".parse().unwrap(),
        };
        let r = build(&entries, &|_| None, &options);
        assert_eq!(r.weeks.len(), 13);
        let mut lights = std::collections::BTreeSet::new();
        for w in &r.weeks {
            let sunday = w.monday.checked_add(jiff::Span::new().days(6)).unwrap();
            let whole_log = stats::verdict(&entries, &|_| true, sunday.min(options.today));
            assert_eq!(w.verdict, whole_log, "{}", w.week);
            lights.insert(w.verdict.as_ref().map(|v| light_word(v.light)));
        }
        // The fixture has every kind of week.
        assert_eq!(lights.len(), 4, "{lights:?}");
    }
}
