//! The report as Markdown, for a plain-text e-mail: the same sections as the page, with
//! tables in place of charts.
//!
//! A cell holds text a person typed: control characters are made visible
//! ([`crate::text::escape_cell`], which also keeps a row on one line) and the characters
//! Markdown would read as markup or HTML are backslash-escaped, so a note reads as typed
//! in any viewer.

use std::fmt::Write as _;

use super::html::{kg, minutes};
use super::{Report, VERDICT_CAVEAT, VERDICT_SOURCE, light_word, of_planned, range_text};

/// Text safe in a Markdown paragraph or table cell.
#[must_use]
pub fn text(s: &str) -> String {
    let visible = crate::text::escape_cell(s);
    let mut out = String::with_capacity(visible.len());
    for c in visible.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '&' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| text(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

/// The report as Markdown.
#[must_use]
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    match &report.name {
        Some(name) => {
            let _ = writeln!(out, "# Training report: {}\n", text(name));
        }
        None => out.push_str("# Training report\n\n"),
    }
    let _ = writeln!(
        out,
        "{} · made {} from the set log\n",
        range_text(report),
        report.made
    );

    programme(&mut out, report);
    if !report.weeks.is_empty() {
        weeks(&mut out, report);
    }
    notes_and_records(&mut out, report);
    out
}

fn programme(out: &mut String, report: &Report) {
    out.push_str("## Programme\n\n");
    if report.programmes.is_empty() {
        out.push_str("No sets logged in this range.\n\n");
    } else {
        let rows: Vec<Vec<String>> = report
            .programmes
            .iter()
            .map(|p| {
                vec![
                    p.id.clone(),
                    p.name.clone().unwrap_or_default(),
                    p.program.clone().unwrap_or_else(|| "-".to_owned()),
                    format!("{} to {}", p.first, p.last),
                    p.sessions.to_string(),
                ]
            })
            .collect();
        table(
            out,
            &["Preset", "Name", "Programme", "Dates", "Sessions"],
            &rows,
        );
        for p in &report.programmes {
            if let Some(source) = &p.source {
                let _ = writeln!(out, "Source ({}): {}\n", text(&p.id), text(source));
            }
        }
    }
}

fn weeks(out: &mut String, report: &Report) {
    {
        out.push_str("## Adherence, week by week\n\n");
        let rows: Vec<Vec<String>> = report
            .weeks
            .iter()
            .map(|w| {
                vec![
                    w.week.clone(),
                    w.monday.to_string(),
                    of_planned(w.sessions, w.sessions_planned),
                    of_planned(w.sets_done, w.sets_planned),
                    w.sets_stopped.to_string(),
                ]
            })
            .collect();
        table(
            out,
            &["Week", "From", "Sessions", "Sets done", "Stopped"],
            &rows,
        );

        out.push_str("## Pain and each week's verdict\n\n");
        let rows: Vec<Vec<String>> = report
            .weeks
            .iter()
            .map(|w| {
                let score = |p: Option<u8>| p.map(|p| format!("{p}/10")).unwrap_or_default();
                let (light, why) = w.verdict.as_ref().map_or(
                    (
                        "-".to_owned(),
                        "no pain score in these seven days".to_owned(),
                    ),
                    |v| (light_word(v.light).to_uppercase(), v.reason.clone()),
                );
                vec![
                    w.week.clone(),
                    score(w.pain_max),
                    score(w.morning_max),
                    light,
                    why,
                ]
            })
            .collect();
        table(
            out,
            &[
                "Week",
                "During (highest)",
                "Morning (highest)",
                "Verdict",
                "Why",
            ],
            &rows,
        );
        let _ = writeln!(
            out,
            "Verdict: the seven days of each week read by the {}. Caveat: {}.\n",
            text(VERDICT_SOURCE),
            text(VERDICT_CAVEAT)
        );

        out.push_str("## Load and time under tension, per exercise\n\n");
        for e in &report.exercises {
            let _ = writeln!(out, "### {}\n", text(&e.label));
            let rows: Vec<Vec<String>> = e
                .points
                .iter()
                .map(|p| {
                    vec![
                        p.date.to_string(),
                        p.sets.to_string(),
                        p.load_kg.map(kg).unwrap_or_default(),
                        minutes(p.tut_s),
                    ]
                })
                .collect();
            table(
                out,
                &["Date", "Sets", "Heaviest load", "Time under tension"],
                &rows,
            );
        }
    }
}

fn notes_and_records(out: &mut String, report: &Report) {
    out.push_str("## Notes\n\n");
    if report.notes.is_empty() {
        out.push_str("No notes.\n\n");
    } else {
        let rows: Vec<Vec<String>> = report
            .notes
            .iter()
            .map(|n| vec![n.at.clone(), n.about.clone(), n.text.clone()])
            .collect();
        table(out, &["When", "About", "Note"], &rows);
    }

    out.push_str("## The coach's decisions\n\n");
    if report.decisions.is_empty() {
        out.push_str("No decisions recorded.\n\n");
    } else {
        let rows: Vec<Vec<String>> = report
            .decisions
            .iter()
            .map(|d| {
                vec![
                    d.at.clone(),
                    d.exercise.clone(),
                    d.side.clone(),
                    d.what.clone(),
                    d.reason.clone(),
                    format!("{} ({})", d.rule, d.source),
                ]
            })
            .collect();
        table(
            out,
            &[
                "When",
                "Exercise",
                "Side",
                "Decision",
                "Why",
                "Rule and source",
            ],
            &rows,
        );
    }

    out.push_str("## Records\n\n");
    let rows: Vec<Vec<String>> = report
        .rows
        .iter()
        .map(|r| {
            vec![
                r.at.clone(),
                r.preset.clone(),
                r.exercise.clone(),
                r.side.clone(),
                r.set.clone(),
                r.work.clone(),
                r.load.clone(),
                r.pain.clone(),
                r.rpe.clone(),
                r.status.clone(),
            ]
        })
        .collect();
    table(
        out,
        &[
            "When",
            "Preset",
            "Exercise",
            "Side",
            "Set",
            "Reps or hold",
            "Load",
            "Pain",
            "RPE",
            "Status",
        ],
        &rows,
    );
    if report.previews > 0 {
        let _ = writeln!(
            out,
            "{} sets of previews (runs at a speed other than 1) are left out.\n",
            report.previews
        );
    }
    out.push_str("Pain is scored 0 (none) to 10 (worst).\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_a_note_is_escaped() {
        assert_eq!(text("<script>|x"), r"\<script\>\|x");
        assert_eq!(text("a\nb"), "a↵b");
    }
}
