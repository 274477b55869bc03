//! Scenarios: the raw file image ([`raw`]), its validation into a [`Scenario`], and the
//! [`Forum`] it builds (actors, profiles, the relation graph, intervention schedule).

pub mod error;
pub mod interventions;
pub mod keypath;
pub mod overrides;
pub mod raw;

use std::collections::{HashMap, HashSet};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::Params;
use crate::actor::{Actor, FixedValues, Kind, culture_from_indicators};
use crate::dist::Dist;
use crate::graph::{self, RelationGraph};
pub use error::ScenarioError;
pub use interventions::{Effect, Intervention, Setting};
pub use keypath::SetValue;
pub use overrides::{Overrides, Parsed};
use raw::{RawActor, RawInit, RawNetwork, RawScenario};

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
    /// The last round in which an actor joins (0 when every actor exists from the start).
    pub last_join: u32,
}

impl Forum {
    /// Number of actors, including those that join later.
    pub fn n_actors(&self) -> usize {
        self.actors.len()
    }
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
    /// The file image with every default filled in (recorded in `run.json`).
    pub resolved: RawScenario,
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

fn csv_err(file: &str, line: Option<u64>, key: &str, message: impl Into<String>) -> ScenarioError {
    ScenarioError {
        file: file.to_string(),
        key: key.to_string(),
        line: line.map(|l| l as usize),
        message: message.into(),
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

fn views_of(
    ctx: &Ctx<'_>,
    key: &str,
    value: &toml::Value,
    issues: usize,
) -> Result<Vec<Dist>, ScenarioError> {
    match value {
        toml::Value::Array(items) => {
            if items.len() != issues {
                return Err(ctx.err(
                    key,
                    format!(
                        "expected {issues} distributions (one per issue), found {}",
                        items.len()
                    ),
                ));
            }
            items
                .iter()
                .enumerate()
                .map(|(d, v)| dist_of(ctx, &format!("{key}[{d}]"), v))
                .collect()
        }
        single => Ok(vec![dist_of(ctx, key, single)?; issues]),
    }
}

/// One level of initial settings, validated.
#[derive(Default, Clone)]
struct Level {
    power: Option<Dist>,
    capacity: Option<Dist>,
    culture: Option<Dist>,
    commitment: Option<Dist>,
    view: Option<Vec<Dist>>,
}

fn level_of(
    ctx: &Ctx<'_>,
    key: &str,
    init: &RawInit,
    issues: usize,
) -> Result<Level, ScenarioError> {
    let one = |name: &str, v: &Option<toml::Value>| -> Result<Option<Dist>, ScenarioError> {
        v.as_ref()
            .map(|v| dist_of(ctx, &format!("{key}.{name}"), v))
            .transpose()
    };
    let mut culture = one("culture", &init.culture)?;
    if let Some(scores) = &init.culture_indicators {
        let at = format!("{key}.culture_indicators");
        if culture.is_some() {
            return Err(ctx.err(
                &at,
                "expected either culture or culture_indicators, found both",
            ));
        }
        let mean = culture_from_indicators(scores).map_err(|m| ctx.err(&at, m))?;
        culture = Some(Dist::Constant(mean));
    }
    Ok(Level {
        power: one("power", &init.power)?,
        capacity: one("capacity", &init.capacity)?,
        culture,
        commitment: one("commitment", &init.commitment)?,
        view: init
            .view
            .as_ref()
            .map(|v| views_of(ctx, &format!("{key}.view"), v, issues))
            .transpose()?,
    })
}

fn fixed_of(
    ctx: &Ctx<'_>,
    key: &str,
    actor: &RawActor,
    issues: usize,
) -> Result<Option<Box<FixedValues>>, ScenarioError> {
    let field = |name: &str, v: Option<f64>| {
        v.map(|v| unit(ctx, &format!("{key}.{name}"), v))
            .transpose()
    };
    let mut culture = field("culture", actor.culture)?;
    if let Some(scores) = &actor.culture_indicators {
        let at = format!("{key}.culture_indicators");
        if culture.is_some() {
            return Err(ctx.err(
                &at,
                "expected either culture or culture_indicators, found both",
            ));
        }
        culture = Some(culture_from_indicators(scores).map_err(|m| ctx.err(&at, m))?);
    }
    let view = match &actor.view {
        Some(view) => {
            let at = format!("{key}.view");
            if view.len() != issues {
                return Err(ctx.err(
                    &at,
                    format!(
                        "expected {issues} values (one per issue), found {}",
                        view.len()
                    ),
                ));
            }
            for &v in view {
                unit(ctx, &at, v)?;
            }
            Some(view.clone())
        }
        None => None,
    };
    let fixed = FixedValues {
        power: field("power", actor.power)?,
        capacity: field("capacity", actor.capacity)?,
        culture,
        commitment: field("commitment", actor.commitment)?,
        view,
    };
    Ok(if fixed == FixedValues::default() {
        None
    } else {
        Some(Box::new(fixed))
    })
}

/// Reads an actor CSV (`id,kind,sector` and optional `name,power,capacity,culture,commitment,
/// view_1..view_D`) into raw actors; errors name the file and the line.
pub fn parse_actors_csv(file: &str, text: &str) -> Result<Vec<RawActor>, ScenarioError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| csv_err(file, Some(1), "", format!("cannot read the header: {e}")))?
        .clone();
    for needed in ["id", "kind", "sector"] {
        if !headers.iter().any(|h| h == needed) {
            return Err(csv_err(
                file,
                Some(1),
                needed,
                format!(
                    "expected a column \"{needed}\" in the header, found {:?}",
                    headers.iter().collect::<Vec<_>>()
                ),
            ));
        }
    }
    for h in headers.iter() {
        let known = matches!(
            h,
            "id" | "name" | "kind" | "sector" | "power" | "capacity" | "culture" | "commitment"
        ) || h
            .strip_prefix("view_")
            .is_some_and(|n| n.parse::<usize>().is_ok_and(|n| n >= 1));
        if !known {
            return Err(csv_err(
                file,
                Some(1),
                h,
                format!(
                    "expected columns id, kind, sector, name, power, capacity, culture, commitment, view_1.., found unknown column \"{h}\""
                ),
            ));
        }
    }
    let mut views: Vec<(usize, usize)> = headers
        .iter()
        .enumerate()
        .filter_map(|(col, h)| {
            h.strip_prefix("view_")
                .and_then(|n| n.parse::<usize>().ok())
                .map(|n| (n, col))
        })
        .collect();
    views.sort_unstable();
    let mut actors = Vec::new();
    for record in reader.records() {
        let record =
            record.map_err(|e| csv_err(file, e.position().map(|p| p.line()), "", e.to_string()))?;
        let line = record.position().map(|p| p.line());
        let get = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .and_then(|c| record.get(c))
                .filter(|v| !v.is_empty())
        };
        let num = |name: &str| -> Result<Option<f64>, ScenarioError> {
            get(name)
                .map(|v| {
                    v.parse::<f64>().map_err(|_| {
                        csv_err(
                            file,
                            line,
                            name,
                            format!("expected a number, found \"{v}\""),
                        )
                    })
                })
                .transpose()
        };
        let id = get("id").ok_or_else(|| {
            csv_err(
                file,
                line,
                "id",
                "expected an actor id, found an empty field",
            )
        })?;
        let mut view = Vec::new();
        for &(_, col) in &views {
            let v = record.get(col).unwrap_or("");
            view.push(v.parse::<f64>().map_err(|_| {
                csv_err(
                    file,
                    line,
                    "view",
                    format!("expected a number, found \"{v}\""),
                )
            })?);
        }
        actors.push(RawActor {
            id: id.to_string(),
            name: get("name").map(str::to_string),
            kind: get("kind").unwrap_or("").to_string(),
            sector: get("sector").unwrap_or("").to_string(),
            power: num("power")?,
            capacity: num("capacity")?,
            culture: num("culture")?,
            culture_indicators: None,
            commitment: num("commitment")?,
            view: if views.is_empty() { None } else { Some(view) },
        });
    }
    Ok(actors)
}

