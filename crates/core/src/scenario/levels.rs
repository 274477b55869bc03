//! The levels-of-government extension (CG-3, docs/model.md): the `[levels]` table, the
//! tree of units (the national government, provinces, regencies and cities), the
//! `multilevel` network generator (actors unit by unit, relations local, vertical and
//! between peers, in O(actors + relations)), and the kind of every relation (local,
//! vertical, peer, distant) the engine's rules and metrics read.

use rand::Rng;

use super::error::excerpt;
pub use super::raw::{RawLevels, RawMultilevel};
use super::raw::{RawNetwork, RawScenario};
use super::{Ctx, ScenarioError, dist_of, unit};
use crate::actor::{Actor, Kind};
use crate::dist::Dist;
use crate::graph::{RelationGraph, bipartite_pairs, gnp_pairs};

/// The names of the three levels, in `rounds.csv`'s `group` column after `level:`.
pub const LEVEL_NAMES: [&str; 3] = ["national", "province", "regency"];

/// A relation within one unit.
pub const LOCAL: u8 = 0;
/// A relation between a unit and its parent (or made by national coordination).
pub const VERTICAL: u8 = 1;
/// A relation between two units with the same parent.
pub const PEER: u8 = 2;
/// A relation between units neither vertical nor peers.
pub const DISTANT: u8 = 3;
/// How many relation kinds there are.
pub const RELATION_KINDS: usize = 4;

/// The `[levels]` table, validated.
#[derive(Clone, Debug, PartialEq)]
pub struct Levels {
    /// `a`.
    pub autonomy: f64,
    /// `chi`.
    pub control: f64,
    /// `rho`.
    pub regional_views: f64,
    /// Power per level, where given.
    pub power: Option<[Dist; 3]>,
    /// Capacity per level, where given.
    pub capacity: Option<[Dist; 3]>,
}

impl RawLevels {
    pub(crate) fn validate(&self, ctx: &Ctx<'_>) -> Result<Levels, ScenarioError> {
        let by_level = |key: &str, v: &Option<Vec<toml::Value>>| {
            let Some(items) = v else { return Ok(None) };
            if items.len() != 3 {
                return Err(ctx.err(
                    &format!("levels.{key}"),
                    format!(
                        "expected 3 distributions (national, province, regency), found {}",
                        items.len()
                    ),
                ));
            }
            let d = |k: usize| dist_of(ctx, &format!("levels.{key}[{k}]"), &items[k]);
            Ok(Some([d(0)?, d(1)?, d(2)?]))
        };
        Ok(Levels {
            autonomy: unit(ctx, "levels.autonomy", self.autonomy)?,
            control: unit(ctx, "levels.control", self.control)?,
            regional_views: unit(ctx, "levels.regional_views", self.regional_views)?,
            power: by_level("power", &self.power)?,
            capacity: by_level("capacity", &self.capacity)?,
        })
    }
}

/// One government: the national government (level 0), a province (1) or a regency or city
/// (2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    /// 0, 1 or 2.
    pub level: u8,
    /// The parent unit (the national government's is itself, 0).
    pub parent: u32,
    /// Its name (`national`, the file's names, or `province-3`, `regency-17`).
    pub name: String,
}

/// What the levels make of a built forum: the units, each actor's unit, and each relation's
/// kind.
#[derive(Clone, Debug, PartialEq)]
pub struct ForumLevels {
    /// The units, breadth first: the national government, the provinces, then the regencies
    /// province by province.
    pub units: Vec<Unit>,
    /// Each actor's unit.
    pub unit_of: Vec<u32>,
    /// Each actor's level (its unit's).
    pub level_of: Vec<u8>,
    /// Per trust slot, the relation's kind ([`LOCAL`], [`VERTICAL`], [`PEER`],
    /// [`DISTANT`]); a relation made by national coordination is vertical.
    pub relation: Vec<u8>,
    /// Each unit's actors, in index order (those that join later included).
    pub members: Vec<Vec<u32>>,
    /// The regency units, in unit order.
    pub regencies: Vec<u32>,
    /// `rho`, the pull of each province's framing on its actors' initial views.
    pub regional_views: f64,
}

