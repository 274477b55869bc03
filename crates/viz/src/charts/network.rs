//! Replicate 0's network at round 0 and at the end: sectors as clusters in one palette,
//! trust as colour and width on the classroom page's scale (orange for distrust, grey,
//! blue for trust; its scale in the legend), agencies and non-state actors drawn
//! differently, named actors labelled; its words in the meta's language.

use collabgov_study::output::{ActorRow, RunTables};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::charts::frame::{caption, last_round, panel_title_fitted};
use crate::data;
use crate::{
    ChartMeta, DrawResult, FONT, Figure, Format, LINE_COLOURS, Point, VizError, err, render,
};

/// Most relations drawn in a network picture; beyond it a deterministic sample is drawn and
/// the caption says so.
pub const MAX_DRAWN_RELATIONS: usize = 4000;

/// Most actors labelled by name in a network picture.
pub const MAX_LABELS: usize = 40;

/// Colour of a trust value on the classroom page's scale (`trustColour` in app.js): orange
/// at 0, grey at 0.5, blue at 1, mixed in between, three quarters opaque as the page draws
/// it on white.
pub fn trust_colour(trust: f64) -> RGBColor {
    let t = if trust.is_nan() {
        0.0
    } else {
        trust.clamp(0.0, 1.0)
    };
    let (low, mid, high) = ([230.0, 159.0, 0.0], [190.0; 3], [0.0, 90.0, 178.0]);
    let (a, b, f) = if t < 0.5 {
        (low, mid, t * 2.0)
    } else {
        (mid, high, (t - 0.5) * 2.0)
    };
    // Mixed, then laid at 0.75 over white.
    let c = |k: usize| (0.75 * (a[k] + (b[k] - a[k]) * f) + 0.25 * 255.0).round() as u8;
    RGBColor(c(0), c(1), c(2))
}

struct NetworkPicture<'a> {
    tables: &'a RunTables,
    meta: &'a ChartMeta,
}

impl Figure for NetworkPicture<'_> {
    fn name(&self) -> String {
        "the network picture".into()
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let scale = crate::charts::frame::scale_of(root, 1800.0);
        let px = |v: f64| (v * scale).round() as i32;
        let actors: Vec<&ActorRow> = self
            .tables
            .actors
            .iter()
            .filter(|a| a.replicate == 0)
            .collect();
        let (sectors, positions) = data::layout(&actors);
        let index: std::collections::HashMap<&str, usize> = actors
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        let relations = &self.tables.network;
        let step = relations.len().div_ceil(MAX_DRAWN_RELATIONS).max(1);
        let last = last_round(self.tables);
        let style = crate::style::current();
        let lang = style.lang;
        let title = style.title_of(&lang.text(
            "chart-network-title",
            &[("scenario", self.meta.scenario.clone())],
        ));
        let sampled = if step > 1 {
            lang.text(
                "chart-network-sampled",
                &[
                    ("step", step.to_string()),
                    ("relations", relations.len().to_string()),
                ],
            )
        } else {
            String::new()
        };
        let note = style.caption_of(&lang.text("chart-network-note", &[("sampled", sampled)]));
        let (top, rest) = root.split_vertically(px(if title.is_some() { 64.0 } else { 12.0 }));
        let keys = legend_keys(&sectors, lang);
        let rows = legend_layout(&rest, &keys, scale);
        let legend_height = px(38.0) * rows.len() as i32;
        let bottom_height = legend_height + px(if note.is_some() { 32.0 } else { 0.0 });
        let (body, bottom) = rest.split_vertically(rest.dim_in_pixel().1 as i32 - bottom_height);
        if let Some(title) = title {
            caption(&top, &title, px(30.0))?;
        }
        let (legend_area, note_area) = bottom.split_vertically(legend_height);
        if let Some(note) = note {
            caption(&note_area, &note, px(17.0))?;
        }
        draw_legend(&legend_area, &keys, &rows, scale)?;
        let panels = body.split_evenly((1, 2));
        let node = px(if actors.len() > 400 {
            3.0
        } else if actors.len() > 120 {
            5.0
        } else {
            8.0
        })
        .max(2);
        let layout = Layout {
            actors: &actors,
            sectors: &sectors,
            positions: &positions,
            index: &index,
            step,
            last,
            node,
            scale,
        };
        for (panel, final_state) in panels.iter().zip([false, true]) {
            self.draw_panel(panel, final_state, &layout)?;
        }
        Ok(())
    }
}

