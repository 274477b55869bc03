//! The checks of MODEL-CG2.md on the services extension: work conservation every round,
//! Little's law, the limits, each refusal reason provoked alone, thread-count determinism,
//! and the activities.

#![allow(clippy::unwrap_used)]

use collabgov_core::Scenario;
use collabgov_core::scenario::no_files;
use collabgov_sim::model::services::{ServicePlan, ServiceState};
use collabgov_sim::model::{Schedule, Scratch, State, play_round};
use collabgov_sim::{Metric, RunOptions, RunResult, replicate_rng, run};
use collabgov_study::output::RunTables;

fn scenario(toml: &str) -> Scenario {
    Scenario::parse(toml, "test.toml", &no_files).expect("valid scenario")
}

/// A forum of `sectors` sectors with `agencies` agencies and two NGOs each, a complete
/// network, and `extra` appended (parameters, `[services]` keys...).
fn forum(sectors: usize, agencies: usize, extra: &str) -> String {
    let mut s = String::from("name = \"services-test\"\nrounds = 60\nreplicates = 20\nseed = 5\n");
    for k in 0..sectors {
        s.push_str(&format!(
            "[[sectors]]\nname = \"s{k}\"\nagencies = {agencies}\nngo = 2\n"
        ));
    }
    s.push_str(extra);
    s
}

/// Sum of a metric over every round and replicate.
fn total(result: &RunResult, metric: Metric) -> f64 {
    result
        .replicates
        .iter()
        .flat_map(|r| r.records.iter().map(move |rec| rec[metric.index()]))
        .filter(|v| !v.is_nan())
        .sum()
}

/// Every value a metric took over completed requests (rounds where any completed).
fn values(result: &RunResult, metric: Metric) -> Vec<f64> {
    result
        .replicates
        .iter()
        .flat_map(|r| r.records.iter().map(move |rec| rec[metric.index()]))
        .filter(|v| !v.is_nan())
        .collect()
}

/// Services parameters under which nothing is refused for law, confidentiality, overload
/// or distrust: clear law, no confidential kind, throughput far above demand, an
/// assistance logit that always grants.
const GENEROUS: &str = r#"
[parameters]
legal_clarity = 1.0
[services]
throughput = 1000.0
assistance = { a0 = 30.0 }
kinds = [
  { name = "a", share = 0.5, agencies = 2, work = 1.0 },
  { name = "b", share = 0.5, agencies = 3, work = 2.0 },
]
"#;

#[test]
fn work_is_conserved_every_round_under_every_pattern() {
    for pattern in ["technical_functional", "one_roof", "one_door", "electronic"] {
        // Tight capacity, silos and unclear law, so queues, refusals, carried contributions,
        // capacity assistance (moves, loans, training) all happen.
        let s = scenario(&forum(
            3,
            4,
            &format!(
                "[network]\ntype = \"sbm\"\np_within = 0.8\np_across = 0.4\n[parameters]\nsilo = 0.5\nlegal_clarity = 0.7\n[services]\npattern = \"{pattern}\"\nrequests = 0.9\nthroughput = 2.0\noverload = 1.0\nloan_rounds = 3\n"
            ),
        ));
        let schedule = Schedule::new(&s);
        let plan = ServicePlan::new(&s.forum, s.services.as_ref().unwrap());
        let mut rng = replicate_rng(s.seed, 0);
        let mut state = State::draw(&s.forum, s.issues, &mut rng, &mut replicate_rng(99, 0));
        let mut scratch = Scratch::new(&s.forum);
        scratch.productive_pairs = Some(Vec::new());
        let mut services = ServiceState::new(&plan, s.seed, 0);
        let mut moved = 0.0;
        for t in 1..=s.rounds {
            play_round(&s.forum, &schedule, t, &mut state, &mut scratch, &mut rng);
            let productive = scratch.productive_pairs.clone().unwrap();
            services.step(&plan, &s.forum, schedule.at(t), t, &mut state, &productive);
            let b = services.balance();
            let accounted = b.done + b.queued + b.in_transit + b.waiting;
            assert!(
                (b.filed - accounted).abs() <= 1e-9 * b.filed.max(1.0),
                "{pattern}, round {t}: filed {} but done + queued + in transit + waiting = {accounted}",
                b.filed
            );
            moved += b.in_transit + b.waiting;
            assert!(b.filed > 0.0);
        }
        if pattern != "one_roof" {
            assert!(
                moved > 0.0,
                "{pattern}: nothing was ever carried or waiting"
            );
        }
    }
}

