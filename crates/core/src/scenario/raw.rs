//! The raw serde image of a scenario file: every key with its default, nothing validated.
//! [`super::Scenario::parse`] turns it into a validated domain type; the raw image filled
//! with defaults is what `run.json` records as the resolved scenario.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Params;

fn default_rounds() -> u32 {
    100
}
fn default_replicates() -> u32 {
    100
}
fn default_seed() -> u64 {
    1
}
fn default_issues() -> u32 {
    2
}

pub use super::interventions::RawIntervention;

/// A scenario file as written (see `docs/scenario-format.md`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// Short name; names the output folder.
    pub name: String,
    /// What the scenario shows.
    #[serde(default)]
    pub description: String,
    /// Rounds per replicate (default 100).
    #[serde(default = "default_rounds")]
    pub rounds: u32,
    /// Monte Carlo replicates (default 100).
    #[serde(default = "default_replicates")]
    pub replicates: u32,
    /// Master seed (default 1).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Number of issues D of every view (default 2).
    #[serde(default = "default_issues")]
    pub issues: u32,
    /// Sectors with their generated actor counts.
    #[serde(default)]
    pub sectors: Vec<RawSector>,
    /// Actors listed one by one.
    #[serde(default)]
    pub actors: Vec<RawActor>,
    /// A CSV file of actors (`id,kind,sector[,name,power,capacity,culture,commitment,view_1..]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actors_file: Option<String>,
    /// The relation network (default complete).
    #[serde(default)]
    pub network: RawNetwork,
    /// CG-1 parameters.
    #[serde(default)]
    pub parameters: Params,
    /// Initial distributions.
    #[serde(default)]
    pub initial: RawInit,
    /// Whole-of-Government interventions by round.
    #[serde(default)]
    pub interventions: Vec<RawIntervention>,
    /// Descriptive facts about the forum (for `collabgov validate`).
    #[serde(default)]
    pub forum: RawForum,
    /// The services extension (CG-2); absent, the scenario runs CG-1 alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub services: Option<super::services::RawServices>,
    /// The levels-of-government extension (CG-3); absent, there are no levels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub levels: Option<RawLevels>,
}

/// A sector and how many actors of each kind it has.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSector {
    /// Sector name (unique).
    pub name: String,
    /// Public agencies: a number, or with a `multilevel` network one per level
    /// (`[national, province, regency]`, each per unit).
    #[serde(default)]
    pub agencies: Agencies,
    /// NGOs.
    #[serde(default)]
    pub ngo: u32,
    /// Businesses.
    #[serde(default)]
    pub business: u32,
    /// Communities.
    #[serde(default)]
    pub community: u32,
    /// Academia.
    #[serde(default)]
    pub academia: u32,
    /// Media.
    #[serde(default)]
    pub media: u32,
}

impl RawSector {
    /// The counts per kind, in [`Kind::ALL`](crate::Kind::ALL) order.
    pub fn counts(&self) -> [u32; 6] {
        self.counts_at(0)
    }

    /// The counts per kind of a unit at `level` (a multilevel network's; the agencies given
    /// for that level).
    pub fn counts_at(&self, level: u8) -> [u32; 6] {
        [
            self.agencies.at(level),
            self.ngo,
            self.business,
            self.community,
            self.academia,
            self.media,
        ]
    }
}

/// A sector's agencies: one number, or one per level of government.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Agencies {
    /// The same number (at every level of a multilevel network).
    Each(u32),
    /// Per level: national, province, regency.
    ByLevel([u32; 3]),
}

impl Default for Agencies {
    fn default() -> Self {
        Agencies::Each(0)
    }
}

impl Agencies {
    /// The number at `level` (0, 1, 2).
    pub fn at(self, level: u8) -> u32 {
        match self {
            Agencies::Each(n) => n,
            Agencies::ByLevel(by) => by[(level as usize).min(2)],
        }
    }
}

/// One explicitly listed actor. Values given here are fixed; the others are drawn.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawActor {
    /// Unique id, used by edge files.
    pub id: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `agency`, `ngo`, `business`, `community`, `academia` or `media`.
    pub kind: String,
    /// Sector name.
    pub sector: String,
    /// Power in [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power: Option<f64>,
    /// Capacity in [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<f64>,
    /// Culture in [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub culture: Option<f64>,
    /// The seven culture indicator scores (culture is their mean).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub culture_indicators: Option<Vec<f64>>,
    /// Initial commitment in [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment: Option<f64>,
    /// Initial view, one value per issue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<Vec<f64>>,
}

