//! What the log says about the past: recent sessions, the programme week a preset is
//! in, and "last time" and the last load of each exercise.
//!
//! All of it reads sets through [`training_sets`]: records that passed the checks on
//! read, minus previews (runs at a speed other than 1). The coach's advice records are
//! never training: only [`advice_given`] reads them, for the history of decisions.

use std::collections::{BTreeSet, HashMap};

use super::record::{AdviceRecord, Record, SetRecord};
use super::store::Entry;
use crate::load::Load;
use crate::plan::{Overrides, Plan, SegmentKind};
use crate::preset::Preset;

/// One past session, as the home screen lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PastSession {
    /// `YYYY-MM-DD` of its start.
    pub date: String,
    pub preset: String,
    pub sets: usize,
    pub max_pain: Option<u8>,
}

/// The sets that may count in advice: stats, the programme week, "last time", the last
/// load and the pain light. Entries come from [`super::Store::read`], which has already
/// dropped records that fail their checks; previews are dropped here.
pub fn training_sets(entries: &[Entry]) -> impl Iterator<Item = &SetRecord> {
    entries.iter().filter_map(|e| match e {
        Entry::Record(Record::Set(r)) if r.is_training() => Some(r),
        _ => None,
    })
}

/// The advice the coach gave, as recorded, in log order: what was advised, never what
/// was done. Nothing that advises reads these (advice is recomputable from the sets,
/// and the next session's actual load is what counts).
pub fn advice_given(entries: &[Entry]) -> impl Iterator<Item = &AdviceRecord> {
    entries.iter().filter_map(|e| match e {
        Entry::Record(Record::Advice(a)) => Some(a),
        _ => None,
    })
}

/// The sets of one session share its start time; lines without one (never written by
/// reptempo, but possible in an imported log) stand alone.
fn session_key(r: &SetRecord) -> &str {
    r.session.as_deref().unwrap_or(&r.start)
}

/// `YYYY-MM-DD` of an RFC 3339 time, in its own offset (the person's local day).
fn local_date(time: &str) -> Option<jiff::civil::Date> {
    time.get(..10)?.parse().ok()
}

/// The latest `n` sessions, newest first.
#[must_use]
pub fn recent_sessions(entries: &[Entry], n: usize) -> Vec<PastSession> {
    let mut sessions: Vec<PastSession> = Vec::new();
    let mut last_key: Option<(&str, &str)> = None;
    for r in training_sets(entries) {
        let key = (session_key(r), r.preset.as_str());
        if last_key == Some(key) {
            if let Some(s) = sessions.last_mut() {
                s.sets += 1;
                s.max_pain = s.max_pain.max(r.pain);
            }
        } else {
            sessions.push(PastSession {
                date: r.start.get(..10).unwrap_or_default().to_owned(),
                preset: r.preset.clone(),
                sets: 1,
                max_pain: r.pain,
            });
            last_key = Some(key);
        }
    }
    sessions.into_iter().rev().take(n).collect()
}

/// The set units a plan asks for: one per set and side (a set-end mark each), as a
/// logged session has one record per set and side.
#[must_use]
pub fn planned_set_units(plan: &Plan) -> u32 {
    let n = plan
        .segments
        .iter()
        .filter(|s| s.kind == SegmentKind::SetEnd)
        .count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// For [`program_week`]: the set units `preset` plans in each week (0 for a week whose
/// plan cannot be built).
pub fn planned_sets_of(preset: &Preset) -> impl Fn(u32) -> u32 + '_ {
    move |week| {
        let overrides = Overrides {
            week: Some(week),
            ..Overrides::default()
        };
        Plan::build(preset, &overrides).map_or(0, |p| planned_set_units(&p))
    }
}

/// A break this long since the latest session brings a suggestion to repeat its week.
pub const BREAK_DAYS: i32 = 14;

/// The week a programme preset runs next, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramWeek {
    /// The week to run: the last week once the programme is finished.
    pub week: u32,
    /// Every week was completed as planned.
    pub finished: bool,
    /// One sentence, always shown: "week 3 done (3 of 3 sessions complete): week 4 next".
    pub reason: String,
    /// Days since the latest session, when it is [`BREAK_DAYS`] or more.
    pub break_days: Option<i32>,
    /// After such a break, the suggestion: "last hsr session 20 days ago: consider
    /// repeating week 4 (--week 4)". The week is not changed: that is the person's call.
    pub notice: Option<String>,
    /// The week that suggestion names.
    pub repeat: Option<u32>,
}

