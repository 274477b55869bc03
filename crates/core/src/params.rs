//! CG-1 parameters with the defaults of docs/model.md, their ranges and their names.

use serde::{Deserialize, Serialize};

/// Coefficients of the good-faith logit
/// `z = b0 + bT*m + bL*L + bG*g - bP*(1 - L)*|p_i - p_j|`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GoodFaith {
    /// `b0`, intercept. Default -2. Any finite number.
    pub b0: f64,
    /// `bT`, weight of mutual trust `m`. Default 4. Any finite number.
    #[serde(rename = "bT")]
    pub b_t: f64,
    /// `bL`, weight of leadership. Default 1. Any finite number.
    #[serde(rename = "bL")]
    pub b_l: f64,
    /// `bG`, weight of ground rules. Default 1. Any finite number.
    #[serde(rename = "bG")]
    pub b_g: f64,
    /// `bP`, weight of the power gap left unevened by leadership. Default 3. Any finite number.
    #[serde(rename = "bP")]
    pub b_p: f64,
}

impl Default for GoodFaith {
    fn default() -> Self {
        GoodFaith {
            b0: -2.0,
            b_t: 4.0,
            b_l: 1.0,
            b_g: 1.0,
            b_p: 3.0,
        }
    }
}

/// Consensus thresholds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Consensus {
    /// `Ustar`: shared understanding needed for consensus. Default 0.9, in [0, 1].
    pub understanding: f64,
    /// `Cstar`: mean commitment needed for consensus. Default 0.7, in [0, 1].
    pub commitment: f64,
}

impl Default for Consensus {
    fn default() -> Self {
        Consensus {
            understanding: 0.9,
            commitment: 0.7,
        }
    }
}

/// Every CG-1 parameter, under docs/model.md's names, with docs/model.md's defaults.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    /// `silo`: chance that a cross-sector dialogue is blocked. Default 0, in [0, 1].
    pub silo: f64,
    /// `iota`: chance that a non-state actor takes part in a round. Default 1, in [0, 1].
    pub inclusiveness: f64,
    /// `g`: clarity of ground rules and transparency. Default 0.5, in [0, 1].
    pub ground_rules: f64,
    /// `L`: facilitative leadership. Default 0.5, in [0, 1].
    pub leadership: f64,
    /// `ell`: clarity of the legal basis; caps commitment. Default 1, in [0, 1].
    pub legal_clarity: f64,
    /// Good-faith logit coefficients.
    pub good_faith: GoodFaith,
    /// `alpha`: trust gained in a productive dialogue. Default 0.10, in [0, 1].
    pub trust_gain: f64,
    /// `gamma`: share of trust lost in a failed dialogue. Default 0.20, in [0, 1].
    pub trust_loss: f64,
    /// `eps`: bounded-confidence range. Default 0.2, >= 0.
    pub confidence: f64,
    /// `epsT`: widening of the confidence range by trust. Default 0.3, >= 0.
    pub confidence_trust: f64,
    /// `mu`: how far views move in an exchange. Default 0.3, in [0, 0.5].
    pub convergence: f64,
    /// `lambda`: how fast commitment follows experience. Default 0.1, in [0, 1].
    pub commitment_rate: f64,
    /// `alphaW`: trust gained by every working pair from a small win. Default 0.05, in [0, 1].
    pub win_trust_gain: f64,
    /// `omega`: commitment gained from a small win. Default 0.10, in [0, 1].
    pub win_commitment_gain: f64,
    /// `Ustar`, `Cstar`: consensus thresholds.
    pub consensus: Consensus,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            silo: 0.0,
            inclusiveness: 1.0,
            ground_rules: 0.5,
            leadership: 0.5,
            legal_clarity: 1.0,
            good_faith: GoodFaith::default(),
            trust_gain: 0.10,
            trust_loss: 0.20,
            confidence: 0.2,
            confidence_trust: 0.3,
            convergence: 0.3,
            commitment_rate: 0.1,
            win_trust_gain: 0.05,
            win_commitment_gain: 0.10,
            consensus: Consensus::default(),
        }
    }
}

