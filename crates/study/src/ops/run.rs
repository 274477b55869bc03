//! Running one scenario: its replicates on the caller's pool, observed and cancellable; the
//! tables and `run.json` of the run.

use std::time::Instant;

use collabgov_sim::{RunOptions, run_cancellable, run_live};

use super::{Observer, OpError};
use crate::manifest::RunManifest;
use crate::output::RunTables;
use crate::source::Loaded;

/// A finished run: its tables and manifest (`run.json`; `peak_memory_bytes` is the front
/// end's to fill, as only a process knows its peak).
pub struct Ran {
    /// What the CSV files hold.
    pub tables: RunTables,
    /// What `run.json` records.
    pub manifest: RunManifest,
}

/// Runs `loaded`'s replicates on `pool` (its manifest names the pool's threads); the
/// tables are made on the calling thread, as the front ends made them before (the peak
/// memory `run.json` records depends on it). The caller has already refused a run too big
/// for memory ([`super::check`]) before it prepared where the results go.
pub fn run(
    loaded: &Loaded,
    options: &RunOptions,
    pool: &rayon::ThreadPool,
    observer: &dyn Observer,
) -> Result<Ran, OpError> {
    let scenario = &loaded.scenario;
    let threads = pool.current_num_threads();
    observer.run_started(&scenario.name, scenario.replicates);
    let started = Instant::now();
    let outcome = pool.install(|| {
        let result = if observer.wants_rounds() {
            run_live(scenario, options, &|u| observer.round(u), observer.cancel())
        } else {
            run_cancellable(
                scenario,
                options,
                &|| observer.replicate_done(),
                observer.cancel(),
            )
        };
        result.map(|r| (RunManifest::new(scenario, &r, &loaded.inputs), r))
    });
    observer.run_finished();
    let (mut manifest, result) = outcome.map_err(|_| OpError::Cancelled(scenario.name.clone()))?;
    manifest.wall_time_seconds = started.elapsed().as_secs_f64();
    manifest.estimated_memory_bytes =
        collabgov_sim::run::estimate_run_bytes(scenario, options, threads);
    manifest.origin = loaded.origin.clone();
    let mut tables = RunTables::from_run(scenario, &result);
    if options.replicate_series {
        tables.series = RunTables::series_of(result);
    }
    Ok(Ran { tables, manifest })
}
