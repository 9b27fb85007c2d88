//! The full-screen display: big countdown digits, the phase in its own colour, a tempo
//! gauge that moves down during the eccentric phase and up during the concentric one,
//! where the session is, what comes next, and the set form, help, quit and summary boxes.

use std::fmt::Write as _;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span as TextSpan};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::app::{App, Overlay, planned_reps};
use super::digits;
use super::form::FIELDS;
use crate::plan::SegmentKind;
use crate::preset::Side;
use crate::span::Span;
use crate::tempo::Phase;

/// The smallest terminal the display works in.
pub const MIN_SIZE: (u16, u16) = (40, 12);

/// The phase's word and colour.
fn phase_look(kind: Option<SegmentKind>) -> (&'static str, Color) {
    match kind {
        Some(SegmentKind::LeadIn) => ("GET READY", Color::White),
        Some(SegmentKind::Phase(Phase::Eccentric)) => ("DOWN", Color::Cyan),
        Some(SegmentKind::Phase(Phase::Concentric)) => ("UP", Color::Green),
        Some(SegmentKind::Phase(_)) => ("PAUSE", Color::Blue),
        Some(SegmentKind::Hold) => ("HOLD", Color::Yellow),
        Some(SegmentKind::Bout) => ("GO", Color::Yellow),
        Some(SegmentKind::Rest) => ("REST", Color::Magenta),
        Some(SegmentKind::Switch) => ("SWITCH SIDES", Color::Magenta),
        Some(SegmentKind::SetEnd | SegmentKind::SessionEnd) | None => ("DONE", Color::White),
    }
}

/// Whole seconds left, rounded up: "3", or "2:45" from a minute.
#[must_use]
pub fn countdown(left: Span) -> String {
    let secs = left.as_micros().div_ceil(1_000_000);
    if secs < 60 {
        secs.to_string()
    } else {
        format!("{}:{:02}", secs / 60, secs % 60)
    }
}

/// Where the gauge's marker is, 0 (bottom) to 1 (top), and whether it fills (holds).
fn gauge_level(app: &App) -> Option<(f64, bool)> {
    let seg = app.status.segment?;
    let len = (seg.end - seg.start).as_micros().max(1);
    #[allow(clippy::cast_precision_loss, reason = "a fraction for display")]
    let done = (app.status.position - seg.start).as_micros() as f64 / len as f64;
    match seg.kind {
        SegmentKind::Phase(Phase::Eccentric) => Some((1.0 - done, false)),
        SegmentKind::Phase(Phase::Concentric) => Some((done, false)),
        SegmentKind::Phase(Phase::BottomPause) => Some((0.0, false)),
        SegmentKind::Phase(Phase::TopPause) => Some((1.0, false)),
        SegmentKind::Hold | SegmentKind::Bout => Some((done, true)),
        _ => None,
    }
}

impl App {
    fn style(&self, color: Color) -> Style {
        if self.color {
            Style::default().fg(color)
        } else {
            Style::default()
        }
    }

