//! The services extension (CG-2, docs/model.md "Services"): the `[services]` table as a
//! file writes it (every key with MODEL-CG2.md's default) and its validation into
//! [`Services`]. A scenario without the table has no services, and runs CG-1 unchanged.

use serde::{Deserialize, Serialize};

use super::{Ctx, ScenarioError};
use crate::actor::Actor;

/// How a request's contributions move between agencies (the seed's service patterns).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pattern {
    /// The citizen carries the request from agency to agency (pola pelayanan teknis
    /// fungsional).
    #[default]
    TechnicalFunctional,
    /// Every agency's desk under one roof (pola satu atap).
    OneRoof,
    /// One counter; the lead agency asks the others (pola satu pintu).
    OneDoor,
    /// A coordinator routes every request (pola terpusat).
    #[serde(alias = "centralized")]
    Centralised,
    /// Online: no trips, data shared electronically (pola elektronik).
    Electronic,
}

impl Pattern {
    /// Every pattern, in the table order of docs/model.md.
    pub const ALL: [Pattern; 5] = [
        Pattern::TechnicalFunctional,
        Pattern::OneRoof,
        Pattern::OneDoor,
        Pattern::Centralised,
        Pattern::Electronic,
    ];

    /// Its name in a scenario file.
    pub fn name(self) -> &'static str {
        match self {
            Pattern::TechnicalFunctional => "technical_functional",
            Pattern::OneRoof => "one_roof",
            Pattern::OneDoor => "one_door",
            Pattern::Centralised => "centralised",
            Pattern::Electronic => "electronic",
        }
    }
}

/// A kind of service request (`[[services.kinds]]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceKind {
    /// Name (`administrative`, `services`, `goods`, `regulatory`, or the user's own).
    pub name: String,
    /// Share of requests of this kind (the shares sum to 1).
    pub share: f64,
    /// Agencies a request needs, the lead included (at least 1).
    pub agencies: u32,
    /// Work units of each contribution (> 0).
    pub work: f64,
    /// Chance that a contribution asked by official assistance is refused as confidential.
    #[serde(default)]
    pub confidential: f64,
    /// With levels of government: the level (0 national, 1 province, 2 regency) of each
    /// contributor in turn, drawn in the request's regency's chain (e.g. `[2, 1, 0]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<u8>,
}

/// The assistance logit and its trust effects (`[services.assistance]`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Assistance {
    /// `a0`: intercept. Default -1.
    pub a0: f64,
    /// `aT`: weight of the pair's mutual trust. Default 4.
    #[serde(rename = "aT")]
    pub a_t: f64,
    /// `aL`: weight of leadership. Default 1.
    #[serde(rename = "aL")]
    pub a_l: f64,
    /// `aM`: weight of a mutual aid agreement. Default 2.
    #[serde(rename = "aM")]
    pub a_m: f64,
    /// `alphaA`: trust gained both ways when assistance is granted. Default 0.05.
    pub trust_gain: f64,
    /// `gammaA`: share of the asker's trust lost when refused. Default 0.10.
    pub trust_loss: f64,
}

impl Default for Assistance {
    fn default() -> Self {
        Assistance {
            a0: -1.0,
            a_t: 4.0,
            a_l: 1.0,
            a_m: 2.0,
            trust_gain: 0.05,
            trust_loss: 0.10,
        }
    }
}

/// What an overloaded agency lacks, by share (`[services.shortage]`): grounds b (staff,
/// facilities), c (knowledge) and e (funds) of Bantuan Kedinasan.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Shortage {
    /// Staff: answered by technical assistance. Default 0.4.
    pub staff: f64,
    /// Facilities: answered by an equipment loan. Default 0.2.
    pub facilities: f64,
    /// Knowledge: answered by training. Default 0.2.
    pub knowledge: f64,
    /// Funds: answered by grant management. Default 0.2.
    pub funds: f64,
}

