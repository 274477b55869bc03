//! `union`: from a round on, the silo no longer blocks dialogue (CG-1) or assistance
//! (CG-2) among the named sectors, while every metric still reports the original sectors
//! (unlike `merge`, which makes them one). Two unions sharing a sector do not chain.

use serde::{Deserialize, Serialize};

use super::{Build, Effect, Label, LabelArg, Setting, names};
use crate::scenario::ScenarioError;

/// `type = "union"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUnion {
    /// First round.
    pub round: u32,
    /// Sectors in the union (at least two), unless it names `units`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<String>,
    /// Units of government in the union (ids or names; with `[levels]`): their actors'
    /// dialogues and assistance escape silo and autonomy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<String>,
}

/// A validated `union`.
#[derive(Clone, Debug, PartialEq)]
pub struct Union {
    /// First round.
    pub round: u32,
    /// Sector indices (empty when it names units).
    pub sectors: Vec<u32>,
    /// Unit indices and the number of units (empty when it names sectors).
    pub units: (Vec<u32>, usize),
}

impl RawUnion {
    pub(crate) fn validate(&self, key: &str, b: &mut Build<'_>) -> Result<Union, ScenarioError> {
        b.check_round(&format!("{key}.round"), self.round)?;
        let (sectors, units) =
            super::task_force::sectors_or_units(b, key, &self.sectors, &self.units)?;
        Ok(Union {
            round: self.round,
            sectors,
            units,
        })
    }
}

impl Effect for Union {
    fn first_round(&self) -> u32 {
        self.round
    }

    fn label(&self, sectors: &[String]) -> Label {
        if self.units.0.is_empty() {
            Label::new(
                "intervention-union",
                vec![("sectors", names(sectors, &self.sectors))],
            )
        } else {
            Label::new(
                "intervention-union-governments",
                vec![("count", LabelArg::Text(self.units.0.len().to_string()))],
            )
        }
    }

    fn exempt(&self, t: u32, setting: &mut Setting) {
        if t < self.round {
            return;
        }
        if self.units.0.is_empty() {
            setting.exempt_among(&self.sectors);
        } else {
            setting.exempt_units(&self.units.0, self.units.1);
        }
    }
}
