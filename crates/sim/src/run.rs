//! Monte Carlo: replicates in parallel with rayon, each from its own generator seeded from
//! (seed, replicate index), reduced in replicate order so output never depends on threads.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use collabgov_core::Scenario;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::metrics::{Families, GroupMetric, Metric, Record};
use crate::model::levels::{UnitFinal, unit_finals};
use crate::model::services::{ACTIVITIES, Activities, ServicePlan, ServiceState};
use crate::model::{Schedule, Scratch, State, Tally, play_round, record};
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
    /// Do not record the per-group series (a caller that reads only final values: a
    /// sweep's point, an assessment's practices), which saves their time and memory.
    pub skip_groups: bool,
    /// [`run_live`] only: hand each round's update replicate 0's trust per relation slot
    /// ([`RoundUpdate::trust`]), for a page that animates the network.
    pub live_trust: bool,
    /// The caller keeps every replicate's per-round records as a table of its own (the
    /// study layer's `series.csv`, moved out of the result). The engine records them
    /// anyway, so the run and its memory are the same either way.
    pub replicate_series: bool,
}

/// Most memory a run may need (8 GiB), as estimated by [`estimate_run_bytes`].
pub const MEMORY_BUDGET: u64 = collabgov_core::scenario::DEFAULT_MEMORY_BUDGET;

/// Bytes of `network.csv`'s rows and text, per relation (measured).
const NETWORK_TABLE_BYTES_PER_RELATION: u64 = 200;
/// Bytes of one row of the rounds table (`rounds.csv`) for the whole forum, and of one
/// group's row (which names its group): the row and its text (measured: 2 actors in 1
/// sector and 200 actors in 8 sectors, 20,000 to 180,000 rounds, up to three million rows;
/// docs/PERFORMANCE.md).
const ROUNDS_TABLE_BYTES: [u64; 2] = [120, 240];
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
/// the other threads, every replicate's per-round records and per-group series, the
/// rounds table, the network table unless it is skipped, and with `all_actors` every
/// replicate's final actors. Checked against measured peaks across sizes in the CLI's tests (within 25 %).
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
    // A replicate on a network draw of its own holds that draw's graph and actor values
    // (the names and the scenario's text are shared): measured on 40,000 actors with 200,000
    // relations, a second draw in flight adds 15 MB, twelve replicates on two threads 33 MB.
    if scenario.network_draws > 1 {
        let draw = relations
            .saturating_mul(collabgov_core::scenario::BYTES_PER_RELATION)
            .saturating_add(state_bytes(scenario));
        bytes = bytes.saturating_add(in_flight.saturating_mul(draw));
    }
    // Every replicate's records and per-group series (each sector and both kinds).
    let group_values = if options.skip_groups {
        0
    } else {
        (GroupMetric::ALL.len() * crate::model::groups::Groups::of(forum).len()) as u64
    };
    bytes = bytes.saturating_add(
        replicates
            .saturating_mul(scenario.rounds as u64 + 1)
            .saturating_mul(std::mem::size_of::<Record>() as u64 + 8 * group_values),
    );
    let [forum_rows, group_rows] = round_rows(scenario, options);
    bytes = bytes
        .saturating_add(forum_rows.saturating_mul(ROUNDS_TABLE_BYTES[0]))
        .saturating_add(group_rows.saturating_mul(ROUNDS_TABLE_BYTES[1]));
    if !options.skip_network {
        bytes = bytes.saturating_add(relations.saturating_mul(NETWORK_TABLE_BYTES_PER_RELATION));
    }
    if let Some(levels) = &forum.levels {
        // Each actor's unit and level and its place in its unit's list, each relation's
        // kind, and per replicate each unit's final values; `units.csv`'s rows.
        let units = levels.units.len() as u64;
        bytes = bytes
            .saturating_add(actors.saturating_mul(9))
            .saturating_add(relations.saturating_mul(2))
            .saturating_add(
                replicates
                    .saturating_mul(units)
                    .saturating_mul(std::mem::size_of::<crate::model::levels::UnitFinal>() as u64),
            )
            .saturating_add(units.saturating_mul(UNITS_TABLE_BYTES_PER_UNIT));
    }
    if let Some(services) = &scenario.services {
        bytes = bytes.saturating_add(crate::model::services::estimate_bytes(
            services,
            forum.is_agency.iter().filter(|&&a| a).count() as u64,
            scenario.rounds as u64,
            replicates,
            in_flight,
        ));
    }
    if options.all_actors {
        let per =
            state_bytes(scenario).saturating_add(actors.saturating_mul(ALL_ACTORS_BYTES_PER_ACTOR));
        bytes = bytes.saturating_add(replicates.saturating_sub(1).saturating_mul(per));
    }
    bytes
}

