//! The cue sounds: the project's own WAV files in `sounds/`, compiled into the binary,
//! decoded once at start-up into samples at the output rate, and which one each cue plays.

use std::io::Cursor;

use crate::plan::{Cue, CueKind, Plan};

/// Every tone, spoken word and count file, in the order of [`Sound::index`]. Each file
/// says its own rate: the tones and the first words are 48 kHz, the speech added for the
/// spoken guidance 16 kHz (see `sounds/README.md`).
const FILES: [&[u8]; 59] = [
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
    include_bytes!("../../sounds/word_hundred.wav"),
    include_bytes!("../../sounds/word_set.wav"),
    include_bytes!("../../sounds/word_of.wav"),
    include_bytes!("../../sounds/word_left.wav"),
    include_bytes!("../../sounds/word_right.wav"),
    include_bytes!("../../sounds/word_minute.wav"),
    include_bytes!("../../sounds/word_minutes.wav"),
    include_bytes!("../../sounds/word_second.wav"),
    include_bytes!("../../sounds/word_seconds.wav"),
    include_bytes!("../../sounds/word_next.wav"),
    include_bytes!("../../sounds/word_exercise.wav"),
    include_bytes!("../../sounds/word_up_other_leg.wav"),
    include_bytes!("../../sounds/word_up_both_legs.wav"),
    include_bytes!("../../sounds/count_00.wav"),
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
    include_bytes!("../../sounds/count_30.wav"),
    include_bytes!("../../sounds/count_40.wav"),
    include_bytes!("../../sounds/count_50.wav"),
    include_bytes!("../../sounds/count_60.wav"),
    include_bytes!("../../sounds/count_70.wav"),
    include_bytes!("../../sounds/count_80.wav"),
    include_bytes!("../../sounds/count_90.wav"),
];

/// The built-in presets' exercise names, spoken, by [`name_key`] of the exercise.
const NAME_FILES: [(&str, &[u8]); 14] = [
    (
        "bilateral_squat",
        include_bytes!("../../sounds/name_bilateral_squat.wav"),
    ),
    (
        "calf_stretch_bent_knee",
        include_bytes!("../../sounds/name_calf_stretch_bent_knee.wav"),
    ),
    (
        "calf_stretch_straight_knee",
        include_bytes!("../../sounds/name_calf_stretch_straight_knee.wav"),
    ),
    (
        "eccentric_heel_drop_bent_knee",
        include_bytes!("../../sounds/name_eccentric_heel_drop_bent_knee.wav"),
    ),
    (
        "eccentric_heel_drop_straight_knee",
        include_bytes!("../../sounds/name_eccentric_heel_drop_straight_knee.wav"),
    ),
    (
        "hack_squat",
        include_bytes!("../../sounds/name_hack_squat.wav"),
    ),
    (
        "heel_raise_in_the_leg_press_knee_straight",
        include_bytes!("../../sounds/name_heel_raise_in_the_leg_press_knee_straight.wav"),
    ),
    (
        "leg_extension_isometric_hold",
        include_bytes!("../../sounds/name_leg_extension_isometric_hold.wav"),
    ),
    (
        "leg_press",
        include_bytes!("../../sounds/name_leg_press.wav"),
    ),
    (
        "pogo_hops",
        include_bytes!("../../sounds/name_pogo_hops.wav"),
    ),
    ("running", include_bytes!("../../sounds/name_running.wav")),
    (
        "seated_heel_raise_knee_bent",
        include_bytes!("../../sounds/name_seated_heel_raise_knee_bent.wav"),
    ),
    (
        "single_leg_decline_squat_25_degree_board",
        include_bytes!("../../sounds/name_single_leg_decline_squat_25_degree_board.wav"),
    ),
    (
        "standing_heel_raise_on_a_disc_weight_with_a_barbell_knee_straight",
        include_bytes!(
            "../../sounds/name_standing_heel_raise_on_a_disc_weight_with_a_barbell_knee_straight.wav"
        ),
    ),
];

