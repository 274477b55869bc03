//! The metrics recorded each round, in a fixed order: CG-1's forum metrics, then the
//! services metrics of CG-2 (recorded and written only when a scenario has `[services]`).

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
    /// Open requests at the end of the round.
    Backlog,
    /// Requests completed this round.
    Completed,
    /// Mean service time of the requests completed this round (rounds, filing round counted).
    ServiceTime,
    /// Mean trips of the requests completed this round.
    Trips,
    /// Mean duplicated data collections (collections - 1) of the requests completed.
    Duplication,
    /// Mean cost of the requests completed this round.
    Cost,
    /// Official assistance granted this round (contributions and capacity).
    AssistanceGranted,
    /// Official assistance refused this round.
    AssistanceRefused,
    /// Refused because the law does not allow it.
    RefusedLaw,
    /// Refused as confidential.
    RefusedConfidential,
    /// Refused because it would hurt the giver's performance (overload).
    RefusedOverload,
    /// Refused by the silo.
    RefusedSilo,
    /// Refused for distrust.
    RefusedDistrust,
    /// Mutual aid agreements in force.
    Agreements,
    /// `1 - U` over agencies: how far agencies' definitions of the problem still diverge.
    PolicyInconsistency,
    /// Mean directed trust over relations within a unit of government.
    TrustLocal,
    /// Mean directed trust over relations between vertical units (or made by national
    /// coordination).
    TrustVertical,
    /// Mean directed trust over relations between peer units.
    TrustPeer,
    /// Dialogues between governments refused for autonomy this round.
    BlockedAutonomy,
    /// Of those, the dialogues between vertical units.
    BlockedAutonomyVertical,
    /// Shared understanding `U` over the regency units' mean views.
    UnderstandingBetweenUnits,
    /// Share of regency units whose own actors are in consensus.
    UnitsInConsensus,
    /// Official assistance refused between governments for autonomy (services with levels).
    RefusedAutonomy,
}

/// Number of metrics.
pub const N_METRICS: usize = 34;

/// Which model a metric belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// CG-1, the forum: recorded in every run.
    Forum,
    /// CG-2, services: recorded when the scenario has `[services]`.
    Services,
    /// CG-3, levels of government: recorded when the scenario has `[levels]`.
    Levels,
    /// CG-3 with CG-2: recorded when the scenario has both `[services]` and `[levels]`.
    LevelServices,
}

/// The families of metrics a run records besides CG-1's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Families {
    /// The services metrics (CG-2).
    pub services: bool,
    /// The levels metrics (CG-3).
    pub levels: bool,
}

impl Families {
    /// CG-1's metrics alone.
    pub const FORUM: Families = Families {
        services: false,
        levels: false,
    };
    /// Every family.
    pub const ALL: Families = Families {
        services: true,
        levels: true,
    };

    /// The families a scenario records.
    pub fn of(scenario: &collabgov_core::Scenario) -> Families {
        Families {
            services: scenario.services.is_some(),
            levels: scenario.levels.is_some(),
        }
    }

    /// The families both `self` and `other` record (what two runs can compare).
    pub fn common(self, other: Families) -> Families {
        Families {
            services: self.services && other.services,
            levels: self.levels && other.levels,
        }
    }

    /// Whether a metric of `family` is recorded.
    pub fn holds(self, family: Family) -> bool {
        match family {
            Family::Forum => true,
            Family::Services => self.services,
            Family::Levels => self.levels,
            Family::LevelServices => self.levels && self.services,
        }
    }
}

/// What kind of value a metric is, which sets its axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricKind {
    /// A share or level in [0, 1].
    Share,
    /// A count (dialogues, actors, wins).
    Count,
    /// 1 when a condition holds, else 0 (its mean over replicates is a share).
    Flag,
    /// A mean per request (rounds, trips, collections, cost): at least 0, no upper bound.
    Amount,
}

/// Everything the outputs need to know about a metric: one row of [`METRICS`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MetricInfo {
    /// The metric.
    pub metric: Metric,
    /// CG-1 or CG-2.
    pub family: Family,
    /// Name in output files (`rounds.csv`'s `metric` column, column names).
    pub name: &'static str,
    /// A human label for charts.
    pub label: &'static str,
    /// A short label for a y axis that names its metric (paper charts): the label, or a
    /// shorter one where the label is long.
    pub axis: &'static str,
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
        family: Family::Forum,
        name,
        label,
        axis: label,
        kind,
        measured_as,
        overview,
        compare,
        sweep_output,
        summary,
    }
}