impl Default for Shortage {
    fn default() -> Self {
        Shortage {
            staff: 0.4,
            facilities: 0.2,
            knowledge: 0.2,
            funds: 0.2,
        }
    }
}

impl Shortage {
    /// The shares in the order staff, facilities, knowledge, funds.
    pub fn shares(&self) -> [f64; 4] {
        [self.staff, self.facilities, self.knowledge, self.funds]
    }
}

/// The default request kinds of MODEL-CG2.md.
pub fn default_kinds() -> Vec<ServiceKind> {
    let kind = |name: &str, share, agencies, work, confidential| ServiceKind {
        name: name.to_string(),
        share,
        agencies,
        work,
        confidential,
        levels: Vec::new(),
    };
    vec![
        kind("administrative", 0.4, 2, 1.0, 0.1),
        kind("services", 0.3, 2, 2.0, 0.0),
        kind("goods", 0.2, 3, 3.0, 0.0),
        kind("regulatory", 0.1, 2, 1.0, 0.2),
    ]
}

/// The `[services]` table as written, every key with its default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawServices {
    /// `R`: mean requests filed per round per agency. Default 0.5.
    pub requests: f64,
    /// Pattern in force from round 1. Default `technical_functional`.
    pub pattern: Pattern,
    /// The coordinator under `centralised`: an agency's id. Default none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coordinator: Option<String>,
    /// `theta`: work an agency of capacity 1 completes per round. Default 3.
    pub throughput: f64,
    /// `o`: overloaded when queued work exceeds `o * theta_a`. Default 2.
    pub overload: f64,
    /// `nA`: grants between a pair after which they sign an agreement (0 = never). Default 5.
    pub agreement_after: u32,
    /// `eW`: work factor under `electronic`. Default 0.5.
    pub electronic_work: f64,
    /// `kappa`: capacity gained from one training. Default 0.05.
    pub training_gain: f64,
    /// Rounds an equipment loan lasts. Default 5.
    pub loan_rounds: u32,
    /// `tc`: a citizen's cost of one trip. Default 1.
    pub trip_cost: f64,
    /// `cc`: government's cost of collecting the same data once more. Default 1.
    pub collection_cost: f64,
    /// With levels of government: a trip's cost to an agency of each level (national,
    /// province, regency). Default: `trip_cost` at every level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trip_cost_by_level: Option<[f64; 3]>,
    /// Request kinds (the file's list replaces the default four).
    pub kinds: Vec<ServiceKind>,
    /// The assistance logit.
    pub assistance: Assistance,
    /// What an overloaded agency lacks.
    pub shortage: Shortage,
}

impl Default for RawServices {
    fn default() -> Self {
        RawServices {
            requests: 0.5,
            pattern: Pattern::TechnicalFunctional,
            coordinator: None,
            throughput: 3.0,
            overload: 2.0,
            agreement_after: 5,
            electronic_work: 0.5,
            training_gain: 0.05,
            loan_rounds: 5,
            trip_cost: 1.0,
            collection_cost: 1.0,
            trip_cost_by_level: None,
            kinds: default_kinds(),
            assistance: Assistance::default(),
            shortage: Shortage::default(),
        }
    }
}

/// The validated services extension.
#[derive(Clone, Debug, PartialEq)]
pub struct Services {
    /// `R`.
    pub requests: f64,
    /// Request kinds (shares sum to 1).
    pub kinds: Vec<ServiceKind>,
    /// Pattern in force from round 1.
    pub pattern: Pattern,
    /// The coordinator's actor index.
    pub coordinator: Option<u32>,
    /// `theta`.
    pub throughput: f64,
    /// `o`.
    pub overload: f64,
    /// The assistance logit.
    pub assistance: Assistance,
    /// `nA`.
    pub agreement_after: u32,
    /// `eW`.
    pub electronic_work: f64,
    /// Shares of staff, facilities, knowledge, funds.
    pub shortage: [f64; 4],
    /// `kappa`.
    pub training_gain: f64,
    /// Rounds an equipment loan lasts.
    pub loan_rounds: u32,
    /// `tc`.
    pub trip_cost: f64,
    /// `cc`.
    pub collection_cost: f64,
    /// A trip's cost by the level of the agency visited (levels of government), when given.
    pub trip_cost_by_level: Option<[f64; 3]>,
}

