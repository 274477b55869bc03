//! `collabgov merge`: joins the part files of a sharded sweep into the `points.csv` one
//! machine would write, checking every row and refusing conflicts.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;
use collabgov_study::manifest::PartManifest;
use collabgov_study::sweep::MAX_POINTS;

use crate::fault;
use crate::files::{Lock, MAX_DATA_BYTES, read_input, write_atomic};
use crate::sweep_dir::{check_row, finish, read_manifest, read_sidecar};

/// `collabgov merge`.
#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The sweep's output folder holding sweep.json and points.part-K-of-N.csv files.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Do not draw charts.
    #[arg(long)]
    pub no_charts: bool,
    /// Chart and table formats, as for `collabgov sweep --format`.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "both")]
    pub format: Vec<crate::common::FormatName>,
    #[command(flatten)]
    pub style: crate::common::ChartStyleArgs,
}

/// A row and where it was read.
struct Found {
    row: String,
    file: PathBuf,
    line: usize,
}

/// What every part is checked against: the plan's fingerprint and header.
struct Plan<'a> {
    fingerprint: &'a str,
    header: &'a str,
    n_fields: usize,
    n_points: usize,
}

/// Reads one part (or an earlier `points.csv`) into `rows`: its sidecar of this plan, its
/// table as its shard finished it, its header, and every row checked, a row of a point
/// already read only if it is the same.
fn read_part(path: &Path, plan: &Plan<'_>, rows: &mut BTreeMap<usize, Found>) -> Result<()> {
    let side = path.with_extension("json");
    let Some(own) = read_sidecar(&side).filter(|s| s.fingerprint == *plan.fingerprint) else {
        bail!(
            "{} belongs to another sweep plan or collabgov version, or has no sidecar {} (sweep.json's fingerprint is {}): it is not merged",
            path.display(),
            side.display(),
            plan.fingerprint
        );
    };
    let text = read_input(path, MAX_DATA_BYTES)?;
    // A finished shard's table must hold what the shard wrote (a well-formed table of
    // another plan copied over it is refused); points.csv, which merge itself writes
    // after its sidecar, is read again only while it matches.
    let changed = own
        .finished_sha256
        .as_ref()
        .is_some_and(|h| *h != collabgov_study::inputs::sha256(text.as_bytes()));
    if changed && path.file_name().is_some_and(|n| n == "points.csv") {
        return Ok(());
    }
    if changed {
        bail!(
            "{} is not the table its shard finished (its SHA-256 differs from {}'s): it was changed or replaced; run that shard again with --restart",
            path.display(),
            side.display()
        );
    }
    let mut lines = text.split_inclusive('\n');
    if lines.next().map(|l| l.trim_end_matches('\n')) != Some(plan.header) {
        bail!(
            "{}, line 1: expected sweep.json's header, found another: it belongs to another sweep",
            path.display()
        );
    }
    for (i, line) in lines.enumerate() {
        let number = i + 2;
        let Some(row) = line.strip_suffix('\n') else {
            bail!(
                "{}, line {number}: the row is incomplete (its shard was interrupted): run that shard again to resume it, then merge",
                path.display()
            );
        };
        let index = check_row(row, plan.n_fields, plan.n_points)
            .map_err(|m| anyhow::anyhow!("{}, line {number}: {m}", path.display()))?;
        if let Some(earlier) = rows.get(&index) {
            if earlier.row != row {
                bail!(
                    "point {index} has two different rows: {}, line {}, and {}, line {number}; remove the wrong file and merge again",
                    earlier.file.display(),
                    earlier.line,
                    path.display()
                );
            }
            continue;
        }
        rows.insert(
            index,
            Found {
                row: row.to_string(),
                file: path.to_path_buf(),
                line: number,
            },
        );
    }
    Ok(())
}

/// `collabgov merge`.
pub fn merge(args: &MergeArgs) -> Result<ExitCode> {
    crate::common::split_formats(&args.format)?;
    let style = args.style.style()?;
    let dir = &args.dir;
    let json = read_manifest(dir)?.with_context(|| {
        format!(
            "{} holds no sweep.json: is it a sweep folder?",
            dir.display()
        )
    })?;
    if json.points == 0 || json.points > MAX_POINTS as u64 {
        bail!(
            "{}: expected 1 to {MAX_POINTS} points, found {}",
            dir.join("sweep.json").display(),
            json.points
        );
    }
    let n_points = json.points as usize;
    let header = json.header.clone();
    let n_fields = header.split(',').count();
    let _lock = Lock::take(
        &dir.join(".sweep.lock"),
        &format!("a sweep is still writing {}", dir.display()),
    )?;
    let sidecar = PartManifest {
        fingerprint: json.fingerprint.clone(),
        collabgov_version: json.collabgov_version.clone(),
        finished_sha256: None,
    };
    // The part files, and a points.csv of an earlier (possibly interrupted) single-machine run.
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                n == "points.csv"
                    || (crate::sweep_dir::is_sweep_file(&n)
                        && n.ends_with(".csv")
                        && n.starts_with("points.part-"))
            })
        })
        .collect();
    entries.sort();
    let plan = Plan {
        fingerprint: &sidecar.fingerprint,
        header: &header,
        n_fields,
        n_points,
    };
    let mut rows: BTreeMap<usize, Found> = BTreeMap::new();
    for path in &entries {
        read_part(path, &plan, &mut rows)?;
    }
    if rows.len() < n_points {
        let missing: Vec<String> = (0..n_points)
            .filter(|i| !rows.contains_key(i))
            .take(20)
            .map(|i| i.to_string())
            .collect();
        bail!(
            "{} of {n_points} points are missing from the {} files in {}: {}{}; run the shards that hold them again",
            n_points - rows.len(),
            entries.len(),
            dir.display(),
            missing.join(", "),
            if n_points - rows.len() > 20 {
                ", ..."
            } else {
                ""
            }
        );
    }
    let mut text = format!("{header}\n");
    for found in rows.values() {
        text.push_str(&found.row);
        text.push('\n');
    }
    let merged = PartManifest {
        finished_sha256: Some(collabgov_study::inputs::sha256(text.as_bytes())),
        ..sidecar
    };
    write_atomic(
        &dir.join("points.json"),
        serde_json::to_string(&merged)?.as_bytes(),
    )?;
    fault::point("merge-sidecar-written");
    write_atomic(&dir.join("points.csv"), text.as_bytes())?;
    out!(
        "merged {} files: {n_points} points into {}",
        entries.len(),
        dir.join("points.csv").display()
    );
    collabgov_viz::style::with_style(&style, || finish(dir, &json, args.no_charts, &args.format))?;
    Ok(ExitCode::SUCCESS)
}