impl ForumLevels {
    /// The levels of a forum whose actors carry their units.
    pub(crate) fn new(units: Vec<Unit>, actors: &[Actor], regional_views: f64) -> ForumLevels {
        let mut members = vec![Vec::new(); units.len()];
        for (i, a) in actors.iter().enumerate() {
            members[a.unit as usize].push(i as u32);
        }
        ForumLevels {
            regencies: (0..units.len() as u32)
                .filter(|&u| units[u as usize].level == 2)
                .collect(),
            unit_of: actors.iter().map(|a| a.unit).collect(),
            level_of: actors
                .iter()
                .map(|a| units[a.unit as usize].level)
                .collect(),
            units,
            relation: Vec::new(),
            members,
            regional_views,
        }
    }

    /// The kind of a relation between units `a` and `b`.
    pub fn kind_between(&self, a: u32, b: u32) -> u8 {
        let (ua, ub) = (&self.units[a as usize], &self.units[b as usize]);
        if a == b {
            LOCAL
        } else if (ua.parent == b && a != 0) || (ub.parent == a && b != 0) {
            VERTICAL
        } else if ua.parent == ub.parent && a != 0 && b != 0 {
            PEER
        } else {
            DISTANT
        }
    }

    /// Sets every slot's kind; the pairs in `coordinated` (national coordination) are
    /// vertical.
    pub(crate) fn set_relations(&mut self, graph: &RelationGraph, coordinated: &[(u32, u32)]) {
        let mut relation = vec![LOCAL; graph.n_slots()];
        for (slot, i, j) in graph.relations() {
            let kind = self.kind_between(self.unit_of[i], self.unit_of[j]);
            relation[slot] = kind;
            relation[graph.reverse(slot)] = kind;
        }
        for &(a, b) in coordinated {
            if let Some(slot) = graph.slot_of(a as usize, b as usize) {
                relation[slot] = VERTICAL;
                relation[graph.reverse(slot)] = VERTICAL;
            }
        }
        self.relation = relation;
    }

    /// The province of `unit` (itself for a province; `None` for the national government).
    pub fn province_of(&self, unit: u32) -> Option<u32> {
        self.chain(unit)[1]
    }

    /// The units on the chain from `unit` up to the national government: the unit at each
    /// level (`None` where the chain has none).
    pub fn chain(&self, unit: u32) -> [Option<u32>; 3] {
        let mut out = [None; 3];
        let mut u = unit;
        loop {
            let level = self.units[u as usize].level as usize;
            out[level] = Some(u);
            if u == 0 {
                break;
            }
            u = self.units[u as usize].parent;
        }
        out
    }
}

/// The units of a multilevel network: national, the provinces, the regencies province by
/// province, with their names.
pub(crate) fn units_of(ctx: &Ctx<'_>, m: &RawMultilevel) -> Result<Vec<Unit>, ScenarioError> {
    let p = m.provinces as usize;
    let per_province: Vec<u32> = match &m.regencies_per_province {
        Some(list) => {
            if list.len() != p {
                return Err(ctx.err(
                    "network.regencies_per_province",
                    format!(
                        "expected {p} counts (one per province), found {}",
                        list.len()
                    ),
                ));
            }
            let total: u64 = list.iter().map(|&c| u64::from(c)).sum();
            if m.regencies != 0 && total != u64::from(m.regencies) {
                return Err(ctx.err(
                    "network.regencies_per_province",
                    format!(
                        "expected counts adding up to regencies = {}, found {total}",
                        m.regencies
                    ),
                ));
            }
            list.clone()
        }
        None => {
            if p == 0 && m.regencies > 0 {
                return Err(ctx.err(
                    "network.regencies",
                    format!(
                        "expected at least one province to hold {} regencies, found provinces = 0",
                        m.regencies
                    ),
                ));
            }
            (0..p)
                .map(|k| {
                    m.regencies / m.provinces + u32::from((k as u32) < m.regencies % m.provinces)
                })
                .collect()
        }
    };
    let n_regencies: usize = per_province.iter().map(|&c| c as usize).sum();
    if p + n_regencies > 1_000_000 {
        return Err(ctx.err(
            "network.regencies",
            format!(
                "expected at most 1000000 units, found {}",
                1 + p + n_regencies
            ),
        ));
    }
    let names = |key: &str, given: &Option<Vec<String>>, n: usize, prefix: &str| match given {
        Some(list) if list.len() != n => Err(ctx.err(
            &format!("network.{key}"),
            format!("expected {n} names, found {}", list.len()),
        )),
        Some(list) => {
            if let Some(k) = list.iter().position(|s| s.trim().is_empty()) {
                return Err(ctx.err(
                    &format!("network.{key}[{k}]"),
                    "expected a non-empty name, found \"\"",
                ));
            }
            Ok(list.clone())
        }
        None => Ok((1..=n).map(|k| format!("{prefix}-{k}")).collect()),
    };
    let province_names = names("province_names", &m.province_names, p, "province")?;
    let regency_names = names("regency_names", &m.regency_names, n_regencies, "regency")?;
    let mut units = Vec::with_capacity(1 + p + n_regencies);
    units.push(Unit {
        level: 0,
        parent: 0,
        name: "national".to_string(),
    });
    for name in province_names {
        units.push(Unit {
            level: 1,
            parent: 0,
            name,
        });
    }
    let mut names = regency_names.into_iter();
    for (k, &count) in per_province.iter().enumerate() {
        for _ in 0..count {
            units.push(Unit {
                level: 2,
                parent: 1 + k as u32,
                name: names.next().unwrap_or_default(),
            });
        }
    }
    Ok(units)
}