/// Shares must sum to 1 within this.
const SHARE_TOLERANCE: f64 = 1e-9;

/// The agency whose id is `id`, as an actor index, or an error at `key`.
pub(crate) fn agency_id(
    ctx: &Ctx<'_>,
    key: &str,
    actors: &[Actor],
    id: &str,
) -> Result<u32, ScenarioError> {
    match actors.iter().position(|a| a.id == id) {
        Some(i) if actors[i].kind.is_agency() => Ok(i as u32),
        Some(_) => Err(ctx.err(
            key,
            format!(
                "expected the id of a public agency, found \"{}\", which is a non-state actor",
                super::error::excerpt(id)
            ),
        )),
        None => {
            let agencies: Vec<&str> = actors
                .iter()
                .filter(|a| a.kind.is_agency())
                .map(|a| a.id.as_str())
                .take(6)
                .collect();
            Err(ctx.err(
                key,
                format!(
                    "expected the id of an agency (e.g. {}; a coordinating agency is \"SECTOR-coordinator-1\"), found \"{}\"",
                    agencies.join(", "),
                    super::error::excerpt(id)
                ),
            ))
        }
    }
}

impl RawServices {
    /// Validates the table against the built actors (`actors` includes agencies that
    /// interventions add).
    pub(crate) fn validate(
        &self,
        ctx: &Ctx<'_>,
        actors: &[Actor],
    ) -> Result<Services, ScenarioError> {
        let at_least = |key: &str, v: f64, lo: f64, open: bool| at_least(ctx, key, v, lo, open);
        let unit = |key: &str, v: f64| super::unit(ctx, &format!("services.{key}"), v);
        let finite = |key: &str, v: f64| at_least(key, v, f64::NEG_INFINITY, false);
        at_least("requests", self.requests, 0.0, false)?;
        if self.requests > 1.0e6 {
            return Err(ctx.err(
                "services.requests",
                format!(
                    "expected at most 1000000 requests per agency and round, found {}",
                    self.requests
                ),
            ));
        }
        at_least("throughput", self.throughput, 0.0, true)?;
        at_least("overload", self.overload, 0.0, false)?;
        at_least("electronic_work", self.electronic_work, 0.0, true)?;
        unit("training_gain", self.training_gain)?;
        at_least("trip_cost", self.trip_cost, 0.0, false)?;
        at_least("collection_cost", self.collection_cost, 0.0, false)?;
        if let Some(costs) = self.trip_cost_by_level {
            for (l, c) in costs.iter().enumerate() {
                at_least(&format!("trip_cost_by_level[{l}]"), *c, 0.0, false)?;
            }
        }
        if self.loan_rounds == 0 {
            return Err(ctx.err("services.loan_rounds", "expected at least 1 round, found 0"));
        }
        let a = &self.assistance;
        finite("assistance.a0", a.a0)?;
        finite("assistance.aT", a.a_t)?;
        finite("assistance.aL", a.a_l)?;
        finite("assistance.aM", a.a_m)?;
        unit("assistance.trust_gain", a.trust_gain)?;
        unit("assistance.trust_loss", a.trust_loss)?;
        let shortage = self.shortage.shares();
        for (name, v) in ["staff", "facilities", "knowledge", "funds"]
            .iter()
            .zip(shortage)
        {
            unit(&format!("shortage.{name}"), v)?;
        }
        let total: f64 = shortage.iter().sum();
        if (total - 1.0).abs() > SHARE_TOLERANCE {
            return Err(ctx.err(
                "services.shortage",
                format!("expected shares that sum to 1, found a sum of {total}"),
            ));
        }
        self.check_kinds(ctx)?;
        if !actors.iter().any(|a| a.kind.is_agency()) {
            return Err(ctx.err(
                "services",
                "expected a forum with at least one public agency (services are filed with agencies), found none",
            ));
        }
        let coordinator = match &self.coordinator {
            Some(id) => Some(agency_id(ctx, "services.coordinator", actors, id)?),
            None => None,
        };
        Ok(Services {
            requests: self.requests,
            kinds: self.kinds.clone(),
            pattern: self.pattern,
            coordinator,
            throughput: self.throughput,
            overload: self.overload,
            assistance: self.assistance,
            agreement_after: self.agreement_after,
            electronic_work: self.electronic_work,
            shortage,
            training_gain: self.training_gain,
            loan_rounds: self.loan_rounds,
            trip_cost: self.trip_cost,
            collection_cost: self.collection_cost,
            trip_cost_by_level: self.trip_cost_by_level,
        })
    }
}

