//! `coordinating_agency`: a coordinating agency (lembaga koordinasi khusus) joins at a
//! round, in a sector of its own, related to every agency (and, if asked, every non-state
//! actor) with a given trust.

use serde::{Deserialize, Serialize};

use super::{AddRelation, Build, Effect, Label, Relations};
use crate::actor::{Actor, Kind};
use crate::scenario::{ScenarioError, Window};

fn default_sector() -> String {
    "coordination".to_string()
}
fn default_trust() -> f64 {
    0.6
}

/// `type = "coordinating_agency"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCoordinatingAgency {
    /// Round it joins.
    pub round: u32,
    /// Its own sector (created when it does not exist). Default `coordination`.
    #[serde(default = "default_sector")]
    pub sector: String,
    /// Initial trust both ways on its relations (default 0.6).
    #[serde(default = "default_trust")]
    pub trust: f64,
    /// Relate it to non-state actors too (default false).
    #[serde(default)]
    pub include_non_state: bool,
}

/// A validated coordinating agency.
#[derive(Clone, Debug, PartialEq)]
pub struct CoordinatingAgency {
    /// Round it joins.
    pub round: u32,
    /// Its actor index.
    pub actor: u32,
    /// Trust on its relations.
    pub trust: f64,
    /// Whether it relates to non-state actors too.
    pub include_non_state: bool,
}

/// The name of the coordinating agency the intervention adds to `sector` (its actor row's
/// `name`; a chart in another language words it from this).
pub fn actor_name(sector: &str) -> String {
    format!("coordinating agency ({sector})")
}

impl RawCoordinatingAgency {
    pub(crate) fn validate(
        &self,
        key: &str,
        b: &mut Build<'_>,
    ) -> Result<CoordinatingAgency, ScenarioError> {
        b.check_round(&format!("{key}.round"), self.round)?;
        b.unit(&format!("{key}.trust"), self.trust)?;
        let s = match b.sectors.iter().position(|s| *s == self.sector) {
            Some(s) => s as u32,
            None => {
                b.sectors.push(self.sector.clone());
                (b.sectors.len() - 1) as u32
            }
        };
        let n = b
            .actors
            .iter()
            .filter(|a| a.sector == s && a.kind.is_agency())
            .count()
            + 1;
        let actor = b.actors.len() as u32;
        b.actors.push(Actor {
            name: actor_name(&self.sector),
            id: format!("{}-coordinator-{n}", self.sector),
            kind: Kind::Agency,
            sector: s,
            unit: 0,
            profile: 0,
            joins_at: self.round,
            fixed: None,
        });
        Ok(CoordinatingAgency {
            round: self.round,
            actor,
            trust: self.trust,
            include_non_state: self.include_non_state,
        })
    }
}

impl CoordinatingAgency {
    /// Its relations to every agency (and non-state actor if asked), from the round it joins.
    pub(crate) fn relations(
        &self,
        r: &mut Relations<'_>,
        add: &mut AddRelation<'_>,
    ) -> Result<(), ScenarioError> {
        let window = Window {
            from: self.round,
            until: u32::MAX,
            trust: Some(self.trust),
        };
        for (other, other_actor) in r.actors.iter().enumerate() {
            if other != self.actor as usize
                && (other_actor.kind.is_agency() || self.include_non_state)
            {
                let _ = add(self.actor, other as u32, window);
            }
        }
        Ok(())
    }
}

impl Effect for CoordinatingAgency {
    fn first_round(&self) -> u32 {
        self.round
    }

    fn label(&self, _sectors: &[String]) -> Label {
        Label::new("intervention-coordinating-agency", vec![])
    }
}
