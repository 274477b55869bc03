//! `collabgov assess`: which Whole-of-Government practice would help a forum most.
//!
//! - [`diagnose`]: the starting conditions that the seed names as reasons collaboration
//!   fails (silo, a prehistory of conflict in cross-sector trust, uneven power, leadership,
//!   ground rules, legal clarity, capacity), read from the scenario and the baseline run.
//! - [`Menu`]: the practices tried, each a list of `[[interventions]]` tables in the
//!   scenario format; [`Menu::default_for`] writes the default menu for a scenario, and a
//!   user edits it as a TOML file ([`Menu::parse`]).
//! - [`rank`]: every practice paired with the baseline (same seed, replicates and network
//!   draws, so replicate r of both runs shares every draw before the practice starts) and
//!   ranked by its paired effect on the consensus share, then on cross-sector trust, with
//!   95 % intervals over replicate pairs (t, and Newcombe's for the consensus share);
//!   practices without a clear effect and neighbours whose difference in consensus share
//!   is not distinguishable from zero are flagged, each family Holm-adjusted.
//!
//! Front ends run the baseline and one run per practice (the scenario with
//! [`Overrides::interventions`](collabgov_core::Overrides) set to the practice's tables);
//! this module holds everything else, so the CLI and any later front end print, write and
//! draw the same ranking.

use std::fmt::Write as _;

use collabgov_core::Scenario;
use collabgov_core::scenario::ScenarioError;
use serde::{Deserialize, Serialize};

use crate::output::RunTables;
use crate::practices::Practice;
use crate::report::{Paired, paired};
use collabgov_sim::Metric;
use collabgov_sim::stats::holm;

/// A practice on the menu: a name (a slug, used in file names and `assess.csv`), a label
/// for people, and the interventions it adds to the scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    /// Short name: letters, digits, `-` and `_`.
    pub name: String,
    /// What it is, for tables and charts (default: the name).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// `[[practices.interventions]]`: tables in the scenario format's `[[interventions]]`.
    pub interventions: Vec<toml::Value>,
}

impl MenuItem {
    /// Its title in `lang`: for a practice of the default menu, whose label is the
    /// catalogue's English (`practice-NAME`, with the task force's sectors and the halved
    /// autonomy), the catalogue's text in `lang`; any other keeps its own label.
    pub fn title_in(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang;
        let key = format!("practice-{}", self.name);
        let first = self.interventions.first();
        let sectors = |lang: Lang| -> String {
            let names: Vec<String> = first
                .and_then(|t| t.get("sectors"))
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
                .filter_map(|n| n.as_str())
                // The default menu's English label names sectors as the file does.
                .map(|n| lang.sector(n))
                .collect();
            names.join(&format!(" {} ", lang.text("and", &[])))
        };
        let halved = first
            .and_then(|t| t.get("autonomy"))
            .and_then(|v| v.as_float());
        let text = |lang: Lang| {
            let autonomy = halved.map_or(String::new(), |v| lang.decimal_mark(v.to_string()));
            lang.text(&key, &[("sectors", sectors(lang)), ("autonomy", autonomy)])
        };
        if text(Lang::En) == self.title() {
            text(lang)
        } else {
            self.title().to_string()
        }
    }

    /// A practice named `name` (a slug), labelled `label`, adding `interventions`.
    pub fn new(name: &str, label: String, interventions: Vec<toml::Value>) -> MenuItem {
        MenuItem {
            name: name.into(),
            label,
            interventions,
        }
    }

    /// The label, or the name when there is none.
    pub fn title(&self) -> &str {
        if self.label.is_empty() {
            &self.name
        } else {
            &self.label
        }
    }
}

