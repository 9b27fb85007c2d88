//! The coach over fixture logs: each condition and action on its own, the built-in
//! presets' rules, the run-time pain limit, and a property: whatever the log, no
//! decision increases anything while a pain signal is above the model's limits.

use std::path::Path;

use serde_json::{Value, json};

use super::*;
use crate::log::store::parse_lines;

/// One set line as reptempo writes it; `extra` replaces fields.
fn set(start: &str, preset: &str, exercise: &str, set: u32, extra: &Value) -> String {
    let mut v = json!({
        "kind": "set", "v": 1, "start": start, "end": start, "preset": preset,
        "exercise": exercise, "side": "both", "set": set, "sets": 4, "planned_reps": 8,
        "done_reps": 8, "hold_s": null, "tempo": "3-0-3-0", "tut_s": 48.0,
        "load": {"value": 80.0, "unit": "kg"}, "pain": 1, "rpe": 6.0, "note": null,
        "status": "done", "session": start, "week": 2,
    });
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    v.to_string()
}

/// A session on `date` at 18:00: sets 1 to `sets` of one exercise; `each` gives each
/// set's own changes (by set number, from 1), `all` every set's.
fn session(
    date: &str,
    preset: &str,
    exercise: &str,
    all: &Value,
    each: &[(u32, Value)],
) -> Vec<String> {
    let start = format!("{date}T18:00:00+01:00");
    let sets = all.get("sets").and_then(Value::as_u64).unwrap_or(4);
    (1..=u32::try_from(sets).unwrap())
        .map(|n| {
            let mut extra = all.clone();
            extra["session"] = json!(start);
            for (_, more) in each.iter().filter(|(s, _)| *s == n) {
                for (k, x) in more.as_object().unwrap() {
                    extra[k] = x.clone();
                }
            }
            set(&start, preset, exercise, n, &extra)
        })
        .collect()
}

fn morning(at: &str, pain: u8) -> String {
    json!({"kind": "pain", "v": 1, "at": at, "pain": pain, "note": null}).to_string()
}

fn entries(lines: &[String]) -> Vec<Entry> {
    let text = lines.join("\n") + "\n";
    let now = "2030-01-01T00:00:00Z".parse().unwrap();
    let (entries, warnings) = parse_lines(Path::new("t"), text.as_bytes(), now);
    assert!(warnings.is_empty(), "{warnings:?}");
    entries
}

fn day(s: &str) -> jiff::civil::Date {
    s.parse().unwrap()
}

fn builtin(id: &str) -> Preset {
    crate::preset::Catalog::load(None).0.resolve(id).unwrap().0
}

fn parse(text: &str) -> Preset {
    Preset::parse(text, Path::new("t.toml")).unwrap()
}

const HEAD: &str = "id = \"t\"\nname = \"T\"\nsource = \"S 2020\"\n[[block]]\nexercise = \"Squat\"\nreps = 8\ntempo = \"3-0-3-0\"\nsets = 4\n";

/// The three guards that let an increasing rule pass `check`, with actions that do
/// not increase.
const GUARDS: &str = "[[rule]]\nname = \"g1\"\nsource = \"s\"\nwhen = { pain_during_above = 5 }\nthen = { none = true }\n\
[[rule]]\nname = \"g2\"\nsource = \"s\"\nwhen = { morning_pain_above = 5 }\nthen = { none = true }\n\
[[rule]]\nname = \"g3\"\nsource = \"s\"\nwhen = { morning_pain_rising = true }\nthen = { none = true }\n";

fn probe(when: &str, then: &str) -> Preset {
    let guards = if then.contains('+') || then.contains("stage") {
        GUARDS
    } else {
        ""
    };
    parse(&format!(
        "{HEAD}{guards}[[rule]]\nname = \"probe\"\nsource = \"P 2020\"\ncaveat = \"c\"\nwhen = {when}\nthen = {then}\n"
    ))
}

fn only(advice: &Advice) -> &Decision {
    assert_eq!(advice.exercises.len(), 1, "{advice:?}");
    &advice.exercises[0]
}

