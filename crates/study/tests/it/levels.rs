//! The checks of MODEL-CG3.md on the levels of government: one unit is CG-1 exactly, no
//! extra draw at autonomy 0, full autonomy holds no dialogue between governments, full
//! control opens the vertical channel only, the refusals match their chances, the metrics
//! against values computed by hand, thread-count determinism, the generator, validation,
//! the interventions, and the bundled lessons.

#![allow(clippy::unwrap_used)]

use std::collections::HashMap;

use collabgov_core::Scenario;
use collabgov_core::scenario::levels::{DISTANT, LOCAL, PEER, VERTICAL};
use collabgov_core::scenario::no_files;
use collabgov_sim::model::{Schedule, Scratch, State, play_round, understanding_of};
use collabgov_sim::{Metric, RunOptions, RunResult, replicate_rng, run};
use collabgov_study::output::RunTables;

fn scenario(toml: &str) -> Scenario {
    Scenario::parse(toml, "test.toml", &no_files).expect("valid scenario")
}

/// A multilevel forum: two sectors, 3 provinces and 7 regencies, non-state actors in every
/// regency, peers related, and `levels` as the `[levels]` table's body.
fn multilevel(levels: &str, extra: &str) -> String {
    format!(
        r#"name = "levels-test"
rounds = 40
replicates = 12
seed = 9
[[sectors]]
name = "health"
agencies = [1, 2, 1]
community = 2
[[sectors]]
name = "water"
agencies = 1
ngo = 1
[network]
type = "multilevel"
provinces = 3
regencies = 7
p_peer = 0.5
draws = 1
[levels]
{levels}
{extra}"#
    )
}

/// Every CG-1 metric of every round of every replicate.
fn forum_values(result: &RunResult) -> Vec<u64> {
    let cg1: Vec<Metric> = Metric::ALL
        .into_iter()
        .filter(|m| !m.is_level() && !m.is_service())
        .collect();
    result
        .replicates
        .iter()
        .flat_map(|r| r.records.iter())
        .flat_map(|rec| cg1.iter().map(|m| rec[m.index()].to_bits()))
        .collect()
}

/// Every value of `metric` in every round of every replicate.
fn series(result: &RunResult, metric: Metric) -> Vec<Vec<f64>> {
    result
        .replicates
        .iter()
        .map(|r| r.records.iter().map(|rec| rec[metric.index()]).collect())
        .collect()
}

#[test]
fn one_unit_is_cg1_exactly() {
    for name in ["default", "services-one-door"] {
        let text = collabgov_study::bundled::BUNDLED
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap()
            .1;
        let with =
            format!("{text}\n[levels]\nautonomy = 0.8\ncontrol = 0.4\nregional_views = 0.5\n");
        let (mut a, mut b) = (scenario(text), scenario(&with));
        a.replicates = 6;
        b.replicates = 6;
        let (ra, rb) = (
            run(&a, &RunOptions::default()),
            run(&b, &RunOptions::default()),
        );
        assert!(rb.levels && !ra.levels);
        // Every CG-1 and CG-2 column the same, bit for bit; only the levels metrics added.
        for (x, y) in ra.replicates.iter().zip(&rb.replicates) {
            for (p, q) in x.records.iter().zip(&y.records) {
                for m in Metric::ALL.into_iter().filter(|m| !m.is_level()) {
                    assert_eq!(
                        p[m.index()].to_bits(),
                        q[m.index()].to_bits(),
                        "{name}: {}",
                        m.name()
                    );
                }
                assert_eq!(q[Metric::BlockedAutonomy.index()], 0.0);
            }
        }
        assert_eq!(rb.units.len(), 1);
    }
}

