//! The `run`, `plot`, `compare` and `scenarios` commands.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use collabgov_core::Scenario;
use collabgov_sim::output::RunTables;
use collabgov_sim::stats::{Summary, wilson};
use collabgov_sim::{Metric, RunOptions, run_with_progress};
use collabgov_viz::{ChartMeta, Format};

use crate::files::{self, BUNDLED, StagedDir, load_scenario, write_atomic};

/// Which chart formats to draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Formats {
    /// PNG only.
    Png,
    /// SVG only.
    Svg,
    /// PNG and SVG.
    Both,
}

impl Formats {
    fn list(self) -> Vec<Format> {
        match self {
            Formats::Png => vec![Format::Png],
            Formats::Svg => vec![Format::Svg],
            Formats::Both => vec![Format::Png, Format::Svg],
        }
    }
}

/// Options shared by `run` and `compare`.
#[derive(Args, Debug, Clone, Default)]
pub struct RunControl {
    /// Monte Carlo replicates (overrides the scenario's `replicates`).
    #[arg(long, value_name = "N")]
    pub replicates: Option<u32>,
    /// Rounds per replicate (overrides the scenario's `rounds`).
    #[arg(long, value_name = "N")]
    pub rounds: Option<u32>,
    /// Master seed (overrides the scenario's `seed`); replicate r uses stream r of it.
    #[arg(long, value_name = "SEED")]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores, or RAYON_NUM_THREADS). Output is identical for any number.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

/// `collabgov run`.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// A scenario file (.toml) or a bundled scenario name (see `collabgov scenarios`); default: the bundled `default`.
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,
    #[command(flatten)]
    pub control: RunControl,
    /// Output folder (default: `output/<scenario name>/`). It is replaced as a whole when the run completes.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write every replicate's final actor states to actors.csv (default: replicate 0 only).
    #[arg(long)]
    pub all_actors: bool,
    /// Do not draw charts.
    #[arg(long)]
    pub no_charts: bool,
    /// Write network.csv (and the network picture) even for forums above 250,000 relations.
    #[arg(long)]
    pub network: bool,
    /// Chart formats.
    #[arg(long, value_enum, default_value = "both")]
    pub format: Formats,
}

/// `collabgov plot`.
#[derive(Args, Debug)]
pub struct PlotArgs {
    /// A run folder written by `collabgov run` (holding rounds.csv, replicates.csv, actors.csv, network.csv).
    #[arg(value_name = "RUN_DIR")]
    pub run_dir: PathBuf,
    /// Chart formats.
    #[arg(long, value_enum, default_value = "both")]
    pub format: Formats,
    /// Width in pixels of every chart (default: each chart's own).
    #[arg(long, requires = "height")]
    pub width: Option<u32>,
    /// Height in pixels of every chart.
    #[arg(long, requires = "width")]
    pub height: Option<u32>,
    /// Where to write the charts (default: the run folder).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// `collabgov compare`.
#[derive(Args, Debug)]
pub struct CompareArgs {
    /// Two or more scenario files, bundled names, or finished run folders.
    #[arg(value_name = "SCENARIO", num_args = 2.., required = true)]
    pub scenarios: Vec<String>,
    #[command(flatten)]
    pub control: RunControl,
    /// Output folder (default: `output/compare-<names>/`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Chart formats.
    #[arg(long, value_enum, default_value = "both")]
    pub format: Formats,
}

impl CompareArgs {
    /// The siloisation lesson that `collabgov` runs with no command.
    pub fn lesson() -> CompareArgs {
        CompareArgs {
            scenarios: vec!["siloed-government".into(), "whole-of-government".into()],
            control: RunControl::default(),
            out: None,
            format: Formats::Both,
        }
    }
}

fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        if n == 0 {
            bail!("--threads: expected at least 1 thread, found 0");
        }
        builder = builder.num_threads(n);
    }
    builder.build().context("cannot start the worker threads")
}

struct Finished {
    name: String,
    tables: RunTables,
    meta: ChartMeta,
    summary_json: serde_json::Value,
}

