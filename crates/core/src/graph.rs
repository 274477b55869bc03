//! The relation graph: undirected relations on a petgraph [`Csr`], two directed trust slots
//! per relation, and the sparse network generators of CG-1.
//!
//! A relation `i ~ j` appears twice in the compressed rows: once in `i`'s row (the slot of
//! `T_ij`, i's trust in j) and once in `j`'s row (the slot of `T_ji`). Slots index every
//! per-relation state vector of a replicate; [`RelationGraph::reverse`] gives the slot of
//! the other direction. The structure is built once and shared read-only by all replicates.

use std::ops::Range;

use petgraph::Undirected;
use petgraph::csr::Csr;
use rand::{Rng, RngExt};

/// Error building a graph from a list of relations.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GraphError {
    /// A relation joins an actor to itself.
    #[error("actor {0} is related to itself")]
    SelfLoop(u32),
    /// An actor index is not below the number of actors.
    #[error("actor index {index} is out of range (there are {n_actors} actors)")]
    OutOfRange {
        /// The bad index.
        index: u32,
        /// Number of actors.
        n_actors: usize,
    },
    /// The same relation was listed twice.
    #[error("the relation {0} ~ {1} is listed twice")]
    Duplicate(u32, u32),
    /// More relations than 32-bit slot indices can address.
    #[error("{0} relations are more than this engine addresses (at most 2^31 - 1)")]
    TooLarge(usize),
}

/// Undirected relations between actors `0..n_actors`, stored as a petgraph CSR.
#[derive(Debug, Clone)]
pub struct RelationGraph {
    csr: Csr<(), (), Undirected, u32>,
    row_start: Vec<u32>,
    reverse: Vec<u32>,
}

impl RelationGraph {
    /// Builds the graph from undirected pairs. Each pair must join two different actors and
    /// appear once (in either orientation). Costs O(actors + relations * log degree).
    pub fn from_pairs(n_actors: usize, pairs: &[(u32, u32)]) -> Result<Self, GraphError> {
        if pairs.len() >= (u32::MAX / 2) as usize {
            return Err(GraphError::TooLarge(pairs.len()));
        }
        let mut degree = vec![0u32; n_actors + 1];
        for &(a, b) in pairs {
            for idx in [a, b] {
                if idx as usize >= n_actors {
                    return Err(GraphError::OutOfRange {
                        index: idx,
                        n_actors,
                    });
                }
            }
            if a == b {
                return Err(GraphError::SelfLoop(a));
            }
            degree[a as usize + 1] += 1;
            degree[b as usize + 1] += 1;
        }
        let mut row_start = degree;
        for i in 0..n_actors {
            row_start[i + 1] += row_start[i];
        }
        // Counting sort by source, then sort each row by target.
        let mut column = vec![0u32; 2 * pairs.len()];
        let mut fill: Vec<u32> = row_start[..n_actors].to_vec();
        for &(a, b) in pairs {
            column[fill[a as usize] as usize] = b;
            fill[a as usize] += 1;
            column[fill[b as usize] as usize] = a;
            fill[b as usize] += 1;
        }
        drop(fill);
        for i in 0..n_actors {
            let row = &mut column[row_start[i] as usize..row_start[i + 1] as usize];
            row.sort_unstable();
            if let Some(w) = row.windows(2).find(|w| w[0] == w[1]) {
                return Err(GraphError::Duplicate(i as u32, w[0]));
            }
        }
        let mut sorted: Vec<(u32, u32)> = Vec::with_capacity(column.len());
        for i in 0..n_actors {
            for &j in &column[row_start[i] as usize..row_start[i + 1] as usize] {
                sorted.push((i as u32, j));
            }
        }
        let mut csr = Csr::from_sorted_edges(&sorted).map_err(|_| GraphError::Duplicate(0, 0))?;
        drop(sorted);
        while csr.node_count() < n_actors {
            csr.add_node(());
        }
        // Reverse slots in O(relations): rows are sorted, so the neighbours of j below j come
        // first in j's row, in increasing order, which is the order in which the loop over i
        // meets them; a cursor per actor walks that prefix.
        let mut reverse = vec![0u32; column.len()];
        let mut cursor: Vec<u32> = row_start[..n_actors].to_vec();
        for i in 0..n_actors {
            for slot in row_start[i] as usize..row_start[i + 1] as usize {
                let j = column[slot] as usize;
                if j > i {
                    let back = cursor[j];
                    cursor[j] += 1;
                    reverse[slot] = back;
                    reverse[back as usize] = slot as u32;
                }
            }
        }
        Ok(RelationGraph {
            csr,
            row_start,
            reverse,
        })
    }

    /// Number of actors (nodes).
    pub fn n_actors(&self) -> usize {
        self.row_start.len() - 1
    }

    /// Number of undirected relations.
    pub fn n_relations(&self) -> usize {
        self.reverse.len() / 2
    }

