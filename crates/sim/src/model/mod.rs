//! One replicate of CG-1: its state, its initial draw and its rounds, exactly as
//! docs/model.md states them, step by step (`participation`, `dialogues`, `commitment`,
//! `small_win`, `record`). The machinery that makes them fast without changing a result
//! (fixed-point sums, the logistic table, lanes, read-ahead) is in `kernels.rs`.
//!
//! Random numbers are drawn in a fixed order, so a replicate is a pure function of the
//! forum, the parameters and its generator:
//! - initial state: for each actor in index order, power, capacity, culture, commitment, then
//!   each issue of its view (a value fixed by the scenario, or a `constant`, draws nothing);
//!   then each trust slot in slot order; what joins or appears after round 0 the same way
//!   from a generator of its own (`run::later_rng`), so it changes no earlier draw;
//! - each round: participation (one uniform per existing non-state actor when
//!   `0 < inclusiveness < 1`), the shuffle of the speaking order, then per dialogue the
//!   partner (an index among the neighbours whose relation exists, drawn again while it
//!   does not take part, up to 8 times, then an index among those that do), the silo draw (only for a cross-sector
//!   pair when `silo > 0` and no task force exempts it) and the good-faith draw; finally one
//!   uniform for the small win when anyone took part.

use collabgov_core::scenario::levels::{LOCAL, VERTICAL};
use collabgov_core::scenario::{Exempt, Routing, Setting};
use collabgov_core::{Forum, Params, Scenario};
use rand::seq::SliceRandom;
use rand::{Rng, RngExt};
use rayon::prelude::*;

use crate::metrics::{Metric, N_METRICS, Record};

pub mod groups;
mod kernels;
pub mod levels;
pub mod services;

use groups::{Cell, Groups};

use kernels::{
    FIXED_ONE, count_bits, fixed, masked, mean, participants_trust, takes_part, warm_dialogues,
    warm_rows,
};
pub use kernels::{below_logistic, lane_sum};

/// The mutable state of one replicate, in flat vectors indexed like the forum.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct State {
    /// Power `p_i` per actor.
    pub power: Vec<f64>,
    /// Capacity `k_i` per actor.
    pub capacity: Vec<f64>,
    /// Culture `q_i` per actor.
    pub culture: Vec<f64>,
    /// Commitment `c_i` per actor.
    pub commitment: Vec<f64>,
    /// Views, `issues` values per actor (`views[i * issues + d]`).
    pub views: Vec<f64>,
    /// Trust per slot of the relation graph. Change it with [`State::set_trust`], which keeps
    /// `trust_sums` in step.
    pub trust: Vec<f64>,
    /// Sums of the trust of slots by class ([`trust_class`]: the cell of the actor holding
    /// the trust, and whether the relation is within a sector as built), in units of
    /// 2^-52: each trust is rounded to a multiple of 2^-52 and the sums are integers, so
    /// updating them with each change gives exactly the sum a full pass would, and the
    /// trust metrics (overall, within and across sectors, by sector and by kind) need no
    /// pass over the relations.
    pub trust_sums: Vec<i128>,
    /// Issues D.
    pub issues: usize,
}

impl State {
    /// Sets the trust of `slot`, of class `class` ([`trust_class`]), keeping
    /// [`State::trust_sums`] in step.
    #[inline]
    pub fn set_trust(&mut self, slot: usize, class: u32, value: f64) {
        self.trust_sums[class as usize] += fixed(value) - fixed(self.trust[slot]);
        self.trust[slot] = value;
    }

    /// Draws the initial state of one replicate: what exists at round 0 from `rng`, what
    /// an intervention or a later join brings (actors that join after round 0, relations
    /// that appear later or touch such an actor) from `later`, so a scenario that differs
    /// only from round t on draws the same initial state for everything that exists before
    /// t (paired comparisons).
    pub fn draw<R: Rng + ?Sized>(
        forum: &Forum,
        issues: usize,
        rng: &mut R,
        later: &mut R,
    ) -> State {
        let n = forum.n_actors();
        let mut s = State {
            power: vec![0.0; n],
            capacity: vec![0.0; n],
            culture: vec![0.0; n],
            commitment: vec![0.0; n],
            views: vec![0.0; n * issues],
            trust: vec![0.0; forum.graph.n_slots()],
            trust_sums: vec![0; trust_classes(forum)],
            issues,
        };
        let late_actor = |i: usize| forum.joins_at[i] > 0;
        // Nothing joins or appears later: one pass, every draw from `rng`.
        let any_late = forum.last_join > 0 || forum.windows.is_some();
        for late in [false, true] {
            if late && !any_late {
                break;
            }
            let rng: &mut R = if late { &mut *later } else { &mut *rng };
            // With regional views (CG-3), every actor's power, capacity, culture and
            // commitment come first, then each province's framing, then the views.
            let framed = forum.levels.as_ref().filter(|l| {
                l.regional_views > 0.0 && !late && l.units.iter().any(|u| u.level == 1)
            });
            for (i, actor) in forum.actors.iter().enumerate() {
                if late_actor(i) != late {
                    continue;
                }
                let profile = &forum.profiles[actor.profile as usize];
                let fixed = actor.fixed.as_deref();
                let mut pick = |value: Option<f64>, dist: &collabgov_core::Dist| {
                    value.unwrap_or_else(|| dist.sample(rng))
                };
                s.power[i] = pick(fixed.and_then(|f| f.power), &profile.power);
                s.capacity[i] = pick(fixed.and_then(|f| f.capacity), &profile.capacity);
                s.culture[i] = pick(fixed.and_then(|f| f.culture), &profile.culture);
                s.commitment[i] = pick(fixed.and_then(|f| f.commitment), &profile.commitment);
                if framed.is_none() {
                    s.draw_view(forum, i, rng);
                }
            }
            if let Some(l) = framed {
                let framings = framings(l, issues, rng);
                for i in 0..n {
                    if late_actor(i) {
                        continue;
                    }
                    s.draw_view(forum, i, rng);
                    let province = l.province_of(l.unit_of[i]).map(|p| p as usize - 1);
                    if let Some(f) = province.map(|p| &framings[p * issues..(p + 1) * issues]) {
                        let fixed = forum.actors[i].fixed.as_deref();
                        if fixed.and_then(|f| f.view.as_ref()).is_none() {
                            let rho = l.regional_views;
                            for (v, &f) in s.views[i * issues..(i + 1) * issues].iter_mut().zip(f) {
                                *v = (1.0 - rho) * *v + rho * f;
                            }
                        }
                    }
                }
            }
            for i in 0..n {
                for (slot, &j) in forum.graph.slots(i).zip(forum.graph.neighbors(i)) {
                    let is_late = any_late
                        && (late_actor(i)
                            || late_actor(j as usize)
                            || forum.windows.as_ref().is_some_and(|w| w[slot].from > 0));
                    if is_late != late {
                        continue;
                    }
                    let same = forum.same_sector[slot];
                    let given = forum.fixed_trust.as_ref().map_or(f64::NAN, |f| f[slot]);
                    let t = if !given.is_nan() {
                        given
                    } else if same {
                        forum.trust_within.sample(rng)
                    } else {
                        forum.trust_across.sample(rng)
                    };
                    s.trust[slot] = t;
                    s.trust_sums[trust_class(forum, i, slot) as usize] += fixed(t);
                }
            }
        }
        s
    }
}

