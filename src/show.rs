//! What `show` and `presets` print: a plan as a readable table or as the `show --json`
//! contract, and the one-line summary of a preset. The readable forms pass every text
//! through [`crate::text`], so a preset or a path cannot drive the terminal; the JSON
//! keeps the text exact (`serde_json` escapes control characters itself).

use serde::Serialize;

use crate::plan::{CueKind, Plan, PlannedBlock, PlannedWork, SegmentKind};
use crate::preset::{Frequency, Origin, Preset, Side, Sides, Stage, StartPhase, show_weeks};
use crate::span::Span;

/// The `show --json` document. Names and meanings are a contract: add, never rename.
#[derive(Serialize)]
struct PlanJson<'a> {
    preset: &'a str,
    name: &'a str,
    description: &'a str,
    source: &'a str,
    stage: Option<u8>,
    week: Option<u32>,
    weeks: Option<u32>,
    lead_in_s: f64,
    total_s: f64,
    tut_s: f64,
    blocks: Vec<BlockJson<'a>>,
    cues: Vec<CueJson>,
}

#[derive(Serialize)]
struct BlockJson<'a> {
    exercise: &'a str,
    kind: &'static str,
    sets: u32,
    reps: Option<u32>,
    tempo: Option<String>,
    start_phase: Option<&'static str>,
    eccentric_only: Option<bool>,
    hold_s: Option<f64>,
    cadence_bpm: Option<f64>,
    /// The time of one set (for `each`: both sides and the switch).
    duration_s: f64,
    /// The work of one set on one side.
    side_work_s: f64,
    rest_s: f64,
    rest_after_s: f64,
    switch_s: Option<f64>,
    sides: &'static str,
    /// `--side`: every set on this side only.
    side: Option<&'static str>,
    load: Option<String>,
    tut_s: f64,
    start_s: f64,
    end_s: f64,
    notes: Option<&'a str>,
}

#[derive(Serialize)]
struct CueJson {
    offset_s: f64,
    kind: &'static str,
    block: usize,
    set: u32,
    rep: Option<u32>,
    side: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    count: Option<u8>,
}

/// The plan as the `show --json` document.
#[must_use]
pub fn plan_json(preset: &Preset, plan: &Plan) -> String {
    let doc = PlanJson {
        preset: &plan.preset,
        name: &plan.name,
        description: &preset.description,
        source: &plan.source,
        stage: preset.stage.map(Stage::number),
        week: plan.week.map(|w| w.number),
        weeks: plan.week.map(|w| w.of),
        lead_in_s: plan.lead_in.as_secs_f64(),
        total_s: plan.total().as_secs_f64(),
        tut_s: plan.tut().as_secs_f64(),
        blocks: plan.blocks.iter().map(block_json).collect(),
        cues: plan
            .cues
            .iter()
            .map(|c| CueJson {
                offset_s: c.offset.as_secs_f64(),
                kind: c.kind.name(),
                block: c.block,
                set: c.set,
                rep: c.rep,
                side: c.side.name(),
                count: match c.kind {
                    CueKind::Countdown(n) => Some(n),
                    _ => None,
                },
            })
            .collect(),
    };
    serde_json::to_string_pretty(&doc).expect("the plan document always serialises")
}

