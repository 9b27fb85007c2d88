//! `log`: the records that pass a filter, as a table, CSV (RFC 4180, with a header; our
//! own columns, or exactly those the Strong or Hevy app imports), a JSON array or JSON
//! Lines.
//!
//! The coach's advice records are listed as advice in the table, JSON and JSON Lines.
//! CSV leaves them out, in every profile: its columns are a set's, and an advice row
//! would fill them with what was not done (`stats` lists the decisions instead).
//!
//! The log is a file anyone can edit, and a note is whatever a person typed: the table
//! shows control characters visibly ([`crate::text`]), and so does CSV (but for tab and
//! newline, which a quoted cell holds), where a text cell that a spreadsheet would read
//! as a formula also gets a leading `'`. JSON stays exact.

use std::borrow::Cow;
use std::collections::HashMap;

use super::record::{AdviceRecord, Record, SetRecord};
use super::store::{Entry, Line, LogError, Store, Warning};
use super::view::{PainView, SetView};
use crate::preset::Side;

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
        self.keeps_view(&r.view())
    }

    /// Whether a set passes, as a view.
    #[must_use]
    pub fn keeps_view(&self, r: &SetView) -> bool {
        self.date_ok(&r.start)
            && self.preset.as_ref().is_none_or(|p| r.preset == p.as_str())
            && self
                .exercise
                .as_ref()
                .is_none_or(|e| r.exercise.to_lowercase().contains(&e.to_lowercase()))
    }

    /// Whether a morning pain score passes: only when no exercise or preset is asked for.
    fn keeps_pain(&self, at: &str) -> bool {
        self.exercise.is_none() && self.preset.is_none() && self.date_ok(at)
    }

    /// Whether a record passes: morning pain only when no exercise or preset is asked for.
    #[must_use]
    pub fn keeps_record(&self, record: &Record) -> bool {
        match record {
            Record::Set(r) => self.keeps(r),
            Record::Pain(p) => self.keeps_pain(&p.at),
            Record::Advice(a) => self.keeps_advice(a),
        }
    }

    /// Whether an advice record passes: by the day it was given, its preset and its
    /// exercise.
    #[must_use]
    pub fn keeps_advice(&self, a: &AdviceRecord) -> bool {
        self.date_ok(&a.at)
            && self.preset.as_ref().is_none_or(|p| &a.preset == p)
            && self
                .exercise
                .as_ref()
                .is_none_or(|e| a.exercise.to_lowercase().contains(&e.to_lowercase()))
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
            Record::Advice(a) => [
                a.at.get(..16).unwrap_or_default().replace('T', " "),
                a.preset.clone(),
                a.exercise.clone(),
                a.side.clone(),
                "advice".to_owned(),
                String::new(),
                a.load.as_ref().map(ToString::to_string).unwrap_or_default(),
                String::new(),
                String::new(),
                advice_text(a),
            ],
        })
        .collect();
    crate::show::aligned(&header, &rows)
}

/// "advice: regress -10% (pain during exercise above 5/10)", "advice: stage -> pogo (...)".
fn advice_text(a: &AdviceRecord) -> String {
    let what = match (&a.change, &a.stage) {
        (_, Some(stage)) => format!(" -> {stage}"),
        (Some(change), None) => format!(" {change}"),
        (None, None) => String::new(),
    };
    format!("advice: {}{what} ({})", a.decision, a.rule)
}

/// How many of `records` are advice, which CSV leaves out.
#[must_use]
pub fn advice_count(records: &[&Record]) -> usize {
    records
        .iter()
        .filter(|r| matches!(r, Record::Advice(_)))
        .count()
}

