//! `collabgov assess`: diagnoses a scenario, runs it against a menu of Whole-of-Government
//! practices (each paired with the baseline) and ranks them; writes `assess.csv`, the
//! chart, `summary.txt`, the menu it ran (`menu.toml`) and `assess.json`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;
use collabgov_core::Overrides;
use collabgov_sim::RunOptions;
use collabgov_study::assess::{
    Menu, assess_summary, diagnose, rank, read_assess_csv, write_assess_csv,
};
use collabgov_study::output::RunTables;

use crate::commands::run::{check_size, simulate};
use crate::common::{Formats, RunControl, pool};
use crate::files::{self, MAX_TOML_BYTES, load_scenario, read_input, write_atomic};
use crate::outdir::{OutputKind, Staged};

/// `collabgov assess`.
#[derive(Args, Debug)]
pub struct AssessArgs {
    /// A scenario file or bundled name (e.g. siloed-government).
    #[arg(value_name = "SCENARIO")]
    pub scenario: String,
    #[command(flatten)]
    pub control: RunControl,
    /// The round every practice of the default menu starts (default: a fifth of the rounds, at least 1).
    #[arg(long, value_name = "ROUND")]
    pub round: Option<u32>,
    /// A menu of practices (TOML; see --print-menu) instead of the default one.
    #[arg(long, value_name = "FILE", conflicts_with = "round")]
    pub menu: Option<PathBuf>,
    /// Print the default menu for this scenario (TOML, to edit and pass back with --menu) and stop.
    #[arg(long)]
    pub print_menu: bool,
    /// Output folder (default: `output/assess-<name>/`). An earlier assessment there is replaced; any other existing folder is refused (see --force).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write into an existing --out folder that is not a collabgov assessment, replacing only files of the same names.
    #[arg(long)]
    pub force: bool,
    /// Chart formats.
    #[arg(long, value_enum, default_value = "both")]
    pub format: Formats,
    #[command(flatten)]
    pub style: crate::common::ChartStyleArgs,
}

/// The chart's title and file stem.
pub const CHART: &str = "assess";

/// The chart of an assessment from its `assess.csv` text (`assess` and `plot` both draw it
/// from the file, so a redraw is the same picture).
pub fn draw_assess_chart(
    out: &Path,
    name: &str,
    csv_text: &str,
    formats: Formats,
    size: Option<(u32, u32)>,
) -> Result<Vec<String>> {
    let rows = read_assess_csv(csv_text).map_err(anyhow::Error::msg)?;
    let size = size.unwrap_or_else(|| {
        collabgov_viz::style::sized(collabgov_viz::assess_size(rows.len()), false)
    });
    let title = format!("Which practice helps {name} most?");
    let mut files = Vec::new();
    for format in formats.list() {
        let file = format!("{CHART}.{}", format.extension());
        write_atomic(
            &out.join(&file),
            &collabgov_viz::assess_chart(&title, &rows, format, size)?,
        )?;
        files.push(file);
    }
    Ok(files)
}

/// `collabgov assess`.
pub fn assess(args: &AssessArgs) -> Result<ExitCode> {
    let style = args.style.style()?;
    let _drawing = collabgov_viz::style::Scoped::new(&style);
    let overrides = args.control.overrides();
    let base = load_scenario(&args.scenario, &overrides)?;
    let rounds = base.scenario.rounds;
    let (menu, menu_origin, round) = match &args.menu {
        Some(path) => {
            let text = read_input(path, MAX_TOML_BYTES)
                .with_context(|| format!("cannot read the menu {}", path.display()))?;
            let file = path.display().to_string();
            (Menu::parse(&text, &file)?, file, None)
        }
        None => {
            let round = args.round.unwrap_or((rounds / 5).max(1));
            if round == 0 || round > rounds {
                bail!(
                    "--round: expected a round from 1 to {rounds} (the scenario's last), found {round}"
                );
            }
            let (menu, left_out) = Menu::default_for(&base.scenario, round);
            for note in left_out {
                eprintln!("note: left out of the default menu: {note}");
            }
            (menu, "the default menu".to_string(), Some(round))
        }
    };
    if args.print_menu {
        out!("{}", menu.to_toml().trim_end());
        return Ok(ExitCode::SUCCESS);
    }
    // Every practice applied and validated before anything runs.
    let mut variants = Vec::new();
    for (k, item) in menu.practices.iter().enumerate() {
        let with = Overrides {
            interventions: item.interventions.clone(),
            ..overrides.clone()
        };
        let loaded = load_scenario(&args.scenario, &with).with_context(|| {
            format!(
                "the practice \"{}\" (practices[{k}] of {menu_origin}) does not apply to {}",
                item.name, base.scenario.name
            )
        })?;
        variants.push(loaded);
    }
    let out = args.out.clone().unwrap_or_else(|| {
        Path::new("output").join(format!("assess-{}", files::slug(&base.scenario.name)))
    });
    let pool = pool(args.control.threads)?;
    // The ranking reads final values only: no per-group series.
    let options = RunOptions {
        skip_groups: true,
        ..RunOptions::default()
    };
    check_size(&base.scenario, &options, &pool)?;
    for v in &variants {
        check_size(&v.scenario, &options, &pool)?;
    }
    let staged = Staged::prepare(&out, OutputKind::Assess, args.force)?;

    let (base_tables, mut base_manifest) = simulate(&base.scenario, &base.inputs, &pool, &options)?;
    base_manifest.origin = base.origin.clone();
    let mut runs: Vec<RunTables> = Vec::new();
    for v in &variants {
        runs.push(simulate(&v.scenario, &v.inputs, &pool, &options)?.0);
    }
    let refs: Vec<&RunTables> = runs.iter().collect();
    let ranked = rank(&base_tables, &refs);
    let conditions = diagnose(&base.scenario, &base_tables);
    let summary = assess_summary(
        &base.scenario.name,
        round,
        &collabgov_study::criteria::six_criteria(&base.scenario),
        &conditions,
        &base_tables,
        &menu,
        &ranked,
    );

    let mut table = Vec::new();
    write_assess_csv(&menu, &ranked, &mut table)?;
    write_atomic(&staged.file("assess.csv"), &table)?;
    write_atomic(&staged.file("summary.txt"), summary.as_bytes())?;
    write_atomic(&staged.file("menu.toml"), menu.to_toml().as_bytes())?;
    let charts = draw_assess_chart(
        staged.path(),
        &base.scenario.name,
        &String::from_utf8_lossy(&table),
        args.format,
        None,
    )?;
    let json = serde_json::json!({
        "collabgov_version": env!("CARGO_PKG_VERSION"),
        "scenario_name": base.scenario.name,
        "menu": menu_origin,
        "round": round,
        "practices": ranked.iter().map(|r| serde_json::json!({
            "rank": r.rank,
            "name": menu.practices[r.practice].name,
            "label": menu.practices[r.practice].title(),
            "clear_effect": r.clear(),
            "distinct_from_next": r.distinct_from_next(),
        })).collect::<Vec<_>>(),
        "baseline": base_manifest,
    });
    let out = staged.commit_with_manifest(&json)?;
    out!("{}", summary.trim_end());
    out!(
        "output: {}/ ({}, assess.csv, summary.txt, menu.toml, assess.json)",
        out.display(),
        charts.join(", ")
    );
    Ok(ExitCode::SUCCESS)
}