fn meta_of(scenario: &Scenario) -> ChartMeta {
    ChartMeta {
        scenario: scenario.name.clone(),
        interventions: scenario
            .interventions
            .iter()
            .map(|i| (i.round(), i.label(&scenario.forum.sectors)))
            .collect(),
    }
}

/// Above this many relations `run` writes no network.csv unless asked (`--network`).
pub const NETWORK_CSV_LIMIT: usize = 250_000;

fn simulate(
    scenario: &Scenario,
    control: &RunControl,
    all_actors: bool,
    network: bool,
    label: &str,
) -> Result<(RunTables, serde_json::Value)> {
    let pool = pool(control.threads)?;
    let skip_network = !network && scenario.forum.graph.n_relations() > NETWORK_CSV_LIMIT;
    if skip_network {
        eprintln!(
            "note: {} relations: network.csv and the network picture are skipped (--network writes them)",
            scenario.forum.graph.n_relations()
        );
    }
    let options = RunOptions {
        replicates: control.replicates,
        rounds: control.rounds,
        seed: control.seed,
        all_actors,
        skip_network,
    };
    collabgov_sim::run::check_size(scenario, &options)
        .map_err(|m| anyhow::anyhow!("{}: {m}", scenario.name))?;
    let replicates = options.replicates.unwrap_or(scenario.replicates);
    if replicates == 0 {
        bail!("--replicates: expected at least 1, found 0");
    }
    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(replicates as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{prefix} [{bar:40}] {pos}/{len} replicates, {per_sec}, ETA {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.set_prefix(label.to_string());
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let started = Instant::now();
    let result = pool.install(|| run_with_progress(scenario, &options, &|| bar.inc(1)));
    bar.finish_and_clear();
    let wall = started.elapsed().as_secs_f64();
    let tables = RunTables::from_run(scenario, &result);
    let run_json = serde_json::json!({
        "collabgov_version": env!("CARGO_PKG_VERSION"),
        "model": "CG-1",
        "scenario_name": scenario.name,
        "seed": result.seed,
        "replicates": result.replicates.len(),
        "rounds": result.rounds,
        "threads": pool.current_num_threads(),
        "wall_time_seconds": wall,
        "actors": scenario.forum.n_actors(),
        "relations": scenario.forum.graph.n_relations(),
        "sectors": scenario.forum.sectors,
        "interventions": scenario.interventions.iter().map(|i| serde_json::json!({"round": i.round(), "label": i.label(&scenario.forum.sectors)})).collect::<Vec<_>>(),
        "consensus_replicates": result.consensus_count(),
        "scenario_fingerprint": format!("{:016x}", files::fnv1a(serde_json::to_string(&scenario.resolved).unwrap_or_default().as_bytes())),
        "scenario": scenario.resolved,
    });
    Ok((tables, run_json))
}

fn csv_bytes(f: impl Fn(&mut Vec<u8>) -> std::io::Result<()>) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    f(&mut out).context("cannot format a table")?;
    Ok(out)
}

fn write_tables(dir: &StagedDir, tables: &RunTables) -> Result<()> {
    write_atomic(
        &dir.file("rounds.csv"),
        &csv_bytes(|w| tables.write_rounds(w))?,
    )?;
    write_atomic(
        &dir.file("replicates.csv"),
        &csv_bytes(|w| tables.write_replicates(w))?,
    )?;
    write_atomic(
        &dir.file("actors.csv"),
        &csv_bytes(|w| tables.write_actors(w))?,
    )?;
    write_atomic(
        &dir.file("network.csv"),
        &csv_bytes(|w| tables.write_network(w))?,
    )?;
    Ok(())
}

fn draw_charts(
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

/// `mean [low, high]` with the 95 % confidence interval of the mean.
fn mean_ci(s: &Summary) -> String {
    if s.n == 0 || s.mean.is_nan() {
        return "n/a".into();
    }
    let half = if s.n > 1 {
        1.959_964 * s.sd / (s.n as f64).sqrt()
    } else {
        0.0
    };
    format!("{:.2} [{:.2}, {:.2}]", s.mean, s.mean - half, s.mean + half)
}

fn final_summary(tables: &RunTables, metric: Metric) -> Summary {
    collabgov_sim::stats::summarize(
        tables.replicates.iter().map(|r| r.finals[metric.index()]),
        &mut Vec::new(),
    )
}

fn consensus_line(tables: &RunTables) -> String {
    let n = tables.replicates.len();
    let k = tables
        .replicates
        .iter()
        .filter(|r| r.consensus_round.is_some())
        .count();
    let (lo, hi) = wilson(k, n);
    let mut rounds: Vec<f64> = tables
        .replicates
        .iter()
        .filter_map(|r| r.consensus_round.map(f64::from))
        .collect();
    rounds.sort_by(f64::total_cmp);
    let median = if rounds.is_empty() {
        String::new()
    } else {
        format!(
            ", median round {}",
            collabgov_sim::stats::quantile_sorted(&rounds, 0.5)
        )
    };
    format!(
        "{:.0} % of {n} replicates [{:.0} %, {:.0} %]{median}",
        100.0 * k as f64 / n.max(1) as f64,
        100.0 * lo,
        100.0 * hi
    )
}

/// `collabgov run`.
pub fn run(args: &RunArgs) -> Result<ExitCode> {
    let spec = args.scenario.as_deref().unwrap_or("default");
    let loaded = load_scenario(spec)?;
    let scenario = &loaded.scenario;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(files::slug(&scenario.name)));
    let (tables, mut run_json) = simulate(
        scenario,
        &args.control,
        args.all_actors,
        args.network,
        &scenario.name,
    )?;
    run_json["origin"] = serde_json::Value::String(loaded.origin.clone());
    let staged = StagedDir::new(&out)?;
    write_tables(&staged, &tables)?;
    let meta = meta_of(scenario);
    let charts = if args.no_charts {
        Vec::new()
    } else {
        draw_charts(&staged.staging, &tables, &meta, args.format, None)?
    };
    write_atomic(
        &staged.file("run.json"),
        serde_json::to_string_pretty(&run_json)?.as_bytes(),
    )?;
    let out = staged.commit()?;
    let wall = run_json["wall_time_seconds"].as_f64().unwrap_or(0.0);
    out!(
        "collabgov {}: {} ({}), {} replicates x {} rounds, {} actors, {} relations, {} threads, {:.2} s",
        env!("CARGO_PKG_VERSION"),
        scenario.name,
        loaded.origin,
        tables.replicates.len(),
        run_json["rounds"],
        scenario.forum.n_actors(),
        scenario.forum.graph.n_relations(),
        run_json["threads"],
        wall
    );
    out!("  consensus reached in {}", consensus_line(&tables));
    out!(
        "  final trust within sectors {}, across sectors {} (mean [95 % CI])",
        mean_ci(&final_summary(&tables, Metric::TrustWithin)),
        mean_ci(&final_summary(&tables, Metric::TrustAcross))
    );
    out!(
        "  final commitment {}, shared understanding {}, small wins {}",
        mean_ci(&final_summary(&tables, Metric::Commitment)),
        mean_ci(&final_summary(&tables, Metric::Understanding)),
        mean_ci(&final_summary(&tables, Metric::Wins))
    );
    out!(
        "output: {}/ (rounds.csv, replicates.csv, actors.csv, network.csv, run.json{})",
        out.display(),
        if charts.is_empty() {
            String::new()
        } else {
            format!(", {} charts", charts.len())
        }
    );
    Ok(ExitCode::SUCCESS)
}

fn read_text(dir: &Path, name: &str, required: bool) -> Result<String> {
    let path = dir.join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(text),
        Err(_) if !required => Ok(String::new()),
        Err(e) => Err(e).with_context(|| {
            format!(
                "cannot read {} (is {} a run folder written by `collabgov run`?)",
                path.display(),
                dir.display()
            )
        }),
    }
}

