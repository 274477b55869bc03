//! The manifests that describe an output folder: `run.json` ([`RunManifest`]) and
//! `sweep.json` ([`SweepManifest`]), typed so every front end writes and reads the same
//! fields. A folder holding one is a collabgov output; nothing else is.

use collabgov_core::Scenario;
use collabgov_core::scenario::raw::RawScenario;
use serde::{Deserialize, Serialize};

use crate::sweep::RawSweep;

pub use crate::inputs::InputFile;

/// An intervention as charts label it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InterventionMark {
    /// The round it takes effect.
    pub round: u32,
    /// Its label.
    pub label: String,
}

/// `run.json`: what was run, exactly.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RunManifest {
    /// The collabgov version that wrote it.
    pub collabgov_version: String,
    /// The git commit collabgov was built from (absent when it was not built from a git
    /// checkout).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_commit: Option<String>,
    /// The models run: `CG-1`, with `+ CG-2` (services) and `+ CG-3` (levels of government).
    pub model: String,
    /// The scenario's name.
    pub scenario_name: String,
    /// Master seed.
    pub seed: u64,
    /// Replicates run.
    pub replicates: usize,
    /// Rounds per replicate.
    pub rounds: u32,
    /// Worker threads (output does not depend on it).
    pub threads: usize,
    /// Wall time of the simulation, in seconds.
    pub wall_time_seconds: f64,
    /// Actors, including those that join later.
    pub actors: usize,
    /// Relations of the network (of replicate 0's draw), those added later included.
    pub relations: usize,
    /// Of them, relations interventions add after round 0.
    pub relations_added: usize,
    /// Sector names.
    pub sectors: Vec<String>,
    /// Interventions, by round.
    pub interventions: Vec<InterventionMark>,
    /// Replicates that reached consensus.
    pub consensus_replicates: usize,
    /// Network draws the replicates ran on (1: every replicate on one network).
    pub network_draws: usize,
    /// What the 95 % intervals of the final means cover.
    pub intervals: String,
    /// Each recorded metric's final mean with its 95 % interval and variance components,
    /// as in `summary.csv`.
    pub finals: std::collections::BTreeMap<String, FinalInterval>,
    /// SHA-256 of the resolved scenario and of every input file's hash.
    pub scenario_fingerprint: String,
    /// Where the scenario came from (a path, or `bundled:NAME`).
    pub origin: String,
    /// Every file read: the scenario file and the files it names, with their hashes.
    pub inputs: Vec<InputFile>,
    /// The process's peak resident memory when the tables were formatted (Linux), bytes.
    pub peak_memory_bytes: Option<u64>,
    /// What collabgov estimated the run would need before it started, bytes.
    pub estimated_memory_bytes: u64,
    /// The scenario with every default filled in (and every override applied).
    pub scenario: Option<RawScenario>,
}

/// A final metric's mean, 95 % interval and variance between and within network draws
/// (absent where they cannot be computed).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FinalInterval {
    /// Mean over replicates.
    pub mean: Option<f64>,
    /// Lower end of the 95 % interval.
    pub ci_low: Option<f64>,
    /// Upper end.
    pub ci_high: Option<f64>,
    /// Variance between network draws.
    pub var_between_networks: Option<f64>,
    /// Variance within a network draw.
    pub var_within_network: Option<f64>,
}

impl From<collabgov_sim::stats::Nested> for FinalInterval {
    fn from(s: collabgov_sim::stats::Nested) -> Self {
        let some = |v: f64| v.is_finite().then_some(v);
        FinalInterval {
            mean: some(s.mean),
            ci_low: some(s.low),
            ci_high: some(s.high),
            var_between_networks: some(s.var_between),
            var_within_network: some(s.var_within),
        }
    }
}

/// The fingerprint of `bytes`: their SHA-256 in lower-case hex.
pub fn fingerprint(bytes: &[u8]) -> String {
    crate::inputs::sha256(bytes)
}

/// The fingerprint of a scenario as it runs: its resolved image and its inputs' hashes.
pub fn scenario_fingerprint(scenario: &Scenario, inputs: &[InputFile]) -> String {
    let mut text = serde_json::to_string(&scenario.resolved).unwrap_or_default();
    for f in inputs.iter().skip(1) {
        text.push('\n');
        text.push_str(&f.sha256);
    }
    fingerprint(text.as_bytes())
}

