//! The full-screen display, made to be read at a glance from a bench a few metres away,
//! with or without colour:
//!
//! - a band across the screen in reverse video names the phase ("DOWN", "UP", "HOLD",
//!   "LAST REP" ...); during a cadence bout it flips on every beat;
//! - below it a big shape that differs by phase without colour (a triangle pointing
//!   down to lower, up to lift, a bar at the bottom or top for a pause, a box that fills
//!   for a hold, two steps that alternate with the beat for a cadence), beside the
//!   seconds and the rep count in big digits; `LEFT` or `RIGHT` in big letters when a
//!   side starts; `PAUSED` in big letters in their place while paused;
//! - a tempo gauge that moves down and up with the bar, where there is room;
//! - what comes next, the keys, and the set form, help, quit and summary boxes.
//!
//! The header, band and next lines are built from items packed by importance into the
//! width: on a small screen the least important drop out whole, never cut.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span as TextSpan};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::app::{App, Overlay, planned_reps};
use super::digits::{self, Canvas};
use super::form::FIELDS;
use crate::plan::{CueKind, PlannedWork, Segment, SegmentKind};
use crate::preset::Side;
use crate::span::Span;
use crate::tempo::Phase;

/// The smallest terminal the display works in.
pub const MIN_SIZE: (u16, u16) = (40, 12);

/// The largest pixel size of a big dot: beyond it digits only grow emptier.
const MAX_SCALE: u16 = 8;

/// Below this scale two big lines are too small to read from the rack; the rep count
/// then goes to the band only and the seconds get the room.
const MIN_PAIR_SCALE: u16 = 2;

/// The tempo gauge needs this much width besides the big area.
const GAUGE_FROM_WIDTH: u16 = 60;
const GAUGE_WIDTH: u16 = 5;

const SECOND: u64 = 1_000_000;

/// The phase's colour, used only when colour is on.
fn phase_color(kind: Option<SegmentKind>) -> Color {
    match kind {
        Some(SegmentKind::Phase(Phase::Eccentric)) => Color::Cyan,
        Some(SegmentKind::Phase(Phase::Concentric)) => Color::Green,
        Some(SegmentKind::Phase(_)) => Color::Blue,
        Some(SegmentKind::Hold | SegmentKind::Bout) => Color::Yellow,
        Some(SegmentKind::Rest | SegmentKind::Switch) => Color::Magenta,
        _ => Color::White,
    }
}

/// The word for a kind of segment.
fn kind_word(kind: Option<SegmentKind>) -> &'static str {
    match kind {
        Some(SegmentKind::LeadIn) => "GET READY",
        Some(SegmentKind::Phase(Phase::Eccentric)) => "DOWN",
        Some(SegmentKind::Phase(Phase::Concentric)) => "UP",
        Some(SegmentKind::Phase(_)) => "PAUSE",
        Some(SegmentKind::Hold) => "HOLD",
        Some(SegmentKind::Bout) => "GO",
        Some(SegmentKind::Rest) => "REST",
        Some(SegmentKind::Switch) => "SWITCH SIDES",
        Some(SegmentKind::SetEnd | SegmentKind::SessionEnd) | None => "DONE",
    }
}

/// Whole seconds left, rounded up: "3", or "2:45" from a minute.
#[must_use]
pub fn countdown(left: Span) -> String {
    let secs = left.as_micros().div_ceil(SECOND);
    if secs < 60 {
        secs.to_string()
    } else {
        format!("{}:{:02}", secs / 60, secs % 60)
    }
}

/// `span` rounded up to whole seconds, so a countdown never shows 0 while time is left.
fn ceil_secs(span: Span) -> Span {
    Span::from_secs(span.as_micros().div_ceil(SECOND))
}

/// The words of `items` that fit in `width` columns, joined by `sep`: the most
/// important first (lowest rank), until one does not fit; each item whole, and in the
/// order given.
pub(super) fn pack(items: &[(u8, String)], sep: &str, width: usize) -> String {
    let keep = pack_indices(items, sep, width);
    items
        .iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|((_, text), _)| text.as_str())
        .collect::<Vec<_>>()
        .join(sep)
}

/// Which of `items` [`pack`] keeps.
fn pack_indices(items: &[(u8, String)], sep: &str, width: usize) -> Vec<bool> {
    let wide = |s: &str| TextSpan::raw(s).width();
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| items[i].0);
    let mut keep = vec![false; items.len()];
    let mut used = 0;
    for i in order {
        let extra = wide(&items[i].1) + if used == 0 { 0 } else { wide(sep) };
        if used + extra > width {
            // Strictly by rank: a less important item never shows in place of a more
            // important one that did not fit.
            break;
        }
        used += extra;
        keep[i] = true;
    }
    keep
}

/// What the big area shows besides digits and letters.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Figure {
    /// Lowering: a triangle pointing down.
    Down,
    /// Lifting: a triangle pointing up.
    Up,
    /// A pause, at the bottom or the top of the rep.
    Bar { top: bool },
    /// A hold: a box filled to `done` of `of`.
    Fill { done: Span, of: Span },
    /// A cadence bout: the step on this beat.
    Steps { left: bool },
}

/// A big line of text, and the widest text that line takes in this segment, so that
/// the layout does not jump as the seconds count down.
#[derive(Clone, Debug, PartialEq)]
struct BigText {
    text: String,
    widest: String,
}

impl BigText {
    fn new(text: String, widest: String) -> BigText {
        BigText { text, widest }
    }
}

/// The content of the big area.
#[derive(Clone, Debug, PartialEq)]
struct Big {
    figure: Option<Figure>,
    texts: Vec<BigText>,
    gauge: bool,
}

/// Where the big area's parts go.
#[derive(Clone, Debug, Default, PartialEq)]
struct Placed {
    figure: Option<Rect>,
    /// Each line: where, which text, at what scale (0: plain text).
    lines: Vec<(Rect, usize, u16)>,
    gauge: Option<Rect>,
}