fn block_json(b: &PlannedBlock) -> BlockJson<'_> {
    let (reps, tempo, start_phase, eccentric_only) = match b.work {
        PlannedWork::Reps {
            reps,
            tempo,
            start,
            eccentric_only,
            ..
        } => (
            Some(reps),
            Some(tempo.to_string()),
            Some(match start {
                StartPhase::Eccentric => "eccentric",
                StartPhase::Concentric => "concentric",
            }),
            Some(eccentric_only),
        ),
        _ => (None, None, None, None),
    };
    BlockJson {
        exercise: &b.exercise,
        kind: b.work.kind(),
        sets: b.sets,
        reps,
        tempo,
        start_phase,
        eccentric_only,
        hold_s: match b.work {
            PlannedWork::Hold(len) => Some(len.as_secs_f64()),
            _ => None,
        },
        cadence_bpm: match b.work {
            PlannedWork::Cadence { bpm, .. } => Some(bpm),
            _ => None,
        },
        duration_s: b.set_time().as_secs_f64(),
        side_work_s: b.set_work.as_secs_f64(),
        rest_s: b.rest.as_secs_f64(),
        rest_after_s: b.rest_after.as_secs_f64(),
        switch_s: (b.arrangement() == Sides::Each).then(|| b.switch.as_secs_f64()),
        sides: b.sides.name(),
        side: b.side.map(Side::name),
        load: b.load.map(|l| l.to_string()),
        tut_s: b.tut.as_secs_f64(),
        start_s: b.start.as_secs_f64(),
        end_s: b.end.as_secs_f64(),
        notes: b.notes.as_deref(),
    }
}

/// What one set asks for, in words: "6 reps", "45 s hold", "20 s at 150/min".
fn work_text(b: &PlannedBlock) -> String {
    match b.work {
        PlannedWork::Reps { reps, .. } => format!("{reps} reps"),
        PlannedWork::Hold(len) => format!("{} hold", secs_text(len)),
        PlannedWork::Cadence { bpm, duration } => {
            format!("{} at {}/min", secs_text(duration), trim_float(bpm))
        }
    }
}

fn secs_text(span: Span) -> String {
    if span < Span::from_secs(60) {
        format!("{} s", span.decimal_secs())
    } else {
        span.to_string()
    }
}

fn trim_float(v: f64) -> String {
    let text = format!("{v:.1}");
    text.strip_suffix(".0").unwrap_or(&text).to_owned()
}

fn sides_text(sides: Sides) -> &'static str {
    match sides {
        Sides::Both => "both",
        Sides::Alternate => "alternate",
        Sides::Each => "each side",
        Sides::Only(side) => side.name(),
    }
}

/// "3 sessions a week for 12 weeks".
#[must_use]
pub fn program_text(preset: &Preset) -> Option<String> {
    let program = preset.program.as_ref()?;
    let often = match program.frequency {
        Some(Frequency::SessionsPerWeek(n)) => format!("{n} sessions a week "),
        Some(Frequency::Daily {
            times_per_day,
            days_per_week,
        }) => format!("{times_per_day} times a day, {days_per_week} days a week, "),
        None => String::new(),
    };
    Some(format!("{often}for {} weeks", program.weeks))
}

/// Appends `text` as a line, without trailing blanks.
fn push_line(out: &mut String, text: &str) {
    out.push_str(text.trim_end());
    out.push('\n');
}

/// The readable plan: header, week table, blocks and totals, then the description.
#[must_use]
pub fn plan_text(preset: &Preset, plan: &Plan, week_note: &str) -> String {
    let mut out = String::new();
    push_line(&mut out, &format!("{} · {}", plan.preset, plan.name));
    push_line(&mut out, &format!("source: {}", plan.source));
    if let Some(program) = program_text(preset) {
        push_line(&mut out, &format!("program: {program}"));
    }
    if let Some(week) = plan.week {
        push_line(
            &mut out,
            &format!("week {} of {} ({week_note})", week.number, week.of),
        );
        push_line(&mut out, "");
        push_line(&mut out, "week table (applies to every reps block):");
        for row in &preset.week_table {
            let mark = if row.weeks.contains(&week.number) {
                ">"
            } else {
                " "
            };
            let sets = row.sets.map_or("-".to_owned(), |s| s.to_string());
            let reps = row.reps.map_or("-".to_owned(), |r| r.to_string());
            let load = row.load.map(|l| l.to_string()).unwrap_or_default();
            push_line(
                &mut out,
                &format!(
                    "{mark} {:<11} {sets} x {reps:<4} {load}",
                    show_weeks(&row.weeks)
                ),
            );
        }
    }
    push_line(&mut out, "");
    blocks_table(&mut out, plan);
    push_line(&mut out, "");
    let sets: u32 = plan.blocks.iter().map(|b| b.sets).sum();
    let side_sets = plan
        .segments
        .iter()
        .filter(|s| s.kind == SegmentKind::SetEnd)
        .count();
    let sets_text = if side_sets == sets as usize {
        format!("{sets} sets")
    } else {
        format!("{sets} sets ({side_sets} counting each side)")
    };
    push_line(
        &mut out,
        &format!(
            "total {} (lead-in {}) · time under tension {} · {sets_text} · {} cues",
            plan.total().clock(),
            secs_text(plan.lead_in),
            plan.tut().clock(),
            plan.cues.len()
        ),
    );
    push_line(&mut out, "");
    for text in wrap(&preset.description, 88) {
        push_line(&mut out, &text);
    }
    // Lines are already escaped cell by cell in the table; this catches the rest.
    crate::text::escape(&out).into_owned()
}

