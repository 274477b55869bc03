//! The memory a forum and one replicate's run need, at measured costs, and the refusal of
//! a forum that would not fit before a single actor is generated.

use super::raw::RawNetwork;
use super::{Ctx, ScenarioError};

/// Bytes a run needs besides its actors and relations (the binary, buffers, threads).
pub const BASE_BYTES: u64 = 8 << 20;
/// Bytes per actor of a run, besides its issues: the actor record and profile, one
/// replicate's state and scratch, and its row of the output tables and its CSV text.
/// Measured (peak resident memory of `collabgov run`, one replicate, 2 threads, sbm forums
/// from 20k to 2M actors; docs/PERFORMANCE.md), not derived.
pub const BYTES_PER_ACTOR: u64 = 590;
/// Bytes per actor and issue (views in the state, the table and the CSV text).
pub const BYTES_PER_ACTOR_ISSUE: u64 = 32;
/// Bytes per relation: the CSR columns, the reverse-slot index, two trusts, the same-sector
/// flags, and what building the graph leaves in the allocator.
pub const BYTES_PER_RELATION: u64 = 32;

/// Bytes a run of a forum of `n_actors` and `n_relations` with `issues` issues needs, with
/// one replicate and no network table (the measured peak of `collabgov run`, within 25 %):
/// what `Scenario::parse` compares with the memory budget. `collabgov_sim::run` adds what
/// more replicates, threads and tables need.
pub fn estimate_bytes(n_actors: u64, n_relations: u64, issues: u64) -> u64 {
    let per_actor = BYTES_PER_ACTOR.saturating_add(BYTES_PER_ACTOR_ISSUE.saturating_mul(issues));
    BASE_BYTES
        .saturating_add(n_relations.saturating_mul(BYTES_PER_RELATION))
        .saturating_add(n_actors.saturating_mul(per_actor))
}

/// Refuses a forum whose estimated memory ([`estimate_bytes`]) exceeds the budget, saying
/// what it would need. `blocks` holds the sector sizes.
pub(crate) fn check_memory(
    ctx: &Ctx<'_>,
    network: &RawNetwork,
    blocks: &[u64],
    n_actors: u64,
    issues: u64,
) -> Result<(), ScenarioError> {
    let pairs = |n: u64| n.saturating_mul(n.saturating_sub(1)) / 2;
    let (relations, what) = match network {
        RawNetwork::Complete => (pairs(n_actors), "a complete network"),
        RawNetwork::Sbm {
            p_within, p_across, ..
        } => {
            let within: u64 = blocks.iter().map(|&b| pairs(b)).sum();
            let across = pairs(n_actors).saturating_sub(within);
            let p = |v: f64| {
                if v.is_finite() {
                    v.clamp(0.0, 1.0)
                } else {
                    0.0
                }
            };
            (
                (p(*p_within) * within as f64 + p(*p_across) * across as f64) as u64,
                "this sbm network",
            )
        }
        // Rewiring keeps a hash set of the relations: count them twice.
        RawNetwork::SmallWorld { k, .. } => (
            n_actors.saturating_mul(*k as u64 / 2).saturating_mul(2),
            "this small-world network",
        ),
        // Counted from the units when the actors are made (`check_relations`).
        RawNetwork::Multilevel(_) => (0, "this multilevel network"),
        RawNetwork::Edges { .. } => (0, "the edge file"),
        RawNetwork::Graphml { .. } => (0, "the GraphML file"),
        RawNetwork::Gexf { .. } => (0, "the GEXF file"),
    };
    check_relations(ctx, relations, n_actors, issues, what)
}

/// Refuses a forum of `n_actors` and about `relations` relations (`what` names its network)
/// whose estimated memory exceeds the budget.
pub(crate) fn check_relations(
    ctx: &Ctx<'_>,
    relations: u64,
    n_actors: u64,
    issues: u64,
    what: &str,
) -> Result<(), ScenarioError> {
    let bytes = estimate_bytes(n_actors, relations, issues);
    if bytes > ctx.budget {
        return Err(ctx.err(
            "network",
            format!(
                "expected a forum that fits in {}, found {what} of {n_actors} actors and about {relations} relations needing about {}; use a sparser network (sbm or small_world), or fewer actors",
                size_text(ctx.budget),
                size_text(bytes)
            ),
        ));
    }
    Ok(())
}

/// Bytes as people say them: `8 GiB`, `1.5 GiB`, `512 MiB`.
pub fn size_text(bytes: u64) -> String {
    const GIB: f64 = (1u64 << 30) as f64;
    const MIB: f64 = (1u64 << 20) as f64;
    let b = bytes as f64;
    if b >= GIB {
        let g = b / GIB;
        if g.fract() == 0.0 {
            format!("{g:.0} GiB")
        } else {
            format!("{g:.1} GiB")
        }
    } else {
        format!("{:.0} MiB", (b / MIB).ceil())
    }
}
