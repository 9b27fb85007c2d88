//! Set and pain lines read straight into their views, without serde's struct visitor:
//! reading the log for `stats` and `log --csv` was half `serde_json`'s field matching and
//! string scanning (BENCHMARKS.md, "History over a 100,000-line log").
//!
//! The scanner takes only what it is sure of, and takes it exactly as `serde_json` would:
//! a flat object of known keys, each once, whose strings hold no escape and whose numbers
//! are plain. Anything else (an escape, an unknown or repeated key, a missing field, a
//! negative or long number, a stray byte) gives `None`, and the caller parses the line
//! with serde as before, so the result of a line never depends on which path read it.
//! The tests hold the two paths to the same answer on generated lines.

// Outer `None`: the scanner does not take the value; inner `None`: JSON `null`.
#![allow(clippy::option_option, reason = "taken or not, then null or not")]

use std::borrow::Cow;

use super::{LoadView, PainView, SetView};

/// Where the scanner is in a line.
struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

/// A value as it stands in the line: the scanner decides its type from the key.
enum Value<'a> {
    Null,
    Str(Cow<'a, str>),
    /// The token, checked later by the field's type.
    Num(&'a str),
    /// An object starts here: only `load` may hold one.
    Object,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// JSON's whitespace, the four bytes `serde_json` skips.
    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        self.space();
        (self.peek() == Some(byte)).then(|| self.at += 1)
    }

    /// A string, borrowed from the line unless it holds an escape. The escapes `serde_json`
    /// reads as one character are read here; `\u` goes to serde (surrogate pairs).
    /// Control characters were ruled out for the whole line by [`plain`].
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.eat(b'"')?;
        let bytes = self.text.as_bytes();
        let start = self.at;
        let mut owned: Option<String> = None;
        let mut from = start;
        loop {
            let end = from + memchr::memchr2(b'"', b'\\', &bytes[from..])?;
            // Each end sits next to an ASCII byte, so it is a character boundary.
            let piece = self.text.get(from..end)?;
            if bytes[end] == b'"' {
                self.at = end + 1;
                return Some(match owned {
                    None => Cow::Borrowed(piece),
                    Some(mut text) => {
                        text.push_str(piece);
                        Cow::Owned(text)
                    }
                });
            }
            let text = owned.get_or_insert_with(String::new);
            text.push_str(piece);
            text.push(match bytes.get(end + 1)? {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                _ => return None,
            });
            from = end + 2;
        }
    }

    fn value(&mut self) -> Option<Value<'a>> {
        self.space();
        match self.peek()? {
            b'"' => self.string().map(Value::Str),
            b'n' if self.text[self.at..].starts_with("null") => {
                self.at += 4;
                Some(Value::Null)
            }
            b'{' => Some(Value::Object),
            b'0'..=b'9' | b'-' => {
                let start = self.at;
                while matches!(
                    self.peek(),
                    Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                ) {
                    self.at += 1;
                }
                Some(Value::Num(&self.text[start..self.at]))
            }
            _ => None,
        }
    }

    /// The members of an object, `{` already ahead: `member` is given each key and its
    /// value and says whether it took them.
    fn object(
        &mut self,
        member: &mut dyn FnMut(&str, Value<'a>, &mut Self) -> Option<()>,
    ) -> Option<()> {
        self.eat(b'{')?;
        self.space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Some(());
        }
        loop {
            let key = self.string()?;
            self.eat(b':')?;
            let value = self.value()?;
            member(&key, value, self)?;
            self.space();
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// The line holds nothing after its object but whitespace.
    fn end(mut self) -> Option<()> {
        self.space();
        (self.at == self.text.len()).then_some(())
    }
}

/// A line this program writes holds no control character: not in a string (`serde_json`
/// escapes them), nor between tokens (it writes no whitespace). One look at the whole
/// line spares one at each string; a line with any goes to serde.
fn plain(line: &str) -> Option<Cursor<'_>> {
    (!line.bytes().any(|b| b < 0x20)).then_some(Cursor { text: line, at: 0 })
}

