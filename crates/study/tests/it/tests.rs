//! Integration tests of the engine: CG-1 rules against hand-computed values, invariants over
//! random scenarios, thread-count determinism, and the Deffuant reduction.

#![allow(clippy::unwrap_used)]

use collabgov_core::Scenario;
use collabgov_core::scenario::no_files;
use collabgov_sim::model::{RoundCounts, Schedule, Scratch, State, Tally, play_round, record};
use collabgov_sim::{Metric, RunOptions, replicate_rng, run};
use collabgov_study::output::RunTables;

fn scenario(toml: &str) -> Scenario {
    Scenario::parse(toml, "test.toml", &no_files).expect("valid scenario")
}

/// Plays `rounds` rounds of replicate 0 and returns the state and the last counts.
fn play(s: &Scenario, rounds: u32) -> (State, RoundCounts, u64) {
    let schedule = Schedule::new(s);
    let mut rng = replicate_rng(s.seed, 0);
    let mut state = State::draw(&s.forum, s.issues, &mut rng, &mut replicate_rng(99, 0));
    let mut scratch = Scratch::new(&s.forum);
    let mut counts = RoundCounts::default();
    let mut wins = 0;
    for t in 1..=rounds {
        counts = play_round(&s.forum, &schedule, t, &mut state, &mut scratch, &mut rng);
        wins += counts.win as u64;
    }
    (state, counts, wins)
}

mod rules {
    use super::*;

