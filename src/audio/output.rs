//! Live sound: one continuous cpal output stream whose callback renders the cue track at
//! the stream's own rate. The samples handed out are the session's clock while sound
//! plays ([`super::clock`] has the arithmetic). A command takes effect at the next sample
//! to render, and the session is told the clock reading of that sample, so sound and
//! session re-anchor at the same instant.
//!
//! The stream sleeps while nothing can sound: once the track is idle (paused, or past
//! its last cue) and its last sound has rung out through the device buffer, the stream
//! is closed (its threads and the sound server's stop waking). A command that makes the
//! track sound again opens a new one, which goes on from the command's sample. Pausing
//! the device instead (a corked stream at the sound server) underran for seconds after every
//! resume. cpal is used directly because rodio's stream can be neither paused nor
//! reopened at a sample; rodio's mixer still plays the benchmark's naive baseline.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use rodio::cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use rodio::cpal::{self, FromSample, SizedSample};

use super::clock::{Forward, Pulled, SampleClock, Sleeps};
use super::sounds::Bank;
use super::track::Track;
use crate::clock::{Clock, Monotonic};
use crate::input::Input;
use crate::plan::Plan;
use crate::session::Motion;
use crate::span::Span;

/// The rate asked of the device; its own default rate is used when it refuses.
const PREFERRED_RATE: u32 = 48_000;
/// The device period asked for, in ms. The callback and the sound server's requests come
/// once a period and two periods are queued, so this sets both the wake-ups and how soon
/// a key is heard; shorter periods underran on a loaded machine and moved cues
/// (BENCHMARKS.md has the measurements that chose it).
const PERIOD_MS: u32 = 40;
/// No buffer asked for this long while awake means the device is gone (cpal does not
/// say so).
const STALL: Duration = Duration::from_millis(500);

/// Why there is no sound.
#[derive(Debug, thiserror::Error)]
#[error("no output device ({0})")]
pub struct NoDevice(String);

/// The latest device buffer: its first sample, when it was asked for, and how long
/// the device said it would be until that sample plays.
#[derive(Clone, Copy, Debug)]
struct Burst {
    first: u64,
    asked: Instant,
    delay: Span,
}

/// The stream's sleeps and when the current one began.
#[derive(Clone, Copy, Debug)]
struct Sleep {
    sleeps: Sleeps,
    since: Instant,
}

/// What the audio thread, the control thread and the session share.
struct Shared {
    track: Mutex<Track>,
    clock: SampleClock,
    burst: Mutex<Burst>,
    sleep: Mutex<Sleep>,
    /// When a buffer was last asked for, or the watch was last restarted.
    last_pull: Mutex<Instant>,
    /// Samples the track must have been idle before the stream may sleep: the device
    /// buffer then holds only silence.
    quiet_after: u64,
    /// Set when the device stopped asking for samples.
    lost: AtomicBool,
    /// When sound was lost and the clock reading the session had reached then.
    lost_at: Mutex<Option<(Instant, Span)>>,
    forward: Forward,
    /// Set while the process is stopped (Ctrl-Z): no pulls then is not a lost device.
    held: AtomicBool,
    /// Which stream renders the track: a stream being closed may still be called once,
    /// and must not take samples from the one that replaced it.
    generation: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn elapsed(since: Instant) -> Span {
    Span::from_micros(u64::try_from(since.elapsed().as_micros()).unwrap_or(u64::MAX))
}

impl Shared {
    /// What the stream last told the clock, with `rendered` samples rendered.
    fn pulled(&self, rendered: u64) -> Pulled {
        let burst = *lock(&self.burst);
        Pulled {
            first: burst.first,
            since: elapsed(burst.asked),
            delay: burst.delay,
            rendered,
        }
    }

    fn now(&self) -> Span {
        if let Some((since, base)) = *lock(&self.lost_at) {
            return base + elapsed(since);
        }
        let rendered = lock(&self.track).rendered();
        let sleep = *lock(&self.sleep);
        self.now_at(rendered, sleep)
    }

    /// The reading now, with `rendered` samples rendered and the stream's `sleep`.
    fn now_at(&self, rendered: u64, sleep: Sleep) -> Span {
        let pulled = self.pulled(rendered);
        self.forward
            .next(sleep.sleeps.now(self.clock, pulled, elapsed(sleep.since)))
    }