/// With levels of government ("Integrating and Rebalancing Governance"): national
/// coordination, control raised to 0.4 and autonomy halved, each from `round`; what is left
/// out and why goes to `left_out`.
fn levels_practices(
    s: &Scenario,
    round: u32,
    practices: &mut Vec<MenuItem>,
    left_out: &mut Vec<String>,
) {
    let item = MenuItem::new;
    if let (Some(l), Some(f)) = (&s.levels, &s.forum.levels)
        && f.units.len() > 1
    {
        practices.push(item(
            "national-coordination",
            "National coordination of every sector".into(),
            vec![table(&[
                ("type", "national_coordination".into()),
                ("round", i64::from(round).into()),
                ("trust", 0.6.into()),
            ])],
        ));
        if l.control < 0.4 {
            practices.push(item(
                "more-control",
                "Rebalance: control raised to 0.4".into(),
                vec![table(&[
                    ("type", "rebalance".into()),
                    ("round", i64::from(round).into()),
                    ("control", 0.4.into()),
                ])],
            ));
        } else {
            left_out.push(format!("more-control: control is already {}", l.control));
        }
        if l.autonomy > 0.0 {
            let halved = l.autonomy / 2.0;
            practices.push(item(
                "less-autonomy",
                format!("Rebalance: autonomy halved to {halved}"),
                vec![table(&[
                    ("type", "rebalance".into()),
                    ("round", i64::from(round).into()),
                    ("autonomy", halved.into()),
                ])],
            ));
        } else {
            left_out.push("less-autonomy: autonomy is already 0".into());
        }
    }
}

