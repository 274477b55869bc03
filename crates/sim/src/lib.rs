//! collabgov-sim: CG-1 rounds, Monte Carlo replicates in parallel, statistics, and the tidy
//! output tables.
//!
//! - [`model`]: one replicate's [`State`](model::State) and [`play_round`](model::play_round),
//!   step by step as docs/model.md states it.
//! - [`run()`]: replicates in parallel (rayon); replicate `r` draws from ChaCha8 seeded with the
//!   master seed on stream `r`, and results are reduced in replicate order, so they are
//!   byte-identical whatever the number of threads.
//! - [`stats`]: mean, sd, type-7 quantiles, Wilson intervals.
//! - [`manifest`]: `run.json` and `sweep.json`, typed.
//! - [`inputs`]: reading the files a scenario or sweep names (capped, hashed), for every
//!   front end.
//! - [`assess`]: the diagnosis of a forum and the ranking of practices by their paired
//!   effects (`collabgov assess`).
//! - [`practices`]: Whole-of-Government practices as interventions, and `compose` (a
//!   page's settings applied to a scenario's TOML).
//! - [`report`]: final summaries, the consensus share, a comparison's summary and table.
//! - [`output`]: the tables written to `rounds.csv`, `replicates.csv`, `actors.csv` and
//!   `network.csv`, and their readers (so charts can be redrawn from files).
//! - `columnar` (cargo feature `parquet`): any of those tables as Parquet, and back.
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

pub mod assess;
pub mod bench;
pub mod bundled;
#[cfg(feature = "parquet")]
pub mod columnar;
pub mod criteria;
pub mod inputs;
pub mod manifest;
pub mod metrics;
pub mod model;
pub mod output;
pub mod practices;
pub mod report;
pub mod run;
pub mod stats;
pub mod sweep;

pub use metrics::{Metric, N_METRICS, Record};
pub use run::{
    CancelToken, Cancelled, RoundUpdate, RunOptions, RunResult, replicate_rng, run,
    run_cancellable, run_live, run_with_progress,
};
