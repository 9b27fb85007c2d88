//! `report` and `handout`: the edge that reads the log, the catalogue and the clock,
//! asks [`crate::report`] for the page, and writes it.

use std::path::Path;
use std::process::ExitCode;

use super::{Error, catalog, emit, read_log, today};
use crate::cli::{BadValue, HandoutArgs, ReportArgs};
use crate::plan::Plan;
use crate::report;

/// What a report is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Html,
    Markdown,
}

impl Format {
    fn parse(text: &str) -> Option<Format> {
        match text.trim().to_ascii_lowercase().as_str() {
            "html" | "htm" => Some(Format::Html),
            "md" | "markdown" => Some(Format::Markdown),
            _ => None,
        }
    }
}

fn format(args: &ReportArgs) -> Result<Format, BadValue> {
    if let Some(text) = &args.format {
        return Format::parse(text).ok_or_else(|| BadValue {
            flag: "--format",
            message: format!("{text:?} is not a format: use html or md"),
        });
    }
    let Some(path) = &args.output else {
        return Ok(Format::Html);
    };
    path.extension()
        .and_then(|e| e.to_str())
        .and_then(Format::parse)
        .ok_or_else(|| BadValue {
            flag: "--output",
            message: format!(
                "{:?}: the extension says no format reptempo writes: use .html or .md, or say which with --format",
                path.display().to_string()
            ),
        })
}

/// Writes `text` to `path`, readable by its owner only: a report is health data, as
/// the log is. Without a path, to stdout.
fn write(path: Option<&Path>, text: &str) -> Result<(), Error> {
    let Some(path) = path else {
        return emit(text);
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let failed = |source| Error::Write {
        path: path.to_owned(),
        source,
    };
    let mut file = options.open(path).map_err(failed)?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(failed)?;
    file.sync_all().map_err(failed)
}

/// `report`: the page from the log's validated training records.
pub(super) fn report(args: &ReportArgs) -> Result<ExitCode, Error> {
    let today = match &args.today {
        Some(text) => text.trim().parse().map_err(|_| BadValue {
            flag: "--today",
            message: format!("{text:?} is not a date (YYYY-MM-DD)"),
        })?,
        None => today().unwrap_or_default(),
    };
    let format = format(args)?;
    let filter = args.which.filter(today)?;
    let entries = read_log(args.which.log.as_deref())?;
    let catalog = catalog();
    let find = |id: &str| catalog.resolve(id).ok().map(|(p, _)| p);
    let options = report::Options {
        name: args.name.clone(),
        filter,
        today,
    };
    let built = report::build(&entries, &find, &options);
    let text = match format {
        Format::Html => report::html::render(&built),
        Format::Markdown => report::markdown::render(&built),
    };
    write(args.output.as_deref(), &text)?;
    if let Some(path) = &args.output {
        eprintln!(
            "reptempo: wrote {} ({} records, {} weeks)",
            crate::text::escape_cell(&path.display().to_string()),
            built.rows.len(),
            built.weeks.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `handout`: one page of a preset's week. The week is `--week`, else week 1: a handout
/// is made for the patient, not from the physio's own log.
pub(super) fn handout(args: &HandoutArgs) -> Result<ExitCode, Error> {
    let overrides = args.plan.overrides()?;
    let (preset, _) = catalog().resolve(&args.plan.preset)?;
    let plan = Plan::build(&preset, &overrides)?;
    write(
        args.output.as_deref(),
        &report::handout::render(&preset, &plan),
    )?;
    Ok(ExitCode::SUCCESS)
}