#[test]
#[allow(clippy::too_many_lines, reason = "one table, a row a case")]
fn each_condition_holds_and_fails_on_its_numbers() {
    let today = "2026-11-21";
    let done = session("2026-11-20", "t", "Squat", &json!({}), &[]);
    let with = |all: Value, each: &[(u32, Value)]| session("2026-11-20", "t", "Squat", &all, each);
    let plus = |mut lines: Vec<String>, more: &[String]| {
        lines.extend_from_slice(more);
        lines
    };
    let stopped = with(
        json!({}),
        &[(4, json!({"status": "stopped", "done_reps": 5}))],
    );
    let fewer = with(json!({}), &[(2, json!({"done_reps": 7}))]);
    let beat = with(json!({"done_reps": 10}), &[]);
    let beat_but_one = with(json!({"done_reps": 10}), &[(3, json!({"done_reps": 8}))]);
    let three_sets = with(json!({"sets": 4}), &[])
        .into_iter()
        .take(3)
        .collect::<Vec<_>>();
    let rpe_missing = with(json!({}), &[(2, json!({"rpe": null}))]);
    let unscored = with(json!({}), &[(1, json!({"pain": null}))]);
    let after = |p| morning("2026-11-21T07:00:00+01:00", p);
    let last_week = |p| morning("2026-11-13T07:00:00+01:00", p);
    let cases: Vec<(&str, Vec<String>, bool)> = vec![
        (
            "{ pain_during_above = 5 }",
            with(json!({}), &[(2, json!({"pain": 6}))]),
            true,
        ),
        (
            "{ pain_during_above = 5 }",
            with(json!({"pain": 5}), &[]),
            false,
        ),
        (
            "{ pain_during_above = 0 }",
            with(json!({"pain": null}), &[]),
            false,
        ),
        (
            "{ pain_during_at_most = 3 }",
            with(json!({"pain": 3}), &[]),
            true,
        ),
        (
            "{ pain_during_at_most = 3 }",
            with(json!({}), &[(4, json!({"pain": 4}))]),
            false,
        ),
        ("{ pain_during_at_most = 3 }", unscored, false),
        (
            "{ morning_pain_above = 5 }",
            plus(done.clone(), &[after(6)]),
            true,
        ),
        (
            "{ morning_pain_above = 5 }",
            plus(done.clone(), &[after(5)]),
            false,
        ),
        // Three days later is not "after" the session.
        (
            "{ morning_pain_above = 5 }",
            plus(done.clone(), &[morning("2026-11-23T07:00:00+01:00", 8)]),
            false,
        ),
        (
            "{ morning_pain_at_most = 2 }",
            plus(done.clone(), &[after(2)]),
            true,
        ),
        ("{ morning_pain_at_most = 2 }", done.clone(), false),
        (
            "{ morning_pain_rising = true }",
            plus(done.clone(), &[last_week(1), after(2)]),
            true,
        ),
        (
            "{ morning_pain_rising = true }",
            plus(done.clone(), &[last_week(2), after(2)]),
            false,
        ),
        (
            "{ morning_pain_rising = false }",
            plus(done.clone(), &[last_week(2), after(2)]),
            true,
        ),
        ("{ morning_pain_rising = false }", done.clone(), true),
        ("{ all_sets_done = true }", done.clone(), true),
        ("{ all_sets_done = true }", stopped.clone(), false),
        ("{ all_sets_done = true }", fewer, false),
        ("{ all_sets_done = true }", three_sets.clone(), false),
        ("{ all_sets_done = false }", stopped, true),
        ("{ reps_above_target = true }", beat, true),
        ("{ reps_above_target = true }", beat_but_one, false),
        ("{ reps_above_target = true }", done.clone(), false),
        ("{ reps_above_target = false }", done.clone(), true),
        (
            "{ rpe_at_most = 7 }",
            with(json!({}), &[(3, json!({"rpe": 7.0}))]),
            true,
        ),
        (
            "{ rpe_at_most = 7 }",
            with(json!({}), &[(3, json!({"rpe": 7.5}))]),
            false,
        ),
        ("{ rpe_at_most = 7 }", rpe_missing, false),
        (
            "{ rpe_at_least = 9 }",
            with(json!({}), &[(4, json!({"rpe": 9.0}))]),
            true,
        ),
        ("{ rpe_at_least = 9 }", done.clone(), false),
        ("{}", three_sets, true),
    ];
    for (when, lines, expected) in cases {
        let advice = decide(
            &probe(when, "{ none = true }"),
            &entries(&lines),
            day(today),
        );
        let d = only(&advice);
        assert_eq!(d.rule == "probe", expected, "{when}: {}", d.reason);
        if expected {
            assert_eq!(
                (d.source.as_str(), d.caveat.as_deref()),
                ("P 2020", Some("c"))
            );
        }
    }
}

