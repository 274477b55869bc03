//! collabgov-viz: the charts of a run, drawn with plotters as PNG or SVG bytes, with the
//! DejaVu Sans font compiled in (no system font needed at build or run time).
//!
//! - [`overview`]: small multiples of trust (overall, within, across), commitment, shared
//!   understanding, productive share, small wins and consensus, mean with 2.5-97.5 % band;
//! - [`metric_chart`]: one metric per figure;
//! - [`consensus_chart`]: share of replicates in consensus by round, and the histogram of
//!   the consensus round;
//! - [`groups_chart`]: trust, commitment and participation by sector and by kind;
//! - [`network_picture`]: replicate 0 at round 0 and at the end, sectors as clusters;
//! - [`compare_chart`]: several runs overlaid;
//! - [`assess_chart`]: the practices `collabgov assess` ranked, with their paired effects.
//!
//! Charts read only [`collabgov_study::output::RunTables`] (what the run's CSV files
//! hold), so `collabgov plot` redraws exactly what `collabgov run` drew. This crate writes
//! no file: it returns bytes, and the caller writes them.

mod charts;
pub mod data;
pub mod discover;
pub mod handout;
pub mod report;
pub mod style;
pub mod sweep;

pub use charts::assess::{assess_chart, assess_size};
pub use charts::compare::compare_chart;
pub use charts::consensus::consensus_chart;
pub use charts::cycle::cycle_chart;
pub use charts::groups::groups_chart;
pub use charts::metric::metric_chart;
pub use charts::network::{MAX_DRAWN_RELATIONS, network_picture, trust_colour};
pub use charts::overview::overview;

use std::sync::Once;

use collabgov_sim::Metric;
use collabgov_study::output::RunTables;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

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

impl ChartMeta {
    /// The metadata of a scenario about to run (its name and interventions).
    pub fn of(scenario: &collabgov_core::Scenario) -> ChartMeta {
        ChartMeta {
            scenario: scenario.name.clone(),
            interventions: collabgov_study::manifest::marks(scenario)
                .into_iter()
                .map(|m| (m.round, m.label))
                .collect(),
        }
    }

    /// The metadata a finished run's `run.json` records, named `name`.
    pub fn from_manifest(
        name: &str,
        manifest: &collabgov_study::manifest::RunManifest,
    ) -> ChartMeta {
        ChartMeta {
            scenario: name.to_string(),
            interventions: manifest
                .interventions
                .iter()
                .map(|m| (m.round, m.label.clone()))
                .collect(),
        }
    }
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
pub(crate) type Point = (f64, f64);

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
            style::encode_png(&buf, width, height, crate::style::current().dpi())
                .map_err(err)
                .map_err(fail)
        }
        Format::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
                root.fill(&WHITE).map_err(err).map_err(fail)?;
                figure.draw(&root).map_err(fail)?;
                root.present().map_err(err).map_err(fail)?;
            }
            let svg = match crate::style::current().dpi() {
                Some(dpi) => style::svg_in_inches(svg, (width, height), dpi),
                None => svg,
            };
            Ok(svg.into_bytes())
        }
    }
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

/// One chart of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chart {
    /// Every overview metric's mean and band in one figure (`overview`).
    Overview,
    /// One metric's mean and band (`metric-NAME`).
    Metric(Metric),
    /// The share of replicates in consensus (`consensus`).
    Consensus,
    /// Trust, commitment and participation by sector and by kind (`groups`).
    Groups,
    /// With services: service time, trips, duplication, cost, backlog and refusals
    /// (`services`).
    Services,
    /// With levels of government: each unit's consensus share, province by province
    /// (`units`).
    Units,
    /// Replicate 0's network at the end (`network`).
    Network,
}

impl Chart {
    /// The charts a run's tables can draw, in the order `collabgov run` writes them.
    pub fn all(tables: &RunTables) -> Vec<Chart> {
        let mut out = vec![Chart::Overview];
        out.extend(Metric::overview().map(Chart::Metric));
        out.push(Chart::Consensus);
        if !tables.groups.is_empty() {
            out.push(Chart::Groups);
        }
        if tables.services {
            out.push(Chart::Services);
        }
        if !tables.units.is_empty() {
            out.push(Chart::Units);
        }
        if !tables.network.is_empty() {
            out.push(Chart::Network);
        }
        out
    }

    /// The chart's name, its file name without the extension (`overview`,
    /// `metric-trust_across`, ...).
    pub fn name(self) -> String {
        match self {
            Chart::Overview => "overview".into(),
            Chart::Metric(m) => format!("metric-{}", m.name()),
            Chart::Consensus => "consensus".into(),
            Chart::Groups => "groups".into(),
            Chart::Services => "services".into(),
            Chart::Units => "units".into(),
            Chart::Network => "network".into(),
        }
    }

    /// Its caption in words (`Overview`, `Trust across sectors`, ...).
    pub fn caption(self) -> String {
        match self {
            Chart::Overview => "Overview: every part of the cycle".into(),
            Chart::Metric(m) => m.label().to_string(),
            Chart::Consensus => "Share of replicates in consensus".into(),
            Chart::Groups => "Trust, commitment and participation by sector and by kind".into(),
            Chart::Services => "Public services across the silos".into(),
            Chart::Units => "Where consensus holds, government by government".into(),
            Chart::Network => "The network of replicate 0, at the start and at the end".into(),
        }
    }

    /// Its default size in pixels.
    pub fn default_size(self) -> (u32, u32) {
        DEFAULT_SIZES[match self {
            Chart::Overview | Chart::Services | Chart::Groups | Chart::Units => 0,
            Chart::Metric(_) => 1,
            Chart::Consensus => 2,
            Chart::Network => 3,
        }]
    }
}

/// Draws one chart of a run in `format`, at `size` or the chart's default size.
pub fn draw(
    chart: Chart,
    tables: &RunTables,
    meta: &ChartMeta,
    format: Format,
    size: Option<(u32, u32)>,
) -> Result<Vec<u8>, VizError> {
    let size = size.unwrap_or_else(|| {
        crate::style::current().size(
            chart.default_size(),
            matches!(chart, Chart::Overview | Chart::Services | Chart::Groups),
        )
    });
    match chart {
        Chart::Overview => overview(tables, meta, format, size),
        Chart::Metric(m) => metric_chart(tables, meta, m, format, size),
        Chart::Consensus => consensus_chart(tables, meta, format, size),
        Chart::Groups => groups_chart(tables, meta, format, size),
        Chart::Services => charts::services::services_overview(tables, meta, format, size),
        Chart::Units => charts::units::units_chart(tables, meta, format, size),
        Chart::Network => network_picture(tables, meta, format, size),
    }
}

/// Every chart of a run in one format. `size` overrides every chart's size when given.
pub fn draw_all(
    tables: &RunTables,
    meta: &ChartMeta,
    format: Format,
    size: Option<(u32, u32)>,
) -> Result<Vec<Drawn>, VizError> {
    Chart::all(tables)
        .into_iter()
        .map(|chart| {
            Ok(Drawn {
                file: format!("{}.{}", chart.name(), format.extension()),
                bytes: draw(chart, tables, meta, format, size)?,
            })
        })
        .collect()
}
