//! Sweep folders, shared by `sweep`, `merge`, `plot` and `compare` of two sweeps: the plan
//! and its manifest, the sidecars of parts, which files belong to a sweep, a row checked
//! against the design, and the Sobol table and charts of a finished `points.csv`.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use collabgov_study::manifest::{InputFile, PartManifest, SweepManifest, fingerprint};
use collabgov_study::sweep::SweepPlan;
use collabgov_study::sweep::analysis::{
    Points, SobolRow, factor_curves, factor_label, grid, grid_cells, heat_range, heatmaps,
    short_name, sobol_rows, write_sobol_csv,
};
use collabgov_viz::style::sized;
use collabgov_viz::sweep::{Heatmap, SobolBars, factor_chart, heatmap, sobol_chart};

use crate::common::{FormatName, Formats, Tables, split_formats};
use crate::files::{Inputs, MAX_DATA_BYTES, MAX_TOML_BYTES, read_input, write_atomic, write_table};

/// Reads a sweep file and what it names (each recorded with its hash): the plan, the folder
/// the base's files are relative to, and the inputs.
pub fn load_plan(path: &Path) -> Result<(SweepPlan, PathBuf, Vec<InputFile>)> {
    let inputs = Inputs::default();
    let src = inputs
        .read(path, MAX_TOML_BYTES)
        .with_context(|| format!("cannot read the sweep file {}", path.display()))?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let (plan, base) =
        collabgov_study::sweep::load_sweep(&src, &path.display().to_string(), &dir, &inputs)?;
    Ok((plan, base, inputs.list()))
}

/// The manifest of a plan: what `sweep.json` holds.
pub fn manifest(plan: &SweepPlan, inputs: &[InputFile]) -> SweepManifest {
    let mut text = format!(
        "{}\n{}\n{}",
        serde_json::to_string(&plan.raw).unwrap_or_default(),
        plan.base_text,
        env!("CARGO_PKG_VERSION")
    );
    // The sweep file and the base are covered by their text above; any other input (a file
    // the base names) by its hash.
    for f in inputs.iter().skip(2) {
        text.push('\n');
        text.push_str(&f.sha256);
    }
    SweepManifest {
        collabgov_version: env!("CARGO_PKG_VERSION").into(),
        fingerprint: fingerprint(text.as_bytes()),
        name: plan.raw.name.clone(),
        design: plan.raw.design.clone(),
        factors: plan.keys.clone(),
        points: plan.points.len() as u64,
        replicates: plan.raw.replicates,
        seed: plan.raw.seed,
        bootstrap: plan.raw.bootstrap,
        header: plan.header(),
        inputs: inputs.to_vec(),
        sweep: Some(plan.raw.clone()),
    }
}

/// Reads a sidecar (`points.json`, `points.part-K-of-N.json`); `None` when absent or not one.
pub fn read_sidecar(path: &Path) -> Option<PartManifest> {
    read_input(path, MAX_TOML_BYTES)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
}

/// Reads `sweep.json`.
pub fn read_manifest(dir: &Path) -> Result<Option<SweepManifest>> {
    let path = dir.join("sweep.json");
    if fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    let text = read_input(&path, MAX_TOML_BYTES)?;
    let manifest: SweepManifest = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a collabgov sweep.json", path.display()))?;
    Ok(Some(manifest))
}

/// Whether `name` is a shard's part file or its sidecar (`points.part-K-of-N.csv`/`.json`).
fn is_part_file(name: &str) -> bool {
    name.strip_prefix("points.part-")
        .and_then(|r| r.strip_suffix(".csv").or_else(|| r.strip_suffix(".json")))
        .and_then(|r| r.split_once("-of-"))
        .is_some_and(|(k, n)| k.parse::<usize>().is_ok() && n.parse::<usize>().is_ok())
}

/// Whether `name` is a file a sweep writes into its folder (what `--restart` may delete).
pub fn is_sweep_file(name: &str) -> bool {
    let chart = [
        "sweep",
        "sobol",
        "heatmap-consensus_share",
        "heatmap-trust_across_mean",
    ]
    .iter()
    .any(|stem| name == format!("{stem}.png") || name == format!("{stem}.svg"));
    is_part_file(name)
        || chart
        || matches!(
            name,
            "points.csv" | "points.json" | "sobol.csv" | "points.parquet" | "sobol.parquet"
        )
}

/// What a folder without `sweep.json` may hold and still become a sweep's: lock and
/// temporary files, SLURM's logs, and what another shard that started at the same moment
/// writes first (`sweep.json`, then its part file and sidecar). A table or chart of a
/// sweep's name there is the user's own file, never replaced without `--force`.
pub fn is_harmless(name: &str) -> bool {
    let hidden_ours = name.starts_with('.') && (name.ends_with(".lock") || name.ends_with(".tmp"));
    let slurm_log = name.starts_with("slurm-") && name.ends_with(".out");
    hidden_ours || slurm_log || is_part_file(name) || name == "sweep.json"
}

/// One checked row of points.csv: `header_fields` fields, the first a point index below
/// `n_points`, the others numbers or empty.
pub fn check_row(row: &str, header_fields: usize, n_points: usize) -> Result<usize, String> {
    let fields: Vec<&str> = row.split(',').collect();
    if fields.len() != header_fields {
        return Err(format!(
            "expected {header_fields} fields, found {}",
            fields.len()
        ));
    }
    let index = fields[0]
        .parse::<usize>()
        .ok()
        .filter(|&i| i < n_points)
        .ok_or_else(|| {
            format!(
                "expected a point index below {n_points}, found \"{}\"",
                collabgov_core::scenario::error::excerpt(fields[0])
            )
        })?;
    if let Some(bad) = fields[1..]
        .iter()
        .find(|f| !f.is_empty() && f.parse::<f64>().is_err())
    {
        return Err(format!(
            "expected numbers, found \"{}\"",
            collabgov_core::scenario::error::excerpt(bad)
        ));
    }
    Ok(index)
}