    const PAIR: &str = r#"
name = "pair"
issues = 1
[[sectors]]
name = "a"
agencies = 2
[initial]
view = 0.5
[initial.trust]
within = 0.5
across = 0.5
"#;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-12, "{a} != {b}");
    }

    #[test]
    fn two_agencies_productive_round_by_hand() {
        let s = scenario(
            "name = \"p\"\nissues = 1\n[[sectors]]\nname = \"a\"\n\
             [[actors]]\nid = \"x\"\nkind = \"agency\"\nsector = \"a\"\nview = [0.2]\n\
             [[actors]]\nid = \"y\"\nkind = \"agency\"\nsector = \"a\"\nview = [0.8]\n\
             [parameters]\ngood_faith.b0 = 100\nconfidence = 1\nconvergence = 0.5\nwin_trust_gain = 0\nwin_commitment_gain = 0\n",
        );
        let (state, counts, _) = play(&s, 1);
        // Each actor starts one dialogue: two productive dialogues on the one relation.
        assert_eq!((counts.held, counts.productive, counts.blocked), (2, 2, 0));
        close(state.trust[0], 0.595); // 0.5 -> 0.55 -> 0.595
        close(state.trust[1], 0.595);
        // Equal power, L = 0.5: w = 1; mu*q*w = 0.5, so both meet at 0.5 in the first dialogue.
        close(state.views[0], 0.5);
        close(state.views[1], 0.5);
        // c = 0.5 + 0.1 * (1 * 0.595 - 0.5)
        close(state.commitment[0], 0.5095);
    }

    #[test]
    fn failed_dialogue_loses_a_share_of_trust() {
        let s = scenario(&format!("{PAIR}\n[parameters]\ngood_faith.b0 = -100\n"));
        let (state, counts, _) = play(&s, 1);
        assert_eq!((counts.held, counts.productive), (2, 0));
        close(state.trust[0], 0.5 * 0.8 * 0.8);
        close(state.commitment[0], 0.5 + 0.1 * (0.32 - 0.5));
    }

    #[test]
    fn weaker_actor_moves_more_without_leadership() {
        let s = scenario(
            "name = \"p\"\nissues = 1\n[[sectors]]\nname = \"a\"\n\
             [[actors]]\nid = \"weak\"\nkind = \"agency\"\nsector = \"a\"\nview = [0.0]\npower = 0.2\n\
             [[actors]]\nid = \"strong\"\nkind = \"agency\"\nsector = \"a\"\nview = [1.0]\npower = 0.8\n\
             [parameters]\ngood_faith.b0 = 100\nleadership = 0\nconfidence = 1\nconvergence = 0.25\n",
        );
        let (state, _, _) = play(&s, 1);
        // w_weak = 2*0.8/1 = 1.6, w_strong = 0.4: moves 0.4*d and 0.1*d, twice.
        // (0, 1) -> (0.4, 0.9) -> (0.6, 0.85)
        close(state.views[0], 0.6);
        close(state.views[1], 0.85);
    }

    #[test]
    fn views_outside_confidence_do_not_move() {
        let s = scenario(
            "name = \"p\"\nissues = 2\n[[sectors]]\nname = \"a\"\n\
             [[actors]]\nid = \"x\"\nkind = \"agency\"\nsector = \"a\"\nview = [0.1, 0.5]\n\
             [[actors]]\nid = \"y\"\nkind = \"agency\"\nsector = \"a\"\nview = [0.2, 0.9]\n\
             [parameters]\ngood_faith.b0 = 100\nconfidence = 0.2\nconfidence_trust = 0.3\n",
        );
        // max gap 0.4 > 0.2 + 0.3 * 0.5 = 0.35 in the first dialogue, and trust rises to 0.55,
        // giving 0.365 in the second: still no move.
        let (state, _, _) = play(&s, 1);
        assert_eq!(state.views, vec![0.1, 0.5, 0.2, 0.9]);
    }

    #[test]
    fn full_silo_blocks_every_cross_sector_dialogue() {
        let s = scenario(
            "name = \"p\"\n[[sectors]]\nname = \"a\"\nagencies = 1\n[[sectors]]\nname = \"b\"\nagencies = 1\n[parameters]\nsilo = 1\n",
        );
        let (state, counts, _) = play(&s, 3);
        assert_eq!((counts.held, counts.blocked), (0, 2));
        assert_eq!(state.trust, vec![0.5, 0.5]);
    }

    #[test]
    fn small_win_deepens_trust_once_per_relation() {
        let s = scenario(&format!(
            "{PAIR}\n[parameters]\ngood_faith.b0 = 100\ncommitment_rate = 0\n[initial.kind.agency]\ncommitment = 1\n"
        ));
        let (state, counts, wins) = play(&s, 1);
        // U = 1 (equal views), Cbar = 1, Kbar = 1: the win is certain.
        assert!(counts.win);
        assert_eq!(wins, 1);
        close(state.trust[0], 0.595 + 0.05 * (1.0 - 0.595));
        close(state.commitment[0], 1.0);
    }

    #[test]
    fn absent_actors_lose_commitment_and_agencies_fall_back_to_all_neighbours() {
        let s = scenario(
            "name = \"p\"\n[[sectors]]\nname = \"a\"\nagencies = 1\nngo = 1\n[parameters]\ninclusiveness = 0\nwin_commitment_gain = 0\n[initial.trust]\nwithin = 0.8\n",
        );
        let (state, counts, _) = play(&s, 1);
        assert_eq!((counts.participants, counts.held), (1, 0));
        close(state.commitment[0], 0.5 + 0.1 * (0.8 - 0.5)); // no neighbour takes part: all neighbours
        close(state.commitment[1], 0.5 - 0.1 * 0.5);
    }

    #[test]
    fn legal_clarity_caps_commitment() {
        let s = scenario(&format!(
            "{PAIR}\n[parameters]\nlegal_clarity = 0.5\ngood_faith.b0 = -100\n"
        ));
        let (state, _, _) = play(&s, 1);
        close(state.commitment[0], 0.5 + 0.1 * (0.5 * 0.32 - 0.5));
    }

    #[test]
    fn understanding_and_metrics_by_hand() {
        let s = scenario(
            "name = \"p\"\nissues = 1\n[[sectors]]\nname = \"a\"\n[[sectors]]\nname = \"b\"\n\
             [[actors]]\nid = \"x\"\nkind = \"agency\"\nsector = \"a\"\nview = [0.0]\n\
             [[actors]]\nid = \"y\"\nkind = \"agency\"\nsector = \"b\"\nview = [1.0]\n\
             [initial.trust]\nacross = 0.3\n",
        );
        let schedule = Schedule::new(&s);
        let mut rng = replicate_rng(1, 0);
        let state = State::draw(&s.forum, 1, &mut rng, &mut replicate_rng(99, 0));
        let mut groups = Vec::new();
        let r = record(
            &s.forum,
            &schedule,
            &state,
            Tally::default(),
            &mut Scratch::new(&s.forum),
            Some(&mut groups),
        );
        // delta = mean |x - 0.5| = 0.5, U = 0.
        close(r[Metric::Understanding.index()], 0.0);
        close(r[Metric::TrustAcross.index()], 0.3);
        assert!(r[Metric::TrustWithin.index()].is_nan());
        assert!(r[Metric::ProductiveShare.index()].is_nan());
        close(r[Metric::Consensus.index()], 0.0);
        // Groups: sector a, sector b, agencies (no non-state actor); trust, commitment,
        // then participation (empty at round 0).
        assert_eq!(
            schedule.groups().names(&s.forum.sectors),
            ["sector:a", "sector:b", "kind:agency"]
        );
        assert_eq!(groups.len(), 9);
        for trust in &groups[0..3] {
            close(*trust, 0.3);
        }
        close(groups[3], state.commitment[0]);
        close(groups[4], state.commitment[1]);
        close(groups[5], (state.commitment[0] + state.commitment[1]) / 2.0);
        assert!(groups[6..].iter().all(|p| p.is_nan()));
    }

    #[test]
    fn task_force_lifts_the_silo_and_merge_joins_sectors() {
        let base = "name = \"p\"\nrounds = 6\n[[sectors]]\nname = \"a\"\nagencies = 2\n[[sectors]]\nname = \"b\"\nagencies = 2\n[network]\ntype = \"sbm\"\np_within = 1\np_across = 1\n[parameters]\nsilo = 1\n";
        let tf = scenario(&format!(
            "{base}[[interventions]]\ntype = \"task_force\"\nfrom = 2\nuntil = 3\nsectors = [\"a\", \"b\"]\n"
        ));
        let mut tf = tf;
        tf.replicates = 1;
        let result = run(&tf, &RunOptions::default());
        let blocked: Vec<f64> = result.replicates[0]
            .records
            .iter()
            .map(|r| r[Metric::Blocked.index()])
            .collect();
        assert_eq!(blocked[2], 0.0);
        assert_eq!(blocked[3], 0.0);
        assert!(blocked[1] > 0.0 && blocked[4] > 0.0);
        let merged = scenario(&format!(
            "{base}[[interventions]]\ntype = \"merge\"\nround = 3\nsectors = [\"a\", \"b\"]\n"
        ));
        let mut merged = merged;
        merged.replicates = 1;
        let result = run(&merged, &RunOptions::default());
        let rec = &result.replicates[0].records;
        assert!(rec[2][Metric::Blocked.index()] > 0.0);
        assert_eq!(rec[3][Metric::Blocked.index()], 0.0);
        assert!(rec[3][Metric::TrustAcross.index()].is_nan());
    }

    #[test]
    fn coordinating_agency_joins_with_its_trust() {
        let s = scenario(
            "name = \"p\"\nrounds = 4\n[[sectors]]\nname = \"a\"\nagencies = 2\n[[interventions]]\ntype = \"coordinating_agency\"\nround = 3\ntrust = 0.9\n[parameters]\ngood_faith.b0 = -100\ntrust_loss = 0\n",
        );
        let mut s = s;
        s.replicates = 1;
        let result = run(&s, &RunOptions::default());
        let rec = &result.replicates[0].records;
        assert_eq!(rec[2][Metric::Participants.index()], 2.0);
        assert_eq!(rec[3][Metric::Participants.index()], 3.0);
        // Before: one relation at 0.5. After: plus two relations at 0.9 both ways.
        close(rec[2][Metric::Trust.index()], 0.5);
        close(rec[3][Metric::Trust.index()], (0.5 * 2.0 + 0.9 * 4.0) / 6.0);
    }
}