/// Digits without a sign, a fraction, an exponent or a leading zero, short enough
/// that no type the log uses overflows: as `serde_json` reads them.
fn digits(token: &str) -> Option<u64> {
    let ok = !token.is_empty()
        && token.len() <= 15
        && token.bytes().all(|b| b.is_ascii_digit())
        && (token == "0" || !token.starts_with('0'));
    ok.then(|| token.parse().ok()).flatten()
}

/// A JSON number as `serde_json` reads it into an `f64`. Plain integers and short
/// decimals are computed as `serde_json` computes them (a significand exact in an `f64`,
/// divided once by a power of ten); anything else is handed to `serde_json` itself.
fn float(token: &str) -> Option<f64> {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    if let Some(n) = digits(token) {
        #[allow(clippy::cast_precision_loss, reason = "at most 15 digits: exact")]
        return Some(n as f64);
    }
    if let Some((whole, fraction)) = token.split_once('.') {
        let plain = !fraction.is_empty()
            && fraction.bytes().all(|b| b.is_ascii_digit())
            && whole.len() + fraction.len() <= 15;
        if let (true, Some(w)) = (plain, digits(whole)) {
            let f: u64 = fraction.parse().ok()?;
            let scale = 10u64.pow(u32::try_from(fraction.len()).ok()?);
            #[allow(clippy::cast_precision_loss, reason = "at most 15 digits: exact")]
            return Some((w * scale + f) as f64 / POW10[fraction.len()]);
        }
    }
    serde_json::from_str(token).ok()
}

fn uint<T: TryFrom<u64>>(value: &Value) -> Option<T> {
    match value {
        Value::Num(token) => T::try_from(digits(token)?).ok(),
        _ => None,
    }
}

fn opt_uint<T: TryFrom<u64>>(value: &Value) -> Option<Option<T>> {
    match value {
        Value::Null => Some(None),
        _ => uint(value).map(Some),
    }
}

fn num(value: &Value) -> Option<f64> {
    match value {
        Value::Num(token) => float(token),
        _ => None,
    }
}

fn opt_num(value: &Value) -> Option<Option<f64>> {
    match value {
        Value::Null => Some(None),
        _ => num(value).map(Some),
    }
}

fn text<'a>(value: &Value<'a>) -> Option<Cow<'a, str>> {
    // A clone of a borrowed text is a copy of the slice; an owned one (escaped) is rare.
    match value {
        Value::Str(s) => Some(s.clone()),
        _ => None,
    }
}

fn opt_text<'a>(value: &Value<'a>) -> Option<Option<Cow<'a, str>>> {
    match value {
        Value::Null => Some(None),
        _ => text(value).map(Some),
    }
}

/// Sets a field once: a key seen twice goes to serde (which refuses it).
fn once<T>(slot: &mut Option<T>, value: Option<T>) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value?);
    Some(())
}

fn load<'a>(cursor: &mut Cursor<'a>) -> Option<LoadView<'a>> {
    let mut value = None;
    let mut unit = None;
    cursor.object(&mut |key, v, _| match key {
        "value" => once(&mut value, opt_num(&v)),
        "unit" => once(&mut unit, text(&v)),
        _ => None,
    })?;
    Some(LoadView {
        value: value?,
        unit: unit?,
    })
}