/// Each province's framing (CG-3): a uniform value per issue, province by province in unit
/// order; province `u` (units 1..=P) at `[(u - 1) * issues..u * issues]`.
fn framings<R: Rng + ?Sized>(
    levels: &collabgov_core::scenario::levels::ForumLevels,
    issues: usize,
    rng: &mut R,
) -> Vec<f64> {
    let provinces = levels.units.iter().filter(|u| u.level == 1).count();
    (0..provinces * issues)
        .map(|_| rng.random::<f64>())
        .collect()
}

impl State {
    /// Actor `i`'s view: the scenario's, or drawn issue by issue from its profile.
    fn draw_view<R: Rng + ?Sized>(&mut self, forum: &Forum, i: usize, rng: &mut R) {
        let issues = self.issues;
        let actor = &forum.actors[i];
        let view = &mut self.views[i * issues..(i + 1) * issues];
        match actor.fixed.as_deref().and_then(|f| f.view.as_ref()) {
            Some(given) => view.copy_from_slice(given),
            None => {
                let profile = &forum.profiles[actor.profile as usize];
                for (v, dist) in view.iter_mut().zip(&profile.view) {
                    *v = dist.sample(rng);
                }
            }
        }
    }
}

/// The class of a trust slot held by actor `source` (the trust `T_source,j`) on the relation
/// of `slot` (either of its two slots): `2 * cell + same`, where the cell is the source's
/// sector and kind ([`Forum::cell_of`]) and `same` whether the relation is within a sector;
/// with levels of government, plus `2 * cells * kind`, the relation's kind (local,
/// vertical, peer, distant). [`State::trust_sums`] keeps one sum per class.
#[inline]
pub fn trust_class(forum: &Forum, source: usize, slot: usize) -> u32 {
    let base = 2 * forum.cell_of[source] + u32::from(forum.same_sector[slot]);
    match &forum.levels {
        None => base,
        Some(l) => base + 2 * forum.n_cells() as u32 * u32::from(l.relation[slot]),
    }
}

/// Number of trust classes of `forum`: two per cell, times the relation kinds with levels.
pub fn trust_classes(forum: &Forum) -> usize {
    let kinds = if forum.levels.is_some() {
        collabgov_core::scenario::levels::RELATION_KINDS
    } else {
        1
    };
    2 * forum.n_cells() * kinds
}

/// What holds in one round besides the parameters: merged sectors, task forces, which
/// actors and relations exist.
#[derive(Clone, Debug)]
pub struct RoundSetting {
    /// Parameters in force.
    pub params: Params,
    /// Effective sector of each sector (after merges).
    pub group: Vec<u32>,
    /// Pairs of effective sectors whose dialogues are not blocked.
    pub exempt: Exempt,
    /// Whether any sectors are merged in this round.
    pub merged: bool,
    /// Service pattern and coordinator in force (services extension).
    pub routing: Routing,
    /// Agencies whose pairs sign mutual aid agreements this round.
    pub signing: Vec<Vec<u32>>,
    /// The autonomy `a` in force (levels of government).
    pub autonomy: f64,
    /// The control `chi` in force.
    pub control: f64,
    /// Powers every agency of each level takes at the start of this round (a `rebalance`).
    pub repower: Option<[f64; 3]>,
}

/// Reusable buffers of one replicate, so a round allocates nothing (except the blocks passed
/// between the two tasks of a large forum's dialogues).
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    /// Bit per actor: takes part this round (a bitset stays in cache for large forums).
    taking_part: Vec<u64>,
    /// This round's participants in index order.
    members: Vec<u32>,
    /// This round's speaking order.
    order: Vec<u32>,
    /// Bit per relation (its lower slot): carried a productive dialogue this round.
    productive_bits: Vec<u64>,
    /// Both slots of each relation that carried a productive dialogue this round.
    productive_slots: Vec<Productive>,
    /// The block of dialogues being drawn and played (when drawn and played by one task).
    drawn: Vec<Drawn>,
    /// `(round, slot, class, trust)` of intervention relations that appear with a given
    /// trust.
    activations: Vec<(u32, u32, u32, f64)>,
    /// The first activation not yet applied.
    next_activation: usize,
    /// This round's productive dialogues `(i, j)` between two agencies, kept only when
    /// services count joint planning.
    pub productive_pairs: Option<Vec<(u32, u32)>>,
    /// This round's sums per cell, for the per-group series.
    cells: Vec<Cell>,
    /// The regency units' mean views (levels of government).
    unit_views: Vec<f64>,
}

/// Both trust slots of a relation that carried a productive dialogue, with their classes.
#[derive(Clone, Copy, Debug)]
struct Productive {
    slots: [u32; 2],
    classes: [u32; 2],
}

/// The schedule of a run: parameters, merges and task forces round by round.
#[derive(Clone, Debug)]
pub struct Schedule {
    settings: Vec<RoundSetting>,
    /// Trust slots per class ([`trust_class`]).
    class_slots: Vec<usize>,
    /// Actors per cell ([`Forum::cell_of`]).
    cell_actors: Vec<usize>,
    /// The actors as runs of neighbouring actors of one cell, in index order.
    cell_runs: Vec<CellRun>,
    /// Trust slots within a sector (as built).
    n_within: usize,
    /// Trust slots across sectors (as built).
    n_across: usize,
    /// The groups of the per-group series.
    groups: Groups,
}

/// Actors `start..end`, all of cell `cell`.
#[derive(Clone, Copy, Debug)]
struct CellRun {
    start: u32,
    end: u32,
    cell: u32,
}

