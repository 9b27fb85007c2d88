//! Presets: what a preset is, and the API the rest of the program uses to get one.
//!
//! This file is the domain model: a [`Preset`] of [`Block`]s, each an exercise with its
//! [`Work`] (reps at a tempo, a hold, a cadence), its sets and rests and the [`Sides`] it
//! is done on; the program and its week table; the coach's [`Rule`]s. These types say
//! what a preset means, not how a file spells it: `format` builds them only from a file
//! that passed every check.
//!
//! Beside it, each owning one job:
//! - `format`: the TOML file format and its validation (serde's raw types, the two-pass
//!   check with `FILE:LINE:COL` diagnostics, the limits, reading a file safely).
//! - `tree`: the document as TOML tables, for control characters and refused values.
//! - `rule`: the coach's rules, their vocabulary and their safety check.
//! - `catalog`: the built-in presets and the user's, found by id.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::load::Load;
use crate::span::Span;
use crate::tempo::Tempo;

mod catalog;
mod format;
mod rule;
mod tree;
#[cfg(test)]
pub use catalog::builtin_sources;
pub use catalog::{Catalog, Origin};
// The settings file is TOML too, and reports its problems the same way.
pub(crate) use format::{plain_words, position};
pub use rule::{Action, Conditions, Rule, WeekMove};

/// Where a session's work sits in the rehab stages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Isometric = 1,
    EccentricHsr = 2,
    Plyometric = 3,
}

impl Stage {
    #[must_use]
    pub const fn number(self) -> u8 {
        self as u8
    }
}

/// How often a program is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frequency {
    SessionsPerWeek(u32),
    Daily {
        times_per_day: u32,
        days_per_week: u32,
    },
}

/// A preset's training program: how often and for how many weeks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    pub frequency: Option<Frequency>,
    pub weeks: u32,
}

/// Which side a set is done on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    Both,
    Left,
    Right,
}

/// The words for a side are decided here and nowhere else: the log, `show`, the lines
/// of a plain run, the display and the handout all go through these.
impl Side {
    /// Every side, in the order the log's schema lists them.
    pub const ALL: [Side; 3] = [Side::Both, Side::Left, Side::Right];

    /// The side in words, as the log and every text write it.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Side::Both => "both",
            Side::Left => "left",
            Side::Right => "right",
        }
    }

    /// The side in capitals, as the display writes it in big letters.
    #[must_use]
    pub const fn upper(self) -> &'static str {
        match self {
            Side::Both => "BOTH",
            Side::Left => "LEFT",
            Side::Right => "RIGHT",
        }
    }
}

/// How a block's sets are spread over the sides of the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sides {
    /// Both sides at once (bilateral work).
    Both,
    /// One side a set: left, right, left ...
    Alternate,
    /// Every set on the left, then on the right.
    Each,
    /// Every set on one side only (from `--side left|right`).
    #[serde(skip)]
    Only(Side),
}

impl Sides {
    /// The sides of set `set` (1-based), in the order they are done.
    #[must_use]
    pub fn of_set(self, set: u32) -> &'static [Side] {
        match self {
            Sides::Both | Sides::Only(Side::Both) => &[Side::Both],
            Sides::Alternate if set % 2 == 1 => &[Side::Left],
            Sides::Each => &[Side::Left, Side::Right],
            Sides::Only(Side::Left) => &[Side::Left],
            Sides::Alternate | Sides::Only(Side::Right) => &[Side::Right],
        }
    }

    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Sides::Both => "both",
            Sides::Alternate => "alternate",
            Sides::Each => "each",
            Sides::Only(side) => side.name(),
        }
    }
}

/// Which phase a rep starts with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StartPhase {
    /// Lowering first: squat, heel drop, bench press.
    #[default]
    Eccentric,
    /// Lifting first: pull-up, deadlift.
    Concentric,
}

/// What one set of a block asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Work {
    /// Repetitions at a tempo. `reps` is `None` when the week table gives it.
    Reps {
        reps: Option<u32>,
        tempo: Tempo,
        start: StartPhase,
        /// The concentric phase is the unloaded way back (on the other leg, or on both),
        /// so it does not count as time under tension.
        eccentric_only: bool,
    },
    /// An isometric hold or a stretch of this length.
    Hold(Span),
    /// A beat at `bpm` beats a minute for `duration` a set.
    Cadence { bpm: f64, duration: Span },
}

/// One exercise's work.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub exercise: String,
    pub work: Work,
    /// `None` when the week table gives it.
    pub sets: Option<u32>,
    pub rest: Span,
    pub rest_after: Option<Span>,
    /// The pause between the left and the right side of a set (`sides = "each"`).
    pub switch: Span,
    pub sides: Sides,
    pub load: Option<Load>,
    pub notes: Option<String>,
}

/// A row of the week table: what applies to every reps block in these weeks.
#[derive(Clone, Debug, PartialEq)]
pub struct WeekRow {
    pub weeks: Range<u32>,
    pub sets: Option<u32>,
    pub reps: Option<u32>,
    pub load: Option<Load>,
}

