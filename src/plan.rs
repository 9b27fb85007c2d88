//! The plan: the pure expansion of a preset plus command-line overrides into a flat
//! timeline of segments and the cues on it. Everything that runs a session, renders it
//! or shows it reads the same plan.
//!
//! Every offset is whole microseconds from the session start, computed by integer
//! arithmetic, so a 60-minute session's last cue is as exact as its first. Cadence beats
//! are placed from their own index (`start + round(k * 60 s / bpm)`), never by adding a
//! rounded interval to the previous beat.

use std::str::FromStr;

mod timeline;

pub use timeline::{Cue, CueKind, Segment, SegmentKind};

use crate::load::Load;
use crate::preset::{Block, Preset, Side, Sides, StartPhase, Work};
use crate::span::{self, Span};
use crate::tempo::{Phase, Tempo};

/// Values from the command line that replace the preset's.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overrides {
    pub week: Option<u32>,
    pub sets: Option<u32>,
    pub reps: Option<u32>,
    pub tempo: Option<Tempo>,
    pub hold: Option<Span>,
    pub rest: Option<Span>,
    pub load: Option<Load>,
    pub side: Option<Side>,
    pub lead_in: Option<Span>,
    pub cadence: Option<CadenceSetting>,
    pub duration: Option<Span>,
}

/// `--cadence 172` or `--cadence +5%` (relative to the preset's rate).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CadenceSetting {
    Bpm(f64),
    Percent(f64),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "cadence {0:?} is not a cadence: use beats a minute (170) or a change in percent (+5%, +10%)"
)]
pub struct CadenceError(String);

impl FromStr for CadenceSetting {
    type Err = CadenceError;
    fn from_str(text: &str) -> Result<CadenceSetting, CadenceError> {
        let t = text.trim();
        let bad = || CadenceError(text.to_owned());
        if let Some(pct) = t.strip_suffix('%') {
            let v: f64 = pct.trim().parse().map_err(|_| bad())?;
            if !v.is_finite() || v <= -50.0 || v > 100.0 {
                return Err(bad());
            }
            return Ok(CadenceSetting::Percent(v));
        }
        let v: f64 = t.parse().map_err(|_| bad())?;
        if !(1.0..=400.0).contains(&v) || t.starts_with('+') {
            return Err(bad());
        }
        Ok(CadenceSetting::Bpm(v))
    }
}

/// Why a preset and overrides make no plan.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    #[error("preset {preset:?} has no week table, so --week does not apply")]
    NoProgram { preset: String },
    #[error("--week {week} is outside the program: {preset:?} has weeks 1-{weeks}")]
    WeekOutside {
        preset: String,
        week: u32,
        weeks: u32,
    },
    #[error("{flag} applies to {kind} blocks, and preset {preset:?} has none")]
    NotApplicable {
        flag: &'static str,
        kind: &'static str,
        preset: String,
    },
    #[error("--cadence makes {bpm:.1} beats a minute for {exercise:?}; it must be from 1 to 400")]
    CadenceRange { exercise: String, bpm: f64 },
    #[error("the session would last {0}; the limit is 24 hours")]
    TooLong(String),
    #[error("week {week}: {inner}")]
    InWeek { week: u32, inner: Box<PlanError> },
}

/// Builds the plan of every week of `preset` (or its one plan), as `check` does, so a
/// preset that passes is one that `show` and `start` accept in any week.
///
/// # Errors
/// The first week whose plan cannot be built.
pub fn check_every_week(preset: &Preset) -> Result<(), PlanError> {
    let weeks = if preset.week_table.is_empty() {
        0
    } else {
        preset.program_weeks().unwrap_or(0)
    };
    Plan::build(preset, &Overrides::default())?;
    for week in 2..=weeks {
        let o = Overrides {
            week: Some(week),
            ..Overrides::default()
        };
        Plan::build(preset, &o).map_err(|e| PlanError::InWeek {
            week,
            inner: Box::new(e),
        })?;
    }
    Ok(())
}

