//! The network stage: the relations drawn once from the master seed on the network's own
//! stream (complete, sbm, small world) or read from an edge file, the relations the
//! interventions create with their windows, and the CSR graph built from them.

use std::collections::{HashMap, HashSet};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::inputs::parse_edges_csv;
use super::interventions::{self, Intervention};
use super::memory::check_memory;
use super::raw::{RawNetwork, RawScenario};
use super::{Ctx, Loader, ScenarioError, Window, unit};
use crate::actor::Actor;
use crate::graph::{self, RelationGraph};

/// The graph of a `graphml` or `gexf` network file.
pub(crate) fn read_graph(
    network: &super::raw::RawNetwork,
    file: &str,
    text: &str,
) -> Result<super::graph_file::Graph, ScenarioError> {
    match network {
        super::raw::RawNetwork::Gexf { .. } => super::gexf::parse(file, text),
        _ => super::graphml::parse(file, text),
    }
}

/// What the network stage builds.
pub(crate) struct Network {
    pub(crate) graph: RelationGraph,
    pub(crate) windows: Option<Vec<Window>>,
    pub(crate) fixed_trust: Option<Vec<f64>>,
}

/// The forum as the actor stage formed it, which the network stage connects.
#[derive(Clone, Copy)]
pub(crate) struct Formed<'a> {
    /// Every actor: the file's first, then those that join through interventions.
    pub(crate) actors: &'a [Actor],
    /// How many of `actors` are the file's.
    pub(crate) n_original: usize,
    /// Sectors.
    pub(crate) n_sectors: usize,
    /// Issues on the agenda (their memory counts).
    pub(crate) issues: usize,
    /// The units of government of a multilevel network.
    pub(crate) units: Option<&'a [super::levels::Unit]>,
}

/// Draws or reads the relations, adds the interventions' (`n_original` actors are the
/// file's; the others joined through interventions), and builds the graph.
pub(crate) fn network(
    ctx: &Ctx<'_>,
    raw: &RawScenario,
    formed: Formed<'_>,
    interventions: &mut [Intervention],
    load: Loader<'_>,
    draw: u32,
) -> Result<Network, ScenarioError> {
    let Formed {
        actors,
        n_original,
        n_sectors,
        issues,
        units,
    } = formed;
    // Network draw `draw`: from the network's seed (by default the master seed) on a
    // stream of its own, u64::MAX - draw (replicates use streams from 0, services from
    // 2^32), so draw 0 is the network every replicate shared before draws existed.
    let mut net_rng = ChaCha8Rng::seed_from_u64(raw.network.seed().unwrap_or(raw.seed));
    net_rng.set_stream(u64::MAX - u64::from(draw));
    let mut blocks: Vec<Vec<u32>> = vec![Vec::new(); n_sectors];
    for (i, actor) in actors[..n_original].iter().enumerate() {
        blocks[actor.sector as usize].push(i as u32);
    }
    let block_sizes: Vec<u64> = blocks.iter().map(|b| b.len() as u64).collect();
    check_memory(
        ctx,
        &raw.network,
        &block_sizes,
        actors.len() as u64,
        issues as u64,
    )?;
    let mut directed_trust: Option<HashMap<(u32, u32), f64>> = None;
    let mut pairs: Vec<(u32, u32)> = match &raw.network {
        RawNetwork::Complete => graph::complete_pairs(n_original),
        RawNetwork::Sbm {
            p_within, p_across, ..
        } => {
            unit(ctx, "network.p_within", *p_within)?;
            unit(ctx, "network.p_across", *p_across)?;
            graph::sbm_pairs(&mut net_rng, &blocks, *p_within, *p_across)
        }
        RawNetwork::SmallWorld { k, beta, .. } => {
            if *k == 0 || k % 2 == 1 || *k as usize >= n_original.max(1) {
                return Err(ctx.err("network.k", format!("expected an even k >= 2 and below the number of actors ({n_original}), found {k}")));
            }
            unit(ctx, "network.beta", *beta)?;
            graph::small_world_pairs(&mut net_rng, n_original, *k as usize, *beta)
        }
        RawNetwork::Multilevel(m) => super::levels::pairs_of(
            &mut net_rng,
            m,
            units.unwrap_or_default(),
            &actors[..n_original],
            n_sectors,
        ),
        RawNetwork::Edges { file: path }
        | RawNetwork::Graphml { file: path, .. }
        | RawNetwork::Gexf { file: path, .. } => {
            let (pairs, trust) = file_pairs(ctx, raw, path, &actors[..n_original], load)?;
            directed_trust = trust;
            pairs
        }
    };

    let extra = intervention_relations(
        ctx,
        actors,
        n_original,
        &mut net_rng,
        interventions,
        &mut pairs,
    )?;

    let graph = RelationGraph::from_pairs(actors.len(), &pairs)
        .map_err(|e| ctx.err("network", e.to_string()))?;
    drop(pairs);
    let windows = if extra.is_empty() {
        None
    } else {
        let mut w = vec![Window::ALWAYS; graph.n_slots()];
        for (slot, i, j) in graph.relations() {
            if let Some(win) = extra.get(&(i as u32, j as u32)) {
                w[slot] = *win;
                w[graph.reverse(slot)] = *win;
            }
        }
        Some(w)
    };
    let fixed_trust = directed_trust.map(|map| {
        let mut fixed = vec![f64::NAN; graph.n_slots()];
        for i in 0..graph.n_actors() {
            for (slot, j) in graph.slots(i).zip(graph.neighbors(i)) {
                let (a, b) = (i as u32, *j);
                fixed[slot] = map
                    .get(&(a, b))
                    .or_else(|| map.get(&(b, a)))
                    .copied()
                    .unwrap_or(f64::NAN);
            }
        }
        fixed
    });
    interventions.sort_by_key(Intervention::round);

    Ok(Network {
        graph,
        windows,
        fixed_trust,
    })
}

