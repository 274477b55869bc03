//! Running a sweep's points: the one loop the command line (streaming to `points.csv`,
//! resumable, sharded) and Python (`collabgov.sweep`) share, so a sweep file gives the same
//! rows through either (linked keys, `fixed_network` and the memory check included).

use collabgov_core::scenario::ScenarioError;
use rayon::prelude::*;

use super::{Observer, OpError};
use crate::sweep::{SweepPlan, run_point};

/// A loader of the files the base scenario names, shared by the worker threads.
pub type SharedLoader<'a> = &'a (dyn Fn(&str) -> Result<String, String> + Sync);

/// Runs the points `todo` of `plan` on `pool`, a chunk of four points per worker at a time
/// (each point's replicates in order on one worker, each point refused when too big for
/// memory), and hands each chunk's rows to `sink` in point order (each row ending in a
/// newline) with the number of points in it, as soon as the chunk is done. The observer's
/// token is checked between chunks.
pub fn run_plan(
    plan: &SweepPlan,
    todo: &[usize],
    load: SharedLoader<'_>,
    pool: &rayon::ThreadPool,
    observer: &dyn Observer,
    sink: &mut dyn FnMut(&str, usize) -> Result<(), OpError>,
) -> Result<(), OpError> {
    let batch = (pool.current_num_threads() * 4).max(1);
    for chunk in todo.chunks(batch) {
        if observer.cancel().is_cancelled() {
            return Err(OpError::Cancelled(plan.raw.name.clone()));
        }
        let rows: Vec<Result<String, ScenarioError>> = pool.install(|| {
            chunk
                .par_iter()
                .map(|&i| run_point(plan, i, &|name: &str| load(name)))
                .collect()
        });
        let mut text = String::new();
        for row in rows {
            text.push_str(&row?);
            text.push('\n');
        }
        sink(&text, chunk.len())?;
    }
    Ok(())
}

/// Every point of `plan` as the text of a `points.csv` (header and rows).
pub fn points_csv(
    plan: &SweepPlan,
    load: SharedLoader<'_>,
    pool: &rayon::ThreadPool,
    observer: &dyn Observer,
) -> Result<String, OpError> {
    let mut text = format!("{}\n", plan.header());
    let all: Vec<usize> = (0..plan.points.len()).collect();
    run_plan(plan, &all, load, pool, observer, &mut |rows, _| {
        text.push_str(rows);
        Ok(())
    })?;
    Ok(text)
}
