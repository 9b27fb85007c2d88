//! The records of the set log. Field names are a contract: add, never rename or drop.
//!
//! Three kinds: `set` (what happened in one set), `pain` (a next-morning score) and
//! `advice` (a decision of the coach, kept as a history of what was advised; nothing
//! reads it back as training or pain: advice is recomputable, and the next session's
//! actual load is what counts).
//!
//! A record read back is trusted only after [`Record::normalise`] (old lines kept a
//! prescription such as `6RM` in `load`) and [`Record::check`] (values in range, times
//! valid and not in the future); [`SetRecord::is_training`] then says whether it may
//! count in advice at all.

use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::load::Load;
use crate::plan::{Plan, PlannedWork};
use crate::preset::Side;
use crate::session::{SetOutcome, SetStatus};

/// The schema version this program writes.
pub const VERSION: u32 = 1;

/// One line of the log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
#[allow(
    clippy::large_enum_variant,
    reason = "short-lived; most lines are sets"
)]
pub enum Record {
    Set(SetRecord),
    Pain(PainRecord),
    Advice(AdviceRecord),
}

/// A load as stored: `{"value": 80.0, "unit": "kg"}`; bodyweight has a null value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoadRecord {
    pub value: Option<f64>,
    pub unit: String,
}

impl From<Load> for LoadRecord {
    fn from(load: Load) -> LoadRecord {
        LoadRecord {
            value: load.value,
            unit: load.unit.symbol().to_owned(),
        }
    }
}

/// The preset notation: `80kg`, `bodyweight`.
impl std::fmt::Display for LoadRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.value {
            Some(v) => write!(f, "{v}{}", self.unit),
            None => f.write_str(&self.unit),
        }
    }
}

impl LoadRecord {
    /// The load back in domain terms, when the stored unit is one reptempo knows.
    #[must_use]
    pub fn to_load(&self) -> Option<Load> {
        self.to_string().parse().ok()
    }
}

/// What happened in one set on one side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetRecord {
    pub v: u32,
    /// RFC 3339 with offset.
    pub start: String,
    pub end: String,
    pub preset: String,
    pub exercise: String,
    /// "both", "left" or "right".
    pub side: String,
    pub set: u32,
    pub sets: u32,
    pub planned_reps: Option<u32>,
    pub done_reps: Option<u32>,
    /// Seconds held, for holds.
    pub hold_s: Option<f64>,
    pub tempo: Option<String>,
    pub tut_s: f64,
    pub load: Option<LoadRecord>,
    pub pain: Option<u8>,
    pub rpe: Option<f64>,
    pub note: Option<String>,
    /// "done" or "stopped".
    pub status: String,
    /// When the session started (RFC 3339): the sets of one session share it.
    #[serde(default)]
    pub session: Option<String>,
    /// The program week, for program presets.
    #[serde(default)]
    pub week: Option<u32>,
    /// The planned hold, for holds.
    #[serde(default)]
    pub planned_hold_s: Option<f64>,
    /// Beats a minute and seconds run, for cadence work.
    #[serde(default)]
    pub cadence_bpm: Option<f64>,
    #[serde(default)]
    pub duration_s: Option<f64>,
    /// The preset's prescription when it is not a load: `6RM`, `70%1RM`, `70%MVC`.
    /// Absent from lines that have none, so a line with a real load reads as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The run's speed when it was not 1: such a run is a preview, not training.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed: Option<f64>,
}

/// A next-morning pain score (the pain-monitoring model).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PainRecord {
    pub v: u32,
    /// RFC 3339 with offset.
    pub at: String,
    pub pain: u8,
    pub note: Option<String>,
}

/// One exercise's (and side's) decision of the coach, as advised at `at`: the
/// `next --json` decision with the preset, week and moment it was given. Written after
/// a session that logged training and by `next --record`; never read as training.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdviceRecord {
    pub v: u32,
    /// RFC 3339 with offset: when the advice was given.
    pub at: String,
    /// "session" (after a session, in its summary) or "next" (`next --record`).
    pub from: String,
    pub preset: String,
    /// The programme week the advised session runs, for a preset with a week table.
    pub week: Option<u32>,
    pub exercise: String,
    /// "both", "left" or "right".
    pub side: String,
    /// "progress", "hold", "regress" or "stage".
    pub decision: String,
    /// "+5%", "-10%", "+1 rep", "repeat week 3"; none for a hold or a stage.
    pub change: Option<String>,
    /// The load advised for the next session.
    pub load: Option<LoadRecord>,
    /// The preset to move on to, for a stage.
    pub stage: Option<String>,
    /// One sentence with the numbers that decided.
    pub reason: String,
    /// The deciding rule's name and source.
    pub rule: String,
    pub source: String,
}

