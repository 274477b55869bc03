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

/// The 97.5 % quantile of Student's t with `df` degrees of freedom (the half-width of a
/// 95 % t interval in standard errors); NaN for no degree of freedom.
pub fn t95(df: usize) -> f64 {
    use statrs::distribution::{ContinuousCDF, StudentsT};
    if df == 0 {
        return f64::NAN;
    }
    StudentsT::new(0.0, 1.0, df as f64).map_or(f64::NAN, |t| t.inverse_cdf(0.975))
}

/// How a run's replicates sit on network draws, which decides which variance an interval
/// of a final metric covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Design {
    /// Every replicate on the same network: the interval covers the dynamics' randomness
    /// for that one network draw, not the network's.
    OneNetwork,
    /// Every replicate on a network of its own: the interval over replicates covers both
    /// (the two cannot be told apart).
    NetworkPerReplicate,
    /// Replicates spread over fewer networks than replicates (a nested design): the
    /// interval comes from a one-way random-effects decomposition.
    Nested,
}

impl Design {
    /// The design of `replicates` replicates on `draws` network draws.
    pub fn of(replicates: usize, draws: usize) -> Design {
        if draws <= 1 {
            Design::OneNetwork
        } else if draws >= replicates {
            Design::NetworkPerReplicate
        } else {
            Design::Nested
        }
    }

    /// What the 95 % intervals of means cover, as the summaries and `summary.csv` say.
    pub fn interval_note(self, draws: usize) -> String {
        match self {
            Design::OneNetwork => {
                "t interval over replicates, for one network draw (the network's own randomness is not covered)".into()
            }
            Design::NetworkPerReplicate => {
                "t interval over replicates, each on a network of its own (covers the network's and the dynamics' randomness)".into()
            }
            Design::Nested => format!(
                "t interval from {draws} network draws (one-way random effects: between- and within-network variance)"
            ),
        }
    }
}

/// A final metric's mean over replicates with its 95 % interval and, where the design
/// allows, the variance between network draws and within one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Nested {
    /// Replicates with a value.
    pub n: usize,
    /// Network draws among them.
    pub draws: usize,
    /// The mean over replicates.
    pub mean: f64,
    /// 95 % interval of the mean (NaN when it cannot be computed: one value, or one
    /// network draw in a nested design).
    pub low: f64,
    /// Upper end.
    pub high: f64,
    /// Variance between network draws (NaN where the design cannot tell it apart).
    pub var_between: f64,
    /// Variance within a network draw (NaN where the design cannot tell it apart).
    pub var_within: f64,
}