    fn is_asleep(&self) -> bool {
        lock(&self.sleep).sleeps.asleep_at.is_some()
    }
}

/// What the control thread is told.
enum Control {
    /// The track has been idle long enough for the stream to sleep.
    Idle,
    /// The stream was woken: watch it again.
    Woke,
    /// The session is over.
    Close,
}

/// The stream, shared by the session's handle and the control thread; taken out (and
/// so closed) once.
type Device = Arc<Mutex<Option<cpal::Stream>>>;

/// What opens the stream again after a sleep.
struct Opener {
    device: cpal::Device,
    config: cpal::StreamConfig,
    format: cpal::SampleFormat,
}

/// The open stream and the handle the session runner uses.
pub struct Live {
    device: Device,
    opener: Opener,
    shared: Arc<Shared>,
    control: Sender<Control>,
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

fn no_device(e: impl std::fmt::Display) -> NoDevice {
    NoDevice(e.to_string())
}

/// The default output device and the configuration asked of it: its own channels, the
/// preferred rate where it offers it, float or 16-bit samples, and a fixed period.
fn choose() -> Result<(cpal::Device, cpal::StreamConfig, cpal::SampleFormat), NoDevice> {
    let device = cpal::default_host()
        .default_output_device()
        .ok_or_else(|| no_device("there is no default output device"))?;
    let default = device.default_output_config().map_err(no_device)?;
    let channels = default.channels();
    let playable =
        |f: cpal::SampleFormat| matches!(f, cpal::SampleFormat::F32 | cpal::SampleFormat::I16);
    let preferred = device
        .supported_output_configs()
        .into_iter()
        .flatten()
        .filter(|c| c.channels() == channels && playable(c.sample_format()))
        .filter_map(|c| c.try_with_sample_rate(PREFERRED_RATE))
        .max_by_key(|c| c.sample_format() == cpal::SampleFormat::F32);
    let chosen = preferred.unwrap_or(default);
    let rate = chosen.sample_rate();
    let period = rate * PERIOD_MS / 1000;
    let period = match *chosen.buffer_size() {
        cpal::SupportedBufferSize::Range { min, max } => period.clamp(min, max.max(min)),
        cpal::SupportedBufferSize::Unknown => period,
    };
    let config = cpal::StreamConfig {
        channels,
        sample_rate: rate,
        buffer_size: cpal::BufferSize::Fixed(period),
    };
    Ok((device, config, chosen.sample_format()))
}

/// Builds the stream; its callback renders the track into every channel.
fn build(
    device: &cpal::Device,
    config: &cpal::StreamConfig,
    format: cpal::SampleFormat,
    shared: &Arc<Shared>,
    control: &Sender<Control>,
) -> Result<cpal::Stream, cpal::Error> {
    match format {
        cpal::SampleFormat::I16 => build_as::<i16>(device, config, shared, control),
        _ => build_as::<f32>(device, config, shared, control),
    }
}

fn build_as<T: SizedSample + FromSample<f32>>(
    device: &cpal::Device,
    config: &cpal::StreamConfig,
    shared: &Arc<Shared>,
    control: &Sender<Control>,
) -> Result<cpal::Stream, cpal::Error> {
    let channels = usize::from(config.channels.max(1));
    let mut feed = Feed {
        generation: shared.generation.load(Ordering::SeqCst),
        shared: Arc::clone(shared),
        control: control.clone(),
        buf: Vec::new(),
        idle: 0,
    };
    let on_error = |_: cpal::Error| {
        // Errors are not printed: they come in a busy loop when a device vanishes; the
        // control thread sees that the device stopped asking for samples instead.
    };
    device.build_output_stream(
        *config,
        move |out: &mut [T], info: &cpal::OutputCallbackInfo| {
            let stamp = info.timestamp();
            let delay = stamp.playback.duration_since(stamp.callback);
            feed.fill(
                out,
                channels,
                Span::from_micros(delay.as_micros().try_into().unwrap_or(u64::MAX)),
            );
        },
        on_error,
        None,
    )
}

/// The audio callback's state.
struct Feed {
    generation: u64,
    shared: Arc<Shared>,
    control: Sender<Control>,
    buf: Vec<f32>,
    /// Samples rendered since the track last had anything to sound.
    idle: u64,
}

impl Feed {
    /// Renders one device buffer, which the device plays `delay` from now; says when
    /// the track has been idle long enough for the stream to sleep.
    fn fill<T: SizedSample + FromSample<f32>>(
        &mut self,
        out: &mut [T],
        channels: usize,
        delay: Span,
    ) {
        let frames = out.len() / channels;
        self.buf.resize(frames, 0.0);
        let now = Instant::now();
        let (first, idle) = {
            let mut track = lock(&self.shared.track);
            // Asked under the track's lock: a stream being closed must not take
            // samples that the stream replacing it will play.
            if self.shared.generation.load(Ordering::SeqCst) != self.generation {
                drop(track);
                out.fill(T::EQUILIBRIUM);
                return;
            }
            let first = track.rendered();
            track.render(&mut self.buf);
            (first, track.is_idle())
        };
        *lock(&self.shared.burst) = Burst {
            first,
            asked: now,
            delay,
        };
        *lock(&self.shared.last_pull) = now;
        for (frame, &x) in out.chunks_mut(channels).zip(&self.buf) {
            frame.fill(T::from_sample(x));
        }
        if idle {
            self.idle += frames as u64;
            // Everything the device still holds must be silence: at least what it said
            // was queued ahead of this buffer, and this buffer.
            let queued = self.shared.clock.samples(delay) + frames as u64;
            if self.idle >= self.shared.quiet_after.max(queued) {
                // Said again after as long if the stream is still awake: a device
                // that is recovering from an underrun refuses to pause.
                let _ = self.control.send(Control::Idle);
                self.idle = 0;
            }
        } else {
            self.idle = 0;
        }
    }
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
        quietly(|| Live::open_quietly(plan, speed, voice, volume, on_lost))
    }

