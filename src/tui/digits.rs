//! Big digits, letters and shapes, readable from across a room without colour.
//!
//! Everything big is drawn on a [`Canvas`] of pixels half a cell tall: a terminal cell
//! is about twice as tall as it is wide, so the half blocks `▀ ▄ █` make square pixels.
//! That halves the height of a line of big digits, so the seconds and the rep count
//! both fit large on an 80 x 24 screen. Text uses a 3 x 5 font scaled by a whole number.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

/// Rows of a glyph, 3 dots wide (bit 2 is the left dot); `None` for a character the
/// font lacks, so a caller can fall back to plain text.
fn glyph(c: char) -> Option<[u8; 5]> {
    Some(match c {
        '0' | 'O' => [0b111, 0b101, 0b101, 0b101, 0b111],
        '1' => [0b010, 0b110, 0b010, 0b010, 0b111],
        '2' => [0b111, 0b001, 0b111, 0b100, 0b111],
        '3' => [0b111, 0b001, 0b111, 0b001, 0b111],
        '4' => [0b101, 0b101, 0b111, 0b001, 0b001],
        '5' | 'S' => [0b111, 0b100, 0b111, 0b001, 0b111],
        '6' => [0b111, 0b100, 0b111, 0b101, 0b111],
        '7' => [0b111, 0b001, 0b010, 0b010, 0b010],
        '8' => [0b111, 0b101, 0b111, 0b101, 0b111],
        '9' => [0b111, 0b101, 0b111, 0b001, 0b111],
        ':' => [0b000, 0b010, 0b000, 0b010, 0b000],
        '/' => [0b001, 0b001, 0b010, 0b100, 0b100],
        ' ' => [0; 5],
        'A' => [0b111, 0b101, 0b111, 0b101, 0b101],
        'D' => [0b110, 0b101, 0b101, 0b101, 0b110],
        'E' => [0b111, 0b100, 0b110, 0b100, 0b111],
        'F' => [0b111, 0b100, 0b110, 0b100, 0b100],
        'G' => [0b111, 0b100, 0b101, 0b101, 0b111],
        'H' => [0b101, 0b101, 0b111, 0b101, 0b101],
        'I' => [0b111, 0b010, 0b010, 0b010, 0b111],
        'L' => [0b100, 0b100, 0b100, 0b100, 0b111],
        'N' => [0b110, 0b101, 0b101, 0b101, 0b101],
        'P' => [0b111, 0b101, 0b111, 0b100, 0b100],
        'R' => [0b110, 0b101, 0b110, 0b101, 0b101],
        'T' => [0b111, 0b010, 0b010, 0b010, 0b010],
        'U' => [0b101, 0b101, 0b101, 0b101, 0b111],
        _ => return None,
    })
}

/// A colon is one dot wide; every other glyph three.
fn glyph_dots(c: char) -> u16 {
    if c == ':' { 1 } else { 3 }
}

/// Width in dots of `text`, one dot between glyphs.
fn dots_wide(text: &str) -> u16 {
    let glyphs: u16 = text.chars().map(glyph_dots).sum();
    glyphs + u16::try_from(text.chars().count().saturating_sub(1)).unwrap_or(0)
}

/// The cells (columns, rows) that `text` takes at `scale` pixels a dot.
#[must_use]
pub fn size(text: &str, scale: u16) -> (u16, u16) {
    (dots_wide(text) * scale, (5 * scale).div_ceil(2))
}

/// Pixels over an area: `width` columns by twice its rows.
pub struct Canvas {
    area: Rect,
    on: Vec<bool>,
}

impl Canvas {
    #[must_use]
    pub fn new(area: Rect) -> Canvas {
        Canvas {
            area,
            on: vec![false; usize::from(area.width) * usize::from(area.height) * 2],
        }
    }

    /// Width and height in pixels.
    #[must_use]
    pub fn pixels(&self) -> (u16, u16) {
        (self.area.width, self.area.height * 2)
    }

