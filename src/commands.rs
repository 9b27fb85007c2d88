//! Runs one command: turns the command line into domain values, does the work, and
//! writes what the user sees. Every failure comes back as an [`Error`] with its exit code.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use std::io::IsTerminal;

use crate::audio::render::RenderError;
use crate::cli::{BadValue, Cli, Command, PlanArgs, ShowArgs, pain_score};
use crate::clock::{self, Clock};

use crate::log::{LogError, PainRecord, Record, Store};
use crate::plan::{self, Overrides, Plan, PlanError};
use crate::preset::{Catalog, Origin, Preset, PresetError};
use crate::show;
use crate::span::Span;

mod man;
mod render;
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
    #[error("cannot write the output")]
    Output(#[source] std::io::Error),
    #[error(transparent)]
    Log(#[from] LogError),
    #[error("cannot set up the terminal")]
    Terminal(#[source] std::io::Error),
    #[error(transparent)]
    Render(#[from] RenderError),
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
        matches!(self, Error::Preset(PresetError::Invalid { .. }))
    }

    /// 2 for anything the user can fix in what they typed or wrote, 1 otherwise.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Output(_)
            | Error::Log(_)
            | Error::Terminal(_)
            | Error::Trace { .. }
            | Error::Render(_) => EXIT_FAILURE,
            Error::Preset(_) | Error::Plan(_) | Error::BadValue(_) => EXIT_USAGE,
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
        None if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() => start::home(),
        None | Some(Command::Presets) => presets(),
        Some(Command::Start(args)) => start::start(&args),
        Some(Command::Render(args)) => render::render(&args),
        Some(Command::Log(args)) => log_command(&args),
        Some(Command::Stats(args)) => stats_command(&args),
        Some(Command::Pain { pain, note, log }) => {
            let pain = pain_score(&pain)?;
            let store = Store::locate(log.as_deref())?;
            let at = clock::Monotonic::start().datetime(Span::ZERO);
            store.append(&Record::Pain(PainRecord {
                v: 1,
                at,
                pain,
                note,
            }))?;
            emit(&format!(
                "morning pain {pain}/10 recorded in {}\n",
                crate::text::escape_cell(&store.path().display().to_string())
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Show(args)) => show(&args),
        Some(Command::Check { files }) => Ok(check(&files)),
        Some(Command::Man) => man::man(),
        Some(Command::Completions { shell }) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cmd, "reptempo", &mut buf);
            emit(&String::from_utf8_lossy(&buf))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn presets() -> Result<ExitCode, Error> {
    let catalog = catalog();
    let id_w = catalog.iter().map(|(p, _)| p.id.len()).max().unwrap_or(0);
    let name_w = catalog
        .iter()
        .map(|(p, _)| p.name.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (preset, origin) in catalog.iter() {
        let total = Plan::build(preset, &Overrides::default()).map(|p| p.total())?;
        out.push_str(&show::preset_line(preset, origin, total, (id_w, name_w)));
        out.push('\n');
    }
    emit(&out)?;
    Ok(ExitCode::SUCCESS)
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
    let mut overrides = args.overrides()?;
    let (preset, origin) = catalog().resolve(&args.preset)?;
    let mut note = "from --week".to_owned();
    if overrides.week.is_none()
        && let Some(today) = today()
        && let Some(next) = crate::log::history::next_week(&advice_entries(log), &preset, today)
    {
        overrides.week = Some(next.week);
        note = format!("from the log: {next}");
    }
    let plan = Plan::build(&preset, &overrides)?;
    Ok((preset, origin, plan, note))
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

fn log_command(args: &crate::cli::LogArgs) -> Result<ExitCode, Error> {
    let today = today().unwrap_or_default();
    let filter = args.which.filter(today)?;
    let entries = read_log(args.which.log.as_deref())?;
    let (records, newer) = crate::log::export::select(&entries, &filter);
    if newer > 0 {
        eprintln!("reptempo: {newer} lines of a newer format are not shown");
    }
    let text = if let Some(profile) = args.csv_profile()? {
        crate::log::export::csv_as(&records, profile)
            .map_err(|e| Error::Output(std::io::Error::other(e)))?
    } else if args.json {
        serde_json::to_string_pretty(&records).unwrap_or_default() + "\n"
    } else if args.jsonl {
        records.iter().map(|r| r.to_line() + "\n").collect()
    } else {
        crate::log::export::table(&records)
    };
    emit(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// A bar of `value` against `max` in `width` cells, in eighths of a cell.
fn bar(value: f64, max: f64, width: usize) -> String {
    const EIGHTHS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    if max <= 0.0 {
        return String::new();
    }
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let eighths = (value / max * (width * 8) as f64).round() as usize;
    "█".repeat(eighths / 8) + EIGHTHS[eighths % 8]
}

fn stats_command(args: &crate::cli::StatsArgs) -> Result<ExitCode, Error> {
    use crate::log::stats;
    let today = today().unwrap_or_default();
    let filter = args.which.filter(today)?;
    let last = crate::cli::count_flag("--weeks", args.weeks.as_ref(), 520)?;
    let entries = read_log(args.which.log.as_deref())?;
    let keep = |r: &crate::log::SetRecord| filter.keeps(r);
    let mut weeks = stats::weekly(&entries, &keep);
    let verdict = stats::verdict(&entries, &keep, today);
    if let Some(n) = last {
        weeks = stats::within_weeks(weeks, n, today);
    }
    if args.json {
        let doc = serde_json::json!({ "weeks": weeks, "verdict": verdict });
        emit(&(serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"))?;
        return Ok(ExitCode::SUCCESS);
    }
    if weeks.is_empty() {
        emit("no sets logged yet\n")?;
        return Ok(ExitCode::SUCCESS);
    }
    let opt = |v: Option<f64>| v.map_or("-".to_owned(), |v| format!("{v:.1}"));
    let mut out = format!(
        "{:<9} {:>8} {:>4} {:>5} {:>9} {:>7} {:>8} {:>5} {:>7}\n",
        "week", "sessions", "sets", "reps", "volume", "TUT", "top load", "pain", "morning"
    );
    for w in &weeks {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let tut = Span::from_micros((w.tut_s * 1e6).round() as u64).clock();
        let _ = writeln!(
            out,
            "{:<9} {:>8} {:>4} {:>5} {:>7.0}kg {:>7} {:>8} {:>5} {:>7}",
            w.week,
            w.sessions,
            w.sets,
            w.reps,
            w.volume_kg,
            tut,
            w.top_load_kg
                .map_or("-".to_owned(), |t| format!("{t:.1}kg")),
            opt(w.pain),
            opt(w.morning_pain),
        );
    }
    out.push_str("\ntime under tension a week, and pain during exercise / next morning (0-10)\n");
    let max = weeks.iter().map(|w| w.tut_s).fold(0.0, f64::max);
    for w in &weeks {
        let _ = writeln!(
            out,
            "{:<9} {:<31} pain {} / {}",
            w.week,
            bar(w.tut_s, max, 30),
            opt(w.pain),
            opt(w.morning_pain)
        );
    }
    match verdict {
        Some(v) => {
            let colour = std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            let (word, code) = match v.light {
                stats::Light::Green => ("GREEN", "32"),
                stats::Light::Amber => ("AMBER", "33"),
                stats::Light::Red => ("RED", "31"),
            };
            let light = if colour {
                format!("\x1b[{code}m● {word}\x1b[0m")
            } else {
                format!("● {word}")
            };
            let _ = write!(
                out,
                "\n{light}: {}\n  ({}; {})\n",
                v.reason, v.source, v.caveat
            );
        }
        None => {
            let _ = writeln!(
                out,
                "\nno pain scores in the last {} days: no verdict from the pain-monitoring model",
                stats::WINDOW_DAYS
            );
        }
    }
    emit(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// Today's date on the local clock.
fn today() -> Option<jiff::civil::Date> {
    clock::Monotonic::start()
        .datetime(Span::ZERO)
        .get(..10)?
        .parse()
        .ok()
}

fn show(args: &ShowArgs) -> Result<ExitCode, Error> {
    let (preset, _, plan, note) = plan_for(&args.plan, None)?;
    if args.json {
        emit(&(show::plan_json(&preset, &plan) + "\n"))?;
    } else {
        emit(&show::plan_text(&preset, &plan, &note))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Validates each file; problems go to stderr as `FILE:LINE:COL: message`.
fn check(files: &[PathBuf]) -> ExitCode {
    let mut failed = 0;
    for path in files {
        let checked = Preset::load(path).and_then(|preset| {
            // Problems of the preset as a whole (a week too long) point at its start.
            let whole = |e: PlanError| PresetError::Invalid {
                path: path.clone(),
                diagnostics: vec![crate::preset::Diagnostic {
                    line: 1,
                    col: 1,
                    message: e.to_string(),
                }],
            };
            plan::check_every_week(&preset).map_err(whole)?;
            let plan = Plan::build(&preset, &Overrides::default()).map_err(whole)?;
            Ok((preset, plan))
        });
        match checked {
            Ok((preset, plan)) => {
                let blocks = preset.blocks.len();
                let _ = emit(&format!(
                    "{}: ok ({}: {blocks} block{}, {} in all)\n",
                    crate::text::escape_cell(&path.display().to_string()),
                    preset.id,
                    if blocks == 1 { "" } else { "s" },
                    plan.total().clock(),
                ));
            }
            Err(e) => {
                failed += 1;
                eprintln!("{}", crate::error_chain(&e));
            }
        }
    }
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_USAGE)
    }
}
