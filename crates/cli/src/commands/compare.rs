//! `collabgov compare`: runs (or reads finished run folders of) several scenarios and
//! writes their overlay, `compare.csv`, `paired.csv` (paired differences when the runs
//! share seed and replicates), `summary.txt` and `compare.json`. Two sweep folders go to
//! `sweep_compare.rs`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;
use collabgov_core::scenario::SetValue;
use collabgov_sim::RunOptions;
use collabgov_study::output::RunTables;
use collabgov_study::report::{
    Side, compare_summary, paired_summary, write_compare_csv, write_paired_csv,
};
use collabgov_viz::ChartMeta;
use collabgov_viz::style::sized;

use crate::commands::run::{check_size, simulate};
use crate::commands::sweep_compare::{compare_sweeps, is_sweep_dir};
use crate::common::{Formats, RunControl, pool};
use crate::files::read_run_dir;
use crate::files::{self, load_scenario, write_atomic};
use crate::outdir::{OutputKind, Staged};

/// `collabgov compare`.
#[derive(Args, Debug)]
pub struct CompareArgs {
    /// Two or more scenario files, bundled names, or finished run folders; or two finished sweep folders over the same design (paired point by point: their points run again).
    #[arg(value_name = "SCENARIO", num_args = 2.., required = true)]
    pub scenarios: Vec<String>,
    #[command(flatten)]
    pub control: RunControl,
    /// Name the scenarios in order (repeatable: the first --label names the first scenario), e.g. two variants of one file: `compare a.toml a.toml --label before --label after`.
    #[arg(long = "label", value_name = "NAME")]
    pub labels: Vec<String>,
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
            labels: Vec::new(),
            out: None,
            force: false,
            format: Formats::Both,
            style: crate::common::ChartStyleArgs::default(),
        }
    }
}

/// One side of a comparison as given: read from a run folder, or to be run.
enum Given {
    Done {
        name: String,
        tables: Box<RunTables>,
        meta: ChartMeta,
        run_dir: String,
        seed: u64,
    },
    ToRun(Box<files::Loaded>),
}

struct Finished {
    name: String,
    tables: RunTables,
    meta: ChartMeta,
    summary_json: serde_json::Value,
    seed: u64,
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
    if sweeps == args.scenarios.len() {
        if !args.control.overrides().is_empty() {
            bail!(
                "--seed, --rounds, --replicates and --set do not apply to sweep folders: the sweeps ran as their files say"
            );
        }
        return compare_sweeps(
            &args.scenarios,
            &args.labels,
            args.out.as_deref(),
            args.force,
            args.control.threads,
            args.format,
        );
    }
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
    let mut sides = Vec::new();
    for (k, spec) in args.scenarios.iter().enumerate() {
        let label = args.labels.get(k);
        let mut overrides = args.control.overrides();
        if let Some(label) = label {
            overrides
                .set
                .push(("name".into(), SetValue::Text(label.clone())));
        }
        let path = Path::new(spec);
        if path.is_dir() {
            let (name, tables, mut meta, manifest) = read_run_dir(path)?;
            let name = label.cloned().unwrap_or(name);
            meta.scenario = name.clone();
            sides.push(Given::Done {
                name,
                tables: Box::new(tables),
                meta,
                run_dir: spec.clone(),
                seed: manifest.seed,
            });
        } else {
            sides.push(Given::ToRun(Box::new(load_scenario(spec, &overrides)?)));
        }
    }
    // Two sides of one name would share a legend entry and a row label.
    let mut seen: Vec<&str> = Vec::new();
    for side in &sides {
        let name = match side {
            Given::Done { name, .. } => name.as_str(),
            Given::ToRun(l) => l.scenario.name.as_str(),
        };
        if seen.contains(&name) {
            bail!(
                "two of the compared scenarios are named \"{name}\": name them apart with --label (one per scenario, in order)"
            );
        }
        seen.push(name);
    }
    let names: Vec<String> = sides
        .iter()
        .map(|s| match s {
            Given::Done { name, .. } => files::slug(name),
            Given::ToRun(l) => files::slug(&l.scenario.name),
        })
        .collect();
    let out = args.out.clone().unwrap_or_else(|| {
        let joined = format!("compare-{}", names.join("-"));
        Path::new("output").join(if joined.len() > 150 {
            files::slug(&joined)
        } else {
            joined
        })
    });
    let pool = pool(args.control.threads)?;
    for side in &sides {
        if let Given::ToRun(l) = side {
            check_size(&l.scenario, &RunOptions::default(), &pool)?;
        }
    }
    let staged = Staged::prepare(&out, OutputKind::Compare, args.force)?;
    let mut runs: Vec<Finished> = Vec::new();
    for side in sides {
        runs.push(match side {
            Given::Done {
                name,
                tables,
                meta,
                run_dir,
                seed,
            } => Finished {
                name,
                tables: *tables,
                meta,
                summary_json: serde_json::json!({ "run_dir": run_dir }),
                seed,
            },
            Given::ToRun(loaded) => {
                let (tables, mut manifest) = simulate(
                    &loaded.scenario,
                    &loaded.inputs,
                    &pool,
                    &RunOptions::default(),
                )?;
                manifest.origin = loaded.origin.clone();
                Finished {
                    seed: loaded.scenario.seed,
                    name: loaded.scenario.name.clone(),
                    tables,
                    meta: collabgov_viz::ChartMeta::of(&loaded.scenario),
                    summary_json: serde_json::to_value(&manifest)?,
                }
            }
        });
    }

