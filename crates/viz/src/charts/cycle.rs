//! The handout's chart: the cycle's four measures a class discusses (the share of
//! replicates in consensus, cross-sector trust, commitment to the process and shared
//! understanding), each on its own fixed range [0, 1], one run or several overlaid, the
//! interventions marked and labelled; every word in the style's language.

use collabgov_sim::Metric;
use collabgov_study::output::RunTables;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::charts::frame::{
    Panel, band_panel, framed, last_round, legend_height, legend_strip, run_series,
};
use crate::{DrawResult, Figure, Format, LINE_COLOURS, VizError, render};

/// The four panels, in reading order.
const PANELS: [Metric; 4] = [
    Metric::Consensus,
    Metric::TrustAcross,
    Metric::Commitment,
    Metric::Understanding,
];

struct Cycle<'a> {
    runs: &'a [(&'a str, &'a RunTables)],
    interventions: &'a [(u32, String)],
}

impl Figure for Cycle<'_> {
    fn name(&self) -> String {
        "the handout's chart".into()
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let lang = crate::style::current().lang;
        let replicates: Vec<String> = self
            .runs
            .iter()
            .map(|(_, t)| t.replicates.len().to_string())
            .collect();
        let names: Vec<&str> = self.runs.iter().map(|(n, _)| *n).collect();
        let (body, scale) = framed(
            root,
            1800.0,
            &lang.text("chart-cycle-title", &[("names", names.join(" / "))]),
            &lang.text(
                "chart-cycle-caption",
                &[("replicates", replicates.join(" / "))],
            ),
        )?;
        // Several runs: the legend in a strip of its own above the panels.
        let body = if self.runs.len() > 1 {
            let entries: Vec<(String, RGBColor)> = names
                .iter()
                .enumerate()
                .map(|(i, n)| (n.to_string(), LINE_COLOURS[i % LINE_COLOURS.len()]))
                .collect();
            let (strip, body) = body.split_vertically(legend_height(&body, &entries, scale));
            legend_strip(&strip, &entries, scale)?;
            body
        } else {
            body
        };
        let panels = body.split_evenly((2, 2));
        let rounds = self
            .runs
            .iter()
            .map(|(_, t)| last_round(t))
            .max()
            .unwrap_or(1);
        for (k, metric) in PANELS.iter().enumerate() {
            let series = run_series(self.runs.iter().copied(), *metric);
            let consensus = *metric == Metric::Consensus;
            let title = if consensus {
                lang.text("chart-cycle-consensus", &[])
            } else {
                lang.text(&format!("summary-metric-{}", metric.name()), &[])
            };
            let y_desc = lang.text(
                if consensus {
                    "chart-cycle-share"
                } else {
                    "chart-cycle-level"
                },
                &[],
            );
            band_panel(
                &panels[k],
                &Panel {
                    title: &title,
                    y_desc: &y_desc,
                    rounds,
                    y_max: 1.0,
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

/// The handout's chart of `runs` (name and tables), `interventions` (round and label, in
/// the style's language) marked on every panel and labelled on the first.
pub fn cycle_chart(
    runs: &[(&str, &RunTables)],
    interventions: &[(u32, String)],
    format: Format,
    size: (u32, u32),
) -> Result<Vec<u8>, VizError> {
    render(
        &Cycle {
            runs,
            interventions,
        },
        format,
        size,
    )
}