/// How wide a figure must be beside text lines `line` rows tall in an area `width` x
/// `height`: as wide as a line of digits is tall (square, in pixels) and, for the
/// phase's shape, as wide as the area is tall or two fifths of it, whichever is less:
/// the shape is what is read first, so the digits shrink before it does. The steps of
/// a cadence need less: the band flips with the beat across the whole screen.
fn figure_width(figure: Option<Figure>, line: u16, width: u16, height: u16) -> Option<u16> {
    let square = 2 * line;
    match figure? {
        Figure::Steps { .. } => Some(square),
        _ => Some(square.max((2 * height).min(width * 2 / 5))),
    }
}

/// How big `texts` can be in `width` x `height` beside `figure` (if any), stacked one
/// above the other or side by side: the scale, whether stacked, and the cells the text
/// block takes.
fn arrange(
    texts: &[&str],
    width: u16,
    height: u16,
    figure: Option<Figure>,
) -> Option<(u16, bool, u16, u16)> {
    let n = u16::try_from(texts.len()).ok()?;
    for scale in (1..=MAX_SCALE).rev() {
        let line = digits::size("0", scale).1;
        let widths: Vec<u16> = texts.iter().map(|t| digits::size(t, scale).0).collect();
        let room = |w: u16| match figure_width(figure, line, width, height) {
            Some(f) => w + 1 + f <= width,
            // A column of margin each side, off the screen's edge and the gauge.
            None => w + 2 <= width,
        };
        let stacked = (widths.iter().copied().max()?, n * line + n - 1);
        if room(stacked.0) && stacked.1 <= height {
            // Stacked leaves the figure the most width, so it wins a tie.
            return Some((scale, true, stacked.0, stacked.1));
        }
        let row = (widths.iter().sum::<u16>() + (n - 1) * 2 * scale, line);
        if room(row.0) && row.1 <= height {
            return Some((scale, false, row.0, row.1));
        }
    }
    None
}

/// Lays out `big` in `area`.
fn place(big: &Big, area: Rect) -> Placed {
    let (area, gauge) = if big.gauge && area.width >= GAUGE_FROM_WIDTH {
        let [a, g] =
            Layout::horizontal([Constraint::Min(1), Constraint::Length(GAUGE_WIDTH)]).areas(area);
        (a, Some(g))
    } else {
        (area, None)
    };
    let widest: Vec<&str> = big.texts.iter().map(|t| t.widest.as_str()).collect();
    let figure = big.figure.is_some();
    let chosen = match arrange(&widest, area.width, area.height, big.figure) {
        Some(fit) if fit.0 >= MIN_PAIR_SCALE || widest.len() < 2 => Some((fit, widest.len())),
        _ => arrange(
            &widest[..widest.len().min(1)],
            area.width,
            area.height,
            big.figure,
        )
        .map(|fit| (fit, 1)),
    };
    let Some(((scale, stacked, block_w, block_h), count)) = chosen else {
        // Not even the smallest big digits fit: plain text, a line each.
        let lines = (0..big.texts.len())
            .filter_map(|i| {
                let y = area.y + u16::try_from(i).ok()?;
                (y < area.bottom()).then(|| (Rect::new(area.x, y, area.width, 1), i, 0))
            })
            .collect();
        return Placed {
            figure: None,
            lines,
            gauge,
        };
    };
    let text_x = if figure {
        area.right() - block_w - 1
    } else {
        area.x + (area.width - block_w) / 2
    };
    let text_y = area.y + (area.height - block_h) / 2;
    let line_h = digits::size("0", scale).1;
    let mut x = text_x;
    let lines = (0..count)
        .map(|i| {
            let w = digits::size(widest[i], scale).0;
            let row = u16::try_from(i).unwrap_or(0);
            let rect = if stacked {
                Rect::new(text_x, text_y + row * (line_h + 1), block_w, line_h)
            } else {
                let r = Rect::new(x, text_y, w, line_h);
                x += w + 2 * scale;
                r
            };
            (rect, i, scale)
        })
        .collect();
    Placed {
        // A column of margin on the left, as the lines of text have.
        figure: figure.then(|| {
            Rect::new(
                area.x + 1,
                area.y,
                text_x.saturating_sub(area.x + 2),
                area.height,
            )
        }),
        lines,
        gauge,
    }
}

/// Where the screen's parts go.
struct Areas {
    header: Rect,
    band: Rect,
    /// Between the band and the lines below: where the boxes go.
    main: Rect,
    /// The main area less the set form.
    big: Rect,
    form: Rect,
    next: Rect,
    note: Rect,
    keys: Rect,
}

/// Where the gauge's marker is, in rows from the top of `rows + 1`, rounded to the
/// nearest; `None` outside eccentric and concentric phases. In whole microseconds, so
/// that when it next moves can be computed exactly.
fn gauge_row(seg: Segment, position: Span, rows: u16) -> Option<u16> {
    let len = (seg.end - seg.start).as_micros().max(1);
    let into = (position.saturating_sub(seg.start)).as_micros().min(len);
    let rows64 = u64::from(rows);
    // round(into / len * rows), halves up.
    let down = (into * 2 * rows64 + len) / (2 * len);
    let down = u16::try_from(down).unwrap_or(rows);
    match seg.kind {
        SegmentKind::Phase(Phase::Eccentric) => Some(down),
        SegmentKind::Phase(Phase::Concentric) => Some(rows - down),
        _ => None,
    }
}

/// The first position after `position` at which the gauge's marker moves.
fn gauge_moves(seg: Segment, position: Span, rows: u16) -> Option<Span> {
    gauge_row(seg, position, rows)?;
    let len = (seg.end - seg.start).as_micros().max(1);
    let into = (position.saturating_sub(seg.start)).as_micros().min(len);
    let rows64 = u64::from(rows.max(1));
    let k = (into * 2 * rows64 + len) / (2 * len);
    // The smallest `into` at which the rounding reaches k + 1.
    let next = ((2 * k + 1) * len).div_ceil(2 * rows64);
    (next < len).then(|| seg.start + Span::from_micros(next))
}

