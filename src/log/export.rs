//! `log`: the records that pass a filter, as a table, CSV (RFC 4180, with a header),
//! a JSON array or JSON Lines.
//!
//! The log is a file anyone can edit, and a note is whatever a person typed: the table
//! shows control characters visibly ([`crate::text`]), and a CSV text cell that a
//! spreadsheet would read as a formula gets a leading `'`. JSON stays exact.

use std::borrow::Cow;

use super::record::{Record, SetRecord};
use super::store::Entry;

/// Which records to show.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub since: Option<jiff::civil::Date>,
    pub until: Option<jiff::civil::Date>,
    /// Part of the exercise's name, any case.
    pub exercise: Option<String>,
    pub preset: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("date {0:?} is not a date: use 2026-11-01, 7d (days ago) or 4w (weeks ago)")]
pub struct DateError(String);

/// `2026-11-01`, or `7d` / `4w` before `today`.
///
/// # Errors
/// [`DateError`] naming the text.
pub fn parse_date(text: &str, today: jiff::civil::Date) -> Result<jiff::civil::Date, DateError> {
    let t = text.trim();
    let bad = || DateError(text.to_owned());
    // A count of days or weeks ago: no sign, so "-3d" is not read as "in 3 days".
    let ago = |n: &str| -> Result<i64, DateError> {
        if n.bytes().all(|b| b.is_ascii_digit()) {
            n.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    if let Some(n) = t.strip_suffix('d') {
        let days = jiff::Span::new().try_days(ago(n)?).map_err(|_| bad())?;
        return today.checked_sub(days).map_err(|_| bad());
    }
    if let Some(n) = t.strip_suffix('w') {
        let weeks = jiff::Span::new().try_weeks(ago(n)?).map_err(|_| bad())?;
        return today.checked_sub(weeks).map_err(|_| bad());
    }
    t.parse().map_err(|_| bad())
}

impl Filter {
    fn date_ok(&self, time: &str) -> bool {
        if self.since.is_none() && self.until.is_none() {
            return true;
        }
        let Some(day) = time
            .get(..10)
            .and_then(|d| d.parse::<jiff::civil::Date>().ok())
        else {
            return false;
        };
        self.since.is_none_or(|s| day >= s) && self.until.is_none_or(|u| day <= u)
    }

    /// Whether a set record passes.
    #[must_use]
    pub fn keeps(&self, r: &SetRecord) -> bool {
        self.date_ok(&r.start)
            && self.preset.as_ref().is_none_or(|p| &r.preset == p)
            && self
                .exercise
                .as_ref()
                .is_none_or(|e| r.exercise.to_lowercase().contains(&e.to_lowercase()))
    }

    /// Whether a record passes: morning pain only when no exercise or preset is asked for.
    #[must_use]
    pub fn keeps_record(&self, record: &Record) -> bool {
        match record {
            Record::Set(r) => self.keeps(r),
            Record::Pain(p) => {
                self.exercise.is_none() && self.preset.is_none() && self.date_ok(&p.at)
            }
        }
    }
}

/// The records of `entries` that pass `filter`, and how many lines of a newer format
/// were left out.
#[must_use]
pub fn select<'a>(entries: &'a [Entry], filter: &Filter) -> (Vec<&'a Record>, usize) {
    let mut newer = 0;
    let records = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Record(r) => filter.keeps_record(r).then_some(r),
            Entry::Newer { .. } => {
                newer += 1;
                None
            }
        })
        .collect();
    (records, newer)
}

