//! The report's charts as SVG, drawn by `plotters` into a string.
//!
//! Only dates and numbers go into a chart; names (an exercise, a note) stay in the HTML
//! around it, where the template escapes them, and the legends are HTML too. plotters
//! is built without its font loader: the SVG names a generic family and the browser
//! draws the text, so nothing here reads a system font.

use jiff::civil::Date;
use plotters::prelude::*;

use super::{ExerciseSeries, PAIN_LIMIT, PainPoint, WeekLine};
use crate::log::stats::Light;

/// A chart's size in CSS pixels: the width of an A4 page inside 15 mm margins.
pub const WIDTH: u32 = 680;
pub const HEIGHT: u32 = 230;

/// Series colours; the HTML legend uses the same.
pub const COLOURS: [(u8, u8, u8); 6] = [
    (31, 93, 168),
    (200, 90, 20),
    (40, 130, 60),
    (140, 60, 150),
    (120, 100, 40),
    (60, 60, 60),
];

/// Pain during exercise and next-morning pain.
pub const DURING: (u8, u8, u8) = COLOURS[0];
pub const MORNING: (u8, u8, u8) = COLOURS[1];

/// `#1f5da8`, for the legend.
#[must_use]
pub fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// The light's colour in the verdict band.
#[must_use]
pub fn light_colour(light: Light) -> (u8, u8, u8) {
    match light {
        Light::Green => (46, 160, 67),
        Light::Amber => (230, 160, 0),
        Light::Red => (210, 40, 40),
    }
}

/// A chart that could not be drawn (writing into a string does not fail in practice).
#[derive(Debug, thiserror::Error)]
#[error("cannot draw the chart")]
pub struct ChartError(#[source] DrawingAreaErrorKind<std::io::Error>);

impl From<DrawingAreaErrorKind<std::io::Error>> for ChartError {
    fn from(e: DrawingAreaErrorKind<std::io::Error>) -> ChartError {
        ChartError(e)
    }
}

fn rgb((r, g, b): (u8, u8, u8)) -> RGBColor {
    RGBColor(r, g, b)
}

#[allow(
    clippy::cast_precision_loss,
    reason = "days of a report, a few hundred"
)]
fn day(from: Date, d: Date) -> f64 {
    from.until(d).map_or(0.0, |s| f64::from(s.get_days()))
}

/// "7 Sep" for the day `x` days after `from`.
fn day_label(from: Date, x: f64) -> String {
    #[allow(clippy::cast_possible_truncation, reason = "a label's day, rounded")]
    let offset = jiff::Span::new().days(x.round() as i64);
    from.checked_add(offset)
        .map(|d| d.strftime("%-d %b").to_string())
        .unwrap_or_default()
}

/// The days axis: from the first to the last day, with a day to spare on each side.
fn x_range(from: Date, to: Date) -> std::ops::Range<f64> {
    -1.0..day(from, to).max(6.0) + 1.0
}