/// The mean of `values` (network draw, value; NaN values left out) with the 95 % interval
/// its design ([`Design::of`]) gives:
/// - one network, or a network per replicate: mean +- t(n-1) sd / sqrt(n); with one network
///   `var_within` is the variance over replicates, with one each neither component is
///   identifiable;
/// - nested (K draws, n replicates): the one-way random-effects ANOVA. With group means
///   m_k of n_k replicates, MSB = sum n_k (m_k - mean)^2 / (K - 1) and
///   MSW = sum (y - m_k)^2 / (n - K); the interval is mean +- t(K-1) sqrt(MSB / n), the
///   variance of the mean when the groups are as equal as the round-robin makes them;
///   var_within = MSW and var_between = max(0, (MSB - MSW) / n0) with
///   n0 = (n - sum n_k^2 / n) / (K - 1).
pub fn nested(values: impl Iterator<Item = (u32, f64)>) -> Nested {
    let values: Vec<(u32, f64)> = values.filter(|(_, v)| !v.is_nan()).collect();
    let n = values.len();
    let mut groups: std::collections::BTreeMap<u32, (usize, f64)> = Default::default();
    for &(d, v) in &values {
        let g = groups.entry(d).or_insert((0, 0.0));
        g.0 += 1;
        g.1 += v;
    }
    let k = groups.len();
    let mean = values.iter().map(|(_, v)| v).sum::<f64>() / n as f64;
    let mut out = Nested {
        n,
        draws: k,
        mean,
        low: f64::NAN,
        high: f64::NAN,
        var_between: f64::NAN,
        var_within: f64::NAN,
    };
    if n < 2 {
        return out;
    }
    match Design::of(n, k) {
        Design::OneNetwork | Design::NetworkPerReplicate => {
            let var = values.iter().map(|(_, v)| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            let half = t95(n - 1) * (var / n as f64).sqrt();
            (out.low, out.high) = (mean - half, mean + half);
            if k == 1 {
                out.var_within = var;
            }
        }
        Design::Nested => {
            let group_mean = |d: u32| groups.get(&d).map_or(f64::NAN, |(c, s)| s / *c as f64);
            let ssb: f64 = groups
                .values()
                .map(|(c, s)| *c as f64 * (s / *c as f64 - mean).powi(2))
                .sum();
            let ssw: f64 = values
                .iter()
                .map(|&(d, v)| (v - group_mean(d)).powi(2))
                .sum();
            let msb = ssb / (k - 1) as f64;
            let msw = ssw / (n - k) as f64;
            let sum_sq: f64 = groups.values().map(|(c, _)| (*c as f64).powi(2)).sum();
            let n0 = (n as f64 - sum_sq / n as f64) / (k - 1) as f64;
            let half = t95(k - 1) * (msb / n as f64).sqrt();
            (out.low, out.high) = (mean - half, mean + half);
            out.var_within = msw;
            out.var_between = ((msb - msw) / n0).max(0.0);
        }
    }
    out
}

/// A number as the CSV files write it: Rust's shortest round-trip form, empty for missing.
pub fn format_number(v: f64) -> String {
    let mut out = String::new();
    push_number(&mut out, v);
    out
}

/// Appends `v` as [`format_number`] writes it (the same text as `format!("{v}")`, nothing
/// for NaN), without allocating: the shortest round-trip digits come from `ryu` and are laid
/// out in plain decimal notation here, as Rust's `Display` does (no exponent, no trailing
/// `.0`, `-0` for negative zero).
pub fn push_number(out: &mut String, v: f64) {
    if v.is_nan() {
        return;
    }
    if v.is_infinite() {
        out.push_str(if v > 0.0 { "inf" } else { "-inf" });
        return;
    }
    if may_tie(v) {
        // Rust rounds a tie between two shortest forms up, ryu to even: let Rust decide.
        use std::fmt::Write as _;
        let _ = write!(out, "{v}");
        return;
    }
    let mut buffer = ryu::Buffer::new();
    let text = buffer.format_finite(v);
    // Between 1e-5 and 1e16 ryu writes plain decimals, with `.0` after a whole number.
    if !text.contains('e') {
        out.push_str(text.strip_suffix(".0").unwrap_or(text));
        return;
    }
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    // ryu writes `D.DDD`, `D.DDDeX` or `DeX`: the digits, and where the point falls in them.
    let (mantissa, exponent) = match text.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits = [0u8; 32];
    let mut n = 0;
    for &b in whole.as_bytes().iter().chain(fraction.as_bytes()) {
        if n < digits.len() {
            digits[n] = b;
            n += 1;
        }
    }
    let mut point = whole.len() as i32 + exponent;
    let mut start = 0;
    while start < n && digits[start] == b'0' {
        start += 1;
        point -= 1;
    }
    let mut end = n;
    while end > start && digits[end - 1] == b'0' {
        end -= 1;
    }
    // ASCII digits only, so the slices are valid UTF-8.
    let significant = std::str::from_utf8(&digits[start..end]).unwrap_or("");
    if negative {
        out.push('-');
    }
    if significant.is_empty() {
        out.push('0');
    } else if point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', point.unsigned_abs() as usize));
        out.push_str(significant);
    } else if point as usize >= significant.len() {
        out.push_str(significant);
        out.extend(std::iter::repeat_n('0', point as usize - significant.len()));
    } else {
        let (a, b) = significant.split_at(point as usize);
        out.push_str(a);
        out.push('.');
        out.push_str(b);
    }
}

