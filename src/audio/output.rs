//! Live sound: one continuous rodio output stream, fed by one long-lived source that
//! renders the cue track at the stream's own rate. The samples that source has handed
//! out are the session's clock while sound plays ([`super::clock`] has the arithmetic).
//! A command takes effect at the next sample to render, and the session is told the
//! clock reading of that sample, so sound and session re-anchor at the same instant.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use rodio::Source;

use super::clock::{Forward, Pulled, SampleClock};
use super::sounds::Bank;
use super::track::Track;
use crate::clock::{Clock, Monotonic};
use crate::input::Input;
use crate::plan::Plan;
use crate::session::Motion;
use crate::span::Span;

/// Samples rendered at a time: small, so the clock's view of the device stays fine.
const CHUNK: usize = 128;
/// The rate asked of the device; its own default rate is used when it refuses.
const PREFERRED_RATE: u32 = 48_000;
/// No buffer asked for this long means the device is gone (cpal does not say so).
const STALL: Duration = Duration::from_millis(500);

/// Why there is no sound.
#[derive(Debug, thiserror::Error)]
#[error("no output device ({0})")]
pub struct NoDevice(String);

/// The latest device buffer: its first sample and when it was asked for, and when the
/// source was last pulled at all.
#[derive(Clone, Copy, Debug)]
struct Burst {
    first: u64,
    asked: Instant,
    last_pull: Instant,
}

/// What the audio thread and the session share.
struct Shared {
    track: Mutex<Track>,
    clock: SampleClock,
    burst: Mutex<Burst>,
    /// Set when the device stopped asking for samples.
    lost: AtomicBool,
    /// When sound was lost and the clock reading the session had reached then.
    lost_at: Mutex<Option<(Instant, Span)>>,
    forward: Forward,
    /// Set when the session is over, to end the watchdog.
    closed: AtomicBool,
    /// Set while the process is stopped (Ctrl-Z): no pulls then is not a lost device.
    held: AtomicBool,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn elapsed(since: Instant) -> Span {
    Span::from_micros(u64::try_from(since.elapsed().as_micros()).unwrap_or(u64::MAX))
}

impl Shared {
    fn now(&self) -> Span {
        if let Some((since, base)) = *lock(&self.lost_at) {
            return base + elapsed(since);
        }
        let burst = *lock(&self.burst);
        let rendered = lock(&self.track).rendered();
        self.forward.next(self.clock.heard(Pulled {
            first: burst.first,
            since: elapsed(burst.asked),
            rendered,
        }))
    }
}

/// The source rodio pulls: the cue track, rendered a chunk at a time.
struct Feed {
    shared: Arc<Shared>,
    buf: [f32; CHUNK],
    at: usize,
}

impl Iterator for Feed {
    type Item = f32;

    fn next(&mut self) -> Option<f32> {
        if self.at == CHUNK {
            let now = Instant::now();
            let first = {
                let mut track = lock(&self.shared.track);
                let first = track.rendered();
                track.render(&mut self.buf);
                first
            };
            let mut burst = lock(&self.shared.burst);
            // Chunks asked for within a millisecond belong to one device buffer.
            if now.duration_since(burst.last_pull) > Duration::from_millis(1) {
                burst.first = first;
                burst.asked = now;
            }
            burst.last_pull = now;
            self.at = 0;
        }
        let x = self.buf[self.at];
        self.at += 1;
        Some(x)
    }
}

impl Source for Feed {
    fn current_span_len(&self) -> Option<usize> {
        None
    }

    fn channels(&self) -> rodio::ChannelCount {
        rodio::ChannelCount::MIN
    }

    fn sample_rate(&self) -> rodio::SampleRate {
        rodio::SampleRate::new(self.shared.clock.rate).unwrap_or(rodio::SampleRate::MIN)
    }

