//! What `--voice` says and when: the one place that decides it, a pure function from
//! the plan (and the lengths of the recorded words) to a list of (sample, words).
//!
//! Two kinds of speech:
//! - **cue words** replace a cue's tone at the cue's own sample: the rep's number on its
//!   first phase, "down"/"up"/"hold", the spoken 3-2-1, "rest" at a set's end, "switch
//!   sides", "done"; an eccentric-only return says "up on the other leg" on a set's
//!   first rep.
//! - **announcements** sit in the waiting stretches (lead-in, rest, side switch) between
//!   the cues' sounds: after a rest's "rest", its length and what comes next; before each
//!   set, the exercise, "set 2 of 4" (or "last set") and the side.
//!
//! An announcement never moves or overlaps a cue: it is placed in a gap of silence
//! between the sounds of the cues (and of the announcements placed before it), with
//! [`MARGIN`] of silence either side, inside its waiting stretch; when it does not fit,
//! its least important phrase is dropped until it does, or nothing is said. DESIGN.md
//! ("Spoken guidance") has the rule and why.

use super::sounds::{Sound, Word};
use crate::plan::{Cue, CueKind, Plan, PlannedWork, SegmentKind};
use crate::preset::Side;
use crate::span::Span;

/// Silence between two words of one utterance, in ms.
pub const WORD_GAP_MS: u32 = 40;
/// Silence kept between an announcement and any other sound, in ms.
pub const MARGIN_MS: u32 = 80;
/// Silence kept between a cue's words and the next cue, in ms: enough for the next
/// cue's onset to stand clear (the render test measures onsets after 1 ms of silence).
pub const CUE_MARGIN_MS: u32 = 30;

/// How plan time maps to samples: the output rate and the run's speed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Timing {
    pub rate: u32,
    pub speed: f64,
}

impl Timing {
    /// The sample of plan offset `offset` from the session's start: `round(offset *
    /// rate / speed)`, in integers at speed 1 (the cue track's rule, `show --json`'s
    /// contract).
    #[must_use]
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "offsets are below 2^53 µs; the result is positive"
    )]
    pub fn sample(self, offset: Span) -> u64 {
        let us = offset.as_micros();
        if (self.speed - 1.0).abs() < f64::EPSILON {
            ((u128::from(us) * u128::from(self.rate) + 500_000) / 1_000_000) as u64
        } else {
            (us as f64 * f64::from(self.rate) / 1e6 / self.speed).round() as u64
        }
    }

    /// The plan offset whose [`Timing::sample`] is `sample` (exact at speed 1: the
    /// offset is floored to the microsecond, less than half a sample).
    #[must_use]
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "samples are below 2^53; the result is positive"
    )]
    pub fn offset(self, sample: u64) -> Span {
        if (self.speed - 1.0).abs() < f64::EPSILON {
            Span::from_micros((u128::from(sample) * 1_000_000 / u128::from(self.rate)) as u64)
        } else {
            Span::from_micros(
                (sample as f64 * 1e6 * self.speed / f64::from(self.rate)).ceil() as u64,
            )
        }
    }

    /// `ms` milliseconds in samples.
    #[must_use]
    pub fn ms(self, ms: u32) -> u64 {
        u64::from(self.rate) * u64::from(ms) / 1000
    }
}

/// Words said from one sample on, one after the other with [`WORD_GAP_MS`] between them.
#[derive(Clone, Debug, PartialEq)]
pub struct Said {
    /// Where on the plan: the cue's own offset for cue words.
    pub offset: Span,
    /// The index in [`Plan::cues`] of the cue whose tone these words replace; `None`
    /// for an announcement.
    pub cue: Option<usize>,
    /// The first sample, at the [`Timing`] the list was made for.
    pub sample: u64,
    pub words: Vec<Sound>,
}

