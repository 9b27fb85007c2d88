//! `log`, `stats` and `pain`: what the log holds, read back or added to.

use std::io::IsTerminal;
use std::process::ExitCode;

use super::{Error, emit, read_log, today};
use crate::cli::pain_score;
use crate::clock::{self, Clock};
use crate::log::{PainRecord, Record, Store};
use crate::span::Span;

/// `log`: the records as a table, CSV, JSON or JSON Lines.
pub(super) fn log(args: &crate::cli::LogArgs) -> Result<ExitCode, Error> {
    let today = today().unwrap_or_default();
    let filter = args.which.filter(today)?;
    if args.csv_profile()? == Some(crate::log::export::CsvProfile::Reptempo) {
        // Straight from the file: every row is its line alone.
        let store = Store::locate(args.which.log.as_deref())?;
        let (csv, newer, advice, warnings) =
            crate::log::export::csv_from(&store, &filter, jiff::Timestamp::now())?;
        warn_all(&warnings, newer);
        advice_left_out(advice);
        emit(&String::from_utf8_lossy(&csv))?;
        return Ok(ExitCode::SUCCESS);
    }
    let entries = read_log(args.which.log.as_deref())?;
    let (records, newer) = crate::log::export::select(&entries, &filter);
    if newer > 0 {
        eprintln!("reptempo: {newer} lines of a newer format are not shown");
    }
    let text = if let Some(profile) = args.csv_profile()? {
        advice_left_out(crate::log::export::advice_count(&records));
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

/// Each line that could not be used, once, on stderr, as [`read_log`] does, then how
/// many lines of a newer format were left out.
fn warn_all(warnings: &[crate::log::store::Warning], newer: usize) {
    for w in warnings {
        eprintln!("reptempo: {w}");
    }
    if newer > 0 {
        eprintln!("reptempo: {newer} lines of a newer format are not shown");
    }
}

/// Says how many advice records a CSV left out (advice is not a set).
fn advice_left_out(advice: usize) {
    if advice > 0 {
        eprintln!(
            "reptempo: {advice} advice records are not in the CSV (see `log --jsonl` or `stats`)"
        );
    }
}

/// `stats`: weekly sums, a chart and the pain light.
pub(super) fn stats(args: &crate::cli::StatsArgs) -> Result<ExitCode, Error> {
    use crate::log::stats;
    let today = today().unwrap_or_default();
    let filter = args.which.filter(today)?;
    let last = crate::cli::count_flag("--weeks", args.weeks.as_ref(), 520)?;
    let store = Store::locate(args.which.log.as_deref())?;
    let keep = |r: &crate::log::view::SetView| filter.keeps_view(r);
    let (mut weeks, verdict, advice, warnings) =
        stats::summarise(&store, &keep, today, jiff::Timestamp::now())?;
    warn_all(&warnings, 0);
    if let Some(n) = last {
        weeks = stats::within_weeks(weeks, n, today);
    }
    // The decisions recorded in the weeks shown: advice is listed, never summed.
    let shown: std::collections::HashSet<&str> = weeks.iter().map(|w| w.week.as_str()).collect();
    let decisions: Vec<&crate::log::AdviceRecord> = advice
        .iter()
        .filter(|a| filter.keeps_advice(a))
        .filter(|a| {
            last.is_none() || stats::iso_week(&a.at).is_some_and(|w| shown.contains(w.as_str()))
        })
        .collect();
    if args.json {
        let doc = serde_json::json!({ "weeks": weeks, "verdict": verdict, "decisions": decisions });
        emit(&(serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"))?;
        return Ok(ExitCode::SUCCESS);
    }
    if weeks.is_empty() {
        emit("no sets logged yet\n")?;
        return Ok(ExitCode::SUCCESS);
    }
    let colour = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    emit(&stats::text::weeks(&weeks, verdict.as_ref(), colour))?;
    emit(&stats::text::decisions(&decisions))?;
    Ok(ExitCode::SUCCESS)
}

/// `pain N`: a next-morning score, appended to the log.
pub(super) fn pain(
    text: &str,
    note: Option<String>,
    path: Option<&std::path::Path>,
) -> Result<ExitCode, Error> {
    let pain = pain_score(text)?;
    let store = Store::locate(path)?;
    let at = clock::Monotonic::start().datetime(Span::ZERO);
    let record = Record::Pain(PainRecord {
        v: 1,
        at,
        pain,
        note,
    });
    if let Err(e) = store.append(&record) {
        // As a session's sets are: the line on stderr, to add by hand once there is room.
        eprintln!(
            "morning pain NOT written to {}:\n{}",
            crate::text::escape_cell(&store.path().display().to_string()),
            record.to_line()
        );
        return Err(e.into());
    }
    emit(&format!(
        "morning pain {pain}/10 recorded in {}\n",
        crate::text::escape_cell(&store.path().display().to_string())
    ))?;
    Ok(ExitCode::SUCCESS)
}
