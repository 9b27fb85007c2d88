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

/// The week of a `weeks`-week program that `preset` is in on `today`, counted from its
/// first logged session (week 1 is the first seven days), and why; week 1 when nothing
/// is logged, the last week once the program's time is over.
#[must_use]
pub fn program_week(
    entries: &[Entry],
    preset: &str,
    weeks: u32,
    today: jiff::civil::Date,
) -> (u32, String) {
    let first = sets(entries)
        .filter(|r| r.preset == preset)
        .filter_map(|r| r.start.get(..10)?.parse::<jiff::civil::Date>().ok())
        .min();
    let Some(first) = first else {
        return (1, "no session logged yet".to_owned());
    };
    let days = today.since(first).map_or(0, |s| s.get_days()).max(0);
    let week = u32::try_from(days / 7).unwrap_or(0) + 1;
    (week.min(weeks), format!("first session {first}"))
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
        parse_lines(std::path::Path::new("t"), text.as_bytes()).0
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
        assert_eq!(program_week(&e, "hsr", 12, day("2026-10-12")).0, 1);
        assert_eq!(program_week(&e, "hsr", 12, day("2026-10-13")).0, 2);
        assert_eq!(
            program_week(&e, "hsr", 12, day("2026-11-24")),
            (8, "first session 2026-10-06".to_owned())
        );
        assert_eq!(program_week(&e, "hsr", 12, day("2027-06-01")).0, 12);
        assert_eq!(program_week(&e, "alfredson", 12, day("2026-11-24")).0, 1);
    }
}
