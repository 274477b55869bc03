//! `mutual_aid`: the agreements of a strategic alliance: at its round every pair of the
//! named agencies (by sector or by id) without a mutual aid agreement signs one. Needs
//! `[services]`.

use serde::{Deserialize, Serialize};

use super::{Build, Effect, Label, LabelArg, Setting};
use crate::scenario::ScenarioError;

/// `type = "mutual_aid"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMutualAid {
    /// Round the agreements are signed.
    pub round: u32,
    /// Sectors whose agencies sign (every agency of each).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<String>,
    /// Agencies that sign, by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agencies: Vec<String>,
}

/// A validated `mutual_aid`.
#[derive(Clone, Debug, PartialEq)]
pub struct MutualAid {
    /// Round.
    pub round: u32,
    /// The signing agencies' actor indices, ascending.
    pub agencies: Vec<u32>,
    /// Label: the sectors or the number of agencies.
    label: String,
}

impl RawMutualAid {
    pub(crate) fn validate(
        &self,
        key: &str,
        b: &mut Build<'_>,
    ) -> Result<MutualAid, ScenarioError> {
        b.check_round(&format!("{key}.round"), self.round)?;
        b.needs_services(key, "mutual_aid")?;
        let mut agencies: Vec<u32> = Vec::new();
        for (k, name) in self.sectors.iter().enumerate() {
            let s = b.sector(&format!("{key}.sectors[{k}]"), name)?;
            agencies.extend(
                b.actors
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| a.sector == s && a.kind.is_agency())
                    .map(|(i, _)| i as u32),
            );
        }
        for (k, id) in self.agencies.iter().enumerate() {
            agencies.push(crate::scenario::services::agency_id(
                b.ctx,
                &format!("{key}.agencies[{k}]"),
                b.actors,
                id,
            )?);
        }
        agencies.sort_unstable();
        agencies.dedup();
        if agencies.len() < 2 {
            return Err(b.ctx.err(
                key,
                format!(
                    "expected `sectors` or `agencies` naming at least two agencies, found {}",
                    agencies.len()
                ),
            ));
        }
        let label = if self.agencies.is_empty() && self.sectors.len() <= 3 {
            self.sectors.join("+")
        } else {
            format!("{} agencies", agencies.len())
        };
        Ok(MutualAid {
            round: self.round,
            agencies,
            label,
        })
    }
}

impl Effect for MutualAid {
    fn first_round(&self) -> u32 {
        self.round
    }

    fn last_change(&self) -> u32 {
        // The round after, when nobody signs any more.
        self.round.saturating_add(1)
    }

    fn label(&self, _sectors: &[String]) -> Label {
        Label::new(
            "intervention-mutual-aid",
            vec![("name", LabelArg::Text(self.label.clone()))],
        )
    }

    fn change(&self, t: u32, setting: &mut Setting) {
        if t == self.round {
            setting.signing.push(self.agencies.clone());
        }
    }
}
