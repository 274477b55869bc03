//! The `collabgov` binary: command-line glue over the core, sim and viz libraries.

/// Prints a line to stdout, ignoring a closed pipe (e.g. `collabgov compare A B | head`).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            $crate::stdout_failed(e);
        }
    }};
}

/// The first error writing standard output (a full device), other than a closed pipe
/// (`collabgov ... | head` is fine): the command then exits 1 saying so, instead of 0 with
/// its summary lost.
static STDOUT_ERROR: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

fn stdout_failed(e: std::io::Error) {
    if e.kind() != std::io::ErrorKind::BrokenPipe
        && let Ok(mut first) = STDOUT_ERROR.lock()
    {
        first.get_or_insert_with(|| e.to_string());
    }
}

mod commands;
mod common;
mod draw;
mod fault;
mod files;
mod outdir;
mod sweep_dir;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use commands::{
    assess, bench, compare, discover, merge, plot, report, run, scenarios, serve, sweep,
    sweep_compare, validate,
};

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
    Run(run::RunArgs),
    /// Redraw the charts of a finished run, comparison, assessment or sweep from its files (any --style).
    Plot(plot::PlotArgs),
    /// Run (or read) several scenarios and compare them (overlays, tables, paired differences), or pair two finished sweeps point by point.
    Compare(compare::CompareArgs),
    /// List the bundled scenarios, or print one's TOML to copy and edit (`--show NAME`).
    Scenarios(scenarios::ScenariosArgs),
    /// Which Whole-of-Government practice would help this forum most? Diagnose, run a menu of practices paired with the baseline, rank them with intervals.
    Assess(assess::AssessArgs),
    /// Check a scenario without running it, and report Ansell & Gash's six criteria.
    Validate(validate::ValidateArgs),
    /// Run a parameter sweep (grid, Latin hypercube or Sobol): streaming, resumable, shardable.
    Sweep(sweep::SweepArgs),
    /// Scenario discovery on a finished sweep (PRIM, as EMA Workbench): which ranges of the factors hold the points where a condition holds, e.g. --where "consensus_share < 0.2".
    Discover(discover::DiscoverArgs),
    /// Join the part files of a sharded sweep into points.csv.
    Merge(merge::MergeArgs),
    /// Time fixed scenarios and print throughput, wall time and peak memory.
    Bench(bench::BenchArgs),
    /// Write a finished run or comparison folder as one self-contained HTML report (charts inline, prints to A4 PDF), or with --handout a two-page handout for a class in English or Indonesian.
    Report(report::ReportArgs),
    /// The classroom page: pick a scenario, turn the settings, run and watch the charts grow (Bahasa Indonesia and English).
    Serve(serve::ServeArgs),
}

/// Longest line of an error message printed (a message never echoes a whole input).
const MAX_ERROR_LINE: usize = 2_000;

fn main() -> ExitCode {
    fault::init();
    // A file-size limit (ulimit -f) then fails the write with an error we report, instead
    // of killing the process silently with SIGXFSZ.
    let _ = signal_hook::flag::register(
        signal_hook::consts::SIGXFSZ,
        std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
    );
    let cli = Cli::parse();
    let result = match cli.command {
        None => compare::compare(&compare::CompareArgs::lesson()),
        Some(Command::Run(args)) => run::run(&args),
        Some(Command::Plot(args)) => plot::plot(&args),
        Some(Command::Discover(args)) => discover::discover(&args),
        Some(Command::Compare(args)) => {
            // Two finished sweep folders are paired point by point; anything else is runs.
            if !sweep_dir::are_sweep_dirs(&args.scenarios) {
                compare::compare(&args)
            } else if !args.control.overrides().is_empty() {
                Err(anyhow::anyhow!(
                    "--seed, --rounds, --replicates and --set do not apply to sweep folders: the sweeps ran as their files say"
                ))
            } else {
                sweep_compare::compare_sweeps(
                    &args.scenarios,
                    &args.labels,
                    args.out.as_deref(),
                    args.force,
                    args.control.threads,
                    args.format,
                )
            }
        }
        Some(Command::Assess(args)) => assess::assess(&args),
        Some(Command::Scenarios(args)) => scenarios::scenarios(&args),
        Some(Command::Validate(args)) => validate::validate(&args),
        Some(Command::Bench(args)) => bench::bench(&args),
        Some(Command::Sweep(args)) => sweep::sweep(&args),
        Some(Command::Merge(args)) => merge::merge(&args),
        Some(Command::Serve(args)) => serve::serve(&args),
        Some(Command::Report(args)) => report::report(&args),
    };
    if let Err(e) = std::io::Write::flush(&mut std::io::stdout()) {
        stdout_failed(e);
    }
    let lost = STDOUT_ERROR.lock().ok().and_then(|mut e| e.take());
    match result {
        Ok(_) if lost.is_some() => {
            eprintln!(
                "error: cannot write to standard output ({}): what this command printed is lost",
                lost.unwrap_or_default()
            );
            ExitCode::from(1)
        }
        Ok(code) => code,
        Err(err) => {
            let cap = |s: String| -> String {
                if s.len() <= MAX_ERROR_LINE {
                    return s;
                }
                let mut cut = MAX_ERROR_LINE;
                while !s.is_char_boundary(cut) {
                    cut -= 1;
                }
                format!("{}... ({} bytes in all)", &s[..cut], s.len())
            };
            eprintln!("error: {}", cap(err.to_string()));
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {}", cap(cause.to_string()));
            }
            ExitCode::from(1)
        }
    }
}