impl Schedule {
    /// Resolves the scenario's interventions into one setting per round
    /// `0..=scenario.rounds`, each intervention changing what its own effect says, over the
    /// rounds it says.
    pub fn new(scenario: &Scenario) -> Schedule {
        let (forum, interventions, rounds) =
            (&scenario.forum, &scenario.interventions, scenario.rounds);
        let n_sectors = forum.sectors.len();
        // Nothing changes after the last change of any intervention, so settings are kept
        // only up to there and `at` repeats the last one.
        let horizon = interventions
            .iter()
            .map(|iv| iv.effect().last_change())
            .max()
            .unwrap_or(0)
            .min(rounds);
        let mut settings = Vec::with_capacity(horizon as usize + 1);
        let mut setting = Setting {
            params: scenario.params,
            group: (0..n_sectors as u32).collect(),
            exempt: Exempt::default(),
            n_sectors,
            routing: scenario
                .services
                .as_ref()
                .map_or(Routing::default(), |s| Routing {
                    pattern: s.pattern,
                    coordinator: s.coordinator,
                }),
            signing: Vec::new(),
            autonomy: scenario.levels.as_ref().map_or(0.0, |l| l.autonomy),
            control: scenario.levels.as_ref().map_or(0.0, |l| l.control),
            repower: None,
        };
        for t in 0..=horizon {
            setting.signing.clear();
            setting.repower = None;
            for iv in interventions {
                iv.effect().change(t, &mut setting);
            }
            setting.exempt.clear();
            for iv in interventions {
                iv.effect().exempt(t, &mut setting);
            }
            let merged = setting
                .group
                .iter()
                .enumerate()
                .any(|(s, &g)| g as usize != s);
            settings.push(RoundSetting {
                params: setting.params,
                group: setting.group.clone(),
                exempt: setting.exempt.clone(),
                merged,
                routing: setting.routing,
                signing: setting.signing.clone(),
                autonomy: setting.autonomy,
                control: setting.control,
                repower: setting.repower,
            });
        }
        let mut class_slots = vec![0; trust_classes(forum)];
        let mut cell_actors = vec![0; forum.n_cells()];
        for i in 0..forum.n_actors() {
            cell_actors[forum.cell_of[i] as usize] += 1;
            for slot in forum.graph.slots(i) {
                class_slots[trust_class(forum, i, slot) as usize] += 1;
            }
        }
        let mut cell_runs: Vec<CellRun> = Vec::new();
        for (i, &cell) in forum.cell_of.iter().enumerate() {
            match cell_runs.last_mut() {
                Some(run) if run.cell == cell => run.end = i as u32 + 1,
                _ => cell_runs.push(CellRun {
                    start: i as u32,
                    end: i as u32 + 1,
                    cell,
                }),
            }
        }
        let n_within = class_slots.iter().skip(1).step_by(2).sum();
        Schedule {
            settings,
            n_within,
            n_across: forum.graph.n_slots() - n_within,
            class_slots,
            cell_actors,
            cell_runs,
            groups: Groups::of(forum),
        }
    }

    /// The groups of the per-group series.
    pub fn groups(&self) -> Groups {
        self.groups
    }

    /// The setting of round `t`.
    pub fn at(&self, t: u32) -> &RoundSetting {
        &self.settings[(t as usize).min(self.settings.len() - 1)]
    }
}

/// Draws of a random neighbour before falling back to counting the eligible ones.
const REJECTION_TRIES: usize = 8;

/// Speakers whose random numbers are drawn before their dialogues are played.
const DIALOGUE_BLOCK: usize = 256;

/// Above this many trust slots (2 MiB of trust) the forum no longer fits in a core's cache:
/// the memory of each block of dialogues is read ahead of playing them, blocks are drawn and
/// played by two tasks at once, and the commitment step runs in parallel.
pub const LARGE_FORUM_SLOTS: usize = 1 << 18;

/// One dialogue of step 2, drawn and not yet played.
#[derive(Clone, Copy, Debug, Default)]
struct Drawn {
    /// The speaker.
    i: u32,
    /// The partner.
    j: u32,
    /// Slot of `T_ij`.
    slot_ij: u32,
    /// Slot of `T_ji`.
    slot_ji: u32,
    /// The uniform compared with the chance of a productive dialogue.
    u: f64,
    /// Class of `T_ij` ([`trust_class`]).
    class_ij: u32,
    /// Class of `T_ji`.
    class_ji: u32,
}

/// Draws speaker `i`'s partner uniformly among its neighbours that take part (and whose
/// relation exists in round `t`); `None` when there is none. Returns the slot of `T_ij`
/// and `j`.
#[inline(always)]
fn draw_partner<R: Rng + ?Sized>(
    forum: &Forum,
    taking_part: &[u64],
    everyone: bool,
    i: usize,
    t: u32,
    rng: &mut R,
) -> Option<(usize, usize)> {
    let row = forum.graph.slots(i);
    let neighbors = forum.graph.neighbors(i);
    let degree = row.len();
    let found = |pos: usize| Some((row.start + pos, neighbors[pos] as usize));
    if degree == 0 {
        return None;
    }
    if everyone {
        return found(rng.random_range(0..degree));
    }
    if let Some(windows) = &forum.windows {
        // Draw among the relations that exist this round, indexed in neighbour order, as
        // the same forum without the relations that appear later draws among all of its:
        // a relation an intervention adds changes no draw before it exists (paired
        // comparisons). The same rejection, then counting, as below.
        let windows = &windows[row.clone()];
        let existing = || (0..degree).filter(|&pos| windows[pos].contains(t));
        let n_existing = existing().count();
        if n_existing == 0 {
            return None;
        }
        let joins = |pos: usize| takes_part(taking_part, neighbors[pos] as usize);
        for _ in 0..REJECTION_TRIES {
            let k = rng.random_range(0..n_existing);
            if let Some(pos) = existing().nth(k)
                && joins(pos)
            {
                return found(pos);
            }
        }
        let count = existing().filter(|&pos| joins(pos)).count();
        if count == 0 {
            return None;
        }
        let pick = rng.random_range(0..count);
        return existing()
            .filter(|&pos| joins(pos))
            .nth(pick)
            .and_then(found);
    }
    // Draw among all neighbours and retry while the draw is not eligible (each accepted draw
    // is uniform over the eligible ones); after a few misses, count the eligible ones and
    // draw among them.
    let eligible = |pos: usize| {
        takes_part(taking_part, neighbors[pos] as usize)
            && relation_exists(forum, row.start + pos, t)
    };
    for _ in 0..REJECTION_TRIES {
        let pos = rng.random_range(0..degree);
        if eligible(pos) {
            return found(pos);
        }
    }
    let count = (0..degree).filter(|&pos| eligible(pos)).count();
    if count == 0 {
        return None;
    }
    let pick = rng.random_range(0..count);
    (0..degree)
        .filter(|&pos| eligible(pos))
        .nth(pick)
        .and_then(found)
}