#[test]
fn zero_autonomy_draws_nothing_more_than_the_same_network_as_an_edge_list() {
    let ml = scenario(&multilevel("regional_views = 0.0", ""));
    let forum = &ml.forum;
    // The same actors, in the same order, and the same relations from a file.
    let mut text = String::from("name = \"edges\"\nrounds = 40\nreplicates = 12\nseed = 9\n");
    text.push_str("[[sectors]]\nname = \"health\"\n[[sectors]]\nname = \"water\"\n");
    for a in &forum.actors {
        text.push_str(&format!(
            "[[actors]]\nid = \"{}\"\nkind = \"{}\"\nsector = \"{}\"\n",
            a.id,
            a.kind.name(),
            forum.sectors[a.sector as usize]
        ));
    }
    text.push_str("[network]\ntype = \"edges\"\nfile = \"edges.csv\"\n");
    let mut edges = String::from("source,target\n");
    for (_, i, j) in forum.graph.relations() {
        edges.push_str(&format!("{},{}\n", forum.actors[i].id, forum.actors[j].id));
    }
    let load = |_: &str| -> Result<String, String> { Ok(edges.clone()) };
    let flat = Scenario::parse(&text, "edges.toml", &load).unwrap();
    for i in 0..forum.n_actors() {
        assert_eq!(forum.graph.neighbors(i), flat.forum.graph.neighbors(i));
    }
    let (a, b) = (
        run(&ml, &RunOptions::default()),
        run(&flat, &RunOptions::default()),
    );
    assert_eq!(forum_values(&a), forum_values(&b));
}

#[test]
fn full_autonomy_holds_no_dialogue_between_governments() {
    let s = scenario(&multilevel("autonomy = 1.0\ncontrol = 0.0", ""));
    let r = run(&s, &RunOptions::default());
    for metric in [Metric::TrustVertical, Metric::TrustPeer] {
        for rep in series(&r, metric) {
            assert!(rep.iter().all(|&v| v == rep[0]), "{} moved", metric.name());
        }
    }
    // Local dialogue goes on, and dialogues between governments are refused.
    let local = series(&r, Metric::TrustLocal);
    assert!(local.iter().any(|rep| rep[0] != rep[rep.len() - 1]));
    let refused: f64 = series(&r, Metric::BlockedAutonomy).iter().flatten().sum();
    assert!(refused > 0.0);
}

#[test]
fn full_control_opens_the_vertical_channel_only() {
    let s = scenario(&multilevel("autonomy = 1.0\ncontrol = 1.0", ""));
    let r = run(&s, &RunOptions::default());
    let vertical: f64 = series(&r, Metric::BlockedAutonomyVertical)
        .iter()
        .flatten()
        .sum();
    assert_eq!(vertical, 0.0);
    let all: f64 = series(&r, Metric::BlockedAutonomy).iter().flatten().sum();
    assert!(all > 0.0, "peer dialogues are refused");
    for rep in series(&r, Metric::TrustPeer) {
        assert!(rep.iter().all(|&v| v == rep[0]));
    }
    assert!(
        series(&r, Metric::TrustVertical)
            .iter()
            .any(|rep| rep[0] != rep[rep.len() - 1])
    );
}

#[test]
fn refusals_match_their_chances() {
    let (a, chi) = (0.6, 0.5);
    let s = scenario(&multilevel(&format!("autonomy = {a}\ncontrol = {chi}"), ""));
    let schedule = Schedule::new(&s);
    let (mut between, mut refused) = ([0u64; 2], [0u64; 2]);
    for replicate in 0..4 {
        let mut rng = replicate_rng(s.seed, replicate);
        let mut later = replicate_rng(s.seed, 1000 + replicate);
        let mut state = State::draw(&s.forum, s.issues, &mut rng, &mut later);
        let mut scratch = Scratch::new(&s.forum);
        for t in 1..=1500 {
            let c = play_round(&s.forum, &schedule, t, &mut state, &mut scratch, &mut rng);
            for k in 0..2 {
                between[k] += c.between[k];
                refused[k] += c.blocked_autonomy[k];
            }
        }
    }
    for (k, p) in [(0, a * (1.0 - chi)), (1, a)] {
        let n = between[k] as f64;
        let share = refused[k] as f64 / n;
        let se = (p * (1.0 - p) / n).sqrt();
        assert!(n > 2000.0, "{k}: only {n} dialogues between governments");
        assert!(
            (share - p).abs() < 4.0 * se,
            "{k}: {share} refused, expected {p} (se {se})"
        );
    }
}