/// The decisions an advice record may hold, as the coach names them.
pub const DECISIONS: [&str; 4] = ["progress", "hold", "regress", "stage"];

/// What an advice record may say it was given after.
pub const ADVICE_FROM: [&str; 2] = ["session", "next"];

impl AdviceRecord {
    /// The records of `advice`, one per decision, given at `at` (RFC 3339) after `from`
    /// (one of [`ADVICE_FROM`]).
    #[must_use]
    pub fn all(advice: &crate::coach::Advice, at: &str, from: &str) -> Vec<AdviceRecord> {
        advice
            .exercises
            .iter()
            .map(|d| AdviceRecord {
                v: VERSION,
                at: at.to_owned(),
                from: from.to_owned(),
                preset: advice.preset.clone(),
                week: advice.week,
                exercise: d.exercise.clone(),
                side: d.side.clone(),
                decision: d.decision.name().to_owned(),
                change: d.change.clone(),
                load: d.load.clone(),
                stage: d.stage.clone(),
                reason: d.reason.clone(),
                rule: d.rule.clone(),
                source: d.source.clone(),
            })
            .collect()
    }

    fn check(&self, now: jiff::Timestamp) -> Result<(), Invalid> {
        time("at", &self.at, now)?;
        let one_of = |field: &'static str, value: &str, allowed: &[&'static str]| {
            if allowed.contains(&value) {
                Ok(())
            } else {
                Err(Invalid::OneOf {
                    field,
                    value: value.to_owned(),
                    allowed: allowed.join(", "),
                })
            }
        };
        one_of("from", &self.from, &ADVICE_FROM)?;
        one_of("side", &self.side, &Side::ALL.map(Side::name))?;
        one_of("decision", &self.decision, &DECISIONS)?;
        if self.week == Some(0) {
            return Err(Invalid::range("week", 0.0, "1 or more"));
        }
        if let Some(load) = &self.load {
            check_load(load.value, &load.unit)?;
        }
        for (field, text) in [
            ("preset", &self.preset),
            ("exercise", &self.exercise),
            ("rule", &self.rule),
            ("source", &self.source),
        ] {
            if text.trim().is_empty() {
                return Err(Invalid::Empty(field));
            }
        }
        Ok(())
    }
}

impl SetRecord {
    /// The record of `outcome`, a set of `plan` run on `clock`, in a session that
    /// started at clock reading `session_start`.
    #[must_use]
    pub fn new(
        plan: &Plan,
        outcome: &SetOutcome,
        clock: &dyn Clock,
        session_start: crate::span::Span,
    ) -> SetRecord {
        let block = &plan.blocks[outcome.block];
        let (planned_reps, tempo, hold_s, planned_hold_s, cadence_bpm, duration_s) =
            match block.work {
                PlannedWork::Reps { reps, tempo, .. } => {
                    (Some(reps), Some(tempo.to_string()), None, None, None, None)
                }
                PlannedWork::Hold(len) => (
                    None,
                    None,
                    Some(outcome.work_spent.as_secs_f64()),
                    Some(len.as_secs_f64()),
                    None,
                    None,
                ),
                PlannedWork::Cadence { bpm, .. } => (
                    None,
                    None,
                    None,
                    None,
                    Some(bpm),
                    Some(outcome.work_spent.as_secs_f64()),
                ),
            };
        let mut record = SetRecord {
            v: VERSION,
            start: clock.datetime(outcome.started),
            end: clock.datetime(outcome.ended),
            preset: plan.preset.clone(),
            exercise: block.exercise.clone(),
            side: outcome.side.name().to_owned(),
            set: outcome.set,
            sets: block.sets,
            planned_reps,
            done_reps: outcome.done_reps,
            hold_s,
            tempo,
            tut_s: outcome.tut_spent.as_secs_f64(),
            load: None,
            pain: None,
            rpe: None,
            note: None,
            status: match outcome.status {
                SetStatus::Done => "done",
                SetStatus::Stopped => "stopped",
            }
            .to_owned(),
            session: Some(clock.datetime(session_start)),
            week: plan.week.map(|w| w.number),
            planned_hold_s,
            cadence_bpm,
            duration_s,
            target: None,
            speed: None,
        };
        if let Some(load) = block.load {
            record.set_load(load);
        }
        record
    }

