//! Two sweeps over the same design compared point by point: each point of both sweeps run
//! again (the runs are deterministic in the plan), checked against the rows the sweeps
//! wrote, and paired replicate by replicate (the same point seed gives the same networks
//! and every draw before the sweeps' scenarios differ). The differences go to a table with
//! the columns of a `points.csv` (`point`, the factors, then per output its mean paired
//! difference and 95 % interval: t over pairs, Newcombe's for the consensus share), which the sweep charts read as they read `points.csv`.

use collabgov_core::scenario::{Loader, ScenarioError};

use super::SweepPlan;
use super::point::{point_row, point_run};
use crate::output::RunTables;
use crate::report::{Paired, Side, pairable, paired};
use collabgov_sim::metrics::{Families, Metric};
use collabgov_sim::stats::format_number;

/// Why two sweeps cannot be paired point by point, or `Ok` when they can: the same factor
/// keys, the same points, the same seed, replicates and rounds.
pub fn same_design(a: &SweepPlan, b: &SweepPlan) -> Result<(), String> {
    let differ = |what: &str, x: String, y: String| {
        Err(format!(
            "the sweeps are not over the same design: {what} {x} against {y}"
        ))
    };
    if a.keys != b.keys {
        return differ("factors", a.keys.join(", "), b.keys.join(", "));
    }
    if a.points.len() != b.points.len() {
        return differ(
            "points",
            a.points.len().to_string(),
            b.points.len().to_string(),
        );
    }
    if let Some(i) = (0..a.points.len()).find(|&i| a.points[i] != b.points[i]) {
        return differ(
            &format!("the values of point {i}"),
            format!("{:?}", a.points[i]),
            format!("{:?}", b.points[i]),
        );
    }
    if a.raw.seed != b.raw.seed {
        return differ("seed", a.raw.seed.to_string(), b.raw.seed.to_string());
    }
    if a.raw.replicates != b.raw.replicates {
        return differ(
            "replicates",
            a.raw.replicates.to_string(),
            b.raw.replicates.to_string(),
        );
    }
    if a.raw.fixed_network != b.raw.fixed_network {
        return differ(
            "fixed_network",
            a.raw.fixed_network.to_string(),
            b.raw.fixed_network.to_string(),
        );
    }
    Ok(())
}

/// One point of both sweeps: the rows of `points.csv` their runs give (to check against the
/// files) and the paired differences `b - a` of every sweep output and of the consensus
/// reached (as a share); `None` when the point's two runs are not paired (other rounds or
/// network draws).
pub struct PointPair {
    /// Point index.
    pub index: usize,
    /// Sweep a's row of `points.csv`.
    pub row_a: String,
    /// Sweep b's row.
    pub row_b: String,
    /// The paired differences, or `None` when not paired.
    pub diffs: Option<Vec<Paired>>,
}

/// Runs point `index` of both sweeps and pairs the runs.
pub fn pair_point(
    a: &SweepPlan,
    b: &SweepPlan,
    index: usize,
    load_a: Loader<'_>,
    load_b: Loader<'_>,
) -> Result<PointPair, ScenarioError> {
    let (sa, ra) = point_run(a, index, load_a)?;
    let (sb, rb) = point_run(b, index, load_b)?;
    let (ta, tb) = (
        RunTables::finals_of(&sa, &ra),
        RunTables::finals_of(&sb, &rb),
    );
    let side = |name: &'static str, tables, seed| Side { name, tables, seed };
    let paired_runs =
        sa.rounds == sb.rounds && pairable(&side("a", &ta, sa.seed), &side("b", &tb, sb.seed));
    Ok(PointPair {
        index,
        row_a: point_row(index, &a.points[index], &ra, a.families),
        row_b: point_row(index, &b.points[index], &rb, b.families),
        diffs: paired_runs.then(|| paired(&ta, &tb)),
    })
}

/// The outputs of the differences table: each sweep output (services ones when both
/// sweeps have services) by its metric name, then `consensus_share` (`None`).
pub fn diff_outputs(families: Families) -> Vec<(String, Option<Metric>)> {
    let mut out: Vec<(String, Option<Metric>)> = Metric::sweep_outputs(families)
        .map(|m| (m.name().to_string(), Some(m)))
        .collect();
    out.push(("consensus_share".into(), None));
    out
}

/// The header of the differences table: `point`, the factor keys, then per output
/// `NAME_diff,NAME_diff_low,NAME_diff_high`.
pub fn diff_header(keys: &[String], families: Families) -> String {
    let mut h = String::from("point");
    for k in keys {
        h.push(',');
        h.push_str(k);
    }
    for (name, _) in diff_outputs(families) {
        h.push_str(&format!(",{name}_diff,{name}_diff_low,{name}_diff_high"));
    }
    h
}

