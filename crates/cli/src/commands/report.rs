//! `collabgov report`: a finished run or comparison folder as one self-contained HTML file (the layout is
//! `collabgov_viz::report`; the words, numbers and criteria come from the library).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;
use collabgov_study::manifest::RunManifest;
use collabgov_study::report::{PAIRED_INTERVALS, methods_paragraph};
use collabgov_viz::Format;
use collabgov_viz::report::{Report, ScenarioText, html, provenance_of, run_report, scenario_text};

use crate::files::read_compare_dir;
use crate::files::read_run_dir;
use crate::files::{MAX_DATA_BYTES, read_input, write_atomic};
use crate::outdir::{OutputKind, is_ours, list_added, same_folder};

/// The methods paragraph's file, written into the folder reported on.
const METHODS_FILE: &str = "methods.md";

/// `collabgov report`.
#[derive(Args, Debug)]
pub struct ReportArgs {
    /// A run folder written by `collabgov run`, or a comparison folder written by `collabgov compare`.
    #[arg(value_name = "RUN_DIR")]
    pub run_dir: PathBuf,
    /// The HTML file to write (default: RUN_DIR/report.html, or RUN_DIR/handout.html with --handout). An existing file is replaced only if it is a collabgov report (see --force).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// A handout for a class instead of the full report: at most two A4 pages per run (the scenario in words, the results, the cycle over the rounds, the network, the six criteria), in --lang.
    #[arg(long)]
    pub handout: bool,
    /// The handout's language: en or id (default: the locale's, from LC_ALL, LC_MESSAGES or LANG; else English). The full report is in English.
    #[arg(long, value_name = "LANG", value_parser = crate::common::parse_lang, requires = "handout")]
    pub lang: Option<collabgov_study::i18n::Lang>,
    /// Replace an existing --out file that is not a collabgov report.
    #[arg(long)]
    pub force: bool,
}

/// Whether `path` holds a report collabgov wrote (so it may be replaced).
fn is_our_report(path: &Path) -> bool {
    use std::io::Read;
    // The head of the file only: a large file is not read to check its first bytes.
    let mut head = Vec::with_capacity(4096);
    let read = fs::File::open(path).and_then(|f| f.take(4096).read_to_end(&mut head));
    let head = String::from_utf8_lossy(&head);
    read.is_ok()
        && head.starts_with("<!doctype html>")
        && head.contains("<meta name=\"generator\" content=\"collabgov ")
}

/// A comparison folder's sides: each one's name and manifest (read from the run folder a
/// side was taken from, when it still exists).
fn compared(dir: &Path) -> Result<Vec<(String, RunManifest)>> {
    let path = dir.join("compare.json");
    let json: serde_json::Value = serde_json::from_str(&read_input(&path, MAX_DATA_BYTES)?)
        .with_context(|| format!("{} is not a collabgov compare.json", path.display()))?;
    if json.get("sweeps").is_some() {
        bail!(
            "{} compares two sweeps: a report covers a run or a comparison of runs; the sweeps' comparison is in its summary.txt, points-paired.csv and charts",
            dir.display()
        );
    }
    let Some(sides) = json.get("compared").and_then(|c| c.as_array()) else {
        bail!("{}: expected a list `compared`, found none", path.display());
    };
    let mut out = Vec::with_capacity(sides.len());
    for (k, side) in sides.iter().enumerate() {
        let manifest: RunManifest = match side.get("run_dir").and_then(|d| d.as_str()) {
            Some(run_dir) => {
                let today = read_run_dir(Path::new(run_dir))
                    .map(|(_, _, _, m)| m)
                    .unwrap_or_default();
                // The folder must still hold the run that was compared.
                let then = side
                    .get("scenario_fingerprint")
                    .and_then(|f| f.as_str())
                    .unwrap_or("");
                if !then.is_empty() && today.scenario_fingerprint != then {
                    bail!(
                        "{run_dir} no longer holds the run this comparison compared (its run.json's scenario fingerprint differs from {}'s): run the comparison again to report on it",
                        path.display()
                    );
                }
                today
            }
            None => serde_json::from_value(side.clone()).with_context(|| {
                format!("{}: side {} is not a run manifest", path.display(), k + 1)
            })?,
        };
        let name = if manifest.scenario_name.is_empty() {
            side.get("run_dir")
                .and_then(|d| d.as_str())
                .unwrap_or("?")
                .to_string()
        } else {
            manifest.scenario_name.clone()
        };
        out.push((name, manifest));
    }
    Ok(out)
}

/// The handout of a run or comparison folder, in the language asked for.
fn handout_of(args: &ReportArgs) -> Result<String> {
    use collabgov_viz::handout::{HandoutRun, handout};
    let lang = args
        .lang
        .unwrap_or_else(collabgov_study::i18n::Lang::from_env);
    if is_ours(&args.run_dir, OutputKind::Compare) {
        let sides = compared(&args.run_dir)?;
        let (runs, _) = read_compare_dir(&args.run_dir)?;
        let scenarios: Vec<Option<collabgov_core::Scenario>> =
            sides.iter().map(|(_, m)| m.rebuild().ok()).collect();
        let parts: Vec<HandoutRun<'_>> = sides
            .iter()
            .zip(&runs)
            .zip(&scenarios)
            .map(|(((name, manifest), (_, tables)), scenario)| HandoutRun {
                name,
                tables,
                manifest,
                scenario: scenario.as_ref(),
            })
            .collect();
        Ok(handout(&parts, lang)?)
    } else {
        let (name, tables, _, manifest) = read_run_dir(&args.run_dir)?;
        let scenario = manifest.rebuild().ok();
        Ok(handout(
            &[HandoutRun {
                name: &name,
                tables: &tables,
                manifest: &manifest,
                scenario: scenario.as_ref(),
            }],
            lang,
        )?)
    }
}

