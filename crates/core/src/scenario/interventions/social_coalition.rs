//! `social_coalition`: from a round on, each missing relation between a non-state actor and
//! an agency appears with a chance (koalisi sosial: society organised to work with
//! government).

use serde::{Deserialize, Serialize};

use super::{AddRelation, Build, Effect, Label, LabelArg, Relations};
use crate::graph;
use crate::scenario::{MAX_INTERVENTION_RELATIONS, ScenarioError, Window};

fn default_trust() -> f64 {
    0.5
}

/// `type = "social_coalition"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSocialCoalition {
    /// Round the relations appear.
    pub round: u32,
    /// Chance of each new (non-state actor, agency) relation.
    pub chance: f64,
    /// Initial trust both ways (default 0.5).
    #[serde(default = "default_trust")]
    pub trust: f64,
}

/// A validated social coalition.
#[derive(Clone, Debug, PartialEq)]
pub struct SocialCoalition {
    /// Round the relations appear.
    pub round: u32,
    /// Chance of each relation.
    pub chance: f64,
    /// Their initial trust.
    pub trust: f64,
    /// Relations it added (known once the network is built).
    pub relations: usize,
}

impl RawSocialCoalition {
    pub(crate) fn validate(
        &self,
        key: &str,
        b: &mut Build<'_>,
    ) -> Result<SocialCoalition, ScenarioError> {
        b.check_round(&format!("{key}.round"), self.round)?;
        b.unit(&format!("{key}.chance"), self.chance)?;
        b.unit(&format!("{key}.trust"), self.trust)?;
        Ok(SocialCoalition {
            round: self.round,
            chance: self.chance,
            trust: self.trust,
            relations: 0,
        })
    }
}

impl SocialCoalition {
    /// Draws its relations from the network's generator.
    pub(crate) fn relations(
        &mut self,
        r: &mut Relations<'_>,
        add: &mut AddRelation<'_>,
    ) -> Result<(), ScenarioError> {
        let actors = &r.actors[..r.n_original];
        let agencies: Vec<u32> = (0..actors.len() as u32)
            .filter(|&a| actors[a as usize].kind.is_agency())
            .collect();
        let others: Vec<u32> = (0..actors.len() as u32)
            .filter(|&a| !actors[a as usize].kind.is_agency())
            .collect();
        let expected = self.chance * agencies.len() as f64 * others.len() as f64;
        if expected > MAX_INTERVENTION_RELATIONS as f64 {
            return Err(r.ctx.err(
                "interventions",
                format!(
                    "expected a social coalition of at most {MAX_INTERVENTION_RELATIONS} relations, found about {expected:.0}; lower its chance"
                ),
            ));
        }
        let mut candidates = Vec::new();
        graph::bipartite_pairs(r.rng, &others, &agencies, self.chance, &mut candidates);
        let window = Window {
            from: self.round,
            until: u32::MAX,
            trust: Some(self.trust),
        };
        let mut added = 0;
        for (a, b) in candidates {
            if add(a, b, window) {
                added += 1;
            }
        }
        self.relations = added;
        Ok(())
    }
}

impl Effect for SocialCoalition {
    fn first_round(&self) -> u32 {
        self.round
    }

    fn label(&self, _sectors: &[String]) -> Label {
        Label::new(
            "intervention-social-coalition",
            vec![("relations", LabelArg::Text(self.relations.to_string()))],
        )
    }
}