impl NetworkPicture<'_> {
    /// One panel: the relations and actors at round 0 (`final_state` false) or at the end,
    /// named actors labelled.
    fn draw_panel<DB: DrawingBackend>(
        &self,
        panel: &DrawingArea<DB, Shift>,
        final_state: bool,
        layout: &Layout<'_>,
    ) -> DrawResult {
        let Layout {
            actors,
            sectors,
            positions,
            index,
            last,
            node,
            scale,
            ..
        } = *layout;
        let px = |v: f64| (v * scale).round() as i32;
        let lang = crate::style::current().lang;
        let title = if final_state {
            lang.text("chart-network-end", &[("round", last.to_string())])
        } else {
            lang.text("chart-network-start", &[])
        };
        let (title, font) = panel_title_fitted(panel, &title, px(26.0));
        let mut chart = ChartBuilder::on(panel)
            .caption(title, font)
            .margin(px(12.0))
            .build_cartesian_2d(0f64..1f64, 0f64..1f64)
            .map_err(err)?;
        let mut drawn: Vec<(f64, Point, Point)> = Vec::new();
        for r in self.tables.network.iter().step_by(layout.step) {
            let exists = if final_state {
                r.until.is_none_or(|u| u >= last) && r.from <= last
            } else {
                r.from == 0
            };
            let (Some(&a), Some(&b)) = (index.get(r.source.as_str()), index.get(r.target.as_str()))
            else {
                continue;
            };
            if !exists {
                continue;
            }
            let trust = if final_state {
                (r.trust_st_final + r.trust_ts_final) / 2.0
            } else {
                (r.trust_st_initial + r.trust_ts_initial) / 2.0
            };
            drawn.push((trust, positions[a], positions[b]));
        }
        // Low trust first, so trusted relations stay visible on top.
        drawn.sort_by(|x, y| x.0.total_cmp(&y.0));
        let width_scale = if drawn.len() > 1500 { 0.5 } else { 1.0 };
        chart
            .draw_series(drawn.iter().map(|(trust, a, b)| {
                let w = ((0.6 + 3.4 * trust) * width_scale * scale).round().max(1.0) as u32;
                PathElement::new(vec![*a, *b], trust_colour(*trust).stroke_width(w))
            }))
            .map_err(err)?;
        for (i, a) in actors.iter().enumerate() {
            let s = sectors.iter().position(|s| s == &a.sector).unwrap_or(0);
            let colour = LINE_COLOURS[s % LINE_COLOURS.len()];
            let (cx, cy) = positions[i];
            if final_state && a.joins_at > last || !final_state && a.joins_at > 0 {
                continue;
            }
            if a.kind == "agency" {
                let d = node + 1;
                chart
                    .draw_series(std::iter::once(
                        EmptyElement::at((cx, cy))
                            + Rectangle::new([(-d, -d), (d, d)], colour.filled())
                            + Rectangle::new([(-d, -d), (d, d)], BLACK.stroke_width(1)),
                    ))
                    .map_err(err)?;
            } else {
                chart
                    .draw_series(std::iter::once(
                        EmptyElement::at((cx, cy))
                            + Circle::new((0, 0), node as u32, colour.filled())
                            + Circle::new((0, 0), node as u32, BLACK.stroke_width(1)),
                    ))
                    .map_err(err)?;
            }
        }
        // Actors named apart from their id (listed or read from a file) are labelled,
        // up to MAX_LABELS of them.
        let named = actors
            .iter()
            .enumerate()
            .filter(|(_, a)| !a.name.is_empty() && a.name != a.id)
            .filter(|(_, a)| !(final_state && a.joins_at > last || !final_state && a.joins_at > 0))
            .take(MAX_LABELS);
        for (i, a) in named {
            let (cx, cy) = positions[i];
            let name = crate::style::current().lang.actor_name(&a.name, &a.sector);
            let font = TextStyle::from((FONT, px(16.0)).into_font());
            let (w, h) = panel
                .estimate_text_size(&name, &font)
                .map_or((0, 0), |(w, h)| (w as i32, h as i32));
            let (x0, y0) = (node + px(2.0), -node - px(18.0));
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at((cx, cy))
                        + Rectangle::new(
                            [(x0, y0), (x0 + w + px(4.0), y0 + h + px(4.0))],
                            WHITE.mix(0.85).filled(),
                        )
                        + Text::new(
                            name,
                            (node + px(4.0), -node - px(16.0)),
                            (FONT, px(16.0)).into_font().color(&RGBColor(20, 20, 20)),
                        ),
                ))
                .map_err(err)?;
        }
        Ok(())
    }
}

/// What both panels of the picture share: replicate 0's actors, their sectors, places and
/// indices by id, the sampling step of the relations, the last round, the node size and
/// the picture's scale.
struct Layout<'a> {
    actors: &'a [&'a ActorRow],
    sectors: &'a [String],
    positions: &'a [Point],
    index: &'a std::collections::HashMap<&'a str, usize>,
    step: usize,
    last: u32,
    node: i32,
    scale: f64,
}

/// One entry of the legend under the picture.
enum Key {
    /// A sector: its colour and name.
    Sector(RGBColor, String),
    /// An agency's square.
    Agency(String),
    /// A non-state actor's circle.
    NonState(String),
    /// The trust scale: its label, a bar from 0 to 1, and "1".
    Trust(String),
}

