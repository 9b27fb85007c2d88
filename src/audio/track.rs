//! The cue track: every cue of a plan at its exact sample, and a mixer that renders any
//! stretch of the session's audio. The live stream and `render` use the same code.
//!
//! A cue at plan offset `o` starts at sample `anchor_sample + round((o - anchor_pos) *
//! rate / speed)`, computed once from the absolute offset. From the start of a session
//! at speed 1 that is `round(o * rate)`, the `show --json` contract. Pause, skip, back
//! and speed changes move the anchor to a sample boundary; nothing is ever added up.
//!
//! With voice, what is said comes from [`voice::script`]: words at cues replace their
//! tones at the same sample, and announcements sit on the plan where the script placed
//! them, so pausing or skipping moves them with the cues.

use std::sync::Arc;

use super::sounds::{Bank, Sound, tone};
use super::voice::{self, Timing};
use crate::plan::Plan;
use crate::session::Motion;
use crate::span::Span;

/// An utterance or a tone in progress: its sounds one after the other, with
/// [`voice::WORD_GAP_MS`] of silence between them.
#[derive(Clone, Copy, Debug)]
struct Playing {
    /// Index into [`Track::phrases`].
    phrase: usize,
    /// The sound of the phrase playing, and its next sample.
    sound: usize,
    at: usize,
    /// Samples of silence left before the sound starts.
    wait: usize,
}

/// Where the plan is on the sample timeline, and how it moves: at `sample` the plan is
/// at `motion.pos`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Anchor {
    sample: u64,
    motion: Motion,
}

/// A plan's cues as sound.
#[derive(Debug)]
pub struct Track {
    bank: Arc<Bank>,
    /// Every sound's start on the plan, and what it plays, in time order.
    cues: Vec<(Span, usize)>,
    phrases: Vec<Vec<Sound>>,
    /// The silence between the words of a phrase, in samples.
    word_gap: usize,
    anchor: Anchor,
    /// The first cue not yet started, and the sample it starts at.
    next: usize,
    next_sample: Option<u64>,
    playing: Vec<Playing>,
    /// Samples rendered so far: the next one to render.
    rendered: u64,
    volume: f32,
    muted: bool,
}

impl Track {
    /// The track of `plan` from its start at sample 0, running at `speed`; with
    /// `voice`, spoken (the exercise names are the bank's, [`Bank::set_names`]).
    #[must_use]
    pub fn new(plan: &Plan, bank: Arc<Bank>, speed: f64, voice: bool) -> Track {
        let timing = Timing {
            rate: bank.rate(),
            speed,
        };
        let said = if voice {
            voice::script(plan, timing, &|s| bank.samples(s).len())
        } else {
            Vec::new()
        };
        let mut spoken = vec![false; plan.cues.len()];
        for i in said.iter().filter_map(|s| s.cue) {
            spoken[i] = true;
        }
        let mut timed: Vec<(Span, Vec<Sound>)> = plan
            .cues
            .iter()
            .zip(&spoken)
            .filter(|&(_, &spoken)| !spoken)
            .map(|(c, _)| (c.offset, vec![tone(c.kind)]))
            .collect();
        timed.extend(said.into_iter().map(|s| (s.offset, s.words)));
        // Stable: a tone and words at one offset keep the plan's order.
        timed.sort_by_key(|&(offset, _)| offset);
        let (cues, phrases) = timed
            .into_iter()
            .enumerate()
            .map(|(i, (offset, words))| ((offset, i), words))
            .unzip();
        let word_gap = usize::try_from(timing.ms(voice::WORD_GAP_MS)).unwrap_or(0);
        let mut track = Track {
            bank,
            cues,
            phrases,
            word_gap,
            anchor: Anchor {
                sample: 0,
                motion: Motion {
                    pos: Span::ZERO,
                    speed,
                    paused: false,
                },
            },
            next: 0,
            next_sample: None,
            playing: Vec::new(),
            rendered: 0,
            volume: 1.0,
            muted: false,
        };
        track.find_next();
        track
    }

