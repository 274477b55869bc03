//! Parameter sweeps: the sweep file, its designs (full-factorial grid, Latin hypercube,
//! Saltelli sampling for Sobol indices), running one point, the `points.csv` row format, and
//! the Sobol analysis. File handling (streaming, resume, shards, merge) is the CLI's.

use collabgov_core::Scenario;
use collabgov_core::scenario::keypath::canonical;
use collabgov_core::scenario::{Loader, Overrides, ScenarioError, SetValue};
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::metrics::Metric;
use crate::run::{RunOptions, run};
use crate::stats::{quantile_sorted, summarize, wilson};

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
    /// Every point: one value per factor.
    pub points: Vec<Vec<f64>>,
    /// The base scenario's TOML text.
    pub base_text: String,
    /// The base scenario's file name (or `bundled:NAME`).
    pub base_file: String,
    /// What the sweep's overrides change that the user should hear about (interventions
    /// after its last round).
    pub warnings: Vec<String>,
}

/// Reads a sweep's base scenario (a path or a bundled name): its text and its file name.
pub type BaseReader<'a> = &'a dyn Fn(&str) -> Result<(String, String), String>;

/// Most bootstrap resamples of the Sobol intervals.
pub const MAX_BOOTSTRAP: u32 = 100_000;

/// Most points a sweep may have.
pub const MAX_POINTS: usize = 10_000_000;

/// Seed of point `point` under sweep seed `seed` (SplitMix64 of both): the only source of
/// randomness of the point, its network and its replicates.
pub fn point_seed(seed: u64, point: u64) -> u64 {
    let mut z = seed
        ^ point
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(0xD1B5_4A32_D192_ED03);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) & (i64::MAX as u64)
}

/// Levels of a grid factor.
fn grid_levels(f: &RawFactor) -> Result<Vec<f64>, String> {
    if let Some(values) = &f.values {
        if values.is_empty() {
            return Err("expected at least one value in `values`, found none".into());
        }
        if values.len() > MAX_POINTS {
            return Err(format!(
                "expected at most {MAX_POINTS} values, found {}",
                values.len()
            ));
        }
        if let Some(bad) = values.iter().find(|v| !v.is_finite()) {
            return Err(format!("expected finite values, found {bad}"));
        }
        return Ok(values.clone());
    }
    let (from, to) = range_of(f)?;
    let steps = f
        .steps
        .ok_or("expected `values`, or `from`, `to` and `steps`")?;
    match steps {
        0 => Err("expected steps >= 1, found 0".into()),
        n if n as usize > MAX_POINTS => {
            Err(format!("expected at most {MAX_POINTS} steps, found {n}"))
        }
        1 => Ok(vec![from]),
        n => Ok((0..n)
            .map(|k| from + (to - from) * k as f64 / (n - 1) as f64)
            .collect()),
    }
}

fn range_of(f: &RawFactor) -> Result<(f64, f64), String> {
    let (Some(from), Some(to)) = (f.from, f.to) else {
        return Err("expected `from` and `to`".into());
    };
    if !(from.is_finite() && to.is_finite()) || from >= to {
        return Err(format!(
            "expected finite from < to, found from = {from}, to = {to} (an empty range)"
        ));
    }
    Ok((from, to))
}

/// A Latin hypercube of `n` points in the unit cube of `k` dimensions: each dimension's `n`
/// strata are each hit exactly once.
pub fn latin_hypercube(rng: &mut ChaCha8Rng, n: usize, k: usize) -> Vec<Vec<f64>> {
    let mut points = vec![vec![0.0; k]; n];
    let mut strata: Vec<usize> = (0..n).collect();
    for d in 0..k {
        strata.shuffle(rng);
        for (point, &s) in points.iter_mut().zip(&strata) {
            point[d] = (s as f64 + rng.random::<f64>()) / n as f64;
        }
    }
    points
}

/// Saltelli's design in the unit cube: for each base sample r, the rows A_r, B_r and then
/// AB_r^(i) (A_r with column i from B_r) for each factor i: `n * (k + 2)` points, grouped by r.
pub fn saltelli(rng: &mut ChaCha8Rng, n: usize, k: usize) -> Vec<Vec<f64>> {
    let a = latin_hypercube(rng, n, k);
    let b = latin_hypercube(rng, n, k);
    let mut points = Vec::with_capacity(n * (k + 2));
    for r in 0..n {
        points.push(a[r].clone());
        points.push(b[r].clone());
        for i in 0..k {
            let mut ab = a[r].clone();
            ab[i] = b[r][i];
            points.push(ab);
        }
    }
    points
}