impl RunManifest {
    /// The scenario of a run, rebuilt from `run.json` (its files read relative to where the
    /// scenario came from), or why it is not: it cannot be rebuilt, or a file it names no
    /// longer holds what the run read (its SHA-256 in `run.json` differs), so today's file
    /// would describe another forum.
    pub fn rebuild(&self) -> Result<Scenario, String> {
        let manifest = self;
        let gone = || "the scenario cannot be rebuilt from run.json".to_string();
        let raw = manifest.scenario.as_ref().ok_or_else(gone)?;
        let text = toml::to_string(raw).map_err(|_| gone())?;
        let inputs = crate::inputs::Inputs::default();
        let base = std::path::Path::new(&manifest.origin)
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default();
        let load = inputs.loader(&base);
        let parsed = Scenario::parse_with(
            &text,
            &manifest.origin,
            &load,
            &collabgov_core::Overrides::default(),
        );
        // The files the scenario names (the run's list starts with the scenario file itself).
        let then: Vec<&InputFile> = manifest
            .inputs
            .iter()
            .filter(|f| f.path != manifest.origin)
            .collect();
        let now = inputs.list();
        let changed: Vec<String> = then
            .iter()
            .filter(|f| !now.iter().any(|n| n.sha256 == f.sha256))
            .map(|f| f.path.clone())
            .collect();
        if !changed.is_empty() {
            return Err(format!(
                "{} changed since the run (its SHA-256 differs from run.json's, or it is gone): the forum is not described from today's files",
                changed.join(", ")
            ));
        }
        parsed.map(|p| p.scenario).map_err(|_| gone())
    }

    /// The manifest of a finished run of `scenario`.
    pub fn new(
        scenario: &Scenario,
        result: &collabgov_sim::RunResult,
        inputs: &[InputFile],
    ) -> Self {
        RunManifest {
            collabgov_version: env!("CARGO_PKG_VERSION").into(),
            source_commit: option_env!("COLLABGOV_SOURCE_COMMIT").map(str::to_string),
            model: model_of(scenario).into(),
            scenario_name: scenario.name.clone(),
            seed: result.seed,
            replicates: result.replicates.len(),
            rounds: result.rounds,
            threads: rayon::current_num_threads(),
            wall_time_seconds: 0.0,
            actors: scenario.forum.n_actors(),
            relations: scenario.forum.graph.n_relations(),
            relations_added: scenario.forum.n_added_relations(),
            sectors: scenario.forum.sectors.clone(),
            interventions: marks(scenario),
            consensus_replicates: result.consensus_count(),
            network_draws: result.network_draws(),
            intervals: collabgov_sim::stats::Design::of(
                result.replicates.len(),
                result.network_draws(),
            )
            .interval_note(result.network_draws()),
            // The intervals `summary.csv` gives (a 0/1 metric's is a share's, every share's
            // within [0, 1]).
            finals: {
                let tables = crate::output::RunTables::finals_of(scenario, result);
                result
                    .metrics()
                    .into_iter()
                    .map(|m| (m.name().to_string(), tables.final_interval(m).into()))
                    .collect()
            },
            scenario_fingerprint: scenario_fingerprint(scenario, inputs),
            origin: String::new(),
            inputs: inputs.to_vec(),
            peak_memory_bytes: None,
            estimated_memory_bytes: 0,
            scenario: Some(scenario.resolved.clone()),
        }
    }
}

/// The models a scenario runs: CG-1, with CG-2 (services) and CG-3 (levels of government)
/// when it has them.
fn model_of(scenario: &Scenario) -> &'static str {
    match (scenario.services.is_some(), scenario.levels.is_some()) {
        (false, false) => "CG-1",
        (true, false) => "CG-1 + CG-2",
        (false, true) => "CG-1 + CG-3",
        (true, true) => "CG-1 + CG-2 + CG-3",
    }
}

/// A scenario's interventions as chart marks, labelled in English (as `run.json` records
/// them).
pub fn marks(scenario: &Scenario) -> Vec<InterventionMark> {
    marks_in(scenario, crate::i18n::Lang::En)
}

/// A scenario's interventions as chart marks, labelled in `lang`.
pub fn marks_in(scenario: &Scenario, lang: crate::i18n::Lang) -> Vec<InterventionMark> {
    scenario
        .interventions
        .iter()
        .map(|i| InterventionMark {
            round: i.round(),
            label: lang.label(&i.label(&scenario.forum.sectors)),
        })
        .collect()
}

