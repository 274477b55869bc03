//! `collabgov run`: a scenario's Monte Carlo replicates into a staged output folder of
//! tables, `run.json` and charts.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use collabgov_core::Scenario;
use collabgov_sim::RunOptions;
use collabgov_study::artifacts;
use collabgov_study::ops::{self, run::Ran};
use collabgov_study::report::run_summary_in;
use collabgov_viz::ChartMeta;

use crate::common::{FormatName, RunControl, Terminal, check_size, pool, split_formats};
use crate::draw::draw_charts;
use crate::files::{self, load_scenario};
use crate::outdir::{OutputKind, Staged};
use collabgov_core::scenario::SetValue;

/// `collabgov run`.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// A scenario file (.toml) or a bundled scenario name (see `collabgov scenarios`); default: the bundled `default`.
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,
    #[command(flatten)]
    pub control: RunControl,
    #[command(flatten)]
    pub lang: crate::common::LangArgs,
    /// Name this run (as `name =`: its output folder `output/<label>/`, its legend entry), so two variants of one file neither replace each other nor share a name.
    #[arg(long, value_name = "NAME")]
    pub label: Option<String>,
    /// Output folder (default: `output/<scenario name>/`). An earlier run there is replaced as a whole when this one completes; any other existing folder is refused (see --force).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write into an existing --out folder that is not a collabgov run, replacing only files of the same names.
    #[arg(long)]
    pub force: bool,
    /// Write every replicate's final actor states to actors.csv (default: replicate 0 only).
    #[arg(long)]
    pub all_actors: bool,
    /// Do not draw charts.
    #[arg(long)]
    pub no_charts: bool,
    /// Write network.csv (and the network picture) even for forums above 250,000 relations.
    #[arg(long)]
    pub network: bool,
    /// Also write series.csv (or series.parquet): every replicate's metrics at every round, one row per replicate and round, for pandas or R (as Mesa's data collector gives them).
    #[arg(long)]
    pub series: bool,
    /// Do not record the per-group series (rows of rounds.csv by sector and by kind, and groups.png): for very long runs, it saves the memory those rows keep per round and replicate (as much as the forum's own rows with 6 sectors) and a few per cent of the time.
    #[arg(long)]
    pub no_groups: bool,
    /// Chart and table formats, comma-separated: png, svg, both (charts; default both), csv, parquet (tables; default csv; parquet needs a build with `--features parquet`), e.g. `--format parquet` or `--format svg,csv,parquet`.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "both")]
    pub format: Vec<FormatName>,
    #[command(flatten)]
    pub style: crate::common::ChartStyleArgs,
}

/// Above this many relations `run` writes no network.csv unless asked (`--network`).
pub const NETWORK_CSV_LIMIT: usize = 250_000;

/// The run's options for a scenario: what `--network`, `--all-actors` and `--no-groups` ask.
fn options_for(scenario: &Scenario, args: &RunArgs) -> RunOptions {
    let skip_network = !args.network && scenario.forum.graph.n_relations() > NETWORK_CSV_LIMIT;
    if skip_network {
        eprintln!(
            "note: {} relations: network.csv and the network picture are skipped (--network writes them)",
            scenario.forum.graph.n_relations()
        );
    }
    RunOptions {
        all_actors: args.all_actors,
        skip_network,
        skip_groups: args.no_groups,
        replicate_series: args.series,
        ..RunOptions::default()
    }
}

/// `collabgov run`.
pub fn run(args: &RunArgs) -> Result<ExitCode> {
    let spec = args.scenario.as_deref().unwrap_or("default");
    let (chart_formats, table_formats) = split_formats(&args.format)?;
    let mut overrides = args.control.overrides();
    if let Some(label) = &args.label {
        overrides
            .set
            .push(("name".into(), SetValue::Text(label.clone())));
    }
    // The summary in this language; the charts stay English (the handout is in either).
    let lang = args.lang.lang();
    let style = args.style.style()?;
    let loaded = load_scenario(spec, &overrides)?;
    let scenario = &loaded.scenario;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(files::slug(&scenario.name)));
    let options = options_for(scenario, args);
    let pool = pool(args.control.threads)?;
    check_size(&[scenario], &options, &pool)?;
    // Everything that can refuse the output folder does so before the simulation.
    let staged = Staged::prepare(&out, OutputKind::Run, args.force)?;
    let Ran {
        tables,
        mut manifest,
    } = ops::run::run(&loaded, &options, &pool, &Terminal::new())?;
    let run_files = artifacts::run_files(&tables);
    files::write_artifacts(staged.path(), &run_files, table_formats)?;
    manifest.peak_memory_bytes = crate::common::peak_memory_bytes();
    let charts = if args.no_charts {
        Vec::new()
    } else {
        collabgov_viz::style::with_style(&style, || {
            draw_charts(
                staged.path(),
                &tables,
                &ChartMeta::of(scenario),
                chart_formats,
                None,
            )
        })?
    };
    let out = staged.commit_with_manifest(&manifest)?;
    out!(
        "{}",
        lang.text(
            "run-header",
            &[
                ("version", env!("CARGO_PKG_VERSION").to_string()),
                ("name", scenario.name.clone()),
                ("origin", loaded.origin.clone()),
                ("replicates", manifest.replicates.to_string()),
                ("rounds", manifest.rounds.to_string()),
                ("seed", manifest.seed.to_string()),
                ("actors", manifest.actors.to_string()),
                (
                    "relations",
                    collabgov_study::report::relations_phrase_in(&scenario.forum, lang)
                ),
                ("threads", manifest.threads.to_string()),
                ("seconds", lang.number(manifest.wall_time_seconds, 2)),
            ],
        )
    );
    for line in run_summary_in(&tables, lang) {
        out!("  {line}");
    }
    let written = run_files
        .iter()
        .flat_map(|a| match a.format {
            artifacts::Format::Table => table_formats.files(&[a.name.as_str()]),
            artifacts::Format::File => vec![a.name.clone()],
        })
        .collect::<Vec<_>>();
    out!(
        "output: {}/ ({}, run.json{})",
        out.display(),
        written.join(", "),
        if charts.is_empty() {
            String::new()
        } else {
            format!(", {} charts", charts.len())
        }
    );
    Ok(ExitCode::SUCCESS)
}