/// First-order and total Sobol indices of one factor, with bootstrap 95 % intervals.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SobolIndex {
    /// First-order index S1 (Saltelli 2010).
    pub s1: f64,
    /// S1 interval.
    pub s1_interval: (f64, f64),
    /// Total-order index ST (Jansen 1999).
    pub st: f64,
    /// ST interval.
    pub st_interval: (f64, f64),
}

fn sobol_point(y: &[f64], k: usize, rows: &[usize]) -> Vec<(f64, f64)> {
    let stride = k + 2;
    let n = rows.len() as f64;
    let mut all = Vec::with_capacity(rows.len() * 2);
    for &r in rows {
        all.push(y[r * stride]);
        all.push(y[r * stride + 1]);
    }
    let mean = all.iter().sum::<f64>() / all.len() as f64;
    let var = all.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / all.len() as f64;
    (0..k)
        .map(|i| {
            let (mut s1, mut st) = (0.0, 0.0);
            for &r in rows {
                let (fa, fb, fab) = (y[r * stride], y[r * stride + 1], y[r * stride + 2 + i]);
                s1 += fb * (fab - fa);
                st += (fa - fab) * (fa - fab);
            }
            if var <= 0.0 {
                (f64::NAN, f64::NAN)
            } else {
                (s1 / n / var, st / (2.0 * n) / var)
            }
        })
        .collect()
}