    /// Turns on the pixels of the rectangle at (`x`, `y`), `w` x `h` pixels; what falls
    /// outside the canvas is dropped, so a shape never draws over its neighbours.
    pub fn fill(&mut self, x: u16, y: u16, w: u16, h: u16) {
        let (width, height) = self.pixels();
        for py in y..y.saturating_add(h).min(height) {
            for px in x..x.saturating_add(w).min(width) {
                self.on[usize::from(py) * usize::from(width) + usize::from(px)] = true;
            }
        }
    }

    /// Draws `text` at `scale` with its top left at pixel (`x`, `y`).
    pub fn text(&mut self, text: &str, x: u16, y: u16, scale: u16) {
        let mut left = x;
        for c in text.chars() {
            let rows = glyph(c).unwrap_or([0; 5]);
            let dots = glyph_dots(c);
            for (row, bits) in (0u16..).zip(rows) {
                for dot in 0..dots {
                    let bit = if c == ':' { 1 } else { 2 - dot };
                    if bits >> bit & 1 == 1 {
                        self.fill(left + dot * scale, y + row * scale, scale, scale);
                    }
                }
            }
            left += (dots + 1) * scale;
        }
    }

    /// Draws `text` at `scale`, centred.
    pub fn centred_text(&mut self, text: &str, scale: u16) {
        let (width, height) = self.pixels();
        let w = dots_wide(text) * scale;
        let h = 5 * scale;
        self.text(
            text,
            width.saturating_sub(w) / 2,
            height.saturating_sub(h) / 2,
            scale,
        );
    }

    /// A filled triangle as large as fits with the proportions of an equilateral one,
    /// centred, its point down or up.
    pub fn triangle(&mut self, point_down: bool) {
        let (width, height) = self.pixels();
        // Height is 0.87 of the base; a base of 8 dots per 7 rows is close and exact.
        let base = width.min(height * 8 / 7);
        let tall = base * 7 / 8;
        let x0 = (width - base) / 2;
        // An odd row left over goes below one and above the other: mirror images.
        let y0 = if point_down {
            (height - tall) / 2
        } else {
            (height - tall).div_ceil(2)
        };
        for row in 0..tall {
            // Each row is as wide as the triangle at the row's middle, rounded to the
            // base's parity so that every row is centred on the same column.
            let from_point = u32::from(if point_down { tall - 1 - row } else { row });
            let (base32, tall32) = (u32::from(base), u32::from(tall));
            let scaled = base32 * (2 * from_point + 1);
            let w = if base % 2 == 0 {
                2 * ((scaled + 2 * tall32) / (4 * tall32))
            } else {
                2 * (scaled / (4 * tall32)) + 1
            };
            let w = u16::try_from(w).unwrap_or(base).clamp(2 - base % 2, base);
            self.fill(x0 + (base - w) / 2, y0 + row, w, 1);
        }
    }

    /// A flat bar across the canvas at its top or its bottom: a pause at the top or at
    /// the bottom of a rep, where the bar rests.
    pub fn bar(&mut self, at_top: bool) {
        let (width, height) = self.pixels();
        let thick = (height / 4).max(1);
        let y = if at_top { 0 } else { height - thick };
        self.fill(0, y, width, thick);
    }

    /// An outlined box whose inside fills from the bottom: `part` of `whole`.
    pub fn filling_box(&mut self, part: u64, whole: u64) {
        let (width, height) = self.pixels();
        if width < 3 || height < 3 {
            return;
        }
        self.fill(0, 0, width, 1);
        self.fill(0, height - 1, width, 1);
        self.fill(0, 0, 1, height);
        self.fill(width - 1, 0, 1, height);
        let inside = height - 2;
        let rows = filled_rows(part, whole, inside);
        self.fill(1, 1 + inside - rows, width - 2, rows);
    }

