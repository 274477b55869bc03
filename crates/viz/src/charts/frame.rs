//! The frame every run chart shares: the last round, a panel of one metric's mean
//! with its 2.5-97.5 % band and the intervention marks, its y range, the replicate count.

use collabgov_sim::Metric;
use collabgov_sim::metrics::MetricKind;
use collabgov_study::output::RunTables;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use crate::data::BandPoint;
use crate::{DrawResult, FONT, err};

pub(crate) fn last_round(tables: &RunTables) -> u32 {
    tables
        .rounds
        .iter()
        .map(|r| r.round)
        .max()
        .unwrap_or(1)
        .max(1)
}

/// How many labels a round axis of `rounds` rounds asks for: at most 6, and never more than
/// there are whole rounds, so plotters' steps stay whole numbers.
pub(crate) fn round_labels(rounds: u32) -> usize {
    (rounds as usize + 1).clamp(2, 6)
}

/// A round axis label: whole rounds only (a fractional key point, if any, stays blank).
pub(crate) fn round_label(x: &f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{x:.0}")
    } else {
        String::new()
    }
}

/// A panel over rounds `0..rounds` and values `0..y_max`, with its title, axes and mesh.
pub(crate) fn round_panel<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    title: &str,
    y_desc: &str,
    rounds: u32,
    y_max: f64,
    scale: f64,
) -> Result<
    ChartContext<
        'a,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    String,
> {
    let px = |v: f64| (v * scale).round() as i32;
    let style = crate::style::current();
    // On paper a panel names its metric on the y axis instead of in a title.
    let y_desc = match (&style.y_label, style.metric_on_y()) {
        (Some(label), _) => label.as_str(),
        (None, true) => title,
        (None, false) => y_desc,
    };
    let mut builder = ChartBuilder::on(area);
    if !style.metric_on_y() && !title.is_empty() {
        let (title, font) = panel_title_fitted(area, title, px(24.0));
        builder.caption(title, font);
    }
    let mut chart = builder
        .margin(px(10.0))
        .margin_right(px(26.0))
        .x_label_area_size(px(44.0))
        .y_label_area_size(px(if style.metric_on_y() { 84.0 } else { 62.0 }))
        .build_cartesian_2d(0f64..rounds as f64, 0f64..y_max)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(
            style
                .x_label
                .clone()
                .unwrap_or_else(|| style.lang.text("chart-round", &[])),
        )
        .y_desc(y_desc)
        .label_style((FONT, px(16.0)))
        .axis_desc_style((FONT, px(17.0)))
        .light_line_style(RGBColor(235, 235, 235))
        .bold_line_style(RGBColor(215, 215, 215))
        .x_labels(round_labels(rounds))
        .y_labels(6)
        .x_label_formatter(&round_label)
        .y_label_formatter(&|y| {
            // Whole numbers without decimals above 2; halves keep theirs (2.5, not 2).
            let text = format!("{y:.1}");
            let text = match text.strip_suffix(".0") {
                Some(whole) if y_max > 2.0 => whole.to_string(),
                _ => text,
            };
            style.lang.decimal_mark(text)
        })
        .draw()
        .map_err(err)?;
    Ok(chart)
}

/// Where each label of the marks goes, marks in round order with their lines at pixel `xs`
/// and labels `widths` wide, inside the plot from `edges.0` to `edges.1`: right of its
/// line, or left of it where it would pass the right edge, or as far right as it fits
/// where neither side holds it; in the first lane (row, from the top) where it clears
/// every label already there by `gap`. Labels in one lane never overlap. The page's marks
/// follow the same rule (`markLanes` in app.js).
pub(crate) fn mark_lanes(
    xs: &[i32],
    widths: &[i32],
    (left_edge, right): (i32, i32),
    gap: i32,
) -> Vec<(usize, i32)> {
    let mut placed: Vec<(usize, i32, i32)> = Vec::with_capacity(xs.len());
    xs.iter()
        .zip(widths)
        .map(|(&x, &w)| {
            let left = if x + gap + w <= right {
                x + gap
            } else if x - gap - w >= left_edge {
                x - gap - w
            } else {
                (right - w).max(left_edge)
            };
            let mut lane = 0;
            while placed
                .iter()
                .any(|&(l, from, to)| l == lane && left < to + gap && left + w > from - gap)
            {
                lane += 1;
            }
            placed.push((lane, left, left + w));
            (lane, left)
        })
        .collect()
}

