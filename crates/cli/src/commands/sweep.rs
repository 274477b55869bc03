//! `collabgov sweep`: a parameter sweep, streamed to `points.csv` row by row, resumable
//! after any interruption, shardable over a cluster (`--shard K/N`), locked against a
//! second writer; and the Sobol table and charts of a finished sweep (shared with merge).

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args;
use collabgov_study::manifest::{PartManifest, SweepManifest};
use collabgov_study::ops;

use crate::common::{FormatName, pool, progress, split_formats};
use crate::fault;
use crate::files::{self, Lock, MAX_DATA_BYTES, read_input, write_atomic};
use crate::outdir::folder_lock;
use crate::sweep_dir::{
    check_row, finish, is_harmless, is_sweep_file, load_plan, manifest, read_manifest, read_sidecar,
};

/// A shard `K/N`: the K-th of N (1-based, as cargo-nextest, Playwright and Jest count).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, 1..=n.
    pub k: usize,
    /// How many.
    pub n: usize,
}

impl Shard {
    /// Whether point `index` (0-based) belongs to this shard.
    pub fn holds(self, index: usize) -> bool {
        index % self.n == self.k - 1
    }

    /// The part file's name without extension.
    pub fn stem(self) -> String {
        format!("points.part-{}-of-{}", self.k, self.n)
    }
}

/// Parses `K/N` with 1 <= K <= N.
pub fn parse_shard(text: &str) -> Result<Shard, String> {
    let bad = || {
        format!("expected K/N with 1 <= K <= N, e.g. 1/4 for the first of four, found \"{text}\"")
    };
    let (k, n) = text.split_once('/').ok_or_else(bad)?;
    let (k, n): (usize, usize) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if k == 0 || k > n {
        return Err(bad());
    }
    Ok(Shard { k, n })
}

/// `collabgov sweep`.
#[derive(Args, Debug)]
pub struct SweepArgs {
    /// A sweep file (.toml), see docs/sweeps.md.
    #[arg(value_name = "SWEEP")]
    pub sweep: PathBuf,
    /// Run only shard K of N, e.g. `--shard 1/4` for the first of four: points with index % N == K - 1, into points.part-K-of-N.csv. Join the parts with `collabgov merge DIR`.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,
    /// Worker threads (0 or unset: every core, or RAYON_NUM_THREADS).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Output folder (default: `output/<sweep name>/`). An existing folder must be empty or a sweep's (see --force).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Start again: delete the files this sweep wrote in the folder (points, parts, their sidecars, Sobol table, charts), nothing else.
    #[arg(long)]
    pub restart: bool,
    /// Write into an existing --out folder that holds no sweep.json (its other files are left alone).
    #[arg(long)]
    pub force: bool,
    /// Do not draw charts.
    #[arg(long)]
    pub no_charts: bool,
    /// Chart and table formats, comma-separated: png, svg, both (charts; default both), csv, parquet (tables; parquet adds points.parquet and sobol.parquet beside points.csv, which stays as the resumable record; needs a build with `--features parquet`).
    #[arg(long, value_enum, value_delimiter = ',', default_value = "both")]
    pub format: Vec<FormatName>,
    #[command(flatten)]
    pub style: crate::common::ChartStyleArgs,
}

/// Complete rows already in `path` for the expected point sequence; a partial last line or
/// a row out of sequence ends the kept prefix (the points from there on run again).
fn finished_rows(
    path: &Path,
    header: &str,
    expected: &[usize],
    n_points: usize,
) -> Result<Vec<String>> {
    if fs::symlink_metadata(path).is_err() {
        return Ok(Vec::new());
    }
    let text = read_input(path, MAX_DATA_BYTES)?;
    let mut lines = text.split_inclusive('\n');
    match lines.next() {
        Some(first) if first.trim_end_matches('\n') == header => {}
        Some(_) => bail!(
            "{} has another header than this sweep's: use --restart to start again",
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
        if check_row(row, n_fields, n_points) != Ok(want) {
            eprintln!(
                "note: {}, line {}: not the expected row of point {want}; the points from there on run again",
                path.display(),
                kept.len() + 2
            );
            break;
        }
        kept.push(row.to_string());
    }
    Ok(kept)
}

/// Refuses an `--out` that is a file, or (without `--force`) a folder that is not a sweep's
/// and holds files of its own, before anything runs; returns the folder's `sweep.json`, if
/// it is a sweep's.
fn refuse_foreign(out: &Path, force: bool) -> Result<Option<SweepManifest>> {
    if let Ok(meta) = fs::metadata(out)
        && !meta.is_dir()
    {
        bail!(
            "{} exists and is not a folder: choose another --out",
            out.display()
        );
    }
    let old = read_manifest(out)?;
    if old.is_none() && !force {
        let foreign: Vec<String> = fs::read_dir(out)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| !is_harmless(n))
            .collect();
        if let Some(first) = foreign.first() {
            bail!(
                "{} exists and is not a collabgov sweep folder (it has no sweep.json, and holds {first}{}): choose another --out, or add --force to write the sweep into it (its files are left alone)",
                out.display(),
                if foreign.len() > 1 {
                    format!(" and {} more", foreign.len() - 1)
                } else {
                    String::new()
                }
            );
        }
    }
    Ok(old)
}

/// The locks a sweep holds while it writes: the output folder's (which `run`, `compare` and
/// `assess` take alone) and the sweep's folder lock, both shared (alone for `--restart`),
/// and its own file alone.
struct Claimed {
    _output: Lock,
    _folder: Lock,
    _mine: Lock,
}

