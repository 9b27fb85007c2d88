//! Sound: the cue sounds, the sample-accurate cue track, live output and `render`.
//!
//! - [`sounds`]: the embedded WAV files, decoded once, and which one each cue plays.
//! - [`voice`]: what `--voice` says when (pure); [`speak`]: exercise names, recorded or
//!   from espeak-ng.
//! - [`track`]: every cue at its exact sample, and the mixer (live and render share it).
//! - [`clock`]: the live stream's sample count as the session's clock.
//! - [`output`]: the live rodio stream.
//! - [`render`]: the session as a WAV or FLAC file; [`flac`] encodes it frame by frame.

pub mod clock;
pub mod flac;
pub mod output;
pub mod render;
pub mod sounds;
pub mod speak;
pub mod track;
pub mod voice;
