//! Runs one command: turns the command line into domain values, does the work, and
//! writes what the user sees. Every failure comes back as an [`Error`] with its exit code.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use std::io::IsTerminal;
use std::sync::mpsc;

use crate::audio::output::Live;
use crate::audio::render::{self as wav, RenderError};
use crate::audio::sounds::Bank;
use crate::cli::{BadValue, Cli, ClockChoice, Command, PlanArgs, ShowArgs, StartArgs, pain_score};
use crate::clock::{self, Clock};
use crate::log::{LogError, PainRecord, Record, Store};
use crate::plain;
use crate::plan::{self, Overrides, Plan, PlanError};
use crate::preset::{Catalog, Origin, Preset, PresetError};
use crate::show;
use crate::span::Span;
use crate::terminal;

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
        None if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() => home(),
        None | Some(Command::Presets) => presets(),
        Some(Command::Start(args)) => start(&args),
        Some(Command::Render(args)) => render(&args),
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
                store.path().display()
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Show(args)) => show(&args),
        Some(Command::Check { files }) => Ok(check(&files)),
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
    let weeks = preset
        .program_weeks()
        .filter(|_| !preset.week_table.is_empty());
    if let (None, Some(weeks), Some(today)) = (overrides.week, weeks, today()) {
        let entries = Store::locate(log)
            .ok()
            .and_then(|s| s.read().ok())
            .map(|(entries, _)| entries)
            .unwrap_or_default();
        let per_week = preset.sessions_per_week();
        let (week, why) =
            crate::log::history::program_week(&entries, &preset.id, weeks, per_week, today);
        overrides.week = Some(week);
        note = format!("from the log: {why}");
    }
    let plan = Plan::build(&preset, &overrides)?;
    Ok((preset, origin, plan, note))
}

/// What the line runner needs from the command line.
fn line_options(
    args: &StartArgs,
    speed: f64,
    log: Option<Store>,
    raw: bool,
) -> Result<plain::Options, Error> {
    let stdout_is_terminal = std::io::stdout().is_terminal();
    let script = match &args.script {
        Some(text) => plain::parse_script(text).map_err(|message| BadValue {
            flag: "--script",
            message,
        })?,
        None => Vec::new(),
    };
    Ok(plain::Options {
        speed,
        bell: stdout_is_terminal && !args.no_bell,
        log,
        trace: args.trace.clone(),
        script,
        // Raw mode changes how the terminal ends lines, not what a pipe gets.
        newline: if raw && stdout_is_terminal {
            "\r\n"
        } else {
            "\n"
        },
    })
}

/// Runs a session with the plain runner, on the clock the options name.
fn start(args: &StartArgs) -> Result<ExitCode, Error> {
    let options = args.options()?;
    let (_, _, plan, _) = plan_for(&args.plan, args.log.as_deref())?;
    let log = if args.no_log {
        None
    } else {
        Some(Store::locate(args.log.as_deref())?)
    };
    let (inbox, messages) = mpsc::channel();
    terminal::listen_for_signals(inbox.clone()).map_err(Error::Terminal)?;
    let audio_inbox = inbox.clone();
    let full_screen = !args.plain
        && std::io::stdout().is_terminal()
        && std::io::stdin().is_terminal()
        && options.clock == ClockChoice::Monotonic;
    if full_screen {
        return start_full_screen(args, &options, plan, log.as_ref(), (inbox, &messages));
    }
    let keys = std::io::stdin().is_terminal() && options.clock != ClockChoice::Fake;
    let raw = if keys {
        let raw = terminal::RawMode::enter().map_err(Error::Terminal)?;
        terminal::listen_for_keys(inbox, false).map_err(Error::Terminal)?;
        Some(raw)
    } else {
        drop(inbox);
        None
    };
    let run_options = line_options(args, options.speed, log, raw.is_some())?;
    let out = std::io::stdout();
    let sound_wanted = !args.no_audio && options.clock == ClockChoice::Monotonic;
    let live = if sound_wanted {
        let volume = f32::from(options.volume) / 100.0;
        match Live::open(&plan, options.speed, args.voice, volume, audio_inbox) {
            Ok(live) => Some(live),
            Err(e) => {
                let newline = run_options.newline;
                eprint!("audio: {e}; continuing with visual cues and the bell{newline}");
                None
            }
        }
    } else {
        None
    };
    let naive = if !args.no_audio && options.clock == ClockChoice::Naive {
        crate::audio::output::NaivePlayer::open().ok()
    } else {
        None
    };
    let ended = match (options.clock, live) {
        (_, Some((mut live, clock))) => {
            let sound = plain::Sound::Live(&mut live);
            plain::run(&clock, plan, &run_options, sound, &messages, out)
        }
        (ClockChoice::Monotonic, None) => plain::run(
            &clock::Monotonic::start(),
            plan,
            &run_options,
            plain::Sound::Silent,
            &messages,
            out,
        ),
        (ClockChoice::Fake, None) => plain::run(
            &clock::Fake::new(),
            plan,
            &run_options,
            plain::Sound::Silent,
            &messages,
            out,
        ),
        (ClockChoice::Naive, None) => plain::run(
            &clock::Naive::start(),
            plan,
            &run_options,
            naive
                .as_ref()
                .map_or(plain::Sound::Silent, plain::Sound::Naive),
            &messages,
            out,
        ),
    };
    drop(raw);
    let report = ended.map_err(|source| Error::Trace {
        path: args.trace.clone().unwrap_or_default(),
        source,
    })?;
    Ok(ExitCode::from(report.exit_code()))
}

