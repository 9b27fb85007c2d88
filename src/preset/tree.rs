//! The preset document as TOML tables, before serde reads it into the format's types:
//! every key and string is checked for control characters at its place in the source,
//! and a value serde refused is taken out, so that one run of `check` finds every
//! problem instead of stopping at the first.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::text;

/// Strings that may run over several lines: `(table, key)`, the table being the key
/// the table sits under ("" for the top level).
const MULTI_LINE: [(&str, &str); 2] = [("", "description"), ("block", "notes")];

/// A control character found in the document: where it is (a byte offset into the
/// source) and what to say about it.
pub struct Found {
    pub offset: usize,
    pub message: String,
}

/// Every key and string value of `table` with a control character in it (one a string:
/// the first), in no particular order. `source` is the text the spans point into.
pub fn controls(table: &DeTable<'_>, source: &str) -> Vec<Found> {
    let mut found = Vec::new();
    walk_table(table, "", source, &mut found);
    found
}

fn walk_table(table: &DeTable<'_>, under: &str, source: &str, found: &mut Vec<Found>) {
    for (key, value) in table {
        let name = key.get_ref();
        if let Some((_, c)) = text::first_control(name, false) {
            found.push(Found {
                offset: locate(source, &key.span(), false),
                message: format!(
                    "a key contains a control character ({})",
                    text::describe_control(c)
                ),
            });
        }
        walk_value(value, name, under, source, found);
    }
}

fn walk_value(
    value: &Spanned<DeValue<'_>>,
    key: &str,
    under: &str,
    source: &str,
    found: &mut Vec<Found>,
) {
    match value.get_ref() {
        DeValue::String(s) => {
            let newlines = MULTI_LINE.contains(&(under, key));
            if let Some((_, c)) = text::first_control(s, newlines) {
                let hint = if matches!(c, '\n' | '\r') {
                    " (only description and notes may have line breaks)"
                } else {
                    ""
                };
                found.push(Found {
                    offset: locate(source, &value.span(), newlines),
                    message: format!(
                        "{} contains a control character ({}){hint}",
                        text::escape_cell(key),
                        text::describe_control(c)
                    ),
                });
            }
        }
        DeValue::Table(t) => walk_table(t, key, source, found),
        DeValue::Array(items) => {
            for item in items {
                walk_value(item, key, under, source, found);
            }
        }
        DeValue::Integer(_) | DeValue::Float(_) | DeValue::Boolean(_) | DeValue::Datetime(_) => {}
    }
}

/// The byte offset in `source` of the first forbidden control character of the string
/// or key written at `span`: a raw one, or the backslash of the escape (`\u001b`, `\e`)
/// that makes it. The start of the span when it cannot be found.
fn locate(source: &str, span: &Range<usize>, newlines: bool) -> usize {
    let Some(literal) = source.get(span.clone()) else {
        return span.start;
    };
    let (decoded, origins) = decode(literal);
    text::first_control(&decoded, newlines)
        .and_then(|(at, _)| {
            let index = decoded[..at].chars().count();
            origins.get(index)
        })
        .map_or(span.start, |&offset| span.start + offset)
}

/// The characters a TOML string or key literal stands for, each with the byte offset in
/// `literal` it comes from. Quotes are kept: they are never control characters.
fn decode(literal: &str) -> (String, Vec<usize>) {
    let escapes = literal.starts_with('"');
    let mut start = 0;
    for quotes in ["\"\"\"", "'''"] {
        if let Some(rest) = literal.strip_prefix(quotes) {
            // A newline right after the opening quotes is not part of the string.
            let trimmed = rest
                .strip_prefix("\r\n")
                .or_else(|| rest.strip_prefix('\n'))
                .unwrap_or(rest);
            start = literal.len() - trimmed.len();
        }
    }
    let mut decoded = String::new();
    let mut origins = Vec::new();
    let mut chars = literal[start..]
        .char_indices()
        .map(|(i, c)| (i + start, c))
        .peekable();
    while let Some((at, c)) = chars.next() {
        let c = if escapes && c == '\\' {
            let Some((_, kind)) = chars.next() else {
                break;
            };
            let digits = match kind {
                'u' => 4,
                'U' => 8,
                'x' => 2,
                _ => 0,
            };
            if digits > 0 {
                let hex: String = (0..digits)
                    .filter_map(|_| chars.next())
                    .map(|(_, h)| h)
                    .collect();
                u32::from_str_radix(&hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('\u{fffd}')
            } else {
                match kind {
                    'e' => '\x1b',
                    'b' => '\x08',
                    'f' => '\x0c',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    // A backslash at the end of a line joins it to the next one.
                    w if w.is_whitespace() => {
                        while chars.next_if(|&(_, n)| n.is_whitespace()).is_some() {}
                        continue;
                    }
                    other => other,
                }
            }
        } else {
            c
        };
        decoded.push(c);
        origins.push(at);
    }
    (decoded, origins)
}

/// Where a value serde refused was: the key, and the table it was taken out of (by the
/// table's span), so that "missing" checks do not repeat the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Removed {
    pub table: Range<usize>,
    pub key: String,
}