mod invariants {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
        #[test]
        fn every_value_stays_in_unit_interval(
            silo in 0.0..=1.0f64, iota in 0.0..=1.0f64, lead in 0.0..=1.0f64, rules in 0.0..=1.0f64,
            ell in 0.0..=1.0f64, b0 in -5.0..5.0f64, mu in 0.0..=0.5f64, alpha in 0.0..=1.0f64,
            gamma in 0.0..=1.0f64, p_within in 0.0..=1.0f64, p_across in 0.0..=1.0f64,
            issues in 1u32..4, seed in 0u64..1000, tf in any::<bool>(), services in 0usize..6,
        ) {
            let mut toml = format!(
                "name = \"prop\"\nrounds = 15\nreplicates = 2\nseed = {seed}\nissues = {issues}\n\
                 [[sectors]]\nname = \"a\"\nagencies = 3\nngo = 2\n[[sectors]]\nname = \"b\"\nagencies = 2\ncommunity = 3\n\
                 [network]\ntype = \"sbm\"\np_within = {p_within}\np_across = {p_across}\n\
                 [parameters]\nsilo = {silo}\ninclusiveness = {iota}\nleadership = {lead}\nground_rules = {rules}\n\
                 legal_clarity = {ell}\ngood_faith.b0 = {b0}\nconvergence = {mu}\ntrust_gain = {alpha}\ntrust_loss = {gamma}\n\
                 [initial]\npower = \"beta(2, 3)\"\ncommitment = \"uniform(0, 1)\"\n[initial.trust]\nacross = \"normal(0.3, 0.4)\"\n"
            );
            if tf {
                toml.push_str("[[interventions]]\ntype = \"task_force\"\nfrom = 3\nuntil = 8\nsectors = [\"a\", \"b\"]\n\
                               [[interventions]]\ntype = \"coordinating_agency\"\nround = 5\ninclude_non_state = true\n");
            }
            // Services on in five of six cases, under each pattern, with tight capacity.
            let patterns = ["technical_functional", "one_roof", "one_door", "centralised", "electronic"];
            if let Some(pattern) = patterns.get(services) {
                toml.push_str(&format!(
                    "[services]\npattern = \"{pattern}\"\ncoordinator = \"a-agency-1\"\nthroughput = 1.5\noverload = 1.0\nloan_rounds = 2\n"
                ));
            }
            let s = scenario(&toml);
            let result = run(&s, &RunOptions::default());
            for rep in &result.replicates {
                for rec in &rep.records {
                    for m in Metric::recorded(collabgov_sim::Families { services: services < patterns.len(), levels: false }) {
                        let v = rec[m.index()];
                        let may_be_empty = matches!(
                            m,
                            Metric::TrustWithin | Metric::TrustAcross | Metric::ProductiveShare | Metric::Trust
                                | Metric::ServiceTime | Metric::Trips | Metric::Duplication | Metric::Cost
                        );
                        prop_assert!(!v.is_nan() || may_be_empty, "{} is NaN", m.name());
                        if m.is_share() && !v.is_nan() {
                            prop_assert!((0.0..=1.0).contains(&v), "{} = {}", m.name(), v);
                        }
                        prop_assert!(v.is_nan() || v >= 0.0);
                    }
                }
                let st = &rep.state;
                for v in st.trust.iter().chain(&st.views).chain(&st.commitment).chain(&st.power).chain(&st.capacity) {
                    prop_assert!((0.0..=1.0).contains(v));
                }
            }
        }
    }
}