/// A CSV text cell a spreadsheet will not run and a terminal will not obey: OWASP's
/// advice for CSV injection is a `'` before a cell that starts with `=`, `+`, `-`, `@`,
/// a tab or a CR; then control characters but tab and newline are shown as
/// [`crate::text::escape`] shows them, since `log --csv` is as often read on a terminal
/// as in a spreadsheet. Only text cells pass through here; numbers are ours and stay
/// numbers.
#[must_use]
pub fn csv_text(cell: &str) -> Cow<'_, str> {
    let visible = crate::text::escape(cell);
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{visible}"))
    } else {
        visible
    }
}

/// Whose columns a CSV export has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvProfile {
    /// Every field of the log.
    Reptempo,
    /// What the Strong app's CSV has.
    Strong,
    /// What the Hevy app's CSV has.
    Hevy,
}

/// CSV with a header in `profile`'s columns.
///
/// # Errors
/// Only if writing into memory fails, which it does not.
pub fn csv_as(records: &[&Record], profile: CsvProfile) -> Result<String, csv::Error> {
    match profile {
        CsvProfile::Reptempo => csv(records),
        CsvProfile::Strong => strong(records),
        CsvProfile::Hevy => hevy(records),
    }
}

/// The columns of `log --csv`.
const CSV_HEADER: [&str; 22] = [
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
    // Added after the first release: at the end, so a sheet that reads columns by
    // position keeps working.
    "session",
    "week",
    "target",
];

/// Writes the fields of one CSV row, formatting numbers in a reused buffer.
struct Row<'w> {
    w: &'w mut csv::Writer<Vec<u8>>,
    number: String,
}

impl Row<'_> {
    fn text(&mut self, v: &str) -> Result<(), csv::Error> {
        self.w.write_field(csv_text(v).as_bytes())
    }

    fn opt_text(&mut self, v: Option<&str>) -> Result<(), csv::Error> {
        self.text(v.unwrap_or_default())
    }

    fn number(&mut self, v: Option<impl std::fmt::Display>) -> Result<(), csv::Error> {
        use std::fmt::Write as _;
        self.number.clear();
        if let Some(v) = v {
            let _ = write!(self.number, "{v}");
        }
        self.w.write_field(self.number.as_bytes())
    }

    fn end(&mut self) -> Result<(), csv::Error> {
        self.w.write_record(None::<&[u8]>)
    }

    fn set(&mut self, r: &SetView) -> Result<(), csv::Error> {
        self.w.write_field("set")?;
        self.text(&r.start)?;
        self.text(&r.end)?;
        self.text(&r.preset)?;
        self.text(&r.exercise)?;
        self.text(&r.side)?;
        self.number(Some(r.set))?;
        self.number(Some(r.sets))?;
        self.number(r.planned_reps)?;
        self.number(r.done_reps)?;
        self.number(r.hold_s)?;
        self.opt_text(r.tempo.as_deref())?;
        self.number(Some(r.tut_s))?;
        self.number(r.load.as_ref().and_then(|l| l.value))?;
        self.opt_text(r.load.as_ref().map(|l| l.unit.as_ref()))?;
        self.number(r.pain)?;
        self.number(r.rpe)?;
        self.opt_text(r.note.as_deref())?;
        self.text(&r.status)?;
        self.opt_text(r.session.as_deref())?;
        self.number(r.week)?;
        self.opt_text(r.target.as_deref())?;
        self.end()
    }

    fn pain(&mut self, p: &PainView) -> Result<(), csv::Error> {
        for i in 0..CSV_HEADER.len() {
            match i {
                0 => self.w.write_field("pain")?,
                1 => self.text(&p.at)?,
                15 => self.number(Some(p.pain))?,
                17 => self.opt_text(p.note.as_deref())?,
                _ => self.w.write_field("")?,
            }
        }
        self.end()
    }
}

/// CSV with a header; fields quoted as RFC 4180 requires, text cells as [`csv_text`].
///
/// # Errors
/// Only if writing into memory fails, which it does not.
pub fn csv(records: &[&Record]) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER)?;
    let mut row = Row {
        w: &mut w,
        number: String::new(),
    };
    for record in records {
        csv_record(&mut row, record)?;
    }
    finish(w)
}

