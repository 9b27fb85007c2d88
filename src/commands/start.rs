//! `start` and the home screen: wires a session to its edges (the log, the sound, the
//! keys and signals, the terminal), picks the clock and the front end once, and hands
//! the run to the driver.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::mpsc;

use super::{Error, advice_entries, catalog, emit, plan_with, today};
use crate::audio::output::{Live, NaivePlayer};
use crate::cli::{BadValue, ClockChoice, PlanArgs, StartArgs, StartOptions};
use crate::clock::{self, Clock};
use crate::config::Config;
use crate::input::Input;
use crate::log::Store;
use crate::plan::Plan;
use crate::run::{self, Sound};
use crate::terminal;

/// Runs a session: in the full-screen display on a terminal, else as lines.
pub(super) fn start(args: &StartArgs) -> Result<ExitCode, Error> {
    start_ending(args).map(|(code, _)| code)
}

/// The coach's decisions by exercise and side, as the display shows them during the
/// rest before an exercise ("advised: ...") and the load the form then offers.
fn advice_map(
    advice: &crate::coach::Advice,
) -> std::collections::HashMap<crate::log::history::ExerciseSide, (String, Option<crate::load::Load>)>
{
    advice
        .exercises
        .iter()
        .map(|d| {
            let change = d
                .change
                .as_deref()
                .map(|c| format!(" {c}"))
                .unwrap_or_default();
            let words = format!("advised: {}{change} ({})", d.decision.name(), d.rule);
            let load = d.load.as_ref().and_then(crate::log::LoadRecord::to_load);
            ((d.exercise.clone(), d.side.clone()), (words, load))
        })
        .collect()
}

/// After a session that was logged as training: what the next one should be, and why
/// (the coach's decisions for the exercises just done), read from the log as it now is.
/// Only after a session that wrote training sets (`trained` more than none: one quit in
/// its lead-in, or whose every set ran mostly at another speed, changed nothing to
/// advise on); each decision is then also appended to
/// the log as an advice record; one that cannot be written is said on stderr and the
/// session's outcome stands (advice is recomputable: `next`).
fn advise(
    preset: &crate::preset::Preset,
    log: &Store,
    done: &[String],
    trained: u32,
) -> Option<String> {
    if trained == 0 {
        return None;
    }
    let today = today()?;
    let entries = advice_entries(Some(log.path()));
    let mut advice = crate::coach::decide(preset, &entries, today);
    advice.exercises.retain(|d| done.contains(&d.exercise));
    if advice.exercises.is_empty() {
        return None;
    }
    if let Err(e) = super::next::record_advice(log, &advice, "session") {
        eprintln!(
            "reptempo: the advice was not recorded: {}",
            crate::error_chain(&e)
        );
    }
    Some(crate::coach::text(&advice))
}

