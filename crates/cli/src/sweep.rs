//! `collabgov sweep` and `collabgov merge`: streaming, resumable sweeps, shards for clusters,
//! and the merge that joins shards into the file one machine would write.

use std::fs::{self, OpenOptions};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args;
use collabgov_sim::sweep::{OUTPUT_METRICS, SweepPlan, run_point, sobol_indices};
use collabgov_viz::Format;
use collabgov_viz::sweep::{Curve, Heatmap, SobolBars, factor_chart, heatmap, sobol_chart};
use rayon::prelude::*;

use crate::files::{self, BUNDLED, write_atomic};

/// `collabgov sweep`.
#[derive(Args, Debug)]
pub struct SweepArgs {
    /// A sweep file (.toml), see docs/sweeps.md.
    #[arg(value_name = "SWEEP")]
    pub sweep: PathBuf,
    /// Run only shard K of N (0-based), e.g. `--shard 0/4`: points with index % N == K, into
    /// points.part-K-of-N.csv. Join the parts with `collabgov merge DIR`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Worker threads (default: all cores, or RAYON_NUM_THREADS).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Output folder (default: `output/<sweep name>/`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Start again, discarding finished points of an earlier run of a different plan.
    #[arg(long)]
    pub restart: bool,
    /// Do not draw charts.
    #[arg(long)]
    pub no_charts: bool,
}

/// `collabgov merge`.
#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The sweep's output folder holding sweep.json and points.part-K-of-N.csv files.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Do not draw charts.
    #[arg(long)]
    pub no_charts: bool,
}

fn load_plan(path: &Path) -> Result<(SweepPlan, PathBuf)> {
    let src = fs::read_to_string(path)
        .with_context(|| format!("cannot read the sweep file {}", path.display()))?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let base_dir = std::cell::RefCell::new(dir.clone());
    let base_text = |spec: &str| -> Result<(String, String), String> {
        let candidate = dir.join(spec);
        if candidate.is_file() {
            if let Some(parent) = candidate.parent() {
                *base_dir.borrow_mut() = parent.to_path_buf();
            }
            let text = fs::read_to_string(&candidate)
                .map_err(|e| format!("cannot read {}: {e}", candidate.display()))?;
            return Ok((text, candidate.display().to_string()));
        }
        if let Some((name, text)) = BUNDLED.iter().find(|(n, _)| *n == spec) {
            return Ok((text.to_string(), format!("bundled:{name}")));
        }
        Err(format!(
            "expected a scenario file (relative to the sweep file) or a bundled name, found \"{spec}\""
        ))
    };
    let load = |name: &str| -> Result<String, String> {
        let full = base_dir.borrow().join(name);
        fs::read_to_string(&full).map_err(|e| format!("{} ({e})", full.display()))
    };
    let plan = SweepPlan::parse(&src, &path.display().to_string(), &base_text, &load)?;
    let base = base_dir.borrow().clone();
    Ok((plan, base))
}

fn plan_json(plan: &SweepPlan) -> serde_json::Value {
    let fingerprint = files::fnv1a(
        format!(
            "{}\n{}\n{}",
            serde_json::to_string(&plan.raw).unwrap_or_default(),
            plan.base_text,
            env!("CARGO_PKG_VERSION")
        )
        .as_bytes(),
    );
    serde_json::json!({
        "collabgov_version": env!("CARGO_PKG_VERSION"),
        "fingerprint": format!("{fingerprint:016x}"),
        "name": plan.raw.name,
        "design": plan.raw.design,
        "factors": plan.keys,
        "points": plan.points.len(),
        "replicates": plan.raw.replicates,
        "seed": plan.raw.seed,
        "bootstrap": plan.raw.bootstrap,
        "header": plan.header(),
        "sweep": plan.raw,
    })
}