/// One record's row.
fn csv_record(row: &mut Row, record: &Record) -> Result<(), csv::Error> {
    match record {
        Record::Set(r) => row.set(&r.view()),
        Record::Pain(p) => row.pain(&p.view()),
        // Advice is not a set: see the module's doc.
        Record::Advice(_) => Ok(()),
    }
}

/// What `log --csv` writes, read straight from the log: each piece of the file becomes
/// its rows on the thread that parses it, and the pieces are joined in order. Returns
/// the CSV, how many lines of a newer format and how many advice records were left
/// out, and the warnings of
/// [`Store::read`].
///
/// # Errors
/// As [`Store::read`].
pub fn csv_from(
    store: &Store,
    filter: &Filter,
    now: jiff::Timestamp,
) -> Result<(Vec<u8>, usize, usize, Vec<Warning>), LogError> {
    csv_from_in(store, None, filter, now)
}

/// [`csv_from`], reading pieces of `chunk` bytes when given (tests cut small pieces).
pub(crate) fn csv_from_in(
    store: &Store,
    chunk: Option<usize>,
    filter: &Filter,
    now: jiff::Timestamp,
) -> Result<(Vec<u8>, usize, usize, Vec<Warning>), LogError> {
    /// One piece's rows, its count of newer lines and of advice left out.
    #[derive(Default)]
    struct Part {
        rows: Option<csv::Writer<Vec<u8>>>,
        number: String,
        newer: usize,
        advice: usize,
        error: Option<csv::Error>,
    }
    let fresh = || Part {
        // No header: it is written once, before the first piece.
        rows: Some(
            csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(Vec::new()),
        ),
        ..Part::default()
    };
    let visit = |part: &mut Part, line: Line| {
        let Some(w) = part.rows.as_mut() else { return };
        let mut row = Row {
            w,
            number: std::mem::take(&mut part.number),
        };
        let written = match line {
            Line::Set(r) if filter.keeps_view(&r) => row.set(&r),
            Line::Pain(p) if filter.keeps_pain(&p.at) => row.pain(&p),
            // Advice is not a set: counted, so the person is told it is left out.
            Line::Other(Record::Advice(a)) if filter.keeps_advice(a) => {
                part.advice += 1;
                Ok(())
            }
            Line::Other(record) if filter.keeps_record(record) => csv_record(&mut row, record),
            Line::Newer => {
                part.newer += 1;
                Ok(())
            }
            _ => Ok(()),
        };
        part.number = row.number;
        if let Err(e) = written {
            part.error.get_or_insert(e);
        }
    };
    let (parts, warnings) = match chunk {
        Some(chunk) => store.scan_in(chunk, now, &fresh, &visit)?,
        None => store.scan(now, &fresh, &visit)?,
    };
    let mut header = csv::Writer::from_writer(Vec::new());
    let mut out = Vec::new();
    let (mut newer, mut advice) = (0, 0);
    let fail = |e: csv::Error| LogError::Read {
        path: store.path().to_owned(),
        source: std::io::Error::other(e),
    };
    header.write_record(CSV_HEADER).map_err(fail)?;
    out.extend(
        header
            .into_inner()
            .map_err(|e| fail(e.into_error().into()))?,
    );
    for part in parts {
        if let Some(e) = part.error {
            return Err(fail(e));
        }
        let rows = part.rows.map(csv::Writer::into_inner).transpose();
        out.extend(
            rows.map_err(|e| fail(e.into_error().into()))?
                .unwrap_or_default(),
        );
        newer += part.newer;
        advice += part.advice;
    }
    Ok((out, newer, advice, warnings))
}