/// The network generator.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum RawNetwork {
    /// Every pair related.
    #[default]
    Complete,
    /// Stochastic block model over sectors.
    Sbm {
        /// Chance of a relation within a sector (default 0.5).
        #[serde(default = "default_p_within")]
        p_within: f64,
        /// Chance of a relation across sectors (default 0.05).
        #[serde(default = "default_p_across")]
        p_across: f64,
        /// Networks drawn per run: absent, one per replicate (each from its own stream);
        /// `K`, replicates spread evenly over K networks (a nested design); 1, one network
        /// shared by every replicate.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        draws: Option<u32>,
        /// The seed the networks are drawn from (default: the scenario's seed): a sweep
        /// with `fixed_network` gives every point the same one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seed: Option<u64>,
    },
    /// Watts-Strogatz over all actors.
    SmallWorld {
        /// Neighbours on the ring, even (default 6).
        #[serde(default = "default_k")]
        k: u32,
        /// Rewiring chance (default 0.1).
        #[serde(default = "default_beta")]
        beta: f64,
        /// Networks drawn per run: absent, one per replicate (each from its own stream);
        /// `K`, replicates spread evenly over K networks (a nested design); 1, one network
        /// shared by every replicate.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        draws: Option<u32>,
        /// The seed the networks are drawn from (default: the scenario's seed): a sweep
        /// with `fixed_network` gives every point the same one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seed: Option<u64>,
    },
    /// Levels of government (CG-3): units, their agencies and non-state actors, and
    /// relations local, vertical and between peers.
    Multilevel(RawMultilevel),
    /// Relations listed in a CSV file `source,target[,trust]` of actor ids.
    Edges {
        /// Path, relative to the scenario file.
        file: String,
    },
    /// Actors and relations read from a GraphML file (NetworkX, Gephi, igraph, UCINET).
    Graphml {
        /// Path, relative to the scenario file.
        file: String,
        /// Our attribute names (`kind`, `sector`, `name`, `power`, `capacity`, `culture`,
        /// `commitment`, `trust`, `weight`) mapped to the file's.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        attributes: BTreeMap<String, String>,
    },
    /// Actors and relations read from a GEXF file (Gephi, NetworkX), with the same
    /// attribute mapping as GraphML.
    Gexf {
        /// Path, relative to the scenario file.
        file: String,
        /// Our attribute names mapped to the file's, as for GraphML.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        attributes: BTreeMap<String, String>,
    },
}

impl RawNetwork {
    /// The file and attribute renames of a network read from a graph file (GraphML or
    /// GEXF), which gives actors as well as relations.
    pub fn graph_file(&self) -> Option<(&str, &BTreeMap<String, String>)> {
        match self {
            RawNetwork::Graphml { file, attributes } | RawNetwork::Gexf { file, attributes } => {
                Some((file, attributes))
            }
            _ => None,
        }
    }

    /// Whether the network is drawn at random (`sbm`, `small_world`), so each draw differs.
    pub fn is_random(&self) -> bool {
        matches!(
            self,
            RawNetwork::Sbm { .. } | RawNetwork::SmallWorld { .. } | RawNetwork::Multilevel(_)
        )
    }

    /// The `draws` a random network asks for (`None`: one per replicate).
    pub fn draws(&self) -> Option<u32> {
        match self {
            RawNetwork::Sbm { draws, .. } | RawNetwork::SmallWorld { draws, .. } => *draws,
            RawNetwork::Multilevel(m) => m.draws,
            _ => None,
        }
    }

    /// The seed a random network is drawn from, when it names its own.
    pub fn seed(&self) -> Option<u64> {
        match self {
            RawNetwork::Sbm { seed, .. } | RawNetwork::SmallWorld { seed, .. } => *seed,
            RawNetwork::Multilevel(m) => m.seed,
            _ => None,
        }
    }

    /// Sets a random network's `draws` and `seed` (nothing for a fixed network).
    pub fn set_draws(&mut self, to: Option<u32>, network_seed: Option<u64>) {
        if let RawNetwork::Sbm { draws, seed, .. } | RawNetwork::SmallWorld { draws, seed, .. } =
            self
        {
            *draws = to;
            *seed = network_seed;
        }
        if let RawNetwork::Multilevel(m) = self {
            m.draws = to;
            m.seed = network_seed;
        }
    }
}

fn default_p_within() -> f64 {
    0.5
}
fn default_p_across() -> f64 {
    0.05
}
fn default_k() -> u32 {
    6
}
fn default_beta() -> f64 {
    0.1
}