    fn total_duration(&self) -> Option<Duration> {
        None
    }
}

/// The open stream and the handle the session runner uses.
pub struct Live {
    sink: Option<rodio::MixerDeviceSink>,
    shared: Arc<Shared>,
}

/// The clock of a live stream; after the stream is lost it goes on monotonically from
/// the reading it had reached.
pub struct AudioClock {
    shared: Arc<Shared>,
    wall: Monotonic,
}

/// Runs `f` with stderr sent to /dev/null: alsa-lib and JACK print dozens of lines while
/// a device is probed, which would bury the one notice that matters.
fn quietly<T>(f: impl FnOnce() -> T) -> T {
    let saved = rustix::io::dup(std::io::stderr());
    let null = std::fs::OpenOptions::new().write(true).open("/dev/null");
    let (Ok(saved), Ok(null)) = (saved, null) else {
        return f();
    };
    let _ = rustix::stdio::dup2_stderr(&null);
    let out = f();
    let _ = rustix::stdio::dup2_stderr(&saved);
    out
}

fn open_sink() -> Result<rodio::MixerDeviceSink, NoDevice> {
    let on_error = |_: rodio::cpal::Error| {
        // Errors are not printed: they come in a busy loop when a device vanishes; the
        // watchdog sees that the device stopped asking for samples instead.
    };
    quietly(|| {
        let builder =
            rodio::DeviceSinkBuilder::from_default_device().map_err(|e| NoDevice(e.to_string()))?;
        let preferred = rodio::SampleRate::new(PREFERRED_RATE).unwrap_or(rodio::SampleRate::MIN);
        let at_48k = rodio::DeviceSinkBuilder::from_default_device()
            .map_err(|e| NoDevice(e.to_string()))?
            .with_sample_rate(preferred)
            .with_error_callback(on_error)
            .open_stream();
        match at_48k {
            Ok(sink) => Ok(sink),
            Err(_) => builder
                .with_error_callback(on_error)
                .open_stream()
                .map_err(|e| NoDevice(e.to_string())),
        }
    })
}

impl Live {
    /// Opens the default output device and starts `plan`'s track at `speed`, spoken
    /// with `voice` (the exercise names of its blocks).
    /// `on_lost` is called (once, from another thread) when the device stops asking for
    /// samples.
    ///
    /// # Errors
    /// [`NoDevice`] when no output device can be opened.
    pub fn open(
        plan: &Plan,
        speed: f64,
        voice: Option<&[Option<super::sounds::Clip>]>,
        volume: f32,
        on_lost: impl FnOnce() + Send + 'static,
    ) -> Result<(Live, AudioClock), NoDevice> {
        let mut sink = open_sink()?;
        sink.log_on_drop(false);
        let config = sink.config();
        let rate = config.sample_rate().get();
        let latency = match config.buffer_size() {
            rodio::cpal::BufferSize::Fixed(frames) => u64::from(*frames),
            rodio::cpal::BufferSize::Default => u64::from(rate / 20),
        };
        let mut bank = Bank::load(rate);
        if let Some(names) = voice {
            bank.set_names(names);
        }
        let mut track = Track::new(plan, Arc::new(bank), speed, voice.is_some());
        track.set_volume(volume);
        let now = Instant::now();
        let shared = Arc::new(Shared {
            track: Mutex::new(track),
            clock: SampleClock { rate, latency },
            burst: Mutex::new(Burst {
                first: 0,
                asked: now,
                last_pull: now,
            }),
            lost: AtomicBool::new(false),
            lost_at: Mutex::new(None),
            forward: Forward::default(),
            closed: AtomicBool::new(false),
            held: AtomicBool::new(false),
        });
        sink.mixer().add(Feed {
            shared: Arc::clone(&shared),
            buf: [0.0; CHUNK],
            at: CHUNK,
        });
        watch(Arc::clone(&shared), on_lost);
        let clock = AudioClock {
            shared: Arc::clone(&shared),
            wall: Monotonic::start(),
        };
        Ok((
            Live {
                sink: Some(sink),
                shared,
            },
            clock,
        ))
    }

    /// Runs `change` at the clock reading of the next sample to render, and moves the
    /// track to the motion it returns.
    pub fn at_next_sample<R>(&self, change: impl FnOnce(Span) -> (R, Motion)) -> R {
        let mut track = lock(&self.shared.track);
        let at = self.shared.clock.reading(track.rendered());
        let (result, motion) = change(at);
        track.reanchor(motion);
        result
    }

