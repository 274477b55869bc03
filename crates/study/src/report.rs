//! What a run's numbers say, for every front end: final summaries with their intervals,
//! the consensus share, the plain-language summary of a comparison and `compare.csv`.

use std::fmt::Write as _;

use crate::i18n::Lang;
use crate::output::RunTables;
use collabgov_sim::metrics::{Families, Metric};
use collabgov_sim::stats::{
    Design, Nested, Summary, format_number, mcnemar_exact, nested, paired_share_difference,
    quantile_sorted, share_interval, summarize, t_test_p,
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
        if is_flag(metric) && s.n > 0 {
            (s.low, s.high) = share_interval(
                self.replicates
                    .iter()
                    .filter(|r| !r.finals[metric.index()].is_nan())
                    .map(|r| (r.network_draw, r.finals[metric.index()] == 1.0)),
            );
        }
        metric.within_range(s)
    }

    /// What `metric`'s final interval is, in words (the `interval` column of `summary.csv`
    /// and `compare.csv`).
    pub fn interval_of(&self, metric: Metric) -> String {
        if is_flag(metric) {
            format!(
                "{} of the share of replicates where it holds at the end",
                self.share_interval_name()
            )
        } else {
            format!("{}; kept inside the metric's range", self.interval_note())
        }
    }

    /// What the consensus-reached share's interval is, in words.
    pub fn consensus_interval_of(&self) -> String {
        format!("{} of the share of replicates", self.share_interval_name())
    }

    /// The name of a share's interval under this run's design ([`share_interval`]).
    fn share_interval_name(&self) -> String {
        if self.design() == Design::Nested {
            format!(
                "Wilson score interval at the effective sample size (design effect of {} network draws, t with {} degrees of freedom)",
                self.network_draws(),
                self.network_draws().saturating_sub(1)
            )
        } else {
            "Wilson score interval".into()
        }
    }

    /// The consensus share with its 95 % interval ([`share_interval`]: Wilson's over
    /// replicates, or with a nested design Wilson's at the effective sample size).
    pub fn consensus_interval(&self) -> (f64, f64) {
        share_interval(
            self.replicates
                .iter()
                .map(|r| (r.network_draw, r.consensus_round.is_some())),
        )
    }
}

/// Whether a metric is 0/1 in each replicate (its interval is a share's).
fn is_flag(metric: Metric) -> bool {
    metric.info().kind == collabgov_sim::metrics::MetricKind::Flag
}

/// The key numbers of a run, the lines `collabgov run` prints (and the classroom page
/// shows): consensus, final trust within and across sectors, commitment, shared
/// understanding, small wins, and with services the service figures; in English.
pub fn run_summary(tables: &RunTables) -> Vec<String> {
    run_summary_in(tables, Lang::En)
}

/// [`run_summary`] in `lang`, from the message catalogue ([`crate::i18n`]), numbers
/// written as `lang` writes them.
pub fn run_summary_in(tables: &RunTables, lang: Lang) -> Vec<String> {
    let f = |m: Metric| mean_ci_in(&tables.final_interval(m), lang);
    let line = |key: &str, args: &[(&str, Metric)]| {
        let args: Vec<(&str, String)> = args.iter().map(|(k, m)| (*k, f(*m))).collect();
        lang.text(key, &args)
    };
    let mut lines = vec![
        lang.text(
            "summary-consensus",
            &[("figures", consensus_line_in(tables, lang))],
        ),
        line(
            "summary-trust",
            &[
                ("within", Metric::TrustWithin),
                ("across", Metric::TrustAcross),
            ],
        ),
        line(
            "summary-cycle",
            &[
                ("commitment", Metric::Commitment),
                ("understanding", Metric::Understanding),
                ("wins", Metric::Wins),
            ],
        ),
    ];
    if tables.services {
        lines.push(line(
            "summary-services",
            &[
                ("time", Metric::ServiceTime),
                ("trips", Metric::Trips),
                ("duplication", Metric::Duplication),
                ("backlog", Metric::Backlog),
            ],
        ));
        lines.push(line(
            "summary-assistance",
            &[
                ("granted", Metric::AssistanceGranted),
                ("refused", Metric::AssistanceRefused),
                ("agreements", Metric::Agreements),
            ],
        ));
    }
    if tables.levels {
        lines.push(line(
            "summary-levels",
            &[
                ("local", Metric::TrustLocal),
                ("vertical", Metric::TrustVertical),
                ("between", Metric::UnderstandingBetweenUnits),
                ("units", Metric::UnitsInConsensus),
            ],
        ));
    }
    lines.push(lang.text(
        "summary-intervals",
        &[("note", interval_note_in(tables, lang))],
    ));
    lines
}

