//! The live stream as the session's clock.
//!
//! rodio reports no device clock: the source knows which sample it renders, not which
//! one the speaker plays. The clock therefore reads the first sample of the latest
//! device buffer, less the buffer's length (the output latency), plus the monotonic
//! time since that buffer was asked for; it never reads past what was rendered (less
//! the latency either), and never goes back. The arithmetic is [`SampleClock::heard`],
//! a pure function of those numbers.

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
