//! Sweep charts: outputs against one factor (mean with interval), a heatmap over two
//! factors, and Sobol indices as bars with intervals.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::charts::frame::{framed, panel_title_fitted};
use crate::{DrawResult, FONT, Figure, Format, LINE_COLOURS, VizError, err, render};

/// One output against a factor: `(x, mean, low, high)` per point, sorted by x.
pub use collabgov_study::sweep::analysis::Curve;

struct FactorChart<'a> {
    title: &'a str,
    factor: &'a str,
    outputs: &'a [(String, Curve)],
    differences: bool,
}

impl Figure for FactorChart<'_> {
    fn name(&self) -> String {
        "the sweep chart".into()
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let (body, scale) = framed(
            root,
            1800.0,
            self.title,
            if self.differences {
                "Each point: mean paired difference over its replicate pairs; bars: 95 % interval (t over pairs; Newcombe's for the consensus share)."
            } else {
                "Each point: mean over its replicates; bars: 2.5-97.5 % of replicates (consensus: its 95 % interval, Wilson's)."
            },
        )?;
        let px = |v: f64| (v * scale).round() as i32;
        let cols = self.outputs.len().div_ceil(2).max(1);
        let panels = body.split_evenly((2, cols));
        for (k, (label, curve)) in self.outputs.iter().enumerate() {
            let (x0, x1) = curve
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
                    (a.min(p.0), b.max(p.0))
                });
            let pad = ((x1 - x0) * 0.05).max(1e-9);
            let top = curve
                .iter()
                .map(|p| p.3.max(p.1))
                .filter(|v| v.is_finite())
                .fold(0.0f64, f64::max);
            // Differences: the axis spans the data and zero; levels: 0 to at least 1.
            let y_max = if self.differences {
                top.max(1e-6)
            } else {
                top.max(1.0)
            };
            let y_min = curve
                .iter()
                .map(|p| p.2.min(p.1))
                .filter(|v| v.is_finite())
                .fold(0.0f64, f64::min);
            let y_min = if y_min < 0.0 { y_min * 1.02 } else { 0.0 };
            let (label, font) = panel_title_fitted(&panels[k], label, px(22.0));
            let mut chart = ChartBuilder::on(&panels[k])
                .caption(label, font)
                .margin(px(10.0))
                .x_label_area_size(px(44.0))
                .y_label_area_size(px(60.0))
                .build_cartesian_2d((x0 - pad)..(x1 + pad), y_min..y_max * 1.02)
                .map_err(err)?;
            if y_min < 0.0 {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(x0 - pad, 0.0), (x1 + pad, 0.0)],
                        RGBColor(60, 60, 60).stroke_width(px(2.0) as u32),
                    )))
                    .map_err(err)?;
            }
            let style = crate::style::current();
            chart
                .configure_mesh()
                .x_desc(style.x_label.as_deref().unwrap_or(self.factor))
                .label_style((FONT, px(16.0)))
                .axis_desc_style((FONT, px(16.0)))
                .light_line_style(RGBColor(235, 235, 235))
                .draw()
                .map_err(err)?;
            let colour = LINE_COLOURS[k % LINE_COLOURS.len()];
            chart
                .draw_series(curve.iter().map(|&(x, _, lo, hi)| {
                    PathElement::new(
                        vec![(x, lo), (x, hi)],
                        colour.mix(0.5).stroke_width(px(3.0) as u32),
                    )
                }))
                .map_err(err)?;
            chart
                .draw_series(LineSeries::new(
                    curve.iter().map(|p| (p.0, p.1)),
                    colour.stroke_width(px(3.0) as u32),
                ))
                .map_err(err)?;
            chart
                .draw_series(
                    curve
                        .iter()
                        .map(|p| Circle::new((p.0, p.1), px(5.0) as u32, colour.filled())),
                )
                .map_err(err)?;
        }
        Ok(())
    }
}

/// Outputs against one factor; `differences`: the outputs are paired differences (the
/// axis spans the data and zero, with the zero line), else levels (0 to at least 1).
pub fn factor_chart(
    title: &str,
    factor: &str,
    outputs: &[(String, Curve)],
    differences: bool,
    format: Format,
    size: (u32, u32),
) -> Result<Vec<u8>, VizError> {
    render(
        &FactorChart {
            title,
            factor,
            outputs,
            differences,
        },
        format,
        size,
    )
}