/// `sweep.json`: the plan of a sweep, and the fingerprint every part and resume is checked
/// against.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SweepManifest {
    /// The collabgov version that wrote it.
    pub collabgov_version: String,
    /// SHA-256 of the sweep file's image, the base scenario's text, every input's hash and
    /// the version.
    pub fingerprint: String,
    /// The sweep's name.
    pub name: String,
    /// `grid`, `lhs` or `sobol`.
    pub design: String,
    /// Factor key paths.
    pub factors: Vec<String>,
    /// Points in the plan.
    pub points: u64,
    /// Replicates per point.
    pub replicates: u32,
    /// Sweep seed.
    pub seed: u64,
    /// Bootstrap resamples of the Sobol intervals.
    pub bootstrap: u32,
    /// The header of `points.csv`.
    pub header: String,
    /// Every file read, with its hash.
    pub inputs: Vec<InputFile>,
    /// The sweep file's image.
    pub sweep: Option<RawSweep>,
}

/// The sidecar of `points.csv` and of each part: the plan it belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PartManifest {
    /// The plan's fingerprint.
    pub fingerprint: String,
    /// The collabgov version that wrote it.
    pub collabgov_version: String,
    /// SHA-256 of the table once its shard has finished (absent while it runs): `merge`
    /// refuses a table that no longer holds what its shard wrote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_sha256: Option<String>,
}

impl PartManifest {
    /// Whether `other` is a sidecar of the same plan and version (finished or not).
    pub fn same_plan(&self, other: &PartManifest) -> bool {
        self.fingerprint == other.fingerprint && self.collabgov_version == other.collabgov_version
    }
}

/// Where a compared side came from, in `compare.json`: a finished run folder, or the
/// manifest of the run made for the comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Compared {
    /// Read from a finished run folder.
    RunDir {
        /// The folder as given.
        run_dir: String,
        /// Its `run.json`'s scenario fingerprint when compared: a report checks that the
        /// folder still holds that run.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        scenario_fingerprint: String,
    },
    /// Run for the comparison: its `run.json`.
    Ran(Box<RunManifest>),
}

/// The files of one side of a comparison folder.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SideFiles {
    /// The side's name.
    pub name: String,
    /// Its `replicates.csv` in the folder.
    pub replicates: String,
    /// Its `rounds.csv` in the folder.
    pub rounds: String,
}

/// `compare.json`: what was compared, each side's files, the overlay's marks. A
/// comparison of sweeps writes [`SweepCompareManifest`] under the same name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CompareManifest {
    /// The collabgov version that wrote it.
    pub collabgov_version: String,
    /// Each side's origin, in order.
    pub compared: Vec<Compared>,
    /// The overlay's intervention marks (round, label).
    pub marks: Vec<(u32, String)>,
    /// Each side's files (none in a folder of an older collabgov).
    pub sides: Vec<SideFiles>,
}

/// A sweep folder compared.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SweepRef {
    /// The folder.
    pub dir: String,
    /// Its name in the comparison.
    pub name: String,
}

/// `compare.json` of two sweeps compared point by point.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SweepCompareManifest {
    /// The collabgov version that wrote it.
    pub collabgov_version: String,
    /// Points of the design.
    pub points: usize,
    /// Replicates per point.
    pub replicates: u32,
    /// The two sweeps.
    pub sweeps: Vec<SweepRef>,
}

/// A ranked practice in `assess.json`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RankedPractice {
    /// Whether an interval of its effect excludes 0.
    pub clear_effect: bool,
    /// Whether it is distinguishable from the next in the ranking.
    pub distinct_from_next: bool,
    /// Its label.
    pub label: String,
    /// Its name in the menu.
    pub name: String,
    /// Its rank, from 1.
    pub rank: usize,
}

/// `assess.json`: the baseline's `run.json`, the menu and the ranking.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AssessManifest {
    /// The baseline run.
    pub baseline: RunManifest,
    /// The collabgov version that wrote it.
    pub collabgov_version: String,
    /// Where the menu came from (a file, or "the default menu").
    pub menu: String,
    /// The ranked practices.
    pub practices: Vec<RankedPractice>,
    /// The round the default menu's practices start (none for a menu file).
    pub round: Option<u32>,
    /// The scenario's name.
    pub scenario_name: String,
}
