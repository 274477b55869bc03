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

/// Most base samples of a Sobol design: the scrambled sequence's length (2^16).
pub const MAX_SOBOL_SAMPLES: usize = 1 << 16;
/// Most factors of a Sobol design: A and B take two of the sequence's 256 dimensions each.
pub const MAX_SOBOL_FACTORS: usize = sobol_burley::NUM_DIMENSIONS as usize / 2;

/// Saltelli's design in the unit cube, as SALib's `sobol.sample` builds it: one Owen-scrambled
/// Sobol sequence (Burley 2020, Joe-Kuo direction numbers; crate `sobol_burley`) of `2k`
/// dimensions, whose first `k` columns are the matrix A and last `k` the matrix B. For each
/// base sample r, the rows A_r, B_r and then AB_r^(i) (A_r with column i from B_r) for each
/// factor i: `n * (k + 2)` points, grouped by r. A power of two for `n` keeps the sequence's
/// balance. `seed` chooses the scramble. Needs `n <= MAX_SOBOL_SAMPLES` and
/// `k <= MAX_SOBOL_FACTORS`.
pub fn saltelli(seed: u64, n: usize, k: usize) -> Vec<Vec<f64>> {
    assert!(n <= MAX_SOBOL_SAMPLES && k <= MAX_SOBOL_FACTORS);
    let scramble = (seed ^ (seed >> 32)) as u32;
    let row = |r: usize, from: usize| -> Vec<f64> {
        (from..from + k)
            .map(|d| f64::from(sobol_burley::sample(r as u32, d as u32, scramble)))
            .collect()
    };
    let mut points = Vec::with_capacity(n * (k + 2));
    for r in 0..n {
        let (a, b) = (row(r, 0), row(r, k));
        points.push(a.clone());
        points.push(b.clone());
        for i in 0..k {
            let mut ab = a.clone();
            ab[i] = b[i];
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

    /// Each of the 2k columns of a power-of-two design is stratified as a scrambled Sobol
    /// sequence is: every one of the n equal intervals of [0, 1) holds exactly one A row's and
    /// one B row's value; another seed gives another scramble; A and B are not the same draw.
    #[test]
    fn saltelli_rows_come_from_one_scrambled_sobol_sequence() {
        let (n, k) = (64, 3);
        let points = saltelli(9, n, k);
        assert_eq!(points.len(), n * (k + 2));
        for d in 0..k {
            for offset in [0, 1] {
                let mut strata: Vec<usize> = points
                    .chunks(k + 2)
                    .map(|group| (group[offset][d] * n as f64).floor() as usize)
                    .collect();
                strata.sort_unstable();
                assert_eq!(
                    strata,
                    (0..n).collect::<Vec<_>>(),
                    "column {d} of matrix {offset}"
                );
            }
        }
        // Pairs of columns are stratified too (a (0, m, 2)-net in the first two dimensions):
        // each of the 8 x 8 squares holds one point.
        let mut squares: Vec<usize> = points
            .chunks(k + 2)
            .map(|group| (group[0][0] * 8.0) as usize * 8 + (group[0][1] * 8.0) as usize)
            .collect();
        squares.sort_unstable();
        assert_eq!(squares, (0..n).collect::<Vec<_>>());
        for group in points.chunks(k + 2) {
            let (a, b) = (&group[0], &group[1]);
            for (i, ab) in group[2..].iter().enumerate() {
                for (d, v) in ab.iter().enumerate() {
                    assert_eq!(*v, if d == i { b[d] } else { a[d] });
                }
            }
        }
        assert_ne!(saltelli(10, n, k), points);
        assert_eq!(saltelli(9, n, k), points);
    }

    #[test]
    fn point_seeds_differ_and_are_positive() {
        let seeds: std::collections::HashSet<u64> = (0..1000).map(|p| point_seed(42, p)).collect();
        assert_eq!(seeds.len(), 1000);
        assert!(seeds.iter().all(|&s| s <= i64::MAX as u64));
    }
}