/// [`start`], saying also how the session ended (`None` when it never started).
fn start_ending(args: &StartArgs) -> Result<(ExitCode, Option<run::Ending>), Error> {
    // A config file that is wrong stops the start with its FILE:LINE:COL: a default
    // quietly not applied (no sound, no lead-in) would be found out mid-set instead.
    let config = Config::load_active()?;
    let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let options = args.options(&config, no_color_env)?;
    crate::input::use_bindings(options.keys.clone());
    let (preset, _, plan, week_note, chosen) = plan_with(&args.plan, args.log.as_deref(), &config)?;
    // The week the log chose is said with its reason (and, after a long break, the
    // suggestion to repeat the last week) before the first cue: `--week` decides. The
    // display has one line for it, so it gets the short form.
    let week_lines = plan.week.zip(chosen).map(|(w, chosen)| {
        (
            format!(
                "{} week {} of {} ({week_note})",
                plan.preset, w.number, w.of
            ),
            chosen.display_line(&plan.preset, w.of),
        )
    });
    let (week_line, week_display) = week_lines.unzip();
    let exercises: Vec<String> = plan.blocks.iter().map(|b| b.exercise.clone()).collect();
    // A run at another speed is a preview, not training: it is logged only to a file
    // named for it, and then every record says its speed.
    let preview = (options.speed - 1.0).abs() > f64::EPSILON;
    let log = if args.no_log || (preview && args.log.is_none()) {
        None
    } else {
        Some(Store::locate(args.log.as_deref())?)
    };
    let not_logged = match (&log, args.no_log) {
        (Some(_), _) => None,
        (None, true) => Some("not logged (--no-log)".to_owned()),
        (None, false) => Some(format!("preview at {}x: not logged", options.speed)),
    };
    let script = match &args.script {
        Some(text) => run::parse_script(text).map_err(|message| BadValue {
            flag: "--script",
            message,
        })?,
        None => Vec::new(),
    };
    // A bad trace path is reported as what it is, before the session (or the screen).
    if let Some(path) = &args.trace {
        std::fs::File::create(path).map_err(|source| Error::Trace {
            path: path.clone(),
            source,
        })?;
    }
    let (inbox, messages) = mpsc::channel();
    terminal::listen_for_signals(inbox.clone()).map_err(Error::Terminal)?;
    let full_screen = !args.plain
        && std::io::stdout().is_terminal()
        && std::io::stdin().is_terminal()
        && options.clock == ClockChoice::Monotonic;
    // "Logged" must mean written: a log that cannot take a set is found out now, before
    // the first cue, not after the session.
    if let Some(store) = &log {
        store.check_writable(&|path| {
            eprintln!(
                "reptempo: waiting for another program to release the log {}",
                path.display()
            );
        })?;
    }
    if let Some(line) = &week_line {
        eprintln!("reptempo: {line}");
    }
    let advice_log = log.clone().filter(|_| !preview && !args.no_advice);
    let run_options = run::Options {
        speed: options.speed,
        bell: options.bell && (full_screen || std::io::stdout().is_terminal()),
        log,
        trace: args.trace.clone(),
        script,
        wake: Some(inbox.clone()),
        // The naive baseline is measured as a simple app would run.
        realtime: options.clock == ClockChoice::Monotonic,
    };
    let (code, ending, trained) = if full_screen {
        let log_note = not_logged.filter(|_| !args.no_log);
        full_screen_run(
            args,
            &options,
            plan,
            run_options,
            (log_note, week_display),
            advice_log.as_ref().map(|_| &preset),
            (inbox, &messages),
        )?
    } else {
        let log = run_options
            .log
            .as_ref()
            .map(|s| s.path().to_owned())
            .ok_or_else(|| not_logged.unwrap_or_default());
        plain_run(args, &options, plan, run_options, log, (inbox, &messages))?
    };
    if let Some(text) = advice_log
        .as_ref()
        .and_then(|log| advise(&preset, log, &exercises, trained))
    {
        emit(&text)?;
    }
    Ok((code, Some(ending)))
}

/// The sound the options ask for and the clock that goes with it, or why there is none.
fn sound_and_clock(
    args: &StartArgs,
    options: &StartOptions,
    plan: &Plan,
    inbox: &mpsc::Sender<Input>,
) -> (Sound, Box<dyn Clock>, Option<String>) {
    match options.clock {
        ClockChoice::Fake => (Sound::Silent, Box::new(clock::Fake::new()), None),
        ClockChoice::Naive => {
            let player = (!args.no_audio)
                .then(NaivePlayer::open)
                .and_then(Result::ok);
            let sound = player.map_or(Sound::Silent, Sound::Naive);
            (sound, Box::new(clock::Naive::start()), None)
        }
        ClockChoice::Monotonic if args.no_audio => (
            Sound::Silent,
            Box::new(clock::Monotonic::start()),
            Some("sound off (--no-audio)".to_owned()),
        ),
        ClockChoice::Monotonic => {
            let volume = f32::from(options.volume) / 100.0;
            let lost = inbox.clone();
            let on_lost = move || {
                let _ = lost.send(Input::AudioLost);
            };
            let names = options.voice.then(|| {
                let (names, notice) = crate::audio::speak::names_for_run(plan);
                if let Some(notice) = notice {
                    // Before the session draws; raw mode may already be on.
                    let newline = if std::io::stderr().is_terminal() {
                        "\r\n"
                    } else {
                        "\n"
                    };
                    eprint!("{notice}{newline}");
                }
                names
            });
            match Live::open(plan, options.speed, names.as_deref(), volume, on_lost) {
                Ok((live, clock)) => (Sound::Live(live), Box::new(clock), None),
                Err(e) => (
                    Sound::Silent,
                    Box::new(clock::Monotonic::start()),
                    Some(format!("audio: {e}")),
                ),
            }
        }
    }
}