/// Plays one held dialogue (step 2 of docs/model.md); returns whether it was productive.
/// Inlined into each of `play_block`'s two forms (with and without listing).
#[inline(always)]
fn play_dialogue(p: &Params, d: &Drawn, state: &mut State, powers: &impl Powers) -> bool {
    let (i, j) = (d.i as usize, d.j as usize);
    let (slot_ij, slot_ji) = (d.slot_ij as usize, d.slot_ji as usize);
    let b = &p.good_faith;
    let (t_ij, t_ji) = (state.trust[slot_ij], state.trust[slot_ji]);
    let m = (t_ij + t_ji) / 2.0;
    let (mut p_i, mut p_j) = (state.power[i], state.power[j]);
    powers.adjust(slot_ij, i, j, &mut p_i, &mut p_j);
    let z = b.b0 + b.b_t * m + b.b_l * p.leadership + b.b_g * p.ground_rules
        - b.b_p * (1.0 - p.leadership) * (p_i - p_j).abs();
    if !below_logistic(d.u, z) {
        state.set_trust(slot_ij, d.class_ij, t_ij - p.trust_loss * t_ij);
        state.set_trust(slot_ji, d.class_ji, t_ji - p.trust_loss * t_ji);
        return false;
    }
    state.set_trust(slot_ij, d.class_ij, t_ij + p.trust_gain * (1.0 - t_ij));
    state.set_trust(slot_ji, d.class_ji, t_ji + p.trust_gain * (1.0 - t_ji));
    let issues = state.issues;
    let (xi, xj) = (i * issues, j * issues);
    let mut gap = 0.0f64;
    for d in 0..issues {
        gap = gap.max((state.views[xi + d] - state.views[xj + d]).abs());
    }
    if gap <= p.confidence + p.confidence_trust * m {
        let s = p_i + p_j;
        let (w_i, w_j) = if s == 0.0 {
            (1.0, 1.0)
        } else {
            let l = p.leadership;
            (l + (1.0 - l) * 2.0 * p_j / s, l + (1.0 - l) * 2.0 * p_i / s)
        };
        let a_i = p.convergence * state.culture[i] * w_i;
        let a_j = p.convergence * state.culture[j] * w_j;
        for d in 0..issues {
            let diff = state.views[xj + d] - state.views[xi + d];
            state.views[xi + d] += a_i * diff;
            state.views[xj + d] -= a_j * diff;
        }
    }
    true
}

/// Whether a dialogue on slot `slot` between `i` and `j` crosses sectors (after merges) and
/// no task force exempts it from the silo.
#[inline]
fn crosses_silo(forum: &Forum, setting: &RoundSetting, slot: usize, i: usize, j: usize) -> bool {
    if !setting.merged && setting.exempt.is_empty() {
        // The per-slot flag sits next to the speaker's row, already in cache.
        return !forum.same_sector[slot];
    }
    let gi = setting.group[forum.sector_of[i] as usize] as usize;
    let gj = setting.group[forum.sector_of[j] as usize] as usize;
    gi != gj && !setting.exempt.holds(gi, gj)
}

#[inline]
fn relation_exists(forum: &Forum, slot: usize, t: u32) -> bool {
    forum.windows.as_ref().is_none_or(|w| w[slot].contains(t))
}

/// Counters of one round.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RoundCounts {
    /// Dialogues held.
    pub held: u64,
    /// Productive dialogues.
    pub productive: u64,
    /// Dialogues blocked by silos.
    pub blocked: u64,
    /// Whether a small win happened.
    pub win: bool,
    /// Participants.
    pub participants: u64,
    /// Of `blocked`, the dialogues refused for autonomy between vertical units (`[0]`) and
    /// between the others (`[1]`) (levels of government).
    pub blocked_autonomy: [u64; 2],
    /// Dialogues between governments that drew the autonomy check (passed the silo, not
    /// exempt, a refusal chance above 0), vertical and others.
    pub between: [u64; 2],
}

impl RoundCounts {
    fn add_blocked(&mut self, b: Blocked) {
        self.blocked += b.total;
        for k in 0..2 {
            self.blocked_autonomy[k] += b.autonomy[k];
            self.between[k] += b.between[k];
        }
    }
}

impl Scratch {
    /// Buffers sized for `forum`, with the trust activations of intervention relations.
    pub fn new(forum: &Forum) -> Scratch {
        let mut activations = Vec::new();
        if let Some(windows) = &forum.windows {
            for i in 0..forum.n_actors() {
                for slot in forum.graph.slots(i) {
                    if let Some(trust) = windows[slot].trust {
                        let class = trust_class(forum, i, slot);
                        activations.push((windows[slot].from, slot as u32, class, trust));
                    }
                }
            }
            activations.sort_by_key(|a| (a.0, a.1));
        }
        Scratch {
            taking_part: vec![0; forum.n_actors().div_ceil(64)],
            members: Vec::with_capacity(forum.n_actors()),
            order: Vec::with_capacity(forum.n_actors()),
            productive_bits: vec![0; forum.graph.n_slots().div_ceil(64)],
            productive_slots: Vec::new(),
            drawn: Vec::with_capacity(DIALOGUE_BLOCK),
            activations,
            next_activation: 0,
            productive_pairs: None,
            cells: Vec::new(),
            unit_views: Vec::new(),
        }
    }
}

/// Plays one round `t >= 1` (steps 0 to 4 of docs/model.md) and returns its counters.
pub fn play_round<R: Rng + Send + ?Sized>(
    forum: &Forum,
    schedule: &Schedule,
    t: u32,
    state: &mut State,
    scratch: &mut Scratch,
    rng: &mut R,
) -> RoundCounts {
    let p = &schedule.at(t).params;
    if let Some(pairs) = &mut scratch.productive_pairs {
        pairs.clear();
    }
    activate(t, state, scratch);
    repower(forum, schedule, t, state);
    participation(forum, p, t, scratch, rng);
    let everyone = scratch.members.len() == forum.n_actors() && forum.windows.is_none();
    let mut counts = dialogues(forum, schedule, t, everyone, state, scratch, rng);
    counts.participants = scratch.members.len() as u64;
    commitment(forum, p, t, state, scratch);
    counts.win = small_win(p, state, scratch, rng);
    for played in &scratch.productive_slots {
        let [slot_ij, slot_ji] = played.slots;
        scratch.productive_bits[slot_ij.min(slot_ji) as usize / 64] = 0;
    }
    scratch.productive_slots.clear();
    counts
}

