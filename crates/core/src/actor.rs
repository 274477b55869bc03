//! Actors of the forum: public agencies and the non-state kinds of the seed.

use std::fmt;
use std::str::FromStr;

/// What an actor is. Agencies always take part in a round; non-state actors take part with
/// probability `inclusiveness`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A public agency (lembaga publik).
    Agency,
    /// A non-governmental organisation.
    Ngo,
    /// Business.
    Business,
    /// A community (masyarakat).
    Community,
    /// Academia.
    Academia,
    /// Media.
    Media,
}

impl Kind {
    /// Every kind, agencies first.
    pub const ALL: [Kind; 6] = [
        Kind::Agency,
        Kind::Ngo,
        Kind::Business,
        Kind::Community,
        Kind::Academia,
        Kind::Media,
    ];

    /// The name used in scenario files and output.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Agency => "agency",
            Kind::Ngo => "ngo",
            Kind::Business => "business",
            Kind::Community => "community",
            Kind::Academia => "academia",
            Kind::Media => "media",
        }
    }

    /// Whether this is a public agency.
    pub fn is_agency(self) -> bool {
        self == Kind::Agency
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Kind::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| {
                format!("expected one of agency, ngo, business, community, academia, media, found \"{}\"", crate::scenario::error::excerpt(s))
            })
    }
}

/// One actor of a built forum. Its initial state is drawn per replicate from its
/// [`Profile`](crate::Profile), except the values fixed in [`Actor::fixed`].
#[derive(Clone, Debug, PartialEq)]
pub struct Actor {
    /// Identifier, unique in the forum (given, or `sector-kind-n` when generated).
    pub id: String,
    /// Display name (the id when none was given).
    pub name: String,
    /// Agency or a non-state kind.
    pub kind: Kind,
    /// Index of the actor's sector in [`Forum::sectors`](crate::Forum::sectors).
    pub sector: u32,
    /// Its unit of government (CG-3; 0, the national government, without levels).
    pub unit: u32,
    /// Index of the profile its initial values are drawn from.
    pub profile: u32,
    /// Round from which the actor exists (0 for the original forum; later for an actor added
    /// by an intervention such as a coordinating agency).
    pub joins_at: u32,
    /// Values fixed by the scenario instead of drawn.
    pub fixed: Option<Box<FixedValues>>,
}

/// Initial values given explicitly for one actor (an actor table or file).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FixedValues {
    /// Power `p_i`.
    pub power: Option<f64>,
    /// Capacity `k_i`.
    pub capacity: Option<f64>,
    /// Culture `q_i`.
    pub culture: Option<f64>,
    /// Commitment `c_i` at round 0.
    pub commitment: Option<f64>,
    /// View `x_i`, one value per issue.
    pub view: Option<Vec<f64>>,
}

/// The seven collaborative-culture indicators of Pérez López et al. (2004), as cited in the
/// seed: culture is their mean.
pub const CULTURE_INDICATORS: [&str; 7] = [
    "change is seen as natural and necessary",
    "staff are valued as assets",
    "fair regard for staff who take reasonable risks",
    "differing opinions are encouraged",
    "problems are discussed openly to avoid conflict",
    "collaboration and teamwork across divisions are encouraged",
    "every division is aware of the quality of its service",
];

/// Culture from the seven indicator scores (each in [0, 1]): their mean.
pub fn culture_from_indicators(scores: &[f64]) -> Result<f64, String> {
    if scores.len() != CULTURE_INDICATORS.len() {
        return Err(format!(
            "expected 7 indicator scores, found {}",
            scores.len()
        ));
    }
    if let Some(bad) = scores
        .iter()
        .find(|v| !(v.is_finite() && (0.0..=1.0).contains(*v)))
    {
        return Err(format!(
            "expected every indicator score in [0, 1], found {bad}"
        ));
    }
    Ok(scores.iter().sum::<f64>() / 7.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_unknown_is_named() {
        for kind in Kind::ALL {
            assert_eq!(kind.name().parse::<Kind>().unwrap(), kind);
        }
        assert!("church".parse::<Kind>().unwrap_err().contains("\"church\""));
    }

    #[test]
    fn culture_is_the_mean_of_seven_scores() {
        let c = culture_from_indicators(&[1.0, 0.5, 0.5, 0.0, 1.0, 0.5, 0.0]).unwrap();
        assert!((c - 0.5).abs() < 1e-12);
        assert!(culture_from_indicators(&[0.5; 6]).is_err());
        assert!(culture_from_indicators(&[0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1.2]).is_err());
    }
}
