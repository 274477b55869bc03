//! collabgov-sim: the engine. CG-1's rounds (and CG-2's services step), Monte Carlo
//! replicates in parallel, the metrics they record and the statistics over replicates. It
//! reads and writes no file: what is loaded, written, summarised or compared sits above it,
//! in `collabgov-study`.
//!
//! - [`model`]: one replicate's [`State`](model::State) and [`play_round`](model::play_round),
//!   step by step as docs/model.md states it.
//! - [`run()`]: replicates in parallel (rayon); replicate `r` draws from ChaCha8 seeded with the
//!   master seed on stream `r`, and results are reduced in replicate order, so they are
//!   byte-identical whatever the number of threads.
//! - [`metrics`]: the one table of metrics.
//! - [`stats`]: mean, sd, type-7 quantiles, Wilson intervals, the nested design's intervals.
//! - [`bench`](mod@bench): the synthetic benchmark forum.
//!
//! ```
//! use collabgov_core::{Scenario, scenario::no_files};
//! use collabgov_sim::{run, Metric, RunOptions};
//!
//! let toml = "name = \"x\"\nrounds = 20\nreplicates = 4\n[[sectors]]\nname = \"a\"\nagencies = 3\nngo = 3\n";
//! let scenario = Scenario::parse(toml, "x.toml", &no_files).unwrap();
//! let result = run(&scenario, &RunOptions::default());
//! assert_eq!(result.replicates.len(), 4);
//! let trust = result.final_summary(Metric::Trust);
//! assert!((0.0..=1.0).contains(&trust.mean));
//! ```

pub mod bench;
pub mod metrics;
pub mod model;
pub mod run;
pub mod stats;

pub use metrics::{Families, Metric, N_METRICS, Record};
pub use run::{
    CancelToken, Cancelled, RoundUpdate, RunOptions, RunResult, replicate_rng, run,
    run_cancellable, run_live, run_with_progress,
};
