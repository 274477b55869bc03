//! `collabgov run`: a scenario's Monte Carlo replicates into a staged output folder of
//! tables, `run.json` and charts.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Result, anyhow};
use clap::Args;
use collabgov_core::Scenario;
use collabgov_study::manifest::{InputFile, RunManifest};
use collabgov_study::output::RunTables;
use collabgov_study::report::run_summary;
use collabgov_sim::{CancelToken, RunOptions, run_cancellable};
use collabgov_viz::ChartMeta;
use signal_hook::consts::SIGINT;

use crate::common::{FormatName, Formats, RunControl, Tables, pool, progress, split_formats};
use crate::files::{self, load_scenario, write_atomic};
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

/// Refuses, before anything runs, a run that would not fit in memory.
pub fn check_size(
    scenario: &Scenario,
    options: &RunOptions,
    pool: &rayon::ThreadPool,
) -> Result<()> {
    collabgov_sim::run::check_size(scenario, options, pool.current_num_threads())
        .map_err(|m| anyhow!("{}: {m}", scenario.name))
}

/// Runs a validated scenario on `pool`, with a progress bar: its tables and manifest. The
/// caller has already refused a run too big for memory ([`check_size`]), before it
/// prepared the output folder.
pub fn simulate(
    scenario: &Scenario,
    inputs: &[InputFile],
    pool: &rayon::ThreadPool,
    options: &RunOptions,
) -> Result<(RunTables, RunManifest)> {
    let bar = progress(scenario.replicates as u64, "replicates", &scenario.name);
    // Ctrl-C stops the run between rounds and removes the unfinished output (a second
    // Ctrl-C ends the process at once).
    let cancel = CancelToken::new();
    let handlers = [
        signal_hook::flag::register_conditional_shutdown(SIGINT, 130, cancel.flag()),
        signal_hook::flag::register(SIGINT, cancel.flag()),
    ];
    let started = Instant::now();
    let outcome = pool.install(|| {
        run_cancellable(scenario, options, &|| bar.inc(1), &cancel)
            .map(|result| (RunManifest::new(scenario, &result, inputs), result))
    });
    for id in handlers.into_iter().flatten() {
        signal_hook::low_level::unregister(id);
    }
    bar.finish_and_clear();
    let (mut manifest, result) = outcome.map_err(|_| {
        anyhow!(
            "{}: interrupted (Ctrl-C); nothing was written",
            scenario.name
        )
    })?;
    manifest.wall_time_seconds = started.elapsed().as_secs_f64();
    manifest.estimated_memory_bytes =
        collabgov_sim::run::estimate_run_bytes(scenario, options, pool.current_num_threads());
    Ok((RunTables::from_run(scenario, &result), manifest))
}

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
        ..RunOptions::default()
    }
}

fn csv_bytes(f: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    f(&mut out).map_err(|e| anyhow!("cannot format a table: {e}"))?;
    Ok(out)
}

/// Writes the tables of a run into `dir` (the five of CG-1, and `activities` with
/// services) in the formats `formats` names.
pub fn write_tables(dir: &Path, tables: &RunTables, formats: Tables) -> Result<()> {
    let write = |stem: &str, f: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| {
        files::write_table(dir, stem, &csv_bytes(f)?, formats)
    };
    if tables.services {
        write("activities", &|w| tables.write_activities(w))?;
    }
    write("rounds", &|w| tables.write_rounds(w))?;
    write("replicates", &|w| tables.write_replicates(w))?;
    write("summary", &|w| {
        collabgov_study::report::write_summary_csv(tables, w).map_err(std::io::Error::other)
    })?;
    write("actors", &|w| tables.write_actors(w))?;
    write("network", &|w| tables.write_network(w))?;
    if !tables.network.is_empty() {
        files::write_atomic_with(&dir.join("network.graphml"), |w| tables.write_graphml(w))?;
    }
    Ok(())
}

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
    let style = args.style.style()?;
    let loaded = load_scenario(spec, &overrides)?;
    let scenario = &loaded.scenario;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(files::slug(&scenario.name)));
    let options = options_for(scenario, args);
    let pool = pool(args.control.threads)?;
    check_size(scenario, &options, &pool)?;
    // Everything that can refuse the output folder does so before the simulation.
    let staged = Staged::prepare(&out, OutputKind::Run, args.force)?;
    let (tables, mut manifest) = simulate(scenario, &loaded.inputs, &pool, &options)?;
    manifest.origin = loaded.origin.clone();
    write_tables(staged.path(), &tables, table_formats)?;
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
        "collabgov {}: {} ({}), {} replicates x {} rounds, seed {}, {} actors, {}, {} threads, {:.2} s",
        env!("CARGO_PKG_VERSION"),
        scenario.name,
        loaded.origin,
        manifest.replicates,
        manifest.rounds,
        manifest.seed,
        manifest.actors,
        collabgov_study::report::relations_phrase(&scenario.forum),
        manifest.threads,
        manifest.wall_time_seconds
    );
    for line in run_summary(&tables) {
        out!("  {line}");
    }
    let mut stems = vec!["rounds", "replicates", "summary", "actors", "network"];
    if tables.services {
        stems.push("activities");
    }
    let table_files = table_formats.files(&stems);
    out!(
        "output: {}/ ({}, network.graphml, run.json{})",
        out.display(),
        table_files.join(", "),
        if charts.is_empty() {
            String::new()
        } else {
            format!(", {} charts", charts.len())
        }
    );
    Ok(ExitCode::SUCCESS)
}
