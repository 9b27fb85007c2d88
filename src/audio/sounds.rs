//! The cue sounds: the project's own WAV files in `sounds/`, compiled into the binary,
//! decoded once at start-up into samples at the output rate, and which one each cue plays.

use std::io::Cursor;

use crate::plan::{Cue, CueKind, Plan, PlannedWork};

/// The rate the sound files are made at.
pub const FILE_RATE: u32 = 48_000;

/// Every sound file, in the order of [`Sound::index`].
const FILES: [&[u8]; 48] = [
    include_bytes!("../../sounds/down.wav"),
    include_bytes!("../../sounds/up.wav"),
    include_bytes!("../../sounds/hold.wav"),
    include_bytes!("../../sounds/pause.wav"),
    include_bytes!("../../sounds/tick.wav"),
    include_bytes!("../../sounds/countdown.wav"),
    include_bytes!("../../sounds/countdown1.wav"),
    include_bytes!("../../sounds/beat.wav"),
    include_bytes!("../../sounds/switch.wav"),
    include_bytes!("../../sounds/set_done.wav"),
    include_bytes!("../../sounds/session_done.wav"),
    include_bytes!("../../sounds/word_down.wav"),
    include_bytes!("../../sounds/word_up.wav"),
    include_bytes!("../../sounds/word_hold.wav"),
    include_bytes!("../../sounds/word_rest.wav"),
    include_bytes!("../../sounds/word_switch.wav"),
    include_bytes!("../../sounds/word_last_set.wav"),
    include_bytes!("../../sounds/word_done.wav"),
    include_bytes!("../../sounds/count_01.wav"),
    include_bytes!("../../sounds/count_02.wav"),
    include_bytes!("../../sounds/count_03.wav"),
    include_bytes!("../../sounds/count_04.wav"),
    include_bytes!("../../sounds/count_05.wav"),
    include_bytes!("../../sounds/count_06.wav"),
    include_bytes!("../../sounds/count_07.wav"),
    include_bytes!("../../sounds/count_08.wav"),
    include_bytes!("../../sounds/count_09.wav"),
    include_bytes!("../../sounds/count_10.wav"),
    include_bytes!("../../sounds/count_11.wav"),
    include_bytes!("../../sounds/count_12.wav"),
    include_bytes!("../../sounds/count_13.wav"),
    include_bytes!("../../sounds/count_14.wav"),
    include_bytes!("../../sounds/count_15.wav"),
    include_bytes!("../../sounds/count_16.wav"),
    include_bytes!("../../sounds/count_17.wav"),
    include_bytes!("../../sounds/count_18.wav"),
    include_bytes!("../../sounds/count_19.wav"),
    include_bytes!("../../sounds/count_20.wav"),
    include_bytes!("../../sounds/count_21.wav"),
    include_bytes!("../../sounds/count_22.wav"),
    include_bytes!("../../sounds/count_23.wav"),
    include_bytes!("../../sounds/count_24.wav"),
    include_bytes!("../../sounds/count_25.wav"),
    include_bytes!("../../sounds/count_26.wav"),
    include_bytes!("../../sounds/count_27.wav"),
    include_bytes!("../../sounds/count_28.wav"),
    include_bytes!("../../sounds/count_29.wav"),
    include_bytes!("../../sounds/count_30.wav"),
];

/// Spoken words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Word {
    Down,
    Up,
    Hold,
    Rest,
    SwitchSides,
    LastSet,
    Done,
}

/// One sound of the bank.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sound {
    Down,
    Up,
    Hold,
    Pause,
    Tick,
    /// 3 and 2 before an end.
    Countdown,
    /// 1 before an end: higher, as the last.
    CountdownLast,
    Beat,
    Switch,
    SetDone,
    SessionDone,
    Word(Word),
    /// A spoken number, 1 to 30.
    Count(u8),
}

impl Sound {
    fn index(self) -> usize {
        match self {
            Sound::Down => 0,
            Sound::Up => 1,
            Sound::Hold => 2,
            Sound::Pause => 3,
            Sound::Tick => 4,
            Sound::Countdown => 5,
            Sound::CountdownLast => 6,
            Sound::Beat => 7,
            Sound::Switch => 8,
            Sound::SetDone => 9,
            Sound::SessionDone => 10,
            Sound::Word(w) => 11 + w as usize,
            Sound::Count(n) => 18 + usize::from(n.clamp(1, 30)) - 1,
        }
    }
}

/// Every sound, decoded, at one sample rate.
#[derive(Debug)]
pub struct Bank {
    rate: u32,
    sounds: Vec<Vec<f32>>,
}

impl Bank {
    /// Decodes every sound once, converted to `rate` when it is not the files' rate.
    ///
    /// # Panics
    /// If an embedded file is not the 16-bit mono WAV that `sounds/make.py` writes,
    /// which the test suite rules out.
    #[must_use]
    pub fn load(rate: u32) -> Bank {
        let sounds = FILES
            .iter()
            .map(|bytes| {
                let reader = hound::WavReader::new(Cursor::new(*bytes)).expect("an embedded WAV");
                let samples: Vec<f32> = reader
                    .into_samples::<i16>()
                    .map(|s| f32::from(s.expect("an embedded WAV")) / 32768.0)
                    .collect();
                resample(&samples, FILE_RATE, rate)
            })
            .collect();
        Bank { rate, sounds }
    }

