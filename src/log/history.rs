//! What the log says about the past: recent sessions, and the program week a preset is
//! in.

use super::record::{Record, SetRecord};
use super::store::Entry;

/// One past session, as the home screen lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PastSession {
    /// `YYYY-MM-DD` of its start.
    pub date: String,
    pub preset: String,
    pub sets: usize,
    pub max_pain: Option<u8>,
}

fn sets(entries: &[Entry]) -> impl Iterator<Item = &SetRecord> {
    entries.iter().filter_map(|e| match e {
        Entry::Record(Record::Set(r)) => Some(r),
        _ => None,
    })
}

/// The latest `n` sessions, newest first.
#[must_use]
pub fn recent_sessions(entries: &[Entry], n: usize) -> Vec<PastSession> {
    let mut sessions: Vec<PastSession> = Vec::new();
    let mut last_key: Option<(Option<&str>, &str)> = None;
    for r in sets(entries) {
        let key = (r.session.as_deref(), r.preset.as_str());
        if last_key == Some(key) {
            if let Some(s) = sessions.last_mut() {
                s.sets += 1;
                s.max_pain = s.max_pain.max(r.pain);
            }
        } else {
            sessions.push(PastSession {
                date: r.start.get(..10).unwrap_or_default().to_owned(),
                preset: r.preset.clone(),
                sets: 1,
                max_pain: r.pain,
            });
            last_key = Some(key);
        }
    }
    sessions.into_iter().rev().take(n).collect()
}

/// The week of a `weeks`-week program that `preset` is in on `today`, and why.
///
/// Counted from the preset's first logged session (week 1 is its first seven days),
/// but never past the week after the last one completed as planned (`per_week`
/// sessions, or at least one when the preset does not say): after missed weeks the
/// program picks up where it stopped. Week 1 when nothing is logged, the last week
/// once the program's time is over.
#[must_use]
pub fn program_week(
    entries: &[Entry],
    preset: &str,
    weeks: u32,
    per_week: Option<u32>,
    today: jiff::civil::Date,
) -> (u32, String) {
    let days: Vec<(jiff::civil::Date, Option<&str>)> = sets(entries)
        .filter(|r| r.preset == preset)
        .filter_map(|r| Some((r.start.get(..10)?.parse().ok()?, r.session.as_deref())))
        .collect();
    let Some(first) = days.iter().map(|(d, _)| *d).min() else {
        return (1, "no session logged yet".to_owned());
    };
    let week_of = |d: jiff::civil::Date| {
        u32::try_from(d.since(first).map_or(0, |s| s.get_days()).max(0) / 7).unwrap_or(0) + 1
    };
    let calendar = week_of(today);
    let mut sessions: std::collections::BTreeMap<u32, std::collections::BTreeSet<Option<&str>>> =
        std::collections::BTreeMap::new();
    for (d, session) in &days {
        sessions.entry(week_of(*d)).or_default().insert(*session);
    }
    let needed = usize::try_from(per_week.unwrap_or(1)).unwrap_or(1);
    // The run of weeks completed as planned, from week 1.
    let completed = (1..=weeks)
        .take_while(|w| sessions.get(w).is_some_and(|s| s.len() >= needed))
        .count();
    let resume = u32::try_from(completed).unwrap_or(0) + 1;
    let why = format!("first session {first}");
    if resume < calendar {
        let note = format!("{why}; week {resume} was not completed as planned");
        (resume.min(weeks), note)
    } else {
        (calendar.min(weeks), why)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::store::parse_lines;

    fn line(date: &str, session: &str, preset: &str, pain: Option<u8>) -> String {
        let pain = pain.map_or("null".to_owned(), |p| p.to_string());
        format!(
            r#"{{"kind":"set","v":1,"start":"{date}T18:00:00.000+01:00","end":"{date}T18:01:00.000+01:00","preset":"{preset}","exercise":"Squat","side":"both","set":1,"sets":4,"planned_reps":6,"done_reps":6,"hold_s":null,"tempo":"3-0-3-0","tut_s":36.0,"load":null,"pain":{pain},"rpe":null,"note":null,"status":"done","session":"{session}"}}"#
        )
    }

    fn entries(lines: &[String]) -> Vec<Entry> {
        let text = lines.join("\n") + "\n";
        parse_lines(
            std::path::Path::new("t"),
            text.as_bytes(),
            "2027-01-01T00:00:00Z".parse().unwrap(),
        )
        .0
    }

    #[test]
    fn sessions_are_grouped_newest_first() {
        let e = entries(&[
            line("2026-11-02", "a", "hsr", Some(2)),
            line("2026-11-02", "a", "hsr", Some(3)),
            line("2026-11-04", "b", "isometric", None),
        ]);
        let recent = recent_sessions(&e, 5);
        assert_eq!(recent.len(), 2);
        assert_eq!(
            (recent[0].preset.as_str(), recent[0].sets),
            ("isometric", 1)
        );
        assert_eq!((recent[1].sets, recent[1].max_pain), (2, Some(3)));
    }

    #[test]
    fn the_week_counts_from_the_first_session() {
        let e = entries(&[
            line("2026-10-06", "a", "hsr", None),
            line("2026-10-08", "b", "hsr", None),
        ]);
        let day = |s: &str| s.parse::<jiff::civil::Date>().unwrap();
        assert_eq!(program_week(&e, "hsr", 12, None, day("2026-10-12")).0, 1);
        assert_eq!(program_week(&e, "hsr", 12, None, day("2026-10-13")).0, 2);
        assert_eq!(
            program_week(&e, "alfredson", 12, None, day("2026-11-24")).0,
            1
        );
        // Only week 1 was trained: seven weeks later the program resumes at week 2.
        let (week, why) = program_week(&e, "hsr", 12, None, day("2026-11-24"));
        assert_eq!(week, 2);
        assert!(why.contains("week 2 was not completed as planned"), "{why}");
    }

    #[test]
    fn a_program_done_every_week_follows_the_calendar_and_ends() {
        let lines: Vec<String> = (0..12)
            .flat_map(|w| {
                (0..3).map(move |s| {
                    let d = "2026-01-05".parse::<jiff::civil::Date>().unwrap()
                        + jiff::Span::new().days(w * 7 + s * 2);
                    line(&d.to_string(), &format!("{w}-{s}"), "hsr", None)
                })
            })
            .collect();
        let e = entries(&lines);
        let day = |s: &str| s.parse::<jiff::civil::Date>().unwrap();
        assert_eq!(program_week(&e, "hsr", 12, Some(3), day("2026-02-02")).0, 5);
        // Two sessions in a week that needs three: that week is repeated.
        let short: Vec<String> = lines.iter().take(5).cloned().collect();
        assert_eq!(
            program_week(&entries(&short), "hsr", 12, Some(3), day("2026-01-20")).0,
            2
        );
        assert_eq!(
            program_week(&e, "hsr", 12, Some(3), day("2027-01-01")).0,
            12
        );
    }
}