/// The characters a display line has at 80 columns, less its margins.
const DISPLAY_LINE: usize = 78;

impl ProgramWeek {
    /// The same in one line a display across the room has room for (about 75
    /// characters): the week, and the programme's end or the break's suggestion; the
    /// reason in full goes to stderr and the home screen.
    #[must_use]
    pub fn display_line(&self, preset: &str, weeks: u32) -> String {
        let week = format!("{preset} week {} of {weeks}", self.week);
        match (self.finished, self.break_days, self.repeat) {
            (true, ..) => format!("{preset}: all {weeks} weeks done, the programme is finished"),
            (false, Some(days), Some(repeat)) => {
                let full = format!(
                    "{week} · {days} days since the last session: repeat week {repeat}? (--week {repeat})"
                );
                // The days go first when the line is too long: what to type stays.
                if full.chars().count() <= DISPLAY_LINE {
                    full
                } else {
                    format!("{week} · repeat week {repeat}? (--week {repeat})")
                }
            }
            _ => format!("{week} (from the log)"),
        }
    }
}

impl std::fmt::Display for ProgramWeek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)?;
        match &self.notice {
            Some(notice) => write!(f, "; {notice}"),
            None => Ok(()),
        }
    }
}

/// One logged session of a preset, for the week rule.
struct Past<'a> {
    date: Option<jiff::civil::Date>,
    week: Option<u32>,
    /// Set units (exercise, side, set) done, each counted once.
    done: BTreeSet<(&'a str, &'a str, u32)>,
}

/// The programme week `preset` runs next by [`program_week`], or `None` for a preset
/// without a week table: the one function `show`, `start` and the home screen ask.
#[must_use]
pub fn next_week(
    entries: &[Entry],
    preset: &Preset,
    today: jiff::civil::Date,
) -> Option<ProgramWeek> {
    let weeks = preset
        .program_weeks()
        .filter(|_| !preset.week_table.is_empty())?;
    Some(program_week(
        entries,
        &preset.id,
        weeks,
        preset.sessions_per_week(),
        &planned_sets_of(preset),
        today,
    ))
}