/// Runs a session as lines on stdout, with keys when stdin is a terminal.
fn plain_run(
    args: &StartArgs,
    options: &StartOptions,
    plan: Plan,
    run_options: run::Options,
    log: Result<std::path::PathBuf, String>,
    (inbox, messages): (mpsc::Sender<Input>, &mpsc::Receiver<Input>),
) -> Result<(ExitCode, run::Ending, u32), Error> {
    let keys = std::io::stdin().is_terminal() && options.clock != ClockChoice::Fake;
    let raw = if keys {
        let raw = terminal::RawMode::enter().map_err(Error::Terminal)?;
        terminal::listen_for_keys(inbox.clone()).map_err(Error::Terminal)?;
        Some(raw)
    } else {
        None
    };
    // Raw mode changes how the terminal ends lines, not what a pipe gets.
    let newline = if raw.is_some() && std::io::stdout().is_terminal() {
        "\r\n"
    } else {
        "\n"
    };
    let (sound, clock, note) = sound_and_clock(args, options, &plan, &inbox);
    // Without keys, only the audio watchdog may still send: the run must see the inbox
    // close when it is paused and nothing else can wake it.
    drop(inbox);
    if let Some(note) = note.filter(|_| !args.no_audio) {
        eprint!("{note}; continuing with visual cues and the bell{newline}");
    }
    let mut lines = crate::plain::Lines::new(std::io::stdout(), newline, log);
    if raw.is_some() {
        lines = lines.with_keys();
    }
    let ended = run::run(
        clock.as_ref(),
        plan,
        run_options,
        sound,
        messages,
        &mut lines,
    );
    drop(raw);
    let report = ended.map_err(|source| Error::Trace {
        path: args.trace.clone().unwrap_or_default(),
        source,
    })?;
    if let Some(text) = report.unlogged_text() {
        eprint!("{text}");
    }
    Ok((
        ExitCode::from(report.exit_code()),
        report.ending,
        report.trained,
    ))
}

/// Runs a session in the full-screen display; after it, the summary stays in the
/// scrollback.
#[allow(clippy::too_many_arguments, reason = "the session's parts, once each")]
fn full_screen_run(
    args: &StartArgs,
    options: &StartOptions,
    plan: Plan,
    run_options: run::Options,
    (log_note, week_display): (Option<String>, Option<String>),
    advise_from: Option<&crate::preset::Preset>,
    (inbox, messages): (mpsc::Sender<Input>, &mpsc::Receiver<Input>),
) -> Result<(ExitCode, run::Ending, u32), Error> {
    let entries = match &run_options.log {
        Some(store) => advice_entries(Some(store.path())),
        None => Vec::new(),
    };
    let last_time = today().map_or_else(std::collections::HashMap::new, |today| {
        crate::log::history::last_times(&entries, today)
    });
    let last_load = crate::log::history::last_loads(&entries);
    let advice = match (advise_from, today()) {
        (Some(preset), Some(today)) => advice_map(&crate::coach::decide(preset, &entries, today)),
        _ => std::collections::HashMap::new(),
    };
    let (sound, clock, sound_note) = sound_and_clock(args, options, &plan, &inbox);
    let sound_note = sound_note.map(|n| {
        if args.no_audio {
            n
        } else {
            format!("{n}; visual cues only")
        }
    });
    let mut screen = terminal::full_screen().map_err(Error::Terminal)?;
    terminal::listen_for_keys(inbox).map_err(Error::Terminal)?;
    let display_options = crate::tui::Options {
        color: options.colour,
        logging: run_options.log.is_some(),
        last_time,
        last_load,
        advice,
        sound_note,
        log_note,
        notice: week_display,
    };
    let preset = plan.preset.clone();
    let mut display = crate::tui::Display::new(&mut screen, plan.clone(), display_options);
    let ended = run::run(
        clock.as_ref(),
        plan,
        run_options,
        sound,
        messages,
        &mut display,
    );
    let summary = display.summary().cloned();
    terminal::restore();
    let report = ended.map_err(Error::Terminal)?;
    if let Some(text) = report.unlogged_text() {
        eprint!("{text}");
    }
    if let Some(summary) = summary {
        emit(&(summary.line(&preset) + "\n"))?;
    }
    Ok((
        ExitCode::from(report.exit_code()),
        report.ending,
        report.trained,
    ))
}