/// The accepted range of a parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Range {
    /// A closed interval.
    Closed(f64, f64),
    /// At least the bound.
    AtLeast(f64),
    /// Any finite number.
    Finite,
}

impl Range {
    fn contains(self, v: f64) -> bool {
        v.is_finite()
            && match self {
                Range::Closed(lo, hi) => lo <= v && v <= hi,
                Range::AtLeast(lo) => lo <= v,
                Range::Finite => true,
            }
    }

    fn describe(self) -> String {
        match self {
            Range::Closed(lo, hi) => format!("a number in [{lo}, {hi}]"),
            Range::AtLeast(lo) => format!("a finite number >= {lo}"),
            Range::Finite => "a finite number".to_string(),
        }
    }
}

/// Name, docs/model.md symbol and range of every parameter, in the order of the table of docs/model.md.
pub const PARAMETERS: [(&str, &str, Range); 18] = [
    ("silo", "silo", Range::Closed(0.0, 1.0)),
    ("inclusiveness", "iota", Range::Closed(0.0, 1.0)),
    ("ground_rules", "g", Range::Closed(0.0, 1.0)),
    ("leadership", "L", Range::Closed(0.0, 1.0)),
    ("legal_clarity", "ell", Range::Closed(0.0, 1.0)),
    ("good_faith.b0", "b0", Range::Finite),
    ("good_faith.bT", "bT", Range::Finite),
    ("good_faith.bL", "bL", Range::Finite),
    ("good_faith.bG", "bG", Range::Finite),
    ("good_faith.bP", "bP", Range::Finite),
    ("trust_gain", "alpha", Range::Closed(0.0, 1.0)),
    ("trust_loss", "gamma", Range::Closed(0.0, 1.0)),
    ("confidence", "eps", Range::AtLeast(0.0)),
    ("confidence_trust", "epsT", Range::AtLeast(0.0)),
    ("convergence", "mu", Range::Closed(0.0, 0.5)),
    ("commitment_rate", "lambda", Range::Closed(0.0, 1.0)),
    ("win_trust_gain", "alphaW", Range::Closed(0.0, 1.0)),
    ("win_commitment_gain", "omega", Range::Closed(0.0, 1.0)),
];

/// Consensus thresholds, named like the other parameters.
pub const CONSENSUS_PARAMETERS: [(&str, &str, Range); 2] = [
    ("consensus.understanding", "Ustar", Range::Closed(0.0, 1.0)),
    ("consensus.commitment", "Cstar", Range::Closed(0.0, 1.0)),
];

/// A parameter, resolved from its name once (a `set` intervention holds one, so the
/// simulation never looks a name up).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParamId(usize);

impl ParamId {
    /// The parameter's name, as [`Params::names`] gives it.
    pub fn name(self) -> &'static str {
        Params::names().nth(self.0).unwrap_or("")
    }
}

impl Params {
    /// The id of parameter `name`, or `None` when there is no such parameter.
    pub fn id(name: &str) -> Option<ParamId> {
        Params::names().position(|n| n == name).map(ParamId)
    }

    /// Sets a parameter by id; the value must already be in its range (a `set`
    /// intervention checks it when the scenario is read).
    pub fn set_id(&mut self, id: ParamId, value: f64) {
        if let Some(field) = self.field_mut(id.name()) {
            *field = value;
        }
    }

