//! Parameter sweeps: the sweep file and its validated plan (this file), its designs
//! ([`design`]), one point's run and row ([`point`]), Sobol indices ([`sobol`]), and what a
//! finished `points.csv` gives: the Sobol table and the charts' data ([`analysis`]). File
//! handling (streaming, resume, shards, merge) is the CLI's.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use collabgov_core::Scenario;
use collabgov_core::scenario::error::excerpt;
use collabgov_core::scenario::keypath::canonical;
use collabgov_core::scenario::{Loader, Overrides, ScenarioError, SetValue};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use collabgov_sim::metrics::{Families, Metric};

use crate::bundled::BUNDLED;
use crate::inputs::{Inputs, MAX_TOML_BYTES};

pub mod analysis;
pub mod design;
pub mod paired;
pub mod point;
pub mod prim;
pub mod sobol;

pub use design::{MAX_SOBOL_FACTORS, MAX_SOBOL_SAMPLES, latin_hypercube, point_seed, saltelli};
use design::{grid_levels, range_of};
pub use point::{point_row, point_run, run_point};
pub use sobol::{SobolIndex, sobol_indices};

/// A sweep file as written (see `docs/sweeps.md`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSweep {
    /// Name; names the output folder.
    pub name: String,
    /// Free text.
    #[serde(default)]
    pub description: String,
    /// The base scenario: a path relative to the sweep file, or a bundled name.
    pub base: String,
    /// `grid`, `lhs` or `sobol`.
    pub design: String,
    /// Replicates per point (default 20).
    #[serde(default = "default_replicates")]
    pub replicates: u32,
    /// Rounds per replicate (default: the base scenario's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounds: Option<u32>,
    /// Sweep seed (default 1).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Points of a Latin hypercube.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samples: Option<u32>,
    /// Base samples N of a Saltelli design (N * (k + 2) points).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_samples: Option<u32>,
    /// Bootstrap resamples for Sobol intervals (default 500).
    #[serde(default = "default_bootstrap")]
    pub bootstrap: u32,
    /// The factors.
    pub factors: Vec<RawFactor>,
    /// Every point on the same network draws (drawn from the sweep's seed instead of the
    /// point's), so differences between points come from the factors and not from new
    /// networks. Needs a base scenario with a random network (`sbm`, `small_world`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fixed_network: bool,
}

fn default_replicates() -> u32 {
    20
}
fn default_seed() -> u64 {
    1
}
fn default_bootstrap() -> u32 {
    500
}

/// One factor: a numeric scenario value addressed by its key path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFactor {
    /// Key path, e.g. `parameters.silo`, `network.p_across`, `interventions[0].round`, or
    /// `initial.trust.across@1` for the first argument of a distribution.
    pub key: String,
    /// Linked keys that move with `key`, taking the same value at every point (e.g.
    /// leadership and ground rules raised together); `points.csv` names the factor by `key`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
    /// Levels (grid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<f64>>,
    /// Lower end of the range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<f64>,
    /// Upper end of the range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<f64>,
    /// Evenly spaced levels from `from` to `to` (grid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<u32>,
}

/// The design of a sweep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Design {
    /// Full factorial.
    Grid,
    /// Latin hypercube.
    Lhs,
    /// Saltelli sampling for Sobol indices with `n` base samples.
    Sobol {
        /// Base samples.
        n: usize,
    },
}

/// A validated sweep: its factors and every point.
#[derive(Clone, Debug)]
pub struct SweepPlan {
    /// The file image.
    pub raw: RawSweep,
    /// The design.
    pub design: Design,
    /// Factor key paths.
    pub keys: Vec<String>,
    /// Per factor, the linked keys that take its value too (`also`).
    pub linked: Vec<Vec<String>>,
    /// Every point: one value per factor.
    pub points: Vec<Vec<f64>>,
    /// The base scenario's TOML text.
    pub base_text: String,
    /// The base scenario's file name (or `bundled:NAME`).
    pub base_file: String,
    /// What the sweep's overrides change that the user should hear about (interventions
    /// after its last round).
    pub warnings: Vec<String>,
    /// The base scenario's families of metrics beyond CG-1 (services, levels: their metrics
    /// are outputs).
    pub families: Families,
}

/// Reads a sweep's base scenario (a path or a bundled name): its text and its file name.
pub type BaseReader<'a> = &'a dyn Fn(&str) -> Result<(String, String), String>;

