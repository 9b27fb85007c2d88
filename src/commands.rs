//! Runs one command: turns the command line into domain values, does the work, and
//! writes what the user sees. Every failure comes back as an [`Error`] with its exit code.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use std::io::IsTerminal;

use crate::audio::render::RenderError;
use crate::cli::{BadValue, Cli, Command, PlanArgs};
use crate::clock::{self, Clock};
use crate::config::Config;

use crate::log::history::ProgramWeek;
use crate::log::{LogError, Store};
use crate::plan::{self, Plan, PlanError};
use crate::preset::{Catalog, Origin, Preset, PresetError};
use crate::span::Span;

mod completions;
mod history;
mod man;
mod next;
mod presets;
mod render;
mod report;
mod start;

/// Exit code for bad usage or invalid input.
pub const EXIT_USAGE: u8 = 2;
/// Exit code for a failure at run time.
pub const EXIT_FAILURE: u8 = 1;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Preset(#[from] PresetError),
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error(transparent)]
    BadValue(#[from] BadValue),
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error("cannot write the output")]
    Output(#[source] std::io::Error),
    #[error(transparent)]
    Log(#[from] LogError),
    #[error("cannot set up the terminal")]
    Terminal(#[source] std::io::Error),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write the trace {}", path.display())]
    Trace {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// Whether the message is `FILE:LINE:COL: ...` lines, printed as they are.
    #[must_use]
    pub fn is_diagnostic(&self) -> bool {
        matches!(
            self,
            Error::Preset(PresetError::Invalid { .. })
                | Error::Config(crate::config::ConfigError::Invalid { .. })
        )
    }

    /// 2 for anything the user can fix in what they typed or wrote, 1 otherwise.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            // A path that cannot be a log is the person's to fix, like a bad preset.
            Error::Log(e) if e.is_not_a_file() => EXIT_USAGE,
            Error::Output(_)
            | Error::Log(_)
            | Error::Terminal(_)
            | Error::Trace { .. }
            | Error::Write { .. }
            | Error::Render(_) => EXIT_FAILURE,
            // A config file that cannot be read is the person's to fix, like a bad one.
            Error::Preset(_) | Error::Plan(_) | Error::BadValue(_) | Error::Config(_) => EXIT_USAGE,
        }
    }
}

/// The user's preset directory: `$XDG_CONFIG_HOME/reptempo/presets` on Linux.
fn user_preset_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "reptempo").map(|d| d.config_dir().join("presets"))
}

/// The catalogue, with every broken user preset reported on stderr (and skipped).
fn catalog() -> Catalog {
    let (mut catalog, problems) = Catalog::load(user_preset_dir().as_deref());
    for problem in problems {
        for line in problem.to_string().lines() {
            eprintln!("reptempo: skipped a user preset: {line}");
        }
    }
    let unusable: Vec<(String, String)> = catalog
        .iter()
        .filter(|(_, origin)| *origin != Origin::Builtin)
        .filter_map(|(preset, origin)| {
            let Origin::User(path) = origin else {
                return None;
            };
            plan::check_every_week(preset)
                .err()
                .map(|e| (preset.id.clone(), format!("{}: {e}", path.display())))
        })
        .collect();
    for (id, message) in unusable {
        eprintln!("reptempo: skipped a user preset: {message}");
        catalog.remove(&id);
    }
    catalog
}

/// Writes to stdout; a reader that went away (`| head`) is not an error.
fn emit(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Output(e)),
        _ => Ok(()),
    }
}

/// Runs the command line.
///
/// # Errors
/// Any [`Error`]; the caller prints it and exits with [`Error::exit_code`].
pub fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        None if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() => {
            start::home(if cli.no_advice {
                crate::tui::home::Coach::Off
            } else {
                crate::tui::home::Coach::On
            })
        }
        Some(Command::Presets { ids: true }) => completions::preset_ids(),
        None | Some(Command::Presets { .. }) => presets::presets(),
        Some(Command::Start(args)) => start::start(&args),
        Some(Command::Render(args)) => render::render(&args),
        Some(Command::Log(args)) => history::log(&args),
        Some(Command::Stats(args)) => history::stats(&args),
        Some(Command::Pain { pain, note, log }) => history::pain(&pain, note, log.as_deref()),
        Some(Command::Show(args)) => presets::show(&args),
        Some(Command::Next(args)) => next::next(&args),
        Some(Command::Man) => man::man(),
        Some(Command::Check { files }) => presets::check(&files),
        Some(Command::Completions { shell }) => completions::completions(shell),
        Some(Command::Report(args)) => report::report(&args),
        Some(Command::Handout(args)) => report::handout(&args),
    }
}

/// The preset named on the command line and its plan with the overrides. Without
/// `--week`, a program preset runs the week the log (`log`, else the default) puts the
/// person in; the last value says which and why.
///
/// # Errors
/// A bad flag value, an unknown or invalid preset, or overrides that do not fit it.
pub fn plan_for(
    args: &PlanArgs,
    log: Option<&std::path::Path>,
) -> Result<(Preset, Origin, Plan, String), Error> {
    plan_with(args, log, &Config::load_active()?)
        .map(|(preset, origin, plan, note, _)| (preset, origin, plan, note))
}

/// [`plan_for`] with the config file already read, and the programme week when the
/// log chose it.
fn plan_with(
    args: &PlanArgs,
    log: Option<&std::path::Path>,
    config: &Config,
) -> Result<(Preset, Origin, Plan, String, Option<ProgramWeek>), Error> {
    let mut overrides = args.overrides_with(config)?;
    let (preset, origin) = catalog().resolve(&args.preset)?;
    let mut note = "from --week".to_owned();
    let mut chosen = None;
    if overrides.week.is_none()
        && let Some(today) = today()
        && let Some(next) = crate::log::history::next_week(&advice_entries(log), &preset, today)
    {
        overrides.week = Some(next.week);
        note = format!("from the log: {next}");
        chosen = Some(next);
    }
    let plan = Plan::build(&preset, &overrides)?;
    Ok((preset, origin, plan, note, chosen))
}

/// The log's valid entries; each line that is not is named once on stderr. The one
/// way commands read the log.
fn read_log(path: Option<&std::path::Path>) -> Result<Vec<crate::log::Entry>, Error> {
    let store = Store::locate(path)?;
    let (entries, warnings) = store.read()?;
    for w in warnings {
        eprintln!("reptempo: {w}");
    }
    Ok(entries)
}

/// The log's valid entries for advice that can do without them (the programme week,
/// "last time"): a log that cannot be read is said once, and nothing is advised from it.
fn advice_entries(path: Option<&std::path::Path>) -> Vec<crate::log::Entry> {
    match read_log(path) {
        Ok(entries) => entries,
        Err(e) => {
            eprintln!("reptempo: {}", crate::error_chain(&e));
            Vec::new()
        }
    }
}

/// Today's date on the local clock.
fn today() -> Option<jiff::civil::Date> {
    clock::Monotonic::start()
        .datetime(Span::ZERO)
        .get(..10)?
        .parse()
        .ok()
}