/// A factor level as an axis label: whole numbers (rounds, counts) without decimals when
/// every level is whole, else two decimals.
fn level_label(v: f64, levels: &[f64]) -> String {
    if levels.iter().all(|l| l.fract() == 0.0) {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

/// The label of the item whose cell is centred on the integer `v` (none between cells).
fn centre_label<T>(v: f64, items: &[T], show: impl Fn(&T) -> String) -> String {
    if v < -0.01 || (v - v.round()).abs() > 1e-6 {
        return String::new();
    }
    items.get(v.round() as usize).map_or(String::new(), show)
}

/// Colour of a value in [0, 1] on a colour-blind-safe sequential scale (light yellow to dark blue).
pub fn heat_colour(v: f64) -> RGBColor {
    let stops = [
        (255.0, 255.0, 204.0),
        (161.0, 218.0, 180.0),
        (65.0, 182.0, 196.0),
        (34.0, 94.0, 168.0),
        (8.0, 29.0, 88.0),
    ];
    let v = if v.is_nan() { 0.0 } else { v.clamp(0.0, 1.0) } * (stops.len() - 1) as f64;
    let i = (v.floor() as usize).min(stops.len() - 2);
    let f = v - i as f64;
    let (a, b) = (stops[i], stops[i + 1]);
    RGBColor(
        (a.0 + (b.0 - a.0) * f) as u8,
        (a.1 + (b.1 - a.1) * f) as u8,
        (a.2 + (b.2 - a.2) * f) as u8,
    )
}

/// Colour of a value in [-1, 1] on a colour-blind-safe diverging scale: orange-brown below
/// zero, white at zero, blue above (NaN: light grey).
pub fn diverging_colour(v: f64) -> RGBColor {
    if v.is_nan() {
        return RGBColor(230, 230, 230);
    }
    let v = v.clamp(-1.0, 1.0);
    let (end, f) = if v < 0.0 {
        ((179.0, 88.0, 6.0), -v)
    } else {
        ((33.0, 102.0, 172.0), v)
    };
    let mix = |e: f64| (255.0 + (e - 255.0) * f) as u8;
    RGBColor(mix(end.0), mix(end.1), mix(end.2))
}

/// A heatmap over two factors.
pub struct Heatmap<'a> {
    /// Title.
    pub title: &'a str,
    /// The factor along x.
    pub x_name: &'a str,
    /// The factor along y.
    pub y_name: &'a str,
    /// Levels along x.
    pub xs: &'a [f64],
    /// Levels along y.
    pub ys: &'a [f64],
    /// `values[y][x]`.
    pub values: &'a [Vec<f64>],
    /// The values at the two ends of the colour scale (`(0, 1)` for shares).
    pub range: (f64, f64),
    /// What the colour shows, written along the colour bar.
    pub key_label: &'a str,
    /// A diverging scale centred on zero (for differences), over `-m..m` with `m` the
    /// larger end of `range` in size.
    pub diverging: bool,
    /// `marked[y][x]`: cells outlined (e.g. a difference whose interval excludes zero);
    /// empty for none.
    pub marked: &'a [Vec<bool>],
}

impl Figure for Heatmap<'_> {
    fn name(&self) -> String {
        "the heatmap".into()
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let scale = crate::charts::frame::scale_of(root, 1200.0);
        let px = |v: f64| (v * scale).round() as i32;
        let (body, legend) = root.split_horizontally(root.dim_in_pixel().0 as i32 - px(170.0));
        let (nx, ny) = (self.xs.len(), self.ys.len());
        let style = crate::style::current();
        let mut builder = ChartBuilder::on(&body);
        if let Some(title) = style.title_of(self.title) {
            let (title, font) = panel_title_fitted(&body, &title, px(26.0));
            builder.caption(title, font);
        }
        let mut chart = builder
            .margin(px(16.0))
            .x_label_area_size(px(60.0))
            .y_label_area_size(px(80.0))
            .build_cartesian_2d(-0.5f64..nx as f64 - 0.5, -0.5f64..ny as f64 - 0.5)
            .map_err(err)?;
        let xs = self.xs;
        let ys = self.ys;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(style.x_label.as_deref().unwrap_or(self.x_name))
            .y_desc(style.y_label.as_deref().unwrap_or(self.y_name))
            .x_labels(nx.min(12))
            .y_labels(ny.min(12))
            .x_label_formatter(&|v| centre_label(*v, xs, |x| level_label(*x, xs)))
            .y_label_formatter(&|v| centre_label(*v, ys, |y| level_label(*y, ys)))
            .label_style((FONT, px(16.0)))
            .axis_desc_style((FONT, px(18.0)))
            .draw()
            .map_err(err)?;
        let (lo, hi) = if self.diverging {
            let m = self.range.0.abs().max(self.range.1.abs()).max(1e-12);
            (-m, m)
        } else {
            self.range
        };
        let unit = |v: f64| {
            if hi > lo { (v - lo) / (hi - lo) } else { 0.5 }
        };
        let colour = |u: f64| {
            if self.diverging {
                diverging_colour(2.0 * u - 1.0)
            } else {
                heat_colour(u)
            }
        };
        for (iy, row) in self.values.iter().enumerate() {
            for (ix, &value) in row.iter().enumerate() {
                let v = unit(value);
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [
                            (ix as f64 - 0.5, iy as f64 - 0.5),
                            (ix as f64 + 0.5, iy as f64 + 0.5),
                        ],
                        colour(v).filled(),
                    )))
                    .map_err(err)?;
                let marked = self
                    .marked
                    .get(iy)
                    .and_then(|r| r.get(ix))
                    .copied()
                    .unwrap_or(false);
                if marked {
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [
                                (ix as f64 - 0.44, iy as f64 - 0.44),
                                (ix as f64 + 0.44, iy as f64 + 0.44),
                            ],
                            BLACK.stroke_width(px(3.0).max(1) as u32),
                        )))
                        .map_err(err)?;
                }
                if nx <= 12 && ny <= 12 && !v.is_nan() {
                    let dark = if self.diverging {
                        (v - 0.5).abs() > 0.3
                    } else {
                        v > 0.55
                    };
                    let ink = if dark { WHITE } else { BLACK };
                    chart
                        .draw_series(std::iter::once(Text::new(
                            if self.diverging {
                                format!("{value:+.2}")
                            } else {
                                format!("{value:.2}")
                            },
                            (ix as f64 - 0.2, iy as f64 + 0.1),
                            (FONT, px(15.0)).into_font().color(&ink),
                        )))
                        .map_err(err)?;
                }
            }
        }
        self.draw_key(&legend, (lo, hi), colour, scale)
    }
}

