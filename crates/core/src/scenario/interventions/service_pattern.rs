//! `service_pattern`: a service reform (e.g. a one-door integrated service, pelayanan
//! terpadu satu pintu): requests filed from its round on use the pattern; open requests
//! keep theirs. Needs `[services]`.

use serde::{Deserialize, Serialize};

use super::{Build, Effect, Label, Setting};
use crate::scenario::ScenarioError;
use crate::scenario::services::Pattern;

/// `type = "service_pattern"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawServicePattern {
    /// First round of the new pattern.
    pub round: u32,
    /// The pattern.
    pub pattern: Pattern,
    /// The coordinator under `centralised` (an agency's id); without it the one in force
    /// stays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinator: Option<String>,
}

/// A validated `service_pattern`.
#[derive(Clone, Debug, PartialEq)]
pub struct ServicePattern {
    /// First round.
    pub round: u32,
    /// The pattern.
    pub pattern: Pattern,
    /// The new coordinator's actor index, if any.
    pub coordinator: Option<u32>,
}

impl RawServicePattern {
    pub(crate) fn validate(
        &self,
        key: &str,
        b: &mut Build<'_>,
    ) -> Result<ServicePattern, ScenarioError> {
        b.check_round(&format!("{key}.round"), self.round)?;
        b.needs_services(key, "service_pattern")?;
        let coordinator = match &self.coordinator {
            Some(id) => Some(crate::scenario::services::agency_id(
                b.ctx,
                &format!("{key}.coordinator"),
                b.actors,
                id,
            )?),
            None => None,
        };
        Ok(ServicePattern {
            round: self.round,
            pattern: self.pattern,
            coordinator,
        })
    }
}

impl Effect for ServicePattern {
    fn first_round(&self) -> u32 {
        self.round
    }

    fn label(&self, _sectors: &[String]) -> Label {
        Label::new(
            match self.pattern {
                Pattern::TechnicalFunctional => "intervention-service-technical-functional",
                Pattern::OneRoof => "intervention-service-one-roof",
                Pattern::OneDoor => "intervention-service-one-door",
                Pattern::Centralised => "intervention-service-centralised",
                Pattern::Electronic => "intervention-service-electronic",
            },
            vec![],
        )
    }

    fn change(&self, t: u32, setting: &mut Setting) {
        if t == self.round {
            setting.routing.pattern = self.pattern;
            if self.coordinator.is_some() {
                setting.routing.coordinator = self.coordinator;
            }
        }
    }
}
