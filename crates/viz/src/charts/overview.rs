//! The overview: small multiples of the metrics the metric table marks for it.

use collabgov_sim::Metric;
use collabgov_sim::output::RunTables;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::charts::frame::{axis_label, band_panel, framed, last_round, n_replicates, y_max_of};
use crate::data;
use crate::{ChartMeta, DrawResult, Figure, Format, LINE_COLOURS, PALETTE, VizError, render};

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
                axis_label(metric),
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
