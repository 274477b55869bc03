//! `task_force`: a cross-sector task force (gugus tugas) between two rounds: its members'
//! relations exist during those rounds, and the silo does not block dialogue among its
//! sectors. With levels of government it may name `units` instead: its members are their
//! agencies, and neither silo nor autonomy blocks dialogue or assistance among them.

use serde::{Deserialize, Serialize};

use super::{AddRelation, Build, Effect, Label, LabelArg, Relations, Setting, names};
use crate::scenario::{MAX_INTERVENTION_RELATIONS, ScenarioError, Window};

fn default_trust() -> f64 {
    0.5
}

/// `type = "task_force"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTaskForce {
    /// First round.
    pub from: u32,
    /// Last round.
    pub until: u32,
    /// Sectors taking part (at least two), unless it names `units`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<String>,
    /// Units of government taking part (ids or names; with `[levels]`), instead of sectors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<String>,
    /// Trust on the relations it creates (default 0.5).
    #[serde(default = "default_trust")]
    pub trust: f64,
}

/// A validated task force.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskForce {
    /// First round.
    pub from: u32,
    /// Last round (inclusive).
    pub until: u32,
    /// Sector indices (empty when it names units).
    pub sectors: Vec<u32>,
    /// Unit indices, and the number of units (empty when it names sectors).
    pub units: (Vec<u32>, usize),
    /// Trust on the relations it creates.
    pub trust: f64,
}

impl RawTaskForce {
    pub(crate) fn validate(
        &self,
        key: &str,
        b: &mut Build<'_>,
    ) -> Result<TaskForce, ScenarioError> {
        b.check_round(&format!("{key}.from"), self.from)?;
        if self.until < self.from {
            return Err(b.ctx.err(
                &format!("{key}.until"),
                format!(
                    "expected a round >= from ({}), found {}",
                    self.from, self.until
                ),
            ));
        }
        b.unit(&format!("{key}.trust"), self.trust)?;
        let (sectors, units) = sectors_or_units(b, key, &self.sectors, &self.units)?;
        Ok(TaskForce {
            from: self.from,
            until: self.until,
            sectors,
            units,
            trust: self.trust,
        })
    }
}

impl TaskForce {
    /// Relations among all its members, for its rounds.
    pub(crate) fn relations(
        &self,
        r: &mut Relations<'_>,
        add: &mut AddRelation<'_>,
    ) -> Result<(), ScenarioError> {
        let member = |a: &crate::actor::Actor| {
            if self.units.0.is_empty() {
                self.sectors.contains(&a.sector)
            } else {
                a.kind.is_agency() && self.units.0.contains(&a.unit)
            }
        };
        let members: Vec<u32> = (0..r.actors.len() as u32)
            .filter(|&a| member(&r.actors[a as usize]))
            .collect();
        let m = members.len() as u64;
        let pairs = m * m.saturating_sub(1) / 2;
        if pairs > MAX_INTERVENTION_RELATIONS {
            return Err(r.ctx.err(
                "interventions",
                format!(
                    "expected a task force of at most {MAX_INTERVENTION_RELATIONS} possible relations, found {m} members ({pairs} pairs); name fewer or smaller sectors"
                ),
            ));
        }
        let window = Window {
            from: self.from,
            until: self.until,
            trust: Some(self.trust),
        };
        for (x, &a) in members.iter().enumerate() {
            for &b in &members[x + 1..] {
                let _ = add(a, b, window);
            }
        }
        Ok(())
    }
}

impl Effect for TaskForce {
    fn first_round(&self) -> u32 {
        self.from
    }

    fn last_change(&self) -> u32 {
        self.until.saturating_add(1)
    }

    fn label(&self, sectors: &[String]) -> Label {
        let (key, who) = if !self.units.0.is_empty() {
            (
                "intervention-task-force-governments",
                LabelArg::Text(self.units.0.len().to_string()),
            )
        } else if self.sectors.len() > 3 {
            (
                "intervention-task-force-many",
                LabelArg::Text(self.sectors.len().to_string()),
            )
        } else {
            ("intervention-task-force", names(sectors, &self.sectors))
        };
        Label::new(
            key,
            vec![
                ("who", who),
                ("from", LabelArg::Text(self.from.to_string())),
                ("until", LabelArg::Text(self.until.to_string())),
            ],
        )
    }

    fn exempt(&self, t: u32, setting: &mut Setting) {
        if t < self.from || t > self.until {
            return;
        }
        if self.units.0.is_empty() {
            setting.exempt_among(&self.sectors);
        } else {
            setting.exempt_units(&self.units.0, self.units.1);
        }
    }
}

/// Who a task force or union gathers: sector indices, or unit indices with the number of
/// units.
type Members = (Vec<u32>, (Vec<u32>, usize));

/// A task force's or union's `sectors` (at least two) or, with levels of government, its
/// `units` (at least one): exactly one of the two.
pub(crate) fn sectors_or_units(
    b: &Build<'_>,
    key: &str,
    sectors: &[String],
    units: &[String],
) -> Result<Members, ScenarioError> {
    match (sectors.is_empty(), units.is_empty()) {
        (false, false) => Err(b.ctx.err(
            &format!("{key}.units"),
            "expected sectors or units, found both",
        )),
        (true, false) => Ok((Vec::new(), b.unit_list(&format!("{key}.units"), units)?)),
        _ => Ok((
            b.sector_list(&format!("{key}.sectors"), sectors)?,
            (Vec::new(), 0),
        )),
    }
}
