//! Charts drawn into a folder, shared by the commands that draw them and by `plot`, which
//! redraws them from the folder's tables: a run's charts, a comparison's overlay, an
//! assessment's chart (collabgov-viz draws the bytes; this writes the files).

use std::path::Path;

use anyhow::Result;
use collabgov_study::assess::read_assess_csv;
use collabgov_study::output::RunTables;
use collabgov_viz::ChartMeta;
use collabgov_viz::style::sized;

use crate::common::Formats;
use crate::files::write_atomic;

/// Draws every chart of a run into `dir`; returns the file names.
pub fn draw_charts(
    dir: &Path,
    tables: &RunTables,
    meta: &ChartMeta,
    formats: Formats,
    size: Option<(u32, u32)>,
) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for format in formats.list() {
        for drawn in collabgov_viz::draw_all(tables, meta, format, size)? {
            write_atomic(&dir.join(&drawn.file), &drawn.bytes)?;
            names.push(drawn.file);
        }
    }
    Ok(names)
}

/// The overlay of the compared runs `runs` with the intervention `marks`, in `formats`,
/// into `dir` (`compare` draws it, `plot` redraws it from the folder); returns the files.
pub fn draw_overlay(
    dir: &Path,
    runs: &[(String, RunTables)],
    marks: &[(u32, String)],
    formats: Formats,
    size: Option<(u32, u32)>,
) -> Result<Vec<String>> {
    let size = size.unwrap_or_else(|| sized((1800, 1000), true));
    let names: Vec<&str> = runs.iter().map(|(n, _)| n.as_str()).collect();
    let title = format!("Comparison: {}", names.join(" vs "));
    let mut charts = Vec::new();
    for format in formats.list() {
        let file = format!("compare.{}", format.extension());
        write_atomic(
            &dir.join(&file),
            &collabgov_viz::compare_chart(runs, &title, marks, format, size)?,
        )?;
        charts.push(file);
    }
    Ok(charts)
}

/// The chart's title and file stem.
pub const CHART: &str = "assess";

/// The chart of an assessment from its `assess.csv` text (`assess` and `plot` both draw it
/// from the file, so a redraw is the same picture).
pub fn draw_assess_chart(
    out: &Path,
    name: &str,
    csv_text: &str,
    formats: Formats,
    size: Option<(u32, u32)>,
) -> Result<Vec<String>> {
    let rows = read_assess_csv(csv_text).map_err(anyhow::Error::msg)?;
    let size = size.unwrap_or_else(|| {
        collabgov_viz::style::sized(collabgov_viz::assess_size(rows.len()), false)
    });
    let title = format!("Which practice helps {name} most?");
    let mut files = Vec::new();
    for format in formats.list() {
        let file = format!("{CHART}.{}", format.extension());
        write_atomic(
            &out.join(&file),
            &collabgov_viz::assess_chart(&title, &rows, format, size)?,
        )?;
        files.push(file);
    }
    Ok(files)
}
