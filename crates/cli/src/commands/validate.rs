//! `collabgov validate`: check a scenario without running it, and report whether its forum
//! meets Ansell & Gash's (2008) six criteria of collaborative governance.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use collabgov_study::criteria::six_criteria;

use crate::files::{load_scenario, slug};

/// `collabgov validate`.
#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// A scenario file (.toml) or a bundled scenario name.
    #[arg(value_name = "SCENARIO")]
    pub scenario: String,
    /// Exit with status 3 when any of the six criteria fails.
    #[arg(long)]
    pub strict: bool,
}

/// `collabgov validate`.
pub fn validate(args: &ValidateArgs) -> Result<ExitCode> {
    let loaded = load_scenario(&args.scenario, &collabgov_core::Overrides::default())?;
    let s = &loaded.scenario;
    let folder = slug(&s.name);
    if folder != s.name {
        eprintln!(
            "warning: the name \"{}\" is not a portable folder name: `collabgov run` writes to output/{folder}/",
            collabgov_core::scenario::error::excerpt(&s.name)
        );
    }
    out!(
        "{}: valid. {} actors in {} sectors, {} relations, {} issues, {} rounds x {} replicates, {} intervention{}.",
        loaded.origin,
        s.forum.n_actors(),
        s.forum.sectors.len(),
        s.forum.graph.n_relations(),
        s.issues,
        s.rounds,
        s.replicates,
        s.interventions.len(),
        if s.interventions.len() == 1 { "" } else { "s" }
    );
    out!("\nAnsell & Gash's six criteria of collaborative governance:");
    let criteria = six_criteria(s);
    for c in &criteria {
        out!(
            "  [{}] {}\n         {}",
            if c.pass { "pass" } else { "FAIL" },
            c.name,
            c.reason
        );
    }
    let passed = criteria.iter().filter(|c| c.pass).count();
    out!("\n{passed} of 6 criteria met.");
    if let Some(d) = collabgov_sim::model::services::ServiceDesign::of(s) {
        out!(
            "\nServices (CG-2): {} pattern, {} agencies; {:.1} requests and {:.1} work units filed per round against a throughput of {:.1} ({:.0} % busy).",
            d.pattern.name(),
            d.agencies,
            d.requests,
            d.work,
            d.throughput,
            100.0 * d.load()
        );
        if d.load() >= 1.0 {
            eprintln!(
                "warning: services demand {:.1} work units per round but agencies complete at most {:.1}: queues will grow without bound (lower services.requests or raise services.throughput or capacity)",
                d.work, d.throughput
            );
        }
    }
    if args.strict && passed < 6 {
        return Ok(ExitCode::from(3));
    }
    Ok(ExitCode::SUCCESS)
}
