//! `collabgov compare SWEEP_A SWEEP_B`: two finished sweep folders over the same design,
//! paired point by point. `points.csv` keeps only each point's summaries, so both sweeps'
//! points run again (deterministic in the plan, from the sweep files their `sweep.json`
//! names, which must be unchanged); each re-run row is checked against the folder's
//! `points.csv`, so the differences are those of the sweeps compared. Writes
//! `points-paired.csv`, `summary.txt`, the difference charts and `compare.json`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use collabgov_study::manifest::{SweepCompareManifest, SweepManifest, SweepRef};
use collabgov_study::sweep::SweepPlan;
use collabgov_study::sweep::analysis::{Points, factor_label};
use collabgov_study::sweep::paired::{
    PointPair, diff_curves, diff_grid, diff_header, diff_heatmaps, diff_row, diff_summary,
    pair_point, same_design,
};
use collabgov_viz::style::sized;
use collabgov_viz::sweep::{Heatmap, factor_chart, heatmap};
use rayon::prelude::*;

use crate::common::{Formats, pool, progress};
use crate::files::{self, MAX_DATA_BYTES, read_input, write_atomic};
use crate::outdir::{OutputKind, Staged};
use crate::sweep_dir::{load_plan, manifest, read_manifest};

/// A finished sweep folder: its plan (from the sweep file its manifest names, unchanged
/// since), the folder of the files its base names, and its `points.csv` rows by point.
struct Finished {
    dir: PathBuf,
    plan: SweepPlan,
    base_dir: PathBuf,
    rows: Vec<String>,
}

fn finished(dir: &Path) -> Result<Finished> {
    let Some(json): Option<SweepManifest> = read_manifest(dir)? else {
        bail!("{} holds no sweep.json", dir.display());
    };
    let Some(sweep_file) = json.inputs.first() else {
        bail!("{}/sweep.json names no sweep file", dir.display());
    };
    let path = PathBuf::from(&sweep_file.path);
    if !path.is_file() {
        bail!(
            "{}/sweep.json names the sweep file {}, which is not here: run compare from the folder the sweep ran in (points.csv keeps only summaries, so pairing runs the points again)",
            dir.display(),
            sweep_file.path
        );
    }
    let (plan, base_dir, inputs) = load_plan(&path)?;
    if manifest(&plan, &inputs).fingerprint != json.fingerprint {
        bail!(
            "{} or a file it names changed since {} was written (or another collabgov version wrote it): pairing runs the points again, so it needs the very plan",
            path.display(),
            dir.display()
        );
    }
    let text = read_input(&dir.join("points.csv"), MAX_DATA_BYTES)
        .with_context(|| format!("cannot read the points of {}", dir.display()))?;
    let rows: Vec<String> = text.lines().skip(1).map(str::to_string).collect();
    if rows.len() != plan.points.len() {
        bail!(
            "{}/points.csv holds {} of {} points: finish the sweep (run it again to resume, or `collabgov merge` its shards) before comparing",
            dir.display(),
            rows.len(),
            plan.points.len()
        );
    }
    Ok(Finished {
        dir: dir.to_path_buf(),
        plan,
        base_dir,
        rows,
    })
}

/// Runs every point of both sweeps again, paired (on `threads` workers), and checks that
/// each run gives the row its folder holds.
fn pair_all(a: &Finished, b: &Finished, threads: Option<usize>) -> Result<Vec<PointPair>> {
    let pool = pool(threads)?;
    let n = a.plan.points.len();
    let bar = progress(n as u64, "points", "pairing");
    let reader = |dir: &Path| {
        let dir = dir.to_path_buf();
        move |name: &str| -> Result<String, String> {
            files::read_input(&dir.join(name), MAX_DATA_BYTES).map_err(|e| format!("{e:#}"))
        }
    };
    let (load_a, load_b) = (reader(&a.base_dir), reader(&b.base_dir));
    let pairs: Vec<PointPair> = pool.install(|| {
        (0..n)
            .into_par_iter()
            .map(|i| {
                let pair = pair_point(&a.plan, &b.plan, i, &load_a, &load_b);
                bar.inc(1);
                pair
            })
            .collect::<Result<_, _>>()
    })?;
    bar.finish_and_clear();
    for (f, which) in [(a, 0), (b, 1)] {
        for p in &pairs {
            let row = if which == 0 { &p.row_a } else { &p.row_b };
            if *row != f.rows[p.index] {
                bail!(
                    "{}/points.csv, point {}: its row differs from the point run again (was the folder edited, or written by a build that draws otherwise?)",
                    f.dir.display(),
                    p.index
                );
            }
        }
    }
    Ok(pairs)
}

