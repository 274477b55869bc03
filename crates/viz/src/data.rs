//! The data each chart draws, computed from a run's tables, so it can be tested as data.

use collabgov_sim::Metric;
use collabgov_sim::metrics::GroupMetric;
use collabgov_sim::stats::{Design, share_interval, wilson};
use collabgov_study::output::{ActorRow, RunTables};

/// One point of a band chart: round, mean, 2.5 % and 97.5 % quantiles.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BandPoint {
    /// Round.
    pub round: u32,
    /// Mean over replicates.
    pub mean: f64,
    /// Lower edge of the band.
    pub low: f64,
    /// Upper edge of the band.
    pub high: f64,
}

/// The mean line and the 2.5-97.5 % band of a metric, rounds with no value left out.
pub fn band(tables: &RunTables, metric: Metric) -> Vec<BandPoint> {
    band_of(tables.series(metric))
}

/// The mean line and the 2.5-97.5 % band of a group metric of one group (`sector:NAME`,
/// `kind:agency`, `kind:non_state`), rounds with no value left out.
pub fn group_band(tables: &RunTables, metric: GroupMetric, group: &str) -> Vec<BandPoint> {
    band_of(tables.group_series(metric, group))
}

/// A series' mean line and 2.5-97.5 % band, rounds with no value left out.
fn band_of(series: Vec<(u32, collabgov_sim::stats::Summary)>) -> Vec<BandPoint> {
    series
        .into_iter()
        .filter(|(_, s)| !s.mean.is_nan())
        .map(|(round, s)| BandPoint {
            round,
            mean: s.mean,
            low: s.q025,
            high: s.q975,
        })
        .collect()
}

/// Cumulative means per round of `metrics` stacked in order: layer k holds, per round,
/// `(round, sum of the means of metrics 0..=k)`.
pub fn stacked_means(tables: &RunTables, metrics: &[Metric]) -> Vec<Vec<(f64, f64)>> {
    let mut layers: Vec<Vec<(f64, f64)>> = Vec::with_capacity(metrics.len());
    for (k, &metric) in metrics.iter().enumerate() {
        let layer = tables
            .series(metric)
            .into_iter()
            .enumerate()
            .map(|(i, (round, s))| {
                let below = if k == 0 { 0.0 } else { layers[k - 1][i].1 };
                let mean = if s.mean.is_nan() { 0.0 } else { s.mean };
                (round as f64, below + mean)
            })
            .collect();
        layers.push(layer);
    }
    layers
}

/// The share of replicates that reached consensus by each round, with its 95 % interval
/// (Wilson's, or with replicates sharing network draws Wilson's at the effective sample
/// size: [`share_interval`], as the run's summary gives it).
pub fn consensus_curve(tables: &RunTables) -> Vec<BandPoint> {
    let shared = tables.design() == Design::Nested;
    let n = tables.replicates.len();
    let last = tables.rounds.iter().map(|r| r.round).max().unwrap_or(0);
    let mut rounds: Vec<u32> = tables
        .replicates
        .iter()
        .filter_map(|r| r.consensus_round)
        .collect();
    rounds.sort_unstable();
    let mut reached = 0;
    (0..=last)
        .map(|t| {
            while reached < rounds.len() && rounds[reached] <= t {
                reached += 1;
            }
            let (low, high) = if shared {
                share_interval(
                    tables
                        .replicates
                        .iter()
                        .map(|r| (r.network_draw, r.consensus_round.is_some_and(|c| c <= t))),
                )
            } else {
                wilson(reached, n)
            };
            BandPoint {
                round: t,
                mean: if n == 0 {
                    f64::NAN
                } else {
                    reached as f64 / n as f64
                },
                low,
                high,
            }
        })
        .collect()
}

/// Histogram of the consensus round: `(first round of the bin, bin width, replicates)`.
pub fn consensus_histogram(tables: &RunTables, bins: u32) -> Vec<(u32, u32, usize)> {
    let last = tables
        .rounds
        .iter()
        .map(|r| r.round)
        .max()
        .unwrap_or(0)
        .max(1);
    let width = last.div_ceil(bins.max(1)).max(1);
    let n_bins = last.div_ceil(width);
    let mut counts = vec![0usize; n_bins as usize];
    for r in tables.replicates.iter().filter_map(|r| r.consensus_round) {
        let bin = ((r.max(1) - 1) / width).min(n_bins - 1);
        counts[bin as usize] += 1;
    }
    counts
        .into_iter()
        .enumerate()
        .map(|(b, c)| (1 + b as u32 * width, width, c))
        .collect()
}

/// Positions in the unit square of replicate 0's actors: sectors as clusters on a circle
/// (so silos show as separate groups), actors of a sector on a sunflower disc, agencies at
/// its centre. Returns the sector names in first-seen order and one position per actor row.
pub fn layout(actors: &[&ActorRow]) -> (Vec<String>, Vec<(f64, f64)>) {
    let sectors: Vec<&str> = actors.iter().map(|a| a.sector.as_str()).collect();
    let agency: Vec<bool> = actors.iter().map(|a| a.kind == "agency").collect();
    layout_of(&sectors, &agency)
}

/// The positions of [`layout`] for actors given by their sector and whether each is an
/// agency (the network picture and the classroom page's live network share it).
pub fn layout_of<S: AsRef<str> + PartialEq>(
    sector: &[S],
    agency: &[bool],
) -> (Vec<String>, Vec<(f64, f64)>) {
    let mut sectors: Vec<&S> = Vec::new();
    for s in sector {
        if !sectors.contains(&s) {
            sectors.push(s);
        }
    }
    let n_sectors = sectors.len().max(1);
    let cluster_radius = if n_sectors == 1 { 0.0 } else { 0.32 };
    let disc = if n_sectors == 1 {
        0.42
    } else {
        (0.85 * std::f64::consts::PI * 0.32 / n_sectors as f64).min(0.16)
    };
    let mut positions = vec![(0.5, 0.5); sector.len()];
    for (s, name) in sectors.iter().enumerate() {
        let angle =
            std::f64::consts::TAU * s as f64 / n_sectors as f64 - std::f64::consts::FRAC_PI_2;
        let centre = (
            0.5 + cluster_radius * angle.cos(),
            0.5 + cluster_radius * angle.sin(),
        );
        let mut members: Vec<usize> = (0..sector.len()).filter(|&i| &&sector[i] == name).collect();
        members.sort_by_key(|&i| (!agency[i], i));
        let m = members.len().max(1) as f64;
        for (k, &i) in members.iter().enumerate() {
            // Sunflower (Vogel) spiral: even density, deterministic.
            let r = disc * ((k as f64 + 0.5) / m).sqrt();
            let theta = k as f64 * 2.399_963_229_728_653;
            positions[i] = (centre.0 + r * theta.cos(), centre.1 + r * theta.sin());
        }
    }
    (
        sectors.iter().map(|s| s.as_ref().to_string()).collect(),
        positions,
    )
}