    /// Two squares side by side, one filled (the step on this beat) and one outlined.
    pub fn steps(&mut self, left: bool) {
        let (width, height) = self.pixels();
        let side = (width / 2).saturating_sub(2).min(height);
        if side < 3 {
            return;
        }
        let y = (height - side) / 2;
        let gap = width - 2 * side;
        for (i, x) in [gap / 3, width - gap / 3 - side].into_iter().enumerate() {
            if (i == 0) == left {
                self.fill(x, y, side, side);
            } else {
                self.fill(x, y, side, 1);
                self.fill(x, y + side - 1, side, 1);
                self.fill(x, y, 2, side);
                self.fill(x + side - 2, y, 2, side);
            }
        }
    }

    /// Puts the pixels into `buf` as half blocks; cells with no pixel on are left as
    /// they are.
    pub fn paint(&self, style: Style, buf: &mut Buffer) {
        let width = usize::from(self.area.width);
        for row in 0..self.area.height {
            for col in 0..self.area.width {
                let at = |py: u16| self.on[usize::from(py) * width + usize::from(col)];
                let symbol = match (at(row * 2), at(row * 2 + 1)) {
                    (true, true) => "█",
                    (true, false) => "▀",
                    (false, true) => "▄",
                    (false, false) => continue,
                };
                buf[(self.area.x + col, self.area.y + row)]
                    .set_symbol(symbol)
                    .set_style(style);
            }
        }
    }
}

/// How many of `rows` pixel rows a box filled to `part` of `whole` shows, rounded
/// down; in integers, so that when the next row fills can be computed exactly.
#[must_use]
pub fn filled_rows(part: u64, whole: u64, rows: u16) -> u16 {
    let filled = part.min(whole) * u64::from(rows) / whole.max(1);
    u16::try_from(filled).unwrap_or(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preset::Side;

    fn lines(buf: &Buffer) -> Vec<String> {
        (0..buf.area.height)
            .map(|y| {
                (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol())
                    .collect::<String>()
            })
            .collect()
    }

    fn drawn(area: Rect, draw: impl FnOnce(&mut Canvas)) -> Vec<String> {
        let mut canvas = Canvas::new(area);
        draw(&mut canvas);
        let mut buf = Buffer::empty(area);
        canvas.paint(Style::default(), &mut buf);
        lines(&buf)
    }

    #[test]
    fn a_digit_uses_half_blocks_for_square_pixels() {
        // Five dots tall at one pixel a dot: two and a half rows.
        let text = drawn(Rect::new(0, 0, 3, 3), |c| c.text("2", 0, 0, 1));
        assert_eq!(text, ["▀▀█", "█▀▀", "▀▀▀"]);
        assert_eq!(size("3/6", 2), (22, 5));
        // Every letter the display writes big is in the font.
        for word in ["PAUSED", Side::Left.upper(), Side::Right.upper(), "DONE"] {
            assert!(word.chars().all(|c| glyph(c).is_some()), "{word}");
        }
    }

    #[test]
    fn triangles_point_down_and_up_and_are_mirror_images() {
        let area = Rect::new(0, 0, 8, 4);
        let down = drawn(area, |c| c.triangle(true));
        let up = drawn(area, |c| c.triangle(false));
        assert_eq!(down, ["▀██████▀", " ▀████▀ ", "   ██   ", "   ▀▀   "]);
        let flipped: Vec<String> = down
            .iter()
            .rev()
            .map(|l| l.replace('▀', "x").replace('▄', "▀").replace('x', "▄"))
            .collect();
        assert_eq!(up, flipped);
    }

    #[test]
    fn a_box_fills_from_the_bottom() {
        let area = Rect::new(0, 0, 6, 3);
        assert_eq!(
            drawn(area, |c| c.filling_box(0, 4)),
            ["█▀▀▀▀█", "█    █", "█▄▄▄▄█"]
        );
        assert_eq!(
            drawn(area, |c| c.filling_box(2, 4)),
            ["█▀▀▀▀█", "█▄▄▄▄█", "██████"]
        );
    }
}