/// The intervention marks of a panel over rounds: one vertical line per round and, when
/// `labels`, each label beside its line in lanes that never overlap ([`mark_lanes`]).
pub(crate) fn draw_marks<DB: DrawingBackend>(
    chart: &mut ChartContext<
        '_,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    interventions: &[(u32, String)],
    y_max: f64,
    scale: f64,
    label_markers: bool,
) -> DrawResult {
    let px = |v: f64| (v * scale).round() as i32;
    // On paper the marks go unlabelled (a figure's caption says what they are).
    let on_paper = crate::style::current().metric_on_y();
    // One line per round.
    let mut rounds_marked: Vec<u32> = interventions.iter().map(|(r, _)| *r).collect();
    rounds_marked.sort_unstable();
    rounds_marked.dedup();
    for &round in &rounds_marked {
        let x = round as f64;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(x, 0.0), (x, y_max)],
                RGBColor(90, 90, 90).stroke_width(px(2.0) as u32),
            )))
            .map_err(err)?;
    }
    if !label_markers || on_paper {
        return Ok(());
    }
    // The labels in round order, in lanes from the top of the panel.
    let mut labels: Vec<&(u32, String)> = interventions.iter().collect();
    labels.sort_by_key(|(r, _)| *r);
    let font = TextStyle::from((FONT, px(16.0)).into_font()).color(&RGBColor(60, 60, 60));
    let area = chart.plotting_area();
    let edges = (area.get_pixel_range().0.start, area.get_pixel_range().0.end);
    let xs: Vec<i32> = labels
        .iter()
        .map(|(r, _)| chart.backend_coord(&(*r as f64, y_max)).0)
        .collect();
    let widths: Vec<i32> = labels
        .iter()
        .map(|(_, l)| {
            area.estimate_text_size(l, &font)
                .map_or(0, |(w, _)| w as i32)
        })
        .collect();
    let lanes = mark_lanes(&xs, &widths, edges, px(5.0));
    let line_height = px(21.0);
    for (k, (round, label)) in labels.iter().enumerate() {
        let (lane, left) = lanes[k];
        // Offsets from the mark's top, in pixels.
        let (dx, w) = (left - xs[k], widths[k]);
        let y = px(4.0) + line_height * lane as i32;
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((f64::from(*round), y_max))
                    + Rectangle::new(
                        [
                            (dx - px(2.0), y - px(1.0)),
                            (dx + w + px(2.0), y + line_height - px(2.0)),
                        ],
                        WHITE.mix(0.85).filled(),
                    )
                    + Text::new(label.clone(), (dx, y), font.clone()),
            ))
            .map_err(err)?;
    }
    Ok(())
}

/// One band panel per metric (its mean and band in the k-th line colour), into
/// `panels[0..]`; the first panel labels the intervention marks.
pub(crate) fn metric_panels<DB: DrawingBackend>(
    panels: &[DrawingArea<DB, Shift>],
    tables: &RunTables,
    metrics: impl Iterator<Item = Metric>,
    interventions: &[(u32, String)],
    scale: f64,
) -> DrawResult {
    let rounds = last_round(tables);
    for (k, metric) in metrics.enumerate() {
        let points = crate::data::band(tables, metric);
        let y_max = y_max_of(metric, &points);
        let series = vec![(
            "mean".to_string(),
            crate::LINE_COLOURS[k % crate::LINE_COLOURS.len()],
            points,
        )];
        band_panel(
            &panels[k],
            &Panel {
                title: panel_title(metric),
                y_desc: axis_label(metric),
                rounds,
                y_max,
                scale,
                legend: false,
                label_markers: k == 0,
            },
            &series,
            interventions,
        )?;
    }
    Ok(())
}