mod determinism {
    use super::*;

    fn tables_bytes(s: &Scenario, threads: usize) -> Vec<u8> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        let result = pool.install(|| run(s, &RunOptions::default()));
        let tables = RunTables::from_run(s, &result);
        let mut out = Vec::new();
        tables.write_rounds(&mut out).expect("write");
        tables.write_replicates(&mut out).expect("write");
        tables.write_actors(&mut out).expect("write");
        tables.write_network(&mut out).expect("write");
        out
    }

    #[test]
    fn output_is_byte_identical_on_1_2_and_4_threads() {
        let s = scenario(
            "name = \"det\"\nrounds = 30\nreplicates = 24\nseed = 99\n[[sectors]]\nname = \"a\"\nagencies = 4\nngo = 4\n\
             [[sectors]]\nname = \"b\"\nagencies = 3\ncommunity = 5\n[network]\ntype = \"sbm\"\np_within = 0.6\np_across = 0.2\n\
             [parameters]\nsilo = 0.4\ninclusiveness = 0.7\n[initial]\npower = \"beta(2, 2)\"\n",
        );
        let one = tables_bytes(&s, 1);
        assert_eq!(one, tables_bytes(&s, 2));
        assert_eq!(one, tables_bytes(&s, 4));
        assert!(one.len() > 1000);
    }

    #[test]
    fn large_forum_output_is_byte_identical_on_1_2_and_4_threads() {
        // Above the size where dialogues are drawn and played by two tasks at once.
        for replicates in [1, 3] {
            let toml = collabgov_sim::bench::sbm_toml(30_000, 10.0, 4, replicates);
            let s = scenario(&toml);
            assert!(s.forum.graph.n_slots() > collabgov_sim::model::LARGE_FORUM_SLOTS);
            let one = tables_bytes(&s, 1);
            assert_eq!(one, tables_bytes(&s, 2));
            assert_eq!(one, tables_bytes(&s, 4));
        }
    }

    #[test]
    fn different_seeds_differ() {
        let a = scenario(
            "name = \"d\"\nrounds = 10\nreplicates = 3\nseed = 1\n[[sectors]]\nname = \"a\"\nagencies = 3\nngo = 3\n",
        );
        let b = scenario(
            "name = \"d\"\nrounds = 10\nreplicates = 3\nseed = 2\n[[sectors]]\nname = \"a\"\nagencies = 3\nngo = 3\n",
        );
        assert_ne!(tables_bytes(&a, 1), tables_bytes(&b, 1));
    }

    #[test]
    fn tables_read_back_identically() {
        let s = scenario(
            "name = \"rt\"\nrounds = 8\nreplicates = 5\n[[sectors]]\nname = \"a\"\nagencies = 2\nngo = 2\n[[sectors]]\nname = \"b\"\nagencies = 2\n[parameters]\nsilo = 0.5\n",
        );
        let tables = RunTables::from_run(&s, &run(&s, &RunOptions::default()));
        let text = |f: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| {
            let mut v = Vec::new();
            f(&mut v).expect("write");
            String::from_utf8(v).expect("utf8")
        };
        let back = RunTables::read(
            &text(&|w| tables.write_rounds(w)),
            &text(&|w| tables.write_replicates(w)),
            &text(&|w| tables.write_actors(w)),
            &text(&|w| tables.write_network(w)),
            &text(&|w| tables.write_activities(w)),
        )
        .expect("read");
        // NaN != NaN, so compare through the written form.
        assert_eq!(
            text(&|w| back.write_rounds(w)),
            text(&|w| tables.write_rounds(w))
        );
        assert_eq!(
            text(&|w| back.write_replicates(w)),
            text(&|w| tables.write_replicates(w))
        );
        assert_eq!(back.actors, tables.actors);
        assert_eq!(back.network, tables.network);
    }
}

