//! What a finished `points.csv` gives: its columns, the Sobol table (`sobol.csv`) of a
//! Saltelli design, and the data of the sweep charts (outputs against one factor, a heatmap
//! over two), so every front end computes them the same way.

use crate::manifest::SweepManifest;
use crate::sweep::{MAX_BOOTSTRAP, sobol_indices};
use collabgov_sim::metrics::{Families, Metric};
use collabgov_sim::stats::format_number;

/// The columns of a `points.csv`, by name.
#[derive(Clone, Debug)]
pub struct Points {
    headers: Vec<String>,
    rows: Vec<Vec<f64>>,
}

impl Points {
    /// Reads `points.csv`'s text (numbers; empty or unreadable fields are NaN).
    pub fn parse(text: &str) -> Result<Points, csv::Error> {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader.headers()?.iter().map(str::to_string).collect();
        let mut rows = Vec::new();
        for record in reader.records() {
            rows.push(
                record?
                    .iter()
                    .map(|v| v.parse().unwrap_or(f64::NAN))
                    .collect(),
            );
        }
        Ok(Points { headers, rows })
    }

    /// Whether the table has column `name`.
    pub fn has(&self, name: &str) -> bool {
        self.headers.iter().any(|h| h == name)
    }

    /// The column names.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// A column's values (NaN throughout when there is no such column).
    pub fn column(&self, name: &str) -> Vec<f64> {
        let c = self.headers.iter().position(|h| h == name);
        self.rows
            .iter()
            .map(|r| c.and_then(|c| r.get(c).copied()).unwrap_or(f64::NAN))
            .collect()
    }
}

/// The outputs a sweep analyses: each sweep metric's final mean (services metrics when the
/// points hold them), then the consensus share; column and label.
pub fn outputs(points: &Points) -> Vec<(String, String)> {
    let mut outputs: Vec<(String, String)> = sweep_metrics(points)
        .map(|m| (format!("{}_mean", m.name()), m.label().to_string()))
        .collect();
    outputs.push(("consensus_share".into(), "Consensus share".into()));
    outputs
}

/// The sweep metrics whose columns `points` holds.
fn sweep_metrics(points: &Points) -> impl Iterator<Item = Metric> + '_ {
    Metric::sweep_outputs(Families::ALL).filter(|m| {
        points
            .headers
            .iter()
            .any(|h| *h == format!("{}_mean", m.name()))
    })
}

/// A factor's short name for chart axes: its docs/model.md symbol for a CG-1 parameter, else the
/// last part of its key path.
pub fn short_name(key: &str) -> String {
    let param = key.strip_prefix("parameters.").unwrap_or("");
    collabgov_core::params::PARAMETERS
        .iter()
        .chain(collabgov_core::params::CONSENSUS_PARAMETERS.iter())
        .find(|(name, _, _)| *name == param)
        .map(|(_, symbol, _)| symbol.to_string())
        .unwrap_or_else(|| key.rsplit('.').next().unwrap_or(key).to_string())
}

/// A factor's name for people, on chart axes: a CG-1 parameter's name with its symbol
/// (`parameters.leadership`: "leadership (L)"), else the key path without `parameters.`.
pub fn factor_label(key: &str) -> String {
    match key.strip_prefix("parameters.") {
        Some(name) => {
            let symbol = short_name(key);
            if symbol == name.rsplit('.').next().unwrap_or(name) {
                name.to_string()
            } else {
                format!("{name} ({symbol})")
            }
        }
        None => key.to_string(),
    }
}

/// One row of `sobol.csv`: an output's indices for one factor, with 95 % bootstrap intervals.
#[derive(Clone, Debug, PartialEq)]
pub struct SobolRow {
    /// The output column.
    pub output: String,
    /// Its label.
    pub label: String,
    /// The factor's key path.
    pub factor: String,
    /// S1 and its interval.
    pub s1: (f64, f64, f64),
    /// ST and its interval.
    pub st: (f64, f64, f64),
    /// The share of the output's variance across points that is replicate noise (the mean
    /// squared standard error of a point's mean over the variance of the points' means; NaN
    /// without the points' intervals). The same for every factor of an output.
    pub noise: f64,
}