/// Initial distributions at one level: everywhere (top), per kind, per sector, or per kind
/// within a sector. A distribution is a string such as `"beta(2, 5)"` or a number.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInit {
    /// Power.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power: Option<toml::Value>,
    /// Capacity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<toml::Value>,
    /// Culture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub culture: Option<toml::Value>,
    /// Culture as the seven indicator scores (constant at their mean).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub culture_indicators: Option<Vec<f64>>,
    /// Commitment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment: Option<toml::Value>,
    /// View: one distribution for every issue, or an array with one per issue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<toml::Value>,
    /// Trust within and across sectors (top level only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust: Option<RawTrust>,
    /// Per-kind settings (top level and within a sector).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub kind: BTreeMap<String, RawInit>,
    /// Per-sector settings (top level only).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sector: BTreeMap<String, RawInit>,
}

/// Initial trust distributions.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTrust {
    /// Trust on same-sector relations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<toml::Value>,
    /// Trust on cross-sector relations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub across: Option<toml::Value>,
}

/// Who initiated a forum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InitiatedBy {
    /// A public agency or institution.
    Agency,
    /// Non-state actors.
    NonState,
}

/// How participants take part.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Engagement {
    /// They decide.
    Decision,
    /// They are only consulted.
    Consultation,
}

/// How a forum decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionRule {
    /// By consensus.
    Consensus,
    /// By majority.
    Majority,
    /// By an authority.
    Authority,
}

/// What a forum is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Focus {
    /// Public policy.
    PublicPolicy,
    /// Public management.
    PublicManagement,
    /// A private matter.
    Private,
}

/// The name of an enum value as a scenario file writes it.
pub fn value_name<T: Serialize>(value: &T) -> String {
    toml::Value::try_from(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Descriptive facts about the forum, used only by `collabgov validate` (Ansell & Gash's six
/// criteria). They do not change the simulation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawForum {
    /// Who initiated the forum: `agency` or `non_state`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initiated_by: Option<InitiatedBy>,
    /// How participants take part: `decision` (they decide) or `consultation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engagement: Option<Engagement>,
    /// Whether the forum is formally organised and meets collectively.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formal: Option<bool>,
    /// How it decides: `consensus`, `majority` or `authority`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_rule: Option<DecisionRule>,
    /// What it is about: `public_policy`, `public_management` or `private`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus: Option<Focus>,
}

/// The `[levels]` table as written.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLevels {
    /// `a`: the chance that a dialogue between governments is refused (default 0).
    #[serde(default)]
    pub autonomy: f64,
    /// `chi`: political control (default 0).
    #[serde(default)]
    pub control: f64,
    /// `rho`: how much a province's own framing pulls its actors' initial views (default 0).
    #[serde(default)]
    pub regional_views: f64,
    /// Initial power per level (national, province, regency): distributions or numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power: Option<Vec<toml::Value>>,
    /// Initial capacity per level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<Vec<toml::Value>>,
}

/// The `multilevel` generator's settings (`[network] type = "multilevel"`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMultilevel {
    /// Provinces P.
    #[serde(default)]
    pub provinces: u32,
    /// Regencies and cities R, spread over the provinces as evenly as possible.
    #[serde(default)]
    pub regencies: u32,
    /// Regencies of each province, instead of `regencies`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regencies_per_province: Option<Vec<u32>>,
    /// The provinces' names (default `province-1`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province_names: Option<Vec<String>>,
    /// The regencies' names, province by province (default `regency-1`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regency_names: Option<Vec<String>>,
    /// Non-state actors in every province too (default: in regencies only).
    #[serde(default)]
    pub nonstate_in_provinces: bool,
    /// Two agencies of one unit and one sector (default 1).
    #[serde(default = "one")]
    pub p_local_within: f64,
    /// Two agencies of one unit and different sectors (default 0.3).
    #[serde(default = "p_local_across")]
    pub p_local_across: f64,
    /// A non-state actor and an agency of its unit (default 0.3).
    #[serde(default = "p_nonstate")]
    pub p_nonstate: f64,
    /// Two non-state actors of a unit (default 0.1).
    #[serde(default = "p_nonstate_pair")]
    pub p_nonstate_pair: f64,
    /// Two agencies of one sector in vertical units (default 1).
    #[serde(default = "one")]
    pub p_vertical: f64,
    /// Two agencies of one sector in peer units (default 0).
    #[serde(default)]
    pub p_peer: f64,
    /// Networks drawn per run, as for `sbm`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draws: Option<u32>,
    /// The seed the networks are drawn from, as for `sbm`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

fn one() -> f64 {
    1.0
}
fn p_local_across() -> f64 {
    0.3
}
fn p_nonstate() -> f64 {
    0.3
}
fn p_nonstate_pair() -> f64 {
    0.1
}