/// Step 0 with levels of government: a `rebalance` in round `t` gives every agency of each
/// level its power.
fn repower(forum: &Forum, schedule: &Schedule, t: u32, state: &mut State) {
    let (Some(power), Some(l)) = (schedule.at(t).repower, &forum.levels) else {
        return;
    };
    for (i, p) in state.power.iter_mut().enumerate() {
        if forum.is_agency[i] {
            *p = power[l.level_of[i] as usize];
        }
    }
}

/// Step 0: relations that appear in round `t` take their given trust.
fn activate(t: u32, state: &mut State, scratch: &mut Scratch) {
    while let Some(&(from, slot, class, trust)) = scratch.activations.get(scratch.next_activation) {
        if from > t {
            break;
        }
        if from == t {
            state.set_trust(slot as usize, class, trust);
        }
        scratch.next_activation += 1;
    }
}

/// Step 1: who takes part (`taking_part`, and `members` in index order).
#[inline(never)]
fn participation<R: Rng + ?Sized>(
    forum: &Forum,
    p: &Params,
    t: u32,
    scratch: &mut Scratch,
    rng: &mut R,
) {
    // Every actor is written at the next free place and the count moves on only for those
    // taking part: no unpredictable branch.
    let n = forum.n_actors();
    scratch.members.resize(n, 0);
    let mut count = 0;
    for i in 0..n {
        let exists = forum.joins_at[i] <= t;
        let takes_part = exists
            && (forum.is_agency[i]
                || p.inclusiveness >= 1.0
                || (p.inclusiveness > 0.0 && rng.random::<f64>() < p.inclusiveness));
        let (word, bit) = (i / 64, i % 64);
        scratch.taking_part[word] =
            (scratch.taking_part[word] & !(1u64 << bit)) | ((takes_part as u64) << bit);
        scratch.members[count] = i as u32;
        count += takes_part as usize;
    }
    scratch.members.truncate(count);
}

/// Step 2: face-to-face dialogue, each participant speaking once in a fresh random order.
///
/// Speakers are taken in blocks: first the block's random numbers are drawn in speaking order
/// (the partner, the silo draw, the good-faith uniform; none depends on trust or views, so
/// the stream is the one drawing each just before its dialogue would use), then its dialogues
/// are played in order. In a large forum the memory the block will touch is read in between
/// with independent loads, so that its cache misses overlap instead of being paid one after
/// another.
#[inline(never)]
fn dialogues<R: Rng + Send + ?Sized>(
    forum: &Forum,
    schedule: &Schedule,
    t: u32,
    everyone: bool,
    state: &mut State,
    scratch: &mut Scratch,
    rng: &mut R,
) -> RoundCounts {
    let setting = schedule.at(t);
    let p = &setting.params;
    let large = forum.graph.n_slots() > LARGE_FORUM_SLOTS;
    scratch.order.clear();
    scratch.order.extend_from_slice(&scratch.members);
    scratch.order.shuffle(rng);
    let Scratch {
        taking_part,
        order,
        productive_bits,
        productive_slots,
        drawn,
        productive_pairs,
        ..
    } = scratch;
    let mut pairs = productive_pairs.as_mut();
    let control = forum
        .levels
        .as_ref()
        .filter(|_| setting.control > 0.0)
        .map(|l| Control {
            chi: setting.control,
            relation: &l.relation,
            level_of: &l.level_of,
        });
    // Plays a block, listing its productive agency-agency dialogues when asked.
    // Plays a block: with or without control (CG-3), listing its productive agency-agency
    // dialogues when asked; each combination compiled on its own.
    let mut play = |block: &[Drawn], state: &mut State, pairs: Option<&mut Vec<(u32, u32)>>| {
        let (bits, slots) = (&mut *productive_bits, &mut *productive_slots);
        match (pairs, &control) {
            (Some(pairs), c) => {
                let mut listed = AgencyPairs {
                    is_agency: &forum.is_agency,
                    pairs,
                };
                match c {
                    Some(c) => play_block(p, c, block, large, state, bits, slots, &mut listed),
                    None => play_block(p, &Stored, block, large, state, bits, slots, &mut listed),
                }
            }
            (None, Some(c)) => play_block(p, c, block, large, state, bits, slots, &mut NotListed),
            (None, None) => {
                play_block(p, &Stored, block, large, state, bits, slots, &mut NotListed)
            }
        }
    };
    let draw = |speakers: &[u32], drawn: &mut Vec<Drawn>, rng: &mut R| {
        let present = Present {
            t,
            everyone,
            taking_part,
        };
        if forum.levels.is_some() {
            draw_block::<R, true>(forum, setting, present, speakers, large, drawn, rng)
        } else {
            draw_block::<R, false>(forum, setting, present, speakers, large, drawn, rng)
        }
    };
    let mut counts = RoundCounts::default();
    if large && rayon::current_num_threads() > 1 {
        // A large forum on several threads: one task draws the blocks while another plays
        // them, in order, as they arrive. Drawing never waits for playing, so the two run
        // one after the other when no thread is free to take the second.
        let (sender, receiver) = std::sync::mpsc::channel::<Vec<Drawn>>();
        let (blocked, (held, productive)) = rayon::join(
            move || {
                let mut blocked = Blocked::default();
                for speakers in order.chunks(DIALOGUE_BLOCK) {
                    let mut block = Vec::with_capacity(speakers.len());
                    blocked.add(draw(speakers, &mut block, rng));
                    if sender.send(block).is_err() {
                        break;
                    }
                }
                blocked
            },
            || {
                let mut played = (0, 0);
                for block in receiver {
                    let (held, productive) = play(&block, state, pairs.as_deref_mut());
                    played = (played.0 + held, played.1 + productive);
                }
                played
            },
        );
        counts.add_blocked(blocked);
        (counts.held, counts.productive) = (held, productive);
    } else {
        for speakers in order.chunks(DIALOGUE_BLOCK) {
            counts.add_blocked(draw(speakers, drawn, rng));
            let (held, productive) = play(drawn, state, pairs.as_deref_mut());
            counts.held += held;
            counts.productive += productive;
        }
    }
    counts
}

/// Who may be drawn as a partner in round `t`: everyone, or those whose bit is set in
/// `taking_part`.
#[derive(Clone, Copy)]
struct Present<'a> {
    t: u32,
    everyone: bool,
    taking_part: &'a [u64],
}

/// What drawing a block of dialogues blocked.
#[derive(Clone, Copy, Debug, Default)]
struct Blocked {
    /// Blocked by the silo or refused for autonomy (CG-1's `blocked`).
    total: u64,
    /// Refused for autonomy, between vertical units (`[0]`) and the others (`[1]`).
    autonomy: [u64; 2],
    /// Dialogues between governments that drew the autonomy check, vertical and others.
    between: [u64; 2],
}

