//! The home screen (`reptempo` on a terminal): the presets with stage and session time,
//! the highlighted preset's blocks as they would run, the coach's decisions for it, and
//! the recent sessions from the log. Enter starts the highlighted preset with what was
//! chosen here: the programme week (`w`/`W`) and, for a preset with sided blocks, the
//! side (`s`), exactly as `--week` and `--side` would.
//!
//! Every choice rebuilds the preset's plan, so the time shown and the blocks previewed
//! are the ones the session will run, not the preset's defaults. The screen is made of
//! sections that are shown whole or not at all, in a fixed order of importance (the
//! list, the line of what Enter starts, the blocks, the keys, the advice, then the
//! preview's heading, the advice's rule lines, more of the list, the recent sessions,
//! the title); a section with a shorter form (the advice on one line an exercise) takes
//! that first and grows when rows are left over (`Home::place`).

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Span as TextSpan;
use ratatui::widgets::Widget;

use super::view::pack;
use crate::coach;
use crate::log::history::PastSession;
use crate::plan::{Overrides, Plan, PlannedBlock, PlannedWork};
use crate::preset::{Preset, Side, Sides};
use crate::text::escape_cell;

/// Whether the coach's advice shows (`--no-advice` turns it off).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coach {
    On,
    Off,
}

/// The week the log puts a person in, or the one chosen with `w`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramWeek {
    pub week: u32,
    pub of: u32,
    /// Why this week: what the log says, or "chosen with w".
    pub why: String,
}

/// One preset as listed, with what is chosen for it.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub preset: Preset,
    /// `None` for a preset without a week table.
    pub program: Option<ProgramWeek>,
    /// `--side`: `None` lays the sides out as the preset does.
    pub side: Option<Side>,
    /// The plan of the current choice: its time and blocks are what the screen shows.
    /// `None` when the preset cannot be planned (the catalogue already drops those).
    pub plan: Option<Plan>,
    /// The coach's decisions for the preset (`None` with [`Coach::Off`]).
    pub advice: Option<coach::Advice>,
}

impl Row {
    /// Whether any block is done one side at a time: only then does `s` pick a side.
    #[must_use]
    pub fn is_sided(&self) -> bool {
        self.preset.blocks.iter().any(|b| b.sides != Sides::Both)
    }

    /// Plans the preset for the current week and side.
    fn replan(&mut self) {
        let overrides = Overrides {
            week: self.program.as_ref().map(|p| p.week),
            side: self.side,
            ..Overrides::default()
        };
        self.plan = Plan::build(&self.preset, &overrides).ok();
    }
}

/// The home screen's state.
#[derive(Clone, Debug, PartialEq)]
pub struct Home {
    pub rows: Vec<Row>,
    pub recent: Vec<PastSession>,
    pub selected: usize,
    pub coach: Coach,
}

/// What to start: the preset, and the week and side as `--week` and `--side` take them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pick {
    pub preset: String,
    pub week: Option<u32>,
    pub side: Option<Side>,
}

/// What a key on the home screen asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Choice {
    Stay,
    Start(Pick),
    Leave,
}

/// The side after `side` when `s` is pressed: as the preset lays them out, then one
/// side only (left, right), then both at once, and round again.
#[must_use]
pub const fn next_side(side: Option<Side>) -> Option<Side> {
    match side {
        None => Some(Side::Left),
        Some(Side::Left) => Some(Side::Right),
        Some(Side::Right) => Some(Side::Both),
        Some(Side::Both) => None,
    }
}

impl Home {
    /// The home screen for `catalog`, with the programme week, the coach's advice and
    /// the recent sessions that the log's validated `entries` give on `today`.
    #[must_use]
    pub fn new(
        catalog: &crate::preset::Catalog,
        entries: &[crate::log::Entry],
        today: Option<jiff::civil::Date>,
        coach: Coach,
    ) -> Home {
        let rows = catalog
            .iter()
            .map(|(preset, _)| {
                let program = today
                    .and_then(|today| crate::log::history::next_week(entries, preset, today))
                    .zip(preset.program_weeks())
                    .map(|(next, of)| ProgramWeek {
                        week: next.week,
                        of,
                        why: next.to_string(),
                    });
                let advice = today
                    .filter(|_| coach == Coach::On)
                    .map(|today| coach::decide(preset, entries, today));
                let mut row = Row {
                    preset: preset.clone(),
                    program,
                    side: None,
                    plan: None,
                    advice,
                };
                row.replan();
                row
            })
            .collect();
        Home {
            rows,
            recent: crate::log::history::recent_sessions(entries, 5),
            selected: 0,
            coach,
        }
    }