/// The actors of a multilevel network: unit by unit, inside a unit sector by sector in the
/// file's order, agencies (`agencies` at the unit's level) before non-state actors (the
/// sector's counts, in regencies, and in provinces with `nonstate_in_provinces`).
pub(crate) fn actors_of(raw: &RawScenario, m: &RawMultilevel, units: &[Unit]) -> Vec<Actor> {
    let mut actors = Vec::new();
    for (u, unit) in units.iter().enumerate() {
        let nonstate = unit.level == 2 || (unit.level == 1 && m.nonstate_in_provinces);
        for (s, sector) in raw.sectors.iter().enumerate() {
            let counts = sector.counts_at(unit.level);
            for (kind, &count) in Kind::ALL.iter().zip(counts.iter()) {
                if !kind.is_agency() && !nonstate {
                    continue;
                }
                for n in 1..=count {
                    actors.push(Actor {
                        id: format!("u{u}-{}-{}-{n}", sector.name, kind.name()),
                        name: format!("{} {} {} {n}", unit.name, sector.name, kind.name()),
                        kind: *kind,
                        sector: s as u32,
                        unit: u as u32,
                        profile: 0,
                        joins_at: 0,
                        fixed: None,
                    });
                }
            }
        }
    }
    actors
}

/// How many actors and about how many relations a multilevel network makes (for the
/// memory check, before anything is built).
pub(crate) fn size_of(raw: &RawScenario, m: &RawMultilevel, units: &[Unit]) -> (u64, u64) {
    let n_sectors = raw.sectors.len();
    let p = |v: f64| {
        if v.is_finite() {
            v.clamp(0.0, 1.0)
        } else {
            0.0
        }
    };
    let pairs = |n: u64| n * n.saturating_sub(1) / 2;
    let mut children = vec![0u64; units.len()];
    for unit in &units[1..] {
        children[unit.parent as usize] += 1;
    }
    let (mut actors, mut relations) = (0u64, 0.0f64);
    for (u, unit) in units.iter().enumerate() {
        let nonstate = unit.level == 2 || (unit.level == 1 && m.nonstate_in_provinces);
        let mut agencies = vec![0u64; n_sectors];
        let mut others = 0u64;
        for (s, sector) in raw.sectors.iter().enumerate() {
            let counts = sector.counts_at(unit.level);
            agencies[s] = u64::from(counts[0]);
            if nonstate {
                others += counts[1..].iter().map(|&c| u64::from(c)).sum::<u64>();
            }
        }
        let all: u64 = agencies.iter().sum();
        let within: u64 = agencies.iter().map(|&a| pairs(a)).sum();
        actors += all + others;
        relations += p(m.p_local_within) * within as f64
            + p(m.p_local_across) * (pairs(all) - within) as f64
            + p(m.p_nonstate) * (others * all) as f64
            + p(m.p_nonstate_pair) * pairs(others) as f64;
        // Vertical: each sector's agencies here with its agencies in the parent, counted
        // from the child; peers: with the siblings, counted here once per pair.
        if u > 0 {
            let parent_level = units[unit.parent as usize].level;
            for sector in &raw.sectors {
                let here = u64::from(sector.counts_at(unit.level)[0]);
                let up = u64::from(sector.counts_at(parent_level)[0]);
                relations += p(m.p_vertical) * (here * up) as f64;
                relations += p(m.p_peer)
                    * (here * here) as f64
                    * children[unit.parent as usize].saturating_sub(1) as f64
                    / 2.0;
            }
        }
    }
    (actors, relations as u64)
}