/// A forum's relations in words: `362 relations`, or with relations interventions add
/// later `346 relations at the start, 16 more added by interventions` (the `run` line and
/// [`describe`] share it).
pub fn relations_phrase(forum: &collabgov_core::Forum) -> String {
    relations_phrase_in(forum, Lang::En)
}

/// [`relations_phrase`] in `lang`.
pub fn relations_phrase_in(forum: &collabgov_core::Forum, lang: Lang) -> String {
    let added = forum.n_added_relations();
    let start = (forum.graph.n_relations() - added).to_string();
    match added {
        0 => lang.text("describe-relations", &[("start", start)]),
        n => lang.text(
            "describe-relations-added",
            &[("start", start), ("added", n.to_string())],
        ),
    }
}

/// A scenario in words, one sentence each: who sits at the table, the institutional
/// design, the run's size and the interventions (for `collabgov report`).
pub fn describe(s: &collabgov_core::Scenario) -> Vec<String> {
    describe_in(s, Lang::En)
}

/// [`describe`] in `lang`, from the message catalogue (sector names and interventions
/// in `lang` too, numbers with its decimal mark).
pub fn describe_in(s: &collabgov_core::Scenario, lang: Lang) -> Vec<String> {
    let actors = &s.forum.actors;
    let agencies = actors.iter().filter(|a| a.kind.is_agency()).count();
    let p = &s.params;
    let n = |v: f64| lang.decimal_mark(v.to_string());
    let sectors: Vec<String> = s.forum.sectors.iter().map(|x| lang.sector(x)).collect();
    let draws = if s.network_draws > 1 {
        lang.text("describe-draws", &[("draws", s.network_draws.to_string())])
    } else {
        String::new()
    };
    let mut out = vec![
        lang.text(
            "describe-actors",
            &[
                ("actors", actors.len().to_string()),
                ("agencies", agencies.to_string()),
                ("nonstate", (actors.len() - agencies).to_string()),
                ("count", sectors.len().to_string()),
                ("sectors", sectors.join(", ")),
                ("relations", relations_phrase_in(&s.forum, lang)),
                ("draws", draws),
            ],
        ),
        lang.text(
            "describe-design",
            &[
                ("silo", n(p.silo)),
                ("inclusiveness", n(p.inclusiveness)),
                ("leadership", n(p.leadership)),
                ("rules", n(p.ground_rules)),
                ("legal", n(p.legal_clarity)),
            ],
        ),
        lang.text(
            "describe-size",
            &[
                ("rounds", s.rounds.to_string()),
                ("replicates", s.replicates.to_string()),
                ("seed", s.seed.to_string()),
            ],
        ),
    ];
    if s.services.is_some() {
        out.push(lang.text("describe-services", &[]));
    }
    for mark in crate::manifest::marks_in(s, lang) {
        out.push(lang.text(
            "describe-intervention",
            &[("round", mark.round.to_string()), ("label", mark.label)],
        ));
    }
    out
}

/// `mean [low, high]` with the 95 % confidence interval of the mean, two decimals; the
/// mean alone where no interval can be computed, `n/a` without a value.
pub fn mean_ci(s: &Nested) -> String {
    mean_ci_in(s, Lang::En)
}

/// [`mean_ci`] in `lang`: `0,45 [0,43; 0,47]` in Indonesian.
pub fn mean_ci_in(s: &Nested, lang: Lang) -> String {
    if s.n == 0 || s.mean.is_nan() {
        lang.text("summary-no-value", &[])
    } else if s.low.is_nan() {
        lang.text("summary-no-interval", &[("mean", lang.number(s.mean, 2))])
    } else {
        format!(
            "{} {}",
            lang.number(s.mean, 2),
            lang.interval(&lang.number(s.low, 2), &lang.number(s.high, 2))
        )
    }
}