mod deffuant {
    use super::*;

    /// Major clusters: groups of final views separated by gaps above 0.02, holding at least
    /// 5 % of the actors (Deffuant et al. count the major clusters and leave out outliers).
    fn major_clusters(views: &mut [f64]) -> usize {
        views.sort_by(f64::total_cmp);
        let n = views.len();
        let mut clusters = Vec::new();
        let mut size = 1;
        for w in views.windows(2) {
            if w[1] - w[0] > 0.02 {
                clusters.push(size);
                size = 0;
            }
            size += 1;
        }
        clusters.push(size);
        clusters.into_iter().filter(|&c| c * 20 >= n).count()
    }

    fn mean_clusters(eps: f64) -> f64 {
        let s = scenario(&format!(
            "name = \"deffuant\"\nrounds = 150\nreplicates = 12\nseed = 5\nissues = 1\n[[sectors]]\nname = \"all\"\nagencies = 200\n\
             [parameters]\ntrust_gain = 0\ntrust_loss = 0\nwin_trust_gain = 0\nconfidence = {eps}\nconfidence_trust = 0\nconvergence = 0.5\n\
             good_faith.b0 = 60\n[initial]\nview = \"uniform(0, 1)\"\npower = 0.5\nculture = 1\n"
        ));
        let result = run(
            &s,
            &RunOptions {
                all_actors: true,
                ..Default::default()
            },
        );
        let counts: Vec<usize> = result
            .replicates
            .iter()
            .map(|r| major_clusters(&mut r.state.views.clone()))
            .collect();
        counts.iter().sum::<usize>() as f64 / counts.len() as f64
    }