impl App {
    fn style(&self, color: Color) -> Style {
        if self.color {
            Style::default().fg(color)
        } else {
            Style::default()
        }
    }

    fn kind(&self) -> Option<SegmentKind> {
        self.status.segment.map(|s| s.kind)
    }

    /// The word for segment `seg` of the plan.
    fn word_for(&self, seg: Segment) -> &'static str {
        // An eccentric-only exercise lowers on one leg and comes back up on the other.
        let other_leg = matches!(
            self.plan.blocks.get(seg.block).map(|b| b.work),
            Some(PlannedWork::Reps {
                eccentric_only: true,
                ..
            })
        );
        if other_leg && seg.kind == SegmentKind::Phase(Phase::Concentric) {
            "UP ON THE OTHER LEG"
        } else {
            kind_word(Some(seg.kind))
        }
    }

    /// The beats of the cadence bout in progress that have sounded (the cues'
    /// own offsets, so the display flips exactly with the sound), and when the next
    /// one sounds.
    fn beats(&self) -> Option<(usize, Option<Span>)> {
        let seg = self
            .status
            .segment
            .filter(|s| s.kind == SegmentKind::Bout)?;
        let cues = &self.plan.cues;
        let from = cues.partition_point(|c| c.offset < seg.start);
        let upto = cues.partition_point(|c| c.offset <= self.status.position);
        let sounded = cues[from..upto.max(from)]
            .iter()
            .filter(|c| c.kind == CueKind::Beat)
            .count();
        let next = cues[upto..]
            .iter()
            .take_while(|c| c.offset < seg.end)
            .find(|c| c.kind == CueKind::Beat)
            .map(|c| c.offset);
        Some((sounded, next))
    }

    /// Whether the band shows its second face: on every other beat of a cadence.
    fn off_beat(&self) -> bool {
        !self.status.paused && self.beats().is_some_and(|(n, _)| n % 2 == 0)
    }

    /// `LEFT` or `RIGHT` when the segment in progress starts a side: the first phase
    /// of a set on one side, a hold on one side, and the waits before them.
    fn side_word(&self) -> Option<&'static str> {
        let seg = self.status.segment?;
        if seg.side == Side::Both {
            return None;
        }
        let word = seg.side.upper();
        let first = match seg.kind {
            SegmentKind::Phase(_) => {
                self.plan.segments.iter().find(|s| {
                    matches!(s.kind, SegmentKind::Phase(_))
                        && (s.block, s.set, s.side) == (seg.block, seg.set, seg.side)
                }) == Some(&seg)
            }
            _ => true,
        };
        first.then_some(word)
    }

    /// What the big area shows.
    fn big(&self) -> Big {
        let Some(seg) = self.status.segment else {
            return Big {
                figure: None,
                texts: Vec::new(),
                gauge: false,
            };
        };
        let gauge = matches!(seg.kind, SegmentKind::Phase(_));
        if self.status.paused {
            let paused = BigText::new("PAUSED".to_owned(), "PAUSED".to_owned());
            return Big {
                figure: None,
                texts: vec![paused],
                gauge,
            };
        }
        let seconds = BigText::new(countdown(self.status.left), countdown(seg.end - seg.start));
        let figure = match seg.kind {
            SegmentKind::Phase(Phase::Eccentric) => Some(Figure::Down),
            SegmentKind::Phase(Phase::Concentric) => Some(Figure::Up),
            SegmentKind::Phase(Phase::BottomPause) => Some(Figure::Bar { top: false }),
            SegmentKind::Phase(Phase::TopPause) => Some(Figure::Bar { top: true }),
            SegmentKind::Hold => Some(Figure::Fill {
                done: self.status.position.saturating_sub(seg.start),
                of: seg.end - seg.start,
            }),
            SegmentKind::Bout => self
                .beats()
                .map(|(n, _)| Figure::Steps { left: n % 2 == 1 }),
            _ => None,
        };
        let second = if let Some(side) = self.side_word() {
            Some(BigText::new(side.to_owned(), side.to_owned()))
        } else {
            match (self.status.rep, planned_reps(&self.plan, self.status.block)) {
                (Some(rep), Some(reps)) if gauge => Some(BigText::new(
                    format!("{rep}/{reps}"),
                    format!("{reps}/{reps}"),
                )),
                _ => None,
            }
        };
        Big {
            figure,
            texts: std::iter::once(seconds).chain(second).collect(),
            gauge,
        }
    }

    /// The screen's parts for `area`.
    fn areas(&self, area: Rect) -> Areas {
        // A band three rows tall is seen from further away; on a short screen the big
        // digits need those rows more.
        let band = if area.height >= 20 { 3 } else { 1 };
        let note = u16::from(area.height >= 16 || self.notice().is_some());
        let [header, band, main, next, note, keys] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(band),
            Constraint::Min(4),
            Constraint::Length(1),
            Constraint::Length(note),
            Constraint::Length(1),
        ])
        .areas(area);
        // The form's fields wrap onto more lines on a narrow screen.
        let form_rows = if main.width >= 70 { 4 } else { 6 };
        let [big, form] = if self.form.is_some() {
            Layout::vertical([Constraint::Min(1), Constraint::Length(form_rows)]).areas(main)
        } else {
            [main, Rect::default()]
        };
        Areas {
            header,
            band,
            main,
            big,
            form,
            next,
            note,
            keys,
        }
    }

    /// The header's items: the session, the speed, the sound, the times.
    fn header(&self, width: u16) -> (String, String) {
        let speed = (self.status.speed - 1.0).abs() > f64::EPSILON;
        let mut left = vec![(3, self.plan.preset.clone())];
        if let Some(w) = self.plan.week {
            left.push((4, format!("week {}/{}", w.number, w.of)));
        }
        if speed {
            left.push((0, format!("{:.2}x", self.status.speed)));
        }
        if self.muted {
            left.push((1, "muted".to_owned()));
        }
        if self.sound.is_some() {
            left.push((1, "no sound".to_owned()));
        }
        if let Some(note) = &self.log_note {
            left.push((6, note.clone()));
        }
        let right = [
            (5, format!("{} done", self.status.position.clock())),
            (
                2,
                format!("{} left", ceil_secs(self.status.remaining).clock()),
            ),
        ];
        // Both ends share the width: pack them as one list, then split.
        let all: Vec<(u8, String)> = left.iter().chain(&right).cloned().collect();
        let kept = pack_indices(&all, " · ", usize::from(width).saturating_sub(2));
        let join = |range: std::ops::Range<usize>| {
            range
                .filter(|i| kept[*i])
                .map(|i| all[i].1.as_str())
                .collect::<Vec<_>>()
                .join(" · ")
        };
        (join(0..left.len()), join(left.len()..all.len()))
    }

    /// The band's items: the phase, pause, rep, set, side, exercise, load.
    fn band_text(&self, width: u16) -> String {
        let Some(seg) = self.status.segment else {
            return pack(&[(0, "DONE".to_owned())], " · ", usize::from(width));
        };
        let block = &self.plan.blocks[self.status.block];
        let mut items = vec![(0, self.word_for(seg).to_owned())];
        if self.status.paused {
            items.push((1, "PAUSED".to_owned()));
        }
        if let PlannedWork::Cadence { bpm, .. } = block.work {
            items.push((1, format!("{bpm:.0} steps/min")));
        }
        let working = matches!(seg.kind, SegmentKind::Phase(_));
        if let (true, Some(rep), Some(reps)) = (working, self.status.rep, self.status.reps) {
            items.push((
                2,
                if rep == reps {
                    "LAST REP".to_owned()
                } else {
                    format!("rep {rep}/{reps}")
                },
            ));
        }
        items.push((
            3,
            if self.status.set == self.status.sets && self.status.sets > 1 {
                "LAST SET".to_owned()
            } else {
                format!("set {}/{}", self.status.set, self.status.sets)
            },
        ));
        if self.status.side != Side::Both {
            items.push((3, self.status.side.name().to_owned()));
        }
        items.push((4, block.exercise.clone()));
        if let Some(load) = block.load {
            items.push((5, load.to_string()));
        }
        pack(&items, " · ", usize::from(width).saturating_sub(2))
    }

    /// What comes next.
    fn next_text(&self, width: u16) -> String {
        let budget = usize::from(width).saturating_sub(1);
        let Some(next) = self.status.next else {
            return pack(&[(0, "next: the end".to_owned())], "", budget);
        };
        let waiting = matches!(
            self.kind(),
            Some(SegmentKind::Rest | SegmentKind::LeadIn | SegmentKind::Switch)
        );
        let b = &self.plan.blocks[next.block];
        if waiting {
            let mut items = vec![
                (0, format!("next: {}", b.exercise)),
                (1, format!("set {}/{}", next.set, b.sets)),
            ];
            if next.side != Side::Both {
                items.push((2, next.side.name().to_owned()));
            }
            return pack(&items, ", ", budget);
        }
        let word = self.word_for(next).to_lowercase();
        let len = next.end - next.start;
        let what = match next.kind {
            SegmentKind::Phase(_) | SegmentKind::Hold | SegmentKind::Bout => {
                format!("next: {word} {} s", len.decimal_secs())
            }
            _ => format!("next: {word} {}", len.clock()),
        };
        let mut items = vec![(0, what)];
        if !(next.block == self.status.block && next.set == self.status.set) {
            items.push((
                1,
                format!("then {} set {}/{}", b.exercise, next.set, b.sets),
            ));
        }
        pack(&items, " · ", budget)
    }

    /// The line under the next one: "last time" before a set, else why there is no
    /// sound.
    fn notice(&self) -> Option<String> {
        let resting = matches!(
            self.kind(),
            Some(SegmentKind::Rest | SegmentKind::LeadIn | SegmentKind::Switch)
        );
        let (upcoming, side) = self
            .status
            .next
            .map_or((self.status.block, self.status.side), |n| (n.block, n.side));
        let key = (
            self.plan.blocks[upcoming].exercise.clone(),
            side.name().to_owned(),
        );
        // Before an exercise: what was done last time, then what the coach advises.
        let words: Vec<&str> = [self.last_time.get(&key), self.advice.get(&key)]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        (resting && !words.is_empty())
            .then(|| words.join(", "))
            .or_else(|| self.sound.clone())
    }

    fn draw_band(&self, area: Rect, buf: &mut Buffer) {
        let color = phase_color(self.kind());
        let face = if self.color {
            Style::default().bg(color).fg(Color::Black)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        };
        // On every other beat the band shows its plain face: a flip seen from the side.
        let style = if self.off_beat() {
            Style::default()
        } else {
            face
        }
        .add_modifier(Modifier::BOLD);
        buf.set_style(area, style);
        let text = self.band_text(area.width);
        buf.set_string(area.x + 1, area.y + area.height / 2, text, style);
    }

    fn draw_gauge(&self, area: Rect, buf: &mut Buffer, color: Style) {
        let inner = Block::default().borders(Borders::LEFT).inner(area);
        Block::default().borders(Borders::LEFT).render(area, buf);
        let Some(seg) = self.status.segment else {
            return;
        };
        if inner.height == 0 || inner.width == 0 {
            return;
        }
        let row = match seg.kind {
            SegmentKind::Phase(Phase::BottomPause) => inner.height - 1,
            SegmentKind::Phase(Phase::TopPause) => 0,
            _ => match gauge_row(seg, self.status.position, inner.height - 1) {
                Some(row) => row,
                None => return,
            },
        };
        for y in inner.y..inner.bottom() {
            let on = y == inner.y + row;
            let symbol = if on { "█" } else { "·" };
            for x in inner.x..inner.right() {
                buf[(x, y)]
                    .set_symbol(symbol)
                    .set_style(if on { color } else { Style::default() });
            }
        }
    }

    fn draw_big(&self, area: Rect, buf: &mut Buffer) {
        let big = self.big();
        let placed = place(&big, area);
        let style = self
            .style(phase_color(self.kind()))
            .add_modifier(Modifier::BOLD);
        if let (Some(figure), Some(rect)) = (big.figure, placed.figure) {
            let mut canvas = Canvas::new(rect);
            match figure {
                Figure::Down => canvas.triangle(true),
                Figure::Up => canvas.triangle(false),
                Figure::Bar { top } => canvas.bar(top),
                Figure::Fill { done, of } => canvas.filling_box(done.as_micros(), of.as_micros()),
                Figure::Steps { left } => canvas.steps(left),
            }
            canvas.paint(style, buf);
        }
        for (rect, i, scale) in placed.lines {
            let text = &big.texts[i].text;
            if scale == 0 {
                let w = u16::try_from(TextSpan::raw(text.as_str()).width()).unwrap_or(0);
                buf.set_string(
                    rect.x + rect.width.saturating_sub(w) / 2,
                    rect.y,
                    text,
                    style,
                );
            } else {
                let mut canvas = Canvas::new(rect);
                canvas.centred_text(text, scale);
                canvas.paint(style, buf);
            }
        }
        if let Some(gauge) = placed.gauge {
            self.draw_gauge(gauge, buf, self.style(phase_color(self.kind())));
        }
    }

    fn draw_form(&self, area: Rect, buf: &mut Buffer) {
        let Some(form) = &self.form else { return };
        let b = &self.plan.blocks[form.outcome.block];
        let title = format!(" log set {}/{} · {} ", form.outcome.set, b.sets, b.exercise);
        let block = Block::default().borders(Borders::ALL).title(title);
        let inner = block.inner(area);
        Clear.render(area, buf);
        block.render(area, buf);
        let mut spans = Vec::new();
        for (i, name) in FIELDS.iter().enumerate() {
            if !form.shows(i) {
                continue;
            }
            let value = &form.values[i];
            let shown = if value.is_empty() {
                "_"
            } else {
                value.as_str()
            };
            let mut style = Style::default();
            if i == form.focus {
                style = style.add_modifier(Modifier::REVERSED);
            }
            spans.push(TextSpan::raw(format!("{name} ")));
            spans.push(TextSpan::styled(format!("[{shown}]"), style));
            spans.push(TextSpan::raw("  "));
        }
        let help = form.help();
        Paragraph::new(vec![Line::from(spans), Line::from(help)])
            .wrap(Wrap { trim: true })
            .render(inner, buf);
    }

    fn draw_box(title: &str, lines: Vec<Line<'_>>, area: Rect, buf: &mut Buffer) {
        let width = area.width.min(56);
        let height = (u16::try_from(lines.len()).unwrap_or(10) + 2).min(area.height);
        let r = Rect::new(
            area.x + (area.width - width) / 2,
            area.y + (area.height - height) / 2,
            width,
            height,
        );
        Clear.render(r, buf);
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(format!(" {title} ")),
            )
            .render(r, buf);
    }

    fn draw_summary(&self, area: Rect, buf: &mut Buffer) {
        let Some(s) = &self.summary else { return };
        let mut lines = vec![
            Line::from(format!(
                "{} set{} logged, {} reps",
                s.sets,
                if s.sets == 1 { "" } else { "s" },
                s.reps
            )),
            Line::from(format!("time under tension {}", s.tut.clock())),
            Line::from(format!("session time {}", s.time.clock())),
        ];
        if let Some(load) = &s.top_load {
            lines.push(Line::from(format!("top load {load}")));
        }
        lines.push(Line::from(""));
        lines.push(Line::from("any key to leave"));
        let title = if s.completed {
            "session complete"
        } else {
            "session stopped"
        };
        App::draw_box(title, lines, area, buf);
    }
}

