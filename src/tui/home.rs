//! The home screen (`reptempo` on a terminal): the presets with stage and total time,
//! recent sessions from the log, the program week of the preset under the cursor; Enter
//! starts it, `w` changes the week.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use crate::log::history::PastSession;
use crate::span::Span;

/// One preset as listed.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub id: String,
    pub name: String,
    pub stage: Option<u8>,
    pub total: Span,
    /// The program's length, and the week the log puts the person in, with why.
    pub program: Option<(u32, u32, String)>,
}

/// The home screen's state.
#[derive(Clone, Debug, PartialEq)]
pub struct Home {
    pub rows: Vec<Row>,
    pub recent: Vec<PastSession>,
    pub selected: usize,
}

/// What a key on the home screen asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Choice {
    Stay,
    /// Start this preset in this week.
    Start(String, Option<u32>),
    Leave,
}

impl Home {
    /// The home screen for `catalog`, with the programme week and the recent sessions
    /// that the log's `entries` give on `today`.
    #[must_use]
    pub fn new(
        catalog: &crate::preset::Catalog,
        entries: &[crate::log::Entry],
        today: Option<jiff::civil::Date>,
    ) -> Home {
        let rows = catalog
            .iter()
            .map(|(preset, _)| {
                let total = crate::plan::Plan::build(preset, &crate::plan::Overrides::default())
                    .map_or(Span::ZERO, |p| p.total());
                let program = today
                    .and_then(|today| crate::log::history::next_week(entries, preset, today))
                    .zip(preset.program_weeks())
                    .map(|(next, weeks)| (next.week, weeks, next.to_string()));
                Row {
                    id: preset.id.clone(),
                    name: preset.name.clone(),
                    stage: preset.stage.map(crate::preset::Stage::number),
                    total,
                    program,
                }
            })
            .collect();
        Home {
            rows,
            recent: crate::log::history::recent_sessions(entries, 5),
            selected: 0,
        }
    }

    /// One pure decision per key.
    pub fn key(&mut self, key: KeyEvent) -> Choice {
        let n = self.rows.len().max(1);
        match key.code {
            KeyCode::Down | KeyCode::Char('j') => self.selected = (self.selected + 1) % n,
            KeyCode::Up | KeyCode::Char('k') => self.selected = (self.selected + n - 1) % n,
            KeyCode::Char('w') => {
                if let Some((week, weeks, why)) = self
                    .rows
                    .get_mut(self.selected)
                    .and_then(|r| r.program.as_mut())
                {
                    *week = *week % *weeks + 1;
                    "chosen with w".clone_into(why);
                }
            }
            KeyCode::Enter => {
                if let Some(row) = self.rows.get(self.selected) {
                    return Choice::Start(row.id.clone(), row.program.as_ref().map(|p| p.0));
                }
            }
            KeyCode::Char('q') | KeyCode::Esc => return Choice::Leave,
            _ => {}
        }
        Choice::Stay
    }
}

impl Widget for &Home {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width < 40 || area.height < 12 {
            Paragraph::new("terminal too small: need 40x12").render(area, buf);
            return;
        }
        let history_height = u16::try_from(self.recent.len()).unwrap_or(5).max(1) + 2;
        let [title, list, week, history, help] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(1),
            Constraint::Length(history_height),
            Constraint::Length(1),
        ])
        .areas(area);
        buf.set_string(
            title.x + 1,
            title.y,
            "reptempo · pick a session",
            Style::default().add_modifier(Modifier::BOLD),
        );
        let block = Block::default().borders(Borders::ALL).title(" presets ");
        let inner = block.inner(list);
        block.render(list, buf);
        let visible = usize::from(inner.height);
        let first = self.selected.saturating_sub(visible.saturating_sub(1));
        for (i, row) in self.rows.iter().enumerate().skip(first).take(visible) {
            let y = inner.y + u16::try_from(i - first).unwrap_or(0);
            let stage = row.stage.map_or("  ".to_owned(), |s| format!("S{s}"));
            let text = format!(
                " {:<14} {stage} {:>8}  {}",
                row.id,
                row.total.clock(),
                row.name
            );
            let style = if i == self.selected {
                Style::default().add_modifier(Modifier::REVERSED)
            } else {
                Style::default()
            };
            let width = usize::from(inner.width);
            let text: String = format!("{text:<width$}").chars().take(width).collect();
            buf.set_string(inner.x, y, text, style);
        }
        if let Some(row) = self.rows.get(self.selected) {
            let text = match &row.program {
                Some((week, weeks, why)) => {
                    format!(" week {week} of {weeks} ({why}); w: another week")
                }
                None => " no program weeks".to_owned(),
            };
            buf.set_string(week.x, week.y, text, Style::default());
        }
        let lines: Vec<Line> = if self.recent.is_empty() {
            vec![Line::from("nothing logged yet")]
        } else {
            self.recent
                .iter()
                .map(|s| {
                    let pain = s
                        .max_pain
                        .map(|p| format!(", pain {p}"))
                        .unwrap_or_default();
                    let plural = if s.sets == 1 { "" } else { "s" };
                    Line::from(format!(
                        "{}  {}  {} set{plural}{pain}",
                        s.date, s.preset, s.sets
                    ))
                })
                .collect()
        };
        Paragraph::new(lines)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(" recent sessions "),
            )
            .render(history, buf);
        buf.set_string(
            help.x,
            help.y,
            " ↑/↓ choose  Enter start  w week  q quit",
            Style::default().add_modifier(Modifier::DIM),
        );
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyModifiers;

    use super::*;

    fn home() -> Home {
        let row = |id: &str, program| Row {
            id: id.to_owned(),
            name: format!("{id} name"),
            stage: Some(2),
            total: Span::from_secs(605),
            program,
        };
        Home {
            rows: vec![
                row("hsr", Some((3, 12, "first session 2026-11-03".to_owned()))),
                row("isometric", None),
            ],
            recent: vec![PastSession {
                date: "2026-11-20".to_owned(),
                preset: "hsr".to_owned(),
                sets: 12,
                max_pain: Some(2),
            }],
            selected: 0,
        }
    }

    fn press(home: &mut Home, code: KeyCode) -> Choice {
        home.key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn enter_starts_the_selected_preset_in_its_week() {
        let mut h = home();
        assert_eq!(
            press(&mut h, KeyCode::Enter),
            Choice::Start("hsr".to_owned(), Some(3))
        );
        press(&mut h, KeyCode::Char('w'));
        assert_eq!(
            press(&mut h, KeyCode::Enter),
            Choice::Start("hsr".to_owned(), Some(4))
        );
        press(&mut h, KeyCode::Down);
        assert_eq!(
            press(&mut h, KeyCode::Enter),
            Choice::Start("isometric".to_owned(), None)
        );
        assert_eq!(press(&mut h, KeyCode::Char('q')), Choice::Leave);
    }

    #[test]
    fn renders_the_list_the_week_and_the_history() {
        let area = Rect::new(0, 0, 60, 14);
        let mut buf = Buffer::empty(area);
        (&home()).render(area, &mut buf);
        let text: Vec<String> = (0..area.height)
            .map(|y| {
                (0..area.width)
                    .map(|x| buf[(x, y)].symbol())
                    .collect::<String>()
                    .trim_end()
                    .to_owned()
            })
            .collect();
        insta::assert_snapshot!("home_60x14", text.join("\n"));
    }
}
