//! Scenarios: the raw file image ([`raw`]), its validation into a [`Scenario`], and the
//! [`Forum`] it builds (actors, profiles, the relation graph, intervention schedule).

mod actors;
pub mod error;
mod gexf;
mod graph_file;
mod graphml;
mod inputs;
pub mod interventions;
pub mod keypath;
pub mod levels;
mod memory;
mod network;
pub mod overrides;
mod profiles;
pub mod raw;
pub mod services;

use crate::Params;
use crate::actor::Actor;
use crate::dist::Dist;
use crate::graph::RelationGraph;
pub use error::ScenarioError;
pub use inputs::{EdgeList, cell_in, cell_out, parse_actors_csv, parse_edges_csv};
pub use interventions::{Effect, Exempt, Intervention, Label, LabelArg, Setting};
pub use keypath::SetValue;
pub use memory::{
    BASE_BYTES, BYTES_PER_ACTOR, BYTES_PER_ACTOR_ISSUE, BYTES_PER_RELATION, estimate_bytes,
    size_text,
};
pub use overrides::{Overrides, Parsed};
use raw::RawScenario;
pub use services::{Pattern, Routing, Services};
use std::sync::Arc;

/// Most actors a scenario may have.
pub const MAX_ACTORS: usize = 50_000_000;
/// Most issues (view dimensions) a scenario may have.
pub const MAX_ISSUES: u32 = 1_000;
/// Most relations one task force or social coalition may consider.
pub const MAX_INTERVENTION_RELATIONS: u64 = 20_000_000;
/// Default memory budget for one built forum plus one replicate's state, in bytes.
pub const DEFAULT_MEMORY_BUDGET: u64 = 8 * 1024 * 1024 * 1024;

/// The distributions an actor's initial values are drawn from.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    /// Power `p_i`.
    pub power: Dist,
    /// Capacity `k_i`.
    pub capacity: Dist,
    /// Culture `q_i`.
    pub culture: Dist,
    /// Initial commitment `c_i`.
    pub commitment: Dist,
    /// View `x_i`, one distribution per issue.
    pub view: Vec<Dist>,
}

/// When a relation created by an intervention exists, and its trust when it appears.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    /// First round it exists.
    pub from: u32,
    /// Last round it exists (inclusive; `u32::MAX` for ever).
    pub until: u32,
    /// Trust both ways when it appears (`None`: drawn at round 0 like any relation).
    pub trust: Option<f64>,
}

impl Window {
    /// Always present.
    pub const ALWAYS: Window = Window {
        from: 0,
        until: u32::MAX,
        trust: None,
    };

    /// Whether the relation exists in round `t`.
    #[inline]
    pub fn contains(&self, t: u32) -> bool {
        self.from <= t && t <= self.until
    }
}

/// The built forum: everything about a scenario that is the same in every replicate.
#[derive(Clone, Debug)]
pub struct Forum {
    /// Sector names; an actor's `sector` indexes this.
    pub sectors: Vec<String>,
    /// Every actor, including those added later by interventions.
    pub actors: Vec<Actor>,
    /// Profiles, indexed by `Actor::profile`.
    pub profiles: Vec<Profile>,
    /// The relations.
    pub graph: RelationGraph,
    /// Initial trust on same-sector relations.
    pub trust_within: Dist,
    /// Initial trust on cross-sector relations.
    pub trust_across: Dist,
    /// Per slot, a trust fixed by the edge file (NaN where drawn); `None` when nothing is fixed.
    pub fixed_trust: Option<Vec<f64>>,
    /// Per slot, when the relation exists; `None` when every relation always exists.
    pub windows: Option<Vec<Window>>,
    /// Each actor's sector (a compact copy of `actors[i].sector` for the hot loops).
    pub sector_of: Vec<u32>,
    /// Per trust slot, whether the relation joins two actors of the same sector (as built,
    /// before any merge).
    pub same_sector: Vec<bool>,
    /// Each actor's first round (a compact copy of `actors[i].joins_at`).
    pub joins_at: Vec<u32>,
    /// Whether each actor is a public agency (a compact copy of `actors[i].kind`).
    pub is_agency: Vec<bool>,
    /// Each actor's cell, its sector and kind together: `2 * sector` for an agency,
    /// `2 * sector + 1` for a non-state actor ([`cell_of`]), plus `2 * sectors * level`
    /// with levels of government. The unit of the running trust sums and of the per-group
    /// series (by sector, by kind, by level).
    pub cell_of: Vec<u32>,
    /// The last round in which an actor joins (0 when every actor exists from the start).
    pub last_join: u32,
    /// The levels of government (CG-3), when the scenario has `[levels]`.
    pub levels: Option<levels::ForumLevels>,
}

