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
    let entries = read_log(args.which.log.as_deref())?;
    let (records, newer) = crate::log::export::select(&entries, &filter);
    if newer > 0 {
        eprintln!("reptempo: {newer} lines of a newer format are not shown");
    }
    let text = if let Some(profile) = args.csv_profile()? {
        let advice = crate::log::export::advice_count(&records);
        if advice > 0 {
            eprintln!(
                "reptempo: {advice} advice records are not in the CSV (see `log --jsonl` or `stats`)"
            );
        }
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

/// `stats`: weekly sums, a chart and the pain light.
pub(super) fn stats(args: &crate::cli::StatsArgs) -> Result<ExitCode, Error> {
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
    // The decisions recorded in the weeks shown: advice is listed, never summed.
    let shown: std::collections::HashSet<&str> = weeks.iter().map(|w| w.week.as_str()).collect();
    let decisions: Vec<&crate::log::AdviceRecord> = crate::log::history::advice_given(&entries)
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
