//! A plan being run: a pure state machine that is given clock readings and answers where
//! the session is, which cues are due, and which sets have ended.
//!
//! The position on the plan is `anchor_pos + (now - anchor_clock) * speed` while
//! running, and `anchor_pos` while paused. Every command re-anchors once, at the clock
//! reading it came with; nothing is ever added up from ticks or sleeps, so the answers
//! are the same whether the session is polled every millisecond or once a minute.

use crate::plan::{Cue, Plan, PlannedWork, Segment, SegmentKind};
use crate::preset::Side;
use crate::span::Span;

/// What a person (or a signal) asks of a running session.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Command {
    TogglePause,
    Pause,
    Resume,
    /// To the end of the current phase, hold or rest.
    Skip,
    /// To the start of the current phase, or of the previous one within a second of
    /// the current one's start.
    Back,
    /// To the start of the set in progress (during a rest: of the set that comes next).
    RestartSet,
    /// End the session; a set in progress ends as stopped.
    Stop,
    Faster,
    Slower,
}

/// The slowest and fastest speeds `+`/`-` reach; `--speed` may go further for tests.
const SPEED_RANGE: (f64, f64) = (0.25, 4.0);
const SPEED_STEP: f64 = 1.25;

/// How a set ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetStatus {
    Done,
    Stopped,
}

/// One set on one side, as it was done.
#[derive(Clone, Debug, PartialEq)]
pub struct SetOutcome {
    pub block: usize,
    pub set: u32,
    pub side: Side,
    pub status: SetStatus,
    /// Completed reps, for reps blocks.
    pub done_reps: Option<u32>,
    /// The work time done: the hold held, the bout run, the reps' time.
    pub done_work: Span,
    /// Time under tension done.
    pub tut: Span,
    /// The clock time spent on `done_work` and `tut`: the same at speed 1; at another
    /// speed, or with `+`/`-` part-way through, what was performed.
    pub work_spent: Span,
    pub tut_spent: Span,
    /// Clock readings at the set's first and last moment.
    pub started: Span,
    pub ended: Span,
    /// The speed most of the set was run at: its record says what was performed at that
    /// speed (a preview when it is not 1), whatever `+`/`-` do before the form is
    /// answered.
    pub speed: f64,
}

/// Something that happened between two readings, in the order it happened.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// A cue that is due, with the clock reading it was due at.
    Cue { cue: Cue, due: Span },
    /// A set (on one side) ended.
    SetEnded(SetOutcome),
    /// The session reached its end or was stopped.
    Finished,
}

/// One set on one side: consecutive work segments ending at a set-end mark.
#[derive(Clone, Copy, Debug)]
struct Unit {
    block: usize,
    set: u32,
    side: Side,
    /// Plan offsets of the first work and of the set-end mark.
    start: Span,
    end: Span,
    /// Index range into the plan's segments.
    segments: (usize, usize),
}

/// Where a session is, for a display.
#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    /// The plan position.
    pub position: Span,
    /// The segment in progress (`None` after the end).
    pub segment: Option<Segment>,
    /// Time left in that segment, in plan time.
    pub left: Span,
    pub block: usize,
    pub set: u32,
    pub sets: u32,
    pub rep: Option<u32>,
    pub reps: Option<u32>,
    pub side: Side,
    /// The next segment that is not an instant.
    pub next: Option<Segment>,
    pub remaining: Span,
    pub paused: bool,
    pub speed: f64,
    pub finished: bool,
}

/// How the plan moves from the latest command on: from plan position `pos`, at
/// `speed`, unless it stands still (paused or over).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Motion {
    pub pos: Span,
    pub speed: f64,
    pub paused: bool,
}

/// A plan being run.
#[derive(Debug)]
pub struct Session {
    plan: Plan,
    units: Vec<Unit>,
    speed: f64,
    paused: bool,
    anchor_clock: Span,
    anchor_pos: Span,
    /// Index of the first cue not yet issued.
    next_cue: usize,
    /// Clock reading at which each unit's work was first reached.
    started: Vec<Option<Span>>,
    /// Whether each unit's outcome has been reported.
    reported: Vec<bool>,
    finished: bool,
    /// The furthest position already processed.
    seen: Span,
    /// Stretches of the plan jumped over by a skip: not done, so not in a set's record.
    skipped: Vec<(Span, Span)>,
    /// The speed each stretch of the plan was last run at: from each position on, its
    /// speed, in position order. A stretch run again (back, restart) counts as run again.
    pace: Vec<(Span, f64)>,
}

