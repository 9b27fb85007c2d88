//! Records borrowed from the line they were read from, for the commands that read the
//! whole log (`stats`, `log --csv`): a text field is a slice of the line unless it holds
//! an escape, so reading a line allocates nothing in the common case.
//!
//! A view is normalised and checked by the same rules as the owned record
//! ([`super::record`]): `SetRecord::check` itself goes through [`SetRecord::view`].

use std::borrow::Cow;

use serde::Deserialize;

use super::record::{Invalid, PainRecord, SetRecord, prescription_load};

/// A load as stored, borrowed.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct LoadView<'a> {
    pub value: Option<f64>,
    #[serde(borrow)]
    pub unit: Cow<'a, str>,
}

/// A set line, borrowed: the fields of [`SetRecord`], and `kind`, which must be `set`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct SetView<'a> {
    #[serde(borrow)]
    pub kind: Cow<'a, str>,
    pub v: u32,
    #[serde(borrow)]
    pub start: Cow<'a, str>,
    #[serde(borrow)]
    pub end: Cow<'a, str>,
    #[serde(borrow)]
    pub preset: Cow<'a, str>,
    #[serde(borrow)]
    pub exercise: Cow<'a, str>,
    #[serde(borrow)]
    pub side: Cow<'a, str>,
    pub set: u32,
    pub sets: u32,
    pub planned_reps: Option<u32>,
    pub done_reps: Option<u32>,
    pub hold_s: Option<f64>,
    #[serde(borrow)]
    pub tempo: Option<Cow<'a, str>>,
    pub tut_s: f64,
    #[serde(borrow)]
    pub load: Option<LoadView<'a>>,
    pub pain: Option<u8>,
    pub rpe: Option<f64>,
    #[serde(borrow)]
    pub note: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub status: Cow<'a, str>,
    #[serde(default, borrow)]
    pub session: Option<Cow<'a, str>>,
    #[serde(default)]
    pub week: Option<u32>,
    #[serde(default)]
    pub planned_hold_s: Option<f64>,
    #[serde(default)]
    pub cadence_bpm: Option<f64>,
    #[serde(default)]
    pub duration_s: Option<f64>,
    #[serde(default, borrow)]
    pub target: Option<Cow<'a, str>>,
    #[serde(default)]
    pub speed: Option<f64>,
}

/// A morning pain line, borrowed; `kind` must be `pain`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct PainView<'a> {
    #[serde(borrow)]
    pub kind: Cow<'a, str>,
    pub v: u32,
    #[serde(borrow)]
    pub at: Cow<'a, str>,
    pub pain: u8,
    #[serde(borrow)]
    pub note: Option<Cow<'a, str>>,
}

fn borrow(s: &str) -> Cow<'_, str> {
    Cow::Borrowed(s)
}

impl SetRecord {
    /// The record as a view, borrowing its text.
    #[must_use]
    pub fn view(&self) -> SetView<'_> {
        SetView {
            kind: borrow("set"),
            v: self.v,
            start: borrow(&self.start),
            end: borrow(&self.end),
            preset: borrow(&self.preset),
            exercise: borrow(&self.exercise),
            side: borrow(&self.side),
            set: self.set,
            sets: self.sets,
            planned_reps: self.planned_reps,
            done_reps: self.done_reps,
            hold_s: self.hold_s,
            tempo: self.tempo.as_deref().map(borrow),
            tut_s: self.tut_s,
            load: self.load.as_ref().map(|l| LoadView {
                value: l.value,
                unit: borrow(&l.unit),
            }),
            pain: self.pain,
            rpe: self.rpe,
            note: self.note.as_deref().map(borrow),
            status: borrow(&self.status),
            session: self.session.as_deref().map(borrow),
            week: self.week,
            planned_hold_s: self.planned_hold_s,
            cadence_bpm: self.cadence_bpm,
            duration_s: self.duration_s,
            target: self.target.as_deref().map(borrow),
            speed: self.speed,
        }
    }
}

impl PainRecord {
    /// The record as a view, borrowing its text.
    #[must_use]
    pub fn view(&self) -> PainView<'_> {
        PainView {
            kind: borrow("pain"),
            v: self.v,
            at: borrow(&self.at),
            pain: self.pain,
            note: self.note.as_deref().map(borrow),
        }
    }
}

impl SetView<'_> {
    /// As [`SetRecord::is_training`]: a run at any speed but 1 is a preview.
    #[must_use]
    pub fn is_training(&self) -> bool {
        self.speed.is_none_or(|s| (s - 1.0).abs() <= f64::EPSILON)
    }

    /// The key that groups a session's sets: `session`, else (old lines) the set alone.
    #[must_use]
    pub fn session_key(&self) -> &str {
        self.session.as_deref().unwrap_or(&self.start)
    }

    /// As [`super::Record::normalise`]: a prescription in `load` moves to `target`.
    pub fn normalise(&mut self) {
        let Some(load) = &self.load else { return };
        // The units reptempo writes are never prescriptions: no need to parse them.
        if matches!(load.unit.as_ref(), "kg" | "lb" | "bodyweight") {
            return;
        }
        if let Some(p) = prescription_load(load.value, &load.unit) {
            self.load = None;
            if self.target.is_none() {
                self.target = Some(Cow::Owned(p.to_string()));
            }
        }
    }
}

impl PainView<'_> {
    /// As [`super::Record::check`] for a pain record.
    ///
    /// # Errors
    /// The first field that fails, as [`Invalid`].
    pub fn check(&self, now: jiff::Timestamp) -> Result<(), Invalid> {
        super::record::check_pain(&self.at, self.pain, now)
    }
}