impl Blocked {
    fn add(&mut self, other: Blocked) {
        self.total += other.total;
        for k in 0..2 {
            self.autonomy[k] += other.autonomy[k];
            self.between[k] += other.between[k];
        }
    }
}

/// Draws the dialogues of a block of speakers, in speaking order, into `drawn`; returns what
/// the silo and autonomy blocked.
#[inline(never)]
fn draw_block<R: Rng + ?Sized, const LEVELS: bool>(
    forum: &Forum,
    setting: &RoundSetting,
    present: Present<'_>,
    speakers: &[u32],
    large: bool,
    drawn: &mut Vec<Drawn>,
    rng: &mut R,
) -> Blocked {
    let Present {
        t,
        everyone,
        taking_part,
    } = present;
    let p = &setting.params;
    let graph = &forum.graph;
    if large {
        warm_rows(graph, &forum.same_sector, speakers);
    }
    let mut blocked = Blocked::default();
    // Levels of government whose autonomy may refuse a dialogue between governments.
    let between = if LEVELS {
        forum.levels.as_ref().filter(|_| setting.autonomy > 0.0)
    } else {
        None
    };
    // A slot's class: CG-1's two per cell, or with levels by relation kind too.
    let class = |holder: usize, slot: usize| {
        if LEVELS {
            trust_class(forum, holder, slot)
        } else {
            2 * forum.cell_of[holder] + u32::from(forum.same_sector[slot])
        }
    };
    drawn.clear();
    for &speaker in speakers {
        let i = speaker as usize;
        let Some((slot_ij, j)) = draw_partner(forum, taking_part, everyone, i, t, rng) else {
            continue;
        };
        // A task force or union of units (CG-3) lifts silo and autonomy among them.
        let free = LEVELS
            && setting.exempt.has_units()
            && forum
                .levels
                .as_ref()
                .is_some_and(|l| setting.exempt.holds_units(l.unit_of[i], l.unit_of[j]));
        if p.silo > 0.0
            && !free
            && crosses_silo(forum, setting, slot_ij, i, j)
            && rng.random::<f64>() < p.silo
        {
            blocked.total += 1;
            continue;
        }
        if LEVELS
            && !free
            && let Some(l) = between
            && l.relation[slot_ij] != LOCAL
        {
            // CG-3: a dialogue between governments may be refused (autonomy).
            let vertical = l.relation[slot_ij] == VERTICAL;
            let chance = if vertical {
                setting.autonomy * (1.0 - setting.control)
            } else {
                setting.autonomy
            };
            if chance > 0.0 {
                blocked.between[usize::from(!vertical)] += 1;
                if rng.random::<f64>() < chance {
                    blocked.total += 1;
                    blocked.autonomy[usize::from(!vertical)] += 1;
                    continue;
                }
            }
        }
        drawn.push(Drawn {
            i: speaker,
            j: j as u32,
            slot_ij: slot_ij as u32,
            slot_ji: 0,
            u: rng.random::<f64>(),
            class_ij: class(i, slot_ij),
            class_ji: class(j, slot_ij),
        });
    }
    for d in drawn.iter_mut() {
        d.slot_ji = graph.reverse(d.slot_ij as usize) as u32;
    }
    blocked
}

/// The powers a held dialogue uses: the stored ones ([`Stored`], compiled to nothing), or
/// with control over vertical dialogues ([`Control`], CG-3).
trait Powers {
    fn adjust(&self, slot: usize, i: usize, j: usize, p_i: &mut f64, p_j: &mut f64);
}

/// The stored powers.
struct Stored;

impl Powers for Stored {
    #[inline(always)]
    fn adjust(&self, _slot: usize, _i: usize, _j: usize, _p_i: &mut f64, _p_j: &mut f64) {}
}

/// Control over vertical dialogues (CG-3), when it is above 0.
struct Control<'a> {
    chi: f64,
    relation: &'a [u8],
    level_of: &'a [u8],
}

impl Powers for Control<'_> {
    /// Control raises the higher level's power and lowers the lower's in a vertical
    /// dialogue (used there, never stored).
    #[inline]
    fn adjust(&self, slot: usize, i: usize, j: usize, p_i: &mut f64, p_j: &mut f64) {
        if self.relation[slot] != VERTICAL {
            return;
        }
        let (high, low) = if self.level_of[i] < self.level_of[j] {
            (p_i, p_j)
        } else {
            (p_j, p_i)
        };
        *high += self.chi * (1.0 - *high);
        *low *= 1.0 - self.chi;
    }
}

/// Where productive dialogues are listed: [`AgencyPairs`] when the services count joint
/// planning, or [`NotListed`] (compiled to nothing, so CG-1 alone pays nothing for it).
trait ListProductive {
    fn list(&mut self, i: u32, j: u32);
}

/// Productive dialogues are not listed.
struct NotListed;

impl ListProductive for NotListed {
    #[inline(always)]
    fn list(&mut self, _i: u32, _j: u32) {}
}

/// Productive dialogues between two agencies are listed.
struct AgencyPairs<'a> {
    is_agency: &'a [bool],
    pairs: &'a mut Vec<(u32, u32)>,
}

impl ListProductive for AgencyPairs<'_> {
    #[inline]
    fn list(&mut self, i: u32, j: u32) {
        if self.is_agency[i as usize] && self.is_agency[j as usize] {
            self.pairs.push((i, j));
        }
    }
}

/// Plays a block of drawn dialogues in order; returns (held, productive). Productive
/// dialogues are also listed in `pairs`.
#[allow(clippy::too_many_arguments)]
fn play_block(
    p: &Params,
    powers: &impl Powers,
    drawn: &[Drawn],
    large: bool,
    state: &mut State,
    productive_bits: &mut [u64],
    productive_slots: &mut Vec<Productive>,
    pairs: &mut impl ListProductive,
) -> (u64, u64) {
    if large {
        warm_dialogues(drawn, state, productive_bits);
    }
    let mut productive = 0;
    for d in drawn {
        if play_dialogue(p, d, state, powers) {
            productive += 1;
            pairs.list(d.i, d.j);
            let relation = d.slot_ij.min(d.slot_ji) as usize;
            let (word, bit) = (relation / 64, 1u64 << (relation % 64));
            if productive_bits[word] & bit == 0 {
                productive_bits[word] |= bit;
                productive_slots.push(Productive {
                    slots: [d.slot_ij, d.slot_ji],
                    classes: [d.class_ij, d.class_ji],
                });
            }
        }
    }
    (drawn.len() as u64, productive)
}