/// The week of a `weeks`-week programme that `preset` runs next, from the training sets
/// of the log; the programme follows what was done, not the calendar.
///
/// - A session counts as **complete** when more than half of its planned set units were
///   done: sets with status `done`, each (exercise, side, set) once, against
///   `planned_sets(week)`, the set units the preset's plan has in that week (see
///   [`planned_sets_of`]).
/// - A session belongs to the week its records carry in `week`. A session without one
///   (older lines) belongs to the week the rule had reached when it was logged,
///   counting from week 1.
/// - The next week is the week of the latest session while that week has fewer
///   complete sessions than `per_week` (1 when the preset does not say), else the week
///   after it. Past the last week the programme is finished: `week` is the last week.
/// - Missed calendar weeks change nothing: they neither skip weeks ahead nor hold the
///   programme back. A latest session [`BREAK_DAYS`] or more before `today` adds a
///   notice suggesting to repeat its week.
/// - Nothing logged: week 1.
#[must_use]
pub fn program_week(
    entries: &[Entry],
    preset: &str,
    weeks: u32,
    per_week: Option<u32>,
    planned_sets: &dyn Fn(u32) -> u32,
    today: jiff::civil::Date,
) -> ProgramWeek {
    let weeks = weeks.max(1);
    let needed = per_week.unwrap_or(1).max(1);
    let mut order: Vec<Past> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for r in training_sets(entries).filter(|r| r.preset == preset) {
        let i = *index.entry(session_key(r)).or_insert_with(|| {
            order.push(Past {
                date: local_date(&r.start),
                week: None,
                done: BTreeSet::new(),
            });
            order.len() - 1
        });
        let past = &mut order[i];
        past.week = past.week.or(r.week);
        if r.status == "done" {
            past.done.insert((&r.exercise, &r.side, r.set));
        }
    }
    let Some(latest) = order.last() else {
        return ProgramWeek {
            week: 1,
            finished: false,
            reason: format!("no {preset} session logged yet: week 1"),
            break_days: None,
            notice: None,
            repeat: None,
        };
    };
    let complete = |p: &Past, week: u32| {
        let done = u32::try_from(p.done.len()).unwrap_or(u32::MAX);
        done.saturating_mul(2) > planned_sets(week)
    };
    let mut reached = 1;
    let mut counts: HashMap<u32, u32> = HashMap::new();
    let mut latest_week = 1;
    for p in &order {
        let week = p.week.unwrap_or(reached);
        let count = counts.entry(week).or_default();
        if complete(p, week) {
            *count += 1;
        }
        reached = if *count >= needed { week + 1 } else { week };
        latest_week = week;
    }
    let count = counts.get(&latest_week).copied().unwrap_or(0);
    let sessions = |n: u32| {
        format!(
            "{n} of {needed} session{}",
            if needed == 1 { "" } else { "s" }
        )
    };
    let date = latest.date.map(|d| d.to_string()).unwrap_or_default();
    let finished = reached > weeks;
    let reason = if finished {
        format!(
            "all {weeks} weeks done ({} complete in week {latest_week}): the programme is finished",
            sessions(count)
        )
    } else if reached > latest_week {
        format!(
            "week {latest_week} done ({} complete, latest {date}): week {reached} next",
            sessions(count)
        )
    } else if complete(latest, latest_week) {
        format!(
            "week {latest_week}: {} complete (latest {date})",
            sessions(count)
        )
    } else {
        format!(
            "week {latest_week}: {} complete; the latest, {date}, does not count ({} of {} sets done)",
            sessions(count),
            latest.done.len(),
            planned_sets(latest_week)
        )
    };
    let break_days = latest
        .date
        .and_then(|d| today.since(d).ok())
        .map(|s| s.get_days())
        .filter(|&d| d >= BREAK_DAYS);
    let notice = break_days.map(|d| {
        format!(
            "last {preset} session {d} days ago: consider repeating week {latest_week} (--week {latest_week})"
        )
    });
    ProgramWeek {
        week: reached.min(weeks),
        finished,
        reason,
        break_days,
        notice,
        repeat: break_days.map(|_| latest_week),
    }
}

/// The key of "last time" and the last load: an exercise and a side (`both`, `left`,
/// `right`), as in the log, since a unilateral exercise may differ between sides.
pub type ExerciseSide = (String, String);

/// A real load as "80 kg" or "bodyweight".
fn load_text(load: &Load) -> String {
    match load.value {
        Some(v) => format!("{v} {}", load.unit.symbol()),
        None => load.unit.symbol().to_owned(),
    }
}

/// "last time: 4 x 8 @ 80 kg; set 4 stopped at 5 reps; pain max 3/10; 3 days ago" for
/// each exercise and side, from its latest session. The load is the last real one
/// lifted; without one, the target ("@ target 6RM").
#[must_use]
pub fn last_times(entries: &[Entry], today: jiff::civil::Date) -> HashMap<ExerciseSide, String> {
    let mut latest: HashMap<(&str, &str), Vec<&SetRecord>> = HashMap::new();
    for r in training_sets(entries) {
        let sets = latest.entry((&r.exercise, &r.side)).or_default();
        // Keep only the sets of the latest session (the log is in time order).
        if sets
            .last()
            .is_some_and(|s| session_key(s) != session_key(r))
        {
            sets.clear();
        }
        sets.push(r);
    }
    latest
        .into_iter()
        .filter_map(|((exercise, side), sets)| {
            let first = sets.first()?;
            let n = sets.len();
            let best = |f: fn(&SetRecord) -> Option<f64>| {
                sets.iter()
                    .filter_map(|s| f(s))
                    .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))))
            };
            let work = if let Some(reps) = best(|s| s.done_reps.map(f64::from)) {
                format!("{n} x {reps}")
            } else if let Some(held) = best(|s| s.hold_s) {
                format!("{n} x {held:.0} s")
            } else if let Some(ran) = best(|s| s.duration_s) {
                format!("{n} x {ran:.0} s")
            } else {
                format!("{n} sets")
            };
            let load = sets
                .iter()
                .filter_map(|s| s.load.as_ref()?.to_load())
                .rfind(|l| !l.unit.is_prescription())
                .map(|l| format!(" @ {}", load_text(&l)))
                .or_else(|| {
                    let target = sets.iter().filter_map(|s| s.target.as_ref()).next_back()?;
                    Some(format!(" @ target {target}"))
                })
                .unwrap_or_default();
            let stopped: String = sets
                .iter()
                .filter(|s| s.status == "stopped")
                .map(|s| match (s.done_reps, s.hold_s.or(s.duration_s)) {
                    (Some(reps), _) => format!("; set {} stopped at {reps} reps", s.set),
                    (None, Some(secs)) => format!("; set {} stopped at {secs:.0} s", s.set),
                    (None, None) => format!("; set {} stopped", s.set),
                })
                .collect();
            let pain = sets
                .iter()
                .filter_map(|s| s.pain)
                .max()
                .map(|p| format!("; pain max {p}/10"))
                .unwrap_or_default();
            let ago = local_date(&first.start)
                .and_then(|d| today.since(d).ok())
                .map(|span| match span.get_days() {
                    0 => "; today".to_owned(),
                    1 => "; yesterday".to_owned(),
                    n => format!("; {n} days ago"),
                })
                .unwrap_or_default();
            Some((
                (exercise.to_owned(), side.to_owned()),
                format!("last time: {work}{load}{stopped}{pain}{ago}"),
            ))
        })
        .collect()
}