/// Takes out of `table` (whose span is `span`) the innermost key whose key or value
/// covers `at`; returns what it took out, or `None` when no key does.
pub fn remove_at(
    table: &mut DeTable<'_>,
    span: Range<usize>,
    at: &Range<usize>,
) -> Option<Removed> {
    let covers = |outer: &Range<usize>| outer.start <= at.start && at.end <= outer.end;
    let mut hit = None;
    for (key, value) in table.iter_mut() {
        let value_span = value.span();
        // Nested tables first, whatever their own span: a `[[block]]`'s keys may lie
        // outside the span given to the array that holds it.
        match value.get_mut() {
            DeValue::Table(inner) => {
                if let Some(removed) = remove_at(inner, value_span.clone(), at) {
                    return Some(removed);
                }
            }
            DeValue::Array(items) => {
                for item in items.iter_mut() {
                    let item_span = item.span();
                    if let DeValue::Table(inner) = item.get_mut()
                        && let Some(removed) = remove_at(inner, item_span, at)
                    {
                        return Some(removed);
                    }
                }
            }
            _ => {}
        }
        if covers(&key.span()) || covers(&value_span) {
            hit = Some(key.clone());
            break;
        }
    }
    let key = hit?;
    table.remove(&key);
    Some(Removed {
        table: span,
        key: key.into_inner().into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offsets(source: &str) -> Vec<(usize, String)> {
        let root = DeTable::parse(source).unwrap();
        let mut found: Vec<(usize, String)> = controls(root.get_ref(), source)
            .into_iter()
            .map(|f| (f.offset, f.message))
            .collect();
        found.sort();
        found
    }

    #[test]
    fn points_at_the_escape_not_at_the_decoded_offset() {
        let source = "name = \"ab\\u001b[31m\"\n";
        let found = offsets(source);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, source.find('\\').unwrap());
        assert_eq!(
            found[0].1,
            "name contains a control character (ESC, U+001B)"
        );
    }

    #[test]
    fn finds_each_spelling_of_a_control_character() {
        for (literal, byte) in [
            ("\"x\\e\"", 2),
            ("\"x\\x9b\"", 2),
            ("\"\\t\\U0000007f\"", 3),
            ("\"x\\\\\\u0007\"", 4),
            ("\"raw\u{9b}\"", 4),
            ("\"\"\"\nfirst\\\n   \\u0000\"\"\"", 14),
        ] {
            let source = format!("name = {literal}\n");
            let found = offsets(&source);
            assert_eq!(found.len(), 1, "{literal}: {found:?}");
            assert_eq!(found[0].0, 7 + byte, "{literal}");
        }
    }

    #[test]
    fn line_breaks_only_in_description_and_notes() {
        let ok = "description = \"\"\"\none\r\ntwo\"\"\"\n[[block]]\nnotes = \"a\\nb\"\n";
        assert_eq!(offsets(ok), []);
        let bad = "name = \"a\\nb\"\n[[block]]\nexercise = \"\"\"\nx\ny\"\"\"\n";
        let found = offsets(bad);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, 9);
        assert!(found[0].1.contains("(LF, U+000A) (only description"));
        assert_eq!(found[1].0, bad.find("x\ny").unwrap() + 1);
    }

    #[test]
    fn checks_keys_and_strings_in_arrays_and_inline_tables() {
        let source =
            "\"k\\u0007\" = 1\ntags = [\"ok\", \"\\u009d\"]\n[t]\ni = { s = \"\\u0000\" }\n";
        let found = offsets(source);
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(
            found[0].1,
            "a key contains a control character (BEL, U+0007)"
        );
        assert_eq!(
            found[1].1,
            "tags contains a control character (OSC, U+009D)"
        );
        assert_eq!(found[2].1, "s contains a control character (NUL, U+0000)");
    }

    #[test]
    fn removes_the_innermost_key_at_a_span() {
        let source = "a = 1\n[[block]]\nx = 2\ny = [3]\n";
        let mut root = DeTable::parse(source).unwrap();
        let span = root.span();
        let y = source.rfind('3').unwrap();
        let removed = remove_at(root.get_mut(), span.clone(), &(y..y + 1)).unwrap();
        assert_eq!(removed.key, "y");
        assert_ne!(removed.table, span);
        let x = source.find("x =").unwrap();
        assert_eq!(
            remove_at(root.get_mut(), span.clone(), &(x..x + 1))
                .unwrap()
                .key,
            "x"
        );
        assert_eq!(
            remove_at(root.get_mut(), span.clone(), &(0..1))
                .unwrap()
                .table,
            span
        );
        assert_eq!(remove_at(root.get_mut(), span, &(0..1)), None);
    }
}
