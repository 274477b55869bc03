//! Fixed benchmark scenarios shared by the criterion benches.

use collabgov_core::Scenario;
use collabgov_core::scenario::no_files;

/// The synthetic sbm forum of [`collabgov_sim::bench::sbm_toml`], parsed.
pub fn sbm_scenario(n_actors: u32, degree: f64, rounds: u32, replicates: u32) -> Scenario {
    let toml = collabgov_sim::bench::sbm_toml(n_actors as u64, degree, rounds, replicates);
    Scenario::parse(&toml, "bench.toml", &no_files).expect("the benchmark scenario is valid")
}
