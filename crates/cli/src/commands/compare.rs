//! `collabgov compare`: runs (or reads finished run folders of) several scenarios and
//! writes their overlay, `compare.csv`, `paired.csv` (paired differences when the runs
//! share seed and replicates), `summary.txt` and `compare.json`. Two sweep folders go to
//! `sweep_compare.rs`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;
use collabgov_core::scenario::SetValue;
use collabgov_sim::RunOptions;
use collabgov_study::artifacts;
use collabgov_study::manifest::InterventionMark;
use collabgov_study::ops::{
    self,
    compare::{Given, check_names, identical_sides, identical_warning, to_run},
};
use collabgov_study::output::RunTables;

use crate::common::{Formats, RunControl, Tables, Terminal, check_size, pool};
use crate::draw::draw_overlay;
use crate::files::{self, load_scenario, read_run_dir};
use crate::outdir::{OutputKind, Staged};
use crate::sweep_dir::is_sweep_dir;

/// `collabgov compare`.
#[derive(Args, Debug)]
pub struct CompareArgs {
    /// Two or more scenario files, bundled names, or finished run folders; or two finished sweep folders over the same design (paired point by point: their points run again).
    #[arg(value_name = "SCENARIO", num_args = 2.., required = true)]
    pub scenarios: Vec<String>,
    #[command(flatten)]
    pub control: RunControl,
    #[command(flatten)]
    pub lang: crate::common::LangArgs,
    /// Name the scenarios in order (repeatable: the first --label names the first scenario), e.g. two variants of one file: `compare a.toml a.toml --label before --label after`.
    #[arg(long = "label", value_name = "NAME")]
    pub labels: Vec<String>,
    /// Set a value for one scenario only, as --set does for all: N is its place (1 = the first), e.g. `compare a.toml a.toml --side-set 2:parameters.silo=0.9 --label before --label after` (repeatable; applied after --set).
    #[arg(long = "side-set", value_name = "N:KEY=VALUE", value_parser = parse_side_set)]
    pub side_sets: Vec<(usize, (String, SetValue))>,
    /// Output folder (default: `output/compare-<names>/`). An earlier comparison there is replaced; any other existing folder is refused (see --force).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write into an existing --out folder that is not a collabgov comparison, replacing only files of the same names.
    #[arg(long)]
    pub force: bool,
    /// Chart formats.
    #[arg(long, value_enum, default_value = "both")]
    pub format: Formats,
    #[command(flatten)]
    pub style: crate::common::ChartStyleArgs,
}

impl CompareArgs {
    /// The siloisation lesson that `collabgov` runs with no command.
    pub fn lesson() -> CompareArgs {
        CompareArgs {
            scenarios: vec!["siloed-government".into(), "whole-of-government".into()],
            control: RunControl::default(),
            lang: crate::common::LangArgs::default(),
            labels: Vec::new(),
            side_sets: Vec::new(),
            out: None,
            force: false,
            format: Formats::Both,
            style: crate::common::ChartStyleArgs::default(),
        }
    }
}

