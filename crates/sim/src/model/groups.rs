//! The per-group series: each round, trust, commitment and participation by sector and by
//! kind (agencies against non-state actors), from sums per [`Cell`] (an actor's sector and
//! kind together, [`Forum::cell_of`]) that `record` collects in the same pass as the
//! forum's own metrics.

use collabgov_core::Forum;

use super::kernels::{FIXED_ONE, mean};
use crate::metrics::GroupMetric;

/// The groups of a forum's series, in output order: each sector as built (before any
/// merge), then agencies and non-state actors (each when the forum has any).
#[derive(Clone, Debug, PartialEq)]
pub struct Groups {
    /// `sector:NAME`, `kind:agency`, `kind:non_state`: the names in `rounds.csv`'s
    /// `group` column.
    names: Vec<String>,
    /// The cells of each group.
    cells: Vec<Vec<usize>>,
}

/// The name of the whole forum's rows in `rounds.csv`'s `group` column.
pub const ALL_GROUP: &str = "all";

impl Groups {
    /// The groups of `forum`.
    pub fn of(forum: &Forum) -> Groups {
        Groups::new(
            &forum.sectors,
            [
                forum.is_agency.contains(&true),
                forum.is_agency.contains(&false),
            ],
        )
    }

    /// The groups of a forum of `sectors` with agencies (`kinds[0]`) and non-state actors
    /// (`kinds[1]`).
    pub fn new(sectors: &[String], kinds: [bool; 2]) -> Groups {
        let mut names = Vec::new();
        let mut cells = Vec::new();
        for (s, name) in sectors.iter().enumerate() {
            names.push(format!("sector:{name}"));
            cells.push(vec![2 * s, 2 * s + 1]);
        }
        for (k, name) in ["kind:agency", "kind:non_state"].into_iter().enumerate() {
            if kinds[k] {
                names.push(name.to_string());
                cells.push((0..sectors.len()).map(|s| 2 * s + k).collect());
            }
        }
        Groups { names, cells }
    }

    /// The groups' names, in output order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Values one round holds: each group metric for each group.
    pub fn per_round(&self) -> usize {
        GroupMetric::ALL.len() * self.names.len()
    }

    /// Appends one round's values to `out`, metric by metric ([`GroupMetric::ALL`]), group
    /// by group; participation is empty unless the round was `played` (round 0 is not).
    pub fn measure(&self, cells: &[Cell], played: bool, out: &mut Vec<f64>) {
        let total = |group: &[usize]| {
            let mut total = Cell::default();
            for &c in group {
                let cell = &cells[c];
                total.trust += cell.trust;
                total.relations += cell.relations;
                total.commitment += cell.commitment;
                total.actors += cell.actors;
                total.participants += cell.participants;
            }
            total
        };
        // Metric by metric, group by group: trust at `start + g`, commitment at
        // `start + G + g`, participation at `start + 2G + g`.
        let (start, groups) = (out.len(), self.cells.len());
        out.resize(start + GroupMetric::ALL.len() * groups, f64::NAN);
        for (g, group) in self.cells.iter().enumerate() {
            let t = total(group);
            out[start + g] = mean(t.trust as f64 / FIXED_ONE, t.relations);
            out[start + groups + g] = mean(t.commitment, t.actors);
            if played {
                out[start + 2 * groups + g] = mean(t.participants as f64, t.actors);
            }
        }
    }
}

/// One round's sums of one cell (an actor's sector and kind, [`Forum::cell_of`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct Cell {
    /// Trust of the existing relations whose source (the actor holding the trust) is in the
    /// cell, in the units of the running trust sums.
    pub trust: i128,
    /// Those relations.
    pub relations: usize,
    /// Commitment of the cell's existing actors.
    pub commitment: f64,
    /// The cell's existing actors.
    pub actors: usize,
    /// The cell's actors taking part this round.
    pub participants: usize,
}