/// The counts recorded as words; every other number up to 999 is composed from them
/// ([`super::voice::number_words`]).
pub const COUNTS: [u16; 28] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 30, 40, 50, 60, 70,
    80, 90,
];

/// Spoken words, in the order of their files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Word {
    Down,
    Up,
    Hold,
    Rest,
    SwitchSides,
    LastSet,
    Done,
    Hundred,
    Set,
    Of,
    Left,
    Right,
    Minute,
    Minutes,
    Second,
    Seconds,
    Next,
    Exercise,
    /// The eccentric-only return: "up on the other leg".
    UpOtherLeg,
    /// The same where the preset comes back up on both legs.
    UpBothLegs,
}

impl Word {
    /// What the word says, for tests and the trace.
    #[must_use]
    pub const fn text(self) -> &'static str {
        match self {
            Word::Down => "down",
            Word::Up => "up",
            Word::Hold => "hold",
            Word::Rest => "rest",
            Word::SwitchSides => "switch sides",
            Word::LastSet => "last set",
            Word::Done => "done",
            Word::Hundred => "hundred",
            Word::Set => "set",
            Word::Of => "of",
            Word::Left => "left",
            Word::Right => "right",
            Word::Minute => "minute",
            Word::Minutes => "minutes",
            Word::Second => "second",
            Word::Seconds => "seconds",
            Word::Next => "next",
            Word::Exercise => "exercise",
            Word::UpOtherLeg => "up on the other leg",
            Word::UpBothLegs => "up on both legs",
        }
    }
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
    /// A spoken number: one of [`COUNTS`] (any other says zero).
    Count(u16),
    /// The exercise name of the plan's block with this index, when the bank has it
    /// ([`Bank::set_names`]); silent (empty) otherwise.
    Name(usize),
}

const WORDS_AT: usize = 11;
const COUNTS_AT: usize = WORDS_AT + 20;

impl Sound {
    /// Index into [`FILES`]; names are kept apart.
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
            Sound::Word(w) => WORDS_AT + w as usize,
            Sound::Count(n) => COUNTS_AT + COUNTS.iter().position(|&c| c == n).unwrap_or(0),
            Sound::Name(_) => usize::MAX,
        }
    }
}

/// A sound at its own rate, before it is converted to the output rate.
#[derive(Clone, Debug, PartialEq)]
pub struct Clip {
    pub rate: u32,
    pub samples: Vec<f32>,
}

impl Clip {
    /// Decodes a 16-bit mono WAV.
    ///
    /// # Errors
    /// When `bytes` is not a 16-bit integer WAV.
    pub fn from_wav(bytes: &[u8]) -> Result<Clip, hound::Error> {
        let reader = hound::WavReader::new(Cursor::new(bytes))?;
        let spec = reader.spec();
        if spec.bits_per_sample != 16 || spec.sample_format != hound::SampleFormat::Int {
            return Err(hound::Error::Unsupported);
        }
        let channels = usize::from(spec.channels.max(1));
        let all = reader
            .into_samples::<i16>()
            .map(|s| s.map(|s| f32::from(s) / 32768.0))
            .collect::<Result<Vec<f32>, _>>()?;
        // Only the first channel: the project's files are mono, espeak-ng's too.
        let samples = all.into_iter().step_by(channels).collect();
        Ok(Clip {
            rate: spec.sample_rate,
            samples,
        })
    }
}

/// The recorded name of a built-in exercise, if there is one.
#[must_use]
pub fn recorded_name(exercise: &str) -> Option<Clip> {
    let key = name_key(exercise);
    NAME_FILES
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, bytes)| Clip::from_wav(bytes).expect("an embedded WAV"))
}

/// The exercise name in lower case, each run of other characters one `_`: the rule
/// `sounds/make.py` names the files by.
#[must_use]
pub fn name_key(exercise: &str) -> String {
    let mut key = String::new();
    for c in exercise.chars().map(|c| c.to_ascii_lowercase()) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with('_') {
            key.push('_');
        }
    }
    key.trim_end_matches('_').to_owned()
}