/// An `[[interventions]]` table of these keys and values.
fn table(entries: &[(&str, toml::Value)]) -> toml::Value {
    toml::Value::Table(
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

/// The practices `assess` tries.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Menu {
    /// `[[practices]]`, in the order tried.
    pub practices: Vec<MenuItem>,
}

const HEADER: &str = "\
# The practices `collabgov assess` tries, each paired with the baseline. Edit and pass
# back with --menu FILE. Each [[practices]] has a name (letters, digits, - and _), an
# optional label, and one or more [[practices.interventions]] in the scenario format's
# [[interventions]] (docs/scenario-format.md): coordinating_agency, task_force,
# social_coalition, merge, union, set (a parameter from a round), with [services]
# service_pattern and mutual_aid, and with [levels] rebalance and national_coordination.
";

impl Menu {
    /// The default menu for `s` with every practice from `round`: a coordinating agency,
    /// a task force of the two least-connected sectors and one of every sector, a social
    /// coalition, a merger of every sector, leadership raised to 0.9, clearer ground rules
    /// (0.9) and a clearer legal basis (1); with levels of government, national
    /// coordination, control raised to 0.4 and autonomy halved (each a `rebalance`).
    /// Returns the menu and, in words, the practices
    /// left out and why (a task force needs two sectors; a parameter already at its
    /// raised value cannot be raised).
    pub fn default_for(s: &Scenario, round: u32) -> (Menu, Vec<String>) {
        let sectors = &s.forum.sectors;
        let mut practices = Vec::new();
        let mut left_out = Vec::new();
        let item = MenuItem::new;
        let agencies = s.forum.actors.iter().any(|a| a.kind.is_agency());
        if agencies {
            practices.push(item(
                "coordinating-agency",
                "Coordinating agency".into(),
                vec![Practice::CoordinatingAgency.intervention(round, sectors, s.rounds)],
            ));
        } else {
            left_out.push("coordinating-agency: the forum has no public agency".into());
        }
        if sectors.len() >= 2 {
            let weakest = least_connected(s, 2);
            if sectors.len() > 2 {
                practices.push(item(
                    "task-force-weakest",
                    format!("Task force of {}", weakest.join(" and ")),
                    vec![Practice::TaskForce.intervention(round, &weakest, s.rounds)],
                ));
            }
            practices.push(item(
                "task-force-all",
                "Task force of every sector".into(),
                vec![Practice::TaskForce.intervention(round, sectors, s.rounds)],
            ));
        } else {
            left_out.push("task forces and merger: the forum has one sector".into());
        }
        practices.push(item(
            "social-coalition",
            "Social coalition".into(),
            vec![Practice::SocialCoalition.intervention(round, sectors, s.rounds)],
        ));
        if sectors.len() >= 2 {
            practices.push(item(
                "merger",
                "Merger of every sector".into(),
                vec![Practice::Merger.intervention(round, sectors, s.rounds)],
            ));
        }
        let p = &s.params;
        for (name, label, parameter, now, raised) in [
            (
                "leadership",
                "Leadership raised to 0.9",
                "leadership",
                p.leadership,
                0.9,
            ),
            (
                "ground-rules",
                "Clearer ground rules (0.9)",
                "ground_rules",
                p.ground_rules,
                0.9,
            ),
            (
                "legal-basis",
                "Clearer legal basis (1)",
                "legal_clarity",
                p.legal_clarity,
                1.0,
            ),
        ] {
            if now < raised {
                practices.push(item(
                    name,
                    label.into(),
                    vec![set(round, parameter, raised)],
                ));
            } else {
                left_out.push(format!("{name}: {parameter} is already {now}"));
            }
        }
        levels_practices(s, round, &mut practices, &mut left_out);
        (Menu { practices }, left_out)
    }

    /// Reads a menu file, checking what can be checked without a scenario: at least one
    /// practice, names unique and well formed, each with at least one intervention. (The
    /// interventions are validated against the scenario when the practice is applied.)
    pub fn parse(text: &str, file: &str) -> Result<Menu, ScenarioError> {
        let menu: Menu =
            toml::from_str(text).map_err(|e| ScenarioError::from_toml(file, text, &e))?;
        if menu.practices.is_empty() {
            return Err(ScenarioError::new(
                file,
                "practices",
                "expected at least one [[practices]] entry, found none",
            ));
        }
        for (k, p) in menu.practices.iter().enumerate() {
            let key = format!("practices[{k}]");
            let well_formed = !p.name.is_empty()
                && p.name.len() <= 60
                && p.name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !well_formed {
                return Err(ScenarioError::new(
                    file,
                    &format!("{key}.name"),
                    format!(
                        "expected a name of 1 to 60 letters, digits, - or _, found \"{}\"",
                        collabgov_core::scenario::error::excerpt(&p.name)
                    ),
                ));
            }
            if p.name == "baseline" || menu.practices[..k].iter().any(|q| q.name == p.name) {
                return Err(ScenarioError::new(
                    file,
                    &format!("{key}.name"),
                    format!(
                        "expected a name of its own, found \"{}\" again{}",
                        p.name,
                        if p.name == "baseline" {
                            " (the run without a practice is called baseline)"
                        } else {
                            ""
                        }
                    ),
                ));
            }
            if p.interventions.is_empty() {
                return Err(ScenarioError::new(
                    file,
                    &format!("{key}.interventions"),
                    "expected at least one [[practices.interventions]] table, found none",
                ));
            }
        }
        Ok(menu)
    }

    /// The menu as a file [`Menu::parse`] reads back, with a header saying how to edit it.
    pub fn to_toml(&self) -> String {
        let body = toml::to_string(self).unwrap_or_default();
        format!("{HEADER}\n{body}")
    }
}

fn set(round: u32, parameter: &str, value: f64) -> toml::Value {
    let mut t = toml::Table::new();
    t.insert("type".into(), "set".into());
    t.insert("round".into(), toml::Value::Integer(i64::from(round)));
    t.insert("parameter".into(), parameter.into());
    t.insert("value".into(), toml::Value::Float(value));
    toml::Value::Table(t)
}

/// Relations [`least_connected`] counts at most, over all the network draws it reads.
pub const CONNECTIVITY_WORK: usize = 4_000_000;

/// The `k` sectors with the fewest cross-sector relations per member at the start,
/// averaged over the scenario's network draws (as many as [`CONNECTIVITY_WORK`]
/// relations allow, at least one), so the choice does not hang on one draw; fewest
/// first, ties in file order.
pub fn least_connected(s: &Scenario, k: usize) -> Vec<String> {
    let n = s.forum.sectors.len();
    let mut members = vec![0usize; n];
    for a in &s.forum.actors {
        if a.joins_at == 0 {
            members[a.sector as usize] += 1;
        }
    }
    let mut across = vec![0usize; n];
    let mut count = |forum: &collabgov_core::Forum| {
        for (slot, a, b) in forum.graph.relations() {
            let at_start = forum.windows.as_ref().is_none_or(|w| w[slot].from == 0);
            let (sa, sb) = (forum.sector_of[a], forum.sector_of[b]);
            if at_start && sa != sb {
                across[sa as usize] += 1;
                across[sb as usize] += 1;
            }
        }
    };
    count(&s.forum);
    let affordable = CONNECTIVITY_WORK / s.forum.graph.n_relations().max(1);
    let draws = s
        .network_draws
        .min(u32::try_from(affordable).unwrap_or(u32::MAX));
    for d in 1..draws {
        if let Ok(drawn) = s.network_draw(d) {
            count(&drawn.forum);
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    let per = |i: usize| across[i] as f64 / members[i].max(1) as f64;
    order.sort_by(|&x, &y| per(x).total_cmp(&per(y)));
    order
        .into_iter()
        .take(k)
        .map(|i| s.forum.sectors[i].clone())
        .collect()
}

/// One starting condition as [`diagnose`] reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// What it is.
    pub name: &'static str,
    /// Its value, formatted.
    pub value: String,
    /// What it means for the forum.
    pub reading: String,
}

/// The starting conditions of `s`, from its parameters and from round 0 and replicate 0 of
/// its baseline run `base`.
pub fn diagnose(s: &Scenario, base: &RunTables) -> Vec<Condition> {
    let p = &s.params;
    let mut out = Vec::new();
    let level = |v: f64, high: f64, low: f64| {
        if v >= high {
            "high"
        } else if v <= low {
            "low"
        } else {
            "moderate"
        }
    };
    out.push(Condition {
        name: "Silo",
        value: format!("{}", p.silo),
        reading: if p.silo > 0.0 {
            format!(
                "{}; a cross-sector dialogue is blocked with chance {}",
                level(p.silo, 0.5, 0.2),
                p.silo
            )
        } else {
            "none: no dialogue is blocked".into()
        },
    });
    let start = |metric: Metric| {
        base.rounds
            .iter()
            .find(|r| r.round == 0 && r.metric == metric)
            .map_or(f64::NAN, |r| r.summary.mean)
    };
    let (across, within) = (start(Metric::TrustAcross), start(Metric::TrustWithin));
    out.push(Condition {
        name: "Prehistory of conflict",
        value: format!("cross-sector trust {across:.2} at the start"),
        reading: if across.is_nan() {
            "no cross-sector relation at the start".into()
        } else if within.is_nan() || across < within - 0.05 {
            format!(
                "{}, below trust within sectors ({within:.2})",
                level(across, 0.6, 0.4)
            )
        } else {
            level(across, 0.6, 0.4).to_string()
        },
    });
    let first: Vec<&crate::output::ActorRow> = base
        .actors
        .iter()
        .filter(|a| a.replicate == 0 && a.joins_at == 0)
        .collect();
    let spread = |v: Vec<f64>| {
        let s = collabgov_sim::stats::summarize(v.into_iter(), &mut Vec::new());
        (s.mean, s.sd)
    };
    let (_, power_sd) = spread(first.iter().map(|a| a.power).collect());
    out.push(Condition {
        name: "Power spread",
        value: format!("sd {power_sd:.2} over actors (replicate 0)"),
        reading: format!(
            "{}; leadership evens out the power gap in dialogue",
            if power_sd >= 0.25 {
                "uneven"
            } else if power_sd >= 0.1 {
                "some asymmetry"
            } else {
                "even"
            }
        ),
    });
    out.push(Condition {
        name: "Leadership",
        value: format!("{}", p.leadership),
        reading: level(p.leadership, 0.7, 0.3).into(),
    });
    out.push(Condition {
        name: "Ground rules",
        value: format!("{}", p.ground_rules),
        reading: format!(
            "{} clarity and transparency",
            level(p.ground_rules, 0.7, 0.3)
        ),
    });
    out.push(Condition {
        name: "Legal clarity",
        value: format!("{}", p.legal_clarity),
        reading: if p.legal_clarity < 1.0 {
            format!(
                "unclear: commitment moves toward at most {} times trust",
                p.legal_clarity
            )
        } else {
            "clear".into()
        },
    });
    let (capacity, _) = spread(first.iter().map(|a| a.capacity).collect());
    out.push(Condition {
        name: "Capacity",
        value: format!("mean {capacity:.2} over actors (replicate 0)"),
        reading: format!(
            "{}; it scales the chance of a small win",
            level(capacity, 0.7, 0.4)
        ),
    });
    out
}

/// A practice's place in the ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked {
    /// Rank, 1 = helps consensus most.
    pub rank: usize,
    /// Index in the menu.
    pub practice: usize,
    /// Paired effect on the consensus share (`None` metric of [`paired`]).
    pub consensus: Paired,
    /// Paired effect on cross-sector trust at the last round.
    pub trust: Paired,
    /// Every paired effect (the final metrics, then the consensus share).
    pub effects: Vec<Paired>,
    /// The paired difference in consensus share between this practice and the next one
    /// down the ranking (`None` for the last).
    pub versus_next: Option<Paired>,
    /// Holm-adjusted p-values of its two headline effects (consensus share, cross-sector
    /// trust), adjusted over every practice's two ([`HOLM_NOTE`]).
    pub adjusted: (f64, f64),
    /// Holm-adjusted p-value of `versus_next`, adjusted over the ranking's neighbours.
    pub versus_next_adjusted: Option<f64>,
}

/// The family-wise error rate the ranking's flags hold.
pub const ALPHA: f64 = 0.05;

/// What the ranking's flags mean, as the summaries say it.
pub const HOLM_NOTE: &str = "flags Holm-adjusted: \"clear effect\" over both headline effects of every practice, \"distinguishable\" over the neighbours in the ranking, each family at 5 %";

impl Ranked {
    /// Whether either headline effect differs from the baseline after Holm's adjustment
    /// over both headline effects of every practice on the menu.
    pub fn clear(&self) -> bool {
        self.adjusted.0 < ALPHA || self.adjusted.1 < ALPHA
    }

    /// Whether its consensus share is distinguishable from the next practice's after
    /// Holm's adjustment over the ranking's neighbours (`true` for the last).
    pub fn distinct_from_next(&self) -> bool {
        self.versus_next_adjusted.is_none_or(|p| p < ALPHA)
    }
}

/// Whether a paired interval lies wholly above or below zero.
pub fn excludes_zero(p: &Paired) -> bool {
    p.low > 0.0 || p.high < 0.0
}

fn headline(effects: &[Paired]) -> (Paired, Paired) {
    let nan = |metric| Paired {
        metric,
        n: 0,
        mean: f64::NAN,
        low: f64::NAN,
        high: f64::NAN,
        p: f64::NAN,
    };
    let find = |m: Option<Metric>| {
        effects
            .iter()
            .find(|p| p.metric == m)
            .cloned()
            .unwrap_or_else(|| nan(m))
    };
    (find(None), find(Some(Metric::TrustAcross)))
}

/// Ranks the practices' runs `runs` (in menu order) against the baseline `base`: by the
/// paired effect on the consensus share, then on cross-sector trust (higher first; NaN
/// last), each practice with the paired difference to the next.
pub fn rank(base: &RunTables, runs: &[&RunTables]) -> Vec<Ranked> {
    let mut ranked: Vec<Ranked> = runs
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let effects = paired(base, t);
            let (consensus, trust) = headline(&effects);
            Ranked {
                rank: 0,
                practice: k,
                consensus,
                trust,
                effects,
                versus_next: None,
                adjusted: (f64::NAN, f64::NAN),
                versus_next_adjusted: None,
            }
        })
        .collect();
    let key = |v: f64| if v.is_nan() { f64::NEG_INFINITY } else { v };
    ranked.sort_by(|a, b| {
        key(b.consensus.mean)
            .total_cmp(&key(a.consensus.mean))
            .then(key(b.trust.mean).total_cmp(&key(a.trust.mean)))
            .then(a.practice.cmp(&b.practice))
    });
    for k in 0..ranked.len() {
        ranked[k].rank = k + 1;
        if k + 1 < ranked.len() {
            let (this, next) = (runs[ranked[k].practice], runs[ranked[k + 1].practice]);
            ranked[k].versus_next = Some(headline(&paired(next, this)).0);
        }
    }
    // Two families, each held at 5 % by Holm's step-down: the headline effects of every
    // practice against the baseline, and each practice against the next.
    let effects: Vec<f64> = ranked
        .iter()
        .flat_map(|r| [r.consensus.p, r.trust.p])
        .collect();
    let effects = holm(&effects);
    let neighbours: Vec<f64> = ranked
        .iter()
        .filter_map(|r| r.versus_next.as_ref().map(|v| v.p))
        .collect();
    let neighbours = holm(&neighbours);
    for (k, r) in ranked.iter_mut().enumerate() {
        r.adjusted = (effects[2 * k], effects[2 * k + 1]);
        r.versus_next_adjusted = r.versus_next.as_ref().map(|_| neighbours[k]);
    }
    ranked
}