/// Everything `--voice` says in a session of `plan`, in time order. `len` gives each
/// sound's length in samples at `timing.rate`; an exercise name of length 0 (none
/// recorded or synthesised) is said as "exercise" and the block's number.
#[must_use]
pub fn script(plan: &Plan, timing: Timing, len: &dyn Fn(Sound) -> usize) -> Vec<Said> {
    let gap = timing.ms(WORD_GAP_MS);
    let length = |words: &[Sound]| -> u64 {
        let sum: u64 = words.iter().map(|&w| len(w) as u64).sum();
        sum + gap * (words.len().saturating_sub(1) as u64)
    };
    // Every sound at a cue (spoken or a tone) is busy time an announcement keeps off.
    let (mut said, mut busy) = spoken_cues(plan, timing, len, &length);
    let margin = timing.ms(MARGIN_MS);
    let name = |block: usize| -> Vec<Sound> {
        if len(Sound::Name(block)) > 0 {
            vec![Sound::Name(block)]
        } else {
            let mut words = vec![Sound::Word(Word::Exercise)];
            words.extend(number_words(u16::try_from(block + 1).unwrap_or(999)));
            words
        }
    };
    let last = plan
        .segments
        .iter()
        .rev()
        .find(|s| s.kind == SegmentKind::SetEnd)
        .map(|s| (s.block, s.set));
    let set_words = |block: usize, set: u32| -> Vec<Sound> {
        if Some((block, set)) == last {
            return vec![Sound::Word(Word::LastSet)];
        }
        let mut words = vec![Sound::Word(Word::Set)];
        words.extend(number_words(clamp_u16(set)));
        words.push(Sound::Word(Word::Of));
        words.extend(number_words(clamp_u16(plan.blocks[block].sets)));
        words
    };
    let mut previous_end: Option<(usize, u32)> = None;
    for segment in &plan.segments {
        match segment.kind {
            SegmentKind::SetEnd => previous_end = Some((segment.block, segment.set)),
            SegmentKind::LeadIn | SegmentKind::Rest | SegmentKind::Switch => {
                let window = (timing.sample(segment.start), timing.sample(segment.end));
                // The announcement of the set comes before its 3-2-1, which leads into
                // the set on its own.
                let countdown = plan
                    .cues
                    .iter()
                    .find(|c| {
                        matches!(c.kind, CueKind::Countdown(_))
                            && c.offset > segment.start
                            && c.offset < segment.end
                    })
                    .map_or(window.1, |c| timing.sample(c.offset));
                let (block, set) = (segment.block, segment.set);
                if segment.kind == SegmentKind::Rest {
                    // After "rest": how long, and what comes next.
                    let next = if previous_end.is_some_and(|(b, _)| b != block) {
                        name(block)
                    } else {
                        set_words(block, set)
                    };
                    let phrases = vec![
                        (0, duration_words(segment.end.saturating_sub(segment.start))),
                        (1, [vec![Sound::Word(Word::Next)], next].concat()),
                    ];
                    if let Some(a) = place(&phrases, window, Align::Early, &busy, margin, &length) {
                        busy.push((a.sample, a.sample + length(&a.words)));
                        said.push(Said {
                            offset: timing.offset(a.sample),
                            ..a
                        });
                    }
                }
                // Before the set: the exercise, the set, the side; on a block's first
                // set the name matters most, later the side.
                let first = set == 1 && previous_end.is_none_or(|(b, _)| b != block);
                let side = match segment.side {
                    Side::Left => vec![Sound::Word(Word::Left)],
                    Side::Right => vec![Sound::Word(Word::Right)],
                    Side::Both => Vec::new(),
                };
                let (name_rank, side_rank, set_rank) = if first { (0, 1, 2) } else { (2, 0, 1) };
                let phrases = vec![
                    (name_rank, name(block)),
                    (set_rank, set_words(block, set)),
                    (side_rank, side),
                ];
                let before = (window.0, countdown);
                if let Some(a) = place(&phrases, before, Align::Late, &busy, margin, &length) {
                    busy.push((a.sample, a.sample + length(&a.words)));
                    said.push(Said {
                        offset: timing.offset(a.sample),
                        ..a
                    });
                }
            }
            _ => {}
        }
    }
    said.sort_by_key(|s| s.sample);
    said
}

