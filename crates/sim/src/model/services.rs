//! The services step of CG-2 (docs/model.md "Services", steps S0 to S6): requests filed
//! with agencies, routed by the service pattern in force, official assistance between
//! agencies (Bantuan Kedinasan) for contributions and for capacity, queues processed by
//! each agency's throughput, and the 11 inter-organisational activities counted.
//!
//! It runs after CG-1's step 4 and before recording, only when the scenario has
//! `[services]`. Its random numbers come from a stream of their own (the replicate's
//! stream plus 2^32), in this order each round: the number of requests (Poisson), then per
//! request the kind, the lead (unless a coordinator leads), the other agencies one at a time
//! (uniform among those not yet drawn), and for each contribution asked by official
//! assistance the uniforms of its checks; then per overloaded agency asking for capacity,
//! the shortage and the uniforms of its checks. A check draws only when it is reached and
//! its other conditions hold (`law` without an agreement, `confidential` always, `silo`
//! across sectors not exempt, `distrust` always).

use std::collections::{HashMap, VecDeque};

use collabgov_core::Forum;
use collabgov_core::scenario::levels::VERTICAL;
use collabgov_core::scenario::{Pattern, Services};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Poisson};

use super::{RoundSetting, State, understanding_of};
use crate::metrics::{Metric, Record};

/// The 11 inter-organisational activities of the seed, in its order.
pub const ACTIVITIES: [&str; 11] = [
    "informal_cooperation",
    "mutual_aid_agreement",
    "training_given",
    "training_received",
    "joint_planning",
    "equipment_given",
    "equipment_received",
    "technical_assistance_given",
    "technical_assistance_received",
    "grant_management_given",
    "grant_management_received",
];

/// Activity indices (0-based) into [`ACTIVITIES`].
mod activity {
    pub const INFORMAL: usize = 0;
    pub const AGREEMENT: usize = 1;
    pub const TRAINING: usize = 2;
    pub const JOINT_PLANNING: usize = 4;
    pub const EQUIPMENT: usize = 5;
    pub const TECHNICAL: usize = 7;
    pub const GRANT: usize = 9;
}

/// Counts of each activity.
pub type Activities = [u32; 11];

/// The refusal reasons, in check order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Refusal {
    Law,
    Confidential,
    Overload,
    Silo,
    Distrust,
    /// Levels of government: checked after `silo` and before `distrust`, counted last.
    Autonomy,
}

/// What an overloaded agency lacks (the shortage), in `[services.shortage]` order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lack {
    Staff,
    Facilities,
    Knowledge,
    Funds,
}

/// No request: a training unit.
const NO_REQUEST: u32 = u32::MAX;

/// A contribution (or a training unit) with the work it has left.
#[derive(Clone, Copy, Debug)]
struct Item {
    request: u32,
    work: f64,
}

/// An open request.
#[derive(Clone, Debug, Default)]
struct Request {
    filed: u32,
    trips: u32,
    /// With trip costs by level: the cost of its trips so far.
    trip_cost: f64,
    collections: u32,
    /// Work of all its contributions at filing.
    total_work: f64,
    /// Contributions queued or in transit.
    open: u32,
    /// Contributions not done (open, or waiting to be carried).
    left: u32,
    /// Contributions waiting to be carried, in order: (agency ordinal, work).
    waiting: VecDeque<(u32, f64)>,
}

/// A mutual aid relation between two agencies.
#[derive(Clone, Copy, Debug, Default)]
struct Pair {
    granted: u32,
    agreement: bool,
}

/// With trip costs by level (CG-3): the cost of visiting `lead` under one door, one roof or
/// centralised (and of carrying a refused contribution to an agency), of visiting each of
/// `workers` under the technical-functional pattern, nothing under electronic; 0 without
/// them (the cost is then `trip_cost` per trip, as CG-2 counts it).
fn trips_cost(
    plan: &ServicePlan,
    forum: &Forum,
    pattern: Pattern,
    workers: &[u32],
    lead: u32,
) -> f64 {
    let (Some(costs), Some(_), Some(l)) =
        (plan.config.trip_cost_by_level, &plan.levels, &forum.levels)
    else {
        return 0.0;
    };
    let cost = |k: u32| costs[l.level_of[plan.agencies[k as usize] as usize] as usize];
    match pattern {
        Pattern::TechnicalFunctional => workers.iter().map(|&k| cost(k)).sum(),
        Pattern::Electronic => 0.0,
        _ => cost(lead),
    }
}

/// The key of the pair of agency ordinals `a` and `b`, in either order.
fn pair_key(a: u32, b: u32) -> u64 {
    (u64::from(a.min(b)) << 32) | u64::from(a.max(b))
}

/// A fast hash of a pair key (a multiply and a rotate, as FxHash): the pairs are looked up
/// a few times per request and never iterated, so the order of the map never matters.
#[derive(Clone, Copy, Debug, Default)]
struct PairHasher;

impl std::hash::BuildHasher for PairHasher {
    type Hasher = PairHash;
    fn build_hasher(&self) -> PairHash {
        PairHash(0)
    }
}

/// The state of [`PairHasher`].
#[derive(Clone, Copy, Debug)]
struct PairHash(u64);

