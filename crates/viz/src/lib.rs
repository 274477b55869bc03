//! collabgov-viz: the charts of a run, drawn with plotters as PNG or SVG bytes, with the
//! DejaVu Sans font compiled in (no system font needed at build or run time).
//!
//! - [`overview`]: small multiples of trust (overall, within, across), commitment, shared
//!   understanding, productive share, small wins and consensus, mean with 2.5-97.5 % band;
//! - [`metric_chart`]: one metric per figure;
//! - [`consensus_chart`]: share of replicates in consensus by round, and the histogram of
//!   the consensus round;
//! - [`network_picture`]: replicate 0 at round 0 and at the end, sectors as clusters;
//! - [`compare_chart`]: several runs overlaid.
//!
//! Charts read only [`collabgov_sim::output::RunTables`] (what the run's CSV files
//! hold), so `collabgov plot` redraws exactly what `collabgov run` drew. This crate writes
//! no file: it returns bytes, and the caller writes them.

pub mod data;
pub mod sweep;

use std::sync::Once;

use collabgov_sim::Metric;
use collabgov_sim::output::{ActorRow, RunTables};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use data::BandPoint;

/// Error drawing a chart.
#[derive(Debug, thiserror::Error)]
#[error("cannot draw {chart}: {message}")]
pub struct VizError {
    /// Which chart.
    pub chart: String,
    /// What went wrong.
    pub message: String,
}

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// PNG bitmap.
    Png,
    /// SVG vector file.
    Svg,
}

impl Format {
    /// File extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Svg => "svg",
        }
    }
}

/// What a chart says about its run besides the tables.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartMeta {
    /// Scenario name (in titles).
    pub scenario: String,
    /// Scheduled interventions: round and label (marked as vertical lines).
    pub interventions: Vec<(u32, String)>,
}

/// Okabe-Ito colour-blind-safe palette.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(240, 228, 66),
    RGBColor(0, 0, 0),
];

/// Palette entries with enough contrast for lines on white (no yellow).
pub(crate) const LINE_COLOURS: [RGBColor; 7] = [
    PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[3], PALETTE[4], PALETTE[5], PALETTE[7],
];

pub(crate) const FONT: &str = "sans-serif";

fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

pub(crate) type DrawResult = Result<(), String>;

/// A position in data coordinates.
type Point = (f64, f64);

pub(crate) fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// Something drawable on any plotters backend.
pub(crate) trait Figure {
    fn name(&self) -> String;
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult;
}

pub(crate) fn render<F: Figure>(
    figure: &F,
    format: Format,
    (width, height): (u32, u32),
) -> Result<Vec<u8>, VizError> {
    register_fonts();
    let fail = |message: String| VizError {
        chart: figure.name(),
        message,
    };
    match format {
        Format::Png => {
            let mut buf = vec![0u8; width as usize * height as usize * 3];
            {
                let root =
                    BitMapBackend::with_buffer(&mut buf, (width, height)).into_drawing_area();
                root.fill(&WHITE).map_err(err).map_err(fail)?;
                figure.draw(&root).map_err(fail)?;
                root.present().map_err(err).map_err(fail)?;
            }
            let mut png = Vec::new();
            use image::ImageEncoder;
            image::codecs::png::PngEncoder::new(&mut png)
                .write_image(&buf, width, height, image::ColorType::Rgb8)
                .map_err(err)
                .map_err(fail)?;
            Ok(png)
        }
        Format::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
                root.fill(&WHITE).map_err(err).map_err(fail)?;
                figure.draw(&root).map_err(fail)?;
                root.present().map_err(err).map_err(fail)?;
            }
            Ok(svg.into_bytes())
        }
    }
}

fn last_round(tables: &RunTables) -> u32 {
    tables
        .rounds
        .iter()
        .map(|r| r.round)
        .max()
        .unwrap_or(1)
        .max(1)
}