    /// Records `load`: a prescription (`6RM`, `70%MVC`) as the target, anything else as
    /// what was lifted. The form's load goes in here too, so a typed `6RM` is never
    /// taken for kilograms.
    pub fn set_load(&mut self, load: Load) {
        if load.unit.is_prescription() {
            self.target = Some(load.to_string());
        } else {
            self.load = Some(LoadRecord::from(load));
        }
    }

    /// The record of a run at `speed` (1 is real time): any other speed marks a preview.
    #[must_use]
    pub fn with_speed(mut self, speed: f64) -> SetRecord {
        self.speed = ((speed - 1.0).abs() > f64::EPSILON).then_some(speed);
        self
    }

    /// Whether the set counts as training: a run at any speed but 1 is a preview, and
    /// previews never count in stats, the programme week, "last time", the last load or
    /// the pain light. Every piece of advice reads sets through
    /// [`crate::log::history::training_sets`], which asks this.
    #[must_use]
    pub fn is_training(&self) -> bool {
        self.speed.is_none_or(|s| (s - 1.0).abs() <= f64::EPSILON)
    }

    /// Old lines kept a prescription in `load` (`{"value":6,"unit":"RM"}`): it is read as
    /// the target, and `load` holds only what was lifted.
    fn normalise(&mut self) {
        let prescription = self
            .load
            .as_ref()
            .and_then(|l| prescription_load(l.value, &l.unit));
        if let Some(p) = prescription {
            self.load = None;
            if self.target.is_none() {
                self.target = Some(p.to_string());
            }
        }
    }

    fn check(&self, now: jiff::Timestamp) -> Result<(), Invalid> {
        self.view().check(now)
    }
}

/// The prescription an old line kept in `load` (`{"value":6,"unit":"RM"}`), if it is one.
pub(super) fn prescription_load(value: Option<f64>, unit: &str) -> Option<Load> {
    LoadRecord {
        value,
        unit: unit.to_owned(),
    }
    .to_load()
    .filter(|l| l.unit.is_prescription())
}

/// The checks of a set, on the view both the owned record and the fast read path have.
impl super::view::SetView<'_> {
    /// As [`Record::check`] for a set.
    ///
    /// # Errors
    /// The first field that fails, as [`Invalid`].
    pub fn check(&self, now: jiff::Timestamp) -> Result<(), Invalid> {
        time("start", &self.start, now)?;
        // `session` is not checked: it is only ever a key that groups a session's
        // sets, never read as a time, and a hand-made log may use any label.
        time("end", &self.end, now)?;
        if self.sets == 0 {
            return Err(Invalid::Sets(self.sets));
        }
        if self.set == 0 || self.set > self.sets {
            return Err(Invalid::Set {
                set: self.set,
                sets: self.sets,
            });
        }
        for (field, reps) in [
            ("planned_reps", self.planned_reps),
            ("done_reps", self.done_reps),
        ] {
            if let Some(n) = reps.filter(|&n| n > MAX_REPS) {
                return Err(Invalid::range(field, f64::from(n), "0-10000"));
            }
        }
        if let Some(p) = self.pain {
            score("pain", f64::from(p))?;
        }
        if let Some(r) = self.rpe {
            score("rpe", r)?;
        }
        for (field, value) in [
            ("tut_s", Some(self.tut_s)),
            ("hold_s", self.hold_s),
            ("planned_hold_s", self.planned_hold_s),
            ("cadence_bpm", self.cadence_bpm),
            ("duration_s", self.duration_s),
        ] {
            if let Some(v) = value.filter(|v| !v.is_finite() || *v < 0.0) {
                return Err(Invalid::range(field, v, "0 or more"));
            }
        }
        if let Some(load) = &self.load {
            check_load(load.value, &load.unit)?;
        }
        if let Some(target) = &self.target {
            let ok = target
                .parse::<Load>()
                .is_ok_and(|l| l.unit.is_prescription());
            if !ok {
                return Err(Invalid::Target(target.to_string()));
            }
        }
        if let Some(s) = self.speed.filter(|s| !s.is_finite() || *s <= 0.0) {
            return Err(Invalid::range("speed", s, "more than 0"));
        }
        Ok(())
    }
}

