//! The coach's rules in a preset (`[[rule]]`): a fixed vocabulary of conditions and
//! actions, not an expression language, checked at their line and column like every
//! other key, and one safety property checked before a preset is accepted.
//!
//! The safety property: a rule whose action increases (load, reps or hold up, or a move
//! to another stage) can never fire while a pain signal is above the pain-monitoring
//! model's limits. Rules apply in order, first match wins, so a rule is safe when, for
//! each of the model's three signals, either the rule itself excludes the signal or an
//! earlier rule with that signal as its **only** condition (which therefore always fires
//! first when the signal is there) does not increase:
//!
//! | signal | excluded by the rule itself | or caught by an earlier rule |
//! |---|---|---|
//! | pain during a set above 5/10 | `pain_during_at_most = N`, N <= 5 | `when = { pain_during_above = N }`, N <= 5 |
//! | next-morning pain above 5/10 | `morning_pain_at_most = N`, N <= 5 | `when = { morning_pain_above = N }`, N <= 5 |
//! | morning pain rising week on week | `morning_pain_rising = false` | `when = { morning_pain_rising = true }` |
//!
//! The coach enforces the same limits again at run time, over the whole window the pain
//! light reads (see `crate::coach`).

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::format::Checker;
use crate::load::LoadStep;
use crate::span::Span;

/// A preset with more rules than this is not one anyone can follow.
pub const MAX_RULES: usize = 50;

/// The pain-monitoring model's limit (Silbernagel 2007): pain during exercise may reach
/// 5/10, and so may pain after it, if it has settled by the next morning.
pub const PAIN_LIMIT: u8 = 5;

// ---- the file format, as serde reads it ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRule {
    name: Option<String>,
    source: Option<String>,
    caveat: Option<String>,
    when: Option<Spanned<RawWhen>>,
    then: Option<Spanned<RawThen>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWhen {
    pain_during_above: Option<Spanned<i64>>,
    pain_during_at_most: Option<Spanned<i64>>,
    morning_pain_above: Option<Spanned<i64>>,
    morning_pain_at_most: Option<Spanned<i64>>,
    morning_pain_rising: Option<bool>,
    all_sets_done: Option<bool>,
    reps_above_target: Option<bool>,
    rpe_at_most: Option<Spanned<f64>>,
    rpe_at_least: Option<Spanned<f64>>,
    sessions_in_a_row: Option<Spanned<i64>>,
    days_in_a_row: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawThen {
    load: Option<Spanned<String>>,
    reps: Option<Spanned<i64>>,
    hold: Option<Spanned<String>>,
    week: Option<Spanned<String>>,
    stage: Option<Spanned<String>>,
    none: Option<Spanned<bool>>,
}

// ---- the domain ----

/// What must hold, over the exercise's last session (per side), for a rule to fire.
/// `None` is "not asked". The exact semantics are in the README, "The coach".
#[derive(Clone, Debug, PartialEq)]
pub struct Conditions {
    /// The highest pain during a set of the session is above this.
    pub pain_during_above: Option<u8>,
    /// Every set scored pain, and none above this (at least one scored).
    pub pain_during_at_most: Option<u8>,
    /// A morning score in the 48 h after the session is above this.
    pub morning_pain_above: Option<u8>,
    /// Morning scores were taken in the 48 h after the session, and none above this.
    pub morning_pain_at_most: Option<u8>,
    /// Whether morning pain rose week on week (the 7 days ending today against the 7
    /// before): evaluated once, about now, not per session.
    pub morning_pain_rising: Option<bool>,
    /// Whether every planned set was done, each with at least its planned reps.
    pub all_sets_done: Option<bool>,
    /// Whether every planned set was done with more reps than planned.
    pub reps_above_target: Option<bool>,
    /// Every set recorded an RPE, and the highest is at most this.
    pub rpe_at_most: Option<f64>,
    /// The highest RPE recorded is at least this.
    pub rpe_at_least: Option<f64>,
    /// The other conditions held in this many of the exercise's sessions in a row, the
    /// last one included (1 when not asked).
    pub sessions_in_a_row: u32,
    /// The sessions in a row in which the other conditions held span at least this many
    /// calendar days, first to last, inclusive (0 when not asked).
    pub days_in_a_row: u32,
}

impl Default for Conditions {
    fn default() -> Conditions {
        Conditions {
            pain_during_above: None,
            pain_during_at_most: None,
            morning_pain_above: None,
            morning_pain_at_most: None,
            morning_pain_rising: None,
            all_sets_done: None,
            reps_above_target: None,
            rpe_at_most: None,
            rpe_at_least: None,
            sessions_in_a_row: 1,
            days_in_a_row: 0,
        }
    }
}

/// A condition that stands alone in a rule's `when`: the shape of a safety guard.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Sole {
    PainDuringAbove(u8),
    MorningPainAbove(u8),
    MorningPainRising(bool),
}

