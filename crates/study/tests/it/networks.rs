//! The network as part of the Monte Carlo: a network draw per replicate by default for
//! random networks, `network.draws` and `network.seed`, the nested-design intervals, and
//! sweeps that agree with runs (or hold the network fixed).

#![allow(clippy::unwrap_used)]

use collabgov_core::scenario::SetValue;
use collabgov_core::scenario::no_files;
use collabgov_core::{Overrides, Scenario};
use collabgov_sim::stats::{Design, wilson};
use collabgov_sim::{Metric, RunOptions, run};
use collabgov_study::output::RunTables;
use collabgov_study::sweep::SweepPlan;

fn bundled(name: &str) -> String {
    collabgov_study::bundled::BUNDLED
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap()
        .1
        .to_string()
}

fn with(text: &str, set: &[(&str, &str)]) -> Scenario {
    let overrides = Overrides {
        set: set
            .iter()
            .map(|(k, v)| (k.to_string(), SetValue::Text(v.to_string())))
            .collect(),
        ..Overrides::default()
    };
    Scenario::parse_with(text, "test.toml", &no_files, &overrides)
        .unwrap()
        .scenario
}

fn relations(s: &Scenario) -> Vec<(usize, usize)> {
    s.forum.graph.relations().map(|(_, i, j)| (i, j)).collect()
}

fn csv(tables: &RunTables) -> (String, String) {
    let (mut rounds, mut replicates) = (Vec::new(), Vec::new());
    tables.write_rounds(&mut rounds).unwrap();
    tables.write_replicates(&mut replicates).unwrap();
    (
        String::from_utf8(rounds).unwrap(),
        String::from_utf8(replicates).unwrap(),
    )
}

#[test]
fn each_replicate_draws_its_own_network_and_replicate_0_keeps_the_scenarios() {
    let s = with(&bundled("siloed-government"), &[("replicates", "6")]);
    assert_eq!(s.network_draws, 6);
    let draws: Vec<Scenario> = (0..6).map(|d| s.network_draw(d).unwrap()).collect();
    assert_eq!(relations(&draws[0]), relations(&s));
    for (d, drawn) in draws.iter().enumerate().skip(1) {
        assert_ne!(relations(drawn), relations(&s), "draw {d}");
        assert_eq!(drawn.forum.actors.len(), s.forum.actors.len());
    }
    // Drawing again gives the same network: draws are streams of the seed.
    assert_eq!(relations(&s.network_draw(3).unwrap()), relations(&draws[3]));
    // Replicate 0 of a run with a network per replicate is replicate 0 of a run on one
    // shared network, bit for bit; the others differ.
    let one = with(
        &bundled("siloed-government"),
        &[("replicates", "6"), ("network.draws", "1")],
    );
    assert_eq!(one.network_draws, 1);
    let (a, b) = (
        run(&s, &RunOptions::default()),
        run(&one, &RunOptions::default()),
    );
    let bits = |r: &collabgov_sim::run::ReplicateResult| -> Vec<u64> {
        r.records
            .iter()
            .flat_map(|rec| rec.iter().map(|v| v.to_bits()))
            .collect()
    };
    assert_eq!(bits(&a.replicates[0]), bits(&b.replicates[0]));
    assert_ne!(bits(&a.replicates[1]), bits(&b.replicates[1]));
    assert_eq!(
        a.replicates.iter().map(|r| r.draw).collect::<Vec<_>>(),
        [0, 1, 2, 3, 4, 5]
    );
    assert!(b.replicates.iter().all(|r| r.draw == 0));
}