#[test]
fn sessions_and_days_in_a_row_count_back_from_the_last_session() {
    let day_of = |n: i64| (day("2026-11-01") + jiff::Span::new().days(n)).to_string();
    let easy = |n| session(&day_of(n), "t", "Squat", &json!({}), &[]);
    let hard = |n| session(&day_of(n), "t", "Squat", &json!({"rpe": 9.0}), &[]);
    let log = |sessions: Vec<Vec<String>>| entries(&sessions.concat());
    let applies = |when: &str, e: &[Entry]| {
        only(&decide(
            &probe(when, "{ none = true }"),
            e,
            day("2026-11-30"),
        ))
        .rule
            == "probe"
    };
    let two = "{ rpe_at_most = 7, sessions_in_a_row = 2 }";
    assert!(applies(two, &log(vec![hard(0), easy(2), easy(4)])));
    assert!(!applies(two, &log(vec![easy(0), hard(2), easy(4)])));
    assert!(!applies(two, &log(vec![easy(4)])));
    let week = "{ rpe_at_most = 7, days_in_a_row = 7 }";
    assert!(applies(week, &log(vec![easy(0), easy(6)])));
    assert!(!applies(week, &log(vec![easy(1), easy(6)])));
    assert!(!applies(week, &log(vec![easy(0), hard(1), easy(6)])));
    let d = only(&decide(
        &probe(week, "{ none = true }"),
        &log(vec![easy(0), easy(3), easy(6)]),
        day("2026-11-30"),
    ))
    .clone();
    assert!(
        d.reason.contains("in 3 sessions in a row over 7 days"),
        "{}",
        d.reason
    );
}

/// An action's case: (then, kind, change, load, how the reason ends).
type Case<'a> = (&'a str, Kind, Option<&'a str>, Option<LoadRecord>, &'a str);

#[test]
fn each_action_gives_its_kind_change_and_load() {
    let lines = session("2026-11-20", "t", "Squat", &json!({"week": 3}), &[]);
    let e = entries(&lines);
    let weeks = "[program]\nweeks = 4\n[[week]]\nweeks = \"1-4\"\nsets = 4\n";
    let kg = |v: f64| {
        Some(LoadRecord {
            value: Some(v),
            unit: "kg".to_owned(),
        })
    };
    let cases: Vec<Case> = vec![
        (
            "{ load = \"+2.5kg\" }",
            Kind::Progress,
            Some("+2.5kg"),
            kg(82.5),
            "load +2.5kg: 80kg -> 82.5kg",
        ),
        (
            "{ load = \"-10%\" }",
            Kind::Regress,
            Some("-10%"),
            kg(72.0),
            "load -10%: 80kg -> 72kg",
        ),
        (
            "{ reps = +1 }",
            Kind::Progress,
            Some("+1 rep"),
            kg(80.0),
            "+1 rep a set: 8 -> 9",
        ),
        (
            "{ reps = -2 }",
            Kind::Regress,
            Some("-2 reps"),
            kg(80.0),
            "-2 reps a set: 8 -> 6",
        ),
        (
            "{ hold = \"+5s\" }",
            Kind::Progress,
            Some("+5s"),
            kg(80.0),
            "hold +5s",
        ),
        (
            "{ week = \"repeat\" }",
            Kind::Hold,
            Some("repeat week 3"),
            kg(80.0),
            "repeat week 3",
        ),
        (
            "{ week = \"back\" }",
            Kind::Regress,
            Some("back to week 2"),
            kg(80.0),
            "back to week 2",
        ),
        (
            "{ stage = \"pogo\" }",
            Kind::Stage,
            None,
            None,
            "move on to pogo",
        ),
        ("{ none = true }", Kind::Hold, None, kg(80.0), "keep 80kg"),
    ];
    for (then, kind, change, load, ends) in cases {
        let preset = if then.contains("week") {
            parse(&format!(
                "{HEAD}{weeks}[[rule]]\nname = \"probe\"\nsource = \"P\"\nwhen = {{}}\nthen = {then}\n"
            ))
        } else {
            probe("{}", then)
        };
        let d = only(&decide(&preset, &e, day("2026-11-21"))).clone();
        assert_eq!(
            (d.decision, d.change.as_deref(), d.load),
            (kind, change, load),
            "{then}"
        );
        assert!(d.reason.ends_with(ends), "{then}: {}", d.reason);
        assert_eq!(d.stage.is_some(), kind == Kind::Stage);
    }
}