impl std::hash::Hasher for PairHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// What every replicate shares: the agencies and the configuration.
#[derive(Clone, Debug)]
pub struct ServicePlan {
    /// The configuration.
    pub config: Services,
    /// Actor index of each agency, ascending (agencies that join later included).
    pub agencies: Vec<u32>,
    /// Agency ordinal of each actor (`u32::MAX` for non-state actors).
    ordinal: Vec<u32>,
    /// Cumulative kind shares.
    cumulative: Vec<f64>,
    /// With levels of government and regency units: where requests are filed.
    levels: Option<LevelPlan>,
}

/// Where requests are filed with levels of government (CG-3): the regency units, and each
/// unit's agencies (ordinals, in index order).
#[derive(Clone, Debug)]
struct LevelPlan {
    regencies: Vec<u32>,
    agencies_of: Vec<Vec<u32>>,
    /// Agencies in regency units (`A2`).
    in_regencies: usize,
}

impl ServicePlan {
    /// The plan of `forum` under `config`.
    pub fn new(forum: &Forum, config: &Services) -> ServicePlan {
        let agencies: Vec<u32> = (0..forum.n_actors() as u32)
            .filter(|&i| forum.is_agency[i as usize])
            .collect();
        let mut ordinal = vec![u32::MAX; forum.n_actors()];
        for (k, &a) in agencies.iter().enumerate() {
            ordinal[a as usize] = k as u32;
        }
        let mut total = 0.0;
        let cumulative = config
            .kinds
            .iter()
            .map(|k| {
                total += k.share;
                total
            })
            .collect();
        let levels = forum
            .levels
            .as_ref()
            .filter(|l| !l.regencies.is_empty())
            .map(|l| {
                let mut agencies_of = vec![Vec::new(); l.units.len()];
                for (k, &a) in agencies.iter().enumerate() {
                    agencies_of[l.unit_of[a as usize] as usize].push(k as u32);
                }
                LevelPlan {
                    in_regencies: l
                        .regencies
                        .iter()
                        .map(|&r| agencies_of[r as usize].len())
                        .sum(),
                    regencies: l.regencies.clone(),
                    agencies_of,
                }
            });
        ServicePlan {
            config: config.clone(),
            agencies,
            ordinal,
            cumulative,
            levels,
        }
    }
}

/// This round's counters.
#[derive(Clone, Copy, Debug, Default)]
struct RoundTally {
    completed: u32,
    time: f64,
    trips: f64,
    duplication: f64,
    cost: f64,
    granted: u32,
    refused: [u32; 6],
    activities: Activities,
}

/// The work of a replicate's services, by where it is (the conservation check of
/// MODEL-CG2.md: `filed = done + queued + in_transit + waiting`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct WorkBalance {
    /// Every contribution's work at filing, plus training units.
    pub filed: f64,
    /// Work done.
    pub done: f64,
    /// Work in queues.
    pub queued: f64,
    /// Work sent, arriving next round.
    pub in_transit: f64,
    /// Work not yet sent.
    pub waiting: f64,
}

/// The services state of one replicate.
#[derive(Clone, Debug)]
pub struct ServiceState {
    rng: ChaCha8Rng,
    /// Queue of each agency ordinal.
    queue: Vec<VecDeque<Item>>,
    /// Work queued at each agency.
    queued: Vec<f64>,
    /// Throughput lent (+) or lent out (-) by equipment loans in force.
    lent: Vec<f64>,
    /// Loans in force: (round granted, borrower, lender, amount), oldest first.
    loans: VecDeque<(u32, u32, u32, f64)>,
    /// Contributions sent this round (agency ordinal, item), queued in the next S0.
    in_transit: Vec<(u32, Item)>,
    /// Requests by id (slots of completed ones are reused).
    requests: Vec<Request>,
    free: Vec<u32>,
    /// Open requests.
    open_requests: u32,
    /// Requests whose last contribution is done this round.
    finished: Vec<u32>,
    /// Pairs of agency ordinals `(low, high)` that were ever granted assistance or signed.
    pairs: HashMap<u64, Pair, PairHasher>,
    /// Agreements in force.
    agreements: u32,
    /// Each agency's activity counts (given or received; 1, 2 and 5 for both).
    pub by_agency: Vec<Activities>,
    /// Work filed and done so far.
    work_filed: f64,
    work_done: f64,
    tally: RoundTally,
    /// Scratch: the agencies of this round, and a request's drawn agencies.
    present: Vec<u32>,
    drawn: Vec<u32>,
    workers: Vec<u32>,
    /// Scratch: the agencies a request's contributor is drawn among (levels of government).
    candidates: Vec<u32>,
    /// Scratch: the contributions an agency finished this round (S5).
    done: Vec<Item>,
}

/// The services stream of replicate `replicate` under `seed`: stream `2^32 + replicate`.
pub fn services_rng(seed: u64, replicate: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream((1u64 << 32) + replicate);
    rng
}

/// The logistic chance of a granted assistance.
fn assistance_chance(plan: &ServicePlan, m: f64, leadership: f64, agreement: bool) -> f64 {
    let a = &plan.config.assistance;
    let z = a.a0 + a.a_t * m + a.a_l * leadership + a.a_m * f64::from(u8::from(agreement));
    1.0 / (1.0 + (-z).exp())
}