/// Sobol indices of `k` factors from outputs `y` of a Saltelli design (`n * (k + 2)` values
/// in [`saltelli`]'s order), with `bootstrap` resamples of the base rows.
pub fn sobol_indices(y: &[f64], k: usize, bootstrap: usize, seed: u64) -> Vec<SobolIndex> {
    let n = y.len() / (k + 2);
    let rows: Vec<usize> = (0..n).collect();
    let point = sobol_point(y, k, &rows);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut s1s = vec![Vec::with_capacity(bootstrap); k];
    let mut sts = vec![Vec::with_capacity(bootstrap); k];
    let mut sample = vec![0usize; n];
    for _ in 0..bootstrap {
        for s in sample.iter_mut() {
            *s = rng.random_range(0..n);
        }
        for (i, (s1, st)) in sobol_point(y, k, &sample).into_iter().enumerate() {
            s1s[i].push(s1);
            sts[i].push(st);
        }
    }
    let interval = |v: &mut Vec<f64>| {
        v.retain(|x| !x.is_nan());
        v.sort_by(f64::total_cmp);
        (quantile_sorted(v, 0.025), quantile_sorted(v, 0.975))
    };
    (0..k)
        .map(|i| SobolIndex {
            s1: point[i].0,
            s1_interval: interval(&mut s1s[i]),
            st: point[i].1,
            st_interval: interval(&mut sts[i]),
        })
        .collect()
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
        if raw.bootstrap > MAX_BOOTSTRAP {
            return Err(err(
                "bootstrap",
                format!(
                    "expected at most {MAX_BOOTSTRAP} bootstrap resamples, found {}",
                    raw.bootstrap
                ),
            ));
        }
        let mut keys: Vec<String> = Vec::with_capacity(raw.factors.len());
        for (i, f) in raw.factors.iter().enumerate() {
            let key = canonical(&f.key).ok_or_else(|| {
                err(
                    &format!("factors[{i}].key"),
                    format!(
                        "expected a key path such as parameters.silo, interventions[0].round or initial.trust.across@1, found \"{}\"",
                        collabgov_core::scenario::error::excerpt(&f.key)
                    ),
                )
            })?;
            if let Some(j) = keys.iter().position(|k| *k == key) {
                return Err(err(
                    &format!("factors[{i}].key"),
                    format!("expected each key once, found {key} in factors[{j}] and factors[{i}]"),
                ));
            }
            keys.push(key);
        }
        let (text, base_file) = base_text(&raw.base).map_err(|m| err("base", m))?;
        toml::from_str::<toml::Value>(&text).map_err(|e| {
            err(
                "base",
                format!("cannot read the base scenario {base_file}: {}", e.message()),
            )
        })?;
        let k = raw.factors.len();
        let mut rng = ChaCha8Rng::seed_from_u64(raw.seed);
        rng.set_stream(u64::MAX);
        let design = match raw.design.as_str() {
            "grid" => Design::Grid,
            "lhs" => Design::Lhs,
            "sobol" => Design::Sobol {
                n: raw.base_samples.ok_or_else(|| {
                    err(
                        "design",
                        "expected base_samples for the sobol design".into(),
                    )
                })? as usize,
            },
            other => {
                return Err(err(
                    "design",
                    format!("expected grid, lhs or sobol, found \"{other}\""),
                ));
            }
        };
        let points: Vec<Vec<f64>> = match design {
            Design::Grid => {
                let mut levels = Vec::new();
                for (i, f) in raw.factors.iter().enumerate() {
                    levels.push(grid_levels(f).map_err(|m| {
                        err(&format!("factors[{i}]"), format!("factor {}: {m}", f.key))
                    })?);
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
                points
            }
            Design::Lhs | Design::Sobol { .. } => {
                let mut ranges = Vec::new();
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
                    ranges.push(range_of(f).map_err(|m| {
                        err(&format!("factors[{i}]"), format!("factor {}: {m}", f.key))
                    })?);
                }
                let unit = match design {
                    Design::Lhs => {
                        let n = raw.samples.ok_or_else(|| {
                            err("samples", "expected samples for the lhs design".into())
                        })? as usize;
                        if n == 0 || n > MAX_POINTS {
                            return Err(err(
                                "samples",
                                format!("expected 1 to {MAX_POINTS} samples, found {n}"),
                            ));
                        }
                        latin_hypercube(&mut rng, n, k)
                    }
                    _ => {
                        let n = raw.base_samples.unwrap_or(0) as usize;
                        if n < 2 || n * (k + 2) > MAX_POINTS {
                            return Err(err(
                                "base_samples",
                                format!(
                                    "expected 2 or more base samples (and at most {MAX_POINTS} points), found {n}"
                                ),
                            ));
                        }
                        saltelli(&mut rng, n, k)
                    }
                };
                unit.into_iter()
                    .map(|u| {
                        u.iter()
                            .zip(&ranges)
                            .map(|(x, (lo, hi))| lo + (hi - lo) * x)
                            .collect()
                    })
                    .collect()
            }
        };
        let mut plan = SweepPlan {
            raw,
            design,
            keys,
            points,
            base_text: text,
            base_file,
            warnings: Vec::new(),
        };
        // Every level of every factor (both ends of a range), each with the other factors at
        // the first point, must make a valid scenario: a bad level is found now, not when
        // its point comes up hours into the sweep.
        // The first point must make a valid scenario; when it does not, blame the first
        // factor that alone makes the base invalid.
        let first = plan.points[0].clone();
        match plan.parse_values(&first, 0, load) {
            Ok(parsed) => plan.warnings = parsed.warnings,
            Err(e) => {
                let culprit = (0..plan.keys.len()).find_map(|i| {
                    let alone = vec![(plan.keys[i].clone(), SetValue::Number(first[i]))];
                    plan.parse_set(alone, 0, load).err().map(|e| (i, e))
                });
                return Err(match culprit {
                    Some((i, alone)) => err(
                        &format!("factors[{i}].key"),
                        format!(
                            "factor {} does not fit the base scenario: {}",
                            plan.keys[i], alone.message
                        ),
                    ),
                    None => err(
                        "base",
                        format!("the base scenario with the first point is invalid: {e}"),
                    ),
                });
            }
        }
        // Every level of every factor (both ends of a range), with the other factors at the
        // first point, must make a valid scenario too: a bad level is found now, not when its
        // point comes up hours into the sweep.
        for (i, f) in plan.raw.factors.iter().enumerate() {
            let mut levels: Vec<f64> = match plan.design {
                Design::Grid => grid_levels(f).unwrap_or_default(),
                _ => vec![f.from.unwrap_or(f64::NAN), f.to.unwrap_or(f64::NAN)],
            };
            levels.sort_by(f64::total_cmp);
            levels.dedup();
            for level in levels {
                let mut values = first.clone();
                values[i] = level;
                if let Err(e) = plan.parse_values(&values, 0, load) {
                    let which = if f.values.is_some() { "values" } else { "key" };
                    return Err(err(
                        &format!("factors[{i}].{which}"),
                        format!(
                            "factor {} = {level} does not fit the base scenario: {}",
                            plan.keys[i], e.message
                        ),
                    ));
                }
            }
        }
        Ok(plan)
    }

    /// The base scenario with the factors at `values`, seeded for point `index`.
    fn parse_values(
        &self,
        values: &[f64],
        index: usize,
        load: Loader<'_>,
    ) -> Result<collabgov_core::Parsed, ScenarioError> {
        let set = self
            .keys
            .iter()
            .zip(values)
            .map(|(k, v)| (k.clone(), SetValue::Number(*v)))
            .collect();
        self.parse_set(set, index, load)
    }

    /// The base scenario with `set` applied, seeded for point `index`.
    fn parse_set(
        &self,
        set: Vec<(String, SetValue)>,
        index: usize,
        load: Loader<'_>,
    ) -> Result<collabgov_core::Parsed, ScenarioError> {
        let overrides = Overrides {
            seed: Some(point_seed(self.raw.seed, index as u64)),
            rounds: self.raw.rounds,
            replicates: Some(self.raw.replicates),
            set,
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
        let mut h = String::from("point");
        for key in &self.keys {
            h.push(',');
            h.push_str(key);
        }
        for m in Metric::sweep_outputs() {
            let name = m.name();
            h.push_str(&format!(",{name}_mean,{name}_sd,{name}_q025,{name}_q975"));
        }
        h.push_str(",consensus_share,consensus_low,consensus_high,consensus_round_mean");
        h
    }
}

