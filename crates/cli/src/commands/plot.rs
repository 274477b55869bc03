//! `collabgov plot`: redraws a finished run's charts from its CSV files, an assessment's
//! chart from its `assess.csv`, a comparison's overlay from its sides' tables, or a sweep's
//! charts from its `points.csv`.

use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;

use crate::common::{Formats, parse_pixels};
use crate::draw::{draw_assess_chart, draw_charts, draw_overlay};
use crate::files::read_compare_dir;
use crate::files::{MAX_DATA_BYTES, MAX_TOML_BYTES, read_input, read_run_dir};
use crate::outdir::{OutputKind, is_ours, list_added, same_folder};
use crate::sweep_dir::{draw_sweep_charts, read_manifest};
use collabgov_study::sweep::analysis::{Points, sobol_rows};

/// `collabgov plot`.
#[derive(Args, Debug)]
pub struct PlotArgs {
    /// A run folder written by `collabgov run` (holding rounds.csv, replicates.csv, actors.csv, network.csv), a comparison folder (`collabgov compare`), an assessment folder (`collabgov assess`), or a finished sweep folder.
    #[arg(value_name = "RUN_DIR")]
    pub run_dir: PathBuf,
    /// Chart formats.
    #[arg(long, value_enum, default_value = "both")]
    pub format: Formats,
    #[command(flatten)]
    pub style: crate::common::ChartStyleArgs,
    /// Width in pixels of every chart, 200 to 10000 (default: each chart's own).
    #[arg(long, requires = "height", value_parser = parse_pixels)]
    pub width: Option<u32>,
    /// Height in pixels of every chart, 200 to 10000.
    #[arg(long, requires = "width", value_parser = parse_pixels)]
    pub height: Option<u32>,
    /// Where to write the charts (default: the run folder). An existing folder must be empty or a collabgov run (see --force).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write the charts into an existing --out folder that is not a collabgov run, replacing files of the same names.
    #[arg(long)]
    pub force: bool,
}

/// A new folder beside `out` (`.NAME.plot-XXXXXX`) to draw into, removed when dropped.
fn staging_beside(out: &std::path::Path) -> Result<tempfile::TempDir> {
    let name = out
        .file_name()
        .map_or_else(|| "charts".into(), |n| n.to_string_lossy().into_owned());
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    tempfile::Builder::new()
        .prefix(&format!(".{name}.plot-"))
        .tempdir_in(parent)
        .with_context(|| format!("cannot create a folder in {}", parent.display()))
}

/// `collabgov plot`.
pub fn plot(args: &PlotArgs) -> Result<ExitCode> {
    let out = args.out.clone().unwrap_or_else(|| args.run_dir.clone());
    let given = args.out.as_ref().and_then(|o| fs::metadata(o).ok());
    if let Some(meta) = given {
        if !meta.is_dir() {
            bail!(
                "{} exists and is not a folder: choose another --out",
                out.display()
            );
        }
        let empty = fs::read_dir(&out).is_ok_and(|mut e| e.next().is_none());
        let ours = OutputKind::ALL.into_iter().any(|k| is_ours(&out, k))
            || out.join("sweep.json").is_file();
        if !empty && !ours && !args.force {
            bail!(
                "{} exists and is not a collabgov run, comparison, assessment or sweep folder (it has no run.json, compare.json, assess.json or sweep.json): collabgov will not write charts into it. Choose another --out, or add --force",
                out.display()
            );
        }
        // Another output's folder: its own charts would be replaced by these.
        if ours && !same_folder(&out, &args.run_dir) && !args.force {
            bail!(
                "{} is another collabgov output: drawing {}'s charts into it would replace its own. Choose another --out, or add --force",
                out.display(),
                args.run_dir.display()
            );
        }
    }
    let size = args.width.zip(args.height);
    let style = args.style.style()?;
    let _drawing = collabgov_viz::style::Scoped::new(&style);
    // Every chart is drawn into a staging folder beside --out first, then moved in: a
    // failure part way (a full disk) leaves the earlier charts as they were, never a mix.
    fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let stage = staging_beside(&out)?;
    let charts = if let Some(json) = read_manifest(&args.run_dir)? {
        // A sweep folder: its charts from points.csv (and the Sobol rows of a Sobol design).
        let text = read_input(&args.run_dir.join("points.csv"), MAX_DATA_BYTES)
            .with_context(|| format!("cannot read the points of {}", args.run_dir.display()))?;
        let points = Points::parse(&text).with_context(|| {
            format!("cannot read {}", args.run_dir.join("points.csv").display())
        })?;
        let sobol = (json.design == "sobol").then(|| sobol_rows(&points, &json));
        draw_sweep_charts(stage.path(), &json, &points, sobol.as_deref(), args.format)?
    } else if is_ours(&args.run_dir, OutputKind::Compare) {
        let (runs, marks) = read_compare_dir(&args.run_dir)?;
        draw_overlay(stage.path(), &runs, &marks, args.format, size)?
    } else if is_ours(&args.run_dir, OutputKind::Assess) {
        let csv = read_input(&args.run_dir.join("assess.csv"), MAX_DATA_BYTES)
            .with_context(|| format!("cannot read the assessment in {}", args.run_dir.display()))?;
        let json: serde_json::Value = serde_json::from_str(&read_input(
            &args.run_dir.join("assess.json"),
            MAX_TOML_BYTES,
        )?)?;
        let name = json["scenario_name"].as_str().unwrap_or("the scenario");
        draw_assess_chart(stage.path(), name, &csv, args.format, size)?
    } else {
        let (_, tables, meta, _) = read_run_dir(&args.run_dir)?;
        draw_charts(stage.path(), &tables, &meta, args.format, size)?
    };
    for chart in &charts {
        fs::rename(stage.path().join(chart), out.join(chart)).with_context(|| {
            format!(
                "cannot move a finished chart to {}",
                out.join(chart).display()
            )
        })?;
    }
    crate::files::sync_dir(&out);
    // Charts drawn into an output folder join its list of files.
    list_added(&out, &charts)?;
    out!(
        "drew {} charts into {}/: {}",
        charts.len(),
        out.display(),
        charts.join(", ")
    );
    Ok(ExitCode::SUCCESS)
}
