//! `next`: the coach's decisions for a preset's next session, as lines or as the
//! `next --json` contract. The deciding is [`crate::coach::decide`]; this is the edge
//! that reads the log and the clock and writes the result.

use std::process::ExitCode;

use super::{Error, catalog, emit, read_log, today};
use crate::cli::{BadValue, NextArgs};
use crate::clock::Clock as _;
use crate::coach;
use crate::log::{AdviceRecord, Record, Store};

pub(super) fn next(args: &NextArgs) -> Result<ExitCode, Error> {
    let today = match &args.today {
        Some(text) => text.trim().parse().map_err(|_| BadValue {
            flag: "--today",
            message: format!("{text:?} is not a date (YYYY-MM-DD)"),
        })?,
        None => today().unwrap_or_default(),
    };
    let entries = read_log(args.log.as_deref())?;
    let Some(id) = args
        .preset
        .clone()
        .or_else(|| coach::latest_preset(&entries))
    else {
        if args.json {
            emit("{\n  \"preset\": null,\n  \"week\": null,\n  \"exercises\": []\n}\n")?;
        } else {
            emit(
                "no training sets in the log yet: nothing to advise (name a preset: reptempo next hsr)\n",
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    };
    let (preset, _) = catalog().resolve(&id)?;
    let advice = coach::decide(&preset, &entries, today);
    if args.record {
        let store = Store::locate(args.log.as_deref())?;
        let n = record_advice(&store, &advice, "next")?;
        eprintln!(
            "reptempo: {n} decision{} recorded in {}",
            if n == 1 { "" } else { "s" },
            crate::text::escape_cell(&store.path().display().to_string())
        );
    }
    if args.json {
        let json = serde_json::to_string_pretty(&advice).expect("advice always serialises");
        emit(&(json + "\n"))?;
    } else {
        emit(&coach::text(&advice))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Appends each decision of `advice` to `log` as an advice record given now, after
/// `from` ("session" or "next"), one line each under the log's lock; returns how many.
///
/// # Errors
/// The log's refusal of a record: those before it stay written (each is whole).
pub(super) fn record_advice(
    log: &Store,
    advice: &coach::Advice,
    from: &str,
) -> Result<usize, crate::log::LogError> {
    let at = crate::clock::Monotonic::start().datetime(crate::span::Span::ZERO);
    let records = AdviceRecord::all(advice, &at, from);
    for record in &records {
        log.append(&Record::Advice(record.clone()))?;
    }
    Ok(records.len())
}
