//! Live sound: one continuous rodio output stream, fed by one long-lived source that
//! renders the cue track at the stream's own rate. The samples that source has handed
//! out are the session's clock while sound plays.
//!
//! rodio reports no device clock: the source knows which sample it renders, not which
//! one the speaker plays. The clock therefore reads the first sample of the latest
//! device buffer, less the buffer's length (the output latency), plus the monotonic
//! time since that buffer was asked for; it never reads past what was rendered. A
//! command takes effect at the next sample to render, and the session is told the clock
//! reading of that sample, so sound and session re-anchor at the same instant.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use rodio::Source;

use super::sounds::Bank;
use super::track::Track;
use crate::clock::{Clock, Monotonic};
use crate::plan::Plan;
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

/// What the audio thread and the session share.
struct Shared {
    track: Mutex<Track>,
    rate: u32,
    /// Output latency in samples: the device buffer.
    latency: u64,
    /// The first sample of the latest device buffer and when it was asked for, and
    /// when the source was last pulled at all.
    burst: Mutex<(u64, Instant, Instant)>,
    /// Set when the device stopped asking for samples.
    lost: AtomicBool,
    /// The clock reading the session had reached when sound was lost.
    lost_at: Mutex<Option<(Instant, Span)>>,
    /// The latest clock reading given out (readings never go back).
    last: AtomicU64,
    /// Set when the session is over, to end the watchdog.
    closed: AtomicBool,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    /// The clock reading (µs) of sample `sample`.
    fn reading(&self, sample: u64) -> Span {
        Span::from_micros(
            u64::try_from(u128::from(sample) * 1_000_000 / u128::from(self.rate))
                .unwrap_or(u64::MAX),
        )
    }

    fn now(&self) -> Span {
        if let Some((since, base)) = *lock(&self.lost_at) {
            return base
                + Span::from_micros(
                    u64::try_from(since.elapsed().as_micros()).unwrap_or(u64::MAX),
                );
        }
        let (first, asked, _) = *lock(&self.burst);
        let rendered = lock(&self.track).rendered();
        // The buffer that starts at `first` is heard once the one before it has played.
        let since =
            Span::from_micros(u64::try_from(asked.elapsed().as_micros()).unwrap_or(u64::MAX));
        let heard = (self.reading(first) + since).saturating_sub(self.reading(self.latency));
        let heard = heard.min(
            self.reading(rendered)
                .saturating_sub(self.reading(self.latency)),
        );
        let last = self.last.fetch_max(heard.as_micros(), Ordering::SeqCst);
        Span::from_micros(last.max(heard.as_micros()))
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
            if now.duration_since(burst.2) > Duration::from_millis(1) {
                burst.0 = first;
                burst.1 = now;
            }
            burst.2 = now;
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
        rodio::SampleRate::new(self.shared.rate).unwrap_or(rodio::SampleRate::MIN)
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
    /// Opens the default output device and starts `plan`'s track at `speed`. `inbox`
    /// hears about it when the device stops asking for samples.
    ///
    /// # Errors
    /// [`NoDevice`] when no output device can be opened.
    pub fn open(
        plan: &Plan,
        speed: f64,
        voice: bool,
        volume: f32,
        inbox: Sender<crate::plain::Input>,
    ) -> Result<(Live, AudioClock), NoDevice> {
        let mut sink = open_sink()?;
        sink.log_on_drop(false);
        let config = sink.config();
        let rate = config.sample_rate().get();
        let latency = match config.buffer_size() {
            rodio::cpal::BufferSize::Fixed(frames) => u64::from(*frames),
            rodio::cpal::BufferSize::Default => u64::from(rate / 20),
        };
        let bank = Arc::new(Bank::load(rate));
        let mut track = Track::new(plan, bank, speed, voice);
        track.set_volume(volume);
        let now = Instant::now();
        let shared = Arc::new(Shared {
            track: Mutex::new(track),
            rate,
            latency,
            burst: Mutex::new((0, now, now)),
            lost: AtomicBool::new(false),
            lost_at: Mutex::new(None),
            last: AtomicU64::new(0),
            closed: AtomicBool::new(false),
        });
        sink.mixer().add(Feed {
            shared: Arc::clone(&shared),
            buf: [0.0; CHUNK],
            at: CHUNK,
        });
        watch(Arc::clone(&shared), inbox);
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
    /// track to the plan position, speed and pause state it returns.
    pub fn at_next_sample<R>(&self, change: impl FnOnce(Span) -> (R, Span, f64, bool)) -> R {
        let mut track = lock(&self.shared.track);
        let at = self.shared.reading(track.rendered());
        let (result, pos, speed, paused) = change(at);
        track.reanchor(pos, speed, paused);
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

    /// Whether every cue has sounded and rung out.
    #[must_use]
    pub fn is_done(&self) -> bool {
        lock(&self.shared.track).is_done()
    }

    /// How long the sound still needs after the last cue: a second (the longest tone
    /// is 0.8 s) and two device buffers.
    #[must_use]
    pub fn ring_out(&self) -> Span {
        self.shared
            .reading(self.shared.latency * 2 + u64::from(self.shared.rate))
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.close();
    }
}

/// Watches that the device keeps asking for samples; when it stops for [`STALL`], the
/// clock goes on monotonically from where it was and `inbox` is told.
fn watch(shared: Arc<Shared>, inbox: Sender<crate::plain::Input>) {
    let _ = std::thread::Builder::new()
        .name("audio-watch".to_owned())
        .spawn(move || {
            while !shared.closed.load(Ordering::SeqCst) {
                // A health check, not a schedule: nothing is timed by these sleeps.
                std::thread::sleep(STALL / 4);
                let last_pull = lock(&shared.burst).2;
                if last_pull.elapsed() > STALL {
                    let reached = shared.now();
                    *lock(&shared.lost_at) = Some((Instant::now(), reached));
                    shared.lost.store(true, Ordering::SeqCst);
                    let _ = inbox.send(crate::plain::Input::AudioLost);
                    return;
                }
            }
        });
}

impl Clock for AudioClock {
    fn now(&self) -> Span {
        self.shared.now()
    }

    fn wait<T>(&self, deadline: Option<Span>, inbox: &Receiver<T>) -> Option<T> {
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
