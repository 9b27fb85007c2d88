//! Text from a file or a person on its way to a terminal: control characters shown in
//! one visible form, so that nothing a preset, a log line or a note says can move the
//! cursor, change colours, set the window title or write to the clipboard.
//!
//! The form is caret notation, as `cat -v` and most terminals' own echo show it:
//! ESC is `^[`, any other C0 character `^` and its letter (`^G` for BEL, `^M` for CR),
//! DEL `^?`. C1 characters (U+0080 to U+009F), which some terminals also obey, have no
//! caret form and are shown as Rust writes them, `\u{9b}`. Tab and newline stay as
//! they are in running text; a table cell shows a newline as `↵` and a tab as a space,
//! which keep the row on one line and its columns aligned.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` is a character a terminal may act on instead of printing: C0 (tab and
/// newline included, which callers allow where they fit), DEL and C1.
#[must_use]
pub const fn is_control(c: char) -> bool {
    matches!(c, '\0'..='\x1f' | '\x7f'..='\u{9f}')
}

/// The standard abbreviation of a control character (`ESC`, `BEL`, `CSI`), for
/// messages; `None` for any other character.
#[must_use]
pub fn control_name(c: char) -> Option<&'static str> {
    const C0: [&str; 32] = [
        "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR",
        "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB",
        "ESC", "FS", "GS", "RS", "US",
    ];
    // ECMA-48's names; 0x80, 0x81 and 0x99 have none there and keep ISO 6429's old ones.
    const C1: [&str; 32] = [
        "PAD", "HOP", "BPH", "NBH", "IND", "NEL", "SSA", "ESA", "HTS", "HTJ", "VTS", "PLD", "PLU",
        "RI", "SS2", "SS3", "DCS", "PU1", "PU2", "STS", "CCH", "MW", "SPA", "EPA", "SOS", "SGCI",
        "SCI", "CSI", "ST", "OSC", "PM", "APC",
    ];
    let code = u32::from(c);
    match code {
        0..=0x1f => Some(C0[code as usize]),
        0x7f => Some("DEL"),
        0x80..=0x9f => Some(C1[(code - 0x80) as usize]),
        _ => None,
    }
}

/// `ESC, U+001B`: how a message names a control character.
#[must_use]
pub fn describe_control(c: char) -> String {
    format!(
        "{}, U+{:04X}",
        control_name(c).unwrap_or("control"),
        u32::from(c)
    )
}

/// The first control character of `text` that may not be there, with its byte offset.
/// Tab is always allowed; with `newlines`, so are a newline and a CR just before one.
#[must_use]
pub fn first_control(text: &str, newlines: bool) -> Option<(usize, char)> {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let allowed = match c {
            '\t' => true,
            '\n' => newlines,
            '\r' => newlines && chars.peek().is_some_and(|&(_, next)| next == '\n'),
            _ => !is_control(c),
        };
        if !allowed {
            return Some((i, c));
        }
    }
    None
}

/// `text` with every control character but tab and newline in its visible form
/// (module docs); borrowed when there is none.
#[must_use]
pub fn escape(text: &str) -> Cow<'_, str> {
    escape_with(text, |c, out| match c {
        '\t' | '\n' => out.push(c),
        _ => visible(c, out),
    })
}

/// [`escape`] for one cell of a table: a newline (or CRLF) is shown as `↵` and a tab as
/// a space, so the cell stays on its row.
#[must_use]
pub fn escape_cell(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_control) {
        return Cow::Borrowed(text);
    }
    let text = text.replace("\r\n", "\n");
    let cell = escape_with(&text, |c, out| match c {
        '\n' => out.push('↵'),
        '\t' => out.push(' '),
        _ => visible(c, out),
    });
    Cow::Owned(cell.into_owned())
}

fn escape_with(text: &str, control: impl Fn(char, &mut String)) -> Cow<'_, str> {
    if !text.chars().any(is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_control(c) {
            control(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The caret or `\u{..}` form of a control character.
fn visible(c: char, out: &mut String) {
    match u8::try_from(c) {
        Ok(b @ 0..=0x1f) => {
            out.push('^');
            out.push(char::from(b + 0x40));
        }
        Ok(0x7f) => out.push_str("^?"),
        _ => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_each_kind_of_control_character_visibly() {
        assert_eq!(escape("\x1b[31mred"), "^[[31mred");
        assert_eq!(escape("bell\x07"), "bell^G");
        assert_eq!(escape("\0"), "^@");
        assert_eq!(escape("a\rb"), "a^Mb");
        assert_eq!(escape("del\x7f"), "del^?");
        assert_eq!(escape("\u{9b}2J"), "\\u{9b}2J");
        assert_eq!(escape("\u{80}\u{9f}"), "\\u{80}\\u{9f}");
        assert_eq!(escape("tab\tand\nnewline"), "tab\tand\nnewline");
    }

    #[test]
    fn leaves_other_text_alone_and_borrowed() {
        for text in ["", "plain", "Nørregaard · 3-0-3-0 ↵ ^[", "\u{a0}\u{2028}"] {
            assert!(matches!(escape(text), Cow::Borrowed(t) if t == text));
            assert!(matches!(escape_cell(text), Cow::Borrowed(t) if t == text));
        }
    }

    #[test]
    fn a_cell_stays_on_one_line() {
        assert_eq!(escape_cell("one\ntwo\r\nthree"), "one↵two↵three");
        assert_eq!(escape_cell("a\tb"), "a b");
        assert_eq!(escape_cell("\x1b]52;c;cHduZWQ=\x07"), "^[]52;c;cHduZWQ=^G");
        assert_eq!(escape_cell("lone\rcr"), "lone^Mcr");
    }

    #[test]
    fn names_control_characters() {
        assert_eq!(describe_control('\x1b'), "ESC, U+001B");
        assert_eq!(describe_control('\x7f'), "DEL, U+007F");
        assert_eq!(describe_control('\u{9b}'), "CSI, U+009B");
        assert_eq!(describe_control('\u{9d}'), "OSC, U+009D");
        assert_eq!(describe_control('\0'), "NUL, U+0000");
        assert_eq!(control_name('a'), None);
    }

    #[test]
    fn finds_the_first_forbidden_control_character() {
        assert_eq!(first_control("ok\ttab", false), None);
        assert_eq!(first_control("line\nbreak", false), Some((4, '\n')));
        assert_eq!(first_control("line\nbreak", true), None);
        assert_eq!(first_control("crlf\r\nok", true), None);
        assert_eq!(first_control("lone\rcr", true), Some((4, '\r')));
        assert_eq!(first_control("é\u{9b}", true), Some((2, '\u{9b}')));
        assert_eq!(first_control("end\r", true), Some((3, '\r')));
    }

    proptest::proptest! {
        #[test]
        fn escaped_text_has_no_control_character_but_tab_and_newline(
            text in "(\\PC|[\\x00-\\x1f\\x7f-\\x{a0}])*"
        ) {
            proptest::prop_assert_eq!(first_control(&escape(&text), true), None);
            let cell = escape_cell(&text);
            proptest::prop_assert!(!cell.chars().any(is_control), "{:?}", cell);
        }
    }
}