#[test]
fn the_levels_metrics_equal_values_computed_by_hand() {
    let s = scenario(&multilevel(
        "autonomy = 0.5\ncontrol = 0.2\nregional_views = 0.7",
        "",
    ));
    let r = run(&s, &RunOptions::default());
    let rep = &r.replicates[0];
    let state = &rep.state;
    let levels = s.forum.levels.as_ref().unwrap();
    let last = rep.records.last().unwrap();
    let c = &s.params.consensus;
    // Regencies in consensus, and understanding between their mean views.
    let mut in_consensus = 0;
    let mut means: Vec<f64> = Vec::new();
    for &u in &levels.regencies {
        let members: Vec<usize> = levels.members[u as usize]
            .iter()
            .map(|&i| i as usize)
            .collect();
        let n = members.len() as f64;
        let u_here = understanding_of(members.len(), |k| members[k], state);
        let commitment = members.iter().map(|&i| state.commitment[i]).sum::<f64>() / n;
        in_consensus += usize::from(u_here >= c.understanding && commitment >= c.commitment);
        for d in 0..s.issues {
            means.push(
                members
                    .iter()
                    .map(|&i| state.views[i * s.issues + d])
                    .sum::<f64>()
                    / n,
            );
        }
    }
    let share = in_consensus as f64 / levels.regencies.len() as f64;
    assert!((last[Metric::UnitsInConsensus.index()] - share).abs() < 1e-12);
    let between = collabgov_sim::model::levels::understanding_of_points(&means, s.issues);
    assert!((last[Metric::UnderstandingBetweenUnits.index()] - between).abs() < 1e-9);
    // Trust by relation kind, over both directions of every relation.
    let graph = &s.forum.graph;
    let mut sums: HashMap<u8, (f64, usize)> = HashMap::new();
    for i in 0..graph.n_actors() {
        for slot in graph.slots(i) {
            let e = sums.entry(levels.relation[slot]).or_default();
            e.0 += state.trust[slot];
            e.1 += 1;
        }
    }
    for (kind, metric) in [
        (LOCAL, Metric::TrustLocal),
        (VERTICAL, Metric::TrustVertical),
        (PEER, Metric::TrustPeer),
    ] {
        let (sum, n) = sums[&kind];
        assert!(
            (last[metric.index()] - sum / n as f64).abs() < 1e-9,
            "{}",
            metric.name()
        );
    }
    assert!(
        !sums.contains_key(&DISTANT),
        "the generator makes no distant relation"
    );
    // The per-level series: national, province, regency.
    assert_eq!(
        r.groups[r.groups.len() - 3..],
        ["level:national", "level:province", "level:regency"]
    );
}

#[test]
fn the_generator_numbers_units_and_actors_as_documented() {
    let s = scenario(&multilevel("", ""));
    let levels = s.forum.levels.as_ref().unwrap();
    // 1 + 3 + 7 units; regencies 3, 2, 2 over the provinces.
    assert_eq!(levels.units.len(), 11);
    let parents: Vec<u32> = levels.units[4..].iter().map(|u| u.parent).collect();
    assert_eq!(parents, [1, 1, 1, 2, 2, 3, 3]);
    // Actors unit by unit: national 1 + 1 agencies, provinces 2 + 1, regencies 1 + 2 + 1 + 1.
    assert_eq!(s.forum.n_actors(), 2 + 3 * 3 + 7 * 5);
    let units: Vec<u32> = levels.unit_of.clone();
    assert!(units.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(s.forum.actors[2].id, "u1-health-agency-1");
    // Vertical relations join agencies of one sector only.
    for (slot, i, j) in s.forum.graph.relations() {
        if levels.relation[slot] == VERTICAL {
            let (a, b) = (&s.forum.actors[i], &s.forum.actors[j]);
            assert!(a.kind.is_agency() && b.kind.is_agency() && a.sector == b.sector);
        }
    }
}

#[test]
fn a_levels_run_is_the_same_on_one_thread_or_three() {
    let mut s = scenario(&multilevel(
        "autonomy = 0.7\ncontrol = 0.3\nregional_views = 0.4",
        "[[interventions]]\ntype = \"national_coordination\"\nround = 10\n",
    ));
    s.replicates = 8;
    let tables = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let result = pool.install(|| run(&s, &RunOptions::default()));
        let t = RunTables::from_run(&s, &result);
        let mut bytes = Vec::new();
        t.write_rounds(&mut bytes).unwrap();
        t.write_replicates(&mut bytes).unwrap();
        collabgov_study::output::write_units(&t.units, &mut bytes).unwrap();
        bytes
    };
    assert_eq!(tables(1), tables(3));
}