/// Draws one band panel: series of (label, colour, points) plus intervention markers.
#[allow(clippy::too_many_arguments)]
fn band_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    y_desc: &str,
    rounds: u32,
    y_max: f64,
    series: &[(String, RGBColor, Vec<BandPoint>)],
    interventions: &[(u32, String)],
    scale: f64,
    legend: bool,
    label_markers: bool,
) -> DrawResult {
    let px = |v: f64| (v * scale).round() as i32;
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT, px(24.0)).into_font().style(FontStyle::Bold))
        .margin(px(10.0))
        .margin_right(px(26.0))
        .x_label_area_size(px(44.0))
        .y_label_area_size(px(62.0))
        .build_cartesian_2d(0f64..rounds as f64, 0f64..y_max)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("Round")
        .y_desc(y_desc)
        .label_style((FONT, px(16.0)))
        .axis_desc_style((FONT, px(17.0)))
        .light_line_style(RGBColor(235, 235, 235))
        .bold_line_style(RGBColor(215, 215, 215))
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| {
            if y_max > 2.0 {
                format!("{y:.0}")
            } else {
                format!("{y:.1}")
            }
        })
        .draw()
        .map_err(err)?;
    // One line per round; labels of the same round stacked under each other.
    let mut rounds_marked: Vec<u32> = interventions.iter().map(|(r, _)| *r).collect();
    rounds_marked.sort_unstable();
    rounds_marked.dedup();
    for round in rounds_marked {
        let x = round as f64;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(x, 0.0), (x, y_max)],
                RGBColor(90, 90, 90).stroke_width(px(2.0) as u32),
            )))
            .map_err(err)?;
        for (k, (_, label)) in interventions
            .iter()
            .filter(|(r, _)| *r == round && label_markers)
            .enumerate()
        {
            let y = y_max * (0.97 - 0.055 * k as f64);
            chart
                .draw_series(std::iter::once(Text::new(
                    format!(" {label}"),
                    (x, y),
                    (FONT, px(14.0)).into_font().color(&RGBColor(60, 60, 60)),
                )))
                .map_err(err)?;
        }
    }
    for (label, colour, points) in series {
        if points.is_empty() {
            continue;
        }
        let mut polygon: Vec<(f64, f64)> =
            points.iter().map(|p| (p.round as f64, p.high)).collect();
        polygon.extend(points.iter().rev().map(|p| (p.round as f64, p.low)));
        chart
            .draw_series(std::iter::once(Polygon::new(
                polygon,
                colour.mix(0.22).filled(),
            )))
            .map_err(err)?;
        let c = *colour;
        let line = chart
            .draw_series(LineSeries::new(
                points.iter().map(|p| (p.round as f64, p.mean)),
                c.stroke_width(px(3.0) as u32),
            ))
            .map_err(err)?;
        line.label(label.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], c.stroke_width(4)));
    }
    if legend {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .label_font((FONT, px(15.0)))
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(160, 160, 160))
            .draw()
            .map_err(err)?;
    }
    Ok(())
}

fn y_max_of(metric: Metric, points: &[BandPoint]) -> f64 {
    if metric.is_share() {
        1.0
    } else {
        let top = points
            .iter()
            .map(|p| p.high.max(p.mean))
            .fold(0.0, f64::max);
        (top * 1.1).max(1.0)
    }
}

pub(crate) fn caption(
    area: &DrawingArea<impl DrawingBackend, Shift>,
    text: &str,
    size: i32,
) -> DrawResult {
    let (w, h) = area.dim_in_pixel();
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    let style = TextStyle::from((FONT, size).into_font()).pos(Pos::new(HPos::Center, VPos::Center));
    area.draw(&Text::new(
        text.to_string(),
        (w as i32 / 2, h as i32 / 2),
        style,
    ))
    .map_err(err)
}

/// The frame every multi-panel figure shares: a title band, the body, and a note band under
/// it. Sizes scale with the figure's width (designed at `design_width` pixels); returns the
/// body and the scale.
pub(crate) fn framed<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    design_width: f64,
    title: &str,
    note: &str,
) -> Result<(DrawingArea<DB, Shift>, f64), String> {
    let scale = root.dim_in_pixel().0 as f64 / design_width;
    let px = |v: f64| (v * scale).round() as i32;
    let (top, rest) = root.split_vertically(px(66.0));
    let (body, bottom) = rest.split_vertically(rest.dim_in_pixel().1 as i32 - px(38.0));
    caption(&top, title, px(30.0))?;
    caption(&bottom, note, px(17.0))?;
    Ok((body, scale))
}

fn n_replicates(tables: &RunTables) -> usize {
    tables.replicates.len()
}

struct Overview<'a> {
    tables: &'a RunTables,
    meta: &'a ChartMeta,
}

