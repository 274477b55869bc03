//! The per-group series: each round, trust, commitment and participation by sector and by
//! kind (agencies against non-state actors), from sums per cell (an actor's sector and kind
//! together, [`Forum::cell_of`]) that `record` collects in the same pass as the forum's own
//! metrics.

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
        let n_sectors = forum.sectors.len();
        let mut names = Vec::new();
        let mut cells = Vec::new();
        for (s, name) in forum.sectors.iter().enumerate() {
            names.push(format!("sector:{name}"));
            cells.push(vec![2 * s, 2 * s + 1]);
        }
        for (agency, name) in [(true, "kind:agency"), (false, "kind:non_state")] {
            if forum.is_agency.contains(&agency) {
                names.push(name.to_string());
                cells.push(
                    (0..n_sectors)
                        .map(|s| 2 * s + usize::from(!agency))
                        .collect(),
                );
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
    pub fn measure(&self, sums: &mut CellSums, played: bool, out: &mut Vec<f64>) {
        // Each group's totals, summed over its cells in a fixed order.
        let totals = &mut sums.totals;
        totals.clear();
        for cells in &self.cells {
            let mut total = Totals::default();
            for &c in cells {
                total.trust += sums.trust[c];
                total.relations += sums.relations[c];
                total.commitment += sums.commitment[c];
                total.actors += sums.actors[c];
                total.participants += sums.participants[c];
            }
            totals.push(total);
        }
        for metric in GroupMetric::ALL {
            out.extend(totals.iter().map(|total| match metric {
                GroupMetric::Trust => mean(total.trust as f64 / FIXED_ONE, total.relations),
                GroupMetric::Commitment => mean(total.commitment, total.actors),
                GroupMetric::Participation if played => {
                    mean(total.participants as f64, total.actors)
                }
                GroupMetric::Participation => f64::NAN,
            }));
        }
    }
}

/// A group's sums in one round.
#[derive(Clone, Copy, Debug, Default)]
pub struct Totals {
    trust: i128,
    relations: usize,
    commitment: f64,
    actors: usize,
    participants: usize,
}

/// One round's sums per cell (indexed by [`Forum::cell_of`]'s values).
#[derive(Clone, Debug, Default)]
pub struct CellSums {
    /// Trust of the existing relations whose source (the actor holding the trust) is in the
    /// cell, in the units of the running trust sums.
    pub trust: Vec<i128>,
    /// Those relations.
    pub relations: Vec<usize>,
    /// Commitment of the cell's existing actors.
    pub commitment: Vec<f64>,
    /// The cell's existing actors.
    pub actors: Vec<usize>,
    /// The cell's actors taking part this round.
    pub participants: Vec<usize>,
    /// Each group's totals (a buffer of [`Groups::measure`]).
    totals: Vec<Totals>,
}

impl CellSums {
    /// Zeroes every sum, for `cells` cells.
    pub fn clear(&mut self, cells: usize) {
        for v in [
            &mut self.relations,
            &mut self.actors,
            &mut self.participants,
        ] {
            v.clear();
            v.resize(cells, 0);
        }
        self.trust.clear();
        self.trust.resize(cells, 0);
        self.commitment.clear();
        self.commitment.resize(cells, 0.0);
    }
}