fn pct(p: &Paired) -> String {
    if p.mean.is_nan() {
        "n/a".into()
    } else if p.low.is_nan() {
        format!("{:+.0} % [no interval]", 100.0 * p.mean)
    } else {
        format!(
            "{:+.0} % [{:+.0}, {:+.0}]",
            100.0 * p.mean,
            100.0 * p.low,
            100.0 * p.high
        )
    }
}

fn num(p: &Paired) -> String {
    if p.mean.is_nan() {
        "n/a".into()
    } else if p.low.is_nan() {
        format!("{:+.3} [no interval]", p.mean)
    } else {
        format!("{:+.3} [{:+.3}, {:+.3}]", p.mean, p.low, p.high)
    }
}

/// The ranking as a table for a terminal, with the flags under it.
pub fn ranking_table(menu: &Menu, ranked: &[Ranked]) -> String {
    let width = ranked
        .iter()
        .map(|r| menu.practices[r.practice].title().chars().count())
        .max()
        .unwrap_or(8)
        .max(8);
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{:>4}  {:<width$}  {:<22}  {:<28}  note",
        "rank", "practice", "consensus share", "cross-sector trust"
    );
    for r in ranked {
        let mut notes = Vec::new();
        if !r.clear() {
            notes.push("no clear effect".to_string());
        }
        if r.trust.n == 0 {
            notes.push("no cross-sector relation left to measure trust on".into());
        }
        if !r.distinct_from_next() {
            notes.push("not distinguishable from the next (consensus share)".into());
        }
        let line = format!(
            "{:>4}  {:<width$}  {:<22}  {:<28}  {}",
            r.rank,
            menu.practices[r.practice].title(),
            pct(&r.consensus),
            num(&r.trust),
            notes.join("; ")
        );
        let _ = writeln!(text, "{}", line.trim_end());
    }
    text
}

