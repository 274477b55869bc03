//! Monte Carlo: replicates in parallel with rayon, each from its own generator seeded from
//! (seed, replicate index), reduced in replicate order so output never depends on threads.

use collabgov_core::Scenario;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::metrics::{Metric, N_METRICS, Record};
use crate::model::{RoundCounts, Schedule, Scratch, State, play_round, record};
use crate::stats::{Summary, summarize};

/// How to run a scenario. Seed, rounds and replicates are the scenario's own: overrides go
/// into the scenario before it is validated ([`collabgov_core::Overrides`]).
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// Keep every replicate's final actor states (otherwise replicate 0's only).
    pub all_actors: bool,
    /// Do not keep replicate 0's trust at round 0 (no `network.csv`; saves a copy of every
    /// trust for very large forums).
    pub skip_network: bool,
}

/// Most memory a run may need (8 GiB), as estimated by [`estimate_run_bytes`].
pub const MEMORY_BUDGET: u64 = collabgov_core::scenario::DEFAULT_MEMORY_BUDGET;

/// Bytes of `network.csv`'s rows and text, per relation (measured).
const NETWORK_TABLE_BYTES_PER_RELATION: u64 = 200;
/// Bytes of one more replicate's final actors kept for `--all-actors`: its state and its
/// rows of actors.csv, per actor (measured).
const ALL_ACTORS_BYTES_PER_ACTOR: u64 = 320;

/// Bytes one replicate's final state keeps (trust per slot, power, capacity, culture,
/// commitment and views per actor).
pub fn state_bytes(scenario: &Scenario) -> u64 {
    let forum = &scenario.forum;
    let slots = forum.graph.n_slots() as u64;
    let actors = forum.n_actors() as u64;
    slots
        .saturating_mul(8)
        .saturating_add(actors.saturating_mul(8 * (4 + scenario.issues as u64)))
}

/// The peak memory a run of `scenario` on `threads` worker threads needs: the forum and one
/// replicate ([`collabgov_core::scenario::estimate_bytes`]), the replicates in flight on
/// the other threads, every replicate's per-round records, the network table unless it is
/// skipped, and with `all_actors` every replicate's final actors. Checked against measured
/// peaks across sizes in the CLI's tests (within 25 %).
pub fn estimate_run_bytes(scenario: &Scenario, options: &RunOptions, threads: usize) -> u64 {
    let forum = &scenario.forum;
    let actors = forum.n_actors() as u64;
    let relations = forum.graph.n_relations() as u64;
    let replicates = scenario.replicates as u64;
    let in_flight = (threads as u64).clamp(1, replicates.max(1));
    let mut bytes =
        collabgov_core::scenario::estimate_bytes(actors, relations, scenario.issues as u64);
    // Each other thread holds a replicate's state and about as much again in scratch.
    bytes = bytes
        .saturating_add((in_flight - 1).saturating_mul(state_bytes(scenario).saturating_mul(2)));
    bytes = bytes.saturating_add(
        replicates
            .saturating_mul(scenario.rounds as u64 + 1)
            .saturating_mul(std::mem::size_of::<Record>() as u64),
    );
    if !options.skip_network {
        bytes = bytes.saturating_add(relations.saturating_mul(NETWORK_TABLE_BYTES_PER_RELATION));
    }
    if options.all_actors {
        let per =
            state_bytes(scenario).saturating_add(actors.saturating_mul(ALL_ACTORS_BYTES_PER_ACTOR));
        bytes = bytes.saturating_add(replicates.saturating_sub(1).saturating_mul(per));
    }
    bytes
}

/// Refuses, before anything runs, a run whose estimated peak memory
/// ([`estimate_run_bytes`]) exceeds [`MEMORY_BUDGET`], saying what it would need.
pub fn check_size(scenario: &Scenario, options: &RunOptions, threads: usize) -> Result<(), String> {
    let bytes = estimate_run_bytes(scenario, options, threads);
    if bytes > MEMORY_BUDGET {
        let what = if options.all_actors {
            " and every replicate's final actors (--all-actors)"
        } else {
            ""
        };
        return Err(format!(
            "expected a run that fits in {} GiB, found {} replicates x {} rounds of {} actors{what} needing about {:.1} GiB; run fewer rounds or replicates, or split them over several seeds",
            MEMORY_BUDGET >> 30,
            scenario.replicates,
            scenario.rounds,
            scenario.forum.n_actors(),
            bytes as f64 / (1u64 << 30) as f64
        ));
    }
    Ok(())
}

/// The generator of replicate `replicate` under master seed `seed`: ChaCha8 seeded from the
/// master seed, on stream `replicate`.
pub fn replicate_rng(seed: u64, replicate: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(replicate);
    rng
}

