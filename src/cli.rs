//! The command line as clap reads it. Values stay strings here; [`PlanArgs::overrides`]
//! turns them into domain types, so a bad value gets the same one-sentence error and exit
//! code 2 as a bad preset.

// Doc comments here are the --help text, which is plain text, not Markdown.
#![allow(clippy::doc_markdown)]

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::audio::render::Format;
use crate::config::Config;
use crate::input::Bindings;
use crate::load::Load;
use crate::log::export::CsvProfile;
use crate::plan::{CadenceSetting, Overrides};
use crate::preset::Side;
use crate::span::Span;
use crate::tempo::Tempo;

/// A rep-tempo metronome and timer for tendon rehab and strength training.
#[derive(Debug, Parser)]
#[command(
    name = "reptempo",
    version,
    about,
    max_term_width = 100,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The home screen without the coach's advice, and the sessions started from it too
    /// (as start --no-advice).
    #[arg(long)]
    pub no_advice: bool,
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant, reason = "built once per run")]
pub enum Command {
    /// Run a session: one line per cue (space pause, n skip, p back, r restart set,
    /// +/- speed, q quit).
    #[command(after_help = "Examples:
  reptempo start hsr                  the week the log puts you in, full screen
  reptempo start alfredson --plain    one line per cue, for a screen reader
  reptempo start isometric --hold 30s --sets 3 --no-log")]
    Start(StartArgs),
    /// Write the whole session's sound to a WAV or FLAC file, to follow without reptempo.
    #[command(after_help = "Examples:
  reptempo render alfredson -o alfredson.flac        lossless and small, for a phone
  reptempo render hsr --week 4 --voice -o week4.wav  spoken guidance
  reptempo render cadence --rate 44100 -o run.flac")]
    Render(RenderArgs),
    /// Show the log: a table, or --csv, --json (an array), --jsonl.
    #[command(after_help = "Examples:
  reptempo log --since 4w                          the last four weeks, as a table
  reptempo log --csv --preset hsr > hsr.csv        every field, for a spreadsheet
  reptempo log --csv-profile strong > strong.csv   to import into Strong")]
    Log(LogArgs),
    /// Weekly sums (sets, reps, volume, time under tension, pain) with a chart, and the
    /// pain-monitoring model's verdict.
    Stats(StatsArgs),
    /// Record next-morning pain, 0 (none) to 10 (worst), in the log.
    Pain {
        /// Pain on a 0-10 scale.
        #[arg(value_name = "0-10", allow_negative_numbers = true)]
        pain: String,
        /// A note to keep with it.
        #[arg(long, allow_hyphen_values = true)]
        note: Option<String>,
        /// The log file (default: $REPTEMPO_LOG, else the platform's data directory).
        #[arg(long, value_name = "FILE")]
        log: Option<PathBuf>,
    },
    /// List the built-in and user presets, one line each.
    Presets {
        /// Only the ids, one a line (for shell completion).
        #[arg(long)]
        ids: bool,
    },
    /// Show what a preset will make you do: blocks, sets, reps, tempo, rest, totals.
    #[command(after_help = "Examples:
  reptempo show hsr                   the week the log puts you in, and why
  reptempo show hsr --week 10 --load 80kg
  reptempo show my-rehab.toml --json  every cue with its offset")]
    Show(ShowArgs),
    /// What to do next session, for each exercise: progress, hold, regress or move on to
    /// the next stage, with the numbers, the rule that decided, its source and caveat.
    Next(NextArgs),
    /// Validate preset files and config files (a file named config.toml is read as a
    /// config file); each problem is printed with its file, line and column. Without
    /// files: the config file in use, if there is one.
    Check {
        /// Preset files, or config files named config.toml (TOML).
        files: Vec<PathBuf>,
    },
    /// Print the manual page (roff) to stdout: reptempo man > ~/.local/share/man/man1/reptempo.1
    Man,
    /// The physio's report on the log: programme, adherence week by week, pain with each
    /// week's verdict, load and time under tension per exercise, notes and the records,
    /// as one HTML page (or Markdown for a text e-mail).
    #[command(after_help = "Examples:
  reptempo report --name \"Anna K\" -o anna.html       everything logged, one page
  reptempo report --since 12w --preset hsr -o hsr.html
  reptempo report --since 2026-09-01 -o anna.md      Markdown, to paste in an e-mail")]
    Report(ReportArgs),
    /// A one-page printable handout of a preset for the patient: the exercises, the
    /// tempo in words, rest, load, the week table, the pain rules and the source.
    #[command(after_help = "Examples:
  reptempo handout hsr --week 4 -o hsr-week4.html
  reptempo handout isometric -o isometric.html
  reptempo handout alfredson --load 10kg -o alfredson.html")]
    Handout(HandoutArgs),
    /// Print a shell completion script (preset ids complete in bash and fish).
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

#[derive(Debug, Args)]
pub struct NextArgs {
    /// A preset id or file (default: the preset of the latest set in the log).
    #[arg(value_name = "PRESET|FILE")]
    pub preset: Option<String>,
    /// Print the decisions as JSON.
    #[arg(long)]
    pub json: bool,
    /// Also append each decision to the log as an advice record (a history of what was
    /// advised; nothing counts it as training).
    #[arg(long)]
    pub record: bool,
    /// The log file (default: $REPTEMPO_LOG, else the platform's data directory).
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// The day to advise on, YYYY-MM-DD (default: today; for tests).
    #[arg(long, value_name = "DATE", hide = true, allow_hyphen_values = true)]
    pub today: Option<String>,
}

#[derive(Debug, Default, Args)]
#[allow(clippy::struct_excessive_bools, reason = "one bool per on/off flag")]
pub struct StartArgs {
    #[command(flatten)]
    pub plan: PlanArgs,
    /// Scale every duration by 1/X (2 = twice as fast, 0.5 half as fast), 0.25 to 100,
    /// for previews and demos.
    #[arg(long, value_name = "X", allow_hyphen_values = true)]
    pub speed: Option<String>,
    /// Print one line per cue (the default when stdout is not a terminal).
    #[arg(long)]
    pub plain: bool,
    /// No sound.
    #[arg(long)]
    pub no_audio: bool,
    /// Sound volume, 0-100.
    #[arg(long, value_name = "0-100", allow_hyphen_values = true)]
    pub volume: Option<String>,
    /// Spoken guidance: counts and words at the cues, the exercise, set and side before
    /// each set, a rest's length and what comes next.
    #[arg(long, overrides_with = "no_voice")]
    pub voice: bool,
    /// No spoken counts and words.
    #[arg(long, overrides_with = "voice")]
    pub no_voice: bool,
    /// A terminal bell at phase starts (the default, unless the config file says
    /// bell = false).
    #[arg(long, overrides_with = "no_bell")]
    pub bell: bool,
    /// No terminal bell at phase starts.
    #[arg(long, overrides_with = "bell")]
    pub no_bell: bool,
    /// Colour in the full-screen display (the default unless NO_COLOR is set or the
    /// config file says colour = false).
    #[arg(long, alias = "color", overrides_with = "no_colour")]
    pub colour: bool,
    /// No colour in the full-screen display.
    #[arg(long, alias = "no-color", overrides_with = "colour")]
    pub no_colour: bool,
    /// The log file (default: $REPTEMPO_LOG, else the platform's data directory).
    #[arg(long, value_name = "FILE", conflicts_with = "no_log")]
    pub log: Option<PathBuf>,
    /// No advice for the next session after this one (see `reptempo next`).
    #[arg(long)]
    pub no_advice: bool,
    /// Do not record the sets.
    #[arg(long)]
    pub no_log: bool,
    /// Write one JSON line per cue: plan offset, due and issued time.
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,
    /// The session clock: "monotonic" (default), "fake" (no waiting, for tests) or
    /// "naive" (a sleep-after-each-cue baseline, for benchmarks).
    #[arg(long, value_name = "CLOCK", hide = true, default_value = "monotonic")]
    pub clock: String,
    /// Commands at times after the start, as if keys were pressed: "2s:pause,3s:resume"
    /// (for tests of the line runner).
    #[arg(long, value_name = "SCRIPT", hide = true)]
    pub script: Option<String>,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    #[command(flatten)]
    pub plan: PlanArgs,
    /// The file to write: WAV (.wav) or FLAC (.flac, lossless and about a twentieth of
    /// the size), by its extension unless --format says.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// The file format, whatever the extension: wav or flac.
    #[arg(long, value_name = "FORMAT", allow_hyphen_values = true)]
    pub format: Option<String>,
    /// Samples a second.
    #[arg(
        long,
        value_name = "HZ",
        default_value = "48000",
        allow_hyphen_values = true
    )]
    pub rate: String,
    /// Scale every duration by 1/X, 0.25 to 100.
    #[arg(long, value_name = "X", allow_hyphen_values = true)]
    pub speed: Option<String>,
    /// Spoken guidance: counts and words instead of tones where there are words, the
    /// exercise, set and side before each set, a rest's length and what comes next.
    #[arg(long)]
    pub voice: bool,
    /// Volume, 0-100.
    #[arg(long, value_name = "0-100", allow_hyphen_values = true)]
    pub volume: Option<String>,
}

