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

/// A GraphML file of `n` nodes (agencies and NGOs in 10 sectors, one attribute line per
/// node) on a ring with chords: `n` nodes and `2n` edges, one element per line, as
/// NetworkX writes it.
pub fn graphml_text(n: usize) -> String {
    let mut s = String::with_capacity(n * 200);
    s.push_str("<?xml version='1.0' encoding='utf-8'?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n");
    s.push_str("<key id=\"k\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n");
    s.push_str("<key id=\"s\" for=\"node\" attr.name=\"sector\" attr.type=\"string\"/>\n");
    s.push_str("<graph edgedefault=\"undirected\">\n");
    for i in 0..n {
        let kind = if i % 3 == 0 { "agency" } else { "ngo" };
        s.push_str(&format!(
            "<node id=\"n{i}\">\n<data key=\"k\">{kind}</data>\n<data key=\"s\">s{}</data>\n</node>\n",
            i % 10
        ));
    }
    for i in 0..n {
        s.push_str(&format!(
            "<edge source=\"n{i}\" target=\"n{}\"/>\n",
            (i + 1) % n
        ));
        s.push_str(&format!(
            "<edge source=\"n{i}\" target=\"n{}\"/>\n",
            (i + 7) % n
        ));
    }
    s.push_str("</graph>\n</graphml>\n");
    s
}

/// A scenario whose forum is [`graphml_text`]`(n)`, parsed (what `collabgov run` does with
/// a `type = "graphml"` network file).
pub fn graphml_scenario(graphml: &str) -> Scenario {
    const TOML: &str = "name = \"graphml\"\nrounds = 1\nreplicates = 1\n\
        [network]\ntype = \"graphml\"\nfile = \"net.graphml\"\n";
    let load = |_: &str| Ok(graphml.to_string());
    Scenario::parse(TOML, "graphml.toml", &load).expect("the GraphML scenario is valid")
}
