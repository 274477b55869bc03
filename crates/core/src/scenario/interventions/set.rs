//! `set`: a parameter takes a new value from a round on (e.g. leadership improves, the silo
//! is lowered by decree). The parameter is resolved to a typed id when the scenario is read.

use serde::{Deserialize, Serialize};

use super::{Build, Effect, Label, LabelArg, Setting};
use crate::params::{ParamId, Params};
use crate::scenario::ScenarioError;

/// `type = "set"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSet {
    /// First round with the new value.
    pub round: u32,
    /// Parameter name, e.g. `silo` or `good_faith.b0`.
    pub parameter: String,
    /// New value.
    pub value: f64,
}

/// A validated `set`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SetParameter {
    /// First round with the new value.
    pub round: u32,
    /// The parameter.
    pub parameter: ParamId,
    /// Its new value (in the parameter's range).
    pub value: f64,
}

impl RawSet {
    pub(crate) fn validate(
        &self,
        key: &str,
        b: &mut Build<'_>,
    ) -> Result<SetParameter, ScenarioError> {
        b.check_round(&format!("{key}.round"), self.round)?;
        Params::default()
            .set(&self.parameter, self.value)
            .map_err(|m| b.ctx.err(&format!("{key}.parameter"), m))?;
        let parameter = Params::id(&self.parameter)
            .ok_or_else(|| b.ctx.err(&format!("{key}.parameter"), "unknown parameter"))?;
        Ok(SetParameter {
            round: self.round,
            parameter,
            value: self.value,
        })
    }
}

impl Effect for SetParameter {
    fn first_round(&self) -> u32 {
        self.round
    }

    fn label(&self, _sectors: &[String]) -> Label {
        Label::new(
            "intervention-set",
            vec![
                (
                    "parameter",
                    LabelArg::Parameter(self.parameter.name().to_string()),
                ),
                ("value", LabelArg::Number(self.value)),
            ],
        )
    }

    fn change(&self, t: u32, setting: &mut Setting) {
        if t == self.round {
            setting.params.set_id(self.parameter, self.value);
        }
    }
}
