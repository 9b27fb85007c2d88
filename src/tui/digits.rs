//! Big block digits for the countdown, readable from across a room: a 3 x 5 font drawn
//! with each dot as a block of cells, as large as the area allows.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

/// Rows of a glyph, 3 dots wide (bit 2 is the left dot).
fn glyph(c: char) -> [u8; 5] {
    match c {
        '0' => [0b111, 0b101, 0b101, 0b101, 0b111],
        '1' => [0b010, 0b110, 0b010, 0b010, 0b111],
        '2' => [0b111, 0b001, 0b111, 0b100, 0b111],
        '3' => [0b111, 0b001, 0b111, 0b001, 0b111],
        '4' => [0b101, 0b101, 0b111, 0b001, 0b001],
        '5' => [0b111, 0b100, 0b111, 0b001, 0b111],
        '6' => [0b111, 0b100, 0b111, 0b101, 0b111],
        '7' => [0b111, 0b001, 0b010, 0b010, 0b010],
        '8' => [0b111, 0b101, 0b111, 0b101, 0b111],
        '9' => [0b111, 0b101, 0b111, 0b001, 0b111],
        ':' => [0b000, 0b010, 0b000, 0b010, 0b000],
        _ => [0; 5],
    }
}

/// Width in dots of `text` (3 a glyph, 1 between glyphs; a colon is 1 wide).
fn dots_wide(text: &str) -> u16 {
    let glyphs: u16 = text.chars().map(|c| if c == ':' { 1 } else { 3 }).sum();
    glyphs + u16::try_from(text.chars().count().saturating_sub(1)).unwrap_or(0)
}

/// The largest dot size (columns, rows) at which `text` fits in `area`; a dot is twice
/// as wide as tall, as terminal cells are about twice as tall as wide.
#[must_use]
pub fn scale(text: &str, area: Rect) -> Option<(u16, u16)> {
    let wide = dots_wide(text);
    (1..=4u16)
        .rev()
        .map(|rows| (rows * 2, rows))
        .find(|&(cols, rows)| wide * cols <= area.width && 5 * rows <= area.height)
}

/// Draws `text` centred in `area` in big digits; plain text when even the smallest
/// size does not fit.
pub fn draw(text: &str, area: Rect, style: Style, buf: &mut Buffer) {
    let Some((sx, sy)) = scale(text, area) else {
        let x = area.x
            + area
                .width
                .saturating_sub(u16::try_from(text.len()).unwrap_or(0))
                / 2;
        buf.set_string(x, area.y + area.height / 2, text, style);
        return;
    };
    let width = dots_wide(text) * sx;
    let mut x = area.x + (area.width - width) / 2;
    let y = area.y + (area.height - 5 * sy) / 2;
    for c in text.chars() {
        let rows = glyph(c);
        let dots: u16 = if c == ':' { 1 } else { 3 };
        for (row, bits) in rows.iter().enumerate() {
            for dot in 0..dots {
                let bit = if c == ':' { 1 } else { 2 - dot };
                if bits >> bit & 1 == 1 {
                    for dy in 0..sy {
                        for dx in 0..sx {
                            let cx = x + dot * sx + dx;
                            let cy = y + u16::try_from(row).unwrap_or(0) * sy + dy;
                            buf[(cx, cy)].set_symbol("█").set_style(style);
                        }
                    }
                }
            }
        }
        x += (dots + 1) * sx;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(buf: &Buffer) -> Vec<String> {
        (0..buf.area.height)
            .map(|y| {
                (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol())
                    .collect::<String>()
            })
            .collect()
    }

    #[test]
    fn draws_a_digit_at_the_largest_size_that_fits() {
        let area = Rect::new(0, 0, 8, 5);
        let mut buf = Buffer::empty(area);
        draw("2", area, Style::default(), &mut buf);
        assert_eq!(
            lines(&buf),
            [" ██████ ", "     ██ ", " ██████ ", " ██     ", " ██████ "]
        );
        assert_eq!(scale("2:45", Rect::new(0, 0, 80, 10)), Some((4, 2)));
        assert_eq!(scale("2:45", Rect::new(0, 0, 10, 3)), None);
    }
}