impl Figure for Overview<'_> {
    fn name(&self) -> String {
        "the overview".into()
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let (body, scale) = framed(
            root,
            1800.0,
            &format!("{}: the collaborative-governance cycle", self.meta.scenario),
            &format!(
                "Mean over {} replicates (line) with the 2.5-97.5 % range (band); vertical lines mark interventions.",
                n_replicates(self.tables)
            ),
        )?;
        let panels = body.split_evenly((2, 4));
        let rounds = last_round(self.tables);
        for (k, metric) in Metric::overview().enumerate() {
            let points = data::band(self.tables, metric);
            let y_max = y_max_of(metric, &points);
            let series = vec![(
                "mean".to_string(),
                LINE_COLOURS[k % LINE_COLOURS.len()],
                points,
            )];
            band_panel(
                &panels[k],
                metric.label(),
                if metric.is_share() {
                    "share / level"
                } else {
                    "count"
                },
                rounds,
                y_max,
                &series,
                &self.meta.interventions,
                scale,
                false,
                k == 0,
            )?;
        }
        let curve = data::consensus_curve(self.tables);
        band_panel(
            &panels[7],
            "Replicates in consensus so far",
            "share of replicates",
            rounds,
            1.0,
            &[("share".into(), PALETTE[7], curve)],
            &self.meta.interventions,
            scale,
            false,
            false,
        )
    }
}

/// The overview figure (small multiples sharing the round axis).
pub fn overview(
    tables: &RunTables,
    meta: &ChartMeta,
    format: Format,
    size: (u32, u32),
) -> Result<Vec<u8>, VizError> {
    render(&Overview { tables, meta }, format, size)
}

struct MetricChart<'a> {
    tables: &'a RunTables,
    meta: &'a ChartMeta,
    metric: Metric,
}

impl Figure for MetricChart<'_> {
    fn name(&self) -> String {
        format!("the {} chart", self.metric.name())
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let scale = root.dim_in_pixel().0 as f64 / 1200.0;
        let px = |v: f64| (v * scale).round() as i32;
        let (body, bottom) = root.split_vertically(root.dim_in_pixel().1 as i32 - px(36.0));
        caption(
            &bottom,
            &format!(
                "{}: mean over {} replicates with the 2.5-97.5 % band.",
                self.meta.scenario,
                n_replicates(self.tables)
            ),
            px(17.0),
        )?;
        let points = data::band(self.tables, self.metric);
        let y_max = y_max_of(self.metric, &points);
        let title = format!("{}: {}", self.meta.scenario, self.metric.label());
        let series = vec![("mean over replicates".to_string(), PALETTE[0], points)];
        band_panel(
            &body,
            &title,
            self.metric.label(),
            last_round(self.tables),
            y_max,
            &series,
            &self.meta.interventions,
            scale * 1.2,
            true,
            true,
        )
    }
}

/// One metric over rounds.
pub fn metric_chart(
    tables: &RunTables,
    meta: &ChartMeta,
    metric: Metric,
    format: Format,
    size: (u32, u32),
) -> Result<Vec<u8>, VizError> {
    render(
        &MetricChart {
            tables,
            meta,
            metric,
        },
        format,
        size,
    )
}

struct ConsensusChart<'a> {
    tables: &'a RunTables,
    meta: &'a ChartMeta,
}