    fn field_mut(&mut self, name: &str) -> Option<&mut f64> {
        Some(match name {
            "silo" => &mut self.silo,
            "inclusiveness" => &mut self.inclusiveness,
            "ground_rules" => &mut self.ground_rules,
            "leadership" => &mut self.leadership,
            "legal_clarity" => &mut self.legal_clarity,
            "good_faith.b0" => &mut self.good_faith.b0,
            "good_faith.bT" => &mut self.good_faith.b_t,
            "good_faith.bL" => &mut self.good_faith.b_l,
            "good_faith.bG" => &mut self.good_faith.b_g,
            "good_faith.bP" => &mut self.good_faith.b_p,
            "trust_gain" => &mut self.trust_gain,
            "trust_loss" => &mut self.trust_loss,
            "confidence" => &mut self.confidence,
            "confidence_trust" => &mut self.confidence_trust,
            "convergence" => &mut self.convergence,
            "commitment_rate" => &mut self.commitment_rate,
            "win_trust_gain" => &mut self.win_trust_gain,
            "win_commitment_gain" => &mut self.win_commitment_gain,
            "consensus.understanding" => &mut self.consensus.understanding,
            "consensus.commitment" => &mut self.consensus.commitment,
            _ => return None,
        })
    }

    fn range_of(name: &str) -> Option<Range> {
        PARAMETERS
            .iter()
            .chain(CONSENSUS_PARAMETERS.iter())
            .find(|(n, _, _)| *n == name)
            .map(|(_, _, r)| *r)
    }

    /// Every parameter name accepted by [`Params::set`].
    pub fn names() -> impl Iterator<Item = &'static str> {
        PARAMETERS
            .iter()
            .chain(CONSENSUS_PARAMETERS.iter())
            .map(|(n, _, _)| *n)
    }

    /// The value of parameter `name` (a name of [`Params::names`]).
    pub fn get(&self, name: &str) -> Option<f64> {
        let mut copy = *self;
        copy.field_mut(name).map(|v| *v)
    }

    /// Sets parameter `name` to `value`, checking its range. The error says what was
    /// expected and what was found.
    pub fn set(&mut self, name: &str, value: f64) -> Result<(), String> {
        let range = Params::range_of(name).ok_or_else(|| {
            format!(
                "expected a parameter name ({}), found \"{}\"",
                Params::names().collect::<Vec<_>>().join(", "),
                crate::scenario::error::excerpt(name)
            )
        })?;
        if !range.contains(value) {
            return Err(format!("expected {}, found {value}", range.describe()));
        }
        if let Some(field) = self.field_mut(name) {
            *field = value;
        }
        Ok(())
    }

    /// Checks every parameter's range; the error is `(name, message)` for the first bad one.
    pub fn validate(&self) -> Result<(), (String, String)> {
        for name in Params::names() {
            let value = self.get(name).unwrap_or(f64::NAN);
            let mut probe = Params::default();
            probe
                .set(name, value)
                .map_err(|msg| (name.to_string(), msg))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_model_md() {
        let p = Params::default();
        assert_eq!(
            (
                p.silo,
                p.inclusiveness,
                p.ground_rules,
                p.leadership,
                p.legal_clarity
            ),
            (0.0, 1.0, 0.5, 0.5, 1.0)
        );
        let gf = p.good_faith;
        assert_eq!(
            (gf.b0, gf.b_t, gf.b_l, gf.b_g, gf.b_p),
            (-2.0, 4.0, 1.0, 1.0, 3.0)
        );
        assert_eq!(
            (p.trust_gain, p.trust_loss, p.confidence, p.confidence_trust),
            (0.10, 0.20, 0.2, 0.3)
        );
        assert_eq!(
            (
                p.convergence,
                p.commitment_rate,
                p.win_trust_gain,
                p.win_commitment_gain
            ),
            (0.3, 0.1, 0.05, 0.10)
        );
        assert_eq!(
            (p.consensus.understanding, p.consensus.commitment),
            (0.9, 0.7)
        );
        assert!(p.validate().is_ok());
    }

    #[test]
    fn set_checks_name_and_range() {
        let mut p = Params::default();
        p.set("good_faith.bT", 6.0).unwrap();
        assert_eq!(p.good_faith.b_t, 6.0);
        assert!(p.set("convergence", 0.6).unwrap_err().contains("[0, 0.5]"));
        assert!(p.set("sillo", 0.1).unwrap_err().contains("\"sillo\""));
        assert!(p.set("silo", f64::NAN).is_err());
        p.convergence = 0.7;
        assert_eq!(p.validate().unwrap_err().0, "convergence");
    }
}
