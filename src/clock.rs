//! Where time comes from. Nothing else in the program reads a clock: the session is
//! given readings, and the runners wait on a clock until an absolute deadline.
//!
//! A clock reads the time since it started, as a [`Span`], and can wait for a message
//! until a deadline. The monotonic clock waits for real; the fake one jumps to the
//! deadline at once, so a whole session runs in milliseconds with exact times.

use std::sync::mpsc::{Receiver, TryRecvError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::input::Input;
use crate::span::Span;

/// A source of session time.
pub trait Clock {
    /// Time since the clock started.
    fn now(&self) -> Span;

    /// Waits until the clock reads `deadline` (for ever when `None`) or a message
    /// arrives, whichever is first. `None` when the deadline came or every sender is gone.
    fn wait(&self, deadline: Option<Span>, inbox: &Receiver<Input>) -> Option<Input>;

    /// The wall-clock date and time at `at` on this clock, as RFC 3339 with the local
    /// offset: `2026-11-24T18:05:09.250+01:00`.
    fn datetime(&self, at: Span) -> String;
}

/// The wall clock at a clock's start, and the zone to show it in.
#[derive(Clone, Debug)]
struct Origin {
    at: Timestamp,
    zone: TimeZone,
}

impl Origin {
    fn format(&self, at: Span) -> String {
        let micros = i64::try_from(at.as_micros()).unwrap_or(i64::MAX);
        let instant = self
            .at
            .checked_add(SignedDuration::from_micros(micros))
            .unwrap_or(self.at);
        instant
            .to_zoned_datetime(self.zone.clone())
            .strftime("%Y-%m-%dT%H:%M:%S%.3f%:z")
            .to_string()
    }
}

/// The local time zone; an unknown `TZ` is said once on stderr, and UTC is used.
fn local_zone() -> TimeZone {
    static ZONE: std::sync::OnceLock<TimeZone> = std::sync::OnceLock::new();
    ZONE.get_or_init(|| {
        TimeZone::try_system().unwrap_or_else(|_| {
            let tz = std::env::var("TZ").unwrap_or_default();
            eprintln!("reptempo: the time zone TZ={tz:?} is not known; times are in UTC");
            TimeZone::UTC
        })
    })
    .clone()
}

/// The system's monotonic clock.
#[derive(Debug)]
pub struct Monotonic {
    start: Instant,
    origin: Origin,
}

impl Monotonic {
    /// A clock that starts now.
    #[must_use]
    pub fn start() -> Monotonic {
        Monotonic {
            start: Instant::now(),
            origin: Origin {
                at: Timestamp::now(),
                zone: local_zone(),
            },
        }
    }
}

impl Clock for Monotonic {
    fn now(&self) -> Span {
        Span::from_micros(u64::try_from(self.start.elapsed().as_micros()).unwrap_or(u64::MAX))
    }

    fn wait(&self, deadline: Option<Span>, inbox: &Receiver<Input>) -> Option<Input> {
        wait_in_real_time(self.now(), deadline, inbox)
    }

    fn datetime(&self, at: Span) -> String {
        self.origin.format(at)
    }
}

/// Waits for a message until a clock that reads `now` and runs in real time reads
/// `deadline`. The time left is recomputed from the deadline on every call: a wait
/// never adds up.
pub(crate) fn wait_in_real_time(
    now: Span,
    deadline: Option<Span>,
    inbox: &Receiver<Input>,
) -> Option<Input> {
    match deadline {
        None => inbox.recv().ok(),
        Some(deadline) => {
            let left = deadline.saturating_sub(now);
            inbox
                .recv_timeout(Duration::from_micros(left.as_micros()))
                .ok()
        }
    }
}

/// The naive baseline for benchmarks: after each wake-up it sleeps the plan's gap to
/// the next deadline, as a simple metronome app would, so its own processing time adds
/// up. Never used for a real session; `start --clock naive` exists to measure it.
#[derive(Debug)]
pub struct Naive {
    clock: Monotonic,
    last_deadline: std::cell::Cell<Span>,
}

impl Naive {
    #[must_use]
    pub fn start() -> Naive {
        Naive {
            clock: Monotonic::start(),
            last_deadline: std::cell::Cell::new(Span::ZERO),
        }
    }
}

impl Clock for Naive {
    fn now(&self) -> Span {
        self.clock.now()
    }

    fn wait(&self, deadline: Option<Span>, inbox: &Receiver<Input>) -> Option<Input> {
        if let Ok(message) = inbox.try_recv() {
            return Some(message);
        }
        let deadline = deadline?;
        let gap = deadline.saturating_sub(self.last_deadline.replace(deadline));
        std::thread::sleep(Duration::from_micros(gap.as_micros()));
        None
    }

    fn datetime(&self, at: Span) -> String {
        self.clock.datetime(at)
    }
}

/// A clock that only moves when told, or when waited on: then it jumps to the deadline.
#[derive(Clone, Debug)]
pub struct Fake {
    now: Arc<Mutex<Span>>,
    origin: Origin,
}

impl Fake {
    /// A fake clock at 0 whose start is `2026-01-05T08:00:00` UTC, a Monday.
    #[must_use]
    pub fn new() -> Fake {
        Fake {
            now: Arc::new(Mutex::new(Span::ZERO)),
            origin: Origin {
                at: Timestamp::from_second(1_767_600_000).expect("a valid timestamp"),
                zone: TimeZone::UTC,
            },
        }
    }

    /// Moves the clock to `to` (never backwards).
    pub fn set(&self, to: Span) {
        let mut now = self
            .now
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *now = (*now).max(to);
    }
}

impl Default for Fake {
    fn default() -> Fake {
        Fake::new()
    }
}

impl Clock for Fake {
    fn now(&self) -> Span {
        *self
            .now
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn wait(&self, deadline: Option<Span>, inbox: &Receiver<Input>) -> Option<Input> {
        match inbox.try_recv() {
            Ok(message) => return Some(message),
            Err(TryRecvError::Disconnected) if deadline.is_none() => return None,
            Err(_) => {}
        }
        match deadline {
            Some(deadline) => {
                self.set(deadline);
                None
            }
            None => inbox.recv().ok(),
        }
    }

    fn datetime(&self, at: Span) -> String {
        self.origin.format(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fake_clock_jumps_to_the_deadline_and_not_back() {
        let clock = Fake::new();
        let (_tx, rx) = std::sync::mpsc::channel();
        assert_eq!(clock.wait(Some(Span::from_secs(5)), &rx), None);
        assert_eq!(clock.now(), Span::from_secs(5));
        clock.set(Span::from_secs(1));
        assert_eq!(clock.now(), Span::from_secs(5));
        assert_eq!(
            clock.datetime(Span::from_millis(1500)),
            "2026-01-05T08:00:01.500+00:00"
        );
    }

    #[test]
    fn a_message_ends_the_wait_before_the_deadline() {
        let clock = Fake::new();
        let (tx, rx) = std::sync::mpsc::channel();
        tx.send(Input::Resize).unwrap();
        assert_eq!(
            clock.wait(Some(Span::from_secs(5)), &rx),
            Some(Input::Resize)
        );
        assert_eq!(clock.now(), Span::ZERO);
    }

    #[test]
    fn monotonic_waits_until_the_deadline() {
        let clock = Monotonic::start();
        let (_tx, rx) = std::sync::mpsc::channel();
        let deadline = clock.now() + Span::from_millis(30);
        assert_eq!(clock.wait(Some(deadline), &rx), None);
        assert!(clock.now() >= deadline);
    }
}
