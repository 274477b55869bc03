//! What CG-3 records each round beyond CG-1 (docs/model.md, "Levels of government"): trust
//! by relation kind (local, vertical, peer), the dialogues refused for autonomy, shared
//! understanding between the regency units and the share of them in consensus; and each
//! unit's final values (`units.csv`). The rules themselves are in `mod.rs` (the autonomy
//! draw in `draw_block`, control in `play_dialogue`, the framings in `State::draw`,
//! `repower`).

use collabgov_core::Forum;
use collabgov_core::scenario::levels::{ForumLevels, LOCAL, RELATION_KINDS, VERTICAL};

use super::kernels::{FIXED_ONE, lane_sum, mean};
use super::{RoundCounts, Schedule, State, relation_exists, understanding, understanding_of};
use crate::metrics::{Metric, Record};

/// Shared understanding `U` over points of `issues` values each (`points[k * issues + d]`),
/// by CG-1's formula ([`understanding`]).
pub fn understanding_of_points(points: &[f64], issues: usize) -> f64 {
    let count = points.len() / issues.max(1);
    understanding(count, issues, |k, d| points[k * issues + d])
}

/// One unit's understanding, mean commitment and whether its own actors are in consensus,
/// over its actors that exist in round `t`; its mean view is appended to `views`.
fn unit_state(
    forum: &Forum,
    members: &[u32],
    state: &State,
    t: u32,
    views: &mut Vec<f64>,
) -> (f64, f64, usize) {
    let issues = state.issues;
    // Only the national unit holds actors that join later (coordinating agencies); a
    // unit whose actors all exist is read in place.
    let late: Vec<u32>;
    let present: &[u32] = if members.iter().all(|&i| forum.joins_at[i as usize] <= t) {
        members
    } else {
        late = members
            .iter()
            .copied()
            .filter(|&i| forum.joins_at[i as usize] <= t)
            .collect();
        &late
    };
    let existing = present.len();
    let member = |k: usize| present[k] as usize;
    for d in 0..issues {
        let sum = lane_sum(existing, |k| state.views[member(k) * issues + d]);
        views.push(mean(sum, existing));
    }
    let u = understanding_of(existing, member, state);
    let c = mean(
        lane_sum(existing, |k| state.commitment[member(k)]),
        existing,
    );
    (u, c, existing)
}

/// Trust sums (in the units of the running sums) and relations by relation kind.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct KindSums {
    sums: [i128; RELATION_KINDS],
    relations: [usize; RELATION_KINDS],
}

impl KindSums {
    /// Adds one relation's trust (a slot held by an existing actor).
    #[inline]
    pub(super) fn add(&mut self, kind: u8, trust: i128) {
        self.sums[kind as usize] += trust;
        self.relations[kind as usize] += 1;
    }

    /// From the running sums by class, when every actor and relation exists (the classes
    /// hold the relation kind: [`super::trust_class`]).
    pub(super) fn of_classes(forum: &Forum, schedule: &Schedule, state: &State) -> KindSums {
        let mut out = KindSums::default();
        let per_kind = 2 * forum.n_cells();
        let by_class = state.trust_sums.iter().zip(&schedule.class_slots);
        for (class, (&sum, &count)) in by_class.enumerate() {
            out.sums[class / per_kind] += sum;
            out.relations[class / per_kind] += count;
        }
        out
    }
}