#[test]
fn interventions_relations_are_drawn_on_each_network() {
    // The task force adds the relations missing on each draw's own network.
    let s = with(&bundled("whole-of-government"), &[("replicates", "3")]);
    for d in 0..3 {
        let drawn = s.network_draw(d).unwrap();
        let windows = drawn.forum.windows.as_ref().unwrap();
        let added = drawn
            .forum
            .graph
            .relations()
            .filter(|&(slot, _, _)| windows[slot].from == 30)
            .count();
        // Every pair of the four sectors' members is related (the coordinating agency's
        // own sector is not in the task force).
        let member =
            |i: usize| drawn.forum.sectors[drawn.forum.actors[i].sector as usize] != "coordination";
        let m = (0..drawn.forum.actors.len()).filter(|&i| member(i)).count();
        let among = drawn
            .forum
            .graph
            .relations()
            .filter(|&(_, i, j)| member(i) && member(j))
            .count();
        assert_eq!(among, m * (m - 1) / 2, "draw {d}");
        assert!(added > 0);
    }
}

#[test]
fn network_per_replicate_is_byte_identical_on_any_thread_count() {
    let s = with(
        &bundled("whole-of-government"),
        &[("replicates", "12"), ("rounds", "50")],
    );
    let pool = |n| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .unwrap()
    };
    let one = pool(1).install(|| RunTables::from_run(&s, &run(&s, &RunOptions::default())));
    let four = pool(4).install(|| RunTables::from_run(&s, &run(&s, &RunOptions::default())));
    assert_eq!(csv(&one), csv(&four));
}

#[test]
fn draws_spread_replicates_evenly_and_the_summary_says_which_variance() {
    let s = with(
        &bundled("siloed-government"),
        &[
            ("replicates", "12"),
            ("rounds", "40"),
            ("network.draws", "4"),
        ],
    );
    let result = run(&s, &RunOptions::default());
    let draws: Vec<u32> = result.replicates.iter().map(|r| r.draw).collect();
    assert_eq!(draws, [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]);
    let tables = RunTables::from_run(&s, &result);
    assert_eq!(tables.design(), Design::Nested);
    let i = tables.final_interval(Metric::TrustAcross);
    assert_eq!((i.n, i.draws), (12, 4));
    assert!(i.var_within >= 0.0 && i.var_between >= 0.0);
    let mut text = Vec::new();
    collabgov_study::report::write_summary_csv(&tables, &mut text).unwrap();
    let text = String::from_utf8(text).unwrap();
    assert!(
        text.contains("4 network draws (one-way random effects"),
        "{text}"
    );
    let summary = collabgov_study::report::run_summary(&tables);
    assert!(
        summary.last().unwrap().contains("4 network draws"),
        "{summary:?}"
    );
    // One network: the summary says so.
    let one = with(
        &bundled("siloed-government"),
        &[
            ("replicates", "5"),
            ("rounds", "20"),
            ("network.draws", "1"),
        ],
    );
    let tables = RunTables::from_run(&one, &run(&one, &RunOptions::default()));
    let summary = collabgov_study::report::run_summary(&tables);
    assert!(
        summary.last().unwrap().contains("for one network draw"),
        "{summary:?}"
    );
    // replicates.csv names each replicate's draw and reads back.
    let (_, replicates) = csv(&tables);
    assert!(replicates.starts_with("replicate,network_draw,consensus_round,"));
}

#[test]
fn bad_draws_name_the_key_and_line() {
    let text =
        bundled("siloed-government").replace("p_across = 0.1\n", "p_across = 0.1\ndraws = 500\n");
    let e = Scenario::parse(&text, "s.toml", &no_files).unwrap_err();
    assert_eq!(e.key, "network.draws");
    assert_eq!(e.line, Some(42));
    assert!(
        e.message
            .contains("between 1 and the number of replicates (200)"),
        "{e}"
    );
    // A fixed network has no draws.
    let text = bundled("siloed-government").replace(
        "type = \"sbm\"\np_within = 0.7\np_across = 0.1\n",
        "type = \"complete\"\ndraws = 2\n",
    );
    let e = Scenario::parse(&text, "s.toml", &no_files).unwrap_err();
    assert!(e.message.contains("draws"), "{e}");
}

