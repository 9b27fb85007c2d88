//! The preset file format: TOML read by serde with unknown keys refused, and its
//! validation into the model's types, every problem reported at once as
//! `FILE:LINE:COL: message`.
//!
//! Two passes. serde reads the document into the raw types below, whose required keys
//! are `Option`s so that a missing one is reported with the rest; a value serde refuses
//! (a wrong type, an unknown key) is reported and taken out of the document, which is
//! read again (see `tree`). Then `validate` checks meaning (one kind of work a block,
//! counts in range, a week table without gaps) against the spans. The limits that
//! bound a hostile file, and reading one from disk without blocking on a FIFO, are here
//! too.

use std::fmt;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;
use toml::de::DeTable;

use super::{
    Block, Diagnostic, Frequency, Preset, PresetError, Program, Sides, Stage, StartPhase, WeekRow,
    Work, show_weeks, tree,
};
use crate::load::Load;
use crate::span::Span;
use crate::tempo::Tempo;

/// What a file that leaves these keys out gets.
pub const DEFAULT_LEAD_IN: Span = Span::from_secs(5);
pub const DEFAULT_EXPLOSIVE: Span = Span::from_secs(1);
pub const DEFAULT_SWITCH: Span = Span::from_secs(5);
/// More blocks than this is not a session anyone follows.
pub const MAX_BLOCKS: usize = 50;
/// The largest preset file read. The built-in ones are under 8 KiB; a bigger file is
/// a wrong path (a log, a disk image), and reading it whole would only cost memory.
pub const MAX_FILE_BYTES: u64 = 1 << 20;
/// Problems that stop serde (a wrong type, an unknown key) are found one a pass over
/// the whole document; this many are plenty for a file a person wrote, and bound the
/// time a 1 MiB file of them takes (about a second).
const MAX_TYPE_PASSES: usize = 50;

// ---- the file format, as serde reads it ----