/// Runs point `index` (its replicates in order on the current thread) and formats its row of
/// `points.csv` (without the line end).
pub fn run_point(
    plan: &SweepPlan,
    index: usize,
    load: Loader<'_>,
) -> Result<String, ScenarioError> {
    let scenario = plan.scenario_at(index, load)?;
    let options = RunOptions {
        skip_network: true,
        ..RunOptions::default()
    };
    crate::run::check_size(&scenario, &options, 1).map_err(|message| ScenarioError {
        file: plan.raw.base.clone(),
        key: "rounds".into(),
        line: None,
        message,
    })?;
    let result = run(&scenario, &options);
    let num = crate::stats::format_number;
    let mut row = index.to_string();
    for v in &plan.points[index] {
        row.push(',');
        row.push_str(&num(*v));
    }
    let mut scratch = Vec::new();
    for m in Metric::sweep_outputs() {
        let s = summarize(
            result
                .replicates
                .iter()
                .map(|r| r.records.last().map_or(f64::NAN, |rec| rec[m.index()])),
            &mut scratch,
        );
        row.push_str(&format!(
            ",{},{},{},{}",
            num(s.mean),
            num(s.sd),
            num(s.q025),
            num(s.q975)
        ));
    }
    let n = result.replicates.len();
    let k = result.consensus_count();
    let (lo, hi) = wilson(k, n);
    let rounds: Vec<f64> = result
        .replicates
        .iter()
        .filter_map(|r| r.consensus_round.map(f64::from))
        .collect();
    let mean_round = if rounds.is_empty() {
        f64::NAN
    } else {
        rounds.iter().sum::<f64>() / rounds.len() as f64
    };
    row.push_str(&format!(
        ",{},{},{},{}",
        num(k as f64 / n as f64),
        num(lo),
        num(hi),
        num(mean_round)
    ));
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_hypercube_hits_every_stratum_once() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let points = latin_hypercube(&mut rng, 50, 3);
        for d in 0..3 {
            let mut strata: Vec<usize> = points
                .iter()
                .map(|p| (p[d] * 50.0).floor() as usize)
                .collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..50).collect::<Vec<_>>());
        }
    }

    #[test]
    fn sobol_indices_recover_ishigami() {
        // Ishigami (a = 7, b = 0.1) on [-pi, pi]^3: S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437.
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let unit = saltelli(&mut rng, 4096, 3);
        let pi = std::f64::consts::PI;
        let y: Vec<f64> = unit
            .iter()
            .map(|u| {
                let x: Vec<f64> = u.iter().map(|v| -pi + 2.0 * pi * v).collect();
                x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
            })
            .collect();
        let idx = sobol_indices(&y, 3, 300, 5);
        let s1 = [0.3139, 0.4424, 0.0];
        let st = [0.5576, 0.4424, 0.2437];
        for i in 0..3 {
            let (lo, hi) = idx[i].s1_interval;
            assert!(
                lo - 0.01 <= s1[i] && s1[i] <= hi + 0.01,
                "S1[{i}] = {} [{lo}, {hi}], expected {}",
                idx[i].s1,
                s1[i]
            );
            let (lo, hi) = idx[i].st_interval;
            assert!(
                lo - 0.01 <= st[i] && st[i] <= hi + 0.01,
                "ST[{i}] = {} [{lo}, {hi}], expected {}",
                idx[i].st,
                st[i]
            );
            assert!(hi - lo < 0.15, "interval too wide to mean anything");
        }
    }

    #[test]
    fn point_seeds_differ_and_are_positive() {
        let seeds: std::collections::HashSet<u64> = (0..1000).map(|p| point_seed(42, p)).collect();
        assert_eq!(seeds.len(), 1000);
        assert!(seeds.iter().all(|&s| s <= i64::MAX as u64));
    }
}
