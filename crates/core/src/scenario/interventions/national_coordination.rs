//! `national_coordination` (CG-3): from a round on, the national agencies of each named
//! sector (or of every sector) gain a relation, at the given trust both ways, to every
//! agency of that sector in every other unit where none exists: a coordinating line that
//! skips the province. Such a relation counts as vertical for the autonomy rule, control
//! and the metrics, whatever the levels it joins.

use serde::{Deserialize, Serialize};

use super::{AddRelation, Build, Effect, Label, LabelArg, Relations};
use crate::scenario::{MAX_INTERVENTION_RELATIONS, ScenarioError, Window};

fn default_trust() -> f64 {
    0.5
}

/// Which sectors: a list of names, or `"all"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RawSectors {
    /// `"all"`.
    All(String),
    /// Named sectors.
    Named(Vec<String>),
}

impl Default for RawSectors {
    fn default() -> Self {
        RawSectors::All("all".to_string())
    }
}

/// `type = "national_coordination"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNationalCoordination {
    /// Round the relations appear.
    pub round: u32,
    /// The sectors coordinated (default `"all"`).
    #[serde(default)]
    pub sectors: RawSectors,
    /// Initial trust both ways (default 0.5).
    #[serde(default = "default_trust")]
    pub trust: f64,
}

/// A validated national coordination.
#[derive(Clone, Debug, PartialEq)]
pub struct NationalCoordination {
    /// Round the relations appear.
    pub round: u32,
    /// Sector indices.
    pub sectors: Vec<u32>,
    /// Their initial trust.
    pub trust: f64,
    /// The relations it added, each pair once (known once the network is built).
    pub added: Vec<(u32, u32)>,
}

impl RawNationalCoordination {
    pub(crate) fn validate(
        &self,
        key: &str,
        b: &mut Build<'_>,
    ) -> Result<NationalCoordination, ScenarioError> {
        b.needs_levels(key, "national_coordination")?;
        b.check_round(&format!("{key}.round"), self.round)?;
        b.unit(&format!("{key}.trust"), self.trust)?;
        let sectors = match &self.sectors {
            RawSectors::All(word) if word == "all" => (0..b.sectors.len() as u32).collect(),
            RawSectors::All(word) => {
                return Err(b.ctx.err(
                    &format!("{key}.sectors"),
                    format!(
                        "expected \"all\" or a list of sector names, found \"{}\"",
                        crate::scenario::error::excerpt(word)
                    ),
                ));
            }
            RawSectors::Named(names) => {
                let mut out = Vec::new();
                for name in names {
                    let s = b.sector(&format!("{key}.sectors"), name)?;
                    if !out.contains(&s) {
                        out.push(s);
                    }
                }
                out
            }
        };
        Ok(NationalCoordination {
            round: self.round,
            sectors,
            trust: self.trust,
            added: Vec::new(),
        })
    }
}

impl NationalCoordination {
    /// Adds its relations: for each sector, every national agency with every agency of the
    /// sector in another unit, in actor order.
    pub(crate) fn relations(
        &mut self,
        r: &mut Relations<'_>,
        add: &mut AddRelation<'_>,
    ) -> Result<(), ScenarioError> {
        let actors = &r.actors[..r.n_original];
        let window = Window {
            from: self.round,
            until: u32::MAX,
            trust: Some(self.trust),
        };
        let mut added = Vec::new();
        for &s in &self.sectors {
            let of_sector = |unit_is_national: bool| {
                (0..actors.len() as u32).filter(move |&a| {
                    let actor = &actors[a as usize];
                    actor.kind.is_agency()
                        && actor.sector == s
                        && (actor.unit == 0) == unit_is_national
                })
            };
            let national: Vec<u32> = of_sector(true).collect();
            let others: Vec<u32> = of_sector(false).collect();
            let expected = national.len() as u64 * others.len() as u64;
            if expected > MAX_INTERVENTION_RELATIONS {
                return Err(r.ctx.err(
                    "interventions",
                    format!(
                        "expected a national coordination of at most {MAX_INTERVENTION_RELATIONS} relations, found {expected}; name fewer sectors"
                    ),
                ));
            }
            for &n in &national {
                for &a in &others {
                    if add(n, a, window) {
                        added.push((n.min(a), n.max(a)));
                    }
                }
            }
        }
        self.added = added;
        Ok(())
    }
}

impl Effect for NationalCoordination {
    fn first_round(&self) -> u32 {
        self.round
    }

    fn label(&self, _sectors: &[String]) -> Label {
        Label::new(
            "intervention-national-coordination",
            vec![("relations", LabelArg::Text(self.added.len().to_string()))],
        )
    }
}
