//! `render`: the session's mix to a WAV or FLAC file, with a progress bar on a terminal.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use super::{Error, emit, plan_for};
use crate::audio::render::{self, Mix};
use crate::audio::sounds::Bank;
use crate::cli::RenderArgs;
use crate::span::Span;

/// Writes the session's mix to the file `args` name, in the format it asks for.
pub fn render(args: &RenderArgs) -> Result<ExitCode, Error> {
    let options = args.options()?;
    let (_, _, plan, _) = plan_for(&args.plan, None)?;
    let mut bank = Bank::load(options.rate);
    if args.voice {
        let (names, notice) = crate::audio::speak::names_for_run(&plan);
        bank.set_names(&names);
        if let Some(notice) = notice {
            eprintln!("{notice}");
        }
    }
    let bank = Arc::new(bank);
    let bar = std::io::stderr().is_terminal();
    let mut shown = u32::MAX;
    let mix = Mix {
        speed: options.speed,
        voice: args.voice,
        volume: f32::from(options.volume) / 100.0,
    };
    let done = render::write(&plan, &bank, mix, options.format, &args.output, |f| {
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
    });
    if bar {
        eprint!("\r{:50}\r", "");
    }
    let done = done?;
    let seconds = Span::from_micros(done.samples * 1_000_000 / u64::from(done.rate));
    #[allow(clippy::cast_precision_loss, reason = "megabytes for display")]
    let megabytes = done.bytes as f64 / 1e6;
    emit(&format!(
        "wrote {}: {} of sound, {} Hz mono 16-bit {}, {megabytes:.1} MB\n",
        crate::text::escape_cell(&args.output.display().to_string()),
        seconds.clock(),
        done.rate,
        options.format.name(),
    ))?;
    Ok(ExitCode::SUCCESS)
}