/// The diagnosis (the six criteria not met, the starting conditions), the baseline's outcome and the ranking in words: what `assess` prints
/// and writes to `summary.txt`.
pub fn assess_summary(
    name: &str,
    round: Option<u32>,
    criteria: &[crate::criteria::Criterion],
    conditions: &[Condition],
    base: &RunTables,
    menu: &Menu,
    ranked: &[Ranked],
) -> String {
    let mut text = String::new();
    let met = criteria.iter().filter(|c| c.pass).count();
    let _ = writeln!(
        text,
        "Diagnosis of {name}: {met} of {} of Ansell & Gash's criteria met{}",
        criteria.len(),
        if met == criteria.len() {
            "."
        } else {
            "; not met:"
        }
    );
    for c in criteria.iter().filter(|c| !c.pass) {
        let _ = writeln!(text, "  {}: {}", c.name, c.reason);
    }
    let _ = writeln!(text, "Starting conditions:");
    for c in conditions {
        let _ = writeln!(text, "  {:<24} {}: {}", c.name, c.value, c.reading);
    }
    let _ = writeln!(
        text,
        "Baseline: consensus reached in {}; cross-sector trust ends at {}.",
        crate::report::consensus_line(base),
        crate::report::mean_ci(&base.final_interval(Metric::TrustAcross))
    );
    let _ = writeln!(
        text,
        "Practices{}, each paired with the baseline replicate by replicate ({} pairs; paired effect = practice minus baseline; {}; {HOLM_NOTE}):",
        round.map_or(String::new(), |r| format!(" from round {r}")),
        base.replicates.len(),
        crate::report::PAIRED_INTERVALS
    );
    text.push_str(&ranking_table(menu, ranked));
    if let Some(best) = ranked.first() {
        let tied: Vec<&str> = ranked
            .iter()
            .take_while(|r| r.rank == 1 || !ranked[r.rank - 2].distinct_from_next())
            .map(|r| menu.practices[r.practice].title())
            .collect();
        let _ = if !best.clear() {
            writeln!(text, "No practice has a clear effect on this forum.")
        } else if tied.len() > 1 {
            writeln!(
                text,
                "Most help, not distinguishable from each other on the consensus share: {}.",
                tied.join(", ")
            )
        } else {
            writeln!(text, "Most help: {}.", tied[0])
        };
    }
    text
}

