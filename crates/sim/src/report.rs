//! What a run's numbers say, for every front end: final summaries with their intervals,
//! the consensus share, the plain-language summary of a comparison and `compare.csv`.

use std::fmt::Write as _;

use crate::metrics::Metric;
use crate::output::RunTables;
use crate::stats::{
    Design, Nested, Summary, format_number, nested, quantile_sorted, summarize, wilson,
};

impl RunTables {
    /// Replicates that reached consensus.
    pub fn consensus_count(&self) -> usize {
        self.replicates
            .iter()
            .filter(|r| r.consensus_round.is_some())
            .count()
    }

    /// Share of replicates that reached consensus (NaN without replicates).
    pub fn consensus_share(&self) -> f64 {
        self.consensus_count() as f64 / self.replicates.len() as f64
    }

    /// Summary of a metric's final value over replicates.
    pub fn final_summary(&self, metric: Metric) -> Summary {
        summarize(
            self.replicates.iter().map(|r| r.finals[metric.index()]),
            &mut Vec::new(),
        )
    }

    /// Network draws the replicates ran on.
    pub fn network_draws(&self) -> usize {
        let mut draws: Vec<u32> = self.replicates.iter().map(|r| r.network_draw).collect();
        draws.sort_unstable();
        draws.dedup();
        draws.len()
    }

    /// How the replicates sit on network draws ([`Design`]).
    pub fn design(&self) -> Design {
        Design::of(self.replicates.len(), self.network_draws())
    }

    /// What the intervals of this run's means cover, in words.
    pub fn interval_note(&self) -> String {
        self.design().interval_note(self.network_draws())
    }

    /// A metric's final mean with the 95 % interval of the run's design ([`nested`]),
    /// kept inside the metric's range (every metric is at least 0, shares at most 1); for a
    /// 0/1 metric outside a nested design, Wilson's interval of the share.
    pub fn final_interval(&self, metric: Metric) -> Nested {
        let mut s = nested(
            self.replicates
                .iter()
                .map(|r| (r.network_draw, r.finals[metric.index()])),
        );
        if wilson_for(metric, self.design()) && s.n > 0 {
            let ones = self
                .replicates
                .iter()
                .filter(|r| r.finals[metric.index()] == 1.0)
                .count();
            (s.low, s.high) = wilson(ones, s.n);
        }
        if !s.low.is_nan() {
            s.low = s.low.max(0.0);
            if metric.is_share() {
                s.high = s.high.min(1.0);
            }
        }
        s
    }

    /// The consensus share with its 95 % interval: Wilson's over replicates, or with a
    /// nested design the random-effects interval of the 0/1 outcomes, clipped to [0, 1].
    pub fn consensus_interval(&self) -> (f64, f64) {
        let n = self.replicates.len();
        if self.design() == Design::Nested {
            let s = nested(self.replicates.iter().map(|r| {
                (
                    r.network_draw,
                    if r.consensus_round.is_some() {
                        1.0
                    } else {
                        0.0
                    },
                )
            }));
            (s.low.max(0.0), s.high.min(1.0))
        } else {
            wilson(self.consensus_count(), n)
        }
    }
}

/// Whether a metric's interval is Wilson's: a 0/1 metric outside a nested design.
fn wilson_for(metric: Metric, design: Design) -> bool {
    metric.info().kind == crate::metrics::MetricKind::Flag && design != Design::Nested
}

/// The key numbers of a run, the lines `collabgov run` prints (and the classroom page
/// shows): consensus, final trust within and across sectors, commitment, shared
/// understanding, small wins, and with services the service figures.
pub fn run_summary(tables: &RunTables) -> Vec<String> {
    let f = |m: Metric| mean_ci(&tables.final_interval(m));
    let mut lines = vec![
        format!("consensus reached in {}", consensus_line(tables)),
        format!(
            "final trust within sectors {}, across sectors {} (mean [95 % CI])",
            f(Metric::TrustWithin),
            f(Metric::TrustAcross)
        ),
        format!(
            "final commitment {}, shared understanding {}, small wins {}",
            f(Metric::Commitment),
            f(Metric::Understanding),
            f(Metric::Wins)
        ),
    ];
    if tables.services {
        lines.push(format!(
            "services at the last round: service time {} rounds, trips {}, duplicate collections {}, backlog {} (mean [95 % CI])",
            f(Metric::ServiceTime),
            f(Metric::Trips),
            f(Metric::Duplication),
            f(Metric::Backlog)
        ));
        lines.push(format!(
            "official assistance per round: {} granted, {} refused; mutual aid agreements {}",
            f(Metric::AssistanceGranted),
            f(Metric::AssistanceRefused),
            f(Metric::Agreements)
        ));
    }
    lines.push(format!("intervals: {}", tables.interval_note()));
    lines
}

