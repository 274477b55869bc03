//! The overview: small multiples of the metrics the metric table marks for it.

use collabgov_sim::Metric;
use collabgov_sim::output::RunTables;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::charts::frame::{band_panel, framed, last_round, metric_panels, n_replicates};
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
                "Mean over {} replicates (line) with the 2.5-97.5 % range (band); vertical lines mark interventions.",
                n_replicates(self.tables)
            ),
        )?;
        let panels = body.split_evenly((2, 4));
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