/// A row with a short axis label of its own.
const fn axis(mut row: MetricInfo, axis: &'static str) -> MetricInfo {
    row.axis = axis;
    row
}

/// A services metric (CG-2): like [`info`], in [`Family::Services`].
const fn service(
    metric: Metric,
    name: &'static str,
    label: &'static str,
    kind: MetricKind,
    measured_as: &'static str,
    flags: (bool, bool, bool),
    summary: Option<(u8, &'static str)>,
) -> MetricInfo {
    let mut row = info(metric, name, label, kind, measured_as, flags, summary);
    row.family = Family::Services;
    row
}

/// A levels metric (CG-3): like [`info`], in [`Family::Levels`].
const fn level(
    metric: Metric,
    name: &'static str,
    label: &'static str,
    kind: MetricKind,
    measured_as: &'static str,
    flags: (bool, bool, bool),
    summary: Option<(u8, &'static str)>,
) -> MetricInfo {
    let mut row = info(metric, name, label, kind, measured_as, flags, summary);
    row.family = Family::Levels;
    row
}

/// The metrics, in output order: the one list every table, chart, comparison, sweep and
/// test derives its lists from. Adding a metric adds a row here, a variant to [`Metric`]
/// and the code that measures it (`record` in `model/mod.rs`, or `ServiceState::record`
/// in `model/services.rs`).
pub const METRICS: [MetricInfo; N_METRICS] = {
    use MetricKind::{Amount, Count, Flag, Share};
    [
        axis(
            info(
                Metric::Trust,
                "trust",
                "Trust (all relations)",
                Share,
                "mean over all directed trusts",
                (true, false, true),
                None,
            ),
            "Trust",
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
        axis(
            info(
                Metric::Commitment,
                "commitment",
                "Commitment to the process",
                Share,
                "mean commitment over all actors",
                (true, true, true),
                Some((2, "Commitment to the process")),
            ),
            "Commitment",
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
        axis(
            info(
                Metric::ProductiveShare,
                "productive_share",
                "Productive share of dialogues",
                Share,
                "productive dialogues over held dialogues (empty when none was held)",
                (true, false, false),
                None,
            ),
            "Productive share",
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
        axis(
            info(
                Metric::Wins,
                "wins",
                "Small wins (cumulative)",
                Count,
                "small wins so far",
                (true, true, true),
                Some((4, "Small wins")),
            ),
            "Small wins",
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
            "consensus_now",
            "In consensus this round",
            Flag,
            "1 when consensus holds this round, else 0 (its mean over replicates: the share in consensus now; the share that has reached it by a round is consensus_reached)",
            (false, true, false),
            None,
        ),
        axis(
            service(
                Metric::Backlog,
                "backlog",
                "Open requests (backlog)",
                Count,
                "open requests at the end of the round",
                (false, true, true),
                Some((8, "Open requests (backlog)")),
            ),
            "Backlog",
        ),
        service(
            Metric::Completed,
            "completed",
            "Requests completed",
            Count,
            "requests completed this round",
            (false, false, true),
            None,
        ),
        service(
            Metric::ServiceTime,
            "service_time",
            "Service time (rounds)",
            Amount,
            "mean rounds from filing to completion, the filing round counted, over requests completed this round (empty when none)",
            (false, true, true),
            Some((5, "Service time")),
        ),
        axis(
            service(
                Metric::Trips,
                "trips",
                "Citizen's trips per request",
                Amount,
                "mean trips of the requests completed this round (empty when none)",
                (false, true, true),
                Some((6, "Trips per request")),
            ),
            "Trips per request",
        ),
        axis(
            service(
                Metric::Duplication,
                "duplication",
                "Duplicate data collections",
                Amount,
                "mean collections - 1 of the requests completed this round (empty when none)",
                (false, true, true),
                Some((7, "Duplicate collections")),
            ),
            "Duplicate collections",
        ),
        service(
            Metric::Cost,
            "cost",
            "Cost per request",
            Amount,
            "mean trip_cost x trips + collection_cost x (collections - 1) + work, over requests completed this round (empty when none)",
            (false, false, true),
            Some((9, "Cost per request")),
        ),
        axis(
            service(
                Metric::AssistanceGranted,
                "assistance_granted",
                "Official assistance granted",
                Count,
                "contribution and capacity assistance granted this round",
                (false, true, true),
                Some((10, "Assistance granted per round")),
            ),
            "Assistance granted",
        ),
        axis(
            service(
                Metric::AssistanceRefused,
                "assistance_refused",
                "Official assistance refused",
                Count,
                "contribution and capacity assistance refused this round",
                (false, false, true),
                Some((11, "Assistance refused per round")),
            ),
            "Assistance refused",
        ),
        service(
            Metric::RefusedLaw,
            "refused_law",
            "Refused: law",
            Count,
            "assistance refused this round because the law does not allow it",
            (false, false, false),
            None,
        ),
        service(
            Metric::RefusedConfidential,
            "refused_confidential",
            "Refused: confidential",
            Count,
            "contributions refused this round as confidential",
            (false, false, false),
            None,
        ),
        service(
            Metric::RefusedOverload,
            "refused_overload",
            "Refused: overload",
            Count,
            "contributions refused this round because the giver is overloaded",
            (false, false, false),
            None,
        ),
        service(
            Metric::RefusedSilo,
            "refused_silo",
            "Refused: silo",
            Count,
            "assistance refused this round by the silo",
            (false, false, false),
            None,
        ),
        service(
            Metric::RefusedDistrust,
            "refused_distrust",
            "Refused: distrust",
            Count,
            "assistance refused this round for distrust",
            (false, false, false),
            None,
        ),
        service(
            Metric::Agreements,
            "agreements",
            "Mutual aid agreements",
            Count,
            "mutual aid agreements in force",
            (false, false, true),
            None,
        ),
        service(
            Metric::PolicyInconsistency,
            "policy_inconsistency",
            "Policy inconsistency",
            Share,
            "1 - shared understanding over agencies only",
            (false, false, true),
            None,
        ),
        level(
            Metric::TrustLocal,
            "trust_local",
            "Trust within governments",
            Share,
            "mean directed trust over relations within one unit of government (empty where there are none)",
            (false, false, true),
            None,
        ),
        level(
            Metric::TrustVertical,
            "trust_vertical",
            "Trust between levels",
            Share,
            "mean directed trust over relations between a unit and its parent, or made by national coordination (empty where there are none)",
            (false, true, true),
            Some((12, "Trust between levels")),
        ),
        level(
            Metric::TrustPeer,
            "trust_peer",
            "Trust between peer governments",
            Share,
            "mean directed trust over relations between units with the same parent (empty where there are none)",
            (false, false, true),
            None,
        ),
        level(
            Metric::BlockedAutonomy,
            "blocked_autonomy",
            "Dialogues refused for autonomy",
            Count,
            "dialogues between governments refused for autonomy this round",
            (false, false, true),
            None,
        ),
        level(
            Metric::BlockedAutonomyVertical,
            "blocked_autonomy_vertical",
            "Vertical dialogues refused for autonomy",
            Count,
            "of the dialogues refused for autonomy this round, those between vertical units",
            (false, false, false),
            None,
        ),
        axis(
            level(
                Metric::UnderstandingBetweenUnits,
                "understanding_between_units",
                "Shared understanding between regencies",
                Share,
                "shared understanding U over the regency units' mean views (empty without regencies)",
                (false, true, true),
                Some((13, "Understanding between regencies")),
            ),
            "Understanding between units",
        ),
        level(
            Metric::UnitsInConsensus,
            "units_in_consensus",
            "Regencies in consensus",
            Share,
            "share of regency units whose own actors are in consensus (U >= Ustar, mean commitment >= Cstar; empty without regencies)",
            (false, true, true),
            Some((14, "Regencies in consensus")),
        ),
        {
            let mut row = info(
                Metric::RefusedAutonomy,
                "refused_autonomy",
                "Refused: autonomy",
                Count,
                "assistance between governments refused this round for autonomy",
                (false, false, false),
                None,
            );
            row.family = Family::LevelServices;
            row
        },
    ]
};

/// The refusal reasons' metrics, in check order.
pub const REFUSALS: [Metric; 6] = [
    Metric::RefusedLaw,
    Metric::RefusedConfidential,
    Metric::RefusedOverload,
    Metric::RefusedSilo,
    Metric::RefusedAutonomy,
    Metric::RefusedDistrust,
];

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

    /// Its short label for a y axis naming the metric (paper charts).
    pub fn axis(self) -> &'static str {
        self.info().axis
    }

    /// Whether the metric is a share in [0, 1] (the others are counts and amounts).
    pub fn is_share(self) -> bool {
        matches!(self.info().kind, MetricKind::Share | MetricKind::Flag)
    }

    /// `s` with its interval kept within this metric's range: at least 0, and for a share
    /// at most 1 (`summary.csv`'s intervals and a sweep's `points.csv`'s).
    pub fn within_range(self, mut s: crate::stats::Nested) -> crate::stats::Nested {
        if !s.low.is_nan() {
            s.low = s.low.max(0.0);
            if self.is_share() {
                s.high = s.high.min(1.0);
            }
        }
        s
    }

    /// Whether it is a services metric (CG-2).
    pub fn is_service(self) -> bool {
        self.info().family == Family::Services
    }

    /// Whether it is a levels metric (CG-3, with or without services).
    pub fn is_level(self) -> bool {
        matches!(self.info().family, Family::Levels | Family::LevelServices)
    }

    /// The metrics a run of `families` records, in output order: CG-1's, and those of the
    /// extensions it has.
    pub fn recorded(families: Families) -> impl Iterator<Item = Metric> {
        Metric::ALL
            .into_iter()
            .filter(move |m| families.holds(m.info().family))
    }

    /// Position in [`Metric::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The metric with this output name.
    pub fn from_name(name: &str) -> Option<Metric> {
        // Files written before the metric was named `consensus_now` call it `consensus`.
        let name = if name == "consensus" {
            "consensus_now"
        } else {
            name
        };
        Metric::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The overview chart's panels, in output order.
    pub fn overview() -> impl Iterator<Item = Metric> {
        METRICS.iter().filter(|m| m.overview).map(|m| m.metric)
    }

    /// The comparison chart's panels, in output order (for a run of `families`).
    pub fn compared(families: Families) -> impl Iterator<Item = Metric> {
        Metric::recorded(families).filter(|m| m.info().compare)
    }

    /// A sweep's outputs, in `points.csv` order (for a run of `families`).
    pub fn sweep_outputs(families: Families) -> impl Iterator<Item = Metric> {
        Metric::recorded(families).filter(|m| m.info().sweep_output)
    }

    /// A comparison summary's metrics with their phrases, in the summary's order (for a run
    /// of `families`).
    pub fn summarized(families: Families) -> Vec<(Metric, &'static str)> {
        let mut rows: Vec<(u8, Metric, &'static str)> = Metric::recorded(families)
            .filter_map(|m| m.info().summary.map(|(rank, phrase)| (rank, m, phrase)))
            .collect();
        rows.sort_by_key(|r| r.0);
        rows.into_iter().map(|(_, m, p)| (m, p)).collect()
    }
}

/// One round's values, indexed by [`Metric::index`]; NaN marks an empty value.
pub type Record = [f64; N_METRICS];

/// A metric of the per-group series (`rounds.csv`'s rows whose `group` is a sector or a
/// kind): measured each round over the group's actors that exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GroupMetric {
    /// Mean trust its actors hold in their partners (over its members' existing relations).
    Trust,
    /// Mean commitment of its actors.
    Commitment,
    /// Share of its actors taking part this round.
    Participation,
}

/// A group metric's row: its name in `rounds.csv` and its chart label.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GroupMetricInfo {
    /// The metric.
    pub metric: GroupMetric,
    /// Name in `rounds.csv`'s `metric` column.
    pub name: &'static str,
    /// A label for charts.
    pub label: &'static str,
}

/// The group metrics, in output order (the order of their values in a round). What each
/// measures is in [`GroupMetric`]'s variants and docs/model.md.
pub const GROUP_METRICS: [GroupMetricInfo; 3] = [
    GroupMetricInfo {
        metric: GroupMetric::Trust,
        name: "trust",
        label: "Trust held",
    },
    GroupMetricInfo {
        metric: GroupMetric::Commitment,
        name: "commitment",
        label: "Commitment",
    },
    GroupMetricInfo {
        metric: GroupMetric::Participation,
        name: "participation",
        label: "Participation (share taking part)",
    },
];

impl GroupMetric {
    /// Every group metric, in output order.
    pub const ALL: [GroupMetric; 3] = [
        GroupMetric::Trust,
        GroupMetric::Commitment,
        GroupMetric::Participation,
    ];

    /// Position in [`GroupMetric::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Its row of [`GROUP_METRICS`].
    pub fn info(self) -> &'static GroupMetricInfo {
        &GROUP_METRICS[self.index()]
    }

    /// Name in `rounds.csv`.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The group metric with this name.
    pub fn from_name(name: &str) -> Option<GroupMetric> {
        GroupMetric::ALL.into_iter().find(|m| m.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_variant_order_with_unique_names() {
        for (i, row) in METRICS.iter().enumerate() {
            assert_eq!(row.metric.index(), i, "{} is out of place", row.name);
            assert_eq!(Metric::from_name(row.name), Some(row.metric));
        }
        for (i, row) in GROUP_METRICS.iter().enumerate() {
            assert_eq!(row.metric.index(), i, "{} is out of place", row.name);
            assert_eq!(GroupMetric::from_name(row.name), Some(row.metric));
        }
    }
}