/// The consensus figures of a run as printed: the share, its interval's ends
/// ([`RunTables::consensus_interval`], in
/// percent, no decimals), the number of replicates and the median round of those that
/// reached it (when any did).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsensusFigures {
    /// Share reached, in percent.
    pub percent: String,
    /// 95 % interval, lower end, in percent.
    pub low: String,
    /// 95 % interval, upper end, in percent.
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
/// 95 % interval and the median round of those that reached it.
pub fn consensus_line(tables: &RunTables) -> String {
    consensus_line_in(tables, Lang::En)
}

/// [`consensus_line`] in `lang`: `16 % dari 100 ulangan (selang kepercayaan 95 %:
/// 10-25 %); median: putaran ke-40,5` in Indonesian.
pub fn consensus_line_in(tables: &RunTables, lang: Lang) -> String {
    let f = consensus_figures(tables);
    let median = f.median_round.map_or(String::new(), |m| {
        lang.text("summary-median", &[("median", lang.decimal_mark(m))])
    });
    let figures = lang.text(
        "summary-consensus-figures",
        &[
            ("percent", f.percent),
            ("replicates", f.replicates.to_string()),
            ("low", f.low),
            ("high", f.high),
        ],
    );
    format!("{figures}{median}")
}

/// The plain-language summary of a comparison of named runs, computed from the numbers.
pub fn compare_summary(runs: &[(&str, &RunTables)]) -> String {
    compare_summary_in(runs, Lang::En)
}

/// A summarized metric's phrase in `lang` (`Cross-sector trust`, `Kepercayaan antarsektor`):
/// `summary-metric-NAME` in the catalogue, whose English is the metric table's own phrase
/// ([`Metric::summarized`]; a test holds them equal).
fn metric_phrase(metric: Metric, lang: Lang) -> String {
    lang.text(&format!("summary-metric-{}", metric.name()), &[])
}

/// A list in `lang`: `a, b and c` or `a, b dan c`.
fn list_in(items: &[String], lang: Lang) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!(
            "{} {} {}",
            items[..n - 1].join(", "),
            lang.text("and", &[]),
            items[n - 1]
        ),
    }
}

/// What a run's intervals cover, in `lang`: the catalogue's note for its design, whose
/// English is [`Design::interval_note`]'s (a test holds them equal).
fn interval_note_in(t: &RunTables, lang: Lang) -> String {
    design_note(t.design(), t.network_draws(), lang)
}

fn design_note(design: Design, draws: usize, lang: Lang) -> String {
    let key = match design {
        Design::OneNetwork => "interval-one-network",
        Design::NetworkPerReplicate => "interval-network-per-replicate",
        Design::Nested => "interval-nested",
    };
    lang.text(key, &[("draws", draws.to_string())])
}

/// [`compare_summary`] in `lang`, from the message catalogue.
pub fn compare_summary_in(runs: &[(&str, &RunTables)], lang: Lang) -> String {
    let mut text = String::new();
    let families = runs
        .iter()
        .map(|(_, t)| t.families())
        .reduce(Families::common)
        .unwrap_or_default();
    for (metric, _) in Metric::summarized(families) {
        let parts: Vec<String> = runs
            .iter()
            .map(|(name, t)| {
                lang.text(
                    "compare-in",
                    &[
                        ("value", mean_ci_in(&t.final_interval(metric), lang)),
                        ("name", name.to_string()),
                    ],
                )
            })
            .collect();
        let _ = writeln!(
            text,
            "{}",
            lang.text(
                "compare-ended",
                &[
                    ("what", metric_phrase(metric, lang)),
                    ("values", list_in(&parts, lang)),
                ],
            )
        );
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
        "{}",
        lang.text(
            "compare-consensus",
            &[
                ("shares", list_in(&shares, lang)),
                ("names", names.join(", ")),
            ],
        )
    );
    let mut notes: Vec<String> = runs
        .iter()
        .map(|(_, t)| interval_note_in(t, lang))
        .collect();
    notes.dedup();
    if notes.len() == 1 {
        let _ = writeln!(
            text,
            "{}",
            lang.text("compare-intervals", &[("note", notes[0].clone())])
        );
    } else {
        for (name, t) in runs {
            let _ = writeln!(
                text,
                "{}",
                lang.text(
                    "compare-intervals-of",
                    &[
                        ("name", name.to_string()),
                        ("note", interval_note_in(t, lang)),
                    ],
                )
            );
        }
    }
    text
}