/// Fewest bootstrap resamples of the Sobol intervals (fewer leave a 95 % interval's ends
/// undefined: `bootstrap = 0` wrote NaN into sobol.csv).
pub const MIN_BOOTSTRAP: u32 = 20;
/// Most bootstrap resamples of the Sobol intervals.
pub const MAX_BOOTSTRAP: u32 = 100_000;

/// Most points a sweep may have.
pub const MAX_POINTS: usize = 10_000_000;

/// A sweep file's error at a key: the file and line of `key`, and the message.
type ErrAt<'a> = &'a dyn Fn(&str, String) -> ScenarioError;

impl Design {
    /// The design a sweep file names (`grid`, `lhs`, `sobol` with its base samples).
    fn of(raw: &RawSweep, err: ErrAt<'_>) -> Result<Design, ScenarioError> {
        match raw.design.as_str() {
            "grid" => Ok(Design::Grid),
            "lhs" => Ok(Design::Lhs),
            "sobol" => raw
                .base_samples
                .map(|n| Design::Sobol { n: n as usize })
                .ok_or_else(|| {
                    err(
                        "design",
                        "expected base_samples for the sobol design".into(),
                    )
                }),
            other => Err(err(
                "design",
                format!("expected grid, lhs or sobol, found \"{other}\""),
            )),
        }
    }

    /// Every point of the design (factor values in the factors' order); the sampled
    /// designs draw from the sweep seed's stream `u64::MAX`.
    fn points(self, raw: &RawSweep, err: ErrAt<'_>) -> Result<Vec<Vec<f64>>, ScenarioError> {
        match self {
            Design::Grid => grid_points(raw, err),
            Design::Lhs | Design::Sobol { .. } => self.sampled_points(raw, err),
        }
    }

    /// A sampled design's points: unit samples scaled to each factor's range.
    fn sampled_points(
        self,
        raw: &RawSweep,
        err: ErrAt<'_>,
    ) -> Result<Vec<Vec<f64>>, ScenarioError> {
        let k = raw.factors.len();
        let mut ranges = Vec::with_capacity(k);
        for (i, f) in raw.factors.iter().enumerate() {
            if f.values.is_some() || f.steps.is_some() {
                return Err(err(
                    &format!("factors[{i}]"),
                    format!(
                        "factor {}: expected `from` and `to` for the {} design, found `values` or `steps`",
                        f.key, raw.design
                    ),
                ));
            }
            ranges
                .push(range_of(f).map_err(|m| {
                    err(&format!("factors[{i}]"), format!("factor {}: {m}", f.key))
                })?);
        }
        let unit = if self == Design::Lhs {
            let n = raw
                .samples
                .ok_or_else(|| err("samples", "expected samples for the lhs design".into()))?
                as usize;
            if n == 0 || n > MAX_POINTS {
                return Err(err(
                    "samples",
                    format!("expected 1 to {MAX_POINTS} samples, found {n}"),
                ));
            }
            let mut rng = ChaCha8Rng::seed_from_u64(raw.seed);
            rng.set_stream(u64::MAX);
            latin_hypercube(&mut rng, n, k)
        } else {
            let n = raw.base_samples.unwrap_or(0) as usize;
            if k > MAX_SOBOL_FACTORS {
                return Err(err(
                    "factors",
                    format!(
                        "expected at most {MAX_SOBOL_FACTORS} factors for the sobol design, found {k}"
                    ),
                ));
            }
            if !(2..=MAX_SOBOL_SAMPLES).contains(&n) || n * (k + 2) > MAX_POINTS {
                return Err(err(
                    "base_samples",
                    format!(
                        "expected 2 to {MAX_SOBOL_SAMPLES} base samples (and at most {MAX_POINTS} points), found {n}"
                    ),
                ));
            }
            saltelli(raw.seed, n, k)
        };
        Ok(unit
            .into_iter()
            .map(|u| {
                u.iter()
                    .zip(&ranges)
                    .map(|(x, (lo, hi))| lo + (hi - lo) * x)
                    .collect()
            })
            .collect())
    }
}