    #[test]
    fn cluster_count_follows_one_over_two_eps() {
        // Deffuant et al. (2000): the number of major clusters is about 1 / (2 eps)
        // (floor(1 / (2 eps)) in Lorenz's 2007 survey): 1 for eps = 0.5, 2 for 0.25,
        // 3 for 0.15, 5 for 0.1.
        for (eps, expected) in [(0.5, 1.0), (0.25, 2.0), (0.15, 3.0), (0.1, 5.0)] {
            let mean = mean_clusters(eps);
            eprintln!("deffuant: eps = {eps}: mean major clusters {mean}");
            assert!(
                (mean - expected).abs() <= 0.75,
                "eps = {eps}: {mean} clusters, expected about {expected}"
            );
        }
    }
}

mod sweep_fuzz {
    use collabgov_study::sweep::SweepPlan;
    use proptest::prelude::*;

    const SWEEP: &str = "name = \"s\"\nbase = \"base\"\ndesign = \"grid\"\nreplicates = 2\nrounds = 5\n\
        [[factors]]\nkey = \"parameters.silo\"\nfrom = 0.0\nto = 1.0\nsteps = 3\n\
        [[factors]]\nkey = \"initial.trust.across@1\"\nvalues = [0.1, 0.2]\n";
    const BASE: &str = "name = \"b\"\n[[sectors]]\nname = \"a\"\nagencies = 2\nngo = 2\n[initial.trust]\nacross = \"uniform(0.1, 0.5)\"\n";
    const TOKENS: [&str; 14] = [
        "=",
        "[[",
        "]]",
        "\"",
        "nan",
        "-1",
        "1e400",
        "@",
        "[9]",
        "lhs",
        "sobol",
        "samples = 0",
        "steps = 4294967295",
        "\n",
    ];

    fn check(text: &str) {
        let base = |_: &str| Ok((BASE.to_string(), "base.toml".to_string()));
        if let Err(e) = SweepPlan::parse(
            text,
            "fuzz.sweep.toml",
            &base,
            &collabgov_core::scenario::no_files,
        ) {
            assert!(!e.message.is_empty());
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]
        #[test]
        fn mutated_sweeps_never_panic(edits in prop::collection::vec((0usize..2, 0usize..10_000, 0usize..100), 1..6)) {
            let mut text: Vec<char> = SWEEP.chars().collect();
            for (kind, pos, pick) in edits {
                let at = pos % text.len().max(1);
                if kind == 0 {
                    let end = (at + pick % 10).min(text.len());
                    text.drain(at..end);
                } else {
                    text.splice(at..at, TOKENS[pick % TOKENS.len()].chars());
                }
            }
            check(&text.into_iter().collect::<String>());
        }
    }
}

mod edge_cases {
    use super::*;

    fn run_toml(toml: &str) -> collabgov_sim::RunResult {
        run(&scenario(toml), &RunOptions::default())
    }

    #[test]
    fn one_actor_runs_without_dialogue() {
        let r = run_toml(
            "name = \"one\"\nrounds = 5\nreplicates = 2\n[[sectors]]\nname = \"a\"\nagencies = 1\n[parameters]\nwin_commitment_gain = 0\n",
        );
        let last = r.replicates[0].records.last().unwrap();
        assert_eq!(last[Metric::Dialogues.index()], 0.0);
        assert_eq!(last[Metric::Understanding.index()], 1.0);
        assert!(last[Metric::Trust.index()].is_nan());
        // Commitment moves toward 0 (no neighbours): 0.5 * 0.9^5.
        assert!((last[Metric::Commitment.index()] - 0.5 * 0.9f64.powi(5)).abs() < 1e-12);
    }