impl Forum {
    /// Number of cells ([`Forum::cell_of`]): two per sector, at each level with levels.
    pub fn n_cells(&self) -> usize {
        2 * self.sectors.len() * if self.levels.is_some() { 3 } else { 1 }
    }

    /// Number of actors, including those that join later.
    pub fn n_actors(&self) -> usize {
        self.actors.len()
    }

    /// Relations that exist only from a later round (added by an intervention), of
    /// [`RelationGraph::n_relations`].
    pub fn n_added_relations(&self) -> usize {
        self.windows.as_ref().map_or(0, |w| {
            self.graph
                .relations()
                .filter(|&(slot, _, _)| w[slot].from > 0)
                .count()
        })
    }
}

/// The cell of an actor of `sector` and `kind` ([`Forum::cell_of`]): `2 * sector`, plus 1
/// for a non-state actor.
pub fn cell_of(sector: u32, kind: crate::Kind) -> u32 {
    2 * sector + u32::from(!kind.is_agency())
}

/// The index of sector `name`.
pub(crate) fn sector_index(sectors: &[String], name: &str) -> Option<u32> {
    sectors.iter().position(|s| s == name).map(|s| s as u32)
}

/// A validated scenario, ready to simulate.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Rounds per replicate.
    pub rounds: u32,
    /// Replicates.
    pub replicates: u32,
    /// Master seed.
    pub seed: u64,
    /// Issues D.
    pub issues: usize,
    /// CG-1 parameters at round 1 (before any `set` intervention).
    pub params: Params,
    /// The forum.
    pub forum: Forum,
    /// Interventions, sorted by round.
    pub interventions: Vec<Intervention>,
    /// The services extension (CG-2), when the file has a `[services]` table.
    pub services: Option<Services>,
    /// The levels of government (CG-3) at round 1, when the file has a `[levels]` table.
    pub levels: Option<levels::Levels>,
    /// The file image with every default filled in (recorded in `run.json`).
    pub resolved: RawScenario,
    /// Networks the replicates run on: 1 for a fixed network (`complete`, a file) or
    /// `draws = 1`; for a random one `network.draws`, by default one per replicate
    /// ([`Scenario::draw_of`], [`Scenario::network_draw`]).
    pub network_draws: u32,
    /// What drawing the network again needs (when there is more than one draw).
    redraw: Option<Arc<Redraw>>,
}

/// Reads a file named in a scenario (an edge or actor CSV), relative to the scenario; the
/// CLI supplies one backed by the file system, tests one backed by a map.
pub type Loader<'a> = &'a dyn Fn(&str) -> Result<String, String>;

/// A loader for scenarios that name no other file.
pub fn no_files(path: &str) -> Result<String, String> {
    Err(format!(
        "this scenario cannot read other files (asked for \"{path}\")"
    ))
}

pub(crate) struct Ctx<'a> {
    src: &'a str,
    file: &'a str,
    /// Most bytes the forum may need ([`memory::check_memory`]).
    budget: u64,
}

impl Ctx<'_> {
    fn err(&self, key: &str, message: impl Into<String>) -> ScenarioError {
        let line = error::span_of(self.src, key).map(|s| error::line_of(self.src, s.start));
        ScenarioError {
            file: self.file.to_string(),
            key: key.to_string(),
            line,
            message: message.into(),
        }
    }
}

fn unit(ctx: &Ctx<'_>, key: &str, v: f64) -> Result<f64, ScenarioError> {
    if v.is_finite() && (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(ctx.err(key, format!("expected a number in [0, 1], found {v}")))
    }
}

