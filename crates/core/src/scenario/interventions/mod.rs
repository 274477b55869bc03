//! Whole-of-Government interventions as units. Each kind has one file here holding its raw
//! form (the serde image of its `[[interventions]]` table), its validation into a typed
//! intervention, the relations it creates, and its effect on each round's setting
//! ([`Effect`]); the schedule (`collabgov_sim::model::Schedule`) is built from the
//! effects alone, over the rounds each one says it changes.
//!
//! Adding an intervention: a file here, a variant in [`RawIntervention`] and in
//! [`Intervention`] with its line in each of their `match`es below, and its row in
//! docs/scenario-format.md.

pub mod coordinating_agency;
pub mod merge;
pub mod mutual_aid;
pub mod national_coordination;
pub mod rebalance;
pub mod service_pattern;
pub mod set;
pub mod social_coalition;
pub mod task_force;
pub mod union;

use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::{Ctx, ScenarioError, Window};
use crate::Params;
use crate::actor::Actor;
use crate::scenario::services::Routing;

/// A Whole-of-Government intervention as a scenario file writes it (`type = "..."`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RawIntervention {
    /// Change a parameter from a round on.
    Set(set::RawSet),
    /// A coordinating agency joins, related to every agency.
    CoordinatingAgency(coordinating_agency::RawCoordinatingAgency),
    /// A cross-sector task force for a range of rounds.
    TaskForce(task_force::RawTaskForce),
    /// Relations between non-state actors and agencies.
    SocialCoalition(social_coalition::RawSocialCoalition),
    /// Sectors become one.
    Merge(merge::RawMerge),
    /// The silo no longer blocks among sectors that stay apart in the metrics.
    Union(union::RawUnion),
    /// A new service pattern for requests filed from a round on (needs `[services]`).
    ServicePattern(service_pattern::RawServicePattern),
    /// Mutual aid agreements among agencies (needs `[services]`).
    MutualAid(mutual_aid::RawMutualAid),
    /// New autonomy, control or powers by level from a round on (needs `[levels]`).
    Rebalance(rebalance::RawRebalance),
    /// National agencies related to their sector's agencies in every unit (needs
    /// `[levels]`).
    NationalCoordination(national_coordination::RawNationalCoordination),
}

/// What validating an intervention may read and extend: the sectors (a coordinating
/// agency may add its own) and the actors (it becomes one).
pub(crate) struct Build<'a> {
    pub(crate) ctx: &'a Ctx<'a>,
    /// The scenario's last round.
    pub(crate) rounds: u32,
    pub(crate) sectors: &'a mut Vec<String>,
    pub(crate) actors: &'a mut Vec<Actor>,
    /// Whether the scenario has a `[services]` table.
    pub(crate) services: bool,
    /// The units of government, when the scenario has a `[levels]` table.
    pub(crate) units: Option<&'a [crate::scenario::levels::Unit]>,
}

