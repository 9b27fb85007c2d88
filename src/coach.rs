//! The load-response coach: after each session, for each exercise and side, progress,
//! hold, regress or move on to the next stage, with the change, the numbers that
//! triggered it, and the rule's name, source and caveat.
//!
//! A pure function of (preset, the log's validated entries, today): [`decide`]. It reads
//! sets only through [`training_sets`] (previews never count) and applies the preset's
//! `[[rule]]`s in order, the first that applies deciding. Then, whatever the rules say,
//! the pain-monitoring model has the last word: while the pain light over its window is
//! not green, an increasing decision becomes hold (amber) or regress (red). `check` has
//! already refused presets whose rules could increase under a pain signal
//! (`crate::preset` rule checks); this second line also covers pain in other exercises
//! and presets, which no single rule sees.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::load::{Load, LoadStep, Unit};
use crate::log::history::{next_week, training_sets};
use crate::log::stats::{self, Light};
use crate::log::{Entry, LoadRecord, Record, SetRecord};
use crate::preset::{Action, Conditions, Preset, Rule, Side, WeekMove};

/// What the coach advises for an exercise's next session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Progress,
    Hold,
    Regress,
    Stage,
}

impl Kind {
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Kind::Progress => "progress",
            Kind::Hold => "hold",
            Kind::Regress => "regress",
            Kind::Stage => "stage",
        }
    }
}

/// One exercise's (and side's) decision: the `next --json` contract, field for field.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[allow(
    clippy::struct_field_names,
    reason = "the JSON field names are a contract"
)]
pub struct Decision {
    pub exercise: String,
    /// "both", "left" or "right", as in the log.
    pub side: String,
    pub decision: Kind,
    /// "+5%", "-10%", "+1 rep", "+5s", "repeat week 3"; `None` for a hold or a stage.
    pub change: Option<String>,
    /// The load advised for the next session: the changed one, or the last one lifted
    /// when the load does not change; `None` when there is no number to give (nothing
    /// lifted in kg or lb, a repetition maximum, bodyweight) or for a stage.
    pub load: Option<LoadRecord>,
    /// The preset to move on to, for a stage.
    pub stage: Option<String>,
    /// One sentence with the numbers that decided.
    pub reason: String,
    /// The deciding rule's name.
    pub rule: String,
    pub source: String,
    pub caveat: Option<String>,
}

/// The coach's advice for one preset.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Advice {
    pub preset: String,
    /// The programme week the next session runs, for a preset with a week table.
    pub week: Option<u32>,
    pub exercises: Vec<Decision>,
}

/// The reduction the run-time limit advises when the pain light is red and no rule of
/// the preset reduces: 10 %, a product choice (the model says "reduce", no amount).
const RED_STEP: LoadStep = LoadStep::Percent(-10.0);

/// The run-time limit's source: the pain light's model, cited in full as the rules are.
const LIMIT_SOURCE: &str = "Silbernagel KG, Thomeé R, Eriksson BI, Karlsson J. 2007, Am J Sports Med 35(6):897-906, doi:10.1177/0363546506298279 (the pain-monitoring model, over the pain light's 7-day window)";

/// Morning scores this long after a session's first set are "after" it: the next
/// morning, or the one after for a session early in the day.
const AFTER_HOURS: i64 = 48;

/// The preset of the latest training set in the log, for `next` without a preset.
#[must_use]
pub fn latest_preset(entries: &[Entry]) -> Option<String> {
    training_sets(entries).last().map(|r| r.preset.clone())
}