impl Session {
    /// A session at the start of `plan`, at clock reading `now`, running at `speed`.
    #[must_use]
    pub fn new(plan: Plan, now: Span, speed: f64) -> Session {
        let units = units_of(&plan);
        let n = units.len();
        Session {
            plan,
            units,
            speed,
            paused: false,
            anchor_clock: now,
            anchor_pos: Span::ZERO,
            next_cue: 0,
            started: vec![None; n],
            reported: vec![false; n],
            finished: false,
            seen: Span::ZERO,
            skipped: Vec::new(),
            pace: vec![(Span::ZERO, speed)],
        }
    }

    #[must_use]
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    #[must_use]
    pub fn speed(&self) -> f64 {
        self.speed
    }

    #[must_use]
    pub fn is_paused(&self) -> bool {
        self.paused
    }

    #[must_use]
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Where the timeline is anchored, for a sound track to follow.
    #[must_use]
    pub fn motion(&self) -> Motion {
        Motion {
            pos: self.anchor_pos,
            speed: self.speed,
            paused: self.paused || self.finished,
        }
    }

    /// The plan position at clock reading `now`.
    #[must_use]
    pub fn position(&self, now: Span) -> Span {
        if self.paused || self.finished {
            return self.anchor_pos.min(self.plan.total());
        }
        let run = now.saturating_sub(self.anchor_clock);
        (self.anchor_pos + scale(run, self.speed)).min(self.plan.total())
    }

    /// The clock reading at which plan offset `offset` is reached, while running.
    fn due(&self, offset: Span) -> Span {
        self.anchor_clock + unscale(offset.saturating_sub(self.anchor_pos), self.speed)
    }

    /// Everything that happened up to clock reading `now`, in order.
    pub fn advance(&mut self, now: Span) -> Vec<Event> {
        let mut events = Vec::new();
        if self.finished {
            return events;
        }
        let pos = self.position(now);
        self.note_starts(pos, now);
        let mut unit = self.units.iter().position(|u| u.end >= self.seen);
        while self.next_cue < self.plan.cues.len() && self.plan.cues[self.next_cue].offset <= pos {
            let cue = self.plan.cues[self.next_cue];
            // Set ends come after the cues before or at them.
            while let Some(i) = unit.filter(|&i| self.units[i].end < cue.offset) {
                self.report_end(i, now, &mut events);
                unit = (i + 1 < self.units.len()).then_some(i + 1);
            }
            let due = self.due(cue.offset).min(now);
            events.push(Event::Cue { cue, due });
            self.next_cue += 1;
        }
        while let Some(i) = unit.filter(|&i| self.units[i].end <= pos) {
            self.report_end(i, now, &mut events);
            unit = (i + 1 < self.units.len()).then_some(i + 1);
        }
        self.seen = self.seen.max(pos);
        if pos >= self.plan.total() {
            self.finished = true;
            self.anchor_pos = pos;
            events.push(Event::Finished);
        }
        events
    }

    /// Records the clock reading at which each unit's work was reached.
    fn note_starts(&mut self, pos: Span, now: Span) {
        for (i, unit) in self.units.iter().enumerate() {
            // Units passed whole between two readings count too.
            if self.started[i].is_none() && unit.start <= pos && unit.end >= self.seen {
                self.started[i] = Some(self.due(unit.start).min(now));
            }
        }
    }

    fn report_end(&mut self, i: usize, now: Span, events: &mut Vec<Event>) {
        if self.reported[i] {
            return;
        }
        self.reported[i] = true;
        let unit = self.units[i];
        let ended = self.due(unit.end).min(now);
        events.push(Event::SetEnded(self.outcome(
            i,
            unit.end,
            SetStatus::Done,
            ended,
        )));
    }