impl Build<'_> {
    /// Refuses a round outside 1..=rounds.
    pub(crate) fn check_round(&self, key: &str, round: u32) -> Result<(), ScenarioError> {
        let last = self.rounds.max(1);
        if round == 0 || round > last {
            return Err(self.ctx.err(
                key,
                format!("expected a round from 1 to {last}, found {round}"),
            ));
        }
        Ok(())
    }

    /// Refuses a value outside [0, 1].
    pub(crate) fn unit(&self, key: &str, value: f64) -> Result<f64, ScenarioError> {
        super::unit(self.ctx, key, value)
    }

    /// Refuses an intervention of the services extension in a scenario without it.
    pub(crate) fn needs_services(&self, key: &str, kind: &str) -> Result<(), ScenarioError> {
        if self.services {
            return Ok(());
        }
        Err(self.ctx.err(
            key,
            format!("expected a [services] table for a `{kind}` intervention, found none"),
        ))
    }

    /// Refuses an intervention of the levels extension in a scenario without it.
    pub(crate) fn needs_levels(&self, key: &str, kind: &str) -> Result<(), ScenarioError> {
        if self.units.is_some() {
            return Ok(());
        }
        Err(self.ctx.err(
            key,
            format!("expected a [levels] table for a `{kind}` intervention, found none"),
        ))
    }

    /// The index of sector `name`.
    pub(crate) fn sector(&self, key: &str, name: &str) -> Result<u32, ScenarioError> {
        super::sector_index(self.sectors, name).ok_or_else(|| {
            self.ctx.err(
                key,
                format!(
                    "expected a sector name among {}, found \"{}\"",
                    self.sectors.join(", "),
                    super::error::excerpt(name)
                ),
            )
        })
    }

    /// One or more distinct units of government (ids or names), as indices, with the number
    /// of units; refused without `[levels]`.
    pub(crate) fn unit_list(
        &self,
        key: &str,
        names: &[String],
    ) -> Result<(Vec<u32>, usize), ScenarioError> {
        let Some(units) = self.units else {
            return Err(self.ctx.err(
                key,
                "expected a [levels] table for an intervention that names units, found none",
            ));
        };
        if names.is_empty() {
            return Err(self.ctx.err(key, "expected at least one unit, found none"));
        }
        let mut out: Vec<u32> = Vec::new();
        for name in names {
            let u = crate::scenario::levels::unit_index(units, name)
                .map_err(|m| self.ctx.err(key, m))?;
            if !out.contains(&u) {
                out.push(u);
            }
        }
        Ok((out, units.len()))
    }

    /// Two or more distinct sector names, as indices.
    pub(crate) fn sector_list(
        &self,
        key: &str,
        names: &[String],
    ) -> Result<Vec<u32>, ScenarioError> {
        if names.len() < 2 {
            return Err(self.ctx.err(
                key,
                format!("expected at least two sectors, found {}", names.len()),
            ));
        }
        let mut out: Vec<u32> = Vec::new();
        for name in names {
            let s = self.sector(key, name)?;
            if out.contains(&s) {
                return Err(self.ctx.err(
                    key,
                    format!("expected distinct sectors, found \"{name}\" twice"),
                ));
            }
            out.push(s);
        }
        Ok(out)
    }
}

impl RawIntervention {
    /// The round it first takes effect.
    pub fn start_round(&self) -> u32 {
        match self {
            RawIntervention::Set(x) => x.round,
            RawIntervention::CoordinatingAgency(x) => x.round,
            RawIntervention::TaskForce(x) => x.from,
            RawIntervention::SocialCoalition(x) => x.round,
            RawIntervention::Merge(x) => x.round,
            RawIntervention::Union(x) => x.round,
            RawIntervention::ServicePattern(x) => x.round,
            RawIntervention::MutualAid(x) => x.round,
            RawIntervention::Rebalance(x) => x.round,
            RawIntervention::NationalCoordination(x) => x.round,
        }
    }

    /// Its `type` as written in a scenario file.
    pub fn kind(&self) -> &'static str {
        match self {
            RawIntervention::Set(_) => "set",
            RawIntervention::CoordinatingAgency(_) => "coordinating_agency",
            RawIntervention::TaskForce(_) => "task_force",
            RawIntervention::SocialCoalition(_) => "social_coalition",
            RawIntervention::Merge(_) => "merge",
            RawIntervention::Union(_) => "union",
            RawIntervention::ServicePattern(_) => "service_pattern",
            RawIntervention::MutualAid(_) => "mutual_aid",
            RawIntervention::Rebalance(_) => "rebalance",
            RawIntervention::NationalCoordination(_) => "national_coordination",
        }
    }

    /// Validates it (`key` is its key path, e.g. `interventions[2]`).
    pub(crate) fn validate(
        &self,
        key: &str,
        b: &mut Build<'_>,
    ) -> Result<Intervention, ScenarioError> {
        Ok(match self {
            RawIntervention::Set(x) => Intervention::Set(x.validate(key, b)?),
            RawIntervention::CoordinatingAgency(x) => {
                Intervention::CoordinatingAgency(x.validate(key, b)?)
            }
            RawIntervention::TaskForce(x) => Intervention::TaskForce(x.validate(key, b)?),
            RawIntervention::SocialCoalition(x) => {
                Intervention::SocialCoalition(x.validate(key, b)?)
            }
            RawIntervention::Merge(x) => Intervention::Merge(x.validate(key, b)?),
            RawIntervention::Union(x) => Intervention::Union(x.validate(key, b)?),
            RawIntervention::ServicePattern(x) => Intervention::ServicePattern(x.validate(key, b)?),
            RawIntervention::MutualAid(x) => Intervention::MutualAid(x.validate(key, b)?),
            RawIntervention::Rebalance(x) => Intervention::Rebalance(x.validate(key, b)?),
            RawIntervention::NationalCoordination(x) => {
                Intervention::NationalCoordination(x.validate(key, b)?)
            }
        })
    }
}