/// The coach's decisions for `preset`'s next session, from the log's validated entries
/// (as [`crate::log::Store::read`] gives them), on `today` (the person's local day).
/// One decision per exercise and side logged under the preset, in the preset's block
/// order; an exercise never logged has none.
#[must_use]
pub fn decide(preset: &Preset, entries: &[Entry], today: jiff::civil::Date) -> Advice {
    let mornings: Vec<(jiff::Timestamp, u8)> = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Record(Record::Pain(p)) => Some((p.at.parse().ok()?, p.pain)),
            _ => None,
        })
        .collect();
    let morning_dates: Vec<(jiff::civil::Date, u8)> = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Record(Record::Pain(p)) => Some((local_date(&p.at)?, p.pain)),
            _ => None,
        })
        .collect();
    let context = Context {
        mornings,
        trend: stats::model::morning_trend(&morning_dates, today),
    };
    let light = stats::verdict(entries, &|_| true, today);
    let mut groups: BTreeMap<(usize, String, String), Vec<Session>> = BTreeMap::new();
    for r in training_sets(entries).filter(|r| r.preset == preset.id) {
        let block = preset
            .blocks
            .iter()
            .position(|b| b.exercise == r.exercise)
            .unwrap_or(usize::MAX);
        let sessions = groups
            .entry((block, r.exercise.clone(), r.side.clone()))
            .or_default();
        match sessions.last_mut() {
            Some(s) if s.key == session_key(r) => s.sets.push(r),
            _ => sessions.push(Session {
                key: session_key(r).to_owned(),
                sets: vec![r],
            }),
        }
    }
    let exercises = groups
        .into_iter()
        .map(|((_, exercise, side), sessions)| {
            let decision = by_rules(&preset.rules, &sessions, &context);
            let decision = within_limits(decision, light.as_ref(), &sessions);
            decision.into_contract(exercise, side, &sessions)
        })
        .collect();
    Advice {
        preset: preset.id.clone(),
        week: next_week(entries, preset, today).map(|w| w.week),
        exercises,
    }
}

/// The advice as lines for a terminal: control characters in names (from the log or a
/// preset) made visible.
#[must_use]
pub fn text(advice: &Advice) -> String {
    let clean = |t: &str| crate::text::escape_cell(t).into_owned();
    let mut out = match advice.week {
        Some(week) => format!("{} next: week {week}\n", clean(&advice.preset)),
        None => format!("{} next:\n", clean(&advice.preset)),
    };
    if advice.exercises.is_empty() {
        let _ = writeln!(
            out,
            "  no training sets of {} in the log yet: nothing to advise",
            clean(&advice.preset)
        );
    }
    for d in &advice.exercises {
        let side = if d.side == Side::Both.name() {
            String::new()
        } else {
            format!(" ({})", clean(&d.side))
        };
        let what = match (&d.change, &d.stage, &d.load) {
            (_, Some(stage), _) => format!(" -> {}", clean(stage)),
            (Some(change), _, Some(load)) => format!(" {} -> {}", clean(change), load_text(load)),
            (Some(change), _, None) => format!(" {}", clean(change)),
            (None, _, Some(load)) => format!(" at {}", load_text(load)),
            (None, _, None) => String::new(),
        };
        let _ = writeln!(
            out,
            "\n{}{side}: {}{what}\n  {}\n  rule: {} ({})",
            clean(&d.exercise),
            d.decision.name().to_uppercase(),
            clean(&d.reason),
            clean(&d.rule),
            clean(&d.source),
        );
        if let Some(caveat) = &d.caveat {
            let _ = writeln!(out, "  caveat: {}", clean(caveat));
        }
    }
    out
}

fn load_text(load: &LoadRecord) -> String {
    match load.value {
        Some(v) => format!("{v} {}", load.unit),
        None => load.unit.clone(),
    }
}

// ---- what the log says about one exercise and side ----

/// The sets of one session of one exercise and side, in log order.
struct Session<'a> {
    key: String,
    sets: Vec<&'a SetRecord>,
}

/// What every session is judged against: the morning scores, and the morning-pain trend
/// (the means of the 7 days ending today and of the 7 before), as the pain light reads
/// it: [`stats::model::morning_trend`].
struct Context {
    mornings: Vec<(jiff::Timestamp, u8)>,
    trend: Option<(f64, f64)>,
}

fn session_key(r: &SetRecord) -> &str {
    r.session.as_deref().unwrap_or(&r.start)
}

/// `YYYY-MM-DD` of an RFC 3339 time, in its own offset (the person's local day).
fn local_date(time: &str) -> Option<jiff::civil::Date> {
    time.get(..10)?.parse().ok()
}

