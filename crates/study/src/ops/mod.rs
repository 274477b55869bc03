//! The operations every front end calls: [`run()`](run::run) a scenario,
//! [`compare`](compare::compare) several, [`assess`](assess::assess) a forum against a menu
//! of practices, run a sweep's points ([`sweep::run_plan`]). Each takes what was loaded (see [`crate::source`]), its options and one
//! [`Observer`] (progress, each round's statistics, cancellation), runs its replicates on
//! the caller's rayon pool ([`pool`]) and returns its results in memory: tables, summaries and a typed
//! manifest. What a front end does with them (a staged folder, DataFrames, server-sent
//! events) is its own; the files a folder holds are listed once, in [`crate::artifacts`].

pub mod assess;
pub mod compare;
pub mod run;
pub mod sweep;

use collabgov_core::Scenario;
use collabgov_core::scenario::ScenarioError;
use collabgov_sim::{CancelToken, RoundUpdate, RunOptions};

use crate::source::SourceError;

/// Why an operation did not finish.
#[derive(Debug, thiserror::Error)]
pub enum OpError {
    /// A source that could not be found or read.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// A scenario (or a practice applied to it) the engine refuses.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// Refused before anything ran: too big for memory or for the caller's limits.
    #[error("{0}")]
    TooBig(String),
    /// Arguments that do not fit together (two sides of one name, a round out of range).
    #[error("{0}")]
    Invalid(String),
    /// Cancelled between rounds (Ctrl-C, a closed page): nothing is returned.
    #[error("{0}: interrupted; nothing was written")]
    Cancelled(String),
    /// A table that could not be formatted or read back.
    #[error("{0}")]
    Table(String),
}

/// What an operation tells its caller while it works, and how the caller stops it. Every
/// method but [`Observer::cancel`] does nothing by default.
pub trait Observer: Sync {
    /// A run of `replicates` replicates of `name` starts.
    fn run_started(&self, _name: &str, _replicates: u32) {}
    /// One replicate of the current run finished.
    fn replicate_done(&self) {}
    /// The current run finished (or was cancelled).
    fn run_finished(&self) {}
    /// Whether the caller wants each round's statistics ([`Observer::round`]); the
    /// replicates then advance in lockstep (the same results).
    fn wants_rounds(&self) -> bool {
        false
    }
    /// A round's statistics over the replicates, as soon as the round is done.
    fn round(&self, _update: &RoundUpdate) {}
    /// The token the operation checks between rounds.
    fn cancel(&self) -> &CancelToken;
}

/// An observer that only cancels: for tests, scripts and callers that wait.
#[derive(Default)]
pub struct Quiet(pub CancelToken);

impl Observer for Quiet {
    fn cancel(&self) -> &CancelToken {
        &self.0
    }
}

/// Limits a front end puts on what one request may run, above the memory check every run
/// gets (the classroom page's caps).
#[derive(Clone, Copy, Debug, Default)]
pub struct Limits {
    /// Most work ([`work_of`]) of the request's runs together.
    pub max_work: Option<u64>,
    /// Most replicates.
    pub max_replicates: Option<u32>,
    /// Most memory one run may need (estimated; default 8 GiB,
    /// [`collabgov_sim::run::MEMORY_BUDGET`]).
    pub max_memory: Option<u64>,
    /// The runs report every round ([`Observer::wants_rounds`], the page's live charts),
    /// which holds every replicate's state at once, and hand their rounds table back as
    /// text: the estimate counts all of them.
    pub live: bool,
}

/// Bytes of one row of the rounds table a live run hands back as text: the CSV and the
/// event that carries it (measured beside the table's own cost, docs/PERFORMANCE.md).
const LIVE_TEXT_BYTES_PER_ROW: u64 = 140;

/// A run's work: (actors x issues + relations) x rounds x replicates, a round counted at
/// least once (a run of no rounds still builds and records every replicate).
pub fn work_of(s: &Scenario) -> u64 {
    let actors = (s.forum.n_actors() as u64).saturating_mul(s.issues.max(1) as u64);
    actors
        .saturating_add(s.forum.graph.n_relations() as u64)
        .saturating_mul(u64::from(s.rounds.max(1)))
        .saturating_mul(u64::from(s.replicates))
}

/// Refuses, before anything runs, a scenario over `limits` or one whose run would not fit
/// in memory on `threads` workers (the same estimate on every front end); returns the
/// estimated peak memory of the run in bytes.
pub fn check(
    s: &Scenario,
    options: &RunOptions,
    threads: usize,
    limits: &Limits,
) -> Result<u64, OpError> {
    check_all(&[s], options, threads, limits)
}

/// [`check`] for the runs of one request (a comparison's sides, an assessment's baseline
/// and practices), which run one after the other: each must fit in memory and within the
/// replicates cap, and their work together within `limits.max_work`. Returns the largest
/// estimated peak memory of one of them, in bytes.
pub fn check_all(
    runs: &[&Scenario],
    options: &RunOptions,
    threads: usize,
    limits: &Limits,
) -> Result<u64, OpError> {
    let work: u64 = runs.iter().map(|s| work_of(s)).fold(0, u64::saturating_add);
    let over_work = limits.max_work.is_some_and(|m| work > m);
    let over_replicates = runs
        .iter()
        .find(|s| limits.max_replicates.is_some_and(|m| s.replicates > m));
    let culprit = over_replicates
        .copied()
        .or_else(|| runs.first().copied().filter(|_| over_work));
    if let Some(s) = culprit {
        let times = if runs.len() > 1 {
            format!(", {} runs in all", runs.len())
        } else {
            String::new()
        };
        return Err(OpError::TooBig(format!(
            "{}: too much work: ({} actors x {} issues + {} relations) x {} rounds x {} replicates{times} = {work} (allowed: {} and at most {} replicates; use fewer replicates or rounds, or `collabgov run` for a research run)",
            s.name,
            s.forum.n_actors(),
            s.issues,
            s.forum.graph.n_relations(),
            s.rounds,
            s.replicates,
            limits.max_work.map_or("any".to_string(), |m| m.to_string()),
            limits
                .max_replicates
                .map_or("any".to_string(), |m| m.to_string()),
        )));
    }
    let budget = limits
        .max_memory
        .unwrap_or(collabgov_sim::run::MEMORY_BUDGET);
    let mut peak = 0;
    for s in runs {
        // A live run steps every replicate together: all of them are in flight.
        let in_flight = if limits.live {
            s.replicates as usize
        } else {
            threads
        };
        let mut bytes = collabgov_sim::run::estimate_run_bytes(s, options, in_flight);
        if limits.live {
            let [forum, groups] = collabgov_sim::run::round_rows(s, options);
            bytes = bytes.saturating_add(
                forum
                    .saturating_add(groups)
                    .saturating_mul(LIVE_TEXT_BYTES_PER_ROW),
            );
        }
        if bytes > budget {
            return Err(OpError::TooBig(format!(
                "{}: {}",
                s.name,
                collabgov_sim::run::too_big(s, options, bytes, budget)
            )));
        }
        peak = peak.max(bytes);
    }
    Ok(peak)
}

/// A pool of `threads` workers (0: every core), the one every front end runs on.
pub fn pool(threads: usize) -> Result<rayon::ThreadPool, OpError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| OpError::Invalid(format!("cannot start {threads} worker threads: {e}")))
}