    /// Puts the cursor on the preset `id`, when it is listed.
    pub fn select(&mut self, id: &str) {
        if let Some(i) = self.rows.iter().position(|r| r.preset.id == id) {
            self.selected = i;
        }
    }

    /// Back from a session that was quit: the cursor on its preset, with its week and
    /// side as they were picked, so that Enter starts the same session again.
    pub fn restore(&mut self, pick: &Pick) {
        self.select(&pick.preset);
        let Some(row) = self.rows.get_mut(self.selected) else {
            return;
        };
        if row.preset.id != pick.preset {
            return;
        }
        if let (Some(p), Some(week)) = (row.program.as_mut(), pick.week)
            && p.week != week
            && (1..=p.of).contains(&week)
        {
            p.week = week;
            "as picked before".clone_into(&mut p.why);
        }
        row.side = pick.side.filter(|_| row.is_sided());
        row.replan();
    }

    /// One pure decision per key.
    pub fn key(&mut self, key: KeyEvent) -> Choice {
        let n = self.rows.len().max(1);
        let row = self.rows.get_mut(self.selected);
        match key.code {
            KeyCode::Down | KeyCode::Char('j') => self.selected = (self.selected + 1) % n,
            KeyCode::Up | KeyCode::Char('k') => self.selected = (self.selected + n - 1) % n,
            KeyCode::Char(c @ ('w' | 'W')) => {
                if let Some(row) = row
                    && let Some(p) = row.program.as_mut()
                {
                    p.week = if c == 'w' {
                        p.week % p.of + 1
                    } else {
                        (p.week + p.of - 2) % p.of + 1
                    };
                    "chosen with w".clone_into(&mut p.why);
                    row.replan();
                }
            }
            KeyCode::Char('s') => {
                if let Some(row) = row.filter(|r| r.is_sided()) {
                    row.side = next_side(row.side);
                    row.replan();
                }
            }
            KeyCode::Enter => {
                if let Some(row) = row {
                    return Choice::Start(Pick {
                        preset: row.preset.id.clone(),
                        week: row.program.as_ref().map(|p| p.week),
                        side: row.side,
                    });
                }
            }
            KeyCode::Char('q') | KeyCode::Esc => return Choice::Leave,
            _ => {}
        }
        Choice::Stay
    }
}

// ---- the view ----

/// The disclaimer that goes with the coach's advice wherever it shows (and stands alone
/// when the advice is off), most important words first: the rest drops on a narrow
/// screen.
const DISCLAIMER: [(u8, &str); 2] = [
    (0, "not medical advice"),
    (1, "see a clinician if pain keeps rising"),
];

fn disclaimer(width: usize) -> Text {
    (
        format!(
            " {}",
            pack(
                &DISCLAIMER.map(|(r, t)| (r, t.to_owned())),
                " · ",
                width - 1
            )
        ),
        Style::default().add_modifier(Modifier::ITALIC),
    )
}

/// A line of the screen and how it looks.
type Text = (String, Style);

fn plain(text: String) -> Text {
    (text, Style::default())
}

fn width_of(text: &str) -> usize {
    TextSpan::raw(text).width()
}