    /// Number of directed trust slots (twice the relations).
    pub fn n_slots(&self) -> usize {
        self.reverse.len()
    }

    /// The neighbours of `actor`, in increasing order; `neighbors(a)[k]` belongs to slot
    /// `slots(a).start + k`.
    #[inline]
    pub fn neighbors(&self, actor: usize) -> &[u32] {
        self.csr.neighbors_slice(actor as u32)
    }

    /// The slots of `actor`'s row: the slot of its trust in each neighbour.
    #[inline]
    pub fn slots(&self, actor: usize) -> Range<usize> {
        self.row_start[actor] as usize..self.row_start[actor + 1] as usize
    }

    /// The degree of `actor`.
    #[inline]
    pub fn degree(&self, actor: usize) -> usize {
        (self.row_start[actor + 1] - self.row_start[actor]) as usize
    }

    /// The slot of `a`'s trust in `b`, if they are related (a binary search of `a`'s row).
    #[inline]
    pub fn slot_of(&self, a: usize, b: usize) -> Option<usize> {
        let b = b as u32;
        self.neighbors(a)
            .binary_search(&b)
            .ok()
            .map(|k| self.row_start[a] as usize + k)
    }

    /// The slot of the reverse direction of `slot`.
    #[inline]
    pub fn reverse(&self, slot: usize) -> usize {
        self.reverse[slot] as usize
    }

    /// Every relation once, as `(slot of T_ij, i, j)` with `i < j`.
    pub fn relations(&self) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        (0..self.n_actors()).flat_map(move |i| {
            self.slots(i)
                .zip(self.neighbors(i))
                .filter(move |(_, j)| **j as usize > i)
                .map(move |(slot, j)| (slot, i, *j as usize))
        })
    }

    /// The underlying petgraph CSR, for graph algorithms.
    pub fn csr(&self) -> &Csr<(), (), Undirected, u32> {
        &self.csr
    }
}

/// All pairs of `0..n`.
pub fn complete_pairs(n: usize) -> Vec<(u32, u32)> {
    let mut pairs = Vec::with_capacity(n * n.saturating_sub(1) / 2);
    for a in 0..n as u32 {
        for b in a + 1..n as u32 {
            pairs.push((a, b));
        }
    }
    pairs
}

/// Geometric skip: how many candidates to pass over before the next success with chance `p`.
#[inline]
fn skip<R: Rng + ?Sized>(rng: &mut R, log_q: f64) -> u64 {
    let u: f64 = 1.0 - rng.random::<f64>(); // in (0, 1]
    (u.ln() / log_q).floor() as u64
}

/// Pairs within one block of `members`, each with chance `p`, in O(members + pairs found)
/// (Batagelj & Brandes 2005).
pub fn gnp_pairs<R: Rng + ?Sized>(rng: &mut R, members: &[u32], p: f64, out: &mut Vec<(u32, u32)>) {
    let n = members.len() as u64;
    if p <= 0.0 || n < 2 {
        return;
    }
    if p >= 1.0 {
        for a in 0..members.len() {
            for b in a + 1..members.len() {
                out.push((members[a], members[b]));
            }
        }
        return;
    }
    let log_q = (1.0 - p).ln();
    let (mut v, mut w): (u64, i64) = (1, -1);
    while v < n {
        w += 1 + skip(rng, log_q) as i64;
        while w >= v as i64 && v < n {
            w -= v as i64;
            v += 1;
        }
        if v < n {
            out.push((members[w as usize], members[v as usize]));
        }
    }
}

/// Pairs across two disjoint blocks, each with chance `p`, in O(pairs found).
pub fn bipartite_pairs<R: Rng + ?Sized>(
    rng: &mut R,
    left: &[u32],
    right: &[u32],
    p: f64,
    out: &mut Vec<(u32, u32)>,
) {
    let total = left.len() as u64 * right.len() as u64;
    if p <= 0.0 || total == 0 {
        return;
    }
    if p >= 1.0 {
        for &a in left {
            for &b in right {
                out.push((a, b));
            }
        }
        return;
    }
    let log_q = (1.0 - p).ln();
    let width = right.len() as u64;
    let mut k = skip(rng, log_q);
    while k < total {
        out.push((left[(k / width) as usize], right[(k % width) as usize]));
        k += 1 + skip(rng, log_q);
    }
}

/// A stochastic block model over sectors: `blocks[s]` lists sector s's actors.
pub fn sbm_pairs<R: Rng + ?Sized>(
    rng: &mut R,
    blocks: &[Vec<u32>],
    p_within: f64,
    p_across: f64,
) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    for (s, block) in blocks.iter().enumerate() {
        gnp_pairs(rng, block, p_within, &mut out);
        for other in &blocks[s + 1..] {
            bipartite_pairs(rng, block, other, p_across, &mut out);
        }
    }
    out
}