    #[must_use]
    pub fn rate(&self) -> u32 {
        self.rate
    }

    #[must_use]
    pub fn samples(&self, sound: Sound) -> &[f32] {
        &self.sounds[sound.index()]
    }

    /// The longest sound, in samples: how long the end of a session rings on.
    #[must_use]
    pub fn longest(&self) -> usize {
        self.sounds.iter().map(Vec::len).max().unwrap_or(0)
    }
}

/// Linear interpolation from one rate to another; the first sample stays the first.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss,
    reason = "sound lengths are far below 2^24 samples"
)]
fn resample(samples: &[f32], from: u32, to: u32) -> Vec<f32> {
    if from == to || samples.is_empty() {
        return samples.to_vec();
    }
    let len = (samples.len() as u64 * u64::from(to) / u64::from(from)).max(1) as usize;
    let step = f64::from(from) / f64::from(to);
    let last = samples.len() - 1;
    (0..len)
        .map(|i| {
            let at = i as f64 * step;
            let (before, frac) = (at.floor() as usize, (at - at.floor()) as f32);
            let (a, b) = (samples[before.min(last)], samples[(before + 1).min(last)]);
            a + (b - a) * frac
        })
        .collect()
}

/// The sound a cue plays: a tone, or with `voice` the spoken word or count.
///
/// With voice, the first phase of each rep says the rep's number (a count, as a
/// physiotherapist counts), later phases say "down" or "up", the 3-2-1 are spoken, the
/// end of a set says "rest" (or "last set" before the last one), a side switch "switch
/// sides" and the end "done". Ticks, pauses and beats stay tones.
#[must_use]
pub fn sound_for(plan: &Plan, cue: &Cue, voice: bool) -> Sound {
    let tone = match cue.kind {
        CueKind::Down => Sound::Down,
        CueKind::Up => Sound::Up,
        CueKind::Hold => Sound::Hold,
        CueKind::Pause => Sound::Pause,
        CueKind::Tick => Sound::Tick,
        CueKind::Countdown(1) => Sound::CountdownLast,
        CueKind::Countdown(_) => Sound::Countdown,
        CueKind::Beat => Sound::Beat,
        CueKind::Switch => Sound::Switch,
        CueKind::SetDone => Sound::SetDone,
        CueKind::SessionDone => Sound::SessionDone,
    };
    if !voice {
        return tone;
    }
    match cue.kind {
        CueKind::Down | CueKind::Up if first_phase_of_rep(plan, cue) => {
            Sound::Count(u8::try_from(cue.rep.unwrap_or(1).min(30)).unwrap_or(30))
        }
        CueKind::Down => Sound::Word(Word::Down),
        CueKind::Up => Sound::Word(Word::Up),
        CueKind::Hold => Sound::Word(Word::Hold),
        CueKind::Countdown(n) => Sound::Count(n),
        CueKind::Switch => Sound::Word(Word::SwitchSides),
        CueKind::SetDone if next_set_is_last(plan, cue) => Sound::Word(Word::LastSet),
        CueKind::SetDone => Sound::Word(Word::Rest),
        CueKind::SessionDone => Sound::Word(Word::Done),
        _ => tone,
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

/// Whether the set after the one `cue` ends is the session's last.
fn next_set_is_last(plan: &Plan, cue: &Cue) -> bool {
    let ends = plan
        .segments
        .iter()
        .filter(|s| s.kind == crate::plan::SegmentKind::SetEnd && s.start > cue.offset)
        .count();
    ends == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::float_cmp, reason = "digital silence is exactly 0")]
    fn every_sound_decodes_and_starts_at_its_first_sample() {
        let bank = Bank::load(FILE_RATE);
        assert_eq!(bank.sounds.len(), FILES.len());
        for (i, s) in bank.sounds.iter().enumerate() {
            assert!(!s.is_empty(), "sound {i} is empty");
            assert!(s[0] != 0.0, "sound {i} starts with silence");
            assert!(s.iter().all(|x| x.abs() <= 1.0));
            assert_eq!(*s.last().unwrap(), 0.0, "sound {i} does not end in silence");
        }
    }

    #[test]
    fn the_phase_sounds_differ_in_pitch_direction() {
        // Zero crossings in the first and the last third: a falling sweep slows down.
        let crossings = |s: &[f32]| {
            s.windows(2)
                .filter(|w| (w[0] < 0.0) != (w[1] < 0.0))
                .count()
        };
        let bank = Bank::load(FILE_RATE);
        let third = |s: &[f32], k: usize| s[k * s.len() / 3..(k + 1) * s.len() / 3].to_vec();
        let down = bank.samples(Sound::Down);
        let up = bank.samples(Sound::Up);
        assert!(crossings(&third(down, 0)) > crossings(&third(down, 2)));
        assert!(crossings(&third(up, 0)) < crossings(&third(up, 2)));
    }

    #[test]
    fn resampling_keeps_the_length_in_time() {
        let one_second = vec![0.5_f32; 48_000];
        assert_eq!(resample(&one_second, 48_000, 44_100).len(), 44_100);
        assert_eq!(resample(&one_second, 48_000, 48_000).len(), 48_000);
    }
}
