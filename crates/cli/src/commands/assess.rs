//! `collabgov assess`: diagnoses a scenario, runs it against a menu of Whole-of-Government
//! practices (each paired with the baseline) and ranks them; writes `assess.csv`, the
//! chart, `summary.txt`, the menu it ran (`menu.toml`) and `assess.json`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use collabgov_study::artifacts;
use collabgov_study::ops::{self, assess::MenuChoice};
use collabgov_study::source::Source;

use crate::common::{Formats, RunControl, Tables, Terminal, check_size, pool};
use crate::draw::draw_assess_chart;
use crate::files::{self, MAX_TOML_BYTES, read_input};
use crate::outdir::{OutputKind, Staged};

/// `collabgov assess`.
#[derive(Args, Debug)]
pub struct AssessArgs {
    /// A scenario file or bundled name (e.g. siloed-government).
    #[arg(value_name = "SCENARIO")]
    pub scenario: String,
    #[command(flatten)]
    pub control: RunControl,
    /// The round every practice of the default menu starts (default: a fifth of the rounds, at least 1).
    #[arg(long, value_name = "ROUND")]
    pub round: Option<u32>,
    /// A menu of practices (TOML; see --print-menu) instead of the default one.
    #[arg(long, value_name = "FILE", conflicts_with = "round")]
    pub menu: Option<PathBuf>,
    /// Print the default menu for this scenario (TOML, to edit and pass back with --menu) and stop.
    #[arg(long)]
    pub print_menu: bool,
    /// Output folder (default: `output/assess-<name>/`). An earlier assessment there is replaced; any other existing folder is refused (see --force).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write into an existing --out folder that is not a collabgov assessment, replacing only files of the same names.
    #[arg(long)]
    pub force: bool,
    /// Chart formats.
    #[arg(long, value_enum, default_value = "both")]
    pub format: Formats,
    #[command(flatten)]
    pub style: crate::common::ChartStyleArgs,
}

/// `collabgov assess`.
pub fn assess(args: &AssessArgs) -> Result<ExitCode> {
    let style = args.style.style()?;
    let _drawing = collabgov_viz::style::Scoped::new(&style);
    let overrides = args.control.overrides();
    let source = Source::find(&args.scenario)?;
    let choice = match &args.menu {
        Some(path) => MenuChoice::Text {
            text: read_input(path, MAX_TOML_BYTES)
                .with_context(|| format!("cannot read the menu {}", path.display()))?,
            origin: path.display().to_string(),
        },
        None => MenuChoice::Default { round: args.round },
    };
    // Every practice applied and validated before anything runs.
    let plan = ops::assess::plan(&source, &overrides, choice)?;
    for w in &plan.base.warnings {
        eprintln!("warning: {}: {w}", plan.base.scenario.name);
    }
    for note in &plan.left_out {
        eprintln!("note: left out of the default menu: {note}");
    }
    if args.print_menu {
        out!("{}", plan.menu.to_toml().trim_end());
        return Ok(ExitCode::SUCCESS);
    }
    let name = &plan.base.scenario.name;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(format!("assess-{}", files::slug(name))));
    let pool = pool(args.control.threads)?;
    let options = ops::assess::options();
    check_size(&plan.scenarios(), &options, &pool)?;
    let staged = Staged::prepare(&out, OutputKind::Assess, args.force)?;
    let assessed = ops::assess::assess(&plan, &pool, &Terminal::new())?;
    files::write_artifacts(
        staged.path(),
        &artifacts::assess_files(&assessed, &plan),
        Tables::CSV,
    )?;
    let charts = draw_assess_chart(
        staged.path(),
        name,
        &String::from_utf8_lossy(&assessed.table),
        args.format,
        None,
    )?;
    let out = staged.commit_with_manifest(&assessed.manifest)?;
    out!("{}", assessed.summary.trim_end());
    out!(
        "output: {}/ ({}, assess.csv, summary.txt, menu.toml, assess.json)",
        out.display(),
        charts.join(", ")
    );
    Ok(ExitCode::SUCCESS)
}