impl Conditions {
    /// No condition at all: the rule always fires.
    #[must_use]
    pub fn always(&self) -> bool {
        *self == Conditions::default()
    }

    /// The one condition, when the rule has exactly one of the guard kinds and nothing
    /// else (not even `sessions_in_a_row`), so that it fires whenever that holds.
    fn sole(&self) -> Option<Sole> {
        let only = |c: Conditions| c == *self;
        if let Some(n) = self.pain_during_above
            && only(Conditions {
                pain_during_above: Some(n),
                ..Conditions::default()
            })
        {
            return Some(Sole::PainDuringAbove(n));
        }
        if let Some(n) = self.morning_pain_above
            && only(Conditions {
                morning_pain_above: Some(n),
                ..Conditions::default()
            })
        {
            return Some(Sole::MorningPainAbove(n));
        }
        if let Some(b) = self.morning_pain_rising
            && only(Conditions {
                morning_pain_rising: Some(b),
                ..Conditions::default()
            })
        {
            return Some(Sole::MorningPainRising(b));
        }
        None
    }
}

/// How a rule moves the programme week.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WeekMove {
    /// Run the week of the last session again.
    Repeat,
    /// Go back to the week before it.
    Back,
}

/// What a rule advises for the next session: exactly one change.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Load(LoadStep),
    /// Reps a set, up or down (never 0).
    Reps(i32),
    /// A hold longer (`true`) or shorter by this much.
    Hold {
        longer: bool,
        by: Span,
    },
    Week(WeekMove),
    /// Move on to another preset (its id).
    Stage(String),
    /// Keep everything as it is.
    None,
}

impl Action {
    /// Whether the action asks for more: a heavier load, more reps, a longer hold or
    /// the next stage. These are the ones the safety property is about.
    #[must_use]
    pub fn increases(&self) -> bool {
        match self {
            Action::Load(step) => step.increases(),
            Action::Reps(n) => *n > 0,
            Action::Hold { longer, .. } => *longer,
            Action::Stage(_) => true,
            Action::Week(_) | Action::None => false,
        }
    }

    /// Whether the action asks for less.
    #[must_use]
    pub fn decreases(&self) -> bool {
        match self {
            Action::Load(step) => !step.increases(),
            Action::Reps(n) => *n < 0,
            Action::Hold { longer, .. } => !longer,
            Action::Week(WeekMove::Back) => true,
            Action::Week(WeekMove::Repeat) | Action::Stage(_) | Action::None => false,
        }
    }
}

/// One coach rule of a preset.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub name: String,
    /// The evidence the rule rests on, as a citation.
    pub source: String,
    /// The evidence's limits, shown with every decision the rule makes.
    pub caveat: Option<String>,
    pub when: Conditions,
    pub then: Action,
}

// ---- validation ----

/// The preset's rules, each checked; a rule with a problem is reported and left out.
/// `weeks`: whether the preset has a week table (a `week` action needs one); `own_id`:
/// the preset's id, which a `stage` action may not name.
pub(super) fn validate_rules(
    raw: &[Spanned<RawRule>],
    weeks: bool,
    own_id: &str,
    c: &mut Checker,
) -> Vec<Rule> {
    if let Some(extra) = raw.get(MAX_RULES) {
        c.at(
            &extra.span(),
            format!("a preset has at most {MAX_RULES} rules"),
        );
    }
    let mut rules: Vec<(Rule, Range<usize>)> = Vec::new();
    let mut always: Option<String> = None;
    for (i, spanned) in raw.iter().take(MAX_RULES).enumerate() {
        let number = i + 1;
        let rule = validate_rule(number, spanned, weeks, own_id, c);
        let Some((rule, then_span)) = rule else {
            continue;
        };
        let label = format!("rule {number} ({:?})", rule.name);
        if let Some(earlier) = &always {
            c.at(
                &spanned.span(),
                format!(
                    "{label} can never apply: {earlier} before it has no conditions and always applies"
                ),
            );
        }
        if rule.when.always() && always.is_none() {
            always = Some(label.clone());
        }
        if rule.then.increases() {
            check_safe(&label, &rule, &rules, &then_span, c);
        }
        rules.push((rule, then_span));
    }
    rules.into_iter().map(|(rule, _)| rule).collect()
}