/// A scenario in words, one sentence each: who sits at the table, the institutional
/// design, the run's size and the interventions (for `collabgov report`).
pub fn describe(s: &collabgov_core::Scenario) -> Vec<String> {
    let actors = &s.forum.actors;
    let agencies = actors.iter().filter(|a| a.kind.is_agency()).count();
    let p = &s.params;
    let mut out = vec![
        format!(
            "{} actors ({agencies} public agencies, {} non-state actors) in {} sectors: {}; {} relations between them at the start{}{}.",
            actors.len(),
            actors.len() - agencies,
            s.forum.sectors.len(),
            s.forum.sectors.join(", "),
            s.forum.graph.n_relations() - s.forum.n_added_relations(),
            match s.forum.n_added_relations() {
                0 => String::new(),
                n => format!(", {n} more added by interventions"),
            },
            if s.network_draws > 1 {
                format!(
                    " (replicate 0's network; {} network draws in all)",
                    s.network_draws
                )
            } else {
                String::new()
            }
        ),
        format!(
            "Siloisation {} (the chance a cross-sector dialogue is blocked), inclusiveness {}, facilitative leadership {}, ground rules {}, clarity of the legal basis {}.",
            p.silo, p.inclusiveness, p.leadership, p.ground_rules, p.legal_clarity
        ),
        format!(
            "{} rounds of face-to-face dialogue, {} replicates (independent simulated forums), master seed {}.",
            s.rounds, s.replicates, s.seed
        ),
    ];
    if s.services.is_some() {
        out.push("With public services and official assistance (the CG-2 extension).".into());
    }
    for mark in crate::manifest::marks(s) {
        out.push(format!("From round {}: {}.", mark.round, mark.label));
    }
    out
}

/// `mean [low, high]` with the 95 % confidence interval of the mean, two decimals; the
/// mean alone where no interval can be computed, `n/a` without a value.
pub fn mean_ci(s: &Nested) -> String {
    if s.n == 0 || s.mean.is_nan() {
        "n/a".into()
    } else if s.low.is_nan() {
        format!("{:.2} [no interval]", s.mean)
    } else {
        format!("{:.2} [{:.2}, {:.2}]", s.mean, s.low, s.high)
    }
}

/// The consensus figures of a run as printed: the share, its Wilson interval's ends (in
/// percent, no decimals), the number of replicates and the median round of those that
/// reached it (when any did).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsensusFigures {
    /// Share reached, in percent.
    pub percent: String,
    /// Wilson 95 % interval, lower end, in percent.
    pub low: String,
    /// Wilson 95 % interval, upper end, in percent.
    pub high: String,
    /// Replicates.
    pub replicates: usize,
    /// Median round of consensus among those that reached it.
    pub median_round: Option<String>,
}

/// The consensus figures of a run ([`consensus_line`] in parts, for a page that words
/// them in another language).
pub fn consensus_figures(tables: &RunTables) -> ConsensusFigures {
    let n = tables.replicates.len();
    let k = tables.consensus_count();
    let (lo, hi) = tables.consensus_interval();
    let mut rounds: Vec<f64> = tables
        .replicates
        .iter()
        .filter_map(|r| r.consensus_round.map(f64::from))
        .collect();
    rounds.sort_by(f64::total_cmp);
    ConsensusFigures {
        percent: format!("{:.0}", 100.0 * k as f64 / n.max(1) as f64),
        low: format!("{:.0}", 100.0 * lo),
        high: format!("{:.0}", 100.0 * hi),
        replicates: n,
        median_round: (!rounds.is_empty()).then(|| quantile_sorted(&rounds, 0.5).to_string()),
    }
}

/// `16 % of 100 replicates [10 %, 25 %], median round 40`: the consensus share with its
/// Wilson interval and the median round of those that reached it.
pub fn consensus_line(tables: &RunTables) -> String {
    let f = consensus_figures(tables);
    let median = f
        .median_round
        .map_or(String::new(), |m| format!(", median round {m}"));
    format!(
        "{} % of {} replicates [{} %, {} %]{median}",
        f.percent, f.replicates, f.low, f.high
    )
}

