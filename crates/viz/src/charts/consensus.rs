//! The share of replicates in consensus by round, and the histogram of the round it
//! was reached.

use collabgov_study::output::RunTables;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::charts::frame::{
    Panel, band_panel, framed, last_round, n_replicates, panel_title_fitted,
};
use crate::data;
use crate::{ChartMeta, DrawResult, FONT, Figure, Format, PALETTE, VizError, err, render};

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
            &Panel {
                title: "Share of replicates in consensus by round",
                y_desc: "share of replicates",
                rounds,
                y_max: 1.0,
                scale: scale * 1.1,
                legend: true,
                label_markers: true,
            },
            &[(
                "share with 95 % interval".into(),
                PALETTE[0],
                data::consensus_curve(self.tables),
            )],
            &self.meta.interventions,
        )?;
        let bins = data::consensus_histogram(self.tables, 25);
        let top_count = bins.iter().map(|b| b.2).max().unwrap_or(0).max(1) as f64;
        let (title, font) = panel_title_fitted(&right, "Round of first consensus", px(26.0));
        let mut chart = ChartBuilder::on(&right)
            .caption(title, font)
            .margin(px(10.0))
            .x_label_area_size(px(48.0))
            .y_label_area_size(px(66.0))
            .build_cartesian_2d(0f64..rounds as f64 + 1.0, 0f64..top_count * 1.15)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("Round")
            .y_desc("replicates")
            .x_labels(crate::charts::frame::round_labels(rounds + 1))
            .x_label_formatter(&crate::charts::frame::round_label)
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
