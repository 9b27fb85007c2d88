//! `handout`: one printable page of a preset for the patient, in words rather than
//! notation: each exercise with its sets, the tempo said out ("lower for 3 seconds, no
//! pause, lift for 3 seconds"), the rest and the load, the week table with the week
//! marked, the pain rules, the source, and the preset's own description with its
//! caveats as the disclaimer (the same text `show` prints).

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::load::{Load, Unit};
use crate::log::stats::{CAVEAT, SOURCE};
use crate::plan::{Plan, PlannedBlock, PlannedWork};
use crate::preset::{Preset, Side, Sides, StartPhase, show_weeks};
use crate::span::Span;
use crate::tempo::{Phase, PhaseLen};

/// "3 seconds", "1 second", "2.5 seconds", "2 minutes 30 seconds".
#[must_use]
pub fn span_words(span: Span) -> String {
    let plural = |n: &str, unit: &str| {
        if n == "1" {
            format!("1 {unit}")
        } else {
            format!("{n} {unit}s")
        }
    };
    if span < Span::from_secs(60) {
        return plural(&span.decimal_secs(), "second");
    }
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a rest"
    )]
    let secs = span.as_secs_f64().round() as u64;
    let (m, s) = (secs / 60, secs % 60);
    let minutes = plural(&m.to_string(), "minute");
    if s == 0 {
        minutes
    } else {
        format!("{minutes} {}", plural(&s.to_string(), "second"))
    }
}

/// One rep in words, in the order it is done: "lower for 3 seconds, no pause, lift for
/// 3 seconds". A pause of 0 between the two movements is said ("no pause"); one at the
/// end of the rep is left out. An eccentric-only rep comes back up without load.
#[must_use]
pub fn tempo_words(work: &PlannedWork) -> String {
    match *work {
        PlannedWork::Reps {
            tempo,
            start,
            eccentric_only,
            ..
        } => {
            let order = match start {
                StartPhase::Eccentric => Phase::ALL,
                StartPhase::Concentric => [
                    Phase::Concentric,
                    Phase::TopPause,
                    Phase::Eccentric,
                    Phase::BottomPause,
                ],
            };
            let mut parts = Vec::new();
            for (i, phase) in order.into_iter().enumerate() {
                let len = tempo.get(phase);
                let words = match (phase, len) {
                    (Phase::Eccentric, PhaseLen::Explosive) => "lower fast".to_owned(),
                    (Phase::Eccentric, PhaseLen::Secs(s)) => format!("lower for {}", span_words(s)),
                    (Phase::Concentric, _) if eccentric_only => match len {
                        PhaseLen::Secs(s) if !s.is_zero() => format!(
                            "come back up on the other leg (or both) in {}, without load",
                            span_words(s)
                        ),
                        _ => "come back up on the other leg (or both), without load".to_owned(),
                    },
                    (Phase::Concentric, PhaseLen::Explosive) => "lift fast".to_owned(),
                    (Phase::Concentric, PhaseLen::Secs(s)) => format!("lift for {}", span_words(s)),
                    (Phase::BottomPause | Phase::TopPause, PhaseLen::Secs(s)) if s.is_zero() => {
                        if i == 1 {
                            "no pause".to_owned()
                        } else {
                            continue;
                        }
                    }
                    (pause, len) => {
                        let at = if pause == Phase::BottomPause {
                            "at the bottom"
                        } else {
                            "at the top"
                        };
                        match len {
                            PhaseLen::Secs(s) => format!("pause {at} for {}", span_words(s)),
                            PhaseLen::Explosive => format!("pause {at} briefly"),
                        }
                    }
                };
                parts.push(words);
            }
            parts.join(", ")
        }
        PlannedWork::Hold(len) => format!("hold still for {}", span_words(len)),
        PlannedWork::Cadence { bpm, duration } => format!(
            "step to the beat, {} a minute, for {}",
            bpm.round(),
            span_words(duration)
        ),
    }
}

/// "4 x 15 reps", "5 x 45-second hold".
fn sets_words(b: &PlannedBlock) -> String {
    let each = match b.work {
        PlannedWork::Reps { reps, .. } => format!("{reps} reps"),
        PlannedWork::Hold(len) => format!("{} hold", span_words(len)),
        PlannedWork::Cadence { duration, .. } => span_words(duration),
    };
    let sides = match b.arrangement() {
        Sides::Both | Sides::Only(Side::Both) => String::new(),
        Sides::Alternate => ", sides in turn".to_owned(),
        Sides::Each => ", each side".to_owned(),
        Sides::Only(side) => format!(", {} side", side.name()),
    };
    format!("{} x {each}{sides}", b.sets)
}

/// The load in words: what was prescribed, and what it means.
#[must_use]
pub fn load_words(load: Option<Load>) -> String {
    let Some(load) = load else {
        return "-".to_owned();
    };
    let n = load.value.map(|v| {
        let t = format!("{v:.1}");
        t.strip_suffix(".0").unwrap_or(&t).to_owned()
    });
    let n = n.unwrap_or_default();
    match load.unit {
        Unit::Kg => format!("{n} kg"),
        Unit::Lb => format!("{n} lb"),
        Unit::Bodyweight => "your body weight".to_owned(),
        Unit::RepMax => {
            format!("{load}: the heaviest weight you can lift {n} times at this tempo")
        }
        Unit::PercentOneRm => format!("{load}: {n} % of the most you can lift once"),
        Unit::PercentMvc => format!("{load}: about {n} % of your hardest possible effort"),
    }
}

/// The rest after each set, and before the next exercise when it differs.
fn rest_words(b: &PlannedBlock, last: bool) -> String {
    let rest = span_words(b.rest);
    if last || b.rest_after == b.rest {
        rest
    } else {
        format!(
            "{rest}; {} before the next exercise",
            span_words(b.rest_after)
        )
    }
}