#[test]
fn a_network_seed_of_its_own_keeps_the_network_when_the_seed_changes() {
    let a = with(
        &bundled("default"),
        &[
            ("seed", "1"),
            ("network.seed", "77"),
            ("network.draws", "1"),
        ],
    );
    let b = with(
        &bundled("default"),
        &[
            ("seed", "2"),
            ("network.seed", "77"),
            ("network.draws", "1"),
        ],
    );
    let c = with(
        &bundled("default"),
        &[("seed", "2"), ("network.draws", "1")],
    );
    assert_eq!(relations(&a), relations(&b));
    assert_ne!(relations(&a), relations(&c));
}

fn sweep(extra: &str, replicates: u32) -> SweepPlan {
    let text = format!(
        "name = \"t\"\nbase = \"siloed-government\"\ndesign = \"grid\"\nreplicates = {replicates}\nseed = 9\n{extra}\n[[factors]]\nkey = \"parameters.leadership\"\nvalues = [0.5, 0.6]\n"
    );
    let base = |name: &str| Ok((bundled(name), format!("bundled:{name}")));
    SweepPlan::parse(&text, "t.sweep.toml", &base, &no_files).unwrap()
}

#[test]
fn a_sweep_can_hold_the_network_fixed_across_points() {
    let free = sweep("", 4);
    let fixed = sweep("fixed_network = true", 4);
    let graph = |plan: &SweepPlan, point: usize, draw: u32| {
        relations(
            &plan
                .scenario_at(point, &no_files)
                .unwrap()
                .network_draw(draw)
                .unwrap(),
        )
    };
    for draw in 0..4 {
        assert_eq!(
            graph(&fixed, 0, draw),
            graph(&fixed, 1, draw),
            "draw {draw}"
        );
    }
    assert_ne!(graph(&free, 0, 0), graph(&free, 1, 0));
    // A fixed network cannot be held fixed.
    let text = "name = \"t\"\nbase = \"b\"\ndesign = \"grid\"\nfixed_network = true\n[[factors]]\nkey = \"parameters.silo\"\nvalues = [0.1]\n";
    let base = |_: &str| {
        Ok((
            "name = \"b\"\n[[sectors]]\nname = \"a\"\nagencies = 3\n".to_string(),
            "b.toml".to_string(),
        ))
    };
    let e = SweepPlan::parse(text, "t.sweep.toml", &base, &no_files).unwrap_err();
    assert_eq!(e.key, "fixed_network");
    assert!(e.message.contains("complete network"), "{e}");
}

#[test]
fn a_sweep_point_agrees_with_a_run_at_the_same_settings() {
    // The bundled siloed forum as a run, and as a sweep point at its own settings (another
    // seed, so other networks): with a network per replicate both cover the network's
    // randomness, and their intervals overlap.
    let replicates = 120;
    let s = with(
        &bundled("siloed-government"),
        &[("replicates", &replicates.to_string())],
    );
    let tables = RunTables::from_run(&s, &run(&s, &RunOptions::default()));
    let text = format!(
        "name = \"t\"\nbase = \"siloed-government\"\ndesign = \"grid\"\nreplicates = {replicates}\nseed = 3\n[[factors]]\nkey = \"parameters.silo\"\nvalues = [0.85]\n"
    );
    let base = |name: &str| Ok((bundled(name), format!("bundled:{name}")));
    let plan = SweepPlan::parse(&text, "t.sweep.toml", &base, &no_files).unwrap();
    let point = plan.scenario_at(0, &no_files).unwrap();
    assert_ne!(point.seed, s.seed);
    let swept = RunTables::from_run(&point, &run(&point, &RunOptions::default()));
    let overlap = |a: (f64, f64), b: (f64, f64)| a.0 <= b.1 && b.0 <= a.1;
    let consensus = |t: &RunTables| wilson(t.consensus_count(), t.replicates.len());
    assert!(
        overlap(consensus(&tables), consensus(&swept)),
        "{:?} {:?}",
        consensus(&tables),
        consensus(&swept)
    );
    for metric in [
        Metric::TrustAcross,
        Metric::Commitment,
        Metric::Understanding,
    ] {
        let (a, b) = (tables.final_interval(metric), swept.final_interval(metric));
        assert!(
            overlap((a.low, a.high), (b.low, b.high)),
            "{metric:?}: {a:?} {b:?}"
        );
    }
}

