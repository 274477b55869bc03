//! Whole-of-Government practices as scenario text: the switches of the classroom page
//! (`collabgov serve`), each an `[[interventions]]` entry written for the scenario at
//! hand, and [`compose`], which applies a page's settings to a scenario's TOML and returns
//! the text a run reproduces (`collabgov run` on it gives the page's numbers, byte for
//! byte, because it is the very text the page ran).

use collabgov_core::Scenario;
use collabgov_core::scenario::keypath::set_path;
use collabgov_core::scenario::overrides::append_interventions;
use collabgov_core::scenario::{ScenarioError, SetValue};

/// A practice the page can switch on from a round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Practice {
    /// A coordinating agency (lembaga koordinasi khusus) related to every agency.
    CoordinatingAgency,
    /// A task force (gugus tugas) of every sector, to the last round.
    TaskForce,
    /// A social coalition (koalisi sosial): missing non-state-agency relations appear.
    SocialCoalition,
    /// A merger of every sector into one.
    Merger,
    /// One-door service (pelayanan satu pintu), for a scenario with `[services]`.
    OneDoor,
}

impl Practice {
    /// Every practice, in the page's order.
    pub const ALL: [Practice; 5] = [
        Practice::CoordinatingAgency,
        Practice::TaskForce,
        Practice::SocialCoalition,
        Practice::Merger,
        Practice::OneDoor,
    ];

    /// Its name in requests and in the scenario format's `type`.
    pub fn key(self) -> &'static str {
        match self {
            Practice::CoordinatingAgency => "coordinating_agency",
            Practice::TaskForce => "task_force",
            Practice::SocialCoalition => "social_coalition",
            Practice::Merger => "merge",
            Practice::OneDoor => "one_door",
        }
    }

    /// The practice of a name (`key`).
    pub fn from_key(key: &str) -> Option<Practice> {
        Practice::ALL.into_iter().find(|p| p.key() == key)
    }

    /// The `[[interventions]]` entry of this practice from `round`, for a scenario with
    /// these sectors (before any practice adds one) and rounds.
    pub fn intervention(self, round: u32, sectors: &[String], rounds: u32) -> toml::Value {
        let mut t = toml::Table::new();
        let int = |v: u32| toml::Value::Integer(i64::from(v));
        let names = || {
            toml::Value::Array(
                sectors
                    .iter()
                    .map(|s| toml::Value::String(s.clone()))
                    .collect(),
            )
        };
        match self {
            Practice::CoordinatingAgency => {
                t.insert("type".into(), "coordinating_agency".into());
                t.insert("round".into(), int(round));
                t.insert("sector".into(), "coordination".into());
                t.insert("trust".into(), toml::Value::Float(0.7));
            }
            Practice::TaskForce => {
                t.insert("type".into(), "task_force".into());
                t.insert("from".into(), int(round));
                t.insert("until".into(), int(rounds.max(round)));
                t.insert("sectors".into(), names());
                t.insert("trust".into(), toml::Value::Float(0.5));
            }
            Practice::SocialCoalition => {
                t.insert("type".into(), "social_coalition".into());
                t.insert("round".into(), int(round));
                t.insert("chance".into(), toml::Value::Float(0.3));
                t.insert("trust".into(), toml::Value::Float(0.5));
            }
            Practice::Merger => {
                t.insert("type".into(), "merge".into());
                t.insert("round".into(), int(round));
                t.insert("sectors".into(), names());
            }
            Practice::OneDoor => {
                t.insert("type".into(), "service_pattern".into());
                t.insert("round".into(), int(round));
                t.insert("pattern".into(), "one_door".into());
            }
        }
        toml::Value::Table(t)
    }
}

