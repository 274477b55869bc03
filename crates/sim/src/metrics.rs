//! The metrics CG-1 records each round, in a fixed order.

/// A metric recorded each round of each replicate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Metric {
    /// Mean over all directed trusts.
    Trust,
    /// Mean trust on same-sector relations (empty where there are none).
    TrustWithin,
    /// Mean trust on cross-sector relations (empty where there are none).
    TrustAcross,
    /// Mean commitment over all actors.
    Commitment,
    /// Shared understanding `U` over all actors.
    Understanding,
    /// Productive dialogues over held dialogues (empty when none was held).
    ProductiveShare,
    /// Dialogues held this round.
    Dialogues,
    /// Dialogues blocked by siloisation this round.
    Blocked,
    /// Small wins so far (cumulative).
    Wins,
    /// Actors taking part this round.
    Participants,
    /// 1 when consensus holds this round, else 0.
    Consensus,
}

/// Number of metrics.
pub const N_METRICS: usize = 11;

/// What kind of value a metric is, which sets its axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricKind {
    /// A share or level in [0, 1].
    Share,
    /// A count (dialogues, actors, wins).
    Count,
    /// 1 when a condition holds, else 0 (its mean over replicates is a share).
    Flag,
}

/// Everything the outputs need to know about a metric: one row of [`METRICS`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MetricInfo {
    /// The metric.
    pub metric: Metric,
    /// Name in output files (`rounds.csv`'s `metric` column, column names).
    pub name: &'static str,
    /// A human label for charts.
    pub label: &'static str,
    /// Share, count or flag.
    pub kind: MetricKind,
    /// How one round's value is computed, in words (for a front end that explains a metric).
    pub measured_as: &'static str,
    /// A panel of the overview chart.
    pub overview: bool,
    /// A panel of the comparison chart.
    pub compare: bool,
    /// A column group (mean, sd, q025, q975 of the final value) of a sweep's `points.csv`.
    pub sweep_output: bool,
    /// Its place and phrase in a comparison's summary ("Cross-sector trust ended at ...").
    pub summary: Option<(u8, &'static str)>,
}

const fn info(
    metric: Metric,
    name: &'static str,
    label: &'static str,
    kind: MetricKind,
    measured_as: &'static str,
    (overview, compare, sweep_output): (bool, bool, bool),
    summary: Option<(u8, &'static str)>,
) -> MetricInfo {
    MetricInfo {
        metric,
        name,
        label,
        kind,
        measured_as,
        overview,
        compare,
        sweep_output,
        summary,
    }
}

/// The metrics, in output order: the one list every table, chart, comparison, sweep and
/// test derives its lists from. Adding a metric adds a row here, a variant to [`Metric`]
/// and the code that measures it (`record` in `model.rs`).
pub const METRICS: [MetricInfo; N_METRICS] = {
    use MetricKind::{Count, Flag, Share};
    [
        info(
            Metric::Trust,
            "trust",
            "Trust (all relations)",
            Share,
            "mean over all directed trusts",
            (true, false, true),
            None,
        ),
        info(
            Metric::TrustWithin,
            "trust_within",
            "Trust within sectors",
            Share,
            "mean trust on same-sector relations (empty where there are none)",
            (true, true, true),
            Some((1, "Trust within sectors")),
        ),
        info(
            Metric::TrustAcross,
            "trust_across",
            "Trust across sectors",
            Share,
            "mean trust on cross-sector relations (empty where there are none)",
            (true, true, true),
            Some((0, "Cross-sector trust")),
        ),
        info(
            Metric::Commitment,
            "commitment",
            "Commitment to the process",
            Share,
            "mean commitment over all actors",
            (true, true, true),
            Some((2, "Commitment to the process")),
        ),
        info(
            Metric::Understanding,
            "understanding",
            "Shared understanding",
            Share,
            "shared understanding U over all actors",
            (true, true, true),
            Some((3, "Shared understanding")),
        ),
        info(
            Metric::ProductiveShare,
            "productive_share",
            "Productive share of dialogues",
            Share,
            "productive dialogues over held dialogues (empty when none was held)",
            (true, false, false),
            None,
        ),
        info(
            Metric::Dialogues,
            "dialogues",
            "Dialogues held",
            Count,
            "dialogues held this round",
            (false, false, false),
            None,
        ),
        info(
            Metric::Blocked,
            "blocked",
            "Dialogues blocked by silos",
            Count,
            "dialogues blocked by siloisation this round",
            (false, false, false),
            None,
        ),
        info(
            Metric::Wins,
            "wins",
            "Small wins (cumulative)",
            Count,
            "small wins so far",
            (true, true, true),
            Some((4, "Small wins")),
        ),
        info(
            Metric::Participants,
            "participants",
            "Participants",
            Count,
            "actors taking part this round",
            (false, false, false),
            None,
        ),
        info(
            Metric::Consensus,
            "consensus",
            "Consensus",
            Flag,
            "1 when consensus holds this round, else 0",
            (false, true, false),
            None,
        ),
    ]
};

impl Metric {
    /// Every metric, in output order.
    pub const ALL: [Metric; N_METRICS] = {
        let mut all = [Metric::Trust; N_METRICS];
        let mut i = 0;
        while i < N_METRICS {
            all[i] = METRICS[i].metric;
            i += 1;
        }
        all
    };

    /// Its row of [`METRICS`].
    pub fn info(self) -> &'static MetricInfo {
        &METRICS[self.index()]
    }

    /// Name in output files.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// A human label for charts.
    pub fn label(self) -> &'static str {
        self.info().label
    }

    /// Whether the metric is a share in [0, 1] (the others are counts).
    pub fn is_share(self) -> bool {
        self.info().kind != MetricKind::Count
    }

    /// Position in [`Metric::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The metric with this output name.
    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The overview chart's panels, in output order.
    pub fn overview() -> impl Iterator<Item = Metric> {
        METRICS.iter().filter(|m| m.overview).map(|m| m.metric)
    }

    /// The comparison chart's panels, in output order.
    pub fn compared() -> impl Iterator<Item = Metric> {
        METRICS.iter().filter(|m| m.compare).map(|m| m.metric)
    }

    /// A sweep's outputs, in `points.csv` order.
    pub fn sweep_outputs() -> impl Iterator<Item = Metric> {
        METRICS.iter().filter(|m| m.sweep_output).map(|m| m.metric)
    }

    /// A comparison summary's metrics with their phrases, in the summary's order.
    pub fn summarized() -> Vec<(Metric, &'static str)> {
        let mut rows: Vec<(u8, Metric, &'static str)> = METRICS
            .iter()
            .filter_map(|m| m.summary.map(|(rank, phrase)| (rank, m.metric, phrase)))
            .collect();
        rows.sort_by_key(|r| r.0);
        rows.into_iter().map(|(_, m, p)| (m, p)).collect()
    }
}

/// One round's values, indexed by [`Metric::index`]; NaN marks an empty value.
pub type Record = [f64; N_METRICS];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_variant_order_with_unique_names() {
        for (i, row) in METRICS.iter().enumerate() {
            assert_eq!(row.metric.index(), i, "{} is out of place", row.name);
            assert_eq!(Metric::from_name(row.name), Some(row.metric));
        }
    }
}