impl Session<'_> {
    fn date(&self) -> Option<jiff::civil::Date> {
        self.sets.first().and_then(|r| local_date(&r.start))
    }

    fn started(&self) -> Option<jiff::Timestamp> {
        self.sets.iter().filter_map(|r| r.start.parse().ok()).min()
    }

    fn planned_sets(&self) -> u32 {
        self.sets.iter().map(|r| r.sets).max().unwrap_or(0)
    }

    /// Sets done as planned: status "done", and at least the planned reps when both
    /// are known; each set number once.
    fn done_as_planned(&self) -> u32 {
        let mut done: Vec<u32> = self
            .sets
            .iter()
            .filter(|r| r.status == "done")
            .filter(|r| match (r.done_reps, r.planned_reps) {
                (Some(d), Some(p)) => d >= p,
                _ => true,
            })
            .map(|r| r.set)
            .collect();
        done.sort_unstable();
        done.dedup();
        u32::try_from(done.len()).unwrap_or(u32::MAX)
    }

    fn all_done(&self) -> bool {
        !self.sets.iter().any(|r| r.status != "done")
            && self.done_as_planned() == self.planned_sets()
    }

    /// The fewest reps above plan of any set, when every planned set was done with
    /// known reps.
    fn fewest_extra_reps(&self) -> Option<i64> {
        if !self.all_done() {
            return None;
        }
        self.sets
            .iter()
            .map(|r| Some(i64::from(r.done_reps?) - i64::from(r.planned_reps?)))
            .collect::<Option<Vec<i64>>>()?
            .into_iter()
            .min()
    }

    fn max_pain(&self) -> Option<u8> {
        self.sets.iter().filter_map(|r| r.pain).max()
    }

    fn every_set_scored(&self) -> bool {
        self.sets.iter().all(|r| r.pain.is_some())
    }

    fn max_rpe(&self) -> Option<f64> {
        self.sets.iter().filter_map(|r| r.rpe).reduce(f64::max)
    }

    /// The highest morning score in the [`AFTER_HOURS`] after the session started.
    fn morning_after(&self, context: &Context) -> Option<u8> {
        let start = self.started()?;
        let end = start
            .checked_add(jiff::SignedDuration::from_hours(AFTER_HOURS))
            .ok()?;
        context
            .mornings
            .iter()
            .filter(|(at, _)| *at > start && *at <= end)
            .map(|&(_, p)| p)
            .max()
    }

    /// The last load lifted (kg, lb, bodyweight), else the target when it is a
    /// percentage (a step can change 70%MVC, not 6RM).
    fn current_load(&self) -> Option<Load> {
        self.sets
            .iter()
            .rev()
            .find_map(|r| r.load.as_ref()?.to_load())
            .or_else(|| {
                let target: Load = self
                    .sets
                    .iter()
                    .rev()
                    .find_map(|r| r.target.as_ref()?.parse().ok())?;
                (target.unit != Unit::RepMax).then_some(target)
            })
    }

    fn planned_reps(&self) -> Option<u32> {
        self.sets.iter().filter_map(|r| r.planned_reps).max()
    }

    /// A hold's planned length, else a cadence bout's longest length run, in seconds.
    fn planned_length(&self) -> Option<f64> {
        self.sets
            .iter()
            .filter_map(|r| r.planned_hold_s.or(r.duration_s))
            .reduce(f64::max)
    }

    fn week(&self) -> Option<u32> {
        self.sets.iter().find_map(|r| r.week)
    }
}

// ---- the rules ----