impl ServiceState {
    /// The state before round 1.
    pub fn new(plan: &ServicePlan, seed: u64, replicate: u64) -> ServiceState {
        let n = plan.agencies.len();
        ServiceState {
            rng: services_rng(seed, replicate),
            queue: vec![VecDeque::new(); n],
            queued: vec![0.0; n],
            lent: vec![0.0; n],
            loans: VecDeque::new(),
            in_transit: Vec::new(),
            requests: Vec::new(),
            free: Vec::new(),
            open_requests: 0,
            finished: Vec::new(),
            pairs: HashMap::default(),
            agreements: 0,
            by_agency: vec![[0; 11]; n],
            work_filed: 0.0,
            work_done: 0.0,
            tally: RoundTally::default(),
            present: Vec::with_capacity(n),
            drawn: Vec::new(),
            workers: Vec::new(),
            candidates: Vec::new(),
            done: Vec::new(),
        }
    }

    /// Where the work is now.
    pub fn balance(&self) -> WorkBalance {
        WorkBalance {
            filed: self.work_filed,
            done: self.work_done,
            queued: self.queue.iter().flatten().map(|i| i.work).sum(),
            in_transit: self.in_transit.iter().map(|(_, i)| i.work).sum(),
            waiting: self
                .requests
                .iter()
                .flat_map(|r| r.waiting.iter().map(|w| w.1))
                .sum(),
        }
    }

    /// This round's activity counts.
    pub fn activities(&self) -> Activities {
        self.tally.activities
    }

    /// Throughput `theta_a` of agency ordinal `k`.
    fn throughput(&self, plan: &ServicePlan, state: &State, k: usize) -> f64 {
        plan.config.throughput * state.capacity[plan.agencies[k] as usize] + self.lent[k]
    }

    fn overloaded(&self, plan: &ServicePlan, state: &State, k: usize) -> bool {
        self.queued[k] > plan.config.overload * self.throughput(plan, state, k)
    }

    fn push(&mut self, k: u32, item: Item) {
        self.queued[k as usize] += item.work;
        self.queue[k as usize].push_back(item);
    }

    fn pair(&mut self, a: u32, b: u32) -> &mut Pair {
        self.pairs.entry(pair_key(a, b)).or_default()
    }

    fn has_agreement(&self, a: u32, b: u32) -> bool {
        self.pairs.get(&pair_key(a, b)).is_some_and(|p| p.agreement)
    }

    /// Counts activity `k` for both agencies (1, 2 and 5).
    fn both(&mut self, k: usize, a: u32, b: u32) {
        self.tally.activities[k] += 1;
        self.by_agency[a as usize][k] += 1;
        self.by_agency[b as usize][k] += 1;
    }

    /// Counts a given/received pair of activities (`given`, `given + 1`).
    fn given(&mut self, given: usize, giver: u32, receiver: u32) {
        self.tally.activities[given] += 1;
        self.tally.activities[given + 1] += 1;
        self.by_agency[giver as usize][given] += 1;
        self.by_agency[receiver as usize][given + 1] += 1;
    }

    /// Signs an agreement between `a` and `b` unless they have one.
    fn sign(&mut self, a: u32, b: u32) {
        let pair = self.pair(a, b);
        if !pair.agreement {
            pair.agreement = true;
            self.agreements += 1;
            self.both(activity::AGREEMENT, a, b);
        }
    }

    /// Plays the services step of round `t` (S0 to S6). `productive` lists this round's
    /// productive CG-1 dialogues `(i, j)` (for joint planning).
    pub fn step(
        &mut self,
        plan: &ServicePlan,
        forum: &Forum,
        setting: &RoundSetting,
        t: u32,
        state: &mut State,
        productive: &[(u32, u32)],
    ) {
        self.tally = RoundTally::default();
        // Joint planning: productive dialogues between agencies of different sectors.
        for &(i, j) in productive {
            let (oi, oj) = (plan.ordinal[i as usize], plan.ordinal[j as usize]);
            if oi != u32::MAX
                && oj != u32::MAX
                && setting.group[forum.sector_of[i as usize] as usize]
                    != setting.group[forum.sector_of[j as usize] as usize]
            {
                self.both(activity::JOINT_PLANNING, oi, oj);
            }
        }
        // Mutual aid agreements signed this round (CG-1 step 0, interventions).
        for group in &setting.signing {
            let members: Vec<u32> = group
                .iter()
                .filter(|&&a| forum.joins_at[a as usize] <= t)
                .map(|&a| plan.ordinal[a as usize])
                .collect();
            for (x, &a) in members.iter().enumerate() {
                for &b in &members[x + 1..] {
                    self.sign(a, b);
                }
            }
        }
        self.arrivals(plan, t);
        self.present.clear();
        self.present.extend(
            (0..plan.agencies.len() as u32)
                .filter(|&k| forum.joins_at[plan.agencies[k as usize] as usize] <= t),
        );
        self.filing(plan, forum, setting, t, state);
        self.capacity_assistance(plan, forum, setting, t, state);
        self.processing(plan, state);
        self.completion(plan, t);
    }

    /// S0: contributions sent last round join their queues in the order sent; loans
    /// granted `loan_rounds` rounds ago end.
    #[inline(never)]
    fn arrivals(&mut self, plan: &ServicePlan, t: u32) {
        for x in 0..self.in_transit.len() {
            let (k, item) = self.in_transit[x];
            self.push(k, item);
        }
        self.in_transit.clear();
        let term = plan.config.loan_rounds;
        while let Some(&(granted, a, b, amount)) = self.loans.front() {
            if granted.saturating_add(term) > t {
                break;
            }
            self.lent[a as usize] -= amount;
            self.lent[b as usize] += amount;
            self.loans.pop_front();
        }
    }