    /// What unit `i` amounts to when it ends at plan offset `at`.
    fn outcome(&self, i: usize, at: Span, status: SetStatus, ended: Span) -> SetOutcome {
        let unit = self.units[i];
        let work = &self.plan.blocks[unit.block].work;
        let segments = &self.plan.segments[unit.segments.0..unit.segments.1];
        let overlap = |s: &Segment| {
            let (start, end) = (s.start, s.end.min(at));
            let jumped: Span = self
                .skipped
                .iter()
                .map(|&(a, b)| b.min(end).saturating_sub(a.max(start)))
                .sum();
            end.saturating_sub(start).saturating_sub(jumped)
        };
        let tut = segments
            .iter()
            .filter(|s| work.is_tension(s.kind))
            .map(overlap)
            .sum();
        // The same stretches in clock time, each at the speed it was run at.
        let spent = |s: &Segment| {
            let (start, end) = (s.start, s.end.min(at));
            let jumped: Span = self
                .skipped
                .iter()
                .map(|&(a, b)| self.spent(a.max(start), b.min(end)))
                .sum();
            self.spent(start, end).saturating_sub(jumped)
        };
        let tut_spent = segments
            .iter()
            .filter(|s| work.is_tension(s.kind))
            .map(spent)
            .sum();
        let done_reps = match work {
            PlannedWork::Reps { reps, .. } => {
                // A rep is done when all of it was reached and not all of it skipped.
                let done = (1..=*reps)
                    .filter(|&r| {
                        let mut phases = segments.iter().filter(|s| s.rep == Some(r)).peekable();
                        phases.peek().is_some()
                            && segments
                                .iter()
                                .filter(|s| s.rep == Some(r))
                                .all(|s| s.end <= at)
                            && !phases.map(overlap).sum::<Span>().is_zero()
                    })
                    .count();
                Some(u32::try_from(done).unwrap_or(u32::MAX))
            }
            _ => None,
        };
        SetOutcome {
            block: unit.block,
            set: unit.set,
            side: unit.side,
            status,
            done_reps,
            done_work: segments.iter().map(overlap).sum(),
            tut,
            work_spent: segments.iter().map(spent).sum(),
            tut_spent,
            started: self.started[i].unwrap_or(ended),
            ended,
            speed: self.main_speed(unit.start, at.min(unit.end)),
        }
    }

    /// The clock reading at which the next event is due: `None` while paused or done.
    #[must_use]
    pub fn next_due(&self) -> Option<Span> {
        if self.paused || self.finished {
            return None;
        }
        let next_cue = self.plan.cues.get(self.next_cue).map(|c| c.offset);
        let next = next_cue.map_or(self.plan.total(), |c| c.min(self.plan.total()));
        // Float rounding may leave the position a microsecond short of `next` at the
        // computed reading; the reading returned is one at which it has been reached.
        let mut due = self.due(next);
        while self.position(due) < next {
            due += Span::from_micros(1);
        }
        Some(due)
    }

    /// Applies `command` at clock reading `now`; events it causes (a stopped set, the
    /// end) come back at once.
    pub fn command(&mut self, command: Command, now: Span) -> Vec<Event> {
        if self.finished {
            return Vec::new();
        }
        let pos = self.position(now);
        match command {
            Command::TogglePause if self.paused => self.resume(now),
            Command::Pause | Command::TogglePause => {
                if !self.paused {
                    self.anchor_at(pos, now);
                    self.paused = true;
                }
            }
            Command::Resume => self.resume(now),
            Command::Skip => {
                if let Some(seg) = self.current(pos) {
                    self.jump(seg.end, now);
                }
            }
            Command::Back => {
                if let Some(target) = self.back_target(pos) {
                    self.jump(target, now);
                }
            }
            Command::RestartSet => {
                if let Some(unit) = self.units.iter().find(|u| pos < u.end) {
                    self.jump(unit.start, now);
                }
            }
            Command::Faster | Command::Slower => {
                // A step never goes the wrong way: from a --speed beyond the range, `+`
                // and `-` only lead back into it.
                let speed = if command == Command::Faster {
                    (self.speed * SPEED_STEP).min(SPEED_RANGE.1.max(self.speed))
                } else {
                    (self.speed / SPEED_STEP).max(SPEED_RANGE.0.min(self.speed))
                };
                self.anchor_at(pos, now);
                self.speed = speed;
                self.set_pace(pos);
            }
            Command::Stop => return self.stop(now),
        }
        Vec::new()
    }

    fn resume(&mut self, now: Span) {
        if self.paused {
            let pos = self.anchor_pos;
            self.paused = false;
            self.anchor_at(pos, now);
        }
    }

    fn anchor_at(&mut self, pos: Span, now: Span) {
        self.anchor_pos = pos;
        self.anchor_clock = now;
    }

    /// Moves to plan offset `target`: the cues from there on sound again, and a set
    /// restarted from its beginning gets a new start time.
    fn jump(&mut self, target: Span, now: Span) {
        let from = self.position(now);
        if target > from {
            self.skipped.push((from, target));
        } else {
            // What lies after the target will be run again.
            self.skipped.retain_mut(|(start, end)| {
                *end = (*end).min(target);
                start < end
            });
        }
        self.anchor_at(target, now);
        self.set_pace(target);
        self.next_cue = self.plan.cues.partition_point(|c| c.offset < target);
        for (i, unit) in self.units.iter().enumerate() {
            if unit.start >= target {
                // Done again from its start: a new start time, and a record of its own.
                self.started[i] = None;
                self.reported[i] = false;
            }
        }
        self.seen = self.seen.min(target);
    }