impl Figure for ConsensusChart<'_> {
    fn name(&self) -> String {
        "the consensus chart".into()
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let n = n_replicates(self.tables);
        let reached = self
            .tables
            .replicates
            .iter()
            .filter(|r| r.consensus_round.is_some())
            .count();
        let (body, scale) = framed(
            root,
            1600.0,
            &format!(
                "{}: consensus (understanding and commitment above their thresholds)",
                self.meta.scenario
            ),
            &format!(
                "{reached} of {n} replicates reached consensus. Left: share by round with its Wilson 95 % interval. Right: round of first consensus."
            ),
        )?;
        let px = |v: f64| (v * scale).round() as i32;
        let (left, right) = body.split_horizontally(body.dim_in_pixel().0 as i32 / 2);
        let rounds = last_round(self.tables);
        band_panel(
            &left,
            "Share of replicates in consensus by round",
            "share of replicates",
            rounds,
            1.0,
            &[(
                "share with 95 % interval".into(),
                PALETTE[0],
                data::consensus_curve(self.tables),
            )],
            &self.meta.interventions,
            scale * 1.1,
            true,
            true,
        )?;
        let bins = data::consensus_histogram(self.tables, 25);
        let top_count = bins.iter().map(|b| b.2).max().unwrap_or(0).max(1) as f64;
        let mut chart = ChartBuilder::on(&right)
            .caption(
                "Round of first consensus",
                (FONT, px(26.0)).into_font().style(FontStyle::Bold),
            )
            .margin(px(10.0))
            .x_label_area_size(px(48.0))
            .y_label_area_size(px(66.0))
            .build_cartesian_2d(0f64..rounds as f64 + 1.0, 0f64..top_count * 1.15)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("Round")
            .y_desc("replicates")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style((FONT, px(17.0)))
            .axis_desc_style((FONT, px(18.0)))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(bins.iter().map(|&(start, width, count)| {
                Rectangle::new(
                    [(start as f64, 0.0), ((start + width) as f64, count as f64)],
                    PALETTE[1].filled(),
                )
            }))
            .map_err(err)?;
        if reached == 0 {
            chart
                .draw_series(std::iter::once(Text::new(
                    "no replicate reached consensus",
                    (rounds as f64 * 0.2, top_count * 0.6),
                    (FONT, px(22.0)),
                )))
                .map_err(err)?;
        }
        Ok(())
    }
}

/// Consensus share by round and the consensus-round histogram.
pub fn consensus_chart(
    tables: &RunTables,
    meta: &ChartMeta,
    format: Format,
    size: (u32, u32),
) -> Result<Vec<u8>, VizError> {
    render(&ConsensusChart { tables, meta }, format, size)
}

/// Most relations drawn in a network picture; beyond it a deterministic sample is drawn and
/// the caption says so.
pub const MAX_DRAWN_RELATIONS: usize = 4000;

/// Colour of a trust value: orange (distrust) through grey to blue (trust), colour-blind safe.
pub fn trust_colour(trust: f64) -> RGBColor {
    let t = trust.clamp(0.0, 1.0);
    let (low, mid, high) = (
        (230.0, 159.0, 0.0),
        (190.0, 190.0, 190.0),
        (0.0, 90.0, 178.0),
    );
    let mix = |a: (f64, f64, f64), b: (f64, f64, f64), f: f64| {
        RGBColor(
            (a.0 + (b.0 - a.0) * f) as u8,
            (a.1 + (b.1 - a.1) * f) as u8,
            (a.2 + (b.2 - a.2) * f) as u8,
        )
    };
    if t < 0.5 {
        mix(low, mid, t * 2.0)
    } else {
        mix(mid, high, (t - 0.5) * 2.0)
    }
}

struct NetworkPicture<'a> {
    tables: &'a RunTables,
    meta: &'a ChartMeta,
}