/// A parsed edge list: directed (source, target) -> trust (NaN when not given), in file order.
type EdgeList = Vec<(u32, u32, f64, u64)>;

/// Reads an edge CSV `source,target[,trust]` of actor ids. A header line is recognised by a
/// first field `source`; a byte-order mark and CRLF line ends are accepted.
pub fn parse_edges_csv(
    file: &str,
    text: &str,
    ids: &HashMap<&str, u32>,
) -> Result<EdgeList, ScenarioError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let mut edges = Vec::new();
    let mut seen: HashMap<(u32, u32), u64> = HashMap::new();
    for (idx, record) in reader.records().enumerate() {
        let record =
            record.map_err(|e| csv_err(file, e.position().map(|p| p.line()), "", e.to_string()))?;
        let line = record.position().map_or(idx as u64 + 1, |p| p.line());
        if idx == 0 && record.get(0) == Some("source") {
            continue;
        }
        if record.len() == 1 && record.get(0) == Some("") {
            continue;
        }
        if !(2..=3).contains(&record.len()) {
            return Err(csv_err(
                file,
                Some(line),
                "",
                format!(
                    "expected 2 or 3 columns (source,target[,trust]), found {}",
                    record.len()
                ),
            ));
        }
        let id = |col: usize, what: &str| -> Result<u32, ScenarioError> {
            let v = record.get(col).unwrap_or("");
            ids.get(v).copied().ok_or_else(|| {
                csv_err(
                    file,
                    Some(line),
                    what,
                    format!(
                        "expected the id of an actor of the scenario, found unknown id \"{v}\""
                    ),
                )
            })
        };
        let (a, b) = (id(0, "source")?, id(1, "target")?);
        if a == b {
            return Err(csv_err(
                file,
                Some(line),
                "target",
                format!(
                    "expected a relation between two actors, found a self-relation of \"{}\"",
                    record.get(0).unwrap_or("")
                ),
            ));
        }
        let trust = match record.get(2).filter(|v| !v.is_empty()) {
            Some(v) => {
                let t: f64 = v.parse().map_err(|_| {
                    csv_err(
                        file,
                        Some(line),
                        "trust",
                        format!("expected a number in [0, 1], found \"{v}\""),
                    )
                })?;
                if !(t.is_finite() && (0.0..=1.0).contains(&t)) {
                    return Err(csv_err(
                        file,
                        Some(line),
                        "trust",
                        format!("expected a number in [0, 1], found {t}"),
                    ));
                }
                t
            }
            None => f64::NAN,
        };
        if let Some(first) = seen.insert((a, b), line) {
            return Err(csv_err(
                file,
                Some(line),
                "",
                format!(
                    "expected each directed relation once, found {} -> {} again (first on line {first})",
                    record.get(0).unwrap_or(""),
                    record.get(1).unwrap_or("")
                ),
            ));
        }
        edges.push((a, b, trust, line));
    }
    Ok(edges)
}

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
fn check_memory(
    ctx: &Ctx<'_>,
    network: &RawNetwork,
    blocks: &[u64],
    n_actors: u64,
    issues: u64,
) -> Result<(), ScenarioError> {
    let pairs = |n: u64| n.saturating_mul(n.saturating_sub(1)) / 2;
    let (relations, what) = match network {
        RawNetwork::Complete => (pairs(n_actors), "a complete network"),
        RawNetwork::Sbm { p_within, p_across } => {
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
        RawNetwork::Edges { .. } => (0, "the edge file"),
    };
    let bytes = estimate_bytes(n_actors, relations, issues);
    if bytes > DEFAULT_MEMORY_BUDGET {
        return Err(ctx.err(
            "network",
            format!(
                "expected a forum that fits in {} GiB, found {what} of {n_actors} actors and about {relations} relations needing about {:.1} GiB; use a sparser network (sbm or small_world)",
                DEFAULT_MEMORY_BUDGET >> 30,
                bytes as f64 / (1u64 << 30) as f64
            ),
        ));
    }
    Ok(())
}

impl Scenario {
    /// Parses and validates a scenario from TOML text. `file` names it in errors; `load` reads
    /// the files it names (edge and actor CSVs).
    pub fn parse(src: &str, file: &str, load: Loader<'_>) -> Result<Scenario, ScenarioError> {
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
        Scenario::from_raw(raw, src, file, load)
    }

    /// Validates a raw image (`src` is its text, used only to find lines for errors).
    pub fn from_raw(
        raw: RawScenario,
        src: &str,
        file: &str,
        load: Loader<'_>,
    ) -> Result<Scenario, ScenarioError> {
        let ctx = Ctx { src, file };
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
        let issues = raw.issues as usize;
        raw.parameters
            .validate()
            .map_err(|(name, msg)| ctx.err(&format!("parameters.{name}"), msg))?;

        // Sectors.
        let mut sectors: Vec<String> = Vec::new();
        for (s, sector) in raw.sectors.iter().enumerate() {
            if sector.name.trim().is_empty() {
                return Err(ctx.err(
                    &format!("sectors[{s}].name"),
                    "expected a non-empty sector name, found \"\"",
                ));
            }
            if sectors.contains(&sector.name) {
                return Err(ctx.err(
                    &format!("sectors[{s}].name"),
                    format!(
                        "expected unique sector names, found \"{}\" twice",
                        sector.name
                    ),
                ));
            }
            sectors.push(sector.name.clone());
        }
        let sector_index = |sectors: &[String], name: &str| {
            sectors.iter().position(|s| s == name).map(|s| s as u32)
        };

        // Actors: generated, then listed, then from a file.
        let sector_sizes: Vec<u64> = raw
            .sectors
            .iter()
            .map(|s| s.counts().iter().map(|&c| c as u64).sum())
            .collect();
        let generated: u64 = sector_sizes.iter().sum();
        if generated > MAX_ACTORS as u64 {
            return Err(ctx.err(
                "sectors",
                format!("expected at most {MAX_ACTORS} actors, found {generated}"),
            ));
        }
        // Refuse an impossible forum before generating a single actor.
        check_memory(&ctx, &raw.network, &sector_sizes, generated, issues as u64)?;
        let mut actors: Vec<Actor> = Vec::with_capacity(generated as usize);
        for (s, sector) in raw.sectors.iter().enumerate() {
            for (kind, &count) in Kind::ALL.iter().zip(sector.counts().iter()) {
                for n in 1..=count {
                    let id = format!("{}-{}-{n}", sector.name, kind.name());
                    actors.push(Actor {
                        name: id.clone(),
                        id,
                        kind: *kind,
                        sector: s as u32,
                        profile: 0,
                        joins_at: 0,
                        fixed: None,
                    });
                }
            }
        }
        let mut listed: Vec<(String, RawActor)> = raw
            .actors
            .iter()
            .enumerate()
            .map(|(i, a)| (format!("actors[{i}]"), a.clone()))
            .collect();
        if let Some(path) = &raw.actors_file {
            let text = load(path)
                .map_err(|m| ctx.err("actors_file", format!("cannot read \"{path}\": {m}")))?;
            for (i, actor) in parse_actors_csv(path, &text)?.into_iter().enumerate() {
                listed.push((format!("{path}: row {}", i + 1), actor));
            }
        }
        for (key, actor) in &listed {
            let kind: Kind = actor
                .kind
                .parse()
                .map_err(|m: String| ctx.err(&format!("{key}.kind"), m))?;
            let sector = sector_index(&sectors, &actor.sector).ok_or_else(|| {
                ctx.err(
                    &format!("{key}.sector"),
                    format!(
                        "expected a sector declared in [[sectors]] ({}), found \"{}\"",
                        sectors.join(", "),
                        actor.sector
                    ),
                )
            })?;
            if actor.id.trim().is_empty() {
                return Err(ctx.err(&format!("{key}.id"), "expected a non-empty id, found \"\""));
            }
            actors.push(Actor {
                id: actor.id.clone(),
                name: actor.name.clone().unwrap_or_else(|| actor.id.clone()),
                kind,
                sector,
                profile: 0,
                joins_at: 0,
                fixed: fixed_of(&ctx, key, actor, issues)?,
            });
        }
        if actors.len() > MAX_ACTORS {
            return Err(ctx.err(
                "actors",
                format!(
                    "expected at most {MAX_ACTORS} actors, found {}",
                    actors.len()
                ),
            ));
        }
        if actors.is_empty() {
            return Err(ctx.err(
                "sectors",
                "expected at least one actor (sector counts or [[actors]]), found none",
            ));
        }
        for (s, name) in sectors.iter().enumerate() {
            if !actors.iter().any(|a| a.sector == s as u32) {
                return Err(ctx.err(
                    &format!("sectors[{s}]"),
                    format!("expected at least one actor in sector \"{name}\", found none"),
                ));
            }
        }
        let n_original = actors.len();

        // Unique ids.
        let mut ids: HashSet<&str> = HashSet::with_capacity(actors.len());
        for actor in &actors {
            if !ids.insert(actor.id.as_str()) {
                return Err(ctx.err(
                    "actors",
                    format!("expected unique actor ids, found \"{}\" twice", actor.id),
                ));
            }
        }
        drop(ids);

        // Interventions (first pass: validation; coordinating agencies become actors).
        let mut interventions = Vec::with_capacity(raw.interventions.len());
        {
            let mut build = interventions::Build {
                ctx: &ctx,
                rounds: raw.rounds,
                sectors: &mut sectors,
                actors: &mut actors,
            };
            for (i, iv) in raw.interventions.iter().enumerate() {
                interventions.push(iv.validate(&format!("interventions[{i}]"), &mut build)?);
            }
        }

        // Initial distributions and profiles (most specific wins: sector+kind, sector, kind, top).
        let init = &raw.initial;
        for (kind_name, sub) in &init.kind {
            let key = format!("initial.kind.{kind_name}");
            kind_name.parse::<Kind>().map_err(|m| ctx.err(&key, m))?;
            if !sub.kind.is_empty() || !sub.sector.is_empty() || sub.trust.is_some() {
                return Err(ctx.err(&key, "expected only power, capacity, culture, culture_indicators, commitment and view here, found a nested kind, sector or trust table"));
            }
        }
        for (sector_name, sub) in &init.sector {
            let key = format!("initial.sector.{sector_name}");
            if sector_index(&sectors, sector_name).is_none() {
                return Err(ctx.err(
                    &key,
                    format!(
                        "expected a sector declared in [[sectors]] ({}), found \"{sector_name}\"",
                        sectors.join(", ")
                    ),
                ));
            }
            if !sub.sector.is_empty() || sub.trust.is_some() {
                return Err(ctx.err(
                    &key,
                    "expected no nested sector or trust table here, found one",
                ));
            }
            for (kind_name, subsub) in &sub.kind {
                let key = format!("{key}.kind.{kind_name}");
                kind_name.parse::<Kind>().map_err(|m| ctx.err(&key, m))?;
                if !subsub.kind.is_empty() || !subsub.sector.is_empty() || subsub.trust.is_some() {
                    return Err(ctx.err(&key, "expected only power, capacity, culture, culture_indicators, commitment and view here, found a nested table"));
                }
            }
        }
        let top = level_of(&ctx, "initial", init, issues)?;
        let mut profiles = Vec::with_capacity(sectors.len() * Kind::ALL.len());
        for sector_name in &sectors {
            let sector_init = init.sector.get(sector_name);
            let sector_level = sector_init
                .map(|s| level_of(&ctx, &format!("initial.sector.{sector_name}"), s, issues))
                .transpose()?;
            for kind in Kind::ALL {
                let kind_level = init
                    .kind
                    .get(kind.name())
                    .map(|k| level_of(&ctx, &format!("initial.kind.{kind}"), k, issues))
                    .transpose()?;
                let sk_level = sector_init
                    .and_then(|s| s.kind.get(kind.name()))
                    .map(|k| {
                        level_of(
                            &ctx,
                            &format!("initial.sector.{sector_name}.kind.{kind}"),
                            k,
                            issues,
                        )
                    })
                    .transpose()?;
                let levels: Vec<&Level> = [
                    sk_level.as_ref(),
                    sector_level.as_ref(),
                    kind_level.as_ref(),
                    Some(&top),
                ]
                .into_iter()
                .flatten()
                .collect();
                let pick = |f: &dyn Fn(&Level) -> Option<Dist>, default: Dist| {
                    levels.iter().find_map(|l| f(l)).unwrap_or(default)
                };
                profiles.push(Profile {
                    power: pick(&|l| l.power.clone(), Dist::Constant(0.5)),
                    capacity: pick(&|l| l.capacity.clone(), Dist::Constant(1.0)),
                    culture: pick(&|l| l.culture.clone(), Dist::Constant(1.0)),
                    commitment: pick(&|l| l.commitment.clone(), Dist::Constant(0.5)),
                    view: levels
                        .iter()
                        .find_map(|l| l.view.clone())
                        .unwrap_or_else(|| vec![Dist::Uniform(0.0, 1.0); issues]),
                });
            }
        }
        for actor in &mut actors {
            actor.profile = actor.sector * Kind::ALL.len() as u32
                + Kind::ALL.iter().position(|k| *k == actor.kind).unwrap_or(0) as u32;
        }
        let trust = init.trust.clone().unwrap_or_default();
        let trust_within = trust
            .within
            .as_ref()
            .map(|v| dist_of(&ctx, "initial.trust.within", v))
            .transpose()?
            .unwrap_or(Dist::Constant(0.5));
        let trust_across = trust
            .across
            .as_ref()
            .map(|v| dist_of(&ctx, "initial.trust.across", v))
            .transpose()?
            .unwrap_or(Dist::Constant(0.5));

        // Network: drawn once from the master seed on its own stream, shared by every replicate.
        let mut net_rng = ChaCha8Rng::seed_from_u64(raw.seed);
        net_rng.set_stream(u64::MAX);
        let mut blocks: Vec<Vec<u32>> = vec![Vec::new(); sectors.len()];
        for (i, actor) in actors[..n_original].iter().enumerate() {
            blocks[actor.sector as usize].push(i as u32);
        }
        let block_sizes: Vec<u64> = blocks.iter().map(|b| b.len() as u64).collect();
        check_memory(
            &ctx,
            &raw.network,
            &block_sizes,
            actors.len() as u64,
            issues as u64,
        )?;
        let mut directed_trust: Option<HashMap<(u32, u32), f64>> = None;
        let mut pairs: Vec<(u32, u32)> = match &raw.network {
            RawNetwork::Complete => graph::complete_pairs(n_original),
            RawNetwork::Sbm { p_within, p_across } => {
                unit(&ctx, "network.p_within", *p_within)?;
                unit(&ctx, "network.p_across", *p_across)?;
                graph::sbm_pairs(&mut net_rng, &blocks, *p_within, *p_across)
            }
            RawNetwork::SmallWorld { k, beta } => {
                if *k == 0 || k % 2 == 1 || *k as usize >= n_original.max(1) {
                    return Err(ctx.err("network.k", format!("expected an even k >= 2 and below the number of actors ({n_original}), found {k}")));
                }
                unit(&ctx, "network.beta", *beta)?;
                graph::small_world_pairs(&mut net_rng, n_original, *k as usize, *beta)
            }
            RawNetwork::Edges { file: path } => {
                let text = load(path)
                    .map_err(|m| ctx.err("network.file", format!("cannot read \"{path}\": {m}")))?;
                let id_refs: HashMap<&str, u32> = actors[..n_original]
                    .iter()
                    .enumerate()
                    .map(|(i, a)| (a.id.as_str(), i as u32))
                    .collect();
                let edges = parse_edges_csv(path, &text, &id_refs)?;
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
                if !map.is_empty() {
                    directed_trust = Some(map);
                }
                pairs
            }
        };

        // Relations created by interventions, each with its window: coordinating agencies
        // first, then the others in file order.
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
                ctx: &ctx,
                actors: &actors,
                n_original,
                rng: &mut net_rng,
            };
            for pass in [0, 1] {
                for iv in interventions.iter_mut() {
                    if iv.relation_pass() == Some(pass) {
                        iv.relations(&mut relations, &mut add)?;
                    }
                }
            }
        }

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

        // The resolved image: every default written out.
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
        fill(&mut t.within, &trust_within);
        fill(&mut t.across, &trust_across);

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
                sectors,
                actors,
                profiles,
                graph,
                trust_within,
                trust_across,
                fixed_trust,
                windows,
            },
            interventions,
            resolved,
        })
    }
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

#[cfg(test)]
mod tests;
