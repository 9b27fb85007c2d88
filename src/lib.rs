//! reptempo: a rep-tempo metronome and timer for the terminal.
//!
//! One pure core and thin edges. The data path reads top-down, with no back-edge:
//!
//! ```text
//! argv --clap--> cli --validate (+ config file)--> Overrides, options (domain types only)
//! preset TOML --serde--> preset --+ overrides--> plan (flat timeline of segments + cues)
//! plan + clock --> session (pure state machine: position, commands, due cues, set ends)
//! session --> run (the one driver: clock, sound, trace, log writer, script, keys, signals)
//! run --> front end: plain (lines) | tui (full-screen display)
//! beside the driver: audio (cue track, live stream as clock, render), log (JSON Lines)
//! plan --> show (text / JSON), presets, check; log --> history, stats, export
//! log (training sets) + stats' verdict --> report (HTML / Markdown); plan --> handout
//! preset rules + log (training sets) + today --> coach (decisions) --> next
//! ```
//!
//! - [`span`], [`tempo`], [`load`]: time in whole microseconds, the tempo notation, loads.
//! - [`preset`]: what a preset is (the model); its TOML format and validation with
//!   positions (`preset/format.rs`); built-in and user presets.
//! - [`plan`]: preset + overrides -> segments and cues at exact offsets; totals.
//! - [`session`]: the running state machine; given clock readings, never reads a clock.
//! - [`clock`]: where time comes from (monotonic, fake for tests, the naive baseline).
//! - [`input`]: keys and signals as one message type, and the one key map.
//! - [`run`]: the driver and the front-end trait; [`plain`] and [`tui`] are front ends.
//! - [`audio`]: cue sounds, the sample-exact track, the live stream, WAV render.
//! - [`log`]: the set log, its history, stats and export.
//! - [`coach`]: after each session, progress / hold / regress / next stage, by the preset's
//!   rules and the pain-monitoring model.
//! - [`terminal`]: raw mode, the key reader and the signal listener.
//! - [`priority`]: real-time priority for the waiting thread, where permitted.
//! - [`show`]: the plan as a table or as the `show --json` contract.
//! - [`text`]: control characters made visible before text reaches a terminal.
//! - [`small_file`]: a preset or config file read safely (regular, capped, UTF-8 with the
//!   first bad byte's position).
//! - [`config`]: the config file, a person's defaults and extra keys (flags override it).
//! - [`report`]: the physio's report (HTML with SVG charts, or Markdown) and the
//!   patient's handout.
//! - [`cli`], [`commands`]: the command line and the glue that runs each command.

mod audio;
mod cli;
mod clock;
mod coach;
mod commands;
mod config;
mod input;
mod load;
mod log;
mod plain;
mod plan;
mod preset;
mod priority;
mod report;
mod run;
mod session;
mod show;
mod small_file;
mod span;
mod tempo;
mod terminal;
mod text;
mod tui;

pub use cli::Cli;
pub use commands::{Error, run};

/// An error and its sources, `outer: inner: innermost`, with any control character
/// (from a path or a file's text) made visible.
#[must_use]
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text::escape(&text).into_owned()
}
