//! Fixed synthetic scenarios for benchmarks (`collabgov bench`, `cargo bench`).

/// TOML of an sbm forum of `n_actors` over 8 sectors (a quarter agencies) with mean degree
/// about `degree`, half of the relations within sectors; silo 0.3, inclusiveness 0.8.
pub fn sbm_toml(n_actors: u64, degree: f64, rounds: u32, replicates: u32) -> String {
    let per_sector = (n_actors / 8).max(2);
    let n = per_sector * 8;
    let p_within = (degree * 0.5 / (per_sector - 1) as f64).min(1.0);
    let p_across = (degree * 0.5 / (n - per_sector) as f64).min(1.0);
    let mut toml =
        format!("name = \"bench-{n}\"\nrounds = {rounds}\nreplicates = {replicates}\nseed = 7\n");
    for s in 0..8 {
        toml.push_str(&format!(
            "[[sectors]]\nname = \"s{s}\"\nagencies = {}\nngo = {}\n",
            per_sector / 4,
            per_sector - per_sector / 4
        ));
    }
    toml.push_str(&format!(
        "[network]\ntype = \"sbm\"\np_within = {p_within}\np_across = {p_across}\n\
         [parameters]\nsilo = 0.3\ninclusiveness = 0.8\n"
    ));
    toml
}

#[cfg(test)]
mod tests {
    use collabgov_core::Scenario;
    use collabgov_core::scenario::no_files;

    #[test]
    fn synthetic_forum_has_the_asked_size_and_degree() {
        let s = Scenario::parse(&super::sbm_toml(4000, 10.0, 1, 1), "bench", &no_files).unwrap();
        assert_eq!(s.forum.n_actors(), 4000);
        let degree = 2.0 * s.forum.graph.n_relations() as f64 / 4000.0;
        assert!((degree - 10.0).abs() < 0.5, "{degree}");
    }
}