    fn header(&self) -> Line<'_> {
        let week = self
            .plan
            .week
            .map(|w| format!(" · week {}/{}", w.number, w.of))
            .unwrap_or_default();
        let mut left = format!(" {}{week}", self.plan.preset);
        if self.status.paused {
            left.push_str(" · PAUSED");
        }
        if (self.status.speed - 1.0).abs() > f64::EPSILON {
            let _ = write!(left, " · {:.2}x", self.status.speed);
        }
        if self.muted {
            left.push_str(" · muted");
        }
        if self.sound.is_some() {
            left.push_str(" · no sound");
        }
        if let Some(note) = &self.log_note {
            let _ = write!(left, " · {note}");
        }
        Line::from(TextSpan::styled(
            left,
            Style::default().add_modifier(Modifier::BOLD),
        ))
    }

    /// Elapsed and total session time, for the header's right end.
    fn times(&self) -> String {
        format!(
            "{} done · {} left ",
            self.status.position.clock(),
            self.status.remaining.clock()
        )
    }

    fn where_line(&self) -> String {
        let Some(block) = self.plan.blocks.get(self.status.block) else {
            return String::new();
        };
        let side = match self.status.side {
            Side::Both => String::new(),
            side => format!(" · {}", side.name()),
        };
        let rep = match (self.status.rep, planned_reps(&self.plan, self.status.block)) {
            (Some(r), Some(n)) => format!(" · rep {r}/{n}"),
            _ => String::new(),
        };
        let load = block.load.map(|l| format!(" · {l}")).unwrap_or_default();
        format!(
            " {} · set {}/{}{rep}{side}{load}",
            block.exercise, self.status.set, self.status.sets
        )
    }

    fn next_line(&self) -> String {
        let Some(next) = self.status.next else {
            return " next: the end".to_owned();
        };
        let waiting = matches!(
            self.status.segment.map(|s| s.kind),
            Some(SegmentKind::Rest | SegmentKind::LeadIn | SegmentKind::Switch)
        );
        if waiting {
            let b = &self.plan.blocks[next.block];
            let side = match next.side {
                Side::Both => String::new(),
                side => format!(", {}", side.name()),
            };
            return format!(" next: {} set {}/{}{side}", b.exercise, next.set, b.sets);
        }
        let (word, _) = phase_look(Some(next.kind));
        let b = &self.plan.blocks[next.block];
        let len = next.end - next.start;
        let what = match next.kind {
            SegmentKind::Phase(_) | SegmentKind::Hold | SegmentKind::Bout => {
                format!("{} {} s", word.to_lowercase(), len.decimal_secs())
            }
            _ => format!("{} {}", word.to_lowercase(), len.clock()),
        };
        let set = if next.block == self.status.block && next.set == self.status.set {
            String::new()
        } else {
            format!(" · then {} set {}/{}", b.exercise, next.set, b.sets)
        };
        format!(" next: {what}{set}")
    }

    fn draw_gauge(&self, area: Rect, buf: &mut Buffer, color: Style) {
        let inner = Block::default().borders(Borders::LEFT).inner(area);
        Block::default().borders(Borders::LEFT).render(area, buf);
        let Some((level, fill)) = gauge_level(self) else {
            return;
        };
        if inner.height == 0 || inner.width == 0 {
            return;
        }
        let top = inner.y;
        let rows = inner.height - 1;
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "0..rows"
        )]
        let row = top + rows - (level.clamp(0.0, 1.0) * f64::from(rows)).round() as u16;
        for y in inner.y..inner.y + inner.height {
            let on = if fill { y >= row } else { y == row };
            let symbol = if on { "█" } else { "·" };
            for x in inner.x..inner.x + inner.width {
                buf[(x, y)]
                    .set_symbol(symbol)
                    .set_style(if on { color } else { Style::default() });
            }
        }
    }

    fn draw_main(&self, area: Rect, buf: &mut Buffer) {
        let kind = self.status.segment.map(|s| s.kind);
        let (word, color) = phase_look(kind);
        let style = self.style(color).add_modifier(Modifier::BOLD);
        let [digits_area, gauge_area] =
            Layout::horizontal([Constraint::Min(10), Constraint::Length(5)]).areas(area);
        let [word_area, big_area] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(digits_area);
        buf.set_string(area.x + 1, word_area.y, word, style);
        if self.status.segment.is_some() {
            digits::draw(&countdown(self.status.left), big_area, style, buf);
        }
        self.draw_gauge(gauge_area, buf, self.style(color));
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
        let [header, place, main, next, note, help] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(6),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        self.header().render(header, buf);
        let times = self.times();
        let width = u16::try_from(times.len()).unwrap_or(0);
        buf.set_string(
            header.right().saturating_sub(width),
            header.y,
            times,
            Style::default(),
        );
        buf.set_string(place.x, place.y, self.where_line(), Style::default());
        // The form's fields wrap onto more lines on a narrow screen.
        let form_rows = if main.width >= 70 { 4 } else { 6 };
        let [main_top, form_area] = if self.form.is_some() {
            Layout::vertical([Constraint::Min(1), Constraint::Length(form_rows)]).areas(main)
        } else {
            [main, Rect::default()]
        };
        self.draw_main(main_top, buf);
        self.draw_form(form_area, buf);
        buf.set_string(next.x, next.y, self.next_line(), Style::default());
        let resting = matches!(
            self.status.segment.map(|s| s.kind),
            Some(SegmentKind::Rest | SegmentKind::LeadIn | SegmentKind::Switch)
        );
        let last_time = || {
            let (upcoming, side) = self
                .status
                .next
                .map_or((self.status.block, self.status.side), |n| (n.block, n.side));
            let key = (
                self.plan.blocks[upcoming].exercise.clone(),
                side.name().to_owned(),
            );
            resting.then(|| self.last_time.get(&key).cloned()).flatten()
        };
        let notice = last_time().or_else(|| self.sound.clone());
        if let Some(notice) = notice {
            buf.set_string(note.x + 1, note.y, notice, Style::default());
        }
        let keys = if help.width >= 76 {
            " space pause  n skip  p back  r restart  m mute  +/- speed  q quit  ? help"
        } else {
            " space pause  n skip  q quit  ? help"
        };
        match &self.message {
            // A notice ("set 1 logged") stands in for the keys until the next phase.
            Some(message) => buf.set_string(help.x + 1, help.y, message, Style::default()),
            None => buf.set_string(
                help.x,
                help.y,
                keys,
                Style::default().add_modifier(Modifier::DIM),
            ),
        }
        match self.overlay {
            Overlay::Help => {
                let lines = HELP
                    .iter()
                    .map(|(k, what)| Line::from(format!("{k:>9}  {what}")))
                    .collect();
                App::draw_box("keys", lines, main, buf);
            }
            Overlay::Quit => {
                let lines = vec![
                    Line::from("Enter: quit, logging the set in progress"),
                    Line::from("n: quit without logging it"),
                    Line::from("any other key: go on"),
                ];
                App::draw_box("quit?", lines, main, buf);
            }
            Overlay::None => {}
        }
        if self.summary.is_some() && self.form.is_none() {
            self.draw_summary(main, buf);
        }
    }
}