/// Everything one replicate produced.
#[derive(Clone, Debug)]
pub struct ReplicateResult {
    /// Replicate index.
    pub replicate: u32,
    /// Metrics of rounds `0..=rounds`.
    pub records: Vec<Record>,
    /// First round `t >= 1` in which consensus held.
    pub consensus_round: Option<u32>,
    /// Final state.
    pub state: State,
    /// Trust per slot at round 0 (kept for replicate 0, for network pictures).
    pub initial_trust: Option<Vec<f64>>,
}

/// Runs one replicate with the given generator.
pub fn run_replicate(
    scenario: &Scenario,
    schedule: &Schedule,
    rounds: u32,
    rng: &mut ChaCha8Rng,
    keep_initial_trust: bool,
) -> (Vec<Record>, Option<u32>, State, Option<Vec<f64>>) {
    let forum = &scenario.forum;
    let mut state = State::draw(forum, scenario.issues, rng);
    let initial_trust = keep_initial_trust.then(|| state.trust.clone());
    let mut scratch = Scratch::new(forum);
    let mut records = Vec::with_capacity(rounds as usize + 1);
    records.push(record(
        forum,
        schedule,
        0,
        &state,
        &RoundCounts::default(),
        0,
    ));
    let mut wins = 0u64;
    let mut consensus_round = None;
    for t in 1..=rounds {
        let counts = play_round(forum, schedule, t, &mut state, &mut scratch, rng);
        wins += counts.win as u64;
        let rec = record(forum, schedule, t, &state, &counts, wins);
        if consensus_round.is_none() && rec[Metric::Consensus.index()] == 1.0 {
            consensus_round = Some(t);
        }
        records.push(rec);
    }
    (records, consensus_round, state, initial_trust)
}

/// The result of a run: every replicate, in replicate order.
#[derive(Clone, Debug)]
pub struct RunResult {
    /// Rounds played.
    pub rounds: u32,
    /// Master seed used.
    pub seed: u64,
    /// Replicates, in index order.
    pub replicates: Vec<ReplicateResult>,
}

/// Runs the scenario's replicates on the current rayon pool.
pub fn run(scenario: &Scenario, options: &RunOptions) -> RunResult {
    run_with_progress(scenario, options, &|| {})
}

/// Like [`run`], calling `on_replicate_done` after each replicate (from any thread).
pub fn run_with_progress(
    scenario: &Scenario,
    options: &RunOptions,
    on_replicate_done: &(dyn Fn() + Sync),
) -> RunResult {
    let (rounds, replicates, seed) = (scenario.rounds, scenario.replicates, scenario.seed);
    let schedule = Schedule::new(
        &scenario.forum,
        &scenario.params,
        &scenario.interventions,
        rounds,
    );
    let results: Vec<ReplicateResult> = (0..replicates)
        .into_par_iter()
        .map(|r| {
            let mut rng = replicate_rng(seed, r as u64);
            let (records, consensus_round, state, initial_trust) = run_replicate(
                scenario,
                &schedule,
                rounds,
                &mut rng,
                r == 0 && !options.skip_network,
            );
            on_replicate_done();
            let keep = r == 0 || options.all_actors;
            let state = if keep {
                state
            } else {
                State {
                    issues: state.issues,
                    ..State::default()
                }
            };
            ReplicateResult {
                replicate: r,
                records,
                consensus_round,
                state,
                initial_trust,
            }
        })
        .collect();
    RunResult {
        rounds,
        seed,
        replicates: results,
    }
}

/// Per-round statistics of one metric over replicates.
#[derive(Clone, Debug, PartialEq)]
pub struct RoundStat {
    /// Round.
    pub round: u32,
    /// Metric.
    pub metric: Metric,
    /// Summary over replicates.
    pub summary: Summary,
}

impl RunResult {
    /// Statistics per round and metric, rounds ascending, metrics in [`Metric::ALL`] order.
    pub fn round_stats(&self) -> Vec<RoundStat> {
        let mut out = Vec::with_capacity((self.rounds as usize + 1) * N_METRICS);
        let mut scratch = Vec::with_capacity(self.replicates.len());
        for t in 0..=self.rounds as usize {
            for metric in Metric::ALL {
                let values = self.replicates.iter().map(|r| r.records[t][metric.index()]);
                out.push(RoundStat {
                    round: t as u32,
                    metric,
                    summary: summarize(values, &mut scratch),
                });
            }
        }
        out
    }

    /// Replicates that reached consensus.
    pub fn consensus_count(&self) -> usize {
        self.replicates
            .iter()
            .filter(|r| r.consensus_round.is_some())
            .count()
    }

    /// Summary of a metric's final value over replicates.
    pub fn final_summary(&self, metric: Metric) -> Summary {
        let values = self
            .replicates
            .iter()
            .map(|r| r.records.last().map_or(f64::NAN, |rec| rec[metric.index()]));
        summarize(values, &mut Vec::new())
    }
}