/// The facts, with their numbers, under which `when` holds for `session`; `None` when
/// it does not hold. `sessions_in_a_row` and `days_in_a_row` are judged by [`applies`].
fn holds(when: &Conditions, s: &Session, context: &Context) -> Option<Vec<String>> {
    let mut facts = Vec::new();
    if let Some(n) = when.pain_during_above {
        let p = s.max_pain().filter(|&p| p > n)?;
        facts.push(format!("pain during a set reached {p}/10, above {n}/10"));
    }
    if let Some(n) = when.pain_during_at_most {
        let p = s.max_pain().filter(|&p| p <= n && s.every_set_scored())?;
        facts.push(format!(
            "pain during every set at most {p}/10 (limit {n}/10)"
        ));
    }
    if let Some(n) = when.morning_pain_above {
        let p = s.morning_after(context).filter(|&p| p > n)?;
        facts.push(format!("morning pain after it {p}/10, above {n}/10"));
    }
    if let Some(n) = when.morning_pain_at_most {
        let p = s.morning_after(context).filter(|&p| p <= n)?;
        facts.push(format!("morning pain after it {p}/10 (limit {n}/10)"));
    }
    if let Some(want) = when.morning_pain_rising {
        let up = context.trend.filter(|&t| stats::model::rising(t));
        match (want, up, context.trend) {
            (true, Some((now, before)), _) => facts.push(format!(
                "morning pain averaged {now:.1}/10 this week, up from {before:.1}/10"
            )),
            (false, None, Some((now, before))) => facts.push(format!(
                "morning pain not rising ({now:.1}/10 this week, {before:.1}/10 the week before)"
            )),
            (false, None, None) => {
                facts.push("morning pain not rising (no morning scores in both weeks)".to_owned());
            }
            _ => return None,
        }
    }
    if let Some(want) = when.all_sets_done {
        let (done, planned) = (s.done_as_planned(), s.planned_sets());
        if s.all_done() != want {
            return None;
        }
        facts.push(if want {
            format!("all {planned} sets done as planned")
        } else {
            format!("{done} of {planned} sets done as planned")
        });
    }
    if let Some(want) = when.reps_above_target {
        let extra = s.fewest_extra_reps().filter(|&e| e > 0);
        if extra.is_some() != want {
            return None;
        }
        facts.push(match extra {
            Some(e) => format!("every set beat its planned reps (by {e} or more)"),
            None => "not every set beat its planned reps".to_owned(),
        });
    }
    if let Some(n) = when.rpe_at_most {
        let all = s.sets.iter().all(|r| r.rpe.is_some());
        let top = s.max_rpe().filter(|&r| all && r <= n)?;
        facts.push(format!("highest RPE {top} (at most {n})"));
    }
    if let Some(n) = when.rpe_at_least {
        let top = s.max_rpe().filter(|&r| r >= n)?;
        facts.push(format!("highest RPE {top} (at least {n})"));
    }
    Some(facts)
}

/// The facts under which `rule` applies to the last of `sessions`, counting the
/// sessions in a row (newest backwards) in which its conditions held.
fn applies(rule: &Rule, sessions: &[Session], context: &Context) -> Option<Vec<String>> {
    let (last, earlier) = sessions.split_last()?;
    let mut facts = holds(&rule.when, last, context)?;
    let (need, days) = (rule.when.sessions_in_a_row, rule.when.days_in_a_row);
    if need <= 1 && days == 0 {
        return Some(facts);
    }
    let mut run = 1u32;
    let mut first = last;
    for s in earlier.iter().rev() {
        if holds(&rule.when, s, context).is_none() {
            break;
        }
        run += 1;
        first = s;
    }
    let spanned = match (first.date(), last.date()) {
        (Some(a), Some(b)) => b.since(a).map_or(0, |d| d.get_days() + 1),
        _ => 0,
    };
    let spanned = u32::try_from(spanned).unwrap_or(0);
    if run < need || spanned < days {
        return None;
    }
    facts.push(format!(
        "in {run} session{} in a row over {spanned} day{}",
        if run == 1 { "" } else { "s" },
        if spanned == 1 { "" } else { "s" }
    ));
    Some(facts)
}

/// A decision before it is put in the contract's shape.
struct Draft {
    kind: Kind,
    action: Action,
    reason: String,
    rule: String,
    source: String,
    caveat: Option<String>,
}

fn by_rules(rules: &[Rule], sessions: &[Session], context: &Context) -> Option<Draft> {
    let last = sessions.last()?;
    let date = last
        .date()
        .map_or_else(|| "last".to_owned(), |d| d.to_string());
    rules.iter().find_map(|rule| {
        let facts = applies(rule, sessions, context)?;
        let why = if facts.is_empty() {
            "no earlier rule applied".to_owned()
        } else {
            facts.join("; ")
        };
        Some(Draft {
            kind: kind_of(&rule.then),
            action: rule.then.clone(),
            reason: format!("{date} session: {why}"),
            rule: rule.name.clone(),
            source: rule.source.clone(),
            caveat: rule.caveat.clone(),
        })
    })
}

fn kind_of(action: &Action) -> Kind {
    match action {
        Action::Stage(_) => Kind::Stage,
        a if a.increases() => Kind::Progress,
        a if a.decreases() => Kind::Regress,
        _ => Kind::Hold,
    }
}