/// Watts-Strogatz small world over `0..n`: a ring where each actor is related to its `k/2`
/// nearest on each side, then each relation's far end rewired with chance `beta` to a
/// uniformly drawn actor (no self-relations, no duplicates; a relation that finds no free
/// end stays).
pub fn small_world_pairs<R: Rng + ?Sized>(
    rng: &mut R,
    n: usize,
    k: usize,
    beta: f64,
) -> Vec<(u32, u32)> {
    use std::collections::HashSet;
    let half = (k / 2).min(n.saturating_sub(1) / 2);
    let key = |a: u32, b: u32| if a < b { (a, b) } else { (b, a) };
    let mut pairs = Vec::with_capacity(n * half);
    let mut present: HashSet<(u32, u32)> = HashSet::with_capacity(n * half);
    for i in 0..n {
        for d in 1..=half {
            let pair = key(i as u32, ((i + d) % n) as u32);
            if present.insert(pair) {
                pairs.push(pair);
            }
        }
    }
    if beta > 0.0 && n > 2 {
        for pair in pairs.iter_mut() {
            if rng.random::<f64>() >= beta {
                continue;
            }
            let a = pair.0;
            // A bounded number of tries keeps dense corner cases from looping forever.
            for _ in 0..32 {
                let b = rng.random_range(0..n as u32);
                let candidate = key(a, b);
                if b != a && !present.contains(&candidate) {
                    present.remove(pair);
                    present.insert(candidate);
                    *pair = candidate;
                    break;
                }
            }
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn slots_and_reverse_are_consistent() {
        let g = RelationGraph::from_pairs(5, &[(0, 1), (3, 0), (1, 2), (4, 2)]).unwrap();
        assert_eq!(g.n_relations(), 4);
        for i in 0..5 {
            for (slot, j) in g.slots(i).zip(g.neighbors(i)) {
                let back = g.reverse(slot);
                assert_eq!(g.reverse(back), slot);
                let j = *j as usize;
                assert!(g.slots(j).contains(&back));
                assert_eq!(g.neighbors(j)[back - g.slots(j).start] as usize, i);
            }
        }
        assert_eq!(g.relations().count(), 4);
        assert_eq!(g.degree(0), 2);
    }

    #[test]
    fn bad_pairs_are_refused() {
        assert_eq!(
            RelationGraph::from_pairs(3, &[(1, 1)]).unwrap_err(),
            GraphError::SelfLoop(1)
        );
        assert_eq!(
            RelationGraph::from_pairs(3, &[(0, 1), (1, 0)]).unwrap_err(),
            GraphError::Duplicate(0, 1)
        );
        assert!(matches!(
            RelationGraph::from_pairs(3, &[(0, 7)]).unwrap_err(),
            GraphError::OutOfRange { index: 7, .. }
        ));
    }

    #[test]
    fn isolated_trailing_actors_exist() {
        let g = RelationGraph::from_pairs(6, &[(0, 1)]).unwrap();
        assert_eq!(g.n_actors(), 6);
        assert_eq!(g.degree(5), 0);
        assert!(g.neighbors(5).is_empty());
    }

    #[test]
    fn gnp_density_matches_p_and_pairs_are_valid() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let members: Vec<u32> = (0..400).collect();
        let mut out = Vec::new();
        gnp_pairs(&mut rng, &members, 0.05, &mut out);
        let expected = 0.05 * 400.0 * 399.0 / 2.0;
        assert!(
            (out.len() as f64 - expected).abs() < 4.0 * expected.sqrt(),
            "{}",
            out.len()
        );
        assert!(out.iter().all(|&(a, b)| a < b && b < 400));
        RelationGraph::from_pairs(400, &out).expect("no duplicates");
    }

    #[test]
    fn sbm_has_denser_blocks() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let blocks: Vec<Vec<u32>> = vec![(0..100).collect(), (100..200).collect()];
        let pairs = sbm_pairs(&mut rng, &blocks, 0.2, 0.01);
        let within = pairs.iter().filter(|(a, b)| (a / 100) == (b / 100)).count() as f64;
        let across = pairs.len() as f64 - within;
        assert!((within - 0.2 * 2.0 * 4950.0).abs() < 4.0 * (0.2 * 9900.0f64).sqrt());
        assert!((across - 0.01 * 10000.0).abs() < 4.0 * 10.0);
        RelationGraph::from_pairs(200, &pairs).expect("valid");
        assert_eq!(sbm_pairs(&mut rng, &blocks, 1.0, 0.0).len(), 2 * 4950);
    }

    #[test]
    fn small_world_keeps_degree_and_rewires() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let ring = small_world_pairs(&mut rng, 50, 4, 0.0);
        assert_eq!(ring.len(), 100);
        let g = RelationGraph::from_pairs(50, &ring).unwrap();
        assert!((0..50).all(|i| g.degree(i) == 4));
        let rewired = small_world_pairs(&mut rng, 50, 4, 0.5);
        assert_eq!(rewired.len(), 100);
        RelationGraph::from_pairs(50, &rewired).expect("no duplicates after rewiring");
        assert_ne!(ring, rewired);
    }
}
