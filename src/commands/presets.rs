//! `presets`, `show` and `check`: the catalogue and its plans.

use std::path::PathBuf;
use std::process::ExitCode;

use super::{EXIT_USAGE, Error, catalog, emit, plan_for};
use crate::cli::ShowArgs;
use crate::config::Config;
use crate::plan::{self, Overrides, Plan, PlanError};
use crate::preset::{Preset, PresetError};
use crate::show;
use crate::text::escape_cell;

/// `presets`: one line per preset.
pub(super) fn presets() -> Result<ExitCode, Error> {
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

/// `show`: the plan as a table, or as JSON.
pub(super) fn show(args: &ShowArgs) -> Result<ExitCode, Error> {
    let (preset, _, plan, note) = plan_for(&args.plan, None)?;
    if args.json {
        emit(&(show::plan_json(&preset, &plan) + "\n"))?;
    } else {
        emit(&show::plan_text(&preset, &plan, &note))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Validates each file, a preset or (named `config.toml`) a config file; problems go to
/// stderr as `FILE:LINE:COL: message`. Without files, the config file in use.
pub(super) fn check(files: &[PathBuf]) -> Result<ExitCode, Error> {
    let active;
    let files = if files.is_empty() {
        let Some(path) = Config::active_path().filter(|p| p.exists()) else {
            let place = Config::active_path().map_or_else(
                || "there is no config directory".to_owned(),
                |p| {
                    format!(
                        "no config file at {}",
                        escape_cell(&p.display().to_string())
                    )
                },
            );
            emit(&format!(
                "{place}: the built-in defaults apply; name preset files to check them\n"
            ))?;
            return Ok(ExitCode::SUCCESS);
        };
        active = [path];
        &active[..]
    } else {
        files
    };
    let mut failed = 0;
    for path in files {
        if Config::is_config_path(path) {
            match Config::load(path) {
                Ok(config) => emit(&format!(
                    "{}: ok (config: {config})\n",
                    escape_cell(&path.display().to_string())
                ))?,
                Err(e) => {
                    failed += 1;
                    eprintln!("{}", crate::error_chain(&e));
                }
            }
            continue;
        }
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
                    escape_cell(&path.display().to_string()),
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
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_USAGE)
    })
}