/// Parses `K/N`.
fn parse_shard(text: &str) -> Result<(usize, usize)> {
    let bad =
        || anyhow::anyhow!("--shard: expected K/N with 0 <= K < N, e.g. 0/4, found \"{text}\"");
    let (k, n) = text.split_once('/').ok_or_else(bad)?;
    let (k, n): (usize, usize) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if n == 0 || k >= n {
        return Err(bad());
    }
    Ok((k, n))
}

/// Complete rows already in `path` for the expected point sequence; a partial last line or
/// anything out of sequence ends the kept prefix.
fn finished_rows(path: &Path, header: &str, expected: &[usize]) -> Result<Vec<String>> {
    let Ok(text) = fs::read_to_string(path) else {
        return Ok(Vec::new());
    };
    let mut lines = text.split_inclusive('\n');
    match lines.next() {
        Some(first) if first.trim_end_matches('\n') == header => {}
        Some(_) => bail!(
            "{} has another header than this sweep's: remove it or use --restart",
            path.display()
        ),
        None => return Ok(Vec::new()),
    }
    let n_fields = header.split(',').count();
    let mut kept = Vec::new();
    for (line, &want) in lines.zip(expected) {
        let Some(row) = line.strip_suffix('\n') else {
            break;
        };
        let ok = row.split(',').count() == n_fields
            && row.split(',').next().and_then(|f| f.parse::<usize>().ok()) == Some(want);
        if !ok {
            break;
        }
        kept.push(row.to_string());
    }
    Ok(kept)
}

