//! Laying out a plan: every segment (lead-in, each phase of each rep, holds, bouts,
//! rests, side switches, set-end and session-end marks) and every cue at its exact
//! offset, from the planned blocks. Offsets are sums and products of whole
//! microseconds; a cadence beat is placed from its own index so rounding never carries.

use super::{Plan, PlannedWork};
use crate::preset::Side;
use crate::span::Span;
use crate::tempo::Phase;

/// What a stretch of the timeline is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SegmentKind {
    LeadIn,
    Phase(Phase),
    Hold,
    /// A cadence bout: beats for the set's duration.
    Bout,
    Rest,
    /// Between the left and the right side of a set.
    Switch,
    /// The instant a set (on one side) ends.
    SetEnd,
    /// The instant the session ends.
    SessionEnd,
}

/// A stretch of the timeline, `[start, end)`; instants have `start == end`.
///
/// Lead-in, rest and switch segments belong to the set they lead into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    pub start: Span,
    pub end: Span,
    pub kind: SegmentKind,
    /// Index into [`Plan::blocks`].
    pub block: usize,
    /// 1-based set number within the block.
    pub set: u32,
    /// 1-based rep number, for phases.
    pub rep: Option<u32>,
    pub side: Side,
}

/// A sound the session makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CueKind {
    /// Start of an eccentric phase.
    Down,
    /// Start of a concentric phase.
    Up,
    /// Start of a hold.
    Hold,
    /// Start of a bottom or top pause.
    Pause,
    /// A whole second inside a phase or hold.
    Tick,
    /// 3, 2, 1 before a hold, rest, switch or the lead-in ends.
    Countdown(u8),
    /// One step of cadence work.
    Beat,
    /// The left side of a set is done; the right one comes next.
    Switch,
    SetDone,
    SessionDone,
}

impl CueKind {
    /// The name in `show --json`, the trace and the plain runner.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            CueKind::Down => "down",
            CueKind::Up => "up",
            CueKind::Hold => "hold",
            CueKind::Pause => "pause",
            CueKind::Tick => "tick",
            CueKind::Countdown(_) => "countdown",
            CueKind::Beat => "beat",
            CueKind::Switch => "switch",
            CueKind::SetDone => "set_done",
            CueKind::SessionDone => "session_done",
        }
    }

    /// Whether the cue starts a phase of the movement (the bell rings there when
    /// nothing sounds). A cadence beat is not one: a bell on every step would be noise.
    #[must_use]
    pub const fn starts_phase(self) -> bool {
        matches!(
            self,
            CueKind::Down | CueKind::Up | CueKind::Hold | CueKind::Pause
        )
    }

    /// Whether the cue starts work (a notice from the rest before is then cleared).
    #[must_use]
    pub const fn starts_work(self) -> bool {
        matches!(
            self,
            CueKind::Down | CueKind::Up | CueKind::Hold | CueKind::Beat
        )
    }
}

/// A sound at an exact offset from the session start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cue {
    pub offset: Span,
    pub kind: CueKind,
    pub block: usize,
    pub set: u32,
    pub rep: Option<u32>,
    pub side: Side,
}

impl Plan {
    /// Places every segment and cue on the timeline.
    pub(super) fn lay_out(&mut self) {
        let mut out = Timeline::default();
        let units: Vec<(usize, u32, Side, bool)> = self
            .blocks
            .iter()
            .enumerate()
            .flat_map(|(b, block)| {
                (1..=block.sets).flat_map(move |set| {
                    let sides = block.arrangement().of_set(set);
                    sides
                        .iter()
                        .enumerate()
                        .map(move |(i, &side)| (b, set, side, i + 1 == sides.len()))
                })
            })
            .collect();
        let mut t = Span::ZERO;
        if let Some(&(block, set, side, _)) = units.first() {
            let at = Place::new(block, set, None, side);
            out.waiting(SegmentKind::LeadIn, t, self.lead_in, at);
            t = self.lead_in;
        }
        for (i, &(b, set, side, last_side)) in units.iter().enumerate() {
            let block = &mut self.blocks[b];
            if set == 1 && side == block.arrangement().of_set(1)[0] {
                block.start = t;
            }
            t = out.work(&block.work, t, Place::new(b, set, None, side));
            let here = Place::new(b, set, None, side);
            out.instant(SegmentKind::SetEnd, t, here);
            let Some(&(next_b, next_set, next_side, _)) = units.get(i + 1) else {
                out.cue(CueKind::SessionDone, t, here);
                out.instant(SegmentKind::SessionEnd, t, here);
                block.end = t;
                break;
            };
            let next = Place::new(next_b, next_set, None, next_side);
            let (kind, cue, pause) = if !last_side {
                (SegmentKind::Switch, CueKind::Switch, block.switch)
            } else if next_b == b {
                (SegmentKind::Rest, CueKind::SetDone, block.rest)
            } else {
                (SegmentKind::Rest, CueKind::SetDone, block.rest_after)
            };
            // With no pause the next phase's own cue marks the moment: one sound, not two.
            if !pause.is_zero() {
                out.cue(cue, t, here);
            }
            out.waiting(kind, t, pause, next);
            t += pause;
            if next_b != b {
                block.end = t;
            }
        }
        self.segments = out.segments;
        self.cues = out.cues;
    }
}

