//! `collabgov bench`: fixed scenarios, timed, printed as a table for comparing machines and
//! versions. Figures are measurements of this run, never assertions.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use clap::Args;
use collabgov_core::scenario::no_files;
use collabgov_core::{Overrides, Scenario};
use collabgov_sim::{Metric, RunOptions, run};

use crate::common::pool;

/// `collabgov bench`.
#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Skip the million-actor case (about 15 s and 600 MB on a 2-core machine).
    #[arg(long)]
    pub quick: bool,
    /// Threads for the parallel cases (0 or unset: every core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Master seed of the cases (as `seed =`; default: the cases' own, 1).
    #[arg(long, value_name = "SEED", value_parser = clap::value_parser!(u64).range(..=i64::MAX as u64))]
    pub seed: Option<u64>,
}

struct Row {
    case: String,
    threads: usize,
    build_s: f64,
    run_s: f64,
    actor_rounds: f64,
    dialogues: f64,
}

fn case(
    label: &str,
    n: u64,
    degree: f64,
    rounds: u32,
    replicates: u32,
    threads: usize,
    seed: Option<u64>,
) -> Result<Row> {
    let mut toml = collabgov_sim::bench::sbm_toml(n, degree, rounds, replicates);
    let services = label.contains("services");
    if services {
        // The services extension at its default demand (0.5 requests per agency and round).
        toml.push_str("[services]\n");
    }
    let overrides = Overrides {
        seed,
        ..Overrides::default()
    };
    timed(label, &toml, &overrides, threads)
}

/// Builds and runs one case's scenario on `threads` threads, timing both.
fn timed(label: &str, toml: &str, overrides: &Overrides, threads: usize) -> Result<Row> {
    let started = Instant::now();
    let scenario = Scenario::parse_with(toml, label, &no_files, overrides)?.scenario;
    let build_s = started.elapsed().as_secs_f64();
    let pool = pool(Some(threads))?;
    let options = RunOptions {
        skip_network: true,
        ..RunOptions::default()
    };
    let started = Instant::now();
    let result = pool.install(|| run(&scenario, &options));
    let run_s = started.elapsed().as_secs_f64();
    let dialogues: f64 = result
        .replicates
        .iter()
        .flat_map(|r| r.records.iter().map(|rec| rec[Metric::Dialogues.index()]))
        .sum();
    Ok(Row {
        case: format!("{label} ({} relations)", scenario.forum.graph.n_relations()),
        threads,
        build_s,
        run_s,
        actor_rounds: scenario.forum.n_actors() as f64
            * scenario.rounds as f64
            * scenario.replicates as f64,
        dialogues,
    })
}

/// Prints a case's row of the table.
fn print_row(row: &Row) {
    out!(
        "{:<86} {:>7} {:>8.2} {:>8.2} {:>15} {:>15} {:>9.0}",
        row.case,
        row.threads,
        row.build_s,
        row.run_s,
        format!("{:.2} M", row.actor_rounds / row.run_s / 1e6),
        format!("{:.2} M", row.dialogues / row.run_s / 1e6),
        crate::common::peak_memory_bytes().map_or(f64::NAN, |b| b as f64 / (1u64 << 20) as f64)
    );
}

/// `collabgov bench`.
pub fn bench(args: &BenchArgs) -> Result<ExitCode> {
    let threads = args
        .threads
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    out!(
        "collabgov {} bench: {} threads available",
        env!("CARGO_PKG_VERSION"),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    out!(
        "{:<86} {:>7} {:>8} {:>8} {:>15} {:>15} {:>9}",
        "case",
        "threads",
        "build s",
        "run s",
        "actor-rounds/s",
        "dialogues/s",
        "peak MiB"
    );
    let mut cases = vec![
        (
            "1k actors, degree 10, 200 replicates x 200 rounds",
            1_000u64,
            10.0,
            200u32,
            200u32,
            1usize,
        ),
        (
            "1k actors, degree 10, 200 replicates x 200 rounds",
            1_000,
            10.0,
            200,
            200,
            threads,
        ),
        (
            "1k actors with services (248 agencies), 200 replicates x 200 rounds",
            1_000,
            10.0,
            200,
            200,
            threads,
        ),
        (
            "100k actors, degree 10, 1 replicate x 20 rounds",
            100_000,
            10.0,
            20,
            1,
            threads,
        ),
    ];
    if !args.quick {
        cases.push((
            "1M actors, degree 20, 1 replicate x 20 rounds",
            1_000_000,
            20.0,
            20,
            1,
            threads,
        ));
    }
    let (mut single, mut without_services) = (None, None);
    for (label, n, degree, rounds, replicates, t) in cases {
        let row = case(label, n, degree, rounds, replicates, t, args.seed)?;
        print_row(&row);
        if label.contains("services") {
            if let Some(base) = without_services {
                out!(
                    "{:<86} cost of services: {:.2}x the same forum without",
                    "",
                    row.run_s / base
                );
            }
        } else if n == 1_000 && t == 1 {
            single = Some(row.run_s);
        } else if n == 1_000
            && let Some(one) = single
        {
            without_services = Some(row.run_s);
            out!(
                "{:<86} speed-up on {t} threads: {:.2}x",
                "",
                one / row.run_s
            );
        }
    }
    // The national scenario (levels of government with services): 100 replicates, or 10
    // with --quick.
    let replicates = if args.quick { 10 } else { 100 };
    let text = collabgov_study::bundled::BUNDLED
        .iter()
        .find(|(name, _)| *name == "indonesia")
        .map(|(_, text)| *text)
        .unwrap_or_default();
    let overrides = Overrides {
        seed: args.seed,
        replicates: Some(replicates),
        ..Overrides::default()
    };
    let label = format!(
        "indonesia: 553 governments, 37,648 actors, services, {replicates} replicates x 100 rounds"
    );
    print_row(&timed(&label, text, &overrides, threads)?);
    out!("peak MiB is the process's peak resident memory so far (it only grows down the table).");
    Ok(ExitCode::SUCCESS)
}