    #[must_use]
    pub fn rate(&self) -> u32 {
        self.bank.rate()
    }

    /// The samples rendered so far.
    #[must_use]
    pub fn rendered(&self) -> u64 {
        self.rendered
    }

    /// Whether nothing can sound until the track is moved: no cue ahead (paused, or past
    /// the last) and no sound still ringing. The live stream sleeps then.
    #[must_use]
    pub fn is_idle(&self) -> bool {
        self.next_sample.is_none() && self.playing.is_empty()
    }

    /// Volume from 0 to 1.
    pub fn set_volume(&mut self, volume: f32) {
        self.volume = volume.clamp(0.0, 1.0);
    }

    pub fn set_muted(&mut self, muted: bool) {
        self.muted = muted;
    }

    #[must_use]
    pub fn is_muted(&self) -> bool {
        self.muted
    }

    /// The sample at which a cue at plan offset `offset` starts under the current anchor.
    #[must_use]
    pub fn sample_of(&self, offset: Span) -> u64 {
        let Anchor { sample, motion } = self.anchor;
        let timing = Timing {
            rate: self.rate(),
            speed: motion.speed,
        };
        sample + timing.sample(offset.saturating_sub(motion.pos))
    }

    fn find_next(&mut self) {
        self.next_sample = match (self.anchor.motion.paused, self.cues.get(self.next)) {
            (false, Some(&(offset, _))) => Some(self.sample_of(offset)),
            _ => None,
        };
    }

    /// Moves the plan to `motion.pos` at sample `sample`, the next to render or a later
    /// one (nothing new sounds before it), at its speed, paused or not. Cues from there
    /// on (one exactly at `pos` included) sound again; sounds already playing ring out.
    pub fn reanchor_at(&mut self, sample: u64, motion: Motion) {
        self.anchor = Anchor {
            sample: sample.max(self.rendered),
            motion,
        };
        self.next = self
            .cues
            .partition_point(|&(offset, _)| offset < motion.pos);
        self.find_next();
    }

    /// Renders the next `out.len()` samples of the session into `out`.
    pub fn render(&mut self, out: &mut [f32]) {
        out.fill(0.0);
        let end = self.rendered + out.len() as u64;
        let mut done = 0usize;
        loop {
            // Mix up to the next cue start (or the end of the buffer), then start it.
            let until = self.next_sample.filter(|&s| s < end).unwrap_or(end);
            let upto = usize::try_from(until.saturating_sub(self.rendered)).unwrap_or(out.len());
            self.mix(&mut out[done..upto.max(done)]);
            done = upto.max(done);
            if until >= end {
                break;
            }
            let phrase = self.cues[self.next].1;
            self.playing.push(Playing {
                phrase,
                sound: 0,
                at: 0,
                wait: 0,
            });
            self.next += 1;
            self.find_next();
        }
        let gain = if self.muted { 0.0 } else { self.volume };
        for x in out.iter_mut() {
            *x = (*x * gain).clamp(-1.0, 1.0);
        }
        self.rendered = end;
    }

