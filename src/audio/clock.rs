//! The live stream as the session's clock.
//!
//! The device says, with every buffer it asks for, how long until that buffer's first
//! sample is played (cpal's playback timestamp: the samples queued ahead of it). The
//! clock therefore reads the first sample of the latest buffer, plus the monotonic time
//! since that buffer was asked for, less that delay; it never reads past what was
//! rendered, and never goes back. The delay is measured, not assumed: a stream's start
//! fills the device at once (its first buffers are asked for together, the first with
//! no delay), and a device may grant another period than the one asked for. The
//! arithmetic is [`SampleClock::heard`], a pure function of those numbers. (A sound
//! server's own latency after the device is the same for every stream: a constant the
//! clock cannot see and need not.)
//!
//! The stream sleeps (it is closed) while nothing can sound. Asleep, no sample is
//! rendered or played, so the sample position stands still and the clock runs on the
//! monotonic clock from the reading at which it fell asleep. Woken, every later sample
//! reads later by the time slept ([`Sleeps`]): the sample count stays the one timeline
//! of the sound. A command takes effect as far ahead of what is heard as it would have
//! while awake (the lead the stream had when it fell asleep), so a pause lasts as long
//! whether or not the stream slept through it.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::span::Span;

/// The stream's rate and device period, which turn sample counts into clock readings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SampleClock {
    pub rate: u32,
    /// The device period in samples: how long a buffer lasts.
    pub period: u64,
}

/// What the stream last told the clock: the first sample of the latest device buffer,
/// how long ago that buffer was asked for and the device's delay before it plays, and
/// how many samples are rendered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pulled {
    pub first: u64,
    pub since: Span,
    pub delay: Span,
    pub rendered: u64,
}

impl SampleClock {
    /// The clock reading of sample `sample`: its time from the stream's start.
    #[must_use]
    pub fn reading(self, sample: u64) -> Span {
        Span::from_micros(
            u64::try_from(u128::from(sample) * 1_000_000 / u128::from(self.rate))
                .unwrap_or(u64::MAX),
        )
    }

    /// How many samples last `span` (rounded down).
    #[must_use]
    pub fn samples(self, span: Span) -> u64 {
        u64::try_from(u128::from(span.as_micros()) * u128::from(self.rate) / 1_000_000)
            .unwrap_or(u64::MAX)
    }

    /// What the speaker plays now: the buffer that starts at `first` is played `delay`
    /// after it was asked for, so `first + since - delay`; never past what was rendered
    /// (a device that stopped asking plays nothing new).
    #[must_use]
    pub fn heard(self, pulled: Pulled) -> Span {
        let playing = (self.reading(pulled.first) + pulled.since).saturating_sub(pulled.delay);
        playing.min(self.reading(pulled.rendered))
    }
}

/// The stream's sleeps, as clock arithmetic: what is added to a sample's reading, and
/// where an asleep clock stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sleeps {
    /// Time slept in all finished sleeps: every sample reads later by this much.
    pub slept: Span,
    /// While asleep: the reading at which the stream fell asleep.
    pub asleep_at: Option<Span>,
    /// How far the next sample to render was ahead of what was heard when the stream
    /// fell asleep: how far ahead a command takes effect while awake.
    pub lead: Span,
}

impl Sleeps {
    /// The clock reading of sample `sample` (where a command takes effect).
    #[must_use]
    pub fn reading(self, clock: SampleClock, sample: u64) -> Span {
        clock.reading(sample) + self.slept
    }

    /// The reading now: awake, what the speaker plays, moved by the time slept; asleep,
    /// the reading at which the stream fell asleep plus the time asleep (`asleep_for`).
    #[must_use]
    pub fn now(self, clock: SampleClock, pulled: Pulled, asleep_for: Span) -> Span {
        match self.asleep_at {
            Some(at) => at + asleep_for,
            None => clock.heard(pulled) + self.slept,
        }
    }

    /// Falls asleep at reading `now`, with `rendered` samples rendered.
    #[must_use]
    pub fn fall_asleep(self, clock: SampleClock, rendered: u64, now: Span) -> Sleeps {
        Sleeps {
            asleep_at: Some(now),
            lead: self.reading(clock, rendered).saturating_sub(now),
            ..self
        }
    }

    /// Wakes at reading `now` (where the asleep clock stands), with `rendered` samples
    /// rendered. A new stream goes on from the next sample to render, and its first
    /// buffer plays at once: that sample reads `now`, so the clock does not jump.
    #[must_use]
    pub fn wake(self, clock: SampleClock, rendered: u64, now: Span) -> Sleeps {
        // Not the larger of this and the time slept before: woken sooner than `lead`
        // after falling asleep, the waking sample reads less than it would have awake,
        // and it is still where the asleep clock stands (the samples before it are
        // never read again, and readings given out never go back: `Forward`).
        Sleeps {
            slept: now.saturating_sub(clock.reading(rendered)),
            asleep_at: None,
            lead: self.lead,
        }
    }