fn load_text(r: &SetRecord) -> String {
    r.load.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn work_text(r: &SetRecord) -> String {
    match (r.done_reps, r.planned_reps, r.hold_s, r.duration_s) {
        (Some(d), Some(p), _, _) => format!("{d}/{p} reps"),
        (_, _, Some(h), _) => format!("{h:.0} s hold"),
        (_, _, _, Some(s)) => format!("{s:.0} s"),
        _ => String::new(),
    }
}

/// A readable table.
#[must_use]
pub fn table(records: &[&Record]) -> String {
    let header = [
        "date",
        "preset",
        "exercise",
        "side",
        "set",
        "reps or hold",
        "load",
        "pain",
        "RPE",
        "status",
    ];
    let rows: Vec<[String; 10]> = records
        .iter()
        .map(|record| match record {
            Record::Set(r) => [
                r.start.get(..16).unwrap_or_default().replace('T', " "),
                r.preset.clone(),
                r.exercise.clone(),
                r.side.clone(),
                format!("{}/{}", r.set, r.sets),
                work_text(r),
                load_text(r),
                r.pain.map(|p| p.to_string()).unwrap_or_default(),
                r.rpe.map(|p| p.to_string()).unwrap_or_default(),
                r.status.clone(),
            ],
            Record::Pain(p) => [
                p.at.get(..16).unwrap_or_default().replace('T', " "),
                "-".to_owned(),
                "morning pain".to_owned(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                p.pain.to_string(),
                String::new(),
                p.note.clone().unwrap_or_default(),
            ],
        })
        .collect();
    crate::show::aligned(&header, &rows)
}

/// A CSV text cell a spreadsheet will not run: OWASP's advice for CSV injection is a
/// `'` before a cell that starts with `=`, `+`, `-`, `@`, a tab or a CR. Only text
/// cells pass through here; numbers are ours and stay numbers.
#[must_use]
pub fn csv_text(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// CSV with a header; fields quoted as RFC 4180 requires, text cells as [`csv_text`].
///
/// # Errors
/// Only if writing into memory fails, which it does not.
pub fn csv(records: &[&Record]) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "kind",
        "start",
        "end",
        "preset",
        "exercise",
        "side",
        "set",
        "sets",
        "planned_reps",
        "done_reps",
        "hold_s",
        "tempo",
        "tut_s",
        "load_value",
        "load_unit",
        "pain",
        "rpe",
        "note",
        "status",
    ])?;
    let opt = |v: Option<String>| v.unwrap_or_default();
    let text = |v: &str| csv_text(v).into_owned();
    let opt_text = |v: Option<&String>| v.map(|v| text(v)).unwrap_or_default();
    for record in records {
        match record {
            Record::Set(r) => w.write_record([
                "set".to_owned(),
                text(&r.start),
                text(&r.end),
                text(&r.preset),
                text(&r.exercise),
                text(&r.side),
                r.set.to_string(),
                r.sets.to_string(),
                opt(r.planned_reps.map(|v| v.to_string())),
                opt(r.done_reps.map(|v| v.to_string())),
                opt(r.hold_s.map(|v| v.to_string())),
                opt_text(r.tempo.as_ref()),
                r.tut_s.to_string(),
                opt(r.load.as_ref().and_then(|l| l.value).map(|v| v.to_string())),
                opt_text(r.load.as_ref().map(|l| &l.unit)),
                opt(r.pain.map(|v| v.to_string())),
                opt(r.rpe.map(|v| v.to_string())),
                opt_text(r.note.as_ref()),
                text(&r.status),
            ])?,
            Record::Pain(p) => {
                let mut row = vec![String::new(); 19];
                "pain".clone_into(&mut row[0]);
                row[1] = text(&p.at);
                row[15] = p.pain.to_string();
                row[17] = opt_text(p.note.as_ref());
                w.write_record(row)?;
            }
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_cell_that_looks_like_a_formula_gets_a_quote() {
        for (cell, shown) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("ok = fine", "ok = fine"),
            ("", ""),
        ] {
            assert_eq!(csv_text(cell), shown);
        }
    }

    #[test]
    fn days_and_weeks_ago_have_no_sign() {
        let today = jiff::civil::date(2026, 11, 10);
        assert_eq!(parse_date("3d", today), Ok(jiff::civil::date(2026, 11, 7)));
        assert_eq!(parse_date("1w", today), Ok(jiff::civil::date(2026, 11, 3)));
        for bad in ["-3d", "+3d", "-1w", "d", "99999999999d", "3x"] {
            assert!(parse_date(bad, today).is_err(), "{bad}");
        }
    }
}