/// Reports each pain signal under which `rule`, an increasing one, could fire: neither
/// excluded by its own conditions nor caught by an earlier guard rule.
fn check_safe(
    label: &str,
    rule: &Rule,
    earlier: &[(Rule, Range<usize>)],
    at: &Range<usize>,
    c: &mut Checker,
) {
    let guarded = |want: &dyn Fn(Sole) -> bool| {
        earlier
            .iter()
            .any(|(r, _)| !r.then.increases() && r.when.sole().is_some_and(want))
    };
    let w = &rule.when;
    let signals = [
        (
            w.pain_during_at_most.is_some_and(|n| n <= PAIN_LIMIT)
                || guarded(&|s| matches!(s, Sole::PainDuringAbove(n) if n <= PAIN_LIMIT)),
            "pain during a set above 5/10",
            "`when = { pain_during_above = 5 }`",
            "`pain_during_at_most = 5`",
        ),
        (
            w.morning_pain_at_most.is_some_and(|n| n <= PAIN_LIMIT)
                || guarded(&|s| matches!(s, Sole::MorningPainAbove(n) if n <= PAIN_LIMIT)),
            "next-morning pain above 5/10",
            "`when = { morning_pain_above = 5 }`",
            "`morning_pain_at_most = 5`",
        ),
        (
            w.morning_pain_rising == Some(false)
                || guarded(&|s| s == Sole::MorningPainRising(true)),
            "morning pain rising week on week",
            "`when = { morning_pain_rising = true }`",
            "`morning_pain_rising = false`",
        ),
    ];
    for (safe, signal, guard, own) in signals {
        if !safe {
            c.at(
                at,
                format!(
                    "{label} increases but could apply with {signal}: put a rule with only {guard} and an action that does not increase before it, or add {own} to its `when`"
                ),
            );
        }
    }
}

fn validate_rule(
    number: usize,
    raw: &Spanned<RawRule>,
    weeks: bool,
    own_id: &str,
    c: &mut Checker,
) -> Option<(Rule, Range<usize>)> {
    let r = raw.get_ref();
    let span = raw.span();
    let what = format!("rule {number}");
    let name = c.required(r.name.clone(), &span, "name", &what);
    let source = c.required(r.source.clone(), &span, "source", &what);
    for (key, text) in [("name", &name), ("source", &source)] {
        if text.as_ref().is_some_and(|t| t.trim().is_empty()) {
            c.at(&span, format!("{what}: `{key}` is empty"));
        }
    }
    let when = c
        .required(r.when.as_ref(), &span, "when", &what)
        .and_then(|w| validate_when(w, c));
    let then = c.required(r.then.as_ref(), &span, "then", &what);
    let then_span = then.map(Spanned::span);
    let then = then.and_then(|t| validate_then(t, weeks, own_id, c));
    Some((
        Rule {
            name: name?,
            source: source?,
            caveat: r.caveat.clone(),
            when: when?,
            then: then?,
        },
        then_span?,
    ))
}

fn validate_when(raw: &Spanned<RawWhen>, c: &mut Checker) -> Option<Conditions> {
    let w = raw.get_ref();
    let before = c.found.len();
    let mut score = |v: &Option<Spanned<i64>>, key: &str| {
        v.as_ref()
            .and_then(|s| c.count(s, key, 0..=10))
            .and_then(|n| u8::try_from(n).ok())
    };
    let pain_during_above = score(&w.pain_during_above, "pain_during_above");
    let pain_during_at_most = score(&w.pain_during_at_most, "pain_during_at_most");
    let morning_pain_above = score(&w.morning_pain_above, "morning_pain_above");
    let morning_pain_at_most = score(&w.morning_pain_at_most, "morning_pain_at_most");
    let mut rpe = |v: &Option<Spanned<f64>>, key: &str| {
        let s = v.as_ref()?;
        let x = *s.get_ref();
        if (0.0..=10.0).contains(&x) {
            Some(x)
        } else {
            c.at(&s.span(), format!("{key} must be from 0 to 10, not {x}"));
            None
        }
    };
    let rpe_at_most = rpe(&w.rpe_at_most, "rpe_at_most");
    let rpe_at_least = rpe(&w.rpe_at_least, "rpe_at_least");
    let sessions_in_a_row = w
        .sessions_in_a_row
        .as_ref()
        .map_or(Some(1), |s| c.count(s, "sessions_in_a_row", 1..=100));
    let days_in_a_row = w
        .days_in_a_row
        .as_ref()
        .map_or(Some(0), |s| c.count(s, "days_in_a_row", 1..=365));
    let conditions = Conditions {
        pain_during_above,
        pain_during_at_most,
        morning_pain_above,
        morning_pain_at_most,
        morning_pain_rising: w.morning_pain_rising,
        all_sets_done: w.all_sets_done,
        reps_above_target: w.reps_above_target,
        rpe_at_most,
        rpe_at_least,
        sessions_in_a_row: sessions_in_a_row.unwrap_or(1),
        days_in_a_row: days_in_a_row.unwrap_or(0),
    };
    (c.found.len() == before).then_some(conditions)
}