/// One row a block, in aligned columns.
fn blocks_table(out: &mut String, plan: &Plan) {
    let header = [
        "#", "exercise", "sets", "each set", "tempo", "sides", "rest", "load", "time", "TUT",
    ];
    let rows: Vec<[String; 10]> = plan
        .blocks
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let tempo = match b.work {
                PlannedWork::Reps { tempo, .. } => tempo.to_string(),
                _ => "-".to_owned(),
            };
            let rest = if b.rest_after == b.rest || i + 1 == plan.blocks.len() {
                b.rest.clock()
            } else {
                format!("{}, then {}", b.rest.clock(), b.rest_after.clock())
            };
            [
                (i + 1).to_string(),
                b.exercise.clone(),
                b.sets.to_string(),
                work_text(b),
                tempo,
                sides_text(b.arrangement()).to_owned(),
                rest,
                b.load.map_or("-".to_owned(), |l| l.to_string()),
                (b.end - b.start).clock(),
                b.tut.clock(),
            ]
        })
        .collect();
    out.push_str(&aligned(&header, &rows));
}

/// `header` and `rows` in columns two spaces apart, each line without trailing blanks.
/// Cells are shown with [`crate::text::escape_cell`]: one row stays one line.
#[must_use]
pub fn aligned<const N: usize>(header: &[&str; N], rows: &[[String; N]]) -> String {
    let rows: Vec<[String; N]> = rows
        .iter()
        .map(|row| {
            row.clone()
                .map(|cell| crate::text::escape_cell(&cell).into_owned())
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let head = header.map(str::to_owned);
    for cells in std::iter::once(&head).chain(&rows) {
        let line = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join("  ");
        push_line(&mut out, &line);
    }
    out
}

/// One line of `presets`: id, stage, name, total time, source, and where it came from.
#[must_use]
pub fn preset_line(
    preset: &Preset,
    origin: &Origin,
    total: Span,
    widths: (usize, usize),
) -> String {
    let stage = preset
        .stage
        .map_or("-".to_owned(), |s| format!("stage {}", s.number()));
    let marker = match origin {
        Origin::Builtin => String::new(),
        Origin::User(path) | Origin::File(path) => format!("  [user: {}]", path.display()),
    };
    let (id_w, name_w) = widths;
    let line = format!(
        "{:<id_w$}  {stage:<7}  {:<name_w$}  {:>8}  {}{marker}",
        preset.id,
        preset.name,
        total.clock(),
        preset.source_short(),
    );
    crate::text::escape_cell(&line).into_owned()
}

/// Greedy word wrap at `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_cells_cannot_reach_the_terminal_raw() {
        let rows = [["\x1b]52;c;cHduZWQ=\x07".to_owned(), "two\nlines".to_owned()]];
        let text = aligned(&["a", "b"], &rows);
        assert_eq!(
            text,
            "a                   b\n^[]52;c;cHduZWQ=^G  two↵lines\n"
        );
    }

    #[test]
    fn wraps_at_word_boundaries() {
        assert_eq!(wrap("aa bb cc dd", 5), ["aa bb", "cc dd"]);
        assert_eq!(wrap("  one\ntwo  ", 80), ["one two"]);
        assert!(wrap("", 10).is_empty());
    }
}
