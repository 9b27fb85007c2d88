//! The `reptempo` binary: parse, dispatch, print the error, exit.

use std::process::ExitCode;

use clap::Parser;
use reptempo::cli::Cli;
use reptempo::commands;
use reptempo::preset::PresetError;

fn main() -> ExitCode {
    match commands::run(Cli::parse()) {
        Ok(code) => code,
        Err(err) => {
            // Diagnostics keep FILE:LINE:COL at the start of the line, where editors look.
            if matches!(err, commands::Error::Preset(PresetError::Invalid { .. })) {
                eprintln!("{err}");
            } else {
                eprintln!("reptempo: {}", reptempo::error_chain(&err));
            }
            ExitCode::from(err.exit_code())
        }
    }
}