/// Bytes per unit of government of `units.csv` (its row and its text).
const UNITS_TABLE_BYTES_PER_UNIT: u64 = 600;

/// Rows of a run's rounds table for rounds `0..=rounds`: the whole forum's (every recorded
/// metric), and unless `options` skip them the groups' (each sector and both kinds).
pub fn round_rows(scenario: &Scenario, options: &RunOptions) -> [u64; 2] {
    let metrics = Metric::recorded(Families::of(scenario)).count() as u64;
    let groups = if options.skip_groups {
        0
    } else {
        (GroupMetric::ALL.len() * crate::model::groups::Groups::of(&scenario.forum).len()) as u64
    };
    let rounds = u64::from(scenario.rounds) + 1;
    [
        rounds.saturating_mul(metrics),
        rounds.saturating_mul(groups),
    ]
}

/// Refuses, before anything runs, a run whose estimated peak memory
/// ([`estimate_run_bytes`]) exceeds [`MEMORY_BUDGET`], saying what it would need.
pub fn check_size(scenario: &Scenario, options: &RunOptions, threads: usize) -> Result<(), String> {
    let bytes = estimate_run_bytes(scenario, options, threads);
    if bytes > MEMORY_BUDGET {
        return Err(too_big(scenario, options, bytes, MEMORY_BUDGET));
    }
    Ok(())
}

/// Why a run of `scenario` needing about `bytes` does not fit in `budget`.
pub fn too_big(scenario: &Scenario, options: &RunOptions, bytes: u64, budget: u64) -> String {
    let what = if options.all_actors {
        " and every replicate's final actors (--all-actors)"
    } else {
        ""
    };
    format!(
        "expected a run that fits in {}, found {} replicates x {} rounds of {} actors{what} needing about {}; run fewer rounds or replicates, or split them over several seeds",
        collabgov_core::scenario::size_text(budget),
        scenario.replicates,
        scenario.rounds,
        scenario.forum.n_actors(),
        collabgov_core::scenario::size_text(bytes)
    )
}

/// The generator of replicate `replicate` under master seed `seed`: ChaCha8 seeded from the
/// master seed, on stream `replicate`.
pub fn replicate_rng(seed: u64, replicate: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(replicate);
    rng
}

/// The generator of what interventions and later joins bring to replicate `replicate`'s
/// initial state (actors joining after round 0, relations appearing later): ChaCha8 of
/// the master seed on stream 2^33 + replicate, apart from the replicate's own (streams from
/// 0) and the services' (2^32 + replicate), so adding an intervention leaves every earlier
/// draw as it was.
pub fn later_rng(seed: u64, replicate: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream((2u64 << 32) + replicate);
    rng
}

/// Everything one replicate produced.
#[derive(Clone, Debug)]
pub struct ReplicateResult {
    /// Replicate index.
    pub replicate: u32,
    /// The network draw it ran on ([`Scenario::draw_of`]).
    pub draw: u32,
    /// When the final state is kept: each actor's mean trust in its relations at the end
    /// (NaN with none), on its own draw's network.
    pub trust_out: Vec<f64>,
    /// Metrics of rounds `0..=rounds`.
    pub records: Vec<Record>,
    /// The per-group series of rounds `0..=rounds`: each round's
    /// [`Groups::per_round`](crate::model::groups::Groups::per_round) values, metric by
    /// metric, group by group ([`RunResult::groups`] names them).
    pub groups: Vec<f64>,
    /// First round `t >= 1` in which consensus held.
    pub consensus_round: Option<u32>,
    /// Final state.
    pub state: State,
    /// Trust per slot at round 0 (kept for replicate 0, for network pictures).
    pub initial_trust: Option<Vec<f64>>,
    /// With services: each round's counts of the 11 activities (round 0 included).
    pub activities: Vec<Activities>,
    /// With services, when the final state is kept: each agency's activities and
    /// throughput at the end.
    pub agencies: Option<AgencyFinals>,
    /// With levels of government: each unit's values at the end, in unit order.
    pub units: Vec<UnitFinal>,
}