/// The words said at cues, and the stretch each cue's sound (words or tone) takes.
fn spoken_cues(
    plan: &Plan,
    timing: Timing,
    len: &dyn Fn(Sound) -> usize,
    length: &dyn Fn(&[Sound]) -> u64,
) -> (Vec<Said>, Vec<(u64, u64)>) {
    let mut said = Vec::new();
    let mut busy = Vec::new();
    let cue_margin = timing.ms(CUE_MARGIN_MS);
    for (i, cue) in plan.cues.iter().enumerate() {
        let sample = timing.sample(cue.offset);
        // Words that would still sound at the next cue give way to shorter ones, or to
        // the tone: a cue's onset stays clear.
        let room = plan.cues[i + 1..]
            .iter()
            .map(|c| timing.sample(c.offset))
            .find(|&s| s > sample)
            .map_or(u64::MAX, |next| next - sample);
        let fits = |w: &Vec<Sound>| length(w) + cue_margin <= room;
        let words = cue_words(plan, cue).and_then(|w| {
            if fits(&w) {
                Some(w)
            } else {
                shorter(&w).filter(fits)
            }
        });
        let sound_len = words
            .as_deref()
            .map_or_else(|| len(super::sounds::tone(cue.kind)) as u64, length);
        busy.push((sample, sample + sound_len));
        if let Some(words) = words {
            said.push(Said {
                offset: cue.offset,
                cue: Some(i),
                sample,
                words,
            });
        }
    }
    (said, busy)
}

/// Where in its window an announcement goes: as early as it can (after a rest's
/// "rest") or as late as it can (before the set it announces).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Align {
    Early,
    Late,
}

/// Places `phrases` (each with its rank, 0 the most important, in spoken order) in
/// `window` without coming within `margin` of a busy stretch. Taken by rank, each phrase
/// is kept if it still fits with those kept before it, so a long name that cannot fit
/// leaves room for the set and the side. The result's offset is unset.
fn place(
    phrases: &[(u8, Vec<Sound>)],
    window: (u64, u64),
    align: Align,
    busy: &[(u64, u64)],
    margin: u64,
    length: &dyn Fn(&[Sound]) -> u64,
) -> Option<Said> {
    let mut order: Vec<usize> = (0..phrases.len()).collect();
    order.sort_by_key(|&i| phrases[i].0);
    let mut kept = vec![false; phrases.len()];
    let mut best = None;
    for i in order.into_iter().filter(|&i| !phrases[i].1.is_empty()) {
        kept[i] = true;
        let words: Vec<Sound> = phrases
            .iter()
            .zip(&kept)
            .filter(|&(_, &k)| k)
            .flat_map(|((_, w), _)| w.iter().copied())
            .collect();
        match fit(length(&words), window, align, busy, margin) {
            Some(sample) => {
                best = Some(Said {
                    offset: Span::ZERO,
                    cue: None,
                    sample,
                    words,
                });
            }
            None => kept[i] = false,
        }
    }
    best
}

/// The first (or last) start in `window` where `len` samples stay `margin` clear of
/// every busy stretch; also `margin` clear of the window's start, so that speech does
/// not run straight on from the sound before it.
fn fit(
    len: u64,
    (from, to): (u64, u64),
    align: Align,
    busy: &[(u64, u64)],
    margin: u64,
) -> Option<u64> {
    let from = from + margin;
    if from + len > to {
        return None;
    }
    // The stretches that reach into the window, widened by the margin, in time order.
    let mut blocked: Vec<(u64, u64)> = busy
        .iter()
        .map(|&(s, e)| (s.saturating_sub(margin), e + margin))
        .filter(|&(s, e)| e > from && s < to)
        .collect();
    blocked.sort_unstable();
    // The free gaps between them.
    let mut gaps = Vec::new();
    let mut at = from;
    for (s, e) in blocked {
        if s > at {
            gaps.push((at, s));
        }
        at = at.max(e);
    }
    if at < to {
        gaps.push((at, to));
    }
    let fits = |&&(s, e): &&(u64, u64)| e - s >= len;
    match align {
        Align::Early => gaps.iter().find(fits).map(|&(s, _)| s),
        Align::Late => gaps.iter().rev().find(fits).map(|&(_, e)| e - len),
    }
}