/// One block as it will run: the preset's values with the week and the overrides applied.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedBlock {
    pub exercise: String,
    pub work: PlannedWork,
    pub sets: u32,
    pub rest: Span,
    pub rest_after: Span,
    pub switch: Span,
    /// The preset's arrangement of sides.
    pub sides: Sides,
    /// `--side`: every set on this side only.
    pub side: Option<Side>,
    pub load: Option<Load>,
    pub notes: Option<String>,
    /// The work of one set on one side.
    pub set_work: Span,
    /// Time under tension of the whole block.
    pub tut: Span,
    /// Where the block's first set starts, and where its last rest ends.
    pub start: Span,
    pub end: Span,
}

impl PlannedBlock {
    /// How the sets are spread over the sides, `--side` applied.
    #[must_use]
    pub fn arrangement(&self) -> Sides {
        self.side.map_or(self.sides, Sides::Only)
    }

    /// The time of one set: both sides and the switch between them for `each`.
    #[must_use]
    pub fn set_time(&self) -> Span {
        match self.arrangement() {
            Sides::Each => self.set_work.times(2) + self.switch,
            _ => self.set_work,
        }
    }
}

/// The length of a session of `blocks` after the lead-in, as [`Plan::lay_out`] lays it
/// (saturating, so that an absurd preset is measured, not wrapped).
fn session_length(blocks: &[PlannedBlock]) -> Span {
    let sets: Span = blocks
        .iter()
        .map(|b| b.set_time().times(u64::from(b.sets)) + b.rest.times(u64::from(b.sets - 1)))
        .sum();
    let between: Span = blocks
        .iter()
        .take(blocks.len().saturating_sub(1))
        .map(|b| b.rest_after)
        .sum();
    sets + between
}

/// What one set of a planned block asks for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PlannedWork {
    Reps {
        reps: u32,
        tempo: Tempo,
        start: StartPhase,
        eccentric_only: bool,
        explosive: Span,
    },
    Hold(Span),
    Cadence {
        bpm: f64,
        duration: Span,
    },
}

impl PlannedWork {
    /// "reps", "hold" or "cadence", as in `show --json`.
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            PlannedWork::Reps { .. } => "reps",
            PlannedWork::Hold(_) => "hold",
            PlannedWork::Cadence { .. } => "cadence",
        }
    }

    /// The phases of one rep in the order they are done, with their lengths.
    fn rep_phases(&self) -> Vec<(Phase, Span)> {
        let PlannedWork::Reps {
            tempo,
            start,
            explosive,
            ..
        } = self
        else {
            return Vec::new();
        };
        let order = match start {
            StartPhase::Eccentric => Phase::ALL,
            StartPhase::Concentric => [
                Phase::Concentric,
                Phase::TopPause,
                Phase::Eccentric,
                Phase::BottomPause,
            ],
        };
        order
            .into_iter()
            .map(|p| (p, tempo.seconds(p, *explosive)))
            .filter(|(_, len)| !len.is_zero())
            .collect()
    }

    /// Whether a segment of this work counts as time under tension: a hold, and the
    /// phases of a rep that move under load (not an eccentric-only set's return, nor a
    /// pause). The one rule for the plan's totals and for what a session measures.
    #[must_use]
    pub fn is_tension(&self, kind: SegmentKind) -> bool {
        let eccentric_only = matches!(
            self,
            PlannedWork::Reps {
                eccentric_only: true,
                ..
            }
        );
        match kind {
            SegmentKind::Hold => true,
            SegmentKind::Phase(phase) => {
                phase == Phase::Eccentric || (phase == Phase::Concentric && !eccentric_only)
            }
            _ => false,
        }
    }

    /// Time under tension of one set on one side.
    fn set_tut(&self) -> Span {
        match self {
            PlannedWork::Reps { reps, .. } => self
                .rep_phases()
                .into_iter()
                .filter(|(p, _)| self.is_tension(SegmentKind::Phase(*p)))
                .map(|(_, len)| len)
                .sum::<Span>()
                .times(u64::from(*reps)),
            PlannedWork::Hold(len) => *len,
            PlannedWork::Cadence { .. } => Span::ZERO,
        }
    }

    fn set_work(&self) -> Span {
        match self {
            PlannedWork::Reps { reps, .. } => self
                .rep_phases()
                .into_iter()
                .map(|(_, len)| len)
                .sum::<Span>()
                .times(u64::from(*reps)),
            PlannedWork::Hold(len) => *len,
            PlannedWork::Cadence { duration, .. } => *duration,
        }
    }
}