/// `report`: which records, for whom, written where.
#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub which: HistoryArgs,
    /// The patient's name, for the heading.
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    pub name: Option<String>,
    /// The file to write (default: stdout): HTML, or Markdown for .md, by its extension
    /// unless --format says.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// html or md, whatever the extension.
    #[arg(long, value_name = "FORMAT", allow_hyphen_values = true)]
    pub format: Option<String>,
    /// The day the report is made, YYYY-MM-DD (default: today; for tests).
    #[arg(long, value_name = "DATE", hide = true, allow_hyphen_values = true)]
    pub today: Option<String>,
}

/// `handout`: a preset's week as a page.
#[derive(Debug, Args)]
pub struct HandoutArgs {
    #[command(flatten)]
    pub plan: PlanArgs,
    /// The file to write (default: stdout).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Which records, from which log.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// From this day on: 2026-11-01, 7d (days ago) or 4w (weeks ago).
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub since: Option<String>,
    /// Up to this day, included.
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub until: Option<String>,
    /// Only exercises whose name contains this (any case).
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    pub exercise: Option<String>,
    /// Only this preset.
    #[arg(long, value_name = "ID", allow_hyphen_values = true)]
    pub preset: Option<String>,
    /// The log file (default: $REPTEMPO_LOG, else the platform's data directory).
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    #[command(flatten)]
    pub which: HistoryArgs,
    /// CSV with a header: every field of the log.
    #[arg(long, conflicts_with_all = ["json", "jsonl"])]
    pub csv: bool,
    /// CSV in exactly the columns another app imports: strong or hevy (weights in kg;
    /// previews and morning pain left out).
    #[arg(
        long,
        value_name = "APP",
        conflicts_with_all = ["json", "jsonl"],
        allow_hyphen_values = true
    )]
    pub csv_profile: Option<String>,
    /// A JSON array.
    #[arg(long, conflicts_with = "jsonl")]
    pub json: bool,
    /// One JSON object a line.
    #[arg(long)]
    pub jsonl: bool,
}