/// The pain-monitoring model's last word over its whole window: an increase (or no
/// decision at all) under a red light becomes a regress, under an amber one a hold.
fn within_limits(
    draft: Option<Draft>,
    light: Option<&stats::Verdict>,
    sessions: &[Session],
) -> Draft {
    let increasing = draft
        .as_ref()
        .is_none_or(|d| matches!(d.kind, Kind::Progress | Kind::Stage));
    let limited = light.filter(|v| v.light != Light::Green && increasing);
    match (draft, limited) {
        (Some(draft), None) => draft,
        (draft, Some(v)) => {
            let (kind, action) = match v.light {
                Light::Red => (Kind::Regress, Action::Load(RED_STEP)),
                _ => (Kind::Hold, Action::None),
            };
            let reason = match &draft {
                Some(d) => format!(
                    "rule {:?} would {} ({}), but {}",
                    d.rule,
                    d.kind.name(),
                    d.reason,
                    v.reason
                ),
                None => format!("no rule of the preset applied, and {}", v.reason),
            };
            Draft {
                kind,
                action,
                reason,
                rule: "pain-monitoring model (run-time limit)".to_owned(),
                source: LIMIT_SOURCE.to_owned(),
                caveat: Some(v.caveat.to_owned()),
            }
        }
        (None, None) => {
            let date = sessions
                .last()
                .and_then(Session::date)
                .map_or_else(|| "last".to_owned(), |d| d.to_string());
            Draft {
                kind: Kind::Hold,
                action: Action::None,
                reason: format!(
                    "{date} session: no rule of the preset applied: keep everything as it is"
                ),
                rule: "no rule applied".to_owned(),
                source: "reptempo: hold when no rule applies".to_owned(),
                caveat: None,
            }
        }
    }
}

impl Draft {
    fn into_contract(self, exercise: String, side: String, sessions: &[Session]) -> Decision {
        let last = sessions.last();
        let current = last.and_then(Session::current_load);
        let (change, load, stage, outcome) = match &self.action {
            Action::Load(step) => {
                let next = current.and_then(|l| step.apply(l));
                let outcome = match (current, next) {
                    (Some(c), Some(n)) => format!("load {step}: {c} -> {n}"),
                    (Some(c), None) => format!("load {step} (from {c}: no number to change)"),
                    (None, _) => format!("load {step} (no load in kg or lb logged to apply it to)"),
                };
                (Some(step.to_string()), next, None, outcome)
            }
            Action::Reps(n) => {
                let unit = if n.abs() == 1 { "rep" } else { "reps" };
                let outcome = match last.and_then(Session::planned_reps) {
                    Some(p) => {
                        let to = (i64::from(p) + i64::from(*n)).max(1);
                        format!("{n:+} {unit} a set: {p} -> {to}")
                    }
                    None => format!("{n:+} {unit} a set"),
                };
                (Some(format!("{n:+} {unit}")), current, None, outcome)
            }
            Action::Hold { longer, by } => {
                let sign = if *longer { '+' } else { '-' };
                let outcome = match last.and_then(Session::planned_length) {
                    Some(s) => {
                        let delta = by.as_secs_f64() * if *longer { 1.0 } else { -1.0 };
                        format!("hold {sign}{by}: {s} s -> {} s", (s + delta).max(1.0))
                    }
                    None => format!("hold {sign}{by}"),
                };
                (Some(format!("{sign}{by}")), current, None, outcome)
            }
            Action::Week(m) => {
                let week = last.and_then(Session::week);
                let text = match (m, week) {
                    (WeekMove::Repeat, Some(w)) => format!("repeat week {w}"),
                    (WeekMove::Repeat, None) => "repeat the last week".to_owned(),
                    (WeekMove::Back, Some(w)) => {
                        format!("back to week {}", w.saturating_sub(1).max(1))
                    }
                    (WeekMove::Back, None) => "back a week".to_owned(),
                };
                (Some(text.clone()), current, None, text)
            }
            Action::Stage(id) => (None, None, Some(id.clone()), format!("move on to {id}")),
            Action::None => {
                let outcome = match current {
                    Some(c) => format!("keep {c}"),
                    None => "keep everything as it is".to_owned(),
                };
                (None, current, None, outcome)
            }
        };
        Decision {
            exercise,
            side,
            decision: self.kind,
            change,
            load: load.map(LoadRecord::from),
            stage,
            reason: format!("{}: {outcome}", self.reason),
            rule: self.rule,
            source: self.source,
            caveat: self.caveat,
        }
    }
}

#[cfg(test)]
mod tests;