/// The keys, for the help box and the bottom line.
const HELP: [(&str, &str); 9] = [
    ("space b .", "pause / resume (a clicker's blank key)"),
    ("n → PgDn", "skip to the end of the phase or rest"),
    ("p ← PgUp", "back to the start of the phase"),
    ("r", "restart the set"),
    ("+ / -", "faster / slower"),
    ("m", "mute / unmute"),
    ("q", "quit (keeps the set in progress)"),
    ("?", "this help"),
    ("Ctrl-C", "stop at once"),
];

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
            let text = format!("terminal too small: need {}x{}", MIN_SIZE.0, MIN_SIZE.1);
            Paragraph::new(text)
                .wrap(Wrap { trim: true })
                .render(area, buf);
            return;
        }
        let areas = self.areas(area);
        let (left, right) = self.header(areas.header.width);
        let bold = Style::default().add_modifier(Modifier::BOLD);
        buf.set_string(areas.header.x + 1, areas.header.y, left, bold);
        let width = u16::try_from(TextSpan::raw(right.as_str()).width()).unwrap_or(0);
        buf.set_string(
            areas.header.right().saturating_sub(width + 1),
            areas.header.y,
            right,
            Style::default(),
        );
        self.draw_band(areas.band, buf);
        self.draw_big(areas.big, buf);
        self.draw_form(areas.form, buf);
        let next = areas.next;
        buf.set_string(
            next.x + 1,
            next.y,
            self.next_text(next.width),
            Style::default(),
        );
        if let Some(notice) = self.notice() {
            // A long notice loses its last clauses, never half a word.
            let parts: Vec<(u8, String)> =
                (0u8..).zip(notice.split(", ").map(str::to_owned)).collect();
            let text = pack(
                &parts,
                ", ",
                usize::from(areas.note.width.saturating_sub(1)),
            );
            buf.set_string(areas.note.x + 1, areas.note.y, text, Style::default());
        }
        let keys = if areas.keys.width >= 76 {
            " space pause  n skip  p back  r restart  m mute  +/- speed  q quit  ? help"
        } else {
            " space pause  n skip  q quit  ? help"
        };
        match &self.message {
            // A notice ("set 1 logged") stands in for the keys until the next phase.
            Some(message) => {
                buf.set_string(areas.keys.x + 1, areas.keys.y, message, Style::default());
            }
            None => buf.set_string(
                areas.keys.x,
                areas.keys.y,
                keys,
                Style::default().add_modifier(Modifier::DIM),
            ),
        }
        match self.overlay {
            Overlay::Help => {
                // The config file's extra keys, after the built-in ones.
                let extra = crate::input::extra_keys()
                    .into_iter()
                    .map(|(k, what)| Line::from(format!("{k:>9}  {what} (config file)")));
                let lines = HELP
                    .iter()
                    .map(|(k, what)| Line::from(format!("{k:>9}  {what}")))
                    .chain(extra)
                    .collect();
                App::draw_box("keys", lines, areas.main, buf);
            }
            Overlay::Quit => {
                let lines = vec![
                    Line::from("Enter: quit, logging the set in progress"),
                    Line::from("n: quit without logging it"),
                    Line::from("any other key: go on"),
                ];
                App::draw_box("quit?", lines, areas.main, buf);
            }
            Overlay::None => {}
        }
        if self.summary.is_some() && self.form.is_none() {
            self.draw_summary(areas.main, buf);
        }
    }
}