fn dist_of(ctx: &Ctx<'_>, key: &str, value: &toml::Value) -> Result<Dist, ScenarioError> {
    match value {
        toml::Value::String(s) => Dist::parse(s).map_err(|m| ctx.err(key, m)),
        toml::Value::Float(v) => Dist::constant(*v).map_err(|m| ctx.err(key, m)),
        toml::Value::Integer(v) => Dist::constant(*v as f64).map_err(|m| ctx.err(key, m)),
        other => Err(ctx.err(
            key,
            format!(
                "expected a distribution such as \"uniform(0, 1)\" or a number, found {}",
                other.type_str()
            ),
        )),
    }
}

impl Scenario {
    /// Parses and validates a scenario from TOML text. `file` names it in errors; `load` reads
    /// the files it names (edge and actor CSVs).
    pub fn parse(src: &str, file: &str, load: Loader<'_>) -> Result<Scenario, ScenarioError> {
        Scenario::parse_within(src, file, load, DEFAULT_MEMORY_BUDGET)
    }

    /// [`Scenario::parse`], refusing before it is built a forum whose estimated memory
    /// ([`estimate_bytes`]) exceeds `budget` bytes (a server's smaller ceiling).
    pub fn parse_within(
        src: &str,
        file: &str,
        load: Loader<'_>,
        budget: u64,
    ) -> Result<Scenario, ScenarioError> {
        let raw: RawScenario = toml::from_str(src).map_err(|e| {
            let span = e.span();
            let line = span.as_ref().map(|s| error::line_of(src, s.start));
            let key = span
                .and_then(|s| error::path_at(src, s.start))
                .unwrap_or_default();
            ScenarioError {
                file: file.to_string(),
                key,
                line,
                message: e.message().trim().to_string(),
            }
        })?;
        Scenario::from_raw(raw, src, file, load, budget)
    }

    /// Validates a raw image (`src` is its text, used only to find lines for errors),
    /// refusing a forum whose estimated memory exceeds `budget` bytes before it is built.
    pub fn from_raw(
        raw: RawScenario,
        src: &str,
        file: &str,
        load: Loader<'_>,
        budget: u64,
    ) -> Result<Scenario, ScenarioError> {
        let ctx = Ctx { src, file, budget };
        let issues = check_counts(&ctx, &raw)?;

        let (mut sectors, mut actors, units) =
            actors::sectors_and_actors(&ctx, &raw, issues, load)?;
        let n_original = actors.len();
        let levels = raw.levels.as_ref().map(|l| l.validate(&ctx)).transpose()?;
        // Every actor's unit: a multilevel network's, or the one national unit.
        let units = levels.as_ref().map(|_| {
            units.unwrap_or_else(|| {
                vec![levels::Unit {
                    level: 0,
                    parent: 0,
                    name: "national".to_string(),
                }]
            })
        });

        let mut interventions =
            validate_interventions(&ctx, &raw, &mut sectors, &mut actors, units.as_deref())?;
        let services = match &raw.services {
            Some(s) => Some(s.validate(&ctx, &actors)?),
            None => None,
        };
        let rho = levels.as_ref().map_or(0.0, |l| l.regional_views);
        let mut forum_levels = units.map(|units| levels::ForumLevels::new(units, &actors, rho));

        let (profiles, trust_within, trust_across) = profiles::profiles(
            &ctx,
            &raw.initial,
            &sectors,
            issues,
            &mut actors,
            levels
                .as_ref()
                .zip(forum_levels.as_ref().map(|f| &f.level_of[..])),
        )?;
        let network_draws = network_draws(&ctx, &raw)?;
        let redraw = (network_draws > 1).then(|| {
            Arc::new(Redraw {
                n_original,
                interventions: interventions.clone(),
            })
        });
        let network::Network {
            graph,
            windows,
            fixed_trust,
        } = network::network(
            &ctx,
            &raw,
            network::Formed {
                actors: &actors,
                n_original,
                n_sectors: sectors.len(),
                issues,
                units: forum_levels.as_ref().map(|f| &f.units[..]),
            },
            &mut interventions,
            load,
            0,
        )?;
        interventions.sort_by_key(Intervention::round);
        if let Some(f) = &mut forum_levels {
            f.set_relations(&graph, &coordinated(&interventions));
        }

        let resolved = resolved_image(&raw, &trust_within, &trust_across);
        let n_sectors = sectors.len() as u32;
        let cells = |a: &Actor| match &forum_levels {
            Some(f) => 2 * n_sectors * u32::from(f.units[a.unit as usize].level),
            None => 0,
        } + cell_of(a.sector, a.kind);

        let sector_of: Vec<u32> = actors.iter().map(|a| a.sector).collect();
        Ok(Scenario {
            name: raw.name.clone(),
            description: raw.description.clone(),
            rounds: raw.rounds,
            replicates: raw.replicates,
            seed: raw.seed,
            issues,
            params: raw.parameters,
            forum: Forum {
                same_sector: same_sector_slots(&graph, &sector_of),
                sector_of,
                joins_at: actors.iter().map(|a| a.joins_at).collect(),
                last_join: actors.iter().map(|a| a.joins_at).max().unwrap_or(0),
                is_agency: actors.iter().map(|a| a.kind.is_agency()).collect(),
                cell_of: actors.iter().map(cells).collect(),
                sectors,
                actors,
                profiles,
                graph,
                trust_within,
                trust_across,
                fixed_trust,
                windows,
                levels: forum_levels,
            },
            interventions,
            services,
            levels,
            resolved,
            network_draws,
            redraw,
        })
    }