/// A set line read into its view, or `None` when serde must read it.
pub fn set(line: &str) -> Option<SetView<'_>> {
    let mut kind = None;
    let mut v = None;
    let (mut start, mut end, mut preset, mut exercise, mut side, mut status) =
        (None, None, None, None, None, None);
    let (mut set, mut sets, mut planned_reps, mut done_reps, mut week) =
        (None, None, None, None, None);
    let (mut hold_s, mut tut_s, mut rpe, mut planned_hold_s, mut cadence_bpm) =
        (None, None, None, None, None);
    let (mut duration_s, mut speed, mut pain) = (None, None, None);
    let (mut tempo, mut note, mut session, mut target) = (None, None, None, None);
    let mut load_view = None;
    let mut cursor = plain(line)?;
    cursor.object(&mut |key, value, cursor| match key {
        "kind" => once(&mut kind, text(&value).filter(|k| k == "set")),
        "v" => once(&mut v, uint(&value)),
        "start" => once(&mut start, text(&value)),
        "end" => once(&mut end, text(&value)),
        "preset" => once(&mut preset, text(&value)),
        "exercise" => once(&mut exercise, text(&value)),
        "side" => once(&mut side, text(&value)),
        "status" => once(&mut status, text(&value)),
        "set" => once(&mut set, uint(&value)),
        "sets" => once(&mut sets, uint(&value)),
        "planned_reps" => once(&mut planned_reps, opt_uint(&value)),
        "done_reps" => once(&mut done_reps, opt_uint(&value)),
        "week" => once(&mut week, opt_uint(&value)),
        "pain" => once(&mut pain, opt_uint(&value)),
        "hold_s" => once(&mut hold_s, opt_num(&value)),
        "tut_s" => once(&mut tut_s, num(&value)),
        "rpe" => once(&mut rpe, opt_num(&value)),
        "planned_hold_s" => once(&mut planned_hold_s, opt_num(&value)),
        "cadence_bpm" => once(&mut cadence_bpm, opt_num(&value)),
        "duration_s" => once(&mut duration_s, opt_num(&value)),
        "speed" => once(&mut speed, opt_num(&value)),
        "tempo" => once(&mut tempo, opt_text(&value)),
        "note" => once(&mut note, opt_text(&value)),
        "session" => once(&mut session, opt_text(&value)),
        "target" => once(&mut target, opt_text(&value)),
        "load" => once(
            &mut load_view,
            match value {
                Value::Null => Some(None),
                Value::Object => load(cursor).map(Some),
                _ => None,
            },
        ),
        _ => None,
    })?;
    cursor.end()?;
    Some(SetView {
        kind: kind?,
        v: v?,
        start: start?,
        end: end?,
        preset: preset?,
        exercise: exercise?,
        side: side?,
        set: set?,
        sets: sets?,
        // Fields without a default in the view: absent, serde decides.
        planned_reps: planned_reps?,
        done_reps: done_reps?,
        hold_s: hold_s?,
        tempo: tempo?,
        tut_s: tut_s?,
        load: load_view?,
        pain: pain?,
        rpe: rpe?,
        note: note?,
        status: status?,
        // Fields with `#[serde(default)]`: absent is `None`.
        session: session.flatten(),
        week: week.flatten(),
        planned_hold_s: planned_hold_s.flatten(),
        cadence_bpm: cadence_bpm.flatten(),
        duration_s: duration_s.flatten(),
        target: target.flatten(),
        speed: speed.flatten(),
    })
}