/// The share of `y`'s variance that is replicate noise: each point's standard error is read
/// back from its 95 % interval (`low`, `high`) as half its width over t with `replicates - 1`
/// degrees of freedom (for a share's Wilson interval, an approximation).
fn noise_share(y: &[f64], low: &[f64], high: &[f64], replicates: u32) -> f64 {
    let t = collabgov_sim::stats::t95(replicates.saturating_sub(1) as usize);
    let n = y.len() as f64;
    let mean = y.iter().sum::<f64>() / n;
    let var = y.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    let se2 = low
        .iter()
        .zip(high)
        .map(|(l, h)| ((h - l) / (2.0 * t)).powi(2))
        .sum::<f64>()
        / n;
    if var > 0.0 { se2 / var } else { f64::NAN }
}

/// The Sobol indices of every output with a value at every point.
pub fn sobol_rows(points: &Points, manifest: &SweepManifest) -> Vec<SobolRow> {
    let k = manifest.factors.len();
    let bootstrap = manifest.bootstrap.min(MAX_BOOTSTRAP) as usize;
    let mut rows = Vec::new();
    for (column, label) in outputs(points) {
        let y = points.column(&column);
        if y.iter().any(|v| v.is_nan()) {
            continue;
        }
        let indices = sobol_indices(&y, k, bootstrap, manifest.seed);
        // `trust_across_mean` has `trust_across_low`; `consensus_share` has `consensus_low`.
        let stem = column
            .strip_suffix("_mean")
            .or_else(|| column.strip_suffix("_share"))
            .unwrap_or(&column);
        let noise = noise_share(
            &y,
            &points.column(&format!("{stem}_low")),
            &points.column(&format!("{stem}_high")),
            manifest.replicates,
        );
        for (factor, i) in manifest.factors.iter().zip(&indices) {
            rows.push(SobolRow {
                output: column.clone(),
                label: label.clone(),
                factor: factor.clone(),
                s1: (i.s1, i.s1_interval.0, i.s1_interval.1),
                st: (i.st, i.st_interval.0, i.st_interval.1),
                noise,
            });
        }
    }
    rows
}

/// `sobol.csv`.
pub fn write_sobol_csv(rows: &[SobolRow], w: impl std::io::Write) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "output", "factor", "S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high", "noise",
    ])?;
    for r in rows {
        let f = |v: f64| {
            if v.is_nan() {
                "NaN".to_string()
            } else {
                format_number(v)
            }
        };
        out.write_record([
            r.output.clone(),
            r.factor.clone(),
            f(r.s1.0),
            f(r.s1.1),
            f(r.s1.2),
            f(r.st.0),
            f(r.st.1),
            f(r.st.2),
            f(r.noise),
        ])?;
    }
    out.flush()?;
    Ok(())
}

/// One output's curve against a factor: (level, mean, low, high), levels ascending.
pub type Curve = Vec<(f64, f64, f64, f64)>;

/// Every output against the single factor of a sweep (mean with its 2.5-97.5 % range, the
/// consensus share with its Wilson interval), with labels.
pub fn factor_curves(points: &Points, factor: &str) -> Vec<(String, Curve)> {
    let xs = points.column(factor);
    let mut curves = Vec::new();
    let series = sweep_metrics(points)
        .map(|m| {
            (
                m.label().to_string(),
                format!("{}_mean", m.name()),
                format!("{}_q025", m.name()),
                format!("{}_q975", m.name()),
            )
        })
        .chain([(
            "Consensus share".to_string(),
            "consensus_share".to_string(),
            "consensus_low".to_string(),
            "consensus_high".to_string(),
        )]);
    for (label, mean, lo, hi) in series {
        let (mean, lo, hi) = (points.column(&mean), points.column(&lo), points.column(&hi));
        let mut curve: Curve = (0..xs.len())
            .map(|i| (xs[i], mean[i], lo[i], hi[i]))
            .filter(|p| !p.1.is_nan())
            .collect();
        curve.sort_by(|a, b| a.0.total_cmp(&b.0));
        curves.push((label, curve));
    }
    curves
}