    fn open_quietly(
        plan: &Plan,
        speed: f64,
        voice: Option<&[Option<super::sounds::Clip>]>,
        volume: f32,
        on_lost: impl FnOnce() + Send + 'static,
    ) -> Result<(Live, AudioClock), NoDevice> {
        let (device, config, format) = choose()?;
        let rate = config.sample_rate;
        let period = match config.buffer_size {
            cpal::BufferSize::Fixed(frames) => u64::from(frames),
            cpal::BufferSize::Default => u64::from(rate / 40),
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
            clock: SampleClock { rate, period },
            burst: Mutex::new(Burst {
                first: 0,
                asked: now,
                delay: Span::ZERO,
            }),
            sleep: Mutex::new(Sleep {
                sleeps: Sleeps::default(),
                since: now,
            }),
            last_pull: Mutex::new(now),
            // The two queued periods and one more: all that is queued is silence.
            quiet_after: 3 * period,
            lost: AtomicBool::new(false),
            lost_at: Mutex::new(None),
            forward: Forward::default(),
            held: AtomicBool::new(false),
            generation: AtomicU64::new(0),
        });
        let (control, inbox) = std::sync::mpsc::channel();
        let (stream, config) = if let Ok(stream) =
            build(&device, &config, format, &shared, &control)
        {
            (stream, config)
        } else {
            // Some devices refuse a fixed period: take theirs.
            let config = cpal::StreamConfig {
                buffer_size: cpal::BufferSize::Default,
                ..config
            };
            let stream = build(&device, &config, format, &shared, &control).map_err(no_device)?;
            (stream, config)
        };
        stream.play().map_err(no_device)?;
        let cpal_device = device;
        let device: Device = Arc::new(Mutex::new(Some(stream)));
        watch(Arc::clone(&shared), Arc::clone(&device), inbox, on_lost);
        let clock = AudioClock {
            shared: Arc::clone(&shared),
            wall: Monotonic::start(),
        };
        Ok((
            Live {
                device,
                opener: Opener {
                    device: cpal_device,
                    config,
                    format,
                },
                shared,
                control,
            },
            clock,
        ))
    }