/// `collabgov sweep`.
pub fn sweep(args: &SweepArgs) -> Result<ExitCode> {
    let (plan, base_dir) = load_plan(&args.sweep)?;
    let load = |name: &str| -> Result<String, String> {
        let full = base_dir.join(name);
        fs::read_to_string(&full).map_err(|e| format!("{} ({e})", full.display()))
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(files::slug(&plan.raw.name)));
    fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let json = plan_json(&plan);
    let json_path = out.join("sweep.json");
    if let Ok(old) = fs::read_to_string(&json_path) {
        let old: serde_json::Value = serde_json::from_str(&old).unwrap_or(serde_json::Value::Null);
        if old["fingerprint"] != json["fingerprint"] {
            if !args.restart {
                bail!(
                    "{} holds a sweep of another plan or collabgov version (fingerprint {} against {}): use another --out, or --restart to discard it",
                    out.display(),
                    old["fingerprint"],
                    json["fingerprint"]
                );
            }
            for entry in fs::read_dir(&out)?.flatten() {
                let name = entry.file_name().to_string_lossy().to_string();
                if name.starts_with("points") && name.ends_with(".csv") {
                    fs::remove_file(entry.path()).ok();
                }
            }
        }
    }
    write_atomic(&json_path, serde_json::to_string_pretty(&json)?.as_bytes())?;

    let (shard, target) = match &args.shard {
        Some(text) => {
            let (k, n) = parse_shard(text)?;
            // A sidecar names the plan this part belongs to, so merge never mixes plans.
            let sidecar = serde_json::json!({"fingerprint": json["fingerprint"], "collabgov_version": env!("CARGO_PKG_VERSION")});
            write_atomic(
                &out.join(format!("points.part-{k}-of-{n}.json")),
                sidecar.to_string().as_bytes(),
            )?;
            ((k, n), out.join(format!("points.part-{k}-of-{n}.csv")))
        }
        None => ((0, 1), out.join("points.csv")),
    };
    let mine: Vec<usize> = (0..plan.points.len())
        .filter(|i| i % shard.1 == shard.0)
        .collect();
    let header = plan.header();
    let kept = finished_rows(&target, &header, &mine)?;
    // Rewrite the finished prefix (dropping any half-written line), then append.
    let mut text = format!("{header}\n");
    for row in &kept {
        text.push_str(row);
        text.push('\n');
    }
    write_atomic(&target, text.as_bytes())?;
    let todo = &mine[kept.len()..];
    if !kept.is_empty() {
        eprintln!(
            "resuming: {} of {} points already finished in {}",
            kept.len(),
            mine.len(),
            target.display()
        );
    }

    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = args.threads {
        builder = builder.num_threads(n.max(1));
    }
    let pool = builder.build().context("cannot start the worker threads")?;
    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(mine.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{prefix} [{bar:40}] {pos}/{len} points, {per_sec}, ETA {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.set_prefix(plan.raw.name.clone());
        bar.set_position(kept.len() as u64);
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let started = Instant::now();
    let mut file = OpenOptions::new()
        .append(true)
        .open(&target)
        .with_context(|| format!("cannot open {}", target.display()))?;
    let batch = pool.current_num_threads() * 4;
    for chunk in todo.chunks(batch.max(1)) {
        let rows: Vec<Result<String, _>> = pool.install(|| {
            chunk
                .par_iter()
                .map(|&i| run_point(&plan, i, &load))
                .collect()
        });
        let mut text = String::new();
        for row in rows {
            text.push_str(&row?);
            text.push('\n');
        }
        file.write_all(text.as_bytes())
            .with_context(|| format!("cannot write {}", target.display()))?;
        file.sync_data().ok();
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    let wall = started.elapsed().as_secs_f64();
    let replicates = todo.len() as f64 * plan.raw.replicates as f64;
    out!(
        "{}: {} points ({} run now) x {} replicates in {:.2} s: {:.1} points/s, {:.0} replicates/s, {} threads",
        plan.raw.name,
        mine.len(),
        todo.len(),
        plan.raw.replicates,
        wall,
        todo.len() as f64 / wall.max(1e-9),
        replicates / wall.max(1e-9),
        pool.current_num_threads()
    );
    if shard.1 > 1 {
        out!(
            "shard {}/{} written to {}; join the shards with `collabgov merge {}`",
            shard.0,
            shard.1,
            target.display(),
            out.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    finish(&out, &json, args.no_charts)?;
    Ok(ExitCode::SUCCESS)
}

/// `collabgov merge`.
pub fn merge(args: &MergeArgs) -> Result<ExitCode> {
    let json_path = args.dir.join("sweep.json");
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&json_path).with_context(|| {
            format!(
                "cannot read {} (is {} a sweep folder?)",
                json_path.display(),
                args.dir.display()
            )
        })?)
        .with_context(|| format!("{} is not valid JSON", json_path.display()))?;
    let header = json["header"]
        .as_str()
        .context("sweep.json has no header")?
        .to_string();
    let n_points = json["points"]
        .as_u64()
        .context("sweep.json has no point count")? as usize;
    let mut rows: Vec<Option<String>> = vec![None; n_points];
    let mut parts = 0;
    // The part files, and a points.csv of an earlier (possibly interrupted) single-machine run.
    let mut entries: Vec<PathBuf> = fs::read_dir(&args.dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                n == "points.csv" || (n.starts_with("points.part-") && n.ends_with(".csv"))
            })
        })
        .collect();
    entries.sort();
    for path in &entries {
        parts += 1;
        if path.file_name().is_some_and(|n| n != "points.csv") {
            let sidecar: serde_json::Value = fs::read_to_string(path.with_extension("json"))
                .ok()
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or(serde_json::Value::Null);
            if sidecar["fingerprint"] != json["fingerprint"] {
                bail!(
                    "{} belongs to another sweep plan or collabgov version (fingerprint {} against sweep.json's {}): it is not merged",
                    path.display(),
                    sidecar["fingerprint"],
                    json["fingerprint"]
                );
            }
        }
        let text =
            fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        let mut lines = text.split_inclusive('\n');
        if lines.next().map(|l| l.trim_end_matches('\n')) != Some(header.as_str()) {
            bail!(
                "{} has another header than sweep.json: it belongs to another sweep",
                path.display()
            );
        }
        for line in lines {
            let Some(row) = line.strip_suffix('\n') else {
                break;
            };
            let Some(index) = row
                .split(',')
                .next()
                .and_then(|f| f.parse::<usize>().ok())
                .filter(|&i| i < n_points)
            else {
                bail!(
                    "{}: expected rows starting with a point index below {n_points}, found \"{}\"",
                    path.display(),
                    row.chars().take(40).collect::<String>()
                );
            };
            rows[index] = Some(row.to_string());
        }
    }
    let missing: Vec<usize> = (0..n_points).filter(|&i| rows[i].is_none()).collect();
    if !missing.is_empty() {
        let shown: Vec<String> = missing.iter().take(20).map(|i| i.to_string()).collect();
        bail!(
            "{} of {n_points} points are missing from the {parts} files in {}: {}{}; run the shards that hold them again",
            missing.len(),
            args.dir.display(),
            shown.join(", "),
            if missing.len() > 20 { ", ..." } else { "" }
        );
    }
    let mut text = format!("{header}\n");
    for row in rows.into_iter().flatten() {
        text.push_str(&row);
        text.push('\n');
    }
    write_atomic(&args.dir.join("points.csv"), text.as_bytes())?;
    out!(
        "merged {parts} part files: {n_points} points into {}",
        args.dir.join("points.csv").display()
    );
    finish(&args.dir, &json, args.no_charts)?;
    Ok(ExitCode::SUCCESS)
}