impl Heatmap<'_> {
    /// The colour key beside the heatmap: the scale from `lo` (bottom) to `hi`, its label
    /// written upward, and the values at both ends and the middle.
    fn draw_key<DB: DrawingBackend>(
        &self,
        legend: &DrawingArea<DB, Shift>,
        (lo, hi): (f64, f64),
        colour: impl Fn(f64) -> RGBColor,
        scale: f64,
    ) -> DrawResult {
        let px = |v: f64| (v * scale).round() as i32;
        // Colour key.
        let (_, h) = legend.dim_in_pixel();
        let (top, bottom) = (px(80.0), h as i32 - px(80.0));
        for k in 0..100 {
            let y0 = bottom - (bottom - top) * k / 100;
            let y1 = bottom - (bottom - top) * (k + 1) / 100;
            legend
                .draw(&Rectangle::new(
                    [(px(20.0), y1), (px(50.0), y0)],
                    colour(k as f64 / 99.0).filled(),
                ))
                .map_err(err)?;
        }
        // The colour bar's label, written upward beside it.
        use plotters::style::text_anchor::{HPos, Pos, VPos};
        let label_style = TextStyle::from((FONT, px(17.0)).into_font())
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Center));
        legend
            .draw(&Text::new(
                self.key_label.to_string(),
                (px(128.0), (top + bottom) / 2),
                label_style,
            ))
            .map_err(err)?;
        let key = |v: f64| {
            let value = lo + (hi - lo) * v;
            if (lo, hi) == (0.0, 1.0) {
                format!("{value}")
            } else if self.diverging {
                format!("{value:+.2}")
            } else {
                format!("{value:.2}")
            }
        };
        for v in [0.0, 0.5, 1.0] {
            let label = key(v);
            let y = bottom - ((bottom - top) as f64 * v) as i32;
            legend
                .draw(&Text::new(label, (px(58.0), y - px(8.0)), (FONT, px(16.0))))
                .map_err(err)?;
        }
        Ok(())
    }
}

