//! `log`: the records that pass a filter, as a table, CSV (RFC 4180, with a header),
//! a JSON array or JSON Lines.

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
    if let Some(n) = t.strip_suffix('d') {
        let days: i32 = n.parse().map_err(|_| bad())?;
        return today
            .checked_sub(jiff::Span::new().days(days))
            .map_err(|_| bad());
    }
    if let Some(n) = t.strip_suffix('w') {
        let weeks: i32 = n.parse().map_err(|_| bad())?;
        return today
            .checked_sub(jiff::Span::new().weeks(weeks))
            .map_err(|_| bad());
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

/// CSV with a header; fields quoted as RFC 4180 requires.
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
    for record in records {
        match record {
            Record::Set(r) => w.write_record([
                "set".to_owned(),
                r.start.clone(),
                r.end.clone(),
                r.preset.clone(),
                r.exercise.clone(),
                r.side.clone(),
                r.set.to_string(),
                r.sets.to_string(),
                opt(r.planned_reps.map(|v| v.to_string())),
                opt(r.done_reps.map(|v| v.to_string())),
                opt(r.hold_s.map(|v| v.to_string())),
                opt(r.tempo.clone()),
                r.tut_s.to_string(),
                opt(r.load.as_ref().and_then(|l| l.value).map(|v| v.to_string())),
                opt(r.load.as_ref().map(|l| l.unit.clone())),
                opt(r.pain.map(|v| v.to_string())),
                opt(r.rpe.map(|v| v.to_string())),
                opt(r.note.clone()),
                r.status.clone(),
            ])?,
            Record::Pain(p) => {
                let mut row = vec![String::new(); 19];
                "pain".clone_into(&mut row[0]);
                row[1].clone_from(&p.at);
                row[15] = p.pain.to_string();
                row[17] = opt(p.note.clone());
                w.write_record(row)?;
            }
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
