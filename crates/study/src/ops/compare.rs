//! Comparing several runs: each side read from a finished run folder or run here, then
//! `compare.csv`, `paired.csv` (paired differences when the sides share seed and
//! replicates), the summary, and `compare.json`.

use collabgov_sim::RunOptions;

use super::run::run;
use super::{Observer, OpError};
use crate::manifest::{CompareManifest, Compared as ComparedSource, InterventionMark, SideFiles};
use crate::output::RunTables;
use crate::report::{Side, compare_summary_in, paired_summary_in};
use crate::source::Loaded;

/// One side as given: a finished run (read back from its folder), or a scenario to run.
pub enum Given {
    /// A finished run.
    Finished {
        /// Its name (its label, or the run's scenario name).
        name: String,
        /// Its tables.
        tables: Box<RunTables>,
        /// Its interventions.
        marks: Vec<InterventionMark>,
        /// Where it was read from, as given.
        run_dir: String,
        /// Its master seed.
        seed: u64,
        /// Its `run.json`'s scenario fingerprint (empty when there is none).
        fingerprint: String,
    },
    /// A scenario to run.
    ToRun(Box<Loaded>),
}

impl Given {
    /// The side's name.
    pub fn name(&self) -> &str {
        match self {
            Given::Finished { name, .. } => name,
            Given::ToRun(l) => &l.scenario.name,
        }
    }
}

/// A compared side: name, tables, interventions, seed.
pub struct ComparedRun {
    /// Its name (legend entry, row label).
    pub name: String,
    /// Its tables.
    pub tables: RunTables,
    /// Its interventions (the overlay's marks).
    pub marks: Vec<InterventionMark>,
    /// Its master seed (sides of one seed and replicate count are paired).
    pub seed: u64,
    source: ComparedSource,
}

/// A finished comparison.
pub struct Compared {
    /// The sides, in the order given.
    pub runs: Vec<ComparedRun>,
}

/// The scenarios of the sides still to run, in order.
pub fn to_run(given: &[Given]) -> Vec<&collabgov_core::Scenario> {
    given
        .iter()
        .filter_map(|g| match g {
            Given::ToRun(l) => Some(&l.scenario),
            Given::Finished { .. } => None,
        })
        .collect()
}

/// Refuses sides that would share a legend entry and a row label.
pub fn check_names(given: &[Given]) -> Result<(), OpError> {
    for (k, side) in given.iter().enumerate() {
        if given[..k].iter().any(|g| g.name() == side.name()) {
            return Err(OpError::Invalid(format!(
                "two of the compared scenarios are named \"{}\": name them apart with --label (one per scenario, in order)",
                side.name()
            )));
        }
    }
    Ok(())
}

/// Pairs of sides still to run (1-based, in order) that are the same scenario but for
/// their names and descriptions, and read the same files: their differences are zero by
/// construction, which a comparison should say rather than print "+0.00 [+0.00, +0.00]".
pub fn identical_sides(given: &[Given]) -> Vec<(usize, usize)> {
    let image = |l: &Loaded| {
        let mut raw = l.scenario.resolved.clone();
        raw.name.clear();
        raw.description.clear();
        let hashes: Vec<String> = l.inputs.iter().skip(1).map(|f| f.sha256.clone()).collect();
        (serde_json::to_string(&raw).unwrap_or_default(), hashes)
    };
    let images: Vec<Option<_>> = given
        .iter()
        .map(|g| match g {
            Given::ToRun(l) => Some(image(l)),
            Given::Finished { .. } => None,
        })
        .collect();
    let mut out = Vec::new();
    for (j, b) in images.iter().enumerate() {
        for (i, a) in images[..j].iter().enumerate() {
            if a.is_some() && a == b {
                out.push((i + 1, j + 1));
            }
        }
    }
    out
}

/// The warning [`identical_sides`] gives for sides `a` and `b` (1-based).
pub fn identical_warning(a: usize, b: usize) -> String {
    format!(
        "scenarios {a} and {b} are the same but for their names: every difference between them is zero by construction"
    )
}

/// Runs what is to run (on `pool`, each after the one before) and compares.
/// Names are checked first ([`check_names`]); sizes are the caller's to check with
/// [`super::check`] before it prepares where the results go.
pub fn compare(
    given: Vec<Given>,
    pool: &rayon::ThreadPool,
    observer: &dyn Observer,
) -> Result<Compared, OpError> {
    check_names(&given)?;
    let mut runs = Vec::with_capacity(given.len());
    for side in given {
        runs.push(match side {
            Given::Finished {
                name,
                tables,
                marks,
                run_dir,
                seed,
                fingerprint,
            } => ComparedRun {
                name,
                tables: *tables,
                marks,
                seed,
                source: ComparedSource::RunDir {
                    run_dir,
                    scenario_fingerprint: fingerprint,
                },
            },
            Given::ToRun(loaded) => {
                let ran = run(&loaded, &RunOptions::default(), pool, observer)?;
                ComparedRun {
                    name: loaded.scenario.name.clone(),
                    marks: ran.manifest.interventions.clone(),
                    seed: loaded.scenario.seed,
                    tables: ran.tables,
                    source: ComparedSource::Ran(Box::new(ran.manifest)),
                }
            }
        });
    }
    Ok(Compared { runs })
}

impl Compared {
    /// The sides as (name, tables).
    pub fn named(&self) -> Vec<(&str, &RunTables)> {
        self.runs
            .iter()
            .map(|r| (r.name.as_str(), &r.tables))
            .collect()
    }

    /// The sides for paired differences.
    pub fn sides(&self) -> Vec<Side<'_>> {
        self.runs
            .iter()
            .map(|r| Side {
                name: &r.name,
                tables: &r.tables,
                seed: r.seed,
            })
            .collect()
    }

    /// The summary: each metric's final interval per side, then the paired differences.
    pub fn summary(&self) -> String {
        self.summary_in(crate::i18n::Lang::En)
    }

    /// [`summary`](Self::summary) in `lang` (the printed summary and the page's;
    /// `summary.txt` stays English).
    pub fn summary_in(&self, lang: crate::i18n::Lang) -> String {
        format!(
            "{}{}",
            compare_summary_in(&self.named(), lang),
            paired_summary_in(&self.sides(), lang)
        )
    }

    /// The overlay's intervention marks: every side's, labelled with its name.
    pub fn marks(&self) -> Vec<(u32, String)> {
        let mut marks = Vec::new();
        for r in &self.runs {
            for m in &r.marks {
                marks.push((m.round, format!("{}: {}", r.name, m.label)));
            }
        }
        marks
    }

    /// `compare.json`.
    pub fn manifest(&self) -> CompareManifest {
        CompareManifest {
            collabgov_version: env!("CARGO_PKG_VERSION").to_string(),
            compared: self.runs.iter().map(|r| r.source.clone()).collect(),
            marks: self.marks(),
            sides: (1..=self.runs.len())
                .zip(&self.runs)
                .map(|(k, r)| SideFiles {
                    name: r.name.clone(),
                    replicates: format!("side-{k}.replicates.csv"),
                    rounds: format!("side-{k}.rounds.csv"),
                })
                .collect(),
        }
    }
}