/// `collabgov compare`.
pub fn compare(args: &CompareArgs) -> Result<ExitCode> {
    let style = args.style.style()?;
    let _drawing = collabgov_viz::style::Scoped::new(&style);
    let sweeps = args
        .scenarios
        .iter()
        .filter(|s| is_sweep_dir(Path::new(s)))
        .count();
    if sweeps > 0 {
        bail!(
            "expected scenarios and run folders, or two sweep folders, found {sweeps} sweep folders among {} arguments",
            args.scenarios.len()
        );
    }
    // Read and validate every side, then check the output folder, then simulate.
    if args.labels.len() > args.scenarios.len() {
        bail!(
            "expected at most one --label per scenario ({}), found {}",
            args.scenarios.len(),
            args.labels.len()
        );
    }
    if let Some((n, _)) = args
        .side_sets
        .iter()
        .find(|(n, _)| *n > args.scenarios.len())
    {
        bail!(
            "--side-set {n}:...: expected a scenario's place from 1 to {}, found {n}",
            args.scenarios.len()
        );
    }
    let mut sides = Vec::new();
    for (k, spec) in args.scenarios.iter().enumerate() {
        let label = args.labels.get(k);
        let mut overrides = args.control.overrides();
        let own: Vec<(String, SetValue)> = args
            .side_sets
            .iter()
            .filter(|(n, _)| *n == k + 1)
            .map(|(_, set)| set.clone())
            .collect();
        overrides.set.extend(own.iter().cloned());
        if let Some(label) = label {
            overrides
                .set
                .push(("name".into(), SetValue::Text(label.clone())));
        }
        let path = Path::new(spec);
        if path.is_dir() && !own.is_empty() {
            bail!(
                "--side-set {}:...: {spec} is a finished run folder, which is read as it ran; give the scenario file instead",
                k + 1
            );
        }
        if path.is_dir() {
            let (name, tables, meta, manifest) = read_run_dir(path)?;
            sides.push(Given::Finished {
                name: label.cloned().unwrap_or(name),
                tables: Box::new(tables),
                marks: manifest_marks(&meta),
                run_dir: spec.clone(),
                seed: manifest.seed,
                fingerprint: manifest.scenario_fingerprint.clone(),
            });
        } else {
            sides.push(Given::ToRun(Box::new(load_scenario(spec, &overrides)?)));
        }
    }
    // Two sides of one name would share a legend entry and a row label.
    check_names(&sides)?;
    for (a, b) in identical_sides(&sides) {
        eprintln!(
            "warning: {} (give one its own values with --side-set {b}:KEY=VALUE)",
            identical_warning(a, b)
        );
    }
    let names: Vec<String> = sides.iter().map(|s| files::slug(s.name())).collect();
    let out = args.out.clone().unwrap_or_else(|| {
        let joined = format!("compare-{}", names.join("-"));
        Path::new("output").join(if joined.len() > 150 {
            files::slug(&joined)
        } else {
            joined
        })
    });
    let pool = pool(args.control.threads)?;
    check_size(&to_run(&sides), &RunOptions::default(), &pool)?;
    let staged = Staged::prepare(&out, OutputKind::Compare, args.force)?;
    let compared = ops::compare::compare(sides, &pool, &Terminal::new())?;
    files::write_artifacts(
        staged.path(),
        &artifacts::compare_files(&compared),
        Tables::CSV,
    )?;
    let owned: Vec<(String, RunTables)> = compared
        .runs
        .iter()
        .map(|r| (r.name.clone(), r.tables.clone()))
        .collect();
    let charts = draw_overlay(staged.path(), &owned, &compared.marks(), args.format, None)?;
    let out = staged.commit_with_manifest(&compared.manifest())?;
    out!("{}", compared.summary_in(args.lang.lang()).trim_end());
    out!(
        "output: {}/ ({}, compare.csv, paired.csv, summary.txt, side-K.rounds.csv and side-K.replicates.csv per scenario, compare.json)",
        out.display(),
        charts.join(", ")
    );
    Ok(ExitCode::SUCCESS)
}

/// A finished run's interventions, as its `run.json` records them.
fn manifest_marks(meta: &collabgov_viz::ChartMeta) -> Vec<InterventionMark> {
    meta.interventions
        .iter()
        .map(|(round, label)| InterventionMark {
            round: *round,
            label: label.clone(),
        })
        .collect()
}

/// `N:KEY=VALUE` of `--side-set`: the scenario's place (from 1) and a `--set` value.
fn parse_side_set(arg: &str) -> Result<(usize, (String, SetValue)), String> {
    let (place, set) = arg.split_once(':').ok_or_else(|| {
        format!("expected N:KEY=VALUE such as 2:parameters.silo=0.9, found \"{arg}\"")
    })?;
    let n: usize = place.parse().ok().filter(|&n| n >= 1).ok_or_else(|| {
        format!("expected a scenario's place (1, 2, ...) before ':', found \"{place}\"")
    })?;
    Ok((n, collabgov_core::Overrides::parse_set(set)?))
}