/// A morning pain line read into its view, or `None` when serde must read it.
pub fn pain(line: &str) -> Option<PainView<'_>> {
    let (mut kind, mut v, mut at, mut pain, mut note) = (None, None, None, None, None);
    let mut cursor = plain(line)?;
    cursor.object(&mut |key, value, _| match key {
        "kind" => once(&mut kind, text(&value).filter(|k| k == "pain")),
        "v" => once(&mut v, uint(&value)),
        "at" => once(&mut at, text(&value)),
        "pain" => once(&mut pain, uint(&value)),
        "note" => once(&mut note, opt_text(&value)),
        _ => None,
    })?;
    cursor.end()?;
    Some(PainView {
        kind: kind?,
        v: v?,
        at: at?,
        pain: pain?,
        note: note?,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;

    use super::*;
    use crate::log::record::{LoadRecord, PainRecord, SetRecord};

    fn record() -> SetRecord {
        SetRecord {
            v: 1,
            start: "2026-11-24T18:03:00.000+01:00".to_owned(),
            end: "2026-11-24T18:03:36.500+01:00".to_owned(),
            preset: "hsr".to_owned(),
            exercise: "Bilateral squat".to_owned(),
            side: "both".to_owned(),
            set: 2,
            sets: 4,
            planned_reps: Some(6),
            done_reps: Some(5),
            hold_s: None,
            tempo: Some("3-0-3-0".to_owned()),
            tut_s: 36.5,
            load: Some(LoadRecord {
                value: Some(64.25),
                unit: "kg".to_owned(),
            }),
            pain: Some(3),
            rpe: Some(7.5),
            note: Some("fine".to_owned()),
            status: "done".to_owned(),
            session: Some("2026-11-24T18:00:00.000+01:00".to_owned()),
            week: Some(4),
            planned_hold_s: None,
            cadence_bpm: Some(180.0),
            duration_s: Some(1200.0),
            target: None,
            speed: None,
        }
    }

    #[test]
    fn lines_as_this_program_writes_them_are_scanned_without_serde() {
        let r = record();
        let line = serde_json::to_string(&crate::log::Record::Set(r.clone())).unwrap();
        assert_eq!(set(&line), Some(r.view()));
        let p = PainRecord {
            v: 1,
            at: "2026-11-25T08:00:00.000+01:00".to_owned(),
            pain: 2,
            note: None,
        };
        let line = serde_json::to_string(&crate::log::Record::Pain(p.clone())).unwrap();
        assert_eq!(pain(&line), Some(p.view()));
    }

    #[test]
    fn lines_the_scanner_is_not_sure_of_go_to_serde() {
        let line = serde_json::to_string(&crate::log::Record::Set(record())).unwrap();
        let odd = [
            line.replace("fine", r"fi\u006ee"),
            line.replace("fine", "fi\tne"),
            line.replace(r#""sets":4"#, r#""sets":4,"sets":4"#),
            line.replace(r#""sets":4"#, r#""extra":1,"sets":4"#),
            line.replace(r#""sets":4,"#, ""),
            line.replace(r#""pain":3"#, r#""pain":300"#),
            line.replace(r#""sets":4"#, r#""sets":04"#),
            line.replace(r#""kind":"set""#, r#""kind":"pain""#),
            format!("{line}x"),
        ];
        for line in &odd {
            assert_eq!(set(line), None, "{line}");
        }
        // Spaces between tokens are JSON's: the scanner still takes the line. Tabs and
        // line breaks, which this program never writes, go to serde.
        let spaced = line.replace(',', " , ").replace("\":", "\" : ");
        assert_eq!(set(&spaced), Some(record().view()));
        assert_eq!(set(&line.replace(',', ",\t")), None);
    }

    #[test]
    fn escaped_text_is_read_as_serde_reads_it() {
        let mut r = record();
        r.note = Some("knee, a \"bit\" stiff\n\t\\ü/\u{8}\u{c}\r".to_owned());
        let line = serde_json::to_string(&crate::log::Record::Set(r.clone())).unwrap();
        assert!(line.contains(r#"\"bit\""#));
        assert_eq!(set(&line), Some(r.view()));
        let solidus = line.replace("ü/", r"ü\/");
        assert_eq!(set(&solidus), Some(r.view()));
    }

    /// A value for `key`: mostly one of its type, sometimes anything JSON (or not).
    fn value(key: &'static str) -> BoxedStrategy<String> {
        let text = prop_oneof![
            30 => "[a-zA-Z0-9 :.+-]{0,12}".prop_map(|s| format!("\"{s}\"")),
            1 => any::<String>().prop_map(|s| serde_json::to_string(&s).unwrap()),
            1 => "[é✓\u{1F600}\"\\\\\t\n/]{0,4}".prop_map(|s| serde_json::to_string(&s).unwrap()),
        ];
        let count = prop_oneof![
            30 => (0u64..400).prop_map(|n| n.to_string()),
            1 => "-?(0|[1-9][0-9]{0,11})(\\.[0-9]{1,4})?([eE][+-]?[0-9]{1,2})?",
        ];
        let number = prop_oneof![
            20 => "(0|[1-9][0-9]{0,4})\\.[0-9]{1,6}",
            1 => "-?(0|[1-9][0-9]{0,17})(\\.[0-9]{1,18})?([eE][+-]?[0-9]{1,3})?",
            1 => any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| f.to_string()),
        ];
        let unit = prop_oneof![Just("\"kg\""), Just("\"RM\""), Just("\"%1RM\"")];
        let load = (prop_oneof![number.clone(), Just("null".to_owned())], unit)
            .prop_map(|(v, u)| format!(r#"{{"value":{v},"unit":{u}}}"#));
        let typed = match key {
            "kind" => {
                prop_oneof![20 => Just("\"set\"".to_owned()), 1 => Just("\"pain\"".to_owned())]
                    .boxed()
            }
            "v" | "set" | "sets" | "planned_reps" | "done_reps" | "week" | "pain" => count.boxed(),
            "hold_s" | "tut_s" | "rpe" | "planned_hold_s" | "cadence_bpm" | "duration_s"
            | "speed" => number.boxed(),
            "load" => load.boxed(),
            _ => text.boxed(),
        };
        let anything = prop_oneof![
            Just("null".to_owned()),
            Just("true".to_owned()),
            Just("[1]".to_owned()),
            Just(r#"{"value":1}"#.to_owned()),
            Just("nul".to_owned()),
            "[0-9.eE+-]{1,6}",
        ];
        prop_oneof![40 => typed, 1 => anything].boxed()
    }

    const SET_KEYS: [&str; 26] = [
        "kind",
        "v",
        "start",
        "end",
        "preset",
        "exercise",
        "side",
        "set",
        "sets",
        "planned_reps",
        "done_reps",
        "hold_s",
        "tempo",
        "tut_s",
        "load",
        "pain",
        "rpe",
        "note",
        "status",
        "session",
        "week",
        "planned_hold_s",
        "cadence_bpm",
        "duration_s",
        "target",
        "speed",
    ];

    /// A line of `keys`, each kept, dropped or doubled, with JSON's whitespace or a
    /// stray byte between tokens.
    fn line(keys: &'static [&'static str]) -> impl Strategy<Value = String> {
        let members: Vec<_> = keys
            .iter()
            .map(|&k| {
                (
                    prop_oneof![60 => Just(1usize), 1 => Just(0), 1 => Just(2)],
                    value(k),
                )
            })
            .collect();
        let gap = prop_oneof![20 => Just(""), 4 => Just(" "), 4 => Just("\t\r\n"), 1 => Just(";")];
        (
            members,
            proptest::collection::vec(gap, 4),
            proptest::bool::weighted(0.03),
        )
            .prop_map(move |(members, gaps, unknown)| {
                let mut parts = Vec::new();
                for (&key, (times, value)) in keys.iter().zip(members) {
                    for _ in 0..times {
                        parts.push(format!("\"{key}\"{}:{}{value}", gaps[0], gaps[1]));
                    }
                }
                if unknown {
                    parts.push("\"other\":1".to_owned());
                }
                format!(
                    "{}{{{}}}{}",
                    gaps[2],
                    parts.join(&format!("{},", gaps[3])),
                    gaps[2]
                )
            })
    }

    /// The property below says something only if generated lines go both ways.
    #[test]
    fn generated_lines_take_both_paths() {
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let strategy = line(&SET_KEYS);
        let scanned = (0..1000)
            .filter(|_| set(&strategy.new_tree(&mut runner).unwrap().current()).is_some())
            .count();
        assert!((50..950).contains(&scanned), "{scanned} of 1000 scanned");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn the_scanner_and_serde_agree_on_set_lines(line in line(&SET_KEYS)) {
            if let Some(scanned) = set(&line) {
                let parsed: Result<SetView, _> = serde_json::from_str(&line);
                prop_assert_eq!(Some(scanned), parsed.ok(), "{}", line);
            }
        }

        #[test]
        fn the_scanner_and_serde_agree_on_pain_lines(
            line in line(&["kind", "v", "at", "pain", "note"])
        ) {
            if let Some(scanned) = pain(&line) {
                let parsed: Result<PainView, _> = serde_json::from_str(&line);
                prop_assert_eq!(Some(scanned), parsed.ok(), "{}", line);
            }
        }

        #[test]
        fn numbers_read_as_serde_json_reads_them(
            token in "-?(0|[1-9][0-9]{0,17})(\\.[0-9]{0,18})?([eE][+-]?[0-9]{1,3})?|[0-9.]{1,8}"
        ) {
            if let Some(f) = float(&token) {
                prop_assert_eq!(Some(f.to_bits()), serde_json::from_str::<f64>(&token).ok().map(f64::to_bits));
            }
            if let Some(n) = digits(&token) {
                prop_assert_eq!(Some(n), serde_json::from_str::<u64>(&token).ok());
            }
        }
    }
}