#[test]
fn littles_law_holds_on_a_stable_scenario() {
    // One roof, a constant pattern, capacity comfortably above demand: the queue is stable.
    let mut s = scenario(&forum(
        2,
        10,
        "[services]\npattern = \"one_roof\"\nrequests = 0.6\nthroughput = 2.5\n",
    ));
    s.rounds = 400;
    s.replicates = 20;
    let r = run(&s, &RunOptions::default());
    let warm = 100;
    let (mut backlog, mut completed, mut time_sum, mut rounds) = (0.0, 0.0, 0.0, 0.0);
    for rep in &r.replicates {
        for rec in &rep.records[warm..] {
            backlog += rec[Metric::Backlog.index()];
            let c = rec[Metric::Completed.index()];
            completed += c;
            if c > 0.0 {
                time_sum += c * rec[Metric::ServiceTime.index()];
            }
            rounds += 1.0;
        }
    }
    let rate = 0.6 * 20.0;
    let mean_backlog = backlog / rounds;
    let mean_time = time_sum / completed;
    let predicted = rate * (mean_time - 1.0);
    assert!(
        (mean_backlog - predicted).abs() <= 0.05 * predicted,
        "mean backlog {mean_backlog}, filing rate x (mean service time - 1) = {predicted}"
    );
    // Equivalently, backlog + completed = rate x service time.
    let lhs = (backlog + completed) / rounds;
    assert!((lhs - rate * mean_time).abs() <= 0.05 * rate * mean_time);
}

#[test]
fn one_roof_with_ample_capacity_serves_in_one_round_and_one_trip() {
    let s = scenario(&forum(
        3,
        3,
        "[services]\npattern = \"one_roof\"\nthroughput = 1000.0\n",
    ));
    let r = run(&s, &RunOptions::default());
    let times = values(&r, Metric::ServiceTime);
    assert!(!times.is_empty());
    assert!(times.iter().all(|&t| t == 1.0), "service times {times:?}");
    assert!(values(&r, Metric::Trips).iter().all(|&t| t == 1.0));
    assert_eq!(total(&r, Metric::Backlog), 0.0);
}

#[test]
fn electronic_with_nothing_refused_has_no_trips_and_no_duplication() {
    let s = scenario(&forum(
        3,
        3,
        &GENEROUS.replace("[services]", "[services]\npattern = \"electronic\""),
    ));
    let r = run(&s, &RunOptions::default());
    assert_eq!(total(&r, Metric::AssistanceRefused), 0.0);
    assert!(total(&r, Metric::AssistanceGranted) > 0.0);
    let trips = values(&r, Metric::Trips);
    assert!(!trips.is_empty());
    assert!(trips.iter().all(|&t| t == 0.0));
    assert!(values(&r, Metric::Duplication).iter().all(|&d| d == 0.0));
}

#[test]
fn full_silo_under_one_door_refuses_every_cross_sector_contribution_for_silo() {
    // One agency per sector: every contribution asked is across sectors.
    let toml = forum(
        4,
        1,
        &GENEROUS
            .replace("[services]", "[services]\npattern = \"one_door\"")
            .replace("legal_clarity = 1.0", "legal_clarity = 1.0\nsilo = 1.0"),
    );
    let r = run(&scenario(&toml), &RunOptions::default());
    let refused = total(&r, Metric::AssistanceRefused);
    assert!(refused > 0.0);
    assert_eq!(total(&r, Metric::AssistanceGranted), 0.0);
    assert_eq!(total(&r, Metric::RefusedSilo), refused);
}

#[test]
fn each_refusal_reason_can_be_provoked_alone() {
    let one_door = GENEROUS.replace("[services]", "[services]\npattern = \"one_door\"");
    let cases = [
        (
            Metric::RefusedLaw,
            one_door
                .replace("legal_clarity = 1.0", "legal_clarity = 0.0")
                .replace("[services]", "[services]\nagreement_after = 0"),
        ),
        (
            Metric::RefusedConfidential,
            one_door
                .replace("work = 1.0 }", "work = 1.0, confidential = 1.0 }")
                .replace("work = 2.0 }", "work = 2.0, confidential = 1.0 }"),
        ),
        (
            Metric::RefusedOverload,
            one_door.replace("throughput = 1000.0", "throughput = 0.3\noverload = 0.0"),
        ),
        (
            Metric::RefusedSilo,
            one_door.replace("legal_clarity = 1.0", "legal_clarity = 1.0\nsilo = 1.0"),
        ),
        (
            Metric::RefusedDistrust,
            one_door.replace("a0 = 30.0", "a0 = -30.0"),
        ),
    ];
    for (metric, extra) in cases {
        let r = run(&scenario(&forum(3, 3, &extra)), &RunOptions::default());
        let refused = total(&r, Metric::AssistanceRefused);
        assert!(refused > 0.0, "{}: nothing refused", metric.name());
        assert_eq!(
            total(&r, metric),
            refused,
            "{}: other reasons refused too",
            metric.name()
        );
    }
}