    let pairs: Vec<(&str, &RunTables)> =
        runs.iter().map(|r| (r.name.as_str(), &r.tables)).collect();
    let mut table = Vec::new();
    write_compare_csv(&pairs, &mut table)?;
    write_atomic(&staged.file("compare.csv"), &table)?;
    let paired_sides: Vec<Side<'_>> = runs
        .iter()
        .map(|r| Side {
            name: &r.name,
            tables: &r.tables,
            seed: r.seed,
        })
        .collect();
    let mut paired = Vec::new();
    write_paired_csv(&paired_sides, &mut paired)?;
    write_atomic(&staged.file("paired.csv"), &paired)?;
    let summary = format!(
        "{}{}",
        compare_summary(&pairs),
        paired_summary(&paired_sides)
    );
    write_atomic(&staged.file("summary.txt"), summary.as_bytes())?;

    // Each side's rounds and replicates, so `plot` can redraw the overlay from the folder.
    let mut sides_json = Vec::new();
    for (k, r) in runs.iter().enumerate() {
        let stem = format!("side-{}", k + 1);
        let (mut rounds, mut replicates) = (Vec::new(), Vec::new());
        r.tables.write_rounds(&mut rounds)?;
        r.tables.write_replicates(&mut replicates)?;
        write_atomic(&staged.file(&format!("{stem}.rounds.csv")), &rounds)?;
        write_atomic(&staged.file(&format!("{stem}.replicates.csv")), &replicates)?;
        sides_json.push(serde_json::json!({
            "name": r.name,
            "rounds": format!("{stem}.rounds.csv"),
            "replicates": format!("{stem}.replicates.csv"),
        }));
    }
    let mut marks: Vec<(u32, String)> = Vec::new();
    for r in &runs {
        for (round, label) in &r.meta.interventions {
            marks.push((*round, format!("{}: {label}", r.name)));
        }
    }
    let owned: Vec<(String, RunTables)> = runs
        .iter()
        .map(|r| (r.name.clone(), r.tables.clone()))
        .collect();
    let charts = draw_overlay(staged.path(), &owned, &marks, args.format, None)?;
    let compared: Vec<serde_json::Value> = runs.iter().map(|r| r.summary_json.clone()).collect();
    let json = serde_json::json!({
        "collabgov_version": env!("CARGO_PKG_VERSION"),
        "compared": compared,
        "sides": sides_json,
        "marks": marks,
    });
    let out = staged.commit_with_manifest(&json)?;
    out!("{}", summary.trim_end());
    out!(
        "output: {}/ ({}, compare.csv, paired.csv, summary.txt, side-K.rounds.csv and side-K.replicates.csv per scenario, compare.json)",
        out.display(),
        charts.join(", ")
    );
    Ok(ExitCode::SUCCESS)
}

/// A compared run: its name and tables.
pub type Named = (String, RunTables);

/// An intervention mark of the overlay: its round and label.
pub type Mark = (u32, String);

/// The overlay of the compared runs `runs` with the intervention `marks`, in `formats`,
/// into `dir` (`compare` draws it, `plot` redraws it from the folder); returns the files.
pub fn draw_overlay(
    dir: &Path,
    runs: &[(String, RunTables)],
    marks: &[(u32, String)],
    formats: Formats,
    size: Option<(u32, u32)>,
) -> Result<Vec<String>> {
    let size = size.unwrap_or_else(|| sized((1800, 1000), true));
    let names: Vec<&str> = runs.iter().map(|(n, _)| n.as_str()).collect();
    let title = format!("Comparison: {}", names.join(" vs "));
    let mut charts = Vec::new();
    for format in formats.list() {
        let file = format!("compare.{}", format.extension());
        write_atomic(
            &dir.join(&file),
            &collabgov_viz::compare_chart(runs, &title, marks, format, size)?,
        )?;
        charts.push(file);
    }
    Ok(charts)
}

/// Reads a comparison folder's sides back (names, rounds and replicates) and its marks,
/// for `plot`.
pub fn read_compare_dir(dir: &Path) -> Result<(Vec<Named>, Vec<Mark>)> {
    let path = dir.join("compare.json");
    let json: serde_json::Value =
        serde_json::from_str(&files::read_input(&path, files::MAX_DATA_BYTES)?)
            .with_context(|| format!("{} is not a collabgov compare.json", path.display()))?;
    let Some(sides) = json.get("sides").and_then(|s| s.as_array()) else {
        bail!(
            "{} holds no tables of its runs (written by an older collabgov, or a comparison of sweeps): run the comparison again to redraw it",
            dir.display()
        );
    };
    let mut runs = Vec::new();
    for side in sides {
        let field = |key: &str| -> Result<String> {
            side.get(key)
                .and_then(|v| v.as_str())
                .map(str::to_string)
                .with_context(|| format!("{}: a side without `{key}`", path.display()))
        };
        let file = |key: &str| -> Result<String> {
            let name = field(key)?;
            if name.contains('/') || name.contains('\\') || name.starts_with('.') {
                bail!(
                    "{}: expected a file name in `{key}`, found \"{name}\"",
                    path.display()
                );
            }
            files::read_input(&dir.join(&name), files::MAX_DATA_BYTES)
        };
        let tables = RunTables::read(&file("rounds")?, &file("replicates")?, "", "", "")
            .with_context(|| format!("in the comparison folder {}", dir.display()))?;
        runs.push((field("name")?, tables));
    }
    let marks: Vec<(u32, String)> = json
        .get("marks")
        .and_then(|m| serde_json::from_value(m.clone()).ok())
        .unwrap_or_default();
    Ok((runs, marks))
}
