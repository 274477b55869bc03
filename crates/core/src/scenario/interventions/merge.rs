//! `merge`: from a round on, the named sectors are one sector (the first's name), so the
//! silo no longer blocks dialogue among them and the metrics count them as one.

use serde::{Deserialize, Serialize};

use super::{Build, Effect, Label, Setting, names};
use crate::scenario::ScenarioError;

/// `type = "merge"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMerge {
    /// First merged round.
    pub round: u32,
    /// Sectors merged (at least two); the first names the merged sector.
    pub sectors: Vec<String>,
}

/// A validated `merge`.
#[derive(Clone, Debug, PartialEq)]
pub struct Merge {
    /// First merged round.
    pub round: u32,
    /// Sector indices; the first names the merged sector.
    pub sectors: Vec<u32>,
}

impl RawMerge {
    pub(crate) fn validate(&self, key: &str, b: &mut Build<'_>) -> Result<Merge, ScenarioError> {
        b.check_round(&format!("{key}.round"), self.round)?;
        let sectors = b.sector_list(&format!("{key}.sectors"), &self.sectors)?;
        Ok(Merge {
            round: self.round,
            sectors,
        })
    }
}

impl Effect for Merge {
    fn first_round(&self) -> u32 {
        self.round
    }

    fn label(&self, sectors: &[String]) -> Label {
        Label::new(
            "intervention-merge",
            vec![("sectors", names(sectors, &self.sectors))],
        )
    }

    fn change(&self, t: u32, setting: &mut Setting) {
        if t != self.round {
            return;
        }
        let group = &mut setting.group;
        let target = group[self.sectors[0] as usize];
        let merged: Vec<u32> = self.sectors.iter().map(|&s| group[s as usize]).collect();
        for g in group.iter_mut() {
            if merged.contains(g) {
                *g = target;
            }
        }
    }
}