/// A grid's points: every combination of the factors' levels, the last factor fastest.
fn grid_points(raw: &RawSweep, err: ErrAt<'_>) -> Result<Vec<Vec<f64>>, ScenarioError> {
    let mut levels = Vec::with_capacity(raw.factors.len());
    for (i, f) in raw.factors.iter().enumerate() {
        levels.push(
            grid_levels(f)
                .map_err(|m| err(&format!("factors[{i}]"), format!("factor {}: {m}", f.key)))?,
        );
    }
    let total: usize = levels
        .iter()
        .map(Vec::len)
        .try_fold(1usize, |a, b| a.checked_mul(b))
        .unwrap_or(usize::MAX);
    if total > MAX_POINTS {
        return Err(err(
            "factors",
            format!("expected at most {MAX_POINTS} points, found {total}"),
        ));
    }
    let mut points = vec![Vec::new()];
    for level in &levels {
        points = points
            .into_iter()
            .flat_map(|p| {
                level.iter().map(move |&v| {
                    let mut q = p.clone();
                    q.push(v);
                    q
                })
            })
            .collect();
    }
    Ok(points)
}

/// The sweep's own settings: a name, replicates, factors, a bootstrap within bounds.
fn check_settings(raw: &RawSweep, err: ErrAt<'_>) -> Result<(), ScenarioError> {
    if raw.name.trim().is_empty() {
        return Err(err("name", "expected a non-empty name, found \"\"".into()));
    }
    if raw.replicates == 0 {
        return Err(err(
            "replicates",
            "expected at least 1 replicate, found 0".into(),
        ));
    }
    if raw.factors.is_empty() {
        return Err(err(
            "factors",
            "expected at least one [[factors]], found none".into(),
        ));
    }
    if !(MIN_BOOTSTRAP..=MAX_BOOTSTRAP).contains(&raw.bootstrap) {
        return Err(err(
            "bootstrap",
            format!(
                "expected {MIN_BOOTSTRAP} to {MAX_BOOTSTRAP} bootstrap resamples (a 95 % interval needs at least {MIN_BOOTSTRAP}), found {}",
                raw.bootstrap
            ),
        ));
    }
    Ok(())
}

/// Each factor's key and its linked keys (`also`), as key paths, every key once.
fn factor_keys(
    raw: &RawSweep,
    err: ErrAt<'_>,
) -> Result<(Vec<String>, Vec<Vec<String>>), ScenarioError> {
    let mut keys: Vec<String> = Vec::with_capacity(raw.factors.len());
    let mut linked: Vec<Vec<String>> = Vec::with_capacity(raw.factors.len());
    // Every key (a factor's own and its linked ones) once, with the factor it is in.
    let mut all: Vec<(String, usize)> = Vec::new();
    for (i, f) in raw.factors.iter().enumerate() {
        let mut own = Vec::with_capacity(1 + f.also.len());
        for (written, at) in std::iter::once((&f.key, format!("factors[{i}].key")))
            .chain(f.also.iter().map(|k| (k, format!("factors[{i}].also"))))
        {
            let key = canonical(written).ok_or_else(|| {
                err(
                    &at,
                    format!(
                        "expected a key path such as parameters.silo, interventions[0].round or initial.trust.across@1, found \"{}\"",
                        collabgov_core::scenario::error::excerpt(written)
                    ),
                )
            })?;
            if let Some((_, j)) = all.iter().find(|(k, _)| *k == key) {
                return Err(err(
                    &at,
                    format!("expected each key once, found {key} in factors[{j}] and factors[{i}]"),
                ));
            }
            all.push((key.clone(), i));
            own.push(key);
        }
        keys.push(own.remove(0));
        linked.push(own);
    }
    Ok((keys, linked))
}

/// `fixed_network` holds a random network fixed: refused for a base whose network is the
/// same at every point already.
fn check_fixed_network(
    raw: &RawSweep,
    base_doc: &toml::Value,
    base_file: &str,
    err: ErrAt<'_>,
) -> Result<(), ScenarioError> {
    if !raw.fixed_network {
        return Ok(());
    }
    let kind = base_doc
        .get("network")
        .and_then(|n| n.get("type"))
        .and_then(|t| t.as_str())
        .unwrap_or("complete");
    if matches!(kind, "sbm" | "small_world") {
        return Ok(());
    }
    Err(err(
        "fixed_network",
        format!(
            "expected a base scenario with a random network (sbm or small_world) to hold fixed, found a {kind} network in {base_file}, which is the same at every point already"
        ),
    ))
}