    /// S1 and S2 (with S3 inside): files this round's requests and routes them.
    #[inline(never)]
    fn filing(
        &mut self,
        plan: &ServicePlan,
        forum: &Forum,
        setting: &RoundSetting,
        t: u32,
        state: &mut State,
    ) {
        let config = &plan.config;
        // Citizens file where they live: with regency units, `R * A2`.
        let a_count = plan
            .levels
            .as_ref()
            .map_or(self.present.len(), |l| l.in_regencies);
        let mean = config.requests * a_count as f64;
        let n = if mean > 0.0 {
            Poisson::new(mean).map_or(0, |p| p.sample(&mut self.rng) as u64)
        } else {
            0
        };
        let routing = setting.routing;
        // The coordinator, once it exists.
        let coordinator = routing
            .coordinator
            .filter(|&c| forum.joins_at[c as usize] <= t)
            .map(|c| plan.ordinal[c as usize]);
        for _ in 0..n {
            let u: f64 = self.rng.random();
            let kind = plan
                .cumulative
                .iter()
                .position(|&c| u < c)
                .unwrap_or(plan.cumulative.len() - 1);
            let kind_info = &config.kinds[kind];
            let mut pattern = routing.pattern;
            let centralised = pattern == Pattern::Centralised && coordinator.is_some();
            if pattern == Pattern::Centralised && !centralised {
                pattern = Pattern::OneDoor;
            }
            let lead = match &plan.levels {
                Some(l) => {
                    self.draw_in_regency(l, forum, kind_info, coordinator.filter(|_| centralised))
                }
                None => self.draw_agencies(
                    kind_info.agencies as usize,
                    coordinator.filter(|_| centralised),
                ),
            };
            let work = if pattern == Pattern::Electronic {
                kind_info.work * config.electronic_work
            } else {
                kind_info.work
            };
            let confidential = kind_info.confidential;
            // The lead's own contribution is drawn[0] except under a coordinator. (A buffer
            // reused from request to request, as are a request slot's.)
            let mut workers = std::mem::take(&mut self.workers);
            workers.clear();
            workers.extend_from_slice(if centralised {
                &self.drawn[1..]
            } else {
                &self.drawn
            });
            let m = workers.len() as u32;
            let id = self.open_request(t, pattern, work, m);
            self.requests[id as usize].trip_cost = trips_cost(plan, forum, pattern, &workers, lead);
            let item = Item { request: id, work };
            match pattern {
                Pattern::TechnicalFunctional => {
                    // Contributors in drawn order, the lead last; the first is queued now.
                    workers.rotate_left(1);
                    self.queue_now(workers[0], item);
                    let r = &mut self.requests[id as usize];
                    r.waiting.extend(workers[1..].iter().map(|&k| (k, work)));
                }
                Pattern::OneRoof => {
                    for &k in &workers {
                        self.queue_now(k, item);
                    }
                }
                Pattern::OneDoor | Pattern::Centralised | Pattern::Electronic => {
                    let asker = if centralised { lead } else { workers[0] };
                    let asked = if centralised {
                        &workers[..]
                    } else {
                        &workers[1..]
                    };
                    if !centralised {
                        self.queue_now(workers[0], item);
                    }
                    for &b in asked {
                        let refused = self.official_assistance(
                            plan,
                            forum,
                            setting,
                            state,
                            (t, asker, b),
                            Some((confidential, pattern == Pattern::Electronic)),
                        );
                        if refused.is_some() {
                            let r = &mut self.requests[id as usize];
                            r.trips += 1;
                            r.trip_cost += trips_cost(plan, forum, Pattern::OneDoor, &[], b);
                            r.collections += 1;
                            r.waiting.push_back((b, work));
                        } else {
                            self.queue_now(b, item);
                        }
                    }
                }
            }
            if m == 0 {
                self.finished.push(id);
            } else {
                self.send_next(id);
            }
            self.workers = workers;
        }
    }

    /// Draws a request's agencies into `drawn`, in drawn order, and returns its lead: the
    /// `coordinator` first when there is one (and `agencies` others), otherwise a present
    /// agency drawn at random (and `agencies - 1` others), every present one when the kind
    /// asks for at least as many.
    fn draw_agencies(&mut self, agencies: usize, coordinator: Option<u32>) -> u32 {
        let a_count = self.present.len();
        self.drawn.clear();
        let (lead, contributors) = match coordinator {
            Some(c) => (c, agencies),
            None => (
                self.present[self.rng.random_range(0..a_count)],
                agencies - 1,
            ),
        };
        self.drawn.push(lead);
        if contributors >= a_count - 1 {
            let others = self.present.iter().copied().filter(|&k| k != lead);
            self.drawn.extend(others);
        } else {
            while self.drawn.len() < contributors + 1 {
                let k = self.present[self.rng.random_range(0..a_count)];
                if !self.drawn.contains(&k) {
                    self.drawn.push(k);
                }
            }
        }
        lead
    }

