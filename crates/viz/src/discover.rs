//! The scenario-discovery chart (`collabgov discover`): PRIM's peeling trajectory as
//! coverage against density (as EMA Workbench's `show_tradeoff` draws it), and the chosen
//! box's limits on each factor it restricts, within the factor's whole range.

use collabgov_study::sweep::prim::Discovery;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::charts::frame::{framed, panel_title_fitted};
use crate::{DrawResult, FONT, Figure, Format, LINE_COLOURS, VizError, err, render};

struct DiscoverChart<'a> {
    found: &'a Discovery,
}

impl Figure for DiscoverChart<'_> {
    fn name(&self) -> String {
        "the discovery chart".into()
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let d = self.found;
        let c = &d.condition;
        let (body, scale) = framed(
            root,
            1600.0,
            &format!("Where does {} {} {} hold?", c.column, c.op, c.value),
            &format!(
                "PRIM (peeling and pasting alpha 0.05, mass at least 0.05) over {} points, {} where it holds. Left: each box of the trajectory; ringed: box {}. Right: its limits (dark) in each factor's range (light).",
                d.points, d.cases, d.chosen
            ),
        )?;
        let px = |v: f64| (v * scale).round() as i32;
        let (left, right) = body.split_horizontally(body.dim_in_pixel().0 as i32 / 2);
        let (title, font) = panel_title_fitted(&left, "Trade-off: coverage and density", px(22.0));
        let mut chart = ChartBuilder::on(&left)
            .caption(title, font)
            .margin(px(14.0))
            .x_label_area_size(px(50.0))
            .y_label_area_size(px(64.0))
            .build_cartesian_2d(0f64..1.02, 0f64..1.02)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("coverage (share of the points where it holds)")
            .y_desc("density (share of the box's points)")
            .label_style((FONT, px(16.0)))
            .axis_desc_style((FONT, px(17.0)))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(err)?;
        let most = d
            .trajectory
            .iter()
            .map(|s| s.res_dim)
            .max()
            .unwrap_or(0)
            .max(1);
        for s in &d.trajectory {
            let shade = 1.0 - 0.75 * s.res_dim as f64 / most as f64;
            let colour = RGBColor(
                (230.0 * shade) as u8,
                (120.0 + 110.0 * shade) as u8,
                (200.0 + 40.0 * shade) as u8,
            );
            chart
                .draw_series(std::iter::once(Circle::new(
                    (s.coverage, s.density),
                    px(7.0),
                    colour.filled(),
                )))
                .map_err(err)?;
        }
        let chosen = &d.trajectory[d.chosen];
        chart
            .draw_series(std::iter::once(Circle::new(
                (chosen.coverage, chosen.density),
                px(14.0),
                BLACK.stroke_width(px(3.0).max(1) as u32),
            )))
            .map_err(err)?;
        self.draw_limits(&right, scale)
    }
}

impl DiscoverChart<'_> {
    fn draw_limits<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        scale: f64,
    ) -> DrawResult {
        let px = |v: f64| (v * scale).round() as i32;
        let d = self.found;
        let step = &d.trajectory[d.chosen];
        let init = &d.trajectory[0].limits;
        let rows: Vec<usize> = (0..d.factors.len())
            .filter(|&j| step.limits[j] != init[j])
            .collect();
        let title = format!(
            "Box {}: density {:.0} %, coverage {:.0} %, mass {:.0} %",
            step.id,
            100.0 * step.density,
            100.0 * step.coverage,
            100.0 * step.mass
        );
        let (title, font) = panel_title_fitted(area, &title, px(22.0));
        let n = rows.len().max(1);
        let names: Vec<String> = rows
            .iter()
            .map(|&j| {
                let f = &d.factors[j];
                f.rsplit('.').next().unwrap_or(f).to_string()
            })
            .collect();
        let mut chart = ChartBuilder::on(area)
            .caption(title, font)
            .margin(px(14.0))
            .margin_right(px(24.0))
            .x_label_area_size(px(50.0))
            .y_label_area_size(px(110.0))
            .build_cartesian_2d(0f64..1.0, -0.5f64..n as f64 - 0.5)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&|v| {
                let k = v.round();
                if (v - k).abs() < 1e-6 && k >= 0.0 {
                    names.get(k as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .x_desc("share of the factor's range in the sweep")
            .label_style((FONT, px(17.0)))
            .axis_desc_style((FONT, px(17.0)))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(err)?;
        for (k, &j) in rows.iter().enumerate() {
            let (min, max) = init[j];
            let span = (max - min).max(f64::MIN_POSITIVE);
            let (lo, hi) = step.limits[j];
            let y = k as f64;
            chart
                .draw_series([
                    Rectangle::new(
                        [(0.0, y - 0.3), (1.0, y + 0.3)],
                        RGBColor(225, 232, 240).filled(),
                    ),
                    Rectangle::new(
                        [((lo - min) / span, y - 0.3), ((hi - min) / span, y + 0.3)],
                        LINE_COLOURS[0].filled(),
                    ),
                ])
                .map_err(err)?;
            // The lower limit's value starts at it, the upper's ends at it, so neither
            // runs off the panel.
            use plotters::style::text_anchor::{HPos, Pos, VPos};
            for (v, at, h) in [
                (lo, (lo - min) / span, HPos::Left),
                (hi, (hi - min) / span, HPos::Right),
            ] {
                let style =
                    TextStyle::from((FONT, px(16.0)).into_font()).pos(Pos::new(h, VPos::Bottom));
                chart
                    .draw_series(std::iter::once(Text::new(
                        format!("{v:.2}"),
                        (at, y + 0.34),
                        style,
                    )))
                    .map_err(err)?;
            }
        }
        Ok(())
    }
}

/// Draws the discovery chart.
pub fn discover_chart(
    found: &Discovery,
    format: Format,
    size: (u32, u32),
) -> Result<Vec<u8>, VizError> {
    render(&DiscoverChart { found }, format, size)
}