    /// Runs `change` at the clock reading of the next sample to render, and moves the
    /// track to the motion it returns; wakes the stream if the track can sound again.
    pub fn at_next_sample<R>(&self, change: impl FnOnce(Span) -> (R, Motion)) -> R {
        let shared = &self.shared;
        let mut track = lock(&shared.track);
        let mut sleep = lock(&shared.sleep);
        let asleep = sleep.sleeps.asleep_at.is_some();
        // Asleep, a new stream would go on from the next sample to render, played at
        // once: waking makes that sample read where the asleep clock stands, and the
        // command takes effect as far on as it would have awake.
        let (sleeps, effect) = if asleep {
            let now = shared.now_at(track.rendered(), *sleep);
            let woken = sleep.sleeps.wake(shared.clock, track.rendered(), now);
            (woken, woken.effect_sample(shared.clock, track.rendered()))
        } else {
            (sleep.sleeps, track.rendered())
        };
        let (result, motion) = change(sleeps.reading(shared.clock, effect));
        track.reanchor_at(effect, motion);
        let mut refused = None;
        if asleep && !track.is_idle() {
            sleep.sleeps = sleeps;
            *lock(&shared.last_pull) = Instant::now();
            // A new stream goes on from the next sample to render. If none opens, no
            // samples are asked for, and the watch reports the device lost.
            let Opener {
                device,
                config,
                format,
            } = &self.opener;
            let (stream, failed) =
                quietly(
                    || match build(device, config, *format, shared, &self.control) {
                        Ok(stream) if stream.play().is_ok() => (Some(stream), None),
                        Ok(stream) => (None, Some(stream)),
                        Err(_) => (None, None),
                    },
                );
            refused = failed;
            *lock(&self.device) = stream;
            let _ = self.control.send(Control::Woke);
        }
        // A stream that would not play is dropped outside the locks: dropping waits for
        // a callback in progress, which may be waiting for the track.
        drop(sleep);
        drop(track);
        drop(refused);
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

    /// While `held`, the watch does not count missing pulls (the process is being
    /// stopped); letting go starts its count afresh.
    pub fn hold_watch(&self, held: bool) {
        if !held {
            *lock(&self.shared.last_pull) = Instant::now();
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
        let _ = self.control.send(Control::Close);
        // Dropped outside the lock: dropping waits for a callback in progress, which may
        // wait for the track that a falling-asleep watch holds while it waits for the
        // device.
        let stream = lock(&self.device).take();
        drop(stream);
    }

    /// How long the sound still needs after the last cue: a second (the longest tone
    /// is 0.8 s) and two device buffers.
    #[must_use]
    pub fn ring_out(&self) -> Span {
        let clock = self.shared.clock;
        clock.reading(clock.period * 2 + u64::from(clock.rate))
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.close();
    }
}

/// The control thread: closes the stream when the track has been idle long
/// enough, and, while the stream is awake, watches that the device keeps asking for
/// samples; when it stops for [`STALL`], the clock goes on monotonically from where it
/// was and `on_lost` is called. Asleep, it waits without a timeout: nothing wakes.
fn watch(
    shared: Arc<Shared>,
    device: Device,
    inbox: Receiver<Control>,
    on_lost: impl FnOnce() + Send + 'static,
) {
    let _ = std::thread::Builder::new()
        .name("audio-watch".to_owned())
        .spawn(move || {
            loop {
                let message = if shared.is_asleep() {
                    inbox.recv().map_err(|_| RecvTimeoutError::Disconnected)
                } else {
                    // A health check, not a schedule: nothing is timed by this wait.
                    inbox.recv_timeout(STALL / 2)
                };
                match message {
                    Ok(Control::Idle) => sleep(&shared, &device),
                    Ok(Control::Woke) => {}
                    Ok(Control::Close) | Err(RecvTimeoutError::Disconnected) => return,
                    Err(RecvTimeoutError::Timeout) => {
                        let last_pull = *lock(&shared.last_pull);
                        if last_pull.elapsed() > STALL
                            && !shared.held.load(Ordering::SeqCst)
                            && !shared.is_asleep()
                        {
                            let reached = shared.now();
                            *lock(&shared.lost_at) = Some((Instant::now(), reached));
                            shared.lost.store(true, Ordering::SeqCst);
                            on_lost();
                            return;
                        }
                    }
                }
            }
        });
}

/// Closes the stream if the track is still idle; the clock then runs on from here.
fn sleep(shared: &Shared, device: &Device) {
    let stream = {
        let track = lock(&shared.track);
        let mut sleep = lock(&shared.sleep);
        if !track.is_idle() || sleep.sleeps.asleep_at.is_some() {
            return;
        }
        let now = shared.now_at(track.rendered(), *sleep);
        *sleep = Sleep {
            sleeps: sleep
                .sleeps
                .fall_asleep(shared.clock, track.rendered(), now),
            since: Instant::now(),
        };
        shared.generation.fetch_add(1, Ordering::SeqCst);
        lock(device).take()
    };
    // Closed outside the locks: closing waits for a callback in progress, which needs
    // the track.
    drop(stream);
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

fn open_sink() -> Result<rodio::MixerDeviceSink, NoDevice> {
    let on_error = |_: cpal::Error| {};
    quietly(|| {
        let preferred = rodio::SampleRate::new(PREFERRED_RATE).unwrap_or(rodio::SampleRate::MIN);
        let at_48k = rodio::DeviceSinkBuilder::from_default_device()
            .map_err(no_device)?
            .with_sample_rate(preferred)
            .with_error_callback(on_error)
            .open_stream();
        match at_48k {
            Ok(sink) => Ok(sink),
            Err(_) => rodio::DeviceSinkBuilder::from_default_device()
                .map_err(no_device)?
                .with_error_callback(on_error)
                .open_stream()
                .map_err(no_device),
        }
    })
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