    /// With levels of government: draws a request's regency `r`, its lead among `r`'s
    /// agencies (or the `coordinator`), and its contributors (the kind's `levels` first,
    /// each among the agencies of that level's unit in `r`'s chain not yet drawn, or among
    /// `r`'s when none is left; the others among `r`'s, every one of them when there are
    /// fewer), into `drawn`; returns the lead.
    fn draw_in_regency(
        &mut self,
        l: &LevelPlan,
        forum: &Forum,
        kind: &collabgov_core::scenario::services::ServiceKind,
        coordinator: Option<u32>,
    ) -> u32 {
        let r = l.regencies[self.rng.random_range(0..l.regencies.len())];
        let here = &l.agencies_of[r as usize];
        self.drawn.clear();
        let (lead, contributors) = match coordinator {
            Some(c) => (c, kind.agencies as usize),
            None => (
                here[self.rng.random_range(0..here.len())],
                kind.agencies as usize - 1,
            ),
        };
        self.drawn.push(lead);
        let chain = forum
            .levels
            .as_ref()
            .map(|f| f.chain(r))
            .unwrap_or_default();
        // A buffer reused from request to request, as `drawn` is.
        let mut candidates = std::mem::take(&mut self.candidates);
        for k in 1..=contributors {
            let unit = kind
                .levels
                .get(k - 1)
                .and_then(|&level| chain[level as usize]);
            if let Some(unit) = unit {
                candidates.clear();
                candidates.extend(l.agencies_of[unit as usize].iter().copied().filter(|&a| {
                    !self.drawn.contains(&a) && self.present.binary_search(&a).is_ok()
                }));
                if !candidates.is_empty() {
                    let a = candidates[self.rng.random_range(0..candidates.len())];
                    self.drawn.push(a);
                    continue;
                }
            }
            // Among r's agencies: every one left when there are no more than needed.
            candidates.clear();
            candidates.extend(here.iter().copied().filter(|a| !self.drawn.contains(a)));
            let needed = contributors + 1 - self.drawn.len();
            if needed >= candidates.len() {
                self.drawn.extend_from_slice(&candidates);
                break;
            }
            loop {
                let a = here[self.rng.random_range(0..here.len())];
                if !self.drawn.contains(&a) {
                    self.drawn.push(a);
                    break;
                }
            }
        }
        self.candidates = candidates;
        lead
    }

    /// Takes a free request slot (or a new one) for a request filed in round `t` with `m`
    /// contributions of `work` each, its trips and collections as `pattern` routes it.
    fn open_request(&mut self, t: u32, pattern: Pattern, work: f64, m: u32) -> u32 {
        let id = match self.free.pop() {
            Some(id) => id,
            None => {
                self.requests.push(Request::default());
                (self.requests.len() - 1) as u32
            }
        };
        let (trips, collections) = match pattern {
            Pattern::TechnicalFunctional => (m, m),
            Pattern::OneRoof => (1, m),
            Pattern::OneDoor | Pattern::Centralised => (1, 1),
            Pattern::Electronic => (0, 1),
        };
        let r = &mut self.requests[id as usize];
        (r.filed, r.trips, r.collections) = (t, trips, collections);
        r.trip_cost = 0.0;
        (r.total_work, r.open, r.left) = (work * f64::from(m), 0, m);
        r.waiting.clear();
        self.open_requests += 1;
        self.work_filed += work * f64::from(m);
        id
    }

    /// Queues a request's contribution at agency `k` now.
    fn queue_now(&mut self, k: u32, item: Item) {
        self.requests[item.request as usize].open += 1;
        self.push(k, item);
    }

    /// Sends the request's next waiting contribution when none of its contributions is
    /// queued or in transit (it arrives in the next S0).
    fn send_next(&mut self, id: u32) {
        let r = &mut self.requests[id as usize];
        if r.open > 0 {
            return;
        }
        if let Some((k, work)) = r.waiting.pop_front() {
            r.open += 1;
            self.in_transit.push((k, Item { request: id, work }));
        }
    }