/// A row of the differences table (without the line end); empty fields where the runs are
/// not paired or a metric has no value.
pub fn diff_row(plan: &SweepPlan, pair: &PointPair, families: Families) -> String {
    let mut row = pair.index.to_string();
    for v in &plan.points[pair.index] {
        row.push(',');
        row.push_str(&format_number(*v));
    }
    for (_, metric) in diff_outputs(families) {
        let p = pair
            .diffs
            .as_ref()
            .and_then(|d| d.iter().find(|p| p.metric == metric));
        match p {
            Some(p) => row.push_str(&format!(
                ",{},{},{}",
                format_number(p.mean),
                format_number(p.low),
                format_number(p.high)
            )),
            None => row.push_str(",,,"),
        }
    }
    row
}

/// Every output against the single factor of a differences table: mean paired difference
/// with its 95 % interval, with labels (as [`super::analysis::factor_curves`] for levels).
pub fn diff_curves(
    points: &super::analysis::Points,
    factor: &str,
    families: Families,
) -> Vec<(String, super::analysis::Curve)> {
    let xs = points.column(factor);
    diff_outputs(families)
        .into_iter()
        .map(|(name, metric)| {
            let label = metric.map_or("Consensus share", Metric::label);
            let col = |suffix: &str| points.column(&format!("{name}_diff{suffix}"));
            let (mean, lo, hi) = (col(""), col("_low"), col("_high"));
            let mut curve: super::analysis::Curve = (0..xs.len())
                .map(|i| (xs[i], mean[i], lo[i], hi[i]))
                .filter(|p| !p.1.is_nan())
                .collect();
            curve.sort_by(|a, b| a.0.total_cmp(&b.0));
            (format!("{label}: difference"), curve)
        })
        .collect()
}

/// The difference heatmaps of a two-factor grid: output name (its columns are
/// `NAME_diff`, `NAME_diff_low`, `NAME_diff_high`) and label.
pub fn diff_heatmaps(families: Families) -> Vec<(&'static str, &'static str)> {
    let mut out = vec![
        ("consensus_share", "consensus share"),
        ("trust_across", "final cross-sector trust"),
    ];
    if families.services {
        out.push(("service_time", "final service time (rounds)"));
        out.push(("trips", "final trips per request"));
    }
    out
}

/// A differences table's output over a two-factor grid: the mean differences and, per
/// cell, whether its 95 % interval excludes zero.
pub fn diff_grid(
    points: &super::analysis::Points,
    x: &str,
    y: &str,
    name: &str,
) -> (super::analysis::Grid, Vec<Vec<bool>>) {
    use super::analysis::grid;
    let mean = grid(points, x, y, &format!("{name}_diff"));
    let low = grid(points, x, y, &format!("{name}_diff_low"));
    let high = grid(points, x, y, &format!("{name}_diff_high"));
    let marked = low
        .values
        .iter()
        .zip(&high.values)
        .map(|(l, h)| l.iter().zip(h).map(|(l, h)| *l > 0.0 || *h < 0.0).collect())
        .collect();
    (mean, marked)
}

/// The comparison of two sweeps in words: for the consensus share and cross-sector trust,
/// at how many points `b` is above `a`, below, or not distinguishable (95 % intervals over
/// replicate pairs), and where the difference is largest.
pub fn diff_summary(a: &str, b: &str, plan: &SweepPlan, pairs: &[PointPair]) -> String {
    use std::fmt::Write as _;
    let mut text = String::new();
    let n = pairs.len();
    let unpaired = pairs.iter().filter(|p| p.diffs.is_none()).count();
    let _ = writeln!(
        text,
        "{b} minus {a}, paired replicate by replicate at each of {n} points ({} pairs each; {}):",
        plan.raw.replicates,
        crate::report::PAIRED_INTERVALS
    );
    for (metric, what, percent) in [
        (None, "consensus share", true),
        (Some(Metric::TrustAcross), "final cross-sector trust", false),
    ] {
        let found: Vec<(usize, &Paired)> = pairs
            .iter()
            .filter_map(|p| {
                p.diffs
                    .as_ref()
                    .and_then(|d| d.iter().find(|x| x.metric == metric))
                    .filter(|x| !x.mean.is_nan())
                    .map(|x| (p.index, x))
            })
            .collect();
        let above = found.iter().filter(|(_, p)| p.low > 0.0).count();
        let below = found.iter().filter(|(_, p)| p.high < 0.0).count();
        let show = |v: f64| {
            if percent {
                format!("{:+.0} %", 100.0 * v)
            } else {
                format!("{v:+.3}")
            }
        };
        let largest = found
            .iter()
            .max_by(|x, y| x.1.mean.abs().total_cmp(&y.1.mean.abs()))
            .map(|(i, p)| {
                let at: Vec<String> = plan
                    .keys
                    .iter()
                    .zip(&plan.points[*i])
                    .map(|(k, v)| format!("{} = {v}", k.trim_start_matches("parameters.")))
                    .collect();
                format!(
                    "; largest {} [{}, {}] at {}",
                    show(p.mean),
                    show(p.low),
                    show(p.high),
                    at.join(", ")
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            text,
            "  {what}: higher at {above} points, lower at {below}, not distinguishable at {}{largest}.",
            found.len() - above - below
        );
    }
    if unpaired > 0 {
        let _ = writeln!(
            text,
            "  {unpaired} points could not be paired (their runs differ in rounds or network draws): their fields are empty."
        );
    }
    text
}