/// The plan position at which the screen next changes by itself, drawn at `app.area`:
/// the next whole second of a countdown or the header's clocks, the next row of the
/// gauge or of a hold's box, the next beat of a cadence. `None` while paused or after
/// the end: then only input changes it.
#[must_use]
pub fn next_change(app: &App) -> Option<Span> {
    let status = &app.status;
    let seg = status.segment?;
    if status.paused {
        return None;
    }
    let pos = status.position;
    // A whole second of a count rounded up (time left) or down (time done).
    let up = |left: Span| {
        pos + Span::from_micros(match left.as_micros() % SECOND {
            0 => SECOND,
            r => r,
        })
    };
    let mut at = vec![
        up(status.left),
        up(status.remaining),
        pos + Span::from_micros(SECOND - pos.as_micros() % SECOND),
    ];
    if app.area.width >= MIN_SIZE.0 && app.area.height >= MIN_SIZE.1 {
        let big = app.big();
        let placed = place(&big, app.areas(app.area).big);
        if let Some(gauge) = placed.gauge {
            at.extend(gauge_moves(seg, pos, gauge.height.saturating_sub(1)));
        }
        if let (Some(Figure::Fill { done, of }), Some(rect)) = (big.figure, placed.figure) {
            // The box's inside is its pixel rows less the top and bottom lines.
            let rows = (rect.height * 2).saturating_sub(2);
            if rows > 0 {
                let filled = digits::filled_rows(done.as_micros(), of.as_micros(), rows);
                // The first moment at which one more row is filled.
                let next = ((u64::from(filled) + 1) * of.as_micros()).div_ceil(u64::from(rows));
                at.push(seg.start + Span::from_micros(next));
            }
        }
    }
    if let Some((_, Some(beat))) = app.beats() {
        at.push(beat);
    }
    at.into_iter().filter(|&t| t > pos).min()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::path::Path;

    use super::*;
    use crate::plan::{Overrides, Plan};
    use crate::preset::Preset;
    use crate::session::{Session, SetOutcome, SetStatus};
    use crate::tui::app::Summary;
    use crate::tui::form::Form;

    const SQUAT: &str = "lead_in = \"2s\"\n[[block]]\nexercise = \"Back squat\"\nreps = 6\ntempo = \"3-0-3-0\"\nsets = 2\nrest = \"90s\"\nload = \"80kg\"\n";
    const HOLD: &str = "lead_in = \"5s\"\n[[block]]\nexercise = \"Wall sit\"\nhold = \"45s\"\nsets = 3\nrest = \"2m\"\nsides = \"alternate\"\n";

    fn app(body: &str, at: Span) -> App {
        let text =
            format!("id = \"demo\"\nname = \"Demo\"\ndescription = \"d\"\nsource = \"S\"\n{body}");
        let plan = Plan::build(
            &Preset::parse(&text, Path::new("t.toml")).unwrap(),
            &Overrides::default(),
        )
        .unwrap();
        let session = Session::new(plan.clone(), Span::ZERO, 1.0);
        App {
            status: session.status(at),
            plan,
            color: false,
            muted: false,
            sound: None,
            message: None,
            overlay: Overlay::None,
            form: None,
            last_time: HashMap::new(),
            advice: HashMap::new(),
            logged: Vec::new(),
            summary: None,
            log_note: None,
            area: Rect::new(0, 0, 80, 24),
        }
    }

    // The widget's screen as text, read the one way every screen test reads it.
    use crate::tui::rendered as render;

    fn outcome() -> SetOutcome {
        SetOutcome {
            block: 0,
            set: 1,
            side: Side::Both,
            status: SetStatus::Done,
            done_reps: Some(6),
            done_work: Span::from_secs(36),
            tut: Span::from_secs(36),
            work_spent: Span::from_secs(36),
            tut_spent: Span::from_secs(36),
            started: Span::from_secs(2),
            ended: Span::from_secs(38),
            speed: 1.0,
        }
    }

    const CADENCE: &str = "lead_in = \"2s\"\n[[block]]\nexercise = \"Running\"\ncadence = 170\nduration = \"5m\"\nsets = 1\n";
    const SIDED: &str = "lead_in = \"2s\"\n[[block]]\nexercise = \"Split squat\"\nreps = 6\ntempo = \"3-1-2-0\"\nsets = 2\nrest = \"1m\"\nsides = \"each\"\nswitch = \"10s\"\n";
    const HEEL_DROP: &str = "lead_in = \"2s\"\n[[block]]\nexercise = \"Heel drop\"\nreps = 15\ntempo = \"3-0-2-0\"\neccentric_only = true\nsets = 3\nrest = \"1m\"\nsides = \"each\"\nload = \"bodyweight\"\n";

    /// The sizes every screen is checked at.
    const SIZES: [(u16, u16); 3] = [(120, 40), (80, 24), (40, 12)];

    fn snapshots(name: &str, app: &App) {
        for (w, h) in SIZES {
            insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(app, w, h));
        }
    }

    /// How many cells differ between two screens in the rows between the band and
    /// the lines below (at 80 x 24: rows 4 to 20).
    fn differing_in_main(a: &str, b: &str) -> usize {
        a.lines()
            .zip(b.lines())
            .skip(4)
            .take(17)
            .map(|(x, y)| {
                let (x, y): (Vec<char>, Vec<char>) = (x.chars().collect(), y.chars().collect());
                (0..x.len().max(y.len()))
                    .filter(|&i| x.get(i).unwrap_or(&' ') != y.get(i).unwrap_or(&' '))
                    .count()
            })
            .sum()
    }

    #[test]
    fn down_and_up_at_the_same_second_differ_in_the_big_area() {
        // Rep 2 starts at 8 s: 1.5 s into its 3 s lowering, then 1.5 s into its lifting.
        let down = app(SQUAT, Span::from_millis(9_500));
        let up = app(SQUAT, Span::from_millis(12_500));
        assert_eq!((down.status.rep, up.status.rep), (Some(2), Some(2)));
        assert_eq!(countdown(down.status.left), countdown(up.status.left));
        snapshots("down", &down);
        snapshots("up", &up);
        let (d, u) = (render(&down, 80, 24), render(&up, 80, 24));
        let differ = differing_in_main(&d, &u);
        assert!(differ > 100, "only {differ} cells differ:\n{d}\n{u}");
    }

    #[test]
    fn paused_shows_paused_in_big_letters_instead_of_the_digits() {
        let plan = app(SQUAT, Span::ZERO).plan;
        let mut session = Session::new(plan, Span::ZERO, 1.0);
        session.command(crate::session::Command::Pause, Span::from_millis(9_500));
        let mut paused = app(SQUAT, Span::ZERO);
        paused.status = session.status(Span::from_secs(60));
        assert!(paused.status.paused);
        snapshots("paused", &paused);
        let running = render(&app(SQUAT, Span::from_millis(9_500)), 80, 24);
        let shown = render(&paused, 80, 24);
        assert!(shown.contains("PAUSED"), "{shown}");
        assert!(differing_in_main(&running, &shown) > 100, "{shown}");
        // Nothing moves while paused, so nothing wakes the display.
        assert_eq!(next_change(&paused), None);
    }

    #[test]
    fn cadence_flips_on_each_beat() {
        // The bout starts at 2 s; beat k sounds at 2 s + round(k * 60/170 s).
        let beat = |k: u64| Span::from_micros(2_000_000 + (k * 60_000_000).div_ceil(170));
        let on = app(CADENCE, beat(3));
        let off = app(CADENCE, beat(4));
        snapshots("cadence_beat", &on);
        snapshots("cadence_off_beat", &off);
        assert_ne!(render(&on, 80, 24), render(&off, 80, 24));
        assert!(render(&on, 80, 24).contains("170 steps/min"));
        // The frame just before a beat is the previous beat's.
        let before = app(CADENCE, beat(4) - Span::from_micros(1));
        assert_eq!(render(&before, 80, 24), render(&on, 80, 24));
        // The screen next changes at the next beat, not before.
        assert_eq!(next_change(&on), Some(beat(4)));
        assert_eq!(next_change(&before), Some(beat(4)));
    }

    #[test]
    fn a_side_shows_big_on_its_first_phase_and_in_the_switch() {
        let first = app(SIDED, Span::from_secs(3));
        assert_eq!(first.status.side, Side::Left);
        snapshots("sided_first_phase", &first);
        assert!(render(&first, 80, 24).contains("left"));
        assert_eq!(first.side_word(), Some("LEFT"));
        // Later phases of the set count reps instead.
        assert_eq!(app(SIDED, Span::from_secs(6)).side_word(), None);
        assert_eq!(app(SIDED, Span::from_secs(9)).side_word(), None);
        // The left side's 6 reps of 6 s end at 38 s; the switch to the right follows.
        let switch = app(SIDED, Span::from_secs(40));
        assert_eq!(switch.status.segment.unwrap().kind, SegmentKind::Switch);
        assert_eq!(switch.side_word(), Some("RIGHT"));
        assert_eq!(app(SIDED, Span::from_secs(49)).side_word(), Some("RIGHT"));
    }

    #[test]
    fn an_eccentric_only_exercise_comes_up_on_the_other_leg() {
        // Lowering 2-5 s, back up 5-7 s.
        let up = app(HEEL_DROP, Span::from_secs(6));
        assert_eq!(
            up.status.segment.unwrap().kind,
            SegmentKind::Phase(Phase::Concentric)
        );
        snapshots("eccentric_only_return", &up);
        assert!(render(&up, 40, 12).contains("UP ON THE OTHER LEG"));
        assert!(
            render(&app(HEEL_DROP, Span::from_secs(3)), 80, 24)
                .contains("next: up on the other leg 2 s")
        );
    }

    #[test]
    fn the_last_rep_of_the_last_set_says_so() {
        // Set 2 starts after set 1 (2-38 s) and the rest (90 s): at 128 s; its sixth
        // rep at 158 s.
        let last = app(SQUAT, Span::from_secs(160));
        assert_eq!((last.status.set, last.status.rep), (2, Some(6)));
        snapshots("last_set", &last);
        let screen = render(&last, 80, 24);
        assert!(screen.contains("LAST REP · LAST SET"), "{screen}");
    }

    #[test]
    fn the_gauge_moves_down_then_up() {
        let marker_row = |at_ms: u64| {
            let text = render(&app(SQUAT, Span::from_millis(at_ms)), 80, 24);
            text.lines().position(|l| l.ends_with("████")).unwrap()
        };
        // Down through the eccentric phase (2-5 s), up through the concentric one (5-8 s).
        assert!(marker_row(2_100) < marker_row(3_500));
        assert!(marker_row(3_500) < marker_row(4_900));
        assert!(marker_row(5_100) > marker_row(6_500));
        assert!(marker_row(6_500) > marker_row(7_900));
    }

    /// Walks `body` from `from` to `to` along [`next_change`] at 80 x 24: each wake-up
    /// must change the screen, and the screen must not change between two; gives how
    /// many wake-ups there were.
    fn walk(body: &str, from: Span, to: Span) -> usize {
        let mut at = from;
        let mut wakes = 0;
        while at < to {
            let here = app(body, at);
            let screen = render(&here, 80, 24);
            let next = next_change(&here).unwrap();
            assert!(next > at);
            let just_before = next - Span::from_micros(1);
            if just_before > at {
                assert_eq!(
                    render(&app(body, just_before), 80, 24),
                    screen,
                    "changed before {next:?}"
                );
                // And half-way, in case the screen changed and changed back.
                let mid = Span::from_micros(u64::midpoint(at.as_micros(), just_before.as_micros()));
                assert_eq!(
                    render(&app(body, mid), 80, 24),
                    screen,
                    "changed before {next:?}"
                );
            }
            assert_ne!(
                render(&app(body, next), 80, 24),
                screen,
                "nothing changed at {next:?}"
            );
            at = next;
            wakes += 1;
        }
        wakes
    }

    #[test]
    fn every_wake_up_changes_the_screen() {
        // A rep of squats (gauge and seconds), part of a hold (the box and seconds), a
        // second of cadence (beats and seconds).
        let reps = walk(SQUAT, Span::from_secs(2), Span::from_secs(8));
        let hold = walk(HOLD, Span::from_secs(5), Span::from_secs(20));
        let beats = walk(CADENCE, Span::from_secs(3), Span::from_secs(4));
        // The gauge has 16 rows to move through in each 3 s phase; the hold's box 30
        // pixel rows in 45 s; 170 beats a minute is 2.8 a second, plus the seconds.
        assert!((30..=40).contains(&reps), "{reps}");
        assert!((15..=30).contains(&hold), "{hold}");
        assert!((3..=5).contains(&beats), "{beats}");
    }

    #[test]
    fn hold() {
        let app = app(HOLD, Span::from_secs(25));
        snapshots("hold", &app);
    }

    #[test]
    fn a_rest_shows_last_time_then_the_coachs_advice() {
        let mut app = app(SQUAT, Span::from_secs(60));
        let key = ("Back squat".to_owned(), "both".to_owned());
        app.last_time
            .insert(key.clone(), "last time: 2 x 6 @ 77.5 kg".to_owned());
        app.advice
            .insert(key, "advised: progress +5% (HSR load)".to_owned());
        let screen = render(&app, 120, 40);
        assert!(
            screen.contains("last time: 2 x 6 @ 77.5 kg, advised: progress +5% (HSR load)"),
            "{screen}"
        );
    }

    #[test]
    fn rest_with_last_time() {
        // Set 1 ends at 38 s; rest until 128 s.
        let mut app = app(SQUAT, Span::from_secs(60));
        app.last_time.insert(
            ("Back squat".to_owned(), "both".to_owned()),
            "last time: 2 x 6 @ 77.5 kg, pain 2, 3 days ago".to_owned(),
        );
        snapshots("rest", &app);
    }

    #[test]
    fn set_form() {
        let mut app = app(SQUAT, Span::from_secs(40));
        app.form = Some(Form::new(outcome(), Some("80kg".parse().unwrap())));
        insta::assert_snapshot!("form_80x24", render(&app, 80, 24));
        insta::assert_snapshot!("form_40x12", render(&app, 40, 12));
    }

    #[test]
    fn summary() {
        let mut app = app(SQUAT, Span::from_secs(500));
        app.summary = Some(Summary {
            sets: 2,
            reps: 12,
            tut: Span::from_secs(72),
            top_load: Some("80kg".to_owned()),
            time: Span::from_secs(164),
            completed: true,
            not_logged: None,
        });
        insta::assert_snapshot!("summary_80x24", render(&app, 80, 24));
    }

    #[test]
    fn too_small_and_help() {
        let mut app = app(SQUAT, Span::from_secs(3));
        insta::assert_snapshot!("too_small_39x12", render(&app, 39, 12));
        app.overlay = Overlay::Help;
        insta::assert_snapshot!("help_80x24", render(&app, 80, 24));
    }

    #[test]
    fn packed_items_drop_whole_by_rank_and_keep_their_order() {
        let items: Vec<(u8, String)> = [
            (0, "DOWN"),
            (2, "rep 3/6"),
            (1, "PAUSED"),
            (3, "Back squat"),
        ]
        .into_iter()
        .map(|(r, t)| (r, t.to_owned()))
        .collect();
        assert_eq!(
            pack(&items, " · ", 80),
            "DOWN · rep 3/6 · PAUSED · Back squat"
        );
        assert_eq!(pack(&items, " · ", 30), "DOWN · rep 3/6 · PAUSED");
        assert_eq!(pack(&items, " · ", 15), "DOWN · PAUSED");
        // A short item of lower rank does not take the place of one that did not fit.
        let items = [
            (0, "DOWN".to_owned()),
            (1, "a long item".to_owned()),
            (2, "x".to_owned()),
        ];
        assert_eq!(pack(&items, " · ", 10), "DOWN");
    }

    #[test]
    fn the_header_at_40_columns_drops_the_time_done_whole() {
        let mut app = app(SQUAT, Span::from_millis(9_500));
        app.plan.week = Some(crate::plan::Week { number: 10, of: 12 });
        app.muted = true;
        let header = render(&app, 40, 12).lines().next().unwrap().to_owned();
        // The time done ranks below the week: it goes first.
        assert_eq!(header, " demo · week 10/12 · muted    2:35 left");
    }

    #[test]
    fn countdown_rounds_up_to_whole_seconds() {
        assert_eq!(countdown(Span::from_millis(2_001)), "3");
        assert_eq!(countdown(Span::from_secs(2)), "2");
        assert_eq!(countdown(Span::from_millis(89_500)), "1:30");
    }
}