/// The words a cue says instead of its tone, or `None` where it keeps the tone (ticks,
/// pauses, cadence beats).
#[must_use]
pub fn cue_words(plan: &Plan, cue: &Cue) -> Option<Vec<Sound>> {
    let word = |w| Some(vec![Sound::Word(w)]);
    let block = &plan.blocks[cue.block];
    match cue.kind {
        CueKind::Down | CueKind::Up if first_phase_of_rep(plan, cue) => {
            Some(number_words(clamp_u16(cue.rep.unwrap_or(1))))
        }
        CueKind::Up if cue.rep == Some(1) => match block.work {
            PlannedWork::Reps {
                eccentric_only: true,
                ..
            } => word(return_word(block.notes.as_deref())),
            _ => word(Word::Up),
        },
        CueKind::Down => word(Word::Down),
        CueKind::Up => word(Word::Up),
        CueKind::Hold => word(Word::Hold),
        CueKind::Countdown(n) => Some(number_words(u16::from(n))),
        CueKind::Switch => word(Word::SwitchSides),
        CueKind::SetDone => word(Word::Rest),
        CueKind::SessionDone => word(Word::Done),
        CueKind::Pause | CueKind::Tick | CueKind::Beat => None,
    }
}

/// What a cue says when its words are too long for the time to the next cue.
fn shorter(words: &[Sound]) -> Option<Vec<Sound>> {
    match words {
        [Sound::Word(Word::UpOtherLeg | Word::UpBothLegs)] => Some(vec![Sound::Word(Word::Up)]),
        _ => None,
    }
}

/// How an eccentric-only block comes back up: on both legs where the preset's notes
/// say so (the decline squat), else on the other leg (Alfredson's heel drop).
fn return_word(notes: Option<&str>) -> Word {
    if notes.is_some_and(|n| n.to_ascii_lowercase().contains("both legs")) {
        Word::UpBothLegs
    } else {
        Word::UpOtherLeg
    }
}

/// Whether `cue` starts the first phase of its rep (and the rep has a number to say).
fn first_phase_of_rep(plan: &Plan, cue: &Cue) -> bool {
    let Some(rep) = cue.rep else { return false };
    !matches!(plan.blocks[cue.block].work, PlannedWork::Hold(_))
        && !plan.segments.iter().any(|s| {
            s.block == cue.block
                && s.set == cue.set
                && s.side == cue.side
                && s.rep == Some(rep)
                && s.start < cue.offset
                && s.end > s.start
        })
}

fn clamp_u16(n: u32) -> u16 {
    u16::try_from(n.min(999)).unwrap_or(999)
}

/// `n` in words from the recorded counts, up to 999 ("one hundred twenty three");
/// larger numbers are said as 999.
#[must_use]
pub fn number_words(n: u16) -> Vec<Sound> {
    let n = n.min(999);
    if n == 0 {
        return vec![Sound::Count(0)];
    }
    let mut words = Vec::new();
    let (hundreds, rest) = (n / 100, n % 100);
    if hundreds > 0 {
        words.extend([Sound::Count(hundreds), Sound::Word(Word::Hundred)]);
    }
    if rest > 20 {
        words.push(Sound::Count(rest / 10 * 10));
        if rest % 10 > 0 {
            words.push(Sound::Count(rest % 10));
        }
    } else if rest > 0 {
        words.push(Sound::Count(rest));
    }
    words
}

/// A rest's length in words: "two minutes", "one minute thirty seconds", "forty five
/// seconds" (to the nearest second).
#[must_use]
pub fn duration_words(length: Span) -> Vec<Sound> {
    let seconds = (length.as_micros() + 500_000) / 1_000_000;
    let (minutes, seconds) = (seconds / 60, seconds % 60);
    let mut words = Vec::new();
    for (n, one, many) in [
        (minutes, Word::Minute, Word::Minutes),
        (seconds, Word::Second, Word::Seconds),
    ] {
        if n > 0 {
            words.extend(number_words(u16::try_from(n.min(999)).unwrap_or(999)));
            words.push(Sound::Word(if n == 1 { one } else { many }));
        }
    }
    words
}

