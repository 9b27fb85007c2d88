//! The report as one self-contained HTML page: styles inline, charts as inline SVG, no
//! script, no font, no image or link to fetch; readable on screen and printed on A4.
//!
//! Built with `maud`: every `(value)` in the template is HTML-escaped by the macro, so a
//! note or an exercise name cannot add markup. The only unescaped parts are the style
//! sheet below and the charts, which [`super::chart`] draws from dates and numbers.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::chart::{self, COLOURS, DURING, LIMIT, MORNING, hex, light_colour};
use super::{Report, VERDICT_CAVEAT, VERDICT_SOURCE, light_word, of_planned, range_text};

/// Shared by the report and the handout: A4 pages, no colour lost in print.
pub const STYLE: &str = r"
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif;
  font-size: 14px; line-height: 1.4; color: #1b1b1b; max-width: 186mm; margin: 1.5em auto;
  padding: 0 1em; }
h1 { font-size: 1.6em; margin: 0 0 .2em; }
h2 { font-size: 1.2em; margin: 1.4em 0 .4em; border-bottom: 1px solid #bbb;
  break-after: avoid; page-break-after: avoid; }
h3 { font-size: 1em; margin: 1em 0 .3em; break-after: avoid; }
p { margin: .3em 0; }
.meta { color: #444; }
.small { font-size: .85em; color: #444; }
table { border-collapse: collapse; width: 100%; margin: .4em 0; }
th, td { text-align: left; padding: .15em .5em .15em 0; border-bottom: 1px solid #ddd;
  vertical-align: top; }
th { font-weight: 600; border-bottom: 1px solid #888; }
td.n, th.n { text-align: right; padding-right: .8em; }
td:first-child, td.n { white-space: nowrap; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
tr.missed td { color: #a00; }
tr.current td { background: #fff3c4; font-weight: 600; }
figure { margin: .4em 0; break-inside: avoid; page-break-inside: avoid; }
figure svg { width: 100%; height: auto; display: block; }
.legend { list-style: none; padding: 0; margin: .2em 0; display: flex; flex-wrap: wrap;
  gap: .3em 1.2em; font-size: .9em; }
.chip { display: inline-block; width: .9em; height: .9em; border-radius: 2px;
  vertical-align: -.1em; margin-right: .3em; }
.light { display: inline-block; min-width: 4.2em; padding: 0 .4em; border-radius: 3px;
  color: #fff; font-weight: 600; text-align: center; }
.records { font-size: .8em; }
.keep { break-inside: avoid; page-break-inside: avoid; }
footer { margin-top: 2em; font-size: .8em; color: #555; }
@media print {
  body { margin: 0; padding: 0; max-width: none; font-size: 10pt; }
  h2 { margin-top: 1em; }
}
";

fn chip(colour: (u8, u8, u8)) -> Markup {
    html! { span.chip style={ "background:" (hex(colour)) } {} }
}

fn svg_or_note(svg: Result<Option<String>, chart::ChartError>, none: &str) -> Markup {
    match svg {
        Ok(Some(svg)) => html! { figure { (PreEscaped(svg)) } },
        Ok(None) => html! { p.small { (none) } },
        Err(e) => html! { p.small { (crate::error_chain(&e)) } },
    }
}

/// The page.
#[must_use]
pub fn render(report: &Report) -> String {
    let title = match &report.name {
        Some(name) => format!("Training report: {name}"),
        None => "Training report".to_owned(),
    };
    let range = report.from.zip(report.to);
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { (title) }
                    p.meta { (range_text(report)) " · made " (report.made) " from the set log" }
                }
                (programme(report))
                @if let Some(range) = range {
                    (adherence(report))
                    (pain(report, range))
                    (load(report, range))
                }
                (notes(report))
                (decisions(report))
                (records(report))
                footer {
                    p {
                        "Made by reptempo from the records that passed its checks. "
                        @if report.previews > 0 {
                            (report.previews) " sets of previews (runs at a speed other than 1) are left out. "
                        }
                        "Pain is scored 0 (none) to 10 (worst)."
                    }
                }
            }
        }
    };
    // maud escapes markup, not control characters: a name or a note with ESC would reach
    // the terminal when the page goes to stdout. The template has none but tab and
    // newline, which `escape` keeps.
    crate::text::escape(&page.into_string()).into_owned()
}

fn programme(report: &Report) -> Markup {
    html! {
        section {
            h2 { "Programme" }
            @if report.programmes.is_empty() {
                p { "No sets logged in this range." }
            } @else {
                table {
                    thead { tr { th { "Preset" } th { "Programme" } th { "Dates" } th.n { "Sessions" } } }
                    tbody {
                        @for p in &report.programmes {
                            tr {
                                td { b { (p.id) } @if let Some(name) = &p.name { br; (name) } }
                                td { (p.program.as_deref().unwrap_or("-")) }
                                td { (p.first) " to " (p.last) }
                                td.n { (p.sessions) }
                            }
                        }
                    }
                }
                @for p in &report.programmes {
                    @if let Some(source) = &p.source {
                        p.small { (p.id) ": " (source) }
                    }
                }
            }
        }
    }
}

fn adherence(report: &Report) -> Markup {
    html! {
        section {
            h2 { "Adherence, week by week" }
            p.small { "Planned: the programme's sessions a week, and the sets (one per set and side) those sessions hold in the programme week reached. Done: sets finished; stopped sets are counted apart." }
            table {
                thead { tr {
                    th { "Week" } th { "From" } th.n { "Sessions" } th.n { "Sets done" } th.n { "Stopped" }
                } }
                tbody {
                    @for w in &report.weeks {
                        tr class=[(w.sessions == 0).then_some("missed")] {
                            td { (w.week) }
                            td { (w.monday) }
                            td.n { (of_planned(w.sessions, w.sessions_planned)) }
                            td.n { (of_planned(w.sets_done, w.sets_planned)) }
                            td.n { (w.sets_stopped) }
                        }
                    }
                }
            }
        }
    }
}

fn pain(report: &Report, range: (jiff::civil::Date, jiff::civil::Date)) -> Markup {
    let svg = chart::pain(
        range,
        &report.pain_during,
        &report.pain_morning,
        &report.weeks,
    );
    html! {
        section {
            h2 { "Pain" }
            ul.legend {
                li { (chip(DURING)) "during exercise (highest of each session)" }
                li { (chip(MORNING)) "next morning" }
                li { (chip(LIMIT)) "5/10: the most the model allows during exercise" }
                li { "band on top: each week's verdict" }
            }
            (svg_or_note(svg.map(Some), ""))
            table.keep {
                thead { tr {
                    th { "Week" } th.n { "During" } th.n { "Morning" } th { "Verdict" } th { "Why" }
                } }
                tbody {
                    @for w in &report.weeks {
                        tr {
                            td { (w.week) }
                            td.n { (w.pain_max.map(|p| format!("{p}/10")).unwrap_or_default()) }
                            td.n { (w.morning_max.map(|p| format!("{p}/10")).unwrap_or_default()) }
                            @match &w.verdict {
                                Some(v) => {
                                    td { span.light style={ "background:" (hex(light_colour(v.light))) } { (light_word(v.light)) } }
                                    td.small { (v.reason) }
                                }
                                None => { td { "-" } td.small { "no pain score in these seven days" } }
                            }
                        }
                    }
                }
            }
            p.small { "Verdict: the seven days of each week read by the " (VERDICT_SOURCE) ". Caveat: " (VERDICT_CAVEAT) "." }
        }
    }
}

fn load(report: &Report, range: (jiff::civil::Date, jiff::civil::Date)) -> Markup {
    let loads = chart::per_exercise(range, &report.exercises, &|p| p.load_kg, "kg");
    let tut = chart::per_exercise(range, &report.exercises, &|p| Some(p.tut_s / 60.0), "min");
    html! {
        section {
            h2 { "Load and time under tension, per exercise" }
            ul.legend {
                @for (i, e) in report.exercises.iter().enumerate() {
                    li { (chip(COLOURS[i % COLOURS.len()])) (e.label) }
                }
            }
            h3 { "Heaviest load of each session (kg)" }
            (svg_or_note(loads, "No load in kg or lb was logged (bodyweight or a target such as 6RM only)."))
            h3 { "Time under tension of each session (minutes)" }
            (svg_or_note(tut, "No time under tension was logged."))
            table.keep {
                thead { tr {
                    th { "Exercise" } th.n { "Sessions" } th.n { "First load" } th.n { "Last load" } th.n { "Time under tension" }
                } }
                tbody {
                    @for e in &report.exercises {
                        @let first = e.points.iter().find_map(|p| p.load_kg);
                        @let last = e.points.iter().rev().find_map(|p| p.load_kg);
                        @let tut: f64 = e.points.iter().map(|p| p.tut_s).sum();
                        tr {
                            td { (e.label) }
                            td.n { (e.points.len()) }
                            td.n { (first.map(kg).unwrap_or_default()) }
                            td.n { (last.map(kg).unwrap_or_default()) }
                            td.n { (minutes(tut)) }
                        }
                    }
                }
            }
        }
    }
}

/// "82.5 kg".
#[must_use]
pub fn kg(v: f64) -> String {
    let text = format!("{v:.1}");
    format!("{} kg", text.strip_suffix(".0").unwrap_or(&text))
}

/// "42:30" (minutes and seconds).
#[must_use]
pub fn minutes(secs: f64) -> String {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "seconds under tension, non-negative and small"
    )]
    let s = secs.max(0.0).round() as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

fn notes(report: &Report) -> Markup {
    html! {
        section.keep {
            h2 { "Notes" }
            @if report.notes.is_empty() {
                p { "No notes." }
            } @else {
                table {
                    thead { tr { th { "When" } th { "About" } th { "Note" } } }
                    tbody {
                        @for n in &report.notes {
                            tr { td { (n.at) } td { (n.about) } td { (n.text) } }
                        }
                    }
                }
            }
        }
    }
}

fn decisions(report: &Report) -> Markup {
    html! {
        section.keep {
            h2 { "The coach's decisions" }
            @if report.decisions.is_empty() {
                p { "No decisions recorded." }
            } @else {
                p { "What was advised after each session, as recorded: the next session's actual load is what counts." }
                table {
                    thead { tr {
                        th { "When" } th { "Exercise" } th { "Side" } th { "Decision" }
                        th { "Why" } th { "Rule and source" }
                    } }
                    tbody {
                        @for d in &report.decisions {
                            tr {
                                td { (d.at) } td { (d.exercise) } td { (d.side) } td { (d.what) }
                                td { (d.reason) } td { (d.rule) " (" (d.source) ")" }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn records(report: &Report) -> Markup {
    html! {
        section {
            h2 { "Records" }
            table.records {
                thead { tr {
                    th { "When" } th { "Preset" } th { "Exercise" } th { "Side" } th { "Set" }
                    th { "Reps or hold" } th { "Load" } th.n { "Pain" } th.n { "RPE" } th { "Status" }
                } }
                tbody {
                    @for r in &report.rows {
                        tr {
                            td { (r.at) } td { (r.preset) } td { (r.exercise) } td { (r.side) }
                            td { (r.set) } td { (r.work) } td { (r.load) } td.n { (r.pain) }
                            td.n { (r.rpe) } td { (r.status) }
                        }
                    }
                }
            }
        }
    }
}