/// The home screen: pick a preset (its week and side) and start it; `q` in that session
/// comes back here, the log read again and the pick as it was.
pub(super) fn home(coach: crate::tui::home::Coach) -> Result<ExitCode, Error> {
    let catalog = catalog();
    let mut last: Option<crate::tui::home::Pick> = None;
    loop {
        let Some(pick) = pick(&catalog, coach, last.as_ref())? else {
            return Ok(ExitCode::SUCCESS);
        };
        let (code, ending) = start_ending(&start_args(&pick, coach))?;
        if ending != Some(run::Ending::Quit) {
            return Ok(code);
        }
        last = Some(pick);
    }
}

/// What `start` gets for a preset picked on the home screen: the same arguments as
/// `reptempo start PRESET --week N --side SIDE [--no-advice]`.
fn start_args(pick: &crate::tui::home::Pick, coach: crate::tui::home::Coach) -> StartArgs {
    StartArgs {
        plan: PlanArgs {
            preset: pick.preset.clone(),
            week: pick.week.map(|w| w.to_string()),
            side: pick.side.map(|s| s.name().to_owned()),
            ..PlanArgs::default()
        },
        clock: "monotonic".to_owned(),
        no_advice: coach == crate::tui::home::Coach::Off,
        ..StartArgs::default()
    }
}

/// Shows the home screen until a preset is picked (`None`: the person left). The advice
/// is the coach's from the log's validated records, as `next` gives it.
fn pick(
    catalog: &crate::preset::Catalog,
    coach: crate::tui::home::Coach,
    last: Option<&crate::tui::home::Pick>,
) -> Result<Option<crate::tui::home::Pick>, Error> {
    let entries = advice_entries(None);
    let mut home = crate::tui::home::Home::new(catalog, &entries, today(), coach);
    if let Some(last) = last {
        home.restore(last);
    }
    let (inbox, messages) = mpsc::channel();
    terminal::listen_for_signals(inbox.clone()).map_err(Error::Terminal)?;
    let mut screen = terminal::full_screen().map_err(Error::Terminal)?;
    terminal::listen_for_keys(inbox).map_err(Error::Terminal)?;
    let choice = loop {
        screen
            .draw(|frame| frame.render_widget(&home, frame.area()))
            .map_err(Error::Terminal)?;
        match messages.recv() {
            Ok(Input::Key(key)) => match home.key(key) {
                crate::tui::home::Choice::Stay => {}
                choice => break choice,
            },
            Ok(Input::Suspend) => {
                terminal::suspend();
                terminal::redraw_all(&mut screen).map_err(Error::Terminal)?;
            }
            Ok(Input::Interrupt | Input::Terminate | Input::HangUp) | Err(_) => {
                break crate::tui::home::Choice::Leave;
            }
            Ok(_) => {}
        }
    };
    terminal::restore();
    Ok(match choice {
        crate::tui::home::Choice::Start(pick) => Some(pick),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preset::Side;
    use crate::tui::home::{Coach, Pick};

    #[test]
    fn a_home_pick_reaches_start_as_the_week_and_side_flags_would() {
        let pick = Pick {
            preset: "alfredson".to_owned(),
            week: Some(4),
            side: Some(Side::Left),
        };
        let args = start_args(&pick, Coach::Off);
        let overrides = args.plan.overrides().unwrap();
        assert_eq!(args.plan.preset, "alfredson");
        assert_eq!(overrides.week, Some(4));
        assert_eq!(overrides.side, Some(Side::Left));
        assert!(args.no_advice);
        let both = start_args(
            &Pick {
                side: Some(Side::Both),
                week: None,
                ..pick
            },
            Coach::On,
        );
        let overrides = both.plan.overrides().unwrap();
        assert_eq!((overrides.week, overrides.side), (None, Some(Side::Both)));
        assert!(!both.no_advice);
    }
}