/// Words as text: "set two of four", with an exercise name as `<name 1>` (its block).
#[must_use]
pub fn text(words: &[Sound]) -> String {
    const ONES: [&str; 21] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ];
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    words
        .iter()
        .map(|w| match *w {
            Sound::Word(w) => w.text().to_owned(),
            Sound::Count(n) if n <= 20 => ONES[usize::from(n)].to_owned(),
            Sound::Count(n) => TENS[usize::from(n / 10 % 10)].to_owned(),
            Sound::Name(b) => format!("<name {}>", b + 1),
            tone => format!("<{tone:?}>"),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::plan::test_plan as plan;

    #[test]
    fn numbers_in_words() {
        let say = |n| text(&number_words(n));
        assert_eq!(say(0), "zero");
        assert_eq!(say(7), "seven");
        assert_eq!(say(13), "thirteen");
        assert_eq!(say(20), "twenty");
        assert_eq!(say(45), "forty five");
        assert_eq!(say(100), "one hundred");
        assert_eq!(say(123), "one hundred twenty three");
        assert_eq!(say(999), "nine hundred ninety nine");
        assert_eq!(say(1000), "nine hundred ninety nine");
        // Every count used is a recorded one.
        for n in 0..=999 {
            for w in number_words(n) {
                if let Sound::Count(c) = w {
                    assert!(super::super::sounds::COUNTS.contains(&c), "{n}: {c}");
                }
            }
        }
    }

    #[test]
    fn rest_lengths_in_words() {
        let say = |s| text(&duration_words(Span::from_secs(s)));
        assert_eq!(say(120), "two minutes");
        assert_eq!(say(90), "one minute thirty seconds");
        assert_eq!(say(45), "forty five seconds");
        assert_eq!(say(1), "one second");
    }

    /// Every word 0.3 s long, a name 1 s, tones 0.1 s; 1000 samples a second.
    fn lengths(sound: Sound) -> usize {
        match sound {
            Sound::Word(_) | Sound::Count(_) => 300,
            Sound::Name(_) => 1000,
            _ => 100,
        }
    }

    const SIDED: &str = "lead_in = \"8s\"\n[[block]]\nexercise = \"Heel drop\"\nreps = 1\n\
        tempo = \"3-0-2-0\"\neccentric_only = true\nsets = 2\nrest = \"1m\"\nsides = \"each\"\n\
        switch = \"5s\"\nnotes = \"come back up on the other one\"\n";

    #[test]
    fn what_is_said_when_in_a_sided_preset() {
        let p = plan(SIDED);
        let timing = Timing {
            rate: 1000,
            speed: 1.0,
        };
        let said: Vec<(u64, String)> = script(&p, timing, &lengths)
            .iter()
            .map(|s| (s.sample, text(&s.words)))
            .collect();
        // Lead-in 0-8 s, countdown at 5, 6, 7 s (0.3 s words). Before set 1: the name
        // first, ending a margin before the "three" at 5 s: a name and five words with
        // five gaps, 2.7 s, from 4920 - 2700 = 2220.
        let expected: Vec<(u64, &str)> = vec![
            (2220, "<name 1> set one of two left"),
            (5000, "three"),
            (6000, "two"),
            (7000, "one"),
            // Set 1 left: the count on the lowering, the return on the other leg.
            (8000, "one"),
            (11_000, "up on the other leg"),
            // Switch 13-18 s: "switch sides" 13-13.3; countdown at 15, 16, 17 s: 1.54 s
            // free from 13.38 to 14.92. By rank (side, set, name after a block's first
            // set): "right" fits, "set one of two right" (1.66 s) does not, "<name>
            // right" (1.34 s) does, ending at 14.92.
            (13_000, "switch sides"),
            (13_580, "<name 1> right"),
            (15_000, "three"),
            (16_000, "two"),
            (17_000, "one"),
            (18_000, "one"),
            (21_000, "up on the other leg"),
            // Rest 23-83 s: "rest", then its length and what is next, after a margin.
            (23_000, "rest"),
            (23_380, "one minute next last set"),
            // Before the last set, right before the countdown: 79920 - 1680 = 78240.
            (78_240, "<name 1> last set left"),
            (80_000, "three"),
            (81_000, "two"),
            (82_000, "one"),
            (83_000, "one"),
            (86_000, "up on the other leg"),
            (88_000, "switch sides"),
            (89_280, "last set right"),
            (90_000, "three"),
            (91_000, "two"),
            (92_000, "one"),
            (93_000, "one"),
            (96_000, "up on the other leg"),
            (98_000, "done"),
        ];
        let expected: Vec<(u64, String)> = expected
            .into_iter()
            .map(|(s, t)| (s, t.to_owned()))
            .collect();
        assert_eq!(said, expected);
    }

    #[test]
    fn announcements_keep_clear_of_every_cue_sound() {
        let p = plan(SIDED);
        let timing = Timing {
            rate: 1000,
            speed: 1.0,
        };
        let said = script(&p, timing, &lengths);
        let gap = timing.ms(WORD_GAP_MS);
        let len = |words: &[Sound]| {
            words.iter().map(|&w| lengths(w) as u64).sum::<u64>() + gap * (words.len() as u64 - 1)
        };
        let announcements: Vec<&Said> = said
            .iter()
            .filter(|s| !p.cues.iter().any(|c| c.offset == s.offset))
            .collect();
        assert_eq!(announcements.len(), 5);
        for a in announcements {
            for c in &p.cues {
                let at = timing.sample(c.offset);
                let sound = cue_words(&p, c).map_or(100, |w| len(&w));
                assert!(
                    at >= a.sample + len(&a.words) + 80 || at + sound + 80 <= a.sample,
                    "{:?} at {} overlaps the cue at {at}",
                    text(&a.words),
                    a.sample
                );
            }
        }
    }

    #[test]
    fn a_missing_name_is_said_as_the_block_number_and_a_short_wait_drops_it_all() {
        let p = plan(
            "lead_in = \"10s\"\n[[block]]\nexercise = \"A\"\nhold = \"5s\"\nsets = 1\n\
             rest_after = \"3s\"\n[[block]]\nexercise = \"B\"\nhold = \"5s\"\nsets = 1\n",
        );
        let timing = Timing {
            rate: 1000,
            speed: 1.0,
        };
        let no_names = |s: Sound| {
            if matches!(s, Sound::Name(_)) {
                0
            } else {
                lengths(s)
            }
        };
        let said: Vec<String> = script(&p, timing, &no_names)
            .iter()
            .map(|s| text(&s.words))
            .collect();
        assert_eq!(said[0], "exercise one set one of one");
        // The 3 s rest is all countdown: no room for anything but the cues.
        assert!(!said.iter().any(|s| s.contains("exercise two")), "{said:?}");
    }

    #[test]
    fn words_too_long_for_the_next_cue_give_way() {
        // A 1 s return with a tick 1 s after it: "up" instead; a rep count that would
        // run into the next phase (0.3 s phases, 0.3 s words): the tone.
        let p = plan(SIDED);
        let timing = Timing {
            rate: 1000,
            speed: 1.0,
        };
        let long = |s: Sound| match s {
            Sound::Word(Word::UpOtherLeg) => 1000,
            _ => lengths(s),
        };
        let said = script(&p, timing, &long);
        assert!(
            said.iter()
                .any(|s| s.sample == 11_000 && text(&s.words) == "up")
        );
        let fast = plan(
            "lead_in = \"0s\"\n[[block]]\nexercise = \"A\"\nreps = 2\ntempo = \"0.3-0-0.3-0\"\nsets = 1\n",
        );
        let said = script(&fast, timing, &lengths);
        let at: Vec<u64> = said
            .iter()
            .filter(|s| s.cue.is_some())
            .map(|s| s.sample)
            .collect();
        // Only "done" at the end has room: every phase cue keeps its tone.
        assert_eq!(at, [1200]);
    }

    #[test]
    fn offsets_and_samples_agree() {
        for rate in [44_100, 48_000] {
            let t = Timing { rate, speed: 1.0 };
            for sample in [0, 1, 12_345, 48_000 * 3600 + 7] {
                assert_eq!(t.sample(t.offset(sample)), sample);
            }
        }
    }
}
