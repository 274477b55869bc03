//! The chart of `collabgov assess`: each practice's paired effect on the consensus share
//! and on cross-sector trust, a dot with its 95 % interval, ranked top to bottom, with the
//! zero line (no effect) marked.

use collabgov_study::assess::EffectRow;
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::charts::frame::{framed, panel_title_fitted};
use crate::{DrawResult, FONT, Figure, Format, LINE_COLOURS, VizError, err, render};

struct AssessChart<'a> {
    title: &'a str,
    rows: &'a [EffectRow],
}

type Triple = (f64, f64, f64);

/// A panel: its title, the effect it shows, and the factor to its unit.
type Panel = (&'static str, fn(&EffectRow) -> Triple, f64);

/// The x range of a panel: every interval and zero, padded.
fn x_range(values: impl Iterator<Item = Triple>) -> (f64, f64) {
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for (m, l, h) in values {
        for v in [m, l, h] {
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    let pad = ((hi - lo) * 0.08).max(1e-3);
    (lo - pad, hi + pad)
}

impl Figure for AssessChart<'_> {
    fn name(&self) -> String {
        "the assessment chart".into()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let (body, scale) = framed(
            root,
            1600.0,
            self.title,
            "Paired effect at the last round (practice minus baseline, replicate by replicate; consensus share in percentage points): dot = mean, bar = 95 % interval (consensus: Newcombe's; trust: t over pairs); filled = interval excludes 0.",
        )?;
        let px = |v: f64| (v * scale).round() as i32;
        let n = self.rows.len().max(1);
        // The practice labels: as wide as the longest, measured, at most half the width.
        let label_font = TextStyle::from((FONT, px(17.0)).into_font());
        let widest = self
            .rows
            .iter()
            .map(|r| {
                body.estimate_text_size(&format!("{}. {}", r.rank, r.label), &label_font)
                    .map_or(0, |(w, _)| w as i32)
            })
            .max()
            .unwrap_or(0);
        let label_px = (widest + px(30.0)).min(body.dim_in_pixel().0 as i32 / 2);
        let panels: [Panel; 2] = [
            (
                "Consensus share (points)",
                |r: &EffectRow| r.consensus,
                100.0,
            ),
            ("Cross-sector trust", |r: &EffectRow| r.trust, 1.0),
        ];
        let (left, right) =
            body.split_horizontally(label_px + (body.dim_in_pixel().0 as i32 - label_px) / 2);
        for (k, (area, (title, get, unit))) in [left, right].iter().zip(panels).enumerate() {
            let (x0, x1) = x_range(self.rows.iter().map(|r| {
                let (m, l, h) = get(r);
                (m * unit, l * unit, h * unit)
            }));
            let rows = self.rows;
            let label_of = move |y: &f64| -> String {
                let i = y.round();
                if (y - i).abs() > 1e-6 || i < 0.0 {
                    return String::new();
                }
                rows.get(i as usize)
                    .map_or(String::new(), |r| format!("{}. {}", r.rank, r.label))
            };
            // As many x labels as fit side by side (about 5 characters each).
            let panel_width = area.dim_in_pixel().0 as i32 - if k == 0 { label_px } else { 0 };
            let x_labels = (panel_width / (px(17.0) * 5).max(1)).clamp(3, 7) as usize;
            let (title, font) = panel_title_fitted(area, title, px(22.0));
            let mut chart = ChartBuilder::on(area)
                .caption(title, font)
                .margin(px(10.0))
                .margin_right(px(24.0))
                .x_label_area_size(px(44.0))
                .y_label_area_size(if k == 0 { label_px } else { px(10.0) })
                .build_cartesian_2d(x0..x1, (n as f64 - 0.5)..-0.5)
                .map_err(err)?;
            let mut mesh = chart.configure_mesh();
            let x_label = |x: &f64| {
                let text = format!("{x:.3}");
                let text = text.trim_end_matches('0').trim_end_matches('.');
                if text == "-0" {
                    "0".to_string()
                } else {
                    text.to_string()
                }
            };
            mesh.label_style((FONT, px(17.0)))
                .light_line_style(RGBColor(238, 238, 238))
                .x_max_light_lines(1)
                .y_max_light_lines(0)
                .x_label_formatter(&x_label)
                .bold_line_style(RGBColor(220, 220, 220))
                .y_labels(n * 2 + 1)
                .x_labels(x_labels)
                .y_label_formatter(&label_of);
            if k != 0 {
                mesh.y_label_formatter(&|_| String::new());
            }
            mesh.draw().map_err(err)?;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(0.0, n as f64 - 0.5), (0.0, -0.5)],
                    RGBColor(60, 60, 60).stroke_width(px(2.0) as u32),
                )))
                .map_err(err)?;
            let effect = |r: &EffectRow| {
                let (m, l, h) = get(r);
                (m * unit, l * unit, h * unit)
            };
            draw_effects(
                &mut chart,
                self.rows,
                effect,
                LINE_COLOURS[k],
                (x0, x1),
                scale,
            )?;
        }
        Ok(())
    }
}

/// One panel's effects, row by row: the interval as a bar and the mean as a dot (filled
/// when the interval excludes 0), or "n/a" where there is no mean. `x` is the panel's range.
fn draw_effects<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    rows: &[EffectRow],
    effect: impl Fn(&EffectRow) -> Triple,
    colour: RGBColor,
    (x0, x1): (f64, f64),
    scale: f64,
) -> DrawResult {
    let px = |v: f64| (v * scale).round() as i32;
    for (i, r) in rows.iter().enumerate() {
        let (m, l, h) = effect(r);
        let y = i as f64;
        if l.is_finite() && h.is_finite() {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(l, y), (h, y)],
                    colour.stroke_width(px(4.0) as u32),
                )))
                .map_err(err)?;
        }
        if !m.is_finite() {
            chart
                .draw_series(std::iter::once(Text::new(
                    "n/a",
                    (x0 + (x1 - x0) * 0.03, y),
                    (FONT, px(16.0)).into_font().color(&RGBColor(90, 90, 90)),
                )))
                .map_err(err)?;
        } else {
            let clear = l > 0.0 || h < 0.0;
            let style = if clear {
                colour.filled()
            } else {
                WHITE.filled()
            };
            chart
                .draw_series(std::iter::once(Circle::new((m, y), px(7.0), style)))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Circle::new(
                    (m, y),
                    px(7.0),
                    colour.stroke_width(px(3.0) as u32),
                )))
                .map_err(err)?;
        }
    }
    Ok(())
}

/// The effects of the practices `collabgov assess` ranked, best first (rows as
/// `assess.csv` holds them).
pub fn assess_chart(
    title: &str,
    rows: &[EffectRow],
    format: Format,
    size: (u32, u32),
) -> Result<Vec<u8>, VizError> {
    render(&AssessChart { title, rows }, format, size)
}

/// The default size of the assessment chart for `rows` practices.
pub fn assess_size(rows: usize) -> (u32, u32) {
    (1600, (260 + 80 * rows.max(1)).min(2400) as u32)
}