    #[test]
    fn isolated_actors_skip_dialogue() {
        let r = run_toml(
            "name = \"iso\"\nrounds = 3\nreplicates = 1\n[[sectors]]\nname = \"a\"\nagencies = 4\n[network]\ntype = \"sbm\"\np_within = 0\n",
        );
        assert!(
            r.replicates[0]
                .records
                .iter()
                .all(|rec| rec[Metric::Dialogues.index()] == 0.0)
        );
    }

    #[test]
    fn only_excluded_non_state_actors_means_nobody_takes_part() {
        let r = run_toml(
            "name = \"ns\"\nrounds = 4\nreplicates = 1\n[[sectors]]\nname = \"a\"\nngo = 3\n[parameters]\ninclusiveness = 0\n",
        );
        let rec = &r.replicates[0].records;
        assert!(
            rec[1..]
                .iter()
                .all(|x| x[Metric::Participants.index()] == 0.0 && x[Metric::Wins.index()] == 0.0)
        );
        assert!((rec[4][Metric::Commitment.index()] - 0.5 * 0.9f64.powi(4)).abs() < 1e-12);
    }

    #[test]
    fn zero_rounds_record_the_initial_state_only() {
        let r = run_toml(
            "name = \"z\"\nrounds = 0\nreplicates = 3\n[[sectors]]\nname = \"a\"\nagencies = 2\n",
        );
        assert!(
            r.replicates
                .iter()
                .all(|x| x.records.len() == 1 && x.consensus_round.is_none())
        );
        assert_eq!(
            r.round_stats().len(),
            Metric::recorded(collabgov_sim::Families::FORUM).count()
        );
    }

    #[test]
    fn one_replicate_has_no_sd() {
        let r = run_toml(
            "name = \"o\"\nrounds = 2\nreplicates = 1\n[[sectors]]\nname = \"a\"\nagencies = 2\n",
        );
        let stats = r.round_stats();
        assert!(
            stats
                .iter()
                .all(|s| s.summary.n <= 1 && s.summary.sd.is_nan())
        );
    }
}

mod live_runs {
    use std::sync::Mutex;

    use collabgov_core::Scenario;
    use collabgov_core::scenario::no_files;
    use collabgov_sim::{CancelToken, Cancelled, RunOptions, run, run_cancellable, run_live};

    fn scenario() -> Scenario {
        let path = format!(
            "{}/../../scenarios/whole-of-government.toml",
            env!("CARGO_MANIFEST_DIR")
        );
        let mut s =
            Scenario::parse(&std::fs::read_to_string(path).unwrap(), "wog", &no_files).unwrap();
        s.replicates = 12;
        s.rounds = 40;
        s
    }