#[test]
fn a_percentage_target_is_changed_and_a_repetition_maximum_is_not() {
    let iso = |target: &str| {
        session(
            "2026-11-20",
            "t",
            "Squat",
            &json!({"load": null, "target": target}),
            &[],
        )
    };
    let cut = probe("{}", "{ load = \"-10%\" }");
    let d = only(&decide(&cut, &entries(&iso("70%MVC")), day("2026-11-21"))).clone();
    assert_eq!(
        d.load,
        Some(LoadRecord {
            value: Some(63.0),
            unit: "%MVC".to_owned()
        })
    );
    let d = only(&decide(&cut, &entries(&iso("6RM")), day("2026-11-21"))).clone();
    assert_eq!((d.load, d.change.as_deref()), (None, Some("-10%")));
    assert!(
        d.reason.contains("no load in kg or lb logged"),
        "{}",
        d.reason
    );
}

// ---- the built-in presets ----

fn hsr_session(date: &str, all: &Value, each: &[(u32, Value)]) -> Vec<String> {
    session(date, "hsr", "Bilateral squat", all, each)
}

#[test]
fn hsr_every_set_done_at_rpe_6_and_pain_1_progresses() {
    let e = entries(&hsr_session(
        "2026-11-20",
        &json!({"rpe": 6.0, "pain": 1}),
        &[],
    ));
    let advice = decide(&builtin("hsr"), &e, day("2026-11-21"));
    assert_eq!(advice.week, Some(2));
    let d = only(&advice);
    assert_eq!(d.decision, Kind::Progress, "{}", d.reason);
    assert_eq!(d.change.as_deref(), Some("+5%"));
    assert_eq!(
        d.load,
        Some(LoadRecord {
            value: Some(84.0),
            unit: "kg".to_owned()
        })
    );
    assert_eq!(
        d.rule,
        "every set reached its target reps at the planned tempo with RPE 7 or lower"
    );
    assert!(
        d.source.contains("Kongsgaard") && d.source.contains("ACSM"),
        "{}",
        d.source
    );
    assert!(d.caveat.as_deref().unwrap().starts_with("extrapolation"));
    assert!(
        d.reason
            .contains("all 4 sets done as planned; highest RPE 6 (at most 7)"),
        "{}",
        d.reason
    );
}

#[test]
fn hsr_pain_6_during_a_set_regresses() {
    let e = entries(&hsr_session(
        "2026-11-20",
        &json!({}),
        &[(3, json!({"pain": 6}))],
    ));
    let d = only(&decide(&builtin("hsr"), &e, day("2026-11-21"))).clone();
    assert_eq!(
        (d.decision, d.change.as_deref()),
        (Kind::Regress, Some("-10%"))
    );
    assert_eq!(d.load.unwrap().value, Some(72.0));
    assert_eq!(d.rule, "pain during exercise above 5/10");
    assert!(d.source.contains("Silbernagel"));
    assert!(d.caveat.unwrap().contains("n=38"));
    assert!(
        d.reason
            .contains("pain during a set reached 6/10, above 5/10"),
        "{}",
        d.reason
    );
}

