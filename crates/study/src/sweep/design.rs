//! Sweep designs: grid levels, Latin hypercubes, Saltelli's design for Sobol indices, and
//! each point's seed.

use rand::RngExt;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::{MAX_POINTS, RawFactor};

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
pub(crate) fn grid_levels(f: &RawFactor) -> Result<Vec<f64>, String> {
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

pub(crate) fn range_of(f: &RawFactor) -> Result<(f64, f64), String> {
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

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

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
    fn point_seeds_differ_and_are_positive() {
        let seeds: std::collections::HashSet<u64> = (0..1000).map(|p| point_seed(42, p)).collect();
        assert_eq!(seeds.len(), 1000);
        assert!(seeds.iter().all(|&s| s <= i64::MAX as u64));
    }
}