#[test]
fn rebalance_sets_powers_and_national_coordination_is_vertical() {
    let s = scenario(&multilevel(
        "autonomy = 0.5",
        r#"[[interventions]]
type = "rebalance"
round = 5
control = 0.6
power = [0.9, 0.5, 0.1]
[[interventions]]
type = "national_coordination"
round = 3
sectors = ["water"]
trust = 0.7
"#,
    ));
    let r = run(&s, &RunOptions::default());
    let levels = s.forum.levels.as_ref().unwrap();
    let state = &r.replicates[0].state;
    for (i, a) in s.forum.actors.iter().enumerate() {
        if a.kind.is_agency() {
            assert_eq!(state.power[i], [0.9, 0.5, 0.1][levels.level_of[i] as usize]);
        }
    }
    let coordinated = match s
        .interventions
        .iter()
        .find(|iv| matches!(iv, collabgov_core::Intervention::NationalCoordination(_)))
    {
        Some(collabgov_core::Intervention::NationalCoordination(n)) => n.added.clone(),
        _ => unreachable!(),
    };
    // The water ministry with the 7 regency water offices (provinces already have one).
    assert_eq!(coordinated.len(), 7);
    for (a, b) in coordinated {
        let slot = s.forum.graph.slot_of(a as usize, b as usize).unwrap();
        assert_eq!(levels.relation[slot], VERTICAL);
        assert_eq!(
            levels.kind_between(levels.unit_of[a as usize], levels.unit_of[b as usize]),
            DISTANT
        );
    }
    let schedule = Schedule::new(&s);
    assert_eq!((schedule.at(4).control, schedule.at(5).control), (0.0, 0.6));
}

#[test]
fn bad_levels_are_refused_with_file_line_and_key() {
    let err = |text: &str| Scenario::parse(text, "bad.toml", &no_files).unwrap_err();
    let e = err(&multilevel("autonomy = 1.5", ""));
    assert_eq!(e.key, "levels.autonomy");
    assert!(e.line.is_some() && e.message.contains("[0, 1]"), "{e}");
    let e = err(&multilevel("power = [0.5, 0.5]", ""));
    assert_eq!(e.key, "levels.power");
    let no_levels = multilevel("", "").replace("[levels]\n", "");
    assert!(err(&no_levels).message.contains("[levels]"));
    let e = err("name = \"x\"\n[[sectors]]\nname = \"a\"\nagencies = [1, 2, 3]\n");
    assert_eq!(e.key, "sectors[0].agencies");
    let e = err(
        "name = \"x\"\n[[sectors]]\nname = \"a\"\nagencies = 2\n[[interventions]]\ntype = \"rebalance\"\nround = 2\ncontrol = 0.5\n",
    );
    assert!(e.message.contains("[levels]"), "{e}");
    let e = err(&multilevel("", "").replace("provinces = 3", "provinces = 0"));
    assert_eq!(e.key, "network.regencies");
    let e = err(&multilevel("", "").replace(
        "regencies = 7",
        "regencies = 7\nregencies_per_province = [1, 2]",
    ));
    assert_eq!(e.key, "network.regencies_per_province");
}