#[test]
fn hsr_morning_pain_above_last_weeks_does_not_progress() {
    let mut lines = vec![morning("2026-11-12T07:00:00+01:00", 1)];
    lines.extend(hsr_session("2026-11-20", &json!({}), &[]));
    lines.push(morning("2026-11-21T07:00:00+01:00", 3));
    let d = only(&decide(
        &builtin("hsr"),
        &entries(&lines),
        day("2026-11-21"),
    ))
    .clone();
    assert_ne!(d.decision, Kind::Progress, "{}", d.reason);
    assert_eq!(d.rule, "morning pain rising week on week");
    assert!(
        d.reason
            .contains("morning pain averaged 3.0/10 this week, up from 1.0/10"),
        "{}",
        d.reason
    );
}

#[test]
fn hsr_a_stopped_session_does_not_progress() {
    let lines = hsr_session(
        "2026-11-20",
        &json!({}),
        &[(4, json!({"status": "stopped", "done_reps": 3}))],
    );
    let d = only(&decide(
        &builtin("hsr"),
        &entries(&lines),
        day("2026-11-21"),
    ))
    .clone();
    assert_eq!(d.decision, Kind::Hold, "{}", d.reason);
    assert_eq!(d.rule, "otherwise: keep everything as it is");
}

#[test]
fn hsr_previews_never_count() {
    let mut lines = hsr_session("2026-11-19", &json!({"rpe": 9.0}), &[]);
    lines.extend(hsr_session(
        "2026-11-20",
        &json!({"speed": 10.0, "pain": 9}),
        &[],
    ));
    let d = only(&decide(
        &builtin("hsr"),
        &entries(&lines),
        day("2026-11-21"),
    ))
    .clone();
    assert_eq!(d.decision, Kind::Hold, "{}", d.reason);
    assert!(d.reason.starts_with("2026-11-19 session"), "{}", d.reason);
}

fn iso_days(days: i64, pain: u8) -> Vec<String> {
    (0..days)
        .flat_map(|n| {
            let date = (day("2026-11-01") + jiff::Span::new().days(n)).to_string();
            session(
                &date,
                "isometric",
                "Leg extension, isometric hold",
                &json!({"sets": 5, "planned_reps": null, "done_reps": null, "tempo": null,
                        "hold_s": 45.0, "planned_hold_s": 45.0, "load": null,
                        "target": "70%MVC", "pain": pain, "rpe": null, "week": null}),
                &[],
            )
        })
        .collect()
}

#[test]
fn isometric_two_weeks_at_pain_3_or_less_moves_on_to_hsr() {
    let e = entries(&iso_days(14, 3));
    let advice = decide(&builtin("isometric"), &e, day("2026-11-15"));
    assert_eq!(advice.week, None);
    let d = only(&advice);
    assert_eq!(
        (d.decision, d.stage.as_deref()),
        (Kind::Stage, Some("hsr")),
        "{}",
        d.reason
    );
    assert!(d.source.contains("Breda") && d.source.contains("Escriche-Escuder"));
    let caveat = d.caveat.as_deref().unwrap();
    assert!(
        caveat.contains("not validated") && caveat.contains("single trial"),
        "{caveat}"
    );
    // Pain 4 is within the model's limits, but not the gate's.
    let d = only(&decide(
        &builtin("isometric"),
        &entries(&iso_days(14, 4)),
        day("2026-11-15"),
    ))
    .clone();
    assert_eq!(d.decision, Kind::Hold, "{}", d.reason);
    // Less than a week at the stage.
    let d = only(&decide(
        &builtin("isometric"),
        &entries(&iso_days(6, 2)),
        day("2026-11-15"),
    ))
    .clone();
    assert_eq!(d.decision, Kind::Hold, "{}", d.reason);
}