/// `collabgov report`.
pub fn report(args: &ReportArgs) -> Result<ExitCode> {
    let out = args.out.clone().unwrap_or_else(|| {
        args.run_dir.join(if args.handout {
            "handout.html"
        } else {
            "report.html"
        })
    });
    if let Ok(meta) = fs::symlink_metadata(&out)
        && (!meta.is_file() || (!args.force && !is_our_report(&out)))
    {
        bail!(
            "{} exists and is not a collabgov report: collabgov will not replace it. Choose another --out, or add --force",
            out.display()
        );
    }
    let (text, methods) = if args.handout {
        (handout_of(args)?, Vec::new())
    } else if is_ours(&args.run_dir, OutputKind::Compare) {
        let sides = compared(&args.run_dir)?;
        let summary = read_input(&args.run_dir.join("summary.txt"), MAX_DATA_BYTES)?;
        let numbers: Vec<String> = summary
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        // Drawn again from the sides' tables, never the folder's compare.svg inlined: a
        // tampered picture could carry script into the report.
        let (runs, marks) = read_compare_dir(&args.run_dir)?;
        let names: Vec<&str> = runs.iter().map(|(n, _)| n.as_str()).collect();
        let svg = collabgov_viz::compare_chart(
            &runs,
            &format!("Comparison: {}", names.join(" vs ")),
            &marks,
            Format::Svg,
            (1800, 1000),
        )?;
        let charts = vec![(
            "The runs on the same axes: mean over replicates and the range of 95 % of them"
                .to_string(),
            String::from_utf8_lossy(&svg).into_owned(),
        )];
        let scenarios: Vec<ScenarioText> = sides
            .iter()
            .map(|(name, m)| scenario_text(name, m, m.rebuild().as_ref()))
            .collect();
        let provenance = provenance_of(&sides.iter().map(|(_, m)| m).collect::<Vec<_>>());
        let names: Vec<&str> = sides.iter().map(|(n, _)| n.as_str()).collect();
        let title = format!("Comparison: {}", names.join(" vs "));
        // Each side's methods, from its manifest and the tables the folder kept of it.
        let mut methods: Vec<String> = sides
            .iter()
            .zip(&runs)
            .map(|((_, m), (_, tables))| methods_paragraph(m, tables))
            .collect();
        methods.push(format!(
            "Runs with the same seed, replicates and network draws were compared replicate by replicate (common random numbers: they share every draw before their first difference); paired differences are the later run minus the first, with {}.",
            PAIRED_INTERVALS
        ));
        let text = html(&Report {
            name: &title,
            description: &format!(
                "{} scenarios compared with `collabgov compare`.",
                sides.len()
            ),
            scenarios: &scenarios,
            numbers: &numbers,
            provenance: &provenance,
            charts: &charts,
            methods: &methods,
        });
        (text, methods)
    } else {
        let (name, tables, meta, manifest) = read_run_dir(&args.run_dir)?;
        let scenario = manifest.rebuild();
        let text = run_report(&name, &tables, &meta, &manifest, scenario.as_ref())?;
        (text, vec![methods_paragraph(&manifest, &tables)])
    };
    let charts = text.matches("<figure>").count();
    write_atomic(&out, text.as_bytes())?;
    if args.handout {
        if let (Some(parent), Some(name)) = (out.parent(), out.file_name())
            && same_folder(parent, &args.run_dir)
        {
            list_added(&args.run_dir, &[name.to_string_lossy().into_owned()])?;
        }
        out!(
            "wrote {} ({charts} chart{}, {} KiB): open it in a browser and print it (A4)",
            out.display(),
            if charts == 1 { "" } else { "s" },
            text.len() / 1024
        );
        return Ok(ExitCode::SUCCESS);
    }
    // The methods as Markdown, in the folder reported on (collabgov's own, so nothing of
    // the user's is replaced), which lists it with the report when that is written there.
    write_atomic(
        &args.run_dir.join(METHODS_FILE),
        format!("# Methods\n\n{}\n", methods.join("\n\n")).as_bytes(),
    )?;
    let mut added = vec![METHODS_FILE.to_string()];
    if let (Some(parent), Some(name)) = (out.parent(), out.file_name())
        && same_folder(parent, &args.run_dir)
    {
        added.push(name.to_string_lossy().into_owned());
    }
    list_added(&args.run_dir, &added)?;
    out!(
        "wrote {} ({charts} chart{}, {} KiB): open it in a browser, or print it to PDF (A4); the methods paragraph also in {}",
        out.display(),
        if charts == 1 { "" } else { "s" },
        text.len() / 1024,
        args.run_dir.join(METHODS_FILE).display()
    );
    Ok(ExitCode::SUCCESS)
}