impl Figure for NetworkPicture<'_> {
    fn name(&self) -> String {
        "the network picture".into()
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let scale = root.dim_in_pixel().0 as f64 / 1800.0;
        let px = |v: f64| (v * scale).round() as i32;
        let actors: Vec<&ActorRow> = self
            .tables
            .actors
            .iter()
            .filter(|a| a.replicate == 0)
            .collect();
        let (sectors, positions) = data::layout(&actors);
        let index: std::collections::HashMap<&str, usize> = actors
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        let relations = &self.tables.network;
        let step = relations.len().div_ceil(MAX_DRAWN_RELATIONS).max(1);
        let last = last_round(self.tables);
        let (top, rest) = root.split_vertically(px(64.0));
        let (body, bottom) = rest.split_vertically(rest.dim_in_pixel().1 as i32 - px(70.0));
        caption(
            &top,
            &format!("{}: trust network of replicate 0", self.meta.scenario),
            px(30.0),
        )?;
        let sampled = if step > 1 {
            format!(" Showing every {step}th of {} relations.", relations.len())
        } else {
            String::new()
        };
        let (legend_area, note_area) = bottom.split_vertically(px(38.0));
        caption(
            &note_area,
            &format!(
                "Relation colour and width: mutual trust (orange = low, grey = middling, blue = high). Sectors are placed as clusters.{sampled}"
            ),
            px(17.0),
        )?;
        // Legend: sectors and shapes.
        let mut x = px(40.0);
        let y = px(19.0);
        for (s, name) in sectors.iter().enumerate() {
            legend_area
                .draw(&Circle::new(
                    (x, y),
                    px(8.0) as u32,
                    LINE_COLOURS[s % LINE_COLOURS.len()].filled(),
                ))
                .map_err(err)?;
            legend_area
                .draw(&Text::new(
                    name.clone(),
                    (x + px(14.0), y - px(9.0)),
                    (FONT, px(18.0)),
                ))
                .map_err(err)?;
            x += px(30.0) + (name.len() as f64 * 10.5 * scale) as i32;
        }
        x += px(30.0);
        legend_area
            .draw(&Rectangle::new(
                [(x - px(8.0), y - px(8.0)), (x + px(8.0), y + px(8.0))],
                BLACK.stroke_width(2),
            ))
            .map_err(err)?;
        legend_area
            .draw(&Text::new(
                "agency",
                (x + px(14.0), y - px(9.0)),
                (FONT, px(18.0)),
            ))
            .map_err(err)?;
        x += px(110.0);
        legend_area
            .draw(&Circle::new((x, y), px(8.0) as u32, BLACK.stroke_width(2)))
            .map_err(err)?;
        legend_area
            .draw(&Text::new(
                "non-state actor",
                (x + px(14.0), y - px(9.0)),
                (FONT, px(18.0)),
            ))
            .map_err(err)?;

        let panels = body.split_evenly((1, 2));
        let node = px(if actors.len() > 400 {
            3.0
        } else if actors.len() > 120 {
            5.0
        } else {
            8.0
        })
        .max(2);
        for (panel, final_state) in panels.iter().zip([false, true]) {
            let title = if final_state {
                format!("Round {last}")
            } else {
                "Round 0 (start)".to_string()
            };
            let mut chart = ChartBuilder::on(panel)
                .caption(title, (FONT, px(26.0)).into_font().style(FontStyle::Bold))
                .margin(px(12.0))
                .build_cartesian_2d(0f64..1f64, 0f64..1f64)
                .map_err(err)?;
            let mut drawn: Vec<(f64, Point, Point)> = Vec::new();
            for r in relations.iter().step_by(step) {
                let exists = if final_state {
                    r.until.is_none_or(|u| u >= last) && r.from <= last
                } else {
                    r.from == 0
                };
                let (Some(&a), Some(&b)) =
                    (index.get(r.source.as_str()), index.get(r.target.as_str()))
                else {
                    continue;
                };
                if !exists {
                    continue;
                }
                let trust = if final_state {
                    (r.trust_st_final + r.trust_ts_final) / 2.0
                } else {
                    (r.trust_st_initial + r.trust_ts_initial) / 2.0
                };
                drawn.push((trust, positions[a], positions[b]));
            }
            // Low trust first, so trusted relations stay visible on top.
            drawn.sort_by(|x, y| x.0.total_cmp(&y.0));
            let width_scale = if drawn.len() > 1500 { 0.5 } else { 1.0 };
            chart
                .draw_series(drawn.iter().map(|(trust, a, b)| {
                    let w = ((0.6 + 3.4 * trust) * width_scale * scale).round().max(1.0) as u32;
                    PathElement::new(vec![*a, *b], trust_colour(*trust).mix(0.75).stroke_width(w))
                }))
                .map_err(err)?;
            for (i, a) in actors.iter().enumerate() {
                let s = sectors.iter().position(|s| s == &a.sector).unwrap_or(0);
                let colour = LINE_COLOURS[s % LINE_COLOURS.len()];
                let (cx, cy) = positions[i];
                if final_state && a.joins_at > last || !final_state && a.joins_at > 0 {
                    continue;
                }
                if a.kind == "agency" {
                    let d = node + 1;
                    chart
                        .draw_series(std::iter::once(
                            EmptyElement::at((cx, cy))
                                + Rectangle::new([(-d, -d), (d, d)], colour.filled())
                                + Rectangle::new([(-d, -d), (d, d)], BLACK.stroke_width(1)),
                        ))
                        .map_err(err)?;
                } else {
                    chart
                        .draw_series(std::iter::once(
                            EmptyElement::at((cx, cy))
                                + Circle::new((0, 0), node as u32, colour.filled())
                                + Circle::new((0, 0), node as u32, BLACK.stroke_width(1)),
                        ))
                        .map_err(err)?;
                }
            }
        }
        Ok(())
    }
}