impl SweepPlan {
    /// Parses and validates a sweep file. `base_text` reads the base scenario (a path or a
    /// bundled name) and returns its text and file name; `load` reads files the base names.
    pub fn parse(
        src: &str,
        file: &str,
        base_text: BaseReader<'_>,
        load: Loader<'_>,
    ) -> Result<SweepPlan, ScenarioError> {
        let raw: RawSweep =
            toml::from_str(src).map_err(|e| ScenarioError::from_toml(file, src, &e))?;
        let err = |key: &str, m: String| ScenarioError::at(file, src, key, m);
        check_settings(&raw, &err)?;
        let (keys, linked) = factor_keys(&raw, &err)?;
        let (text, base_file) = base_text(&raw.base).map_err(|m| err("base", m))?;
        let base_doc = toml::from_str::<toml::Value>(&text).map_err(|e| {
            err(
                "base",
                format!("cannot read the base scenario {base_file}: {}", e.message()),
            )
        })?;
        check_fixed_network(&raw, &base_doc, &base_file, &err)?;
        let design = Design::of(&raw, &err)?;
        let points = design.points(&raw, &err)?;
        let mut plan = SweepPlan {
            raw,
            design,
            keys,
            linked,
            points,
            base_text: text,
            base_file,
            warnings: Vec::new(),
            families: Families::FORUM,
        };
        plan.check_first_point(&base_doc, load, &err)?;
        plan.check_levels(load, &err)?;
        Ok(plan)
    }

    /// The first point must make a valid scenario; when it does not, blame the first factor
    /// that alone makes the base invalid. Keeps the point's warnings, and warns of factors
    /// that a `set` intervention of the base overrides.
    fn check_first_point(
        &mut self,
        base_doc: &toml::Value,
        load: Loader<'_>,
        err: ErrAt<'_>,
    ) -> Result<(), ScenarioError> {
        let first = self.points[0].clone();
        match self.parse_values(&first, 0, load) {
            Ok(parsed) => {
                self.warnings = parsed.warnings;
                let every: Vec<String> = self
                    .keys
                    .iter()
                    .chain(self.linked.iter().flatten())
                    .cloned()
                    .collect();
                self.warnings.extend(overridden_factors(&every, base_doc));
                self.families = Families::of(&parsed.scenario);
                Ok(())
            }
            Err(e) => {
                let culprit = (0..self.keys.len()).find_map(|i| {
                    let alone = self.factor_set(i, first[i]);
                    self.parse_set(alone, 0, load).err().map(|e| (i, e))
                });
                Err(match culprit {
                    Some((i, alone)) => err(
                        &format!("factors[{i}].key"),
                        format!(
                            "factor {} does not fit the base scenario: {}",
                            self.keys[i], alone.message
                        ),
                    ),
                    None => err(
                        "base",
                        format!("the base scenario with the first point is invalid: {e}"),
                    ),
                })
            }
        }
    }

