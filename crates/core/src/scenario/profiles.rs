//! The profiles stage: the initial distributions of every (sector, kind), the most
//! specific setting winning (sector and kind, sector, kind, top level), and the
//! distributions of initial trust within and across sectors.

use super::levels::Levels;
use super::raw::RawInit;
use super::{Ctx, Profile, ScenarioError, dist_of, sector_index};
use crate::actor::{Actor, Kind, culture_from_indicators};
use crate::dist::Dist;

/// The profiles (one per sector and kind, in that order), each actor's profile index set,
/// and the trust distributions within and across sectors.
///
/// With levels of government that set power or capacity per level, there is one set of
/// profiles per level (level by level), the level's setting coming after the sector's and
/// the kind's and before the top level's.
pub(crate) fn profiles(
    ctx: &Ctx<'_>,
    init: &RawInit,
    sectors: &[String],
    issues: usize,
    actors: &mut [Actor],
    by_level: Option<(&Levels, &[u8])>,
) -> Result<(Vec<Profile>, Dist, Dist), ScenarioError> {
    check_tables(ctx, init, sectors)?;
    // Initial distributions and profiles (most specific wins: sector+kind, sector, kind, top).
    let top = level_of(ctx, "initial", init, issues)?;
    // The levels' own settings, when they give any (one layer of profiles per level).
    let layers: Vec<Option<Level>> = match by_level {
        Some((l, _)) if l.power.is_some() || l.capacity.is_some() => (0..3)
            .map(|k| {
                Some(Level {
                    power: l.power.as_ref().map(|p| p[k].clone()),
                    capacity: l.capacity.as_ref().map(|c| c[k].clone()),
                    ..Level::default()
                })
            })
            .collect(),
        _ => vec![None],
    };
    let mut profiles = Vec::with_capacity(layers.len() * sectors.len() * Kind::ALL.len());
    for layer in &layers {
        for sector_name in sectors {
            let sector_init = init.sector.get(sector_name);
            let sector_level = sector_init
                .map(|s| level_of(ctx, &format!("initial.sector.{sector_name}"), s, issues))
                .transpose()?;
            for kind in Kind::ALL {
                let kind_level = init
                    .kind
                    .get(kind.name())
                    .map(|k| level_of(ctx, &format!("initial.kind.{kind}"), k, issues))
                    .transpose()?;
                let sk_level = sector_init
                    .and_then(|s| s.kind.get(kind.name()))
                    .map(|k| {
                        level_of(
                            ctx,
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
                    layer.as_ref(),
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
    }
    let per_layer = (sectors.len() * Kind::ALL.len()) as u32;
    for (i, actor) in actors.iter_mut().enumerate() {
        let layer = match by_level {
            Some((_, level_of)) if layers.len() > 1 => u32::from(level_of[i]),
            _ => 0,
        };
        actor.profile = layer * per_layer
            + actor.sector * Kind::ALL.len() as u32
            + Kind::ALL.iter().position(|k| *k == actor.kind).unwrap_or(0) as u32;
    }
    let trust = init.trust.clone().unwrap_or_default();
    let trust_within = trust
        .within
        .as_ref()
        .map(|v| dist_of(ctx, "initial.trust.within", v))
        .transpose()?
        .unwrap_or(Dist::Constant(0.5));
    let trust_across = trust
        .across
        .as_ref()
        .map(|v| dist_of(ctx, "initial.trust.across", v))
        .transpose()?
        .unwrap_or(Dist::Constant(0.5));

    Ok((profiles, trust_within, trust_across))
}

/// The `[initial]` tables' shape: kinds that exist, sectors declared, no table nested where
/// it cannot be.
fn check_tables(ctx: &Ctx<'_>, init: &RawInit, sectors: &[String]) -> Result<(), ScenarioError> {
    for (kind_name, sub) in &init.kind {
        let key = format!("initial.kind.{kind_name}");
        kind_name.parse::<Kind>().map_err(|m| ctx.err(&key, m))?;
        if !sub.kind.is_empty() || !sub.sector.is_empty() || sub.trust.is_some() {
            return Err(ctx.err(&key, "expected only power, capacity, culture, culture_indicators, commitment and view here, found a nested kind, sector or trust table"));
        }
    }
    for (sector_name, sub) in &init.sector {
        let key = format!("initial.sector.{sector_name}");
        if sector_index(sectors, sector_name).is_none() {
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
    Ok(())
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