fn finish(w: csv::Writer<Vec<u8>>) -> Result<String, csv::Error> {
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Where a session starts and ends, in the person's local time then.
struct SessionSpan {
    start: jiff::civil::DateTime,
    start_at: jiff::Timestamp,
    end: jiff::civil::DateTime,
    end_at: jiff::Timestamp,
}

/// A time as written in the log (RFC 3339 with offset): its wall-clock reading and
/// its instant. Records are checked on read, so `start` and `end` always parse.
fn instant(time: &str) -> Option<(jiff::civil::DateTime, jiff::Timestamp)> {
    Some((time.parse().ok()?, time.parse().ok()?))
}

/// The sets the apps get: training sets only, since a preview at another speed is not
/// a workout, and morning pain has no place in either app.
fn app_sets<'a>(records: &[&'a Record]) -> Vec<&'a SetRecord> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Set(s) if s.is_training() => Some(s),
            _ => None,
        })
        .collect()
}

/// The key that groups a session's sets: `session`, else (old lines) the set alone.
fn session_key(r: &SetRecord) -> &str {
    r.session.as_deref().unwrap_or(&r.start)
}

/// Each session's start and end: `session` when it is a time (a hand-made log may use
/// any label), else its first set's start; the end is its last set's end.
fn session_spans<'a>(sets: &[&'a SetRecord]) -> HashMap<&'a str, SessionSpan> {
    let mut spans: HashMap<&str, SessionSpan> = HashMap::new();
    for r in sets {
        let (Some(start), Some(end)) = (instant(&r.start), instant(&r.end)) else {
            continue;
        };
        let labelled = r.session.as_deref().and_then(instant);
        let span = spans.entry(session_key(r)).or_insert_with(|| {
            let (start, start_at) = labelled.unwrap_or(start);
            SessionSpan {
                start,
                start_at,
                end: end.0,
                end_at: end.1,
            }
        });
        if labelled.is_none() && start.1 < span.start_at {
            (span.start, span.start_at) = start;
        }
        if end.1 > span.end_at {
            (span.end, span.end_at) = end;
        }
    }
    spans
}

/// Each set's number within its session's sets of the same exercise, from 1 (each side
/// counts: the apps have no sides).
fn set_orders(sets: &[&SetRecord]) -> Vec<u32> {
    let mut seen: HashMap<(&str, &str), u32> = HashMap::new();
    sets.iter()
        .map(|r| {
            let n = seen
                .entry((session_key(r), r.exercise.as_str()))
                .or_insert(0);
            *n += 1;
            *n
        })
        .collect()
}

/// The load in kilograms, pounds converted (the apps hold one unit per column);
/// bodyweight and a load that is not a weight have none.
fn weight_kg(r: &SetRecord) -> Option<f64> {
    let load = r.load.as_ref()?;
    let value = load.value?;
    match load.unit.as_str() {
        "kg" => Some(value),
        // To the gram: 135 lb is 61.235 kg, not 61.23496995.
        "lb" => Some((value * 0.453_592_37 * 1000.0).round() / 1000.0),
        _ => None,
    }
}

/// Whole seconds held or run; reps sets have none.
fn seconds(r: &SetRecord) -> Option<String> {
    r.hold_s
        .or(r.duration_s)
        .map(|s| format!("{:.0}", s.max(0.0)))
}

/// What the log has and the apps have no column for, then the person's note:
/// "left side; tempo 3-0-3-0; target 6RM; pain 3/10; stopped early; felt heavy".
fn app_note(r: &SetRecord) -> String {
    let mut parts = Vec::new();
    if r.side != Side::Both.name() {
        parts.push(format!("{} side", r.side));
    }
    if let Some(tempo) = &r.tempo {
        parts.push(format!("tempo {tempo}"));
    }
    if let Some(target) = &r.target {
        parts.push(format!("target {target}"));
    }
    if let Some(pain) = r.pain {
        parts.push(format!("pain {pain}/10"));
    }
    if r.status == "stopped" {
        parts.push("stopped early".to_owned());
    }
    if let Some(note) = &r.note {
        parts.push(note.clone());
    }
    parts.join("; ")
}

