//! The per-group series: each round, trust, commitment and participation by sector and by
//! kind (agencies against non-state actors), from sums per [`Cell`] (an actor's sector and
//! kind together, [`Forum::cell_of`]) that `record` collects in the same pass as the
//! forum's own metrics.

use collabgov_core::Forum;

use super::kernels::{FIXED_ONE, mean};
use crate::metrics::GroupMetric;

/// The groups of a forum's series, in output order: each sector as built (before any
/// merge), then agencies and non-state actors (each when the forum has any). A sector's
/// cells are `2s` (its agencies) and `2s + 1` (its non-state actors), a kind's cells those
/// of every sector, so the groups need no list of cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Groups {
    /// Sectors of the forum.
    sectors: usize,
    /// Whether the forum has agencies (`[0]`) and non-state actors (`[1]`).
    kinds: [bool; 2],
    /// With levels of government, whether the forum has actors at each level (the cells
    /// come in three layers, one per level); without, all false (one layer).
    levels: [bool; 3],
}

/// The name of the whole forum's rows in `rounds.csv`'s `group` column.
pub const ALL_GROUP: &str = "all";

/// The prefix of a sector's name in `rounds.csv`'s `group` column (`sector:NAME`).
pub const SECTOR_PREFIX: &str = "sector:";

/// The names of the two kinds in `rounds.csv`'s `group` column: agencies, non-state actors.
pub const KIND_GROUPS: [&str; 2] = ["kind:agency", "kind:non_state"];

/// The names of the three levels of government in `rounds.csv`'s `group` column.
pub const LEVEL_GROUPS: [&str; 3] = ["level:national", "level:province", "level:regency"];

impl Groups {
    /// The groups of `forum`.
    pub fn of(forum: &Forum) -> Groups {
        Groups {
            sectors: forum.sectors.len(),
            kinds: [
                forum.is_agency.contains(&true),
                forum.is_agency.contains(&false),
            ],
            levels: forum.levels.as_ref().map_or([false; 3], |l| {
                [0, 1, 2].map(|level| l.level_of.contains(&level))
            }),
        }
    }

    /// How many groups there are.
    pub fn len(&self) -> usize {
        self.sectors
            + self.kinds.iter().filter(|&&k| k).count()
            + self.levels.iter().filter(|&&k| k).count()
    }

    /// Layers of cells: three with levels of government, else one.
    fn layers(&self) -> usize {
        if self.levels.contains(&true) { 3 } else { 1 }
    }

    /// Whether there are none (a forum without sectors).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The groups' names in output order, for a forum of `sectors`.
    pub fn names(&self, sectors: &[String]) -> Vec<String> {
        let kinds = KIND_GROUPS
            .iter()
            .zip(self.kinds)
            .filter(|(_, present)| *present)
            .map(|(name, _)| name.to_string());
        let levels = LEVEL_GROUPS
            .iter()
            .zip(self.levels)
            .filter(|(_, present)| *present)
            .map(|(name, _)| name.to_string());
        sectors
            .iter()
            .map(|name| format!("{SECTOR_PREFIX}{name}"))
            .chain(kinds)
            .chain(levels)
            .collect()
    }

    /// Values one round holds: each group metric for each group.
    pub fn per_round(&self) -> usize {
        GroupMetric::ALL.len() * self.len()
    }

    /// Appends one round's values to `out`, metric by metric ([`GroupMetric::ALL`]), group
    /// by group; participation is empty unless the round was `played` (round 0 is not).
    pub fn measure(&self, cells: &[Cell], played: bool, out: &mut Vec<f64>) {
        // Trust at `start + g`, commitment at `start + G + g`, participation at
        // `start + 2G + g`.
        let (start, groups) = (out.len(), self.len());
        out.resize(start + GroupMetric::ALL.len() * groups, f64::NAN);
        let mut write = |g: usize, t: &Cell| {
            out[start + g] = mean(t.trust as f64 / FIXED_ONE, t.relations);
            out[start + groups + g] = mean(t.commitment, t.actors);
            if played {
                out[start + 2 * groups + g] = mean(t.participants as f64, t.actors);
            }
        };
        let mut kinds = [Cell::default(); 2];
        let mut levels = [Cell::default(); 3];
        let layer = 2 * self.sectors;
        for s in 0..self.sectors {
            let mut sector = Cell::default();
            for l in 0..self.layers() {
                let (agencies, others) = (&cells[l * layer + 2 * s], &cells[l * layer + 2 * s + 1]);
                sector.add(agencies);
                sector.add(others);
                kinds[0].add(agencies);
                kinds[1].add(others);
                levels[l].add(agencies);
                levels[l].add(others);
            }
            write(s, &sector);
        }
        let present = kinds.iter().zip(self.kinds).filter(|(_, p)| *p);
        let n_kinds = self.kinds.iter().filter(|&&k| k).count();
        for (g, (kind, _)) in (self.sectors..).zip(present) {
            write(g, kind);
        }
        let present = levels.iter().zip(self.levels).filter(|(_, p)| *p);
        for (g, (level, _)) in (self.sectors + n_kinds..).zip(present) {
            write(g, level);
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

impl Cell {
    /// Adds `other`'s sums to this one's.
    fn add(&mut self, other: &Cell) {
        self.trust += other.trust;
        self.relations += other.relations;
        self.commitment += other.commitment;
        self.actors += other.actors;
        self.participants += other.participants;
    }
}
