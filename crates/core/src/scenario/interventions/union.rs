//! `union`: from a round on, the silo no longer blocks dialogue (CG-1) or assistance
//! (CG-2) among the named sectors, while every metric still reports the original sectors
//! (unlike `merge`, which makes them one). Two unions sharing a sector do not chain.

use serde::{Deserialize, Serialize};

use super::{Build, Effect, Setting, names};
use crate::scenario::ScenarioError;

/// `type = "union"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUnion {
    /// First round.
    pub round: u32,
    /// Sectors in the union (at least two).
    pub sectors: Vec<String>,
}

/// A validated `union`.
#[derive(Clone, Debug, PartialEq)]
pub struct Union {
    /// First round.
    pub round: u32,
    /// Sector indices.
    pub sectors: Vec<u32>,
}

impl RawUnion {
    pub(crate) fn validate(&self, key: &str, b: &mut Build<'_>) -> Result<Union, ScenarioError> {
        b.check_round(&format!("{key}.round"), self.round)?;
        let sectors = b.sector_list(&format!("{key}.sectors"), &self.sectors)?;
        Ok(Union {
            round: self.round,
            sectors,
        })
    }
}

impl Effect for Union {
    fn first_round(&self) -> u32 {
        self.round
    }

    fn label(&self, sectors: &[String]) -> String {
        format!("union {}", names(sectors, &self.sectors))
    }

    fn exempt(&self, t: u32, setting: &mut Setting) {
        if t < self.round {
            return;
        }
        setting.exempt_among(&self.sectors);
    }
}