    /// The checks of official assistance from `a` to `b` (agency ordinals), S3 for a
    /// contribution (`contribution` = its kind's confidentiality and whether the pattern
    /// is electronic) or S4 for capacity (checks 1, 4 and 5). Grants or refuses, with the
    /// trust, agreement and count changes of both; returns the refusal, if any.
    fn official_assistance(
        &mut self,
        plan: &ServicePlan,
        forum: &Forum,
        setting: &RoundSetting,
        state: &mut State,
        (t, a, b): (u32, u32, u32),
        contribution: Option<(f64, bool)>,
    ) -> Option<Refusal> {
        let p = &setting.params;
        let (ia, ib) = (
            plan.agencies[a as usize] as usize,
            plan.agencies[b as usize] as usize,
        );
        let agreement = self.has_agreement(a, b);
        // Both trust slots when a and b are related in round t.
        let slots = forum
            .graph
            .slot_of(ia, ib)
            .filter(|&s| super::relation_exists(forum, s, t))
            .map(|s| (s, forum.graph.reverse(s)));
        let refusal = 'checks: {
            if !agreement && self.rng.random::<f64>() < 1.0 - p.legal_clarity {
                break 'checks Some(Refusal::Law);
            }
            if let Some((confidential, _)) = contribution {
                if self.rng.random::<f64>() < confidential {
                    break 'checks Some(Refusal::Confidential);
                }
                if self.overloaded(plan, state, b as usize) {
                    break 'checks Some(Refusal::Overload);
                }
            }
            let electronic = contribution.is_some_and(|c| c.1);
            let (ga, gb) = (
                setting.group[forum.sector_of[ia] as usize] as usize,
                setting.group[forum.sector_of[ib] as usize] as usize,
            );
            // A task force or union of units (CG-3) lifts silo and autonomy among them.
            let free = setting.exempt.has_units()
                && forum
                    .levels
                    .as_ref()
                    .is_some_and(|l| setting.exempt.holds_units(l.unit_of[ia], l.unit_of[ib]));
            if !electronic
                && !free
                && ga != gb
                && !setting.exempt.holds(ga, gb)
                && self.rng.random::<f64>() < p.silo
            {
                break 'checks Some(Refusal::Silo);
            }
            if let Some(l) = &forum.levels
                && !free
                && setting.autonomy > 0.0
                && l.unit_of[ia] != l.unit_of[ib]
            {
                // Levels of government: a request between governments may be refused.
                let vertical = match slots {
                    Some((ab, _)) => l.relation[ab] == VERTICAL,
                    None => l.kind_between(l.unit_of[ia], l.unit_of[ib]) == VERTICAL,
                };
                let chance = if vertical {
                    setting.autonomy * (1.0 - setting.control)
                } else {
                    setting.autonomy
                };
                if chance > 0.0 && self.rng.random::<f64>() < chance {
                    break 'checks Some(Refusal::Autonomy);
                }
            }
            let m = slots.map_or(0.0, |(ab, ba)| (state.trust[ab] + state.trust[ba]) / 2.0);
            let u: f64 = self.rng.random();
            if u >= assistance_chance(plan, m, p.leadership, agreement) {
                break 'checks Some(Refusal::Distrust);
            }
            None
        };
        let assistance = &plan.config.assistance;
        match refusal {
            Some(reason) => {
                self.tally.refused[reason as usize] += 1;
                if let Some((ab, _)) = slots {
                    let class = super::trust_class(forum, ia, ab);
                    let t_ab = state.trust[ab];
                    state.set_trust(ab, class, t_ab - assistance.trust_loss * t_ab);
                }
            }
            None => {
                self.tally.granted += 1;
                if let Some((ab, ba)) = slots {
                    for (s, holder) in [(ab, ia), (ba, ib)] {
                        let v = state.trust[s];
                        let class = super::trust_class(forum, holder, ab);
                        state.set_trust(s, class, v + assistance.trust_gain * (1.0 - v));
                    }
                }
                if contribution.is_some() {
                    let k = if agreement {
                        activity::AGREEMENT
                    } else {
                        activity::INFORMAL
                    };
                    self.both(k, a, b);
                }
                let after = plan.config.agreement_after;
                let pair = self.pair(a, b);
                pair.granted += 1;
                if after > 0 && pair.granted == after {
                    self.sign(a, b);
                }
            }
        }
        refusal
    }

    /// S4: each overloaded agency, in index order, asks the related agency it trusts most
    /// among those with spare throughput for capacity.
    #[inline(never)]
    fn capacity_assistance(
        &mut self,
        plan: &ServicePlan,
        forum: &Forum,
        setting: &RoundSetting,
        t: u32,
        state: &mut State,
    ) {
        for x in 0..self.present.len() {
            let a = self.present[x];
            if !self.overloaded(plan, state, a as usize) {
                continue;
            }
            let ia = plan.agencies[a as usize] as usize;
            // The related agency with spare throughput that `a` trusts most (ties to the
            // lower index: neighbours are in index order and only a higher trust wins).
            let mut best: Option<(u32, f64)> = None;
            for (slot, &j) in forum.graph.slots(ia).zip(forum.graph.neighbors(ia)) {
                let b = plan.ordinal[j as usize];
                if b == u32::MAX
                    || forum.joins_at[j as usize] > t
                    || !super::relation_exists(forum, slot, t)
                    || self.queued[b as usize] >= self.throughput(plan, state, b as usize)
                {
                    continue;
                }
                if best.is_none_or(|(_, trust)| state.trust[slot] > trust) {
                    best = Some((b, state.trust[slot]));
                }
            }
            let Some((b, _)) = best else { continue };
            let u: f64 = self.rng.random();
            let mut lack = Lack::Funds;
            let mut total = 0.0;
            for (share, l) in plan.config.shortage.iter().zip([
                Lack::Staff,
                Lack::Facilities,
                Lack::Knowledge,
                Lack::Funds,
            ]) {
                total += share;
                if u < total {
                    lack = l;
                    break;
                }
            }
            if self
                .official_assistance(plan, forum, setting, state, (t, a, b), None)
                .is_some()
            {
                continue;
            }
            let spare = self.throughput(plan, state, b as usize) - self.queued[b as usize];
            match lack {
                Lack::Staff | Lack::Funds => {
                    // The longest run from the back of a's queue whose work fits in `spare`.
                    let queue = &self.queue[a as usize];
                    let (mut moved, mut count) = (0.0, 0);
                    for item in queue.iter().rev() {
                        if moved + item.work > spare {
                            break;
                        }
                        moved += item.work;
                        count += 1;
                    }
                    let from = queue.len() - count;
                    let items: Vec<Item> = self.queue[a as usize].drain(from..).collect();
                    self.queued[a as usize] -= moved;
                    if self.queue[a as usize].is_empty() {
                        self.queued[a as usize] = 0.0;
                    }
                    for item in items {
                        self.push(b, item);
                    }
                    let k = if lack == Lack::Staff {
                        activity::TECHNICAL
                    } else {
                        activity::GRANT
                    };
                    self.given(k, b, a);
                }
                Lack::Facilities => {
                    let amount = spare / 2.0;
                    self.lent[a as usize] += amount;
                    self.lent[b as usize] -= amount;
                    self.loans.push_back((t, a, b, amount));
                    self.given(activity::EQUIPMENT, b, a);
                }
                Lack::Knowledge => {
                    let c = &mut state.capacity[ia];
                    *c += plan.config.training_gain * (1.0 - *c);
                    self.work_filed += 1.0;
                    self.push(
                        b,
                        Item {
                            request: NO_REQUEST,
                            work: 1.0,
                        },
                    );
                    self.given(activity::TRAINING, b, a);
                }
            }
        }
    }

    /// S5: each agency, in index order, spends its throughput on its queue, front first.
    #[inline(never)]
    fn processing(&mut self, plan: &ServicePlan, state: &State) {
        let mut done = std::mem::take(&mut self.done);
        for x in 0..self.present.len() {
            let k = self.present[x] as usize;
            let budget = self.throughput(plan, state, k).max(0.0);
            done.clear();
            spend(
                &mut self.queue[k],
                budget,
                (&mut self.queued[k], &mut self.work_done),
                &mut done,
            );
            for item in &done {
                if item.request != NO_REQUEST {
                    let r = &mut self.requests[item.request as usize];
                    r.open -= 1;
                    r.left -= 1;
                    if r.left == 0 {
                        self.finished.push(item.request);
                    } else {
                        self.send_next(item.request);
                    }
                }
            }
            if self.queue[k].is_empty() {
                self.queued[k] = 0.0;
            }
        }
        self.done = done;
    }

    /// S6: requests whose contributions are all done complete.
    #[inline(never)]
    fn completion(&mut self, plan: &ServicePlan, t: u32) {
        let config = &plan.config;
        for x in 0..self.finished.len() {
            let id = self.finished[x];
            let r = &mut self.requests[id as usize];
            let tally = &mut self.tally;
            tally.completed += 1;
            tally.time += f64::from(t - r.filed + 1);
            tally.trips += f64::from(r.trips);
            tally.duplication += f64::from(r.collections - 1);
            let trips = if config.trip_cost_by_level.is_some() && plan.levels.is_some() {
                r.trip_cost
            } else {
                config.trip_cost * f64::from(r.trips)
            };
            tally.cost +=
                trips + config.collection_cost * f64::from(r.collections - 1) + r.total_work;
            self.free.push(id);
            self.open_requests -= 1;
        }
        self.finished.clear();
    }

    /// Writes the services metrics of the round just played (or of round 0) into `r`.
    pub fn record(&self, plan: &ServicePlan, forum: &Forum, t: u32, state: &State, r: &mut Record) {
        let tally = &self.tally;
        let per_request = |sum: f64| {
            if tally.completed == 0 {
                f64::NAN
            } else {
                sum / f64::from(tally.completed)
            }
        };
        r[Metric::Backlog.index()] = f64::from(self.open_requests);
        r[Metric::Completed.index()] = f64::from(tally.completed);
        r[Metric::ServiceTime.index()] = per_request(tally.time);
        r[Metric::Trips.index()] = per_request(tally.trips);
        r[Metric::Duplication.index()] = per_request(tally.duplication);
        r[Metric::Cost.index()] = per_request(tally.cost);
        r[Metric::AssistanceGranted.index()] = f64::from(tally.granted);
        r[Metric::AssistanceRefused.index()] = f64::from(tally.refused.iter().sum::<u32>());
        for (metric, count) in [
            Metric::RefusedLaw,
            Metric::RefusedConfidential,
            Metric::RefusedOverload,
            Metric::RefusedSilo,
            Metric::RefusedDistrust,
            Metric::RefusedAutonomy,
        ]
        .into_iter()
        .zip(tally.refused)
        {
            r[metric.index()] = f64::from(count);
        }
        r[Metric::Agreements.index()] = f64::from(self.agreements);
        let agencies = &plan.agencies;
        let understanding = if t >= forum.last_join {
            understanding_of(agencies.len(), |k| agencies[k] as usize, state)
        } else {
            let present: Vec<usize> = agencies
                .iter()
                .map(|&a| a as usize)
                .filter(|&a| forum.joins_at[a] <= t)
                .collect();
            understanding_of(present.len(), |k| present[k], state)
        };
        r[Metric::PolicyInconsistency.index()] = 1.0 - understanding;
    }

    /// Each agency's throughput now (`theta * k_a` plus loans), by ordinal.
    pub fn throughputs(&self, plan: &ServicePlan, state: &State) -> Vec<f64> {
        (0..plan.agencies.len())
            .map(|k| self.throughput(plan, state, k))
            .collect()
    }
}