/// Actors per parallel task of the commitment step in a large forum.
const COMMITMENT_CHUNK: usize = 1 << 14;

/// Step 3: commitment to the process. Each actor's update reads only trust and participation,
/// so a large forum's actors are updated in parallel with results identical to a serial pass.
#[inline(never)]
fn commitment(forum: &Forum, p: &Params, t: u32, state: &mut State, scratch: &Scratch) {
    let graph = &forum.graph;
    let trust = &state.trust;
    let taking_part = &scratch.taking_part;
    let windows = forum.windows.as_deref();
    let update = |(chunk, commitments): (usize, &mut [f64])| {
        let first = chunk * COMMITMENT_CHUNK;
        for (i, c) in (first..).zip(commitments.iter_mut()) {
            if !takes_part(taking_part, i) {
                if forum.joins_at[i] <= t {
                    *c -= p.commitment_rate * *c;
                }
                continue;
            }
            let row = graph.slots(i);
            let (neighbors, trusts) = (graph.neighbors(i), &trust[row.clone()]);
            // Sum and count over the neighbours that take part (and whose relation exists),
            // branch-free: masking leaves a sum of non-negative numbers unchanged.
            let (mut sum, mut count) = match windows {
                None => participants_trust(neighbors, trusts, taking_part),
                Some(windows) => {
                    // The sum `participants_trust` makes over the relations that exist this
                    // round, in the same lanes (by index among them), so a forum whose
                    // later relations do not exist yet gives the same bits as the forum
                    // without them (paired comparisons).
                    let windows = &windows[row.clone()];
                    let n_existing = windows.iter().filter(|w| w.contains(t)).count();
                    let full = n_existing - n_existing % 4;
                    let (mut lanes, mut rest, mut k, mut count) =
                        ([0.0f64; 4], 0.0, 0usize, 0usize);
                    for ((&j, &trust), window) in neighbors.iter().zip(trusts).zip(windows) {
                        if !window.contains(t) {
                            continue;
                        }
                        let part = takes_part(taking_part, j as usize);
                        if k < full {
                            lanes[k % 4] += masked(trust, part);
                        } else {
                            rest += masked(trust, part);
                        }
                        count += part as usize;
                        k += 1;
                    }
                    ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) + rest, count)
                }
            };
            if count == 0 {
                // Nobody around takes part: the mean over every existing neighbour.
                for (slot, &trust) in row.clone().zip(trusts) {
                    let exists = relation_exists(forum, slot, t);
                    sum += masked(trust, exists);
                    count += exists as usize;
                }
            }
            let mean_trust = if count > 0 { sum / count as f64 } else { 0.0 };
            *c += p.commitment_rate * (p.legal_clarity * mean_trust - *c);
        }
    };
    if graph.n_slots() > LARGE_FORUM_SLOTS {
        state
            .commitment
            .par_chunks_mut(COMMITMENT_CHUNK)
            .enumerate()
            .for_each(update);
    } else {
        state
            .commitment
            .chunks_mut(COMMITMENT_CHUNK)
            .enumerate()
            .for_each(update);
    }
}

/// Step 4: the intermediate outcome (small win); returns whether one happened.
#[inline(never)]
fn small_win<R: Rng + ?Sized>(
    p: &Params,
    state: &mut State,
    scratch: &mut Scratch,
    rng: &mut R,
) -> bool {
    let members = &scratch.members;
    if members.is_empty() {
        return false;
    }
    let (count, member) = (members.len(), |k: usize| members[k] as usize);
    let mean_commitment = lane_sum(count, |k| state.commitment[member(k)]) / count as f64;
    let mean_capacity = lane_sum(count, |k| state.capacity[member(k)]) / count as f64;
    let understanding = understanding_of(count, member, state);
    let chance = mean_commitment * understanding * mean_capacity;
    if rng.random::<f64>() >= chance {
        return false;
    }
    for played in &scratch.productive_slots {
        for (s, class) in played.slots.into_iter().zip(played.classes) {
            let s = s as usize;
            state.set_trust(
                s,
                class,
                state.trust[s] + p.win_trust_gain * (1.0 - state.trust[s]),
            );
        }
    }
    for &i in members {
        let c = &mut state.commitment[i as usize];
        *c += p.win_commitment_gain * (1.0 - *c);
    }
    true
}

/// The per-group series' values of a round, appended to `groups`, from the cell sums
/// `record` collected, the participant bits of `scratch`, and on the `fast` path (every
/// actor exists) each cell's commitment from the state; the other path of [`record`]
/// summed the commitments already.
#[inline(never)]
fn record_groups(
    schedule: &Schedule,
    state: &State,
    scratch: &mut Scratch,
    fast: bool,
    played: bool,
    groups: &mut Vec<f64>,
) {
    let cells = &mut scratch.cells;
    if fast {
        // Each cell's trust from the running sums by class.
        let by_class = state.trust_sums.iter().zip(&schedule.class_slots);
        let n_cells = cells.len();
        for (class, (&sum, &count)) in by_class.enumerate() {
            cells[(class / 2) % n_cells].trust += sum;
            cells[(class / 2) % n_cells].relations += count;
        }
        // Each cell's commitment summed actor by actor in index order, as the other path
        // sums it, a run of neighbouring actors of one cell at a time.
        for run in &schedule.cell_runs {
            let sum = &mut cells[run.cell as usize].commitment;
            for &c in &state.commitment[run.start as usize..run.end as usize] {
                *sum += c;
            }
        }
        for (cell, &actors) in cells.iter_mut().zip(&schedule.cell_actors) {
            cell.actors = actors;
        }
    }
    // Participants per run of neighbouring actors of one cell, from the participant bits.
    for run in &schedule.cell_runs {
        cells[run.cell as usize].participants +=
            count_bits(&scratch.taking_part, run.start as usize, run.end as usize);
    }
    schedule.groups.measure(cells, played, groups);
}

/// What `record` sums over the actors and relations that exist in round `t` when some do
/// not (or sectors are merged).
struct Existing<'a> {
    forum: &'a Forum,
    setting: &'a RoundSetting,
    state: &'a State,
    t: u32,
    all_exist: bool,
}

