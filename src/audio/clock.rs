//! The live stream as the session's clock.
//!
//! rodio reports no device clock: the source knows which sample it renders, not which
//! one the speaker plays. The clock therefore reads the first sample of the latest
//! device buffer, less the buffer's length (the output latency), plus the monotonic
//! time since that buffer was asked for; it never reads past what was rendered (less
//! the latency either), and never goes back. The arithmetic is [`SampleClock::heard`],
//! a pure function of those numbers.
//!
//! The stream sleeps (the device is paused) while nothing can sound. Asleep, no sample
//! is rendered or played, so the sample position stands still and the clock runs on the
//! monotonic clock from the reading at which it fell asleep. Woken, every later sample
//! reads later by the time slept ([`Sleeps`]): the sample count stays the one timeline
//! of the sound, and cues placed from the waking sample stay exact.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::span::Span;

/// The stream's rate and output latency, which turn sample counts into clock readings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SampleClock {
    pub rate: u32,
    /// Output latency in samples: the device buffer.
    pub latency: u64,
}

/// What the stream last told the clock: the first sample of the latest device buffer
/// and how long ago that buffer was asked for, and how many samples are rendered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pulled {
    pub first: u64,
    pub since: Span,
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

    /// What the speaker plays now: the buffer that starts at `first` is heard once the
    /// one before it has played, so `first + since - latency`; never past what was
    /// rendered, less the latency.
    #[must_use]
    pub fn heard(self, pulled: Pulled) -> Span {
        let latency = self.reading(self.latency);
        let playing = (self.reading(pulled.first) + pulled.since).saturating_sub(latency);
        playing.min(self.reading(pulled.rendered).saturating_sub(latency))
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

    /// Falls asleep at reading `now`.
    #[must_use]
    pub fn fall_asleep(self, now: Span) -> Sleeps {
        Sleeps {
            asleep_at: Some(now),
            ..self
        }
    }

    /// Wakes at reading `now` (where the asleep clock stands). The stream goes on from
    /// the sample at which it stopped, which `pulled` still describes: the time slept is
    /// whatever makes that sample's reading `now`, so the clock does not jump.
    #[must_use]
    pub fn wake(self, clock: SampleClock, pulled: Pulled, now: Span) -> Sleeps {
        Sleeps {
            slept: now.saturating_sub(clock.heard(pulled)).max(self.slept),
            asleep_at: None,
        }
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
        latency: 2_400,
    };

    fn ms(n: u64) -> Span {
        Span::from_millis(n)
    }

    #[test]
    fn samples_are_read_at_the_stream_rate() {
        assert_eq!(CLOCK.reading(48_000), Span::from_secs(1));
        assert_eq!(CLOCK.reading(2_400), ms(50));
        let cd = SampleClock {
            rate: 44_100,
            latency: 0,
        };
        // 1 sample at 44.1 kHz is 22.67 µs: readings round down to whole µs.
        assert_eq!(cd.reading(1), Span::from_micros(22));
        assert_eq!(cd.reading(44_100 * 3600), Span::from_secs(3600));
    }

    #[test]
    fn the_speaker_is_one_device_buffer_behind_the_latest_buffer() {
        // The buffer starting at 1 s was asked for 10 ms ago; 1.1 s are rendered.
        let pulled = Pulled {
            first: 48_000,
            since: ms(10),
            rendered: 52_800,
        };
        assert_eq!(CLOCK.heard(pulled), ms(1000 + 10 - 50));
        // Long after the last pull (the device stalled), the reading stops at what was
        // rendered, less the latency, instead of running ahead of the sound.
        let stalled = Pulled {
            since: ms(900),
            ..pulled
        };
        assert_eq!(CLOCK.heard(stalled), ms(1100 - 50));
        // At the start nothing has been heard yet.
        let start = Pulled {
            first: 0,
            since: ms(3),
            rendered: 4_800,
        };
        assert_eq!(CLOCK.heard(start), Span::ZERO);
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
        // Playing at 2 s (2.05 s of samples pulled long ago: the reading is capped
        // at what was rendered, less the latency).
        let pulled = Pulled {
            first: 96_000,
            since: ms(400),
            rendered: 98_400,
        };
        let awake = Sleeps::default();
        assert_eq!(awake.now(CLOCK, pulled, Span::ZERO), ms(2000));
        let asleep = awake.fall_asleep(ms(2000));
        // Asleep the samples stand still; the clock goes on with the time asleep.
        assert_eq!(asleep.now(CLOCK, pulled, ms(1234)), ms(3234));
        // Woken after 1.234 s: the clock goes on from 3.234 s, not back to 2 s.
        let woken = asleep.wake(CLOCK, pulled, ms(3234));
        assert_eq!(woken.slept, ms(1234));
        assert_eq!(woken.asleep_at, None);
        assert_eq!(woken.now(CLOCK, pulled, Span::ZERO), ms(3234));
        // The next sample to render (98,400, where the stream stopped) reads 3.284 s:
        // one latency ahead of what is heard, as while awake.
        assert_eq!(woken.reading(CLOCK, 98_400), ms(3284));
        // A cue 0.4 s after the waking sample (19,200 samples) reads 0.4 s later:
        // positions in samples are untouched by the sleep.
        assert_eq!(
            woken.reading(CLOCK, 98_400 + 19_200) - woken.reading(CLOCK, 98_400),
            ms(400)
        );
        // The first buffer after waking starts at sample 98,400: the clock resumes
        // from the same reading and runs on with the samples.
        let resumed = Pulled {
            first: 98_400,
            since: ms(10),
            rendered: 98_400 + 4_800,
        };
        assert_eq!(woken.now(CLOCK, resumed, Span::ZERO), ms(3244));
    }

    #[test]
    fn sleeps_add_up_and_never_take_time_back() {
        let pulled = Pulled {
            first: 48_000,
            since: ms(500),
            rendered: 48_000 + 2_400,
        };
        let once = Sleeps::default()
            .fall_asleep(ms(1000))
            .wake(CLOCK, pulled, ms(1500));
        assert_eq!(once.slept, ms(500));
        // Asleep again at once, with not a sample rendered in between: the second
        // sleep adds to the first.
        let twice = once.fall_asleep(ms(1500)).wake(CLOCK, pulled, ms(1700));
        assert_eq!(twice.slept, ms(700));
        // A waking reading behind the samples (it cannot happen, readings go
        // forward) never makes the time slept shrink.
        let back = twice.fall_asleep(ms(1700)).wake(CLOCK, pulled, ms(100));
        assert_eq!(back.slept, ms(700));
    }

    #[test]
    fn the_clock_is_session_time_whatever_the_speed() {
        // The track runs the plan at any speed, but its samples are real time: one
        // second of samples is one second on the clock; the session scales by speed.
        let one_second_later = Pulled {
            first: 96_000,
            since: Span::ZERO,
            rendered: 96_000 + 2_400,
        };
        assert_eq!(CLOCK.heard(one_second_later), ms(2000 - 50));
    }
}