/// The charts of the paired differences (against the one factor, or heatmaps of a
/// two-factor grid) into the staged folder; returns their files.
fn draw_paired(
    staged: &Staged,
    plan: &SweepPlan,
    points: &Points,
    services: collabgov_sim::Families,
    title: &dyn Fn(&str) -> String,
    format: Formats,
) -> Result<Vec<String>> {
    let keys = &plan.keys;
    let mut charts = Vec::new();
    if keys.len() == 1 {
        let curves = diff_curves(points, &keys[0], services);
        for format in format.list() {
            let file = format!("sweep-paired.{}", format.extension());
            write_atomic(
                &staged.file(&file),
                &factor_chart(
                    &title("paired differences"),
                    &factor_label(&keys[0]),
                    &curves,
                    true,
                    format,
                    sized((1800, 1000), false),
                )?,
            )?;
            charts.push(file);
        }
    } else if keys.len() == 2 && plan.raw.design == "grid" {
        for (column, label) in diff_heatmaps(services) {
            let (g, marked) = diff_grid(points, &keys[1], &keys[0], column);
            let finite = g.values.iter().flatten().copied().filter(|v| v.is_finite());
            let m = finite.fold(0.0f64, |m, v| m.max(v.abs()));
            for format in format.list() {
                let file = format!("heatmap-diff-{column}.{}", format.extension());
                let map = Heatmap {
                    title: &title(label),
                    x_name: &factor_label(&keys[1]),
                    y_name: &factor_label(&keys[0]),
                    xs: &g.xs,
                    ys: &g.ys,
                    values: &g.values,
                    range: (-m, m),
                    key_label: &format!(
                        "difference in {label} (outlined: 95 % interval excludes 0)"
                    ),
                    diverging: true,
                    marked: &marked,
                };
                write_atomic(
                    &staged.file(&file),
                    &heatmap(&map, format, sized((1200, 1000), false))?,
                )?;
                charts.push(file);
            }
        }
    }
    Ok(charts)
}

/// `collabgov compare` on two sweep folders `dirs`, named by `labels` (or their sweeps'
/// names), into `out` (default `output/compare-A-B/`).
pub fn compare_sweeps(
    dirs: &[String],
    labels: &[String],
    out: Option<&Path>,
    force: bool,
    threads: Option<usize>,
    format: Formats,
) -> Result<ExitCode> {
    if dirs.len() != 2 {
        bail!(
            "expected two sweep folders to compare, found {}",
            dirs.len()
        );
    }
    let a = finished(Path::new(&dirs[0]))?;
    let b = finished(Path::new(&dirs[1]))?;
    same_design(&a.plan, &b.plan)
        .map_err(|m| anyhow::anyhow!("{} and {}: {m}", a.dir.display(), b.dir.display()))?;
    let name = |f: &Finished, k: usize| {
        labels
            .get(k)
            .cloned()
            .unwrap_or_else(|| f.plan.raw.name.clone())
    };
    let (name_a, name_b) = (name(&a, 0), name(&b, 1));
    if name_a == name_b {
        bail!(
            "both sweeps are named \"{name_a}\": name them apart with --label (one per folder, in order)"
        );
    }
    let out = out.map(Path::to_path_buf).unwrap_or_else(|| {
        Path::new("output").join(files::slug(&format!("compare-{name_a}-{name_b}")))
    });
    let staged = Staged::prepare(&out, OutputKind::Compare, force)?;

    let n = a.plan.points.len();
    let pairs = pair_all(&a, &b, threads)?;
    let services = a.plan.families.common(b.plan.families);
    let mut table = format!("{}\n", diff_header(&a.plan.keys, services));
    for p in &pairs {
        table.push_str(&diff_row(&a.plan, p, services));
        table.push('\n');
    }
    write_atomic(&staged.file("points-paired.csv"), table.as_bytes())?;
    let summary = diff_summary(&name_a, &name_b, &a.plan, &pairs);
    write_atomic(&staged.file("summary.txt"), summary.as_bytes())?;

    let points = Points::parse(&table)?;
    let title = |label: &str| format!("{name_b} minus {name_a}: {label}");
    let charts = draw_paired(&staged, &a.plan, &points, services, &title, format)?;
    let json = SweepCompareManifest {
        collabgov_version: env!("CARGO_PKG_VERSION").into(),
        sweeps: vec![
            SweepRef {
                name: name_a,
                dir: a.dir.display().to_string(),
            },
            SweepRef {
                name: name_b,
                dir: b.dir.display().to_string(),
            },
        ],
        points: n,
        replicates: a.plan.raw.replicates,
    };
    let out = staged.commit_with_manifest(&json)?;
    out!("{}", summary.trim_end());
    let mut files = charts;
    files.extend(["points-paired.csv", "summary.txt", "compare.json"].map(String::from));
    out!("output: {}/ ({})", out.display(), files.join(", "));
    Ok(ExitCode::SUCCESS)
}