#[test]
fn intervals_stay_inside_their_metrics_range_and_one_replicate_has_none() {
    // Few replicates of a forum where almost nothing is blocked: a t interval of the
    // blocked count would reach below 0, of the shares above 1.
    let s = with(
        &bundled("power-imbalance-facilitated"),
        &[("replicates", "4"), ("rounds", "60")],
    );
    let tables = RunTables::from_run(&s, &run(&s, &RunOptions::default()));
    let mut clipped = 0;
    for metric in tables.metrics() {
        let raw = collabgov_sim::stats::nested(
            tables
                .replicates
                .iter()
                .map(|r| (r.network_draw, r.finals[metric.index()])),
        );
        if raw.low < 0.0 || (metric.is_share() && raw.high > 1.0) {
            clipped += 1;
        }
        let i = tables.final_interval(metric);
        assert!(i.low >= 0.0, "{metric:?}: {i:?}");
        if metric.is_share() {
            assert!(i.high <= 1.0, "{metric:?}: {i:?}");
        }
    }
    assert!(
        clipped > 0,
        "no interval needed clipping: the case does not test it"
    );
    let one = with(
        &bundled("default"),
        &[("replicates", "1"), ("rounds", "10")],
    );
    let tables = RunTables::from_run(&one, &run(&one, &RunOptions::default()));
    let summary = collabgov_study::report::run_summary(&tables);
    assert!(summary[1].contains("[no interval]"), "{summary:?}");
    assert!(tables.final_interval(Metric::TrustAcross).low.is_nan());
}

#[test]
fn relations_added_later_show_their_trust_at_creation_and_are_counted_apart() {
    let s = with(
        &bundled("whole-of-government"),
        &[("replicates", "2"), ("rounds", "40")],
    );
    let tables = RunTables::from_run(&s, &run(&s, &RunOptions::default()));
    let added: Vec<_> = tables.network.iter().filter(|r| r.from == 30).collect();
    assert_eq!(added.len(), s.forum.n_added_relations());
    assert!(!added.is_empty());
    // The coordinating agency's relations start at 0.7, the task force's at 0.55.
    for r in &added {
        let expected =
            if r.source.starts_with("coordination") || r.target.starts_with("coordination") {
                0.7
            } else {
                0.55
            };
        assert_eq!(
            (r.trust_st_initial, r.trust_ts_initial),
            (expected, expected),
            "{r:?}"
        );
    }
    let words = collabgov_study::report::describe(&s);
    let start = s.forum.graph.n_relations() - added.len();
    assert!(
        words[0].contains(&format!(
            "{start} relations at the start, {} more added by interventions",
            added.len()
        )),
        "{}",
        words[0]
    );
}

#[test]
fn scenarios_that_differ_from_round_t_on_are_paired_before_t() {
    // whole-of-government is siloed-government plus a coordinating agency, a task force and
    // a silo reform from round 30: with the same seed and network draws, every replicate's
    // rounds 0 to 29 are the same, bit for bit, and round 30 differs.
    let set = [("replicates", "16"), ("rounds", "60")];
    let siloed = with(&bundled("siloed-government"), &set);
    let wog = with(&bundled("whole-of-government"), &set);
    let (a, b) = (
        run(&siloed, &RunOptions::default()),
        run(&wog, &RunOptions::default()),
    );
    let bits = |rec: &collabgov_sim::Record| rec.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    for (x, y) in a.replicates.iter().zip(&b.replicates) {
        for t in 0..30 {
            assert_eq!(
                bits(&x.records[t]),
                bits(&y.records[t]),
                "replicate {} round {t}",
                x.replicate
            );
        }
    }
    let differ = a
        .replicates
        .iter()
        .zip(&b.replicates)
        .filter(|(x, y)| bits(&x.records[30]) != bits(&y.records[30]))
        .count();
    assert!(differ > 0);
}