/// Each run's series of `metric` for a band panel (the consensus share's curve for
/// [`Metric::Consensus`]), in the k-th line colour: the comparison's and the handout's.
pub(crate) fn run_series<'a>(
    runs: impl Iterator<Item = (&'a str, &'a RunTables)>,
    metric: Metric,
) -> Vec<(String, RGBColor, Vec<BandPoint>)> {
    runs.enumerate()
        .map(|(i, (name, t))| {
            let points = if metric == Metric::Consensus {
                crate::data::consensus_curve(t)
            } else {
                crate::data::band(t, metric)
            };
            (
                name.to_string(),
                crate::LINE_COLOURS[i % crate::LINE_COLOURS.len()],
                points,
            )
        })
        .collect()
}

/// How a band panel is framed: its title and y axis, its rounds and top, its scale, and
/// whether it carries a legend and labels its intervention marks.
pub(crate) struct Panel<'a> {
    pub(crate) title: &'a str,
    pub(crate) y_desc: &'a str,
    pub(crate) rounds: u32,
    pub(crate) y_max: f64,
    pub(crate) scale: f64,
    pub(crate) legend: bool,
    pub(crate) label_markers: bool,
}

/// Draws one band panel: series of (label, colour, points) plus intervention markers.
pub(crate) fn band_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel<'_>,
    series: &[(String, RGBColor, Vec<BandPoint>)],
    interventions: &[(u32, String)],
) -> DrawResult {
    let &Panel {
        title,
        y_desc,
        rounds,
        y_max,
        scale,
        legend,
        label_markers,
    } = panel;
    let px = |v: f64| (v * scale).round() as i32;
    // Three runs or more: lighter bands, so every line stays visible.
    let band_alpha = if series.len() >= 3 { 0.08 } else { 0.22 };
    let mut chart = round_panel(area, title, y_desc, rounds, y_max, scale)?;
    draw_marks(&mut chart, interventions, y_max, scale, label_markers)?;
    for (label, colour, points) in series {
        if points.is_empty() {
            continue;
        }
        let mut polygon: Vec<(f64, f64)> =
            points.iter().map(|p| (p.round as f64, p.high)).collect();
        polygon.extend(points.iter().rev().map(|p| (p.round as f64, p.low)));
        chart
            .draw_series(std::iter::once(Polygon::new(
                polygon,
                colour.mix(band_alpha).filled(),
            )))
            .map_err(err)?;
        let c = *colour;
        let line = chart
            .draw_series(LineSeries::new(
                points.iter().map(|p| (p.round as f64, p.mean)),
                c.stroke_width(px(3.0) as u32),
            ))
            .map_err(err)?;
        line.label(label.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], c.stroke_width(4)));
    }
    if legend {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .label_font((FONT, px(16.0)))
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(160, 160, 160))
            .draw()
            .map_err(err)?;
    }
    Ok(())
}

/// A panel's title: the metric's label, or on paper (where the title names the y axis) its
/// short axis label.
pub(crate) fn panel_title(metric: Metric) -> &'static str {
    if crate::style::current().metric_on_y() {
        metric.axis()
    } else {
        metric.label()
    }
}

/// The title of the panel of the share of replicates that have reached consensus.
pub(crate) fn consensus_title() -> &'static str {
    if crate::style::current().metric_on_y() {
        "Consensus reached"
    } else {
        "Replicates in consensus so far"
    }
}

/// The y axis's label: shares and levels in [0, 1], counts, or means per request.
pub(crate) fn axis_label(metric: Metric) -> &'static str {
    match metric.info().kind {
        MetricKind::Share | MetricKind::Flag => "share / level",
        MetricKind::Count => "count",
        MetricKind::Amount => "mean per request",
    }
}

pub(crate) fn y_max_of(metric: Metric, points: &[BandPoint]) -> f64 {
    if metric.is_share() {
        1.0
    } else {
        let top = points
            .iter()
            .map(|p| p.high.max(p.mean))
            .fold(0.0, f64::max);
        (top * 1.1).max(1.0)
    }
}