    /// The network draw `replicate` runs on: replicates spread evenly (round-robin) over
    /// [`Scenario::network_draws`], so replicate 0 runs on draw 0.
    pub fn draw_of(&self, replicate: u32) -> u32 {
        replicate % self.network_draws.max(1)
    }

    /// This scenario on network draw `draw` (its own stream of the network's seed): the
    /// same actors, parameters and interventions, the relations drawn again (and the
    /// relations interventions add with them). Draw 0 is the scenario itself.
    pub fn network_draw(&self, draw: u32) -> Result<Scenario, ScenarioError> {
        let Some(redraw) = self.redraw.as_ref().filter(|_| draw > 0) else {
            return Ok(self.clone());
        };
        let ctx = Ctx {
            src: "",
            file: &self.name,
            budget: DEFAULT_MEMORY_BUDGET,
        };
        let mut interventions = redraw.interventions.clone();
        let network::Network {
            graph,
            windows,
            fixed_trust,
        } = network::network(
            &ctx,
            &self.resolved,
            network::Formed {
                actors: &self.forum.actors,
                n_original: redraw.n_original,
                n_sectors: self.forum.sectors.len(),
                issues: self.issues,
                units: self.forum.levels.as_ref().map(|f| &f.units[..]),
            },
            &mut interventions,
            &no_files,
            draw,
        )?;
        interventions.sort_by_key(Intervention::round);
        let mut scenario = self.clone();
        if let Some(f) = &mut scenario.forum.levels {
            f.set_relations(&graph, &coordinated(&interventions));
        }
        scenario.forum.same_sector = same_sector_slots(&graph, &scenario.forum.sector_of);
        scenario.forum.graph = graph;
        scenario.forum.windows = windows;
        scenario.forum.fixed_trust = fixed_trust;
        scenario.interventions = interventions;
        Ok(scenario)
    }
}

/// What a scenario keeps to draw its network again: the actors the file gave (the others
/// join through interventions) and the interventions as validated, before the network
/// stage added their relations.
#[derive(Debug)]
struct Redraw {
    n_original: usize,
    interventions: Vec<Intervention>,
}

/// The relations national coordination made, each pair once.
fn coordinated(interventions: &[Intervention]) -> Vec<(u32, u32)> {
    interventions
        .iter()
        .filter_map(|iv| match iv {
            Intervention::NationalCoordination(n) => Some(n.added.iter().copied()),
            _ => None,
        })
        .flatten()
        .collect()
}

/// Per trust slot of `graph`, whether the relation joins two actors of the same sector.
fn same_sector_slots(graph: &RelationGraph, sector_of: &[u32]) -> Vec<bool> {
    let mut same = Vec::with_capacity(graph.n_slots());
    for (i, &sector) in sector_of.iter().enumerate() {
        same.extend(
            graph
                .neighbors(i)
                .iter()
                .map(|&j| sector_of[j as usize] == sector),
        );
    }
    same
}