/// The week a plan was made for, and the program's length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Week {
    pub number: u32,
    pub of: u32,
}

/// A preset expanded for one session.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub preset: String,
    pub name: String,
    pub source: String,
    pub week: Option<Week>,
    pub lead_in: Span,
    pub blocks: Vec<PlannedBlock>,
    pub segments: Vec<Segment>,
    pub cues: Vec<Cue>,
}

impl Plan {
    /// The whole session, lead-in included.
    #[must_use]
    pub fn total(&self) -> Span {
        self.segments.last().map_or(Span::ZERO, |s| s.end)
    }

    /// Time under tension of the whole session.
    #[must_use]
    pub fn tut(&self) -> Span {
        self.blocks.iter().map(|b| b.tut).sum()
    }

    /// Expands `preset` with `overrides` into a plan.
    ///
    /// # Errors
    /// A [`PlanError`] when an override does not fit the preset (a week outside the
    /// program, `--reps` for a preset with no reps blocks ...).
    pub fn build(preset: &Preset, overrides: &Overrides) -> Result<Plan, PlanError> {
        let week = choose_week(preset, overrides.week)?;
        check_overrides_apply(preset, overrides)?;
        let row = week.and_then(|w| preset.week_row(w.number));
        let blocks = preset
            .blocks
            .iter()
            .map(|b| plan_block(preset, b, row, overrides))
            .collect::<Result<Vec<_>, _>>()?;
        let lead_in = overrides.lead_in.unwrap_or(preset.lead_in);
        let total = lead_in + session_length(&blocks);
        if total > span::MAX {
            return Err(PlanError::TooLong(total.clock()));
        }
        let mut plan = Plan {
            preset: preset.id.clone(),
            name: preset.name.clone(),
            source: preset.source.clone(),
            week,
            lead_in,
            blocks,
            segments: Vec::new(),
            cues: Vec::new(),
        };
        plan.lay_out();
        Ok(plan)
    }
}

fn choose_week(preset: &Preset, asked: Option<u32>) -> Result<Option<Week>, PlanError> {
    let weeks = preset
        .program_weeks()
        .filter(|_| !preset.week_table.is_empty());
    match (asked, weeks) {
        (Some(_), None) => Err(PlanError::NoProgram {
            preset: preset.id.clone(),
        }),
        (Some(n), Some(of)) if n == 0 || n > of => Err(PlanError::WeekOutside {
            preset: preset.id.clone(),
            week: n,
            weeks: of,
        }),
        (Some(n), Some(of)) => Ok(Some(Week { number: n, of })),
        (None, Some(of)) => Ok(Some(Week { number: 1, of })),
        (None, None) => Ok(None),
    }
}

fn check_overrides_apply(preset: &Preset, o: &Overrides) -> Result<(), PlanError> {
    let has = |kind: &str| preset.blocks.iter().any(|b| work_kind(&b.work) == kind);
    let checks: [(bool, &'static str, &'static str); 5] = [
        (o.reps.is_some(), "--reps", "reps"),
        (o.tempo.is_some(), "--tempo", "reps"),
        (o.hold.is_some(), "--hold", "hold"),
        (o.cadence.is_some(), "--cadence", "cadence"),
        (o.duration.is_some(), "--duration", "cadence"),
    ];
    for (given, flag, kind) in checks {
        if given && !has(kind) {
            return Err(PlanError::NotApplicable {
                flag,
                kind,
                preset: preset.id.clone(),
            });
        }
    }
    Ok(())
}

fn work_kind(work: &Work) -> &'static str {
    match work {
        Work::Reps { .. } => "reps",
        Work::Hold(_) => "hold",
        Work::Cadence { .. } => "cadence",
    }
}

