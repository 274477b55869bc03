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

impl Metric {
    /// Every metric, in output order.
    pub const ALL: [Metric; N_METRICS] = [
        Metric::Trust,
        Metric::TrustWithin,
        Metric::TrustAcross,
        Metric::Commitment,
        Metric::Understanding,
        Metric::ProductiveShare,
        Metric::Dialogues,
        Metric::Blocked,
        Metric::Wins,
        Metric::Participants,
        Metric::Consensus,
    ];

    /// Name in output files.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Trust => "trust",
            Metric::TrustWithin => "trust_within",
            Metric::TrustAcross => "trust_across",
            Metric::Commitment => "commitment",
            Metric::Understanding => "understanding",
            Metric::ProductiveShare => "productive_share",
            Metric::Dialogues => "dialogues",
            Metric::Blocked => "blocked",
            Metric::Wins => "wins",
            Metric::Participants => "participants",
            Metric::Consensus => "consensus",
        }
    }

    /// A human label for charts.
    pub fn label(self) -> &'static str {
        match self {
            Metric::Trust => "Trust (all relations)",
            Metric::TrustWithin => "Trust within sectors",
            Metric::TrustAcross => "Trust across sectors",
            Metric::Commitment => "Commitment to the process",
            Metric::Understanding => "Shared understanding",
            Metric::ProductiveShare => "Productive share of dialogues",
            Metric::Dialogues => "Dialogues held",
            Metric::Blocked => "Dialogues blocked by silos",
            Metric::Wins => "Small wins (cumulative)",
            Metric::Participants => "Participants",
            Metric::Consensus => "Consensus",
        }
    }

    /// Whether the metric is a share in [0, 1] (the others are counts).
    pub fn is_share(self) -> bool {
        !matches!(
            self,
            Metric::Dialogues | Metric::Blocked | Metric::Wins | Metric::Participants
        )
    }

    /// Position in [`Metric::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The metric with this output name.
    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// One round's values, indexed by [`Metric::index`]; NaN marks an empty value.
pub type Record = [f64; N_METRICS];