impl Key {
    /// Its width in pixels: the mark, the gap and the text (the trust bar's 160 units).
    fn width(&self, text_width: &dyn Fn(&str) -> i32, px: &dyn Fn(f64) -> i32) -> i32 {
        match self {
            Key::Sector(_, name) | Key::Agency(name) | Key::NonState(name) => {
                px(44.0) + text_width(name)
            }
            Key::Trust(label) => text_width(label) + px(10.0) + px(160.0) + px(40.0),
        }
    }
}

/// The legend's entries in rows as wide as `width` holds: each row's entries.
fn legend_rows(widths: &[i32], width: i32, margin: i32) -> Vec<Vec<usize>> {
    let mut rows: Vec<Vec<usize>> = vec![Vec::new()];
    let mut x = margin;
    for (k, &w) in widths.iter().enumerate() {
        if x + w > width - margin && rows.last().is_some_and(|r| !r.is_empty()) {
            rows.push(Vec::new());
            x = margin;
        }
        rows.last_mut().expect("a row").push(k);
        x += w;
    }
    rows
}

/// The legend's entries: the sectors' colours (named in the style's language), the two
/// shapes, and the trust scale.
fn legend_keys(sectors: &[String], lang: collabgov_study::i18n::Lang) -> Vec<Key> {
    let mut keys: Vec<Key> = sectors
        .iter()
        .enumerate()
        .map(|(s, name)| Key::Sector(LINE_COLOURS[s % LINE_COLOURS.len()], lang.sector(name)))
        .collect();
    keys.push(Key::Agency(lang.text("chart-network-agency", &[])));
    keys.push(Key::NonState(lang.text("chart-network-non-state", &[])));
    keys.push(Key::Trust(lang.text("chart-network-trust", &[])));
    keys
}

/// The rows the legend takes across `area`'s width.
fn legend_layout<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    keys: &[Key],
    scale: f64,
) -> Vec<Vec<usize>> {
    let px = |v: f64| (v * scale).round() as i32;
    let font = TextStyle::from((FONT, px(18.0)).into_font());
    let text_width = |text: &str| {
        area.estimate_text_size(text, &font)
            .map_or(0, |(w, _)| w as i32)
    };
    let widths: Vec<i32> = keys.iter().map(|k| k.width(&text_width, &px)).collect();
    legend_rows(&widths, area.dim_in_pixel().0 as i32, px(40.0))
}

/// The legend under the picture, in the rows [`legend_layout`] gives.
fn draw_legend<DB: DrawingBackend>(
    legend_area: &DrawingArea<DB, Shift>,
    keys: &[Key],
    rows: &[Vec<usize>],
    scale: f64,
) -> DrawResult {
    let px = |v: f64| (v * scale).round() as i32;
    let font = TextStyle::from((FONT, px(18.0)).into_font());
    let text_width = |text: &str| {
        legend_area
            .estimate_text_size(text, &font)
            .map_or(0, |(w, _)| w as i32)
    };
    let text = |t: &str, x: i32, y: i32| {
        legend_area
            .draw(&Text::new(t.to_string(), (x, y - px(9.0)), font.clone()))
            .map_err(err)
    };
    for (row, entries) in rows.iter().enumerate() {
        let mut x = px(40.0);
        let y = px(19.0) + px(38.0) * row as i32;
        for &k in entries {
            let key = &keys[k];
            match key {
                Key::Sector(colour, name) => {
                    legend_area
                        .draw(&Circle::new((x, y), px(8.0) as u32, colour.filled()))
                        .map_err(err)?;
                    text(name, x + px(14.0), y)?;
                }
                Key::Agency(name) => {
                    legend_area
                        .draw(&Rectangle::new(
                            [(x - px(8.0), y - px(8.0)), (x + px(8.0), y + px(8.0))],
                            BLACK.stroke_width(2),
                        ))
                        .map_err(err)?;
                    text(name, x + px(14.0), y)?;
                }
                Key::NonState(name) => {
                    legend_area
                        .draw(&Circle::new((x, y), px(8.0) as u32, BLACK.stroke_width(2)))
                        .map_err(err)?;
                    text(name, x + px(14.0), y)?;
                }
                Key::Trust(label) => {
                    text(label, x, y)?;
                    let bar_x = x + text_width(label) + px(10.0);
                    let bar = px(160.0).max(1);
                    for k in 0..bar {
                        legend_area
                            .draw(&Rectangle::new(
                                [(bar_x + k, y - px(7.0)), (bar_x + k + 1, y + px(7.0))],
                                trust_colour(f64::from(k) / f64::from(bar)).filled(),
                            ))
                            .map_err(err)?;
                    }
                    text("1", bar_x + bar + px(8.0), y)?;
                }
            }
            x += key.width(&text_width, &px);
        }
    }
    Ok(())
}

/// Replicate 0's network at round 0 and at the end, side by side.
pub fn network_picture(
    tables: &RunTables,
    meta: &ChartMeta,
    format: Format,
    size: (u32, u32),
) -> Result<Vec<u8>, VizError> {
    render(&NetworkPicture { tables, meta }, format, size)
}