#[test]
fn isometric_pain_cuts_the_effort_by_a_tenth() {
    let mut lines = iso_days(3, 2);
    lines.extend(iso_days(4, 7).split_off(15));
    let d = only(&decide(
        &builtin("isometric"),
        &entries(&lines),
        day("2026-11-05"),
    ))
    .clone();
    assert_eq!(d.decision, Kind::Regress, "{}", d.reason);
    assert_eq!(
        d.load,
        Some(LoadRecord {
            value: Some(63.0),
            unit: "%MVC".to_owned()
        })
    );
}

#[test]
fn every_builtin_rule_names_its_source_and_caveat_and_every_stage_exists() {
    let (catalog, _) = crate::preset::Catalog::load(None);
    for (preset, _) in catalog.iter() {
        for rule in &preset.rules {
            assert!(
                rule.source.contains("doi:10."),
                "{}: {}",
                preset.id,
                rule.name
            );
            assert!(
                rule.caveat.as_ref().is_some_and(|c| !c.is_empty()),
                "{}: {}",
                preset.id,
                rule.name
            );
            if let Action::Stage(id) = &rule.then {
                let next = catalog.get(id).unwrap().0;
                let (from, to) = (preset.stage.unwrap().number(), next.stage.unwrap().number());
                assert_eq!(to, from + 1, "{} -> {id}", preset.id);
            }
        }
    }
    let iso = builtin("isometric");
    assert!(iso.description.contains(
        "Isometrics have not been shown to relieve pain better than slow isotonic exercise; individual response varies"
    ));
}

// ---- the run-time limit ----

#[test]
fn pain_in_another_exercise_holds_back_a_progression() {
    let mut lines = hsr_session("2026-11-20", &json!({}), &[]);
    lines.extend(session(
        "2026-11-20",
        "hsr",
        "Leg press",
        &json!({}),
        &[(2, json!({"pain": 7}))],
    ));
    let advice = decide(&builtin("hsr"), &entries(&lines), day("2026-11-21"));
    let squat = &advice.exercises[0];
    assert_eq!(squat.exercise, "Bilateral squat");
    assert_eq!(squat.decision, Kind::Regress, "{}", squat.reason);
    assert_eq!(squat.rule, "pain-monitoring model (run-time limit)");
    assert!(
        squat.reason.starts_with("rule \"every set reached"),
        "{}",
        squat.reason
    );
    assert!(
        squat.reason.contains("pain 7/10 during Leg press set 2"),
        "{}",
        squat.reason
    );
    assert_eq!(squat.load.as_ref().unwrap().value, Some(72.0));
    // A morning above the session's own pain: amber, hold.
    let mut lines = hsr_session("2026-11-20", &json!({"pain": 1}), &[]);
    lines.push(morning("2026-11-21T07:00:00+01:00", 3));
    let d = only(&decide(
        &builtin("hsr"),
        &entries(&lines),
        day("2026-11-21"),
    ))
    .clone();
    assert_eq!(d.decision, Kind::Hold, "{}", d.reason);
}

#[test]
fn the_text_names_the_decision_the_rule_and_the_caveat() {
    let e = entries(&hsr_session("2026-11-20", &json!({}), &[]));
    let out = text(&decide(&builtin("hsr"), &e, day("2026-11-21")));
    assert!(out.starts_with("hsr next: week 2\n"), "{out}");
    assert!(
        out.contains("\nBilateral squat: PROGRESS +5% -> 84 kg\n"),
        "{out}"
    );
    assert!(out.contains("  caveat: extrapolation"), "{out}");
}

// ---- the property ----

use proptest::prelude::*;

