//! `collabgov report`: a finished run folder as one self-contained HTML file (the layout is
//! `collabgov_viz::report`; the words, numbers and criteria come from the library).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;
use collabgov_core::{Overrides, Scenario};
use collabgov_sim::manifest::RunManifest;
use collabgov_viz::report::{Report, html};
use collabgov_viz::{Chart, Format};

use crate::commands::plot::read_run_dir;
use crate::files::{Inputs, MAX_DATA_BYTES, read_input, write_atomic};

/// `collabgov report`.
#[derive(Args, Debug)]
pub struct ReportArgs {
    /// A run folder written by `collabgov run`.
    #[arg(value_name = "RUN_DIR")]
    pub run_dir: PathBuf,
    /// The HTML file to write (default: RUN_DIR/report.html). An existing file is replaced only if it is a collabgov report (see --force).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace an existing --out file that is not a collabgov report.
    #[arg(long)]
    pub force: bool,
}

/// The scenario of a run, rebuilt from `run.json` (its files read relative to where the
/// scenario came from); `None` when that is no longer possible.
fn scenario_of(manifest: &RunManifest) -> Option<Scenario> {
    let raw = manifest.scenario.as_ref()?;
    let text = toml::to_string(raw).ok()?;
    let inputs = Inputs::default();
    let base = Path::new(&manifest.origin)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let load = inputs.loader(&base);
    Scenario::parse_with(&text, &manifest.origin, &load, &Overrides::default())
        .ok()
        .map(|p| p.scenario)
}

/// Whether `path` holds a report collabgov wrote (so it may be replaced).
fn is_our_report(path: &Path) -> bool {
    read_input(path, MAX_DATA_BYTES).is_ok_and(|t| {
        t.starts_with("<!doctype html>")
            && t.contains("<meta name=\"generator\" content=\"collabgov ")
    })
}

/// `collabgov report`.
pub fn report(args: &ReportArgs) -> Result<ExitCode> {
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| args.run_dir.join("report.html"));
    if let Ok(meta) = fs::symlink_metadata(&out)
        && (!meta.is_file() || (!args.force && !is_our_report(&out)))
    {
        bail!(
            "{} exists and is not a collabgov report: collabgov will not replace it. Choose another --out, or add --force",
            out.display()
        );
    }
    let (name, tables, meta, manifest) = read_run_dir(&args.run_dir)?;
    let scenario = scenario_of(&manifest);
    let words = scenario
        .as_ref()
        .map(collabgov_sim::report::describe)
        .unwrap_or_default();
    let criteria: Option<Vec<(String, bool, String)>> = scenario.as_ref().map(|s| {
        collabgov_sim::criteria::six_criteria(s)
            .into_iter()
            .map(|c| (c.name.to_string(), c.pass, c.reason))
            .collect()
    });
    let description = manifest
        .scenario
        .as_ref()
        .map(|r| r.description.clone())
        .unwrap_or_default();
    let mut charts = Vec::new();
    for chart in Chart::all(&tables) {
        let svg = collabgov_viz::draw(chart, &tables, &meta, Format::Svg, None)?;
        charts.push((chart.caption(), String::from_utf8_lossy(&svg).into_owned()));
    }
    let mut provenance = vec![
        (
            "written by".to_string(),
            format!("collabgov {}", env!("CARGO_PKG_VERSION")),
        ),
        (
            "run by".to_string(),
            format!(
                "collabgov {} ({})",
                manifest.collabgov_version, manifest.model
            ),
        ),
        ("scenario".to_string(), manifest.origin.clone()),
        ("seed".to_string(), manifest.seed.to_string()),
        (
            "replicates x rounds".to_string(),
            format!("{} x {}", manifest.replicates, manifest.rounds),
        ),
        (
            "scenario fingerprint".to_string(),
            manifest.scenario_fingerprint.clone(),
        ),
        (
            "threads, wall time".to_string(),
            format!(
                "{}, {:.2} s (the output does not depend on the threads)",
                manifest.threads, manifest.wall_time_seconds
            ),
        ),
    ];
    for f in &manifest.inputs {
        provenance.push((format!("input {}", f.path), format!("sha256 {}", f.sha256)));
    }
    let text = html(&Report {
        name: &name,
        description: &description,
        words: &words,
        numbers: &collabgov_sim::report::run_summary(&tables),
        criteria: criteria.as_deref(),
        provenance: &provenance,
        charts: &charts,
    });
    write_atomic(&out, text.as_bytes())?;
    out!(
        "wrote {} ({} charts, {} KiB): open it in a browser, or print it to PDF (A4)",
        out.display(),
        charts.len(),
        text.len() / 1024
    );
    Ok(ExitCode::SUCCESS)
}