/// A grid's values over two factors: levels along x and y, and `values[y][x]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    /// Levels of the x factor, ascending.
    pub xs: Vec<f64>,
    /// Levels of the y factor, ascending.
    pub ys: Vec<f64>,
    /// The column's value at each (y, x); NaN where no point is.
    pub values: Vec<Vec<f64>>,
}

/// The heatmaps a two-factor grid sweep draws: column and label.
pub const HEATMAPS: [(&str, &str); 2] = [
    ("consensus_share", "consensus share"),
    ("trust_across_mean", "final cross-sector trust"),
];

/// The heatmaps of a two-factor grid of a sweep with services, besides [`HEATMAPS`].
pub const SERVICE_HEATMAPS: [(&str, &str); 2] = [
    ("service_time_mean", "final service time (rounds)"),
    ("trips_mean", "final trips per request"),
];

/// The heatmaps `points` can draw (column, label): [`HEATMAPS`], and
/// [`SERVICE_HEATMAPS`] when the sweep had services.
pub fn heatmaps(points: &Points) -> Vec<(&'static str, &'static str)> {
    let mut out = HEATMAPS.to_vec();
    if points.headers.iter().any(|h| h == SERVICE_HEATMAPS[0].0) {
        out.extend(SERVICE_HEATMAPS);
    }
    out
}

/// The colour range of a heatmap of `column`: `(0, 1)` for a share, else from the lowest
/// to the highest value.
pub fn heat_range(column: &str, values: &[Vec<f64>]) -> (f64, f64) {
    if HEATMAPS.iter().any(|(c, _)| *c == column) {
        return (0.0, 1.0);
    }
    let finite = values.iter().flatten().copied().filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) }
}

/// `column` over a two-factor grid (`x` the second factor, `y` the first).
pub fn grid(points: &Points, x: &str, y: &str, column: &str) -> Grid {
    let (fx, fy) = (points.column(x), points.column(y));
    let levels = |v: &[f64]| {
        let mut l = v.to_vec();
        l.sort_by(f64::total_cmp);
        l.dedup();
        l
    };
    let (xs, ys) = (levels(&fx), levels(&fy));
    let v = points.column(column);
    let mut values = vec![vec![f64::NAN; xs.len()]; ys.len()];
    let at = |levels: &[f64], v: f64| levels.binary_search_by(|a| a.total_cmp(&v)).unwrap_or(0);
    for i in 0..v.len() {
        values[at(&ys, fy[i])][at(&xs, fx[i])] = v[i];
    }
    Grid { xs, ys, values }
}

/// The cells of [`grid`]'s table over `x` and `y`: the distinct levels of one times the
/// other's (a caller reading a file checks it against the plan before building the grid).
pub fn grid_cells(points: &Points, x: &str, y: &str) -> usize {
    let distinct = |v: Vec<f64>| {
        let mut l = v;
        l.sort_by(f64::total_cmp);
        l.dedup();
        l.len()
    };
    distinct(points.column(x)).saturating_mul(distinct(points.column(y)))
}

#[cfg(test)]
mod tests {
    use super::noise_share;

    /// Points whose means vary by 1 (variance 1) and whose 95 % intervals are 2 t se wide
    /// with se = 0.5: noise is 0.25 of the variance.
    #[test]
    fn noise_share_reads_standard_errors_back_from_intervals() {
        let t = collabgov_sim::stats::t95(9);
        let y = [-1.0, 1.0, -1.0, 1.0];
        let low: Vec<f64> = y.iter().map(|v| v - 0.5 * t).collect();
        let high: Vec<f64> = y.iter().map(|v| v + 0.5 * t).collect();
        assert!((noise_share(&y, &low, &high, 10) - 0.25).abs() < 1e-12);
        assert!(noise_share(&[0.5, 0.5], &[0.4, 0.4], &[0.6, 0.6], 10).is_nan());
    }
}
