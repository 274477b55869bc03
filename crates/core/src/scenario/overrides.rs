//! The one configuration path: values given outside the file (`--seed`, `--rounds`,
//! `--replicates`, `--set KEY=VALUE`, a sweep point's factors) are applied to the raw
//! scenario, and the result is validated once, so an override means exactly what the same
//! key written in the file means.

use super::error::excerpt;
use super::keypath::{SetValue, canonical, set_path};
use super::raw::RawScenario;
use super::{Loader, Scenario, ScenarioError};

/// Values that replace the file's before validation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overrides {
    /// `seed =`: the network and every replicate's draws.
    pub seed: Option<u64>,
    /// `rounds =`.
    pub rounds: Option<u32>,
    /// `replicates =`.
    pub replicates: Option<u32>,
    /// Any other key path, in the order given (a later one wins).
    pub set: Vec<(String, SetValue)>,
    /// Interventions appended to the file's `[[interventions]]`, each a table in the
    /// scenario format (`collabgov assess` adds a practice this way), validated with the
    /// rest; an error in one names it "the added intervention K" (1-based).
    pub interventions: Vec<toml::Value>,
    /// Most bytes the forum may need (default 8 GiB,
    /// [`DEFAULT_MEMORY_BUDGET`](super::DEFAULT_MEMORY_BUDGET)): a server lowers it so that
    /// a request is refused before its forum is built. Not a value of the file.
    pub memory_budget: Option<u64>,
}

/// A validated scenario and what the overrides changed that the user should hear about.
#[derive(Clone, Debug)]
pub struct Parsed {
    /// The scenario as it will run.
    pub scenario: Scenario,
    /// Interventions an override pushed out of the run, and the like.
    pub warnings: Vec<String>,
}

impl Overrides {
    /// Whether nothing is overridden (the memory budget aside).
    pub fn is_empty(&self) -> bool {
        self.seed.is_none()
            && self.rounds.is_none()
            && self.replicates.is_none()
            && self.set.is_empty()
            && self.interventions.is_empty()
    }

    /// Reads `KEY=VALUE` (`--set`), refusing a key that is not a key path.
    pub fn parse_set(arg: &str) -> Result<(String, SetValue), String> {
        let (key, value) = arg.split_once('=').ok_or_else(|| {
            format!(
                "expected KEY=VALUE such as parameters.silo=0.9, found \"{}\"",
                excerpt(arg)
            )
        })?;
        let key = canonical(key).ok_or_else(|| {
            format!(
                "expected a key path such as parameters.silo or interventions[0].round, found \"{}\"",
                excerpt(key)
            )
        })?;
        Ok((key, SetValue::Text(value.to_string())))
    }

    /// How the overrides read on a command line, for error messages.
    fn describe(&self, key: &str) -> String {
        if let Some(k) = key.strip_prefix("added intervention ") {
            return format!("the added intervention {k}");
        }
        match key {
            "seed" if self.seed.is_some() => "--seed".into(),
            "rounds" if self.rounds.is_some() => "--rounds".into(),
            "replicates" if self.replicates.is_some() => "--replicates".into(),
            _ => format!("--set {key}"),
        }
    }

    /// The key paths this changes.
    fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.set.iter().map(|(k, _)| k.clone()).collect();
        for (key, given) in [
            ("seed", self.seed.is_some()),
            ("rounds", self.rounds.is_some()),
            ("replicates", self.replicates.is_some()),
        ] {
            if given {
                keys.push(key.into());
            }
        }
        keys
    }
}

/// Appends `added` to a scenario image's `[[interventions]]` (creating the list when the
/// file has none): how an override or a page's practice adds an intervention.
pub fn append_interventions(
    doc: &mut toml::Value,
    file: &str,
    added: impl IntoIterator<Item = toml::Value>,
) -> Result<(), ScenarioError> {
    let table = doc
        .as_table_mut()
        .ok_or_else(|| ScenarioError::new(file, "", "expected a TOML table"))?;
    let list = table
        .entry("interventions")
        .or_insert_with(|| toml::Value::Array(Vec::new()));
    let list = list
        .as_array_mut()
        .ok_or_else(|| ScenarioError::new(file, "interventions", "expected an array of tables"))?;
    list.extend(added);
    Ok(())
}

