//! `collabgov validate`: check a scenario without running it, and report whether its forum
//! meets Ansell & Gash's (2008) six criteria of collaborative governance.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use collabgov_core::Scenario;
use collabgov_core::scenario::raw::{DecisionRule, Engagement, Focus, InitiatedBy, value_name};

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

/// One criterion's verdict.
pub struct Criterion {
    /// The criterion, as the seed words it.
    pub name: &'static str,
    /// Whether the scenario meets it.
    pub pass: bool,
    /// Why, in terms of the scenario's facts.
    pub reason: String,
}

/// Ansell & Gash's six criteria, judged from the scenario's facts.
pub fn six_criteria(s: &Scenario) -> Vec<Criterion> {
    let forum = &s.resolved.forum;
    let actors = &s.forum.actors;
    let agencies = actors.iter().filter(|a| a.kind.is_agency()).count();
    let non_state = actors.len() - agencies;
    let p = &s.params;
    let mut out = Vec::new();
    let initiated = forum.initiated_by;
    out.push(Criterion {
        name: "1. The forum is initiated by public agencies or institutions",
        pass: agencies > 0 && initiated != Some(InitiatedBy::NonState),
        reason: match (agencies, initiated) {
            (0, _) => "the scenario has no public agency".into(),
            (_, Some(InitiatedBy::NonState)) => "forum.initiated_by = \"non_state\"".into(),
            (n, Some(x)) => format!(
                "forum.initiated_by = \"{}\" and {n} agencies take part",
                value_name(&x)
            ),
            (n, None) => {
                format!("{n} agencies take part (forum.initiated_by not set; assumed \"agency\")")
            }
        },
    });
    out.push(Criterion {
        name: "2. Participants include non-state actors",
        pass: non_state > 0 && p.inclusiveness > 0.0,
        reason: if non_state == 0 {
            "the scenario has no non-state actor".into()
        } else if p.inclusiveness <= 0.0 {
            format!("{non_state} non-state actors, but inclusiveness = 0: they never take part")
        } else {
            format!(
                "{non_state} non-state actors, each taking part with chance inclusiveness = {}",
                p.inclusiveness
            )
        },
    });
    let engagement = forum.engagement.unwrap_or(Engagement::Decision);
    out.push(Criterion {
        name: "3. Participants engage directly in decision making, not only consulted",
        pass: engagement == Engagement::Decision,
        reason: format!(
            "forum.engagement = \"{}\"{}",
            value_name(&engagement),
            if forum.engagement.is_none() {
                " (default: in CG-1 every participant holds face-to-face dialogue)"
            } else {
                ""
            }
        ),
    });
    let formal = forum.formal.unwrap_or(true);
    out.push(Criterion {
        name: "4. The forum is formally organised and meets collectively",
        pass: formal && p.ground_rules > 0.0,
        reason: format!(
            "forum.formal = {formal}, ground_rules = {} (clear ground rules and transparency)",
            p.ground_rules
        ),
    });
    let rule = forum.decision_rule.unwrap_or(DecisionRule::Consensus);
    out.push(Criterion {
        name: "5. The forum aims to decide by consensus",
        pass: rule == DecisionRule::Consensus,
        reason: format!("forum.decision_rule = \"{}\"; consensus needs understanding >= {} and commitment >= {}", value_name(&rule), p.consensus.understanding, p.consensus.commitment),
    });
    let focus = forum.focus;
    out.push(Criterion {
        name: "6. The focus is public policy or public management",
        pass: matches!(focus, Some(Focus::PublicPolicy | Focus::PublicManagement)),
        reason: match focus {
            Some(f) => format!("forum.focus = \"{}\"", value_name(&f)),
            None => {
                "forum.focus is not set (say \"public_policy\" or \"public_management\")".into()
            }
        },
    });
    out
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