fn plan_block(
    preset: &Preset,
    block: &Block,
    row: Option<&crate::preset::WeekRow>,
    o: &Overrides,
) -> Result<PlannedBlock, PlanError> {
    let is_reps = matches!(block.work, Work::Reps { .. });
    // The week table applies to reps blocks; a flag beats both.
    let row = row.filter(|_| is_reps);
    let work = match block.work {
        Work::Reps {
            reps,
            tempo,
            start,
            eccentric_only,
        } => PlannedWork::Reps {
            reps: o
                .reps
                .or(row.and_then(|r| r.reps))
                .or(reps)
                .expect("validation guarantees reps from the block or the week table"),
            tempo: o.tempo.unwrap_or(tempo),
            start,
            eccentric_only,
            explosive: preset.explosive,
        },
        Work::Hold(len) => PlannedWork::Hold(o.hold.unwrap_or(len)),
        Work::Cadence { bpm, duration } => {
            let bpm = match o.cadence {
                Some(CadenceSetting::Bpm(v)) => v,
                // To a hundredth of a beat: 170 + 10 % is 187, not 187.00000000000003.
                Some(CadenceSetting::Percent(p)) => (bpm * (100.0 + p)).round() / 100.0,
                None => bpm,
            };
            if !(1.0..=400.0).contains(&bpm) {
                return Err(PlanError::CadenceRange {
                    exercise: block.exercise.clone(),
                    bpm,
                });
            }
            PlannedWork::Cadence {
                bpm,
                duration: o.duration.unwrap_or(duration),
            }
        }
    };
    let sets = o
        .sets
        .or(row.and_then(|r| r.sets))
        .or(block.sets)
        .expect("validation guarantees sets from the block or the week table");
    let rest = o.rest.unwrap_or(block.rest);
    let sides = o.side.map_or(block.sides, Sides::Only);
    let units: u64 = (1..=sets).map(|s| sides.of_set(s).len() as u64).sum();
    let sides = block.sides;
    Ok(PlannedBlock {
        exercise: block.exercise.clone(),
        work,
        sets,
        rest,
        rest_after: block.rest_after.unwrap_or(rest),
        switch: block.switch,
        sides,
        side: o.side,
        load: o.load.or(row.and_then(|r| r.load)).or(block.load),
        notes: block.notes.clone(),
        set_work: work.set_work(),
        tut: work.set_tut().times(units),
        start: Span::ZERO,
        end: Span::ZERO,
    })
}