/// Sobol indices, tables and charts from a finished `points.csv`, in the `--format`s asked.
pub fn finish(
    dir: &Path,
    json: &SweepManifest,
    no_charts: bool,
    formats: &[FormatName],
) -> Result<()> {
    let (charts, tables) = split_formats(formats)?;
    let points_text = read_input(&dir.join("points.csv"), MAX_DATA_BYTES)?;
    let points = Points::parse(&points_text)
        .with_context(|| format!("cannot read {}", dir.join("points.csv").display()))?;
    let mut written = vec!["points.csv".to_string()];
    if tables.parquet {
        let only_parquet = Tables {
            csv: false,
            parquet: true,
        };
        write_table(dir, "points", points_text.as_bytes(), only_parquet)?;
        written.push("points.parquet".into());
    }
    let sobol = (json.design == "sobol").then(|| sobol_rows(&points, json));
    if let Some(rows) = &sobol {
        let mut table = Vec::new();
        write_sobol_csv(rows, &mut table)?;
        write_table(dir, "sobol", &table, tables)?;
        written.extend(tables.files(&["sobol"]));
    }
    if !no_charts {
        written.extend(draw_sweep_charts(
            dir,
            json,
            &points,
            sobol.as_deref(),
            charts,
        )?);
    }
    out!("output: {}/ ({})", dir.display(), written.join(", "));
    Ok(())
}

/// The charts of a finished sweep (Sobol bars, outputs against its one factor, or the
/// heatmaps of a two-factor grid) from its points and Sobol rows, in `charts`; returns the
/// files written. `sweep`, `merge` and `plot` draw them.
pub fn draw_sweep_charts(
    dir: &Path,
    json: &SweepManifest,
    points: &Points,
    sobol: Option<&[SobolRow]>,
    charts: Formats,
) -> Result<Vec<String>> {
    let factors = &json.factors;
    let name = json.name.as_str();
    let mut written = Vec::new();
    let mut draw = |file: String, bytes: Vec<u8>| -> Result<()> {
        write_atomic(&dir.join(&file), &bytes)?;
        written.push(file);
        Ok(())
    };
    if let Some(rows) = sobol {
        {
            let mut bars: Vec<(String, SobolBars)> = Vec::new();
            for r in rows {
                if bars.last().is_none_or(|(label, _)| *label != r.label) {
                    bars.push((r.label.clone(), Vec::new()));
                }
                if let Some((_, b)) = bars.last_mut() {
                    b.push((
                        short_name(&r.factor),
                        r.s1.0,
                        r.s1.1,
                        r.s1.2,
                        r.st.0,
                        r.st.1,
                        r.st.2,
                    ));
                }
            }
            let legend: Vec<String> = factors
                .iter()
                .map(|f| {
                    format!(
                        "{} = {}",
                        short_name(f),
                        f.trim_start_matches("parameters.")
                    )
                })
                .collect();
            let title = format!("{name}: Sobol indices ({})", legend.join(", "));
            for format in charts.list() {
                draw(
                    format!("sobol.{}", format.extension()),
                    sobol_chart(&title, &bars, format, sized((1800, 1000), false))?,
                )?;
            }
        }
    } else if factors.len() == 1 {
        let curves = factor_curves(points, &factors[0]);
        let title = format!("{name}: outputs against {}", factors[0]);
        for format in charts.list() {
            draw(
                format!("sweep.{}", format.extension()),
                factor_chart(
                    &title,
                    &factor_label(&factors[0]),
                    &curves,
                    false,
                    format,
                    sized((1800, 1000), false),
                )?,
            )?;
        }
    } else if factors.len() == 2 && json.design == "grid" {
        // A damaged points.csv could hold as many levels as rows: its grid would have rows
        // squared cells. A grid of the plan has at most its points.
        let cells = grid_cells(points, &factors[1], &factors[0]);
        if cells as u64 > json.points {
            bail!(
                "{}: its points hold {cells} combinations of the levels of {} and {}, more than the plan's {} points: is points.csv damaged? Run the sweep again with --restart",
                dir.display(),
                factors[0],
                factors[1],
                json.points
            );
        }
        for (column, label) in heatmaps(points) {
            let g = grid(points, &factors[1], &factors[0], column);
            let range = heat_range(column, &g.values);
            for format in charts.list() {
                let map = Heatmap {
                    title: &format!("{name}: {label}"),
                    x_name: &factor_label(&factors[1]),
                    y_name: &factor_label(&factors[0]),
                    xs: &g.xs,
                    ys: &g.ys,
                    values: &g.values,
                    range,
                    key_label: label,
                    diverging: false,
                    marked: &[],
                };
                draw(
                    format!("heatmap-{column}.{}", format.extension()),
                    heatmap(&map, format, sized((1200, 1000), false))?,
                )?;
            }
        }
    }
    Ok(written)
}

/// Whether `dir` is a sweep folder (it holds a `sweep.json`).
pub fn is_sweep_dir(dir: &Path) -> bool {
    dir.is_dir() && fs::symlink_metadata(dir.join("sweep.json")).is_ok()
}

/// Whether every one of `args` is a finished sweep folder (`compare` pairs them).
pub fn are_sweep_dirs(args: &[String]) -> bool {
    !args.is_empty() && args.iter().all(|a| is_sweep_dir(Path::new(a)))
}
