//! `collabgov discover`: scenario discovery on a finished sweep with PRIM, as EMA
//! Workbench does it: which ranges of the factors hold the points where a condition on
//! an output holds. Prints the peeling trajectory and a sentence; with `--out`, writes
//! `discover.csv` and the chart.

use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;

use crate::common::Formats;
use crate::files::{MAX_DATA_BYTES, read_input, write_atomic};
use crate::sweep_dir::read_manifest;
use collabgov_study::sweep::prim::{PrimOptions, discover as run_prim};

/// `collabgov discover`.
#[derive(Args, Debug)]
pub struct DiscoverArgs {
    /// A finished sweep folder (`collabgov sweep --out`), whose points.csv is read.
    #[arg(value_name = "SWEEP_DIR")]
    pub sweep_dir: PathBuf,
    /// The condition on an output column of points.csv, e.g. "consensus_share < 0.2" or "trust_across_mean >= 0.6".
    #[arg(long = "where", value_name = "CONDITION")]
    pub condition: String,
    /// The box the sentence describes: a step of the trajectory (default: the densest box whose coverage is at least --min-coverage).
    #[arg(long = "box", value_name = "ID")]
    pub chosen: Option<usize>,
    /// The least coverage of the box chosen by default.
    #[arg(long, value_name = "SHARE", default_value_t = 0.5)]
    pub min_coverage: f64,
    /// The share of a box's points each peel removes (EMA Workbench's peel_alpha).
    #[arg(long, value_name = "SHARE", default_value_t = 0.05)]
    pub peel_alpha: f64,
    /// The share each paste adds back (paste_alpha).
    #[arg(long, value_name = "SHARE", default_value_t = 0.05)]
    pub paste_alpha: f64,
    /// The least share of all points a box keeps (mass_min).
    #[arg(long, value_name = "SHARE", default_value_t = 0.05)]
    pub mass_min: f64,
    /// Write discover.csv (the trajectory with each box's limits) and the chart into this new or empty folder.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Chart formats (with --out).
    #[arg(long, value_enum, default_value = "both")]
    pub format: Formats,
    #[command(flatten)]
    pub style: crate::common::ChartStyleArgs,
}

/// `collabgov discover`.
pub fn discover(args: &DiscoverArgs) -> Result<ExitCode> {
    let options = PrimOptions {
        peel_alpha: args.peel_alpha,
        paste_alpha: args.paste_alpha,
        mass_min: args.mass_min,
    };
    // The settings are checked before anything is read (and again by `discover`, for
    // every front end).
    options.check().map_err(anyhow::Error::msg)?;
    let Some(manifest) = read_manifest(&args.sweep_dir)? else {
        bail!(
            "{} is not a finished sweep folder (it has no sweep.json): run `collabgov sweep FILE --out DIR` first",
            args.sweep_dir.display()
        );
    };
    // Where the files go is checked before anything is computed.
    if let Some(meta) = args.out.as_ref().and_then(|o| fs::metadata(o).ok()) {
        let out = args.out.as_ref().expect("metadata of --out");
        let empty = meta.is_dir() && fs::read_dir(out).is_ok_and(|mut e| e.next().is_none());
        if !empty {
            bail!(
                "{} exists and is not an empty folder: collabgov discover writes only into a new or empty folder. Choose another --out",
                out.display()
            );
        }
    }
    let style = args.style.style()?;
    let points_file = args.sweep_dir.join("points.csv");
    let text = read_input(&points_file, MAX_DATA_BYTES)
        .with_context(|| format!("cannot read the points of {}", args.sweep_dir.display()))?;
    let found = run_prim(
        &text,
        &manifest.factors,
        &args.condition,
        options,
        (args.chosen, args.min_coverage),
    )
    .map_err(|m| anyhow::anyhow!("{}: {m}", points_file.display()))?;
    out!("box coverage density  mass   n    k  restricted");
    for s in &found.trajectory {
        out!(
            "{:>3} {:>8.3} {:>7.3} {:>5.3} {:>4} {:>4}  {}{}",
            s.id,
            s.coverage,
            s.density,
            s.mass,
            s.n,
            s.k,
            found.restrictions(s).join(", "),
            if s.id == found.chosen {
                "   <- chosen"
            } else {
                ""
            }
        );
    }
    out!("");
    out!("{}", found.sentence());
    if let Some(out) = &args.out {
        fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
        let mut written = vec!["discover.csv".to_string()];
        write_atomic(&out.join("discover.csv"), found.trajectory_csv().as_bytes())?;
        let _drawing = collabgov_viz::style::Scoped::new(&style);
        let size = collabgov_viz::style::sized((1600, 800), false);
        for format in args.format.list() {
            let name = format!("discover.{}", format.extension());
            let bytes = collabgov_viz::discover::discover_chart(&found, format, size)?;
            write_atomic(&out.join(&name), &bytes)?;
            written.push(name);
        }
        crate::files::sync_dir(out);
        out!("wrote {} into {}/", written.join(", "), out.display());
    }
    Ok(ExitCode::SUCCESS)
}