/// Reps beyond this in one set are a typing or writing error, not training.
const MAX_REPS: u32 = 10_000;

/// The heaviest load taken as real, in kg: a cap far above any lift, which stops a
/// damaged value (1e308) from swamping a week's volume.
pub const MAX_LOAD_KG: f64 = 10_000.0;

/// Why a record read back cannot be used. Each is one clause naming the field, for
/// `sets.jsonl:7: skipped: pain 200 is not 0-10`.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Invalid {
    #[error("{field} {value} is not {range}")]
    Range {
        field: &'static str,
        value: String,
        range: &'static str,
    },
    #[error("sets {0} is not 1 or more")]
    Sets(u32),
    #[error("set {set} is not 1-{sets} (sets {sets})")]
    Set { set: u32, sets: u32 },
    #[error("{field} {value:?} is not an RFC 3339 time")]
    Time { field: &'static str, value: String },
    #[error("{field} {value} is in the future")]
    Future { field: &'static str, value: String },
    #[error("load unit {0:?} is not kg, lb or bodyweight")]
    LoadUnit(String),
    #[error("target {0:?} is not a prescription such as 6RM, 70%1RM or 70%MVC")]
    Target(String),
    #[error("{field} {value:?} is not one of {allowed}")]
    OneOf {
        field: &'static str,
        value: String,
        allowed: String,
    },
    #[error("{0} is empty")]
    Empty(&'static str),
}

impl Invalid {
    fn range(field: &'static str, value: f64, range: &'static str) -> Invalid {
        // A damaged number (1e308) is shown as such, not as 309 digits.
        let value = if value.abs() < 1e9 {
            value.to_string()
        } else {
            format!("{value:e}")
        };
        Invalid::Range {
            field,
            value,
            range,
        }
    }
}

/// A time before the clock moved back a little still counts: the clock may be corrected
/// (by NTP) just after a set is written, and that set is not "in the future".
const CLOCK_SLACK: jiff::SignedDuration = jiff::SignedDuration::from_secs(60);

fn time(field: &'static str, value: &str, now: jiff::Timestamp) -> Result<(), Invalid> {
    let at: jiff::Timestamp = value.parse().map_err(|_| Invalid::Time {
        field,
        value: value.to_owned(),
    })?;
    if at.duration_since(now) > CLOCK_SLACK {
        return Err(Invalid::Future {
            field,
            value: value.to_owned(),
        });
    }
    Ok(())
}

fn score(field: &'static str, value: f64) -> Result<(), Invalid> {
    if (0.0..=10.0).contains(&value) {
        Ok(())
    } else {
        Err(Invalid::range(field, value, "0-10"))
    }
}

fn check_load(value: Option<f64>, unit: &str) -> Result<(), Invalid> {
    let per_kg = match unit {
        "kg" | "bodyweight" => 1.0,
        "lb" => 1.0 / 0.453_592_37,
        other => return Err(Invalid::LoadUnit(other.to_owned())),
    };
    let Some(value) = value else {
        return Ok(());
    };
    if !(value.is_finite() && value >= 0.0 && value <= MAX_LOAD_KG * per_kg) {
        let range = if unit == "lb" {
            "0-22046 lb (10000 kg)"
        } else {
            "0-10000 kg"
        };
        return Err(Invalid::range("load", value, range));
    }
    Ok(())
}

/// The checks of a morning pain score.
pub(super) fn check_pain(at: &str, pain: u8, now: jiff::Timestamp) -> Result<(), Invalid> {
    time("at", at, now)?;
    score("pain", f64::from(pain))
}

impl Record {
    /// The schema version the line was written with.
    #[must_use]
    pub fn version(&self) -> u32 {
        match self {
            Record::Set(r) => r.v,
            Record::Pain(p) => p.v,
            Record::Advice(a) => a.v,
        }
    }

    /// The record as one line of JSON, without the newline: `{"kind":"set","v":1,...}`.
    #[must_use]
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).expect("records always serialise")
    }

    /// The record as this version reads it: a prescription in an old line's `load` moves
    /// to `target`. The one place old lines are brought up to date.
    pub fn normalise(&mut self) {
        if let Record::Set(r) = self {
            r.normalise();
        }
    }

    /// Whether the values can be trusted: scores 0-10, loads and times finite and not
    /// negative, loads at most [`MAX_LOAD_KG`], times RFC 3339 and not after `now`,
    /// `1 <= set <= sets`, reps at most 10,000; for advice, a known decision, side and
    /// origin, a week from 1, and a named preset, exercise, rule and source.
    ///
    /// # Errors
    /// The first field that fails, as [`Invalid`].
    pub fn check(&self, now: jiff::Timestamp) -> Result<(), Invalid> {
        match self {
            Record::Set(r) => r.check(now),
            Record::Pain(p) => check_pain(&p.at, p.pain, now),
            Record::Advice(a) => a.check(now),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::plan::Overrides;
    use crate::preset::{Preset, Side};
    use crate::span::Span;

    fn record_with(load: &str, speed: f64) -> SetRecord {
        let text = format!(
            "id = \"t\"\nname = \"T\"\ndescription = \"d\"\nsource = \"S\"\n[[block]]\nexercise = \"Squat\"\nreps = 2\ntempo = \"1-0-1-0\"\nsets = 2\nrest = \"30s\"\nload = \"{load}\"\n"
        );
        let preset = Preset::parse(&text, std::path::Path::new("t.toml")).unwrap();
        let plan = Plan::build(&preset, &Overrides::default()).unwrap();
        let outcome = SetOutcome {
            block: 0,
            set: 1,
            side: Side::Both,
            status: SetStatus::Done,
            done_reps: Some(2),
            done_work: Span::from_secs(4),
            tut: Span::from_secs(4),
            work_spent: Span::from_secs(4),
            tut_spent: Span::from_secs(4),
            started: Span::ZERO,
            ended: Span::from_secs(4),
            speed: 1.0,
        };
        SetRecord::new(&plan, &outcome, &crate::clock::Fake::new(), Span::ZERO).with_speed(speed)
    }

    fn now() -> jiff::Timestamp {
        "2026-12-01T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn a_prescription_is_the_target_and_a_lifted_load_is_the_load() {
        let r = record_with("6RM", 1.0);
        assert_eq!((r.target.as_deref(), r.load.as_ref()), (Some("6RM"), None));
        let r = record_with("70%MVC", 1.0);
        assert_eq!(r.target.as_deref(), Some("70%MVC"));
        let r = record_with("80kg", 1.0);
        assert_eq!(r.target, None);
        assert_eq!(r.load.unwrap().to_string(), "80kg");
    }

    #[test]
    fn a_normal_line_looks_as_before_and_a_preview_says_its_speed() {
        let line = Record::Set(record_with("80kg", 1.0)).to_line();
        assert!(
            !line.contains("target") && !line.contains("speed"),
            "{line}"
        );
        let preview = record_with("80kg", 10.0);
        assert!(!preview.is_training());
        assert!(Record::Set(preview).to_line().contains(r#""speed":10.0"#));
        assert!(record_with("80kg", 1.0).is_training());
    }

    #[test]
    fn an_old_line_with_a_prescription_as_load_reads_it_as_the_target() {
        let mut r = record_with("80kg", 1.0);
        r.load = Some(LoadRecord {
            value: Some(70.0),
            unit: "%1RM".to_owned(),
        });
        let mut record = Record::Set(r);
        record.normalise();
        let Record::Set(r) = record else {
            unreachable!()
        };
        assert_eq!((r.target.as_deref(), r.load), (Some("70%1RM"), None));
    }

    #[test]
    fn each_bad_value_is_named() {
        type Spoil = fn(&mut SetRecord);
        let cases: [(&str, Spoil); 12] = [
            ("pain 200 is not 0-10", |r| r.pain = Some(200)),
            ("rpe 11 is not 0-10", |r| r.rpe = Some(11.0)),
            ("tut_s -1 is not 0 or more", |r| r.tut_s = -1.0),
            ("sets 0 is not 1 or more", |r| r.sets = 0),
            ("set 3 is not 1-2 (sets 2)", |r| r.set = 3),
            ("done_reps 20000 is not 0-10000", |r| {
                r.done_reps = Some(20_000);
            }),
            ("load 1e308 is not 0-10000 kg", |r| {
                r.load.as_mut().unwrap().value = Some(1e308);
            }),
            ("load unit \"stone\" is not kg, lb or bodyweight", |r| {
                r.load.as_mut().unwrap().unit = "stone".to_owned();
            }),
            ("start \"yesterday\" is not an RFC 3339 time", |r| {
                r.start = "yesterday".to_owned();
            }),
            ("end 2026-12-02T08:00:00+01:00 is in the future", |r| {
                r.end = "2026-12-02T08:00:00+01:00".to_owned();
            }),
            ("target \"heavy\" is not a prescription", |r| {
                r.target = Some("heavy".to_owned());
            }),
            ("speed 0 is not more than 0", |r| r.speed = Some(0.0)),
        ];
        assert_eq!(Record::Set(record_with("80kg", 1.0)).check(now()), Ok(()));
        for (message, spoil) in cases {
            let mut r = record_with("80kg", 1.0);
            spoil(&mut r);
            let error = Record::Set(r).check(now()).unwrap_err().to_string();
            assert!(error.starts_with(message), "{error} for {message}");
        }
        let morning = |pain| {
            Record::Pain(PainRecord {
                v: 1,
                at: "2026-11-30T07:00:00+01:00".to_owned(),
                pain,
                note: None,
            })
        };
        assert_eq!(morning(3).check(now()), Ok(()));
        assert_eq!(
            morning(11).check(now()).unwrap_err().to_string(),
            "pain 11 is not 0-10"
        );
    }

    /// An advice record as `next --record` writes it.
    pub(crate) fn advice() -> AdviceRecord {
        AdviceRecord {
            v: 1,
            at: "2026-11-30T19:00:00+01:00".to_owned(),
            from: "session".to_owned(),
            preset: "hsr".to_owned(),
            week: Some(3),
            exercise: "Squat".to_owned(),
            side: "both".to_owned(),
            decision: "regress".to_owned(),
            change: Some("-10%".to_owned()),
            load: Some(LoadRecord {
                value: Some(72.0),
                unit: "kg".to_owned(),
            }),
            stage: None,
            reason: "2026-11-30 session: pain during a set reached 6/10, above 5/10".to_owned(),
            rule: "pain during exercise above 5/10".to_owned(),
            source: "Silbernagel KG et al. 2007".to_owned(),
        }
    }

    #[test]
    fn an_advice_record_round_trips_with_its_kind_and_version() {
        let record = Record::Advice(advice());
        let line = record.to_line();
        assert!(
            line.starts_with(r#"{"kind":"advice","v":1,"at":"#),
            "{line}"
        );
        let back: Record = serde_json::from_str(&line).unwrap();
        assert_eq!(back, record);
        assert_eq!(back.version(), 1);
        assert_eq!(back.check(now()), Ok(()));
    }

    #[test]
    fn each_bad_advice_value_is_named() {
        type Spoil = fn(&mut AdviceRecord);
        let cases: [(&str, Spoil); 9] = [
            (
                "decision \"maybe\" is not one of progress, hold, regress, stage",
                |a| "maybe".clone_into(&mut a.decision),
            ),
            ("from \"cron\" is not one of session, next", |a| {
                "cron".clone_into(&mut a.from);
            }),
            ("side \"up\" is not one of both, left, right", |a| {
                "up".clone_into(&mut a.side);
            }),
            ("week 0 is not 1 or more", |a| a.week = Some(0)),
            ("load -5 is not 0-10000 kg", |a| {
                a.load.as_mut().unwrap().value = Some(-5.0);
            }),
            ("load unit \"RM\" is not kg, lb or bodyweight", |a| {
                a.load.as_mut().unwrap().unit = "RM".to_owned();
            }),
            ("at \"soon\" is not an RFC 3339 time", |a| {
                "soon".clone_into(&mut a.at);
            }),
            ("at 2026-12-24T08:00:00+01:00 is in the future", |a| {
                "2026-12-24T08:00:00+01:00".clone_into(&mut a.at);
            }),
            ("rule is empty", |a| a.rule.clear()),
        ];
        for (message, spoil) in cases {
            let mut a = advice();
            spoil(&mut a);
            let error = Record::Advice(a).check(now()).unwrap_err().to_string();
            assert_eq!(error, message);
        }
    }
}