/// Each agency's activity counts and throughput at the end of a replicate, by agency
/// ordinal (agencies in actor index order).
#[derive(Clone, Debug, PartialEq)]
pub struct AgencyFinals {
    /// Actor index of each agency.
    pub actors: Vec<u32>,
    /// Activities given or received (1, 2 and 5 counted for both agencies).
    pub activities: Vec<Activities>,
    /// Throughput at the end (`theta * k_a` plus loans in force).
    pub throughput: Vec<f64>,
}

/// What every replicate of a run shares: the schedule and the services plan.
pub struct Plan {
    /// Settings round by round.
    pub schedule: Schedule,
    /// The services extension, when on.
    pub services: Option<ServicePlan>,
}

impl Plan {
    /// The plan of `scenario`.
    pub fn new(scenario: &Scenario) -> Plan {
        Plan {
            schedule: Schedule::new(scenario),
            services: scenario
                .services
                .as_ref()
                .map(|s| ServicePlan::new(&scenario.forum, s)),
        }
    }
}

/// One replicate in progress: what it needs to play its next round.
struct Replica {
    replicate: u32,
    /// Its network draw's scenario and plan, when it is not the run's own (draw 0).
    drawn: Option<Box<(Scenario, Plan)>>,
    state: State,
    scratch: Scratch,
    rng: ChaCha8Rng,
    records: Vec<Record>,
    /// The per-group series, when recorded.
    groups: Option<Vec<f64>>,
    wins: u64,
    consensus_round: Option<u32>,
    initial_trust: Option<Vec<f64>>,
    services: Option<ServiceState>,
    activities: Vec<Activities>,
}

impl Replica {
    /// Draws replicate `replicate`'s initial state and records round 0.
    fn start(scenario: &Scenario, plan: &Plan, replicate: u32, options: &RunOptions) -> Replica {
        let keep_initial_trust = replicate == 0 && !options.skip_network;
        let draw = scenario.draw_of(replicate);
        // Every check the network stage makes depends on the scenario's sizes and
        // settings, not on the draw, and draw 0 passed them when the scenario was built.
        let drawn = (draw > 0).then(|| {
            let s = scenario
                .network_draw(draw)
                .unwrap_or_else(|_| scenario.clone());
            let p = Plan::new(&s);
            Box::new((s, p))
        });
        let (scenario, plan) = drawn.as_deref().map_or((scenario, plan), |(s, p)| (s, p));
        let forum = &scenario.forum;
        let mut rng = replicate_rng(scenario.seed, replicate as u64);
        let state = State::draw(
            forum,
            scenario.issues,
            &mut rng,
            &mut later_rng(scenario.seed, u64::from(replicate)),
        );
        let initial_trust = keep_initial_trust.then(|| state.trust.clone());
        let mut records = Vec::with_capacity(scenario.rounds as usize + 1);
        let mut groups = (!options.skip_groups).then(|| {
            Vec::with_capacity((scenario.rounds as usize + 1) * plan.schedule.groups().per_round())
        });
        let mut scratch = Scratch::new(forum);
        let mut rec = record(
            forum,
            &plan.schedule,
            &state,
            Tally::default(),
            &mut scratch,
            groups.as_mut(),
        );
        let mut activities = Vec::new();
        let services = plan.services.as_ref().map(|sp| {
            let services = ServiceState::new(sp, scenario.seed, replicate as u64);
            services.record(sp, forum, 0, &state, &mut rec);
            scratch.productive_pairs = Some(Vec::new());
            activities.reserve(scenario.rounds as usize + 1);
            activities.push(services.activities());
            services
        });
        records.push(rec);
        Replica {
            replicate,
            drawn,
            state,
            scratch,
            rng,
            records,
            groups,
            wins: 0,
            consensus_round: None,
            initial_trust,
            services,
            activities,
        }
    }

    /// Plays and records round `t`.
    fn step(&mut self, scenario: &Scenario, plan: &Plan, t: u32) {
        let drawn = self.drawn.take();
        let (scenario, plan) = drawn.as_deref().map_or((scenario, plan), |(s, p)| (s, p));
        self.play(scenario, plan, t);
        self.drawn = drawn;
    }