/// One run of a comparison with what pairing needs: its name, tables and master seed.
pub struct Side<'a> {
    /// The scenario's name.
    pub name: &'a str,
    /// Its tables.
    pub tables: &'a RunTables,
    /// Its master seed.
    pub seed: u64,
}

/// A paired difference: `later - first` replicate by replicate, with its 95 % interval
/// over replicate pairs (a t interval for a metric; Newcombe's square-and-add interval
/// for the consensus share) and the p-value of the test that goes with it.
#[derive(Clone, Debug, PartialEq)]
pub struct Paired {
    /// The metric (`None`: the consensus reached, as a share).
    pub metric: Option<Metric>,
    /// Replicate pairs with both values.
    pub n: usize,
    /// Mean difference.
    pub mean: f64,
    /// 95 % interval (NaN with fewer than two pairs).
    pub low: f64,
    /// Upper end.
    pub high: f64,
    /// Two-sided p-value of no difference: the paired t test for a metric, McNemar's exact
    /// test for the consensus share (NaN with fewer than two pairs).
    pub p: f64,
}

/// What the intervals of paired differences are, as the summaries say it (`paired.csv`,
/// `assess.csv`, `points-paired.csv`).
pub const PAIRED_INTERVALS: &str =
    "95 % intervals: t over pairs, Newcombe's square-and-add for the consensus share";

/// The name the tables give the share of replicates that reached consensus.
pub const CONSENSUS_REACHED_SHARE: &str = "consensus_reached_share";

impl Paired {
    /// Its metric's name in the tables ([`CONSENSUS_REACHED_SHARE`] for the consensus).
    pub fn metric_name(&self) -> &'static str {
        self.metric.map_or(CONSENSUS_REACHED_SHARE, Metric::name)
    }

    /// Its columns in `paired.csv` and `assess.csv`: metric, pairs, mean difference and
    /// the interval's ends.
    pub fn fields(&self) -> [String; 5] {
        [
            self.metric_name().to_string(),
            self.n.to_string(),
            format_number(self.mean),
            format_number(self.low),
            format_number(self.high),
        ]
    }
}

/// Whether two runs are paired replicate by replicate: the same master seed and number of
/// replicates, each replicate on the same network draw (then scenarios that differ only
/// from round t on share every draw before t; see docs/model.md).
pub fn pairable(a: &Side<'_>, b: &Side<'_>) -> bool {
    a.seed == b.seed
        && a.tables.replicates.len() == b.tables.replicates.len()
        && a.tables
            .replicates
            .iter()
            .zip(&b.tables.replicates)
            .all(|(x, y)| x.replicate == y.replicate && x.network_draw == y.network_draw)
}

/// The paired differences `b - a` of every final metric both record and of the consensus
/// reached (1 or 0 per replicate, so its mean is the difference in share), each with its
/// interval over replicate pairs (they hold the networks' and the dynamics' randomness
/// that the two runs share): t for a metric, Newcombe's for the consensus share.
pub fn paired(a: &RunTables, b: &RunTables) -> Vec<Paired> {
    let of = |m: Metric| {
        let d: Vec<f64> = a
            .replicates
            .iter()
            .zip(&b.replicates)
            .map(|(x, y)| y.finals[m.index()] - x.finals[m.index()])
            .filter(|v| !v.is_nan())
            .collect();
        let s = nested(d.iter().map(|&v| (0, v)));
        Paired {
            metric: Some(m),
            n: s.n,
            mean: s.mean,
            low: s.low,
            high: s.high,
            p: t_test_p(&d),
        }
    };
    let mut out: Vec<Paired> = a
        .metrics()
        .into_iter()
        .filter(|m| b.metrics().contains(m))
        .map(of)
        .collect();
    out.push(paired_consensus(a, b));
    out
}