/// Every sound, decoded, at one sample rate.
#[derive(Debug)]
pub struct Bank {
    rate: u32,
    sounds: Vec<Vec<f32>>,
    /// The plan's exercise names, by block; empty where there is none.
    names: Vec<Vec<f32>>,
}

impl Bank {
    /// Decodes every sound once, converted to `rate` when it is not the file's rate.
    ///
    /// # Panics
    /// If an embedded file is not the 16-bit mono WAV that `sounds/make.py` writes,
    /// which the test suite rules out.
    #[must_use]
    pub fn load(rate: u32) -> Bank {
        let sounds = FILES
            .iter()
            .map(|bytes| {
                let clip = Clip::from_wav(bytes).expect("an embedded WAV");
                resample(&clip.samples, clip.rate, rate)
            })
            .collect();
        Bank {
            rate,
            sounds,
            names: Vec::new(),
        }
    }

    /// Takes the exercise names of a plan's blocks (`None` where a block has none).
    pub fn set_names(&mut self, names: &[Option<Clip>]) {
        self.names = names
            .iter()
            .map(|clip| {
                clip.as_ref()
                    .map(|c| resample(&c.samples, c.rate, self.rate))
                    .unwrap_or_default()
            })
            .collect();
    }

    #[must_use]
    pub fn rate(&self) -> u32 {
        self.rate
    }

    #[must_use]
    pub fn samples(&self, sound: Sound) -> &[f32] {
        match sound {
            Sound::Name(block) => self.names.get(block).map_or(&[], Vec::as_slice),
            _ => &self.sounds[sound.index()],
        }
    }

    /// The longest cue sound, in samples: how long the end of a session rings on.
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

/// The tone a cue plays.
#[must_use]
pub const fn tone(kind: CueKind) -> Sound {
    match kind {
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
    }
}

/// The one sound a cue plays where only one can (the naive player): its tone, or with
/// `voice` the first of the words [`super::voice::cue_words`] gives it.
#[must_use]
pub fn sound_for(plan: &Plan, cue: &Cue, voice: bool) -> Sound {
    voice
        .then(|| super::voice::cue_words(plan, cue))
        .flatten()
        .and_then(|words| words.first().copied())
        .unwrap_or(tone(cue.kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rate of the tones.
    const FILE_RATE: u32 = 48_000;

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
    #[allow(clippy::float_cmp, reason = "digital silence is exactly 0")]
    fn every_built_in_exercise_has_its_recorded_name() {
        for (path, text) in crate::preset::builtin_sources() {
            let preset = crate::preset::Preset::parse(text, std::path::Path::new(path)).unwrap();
            for block in &preset.blocks {
                let clip = recorded_name(&block.exercise)
                    .unwrap_or_else(|| panic!("no clip for {:?}", block.exercise));
                assert!(
                    clip.samples.len() > clip.rate as usize / 4,
                    "{}",
                    block.exercise
                );
                assert!(clip.samples[0] != 0.0 && *clip.samples.last().unwrap() == 0.0);
            }
        }
        assert_eq!(
            name_key("Single-leg decline squat, 25 degree board"),
            "single_leg_decline_squat_25_degree_board"
        );
        assert!(recorded_name("Nordic curl").is_none());
    }

    #[test]
    fn names_are_resampled_to_the_bank_rate_and_missing_ones_are_silent() {
        let mut bank = Bank::load(48_000);
        let clip = Clip {
            rate: 16_000,
            samples: vec![0.5; 16_000],
        };
        bank.set_names(&[Some(clip), None]);
        assert_eq!(bank.samples(Sound::Name(0)).len(), 48_000);
        assert!(bank.samples(Sound::Name(1)).is_empty());
        assert!(bank.samples(Sound::Name(7)).is_empty());
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
