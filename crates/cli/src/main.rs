//! The `collabgov` binary: command-line glue over the core, sim and viz libraries.

/// Prints a line to stdout, ignoring a closed pipe (e.g. `collabgov compare A B | head`).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

mod bench;
mod commands;
mod files;
mod sweep;
mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// collabgov: simulate collaborative governance (CG-1) on a trust network.
///
/// Public agencies and non-state actors meet round after round in face-to-face dialogue
/// that builds or breaks trust, commitment to the process and a shared understanding of the
/// problem; small wins feed the cycle; sectoral silos stall it and Whole-of-Government
/// practices restart it. With no command, collabgov runs the siloisation lesson
/// (siloed-government against whole-of-government).
#[derive(Parser, Debug)]
#[command(name = "collabgov", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run a scenario's Monte Carlo replicates and write tables, run.json and charts.
    Run(commands::RunArgs),
    /// Redraw the charts of a finished run from its CSV files.
    Plot(commands::PlotArgs),
    /// Run (or read) several scenarios and compare them: overlays, a table and a summary.
    Compare(commands::CompareArgs),
    /// List the bundled scenarios.
    Scenarios,
    /// Check a scenario without running it, and report Ansell & Gash's six criteria.
    Validate(validate::ValidateArgs),
    /// Run a parameter sweep (grid, Latin hypercube or Sobol): streaming, resumable, shardable.
    Sweep(sweep::SweepArgs),
    /// Join the part files of a sharded sweep into points.csv.
    Merge(sweep::MergeArgs),
    /// Time fixed scenarios and print throughput, wall time and peak memory.
    Bench(bench::BenchArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        None => commands::compare(&commands::CompareArgs::lesson()),
        Some(Command::Run(args)) => commands::run(&args),
        Some(Command::Plot(args)) => commands::plot(&args),
        Some(Command::Compare(args)) => commands::compare(&args),
        Some(Command::Scenarios) => commands::scenarios(),
        Some(Command::Validate(args)) => validate::validate(&args),
        Some(Command::Bench(args)) => bench::bench(&args),
        Some(Command::Sweep(args)) => sweep::sweep(&args),
        Some(Command::Merge(args)) => sweep::merge(&args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(1)
        }
    }
}