/// Reads a finished run folder: its tables and chart metadata.
fn read_run_dir(dir: &Path) -> Result<(String, RunTables, ChartMeta)> {
    let tables = RunTables::read(
        &read_text(dir, "rounds.csv", true)?,
        &read_text(dir, "replicates.csv", true)?,
        &read_text(dir, "actors.csv", false)?,
        &read_text(dir, "network.csv", false)?,
    )?;
    let fallback = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "run".into());
    let run_json: serde_json::Value = serde_json::from_str(&read_text(dir, "run.json", false)?)
        .unwrap_or(serde_json::Value::Null);
    let name = run_json["scenario_name"]
        .as_str()
        .map(str::to_string)
        .unwrap_or(fallback);
    let interventions = run_json["interventions"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|i| {
                    Some((
                        i["round"].as_u64()? as u32,
                        i["label"].as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    Ok((
        name.clone(),
        tables,
        ChartMeta {
            scenario: name,
            interventions,
        },
    ))
}

/// `collabgov plot`.
pub fn plot(args: &PlotArgs) -> Result<ExitCode> {
    let (_, tables, meta) = read_run_dir(&args.run_dir)?;
    let out = args.out.clone().unwrap_or_else(|| args.run_dir.clone());
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let size = args.width.zip(args.height);
    if let Some((w, h)) = size {
        if !(200..=10_000).contains(&w) || !(200..=10_000).contains(&h) {
            bail!("--width/--height: expected sizes from 200 to 10000 pixels, found {w} x {h}");
        }
    }
    let charts = draw_charts(&out, &tables, &meta, args.format, size)?;
    out!(
        "drew {} charts into {}/: {}",
        charts.len(),
        out.display(),
        charts.join(", ")
    );
    Ok(ExitCode::SUCCESS)
}

/// `collabgov scenarios`.
pub fn scenarios() -> Result<ExitCode> {
    let width = BUNDLED.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    for (name, text) in BUNDLED {
        out!("{name:width$}  {}", files::bundled_summary(text));
    }
    out!("\nRun one with `collabgov run NAME`; compare with `collabgov compare A B`.");
    Ok(ExitCode::SUCCESS)
}

/// The plain-language summary of a comparison, computed from the numbers.
fn compare_summary(runs: &[Finished]) -> String {
    let names: Vec<&str> = runs.iter().map(|r| r.name.as_str()).collect();
    let list = |items: Vec<String>| -> String {
        match items.len() {
            0 => String::new(),
            1 => items[0].clone(),
            _ => format!(
                "{} and {}",
                items[..items.len() - 1].join(", "),
                items[items.len() - 1]
            ),
        }
    };
    let mut text = String::new();
    for (metric, what) in [
        (Metric::TrustAcross, "Cross-sector trust"),
        (Metric::TrustWithin, "Trust within sectors"),
        (Metric::Commitment, "Commitment to the process"),
        (Metric::Understanding, "Shared understanding"),
        (Metric::Wins, "Small wins"),
    ] {
        let parts: Vec<String> = runs
            .iter()
            .map(|r| {
                format!(
                    "{} in {}",
                    mean_ci(&final_summary(&r.tables, metric)),
                    r.name
                )
            })
            .collect();
        let _ = writeln!(text, "{what} ended at {}.", list(parts));
    }
    let shares: Vec<String> = runs
        .iter()
        .map(|r| {
            let n = r.tables.replicates.len();
            let k = r
                .tables
                .replicates
                .iter()
                .filter(|x| x.consensus_round.is_some())
                .count();
            format!("{:.0} %", 100.0 * k as f64 / n.max(1) as f64)
        })
        .collect();
    let _ = writeln!(
        text,
        "Consensus was reached in {} of runs ({} respectively).",
        list(shares),
        names.join(", ")
    );
    let _ = writeln!(
        text,
        "Intervals: 95 % confidence interval of the mean over replicates."
    );
    text
}

/// `collabgov compare`.
pub fn compare(args: &CompareArgs) -> Result<ExitCode> {
    if args.scenarios.len() < 2 {
        bail!(
            "compare: expected at least two scenarios, found {}",
            args.scenarios.len()
        );
    }
    let mut runs: Vec<Finished> = Vec::new();
    for spec in &args.scenarios {
        let path = Path::new(spec);
        if path.is_dir() {
            let (name, tables, meta) = read_run_dir(path)?;
            runs.push(Finished {
                name,
                tables,
                meta,
                summary_json: serde_json::json!({ "run_dir": spec }),
            });
        } else {
            let loaded = load_scenario(spec)?;
            let (tables, run_json) = simulate(
                &loaded.scenario,
                &args.control,
                false,
                false,
                &loaded.scenario.name,
            )?;
            runs.push(Finished {
                name: loaded.scenario.name.clone(),
                tables,
                meta: meta_of(&loaded.scenario),
                summary_json: run_json,
            });
        }
    }
    let slugs: Vec<String> = runs.iter().map(|r| files::slug(&r.name)).collect();
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(format!("compare-{}", slugs.join("-"))));
    let staged = StagedDir::new(&out)?;

    // The table of final metrics.
    let mut table = String::from("scenario,metric,n,mean,ci_low,ci_high,q025,q975\n");
    for r in &runs {
        for metric in Metric::ALL {
            let s = final_summary(&r.tables, metric);
            let half = if s.n > 1 {
                1.959_964 * s.sd / (s.n as f64).sqrt()
            } else {
                0.0
            };
            let f = |v: f64| {
                if v.is_nan() {
                    String::new()
                } else {
                    format!("{v}")
                }
            };
            let _ = writeln!(
                table,
                "{},{},{},{},{},{},{},{}",
                r.name,
                metric.name(),
                s.n,
                f(s.mean),
                f(s.mean - half),
                f(s.mean + half),
                f(s.q025),
                f(s.q975)
            );
        }
        let n = r.tables.replicates.len();
        let k = r
            .tables
            .replicates
            .iter()
            .filter(|x| x.consensus_round.is_some())
            .count();
        let (lo, hi) = wilson(k, n);
        let _ = writeln!(
            table,
            "{},consensus_share,{n},{},{lo},{hi},,",
            r.name,
            k as f64 / n.max(1) as f64
        );
    }
    write_atomic(&staged.file("compare.csv"), table.as_bytes())?;
    let summary = compare_summary(&runs);
    write_atomic(&staged.file("summary.txt"), summary.as_bytes())?;

    // Overlays, and each run's own tables for later redrawing.
    let pairs: Vec<(String, RunTables)> = runs
        .iter()
        .map(|r| (r.name.clone(), r.tables.clone()))
        .collect();
    let mut marks: Vec<(u32, String)> = Vec::new();
    for r in &runs {
        for (round, label) in &r.meta.interventions {
            marks.push((*round, format!("{}: {label}", r.name)));
        }
    }
    let title = format!(
        "Comparison: {}",
        runs.iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>()
            .join(" vs ")
    );
    let mut charts = Vec::new();
    for format in args.format.list() {
        let file = format!("compare.{}", format.extension());
        write_atomic(
            &staged.file(&file),
            &collabgov_viz::compare_chart(&pairs, &title, &marks, format, (1800, 1000))?,
        )?;
        charts.push(file);
    }
    let mut scenarios_json = Vec::new();
    for r in &runs {
        scenarios_json.push(r.summary_json.clone());
    }
    let json = serde_json::json!({ "collabgov_version": env!("CARGO_PKG_VERSION"), "compared": scenarios_json });
    write_atomic(
        &staged.file("compare.json"),
        serde_json::to_string_pretty(&json)?.as_bytes(),
    )?;
    let out = staged.commit()?;
    out!("{}", summary.trim_end());
    out!(
        "output: {}/ ({}, compare.csv, summary.txt, compare.json)",
        out.display(),
        charts.join(", ")
    );
    Ok(ExitCode::SUCCESS)
}