// Keys a preset needs are `Option`s here, so that a missing one is reported by
// `validate` with the other problems instead of stopping serde.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPreset {
    id: Option<Spanned<String>>,
    name: Option<String>,
    description: Option<String>,
    source: Option<String>,
    cite: Option<String>,
    stage: Option<Spanned<i64>>,
    lead_in: Option<Span>,
    explosive: Option<Spanned<Span>>,
    program: Option<Spanned<RawProgram>>,
    #[serde(rename = "block", default)]
    blocks: Vec<Spanned<RawBlock>>,
    #[serde(rename = "week", default)]
    weeks: Vec<Spanned<RawWeek>>,
    #[serde(rename = "rule", default)]
    rules: Vec<Spanned<super::rule::RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProgram {
    sessions_per_week: Option<Spanned<i64>>,
    times_per_day: Option<Spanned<i64>>,
    days_per_week: Option<Spanned<i64>>,
    weeks: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBlock {
    exercise: Option<String>,
    reps: Option<Spanned<i64>>,
    tempo: Option<Tempo>,
    start_phase: Option<StartPhase>,
    eccentric_only: Option<bool>,
    hold: Option<Spanned<Span>>,
    cadence: Option<Spanned<f64>>,
    duration: Option<Spanned<Span>>,
    sets: Option<Spanned<i64>>,
    rest: Option<Span>,
    rest_after: Option<Span>,
    switch: Option<Span>,
    sides: Option<Sides>,
    load: Option<Load>,
    notes: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWeek {
    weeks: Option<Spanned<RawWeekRange>>,
    sets: Option<Spanned<i64>>,
    reps: Option<Spanned<i64>>,
    load: Option<Load>,
}

/// `weeks = 4` or `weeks = "2-3"`.
enum RawWeekRange {
    One(i64),
    Text(String),
}

impl<'de> Deserialize<'de> for RawWeekRange {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<RawWeekRange, D::Error> {
        struct WeeksVisitor;
        impl serde::de::Visitor<'_> for WeeksVisitor {
            type Value = RawWeekRange;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a week number (4) or an inclusive range (\"2-3\")")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<RawWeekRange, E> {
                Ok(RawWeekRange::One(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<RawWeekRange, E> {
                Ok(RawWeekRange::One(i64::try_from(v).unwrap_or(i64::MAX)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawWeekRange, E> {
                Ok(RawWeekRange::Text(v.to_owned()))
            }
        }
        d.deserialize_any(WeeksVisitor)
    }
}

/// Collects diagnostics against the source text, turning byte spans into positions.
pub(super) struct Checker<'a> {
    pub(super) text: &'a str,
    pub(super) found: Vec<Diagnostic>,
    /// The span of the whole document, which top-level "missing" problems point at.
    pub(super) root: Range<usize>,
    /// Values serde refused and that were taken out of the document.
    pub(super) removed: Vec<tree::Removed>,
}

impl Checker<'_> {
    pub(super) fn at(&mut self, span: &Range<usize>, message: impl Into<String>) {
        let (line, col) = position(self.text, span.start);
        // Messages quote what the file says; one diagnostic is one line.
        let message = crate::text::escape_cell(&message.into()).into_owned();
        self.found.push(Diagnostic { line, col, message });
    }

    /// `value`, or a diagnostic at `table` saying the table lacks `key` (unless the key
    /// was there with a value already reported).
    pub(super) fn required<T>(
        &mut self,
        value: Option<T>,
        table: &Range<usize>,
        key: &str,
        what: &str,
    ) -> Option<T> {
        if value.is_none() && !self.was_removed(table, key) {
            self.at(table, format!("{what} has no `{key}`"));
        }
        value
    }

    /// Whether `key` of the table at `table` had a value serde refused.
    pub(super) fn was_removed(&self, table: &Range<usize>, key: &str) -> bool {
        self.removed
            .iter()
            .any(|r| r.table == *table && r.key == key)
    }

    /// A whole number in `range`, or a diagnostic at it.
    pub(super) fn count(
        &mut self,
        value: &Spanned<i64>,
        what: &str,
        range: std::ops::RangeInclusive<i64>,
    ) -> Option<u32> {
        let v = *value.get_ref();
        if range.contains(&v) {
            u32::try_from(v).ok()
        } else {
            self.at(
                &value.span(),
                format!(
                    "{what} must be from {} to {}, not {v}",
                    range.start(),
                    range.end()
                ),
            );
            None
        }
    }

    pub(super) fn positive(&mut self, value: &Spanned<Span>, what: &str) -> Span {
        if value.get_ref().is_zero() {
            self.at(&value.span(), format!("{what} must be longer than 0 s"));
        }
        *value.get_ref()
    }
}

/// serde's message with its Rust type names said in words.
pub(crate) fn plain_words(message: &str) -> String {
    let mut text = message.trim_end().replace('\n', " ");
    for raw in [
        "RawPreset",
        "RawProgram",
        "RawBlock",
        "RawWeek",
        "RawRule",
        "RawWhen",
        "RawThen",
    ] {
        text = text.replace(&format!("struct {raw}"), "a table");
    }
    text.replace("expected a sequence", "expected an array")
        .replace("expected i64", "expected a whole number")
        .replace("expected f64", "expected a number")
        .replace("expected a boolean", "expected true or false")
        .replace("as i128, expected a whole number", "too large")
}

/// 1-based line and character column of byte `offset` in `text`.
pub(crate) fn position(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

pub(super) const ID_HINT: &str = "lowercase letters, digits and '-'";

pub(super) fn parse(text: &str, path: &Path) -> Result<Preset, PresetError> {
    let invalid = |diagnostics| PresetError::Invalid {
        path: path.to_owned(),
        diagnostics,
    };
    let mut checker = Checker {
        text,
        found: Vec::new(),
        root: 0..text.len(),
        removed: Vec::new(),
    };
    // A syntax error leaves no document to check further.
    let mut document = DeTable::parse(text).map_err(|e| {
        checker.at(&e.span().unwrap_or(0..0), plain_words(e.message()));
        invalid(std::mem::take(&mut checker.found))
    })?;
    checker.root = document.span();
    for found in tree::controls(document.get_ref(), text) {
        checker.at(&(found.offset..found.offset), found.message);
    }
    let preset = typed(&mut document, &mut checker).map(|raw| validate(raw, &mut checker));
    match preset {
        Some(preset) if checker.found.is_empty() => Ok(preset),
        _ => {
            checker.found.sort_by_key(|d| (d.line, d.col));
            checker.found.dedup();
            Err(invalid(checker.found))
        }
    }
}

pub(super) fn load(path: &Path) -> Result<Preset, PresetError> {
    use crate::small_file::Unreadable;
    let text = crate::small_file::read(path, MAX_FILE_BYTES).map_err(|e| match e {
        Unreadable::Io(source) => PresetError::Read {
            path: path.to_owned(),
            source,
        },
        Unreadable::NotAFile(kind) => PresetError::NotAFile {
            path: path.to_owned(),
            kind,
        },
        Unreadable::TooLarge => PresetError::TooLarge {
            path: path.to_owned(),
        },
        Unreadable::NotUtf8 { line, col, byte } => PresetError::Invalid {
            path: path.to_owned(),
            diagnostics: vec![Diagnostic {
                line,
                col,
                message: Unreadable::not_utf8_message(byte),
            }],
        },
    })?;
    parse(&text, path)
}

/// The document read into the format's types. Each value serde refuses (a wrong type,
/// an unknown key) is reported and taken out, and the document read again, so that
/// every such problem is found; `None` when one cannot be taken out.
fn typed(document: &mut Spanned<DeTable<'_>>, c: &mut Checker) -> Option<RawPreset> {
    let span = document.span();
    for _ in 0..MAX_TYPE_PASSES {
        let read = RawPreset::deserialize(toml::de::Deserializer::from(document.clone()));
        let error = match read {
            Ok(raw) => return Some(raw),
            Err(error) => error,
        };
        let at = error.span().unwrap_or(0..0);
        c.at(&at, plain_words(error.message()));
        let removed = tree::remove_at(document.get_mut(), span.clone(), &at)?;
        c.removed.push(removed);
    }
    None
}

/// Whether `text` may be a preset's id: 1 to 40 of [`ID_HINT`], not starting with '-'.
pub(super) fn is_id(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 40
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !text.starts_with('-')
}

/// The preset's id, when it has one; a diagnostic when it is missing or malformed.
fn validate_id(id: Option<&Spanned<String>>, c: &mut Checker) -> String {
    let whole = c.root.clone();
    match c.required(id, &whole, "id", "the preset") {
        Some(id) => {
            let text = id.get_ref();
            if !is_id(text) {
                c.at(
                    &id.span(),
                    format!(
                        "id {text:?} must be 1 to 40 characters: {ID_HINT}, not starting with '-'"
                    ),
                );
            }
            text.clone()
        }
        None => String::new(),
    }
}

fn validate(raw: RawPreset, c: &mut Checker) -> Preset {
    let whole = c.root.clone();
    let id = validate_id(raw.id.as_ref(), c);
    let name = c.required(raw.name, &whole, "name", "the preset");
    let source = c.required(raw.source, &whole, "source", "the preset");

    let stage = raw.stage.as_ref().and_then(|s| match *s.get_ref() {
        1 => Some(Stage::Isometric),
        2 => Some(Stage::EccentricHsr),
        3 => Some(Stage::Plyometric),
        other => {
            c.at(
                &s.span(),
                format!(
                    "stage must be 1 (isometric), 2 (eccentric/HSR) or 3 (plyometric), not {other}"
                ),
            );
            None
        }
    });
    let explosive = raw.explosive.as_ref().map_or(DEFAULT_EXPLOSIVE, |e| {
        let len = *e.get_ref();
        if !(crate::tempo::SHORTEST..=Span::from_secs(10)).contains(&len) {
            c.at(&e.span(), "explosive must be from 0.1 s to 10 s");
        }
        len
    });

    let problems_before = c.found.len();
    let week_table = validate_weeks(&raw.weeks, c);
    // A broken table has been reported; checks built on it would only repeat that.
    let table_broken = c.found.len() > problems_before
        || raw
            .weeks
            .iter()
            .any(|row| c.removed.iter().any(|r| r.table == row.span()));
    let program = raw
        .program
        .as_ref()
        .and_then(|p| validate_program(p, (!table_broken).then_some(&week_table[..]), c));
    let program_refused = c.was_removed(&whole, "program");
    if let (None, Some(first), Some(_), false) = (
        &raw.program,
        raw.weeks.first(),
        week_table.last(),
        program_refused,
    ) {
        c.at(
            &first.span(),
            "a week table needs a [program] with `weeks`, the program's length",
        );
    }
    if raw.blocks.is_empty() && !c.was_removed(&whole, "block") {
        c.at(&(text_end(c.text)), "a preset needs at least one [[block]]");
    }
    if let Some(extra) = raw.blocks.get(MAX_BLOCKS) {
        c.at(
            &extra.span(),
            format!("a preset has at most {MAX_BLOCKS} blocks"),
        );
    }
    let has_reps_block = raw.blocks.iter().any(|b| {
        let refused = |key| c.was_removed(&b.span(), key);
        b.get_ref().reps.is_some()
            || b.get_ref().tempo.is_some()
            || refused("reps")
            || refused("tempo")
    });
    if let (false, Some(first)) = (has_reps_block, raw.weeks.first()) {
        c.at(
            &first.span(),
            "a week table applies to reps blocks, and this preset has none",
        );
    }
    let table_sets =
        table_broken || (!week_table.is_empty() && week_table.iter().all(|r| r.sets.is_some()));
    let table_reps =
        table_broken || (!week_table.is_empty() && week_table.iter().all(|r| r.reps.is_some()));
    let blocks = raw
        .blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| {
            let from_table = (table_sets, table_reps, !raw.weeks.is_empty());
            validate_block(i + 1, b, from_table, c)
        })
        .collect();
    let rules = super::rule::validate_rules(&raw.rules, !raw.weeks.is_empty(), &id, c);
    Preset {
        id,
        name: name.unwrap_or_default(),
        description: raw.description.unwrap_or_default(),
        source: source.unwrap_or_default(),
        cite: raw.cite,
        stage,
        lead_in: raw.lead_in.unwrap_or(DEFAULT_LEAD_IN),
        explosive,
        program,
        blocks,
        week_table,
        rules,
    }
}

fn text_end(text: &str) -> Range<usize> {
    text.len()..text.len()
}

fn validate_program(
    raw: &Spanned<RawProgram>,
    week_table: Option<&[WeekRow]>,
    c: &mut Checker,
) -> Option<Program> {
    let p = raw.get_ref();
    let span = raw.span();
    let refused = ["sessions_per_week", "times_per_day", "days_per_week"]
        .iter()
        .any(|key| c.was_removed(&span, key));
    let frequency = match (&p.sessions_per_week, &p.times_per_day, &p.days_per_week) {
        _ if refused => None,
        (Some(s), None, None) => c
            .count(s, "sessions_per_week", 1..=14)
            .map(Frequency::SessionsPerWeek),
        (None, Some(t), Some(d)) => {
            let times_per_day = c.count(t, "times_per_day", 1..=10);
            let days_per_week = c.count(d, "days_per_week", 1..=7);
            times_per_day
                .zip(days_per_week)
                .map(|(times_per_day, days_per_week)| Frequency::Daily {
                    times_per_day,
                    days_per_week,
                })
        }
        (None, None, None) => None,
        _ => {
            c.at(
                &raw.span(),
                "[program] takes either sessions_per_week, or times_per_day with days_per_week",
            );
            None
        }
    };
    let Some(weeks) = &p.weeks else {
        if !c.was_removed(&span, "weeks") {
            c.at(&span, "[program] needs `weeks`, the program's length");
        }
        return None;
    };
    let weeks_n = c.count(weeks, "program weeks", 1..=104)?;
    if let Some(last) = week_table.and_then(<[WeekRow]>::last) {
        let covered = last.weeks.end - 1;
        if covered != weeks_n {
            c.at(
                &weeks.span(),
                format!(
                    "the program has {weeks_n} weeks but the week table covers weeks 1-{covered}"
                ),
            );
        }
    }
    Some(Program {
        frequency,
        weeks: weeks_n,
    })
}

/// The week table's rows, which must run from week 1 with no gap and no overlap.
fn validate_weeks(rows: &[Spanned<RawWeek>], c: &mut Checker) -> Vec<WeekRow> {
    let mut table: Vec<WeekRow> = Vec::new();
    let mut next = 1;
    for row in rows {
        let r = row.get_ref();
        let Some(weeks) = c.required(r.weeks.as_ref(), &row.span(), "weeks", "a [[week]] row")
        else {
            return table;
        };
        let span = weeks.span();
        let range = match weeks.get_ref() {
            RawWeekRange::One(n) => u32::try_from(*n).ok().map(|n| n..n + 1),
            RawWeekRange::Text(t) => parse_week_range(t),
        };
        let Some(range) = range.filter(|r| r.start >= 1 && r.start < r.end && r.end <= 105) else {
            c.at(
                &span,
                "weeks must be a week number (4) or an inclusive range (\"2-3\") from 1 to 104",
            );
            return table;
        };
        let shown = show_weeks(&range);
        if range.start > next {
            c.at(
                &span,
                format!("week table has a gap: week {next} is in no row ({shown} follows)"),
            );
            return table;
        }
        if range.start < next {
            c.at(
                &span,
                format!(
                    "week table overlaps: {shown} repeats week {} from an earlier row",
                    range.start
                ),
            );
            return table;
        }
        next = range.end;
        let sets = r.sets.as_ref().and_then(|s| c.count(s, "sets", 1..=100));
        let reps = r.reps.as_ref().and_then(|s| c.count(s, "reps", 1..=1000));
        let refused = ["sets", "reps", "load"]
            .iter()
            .any(|key| c.was_removed(&row.span(), key));
        if r.sets.is_none() && r.reps.is_none() && r.load.is_none() && !refused {
            c.at(
                &row.span(),
                "a [[week]] row sets at least one of sets, reps, load",
            );
        }
        table.push(WeekRow {
            weeks: range,
            sets,
            reps,
            load: r.load,
        });
    }
    table
}

fn parse_week_range(text: &str) -> Option<Range<u32>> {
    let (first, last) = text.split_once('-').unwrap_or((text, text));
    let (first, last): (u32, u32) = (first.trim().parse().ok()?, last.trim().parse().ok()?);
    Some(first..last.checked_add(1)?)
}
fn validate_block(
    number: usize,
    raw: &Spanned<RawBlock>,
    (table_sets, table_reps, raw_has_table): (bool, bool, bool),
    c: &mut Checker,
) -> Option<Block> {
    let b = raw.get_ref();
    let span = raw.span();
    // A key whose value was refused counts as given: what it lacked is reported.
    let given = |c: &Checker, present: bool, key: &str| present || c.was_removed(&span, key);
    let is_reps = given(c, b.reps.is_some(), "reps") || given(c, b.tempo.is_some(), "tempo");
    let is_hold = given(c, b.hold.is_some(), "hold");
    let is_cadence =
        given(c, b.cadence.is_some(), "cadence") || given(c, b.duration.is_some(), "duration");
    let kinds: Vec<&str> = [
        (is_reps, "reps"),
        (is_hold, "hold"),
        (is_cadence, "cadence"),
    ]
    .iter()
    .filter_map(|&(on, name)| on.then_some(name))
    .collect();
    let exercise = c.required(
        b.exercise.clone(),
        &span,
        "exercise",
        &format!("block {number}"),
    );
    let label = match &exercise {
        Some(name) => format!("block {number} ({name})"),
        None => format!("block {number}"),
    };
    let work = if kinds.len() == 1 {
        if !is_reps && (b.start_phase.is_some() || b.eccentric_only.is_some()) {
            c.at(
                &span,
                format!("{label}: start_phase and eccentric_only apply to reps blocks only"),
            );
        }
        block_work(b, &span, &label, (table_reps, raw_has_table), c)
    } else {
        let has = if kinds.is_empty() {
            "none".to_owned()
        } else {
            kinds.join(" and ")
        };
        c.at(
            &span,
            format!("{label} must have exactly one of: reps (with tempo), hold, cadence (with duration); it has {has}"),
        );
        None
    };
    let sets = match &b.sets {
        Some(s) => c.count(s, "sets", 1..=100).map(Some),
        None if (is_reps && table_sets) || c.was_removed(&span, "sets") => Some(None),
        None => {
            c.at(&span, format!("{label} has no `sets`"));
            None
        }
    };
    Some(Block {
        exercise: exercise?,
        work: work?,
        sets: sets?,
        rest: b.rest.unwrap_or(Span::ZERO),
        rest_after: b.rest_after,
        switch: b.switch.unwrap_or(DEFAULT_SWITCH),
        sides: b.sides.unwrap_or(Sides::Both),
        load: b.load,
        notes: b.notes.clone(),
    })
}

/// What one set of a block with exactly one kind of work asks for.
fn block_work(
    b: &RawBlock,
    span: &Range<usize>,
    label: &str,
    (table_reps, raw_has_table): (bool, bool),
    c: &mut Checker,
) -> Option<Work> {
    if b.reps.is_some() || b.tempo.is_some() || c.was_removed(span, "tempo") {
        let reps = match &b.reps {
            Some(r) => c.count(r, "reps", 1..=1000).map(Some),
            None if table_reps || c.was_removed(span, "reps") => Some(None),
            None => {
                let why = if raw_has_table {
                    "the week table does not give reps in every row"
                } else {
                    "there is no week table to give them"
                };
                c.at(span, format!("{label} has a tempo but no reps, and {why}"));
                None
            }
        };
        let tempo = match b.tempo {
            Some(tempo) => Some(tempo),
            None if c.was_removed(span, "tempo") => None,
            None => {
                c.at(
                    span,
                    format!("{label} has reps but no tempo (e.g. tempo = \"3-0-3-0\")"),
                );
                None
            }
        };
        return Some(Work::Reps {
            reps: reps?,
            tempo: tempo?,
            start: b.start_phase.unwrap_or_default(),
            eccentric_only: b.eccentric_only.unwrap_or(false),
        });
    }
    if let Some(hold) = &b.hold {
        return Some(Work::Hold(c.positive(hold, "hold")));
    }
    if b.hold.is_none() && c.was_removed(span, "hold") {
        return None;
    }
    let (Some(bpm), Some(duration)) = (&b.cadence, &b.duration) else {
        if !c.was_removed(span, "cadence") && !c.was_removed(span, "duration") {
            c.at(span, format!("{label}: a cadence block needs both cadence (beats a minute) and duration (per set)"));
        }
        return None;
    };
    let v = *bpm.get_ref();
    if !(1.0..=400.0).contains(&v) {
        c.at(
            &bpm.span(),
            format!("cadence must be from 1 to 400 beats a minute, not {v}"),
        );
    }
    Some(Work::Cadence {
        bpm: v,
        duration: c.positive(duration, "duration"),
    })
}
#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Preset, Vec<String>> {
        Preset::parse(text, Path::new("t.toml")).map_err(|e| match e {
            PresetError::Invalid { diagnostics, .. } => {
                diagnostics.iter().map(ToString::to_string).collect()
            }
            other => vec![other.to_string()],
        })
    }

    const HEAD: &str = "id = \"t\"\nname = \"T\"\ndescription = \"d\"\nsource = \"S 2020\"\n";

    #[test]
    fn reads_a_minimal_preset_with_defaults() {
        let p = parse(&format!(
            "{HEAD}[[block]]\nexercise = \"Hold\"\nhold = 45\nsets = 5\nrest = \"2m\"\n"
        ))
        .unwrap();
        assert_eq!(p.lead_in, Span::from_secs(5));
        assert_eq!(p.explosive, Span::from_secs(1));
        assert_eq!(p.blocks[0].work, Work::Hold(Span::from_secs(45)));
        assert_eq!(p.blocks[0].rest, Span::from_secs(120));
        assert_eq!(p.blocks[0].sides, Sides::Both);
    }

    #[test]
    fn points_at_the_value_that_is_wrong() {
        let text = format!(
            "{HEAD}[[block]]\nexercise = \"Squat\"\nreps = 10\ntempo = \"3-0-3\"\nsets = 3\n"
        );
        let errors = parse(&text).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with("8:9: "), "{errors:?}");
        assert!(
            errors[0].contains("expected 4 phases, found 3"),
            "{errors:?}"
        );
    }

    #[test]
    fn reports_every_semantic_problem_at_once() {
        let text =
            format!("{HEAD}stage = 4\n[[block]]\nexercise = \"A\"\nhold = \"0s\"\nsets = 0\n");
        let errors = parse(&text).unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].starts_with("5:9: stage must be"), "{errors:?}");
        assert!(
            errors[1].starts_with("8:8: hold must be longer than 0 s"),
            "{errors:?}"
        );
        assert!(
            errors[2].starts_with("9:8: sets must be from 1 to 100, not 0"),
            "{errors:?}"
        );
    }

    #[test]
    fn week_table_must_cover_the_program_without_gaps() {
        let block = "[[block]]\nexercise = \"Squat\"\ntempo = \"3030\"\n";
        let program = "[program]\nweeks = 4\n";
        let ok = format!(
            "{HEAD}{program}{block}[[week]]\nweeks = 1\nsets = 4\nreps = 15\n[[week]]\nweeks = \"2-4\"\nsets = 4\nreps = 12\n"
        );
        let p = parse(&ok).unwrap();
        assert_eq!(p.week_row(3).unwrap().reps, Some(12));
        let gap = ok.replace("\"2-4\"", "\"3-4\"");
        assert!(parse(&gap).unwrap_err()[0].contains("gap: week 2 is in no row"));
        let overlap = ok.replace("\"2-4\"", "\"1-4\"");
        assert!(parse(&overlap).unwrap_err()[0].contains("overlaps"));
        let short = ok.replace("\"2-4\"", "\"2-3\"");
        assert!(parse(&short).unwrap_err()[0].contains("covers weeks 1-3"));
    }

    #[test]
    fn reports_wrong_types_unknown_keys_and_control_characters_together() {
        let text = "id = \"t\"\nname = \"T\\u001b[2J\"\nsource = \"S\"\nstage = \"two\"\ncolour = 1\n\
            [[block]]\nexercise = \"A\"\nhold = 45\nsets = 0\nrset = \"2m\"\nsides = \"up\"\n";
        let errors = parse(text).unwrap_err();
        let positions: Vec<&str> = errors
            .iter()
            .map(|e| e.split(": ").next().unwrap())
            .collect();
        assert_eq!(
            positions,
            ["2:10", "4:9", "5:1", "9:8", "10:1", "11:9"],
            "{errors:?}"
        );
        assert!(errors[0].ends_with("name contains a control character (ESC, U+001B)"));
        assert!(errors[1].contains("expected a whole number"), "{errors:?}");
        assert!(errors[2].contains("unknown field `colour`"), "{errors:?}");
        assert!(errors[5].contains("unknown variant `up`"), "{errors:?}");
    }

    #[test]
    fn a_refused_value_is_not_reported_again_as_missing() {
        let text = format!(
            "{HEAD}[program]\nweeks = \"x\"\n[[block]]\nexercise = 5\ntempo = 3030\nreps = 5\nsets = 2\n"
        );
        let errors = parse(&text).unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            errors.iter().all(|e| e.contains("invalid type")),
            "{errors:?}"
        );
    }

    #[test]
    fn says_which_required_key_is_missing() {
        let errors = parse("id = \"t\"\n[[block]]\nhold = 5\nsets = 1\n").unwrap_err();
        assert_eq!(
            errors,
            [
                "1:1: the preset has no `name`",
                "1:1: the preset has no `source`",
                "2:1: block 1 has no `exercise`"
            ]
        );
    }

    #[test]
    fn a_description_is_optional() {
        let p = parse("id = \"t\"\nname = \"T\"\nsource = \"S\"\n[[block]]\nexercise = \"A\"\nhold = \"45 s\"\nsets = 1\n")
            .unwrap();
        assert_eq!(p.description, "");
        assert_eq!(p.blocks[0].work, Work::Hold(Span::from_secs(45)));
    }

    #[test]
    fn a_raw_escape_byte_is_a_syntax_error_at_its_place() {
        let errors = parse("id = \"t\"\nname = \"ab\u{1b}\"\n").unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("2:11: "), "{errors:?}");
        assert!(!errors[0].contains('\u{1b}'), "{errors:?}");
    }

    /// A TOML basic string for `text`, with control characters as `\uXXXX` escapes, and
    /// the character column (within the literal) of the first forbidden one.
    fn toml_string(text: &str, newlines: bool) -> (String, Option<usize>) {
        use std::fmt::Write as _;
        let forbidden = crate::text::first_control(text, newlines).map(|(at, _)| at);
        let mut literal = String::from("\"");
        let mut column = None;
        for (at, c) in text.char_indices() {
            if Some(at) == forbidden {
                column = Some(literal.chars().count());
            }
            match c {
                '"' | '\\' => {
                    literal.push('\\');
                    literal.push(c);
                }
                c if crate::text::is_control(c) => {
                    let _ = write!(literal, "\\u{:04X}", u32::from(c));
                }
                c => literal.push(c),
            }
        }
        literal.push('"');
        (literal, column)
    }

    /// A TOML number for any float, NaN and infinities included.
    fn toml_float(v: f64) -> String {
        match v {
            v if v.is_nan() => "nan".to_owned(),
            v if v.is_infinite() => if v > 0.0 { "inf" } else { "-inf" }.to_owned(),
            v => format!("{v:?}"),
        }
    }

    use proptest::strategy::Strategy as _;

    proptest::proptest! {
        /// Generated presets with control characters in their strings and any number
        /// where a number goes: never a panic (in the parser, nor in building the plan
        /// of what it accepts), and every forbidden control character reported at its
        /// line and column.
        #[test]
        fn hostile_presets_never_panic_and_control_characters_are_found(
            strings in proptest::collection::vec("(\\PC|[\\x00-\\x1f\\x7f-\\x{9f}]){0,10}", 5),
            ints in proptest::collection::vec(
                proptest::prop_oneof![proptest::num::i64::ANY, -5i64..200],
                3,
            ),
            floats in proptest::collection::vec(
                proptest::prop_oneof![proptest::num::f64::ANY, 0.0..500.0],
                2,
            ),
            duration in proptest::prop_oneof![
                proptest::num::u64::ANY.prop_map(|n| format!("\"{n}s\"")),
                proptest::num::f64::ANY.prop_map(toml_float),
                "[0-9]{1,30}(\\.[0-9]{1,12})?( ?(h|m|min|s|ms))?".prop_map(|t| format!("\"{t}\"")),
            ],
            kind in 0..3u8,
        ) {
            // (key, may have line breaks, line of the file)
            let fields = [("name", false, 2), ("description", true, 3), ("source", false, 4), ("exercise", false, 7), ("notes", true, 8)];
            let mut lines = vec!["id = \"fuzz\"".to_owned()];
            let mut expected = Vec::new();
            for ((key, newlines, line), text) in fields.iter().zip(&strings) {
                if *key == "exercise" {
                    lines.push(format!("stage = {}", ints[0]));
                    lines.push("[[block]]".to_owned());
                }
                let (literal, column) = toml_string(text, *newlines);
                let prefix = format!("{key} = ");
                if let Some(column) = column {
                    expected.push(format!("{line}:{}: {key} contains a control character", prefix.len() + column + 1));
                }
                lines.push(prefix + &literal);
            }
            match kind {
                0 => lines.push(format!("reps = {}\ntempo = \"3-0-3-0\"", ints[1])),
                1 => lines.push(format!("hold = {duration}")),
                _ => lines.push(format!("cadence = {}\nduration = {duration}", toml_float(floats[0]))),
            }
            lines.push(format!("sets = {}\nrest = {duration}\nswitch = {}", ints[2], toml_float(floats[1])));
            let text = lines.join("\n") + "\n";
            match Preset::parse(&text, Path::new("fuzz.toml")) {
                Ok(preset) => {
                    proptest::prop_assert!(expected.is_empty(), "accepted:\n{}", text);
                    let _ = crate::plan::check_every_week(&preset);
                    let _ = crate::plan::Plan::build(&preset, &crate::plan::Overrides::default());
                }
                Err(PresetError::Invalid { diagnostics, .. }) => {
                    let shown: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
                    for want in &expected {
                        proptest::prop_assert!(
                            shown.iter().any(|d| d.starts_with(want.as_str())),
                            "missing {:?} in {:?} for\n{}", want, shown, text
                        );
                    }
                    for d in &shown {
                        proptest::prop_assert!(!d.chars().any(crate::text::is_control), "{:?}", d);
                    }
                }
                Err(other) => proptest::prop_assert!(false, "{other}"),
            }
        }
    }
}