prop_compose! {
    /// One session of 4 sets, mostly done as planned, so that the progression rules
    /// fire often and the pain limits have something to stop.
    fn any_session()(
        day in 0i64..20, exercise in 0usize..2,
        sets in proptest::collection::vec((
            proptest::option::of(0u8..=10),
            proptest::option::of(0u8..=10),
            7u32..11,
            proptest::bool::weighted(0.1),
        ), 4),
        kg in proptest::option::of(1u32..200), preview in proptest::bool::weighted(0.1),
    ) -> (i64, Vec<String>) {
        let date = day_after(day);
        let start = format!("{date}T18:00:00+01:00");
        let exercise = ["Bilateral squat", "Leg press"][exercise];
        let lines = sets.iter().zip(1..).map(|(&(pain, rpe, done, stopped), number)| {
            let mut extra = json!({
                "pain": pain.filter(|_| number % 2 == 0).map(|p| p.min(3)).or(pain),
                "rpe": rpe.map(|r| f64::from(r.min(7))), "done_reps": done,
                "status": if stopped { "stopped" } else { "done" },
                "load": kg.map(|k| json!({"value": f64::from(k), "unit": "kg"})),
            });
            if preview {
                extra["speed"] = json!(10.0);
            }
            set(&start, "hsr", exercise, number, &extra)
        }).collect();
        (day, lines)
    }
}

fn day_after(n: i64) -> jiff::civil::Date {
    day("2026-11-01") + jiff::Span::new().days(n)
}

proptest! {
    /// Whatever the log, no decision increases anything (load, reps, hold, stage)
    /// while a pain signal is above the model's limits: a set above 5/10 or a morning
    /// above 5/10 in the window, or the pain light not green.
    #[test]
    fn no_increase_under_a_pain_signal(
        mut sessions in proptest::collection::vec(any_session(), 1..12),
        mornings in proptest::collection::vec((0i64..20, 0u8..=10), 0..8),
        today in 5i64..24,
        preset in 0usize..3,
    ) {
        sessions.sort_by_key(|(d, _)| *d);
        let mut lines: Vec<String> = sessions.into_iter().flat_map(|(_, l)| l).collect();
        lines.extend(mornings.iter().map(|(d, p)| morning(&format!("{}T07:00:00+01:00", day_after(*d)), *p)));
        let e = entries(&lines);
        let today = day_after(today);
        let id = ["hsr", "hsr-achilles", "isometric"][preset];
        let mut preset = builtin(id);
        preset.id = "hsr".to_owned();
        let advice = decide(&preset, &e, today);
        let light = stats::verdict(&e, &|_| true, today);
        let window = |d: &str| local_date(d).is_some_and(|d| d <= today && today.since(d).unwrap().get_days() < 7);
        let over = training_sets(&e).any(|r| r.pain.is_some_and(|p| p > 5) && window(&r.start))
            || e.iter().any(|x| matches!(x, Entry::Record(Record::Pain(p)) if p.pain > 5 && window(&p.at)));
        let signal = over || light.is_some_and(|v| v.light != Light::Green);
        for d in &advice.exercises {
            if signal {
                prop_assert!(!matches!(d.decision, Kind::Progress | Kind::Stage), "{d:?}");
            }
            let last = training_sets(&e)
                .filter(|r| r.exercise == d.exercise)
                .last()
                .and_then(|r| r.load.as_ref()?.value);
            if let (true, Some(before), Some(after)) = (signal, last, d.load.as_ref().and_then(|l| l.value)) {
                prop_assert!(after <= before, "{d:?}");
            }
        }
    }
}

// ---- the static check ----

fn problems(rules: &str) -> Vec<String> {
    match Preset::parse(&format!("{HEAD}{rules}"), Path::new("t.toml")) {
        Ok(_) => Vec::new(),
        Err(crate::preset::PresetError::Invalid { diagnostics, .. }) => {
            diagnostics.iter().map(ToString::to_string).collect()
        }
        Err(other) => vec![other.to_string()],
    }
}