/// A bundled lesson's run at `replicates` replicates.
fn lesson(name: &str, replicates: u32) -> RunTables {
    let text = collabgov_study::bundled::BUNDLED
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap()
        .1;
    let mut s = scenario(text);
    s.replicates = replicates;
    RunTables::finals_of(&s, &run(&s, &RunOptions::default()))
}

#[test]
fn the_levels_lessons_hold() {
    let devolved = lesson("levels-devolved", 40);
    let recentralised = lesson("levels-recentralised", 40);
    let rebalanced = lesson("levels-rebalanced", 40);
    let between = |t: &RunTables| t.final_interval(Metric::UnderstandingBetweenUnits);
    let (d, b) = (between(&devolved), between(&rebalanced));
    assert!(
        d.high < b.low,
        "understanding between regencies: devolved {d:?}, rebalanced {b:?}"
    );
    let (dc, bc) = (
        devolved.consensus_interval(),
        rebalanced.consensus_interval(),
    );
    assert!(dc.1 < bc.0, "consensus: devolved {dc:?}, rebalanced {bc:?}");
    // Regions agree inside while they drift apart.
    assert!(devolved.final_interval(Metric::UnitsInConsensus).low > 0.8);
    // Recentralised: vertical trust falls below its start (0.5), and below the rebalanced.
    let v = recentralised.final_interval(Metric::TrustVertical);
    let w = rebalanced.final_interval(Metric::TrustVertical);
    assert!(
        v.high < 0.5 && v.high < w.low,
        "vertical trust: recentralised {v:?}, rebalanced {w:?}"
    );
}

/// A multilevel forum with services under which nothing but autonomy refuses: no silo,
/// clear law, no confidentiality, ample throughput, an assistance logit that always grants;
/// one kind of request (`agencies` agencies, contributors drawn at `levels`).
fn services_forum(levels: &str, agencies: u32, kind_levels: &str, extra: &str) -> String {
    multilevel(
        levels,
        &format!(
            r#"[parameters]
silo = 0.0
legal_clarity = 1.0
[services]
pattern = "one_door"
throughput = 1000.0
assistance = {{ a0 = 30.0 }}
kinds = [{{ name = "permit", share = 1.0, agencies = {agencies}, work = 1.0, levels = {kind_levels} }}]
{extra}"#
        ),
    )
}

#[test]
fn requests_are_filed_in_regencies_and_contributors_drawn_up_the_chain() {
    let s = scenario(&services_forum("", 2, "[1]", ""));
    let r = run(&s, &RunOptions::default());
    let levels = s.forum.levels.as_ref().unwrap();
    let finals = r.replicates[0].agencies.as_ref().unwrap();
    // Informal cooperation (granted assistance) only between a regency's lead and its
    // province's office: never a national agency.
    let mut by_level = [0u32; 3];
    for (k, &a) in finals.actors.iter().enumerate() {
        by_level[levels.level_of[a as usize] as usize] += finals.activities[k][0];
    }
    assert_eq!(by_level[0], 0, "national agencies took part: {by_level:?}");
    assert!(
        by_level[1] > 0 && by_level[1] == by_level[2],
        "{by_level:?}"
    );
}

#[test]
fn autonomy_alone_refuses_assistance_between_governments() {
    for (control, refused) in [(0.0, true), (1.0, false)] {
        let s = scenario(&services_forum(
            &format!("autonomy = 1.0\ncontrol = {control}"),
            2,
            "[1]",
            "",
        ));
        let r = run(&s, &RunOptions::default());
        let sum =
            |m: Metric| -> f64 { series(&r, m).iter().flatten().filter(|v| !v.is_nan()).sum() };
        let all = sum(Metric::AssistanceRefused);
        assert_eq!(sum(Metric::RefusedAutonomy), all);
        for m in [
            Metric::RefusedLaw,
            Metric::RefusedConfidential,
            Metric::RefusedOverload,
            Metric::RefusedSilo,
            Metric::RefusedDistrust,
        ] {
            assert_eq!(sum(m), 0.0, "{}", m.name());
        }
        // Every request asks the province's office: all refused without control, none
        // with full control (a vertical request escapes autonomy).
        assert_eq!(all > 0.0, refused);
        assert_eq!(sum(Metric::AssistanceGranted) > 0.0, !refused);
    }
}