#[test]
fn clear_law_never_refuses_for_law() {
    for pattern in [
        "one_door",
        "centralised",
        "electronic",
        "technical_functional",
    ] {
        let toml = forum(
            3,
            3,
            &format!(
                "[parameters]\nlegal_clarity = 1.0\nsilo = 0.5\n[services]\npattern = \"{pattern}\"\ncoordinator = \"s0-agency-1\"\nthroughput = 1.5\n"
            ),
        );
        let r = run(&scenario(&toml), &RunOptions::default());
        assert!(total(&r, Metric::AssistanceRefused) > 0.0, "{pattern}");
        assert_eq!(total(&r, Metric::RefusedLaw), 0.0, "{pattern}");
    }
}

fn tables_text(s: &Scenario, threads: usize) -> Vec<String> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let tables = pool.install(|| {
        RunTables::from_run(
            s,
            &run(
                s,
                &RunOptions {
                    all_actors: true,
                    ..RunOptions::default()
                },
            ),
        )
    });
    let text = |f: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| {
        let mut v = Vec::new();
        f(&mut v).unwrap();
        String::from_utf8(v).unwrap()
    };
    vec![
        text(&|w| tables.write_rounds(w)),
        text(&|w| tables.write_replicates(w)),
        text(&|w| tables.write_actors(w)),
        text(&|w| tables.write_activities(w)),
    ]
}

#[test]
fn services_are_identical_on_any_number_of_threads() {
    let s = scenario(&forum(
        3,
        4,
        "[parameters]\nsilo = 0.4\nlegal_clarity = 0.8\n[services]\npattern = \"one_door\"\nthroughput = 1.5\n",
    ));
    let one = tables_text(&s, 1);
    assert!(one[3].contains("joint_planning"));
    assert!(one[2].contains("technical_assistance_given"));
    assert_eq!(one, tables_text(&s, 4));
}

#[test]
fn mutual_aid_signs_every_pair_once_and_agreements_count_as_activity_2() {
    let toml = forum(
        3,
        3,
        "[services]\nagreement_after = 0\n[[interventions]]\ntype = \"mutual_aid\"\nround = 10\nsectors = [\"s0\", \"s1\"]\n",
    );
    let r = run(&scenario(&toml), &RunOptions::default());
    for rep in &r.replicates {
        // Six agencies sign 15 agreements at round 10, and never again.
        assert_eq!(rep.records[9][Metric::Agreements.index()], 0.0);
        assert_eq!(rep.records[10][Metric::Agreements.index()], 15.0);
        assert_eq!(rep.activities[10][1], 15);
        assert_eq!(rep.activities[11][1], 0);
        assert_eq!(rep.records[60][Metric::Agreements.index()], 15.0);
    }
}

#[test]
fn union_lifts_the_silo_but_keeps_the_sectors_in_the_metrics() {
    let base = forum(2, 3, "[parameters]\nsilo = 1.0\n");
    let with_union = format!(
        "{base}[[interventions]]\ntype = \"union\"\nround = 1\nsectors = [\"s0\", \"s1\"]\n"
    );
    let with_merge = format!(
        "{base}[[interventions]]\ntype = \"merge\"\nround = 1\nsectors = [\"s0\", \"s1\"]\n"
    );
    let siloed = run(&scenario(&base), &RunOptions::default());
    let united = run(&scenario(&with_union), &RunOptions::default());
    let merged = run(&scenario(&with_merge), &RunOptions::default());
    assert!(total(&siloed, Metric::Blocked) > 0.0);
    assert_eq!(total(&united, Metric::Blocked), 0.0);
    // A union keeps cross-sector trust reported; a merge has no cross-sector relation left.
    let last = |r: &RunResult, m: Metric| r.replicates[0].records[60][m.index()];
    assert!(!last(&united, Metric::TrustAcross).is_nan());
    assert!(last(&merged, Metric::TrustAcross).is_nan());
}

#[test]
fn bad_services_tables_name_the_key_and_line() {
    let bad = forum(
        2,
        2,
        "[services]\nkinds = [\n  { name = \"a\", share = 0.5, agencies = 2, work = 1.0 },\n]\n",
    );
    let e = Scenario::parse(&bad, "bad.toml", &no_files).unwrap_err();
    assert_eq!(e.key, "services.kinds");
    assert!(e.message.contains("sum to 1"), "{}", e.message);
    assert!(e.line.is_some());
    let e = Scenario::parse(
        &forum(
            2,
            2,
            "[[interventions]]\ntype = \"service_pattern\"\nround = 3\npattern = \"one_door\"\n",
        ),
        "bad.toml",
        &no_files,
    )
    .unwrap_err();
    assert!(e.message.contains("[services]"), "{}", e.message);
    let e = Scenario::parse(
        &forum(2, 2, "[services]\ncoordinator = \"s0-ngo-1\"\n"),
        "bad.toml",
        &no_files,
    )
    .unwrap_err();
    assert_eq!(e.key, "services.coordinator");
    assert!(e.message.contains("non-state"), "{}", e.message);
}