/// The log's usable entries; each bad line is named once on stderr.
fn read_log(path: Option<&std::path::Path>) -> Result<Vec<crate::log::Entry>, Error> {
    let store = Store::locate(path)?;
    let (entries, warnings) = store.read()?;
    for w in warnings {
        eprintln!("reptempo: {w}");
    }
    Ok(entries)
}

fn log_command(args: &crate::cli::LogArgs) -> Result<ExitCode, Error> {
    let today = today().unwrap_or_default();
    let filter = args.which.filter(today)?;
    let entries = read_log(args.which.log.as_deref())?;
    let (records, newer) = crate::log::export::select(&entries, &filter);
    if newer > 0 {
        eprintln!("reptempo: {newer} lines of a newer format are not shown");
    }
    let text = if args.csv {
        crate::log::export::csv(&records).map_err(|e| Error::Output(std::io::Error::other(e)))?
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
    let verdict = stats::verdict(&entries, &keep, &weeks);
    if let Some(n) = last {
        let n = usize::try_from(n).unwrap_or(usize::MAX);
        weeks.drain(..weeks.len().saturating_sub(n));
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
            let _ = write!(out, "\n{light}: {}\n  ({})\n", v.reason, v.source);
        }
        None => {
            out.push_str("\nno pain scores logged: no verdict from the pain-monitoring model\n");
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

/// The home screen: pick a preset (and a week) and start it.
fn home() -> Result<ExitCode, Error> {
    let catalog = catalog();
    let entries = Store::locate(None)
        .ok()
        .and_then(|s| s.read().ok())
        .map(|(entries, _)| entries)
        .unwrap_or_default();
    let today = today();
    let rows = catalog
        .iter()
        .map(|(preset, _)| {
            let total =
                Plan::build(preset, &Overrides::default()).map_or(Span::ZERO, |p| p.total());
            let program = preset
                .program_weeks()
                .filter(|_| !preset.week_table.is_empty())
                .zip(today)
                .map(|(weeks, today)| {
                    let (week, why) = crate::log::history::program_week(
                        &entries,
                        &preset.id,
                        weeks,
                        preset.sessions_per_week(),
                        today,
                    );
                    (week, weeks, why)
                });
            crate::tui::home::Row {
                id: preset.id.clone(),
                name: preset.name.clone(),
                stage: preset.stage.map(crate::preset::Stage::number),
                total,
                program,
            }
        })
        .collect();
    let mut home = crate::tui::home::Home {
        rows,
        recent: crate::log::history::recent_sessions(&entries, 5),
        selected: 0,
    };
    let (inbox, messages) = mpsc::channel();
    terminal::listen_for_signals(inbox.clone()).map_err(Error::Terminal)?;
    let mut screen = terminal::full_screen().map_err(Error::Terminal)?;
    terminal::listen_for_keys(inbox, true).map_err(Error::Terminal)?;
    let choice = loop {
        screen
            .draw(|frame| frame.render_widget(&home, frame.area()))
            .map_err(Error::Terminal)?;
        match messages.recv() {
            Ok(plain::Input::Key(key)) => match home.key(key) {
                crate::tui::home::Choice::Stay => {}
                choice => break Ok(choice),
            },
            Ok(plain::Input::Interrupt) => break Err(plain::Ending::Interrupted),
            Ok(plain::Input::Terminate) => break Err(plain::Ending::Terminated),
            Ok(plain::Input::HangUp) => break Err(plain::Ending::HungUp),
            Err(_) => break Ok(crate::tui::home::Choice::Leave),
            Ok(_) => {}
        }
    };
    terminal::restore();
    let choice = match choice {
        Ok(choice) => choice,
        Err(ending) => return Ok(ExitCode::from(ending.exit_code())),
    };
    let crate::tui::home::Choice::Start(id, week) = choice else {
        return Ok(ExitCode::SUCCESS);
    };
    let mut argv = vec!["reptempo".to_owned(), "start".to_owned(), id];
    if let Some(week) = week {
        argv.extend(["--week".to_owned(), week.to_string()]);
    }
    match <Cli as clap::Parser>::try_parse_from(argv) {
        Ok(Cli {
            command: Some(Command::Start(chosen)),
        }) => start(&chosen),
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// Runs a session in the full-screen display; after it, the summary stays in the
/// scrollback.
fn start_full_screen(
    args: &StartArgs,
    options: &crate::cli::StartOptions,
    plan: Plan,
    log: Option<&Store>,
    (inbox, messages): (mpsc::Sender<plain::Input>, &mpsc::Receiver<plain::Input>),
) -> Result<ExitCode, Error> {
    let wall = clock::Monotonic::start();
    let entries = match log {
        Some(store) => {
            let (entries, warnings) = store.read().unwrap_or_default();
            for w in warnings {
                eprintln!("reptempo: {w}");
            }
            entries
        }
        None => Vec::new(),
    };
    let last_time = today().map_or_else(std::collections::HashMap::new, |today| {
        crate::tui::app::last_times(&entries, today)
    });
    let last_load = crate::tui::app::last_loads(&entries);
    let (live, sound_note) = if args.no_audio {
        (None, Some("sound off (--no-audio)".to_owned()))
    } else {
        let volume = f32::from(options.volume) / 100.0;
        match Live::open(&plan, options.speed, args.voice, volume, inbox.clone()) {
            Ok(live) => (Some(live), None),
            Err(e) => (None, Some(format!("audio: {e}; visual cues only"))),
        }
    };
    // The trace file is made before the screen is taken, so a bad path is reported
    // as what it is.
    if let Some(path) = &args.trace {
        std::fs::File::create(path).map_err(|source| Error::Trace {
            path: path.clone(),
            source,
        })?;
    }
    let mut screen = terminal::full_screen().map_err(Error::Terminal)?;
    terminal::listen_for_keys(inbox, true).map_err(Error::Terminal)?;
    let tui_options = crate::tui::Options {
        speed: options.speed,
        log,
        trace: args.trace.as_deref(),
        color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        last_time,
        last_load,
        sound_note,
        bell: !args.no_bell,
    };
    let preset = plan.preset.clone();
    let ended = match live {
        Some((mut live, clock)) => crate::tui::run(
            &clock,
            plan,
            tui_options,
            plain::Sound::Live(&mut live),
            messages,
            &mut screen,
        ),
        None => crate::tui::run(
            &wall,
            plan,
            tui_options,
            plain::Sound::Silent,
            messages,
            &mut screen,
        ),
    };
    terminal::restore();
    let (report, summary, unlogged) = ended.map_err(Error::Terminal)?;
    for line in unlogged {
        eprintln!("{line}");
    }
    emit(&(summary.line(&preset) + "\n"))?;
    Ok(ExitCode::from(report.exit_code()))
}

/// Writes the session's mix to a WAV file, with a progress bar on a terminal.
fn render(args: &crate::cli::RenderArgs) -> Result<ExitCode, Error> {
    let options = args.options()?;
    let (_, _, plan, _) = plan_for(&args.plan, None)?;
    let bank = std::sync::Arc::new(Bank::load(options.rate));
    let bar = std::io::stderr().is_terminal();
    let mut shown = u32::MAX;
    let volume = f32::from(options.volume) / 100.0;
    let done = wav::write_wav(
        &plan,
        &bank,
        options.speed,
        args.voice,
        volume,
        &args.output,
        |f| {
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "0-100"
            )]
            let percent = (f * 100.0) as u32;
            if bar && percent != shown {
                shown = percent;
                let filled = usize::try_from(percent / 4).unwrap_or(25);
                eprint!("\rrendering [{:<25}] {percent:3}%", "#".repeat(filled));
            }
        },
    );
    if bar {
        eprint!("\r{:50}\r", "");
    }
    let done = done?;
    let seconds = Span::from_micros(done.samples * 1_000_000 / u64::from(done.rate));
    #[allow(clippy::cast_precision_loss, reason = "megabytes for display")]
    let megabytes = (done.samples * 2 + 44) as f64 / 1e6;
    emit(&format!(
        "wrote {}: {} of sound, {} Hz mono 16-bit, {megabytes:.1} MB\n",
        args.output.display(),
        seconds.clock(),
        done.rate,
    ))?;
    Ok(ExitCode::SUCCESS)
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