/// A panel's bold title of design size `size` as it fits `area`'s width: set smaller, down
/// to 60 % of `size`, when it is too wide (a projector's large type on a narrow panel), and
/// cut with an ellipsis if even that is too wide, so a title is never clipped at the edge.
pub(crate) fn panel_title_fitted<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    size: i32,
) -> (String, FontDesc<'static>) {
    let font = |s: i32| (FONT, s).into_font().style(FontStyle::Bold);
    let room = area.dim_in_pixel().0 as i32 - 8;
    let width = |text: &str, s: i32| {
        area.estimate_text_size(text, &TextStyle::from(font(s)))
            .map_or(0, |(w, _)| w as i32)
    };
    let smallest = (size * 6 / 10).max(1);
    if let Some(s) = (smallest..=size).rev().find(|&s| width(title, s) <= room) {
        return (title.to_string(), font(s));
    }
    let mut chars: Vec<char> = title.chars().collect();
    while chars.len() > 1 {
        chars.pop();
        let cut = format!("{}…", chars.iter().collect::<String>().trim_end());
        if width(&cut, smallest) <= room {
            return (cut, font(smallest));
        }
    }
    (title.to_string(), font(smallest))
}

/// A centred line of text; a line wider than the area is set smaller, down to 70 % of
/// `size` (never below the style's floor: 8 pt on paper), and then, if still too wide, on
/// two lines split at the space nearest the middle.
pub(crate) fn caption(
    area: &DrawingArea<impl DrawingBackend, Shift>,
    text: &str,
    size: i32,
) -> DrawResult {
    let (w, h) = area.dim_in_pixel();
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    let styled = |size: i32| {
        TextStyle::from((FONT, size).into_font()).pos(Pos::new(HPos::Center, VPos::Center))
    };
    let width = |size: i32| {
        area.estimate_text_size(text, &styled(size))
            .map_or(0, |(w, _)| w)
    };
    let fits = |size: i32| width(size) + 8 <= w;
    let floor = crate::style::current().min_font_size().min(size);
    let smallest = (size * 7 / 10).max(floor);
    let size = (smallest..=size)
        .rev()
        .find(|&s| fits(s))
        .unwrap_or(smallest);
    let lines: Vec<&str> = if fits(size) {
        vec![text]
    } else {
        let middle = text.len() / 2;
        let split = text
            .match_indices(' ')
            .map(|(i, _)| i)
            .min_by_key(|i| i.abs_diff(middle));
        match split {
            Some(i) => vec![&text[..i], &text[i + 1..]],
            None => vec![text],
        }
    };
    let step = size + size / 5;
    let first = h as i32 / 2 - step * (lines.len() as i32 - 1) / 2;
    for (k, line) in lines.iter().enumerate() {
        area.draw(&Text::new(
            line.to_string(),
            (w as i32 / 2, first + step * k as i32),
            styled(size),
        ))
        .map_err(err)?;
    }
    Ok(())
}

/// The scale of a figure designed at `design_width` pixels drawn on `root`, in the style
/// in force ([`crate::style::Style::scale`]): every size, text and line, follows it.
pub(crate) fn scale_of<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    design_width: f64,
) -> f64 {
    crate::style::current().scale(root.dim_in_pixel().0, design_width)
}

/// A legend in a strip of its own, outside the data: a line of each colour and its label,
/// side by side, centred, on as many lines as the strip's width needs ([`legend_layout`]).
pub(crate) fn legend_strip<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[(String, RGBColor)],
    scale: f64,
) -> DrawResult {
    let px = |v: f64| (v * scale).round() as i32;
    let text = legend_text(scale);
    let lines = legend_layout(area, entries, scale);
    let (w, h) = area.dim_in_pixel();
    let line_height = h as i32 / lines.len().max(1) as i32;
    for (k, line) in lines.iter().enumerate() {
        let mut x = (w as i32 - line.iter().map(|&(_, width)| width).sum::<i32>()).max(0) / 2;
        let y = line_height * k as i32 + line_height / 2;
        for &(entry, width) in line {
            let (label, colour) = &entries[entry];
            area.draw(&PathElement::new(
                vec![(x, y), (x + px(34.0), y)],
                colour.stroke_width(px(4.0).max(1) as u32),
            ))
            .map_err(err)?;
            area.draw(&Text::new(label.clone(), (x + px(42.0), y), text.clone()))
                .map_err(err)?;
            x += width;
        }
    }
    Ok(())
}

/// The height a legend strip of `entries` needs across `area`'s width: one line of
/// 34 units per line of entries.
pub(crate) fn legend_height<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[(String, RGBColor)],
    scale: f64,
) -> i32 {
    (34.0 * scale).round() as i32 * legend_layout(area, entries, scale).len().max(1) as i32
}