const ACTIONS: &str = "load, reps, hold, week, stage, none";

fn validate_then(
    raw: &Spanned<RawThen>,
    weeks: bool,
    own_id: &str,
    c: &mut Checker,
) -> Option<Action> {
    let t = raw.get_ref();
    let span = raw.span();
    let given: Vec<&str> = [
        (t.load.is_some(), "load"),
        (t.reps.is_some(), "reps"),
        (t.hold.is_some(), "hold"),
        (t.week.is_some(), "week"),
        (t.stage.is_some(), "stage"),
        (t.none.is_some(), "none"),
    ]
    .iter()
    .filter_map(|&(on, key)| on.then_some(key))
    .collect();
    let refused = ["load", "reps", "hold", "week", "stage", "none"]
        .iter()
        .any(|key| c.was_removed(&span, key));
    if given.len() != 1 {
        if !refused || given.len() > 1 {
            let has = if given.is_empty() {
                "none".to_owned()
            } else {
                given.join(" and ")
            };
            c.at(
                &span,
                format!("`then` takes exactly one of: {ACTIONS}; it has {has}"),
            );
        }
        return None;
    }
    if let Some(load) = &t.load {
        return match load.get_ref().parse::<LoadStep>() {
            Ok(step) => Some(Action::Load(step)),
            Err(e) => {
                c.at(&load.span(), e.to_string());
                None
            }
        };
    }
    if let Some(reps) = &t.reps {
        let n = *reps.get_ref();
        return match i32::try_from(n) {
            Ok(n) if n != 0 && (-100..=100).contains(&n) => Some(Action::Reps(n)),
            _ => {
                c.at(
                    &reps.span(),
                    format!("reps change must be from -100 to +100 and not 0, not {n}"),
                );
                None
            }
        };
    }
    if let Some(hold) = &t.hold {
        return hold_step(hold.get_ref()).map_or_else(
            || {
                c.at(
                    &hold.span(),
                    format!(
                        "hold change {:?} is not a change: use a sign and a duration, e.g. +5s, -10s",
                        hold.get_ref()
                    ),
                );
                None
            },
            |(longer, by)| Some(Action::Hold { longer, by }),
        );
    }
    if let Some(week) = &t.week {
        return week_move(week, weeks, c).map(Action::Week);
    }
    if let Some(stage) = &t.stage {
        return stage_id(stage, own_id, c).map(Action::Stage);
    }
    let none = t.none.as_ref()?;
    if *none.get_ref() {
        Some(Action::None)
    } else {
        c.at(
            &none.span(),
            "none takes only `true` (keep everything as it is)",
        );
        None
    }
}

fn week_move(week: &Spanned<String>, weeks: bool, c: &mut Checker) -> Option<WeekMove> {
    let action = match week.get_ref().as_str() {
        "repeat" => WeekMove::Repeat,
        "back" => WeekMove::Back,
        other => {
            c.at(
                &week.span(),
                format!("week must be \"repeat\" or \"back\", not {other:?}"),
            );
            return None;
        }
    };
    if !weeks {
        c.at(
            &week.span(),
            "a `week` action needs a week table ([[week]]) in the preset",
        );
        return None;
    }
    Some(action)
}

fn stage_id(stage: &Spanned<String>, own_id: &str, c: &mut Checker) -> Option<String> {
    let id = stage.get_ref();
    if !super::format::is_id(id) {
        c.at(
            &stage.span(),
            format!(
                "stage {id:?} is not a preset id: {}",
                super::format::ID_HINT
            ),
        );
        return None;
    }
    if id == own_id {
        c.at(
            &stage.span(),
            format!("stage {id:?} is this preset: name the preset to move on to"),
        );
        return None;
    }
    Some(id.clone())
}

/// `+5s` as (longer, 5 s); `None` without a sign or for a zero length.
fn hold_step(text: &str) -> Option<(bool, Span)> {
    let t = text.trim();
    let longer = match t.chars().next()? {
        '+' => true,
        '-' => false,
        _ => return None,
    };
    let by = Span::parse(t[1..].trim_start()).ok()?;
    (!by.is_zero() && by <= Span::from_secs(600)).then_some((longer, by))
}