/// The 1-based number among the added interventions of the intervention a key names
/// (`interventions[5].round` with 4 written in the file: 2).
fn added_index(key: &str, written: usize) -> Option<usize> {
    let rest = key.strip_prefix("interventions[")?;
    let (index, _) = rest.split_once(']')?;
    let index: usize = index.parse().ok()?;
    (index >= written).then(|| index - written + 1)
}

fn integer(value: u64, key: &str) -> Result<toml::Value, String> {
    i64::try_from(value)
        .map(toml::Value::Integer)
        .map_err(|_| format!("{key}: expected at most {}, found {value}", i64::MAX))
}

impl Scenario {
    /// Parses a scenario with `overrides` applied to its raw image, then validates it once.
    /// With no overrides this is [`Scenario::parse`]. An intervention that an override of
    /// the rounds leaves outside the run is dropped, with a warning; one that the file
    /// itself places outside its rounds stays an error.
    pub fn parse_with(
        src: &str,
        file: &str,
        load: Loader<'_>,
        overrides: &Overrides,
    ) -> Result<Parsed, ScenarioError> {
        let budget = overrides
            .memory_budget
            .unwrap_or(super::DEFAULT_MEMORY_BUDGET);
        if overrides.is_empty() {
            return Ok(Parsed {
                scenario: Scenario::parse_within(src, file, load, budget)?,
                warnings: Vec::new(),
            });
        }
        let mut doc: toml::Value =
            toml::from_str(src).map_err(|e| ScenarioError::from_toml(file, src, &e))?;
        let written_rounds = doc.get("rounds").cloned();
        let over = |key: &str, message: String| {
            ScenarioError::new(
                &format!("{file} ({})", overrides.describe(key)),
                key,
                message,
            )
        };
        for (key, value) in &overrides.set {
            set_path(&mut doc, key, value).map_err(|m| over(key, m))?;
        }
        let written_interventions = doc
            .get("interventions")
            .and_then(toml::Value::as_array)
            .map_or(0, Vec::len);
        if !overrides.interventions.is_empty() {
            append_interventions(&mut doc, file, overrides.interventions.iter().cloned())?;
        }
        let fixed = [
            ("seed", overrides.seed),
            ("rounds", overrides.rounds.map(u64::from)),
            ("replicates", overrides.replicates.map(u64::from)),
        ];
        for (key, value) in fixed {
            if let Some(v) = value {
                let v = integer(v, key).map_err(|m| over(key, m))?;
                if let Some(table) = doc.as_table_mut() {
                    table.insert(key.into(), v);
                }
            }
        }
        let rounds_changed = doc.get("rounds") != written_rounds.as_ref();
        let mut raw: RawScenario = doc.try_into().map_err(|e: toml::de::Error| {
            ScenarioError::new(
                &format!("{file} (with {})", overrides.keys().join(", ")),
                "",
                excerpt(e.message().trim()),
            )
        })?;
        let mut warnings = Vec::new();
        if rounds_changed {
            let last = raw.rounds;
            let mut index = 0;
            raw.interventions.retain(|iv| {
                let keep = iv.start_round() <= last.max(1);
                if !keep {
                    warnings.push(format!(
                        "interventions[{index}] ({} from round {}) is skipped: this run ends at round {last}",
                        iv.kind(),
                        iv.start_round()
                    ));
                }
                index += 1;
                keep
            });
        }
        let keys = overrides.keys();
        let scenario = Scenario::from_raw(raw, src, file, load, budget).map_err(|mut e| {
            let key = e.key.clone();
            if let Some(k) = added_index(&key, written_interventions) {
                e.file = format!(
                    "{file} ({})",
                    overrides.describe(&format!("added intervention {k}"))
                );
                e.line = None;
            } else if let Some(k) = keys
                .iter()
                .find(|k| key == **k || key.starts_with(&format!("{k}.")))
            {
                e.file = format!("{file} ({})", overrides.describe(k));
                e.line = None;
            }
            e
        })?;
        Ok(Parsed { scenario, warnings })
    }
}