    /// Where a command given on waking takes effect: the sample `lead` after the
    /// waking sample `rendered` (silence until then, as a command waits for the queued
    /// buffers while awake).
    #[must_use]
    pub fn effect_sample(self, clock: SampleClock, rendered: u64) -> u64 {
        rendered + clock.samples(self.lead)
    }
}

/// Hands out readings that never go back, from any thread.
#[derive(Debug, Default)]
pub struct Forward(AtomicU64);

impl Forward {
    /// `reading`, or the latest one given out if that was later.
    pub fn next(&self, reading: Span) -> Span {
        let last = self.0.fetch_max(reading.as_micros(), Ordering::SeqCst);
        Span::from_micros(last.max(reading.as_micros()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLOCK: SampleClock = SampleClock {
        rate: 48_000,
        period: 2_400,
    };

    fn ms(n: u64) -> Span {
        Span::from_millis(n)
    }

    #[test]
    fn samples_are_read_at_the_stream_rate() {
        assert_eq!(CLOCK.reading(48_000), Span::from_secs(1));
        assert_eq!(CLOCK.reading(2_400), ms(50));
        assert_eq!(CLOCK.samples(ms(50)), 2_400);
        let cd = SampleClock {
            rate: 44_100,
            period: 0,
        };
        // 1 sample at 44.1 kHz is 22.67 µs: readings round down to whole µs.
        assert_eq!(cd.reading(1), Span::from_micros(22));
        assert_eq!(cd.reading(44_100 * 3600), Span::from_secs(3600));
        assert_eq!(cd.samples(Span::from_micros(23)), 1);
    }

    #[test]
    fn the_speaker_plays_the_latest_buffer_its_delay_after_it_was_asked_for() {
        // The buffer starting at 1 s was asked for 10 ms ago with 100 ms queued ahead
        // of it; 1.05 s are rendered.
        let pulled = Pulled {
            first: 48_000,
            since: ms(10),
            delay: ms(100),
            rendered: 50_400,
        };
        assert_eq!(CLOCK.heard(pulled), ms(1000 + 10 - 100));
        // Long after the last pull (the device stalled), the reading stops at what was
        // rendered instead of running ahead of the sound.
        let stalled = Pulled {
            since: ms(900),
            ..pulled
        };
        assert_eq!(CLOCK.heard(stalled), ms(1050));
        // At the start nothing has been heard yet.
        let start = Pulled {
            first: 0,
            since: ms(3),
            delay: ms(50),
            rendered: 2_400,
        };
        assert_eq!(CLOCK.heard(start), Span::ZERO);
    }

    #[test]
    fn a_stream_that_fills_the_device_at_once_does_not_move_the_clock() {
        // A new stream's first three buffers are asked for together: the device plays
        // the first at once, the second after one buffer, the third after two. Each
        // one, read as the latest, gives the same reading: where the stream started.
        for k in 0..3u64 {
            let pulled = Pulled {
                first: 96_000 + k * 2_400,
                since: Span::ZERO,
                delay: ms(50 * k),
                rendered: 96_000 + (k + 1) * 2_400,
            };
            assert_eq!(CLOCK.heard(pulled), ms(2000), "buffer {k}");
        }
        // A clock that assumed one fixed delay for every buffer would have read the
        // third buffer 100 ms ahead of the first: a new stream would jump the clock.
        let assumed = ms(50);
        let third = CLOCK.reading(96_000 + 4_800) - assumed;
        assert_eq!(
            third - (CLOCK.reading(96_000).saturating_sub(assumed)),
            ms(100)
        );
    }

    #[test]
    fn readings_never_go_back() {
        let forward = Forward::default();
        assert_eq!(forward.next(ms(100)), ms(100));
        // A new buffer whose first sample reads a little earlier (jitter in when the
        // device asks) does not move the clock back.
        assert_eq!(forward.next(ms(98)), ms(100));
        assert_eq!(forward.next(ms(120)), ms(120));
    }

    #[test]
    fn asleep_the_clock_runs_on_from_where_it_fell_asleep() {
        // Playing at 2 s: the buffer at 2 s was asked for 70 ms ago with 70 ms queued;
        // 2.05 s are rendered, so a command now would take effect 50 ms ahead.
        let pulled = Pulled {
            first: 96_000,
            since: ms(70),
            delay: ms(70),
            rendered: 98_400,
        };
        let awake = Sleeps::default();
        assert_eq!(awake.now(CLOCK, pulled, Span::ZERO), ms(2000));
        assert_eq!(awake.reading(CLOCK, 98_400), ms(2050));
        let asleep = awake.fall_asleep(CLOCK, 98_400, ms(2000));
        assert_eq!(asleep.lead, ms(50));
        // Asleep the samples stand still; the clock goes on with the time asleep.
        assert_eq!(asleep.now(CLOCK, pulled, ms(1234)), ms(3234));
        // Woken at 3.234 s: the next sample to render (98,400, where the stream
        // stopped) is the new stream's first, played at once: it reads 3.234 s.
        let woken = asleep.wake(CLOCK, 98_400, ms(3234));
        assert_eq!(woken.asleep_at, None);
        assert_eq!(woken.reading(CLOCK, 98_400), ms(3234));
        // Before the new stream asks for anything (the old stream's last buffer was
        // asked for before the sleep), the clock stands where it woke.
        let stale = Pulled {
            since: ms(70 + 1234),
            ..pulled
        };
        assert_eq!(woken.now(CLOCK, stale, Span::ZERO), ms(3234));
        // The command takes effect 50 ms on, as it would have awake: 2,400 samples of
        // silence first. So a pause lasts as long whether or not the stream slept.
        let effect = woken.effect_sample(CLOCK, 98_400);
        assert_eq!(effect, 100_800);
        assert_eq!(woken.reading(CLOCK, effect), ms(3234 + 50));
        // A cue 0.4 s after the effect (19,200 samples) reads 0.4 s later: positions
        // in samples are untouched by the sleep.
        assert_eq!(
            woken.reading(CLOCK, effect + 19_200) - woken.reading(CLOCK, effect),
            ms(400)
        );
        // The new stream fills the device at once (its third buffer is played after
        // two): the clock still reads where it woke, then runs on with the samples.
        let filled = Pulled {
            first: 98_400 + 4_800,
            since: Span::ZERO,
            delay: ms(100),
            rendered: 98_400 + 7_200,
        };
        assert_eq!(woken.now(CLOCK, filled, Span::ZERO), ms(3234));
        let later = Pulled {
            since: ms(30),
            ..filled
        };
        assert_eq!(woken.now(CLOCK, later, Span::ZERO), ms(3264));
    }

    #[test]
    fn sleeps_add_up_and_a_quick_wake_reads_where_the_clock_stands() {
        // Asleep at 1 s with 1.05 s rendered; woken at 1.5 s.
        let once =
            Sleeps::default()
                .fall_asleep(CLOCK, 50_400, ms(1000))
                .wake(CLOCK, 50_400, ms(1500));
        assert_eq!(once.slept, ms(450));
        // One more second rendered (the next sample reads 2.5 s, 50 ms ahead), asleep
        // at 2.45 s, woken at 2.65 s: that sample now reads 2.65 s. The second sleep
        // adds 150 ms to the first; the 50 ms lead comes back as the silence before
        // the waking command's effect.
        let twice = once
            .fall_asleep(CLOCK, 98_400, ms(2450))
            .wake(CLOCK, 98_400, ms(2650));
        assert_eq!(twice.lead, ms(50));
        assert_eq!(twice.slept, ms(600));
        assert_eq!(
            twice.reading(CLOCK, twice.effect_sample(CLOCK, 98_400)),
            ms(2700)
        );
        // Asleep at 2.6 s (the next sample reads 2.65 s: a 50 ms lead) and woken 20 ms
        // later, sooner than the lead: the waking sample reads where the clock stands
        // (2.62 s), not 30 ms ahead of it, and the command's effect is the lead after.
        let quick = twice
            .fall_asleep(CLOCK, 98_400, ms(2600))
            .wake(CLOCK, 98_400, ms(2620));
        assert_eq!(quick.lead, ms(50));
        assert_eq!(quick.reading(CLOCK, 98_400), ms(2620));
        assert_eq!(
            quick.reading(CLOCK, quick.effect_sample(CLOCK, 98_400)),
            ms(2670)
        );
    }

    #[test]
    fn the_clock_is_session_time_whatever_the_speed() {
        // The track runs the plan at any speed, but its samples are real time: one
        // second of samples is one second on the clock; the session scales by speed.
        let one_second_later = Pulled {
            first: 96_000,
            since: Span::ZERO,
            delay: ms(50),
            rendered: 96_000 + 2_400,
        };
        assert_eq!(CLOCK.heard(one_second_later), ms(2000 - 50));
    }
}