fn legend_text(scale: f64) -> TextStyle<'static> {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    TextStyle::from((FONT, (17.0 * scale).round() as i32).into_font())
        .pos(Pos::new(HPos::Left, VPos::Center))
}

/// The entries of a legend (index and width) line by line, as many to a line as `area`'s
/// width holds.
fn legend_layout<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[(String, RGBColor)],
    scale: f64,
) -> Vec<Vec<(usize, i32)>> {
    let text = legend_text(scale);
    let width = area.dim_in_pixel().0 as i32;
    let mut lines: Vec<Vec<(usize, i32)>> = vec![Vec::new()];
    let mut used = 0;
    for (k, (label, _)) in entries.iter().enumerate() {
        let (w, _) = area.estimate_text_size(label, &text).unwrap_or((0, 0));
        let entry = w as i32 + (60.0 * scale).round() as i32;
        if used + entry > width && lines.last().is_some_and(|l| !l.is_empty()) {
            lines.push(Vec::new());
            used = 0;
        }
        used += entry;
        if let Some(line) = lines.last_mut() {
            line.push((k, entry));
        }
    }
    lines
}

/// The frame every multi-panel figure shares: a title band, the body, and a note band under
/// it. Sizes scale with the figure's width (designed at `design_width` pixels); returns the
/// body and the scale.
pub(crate) fn framed<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    design_width: f64,
    title: &str,
    note: &str,
) -> Result<(DrawingArea<DB, Shift>, f64), String> {
    let scale = scale_of(root, design_width);
    let px = |v: f64| (v * scale).round() as i32;
    let style = crate::style::current();
    let (title, note) = (style.title_of(title), style.caption_of(note));
    // Without a title or caption (`--no-title`, `--no-caption`) its band is a thin margin.
    let (top, rest) = root.split_vertically(px(if title.is_some() { 66.0 } else { 12.0 }));
    let bottom_height = px(if note.is_some() { 38.0 } else { 8.0 });
    let (body, bottom) = rest.split_vertically(rest.dim_in_pixel().1 as i32 - bottom_height);
    if let Some(title) = title {
        caption(&top, &title, px(30.0))?;
    }
    if let Some(note) = note {
        caption(&bottom, &note, px(17.0))?;
    }
    Ok((body, scale))
}

pub(crate) fn n_replicates(tables: &RunTables) -> usize {
    tables.replicates.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mark_labels_never_overlap_and_stay_inside() {
        // Three marks close together and one at the right edge: each label clears every
        // other label in its lane, and none passes the right edge.
        let xs = [100, 110, 130, 400, 590];
        let widths = [120, 80, 60, 50, 90];
        let lanes = mark_lanes(&xs, &widths, (0, 600), 4);
        for (a, &(lane_a, left_a)) in lanes.iter().enumerate() {
            assert!(left_a + widths[a] <= 600, "label {a} passes the right edge");
            assert!(left_a >= 0, "label {a} passes the left edge");
            for (b, &(lane_b, left_b)) in lanes.iter().enumerate().skip(a + 1) {
                let apart = left_a + widths[a] + 4 <= left_b || left_b + widths[b] + 4 <= left_a;
                assert!(
                    lane_a != lane_b || apart,
                    "labels {a} and {b} overlap: {lanes:?}"
                );
            }
        }
        assert_eq!(lanes[0], (0, 104));
        assert_eq!(lanes[1].0, 1);
        assert_eq!(lanes[3], (0, 404));
        // Past the edge the label goes left of its line.
        assert_eq!(lanes[4].1, 590 - 4 - 90);
        // Too wide for either side of its line: as far right as it fits, inside the plot.
        assert_eq!(mark_lanes(&[50], &[580], (0, 600), 4), vec![(0, 20)]);
    }

    #[test]
    fn round_axes_label_whole_rounds_only() {
        // Three rounds: four labels at most, so the step is one round; a fractional key
        // point would be left blank rather than shown as a rounded duplicate.
        assert_eq!(round_labels(3), 4);
        assert_eq!(round_labels(150), 6);
        assert_eq!(round_labels(0), 2);
        assert_eq!(round_label(&2.0), "2");
        assert_eq!(round_label(&2.5), "");
        assert_eq!(round_label(&150.0), "150");
    }
}