/// What the workout as a whole says: its programme week.
fn workout_note(r: &SetRecord) -> String {
    r.week.map(|w| format!("week {w}")).unwrap_or_default()
}

/// Strong's export: `Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,
/// Distance,Seconds,Notes,Workout Notes,RPE`, a workout being a session of one preset.
/// Strong writes 0 for a number a set does not have, and so do we.
fn strong(records: &[&Record]) -> Result<String, csv::Error> {
    let sets = app_sets(records);
    let spans = session_spans(&sets);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "Date",
        "Workout Name",
        "Duration",
        "Exercise Name",
        "Set Order",
        "Weight",
        "Reps",
        "Distance",
        "Seconds",
        "Notes",
        "Workout Notes",
        "RPE",
    ])?;
    let text = |v: &str| csv_text(v).into_owned();
    for (r, order) in sets.iter().zip(set_orders(&sets)) {
        let Some(span) = spans.get(session_key(r)) else {
            continue;
        };
        let minutes = (span.end_at.as_second() - span.start_at.as_second() + 30).max(0) / 60;
        let duration = if minutes >= 60 {
            format!("{}h {}m", minutes / 60, minutes % 60)
        } else {
            format!("{minutes}m")
        };
        w.write_record([
            span.start.strftime("%Y-%m-%d %H:%M:%S").to_string(),
            text(&r.preset),
            duration,
            text(&r.exercise),
            order.to_string(),
            weight_kg(r).map_or("0".to_owned(), |v| v.to_string()),
            r.done_reps.unwrap_or(0).to_string(),
            "0".to_owned(),
            seconds(r).unwrap_or_else(|| "0".to_owned()),
            text(&app_note(r)),
            text(&workout_note(r)),
            r.rpe.map(|v| v.to_string()).unwrap_or_default(),
        ])?;
    }
    finish(w)
}

/// Hevy's export: `title,start_time,end_time,description,exercise_title,superset_id,
/// exercise_notes,set_index,set_type,weight_kg,reps,distance_km,duration_seconds,rpe`,
/// times as Hevy writes them ("3 Nov 2026, 18:00"), `set_index` from 0, and an empty cell
/// for a number a set does not have.
fn hevy(records: &[&Record]) -> Result<String, csv::Error> {
    let sets = app_sets(records);
    let spans = session_spans(&sets);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "title",
        "start_time",
        "end_time",
        "description",
        "exercise_title",
        "superset_id",
        "exercise_notes",
        "set_index",
        "set_type",
        "weight_kg",
        "reps",
        "distance_km",
        "duration_seconds",
        "rpe",
    ])?;
    let text = |v: &str| csv_text(v).into_owned();
    let hevy_time = |t: jiff::civil::DateTime| t.strftime("%-d %b %Y, %H:%M").to_string();
    for (r, order) in sets.iter().zip(set_orders(&sets)) {
        let Some(span) = spans.get(session_key(r)) else {
            continue;
        };
        w.write_record([
            text(&r.preset),
            hevy_time(span.start),
            hevy_time(span.end),
            text(&workout_note(r)),
            text(&r.exercise),
            String::new(),
            text(&app_note(r)),
            (order - 1).to_string(),
            "normal".to_owned(),
            weight_kg(r).map(|v| v.to_string()).unwrap_or_default(),
            r.done_reps.map(|v| v.to_string()).unwrap_or_default(),
            String::new(),
            seconds(r).unwrap_or_default(),
            r.rpe.map(|v| v.to_string()).unwrap_or_default(),
        ])?;
    }
    finish(w)
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
            ("\rx", "'^Mx"),
            ("ok = fine", "ok = fine"),
            ("stiff \x1b]52;c;cHduZWQ=\x07", "stiff ^[]52;c;cHduZWQ=^G"),
            ("=\x1b[2J", "'=^[[2J"),
            ("two\nlines\tand a tab", "two\nlines\tand a tab"),
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