    /// The speed most of the plan from `a` to `b` was run at (the current one when none
    /// of it was): a `+` in a set's last rep does not make the set a preview, nor does a
    /// set run fast until its last rep count as training.
    fn main_speed(&self, a: Span, b: Span) -> f64 {
        let mut best = (Span::ZERO, self.speed);
        for (i, &(from, speed)) in self.pace.iter().enumerate() {
            let to = self.pace.get(i + 1).map_or(b, |&(next, _)| next);
            let run = to.min(b).saturating_sub(from.max(a));
            if run > best.0 {
                best = (run, speed);
            }
        }
        best.1
    }

    /// From `pos` on the plan runs at the current speed: what lay beyond is run again.
    fn set_pace(&mut self, pos: Span) {
        self.pace.retain(|&(from, _)| from < pos);
        self.pace.push((pos, self.speed));
    }

    /// The clock time the plan from `a` to `b` took (or takes) at the speeds it was run
    /// at.
    fn spent(&self, a: Span, b: Span) -> Span {
        if b <= a {
            return Span::ZERO;
        }
        let mut total = Span::ZERO;
        for (i, &(from, speed)) in self.pace.iter().enumerate() {
            let to = self.pace.get(i + 1).map_or(b, |&(next, _)| next);
            let (lo, hi) = (from.max(a), to.min(b));
            if hi > lo {
                total += unscale(hi - lo, speed);
            }
        }
        total
    }

    fn back_target(&self, pos: Span) -> Option<Span> {
        let seg = self.current(pos)?;
        let into = unscale(pos - seg.start, self.speed);
        if into >= Span::from_secs(1) {
            return Some(seg.start);
        }
        let previous = self
            .plan
            .segments
            .iter()
            .rev()
            .find(|s| s.start < seg.start && s.end > s.start);
        Some(previous.map_or(seg.start, |s| s.start))
    }

    fn stop(&mut self, now: Span) -> Vec<Event> {
        let pos = self.position(now);
        let mut events = self.advance(now);
        if self.finished {
            return events;
        }
        if let Some(i) = self
            .units
            .iter()
            .position(|u| u.start < pos && pos < u.end)
            .filter(|&i| !self.reported[i])
        {
            self.reported[i] = true;
            events.push(Event::SetEnded(self.outcome(
                i,
                pos,
                SetStatus::Stopped,
                now,
            )));
        }
        self.finished = true;
        self.anchor_pos = pos;
        events.push(Event::Finished);
        events
    }

    /// The segment in progress at `pos` (not an instant).
    fn current(&self, pos: Span) -> Option<Segment> {
        let upto = self.plan.segments.partition_point(|s| s.start <= pos);
        self.plan.segments[..upto]
            .iter()
            .rev()
            .find(|s| s.start <= pos && pos < s.end)
            .copied()
    }

    /// Where the session is at clock reading `now`.
    #[must_use]
    pub fn status(&self, now: Span) -> Status {
        let pos = self.position(now);
        let segment = self.current(pos);
        let next = self
            .plan
            .segments
            .iter()
            .find(|s| s.start >= segment.map_or(pos, |c| c.end) && s.end > s.start)
            .copied();
        let here = segment.or(next);
        let block = here.map_or(self.plan.blocks.len().saturating_sub(1), |s| s.block);
        let planned = &self.plan.blocks[block];
        Status {
            position: pos,
            segment,
            left: segment.map_or(Span::ZERO, |s| s.end - pos),
            block,
            set: here.map_or(planned.sets, |s| s.set),
            sets: planned.sets,
            rep: segment.and_then(|s| s.rep),
            reps: match planned.work {
                PlannedWork::Reps { reps, .. } => Some(reps),
                _ => None,
            },
            side: here.map_or(Side::Both, |s| s.side),
            next,
            remaining: self.plan.total() - pos,
            paused: self.paused,
            speed: self.speed,
            finished: self.finished,
        }
    }
}

