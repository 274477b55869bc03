//! Fixed benchmark scenarios shared by the criterion benches.

use collabgov_core::Scenario;
use collabgov_core::scenario::no_files;

/// An sbm forum of `n_actors` over 8 sectors with mean degree about `degree`.
pub fn sbm_scenario(n_actors: u32, degree: f64, rounds: u32, replicates: u32) -> Scenario {
    let per_sector = n_actors / 8;
    let within = per_sector as f64;
    // Half the relations within sectors, half across.
    let p_within = (degree * 0.5 / within).min(1.0);
    let p_across = (degree * 0.5 / (n_actors as f64 - within)).min(1.0);
    let mut toml =
        format!("name = \"bench\"\nrounds = {rounds}\nreplicates = {replicates}\nseed = 7\n");
    for s in 0..8 {
        toml.push_str(&format!(
            "[[sectors]]\nname = \"s{s}\"\nagencies = {}\nngo = {}\n",
            per_sector / 4,
            per_sector - per_sector / 4
        ));
    }
    toml.push_str(&format!("[network]\ntype = \"sbm\"\np_within = {p_within}\np_across = {p_across}\n[parameters]\nsilo = 0.3\ninclusiveness = 0.8\n"));
    Scenario::parse(&toml, "bench.toml", &no_files).expect("the benchmark scenario is valid")
}
