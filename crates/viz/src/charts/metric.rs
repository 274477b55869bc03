//! One metric per figure, mean with its 2.5-97.5 % band.

use collabgov_sim::Metric;
use collabgov_study::output::RunTables;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::charts::frame::{Panel, band_panel, caption, last_round, n_replicates, y_max_of};
use crate::data;
use crate::{ChartMeta, DrawResult, Figure, Format, PALETTE, VizError, render};

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
        let scale = crate::charts::frame::scale_of(root, 1200.0);
        let px = |v: f64| (v * scale).round() as i32;
        let style = crate::style::current();
        let note = style.caption_of(&format!(
            "{}: mean over {} replicates with the 2.5-97.5 % range of replicates (band).",
            self.meta.scenario,
            n_replicates(self.tables)
        ));
        let bottom_height = px(if note.is_some() { 36.0 } else { 8.0 });
        let (body, bottom) = root.split_vertically(root.dim_in_pixel().1 as i32 - bottom_height);
        if let Some(note) = note {
            caption(&bottom, &note, px(17.0))?;
        }
        let points = data::band(self.tables, self.metric);
        let y_max = y_max_of(self.metric, &points);
        let title = style.title_of(&format!("{}: {}", self.meta.scenario, self.metric.label()));
        // On paper the panel names its metric on the y axis; a title of the user's own
        // goes above it.
        let (body, title) = if style.metric_on_y() {
            let body = match &title {
                Some(title) if style.title.is_some() => {
                    let (top, body) = body.split_vertically(px(56.0));
                    caption(&top, title, px(26.0))?;
                    body
                }
                _ => body,
            };
            (body, self.metric.axis().to_string())
        } else {
            (body, title.unwrap_or_default())
        };
        let series = vec![("mean over replicates".to_string(), PALETTE[0], points)];
        band_panel(
            &body,
            &Panel {
                title: &title,
                y_desc: self.metric.label(),
                rounds: last_round(self.tables),
                y_max,
                scale: scale * 1.2,
                legend: true,
                label_markers: true,
            },
            &series,
            &self.meta.interventions,
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