impl LogArgs {
    /// Whose columns to write as CSV, when CSV is asked for (`--csv` or `--csv-profile`).
    ///
    /// # Errors
    /// [`BadValue`] when the profile is not one reptempo knows.
    pub fn csv_profile(&self) -> Result<Option<CsvProfile>, BadValue> {
        let profile = value("--csv-profile", self.csv_profile.as_ref(), |t| {
            match t.trim().to_ascii_lowercase().as_str() {
                "strong" => Ok(CsvProfile::Strong),
                "hevy" => Ok(CsvProfile::Hevy),
                _ => Err(format!("{t:?} is not a profile: use strong or hevy")),
            }
        })?;
        Ok(profile.or(self.csv.then_some(CsvProfile::Reptempo)))
    }
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub which: HistoryArgs,
    /// Only the last N weeks.
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub weeks: Option<String>,
    /// The numbers as JSON.
    #[arg(long)]
    pub json: bool,
}

impl HistoryArgs {
    /// The filter in domain types.
    ///
    /// # Errors
    /// [`BadValue`] naming the first flag whose value does not parse.
    pub fn filter(&self, today: jiff::civil::Date) -> Result<crate::log::export::Filter, BadValue> {
        let date = |t: &str| crate::log::export::parse_date(t, today);
        Ok(crate::log::export::Filter {
            since: value("--since", self.since.as_ref(), date)?,
            until: value("--until", self.until.as_ref(), date)?,
            exercise: self.exercise.clone(),
            preset: self.preset.clone(),
        })
    }
}