/// Replicate 0's network at round 0 and at the end, side by side.
pub fn network_picture(
    tables: &RunTables,
    meta: &ChartMeta,
    format: Format,
    size: (u32, u32),
) -> Result<Vec<u8>, VizError> {
    render(&NetworkPicture { tables, meta }, format, size)
}

/// One drawn file: its file name and bytes.
#[derive(Clone, Debug)]
pub struct Drawn {
    /// File name, e.g. `overview.png`.
    pub file: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Default sizes (width, height) in pixels: overview, per-metric, consensus, network.
pub const DEFAULT_SIZES: [(u32, u32); 4] = [(1800, 1000), (1200, 750), (1600, 700), (1800, 1000)];

/// Every chart of a run in one format. `size` overrides every chart's size when given.
pub fn draw_all(
    tables: &RunTables,
    meta: &ChartMeta,
    format: Format,
    size: Option<(u32, u32)>,
) -> Result<Vec<Drawn>, VizError> {
    let ext = format.extension();
    let pick = |k: usize| size.unwrap_or(DEFAULT_SIZES[k]);
    let mut out = vec![Drawn {
        file: format!("overview.{ext}"),
        bytes: overview(tables, meta, format, pick(0))?,
    }];
    for metric in Metric::overview() {
        out.push(Drawn {
            file: format!("metric-{}.{ext}", metric.name()),
            bytes: metric_chart(tables, meta, metric, format, pick(1))?,
        });
    }
    out.push(Drawn {
        file: format!("consensus.{ext}"),
        bytes: consensus_chart(tables, meta, format, pick(2))?,
    });
    if !tables.network.is_empty() {
        out.push(Drawn {
            file: format!("network.{ext}"),
            bytes: network_picture(tables, meta, format, pick(3))?,
        });
    }
    Ok(out)
}

struct Compare<'a> {
    runs: &'a [(String, RunTables)],
    metrics: &'a [Metric],
    title: &'a str,
    interventions: &'a [(u32, String)],
}

impl Figure for Compare<'_> {
    fn name(&self) -> String {
        "the comparison".into()
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let reps: Vec<String> = self
            .runs
            .iter()
            .map(|(n, t)| format!("{n}: {} replicates", t.replicates.len()))
            .collect();
        let (body, scale) = framed(
            root,
            1800.0,
            self.title,
            &format!(
                "Mean (line) and 2.5-97.5 % range (band). {}.",
                reps.join("; ")
            ),
        )?;
        let cols = self.metrics.len().div_ceil(2).max(1);
        let panels = body.split_evenly((2, cols));
        let rounds = self
            .runs
            .iter()
            .map(|(_, t)| last_round(t))
            .max()
            .unwrap_or(1);
        for (k, metric) in self.metrics.iter().enumerate() {
            let series: Vec<(String, RGBColor, Vec<BandPoint>)> = self
                .runs
                .iter()
                .enumerate()
                .map(|(i, (name, t))| {
                    let points = if *metric == Metric::Consensus {
                        data::consensus_curve(t)
                    } else {
                        data::band(t, *metric)
                    };
                    (name.clone(), LINE_COLOURS[i % LINE_COLOURS.len()], points)
                })
                .collect();
            let y_max = if metric.is_share() {
                1.0
            } else {
                series
                    .iter()
                    .map(|s| y_max_of(*metric, &s.2))
                    .fold(1.0, f64::max)
            };
            let title = if *metric == Metric::Consensus {
                "Replicates in consensus so far"
            } else {
                metric.label()
            };
            band_panel(
                &panels[k],
                title,
                if metric.is_share() {
                    "share / level"
                } else {
                    "count"
                },
                rounds,
                y_max,
                &series,
                self.interventions,
                scale,
                k == 0,
                k == 0,
            )?;
        }
        Ok(())
    }
}

/// Several runs overlaid on the same axes, one colour per run.
pub fn compare_chart(
    runs: &[(String, RunTables)],
    title: &str,
    interventions: &[(u32, String)],
    format: Format,
    size: (u32, u32),
) -> Result<Vec<u8>, VizError> {
    let metrics: Vec<Metric> = Metric::compared().collect();
    render(
        &Compare {
            runs,
            metrics: &metrics,
            title,
            interventions,
        },
        format,
        size,
    )
}
