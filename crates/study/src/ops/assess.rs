//! Assessing a forum: the diagnosis, then a menu of practices, each run from one round and
//! paired with the baseline, ranked by their paired effects.

use collabgov_core::Overrides;
use collabgov_sim::RunOptions;

use super::run::run;
use super::{Observer, OpError};
use crate::assess::{Menu, Ranked, assess_summary, diagnose, rank, write_assess_csv};
use crate::manifest::{AssessManifest, RankedPractice};
use crate::output::RunTables;
use crate::source::{Loaded, Source};

/// Which menu to run.
pub enum MenuChoice {
    /// The default menu for the scenario, its practices starting at `round` (default: a
    /// fifth of the rounds, at least 1).
    Default {
        /// The round the practices start.
        round: Option<u32>,
    },
    /// A menu file's text, named `origin` in messages.
    Text {
        /// The TOML text.
        text: String,
        /// Its path, for messages and `assess.json`.
        origin: String,
    },
}

/// An assessment ready to run: every practice applied and validated, nothing run yet.
pub struct Plan {
    /// The baseline.
    pub base: Loaded,
    /// The menu.
    pub menu: Menu,
    /// Where the menu came from.
    pub menu_origin: String,
    /// The default menu's round (none for a menu file).
    pub round: Option<u32>,
    /// What the default menu left out, and why.
    pub left_out: Vec<String>,
    /// The baseline with each practice, in the menu's order.
    pub variants: Vec<Loaded>,
}

impl Plan {
    /// The baseline's scenario, then each practice's: what the assessment runs.
    pub fn scenarios(&self) -> Vec<&collabgov_core::Scenario> {
        std::iter::once(&self.base)
            .chain(&self.variants)
            .map(|l| &l.scenario)
            .collect()
    }
}

/// The run options of an assessment: its ranking reads final values only.
pub fn options() -> RunOptions {
    RunOptions {
        skip_groups: true,
        ..RunOptions::default()
    }
}

/// Loads the baseline and the menu and applies every practice, before anything runs.
pub fn plan(source: &Source, overrides: &Overrides, choice: MenuChoice) -> Result<Plan, OpError> {
    let base = source.parse(overrides)?;
    let rounds = base.scenario.rounds;
    let (menu, menu_origin, round, left_out) = match choice {
        MenuChoice::Text { text, origin } => {
            (Menu::parse(&text, &origin)?, origin, None, Vec::new())
        }
        MenuChoice::Default { round } => {
            let round = round.unwrap_or((rounds / 5).max(1));
            if round == 0 || round > rounds {
                return Err(OpError::Invalid(format!(
                    "--round: expected a round from 1 to {rounds} (the scenario's last), found {round}"
                )));
            }
            let (menu, left_out) = Menu::default_for(&base.scenario, round);
            (menu, "the default menu".to_string(), Some(round), left_out)
        }
    };
    let mut variants = Vec::with_capacity(menu.practices.len());
    for (k, item) in menu.practices.iter().enumerate() {
        let with = Overrides {
            interventions: item.interventions.clone(),
            ..overrides.clone()
        };
        let loaded = source.parse(&with).map_err(|e| {
            OpError::Invalid(format!(
                "the practice \"{}\" (practices[{k}] of {menu_origin}) does not apply to {}: {e}",
                item.name, base.scenario.name
            ))
        })?;
        variants.push(loaded);
    }
    Ok(Plan {
        base,
        menu,
        menu_origin,
        round,
        left_out,
        variants,
    })
}

/// A finished assessment.
pub struct Assessed {
    /// The baseline's tables.
    pub base: RunTables,
    /// The practices, ranked.
    pub ranked: Vec<Ranked>,
    /// The diagnosis, the baseline and the ranking in words (`summary.txt`).
    pub summary: String,
    /// `assess.json`.
    pub manifest: AssessManifest,
    /// `assess.csv` (the chart is drawn from it, so a redraw from the folder is the same).
    pub table: Vec<u8>,
}

/// Runs the baseline and every practice on `pool` and ranks them.
pub fn assess(
    plan: &Plan,
    pool: &rayon::ThreadPool,
    observer: &dyn Observer,
) -> Result<Assessed, OpError> {
    let options = options();
    let base = run(&plan.base, &options, pool, observer)?;
    let mut runs: Vec<RunTables> = Vec::with_capacity(plan.variants.len());
    for v in &plan.variants {
        runs.push(run(v, &options, pool, observer)?.tables);
    }
    let refs: Vec<&RunTables> = runs.iter().collect();
    let ranked = rank(&base.tables, &refs);
    let scenario = &plan.base.scenario;
    let conditions = diagnose(scenario, &base.tables);
    let summary = assess_summary(
        &scenario.name,
        plan.round,
        &crate::criteria::six_criteria(scenario),
        &conditions,
        &base.tables,
        &plan.menu,
        &ranked,
    );
    let manifest = AssessManifest {
        baseline: base.manifest,
        collabgov_version: env!("CARGO_PKG_VERSION").to_string(),
        menu: plan.menu_origin.clone(),
        practices: ranked
            .iter()
            .map(|r| RankedPractice {
                clear_effect: r.clear(),
                distinct_from_next: r.distinct_from_next(),
                label: plan.menu.practices[r.practice].title().to_string(),
                name: plan.menu.practices[r.practice].name.clone(),
                rank: r.rank,
            })
            .collect(),
        round: plan.round,
        scenario_name: scenario.name.clone(),
    };
    let mut table = Vec::new();
    write_assess_csv(&plan.menu, &ranked, &mut table)
        .map_err(|e| OpError::Table(format!("cannot format assess.csv: {e}")))?;
    Ok(Assessed {
        base: base.tables,
        ranked,
        summary,
        manifest,
        table,
    })
}