/// A factor's short name for chart axes: its MODEL.md symbol for a CG-1 parameter, else the
/// last part of its key path.
fn short_name(key: &str) -> String {
    let param = key.strip_prefix("parameters.").unwrap_or("");
    collabgov_core::params::PARAMETERS
        .iter()
        .chain(collabgov_core::params::CONSENSUS_PARAMETERS.iter())
        .find(|(name, _, _)| *name == param)
        .map(|(_, symbol, _)| symbol.to_string())
        .unwrap_or_else(|| key.rsplit('.').next().unwrap_or(key).to_string())
}

/// Sobol indices and charts from a finished `points.csv`.
fn finish(dir: &Path, json: &serde_json::Value, no_charts: bool) -> Result<()> {
    let text = fs::read_to_string(dir.join("points.csv"))?;
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = reader.headers()?.clone();
    let records: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>()?;
    let factors: Vec<String> = json["factors"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let col = |name: &str| -> Vec<f64> {
        let c = headers.iter().position(|h| h == name);
        records
            .iter()
            .map(|r| {
                c.and_then(|c| r.get(c))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(f64::NAN)
            })
            .collect()
    };
    let mut outputs: Vec<(String, String)> = OUTPUT_METRICS
        .iter()
        .map(|m| (format!("{}_mean", m.name()), m.label().to_string()))
        .collect();
    outputs.push(("consensus_share".into(), "Consensus share".into()));
    let name = json["name"].as_str().unwrap_or("sweep");
    let mut written = vec!["points.csv".to_string()];
    if json["design"] == "sobol" {
        let k = factors.len();
        let bootstrap = json["bootstrap"].as_u64().unwrap_or(500) as usize;
        let seed = json["seed"].as_u64().unwrap_or(1);
        let mut table = String::from("output,factor,S1,S1_low,S1_high,ST,ST_low,ST_high\n");
        let mut bars: Vec<(String, SobolBars)> = Vec::new();
        for (column, label) in &outputs {
            let y = col(column);
            if y.iter().any(|v| v.is_nan()) {
                continue;
            }
            let idx = sobol_indices(&y, k, bootstrap, seed);
            let mut b = Vec::new();
            for (f, i) in factors.iter().zip(&idx) {
                table.push_str(&format!(
                    "{column},{f},{},{},{},{},{},{}\n",
                    i.s1, i.s1_interval.0, i.s1_interval.1, i.st, i.st_interval.0, i.st_interval.1
                ));
                b.push((
                    short_name(f),
                    i.s1,
                    i.s1_interval.0,
                    i.s1_interval.1,
                    i.st,
                    i.st_interval.0,
                    i.st_interval.1,
                ));
            }
            bars.push((label.clone(), b));
        }
        write_atomic(&dir.join("sobol.csv"), table.as_bytes())?;
        written.push("sobol.csv".into());
        if !no_charts {
            for format in [Format::Png, Format::Svg] {
                let file = format!("sobol.{}", format.extension());
                write_atomic(
                    &dir.join(&file),
                    &sobol_chart(
                        &format!(
                            "{name}: Sobol indices ({})",
                            factors
                                .iter()
                                .map(|f| format!(
                                    "{} = {}",
                                    short_name(f),
                                    f.trim_start_matches("parameters.")
                                ))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        &bars,
                        format,
                        (1800, 1000),
                    )?,
                )?;
                written.push(file);
            }
        }
    } else if !no_charts && factors.len() == 1 {
        let xs = col(&factors[0]);
        let mut curves: Vec<(String, Curve)> = Vec::new();
        for m in OUTPUT_METRICS.iter().map(|m| m.name()).chain(["consensus"]) {
            let (mean, lo, hi) = if m == "consensus" {
                (
                    col("consensus_share"),
                    col("consensus_low"),
                    col("consensus_high"),
                )
            } else {
                (
                    col(&format!("{m}_mean")),
                    col(&format!("{m}_q025")),
                    col(&format!("{m}_q975")),
                )
            };
            let mut curve: Curve = (0..xs.len())
                .map(|i| (xs[i], mean[i], lo[i], hi[i]))
                .filter(|p| !p.1.is_nan())
                .collect();
            curve.sort_by(|a, b| a.0.total_cmp(&b.0));
            let label = outputs
                .iter()
                .find(|(c, _)| c.starts_with(m))
                .map_or(m.to_string(), |(_, l)| l.clone());
            curves.push((label, curve));
        }
        for format in [Format::Png, Format::Svg] {
            let file = format!("sweep.{}", format.extension());
            write_atomic(
                &dir.join(&file),
                &factor_chart(
                    &format!("{name}: outputs against {}", factors[0]),
                    &factors[0],
                    &curves,
                    format,
                    (1800, 1000),
                )?,
            )?;
            written.push(file);
        }
    } else if !no_charts && factors.len() == 2 && json["design"] == "grid" {
        let (fx, fy) = (col(&factors[1]), col(&factors[0]));
        let mut xs: Vec<f64> = fx.clone();
        xs.sort_by(f64::total_cmp);
        xs.dedup();
        let mut ys: Vec<f64> = fy.clone();
        ys.sort_by(f64::total_cmp);
        ys.dedup();
        for (column, label) in [
            ("consensus_share", "consensus share"),
            ("trust_across_mean", "final cross-sector trust"),
        ] {
            let v = col(column);
            let mut grid = vec![vec![f64::NAN; xs.len()]; ys.len()];
            for i in 0..v.len() {
                let ix = xs.iter().position(|x| *x == fx[i]).unwrap_or(0);
                let iy = ys.iter().position(|y| *y == fy[i]).unwrap_or(0);
                grid[iy][ix] = v[i];
            }
            for format in [Format::Png, Format::Svg] {
                let file = format!("heatmap-{column}.{}", format.extension());
                write_atomic(
                    &dir.join(&file),
                    &heatmap(
                        &Heatmap {
                            title: &format!("{name}: {label}"),
                            x_name: &factors[1],
                            y_name: &factors[0],
                            xs: &xs,
                            ys: &ys,
                            values: &grid,
                        },
                        format,
                        (1200, 1000),
                    )?,
                )?;
                written.push(file);
            }
        }
    }
    out!("output: {}/ ({})", dir.display(), written.join(", "));
    Ok(())
}