#[test]
fn a_trip_costs_by_the_level_of_the_agency_visited() {
    // One door: one trip, to the lead in the regency; nothing refused, one collection; two
    // contributions of work 1.
    let s = scenario(&services_forum(
        "",
        2,
        "[1]",
        "trip_cost_by_level = [5.0, 2.0, 3.0]",
    ));
    let r = run(&s, &RunOptions::default());
    let costs: Vec<f64> = series(&r, Metric::Cost)
        .into_iter()
        .flatten()
        .filter(|v| !v.is_nan())
        .collect();
    assert!(!costs.is_empty());
    assert!(costs.iter().all(|&c| (c - 5.0).abs() < 1e-9), "{costs:?}");
}

#[test]
fn a_union_or_task_force_of_units_lifts_silo_and_autonomy_among_them() {
    let all: Vec<String> = (0..11).map(|u| format!("\"{u}\"")).collect();
    let s = scenario(&multilevel(
        "autonomy = 1.0",
        &format!(
            "[parameters]\nsilo = 1.0\n[[interventions]]\ntype = \"union\"\nround = 1\nunits = [{}]\n",
            all.join(", ")
        ),
    ));
    let r = run(&s, &RunOptions::default());
    let blocked: f64 = series(&r, Metric::Blocked).iter().flatten().sum();
    assert_eq!(blocked, 0.0, "nothing blocked among the united governments");
    assert!(
        series(&r, Metric::TrustVertical)
            .iter()
            .any(|rep| rep[0] != rep[rep.len() - 1])
    );
    // A task force of one province's government and its regencies (by name): its agencies
    // are related among themselves during its rounds, and nothing among them is refused.
    let s = scenario(&multilevel(
        "autonomy = 1.0",
        "[[interventions]]\ntype = \"task_force\"\nfrom = 5\nuntil = 20\nunits = [\"province-1\", \"regency-1\", \"regency-2\", \"regency-3\"]\ntrust = 0.6\n",
    ));
    let levels = s.forum.levels.as_ref().unwrap();
    let members: Vec<usize> = (0..s.forum.n_actors())
        .filter(|&i| {
            s.forum.actors[i].kind.is_agency() && [1, 4, 5, 6].contains(&levels.unit_of[i])
        })
        .collect();
    for (k, &a) in members.iter().enumerate() {
        for &b in &members[k + 1..] {
            assert!(
                s.forum.graph.slot_of(a, b).is_some(),
                "{a} and {b} unrelated"
            );
        }
    }
    let e = Scenario::parse(
        &multilevel(
            "",
            "[[interventions]]\ntype = \"union\"\nround = 2\nunits = [\"atlantis\"]\n",
        ),
        "bad.toml",
        &no_files,
    )
    .unwrap_err();
    assert_eq!(e.key, "interventions[0].units");
    assert!(e.message.contains("\"atlantis\""), "{e}");
}

#[test]
fn run_json_gives_the_intervals_of_summary_csv_and_names_the_models() {
    let s = scenario(&multilevel("autonomy = 0.5", ""));
    let result = run(&s, &RunOptions::default());
    let manifest = collabgov_study::manifest::RunManifest::new(&s, &result, &[]);
    assert_eq!(manifest.model, "CG-1 + CG-3");
    let tables = RunTables::finals_of(&s, &result);
    for m in [
        Metric::Consensus,
        Metric::TrustVertical,
        Metric::UnitsInConsensus,
    ] {
        let want = tables.final_interval(m);
        let got = &manifest.finals[m.name()];
        assert_eq!(
            got.ci_low,
            Some(want.low).filter(|v| v.is_finite()),
            "{}",
            m.name()
        );
        assert_eq!(
            got.ci_high,
            Some(want.high).filter(|v| v.is_finite()),
            "{}",
            m.name()
        );
    }
}