/// Takes the folder for this plan: locks it, refuses another plan's sweep (unless
/// `restart`, which removes the sweep's files first), writes `sweep.json` for a new plan,
/// and checks and writes the sidecar of `STEM.csv`.
fn claim(
    out: &Path,
    stem: &str,
    json: &SweepManifest,
    old: Option<&SweepManifest>,
    restart: bool,
) -> Result<Claimed> {
    let target = out.join(format!("{stem}.csv"));
    let sidecar_path = out.join(format!("{stem}.json"));
    // Every sweep of the folder holds it shared (merge and --restart hold it alone); each
    // holds its own file alone.
    let output = folder_lock(out, !restart)?;
    let what = format!("another sweep is writing {}", out.display());
    let folder = if restart {
        Lock::take(&out.join(".sweep.lock"), &what)?
    } else {
        Lock::take_shared(&out.join(".sweep.lock"), &what)?
    };
    let mine = Lock::take(&out.join(format!(".{stem}.lock")), &what)?;

    let same_plan = old.is_some_and(|o| o.fingerprint == json.fingerprint);
    if let Some(o) = old
        && !same_plan
        && !restart
    {
        bail!(
            "{} holds a sweep of another plan, other input files or another collabgov version (fingerprint {} against {}): use another --out, or --restart to discard it",
            out.display(),
            o.fingerprint,
            json.fingerprint
        );
    }
    if restart {
        for entry in fs::read_dir(out)?.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if is_sweep_file(&name) && entry.file_type().is_ok_and(|t| t.is_file()) {
                fs::remove_file(entry.path())
                    .with_context(|| format!("cannot remove {}", entry.path().display()))?;
            }
        }
    }
    if !same_plan {
        write_atomic(
            &out.join("sweep.json"),
            serde_json::to_string_pretty(json)?.as_bytes(),
        )?;
    }
    let sidecar = PartManifest {
        fingerprint: json.fingerprint.clone(),
        collabgov_version: env!("CARGO_PKG_VERSION").into(),
        finished_sha256: None,
    };
    if fs::symlink_metadata(&target).is_ok()
        && !read_sidecar(&sidecar_path).is_some_and(|s| s.same_plan(&sidecar))
    {
        bail!(
            "{} has no sidecar {} of this plan, so which sweep wrote it cannot be told: use --restart to start again",
            target.display(),
            sidecar_path.display()
        );
    }
    write_atomic(&sidecar_path, serde_json::to_string(&sidecar)?.as_bytes())?;
    Ok(Claimed {
        _output: output,
        _folder: folder,
        _mine: mine,
    })
}

/// `collabgov sweep`.
pub fn sweep(args: &SweepArgs) -> Result<ExitCode> {
    split_formats(&args.format)?;
    let style = args.style.style()?;
    let (plan, base_dir, inputs) = load_plan(&args.sweep)?;
    for w in &plan.warnings {
        eprintln!("warning: {}: {w}", plan.raw.name);
    }
    let json = manifest(&plan, &inputs);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(files::slug(&plan.raw.name)));
    let old = refuse_foreign(&out, args.force)?;
    fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let (stem, shard) = match args.shard {
        Some(shard) => (shard.stem(), shard),
        None => ("points".to_string(), Shard { k: 1, n: 1 }),
    };
    let target = out.join(format!("{stem}.csv"));
    let _locks = claim(&out, &stem, &json, old.as_ref(), args.restart)?;

    let mine: Vec<usize> = (0..plan.points.len()).filter(|&i| shard.holds(i)).collect();
    let header = plan.header();
    let kept = finished_rows(&target, &header, &mine, plan.points.len())?;
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

    let pool = pool(args.threads)?;
    let bar = progress(mine.len() as u64, "points", &plan.raw.name);
    bar.set_position(kept.len() as u64);
    let load = |name: &str| -> Result<String, String> {
        files::read_input(&base_dir.join(name), MAX_DATA_BYTES).map_err(|e| format!("{e:#}"))
    };
    let started = Instant::now();
    let mut file = OpenOptions::new()
        .append(true)
        .open(&target)
        .with_context(|| format!("cannot open {}", target.display()))?;
    // Each chunk's rows are appended and synced as soon as they are done: an interrupted
    // sweep resumes from the last whole row (Ctrl-C ends the process; nothing is lost).
    ops::sweep::run_plan(
        &plan,
        todo,
        &load,
        &pool,
        &ops::Quiet::default(),
        &mut |text, points| {
            let (head, tail) = text.as_bytes().split_at(text.len() / 2);
            fault::write_error(&format!("{stem}.csv"))
                .and_then(|()| file.write_all(head))
                .map(|()| fault::point("sweep-mid-row"))
                .and_then(|()| file.write_all(tail))
                .and_then(|()| file.sync_data())
                .map_err(|e| {
                    ops::OpError::Table(format!("cannot write {}: {e}", target.display()))
                })?;
            bar.inc(points as u64);
            Ok(())
        },
    )?;
    bar.finish_and_clear();
    // The shard is finished: its sidecar now holds the table's hash, which `merge` checks.
    let finished = PartManifest {
        fingerprint: json.fingerprint.clone(),
        collabgov_version: env!("CARGO_PKG_VERSION").into(),
        finished_sha256: Some(collabgov_study::inputs::sha256(
            read_input(&target, MAX_DATA_BYTES)?.as_bytes(),
        )),
    };
    write_atomic(
        &out.join(format!("{stem}.json")),
        serde_json::to_string(&finished)?.as_bytes(),
    )?;
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
    if shard.n > 1 {
        out!(
            "shard {}/{} written to {}; join the shards with `collabgov merge {}`",
            shard.k,
            shard.n,
            target.display(),
            out.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    collabgov_viz::style::with_style(&style, || finish(&out, &json, args.no_charts, &args.format))?;
    Ok(ExitCode::SUCCESS)
}