/// What the view needs to know to decide when the screen next changes: the gauge moves
/// during the eccentric and concentric phases and holds; the digits change each second.
#[must_use]
pub fn moving(app: &App) -> bool {
    !app.status.paused
        && matches!(
            app.status.segment.map(|s| s.kind),
            Some(SegmentKind::Phase(Phase::Eccentric | Phase::Concentric))
        )
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
            logged: Vec::new(),
            summary: None,
            log_note: None,
        }
    }

    fn render(app: &App, width: u16, height: u16) -> String {
        let area = Rect::new(0, 0, width, height);
        let mut buf = Buffer::empty(area);
        app.render(area, &mut buf);
        (0..height)
            .map(|y| {
                let line: String = (0..width).map(|x| buf[(x, y)].symbol()).collect();
                line.trim_end().to_owned()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn outcome() -> SetOutcome {
        SetOutcome {
            block: 0,
            set: 1,
            side: Side::Both,
            status: SetStatus::Done,
            done_reps: Some(6),
            done_work: Span::from_secs(36),
            tut: Span::from_secs(36),
            started: Span::from_secs(2),
            ended: Span::from_secs(38),
        }
    }

    #[test]
    fn eccentric_phase_mid_rep() {
        // Rep 2 starts at 8 s; 1.5 s into its 3 s lowering.
        let app = app(SQUAT, Span::from_millis(9_500));
        assert_eq!(app.status.rep, Some(2));
        insta::assert_snapshot!("eccentric_80x24", render(&app, 80, 24));
        insta::assert_snapshot!("eccentric_40x12", render(&app, 40, 12));
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

    #[test]
    fn hold() {
        let app = app(HOLD, Span::from_secs(25));
        insta::assert_snapshot!("hold_80x24", render(&app, 80, 24));
    }

    #[test]
    fn rest_with_last_time() {
        // Set 1 ends at 38 s; rest until 128 s.
        let mut app = app(SQUAT, Span::from_secs(60));
        app.last_time.insert(
            ("Back squat".to_owned(), "both".to_owned()),
            "last time: 2 x 6 @ 77.5 kg, pain 2, 3 days ago".to_owned(),
        );
        insta::assert_snapshot!("rest_80x24", render(&app, 80, 24));
        insta::assert_snapshot!("rest_40x12", render(&app, 40, 12));
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
    fn countdown_rounds_up_to_whole_seconds() {
        assert_eq!(countdown(Span::from_millis(2_001)), "3");
        assert_eq!(countdown(Span::from_secs(2)), "2");
        assert_eq!(countdown(Span::from_millis(89_500)), "1:30");
    }
}