/// A validated preset.
#[derive(Clone, Debug, PartialEq)]
pub struct Preset {
    pub id: String,
    pub name: String,
    /// Empty when the file has none.
    pub description: String,
    pub source: String,
    /// The short form of the source for listings ("Rio 2015"); derived when not given.
    pub cite: Option<String>,
    pub stage: Option<Stage>,
    pub lead_in: Span,
    pub explosive: Span,
    pub program: Option<Program>,
    pub blocks: Vec<Block>,
    pub week_table: Vec<WeekRow>,
    /// The coach's rules, in order: the first that applies decides.
    pub rules: Vec<Rule>,
}

/// One problem in a preset file, at a line and column (1-based, columns in characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

/// Why a preset could not be had.
#[derive(Debug, thiserror::Error)]
pub enum PresetError {
    #[error("cannot read preset file {}", shown(path))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "cannot read preset file {}: it is {kind}, not a regular file",
        shown(path)
    )]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error(
        "cannot read preset file {}: it is larger than {} MiB, the most a preset file may be",
        shown(path),
        format::MAX_FILE_BYTES >> 20
    )]
    TooLarge { path: PathBuf },
    /// One or more problems in the file, each printed as `FILE:LINE:COL: message`.
    #[error("{}", render_diagnostics(path, diagnostics))]
    Invalid {
        path: PathBuf,
        diagnostics: Vec<Diagnostic>,
    },
    #[error("unknown preset {id:?}{}; `reptempo presets` lists them", suggestion.as_ref().map(|s| format!(" (did you mean {s:?}?)")).unwrap_or_default())]
    Unknown {
        id: String,
        suggestion: Option<String>,
    },
}

/// A path as it may be printed: a file name can hold control characters too.
fn shown(path: &Path) -> String {
    crate::text::escape_cell(&path.display().to_string()).into_owned()
}

fn render_diagnostics(path: &Path, diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| format!("{}:{}:{}: {}", shown(path), d.line, d.col, d.message))
        .collect::<Vec<_>>()
        .join("\n")
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

impl Preset {
    /// Reads and validates a preset from its TOML text; `path` names it in diagnostics.
    ///
    /// # Errors
    /// [`PresetError::Invalid`] with every problem found, each at its line and column.
    pub fn parse(text: &str, path: &Path) -> Result<Preset, PresetError> {
        format::parse(text, path)
    }

    /// Reads a preset file from disk.
    ///
    /// # Errors
    /// [`PresetError::Read`] when the file cannot be read, else as [`Preset::parse`].
    pub fn load(path: &Path) -> Result<Preset, PresetError> {
        format::load(path)
    }

    /// The row of the week table for `week`, if the preset has one.
    #[must_use]
    pub fn week_row(&self, week: u32) -> Option<&WeekRow> {
        self.week_table.iter().find(|r| r.weeks.contains(&week))
    }

    /// Sessions a week the program asks for, when it says.
    #[must_use]
    pub fn sessions_per_week(&self) -> Option<u32> {
        match self.program.as_ref()?.frequency? {
            Frequency::SessionsPerWeek(n) => Some(n),
            Frequency::Daily {
                times_per_day,
                days_per_week,
            } => Some(times_per_day * days_per_week),
        }
    }

    /// The number of weeks of the program, when it has a length.
    #[must_use]
    pub fn program_weeks(&self) -> Option<u32> {
        self.program.as_ref().map(|p| p.weeks)
    }

    /// "Kongsgaard 2009": `cite`, else the first word and the first year of the source.
    #[must_use]
    pub fn source_short(&self) -> String {
        if let Some(cite) = &self.cite {
            return cite.clone();
        }
        let author = self
            .source
            .split(|c: char| c.is_whitespace() || c == ',')
            .next()
            .unwrap_or_default();
        let year = self.source.as_bytes().windows(4).position(|w| {
            w.iter().all(u8::is_ascii_digit) && (w.starts_with(b"19") || w.starts_with(b"20"))
        });
        match year {
            Some(i) => format!("{author} {}", &self.source[i..i + 4]),
            None => self.source.chars().take(24).collect(),
        }
    }
}

/// "week 4" or "weeks 2-3".
#[must_use]
pub fn show_weeks(range: &Range<u32>) -> String {
    if range.end - range.start == 1 {
        format!("week {}", range.start)
    } else {
        format!("weeks {}-{}", range.start, range.end - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "id = \"t\"\nname = \"T\"\ndescription = \"d\"\nsource = \"S 2020\"\n";

    #[test]
    fn short_source() {
        let p = Preset::parse(
            &format!("{HEAD}[[block]]\nexercise = \"A\"\nhold = 4\nsets = 1\n"),
            Path::new("t.toml"),
        )
        .unwrap();
        assert_eq!(p.source_short(), "S 2020");
    }
}