/// A validated intervention, resolved against the forum.
#[derive(Clone, Debug, PartialEq)]
pub enum Intervention {
    /// A parameter changes from a round on.
    Set(set::SetParameter),
    /// A coordinating agency joins.
    CoordinatingAgency(coordinating_agency::CoordinatingAgency),
    /// A task force among sectors.
    TaskForce(task_force::TaskForce),
    /// A social coalition adds relations.
    SocialCoalition(social_coalition::SocialCoalition),
    /// Sectors merge.
    Merge(merge::Merge),
    /// Sectors unite without merging.
    Union(union::Union),
    /// A service reform.
    ServicePattern(service_pattern::ServicePattern),
    /// Mutual aid agreements.
    MutualAid(mutual_aid::MutualAid),
    /// Autonomy, control or powers by level change.
    Rebalance(rebalance::Rebalance),
    /// National coordination adds vertical relations.
    NationalCoordination(national_coordination::NationalCoordination),
}

/// What the schedule keeps for a round: the parameters, each sector's group (sectors
/// merged into one share a group), which pairs of groups a task force or union exempts
/// from the silo ([`Exempt`]), the service routing in force and the mutual aid agreements
/// signed this round.
#[derive(Clone, Debug, PartialEq)]
pub struct Setting {
    /// Parameters in force.
    pub params: Params,
    /// Group of each sector.
    pub group: Vec<u32>,
    /// Exempt pairs of groups.
    pub exempt: Exempt,
    /// Number of sectors.
    pub n_sectors: usize,
    /// Service pattern and coordinator in force (services extension).
    pub routing: Routing,
    /// Groups of agencies (actor indices) whose pairs sign mutual aid agreements this round.
    pub signing: Vec<Vec<u32>>,
    /// The autonomy `a` in force (levels of government).
    pub autonomy: f64,
    /// The control `chi` in force.
    pub control: f64,
    /// Powers every agency of each level takes this round (a `rebalance`).
    pub repower: Option<[f64; 3]>,
}

impl Setting {
    /// Exempts every pair of `units` (of `n_units`) from silo and autonomy.
    pub(crate) fn exempt_units(&mut self, units: &[u32], n_units: usize) {
        let mut set = vec![false; n_units];
        for &u in units {
            set[u as usize] = true;
        }
        self.exempt.units.push(set);
    }

    /// Exempts every pair of `sectors` (as grouped now) from the silo.
    pub(crate) fn exempt_among(&mut self, sectors: &[u32]) {
        let mut set = vec![false; self.n_sectors];
        for &a in sectors {
            set[self.group[a as usize] as usize] = true;
        }
        self.exempt.sets.push(set);
    }
}

/// The pairs of groups exempt from the silo in a round: sets of groups (a task force's or
/// a union's sectors, as grouped then), each one flag per group; a pair is exempt when one
/// set holds both. Memory grows with the sectors times the sets in force, never with the
/// square of the sectors.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Exempt {
    sets: Vec<Vec<bool>>,
    /// Sets of units of government (a task force's or union's units), one flag per unit:
    /// a dialogue or request between two units of one set escapes silo and autonomy.
    units: Vec<Vec<bool>>,
}

impl Exempt {
    /// Whether no pair is exempt.
    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// Exempts nothing.
    pub fn clear(&mut self) {
        self.sets.clear();
        self.units.clear();
    }

    /// Whether any set of units is exempt.
    pub fn has_units(&self) -> bool {
        !self.units.is_empty()
    }

    /// Whether units `a` and `b` are in one exempt set (silo and autonomy do not apply).
    #[inline]
    pub fn holds_units(&self, a: u32, b: u32) -> bool {
        self.units
            .iter()
            .any(|set| set[a as usize] && set[b as usize])
    }

    /// Whether groups `a` and `b` are exempt from the silo.
    #[inline]
    pub fn holds(&self, a: usize, b: usize) -> bool {
        self.sets.iter().any(|set| set[a] && set[b])
    }
}

/// Adds one relation (the two actors, in any order) with its window, unless it exists;
/// says whether it was added.
pub(crate) type AddRelation<'a> = dyn FnMut(u32, u32, Window) -> bool + 'a;

/// What an intervention needs to create its relations.
pub(crate) struct Relations<'a> {
    pub(crate) ctx: &'a Ctx<'a>,
    pub(crate) actors: &'a [Actor],
    /// Actors of the file (before any coordinating agency joins).
    pub(crate) n_original: usize,
    /// The network's generator (its own stream of the master seed).
    pub(crate) rng: &'a mut ChaCha8Rng,
}

