//! The per-group series: trust, commitment and participation by sector (one colour per
//! sector, as in the network picture) and by kind (agencies against non-state actors), and
//! with levels of government by level (colours of their own).

use collabgov_sim::metrics::GROUP_METRICS;
use collabgov_sim::model::groups::{KIND_GROUPS, LEVEL_GROUPS, SECTOR_PREFIX};
use collabgov_study::output::RunTables;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::charts::frame::{
    Panel, band_panel, framed, last_round, legend_height, legend_strip, n_replicates,
};
use crate::data::{self, BandPoint};
use crate::{ChartMeta, DrawResult, Figure, Format, LINE_COLOURS, PALETTE, VizError, render};

/// Colours of the two kinds: agencies dark grey, non-state actors vermillion.
const KIND_COLOURS: [RGBColor; 2] = [RGBColor(64, 64, 64), PALETTE[5]];

/// The two kinds in words, in the order of [`KIND_GROUPS`].
const KIND_LABELS: [&str; 2] = ["agencies", "non-state actors"];

/// Colours of the three levels of government (sky blue, bluish green, reddish purple), apart
/// from the kinds'.
const LEVEL_COLOURS: [RGBColor; 3] = [PALETTE[4], PALETTE[2], PALETTE[3]];

/// The three levels in words, in the order of [`LEVEL_GROUPS`].
const LEVEL_LABELS: [&str; 3] = ["national government", "provinces", "regencies and cities"];

/// A group's label in a legend: the sector's name, or the kind or level in words.
fn group_label(group: &str) -> String {
    if let Some(k) = KIND_GROUPS.iter().position(|&kind| kind == group) {
        return KIND_LABELS[k].to_string();
    }
    if let Some(l) = LEVEL_GROUPS.iter().position(|&level| level == group) {
        return LEVEL_LABELS[l].to_string();
    }
    group
        .strip_prefix(SECTOR_PREFIX)
        .unwrap_or(group)
        .to_string()
}

/// A kind's or level's colour.
fn group_colour(group: &str) -> RGBColor {
    match LEVEL_GROUPS.iter().position(|&level| level == group) {
        Some(l) => LEVEL_COLOURS[l],
        None => KIND_COLOURS[usize::from(group == KIND_GROUPS[1])],
    }
}

struct Groups<'a> {
    tables: &'a RunTables,
    meta: &'a ChartMeta,
}

type Series = Vec<(String, RGBColor, Vec<BandPoint>)>;

impl Figure for Groups<'_> {
    fn name(&self) -> String {
        "the groups chart".into()
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let (body, scale) = framed(
            root,
            1800.0,
            &format!(
                "{}: {}",
                self.meta.scenario,
                if self.tables.levels {
                    "by sector, by kind and by level of government"
                } else {
                    "by sector and by kind"
                }
            ),
            &format!(
                "Mean over {} replicates (line) with 2.5-97.5 % of replicates (band); trust is what the group's actors hold in their partners.",
                n_replicates(self.tables)
            ),
        )?;
        let names = self.tables.group_names();
        let (sectors, kinds): (Vec<&str>, Vec<&str>) =
            names.iter().partition(|g| g.starts_with(SECTOR_PREFIX));
        let coloured = |groups: &[&str], colours: &[RGBColor]| -> Vec<(String, RGBColor)> {
            groups
                .iter()
                .enumerate()
                .map(|(k, g)| (group_label(g), colours[k % colours.len()]))
                .collect()
        };
        let by_kind: Vec<(String, RGBColor)> = kinds
            .iter()
            .map(|g| (group_label(g), group_colour(g)))
            .collect();
        let halves = [
            (coloured(&sectors, &LINE_COLOURS), sectors),
            (by_kind, kinds),
        ];
        // On screen: sectors above kinds, each a row of three panels. On paper: sectors
        // beside kinds, each a column, so every panel keeps a readable width.
        let on_paper = crate::style::current().metric_on_y();
        let areas = if on_paper {
            body.split_evenly((1, 2))
        } else {
            body.split_evenly((2, 1))
        };
        let rounds = last_round(self.tables);
        // Both halves' legends get the height the longer needs, so their panels align.
        let strip_height = halves
            .iter()
            .zip(&areas)
            .map(|((legend, _), area)| legend_height(area, legend, scale))
            .max()
            .unwrap_or(0);
        for ((legend, groups), area) in halves.iter().zip(&areas) {
            let (strip, panels) = area.split_vertically(strip_height);
            legend_strip(&strip, legend, scale)?;
            let panels = if on_paper {
                panels.split_evenly((3, 1))
            } else {
                panels.split_evenly((1, 3))
            };
            for (info, panel) in GROUP_METRICS.iter().zip(&panels) {
                let series: Series = groups
                    .iter()
                    .zip(legend)
                    .map(|(g, (label, colour))| {
                        let points = data::group_band(self.tables, info.metric, g);
                        (label.clone(), *colour, points)
                    })
                    .collect();
                band_panel(
                    panel,
                    &Panel {
                        title: info.label,
                        y_desc: "share / level",
                        rounds,
                        y_max: 1.0,
                        scale,
                        legend: false,
                        label_markers: false,
                    },
                    &series,
                    &self.meta.interventions,
                )?;
            }
        }
        Ok(())
    }
}

/// Trust, commitment and participation by sector and by kind, from `rounds.csv`'s group
/// rows.
pub fn groups_chart(
    tables: &RunTables,
    meta: &ChartMeta,
    format: Format,
    size: (u32, u32),
) -> Result<Vec<u8>, VizError> {
    render(&Groups { tables, meta }, format, size)
}