fn list(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} and {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

/// The plain-language summary of a comparison of named runs, computed from the numbers.
pub fn compare_summary(runs: &[(&str, &RunTables)]) -> String {
    let mut text = String::new();
    let services = runs.iter().all(|(_, t)| t.services);
    for (metric, what) in Metric::summarized(services) {
        let parts: Vec<String> = runs
            .iter()
            .map(|(name, t)| format!("{} in {name}", mean_ci(&t.final_interval(metric))))
            .collect();
        let _ = writeln!(text, "{what} ended at {}.", list(&parts));
    }
    let shares: Vec<String> = runs
        .iter()
        .map(|(_, t)| {
            format!(
                "{:.0} %",
                100.0 * t.consensus_count() as f64 / t.replicates.len().max(1) as f64
            )
        })
        .collect();
    let names: Vec<&str> = runs.iter().map(|(n, _)| *n).collect();
    let _ = writeln!(
        text,
        "Consensus was reached in {} of runs ({} respectively).",
        list(&shares),
        names.join(", ")
    );
    let mut notes: Vec<String> = runs.iter().map(|(_, t)| t.interval_note()).collect();
    notes.dedup();
    if notes.len() == 1 {
        let _ = writeln!(text, "Intervals: 95 %, {}.", notes[0]);
    } else {
        for (name, t) in runs {
            let _ = writeln!(text, "Intervals of {name}: 95 %, {}.", t.interval_note());
        }
    }
    text
}

/// `summary.csv`: each recorded metric's final mean over replicates with the 95 %
/// interval of the run's design and, where the design tells them apart, the variance
/// between network draws and within one; then the consensus share. The `interval` column
/// says what each interval covers.
pub fn write_summary_csv(tables: &RunTables, w: impl std::io::Write) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "metric",
        "n",
        "network_draws",
        "mean",
        "ci_low",
        "ci_high",
        "var_between_networks",
        "var_within_network",
        "interval",
    ])?;
    let note = tables.interval_note();
    for metric in tables.metrics() {
        let s = tables.final_interval(metric);
        let note = if wilson_for(metric, tables.design()) {
            "Wilson score interval of the share of replicates where it holds at the end".to_string()
        } else {
            format!("{note}; kept inside the metric's range")
        };
        out.write_record([
            metric.name().to_string(),
            s.n.to_string(),
            s.draws.to_string(),
            format_number(s.mean),
            format_number(s.low),
            format_number(s.high),
            format_number(s.var_between),
            format_number(s.var_within),
            note,
        ])?;
    }
    let n = tables.replicates.len();
    let (lo, hi) = tables.consensus_interval();
    let how = if tables.design() == Design::Nested {
        format!("{note}, clipped to [0, 1]")
    } else {
        "Wilson score interval of the share of replicates".to_string()
    };
    out.write_record([
        "consensus_reached_share".to_string(),
        n.to_string(),
        tables.network_draws().to_string(),
        format_number(tables.consensus_count() as f64 / n.max(1) as f64),
        format_number(lo),
        format_number(hi),
        String::new(),
        String::new(),
        how,
    ])?;
    out.flush()?;
    Ok(())
}

/// `compare.csv`: per run, each metric's final mean with its 95 % interval and quantiles,
/// then the consensus share with its Wilson interval. Names are quoted as CSV needs.
pub fn write_compare_csv(runs: &[(&str, &RunTables)], w: impl std::io::Write) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "scenario",
        "metric",
        "n",
        "network_draws",
        "mean",
        "ci_low",
        "ci_high",
        "q025",
        "q975",
    ])?;
    for (name, t) in runs {
        for metric in t.metrics() {
            let s = t.final_summary(metric);
            let i = t.final_interval(metric);
            out.write_record([
                name.to_string(),
                metric.name().to_string(),
                s.n.to_string(),
                i.draws.to_string(),
                format_number(s.mean),
                format_number(i.low),
                format_number(i.high),
                format_number(s.q025),
                format_number(s.q975),
            ])?;
        }
        let n = t.replicates.len();
        let (lo, hi) = t.consensus_interval();
        out.write_record([
            name.to_string(),
            "consensus_share".into(),
            n.to_string(),
            t.network_draws().to_string(),
            format_number(t.consensus_count() as f64 / n.max(1) as f64),
            format_number(lo),
            format_number(hi),
            String::new(),
            String::new(),
        ])?;
    }
    out.flush()?;
    Ok(())
}