/// `text` cut to `width` columns, with `…` where it was cut.
fn fit(text: &str, width: usize) -> String {
    if width_of(text) <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    for c in text.chars() {
        if width_of(&out) + width_of(&c.to_string()) + 1 > width {
            break;
        }
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// A section's heading: a rule with its title, as the boxes elsewhere have.
fn heading(title: &str, width: usize) -> Text {
    let text = fit(&format!("── {title} "), width);
    let rule = "─".repeat(width.saturating_sub(width_of(&text)));
    (text + &rule, Style::default().add_modifier(Modifier::DIM))
}

/// What one set asks for: `4 x 12`, `5 x 45s hold`, `3 x 20s at 170/min`.
fn work_text(b: &PlannedBlock) -> String {
    match b.work {
        PlannedWork::Reps { reps, .. } => format!("{} x {reps}", b.sets),
        PlannedWork::Hold(len) => format!("{} x {len} hold", b.sets),
        PlannedWork::Cadence { bpm, duration } => {
            let bpm = format!("{bpm:.1}");
            let bpm = bpm.strip_suffix(".0").unwrap_or(&bpm);
            format!("{} x {duration} at {bpm}/min", b.sets)
        }
    }
}

/// The blocks as aligned lines in `width` columns. The columns are in order of
/// importance (exercise, sets x work, load, side, tempo, rest): the last drop whole
/// until the rest fit; the exercise's name is cut last.
fn preview_lines(blocks: &[PlannedBlock], width: usize) -> Vec<String> {
    let rows: Vec<[String; 6]> = blocks
        .iter()
        .map(|b| {
            [
                escape_cell(&b.exercise).into_owned(),
                work_text(b),
                b.load.map(|l| l.to_string()).unwrap_or_default(),
                match b.arrangement() {
                    Sides::Both => String::new(),
                    Sides::Each => "each side".to_owned(),
                    other => other.name().to_owned(),
                },
                match b.work {
                    PlannedWork::Reps { tempo, .. } => format!("tempo {tempo}"),
                    _ => String::new(),
                },
                format!("rest {}", b.rest.clock()),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..6)
        .map(|c| rows.iter().map(|r| width_of(&r[c])).max().unwrap_or(0))
        .collect();
    // An empty column (no load anywhere) takes no room.
    let mut shown: Vec<bool> = widths.iter().map(|w| *w > 0).collect();
    let total = |shown: &[bool]| -> usize {
        let cols: Vec<usize> = (1..6).filter(|&c| shown[c]).map(|c| widths[c]).collect();
        // One space before the exercise, two between columns.
        1 + widths[0].min(20) + cols.iter().map(|w| w + 2).sum::<usize>()
    };
    for c in (1..6).rev() {
        if total(&shown) <= width {
            break;
        }
        shown[c] = false;
    }
    let others: usize = (1..6).filter(|&c| shown[c]).map(|c| widths[c] + 2).sum();
    let name_width = widths[0].min(width.saturating_sub(1 + others));
    rows.iter()
        .map(|r| {
            let mut line = format!(" {}", pad(&fit(&r[0], name_width), name_width));
            for c in (1..6).filter(|&c| shown[c]) {
                line.push_str("  ");
                line.push_str(&pad(&r[c], widths[c]));
            }
            fit(line.trim_end(), width)
        })
        .collect()
}

fn pad(text: &str, width: usize) -> String {
    let fill = width.saturating_sub(width_of(text));
    format!("{text}{}", " ".repeat(fill))
}

/// A decision's words: `Bilateral squat: PROGRESS +5% -> 105kg`, the exercise's name cut
/// so that the decision itself always fits.
fn decision_line(d: &coach::Decision, width: usize) -> String {
    let side = if d.side == Side::Both.name() {
        String::new()
    } else {
        format!(" ({})", escape_cell(&d.side))
    };
    let what = match (&d.change, &d.stage, &d.load) {
        (_, Some(stage), _) => format!(" -> {}", escape_cell(stage)),
        (Some(change), _, Some(load)) => format!(" {} -> {load}", escape_cell(change)),
        (Some(change), _, None) => format!(" {}", escape_cell(change)),
        (None, _, Some(load)) => format!(" at {load}"),
        (None, _, None) => String::new(),
    };
    let tail = format!("{side}: {}{what}", d.decision.name().to_uppercase());
    let name = fit(
        &escape_cell(&d.exercise),
        width.saturating_sub(1 + width_of(&tail)),
    );
    fit(&format!(" {name}{tail}"), width)
}

/// The advice section's forms, fullest first: each decision with its rule on a line of
/// its own, then one line a decision with the rule where it fits, then that without the
/// heading (the usual form). The disclaimer is part of every form, so it shows wherever
/// advice does.
fn advice_forms(advice: &coach::Advice, width: usize) -> Forms {
    // Not the coach's programme week: the one chosen here is on the choice line.
    let title = "coach: next time";
    if advice.exercises.is_empty() {
        let none = plain(fit(
            &format!(
                " no training sets of {} in the log yet: nothing to advise",
                escape_cell(&advice.preset)
            ),
            width,
        ));
        return Forms::new(
            vec![vec![heading(title, width), none.clone()], vec![none]],
            1,
        );
    }
    let full: Vec<Text> = advice
        .exercises
        .iter()
        .flat_map(|d| {
            [
                plain(decision_line(d, width)),
                (
                    fit(&format!("   rule: {}", escape_cell(&d.rule)), width),
                    Style::default().add_modifier(Modifier::DIM),
                ),
            ]
        })
        .collect();
    let compact: Vec<Text> = advice
        .exercises
        .iter()
        .map(|d| {
            let line = decision_line(d, width);
            let rule = format!(" ({})", escape_cell(&d.rule));
            // The rule's name goes on the line only whole-ish: at least a word of it.
            if width_of(&line) + 12 <= width {
                plain(fit(&(line + &rule), width))
            } else {
                plain(line)
            }
        })
        .collect();
    let form = |lines: &[Text], title: Option<&str>| -> Vec<Text> {
        let mut out: Vec<Text> = title.map(|t| heading(t, width)).into_iter().collect();
        out.extend_from_slice(lines);
        out.push(disclaimer(width));
        out
    };
    Forms::new(
        vec![
            form(&full, Some(title)),
            form(&compact, Some(title)),
            form(&compact, None),
        ],
        2,
    )
}

/// The choice line: the programme week and why, the session's time and the side, for
/// the highlighted preset; what Enter starts.
fn choice_line(row: &Row, width: usize) -> String {
    let mut items: Vec<(u8, String)> = Vec::new();
    if let Some(p) = &row.program {
        items.push((0, format!("week {} of {}", p.week, p.of)));
    }
    if let Some(plan) = &row.plan {
        items.push((1, plan.total().clock()));
    }
    if row.is_sided() {
        items.push((
            2,
            match row.side {
                None => "sides as the preset lays them out".to_owned(),
                Some(Side::Both) => "side: both at once".to_owned(),
                Some(side) => format!("side: {} only", side.name()),
            },
        ));
    }
    let line = format!(" {}", pack(&items, " · ", width - 1));
    // Why this week goes right after it, when there is room for it whole.
    match &row.program {
        Some(p) => {
            let week = format!("week {} of {}", p.week, p.of);
            let with_why = line.replacen(&week, &format!("{week} ({})", escape_cell(&p.why)), 1);
            if width_of(&with_why) <= width {
                with_why
            } else {
                line
            }
        }
        None => line,
    }
}

impl Home {
    fn help_line(&self, width: usize) -> String {
        let row = self.rows.get(self.selected);
        let mut items = vec![(0, "↑↓ choose".to_owned()), (0, "Enter start".to_owned())];
        if row.is_some_and(|r| r.program.is_some()) {
            items.push((1, "w week".to_owned()));
        }
        if row.is_some_and(Row::is_sided) {
            items.push((1, "s side".to_owned()));
        }
        items.push((0, "q quit".to_owned()));
        format!(" {}", pack(&items, "  ", width - 1))
    }

    fn list_line(&self, i: usize, row: &Row, width: usize) -> Text {
        let stage = row
            .preset
            .stage
            .map_or("  ".to_owned(), |s| format!("S{}", s.number()));
        let total = row
            .plan
            .as_ref()
            .map_or_else(|| "-".to_owned(), |p| p.total().clock());
        let text = format!(
            " {:<14} {stage} {total:>8}  {}",
            escape_cell(&row.preset.id),
            escape_cell(&row.preset.name)
        );
        let text = pad(&fit(&text, width), width);
        if i == self.selected {
            (text, Style::default().add_modifier(Modifier::REVERSED))
        } else {
            plain(text)
        }
    }

    fn recent_lines(&self, width: usize) -> Vec<Text> {
        if self.recent.is_empty() {
            return vec![plain(" nothing logged yet".to_owned())];
        }
        self.recent
            .iter()
            .map(|s| {
                let pain = s
                    .max_pain
                    .map(|p| format!(", pain {p}"))
                    .unwrap_or_default();
                let plural = if s.sets == 1 { "" } else { "s" };
                plain(fit(
                    &format!(
                        " {}  {}  {} set{plural}{pain}",
                        escape_cell(&s.date),
                        escape_cell(&s.preset),
                        s.sets
                    ),
                    width,
                ))
            })
            .collect()
    }

    /// The preview's forms, fullest first: the heading and every block, then the blocks
    /// alone (the usual form), then fewer blocks and how many more there are.
    fn preview_forms(row: &Row, width: usize) -> Forms {
        let Some(plan) = &row.plan else {
            return Forms::new(vec![vec![plain(" cannot plan this preset".to_owned())]], 0);
        };
        let week = plan
            .week
            .map(|w| format!(", week {}", w.number))
            .unwrap_or_default();
        let side = row
            .side
            .map(|s| format!(", {}", s.name()))
            .unwrap_or_default();
        let title = format!(
            "{}{week}{side}: {}, {} under tension",
            escape_cell(&plan.preset),
            plan.total().clock(),
            plan.tut().clock()
        );
        let lines: Vec<Text> = preview_lines(&plan.blocks, width)
            .into_iter()
            .map(plain)
            .collect();
        let mut forms = vec![
            std::iter::once(heading(&title, width))
                .chain(lines.iter().cloned())
                .collect(),
            lines.clone(),
        ];
        for shown in (1..lines.len()).rev() {
            let mut form = lines[..shown].to_vec();
            let more = lines.len() - shown;
            let plural = if more == 1 { "" } else { "s" };
            form.push(plain(format!(" … {more} more block{plural}")));
            forms.push(form);
        }
        Forms::new(forms, 1)
    }
}

/// The rows of the screen not yet given to a section.
struct Budget(u16);

impl Budget {
    /// Takes `h` rows if there are that many left.
    fn take(&mut self, h: usize) -> bool {
        match u16::try_from(h) {
            Ok(h) if h <= self.0 => {
                self.0 -= h;
                true
            }
            _ => false,
        }
    }
}

/// A section's forms, fullest first. From `base` on they are the forms it takes first;
/// the ones before are what it grows into when rows are left over.
struct Forms {
    each: Vec<Vec<Text>>,
    base: usize,
    chosen: Option<usize>,
}

impl Forms {
    fn new(forms: Vec<Vec<Text>>, base: usize) -> Forms {
        Forms {
            each: forms,
            base,
            chosen: None,
        }
    }

    /// The first pass: the fullest of the forms from `base` on that fits.
    fn settle(&mut self, rows: &mut Budget) {
        self.chosen = (self.base..self.each.len()).find(|&i| rows.take(self.each[i].len()));
    }

    /// The second pass: a fuller form, when the rows left allow it.
    fn grow(&mut self, rows: &mut Budget) {
        let Some(c) = self.chosen else { return };
        let now = self.each[c].len();
        if let Some(j) = (0..c).find(|&j| rows.take(self.each[j].len().saturating_sub(now))) {
            self.chosen = Some(j);
        }
    }

    fn lines(mut self) -> Vec<Text> {
        self.chosen
            .map(|c| self.each.swap_remove(c))
            .unwrap_or_default()
    }
}

/// Where each section goes, top to bottom.
struct Placed {
    title: bool,
    list: u16,
    choice: bool,
    preview: Vec<Text>,
    advice: Vec<Text>,
    recent: Vec<Text>,
    help: bool,
}

impl Home {
    /// Gives the rows to the sections in their order of importance, twice: first each
    /// its usual form (or a smaller one, or nothing), then what is left to fuller forms
    /// in the same order; then the list grows, the recent sessions get the rest, and the
    /// title comes last.
    fn place(&self, area: Rect) -> Placed {
        let width = usize::from(area.width);
        let mut rows = Budget(area.height);
        let n = self.rows.len();
        let list_min = n.clamp(1, 3);
        rows.take(list_min);
        let row = self.rows.get(self.selected);
        let choice = row.is_some() && rows.take(1);
        let mut preview = match row {
            Some(r) => Self::preview_forms(r, width),
            None => Forms::new(Vec::new(), 0),
        };
        preview.settle(&mut rows);
        let help = rows.take(1);
        let mut advice = match (self.coach, row.and_then(|r| r.advice.as_ref())) {
            (Coach::On, Some(advice)) => advice_forms(advice, width),
            (Coach::On, None) => Forms::new(Vec::new(), 0),
            // Without advice the disclaimer still shows, where the advice would be.
            (Coach::Off, _) => Forms::new(vec![vec![disclaimer(width)]], 0),
        };
        advice.settle(&mut rows);
        preview.grow(&mut rows);
        advice.grow(&mut rows);
        let extra = (n - list_min).min(usize::from(rows.0));
        rows.take(extra);
        let recent = self.recent_lines(width);
        let recent = (1..=recent.len())
            .rev()
            .find(|&k| rows.take(k + 1))
            .map(|k| {
                let mut lines = vec![heading("recent sessions", width)];
                lines.extend_from_slice(&recent[..k]);
                lines
            })
            .unwrap_or_default();
        let title = rows.take(1);
        Placed {
            title,
            list: u16::try_from(list_min + extra).unwrap_or(u16::MAX),
            choice,
            preview: preview.lines(),
            advice: advice.lines(),
            recent,
            help,
        }
    }
}

impl Widget for &Home {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width < 40 || area.height < 12 {
            buf.set_stringn(
                area.x,
                area.y,
                "terminal too small: need 40x12",
                usize::from(area.width),
                Style::default(),
            );
            return;
        }
        let width = usize::from(area.width);
        let placed = self.place(area);
        let mut y = area.y;
        let mut line = |(text, style): &Text, y: &mut u16| {
            buf.set_stringn(area.x, *y, text, width, *style);
            *y += 1;
        };
        if placed.title {
            line(
                &(
                    " reptempo · pick a session".to_owned(),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                &mut y,
            );
        }
        let visible = usize::from(placed.list);
        let first = self.selected.saturating_sub(visible.saturating_sub(1));
        for (i, row) in self.rows.iter().enumerate().skip(first).take(visible) {
            line(&self.list_line(i, row, width), &mut y);
        }
        y = y.max(area.y + u16::from(placed.title) + placed.list);
        if let Some(row) = self.rows.get(self.selected).filter(|_| placed.choice) {
            line(&plain(choice_line(row, width)), &mut y);
        }
        for text in placed
            .preview
            .iter()
            .chain(&placed.advice)
            .chain(&placed.recent)
        {
            line(text, &mut y);
        }
        if placed.help {
            let help = (
                self.help_line(width),
                Style::default().add_modifier(Modifier::DIM),
            );
            let mut bottom = area.y + area.height - 1;
            line(&help, &mut bottom);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crossterm::event::KeyModifiers;
    use serde_json::{Value, json};

    use super::*;
    use crate::log::Entry;
    use crate::preset::Catalog;

    const TODAY: &str = "2026-11-21";

    /// A session of `sets` sets of one exercise on `date`, each set with `extra`.
    fn session(date: &str, preset: &str, exercise: &str, sets: u32, extra: &Value) -> Vec<String> {
        let start = format!("{date}T18:00:00+01:00");
        (1..=sets)
            .map(|set| {
                let mut v = json!({
                    "kind": "set", "v": 1, "start": start, "end": start, "preset": preset,
                    "exercise": exercise, "side": "both", "set": set, "sets": sets,
                    "planned_reps": 15, "done_reps": 15, "hold_s": null, "tempo": "3-0-3-0",
                    "tut_s": 90.0, "load": {"value": 80.0, "unit": "kg"}, "pain": 1,
                    "rpe": 6.0, "note": null, "status": "done", "session": start, "week": 1,
                });
                for (k, x) in extra.as_object().unwrap() {
                    v[k] = x.clone();
                }
                v.to_string()
            })
            .collect()
    }

    fn entries(lines: &[String]) -> Vec<Entry> {
        let text = lines.join("\n") + "\n";
        let now = "2030-01-01T00:00:00Z".parse().unwrap();
        let (entries, warnings) =
            crate::log::store::parse_lines(Path::new("t"), text.as_bytes(), now);
        assert!(warnings.is_empty(), "{warnings:?}");
        entries
    }

    /// A log with one hsr session (every set done at RPE 6, pain 1) and one session of
    /// alfredson's first exercise on the left.
    fn log() -> Vec<Entry> {
        let mut lines = Vec::new();
        for exercise in ["Bilateral squat", "Hack squat", "Leg press"] {
            lines.extend(session("2026-11-19", "hsr", exercise, 4, &json!({})));
        }
        lines.extend(session(
            "2026-11-20",
            "alfredson",
            "Eccentric heel drop, straight knee",
            3,
            &json!({"side": "left", "tempo": "3-0-2-0", "pain": 3, "rpe": null, "week": null,
                    "load": {"value": null, "unit": "bodyweight"}}),
        ));
        entries(&lines)
    }

    fn home(entries: &[Entry], coach: Coach) -> Home {
        let catalog = Catalog::load(None).0;
        Home::new(&catalog, entries, Some(TODAY.parse().unwrap()), coach)
    }

    fn press(home: &mut Home, code: KeyCode) -> Choice {
        home.key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn row<'h>(home: &'h Home, id: &str) -> &'h Row {
        home.rows.iter().find(|r| r.preset.id == id).unwrap()
    }

    fn total(home: &Home, id: &str) -> String {
        row(home, id).plan.as_ref().unwrap().total().clock()
    }

    // The widget's screen as text, read the one way every screen test reads it.
    use crate::tui::rendered as render;

    const SIZES: [(u16, u16); 3] = [(120, 40), (80, 24), (40, 12)];

    #[test]
    fn w_changes_the_week_and_the_time_shown_with_it() {
        let mut h = home(&[], Coach::On);
        h.select("hsr");
        // Week 1 (nothing logged): 4 x 15; week 2: 4 x 12, 4 x 3 x 6 s = 72 s less a
        // block.
        assert_eq!(row(&h, "hsr").program.as_ref().unwrap().week, 1);
        assert_eq!(total(&h, "hsr"), "51:05");
        assert!(render(&h, 80, 24).contains("51:05"));
        press(&mut h, KeyCode::Char('w'));
        let program = row(&h, "hsr").program.clone().unwrap();
        assert_eq!((program.week, program.why.as_str()), (2, "chosen with w"));
        assert_eq!(total(&h, "hsr"), "47:29");
        let screen = render(&h, 80, 24);
        assert!(
            screen.contains("47:29") && !screen.contains("51:05"),
            "{screen}"
        );
        assert!(screen.contains("4 x 12"), "{screen}");
        // W goes back, and round: from week 1 back is week 12.
        press(&mut h, KeyCode::Char('W'));
        press(&mut h, KeyCode::Char('W'));
        assert_eq!(row(&h, "hsr").program.as_ref().unwrap().week, 12);
        assert!(render(&h, 80, 24).contains("4 x 6"));
    }

    #[test]
    fn s_cycles_the_side_only_for_sided_presets() {
        let mut h = home(&[], Coach::On);
        h.select("hsr");
        press(&mut h, KeyCode::Char('s'));
        assert_eq!(row(&h, "hsr").side, None);
        assert!(!render(&h, 80, 24).contains("s side"));
        h.select("alfredson");
        let each_side = total(&h, "alfredson");
        let mut seen = Vec::new();
        for _ in 0..4 {
            press(&mut h, KeyCode::Char('s'));
            seen.push(row(&h, "alfredson").side);
        }
        assert_eq!(
            seen,
            [Some(Side::Left), Some(Side::Right), Some(Side::Both), None]
        );
        press(&mut h, KeyCode::Char('s'));
        // One side only: half the side-sets, no switches.
        assert_ne!(total(&h, "alfredson"), each_side);
        let screen = render(&h, 80, 24);
        assert!(screen.contains("side: left only"), "{screen}");
        assert!(screen.contains("s side"), "{screen}");
    }

    #[test]
    fn enter_starts_the_preset_with_the_week_and_side_chosen() {
        let mut h = home(&log(), Coach::On);
        h.select("hsr");
        // The log puts hsr in week 1 still (one session of three); w makes it 2.
        press(&mut h, KeyCode::Char('w'));
        let week = row(&h, "hsr").program.as_ref().unwrap().week;
        assert_eq!(
            press(&mut h, KeyCode::Enter),
            Choice::Start(Pick {
                preset: "hsr".to_owned(),
                week: Some(week),
                side: None,
            })
        );
        h.select("alfredson");
        press(&mut h, KeyCode::Char('s'));
        press(&mut h, KeyCode::Char('s'));
        assert_eq!(
            press(&mut h, KeyCode::Enter),
            Choice::Start(Pick {
                preset: "alfredson".to_owned(),
                week: None,
                side: Some(Side::Right),
            })
        );
        assert_eq!(press(&mut h, KeyCode::Char('q')), Choice::Leave);
    }

    #[test]
    fn back_from_a_quit_session_the_pick_is_as_it_was() {
        let pick = Pick {
            preset: "alfredson".to_owned(),
            week: None,
            side: Some(Side::Right),
        };
        let mut h = home(&log(), Coach::On);
        h.restore(&pick);
        assert_eq!(press(&mut h, KeyCode::Enter), Choice::Start(pick));
        let hsr = Pick {
            preset: "hsr".to_owned(),
            week: Some(5),
            side: None,
        };
        h.restore(&hsr);
        // Week 5: 4 x 10, 5 reps of 6 s fewer a set than week 1 in 12 sets: 6:00 less.
        assert_eq!(total(&h, "hsr"), "45:05");
        assert_eq!(press(&mut h, KeyCode::Enter), Choice::Start(hsr));
    }

    #[test]
    fn advice_is_the_coachs_from_training_sets_only_and_off_with_no_advice() {
        let h = home(&log(), Coach::On);
        let advice = row(&h, "hsr").advice.clone().unwrap();
        assert_eq!(
            advice,
            coach::decide(&row(&h, "hsr").preset, &log(), TODAY.parse().unwrap())
        );
        assert_eq!(advice.exercises.len(), 3);
        assert!(
            advice
                .exercises
                .iter()
                .all(|d| d.decision == coach::Kind::Progress)
        );
        let screen = render(&h, 120, 40);
        assert!(screen.contains("Bilateral squat: PROGRESS"), "{screen}");
        assert!(
            screen.contains(&format!("rule: {}", advice.exercises[0].rule)),
            "{screen}"
        );
        assert!(screen.contains("not medical advice"), "{screen}");
        // The same sets at double speed are a preview: nothing to advise.
        let preview: Vec<String> = session(
            "2026-11-19",
            "hsr",
            "Bilateral squat",
            4,
            &json!({"speed": 2.0}),
        );
        let h = home(&entries(&preview), Coach::On);
        assert!(row(&h, "hsr").advice.as_ref().unwrap().exercises.is_empty());
        let screen = render(&h, 120, 40);
        assert!(!screen.contains("PROGRESS"), "{screen}");
        assert!(screen.contains("nothing to advise"), "{screen}");
        // --no-advice: no decisions, the disclaimer stays.
        let h = home(&log(), Coach::Off);
        assert!(h.rows.iter().all(|r| r.advice.is_none()));
        let screen = render(&h, 80, 24);
        assert!(
            !screen.contains("PROGRESS") && !screen.contains("coach"),
            "{screen}"
        );
        assert!(screen.contains("not medical advice"), "{screen}");
    }

    #[test]
    fn text_from_the_log_reaches_the_screen_escaped() {
        let lines = session(
            "2026-11-19",
            "hsr\u{1b}]0;owned\u{7}",
            "Squat\u{1b}[2J",
            1,
            &json!({}),
        );
        let h = home(&entries(&lines), Coach::On);
        let screen = render(&h, 120, 40);
        assert!(screen.contains("hsr^[]0;owned^G"), "{screen}");
        assert!(!screen.contains('\u{1b}'));
    }

    /// Every size from the smallest up: the selected preset is listed, the keys are on
    /// the last line, advice never shows without the disclaimer, and every line fits.
    #[test]
    fn sections_drop_whole_at_every_size() {
        let mut h = home(&log(), Coach::On);
        h.select("alfredson");
        press(&mut h, KeyCode::Char('s'));
        for width in [40, 47, 60, 80, 100, 120] {
            for height in 12..=40 {
                let screen = render(&h, width, height);
                let lines: Vec<&str> = screen.lines().collect();
                assert!(
                    lines.iter().any(|l| l.contains("alfredson")),
                    "{width}x{height}:\n{screen}"
                );
                assert!(
                    lines.last().unwrap().contains("q quit"),
                    "{width}x{height}:\n{screen}"
                );
                if screen.contains(": HOLD") || screen.contains(": REGRESS") {
                    assert!(
                        screen.contains("not medical advice"),
                        "{width}x{height}:\n{screen}"
                    );
                }
                for line in &lines {
                    assert!(width_of(line) <= usize::from(width), "{line}");
                }
            }
        }
    }

    #[test]
    fn snapshots_week_changed_with_advice_and_side_picked() {
        let mut h = home(&log(), Coach::On);
        h.select("hsr");
        press(&mut h, KeyCode::Char('w'));
        for (w, ht) in SIZES {
            insta::assert_snapshot!(format!("hsr_week_changed_{w}x{ht}"), render(&h, w, ht));
        }
        h.select("alfredson");
        press(&mut h, KeyCode::Char('s'));
        for (w, ht) in SIZES {
            insta::assert_snapshot!(format!("alfredson_left_{w}x{ht}"), render(&h, w, ht));
        }
        let h = home(&log(), Coach::Off);
        insta::assert_snapshot!("no_advice_80x24", render(&h, 80, 24));
    }
}