/// `assess.csv`: one row per practice and metric (each final metric and
/// `consensus_reached_share`): its rank, the paired difference with its 95 % interval
/// over replicate pairs ([`crate::report::PAIRED_INTERVALS`]), whether the practice has a
/// clear effect, and whether its consensus share is distinguishable from the next
/// practice's (both Holm-adjusted, [`HOLM_NOTE`]).
pub fn write_assess_csv(menu: &Menu, ranked: &[Ranked], w: impl std::io::Write) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "rank",
        "practice",
        "label",
        "metric",
        "pairs",
        "mean_difference",
        "ci_low",
        "ci_high",
        "clear_effect",
        "distinct_from_next",
    ])?;
    for r in ranked {
        let item = &menu.practices[r.practice];
        for p in &r.effects {
            let practice = [
                r.rank.to_string(),
                item.name.clone(),
                item.title().to_string(),
            ];
            let flags = [r.clear().to_string(), r.distinct_from_next().to_string()];
            out.write_record(practice.into_iter().chain(p.fields()).chain(flags))?;
        }
    }
    out.flush()?;
    Ok(())
}

/// One practice's headline effects as `assess.csv` holds them, for a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct EffectRow {
    /// Rank.
    pub rank: usize,
    /// Label.
    pub label: String,
    /// Consensus share effect (mean, low, high).
    pub consensus: (f64, f64, f64),
    /// Cross-sector trust effect (mean, low, high).
    pub trust: (f64, f64, f64),
}