    #[test]
    fn a_live_run_reports_every_round_and_ends_as_a_plain_run() {
        let s = scenario();
        let plain = run(&s, &RunOptions::default());
        let seen = Mutex::new(Vec::new());
        let live = run_live(
            &s,
            &RunOptions::default(),
            &|u| seen.lock().unwrap().push(u.clone()),
            &CancelToken::new(),
        )
        .unwrap();
        for (a, b) in plain.replicates.iter().zip(&live.replicates) {
            let bits = |r: &collabgov_sim::run::ReplicateResult| {
                r.records
                    .iter()
                    .flat_map(|rec| rec.iter().map(|v| v.to_bits()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(bits(a), bits(b));
            assert_eq!(a.consensus_round, b.consensus_round);
        }
        let seen = seen.into_inner().unwrap();
        assert_eq!(seen.len(), 41);
        let expected = plain.round_stats();
        for update in &seen {
            let round: Vec<_> = expected
                .iter()
                .filter(|st| st.round == update.round)
                .cloned()
                .collect();
            assert_eq!(
                format!("{:?}", update.stats),
                format!("{round:?}"),
                "round {}",
                update.round
            );
        }
    }

    #[test]
    fn a_cancelled_run_stops_between_rounds() {
        let s = scenario();
        let token = CancelToken::new();
        let rounds_seen = Mutex::new(0u32);
        let result = run_live(
            &s,
            &RunOptions::default(),
            &|u| {
                *rounds_seen.lock().unwrap() = u.round;
                if u.round == 3 {
                    token.cancel();
                }
            },
            &token,
        );
        assert_eq!(result.err(), Some(Cancelled));
        assert_eq!(*rounds_seen.lock().unwrap(), 3);
        let cancelled = CancelToken::new();
        cancelled.cancel();
        assert_eq!(
            run_cancellable(&s, &RunOptions::default(), &|| {}, &cancelled).err(),
            Some(Cancelled)
        );
    }
}

mod sweep_warnings {
    use collabgov_core::scenario::no_files;
    use collabgov_study::sweep::SweepPlan;

    fn plan(base: &str, key: &str) -> SweepPlan {
        parse(&format!(
            "name = \"w\"\nbase = \"{base}\"\ndesign = \"grid\"\n[[factors]]\nkey = \"{key}\"\nvalues = [0.3, 0.6]\n"
        ))
        .unwrap()
    }

    fn parse(text: &str) -> Result<SweepPlan, collabgov_core::ScenarioError> {
        let read = |name: &str| {
            collabgov_study::bundled::BUNDLED
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| (t.to_string(), format!("bundled:{name}")))
                .ok_or_else(|| "no such scenario".to_string())
        };
        SweepPlan::parse(text, "t.sweep.toml", &read, &no_files)
    }

    #[test]
    fn linked_keys_move_with_their_factor() {
        let head = "name = \"l\"\nbase = \"siloed-government\"\ndesign = \"grid\"\n";
        let plan = parse(&format!(
            "{head}[[factors]]\nkey = \"parameters.leadership\"\nalso = [\"parameters.ground_rules\"]\nvalues = [0.2, 0.8]\n[[factors]]\nkey = \"parameters.silo\"\nvalues = [0.5]\n"
        ))
        .unwrap();
        assert_eq!(plan.keys, ["parameters.leadership", "parameters.silo"]);
        assert!(
            plan.header()
                .starts_with("point,parameters.leadership,parameters.silo,")
        );
        for (point, level) in [(0, 0.2), (1, 0.8)] {
            let s = plan.scenario_at(point, &no_files).unwrap();
            assert_eq!((s.params.leadership, s.params.ground_rules), (level, level));
            assert_eq!(s.params.silo, 0.5);
        }
        // A key twice (here as a factor's and another's linked key) names where.
        let e = parse(&format!(
            "{head}[[factors]]\nkey = \"parameters.silo\"\nvalues = [0.1]\n[[factors]]\nkey = \"parameters.leadership\"\nalso = [\"parameters.silo\"]\nvalues = [0.1]\n"
        ))
        .unwrap_err();
        assert_eq!(e.key, "factors[1].also");
        assert!(
            e.message
                .contains("found parameters.silo in factors[0] and factors[1]"),
            "{e}"
        );
        // A linked key the base does not have is refused before anything runs.
        let e = parse(&format!(
            "{head}[[factors]]\nkey = \"parameters.silo\"\nalso = [\"parameters.nonsense\"]\nvalues = [0.1]\n"
        ))
        .unwrap_err();
        assert!(e.message.contains("nonsense"), "{e}");
    }

    #[test]
    fn a_factor_a_set_intervention_overrides_is_warned_about() {
        // whole-of-government sets silo = 0.2 from round 30.
        let swept = plan("whole-of-government", "parameters.silo");
        assert_eq!(swept.warnings.len(), 1, "{:?}", swept.warnings);
        assert!(swept.warnings[0].contains("factor parameters.silo is overridden"));
        assert!(swept.warnings[0].contains("from round 30"));
        // Leadership is not overridden; nor is silo in the siloed forum.
        assert!(
            plan("whole-of-government", "parameters.leadership")
                .warnings
                .is_empty()
        );
        assert!(
            plan("siloed-government", "parameters.silo")
                .warnings
                .is_empty()
        );
    }
}