impl Existing<'_> {
    /// The trust sums and relations across (`[0]`) and within (`[1]`) sectors as merged,
    /// each cell's trust, relations, commitment and actors into `cells`, and with `LEVELS`
    /// the trust sums by relation kind (compiled apart, so CG-1 pays nothing for them).
    fn sum<const LEVELS: bool>(
        &self,
        existing: &[usize],
        cells: &mut [Cell],
    ) -> ([i128; 2], [usize; 2], levels::KindSums) {
        let Existing {
            forum,
            setting,
            state,
            t,
            all_exist,
        } = *self;
        let graph = &forum.graph;
        let exists = |i: usize| all_exist || forum.joins_at[i] <= t;
        let (mut sums, mut relations) = ([0i128; 2], [0usize; 2]);
        let mut by_kind = levels::KindSums::default();
        for &i in existing {
            let gi = setting.group[forum.sector_of[i] as usize];
            let cell = forum.cell_of[i] as usize;
            for (slot, &j) in graph.slots(i).zip(graph.neighbors(i)) {
                if relation_exists(forum, slot, t) && exists(j as usize) {
                    let same = setting.group[forum.sector_of[j as usize] as usize] == gi;
                    let trust = fixed(state.trust[slot]);
                    sums[same as usize] += trust;
                    relations[same as usize] += 1;
                    if LEVELS && let Some(l) = &forum.levels {
                        by_kind.add(l.relation[slot], trust);
                    }
                    cells[cell].trust += trust;
                    cells[cell].relations += 1;
                }
            }
            cells[cell].commitment += state.commitment[i];
            cells[cell].actors += 1;
        }
        (sums, relations, by_kind)
    }
}

/// Shared understanding `U = 1 - 2*delta` over the `count` actors `actor(0..count)`, where
/// delta is the mean over actors and issues of `|x_id - mean_d|`. 0 actors give NaN.
pub fn understanding_of(count: usize, actor: impl Fn(usize) -> usize, state: &State) -> f64 {
    let (issues, views) = (state.issues, &state.views);
    understanding(count, issues, |k, d| views[actor(k) * issues + d])
}

/// `U` over `count` points of `issues` values each, `value(k, d)` the k-th point's value on
/// issue d: the one formula every understanding (the forum's, a unit's, between the
/// regencies' means) is computed by. 0 points give NaN.
pub fn understanding(count: usize, issues: usize, value: impl Fn(usize, usize) -> f64) -> f64 {
    if count == 0 {
        return f64::NAN;
    }
    let mut total = 0.0;
    for d in 0..issues {
        let view = |k: usize| value(k, d);
        let mean = lane_sum(count, view) / count as f64;
        total += lane_sum(count, |k| (view(k) - mean).abs());
    }
    let delta = total / (count * issues) as f64;
    (1.0 - 2.0 * delta).clamp(0.0, 1.0)
}

/// What step 5 records of a round besides the state: its number (round 0 is the initial
/// state, with no dialogue), its dialogue counts and the small wins so far.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tally {
    /// The round.
    pub t: u32,
    /// Its counts.
    pub counts: RoundCounts,
    /// Small wins up to and including it.
    pub wins: u64,
}

/// The metrics of step 5 for round `tally.t`, and, when `groups` is given, the per-group
/// series' values of the round appended to it ([`Groups::measure`]). `scratch` holds the
/// round's participants (none at round 0).
pub fn record(
    forum: &Forum,
    schedule: &Schedule,
    state: &State,
    tally: Tally,
    scratch: &mut Scratch,
    groups: Option<&mut Vec<f64>>,
) -> Record {
    let Tally { t, counts, wins } = tally;
    let counts = &counts;
    let setting = schedule.at(t);
    let all_exist = t >= forum.last_join;
    let n = forum.n_actors();
    let fast = all_exist && forum.windows.is_none() && !setting.merged;
    let cells = &mut scratch.cells;
    if groups.is_some() || !fast {
        cells.clear();
        cells.resize(forum.n_cells(), Cell::default());
    }
    let (commitment, understanding);
    // Trust sums and relations within sectors (`[1]`) and across (`[0]`), in the units of
    // the running sums.
    // With levels, the trust sums by relation kind, collected in the same pass as these.
    let (mut sums, relations, mut by_kind);
    if fast {
        // Every actor and relation exists and sectors are as built: the running trust sums
        // by class, across (even) and within (odd).
        sums = [0i128; 2];
        for pair in state.trust_sums.chunks_exact(2) {
            sums[0] += pair[0];
            sums[1] += pair[1];
        }
        relations = [schedule.n_across, schedule.n_within];
        by_kind = levels::KindSums::default();
        commitment = mean(lane_sum(n, |i| state.commitment[i]), n);
        understanding = understanding_of(n, |i| i, state);
    } else {
        // Sum the trust of existing relations within and across sectors as merged, and by
        // the cell holding it.
        let exists = |i: usize| all_exist || forum.joins_at[i] <= t;
        let existing: Vec<usize> = (0..n).filter(|&i| exists(i)).collect();
        let existing_sums = Existing {
            forum,
            setting,
            state,
            t,
            all_exist,
        };
        (sums, relations, by_kind) = if forum.levels.is_some() {
            existing_sums.sum::<true>(&existing, cells)
        } else {
            existing_sums.sum::<false>(&existing, cells)
        };
        let member = |k: usize| existing[k];
        commitment = mean(
            lane_sum(existing.len(), |k| state.commitment[member(k)]),
            existing.len(),
        );
        understanding = understanding_of(existing.len(), member, state);
    }
    let (within, across) = ((sums[1], relations[1]), (sums[0], relations[0]));
    if let Some(groups) = groups {
        record_groups(schedule, state, scratch, fast, t > 0, groups);
    }
    let c = &setting.params.consensus;
    let consensus = understanding >= c.understanding && commitment >= c.commitment;
    let mut r = [f64::NAN; N_METRICS];
    let fixed_mean = |sum: i128, count: usize| mean(sum as f64 / FIXED_ONE, count);
    r[Metric::Trust.index()] = fixed_mean(within.0 + across.0, within.1 + across.1);
    r[Metric::TrustWithin.index()] = fixed_mean(within.0, within.1);
    r[Metric::TrustAcross.index()] = fixed_mean(across.0, across.1);
    r[Metric::Commitment.index()] = commitment;
    r[Metric::Understanding.index()] = understanding;
    r[Metric::ProductiveShare.index()] = mean(counts.productive as f64, counts.held as usize);
    r[Metric::Dialogues.index()] = counts.held as f64;
    r[Metric::Blocked.index()] = counts.blocked as f64;
    r[Metric::Wins.index()] = wins as f64;
    r[Metric::Participants.index()] = counts.participants as f64;
    r[Metric::Consensus.index()] = if consensus { 1.0 } else { 0.0 };
    if let Some(l) = &forum.levels {
        if fast {
            by_kind = levels::KindSums::of_classes(forum, schedule, state);
        }
        levels::record_levels(
            forum,
            l,
            schedule,
            (state, t),
            &by_kind,
            counts,
            &mut scratch.unit_views,
            &mut r,
        );
    }
    r
}
