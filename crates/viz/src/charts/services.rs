//! The services overview (CG-2): what citizens and government feel of Whole-of-Government:
//! service time, trips, duplicate data collections, cost and backlog as bands, and the
//! refused official assistance by reason as a stacked area.

use collabgov_sim::Metric;
use collabgov_sim::metrics::REFUSALS;
use collabgov_study::output::RunTables;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::charts::frame::{
    draw_marks, framed, last_round, metric_panels, n_replicates, round_panel,
};
use crate::data;
use crate::{ChartMeta, DrawResult, FONT, Figure, Format, PALETTE, VizError, err, render};

/// The band panels, in order.
const PANELS: [Metric; 5] = [
    Metric::ServiceTime,
    Metric::Trips,
    Metric::Duplication,
    Metric::Cost,
    Metric::Backlog,
];

struct Services<'a> {
    tables: &'a RunTables,
    meta: &'a ChartMeta,
}

impl Figure for Services<'_> {
    fn name(&self) -> String {
        "the services overview".into()
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let (body, scale) = framed(
            root,
            1800.0,
            &format!("{}: public services across the silos", self.meta.scenario),
            &format!(
                "Requests completed each round: mean over {} replicates (line) with 2.5-97.5 % of replicates (band); grey lines: interventions.",
                n_replicates(self.tables)
            ),
        )?;
        let grid = if crate::style::current().metric_on_y() {
            (3, 2)
        } else {
            (2, 3)
        };
        let panels = body.split_evenly(grid);
        let rounds = last_round(self.tables);
        metric_panels(
            &panels,
            self.tables,
            PANELS.into_iter(),
            &self.meta.interventions,
            scale,
        )?;
        refusals_panel(
            &panels[5],
            self.tables,
            rounds,
            &self.meta.interventions,
            scale,
        )
    }
}

/// Refused assistance per round by reason, mean over replicates, stacked.
fn refusals_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    tables: &RunTables,
    rounds: u32,
    interventions: &[(u32, String)],
    scale: f64,
) -> DrawResult {
    let px = |v: f64| (v * scale).round() as i32;
    // The reasons this run records (`autonomy` only with levels of government).
    let recorded = tables.metrics();
    let reasons: Vec<_> = REFUSALS
        .into_iter()
        .filter(|m| recorded.contains(m))
        .collect();
    let layers = data::stacked_means(tables, &reasons);
    let top = layers
        .last()
        .map_or(0.0, |l| l.iter().map(|p| p.1).fold(0.0, f64::max));
    let y_max = (top * 1.1).max(1.0);
    let mut chart = round_panel(
        area,
        "Assistance refused, by reason",
        "refusals per round",
        rounds,
        y_max,
        scale,
    )?;
    draw_marks(&mut chart, interventions, y_max, scale, false)?;
    let mut below: Vec<(f64, f64)> = layers
        .first()
        .map(|l| l.iter().map(|p| (p.0, 0.0)).collect())
        .unwrap_or_default();
    for (k, (layer, metric)) in layers.iter().zip(reasons).enumerate() {
        let colour = PALETTE[(k + 1) % PALETTE.len()];
        let mut polygon: Vec<(f64, f64)> = layer.clone();
        polygon.extend(below.iter().rev().copied());
        chart
            .draw_series(std::iter::once(Polygon::new(
                polygon,
                colour.mix(0.75).filled(),
            )))
            .map_err(err)?
            .label(metric.label().trim_start_matches("Refused: ").to_string())
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 20, y + 6)], colour.filled()));
        below.clone_from(layer);
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .label_font((FONT, px(16.0)))
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(160, 160, 160))
        .draw()
        .map_err(err)?;
    Ok(())
}

/// The services overview figure (drawn only for a run with services).
pub fn services_overview(
    tables: &RunTables,
    meta: &ChartMeta,
    format: Format,
    size: (u32, u32),
) -> Result<Vec<u8>, VizError> {
    render(&Services { tables, meta }, format, size)
}