/// A scenario's TOML with `set` applied (key paths as `--set` takes them: a number, or
/// text read as the key's type; `seed`, `rounds`, `replicates` stay whole numbers) and
/// `practices` appended as interventions; validated (no files are read). Returns the text
/// to run and to download: `src` itself when nothing is set or added.
///
/// Errors in `src` name `file` and its line; an error the settings cause names
/// "`file` (with the page's settings)" and the key, not a line of text the user never saw.
/// A forum needing more than `budget` bytes is refused before it is built.
pub fn compose(
    src: &str,
    file: &str,
    set: &[(String, SetValue)],
    practices: &[(Practice, u32)],
    budget: u64,
) -> Result<String, ScenarioError> {
    Scenario::parse_within(src, file, &collabgov_core::scenario::no_files, budget)?;
    if set.is_empty() && practices.is_empty() {
        return Ok(src.to_string());
    }
    let settings = |mut e: ScenarioError| {
        e.file = format!("{file} (with the page's settings)");
        e.line = None;
        e
    };
    composed(src, file, set, practices, budget).map_err(settings)
}

fn composed(
    src: &str,
    file: &str,
    set: &[(String, SetValue)],
    practices: &[(Practice, u32)],
    budget: u64,
) -> Result<String, ScenarioError> {
    let mut doc: toml::Value =
        toml::from_str(src).map_err(|e| ScenarioError::from_toml(file, src, &e))?;
    for (key, value) in set {
        let whole = matches!(key.as_str(), "seed" | "rounds" | "replicates");
        if whole
            && let (Some(table), SetValue::Number(v)) = (doc.as_table_mut(), value)
            && v.is_finite()
            && *v >= 0.0
        {
            table.insert(key.clone(), toml::Value::Integer(v.round() as i64));
            continue;
        }
        set_path(&mut doc, key, value).map_err(|m| ScenarioError::new(file, key, m))?;
    }
    if !practices.is_empty() {
        // The sectors and rounds as set, before the practices.
        let text =
            toml::to_string(&doc).map_err(|e| ScenarioError::new(file, "", e.to_string()))?;
        let scenario =
            Scenario::parse_within(&text, file, &collabgov_core::scenario::no_files, budget)?;
        let sectors = &scenario.forum.sectors;
        let added = practices
            .iter()
            .map(|&(practice, round)| practice.intervention(round, sectors, scenario.rounds));
        append_interventions(&mut doc, file, added)?;
    }
    let text = toml::to_string(&doc).map_err(|e| ScenarioError::new(file, "", e.to_string()))?;
    Scenario::parse_within(&text, file, &collabgov_core::scenario::no_files, budget)?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUDGET: u64 = collabgov_core::scenario::DEFAULT_MEMORY_BUDGET;

    #[test]
    fn compose_sets_values_and_adds_practices_that_validate() {
        let src = crate::bundled::BUNDLED
            .iter()
            .find(|(n, _)| *n == "siloed-government")
            .map(|(_, t)| *t)
            .unwrap_or_default();
        let set = vec![
            ("parameters.silo".to_string(), SetValue::Number(0.4)),
            ("rounds".to_string(), SetValue::Number(80.0)),
            (
                "initial.trust.across".to_string(),
                SetValue::Text("uniform(0.2, 0.5)".into()),
            ),
        ];
        let practices = [
            (Practice::CoordinatingAgency, 30),
            (Practice::TaskForce, 30),
            (Practice::SocialCoalition, 40),
            (Practice::Merger, 60),
        ];
        let text = compose(src, "page.toml", &set, &practices, BUDGET).expect("valid");
        let s = Scenario::parse(&text, "page.toml", &collabgov_core::scenario::no_files)
            .expect("the composed text is a scenario");
        assert_eq!(s.rounds, 80);
        assert_eq!(s.params.silo, 0.4);
        assert_eq!(s.interventions.len(), 4);
        // A bad value names its key.
        let bad = vec![("parameters.silo".to_string(), SetValue::Number(1.5))];
        let e = compose(src, "page.toml", &bad, &[], BUDGET).expect_err("silo 1.5 is refused");
        assert!(e.to_string().contains("silo"), "{e}");
        // One-door service needs [services].
        assert!(compose(src, "page.toml", &[], &[(Practice::OneDoor, 10)], BUDGET).is_err());
    }
}