/// A plan from the blocks (and settings) of a test preset, with its header filled in.
#[cfg(test)]
pub fn test_plan(body: &str) -> Plan {
    let text = format!("id = \"t\"\nname = \"T\"\ndescription = \"d\"\nsource = \"S\"\n{body}");
    Plan::build(
        &Preset::parse(&text, std::path::Path::new("t.toml")).unwrap(),
        &Overrides::default(),
    )
    .unwrap()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn preset(body: &str) -> Preset {
        let text = format!(
            "id = \"t\"\nname = \"T\"\ndescription = \"d\"\nsource = \"S\"\nlead_in = \"5s\"\n{body}"
        );
        Preset::parse(&text, Path::new("t.toml")).unwrap()
    }

    #[test]
    fn a_hold_and_the_loaded_phases_are_under_tension_and_an_eccentric_only_return_is_not() {
        let reps = |eccentric_only| PlannedWork::Reps {
            reps: 3,
            tempo: "3-1-2-1".parse().unwrap(),
            start: StartPhase::Eccentric,
            eccentric_only,
            explosive: Span::ZERO,
        };
        let phases = [
            Phase::Eccentric,
            Phase::BottomPause,
            Phase::Concentric,
            Phase::TopPause,
        ];
        let tension = |work: &PlannedWork| -> Vec<bool> {
            phases
                .iter()
                .map(|&p| work.is_tension(SegmentKind::Phase(p)))
                .collect()
        };
        assert_eq!(tension(&reps(false)), [true, false, true, false]);
        assert_eq!(tension(&reps(true)), [true, false, false, false]);
        let hold = PlannedWork::Hold(Span::from_secs(45));
        assert!(hold.is_tension(SegmentKind::Hold));
        for kind in [
            SegmentKind::LeadIn,
            SegmentKind::Rest,
            SegmentKind::Switch,
            SegmentKind::Bout,
            SegmentKind::SetEnd,
            SegmentKind::SessionEnd,
        ] {
            assert!(!hold.is_tension(kind), "{kind:?}");
            assert!(!reps(false).is_tension(kind), "{kind:?}");
        }
    }

    fn cue_list(plan: &Plan) -> Vec<(u64, String)> {
        plan.cues
            .iter()
            .map(|c| {
                let name = match c.kind {
                    CueKind::Countdown(n) => format!("countdown{n}"),
                    k => k.name().to_owned(),
                };
                (c.offset.as_micros() / 1000, name)
            })
            .collect()
    }

    #[test]
    fn two_sets_of_two_reps_written_out_by_hand() {
        let p = preset(
            "[[block]]\nexercise = \"Squat\"\nreps = 2\ntempo = \"2-1-1.5-0\"\nsets = 2\nrest = \"4s\"\n",
        );
        let plan = Plan::build(&p, &Overrides::default()).unwrap();
        let ms = |v: &[(u64, &str)]| -> Vec<(u64, String)> {
            v.iter().map(|(t, k)| (*t, (*k).to_owned())).collect()
        };
        // lead-in 0-5 s with countdown; rep = 2 + 1 + 1.5 = 4.5 s; set = 9 s.
        let expected = ms(&[
            (2000, "countdown3"),
            (3000, "countdown2"),
            (4000, "countdown1"),
            (5000, "down"),
            (6000, "tick"),
            (7000, "pause"),
            (8000, "up"),
            (9000, "tick"),
            (9500, "down"),
            (10500, "tick"),
            (11500, "pause"),
            (12500, "up"),
            (13500, "tick"),
            (14000, "set_done"),
            (15000, "countdown3"),
            (16000, "countdown2"),
            (17000, "countdown1"),
            (18000, "down"),
            (19000, "tick"),
            (20000, "pause"),
            (21000, "up"),
            (22000, "tick"),
            (22500, "down"),
            (23500, "tick"),
            (24500, "pause"),
            (25500, "up"),
            (26500, "tick"),
            (27000, "session_done"),
        ]);
        assert_eq!(cue_list(&plan), expected);
        assert_eq!(plan.total(), Span::from_secs(27));
        // TUT: (2 + 1.5) s x 2 reps x 2 sets.
        assert_eq!(plan.tut(), Span::from_secs(14));
    }

    #[test]
    fn hold_ticks_stop_where_the_countdown_starts() {
        let p = preset("[[block]]\nexercise = \"Hold\"\nhold = \"6s\"\nsets = 1\n");
        let plan = Plan::build(
            &p,
            &Overrides {
                lead_in: Some(Span::ZERO),
                ..Overrides::default()
            },
        )
        .unwrap();
        let names: Vec<(u64, String)> = cue_list(&plan);
        assert_eq!(
            names,
            [
                (0, "hold"),
                (1000, "tick"),
                (2000, "tick"),
                (3000, "countdown3"),
                (4000, "countdown2"),
                (5000, "countdown1"),
                (6000, "session_done"),
            ]
            .map(|(t, k)| (t, k.to_owned()))
        );
    }

    #[test]
    fn each_side_switches_then_rests() {
        let p = preset(
            "[[block]]\nexercise = \"Drop\"\nreps = 1\ntempo = \"3-0-1-0\"\neccentric_only = true\nsets = 2\nrest = \"10s\"\nsides = \"each\"\nswitch = \"4s\"\n",
        );
        let plan = Plan::build(&p, &Overrides::default()).unwrap();
        let kinds: Vec<(u64, &str, u32, Side)> = plan
            .cues
            .iter()
            .filter(|c| !matches!(c.kind, CueKind::Tick | CueKind::Countdown(_)))
            .map(|c| (c.offset.as_micros() / 1000, c.kind.name(), c.set, c.side))
            .collect();
        assert_eq!(
            kinds,
            [
                (5000, "down", 1, Side::Left),
                (8000, "up", 1, Side::Left),
                (9000, "switch", 1, Side::Left),
                (13000, "down", 1, Side::Right),
                (16000, "up", 1, Side::Right),
                (17000, "set_done", 1, Side::Right),
                (27000, "down", 2, Side::Left),
                (30000, "up", 2, Side::Left),
                (31000, "switch", 2, Side::Left),
                (35000, "down", 2, Side::Right),
                (38000, "up", 2, Side::Right),
                (39000, "session_done", 2, Side::Right),
            ]
        );
        // Eccentric only: 3 s a rep, 4 side-sets.
        assert_eq!(plan.tut(), Span::from_secs(12));
        let only_left = Plan::build(
            &p,
            &Overrides {
                side: Some(Side::Left),
                ..Overrides::default()
            },
        )
        .unwrap();
        assert!(only_left.cues.iter().all(|c| c.side == Side::Left));
        assert_eq!(only_left.total(), Span::from_secs(5 + 4 + 10 + 4));
    }

    #[test]
    fn cadence_beats_are_placed_from_their_index() {
        let p =
            preset("[[block]]\nexercise = \"Run\"\ncadence = 170\nduration = \"60m\"\nsets = 1\n");
        let plan = Plan::build(
            &p,
            &Overrides {
                lead_in: Some(Span::ZERO),
                ..Overrides::default()
            },
        )
        .unwrap();
        let beats: Vec<u64> = plan
            .cues
            .iter()
            .filter(|c| c.kind == CueKind::Beat)
            .map(|c| c.offset.as_micros())
            .collect();
        assert_eq!(beats.len(), 170 * 60);
        // Beat 10199 is at 10199 x 60/170 s = 3599.647058823... s, to the microsecond.
        assert_eq!(*beats.last().unwrap(), 3_599_647_059);
        assert_eq!(beats[1], 352_941);
        assert_eq!(plan.total(), Span::from_secs(3600));
        let faster = Plan::build(
            &p,
            &Overrides {
                cadence: Some("+10%".parse().unwrap()),
                lead_in: Some(Span::ZERO),
                ..Overrides::default()
            },
        )
        .unwrap();
        assert_eq!(
            faster
                .cues
                .iter()
                .filter(|c| c.kind == CueKind::Beat)
                .count(),
            187 * 60
        );
    }

    #[test]
    fn the_length_check_measures_what_is_laid_out() {
        for (path, text) in crate::preset::builtin_sources() {
            let preset = Preset::parse(text, Path::new(path)).unwrap();
            for o in [
                Overrides::default(),
                Overrides {
                    side: Some(Side::Left),
                    rest: Some(Span::ZERO),
                    ..Overrides::default()
                },
                Overrides {
                    sets: Some(1),
                    lead_in: Some(Span::ZERO),
                    ..Overrides::default()
                },
            ] {
                let plan = Plan::build(&preset, &o).unwrap();
                assert_eq!(
                    plan.lead_in + session_length(&plan.blocks),
                    plan.total(),
                    "{path}"
                );
            }
        }
    }

    #[test]
    fn a_zero_rest_leaves_one_sound_where_two_would_fall_together() {
        let p =
            preset("[[block]]\nexercise = \"Squat\"\nreps = 1\ntempo = \"2-0-2-0\"\nsets = 2\n");
        let plan = Plan::build(&p, &Overrides::default()).unwrap();
        let mut offsets: Vec<Span> = plan.cues.iter().map(|c| c.offset).collect();
        offsets.dedup();
        assert_eq!(offsets.len(), plan.cues.len());
        assert!(!plan.cues.iter().any(|c| c.kind == CueKind::SetDone));
    }

    #[test]
    fn an_absurdly_long_preset_is_refused_not_wrapped() {
        let block = "[[block]]\nexercise = \"A\"\nreps = 1000\ntempo = \"60-60-60-60\"\nsets = 100\nsides = \"each\"\nrest = \"24h\"\n";
        let p = preset(&block.repeat(50));
        let err = Plan::build(&p, &Overrides::default()).unwrap_err();
        assert!(matches!(err, PlanError::TooLong(_)), "{err}");
    }

    #[test]
    fn overrides_must_fit_the_preset() {
        let p = preset("[[block]]\nexercise = \"Hold\"\nhold = 45\nsets = 5\n");
        let err = Plan::build(
            &p,
            &Overrides {
                reps: Some(10),
                ..Overrides::default()
            },
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "--reps applies to reps blocks, and preset \"t\" has none"
        );
        let err = Plan::build(
            &p,
            &Overrides {
                week: Some(2),
                ..Overrides::default()
            },
        )
        .unwrap_err();
        assert!(matches!(err, PlanError::NoProgram { .. }));
    }

    #[test]
    fn cadence_setting_notation() {
        assert_eq!("172".parse(), Ok(CadenceSetting::Bpm(172.0)));
        assert_eq!("+5%".parse(), Ok(CadenceSetting::Percent(5.0)));
        assert_eq!("-5%".parse(), Ok(CadenceSetting::Percent(-5.0)));
        for bad in ["", "fast", "0", "500", "+5", "%", "+200%"] {
            assert!(bad.parse::<CadenceSetting>().is_err(), "{bad:?}");
        }
    }
}