/// What `render` was asked for, in domain types.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderOptions {
    pub format: Format,
    pub rate: u32,
    pub speed: f64,
    pub volume: u8,
}

impl RenderArgs {
    /// The options in domain types.
    ///
    /// # Errors
    /// [`BadValue`] naming the first flag whose value does not parse.
    pub fn options(&self) -> Result<RenderOptions, BadValue> {
        let rate = value("--rate", Some(&self.rate), |t| {
            match t.trim().parse::<u32>() {
                Ok(r) if (8_000..=192_000).contains(&r) => Ok(r),
                _ => Err(format!("{t:?} is not a sample rate from 8000 to 192000")),
            }
        })?;
        let format = match &self.format {
            Some(_) => value("--format", self.format.as_ref(), |t| {
                match t.trim().to_ascii_lowercase().as_str() {
                    "wav" => Ok(Format::Wav),
                    "flac" => Ok(Format::Flac),
                    _ => Err(format!("{t:?} is not a format: use wav or flac")),
                }
            })?,
            None => Format::of_path(&self.output),
        };
        let Some(format) = format else {
            return Err(BadValue {
                flag: "--output",
                message: format!(
                    "{:?}: the extension says no format reptempo writes: use .wav or \
                     .flac, or say which with --format",
                    self.output.display().to_string()
                ),
            });
        };
        Ok(RenderOptions {
            format,
            rate: rate.unwrap_or(48_000),
            speed: value("--speed", self.speed.as_ref(), speed)?.unwrap_or(1.0),
            volume: value("--volume", self.volume.as_ref(), volume)?.unwrap_or(100),
        })
    }
}

/// The slowest and fastest `--speed`. Slower than a quarter, a 3 s phase lasts 12 s and
/// nobody follows it; faster than 100x, a 45 s hold is gone in half a second, and cues
/// closer than the sounds' own length would pile up. A bound also keeps an absurd
/// factor (1e-14) from turning a session into centuries of waiting.
pub const SPEED_RANGE: std::ops::RangeInclusive<f64> = 0.25..=100.0;

fn speed(t: &str) -> Result<f64, String> {
    match t.trim().parse::<f64>() {
        Ok(x) if SPEED_RANGE.contains(&x) => Ok(x),
        _ => Err(format!(
            "{t:?} is not a speed: use a number from {} to {}",
            SPEED_RANGE.start(),
            SPEED_RANGE.end()
        )),
    }
}

fn volume(t: &str) -> Result<u8, String> {
    match t.trim().parse::<u8>() {
        Ok(v) if v <= 100 => Ok(v),
        _ => Err(format!("{t:?} is not a volume from 0 to 100")),
    }
}

/// What `start` was asked for, in domain types: flags, else the config file, else the
/// built-in defaults.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::struct_excessive_bools, reason = "one bool per on/off setting")]
pub struct StartOptions {
    pub speed: f64,
    pub volume: u8,
    pub voice: bool,
    /// Whether the bell is wanted; it rings only where a terminal hears it.
    pub bell: bool,
    pub colour: bool,
    pub clock: ClockChoice,
    pub keys: Bindings,
}

/// The volume when neither a flag nor the config file sets one.
pub const DEFAULT_VOLUME: u8 = 80;

