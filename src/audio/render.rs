//! `render`: the whole session's mix as a WAV or FLAC file, streamed in fixed-size chunks
//! (memory does not grow with the session) into a temporary file that is renamed into
//! place only when complete, so a failed render never leaves a half file under the
//! target name. Both formats get the same 16-bit samples: FLAC is lossless, so a
//! decoder gives back exactly the WAV's.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::flac::{self, Chunks, FlacError};
use super::sounds::Bank;
use super::track::Track;
use crate::plan::Plan;

/// Frames rendered and written at a time: a whole number of FLAC blocks, so every
/// frame but the last is encoded as soon as its chunk is rendered.
const CHUNK: usize = 4 * flac::BLOCK;

/// A file format `render` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Wav,
    Flac,
}

impl Format {
    /// The format a file name asks for by its extension, in any case.
    #[must_use]
    pub fn of_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "wav" => Some(Format::Wav),
            "flac" => Some(Format::Flac),
            _ => None,
        }
    }

    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Format::Wav => "WAV",
            Format::Flac => "FLAC",
        }
    }

    /// The most samples a file of this format can hold.
    fn max_samples(self) -> u64 {
        match self {
            // A WAV's data size is a u32 of bytes: 2 bytes a sample, less the header.
            Format::Wav => u64::from(u32::MAX / 2) - 64,
            Format::Flac => flac::MAX_SAMPLES,
        }
    }
}

/// How the cues sound: the run's speed, spoken words or tones, and the volume (0-1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mix {
    pub speed: f64,
    pub voice: bool,
    pub volume: f32,
}

/// Why a file could not be written, by format.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(transparent)]
    Wav(#[from] hound::Error),
    #[error(transparent)]
    Flac(#[from] FlacError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: WriteError,
    },
    #[error("cannot move the finished file to {}", path.display())]
    Rename {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} would be {samples} samples, more than a {} file can hold", path.display(), format.name())]
    TooLong {
        path: PathBuf,
        samples: u64,
        format: Format,
    },
}

/// What was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub samples: u64,
    pub rate: u32,
    /// The file's size.
    pub bytes: u64,
}

/// How many samples a render of `plan` writes: the session, then the last sound's ring.
#[must_use]
pub fn length(plan: &Plan, track: &Track, bank: &Bank) -> u64 {
    track.sample_of(plan.total()) + bank.longest() as u64
}

/// Writes `plan` as mono 16-bit `format` at the bank's rate to `path`, calling
/// `progress` with the fraction done after each chunk.
///
/// # Errors
/// A [`RenderError`] naming the file; the target is then left as it was.
pub fn write(
    plan: &Plan,
    bank: &Arc<Bank>,
    mix: Mix,
    format: Format,
    path: &Path,
    mut progress: impl FnMut(f64),
) -> Result<Rendered, RenderError> {
    let mut track = Track::new(plan, Arc::clone(bank), mix.speed, mix.voice);
    track.set_volume(mix.volume);
    let total = length(plan, &track, bank);
    if total > format.max_samples() {
        return Err(RenderError::TooLong {
            path: path.to_owned(),
            samples: total,
            format,
        });
    }
    let temporary = temporary_path(path);
    let mut samples = Samples::new(&mut track, total, &mut progress);
    let result = match format {
        Format::Wav => write_wav(&mut samples, bank.rate(), &temporary).map_err(WriteError::from),
        Format::Flac => write_flac(&mut samples, bank.rate(), &temporary).map_err(WriteError::from),
    };
    let bytes = result
        .and_then(|()| Ok(std::fs::metadata(&temporary)?.len()))
        .map_err(|source| {
            let _ = std::fs::remove_file(&temporary);
            RenderError::Write {
                path: path.to_owned(),
                source,
            }
        })?;
    std::fs::rename(&temporary, path).map_err(|source| {
        let _ = std::fs::remove_file(&temporary);
        RenderError::Rename {
            path: path.to_owned(),
            source,
        }
    })?;
    Ok(Rendered {
        samples: total,
        rate: bank.rate(),
        bytes,
    })
}

/// `dir/.name.partial-PID`: beside the target, so the rename stays on one file system.
fn temporary_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "render".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.partial-{}", std::process::id()))
}

/// The session as 16-bit samples, a chunk at a time, reporting progress as it goes.
struct Samples<'a, P: FnMut(f64)> {
    track: &'a mut Track,
    total: u64,
    written: u64,
    mix: Vec<f32>,
    out: Vec<i16>,
    progress: &'a mut P,
}

impl<'a, P: FnMut(f64)> Samples<'a, P> {
    fn new(track: &'a mut Track, total: u64, progress: &'a mut P) -> Self {
        Samples {
            track,
            total,
            written: 0,
            mix: vec![0.0; CHUNK],
            out: vec![0; CHUNK],
            progress,
        }
    }
}

impl<P: FnMut(f64)> Chunks for Samples<'_, P> {
    /// The next chunk, or `None` at the end. Progress counts the chunk before this one,
    /// which the caller has taken by the time it asks again.
    #[allow(
        clippy::cast_possible_truncation,
        reason = "samples are clipped to [-1, 1] before scaling"
    )]
    fn next_chunk(&mut self) -> Option<&[i16]> {
        if self.written > 0 {
            #[allow(clippy::cast_precision_loss, reason = "a fraction for display")]
            (self.progress)(self.written as f64 / self.total as f64);
        }
        if self.written >= self.total {
            return None;
        }
        let n = usize::try_from((self.total - self.written).min(CHUNK as u64)).unwrap_or(CHUNK);
        self.track.render(&mut self.mix[..n]);
        for (o, &x) in self.out.iter_mut().zip(&self.mix[..n]) {
            // x 32768 then clipped: a sound's own 16-bit samples come back unchanged.
            *o = (x * 32768.0).round().clamp(-32768.0, 32767.0) as i16;
        }
        self.written += n as u64;
        Some(&self.out[..n])
    }
}

fn write_wav<P: FnMut(f64)>(
    samples: &mut Samples<'_, P>,
    rate: u32,
    path: &Path,
) -> Result<(), hound::Error> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let file = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut writer = hound::WavWriter::new(file, spec)?;
    while let Some(chunk) = samples.next_chunk() {
        let mut out = writer.get_i16_writer(u32::try_from(chunk.len()).unwrap_or(u32::MAX));
        for &s in chunk {
            out.write_sample(s);
        }
        out.flush()?;
    }
    writer.finalize()?;
    Ok(())
}

fn write_flac<P: FnMut(f64)>(
    samples: &mut Samples<'_, P>,
    rate: u32,
    path: &Path,
) -> Result<(), FlacError> {
    let file = BufWriter::with_capacity(1 << 20, File::create(path)?);
    flac::encode(file, rate, flac::default_threads(), samples)?;
    Ok(())
}
