//! With levels of government: where consensus holds. One row per province (the national
//! government on top), its first cell the province's own government and then each of its
//! regencies and cities, coloured by the unit's consensus share (the share of replicates
//! whose last round has the unit's own actors in consensus) in one panel and by its
//! alignment with the whole forum in the other, from `units.csv`.

use collabgov_study::output::{RunTables, UnitSummary};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use crate::charts::frame::framed;
use crate::sweep::heat_colour;
use crate::{ChartMeta, DrawResult, FONT, Figure, Format, VizError, err, render};

struct UnitsChart<'a> {
    tables: &'a RunTables,
    meta: &'a ChartMeta,
}

/// The rows of the chart: the national government alone, then each province with its
/// regencies (units in file order).
pub fn unit_rows(units: &[UnitSummary]) -> Vec<Vec<&UnitSummary>> {
    let mut rows: Vec<Vec<&UnitSummary>> = Vec::new();
    let mut row_of = std::collections::HashMap::new();
    for u in units {
        match u.level {
            0 | 1 => {
                row_of.insert(u.unit, rows.len());
                rows.push(vec![u]);
            }
            _ => {
                if let Some(&r) = row_of.get(&u.parent) {
                    rows[r].push(u);
                }
            }
        }
    }
    rows
}

/// What a panel of the chart shows of a unit: its title, the value, and the values at the
/// two ends of the colour scale.
type Shown<'a> = (&'a str, &'a dyn Fn(&UnitSummary) -> f64, (f64, f64));

/// One panel: a grid of units, a row per province, coloured by `value` over its range, with
/// its colour key on the right.
fn unit_grid<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[Vec<&UnitSummary>],
    (title, value, (lo, hi)): Shown<'_>,
    scale: f64,
) -> DrawResult {
    let px = |v: f64| (v * scale).round() as i32;
    let (area, key) = area.split_horizontally(area.dim_in_pixel().0 as i32 - px(90.0));
    let (head, grid) = area.split_vertically(px(34.0));
    head.draw(&Text::new(
        title.to_string(),
        (px(4.0), px(6.0)),
        (FONT, px(19.0)).into_font().style(FontStyle::Bold),
    ))
    .map_err(err)?;
    let n_rows = rows.len().max(1);
    let n_cols = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let (w, h) = grid.dim_in_pixel();
    let label_w = px(190.0).min(w as i32 / 3);
    let cell_w = ((w as i32 - label_w - px(10.0)) / n_cols as i32).max(1);
    let cell_h = ((h as i32 - px(6.0)) / n_rows as i32).max(1);
    let font = (cell_h as f64 * 0.7).clamp(8.0 * scale, 17.0 * scale) as i32;
    for (r, row) in rows.iter().enumerate() {
        let y = r as i32 * cell_h;
        if cell_h >= 7 {
            let name: String = row[0].name.chars().take(26).collect();
            grid.draw(&Text::new(
                name,
                (px(4.0), y + (cell_h - font) / 2),
                (FONT, font),
            ))
            .map_err(err)?;
        }
        for (c, u) in row.iter().enumerate() {
            let x = label_w + c as i32 * cell_w;
            let v = value(u);
            let colour = if v.is_nan() {
                RGBColor(220, 220, 220)
            } else {
                heat_colour((v - lo) / (hi - lo))
            };
            let gap = i32::from(cell_w > 4 && cell_h > 4);
            let cell = [(x, y), (x + cell_w - gap, y + cell_h - gap)];
            grid.draw(&Rectangle::new(cell, colour.filled()))
                .map_err(err)?;
            if c == 0 && u.level > 0 {
                // The province's own government: outlined.
                grid.draw(&Rectangle::new(
                    cell,
                    BLACK.stroke_width(px(2.0).max(1) as u32),
                ))
                .map_err(err)?;
            }
        }
    }
    // The colour key, from `lo` (bottom) to `hi`.
    let (_, kh) = key.dim_in_pixel();
    let (top, bottom) = (px(50.0), kh as i32 - px(30.0));
    for k in 0..100 {
        let y0 = bottom - (bottom - top) * k / 100;
        let y1 = bottom - (bottom - top) * (k + 1) / 100;
        key.draw(&Rectangle::new(
            [(px(10.0), y1), (px(36.0), y0)],
            heat_colour(k as f64 / 99.0).filled(),
        ))
        .map_err(err)?;
    }
    for v in [0.0, 0.5, 1.0] {
        let y = bottom - ((bottom - top) as f64 * v) as i32;
        let label = format!("{}", lo + (hi - lo) * v);
        key.draw(&Text::new(label, (px(42.0), y - px(8.0)), (FONT, px(15.0))))
            .map_err(err)?;
    }
    Ok(())
}

impl Figure for UnitsChart<'_> {
    fn name(&self) -> String {
        "the units chart".into()
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let rows = unit_rows(&self.tables.units);
        let (body, scale) = framed(
            root,
            1800.0,
            &format!(
                "{}: where consensus holds, government by government",
                self.meta.scenario
            ),
            "Each row: a province's government (outlined), then its regencies and cities; the national government on top. Left: share of replicates ending with the unit's own actors in consensus. Right: 1 - 2 x the distance between the unit's mean view and the whole forum's (1: the same view).",
        )?;
        let half = body.dim_in_pixel().0 as i32 / 2;
        let (left, right) = body.split_horizontally(half);
        unit_grid(
            &left,
            &rows,
            (
                "Consensus inside the unit (share of replicates)",
                &|u| u.consensus[0],
                (0.0, 1.0),
            ),
            scale,
        )?;
        unit_grid(
            &right,
            &rows,
            (
                "Alignment with the whole forum (0.5 or less: palest)",
                &|u| u.values[1][0],
                (0.5, 1.0),
            ),
            scale,
        )?;
        Ok(())
    }
}

/// Draws the units chart of a run with levels of government.
pub fn units_chart(
    tables: &RunTables,
    meta: &ChartMeta,
    format: Format,
    size: (u32, u32),
) -> Result<Vec<u8>, VizError> {
    render(&UnitsChart { tables, meta }, format, size)
}
