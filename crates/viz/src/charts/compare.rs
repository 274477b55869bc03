//! Several runs overlaid on the same axes, one colour per run.

use collabgov_sim::Metric;
use collabgov_study::output::RunTables;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::charts::frame::{
    Panel, axis_label, band_panel, consensus_title, framed, last_round, legend_height,
    legend_strip, panel_title, run_series, y_max_of,
};
use crate::{DrawResult, Figure, Format, LINE_COLOURS, VizError, render};

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
                "Mean (line), 2.5-97.5 % of replicates (band; consensus: Wilson 95 % CI). {}.",
                reps.join("; ")
            ),
        )?;
        // The legend in a strip of its own above the panels, outside the data.
        let entries: Vec<(String, RGBColor)> = self
            .runs
            .iter()
            .enumerate()
            .map(|(i, (name, _))| (name.clone(), LINE_COLOURS[i % LINE_COLOURS.len()]))
            .collect();
        let (strip, body) = body.split_vertically(legend_height(&body, &entries, scale));
        legend_strip(&strip, &entries, scale)?;
        let cols = self.metrics.len().div_ceil(2).max(1);
        let grid = if crate::style::current().metric_on_y() {
            (cols, 2)
        } else {
            (2, cols)
        };
        let panels = body.split_evenly(grid);
        let rounds = self
            .runs
            .iter()
            .map(|(_, t)| last_round(t))
            .max()
            .unwrap_or(1);
        for (k, metric) in self.metrics.iter().enumerate() {
            let series = run_series(self.runs.iter().map(|(n, t)| (n.as_str(), t)), *metric);
            let y_max = series
                .iter()
                .map(|s| y_max_of(*metric, &s.2))
                .fold(1.0, f64::max);
            let title = if *metric == Metric::Consensus {
                consensus_title()
            } else {
                panel_title(*metric)
            };
            band_panel(
                &panels[k],
                &Panel {
                    title,
                    y_desc: axis_label(*metric),
                    rounds,
                    y_max,
                    scale,
                    legend: false,
                    label_markers: k == 0,
                },
                &series,
                self.interventions,
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
    let families = runs
        .iter()
        .map(|(_, t)| t.families())
        .reduce(collabgov_sim::Families::common)
        .unwrap_or_default();
    let metrics: Vec<Metric> = Metric::compared(families).collect();
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