/// Records CG-3's metrics of round `t` into `r`, from the trust sums by relation kind
/// `record` collected.
#[allow(clippy::too_many_arguments)]
pub(super) fn record_levels(
    forum: &Forum,
    levels: &ForumLevels,
    schedule: &Schedule,
    (state, t): (&State, u32),
    by_kind: &KindSums,
    counts: &RoundCounts,
    views: &mut Vec<f64>,
    r: &mut Record,
) {
    let KindSums { sums, relations } = by_kind;
    let fixed_mean = |k: u8| mean(sums[k as usize] as f64 / FIXED_ONE, relations[k as usize]);
    r[Metric::TrustLocal.index()] = fixed_mean(LOCAL);
    r[Metric::TrustVertical.index()] = fixed_mean(VERTICAL);
    r[Metric::TrustPeer.index()] = fixed_mean(collabgov_core::scenario::levels::PEER);
    r[Metric::BlockedAutonomy.index()] =
        (counts.blocked_autonomy[0] + counts.blocked_autonomy[1]) as f64;
    r[Metric::BlockedAutonomyVertical.index()] = counts.blocked_autonomy[0] as f64;
    let c = &schedule.at(t).params.consensus;
    views.clear();
    let mut in_consensus = 0usize;
    for &u in &levels.regencies {
        let (understanding, commitment, _) =
            unit_state(forum, &levels.members[u as usize], state, t, views);
        in_consensus += usize::from(understanding >= c.understanding && commitment >= c.commitment);
    }
    let n = levels.regencies.len();
    r[Metric::UnderstandingBetweenUnits.index()] = understanding_of_points(views, state.issues);
    r[Metric::UnitsInConsensus.index()] = mean(in_consensus as f64, n);
}

/// A unit's values at the end of a replicate (`units.csv`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UnitFinal {
    /// Shared understanding over the unit's actors.
    pub understanding: f64,
    /// How close the unit's mean view is to the whole forum's: `1 - 2 * d`, `d` the mean
    /// over issues of the distance between the two means (clamped to [0, 1], as `U`).
    pub alignment: f64,
    /// Their mean commitment.
    pub commitment: f64,
    /// Mean directed trust over the relations within the unit (NaN without any).
    pub trust_local: f64,
    /// Mean directed trust, both ways, over the relations with one end in the unit and the
    /// other in a vertical unit or joined by national coordination (NaN without any).
    pub trust_vertical: f64,
    /// 1 when the unit's actors are in consensus, else 0.
    pub consensus: f64,
}

/// Every unit's values in round `t` (the last), in unit order.
pub fn unit_finals(forum: &Forum, schedule: &Schedule, state: &State, t: u32) -> Vec<UnitFinal> {
    let Some(levels) = &forum.levels else {
        return Vec::new();
    };
    let c = &schedule.at(t).params.consensus;
    let graph = &forum.graph;
    let mut views = Vec::new();
    // The forum's mean view, over the actors that exist.
    let issues = state.issues;
    let existing: Vec<usize> = (0..forum.n_actors())
        .filter(|&i| forum.joins_at[i] <= t)
        .collect();
    let forum_view: Vec<f64> = (0..issues)
        .map(|d| {
            mean(
                lane_sum(existing.len(), |k| state.views[existing[k] * issues + d]),
                existing.len(),
            )
        })
        .collect();
    levels
        .members
        .iter()
        .map(|members| {
            views.clear();
            let (understanding, commitment, _) = unit_state(forum, members, state, t, &mut views);
            let distance = views
                .iter()
                .zip(&forum_view)
                .map(|(u, f)| (u - f).abs())
                .sum::<f64>()
                / issues.max(1) as f64;
            let alignment = (1.0 - 2.0 * distance).clamp(0.0, 1.0);
            let (mut local, mut vertical) = ((0.0, 0usize), (0.0, 0usize));
            for &i in members {
                let i = i as usize;
                if forum.joins_at[i] > t {
                    continue;
                }
                for (slot, &j) in graph.slots(i).zip(graph.neighbors(i)) {
                    if !relation_exists(forum, slot, t) || forum.joins_at[j as usize] > t {
                        continue;
                    }
                    match levels.relation[slot] {
                        LOCAL => {
                            local.0 += state.trust[slot];
                            local.1 += 1;
                        }
                        VERTICAL => {
                            vertical.0 += state.trust[slot] + state.trust[graph.reverse(slot)];
                            vertical.1 += 2;
                        }
                        _ => {}
                    }
                }
            }
            UnitFinal {
                understanding,
                alignment,
                commitment,
                trust_local: mean(local.0, local.1),
                trust_vertical: mean(vertical.0, vertical.1),
                consensus: f64::from(u8::from(
                    understanding >= c.understanding && commitment >= c.commitment,
                )),
            }
        })
        .collect()
}