/// The scenario's own counts and parameters: a name, at least one replicate, 1 to
/// [`MAX_ISSUES`] issues, parameters in range; returns the issues.
fn check_counts(ctx: &Ctx<'_>, raw: &RawScenario) -> Result<usize, ScenarioError> {
    if raw.name.trim().is_empty() {
        return Err(ctx.err("name", "expected a non-empty name, found \"\""));
    }
    if raw.replicates == 0 {
        return Err(ctx.err("replicates", "expected at least 1 replicate, found 0"));
    }
    if raw.issues == 0 || raw.issues > MAX_ISSUES {
        return Err(ctx.err(
            "issues",
            format!(
                "expected between 1 and {MAX_ISSUES} issues, found {}",
                raw.issues
            ),
        ));
    }
    raw.parameters
        .validate()
        .map_err(|(name, msg)| ctx.err(&format!("parameters.{name}"), msg))?;
    Ok(raw.issues as usize)
}

/// The interventions validated, in the file's order. Coordinating agencies are validated
/// first, in file order, so that they are actors (and their sectors exist) whatever the
/// order of the interventions that name them.
fn validate_interventions(
    ctx: &Ctx<'_>,
    raw: &RawScenario,
    sectors: &mut Vec<String>,
    actors: &mut Vec<Actor>,
    units: Option<&[levels::Unit]>,
) -> Result<Vec<Intervention>, ScenarioError> {
    let mut validated: Vec<Option<Intervention>> = vec![None; raw.interventions.len()];
    {
        let mut build = interventions::Build {
            ctx,
            rounds: raw.rounds,
            sectors,
            actors,
            services: raw.services.is_some(),
            units,
        };
        for first in [true, false] {
            for (i, iv) in raw.interventions.iter().enumerate() {
                let creates_actor = matches!(iv, raw::RawIntervention::CoordinatingAgency(_));
                if creates_actor == first {
                    validated[i] = Some(iv.validate(&format!("interventions[{i}]"), &mut build)?);
                }
            }
        }
    }
    Ok(validated.into_iter().flatten().collect())
}

/// How many networks the replicates share out: `network.draws` (every replicate its own
/// by default) for a network drawn at random; one, and neither `draws` nor a network
/// seed written, for any other.
fn network_draws(ctx: &Ctx<'_>, raw: &RawScenario) -> Result<u32, ScenarioError> {
    if !raw.network.is_random() {
        let doc = toml::from_str::<toml::Value>(ctx.src).ok();
        let network = doc.as_ref().and_then(|d| d.get("network"));
        for key in ["draws", "seed"] {
            if network.is_some_and(|n| n.get(key).is_some()) {
                let key = format!("network.{key}");
                let key = key.as_str();
                return Err(ctx.err(
                    key,
                    "expected no draws or network seed for a network that is not drawn at random (complete or read from a file, the same in every replicate); use them with sbm or small_world",
                ));
            }
        }
    }
    Ok(if raw.network.is_random() {
        let draws = raw.network.draws().unwrap_or(raw.replicates);
        if draws == 0 || draws > raw.replicates {
            return Err(ctx.err(
                "network.draws",
                format!(
                    "expected between 1 and the number of replicates ({}) networks, found {draws}",
                    raw.replicates
                ),
            ));
        }
        draws
    } else {
        1
    })
}

/// The resolved image: `raw` with every default of the initial state written out.
fn resolved_image(raw: &RawScenario, trust_within: &Dist, trust_across: &Dist) -> RawScenario {
    let mut resolved = raw.clone();
    let r = &mut resolved.initial;
    let fill = |slot: &mut Option<toml::Value>, d: &Dist| {
        if slot.is_none() {
            *slot = Some(toml::Value::String(d.to_string()));
        }
    };
    if r.culture_indicators.is_none() {
        fill(&mut r.culture, &Dist::Constant(1.0));
    }
    fill(&mut r.power, &Dist::Constant(0.5));
    fill(&mut r.capacity, &Dist::Constant(1.0));
    fill(&mut r.commitment, &Dist::Constant(0.5));
    fill(&mut r.view, &Dist::Uniform(0.0, 1.0));
    let t = r.trust.get_or_insert_with(Default::default);
    fill(&mut t.within, trust_within);
    fill(&mut t.across, trust_across);
    resolved
}

#[cfg(test)]
mod tests;
