//! Fixed benchmark scenarios shared by the criterion benches.

use collabgov_core::Scenario;
use collabgov_core::scenario::no_files;

/// The synthetic sbm forum of [`collabgov_sim::bench::sbm_toml`], parsed.
pub fn sbm_scenario(n_actors: u32, degree: f64, rounds: u32, replicates: u32) -> Scenario {
    let toml = collabgov_sim::bench::sbm_toml(n_actors as u64, degree, rounds, replicates);
    Scenario::parse(&toml, "bench.toml", &no_files).expect("the benchmark scenario is valid")
}

/// The bundled `default` scenario (`scenarios/default.toml`), parsed.
pub fn default_scenario() -> Scenario {
    Scenario::parse(
        include_str!("../scenarios/default.toml"),
        "default.toml",
        &no_files,
    )
    .expect("the bundled default scenario is valid")
}

/// A small grid sweep (3 x 3 points of silo and leadership, 20 replicates of 60 actors x 100
/// rounds) over `benches/scenarios/bench-60.toml`.
pub fn small_sweep() -> collabgov_study::sweep::SweepPlan {
    const SWEEP: &str = "name = \"small\"\nbase = \"bench-60.toml\"\ndesign = \"grid\"\n\
        replicates = 20\nrounds = 100\nseed = 1\n\
        [[factors]]\nkey = \"parameters.silo\"\nfrom = 0.0\nto = 1.0\nsteps = 3\n\
        [[factors]]\nkey = \"parameters.leadership\"\nfrom = 0.0\nto = 1.0\nsteps = 3\n";
    let base = |_: &str| {
        Ok((
            include_str!("scenarios/bench-60.toml").to_string(),
            "bench-60.toml".to_string(),
        ))
    };
    collabgov_study::sweep::SweepPlan::parse(SWEEP, "small.sweep.toml", &base, &no_files)
        .expect("the benchmark sweep is valid")
}