/// Whether `v`'s exact value could lie halfway between two shortest decimal forms, where
/// ryu (to even) and Rust (up) round apart. That needs an exact decimal expansion of at most
/// 18 significant digits: `m * 2^e` with `m` odd has `digits(m * 5^-e)` of them when `e < 0`
/// (so at most 25 fractional bits), and an integer below 2^53 prints whole.
fn may_tie(v: f64) -> bool {
    let bits = v.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1u64 << 52) - 1);
    let (mut m, mut e) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1u64 << 52), biased - 1075)
    };
    if m == 0 {
        return false;
    }
    let zeros = m.trailing_zeros();
    m >>= zeros;
    e += zeros as i32;
    if e >= 0 {
        return v.abs() >= 9_007_199_254_740_992.0;
    }
    let k = e.unsigned_abs();
    k < 26 && u128::from(m) * 5u128.pow(k) < 10u128.pow(18)
}

/// Wilson score interval (95 %) for `k` successes out of `n`.
pub fn wilson(k: usize, n: usize) -> (f64, f64) {
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    wilson_at(k as f64 / n as f64, n as f64, Z95)
}

/// Wilson's score interval of a share `p` observed on `n` (possibly effective, so not a
/// whole number) independent outcomes, with `z` standard errors.
fn wilson_at(p: f64, n: f64, z: f64) -> (f64, f64) {
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * ((p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt()) / denom;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// The 95 % interval of the share of 0/1 outcomes given as `(network draw, outcome)`, for
/// the run's design ([`Design::of`]):
/// - one network, or a network per replicate: Wilson's score interval;
/// - replicates sharing K network draws (nested): Wilson's interval at the effective sample
///   size `n / deff`, with the design effect `deff = 1 + (n0 - 1) rho`, `rho` the intraclass
///   correlation of the one-way random-effects decomposition ([`nested`], clipped to
///   [0, 1]) and `n0` its average draw size, and with Student's t at K - 1 degrees of
///   freedom in place of z, as Korn and Graubard (1998) adjust for few clusters (few draws
///   make `rho` uncertain; the interval is conservative when they share little). Never of
///   zero width.
pub fn share_interval(outcomes: impl Iterator<Item = (u32, bool)>) -> (f64, f64) {
    let values: Vec<(u32, f64)> = outcomes.map(|(d, o)| (d, f64::from(u8::from(o)))).collect();
    let s = nested(values.iter().copied());
    if s.n == 0 {
        return (f64::NAN, f64::NAN);
    }
    if Design::of(s.n, s.draws) != Design::Nested {
        let k = values.iter().filter(|(_, v)| *v == 1.0).count();
        return wilson(k, s.n);
    }
    let total = s.var_between + s.var_within;
    let rho = if total > 0.0 {
        (s.var_between / total).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mut sizes: std::collections::BTreeMap<u32, usize> = Default::default();
    for &(d, _) in &values {
        *sizes.entry(d).or_default() += 1;
    }
    let n = s.n as f64;
    let sum_sq: f64 = sizes.values().map(|&c| (c as f64).powi(2)).sum();
    let n0 = (n - sum_sq / n) / (s.draws - 1) as f64;
    let deff = 1.0 + (n0 - 1.0).max(0.0) * rho;
    wilson_at(s.mean, n / deff, t95(s.draws - 1))
}

/// Newcombe's hybrid score interval (1998, method 10) for the difference of two paired
/// proportions, `second - first`, from the pairs' counts: `both` (the outcome in both),
/// `first_only`, `second_only` and `neither` (the square-and-add interval of Fagerland,
/// Lydersen and Laake 2017, section 8.5). It combines each side's Wilson interval with the
/// pairs' correlation, so it is never of zero width and keeps its coverage when the outcome
/// is rare and no pair differs (where a t interval on the 0/+-1 differences is [0, 0]).
pub fn paired_share_difference(
    both: usize,
    first_only: usize,
    second_only: usize,
    neither: usize,
) -> (f64, f64) {
    let n = both + first_only + second_only + neither;
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    let (a, b, c, d) = (
        both as f64,
        first_only as f64,
        second_only as f64,
        neither as f64,
    );
    let nf = n as f64;
    let (p1, p2) = ((a + b) / nf, (a + c) / nf);
    let (l1, u1) = wilson(both + first_only, n);
    let (l2, u2) = wilson(both + second_only, n);
    // The correlation of the two shares, with Newcombe's continuity correction: 0 for an
    // agreement within n / 2 of chance (Fagerland, Lydersen and Laake 2017, section 8.5).
    let margins = (a + b) * (c + d) * (a + c) * (b + d);
    let cross = a * d - b * c;
    let phi = if margins == 0.0 {
        0.0
    } else if cross > nf / 2.0 {
        (cross - nf / 2.0) / margins.sqrt()
    } else if cross >= 0.0 {
        0.0
    } else {
        cross / margins.sqrt()
    };
    let spread = |x: f64, y: f64| (x * x - 2.0 * phi * x * y + y * y).max(0.0).sqrt();
    let diff = p2 - p1;
    (
        (diff - spread(p2 - l2, u1 - p1)).max(-1.0),
        (diff + spread(u2 - p2, p1 - l1)).min(1.0),
    )
}

/// Two-sided p-value of McNemar's exact test for paired 0/1 outcomes: the smaller of the
/// discordant counts against a fair binomial over both (1 when no pair differs).
pub fn mcnemar_exact(first_only: usize, second_only: usize) -> f64 {
    use statrs::distribution::{Binomial, DiscreteCDF};
    let n = first_only + second_only;
    if n == 0 {
        return 1.0;
    }
    let k = first_only.min(second_only) as u64;
    Binomial::new(0.5, n as u64).map_or(f64::NAN, |b| (2.0 * b.cdf(k)).min(1.0))
}

/// Two-sided p-value of the one-sample t test that `values` have mean zero (paired
/// differences); NaN with fewer than two values.
pub fn t_test_p(values: &[f64]) -> f64 {
    use statrs::distribution::{ContinuousCDF, StudentsT};
    let n = values.len();
    if n < 2 {
        return f64::NAN;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    if var == 0.0 {
        return if mean == 0.0 { 1.0 } else { 0.0 };
    }
    let t = mean / (var / n as f64).sqrt();
    StudentsT::new(0.0, 1.0, (n - 1) as f64).map_or(f64::NAN, |d| 2.0 * (1.0 - d.cdf(t.abs())))
}

/// Holm's step-down adjustment of a family of p-values (same order out as in): the
/// smallest times m, the next times m - 1, ..., each at least the one before, at most 1.
/// A NaN p-value stays NaN and does not count in m.
pub fn holm(p: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..p.len()).filter(|&i| !p[i].is_nan()).collect();
    order.sort_by(|&i, &j| p[i].total_cmp(&p[j]).then(i.cmp(&j)));
    let m = order.len();
    let mut out = vec![f64::NAN; p.len()];
    let mut running: f64 = 0.0;
    for (rank, &i) in order.iter().enumerate() {
        running = running.max(((m - rank) as f64 * p[i]).min(1.0));
        out[i] = running;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tables' numbers are byte-identical to `format!("{v}")`: special values, powers
    /// of ten either side of where notations change, and a million values from random bit
    /// patterns and from the unit interval (seeded).
    #[test]
    fn push_number_writes_what_display_writes() {
        use rand::{RngExt, SeedableRng};
        let check = |v: f64| {
            let mut out = String::new();
            push_number(&mut out, v);
            let expected = if v.is_nan() {
                String::new()
            } else {
                format!("{v}")
            };
            assert_eq!(out, expected, "bits {:#x}", v.to_bits());
        };
        for v in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.1,
            0.5,
            1.5,
            100.0,
            123456.0,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::MIN,
            f64::EPSILON,
            5e-324,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ] {
            check(v);
        }
        for e in -330..=310 {
            for m in [1.0, 1.5, 9.999_999_999_999_999, 2.25] {
                check(m * 10f64.powi(e));
            }
        }
        check(f64::from_bits(0xc2e0_86bf_2350_df44)); // -145367347398394.125
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        for _ in 0..300_000 {
            check(f64::from_bits(rng.random::<u64>()));
            check(rng.random::<f64>());
            // Few fractional bits and large magnitudes, where ties between two shortest
            // forms happen (145367347398394.125: Rust writes .13, ryu .12).
            let shift = rng.random_range(0..40);
            let bits = rng.random_range(0..12);
            check((rng.random::<u64>() >> shift) as f64 / f64::from(1u32 << bits));
        }
    }

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

    /// The share of `trials` seeded trials in which `covers` says the interval held the truth.
    fn coverage(
        seed: u64,
        trials: usize,
        mut covers: impl FnMut(&mut rand_chacha::ChaCha8Rng) -> bool,
    ) -> f64 {
        use rand::SeedableRng;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        (0..trials).filter(|_| covers(&mut rng)).count() as f64 / trials as f64
    }

    /// Coverage of the t interval over replicates (one network, or one each) and of the
    /// paired t interval, on normal values with a known mean (30 replicates).
    #[test]
    fn t_intervals_cover_near_95_percent() {
        use rand_distr::{Distribution, Normal};
        let noise = Normal::new(0.0, 0.1).unwrap();
        let plain = coverage(21, 4000, |rng| {
            let s = nested((0..30).map(|_| (0, 0.4 + noise.sample(rng))));
            s.low <= 0.4 && 0.4 <= s.high
        });
        assert!((0.93..=0.97).contains(&plain), "t over replicates {plain}");
        // Paired: a shared part (the common random numbers) and an effect of 0.02.
        let paired = coverage(22, 4000, |rng| {
            let d: Vec<(u32, f64)> = (0..30)
                .map(|_| {
                    let shared = 0.5 + noise.sample(rng);
                    let first = shared + 0.3 * noise.sample(rng);
                    let second = shared + 0.02 + 0.3 * noise.sample(rng);
                    (0, second - first)
                })
                .collect();
            let s = nested(d.into_iter());
            s.low <= 0.02 && 0.02 <= s.high
        });
        assert!((0.93..=0.97).contains(&paired), "paired t {paired}");
    }

    /// Coverage of Wilson's interval of a share over independent replicates, common and
    /// rare (2 %: most samples of 30 hold no success at all).
    #[test]
    fn wilson_covers_common_and_rare_shares() {
        use rand::RngExt;
        for (seed, p) in [(31, 0.3), (32, 0.02)] {
            let rate = coverage(seed, 4000, |rng| {
                let k = (0..30).filter(|_| rng.random::<f64>() < p).count();
                let (low, high) = wilson(k, 30);
                low <= p && p <= high
            });
            assert!((0.93..=0.99).contains(&rate), "Wilson at p = {p}: {rate}");
        }
    }

    /// 30 outcomes on 5 network draws of 6 replicates, each draw with its own chance from
    /// a beta distribution of mean `p` and intraclass correlation `rho`.
    fn clustered(rng: &mut rand_chacha::ChaCha8Rng, p: f64, rho: f64) -> Vec<(u32, bool)> {
        use rand::RngExt;
        use rand_distr::{Beta, Distribution};
        let total = 1.0 / rho - 1.0;
        let chance = Beta::new(p * total, (1.0 - p) * total).unwrap();
        let mut out = Vec::new();
        for d in 0..5u32 {
            let q: f64 = chance.sample(rng);
            for _ in 0..6 {
                out.push((d, rng.random::<f64>() < q));
            }
        }
        out
    }

    /// Coverage of the share's interval when replicates share network draws (the audit's
    /// case: 5 draws shared by 30 replicates, where Wilson's interval ignoring the draws
    /// covered 90 %), common and rare; Wilson's ignoring the draws covers less.
    #[test]
    fn the_share_interval_covers_shares_over_shared_networks() {
        for (seed, p, rho) in [(41, 0.3, 0.2), (42, 0.05, 0.1), (43, 0.5, 0.05)] {
            let (mut design, mut naive) = (0, 0);
            let trials = 4000;
            let mut rng = {
                use rand::SeedableRng;
                rand_chacha::ChaCha8Rng::seed_from_u64(seed)
            };
            for _ in 0..trials {
                let outcomes = clustered(&mut rng, p, rho);
                let (low, high) = share_interval(outcomes.iter().copied());
                assert!(high > low, "zero width");
                design += usize::from(low <= p && p <= high);
                let k = outcomes.iter().filter(|(_, o)| *o).count();
                let (low, high) = wilson(k, outcomes.len());
                naive += usize::from(low <= p && p <= high);
            }
            let (design, naive) = (design as f64 / trials as f64, naive as f64 / trials as f64);
            assert!(
                (0.94..=0.995).contains(&design),
                "p {p}, rho {rho}: {design}"
            );
            assert!(
                naive < design,
                "p {p}, rho {rho}: Wilson {naive} against {design}"
            );
        }
    }

    /// Coverage of Newcombe's interval for a paired difference of shares: common, rare
    /// (the audit's case: 2 % against 3 %, most samples of 30 pairs with no consensus at
    /// all, where a t interval on the 0/+-1 differences collapsed to [0, 0] and covered
    /// 40 %) and rare without a difference.
    #[test]
    fn the_paired_share_interval_covers_rare_and_common_differences() {
        use rand::RngExt;
        // Probabilities of (both, first only, second only); neither is the rest.
        for (seed, cells) in [
            (51, [0.2, 0.1, 0.3]),
            (52, [0.01, 0.01, 0.02]),
            (53, [0.015, 0.005, 0.005]),
        ] {
            let truth = cells[2] - cells[1];
            let (mut covered, mut collapsed_t) = (0, 0);
            let trials = 4000;
            let mut rng = {
                use rand::SeedableRng;
                rand_chacha::ChaCha8Rng::seed_from_u64(seed)
            };
            for _ in 0..trials {
                let mut counts = [0usize; 4];
                let mut diffs = Vec::new();
                for _ in 0..30 {
                    let u: f64 = rng.random();
                    let cell = if u < cells[0] {
                        0
                    } else if u < cells[0] + cells[1] {
                        1
                    } else if u < cells[0] + cells[1] + cells[2] {
                        2
                    } else {
                        3
                    };
                    counts[cell] += 1;
                    diffs.push((0, [0.0, -1.0, 1.0, 0.0][cell]));
                }
                let (low, high) =
                    paired_share_difference(counts[0], counts[1], counts[2], counts[3]);
                assert!(high > low, "zero width from {counts:?}");
                covered += usize::from(low <= truth && truth <= high);
                let t = nested(diffs.into_iter());
                collapsed_t += usize::from(t.low == t.high);
            }
            let rate = covered as f64 / trials as f64;
            // Rare outcomes in 30 pairs: most samples hold no discordant pair, and every
            // interval must then hold the truth, so coverage is above 95 % (conservative).
            assert!((0.93..=1.0).contains(&rate), "cells {cells:?}: {rate}");
            if cells[1] + cells[2] > 0.1 {
                assert!(rate <= 0.97, "cells {cells:?}: {rate}");
            } else {
                // What the t interval on the differences did in the same samples.
                assert!(collapsed_t > trials / 4, "t collapsed {collapsed_t} times");
            }
        }
    }

    #[test]
    fn newcombe_mcnemar_holm_and_t_match_worked_values() {
        // Step by step (n = 36: both 12, first only 2, second only 5, neither 17):
        // p1 = 14/36, p2 = 17/36; ad - bc = 194 > n/2, so phi = (194 - 18) / sqrt(14 * 22 *
        // 17 * 19) = 0.5580; Wilson: p1 in [0.2478, 0.5514], p2 in [0.3199, 0.6299];
        // lower = 1/12 - sqrt(x^2 - 2 phi x y + y^2) with x = p2 - l2, y = u1 - p1: -0.0649;
        // upper = 1/12 + the same with x = u2 - p2, y = p1 - l1: 0.2246.
        let (low, high) = paired_share_difference(12, 2, 5, 17);
        assert!(
            (low - -0.0649).abs() < 1e-4 && (high - 0.2246).abs() < 1e-4,
            "{low} {high}"
        );
        // No pair differs and no consensus: never of zero width.
        let (low, high) = paired_share_difference(0, 0, 0, 30);
        assert!(low < -0.1 && high > 0.1, "{low} {high}");
        // R: binom.test(2, 7)$p.value = 0.453125
        assert!((mcnemar_exact(2, 5) - 0.453_125).abs() < 1e-12);
        assert_eq!(mcnemar_exact(0, 0), 1.0);
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.2), "holm") = 0.04 0.09 0.09 0.20
        let adjusted = holm(&[0.01, 0.04, 0.03, 0.2]);
        for (a, b) in adjusted.iter().zip([0.04, 0.09, 0.09, 0.2]) {
            assert!((a - b).abs() < 1e-12, "{adjusted:?}");
        }
        // t = 3.2 / (1.9235 / sqrt 5) = 3.7199 on 4 degrees of freedom: p = 0.020476
        // (the t density integrated numerically).
        assert!((t_test_p(&[1.0, 2.0, 3.0, 4.0, 6.0]) - 0.020_476).abs() < 1e-5);
    }

    #[test]
    fn t_quantiles_match_tables() {
        // R: qt(0.975, c(1, 9, 199)) = 12.7062 2.262157 1.971957
        assert!((t95(1) - 12.706_204_736).abs() < 1e-6);
        assert!((t95(9) - 2.262_157_163).abs() < 1e-6);
        assert!((t95(199) - 1.971_956_544).abs() < 1e-6);
        assert!(t95(0).is_nan());
    }

    #[test]
    fn the_nested_design_matches_a_hand_computed_anova() {
        // Three draws of two replicates: group means 1, 2, 6, grand mean 3.
        // SSB = 2 (4 + 1 + 9) = 28, MSB = 14; SSW = 3 x 2 x 0.25 = 1.5, MSW = 0.5; n0 = 2.
        let values = [(0, 0.5), (0, 1.5), (1, 1.5), (1, 2.5), (2, 5.5), (2, 6.5)];
        let s = nested(values.into_iter());
        assert_eq!((s.n, s.draws), (6, 3));
        assert!((s.mean - 3.0).abs() < 1e-12);
        assert!((s.var_within - 0.5).abs() < 1e-12);
        assert!((s.var_between - 6.75).abs() < 1e-12);
        let half = t95(2) * (14.0f64 / 6.0).sqrt();
        assert!((s.high - 3.0 - half).abs() < 1e-12 && (3.0 - s.low - half).abs() < 1e-12);
    }

    #[test]
    fn the_nested_design_recovers_known_components_and_covers_the_mean() {
        use rand::SeedableRng;
        use rand_distr::{Distribution, Normal};
        // 20 networks of 10 replicates; between-network sd 2, within sd 1, true mean 0.
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let (between, within) = (
            Normal::new(0.0, 2.0).unwrap(),
            Normal::new(0.0, 1.0).unwrap(),
        );
        let (mut covered, trials) = (0, 400);
        let (mut vb, mut vw) = (0.0, 0.0);
        for _ in 0..trials {
            let mut values = Vec::new();
            for d in 0..20u32 {
                let effect = between.sample(&mut rng);
                for _ in 0..10 {
                    values.push((d, effect + within.sample(&mut rng)));
                }
            }
            let s = nested(values.into_iter());
            covered += usize::from(s.low <= 0.0 && 0.0 <= s.high);
            vb += s.var_between / trials as f64;
            vw += s.var_within / trials as f64;
        }
        assert!((vb - 4.0).abs() < 0.3, "between {vb}");
        assert!((vw - 1.0).abs() < 0.03, "within {vw}");
        let rate = covered as f64 / trials as f64;
        assert!((0.92..=0.98).contains(&rate), "coverage {rate}");
        // The naive interval over replicates, ignoring the networks, covers far less.
        let mut naive = 0;
        for _ in 0..trials {
            let mut values = Vec::new();
            for d in 0..20u32 {
                let effect = between.sample(&mut rng);
                for _ in 0..10 {
                    values.push((0, effect + within.sample(&mut rng) + 0.0 * f64::from(d)));
                }
            }
            let s = nested(values.into_iter());
            naive += usize::from(s.low <= 0.0 && 0.0 <= s.high);
        }
        assert!((naive as f64 / trials as f64) < 0.7);
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