/// The plan's sets on each side, in order.
fn units_of(plan: &Plan) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut first_work: Option<usize> = None;
    for (i, s) in plan.segments.iter().enumerate() {
        match s.kind {
            SegmentKind::Phase(_) | SegmentKind::Hold | SegmentKind::Bout => {
                first_work.get_or_insert(i);
            }
            SegmentKind::SetEnd => {
                if let Some(first) = first_work.take() {
                    units.push(Unit {
                        block: s.block,
                        set: s.set,
                        side: s.side,
                        start: plan.segments[first].start,
                        end: s.start,
                        segments: (first, i),
                    });
                }
            }
            _ => {}
        }
    }
    units
}

/// `run` of clock time as plan time at `speed`, rounded down.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss,
    reason = "spans are below 2^53 µs and speed is positive"
)]
fn scale(run: Span, speed: f64) -> Span {
    if (speed - 1.0).abs() < f64::EPSILON {
        return run;
    }
    Span::from_micros((run.as_micros() as f64 * speed).floor() as u64)
}

/// `plan` time as clock time at `speed`, rounded up, so that the position at the
/// returned reading has reached it.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss,
    reason = "spans are below 2^53 µs and speed is positive"
)]
fn unscale(plan: Span, speed: f64) -> Span {
    if (speed - 1.0).abs() < f64::EPSILON {
        return plan;
    }
    Span::from_micros((plan.as_micros() as f64 / speed).ceil() as u64)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::plan::{CueKind, Overrides};
    use crate::preset::Preset;
    use crate::tempo::Phase;

    /// Lead-in 3 s; 2 sets of 2 reps at 2-0-1-0 (3 s a rep); 4 s rest. Total 3+6+4+6 = 19 s.
    fn plan() -> Plan {
        let text = "id = \"t\"\nname = \"T\"\ndescription = \"d\"\nsource = \"S\"\nlead_in = \"3s\"\n[[block]]\nexercise = \"Squat\"\nreps = 2\ntempo = \"2-0-1-0\"\nsets = 2\nrest = \"4s\"\n";
        let preset = Preset::parse(text, Path::new("t.toml")).unwrap();
        Plan::build(&preset, &Overrides::default()).unwrap()
    }

    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    fn secs(s: f64) -> Span {
        Span::from_micros((s * 1e6).round() as u64)
    }

    fn cue_names(events: &[Event]) -> Vec<(&'static str, u64)> {
        events
            .iter()
            .filter_map(|e| match e {
                Event::Cue { cue, due } => Some((cue.kind.name(), due.as_micros() / 1000)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn position_and_status_at_chosen_times() {
        let session = Session::new(plan(), Span::ZERO, 1.0);
        let s = session.status(secs(1.0));
        assert_eq!(s.segment.unwrap().kind, SegmentKind::LeadIn);
        assert_eq!((s.set, s.sets, s.rep), (1, 2, None));
        assert_eq!(s.left, secs(2.0));
        let s = session.status(secs(4.5));
        assert_eq!(
            s.segment.unwrap().kind,
            SegmentKind::Phase(Phase::Eccentric)
        );
        assert_eq!((s.rep, s.reps), (Some(1), Some(2)));
        assert_eq!(s.left, secs(0.5));
        assert_eq!(s.next.unwrap().kind, SegmentKind::Phase(Phase::Concentric));
        let s = session.status(secs(10.0));
        assert_eq!(s.segment.unwrap().kind, SegmentKind::Rest);
        assert_eq!(s.set, 2, "a rest belongs to the set it leads into");
        assert_eq!(s.remaining, secs(9.0));
        let s = session.status(secs(30.0));
        assert_eq!(s.segment, None);
        assert_eq!(s.remaining, Span::ZERO);
    }

    /// Everything a session reports when polled every `step` until the end.
    fn run_polled(step: Span) -> Vec<Event> {
        let mut session = Session::new(plan(), Span::ZERO, 1.0);
        let mut events = Vec::new();
        let mut now = Span::ZERO;
        while !session.is_finished() {
            now += step;
            events.extend(session.advance(now));
        }
        events
    }

    #[test]
    fn polling_every_millisecond_or_once_a_minute_gives_the_same_events() {
        let fine = run_polled(Span::from_millis(1));
        let coarse = run_polled(Span::from_secs(60));
        assert_eq!(fine, coarse);
        let cues = fine
            .iter()
            .filter(|e| matches!(e, Event::Cue { .. }))
            .count();
        assert_eq!(cues, plan().cues.len());
        let ends: Vec<&SetOutcome> = fine
            .iter()
            .filter_map(|e| match e {
                Event::SetEnded(o) => Some(o),
                _ => None,
            })
            .collect();
        assert_eq!(ends.len(), 2);
        assert!(
            ends.iter()
                .all(|o| o.status == SetStatus::Done && o.done_reps == Some(2))
        );
        assert_eq!(ends[0].tut, secs(6.0));
        assert_eq!(fine.last(), Some(&Event::Finished));
    }

    /// The first set's outcome once the session has run to `until`.
    fn first_set(session: &mut Session, until: Span) -> SetOutcome {
        session
            .advance(until)
            .into_iter()
            .find_map(|e| match e {
                Event::SetEnded(o) => Some(o),
                _ => None,
            })
            .expect("the first set ends")
    }

    #[test]
    fn a_set_sped_up_part_way_records_the_clock_time_spent() {
        // Set 1 is plan 3-9 s: two reps of 2 s down and 1 s up, all under tension.
        let mut session = Session::new(plan(), Span::ZERO, 1.0);
        session.advance(secs(4.0));
        // 1 s into the set, `+`: the other 5 s of plan take 4 s at 1.25x.
        session.command(Command::Faster, secs(4.0));
        let set = first_set(&mut session, secs(8.0));
        assert_eq!(set.ended, secs(8.0));
        assert_eq!((set.tut, set.done_work), (secs(6.0), secs(6.0)));
        assert_eq!((set.tut_spent, set.work_spent), (secs(5.0), secs(5.0)));
        assert!((set.speed - 1.25).abs() < 1e-9);
        // At speed 1 throughout, the time spent is the plan's.
        let mut steady = Session::new(plan(), Span::ZERO, 1.0);
        let set = first_set(&mut steady, secs(9.0));
        assert_eq!((set.tut_spent, set.work_spent), (secs(6.0), secs(6.0)));
    }

    #[test]
    fn a_set_is_at_the_speed_most_of_it_ran_at() {
        // `+` in the last second of set 1 (plan 3-9 s): 5 s at 1x, 1 s at 1.25x. The set
        // was training, not a preview; its time spent is still what it took.
        let mut session = Session::new(plan(), Span::ZERO, 1.0);
        session.advance(secs(8.0));
        session.command(Command::Faster, secs(8.0));
        let set = first_set(&mut session, secs(8.8));
        assert!((set.speed - 1.0).abs() < 1e-9, "{}", set.speed);
        assert_eq!(set.tut_spent, secs(5.8));
        // And a set run fast until its last second is a preview at that speed.
        let mut session = Session::new(plan(), Span::ZERO, 1.25);
        session.advance(secs(6.4));
        session.command(Command::Slower, secs(6.4));
        let set = first_set(&mut session, secs(7.4));
        assert!((set.speed - 1.25).abs() < 1e-9, "{}", set.speed);
    }

    #[test]
    fn a_set_restarted_counts_as_run_again_at_its_new_speed() {
        let mut session = Session::new(plan(), Span::ZERO, 1.0);
        session.advance(secs(4.0));
        session.command(Command::Faster, secs(4.0));
        session.advance(secs(5.0));
        // Restarted from its start and slowed back to 1x: the set is run again, and
        // the stretch run at 1.25x before the restart is not in its record.
        session.command(Command::RestartSet, secs(5.0));
        session.command(Command::Slower, secs(5.0));
        let set = first_set(&mut session, secs(11.0));
        assert_eq!((set.started, set.ended), (secs(5.0), secs(11.0)));
        assert_eq!((set.tut, set.tut_spent), (secs(6.0), secs(6.0)));
    }

    #[test]
    fn cues_are_due_at_their_plan_offsets() {
        let mut session = Session::new(plan(), secs(100.0), 1.0);
        let events = session.advance(secs(100.0 + 9.0));
        assert_eq!(
            cue_names(&events),
            [
                ("countdown", 101_000),
                ("countdown", 102_000),
                ("down", 103_000),
                ("tick", 104_000),
                ("up", 105_000),
                ("down", 106_000),
                ("tick", 107_000),
                ("up", 108_000),
                ("set_done", 109_000),
            ]
        );
        assert!(
            matches!(events.last(), Some(Event::SetEnded(o)) if o.started == secs(103.0) && o.ended == secs(109.0))
        );
    }

    #[test]
    fn pause_then_resume_keeps_the_remaining_timeline() {
        let mut session = Session::new(plan(), Span::ZERO, 1.0);
        session.advance(secs(4.0));
        session.command(Command::Pause, secs(4.0));
        assert_eq!(session.next_due(), None);
        assert_eq!(session.position(secs(60.0)), secs(4.0));
        assert!(session.advance(secs(60.0)).is_empty());
        session.command(Command::Resume, secs(64.0));
        // The next cue (tick at plan 4 s... already past; up at 5 s) is due 1 s after resuming.
        assert_eq!(session.next_due(), Some(secs(65.0)));
        let events = session.advance(secs(65.0));
        assert_eq!(cue_names(&events), [("up", 65_000)]);
        assert_eq!(session.status(secs(65.0)).remaining, secs(14.0));
    }

    #[test]
    fn skip_goes_to_the_end_of_the_phase_or_past_the_rest() {
        let mut session = Session::new(plan(), Span::ZERO, 1.0);
        session.advance(secs(3.5));
        session.command(Command::Skip, secs(3.5));
        assert_eq!(session.position(secs(3.5)), secs(5.0));
        let events = session.advance(secs(3.5));
        assert_eq!(cue_names(&events), [("up", 3_500)]);
        // Into the rest (plan 9-13 s), then skip it: the next set starts at once.
        session.advance(secs(9.5));
        assert_eq!(
            session.status(secs(9.5)).segment.unwrap().kind,
            SegmentKind::Rest
        );
        session.command(Command::Skip, secs(9.5));
        assert_eq!(session.position(secs(9.5)), secs(13.0));
        assert_eq!(cue_names(&session.advance(secs(9.5))), [("down", 9_500)]);
    }

    #[test]
    fn a_skipped_part_of_a_set_is_not_counted_as_done() {
        let mut session = Session::new(plan(), Span::ZERO, 1.0);
        // 1.5 s into the first eccentric phase (2 s), skip its last 0.5 s.
        session.advance(secs(4.5));
        session.command(Command::Skip, secs(4.5));
        let mut events = Vec::new();
        let mut now = secs(4.5);
        while events.is_empty() || !events.iter().any(|e| matches!(e, Event::SetEnded(_))) {
            now += Span::from_millis(100);
            events.extend(session.advance(now));
        }
        let Some(Event::SetEnded(outcome)) =
            events.iter().find(|e| matches!(e, Event::SetEnded(_)))
        else {
            unreachable!()
        };
        assert_eq!(outcome.tut, secs(5.5));
        assert_eq!(outcome.done_work, secs(5.5));
        assert_eq!(outcome.done_reps, Some(2));
    }

    #[test]
    fn skipping_every_phase_does_not_count_the_reps() {
        let mut session = Session::new(plan(), Span::ZERO, 1.0);
        session.advance(secs(3.0));
        let mut ends = Vec::new();
        for _ in 0..10 {
            session.command(Command::Skip, secs(3.0));
            ends.extend(
                session
                    .advance(secs(3.0))
                    .into_iter()
                    .filter_map(|e| match e {
                        Event::SetEnded(o) => Some(o),
                        _ => None,
                    }),
            );
        }
        assert_eq!(ends[0].done_reps, Some(0));
        assert_eq!(ends[0].tut, Span::ZERO);
    }

    #[test]
    fn a_set_restarted_after_it_ended_is_recorded_again() {
        let mut session = Session::new(plan(), Span::ZERO, 1.0);
        let first = session.advance(secs(9.5));
        assert_eq!(
            first
                .iter()
                .filter(|e| matches!(e, Event::SetEnded(_)))
                .count(),
            1
        );
        // In the first second of the rest: back into the set's last phase, then restart it.
        session.command(Command::Back, secs(9.5));
        session.command(Command::RestartSet, secs(9.5));
        assert_eq!(session.position(secs(9.5)), secs(3.0));
        let again = session.advance(secs(15.5));
        assert_eq!(
            again
                .iter()
                .filter(|e| matches!(e, Event::SetEnded(_)))
                .count(),
            1
        );
    }

    #[test]
    fn every_due_reading_reaches_its_cue_at_odd_speeds() {
        for speed in [0.7, 0.3, 1.7, 3.3] {
            let mut session = Session::new(plan(), Span::ZERO, speed);
            let mut wakes = 0;
            while let Some(due) = session.next_due() {
                session.advance(due);
                wakes += 1;
                assert!(wakes < 1000, "spinning at speed {speed}");
            }
            assert!(session.is_finished());
        }
    }

    #[test]
    fn plus_and_minus_never_step_the_wrong_way() {
        let mut session = Session::new(plan(), Span::ZERO, 10.0);
        session.command(Command::Faster, Span::ZERO);
        assert!((session.speed() - 10.0).abs() < 1e-9);
        session.command(Command::Slower, Span::ZERO);
        assert!((session.speed() - 8.0).abs() < 1e-9);
        let mut session = Session::new(plan(), Span::ZERO, 1.0);
        for _ in 0..20 {
            session.command(Command::Faster, Span::ZERO);
        }
        assert!((session.speed() - 4.0).abs() < 1e-9);
    }

    #[test]
    fn back_goes_to_the_phase_start_or_the_previous_phase() {
        let mut session = Session::new(plan(), Span::ZERO, 1.0);
        session.advance(secs(4.5));
        // 1.5 s into the eccentric phase: back to its start.
        session.command(Command::Back, secs(4.5));
        assert_eq!(session.position(secs(4.5)), secs(3.0));
        assert_eq!(cue_names(&session.advance(secs(4.5))), [("down", 4_500)]);
        // 0.5 s into the concentric phase of rep 1: back to the eccentric one.
        session.advance(secs(7.0));
        session.command(Command::Back, secs(7.0));
        assert_eq!(session.position(secs(7.0)), secs(3.0));
    }

    #[test]
    fn restart_set_goes_back_to_the_first_rep_and_logs_the_set_once() {
        let mut session = Session::new(plan(), Span::ZERO, 1.0);
        session.advance(secs(7.0));
        session.command(Command::RestartSet, secs(7.0));
        assert_eq!(session.position(secs(7.0)), secs(3.0));
        let mut events = Vec::new();
        let mut now = secs(7.0);
        while !session.is_finished() {
            now += Span::from_millis(250);
            events.extend(session.advance(now));
        }
        let ends: Vec<&SetOutcome> = events
            .iter()
            .filter_map(|e| match e {
                Event::SetEnded(o) => Some(o),
                _ => None,
            })
            .collect();
        assert_eq!(ends.len(), 2);
        // The restarted set began again at the restart.
        assert_eq!(ends[0].started, secs(7.0));
    }

    #[test]
    fn stop_reports_the_set_in_progress_with_the_reps_done() {
        let mut session = Session::new(plan(), Span::ZERO, 1.0);
        session.advance(secs(7.0));
        // 4 s into set 1: rep 1 done (3 s), rep 2 one second in.
        let events = session.command(Command::Stop, secs(7.0));
        let Some(Event::SetEnded(outcome)) =
            events.iter().find(|e| matches!(e, Event::SetEnded(_)))
        else {
            panic!("no set ended: {events:?}")
        };
        assert_eq!(outcome.status, SetStatus::Stopped);
        assert_eq!(outcome.done_reps, Some(1));
        assert_eq!(outcome.tut, secs(4.0));
        assert_eq!(events.last(), Some(&Event::Finished));
        assert!(session.is_finished());
        // Stopped during a rest: no set is in progress.
        let mut session = Session::new(plan(), Span::ZERO, 1.0);
        session.advance(secs(10.0));
        let events = session.command(Command::Stop, secs(10.0));
        assert!(!events.iter().any(|e| matches!(e, Event::SetEnded(_))));
    }

    #[test]
    fn speed_changes_reanchor_the_timeline() {
        let mut session = Session::new(plan(), Span::ZERO, 2.0);
        // At speed 2 the first countdown (plan 1 s) is due at 0.5 s, the first down
        // (plan 3 s) at 1.5 s.
        assert_eq!(session.next_due(), Some(secs(0.5)));
        let events = session.advance(secs(1.5));
        assert_eq!(cue_names(&events).last(), Some(&("down", 1_500)));
        session.command(Command::Slower, secs(1.5));
        assert!((session.speed() - 1.6).abs() < 1e-9);
        // The tick at plan 4 s is 1 s of plan time away: 0.625 s at 1.6x.
        assert_eq!(session.next_due(), Some(secs(2.125)));
        assert_eq!(session.advance(secs(2.125)).len(), 1);
    }

    #[test]
    fn cue_kinds_arrive_in_plan_order_across_commands() {
        let mut session = Session::new(plan(), Span::ZERO, 1.0);
        let mut offsets = Vec::new();
        for (t, command) in [
            (2.0, Command::Pause),
            (5.0, Command::Resume),
            (9.0, Command::Faster),
        ] {
            for e in session.advance(secs(t)) {
                if let Event::Cue { cue, .. } = e {
                    offsets.push(cue.offset);
                }
            }
            session.command(command, secs(t));
        }
        for e in session.advance(secs(100.0)) {
            if let Event::Cue { cue, .. } = e {
                offsets.push(cue.offset);
            }
        }
        assert!(offsets.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(offsets.len(), session.plan().cues.len());
        assert_eq!(
            session.plan().cues.last().unwrap().kind,
            CueKind::SessionDone
        );
    }
}