/// Reads the headline effects back from `assess.csv`, in rank order, checking the header
/// and each number (errors name the line).
pub fn read_assess_csv(text: &str) -> Result<Vec<EffectRow>, String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| e.to_string())?.clone();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("assess.csv: expected a column {name}, found none"))
    };
    let (rank, label, metric) = (col("rank")?, col("label")?, col("metric")?);
    let (mean, low, high) = (col("mean_difference")?, col("ci_low")?, col("ci_high")?);
    let mut rows: Vec<EffectRow> = Vec::new();
    for (k, record) in reader.records().enumerate() {
        let line = k + 2;
        let record = record.map_err(|e| format!("assess.csv line {line}: {e}"))?;
        let number = |c: usize| -> Result<f64, String> {
            let v = record.get(c).unwrap_or("");
            if v.is_empty() {
                return Ok(f64::NAN);
            }
            v.parse().map_err(|_| {
                format!(
                    "assess.csv line {line}: expected a number in {}, found \"{}\"",
                    &header[c],
                    collabgov_core::scenario::error::excerpt(v)
                )
            })
        };
        let r: usize = record
            .get(rank)
            .unwrap_or("")
            .parse()
            .map_err(|_| format!("assess.csv line {line}: expected a whole rank"))?;
        let which = record.get(metric).unwrap_or("");
        let triple = (number(mean)?, number(low)?, number(high)?);
        let at = match rows.iter().position(|x| x.rank == r) {
            Some(i) => i,
            None => {
                rows.push(EffectRow {
                    rank: r,
                    label: record.get(label).unwrap_or("").to_string(),
                    consensus: (f64::NAN, f64::NAN, f64::NAN),
                    trust: (f64::NAN, f64::NAN, f64::NAN),
                });
                rows.len() - 1
            }
        };
        if which == crate::report::CONSENSUS_REACHED_SHARE {
            rows[at].consensus = triple;
        } else if which == Metric::TrustAcross.name() {
            rows[at].trust = triple;
        }
    }
    rows.sort_by_key(|r| r.rank);
    Ok(rows)
}