    /// Plays and records round `t` on `scenario`'s network.
    fn play(&mut self, scenario: &Scenario, plan: &Plan, t: u32) {
        let forum = &scenario.forum;
        let schedule = &plan.schedule;
        let counts = play_round(
            forum,
            schedule,
            t,
            &mut self.state,
            &mut self.scratch,
            &mut self.rng,
        );
        if let (Some(services), Some(sp)) = (&mut self.services, &plan.services) {
            let productive = self.scratch.productive_pairs.as_deref().unwrap_or(&[]);
            services.step(sp, forum, schedule.at(t), t, &mut self.state, productive);
        }
        self.wins += counts.win as u64;
        let mut rec = record(
            forum,
            schedule,
            &self.state,
            Tally {
                t,
                counts,
                wins: self.wins,
            },
            &mut self.scratch,
            self.groups.as_mut(),
        );
        if let (Some(services), Some(sp)) = (&self.services, &plan.services) {
            services.record(sp, forum, t, &self.state, &mut rec);
            self.activities.push(services.activities());
        }
        if self.consensus_round.is_none() && rec[Metric::Consensus.index()] == 1.0 {
            self.consensus_round = Some(t);
        }
        self.records.push(rec);
    }

    /// The result, keeping the final state only when asked (replicate 0, `--all-actors`).
    fn finish(mut self, scenario: &Scenario, plan: &Plan, keep_state: bool) -> ReplicateResult {
        let drawn = self.drawn.take();
        let (scenario, plan) = drawn.as_deref().map_or((scenario, plan), |(s, p)| (s, p));
        let graph = &scenario.forum.graph;
        let trust_out = if keep_state {
            (0..graph.n_actors())
                .map(|i| {
                    let slots = graph.slots(i);
                    if slots.is_empty() {
                        f64::NAN
                    } else {
                        self.state.trust[slots.clone()].iter().sum::<f64>() / slots.len() as f64
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        let units = unit_finals(
            &scenario.forum,
            &plan.schedule,
            &self.state,
            scenario.rounds,
        );
        let agencies = match (&self.services, &plan.services) {
            (Some(services), Some(sp)) if keep_state => Some(AgencyFinals {
                actors: sp.agencies.clone(),
                activities: services.by_agency.clone(),
                throughput: services.throughputs(sp, &self.state),
            }),
            _ => None,
        };
        let state = if keep_state {
            self.state
        } else {
            State {
                issues: self.state.issues,
                ..State::default()
            }
        };
        ReplicateResult {
            replicate: self.replicate,
            draw: scenario.draw_of(self.replicate),
            trust_out,
            records: self.records,
            groups: self.groups.unwrap_or_default(),
            consensus_round: self.consensus_round,
            state,
            initial_trust: self.initial_trust,
            activities: self.activities,
            agencies,
            units,
        }
    }
}

/// The result of a run: every replicate, in replicate order.
#[derive(Clone, Debug)]
pub struct RunResult {
    /// Rounds played.
    pub rounds: u32,
    /// Master seed used.
    pub seed: u64,
    /// Whether the services extension ran (its metrics are recorded).
    pub services: bool,
    /// Whether the levels extension ran (its metrics are recorded, and
    /// [`ReplicateResult::units`]).
    pub levels: bool,
    /// With levels of government: each unit (`units.csv`'s first columns), in unit order.
    pub units: Vec<UnitRow>,
    /// The groups of the per-group series, in the order of each round's values
    /// ([`ReplicateResult::groups`]).
    pub groups: Vec<String>,
    /// Replicates, in index order.
    pub replicates: Vec<ReplicateResult>,
}

/// Stops a run between rounds once cancelled, from any thread (a Ctrl-C handler, a web
/// request). Clones share the flag.
#[derive(Clone, Debug, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// A token not yet cancelled.
    pub fn new() -> CancelToken {
        CancelToken::default()
    }

    /// Asks the run to stop at its next round.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether it has been cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// The flag itself, for a signal handler to set.
    pub fn flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.0)
    }
}

/// A run stopped by its [`CancelToken`] before it finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the run was cancelled before it finished")]
pub struct Cancelled;

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
    // Nobody else holds this token, so the run cannot be cancelled.
    run_cancellable(scenario, options, on_replicate_done, &CancelToken::new()).unwrap_or_else(
        |Cancelled| RunResult {
            rounds: scenario.rounds,
            seed: scenario.seed,
            services: scenario.services.is_some(),
            levels: scenario.levels.is_some(),
            groups: Vec::new(),
            units: Vec::new(),
            replicates: Vec::new(),
        },
    )
}