    /// Mutes or unmutes; returns whether it is now muted.
    #[must_use = "say whether the sound is now muted"]
    pub fn toggle_mute(&self) -> bool {
        let mut track = lock(&self.shared.track);
        let muted = !track.is_muted();
        track.set_muted(muted);
        muted
    }

    /// While `held`, the watchdog does not count missing pulls (the process is being
    /// stopped); letting go starts its count afresh.
    pub fn hold_watch(&self, held: bool) {
        if !held {
            lock(&self.shared.burst).last_pull = Instant::now();
        }
        self.shared.held.store(held, Ordering::SeqCst);
    }

    /// Whether the device was lost.
    #[must_use]
    pub fn is_lost(&self) -> bool {
        self.shared.lost.load(Ordering::SeqCst)
    }

    /// Closes the stream (after a loss: stops cpal's error loop).
    pub fn close(&mut self) {
        self.shared.closed.store(true, Ordering::SeqCst);
        self.sink = None;
    }

    /// How long the sound still needs after the last cue: a second (the longest tone
    /// is 0.8 s) and two device buffers.
    #[must_use]
    pub fn ring_out(&self) -> Span {
        let clock = self.shared.clock;
        clock.reading(clock.latency * 2 + u64::from(clock.rate))
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.close();
    }
}

/// Watches that the device keeps asking for samples; when it stops for [`STALL`], the
/// clock goes on monotonically from where it was and `on_lost` is called.
fn watch(shared: Arc<Shared>, on_lost: impl FnOnce() + Send + 'static) {
    let _ = std::thread::Builder::new()
        .name("audio-watch".to_owned())
        .spawn(move || {
            while !shared.closed.load(Ordering::SeqCst) {
                // A health check, not a schedule: nothing is timed by these sleeps.
                std::thread::sleep(STALL / 4);
                let last_pull = lock(&shared.burst).last_pull;
                if last_pull.elapsed() > STALL && !shared.held.load(Ordering::SeqCst) {
                    let reached = shared.now();
                    *lock(&shared.lost_at) = Some((Instant::now(), reached));
                    shared.lost.store(true, Ordering::SeqCst);
                    on_lost();
                    return;
                }
            }
        });
}

impl Clock for AudioClock {
    fn now(&self) -> Span {
        self.shared.now()
    }

    fn wait(&self, deadline: Option<Span>, inbox: &Receiver<Input>) -> Option<Input> {
        crate::clock::wait_in_real_time(self.now(), deadline, inbox)
    }

    fn datetime(&self, at: Span) -> String {
        self.wall.datetime(at)
    }
}

/// The naive baseline for the sound benchmark: each cue's sound is handed to rodio's
/// mixer with its own call when the session loop gets round to it, as a simple
/// metronome app would. rodio starts it at its next device buffer. Never used for a
/// real session; `start --clock naive` exists to measure it against [`Live`].
pub struct NaivePlayer {
    sink: rodio::MixerDeviceSink,
    bank: Bank,
}

impl NaivePlayer {
    /// Opens the default device.
    ///
    /// # Errors
    /// [`NoDevice`] when no output device can be opened.
    pub fn open() -> Result<NaivePlayer, NoDevice> {
        let mut sink = open_sink()?;
        sink.log_on_drop(false);
        let rate = sink.config().sample_rate().get();
        Ok(NaivePlayer {
            sink,
            bank: Bank::load(rate),
        })
    }

    /// Plays `sound` now.
    pub fn play(&self, sound: super::sounds::Sound) {
        let samples = self.bank.samples(sound).to_vec();
        let rate = rodio::SampleRate::new(self.bank.rate()).unwrap_or(rodio::SampleRate::MIN);
        self.sink.mixer().add(rodio::buffer::SamplesBuffer::new(
            rodio::ChannelCount::MIN,
            rate,
            samples,
        ));
    }
}