/// The pain rules of the pain-monitoring model, in plain words.
pub const PAIN_RULES: [&str; 4] = [
    "During the exercises, pain up to 5 on a scale from 0 (no pain) to 10 (worst pain) is acceptable.",
    "Pain after the exercises should have settled by the next morning.",
    "Pain and stiffness in the morning should not increase from week to week.",
    "If pain during the exercises goes above 5, or is still above 5 the next morning, use a lighter load next time; if morning pain is higher than before, keep the load as it is. Tell your physiotherapist.",
];

/// The page.
#[must_use]
pub fn render(preset: &Preset, plan: &Plan) -> String {
    let week = plan.week;
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (preset.name) }
                style { (PreEscaped(super::html::STYLE)) (PreEscaped(HANDOUT_STYLE)) }
            }
            body {
                h1 { (preset.name) }
                p.meta {
                    @if let Some(w) = week { "Week " (w.number) " of " (w.of) }
                    @if let Some(program) = crate::show::program_text(preset) {
                        @if week.is_some() { " · " } (program)
                    }
                    @if week.is_none() && preset.program.is_none() { "One session" }
                    " · about " (span_words(round_minute(plan.total()))) " a session"
                }
                h2 { "Your exercises" }
                table {
                    thead { tr { th { "Exercise" } th { "Sets" } th { "Each rep or hold" } th { "Rest between sets" } th { "Load" } } }
                    tbody {
                        @for (i, b) in plan.blocks.iter().enumerate() {
                            tr {
                                td { b { (b.exercise) } @if let Some(notes) = &b.notes { br; span.small { (notes) } } }
                                td { (sets_words(b)) }
                                td { (tempo_words(&b.work)) }
                                td { (rest_words(b, i + 1 == plan.blocks.len())) }
                                td { (load_words(b.load)) }
                            }
                        }
                    }
                }
                @if !preset.week_table.is_empty() {
                    (week_table(preset, week.map(|w| w.number)))
                }
                h2 { "Pain: how much is all right" }
                ul { @for rule in PAIN_RULES { li { (rule) } } }
                p.small { "From the " (SOURCE) ". Caveat: " (CAVEAT) "." }
                h2 { "Source" }
                p.small { (preset.source) }
                h2 { "About this programme, and what the evidence does not show" }
                @for para in preset.description.split("\n\n") { p.small { (para) } }
                p.small { b { "This sheet supports, and does not replace, the advice of your physiotherapist or doctor. Stop and ask if pain is sharp, swelling appears, or pain keeps rising." } }
            }
        }
    };
    page.into_string()
}

/// A session's length rounded to the minute, for "about 25 minutes".
fn round_minute(span: Span) -> Span {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a session"
    )]
    let minutes = (span.as_secs_f64() / 60.0).round().max(1.0) as u64;
    Span::from_secs(minutes * 60)
}

/// The value, or "-" when there is none.
fn dash<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

fn week_table(preset: &Preset, current: Option<u32>) -> Markup {
    html! {
        h2 { "Week by week" }
        table.weeks {
            thead { tr { th { "Weeks" } th { "Sets" } th { "Reps" } th { "Load" } th { "" } } }
            tbody {
                @for row in &preset.week_table {
                    @let here = current.is_some_and(|w| row.weeks.contains(&w));
                    tr class=[here.then_some("current")] {
                        td { (show_weeks(&row.weeks)) }
                        td { (dash(row.sets)) }
                        td { (dash(row.reps)) }
                        td { (dash(row.load)) }
                        td { @if here { "◀ this week" } }
                    }
                }
            }
        }
    }
}

const HANDOUT_STYLE: &str = r"
h2 { margin-top: 1em; }
table.weeks { width: auto; }
table.weeks td { padding-right: 1.5em; }
@media print { body { font-size: 9.5pt; } }
";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tempo::Tempo;

    fn reps(tempo: &str, start: StartPhase, eccentric_only: bool) -> PlannedWork {
        PlannedWork::Reps {
            reps: 8,
            tempo: tempo.parse::<Tempo>().unwrap(),
            start,
            eccentric_only,
            explosive: Span::from_secs(1),
        }
    }

    #[test]
    fn a_tempo_is_said_in_words() {
        assert_eq!(
            tempo_words(&reps("3-0-3-0", StartPhase::Eccentric, false)),
            "lower for 3 seconds, no pause, lift for 3 seconds"
        );
        assert_eq!(
            tempo_words(&reps("3-1-X-2", StartPhase::Eccentric, false)),
            "lower for 3 seconds, pause at the bottom for 1 second, lift fast, pause at the top for 2 seconds"
        );
        assert_eq!(
            tempo_words(&reps("2-0-1-0", StartPhase::Concentric, false)),
            "lift for 1 second, no pause, lower for 2 seconds"
        );
        assert!(
            tempo_words(&reps("3-0-1-0", StartPhase::Eccentric, true))
                .ends_with("come back up on the other leg (or both) in 1 second, without load")
        );
        assert_eq!(
            tempo_words(&PlannedWork::Hold(Span::from_secs(45))),
            "hold still for 45 seconds"
        );
    }

    #[test]
    fn rests_are_said_in_minutes_and_seconds() {
        assert_eq!(span_words(Span::from_secs(180)), "3 minutes");
        assert_eq!(span_words(Span::from_secs(150)), "2 minutes 30 seconds");
        assert_eq!(span_words(Span::from_secs(60)), "1 minute");
        assert_eq!(span_words(Span::from_secs(1)), "1 second");
    }
}