    /// Adds every playing sound into `out`, and retires the ones that end.
    fn mix(&mut self, out: &mut [f32]) {
        let (bank, phrases, gap) = (&self.bank, &self.phrases, self.word_gap);
        self.playing.retain_mut(|p| {
            let phrase = &phrases[p.phrase];
            let mut done = 0;
            while done < out.len() && p.sound < phrase.len() {
                if p.wait > 0 {
                    let n = p.wait.min(out.len() - done);
                    p.wait -= n;
                    done += n;
                    continue;
                }
                let samples = bank.samples(phrase[p.sound]);
                let left = &samples[p.at.min(samples.len())..];
                let n = left.len().min(out.len() - done);
                for (o, s) in out[done..done + n].iter_mut().zip(&left[..n]) {
                    *o += s;
                }
                p.at += n;
                done += n;
                if p.at >= samples.len() {
                    (p.sound, p.at, p.wait) = (p.sound + 1, 0, gap);
                }
            }
            p.sound < phrase.len()
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::plan::test_plan as plan;

    fn bank() -> Arc<Bank> {
        Arc::new(Bank::load(48_000))
    }

    /// Sample indices where a sound starts after at least 1 ms of digital silence (a
    /// sound itself may cross zero on a sample).
    fn onsets(samples: &[f32]) -> Vec<usize> {
        (0..samples.len())
            .filter(|&i| {
                samples[i] != 0.0 && samples[i.saturating_sub(48)..i].iter().all(|&x| x == 0.0)
            })
            .collect()
    }

    #[test]
    fn cue_samples_written_out_by_hand() {
        // Lead-in 1.5 s (countdown 1 at 0.5 s); a 2.5 s hold (countdown 2 at 0.5 s into
        // it, 1 at 1.5 s); done at 4 s.
        let p =
            plan("lead_in = \"1.5s\"\n[[block]]\nexercise = \"H\"\nhold = \"2.5s\"\nsets = 1\n");
        let track = Track::new(&p, bank(), 1.0, false);
        let samples: Vec<u64> = p.cues.iter().map(|c| track.sample_of(c.offset)).collect();
        assert_eq!(samples, [24_000, 72_000, 96_000, 144_000, 192_000]);
        // 60/170 s is 0.352941 s on the plan: sample round(16941.168) = 16941.
        assert_eq!(track.sample_of(Span::from_micros(352_941)), 16_941);
        // At 44.1 kHz: 0.352941 * 44100 = 15564.698 -> 15565.
        let slow = Track::new(&p, Arc::new(Bank::load(44_100)), 1.0, false);
        assert_eq!(slow.sample_of(Span::from_micros(352_941)), 15_565);
    }

    #[test]
    fn rendered_onsets_fall_on_the_cue_samples_whatever_the_buffer_size() {
        let p = plan(
            "lead_in = \"0s\"\n[[block]]\nexercise = \"R\"\nreps = 2\ntempo = \"1-0.5-1-0\"\nsets = 1\n",
        );
        for chunk in [1, 7, 256, 4096, 1 << 20] {
            let mut track = Track::new(&p, bank(), 1.0, false);
            let total = 6 * 48_000;
            let mut all = Vec::with_capacity(total);
            let mut buf = vec![0.0; chunk];
            while all.len() < total {
                track.render(&mut buf);
                all.extend_from_slice(&buf);
            }
            let expected: Vec<usize> = p
                .cues
                .iter()
                .map(|c| (c.offset.as_micros() * 48 / 1000) as usize)
                .collect();
            assert_eq!(onsets(&all[..total]), expected, "buffer of {chunk}");
        }
    }

    #[test]
    fn pause_and_resume_move_the_remaining_cues_by_exactly_the_pause() {
        let p = plan(
            "lead_in = \"0s\"\n[[block]]\nexercise = \"R\"\nreps = 1\ntempo = \"1-0-1-0\"\nsets = 1\n",
        );
        let mut track = Track::new(&p, bank(), 1.0, false);
        let mut out = vec![0.0; 24_000];
        track.render(&mut out); // 0.5 s: the down cue is at 0
        track.reanchor_at(
            track.rendered(),
            Motion {
                pos: Span::from_millis(500),
                speed: 1.0,
                paused: true,
            },
        );
        let mut paused = vec![0.0; 48_000];
        track.render(&mut paused);
        assert!(
            paused[12_000..].iter().all(|&x| x == 0.0),
            "silence while paused"
        );
        track.reanchor_at(
            track.rendered(),
            Motion {
                pos: Span::from_millis(500),
                speed: 1.0,
                paused: false,
            },
        );
        // Resumed at sample 72000 at plan 0.5 s: the up cue (plan 1 s) lands 24000 later.
        assert_eq!(track.sample_of(Span::from_secs(1)), 96_000);
        let mut rest = vec![0.0; 48_000];
        track.render(&mut rest);
        assert_eq!(onsets(&rest).first(), Some(&24_000));
    }

    #[test]
    fn a_resume_anchored_at_a_later_sample_is_silent_until_then() {
        let p = plan(
            "lead_in = \"0s\"\n[[block]]\nexercise = \"R\"\nreps = 1\ntempo = \"1-0-1-0\"\nsets = 1\n",
        );
        let mut track = Track::new(&p, bank(), 1.0, false);
        let mut out = vec![0.0; 48_000];
        track.render(&mut out); // 1 s: the down cue at 0 has rung out
        let paused = Motion {
            pos: Span::from_millis(900),
            speed: 1.0,
            paused: true,
        };
        track.reanchor_at(track.rendered(), paused);
        assert!(track.is_idle());
        // Resumed 2,400 samples (50 ms) after the next sample to render: the up cue,
        // 100 ms of plan on, lands 2,400 + 4,800 samples on, and not a sample sounds
        // before it.
        track.reanchor_at(
            track.rendered() + 2_400,
            Motion {
                paused: false,
                ..paused
            },
        );
        assert!(!track.is_idle(), "the up cue is ahead");
        assert_eq!(track.sample_of(Span::from_secs(1)), 48_000 + 7_200);
        let mut rest = vec![0.0; 48_000];
        track.render(&mut rest);
        assert_eq!(onsets(&rest).first(), Some(&7_200));
        assert!(rest[..7_200].iter().all(|&x| x == 0.0));
        // A sample already rendered cannot be an anchor: it is the next one instead.
        track.reanchor_at(0, paused);
        assert_eq!(track.sample_of(Span::from_millis(900)), track.rendered());
    }

    #[test]
    fn a_paused_track_is_idle_once_its_last_sound_has_rung_out() {
        let p = plan(
            "lead_in = \"0s\"\n[[block]]\nexercise = \"R\"\nreps = 1\ntempo = \"1-0-1-0\"\nsets = 1\n",
        );
        let mut track = Track::new(&p, bank(), 1.0, false);
        assert!(!track.is_idle(), "a cue is ahead");
        let mut out = vec![0.0; 480];
        track.render(&mut out); // the down cue starts at 0 and rings on
        let paused = Motion {
            pos: Span::from_millis(10),
            speed: 1.0,
            paused: true,
        };
        track.reanchor_at(track.rendered(), paused);
        assert!(!track.is_idle(), "the cue still rings");
        let mut rest = vec![0.0; 48_000];
        track.render(&mut rest);
        assert!(track.is_idle(), "paused and silent");
        track.reanchor_at(
            track.rendered(),
            Motion {
                paused: false,
                ..paused
            },
        );
        assert!(!track.is_idle(), "resumed: the up cue is ahead");
    }

    #[test]
    fn volume_mute_and_clipping() {
        let p = plan("lead_in = \"0s\"\n[[block]]\nexercise = \"H\"\nhold = \"1s\"\nsets = 1\n");
        let mut loud = Track::new(&p, bank(), 1.0, false);
        let mut quiet = Track::new(&p, bank(), 1.0, false);
        quiet.set_volume(0.5);
        let (mut a, mut b) = (vec![0.0; 4800], vec![0.0; 4800]);
        loud.render(&mut a);
        quiet.render(&mut b);
        assert!(a.iter().zip(&b).all(|(x, y)| (x * 0.5 - y).abs() < 1e-6));
        let mut muted = Track::new(&p, bank(), 1.0, false);
        muted.set_muted(true);
        muted.render(&mut a);
        assert!(a.iter().all(|&x| x == 0.0));
    }
}
