//! The overview: small multiples of the metrics the metric table marks for it.

use collabgov_sim::Metric;
use collabgov_study::output::RunTables;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::charts::frame::{
    Panel, band_panel, consensus_title, framed, last_round, metric_panels, n_replicates,
};
use crate::data;
use crate::{ChartMeta, DrawResult, Figure, Format, PALETTE, VizError, render};

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
                "Mean of {} replicates (line), 2.5-97.5 % of them (band; consensus: Wilson 95 % CI); lines: interventions.",
                n_replicates(self.tables)
            ),
        )?;
        // On paper: two columns, so each panel keeps a readable width at 6.5 inches.
        let grid = if crate::style::current().metric_on_y() {
            (4, 2)
        } else {
            (2, 4)
        };
        let panels = body.split_evenly(grid);
        let rounds = last_round(self.tables);
        metric_panels(
            &panels,
            self.tables,
            Metric::overview(),
            &self.meta.interventions,
            scale,
        )?;
        let curve = data::consensus_curve(self.tables);
        band_panel(
            &panels[7],
            &Panel {
                title: consensus_title(),
                y_desc: "share of replicates",
                rounds,
                y_max: 1.0,
                scale,
                legend: false,
                label_markers: false,
            },
            &[("share".into(), PALETTE[7], curve)],
            &self.meta.interventions,
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