impl RawServices {
    /// The kinds of request: at least one, each with shares, confidentiality and work in
    /// range, a lead agency and a name of its own; their shares summing to 1.
    fn check_kinds(&self, ctx: &Ctx<'_>) -> Result<(), ScenarioError> {
        let unit = |key: &str, v: f64| super::unit(ctx, &format!("services.{key}"), v);
        if self.kinds.is_empty() {
            return Err(ctx.err(
                "services.kinds",
                "expected at least one kind of request, found none",
            ));
        }
        let mut names: Vec<&str> = Vec::new();
        for (k, kind) in self.kinds.iter().enumerate() {
            let key = format!("kinds[{k}]");
            unit(&format!("{key}.share"), kind.share)?;
            unit(&format!("{key}.confidential"), kind.confidential)?;
            at_least(ctx, &format!("{key}.work"), kind.work, 0.0, true)?;
            if kind.agencies == 0 {
                return Err(ctx.err(
                    &format!("services.{key}.agencies"),
                    "expected at least 1 agency (the lead), found 0",
                ));
            }
            if let Some(l) = kind.levels.iter().position(|&l| l > 2) {
                return Err(ctx.err(
                    &format!("services.{key}.levels[{l}]"),
                    format!("expected a level 0, 1 or 2, found {}", kind.levels[l]),
                ));
            }
            if names.contains(&kind.name.as_str()) {
                return Err(ctx.err(
                    &format!("services.{key}.name"),
                    format!(
                        "expected distinct kind names, found \"{}\" twice",
                        super::error::excerpt(&kind.name)
                    ),
                ));
            }
            names.push(&kind.name);
        }
        let total: f64 = self.kinds.iter().map(|k| k.share).sum();
        if (total - 1.0).abs() > SHARE_TOLERANCE {
            return Err(ctx.err(
                "services.kinds",
                format!("expected shares that sum to 1, found a sum of {total}"),
            ));
        }
        Ok(())
    }
}

/// `services.KEY` as a finite number above `lo` (`open`) or at least `lo`.
fn at_least(ctx: &Ctx<'_>, key: &str, v: f64, lo: f64, open: bool) -> Result<f64, ScenarioError> {
    let ok = v.is_finite() && if open { v > lo } else { v >= lo };
    if ok {
        Ok(v)
    } else if lo == f64::NEG_INFINITY {
        Err(ctx.err(
            &format!("services.{key}"),
            format!("expected a finite number, found {v}"),
        ))
    } else {
        let op = if open { ">" } else { ">=" };
        Err(ctx.err(
            &format!("services.{key}"),
            format!("expected a finite number {op} {lo}, found {v}"),
        ))
    }
}

/// The service pattern and coordinator in force in a round (changed by `service_pattern`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Routing {
    /// Pattern for requests filed this round.
    pub pattern: Pattern,
    /// The coordinator under `centralised` (an actor index).
    pub coordinator: Option<u32>,
}