#[test]
fn an_increasing_rule_needs_each_pain_signal_excluded_or_caught_before_it() {
    let add = "[[rule]]\nname = \"add\"\nsource = \"s\"\nwhen = { all_sets_done = true }\nthen = { load = \"+5%\" }\n";
    assert_eq!(problems(&format!("{GUARDS}{add}")), Vec::<String>::new());
    let unguarded = problems(add);
    assert_eq!(unguarded.len(), 3, "{unguarded:?}");
    assert!(
        unguarded[0].starts_with(
            "13:8: rule 1 (\"add\") increases but could apply with pain during a set above 5/10"
        ),
        "{unguarded:?}"
    );
    // A guard after the rule, with another condition, above 5, or that increases, does
    // not count.
    for guard in [
        "when = { pain_during_above = 6 }\nthen = { none = true }",
        "when = { pain_during_above = 5, rpe_at_least = 8 }\nthen = { none = true }",
        "when = { pain_during_above = 5 }\nthen = { reps = +1 }",
    ] {
        let text = format!(
            "[[rule]]\nname = \"g\"\nsource = \"s\"\n{guard}\n{}",
            &GUARDS[GUARDS.find("[[rule]]\nname = \"g2\"").unwrap()..]
        );
        let found = problems(&format!("{text}{add}"));
        assert!(
            found
                .iter()
                .any(|p| p.contains("(\"add\") increases but could apply with pain during")),
            "{guard}: {found:?}"
        );
    }
    // Its own conditions can exclude the signals instead.
    let own = "[[rule]]\nname = \"own\"\nsource = \"s\"\nwhen = { pain_during_at_most = 5, morning_pain_at_most = 5, morning_pain_rising = false }\nthen = { stage = \"pogo\" }\n";
    assert_eq!(problems(own), Vec::<String>::new());
}

#[test]
fn a_bad_rule_is_reported_at_its_line_and_column() {
    let found = problems(
        "[[rule]]\nname = \"r\"\nwhen = { pain_during_above = 11, feeling = 1 }\nthen = { load = \"5kg\" }\n\
         [[rule]]\nname = \"s\"\nsource = \"s\"\nwhen = {}\nthen = { stage = \"t\" }\n",
    );
    let at: Vec<&str> = found
        .iter()
        .map(|p| p.split(": ").next().unwrap())
        .collect();
    assert_eq!(at, ["9:1", "11:30", "11:34", "12:17", "17:18"], "{found:?}");
    assert!(found[0].ends_with("rule 1 has no `source`"), "{found:?}");
    assert!(found[1].contains("pain_during_above must be from 0 to 10, not 11"));
    assert!(found[2].contains("unknown field `feeling`"), "{found:?}");
    assert!(found[3].contains("load change \"5kg\" is not a change"));
    assert!(found[4].contains("stage \"t\" is this preset"));
}

/// The built-in rules that answer one pain signal of the model alone give the answer
/// the pain light gives it (`stats::model::light`): red regresses, amber holds. So
/// `stats` and `next` cannot disagree on the same pain.
#[test]
fn every_builtin_pain_rule_does_what_the_pain_light_says() {
    use crate::log::stats::model::{self, Signal};
    let alone = |w: &Conditions| -> Option<Signal> {
        let Conditions {
            pain_during_above,
            pain_during_at_most: None,
            morning_pain_above,
            morning_pain_at_most: None,
            morning_pain_rising,
            all_sets_done: None,
            reps_above_target: None,
            rpe_at_most: None,
            rpe_at_least: None,
            sessions_in_a_row: 1,
            days_in_a_row: 0,
        } = w
        else {
            return None;
        };
        match (pain_during_above, morning_pain_above, morning_pain_rising) {
            (Some(n), None, None) if *n <= 5 => Some(Signal::PainDuring),
            (None, Some(n), None) if *n <= 5 => Some(Signal::MorningNotSettled),
            (None, None, Some(true)) => Some(Signal::MorningRising),
            _ => None,
        }
    };
    let (catalog, _) = crate::preset::Catalog::load(None);
    let mut seen = Vec::new();
    for (preset, _) in catalog.iter() {
        for rule in &preset.rules {
            let Some(signal) = alone(&rule.when) else {
                continue;
            };
            let want = match model::light(signal) {
                Light::Red => Kind::Regress,
                Light::Amber => Kind::Hold,
                Light::Green => Kind::Progress,
            };
            assert_eq!(
                kind_of(&rule.then),
                want,
                "{}: {} against the light for {signal:?}",
                preset.id,
                rule.name
            );
            seen.push(signal);
        }
    }
    assert!(seen.contains(&Signal::MorningRising), "{seen:?}");
}