/// Like [`run_with_progress`], stopping between rounds when `cancel` is cancelled.
/// Replicates run in parallel, each through all its rounds.
pub fn run_cancellable(
    scenario: &Scenario,
    options: &RunOptions,
    on_replicate_done: &(dyn Fn() + Sync),
    cancel: &CancelToken,
) -> Result<RunResult, Cancelled> {
    let plan = Plan::new(scenario);
    let results: Result<Vec<ReplicateResult>, Cancelled> = (0..scenario.replicates)
        .into_par_iter()
        .map(|r| {
            let mut replica = Replica::start(scenario, &plan, r, options);
            for t in 1..=scenario.rounds {
                if cancel.is_cancelled() {
                    return Err(Cancelled);
                }
                replica.step(scenario, &plan, t);
            }
            on_replicate_done();
            Ok(replica.finish(scenario, &plan, r == 0 || options.all_actors))
        })
        .collect();
    Ok(RunResult {
        rounds: scenario.rounds,
        seed: scenario.seed,
        services: scenario.services.is_some(),
        levels: scenario.levels.is_some(),
        groups: group_names(scenario, &plan, options),
        units: unit_rows(scenario),
        replicates: results?,
    })
}

/// A unit of government as `units.csv` names it.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitRow {
    /// Its index.
    pub unit: u32,
    /// 0, 1 or 2.
    pub level: u8,
    /// Its parent (the national government's is itself).
    pub parent: u32,
    /// Its name.
    pub name: String,
}

/// The units of a scenario with levels of government (none without).
fn unit_rows(scenario: &Scenario) -> Vec<UnitRow> {
    scenario.forum.levels.as_ref().map_or(Vec::new(), |l| {
        l.units
            .iter()
            .enumerate()
            .map(|(u, unit)| UnitRow {
                unit: u as u32,
                level: unit.level,
                parent: unit.parent,
                name: unit.name.clone(),
            })
            .collect()
    })
}

/// The groups of a run's per-group series (none when `options` skip them).
fn group_names(scenario: &Scenario, plan: &Plan, options: &RunOptions) -> Vec<String> {
    if options.skip_groups {
        Vec::new()
    } else {
        plan.schedule.groups().names(&scenario.forum.sectors)
    }
}

/// The statistics of one round over every replicate, as a live run reports them.
#[derive(Clone, Debug, PartialEq)]
pub struct RoundUpdate {
    /// The round (0 is the initial state).
    pub round: u32,
    /// The run's last round.
    pub rounds: u32,
    /// Each recorded metric's summary over replicates, in output order.
    pub stats: Vec<RoundStat>,
    /// Replicate 0's trust per relation slot after this round, when
    /// [`RunOptions::live_trust`] asks for it.
    pub trust: Option<Vec<f64>>,
    /// Replicate 0's commitment and power per actor after this round, with the trust.
    pub actors: Option<(Vec<f64>, Vec<f64>)>,
}

/// Runs every replicate round by round in lockstep (round t of every replicate, in
/// parallel, then round t + 1), calling `on_round` with each round's statistics over
/// replicates as soon as the round is done, so a page can draw while the model runs; stops
/// between rounds when `cancel` is cancelled. Every replicate's state is held at once
/// (replicates x [`state_bytes`]): for classroom forums, not for a million actors. The
/// result is identical to [`run`]'s: each replicate draws from its own generator.
pub fn run_live(
    scenario: &Scenario,
    options: &RunOptions,
    on_round: &(dyn Fn(&RoundUpdate) + Sync),
    cancel: &CancelToken,
) -> Result<RunResult, Cancelled> {
    let plan = Plan::new(scenario);
    let mut replicas: Vec<Replica> = (0..scenario.replicates)
        .into_par_iter()
        .map(|r| Replica::start(scenario, &plan, r, options))
        .collect();
    let mut scratch = Vec::with_capacity(replicas.len());
    let with_services = scenario.services.is_some();
    let mut report = |t: u32, replicas: &[Replica]| {
        let stats = Metric::recorded(Families::of(scenario))
            .map(|metric| RoundStat {
                round: t,
                metric,
                summary: summarize(
                    replicas
                        .iter()
                        .map(|r| r.records[t as usize][metric.index()]),
                    &mut scratch,
                ),
            })
            .collect();
        on_round(&RoundUpdate {
            round: t,
            rounds: scenario.rounds,
            stats,
            trust: options
                .live_trust
                .then(|| replicas.first().map(|r| r.state.trust.clone()))
                .flatten(),
            actors: options
                .live_trust
                .then(|| {
                    replicas
                        .first()
                        .map(|r| (r.state.commitment.clone(), r.state.power.clone()))
                })
                .flatten(),
        });
    };
    report(0, &replicas);
    for t in 1..=scenario.rounds {
        if cancel.is_cancelled() {
            return Err(Cancelled);
        }
        replicas
            .par_iter_mut()
            .for_each(|replica| replica.step(scenario, &plan, t));
        report(t, &replicas);
    }
    Ok(RunResult {
        rounds: scenario.rounds,
        seed: scenario.seed,
        services: with_services,
        levels: scenario.levels.is_some(),
        groups: group_names(scenario, &plan, options),
        units: unit_rows(scenario),
        replicates: replicas
            .into_iter()
            .map(|r| {
                let keep = r.replicate == 0 || options.all_actors;
                r.finish(scenario, &plan, keep)
            })
            .collect(),
    })
}

