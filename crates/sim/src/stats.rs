//! Summary statistics, reduced in a fixed order so results never depend on threads.

/// Mean, standard deviation and quantiles of a sample (NaN values are left out).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    /// Values counted (non-empty).
    pub n: usize,
    /// Mean (NaN when `n == 0`).
    pub mean: f64,
    /// Sample standard deviation, `n - 1` in the denominator (NaN when `n < 2`).
    pub sd: f64,
    /// 2.5 % quantile.
    pub q025: f64,
    /// Median.
    pub q50: f64,
    /// 97.5 % quantile.
    pub q975: f64,
}

/// Quantile of sorted values by linear interpolation between order statistics (Hyndman &
/// Fan type 7: R's default, numpy's `linear`).
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * q;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

/// Summarises `values` (NaN values are left out). `scratch` is reused to avoid allocating.
pub fn summarize(values: impl Iterator<Item = f64>, scratch: &mut Vec<f64>) -> Summary {
    scratch.clear();
    scratch.extend(values.filter(|v| !v.is_nan()));
    let n = scratch.len();
    if n == 0 {
        return Summary {
            n,
            mean: f64::NAN,
            sd: f64::NAN,
            q025: f64::NAN,
            q50: f64::NAN,
            q975: f64::NAN,
        };
    }
    let mean = scratch.iter().sum::<f64>() / n as f64;
    let sd = if n < 2 {
        f64::NAN
    } else {
        (scratch.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1) as f64).sqrt()
    };
    scratch.sort_unstable_by(f64::total_cmp);
    Summary {
        n,
        mean,
        sd,
        q025: quantile_sorted(scratch, 0.025),
        q50: quantile_sorted(scratch, 0.5),
        q975: quantile_sorted(scratch, 0.975),
    }
}

/// The 97.5 % quantile of the standard normal: the half-width of a 95 % normal interval in
/// standard errors.
pub const Z95: f64 = 1.959_963_984_540_054;

/// The 95 % normal confidence interval of a mean (`None` without a value; zero width from
/// one value).
pub fn mean_interval(s: &Summary) -> Option<(f64, f64)> {
    if s.n == 0 || s.mean.is_nan() {
        return None;
    }
    let half = if s.n > 1 {
        Z95 * s.sd / (s.n as f64).sqrt()
    } else {
        0.0
    };
    Some((s.mean - half, s.mean + half))
}

/// A number as the CSV files write it: Rust's shortest round-trip form, empty for missing.
pub fn format_number(v: f64) -> String {
    if v.is_nan() {
        String::new()
    } else {
        format!("{v}")
    }
}

/// Wilson score interval (95 %) for `k` successes out of `n`.
pub fn wilson(k: usize, n: usize) -> (f64, f64) {
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    let z = Z95;
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * ((p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt()) / denom;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_r_type_7() {
        // R: quantile(1:10, c(.025, .5, .975)) = 1.225 5.5 9.775
        let s = summarize((1..=10).map(f64::from), &mut Vec::new());
        assert!((s.q025 - 1.225).abs() < 1e-12);
        assert!((s.q50 - 5.5).abs() < 1e-12);
        assert!((s.q975 - 9.775).abs() < 1e-12);
        assert!((s.mean - 5.5).abs() < 1e-12);
        assert!((s.sd - 3.027_650_354_097_491_7).abs() < 1e-12);
    }

    #[test]
    fn empty_values_are_left_out() {
        let s = summarize([f64::NAN, 2.0, f64::NAN].into_iter(), &mut Vec::new());
        assert_eq!((s.n, s.mean, s.q50), (1, 2.0, 2.0));
        assert!(s.sd.is_nan());
        assert!(summarize(std::iter::empty(), &mut Vec::new()).mean.is_nan());
    }

    #[test]
    fn wilson_matches_known_values() {
        // 5 of 10: (0.2366, 0.7634).
        let (lo, hi) = wilson(5, 10);
        assert!((lo - 0.236_593).abs() < 1e-5 && (hi - 0.763_407).abs() < 1e-5);
        let (lo, hi) = wilson(0, 20);
        assert_eq!(lo, 0.0);
        assert!(hi > 0.1 && hi < 0.2);
    }
}