/// The paired difference in the share of replicates that reached consensus, `b - a`, with
/// Newcombe's interval and McNemar's exact p-value from the pairs' 2 x 2 counts.
fn paired_consensus(a: &RunTables, b: &RunTables) -> Paired {
    let mut counts = [0usize; 4];
    for (x, y) in a.replicates.iter().zip(&b.replicates) {
        let cell = match (x.consensus_round.is_some(), y.consensus_round.is_some()) {
            (true, true) => 0,
            (true, false) => 1,
            (false, true) => 2,
            (false, false) => 3,
        };
        counts[cell] += 1;
    }
    let n: usize = counts.iter().sum();
    let [both, first_only, second_only, neither] = counts;
    let (low, high) = if n < 2 {
        (f64::NAN, f64::NAN)
    } else {
        paired_share_difference(both, first_only, second_only, neither)
    };
    Paired {
        metric: None,
        n,
        mean: if n == 0 {
            f64::NAN
        } else {
            (second_only as f64 - first_only as f64) / n as f64
        },
        low,
        high,
        p: if n < 2 {
            f64::NAN
        } else {
            mcnemar_exact(first_only, second_only)
        },
    }
}

/// The comparison's paired differences in words: each later run against the first, the
/// summarized metrics and the consensus share; or why the runs are not paired.
pub fn paired_summary(sides: &[Side<'_>]) -> String {
    paired_summary_in(sides, Lang::En)
}

/// [`paired_summary`] in `lang`, from the message catalogue.
pub fn paired_summary_in(sides: &[Side<'_>], lang: Lang) -> String {
    let mut text = String::new();
    let Some(first) = sides.first() else {
        return text;
    };
    // `+0.12` as Rust writes it (so English is what it was), a decimal comma in Indonesian.
    let signed = |v: f64, decimals: usize| lang.decimal_mark(format!("{v:+.decimals$}"));
    for b in &sides[1..] {
        if !pairable(first, b) {
            let _ = writeln!(
                text,
                "{}",
                lang.text(
                    "paired-not",
                    &[
                        ("first", first.name.to_string()),
                        ("other", b.name.to_string())
                    ],
                )
            );
            continue;
        }
        let diffs = paired(first.tables, b.tables);
        let families = first.tables.families().common(b.tables.families());
        let mut parts = Vec::new();
        for (metric, _) in Metric::summarized(families) {
            if let Some(p) = diffs.iter().find(|p| p.metric == Some(metric)) {
                parts.push(format!(
                    "{} {} {}",
                    metric_phrase(metric, lang).to_lowercase(),
                    signed(p.mean, 2),
                    lang.interval(&signed(p.low, 2), &signed(p.high, 2))
                ));
            }
        }
        if let Some(p) = diffs.iter().find(|p| p.metric.is_none()) {
            let pct = |v: f64| format!("{} %", signed(100.0 * v, 0));
            parts.push(format!(
                "{} {} {}",
                lang.text("paired-consensus-share", &[]),
                pct(p.mean),
                lang.interval(&pct(p.low), &pct(p.high))
            ));
        }
        let _ = writeln!(
            text,
            "{}",
            lang.text(
                "paired-differences",
                &[
                    ("other", b.name.to_string()),
                    ("first", first.name.to_string()),
                    ("pairs", b.tables.replicates.len().to_string()),
                    ("intervals", lang.text("paired-intervals", &[])),
                    ("parts", parts.join("; ")),
                ],
            )
        );
    }
    text
}

/// `paired.csv`: for each later run paired with the first, each metric's mean paired
/// difference with its 95 % interval over replicate pairs ([`PAIRED_INTERVALS`]), and
/// `consensus_reached_share`.
pub fn write_paired_csv(sides: &[Side<'_>], w: impl std::io::Write) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "scenario",
        "minus",
        "metric",
        "pairs",
        "mean_difference",
        "ci_low",
        "ci_high",
    ])?;
    if let Some(first) = sides.first() {
        for b in sides[1..].iter().filter(|b| pairable(first, b)) {
            for p in paired(first.tables, b.tables) {
                let names = [b.name.to_string(), first.name.to_string()];
                out.write_record(names.into_iter().chain(p.fields()))?;
            }
        }
    }
    out.flush()?;
    Ok(())
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
    for metric in tables.metrics() {
        let s = tables.final_interval(metric);
        let note = tables.interval_of(metric);
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
    let how = tables.consensus_interval_of();
    out.write_record([
        CONSENSUS_REACHED_SHARE.to_string(),
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
/// then the consensus share with its interval; `interval` says what each interval covers.
/// Names are quoted as CSV needs.
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
        "interval",
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
                t.interval_of(metric),
            ])?;
        }
        let n = t.replicates.len();
        let (lo, hi) = t.consensus_interval();
        out.write_record([
            name.to_string(),
            CONSENSUS_REACHED_SHARE.into(),
            n.to_string(),
            t.network_draws().to_string(),
            format_number(t.consensus_count() as f64 / n.max(1) as f64),
            format_number(lo),
            format_number(hi),
            String::new(),
            String::new(),
            t.consensus_interval_of(),
        ])?;
    }
    out.flush()?;
    Ok(())
}