/// The relations of a multilevel network, drawn in this order: unit by unit, the pairs of
/// agencies of one sector (sector by sector), of two sectors (sector pairs in order), a
/// non-state actor and an agency, two non-state actors; then unit by unit (from unit 1)
/// each sector's agencies with the parent's; then parent by parent each pair of children in
/// order, sector by sector. Each candidate pair is drawn with its chance by geometric
/// skipping, so the cost is O(actors + relations).
pub(crate) fn pairs_of<R: Rng + ?Sized>(
    rng: &mut R,
    m: &RawMultilevel,
    units: &[Unit],
    actors: &[Actor],
    n_sectors: usize,
) -> Vec<(u32, u32)> {
    // Agencies of each unit by sector, and non-state actors of each unit.
    let mut agencies: Vec<Vec<Vec<u32>>> = vec![vec![Vec::new(); n_sectors]; units.len()];
    let mut others: Vec<Vec<u32>> = vec![Vec::new(); units.len()];
    for (i, a) in actors.iter().enumerate() {
        if a.kind.is_agency() {
            agencies[a.unit as usize][a.sector as usize].push(i as u32);
        } else {
            others[a.unit as usize].push(i as u32);
        }
    }
    let mut out = Vec::new();
    let mut all_agencies = Vec::new();
    for u in 0..units.len() {
        let by_sector = &agencies[u];
        for block in by_sector {
            gnp_pairs(rng, block, m.p_local_within, &mut out);
        }
        for s in 0..n_sectors {
            for t in s + 1..n_sectors {
                bipartite_pairs(
                    rng,
                    &by_sector[s],
                    &by_sector[t],
                    m.p_local_across,
                    &mut out,
                );
            }
        }
        all_agencies.clear();
        all_agencies.extend(by_sector.iter().flatten());
        bipartite_pairs(rng, &others[u], &all_agencies, m.p_nonstate, &mut out);
        gnp_pairs(rng, &others[u], m.p_nonstate_pair, &mut out);
    }
    for (u, unit) in units.iter().enumerate().skip(1) {
        let (here, up) = (&agencies[u], &agencies[unit.parent as usize]);
        for (mine, parent) in here.iter().zip(up) {
            bipartite_pairs(rng, mine, parent, m.p_vertical, &mut out);
        }
    }
    if m.p_peer > 0.0 {
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); units.len()];
        for (u, unit) in units.iter().enumerate().skip(1) {
            children[unit.parent as usize].push(u);
        }
        for kids in &children {
            for (k, &a) in kids.iter().enumerate() {
                for &b in &kids[k + 1..] {
                    for (left, right) in agencies[a].iter().zip(&agencies[b]) {
                        bipartite_pairs(rng, left, right, m.p_peer, &mut out);
                    }
                }
            }
        }
    }
    out
}

/// Checks the generator's chances.
pub(crate) fn check_chances(ctx: &Ctx<'_>, m: &RawMultilevel) -> Result<(), ScenarioError> {
    for (key, v) in [
        ("p_local_within", m.p_local_within),
        ("p_local_across", m.p_local_across),
        ("p_nonstate", m.p_nonstate),
        ("p_nonstate_pair", m.p_nonstate_pair),
        ("p_vertical", m.p_vertical),
        ("p_peer", m.p_peer),
    ] {
        unit(ctx, &format!("network.{key}"), v)?;
    }
    Ok(())
}

/// The index of the unit a task force or union names: a unit id (`"12"`) or a unit's name.
pub fn unit_index(units: &[Unit], name: &str) -> Result<u32, String> {
    if let Ok(id) = name.parse::<u32>()
        && (id as usize) < units.len()
    {
        return Ok(id);
    }
    units
        .iter()
        .position(|u| u.name == name)
        .map(|u| u as u32)
        .ok_or_else(|| {
            format!(
                "expected a unit id from 0 to {} or a unit's name, found \"{}\"",
                units.len() - 1,
                excerpt(name)
            )
        })
}

/// The multilevel settings of `network`, if that is its generator.
pub fn multilevel(network: &RawNetwork) -> Option<&RawMultilevel> {
    match network {
        RawNetwork::Multilevel(m) => Some(m),
        _ => None,
    }
}
