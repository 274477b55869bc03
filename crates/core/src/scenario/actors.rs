//! The actors stage: sectors, then actors generated from sector counts, listed in
//! `[[actors]]` and read from `actors_file`, each with its fixed values; sizes and ids
//! checked, and an impossible forum refused before a single actor is generated.

use std::collections::HashSet;

use super::error::excerpt;
use super::inputs::parse_actors_csv;
use super::levels::{self, Unit};
use super::memory::{check_memory, check_relations};
use super::raw::{Agencies, RawActor, RawScenario};
use super::{Ctx, Loader, MAX_ACTORS, ScenarioError, sector_index, unit};
use crate::actor::{Actor, FixedValues, Kind, culture_from_indicators};

/// What the actors stage makes: the sectors, the actors, and with a `multilevel` network
/// the units of government.
type Made = (Vec<String>, Vec<Actor>, Option<Vec<Unit>>);

/// The sectors and actors of a scenario (coordinating agencies join later), and the units of
/// government with a `multilevel` network.
pub(crate) fn sectors_and_actors(
    ctx: &Ctx<'_>,
    raw: &RawScenario,
    issues: usize,
    load: Loader<'_>,
) -> Result<Made, ScenarioError> {
    let mut sectors = declared_sectors(ctx, raw)?;
    if let Some(m) = levels::multilevel(&raw.network) {
        let (actors, units) = multilevel_actors(ctx, raw, m, issues)?;
        check_actors(ctx, &sectors, &actors)?;
        return Ok((sectors, actors, Some(units)));
    }
    if let Some(s) = raw
        .sectors
        .iter()
        .position(|s| matches!(s.agencies, Agencies::ByLevel(_)))
    {
        return Err(ctx.err(
            &format!("sectors[{s}].agencies"),
            "expected a number of agencies, found a list per level (which needs a multilevel network)",
        ));
    }
    // Actors: generated, then listed, then from a file.
    let mut actors = generated_actors(ctx, raw, issues)?;
    let listed = listed_actors(ctx, raw, load, &mut sectors)?;
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
                    excerpt(&actor.sector)
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
            unit: 0,
            profile: 0,
            joins_at: 0,
            fixed: fixed_of(ctx, key, actor, issues)?,
        });
    }
    check_actors(ctx, &sectors, &actors)?;
    Ok((sectors, actors, None))
}

/// The units and actors of a `multilevel` network, after the forum they make is checked
/// against the memory budget; listed actors are refused (every actor belongs to a unit).
fn multilevel_actors(
    ctx: &Ctx<'_>,
    raw: &RawScenario,
    m: &levels::RawMultilevel,
    issues: usize,
) -> Result<(Vec<Actor>, Vec<Unit>), ScenarioError> {
    if raw.levels.is_none() {
        return Err(ctx.err(
            "network",
            "expected a [levels] table with a multilevel network (it may be empty), found none",
        ));
    }
    if !raw.actors.is_empty() || raw.actors_file.is_some() {
        let key = if raw.actors.is_empty() {
            "actors_file"
        } else {
            "actors"
        };
        return Err(ctx.err(
            key,
            "expected no listed actors with a multilevel network (its sectors' counts make every unit's actors), found some",
        ));
    }
    levels::check_chances(ctx, m)?;
    let units = levels::units_of(ctx, m)?;
    let (n_actors, relations) = levels::size_of(raw, m, &units);
    if n_actors > MAX_ACTORS as u64 {
        return Err(ctx.err(
            "sectors",
            format!("expected at most {MAX_ACTORS} actors, found {n_actors}"),
        ));
    }
    check_relations(
        ctx,
        relations,
        n_actors,
        issues as u64,
        "this multilevel network",
    )?;
    Ok((levels::actors_of(raw, m, &units), units))
}

/// The sectors of `[[sectors]]`: named, each once.
fn declared_sectors(ctx: &Ctx<'_>, raw: &RawScenario) -> Result<Vec<String>, ScenarioError> {
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
                    excerpt(&sector.name)
                ),
            ));
        }
        sectors.push(sector.name.clone());
    }
    Ok(sectors)
}

/// The actors the sectors' counts generate, after the forum they make is checked against
/// the memory budget (before a single actor is generated).
fn generated_actors(
    ctx: &Ctx<'_>,
    raw: &RawScenario,
    issues: usize,
) -> Result<Vec<Actor>, ScenarioError> {
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
    check_memory(ctx, &raw.network, &sector_sizes, generated, issues as u64)?;
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
                    unit: 0,
                    profile: 0,
                    joins_at: 0,
                    fixed: None,
                });
            }
        }
    }
    Ok(actors)
}

/// The actors listed in `[[actors]]`, read from `actors_file` and from a network file, each
/// with the key its errors name; a sector named only in the network file is added.
fn listed_actors(
    ctx: &Ctx<'_>,
    raw: &RawScenario,
    load: Loader<'_>,
    sectors: &mut Vec<String>,
) -> Result<Vec<(String, RawActor)>, ScenarioError> {
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
    if let Some((file, attributes)) = raw.network.graph_file() {
        let text = load(file)
            .map_err(|m| ctx.err("network.file", format!("cannot read \"{file}\": {m}")))?;
        let graph = super::network::read_graph(&raw.network, file, &text)?;
        for (actor, line) in super::graph_file::actors(file, &graph, attributes)? {
            // A sector named only in the graph is created, in order of first appearance.
            if sector_index(sectors, &actor.sector).is_none() && !actor.sector.trim().is_empty() {
                sectors.push(actor.sector.clone());
            }
            listed.push((
                format!("{file}: line {line}, node \"{}\"", excerpt(&actor.id)),
                actor,
            ));
        }
    }
    Ok(listed)
}

/// The forum's size within bounds, every sector with an actor, every id once.
fn check_actors(ctx: &Ctx<'_>, sectors: &[String], actors: &[Actor]) -> Result<(), ScenarioError> {
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

    // Unique ids.
    let mut ids: HashSet<&str> = HashSet::with_capacity(actors.len());
    for actor in actors {
        if !ids.insert(actor.id.as_str()) {
            return Err(ctx.err(
                "actors",
                format!(
                    "expected unique actor ids, found \"{}\" twice",
                    excerpt(&actor.id)
                ),
            ));
        }
    }
    Ok(())
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