    /// Every level of every factor (both ends of a range), with the other factors at the
    /// first point, must make a valid scenario too: a bad level is found now, not when its
    /// point comes up hours into the sweep.
    fn check_levels(&self, load: Loader<'_>, err: ErrAt<'_>) -> Result<(), ScenarioError> {
        let first = &self.points[0];
        for (i, f) in self.raw.factors.iter().enumerate() {
            let mut levels: Vec<f64> = match self.design {
                Design::Grid => grid_levels(f).unwrap_or_default(),
                _ => vec![f.from.unwrap_or(f64::NAN), f.to.unwrap_or(f64::NAN)],
            };
            levels.sort_by(f64::total_cmp);
            levels.dedup();
            for level in levels {
                let mut values = first.clone();
                values[i] = level;
                if let Err(e) = self.parse_values(&values, 0, load) {
                    let which = if f.values.is_some() { "values" } else { "key" };
                    return Err(err(
                        &format!("factors[{i}].{which}"),
                        format!(
                            "factor {} = {level} does not fit the base scenario: {}",
                            self.keys[i], e.message
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    fn parse_values(
        &self,
        values: &[f64],
        index: usize,
        load: Loader<'_>,
    ) -> Result<collabgov_core::Parsed, ScenarioError> {
        let set = values
            .iter()
            .enumerate()
            .flat_map(|(i, v)| self.factor_set(i, *v))
            .collect();
        self.parse_set(set, index, load)
    }

    /// Factor `i` at `value`: its key and its linked keys, each set to the value.
    fn factor_set(&self, i: usize, value: f64) -> Vec<(String, SetValue)> {
        std::iter::once(&self.keys[i])
            .chain(self.linked.get(i).into_iter().flatten())
            .map(|k| (k.clone(), SetValue::Number(value)))
            .collect()
    }

    /// The base scenario with `set` applied, seeded for point `index`.
    fn parse_set(
        &self,
        set: Vec<(String, SetValue)>,
        index: usize,
        load: Loader<'_>,
    ) -> Result<collabgov_core::Parsed, ScenarioError> {
        let mut set = set;
        if self.raw.fixed_network {
            set.push((
                "network.seed".to_string(),
                SetValue::Text(self.raw.seed.to_string()),
            ));
        }
        let overrides = Overrides {
            seed: Some(point_seed(self.raw.seed, index as u64)),
            rounds: self.raw.rounds,
            replicates: Some(self.raw.replicates),
            set,
            ..Overrides::default()
        };
        Scenario::parse_with(&self.base_text, &self.base_file, load, &overrides)
    }

    /// The scenario of point `index`, with its seed.
    pub fn scenario_at(&self, index: usize, load: Loader<'_>) -> Result<Scenario, ScenarioError> {
        self.parse_values(&self.points[index], index, load)
            .map(|p| p.scenario)
            .map_err(|mut e| {
                e.file = format!("{} (point {index})", e.file);
                e
            })
    }

    /// The header of `points.csv`.
    pub fn header(&self) -> String {
        points_header(&self.keys, self.families)
    }
}

/// Warnings for factors a `set` intervention of the base scenario overrides from a round
/// on: from that round every point runs with the intervention's value, so the points differ
/// only before it.
fn overridden_factors(keys: &[String], base: &toml::Value) -> Vec<String> {
    let mut out = Vec::new();
    let Some(interventions) = base.get("interventions").and_then(|v| v.as_array()) else {
        return out;
    };
    for key in keys {
        let Some(parameter) = key.strip_prefix("parameters.") else {
            continue;
        };
        for (i, iv) in interventions.iter().enumerate() {
            let is_set = iv.get("type").and_then(|t| t.as_str()) == Some("set");
            let names = iv.get("parameter").and_then(|p| p.as_str()) == Some(parameter);
            if is_set && names {
                let round = iv
                    .get("round")
                    .and_then(|r| r.as_integer())
                    .map_or("?".to_string(), |r| r.to_string());
                out.push(format!(
                    "factor {key} is overridden by the base scenario's interventions[{i}] (set {parameter}) from round {round}: from then on every point runs with the intervention's value, so the points differ only before round {round}"
                ));
            }
        }
    }
    out
}

/// The header of a `points.csv` over factors `keys` (services outputs `with_services`).
pub fn points_header(keys: &[String], families: Families) -> String {
    let mut h = String::from("point");
    for key in keys {
        h.push(',');
        h.push_str(key);
    }
    for m in Metric::sweep_outputs(families) {
        let name = m.name();
        h.push_str(&format!(
            ",{name}_mean,{name}_sd,{name}_q025,{name}_q975,{name}_low,{name}_high"
        ));
    }
    h.push_str(",consensus_share,consensus_low,consensus_high,consensus_round_mean,seed");
    h
}

/// Runs `base` at each of `points` (one value per key of `keys`), point `i` seeded with
/// [`point_seed`]`(seed, i)` as a sweep seeds it, with `replicates` replicates (and
/// `rounds` rounds when given), points in parallel; returns the text of a `points.csv`
/// (its header and one row per point, as `collabgov sweep` writes them) and, when
/// `per_replicate`, a table of every replicate's final values (`replicates.csv`'s columns
/// after `point`, the factor values and the point's `seed`; empty otherwise). For samplers
/// of the user's own (SALib, EMA Workbench). Every point is validated and checked against
/// memory (as a sweep's point is) before any runs, each built again when it runs, so the
/// points' forums are never all held at once. Stops between rounds when `cancel` is
/// cancelled.
pub fn run_points(
    base_text: &str,
    base_file: &str,
    load: &(dyn Fn(&str) -> Result<String, String> + Sync),
    keys: &[String],
    points: &[Vec<f64>],
    options: PointsOptions,
    cancel: &collabgov_sim::run::CancelToken,
) -> Result<PointsTables, crate::ops::OpError> {
    let PointsOptions {
        seed,
        replicates,
        rounds,
        per_replicate,
    } = options;
    use rayon::prelude::*;
    let options = collabgov_sim::run::RunOptions {
        skip_network: true,
        skip_groups: true,
        ..Default::default()
    };
    let scenario_at = |i: usize| -> Result<Scenario, ScenarioError> {
        let values = &points[i];
        if values.len() != keys.len() {
            return Err(ScenarioError::new(
                base_file,
                "points",
                format!(
                    "expected {} values at point {i} (one per key), found {}",
                    keys.len(),
                    values.len()
                ),
            ));
        }
        let overrides = Overrides {
            seed: Some(point_seed(seed, i as u64)),
            rounds,
            replicates: Some(replicates),
            set: keys
                .iter()
                .zip(values)
                .map(|(k, v)| (k.clone(), SetValue::Number(*v)))
                .collect(),
            ..Overrides::default()
        };
        let with_point = |mut e: ScenarioError| {
            e.file = format!("{} (point {i})", e.file);
            e
        };
        let scenario = Scenario::parse_with(base_text, base_file, &|n: &str| load(n), &overrides)
            .map(|p| p.scenario)
            .map_err(with_point)?;
        collabgov_sim::run::check_size(&scenario, &options, 1)
            .map_err(|m| with_point(ScenarioError::new(base_file, "replicates", m)))?;
        Ok(scenario)
    };
    let mut families = Families::FORUM;
    for i in 0..points.len() {
        let s = scenario_at(i)?;
        if i == 0 {
            families = Families::of(&s);
        }
    }
    type Rows = (String, Option<(String, String)>);
    let rows: Vec<Result<Rows, crate::ops::OpError>> = (0..points.len())
        .into_par_iter()
        .map(|i| {
            let s = scenario_at(i)?;
            let result = collabgov_sim::run::run_cancellable(&s, &options, &|| {}, cancel)
                .map_err(|_| crate::ops::OpError::Cancelled(s.name.clone()))?;
            let replicate_rows =
                per_replicate.then(|| point::replicate_rows(i, &points[i], &s, &result));
            Ok((
                point::point_row(i, &points[i], &result, families),
                replicate_rows,
            ))
        })
        .collect();
    let mut tables = PointsTables {
        points: points_header(keys, families) + "\n",
        replicates: String::new(),
    };
    for row in rows {
        let (point_row, replicate_rows) = row?;
        tables.points.push_str(&point_row);
        tables.points.push('\n');
        if let Some((header, body)) = replicate_rows {
            if tables.replicates.is_empty() {
                tables.replicates.push_str("point");
                for key in keys {
                    tables.replicates.push(',');
                    tables.replicates.push_str(key);
                }
                tables.replicates.push_str(",seed,");
                tables.replicates.push_str(&header);
            }
            tables.replicates.push_str(&body);
        }
    }
    Ok(tables)
}

/// How [`run_points`] runs each point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PointsOptions {
    /// The seed point `i`'s seed derives from, as a sweep's ([`point_seed`]).
    pub seed: u64,
    /// Replicates per point.
    pub replicates: u32,
    /// Rounds, when not the base's.
    pub rounds: Option<u32>,
    /// Also return every replicate's final values.
    pub per_replicate: bool,
}

/// What [`run_points`] returns: `points.csv`'s text and, when asked for, the replicates'.
#[derive(Clone, Debug, PartialEq)]
pub struct PointsTables {
    /// One row per point, as a sweep's `points.csv`.
    pub points: String,
    /// One row per replicate of every point, its final values (empty unless asked for).
    pub replicates: String,
}

/// Parses a sweep's text (`file` names it in messages; `folder` is where its base and the
/// base's files are found): its plan and the folder the base scenario's files are read
/// from. The base is a scenario file relative to `folder`, or else a bundled name; every
/// file read is recorded in `inputs`.
pub fn load_sweep(
    text: &str,
    file: &str,
    folder: &Path,
    inputs: &Inputs,
) -> Result<(SweepPlan, PathBuf), ScenarioError> {
    let base_dir = RefCell::new(folder.to_path_buf());
    let base_text = |spec: &str| -> Result<(String, String), String> {
        let candidate = folder.join(spec);
        if candidate.exists() {
            if let Some(parent) = candidate.parent() {
                *base_dir.borrow_mut() = parent.to_path_buf();
            }
            let text = inputs
                .read(&candidate, MAX_TOML_BYTES)
                .map_err(|e| e.to_string())?;
            return Ok((text, candidate.display().to_string()));
        }
        if let Some((name, text)) = BUNDLED.iter().find(|(n, _)| *n == spec) {
            return Ok((text.to_string(), format!("bundled:{name}")));
        }
        Err(format!(
            "expected a scenario file (relative to the sweep file) or a bundled name, found \"{}\"",
            excerpt(spec)
        ))
    };
    let load = |name: &str| -> Result<String, String> {
        let base = base_dir.borrow().clone();
        inputs.loader(&base)(name)
    };
    let plan = SweepPlan::parse(text, file, &base_text, &load)?;
    let base = base_dir.borrow().clone();
    Ok((plan, base))
}