/// What every intervention does: its rounds, its label, its effect on each round's
/// setting and the relations it creates.
pub trait Effect {
    /// The round it takes effect.
    fn first_round(&self) -> u32;

    /// The last round whose setting it changes (for a task force, the round after it ends,
    /// when the setting goes back).
    fn last_change(&self) -> u32 {
        self.first_round()
    }

    /// A short label for charts and summaries, as words to write in a language.
    fn label(&self, sectors: &[String]) -> Label;

    /// Changes parameters or sector groups at the start of round `t`.
    fn change(&self, _t: u32, _setting: &mut Setting) {}

    /// Marks the pairs of groups it exempts from the silo in round `t` (after every change).
    fn exempt(&self, _t: u32, _setting: &mut Setting) {}
}

impl Intervention {
    /// Its effect.
    pub fn effect(&self) -> &dyn Effect {
        match self {
            Intervention::Set(x) => x,
            Intervention::CoordinatingAgency(x) => x,
            Intervention::TaskForce(x) => x,
            Intervention::SocialCoalition(x) => x,
            Intervention::Merge(x) => x,
            Intervention::Union(x) => x,
            Intervention::ServicePattern(x) => x,
            Intervention::MutualAid(x) => x,
            Intervention::Rebalance(x) => x,
            Intervention::NationalCoordination(x) => x,
        }
    }

    /// The round it takes effect.
    pub fn round(&self) -> u32 {
        self.effect().first_round()
    }

    /// A short label for charts and summaries, as words to write in a language (the
    /// message catalogue of `collabgov_study::i18n` writes it).
    pub fn label(&self, sectors: &[String]) -> Label {
        self.effect().label(sectors)
    }

    /// Whether it creates relations, and in which pass (coordinating agencies first, then
    /// the others in file order).
    pub(crate) fn relation_pass(&self) -> Option<u8> {
        match self {
            Intervention::CoordinatingAgency(_) => Some(0),
            Intervention::TaskForce(_)
            | Intervention::SocialCoalition(_)
            | Intervention::NationalCoordination(_) => Some(1),
            Intervention::Set(_)
            | Intervention::Merge(_)
            | Intervention::Union(_)
            | Intervention::ServicePattern(_)
            | Intervention::MutualAid(_)
            | Intervention::Rebalance(_) => None,
        }
    }

    /// Creates its relations through `add`.
    pub(crate) fn relations(
        &mut self,
        r: &mut Relations<'_>,
        add: &mut AddRelation<'_>,
    ) -> Result<(), ScenarioError> {
        match self {
            Intervention::CoordinatingAgency(x) => x.relations(r, add),
            Intervention::TaskForce(x) => x.relations(r, add),
            Intervention::SocialCoalition(x) => x.relations(r, add),
            Intervention::NationalCoordination(x) => x.relations(r, add),
            Intervention::Set(_)
            | Intervention::Merge(_)
            | Intervention::Union(_)
            | Intervention::ServicePattern(_)
            | Intervention::MutualAid(_)
            | Intervention::Rebalance(_) => Ok(()),
        }
    }
}

/// Sector names by id (a task force's or merge's label).
pub(crate) fn names(sectors: &[String], ids: &[u32]) -> LabelArg {
    LabelArg::Sectors(ids.iter().map(|&s| sectors[s as usize].clone()).collect())
}

/// An intervention's label as words to be written in a language: a message key of the
/// catalogue (`intervention-...`) and its arguments. The core holds no words; the study
/// layer's catalogue writes it in English or Indonesian.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    /// The message key.
    pub key: &'static str,
    /// Its arguments by name.
    pub args: Vec<(&'static str, LabelArg)>,
}

impl Label {
    /// A label of `key` with `args`.
    pub fn new(key: &'static str, args: Vec<(&'static str, LabelArg)>) -> Label {
        Label { key, args }
    }
}

/// An argument of a [`Label`].
#[derive(Clone, Debug, PartialEq)]
pub enum LabelArg {
    /// Written as it is (a name from the scenario, a whole number).
    Text(String),
    /// A parameter's name: as the scenario file writes it in English, its name in the
    /// interface in a language whose catalogue has one.
    Parameter(String),
    /// A number, written with the language's decimal mark.
    Number(f64),
    /// Sector names, joined with `+`: as the scenario names them in English, each in a
    /// language whose catalogue has it.
    Sectors(Vec<String>),
    /// Labels written one after the other, separated by commas.
    Parts(Vec<Label>),
}