/// Remaining work of a contribution that a budget this much smaller still finishes (S5):
/// floating-point rounding must not leave a sliver of work for another round (seven
/// rounds of throughput 0.1 leave 3e-17 of a contribution of 0.7).
pub const WORK_TOLERANCE: f64 = 1e-9;

/// S5 for one agency: spends `budget` on `queue`, front first. A contribution whose work is
/// at most the budget plus [`WORK_TOLERANCE`] is finished (appended to `done`); the first
/// one larger keeps what is left of its work. `queued` (the queue's work) and `work_done`
/// follow what is spent.
fn spend(
    queue: &mut VecDeque<Item>,
    mut budget: f64,
    (queued, work_done): (&mut f64, &mut f64),
    done: &mut Vec<Item>,
) {
    while budget > 0.0 {
        let Some(front) = queue.front_mut() else {
            break;
        };
        if front.work > budget + WORK_TOLERANCE {
            front.work -= budget;
            *queued -= budget;
            *work_done += budget;
            break;
        }
        let item = *front;
        queue.pop_front();
        budget -= item.work;
        *queued -= item.work;
        *work_done += item.work;
        done.push(item);
    }
}

/// A scenario's service design in numbers, for `collabgov validate`: demand against
/// throughput at the start (before any training or intervention).
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceDesign {
    /// Pattern in force at round 1.
    pub pattern: Pattern,
    /// Agencies present at round 1.
    pub agencies: usize,
    /// Mean requests filed per round (`R * A`).
    pub requests: f64,
    /// Mean work filed per round.
    pub work: f64,
    /// Total throughput per round (`theta` times each agency's mean initial capacity).
    pub throughput: f64,
}

