//! reptempo: a rep-tempo metronome and timer for the terminal.
//!
//! One pure core and thin edges. Everything that decides what happens when is plain
//! data and pure functions:
//!
//! ```text
//! argv --clap--> Cli --validate--> Overrides (domain types only)
//! preset TOML --serde--> Preset --+ overrides--> Plan (flat timeline of segments + cues)
//! Plan --> show (text / JSON), presets, check
//! ```
//!
//! - [`span`]: session time in whole microseconds, and the duration notation.
//! - [`tempo`]: the four-phase tempo notation.
//! - [`load`]: loads and their units.
//! - [`preset`]: the preset format, validation with positions, built-in and user presets.
//! - [`plan`]: preset + overrides -> segments and cues at exact offsets; totals.
//! - [`show`]: the plan as a table or as the `show --json` contract.
//! - [`text`]: control characters made visible before text reaches a terminal.
//! - [`cli`], [`commands`]: the command line and its dispatch.

pub mod audio;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod load;
pub mod log;
pub mod plain;
pub mod plan;
pub mod preset;
pub mod session;
pub mod show;
pub mod span;
pub mod tempo;
pub mod terminal;
pub mod text;
pub mod tui;

/// An error and its sources, `outer: inner: innermost`.
#[must_use]
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}
