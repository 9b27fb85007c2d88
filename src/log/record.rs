//! The records of the set log. Field names are a contract: add, never rename or drop.

use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::load::Load;
use crate::plan::{Plan, PlannedWork};
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
                    Some(outcome.done_work.as_secs_f64()),
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
                    Some(outcome.done_work.as_secs_f64()),
                ),
            };
        SetRecord {
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
            tut_s: outcome.tut.as_secs_f64(),
            load: block.load.map(LoadRecord::from),
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
        }
    }
}

impl Record {
    /// The schema version the line was written with.
    #[must_use]
    pub fn version(&self) -> u32 {
        match self {
            Record::Set(r) => r.v,
            Record::Pain(p) => p.v,
        }
    }

    /// The record as one line of JSON, without the newline: `{"kind":"set","v":1,...}`.
    #[must_use]
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).expect("records always serialise")
    }
}