/// Draws a heatmap of values over two factors, coloured over `map.range`.
pub fn heatmap(map: &Heatmap<'_>, format: Format, size: (u32, u32)) -> Result<Vec<u8>, VizError> {
    render(map, format, size)
}

/// Sobol indices of one output: per factor `(name, s1, s1_low, s1_high, st, st_low, st_high)`.
pub type SobolBars = Vec<(String, f64, f64, f64, f64, f64, f64)>;

struct SobolChart<'a> {
    title: &'a str,
    outputs: &'a [(String, SobolBars)],
}

impl Figure for SobolChart<'_> {
    fn name(&self) -> String {
        "the Sobol chart".into()
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let (body, scale) = framed(
            root,
            1800.0,
            self.title,
            "Blue: first-order index S1; orange: total-order index ST; whiskers: bootstrap 95 % intervals.",
        )?;
        let px = |v: f64| (v * scale).round() as i32;
        let cols = self.outputs.len().div_ceil(2).max(1);
        let panels = body.split_evenly((2, cols));
        for (k, (label, bars)) in self.outputs.iter().enumerate() {
            let n = bars.len();
            let (label, font) = panel_title_fitted(&panels[k], label, px(22.0));
            let mut chart = ChartBuilder::on(&panels[k])
                .caption(label, font)
                .margin(px(10.0))
                .x_label_area_size(px(70.0))
                .y_label_area_size(px(50.0))
                .build_cartesian_2d(-0.5f64..n as f64 - 0.5, -0.05f64..1.05)
                .map_err(err)?;
            let names: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_labels(n)
                .x_label_formatter(&|v| {
                    centre_label(*v, &names, |s| {
                        s.rsplit('.').next().unwrap_or(s).to_string()
                    })
                })
                .label_style((FONT, px(16.0)))
                .light_line_style(RGBColor(235, 235, 235))
                .draw()
                .map_err(err)?;
            for (i, b) in bars.iter().enumerate() {
                let x = i as f64 - 0.5;
                for (offset, value, lo, hi, colour) in [
                    (0.15, b.1, b.2, b.3, LINE_COLOURS[0]),
                    (0.5, b.4, b.5, b.6, LINE_COLOURS[1]),
                ] {
                    if value.is_nan() {
                        continue;
                    }
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [
                                (x + offset, 0.0),
                                (x + offset + 0.32, value.clamp(-0.05, 1.05)),
                            ],
                            colour.filled(),
                        )))
                        .map_err(err)?;
                    let mid = x + offset + 0.16;
                    chart
                        .draw_series(std::iter::once(PathElement::new(
                            vec![(mid, lo.clamp(-0.05, 1.05)), (mid, hi.clamp(-0.05, 1.05))],
                            BLACK.stroke_width(2),
                        )))
                        .map_err(err)?;
                }
            }
        }
        Ok(())
    }
}

/// First- and total-order Sobol indices per output.
pub fn sobol_chart(
    title: &str,
    outputs: &[(String, SobolBars)],
    format: Format,
    size: (u32, u32),
) -> Result<Vec<u8>, VizError> {
    render(&SobolChart { title, outputs }, format, size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_levels_are_labelled_as_whole_numbers() {
        assert_eq!(level_label(30.0, &[10.0, 30.0, 50.0]), "30");
        assert_eq!(level_label(0.5, &[0.0, 0.5, 1.0]), "0.50");
        assert_eq!(level_label(1.0, &[0.0, 0.5, 1.0]), "1.00");
    }
}
