//! `stats` as text: a row per week, a bar chart of time under tension with pain beside
//! it, the pain light with its reason, source and caveat, and the coach's decisions as
//! they were recorded.

use std::fmt::Write as _;

use super::{Verdict, Week};
use crate::log::AdviceRecord;
use crate::span::Span;

/// A bar of `value` against `max` in `width` cells, in eighths of a cell.
fn bar(value: f64, max: f64, width: usize) -> String {
    const EIGHTHS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    if max <= 0.0 {
        return String::new();
    }
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let eighths = (value / max * (width * 8) as f64).round() as usize;
    "█".repeat(eighths / 8) + EIGHTHS[eighths % 8]
}

/// The weeks and the verdict as `stats` prints them; `colour` paints the light.
#[must_use]
pub fn weeks(weeks: &[Week], verdict: Option<&Verdict>, colour: bool) -> String {
    let opt = |v: Option<f64>| v.map_or("-".to_owned(), |v| format!("{v:.1}"));
    let mut out = format!(
        "{:<9} {:>8} {:>4} {:>5} {:>9} {:>7} {:>8} {:>5} {:>7}\n",
        "week", "sessions", "sets", "reps", "volume", "TUT", "top load", "pain", "morning"
    );
    for w in weeks {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let tut = Span::from_micros((w.tut_s * 1e6).round() as u64).clock();
        let _ = writeln!(
            out,
            "{:<9} {:>8} {:>4} {:>5} {:>7.0}kg {:>7} {:>8} {:>5} {:>7}",
            w.week,
            w.sessions,
            w.sets,
            w.reps,
            w.volume_kg,
            tut,
            w.top_load_kg
                .map_or("-".to_owned(), |t| format!("{t:.1}kg")),
            opt(w.pain),
            opt(w.morning_pain),
        );
    }
    out.push_str("\ntime under tension a week, and pain during exercise / next morning (0-10)\n");
    let max = weeks.iter().map(|w| w.tut_s).fold(0.0, f64::max);
    for w in weeks {
        let _ = writeln!(
            out,
            "{:<9} {:<31} pain {} / {}",
            w.week,
            bar(w.tut_s, max, 30),
            opt(w.pain),
            opt(w.morning_pain)
        );
    }
    match verdict {
        Some(v) => {
            let (word, code) = match v.light {
                super::Light::Green => ("GREEN", "32"),
                super::Light::Amber => ("AMBER", "33"),
                super::Light::Red => ("RED", "31"),
            };
            let light = if colour {
                format!("\x1b[{code}m● {word}\x1b[0m")
            } else {
                format!("● {word}")
            };
            // The reason names an exercise from the log, which anyone can edit.
            let _ = write!(
                out,
                "\n{light}: {}\n  ({}; {})\n",
                crate::text::escape_cell(&v.reason),
                v.source,
                v.caveat
            );
        }
        None => {
            let _ = writeln!(
                out,
                "\nno pain scores in the last {} days: no verdict from the pain-monitoring model",
                super::WINDOW_DAYS
            );
        }
    }
    out
}

/// The decisions the coach recorded, a row each, by ISO week of the day they were
/// given: date, when (after a session, or `next --record`), exercise, side, decision,
/// change and rule. Every cell comes from the log and is shown escaped. Empty when
/// there are none.
#[must_use]
pub fn decisions(records: &[&AdviceRecord]) -> String {
    if records.is_empty() {
        return String::new();
    }
    let rows: Vec<[String; 8]> = records
        .iter()
        .map(|a| {
            let change = match (&a.change, &a.stage) {
                (_, Some(stage)) => format!("-> {stage}"),
                (Some(change), None) => change.clone(),
                (None, None) => "-".to_owned(),
            };
            [
                super::iso_week(&a.at).unwrap_or_default(),
                a.at.get(..10).unwrap_or_default().to_owned(),
                if a.from == "session" {
                    "after session".to_owned()
                } else {
                    "next".to_owned()
                },
                a.exercise.clone(),
                a.side.clone(),
                a.decision.clone(),
                change,
                a.rule.clone(),
            ]
        })
        .collect();
    let header = [
        "week", "date", "given", "exercise", "side", "decision", "change", "rule",
    ];
    format!(
        "\ndecisions recorded (what was advised, not what was done)\n{}",
        crate::show::aligned(&header, &rows)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_are_listed_by_week_with_names_escaped() {
        let advice =
            |at: &str, exercise: &str, decision: &str, change: Option<&str>| AdviceRecord {
                v: 1,
                at: at.to_owned(),
                from: "session".to_owned(),
                preset: "hsr".to_owned(),
                week: Some(2),
                exercise: exercise.to_owned(),
                side: "both".to_owned(),
                decision: decision.to_owned(),
                change: change.map(str::to_owned),
                load: None,
                stage: None,
                reason: "r".to_owned(),
                rule: "pain during exercise above 5/10".to_owned(),
                source: "s".to_owned(),
            };
        let a = advice(
            "2026-11-20T19:00:00+01:00",
            "Squat",
            "regress",
            Some("-10%"),
        );
        let b = advice("2026-11-27T19:00:00+01:00", "Evil\x1b[31m", "hold", None);
        let text = decisions(&[&a, &b]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[1],
            "decisions recorded (what was advised, not what was done)"
        );
        assert!(
            lines[2].starts_with("week      date        given"),
            "{text}"
        );
        assert!(
            lines[3].starts_with("2026-W47  2026-11-20  after session  Squat")
                && lines[3].contains("regress   -10%    pain during exercise above 5/10"),
            "{text}"
        );
        assert!(lines[4].starts_with("2026-W48"), "{text}");
        assert!(!text.contains('\x1b'), "{text:?}");
        assert_eq!(decisions(&[]), "");
    }

    #[test]
    fn bars_are_drawn_in_eighths_of_a_cell() {
        assert_eq!(bar(1.0, 1.0, 2), "██");
        assert_eq!(bar(1.0, 4.0, 2), "▌");
        assert_eq!(bar(0.0, 0.0, 2), "");
    }
}
