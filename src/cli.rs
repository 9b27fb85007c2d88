//! The command line as clap reads it. Values stay strings here; [`PlanArgs::overrides`]
//! turns them into domain types, so a bad value gets the same one-sentence error and exit
//! code 2 as a bad preset.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::load::Load;
use crate::plan::{CadenceSetting, Overrides};
use crate::preset::Side;
use crate::span::Span;
use crate::tempo::Tempo;

/// A rep-tempo metronome and timer for tendon rehab and strength training.
#[derive(Debug, Parser)]
#[command(name = "reptempo", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant, reason = "built once per run")]
pub enum Command {
    /// List the built-in and user presets, one line each.
    Presets,
    /// Show what a preset will make you do: blocks, sets, reps, tempo, rest, totals.
    Show(ShowArgs),
    /// Validate preset files; each problem is printed with its file, line and column.
    Check {
        /// Preset files (TOML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print a shell completion script.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    #[command(flatten)]
    pub plan: PlanArgs,
    /// Print the plan as JSON (blocks, totals and every cue with its offset).
    #[arg(long)]
    pub json: bool,
}

/// The preset and the values that replace its own.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// A preset id (see `reptempo presets`) or a preset file.
    #[arg(value_name = "PRESET|FILE")]
    pub preset: String,
    /// The program week whose sets, reps and load apply.
    #[arg(long, value_name = "N")]
    pub week: Option<String>,
    /// Sets per block.
    #[arg(long, value_name = "N")]
    pub sets: Option<String>,
    /// Reps per set, for reps blocks.
    #[arg(long, value_name = "N")]
    pub reps: Option<String>,
    /// Tempo for reps blocks: eccentric-pause-concentric-pause, e.g. 3-0-3-0, 31X0.
    #[arg(long, value_name = "TEMPO")]
    pub tempo: Option<String>,
    /// Length of each hold, e.g. 45s.
    #[arg(long, value_name = "DURATION")]
    pub hold: Option<String>,
    /// Rest between sets, e.g. 90s, 2m, 2m30s.
    #[arg(long, value_name = "DURATION")]
    pub rest: Option<String>,
    /// Load, e.g. 60kg, 135lb, bodyweight, 70%1RM.
    #[arg(long, value_name = "LOAD")]
    pub load: Option<String>,
    /// Do every set on one side: left, right, or both (bilateral).
    #[arg(long, value_name = "SIDE")]
    pub side: Option<String>,
    /// Time before the first set, e.g. 5s (0 for none).
    #[arg(long, value_name = "DURATION")]
    pub lead_in: Option<String>,
    /// Beats a minute for cadence blocks (172), or a change from the preset's (+5%).
    #[arg(long, value_name = "BPM|±N%", allow_hyphen_values = true)]
    pub cadence: Option<String>,
    /// Length of each cadence bout, e.g. 20s, 10m.
    #[arg(long, value_name = "DURATION")]
    pub duration: Option<String>,
}

/// A command-line value that is not what its flag takes.
#[derive(Debug, thiserror::Error)]
#[error("{flag}: {message}")]
pub struct BadValue {
    pub flag: &'static str,
    pub message: String,
}

fn value<T, E: std::fmt::Display>(
    flag: &'static str,
    text: Option<&String>,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<Option<T>, BadValue> {
    text.map(|t| {
        parse(t).map_err(|e| BadValue {
            flag,
            message: e.to_string(),
        })
    })
    .transpose()
}

fn count(max: u32) -> impl Fn(&str) -> Result<u32, String> {
    move |t| match t.trim().parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(format!("{t:?} is not a whole number from 1 to {max}")),
    }
}

fn positive_span(t: &str) -> Result<Span, String> {
    match Span::parse(t) {
        Ok(s) if s.is_zero() => Err(format!("{t:?} must be longer than 0 s")),
        Ok(s) => Ok(s),
        Err(e) => Err(e.to_string()),
    }
}

fn side(t: &str) -> Result<Side, String> {
    match t.trim().to_ascii_lowercase().as_str() {
        "left" | "l" => Ok(Side::Left),
        "right" | "r" => Ok(Side::Right),
        "both" => Ok(Side::Both),
        _ => Err(format!("{t:?} is not a side: use left, right or both")),
    }
}

impl PlanArgs {
    /// The overrides in domain types.
    ///
    /// # Errors
    /// [`BadValue`] naming the first flag whose value does not parse.
    pub fn overrides(&self) -> Result<Overrides, BadValue> {
        Ok(Overrides {
            week: value("--week", self.week.as_ref(), count(104))?,
            sets: value("--sets", self.sets.as_ref(), count(100))?,
            reps: value("--reps", self.reps.as_ref(), count(1000))?,
            tempo: value("--tempo", self.tempo.as_ref(), str::parse::<Tempo>)?,
            hold: value("--hold", self.hold.as_ref(), positive_span)?,
            rest: value("--rest", self.rest.as_ref(), Span::parse)?,
            load: value("--load", self.load.as_ref(), str::parse::<Load>)?,
            side: value("--side", self.side.as_ref(), side)?,
            lead_in: value("--lead-in", self.lead_in.as_ref(), Span::parse)?,
            cadence: value(
                "--cadence",
                self.cadence.as_ref(),
                str::parse::<CadenceSetting>,
            )?,
            duration: value("--duration", self.duration.as_ref(), positive_span)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn bad_values_name_their_flag() {
        let cli = Cli::parse_from(["reptempo", "show", "hsr", "--tempo", "3-0-3"]);
        let Some(Command::Show(args)) = cli.command else {
            panic!("not show")
        };
        let err = args.plan.overrides().unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"--tempo: tempo "3-0-3": expected 4 phases, found 3"#
        );
        let cli = Cli::parse_from(["reptempo", "show", "hsr", "--sets", "0"]);
        let Some(Command::Show(args)) = cli.command else {
            panic!("not show")
        };
        assert_eq!(
            args.plan.overrides().unwrap_err().to_string(),
            r#"--sets: "0" is not a whole number from 1 to 100"#
        );
    }
}