/// The SVG with a `viewBox`, so that CSS can scale it to the page.
fn scalable(svg: &str) -> String {
    let size = format!(r#"width="{WIDTH}" height="{HEIGHT}""#);
    svg.replacen(
        &size,
        &format!(r#"viewBox="0 0 {WIDTH} {HEIGHT}" {size} role="img""#),
        1,
    )
}

/// Pain during exercise (the highest of each session) and the next mornings, 0-10,
/// with the 5/10 line and a band on top coloured by each week's verdict.
///
/// # Errors
/// [`ChartError`] when plotters fails.
pub fn pain(
    (from, to): (Date, Date),
    during: &[PainPoint],
    morning: &[PainPoint],
    weeks: &[WeekLine],
) -> Result<String, ChartError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(24)
            .y_label_area_size(36)
            .build_cartesian_2d(x_range(from, to), 0.0..11.2)?;
        chart
            .configure_mesh()
            .x_labels(12)
            .x_label_formatter(&|x| day_label(from, *x))
            .y_labels(6)
            .y_label_formatter(&|y| format!("{y:.0}"))
            .y_desc("pain /10")
            .light_line_style(WHITE)
            .label_style(("sans-serif", 12))
            .draw()?;
        let limit = f64::from(PAIN_LIMIT);
        let x = x_range(from, to);
        chart.draw_series(LineSeries::new(
            [(x.start, limit), (x.end, limit)],
            rgb(LIMIT).stroke_width(2),
        ))?;
        chart.draw_series(std::iter::once(Text::new(
            "5/10",
            (x.start + 0.3, limit + 0.9),
            ("sans-serif", 12).into_font().color(&rgb(LIMIT)),
        )))?;
        for w in weeks {
            let Some(v) = &w.verdict else { continue };
            let a = day(from, w.monday) - 0.5;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(a, 10.4), (a + 7.0, 11.1)],
                rgb(light_colour(v.light)).filled(),
            )))?;
        }
        let points = |p: &[PainPoint]| -> Vec<(f64, f64)> {
            p.iter()
                .map(|p| (day(from, p.date), f64::from(p.score)))
                .collect()
        };
        let during = points(during);
        let morning = points(morning);
        chart.draw_series(LineSeries::new(during.clone(), rgb(DURING).stroke_width(1)))?;
        chart.draw_series(
            during
                .iter()
                .map(|&p| Circle::new(p, 3, rgb(DURING).filled())),
        )?;
        chart.draw_series(LineSeries::new(
            morning.clone(),
            rgb(MORNING).stroke_width(1),
        ))?;
        chart.draw_series(
            morning
                .iter()
                .map(|&p| TriangleMarker::new(p, 4, rgb(MORNING).filled())),
        )?;
        root.present()?;
    }
    Ok(scalable(&svg))
}

/// The 5/10 line's colour.
pub const LIMIT: (u8, u8, u8) = (210, 40, 40);

/// One line per exercise of `value` (load in kg, time under tension in minutes) by
/// day; `None` when no exercise has a value.
///
/// # Errors
/// [`ChartError`] when plotters fails.
pub fn per_exercise(
    (from, to): (Date, Date),
    exercises: &[ExerciseSeries],
    value: &dyn Fn(&super::ExercisePoint) -> Option<f64>,
    unit: &str,
) -> Result<Option<String>, ChartError> {
    let series: Vec<Vec<(f64, f64)>> = exercises
        .iter()
        .map(|e| {
            e.points
                .iter()
                .filter_map(|p| Some((day(from, p.date), value(p)?)))
                .collect()
        })
        .collect();
    let top = series
        .iter()
        .flatten()
        .map(|&(_, y)| y)
        .fold(None, |m: Option<f64>, y| Some(m.map_or(y, |m| m.max(y))));
    let Some(top) = top else { return Ok(None) };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(24)
            .y_label_area_size(44)
            .build_cartesian_2d(x_range(from, to), 0.0..(top * 1.1).max(1.0))?;
        chart
            .configure_mesh()
            .x_labels(12)
            .x_label_formatter(&|x| day_label(from, *x))
            .y_labels(6)
            .y_label_formatter(&|y| {
                let text = format!("{y:.1}");
                text.strip_suffix(".0").unwrap_or(&text).to_owned()
            })
            .y_desc(unit)
            .light_line_style(WHITE)
            .label_style(("sans-serif", 12))
            .draw()?;
        for (i, points) in series.iter().enumerate() {
            let colour = rgb(COLOURS[i % COLOURS.len()]);
            chart.draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))?;
            chart.draw_series(points.iter().map(|&p| Circle::new(p, 3, colour.filled())))?;
        }
        root.present()?;
    }
    Ok(Some(scalable(&svg)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_svg_scales_and_labels_days() {
        let from: Date = "2026-09-07".parse().unwrap();
        let points = [PainPoint {
            date: "2026-09-09".parse().unwrap(),
            score: 3,
        }];
        let svg = pain((from, "2026-09-20".parse().unwrap()), &points, &[], &[]).unwrap();
        assert!(svg.contains(r#"viewBox="0 0 680 230""#), "{svg}");
        assert!(svg.contains("7 Sep"), "{svg}");
        assert!(svg.contains("5/10"));
        assert!(svg.contains("<circle"));
    }
}