/// A methods paragraph for a paper, written from a run's manifest and tables: the
/// software and model with their version and source commit, the replicates, rounds and
/// seed, how the replicates sit on network draws, the interventions, the intervals by name
/// and what they cover, and the scenario's fingerprint. `collabgov report` puts it in the
/// report and writes it as `methods.md`.
pub fn methods_paragraph(manifest: &crate::manifest::RunManifest, tables: &RunTables) -> String {
    let mut text = String::new();
    let commit = manifest.source_commit.as_ref().map_or(String::new(), |c| {
        format!(", source commit {}", &c[..c.len().min(12)])
    });
    let _ = write!(
        text,
        "We simulated the scenario \"{}\" with collabgov {} (model {}{commit}), an agent-based model of collaborative governance after Ansell and Gash (2008) described in the ODD protocol in collabgov's docs/odd.md. ",
        manifest.scenario_name, manifest.collabgov_version, manifest.model
    );
    let _ = write!(
        text,
        "The forum held {} actors in {} sectors and {} relations. We ran {} replicates of {} rounds each from master seed {}; replicate r draws its random numbers from stream r of a ChaCha8 generator, so the run is reproducible exactly on any number of threads. ",
        manifest.actors,
        manifest.sectors.len(),
        manifest.relations,
        manifest.replicates,
        manifest.rounds,
        manifest.seed
    );
    let draws = manifest.network_draws;
    let _ = write!(
        text,
        "{} ",
        match tables.design() {
            Design::OneNetwork => "Every replicate ran on the same network.".to_string(),
            Design::NetworkPerReplicate =>
                "Each replicate ran on a network of its own.".to_string(),
            Design::Nested => format!(
                "The replicates were spread over {draws} network draws (replicate r on draw r mod {draws})."
            ),
        }
    );
    if !manifest.interventions.is_empty() {
        let list: Vec<String> = manifest
            .interventions
            .iter()
            .map(|m| format!("{} from round {}", m.label, m.round))
            .collect();
        let _ = write!(text, "Interventions: {}. ", list.join("; "));
    }
    let _ = write!(
        text,
        "Final means are reported with 95 % confidence intervals: {}; the share of replicates reaching consensus (understanding and commitment above their thresholds) with a {}. ",
        tables.interval_note(),
        tables.consensus_interval_of()
    );
    let _ = write!(
        text,
        "The scenario's SHA-256 fingerprint is {}.",
        manifest.scenario_fingerprint
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The catalogue's English for a summarized metric is the metric table's phrase, and
    /// for an interval note the engine's: English summaries read the catalogue, the engine
    /// keeps its own words (`summary.csv`, `run.json`), and the two never drift apart.
    /// Indonesian has each too.
    #[test]
    fn the_catalogue_speaks_the_engine_s_english() {
        for (metric, phrase) in Metric::summarized(Families::ALL) {
            assert_eq!(metric_phrase(metric, Lang::En), phrase, "{}", metric.name());
            let key = format!("summary-metric-{}", metric.name());
            assert_ne!(metric_phrase(metric, Lang::Id), key, "no {key} in id.ftl");
        }
        for design in [
            Design::OneNetwork,
            Design::NetworkPerReplicate,
            Design::Nested,
        ] {
            assert_eq!(design_note(design, 5, Lang::En), design.interval_note(5));
            assert!(!design_note(design, 5, Lang::Id).starts_with("interval-"));
        }
    }
}
