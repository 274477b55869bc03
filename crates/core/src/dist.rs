//! Initial-value distributions of CG-1: `constant`, `uniform`, `beta`, `normal` (clipped).

use std::fmt;

use rand::{Rng, RngExt};
use rand_distr::{Beta, Distribution, Normal};

/// A distribution of an initial value in [0, 1].
///
/// Written in scenario files as `"constant(v)"`, `"uniform(low, high)"`, `"beta(a, b)"` or
/// `"normal(mean, sd)"` (the last clipped to [0, 1]), or as a bare number for `constant`.
#[derive(Clone, Debug)]
pub enum Dist {
    /// Always `v`, with `0 <= v <= 1`.
    Constant(f64),
    /// Uniform on `[low, high]`, with `0 <= low <= high <= 1`.
    Uniform(f64, f64),
    /// Beta with shapes `a > 0`, `b > 0`.
    Beta(f64, f64, Beta<f64>),
    /// Normal with `mean` and `sd >= 0`, clipped to [0, 1].
    Normal(f64, f64, Normal<f64>),
}

impl PartialEq for Dist {
    fn eq(&self, other: &Self) -> bool {
        self.to_string() == other.to_string()
    }
}

impl Dist {
    /// `constant(v)`.
    pub fn constant(v: f64) -> Result<Self, String> {
        if !(v.is_finite() && (0.0..=1.0).contains(&v)) {
            return Err(format!("constant(v) needs 0 <= v <= 1, found {v}"));
        }
        Ok(Dist::Constant(v))
    }

    /// `uniform(low, high)`.
    pub fn uniform(low: f64, high: f64) -> Result<Self, String> {
        let ok = low.is_finite() && high.is_finite() && 0.0 <= low && low <= high && high <= 1.0;
        if !ok {
            return Err(format!(
                "uniform(low, high) needs 0 <= low <= high <= 1, found uniform({low}, {high})"
            ));
        }
        Ok(Dist::Uniform(low, high))
    }

    /// `beta(a, b)`.
    pub fn beta(a: f64, b: f64) -> Result<Self, String> {
        let bad = || format!("beta(a, b) needs finite a > 0 and b > 0, found beta({a}, {b})");
        if !(a.is_finite() && b.is_finite() && a > 0.0 && b > 0.0) {
            return Err(bad());
        }
        let inner = Beta::new(a, b).map_err(|_| bad())?;
        Ok(Dist::Beta(a, b, inner))
    }

    /// `normal(mean, sd)`, clipped to [0, 1].
    pub fn normal(mean: f64, sd: f64) -> Result<Self, String> {
        let bad = || {
            format!("normal(mean, sd) needs finite mean and sd >= 0, found normal({mean}, {sd})")
        };
        if !(mean.is_finite() && sd.is_finite() && sd >= 0.0) {
            return Err(bad());
        }
        let inner = Normal::new(mean, sd).map_err(|_| bad())?;
        Ok(Dist::Normal(mean, sd, inner))
    }

    /// Parses the scenario-file notation, e.g. `"beta(2, 5)"` or `"0.4"`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if let Ok(v) = text.parse::<f64>() {
            return Dist::constant(v);
        }
        let expected =
            "a number or one of constant(v), uniform(low, high), beta(a, b), normal(mean, sd)";
        let (name, rest) = text.split_once('(').ok_or_else(|| {
            format!(
                "expected {expected}, found \"{}\"",
                crate::scenario::error::excerpt(text)
            )
        })?;
        let inner = rest
            .strip_suffix(')')
            .ok_or_else(|| format!("expected a closing ')' in \"{text}\""))?;
        let mut args = Vec::new();
        for part in inner.split(',') {
            let part = part.trim();
            let v: f64 = part.parse().map_err(|_| {
                format!(
                    "expected a number in \"{}\", found \"{}\"",
                    crate::scenario::error::excerpt(text),
                    crate::scenario::error::excerpt(part)
                )
            })?;
            args.push(v);
        }
        let want = |n: usize| -> Result<(), String> {
            if args.len() == n {
                Ok(())
            } else {
                Err(format!(
                    "{} takes {n} argument(s), found {} in \"{text}\"",
                    name.trim(),
                    args.len()
                ))
            }
        };
        match name.trim() {
            "constant" => want(1).and_then(|_| Dist::constant(args[0])),
            "uniform" => want(2).and_then(|_| Dist::uniform(args[0], args[1])),
            "beta" => want(2).and_then(|_| Dist::beta(args[0], args[1])),
            "normal" => want(2).and_then(|_| Dist::normal(args[0], args[1])),
            other => Err(format!(
                "expected {expected}, found unknown distribution \"{other}\""
            )),
        }
    }

    /// Draws one value in [0, 1]. `constant` draws no random number.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Dist::Constant(v) => *v,
            Dist::Uniform(low, high) => low + (high - low) * rng.random::<f64>(),
            Dist::Beta(_, _, inner) => inner.sample(rng).clamp(0.0, 1.0),
            Dist::Normal(_, _, inner) => inner.sample(rng).clamp(0.0, 1.0),
        }
    }

    /// The distribution's mean before clipping (exact for all but a clipped normal).
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Constant(v) => *v,
            Dist::Uniform(low, high) => (low + high) / 2.0,
            Dist::Beta(a, b, _) => a / (a + b),
            Dist::Normal(mean, _, _) => mean.clamp(0.0, 1.0),
        }
    }
}

impl fmt::Display for Dist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Dist::Constant(v) => write!(f, "constant({v})"),
            Dist::Uniform(low, high) => write!(f, "uniform({low}, {high})"),
            Dist::Beta(a, b, _) => write!(f, "beta({a}, {b})"),
            Dist::Normal(mean, sd, _) => write!(f, "normal({mean}, {sd})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn parses_every_form_and_round_trips() {
        for text in [
            "constant(0.5)",
            "uniform(0.1, 0.9)",
            "beta(2, 5)",
            "normal(0.5, 0.1)",
        ] {
            let dist = Dist::parse(text).expect(text);
            assert_eq!(dist.to_string(), text);
        }
        assert_eq!(Dist::parse("0.25").unwrap(), Dist::Constant(0.25));
    }

    #[test]
    fn rejects_bad_forms_with_the_reason() {
        assert!(
            Dist::parse("uniform(0.9, 0.1)")
                .unwrap_err()
                .contains("low <= high")
        );
        assert!(Dist::parse("beta(0, 1)").unwrap_err().contains("a > 0"));
        assert!(
            Dist::parse("gamma(1, 1)")
                .unwrap_err()
                .contains("unknown distribution")
        );
        assert!(Dist::parse("uniform(0.1)").unwrap_err().contains("takes 2"));
        assert!(Dist::parse("1.5").unwrap_err().contains("0 <= v <= 1"));
        assert!(Dist::parse("normal(0.5, nan)").is_err());
    }

    #[test]
    fn samples_stay_in_unit_interval_with_the_right_mean() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for text in ["uniform(0.2, 0.4)", "beta(2, 5)", "normal(0.9, 0.5)"] {
            let dist = Dist::parse(text).unwrap();
            let n = 20_000;
            let mut sum = 0.0;
            for _ in 0..n {
                let v = dist.sample(&mut rng);
                assert!((0.0..=1.0).contains(&v));
                sum += v;
            }
            let mean = sum / n as f64;
            if !text.starts_with("normal") {
                assert!((mean - dist.mean()).abs() < 0.01, "{text}: {mean}");
            }
        }
    }
}