/// An on/off pair of flags as one setting: `Some` when either was given (clap keeps only
/// the last of the two).
fn switch(on: bool, off: bool) -> Option<bool> {
    if on {
        Some(true)
    } else if off {
        Some(false)
    } else {
        None
    }
}

/// Which clock a session runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockChoice {
    Monotonic,
    Fake,
    Naive,
}

impl StartArgs {
    /// The options in domain types. This is where a flag wins over the config file and
    /// the config file over the built-in default (see also [`PlanArgs::overrides_with`]);
    /// `no_color_env` says whether `NO_COLOR` is set, which only the built-in default
    /// heeds (flags and config files override it, as no-color.org asks).
    ///
    /// # Errors
    /// [`BadValue`] naming the first flag whose value does not parse.
    pub fn options(&self, config: &Config, no_color_env: bool) -> Result<StartOptions, BadValue> {
        let speed = value("--speed", self.speed.as_ref(), speed)?;
        let volume = value("--volume", self.volume.as_ref(), volume)?;
        let clock = value("--clock", Some(&self.clock), |t| match t {
            "monotonic" => Ok(ClockChoice::Monotonic),
            "fake" => Ok(ClockChoice::Fake),
            "naive" => Ok(ClockChoice::Naive),
            _ => Err(format!("{t:?} is not monotonic, fake or naive")),
        })?;
        Ok(StartOptions {
            speed: speed.unwrap_or(1.0),
            volume: volume.or(config.volume).unwrap_or(DEFAULT_VOLUME),
            voice: switch(self.voice, self.no_voice)
                .or(config.voice)
                .unwrap_or(false),
            bell: switch(self.bell, self.no_bell)
                .or(config.bell)
                .unwrap_or(true),
            colour: switch(self.colour, self.no_colour)
                .or(config.colour)
                .unwrap_or(!no_color_env),
            clock: clock.unwrap_or(ClockChoice::Monotonic),
            keys: config.keys.clone(),
        })
    }
}

/// A `--weeks`-like count flag, 1 to `max`.
///
/// # Errors
/// [`BadValue`] naming the flag.
pub fn count_flag(
    flag: &'static str,
    text: Option<&String>,
    max: u32,
) -> Result<Option<u32>, BadValue> {
    value(flag, text, count(max))
}

/// A pain score, 0-10.
///
/// # Errors
/// [`BadValue`] when it is not a whole number from 0 to 10.
pub fn pain_score(text: &str) -> Result<u8, BadValue> {
    match text.trim().parse::<u8>() {
        Ok(p) if p <= 10 => Ok(p),
        _ => Err(BadValue {
            flag: "pain",
            message: format!("{text:?} is not a pain score: use a whole number from 0 to 10"),
        }),
    }
}

/// The preset and the values that replace its own.
#[derive(Debug, Default, Args)]
pub struct PlanArgs {
    /// A preset id (see `reptempo presets`) or a preset file.
    #[arg(value_name = "PRESET|FILE")]
    pub preset: String,
    /// The program week whose sets, reps and load apply.
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub week: Option<String>,
    /// Sets per block.
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub sets: Option<String>,
    /// Reps per set, for reps blocks.
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub reps: Option<String>,
    /// Tempo for reps blocks: eccentric-pause-concentric-pause, e.g. 3-0-3-0, 31X0.
    #[arg(long, value_name = "TEMPO", allow_hyphen_values = true)]
    pub tempo: Option<String>,
    /// Length of each hold, e.g. 45s.
    #[arg(long, value_name = "DURATION", allow_hyphen_values = true)]
    pub hold: Option<String>,
    /// Rest between sets, e.g. 90s, 2m, 2m30s.
    #[arg(long, value_name = "DURATION", allow_hyphen_values = true)]
    pub rest: Option<String>,
    /// Load, e.g. 60kg, 135lb, bodyweight, 70%1RM.
    #[arg(long, value_name = "LOAD", allow_hyphen_values = true)]
    pub load: Option<String>,
    /// Do every set on one side: left, right, or both (bilateral).
    #[arg(long, value_name = "SIDE", allow_hyphen_values = true)]
    pub side: Option<String>,
    /// Time before the first set, e.g. 5s (0 for none).
    #[arg(long, value_name = "DURATION", allow_hyphen_values = true)]
    pub lead_in: Option<String>,
    /// Beats a minute for cadence blocks (172), or a change from the preset's (+5%).
    #[arg(long, value_name = "BPM|±N%", allow_hyphen_values = true)]
    pub cadence: Option<String>,
    /// Length of each cadence bout, e.g. 20s, 10m.
    #[arg(long, value_name = "DURATION", allow_hyphen_values = true)]
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
    /// The overrides in domain types, with the config file's lead-in where no flag gives
    /// one.
    ///
    /// # Errors
    /// [`BadValue`] naming the first flag whose value does not parse.
    pub fn overrides_with(&self, config: &Config) -> Result<Overrides, BadValue> {
        let mut overrides = self.overrides()?;
        overrides.lead_in = overrides.lead_in.or(config.lead_in);
        Ok(overrides)
    }

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

