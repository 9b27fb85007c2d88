//! The `reptempo` binary: parse, dispatch, print the error, exit.

use std::process::ExitCode;

use clap::Parser;
use reptempo::Cli;

fn main() -> ExitCode {
    match reptempo::run(Cli::parse()) {
        Ok(code) => code,
        Err(err) => {
            // Diagnostics keep FILE:LINE:COL at the start of the line, where editors look.
            if err.is_diagnostic() {
                eprintln!("{err}");
            } else {
                eprintln!("reptempo: {}", reptempo::error_chain(&err));
            }
            ExitCode::from(err.exit_code())
        }
    }
}