/// Per-round statistics of one group metric of one group over replicates.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupStat {
    /// Round.
    pub round: u32,
    /// Group metric.
    pub metric: GroupMetric,
    /// The group, by its index in [`RunResult::groups`].
    pub group: usize,
    /// Summary over replicates.
    pub summary: Summary,
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
    /// The families of metrics this run recorded.
    pub fn families(&self) -> Families {
        Families {
            services: self.services,
            levels: self.levels,
        }
    }

    /// The metrics this run recorded, in output order.
    pub fn metrics(&self) -> Vec<Metric> {
        Metric::recorded(self.families()).collect()
    }

    /// Statistics per round and recorded metric, rounds ascending, metrics in output order.
    pub fn round_stats(&self) -> Vec<RoundStat> {
        let metrics = self.metrics();
        let mut out = Vec::with_capacity((self.rounds as usize + 1) * metrics.len());
        let mut scratch = Vec::with_capacity(self.replicates.len());
        for t in 0..=self.rounds as usize {
            for &metric in &metrics {
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

    /// Statistics of the per-group series per round over replicates, rounds ascending, then
    /// metric ([`GroupMetric::ALL`]), then group (in [`RunResult::groups`]' order). Rounds
    /// are summarised in parallel and collected in order, so the result never depends on
    /// threads.
    pub fn group_stats(&self) -> Vec<GroupStat> {
        let per_round = GroupMetric::ALL.len() * self.groups.len();
        (0..=self.rounds as usize)
            .into_par_iter()
            .flat_map_iter(|t| {
                let mut scratch = Vec::with_capacity(self.replicates.len());
                let mut out = Vec::with_capacity(per_round);
                for (m, metric) in GroupMetric::ALL.into_iter().enumerate() {
                    for group in 0..self.groups.len() {
                        let at = t * per_round + m * self.groups.len() + group;
                        let values = self
                            .replicates
                            .iter()
                            .map(|r| r.groups.get(at).copied().unwrap_or(f64::NAN));
                        out.push(GroupStat {
                            round: t as u32,
                            metric,
                            group,
                            summary: summarize(values, &mut scratch),
                        });
                    }
                }
                out
            })
            .collect()
    }

    /// With services: statistics of each activity's count per round over replicates, as
    /// `(round, activity name, summary)`, rounds ascending, activities in the seed's order.
    pub fn activity_stats(&self) -> Vec<(u32, &'static str, Summary)> {
        let mut out = Vec::new();
        if !self.services {
            return out;
        }
        let mut scratch = Vec::with_capacity(self.replicates.len());
        for t in 0..=self.rounds as usize {
            for (k, name) in ACTIVITIES.iter().enumerate() {
                let values = self
                    .replicates
                    .iter()
                    .map(|r| r.activities.get(t).map_or(f64::NAN, |a| f64::from(a[k])));
                out.push((t as u32, *name, summarize(values, &mut scratch)));
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

    /// Network draws the replicates ran on.
    pub fn network_draws(&self) -> usize {
        let mut draws: Vec<u32> = self.replicates.iter().map(|r| r.draw).collect();
        draws.sort_unstable();
        draws.dedup();
        draws.len()
    }

    /// A metric's final mean with the 95 % interval of the run's design
    /// ([`crate::stats::nested`]).
    pub fn final_interval(&self, metric: Metric) -> crate::stats::Nested {
        crate::stats::nested(self.replicates.iter().map(|r| {
            (
                r.draw,
                r.records.last().map_or(f64::NAN, |rec| rec[metric.index()]),
            )
        }))
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
