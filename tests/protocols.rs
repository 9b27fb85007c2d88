//! Every built-in preset, every week, against the protocol table of the specification.
//! Expected values are written out here from the papers' numbers, not computed by the
//! code under test; the plan is read back through `reptempo show --json`.

// Offsets are whole microseconds, printed exactly: comparing them exactly is the point.
#![allow(
    clippy::float_cmp,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation
)]

mod common;

use serde_json::Value;

fn show(args: &[&str]) -> Value {
    common::show_json(args)
}

/// sets, reps or hold seconds, tempo, rest and sides of every block.
fn blocks(doc: &Value) -> Vec<(String, u64, Value, Value, Value, f64, String)> {
    doc["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["exercise"].as_str().unwrap().to_owned(),
                b["sets"].as_u64().unwrap(),
                b["reps"].clone(),
                b["hold_s"].clone(),
                b["tempo"].clone(),
                b["rest_s"].as_f64().unwrap(),
                b["sides"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn secs(doc: &Value, key: &str) -> f64 {
    doc[key].as_f64().unwrap()
}

fn cues_of(doc: &Value, kind: &str) -> usize {
    doc["cues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == kind)
        .count()
}

/// Kongsgaard 2009: 4 sets every week; 15RM wk 1, 12RM wk 2-3, 10RM wk 4-5, 8RM wk 6-8,
/// 6RM wk 9-12; 3 s + 3 s; three exercises; rest 3 min (our pick from 2-3 min).
#[test]
fn hsr_matches_kongsgaard_2009_in_every_week() {
    for week in 1..=12u32 {
        let reps: u64 = match week {
            1 => 15,
            2..=3 => 12,
            4..=5 => 10,
            6..=8 => 8,
            _ => 6,
        };
        let doc = show(&["hsr", "--week", &week.to_string()]);
        assert_eq!(doc["week"], week);
        let names = ["Bilateral squat", "Hack squat", "Leg press"];
        for (i, b) in blocks(&doc).into_iter().enumerate() {
            assert_eq!(b.0, names[i]);
            assert_eq!(
                (b.1, b.2.as_u64(), b.4.as_str()),
                (4, Some(reps), Some("3-0-3-0")),
                "week {week}"
            );
            assert_eq!(b.5, 180.0);
            assert_eq!(doc["blocks"][i]["load"], format!("{reps}RM"));
        }
        // 3 exercises x 4 sets x reps x 6 s, 11 rests of 3 min, 5 s lead-in.
        let work = 3.0 * 4.0 * reps as f64 * 6.0;
        assert_eq!(
            secs(&doc, "total_s"),
            5.0 + work + 11.0 * 180.0,
            "week {week}"
        );
        assert_eq!(secs(&doc, "tut_s"), work);
        assert_eq!(cues_of(&doc, "down"), 12 * reps as usize);
        assert_eq!(cues_of(&doc, "up"), 12 * reps as usize);
    }
}

/// Beyer 2015: 3x15RM wk 1, 3x12RM wk 2-3, 4x10RM wk 4-5, 4x8RM wk 6-8, 4x6RM wk 9-12;
/// 3 s + 3 s; three exercises; 2-3 min between sets (2:30 picked), 5 min between exercises.
#[test]
fn hsr_achilles_matches_beyer_2015_in_every_week() {
    for week in 1..=12u32 {
        let (sets, reps): (u64, u64) = match week {
            1 => (3, 15),
            2..=3 => (3, 12),
            4..=5 => (4, 10),
            6..=8 => (4, 8),
            _ => (4, 6),
        };
        let doc = show(&["hsr-achilles", "--week", &week.to_string()]);
        let b = blocks(&doc);
        assert_eq!(b.len(), 3);
        for block in &b {
            assert_eq!(
                (block.1, block.2.as_u64(), block.4.as_str()),
                (sets, Some(reps), Some("3-0-3-0"))
            );
            assert_eq!(block.5, 150.0);
        }
        assert!(
            doc["blocks"]
                .as_array()
                .unwrap()
                .iter()
                .all(|b| b["start_phase"] == "concentric")
        );
        assert_eq!(doc["blocks"][0]["rest_after_s"], 300.0);
        assert_eq!(doc["blocks"][1]["rest_after_s"], 300.0);
        let work = 3.0 * (sets * reps) as f64 * 6.0;
        let rests = 3.0 * (sets - 1) as f64 * 150.0 + 2.0 * 300.0;
        assert_eq!(secs(&doc, "total_s"), 5.0 + work + rests, "week {week}");
        assert_eq!(secs(&doc, "tut_s"), work);
    }
}

/// Rio 2015: 5 x 45 s at 70 % MVC, 2 min rest.
#[test]
fn isometric_matches_rio_2015() {
    let doc = show(&["isometric"]);
    assert_eq!(doc["week"], Value::Null);
    let b = &doc["blocks"][0];
    assert_eq!(
        (b["kind"].as_str(), b["sets"].as_u64(), b["hold_s"].as_f64()),
        (Some("hold"), Some(5), Some(45.0))
    );
    assert_eq!(b["rest_s"], 120.0);
    assert_eq!(b["load"], "70%MVC");
    assert_eq!(secs(&doc, "total_s"), 5.0 + 5.0 * 45.0 + 4.0 * 120.0);
    assert_eq!(secs(&doc, "tut_s"), 5.0 * 45.0);
    assert_eq!(cues_of(&doc, "hold"), 5);
    // 3-2-1 before each hold ends and before each rest (and the lead-in) ends.
    assert_eq!(cues_of(&doc, "countdown"), 3 * (5 + 4 + 1));
}

/// Alfredson 1998: 3 x 15 straight knee and 3 x 15 bent knee, each leg, lowering only.
/// Our choices: 3 s down, 2 s back up on the other leg, 1 min rest, 5 s side switch.
#[test]
fn alfredson_matches_alfredson_1998() {
    let doc = show(&["alfredson"]);
    let b = blocks(&doc);
    assert_eq!(b.len(), 2);
    for block in &b {
        assert_eq!(
            (
                block.1,
                block.2.as_u64(),
                block.4.as_str(),
                block.6.as_str()
            ),
            (3, Some(15), Some("3-0-2-0"), "each")
        );
    }
    assert!(b[0].0.contains("straight knee") && b[1].0.contains("bent knee"));
    // Per set: 15 x 5 s left, 5 s switch, 15 x 5 s right; 6 sets; 5 rests of 60 s.
    assert_eq!(
        secs(&doc, "total_s"),
        5.0 + 6.0 * (75.0 + 5.0 + 75.0) + 5.0 * 60.0
    );
    // Only the 3 s lowering counts: 2 blocks x 3 sets x 2 legs x 15 reps x 3 s.
    assert_eq!(secs(&doc, "tut_s"), 2.0 * 3.0 * 2.0 * 15.0 * 3.0);
    assert_eq!(cues_of(&doc, "down"), 2 * 3 * 2 * 15);
    let one_leg = show(&["alfredson", "--side", "left"]);
    assert_eq!(secs(&one_leg, "total_s"), 5.0 + 6.0 * 75.0 + 5.0 * 60.0);
}

/// Purdam 2004: 3 x 15 each leg on a 25 degree decline board, lowering only.
#[test]
fn decline_squat_matches_purdam_2004() {
    let doc = show(&["decline-squat"]);
    let b = blocks(&doc);
    assert_eq!(b.len(), 1);
    assert_eq!(
        (b[0].1, b[0].2.as_u64(), b[0].6.as_str()),
        (3, Some(15), "each")
    );
    assert!(b[0].0.contains("25 degree"));
    assert_eq!(
        secs(&doc, "total_s"),
        5.0 + 3.0 * (75.0 + 5.0 + 75.0) + 2.0 * 60.0
    );
    assert_eq!(secs(&doc, "tut_s"), 3.0 * 2.0 * 15.0 * 3.0);
}

/// Nørregaard 2007 stretching arm: 30 s holds, straight and bent knee.
#[test]
fn calf_stretch_holds_thirty_seconds_in_both_positions() {
    let doc = show(&["calf-stretch"]);
    let b = blocks(&doc);
    assert_eq!(b.len(), 2);
    for block in &b {
        assert_eq!((block.3.as_f64(), block.6.as_str()), (Some(30.0), "each"));
    }
    assert_eq!(
        secs(&doc, "total_s"),
        5.0 + 6.0 * (30.0 + 5.0 + 30.0) + 5.0 * 30.0
    );
    let description = common::reptempo()
        .args(["show", "calf-stretch"])
        .output()
        .unwrap();
    let text = String::from_utf8(description.stdout).unwrap();
    assert!(text.contains("no significant difference"), "{text}");
}

/// Pogo: 3 bouts of 20 s at 150 a minute, 60 s rest (a convention).
#[test]
fn pogo_is_three_bouts_at_150() {
    let doc = show(&["pogo"]);
    let b = &doc["blocks"][0];
    assert_eq!(
        (
            b["cadence_bpm"].as_f64(),
            b["duration_s"].as_f64(),
            b["sets"].as_u64()
        ),
        (Some(150.0), Some(20.0), Some(3))
    );
    assert_eq!(secs(&doc, "total_s"), 5.0 + 3.0 * 20.0 + 2.0 * 60.0);
    assert_eq!(cues_of(&doc, "beat"), 3 * 50);
}

/// Heiderscheit 2011: a steady beat, 170 a minute for 10 minutes by default, +5 % / +10 %.
#[test]
fn cadence_defaults_and_percent_changes() {
    let doc = show(&["cadence"]);
    assert_eq!(doc["blocks"][0]["cadence_bpm"], 170.0);
    assert_eq!(secs(&doc, "total_s"), 5.0 + 600.0);
    assert_eq!(cues_of(&doc, "beat"), 1700);
    let plus5 = show(&["cadence", "--cadence", "+5%"]);
    assert_eq!(plus5["blocks"][0]["cadence_bpm"], 178.5);
    assert_eq!(cues_of(&plus5, "beat"), 1785);
    let plus10 = show(&["cadence", "--cadence", "+10%", "--duration", "1m"]);
    assert_eq!(cues_of(&plus10, "beat"), 187);
}

/// Each source names its paper with a DOI; the description says what was chosen.
#[test]
fn every_preset_cites_its_source_and_says_what_is_ours() {
    for id in [
        "hsr",
        "hsr-achilles",
        "isometric",
        "alfredson",
        "decline-squat",
        "calf-stretch",
        "pogo",
        "cadence",
    ] {
        let doc = show(&[id]);
        assert!(doc["source"].as_str().unwrap().contains("doi:10."), "{id}");
        let text = doc["description"].as_str().unwrap();
        assert!(
            text.contains("Our choice") || text.contains("our choice"),
            "{id} does not say what is its own choice"
        );
    }
}