impl ServiceDesign {
    /// The design of `scenario` (`None` without services).
    pub fn of(scenario: &collabgov_core::Scenario) -> Option<ServiceDesign> {
        let config = scenario.services.as_ref()?;
        let forum = &scenario.forum;
        let present: Vec<usize> = (0..forum.n_actors())
            .filter(|&i| forum.is_agency[i] && forum.joins_at[i] <= 1)
            .collect();
        let a = present.len();
        let capacity = |i: usize| {
            let actor = &forum.actors[i];
            actor
                .fixed
                .as_ref()
                .and_then(|f| f.capacity)
                .unwrap_or_else(|| forum.profiles[actor.profile as usize].capacity.mean())
        };
        let factor = if config.pattern == Pattern::Electronic {
            config.electronic_work
        } else {
            1.0
        };
        let others = a.saturating_sub(1) as f64;
        let per_request: f64 = config
            .kinds
            .iter()
            .map(|k| k.share * k.work * factor * ((f64::from(k.agencies) - 1.0).min(others) + 1.0))
            .sum();
        let requests = config.requests * a as f64;
        Some(ServiceDesign {
            pattern: config.pattern,
            agencies: a,
            requests,
            work: requests * per_request,
            throughput: present
                .iter()
                .map(|&i| config.throughput * capacity(i))
                .sum(),
        })
    }

    /// Demand over throughput (above 1, queues grow without bound).
    pub fn load(&self) -> f64 {
        self.work / self.throughput
    }
}

/// Bytes the services of a run may hold at most: in each replicate in flight, every
/// request it can file (a run files at most what its demand brings over its rounds; open
/// requests are bounded by that) with its contributions, and the per-agency state; in every
/// replicate, the activity counts of each round.
pub fn estimate_bytes(
    config: &Services,
    agencies: u64,
    rounds: u64,
    replicates: u64,
    in_flight: u64,
) -> u64 {
    let contributions = config
        .kinds
        .iter()
        .map(|k| k.share * f64::from(k.agencies))
        .sum::<f64>();
    let per_request = std::mem::size_of::<Request>() as f64
        + contributions * (std::mem::size_of::<Item>() + std::mem::size_of::<(u32, f64)>()) as f64;
    // Poisson filing: the mean plus a wide margin.
    let requests = (config.requests * agencies as f64 * rounds as f64 * 1.2).ceil();
    let per_replicate = (requests * per_request) as u64
        + agencies.saturating_mul(
            (std::mem::size_of::<Activities>() + 4 * std::mem::size_of::<f64>() + 64) as u64,
        );
    in_flight.saturating_mul(per_replicate).saturating_add(
        replicates
            .saturating_mul(rounds + 1)
            .saturating_mul(std::mem::size_of::<Activities>() as u64),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seven rounds of throughput 0.1 finish a contribution of work 0.7 (the independent
    /// implementation's docking case): without the tolerance, rounding left 3e-17 of it for
    /// an eighth round.
    #[test]
    fn a_contribution_finishes_when_rounding_leaves_a_sliver() {
        let mut queue = VecDeque::from([Item {
            request: 3,
            work: 0.7,
        }]);
        let (mut queued, mut work_done) = (0.7, 0.0);
        let mut done = Vec::new();
        let mut rounds = 0;
        while done.is_empty() && rounds < 10 {
            rounds += 1;
            spend(&mut queue, 0.1, (&mut queued, &mut work_done), &mut done);
        }
        assert_eq!(rounds, 7, "finished after {rounds} rounds");
        assert!(queue.is_empty());
        assert_eq!(done[0].request, 3);
        assert!((work_done - 0.7).abs() < 1e-12, "{work_done}");
        // Clearly more work than the budget is still carried over.
        let mut queue = VecDeque::from([Item {
            request: 4,
            work: 0.1 + 1e-6,
        }]);
        done.clear();
        spend(&mut queue, 0.1, (&mut queued, &mut work_done), &mut done);
        assert!(done.is_empty());
        assert!((queue[0].work - 1e-6).abs() < 1e-12);
        // Two contributions in one budget: the first finished, the second started.
        let mut queue = VecDeque::from([
            Item {
                request: 5,
                work: 0.3,
            },
            Item {
                request: 6,
                work: 0.5,
            },
        ]);
        done.clear();
        spend(&mut queue, 0.5, (&mut queued, &mut work_done), &mut done);
        assert_eq!(done.len(), 1);
        assert!((queue[0].work - 0.3).abs() < 1e-12);
    }
}
