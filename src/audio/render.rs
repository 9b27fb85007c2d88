//! `render`: the whole session's mix as a WAV file, streamed in fixed-size chunks (memory
//! does not grow with the session) into a temporary file that is renamed into place only
//! when complete, so a failed render never leaves a half file under the target name.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::sounds::Bank;
use super::track::Track;
use crate::plan::Plan;

/// Frames rendered and written at a time.
const CHUNK: usize = 16_384;

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: hound::Error,
    },
    #[error("cannot move the finished file to {}", path.display())]
    Rename {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} would be {samples} samples, more than a WAV file can hold", path.display())]
    TooLong { path: PathBuf, samples: u64 },
}

/// What was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub samples: u64,
    pub rate: u32,
}

/// How many samples a render of `plan` writes: the session, then the last sound's ring.
#[must_use]
pub fn length(plan: &Plan, track: &Track, bank: &Bank) -> u64 {
    track.sample_of(plan.total()) + bank.longest() as u64
}

/// Writes `plan` as a mono 16-bit WAV at the bank's rate to `path`, calling `progress`
/// with the fraction done after each chunk.
///
/// # Errors
/// A [`RenderError`] naming the file; the target is then left as it was.
pub fn write_wav(
    plan: &Plan,
    bank: &Arc<Bank>,
    speed: f64,
    voice: bool,
    volume: f32,
    path: &Path,
    mut progress: impl FnMut(f64),
) -> Result<Rendered, RenderError> {
    let mut track = Track::new(plan, Arc::clone(bank), speed, voice);
    track.set_volume(volume);
    let total = length(plan, &track, bank);
    // A WAV's data size is a u32 of bytes: 2 bytes a sample.
    if total > u64::from(u32::MAX / 2) - 64 {
        return Err(RenderError::TooLong {
            path: path.to_owned(),
            samples: total,
        });
    }
    let temporary = temporary_path(path);
    let result = write_samples(&mut track, total, bank.rate(), &temporary, &mut progress);
    if let Err(source) = result {
        let _ = std::fs::remove_file(&temporary);
        return Err(RenderError::Write {
            path: path.to_owned(),
            source,
        });
    }
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
    })
}

/// `dir/.name.partial-PID`: beside the target, so the rename stays on one file system.
fn temporary_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "render".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.partial-{}", std::process::id()))
}

#[allow(
    clippy::cast_possible_truncation,
    reason = "samples are clipped to [-1, 1] before scaling"
)]
fn write_samples(
    track: &mut Track,
    total: u64,
    rate: u32,
    path: &Path,
    progress: &mut impl FnMut(f64),
) -> Result<(), hound::Error> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let file = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut writer = hound::WavWriter::new(file, spec)?;
    let mut buf = vec![0.0f32; CHUNK];
    let mut written = 0u64;
    while written < total {
        let n = usize::try_from((total - written).min(CHUNK as u64)).unwrap_or(CHUNK);
        track.render(&mut buf[..n]);
        let mut samples = writer.get_i16_writer(u32::try_from(n).unwrap_or(u32::MAX));
        for &x in &buf[..n] {
            // x 32768 then clipped: a sound's own 16-bit samples come back unchanged.
            samples.write_sample((x * 32768.0).round().clamp(-32768.0, 32767.0) as i16);
        }
        samples.flush()?;
        written += n as u64;
        #[allow(clippy::cast_precision_loss, reason = "a fraction for display")]
        progress(written as f64 / total as f64);
    }
    writer.finalize()?;
    Ok(())
}