/// Trust given per directed pair of actors (by a network file).
type DirectedTrust = HashMap<(u32, u32), f64>;

/// A network file's relations, each pair once, and its directed trusts if it gives any.
type FilePairs = (Vec<(u32, u32)>, Option<DirectedTrust>);

/// The relations of a network file (an edge CSV, GraphML or GEXF) between the file's
/// `actors`, each pair once, and the directed trusts the file gives, if any.
fn file_pairs(
    ctx: &Ctx<'_>,
    raw: &RawScenario,
    path: &str,
    actors: &[Actor],
    load: Loader<'_>,
) -> Result<FilePairs, ScenarioError> {
    let text =
        load(path).map_err(|m| ctx.err("network.file", format!("cannot read \"{path}\": {m}")))?;
    let id_refs: HashMap<&str, u32> = actors
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i as u32))
        .collect();
    let edges = match raw.network.graph_file() {
        Some((_, attributes)) => {
            let graph = read_graph(&raw.network, path, &text)?;
            super::graph_file::edges(path, &graph, attributes, &id_refs)?
        }
        None => parse_edges_csv(path, &text, &id_refs)?,
    };
    let mut map = HashMap::with_capacity(edges.len());
    let mut pairs = Vec::with_capacity(edges.len());
    let mut undirected = HashSet::with_capacity(edges.len());
    for &(a, b, t, _) in &edges {
        if undirected.insert((a.min(b), a.max(b))) {
            pairs.push((a, b));
        }
        if !t.is_nan() {
            map.insert((a, b), t);
        }
    }
    Ok((pairs, (!map.is_empty()).then_some(map)))
}

/// Adds to `pairs` the relations interventions create, each with its window: coordinating
/// agencies first, then the others in file order. Returns the windows by pair.
fn intervention_relations(
    ctx: &Ctx<'_>,
    actors: &[Actor],
    n_original: usize,
    net_rng: &mut ChaCha8Rng,
    interventions: &mut [Intervention],
    pairs: &mut Vec<(u32, u32)>,
) -> Result<HashMap<(u32, u32), Window>, ScenarioError> {
    let mut extra: HashMap<(u32, u32), Window> = HashMap::new();
    if interventions.iter().any(|iv| iv.relation_pass().is_some()) {
        let mut present: HashSet<(u32, u32)> =
            pairs.iter().map(|&(a, b)| (a.min(b), a.max(b))).collect();
        let mut add = |a: u32, b: u32, w: Window| -> bool {
            let key = (a.min(b), a.max(b));
            let added = a != b && present.insert(key);
            if added {
                pairs.push(key);
                extra.insert(key, w);
            }
            added
        };
        let mut relations = interventions::Relations {
            ctx,
            actors,
            n_original,
            rng: net_rng,
        };
        for pass in [0, 1] {
            for iv in interventions.iter_mut() {
                if iv.relation_pass() == Some(pass) {
                    iv.relations(&mut relations, &mut add)?;
                }
            }
        }
    }
    Ok(extra)
}