#[test]
fn paired_differences_are_the_difference_of_means_with_a_narrower_interval() {
    use collabgov_study::report::{Side, pairable, paired, paired_summary};
    let set = [("replicates", "40"), ("rounds", "80")];
    let (siloed, wog) = (
        with(&bundled("siloed-government"), &set),
        with(&bundled("whole-of-government"), &set),
    );
    let a = RunTables::from_run(&siloed, &run(&siloed, &RunOptions::default()));
    let b = RunTables::from_run(&wog, &run(&wog, &RunOptions::default()));
    let sides = [
        Side {
            name: "siloed",
            tables: &a,
            seed: siloed.seed,
        },
        Side {
            name: "wog",
            tables: &b,
            seed: wog.seed,
        },
    ];
    assert!(pairable(&sides[0], &sides[1]));
    let diffs = paired(&a, &b);
    let trust = diffs
        .iter()
        .find(|p| p.metric == Some(Metric::TrustAcross))
        .unwrap();
    let (ma, mb) = (
        a.final_interval(Metric::TrustAcross),
        b.final_interval(Metric::TrustAcross),
    );
    assert!((trust.mean - (mb.mean - ma.mean)).abs() < 1e-12);
    // The t interval of the replicate-by-replicate differences, by hand.
    let d: Vec<f64> = a
        .replicates
        .iter()
        .zip(&b.replicates)
        .map(|(x, y)| y.finals[Metric::TrustAcross.index()] - x.finals[Metric::TrustAcross.index()])
        .collect();
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let sd = (d.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let half = collabgov_sim::stats::t95(d.len() - 1) * sd / n.sqrt();
    assert!((trust.high - mean - half).abs() < 1e-12 && (mean - trust.low - half).abs() < 1e-12);
    let consensus = diffs.iter().find(|p| p.metric.is_none()).unwrap();
    let share = |t: &RunTables| t.consensus_count() as f64 / t.replicates.len() as f64;
    assert!((consensus.mean - (share(&b) - share(&a))).abs() < 1e-12);
    assert!(paired_summary(&sides).contains("Paired differences, wog minus siloed"));
    // Another seed is not paired, and the summary says so.
    let other = Side {
        name: "wog",
        tables: &b,
        seed: 12,
    };
    assert!(!pairable(&sides[0], &other));
    let first = Side {
        name: "siloed",
        tables: &a,
        seed: siloed.seed,
    };
    assert!(paired_summary(&[first, other]).contains("are not paired"));
}

#[test]
fn a_run_read_back_from_its_own_graphml_gives_the_same_numbers() {
    // siloed-government on one shared sbm network: its network.graphml, read back as the
    // scenario's network, gives every replicate the same initial draws and numbers.
    let text = bundled("siloed-government");
    let s = with(
        &text,
        &[
            ("network.draws", "1"),
            ("replicates", "6"),
            ("rounds", "40"),
        ],
    );
    let result = run(&s, &RunOptions::default());
    let tables = RunTables::from_run(&s, &result);
    let mut graphml = Vec::new();
    tables.write_graphml(&mut graphml).unwrap();
    let graphml = String::from_utf8(graphml).unwrap();
    assert!(graphml.contains("final_commitment") && !graphml.contains("key=\"commitment\""));
    // The same scenario with its sectors' counts gone (the graph gives the actors) and the
    // network read from the file.
    let mut doc: toml::Table = toml::from_str(&text).unwrap();
    doc.remove("sectors");
    doc.insert(
        "network".into(),
        toml::Value::Table(toml::toml! { type = "graphml"
        file = "network.graphml" }),
    );
    let again_text = toml::to_string(&doc).unwrap();
    let load = |_: &str| -> Result<String, String> { Ok(graphml.clone()) };
    let overrides = Overrides {
        replicates: Some(6),
        rounds: Some(40),
        ..Overrides::default()
    };
    let again = Scenario::parse_with(&again_text, "again.toml", &load, &overrides)
        .unwrap()
        .scenario;
    assert_eq!(relations(&again), relations(&s));
    let tables_again = RunTables::from_run(&again, &run(&again, &RunOptions::default()));
    assert_eq!(csv(&tables_again).1, csv(&tables).1);
}
