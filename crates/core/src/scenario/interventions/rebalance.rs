//! `rebalance` (CG-3): from a round on, the levels of government take a new autonomy,
//! control, or both, and with `power` every agency of level l takes power `p_l` in that
//! round (a value stored, not a distribution drawn again): a reform that decentralises or
//! recentralises ("Integrating and Rebalancing Governance").

use serde::{Deserialize, Serialize};

use super::{Build, Effect, Label, LabelArg, Setting};
use crate::scenario::ScenarioError;

/// `type = "rebalance"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRebalance {
    /// First round.
    pub round: u32,
    /// The autonomy `a` from then on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autonomy: Option<f64>,
    /// The control `chi` from then on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control: Option<f64>,
    /// Power of every agency at each level (national, province, regency) from then on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power: Option<[f64; 3]>,
}

/// A validated `rebalance`.
#[derive(Clone, Debug, PartialEq)]
pub struct Rebalance {
    /// First round.
    pub round: u32,
    /// New autonomy.
    pub autonomy: Option<f64>,
    /// New control.
    pub control: Option<f64>,
    /// New powers by level.
    pub power: Option<[f64; 3]>,
}

impl RawRebalance {
    pub(crate) fn validate(
        &self,
        key: &str,
        b: &mut Build<'_>,
    ) -> Result<Rebalance, ScenarioError> {
        b.needs_levels(key, "rebalance")?;
        b.check_round(&format!("{key}.round"), self.round)?;
        if self.autonomy.is_none() && self.control.is_none() && self.power.is_none() {
            return Err(b.ctx.err(
                key,
                "expected autonomy, control or power to change, found none of them",
            ));
        }
        for (name, v) in [("autonomy", self.autonomy), ("control", self.control)] {
            if let Some(v) = v {
                b.unit(&format!("{key}.{name}"), v)?;
            }
        }
        if let Some(power) = self.power {
            for (l, &p) in power.iter().enumerate() {
                b.unit(&format!("{key}.power[{l}]"), p)?;
            }
        }
        Ok(Rebalance {
            round: self.round,
            autonomy: self.autonomy,
            control: self.control,
            power: self.power,
        })
    }
}

impl Effect for Rebalance {
    fn first_round(&self) -> u32 {
        self.round
    }

    /// The round after it, when `power` is no longer given (it is given in its round only).
    fn last_change(&self) -> u32 {
        self.round.saturating_add(1)
    }

    fn label(&self, _sectors: &[String]) -> Label {
        let mut parts = Vec::new();
        if let Some(a) = self.autonomy {
            parts.push(Label::new(
                "intervention-rebalance-autonomy",
                vec![("value", LabelArg::Number(a))],
            ));
        }
        if let Some(c) = self.control {
            parts.push(Label::new(
                "intervention-rebalance-control",
                vec![("value", LabelArg::Number(c))],
            ));
        }
        if self.power.is_some() {
            parts.push(Label::new("intervention-rebalance-power", vec![]));
        }
        Label::new(
            "intervention-rebalance",
            vec![("parts", LabelArg::Parts(parts))],
        )
    }

    fn change(&self, t: u32, setting: &mut Setting) {
        if t < self.round {
            return;
        }
        if let Some(a) = self.autonomy {
            setting.autonomy = a;
        }
        if let Some(c) = self.control {
            setting.control = c;
        }
        if t == self.round && self.power.is_some() {
            setting.repower = self.power;
        }
    }
}