/// Block, set, rep and side of a segment or cue.
#[derive(Clone, Copy)]
struct Place {
    block: usize,
    set: u32,
    rep: Option<u32>,
    side: Side,
}

impl Place {
    fn new(block: usize, set: u32, rep: Option<u32>, side: Side) -> Place {
        Place {
            block,
            set,
            rep,
            side,
        }
    }
}

/// The segments and cues laid so far, in time order.
#[derive(Default)]
struct Timeline {
    segments: Vec<Segment>,
    cues: Vec<Cue>,
}

const SECOND: Span = Span::from_secs(1);

impl Timeline {
    fn cue(&mut self, kind: CueKind, offset: Span, at: Place) {
        self.cues.push(Cue {
            offset,
            kind,
            block: at.block,
            set: at.set,
            rep: at.rep,
            side: at.side,
        });
    }

    fn segment(&mut self, kind: SegmentKind, start: Span, len: Span, at: Place) {
        self.segments.push(Segment {
            start,
            end: start + len,
            kind,
            block: at.block,
            set: at.set,
            rep: at.rep,
            side: at.side,
        });
    }

    fn instant(&mut self, kind: SegmentKind, t: Span, at: Place) {
        self.segment(kind, t, Span::ZERO, at);
    }

    /// A stretch of waiting (lead-in, rest, switch) that ends with a 3-2-1 countdown.
    fn waiting(&mut self, kind: SegmentKind, start: Span, len: Span, at: Place) {
        if len.is_zero() {
            return;
        }
        self.segment(kind, start, len, at);
        self.countdown(start, start + len, at);
    }

    /// Beeps at 3, 2 and 1 s before `end`, those that fall after `start`.
    fn countdown(&mut self, start: Span, end: Span, at: Place) {
        for n in (1..=3u8).rev() {
            let offset = end.saturating_sub(SECOND.times(u64::from(n)));
            if offset > start {
                self.cue(CueKind::Countdown(n), offset, at);
            }
        }
    }

    /// Ticks on each whole second after `start` and before `until`.
    fn ticks(&mut self, start: Span, until: Span, at: Place) {
        let mut k = 1;
        while start + SECOND.times(k) < until {
            self.cue(CueKind::Tick, start + SECOND.times(k), at);
            k += 1;
        }
    }

    /// One set's work on one side from `start`; returns where it ends.
    fn work(&mut self, work: &PlannedWork, start: Span, at: Place) -> Span {
        match *work {
            PlannedWork::Reps { reps, .. } => {
                let phases = work.rep_phases();
                let rep_len: Span = phases.iter().map(|(_, len)| *len).sum();
                for rep in 1..=reps {
                    let mut t = start + rep_len.times(u64::from(rep - 1));
                    let at = Place {
                        rep: Some(rep),
                        ..at
                    };
                    for &(phase, len) in &phases {
                        let cue = match phase {
                            Phase::Eccentric => CueKind::Down,
                            Phase::Concentric => CueKind::Up,
                            Phase::BottomPause | Phase::TopPause => CueKind::Pause,
                        };
                        self.segment(SegmentKind::Phase(phase), t, len, at);
                        self.cue(cue, t, at);
                        self.ticks(t, t + len, at);
                        t += len;
                    }
                }
                start + rep_len.times(u64::from(reps))
            }
            PlannedWork::Hold(len) => {
                let end = start + len;
                self.segment(SegmentKind::Hold, start, len, at);
                self.cue(CueKind::Hold, start, at);
                // Ticks stop where the countdown takes over.
                self.ticks(start, end.saturating_sub(SECOND.times(3)), at);
                self.countdown(start, end, at);
                end
            }
            PlannedWork::Cadence { bpm, duration } => {
                self.segment(SegmentKind::Bout, start, duration, at);
                for k in 0u32.. {
                    let offset = start + beat_offset(k, bpm);
                    if offset >= start + duration {
                        break;
                    }
                    self.cue(CueKind::Beat, offset, at);
                }
                start + duration
            }
        }
    }
}

/// The offset of beat `k` from a bout's start, rounded once to the microsecond.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "bpm >= 1 and k < 2^32 keep the value positive and below 2^53"
)]
fn beat_offset(k: u32, bpm: f64) -> Span {
    Span::from_micros((f64::from(k) * 60e6 / bpm).round() as u64)
}