    fn start_options(args: &[&str], config: &Config, no_color_env: bool) -> StartOptions {
        let cli = Cli::parse_from(["reptempo", "start", "hsr"].iter().chain(args));
        let Some(Command::Start(start)) = cli.command else {
            panic!("not start")
        };
        start.options(config, no_color_env).unwrap()
    }

    #[test]
    fn a_flag_beats_the_config_file_which_beats_the_built_in_default() {
        let none = Config::default();
        let built_in = start_options(&[], &none, false);
        assert_eq!(
            (
                built_in.volume,
                built_in.voice,
                built_in.bell,
                built_in.colour
            ),
            (DEFAULT_VOLUME, false, true, true)
        );
        // NO_COLOR sets only the built-in default.
        assert!(!start_options(&[], &none, true).colour);
        let config = Config {
            volume: Some(30),
            voice: Some(true),
            bell: Some(false),
            colour: Some(true),
            lead_in: Some(Span::from_secs(9)),
            keys: Bindings::default(),
        };
        let set = start_options(&[], &config, true);
        assert_eq!(
            (set.volume, set.voice, set.bell, set.colour),
            (30, true, false, true)
        );
        let flags = start_options(
            &["--volume", "70", "--no-voice", "--bell", "--no-colour"],
            &config,
            false,
        );
        assert_eq!(
            (flags.volume, flags.voice, flags.bell, flags.colour),
            (70, false, true, false)
        );
        // Of a pair of switches, the last one given wins.
        let last = start_options(
            &["--no-bell", "--bell", "--colour", "--no-color"],
            &none,
            false,
        );
        assert_eq!((last.bell, last.colour), (true, false));
        let plan = |args: &[&str]| {
            let cli = Cli::parse_from(["reptempo", "show", "hsr"].iter().chain(args));
            let Some(Command::Show(show)) = cli.command else {
                panic!("not show")
            };
            show.plan.overrides_with(&config).unwrap().lead_in
        };
        assert_eq!(plan(&[]), Some(Span::from_secs(9)));
        assert_eq!(plan(&["--lead-in", "0"]), Some(Span::ZERO));
    }

    #[test]
    fn speed_is_from_a_quarter_to_a_hundred() {
        for ok in ["0.25", "1", "2.5", "100"] {
            assert!(speed(ok).is_ok(), "{ok}");
        }
        for bad in [
            "0.24", "100.5", "1e-14", "0", "-2", "NaN", "inf", "fast", "",
        ] {
            assert!(speed(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn negative_values_reach_our_own_check() {
        let cli = Cli::try_parse_from(["reptempo", "show", "hsr", "--rest", "-1s", "--week", "-1"])
            .unwrap();
        let Some(Command::Show(args)) = cli.command else {
            panic!("not show")
        };
        assert_eq!(args.plan.rest.as_deref(), Some("-1s"));
        let Some(Command::Pain { pain, .. }) = Cli::try_parse_from(["reptempo", "pain", "-1"])
            .unwrap()
            .command
        else {
            panic!("not pain")
        };
        assert_eq!(pain_score(&pain).unwrap_err().flag, "pain");
    }
}