/// The last real load (kg, lb or bodyweight) lifted for each exercise and side, for the
/// form's default; never a prescription such as 6RM.
#[must_use]
pub fn last_loads(entries: &[Entry]) -> HashMap<ExerciseSide, Load> {
    let mut loads = HashMap::new();
    for r in training_sets(entries) {
        if let Some(load) = r
            .load
            .as_ref()
            .and_then(super::LoadRecord::to_load)
            .filter(|l| !l.unit.is_prescription())
        {
            loads.insert((r.exercise.clone(), r.side.clone()), load);
        }
    }
    loads
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::store::parse_lines;

    /// A set line as reptempo writes it; `extra` adds or replaces fields.
    fn line(
        start: &str,
        session: &str,
        exercise: &str,
        set: u32,
        extra: &serde_json::Value,
    ) -> String {
        let mut v = serde_json::json!({
            "kind": "set", "v": 1, "start": start, "end": start, "preset": "hsr",
            "exercise": exercise, "side": "both", "set": set, "sets": 4, "planned_reps": 8,
            "done_reps": 8, "hold_s": null, "tempo": "3-0-3-0", "tut_s": 48.0,
            "load": {"value": 80.0, "unit": "kg"}, "pain": null, "rpe": null, "note": null,
            "status": "done", "session": session,
        });
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        v.to_string()
    }

    /// A whole HSR session on `date`: 3 exercises x 4 sets, the first `done` of them done
    /// and the rest stopped.
    fn session(date: jiff::civil::Date, done: usize, extra: &serde_json::Value) -> Vec<String> {
        let start = format!("{date}T18:00:00+01:00");
        ["Squat", "Hack squat", "Leg press"]
            .iter()
            .flat_map(|e| (1..=4).map(move |s| (e, s)))
            .enumerate()
            .map(|(i, (e, s))| {
                let mut extra = extra.clone();
                if i >= done {
                    extra["status"] = "stopped".into();
                }
                line(&start, &start, e, s, &extra)
            })
            .collect()
    }

    fn entries(lines: &[String]) -> Vec<Entry> {
        let text = lines.join("\n") + "\n";
        let now = "2027-06-01T00:00:00Z".parse().unwrap();
        let (entries, warnings) = parse_lines(std::path::Path::new("t"), text.as_bytes(), now);
        assert!(warnings.is_empty(), "{warnings:?}");
        entries
    }

    fn day(s: &str) -> jiff::civil::Date {
        s.parse().unwrap()
    }

    /// Six weeks of three complete sessions, Monday, Wednesday, Friday, from
    /// 2026-09-07, with no training in the calendar week after week 3.
    fn six_weeks(extra: &serde_json::Value) -> Vec<String> {
        (0..6)
            .flat_map(|w: i64| {
                let calendar = if w >= 3 { w + 1 } else { w };
                (0..3).flat_map(move |s: i64| {
                    session(
                        day("2026-09-07") + jiff::Span::new().days(calendar * 7 + s * 2),
                        12,
                        extra,
                    )
                })
            })
            .collect()
    }

    const HSR_SETS: &dyn Fn(u32) -> u32 = &|_| 12;

    #[test]
    fn sessions_are_grouped_newest_first_and_previews_left_out() {
        let e = entries(&[
            line(
                "2026-11-02T18:00:00+01:00",
                "a",
                "Squat",
                1,
                &serde_json::json!({"pain": 2}),
            ),
            line(
                "2026-11-02T18:00:00+01:00",
                "a",
                "Squat",
                2,
                &serde_json::json!({"pain": 3}),
            ),
            line(
                "2026-11-04T18:00:00+01:00",
                "b",
                "Squat",
                1,
                &serde_json::json!({"preset": "iso"}),
            ),
            line(
                "2026-11-05T18:00:00+01:00",
                "c",
                "Squat",
                1,
                &serde_json::json!({"speed": 10.0}),
            ),
        ]);
        let recent = recent_sessions(&e, 5);
        assert_eq!(recent.len(), 2);
        assert_eq!((recent[0].preset.as_str(), recent[0].sets), ("iso", 1));
        assert_eq!((recent[1].sets, recent[1].max_pain), (2, Some(3)));
    }

    #[test]
    fn six_completed_weeks_and_a_missed_calendar_week_lead_to_week_7() {
        let e = entries(&six_weeks(&serde_json::json!({})));
        let w = program_week(&e, "hsr", 12, Some(3), HSR_SETS, day("2026-10-25"));
        assert_eq!((w.week, w.finished, w.break_days), (7, false, None), "{w}");
        assert!(
            w.reason.starts_with(
                "week 6 done (3 of 3 sessions complete, latest 2026-10-23): week 7 next"
            ),
            "{w}"
        );
        // The weeks the records carry are followed, whatever the count would say.
        let e = entries(&six_weeks(&serde_json::json!({"week": 4})));
        assert_eq!(
            program_week(&e, "hsr", 12, Some(3), HSR_SETS, day("2026-10-25")).week,
            5
        );
    }

    #[test]
    fn a_stopped_session_does_not_count() {
        let mut lines = session(day("2026-09-07"), 12, &serde_json::json!({}));
        lines.extend(session(day("2026-09-09"), 12, &serde_json::json!({})));
        // Six of twelve set units done is not more than half.
        lines.extend(session(day("2026-09-11"), 6, &serde_json::json!({})));
        let w = program_week(
            &entries(&lines),
            "hsr",
            12,
            Some(3),
            HSR_SETS,
            day("2026-09-12"),
        );
        assert_eq!(w.week, 1, "{w}");
        assert_eq!(
            w.reason,
            "week 1: 2 of 3 sessions complete; the latest, 2026-09-11, does not count (6 of 12 sets done)"
        );
        lines.extend(session(day("2026-09-12"), 7, &serde_json::json!({})));
        let w = program_week(
            &entries(&lines),
            "hsr",
            12,
            Some(3),
            HSR_SETS,
            day("2026-09-12"),
        );
        assert_eq!(w.week, 2, "{w}");
    }

    #[test]
    fn a_finished_programme_says_so() {
        let e = entries(&six_weeks(&serde_json::json!({})));
        let w = program_week(&e, "hsr", 6, Some(3), HSR_SETS, day("2026-10-25"));
        assert_eq!((w.week, w.finished), (6, true));
        assert_eq!(
            w.reason,
            "all 6 weeks done (3 of 3 sessions complete in week 6): the programme is finished"
        );
        assert_eq!(
            w.display_line("hsr", 6),
            "hsr: all 6 weeks done, the programme is finished"
        );
    }

    #[test]
    fn a_break_of_two_weeks_suggests_repeating_the_last_week() {
        let e = entries(&six_weeks(&serde_json::json!({})));
        let w = program_week(&e, "hsr", 12, Some(3), HSR_SETS, day("2026-11-12"));
        assert_eq!((w.week, w.break_days, w.repeat), (7, Some(20), Some(6)));
        // On the display's one line, whole at 80 columns.
        let line = w.display_line("hsr", 12);
        assert_eq!(
            line,
            "hsr week 7 of 12 · 20 days since the last session: repeat week 6? (--week 6)"
        );
        assert!(line.chars().count() <= 78);
        // The longest built-in id in its last week after a long break: the days go,
        // what to type stays.
        let late = ProgramWeek {
            week: 12,
            break_days: Some(120),
            repeat: Some(11),
            ..w.clone()
        };
        assert_eq!(
            late.display_line("hsr-achilles", 12),
            "hsr-achilles week 12 of 12 · repeat week 11? (--week 11)"
        );
        assert_eq!(
            w.notice.as_deref(),
            Some("last hsr session 20 days ago: consider repeating week 6 (--week 6)")
        );
        assert!(
            w.to_string()
                .ends_with("; last hsr session 20 days ago: consider repeating week 6 (--week 6)")
        );
        assert_eq!(
            program_week(&e, "hsr", 12, Some(3), HSR_SETS, day("2026-11-05")).break_days,
            None
        );
    }

    #[test]
    fn nothing_logged_is_week_1_with_its_reason() {
        let e = entries(&six_weeks(&serde_json::json!({})));
        let w = program_week(&e, "alfredson", 12, None, HSR_SETS, day("2026-11-12"));
        assert_eq!((w.week, w.finished), (1, false));
        assert_eq!(w.reason, "no alfredson session logged yet: week 1");
    }

    #[test]
    fn previews_never_move_the_week() {
        let mut lines = six_weeks(&serde_json::json!({}));
        for _ in 0..3 {
            lines.extend(session(
                day("2026-10-24"),
                12,
                &serde_json::json!({"speed": 10.0}),
            ));
        }
        let w = program_week(
            &entries(&lines),
            "hsr",
            12,
            Some(3),
            HSR_SETS,
            day("2026-10-25"),
        );
        assert_eq!(w.week, 7);
    }

    #[test]
    fn the_planned_set_units_come_from_the_plan() {
        let (preset, _) = crate::preset::Catalog::load(None).0.resolve("hsr").unwrap();
        assert_eq!(planned_sets_of(&preset)(1), 12);
    }

    #[test]
    fn last_time_shows_what_was_lifted_what_stopped_and_how_long_ago() {
        let at = "2026-11-20T18:00:00+01:00";
        let e = entries(&[
            line(
                "2026-11-10T18:00:00+01:00",
                "old",
                "Squat",
                1,
                &serde_json::json!({"load": {"value": 70.0, "unit": "kg"}}),
            ),
            line(at, at, "Squat", 1, &serde_json::json!({"pain": 2})),
            line(at, at, "Squat", 2, &serde_json::json!({"pain": 3})),
            line(at, at, "Squat", 3, &serde_json::json!({})),
            line(
                at,
                at,
                "Squat",
                4,
                &serde_json::json!({"status": "stopped", "done_reps": 5}),
            ),
            // Only a prescription: shown as the target, never as a load.
            line(
                at,
                at,
                "Leg press",
                1,
                &serde_json::json!({"load": {"value": 6.0, "unit": "RM"}}),
            ),
            line(
                at,
                at,
                "Calf raise",
                1,
                &serde_json::json!({"side": "left", "load": {"value": 20.0, "unit": "kg"}}),
            ),
            line(
                at,
                at,
                "Calf raise",
                1,
                &serde_json::json!({"side": "right", "load": {"value": 15.0, "unit": "kg"}}),
            ),
            line(
                "2026-11-21T18:00:00+01:00",
                "p",
                "Squat",
                1,
                &serde_json::json!({"speed": 10.0, "load": {"value": 200.0, "unit": "kg"}}),
            ),
        ]);
        let times = last_times(&e, day("2026-11-23"));
        let key = |e: &str, s: &str| (e.to_owned(), s.to_owned());
        assert_eq!(
            times[&key("Squat", "both")],
            "last time: 4 x 8 @ 80 kg; set 4 stopped at 5 reps; pain max 3/10; 3 days ago"
        );
        assert_eq!(
            times[&key("Leg press", "both")],
            "last time: 1 x 8 @ target 6RM; 3 days ago"
        );
        assert!(times[&key("Calf raise", "left")].contains("@ 20 kg"));
        let loads = last_loads(&e);
        assert_eq!(loads[&key("Squat", "both")].to_string(), "80kg");
        assert_eq!(loads[&key("Calf raise", "right")].to_string(), "15kg");
        assert!(!loads.contains_key(&key("Leg press", "both")));
    }
}
